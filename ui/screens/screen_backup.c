/* 备份 (0 系统): make a checked backup now, into the station's backup
 * folder or onto a stick, encrypted when a passphrase is typed. A restore
 * replaces the station and needs every console closed: the command line's
 * (wushe restore), which this screen names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "form.h"
#include "screens.h"
#include "screens_system.h"
#include "wushe/access.h"
#include "wushe/backup.h"
#include "wushe/catalog.h"
#include "wushe/text.h"

#define K(code) (KEYCODE | (code))

enum { BKF_WHERE, BKF_PASS, BKF_AGAIN };

static const form_field_def backup_fields[] = {
    {BKF_WHERE, "backup.field_where", FT_TEXT, 400, NULL},
    {BKF_PASS, "backup.field_pass", FT_PASSWORD, 128, NULL},
    {BKF_AGAIN, "backup.field_again", FT_PASSWORD, 128, NULL},
};

typedef struct backup_screen {
    form_screen fs;
    char dir[4096]; /* the station's backup folder */
} backup_screen;

static void backup_title(screen *s, char *out, size_t outsz)
{
    (void)s;
    snprintf(out, outsz, "%s", tr("backup.title"));
}

/* The home screen's line: when the last good backup was made. */
void backup_last_line(station *st, bool brief, char *out, size_t outsz, bool *warn)
{
    backup_last_info last;
    *warn = true;
    /* Who may not back up is told whom to ask, not what to do. */
    bool may = station_can(st, PERM_BACKUP);
    ws_status s = backup_last(st, &last);
    if (s == WS_OK && last.failed) {
        /* Until a backup succeeds: a failure said only on leaving is missed. */
        char when[64];
        text_local_time(last.failed_at, false, when, sizeof when);
        char *why = text_sanitize(last.failed_why);
        /* The reason itself, without its own "备份没有做成：" and full stop:
         * the line says that already. */
        const char *lead = tr("backup.not_made_lead"), *r = why ? why : "";
        if (strncmp(r, lead, strlen(lead)) == 0)
            r += strlen(lead);
        size_t n = strlen(r);
        /* Brief: SQLite's own words (English, long) stay on the 备份
         * screen, where they wrap whole. */
        const char *mark = tr("backup.detail_mark");
        const char *detail = brief && mark[0] ? strstr(r, mark) : NULL;
        if (detail)
            n = (size_t)(detail - r);
        while (n && (r[n - 1] == '.' || r[n - 1] == ' ' ||
                     (n >= 3 && (memcmp(r + n - 3, "。", 3) == 0 ||
                                 memcmp(r + n - 3, "，", 3) == 0))))
            n -= r[n - 1] == '.' || r[n - 1] == ' ' ? 1 : 3;
        char reason[sizeof last.failed_why];
        snprintf(reason, sizeof reason, "%.*s", (int)n, r);
        trf(out, outsz, !may     ? "backup.last_failed_tell"
                        : detail ? "backup.last_failed_brief"
                                 : "backup.last_failed_why",
            when, reason);
        free(why);
        return;
    }
    if (s != WS_OK || !last.any) {
        snprintf(out, outsz, "%s", tr(may ? "backup.last_never" : "backup.last_never_tell"));
        return;
    }
    *warn = last.warn;
    if (last.warn) {
        trf(out, outsz, may ? "backup.last_old" : "backup.last_old_tell",
            (long long)last.age_days);
    } else {
        char when[64];
        text_local_time(last.at, false, when, sizeof when);
        trf(out, outsz, "backup.last", when);
    }
}

static void backup_draw(screen *s, int top, int height, int width)
{
    backup_screen *bs = (backup_screen *)s;
    char line[BACKUP_LINE_MAX];
    bool warn;
    backup_last_line(app_station(s->app), false, line, sizeof line, &warn);
    check_screen_named(s->app, line, sizeof line);
    /* Wrapped: a failure's reason is the part to read, its 详情 too. */
    int rows = draw_text_wrap(top + 1, 2, width - 4, 7, line,
                              warn ? COLOR_PAIR(PAIR_ERROR) | A_BOLD : A_NORMAL);
    int y = form_draw(bs->fs.form, top + 2 + rows, height - 7 - rows, width) + 1;
    const char *hints[] = {"backup.hint_where_path", "backup.hint_pass", "backup.hint_restore"};
    for (size_t i = 0; i < 3 && y < top + height - 1; i++)
        y += draw_text_wrap(y, 2, width - 4, top + height - 1 - y, tr(hints[i]), A_DIM);
    form_draw_error(bs->fs.form, top + height - 1, width);
}

static void backup_run(backup_screen *bs)
{
    app *a = bs->fs.base.app;
    form_widget *f = bs->fs.form;
    form_clear_errors(f);
    char where[4096], pass[512], again[512];
    app_path_resolve(form_text(f, BKF_WHERE), where, sizeof where);
    snprintf(pass, sizeof pass, "%s", form_text(f, BKF_PASS));
    snprintf(again, sizeof again, "%s", form_text(f, BKF_AGAIN));
    if (!where[0])
        snprintf(where, sizeof where, "%s", bs->dir);
    size_t chars = 0;
    for (const char *p = pass; *p; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    char msg[1024];
    const char *bad = pass[0] ? backup_passphrase_problem(pass) : NULL;
    if (bad) {
        form_set_error(f, BKF_PASS, tr(bad));
        return;
    }
    if (pass[0] && chars < BACKUP_PASSPHRASE_MIN) {
        form_set_error(f, BKF_PASS,
                       trf(msg, sizeof msg, "backup.passphrase_short_field",
                           BACKUP_PASSPHRASE_MIN));
        return;
    }
    if (pass[0] && !again[0]) {
        form_set_error(f, BKF_AGAIN, tr("backup.passphrase_again_needed"));
        return;
    }
    if (strcmp(pass, again) != 0) {
        form_set_error(f, BKF_AGAIN, tr("backup.passphrase_mismatch_short"));
        return;
    }
    app_message(a, false, "%s", tr("backup.running"));
    app_redraw(a);
    backup_opts o = {.passphrase = pass[0] ? pass : NULL, .backup_dir = bs->dir};
    backup_info in;
    char written[4200], err[2048];
    /* The backup folder itself is named as no folder: made when missing. */
    bool folder = strcmp(where, bs->dir) == 0;
    ws_status s = backup_make(app_station(a), folder ? NULL : where, &o, &in, written,
                              sizeof written, err, sizeof err);
    /* Keys typed while it ran (a second F2, Esc, F10) were meant for a
     * screen that is gone: run now, a second F2 would make a plain copy
     * onto the stick right after the encrypted one. */
    flushinp();
    memset(pass, 0, sizeof pass);
    memset(again, 0, sizeof again);
    form_set_text(f, BKF_PASS, "");
    form_set_text(f, BKF_AGAIN, "");
    if (s == WS_ERR_DENIED && !o.passphrase && station_can(app_station(a), PERM_BACKUP)) {
        /* A plain copy outside the backup folder: the console's way to an
         * encrypted one is the passphrase field, not --encrypt. */
        char *d = text_sanitize(bs->dir);
        app_message(a, true, "%s", trf(msg, sizeof msg, "backup.denied_plain_screen", d ? d : ""));
        free(d);
        return;
    }
    if (s != WS_OK) {
        check_screen_named(a, err, sizeof err);
        app_message(a, true, "%s", err[0] ? err : tr(ws_status_key(s)));
        return;
    }
    char *p = text_sanitize(written);
    app_message(a, false, "%s",
                trf(msg, sizeof msg, in.encrypted ? "backup.done_screen_encrypted"
                                                  : "backup.done_screen",
                    p ? p : "", (long long)in.residents, (long long)in.households));
    free(p);
    form_set_clean(f);
}

static bool backup_act(screen *s, action act)
{
    backup_screen *bs = (backup_screen *)s;
    switch (act) {
    case ACT_BACKUP_RUN:
        backup_run(bs);
        return true;
    case ACT_PICK:
        form_act(bs->fs.form, ACT_NEXT_FIELD);
        return true;
    case ACT_BACK:
        app_pop(s->app); /* nothing here is lost by leaving */
        return true;
    default:
        return form_act(bs->fs.form, act);
    }
}

/* F2 starts the backup (labelled so, not 保存); Enter moves to the next
 * field (nothing here is picked from a list, so no F4). */
static const keybind keys_backup[] = {
    {K(KEY_F(2)), ACT_BACKUP_RUN, KB_BAR},
    {KEY_CTRL('s'), ACT_BACKUP_RUN, 0},
    {0, ACT_NONE, 0},
};

static const keybind keys_backup_form[] = {
    {'\t', ACT_NEXT_FIELD, KB_BAR},
    {K(KEY_BTAB), ACT_PREV_FIELD, 0},
    {K(KEY_DOWN), ACT_NEXT_FIELD, 0},
    {K(KEY_UP), ACT_PREV_FIELD, 0},
    {'\r', ACT_PICK, 0},
    {'\n', ACT_PICK, 0},
    {K(KEY_ENTER), ACT_PICK, 0},
    {27, ACT_BACK, KB_BAR},
    {0, ACT_NONE, 0},
};

static void backup_destroy(screen *s)
{
    backup_screen *bs = (backup_screen *)s;
    form_free(&bs->fs.form);
    free(bs);
}

static const screen_ops backup_ops = {
    .keys = keys_backup,
    .widget_keys = keys_backup_form,
    .title = backup_title,
    .draw = backup_draw,
    .act = backup_act,
    .key = form_screen_key,
    .typing = form_screen_typing,
    .destroy = backup_destroy,
};

screen *backup_screen_new(app *a)
{
    backup_screen *bs = calloc(1, sizeof *bs);
    if (!bs)
        return NULL;
    bs->fs.base.ops = &backup_ops;
    bs->fs.base.app = a;
    bs->fs.form = form_new(backup_fields, sizeof backup_fields / sizeof *backup_fields);
    if (!bs->fs.form) {
        free(bs);
        return NULL;
    }
    backup_dir_resolve(app_backup_dir(a), bs->dir, sizeof bs->dir);
    form_set_text(bs->fs.form, BKF_WHERE, bs->dir);
    form_set_clean(bs->fs.form);
    return &bs->fs.base;
}
