#include "wushe/access.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "station_internal.h"
#include "wushe/identity.h"
#include "wushe/catalog.h"
#include "wushe/text.h"

/* ---- the one table: which role may do what ---- */

enum {
    D = 1u << ROLE_DIRECTOR,
    W = 1u << ROLE_WORKER,
    C = 1u << ROLE_CLERK,
    S = 1u << ROLE_SUPERVISOR,
};

/* 站长 everything; 社工 the register and its full identifiers; 录入员 the
 * register with identifiers masked once saved; 督导 reads, writes nothing. */
static const unsigned access_table[PERM_COUNT] = {
    [PERM_REGISTER_READ] = D | W | C | S,
    [PERM_REGISTER_WRITE] = D | W | C,
    [PERM_IDS_FULL] = D | W,
    [PERM_UNMASK] = D | W,
    [PERM_EXPORT] = D | W | C | S,
    [PERM_EXPORT_UNMASKED] = D,
    [PERM_IMPORT] = D | W | C,
    [PERM_STATION] = D,
    [PERM_ACCOUNTS] = D,
    [PERM_ACCESS_LOG] = D,
    [PERM_SUBJECT] = D,
    [PERM_ERASE] = D,
    /* A backup holds everything unmasked: a 社工 may make one encrypted or
     * into the station's backup folder (a plain copy elsewhere also needs
     * PERM_EXPORT_UNMASKED); a restore replaces the station. */
    [PERM_BACKUP] = D | W,
    [PERM_RESTORE] = D,
    /* Visits: a 录入员 keys in paper visit forms. Cases: the social
     * workers; a 社工 reads and writes only the cases assigned to them
     * (PERM_CASE_ALL: every case); closures are approved by the 站长. */
    [PERM_VISIT_READ] = D | W | C | S,
    [PERM_VISIT_WRITE] = D | W | C,
    [PERM_CASE_READ] = D | W | S,
    [PERM_CASE_WRITE] = D | W,
    [PERM_CASE_ALL] = D | S,
    [PERM_CASE_APPROVE] = D,
    /* Donations, stock and distributions are the register's clerks' work;
     * money out of a fund is the 站长's approval. */
    [PERM_RESOURCES] = D | W | C,
    [PERM_FUND_PAY] = D,
    /* Volunteers, activities, attendance and the hours and points ledgers:
     * the register's people; a 录入员 keys back sign-in sheets and
     * corrects, a 社工 or 站长 confirms hours (谁组织谁记录、谁记录谁证明). */
    [PERM_VOLUNTEER_READ] = D | W | C | S,
    [PERM_VOLUNTEER_WRITE] = D | W | C,
    [PERM_HOURS_CONFIRM] = D | W,
    /* Social organisations and projects (issue 16): the register as the
     * register's work; incubation stages are moved by the social workers. */
    [PERM_ORG_READ] = D | W | C | S,
    [PERM_ORG_WRITE] = D | W | C,
    [PERM_ORG_INCUBATE] = D | W,
};

static const char *const access_role_codes[] = {
#define ACCESS_ROLE_CODE(name, code) code,
    ACCESS_ROLES(ACCESS_ROLE_CODE)
#undef ACCESS_ROLE_CODE
};

static const char *const access_perm_keys[] = {
#define ACCESS_PERM_KEY(name, key) key,
    ACCESS_PERMS(ACCESS_PERM_KEY)
#undef ACCESS_PERM_KEY
};

access_role access_role_find(const char *code)
{
    for (int r = 0; r < ROLE_COUNT; r++)
        if (code && strcmp(code, access_role_codes[r]) == 0)
            return (access_role)r;
    return ROLE_NONE;
}

const char *access_role_code(access_role r)
{
    return (unsigned)r < ROLE_COUNT ? access_role_codes[r] : "";
}

bool access_role_may(access_role r, access_perm p)
{
    return (unsigned)r < ROLE_COUNT && (unsigned)p < PERM_COUNT &&
           (access_table[p] & (1u << r)) != 0;
}

const char *access_perm_key(access_perm p)
{
    return (unsigned)p < PERM_COUNT ? access_perm_keys[p] : "";
}

bool station_can(station *st, access_perm p)
{
    if (station_system(st))
        return true;
    const account *a = station_account(st);
    if (!a)
        return station_trusted(st);
    return access_role_may(access_role_find(a->role), p);
}

ws_status station_require(station *st, access_perm p)
{
    if (station_can(st, p))
        return WS_OK;
    char detail[96];
    snprintf(detail, sizeof detail, "{\"perm\":\"%s\"}", access_perm_key(p));
    access_log(st, &(access_entry){.event = EV_DENIED, .detail = detail});
    return WS_ERR_DENIED;
}

/* ---- events ---- */

static const char *const access_event_codes[] = {
#define ACCESS_EVENT_CODE(name, code, key) code,
    ACCESS_EVENTS(ACCESS_EVENT_CODE)
#undef ACCESS_EVENT_CODE
};

static const char *const access_event_keys[] = {
#define ACCESS_EVENT_KEY(name, code, key) key,
    ACCESS_EVENTS(ACCESS_EVENT_KEY)
#undef ACCESS_EVENT_KEY
};

const char *access_event_code(access_event e)
{
    return (unsigned)e < EV_COUNT ? access_event_codes[e] : "";
}

const char *access_event_key(access_event e)
{
    return (unsigned)e < EV_COUNT ? access_event_keys[e] : "";
}

access_event access_event_find(const char *code)
{
    for (int e = 0; e < EV_COUNT; e++)
        if (code && strcmp(code, access_event_codes[e]) == 0)
            return (access_event)e;
    return EV_COUNT;
}

ws_status access_log(station *st, const access_entry *e)
{
    db *d = station_db(st);
    /* A read-only medium records nothing: what may be done unrecorded
     * (a login, looking) goes on; what takes identifiers or records out
     * (an unmask, an export, a print, an erasure) is the recorded act
     * itself, so it is not done. */
    if (station_read_only(st))
        return e->event == EV_UNMASK || e->event == EV_EXPORT || e->event == EV_PRINT ||
                       e->event == EV_ERASE
                   ? WS_ERR_UNRECORDED
                   : WS_OK;
    const account *a = station_account(st);
    char *login = text_sanitize(a ? a->login : e->login ? e->login : station_actor(st));
    if (!login)
        return WS_ERR_NOMEM;
    /* What was typed at a login prompt can be anything: keep it short. */
    login[text_prefix_bytes(login, 64)] = '\0';
    ws_status s = db_begin(d);
    if (s != WS_OK) {
        free(login);
        return s;
    }
    sqlite3_stmt *q = db_prepare(d,
        "INSERT INTO access_log(at, account_id, login, event, table_name, row_id, rows, detail)"
        " VALUES (?1, nullif(?2, 0), ?3, ?4, ?5, nullif(?6, 0), nullif(?7, 0), ?8)");
    if (!q)
        s = db_status(d);
    if (s == WS_OK) {
        char now[32];
        db_now(now);
        db_bind_text(q, 1, now);
        sqlite3_bind_int64(q, 2, a ? a->id : e->account);
        db_bind_text(q, 3, login);
        db_bind_text(q, 4, access_event_code(e->event));
        db_bind_text(q, 5, e->table ? e->table : "");
        sqlite3_bind_int64(q, 6, e->row);
        sqlite3_bind_int64(q, 7, e->rows);
        db_bind_text(q, 8, e->detail ? e->detail : "");
        int rc = sqlite3_step(q);
        db_reset(q);
        s = rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
        if (s == WS_OK && e->id_out)
            *e->id_out = sqlite3_last_insert_rowid(db_handle(d));
    }
    free(login);
    return db_end(d, s);
}

ws_status access_log_rows(station *st, int64_t entry, int64_t rows)
{
    if (!entry || station_read_only(st))
        return WS_OK;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, "UPDATE access_log SET rows = ?2 WHERE id = ?1");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, entry);
    sqlite3_bind_int64(q, 2, rows);
    int rc = sqlite3_step(q);
    db_reset(q);
    return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

ws_status access_unmask(station *st, const char *table, int64_t row, const char *detail)
{
    ws_status s = station_require(st, PERM_UNMASK);
    if (s != WS_OK)
        return s;
    return access_log(st, &(access_entry){.event = EV_UNMASK, .table = table, .row = row,
                                          .detail = detail});
}

/* ---- the access log screen ---- */

void access_filter_init(access_filter *f)
{
    memset(f, 0, sizeof *f);
    f->event = -1;
}

/* Local dates as the UTC instants that bound them. */
static void access_day_bound(const char *day, bool end, char out[32])
{
    out[0] = '\0';
    if (!day || !day[0])
        return;
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!strptime(day, "%Y-%m-%d", &tm))
        return;
    tm.tm_isdst = -1;
    if (end)
        tm.tm_mday += 1;
    time_t t = mktime(&tm);
    struct tm utc;
    gmtime_r(&t, &utc);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%S.000Z", &utc);
}

#define ACCESS_WHERE                                                          \
    " WHERE (?1 = 0 OR l.account_id = ?1) AND (?2 = '' OR l.event = ?2)"     \
    " AND (?3 = '' OR l.at >= ?3) AND (?4 = '' OR l.at < ?4)"                  \
    " AND (?5 = '' OR l.table_name = ?5) AND (?6 = 0 OR l.row_id = ?6)"

static void access_bind(sqlite3_stmt *q, const access_filter *f)
{
    char from[32], to[32];
    access_day_bound(f->from, false, from);
    access_day_bound(f->to, true, to);
    sqlite3_bind_int64(q, 1, f->account_id);
    db_bind_text(q, 2, f->event >= 0 ? access_event_code((access_event)f->event) : "");
    sqlite3_bind_text(q, 3, from, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 4, to, -1, SQLITE_TRANSIENT);
    db_bind_text(q, 5, f->table);
    sqlite3_bind_int64(q, 6, f->row);
}


ws_status access_list(station *st, const access_filter *f, int64_t after, int dir,
                      access_row *rows, size_t max, size_t *n)
{
    *n = 0;
    ws_status s = station_require(st, PERM_ACCESS_LOG);
    if (s != WS_OK)
        return s;
    static const char *const sql[2] = {
        "SELECT l.id, l.at, coalesce(a.display_name || ' (' || a.login || ')', l.login),"
        " l.event, l.table_name, coalesce(l.row_id, 0), coalesce(l.rows, 0), l.detail,"
        " l.account_id IS NULL AND l.event = 'login_failed'"
        " FROM access_log l LEFT JOIN accounts a ON a.id = l.account_id" ACCESS_WHERE
        " AND (?7 = 0 OR l.id < ?7) ORDER BY l.id DESC LIMIT ?8",
        "SELECT l.id, l.at, coalesce(a.display_name || ' (' || a.login || ')', l.login),"
        " l.event, l.table_name, coalesce(l.row_id, 0), coalesce(l.rows, 0), l.detail,"
        " l.account_id IS NULL AND l.event = 'login_failed'"
        " FROM access_log l LEFT JOIN accounts a ON a.id = l.account_id" ACCESS_WHERE
        " AND l.id > ?7 ORDER BY l.id LIMIT ?8",
    };
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, sql[dir < 0]);
    if (!q)
        return db_status(d);
    access_bind(q, f);
    sqlite3_bind_int64(q, 7, after);
    sqlite3_bind_int64(q, 8, (sqlite3_int64)max);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && *n < max) {
        access_row *r = &rows[(*n)++];
        memset(r, 0, sizeof *r);
        r->id = sqlite3_column_int64(q, 0);
        char iso[40];
        db_column_copy(q, 1, iso, sizeof iso);
        text_local_time(iso, true, r->at, sizeof r->at);
        db_column_copy(q, 2, r->who, sizeof r->who);
        /* What was typed at the login prompt is not an account's name. */
        if (sqlite3_column_int(q, 8)) {
            char typed[sizeof r->who];
            snprintf(typed, sizeof typed, "%s", r->who);
            trf(r->who, sizeof r->who, "audit.typed_login", typed);
        }
        char ev[32];
        db_column_copy(q, 3, ev, sizeof ev);
        r->event = access_event_find(ev);
        db_column_copy(q, 4, r->table, sizeof r->table);
        r->row = sqlite3_column_int64(q, 5);
        r->rows = sqlite3_column_int64(q, 6);
        db_column_copy(q, 7, r->detail, sizeof r->detail);
    }
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

ws_status access_count(station *st, const access_filter *f, int64_t *n)
{
    *n = 0;
    ws_status s = station_require(st, PERM_ACCESS_LOG);
    if (s != WS_OK)
        return s;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, "SELECT count(*) FROM access_log l" ACCESS_WHERE);
    if (!q)
        return db_status(d);
    access_bind(q, f);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *n = sqlite3_column_int64(q, 0);
    db_reset(q);
    return rc == SQLITE_ROW ? WS_OK : db_status_from(rc);
}
