/* Accounts: who is at the keyboard. A declared kind of record (login,
 * display name, role, phone, active), plus what no field table holds: the
 * password, kept only as an Argon2id hash (libsodium's crypto_pwhash_str),
 * never in the audit JSON, a log or an export; the lockout after wrong
 * passwords; and the sessions of `wushe login`.
 *
 * Accounts are disabled, never deleted: the audit and access logs name
 * them. */
#ifndef WUSHE_ACCOUNT_H
#define WUSHE_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "wushe/access.h"
#include "wushe/identity.h"
#include "wushe/record.h"
#include "wushe/station.h"

#define ACCOUNT_PASSWORD_MIN 8     /* characters */
#define ACCOUNT_PASSWORD_MAX 128   /* characters */
#define ACCOUNT_LOCK_AFTER 5       /* wrong passwords in a row */
#define ACCOUNT_LOCK_SECONDS 60    /* then doubling with each further one */


extern const record_kind kind_account;

void account_init(account *a);
/* Whether a login name is well formed (lower case is expected: a front end
 * folds what was typed with account_login_fold first). */
val_status account_login_check(const char *login);
/* Lower-case ASCII letters of a typed login, spaces around it trimmed. */
void account_login_fold(const char *typed, char *out, size_t outsz);
/* Whether password may be set for login: 8 to 128 characters, no control
 * characters, not the login name. */
val_status account_password_check(const char *login, const char *password);

/* A new account with its first password (re->field = -1 and code a
 * VAL_PASSWORD_* for a bad password). Needs PERM_ACCOUNTS, except for the
 * first 站长 of a station that has no account yet. */
ws_status account_create(station *st, account *a, const char *password, record_error *re);
/* Save the account's fields (display name, role, phone, active); the last
 * active 站长 stays one (VAL_LAST_DIRECTOR). Needs PERM_ACCOUNTS. */
ws_status account_save(station *st, account *a, record_error *re);
ws_status account_load(station *st, int64_t id, account *out);
ws_status account_find(station *st, const char *login, account *out);
/* Disable or enable (PERM_ACCOUNTS), audited. */
ws_status account_set_active(station *st, int64_t id, bool active, record_error *re);
/* Living accounts (all, active or not). */
ws_status account_count(station *st, int64_t *n);

/* What a login attempt found. */
typedef struct account_login_result {
    bool must_change;      /* the password was reset: change it now */
    int64_t wait_seconds;  /* WS_ERR_LOCKED: how long until the next try */
    int failures;          /* wrong passwords in a row so far */
} account_login_result;

/* Check login and password; on success the station acts as that account
 * (station_account) and the login is recorded. Every attempt is recorded.
 * WS_ERR_AUTH (unknown login or wrong password, the same answer for
 * both), WS_ERR_LOCKED (too many wrong passwords: res->wait_seconds),
 * WS_ERR_DISABLED. */
ws_status account_login(station *st, const char *login, const char *password,
                        account_login_result *res);
/* Whether password is the logged-in account's (an idle lock resuming):
 * counts toward the lockout like a login. */
ws_status account_verify(station *st, const char *password, account_login_result *res);
/* Forget who is logged in (recorded). */
void account_logout(station *st);
/* Who is at the keyboard, by name as the clerks know each other (王芳, not
 * the login): the logged-in account's display name, else the actor. */
void account_current_name(station *st, char *out, size_t outsz);

/* The logged-in account's own new password (the old one checked). */
ws_status account_change_password(station *st, const char *old_password,
                                  const char *new_password, record_error *re);
/* A 站长 sets a temporary password, to be changed at the next login. */
ws_status account_reset_password(station *st, int64_t id, const char *password,
                                 record_error *re);

/* `wushe login`: a random token (hex, 64 characters) for the logged-in
 * account; only its hash is stored. */
#define ACCOUNT_TOKEN_LEN 64
ws_status account_session_start(station *st, char token[ACCOUNT_TOKEN_LEN + 1]);
/* Act as the session's account when the token is known and was used less
 * than idle_minutes ago (its use renews it); WS_ERR_AUTH otherwise. */
ws_status account_session_resume(station *st, const char *token, int idle_minutes);
ws_status account_session_end(station *st, const char *token);

/* The demo station's accounts, one per role, all with the password
 * ACCOUNT_DEMO_PASSWORD (shown on the demo's login screen and in README);
 * made only when the station has no account yet. */
#define ACCOUNT_DEMO_PASSWORD "wushe-demo"
ws_status account_create_demo(station *st);

/* How many seconds a password check costs here (for README and the bench):
 * one hash with the station's parameters. */
double account_hash_seconds(void);

#endif
