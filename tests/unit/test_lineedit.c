/* Unit tests for src/lineedit.c on Chinese, combining and emoji text. */
#include "testutil.h"

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
    };
    return cmocka_run_group_tests(tests, NULL, teardown_group);
}
