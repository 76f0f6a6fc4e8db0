/* 检查 (0 系统): `wushe check` at the console, for a clerk who will not open
 * a shell. The same lines as the command line's (station_check_say), in a
 * read-only text box that wraps them by display columns and scrolls. The
 * check takes seconds on a large station, so "正在检查…" is drawn first
 * and the check runs when the console is next idle; F5 runs it again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "screens.h"
#include "screens_system.h"
#include "textarea.h"
#include "wushe/catalog.h"

#define K(code) (KEYCODE | (code))

typedef struct check_screen {
    screen base;
    textedit *text; /* the report; its hidden cursor only moves the view */
    bool pending;   /* the check runs at the next idle */
    bool ok;
    int rows; /* the box's rows as last drawn (0: not drawn) */
} check_screen;

static void check_title(screen *s, char *out, size_t outsz)
{
    (void)s;
    snprintf(out, outsz, "%s", tr("check.title"));
}

static void check_collect(void *ctx, const char *line, bool error)
{
    (void)error; /* the report says what could not be checked in its words */
    FILE *f = ctx;
    if (ftell(f) > 0)
        fputc('\n', f);
    fputs(line, f);
}

static void check_run(check_screen *c)
{
    char *report = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&report, &len);
    if (!f) {
        app_status_error(c->base.app, WS_ERR_NOMEM);
        app_pop(c->base.app);
        return;
    }
    c->ok = station_check_say(app_station(c->base.app), CHECK_FOR_CONSOLE, check_collect, f);
    fclose(f);
    textedit_set(c->text, report ? report : "");
    free(report);
    c->pending = false;
}

/* The rows the box shows (0: not drawn yet), the first of them in the
 * whole report and the hidden cursor's row in the box, as last drawn. */
static size_t check_view(check_screen *c, size_t *first, size_t *crow)
{
    lineedit_row *lr = c->rows > 0 ? malloc((size_t)c->rows * sizeof *lr) : NULL;
    if (!lr)
        return 0;
    size_t at = 0;
    size_t n = textedit_view(c->text, lr, crow, NULL);
    free(lr);
    textedit_rows(c->text, &at);
    *first = at >= *crow ? at - *crow : 0;
    return n;
}

static void check_draw(screen *s, int top, int height, int width)
{
    check_screen *c = (check_screen *)s;
    int y = top + 1;
    if (c->pending) {
        draw_text_attr(y, 2, width - 4, tr("check.running"), false, A_BOLD);
        return;
    }
    draw_text_attr(y++, 2, width - 4, tr(c->ok ? "check.passed" : "check.failed_head"), false,
                   (c->ok ? COLOR_PAIR(PAIR_OK) : COLOR_PAIR(PAIR_ERROR)) | A_BOLD);
    /* The last row says where the view is when the report is longer. */
    c->rows = top + height - 1 - y;
    if (c->rows < 1)
        return;
    textarea_draw(c->text, y, 2, c->rows, width - 5, false, A_NORMAL);
    size_t first = 0, crow = 0, total = textedit_rows(c->text, NULL);
    size_t shown = check_view(c, &first, &crow);
    if (total > (size_t)c->rows) {
        char where[160];
        trf(where, sizeof where, "check.scroll", (int)first + 1, (int)(first + shown), (int)total);
        draw_text_attr(top + height - 1, 2, width - 4, where, false, A_DIM);
    }
}

/* The view one row down (up): the hidden cursor goes past the box's last
 * (first) row, and the view follows it at once. */
static void check_scroll(check_screen *c, int dir)
{
    size_t first = 0, crow = 0;
    if (check_view(c, &first, &crow) == 0)
        return;
    size_t steps = dir > 0 ? (size_t)c->rows - crow : crow + 1;
    for (size_t i = 0; i < steps; i++)
        if (!(dir > 0 ? textedit_down(c->text) : textedit_up(c->text)))
            break;
}

static bool check_act(screen *s, action act)
{
    check_screen *c = (check_screen *)s;
    if (act == ACT_BACK) {
        app_pop(s->app);
        return true;
    }
    if (c->pending)
        return true; /* nothing to scroll yet */
    switch (act) {
    case ACT_CHECK:
        c->pending = true;
        return true;
    case ACT_UP:
    case ACT_DOWN:
        check_scroll(c, act == ACT_DOWN ? 1 : -1);
        return true;
    case ACT_PAGE_UP:
        textedit_page_up(c->text);
        return true;
    case ACT_PAGE_DOWN:
        textedit_page_down(c->text);
        return true;
    case ACT_FIRST:
        textedit_start(c->text);
        return true;
    case ACT_LAST:
        textedit_finish(c->text);
        return true;
    default:
        return false;
    }
}

static bool check_idle(screen *s)
{
    check_screen *c = (check_screen *)s;
    if (!c->pending)
        return false;
    check_run(c);
    return true;
}

static void check_destroy(screen *s)
{
    check_screen *c = (check_screen *)s;
    textedit_free(&c->text);
    free(c);
}

static const keybind check_keys[] = {
    {K(KEY_F(5)), ACT_CHECK, KB_BAR},
    {KEY_CTRL('r'), ACT_CHECK, 0},
    {0, ACT_NONE, 0},
};

static const screen_ops check_ops = {
    .keys = check_keys,
    .widget_keys = keys_browse,
    .title = check_title,
    .draw = check_draw,
    .act = check_act,
    .idle = check_idle,
    .destroy = check_destroy,
};

screen *check_screen_new(app *a)
{
    check_screen *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->base.ops = &check_ops;
    c->base.app = a;
    c->text = textedit_new(0);
    if (!c->text) {
        free(c);
        return NULL;
    }
    c->pending = true;
    return &c->base;
}

void check_screen_named(app *a, char *line, size_t linesz)
{
    /* The failure's reason was worded when it happened, for any reader:
     * to whoever may open it, the console's own 检查 is named instead. */
    const char *shell = tr("check.home_shell");
    char *at = station_can(app_station(a), PERM_BACKUP) ? strstr(line, shell) : NULL;
    if (!at)
        return;
    char tail[BACKUP_LINE_MAX];
    snprintf(tail, sizeof tail, "%s", at + strlen(shell));
    snprintf(at, linesz - (size_t)(at - line), "%s%s", tr("check.home_console"), tail);
}
