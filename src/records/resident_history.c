/* A resident's audit trail: which changes, and what each changed from
 * and to, as a clerk reads it (labels, names, masked identifiers). */
#include "wushe/resident.h"
#include "wushe/access.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "station_internal.h"
#include "wushe/catalog.h"
#include "wushe/codes.h"
#include "wushe/validate.h"

ws_status resident_history(station *st, int64_t id, resident_change *out, size_t max, size_t *n)
{
    return record_history(st, "residents", id, out, max, n);
}

/* The audit keys in form order: kind_resident's columns, the statuses
 * (key "groups", the resident's child rows) before the notes. */
#define HISTORY_GROUPS_AT RF_NOTES
#define HISTORY_NKEYS (kind_resident.nfields + 1)

static const field_def *history_field(size_t k)
{
    if (k == HISTORY_GROUPS_AT)
        return NULL;
    return &kind_resident.fields[k < HISTORY_GROUPS_AT ? k : k - 1];
}

static const char *history_key(size_t k)
{
    const field_def *f = history_field(k);
    return f ? f->column : "groups";
}

static const char *history_label_of(size_t k)
{
    const field_def *f = history_field(k);
    return f ? f->label : "field.groups";
}

const char *resident_history_label(const char *key)
{
    for (size_t i = 0; i < HISTORY_NKEYS; i++)
        if (strcmp(history_key(i), key) == 0)
            return history_label_of(i);
    return NULL;
}

/* A name from a table by row id ("" when gone). */
static void history_name(db *d, const char *sql, const char *id, char *out, size_t outsz)
{
    out[0] = '\0';
    sqlite3_stmt *q = db_prepare(d, sql);
    if (!q)
        return;
    sqlite3_bind_int64(q, 1, strtoll(id, NULL, 10));
    if (sqlite3_step(q) == SQLITE_ROW)
        db_column_copy(q, 0, out, outsz);
    db_reset(q);
}

/* Append "sep text" to out at *used, unless it does not fit. */
static void history_put(char *out, size_t outsz, size_t *used, const char *sep,
                        const char *text)
{
    size_t ls = strlen(sep), lt = strlen(text);
    if (*used + ls + lt + 1 > outsz)
        return;
    memcpy(out + *used, sep, ls);
    memcpy(out + *used + ls, text, lt + 1);
    *used += ls + lt;
}

/* Groups as HISTORY_GROUPS gives them (fields split by \x1f, groups by
 * \x1e) become "低保（认定日期 2020-01-01）、残疾（肢体 二级，证件编号 510***1234）". */
static void history_groups(station *st, const char *v, char *out, size_t outsz)
{
    enum { G_CODE, G_TYPE, G_GRADE, G_START, G_REVIEW, G_CERT, G_N };
    size_t used = 0;
    out[0] = '\0';
    char *buf = strdup(v);
    if (!buf)
        return;
    char *save = NULL;
    for (char *g = strtok_r(buf, "\x1e", &save); g; g = strtok_r(NULL, "\x1e", &save)) {
        const char *f[G_N] = {0};
        for (int k = 0; k < G_N; k++) {
            f[k] = g;
            char *e = g ? strchr(g, '\x1f') : NULL;
            if (e)
                *e = '\0';
            g = e ? e + 1 : NULL;
            if (!f[k])
                f[k] = "";
        }
        const codebook *cb = station_codes(st);
        const code_item *it = codebook_find(cb, "vulnerable_group", f[G_CODE]);
        history_put(out, outsz, &used, used ? tr("export.group_sep") : "",
                    it ? code_label(it, 1) : f[G_CODE]);
        /* The status's details, in the form's words. */
        char part[256] = "";
        size_t pl = 0;
        const code_item *ti = *f[G_TYPE] ? codebook_find(cb, "disability_type", f[G_TYPE]) : NULL;
        const code_item *gi = *f[G_GRADE] ? codebook_find(cb, "disability_grade", f[G_GRADE]) : NULL;
        if (ti)
            history_put(part, sizeof part, &pl, "", code_label(ti, 1));
        if (gi)
            history_put(part, sizeof part, &pl, pl ? " " : "", code_label(gi, 0));
        static const struct {
            int field;
            const char *label;
        } dated[] = {{G_START, "field.group_start"}, {G_REVIEW, "field.group_review"},
                     {G_CERT, "field.group_cert"}};
        for (size_t k = 0; k < sizeof dated / sizeof *dated; k++) {
            const char *val = f[dated[k].field];
            if (!*val)
                continue;
            char shown[96], one[160];
            if (dated[k].field == G_CERT)
                mask_id_number(val, shown, sizeof shown);
            else
                snprintf(shown, sizeof shown, "%s", val);
            snprintf(one, sizeof one, "%s %s", tr(dated[k].label), shown);
            history_put(part, sizeof part, &pl, pl ? tr("history.part_sep") : "", one);
        }
        if (pl) {
            history_put(out, outsz, &used, tr("history.open"), part);
            history_put(out, outsz, &used, "", tr("history.close"));
        }
    }
    free(buf);
}

/* One stored value as the clerk reads it; "" stays "" (the screen says
 * none). */
static void history_value(station *st, int k, const char *v, char *out, size_t outsz)
{
    out[0] = '\0';
    if (!v || !*v)
        return;
    const char *key = history_key((size_t)k);
    const field_def *f = history_field((size_t)k);
    if (f && f->codes) {
        const code_item *it = codebook_find(station_codes(st), f->codes, v);
        snprintf(out, outsz, "%s", it ? code_label(it, 0) : v);
    } else if (!strcmp(key, "id_number")) {
        mask_id_number(v, out, outsz);
    } else if (!strcmp(key, "phone")) {
        mask_phone(v, out, outsz);
    } else if (!strcmp(key, "community_id")) {
        history_name(station_db(st), "SELECT name FROM communities WHERE id = ?1", v, out, outsz);
    } else if (!strcmp(key, "household_id")) {
        history_name(station_db(st), "SELECT number FROM households WHERE id = ?1", v, out,
                     outsz);
    } else if (!strcmp(key, "groups")) {
        history_groups(st, v, out, outsz);
    } else {
        snprintf(out, outsz, "%s", v);
    }
}

/* Split a HISTORY_GROUPS value in place into its statuses (malloc'd array
 * of pointers into v; NULL when out of memory). */
static char **history_split(char *v, size_t *n)
{
    size_t cap = 1;
    for (const char *p = v; *p; p++)
        cap += *p == '\x1e';
    char **items = malloc(cap * sizeof *items);
    *n = 0;
    if (!items)
        return NULL;
    char *save = NULL;
    for (char *g = strtok_r(v, "\x1e", &save); g; g = strtok_r(NULL, "\x1e", &save))
        items[(*n)++] = g;
    return items;
}

/* Compare two statuses by their code (the text up to the first \x1f). */
static int history_code_cmp(const char *x, const char *y)
{
    size_t lx = strcspn(x, "\x1f"), ly = strcspn(y, "\x1f");
    int c = memcmp(x, y, lx < ly ? lx : ly);
    return c ? c : (lx > ly) - (lx < ly);
}

/* The statuses of a change, one entry each for a status added, removed
 * or changed, with all its details: what a save removed is shown in full
 * and the ones that stayed as they were are not repeated. Both lists are
 * sorted by code. */
static void history_group_changes(station *st, bool had_before, const char *b, const char *a,
                                  resident_field_change *out, size_t max, size_t *n)
{
    char *bv = strdup(b), *av = strdup(a);
    size_t nb = 0, na = 0;
    char **bi = bv ? history_split(bv, &nb) : NULL;
    char **ai = av ? history_split(av, &na) : NULL;
    if (bi && ai) {
        size_t i = 0, j = 0;
        while ((i < nb || j < na) && *n < max) {
            int c = i == nb ? 1 : j == na ? -1 : history_code_cmp(bi[i], ai[j]);
            const char *was = c <= 0 ? bi[i++] : "";
            const char *now = c >= 0 ? ai[j++] : "";
            if (!strcmp(was, now))
                continue;
            resident_field_change *e = &out[(*n)++];
            snprintf(e->key, sizeof e->key, "groups");
            e->label = "field.groups";
            e->had_before = had_before;
            history_groups(st, was, e->before, sizeof e->before);
            history_groups(st, now, e->after, sizeof e->after);
        }
    }
    free(bi);
    free(ai);
    free(bv);
    free(av);
}

/* Groups of a snapshot, every detail, sorted: a reordering is no change. */
#define HISTORY_FIELD(name) " coalesce(json_extract(g.value, '$." name "'), '')"
#define HISTORY_GROUPS(doc)                                                             \
    "(SELECT group_concat(x, char(30)) FROM (SELECT json_extract(g.value, '$.code') ||" \
    " char(31) ||" HISTORY_FIELD("disability_type") " || char(31) ||"                   \
    HISTORY_FIELD("disability_grade") " || char(31) ||" HISTORY_FIELD("start_date")     \
    " || char(31) ||" HISTORY_FIELD("review_date") " || char(31) ||"                    \
    HISTORY_FIELD("cert_no") " AS x FROM json_each(" doc ", '$.groups') g ORDER BY 1))"

ws_status resident_change_details(station *st, int64_t audit_id, resident_field_change *out,
                                  size_t max, size_t *n)
{
    *n = 0;
    ws_status denied_ = station_require(st, PERM_REGISTER_READ);
    if (denied_ != WS_OK)
        return denied_;
    db *d = station_db(st);
    *n = 0;
    sqlite3_stmt *q = db_prepare(d,
        "SELECT k.key, a.before IS NOT NULL,"
        " CASE WHEN k.value = 'groups' THEN " HISTORY_GROUPS("a.before")
        " ELSE json_extract(a.before, '$.' || k.value) END,"
        " CASE WHEN k.value = 'groups' THEN " HISTORY_GROUPS("a.after")
        " ELSE json_extract(a.after, '$.' || k.value) END"
        " FROM audit_log a, json_each(?2) k WHERE a.id = ?1 AND a.table_name = 'residents'"
        " ORDER BY k.key");
    if (!q)
        return db_status(d);
    char keys[512] = "[";
    for (size_t i = 0; i < HISTORY_NKEYS; i++)
        snprintf(keys + strlen(keys), sizeof keys - strlen(keys), "%s\"%s\"", i ? "," : "",
                 history_key(i));
    snprintf(keys + strlen(keys), sizeof keys - strlen(keys), "]");
    sqlite3_bind_int64(q, 1, audit_id);
    sqlite3_bind_text(q, 2, keys, -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && *n < max) {
        int key = sqlite3_column_int(q, 0); /* index of history_key */
        bool had_before = sqlite3_column_int(q, 1) != 0;
        const char *b = (const char *)sqlite3_column_text(q, 2);
        const char *a = (const char *)sqlite3_column_text(q, 3);
        if (!b)
            b = "";
        if (!a)
            a = "";
        if (had_before ? strcmp(a, b) == 0 : !*a)
            continue; /* unchanged, or empty in a new record */
        if (!history_field((size_t)key)) {
            history_group_changes(st, had_before, b, a, out, max, n);
            continue;
        }
        resident_field_change *c = &out[(*n)++];
        snprintf(c->key, sizeof c->key, "%s", history_key((size_t)key));
        c->label = history_label_of((size_t)key);
        c->had_before = had_before;
        history_value(st, key, b, c->before, sizeof c->before);
        history_value(st, key, a, c->after, sizeof c->after);
    }
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}
