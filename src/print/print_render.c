/* Laying out and drawing a recorded document: pages, their header and
 * footer, and every block as rows of cells whose text pango wraps. A row
 * (or a paragraph, a one-cell row without rules) that does not fit on the
 * rest of a page moves to the next one; one taller than a page breaks
 * between lines of text. The same walk measures (cr NULL: counting the
 * pages) and draws. */
#include "print_internal.h"

#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#include "wushe/catalog.h"

#define MM (72.0 / 25.4)
#define PAD 3.0        /* a cell's padding, points */
#define RULE 0.6       /* ruled lines */

enum { F_BODY, F_BOLD, F_SMALL, F_HEADING, F_TITLE, F_COUNT };
static const double font_pt[F_COUNT] = {10.5, 10.5, 8.5, 12.5, 18.0};

typedef enum { G_PLAIN, G_VALUE, G_LABEL, G_HEADER } cell_style;

typedef struct gcell {
    const char *text;     /* NULL: empty */
    double x, w;
    cell_style style;
    print_align align;
    PangoLayout *lay;     /* while the row is placed */
} gcell;

typedef struct grow {
    gcell *cells;
    size_t n;
    double min_h;
} grow;

typedef struct rctx {
    cairo_t *cr;          /* NULL: measure only */
    PangoContext *pc;
    PangoFontDescription *font[F_COUNT];
    const print_doc *doc;
    double pw, ph, left, width, top, bottom;
    double y;
    int page, total;
    bool fresh;           /* nothing placed on this page yet */
    double char_w;        /* one Chinese character of the body font */
    const grow *header;   /* the open table's header row, repeated */
} rctx;

void print_page_size(print_orientation o, double *w, double *h)
{
    double a = 210 * MM, b = 297 * MM;
    *w = o == PRINT_LANDSCAPE ? b : a;
    *h = o == PRINT_LANDSCAPE ? a : b;
}

static PangoLayout *rc_layout(rctx *rc, const char *text, int font, double width,
                              print_align align)
{
    PangoLayout *l = pango_layout_new(rc->pc);
    pango_layout_set_font_description(l, rc->font[font]);
    if (width > 0) {
        pango_layout_set_width(l, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_alignment(l, align == PRINT_CENTER  ? PANGO_ALIGN_CENTER
                                  : align == PRINT_RIGHT ? PANGO_ALIGN_RIGHT
                                                         : PANGO_ALIGN_LEFT);
    pango_layout_set_text(l, text ? text : "", -1); /* never markup */
    return l;
}

static double lay_height(PangoLayout *l)
{
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return (double)h / PANGO_SCALE;
}

static double lay_width(PangoLayout *l)
{
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return (double)w / PANGO_SCALE;
}

/* Draw the lines of l whose tops lie in [from, to) with from at y0. */
static void lay_draw(rctx *rc, PangoLayout *l, double x0, double y0, double from, double to)
{
    if (!rc->cr)
        return;
    PangoLayoutIter *it = pango_layout_get_iter(l);
    do {
        PangoRectangle lr;
        pango_layout_iter_get_line_extents(it, NULL, &lr);
        double top = (double)lr.y / PANGO_SCALE;
        if (top < from - 0.01 || top >= to - 0.01)
            continue;
        double base = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
        cairo_move_to(rc->cr, x0 + (double)lr.x / PANGO_SCALE, y0 + base - from);
        pango_cairo_show_layout_line(rc->cr, pango_layout_iter_get_line_readonly(it));
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}

/* The highest cut <= cut that splits no line of l placed at off. */
static double lay_cut(PangoLayout *l, double off, double cut)
{
    PangoLayoutIter *it = pango_layout_get_iter(l);
    do {
        PangoRectangle lr;
        pango_layout_iter_get_line_extents(it, NULL, &lr);
        double top = off + (double)lr.y / PANGO_SCALE;
        double bottom = top + (double)lr.height / PANGO_SCALE;
        if (top < cut && bottom > cut + 0.01)
            cut = top;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    return cut;
}

static void rc_text_at(rctx *rc, const char *text, int font, double x, double y, double w,
                       print_align align)
{
    PangoLayout *l = rc_layout(rc, text, font, w, align);
    lay_draw(rc, l, x, y, 0, 1e9);
    g_object_unref(l);
}

/* ---- pages ---- */

static void rc_grid_header(rctx *rc);

static void page_decorate(rctx *rc)
{
    cairo_t *cr = rc->cr;
    double hy = 10 * MM;
    rc_text_at(rc, rc->doc->station, F_SMALL, rc->left, hy, rc->width * 0.6, PRINT_LEFT);
    rc_text_at(rc, rc->doc->title, F_SMALL, rc->left + rc->width * 0.4, hy, rc->width * 0.6,
               PRINT_RIGHT);
    cairo_set_line_width(cr, 0.4);
    cairo_move_to(cr, rc->left, hy + 13);
    cairo_line_to(cr, rc->left + rc->width, hy + 13);
    cairo_stroke(cr);
    char foot[128];
    trf(foot, sizeof foot, "print.page_of", rc->page, rc->total);
    rc_text_at(rc, foot, F_SMALL, rc->left, rc->ph - 13 * MM, rc->width, PRINT_CENTER);
}

static void page_begin(rctx *rc)
{
    rc->page++;
    rc->y = rc->top;
    rc->fresh = true;
    if (rc->cr)
        page_decorate(rc);
    if (rc->page == 1) {
        PangoLayout *t = rc_layout(rc, rc->doc->title, F_TITLE, rc->width, PRINT_CENTER);
        lay_draw(rc, t, rc->left, rc->y, 0, 1e9);
        rc->y += lay_height(t) + 2 * MM;
        g_object_unref(t);
        if (rc->doc->note) {
            PangoLayout *n = rc_layout(rc, rc->doc->note, F_SMALL, rc->width, PRINT_CENTER);
            lay_draw(rc, n, rc->left, rc->y, 0, 1e9);
            rc->y += lay_height(n);
            g_object_unref(n);
        }
        rc->y += 4 * MM;
    }
}

static void page_next(rctx *rc)
{
    if (rc->cr)
        cairo_show_page(rc->cr);
    page_begin(rc);
    if (rc->header)
        rc_grid_header(rc);
    rc->fresh = true;
}

/* Room for h more points, else the next page (never two in a row). */
static void rc_need(rctx *rc, double h)
{
    if (rc->y + h > rc->bottom && !rc->fresh)
        page_next(rc);
}

/* ---- rows of cells ---- */

static bool cell_ruled(const gcell *c)
{
    return c->style != G_PLAIN;
}

static double cell_pad(const gcell *c)
{
    return cell_ruled(c) ? PAD : 0;
}

static void row_layouts(rctx *rc, const grow *r, double *h)
{
    *h = r->min_h;
    for (size_t i = 0; i < r->n; i++) {
        gcell *c = &r->cells[i];
        double pad = cell_pad(c);
        int font = c->style == G_HEADER || c->style == G_LABEL ? F_BOLD : F_BODY;
        c->lay = rc_layout(rc, c->text, font, c->w - 2 * pad, c->align);
        double ch = (c->text && *c->text ? lay_height(c->lay) : font_pt[F_BODY] * 1.3) + 2 * pad;
        if (ch > *h)
            *h = ch;
    }
}

static void row_free_layouts(const grow *r)
{
    for (size_t i = 0; i < r->n; i++) {
        g_object_unref(r->cells[i].lay);
        r->cells[i].lay = NULL;
    }
}

/* The part [from, to) of a row of height h, at rc->y; a part after a
 * break, or before one, gets its padding again. Returns its height. */
static double row_slice(rctx *rc, const grow *r, double h, double from, double to)
{
    bool ruled = r->n && cell_ruled(&r->cells[0]);
    double lead = from > 0 && ruled ? PAD : 0;
    double tail = to < h && ruled ? PAD : 0;
    double sh = to - from + lead + tail;
    for (size_t i = 0; rc->cr && i < r->n; i++) {
        const gcell *c = &r->cells[i];
        double pad = cell_pad(c);
        if (c->style == G_HEADER || c->style == G_LABEL) {
            cairo_set_source_rgb(rc->cr, 0.9, 0.9, 0.9);
            cairo_rectangle(rc->cr, c->x, rc->y, c->w, sh);
            cairo_fill(rc->cr);
            cairo_set_source_rgb(rc->cr, 0, 0, 0);
        }
        /* Line tops are the layout's; the layout starts pad into the row. */
        lay_draw(rc, c->lay, c->x + pad, rc->y + lead, from - pad, to - pad);
        if (cell_ruled(c)) {
            cairo_set_line_width(rc->cr, RULE);
            cairo_rectangle(rc->cr, c->x, rc->y, c->w, sh);
            cairo_stroke(rc->cr);
        }
    }
    rc->y += sh;
    rc->fresh = false;
    return sh;
}

/* Where to end the part of a row that starts at from when at most avail
 * points are left: at a line's top that no cell's line crosses. */
static double row_cut(const grow *r, double from, double avail)
{
    double cut = from + avail, last = -1;
    while (cut != last) {
        last = cut;
        for (size_t i = 0; i < r->n; i++)
            cut = lay_cut(r->cells[i].lay, cell_pad(&r->cells[i]), cut);
    }
    return cut;
}

static void rc_row(rctx *rc, const grow *r)
{
    double h;
    row_layouts(rc, r, &h);
    bool ruled = r->n && cell_ruled(&r->cells[0]);
    double page_room = rc->bottom - rc->top; /* a fresh page's, header aside */
    double from = 0;
    while (from < h) {
        double lead = from > 0 && ruled ? PAD : 0;
        double avail = rc->bottom - rc->y - lead;
        if (h - from <= avail + 0.01) {
            row_slice(rc, r, h, from, h);
            break;
        }
        /* A row that fits on a page goes to the next whole. */
        if (from == 0 && h <= page_room * 0.8 && !rc->fresh) {
            page_next(rc);
            continue;
        }
        double cut = row_cut(r, from, avail - (ruled ? PAD : 0));
        if (cut <= from + 0.01) {
            if (!rc->fresh) {
                page_next(rc);
                continue;
            }
            /* One line taller than what a page leaves: cut through it,
             * always moving on. */
            cut = from + (avail > font_pt[F_BODY] ? avail : font_pt[F_BODY]);
        }
        row_slice(rc, r, h, from, cut);
        from = cut;
        page_next(rc);
    }
    row_free_layouts(r);
}

static void rc_grid_header(rctx *rc)
{
    const grow *hdr = rc->header;
    rc->header = NULL; /* a header that breaks a page does not repeat itself */
    rc_row(rc, hdr);
    rc->header = hdr;
}

/* ---- blocks ---- */

static void rc_heading(rctx *rc, const print_block *b)
{
    PangoLayout *l = rc_layout(rc, b->text, F_HEADING, rc->width, PRINT_LEFT);
    double h = lay_height(l);
    /* Kept with two lines of what follows. */
    rc_need(rc, 2 * MM + h + 2 * font_pt[F_BODY] * 1.6);
    if (!rc->fresh)
        rc->y += 2 * MM;
    lay_draw(rc, l, rc->left, rc->y, 0, 1e9);
    rc->y += h + 1.5 * MM;
    rc->fresh = false;
    g_object_unref(l);
}

static void rc_paragraph(rctx *rc, const print_block *b)
{
    gcell c = {.text = b->text, .x = rc->left, .w = rc->width, .style = G_PLAIN};
    grow r = {.cells = &c, .n = 1};
    rc_row(rc, &r);
    rc->y += 1.5 * MM;
}

/* The widest label of a field block, within [4 characters, a quarter of
 * the line]. */
static double fields_label_w(rctx *rc, const print_block *b)
{
    double w = 4 * rc->char_w;
    for (size_t i = 0; i < b->ncells; i += 2) {
        PangoLayout *l = rc_layout(rc, b->cells[i], F_BOLD, 0, PRINT_LEFT);
        double lw = lay_width(l);
        g_object_unref(l);
        if (lw > w)
            w = lw;
    }
    w += 2 * PAD + 1;
    return w > rc->width / 4 ? rc->width / 4 : w;
}

static void rc_fields(rctx *rc, const print_block *b)
{
    double lw = fields_label_w(rc, b);
    int per_row = b->columns / 2;
    double vw = (rc->width - per_row * lw) / per_row;
    gcell cells[4];
    grow r = {.cells = cells};
    size_t nf = b->ncells / 2;
    for (size_t i = 0; i < nf; i++) {
        bool wide = b->wide[i] || per_row == 1;
        if (wide && r.n) { /* a half-filled row: its value takes the rest */
            cells[r.n - 1].w = rc->left + rc->width - cells[r.n - 1].x;
            rc_row(rc, &r);
            r.n = 0;
        }
        double x = rc->left + (r.n ? cells[r.n - 1].x + cells[r.n - 1].w - rc->left : 0);
        cells[r.n++] = (gcell){.text = b->cells[2 * i], .x = x, .w = lw, .style = G_LABEL};
        double w = wide ? rc->width - lw - (x - rc->left) : vw;
        cells[r.n++] = (gcell){.text = b->cells[2 * i + 1], .x = x + lw, .w = w,
                               .style = G_VALUE};
        if (wide || r.n == 4) {
            rc_row(rc, &r);
            r.n = 0;
        }
    }
    if (r.n) {
        cells[r.n - 1].w = rc->left + rc->width - cells[r.n - 1].x;
        rc_row(rc, &r);
    }
    rc->y += 2 * MM;
}

/* Column widths: characters, fractions, then equal shares of the rest;
 * scaled down together when they ask for more than the line. */
static void table_widths(rctx *rc, const print_block *b, double *w)
{
    double used = 0;
    size_t shares = 0;
    for (size_t i = 0; i < b->ncols; i++) {
        double c = b->cols[i].width;
        w[i] = c > 1 ? c * rc->char_w + 2 * PAD + 1 : c > 0 ? c * rc->width : 0;
        used += w[i];
        shares += c <= 0;
    }
    double rest = rc->width - used;
    double share = shares && rest > 0 ? rest / (double)shares : 3 * rc->char_w;
    for (size_t i = 0; i < b->ncols; i++)
        if (b->cols[i].width <= 0)
            w[i] = share, used += share;
    for (size_t i = 0; used > rc->width && i < b->ncols; i++)
        w[i] *= rc->width / used;
}

static void rc_table(rctx *rc, const print_block *b)
{
    size_t nc = b->ncols;
    if (!nc)
        return;
    double *w = print_alloc(nc * sizeof *w);
    gcell *hc = print_alloc(nc * sizeof *hc), *dc = print_alloc(nc * sizeof *dc);
    table_widths(rc, b, w);
    double x = rc->left;
    for (size_t i = 0; i < nc; i++) {
        hc[i] = (gcell){.text = b->cols[i].label, .x = x, .w = w[i], .style = G_HEADER,
                        .align = PRINT_CENTER};
        dc[i] = (gcell){.x = x, .w = w[i], .style = G_VALUE, .align = b->cols[i].align};
        x += w[i];
    }
    grow hdr = {.cells = hc, .n = nc};
    grow row = {.cells = dc, .n = nc, .min_h = b->mm * MM};
    double hh;
    row_layouts(rc, &hdr, &hh);
    row_free_layouts(&hdr);
    /* The header with at least one row under it. */
    rc_need(rc, hh + font_pt[F_BODY] * 1.4 + 2 * PAD + row.min_h);
    rc_row(rc, &hdr);
    /* Repeated on each page unless it would fill a third of one. */
    rc->header = hh < (rc->bottom - rc->top) / 3 ? &hdr : NULL;
    for (size_t k = 0; k + nc <= b->ncells; k += nc) {
        for (size_t i = 0; i < nc; i++)
            dc[i].text = b->cells[k + i];
        rc_row(rc, &row);
    }
    rc->header = NULL;
    rc->y += 2 * MM;
    free(w);
    free(hc);
    free(dc);
}

/* One line of signature items: each label, then its share of the room
 * the labels leave, as a rule to write on. */
static void rc_sign_line(rctx *rc, char *const *labels, size_t n)
{
    double lh = font_pt[F_BODY] * 1.4, gap = 6 * MM, used = 0;
    PangoLayout *l[3];
    for (size_t k = 0; k < n; k++) {
        char label[512];
        trf(label, sizeof label, "print.sign_label", labels[k]);
        l[k] = rc_layout(rc, label, F_BODY, 0, PRINT_LEFT);
        used += lay_width(l[k]) + gap;
    }
    double rule = (rc->width - used) / (double)n;
    if (rule < 15 * MM)
        rule = 15 * MM;
    rc_need(rc, 3 * lh);
    double base = rc->y + 2 * lh, x = rc->left;
    for (size_t k = 0; k < n; k++) {
        double tw = lay_width(l[k]), th = lay_height(l[k]);
        lay_draw(rc, l[k], x, base - th, 0, 1e9);
        if (rc->cr) {
            cairo_set_line_width(rc->cr, RULE);
            cairo_move_to(rc->cr, x + tw + 1, base);
            cairo_line_to(rc->cr, x + tw + 1 + rule, base);
            cairo_stroke(rc->cr);
        }
        x += tw + rule + gap;
        g_object_unref(l[k]);
    }
    rc->y = base + lh;
    rc->fresh = false;
}

static void rc_signatures(rctx *rc, const print_block *b)
{
    for (size_t i = 0; i < b->ncells; i += 3)
        rc_sign_line(rc, b->cells + i, b->ncells - i < 3 ? b->ncells - i : 3);
}

static void rc_tear_off(rctx *rc, const print_block *b)
{
    rc_need(rc, (rc->bottom - rc->top) / 3);
    char label[512];
    trf(label, sizeof label, "print.tear_label", b->text);
    PangoLayout *l = rc_layout(rc, label, F_SMALL, 0, PRINT_LEFT);
    double tw = lay_width(l), th = lay_height(l);
    double mid = rc->y + 3 * MM + th / 2, cx = rc->left + (rc->width - tw) / 2;
    if (rc->cr) {
        static const double dash[] = {4, 3};
        cairo_set_dash(rc->cr, dash, 2, 0);
        cairo_set_line_width(rc->cr, RULE);
        cairo_move_to(rc->cr, rc->left, mid);
        cairo_line_to(rc->cr, cx - 2 * MM, mid);
        cairo_move_to(rc->cr, cx + tw + 2 * MM, mid);
        cairo_line_to(rc->cr, rc->left + rc->width, mid);
        cairo_stroke(rc->cr);
        cairo_set_dash(rc->cr, NULL, 0, 0);
    }
    lay_draw(rc, l, cx, mid - th / 2, 0, 1e9);
    g_object_unref(l);
    rc->y = mid + th / 2 + 4 * MM;
    rc->fresh = false;
}

static void rc_block(rctx *rc, const print_block *b)
{
    switch (b->kind) {
    case PB_HEADING: rc_heading(rc, b); break;
    case PB_PARAGRAPH: rc_paragraph(rc, b); break;
    case PB_SPACE:
        if (!rc->fresh)
            rc->y += b->mm * MM;
        if (rc->y > rc->bottom)
            rc->y = rc->bottom;
        break;
    case PB_BREAK:
        if (!rc->fresh)
            page_next(rc);
        break;
    case PB_FIELDS: rc_fields(rc, b); break;
    case PB_TABLE: rc_table(rc, b); break;
    case PB_SIGNATURES: rc_signatures(rc, b); break;
    case PB_TEAR_OFF: rc_tear_off(rc, b); break;
    }
}

static void rc_fonts(rctx *rc, const char *family)
{
    for (int i = 0; i < F_COUNT; i++) {
        rc->font[i] = pango_font_description_new();
        pango_font_description_set_family(rc->font[i], family);
        pango_font_description_set_absolute_size(rc->font[i], font_pt[i] * PANGO_SCALE);
        if (i == F_BOLD || i == F_HEADING || i == F_TITLE)
            pango_font_description_set_weight(rc->font[i], PANGO_WEIGHT_BOLD);
    }
    PangoLayout *l = rc_layout(rc, "字", F_BODY, 0, PRINT_LEFT);
    rc->char_w = lay_width(l);
    g_object_unref(l);
}

int print_render(const print_doc *doc, cairo_t *cr, const char *family, int total)
{
    rctx rc = {.cr = cr, .doc = doc, .total = total};
    print_page_size(doc->orientation, &rc.pw, &rc.ph);
    rc.left = 18 * MM;
    rc.width = rc.pw - 36 * MM;
    rc.top = 20 * MM;
    rc.bottom = rc.ph - 20 * MM;
    PangoFontMap *fm = pango_cairo_font_map_new();
    rc.pc = pango_font_map_create_context(fm);
    /* Outlines as designed: no hinting, no metrics rounded to pixels. */
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    pango_cairo_context_set_font_options(rc.pc, fo);
    cairo_font_options_destroy(fo);
    rc_fonts(&rc, family);
    if (cr)
        cairo_set_source_rgb(cr, 0, 0, 0);
    page_begin(&rc);
    for (size_t i = 0; i < doc->nblocks; i++)
        rc_block(&rc, &doc->blocks[i]);
    if (cr)
        cairo_show_page(cr);
    for (int i = 0; i < F_COUNT; i++)
        pango_font_description_free(rc.font[i]);
    g_object_unref(rc.pc);
    g_object_unref(fm);
    return rc.page;
}
