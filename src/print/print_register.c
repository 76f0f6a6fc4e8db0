/* The register's paper: a resident's 居民信息表 and a household's 户卡.
 * Identifiers are printed as the role sees them in a form (a 录入员's
 * and a 督导's masked), and every print is in the access log before the
 * file is written. */
#include "print_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "station_internal.h"
#include "wushe/access.h"
#include "wushe/catalog.h"
#include "wushe/identity.h"
#include "wushe/community.h"
#include "wushe/household.h"
#include "wushe/resident.h"
#include "wushe/validate.h"

#define PRINT_MEMBERS 200 /* a household's members printed */

static const char *code_text(station *st, const char *list, const char *code)
{
    const code_item *it = code && *code ? codebook_find(station_codes(st), list, code) : NULL;
    return it ? code_label(it, 0) : code ? code : "";
}

static const char *sex_text(station *st, int sex)
{
    char code[8];
    snprintf(code, sizeof code, "%d", sex);
    return sex ? code_text(st, "sex", code) : "";
}

/* "低保、残疾" from "low_income,disability". */
static void groups_text(station *st, const char *codes, char *out, size_t outsz)
{
    size_t used = 0;
    out[0] = '\0';
    char buf[256];
    snprintf(buf, sizeof buf, "%s", codes ? codes : "");
    char *save = NULL;
    for (char *c = strtok_r(buf, ",", &save); c && used < outsz;
         c = strtok_r(NULL, ",", &save)) {
        const code_item *it = codebook_find(station_codes(st), "vulnerable_group", c);
        used += (size_t)snprintf(out + used, outsz - used, "%s%s", used ? "、" : "",
                                 it ? code_label(it, 1) : c);
    }
}

static print_doc *sheet_new(station *st, const char *title_key)
{
    return print_station_doc(st, tr(title_key), NULL, PRINT_PORTRAIT);
}

/* The members of a household as a table. */
static ws_status sheet_members(station *st, print_doc *doc, int64_t hid, bool full)
{
    resident_row *rows = print_alloc(PRINT_MEMBERS * sizeof *rows);
    size_t n = 0;
    ws_status s = resident_members(st, hid, rows, PRINT_MEMBERS, &n);
    if (s == WS_OK) {
        print_column cols[] = {
            {tr("print.col_no"), 2.5, PRINT_CENTER}, {tr("field.name"), 6, PRINT_LEFT},
            {tr("field.relation"), 5, PRINT_LEFT},  {tr("field.sex"), 2.5, PRINT_CENTER},
            {tr("field.birth_date"), 6, PRINT_LEFT}, {tr("field.id_number"), 11, PRINT_LEFT},
            {tr("field.groups"), 0, PRINT_LEFT},
        };
        print_table(doc, cols, sizeof cols / sizeof *cols, 0);
        for (size_t i = 0; i < n; i++) {
            char no[24], idn[64], birth[32], groups[512];
            snprintf(no, sizeof no, "%zu", i + 1);
            if (full) {
                snprintf(idn, sizeof idn, "%s", rows[i].id_number);
                snprintf(birth, sizeof birth, "%s", rows[i].birth_date);
            } else {
                mask_id_number(rows[i].id_number, idn, sizeof idn);
                mask_birth_date(rows[i].birth_date, birth, sizeof birth);
            }
            groups_text(st, rows[i].groups, groups, sizeof groups);
            const char *cells[] = {no, rows[i].name, code_text(st, "relation", rows[i].relation),
                                   sex_text(st, rows[i].sex), birth, idn, groups};
            print_row(doc, cells);
        }
    }
    free(rows);
    return s;
}

/* A household's own fields: 户号, 社区/村, 户主, 电话, 住址, 备注. */
static ws_status sheet_household_fields(station *st, print_doc *doc, int64_t hid, bool full)
{
    household h;
    household_row hr;
    ws_status s = household_load(st, hid, &h);
    if (s == WS_OK)
        s = household_row_get(st, hid, &hr);
    if (s != WS_OK)
        return s;
    char phone[64];
    if (full)
        snprintf(phone, sizeof phone, "%s", h.phone);
    else
        mask_phone(h.phone, phone, sizeof phone);
    print_field f[] = {
        {tr("field.number"), h.number, false},     {tr("field.community"), hr.community, false},
        {tr("field.head"), hr.head, false},        {tr("field.phone"), phone, false},
        {tr("field.address"), h.address, true},    {tr("field.notes"), h.notes, true},
    };
    print_fields(doc, 4, f, sizeof f / sizeof *f);
    return WS_OK;
}

static void sheet_resident_fields(station *st, print_doc *doc, const resident *r)
{
    char community[256] = "", household[128] = "";
    if (r->community_id)
        record_title(st, &kind_community, r->community_id, community, sizeof community);
    if (r->household_id)
        record_title(st, &kind_household, r->household_id, household, sizeof household);
    print_field f[] = {
        {tr("field.name"), r->name, false},
        {tr("field.sex"), sex_text(st, r->sex), false},
        {tr("field.id_number"), r->id_number, false},
        {tr("field.birth_date"), r->birth_date, false},
        {tr("field.ethnicity"), code_text(st, "ethnicity", r->ethnicity), false},
        {tr("field.phone"), r->phone, false},
        {tr("field.community"), community, false},
        {tr("field.household"), household, false},
        {tr("field.relation"), code_text(st, "relation", r->relation), false},
        {tr("field.address"), r->address, true},
        {tr("field.notes"), r->notes, true},
    };
    print_fields(doc, 4, f, sizeof f / sizeof *f);
}

/* Statuses: 类别, 认定日期, 证件编号, 复核日期, 残疾类别和等级. */
static void sheet_groups(station *st, print_doc *doc, const resident *r, bool full)
{
    if (!r->ngroups) {
        print_paragraph(doc, tr("print.groups_none"));
        return;
    }
    print_column cols[] = {
        {tr("print.col_group"), 8, PRINT_LEFT},     {tr("field.group_start"), 6, PRINT_LEFT},
        {tr("field.group_cert"), 0, PRINT_LEFT},    {tr("field.group_review"), 6, PRINT_LEFT},
        {tr("print.col_disability"), 0, PRINT_LEFT},
    };
    print_table(doc, cols, sizeof cols / sizeof *cols, 0);
    for (size_t i = 0; i < r->ngroups; i++) {
        const resident_group *g = &r->groups[i];
        char cert[160], dis[128] = "";
        if (full)
            snprintf(cert, sizeof cert, "%s", g->cert_no);
        else
            mask_id_number(g->cert_no, cert, sizeof cert);
        if (g->disability_type[0] || g->disability_grade[0])
            snprintf(dis, sizeof dis, "%s %s", code_text(st, "disability_type", g->disability_type),
                     code_text(st, "disability_grade", g->disability_grade));
        const char *cells[] = {code_text(st, "vulnerable_group", g->code), g->start_date, cert,
                               g->review_date, dis};
        print_row(doc, cells);
    }
}

static void sheet_signatures(print_doc *doc, const char *who_key)
{
    const char *labels[] = {tr(who_key), tr("print.sign_worker"), tr("print.sign_date")};
    print_space(doc, 6);
    print_signatures(doc, labels, 3);
}

/* Log, then write; the log entry comes first so that no print goes
 * unrecorded. */
static ws_status sheet_finish(station *st, print_doc *doc, const char *what, const char *table,
                              int64_t row, bool full, const char *path, int *pages, char *err,
                              size_t errsz)
{
    ws_status s = print_log(st, what, table, row, path, !full);
    if (s != WS_OK) {
        snprintf(err, errsz, "%s", tr(ws_status_key(s)));
        return s;
    }
    return print_doc_write(doc, path, pages, err, errsz);
}

static ws_status sheet_fail(ws_status s, char *err, size_t errsz)
{
    snprintf(err, errsz, "%s", tr(ws_status_key(s)));
    return s;
}

ws_status print_resident(station *st, int64_t id, const char *path, int *pages, char *err,
                         size_t errsz)
{
    err[0] = '\0';
    ws_status s = station_require(st, PERM_EXPORT);
    resident *r = print_alloc(sizeof *r);
    if (s == WS_OK)
        s = resident_load(st, id, r); /* masked as the role sees it */
    if (s != WS_OK) {
        free(r);
        return sheet_fail(s, err, errsz);
    }
    bool full = station_can(st, PERM_IDS_FULL);
    print_doc *doc = sheet_new(st, "print.resident_title");
    print_heading(doc, tr("print.sec_basic"));
    sheet_resident_fields(st, doc, r);
    print_heading(doc, tr("print.sec_groups"));
    sheet_groups(st, doc, r, full);
    print_heading(doc, tr("print.sec_household"));
    if (r->household_id) {
        s = sheet_household_fields(st, doc, r->household_id, full);
        if (s == WS_OK)
            s = sheet_members(st, doc, r->household_id, full);
    } else {
        print_paragraph(doc, tr("print.no_household"));
    }
    sheet_signatures(doc, "print.sign_resident");
    s = s == WS_OK ? sheet_finish(st, doc, "resident", "residents", id, full, path, pages, err,
                                  errsz)
                   : sheet_fail(s, err, errsz);
    print_doc_free(&doc);
    free(r);
    return s;
}

ws_status print_household(station *st, int64_t id, const char *path, int *pages, char *err,
                          size_t errsz)
{
    err[0] = '\0';
    ws_status s = station_require(st, PERM_EXPORT);
    if (s != WS_OK)
        return sheet_fail(s, err, errsz);
    bool full = station_can(st, PERM_IDS_FULL);
    print_doc *doc = sheet_new(st, "print.household_title");
    print_heading(doc, tr("print.sec_household_info"));
    s = sheet_household_fields(st, doc, id, full);
    if (s == WS_OK) {
        print_heading(doc, tr("print.sec_members"));
        s = sheet_members(st, doc, id, full);
    }
    sheet_signatures(doc, "print.sign_head");
    s = s == WS_OK ? sheet_finish(st, doc, "household", "households", id, full, path, pages, err,
                                  errsz)
                   : sheet_fail(s, err, errsz);
    print_doc_free(&doc);
    return s;
}

/* The id of the one living row sql finds for ?1 = text. */
static ws_status print_id_by_text(station *st, const char *sql, const char *text, int64_t *id)
{
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, sql);
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, text);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(q, 0);
    db_reset(q);
    return rc == SQLITE_ROW ? WS_OK : rc == SQLITE_DONE ? WS_ERR_NOT_FOUND : db_status_from(rc);
}

ws_status print_find_resident(station *st, const char *key, int64_t *id)
{
    *id = 0;
    ws_status s = station_require(st, PERM_REGISTER_READ);
    if (s != WS_OK)
        return s;
    /* Row ids have 18 digits too: an ID number first, then a row id. */
    char upper[64];
    snprintf(upper, sizeof upper, "%s", key);
    for (char *p = upper; *p; p++)
        *p = *p == 'x' ? 'X' : *p;
    s = print_id_by_text(st, "SELECT id FROM residents WHERE id_number = ?1"
                             " AND deleted_at IS NULL", upper, id);
    if (s != WS_ERR_NOT_FOUND)
        return s;
    char *end = NULL;
    long long v = strtoll(key, &end, 10);
    if (!*key || *end || v <= 0)
        return WS_ERR_NOT_FOUND;
    bool found = false;
    s = db_exists_i64(station_db(st), "SELECT 1 FROM residents WHERE id = ?1"
                                      " AND deleted_at IS NULL", v, 0, &found);
    if (s == WS_OK && !found)
        s = WS_ERR_NOT_FOUND;
    if (s == WS_OK)
        *id = v;
    return s;
}

ws_status print_find_household(station *st, const char *number, int64_t *id)
{
    *id = 0;
    ws_status s = station_require(st, PERM_REGISTER_READ);
    if (s != WS_OK)
        return s;
    return print_id_by_text(st, "SELECT id FROM households WHERE number = ?1"
                                " AND deleted_at IS NULL", number, id);
}
