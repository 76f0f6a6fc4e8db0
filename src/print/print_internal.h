/* The recorded document, shared by the recorder (print.c), the renderer
 * (print_render.c) and the writer (print_write.c). */
#ifndef WUSHE_PRINT_INTERNAL_H
#define WUSHE_PRINT_INTERNAL_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "wushe/print.h"

typedef enum {
    PB_HEADING,
    PB_PARAGRAPH,
    PB_SPACE,
    PB_BREAK,
    PB_FIELDS,
    PB_TABLE,
    PB_SIGNATURES,
    PB_TEAR_OFF,
} print_block_kind;

typedef struct print_col {
    char *label;
    double width;
    print_align align;
} print_col;

/* A block: text for headings, paragraphs and the tear-off; cells for the
 * rest (fields: label, value pairs; tables: rows of ncols, NULL for a
 * blank row's cells; signatures: the labels). */
typedef struct print_block {
    print_block_kind kind;
    char *text;
    double mm;            /* space; a table's least row height */
    int columns;          /* fields: 2 or 4 */
    bool *wide;           /* fields: per field */
    print_col *cols;      /* table */
    size_t ncols;
    char **cells;
    size_t ncells, cap;
} print_block;

struct print_doc {
    char *station, *title, *note;
    print_orientation orientation;
    print_block *blocks;
    size_t nblocks, cap;
    bool table_open;      /* the last block is a table taking rows */
};

/* A copy safe to give pango as text: invalid bytes become U+FFFD, control
 * characters their pictures (U+2400...), tabs a space, CR LF a newline;
 * newline kept only when keep_newlines. Never NULL (aborts out of
 * memory). */
char *print_clean(const char *s, bool keep_newlines);
void *print_alloc(size_t n);

/* Render to a cairo context (cr NULL: measure only). Returns the number
 * of pages; total is the page count to print in footers. */
int print_render(const print_doc *doc, cairo_t *cr, const char *family, int total);
/* Page size in points for an orientation. */
void print_page_size(print_orientation o, double *w, double *h);

#endif
