/* A copy of everything held about one person (PIPL Art. 45), for an access
 * or copy request: readable text for the person, or JSON with the stored
 * codes and values. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "station_internal.h"
#include "wushe/access.h"
#include "wushe/account.h"
#include "wushe/catalog.h"
#include "wushe/codes.h"
#include "wushe/consent.h"
#include "wushe/export.h"
#include "wushe/privacy.h"
#include "wushe/record.h"
#include "wushe/resident.h"
#include "wushe/text.h"

/* ---- finding the person ---- */

ws_status privacy_find(station *st, const char *id_number, privacy_match *out, size_t max,
                       size_t *n, val_status *why)
{
    *n = 0;
    if (why)
        *why = VAL_OK;
    ws_status s = station_require(st, PERM_REGISTER_READ);
    if (s != WS_OK)
        return s;
    char today[11];
    date_today(today);
    val_id v;
    val_status vs = val_id_number(id_number ? id_number : "", today, &v);
    if (vs != VAL_OK) {
        if (why)
            *why = vs;
        return WS_ERR_INVALID;
    }
    db *d = station_db(st);
    /* Deleted rows are not in the partial index of living ID numbers: a
     * scan, for a request that comes now and then. */
    sqlite3_stmt *q = db_prepare(d,
        "SELECT r.id, r.name, r.deleted_at IS NOT NULL, coalesce(r.deleted_at, ''),"
        " coalesce(h.number, '') FROM residents r LEFT JOIN households h ON h.id = r.household_id"
        " WHERE r.id_number = ?1 AND r.erased_at IS NULL"
        " ORDER BY r.deleted_at IS NOT NULL, r.deleted_at DESC, r.id");
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, v.number);
    int rc;
    while (*n < max && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        privacy_match *m = &out[(*n)++];
        memset(m, 0, sizeof *m);
        m->id = sqlite3_column_int64(q, 0);
        db_column_copy(q, 1, m->name, sizeof m->name);
        m->deleted = sqlite3_column_int(q, 2) != 0;
        db_column_copy(q, 3, m->deleted_at, sizeof m->deleted_at);
        db_column_copy(q, 4, m->household, sizeof m->household);
    }
    db_reset(q);
    return *n == max || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* ---- a growing text ---- */

typedef struct sbuf {
    char *p;
    size_t len, cap;
    bool oom;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_str(sbuf *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

/* A catalog message with its arguments, then a line break. */
static void sb_line(sbuf *b, const char *key, ...)
{
    va_list ap;
    va_start(ap, key);
    int n = vsnprintf(NULL, 0, tr(key), ap);
    va_end(ap);
    char *line = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!line) {
        b->oom = true;
        return;
    }
    va_start(ap, key);
    vsnprintf(line, (size_t)n + 1, tr(key), ap);
    va_end(ap);
    sb_put(b, line, (size_t)n);
    sb_str(b, "\n");
    free(line);
}

/* "label：value" on a line of its own; an empty value as （无）. */
static void sb_field(sbuf *b, const char *label_key, const char *value)
{
    sb_line(b, "privacy.field", tr(label_key), value && *value ? value : tr("privacy.none"));
}

/* ---- text ---- */

static const char *code_text(station *st, const char *list, const char *code)
{
    const code_item *it = code && *code ? codebook_find(station_codes(st), list, code) : NULL;
    return it ? code_label(it, 0) : code ? code : "";
}

/* The resident's own row, in the form's words and in full. */
static ws_status subject_text_row(station *st, int64_t id, sbuf *b)
{
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT r.name, coalesce(r.id_number, ''), r.sex, coalesce(r.birth_date, ''), r.phone,"
        " r.ethnicity, coalesce(c.name, ''), coalesce(h.number, ''), r.relation, r.address,"
        " r.notes, r.created_at, coalesce(r.deleted_at, '') FROM residents r"
        " LEFT JOIN communities c ON c.id = r.community_id"
        " LEFT JOIN households h ON h.id = r.household_id WHERE r.id = ?1");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        char v[13][2048];
        for (int i = 0; i < 13; i++)
            db_column_copy(q, i, v[i], sizeof v[i]);
        char when[32] = "", state[128];
        if (v[12][0]) {
            text_local_time(v[12], false, when, sizeof when);
            trf(state, sizeof state, "privacy.state_deleted", when);
        } else {
            snprintf(state, sizeof state, "%s", tr("privacy.state_living"));
        }
        text_local_time(v[11], false, when, sizeof when);
        sb_field(b, "field.name", v[0]);
        sb_field(b, "field.id_number", v[1]);
        sb_field(b, "field.sex", code_text(st, "sex", v[2]));
        sb_field(b, "field.birth_date", v[3]);
        sb_field(b, "field.phone", v[4]);
        sb_field(b, "field.ethnicity", code_text(st, "ethnicity", v[5]));
        sb_field(b, "field.community", v[6]);
        sb_field(b, "field.household", v[7]);
        sb_field(b, "field.relation", code_text(st, "relation", v[8]));
        sb_field(b, "field.address", v[9]);
        sb_field(b, "field.notes", v[10]);
        sb_field(b, "privacy.registered", when);
        sb_field(b, "privacy.state", state);
    }
    db_reset(q);
    return rc == SQLITE_ROW ? WS_OK : rc == SQLITE_DONE ? WS_ERR_NOT_FOUND : db_status_from(rc);
}

/* Statuses, each with its dates, certificate and disability in full. */
static ws_status subject_text_groups(station *st, int64_t id, sbuf *b)
{
    db *d = station_db(st);
    sb_line(b, "privacy.section_groups");
    sqlite3_stmt *q = db_prepare(d,
        "SELECT group_code, coalesce(start_date, ''), cert_no, coalesce(review_date, ''),"
        " disability_type, disability_grade FROM resident_groups WHERE resident_id = ?1"
        " ORDER BY rowid");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, id);
    int rc, n = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        char v[6][256], parts[1200] = "";
        for (int i = 0; i < 6; i++)
            db_column_copy(q, i, v[i], sizeof v[i]);
        static const char *const labels[] = {NULL, "field.group_start", "field.group_cert",
                                             "field.group_review", "field.disability_type",
                                             "field.disability_grade"};
        static const char *const lists[] = {NULL, NULL, NULL, NULL, "disability_type",
                                            "disability_grade"};
        size_t used = 0;
        for (int i = 1; i < 6; i++) {
            if (!v[i][0])
                continue;
            const char *shown = lists[i] ? code_text(st, lists[i], v[i]) : v[i];
            int w = snprintf(parts + used, sizeof parts - used, "%s%s %s",
                             used ? tr("history.part_sep") : "", tr(labels[i]), shown);
            if (w < 0 || (size_t)w >= sizeof parts - used)
                break;
            used += (size_t)w;
        }
        sb_line(b, used ? "privacy.group_details" : "privacy.group",
                code_text(st, "vulnerable_group", v[0]), parts);
        n++;
    }
    db_reset(q);
    if (rc != SQLITE_DONE)
        return db_status_from(rc);
    if (!n)
        sb_line(b, "privacy.none");
    return WS_OK;
}

/* The household: its number, address and the other members' names and
 * relations (not their identifiers: those are theirs). */
static ws_status subject_text_household(station *st, int64_t id, sbuf *b)
{
    db *d = station_db(st);
    sb_line(b, "privacy.section_household");
    int64_t hid = 0;
    ws_status s = db_int(d, "SELECT coalesce(household_id, 0) FROM residents WHERE id = ?1", id,
                         &hid);
    if (s != WS_OK)
        return s;
    if (!hid) {
        sb_line(b, "privacy.none");
        return WS_OK;
    }
    char number[64] = "", address[512] = "";
    s = db_text_i64(d, "SELECT number FROM households WHERE id = ?1", hid, number, sizeof number);
    if (s == WS_OK)
        s = db_text_i64(d, "SELECT address FROM households WHERE id = ?1", hid, address,
                        sizeof address);
    if (s != WS_OK)
        return s;
    sb_field(b, "field.number", number);
    sb_field(b, "field.address", address);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT name, relation FROM residents WHERE household_id = ?1 AND id <> ?2"
        " AND deleted_at IS NULL ORDER BY relation <> 'head', birth_date, sort_key, id");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, hid);
    sqlite3_bind_int64(q, 2, id);
    sbuf names = {0};
    int rc, n = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        char name[192], rel[24], one[320];
        db_column_copy(q, 0, name, sizeof name);
        db_column_copy(q, 1, rel, sizeof rel);
        if (n++)
            sb_str(&names, tr("history.fields_sep"));
        sb_str(&names, trf(one, sizeof one, "privacy.member", name, code_text(st, "relation", rel)));
    }
    db_reset(q);
    sb_field(b, "privacy.members", names.p ? names.p : "");
    bool oom = names.oom;
    free(names.p);
    if (oom)
        return WS_ERR_NOMEM;
    return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* One change of the audit trail: when, who, what, then each field. */
static void subject_text_change(const record_change *c, const record_field_change *f, size_t nf,
                                sbuf *b)
{
    char when[32], action[64];
    text_local_time(c->at, false, when, sizeof when);
    snprintf(action, sizeof action, "history.action_%s", c->action);
    sb_line(b, "privacy.change", when, c->actor, tr(action));
    for (size_t i = 0; i < nf; i++) {
        const char *label = f[i].label ? tr(f[i].label) : f[i].key;
        if (f[i].had_before)
            sb_line(b, "privacy.change_field", label,
                    f[i].before[0] ? f[i].before : tr("field.none"),
                    f[i].after[0] ? f[i].after : tr("field.none"));
        else
            sb_line(b, "privacy.change_new", label, f[i].after);
    }
}

/* Fields of one change (a resident has 12, a status may make several). */
enum { SUBJECT_MAX_FIELDS = 64 };

/* The audit trail of one row, oldest first, all of it: a resident's
 * (their own details' function) or a consent's (the kind's). */
static ws_status subject_text_history(station *st, const char *table, int64_t id,
                                      const record_kind *k, sbuf *b, size_t *shown)
{
    int64_t count = 0;
    sqlite3_stmt *c = db_prepare(station_db(st),
        "SELECT count(*) FROM audit_log WHERE table_name = ?1 AND row_id = ?2");
    if (!c)
        return db_status(station_db(st));
    db_bind_text(c, 1, table);
    sqlite3_bind_int64(c, 2, id);
    if (sqlite3_step(c) == SQLITE_ROW)
        count = sqlite3_column_int64(c, 0);
    db_reset(c);
    record_change *ch = calloc((size_t)count + 1, sizeof *ch);
    record_field_change *f = calloc(SUBJECT_MAX_FIELDS, sizeof *f);
    size_t n = 0;
    ws_status s = ch && f ? record_history(st, table, id, ch, (size_t)count + 1, &n)
                          : WS_ERR_NOMEM;
    for (size_t i = n; s == WS_OK && i-- > 0;) {
        size_t nf = 0;
        s = k ? record_change_details(st, k, ch[i].audit_id, f, SUBJECT_MAX_FIELDS, &nf)
              : resident_change_details(st, ch[i].audit_id, f, SUBJECT_MAX_FIELDS, &nf);
        if (s == WS_OK)
            subject_text_change(&ch[i], f, nf, b);
    }
    if (shown)
        *shown += n;
    free(ch);
    free(f);
    return s;
}

/* Consents, deleted ones too, each with its history. */
static ws_status subject_text_consents(station *st, int64_t id, sbuf *b)
{
    db *d = station_db(st);
    sb_line(b, "privacy.section_consents");
    sqlite3_stmt *q = db_prepare(d,
        "SELECT id, coalesce(consent_date, ''), scope, giver, guardian_name, guardian_relation,"
        " reference, coalesce(withdrawn_date, ''), deleted_at IS NOT NULL FROM resident_consents"
        " WHERE resident_id = ?1 ORDER BY consent_date, id");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, id);
    int64_t max = 0;
    ws_status s = db_int(d, "SELECT count(*) FROM resident_consents WHERE resident_id = ?1", id,
                         &max);
    consent *cs = calloc((size_t)max + 1, sizeof *cs);
    bool *gone = calloc((size_t)max + 1, sizeof *gone);
    size_t n = 0;
    int rc = SQLITE_DONE;
    while (s == WS_OK && cs && gone && n < (size_t)max && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        consent *c = &cs[n];
        c->id = sqlite3_column_int64(q, 0);
        c->resident_id = id;
        db_column_copy(q, 1, c->consent_date, sizeof c->consent_date);
        db_column_copy(q, 2, c->scope, sizeof c->scope);
        db_column_copy(q, 3, c->giver, sizeof c->giver);
        db_column_copy(q, 4, c->guardian_name, sizeof c->guardian_name);
        db_column_copy(q, 5, c->guardian_relation, sizeof c->guardian_relation);
        db_column_copy(q, 6, c->reference, sizeof c->reference);
        db_column_copy(q, 7, c->withdrawn_date, sizeof c->withdrawn_date);
        gone[n++] = sqlite3_column_int(q, 8) != 0;
    }
    db_reset(q);
    if (s == WS_OK)
        s = !cs || !gone ? WS_ERR_NOMEM
            : rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
    for (size_t i = 0; s == WS_OK && i < n; i++) {
        sbuf line = {0};
        for (size_t f = 0; f < kind_consent.nfields; f++) {
            if (f == CF_RESIDENT)
                continue;
            char v[512], one[700];
            record_format(st, &kind_consent, (int)f, &cs[i], false, v, sizeof v);
            if (!v[0])
                continue;
            if (line.len)
                sb_str(&line, tr("privacy.sep"));
            sb_str(&line, trf(one, sizeof one, "privacy.pair", tr(kind_consent.fields[f].label),
                              v));
        }
        sb_line(b, gone[i] ? "privacy.consent_deleted" : "privacy.consent",
                line.p ? line.p : "");
        if (line.oom)
            s = WS_ERR_NOMEM;
        free(line.p);
        if (s == WS_OK)
            s = subject_text_history(st, kind_consent.table, cs[i].id, &kind_consent, b, NULL);
    }
    if (s == WS_OK && !n)
        sb_line(b, "privacy.none");
    free(cs);
    free(gone);
    return s;
}

/* The access log's entries about the row (unmasks, exports, this copy). */
static ws_status subject_text_access(station *st, int64_t id, sbuf *b)
{
    db *d = station_db(st);
    sb_line(b, "privacy.section_access");
    sqlite3_stmt *q = db_prepare(d,
        "SELECT l.at, coalesce(a.display_name || ' (' || a.login || ')', l.login), l.event,"
        " l.detail FROM access_log l LEFT JOIN accounts a ON a.id = l.account_id"
        " WHERE l.table_name = 'residents' AND l.row_id = ?1 ORDER BY l.id");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, id);
    int rc, n = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        char at[40], when[32], who[128], ev[32], detail[1024];
        db_column_copy(q, 0, at, sizeof at);
        db_column_copy(q, 1, who, sizeof who);
        db_column_copy(q, 2, ev, sizeof ev);
        db_column_copy(q, 3, detail, sizeof detail);
        text_local_time(at, true, when, sizeof when);
        access_event e = access_event_find(ev);
        char words[1024];
        access_detail_text(detail, words, sizeof words);
        sb_line(b, words[0] ? "privacy.access_detail" : "privacy.access", when, who,
                e < EV_COUNT ? tr(access_event_key(e)) : ev, words);
        n++;
    }
    db_reset(q);
    if (rc != SQLITE_DONE)
        return db_status_from(rc);
    if (!n)
        sb_line(b, "privacy.none");
    return WS_OK;
}

static ws_status subject_text_record(station *st, int64_t id, size_t index, size_t total,
                                     sbuf *b)
{
    sb_str(b, "\n");
    sb_line(b, "privacy.record", index, total);
    ws_status s = subject_text_row(st, id, b);
    if (s == WS_OK)
        s = subject_text_groups(st, id, b);
    if (s == WS_OK)
        s = subject_text_household(st, id, b);
    if (s == WS_OK)
        s = subject_text_consents(st, id, b);
    if (s == WS_OK) {
        sb_line(b, "privacy.section_history");
        size_t n = 0;
        s = subject_text_history(st, "residents", id, NULL, b, &n);
        if (s == WS_OK && !n)
            sb_line(b, "privacy.none");
    }
    if (s == WS_OK)
        s = subject_text_access(st, id, b);
    return s;
}

/* ---- JSON ---- */

/* One resident row and what hangs on it, as stored. Subqueries are
 * wrapped in json() so that they stay JSON inside the object. */
static const char subject_json_sql[] =
    "SELECT json_object('id', r.id, 'name', r.name, 'id_number', r.id_number, 'sex', r.sex,"
    " 'birth_date', r.birth_date, 'phone', r.phone, 'ethnicity', r.ethnicity,"
    " 'community', (SELECT name FROM communities WHERE id = r.community_id),"
    " 'relation', r.relation, 'address', r.address, 'notes', r.notes,"
    " 'created_at', r.created_at, 'updated_at', r.updated_at, 'deleted_at', r.deleted_at,"
    " 'groups', json((SELECT json_group_array(json_object('code', g.group_code,"
    "   'start_date', g.start_date, 'cert_no', g.cert_no, 'review_date', g.review_date,"
    "   'disability_type', g.disability_type, 'disability_grade', g.disability_grade))"
    "   FROM (SELECT * FROM resident_groups WHERE resident_id = r.id ORDER BY rowid) g)),"
    " 'household', json((SELECT json_object('number', h.number, 'address', h.address,"
    "   'members', json((SELECT json_group_array(json_object('name', m.name,"
    "     'relation', m.relation)) FROM (SELECT name, relation FROM residents"
    "     WHERE household_id = h.id AND id <> r.id AND deleted_at IS NULL"
    "     ORDER BY relation <> 'head', birth_date, sort_key, id) m)))"
    "   FROM households h WHERE h.id = r.household_id)),"
    " 'consents', json((SELECT json_group_array(json_object('id', c.id,"
    "   'consent_date', c.consent_date, 'scope', c.scope, 'giver', c.giver,"
    "   'guardian_name', c.guardian_name, 'guardian_relation', c.guardian_relation,"
    "   'reference', c.reference, 'withdrawn_date', c.withdrawn_date,"
    "   'created_at', c.created_at, 'deleted_at', c.deleted_at))"
    "   FROM (SELECT * FROM resident_consents WHERE resident_id = r.id"
    "   ORDER BY consent_date, id) c)),"
    " 'history', json((SELECT json_group_array(json_object('at', a.at, 'actor', a.actor,"
    "   'table', a.table_name, 'row_id', a.row_id, 'action', a.action,"
    "   'before', json(a.before), 'after', json(a.after)))"
    "   FROM (SELECT * FROM audit_log WHERE (table_name = 'residents' AND row_id = r.id)"
    "   OR (table_name = 'resident_consents' AND row_id IN"
    "   (SELECT id FROM resident_consents WHERE resident_id = r.id)) ORDER BY id) a)),"
    " 'access_log', json((SELECT json_group_array(json_object('at', l.at, 'login', l.login,"
    "   'event', l.event, 'rows', l.rows, 'detail', l.detail))"
    "   FROM (SELECT * FROM access_log WHERE table_name = 'residents' AND row_id = r.id"
    "   ORDER BY id) l)))"
    " FROM residents r WHERE r.id = ?1";

/* The whole copy: who made it, when, and the records. */
static ws_status subject_json(station *st, const char *id_number, const char *now,
                              const privacy_match *m, size_t n, sbuf *b)
{
    db *d = station_db(st);
    sbuf recs = {0};
    sb_str(&recs, "[");
    ws_status s = WS_OK;
    for (size_t i = 0; s == WS_OK && i < n; i++) {
        char *one = NULL;
        sqlite3_stmt *q = db_prepare(d, subject_json_sql);
        if (!q) {
            s = db_status(d);
            break;
        }
        sqlite3_bind_int64(q, 1, m[i].id);
        int rc = sqlite3_step(q);
        if (rc == SQLITE_ROW) {
            const char *t = (const char *)sqlite3_column_text(q, 0);
            one = strdup(t ? t : "null");
            if (!one)
                s = WS_ERR_NOMEM;
        } else {
            s = rc == SQLITE_DONE ? WS_ERR_NOT_FOUND : db_status_from(rc);
        }
        db_reset(q);
        if (s == WS_OK) {
            if (i)
                sb_str(&recs, ",");
            sb_str(&recs, one);
        }
        free(one);
    }
    sb_str(&recs, "]");
    if (s == WS_OK && recs.oom)
        s = WS_ERR_NOMEM;
    char sname[256];
    station_name(st, sname, sizeof sname);
    const account *a = station_account(st);
    sqlite3_stmt *q = s == WS_OK ? db_prepare(d,
        "SELECT json_object('format', 'wushe-subject/1', 'station', ?1, 'generated_at', ?2,"
        " 'by', ?3, 'id_number', ?4, 'records', json(?5))") : NULL;
    if (s == WS_OK && !q)
        s = db_status(d);
    if (s == WS_OK) {
        db_bind_text(q, 1, sname);
        db_bind_text(q, 2, now);
        db_bind_text(q, 3, a ? a->login : station_actor(st));
        db_bind_text(q, 4, id_number);
        sqlite3_bind_text(q, 5, recs.p, (int)recs.len, SQLITE_STATIC);
        int rc = sqlite3_step(q);
        if (rc == SQLITE_ROW) {
            sb_str(b, (const char *)sqlite3_column_text(q, 0));
            sb_str(b, "\n");
        } else {
            s = db_status_from(rc);
        }
        db_reset(q);
    }
    free(recs.p);
    return s;
}

/* ---- the copy ---- */

/* Each row's export in the access log, before anything is made. */
static ws_status subject_record(station *st, const privacy_match *m, size_t n,
                                subject_format fmt, const char *dest)
{
    db *d = station_db(st);
    char *detail = NULL;
    sqlite3_stmt *q = db_prepare(d,
        "SELECT json_object('kind', 'subject', 'format', ?1, 'file', ?2)");
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, fmt == SUBJECT_JSON ? "json" : "text");
    db_bind_text_or_null(q, 2, dest);
    ws_status s = WS_OK;
    if (sqlite3_step(q) == SQLITE_ROW) {
        detail = strdup((const char *)sqlite3_column_text(q, 0));
        if (!detail)
            s = WS_ERR_NOMEM;
    } else {
        s = db_status(d);
    }
    db_reset(q);
    bool began = s == WS_OK && (s = db_begin(d)) == WS_OK;
    for (size_t i = 0; s == WS_OK && i < n; i++)
        s = access_log(st, &(access_entry){.event = EV_EXPORT, .table = "residents",
                                           .row = m[i].id, .rows = 1, .detail = detail});
    if (began)
        s = db_end(d, s);
    free(detail);
    return s;
}

ws_status subject_export(station *st, const char *id_number, subject_format fmt,
                         const char *dest, char **out, size_t *len, size_t *records)
{
    *out = NULL;
    *len = 0;
    *records = 0;
    ws_status s = station_require(st, PERM_SUBJECT);
    if (s != WS_OK)
        return s;
    enum { MAX = 64 };
    privacy_match *m = calloc(MAX, sizeof *m);
    if (!m)
        return WS_ERR_NOMEM;
    size_t n = 0;
    s = privacy_find(st, id_number, m, MAX, &n, NULL);
    if (s == WS_OK && n == 0)
        s = WS_ERR_NOT_FOUND;
    if (s == WS_OK)
        s = subject_record(st, m, n, fmt, dest);
    char now[32];
    db_now(now);
    /* One snapshot for the whole copy. */
    db *d = station_db(st);
    bool reading = s == WS_OK && db_read_begin(d);
    sbuf b = {0};
    /* The number as stored (18 characters, upper-case X). */
    char today[11];
    val_id v;
    date_today(today);
    if (s == WS_OK && val_id_number(id_number, today, &v) != VAL_OK)
        s = WS_ERR_INVALID;
    if (s == WS_OK && fmt == SUBJECT_JSON) {
        s = subject_json(st, v.number, now, m, n, &b);
    } else if (s == WS_OK) {
        char sname[256], when[32], who[256];
        station_name(st, sname, sizeof sname);
        text_local_time(now, false, when, sizeof when);
        const account *a = station_account(st);
        if (a)
            snprintf(who, sizeof who, "%s (%s)", a->display_name, a->login);
        else
            snprintf(who, sizeof who, "%s", station_actor(st));
        sb_line(&b, "privacy.title");
        sb_line(&b, "privacy.request");
        sb_field(&b, "privacy.station", sname);
        sb_field(&b, "privacy.generated", when);
        sb_field(&b, "privacy.by", who);
        sb_field(&b, "field.id_number", v.number);
        sb_line(&b, "privacy.records", n);
        for (size_t i = 0; s == WS_OK && i < n; i++)
            s = subject_text_record(st, m[i].id, i + 1, n, &b);
        sb_str(&b, "\n");
        sb_line(&b, "privacy.end");
    }
    if (reading)
        db_read_end(d, true);
    if (s == WS_OK && b.oom)
        s = WS_ERR_NOMEM;
    if (s == WS_OK) {
        *out = b.p;
        *len = b.len;
        *records = n;
    } else {
        free(b.p);
    }
    free(m);
    return s;
}
