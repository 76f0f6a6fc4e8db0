/* Benchmark of the print module: a 3-page and a 50-page document (fields,
 * a service table with wrapping rows, paragraphs of Chinese) written as
 * PDF, against the layout alone in the same run (print_render without
 * drawing: the first of the two passes, what counting the pages costs).
 * Prints medians; checks nothing about time (tests never do). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "print_internal.h"
#include "wushe/catalog.h"

#define RUNS 5

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

/* A case file's shape: fields, then sections of a paragraph and a table
 * of service records; sections sized so the document has about `pages`. */
static print_doc *make_doc(int sections)
{
    print_doc *d = print_doc_new(&(print_setup){.station = "青石镇社会工作服务站",
                                                .title = "个案服务档案", .note = "打印人：王芳"});
    print_field f[] = {{"姓名", "张三", false}, {"性别", "男", false},
                       {"身份证号", "510***********1234", false}, {"出生日期", "1950-**-**", false},
                       {"住址", "青石村一组 12 号", true}};
    print_fields(d, 4, f, 5);
    print_column cols[] = {{"序号", 3, PRINT_CENTER}, {"日期", 6, PRINT_LEFT},
                           {"服务内容", 0, PRINT_LEFT}, {"社工", 5, PRINT_LEFT}};
    for (int s = 0; s < sections; s++) {
        print_heading(d, "服务记录");
        print_paragraph(d, "老人独居，女儿在外地打工。每周二上门，帮忙买药，了解身体状况和生活需要，"
                           "联系村委会和卫生院，安排志愿者定期探访。钥匙在邻居家。");
        print_table(d, cols, 4, 0);
        for (int i = 0; i < 30; i++) {
            char no[16];
            snprintf(no, sizeof no, "%d", i + 1);
            const char *row[] = {no, "2026-11-23",
                                 i % 3 ? "入户探访，了解近况" : "入户探访，老人血压偏高，已联系卫生院"
                                                             "医生上门，并告知女儿按时提醒服药",
                                 "王芳"};
            print_row(d, row);
        }
    }
    print_signatures(d, (const char *[]){"社工签名", "站长签名", "日期"}, 3);
    return d;
}

static void run(const char *what, int sections, const char *path)
{
    char family[256], err[512];
    print_font_family(family, sizeof family);
    double full[RUNS], layout[RUNS];
    int pages = 0;
    size_t bytes = 0;
    for (int r = 0; r < RUNS; r++) {
        print_doc *d = make_doc(sections);
        double t0 = now_ms();
        print_render(d, NULL, family, 0);
        double t1 = now_ms();
        if (print_doc_write(d, path, &pages, err, sizeof err) != WS_OK) {
            fprintf(stderr, "bench_print: %s\n", err);
            exit(1);
        }
        double t2 = now_ms();
        layout[r] = t1 - t0;
        full[r] = t2 - t1;
        print_doc_free(&d);
    }
    FILE *fp = fopen(path, "rb");
    if (fp) {
        fseek(fp, 0, SEEK_END);
        bytes = (size_t)ftell(fp);
        fclose(fp);
    }
    double m = median(full), l = median(layout);
    printf("%s: %d pages, %zu KB: write %.1f ms (%.1f ms a page); layout alone %.1f ms;"
           " write / layout %.1fx\n",
           what, pages, bytes / 1024, m, m / pages, l, l > 0 ? m / l : 0.0);
}

int main(void)
{
    char err[256];
    i18n_init("zh_CN", err, sizeof err);
    char path[] = "/tmp/wushe-bench-print-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 1;
    close(fd);
    char family[256];
    print_font_family(family, sizeof family);
    printf("font: %s; medians of %d runs\n", family, RUNS);
    run("short", 2, path);
    run("long", 44, path);
    unlink(path);
    i18n_shutdown();
    return 0;
}
