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

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "import_internal.h"
#include "station_internal.h"
#include "wushe/catalog.h"
#include "wushe/community.h"
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
    bool by_number; /* this row's record was found by the station's number */
    /* The row's phone cell held two numbers: the second (stored form),
     * kept in the record's notes; its field's label. "" none. */
    char other_phone[32];
    const char *other_label;
    size_t given;  /* the row's cells filled besides its title */
    /* Per column: it names its reference by the referenced record's ID
     * number (a visit's 身份证号 column, beside or instead of 居民). */
    bool by_id[KIND_MAX_COLS];
    char title_header[256];
    /* Per column: the reason column of an error file imported again,
     * left out of the new one (which gets the new reason only). */
    bool old_reason[KIND_MAX_COLS];
    csv_buf errors;
    bool errors_first; /* kind_error_cells: the line is still empty */
    char delim;
    const import_opts *opts;
    /* The records this file has written or found so far, by id, with the
     * row that did: a second row for one record is the same or a conflict,
     * never "the last row wins". Open addressing, 0 is empty. */
    int64_t *seen_id;
    size_t *seen_line;
    size_t seen_cap, nseen;
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

/* The reference field of k whose record a column of ID numbers names
 * (the referenced kind finds its records by them), or -1. */
static int kind_ref_by_id_field(const record_kind *k, const char *norm)
{
    for (size_t f = 0; f < k->nfields; f++) {
        const field_def *fd = &k->fields[f];
        if (fd->type != FLD_REF || !(fd->flags & FF_LEDGER) || (fd->flags & FF_NO_FORM) ||
            !field_ref(fd)->hooks.find)
            continue;
        const record_kind *r = field_ref(fd);
        for (size_t g = 0; g < r->nfields; g++)
            if (r->fields[g].type == FLD_ID_NUMBER && kind_header_is(&r->fields[g], norm))
                return (int)f;
    }
    return -1;
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
        ki->by_id[c] = false;
        if (ki->field_of[c] < 0 && norm[0]) {
            ki->field_of[c] = kind_ref_by_id_field(ki->k, norm);
            ki->by_id[c] = ki->field_of[c] >= 0;
        }
    }
    return title;
}

/* Whether a header is a residents ledger's (a person's name and the
 * relation to the head of household, which no other kind has): the
 * residents import is the one that reads it; another kind would take
 * its members' rows one after another as its own records. */
static bool kind_residents_header(const kind_import *ki, const csv_row *row)
{
    if (ki->k == &kind_resident)
        return false;
    kind_import r = {.k = &kind_resident, .key_col = -1, .masked = -1};
    if (!kind_map_header(&r, row))
        return false;
    int rel = record_field_index(&kind_resident, "relation");
    for (size_t c = 0; c < r.ncols && c < ki->ncols; c++)
        if (rel >= 0 && r.field_of[c] == rel && ki->field_of[c] < 0)
            return true;
    return false;
}

/* The row of this file that wrote or found record id first, or 0. */
static size_t kind_seen(const kind_import *ki, int64_t id)
{
    for (size_t i = ki->seen_cap ? (size_t)id % ki->seen_cap : 0; ki->seen_cap && ki->seen_id[i];
         i = (i + 1) % ki->seen_cap)
        if (ki->seen_id[i] == id)
            return ki->seen_line[i];
    return 0;
}

static ws_status kind_seen_add(kind_import *ki, int64_t id, size_t line)
{
    if (!id || kind_seen(ki, id))
        return WS_OK;
    if (2 * (ki->nseen + 1) > ki->seen_cap) {
        size_t cap = ki->seen_cap ? 2 * ki->seen_cap : 256;
        int64_t *ids = calloc(cap, sizeof *ids);
        size_t *lines = calloc(cap, sizeof *lines);
        if (!ids || !lines) {
            free(ids);
            free(lines);
            return WS_ERR_NOMEM;
        }
        for (size_t i = 0; i < ki->seen_cap; i++) {
            if (!ki->seen_id[i])
                continue;
            size_t j = (size_t)ki->seen_id[i] % cap;
            while (ids[j])
                j = (j + 1) % cap;
            ids[j] = ki->seen_id[i];
            lines[j] = ki->seen_line[i];
        }
        free(ki->seen_id);
        free(ki->seen_line);
        ki->seen_id = ids;
        ki->seen_line = lines;
        ki->seen_cap = cap;
    }
    size_t j = (size_t)id % ki->seen_cap;
    while (ki->seen_id[j])
        j = (j + 1) % ki->seen_cap;
    ki->seen_id[j] = id;
    ki->seen_line[j] = line;
    ki->nseen++;
    return WS_OK;
}

/* A cell as the import reads it: without the tab or spaces before it. */
static const char *kind_cell(const csv_row *row, size_t c)
{
    const char *v = c < row->n ? row->fields[c] : "";
    while (*v == '\t' || *v == ' ')
        v++;
    return v;
}

/* What the clerk calls the row's record, as the row writes it: its
 * person's name where the kind has one, else its first field given (a
 * visit's 居民, a household's 户号); never a masked identifier. */
static const char *kind_row_name(const kind_import *ki, const csv_row *row)
{
    int who = record_name_field(ki->k), best = -1;
    const char *name = "";
    for (size_t c = 0; c < ki->ncols; c++) {
        int f = ki->field_of[c];
        if (f < 0 || ki->by_id[c] || (ki->k->fields[f].flags & FF_MASKED) || !*kind_cell(row, c))
            continue;
        if (who != ki->k->title_field && f == who)
            return kind_cell(row, c);
        if (best < 0 || f < best) {
            best = f;
            name = kind_cell(row, c);
        }
    }
    return name;
}

static void kind_note(kind_import *ki, import_class cls, const csv_row *row, const char *text)
{
    if (ki->opts && ki->opts->row_note)
        ki->opts->row_note(ki->opts->ctx, cls, row->line, kind_row_name(ki, row), text);
}

/* Whether column c holds an identifier (an ID number, phone or
 * certificate; a reference by ID number): the error file keeps it as text. */
static bool kind_ident_col(const kind_import *ki, size_t c)
{
    if (c >= ki->ncols || ki->field_of[c] < 0)
        return false;
    const field_def *f = &ki->k->fields[ki->field_of[c]];
    return ki->by_id[c] || f->type == FLD_ID_NUMBER || f->type == FLD_PHONE ||
           (f->flags & FF_MASKED);
}

/* A row's cells to the error file, but an old reason's (ki->errors_first:
 * nothing was put on the line). */
static void kind_error_cells(kind_import *ki, const csv_row *row)
{
    ki->errors_first = true;
    for (size_t i = 0; i < row->n; i++) {
        if (i < ki->ncols && ki->old_reason[i])
            continue;
        csv_put_cell(&ki->errors, row->fields[i], ki->delim, ki->errors_first,
                           kind_ident_col(ki, i));
        ki->errors_first = false;
    }
}

/* The row to the error file with why (counted invalid), unannounced. */
static void kind_error_row_quiet(kind_import *ki, const csv_row *row, const char *why)
{
    kind_error_cells(ki, row);
    csv_put_field(&ki->errors, why, ki->delim, ki->errors_first);
    csv_end_row(&ki->errors, "\r\n");
    ki->rep->invalid++;
}

static void kind_error_row(kind_import *ki, const csv_row *row, const char *why)
{
    kind_note(ki, IMPORT_INVALID, row, why);
    kind_error_row_quiet(ki, row, why);
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
    /* A community as the residents import finds it: folded, or by its
     * committee's name (青石村村委会). */
    if (s == WS_OK && !*id && field_ref(f) == &kind_community) {
        community cm;
        s = community_find_by_name(ki->st, v, &cm);
        if (s == WS_OK)
            *id = cm.id;
        else if (s == WS_ERR_NOT_FOUND)
            s = WS_OK;
    }
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

/* Whether a reference cell may name its record by ID number (a visit's
 * 居民: the referenced kind finds its records by one). */
static bool kind_ref_has_id(const field_def *f)
{
    if (f->type != FLD_REF || !field_ref(f)->hooks.find)
        return false;
    const record_kind *r = field_ref(f);
    for (size_t g = 0; g < r->nfields; g++)
        if (r->fields[g].type == FLD_ID_NUMBER)
            return true;
    return false;
}

/* The row's cells into rec (only the cells it fills); false with why. A
 * masked cell (an export imported back) is never stored: ki->masked says
 * which, so that a row that is no registered record can be refused. */
static bool kind_cells(kind_import *ki, const csv_row *row, void *rec, char *why, size_t whysz)
{
    ki->masked = -1;
    ki->given = 0;
    ki->other_phone[0] = '\0';
    for (size_t c = 0; c < ki->ncols && c < row->n; c++) {
        int fi = ki->field_of[c];
        if (fi < 0 || (int)c == ki->key_col)
            continue;
        /* An ID number names the person surely: the name beside it is
         * then only what the clerk reads. */
        bool id_given = false;
        for (size_t o = 0; !ki->by_id[c] && o < ki->ncols && !id_given; o++)
            id_given = ki->by_id[o] && ki->field_of[o] == fi && *kind_cell(row, o);
        if (id_given)
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
        ki->given += fi != ki->k->title_field;
        if ((f->flags & FF_MASKED) && strchr(t, '*')) {
            if (ki->masked < 0)
                ki->masked = fi;
            continue;
        }
        /* An ID number Excel made a number of (5.10902E+17): said as the
         * residents import says it, not "nobody named 5.10902E+17". */
        if ((f->type == FLD_ID_NUMBER || ki->by_id[c] || kind_ref_has_id(f)) &&
            import_id_scientific(t)) {
            trf(why, whysz, "record.field_error",
                ki->by_id[c] ? tr("field.id_number") : tr(f->label), tr("import.scientific"));
            return false;
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
        /* Parsed as it would be stored (2026/11/5 is 2026-11-05): what
         * finds the record already there, and what tells an update from
         * nothing new. */
        if (f->type == FLD_MONEY && !import_money_decimals(t, tr(f->label), why, whysz))
            return false;
        /* Two phones in one cell (138…/139…): the first is the phone, the
         * second goes to the notes (kind_other_phone). */
        char first[32];
        if (f->type == FLD_PHONE && import_phone_pair(t, first, ki->other_phone)) {
            ki->other_label = f->label;
            snprintf(t, sizeof v - (size_t)(t - v), "%s", first);
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
    ki->by_number = *id != 0;
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

/* What an update changes, field by field ("联系电话：（无） → 139****3333"),
 * identifiers masked as in every preview. */
static void kind_changes(kind_import *ki, const void *was, const void *now, char *out,
                         size_t outsz)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < ki->k->nfields && used < outsz; i++) {
        const field_def *f = &ki->k->fields[i];
        char a[256], b[256], one[640];
        record_format(ki->st, ki->k, (int)i, was, false, a, sizeof a);
        record_format(ki->st, ki->k, (int)i, now, false, b, sizeof b);
        if (strcmp(a, b) == 0)
            continue;
        record_format(ki->st, ki->k, (int)i, was, true, a, sizeof a);
        record_format(ki->st, ki->k, (int)i, now, true, b, sizeof b);
        trf(one, sizeof one, "import.kind_change", tr(f->label), a[0] ? a : tr("field.none"),
            b[0] ? b : tr("field.none"));
        used += (size_t)snprintf(out + used, outsz - used, "%s%s",
                                 used ? tr("import.kind_change_sep") : "", one);
    }
}

/* Whether the ledger has columns for fields other than the title. */
static bool kind_has_other_columns(const kind_import *ki)
{
    for (size_t c = 0; c < ki->ncols; c++)
        if (ki->field_of[c] >= 0 && ki->field_of[c] != ki->k->title_field &&
            (int)c != ki->key_col)
            return true;
    return false;
}

/* A second phone of the row into rec's notes (once: a run again adds
 * nothing); what the report says of it in said ("" when nothing). false
 * (why filled) when the notes cannot take it. */
static bool kind_other_phone(kind_import *ki, void *rec, char *said, size_t saidsz, char *why,
                             size_t whysz)
{
    said[0] = '\0';
    if (!ki->other_phone[0])
        return true;
    char masked[32];
    mask_phone(ki->other_phone, masked, sizeof masked);
    int nf = record_field_index(ki->k, "notes");
    if (nf < 0) {
        /* No room for it: the first is kept, and the clerk told. */
        trf(said, saidsz, "import.other_phone_dropped", tr(ki->other_label), masked);
        return true;
    }
    const field_def *f = &ki->k->fields[nf];
    char *notes = (char *)rec + f->offset;
    if (!import_phone_note(notes, f->size, ki->other_phone)) {
        trf(why, whysz, "record.field_error", tr(f->label), tr("valid.too_long"));
        return false;
    }
    trf(said, saidsz, "import.other_phone_kept", tr(ki->other_label), tr(ki->other_label), masked,
        tr(f->label));
    return true;
}

static ws_status kind_row(kind_import *ki, const csv_row *row, void *rec, void *cur)
{
    char phone_said[512] = "";
    char changes[2048] = "";
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
    if (s == WS_OK && !id && !ki->given && kind_has_other_columns(ki)) {
        /* Only a 户号 where the ledger has other columns: a record of
         * nothing but its title (a household with no 社区/村) is a slip of
         * the pen, not a new one. A list of names alone still adds. */
        trf(why, sizeof why, "import.kind_title_only",
            tr(ki->k->fields[ki->k->title_field].label), tr(ki->k->label));
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
        if (!kind_other_phone(ki, cur, phone_said, sizeof phone_said, why, sizeof why)) {
            free(was);
            kind_error_row(ki, row, why);
            return WS_OK;
        }
        /* A unique title that found its record is the ledger's spelling
         * of it (學堂灣社區, 青石村村委会 for 青石村), never a new name:
         * only a station's number beside it renames, or a kind's one
         * spelling of it (a household's h001 is written H001). */
        const field_def *t = &ki->k->fields[ki->k->title_field];
        if ((t->flags & FF_UNIQUE) && !ki->by_number && !ki->k->hooks.normalize)
            memcpy((char *)cur + t->offset, (char *)was + t->offset, t->size);
        bool same = memcmp(was, cur, ki->k->size) == 0;
        if (!same)
            kind_changes(ki, was, cur, changes, sizeof changes);
        free(was);
        size_t first = kind_seen(ki, id);
        if (same) {
            ki->rep->unchanged++;
            return kind_seen_add(ki, id, row->line);
        }
        if (first) {
            /* An earlier row of this file says otherwise: neither is
             * taken over the other without the clerk. */
            char what[2048];
            trf(what, sizeof what, "import.kind_infile", first, tr(ki->k->label), changes);
            kind_note(ki, IMPORT_INFILE, row, what);
            trf(why, sizeof why, "import.kind_infile_reason", first, tr(ki->k->label));
            kind_error_row_quiet(ki, row, why);
            return WS_OK;
        }
        memcpy(rec, cur, ki->k->size);
    }
    if (s != WS_OK)
        return s;
    if (!id && !kind_other_phone(ki, rec, phone_said, sizeof phone_said, why, sizeof why)) {
        kind_error_row(ki, row, why);
        return WS_OK;
    }
    /* A new community is the place, not its committee (青石村村委会 adds
     * 青石村), as the residents import names it. */
    if (!id && ki->k == &kind_community) {
        community *cm = rec;
        char place[sizeof cm->name];
        if (community_place_name(cm->name, place, sizeof place))
            memcpy(cm->name, place, sizeof cm->name);
    }
    record_error re;
    s = record_save(ki->st, ki->k, rec, &re);
    if (s == WS_ERR_INVALID) {
        kind_error_row(ki, row, kind_why(ki, &re, why, sizeof why));
        return WS_OK;
    }
    if (s == WS_OK) {
        *(id ? &ki->rep->updated : &ki->rep->added) += 1;
        if (id)
            kind_note(ki, IMPORT_UPDATE, row, changes);
        if (phone_said[0])
            kind_note(ki, id ? IMPORT_UPDATE : IMPORT_NEW, row, phone_said);
        s = kind_seen_add(ki, record_id(ki->k, rec), row->line);
    }
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

ws_status import_ledger_errors(station *st, const char *path, const enc_info *enc,
                               const csv_buf *errors, const import_errfile *out)
{
    char *want = malloc(4096);
    if (!want)
        return WS_ERR_NOMEM;
    import_error_path(path, want, 4096);
    ws_status s = import_errors_save(st ? station_db(st) : NULL, want, enc, errors, out);
    free(want);
    return s;
}

/* Whether the file at path holds exactly what errors writes in enc. */
static ws_status import_errors_same(const char *path, const enc_info *enc,
                                    const csv_buf *errors, bool *same)
{
    *same = false;
    if (errors->oom)
        return WS_ERR_NOMEM;
    char *have = NULL, *out = NULL;
    size_t hlen = 0, olen = 0;
    if (enc_read_file(path, &have, &hlen) != WS_OK)
        return WS_OK; /* unreadable: kept aside as any other */
    ws_status s = enc_from_utf8(errors->p ? errors->p : "", errors->len, enc->name, enc->bom,
                                &out, &olen);
    if (s == WS_OK)
        *same = hlen == olen && memcmp(have, out, olen) == 0;
    free(have);
    free(out);
    return s;
}

ws_status import_errors_earlier(const char *want, const enc_info *enc, const csv_buf *errors,
                                const import_errfile *o)
{
    struct stat sb;
    if (lstat(want, &sb) != 0 || S_ISDIR(sb.st_mode))
        return WS_OK; /* nothing there (a folder: writing there says so) */
    if (errors) {
        bool same = false;
        ws_status s = import_errors_same(want, enc, errors, &same);
        if (s != WS_OK || same)
            return s;
    }
    snprintf(o->old, o->oldsz, "%s", want);
    /* 台账_错误行.csv → 台账_错误行_旧.csv (-2, -3 ... when taken), beside it. */
    const char *slash = strrchr(want, '/');
    const char *base = slash ? slash + 1 : want;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        dot = base + strlen(base);
    char dir[4096], name[1024], *kept = malloc(8192);
    if (!kept)
        return WS_ERR_NOMEM;
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - want) : 1, slash ? want : ".");
    snprintf(name, sizeof name, "%.*s%s%s", (int)(dot - base), base,
             tr("import.error_old_suffix"), dot);
    int e = 0; /* 0: no free name for it */
    bool moved = import_free_name(dir[0] ? dir : "/", name, kept, 8192) &&
                 strlen(kept) < o->oldsz;
    if (moved && rename(want, kept) != 0) {
        e = errno;
        moved = false;
    }
    if (moved)
        snprintf(o->kept, o->oldsz, "%s", slash ? kept : kept + 2); /* not "./" */
    free(kept);
    if (moved || !errors)
        return WS_OK; /* out of date, said so where it could not move */
    char why[256];
    trf(o->trouble, o->troublesz, "import.errors_old_stuck", want,
        e ? enc_os_error(e, why, sizeof why) : tr("import.errors_names_taken"));
    return WS_ERR_IO;
}

void import_errors_undo(const import_errfile *o)
{
    if (o->path[0])
        remove(o->path);
    if (o->kept[0] && o->old[0])
        rename(o->kept, o->old);
    o->path[0] = o->old[0] = o->kept[0] = '\0';
}

const char *import_errors_earlier_said(const char *path, const char *trouble, const char *old,
                                       const char *kept, char *out, size_t outsz)
{
    if (!old[0] || (!kept[0] && (path[0] || trouble[0])))
        return NULL; /* none, or the trouble says it */
    if (path[0] || trouble[0])
        return trf(out, outsz, "import.errors_old_kept", old, kept);
    return kept[0] ? trf(out, outsz, "import.errors_stale_kept", old, kept)
                   : trf(out, outsz, "import.errors_stale", old);
}

bool import_phone_pair(const char *cell, char first[32], char second[32])
{
    char v[256];
    if (strlen(cell) >= sizeof v || !val_halfwidth(cell, v, sizeof v))
        return false;
    /* Separators as written in a cell: / 、 , ; and spaces (an IME's
     * full-width ones are half-width now). */
    static const char *const seps[] = {"/", ",", ";", " ", "\t", "\n", "、", "|"};
    char part[2][128];
    size_t nparts = 0, len = 0;
    for (const char *p = v;;) {
        size_t k = 0;
        for (size_t i = 0; *p && i < sizeof seps / sizeof *seps && !k; i++)
            if (!strncmp(p, seps[i], strlen(seps[i])))
                k = strlen(seps[i]);
        if (!*p || k) {
            if (len) {
                if (nparts == 2)
                    return false;
                part[nparts++][len] = '\0';
                len = 0;
            }
            if (!*p)
                break;
            p += k;
            continue;
        }
        if (nparts == 2 || len + 1 >= sizeof part[0])
            return false;
        part[nparts][len++] = *p++;
    }
    char a[32], b[32];
    if (nparts != 2 || val_phone(part[0], a, sizeof a) != VAL_OK ||
        val_phone(part[1], b, sizeof b) != VAL_OK)
        return false;
    memcpy(first, a, sizeof a);
    /* The same number twice is one phone. */
    if (strcmp(a, b) == 0)
        b[0] = '\0';
    memcpy(second, b, sizeof b);
    return true;
}

bool import_phone_note(char *notes, size_t notesz, const char *second)
{
    char line[128];
    trf(line, sizeof line, "import.other_phone", second);
    if (strstr(notes, line))
        return true;
    size_t used = strlen(notes);
    if (used + 1 + strlen(line) >= notesz)
        return false;
    snprintf(notes + used, notesz - used, "%s%s", used ? "\n" : "", line);
    return true;
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
                      .key_col = -1, .masked = -1, .opts = opts};
    csv_reader *rd = csv_reader_new(text, tlen, ki.delim);
    csv_row row;
    bool found = false;
    for (int tries = 0; rd && !found && tries < 10 && csv_next(rd, &row) == WS_OK;) {
        if (row.blank)
            continue;
        tries++;
        if ((found = kind_map_header(&ki, &row))) {
            for (size_t c = 0; c < ki.ncols; c++)
                ki.old_reason[c] = ki.field_of[c] < 0 && import_is_reason_col(row.fields[c]);
            kind_error_cells(&ki, &row);
            csv_put_field(&ki.errors, tr("import.reason_col"), ki.delim, ki.errors_first);
            csv_end_row(&ki.errors, "\r\n");
            for (size_t c = 0; c < ki.ncols; c++)
                if (ki.field_of[c] < 0 && !ki.old_reason[c] &&
                    rep->nskipped_cols < KIND_IMPORT_MAX_SKIPPED)
                    snprintf(rep->skipped_cols[rep->nskipped_cols++],
                             sizeof rep->skipped_cols[0], "%s", row.fields[c]);
        }
    }
    if (!rd)
        s = WS_ERR_NOMEM;
    else if (found && kind_residents_header(&ki, &row)) {
        trf(err, errsz, "import.kind_residents_ledger", tr(k->label));
        s = WS_ERR_INVALID;
    } else if (!found) {
        if (sheet[0]) {
            trf(err, errsz, "book.kind_no_header", sheet, tr(k->fields[k->title_field].label));
            import_sheets_said(path, err, errsz);
        }
        else
            trf(err, errsz, "import.kind_no_header", tr(k->fields[k->title_field].label),
                rep->enc.name);
        s = WS_ERR_INVALID;
    } else {
        s = kind_run(&ki, rd, opts && opts->dry_run);
    }
    if (s == WS_OK && !(opts && opts->dry_run))
        s = import_ledger_errors(st, path, &rep->enc, rep->invalid ? &ki.errors : NULL,
                                 IMPORT_ERRFILE(rep));
    if (s != WS_OK && !err[0])
        snprintf(err, errsz, "%s", tr(ws_status_key(s)));
    csv_buf_free(&ki.errors);
    free(ki.seen_id);
    free(ki.seen_line);
    csv_reader_free(&rd);
    free(text);
    return s;
}
