/* Writing a document: the Chinese font found through fontconfig, two
 * passes (count the pages, then draw them) into a PDF in memory, and the
 * file written atomically; the access log entry of a print. */
#include "print_internal.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "station_internal.h"
#include "wushe/access.h"
#include "wushe/catalog.h"
#include "wushe/validate.h"
#include "wushe/account.h"
#include "wushe/encoding.h"

/* Fontconfig 2.14 loses 288 bytes parsing its own configuration, once a
 * process (inside FcInit, before any font of ours). LeakSanitizer reads
 * this hook in the sanitizer builds (CI), so the report stays about our
 * code; an ordinary build never calls it. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

/* Debian's Chinese fonts, best first. */
static const char *const print_families[] = {
    "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Zen Hei",
    "Source Han Sans SC", "Droid Sans Fallback", "AR PL UMing CN", "AR PL UKai CN",
};

/* The family of the first font fontconfig lists for pattern p ("" none). */
static void print_font_first(FcPattern *p, char *out, size_t outsz)
{
    out[0] = '\0';
    FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, (char *)NULL);
    FcFontSet *fs = os ? FcFontList(NULL, p, os) : NULL;
    FcChar8 *fam = NULL;
    if (fs && fs->nfont > 0 && FcPatternGetString(fs->fonts[0], FC_FAMILY, 0, &fam) ==
                                   FcResultMatch)
        snprintf(out, outsz, "%s", (const char *)fam);
    if (fs)
        FcFontSetDestroy(fs);
    if (os)
        FcObjectSetDestroy(os);
}

void print_font_family(char *out, size_t outsz)
{
    out[0] = '\0';
    if (!FcInit())
        return;
    for (size_t i = 0; !out[0] && i < sizeof print_families / sizeof *print_families; i++) {
        FcPattern *p = FcPatternBuild(NULL, FC_FAMILY, FcTypeString,
                                      (const FcChar8 *)print_families[i], (char *)NULL);
        if (p) {
            print_font_first(p, out, outsz);
            FcPatternDestroy(p);
        }
    }
    if (out[0])
        return;
    /* Any font that writes Simplified Chinese. */
    FcPattern *p = FcPatternCreate();
    FcLangSet *ls = FcLangSetCreate();
    if (p && ls && FcLangSetAdd(ls, (const FcChar8 *)"zh-cn") &&
        FcPatternAddLangSet(p, FC_LANG, ls))
        print_font_first(p, out, outsz);
    if (ls)
        FcLangSetDestroy(ls);
    if (p)
        FcPatternDestroy(p);
}

typedef struct print_buf {
    char *data;
    size_t len, cap;
    bool failed;
} print_buf;

static cairo_status_t print_buf_write(void *closure, const unsigned char *data,
                                      unsigned int length)
{
    print_buf *b = closure;
    if (b->len + length > b->cap) {
        size_t n = b->cap ? b->cap : 65536;
        while (n < b->len + length)
            n *= 2;
        char *d = realloc(b->data, n);
        if (!d) {
            b->failed = true;
            return CAIRO_STATUS_WRITE_ERROR;
        }
        b->data = d;
        b->cap = n;
    }
    memcpy(b->data + b->len, data, length);
    b->len += length;
    return CAIRO_STATUS_SUCCESS;
}

/* One pass into a PDF surface; the pages it drew. */
static int print_pass(const print_doc *doc, const char *family, int total, print_buf *buf,
                      bool *ok)
{
    double w, h;
    print_page_size(doc->orientation, &w, &h);
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(print_buf_write, buf, w, h);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, doc->title);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "Wushe " WUSHE_VERSION);
    cairo_t *cr = cairo_create(s);
    int pages = print_render(doc, cr, family, total);
    *ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
    cairo_destroy(cr);
    cairo_surface_finish(s);
    *ok = *ok && cairo_surface_status(s) == CAIRO_STATUS_SUCCESS && !buf->failed;
    cairo_surface_destroy(s);
    return pages;
}

ws_status print_doc_pdf(print_doc *doc, char **data, size_t *len, int *pages, char *err,
                        size_t errsz)
{
    *data = NULL;
    *len = 0;
    err[0] = '\0';
    char family[256];
    print_font_family(family, sizeof family);
    if (!family[0]) {
        snprintf(err, errsz, "%s", tr("print.no_font"));
        return WS_ERR_NOT_FOUND;
    }
    int total = print_render(doc, NULL, family, 0);
    print_buf buf = {0};
    bool ok = false;
    int drawn = print_pass(doc, family, total, &buf, &ok);
    if (!ok || drawn != total) {
        free(buf.data);
        snprintf(err, errsz, "%s", tr(buf.failed ? "status.nomem" : "print.render_failed"));
        return buf.failed ? WS_ERR_NOMEM : WS_ERR_IO;
    }
    if (pages)
        *pages = total;
    *data = buf.data;
    *len = buf.len;
    return WS_OK;
}

ws_status print_doc_write(print_doc *doc, const char *path, int *pages, char *err,
                          size_t errsz)
{
    char *data = NULL;
    size_t len = 0;
    ws_status s = print_doc_pdf(doc, &data, &len, pages, err, errsz);
    if (s != WS_OK)
        return s;
    s = enc_write_file(path, data, len);
    if (s != WS_OK) {
        char why[256];
        int e = errno;
        if (s == WS_ERR_FULL)
            e = ENOSPC;
        trf(err, errsz, "os.write_failed", path, enc_os_error(e, why, sizeof why));
    }
    free(data);
    return s;
}

ws_status print_log(station *st, const char *what, const char *table, int64_t row,
                    const char *path, bool masked)
{
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, "SELECT json_object('print', ?1, 'file', ?2, 'masked', ?3)");
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, what);
    db_bind_text_or_null(q, 2, path);
    sqlite3_bind_int(q, 3, masked);
    int rc = sqlite3_step(q);
    char *json = rc == SQLITE_ROW ? strdup((const char *)sqlite3_column_text(q, 0)) : NULL;
    db_reset(q);
    if (rc != SQLITE_ROW)
        return db_status_from(rc);
    if (!json)
        return WS_ERR_NOMEM;
    ws_status s = access_log(st, &(access_entry){.event = EV_PRINT, .table = table, .row = row,
                                                 .rows = 1, .detail = json});
    free(json);
    return s;
}

print_doc *print_station_doc(station *st, const char *title, const char *extra,
                             print_orientation orientation)
{
    char name[256], today[11], note[768];
    station_name(st, name, sizeof name);
    date_today(today);
    char who[128];
    account_current_name(st, who, sizeof who);
    trf(note, sizeof note, "print.note", who, today);
    if (extra && extra[0]) {
        size_t n = strlen(note);
        snprintf(note + n, sizeof note - n, "　%s", extra);
    }
    return print_doc_new(&(print_setup){.station = name, .title = title, .note = note,
                                        .orientation = orientation});
}
