/* Volunteers' paper: a session's 签到表 (the expected volunteers and
 * residents, columns to sign, blank rows for those who come unannounced)
 * and the 志愿服务记录证明 (民政部令第67号: the volunteer, ID type and
 * masked number, volunteer number, the hours and the service of a period,
 * the issuing station, its person in charge, the handler, the number and
 * the date). Both are in the access log before the file is written. */
#include "print_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "station_internal.h"
#include "wushe/access.h"
#include "wushe/catalog.h"
#include "wushe/community.h"
#include "wushe/validate.h"
#include "wushe/volunteer.h"

#define SIGNIN_LINES 500   /* a sheet's people */
#define SIGNIN_BLANK 6     /* rows for those not expected */
#define CERT_LINES 2000    /* service lines on a certificate */

static print_doc *vol_doc_new(station *st, const char *title_key)
{
    return print_station_doc(st, tr(title_key), NULL, PRINT_PORTRAIT);
}

static ws_status vol_fail(ws_status s, char *err, size_t errsz)
{
    if (!err[0])
        snprintf(err, errsz, "%s", tr(ws_status_key(s)));
    return s;
}

/* ---- 签到表 ---- */

static void signin_heading_fields(station *st, print_doc *doc, const activity *a,
                                  const session *ses)
{
    char team[256] = "", community[256] = "", when[64], type[128] = "";
    if (a->team_id)
        record_title(st, &kind_team, a->team_id, team, sizeof team);
    else
        station_name(st, team, sizeof team);
    if (a->community_id)
        record_title(st, &kind_community, a->community_id, community, sizeof community);
    record_format(st, &kind_activity, AF_TYPE, a, true, type, sizeof type);
    snprintf(when, sizeof when, "%s %s–%s", ses->date, ses->start, ses->end);
    print_field f[] = {
        {tr("field.activity_title"), a->title, true},
        {tr("field.activity_type"), type, false},   {tr("print.signin_when"), when, false},
        {tr("field.activity_team"), team, false},   {tr("field.community"), community, false},
        {tr("field.activity_place"), a->place, true},
    };
    print_fields(doc, 4, f, sizeof f / sizeof *f);
}

ws_status print_signin(station *st, int64_t session_id, const char *path, int *pages, char *err,
                       size_t errsz)
{
    err[0] = '\0';
    ws_status s = station_require(st, PERM_EXPORT);
    session ses;
    activity a;
    if (s == WS_OK)
        s = record_load(st, &kind_session, session_id, &ses);
    if (s == WS_OK)
        s = record_load(st, &kind_activity, ses.activity_id, &a);
    roster_line *lines = s == WS_OK ? print_alloc(SIGNIN_LINES * sizeof *lines) : NULL;
    size_t n = 0;
    if (s == WS_OK)
        s = roster_list(st, session_id, lines, SIGNIN_LINES, &n);
    if (s != WS_OK) {
        free(lines);
        return vol_fail(s, err, errsz);
    }
    print_doc *doc = vol_doc_new(st, "print.signin_title");
    signin_heading_fields(st, doc, &a, &ses);
    print_heading(doc, tr("print.signin_volunteers"));
    print_column vcols[] = {
        {tr("print.col_no"), 2.5, PRINT_CENTER}, {tr("field.name"), 6, PRINT_LEFT},
        {tr("field.volunteer_number"), 11.5, PRINT_LEFT}, {tr("print.col_in"), 4, PRINT_CENTER},
        {tr("print.col_out"), 4, PRINT_CENTER}, {tr("print.col_sign"), 0, PRINT_LEFT},
    };
    print_table(doc, vcols, sizeof vcols / sizeof *vcols, 9);
    size_t no = 0;
    for (size_t i = 0; i < n; i++) {
        if (!lines[i].is_volunteer)
            continue;
        char num[24];
        snprintf(num, sizeof num, "%zu", ++no);
        const char *cells[] = {num, lines[i].name, lines[i].detail, "", "", ""};
        print_row(doc, cells);
    }
    print_blank_rows(doc, 2);
    print_heading(doc, tr("print.signin_residents"));
    print_column rcols[] = {
        {tr("print.col_no"), 2.5, PRINT_CENTER}, {tr("field.name"), 6, PRINT_LEFT},
        {tr("field.phone"), 8, PRINT_LEFT},       {tr("print.col_sign"), 0, PRINT_LEFT},
    };
    print_table(doc, rcols, sizeof rcols / sizeof *rcols, 9);
    no = 0;
    for (size_t i = 0; i < n; i++) {
        if (lines[i].is_volunteer)
            continue;
        char num[24];
        snprintf(num, sizeof num, "%zu", ++no);
        const char *cells[] = {num, lines[i].name, lines[i].detail, ""};
        print_row(doc, cells);
    }
    print_blank_rows(doc, SIGNIN_BLANK);
    print_paragraph(doc, tr("print.signin_unnamed"));
    const char *labels[] = {tr("print.sign_recorder"), tr("print.sign_date")};
    print_space(doc, 6);
    print_signatures(doc, labels, 2);
    s = print_log(st, "signin", "activity_sessions", session_id, path, true);
    if (s == WS_OK)
        s = print_doc_write(doc, path, pages, err, errsz);
    else
        vol_fail(s, err, errsz);
    print_doc_free(&doc);
    free(lines);
    return s;
}

ws_status print_find_session(station *st, const char *key, int64_t *id)
{
    *id = 0;
    ws_status s = station_require(st, PERM_VOLUNTEER_READ);
    if (s != WS_OK)
        return s;
    /* "活动名称@2026-11-23": the first session of that day; else a row id. */
    const char *at = strrchr(key, '@');
    db *d = station_db(st);
    if (at) {
        char title[512];
        snprintf(title, sizeof title, "%.*s", (int)(at - key), key);
        sqlite3_stmt *q = db_prepare(d, "SELECT s.id FROM activity_sessions s JOIN activities a"
                                        " ON a.id = s.activity_id WHERE a.title = ?1"
                                        " AND s.session_date = ?2 AND s.deleted_at IS NULL"
                                        " AND a.deleted_at IS NULL ORDER BY s.start_time LIMIT 1");
        if (!q)
            return db_status(d);
        db_bind_text(q, 1, title);
        db_bind_text(q, 2, at + 1);
        int rc = sqlite3_step(q);
        if (rc == SQLITE_ROW)
            *id = sqlite3_column_int64(q, 0);
        db_reset(q);
        return rc == SQLITE_ROW ? WS_OK : rc == SQLITE_DONE ? WS_ERR_NOT_FOUND
                                                              : db_status_from(rc);
    }
    char *end = NULL;
    long long v = strtoll(key, &end, 10);
    bool found = false;
    if (!*key || *end || v <= 0)
        return WS_ERR_NOT_FOUND;
    s = db_exists_i64(d, "SELECT 1 FROM activity_sessions WHERE id = ?1 AND deleted_at IS NULL",
                      v, 0, &found);
    if (s == WS_OK && !found)
        s = WS_ERR_NOT_FOUND;
    if (s == WS_OK)
        *id = v;
    return s;
}

/* ---- 志愿服务记录证明 ---- */

/* The volunteer's ID number (a linked one's from the register), masked. */
static ws_status cert_id_number(station *st, const volunteer *v, char *out, size_t outsz)
{
    char idn[40] = "";
    snprintf(idn, sizeof idn, "%s", v->id_number);
    ws_status s = WS_OK;
    if (!idn[0] && v->resident_id)
        s = db_text_i64(station_db(st), "SELECT coalesce(id_number, '') FROM residents"
                                        " WHERE id = ?1", v->resident_id, idn, sizeof idn);
    mask_id_number(idn, out, outsz);
    return s;
}

/* The person in charge (the first 站长 in service) and the contact
 * telephone: station.yaml's, else that 站长's. */
static void cert_director(station *st, char *out, size_t outsz, char *phone, size_t phonesz)
{
    out[0] = phone[0] = '\0';
    sqlite3_stmt *q = db_prepare(station_db(st),
        "SELECT display_name, coalesce(phone, '') FROM accounts WHERE role = 'director'"
        " AND active = 1 ORDER BY created_at, id LIMIT 1");
    if (q && sqlite3_step(q) == SQLITE_ROW) {
        db_column_copy(q, 0, out, outsz);
        db_column_copy(q, 1, phone, phonesz);
    }
    if (q)
        db_reset(q);
    const station_config *c = station_cfg(st);
    if (c && c->station_phone)
        snprintf(phone, phonesz, "%s", c->station_phone);
}

static void cert_body(station *st, print_doc *doc, const volunteer *v, const certificate *c,
                      const char *idn)
{
    char total[64], text[2048], from[32];
    hours_text(c->minutes, total, sizeof total);
    snprintf(from, sizeof from, "%s", c->from[0] ? c->from : v->registered_date);
    trf(text, sizeof text, "print.cert_text", v->name, tr("print.cert_id_type"), idn, v->number,
        from, c->to, total);
    print_paragraph(doc, text);
    print_space(doc, 3);
    char handler[128] = "", director[128] = "", phone[64], issued[16], name[256];
    snprintf(issued, sizeof issued, "%s", c->issued_on);
    station_name(st, name, sizeof name);
    cert_director(st, director, sizeof director, phone, sizeof phone);
    snprintf(handler, sizeof handler, "%s", c->issued_by);
    print_field f[] = {
        {tr("print.cert_number"), c->number, false}, {tr("print.cert_date"), issued, false},
        {tr("print.cert_station"), name, true},      {tr("print.cert_director"), director, false},
        {tr("print.cert_handler"), handler, false},  {tr("print.cert_contact"), phone, true},
    };
    print_fields(doc, 4, f, sizeof f / sizeof *f);
}

ws_status print_certificate(station *st, int64_t volunteer_id, const char *from, const char *to,
                            const char *path, int *pages, char *number, size_t numbersz,
                            char *err, size_t errsz)
{
    err[0] = '\0';
    if (number && numbersz)
        number[0] = '\0';
    volunteer v;
    certificate c;
    record_error re;
    ws_status s = record_load(st, &kind_volunteer, volunteer_id, &v);
    if (s == WS_OK)
        s = certificate_issue(st, volunteer_id, from, to, &c, &re);
    if (s == WS_ERR_INVALID) {
        record_error_reason(&re, err, errsz);
        return s;
    }
    char idn[64];
    if (s == WS_OK)
        s = cert_id_number(st, &v, idn, sizeof idn);
    service_line *lines = s == WS_OK ? print_alloc(CERT_LINES * sizeof *lines) : NULL;
    size_t n = 0;
    if (s == WS_OK)
        s = service_lines(st, volunteer_id, c.from, c.to, lines, CERT_LINES, &n);
    if (s != WS_OK) {
        free(lines);
        return vol_fail(s, err, errsz);
    }
    print_doc *doc = vol_doc_new(st, "print.cert_title");
    cert_body(st, doc, &v, &c, idn);
    print_heading(doc, tr("print.cert_service"));
    print_column cols[] = {
        {tr("print.col_no"), 2.5, PRINT_CENTER}, {tr("hours.col_date"), 6, PRINT_LEFT},
        {tr("hours.col_what"), 0, PRINT_LEFT},   {tr("field.attendance_minutes"), 6, PRINT_RIGHT},
    };
    print_table(doc, cols, sizeof cols / sizeof *cols, 0);
    for (size_t i = 0; i < n; i++) {
        char no[24], m[64];
        snprintf(no, sizeof no, "%zu", i + 1);
        hours_text(lines[i].minutes, m, sizeof m);
        const char *cells[] = {no, lines[i].date, lines[i].what, m};
        print_row(doc, cells);
    }
    print_paragraph(doc, tr("print.cert_basis"));
    const char *labels[] = {tr("print.cert_seal"), tr("print.sign_date")};
    print_space(doc, 6);
    print_signatures(doc, labels, 2);
    s = print_log(st, "certificate", "volunteers", volunteer_id, path, true);
    if (s == WS_OK)
        s = print_doc_write(doc, path, pages, err, errsz);
    else
        vol_fail(s, err, errsz);
    if (s == WS_OK && number && numbersz)
        snprintf(number, numbersz, "%s", c.number);
    print_doc_free(&doc);
    free(lines);
    return s;
}
