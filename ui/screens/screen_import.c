/* Import of a resident ledger: a file path typed in a line editor, a
 * preview (the model's dry run: encoding, column mapping, counts, the
 * changes and the problems) before anything is written, the import with a
 * progress bar, then the review of possible duplicates (compare and merge
 * field by field, keep both, skip, undo a merge). Also the one-line prompt
 * the residents list uses for F9 export. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "draw.h"
#include "screens.h"
#include "wushe/catalog.h"
#include "wushe/csv.h"
#include "wushe/export.h"
#include "wushe/import.h"
#include "wushe/lineedit.h"
#include "wushe/pathcomplete.h"
#include "wushe/record.h"
#include "wushe/text.h"
#include "wushe/textedit.h"
#include "wushe/workbook.h"

#define IMPORT_PATH_MAX 4000

/* ---- a line editor on one row ---- */

static bool edit_key(lineedit *le, int key)
{
    if (key & KEY_PASTED) {
        /* Pasted: a path is one line, its breaks and controls dropped. */
        key &= ~KEY_PASTED;
        if (key < 32 || key == 127)
            return true;
    }
    if (key == (KEYCODE | KEY_BACKSPACE) || key == 127 || key == 8)
        lineedit_backspace(le);
    else if (key == (KEYCODE | KEY_DC))
        lineedit_delete(le);
    else if (key == (KEYCODE | KEY_LEFT))
        lineedit_left(le);
    else if (key == (KEYCODE | KEY_RIGHT))
        lineedit_right(le);
    else if (key == (KEYCODE | KEY_HOME) || key == KEY_CTRL('a'))
        lineedit_home(le);
    else if (key == (KEYCODE | KEY_END) || key == KEY_CTRL('e'))
        lineedit_end(le);
    else if (key == KEY_CTRL('u'))
        lineedit_kill_to_start(le);
    else if (key == KEY_CTRL('k'))
        lineedit_kill_to_end(le);
    else if (!(key & KEYCODE) && key >= 32 && key != 127)
        lineedit_insert_cp(le, (uint32_t)key);
    else
        return false;
    return true;
}

static void edit_draw(lineedit *le, size_t *first, int y, const char *label, int width)
{
    int lw = draw_width(label) + 1;
    draw_text_attr(y, 2, lw, label, true, A_BOLD);
    int fw = width - lw - 4;
    int cur = 0;
    size_t off = lineedit_view(le, fw, first, &cur);
    draw_text_attr(y, 2 + lw, fw, lineedit_text(le) + off, true, COLOR_PAIR(PAIR_FIELD));
    draw_set_cursor(y, 2 + lw + cur);
}

/* ---- completing a typed path ---- */

/* Tab: the path completed as far as its folder's names agree; a Tab that
 * adds nothing (the second, or the first when nothing more is certain)
 * shows the names that match on the message line. */
static void path_tab(app *a, lineedit *le)
{
    char out[4096];
    path_list m = {0};
    if (path_complete(lineedit_text(le), getenv("HOME"), out, sizeof out, &m)) {
        lineedit_set(le, out);
    } else if (m.n == 0) {
        app_message(a, true, "%s", tr("complete.none"));
    } else {
        csv_buf names = {0};
        for (size_t i = 0; i < m.n; i++) {
            if (i)
                csv_buf_append(&names, "  ", 2);
            csv_buf_append(&names, m.items[i].name, strlen(m.items[i].name));
        }
        char msg[2048];
        app_message(a, false, "%s",
                    trf(msg, sizeof msg, "complete.matches", names.p ? names.p : ""));
        csv_buf_free(&names);
    }
    path_list_free(&m);
}

static void path_pick(app *a, lineedit *le);

/* A ledger goes into the prompt; a folder (or a stick) is opened, as a
 * file manager's Enter does. */
static void path_picked(app *a, void *ctx, const list_item *row)
{
    lineedit_set(ctx, row->cells[1]);
    size_t n = strlen(row->cells[1]);
    if (n && row->cells[1][n - 1] == '/')
        path_pick(a, ctx);
}

/* ↓: the ledgers and folders of the typed path's folder, and the USB
 * sticks, to pick from. */
static void path_pick(app *a, lineedit *le)
{
    char folder[4096];
    path_folder_of(lineedit_text(le), getenv("HOME"), folder, sizeof folder);
    screen *p = file_picker_new(a, folder, path_picked, le);
    if (p)
        app_push(a, p);
}

/* ---- progress, drawn while the model works ---- */

typedef struct progress_ctx {
    const char *what; /* catalog key */
    int y, width;
    struct timespec t0;
    bool cancelled;
} progress_ctx;

static double elapsed(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Draws the bar and takes Esc to cancel; the model rolls back. */
static bool progress_draw(void *ctx, size_t done, size_t total)
{
    progress_ctx *p = ctx;
    double el = elapsed(&p->t0);
    double left = done && total > done ? el * (double)(total - done) / (double)done : 0;
    char msg[256], bar[64] = "";
    /* The bar takes what the line leaves (up to 30 columns): the words,
     * "Esc 取消" last, always fit at 80. */
    trf(msg, sizeof msg, "import.progress", tr(p->what), bar, done, total, left);
    int w = p->width - 4 - text_width(msg);
    w = w > 30 ? 30 : w < 0 ? 0 : w;
    int fill = total ? (int)((double)done * w / (double)total) : w;
    for (int i = 0; i < w; i++)
        bar[i] = i < fill ? '#' : '-';
    bar[w] = '\0';
    trf(msg, sizeof msg, "import.progress", tr(p->what), bar, done, total, left);
    draw_text_attr(p->y, 2, p->width - 4, msg, true, A_BOLD);
    refresh();
    nodelay(stdscr, TRUE);
    wint_t ch;
    int r;
    while ((r = get_wch(&ch)) != ERR)
        if (r == OK && ch == 27)
            p->cancelled = true;
    nodelay(stdscr, FALSE);
    return !p->cancelled;
}

/* ---- text lines of a preview or a result ---- */

/* Logical lines, wrapped at the screen's width when drawn: a long summary
 * or reason continues on the next rows (indented under its text) instead
 * of being cut at 80 columns. */
typedef struct text_line {
    char *s;       /* sanitised */
    int indent;    /* columns before a continuation row */
    bool heading;  /* a class of rows: Tab moves between them, bold */
} text_line;

typedef struct text_row {
    size_t line;   /* index into l */
    size_t off, len;
} text_row;

typedef struct text_lines {
    text_line *l;
    size_t n, cap;
    text_row *rows; /* the wrapped rows, for `width` */
    size_t nrows;
    int width;
    size_t top;     /* first row shown */
    /* The heading Tab went to (marked; the last page cannot scroll it to
     * the top), until another key scrolls. */
    size_t at;
    bool at_set;
} text_lines;

static void lines_clear(text_lines *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->l[i].s);
    free(t->l);
    free(t->rows);
    memset(t, 0, sizeof *t);
}

static void lines_add_as(text_lines *t, const char *s, int indent, bool heading)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        text_line *g = realloc(t->l, cap * sizeof *g);
        if (!g)
            return;
        t->l = g;
        t->cap = cap;
    }
    char *d = text_sanitize(s);
    if (!d)
        return;
    t->l[t->n++] = (text_line){.s = d, .indent = indent, .heading = heading};
    t->width = 0; /* wrap again */
}

static void lines_add(text_lines *t, const char *s)
{
    lines_add_as(t, s, 2, false);
}

static void lines_wrap(text_lines *t, int width)
{
    if (t->width == width && t->rows)
        return;
    size_t top_line = t->top < t->nrows ? t->rows[t->top].line : 0;
    free(t->rows);
    t->rows = NULL;
    t->nrows = 0;
    size_t cap = 0;
    for (size_t i = 0; i < t->n; i++) {
        const char *s = t->l[i].s;
        size_t off = 0;
        bool first = true;
        do {
            int cols = first ? width : width - t->l[i].indent;
            if (cols < 8)
                cols = width;
            size_t skip;
            /* As the message line wraps (draw_fit_row): at a space or a
             * clause mark, never leaving a closing mark to start a row. */
            size_t len = draw_fit_row(s + off, cols, &skip);
            if (len == 0 && s[off])
                len = 1; /* never loop */
            if (t->nrows == cap) {
                cap = cap ? cap * 2 : 128;
                text_row *g = realloc(t->rows, cap * sizeof *g);
                if (!g)
                    return;
                t->rows = g;
            }
            t->rows[t->nrows++] = (text_row){.line = i, .off = off, .len = len};
            off += len + skip;
            first = false;
        } while (s[off]);
    }
    t->width = width;
    /* Keep the line that was at the top there. */
    t->top = 0;
    while (t->top + 1 < t->nrows && t->rows[t->top].line < top_line)
        t->top++;
    t->at_set = false;
}

static void lines_draw(text_lines *t, int top, int x, int height, int width)
{
    lines_wrap(t, width);
    if (t->top + (size_t)height > t->nrows)
        t->top = t->nrows > (size_t)height ? t->nrows - (size_t)height : 0;
    char buf[2048];
    for (int i = 0; i < height && t->top + (size_t)i < t->nrows; i++) {
        const text_row *r = &t->rows[t->top + (size_t)i];
        const text_line *l = &t->l[r->line];
        int ind = r->off ? l->indent : 0;
        if (ind >= width - 8)
            ind = 0;
        snprintf(buf, sizeof buf, "%.*s", (int)r->len, l->s + r->off);
        draw_text_attr(top + i, x + ind, width - ind, buf, false, l->heading ? A_BOLD : A_NORMAL);
        if (t->at_set && t->at == t->top + (size_t)i && x > 0)
            draw_text_attr(top + i, x - 1, 1, "▸", false, A_BOLD);
    }
    if (t->top + (size_t)height < t->nrows)
        draw_text_attr(top + height - 1, x + width, 1, "↓", false, A_BOLD);
    if (t->top > 0)
        draw_text_attr(top, x + width, 1, "↑", false, A_BOLD);
}

/* To the next (dir > 0) or previous heading, from the one Tab went to
 * last or else the top row. */
static void lines_jump(text_lines *t, int dir)
{
    if (!t->nrows)
        return;
    size_t i = t->at_set ? t->at : t->top;
    while (dir > 0 ? i + 1 < t->nrows : i > 0) {
        i = dir > 0 ? i + 1 : i - 1;
        const text_row *r = &t->rows[i];
        if (r->off == 0 && t->l[r->line].heading) {
            t->top = t->at = i;
            t->at_set = true;
            return;
        }
    }
}

/* Moved by a scrolling key: Tab starts from the top row again. */
static void lines_scrolled(text_lines *t)
{
    t->at_set = false;
}

static const char *const class_keys[IMPORT_CLASS_COUNT] = {
    "import.class_new", "import.class_update", "import.class_unchanged",
    "import.class_duplicate", "import.class_infile", "import.class_invalid"};

static const char *delim_key(char d)
{
    return d == '\t' ? "import.delim_tab" : d == ';' ? "import.delim_semicolon"
                                                     : "import.delim_comma";
}

static int note_by_line(const void *a, const void *b)
{
    const import_note *x = *(const import_note *const *)a, *y = *(const import_note *const *)b;
    return x->line < y->line ? -1 : x->line > y->line ? 1 : x < y ? -1 : x > y;
}

/* One class of rows under its heading, in file order (rows put off to
 * the final pass come back to their place). */
static void lines_class(text_lines *t, const import_report *rep, import_class cls)
{
    char buf[1024];
    size_t count = rep->counts[cls], listed = 0;
    if (!count)
        return;
    lines_add_as(t, "", 0, false);
    lines_add_as(t, trf(buf, sizeof buf, "import.section", tr(class_keys[cls]), count), 0, true);
    const import_note **v = malloc((rep->nnotes ? rep->nnotes : 1) * sizeof *v);
    for (size_t i = 0; v && i < rep->nnotes; i++)
        if (rep->notes[i].cls == cls)
            v[listed++] = &rep->notes[i];
    if (v)
        qsort(v, listed, sizeof *v, note_by_line);
    for (size_t i = 0; i < listed; i++)
        lines_add_as(t, v[i]->name[0] ? trf(buf, sizeof buf, "import.row", v[i]->line,
                                            v[i]->name, v[i]->text)
                                      : trf(buf, sizeof buf, "import.row_noname", v[i]->line,
                                            v[i]->text),
                     6, false);
    free(v);
    if (count > listed)
        lines_add(t, trf(buf, sizeof buf, "import.rows_lost", count - listed));
}

static void lines_from_report(text_lines *t, const import_report *rep)
{
    char buf[1024];
    if (rep->sheet[0])
        lines_add(t, trf(buf, sizeof buf, "book.summary", rep->sheet, rep->header_line,
                         rep->rows));
    else
        lines_add(t, trf(buf, sizeof buf, "import.summary_file", rep->enc.name,
                         tr(delim_key(rep->delim)), rep->header_line, rep->rows));
    if (rep->bad_bytes)
        lines_add(t, trf(buf, sizeof buf, "import.summary_bad_bytes", rep->bad_bytes));
    lines_add(t, tr("import.mapping"));
    for (size_t i = 0; i < rep->ncols; i++) {
        const import_column *c = &rep->cols[i];
        snprintf(buf, sizeof buf, "  %s → %s", c->header[0] ? c->header : "-",
                 c->repeated ? tr("import.field_repeated") : tr(import_field_key(c->field)));
        lines_add_as(t, buf, 4, false);
    }
    if (rep->new_communities) {
        char names[800] = "";
        size_t used = 0;
        for (size_t i = 0; i < rep->ncreated && used + 70 < sizeof names; i++)
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s",
                                     i ? tr("import.names_sep") : "", rep->created[i]);
        lines_add(t, trf(buf, sizeof buf, "import.summary_communities", rep->new_communities,
                         names));
    }
    if (rep->new_households)
        lines_add(t, trf(buf, sizeof buf, "import.summary_households", rep->new_households));
    lines_add(t, trf(buf, sizeof buf, rep->dry_run ? "import.summary_dry" : "import.summary",
                     rep->counts[IMPORT_NEW], rep->counts[IMPORT_UPDATE],
                     rep->counts[IMPORT_UNCHANGED], rep->counts[IMPORT_DUPLICATE],
                     rep->counts[IMPORT_INFILE], rep->counts[IMPORT_INVALID]));
    if (rep->blank)
        lines_add(t, trf(buf, sizeof buf, "import.summary_blank", rep->blank));
    if (rep->skipped)
        lines_add(t, trf(buf, sizeof buf, "import.summary_skipped", rep->skipped));
    if (rep->other_phones)
        lines_add(t, trf(buf, sizeof buf, "import.other_phones", rep->other_phones));
    if (rep->error_trouble[0] && rep->error_path[0])
        lines_add(t, trf(buf, sizeof buf, "import.errors_moved", rep->error_trouble,
                         rep->error_path));
    else if (rep->error_trouble[0])
        lines_add(t, trf(buf, sizeof buf, "import.errors_unwritten", rep->error_trouble));
    else if (rep->error_path[0])
        lines_add(t, trf(buf, sizeof buf, "import.summary_errors", rep->error_path));
    if (import_errors_earlier_said(rep->error_path, rep->error_trouble, rep->error_old,
                                   rep->error_kept, buf, sizeof buf))
        lines_add(t, buf);
    /* The rows, class by class: what is added, what changes, what waits
     * for a clerk, what is refused, and what is not a person. */
    static const import_class order[] = {IMPORT_NEW, IMPORT_UPDATE, IMPORT_DUPLICATE,
                                         IMPORT_INVALID, IMPORT_INFILE};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        lines_class(t, rep, order[i]);
    if (rep->skipped) {
        lines_add_as(t, "", 0, false);
        lines_add_as(t, trf(buf, sizeof buf, "import.section_skipped", rep->skipped), 0, true);
        for (size_t i = 0; i < rep->nskips; i++) {
            const import_skip *k = &rep->skips[i];
            lines_add_as(t, trf(buf, sizeof buf, "import.skip_row", k->line, k->text,
                                tr(import_skip_key(k->reason))), 6, false);
        }
        if (rep->skipped > rep->nskips)
            lines_add(t, trf(buf, sizeof buf, "import.rows_lost", rep->skipped - rep->nskips));
    }
}

/* ---- the import screen ---- */

typedef enum { IS_PATH, IS_PREVIEW, IS_DONE } import_state;

typedef struct import_screen {
    screen base;
    import_state state;
    lineedit *path;
    size_t path_first;
    text_lines text;
    text_lines error; /* why the last attempt failed, wrapped, until the next */
    int64_t pending;
    char file[IMPORT_PATH_MAX];
    char sheet[256]; /* a workbook's sheet chosen with F4 ("": the first) */
    struct stat previewed; /* the file as its preview read it */
    screen_ops sheet_ops;  /* import_ops with F4 on the bar (import_sheet_keys) */
    int body_top, body_height, width;
} import_screen;

static const keybind import_keys[] = {
    {'\r', ACT_PREVIEW, KB_BAR},
    {'\n', ACT_PREVIEW, 0},
    {KEYCODE | KEY_ENTER, ACT_PREVIEW, 0},
    {KEYCODE | KEY_F(2), ACT_IMPORT, KB_BAR},
    {KEY_CTRL('s'), ACT_IMPORT, 0},
    {KEYCODE | KEY_F(6), ACT_REVIEW, KB_BAR},
    {KEY_CTRL('r'), ACT_REVIEW, 0},
    {KEYCODE | KEY_F(4), ACT_SHEET, 0},
    {KEY_CTRL('t'), ACT_SHEET, 0},
    {KEYCODE | KEY_UP, ACT_UP, 0},
    {KEYCODE | KEY_DOWN, ACT_DOWN, 0},
    {KEYCODE | KEY_PPAGE, ACT_PAGE_UP, 0},
    {KEYCODE | KEY_NPAGE, ACT_PAGE_DOWN, 0},
    {KEYCODE | KEY_HOME, ACT_FIRST, 0},
    {KEYCODE | KEY_END, ACT_LAST, 0},
    {'\t', ACT_NEXT_FIELD, 0},
    {KEYCODE | KEY_BTAB, ACT_PREV_FIELD, 0},
    {27, ACT_BACK, KB_BAR},
    {0, ACT_NONE, 0},
};

/* A workbook of several sheets: F4 on the bar, before F6 (the screen
 * tells the clerk to press it, and at 80 columns the bar ends after the
 * fourth key). */
static const keybind import_sheet_keys[] = {
    {'\r', ACT_PREVIEW, KB_BAR},
    {'\n', ACT_PREVIEW, 0},
    {KEYCODE | KEY_ENTER, ACT_PREVIEW, 0},
    {KEYCODE | KEY_F(2), ACT_IMPORT, KB_BAR},
    {KEY_CTRL('s'), ACT_IMPORT, 0},
    {KEYCODE | KEY_F(4), ACT_SHEET, KB_BAR},
    {KEY_CTRL('t'), ACT_SHEET, 0},
    {KEYCODE | KEY_F(6), ACT_REVIEW, KB_BAR},
    {KEY_CTRL('r'), ACT_REVIEW, 0},
    {KEYCODE | KEY_UP, ACT_UP, 0},
    {KEYCODE | KEY_DOWN, ACT_DOWN, 0},
    {KEYCODE | KEY_PPAGE, ACT_PAGE_UP, 0},
    {KEYCODE | KEY_NPAGE, ACT_PAGE_DOWN, 0},
    {KEYCODE | KEY_HOME, ACT_FIRST, 0},
    {KEYCODE | KEY_END, ACT_LAST, 0},
    {'\t', ACT_NEXT_FIELD, 0},
    {KEYCODE | KEY_BTAB, ACT_PREV_FIELD, 0},
    {27, ACT_BACK, KB_BAR},
    {0, ACT_NONE, 0},
};

static void import_refresh_pending(import_screen *is)
{
    if (import_pending_count(app_station(is->base.app), &is->pending) != WS_OK)
        is->pending = 0;
}

static void import_title(screen *s, char *out, size_t outsz)
{
    import_screen *is = (import_screen *)s;
    if (is->state == IS_PATH) {
        snprintf(out, outsz, "%s", tr("import.title"));
        return;
    }
    const char *base = strrchr(is->file, '/');
    trf(out, outsz, is->state == IS_PREVIEW ? "import.preview_title" : "import.done_title",
        base ? base + 1 : is->file);
}

static void import_draw(screen *s, int top, int height, int width)
{
    import_screen *is = (import_screen *)s;
    is->body_top = top;
    is->body_height = height;
    is->width = width;
    char buf[512];
    if (is->state == IS_PATH) {
        int y = top + 1;
        draw_text(y++, 2, width - 4, tr("import.help1"), false);
        draw_text(y++, 2, width - 4, tr("import.help2"), false);
        y++;
        edit_draw(is->path, &is->path_first, y++, tr("import.path_label"), width);
        draw_text_attr(y++, 2, width - 4, tr("import.path_hint"), false, A_DIM);
        if (is->pending > 0) {
            y++;
            draw_text_attr(y++, 2, width - 4,
                           trf(buf, sizeof buf, "import.pending", (long long)is->pending), false,
                           A_BOLD | COLOR_PAIR(PAIR_HEADER));
        }
        if (is->error.n && top + height - y - 1 > 0) {
            /* The whole reason, wrapped: a path and a hint are long. */
            y++;
            is->error.top = 0;
            lines_draw(&is->error, y, 2, top + height - y, width - 5);
        }
        return;
    }
    int rows = height - 1;
    lines_draw(&is->text, top, 1, rows, width - 2); /* ↑↓ in the last column */
    const char *hint = is->state == IS_PREVIEW ? tr("import.preview_hint") : NULL;
    if (is->state == IS_DONE && is->pending > 0)
        hint = trf(buf, sizeof buf, "import.pending", (long long)is->pending);
    if (hint)
        draw_text_attr(top + height - 1, 1, width - 2, hint, true,
                       A_BOLD | COLOR_PAIR(PAIR_HEADER));
}

/* Run the model (dry or not) with the progress bar on the screen. */
static ws_status import_go(import_screen *is, bool dry, import_report *rep, char *err,
                           size_t errsz)
{
    progress_ctx p = {.what = dry ? "import.analyzing" : "import.importing",
                      .y = is->body_top + is->body_height - 1, .width = is->width};
    if (p.width <= 0)
        p.width = COLS;
    if (p.y <= 0)
        p.y = LINES - 3;
    clock_gettime(CLOCK_MONOTONIC, &p.t0);
    curs_set(0);
    import_opts o = {.dry_run = dry, .list_new = true, .progress = progress_draw, .ctx = &p,
                     .sheet = is->sheet};
    return import_residents(app_station(is->base.app), is->file, &o, rep, err, errsz);
}

/* The workbook's other sheets, under the summary: F4 reads another. */
static void import_other_sheets(import_screen *is, const char *read)
{
    workbook *wb = NULL;
    char err[512];
    if (workbook_open(is->file, NULL, &wb, err, sizeof err) != WS_OK)
        return;
    csv_buf names = {0};
    for (size_t i = 0; i < workbook_sheet_count(wb); i++) {
        const char *n = workbook_sheet_name(wb, i);
        if (!strcmp(n, read))
            continue;
        if (names.len)
            csv_buf_append(&names, tr("book.sheet_sep"), strlen(tr("book.sheet_sep")));
        /* A hidden sheet (why it was not read first) says so. */
        char hidden[300];
        if (workbook_sheet_hidden(wb, i))
            n = trf(hidden, sizeof hidden, "book.sheet_hidden", n);
        csv_buf_append(&names, n, strlen(n));
    }
    workbook_free(&wb);
    if (names.len) {
        char buf[1024];
        lines_add_as(&is->text, trf(buf, sizeof buf, "book.other_sheets", names.p), 2, false);
    }
    csv_buf_free(&names);
}

/* The sheets of the workbook being read (0: not a workbook). */
static size_t import_sheet_count(const import_screen *is)
{
    workbook *wb = NULL;
    char err[512];
    if (workbook_open(is->file, NULL, &wb, err, sizeof err) != WS_OK)
        return 0;
    size_t n = workbook_sheet_count(wb);
    workbook_free(&wb);
    return n;
}

/* No header found: another kind's ledger (a households export) says
 * which and how to import it; F4 only where there is another sheet. */
static void import_no_header_hint(import_screen *is, const import_report *rep)
{
    import_opts o = {.sheet = is->sheet};
    const record_kind *other = import_kind_guess(is->file, &o);
    if (other) {
        const char *slash = strrchr(is->file, '/');
        char *name = text_sanitize(slash ? slash + 1 : is->file);
        char buf[2048];
        trf(buf, sizeof buf, "cli.other_kind_hint", name ? name : "", tr(other->label),
            other->table);
        free(name);
        lines_add_as(&is->error, buf, 0, false);
    } else if (!rep->sheet[0]) {
        lines_add_as(&is->error, tr("import.hint_encoding_console"), 0, false);
    } else if (import_sheet_count(is) > 1) {
        lines_add_as(&is->error, tr("book.hint_sheet_console"), 0, false);
    }
}

/* Whether the file is still the one its preview read (the same size,
 * time and inode): F2 imports what the clerk saw, or shows it again. */
static bool import_same_file(const import_screen *is)
{
    struct stat now;
    return stat(is->file, &now) == 0 && now.st_size == is->previewed.st_size &&
           now.st_ino == is->previewed.st_ino &&
           now.st_mtim.tv_sec == is->previewed.st_mtim.tv_sec &&
           now.st_mtim.tv_nsec == is->previewed.st_mtim.tv_nsec;
}

static const screen_ops import_ops;

static void import_run_step(import_screen *is, bool dry)
{
    app *a = is->base.app;
    import_report rep;
    char err[1024];
    if (!dry && !import_same_file(is)) {
        import_run_step(is, true);
        if (!is->error.n) /* else the reading's own message stands */
            app_message(a, true, "%s", tr("import.changed_since_preview"));
        return;
    }
    if (dry && stat(is->file, &is->previewed) != 0)
        memset(&is->previewed, 0, sizeof is->previewed);
    /* F4 on the key bar only where there is another sheet to read. */
    if (dry)
        is->base.ops = import_sheet_count(is) > 1 ? &is->sheet_ops : &import_ops;
    lines_clear(&is->error);
    ws_status s = import_go(is, dry, &rep, err, sizeof err);
    if (s != WS_OK) {
        /* In full on the screen (the message line holds one row). */
        lines_add_as(&is->error, err[0] ? err : tr(ws_status_key(s)), 0, true);
        if (rep.header_missing)
            import_no_header_hint(is, &rep);
        app_message(a, true, "%s", err[0] ? err : tr(ws_status_key(s)));
        import_report_free(&rep);
        if (!dry) {
            is->state = IS_PREVIEW;
            /* Above the preview it was asked from. */
            text_lines keep = is->text;
            memset(&is->text, 0, sizeof is->text);
            for (size_t i = 0; i < is->error.n; i++)
                lines_add_as(&is->text, is->error.l[i].s, 0, true);
            for (size_t i = 0; i < keep.n; i++)
                lines_add_as(&is->text, keep.l[i].s, keep.l[i].indent, keep.l[i].heading);
            lines_clear(&keep);
        }
        return;
    }
    if (rep.cancelled) {
        app_message(a, false, "%s", tr("import.cancelled"));
        import_report_free(&rep);
        return;
    }
    lines_clear(&is->text);
    lines_from_report(&is->text, &rep);
    if (rep.sheet[0])
        import_other_sheets(is, rep.sheet);
    import_report_free(&rep);
    is->state = dry ? IS_PREVIEW : IS_DONE;
    import_refresh_pending(is);
    if (!dry)
        app_message(a, false, "%s", tr("app.saved"));
}

static void import_sheet_chosen(app *a, void *ctx, const list_item *row)
{
    (void)a;
    import_screen *is = ctx;
    snprintf(is->sheet, sizeof is->sheet, "%s", row->cells[0]);
    /* A hidden sheet is listed as 旧表（已隐藏）: read by its own name,
     * the line's index (cells[1]) in the workbook's sheets. */
    workbook *wb = NULL;
    char err[512];
    size_t i = (size_t)strtoul(row->cells[1], NULL, 10);
    if (workbook_open(is->file, NULL, &wb, err, sizeof err) == WS_OK) {
        if (i < workbook_sheet_count(wb))
            snprintf(is->sheet, sizeof is->sheet, "%s", workbook_sheet_name(wb, i));
        workbook_free(&wb);
    }
    import_run_step(is, true);
}

/* F4: the sheets of the workbook being read (or typed), to read another. */
static void import_pick_sheet(import_screen *is)
{
    app *a = is->base.app;
    if (is->state == IS_PATH)
        app_path_resolve(lineedit_text(is->path), is->file, sizeof is->file);
    workbook *wb = NULL;
    char err[1024];
    if (!is->file[0] || workbook_open(is->file, NULL, &wb, err, sizeof err) != WS_OK) {
        app_message(a, true, "%s", is->file[0] ? err : tr("book.type_a_file"));
        return;
    }
    size_t n = workbook_sheet_count(wb);
    const char **names = calloc(n ? n : 1, sizeof *names);
    char **marked = calloc(n ? n : 1, sizeof *marked);
    for (size_t i = 0; names && marked && i < n; i++) {
        names[i] = workbook_sheet_name(wb, i);
        /* A hidden sheet says so, as the preview's list of sheets does. */
        if (workbook_sheet_hidden(wb, i)) {
            char hidden[512];
            marked[i] = strdup(trf(hidden, sizeof hidden, "book.sheet_hidden", names[i]));
            if (marked[i])
                names[i] = marked[i];
        }
    }
    screen *p = names && marked ? strings_picker_new(a, tr("book.sheet_title"), names, n,
                                                     import_sheet_chosen, is)
                                : NULL;
    for (size_t i = 0; marked && i < n; i++)
        free(marked[i]);
    free(marked);
    free(names);
    workbook_free(&wb);
    if (p)
        app_push(a, p);
}

static bool import_act(screen *s, action act)
{
    import_screen *is = (import_screen *)s;
    app *a = s->app;
    size_t page = is->body_height > 2 ? (size_t)is->body_height - 2 : 1;
    if (act == ACT_UP || act == ACT_DOWN || act == ACT_PAGE_UP || act == ACT_PAGE_DOWN ||
        ((act == ACT_FIRST || act == ACT_LAST) && is->state != IS_PATH))
        lines_scrolled(&is->text);
    switch (act) {
    case ACT_PREVIEW:
        if (is->state == IS_PATH) {
            const char *p = lineedit_text(is->path);
            while (*p == ' ')
                p++;
            if (!*p)
                return true;
            char file[IMPORT_PATH_MAX];
            app_path_resolve(p, file, sizeof file);
            if (strcmp(file, is->file)) /* another file: its first sheet */
                is->sheet[0] = '\0';
            snprintf(is->file, sizeof is->file, "%s", file);
            import_run_step(is, true);
        }
        return true;
    case ACT_IMPORT:
        if (is->state == IS_PREVIEW)
            import_run_step(is, false);
        return true;
    case ACT_REVIEW:
        app_push(a, import_review_screen_new(a));
        return true;
    case ACT_SHEET:
        if (is->state != IS_DONE)
            import_pick_sheet(is);
        return true;
    case ACT_UP:
        if (is->text.top)
            is->text.top--;
        return true;
    case ACT_DOWN:
        if (is->state == IS_PATH)
            path_pick(a, is->path);
        else
            is->text.top++;
        return true;
    case ACT_PAGE_UP:
        is->text.top = is->text.top > page ? is->text.top - page : 0;
        return true;
    case ACT_PAGE_DOWN:
        is->text.top += page;
        return true;
    case ACT_FIRST:
    case ACT_LAST:
        if (is->state == IS_PATH)
            return false; /* the line editor's Home and End */
        /* Drawing keeps the last page in view. */
        is->text.top = act == ACT_FIRST ? 0 : is->text.nrows;
        return true;
    case ACT_NEXT_FIELD:
    case ACT_PREV_FIELD:
        if (is->state == IS_PATH) {
            if (act == ACT_NEXT_FIELD)
                path_tab(a, is->path);
            return true;
        }
        lines_jump(&is->text, act == ACT_NEXT_FIELD ? 1 : -1);
        return true;
    case ACT_BACK:
        if (is->state == IS_PREVIEW) {
            is->state = IS_PATH;
            lines_clear(&is->text);
            lines_clear(&is->error);
        } else {
            app_pop(a);
        }
        return true;
    default:
        return false;
    }
}

static bool import_key(screen *s, int key)
{
    import_screen *is = (import_screen *)s;
    return is->state == IS_PATH && edit_key(is->path, key);
}



static bool import_typing(screen *s)
{
    return ((import_screen *)s)->state == IS_PATH;
}

static void import_resume(screen *s)
{
    import_refresh_pending((import_screen *)s);
}

static void import_destroy(screen *s)
{
    import_screen *is = (import_screen *)s;
    lineedit_free(&is->path);
    lines_clear(&is->text);
    lines_clear(&is->error);
    free(is);
}

static const screen_ops import_ops = {
    .keys = import_keys,
    .title = import_title,
    .draw = import_draw,
    .act = import_act,
    .key = import_key,
    .typing = import_typing,
    .resume = import_resume,
    .destroy = import_destroy,
};

screen *import_screen_new(app *a)
{
    import_screen *is = calloc(1, sizeof *is);
    if (!is)
        return NULL;
    is->base.ops = &import_ops;
    is->sheet_ops = import_ops;
    is->sheet_ops.keys = import_sheet_keys;
    is->base.app = a;
    is->path = lineedit_new(IMPORT_PATH_MAX);
    if (!is->path) {
        free(is);
        return NULL;
    }
    import_refresh_pending(is);
    return &is->base;
}

/* ---- review of possible duplicates ---- */

static screen *import_merge_screen_new(app *a, int64_t pending_id);


/* Why the model refused a merge or (undo) its undo, in the clerk's words. */
static void merge_error_text(const import_merge_error *e, ws_status s, bool undo, char *out,
                             size_t outsz)
{
    char why[512], when[32];
    switch (s == WS_ERR_INVALID ? e->why : MERGE_OK) {
    case MERGE_ERR_FIELD:
        trf(out, outsz, "app.error", record_error_reason(&e->fe, why, sizeof why));
        return;
    case MERGE_ERR_CHANGED:
        text_local_time(e->at, false, when, sizeof when);
        trf(out, outsz, "import.merge_changed", e->detail, when);
        return;
    case MERGE_ERR_HEADLESS:
        trf(out, outsz, undo ? "import.undo_headless" : "import.merge_headless", e->detail);
        return;
    case MERGE_ERR_EDITED:
        trf(out, outsz, "import.undo_edited", e->detail);
        return;
    default:
        trf(out, outsz, "app.error", tr(ws_status_key(s)));
        return;
    }
}

typedef struct review_screen {
    screen base;
    list_widget *list;
    int64_t total;           /* rows waiting */
    import_pending_item sel; /* the row under the cursor, for the details */
    bool have_sel;
} review_screen;

static const list_col review_cols[] = {
    {"import.col_line", 4, 0},       {"import.col_incoming", 8, 2}, {"import.col_birth", 10, 0},
    {"import.col_phone", 11, 0},     {"import.col_candidate", 8, 2}, {"import.col_birth", 10, 0},
    {"import.col_phone", 11, 0},     {"import.col_state", 7, 0},
};

/* Letters go to the search box: every command is an F-key or a Ctrl key. */
static const keybind review_keys[] = {
    {'\r', ACT_COMPARE, KB_BAR},
    {'\n', ACT_COMPARE, 0},
    {KEYCODE | KEY_ENTER, ACT_COMPARE, 0},
    {KEYCODE | KEY_F(5), ACT_KEEP, KB_BAR},
    {KEY_CTRL('n'), ACT_KEEP, 0},
    {KEYCODE | KEY_F(8), ACT_SKIP, KB_BAR},
    {KEY_CTRL('d'), ACT_SKIP, 0},
    {KEYCODE | KEY_F(7), ACT_UNDO_MERGE, KB_BAR},
    {KEY_CTRL('z'), ACT_UNDO_MERGE, 0},
    {KEYCODE | KEY_F(3), ACT_SEARCH, 0},
    {KEY_CTRL('f'), ACT_SEARCH, 0},
    {0, ACT_NONE, 0},
};

static ws_status review_fetch(void *ctx, const char *filter, int64_t after, int dir,
                              list_item *items, size_t max, size_t *n)
{
    review_screen *rv = ctx;
    import_pending_item *rows = calloc(max ? max : 1, sizeof *rows);
    if (!rows)
        return WS_ERR_NOMEM;
    ws_status s = import_review_list(app_station(rv->base.app), filter, after, dir, rows, max, n);
    for (size_t i = 0; s == WS_OK && i < *n; i++) {
        const import_pending_item *p = &rows[i];
        list_item *it = &items[i];
        it->id = p->id;
        snprintf(it->cells[0], LIST_CELL, "%lld", (long long)p->line);
        snprintf(it->cells[1], LIST_CELL, "%s", p->incoming.name);
        snprintf(it->cells[2], LIST_CELL, "%s", p->incoming.birth_date);
        mask_phone(p->incoming.phone, it->cells[3], LIST_CELL);
        snprintf(it->cells[4], LIST_CELL, "%s", p->candidate.name);
        snprintf(it->cells[5], LIST_CELL, "%s", p->candidate.birth_date);
        mask_phone(p->candidate.phone, it->cells[6], LIST_CELL);
        snprintf(it->cells[7], LIST_CELL, "%s",
                 tr(p->merged ? "import.state_merged" : "import.state_waiting"));
    }
    free(rows);
    return s;
}

static void review_count(review_screen *rv)
{
    if (import_pending_count(app_station(rv->base.app), &rv->total) != WS_OK)
        rv->total = 0;
}

static void review_title(screen *s, char *out, size_t outsz)
{
    trf(out, outsz, "import.review_title", (long long)((review_screen *)s)->total);
}

/* One person of the row under the cursor, identifiers masked. */
static void review_person(const char *key, const import_person *p, char *out, size_t outsz)
{
    char id[32];
    mask_id_number(p->id_number, id, sizeof id);
    char where[700];
    snprintf(where, sizeof where, "%s%s%s", p->community, p->community[0] && p->address[0] ? " " : "",
             p->address);
    trf(out, outsz, key, p->name, id[0] ? id : "-", where[0] ? where : "-");
}

/* The row under the cursor, fetched again when the cursor moved. */
static const import_pending_item *review_selected(review_screen *rv)
{
    int64_t id = list_selected_id(rv->list);
    if (!id)
        return NULL;
    if (!rv->have_sel || rv->sel.id != id) {
        size_t n = 0;
        rv->have_sel = import_review_list(app_station(rv->base.app), NULL, id - 1, 1, &rv->sel,
                                          1, &n) == WS_OK && n == 1 && rv->sel.id == id;
    }
    return rv->have_sel ? &rv->sel : NULL;
}

static void review_draw(screen *s, int top, int height, int width)
{
    review_screen *rv = (review_screen *)s;
    list_draw(rv->list, top, height - 4, width);
    const import_pending_item *p = review_selected(rv);
    if (!p)
        return;
    char buf[1024], when[32];
    /* The file the row came from: a clerk imports several ledgers, and
     * "第 12 行" alone does not say which. */
    trf(buf, sizeof buf, "import.review_detail_source", p->source[0] ? p->source : "-",
        (long long)p->line);
    draw_text(top + height - 3, 1, width - 2, buf, true);
    if (p->merged) {
        text_local_time(p->merged_at, false, when, sizeof when);
        trf(buf, sizeof buf, "import.review_detail_merged", p->merged_by, when);
    } else {
        review_person("import.review_detail_in", &p->incoming, buf, sizeof buf);
    }
    draw_text(top + height - 2, 1, width - 2, buf, true);
    review_person("import.review_detail_reg", &p->candidate, buf, sizeof buf);
    draw_text(top + height - 1, 1, width - 2, buf, true);
}

static void review_reload(review_screen *rv)
{
    rv->have_sel = false;
    review_count(rv);
    list_reload(rv->list);
}

static void review_resolve(review_screen *rv, import_resolution how, const char *done_key)
{
    app *a = rv->base.app;
    int64_t id = list_selected_id(rv->list);
    if (!id)
        return;
    field_error fe;
    ws_status s = import_pending_resolve(app_station(a), id, how, NULL, &fe);
    if (s == WS_ERR_INVALID && fe.code != VAL_OK) {
        char why[512], msg[600];
        app_message(a, true, "%s",
                    trf(msg, sizeof msg, "app.error", record_error_reason(&fe, why, sizeof why)));
        return;
    }
    if (s != WS_OK) {
        app_status_error(a, s);
        return;
    }
    char msg[512];
    app_message(a, false, "%s", trf(msg, sizeof msg, done_key, rv->sel.incoming.name));
    review_reload(rv);
}

static void review_skip_yes(app *a, void *ctx)
{
    (void)a;
    review_resolve(ctx, IMPORT_SKIP, "import.skipped");
}

static void review_undo_yes(app *a, void *ctx)
{
    review_screen *rv = ctx;
    import_merge_error err;
    ws_status s = import_merge_undo(app_station(a), rv->sel.id, &err);
    char msg[768];
    if (s != WS_OK) {
        merge_error_text(&err, s, true, msg, sizeof msg);
        app_message(a, true, "%s", msg);
        return;
    }
    app_message(a, false, "%s",
                trf(msg, sizeof msg, "import.undone", rv->sel.candidate.name));
    review_reload(rv);
}

static bool review_act(screen *s, action act)
{
    review_screen *rv = (review_screen *)s;
    app *a = s->app;
    const import_pending_item *p = review_selected(rv);
    char q[768];
    switch (act) {
    case ACT_COMPARE:
        if (p && p->merged)
            app_message(a, false, "%s", tr("import.already_merged"));
        else if (p)
            app_push(a, import_merge_screen_new(a, p->id));
        return true;
    case ACT_KEEP:
        if (p && p->merged)
            app_message(a, false, "%s", tr("import.already_merged"));
        else if (p)
            review_resolve(rv, IMPORT_KEEP_BOTH, "import.kept");
        return true;
    case ACT_SKIP:
        if (p && p->merged)
            app_message(a, false, "%s", tr("import.already_merged"));
        else if (p)
            app_confirm(a, trf(q, sizeof q, "import.confirm_skip", p->incoming.name),
                        review_skip_yes, rv);
        return true;
    case ACT_UNDO_MERGE:
        if (p && !p->merged)
            app_message(a, false, "%s", tr("import.not_merged"));
        else if (p)
            app_confirm(a, trf(q, sizeof q, "import.confirm_undo", p->incoming.name,
                               p->candidate.name), review_undo_yes, rv);
        return true;
    case ACT_BACK:
        if (!list_act(rv->list, act))
            app_pop(a);
        return true;
    default:
        return list_act(rv->list, act);
    }
}

static bool review_key(screen *s, int key)
{
    return list_key(((review_screen *)s)->list, key);
}

static bool review_typing(screen *s)
{
    return list_typing(((review_screen *)s)->list);
}

static void review_resume(screen *s)
{
    review_reload((review_screen *)s);
}

static void review_destroy(screen *s)
{
    review_screen *rv = (review_screen *)s;
    list_free(&rv->list);
    free(rv);
}

static const screen_ops review_ops = {
    .keys = review_keys,
    .widget_keys = keys_browse,
    .title = review_title,
    .draw = review_draw,
    .act = review_act,
    .key = review_key,
    .typing = review_typing,
    .resume = review_resume,
    .destroy = review_destroy,
};

screen *import_review_screen_new(app *a)
{
    review_screen *rv = calloc(1, sizeof *rv);
    if (!rv)
        return NULL;
    rv->base.ops = &review_ops;
    rv->base.app = a;
    rv->list = list_new(review_cols, sizeof review_cols / sizeof review_cols[0], review_fetch, rv,
                        true, "import.review_empty");
    if (!rv->list) {
        free(rv);
        return NULL;
    }
    list_set_hint(rv->list, "import.review_filter_hint");
    review_count(rv);
    return &rv->base;
}

/* ---- a merge, field by field: registered | imported ---- */

typedef struct merge_screen {
    screen base;
    import_merge_plan *plan;
    bool initial[IMPORT_MERGE_ROWS]; /* the plan's defaults: changed ones are unsaved */
    char in_name[192]; /* the row's name and the registered one (as resident.name) */
    char reg_name[192];
    size_t cur, top;                 /* selected row, first row shown */
    size_t shown;                    /* rows that fit */
} merge_screen;

static const keybind merge_keys[] = {
    {KEYCODE | KEY_F(2), ACT_MERGE, KB_BAR},
    {KEY_CTRL('s'), ACT_MERGE, 0},
    {KEYCODE | KEY_LEFT, ACT_TAKE_REGISTERED, KB_BAR},
    {KEYCODE | KEY_RIGHT, ACT_TAKE_IMPORTED, KB_BAR},
    {' ', ACT_SWITCH_SIDE, KB_LETTER},
    {KEYCODE | KEY_UP, ACT_UP, 0},
    {KEYCODE | KEY_DOWN, ACT_DOWN, 0},
    {KEYCODE | KEY_BTAB, ACT_UP, 0},
    {'\t', ACT_DOWN, 0},
    {KEYCODE | KEY_PPAGE, ACT_PAGE_UP, 0},
    {KEYCODE | KEY_NPAGE, ACT_PAGE_DOWN, 0},
    {KEYCODE | KEY_HOME, ACT_FIRST, 0},
    {KEYCODE | KEY_END, ACT_LAST, 0},
    {27, ACT_BACK, KB_BAR},
    {0, ACT_NONE, 0},
};

static void merge_title(screen *s, char *out, size_t outsz)
{
    merge_screen *m = (merge_screen *)s;
    trf(out, outsz, "import.merge_title", m->in_name, m->reg_name);
}

static size_t merge_taken(const import_merge_plan *p)
{
    size_t n = 0;
    for (size_t i = 0; i < p->nrows; i++)
        n += p->rows[i].differs && p->rows[i].take;
    return n;
}

/* Up to `lines` rows of text after a label at (y, x), wrapped at `cols`
 * columns and at line breaks; the last ends in "…" when text is left over.
 * With draw false only counts. Returns the rows the whole text needs. */
static int merge_wrap(bool draw, int y, int x, int cols, int lines, const char *label,
                      const char *text)
{
    int lw = draw_width(label);
    if (draw)
        draw_text_attr(y, x, lw, label, false, A_BOLD);
    const char *p = text;
    int i = 0;
    do {
        size_t brk = strcspn(p, "\n");
        size_t fit = text_prefix_bytes(p, cols - lw);
        size_t take = fit < brk ? fit : brk;
        if (take == 0 && brk > 0)
            take = brk; /* cannot fit one character: give up on it */
        const char *next = p + take + (take == brk && p[brk] == '\n');
        if (draw && i < lines) {
            char line[2048];
            snprintf(line, sizeof line, "%.*s", (int)take, p);
            if (i == lines - 1 && *next) {
                size_t keep = text_prefix_bytes(line, cols - lw - 1);
                snprintf(line + keep, sizeof line - keep, "…");
            }
            draw_text(y + i, x + lw, cols - lw, line, true);
        }
        p = next;
        i++;
    } while (*p);
    return i;
}

static void merge_draw(screen *s, int top, int height, int width)
{
    merge_screen *m = (merge_screen *)s;
    const import_merge_plan *p = m->plan;
    char buf[1024];
    int labw = 18, colw = (width - labw - 2) / 2, xa = labw, xb = labw + colw + 1;
    draw_text(top, 1, width - 2,
              trf(buf, sizeof buf, "import.merge_intro", p->source, (long long)p->line,
                  merge_taken(p)), true);
    /* Headers over the values, past the "✓ " marks. */
    draw_text_attr(top + 1, xa + 2, colw - 2, tr("import.merge_col_registered"), true,
                   A_BOLD | COLOR_PAIR(PAIR_HEADER));
    draw_text_attr(top + 1, xb + 2, colw - 2, tr("import.merge_col_imported"), true,
                   A_BOLD | COLOR_PAIR(PAIR_HEADER));
    /* Details of the selected field (full values) take the bottom lines. */
    int detail = height - 3 - (int)p->nrows;
    detail = detail < 4 ? 4 : detail > 8 ? 8 : detail;
    int rows = height - 3 - detail;
    m->shown = rows > 1 ? (size_t)rows : 1;
    if (m->cur < m->top)
        m->top = m->cur;
    if (m->cur >= m->top + m->shown)
        m->top = m->cur - m->shown + 1;
    for (size_t k = 0; k < m->shown && m->top + k < p->nrows; k++) {
        size_t i = m->top + k;
        const import_merge_row *r = &p->rows[i];
        int y = top + 2 + (int)k;
        bool sel = i == m->cur;
        draw_text_attr(y, 1, labw - 2, r->label, true,
                       sel ? COLOR_PAIR(PAIR_SELECT) | A_BOLD : A_BOLD);
        const char *vals[2] = {r->registered, r->imported};
        for (int side = 0; side < 2; side++) {
            bool chosen = r->differs && r->take == (side == 1);
            const char *v = vals[side];
            if (!*v)
                v = tr(side == 1 && !r->differs ? "import.merge_not_in_row" : "field.none");
            char one[sizeof buf - 8]; /* a note's lines on one row, each break a ↵ */
            snprintf(buf, sizeof buf, "%s%s", chosen ? "✓ " : "  ",
                     textedit_one_line(v, one, sizeof one));
            attr_t at = !r->differs ? A_DIM
                        : chosen   ? A_BOLD | (sel ? COLOR_PAIR(PAIR_SELECT) : COLOR_PAIR(PAIR_OK))
                                   : A_NORMAL;
            draw_text_attr(y, side ? xb : xa, colw, buf, true, at);
        }
    }
    if (p->nrows > m->top + m->shown)
        draw_text_attr(top + 2 + (int)m->shown - 1, width - 2, 1, "↓", false, A_BOLD);
    if (m->top > 0)
        draw_text_attr(top + 2, width - 2, 1, "↑", false, A_BOLD);
    if (m->cur >= p->nrows)
        return;
    const import_merge_row *r = &p->rows[m->cur];
    int y = top + height - detail;
    draw_text_attr(y, 1, width - 2,
                   trf(buf, sizeof buf, r->differs ? "import.merge_detail" : "import.merge_same",
                       r->label), true, A_DIM);
    /* The lines below go to the two values as they need them. */
    const char *lreg = tr("import.merge_registered_is"), *limp = tr("import.merge_imported_is");
    const char *vreg = r->registered[0] ? r->registered : tr("field.none");
    const char *vimp = r->imported[0] ? r->imported : tr("import.merge_not_in_row");
    int avail = detail - 1;
    int nreg = merge_wrap(false, 0, 1, width - 2, 0, lreg, vreg);
    int nimp = merge_wrap(false, 0, 1, width - 2, 0, limp, vimp);
    int gimp = nimp < avail / 2 ? nimp : avail / 2;
    int greg = nreg < avail - gimp ? nreg : avail - gimp;
    gimp = avail - greg < nimp ? avail - greg : nimp;
    merge_wrap(true, y + 1, 1, width - 2, greg, lreg, vreg);
    merge_wrap(true, y + 1 + greg, 1, width - 2, gimp, limp, vimp);
}

static void merge_choose(merge_screen *m, int how) /* 0 registered, 1 imported, -1 switch */
{
    import_merge_row *r = &m->plan->rows[m->cur];
    if (!r->differs) {
        app_message(m->base.app, false, "%s", tr("import.merge_nothing_to_choose"));
        return;
    }
    import_merge_choose(m->plan, m->cur, how < 0 ? !r->take : how == 1);
}

static void merge_yes(app *a, void *ctx)
{
    merge_screen *m = ctx;
    import_merge_error err;
    ws_status s = import_merge_apply(app_station(a), m->plan, &err);
    char msg[768];
    if (s == WS_ERR_INVALID && err.why == MERGE_ERR_CHANGED) {
        /* Saved elsewhere meanwhile: show the record as it is now, with
         * the clerk's choices kept where they still apply. */
        import_merge_plan *fresh = malloc(sizeof *fresh);
        if (fresh && import_merge_load(app_station(a), m->plan->pending_id, fresh) == WS_OK) {
            for (size_t i = 0; i < fresh->nrows; i++)
                for (size_t k = 0; k < m->plan->nrows; k++)
                    if (fresh->rows[i].field == m->plan->rows[k].field &&
                        !strcmp(fresh->rows[i].code, m->plan->rows[k].code) &&
                        fresh->rows[i].differs)
                        fresh->rows[i].take = m->plan->rows[k].take;
            free(m->plan);
            m->plan = fresh;
            fresh = NULL;
            if (m->cur >= m->plan->nrows)
                m->cur = 0;
        }
        free(fresh);
    }
    if (s != WS_OK) {
        merge_error_text(&err, s, false, msg, sizeof msg);
        app_message(a, true, "%s", msg);
        return;
    }
    trf(msg, sizeof msg, "import.merged", m->in_name, m->reg_name);
    app_pop(a); /* the review below reloads and shows the message */
    app_message(a, false, "%s", msg);
}

static bool merge_act(screen *s, action act)
{
    merge_screen *m = (merge_screen *)s;
    app *a = s->app;
    size_t n = m->plan->nrows, page = m->shown > 1 ? m->shown - 1 : 1;
    char q[768];
    switch (act) {
    case ACT_MERGE:
        app_confirm(a, trf(q, sizeof q, "import.confirm_merge", m->in_name, m->reg_name,
                           merge_taken(m->plan)), merge_yes, m);
        return true;
    case ACT_TAKE_REGISTERED:
        merge_choose(m, 0);
        return true;
    case ACT_TAKE_IMPORTED:
        merge_choose(m, 1);
        return true;
    case ACT_SWITCH_SIDE:
        merge_choose(m, -1);
        return true;
    case ACT_UP:
        m->cur = m->cur ? m->cur - 1 : 0;
        return true;
    case ACT_DOWN:
        m->cur = m->cur + 1 < n ? m->cur + 1 : m->cur;
        return true;
    case ACT_PAGE_UP:
        m->cur = m->cur > page ? m->cur - page : 0;
        return true;
    case ACT_PAGE_DOWN:
        m->cur = m->cur + page < n ? m->cur + page : n - 1;
        return true;
    case ACT_FIRST:
        m->cur = 0;
        return true;
    case ACT_LAST:
        m->cur = n - 1;
        return true;
    case ACT_BACK:
        app_pop(a);
        app_message(a, false, "%s", tr("import.merge_left"));
        return true;
    default:
        return false;
    }
}

/* Choices other than the defaults are unsaved work (F10 asks). */
static bool merge_dirty(screen *s)
{
    merge_screen *m = (merge_screen *)s;
    for (size_t i = 0; i < m->plan->nrows; i++)
        if (m->plan->rows[i].take != m->initial[i])
            return true;
    return false;
}

static void merge_destroy(screen *s)
{
    merge_screen *m = (merge_screen *)s;
    free(m->plan);
    free(m);
}

static const screen_ops merge_ops = {
    .keys = merge_keys,
    .title = merge_title,
    .draw = merge_draw,
    .act = merge_act,
    .dirty = merge_dirty,
    .destroy = merge_destroy,
};

static screen *import_merge_screen_new(app *a, int64_t pending_id)
{
    merge_screen *m = calloc(1, sizeof *m);
    if (m)
        m->plan = malloc(sizeof *m->plan);
    if (!m || !m->plan) {
        free(m);
        return NULL;
    }
    m->base.ops = &merge_ops;
    m->base.app = a;
    ws_status s = import_merge_load(app_station(a), pending_id, m->plan);
    if (s != WS_OK) {
        app_status_error(a, s);
        merge_destroy(&m->base);
        return NULL;
    }
    for (size_t i = 0; i < m->plan->nrows; i++) {
        const import_merge_row *r = &m->plan->rows[i];
        m->initial[i] = r->take;
        if (r->field == MERGE_NAME) {
            /* Names are at most 40 characters: the copies are whole. */
            snprintf(m->in_name, sizeof m->in_name, "%.*s", (int)sizeof m->in_name - 1,
                     r->imported[0] ? r->imported : r->registered);
            snprintf(m->reg_name, sizeof m->reg_name, "%.*s", (int)sizeof m->reg_name - 1,
                     r->registered);
        }
    }
    /* Start on the first field that differs. */
    while (m->cur + 1 < m->plan->nrows && !m->plan->rows[m->cur].differs)
        m->cur++;
    return &m->base;
}

/* ---- a one-line prompt ---- */

typedef struct prompt_screen {
    screen base;
    prompt_fn alt;      /* F4: the other way to finish (NULL: none) */
    screen_ops alt_ops; /* prompt_ops with the F4 keys in front */
    char title[256];
    char label[128];
    char hint[512];
    lineedit *le;
    size_t first;
    prompt_fn done;
    void *ctx;
    char file[256]; /* a file to be written: the name proposed ("" none) */
    bool text;      /* words (a reason), not a path: taken as typed */
} prompt_screen;

/* The last file prompt finished, to ask again with what was typed when
 * writing the file failed (one prompt at a time on one console). */
static struct {
    bool set;
    char title[256], label[128], hint[512], text[4096], file[256];
    prompt_fn done, alt;
    void *ctx;
} prompt_last;

static const keybind prompt_keys[] = {
    {'\r', ACT_SAVE, KB_BAR},
    {'\n', ACT_SAVE, 0},
    {KEYCODE | KEY_ENTER, ACT_SAVE, 0},
    {KEYCODE | KEY_F(2), ACT_SAVE, 0},
    {27, ACT_BACK, KB_BAR},
    {0, ACT_NONE, 0},
};

/* With an alternative: F4/Ctrl-T for it, then the prompt's own keys. */
static const keybind prompt_alt_keys[] = {
    {KEYCODE | KEY_F(4), ACT_UNMASK, KB_BAR},
    {KEY_CTRL('t'), ACT_UNMASK, KB_BAR},
    {0, ACT_NONE, 0},
};

static void prompt_title(screen *s, char *out, size_t outsz)
{
    snprintf(out, outsz, "%s", ((prompt_screen *)s)->title);
}

static void prompt_draw(screen *s, int top, int height, int width)
{
    prompt_screen *p = (prompt_screen *)s;
    (void)height;
    edit_draw(p->le, &p->first, top + 2, p->label, width);
    /* The whole hint: wrapped, not cut at the edge. */
    draw_text_wrap(top + 4, 2, width - 4, 3, p->hint, A_DIM);
}

/* A folder typed where a file goes: the name proposed is put after it
 * (~/kong/ becomes ~/kong/居民_20261123.xlsx) for the clerk to confirm
 * with Enter, or to change. */
static void prompt_into_folder(prompt_screen *p, const char *typed)
{
    app *a = p->base.app;
    char text[4096];
    int n = (int)strlen(typed);
    while (n && (typed[n - 1] == ' ' || typed[n - 1] == '\t'))
        n--;
    bool slash = n && typed[n - 1] == '/';
    snprintf(text, sizeof text, "%.*s%s%s", n, typed, slash ? "" : "/", p->file);
    char folder[4096], msg[4400];
    snprintf(folder, sizeof folder, "%.*s%s", n, typed, slash ? "" : "/");
    lineedit_set(p->le, text);
    app_message(a, false, "%s", trf(msg, sizeof msg, "export.folder_named", folder));
}

static void prompt_remember(const prompt_screen *p, const char *typed)
{
    prompt_last.set = true;
    snprintf(prompt_last.title, sizeof prompt_last.title, "%s", p->title);
    snprintf(prompt_last.label, sizeof prompt_last.label, "%s", p->label);
    snprintf(prompt_last.hint, sizeof prompt_last.hint, "%s", p->hint);
    snprintf(prompt_last.text, sizeof prompt_last.text, "%s", typed);
    snprintf(prompt_last.file, sizeof prompt_last.file, "%s", p->file);
    prompt_last.done = p->done;
    prompt_last.alt = p->alt;
    prompt_last.ctx = p->ctx;
}

/* in without its leading and trailing spaces and tabs. */
static void prompt_trimmed(const char *in, char *out, size_t outsz)
{
    while (*in == ' ' || *in == '\t')
        in++;
    size_t n = strlen(in);
    while (n && (in[n - 1] == ' ' || in[n - 1] == '\t'))
        n--;
    snprintf(out, outsz, "%.*s", (int)n, in);
}

static bool prompt_act(screen *s, action act)
{
    prompt_screen *p = (prompt_screen *)s;
    app *a = s->app;
    if (act == ACT_SAVE || (act == ACT_UNMASK && p->alt)) {
        char path[4096];
        const char *typed = lineedit_text(p->le);
        if (p->text)
            prompt_trimmed(typed, path, sizeof path);
        else
            app_path_resolve(typed, path, sizeof path);
        if (!p->text && p->file[0] && path[0] && app_path_is_folder(typed, path)) {
            prompt_into_folder(p, typed);
            return true;
        }
        if (p->file[0])
            prompt_remember(p, typed);
        char *text = strdup(path);
        prompt_fn done = act == ACT_SAVE ? p->done : p->alt;
        void *ctx = p->ctx;
        app_pop(a); /* the callback may report on the screen below */
        if (text && *text)
            done(a, ctx, text);
        free(text);
        return true;
    }
    if (act == ACT_BACK) {
        app_pop(a);
        return true;
    }
    return false;
}

static bool prompt_key(screen *s, int key)
{
    prompt_screen *p = (prompt_screen *)s;
    if (key == '\t' && !p->text) {
        path_tab(s->app, p->le);
        return true;
    }
    if (key == (KEYCODE | KEY_DOWN) && !p->text) {
        path_pick(s->app, p->le);
        return true;
    }
    return edit_key(p->le, key);
}

static bool prompt_typing(screen *s)
{
    (void)s;
    return true;
}

static void prompt_destroy(screen *s)
{
    prompt_screen *p = (prompt_screen *)s;
    lineedit_free(&p->le);
    free(p);
}

/* Enter (ACT_SAVE) takes the file name: it writes nothing itself (what
 * opened the prompt was the import or export, and asked for that). */
static access_perm prompt_perm(screen *s, action act)
{
    (void)s;
    return act == ACT_SAVE ? ACT_ANYONE : action_perm(act);
}

static const screen_ops prompt_ops = {
    .perm = prompt_perm,
    .keys = prompt_keys,
    .title = prompt_title,
    .draw = prompt_draw,
    .act = prompt_act,
    .key = prompt_key,
    .typing = prompt_typing,
    .destroy = prompt_destroy,
};

void prompt_screen_set_alt(screen *s, prompt_fn alt)
{
    if (!s)
        return;
    prompt_screen *p = (prompt_screen *)s;
    p->alt = alt;
    p->alt_ops = prompt_ops;
    p->alt_ops.keys = prompt_alt_keys;
    p->alt_ops.widget_keys = prompt_keys;
    s->ops = alt ? &p->alt_ops : &prompt_ops;
}

void prompt_screen_set_file(screen *s)
{
    if (!s)
        return;
    prompt_screen *p = (prompt_screen *)s;
    const char *t = lineedit_text(p->le);
    const char *base = strrchr(t, '/');
    snprintf(p->file, sizeof p->file, "%s", base ? base + 1 : t);
}

void prompt_screen_again(app *a)
{
    if (!prompt_last.set)
        return;
    screen *s = prompt_screen_new(a, prompt_last.title, prompt_last.label, prompt_last.hint,
                                  prompt_last.text, prompt_last.done, prompt_last.ctx);
    if (!s)
        return;
    prompt_screen_set_alt(s, prompt_last.alt);
    snprintf(((prompt_screen *)s)->file, sizeof prompt_last.file, "%s", prompt_last.file);
    app_push(a, s);
}

screen *prompt_screen_new(app *a, const char *title, const char *label, const char *hint,
                          const char *initial, prompt_fn done, void *ctx)
{
    prompt_screen *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->base.ops = &prompt_ops;
    p->base.app = a;
    snprintf(p->title, sizeof p->title, "%s", title);
    snprintf(p->label, sizeof p->label, "%s", label);
    snprintf(p->hint, sizeof p->hint, "%s", hint ? hint : "");
    p->le = lineedit_new(IMPORT_PATH_MAX);
    if (!p->le) {
        free(p);
        return NULL;
    }
    lineedit_set(p->le, initial ? initial : "");
    p->done = done;
    p->ctx = ctx;
    return &p->base;
}

void prompt_screen_set_text(screen *s)
{
    ((prompt_screen *)s)->text = true;
}

/* ---- export from a list ---- */

/* Export job->filter's records to job->path. */
static void ui_export_run(app *a, ui_export_job *job, bool unmasked)
{
    progress_ctx p = {.what = "export.exporting", .y = LINES - 3, .width = COLS};
    clock_gettime(CLOCK_MONOTONIC, &p.t0);
    curs_set(0);
    export_opts o = {.format = export_format_for(job->path), .filter = job->filter,
                     .unmasked = unmasked, .progress = progress_draw, .ctx = &p};
    size_t rows = 0;
    char err[1024], msg[1200];
    ws_status s = job->kind ? export_kind(app_station(a), job->kind, job->path, &o, &rows, err,
                                          sizeof err)
                            : export_residents(app_station(a), job->path, &o, &rows, err,
                                               sizeof err);
    if (s != WS_OK) {
        app_message(a, true, "%s",
                    trf(msg, sizeof msg, "app.error", err[0] ? err : tr(ws_status_key(s))));
        if (!p.cancelled)
            prompt_screen_again(a); /* what was typed, to correct */
        return;
    }
    char shown[4096];
    app_path_show(job->path, shown, sizeof shown);
    app_message(a, false, "%s", trf(msg, sizeof msg,
                                    unmasked ? job->done_unmasked_key : job->done_key, rows,
                                    shown));
}

static bool ui_file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static void ui_export_masked_yes(app *a, void *ctx)
{
    ui_export_run(a, ctx, false);
}

static void ui_export_to(app *a, void *ctx, const char *path)
{
    ui_export_job *job = ctx;
    snprintf(job->path, sizeof job->path, "%s", path);
    app_confirm_overwrite(a, path, ui_export_masked_yes, job);
}

static void ui_export_unmasked_yes(app *a, void *ctx)
{
    ui_export_run(a, ctx, true);
}

/* A declared kind's question names the numbers it would show in full (a
 * household's 联系电话), not the residents'. */
static void ui_export_ask_unmasked(app *a, void *ctx)
{
    ui_export_job *job = ctx;
    const record_kind *k = job->kind;
    char names[512] = "", q[1024];
    size_t used = 0;
    for (size_t i = 0; k && i < k->nfields; i++) {
        const field_def *f = &k->fields[i];
        if (!(f->flags & FF_LEDGER) || !((f->flags & FF_MASKED) || f->type == FLD_ID_NUMBER ||
                                          f->type == FLD_PHONE))
            continue;
        used += (size_t)snprintf(names + used, used < sizeof names ? sizeof names - used : 0,
                                 "%s%s", used ? tr("export.and") : "", tr(f->label));
        if (used >= sizeof names)
            break;
    }
    app_confirm(a, names[0] ? trf(q, sizeof q, "export.confirm_unmasked_fields", names)
                            : tr("export.confirm_unmasked"),
                ui_export_unmasked_yes, ctx);
}

/* F4 in the prompt: full identifiers, only after a yes (and a yes to
 * overwrite an existing file first). */
static void ui_export_unmasked(app *a, void *ctx, const char *path)
{
    ui_export_job *job = ctx;
    snprintf(job->path, sizeof job->path, "%s", path);
    app_confirm_overwrite(a, path, ui_export_ask_unmasked, job);
}

void ui_export_ask(app *a, ui_export_job *job, const char *filter)
{
    snprintf(job->filter, sizeof job->filter, "%s", filter ? filter : "");
    const char *home = getenv("HOME");
    char day[16], name[128], path[4096];
    const char *t = app_today(a);
    snprintf(day, sizeof day, "%.4s%.2s%.2s", t, t + 5, t + 8);
    trf(name, sizeof name, job->name_key, day);
    snprintf(path, sizeof path, "%s/%s", home && *home ? home : ".", name);
    /* An earlier export of the day stays: the name proposed is a new one. */
    for (int k = 2; k < 100 && ui_file_exists(path); k++) {
        trf(name, sizeof name, job->name_n_key, day, k);
        snprintf(path, sizeof path, "%s/%s", home && *home ? home : ".", name);
    }
    screen *p = prompt_screen_new(a, tr(job->title_key), tr("export.path_label"),
                                  tr(job->hint_key), path, ui_export_to, job);
    prompt_screen_set_alt(p, ui_export_unmasked);
    prompt_screen_set_file(p);
    app_push(a, p);
}
