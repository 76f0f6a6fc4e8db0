/* The contract every declared kind of record keeps: run over record_kinds[],
 * so a new kind joins by being declared. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "db.h"
#include "fts_tokenizer.h"
#include "record_internal.h"
#include "station_internal.h"
#include "wushe/catalog.h"
#include "wushe/codes.h"
#include "wushe/community.h"
#include "wushe/demo.h"
#include "wushe/embedded.h"
#include "wushe/household.h"
#include "wushe/record.h"
#include "wushe/resident.h"
#include "wushe/resources.h"

static int64_t sample_seq;

static void id_number_of(int64_t n, char out[19])
{
    char body[32];
    snprintf(body, sizeof body, "1101051980%02d%02d%03d", (int)(n % 12) + 1, (int)(n % 28) + 1,
             (int)(n % 900 + 100));
    snprintf(out, 19, "%.17s%c", body, val_id_check_char(body));
}

static int64_t sample_save(station *st, const record_kind *k);

/* A valid record of kind k, every field filled by its type. */
static void *sample_new(station *st, const record_kind *k)
{
    void *rec = calloc(1, k->size);
    assert_non_null(rec);
    record_init(k, rec);
    int64_t n = ++sample_seq;
    for (size_t i = 0; i < k->nfields; i++) {
        const field_def *f = &k->fields[i];
        char v[64] = "";
        switch (f->type) {
        case FLD_TEXT:
        case FLD_MULTILINE:
            snprintf(v, sizeof v, "样本%c%lld", (char)('A' + n % 26), (long long)n);
            break;
        case FLD_NAME: {
            /* A name a person could have (a resident's name takes Han
             * characters only): 样本 and n in Chinese digits. */
            static const char *const digits[] = {"〇", "一", "二", "三", "四",
                                                 "五", "六", "七", "八", "九"};
            char num[32] = "";
            for (int64_t m = n; m > 0; m /= 10) {
                char t[32];
                snprintf(t, sizeof t, "%s%s", digits[m % 10], num);
                snprintf(num, sizeof num, "%s", t);
            }
            snprintf(v, sizeof v, "样本%s", num);
            break;
        }
        case FLD_ID_NUMBER:
            id_number_of(n, v);
            break;
        case FLD_PHONE:
            snprintf(v, sizeof v, "1380000%04lld", (long long)(n % 10000));
            break;
        case FLD_DATE: /* a date that may be later (a next visit) comes after the others */
            /* (one day for all: a part is not dated before its case) */
            snprintf(v, sizeof v, "%s-01-15", f->flags & FF_FUTURE ? "2030" : "2020");
            break;
        case FLD_TIME: /* later fields later in the day (a start, then an end) */
            snprintf(v, sizeof v, "%02d:%02d", 6 + (int)i, (int)(n % 60));
            break;
        case FLD_CODE:
        case FLD_CODES: {
            const code_list *cl = codebook_list(station_codes(st), f->codes);
            assert_non_null(cl);
            snprintf(v, sizeof v, "%s", cl->items[0].code);
            break;
        }
        case FLD_DIGITS:
            for (int d = 0; d < f->limit && d < 63; d++)
                v[d] = (char)('0' + (n + d) % 10);
            v[f->limit < 63 ? f->limit : 63] = '\0';
            break;
        case FLD_REF: {
            /* A view of another kind's table (the staff) is written as
             * that kind. */
            const record_kind *rk = record_kind_find(field_ref(f)->name);
            int64_t ref = f->flags & FF_REQUIRED ? sample_save(st, rk ? rk : field_ref(f)) : 0;
            memcpy((char *)rec + f->offset, &ref, sizeof ref);
            continue;
        }
        case FLD_MINUTES: { /* within a day, as service time is */
            int64_t m = 1 + n % 600;
            memcpy((char *)rec + f->offset, &m, sizeof m);
            continue;
        }
        default: {
            int64_t one = f->min || f->max ? f->min + n % (f->max - f->min + 1) : n;
            int small = (int)one; /* an int member (a resident's sex) */
            if (f->size == sizeof small)
                memcpy((char *)rec + f->offset, &small, sizeof small);
            else
                memcpy((char *)rec + f->offset, &one, sizeof one);
            continue;
        }
        }
        assert_int_equal(record_parse(st, k, (int)i, v, rec), VAL_OK);
    }
    /* An issue needs the goods in stock (a purchase brings them) and, as
     * anything but the 爱心超市, no volunteer's points. */
    if (k == &kind_stock_issue) {
        stock_issue *si = rec;
        snprintf(si->use, sizeof si->use, "other");
        si->points = 0;
        si->batch[0] = '\0';
        purchase *p = sample_new(st, &kind_purchase);
        p->item_id = si->item_id;
        p->quantity = si->quantity > 0 ? si->quantity : 1;
        si->quantity = p->quantity;
        p->fund_id = 0;
        record_error pre;
        assert_int_equal(record_save(st, &kind_purchase, p, &pre), WS_OK);
        free(p);
    }
    /* A resident's ID number gives the sex and the birth date. */
    if (k == &kind_resident) {
        resident *r = rec;
        r->sex = 0;
        r->birth_date[0] = '\0';
    }
    /* A payment needs money in its fund: a donation pays it in first. */
    if (k == &kind_payment) {
        payment *p = rec;
        donation_money *m = sample_new(st, &kind_donation_money);
        m->fund_id = p->fund_id;
        m->amount = p->amount;
        record_error mre;
        assert_int_equal(record_save(st, &kind_donation_money, m, &mre), WS_OK);
        free(m);
    }
    /* A kind's own rule may want plain letters in a text field (a login):
     * such a field gets an ASCII sample instead. */
    record_error re;
    /* ... and a number in a narrower range than its field's (a year
     * evaluated between registration and today): the first that passes. */
    for (int64_t tries = 0; tries < 1000; tries++) {
        if (record_validate(st, k, rec, &re) != WS_ERR_INVALID || re.field < 0 ||
            k->fields[re.field].type != FLD_INT)
            break;
        const field_def *f = &k->fields[re.field];
        if (f->min + tries > f->max)
            break;
        int64_t v = f->min + tries;
        memcpy((char *)rec + f->offset, &v, sizeof v);
    }
    for (size_t tries = 0; tries < k->nfields; tries++) {
        if (record_validate(st, k, rec, &re) != WS_ERR_INVALID || re.field < 0 ||
            k->fields[re.field].type != FLD_TEXT)
            break;
        char v[64];
        snprintf(v, sizeof v, "s%c%lld", (char)('a' + n % 26), (long long)n);
        /* ... or none at all, when it may be left empty (a visit's other
         * members met must live in the household). */
        if (!(k->fields[re.field].flags & FF_REQUIRED))
            v[0] = '\0';
        assert_int_equal(record_parse(st, k, re.field, v, rec), VAL_OK);
    }
    /* ... and a code its own rule refuses (a mark on a session still
     * ahead, as the sample's future dates are) left out when it may be. */
    if (record_validate(st, k, rec, &re) == WS_ERR_INVALID && re.field >= 0 &&
        k->fields[re.field].type == FLD_CODE && !(k->fields[re.field].flags & FF_REQUIRED))
        assert_int_equal(record_parse(st, k, re.field, "", rec), VAL_OK);
    return rec;
}

static int64_t sample_save(station *st, const record_kind *k)
{
    void *rec = sample_new(st, k);
    record_error re;
    ws_status s = record_save(st, k, rec, &re);
    if (s != WS_OK) {
        char msg[512];
        fail_msg("%s: sample refused: %s (%s)", k->name, ws_status_name(s),
                 record_error_text(k, &re, msg, sizeof msg));
    }
    int64_t id = record_id(k, rec);
    free(rec);
    return id;
}

static int64_t count_rows(sqlite3 *h, const char *sql, const char *a, int64_t b)
{
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &q, NULL), SQLITE_OK);
    sqlite3_bind_text(q, 1, a, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 2, b);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return n;
}

static void test_table_has_every_column(void **state)
{
    testutil_station *t = *state;
    for (size_t k = 0; k < record_nkinds; k++) {
        const record_kind *kind = record_kinds[k];
        const char *must[] = {"id", "revision", "created_at", "updated_at", "deleted_at"};
        char sql[256];
        for (size_t i = 0; i < kind->nfields + 5; i++) {
            const char *col = i < kind->nfields ? kind->fields[i].column : must[i - kind->nfields];
            snprintf(sql, sizeof sql,
                     "SELECT count(*) FROM pragma_table_info('%s') WHERE name = ?1 AND ?2 = ?2",
                     kind->table);
            if (count_rows(t->raw, sql, col, 0) != 1)
                fail_msg("%s: table %s has no column %s", kind->name, kind->table, col);
        }
    }
}

static void test_labels_in_every_catalog(void **state)
{
    (void)state;
    const char *langs[] = {"locale/zh_CN.yaml", "locale/en.yaml"};
    for (size_t l = 0; l < 2; l++) {
        const embedded_file *f = embedded_find(langs[l]);
        assert_non_null(f);
        catalog *c = NULL;
        char err[256];
        assert_int_equal(catalog_parse(f->name, f->data, f->len, &c, err, sizeof err), WS_OK);
        for (size_t k = 0; k < record_nkinds; k++) {
            const record_kind *kind = record_kinds[k];
            if (!catalog_get(c, kind->label))
                fail_msg("%s lacks %s", langs[l], kind->label);
            for (size_t i = 0; i < kind->nfields; i++)
                if (!catalog_get(c, kind->fields[i].label))
                    fail_msg("%s lacks %s (%s.%s)", langs[l], kind->fields[i].label, kind->name,
                             kind->fields[i].column);
        }
        catalog_free(&c);
    }
}

/* Every ledger header names one field of its kind. */
static void test_aliases_unique(void **state)
{
    (void)state;
    for (size_t k = 0; k < record_nkinds; k++) {
        const record_kind *kind = record_kinds[k];
        char seen[64][64];
        size_t n = 0;
        for (size_t i = 0; i < kind->nfields; i++) {
            char buf[512];
            snprintf(buf, sizeof buf, "%s|%s", kind->fields[i].column,
                     kind->fields[i].aliases ? kind->fields[i].aliases : "");
            char *save = NULL;
            for (char *a = strtok_r(buf, "|", &save); a; a = strtok_r(NULL, "|", &save)) {
                for (size_t j = 0; j < n; j++)
                    if (strcmp(seen[j], a) == 0)
                        fail_msg("%s: header \"%s\" names two fields", kind->name, a);
                if (n < 64)
                    snprintf(seen[n++], sizeof seen[0], "%s", a);
            }
        }
    }
}

/* A valid sample writes its row and one insert audit row whose keys are
 * the columns; an invalid one writes nothing. */
static void test_save_audits_columns(void **state)
{
    testutil_station *t = *state;
    for (size_t k = 0; k < record_nkinds; k++) {
        const record_kind *kind = record_kinds[k];
        int64_t id = sample_save(t->st, kind);
        assert_true(id > 0);
        char sql[512];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM audit_log WHERE table_name = ?1 AND row_id = ?2"
                 " AND action = 'insert'");
        assert_int_equal(count_rows(t->raw, sql, kind->table, id), 1);
        for (size_t i = 0; i < kind->nfields; i++) {
            snprintf(sql, sizeof sql,
                     "SELECT count(*) FROM audit_log, json_each(after) WHERE table_name = '%s'"
                     " AND row_id = ?2 AND key = ?1",
                     kind->table);
            if (count_rows(t->raw, sql, kind->fields[i].column, id) != 1)
                fail_msg("%s: the audit row has no key %s", kind->name, kind->fields[i].column);
        }
        /* ... and id and deleted_at; any other key is one its audit_extra
         * adds (a resident's statuses) */
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM audit_log, json_each(after) WHERE table_name = ?1"
                 " AND row_id = ?2");
        int64_t keys = count_rows(t->raw, sql, kind->table, id), extra = 0;
        sqlite3_stmt *q = raw_prepare(t, "SELECT key FROM audit_log, json_each(after) WHERE"
                                         " row_id = ?1 AND action = 'insert'", id);
        while (sqlite3_step(q) == SQLITE_ROW) {
            const char *key = (const char *)sqlite3_column_text(q, 0);
            if (record_field_index(kind, key) >= 0 || !strcmp(key, "id") ||
                !strcmp(key, "deleted_at"))
                continue;
            char quoted[64];
            snprintf(quoted, sizeof quoted, "'%s'", key);
            if (!kind->audit_extra || !strstr(kind->audit_extra, quoted))
                fail_msg("%s: the audit row has a key %s it does not declare", kind->name, key);
            extra++;
        }
        sqlite3_finalize(q);
        assert_int_equal(keys, (int64_t)kind->nfields + 2 + extra);

        /* Invalid: a required field empty, or every text over its limit. */
        void *bad = sample_new(t->st, kind);
        bool texts = false;
        for (size_t i = 0; i < kind->nfields; i++) {
            const field_def *f = &kind->fields[i];
            if (f->type == FLD_TEXT || f->type == FLD_NAME || f->type == FLD_MULTILINE) {
                char *v = (char *)bad + f->offset;
                memset(v, 'x', f->size - 1);
                v[f->size - 1] = '\0';
                texts = true;
            }
        }
        /* A kind of references only (a case's co-worker): one left out. */
        val_status want = VAL_TOO_LONG;
        for (size_t i = 0; !texts && i < kind->nfields; i++)
            if (kind->fields[i].type == FLD_REF && (kind->fields[i].flags & FF_REQUIRED)) {
                memset((char *)bad + kind->fields[i].offset, 0, sizeof(int64_t));
                want = VAL_REQUIRED;
                break;
            }
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE ?1 = ?1 AND ?2 = ?2", kind->table);
        int64_t rows = count_rows(t->raw, sql, "", 0);
        int64_t audits = count_rows(t->raw, "SELECT count(*) FROM audit_log WHERE ?1 = ?1 AND ?2 = ?2", "", 0);
        record_error re;
        assert_int_equal(record_save(t->st, kind, bad, &re), WS_ERR_INVALID);
        /* (A kind that checks its fields in its own order may find
         * something else first: a resident's name of letters.) */
        if (!kind->own_checks)
            assert_int_equal(re.code, want);
        assert_true(re.field >= 0);
        assert_int_equal(record_id(kind, bad), 0);
        assert_int_equal(count_rows(t->raw, sql, "", 0), rows);
        assert_int_equal(count_rows(t->raw, "SELECT count(*) FROM audit_log WHERE ?1 = ?1 AND ?2 = ?2", "", 0), audits);
        free(bad);
    }
}

/* The audit row's JSON, written from the record in hand, is byte for byte
 * what SQLite reads back from the rows written (quotes, backslashes, line
 * breaks, NULLs and numbers alike), on insert and on update. */
static void audit_after_is_read_back(testutil_station *t, const record_kind *kind, int64_t id)
{
    char after[8192];
    testutil_raw_text(t->raw, "SELECT after FROM audit_log WHERE row_id = ?1 ORDER BY id DESC"
                              " LIMIT 1", id, after, sizeof after);
    char *back = NULL;
    assert_int_equal(record_audit_snapshot(t->st, kind, id, &back), WS_OK);
    assert_non_null(back);
    if (strcmp(after, back) != 0)
        fail_msg("%s: audit row\n  %s\nread back\n  %s", kind->name, after, back);
    free(back);
}

/* Every text field of rec that takes it set to a value JSON must escape. */
static size_t sample_awkward(station *st, const record_kind *k, void *rec, const char *tail)
{
    size_t set = 0;
    for (size_t i = 0; i < k->nfields; i++) {
        const field_def *f = &k->fields[i];
        if (f->type != FLD_TEXT && f->type != FLD_MULTILINE)
            continue;
        char *v = field_str(f, rec), keep[512];
        snprintf(keep, sizeof keep, "%s", v);
        snprintf(v, f->size, f->type == FLD_MULTILINE ? "引\"号\\斜/\n行%s" : "引\"号\\斜/%s",
                 tail);
        record_error re;
        if (record_validate(st, k, rec, &re) == WS_ERR_INVALID && re.field == (int)i)
            snprintf(v, f->size, "%s", keep);
        else
            set++;
    }
    return set;
}

static void test_audit_json_as_read_back(void **state)
{
    testutil_station *t = *state;
    for (size_t k = 0; k < record_nkinds; k++) {
        const record_kind *kind = record_kinds[k];
        void *rec = sample_new(t->st, kind), *plain = malloc(kind->size);
        assert_non_null(plain);
        memcpy(plain, rec, kind->size);
        size_t awkward = sample_awkward(t->st, kind, rec, "");
        record_error re;
        char msg[512];
        /* A value the write's own rules refuse (a batch with no stock)
         * goes back to the sample's, the last field first. */
        ws_status saved;
        for (size_t i = kind->nfields; (saved = record_save(t->st, kind, rec, &re)) ==
                                       WS_ERR_INVALID && i-- > 0;) {
            const field_def *f = &kind->fields[i];
            if (memcmp((char *)rec + f->offset, (char *)plain + f->offset, f->size) != 0)
                awkward--;
            memcpy((char *)rec + f->offset, (char *)plain + f->offset, f->size);
        }
        free(plain);
        if (saved != WS_OK)
            fail_msg("%s: refused: %s", kind->name, record_error_text(kind, &re, msg, sizeof msg));
        int64_t id = record_id(kind, rec);
        audit_after_is_read_back(t, kind, id);
        if (!kind->posted && awkward) {
            assert_int_equal(record_load(t->st, kind, id, rec), WS_OK);
            sample_awkward(t->st, kind, rec, "改");
            if (record_save(t->st, kind, rec, &re) != WS_OK)
                fail_msg("%s: update refused: %s", kind->name,
                         record_error_text(kind, &re, msg, sizeof msg));
            audit_after_is_read_back(t, kind, id);
        }
        free(rec);
    }
}

/* Every kind's records, saved in Chinese, keep the terms they would be
 * given now in either language: wushe check finds nothing wrong under
 * --lang en (its terms once held the labels of the language they were
 * saved in). */
static void test_terms_any_language(void **state)
{
    testutil_station *t = *state;
    for (size_t k = 0; k < record_nkinds; k++)
        sample_save(t->st, record_kinds[k]);
    assert_int_equal(record_ensure(t->st), WS_OK); /* as every open for writing */
    station_index_report ir;
    char err[256];
    for (int i = 0; i < 2; i++) {
        assert_int_equal(i18n_init(i ? "en" : "zh_CN", err, sizeof err), WS_OK);
        assert_int_equal(station_check_index(t->st, &ir), WS_OK);
        if (ir.term_problems)
            fail_msg("%s: %lld term problems", i ? "en" : "zh_CN", (long long)ir.term_problems);
    }
    assert_int_equal(i18n_init("zh_CN", err, sizeof err), WS_OK);
}

/* Delete is soft and audited; restore brings it back, audited. */
static void test_delete_soft_and_restore(void **state)
{
    testutil_station *t = *state;
    for (size_t k = 0; k < record_nkinds; k++) {
        const record_kind *kind = record_kinds[k];
        int64_t id = sample_save(t->st, kind);
        record_error re;
        char sql[256];
        if (record_can_delete(t->st, kind, id, &re) == WS_ERR_INVALID) {
            /* A kind that is never deleted (accounts): refused, nothing written. */
            assert_int_equal(record_delete(t->st, kind, id, &re), WS_ERR_INVALID);
            assert_int_equal(count_rows(t->raw, "SELECT count(*) FROM audit_log WHERE"
                                                " table_name = ?1 AND row_id = ?2 AND action = 'delete'",
                                        kind->table, id), 0);
            continue;
        }
        assert_int_equal(record_delete(t->st, kind, id, &re), WS_OK);
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM %s WHERE id = ?2 AND deleted_at IS NOT NULL AND ?1 = ?1",
                 kind->table);
        assert_int_equal(count_rows(t->raw, sql, "", id), 1);
        assert_int_equal(count_rows(t->raw, "SELECT count(*) FROM audit_log WHERE table_name = ?1"
                                            " AND row_id = ?2 AND action = 'delete'",
                                    kind->table, id), 1);
        void *rec = calloc(1, kind->size);
        assert_int_equal(record_load(t->st, kind, id, rec), WS_ERR_NOT_FOUND);
        assert_int_equal(record_delete(t->st, kind, id, &re), WS_ERR_NOT_FOUND);
        record_row rows[4];
        size_t n = 0;
        assert_int_equal(record_list(t->st, kind, NULL, true, 0, 1, rows, 4, &n), WS_OK);
        bool listed = false;
        for (size_t i = 0; i < n; i++)
            listed |= rows[i].id == id;
        assert_true(listed);
        ws_status rs = record_restore(t->st, kind, id, &re);
        if (rs != WS_OK) {
            char msg[512];
            fail_msg("%s: restore refused: %s (%s)", kind->name, ws_status_name(rs),
                     record_error_text(kind, &re, msg, sizeof msg));
        }
        assert_int_equal(record_load(t->st, kind, id, rec), WS_OK);
        assert_int_equal(count_rows(t->raw, "SELECT count(*) FROM audit_log WHERE table_name = ?1"
                                            " AND row_id = ?2 AND action = 'update'"
                                            " AND json_extract(before, '$.deleted_at') IS NOT NULL"
                                            " AND json_extract(after, '$.deleted_at') IS NULL",
                                    kind->table, id), 1);
        free(rec);
    }
}

static void test_paging_both_ways(void **state)
{
    testutil_station *t = *state;
    enum { N = 23, PAGE = 5 };
    for (size_t k = 0; k < record_nkinds; k++) {
        const record_kind *kind = record_kinds[k];
        for (int i = 0; i < N; i++)
            sample_save(t->st, kind);
        int64_t total = 0;
        if (record_count(t->st, kind, NULL, &total) != WS_OK)
            fail_msg("%s: %s", kind->name, db_errmsg(station_db(t->st)));
        int64_t *fwd = calloc((size_t)total + PAGE, sizeof *fwd);
        size_t nf = 0, n = 0;
        int64_t after = 0;
        record_row rows[PAGE];
        do {
            assert_int_equal(record_list(t->st, kind, NULL, false, after, 1, rows, PAGE, &n), WS_OK);
            for (size_t i = 0; i < n; i++)
                fwd[nf++] = rows[i].id;
            after = n ? rows[n - 1].id : after;
        } while (n == PAGE);
        assert_int_equal((int64_t)nf, total);
        size_t nb = 0;
        after = 0;
        do {
            assert_int_equal(record_list(t->st, kind, NULL, false, after, -1, rows, PAGE, &n), WS_OK);
            for (size_t i = 0; i < n; i++, nb++)
                assert_int_equal(rows[i].id, fwd[nf - 1 - nb]);
            after = n ? rows[n - 1].id : after;
        } while (n == PAGE);
        assert_int_equal(nb, nf);
        free(fwd);
    }
}

static char *own_index_dump(testutil_station *t);

/* The search box finds a record by a searchable field; a rebuild of the
 * index gives the same terms. */
static void test_search_and_rebuild(void **state)
{
    testutil_station *t = *state;
    for (size_t k = 0; k < record_nkinds; k++) {
        const record_kind *kind = record_kinds[k];
        void *rec = sample_new(t->st, kind);
        record_error re;
        assert_int_equal(record_save(t->st, kind, rec, &re), WS_OK);
        const field_def *f = &kind->fields[kind->title_field];
        /* (A kind with its own index is searched by its own list.) */
        if ((f->flags & FF_SEARCH) && !kind->own_search) {
            record_row rows[4];
            size_t n = 0;
            const char *title = (const char *)rec + f->offset;
            assert_int_equal(record_list(t->st, kind, title, false, 0, 1, rows, 4, &n), WS_OK);
            assert_int_equal(n, 1);
            assert_int_equal(rows[0].id, record_id(kind, rec));
        }
        free(rec);
    }
    const char *sum = "SELECT count(*) || ':' || coalesce(sum(length(term) * (id % 1000)), 0)"
                      " FROM record_terms WHERE ?1 = ?1 AND ?2 = ?2";
    sqlite3_stmt *q = NULL;
    char before[64], after[64];
    assert_int_equal(sqlite3_prepare_v2(t->raw, sum, -1, &q, NULL), SQLITE_OK);
    sqlite3_bind_text(q, 1, "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, 0);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    snprintf(before, sizeof before, "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_reset(q);
    assert_int_equal(record_reindex(t->st), WS_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    snprintf(after, sizeof after, "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    assert_string_equal(before, after);
    assert_string_not_equal(before, "0:0");
    /* A kind with its own index: each record indexed again by its reindex
     * hook gives the same postings. */
    for (size_t k = 0; k < record_nkinds; k++) {
        const record_kind *kind = record_kinds[k];
        if (!kind->own_search)
            continue;
        assert_non_null(kind->hooks.reindex);
        char *was = own_index_dump(t);
        assert_string_not_equal(was, "");
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE deleted_at IS NULL", kind->table);
        sqlite3_stmt *ids = raw_prepare(t, sql, 0);
        assert_int_equal(db_begin(station_db(t->st)), WS_OK);
        while (sqlite3_step(ids) == SQLITE_ROW)
            assert_int_equal(kind->hooks.reindex(t->st, sqlite3_column_int64(ids, 0)), WS_OK);
        sqlite3_finalize(ids);
        assert_int_equal(db_commit(station_db(t->st)), WS_OK);
        char *now = own_index_dump(t);
        assert_string_equal(was, now);
        free(was);
        free(now);
    }
}

/* Two consoles load the same record; the second save is refused, naming
 * who saved first, and nothing of it is written. */
static void test_stale_save_refused(void **state)
{
    testutil_station *t = *state;
    station *other = NULL;
    char err[256];
    assert_int_equal(station_open(t->path, STATION_TRUSTED, NULL, &other, err, sizeof err), WS_OK);
    station_set_actor(other, "李四");
    for (size_t k = 0; k < record_nkinds; k++) {
        const record_kind *kind = record_kinds[k];
        int64_t id = sample_save(t->st, kind);
        void *mine = calloc(1, kind->size), *theirs = calloc(1, kind->size);
        assert_int_equal(record_load(t->st, kind, id, mine), WS_OK);
        assert_int_equal(record_load(other, kind, id, theirs), WS_OK);
        record_error re;
        if (kind->posted) {
            /* A posted entry is never saved again, by anyone: nothing written. */
            int64_t audits = count_rows(t->raw, "SELECT count(*) FROM audit_log WHERE"
                                                " table_name = ?1 AND row_id = ?2", kind->table, id);
            assert_int_equal(record_save(other, kind, theirs, &re), WS_ERR_INVALID);
            assert_int_equal(re.code, VAL_POSTED);
            assert_int_equal(record_save(t->st, kind, mine, &re), WS_ERR_INVALID);
            assert_int_equal(count_rows(t->raw, "SELECT count(*) FROM audit_log WHERE"
                                                " table_name = ?1 AND row_id = ?2", kind->table, id),
                             audits);
            free(mine);
            free(theirs);
            continue;
        }
        /* Theirs changes every field (a save that changes nothing writes
         * nothing, and leaves the revision alone). */
        void *fresh = sample_new(other, kind);
        int64_t rev = record_revision(kind, theirs);
        memcpy((char *)fresh + kind->id_offset, &id, sizeof id);
        memcpy((char *)fresh + kind->revision_offset, &rev, sizeof rev);
        assert_int_equal(record_save(other, kind, fresh, &re), WS_OK);
        free(fresh);
        int64_t audits = count_rows(t->raw, "SELECT count(*) FROM audit_log WHERE table_name = ?1"
                                            " AND row_id = ?2", kind->table, id);
        assert_int_equal(record_save(t->st, kind, mine, &re), WS_ERR_STALE);
        assert_non_null(strstr(re.detail, "李四"));
        assert_int_equal(count_rows(t->raw, "SELECT count(*) FROM audit_log WHERE table_name = ?1"
                                            " AND row_id = ?2", kind->table, id), audits);
        /* Loaded again, it saves. */
        assert_int_equal(record_load(t->st, kind, id, mine), WS_OK);
        assert_int_equal(record_save(t->st, kind, mine, &re), WS_OK);
        free(mine);
        free(theirs);
    }
    station_close(&other);
}

/* A new record's history names what was filled in, not its empty fields
 * (clerk's trial: 区划代码 listed for a community without one). */
static void test_history_insert_names_filled(void **state)
{
    testutil_station *t = *state;
    community c;
    memset(&c, 0, sizeof c);
    snprintf(c.name, sizeof c.name, "西山村");
    record_error re;
    assert_int_equal(record_save(t->st, &kind_community, &c, &re), WS_OK);
    record_change ch[4];
    size_t n = 0;
    assert_int_equal(record_history(t->st, "communities", c.id, ch, 4, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_string_equal(ch[0].fields, "name,kind");
    record_field_change fc[8];
    assert_int_equal(record_change_details(t->st, &kind_community, ch[0].audit_id, fc, 8, &n),
                     WS_OK);
    assert_int_equal(n, 2);
}

/* The lines (kind, term, id) of a select, in order, one a line (malloc'd). */
static char *lines_dump(testutil_station *t, const char *select)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT coalesce(group_concat(line, char(10)), '') FROM (%s)",
             select);
    sqlite3_stmt *q = raw_prepare(t, sql, 0);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    char *dump = strdup((const char *)sqlite3_column_text(q, 0));
    assert_non_null(dump);
    sqlite3_finalize(q);
    return dump;
}

/* Every row of record_terms in key order. */
static char *terms_dump(testutil_station *t)
{
    return lines_dump(t, "SELECT kind || ' ' || hex(term) || ' ' || id AS line"
                         " FROM record_terms ORDER BY kind, term, id");
}

/* The residents' own postings. */
static char *own_index_dump(testutil_station *t)
{
    return lines_dump(t, "SELECT term || ' ' || hex(ord) || ' ' || seq AS line"
                         " FROM search_names ORDER BY 1");
}

/* Every record's term set names exactly its rows of record_terms: what a
 * delete or a rewrite removes is what was written. */
static void assert_sets_match_raw(sqlite3 *raw)
{
    sqlite3_stmt *q = testutil_raw_prepare(raw, "SELECT kind, id, terms FROM record_term_sets", 0);
    int64_t named = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        const unsigned char *b = sqlite3_column_blob(q, 2);
        size_t n = (size_t)sqlite3_column_bytes(q, 2);
        for (size_t at = 0; at < n;) {
            size_t len = b[at++];
            assert_true(len > 0 && len <= n - at);
            sqlite3_stmt *one = testutil_raw_prepare(raw, "SELECT count(*) FROM record_terms"
                                                          " WHERE kind = ?1 AND term = ?2"
                                                          " AND id = ?3", 0);
            sqlite3_bind_value(one, 1, sqlite3_column_value(q, 0));
            sqlite3_bind_text(one, 2, (const char *)b + at, (int)len, SQLITE_TRANSIENT);
            sqlite3_bind_int64(one, 3, sqlite3_column_int64(q, 1));
            assert_int_equal(sqlite3_step(one), SQLITE_ROW);
            assert_int_equal(sqlite3_column_int(one, 0), 1);
            sqlite3_finalize(one);
            named++;
            at += len;
        }
    }
    sqlite3_finalize(q);
    /* (A term named twice in one set is counted twice above.) */
    assert_true(named >= testutil_raw_int(raw, "SELECT count(*) FROM record_terms", 0));
    assert_int_equal(testutil_raw_int(raw, "SELECT count(*) FROM record_terms r WHERE NOT"
                                           " EXISTS (SELECT 1 FROM record_term_sets s"
                                           " WHERE s.kind = r.kind AND s.id = r.id)", 0), 0);
}

static void assert_sets_match(testutil_station *t)
{
    assert_sets_match_raw(t->raw);
}

/* Whether the search box, given filter, lists the record id of kind k. */
static bool found_id(station *st, const record_kind *k, const char *filter, int64_t id)
{
    record_row rows[64];
    size_t n = 0;
    assert_int_equal(record_list(st, k, filter, false, 0, 1, rows, 64, &n), WS_OK);
    for (size_t i = 0; i < n; i++)
        if (rows[i].id == id)
            return true;
    return false;
}

/* A record of kind k found by its title in the search box (n rows). */
static size_t found_by_title(station *st, const record_kind *k, const char *title)
{
    record_row rows[4];
    size_t n = 0;
    assert_int_equal(record_list(st, k, title, false, 0, 1, rows, 4, &n), WS_OK);
    return n;
}

/* A bulk load (demo, import) holds the terms back and writes them sorted
 * at its commit: for every kind the same rows as a rebuild, with a record
 * saved again under another title (its old terms must go) and one deleted
 * in the load. With look, the search box finds each record inside the load
 * (which writes the batch first); without, the second save and the delete
 * find the record's terms still in the batch. */
static void bulk_terms_as_reindex(testutil_station *t, bool look)
{
    db *d = station_db(t->st);
    assert_int_equal(db_begin(d), WS_OK);
    db_set_bulk(d, true);
    for (size_t k = 0; k < record_nkinds; k++) {
        const record_kind *kind = record_kinds[k];
        const field_def *f = &kind->fields[kind->title_field];
        void *rec = sample_new(t->st, kind);
        record_error re;
        assert_int_equal(record_save(t->st, kind, rec, &re), WS_OK);
        /* (a title that is a reference, a case's co-worker, is no text) */
        bool text_title = f->type != FLD_REF && f->type != FLD_INT && f->type != FLD_MONEY &&
                          f->type != FLD_MINUTES;
        char *title = (char *)rec + f->offset, old[64] = "";
        if (text_title)
            snprintf(old, sizeof old, "%s", title);
        /* (A kind with its own index is searched by its own list.) */
        bool terms = (f->flags & FF_SEARCH) && !kind->own_search;
        if (terms && look)
            assert_int_equal(found_by_title(t->st, kind, old), 1);
        /* Another title, in plain letters for a kind that wants them (a login). */
        char renamed[80] = "";
        /* (A derived title, a case's number, is not typed: it stays.) */
        for (int plain = 0; f->type != FLD_REF && !(f->flags & FF_NO_FORM) && !renamed[0] &&
                            plain < 2;
             plain++) {
            snprintf(renamed, sizeof renamed, plain ? "renamed%zu" : "更名%zu", k);
            if (record_parse(t->st, kind, kind->title_field, renamed, rec) != VAL_OK ||
                record_validate(t->st, kind, rec, &re) != WS_OK)
                renamed[0] = '\0';
        }
        if (renamed[0] && !kind->posted) {
            assert_int_equal(record_save(t->st, kind, rec, &re), WS_OK);
            if (terms && look) /* the old title's terms: the rebuild below */
                assert_int_equal(found_by_title(t->st, kind, renamed), 1);
        }
        free(rec);
        int64_t gone = sample_save(t->st, kind);
        if (record_can_delete(t->st, kind, gone, &re) == WS_OK)
            assert_int_equal(record_delete(t->st, kind, gone, &re), WS_OK);
    }
    assert_int_equal(db_commit(d), WS_OK);
    db_set_bulk(d, false);
    char *bulk = terms_dump(t);
    assert_sets_match(t);
    assert_int_equal(record_reindex(t->st), WS_OK);
    char *rebuilt = terms_dump(t);
    assert_sets_match(t);
    assert_string_not_equal(bulk, "");
    assert_string_equal(bulk, rebuilt);
    free(bulk);
    free(rebuilt);
}

static void test_bulk_terms_as_reindex(void **state)
{
    bulk_terms_as_reindex(*state, true);
}

static void test_bulk_terms_unseen_as_reindex(void **state)
{
    bulk_terms_as_reindex(*state, false);
}

/* A save that changes nothing inside a bulk load does not undo anything
 * (an inner level undone there fails the whole load at its commit). */
static void test_bulk_same_save(void **state)
{
    testutil_station *t = *state;
    db *d = station_db(t->st);
    for (size_t k = 0; k < record_nkinds; k++) {
        const record_kind *kind = record_kinds[k];
        int64_t id = sample_save(t->st, kind);
        void *rec = calloc(1, kind->size);
        assert_int_equal(record_load(t->st, kind, id, rec), WS_OK);
        assert_int_equal(db_begin(d), WS_OK);
        db_set_bulk(d, true);
        record_error re;
        /* (A posted entry is refused before anything is written.) */
        assert_int_equal(record_save(t->st, kind, rec, &re),
                         kind->posted ? WS_ERR_INVALID : WS_OK);
        assert_int_equal(db_commit(d), WS_OK);
        db_set_bulk(d, false);
        free(rec);
    }
}

/* The demo fill is a bulk load whose households get their heads after
 * them (the head's name terms come apart): its terms are a rebuild's, and
 * each head is audited once. */
static void test_demo_terms_as_reindex(void **state)
{
    testutil_station *t = *state;
    demo_opts opts = {.residents = 400, .seed = 5};
    assert_int_equal(demo_generate(t->st, &opts), WS_OK);
    int64_t headed = raw_int(t, "SELECT count(*) FROM households WHERE head_id IS NOT NULL", 0);
    assert_true(headed > 100);
    /* Each household's head is audited as it comes, once. */
    assert_int_equal(raw_int(t, "SELECT count(*) FROM audit_log WHERE table_name = 'households'"
                                " AND action = 'update'", 0), headed);
    char *bulk = terms_dump(t);
    assert_sets_match(t);
    assert_int_equal(record_reindex(t->st), WS_OK);
    char *rebuilt = terms_dump(t);
    assert_sets_match(t);
    assert_string_equal(bulk, rebuilt);
    free(bulk);
    free(rebuilt);
}

/* A station file made at schema version 8 (the migrations up to 0008,
 * record_terms with its (kind, id) index and rows of the old cut) opened
 * by this version: migrated, its terms built again, and the search box
 * finds the household by number, tail, address fragment and head (name,
 * pinyin, initials), and the community by name. */
static void test_terms_from_version_8(void **state)
{
    testutil_station *t = *state;
    char *path = testutil_path(t->dir, "v8.db");
    sqlite3 *rw = NULL;
    assert_int_equal(sqlite3_open_v2(path, &rw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                     SQLITE_OK);
    assert_int_equal(fts_tokenizer_register(rw), WS_OK); /* 0002's search_fts */
    for (int v = 1; v <= 8; v++)
        for (size_t i = 0; i < embedded_count; i++) {
            char want[32];
            snprintf(want, sizeof want, "schema/%04d_", v);
            if (strncmp(embedded_files[i].name, want, strlen(want)) == 0)
                assert_int_equal(sqlite3_exec(rw, embedded_files[i].data, NULL, NULL, NULL),
                                 SQLITE_OK);
        }
    assert_int_equal(sqlite3_exec(rw,
        "INSERT INTO communities(id, name, sort_key, created_at, updated_at)"
        " VALUES (1, '柳河社区', x'', '2026-11-01', '2026-11-01');"
        "INSERT INTO households(id, number, community_id, head_id, address, created_at,"
        " updated_at) VALUES (2, 'H00042', 1, 3, '柳河社区学堂湾3组12号', '2026-11-01',"
        " '2026-11-01');"
        "INSERT INTO residents(id, name, community_id, household_id, relation, sort_key,"
        " created_at, updated_at) VALUES (3, '欧阳翠花', 1, 2, 'head', x'', '2026-11-01',"
        " '2026-11-01');"
        "INSERT INTO record_terms VALUES ('household', 'h00042', 2), ('household', 'h', 2),"
        " ('community', '柳河', 1);"
        "INSERT INTO settings(key, value) VALUES ('record_terms_version',"
        " '2;community,name,code;household+,number,address');"
        "PRAGMA user_version = 8;", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(rw);

    station *st = NULL;
    char err[256];
    assert_int_equal(station_open(path, STATION_TRUSTED, NULL, &st, err, sizeof err), WS_OK);
    station_set_actor(st, "tester");
    assert_int_equal(record_ensure(st), WS_OK);
    sqlite3 *raw = NULL;
    assert_int_equal(sqlite3_open_v2(path, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(testutil_raw_int(raw, "PRAGMA user_version", 0), db_schema_version());
    assert_int_equal(testutil_raw_int(raw, "SELECT count(*) FROM sqlite_master"
                                           " WHERE name = 'record_terms_row'", 0), 0);
    /* The old cut's rows are gone (a number is its prefix and tails now). */
    assert_int_equal(testutil_raw_int(raw, "SELECT count(*) FROM record_terms"
                                           " WHERE term IN ('h', 'h00042')", 0), 0);
    assert_sets_match_raw(raw);
    sqlite3_close(raw);
    const char *finds[] = {"H0004", "h00042", "042", "学堂湾3", "堂湾", "欧阳翠花", "翠花",
                           "ouyang", "oych"};
    for (size_t i = 0; i < sizeof finds / sizeof finds[0]; i++)
        if (!found_id(st, &kind_household, finds[i], 2))
            fail_msg("the household is not found by %s", finds[i]);
    assert_false(found_id(st, &kind_household, "0000000", 2));
    assert_false(found_id(st, &kind_household, "学堂湾4组", 2));
    assert_false(found_id(st, &kind_household, "00042x", 2));
    assert_true(found_id(st, &kind_community, "柳河", 1));
    assert_true(found_id(st, &kind_community, "河社", 1));
    station_close(&st);
    free(path);
}

/* Terms held back are written by nothing but the commit: a bulk load
 * rolled back leaves none, and an inner level that held some back and
 * failed fails the load, as a row it wrote would. */
static void test_bulk_terms_rollback(void **state)
{
    testutil_station *t = *state;
    db *d = station_db(t->st);
    int64_t before = raw_int(t, "SELECT count(*) FROM record_terms", 0);
    assert_int_equal(db_begin(d), WS_OK);
    db_set_bulk(d, true);
    sample_save(t->st, record_kinds[0]);
    db_rollback(d);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM record_terms", 0), before);
    assert_int_equal(db_begin(d), WS_OK);
    assert_int_equal(db_begin(d), WS_OK);
    assert_int_equal(record_terms_add_text(t->st, record_kinds[0], 12345, "张三"), WS_OK);
    db_rollback(d);
    assert_int_not_equal(db_commit(d), WS_OK);
    db_set_bulk(d, false);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM record_terms", 0), before);
}

static int setup(void **state)
{
    testutil_station *t = testutil_station_open(true);
    *state = t;
    return t ? 0 : -1;
}

static int teardown(void **state)
{
    testutil_station *t = *state;
    testutil_station_close(&t);
    return 0;
}

/* Every kind parses a value into the one form a save stores, whoever
 * typed it and however (a form, a ledger's cell): an import matches and
 * compares on it. */
static void test_parse_stores_one_form(void **state)
{
    testutil_station *t = *state;
    station *st = t->st;
    char body[18] = "", idx[19], lower[24];
    for (int n = 100; n < 1000; n++) {
        snprintf(body, sizeof body, "11010519800101%03d", n);
        if (val_id_check_char(body) == 'X')
            break;
    }
    snprintf(idx, sizeof idx, "%sX", body);
    snprintf(lower, sizeof lower, " %sx", body);
    static const struct {
        fld_type type;
        const char *typed, *stored;
    } cases[] = {
        {FLD_DATE, "2026/1/5", "2026-01-05"},
        {FLD_DATE, "2026年1月5日", "2026-01-05"},
        {FLD_DATE, "20260105", "2026-01-05"},
        {FLD_PHONE, "138-1234-0006", "13812340006"},
        {FLD_TIME, "8:30", "08:30"},
        {FLD_TEXT, "  门口有台阶 ", "门口有台阶"},
        {FLD_NAME, " 王小明 ", "王小明"},
    };
    size_t checked = 0;
    for (size_t ki = 0; ki < record_nkinds; ki++) {
        const record_kind *k = record_kinds[ki];
        void *rec = calloc(1, k->size);
        assert_non_null(rec);
        for (size_t i = 0; i < k->nfields; i++) {
            const field_def *f = &k->fields[i];
            for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
                if (cases[c].type != f->type || strlen(cases[c].stored) >= f->size)
                    continue;
                record_init(k, rec);
                assert_int_equal(record_parse(st, k, (int)i, cases[c].typed, rec), VAL_OK);
                if (strcmp(field_str(f, rec), cases[c].stored) != 0)
                    fail_msg("%s.%s: \"%s\" stored as \"%s\", not \"%s\"", k->name,
                             f->column, cases[c].typed, field_str(f, rec), cases[c].stored);
                checked++;
            }
            if (f->type == FLD_ID_NUMBER) {
                record_init(k, rec);
                assert_int_equal(record_parse(st, k, (int)i, lower, rec), VAL_OK);
                assert_string_equal(field_str(f, rec), idx);
                checked++;
            }
        }
        free(rec);
    }
    assert_true(checked > 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_table_has_every_column, setup, teardown),
        cmocka_unit_test(test_labels_in_every_catalog),
        cmocka_unit_test(test_aliases_unique),
        cmocka_unit_test_setup_teardown(test_save_audits_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_json_as_read_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_terms_any_language, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delete_soft_and_restore, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paging_both_ways, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search_and_rebuild, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stale_save_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_history_insert_names_filled, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bulk_terms_unseen_as_reindex, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bulk_terms_as_reindex, setup, teardown),
        cmocka_unit_test_setup_teardown(test_demo_terms_as_reindex, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bulk_terms_rollback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bulk_same_save, setup, teardown),
        cmocka_unit_test_setup_teardown(test_terms_from_version_8, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_stores_one_form, setup, teardown),
    };
    return testutil_run(tests);
}
