/* wushe print KIND ARG --out FILE.pdf: official paper from the command
 * line. Each printable kind is one line of cli_printables (its name, its
 * usage and what it prints, and a function that finds what ARG names and
 * prints it); `wushe print` alone lists them. */
#include "cli_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wushe/catalog.h"
#include "wushe/print.h"
#include "wushe/text.h"
#include "wushe/volunteer.h"

typedef ws_status (*cli_print_fn)(station *st, const char *arg, const char *out, int *pages,
                                  char *err, size_t errsz);
/* The same for paper that takes the command's options (a period). */
typedef ws_status (*cli_print_opts_fn)(station *st, const cli_opts *o, const char *arg,
                                       const char *out, int *pages, char *err, size_t errsz);

typedef struct cli_printable {
    const char *name;
    const char *help_key; /* "resident 编号或身份证号 ... 居民信息表" */
    cli_print_fn print;
    cli_print_opts_fn print_opts; /* instead of print, when set */
    bool period_arg; /* --from/--to may stand for ARG (print_opts gets "" then) */
} cli_printable;

/* "没有找到居民“...”" for what was typed (made safe for the terminal). */
static ws_status cli_print_not_found(ws_status s, const char *key, const char *arg, char *err,
                                     size_t errsz)
{
    char *clean = text_sanitize(arg);
    if (s == WS_ERR_NOT_FOUND)
        trf(err, errsz, key, clean ? clean : "");
    else
        snprintf(err, errsz, "%s", tr(ws_status_key(s)));
    free(clean);
    return s;
}

static ws_status cli_print_resident(station *st, const char *arg, const char *out, int *pages,
                                    char *err, size_t errsz)
{
    int64_t id = 0;
    ws_status s = print_find_resident(st, arg, &id);
    if (s != WS_OK)
        return cli_print_not_found(s, "print.resident_not_found", arg, err, errsz);
    return print_resident(st, id, out, pages, err, errsz);
}

static ws_status cli_print_household(station *st, const char *arg, const char *out, int *pages,
                                     char *err, size_t errsz)
{
    int64_t id = 0;
    ws_status s = print_find_household(st, arg, &id);
    if (s != WS_OK)
        return cli_print_not_found(s, "print.household_not_found", arg, err, errsz);
    return print_household(st, id, out, pages, err, errsz);
}

static ws_status cli_print_case(station *st, const char *arg, const char *out, int *pages,
                                char *err, size_t errsz)
{
    int64_t id = 0;
    ws_status s = print_find_case(st, arg, &id);
    if (s != WS_OK)
        return cli_print_not_found(s, "print.case_not_found", arg, err, errsz);
    return print_case(st, id, out, pages, err, errsz);
}

/* A referral by its row id (the referrals list and export show it). */
static ws_status cli_print_referral(station *st, const char *arg, const char *out, int *pages,
                                    char *err, size_t errsz)
{
    char *end = NULL;
    long long id = strtoll(arg, &end, 10);
    if (!*arg || *end || id <= 0)
        return cli_print_not_found(WS_ERR_NOT_FOUND, "print.referral_not_found", arg, err,
                                   errsz);
    ws_status s = print_referral(st, id, out, pages, err, errsz);
    if (s == WS_ERR_NOT_FOUND)
        return cli_print_not_found(s, "print.referral_not_found", arg, err, errsz);
    return s;
}

static ws_status cli_print_signin(station *st, const char *arg, const char *out, int *pages,
                                  char *err, size_t errsz)
{
    int64_t id = 0;
    ws_status s = print_find_session(st, arg, &id);
    if (s != WS_OK)
        return cli_print_not_found(s, "print.session_not_found", arg, err, errsz);
    return print_signin(st, id, out, pages, err, errsz);
}

static ws_status cli_print_certificate(station *st, const cli_opts *o, const char *arg,
                                       const char *out, int *pages, char *err, size_t errsz)
{
    int64_t id = 0;
    ws_status s = volunteer_find_number(st, arg, &id);
    if (s != WS_OK)
        return cli_print_not_found(s, "print.volunteer_not_found", arg, err, errsz);
    char number[48];
    s = print_certificate(st, id, o->from ? o->from : "", o->to ? o->to : "", out, pages, number,
                          sizeof number, err, errsz);
    if (s == WS_OK) {
        char msg[256];
        printf("%s\n", trf(msg, sizeof msg, "print.cert_issued", number));
    }
    return s;
}

static const cli_printable cli_printables[] = {
    {"resident", "print.usage_resident", cli_print_resident, NULL, false},
    {"household", "print.usage_household", cli_print_household, NULL, false},
    {"case", "print.usage_case", cli_print_case, NULL, false},
    {"referral", "print.usage_referral", cli_print_referral, NULL, false},
    /* charitable resources (issue 13), cli_resources.c */
    {"distribution", "res.print_usage_distribution", cli_print_distribution, NULL, false},
    {"notice", "res.print_usage_notice", NULL, cli_print_notice, true},
    /* volunteers (issue 12) */
    {"signin", "print.usage_signin", cli_print_signin, NULL, false},
    {"certificate", "print.usage_certificate", NULL, cli_print_certificate, false},
    /* social organisations (issue 16), cli_orgs.c */
    {"project", "print.usage_project", cli_print_project, NULL, false},
};
#define CLI_NPRINTABLES (sizeof cli_printables / sizeof *cli_printables)

static void cli_print_list(FILE *to)
{
    fputs(tr("print.kinds"), to);
    fputc('\n', to);
    for (size_t i = 0; i < CLI_NPRINTABLES; i++)
        fprintf(to, "  wushe print %s\n", tr(cli_printables[i].help_key));
}

int cli_cmd_print(const cli_opts *o, const char *path, const station_config *cfg)
{
    if (o->nargs == 1) {
        cli_print_list(stdout);
        return 0;
    }
    const cli_printable *p = NULL;
    for (size_t i = 0; i < CLI_NPRINTABLES; i++)
        if (strcmp(o->args[1], cli_printables[i].name) == 0)
            p = &cli_printables[i];
    if (!p) {
        char msg[512];
        char *clean = text_sanitize(o->args[1]);
        cli_error("%s", trf(msg, sizeof msg, "print.unknown_kind", clean ? clean : ""));
        free(clean);
        cli_print_list(stderr);
        return EXIT_USAGE;
    }
    bool by_period = p->period_arg && o->nargs == 2 && (o->from || o->to);
    if ((o->nargs != 3 && !by_period) || !o->out || !*o->out) {
        char msg[512];
        cli_error("%s", trf(msg, sizeof msg, "print.usage_missing", tr(p->help_key)));
        return EXIT_USAGE;
    }
    station *st = NULL;
    int rc = cli_open(o, path, 0, cfg, &st);
    if (rc)
        return rc;
    char err[4400];
    int pages = 0;
    const char *arg = by_period ? "" : o->args[2];
    ws_status s = p->print_opts ? p->print_opts(st, o, arg, o->out, &pages, err, sizeof err)
                                : p->print(st, arg, o->out, &pages, err, sizeof err);
    if (s == WS_OK) {
        char msg[4400];
        char *clean = text_sanitize(o->out);
        printf("%s\n", trf(msg, sizeof msg, "print.done", clean ? clean : "", pages));
        free(clean);
    } else {
        char *clean = text_sanitize(err[0] ? err : tr(ws_status_key(s)));
        cli_error("%s", clean ? clean : "");
        free(clean);
        rc = 1;
    }
    station_close(&st);
    return rc;
}
