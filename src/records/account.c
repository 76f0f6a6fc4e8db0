#include "wushe/account.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "record_internal.h"
#include "station_internal.h"
#include "wushe/catalog.h"
#include "wushe/codes.h"
#include "wushe/text.h"

/* Argon2id at 64 MiB and 3 passes: about 0.1 s on this machine, about half
 * a second on an old office PC, and 64 MiB fits one with 2 GB. The hash
 * string carries its own parameters, so changing these later still
 * verifies the old hashes. */
#define ACCOUNT_OPSLIMIT 3
#define ACCOUNT_MEMLIMIT (64u << 20)

/* A hash of nothing anyone knows: an unknown login costs a check too, so
 * the time taken does not tell which logins exist. */
static const char account_dummy_hash[] =
    "$argon2id$v=19$m=65536,t=3,p=1$5c/t0LBp8/I50fZ6d/EsIQ$dqqcqvUUkBzq/7Nl6pPVEu9oFhEuTfZ0gBWD7fq/hmI";

static ws_status account_sodium(void)
{
    return sodium_init() < 0 ? WS_ERR_NOMEM : WS_OK;
}

void account_init(account *a)
{
    record_init(&kind_account, a);
    snprintf(a->active, sizeof a->active, "1");
}

/* ---- names and passwords ---- */

void account_login_fold(const char *typed, char *out, size_t outsz)
{
    while (*typed == ' ' || *typed == '\t')
        typed++;
    size_t n = 0;
    for (const char *p = typed; *p && n + 1 < outsz; p++)
        out[n++] = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
    while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\t'))
        n--;
    if (outsz)
        out[n] = '\0';
}

val_status account_login_check(const char *login)
{
    size_t n = strlen(login);
    if (n == 0)
        return VAL_REQUIRED;
    if (n < 2 || n > ACCOUNT_LOGIN_MAX || login[0] < 'a' || login[0] > 'z')
        return VAL_LOGIN_CHARS;
    for (const char *p = login; *p; p++) {
        bool ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' ||
                  *p == '_' || *p == '-';
        if (!ok)
            return VAL_LOGIN_CHARS;
    }
    return VAL_OK;
}

/* Characters (code points) of valid UTF-8. */
static size_t account_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

val_status account_password_check(const char *login, const char *password)
{
    size_t len = strlen(password);
    if (!text_valid_utf8(password, len) || text_has_control(password))
        return VAL_PASSWORD_CHARS;
    size_t chars = account_chars(password);
    if (chars < ACCOUNT_PASSWORD_MIN)
        return VAL_PASSWORD_SHORT;
    if (chars > ACCOUNT_PASSWORD_MAX)
        return VAL_PASSWORD_LONG;
    char folded[ACCOUNT_PASSWORD_MAX * 4 + 1];
    account_login_fold(password, folded, sizeof folded);
    if (login && strcmp(folded, login) == 0)
        return VAL_PASSWORD_LOGIN;
    return VAL_OK;
}

static ws_status account_hash(const char *password, char out[crypto_pwhash_STRBYTES])
{
    ws_status s = account_sodium();
    if (s != WS_OK)
        return s;
    return crypto_pwhash_str(out, password, strlen(password), ACCOUNT_OPSLIMIT,
                             ACCOUNT_MEMLIMIT) == 0 ? WS_OK : WS_ERR_NOMEM;
}

static bool account_hash_matches(const char *hash, const char *password)
{
    if (account_sodium() != WS_OK)
        return false;
    const char *h = hash && hash[0] ? hash : account_dummy_hash;
    bool ok = crypto_pwhash_str_verify(h, password, strlen(password)) == 0;
    return ok && h != account_dummy_hash;
}

double account_hash_seconds(void)
{
    char h[crypto_pwhash_STRBYTES];
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    ws_status s = account_hash("wushe-demo", h);
    clock_gettime(CLOCK_MONOTONIC, &b);
    return s == WS_OK ? (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9
                      : -1.0;
}

static ws_status account_fail(record_error *re, int field, val_status v)
{
    re->field = field;
    re->code = v;
    return WS_ERR_INVALID;
}

/* ---- the declaration ---- */

enum { AF_LOGIN, AF_NAME, AF_ROLE, AF_PHONE, AF_ACTIVE, AF_LAST_LOGIN, AF_MUST_CHANGE };

/* Whether saving a (as it is now typed) would leave no active 站长. */
static ws_status account_last_director(db *d, const account *a, bool *last)
{
    *last = false;
    if (strcmp(a->role, "director") == 0 && strcmp(a->active, "1") == 0)
        return WS_OK;
    bool was = false;
    ws_status s = db_exists_i64(d, "SELECT 1 FROM accounts WHERE id = ?1 AND role = 'director'"
                                   " AND active = 1 AND deleted_at IS NULL", a->id, 0, &was);
    if (s != WS_OK || !was)
        return s;
    bool other = false;
    s = db_exists_i64(d, "SELECT 1 FROM accounts WHERE id <> ?1 AND role = 'director'"
                         " AND active = 1 AND deleted_at IS NULL", a->id, 0, &other);
    *last = s == WS_OK && !other;
    return s;
}

static ws_status account_rules(station *st, void *rec, record_error *re)
{
    account *a = rec;
    char folded[sizeof a->login];
    account_login_fold(a->login, folded, sizeof folded);
    snprintf(a->login, sizeof a->login, "%s", folded);
    val_status v = account_login_check(a->login);
    if (v != VAL_OK)
        return account_fail(re, AF_LOGIN, v);
    if (strcmp(a->active, "0") != 0)
        snprintf(a->active, sizeof a->active, "1");
    bool last = false;
    ws_status s = account_last_director(station_db(st), a, &last);
    if (s == WS_OK && last)
        return account_fail(re, strcmp(a->active, "1") == 0 ? AF_ROLE : AF_ACTIVE,
                            VAL_LAST_DIRECTOR);
    return s;
}

/* What logins keep (the last login, a reset's must_change) is the file's,
 * not what a form loaded earlier. */
static ws_status account_keep_derived(station *st, void *rec, bool insert, record_error *re)
{
    (void)re;
    account *a = rec;
    if (insert)
        return WS_OK;
    db *d = station_db(st);
    ws_status s = db_text_i64(d, "SELECT last_login_at FROM accounts WHERE id = ?1", a->id,
                              a->last_login_at, sizeof a->last_login_at);
    return s == WS_OK ? db_int(d, "SELECT must_change FROM accounts WHERE id = ?1", a->id,
                               &a->must_change)
                      : s;
}

static ws_status account_never_deleted(station *st, int64_t id, record_error *re)
{
    (void)st;
    (void)id;
    re->field = -1;
    re->code = VAL_IN_USE;
    snprintf(re->detail, sizeof re->detail, "%s", tr("account.not_deleted"));
    return WS_ERR_INVALID;
}

static const field_def account_fields[] = {
    [AF_LOGIN] = {.column = "login", .label = "field.login", .type = FLD_TEXT,
                  .flags = FF_REQUIRED | FF_UNIQUE | FF_SEARCH | FF_LIST | FF_LEDGER,
                  REC_AT(account, login), .limit = ACCOUNT_LOGIN_MAX,
                  .aliases = "账户|账户名|登录名|用户名", .width = 12},
    [AF_NAME] = {.column = "display_name", .label = "field.display_name", .type = FLD_NAME,
                 .flags = FF_REQUIRED | FF_SEARCH | FF_LIST | FF_LEDGER,
                 REC_AT(account, display_name), .limit = 20, .aliases = "姓名|显示名",
                 .width = 10},
    [AF_ROLE] = {.column = "role", .label = "field.role", .type = FLD_CODE,
                 .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(account, role),
                 .codes = "role", .aliases = "角色", .width = 6},
    [AF_PHONE] = {.column = "phone", .label = "field.phone", .type = FLD_PHONE,
                  .flags = FF_SEARCH | FF_LIST | FF_LEDGER, REC_AT(account, phone),
                  .aliases = "电话|手机|联系电话", .width = 13},
    [AF_ACTIVE] = {.column = "active", .label = "field.account_state", .type = FLD_CODE,
                   .flags = FF_LIST | FF_NO_FORM, REC_AT(account, active),
                   .codes = "account_state", .width = 4},
    [AF_LAST_LOGIN] = {.column = "last_login_at", .label = "field.last_login",
                       .type = FLD_TEXT, .flags = FF_LIST | FF_NO_FORM,
                       REC_AT(account, last_login_at), .width = 16},
    [AF_MUST_CHANGE] = {.column = "must_change", .label = "field.must_change", .type = FLD_INT,
                        .flags = FF_NO_FORM, REC_AT(account, must_change)},
};

static struct kind_sql account_sql;
const record_kind kind_account = {
    .name = "account",
    .table = "accounts",
    .label = "kind.account",
    .size = sizeof(account),
    .id_offset = offsetof(account, id),
    .revision_offset = offsetof(account, revision),
    .fields = account_fields,
    .nfields = sizeof account_fields / sizeof account_fields[0],
    .title_field = AF_NAME,
    .sort_by_pinyin = true,
    .title_is_person = true,
    .read_perm = PERM_ACCOUNTS,
    .write_perm = PERM_ACCOUNTS,
    .hooks = {.validate = account_rules, .before_write = account_keep_derived,
              .before_delete = account_never_deleted},
    .sql = &account_sql,
};

/* ---- accounts ---- */

/* Account management in the access log too (the 审计 screen shows who
 * made or disabled whom): what was done, the account and its role. */
static void account_note(station *st, const account *a, const char *what)
{
    const code_item *it = codebook_find(station_codes(st), "role", a->role);
    const char *role = it ? code_label(it, 0) : NULL;
    char *name = text_sanitize(a->display_name);
    char detail[512];
    snprintf(detail, sizeof detail, "{\"account\":\"%s\",\"who\":\"%s\",\"role\":\"%s\"}",
             what, name ? name : "", role ? role : a->role);
    free(name);
    access_log(st, &(access_entry){.event = EV_ACCOUNT, .table = "accounts", .row = a->id,
                                   .detail = detail});
}

ws_status account_count(station *st, int64_t *n)
{
    return db_int(station_db(st), "SELECT count(*) FROM accounts WHERE deleted_at IS NULL", 0,
                  n);
}

static ws_status account_read(station *st, const char *sql, int64_t id, const char *login,
                              account *out, char *hash, size_t hashsz)
{
    account_init(out);
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, sql);
    if (!q)
        return db_status(d);
    if (login)
        db_bind_text(q, 1, login);
    else
        sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(q, 0);
        out->revision = sqlite3_column_int64(q, 1);
        db_column_copy(q, 2, out->login, sizeof out->login);
        db_column_copy(q, 3, out->display_name, sizeof out->display_name);
        db_column_copy(q, 4, out->role, sizeof out->role);
        db_column_copy(q, 5, out->phone, sizeof out->phone);
        db_column_copy(q, 6, out->active, sizeof out->active);
        db_column_copy(q, 7, out->last_login_at, sizeof out->last_login_at);
        out->must_change = sqlite3_column_int64(q, 8);
        if (hash)
            db_column_copy(q, 9, hash, hashsz);
    }
    db_reset(q);
    if (rc == SQLITE_ROW)
        return WS_OK;
    return rc == SQLITE_DONE ? WS_ERR_NOT_FOUND : db_status_from(rc);
}

#define ACCOUNT_COLUMNS                                                                   \
    "SELECT id, revision, login, display_name, role, phone, active, last_login_at,"       \
    " must_change, password_hash FROM accounts WHERE deleted_at IS NULL AND "

ws_status account_find(station *st, const char *login, account *out)
{
    return account_read(st, ACCOUNT_COLUMNS "login = ?1", 0, login, out, NULL, 0);
}

ws_status account_load(station *st, int64_t id, account *out)
{
    const account *me = station_account(st);
    if (!(me && me->id == id)) {
        ws_status s = station_require(st, PERM_ACCOUNTS);
        if (s != WS_OK)
            return s;
    }
    return account_read(st, ACCOUNT_COLUMNS "id = ?1", id, NULL, out, NULL, 0);
}

static ws_status account_store_hash(db *d, int64_t id, const char *hash, bool must_change)
{
    sqlite3_stmt *q = db_prepare(d, "UPDATE accounts SET password_hash = ?2, must_change = ?3,"
                                    " failures = 0, locked_until = 0 WHERE id = ?1");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, id);
    db_bind_text(q, 2, hash);
    sqlite3_bind_int(q, 3, must_change);
    int rc = sqlite3_step(q);
    db_reset(q);
    return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* account_create with the password's hash made already (NULL: made here). */
static ws_status account_create_hashed(station *st, account *a, const char *password,
                                       const char *made, record_error *re)
{
    memset(re, 0, sizeof *re);
    re->field = -1;
    db *d = station_db(st);
    int64_t n = 0;
    ws_status s = account_count(st, &n);
    if (s != WS_OK)
        return s;
    /* The first 站长 of a station needs nobody's login. */
    bool first = n == 0 && strcmp(a->role, "director") == 0;
    if (!first && (s = station_require(st, PERM_ACCOUNTS)) != WS_OK)
        return s;
    char folded[sizeof a->login];
    account_login_fold(a->login, folded, sizeof folded);
    val_status v = account_login_check(folded);
    if (v != VAL_OK)
        return account_fail(re, AF_LOGIN, v);
    v = account_password_check(folded, password);
    if (v != VAL_OK)
        return account_fail(re, -1, v);
    char hash[crypto_pwhash_STRBYTES];
    if (made)
        snprintf(hash, sizeof hash, "%s", made);
    else if ((s = account_hash(password, hash)) != WS_OK)
        return s;
    account work = *a;
    work.id = 0;
    work.must_change = 0;
    snprintf(work.active, sizeof work.active, "1");
    work.last_login_at[0] = '\0';
    if ((s = db_begin(d)) != WS_OK)
        return s;
    s = record_save_as(st, &kind_account, &work, re, first);
    if (s == WS_OK)
        s = account_store_hash(d, work.id, hash, false);
    s = db_end(d, s);
    sodium_memzero(hash, sizeof hash);
    if (s == WS_OK) {
        *a = work;
        account_note(st, a, "create");
    }
    return s;
}

ws_status account_create(station *st, account *a, const char *password, record_error *re)
{
    return account_create_hashed(st, a, password, NULL, re);
}

ws_status account_save(station *st, account *a, record_error *re)
{
    account was;
    bool had = account_read(st, ACCOUNT_COLUMNS "id = ?1", a->id, NULL, &was, NULL, 0) == WS_OK;
    ws_status s = record_save(st, &kind_account, a, re);
    if (s == WS_OK && had) {
        bool active_changed = strcmp(was.active, a->active) != 0;
        if (active_changed)
            account_note(st, a, strcmp(a->active, "1") == 0 ? "enable" : "disable");
        if (strcmp(was.role, a->role) != 0 || strcmp(was.display_name, a->display_name) != 0 ||
            strcmp(was.phone, a->phone) != 0)
            account_note(st, a, "edit");
    }
    const account *me = station_account(st);
    if (s == WS_OK && me && me->id == a->id)
        station_set_account(st, a);
    return s;
}

ws_status account_set_active(station *st, int64_t id, bool active, record_error *re)
{
    memset(re, 0, sizeof *re);
    re->field = -1;
    account a;
    ws_status s = account_load(st, id, &a);
    if (s != WS_OK)
        return s;
    snprintf(a.active, sizeof a.active, "%s", active ? "1" : "0");
    /* A disabled account's sessions stop working: account_session_resume
     * checks that the account is active. */
    return account_save(st, &a, re);
}

/* The demo accounts' hashes, made at once on threads of their own: each is
 * a deliberate fraction of a second of one core. */
typedef struct demo_hash {
    pthread_t thread;
    bool started;
    ws_status s;
    char hash[crypto_pwhash_STRBYTES];
} demo_hash;

static void *demo_hash_run(void *arg)
{
    demo_hash *h = arg;
    h->s = account_hash(ACCOUNT_DEMO_PASSWORD, h->hash);
    return NULL;
}

/* A hash that could not be made (no thread, no memory) has s set, and is
 * made as account_create makes it. */
static void demo_hashes_make(demo_hash *h, size_t n)
{
    if (account_sodium() != WS_OK) {
        for (size_t i = 0; i < n; i++)
            h[i].s = WS_ERR_NOMEM;
        return;
    }
    for (size_t i = 1; i < n; i++) {
        h[i].s = WS_ERR_NOMEM;
        h[i].started = pthread_create(&h[i].thread, NULL, demo_hash_run, &h[i]) == 0;
    }
    demo_hash_run(&h[0]);
    for (size_t i = 1; i < n; i++)
        if (h[i].started)
            pthread_join(h[i].thread, NULL);
}

ws_status account_create_demo(station *st)
{
    static const struct {
        const char *login, *name, *role, *phone;
    } demo[] = {
        {"zhanzhang", "张建国", "director", "13800000001"},
        {"shegong", "李芳", "worker", "13800000002"},
        {"luru", "刘敏", "clerk", "13800000003"},
        {"dudao", "陈卫东", "supervisor", "13800000004"},
    };
    int64_t n = 0;
    ws_status s = account_count(st, &n);
    if (s != WS_OK || n > 0)
        return s;
    enum { DEMO_ACCOUNTS = sizeof demo / sizeof demo[0] };
    demo_hash hashes[DEMO_ACCOUNTS] = {0};
    demo_hashes_make(hashes, DEMO_ACCOUNTS);
    for (size_t i = 0; s == WS_OK && i < DEMO_ACCOUNTS; i++) {
        account a;
        account_init(&a);
        snprintf(a.login, sizeof a.login, "%s", demo[i].login);
        snprintf(a.display_name, sizeof a.display_name, "%s", demo[i].name);
        snprintf(a.role, sizeof a.role, "%s", demo[i].role);
        snprintf(a.phone, sizeof a.phone, "%s", demo[i].phone);
        record_error re;
        s = account_create_hashed(st, &a, ACCOUNT_DEMO_PASSWORD,
                                  hashes[i].s == WS_OK ? hashes[i].hash : NULL, &re);
    }
    for (size_t i = 0; i < DEMO_ACCOUNTS; i++)
        sodium_memzero(hashes[i].hash, sizeof hashes[i].hash);
    return s;
}

/* ---- logging in ---- */

static void account_detail(char *out, size_t outsz, const char *what, int64_t n)
{
    snprintf(out, outsz, "{\"%s\":%lld}", what, (long long)n);
}

/* Record a wrong password: the count, and the wait it earns. */
static ws_status account_failed(station *st, const account *a, account_login_result *res)
{
    db *d = station_db(st);
    int64_t failures = 0;
    ws_status s = db_begin(d);
    if (s != WS_OK)
        return s;
    s = db_int(d, "SELECT failures + 1 FROM accounts WHERE id = ?1", a->id, &failures);
    int64_t until = 0;
    if (failures >= ACCOUNT_LOCK_AFTER) {
        int shift = (int)(failures - ACCOUNT_LOCK_AFTER);
        int64_t wait = (int64_t)ACCOUNT_LOCK_SECONDS << (shift > 16 ? 16 : shift);
        until = station_time(st) + wait;
        res->wait_seconds = wait;
    }
    sqlite3_stmt *q = s == WS_OK ? db_prepare(d, "UPDATE accounts SET failures = ?2,"
                                                 " locked_until = ?3 WHERE id = ?1") : NULL;
    if (s == WS_OK && !q)
        s = db_status(d);
    if (s == WS_OK) {
        sqlite3_bind_int64(q, 1, a->id);
        sqlite3_bind_int64(q, 2, failures);
        sqlite3_bind_int64(q, 3, until);
        int rc = sqlite3_step(q);
        db_reset(q);
        s = rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
    }
    res->failures = (int)failures;
    return db_end(d, s);
}

static ws_status account_succeeded(station *st, const account *a)
{
    db *d = station_db(st);
    char now[32];
    db_now(now);
    return db_run_i64_text(d, "UPDATE accounts SET failures = 0, locked_until = 0,"
                              " last_login_at = ?2 WHERE id = ?1", a->id, now);
}

/* The check behind a login and an idle lock's resume. */
static ws_status account_check(station *st, const char *login, const char *password,
                               account *a, account_login_result *res, access_event ok_event)
{
    memset(res, 0, sizeof *res);
    char hash[crypto_pwhash_STRBYTES + 1] = "";
    ws_status s = account_read(st, ACCOUNT_COLUMNS "login = ?1", 0, login, a, hash,
                               sizeof hash);
    if (s != WS_OK && s != WS_ERR_NOT_FOUND)
        return s;
    bool known = s == WS_OK;
    bool writable = !station_read_only(st);
    int64_t locked_until = 0;
    if (known && (s = db_int(station_db(st), "SELECT locked_until FROM accounts WHERE id = ?1",
                             a->id, &locked_until)) != WS_OK)
        return s;
    char detail[96];
    access_entry e = {.event = EV_LOGIN_FAILED, .login = login, .detail = detail,
                      .account = known ? a->id : 0,
                      .table = "accounts", .row = known ? a->id : 0};
    int64_t now = station_time(st);
    if (known && locked_until > now) {
        res->wait_seconds = locked_until - now;
        account_detail(detail, sizeof detail, "locked", res->wait_seconds);
        access_log(st, &e);
        return WS_ERR_LOCKED;
    }
    bool ok = account_hash_matches(known ? hash : NULL, password ? password : "");
    sodium_memzero(hash, sizeof hash);
    if (!ok) {
        if (known && writable && (s = account_failed(st, a, res)) != WS_OK)
            return s;
        account_detail(detail, sizeof detail, "failures", res->failures);
        access_log(st, &e);
        return res->wait_seconds ? WS_ERR_LOCKED : WS_ERR_AUTH;
    }
    if (strcmp(a->active, "1") != 0) {
        snprintf(detail, sizeof detail, "{\"disabled\":1}");
        access_log(st, &e);
        return WS_ERR_DISABLED;
    }
    if (writable && (s = account_succeeded(st, a)) != WS_OK)
        return s;
    res->must_change = a->must_change != 0;
    station_set_account(st, a);
    access_log(st, &(access_entry){.event = ok_event, .table = "accounts", .row = a->id});
    return WS_OK;
}

ws_status account_login(station *st, const char *login, const char *password,
                        account_login_result *res)
{
    char folded[ACCOUNT_LOGIN_MAX * 4 + 1];
    account_login_fold(login ? login : "", folded, sizeof folded);
    account a;
    station_set_account(st, NULL);
    return account_check(st, folded, password, &a, res, EV_LOGIN);
}

ws_status account_verify(station *st, const char *password, account_login_result *res)
{
    const account *me = station_account(st);
    if (!me) {
        memset(res, 0, sizeof *res);
        return WS_ERR_AUTH;
    }
    char login[sizeof me->login];
    snprintf(login, sizeof login, "%s", me->login);
    account a;
    ws_status s = account_check(st, login, password, &a, res, EV_UNLOCK);
    if (s == WS_ERR_DISABLED)
        station_set_account(st, NULL);
    return s;
}

void account_logout(station *st)
{
    if (!station_account(st))
        return;
    access_log(st, &(access_entry){.event = EV_LOGOUT});
    station_set_account(st, NULL);
}

ws_status account_change_password(station *st, const char *old_password,
                                  const char *new_password, record_error *re)
{
    memset(re, 0, sizeof *re);
    re->field = -1;
    const account *me = station_account(st);
    if (!me)
        return WS_ERR_DENIED;
    account a = *me;
    char hash[crypto_pwhash_STRBYTES + 1] = "";
    account cur;
    ws_status s = account_read(st, ACCOUNT_COLUMNS "id = ?1", a.id, NULL, &cur, hash,
                               sizeof hash);
    if (s != WS_OK)
        return s;
    bool ok = account_hash_matches(hash, old_password);
    sodium_memzero(hash, sizeof hash);
    if (!ok)
        return WS_ERR_AUTH;
    val_status v = account_password_check(a.login, new_password);
    if (v == VAL_OK && strcmp(old_password, new_password) == 0)
        v = VAL_PASSWORD_SAME;
    if (v != VAL_OK)
        return account_fail(re, -1, v);
    char fresh[crypto_pwhash_STRBYTES];
    if ((s = account_hash(new_password, fresh)) != WS_OK)
        return s;
    s = account_store_hash(station_db(st), a.id, fresh, false);
    sodium_memzero(fresh, sizeof fresh);
    if (s == WS_OK) {
        a.must_change = 0;
        station_set_account(st, &a);
        access_log(st, &(access_entry){.event = EV_PASSWORD, .table = "accounts", .row = a.id,
                                       .detail = "{\"changed\":1}"});
    }
    return s;
}

ws_status account_reset_password(station *st, int64_t id, const char *password,
                                 record_error *re)
{
    memset(re, 0, sizeof *re);
    re->field = -1;
    ws_status s = station_require(st, PERM_ACCOUNTS);
    account a;
    if (s == WS_OK)
        s = account_read(st, ACCOUNT_COLUMNS "id = ?1", id, NULL, &a, NULL, 0);
    if (s != WS_OK)
        return s;
    val_status v = account_password_check(a.login, password);
    if (v != VAL_OK)
        return account_fail(re, -1, v);
    char hash[crypto_pwhash_STRBYTES];
    if ((s = account_hash(password, hash)) != WS_OK)
        return s;
    s = account_store_hash(station_db(st), id, hash, true);
    sodium_memzero(hash, sizeof hash);
    if (s == WS_OK)
        access_log(st, &(access_entry){.event = EV_PASSWORD, .table = "accounts", .row = id,
                                       .detail = "{\"reset\":1}"});
    return s;
}

/* ---- sessions of `wushe login` ---- */

static void account_token_hash(const char *token, char out[crypto_hash_sha256_BYTES * 2 + 1])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(out, crypto_hash_sha256_BYTES * 2 + 1, h, sizeof h);
}

ws_status account_session_start(station *st, char token[ACCOUNT_TOKEN_LEN + 1])
{
    token[0] = '\0';
    const account *me = station_account(st);
    if (!me)
        return WS_ERR_DENIED;
    ws_status s = account_sodium();
    if (s != WS_OK)
        return s;
    unsigned char raw[ACCOUNT_TOKEN_LEN / 2];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(token, ACCOUNT_TOKEN_LEN + 1, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
    char hash[crypto_hash_sha256_BYTES * 2 + 1];
    account_token_hash(token, hash);
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, "INSERT INTO sessions(token_hash, account_id, created_at,"
                                    " last_used) VALUES (?1, ?2, ?3, ?4)");
    if (!q)
        return db_status(d);
    char now[32];
    db_now(now);
    db_bind_text(q, 1, hash);
    sqlite3_bind_int64(q, 2, me->id);
    db_bind_text(q, 3, now);
    sqlite3_bind_int64(q, 4, station_time(st));
    int rc = sqlite3_step(q);
    db_reset(q);
    return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

ws_status account_session_resume(station *st, const char *token, int idle_minutes)
{
    if (!token || strlen(token) != ACCOUNT_TOKEN_LEN)
        return WS_ERR_AUTH;
    ws_status s = account_sodium();
    if (s != WS_OK)
        return s;
    char hash[crypto_hash_sha256_BYTES * 2 + 1];
    account_token_hash(token, hash);
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, "SELECT account_id, last_used FROM sessions"
                                    " WHERE token_hash = ?1");
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, hash);
    int64_t id = 0, used = 0;
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        id = sqlite3_column_int64(q, 0);
        used = sqlite3_column_int64(q, 1);
    }
    db_reset(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_status_from(rc);
    int64_t now = station_time(st);
    if (!id || now - used > (int64_t)idle_minutes * 60 || now < used - 300)
        return WS_ERR_AUTH;
    account a;
    s = account_read(st, ACCOUNT_COLUMNS "id = ?1", id, NULL, &a, NULL, 0);
    if (s == WS_ERR_NOT_FOUND || (s == WS_OK && strcmp(a.active, "1") != 0))
        return s == WS_OK ? WS_ERR_DISABLED : WS_ERR_AUTH;
    if (s != WS_OK)
        return s;
    /* Renewed at most once a minute: a script's many calls should not each
     * pay a write (and its fsync). */
    if (!station_read_only(st) && now - used >= 60) {
        q = db_prepare(d, "UPDATE sessions SET last_used = ?2 WHERE token_hash = ?1");
        if (!q)
            return db_status(d);
        db_bind_text(q, 1, hash);
        sqlite3_bind_int64(q, 2, now);
        rc = sqlite3_step(q);
        db_reset(q);
        if (rc != SQLITE_DONE)
            return db_status_from(rc);
    }
    station_set_account(st, &a);
    return WS_OK;
}

ws_status account_session_end(station *st, const char *token)
{
    if (!token || strlen(token) != ACCOUNT_TOKEN_LEN)
        return WS_ERR_AUTH;
    char hash[crypto_hash_sha256_BYTES * 2 + 1];
    account_token_hash(token, hash);
    ws_status s = db_exec_text(station_db(st), "DELETE FROM sessions WHERE token_hash = ?1",
                               hash);
    if (s == WS_OK)
        account_logout(st);
    return s;
}

void account_current_name(station *st, char *out, size_t outsz)
{
    const account *a = st ? station_account(st) : NULL;
    snprintf(out, outsz, "%s", a ? a->display_name : st ? station_actor(st) : "");
}
