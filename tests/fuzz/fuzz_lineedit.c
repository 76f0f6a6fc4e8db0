/* The line editor and the multi-line editor (src/text/lineedit.c,
 * textedit.c) driven by the input as a script: each byte an action, the
 * bytes after a "type" action the text typed or pasted. Their promises:
 * the text stays valid UTF-8 within the limit, the cursor on a boundary
 * inside the text. */
#include <stdbool.h>

#include "fuzz.h"
#include "wushe/lineedit.h"
#include "wushe/text.h"
#include "wushe/textedit.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static void line_check(const lineedit *le)
{
    const char *t = lineedit_text(le);
    size_t len = lineedit_len(le);
    if (strlen(t) != len || len > lineedit_max(le) || lineedit_cursor(le) > len ||
        !text_valid_utf8(t, len))
        abort();
}

static void text_check(const textedit *te)
{
    const char *t = textedit_text(te);
    size_t len = textedit_len(te);
    if (strlen(t) != len || textedit_cursor(te) > len || !text_valid_utf8(t, len))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    lineedit *le = lineedit_new(16 + data[0] % 200);
    textedit *te = textedit_new(16 + data[1] % 500);
    if (!le || !te)
        abort();
    lineedit_set_multiline(le, data[0] & 1);
    int cols = 4 + data[1] % 40;
    textedit_resize(te, cols, 1 + data[0] % 6);
    size_t i = 2;
    while (i < size) {
        uint8_t op = data[i++];
        switch (op % 24) {
        case 0: case 1: { /* type or paste: up to the next 0xff */
            size_t j = i;
            while (j < size && data[j] != 0xff)
                j++;
            char *s = fuzz_cstr(data + i, j - i);
            lineedit_insert(le, s);
            textedit_report rep;
            textedit_insert(te, s, &rep);
            free(s);
            i = j < size ? j + 1 : j;
            break;
        }
        case 2: {
            uint32_t cp = i + 2 < size ? (uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8 |
                                             data[i + 2]
                                       : 0x4e2d;
            i += 3;
            lineedit_insert_cp(le, cp);
            textedit_insert_cp(te, cp);
            break;
        }
        case 3: lineedit_left(le); textedit_left(te); break;
        case 4: lineedit_right(le); textedit_right(te); break;
        case 5: lineedit_home(le); textedit_home(te); break;
        case 6: lineedit_end(le); textedit_end(te); break;
        case 7: lineedit_backspace(le); textedit_backspace(te); break;
        case 8: lineedit_delete(le); textedit_delete(te); break;
        case 9: lineedit_kill_to_end(le); textedit_kill_line_end(te); break;
        case 10: lineedit_kill_to_start(le); textedit_kill_line_start(te); break;
        case 11: lineedit_word_left(le); textedit_up(te); break;
        case 12: lineedit_word_right(le); textedit_down(te); break;
        case 13: lineedit_up(le, cols); textedit_page_up(te); break;
        case 14: lineedit_down(le, cols); textedit_page_down(te); break;
        case 15: {
            size_t first = 0;
            int col = 0;
            lineedit_view(le, cols, &first, &col);
            lineedit_row r[8];
            size_t crow = 0, rows = 0;
            lineedit_view_rows(le, cols, 8, &first, r, &crow, &col);
            (void)rows;
            break;
        }
        case 16: {
            lineedit_row r[8];
            size_t crow = 0;
            int ccol = 0;
            textedit_resize(te, cols, 8);
            textedit_view(te, r, &crow, &ccol);
            bool above, below;
            textedit_more(te, &above, &below);
            textedit_rows(te, &crow);
            break;
        }
        case 17: {
            size_t off = i < size ? data[i++] : 0;
            lineedit_set_cursor(le, off % (lineedit_len(le) + 1));
            break;
        }
        case 18: {
            size_t a = i < size ? data[i++] : 0, b = i < size ? data[i++] : 0;
            size_t len = lineedit_len(le) + 1;
            a %= len;
            b %= len;
            lineedit_delete_range(le, a < b ? a : b, a < b ? b : a);
            break;
        }
        case 19: {
            long delta = i < size ? (long)(int8_t)data[i++] : 1;
            lineedit_move_rows(le, cols, delta, (int)(delta & 15));
            size_t s0, e0;
            int c0;
            lineedit_row_span(le, cols, &s0, &e0, &c0);
            size_t crow;
            lineedit_row_count(le, cols, &crow);
            break;
        }
        case 20: textedit_start(te); break;
        case 21: textedit_finish(te); break;
        case 22: {
            cols = 1 + (i < size ? data[i++] % 80 : 20);
            textedit_resize(te, cols, 1 + cols % 7);
            break;
        }
        case 23: {
            char *copy = strdup(textedit_text(te));
            textedit_set(te, lineedit_text(le));
            lineedit_set(le, copy ? copy : "");
            char one[64];
            textedit_one_line(copy ? copy : "", one, sizeof one);
            free(copy);
            break;
        }
        }
        line_check(le);
        text_check(te);
    }
    lineedit_free(&le);
    textedit_free(&te);
    return 0;
}
