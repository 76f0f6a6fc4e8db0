/* Ledgers of any declared kind in: the header mapped to fields by their
 * labels, columns and ledger aliases, every row validated and written by
 * the kind's own write path, all in one transaction, invalid rows to an
 * error file beside the ledger in its encoding with the reason. A row whose
 * title (a household's number, a community's name) is registered updates
 * that record with the cells it fills; masked cells (an export imported
 * back) change nothing. */
#include "wushe/import.h"
#include "wushe/workbook.h"
#include "wushe/access.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_internal.h"
#include "station_internal.h"
#include "wushe/catalog.h"
#include "wushe/csv.h"
#include "wushe/encoding.h"
#include "wushe/text.h"

#define KIND_MAX_COLS 64

typedef struct kind_import {
    station *st;
    const record_kind *k;
    kind_import_report *rep;
    int field_of[KIND_MAX_COLS]; /* per column: the field, -1 not imported */
    size_t ncols;
    int title_col; /* the column of the title field */
    int key_col;   /* the column of the station's number (FF_KEY), -1 none */
    int masked;    /* the first field of this row given masked, -1 none */
    char title_header[256];
    csv_buf errors;
    char delim;
} kind_import;

/* Whether a title names field f: its column, its label in either
 * language, or one of its ledger aliases. */
static bool kind_header_is(const field_def *f, const char *norm)
{
    char buf[512], one[256];
    snprintf(buf, sizeof buf, "%s|%s|%s", f->column, tr(f->label), f->aliases ? f->aliases : "");
    char *save = NULL;
    for (char *a = strtok_r(buf, "|", &save); a; a = strtok_r(NULL, "|", &save)) {
        import_header_norm(a, one, sizeof one);
        if (one[0] && strcmp(one, norm) == 0)
            return true;
    }
    return false;
}

/* Map a header row; true when it names the kind's title field. */
static bool kind_map_header(kind_import *ki, const csv_row *row)
{
    bool title = false;
    ki->ncols = row->n < KIND_MAX_COLS ? row->n : KIND_MAX_COLS;
    for (size_t c = 0; c < ki->ncols; c++) {
        char norm[256];
        import_header_norm(row->fields[c], norm, sizeof norm);
        ki->field_of[c] = -1;
        for (size_t f = 0; norm[0] && f < ki->k->nfields; f++) {
            unsigned fl = ki->k->fields[f].flags;
            if ((fl & FF_NO_FORM) && !(fl & FF_KEY))
                continue;
            if (kind_header_is(&ki->k->fields[f], norm)) {
                ki->field_of[c] = (int)f;
                if (fl & FF_KEY) {
                    if (ki->key_col < 0)
                        ki->key_col = (int)c;
                    break;
                }
                if ((int)f == ki->k->title_field && !title) {
                    ki->title_col = (int)c;
                    snprintf(ki->title_header, sizeof ki->title_header, "%s", row->fields[c]);
                }
                title |= (int)f == ki->k->title_field;
                break;
            }
        }
    }
    return title;
}

static void kind_error_row(kind_import *ki, const csv_row *row, const char *why)
{
    for (size_t i = 0; i < row->n; i++)
        csv_put_field(&ki->errors, row->fields[i], ki->delim, i == 0);
    csv_put_field(&ki->errors, why, ki->delim, row->n == 0);
    csv_end_row(&ki->errors, "\r\n");
    ki->rep->invalid++;
}

/* A reference cell names its record by title, or as its kind finds one
 * (a resident by ID number). */
static ws_status kind_ref(kind_import *ki, const field_def *f, const char *v, int64_t *id,
                          char *why, size_t whysz)
{
    record_row rows[2];
    size_t n = 0;
    *id = 0;
    why[0] = '\0';
    if (field_ref(f)->hooks.find)
        return field_ref(f)->hooks.find(ki->st, v, id, why, whysz);
    ws_status s = record_list(ki->st, field_ref(f), v, false, 0, 1, rows, 2, &n);
    for (size_t i = 0; s == WS_OK && i < n; i++)
        if (strcmp(rows[i].cells[0], v) == 0)
            *id = rows[i].id;
    return s;
}

/* A refusal as the error file's reason; a value not on a code list says
 * what may be written (the error file is fixed in WPS). */
static const char *kind_why(kind_import *ki, record_error *re, char *why, size_t whysz)
{
    if (re->code == VAL_UNKNOWN_CODE && re->field >= 0 && (size_t)re->field < ki->k->nfields &&
        ki->k->fields[re->field].codes) {
        re->code = VAL_NOT_IN_LIST;
        record_code_labels(ki->st, ki->k->fields[re->field].codes, re->detail,
                           sizeof re->detail);
    }
    return record_error_text(ki->k, re, why, whysz);
}

/* The row's cells into rec (only the cells it fills); false with why. A
 * masked cell (an export imported back) is never stored: ki->masked says
 * which, so that a row that is no registered record can be refused. */
static bool kind_cells(kind_import *ki, const csv_row *row, void *rec, char *why, size_t whysz)
{
    ki->masked = -1;
    for (size_t c = 0; c < ki->ncols && c < row->n; c++) {
        int fi = ki->field_of[c];
        if (fi < 0 || (int)c == ki->key_col)
            continue;
        const field_def *f = &ki->k->fields[fi];
        char v[4096];
        snprintf(v, sizeof v, "%s", row->fields[c]);
        /* A cell kept as text by a tab, or a masked number: as it is. */
        char *t = v;
        while (*t == '\t' || *t == ' ')
            t++;
        if (f->type != FLD_MULTILINE)
            csv_join_lines(t);
        if (!*t)
            continue;
        if ((f->flags & FF_MASKED) && strchr(t, '*')) {
            if (ki->masked < 0)
                ki->masked = fi;
            continue;
        }
        if (f->type == FLD_REF) {
            int64_t id = 0;
            char name[256];
            if (kind_ref(ki, f, t, &id, name, sizeof name) != WS_OK || !id) {
                if (!name[0])
                    trf(name, sizeof name, "import.kind_no_ref", tr(field_ref(f)->label), t);
                trf(why, whysz, "record.field_error", tr(f->label), name);
                return false;
            }
            memcpy((char *)rec + f->offset, &id, sizeof id);
            continue;
        }
        val_status vs = record_parse(ki->st, ki->k, fi, t, rec);
        if (vs != VAL_OK) {
            record_error re = {.field = fi, .code = vs};
            kind_why(ki, &re, why, whysz);
            return false;
        }
    }
    return true;
}

/* The record with the same ledger key fields (a visit: person, date,
 * worker), or 0. */
static ws_status kind_existing_by_key(kind_import *ki, const void *rec, int64_t *id)
{
    const record_kind *k = ki->k;
    char sql[1024];
    size_t used = (size_t)snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE deleted_at IS NULL",
                                   k->table);
    int n = 0;
    for (const int *f = k->ledger_key; *f >= 0 && used < sizeof sql; f++)
        used += (size_t)snprintf(sql + used, sizeof sql - used, " AND %s IS ?%d",
                                 k->fields[*f].column, ++n);
    snprintf(sql + used, sizeof sql - used, " ORDER BY id LIMIT 1");
    db *d = station_db(ki->st);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db_handle(d), sql, -1, &q, NULL) != SQLITE_OK)
        return db_status(d);
    n = 0;
    for (const int *f = k->ledger_key; *f >= 0; f++) {
        const field_def *fd = &k->fields[*f];
        int64_t v;
        ++n;
        if (fd->type == FLD_REF || fd->type == FLD_INT || fd->type == FLD_MONEY ||
            fd->type == FLD_MINUTES) {
            memcpy(&v, (const char *)rec + fd->offset, sizeof v);
            if (fd->type == FLD_REF && !v)
                sqlite3_bind_null(q, n);
            else
                sqlite3_bind_int64(q, n, v);
        } else {
            const char *t = (const char *)rec + fd->offset;
            if (!*t && (fd->type == FLD_DATE || fd->type == FLD_ID_NUMBER))
                sqlite3_bind_null(q, n);
            else
                sqlite3_bind_text(q, n, t, -1, SQLITE_TRANSIENT);
        }
    }
    int rc = sqlite3_step(q);
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    sqlite3_finalize(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* The record with the station's number the row gives, or 0. */
static ws_status kind_existing_by_number(kind_import *ki, const csv_row *row, int64_t *id)
{
    *id = 0;
    if (ki->key_col < 0 || (size_t)ki->key_col >= row->n)
        return WS_OK;
    const char *v = row->fields[ki->key_col];
    while (*v == '\t' || *v == ' ')
        v++;
    if (!*v)
        return WS_OK;
    const record_kind *k = ki->k;
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE %s = ?1 AND deleted_at IS NULL", k->table,
             k->fields[ki->field_of[ki->key_col]].column);
    db *d = station_db(ki->st);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db_handle(d), sql, -1, &q, NULL) != SQLITE_OK)
        return db_status(d);
    sqlite3_bind_text(q, 1, v, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(q);
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    sqlite3_finalize(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* The registered record this row is (its title, or its ledger key), or 0. */
static ws_status kind_existing(kind_import *ki, const csv_row *row, const void *rec, int64_t *id)
{
    const field_def *t = &ki->k->fields[ki->k->title_field];
    ws_status s = kind_existing_by_number(ki, row, id);
    if (s != WS_OK || *id)
        return s;
    /* A kind whose records are known otherwise (an ID number), by what
     * the ledger says: a default (today's 注册日期) names nobody. */
    if (ki->k->hooks.import_existing) {
        void *said = malloc(ki->k->size);
        if (!said)
            return WS_ERR_NOMEM;
        memcpy(said, rec, ki->k->size);
        for (size_t f = 0; f < ki->k->nfields; f++) {
            bool given = false;
            for (size_t c = 0; c < ki->ncols && !given; c++)
                given = ki->field_of[c] == (int)f;
            if (!given)
                memset((char *)said + ki->k->fields[f].offset, 0, ki->k->fields[f].size);
        }
        s = ki->k->hooks.import_existing(ki->st, said, id);
        free(said);
        return s;
    }
    if (ki->k->ledger_key)
        return kind_existing_by_key(ki, rec, id);
    if (!(t->flags & FF_UNIQUE) || !*((const char *)rec + t->offset))
        return WS_OK;
    record_row rows[8];
    size_t n = 0;
    s = record_list(ki->st, ki->k, (const char *)rec + t->offset, false, 0, 1, rows, 8, &n);
    /* By the record's title itself: a kind's first list column may be
     * another field (an organisation's number before its name). */
    for (size_t i = 0; s == WS_OK && i < n && !*id; i++) {
        char title[RECORD_CELL];
        s = record_title(ki->st, ki->k, rows[i].id, title, sizeof title);
        if (s == WS_OK && strcmp(title, (const char *)rec + t->offset) == 0)
            *id = rows[i].id;
    }
    return s;
}

static ws_status kind_row(kind_import *ki, const csv_row *row, void *rec, void *cur)
{
    char why[512];
    import_skip_reason skip;
    if (import_summary_row(row, ki->title_col, ki->title_header, &skip)) {
        ki->rep->skipped++; /* a total, a signature, the header again: no record */
        return WS_OK;
    }
    /* The kind's defaults fill what the ledger has no column for (a
     * visit's follow-up); a column it has decides, an empty cell too. */
    record_new(ki->st, ki->k, rec);
    for (size_t c = 0; c < ki->ncols; c++)
        if (ki->field_of[c] >= 0) {
            const field_def *f = &ki->k->fields[ki->field_of[c]];
            memset((char *)rec + f->offset, 0, f->size);
        }
    if (!kind_cells(ki, row, rec, why, sizeof why)) {
        kind_error_row(ki, row, why);
        return WS_OK;
    }
    int64_t id = 0;
    int masked = ki->masked;
    ws_status s = kind_existing(ki, row, rec, &id);
    if (s == WS_ERR_INVALID) {
        /* Several registered records could be this row: none is guessed. */
        trf(why, sizeof why, "import.kind_ambiguous", tr(ki->k->label),
            (const char *)rec + ki->k->fields[ki->k->title_field].offset);
        kind_error_row(ki, row, why);
        return WS_OK;
    }
    if (s == WS_OK && !id && masked >= 0) {
        /* A new record would lose the masked number: ask for the whole one. */
        trf(why, sizeof why, "record.field_error", tr(ki->k->fields[masked].label),
            tr("import.masked"));
        kind_error_row(ki, row, why);
        return WS_OK;
    }
    if (s == WS_OK && id) {
        /* An update: the registered record with the cells this row fills. */
        if ((s = record_load(ki->st, ki->k, id, cur)) != WS_OK)
            return s;
        void *was = malloc(ki->k->size);
        if (!was)
            return WS_ERR_NOMEM;
        memcpy(was, cur, ki->k->size);
        kind_cells(ki, row, cur, why, sizeof why);
        bool same = memcmp(was, cur, ki->k->size) == 0;
        free(was);
        if (same) {
            ki->rep->unchanged++;
            return WS_OK;
        }
        memcpy(rec, cur, ki->k->size);
    }
    if (s != WS_OK)
        return s;
    record_error re;
    s = record_save(ki->st, ki->k, rec, &re);
    if (s == WS_ERR_INVALID) {
        kind_error_row(ki, row, kind_why(ki, &re, why, sizeof why));
        return WS_OK;
    }
    if (s == WS_OK)
        *(id ? &ki->rep->updated : &ki->rep->added) += 1;
    return s;
}

static ws_status kind_run(kind_import *ki, csv_reader *rd, bool dry_run)
{
    db *d = station_db(ki->st);
    void *rec = calloc(1, ki->k->size), *cur = calloc(1, ki->k->size);
    ws_status s = rec && cur ? db_begin(d) : WS_ERR_NOMEM;
    csv_row row;
    while (s == WS_OK && (s = csv_next(rd, &row)) == WS_OK) {
        if (row.blank)
            continue;
        ki->rep->rows++;
        s = kind_row(ki, &row, rec, cur);
    }
    if (s == WS_ERR_NOT_FOUND)
        s = WS_OK;
    if (s == WS_OK && dry_run) {
        db_rollback(d);
    } else {
        s = db_end(d, s);
    }
    free(rec);
    free(cur);
    return s;
}

ws_status import_ledger_text(const char *path, const import_opts *opts, enc_info *enc,
                             char sheet[256], char **text, size_t *tlen, char *err,
                             size_t errsz)
{
    char *buf = NULL;
    size_t len = 0;
    *text = NULL;
    *tlen = 0;
    ws_status s = ledger_read(path, opts ? opts->sheet : NULL, &buf, &len, sheet, 256, err,
                              errsz);
    if (s != WS_OK)
        return s;
    bool book = sheet[0] != '\0';
    if (!book && opts && opts->encoding && *opts->encoding) {
        if (!enc_canonical(opts->encoding, enc->name, sizeof enc->name)) {
            free(buf);
            trf(err, errsz, "import.bad_encoding", opts->encoding);
            return WS_ERR_USAGE;
        }
    } else {
        enc_detect(buf, len, enc);
    }
    size_t bad = 0;
    s = enc_to_utf8(buf, len, enc->name, text, tlen, &bad);
    free(buf);
    if (s != WS_OK)
        trf(err, errsz, "import.bad_encoding", enc->name);
    return s;
}

ws_status import_ledger_errors(const char *path, const enc_info *enc, const csv_buf *errors,
                               char *error_path, size_t error_pathsz)
{
    import_error_path(path, error_path, error_pathsz);
    char *out = NULL;
    size_t outlen = 0;
    ws_status s = errors->oom ? WS_ERR_NOMEM
                              : enc_from_utf8(errors->p ? errors->p : "", errors->len, enc->name,
                                              enc->bom, &out, &outlen);
    if (s == WS_OK)
        s = enc_write_file(error_path, out, outlen);
    free(out);
    return s;
}

bool import_kind_importable(const record_kind *k)
{
    const field_def *t = &k->fields[k->title_field];
    return (t->flags & FF_LEDGER) && (!(t->flags & FF_NO_FORM) || (t->flags & FF_KEY));
}

const record_kind *import_kind_guess(const char *path, const import_opts *opts)
{
    char *text = NULL, sheet[256], err[512];
    size_t tlen = 0;
    enc_info enc = {0};
    if (import_ledger_text(path, opts, &enc, sheet, &text, &tlen, err, sizeof err) != WS_OK)
        return NULL;
    csv_reader *rd = csv_reader_new(text, tlen, csv_sniff(text, tlen));
    const record_kind *best = NULL;
    size_t best_n = 0;
    csv_row row;
    for (int tries = 0; rd && tries < 10 && csv_next(rd, &row) == WS_OK;) {
        if (row.blank)
            continue;
        tries++;
        for (size_t i = 0; i < record_nkinds; i++) {
            const record_kind *k = record_kinds[i];
            if (k == &kind_resident || !import_kind_importable(k))
                continue;
            kind_import ki = {.k = k, .key_col = -1, .masked = -1};
            if (!kind_map_header(&ki, &row))
                continue;
            size_t n = 0;
            for (size_t c = 0; c < ki.ncols; c++)
                n += ki.field_of[c] >= 0;
            /* The title and another of its columns: a name alone is no ledger. */
            if (n >= 2 && n > best_n) {
                best = k;
                best_n = n;
            }
        }
    }
    csv_reader_free(&rd);
    free(text);
    return best;
}

ws_status import_kind(station *st, const record_kind *k, const char *path,
                      const import_opts *opts, kind_import_report *rep, char *err, size_t errsz)
{
    memset(rep, 0, sizeof *rep);
    err[0] = '\0';
    /* The kind's own write permission too: a role that may import but not
     * write this kind is told so before the file is read. */
    ws_status denied = station_require(st, PERM_IMPORT);
    if (denied == WS_OK)
        denied = station_require(st, k->write_perm);
    if (denied != WS_OK) {
        snprintf(err, errsz, "%s", tr(ws_status_key(denied)));
        return denied;
    }
    char *text = NULL;
    size_t tlen = 0;
    char sheet[256];
    ws_status s = import_ledger_text(path, opts, &rep->enc, sheet, &text, &tlen, err, errsz);
    if (s != WS_OK)
        return s;
    kind_import ki = {.st = st, .k = k, .rep = rep, .delim = csv_sniff(text, tlen),
                      .key_col = -1, .masked = -1};
    csv_reader *rd = csv_reader_new(text, tlen, ki.delim);
    csv_row row;
    bool found = false;
    for (int tries = 0; rd && !found && tries < 10 && csv_next(rd, &row) == WS_OK;) {
        if (row.blank)
            continue;
        tries++;
        if ((found = kind_map_header(&ki, &row))) {
            for (size_t i = 0; i < row.n; i++)
                csv_put_field(&ki.errors, row.fields[i], ki.delim, i == 0);
            csv_put_field(&ki.errors, tr("import.reason_col"), ki.delim, row.n == 0);
            csv_end_row(&ki.errors, "\r\n");
            for (size_t c = 0; c < ki.ncols; c++)
                if (ki.field_of[c] < 0 && rep->nskipped_cols < KIND_IMPORT_MAX_SKIPPED)
                    snprintf(rep->skipped_cols[rep->nskipped_cols++],
                             sizeof rep->skipped_cols[0], "%s", row.fields[c]);
        }
    }
    if (!rd)
        s = WS_ERR_NOMEM;
    else if (!found) {
        if (sheet[0])
            trf(err, errsz, "book.kind_no_header", sheet, tr(k->fields[k->title_field].label));
        else
            trf(err, errsz, "import.kind_no_header", tr(k->fields[k->title_field].label),
                rep->enc.name);
        s = WS_ERR_INVALID;
    } else {
        s = kind_run(&ki, rd, opts && opts->dry_run);
    }
    if (s == WS_OK && rep->invalid && !(opts && opts->dry_run))
        s = import_ledger_errors(path, &rep->enc, &ki.errors, rep->error_path,
                                 sizeof rep->error_path);
    if (s != WS_OK && !err[0])
        snprintf(err, errsz, "%s", tr(ws_status_key(s)));
    csv_buf_free(&ki.errors);
    csv_reader_free(&rd);
    free(text);
    return s;
}
