/* Printing from the console: a prompt for the PDF's path (a name in the
 * home folder proposed), a question before a file is replaced, the
 * model's print function, and its result on the message line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "screens.h"
#include "wushe/catalog.h"

/* The print waiting for its path (one prompt at a time on one console). */
static struct {
    ui_print_fn print;
    int64_t id;
    char path[4096];
} ui_print_pending;

static void ui_print_now(app *a, void *ctx)
{
    (void)ctx;
    char err[4400], msg[4600];
    int pages = 0;
    ws_status st = ui_print_pending.print(app_station(a), ui_print_pending.id,
                                          ui_print_pending.path, &pages, err, sizeof err);
    if (st != WS_OK) {
        app_message(a, true, "%s", trf(msg, sizeof msg, "app.error",
                                       err[0] ? err : tr(ws_status_key(st))));
        prompt_screen_again(a); /* what was typed, to correct */
    } else
        app_message(a, false, "%s",
                    trf(msg, sizeof msg, "print.done", ui_print_pending.path, pages));
}

static void ui_print_to(app *a, void *ctx, const char *path)
{
    (void)ctx;
    snprintf(ui_print_pending.path, sizeof ui_print_pending.path, "%s", path);
    app_confirm_overwrite(a, path, ui_print_now, NULL);
}

void ui_print_ask(app *a, const char *title_key, const char *name, ui_print_fn print, int64_t id)
{
    ui_print_pending.print = print;
    ui_print_pending.id = id;
    const char *home = getenv("HOME");
    const char *t = app_today(a);
    char day[16], file[512], path[4096];
    snprintf(day, sizeof day, "%.4s%.2s%.2s", t, t + 5, t + 8);
    trf(file, sizeof file, "print.default_file", tr(title_key), name, day);
    /* A name is no path: no folder separators from it. */
    for (char *p = file; *p; p++)
        if (*p == '/')
            *p = '_';
    snprintf(path, sizeof path, "%s/%s", home && *home ? home : ".", file);
    char title[256];
    trf(title, sizeof title, "print.title_of", tr(title_key));
    screen *p = prompt_screen_new(a, title, tr("print.path_label"), tr("print.hint"), path,
                                  ui_print_to, NULL);
    prompt_screen_set_file(p);
    app_push(a, p);
}
