#include "textarea.h"

#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "draw.h"

/* How long a paste may pause before the box takes what has come (the
 * rest then arrives as keys and is read the same way). */
#define TEXTAREA_PASTE_WAIT_MS 100

void textarea_draw(textedit *te, int y, int x, int rows, int cols, bool focused, attr_t attr)
{
    if (rows < 1 || cols < 1)
        return;
    lineedit_row stack[16];
    lineedit_row *lr = rows <= 16 ? stack : malloc((size_t)rows * sizeof *lr);
    if (!lr)
        return;
    textedit_resize(te, cols, rows);
    size_t crow = 0;
    int ccol = 0;
    size_t n = textedit_view(te, lr, &crow, &ccol);
    const char *t = textedit_text(te);
    for (int r = 0; r < rows; r++) {
        char *row = (size_t)r < n ? strndup(t + lr[r].off, lr[r].len) : NULL;
        draw_text_attr(y + r, x, cols, row ? row : "", true, attr);
        free(row);
    }
    if (lr != stack)
        free(lr);
    bool above = false, below = false;
    textedit_more(te, &above, &below);
    if (above)
        draw_text_attr(y, x + cols, 1, rows == 1 && below ? "↕" : "↑", false, A_BOLD);
    if (below && !(rows == 1 && above))
        draw_text_attr(y + rows - 1, x + cols, 1, "↓", false, A_BOLD);
    if (focused)
        draw_set_cursor(y + (int)crow, x + ccol);
}

static textarea_result moved(bool did)
{
    return did ? TEXTAREA_MOVED : TEXTAREA_KEPT;
}

static textarea_result changed(bool did)
{
    return did ? TEXTAREA_CHANGED : TEXTAREA_KEPT;
}

textarea_result textarea_key(textedit *te, int key, textedit_status *status,
                             textedit_report *report)
{
    if (status)
        *status = TEXTEDIT_OK;
    if (report)
        memset(report, 0, sizeof *report);
    switch (key) {
    case KEYCODE | KEY_LEFT:
    case KEY_CTRL('b'):
        return moved(textedit_left(te));
    case KEYCODE | KEY_RIGHT:
    case KEY_CTRL('f'):
        return moved(textedit_right(te));
    case KEYCODE | KEY_UP:
        return textedit_up(te) ? TEXTAREA_MOVED : TEXTAREA_IGNORED;
    case KEYCODE | KEY_DOWN:
        return textedit_down(te) ? TEXTAREA_MOVED : TEXTAREA_IGNORED;
    case KEYCODE | KEY_HOME:
    case KEY_CTRL('a'):
        return moved(textedit_home(te));
    case KEYCODE | KEY_END:
    case KEY_CTRL('e'):
        return moved(textedit_end(te));
    case KEYCODE | KEY_PPAGE:
        return moved(textedit_page_up(te));
    case KEYCODE | KEY_NPAGE:
        return moved(textedit_page_down(te));
    case KEYCODE | KEY_BACKSPACE:
    case 127:
    case 8:
        return changed(textedit_backspace(te));
    case KEYCODE | KEY_DC:
    case KEY_CTRL('d'):
        return changed(textedit_delete(te));
    case KEY_CTRL('u'):
        return changed(textedit_kill_line_start(te));
    case KEY_CTRL('k'):
        return changed(textedit_kill_line_end(te));
    default:
        break;
    }
    char s[5];
    if ((key & KEYCODE) || key < 32 || !textedit_utf8((uint32_t)key, s))
        return TEXTAREA_IGNORED;
    textedit_report rep;
    textedit_status st = textedit_insert(te, s, &rep);
    if (status)
        *status = st;
    if (report)
        *report = rep;
    return st == TEXTEDIT_FULL ? TEXTAREA_KEPT : TEXTAREA_CHANGED;
}

typedef struct grow {
    char *s;
    size_t len, cap;
} grow;

static bool grow_put(grow *g, int c)
{
    char u[5];
    size_t n;
    if (c <= 0)
        return true; /* NUL cannot be text */
    if (c < 0x80) {
        u[0] = (char)c;
        n = 1;
    } else if (textedit_utf8((uint32_t)c, u)) {
        n = strlen(u);
    } else {
        return true;
    }
    if (g->len + n + 1 > g->cap) {
        size_t cap = g->cap * 2;
        char *s = realloc(g->s, cap);
        if (!s)
            return false;
        g->s = s;
        g->cap = cap;
    }
    memcpy(g->s + g->len, u, n);
    g->len += n;
    g->s[g->len] = '\0';
    return true;
}

char *textarea_read_paste(int first)
{
    grow g = {malloc(4096), 0, 4096};
    if (!g.s)
        return NULL;
    g.s[0] = '\0';
    if (!grow_put(&g, first)) {
        free(g.s);
        return NULL;
    }
    timeout(TEXTAREA_PASTE_WAIT_MS);
    for (;;) {
        wint_t ch;
        int r = get_wch(&ch);
        if (r == ERR)
            break;
        if (r == KEY_CODE_YES) {
            /* The paste's end mark, or a key (an arrow, F2): the console's. */
            ungetch((int)ch);
            break;
        }
        if (!grow_put(&g, (int)ch))
            break; /* out of memory: what came so far */
    }
    return g.s;
}
