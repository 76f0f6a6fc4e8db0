#include "station_internal.h"

#include "search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wushe/identity.h"
#include "wushe/catalog.h"
#include "wushe/text.h"

struct station {
    db *d;
    codebook *codes;
    const station_config *cfg;
    char actor[64];
    bool trusted;
    int system; /* station_system_begin depth */
    bool logged_in;
    account who;
    int64_t (*clock)(void);
};

db *station_db(station *st)
{
    return st->d;
}

ws_status station_open(const char *db_path, unsigned flags, const station_config *cfg,
                       station **out, char *err, size_t errsz)
{
    *out = NULL;
    station *st = calloc(1, sizeof *st);
    if (!st)
        return WS_ERR_NOMEM;
    st->cfg = cfg;
    ws_status s = codebook_load_default(&st->codes, err, errsz);
    if (s == WS_OK && cfg && cfg->codes)
        s = codebook_merge(st->codes, cfg->codes);
    if (s == WS_OK) {
        unsigned dflags = 0;
        if (flags & STATION_CREATE)
            dflags |= DB_CREATE;
        if (flags & STATION_NO_MIGRATE)
            dflags |= DB_NO_MIGRATE;
        if (flags & STATION_READONLY)
            dflags |= DB_READONLY;
        s = db_open(db_path, dflags, &st->d, err, errsz);
    }
    /* An index made by an older binary (or none yet) is rebuilt once. */
    if (s == WS_OK && !(flags & (STATION_NO_MIGRATE | STATION_READONLY)) &&
        (s = search_ensure(st->d)) != WS_OK)
        snprintf(err, errsz, "%s: %s", tr(ws_status_key(s)), db_errmsg(st->d));
    if (s != WS_OK) {
        station_close(&st);
        return s;
    }
    st->trusted = (flags & STATION_TRUSTED) != 0;
    const char *who = cfg && cfg->operator_name ? cfg->operator_name : getenv("USER");
    station_set_actor(st, who && *who ? who : "clerk");
    *out = st;
    return WS_OK;
}

void station_close(station **stp)
{
    if (!stp || !*stp)
        return;
    station *st = *stp;
    db_close(&st->d);
    codebook_free(&st->codes);
    free(st);
    *stp = NULL;
}

const codebook *station_codes(const station *st)
{
    return st->codes;
}

const station_config *station_cfg(const station *st)
{
    return st->cfg;
}

const char *station_actor(const station *st)
{
    return st->logged_in ? st->who.login : st->actor;
}

const struct account *station_account(const station *st)
{
    return st->logged_in ? &st->who : NULL;
}

void station_set_account(station *st, const account *a)
{
    st->logged_in = a != NULL;
    if (a)
        st->who = *a;
    else
        memset(&st->who, 0, sizeof st->who);
}

bool station_trusted(const station *st)
{
    return st->trusted;
}

void station_system_begin(station *st)
{
    st->system++;
}

void station_system_end(station *st)
{
    if (st->system > 0)
        st->system--;
}

bool station_system(const station *st)
{
    return st->system > 0;
}

void station_drop_trust(station *st)
{
    st->trusted = false;
}

void station_set_clock(station *st, int64_t (*now)(void))
{
    st->clock = now;
}

int64_t station_time(const station *st)
{
    return st->clock ? st->clock() : (int64_t)time(NULL);
}

void station_set_actor(station *st, const char *actor)
{
    snprintf(st->actor, sizeof st->actor, "%s", actor);
}

bool station_read_only(station *st)
{
    return sqlite3_db_readonly(db_handle(st->d), "main") == 1;
}

const char *station_read_only_key(station *st)
{
    /* Read-only because asked (check) is no news to the clerk. */
    if (!db_read_only(st->d) || db_read_only_reason(st->d) == DB_RO_NONE)
        return NULL;
    return db_ro_key(db_read_only_reason(st->d));
}

int64_t station_wal_dropped(station *st, char *copy, size_t copysz)
{
    const db_wal *w = db_wal_state(st->d);
    snprintf(copy, copysz, "%s", w->copied ? w->copy : "");
    return w->dropped;
}

bool station_wal_unread(station *st)
{
    return db_wal_unread(st->d);
}

const char *station_errmsg(station *st)
{
    return db_errmsg(st->d);
}

void station_name(station *st, char *out, size_t outsz)
{
    if (st->cfg && st->cfg->station_name) {
        snprintf(out, outsz, "%s", st->cfg->station_name);
        return;
    }
    if (db_setting_get(st->d, "station_name", out, outsz) == WS_OK && *out)
        return;
    snprintf(out, outsz, "%s", tr("app.default_station"));
}

void station_division_code(station *st, char *out, size_t outsz)
{
    if (db_setting_get(st->d, "division_code", out, outsz) != WS_OK)
        out[0] = '\0';
}

ws_status station_number_next(station *st, const char *counter, char letter, int digits,
                              char *out, size_t outsz)
{
    char seq[32] = "", code[16] = "";
    ws_status s = db_setting_get(st->d, counter, seq, sizeof seq);
    if (s == WS_ERR_NOT_FOUND)
        s = WS_OK;
    if (s != WS_OK)
        return s;
    long long next = atoll(seq) + 1, wrap = 1;
    for (int i = 0; i < digits; i++)
        wrap *= 10;
    station_division_code(st, code, sizeof code);
    snprintf(out, outsz, "%.12s%c%0*lld", code[0] ? code : "000000000000", letter, digits,
             next % wrap);
    snprintf(seq, sizeof seq, "%lld", next);
    return db_setting_set(st->d, counter, seq);
}

val_status station_info_check(const char *name, const char *division_code)
{
    val_status v = val_name(name, 60);
    if (v != VAL_OK)
        return v;
    size_t n = strlen(division_code);
    bool digits = n == 0 || n == 12;
    for (size_t i = 0; digits && i < n; i++)
        digits = division_code[i] >= '0' && division_code[i] <= '9';
    return digits ? VAL_OK : VAL_DIGITS;
}


static ws_status station_count(station *st, const char *sql, const char *arg, int64_t *out)
{
    sqlite3_stmt *q = db_prepare(st->d, sql);
    if (!q)
        return db_status(st->d);
    if (arg)
        db_bind_text(q, 1, arg);
    int rc = sqlite3_step(q);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    db_reset(q);
    return rc == SQLITE_ROW ? WS_OK : db_status_from(rc);
}

ws_status station_stats_get(station *st, station_stats *out)
{
    memset(out, 0, sizeof *out);
    ws_status s = station_count(st, "SELECT count(*) FROM residents WHERE deleted_at IS NULL",
                                NULL, &out->residents);
    if (s == WS_OK)
        s = station_count(st, "SELECT count(*) FROM households WHERE deleted_at IS NULL",
                          NULL, &out->households);
    if (s == WS_OK)
        s = station_count(st, "SELECT count(*) FROM communities WHERE deleted_at IS NULL",
                          NULL, &out->communities);
    const code_list *groups = codebook_list(st->codes, "vulnerable_group");
    for (size_t i = 0; groups && i < groups->n && i < STATION_MAX_GROUPS; i++) {
        out->group_code[i] = groups->items[i].code;
        out->ngroups = i + 1;
    }
    /* All groups in one pass over resident_groups. */
    sqlite3_stmt *q = s == WS_OK ? db_prepare(st->d,
        "SELECT g.group_code, count(*) FROM resident_groups g JOIN residents r"
        " ON r.id = g.resident_id AND r.deleted_at IS NULL GROUP BY g.group_code") : NULL;
    if (s == WS_OK && !q)
        s = db_status(st->d);
    int rc = SQLITE_DONE;
    while (q && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(q, 0);
        for (size_t i = 0; code && i < out->ngroups; i++)
            if (strcmp(out->group_code[i], code) == 0)
                out->group_count[i] = sqlite3_column_int64(q, 1);
    }
    db_reset(q);
    if (s == WS_OK && rc != SQLITE_DONE)
        s = db_status_from(rc);
    return s;
}

/* The living members of household hid whose relation is 户主, by id. */
static ws_status station_head_names(station *st, int64_t hid, station_head_problem *p)
{
    sqlite3_stmt *q = db_prepare(st->d,
        "SELECT name FROM residents WHERE household_id = ?1 AND relation = 'head'"
        " AND deleted_at IS NULL ORDER BY id LIMIT ?2");
    if (!q)
        return db_status(st->d);
    sqlite3_bind_int64(q, 1, hid);
    sqlite3_bind_int(q, 2, STATION_CHECK_NAMES);
    int rc;
    size_t i = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && i < STATION_CHECK_NAMES)
        db_column_copy(q, 0, p->heads[i++], sizeof p->heads[0]);
    db_reset(q);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? WS_OK : db_status_from(rc);
}

/* Households whose recorded head (households.head_id) is not their one
 * member whose relation is 户主, or that have several. */
static ws_status station_check_heads(station *st, station_check_report *out)
{
    sqlite3_stmt *q = db_prepare(st->d,
        "SELECT h.id, h.number, h.head_id IS NOT NULL, rh.name, rh.relation,"
        " rh.household_id IS h.id AND rh.deleted_at IS NULL, coalesce(k.n, 0)"
        " FROM households h"
        " LEFT JOIN (SELECT household_id AS hid, count(*) AS n, min(id) AS first"
        "  FROM residents WHERE relation = 'head' AND deleted_at IS NULL"
        "  AND household_id IS NOT NULL GROUP BY household_id) k ON k.hid = h.id"
        " LEFT JOIN residents rh ON rh.id = h.head_id"
        " WHERE h.deleted_at IS NULL AND (k.n > 1 OR h.head_id IS NOT k.first)"
        " ORDER BY h.number, h.id");
    if (!q)
        return db_status(st->d);
    int rc = SQLITE_DONE;
    ws_status s = WS_OK;
    while (s == WS_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        out->head_problems++;
        if (out->nheads == STATION_CHECK_HEADS)
            continue;
        station_head_problem *p = &out->head[out->nheads++];
        int64_t hid = sqlite3_column_int64(q, 0);
        db_column_copy(q, 1, p->household, sizeof p->household);
        p->state = !sqlite3_column_int(q, 2) ? HEAD_RECORDED_NONE
                   : sqlite3_column_int(q, 5) ? HEAD_RECORDED_MEMBER
                                              : HEAD_RECORDED_GONE;
        db_column_copy(q, 3, p->recorded, sizeof p->recorded);
        db_column_copy(q, 4, p->recorded_relation, sizeof p->recorded_relation);
        p->nheads = sqlite3_column_int(q, 6);
        s = station_head_names(st, hid, p);
    }
    db_reset(q);
    if (s == WS_OK && rc != SQLITE_DONE)
        s = db_status_from(rc);
    return s;
}

ws_status station_check(station *st, station_check_report *out)
{
    memset(out, 0, sizeof *out);
    out->binary_version = db_schema_version();
    sqlite3 *h = db_handle(st->d);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        out->schema_version = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);

    int rc = sqlite3_prepare_v2(h, "PRAGMA integrity_check(20)", -1, &q, NULL);
    size_t used = 0;
    out->integrity_ok = true;
    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
        if ((rc = sqlite3_step(q)) != SQLITE_ROW)
            break;
        const char *line = (const char *)sqlite3_column_text(q, 0);
        if (line && strcmp(line, "ok") == 0)
            continue;
        out->integrity_ok = false;
        if (line && used < sizeof out->integrity - 1)
            used += (size_t)snprintf(out->integrity + used, sizeof out->integrity - used,
                                     "%s%s", used ? "; " : "", line);
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        out->integrity_ok = false;
        snprintf(out->integrity, sizeof out->integrity, "%s", sqlite3_errmsg(h));
        return db_status_from(rc);
    }
    rc = sqlite3_prepare_v2(h, "PRAGMA foreign_key_check", -1, &q, NULL);
    if (rc == SQLITE_OK)
        while (sqlite3_step(q) == SQLITE_ROW)
            out->fk_problems++;
    sqlite3_finalize(q);
    if (out->schema_version == 0)
        return WS_OK;
    ws_status s = station_count(st, "SELECT count(*) FROM residents WHERE deleted_at IS NULL",
                                NULL, &out->residents);
    if (s == WS_OK)
        s = station_count(st, "SELECT count(*) FROM households WHERE deleted_at IS NULL",
                          NULL, &out->households);
    if (s == WS_OK)
        s = station_count(st, "SELECT count(*) FROM audit_log", NULL, &out->audit_rows);
    if (s == WS_OK)
        s = station_check_heads(st, out);
    return s;
}

/* ---- search text (kept here until search grows its own module) ---- */

char *search_like_pattern(const char *query)
{
    if (!query)
        return NULL;
    char *folded = text_fold(query);
    if (!folded)
        return NULL;
    size_t n = strlen(folded);
    char *pat = malloc(2 * n + 3);
    if (!pat) {
        free(folded);
        return NULL;
    }
    size_t j = 0;
    pat[j++] = '%';
    for (size_t i = 0; i < n; i++) {
        char c = folded[i];
        if (c == ' ' || c == '\t')
            continue;
        if (c == '%' || c == '_' || c == '\\')
            pat[j++] = '\\';
        pat[j++] = c;
    }
    free(folded);
    if (j == 1) {
        free(pat);
        return NULL;
    }
    pat[j++] = '%';
    pat[j] = '\0';
    return pat;
}
