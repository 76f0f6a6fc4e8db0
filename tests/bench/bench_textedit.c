/* Benchmark of the multi-line editor: a paste of 10,000 characters (Chinese,
 * emoji, line breaks) into a note, in one textedit_insert call, against the
 * naive way in the same run: the paste typed in key by key, one insert and
 * one redraw of the box per character (what a paste cost before). Prints
 * medians and the ratio; checks nothing about time (tests never do). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wushe/text.h"
#include "wushe/textedit.h"

#define RUNS 7

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v)
{
    qsort(v, RUNS, sizeof *v, cmp);
    return v[RUNS / 2];
}

/* 10,000 characters: a social worker's notes, pasted. */
static char *make_paste(size_t chars)
{
    static const char *const bits[] = {"老人独居，", "女儿在外地打工。", "👨‍👩‍👧", "每周二上门，",
                                       "帮忙买药。\n", "钥匙在邻居家。", "🙂", "\n"};
    size_t cap = chars * 4 + 64, len = 0, n = 0;
    char *s = malloc(cap);
    if (!s)
        abort();
    for (size_t i = 0; n < chars; i++) {
        const char *b = bits[i % (sizeof bits / sizeof *bits)];
        for (const char *p = b; *p && n < chars;) {
            size_t k = 1;
            while (((unsigned char)p[k] & 0xC0) == 0x80)
                k++;
            memcpy(s + len, p, k);
            len += k;
            p += k;
            n++;
        }
    }
    s[len] = '\0';
    return s;
}

/* One call, then the first draw of a 44 x 5 box. */
static double run_once(const char *paste, size_t *chars)
{
    textedit *te = textedit_new(20000);
    lineedit_row rows[5];
    textedit_resize(te, 44, 5);
    double t0 = now_ms();
    textedit_insert(te, paste, NULL);
    textedit_view(te, rows, NULL, NULL);
    textedit_more(te, NULL, NULL);
    double t = now_ms() - t0;
    *chars = textedit_chars(te);
    textedit_free(&te);
    return t;
}

/* Key by key with a draw after each, as a terminal paste arrived one key
 * at a time. */
static double run_keys(const char *paste, size_t *chars)
{
    textedit *te = textedit_new(20000);
    lineedit_row rows[5];
    textedit_resize(te, 44, 5);
    double t0 = now_ms();
    for (const char *p = paste; *p;) {
        char one[8];
        size_t k = 1;
        while (((unsigned char)p[k] & 0xC0) == 0x80)
            k++;
        memcpy(one, p, k);
        one[k] = '\0';
        textedit_insert(te, one, NULL);
        textedit_view(te, rows, NULL, NULL);
        textedit_more(te, NULL, NULL);
        p += k;
    }
    double t = now_ms() - t0;
    *chars = textedit_chars(te);
    textedit_free(&te);
    return t;
}

int main(void)
{
    size_t sizes[] = {10000, 20000};
    for (size_t s = 0; s < 2; s++) {
        char *paste = make_paste(sizes[s]);
        double one[RUNS], keys[RUNS];
        size_t c1 = 0, c2 = 0;
        for (int r = 0; r < RUNS; r++) {
            one[r] = run_once(paste, &c1);
            keys[r] = run_keys(paste, &c2);
        }
        double m1 = median(one), m2 = median(keys);
        printf("paste of %zu characters into a note (44 x 5 box), median of %d:\n", sizes[s], RUNS);
        printf("  one call + first draw:          %8.2f ms  (%zu characters kept)\n", m1, c1);
        printf("  key by key, a draw after each:  %8.2f ms  (%zu characters kept)\n", m2, c2);
        printf("  ratio: %.0fx\n", m1 > 0 ? m2 / m1 : 0.0);
        free(paste);
    }
    text_shutdown();
    return 0;
}
