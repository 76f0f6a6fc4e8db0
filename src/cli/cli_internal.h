/* What the command line's files share. */
#ifndef WUSHE_CLI_INTERNAL_H
#define WUSHE_CLI_INTERNAL_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>

#include "wushe/config.h"
#include "wushe/station.h"

/* 3: an import wrote what it could, but some rows were invalid (they are in
 * the error file): a script must not take the ledger as fully imported. */
enum { EXIT_USAGE = 2, EXIT_PARTIAL = 3 };

typedef struct cli_opts {
    const char *db_path;
    const char *lang;
    const char *config_path;
    bool demo;
    size_t residents;
    size_t queries;
    bool dry_run;     /* import */
    bool unmasked;    /* export, search: full identifiers (audited) */
    bool ceiling;     /* bench: only the write ceiling */
    bool costs;       /* bench --ceiling: and what each table and index costs */
    bool floors;      /* bench --ceiling: and the floors beside it */
    bool encrypt;     /* backup: sealed with a passphrase */
    bool yes;         /* erase: asked already (a script) */
    const char *reason; /* erase: why (recorded) */
    const char *user; /* --user LOGIN: act as this account (password asked) */
    const char *role; /* user add */
    const char *name; /* user add: display name */
    const char *phone;
    const char *encoding;
    const char *sheet; /* import: a workbook's sheet by name */
    const char *format;
    const char *filter;
    const char *out;  /* print: the PDF to write */
    bool with_notes;  /* export: case content too (a 站长's, audited) */
    const char *from, *to; /* export: a period of the kind's dates */
    /* user passwd: where the login's password goes, to serve as the old
     * one (NULL: nowhere) */
    char *password_out;
    size_t password_out_size;
    const char *args[4]; /* positional */
    int nargs;
} cli_opts;

/* Room for a typed password: more than the longest allowed (128
 * characters of up to 4 bytes), so a longer one is refused as too long. */
#define CLI_PASSWORD_BYTES 1024

void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The message of key with arg (made safe for the terminal), then usage;
 * returns EXIT_USAGE. */
int cli_usage_error(const char *key, const char *arg);
/* A model call's failure: its message, and SQLite's words only for a
 * database error. */
void cli_status_error(station *st, ws_status s);

/* Open a station (see cli.c). Unless flags has STATION_TRUSTED, the
 * command then runs as an account (cli_authenticate); a station with no
 * account yet refuses, naming `wushe user add`, unless flags has
 * CLI_NO_ACCOUNTS_OK (`check`, and `user add` of the first 站长). With
 * STATION_CREATE a new file is made mode 0600, new folders 0700. */
enum { CLI_NO_ACCOUNTS_OK = 1u << 16 }; /* cli_open: a station without accounts runs as is */
int cli_open(const cli_opts *o, const char *path, unsigned flags, const station_config *cfg,
             station **st);
/* The usage's entries for one command (`wushe CMD --help`); all of it
 * when cmd is NULL or unknown. */
void cli_usage_print(FILE *out, const char *cmd);

/* Act as an account: --user LOGIN (password asked without echo),
 * WUSHE_USER and WUSHE_PASSWORD, or the session of `wushe login`. 0 when
 * logged in, else the exit status after a message. */
int cli_authenticate(const cli_opts *o, const char *path, station *st, bool no_accounts_ok);
/* Log in as login with password (a login's messages: the wrong_key
 * message, when not NULL, for a wrong password); 0 when logged in. An empty
 * password is recorded, not counted toward the lockout. */
int cli_login_password(station *st, const char *login, const char *password,
                       const char *wrong_key);
/* A password from the terminal without echo (stdin when there is no
 * terminal); the whole line is read, cut at a character's start to fit;
 * false at the end of input. */
bool cli_read_password(const char *prompt, char *out, size_t outsz);

/* The format an export writes (--format, else the file's name); 0 or the
 * usage error's status. An export that failed: its message, the status. */
struct export_opts;
int cli_export_format(const cli_opts *o, const char *path, const char *what,
                      struct export_opts *eo);
int cli_export_failed(ws_status s, const char *err);
/* Where an import's error rows went: written_key with the path, or why
 * they went elsewhere (trouble and the path) or nowhere (trouble only). */
void cli_import_errors_said(const char *path, const char *trouble, const char *old,
                            const char *kept, const char *written_key);
/* wushe export hours [FILE] and wushe bench volunteers (cli_volunteers.c). */
int cli_cmd_export_hours(const cli_opts *o, const char *path, const station_config *cfg);
int cli_cmd_bench_volunteers(const cli_opts *o, const station_config *cfg);
/* A bench on a scratch station (a 2,000-resident demo, removed after) or
 * on --db: run gets the station and whether it is the scratch one. */
typedef ws_status (*cli_bench_fn)(station *st, bool own, const cli_opts *o);
int cli_bench_scratch(const cli_opts *o, const station_config *cfg, cli_bench_fn run);
/* wushe certificate verify NUMBER: what a 志愿服务记录证明 certified. */
int cli_cmd_certificate(const cli_opts *o, const char *path, const station_config *cfg);
/* wushe import attendance FILE: a sign-in sheet keyed into Excel. */
int cli_cmd_import_attendance(const cli_opts *o, const char *path, const station_config *cfg);

int cli_cmd_login(const cli_opts *o, const char *path, const station_config *cfg);
int cli_cmd_logout(const cli_opts *o, const char *path, const station_config *cfg);
/* wushe export subject and wushe erase (cli_privacy.c). */
int cli_cmd_subject(const cli_opts *o, const char *path, const station_config *cfg);
int cli_cmd_erase(const cli_opts *o, const char *path, const station_config *cfg);
/* wushe user add|list|disable|enable|passwd|reset (cli_user.c). */
int cli_cmd_user(const cli_opts *o, const char *path, const station_config *cfg);

/* wushe backup [FILE|FOLDER] [--encrypt] (cli_backup.c) */
int cli_cmd_backup(const cli_opts *o, const char *path, const station_config *cfg);
/* The format an export writes (--format, else the file's name; XLSX needs
 * a file): 0 or the usage error's status; and an export's failure. */
struct export_opts;
int cli_export_format(const cli_opts *o, const char *path, const char *what,
                      struct export_opts *eo);
int cli_export_failed(ws_status s, const char *err);
/* wushe export donations|stock|distributions, wushe import
 * donations|distributions (cli_resources.c). */
bool cli_resources_takes(const char *cmd, const char *what);
/* wushe print distribution NAME and wushe print notice FROM..TO
 * (cli_resources.c, in cli_print.c's table). */
ws_status cli_print_distribution(station *st, const char *arg, const char *out, int *pages,
                                 char *err, size_t errsz);
ws_status cli_print_notice(station *st, const cli_opts *o, const char *arg, const char *out,
                           int *pages, char *err, size_t errsz);
int cli_cmd_resources(const cli_opts *o, const char *path, const station_config *cfg);
/* wushe bench orgs [--db FILE] (cli_orgs.c). */
int cli_cmd_bench_orgs(const cli_opts *o, const station_config *cfg);
/* wushe print project NUMBER (cli_orgs.c, in cli_print.c's table). */
ws_status cli_print_project(station *st, const char *arg, const char *out, int *pages,
                            char *err, size_t errsz);
/* wushe restore BACKUP [--db TARGET] */
int cli_cmd_restore(const cli_opts *o, const char *path, const station_config *cfg);

/* wushe print [KIND ARG --out FILE.pdf] (cli_print.c) */
int cli_cmd_print(const cli_opts *o, const char *path, const station_config *cfg);

/* A yes typed on the terminal (or stdin without one) after the catalog's
 * prompt_key: only "yes" or "是"; Enter alone, anything else or the end of
 * input is no (the default is 取消). */
bool cli_confirm(const char *prompt_key);

#endif
