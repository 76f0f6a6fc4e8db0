/* The machinery every declared kind of record shares: SQL built once from
 * the field table, validation by type, the one write path, load, soft
 * delete and restore, keyset paging. Search terms are in record_terms.c,
 * display and parsing in record_format.c. */
#include "wushe/record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "ids.h"
#include "record_internal.h"
#include "station_internal.h"
#include "wushe/catalog.h"
#include "wushe/codes.h"
#include "wushe/identity.h"
#include "wushe/text.h"

const record_kind *record_kind_find(const char *name)
{
    for (size_t i = 0; i < record_nkinds; i++)
        if (strcmp(record_kinds[i]->name, name) == 0)
            return record_kinds[i];
    return NULL;
}

int64_t record_id(const record_kind *k, const void *rec)
{
    int64_t v;
    memcpy(&v, (const char *)rec + k->id_offset, sizeof v);
    return v;
}

int64_t record_revision(const record_kind *k, const void *rec)
{
    int64_t v;
    memcpy(&v, (const char *)rec + k->revision_offset, sizeof v);
    return v;
}

static void record_set_i64(void *rec, size_t offset, int64_t v)
{
    memcpy((char *)rec + offset, &v, sizeof v);
}

int record_field_index(const record_kind *k, const char *column)
{
    for (size_t i = 0; i < k->nfields; i++)
        if (strcmp(k->fields[i].column, column) == 0)
            return (int)i;
    return -1;
}

bool field_is_int(const field_def *f)
{
    return f->type == FLD_REF || f->type == FLD_INT || f->type == FLD_MONEY ||
           f->type == FLD_MINUTES;
}

char *field_str(const field_def *f, void *rec)
{
    return (char *)rec + f->offset;
}

/* An int member (a resident's sex) or an int64_t one. */
int64_t field_int(const field_def *f, const void *rec)
{
    if (f->size == sizeof(int)) {
        int i;
        memcpy(&i, (const char *)rec + f->offset, sizeof i);
        return i;
    }
    int64_t v;
    memcpy(&v, (const char *)rec + f->offset, sizeof v);
    return v;
}

void field_set_int(const field_def *f, void *rec, int64_t v)
{
    if (f->size == sizeof(int)) {
        int i = (int)v;
        memcpy((char *)rec + f->offset, &i, sizeof i);
        return;
    }
    record_set_i64(rec, f->offset, v);
}

void record_init(const record_kind *k, void *rec)
{
    memset(rec, 0, k->size);
}

void record_new(station *st, const record_kind *k, void *rec)
{
    record_init(k, rec);
    if (k->hooks.defaults)
        k->hooks.defaults(st, rec);
}

/* ------------------------------------------------------------ SQL, once */

static char *sql_cat(char *s, const char *add)
{
    size_t a = s ? strlen(s) : 0, b = strlen(add);
    char *r = realloc(s, a + b + 1);
    if (!r) {
        free(s);
        return NULL;
    }
    memcpy(r + a, add, b + 1);
    return r;
}

/* printf into a fresh string appended to s (as long as it takes: a kind
 * with a long name and table made the search's count longer than a fixed
 * buffer, cut it and failed every count). */
static char *sql_catf(char *s, const char *fmt, const char *a, const char *b)
{
    /* Sized to fit: a long kind name makes the search condition long. */
    int n = snprintf(NULL, 0, fmt, a, b);
    char *buf = s && n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!buf) {
        free(s);
        return NULL;
    }
    snprintf(buf, (size_t)n + 1, fmt, a, b);
    char *r = sql_cat(s, buf);
    free(buf);
    return r;
}

/* A fresh string from a format with two string arguments. */
static char *sql_fmt(const char *fmt, const char *a, const char *b)
{
    return sql_catf(sql_cat(NULL, ""), fmt, a, b);
}

static const char *kind_order(const record_kind *k)
{
    return k->order ? k->order : k->sort_by_pinyin ? "sort_key" : k->fields[k->title_field].column;
}

/* "c1, c2, ..." of the fields. */
static char *sql_columns(const record_kind *k, const char *prefix)
{
    char *s = sql_cat(NULL, "");
    for (size_t i = 0; s && i < k->nfields; i++)
        s = sql_catf(s, i ? ", %s%s" : "%s%s", prefix, k->fields[i].column);
    return s;
}

/* The parameter of derived column j: after id, the fields, the sort key,
 * the time and the revision. */
static size_t record_derived_param(const record_kind *k, size_t j)
{
    return k->nfields + 5 + j;
}

static char *sql_build_insert(const record_kind *k)
{
    char *cols = sql_columns(k, "");
    char *s = sql_catf(sql_cat(NULL, ""), "INSERT INTO %s(id, %s", k->table, "");
    s = s ? sql_cat(s, cols ? cols : "") : NULL;
    free(cols);
    s = s ? sql_cat(s, k->sort_by_pinyin ? ", sort_key" : "") : NULL;
    for (size_t j = 0; s && j < k->nderived; j++)
        s = sql_catf(s, ", %s%s", k->derived[j].column, "");
    s = s ? sql_cat(s, ", revision, created_at, updated_at) VALUES (?1") : NULL;
    char p[48];
    for (size_t i = 0; s && i < k->nfields; i++) {
        snprintf(p, sizeof p, ", ?%zu", i + 2);
        s = sql_cat(s, p);
    }
    if (s && k->sort_by_pinyin) {
        snprintf(p, sizeof p, ", ?%zu", k->nfields + 2);
        s = sql_cat(s, p);
    }
    for (size_t j = 0; s && j < k->nderived; j++) {
        snprintf(p, sizeof p, ", ?%zu", record_derived_param(k, j));
        s = k->derived[j].insert_sql ? sql_catf(s, ", (%s)%s", k->derived[j].insert_sql, "")
                                     : sql_cat(s, p);
    }
    snprintf(p, sizeof p, ", 1, ?%zu, ?%zu)", k->nfields + 3, k->nfields + 3);
    return s ? sql_cat(s, p) : NULL;
}

static char *sql_build_update(const record_kind *k)
{
    char *s = sql_catf(sql_cat(NULL, ""), "UPDATE %s SET %s", k->table, "");
    char p[256];
    for (size_t i = 0; s && i < k->nfields; i++) {
        snprintf(p, sizeof p, "%s%s = ?%zu", i ? ", " : "", k->fields[i].column, i + 2);
        s = sql_cat(s, p);
    }
    if (s && k->sort_by_pinyin) {
        snprintf(p, sizeof p, ", sort_key = ?%zu", k->nfields + 2);
        s = sql_cat(s, p);
    }
    for (size_t j = 0; s && j < k->nderived; j++) {
        if (k->derived[j].insert_sql)
            continue; /* written once */
        snprintf(p, sizeof p, ", %s = ?%zu", k->derived[j].column, record_derived_param(k, j));
        s = sql_cat(s, p);
    }
    snprintf(p, sizeof p,
             ", revision = revision + 1, updated_at = ?%zu"
             " WHERE id = ?1 AND revision = ?%zu AND deleted_at IS NULL",
             k->nfields + 3, k->nfields + 4);
    return s ? sql_cat(s, p) : NULL;
}

static char *sql_build_json(const record_kind *k)
{
    char *s = sql_cat(NULL, "SELECT json_object('id', id");
    for (size_t i = 0; s && i < k->nfields; i++)
        s = sql_catf(s, ", '%s', %s", k->fields[i].column, k->fields[i].column);
    s = s ? sql_cat(s, ", 'deleted_at', deleted_at") : NULL;
    if (s && k->audit_extra)
        s = sql_cat(s, k->audit_extra);
    return s ? sql_catf(s, ") FROM %s WHERE id = ?1%s", k->table, "") : NULL;
}

static char *sql_build_select(const record_kind *k)
{
    char *cols = sql_columns(k, "");
    char *s = sql_cat(NULL, "SELECT id, revision, ");
    s = s ? sql_cat(s, cols ? cols : "") : NULL;
    free(cols);
    return s ? sql_catf(s, " FROM %s%s", k->table, "") : NULL;
}

/* The search box's condition (RECORD_TERMS_MATCH for this kind). */
static char *sql_terms_match(const record_kind *k)
{
    char *s = sql_fmt("(?1 IS NULL OR id IN (SELECT id FROM record_terms WHERE kind = (SELECT code"
                      " FROM record_kind_codes WHERE name = '%s') AND term = ?1)%s", k->name, "");
    /* The query's prefix range, then its grams' (all four). */
    const char *lo[] = {"30", "5", "6", "7", "8"}, *hi[] = {"31", "32", "33", "34", "35"};
    for (size_t p = 0; s && p < 5; p++) {
        s = sql_cat(s, p == 0 ? " OR " : p == 1 ? " OR (?5 IS NOT NULL AND " : " AND ");
        s = s ? sql_catf(s, "id IN (SELECT id FROM record_terms WHERE kind = (SELECT code FROM"
                            " record_kind_codes WHERE name = '%s')%s", k->name, "")
              : NULL;
        s = s ? sql_catf(s, " AND term >= ?%s AND term < ?%s)", lo[p], hi[p]) : NULL;
    }
    return s ? sql_cat(s, "))") : NULL;
}

/* Paging, one statement per way (LIST_WAYS: LIST_AFTER, LIST_BACK and
 * LIST_BIN together): ?1 term (NULL: no filter) and ?5..?8 its grams, ?2
 * after, ?3 limit; ?9 the parent when `parent` names its column. The bin
 * or the live rows are written into the statement, not bound: a live
 * list's page is then a search of the kind's index on its order (its
 * condition is deleted_at IS NULL), not a sort of the whole table. */
static char *sql_build_list(const record_kind *k, const char *select, int way,
                            const char *parent, const char *cond)
{
    const char *ord = kind_order(k);
    bool after = way & LIST_AFTER;
    int dir = way & LIST_BACK ? -1 : 1;
    /* A word's condition instead of the search box's terms. */
    char *match = cond ? sql_fmt("(%s)%s", cond, "") : sql_terms_match(k);
    char *s = sql_cat(sql_cat(NULL, select), way & LIST_BIN ? " WHERE deleted_at IS NOT NULL AND "
                                                            : " WHERE deleted_at IS NULL AND ");
    if (k->newest_first)
        dir = -dir;
    if (s && parent)
        s = sql_catf(s, "%s = ?9 AND %s", parent, "");
    if (s && k->scope)
        s = sql_catf(s, "(?10 IS NULL OR (%s)) AND %s", k->scope, "");
    s = s && match ? sql_cat(s, match) : NULL;
    free(match);
    if (s && after)
        s = sql_catf(s, dir > 0 ? " AND (%s, id) > ((SELECT %s FROM " : " AND (%s, id) < ((SELECT %s FROM ",
                     ord, ord);
    if (s && after)
        s = sql_catf(s, "%s WHERE id = ?2), ?2)", k->table, "");
    if (s)
        s = sql_catf(s, dir > 0 ? " ORDER BY %s, id LIMIT ?3" : " ORDER BY %s DESC, id DESC LIMIT ?3",
                     ord, "");
    return s;
}

static struct kind_sql *kind_sql_get(const record_kind *k);

bool kind_sql_ready(const record_kind *k)
{
    return kind_sql_get(k) != NULL;
}

static struct kind_sql *kind_sql_get(const record_kind *k)
{
    struct kind_sql *q = k->sql;
    if (q->built)
        return q;
    q->insert = sql_build_insert(k);
    q->update = sql_build_update(k);
    q->json = sql_build_json(k);
    q->select = sql_build_select(k);
    q->load = sql_cat(sql_cat(NULL, q->select ? q->select : ""),
                      " WHERE id = ?1 AND (deleted_at IS NOT NULL) = ?2");
    q->audit = sql_catf(sql_cat(NULL, "INSERT INTO audit_log(at, actor, table_name, row_id,"
                                      " action, before, after) VALUES (?2, ?3, "),
                        "'%s', ?1, ?5, ?6, (%s", k->table, "");
    q->audit = q->audit ? sql_cat(sql_cat(q->audit, q->json ? q->json : ""), "))") : NULL;
    for (int i = 0; i < LIST_WAYS; i++)
        q->list[i] = q->select ? sql_build_list(k, q->select, i, NULL, NULL) : NULL;
    char *match = sql_terms_match(k);
    q->count = sql_fmt("SELECT count(*) FROM %s WHERE (deleted_at IS NOT NULL) = ?2 AND %s",
                       k->table, match ? match : "0");
    if (q->count && k->scope)
        q->count = sql_catf(q->count, " AND (?10 IS NULL OR (%s))%s", k->scope, "");
    q->scoped = k->scope ? sql_fmt("SELECT 1 FROM %s WHERE id = ?1 AND (?10 IS NULL OR (%s))",
                                   k->table, k->scope)
                         : NULL;
    free(match);
    q->alive = sql_fmt("SELECT 1 FROM %s WHERE id = ?1 AND id <> ?2 AND deleted_at IS NULL%s",
                       k->table, "");
    q->title = sql_fmt("SELECT %s FROM %s WHERE id = ?1", k->fields[k->title_field].column,
                       k->table);
    q->remove = sql_fmt("UPDATE %s SET deleted_at = ?2, updated_at = ?2, revision = revision + 1"
                        " WHERE id = ?1 AND deleted_at IS NULL%s", k->table, "");
    q->restore = sql_fmt("UPDATE %s SET deleted_at = NULL, updated_at = ?2, revision = revision"
                         " + 1 WHERE id = ?1 AND deleted_at IS NOT NULL%s", k->table, "");
    q->unique = calloc(k->nfields, sizeof *q->unique);
    q->find = calloc(k->nfields, sizeof *q->find);
    q->ref = calloc(k->nfields, sizeof *q->ref);
    q->in_list = calloc(k->nfields * LIST_WAYS, sizeof *q->in_list);
    q->in_count = calloc(k->nfields, sizeof *q->in_count);
    bool ok = q->unique && q->find && q->ref && q->in_list && q->in_count;
    for (size_t i = 0; ok && i < k->nfields; i++) {
        const field_def *f = &k->fields[i];
        if (f->flags & FF_UNIQUE)
            ok = (q->unique[i] = sql_fmt("SELECT 1 FROM %s WHERE %s = ?1 AND id <> ?2 AND"
                                         " deleted_at IS NULL", k->table, f->column)) != NULL &&
                 (q->find[i] = sql_fmt("SELECT id FROM %s WHERE %s = ?1 AND"
                                       " deleted_at IS NULL", k->table, f->column)) != NULL;
        if (ok && f->type == FLD_REF)
            ok = (q->ref[i] = sql_fmt("SELECT 1 FROM %s WHERE id = ?1 AND id <> ?2 AND"
                                      " deleted_at IS NULL%s", field_ref(f)->table, "")) != NULL;
        /* The records of one parent (record_list_in): ?9 the parent. */
        for (int w = 0; ok && f->type == FLD_REF && q->select && w < LIST_WAYS; w++)
            ok = (q->in_list[i * LIST_WAYS + w] = sql_build_list(k, q->select, w, f->column,
                                                                 NULL)) != NULL;
        if (ok && f->type == FLD_REF) {
            char *match = sql_terms_match(k);
            q->in_count[i] = match ? sql_fmt("SELECT count(*) FROM %s WHERE"
                                             " (deleted_at IS NOT NULL) = ?2 AND %s = ?9 AND ",
                                             k->table, f->column)
                                   : NULL;
            q->in_count[i] = q->in_count[i] ? sql_cat(q->in_count[i], match) : NULL;
            if (q->in_count[i] && k->scope)
                q->in_count[i] = sql_catf(q->in_count[i], " AND (?10 IS NULL OR (%s))%s",
                                          k->scope, "");
            free(match);
            ok = q->in_count[i] != NULL;
        }
    }
    size_t nwords = 0;
    while (k->words && k->words[nwords].label)
        nwords++;
    q->word_list = calloc(nwords * LIST_WAYS + 1, sizeof *q->word_list);
    q->word_count = calloc(nwords + 1, sizeof *q->word_count);
    ok = ok && q->word_list && q->word_count;
    for (size_t w = 0; ok && w < nwords; w++) {
        for (int i = 0; ok && i < LIST_WAYS; i++)
            ok = (q->word_list[w * LIST_WAYS + i] = sql_build_list(k, q->select, i, NULL,
                                                                   k->words[w].sql)) != NULL;
        q->word_count[w] = ok ? sql_fmt("SELECT count(*) FROM %s WHERE (deleted_at IS NOT NULL)"
                                        " = ?2 AND (%s)", k->table, k->words[w].sql) : NULL;
        if (q->word_count[w] && k->scope)
            q->word_count[w] = sql_catf(q->word_count[w], " AND (?10 IS NULL OR (%s))%s",
                                        k->scope, "");
        ok = q->word_count[w] != NULL;
    }
    for (int i = 0; i < LIST_WAYS; i++)
        ok = ok && q->list[i];
    q->built = ok && q->insert && q->update && q->json && q->select && q->load && q->audit &&
               q->count && q->alive && q->title && q->remove && q->restore &&
               (!k->scope || q->scoped);
    return q->built ? q : NULL;
}

/* ---------------------------------------------------------- scope */

/* The account whose scope limits the rows (?10): 0 when the kind has no
 * scope or the role sees every row; -1 (no rows) when nobody is logged in. */
static int64_t record_scope_account(station *st, const record_kind *k)
{
    if (!k->scope || station_can(st, k->scope_all))
        return 0;
    const account *a = station_account(st);
    return a ? a->id : -1;
}

static void record_scope_bind(sqlite3_stmt *q, station *st, const record_kind *k)
{
    if (!k->scope)
        return;
    int64_t who = record_scope_account(st, k);
    if (who)
        sqlite3_bind_int64(q, 10, who);
    else
        sqlite3_bind_null(q, 10);
}

/* WS_OK when row id is in the scope of whoever is logged in; otherwise
 * WS_ERR_DENIED, recorded in the access log. */
ws_status record_scope_check(station *st, const record_kind *k, int64_t id)
{
    if (!k->scope || !id || !record_scope_account(st, k))
        return WS_OK;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, k->sql->scoped);
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, id);
    record_scope_bind(q, st, k);
    int rc = sqlite3_step(q);
    db_reset(q);
    if (rc == SQLITE_ROW)
        return WS_OK;
    if (rc != SQLITE_DONE)
        return db_status_from(rc);
    access_log(st, &(access_entry){.event = EV_DENIED, .table = k->table, .row = id,
                                   .detail = "{\"scope\":1}"});
    return WS_ERR_DENIED;
}

/* ------------------------------------------------------------ validation */

ws_status record_fail(record_error *re, int field, val_status code, const char *detail)
{
    re->field = field;
    re->code = code;
    snprintf(re->detail, sizeof re->detail, "%s", detail ? detail : "");
    return WS_ERR_INVALID;
}

/* Leading and trailing spaces (ASCII and the ideographic space) go. */
static void trim(char *s)
{
    size_t n = strlen(s), a = 0;
    for (;;) {
        if (a < n && (s[a] == ' ' || s[a] == '\t'))
            a++;
        else if (n - a >= 3 && memcmp(s + a, "\xe3\x80\x80", 3) == 0)
            a += 3;
        else
            break;
    }
    for (;;) {
        if (n > a && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
            n--;
        else if (n - a >= 3 && memcmp(s + n - 3, "\xe3\x80\x80", 3) == 0)
            n -= 3;
        else
            break;
    }
    memmove(s, s + a, n - a);
    s[n - a] = '\0';
}

static size_t count_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static bool has_control(const char *s, bool newlines)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 32 && !(newlines && *p == '\n')) || *p == 127)
            return true;
    return !text_valid_utf8(s, strlen(s)) || (!newlines && text_has_control(s));
}

void record_code_labels(station *st, const char *list, char *out, size_t outsz)
{
    out[0] = '\0';
    const code_list *cl = codebook_list(station_codes(st), list);
    for (size_t c = 0; cl && c < cl->n; c++) {
        size_t used = strlen(out);
        if (used + 1 >= outsz)
            break;
        snprintf(out + used, outsz - used, "%s%s", c ? "、" : "", code_label(&cl->items[c], 0));
    }
}

static bool codes_valid(station *st, const char *list, const char *value)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", value);
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
        if (!codebook_find(station_codes(st), list, t))
            return false;
    return true;
}

/* "8:30", "08:30" or "0830" as "08:30"; false when not a time of day. */
static bool time_of_day(char *v, size_t size)
{
    int h, m, n = 0;
    size_t len = strlen(v);
    if (sscanf(v, "%d:%d%n", &h, &m, &n) == 2 && (size_t)n == len && len >= 4 && len <= 5)
        ;
    else if (len == 4 && strspn(v, "0123456789") == 4 && sscanf(v, "%2d%2d", &h, &m) == 2)
        ;
    else
        return false;
    if (h < 0 || h > 23 || m < 0 || m > 59)
        return false;
    snprintf(v, size, "%02d:%02d", h, m);
    return true;
}

static ws_status check_string(station *st, const record_kind *k, int i, char *v,
                              record_error *re)
{
    const field_def *f = &k->fields[i];
    val_status vs;
    char norm[32];
    if (f->type != FLD_MULTILINE)
        trim(v);
    if (!*v)
        return f->flags & FF_REQUIRED ? record_fail(re, i, VAL_REQUIRED, NULL) : WS_OK;
    if (has_control(v, f->type == FLD_MULTILINE))
        return record_fail(re, i, VAL_CONTROL, NULL);
    size_t limit = f->limit > 0 ? (size_t)f->limit : f->size - 1;
    if (f->type != FLD_DIGITS && count_chars(v) > limit) {
        char lim[24];
        snprintf(lim, sizeof lim, "%zu", limit);
        return record_fail(re, i, VAL_TOO_LONG, lim);
    }
    switch (f->type) {
    case FLD_ID_NUMBER: {
        val_id id;
        char today[11];
        date_today(today);
        if ((vs = val_id_number(v, today, &id)) != VAL_OK)
            return record_fail(re, i, vs, NULL);
        snprintf(v, f->size, "%s", id.number);
        break;
    }
    case FLD_PHONE:
        if ((vs = val_phone(v, norm, sizeof norm)) != VAL_OK)
            return record_fail(re, i, vs, NULL);
        snprintf(v, f->size, "%s", norm);
        break;
    case FLD_DATE: {
        char today[11], out[11];
        date_today(today);
        if ((vs = val_date(v, today, !(f->flags & FF_FUTURE), out)) != VAL_OK)
            return record_fail(re, i, vs, NULL);
        snprintf(v, f->size, "%s", out);
        break;
    }
    case FLD_CODE:
        if (!codebook_find(station_codes(st), f->codes, v)) {
            /* Name what may be chosen: a ledger's error file is fixed in WPS. */
            char labels[sizeof re->detail];
            record_code_labels(st, f->codes, labels, sizeof labels);
            return record_fail(re, i, VAL_NOT_IN_LIST, labels);
        }
        break;
    case FLD_TIME:
        if (!time_of_day(v, f->size))
            return record_fail(re, i, VAL_TIME, NULL);
        break;
    case FLD_CODES:
        if (!codes_valid(st, f->codes, v))
            return record_fail(re, i, VAL_UNKNOWN_CODE, NULL);
        break;
    case FLD_DIGITS: {
        size_t n = strlen(v);
        bool digits = n == (size_t)f->limit;
        for (size_t c = 0; digits && c < n; c++)
            digits = v[c] >= '0' && v[c] <= '9';
        if (!digits) {
            char lim[24];
            snprintf(lim, sizeof lim, "%d", f->limit);
            return record_fail(re, i, VAL_DIGITS, lim);
        }
        break;
    }
    default:
        break;
    }
    return WS_OK;
}

void record_normal_text(station *st, const record_kind *k, int field, const char *in,
                        char *out, size_t outsz)
{
    const field_def *f = &k->fields[field];
    snprintf(out, outsz, "%s", in);
    if (f->type == FLD_DATE) {
        /* Any form val_date reads (2026/11/5, 2026年11月9日), even one the
         * field refuses (a future day): the save then says why. */
        char today[11], d[11];
        date_today(today);
        val_date(in, today, false, d);
        if (d[0])
            snprintf(out, outsz, "%s", d);
        return;
    }
    if (f->type != FLD_ID_NUMBER && f->type != FLD_PHONE && f->type != FLD_TIME) {
        if (f->type != FLD_MULTILINE)
            trim(out);
        return;
    }
    char v[256];
    record_error re;
    snprintf(v, sizeof v, "%s", in);
    if (f->size <= sizeof v && check_string(st, k, field, v, &re) == WS_OK)
        snprintf(out, outsz, "%s", v);
}

/* A number within the field's declared range. */
static ws_status check_range(const record_kind *k, int i, void *rec, record_error *re)
{
    const field_def *f = &k->fields[i];
    int64_t v = field_int(f, rec);
    if ((f->min || f->max) && (v < f->min || v > f->max)) {
        char range[64];
        snprintf(range, sizeof range, "%lld–%lld", (long long)f->min, (long long)f->max);
        return record_fail(re, i, VAL_RANGE, range);
    }
    return WS_OK;
}

static ws_status check_unique(db *d, const record_kind *k, int i, void *rec, record_error *re)
{
    const field_def *f = &k->fields[i];
    const char *sql = k->sql->unique[i];
    bool found = false;
    ws_status s;
    if (field_is_int(f))
        s = db_exists_i64(d, sql, field_int(f, rec), record_id(k, rec), &found);
    else
        s = db_exists_text(d, sql, field_str(f, rec), record_id(k, rec), &found);
    /* Whose it is (a volunteer's ID number: 王小明's), not only the value. */
    int who = record_name_field(k);
    if (s == WS_OK && found && i != who && !field_is_int(f)) {
        char sql2[512], title[256] = "";
        snprintf(sql2, sizeof sql2, "SELECT %s FROM %s WHERE %s = ?1 AND id <> ?2"
                 " AND deleted_at IS NULL LIMIT 1", k->fields[who].column, k->table,
                 f->column);
        sqlite3_stmt *q = NULL; /* built from the declaration, never from user text */
        if (sqlite3_prepare_v2(db_handle(d), sql2, -1, &q, NULL) == SQLITE_OK) {
            db_bind_text(q, 1, field_str(f, rec));
            sqlite3_bind_int64(q, 2, record_id(k, rec));
            if (sqlite3_step(q) == SQLITE_ROW)
                db_column_copy(q, 0, title, sizeof title);
            sqlite3_finalize(q);
        }
        if (title[0])
            return record_fail(re, i, VAL_DUPLICATE_OF, title);
    }
    if (s == WS_OK && found)
        return record_fail(re, i, VAL_DUPLICATE, field_is_int(f) ? NULL : field_str(f, rec));
    return s;
}

static ws_status check_ref(db *d, const record_kind *k, int i, void *rec, record_error *re)
{
    const field_def *f = &k->fields[i];
    int64_t v = field_int(f, rec);
    if (!v)
        return f->flags & FF_REQUIRED ? record_fail(re, i, VAL_REQUIRED, NULL) : WS_OK;
    bool found = false;
    ws_status s = db_exists_i64(d, k->sql->ref[i], v, field_ref(f) == k ? record_id(k, rec) : 0, &found);
    if (s == WS_OK && !found)
        return record_fail(re, i, VAL_NOT_FOUND, NULL);
    return s;
}

ws_status record_validate(station *st, const record_kind *k, void *rec, record_error *re)
{
    memset(re, 0, sizeof *re);
    re->field = -1;
    /* Its checks use the kind's SQL (unique, references): built on first use. */
    if (!kind_sql_get(k))
        return WS_ERR_NOMEM;
    db *d = station_db(st);
    for (size_t i = 0; !k->own_checks && i < k->nfields; i++) {
        const field_def *f = &k->fields[i];
        if (f->flags & FF_NO_FORM)
            continue; /* derived by the kind's hooks */
        ws_status s = f->type == FLD_REF ? check_ref(d, k, (int)i, rec, re)
                      : field_is_int(f)  ? check_range(k, (int)i, rec, re)
                                         : check_string(st, k, (int)i, field_str(f, rec), re);
        if (s == WS_OK && (f->flags & FF_UNIQUE) &&
            (field_is_int(f) ? field_int(f, rec) != 0 : *field_str(f, rec) != '\0'))
            s = check_unique(d, k, (int)i, rec, re);
        if (s != WS_OK)
            return s;
    }
    return k->hooks.validate ? k->hooks.validate(st, rec, re) : WS_OK;
}

/* ------------------------------------------------------------ writing */

/* A field as its column stores it: an integer, a text, or NULL (a
 * reference to nothing; an empty date, ID number or digits). The row's
 * binding and its audit JSON both read it, so the two agree. */
typedef struct field_value {
    enum { FV_NULL, FV_INT, FV_TEXT } type;
    int64_t i;
    const char *s;
} field_value;

static field_value field_value_of(const field_def *f, void *rec)
{
    if (field_is_int(f)) {
        int64_t v = field_int(f, rec);
        return f->type == FLD_REF && !v ? (field_value){FV_NULL, 0, NULL}
                                        : (field_value){FV_INT, v, NULL};
    }
    const char *v = field_str(f, rec);
    bool null_empty = f->type == FLD_DATE || f->type == FLD_ID_NUMBER || f->type == FLD_DIGITS;
    return null_empty && !*v ? (field_value){FV_NULL, 0, NULL} : (field_value){FV_TEXT, 0, v};
}

static void bind_fields(sqlite3_stmt *q, const record_kind *k, void *rec)
{
    for (size_t i = 0; i < k->nfields; i++) {
        field_value v = field_value_of(&k->fields[i], rec);
        int at = (int)i + 2;
        if (v.type == FV_INT)
            sqlite3_bind_int64(q, at, v.i);
        else if (v.type == FV_TEXT)
            db_bind_text(q, at, v.s);
        else
            sqlite3_bind_null(q, at);
    }
}

/* SQLite's affinity of each field's column (its declared type's rule). */
static const bool *kind_numeric(db *d, const record_kind *k, struct kind_sql *sql)
{
    if (sql->numeric)
        return sql->numeric;
    char *q = sql_columns(k, "");
    char *text = q ? sql_fmt("SELECT %s FROM %s", q, k->table) : NULL;
    free(q);
    sqlite3_stmt *st = NULL;
    bool *num = calloc(k->nfields, sizeof *num);
    if (text && num && sqlite3_prepare_v2(db_handle(d), text, -1, &st, NULL) == SQLITE_OK) {
        for (size_t i = 0; i < k->nfields; i++) {
            const char *t = sqlite3_column_decltype(st, (int)i);
            bool text_like = !t || !*t || strcasestr(t, "CHAR") || strcasestr(t, "CLOB") ||
                             strcasestr(t, "TEXT") || strcasestr(t, "BLOB");
            num[i] = (t && strcasestr(t, "INT")) || !text_like;
        }
        sql->numeric = num;
    } else {
        free(num);
    }
    sqlite3_finalize(st);
    free(text);
    return sql->numeric;
}

/* Text as a numeric column keeps it unchanged: not a number at all. What
 * reads as one (even "007") is left to SQLite's own reading. */
static bool text_stays_text(const char *s)
{
    const char *p = s;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '+' || *p == '-')
        p++;
    return !(*p >= '0' && *p <= '9') && !(*p == '.' && p[1] >= '0' && p[1] <= '9') &&
           strncasecmp(p, "inf", 3) != 0;
}

/* The audit JSON of a living record just written, as sql->json would read
 * it (NULL: out of memory, a kind whose extra keys only SQL reads, or a
 * number kept as text in a numeric column). */
static char *record_json_of(db *d, const record_kind *k, struct kind_sql *sql, void *rec,
                            int64_t id)
{
    const bool *numeric = kind_numeric(d, k, sql);
    if (!numeric || (k->audit_extra && !k->hooks.audit_json))
        return NULL;
    record_json *j = record_json_new();
    if (!j)
        return NULL;
    record_json_int(j, "id", id);
    for (size_t i = 0; i < k->nfields; i++) {
        field_value v = field_value_of(&k->fields[i], rec);
        const char *key = k->fields[i].column;
        if (v.type == FV_TEXT && numeric[i] && !text_stays_text(v.s)) {
            record_json_free(&j);
            return NULL;
        }
        if (v.type == FV_INT)
            record_json_int(j, key, v.i);
        else if (v.type == FV_TEXT)
            record_json_str(j, key, v.s);
        else
            record_json_null(j, key);
    }
    record_json_null(j, "deleted_at");
    if (k->hooks.audit_json)
        k->hooks.audit_json(rec, j);
    return record_json_finish(&j);
}

/* Who changed the record last, and when ("王芳 于 2026-12-01 15:30"). */
void record_deleted_by(station *st, const char *table, int64_t id, char when[RECORD_CELL],
                       char who[RECORD_CELL])
{
    db *d = station_db(st);
    char at[32] = "";
    when[0] = who[0] = '\0';
    /* An account by its name, as the clerks know each other. */
    sqlite3_stmt *q = db_prepare(d, "SELECT " RECORD_ACTOR_NAME ", at FROM audit_log"
                                    " WHERE table_name = ?1 AND row_id = ?2 AND action = 'delete'"
                                    " ORDER BY id DESC LIMIT 1");
    if (!q)
        return;
    db_bind_text(q, 1, table);
    sqlite3_bind_int64(q, 2, id);
    if (sqlite3_step(q) == SQLITE_ROW) {
        db_column_copy(q, 0, who, RECORD_CELL);
        db_column_copy(q, 1, at, sizeof at);
    }
    db_reset(q);
    if (at[0])
        text_local_time(at, false, when, RECORD_CELL);
}

void record_changed_by(station *st, const char *table, int64_t id, char *out, size_t outsz)
{
    db *d = station_db(st);
    char who[128] = "", at[32] = "";
    sqlite3_stmt *q = db_prepare(d, "SELECT " RECORD_ACTOR_NAME ", at FROM audit_log"
                                    " WHERE table_name = ?1 AND row_id = ?2"
                                    " ORDER BY id DESC LIMIT 1");
    if (q) {
        db_bind_text(q, 1, table);
        sqlite3_bind_int64(q, 2, id);
        if (sqlite3_step(q) == SQLITE_ROW) {
            db_column_copy(q, 0, who, sizeof who);
            db_column_copy(q, 1, at, sizeof at);
        }
        db_reset(q);
    }
    char local[32];
    text_local_time(at, false, local, sizeof local);
    trf(out, outsz, "record.changed_by", who, local);
}

struct record_row_write {
    station *st;
    const record_kind *k;
    struct kind_sql *sql;
    sqlite3_stmt *q;
    int64_t id;
    bool insert;
    record_error *re;
};

void record_put_text(record_row_write *w, size_t i, const char *text)
{
    db_bind_text(w->q, (int)record_derived_param(w->k, i), text ? text : "");
}

void record_put_blob(record_row_write *w, size_t i, const void *data, size_t len)
{
    sqlite3_bind_blob(w->q, (int)record_derived_param(w->k, i), data, (int)len,
                      SQLITE_TRANSIENT);
}

void record_put_sort_key(record_row_write *w, const void *key, size_t len)
{
    sqlite3_bind_blob(w->q, (int)w->k->nfields + 2, key, (int)len, SQLITE_TRANSIENT);
}

ws_status record_row_run(record_row_write *w)
{
    db *d = station_db(w->st);
    int rc = sqlite3_step(w->q);
    db_reset(w->q);
    if (rc != SQLITE_DONE)
        return db_status_from(rc);
    if (w->insert || sqlite3_changes(db_handle(d)) != 0)
        return WS_OK;
    bool alive = false;
    ws_status s = db_exists_i64(d, w->sql->alive, w->id, 0, &alive);
    if (s != WS_OK)
        return s;
    if (!alive)
        return WS_ERR_NOT_FOUND; /* deleted meanwhile */
    w->re->field = -1;
    record_changed_by(w->st, w->k->table, w->id, w->re->detail, sizeof w->re->detail);
    return WS_ERR_STALE;
}

/* The title's collation key: a person's by the surname's reading (曾 zeng,
 * 查 zha), as the register sorts residents. */
static ws_status record_sort_key(const record_kind *k, void *rec, unsigned char **key,
                                 size_t *len)
{
    const char *title = field_str(&k->fields[k->title_field], rec);
    return k->title_is_person ? text_name_sort_key(title, key, len)
                              : text_sort_key(title, key, len);
}

static ws_status record_write_row(station *st, const record_kind *k, struct kind_sql *sql,
                                  void *rec, int64_t id, bool insert, record_error *re)
{
    db *d = station_db(st);
    unsigned char *key = NULL;
    size_t keylen = 0;
    ws_status s = WS_OK;
    if (k->sort_by_pinyin && !k->hooks.write_row)
        s = record_sort_key(k, rec, &key, &keylen);
    sqlite3_stmt *q = s == WS_OK ? db_prepare(d, insert ? sql->insert : sql->update) : NULL;
    if (s == WS_OK && !q)
        s = db_status(d);
    if (s == WS_OK) {
        char now[32];
        db_now(now);
        sqlite3_bind_int64(q, 1, id);
        bind_fields(q, k, rec);
        int at = (int)k->nfields + 2;
        if (k->sort_by_pinyin && !k->hooks.write_row)
            sqlite3_bind_blob(q, at, key, (int)keylen, SQLITE_TRANSIENT);
        db_bind_text(q, at + 1, now);
        if (!insert)
            sqlite3_bind_int64(q, at + 2, record_revision(k, rec));
        record_row_write w = {st, k, sql, q, id, insert, re};
        s = k->hooks.write_row ? k->hooks.write_row(st, rec, insert, &w) : record_row_run(&w);
        db_reset(q); /* a hook that failed before running it */
    }
    free(key);
    return s;
}

/* Whether a kind's search terms read a k's title through a reference
 * (a case's and a visit's search_text: the person's name), for kinds that
 * keep terms of their own. */
static bool kind_followed(const record_kind *k, const record_kind *by)
{
    if (!by->hooks.search_text || by->own_search)
        return false;
    for (size_t j = 0; j < by->nfields; j++)
        if (by->fields[j].type == FLD_REF && field_ref(&by->fields[j]) == k)
            return true;
    return false;
}

/* Known once per kind: every update asks. */
static bool kind_has_followers(const record_kind *k, struct kind_sql *sql)
{
    if (!sql->followed) {
        sql->followed = 1;
        for (size_t i = 0; i < record_nkinds; i++)
            if (kind_followed(k, record_kinds[i]))
                sql->followed = 2;
    }
    return sql->followed == 2;
}

/* Record id of k was renamed: the terms of the records that name it
 * through a reference are made again (a case found by its person's new
 * name). A rename is rare: the statements are made here, not cached. */
static ws_status record_followers_refresh(station *st, const record_kind *k, int64_t id)
{
    ws_status s = WS_OK;
    for (size_t i = 0; s == WS_OK && i < record_nkinds; i++) {
        const record_kind *by = record_kinds[i];
        if (!kind_followed(k, by))
            continue;
        for (size_t j = 0; s == WS_OK && j < by->nfields; j++) {
            const field_def *f = &by->fields[j];
            if (f->type != FLD_REF || field_ref(f) != k)
                continue;
            /* Names from the declarations, never from the file. */
            char *sql = sqlite3_mprintf("SELECT id FROM \"%w\" WHERE \"%w\" = ?1 AND"
                                        " deleted_at IS NULL", by->table, f->column);
            int64_t *ids = NULL;
            size_t n = 0;
            s = sql ? db_ids(station_db(st), sql, id, &ids, &n) : WS_ERR_NOMEM;
            sqlite3_free(sql);
            for (size_t x = 0; s == WS_OK && x < n; x++)
                s = record_terms_refresh(st, by, ids[x]);
            free(ids);
        }
    }
    return s;
}

/* Inside the caller's transaction, rec validated: the row (its id set
 * when new), its search terms, the hooks and the audit row. With same
 * (not in a bulk load), a write that changed nothing says so instead of
 * writing its audit row: the caller undoes it. */
static ws_status record_write(station *st, const record_kind *k, void *rec, record_error *re,
                              bool *same)
{
    struct kind_sql *sql = kind_sql_get(k);
    if (!sql)
        return WS_ERR_NOMEM;
    db *d = station_db(st);
    bool insert = record_id(k, rec) == 0;
    int64_t id = insert ? ids_next() : record_id(k, rec);
    char *before = NULL;
    ws_status s = WS_OK;
    if (!insert) {
        s = audit_snapshot_sql(d, sql->json, id, &before);
        if (s == WS_OK && !before)
            s = WS_ERR_NOT_FOUND;
    }
    /* The title as it was, when other kinds' terms name it. */
    char was[RECORD_CELL] = "";
    bool followed = !insert && !field_is_int(&k->fields[k->title_field]) &&
                    kind_has_followers(k, sql);
    if (s == WS_OK && followed)
        s = db_text_i64(d, sql->title, id, was, sizeof was);
    record_set_i64(rec, k->id_offset, id);
    if (s == WS_OK && k->hooks.before_write)
        s = k->hooks.before_write(st, rec, insert, re);
    if (s == WS_OK)
        s = record_write_row(st, k, sql, rec, id, insert, re);
    if (s == WS_OK)
        s = record_terms_write(st, k, id, rec, !insert); /* a new id has none */
    if (s == WS_OK && k->hooks.after_write)
        s = k->hooks.after_write(st, rec, insert, re);
    if (s == WS_OK && followed && strcmp(was, field_str(&k->fields[k->title_field], rec)) != 0)
        s = record_followers_refresh(st, k, id);
    /* A save that changes nothing writes nothing (no audit row, no new
     * revision). (Not in a bulk load: an inner level undone there fails
     * the load.) */
    if (same)
        *same = false;
    if (s == WS_OK && same && before && !db_is_bulk(d)) {
        char *now = NULL;
        s = audit_snapshot_sql(d, sql->json, id, &now);
        *same = s == WS_OK && now && strcmp(before, now) == 0;
        free(now);
    }
    if (s == WS_OK && !(same && *same)) {
        audit_action act = insert ? AUDIT_INSERT : AUDIT_UPDATE;
        char *after = record_json_of(d, k, sql, rec, id);
        s = after ? audit_event(d, station_actor(st), k->table, id, act, before, after)
                  : audit_write_sql(d, sql->audit, station_actor(st), id, act, before);
        free(after);
    }
    free(before);
    return s;
}

static ws_status record_unmask_kept(station *st, const record_kind *k, void *rec);

ws_status record_store(station *st, const record_kind *k, void *rec, record_error *re)
{
    memset(re, 0, sizeof *re);
    re->field = -1;
    ws_status s = record_unmask_kept(st, k, rec);
    return s == WS_OK ? record_write(st, k, rec, re, NULL) : s;
}

ws_status record_save(station *st, const record_kind *k, void *rec, record_error *re)
{
    return record_save_as(st, k, rec, re, false);
}

ws_status record_save_as(station *st, const record_kind *k, void *rec, record_error *re,
                         bool bootstrap)
{
    struct kind_sql *sql = kind_sql_get(k);
    memset(re, 0, sizeof *re);
    re->field = -1;
    ws_status denied = bootstrap ? WS_OK : station_require(st, k->write_perm);
    if (denied == WS_OK && sql && !bootstrap)
        denied = record_scope_check(st, k, record_id(k, rec));
    if (denied != WS_OK)
        return denied;
    /* Work on a copy: a refused save leaves the caller's record as typed;
     * a saved one gets the normalised values, its id and revision. */
    void *work = sql ? malloc(k->size) : NULL;
    if (!work)
        return WS_ERR_NOMEM;
    memcpy(work, rec, k->size);
    db *d = station_db(st);
    ws_status s = db_begin(d);
    if (s != WS_OK) {
        free(work);
        return s;
    }
    bool insert = record_id(k, work) == 0;
    s = record_unmask_kept(st, k, work);
    /* A posted entry stays as it was written: a correction is a new one. */
    if (s == WS_OK)
        s = !insert && k->posted ? record_fail(re, -1, VAL_POSTED, NULL)
                                 : record_validate(st, k, work, re);
    bool same = false;
    if (s == WS_OK)
        s = record_write(st, k, work, re, &same);
    if (same) {
        db_rollback(d);
        memcpy(rec, work, k->size); /* normalised as saved; the revision as loaded */
        free(work);
        return WS_OK;
    }
    s = db_end(d, s);
    if (s == WS_OK) {
        record_set_i64(work, k->revision_offset, insert ? 1 : record_revision(k, work) + 1);
        memcpy(rec, work, k->size);
    }
    free(work);
    return s;
}

/* ---- identifiers a role sees masked ---- */

static ws_status record_load_state(station *st, const record_kind *k, int64_t id, bool deleted,
                                   void *rec);

/* The mask of a masked field's value ("" when it has none to mask). */
static bool mask_of(const field_def *f, const char *value, char *out, size_t outsz)
{
    if (!(f->flags & FF_MASKED) || !value[0])
        return false;
    if (f->type == FLD_ID_NUMBER)
        mask_id_number(value, out, outsz);
    else if (f->type == FLD_PHONE)
        mask_phone(value, out, outsz);
    else
        return false;
    return true;
}

/* A role without PERM_IDS_FULL (a 录入员, a 督导) reads a record's ID
 * numbers and phones masked, in its form as in lists; full values are a
 * recorded unmask. (Residents mask their own: own_checks.) */
static void record_mask_for_role(station *st, const record_kind *k, void *rec)
{
    if (k->own_checks || station_can(st, PERM_IDS_FULL))
        return;
    for (size_t i = 0; i < k->nfields; i++) {
        const field_def *f = &k->fields[i];
        char m[128];
        if (!field_is_int(f) && mask_of(f, field_str(f, rec), m, sizeof m))
            snprintf(field_str(f, rec), f->size, "%s", m);
    }
}

/* What a form sends back masked is the value saved before: put back, so a
 * save keeps it; a value typed anew is taken as typed. */
static ws_status record_unmask_kept(station *st, const record_kind *k, void *rec)
{
    int64_t id = record_id(k, rec);
    if (k->own_checks || !id)
        return WS_OK;
    void *stored = NULL;
    ws_status s = WS_OK;
    for (size_t i = 0; s == WS_OK && i < k->nfields; i++) {
        const field_def *f = &k->fields[i];
        if (field_is_int(f) || !(f->flags & FF_MASKED) || !strchr(field_str(f, rec), '*'))
            continue;
        if (!stored) {
            if (!(stored = malloc(k->size)))
                return WS_ERR_NOMEM;
            s = record_load_state(st, k, id, false, stored);
        }
        char m[128];
        if (s == WS_OK && mask_of(f, field_str(f, stored), m, sizeof m) &&
            strcmp(m, field_str(f, rec)) == 0)
            snprintf(field_str(f, rec), f->size, "%s", field_str(f, stored));
    }
    free(stored);
    return s == WS_ERR_NOT_FOUND ? WS_OK : s; /* gone: the write says so */
}

static void read_fields(sqlite3_stmt *q, const record_kind *k, void *rec)
{
    record_set_i64(rec, k->id_offset, sqlite3_column_int64(q, 0));
    record_set_i64(rec, k->revision_offset, sqlite3_column_int64(q, 1));
    for (size_t i = 0; i < k->nfields; i++) {
        const field_def *f = &k->fields[i];
        if (field_is_int(f))
            field_set_int(f, rec, sqlite3_column_int64(q, (int)i + 2));
        else
            db_column_copy(q, (int)i + 2, field_str(f, rec), f->size);
    }
}

static ws_status record_load_state(station *st, const record_kind *k, int64_t id, bool deleted,
                                   void *rec);

ws_status record_load_row(station *st, const record_kind *k, int64_t id, void *rec)
{
    return record_load_state(st, k, id, false, rec);
}

ws_status record_load_deleted(station *st, const record_kind *k, int64_t id, void *rec)
{
    return record_load_state(st, k, id, true, rec);
}

static ws_status record_load_state(station *st, const record_kind *k, int64_t id, bool deleted,
                                   void *rec)
{
    struct kind_sql *sql = kind_sql_get(k);
    record_init(k, rec);
    if (!sql)
        return WS_ERR_NOMEM;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, sql->load);
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int(q, 2, deleted);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        read_fields(q, k, rec);
    db_reset(q);
    if (rc == SQLITE_ROW)
        return k->hooks.load ? k->hooks.load(st, rec) : WS_OK;
    return rc == SQLITE_DONE ? WS_ERR_NOT_FOUND : db_status_from(rc);
}

static ws_status record_load_as(station *st, const record_kind *k, int64_t id, void *rec,
                                bool log)
{
    ws_status s = station_require(st, k->read_perm);
    if (s != WS_OK) {
        record_init(k, rec);
        return s;
    }
    if (kind_sql_get(k) && (s = record_scope_check(st, k, id)) != WS_OK) {
        record_init(k, rec);
        return s;
    }
    s = record_load_state(st, k, id, false, rec);
    if (s == WS_OK && log)
        record_mask_for_role(st, k, rec);
    if (s == WS_OK && k->log_open && log)
        s = access_log(st, &(access_entry){.event = EV_OPEN, .table = k->table, .row = id});
    return s;
}

ws_status record_load(station *st, const record_kind *k, int64_t id, void *rec)
{
    return record_load_as(st, k, id, rec, true);
}

ws_status record_read(station *st, const record_kind *k, int64_t id, void *rec)
{
    return record_load_as(st, k, id, rec, false);
}

/* Soft delete (deleting) or restore: deleted_at set or cleared, revision
 * + 1, search terms out or back, audited (a restore is an update whose
 * before has deleted_at). */
static ws_status record_set_deleted(station *st, const record_kind *k, int64_t id, bool deleting,
                                    record_error *re)
{
    struct kind_sql *sql = kind_sql_get(k);
    memset(re, 0, sizeof *re);
    re->field = -1;
    if (!sql)
        return WS_ERR_NOMEM;
    db *d = station_db(st);
    ws_status s = db_begin(d);
    if (s != WS_OK)
        return s;
    void *rec = calloc(1, k->size);
    char *before = NULL;
    if (!rec)
        s = WS_ERR_NOMEM;
    if (s == WS_OK)
        s = record_load_state(st, k, id, !deleting, rec);
    if (s == WS_OK && k->posted)
        s = record_fail(re, -1, VAL_POSTED, NULL);
    if (s == WS_OK && deleting && k->hooks.before_delete)
        s = k->hooks.before_delete(st, id, re);
    if (s == WS_OK && deleting && k->hooks.unindex)
        s = k->hooks.unindex(st, id); /* computed from the row as it still is */
    if (s == WS_OK && !deleting)
        s = record_validate(st, k, rec, re); /* a restored name may be taken now */
    if (s == WS_OK)
        s = audit_snapshot_sql(d, sql->json, id, &before);
    if (s == WS_OK) {
        char now[32];
        db_now(now);
        s = db_run_i64_text(d, deleting ? sql->remove : sql->restore, id, now);
    }
    if (s == WS_OK)
        s = deleting ? record_terms_delete(d, k, id) : record_terms_write(st, k, id, rec, false);
    if (s == WS_OK && k->hooks.after_state)
        s = k->hooks.after_state(st, id, deleting);
    if (s == WS_OK)
        s = audit_write_sql(d, sql->audit, station_actor(st), id,
                            deleting ? AUDIT_DELETE : AUDIT_UPDATE, before);
    free(before);
    free(rec);
    return db_end(d, s);
}

ws_status record_can_delete(station *st, const record_kind *k, int64_t id, record_error *re)
{
    memset(re, 0, sizeof *re);
    re->field = -1;
    if (!station_can(st, k->write_perm))
        return WS_ERR_DENIED;
    if (k->posted)
        return record_fail(re, -1, VAL_POSTED, NULL);
    if (!k->hooks.before_delete)
        return WS_OK;
    /* The rule may write (clean up) when it passes: try it and undo. */
    db *d = station_db(st);
    ws_status s = db_begin(d);
    if (s != WS_OK)
        return s;
    s = k->hooks.before_delete(st, id, re);
    db_rollback(d);
    return s;
}

ws_status record_delete(station *st, const record_kind *k, int64_t id, record_error *re)
{
    memset(re, 0, sizeof *re);
    re->field = -1;
    ws_status s = station_require(st, k->write_perm);
    if (s == WS_OK && kind_sql_get(k))
        s = record_scope_check(st, k, id);
    return s == WS_OK ? record_set_deleted(st, k, id, true, re) : s;
}

ws_status record_restore(station *st, const record_kind *k, int64_t id, record_error *re)
{
    memset(re, 0, sizeof *re);
    re->field = -1;
    ws_status s = station_require(st, k->write_perm);
    return s == WS_OK ? record_set_deleted(st, k, id, false, re) : s;
}

/* ------------------------------------------------------------ lists */

size_t record_list_fields(const record_kind *k, int *idx)
{
    size_t n = 0;
    for (size_t i = 0; i < k->nfields && n < RECORD_MAX_COLS; i++)
        if (k->fields[i].flags & FF_LIST)
            idx[n++] = (int)i;
    return n;
}

ws_status record_list(station *st, const record_kind *k, const char *filter, bool deleted,
                      int64_t after, int dir, record_row *rows, size_t max, size_t *n)
{
    return record_list_in(st, k, NULL, filter, deleted, after, dir, rows, max, n);
}

/* The word of k the search box holds alone (-1: none, it is text). */
static int record_word_of(const record_kind *k, const char *filter)
{
    if (!filter || !k->words)
        return -1;
    while (*filter == ' ')
        filter++;
    size_t n = strlen(filter);
    while (n && filter[n - 1] == ' ')
        n--;
    for (int w = 0; k->words[w].label; w++) {
        const char *label = tr(k->words[w].label);
        if (n && strlen(label) == n && strncmp(label, filter, n) == 0)
            return w;
    }
    return -1;
}

/* Whether parent names an FLD_REF field of k (NULL: no parent). */
static bool record_parent_ok(const record_kind *k, const record_parent *parent)
{
    return !parent || (parent->field >= 0 && (size_t)parent->field < k->nfields &&
                       k->fields[parent->field].type == FLD_REF);
}

ws_status record_list_in(station *st, const record_kind *k, const record_parent *parent,
                         const char *filter, bool deleted, int64_t after, int dir,
                         record_row *rows, size_t max, size_t *n)
{
    *n = 0;
    if (!record_parent_ok(k, parent))
        return WS_ERR_INVALID;
    ws_status denied = station_require(st, k->read_perm);
    if (denied != WS_OK)
        return denied;
    struct kind_sql *sql = kind_sql_get(k);
    void *rec = calloc(1, k->size);
    char *term = record_terms_query(filter);
    if (!sql || !rec) {
        free(rec);
        free(term);
        return WS_ERR_NOMEM;
    }
    db *d = station_db(st);
    int which = (after ? LIST_AFTER : 0) | (dir < 0 ? LIST_BACK : 0) | (deleted ? LIST_BIN : 0);
    int word = parent ? -1 : record_word_of(k, filter);
    char today[11];
    date_today(today);
    sqlite3_stmt *q = db_prepare(d, parent     ? sql->in_list[parent->field * LIST_WAYS + which]
                                    : word >= 0 ? sql->word_list[word * LIST_WAYS + which]
                                                : sql->list[which]);
    ws_status s = q ? WS_OK : db_status(d);
    int cols[RECORD_MAX_COLS];
    size_t ncols = record_list_fields(k, cols);
    size_t got = 0;
    void *recs = calloc(max ? max : 1, k->size);
    if (s == WS_OK && !recs)
        s = WS_ERR_NOMEM;
    if (s == WS_OK) {
        if (word >= 0)
            sqlite3_bind_text(q, 11, today, -1, SQLITE_TRANSIENT);
        else
            record_terms_bind(q, term);
        sqlite3_bind_int64(q, 2, after);
        sqlite3_bind_int64(q, 3, (sqlite3_int64)max);
        if (parent)
            sqlite3_bind_int64(q, 9, parent->id);
        record_scope_bind(q, st, k);
        int rc;
        while (got < max && (rc = sqlite3_step(q)) == SQLITE_ROW)
            read_fields(q, k, (char *)recs + got++ * k->size);
        if (got < max && rc != SQLITE_DONE)
            s = db_status_from(rc);
        db_reset(q);
    }
    /* Cells after the statement is reset: a reference's title is a query. */
    for (size_t r = 0; s == WS_OK && r < got; r++) {
        const void *one = (char *)recs + r * k->size;
        rows[r].id = record_id(k, one);
        for (size_t c = 0; c < ncols; c++)
            record_format(st, k, cols[c], one, true, rows[r].cells[c], RECORD_CELL);
        /* The recycle bin says when and by whom, after the fields. */
        if (deleted && ncols + 2 <= RECORD_MAX_COLS)
            record_deleted_by(st, k->table, rows[r].id, rows[r].cells[ncols],
                              rows[r].cells[ncols + 1]);
    }
    if (s == WS_OK)
        *n = got;
    free(recs);
    free(rec);
    free(term);
    return s;
}

ws_status record_count(station *st, const record_kind *k, const char *filter, int64_t *n)
{
    return record_count_in(st, k, NULL, filter, n);
}

ws_status record_count_in(station *st, const record_kind *k, const record_parent *parent,
                          const char *filter, int64_t *n)
{
    *n = 0;
    if (!record_parent_ok(k, parent))
        return WS_ERR_INVALID;
    ws_status denied = station_require(st, k->read_perm);
    if (denied != WS_OK)
        return denied;
    struct kind_sql *sql = kind_sql_get(k);
    char *term = record_terms_query(filter);
    if (!sql) {
        free(term);
        return WS_ERR_NOMEM;
    }
    db *d = station_db(st);
    int word = parent ? -1 : record_word_of(k, filter);
    sqlite3_stmt *q = db_prepare(d, parent     ? sql->in_count[parent->field]
                                    : word >= 0 ? sql->word_count[word]
                                                : sql->count);
    ws_status s = q ? WS_OK : db_status(d);
    if (s == WS_OK) {
        if (word >= 0) {
            char today[11];
            date_today(today);
            sqlite3_bind_text(q, 11, today, -1, SQLITE_TRANSIENT);
        } else {
            record_terms_bind(q, term);
        }
        sqlite3_bind_int(q, 2, 0);
        if (parent)
            sqlite3_bind_int64(q, 9, parent->id);
        record_scope_bind(q, st, k);
        int rc = sqlite3_step(q);
        if (rc == SQLITE_ROW)
            *n = sqlite3_column_int64(q, 0);
        else
            s = db_status_from(rc);
        db_reset(q);
    }
    free(term);
    return s;
}

ws_status record_find(station *st, const record_kind *k, int field, const char *value,
                      int64_t *id)
{
    *id = 0;
    struct kind_sql *sql = kind_sql_get(k);
    if (!sql)
        return WS_ERR_NOMEM;
    if (field < 0 || (size_t)field >= k->nfields || !sql->find[field])
        return WS_ERR_INVALID;
    ws_status s = station_require(st, k->read_perm);
    if (s != WS_OK)
        return s;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, sql->find[field]);
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, value);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(q, 0);
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

int record_name_field(const record_kind *k)
{
    for (size_t i = 0; i < k->nfields; i++)
        if (k->fields[i].type == FLD_NAME)
            return (int)i;
    return k->title_field;
}

ws_status record_name(station *st, const record_kind *k, int64_t id, char *out, size_t outsz)
{
    int f = record_name_field(k);
    if (f == k->title_field)
        return record_title(st, k, id, out, outsz);
    out[0] = '\0';
    char sql[256]; /* built from the declaration, never from user text */
    snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE id = ?1", k->fields[f].column, k->table);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db_handle(station_db(st)), sql, -1, &q, NULL) != SQLITE_OK)
        return WS_ERR_DB;
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        db_column_copy(q, 0, out, outsz);
    sqlite3_finalize(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

ws_status record_title(station *st, const record_kind *k, int64_t id, char *out, size_t outsz)
{
    out[0] = '\0';
    struct kind_sql *sql = kind_sql_get(k);
    return sql ? db_text_i64(station_db(st), sql->title, id, out, outsz) : WS_ERR_NOMEM;
}

/* ------------------------------------------------------------ the index */

/* What the terms are made of: the way terms are cut, and which fields of
 * which kinds give them. A kind or a searchable field added since the file's
 * terms were built changes it, and the terms are built again. */
#define RECORD_TERMS_CUT "7" /* 4: a number or code has no grams; 5: a name by its
                                 surname reading, pinyin after each syllable, codes
                                 by their labels; 6: the labels of both languages;
                                 7: a person's sort key by the surname's reading */

static void record_terms_version(char *out, size_t outsz)
{
    size_t used = (size_t)snprintf(out, outsz, "%s", RECORD_TERMS_CUT);
    for (size_t i = 0; i < record_nkinds && used < outsz; i++) {
        const record_kind *k = record_kinds[i];
        if (k->own_search)
            continue; /* not in record_terms */
        used += (size_t)snprintf(out + used, outsz - used, ";%s%s", k->name,
                                 k->hooks.search_text ? "+" : "");
        for (size_t f = 0; f < k->nfields && used < outsz; f++)
            if (k->fields[f].flags & FF_SEARCH)
                used += (size_t)snprintf(out + used, outsz - used, ",%s", k->fields[f].column);
    }
}

/* The kind's sort keys as this version derives them, one UPDATE a record
 * (no audit row: nothing a person typed changes); made per reindex, not
 * cached: db_prepare keeps the text's pointer. NULL when the kind keeps
 * none of a person's, or on error (s says which). */
static sqlite3_stmt *record_sort_keys_prepare(station *st, const record_kind *k, ws_status *s)
{
    *s = WS_OK;
    if (!k->title_is_person || !k->sort_by_pinyin || k->hooks.write_row)
        return NULL;
    char *sql = sqlite3_mprintf("UPDATE \"%w\" SET sort_key = ?1 WHERE id = ?2", k->table);
    sqlite3_stmt *q = NULL;
    int rc = sql ? sqlite3_prepare_v2(db_handle(station_db(st)), sql, -1, &q, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (rc != SQLITE_OK)
        *s = db_status_from(rc);
    return q;
}

static ws_status record_sort_key_write(sqlite3_stmt *q, const record_kind *k, int64_t id,
                                       void *rec)
{
    unsigned char *key = NULL;
    size_t len = 0;
    ws_status s = record_sort_key(k, rec, &key, &len);
    if (s == WS_OK) {
        sqlite3_bind_blob(q, 1, key, (int)len, SQLITE_STATIC);
        sqlite3_bind_int64(q, 2, id);
        int rc = sqlite3_step(q);
        sqlite3_reset(q);
        s = rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
    }
    free(key);
    return s;
}

static ws_status record_reindex_kind(station *st, const record_kind *k)
{
    if (k->own_search)
        return WS_OK; /* its own index is rebuilt with it (station_reindex) */
    db *d = station_db(st);
    struct kind_sql *sql = kind_sql_get(k);
    if (!sql)
        return WS_ERR_NOMEM;
    ws_status s = db_exec_text(d, "DELETE FROM record_terms WHERE kind ="
                                  " (SELECT code FROM record_kind_codes WHERE name = ?1)", k->name);
    if (s == WS_OK)
        s = db_exec_text(d, "DELETE FROM record_term_sets WHERE kind ="
                            " (SELECT code FROM record_kind_codes WHERE name = ?1)", k->name);
    /* Rows read first, terms written after: one statement at a time. */
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    sqlite3_stmt *q = s == WS_OK ? db_prepare(d, sql->list[0]) : NULL;
    if (s == WS_OK && !q)
        s = db_status(d);
    void *rec = calloc(1, k->size);
    if (s == WS_OK && !rec)
        s = WS_ERR_NOMEM;
    if (s == WS_OK) {
        sqlite3_bind_null(q, 1);
        sqlite3_bind_int64(q, 3, -1); /* no limit */
        int rc;
        while (s == WS_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
            if (n == cap) {
                int64_t *grown = realloc(ids, (cap = cap ? cap * 2 : 64) * sizeof *ids);
                if (!grown) {
                    s = WS_ERR_NOMEM;
                    break;
                }
                ids = grown;
            }
            ids[n++] = sqlite3_column_int64(q, 0);
        }
        db_reset(q);
    }
    sqlite3_stmt *keys = NULL;
    if (s == WS_OK)
        keys = record_sort_keys_prepare(st, k, &s);
    for (size_t i = 0; s == WS_OK && i < n; i++) {
        s = record_load(st, k, ids[i], rec);
        if (s == WS_OK)
            s = record_terms_write(st, k, ids[i], rec, false);
        if (s == WS_OK && keys)
            s = record_sort_key_write(keys, k, ids[i], rec);
    }
    sqlite3_finalize(keys);
    free(ids);
    free(rec);
    return s;
}

ws_status record_reindex(station *st)
{
    db *d = station_db(st);
    /* Every kind's records, whoever asked (a new version's first open
     * happens before anyone logs in). */
    station_system_begin(st);
    ws_status s = db_begin(d);
    for (size_t i = 0; s == WS_OK && i < record_nkinds; i++)
        s = record_reindex_kind(st, record_kinds[i]);
    char version[512];
    record_terms_version(version, sizeof version);
    if (s == WS_OK)
        s = db_setting_set(d, "record_terms_version", version);
    s = db_end(d, s);
    station_system_end(st);
    return s;
}

bool record_terms_made_now(station *st)
{
    char v[512] = "", want[512];
    record_terms_version(want, sizeof want);
    return db_setting_get(station_db(st), "record_terms_version", v, sizeof v) == WS_OK &&
           strcmp(v, want) == 0;
}

ws_status record_ensure(station *st)
{
    char v[512] = "", want[512];
    record_terms_version(want, sizeof want);
    ws_status s = db_setting_get(station_db(st), "record_terms_version", v, sizeof v);
    if (s == WS_OK && strcmp(v, want) == 0)
        return WS_OK;
    return s == WS_OK || s == WS_ERR_NOT_FOUND ? record_reindex(st) : s;
}

ws_status record_terms_refresh(station *st, const record_kind *k, int64_t id)
{
    void *rec = calloc(1, k->size);
    if (!rec)
        return WS_ERR_NOMEM;
    ws_status s = record_load_row(st, k, id, rec);
    if (s == WS_OK)
        s = record_terms_write(st, k, id, rec, true);
    else if (s == WS_ERR_NOT_FOUND)
        s = WS_OK; /* deleted: it has no terms */
    free(rec);
    return s;
}

ws_status record_audit_snapshot(station *st, const record_kind *k, int64_t id, char **json)
{
    struct kind_sql *sql = kind_sql_get(k);
    *json = NULL;
    return sql ? audit_snapshot_sql(station_db(st), sql->json, id, json) : WS_ERR_NOMEM;
}

ws_status record_audit_write(station *st, const record_kind *k, int64_t id, bool insert,
                             const char *before)
{
    struct kind_sql *sql = kind_sql_get(k);
    return sql ? audit_write_sql(station_db(st), sql->audit, station_actor(st), id,
                                 insert ? AUDIT_INSERT : AUDIT_UPDATE, before)
               : WS_ERR_NOMEM;
}
