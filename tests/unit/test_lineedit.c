/* Unit tests for src/lineedit.c on Chinese, combining and emoji text. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wushe/lineedit.h"
#include "wushe/text.h"

static int setup(void **state)
{
    *state = lineedit_new(0);
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    lineedit *le = *state;
    lineedit_free(&le);
    assert_null(le);
    return 0;
}

static void test_insert_chinese(void **state)
{
    lineedit *le = *state;
    assert_true(lineedit_insert(le, "张三"));
    assert_string_equal(lineedit_text(le), "张三");
    assert_int_equal(lineedit_cursor(le), 6);
    assert_int_equal(lineedit_cursor_col(le), 4);
    assert_true(lineedit_left(le));
    assert_int_equal(lineedit_cursor(le), 3);
    assert_int_equal(lineedit_cursor_col(le), 2);
    assert_true(lineedit_insert(le, "a"));
    assert_string_equal(lineedit_text(le), "张a三");
    assert_int_equal(lineedit_cursor(le), 4);
    assert_int_equal(lineedit_cursor_col(le), 3);
    assert_true(lineedit_left(le));
    assert_int_equal(lineedit_cursor(le), 3);
    assert_int_equal(lineedit_cursor_col(le), 2);
    assert_int_equal(lineedit_width(le), 5);
    assert_int_equal(lineedit_len(le), 7);
}

static void test_insert_cp(void **state)
{
    lineedit *le = *state;
    assert_true(lineedit_insert_cp(le, 0x5F20)); /* 张 */
    assert_true(lineedit_insert_cp(le, 'x'));
    assert_true(lineedit_insert_cp(le, 0x1F44D)); /* 👍 */
    assert_string_equal(lineedit_text(le), "张x👍");
    assert_int_equal(lineedit_cursor_col(le), 5);
    assert_false(lineedit_insert_cp(le, 0x1B));
    assert_false(lineedit_insert_cp(le, 0xD800));
    assert_false(lineedit_insert_cp(le, 0x110000));
    assert_false(lineedit_insert_cp(le, 0x85));
    assert_string_equal(lineedit_text(le), "张x👍");
}

static void test_insert_refuses(void **state)
{
    lineedit *le = *state;
    lineedit_set(le, "张三");
    assert_false(lineedit_insert(le, "a\x1b[31m"));
    assert_false(lineedit_insert(le, "\xff"));
    assert_false(lineedit_insert(le, "a\tb"));
    assert_false(lineedit_insert(le, NULL));
    assert_true(lineedit_insert(le, ""));
    assert_string_equal(lineedit_text(le), "张三");
    assert_int_equal(lineedit_cursor(le), 6);
}

static void test_max_bytes(void **state)
{
    (void)state;
    lineedit *le = lineedit_new(7);
    assert_non_null(le);
    assert_true(lineedit_insert(le, "张三"));
    assert_false(lineedit_insert(le, "丰")); /* 9 bytes > 7 */
    assert_true(lineedit_insert(le, "a"));
    assert_false(lineedit_insert(le, "b"));
    assert_string_equal(lineedit_text(le), "张三a");
    /* set cuts at a grapheme boundary within the limit. */
    lineedit_set(le, "张三丰");
    assert_string_equal(lineedit_text(le), "张三");
    assert_int_equal(lineedit_cursor(le), 6);
    lineedit_set(le, "abcde\xcc\x81x"); /* é would end at byte 7 */
    assert_string_equal(lineedit_text(le), "abcde\xcc\x81");
    lineedit_set(le, "abcdef\xcc\x81");  /* f + accent would end at byte 8 */
    assert_string_equal(lineedit_text(le), "abcde");
    lineedit_free(&le);
}

static void test_movement(void **state)
{
    lineedit *le = *state;
    lineedit_set(le, "王小明");
    assert_int_equal(lineedit_cursor(le), 9);
    assert_false(lineedit_right(le));
    lineedit_home(le);
    assert_int_equal(lineedit_cursor(le), 0);
    assert_false(lineedit_left(le));
    assert_true(lineedit_right(le));
    assert_int_equal(lineedit_cursor(le), 3);
    assert_int_equal(lineedit_cursor_col(le), 2);
    lineedit_end(le);
    assert_int_equal(lineedit_cursor(le), 9);
    assert_int_equal(lineedit_cursor_col(le), 6);
}

static void test_combining(void **state)
{
    lineedit *le = *state;
    lineedit_set(le, "ae\xcc\x81" "b"); /* a é b, é decomposed */
    assert_int_equal(lineedit_width(le), 3);
    assert_true(lineedit_left(le));
    assert_int_equal(lineedit_cursor(le), 4);
    assert_true(lineedit_left(le)); /* over the whole é */
    assert_int_equal(lineedit_cursor(le), 1);
    assert_int_equal(lineedit_cursor_col(le), 1);
    assert_true(lineedit_right(le));
    assert_int_equal(lineedit_cursor(le), 4);
    assert_true(lineedit_backspace(le)); /* deletes e + U+0301 together */
    assert_string_equal(lineedit_text(le), "ab");
    assert_int_equal(lineedit_cursor(le), 1);

    /* A combining mark typed after a letter joins it; the cursor stays
     * after the whole cluster. */
    lineedit_set(le, "e");
    assert_true(lineedit_insert(le, "\xcc\x81"));
    assert_int_equal(lineedit_cursor(le), 3);
    assert_int_equal(lineedit_cursor_col(le), 1);
    assert_true(lineedit_backspace(le));
    assert_string_equal(lineedit_text(le), "");
    assert_false(lineedit_backspace(le));

    /* Typing a letter in front of a lone mark: the cursor may not end up
     * inside the new cluster. */
    lineedit_set(le, "\xcc\x81");
    lineedit_home(le);
    assert_true(lineedit_insert(le, "e"));
    assert_int_equal(lineedit_cursor(le), 3);
}

static void test_emoji_delete(void **state)
{
    lineedit *le = *state;
    lineedit_set(le, "a👨‍👩‍👧b");
    assert_int_equal(lineedit_width(le), 4);
    lineedit_home(le);
    assert_true(lineedit_right(le));
    assert_true(lineedit_delete(le)); /* the whole family */
    assert_string_equal(lineedit_text(le), "ab");
    assert_false(lineedit_right(le) && lineedit_right(le));
    assert_false(lineedit_delete(le));
}

static void test_kill(void **state)
{
    lineedit *le = *state;
    lineedit_set(le, "张三李四");
    lineedit_left(le);
    lineedit_left(le);
    lineedit_kill_to_end(le);
    assert_string_equal(lineedit_text(le), "张三");
    assert_int_equal(lineedit_cursor(le), 6);
    lineedit_set(le, "张三李四");
    lineedit_left(le);
    lineedit_kill_to_start(le);
    assert_string_equal(lineedit_text(le), "四");
    assert_int_equal(lineedit_cursor(le), 0);
    assert_int_equal(lineedit_cursor_col(le), 0);
}

static void test_words(void **state)
{
    lineedit *le = *state;
    lineedit_set(le, "北京市，朝阳区 hello world");
    const char *t = lineedit_text(le);
    assert_true(lineedit_word_left(le));
    assert_string_equal(t + lineedit_cursor(le), "world");
    assert_true(lineedit_word_left(le));
    assert_string_equal(t + lineedit_cursor(le), "hello world");
    assert_true(lineedit_word_left(le));
    assert_string_equal(t + lineedit_cursor(le), "朝阳区 hello world");
    assert_true(lineedit_word_left(le));
    assert_int_equal(lineedit_cursor(le), 0);
    assert_false(lineedit_word_left(le));
    assert_true(lineedit_word_right(le));
    assert_string_equal(t + lineedit_cursor(le), "，朝阳区 hello world");
    assert_true(lineedit_word_right(le));
    assert_string_equal(t + lineedit_cursor(le), " hello world");
    assert_true(lineedit_word_right(le));
    assert_true(lineedit_word_right(le));
    assert_int_equal(lineedit_cursor(le), lineedit_len(le));
    assert_false(lineedit_word_right(le));
}

/* The invariants of a scrolled view: start on a character boundary, the
 * cursor inside the field, and the columns before it consistent. */
static void check_view(lineedit *le, int cols, size_t *first)
{
    int ccol = -1;
    size_t start = lineedit_view(le, cols, first, &ccol);
    const char *t = lineedit_text(le);
    assert_int_equal(start, *first);
    assert_true(start <= lineedit_cursor(le));
    assert_true(ccol >= 0 && ccol < cols);
    /* The text here is all 3-byte characters or ASCII. */
    assert_int_equal(((unsigned char)t[start] & 0xC0) != 0x80, 1);
    /* Columns between start and cursor add up. */
    char *before = strndup(t + start, lineedit_cursor(le) - start);
    assert_non_null(before);
    assert_int_equal(text_width(before), ccol);
    free(before);
    /* What is drawn fills the field without splitting a character. */
    char out[128];
    int w = text_fit(t + start, cols, true, out, sizeof out);
    assert_int_equal(w, cols);
    assert_int_equal(text_width(out), cols);
}

static void test_view_scrolls(void **state)
{
    lineedit *le = *state;
    lineedit_set(le, "中华人民共和国北京市朝阳区建国门外大街一号");
    assert_int_equal(lineedit_width(le), 42);
    size_t first = 0;
    int ccol;
    lineedit_view(le, 10, &first, &ccol);
    assert_true(first > 0);
    assert_true(ccol <= 9);
    check_view(le, 10, &first);
    /* Walk left to the start and back again; the cursor never leaves. */
    while (lineedit_left(le))
        check_view(le, 10, &first);
    assert_int_equal(first, 0);
    while (lineedit_right(le))
        check_view(le, 10, &first);
    assert_int_equal(lineedit_cursor_col(le), 42);

    /* Odd widths: a 9-column field and mixed ASCII. */
    lineedit_set(le, "a中b华c人d民e共f和g国h北");
    first = 0;
    lineedit_home(le);
    check_view(le, 9, &first);
    while (lineedit_right(le))
        check_view(le, 9, &first);
    while (lineedit_left(le))
        check_view(le, 9, &first);
}

static void test_view_short_text(void **state)
{
    lineedit *le = *state;
    lineedit_set(le, "张三");
    size_t first = 0;
    int ccol;
    assert_int_equal(lineedit_view(le, 10, &first, &ccol), 0);
    assert_int_equal(ccol, 4);
    /* After deleting, a scrolled view slides back to show everything. */
    lineedit_set(le, "中华人民共和国北京市");
    lineedit_view(le, 10, &first, &ccol);
    assert_true(first > 0);
    lineedit_home(le);
    lineedit_kill_to_end(le);
    lineedit_insert(le, "张三");
    assert_int_equal(lineedit_view(le, 10, &first, &ccol), 0);
    assert_int_equal(ccol, 4);
    /* Exactly full: the cursor at the end needs its own cell. */
    lineedit_set(le, "张三李四王");
    lineedit_view(le, 10, &first, &ccol);
    assert_int_equal(first, 3);
    assert_int_equal(ccol, 8);
    lineedit_home(le);
    lineedit_view(le, 10, &first, &ccol);
    assert_int_equal(first, 0);
    assert_int_equal(ccol, 0);
    /* A bogus start inside a character is snapped to a boundary. */
    lineedit_end(le);
    first = 4;
    lineedit_view(le, 10, &first, &ccol);
    assert_int_equal(first % 3, 0);
    /* NULL out-parameters are allowed. */
    assert_int_equal(lineedit_view(le, 10, NULL, NULL), 3);
}

static void test_empty(void **state)
{
    lineedit *le = *state;
    assert_string_equal(lineedit_text(le), "");
    assert_int_equal(lineedit_len(le), 0);
    assert_int_equal(lineedit_cursor_col(le), 0);
    assert_int_equal(lineedit_width(le), 0);
    assert_false(lineedit_left(le));
    assert_false(lineedit_right(le));
    assert_false(lineedit_backspace(le));
    assert_false(lineedit_delete(le));
    assert_false(lineedit_word_left(le));
    assert_false(lineedit_word_right(le));
    lineedit_kill_to_end(le);
    lineedit_kill_to_start(le);
    size_t first = 5;
    int ccol = -1;
    assert_int_equal(lineedit_view(le, 10, &first, &ccol), 0);
    assert_int_equal(ccol, 0);
    lineedit_set(le, NULL);
    assert_string_equal(lineedit_text(le), "");
}

static void test_stored_controls(void **state)
{
    lineedit *le = *state;
    /* Stored text is kept byte for byte; each control is one character
     * drawn as U+FFFD, so editing around it works. */
    lineedit_set(le, "a\x1b" "b");
    assert_int_equal(lineedit_width(le), 3);
    assert_true(lineedit_left(le));
    assert_true(lineedit_backspace(le));
    assert_string_equal(lineedit_text(le), "ab");
}

static void test_long_growth(void **state)
{
    lineedit *le = *state;
    for (int i = 0; i < 300; i++)
        assert_true(lineedit_insert(le, "张"));
    assert_int_equal(lineedit_len(le), 900);
    assert_int_equal(lineedit_width(le), 600);
    lineedit_home(le);
    lineedit_right(le);
    assert_true(lineedit_insert(le, "e\xcc\x81"));
    assert_int_equal(lineedit_cursor_col(le), 3);
}

/* ---- multi-line text (notes), wrapping, and long pastes ---- */

/* The rows of the whole text in a box `cols` wide, as "row|row|row". */
static void rows_of(lineedit *le, int cols, char *out, size_t outsz)
{
    size_t first = 0, crow = 0;
    int ccol = 0;
    lineedit_row rows[64];
    size_t saved = lineedit_cursor(le);
    lineedit_home(le); /* the view starts at the first row */
    size_t n = lineedit_view_rows(le, cols, 64, &first, rows, &crow, &ccol);
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        o += (size_t)snprintf(out + o, outsz - o, "%s%.*s", i ? "|" : "", (int)rows[i].len,
                              lineedit_text(le) + rows[i].off);
    /* put the cursor back where it was */
    lineedit_home(le);
    while (lineedit_cursor(le) < saved && lineedit_right(le))
        ;
}

static void test_multiline_insert(void **state)
{
    lineedit *le = *state;
    /* a single-line editor refuses a line break like any control */
    assert_false(lineedit_multiline(le));
    assert_false(lineedit_insert(le, "a\nb"));
    assert_false(lineedit_insert_cp(le, '\n'));
    assert_string_equal(lineedit_text(le), "");
    lineedit_set_multiline(le, true);
    assert_true(lineedit_multiline(le));
    assert_true(lineedit_insert(le, "第一行\n第二行"));
    assert_true(lineedit_insert_cp(le, '\n'));
    assert_true(lineedit_insert(le, "三"));
    assert_string_equal(lineedit_text(le), "第一行\n第二行\n三");
    /* other controls stay refused, CR too (a break is stored as LF) */
    assert_false(lineedit_insert(le, "\r"));
    assert_false(lineedit_insert(le, "a\tb"));
    assert_false(lineedit_insert(le, "\x1b"));
    /* left/right and backspace cross a break as one character */
    assert_true(lineedit_left(le));
    assert_true(lineedit_left(le));
    assert_string_equal(lineedit_text(le) + lineedit_cursor(le), "\n三");
    assert_true(lineedit_delete(le));
    assert_string_equal(lineedit_text(le), "第一行\n第二行三");
    lineedit_home(le);
    lineedit_end(le);
    assert_int_equal(lineedit_cursor(le), lineedit_len(le));
    /* stored text with breaks is kept as it is */
    lineedit_set(le, "a\n\nb");
    assert_string_equal(lineedit_text(le), "a\n\nb");
}

static void test_rows_wrap(void **state)
{
    lineedit *le = *state;
    lineedit_set_multiline(le, true);
    char out[512];
    /* wrapped by display columns, never splitting a wide character */
    lineedit_set(le, "张三李四王五");
    rows_of(le, 5, out, sizeof out);
    assert_string_equal(out, "张三|李四|王五");
    lineedit_set(le, "ab张三c");
    rows_of(le, 5, out, sizeof out);
    assert_string_equal(out, "ab张|三c");
    /* breaks end rows; empty lines are rows of their own */
    lineedit_set(le, "第一行\n\n第三行很长很长");
    rows_of(le, 8, out, sizeof out);
    assert_string_equal(out, "第一行||第三行很|长很长");
    /* a line that fills the box exactly: the cursor after it gets a row */
    lineedit_set(le, "abcde");
    size_t first = 0, crow = 9;
    int ccol = -1;
    lineedit_row rows[8];
    size_t n = lineedit_view_rows(le, 5, 8, &first, rows, &crow, &ccol);
    assert_int_equal(n, 2);
    assert_int_equal(crow, 1);
    assert_int_equal(ccol, 0);
    assert_int_equal(rows[1].len, 0);
    /* the cursor at a soft wrap is shown at the start of the next row */
    lineedit_set(le, "abcdefg");
    lineedit_home(le);
    for (int i = 0; i < 5; i++)
        lineedit_right(le);
    lineedit_view_rows(le, 5, 8, &first, rows, &crow, &ccol);
    assert_int_equal(crow, 1);
    assert_int_equal(ccol, 0);
    /* combining marks and emoji stay whole */
    lineedit_set(le, "ae\xcc\x81" "bc👍d");
    rows_of(le, 4, out, sizeof out);
    assert_string_equal(out, "ae\xcc\x81" "bc|👍d");
    /* empty text: one empty row with the cursor */
    lineedit_set(le, "");
    n = lineedit_view_rows(le, 5, 8, &first, rows, &crow, &ccol);
    assert_int_equal(n, 1);
    assert_int_equal(crow, 0);
    assert_int_equal(ccol, 0);
}

/* The view keeps the cursor's row inside the box and the box full. */
static void test_rows_scroll(void **state)
{
    lineedit *le = *state;
    lineedit_set_multiline(le, true);
    lineedit_set(le, "一\n二\n三\n四\n五\n六\n七\n八");
    size_t first = 0, crow = 0;
    int ccol = 0;
    lineedit_row rows[3];
    size_t n = lineedit_view_rows(le, 10, 3, &first, rows, &crow, &ccol);
    assert_int_equal(n, 3);
    assert_int_equal(crow, 2);
    assert_int_equal(ccol, 2);
    assert_string_equal(lineedit_text(le) + rows[0].off, "六\n七\n八");
    assert_int_equal(first, rows[0].off);
    /* up through the rows: the view follows at the top */
    for (int i = 0; i < 7; i++)
        assert_true(lineedit_up(le, 10));
    assert_false(lineedit_up(le, 10));
    n = lineedit_view_rows(le, 10, 3, &first, rows, &crow, &ccol);
    assert_int_equal(first, 0);
    assert_int_equal(crow, 0);
    assert_int_equal(ccol, 2); /* the column is kept: after 一 */
    /* down again to the last row */
    for (int i = 0; i < 7; i++)
        assert_true(lineedit_down(le, 10));
    assert_false(lineedit_down(le, 10));
    assert_int_equal(lineedit_cursor(le), lineedit_len(le));
    /* a deleted tail does not leave the box half empty */
    lineedit_view_rows(le, 10, 3, &first, rows, &crow, &ccol);
    lineedit_set(le, "一\n二");
    n = lineedit_view_rows(le, 10, 3, &first, rows, &crow, &ccol);
    assert_int_equal(n, 2);
    assert_int_equal(first, 0);
    /* a stale scroll position inside a character is snapped */
    lineedit_set(le, "张三李四王五赵六");
    first = 4;
    lineedit_home(le);
    lineedit_view_rows(le, 4, 2, &first, rows, &crow, &ccol);
    assert_int_equal(first, 0);
}

static void test_rows_up_down_columns(void **state)
{
    lineedit *le = *state;
    lineedit_set_multiline(le, true);
    /* up and down keep the display column, on wide characters too */
    lineedit_set(le, "abcdef\n张三李四\nxy");
    lineedit_home(le);
    for (int i = 0; i < 4; i++)
        lineedit_right(le); /* after "abcd": column 4 */
    assert_true(lineedit_down(le, 20));
    assert_string_equal(lineedit_text(le) + lineedit_cursor(le), "李四\nxy");
    assert_true(lineedit_down(le, 20)); /* "xy" is shorter: its end */
    assert_string_equal(lineedit_text(le) + lineedit_cursor(le), "");
    assert_true(lineedit_up(le, 20));
    assert_string_equal(lineedit_text(le) + lineedit_cursor(le), "三李四\nxy");
    /* within a wrapped paragraph */
    lineedit_set(le, "一二三四五六七八");
    assert_true(lineedit_up(le, 6)); /* end of 七八 -> column 4 of 四五六 */
    assert_string_equal(lineedit_text(le) + lineedit_cursor(le), "六七八");
    assert_true(lineedit_up(le, 6));
    assert_string_equal(lineedit_text(le) + lineedit_cursor(le), "三四五六七八");
    assert_false(lineedit_up(le, 6));
    /* a single-line editor has one row */
    lineedit_set_multiline(le, false);
    lineedit_set(le, "abc");
    assert_false(lineedit_up(le, 10));
    assert_false(lineedit_down(le, 10));
}

/* Edits re-split only the text around them; the result must equal a
 * fresh split of the whole text. */
static void assert_same_layout(lineedit *le)
{
    lineedit *fresh = lineedit_new(0);
    assert_non_null(fresh);
    lineedit_set_multiline(fresh, lineedit_multiline(le));
    lineedit_set(fresh, lineedit_text(le));
    assert_int_equal(lineedit_width(fresh), lineedit_width(le));
    size_t cur = lineedit_cursor(le);
    /* same grapheme boundaries, same columns */
    lineedit_home(fresh);
    lineedit_home(le);
    do {
        assert_int_equal(lineedit_cursor(le), lineedit_cursor(fresh));
        assert_int_equal(lineedit_cursor_col(le), lineedit_cursor_col(fresh));
    } while (lineedit_right(le) & lineedit_right(fresh));
    assert_int_equal(lineedit_cursor(le), lineedit_cursor(fresh));
    lineedit_home(le);
    while (lineedit_cursor(le) < cur && lineedit_right(le))
        ;
    lineedit_end(fresh);
    while (lineedit_cursor(fresh) > cur && lineedit_left(fresh))
        ;
    assert_int_equal(lineedit_chars(le), lineedit_chars(fresh));
    /* the same wrapped rows (le's come partly from its row cache) */
    lineedit_row a[4], b[4];
    size_t fa = 0, fb = 0, ca, cb;
    int ka, kb;
    size_t na = lineedit_view_rows(le, 7, 4, &fa, a, &ca, &ka);
    size_t nb = lineedit_view_rows(fresh, 7, 4, &fb, b, &cb, &kb);
    assert_int_equal(na, nb);
    assert_int_equal(ca, cb);
    assert_int_equal(ka, kb);
    for (size_t i = 0; i < na; i++) {
        assert_int_equal(a[i].off, b[i].off);
        assert_int_equal(a[i].len, b[i].len);
    }
    lineedit_free(&fresh);
}

static void test_incremental_layout(void **state)
{
    lineedit *le = *state;
    lineedit_set_multiline(le, true);
    static const char *const bits[] = {
        "张", "a", "\xcc\x81", "👍", "\xe2\x80\x8d", "👩", "🇨", "🇳", "\n", "e", "，", "😀",
    };
    unsigned seed = 12345;
    for (int step = 0; step < 600; step++) {
        seed = seed * 1103515245u + 12345u;
        unsigned r = (seed >> 16) % 100;
        if (r < 55) {
            lineedit_insert(le, bits[(seed >> 8) % (sizeof bits / sizeof *bits)]);
        } else if (r < 65) {
            lineedit_backspace(le);
        } else if (r < 72) {
            lineedit_delete(le);
        } else if (r < 84) {
            lineedit_left(le);
        } else if (r < 94) {
            lineedit_right(le);
        } else if (r < 97) {
            lineedit_home(le);
        } else if (r < 98) {
            lineedit_up(le, 7);
        } else if (r < 99) {
            lineedit_down(le, 7);
        } else {
            lineedit_kill_to_end(le);
        }
        assert_same_layout(le);
    }
}

/* A 20,000-character paste is kept whole (the form's safety cap is 64 KiB);
 * past the cap an insertion is refused, the text unchanged. */
static void test_long_paste(void **state)
{
    (void)state;
    lineedit *le = lineedit_new(65536);
    assert_non_null(le);
    lineedit_set_multiline(le, true);
    for (int i = 0; i < 20000; i++)
        assert_true(lineedit_insert(le, i % 50 == 49 ? "\n" : "备"));
    assert_int_equal(lineedit_len(le), 400 * 1 + 19600 * 3);
    assert_int_equal(lineedit_chars(le), 20000);
    assert_int_equal(lineedit_cursor(le), lineedit_len(le));
    assert_int_equal(lineedit_max(le), 65536);
    size_t first = 0, crow = 0;
    int ccol = 0;
    lineedit_row rows[5];
    assert_int_equal(lineedit_view_rows(le, 44, 5, &first, rows, &crow, &ccol), 5);
    assert_int_equal(crow, 4);
    while (lineedit_len(le) + 3 <= 65536)
        assert_true(lineedit_insert(le, "备"));
    size_t len = lineedit_len(le);
    assert_false(lineedit_insert(le, "备"));
    assert_int_equal(lineedit_len(le), len);
    lineedit_free(&le);
}

static int teardown_group(void **state)
{
    (void)state;
    text_shutdown();
    return 0;
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_insert_chinese), T(test_insert_cp),    T(test_insert_refuses),
        T(test_max_bytes),      T(test_movement),     T(test_combining),
        T(test_emoji_delete),   T(test_kill),         T(test_words),
        T(test_view_scrolls),   T(test_view_short_text), T(test_empty),
        T(test_stored_controls), T(test_long_growth),
        T(test_multiline_insert), T(test_rows_wrap), T(test_rows_scroll),
        T(test_rows_up_down_columns), T(test_incremental_layout), T(test_long_paste),
    };
    return cmocka_run_group_tests(tests, NULL, teardown_group);
}
