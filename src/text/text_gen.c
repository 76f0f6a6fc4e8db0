/* Build-time: the reading and the simplified form of every code point
 * text.c looks up, as ICU's transliterators give them, written out as C
 * tables (text_tables.h). usage: text_gen OUT.c */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uclean.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <unicode/uversion.h>

#include "text_tables.h"

#define MAX_READINGS 65535

static char *readings[MAX_READINGS + 1];
static size_t nreadings = 1; /* 0: none */

static uint16_t reading_index(const char *r)
{
    for (size_t i = 1; i < nreadings; i++)
        if (strcmp(readings[i], r) == 0)
            return (uint16_t)i;
    if (nreadings > MAX_READINGS) {
        fprintf(stderr, "text_gen: more than %d readings\n", MAX_READINGS);
        exit(1);
    }
    readings[nreadings] = strdup(r);
    if (!readings[nreadings])
        exit(1);
    return (uint16_t)nreadings++;
}

static UTransliterator *open_rule(const char *rule)
{
    UChar id[64];
    u_uastrcpy(id, rule);
    UErrorCode st = U_ZERO_ERROR;
    UTransliterator *t = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
    if (U_FAILURE(st)) {
        fprintf(stderr, "text_gen: %s: %s\n", rule, u_errorName(st));
        exit(1);
    }
    return t;
}

/* c through t: the result's length in code units (0 on failure). */
static int32_t trans_one(UTransliterator *t, UChar32 c, UChar *buf, int32_t cap)
{
    int32_t n = 0;
    U16_APPEND_UNSAFE(buf, n, c);
    int32_t limit = n;
    UErrorCode st = U_ZERO_ERROR;
    utrans_transUChars(t, buf, &n, cap, 0, &limit, &st);
    return U_SUCCESS(st) ? n : 0;
}

/* A table of cells by page (text_tables.h): the pages that hold any cell
 * as NAME_cells[][256] of type, and NAME_page[npages] their numbers + 1. */
static void write_pages(FILE *out, const char *name, const char *type, const uint32_t (*cell)[256],
                        size_t npages)
{
    fprintf(out, "\nconst %s %s_cells[][256] = {\n", type, name);
    uint16_t *page = calloc(npages, sizeof *page), used = 0;
    if (!page)
        exit(1);
    for (size_t p = 0; p < npages; p++) {
        bool any = false;
        for (int i = 0; i < 256 && !any; i++)
            any = cell[p][i] != 0;
        if (!any)
            continue;
        page[p] = ++used;
        fprintf(out, "    {");
        for (int i = 0; i < 256; i++)
            fprintf(out, "%s%u,", i % 12 ? " " : "\n        ", cell[p][i]);
        fprintf(out, "\n    },\n");
    }
    if (!used)
        fprintf(out, "    {0},\n");
    fprintf(out, "};\n\nconst uint16_t %s_page[%zu] = {", name, npages);
    for (size_t p = 0; p < npages; p++)
        fprintf(out, "%s%u,", p % 16 ? " " : "\n    ", page[p]);
    fprintf(out, "\n};\n");
    free(page);
}

/* The simplified form of each Han code point that has one of its own. */
static void write_hans(FILE *out)
{
    UTransliterator *t = open_rule(HANS_RULE);
    static uint32_t cell[HANS_PAGES][256];
    for (UChar32 c = 0x2E80; c < HANS_LIMIT; c++) {
        if (!pinyin_is_han(c))
            continue;
        UChar buf[16];
        int32_t n = trans_one(t, c, buf, 16), i = 0;
        if (n == 0)
            continue;
        UChar32 to;
        U16_NEXT(buf, i, n, to);
        if (i == n && to != c)
            cell[c >> 8][c & 0xFF] = (uint32_t)to;
    }
    utrans_close(t);
    write_pages(out, "hans", "uint32_t", (const uint32_t (*)[256])cell, HANS_PAGES);
}

/* Each code point's reading: the distinct readings once (pinyin_text,
 * pinyin_at), the cells their numbers. */
static void write_pinyin(FILE *out)
{
    UTransliterator *t = open_rule(PINYIN_RULE);
    static uint32_t cell[PINYIN_PAGES][256];
    for (UChar32 c = 0; c < PINYIN_LIMIT; c++) {
        if (!pinyin_has_reading(c))
            continue;
        UChar buf[64];
        int32_t n = trans_one(t, c, buf, 64);
        char r[64];
        size_t k = pinyin_ascii(buf, n, r, sizeof r - 1);
        r[k] = '\0';
        if (k)
            cell[c >> 8][c & 0xFF] = reading_index(r);
    }
    utrans_close(t);
    fprintf(out, "const char pinyin_text[] =");
    size_t at = 0;
    uint32_t *offs = calloc(nreadings, sizeof *offs);
    if (!offs)
        exit(1);
    for (size_t i = 1; i < nreadings; i++) {
        offs[i] = (uint32_t)at;
        fprintf(out, "%s\"%s\\0\"", (i - 1) % 8 ? " " : "\n    ", readings[i]);
        at += strlen(readings[i]) + 1;
    }
    fprintf(out, "%s;\n\nconst uint32_t pinyin_at[] = {0", nreadings > 1 ? "" : " \"\"");
    for (size_t i = 1; i < nreadings; i++)
        fprintf(out, ",%s%u", i % 12 ? " " : "\n    ", offs[i]);
    fprintf(out, "};\n");
    free(offs);
    write_pages(out, "pinyin", "uint16_t", (const uint32_t (*)[256])cell, PINYIN_PAGES);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: text_gen OUT.c\n");
        return 2;
    }
    FILE *out = fopen(argv[1], "w");
    if (!out)
        return 1;
    UVersionInfo v;
    char ver[U_MAX_VERSION_STRING_LENGTH];
    u_getVersion(v);
    u_versionToString(v, ver);
    fprintf(out, "/* Generated by text_gen from ICU %s (\"%s\"): do not edit. */\n"
                 "#include \"text_tables.h\"\n\n", ver, PINYIN_RULE " and " HANS_RULE);
    write_pinyin(out);
    write_hans(out);
    u_cleanup();
    for (size_t i = 1; i < nreadings; i++)
        free(readings[i]);
    return fclose(out) == 0 ? 0 : 1;
}
