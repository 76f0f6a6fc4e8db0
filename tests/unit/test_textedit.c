/* Unit tests for src/text/textedit.c: the multi-line editor of long text,
 * on Chinese, emoji with ZWJ sequences and combining marks. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wushe/text.h"
#include "wushe/textedit.h"

/* "👨‍👩‍👧": three people joined by ZWJ, one grapheme of 5 code points. */
#define FAMILY "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7"
/* "é" as e and a combining acute accent: one grapheme of 2 code points. */
#define E_ACUTE "e\xcc\x81"

static int setup(void **state)
{
    *state = textedit_new(0);
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    textedit *te = *state;
    textedit_free(&te);
    assert_null(te);
    return 0;
}

/* No control characters but line breaks: what the model stores. */
static bool only_breaks(const char *t)
{
    char *c = strdup(t);
    assert_non_null(c);
    for (char *p = c; *p; p++)
        if (*p == '\n')
            *p = ' ';
    bool ok = !text_has_control(c);
    free(c);
    return ok;
}

/* The text after the cursor. */
static const char *after(const textedit *te)
{
    return textedit_text(te) + textedit_cursor(te);
}

/* The rows the box shows, joined with '|'; the cursor's row and column. */
static void shown(textedit *te, char *out, size_t outsz, size_t *crow, int *ccol)
{
    lineedit_row rows[64];
    size_t cr = 0;
    int cc = 0;
    size_t n = textedit_view(te, rows, &cr, &cc);
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        int w = snprintf(out + o, outsz - o, "%s%.*s", i ? "|" : "", (int)rows[i].len,
                         textedit_text(te) + rows[i].off);
        assert_true(w >= 0 && (size_t)w < outsz - o);
        o += (size_t)w;
    }
    if (crow)
        *crow = cr;
    if (ccol)
        *ccol = cc;
}

static void test_insert_and_graphemes(void **state)
{
    textedit *te = *state;
    assert_int_equal(textedit_insert(te, "张三" FAMILY E_ACUTE, NULL), TEXTEDIT_OK);
    assert_int_equal(textedit_chars(te), 2 + 5 + 2);
    /* left over é (two code points), the family (five), then 三 */
    assert_true(textedit_left(te));
    assert_string_equal(after(te), E_ACUTE);
    assert_true(textedit_left(te));
    assert_string_equal(after(te), FAMILY E_ACUTE);
    assert_true(textedit_left(te));
    assert_string_equal(after(te), "三" FAMILY E_ACUTE);
    assert_true(textedit_right(te));
    assert_true(textedit_delete(te)); /* the whole family */
    assert_string_equal(textedit_text(te), "张三" E_ACUTE);
    textedit_finish(te);
    assert_true(textedit_backspace(te)); /* é with its mark */
    assert_string_equal(textedit_text(te), "张三");
    /* a combining mark typed after a letter joins it */
    assert_int_equal(textedit_insert(te, "e", NULL), TEXTEDIT_OK);
    assert_int_equal(textedit_insert_cp(te, 0x301), TEXTEDIT_OK);
    assert_string_equal(textedit_text(te), "张三" E_ACUTE);
    assert_true(textedit_left(te));
    assert_string_equal(after(te), E_ACUTE);
    /* Enter is a line break */
    textedit_finish(te);
    assert_int_equal(textedit_insert_cp(te, '\n'), TEXTEDIT_OK);
    assert_string_equal(textedit_text(te), "张三" E_ACUTE "\n");
    /* nothing to insert */
    assert_int_equal(textedit_insert_cp(te, 0), TEXTEDIT_OK);
    assert_int_equal(textedit_insert(te, NULL, NULL), TEXTEDIT_OK);
    assert_string_equal(textedit_text(te), "张三" E_ACUTE "\n");
}

static void test_set_keeps_everything(void **state)
{
    (void)state;
    textedit *te = textedit_new(3);
    assert_non_null(te);
    /* stored text past the limit is kept whole; the cursor at the start */
    textedit_set(te, "第一行\n第二行");
    assert_string_equal(textedit_text(te), "第一行\n第二行");
    assert_int_equal(textedit_chars(te), 7);
    assert_int_equal(textedit_cursor(te), 0);
    assert_int_equal(textedit_limit(te), 3);
    /* but it takes nothing more, and deleting works */
    textedit_report rep;
    assert_int_equal(textedit_insert(te, "字", &rep), TEXTEDIT_FULL);
    assert_int_equal(rep.kept, 0);
    assert_int_equal(rep.cut, 1);
    assert_true(textedit_delete(te));
    assert_string_equal(textedit_text(te), "一行\n第二行");
    textedit_set(te, NULL);
    assert_string_equal(textedit_text(te), "");
    textedit_free(&te);
}

/* Rows by display width: East Asian wide = 2 columns, and a wide
 * character that does not fit at the end of a row goes to the next. */
static void test_wrap_odd_widths(void **state)
{
    textedit *te = *state;
    char out[512];
    textedit_resize(te, 5, 10);
    textedit_set(te, "张三李四王五");
    shown(te, out, sizeof out, NULL, NULL);
    assert_string_equal(out, "张三|李四|王五");
    textedit_set(te, "ab张三c");
    shown(te, out, sizeof out, NULL, NULL);
    assert_string_equal(out, "ab张|三c");
    textedit_resize(te, 3, 10);
    textedit_set(te, "张三李");
    shown(te, out, sizeof out, NULL, NULL);
    assert_string_equal(out, "张|三|李");
    textedit_set(te, "a张b三");
    shown(te, out, sizeof out, NULL, NULL);
    /* a line that fills its last row exactly: the cursor after it gets
     * an empty row (lineedit's rule) */
    assert_string_equal(out, "a张|b三|");
    /* emoji sequences and combining marks are never split */
    textedit_resize(te, 4, 10);
    textedit_set(te, "a" E_ACUTE "b" FAMILY "c");
    shown(te, out, sizeof out, NULL, NULL);
    assert_string_equal(out, "a" E_ACUTE "b|" FAMILY "c");
    /* a box one column wide still shows each wide character on a row */
    textedit_resize(te, 1, 10);
    textedit_set(te, "张a");
    shown(te, out, sizeof out, NULL, NULL);
    assert_string_equal(out, "张|a|");
    /* line breaks end rows; an empty line is a row */
    textedit_resize(te, 7, 10);
    textedit_set(te, "第一行\n\n第三行很长很长");
    shown(te, out, sizeof out, NULL, NULL);
    assert_string_equal(out, "第一行||第三行|很长很|长");
    size_t total = textedit_rows(te, NULL);
    assert_int_equal(total, 5);
}

/* A resize changes only the rows computed from the text: the text, the
 * cursor and what it shows come back when the size does. */
static void test_resize_rewraps(void **state)
{
    textedit *te = *state;
    const char *text = "社区走访：老人独居，女儿在外地打工。\n每周二上门，帮忙买药。\n钥匙在邻居王阿姨家。";
    textedit_set(te, text);
    for (int i = 0; i < 12; i++)
        textedit_right(te);
    size_t cur = textedit_cursor(te);
    char wide[512], narrow[512], again[512];
    size_t crow_w, crow_n, crow_a;
    int ccol_w, ccol_n, ccol_a;
    textedit_resize(te, 44, 5);
    shown(te, wide, sizeof wide, &crow_w, &ccol_w);
    assert_string_equal(wide, "社区走访：老人独居，女儿在外地打工。|每周二上门，帮忙买药。|钥匙在邻居王阿姨家。");
    assert_int_equal(crow_w, 0);
    assert_int_equal(ccol_w, 24);
    textedit_resize(te, 9, 3);
    shown(te, narrow, sizeof narrow, &crow_n, &ccol_n);
    /* the cursor, after 儿 at the end of a row, shows at the start of the
     * next one, and the view follows it */
    assert_string_equal(narrow, "：老人独|居，女儿|在外地打");
    assert_int_equal(crow_n, 2);
    assert_int_equal(ccol_n, 0);
    assert_string_equal(textedit_text(te), text);
    assert_int_equal(textedit_cursor(te), cur);
    /* the rows of the narrow box hold every character once */
    assert_int_equal(textedit_rows(te, &crow_n), 5 + 3 + 3);
    assert_int_equal(crow_n, 3);
    textedit_resize(te, 44, 5);
    shown(te, again, sizeof again, &crow_a, &ccol_a);
    assert_string_equal(again, wide);
    assert_int_equal(crow_a, crow_w);
    assert_int_equal(ccol_a, ccol_w);
    assert_string_equal(textedit_text(te), text);
}

/* Up and Down keep the display column; over a shorter row, or a wide
 * character the column falls inside, it is remembered for the next. */
static void test_up_down_column(void **state)
{
    textedit *te = *state;
    textedit_resize(te, 20, 5);
    textedit_set(te, "abcdef\n张三李四\nxy\nabcdefgh");
    for (int i = 0; i < 3; i++)
        textedit_right(te); /* after "abc": column 3 */
    assert_true(textedit_down(te)); /* column 3 is inside 三: before it */
    assert_string_equal(after(te), "三李四\nxy\nabcdefgh");
    assert_true(textedit_down(te)); /* "xy" is shorter: its end */
    assert_string_equal(after(te), "\nabcdefgh");
    assert_true(textedit_down(te)); /* column 3 again */
    assert_string_equal(after(te), "defgh");
    assert_false(textedit_down(te));
    assert_true(textedit_up(te));
    assert_string_equal(after(te), "\nabcdefgh");
    assert_true(textedit_up(te));
    assert_string_equal(after(te), "三李四\nxy\nabcdefgh");
    assert_true(textedit_up(te));
    assert_string_equal(after(te), "def\n张三李四\nxy\nabcdefgh");
    assert_false(textedit_up(te));
    /* from a wide column in Chinese down to Latin: column 4 */
    textedit_set(te, "张三李四\nabcdefgh\n王五");
    textedit_right(te);
    textedit_right(te);
    assert_true(textedit_down(te));
    assert_string_equal(after(te), "efgh\n王五");
    /* any other key forgets the column */
    assert_true(textedit_left(te)); /* column 3 */
    assert_true(textedit_down(te)); /* inside 五: before it */
    assert_string_equal(after(te), "五");
    assert_true(textedit_up(te)); /* column 3 remembered over 五 */
    assert_string_equal(after(te), "defgh\n王五");
    /* within a wrapped line, and over emoji */
    textedit_resize(te, 6, 5);
    textedit_set(te, "一二三四五六七八");
    textedit_finish(te);
    assert_true(textedit_up(te)); /* end of 七八 (column 4) -> 四五六 */
    assert_string_equal(after(te), "六七八");
    assert_true(textedit_up(te));
    assert_string_equal(after(te), "三四五六七八");
    assert_false(textedit_up(te));
    textedit_resize(te, 20, 5);
    textedit_set(te, FAMILY FAMILY "ab\nabcdef");
    textedit_finish(te);
    textedit_home(te);
    textedit_right(te);
    textedit_right(te);
    textedit_right(te); /* column 3 */
    assert_true(textedit_up(te)); /* inside the second family: before it */
    assert_string_equal(after(te), FAMILY "ab\nabcdef");
    assert_true(textedit_down(te));
    assert_string_equal(after(te), "def");
}

/* Home and End go to the ends of the display row, not of the line. */
static void test_home_end_of_row(void **state)
{
    textedit *te = *state;
    textedit_resize(te, 6, 5);
    textedit_set(te, "一二三四五六七八\n九十");
    for (int i = 0; i < 4; i++)
        textedit_right(te); /* in the second row, 四五六 */
    assert_true(textedit_home(te));
    assert_string_equal(after(te), "四五六七八\n九十");
    assert_false(textedit_home(te));
    /* a row that wraps ends before its last character (a cursor after it
     * would show at the start of the next row) */
    assert_true(textedit_end(te));
    assert_string_equal(after(te), "六七八\n九十");
    assert_true(textedit_down(te));
    assert_string_equal(after(te), "\n九十"); /* column 4: after 八 */
    assert_false(textedit_end(te));
    assert_true(textedit_home(te));
    assert_string_equal(after(te), "七八\n九十");
    assert_true(textedit_end(te)); /* the line's last row: after 八 */
    assert_string_equal(after(te), "\n九十");
    assert_true(textedit_down(te));
    assert_true(textedit_home(te));
    assert_string_equal(after(te), "九十");
    assert_true(textedit_end(te));
    assert_string_equal(after(te), "");
}

/* PgUp/PgDn move the cursor and the view by the visible height. */
static void test_pages(void **state)
{
    textedit *te = *state;
    char text[256] = "", out[512];
    for (int i = 1; i <= 23; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "%s第%d行", i > 1 ? "\n" : "", i);
    textedit_set(te, text);
    textedit_resize(te, 20, 5);
    size_t crow;
    int ccol;
    shown(te, out, sizeof out, &crow, &ccol);
    assert_string_equal(out, "第1行|第2行|第3行|第4行|第5行");
    textedit_down(te);
    textedit_right(te); /* row 2 of the box, column 2 */
    assert_true(textedit_page_down(te));
    shown(te, out, sizeof out, &crow, &ccol);
    assert_string_equal(out, "第6行|第7行|第8行|第9行|第10行");
    assert_int_equal(crow, 1);
    assert_int_equal(ccol, 2);
    assert_true(textedit_page_down(te));
    assert_true(textedit_page_down(te));
    assert_true(textedit_page_down(te)); /* rows 21-23 and the box kept full */
    shown(te, out, sizeof out, &crow, &ccol);
    assert_string_equal(out, "第19行|第20行|第21行|第22行|第23行");
    assert_int_equal(crow, 3);
    assert_int_equal(ccol, 2);
    assert_true(textedit_page_down(te)); /* one row was left */
    assert_string_equal(after(te), "23行");
    assert_true(textedit_page_down(te)); /* on the last row: to the end */
    assert_string_equal(after(te), "");
    assert_false(textedit_page_down(te));
    size_t total = textedit_rows(te, &crow);
    assert_int_equal(total, 23);
    assert_int_equal(crow, 22);
    assert_true(textedit_page_up(te));
    shown(te, out, sizeof out, &crow, &ccol);
    assert_string_equal(out, "第14行|第15行|第16行|第17行|第18行");
    assert_int_equal(crow, 4);
    for (int i = 0; i < 4; i++)
        assert_true(textedit_page_up(te));
    assert_int_equal(textedit_rows(te, &crow), 23);
    assert_int_equal(crow, 0);
    assert_true(textedit_page_up(te)); /* on the first row: to the start */
    assert_int_equal(textedit_cursor(te), 0);
    assert_false(textedit_page_up(te));
    shown(te, out, sizeof out, &crow, &ccol);
    assert_string_equal(out, "第1行|第2行|第3行|第4行|第5行");
    /* pages of one long wrapped line */
    textedit_resize(te, 4, 2);
    textedit_set(te, "一二三四五六七八九十");
    assert_true(textedit_page_down(te));
    assert_string_equal(after(te), "五六七八九十");
    assert_true(textedit_page_down(te));
    assert_string_equal(after(te), "九十");
    assert_true(textedit_page_down(te));
    assert_string_equal(after(te), "");
}

/* The view moves only as far as the cursor needs. */
static void test_scroll_follows_cursor(void **state)
{
    textedit *te = *state;
    char out[512];
    size_t crow;
    textedit_resize(te, 10, 3);
    textedit_set(te, "一\n二\n三\n四\n五\n六");
    for (int i = 0; i < 4; i++)
        assert_true(textedit_down(te));
    shown(te, out, sizeof out, &crow, NULL);
    assert_string_equal(out, "三|四|五");
    assert_int_equal(crow, 2);
    assert_true(textedit_up(te));
    shown(te, out, sizeof out, &crow, NULL);
    assert_string_equal(out, "三|四|五");
    assert_int_equal(crow, 1);
    assert_true(textedit_up(te));
    assert_true(textedit_up(te));
    shown(te, out, sizeof out, &crow, NULL);
    assert_string_equal(out, "二|三|四");
    assert_int_equal(crow, 0);
    /* deleting the rows below keeps the box full */
    textedit_finish(te);
    shown(te, out, sizeof out, &crow, NULL);
    assert_string_equal(out, "四|五|六");
    for (int i = 0; i < 4; i++)
        textedit_backspace(te);
    shown(te, out, sizeof out, &crow, NULL);
    assert_string_equal(out, "二|三|四");
}

static void test_clean_breaks_and_tabs(void **state)
{
    textedit *te = *state;
    textedit_report rep;
    assert_int_equal(textedit_insert(te, "一\r\n二\r三\n四\v五\f六\xc2\x85七\xe2\x80\xa8八\xe2\x80\xa9九", &rep),
                     TEXTEDIT_OK);
    assert_string_equal(textedit_text(te), "一\n二\n三\n四\n五\n六\n七\n八\n九");
    assert_int_equal(rep.replaced, 0);
    assert_int_equal(rep.dropped, 0);
    assert_int_equal(rep.kept, 17);
    /* tabs to the next stop of 4 columns of the line, wide characters
     * counted as 2, from where the cursor is */
    textedit_set(te, "");
    assert_int_equal(textedit_insert(te, "a\tb\t张\tc\n\t!", &rep), TEXTEDIT_OK);
    assert_string_equal(textedit_text(te), "a   b   张  c\n    !");
    textedit_set(te, "xy\n张");
    textedit_finish(te);
    assert_int_equal(textedit_insert(te, "\t|\t|", &rep), TEXTEDIT_OK);
    assert_string_equal(textedit_text(te), "xy\n张  |   |");
    assert_int_equal(rep.kept, 7);
}

static void test_clean_controls(void **state)
{
    textedit *te = *state;
    textedit_report rep;
    /* colours, a window title, a cursor move: dropped whole */
    assert_int_equal(textedit_insert(te, "\x1b[1;31m红字\x1b[0m\x1b]0;标题\x07正文\x1b[2J\x1b(B完", &rep),
                     TEXTEDIT_OK);
    assert_string_equal(textedit_text(te), "红字正文完");
    assert_int_equal(rep.dropped, 5);
    assert_int_equal(rep.replaced, 0);
    /* C1 CSI and an OSC ended by ST; a lone ESC at the end */
    textedit_set(te, "");
    assert_int_equal(textedit_insert(te, "a\xc2\x9b" "31mb\x1b]2;x\x1b\\c\x1b", &rep), TEXTEDIT_OK);
    assert_string_equal(textedit_text(te), "abc");
    assert_int_equal(rep.dropped, 3);
    /* an unterminated string sequence ends at the line's end at most */
    textedit_set(te, "");
    assert_int_equal(textedit_insert(te, "x\x1b]0;never ended\n下一行", &rep), TEXTEDIT_OK);
    assert_string_equal(textedit_text(te), "x\n下一行");
    /* other controls and invalid bytes: U+FFFD, visible; NUL can't come
     * in a C string, a byte order mark is dropped */
    textedit_set(te, "");
    assert_int_equal(textedit_insert(te, "\xef\xbb\xbf" "a\x07" "b\x7f" "c\xc2\x80" "d\xff" "e\x01", &rep),
                     TEXTEDIT_OK);
    assert_string_equal(textedit_text(te), "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd"
                                           "d\xef\xbf\xbd" "e\xef\xbf\xbd");
    assert_int_equal(rep.replaced, 5);
    assert_int_equal(rep.dropped, 1);
    assert_int_equal(rep.kept, 10);
    /* what is stored passes the model's check of multi-line text */
    assert_false(text_has_control(textedit_text(te)));
}

/* Typing stops at the limit; a paste past it is cut at a grapheme
 * boundary and says how much went in and how much did not. */
static void test_limit(void **state)
{
    (void)state;
    textedit *te = textedit_new(10);
    assert_non_null(te);
    textedit_report rep;
    for (int i = 0; i < 10; i++)
        assert_int_equal(textedit_insert(te, "字", NULL), TEXTEDIT_OK);
    assert_int_equal(textedit_insert(te, "多", &rep), TEXTEDIT_FULL);
    assert_int_equal(textedit_insert_cp(te, '\n'), TEXTEDIT_FULL);
    assert_int_equal(textedit_chars(te), 10);
    /* 7 room: 一二三四 and é fit (6), the family (5) does not */
    textedit_set(te, "abc");
    textedit_finish(te);
    assert_int_equal(textedit_insert(te, "一二三四" E_ACUTE FAMILY "五", &rep), TEXTEDIT_CUT);
    assert_string_equal(textedit_text(te), "abc一二三四" E_ACUTE);
    assert_int_equal(rep.kept, 6);
    assert_int_equal(rep.cut, 6);
    /* never half a cluster: one room left, é needs two */
    textedit_set(te, "123456789");
    textedit_finish(te);
    assert_int_equal(textedit_insert(te, E_ACUTE "x", &rep), TEXTEDIT_FULL);
    assert_int_equal(rep.kept, 0);
    assert_int_equal(rep.cut, 3);
    assert_string_equal(textedit_text(te), "123456789");
    /* CR LF counts as the one character it becomes */
    assert_int_equal(textedit_insert(te, "\r\n", &rep), TEXTEDIT_OK);
    assert_int_equal(textedit_chars(te), 10);
    /* a paste in the middle */
    textedit_set(te, "首尾");
    textedit_right(te);
    assert_int_equal(textedit_insert(te, "中间的文字很长很长很长", &rep), TEXTEDIT_CUT);
    assert_string_equal(textedit_text(te), "首中间的文字很长很尾");
    assert_int_equal(rep.kept, 8);
    assert_int_equal(rep.cut, 3);
    assert_string_equal(after(te), "尾");
    textedit_free(&te);
}

/* A paste of 10,000 characters in one call: Chinese, emoji sequences,
 * combining marks, line breaks, control characters. */
static char *long_paste(size_t *chars)
{
    static const char *const bits[] = {"社区", "走访", FAMILY, E_ACUTE, "\r\n", "老人", "。",
                                       "a", "\x1b[31m", "\t"};
    static const size_t bit_chars[] = {2, 2, 5, 2, 1, 2, 1, 1, 0, 0};
    size_t cap = 64 * 1024, len = 0, n = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    for (unsigned i = 0; n < 10000; i++) {
        size_t k = (i * 7u + i / 3u) % 10;
        if (n + bit_chars[k] > 10000)
            k = 7; /* "a" to make it exact */
        size_t bl = strlen(bits[k]);
        assert_true(len + bl < cap);
        memcpy(s + len, bits[k], bl);
        len += bl;
        n += bit_chars[k];
    }
    s[len] = '\0';
    *chars = n;
    return s;
}

static void test_paste_10000_within_limit(void **state)
{
    (void)state;
    textedit *te = textedit_new(20000);
    assert_non_null(te);
    textedit_insert(te, "开头\n", NULL);
    size_t chars = 0;
    char *paste = long_paste(&chars);
    assert_int_equal(chars, 10000);
    textedit_report rep;
    textedit_status st = textedit_insert(te, paste, &rep);
    /* tabs became spaces (more characters), escape sequences went */
    assert_int_equal(st, TEXTEDIT_OK);
    assert_int_equal(rep.cut, 0);
    assert_true(rep.dropped > 0);
    assert_int_equal(rep.replaced, 0);
    assert_int_equal(textedit_chars(te), 3 + rep.kept);
    assert_true(rep.kept >= 10000);
    assert_int_equal(textedit_cursor(te), textedit_len(te));
    assert_null(strchr(textedit_text(te), '\r'));
    assert_null(strchr(textedit_text(te), '\t'));
    assert_null(strchr(textedit_text(te), '\x1b'));
    assert_true(only_breaks(textedit_text(te)));
    /* the box shows the end, with the cursor on its last row */
    textedit_resize(te, 44, 5);
    lineedit_row rows[5];
    size_t crow = 9;
    assert_int_equal(textedit_view(te, rows, &crow, NULL), 5);
    assert_int_equal(crow, 4);
    /* and every row of the text fits the box's width */
    size_t total = textedit_rows(te, &crow);
    assert_int_equal(crow, total - 1);
    textedit_start(te);
    size_t seen = 0;
    while (seen < total) {
        size_t n = textedit_view(te, rows, NULL, NULL);
        for (size_t i = 0; i < n; i++) {
            char *row = strndup(textedit_text(te) + rows[i].off, rows[i].len);
            assert_true(text_width(row) <= 44);
            free(row);
        }
        seen += n;
        if (!textedit_page_down(te))
            break;
    }
    assert_true(seen >= total);
    free(paste);
    textedit_free(&te);
}

static void test_paste_10000_beyond_limit(void **state)
{
    (void)state;
    textedit *te = textedit_new(500);
    assert_non_null(te);
    textedit_insert(te, "已有的备注\n", NULL);
    size_t chars = 0;
    char *paste = long_paste(&chars);
    textedit_report rep;
    assert_int_equal(textedit_insert(te, paste, &rep), TEXTEDIT_CUT);
    assert_true(textedit_chars(te) <= 500);
    assert_true(textedit_chars(te) >= 500 - 4); /* at most a family short */
    assert_int_equal(rep.kept + 6, textedit_chars(te));
    assert_true(rep.cut > 9000);
    /* the kept text is a prefix of the cleaned paste, ending on a whole
     * grapheme: the text ends with a complete piece */
    const char *t = textedit_text(te);
    assert_true(text_width(t) > 0);
    assert_true(strncmp(t, "已有的备注\n", strlen("已有的备注\n")) == 0);
    size_t len = strlen(t);
    /* never ends inside a family (a trailing ZWJ) or on a bare mark's base */
    assert_false(len >= 3 && memcmp(t + len - 3, "\xe2\x80\x8d", 3) == 0);
    assert_int_equal(textedit_insert(te, "再", &rep), textedit_chars(te) < 500 ? TEXTEDIT_OK
                                                                                : TEXTEDIT_FULL);
    free(paste);
    textedit_free(&te);
}

static void test_kill_lines(void **state)
{
    textedit *te = *state;
    textedit_set(te, "第一行\n第二行很长\n第三行");
    textedit_down(te);
    textedit_right(te);
    textedit_right(te); /* 第二|行很长 */
    assert_true(textedit_kill_line_end(te));
    assert_string_equal(textedit_text(te), "第一行\n第二\n第三行");
    assert_true(textedit_kill_line_end(te)); /* at the line's end: joins */
    assert_string_equal(textedit_text(te), "第一行\n第二第三行");
    assert_true(textedit_kill_line_start(te));
    assert_string_equal(textedit_text(te), "第一行\n第三行");
    assert_true(textedit_kill_line_start(te)); /* at the start: the break */
    assert_string_equal(textedit_text(te), "第一行第三行");
    assert_string_equal(after(te), "第三行");
    assert_true(textedit_kill_line_start(te));
    assert_string_equal(textedit_text(te), "第三行");
    assert_false(textedit_kill_line_start(te));
    textedit_finish(te);
    assert_false(textedit_kill_line_end(te));
}

static void test_one_line(void **state)
{
    (void)state;
    char out[64];
    assert_string_equal(textedit_one_line("第一行\n第二行\r\n三\r四", out, sizeof out),
                        "第一行↵第二行↵三↵四");
    assert_string_equal(textedit_one_line("", out, sizeof out), "");
    assert_string_equal(textedit_one_line(NULL, out, sizeof out), "");
    /* cut between characters, never inside one */
    assert_string_equal(textedit_one_line("张三李四", out, 8), "张三");
    assert_string_equal(textedit_one_line("a\nb", out, 4), "a");
    assert_int_equal(text_width("↵"), 1);
}

/* Random edits against the cleaned model: text equals what a simple
 * string model says, the cursor stays on a boundary. */
static void test_random_edits(void **state)
{
    (void)state;
    textedit *te = textedit_new(60);
    assert_non_null(te);
    static const char *const bits[] = {"张", "a", "\xcc\x81", "👍", "\xe2\x80\x8d", "👩", "\r\n",
                                       "\t", "，", FAMILY, "\x1b[0m"};
    unsigned seed = 4242;
    for (int step = 0; step < 2000; step++) {
        seed = seed * 1103515245u + 12345u;
        unsigned r = (seed >> 16) % 100;
        textedit_resize(te, 3 + (int)(seed >> 8) % 9, 1 + (int)(seed >> 4) % 4);
        if (r < 40)
            textedit_insert(te, bits[(seed >> 8) % (sizeof bits / sizeof *bits)], NULL);
        else if (r < 50)
            textedit_backspace(te);
        else if (r < 55)
            textedit_delete(te);
        else if (r < 62)
            textedit_left(te);
        else if (r < 69)
            textedit_right(te);
        else if (r < 75)
            textedit_up(te);
        else if (r < 81)
            textedit_down(te);
        else if (r < 85)
            textedit_home(te);
        else if (r < 89)
            textedit_end(te);
        else if (r < 92)
            textedit_page_up(te);
        else if (r < 95)
            textedit_page_down(te);
        else if (r < 97)
            textedit_kill_line_end(te);
        else
            textedit_kill_line_start(te);
        assert_true(textedit_chars(te) <= 60);
        assert_true(only_breaks(textedit_text(te)));
        lineedit_row rows[4];
        size_t crow = 0;
        int ccol = 0;
        size_t n = textedit_view(te, rows, &crow, &ccol);
        assert_true(n >= 1 && crow < n);
        assert_true(ccol >= 0 && ccol < 11);
        for (size_t i = 0; i < n; i++) {
            char *row = strndup(textedit_text(te) + rows[i].off, rows[i].len);
            assert_null(strchr(row, '\n'));
            free(row);
        }
    }
    textedit_free(&te);
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
        T(test_insert_and_graphemes),  T(test_set_keeps_everything),
        T(test_wrap_odd_widths),       T(test_resize_rewraps),
        T(test_up_down_column),        T(test_home_end_of_row),
        T(test_pages),                 T(test_scroll_follows_cursor),
        T(test_clean_breaks_and_tabs), T(test_clean_controls),
        T(test_limit),                 T(test_paste_10000_within_limit),
        T(test_paste_10000_beyond_limit), T(test_kill_lines),
        T(test_one_line),              T(test_random_edits),
    };
    return cmocka_run_group_tests(tests, NULL, teardown_group);
}
