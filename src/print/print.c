/* Recording a document: each call appends a block with copies of its
 * text; nothing is laid out until the document is written. */
#include "print_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The design makes out-of-memory the one fatal error; a half-recorded
 * document has no useful state to return to. */
void *print_alloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (!p) {
        fputs("wushe: out of memory\n", stderr);
        abort();
    }
    return p;
}

static void *print_grow(void *p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return p;
    size_t n = *cap ? *cap * 2 : 8;
    while (n < need)
        n *= 2;
    void *q = realloc(p, n * elem);
    if (!q) {
        fputs("wushe: out of memory\n", stderr);
        abort();
    }
    memset((char *)q + *cap * elem, 0, (n - *cap) * elem);
    *cap = n;
    return q;
}

/* Bytes of the valid UTF-8 sequence at s (0: invalid) and its code point. */
static size_t print_utf8(const unsigned char *s, uint32_t *cp)
{
    size_t n = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3
                                : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (!n)
        return 0;
    uint32_t c = n == 1 ? s[0] : s[0] & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < least[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

static size_t print_put(char *w, uint32_t c)
{
    if (c < 0x80) {
        w[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        w[0] = (char)(0xC0 | (c >> 6));
        w[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        w[0] = (char)(0xE0 | (c >> 12));
        w[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        w[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    w[0] = (char)(0xF0 | (c >> 18));
    w[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    w[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    w[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

char *print_clean(const char *s, bool keep_newlines)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    /* Every input byte becomes at most 3 output bytes. */
    char *out = print_alloc(strlen((const char *)p) * 3 + 1);
    char *w = out;
    while (*p) {
        uint32_t c = 0;
        size_t n = print_utf8(p, &c);
        if (!n) {
            c = 0xFFFD;
            n = 1;
        } else if (c == '\r' && p[1] == '\n') {
            p++;
            continue;
        } else if (c == '\n' || c == '\r') {
            c = keep_newlines ? '\n' : ' ';
        } else if (c == '\t') {
            c = ' ';
        } else if (c < 0x20) {
            c = 0x2400 + c; /* ␛ for ESC: the character shows, does nothing */
        } else if (c == 0x7F) {
            c = 0x2421;
        } else if (c >= 0x80 && c < 0xA0) {
            c = 0xFFFD;
        }
        w += print_put(w, c);
        p += n;
    }
    *w = '\0';
    return out;
}

print_doc *print_doc_new(const print_setup *setup)
{
    print_doc *d = print_alloc(sizeof *d);
    d->station = print_clean(setup->station, false);
    d->title = print_clean(setup->title, false);
    d->note = setup->note ? print_clean(setup->note, false) : NULL;
    d->orientation = setup->orientation;
    return d;
}

static void print_block_free(print_block *b)
{
    free(b->text);
    free(b->wide);
    for (size_t i = 0; i < b->ncols; i++)
        free(b->cols[i].label);
    free(b->cols);
    for (size_t i = 0; i < b->ncells; i++)
        free(b->cells[i]);
    free(b->cells);
}

void print_doc_free(print_doc **doc)
{
    if (!doc || !*doc)
        return;
    print_doc *d = *doc;
    for (size_t i = 0; i < d->nblocks; i++)
        print_block_free(&d->blocks[i]);
    free(d->blocks);
    free(d->station);
    free(d->title);
    free(d->note);
    free(d);
    *doc = NULL;
}

static print_block *print_add(print_doc *d, print_block_kind kind)
{
    d->blocks = print_grow(d->blocks, &d->cap, d->nblocks + 1, sizeof *d->blocks);
    print_block *b = &d->blocks[d->nblocks++];
    b->kind = kind;
    d->table_open = false;
    return b;
}

/* A cell's text, cleaned (NULL stays NULL: an empty cell). */
static void print_cell(print_block *b, const char *text, bool keep_newlines)
{
    b->cells = print_grow(b->cells, &b->cap, b->ncells + 1, sizeof *b->cells);
    b->cells[b->ncells++] = text ? print_clean(text, keep_newlines) : NULL;
}

void print_heading(print_doc *doc, const char *text)
{
    print_add(doc, PB_HEADING)->text = print_clean(text, false);
}

void print_paragraph(print_doc *doc, const char *text)
{
    print_add(doc, PB_PARAGRAPH)->text = print_clean(text, true);
}

void print_space(print_doc *doc, double mm)
{
    print_add(doc, PB_SPACE)->mm = mm > 0 ? mm : 0;
}

void print_page_break(print_doc *doc)
{
    print_add(doc, PB_BREAK);
}

void print_fields(print_doc *doc, int columns, const print_field *fields, size_t n)
{
    print_block *b = print_add(doc, PB_FIELDS);
    b->columns = columns == 4 ? 4 : 2;
    b->wide = print_alloc(n * sizeof *b->wide);
    for (size_t i = 0; i < n; i++) {
        print_cell(b, fields[i].label, false);
        print_cell(b, fields[i].value ? fields[i].value : "", true);
        b->wide[i] = fields[i].wide;
    }
}

void print_table(print_doc *doc, const print_column *cols, size_t ncols, double min_row_mm)
{
    print_block *b = print_add(doc, PB_TABLE);
    b->mm = min_row_mm > 0 ? min_row_mm : 0;
    b->ncols = ncols;
    b->cols = print_alloc(ncols * sizeof *b->cols);
    for (size_t i = 0; i < ncols; i++) {
        b->cols[i].label = print_clean(cols[i].label, true);
        b->cols[i].width = cols[i].width;
        b->cols[i].align = cols[i].align;
    }
    doc->table_open = true;
}

/* The table rows go to; a row without a table is a programming error. */
static print_block *print_open_table(print_doc *doc)
{
    if (!doc->table_open || !doc->nblocks) {
        fputs("wushe: print_row without print_table\n", stderr);
        abort();
    }
    return &doc->blocks[doc->nblocks - 1];
}

void print_row(print_doc *doc, const char *const *cells)
{
    print_block *b = print_open_table(doc);
    for (size_t i = 0; i < b->ncols; i++)
        print_cell(b, cells[i] ? cells[i] : "", true);
}

void print_blank_rows(print_doc *doc, size_t n)
{
    print_block *b = print_open_table(doc);
    for (size_t i = 0; i < n * b->ncols; i++)
        print_cell(b, NULL, false);
}

void print_signatures(print_doc *doc, const char *const *labels, size_t n)
{
    print_block *b = print_add(doc, PB_SIGNATURES);
    for (size_t i = 0; i < n; i++)
        print_cell(b, labels[i], false);
}

void print_tear_off(print_doc *doc, const char *label)
{
    print_add(doc, PB_TEAR_OFF)->text = print_clean(label, false);
}

