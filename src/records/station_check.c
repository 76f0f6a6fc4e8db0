/* wushe check beyond SQLite's own integrity_check: FTS5's integrity-check
 * of the ID and phone index, the resident postings and the declared kinds'
 * terms against the rows, points balances. Reads only: the FTS5 check runs
 * on a private copy of the index's tables, since FTS5 checks through an
 * INSERT that a read-only connection may not run. Then the whole check in
 * the words a clerk reads, shared by `wushe check` and the console. */
#include "record_internal.h"
#include "station_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fts_tokenizer.h"
#include "search.h"
#include "wushe/access.h"
#include "wushe/account.h"
#include "wushe/catalog.h"
#include "wushe/record.h"
#include "wushe/resources.h"
#include "wushe/text.h"

static void say(char *out, size_t outsz, const char *what)
{
    if (!out[0])
        snprintf(out, outsz, "%s", what ? what : "?");
}

/* The station file's FTS5 index, copied table by table into a temporary
 * database, then FTS5's 'integrity-check' there. */
static ws_status check_fts(station *st, station_index_report *r)
{
    sqlite3 *h = db_handle(station_db(st));
    const char *path = sqlite3_db_filename(h, "main");
    if (!path || !*path)
        return WS_OK;
    /* Read as the station's connection reads it. */
    char *uri = db_probe_uri(path, db_immutable(station_db(st)));
    if (!uri)
        return WS_ERR_NOMEM;
    sqlite3 *t = NULL;
    int rc = sqlite3_open_v2("", &t, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                     SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK)
        rc = fts_tokenizer_register(t);
    sqlite3_stmt *q = NULL;
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(t, "ATTACH ?1 AS src", -1, &q, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(q, 1, uri, -1, SQLITE_STATIC);
        rc = sqlite3_step(q);
        rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    sqlite3_finalize(q);
    free(uri);
    /* The table as the station declares it (our schema's text). */
    char *create = NULL;
    if (rc == SQLITE_OK &&
        (rc = sqlite3_prepare_v2(t, "SELECT sql FROM src.sqlite_schema WHERE name = 'search_fts'",
                                 -1, &q, NULL)) == SQLITE_OK) {
        if (sqlite3_step(q) == SQLITE_ROW)
            create = strdup((const char *)sqlite3_column_text(q, 0));
        sqlite3_finalize(q);
    }
    if (rc == SQLITE_OK && create)
        rc = sqlite3_exec(t, create, NULL, NULL, NULL);
    static const char *const shadow[] = {"search_fts_data", "search_fts_idx",
                                         "search_fts_docsize", "search_fts_config"};
    for (size_t i = 0; rc == SQLITE_OK && create && i < sizeof shadow / sizeof *shadow; i++) {
        char *sql = sqlite3_mprintf("DELETE FROM main.\"%w\"; INSERT INTO main.\"%w\" SELECT *"
                                    " FROM src.\"%w\"", shadow[i], shadow[i], shadow[i]);
        rc = sql ? sqlite3_exec(t, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
        sqlite3_free(sql);
    }
    if (rc == SQLITE_OK && create)
        rc = sqlite3_exec(t, "INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 0)",
                          NULL, NULL, NULL);
    free(create);
    ws_status s = WS_OK;
    if (rc == SQLITE_NOMEM) {
        s = WS_ERR_NOMEM;
    } else if (rc != SQLITE_OK) {
        r->fts_ok = false;
        say(r->fts, sizeof r->fts, t ? sqlite3_errmsg(t) : "");
    }
    sqlite3_close(t);
    return s;
}

/* A count query's result added to *n; a failure to read is a finding. */
static ws_status check_count(station *st, station_index_report *r, const char *sql, int64_t *n)
{
    sqlite3_stmt *q = NULL;
    sqlite3 *h = db_handle(station_db(st));
    int rc = sqlite3_prepare_v2(h, sql, -1, &q, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        *n += sqlite3_column_int64(q, 0);
        rc = SQLITE_OK;
    }
    if (rc != SQLITE_OK) {
        r->unreadable = true;
        say(r->unread, sizeof r->unread, sqlite3_errmsg(h));
    }
    sqlite3_finalize(q);
    return rc == SQLITE_NOMEM ? WS_ERR_NOMEM : WS_OK;
}

/* Every living resident has its whole-name posting and its FTS5 document;
 * every posting and document belongs to a living resident. */
static const char *const name_checks[] = {
    "SELECT count(*) FROM residents r WHERE r.deleted_at IS NULL AND r.name_folded <> ''"
    " AND length(CAST(r.name_folded AS BLOB)) + 2 <= 160 AND NOT EXISTS (SELECT 1 FROM"
    " search_names n WHERE n.term = 'e' || r.name_folded AND n.seq = r.seq)",
    "SELECT count(*) FROM (SELECT DISTINCT seq FROM search_names) s WHERE NOT EXISTS"
    " (SELECT 1 FROM residents r WHERE r.seq = s.seq AND r.deleted_at IS NULL)",
    "SELECT count(*) FROM residents r WHERE r.deleted_at IS NULL AND NOT EXISTS"
    " (SELECT 1 FROM search_fts_docsize d WHERE d.id = r.seq)",
    "SELECT count(*) FROM search_fts_docsize d WHERE NOT EXISTS"
    " (SELECT 1 FROM residents r WHERE r.seq = d.id AND r.deleted_at IS NULL)",
};

/* Every living record of k keeps the terms it would be given now (a case
 * found by its person's name after a rename, which `wushe reindex` would
 * put right). */
static ws_status check_terms_current(station *st, const record_kind *k,
                                     station_index_report *r)
{
    if (k->own_search)
        return WS_OK;
    sqlite3 *h = db_handle(station_db(st));
    /* Table names from the declarations, never from the file. */
    char *sql = sqlite3_mprintf("SELECT id FROM \"%w\" WHERE deleted_at IS NULL", k->table);
    int64_t *ids = NULL;
    size_t n = 0;
    ws_status s = sql ? db_ids(station_db(st), sql, 0, &ids, &n) : WS_ERR_NOMEM;
    sqlite3_free(sql);
    void *rec = s == WS_OK ? malloc(k->size) : NULL;
    if (s == WS_OK && !rec)
        s = WS_ERR_NOMEM;
    for (size_t i = 0; s == WS_OK && i < n; i++) {
        bool same = true;
        s = record_load_row(st, k, ids[i], rec);
        if (s == WS_OK)
            s = record_terms_current(st, k, ids[i], rec, &same);
        else if (s == WS_ERR_NOT_FOUND)
            s = WS_OK;
        if (!same)
            r->term_problems++;
    }
    free(rec);
    free(ids);
    if (s != WS_OK && s != WS_ERR_NOMEM) {
        r->unreadable = true;
        say(r->unread, sizeof r->unread, sqlite3_errmsg(h));
        s = WS_OK;
    }
    return s;
}

/* The declared kinds' terms: every term of a record's term set is in
 * record_terms, every record with terms has a set, every set's record is
 * there. */
static ws_status check_terms(station *st, station_index_report *r)
{
    ws_status s = check_count(st, r,
        "SELECT count(*) FROM (SELECT DISTINCT kind, id FROM record_terms) t WHERE NOT EXISTS"
        " (SELECT 1 FROM record_term_sets s WHERE s.kind = t.kind AND s.id = t.id)",
        &r->term_problems);
    for (size_t i = 0; s == WS_OK && i < record_nkinds; i++) {
        /* Table names from the declarations, never from the file. */
        char *sql = sqlite3_mprintf(
            "SELECT count(*) FROM record_term_sets s JOIN record_kind_codes c ON c.code = s.kind"
            " WHERE c.name = '%q' AND NOT EXISTS (SELECT 1 FROM \"%w\" x WHERE x.id = s.id)",
            record_kinds[i]->name, record_kinds[i]->table);
        s = sql ? check_count(st, r, sql, &r->term_problems) : WS_ERR_NOMEM;
        sqlite3_free(sql);
    }
    if (s != WS_OK)
        return s;
    sqlite3 *h = db_handle(station_db(st));
    sqlite3_stmt *sets = NULL, *has = NULL;
    int rc = sqlite3_prepare_v2(h, "SELECT kind, id, terms FROM record_term_sets", -1, &sets, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(h, "SELECT 1 FROM record_terms WHERE kind = ?1 AND term = ?2"
                                   " AND id = ?3", -1, &has, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(sets)) == SQLITE_ROW) {
        const unsigned char *b = sqlite3_column_blob(sets, 2);
        int n = sqlite3_column_bytes(sets, 2);
        for (int at = 0; at < n;) {
            int len = b[at];
            if (len == 0 || at + 1 + len > n) {
                r->term_problems++; /* a set that cannot be read */
                break;
            }
            sqlite3_bind_int64(has, 1, sqlite3_column_int64(sets, 0));
            sqlite3_bind_text(has, 2, (const char *)b + at + 1, len, SQLITE_STATIC);
            sqlite3_bind_int64(has, 3, sqlite3_column_int64(sets, 1));
            int hr = sqlite3_step(has);
            sqlite3_reset(has);
            if (hr == SQLITE_DONE)
                r->term_problems++;
            else if (hr != SQLITE_ROW) {
                rc = hr;
                break;
            }
            at += 1 + len;
        }
        rc = rc == SQLITE_ROW ? SQLITE_OK : rc;
    }
    if (rc != SQLITE_DONE && rc != SQLITE_OK) {
        r->unreadable = true;
        say(r->unread, sizeof r->unread, sqlite3_errmsg(h));
    }
    sqlite3_finalize(sets);
    sqlite3_finalize(has);
    if (rc == SQLITE_NOMEM)
        return WS_ERR_NOMEM;
    /* Terms an older version made are made again at the first open for
     * writing, not counted as wrong here. */
    bool now = record_terms_made_now(st);
    for (size_t i = 0; now && !r->unreadable && i < record_nkinds; i++) {
        ws_status s = check_terms_current(st, record_kinds[i], r);
        if (s != WS_OK)
            return s;
    }
    return WS_OK;
}

ws_status station_check_index(station *st, station_index_report *r)
{
    memset(r, 0, sizeof *r);
    r->fts_ok = true;
    ws_status s = check_fts(st, r);
    bool began = db_read_begin(station_db(st));
    for (size_t i = 0; s == WS_OK && i < sizeof name_checks / sizeof *name_checks; i++)
        s = check_count(st, r, name_checks[i], &r->name_problems);
    if (s == WS_OK)
        s = check_terms(st, r);
    /* A points balance is the sum of its movements: never below zero. */
    if (s == WS_OK)
        s = check_count(st, r, "SELECT count(*) FROM (SELECT volunteer_id FROM points_movements"
                               " GROUP BY volunteer_id HAVING sum(points) < 0)",
                        &r->points_negative);
    db_read_end(station_db(st), began);
    return s;
}

/* Drop an index table and make it again from its own schema text: the
 * pages of a damaged index go to the free list whatever they hold. */
static ws_status reindex_remake(db *d, const char *table)
{
    sqlite3 *h = db_handle(d);
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(h, "SELECT sql FROM sqlite_schema WHERE tbl_name = ?1 AND sql"
                                   " IS NOT NULL ORDER BY type = 'index', name", -1, &q, NULL);
    if (rc != SQLITE_OK)
        return db_status_from(rc);
    sqlite3_bind_text(q, 1, table, -1, SQLITE_STATIC);
    char *sqls[16];
    size_t n = 0;
    while (n < 16 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *sql = (const char *)sqlite3_column_text(q, 0);
        /* FTS5's shadow tables come back with the virtual table. */
        sqls[n] = sql ? strdup(sql) : NULL;
        if (sqls[n])
            n++;
    }
    sqlite3_finalize(q);
    ws_status s = rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
    if (s == WS_OK && n > 0) {
        char *drop = sqlite3_mprintf("DROP TABLE \"%w\"", table);
        s = drop ? db_exec(d, drop) : WS_ERR_NOMEM;
        sqlite3_free(drop);
    }
    for (size_t i = 0; i < n; i++) {
        if (s == WS_OK)
            s = db_exec(d, sqls[i]);
        free(sqls[i]);
    }
    return s;
}

ws_status station_reindex(station *st, void (*progress)(void *, size_t, size_t), void *ctx)
{
    db *d = station_db(st);
    static const char *const tables[] = {"search_names", "search_fts", "record_terms",
                                         "record_term_sets"};
    ws_status s = db_begin(d);
    for (size_t i = 0; s == WS_OK && i < sizeof tables / sizeof *tables; i++)
        s = reindex_remake(d, tables[i]);
    if (s == WS_OK)
        s = search_rebuild(d, progress, ctx);
    if (s == WS_OK)
        s = record_reindex(st);
    return db_end(d, s);
}

/* ---- the check in words: wushe check and the console's 检查 ---- */

typedef struct check_out {
    station_say_fn say;
    void *ctx;
} check_out;

/* Names and SQLite's words come from the file: never raw to a terminal. */
static void check_line(const check_out *o, bool error, const char *line)
{
    char *clean = text_sanitize(line);
    o->say(o->ctx, clean ? clean : tr(ws_status_key(WS_ERR_NOMEM)), error || !clean);
    free(clean);
}

static void check_say(const check_out *o, const char *key)
{
    check_line(o, false, tr(key));
}

bool station_open_notes(station *st, station_say_fn say, void *ctx)
{
    check_out o = {say, ctx};
    char msg[9000], copy[4300];
    int64_t lost = station_wal_dropped(st, copy, sizeof copy);
    const char *file = sqlite3_db_filename(db_handle(station_db(st)), "main");
    if (lost > 0) {
        if (copy[0])
            trf(msg, sizeof msg, "damage.wal_dropped", file ? file : "", (long long)lost, copy);
        else
            trf(msg, sizeof msg, "damage.wal_dropped_nocopy", file ? file : "", (long long)lost);
        check_line(&o, false, msg);
        check_say(&o, "damage.fix_wal");
    }
    if (station_wal_unread(st))
        check_say(&o, "damage.wal_unread");
    const char *ro = station_read_only_key(st);
    if (ro)
        check_line(&o, false, trf(msg, sizeof msg, "damage.read_only", tr(ro)));
    return lost > 0;
}

/* The rule of who may read the names of people in the check's report. */
static bool check_names_shown(station *st)
{
    if (station_account(st))
        return station_can(st, PERM_REGISTER_READ);
    int64_t accounts = -1;
    return account_count(st, &accounts) == WS_OK && accounts == 0;
}

/* One household whose recorded 户主 disagrees, with the people named. */
static void check_head_named(station *st, const check_out *o, const station_head_problem *p)
{
    char msg[2048], rec[512], rel[1024], names[900];
    const char *who = p->recorded[0] ? p->recorded : tr("cli.check_head_unknown");
    if (p->state == HEAD_RECORDED_NONE) {
        snprintf(rec, sizeof rec, "%s", tr("cli.check_head_rec_none"));
    } else if (p->state == HEAD_RECORDED_GONE) {
        trf(rec, sizeof rec, "cli.check_head_rec_gone", who);
    } else {
        const code_item *it = codebook_find(station_codes(st), "relation", p->recorded_relation);
        trf(rec, sizeof rec, "cli.check_head_rec_member", who,
            it ? code_label(it, 0) : tr("cli.check_relation_none"));
    }
    size_t used = 0;
    names[0] = '\0';
    for (int k = 0; k < p->nheads && k < STATION_CHECK_NAMES; k++) {
        char one[256];
        used += (size_t)snprintf(names + used, sizeof names - used, "%s%s",
                                 k ? tr("cli.check_names_sep") : "",
                                 trf(one, sizeof one, "cli.check_name", p->heads[k]));
        if (used >= sizeof names)
            break;
    }
    if (p->nheads == 0)
        snprintf(rel, sizeof rel, "%s", tr("cli.check_head_rel_none"));
    else if (p->nheads == 1)
        trf(rel, sizeof rel, "cli.check_head_rel_one", names);
    else
        trf(rel, sizeof rel, "cli.check_head_rel_many", p->nheads, names);
    check_line(o, false, trf(msg, sizeof msg, "cli.check_head_line", p->household, rec, rel));
}

/* Households whose recorded 户主 disagrees with their members' relations:
 * one line each, naming the household and (names_shown) the people. */
static void check_heads(station *st, const check_out *o, const station_check_report *r,
                        bool names_shown, station_check_reader reader)
{
    if (!r->head_problems)
        return;
    char msg[2048];
    check_line(o, false, trf(msg, sizeof msg, "cli.check_heads", (long long)r->head_problems));
    for (size_t i = 0; i < r->nheads; i++) {
        if (names_shown)
            check_head_named(st, o, &r->head[i]);
        else
            check_line(o, false, trf(msg, sizeof msg, "damage.check_head_anon", r->head[i].household));
    }
    if (r->head_problems > (int64_t)r->nheads)
        check_line(o, false, trf(msg, sizeof msg, "cli.check_head_more",
                                 (long long)(r->head_problems - (int64_t)r->nheads)));
    if (!names_shown)
        check_say(o, reader == CHECK_FOR_CONSOLE ? "check.names_hidden_console"
                                                 : "damage.check_names_hidden");
    check_say(o, "cli.check_head_fix");
}

/* The index checks' findings; whether all is well. */
static bool check_index_say(const check_out *o, const station_index_report *x)
{
    char msg[1024];
    if (x->fts_ok)
        check_say(o, "damage.check_fts_ok");
    else
        check_line(o, false, trf(msg, sizeof msg, "damage.check_fts_bad", x->fts));
    if (x->name_problems)
        check_line(o, false, trf(msg, sizeof msg, "damage.check_names_bad",
                                 (long long)x->name_problems));
    if (x->term_problems)
        check_line(o, false, trf(msg, sizeof msg, "damage.check_terms_bad",
                                 (long long)x->term_problems));
    if (x->unreadable)
        check_line(o, false, trf(msg, sizeof msg, "damage.check_unreadable", x->unread));
    bool ok = x->fts_ok && !x->name_problems && !x->term_problems && !x->unreadable;
    if (ok)
        check_say(o, "damage.check_index_ok");
    return ok;
}

static void check_res_say(void *ctx, const char *line)
{
    char buf[600];
    snprintf(buf, sizeof buf, "  %s", line);
    check_line(ctx, false, buf);
}

/* The resources' caches against their entries; whether they agree. */
static bool check_resources(station *st, check_out *o)
{
    int64_t problems = 0;
    char msg[1024];
    ws_status s = res_check(st, &problems, check_res_say, o);
    if (s != WS_OK) {
        /* A refusal is not a database error: no SQLite words for it. */
        if (s == WS_ERR_DB || s == WS_ERR_IO || s == WS_ERR_CORRUPT)
            snprintf(msg, sizeof msg, "%s: %s", tr(ws_status_key(s)), station_errmsg(st));
        else
            snprintf(msg, sizeof msg, "%s", tr(ws_status_key(s)));
        check_line(o, true, msg);
        return false;
    }
    if (problems)
        check_line(o, false, trf(msg, sizeof msg, "res.check_bad", (long long)problems));
    else
        check_say(o, "res.check_ok");
    return problems == 0;
}

bool station_check_say(station *st, station_check_reader reader, station_say_fn say, void *ctx)
{
    check_out o = {say, ctx};
    bool names_shown = check_names_shown(st);
    bool wal_lost = station_open_notes(st, say, ctx);
    station_check_report *r = malloc(sizeof *r);
    if (!r) {
        check_line(&o, true, tr(ws_status_key(WS_ERR_NOMEM)));
        return false;
    }
    ws_status s = station_check(st, r);
    char msg[1024];
    check_line(&o, false, trf(msg, sizeof msg, "cli.check_version", r->schema_version,
                              r->binary_version));
    if (r->integrity_ok)
        check_say(&o, "cli.check_ok");
    else
        check_line(&o, false, trf(msg, sizeof msg, "cli.check_bad", r->integrity));
    if (r->fk_problems)
        check_line(&o, false, trf(msg, sizeof msg, "cli.check_fk", (long long)r->fk_problems));
    station_index_report x = {.fts_ok = true};
    bool index_ok = true;
    /* The index checks know this version's tables (an older file is
     * upgraded by its first open, and the check says so). */
    if (s == WS_OK && r->schema_version == r->binary_version) {
        s = station_check_index(st, &x);
        if (s == WS_OK)
            index_ok = check_index_say(&o, &x);
    }
    if (s == WS_OK)
        check_line(&o, false, trf(msg, sizeof msg, "cli.check_counts", (long long)r->residents,
                                  (long long)r->households, (long long)r->audit_rows));
    else
        check_line(&o, true, tr(ws_status_key(s)));
    check_heads(st, &o, r, names_shown, reader);
    bool res_ok = check_resources(st, &o);
    if (x.points_negative)
        check_line(&o, false, trf(msg, sizeof msg, "damage.check_points",
                                  (long long)x.points_negative));
    if (r->schema_version < r->binary_version)
        check_say(&o, "cli.check_old");
    /* What to do: a damaged file is restored from a backup; an index that
     * disagrees with sound rows is rebuilt. */
    bool console = reader == CHECK_FOR_CONSOLE;
    bool damaged = !r->integrity_ok || r->fk_problems || x.unreadable || s == WS_ERR_CORRUPT;
    if (damaged)
        check_say(&o, console ? "check.fix_damaged_console" : "damage.fix_damaged");
    else if (!index_ok)
        check_say(&o, console ? "check.fix_reindex_console" : "damage.fix_reindex");
    bool ok = s == WS_OK && !damaged && index_ok && r->head_problems == 0 && !wal_lost &&
              x.points_negative == 0 && r->schema_version == r->binary_version && res_ok;
    free(r);
    if (!ok)
        check_say(&o, "cli.check_failed");
    return ok;
}
