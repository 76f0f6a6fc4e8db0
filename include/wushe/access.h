/* Who may do what, and the record of who looked at what.
 *
 * One table (access.c) says which role may do what; the model checks it in
 * its read and write paths, so a front end that forgot to hide a key still
 * cannot read or write past it. The access log records logins, locks,
 * unmasks, exports and prints: acts that read personal data without
 * changing it, which the audit log of writes cannot show. */
#ifndef WUSHE_ACCESS_H
#define WUSHE_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wushe/station.h"

/* X(name, catalog key of what it allows) */
#define ACCESS_PERMS(X)                                   \
    X(PERM_REGISTER_READ, "perm.register_read")           \
    X(PERM_REGISTER_WRITE, "perm.register_write")         \
    X(PERM_IDS_FULL, "perm.ids_full")                     \
    X(PERM_UNMASK, "perm.unmask")                         \
    X(PERM_EXPORT, "perm.export")                         \
    X(PERM_EXPORT_UNMASKED, "perm.export_unmasked")       \
    X(PERM_IMPORT, "perm.import")                         \
    X(PERM_STATION, "perm.station")                       \
    X(PERM_ACCOUNTS, "perm.accounts")                     \
    X(PERM_ACCESS_LOG, "perm.access_log")                 \
    X(PERM_SUBJECT, "perm.subject")                       \
    X(PERM_ERASE, "perm.erase")                           \
    X(PERM_BACKUP, "perm.backup")                         \
    X(PERM_RESTORE, "perm.restore")                       \
    X(PERM_VISIT_READ, "perm.visit_read")                 \
    X(PERM_VISIT_WRITE, "perm.visit_write")               \
    X(PERM_CASE_READ, "perm.case_read")                   \
    X(PERM_CASE_WRITE, "perm.case_write")                 \
    X(PERM_CASE_ALL, "perm.case_all")                     \
    X(PERM_CASE_APPROVE, "perm.case_approve")             \
    X(PERM_RESOURCES, "res.perm_resources")           \
    X(PERM_FUND_PAY, "res.perm_fund_pay")             \
    X(PERM_VOLUNTEER_READ, "perm.volunteer_read")       \
    X(PERM_VOLUNTEER_WRITE, "perm.volunteer_write")     \
    X(PERM_HOURS_CONFIRM, "perm.hours_confirm")         \
    X(PERM_ORG_READ, "perm.org_read")                   \
    X(PERM_ORG_WRITE, "perm.org_write")                 \
    X(PERM_ORG_INCUBATE, "perm.org_incubate")

typedef enum {
#define ACCESS_PERM_ENUM(name, key) name,
    ACCESS_PERMS(ACCESS_PERM_ENUM)
#undef ACCESS_PERM_ENUM
    PERM_COUNT
} access_perm;

/* The roles (code list "role"). */
#define ACCESS_ROLES(X)            \
    X(ROLE_DIRECTOR, "director")   \
    X(ROLE_WORKER, "worker")       \
    X(ROLE_CLERK, "clerk")         \
    X(ROLE_SUPERVISOR, "supervisor")

typedef enum {
#define ACCESS_ROLE_ENUM(name, code) name,
    ACCESS_ROLES(ACCESS_ROLE_ENUM)
#undef ACCESS_ROLE_ENUM
    ROLE_COUNT,
    ROLE_NONE = ROLE_COUNT
} access_role;

/* Role by its code (ROLE_NONE when unknown) and back. */
access_role access_role_find(const char *code);
const char *access_role_code(access_role r);
/* Whether role r may do p: the one table. */
bool access_role_may(access_role r, access_perm p);
const char *access_perm_key(access_perm p);

/* Whether whoever is logged in on st may do p. A station opened with
 * STATION_TRUSTED (the demo fill, tests) acts for itself and may do
 * everything; otherwise nobody may do anything before a login. */
bool station_can(station *st, access_perm p);
/* WS_OK, or WS_ERR_DENIED after recording the refusal in the access log. */
ws_status station_require(station *st, access_perm p);

/* X(name, code stored in access_log.event, catalog key) */
#define ACCESS_EVENTS(X)                                           \
    X(EV_LOGIN, "login", "access.ev_login")                        \
    X(EV_LOGIN_FAILED, "login_failed", "access.ev_login_failed")   \
    X(EV_LOGOUT, "logout", "access.ev_logout")                     \
    X(EV_LOCK, "lock", "access.ev_lock")                           \
    X(EV_UNLOCK, "unlock", "access.ev_unlock")                     \
    X(EV_PASSWORD, "password", "access.ev_password")               \
    X(EV_UNMASK, "unmask", "access.ev_unmask")                     \
    X(EV_EXPORT, "export", "access.ev_export")                     \
    X(EV_PRINT, "print", "access.ev_print")                        \
    X(EV_OPEN, "open", "access.ev_open")                           \
    X(EV_DENIED, "denied", "access.ev_denied")                     \
    X(EV_ERASE, "erase", "access.ev_erase")                        \
    X(EV_BACKUP, "backup", "access.ev_backup")                     \
    X(EV_RESTORE, "restore", "access.ev_restore")                  \
    X(EV_ACCOUNT, "account", "access.ev_account")

typedef enum {
#define ACCESS_EVENT_ENUM(name, code, key) name,
    ACCESS_EVENTS(ACCESS_EVENT_ENUM)
#undef ACCESS_EVENT_ENUM
    EV_COUNT
} access_event;

const char *access_event_code(access_event e);
const char *access_event_key(access_event e);
/* EV_COUNT when unknown. */
access_event access_event_find(const char *code);

/* One entry, in its own transaction unless the caller has one open. The
 * account is the one logged in (none: `login` says who was typed). table
 * and detail may be NULL; row and rows 0 for none; detail is JSON. */
typedef struct access_entry {
    access_event event;
    const char *login;  /* for failed logins: what was typed */
    int64_t account;    /* nobody logged in: the account it is about (0: none) */
    const char *table;
    int64_t row;
    int64_t rows;
    const char *detail;
    int64_t *id_out;    /* may be NULL: the entry's id */
} access_entry;
ws_status access_log(station *st, const access_entry *e);
/* The rows an export wrote, once it is done (its entry was made first). */
ws_status access_log_rows(station *st, int64_t entry, int64_t rows);

/* Showing full identifiers (a form's key, `wushe search --unmasked`):
 * allowed to PERM_UNMASK and recorded before anything is shown. detail is
 * JSON (the query, ...) or NULL. */
ws_status access_unmask(station *st, const char *table, int64_t row, const char *detail);

/* The access log screen and its export: newest first, filtered. */
typedef struct access_filter {
    int64_t account_id;   /* 0: all */
    int event;            /* an access_event, or -1 for all */
    char from[11], to[11];/* YYYY-MM-DD local dates, "" for open */
    char table[32];       /* "" all */
    int64_t row;          /* 0 all */
} access_filter;

typedef struct access_row {
    int64_t id;
    char at[32];          /* local "YYYY-MM-DD HH:MM:SS" */
    char who[160];        /* display name (login); a typed login that is no account marked */
    access_event event;
    char table[32];
    int64_t row;
    int64_t rows;
    char detail[512];
} access_row;

void access_filter_init(access_filter *f);
/* Keyset paging newest first: after = the id to continue from (0: the
 * start; dir < 0 goes back toward newer rows, nearest first). Needs
 * PERM_ACCESS_LOG. */
ws_status access_list(station *st, const access_filter *f, int64_t after, int dir,
                      access_row *rows, size_t max, size_t *n);
ws_status access_count(station *st, const access_filter *f, int64_t *n);

#endif
