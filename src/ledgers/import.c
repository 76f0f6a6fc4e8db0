#include "wushe/casework.h"
#include "wushe/import.h"
#include "wushe/workbook.h"
#include "wushe/access.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "ids.h"
#include "import_internal.h"
#include "resident_internal.h"
#include "search.h"
#include "station_internal.h"
#include "wushe/catalog.h"
#include "wushe/codes.h"
#include "wushe/community.h"
#include "wushe/csv.h"
#include "wushe/household.h"
#include "household_internal.h"
#include "wushe/record.h"
#include "wushe/text.h"

/* ---- column headers ---- */

/* The ledger columns: a resident's own are kind_resident's fields (their
 * label and header aliases, after import_header_norm: folded, no spaces,
 * punctuation, required-field stars or a parenthesised note); the
 * statuses' (child rows) and the columns skipped have theirs here. */
static const struct {
    import_field field;
    int column;          /* resident_field of kind_resident, RF_NONE: names */
    const char *names;   /* '|'-separated */
    const char *label;   /* catalog key, NULL: the field's */
} import_columns[] = {
    {IMP_NAME, RF_NAME, NULL, NULL},
    {IMP_SEX, RF_SEX, NULL, NULL},
    {IMP_ID_NUMBER, RF_ID_NUMBER, NULL, NULL},
    {IMP_BIRTH_DATE, RF_BIRTH_DATE, NULL, NULL},
    {IMP_PHONE, RF_PHONE, NULL, NULL},
    {IMP_ETHNICITY, RF_ETHNICITY, NULL, NULL},
    {IMP_COMMUNITY, RF_COMMUNITY, NULL, NULL},
    /* The ledger holds the household's number. */
    {IMP_HOUSEHOLD, RF_HOUSEHOLD, NULL, "field.number"},
    {IMP_RELATION, RF_RELATION, NULL, NULL},
    {IMP_ADDRESS, RF_ADDRESS, NULL, NULL},
    {IMP_GROUPS, RF_NONE, "人员类别|类别|困难类别|对象类别|人员类型|救助类别|服务对象类别|困难群体|"
                          "困难类型|对象类型|groups|group|category|categories", "field.groups"},
    {IMP_DISABILITY_TYPE, RF_NONE, "残疾类别|残疾类型|残疾种类|致残类别|disabilitytype",
     "field.disability_type"},
    {IMP_DISABILITY_GRADE, RF_NONE, "残疾等级|残疾级别|disabilitygrade|disabilitylevel",
     "field.disability_grade"},
    {IMP_DISABILITY_CERT, RF_NONE, "残疾证号|残疾证号码|残疾人证号|残疾人证号码|残疾证编号|"
                                   "disabilitycertificate|disabilitycertificateno|"
                                   "disabilitycertno", "field.disability_cert"},
    {IMP_NOTES, RF_NOTES, NULL, NULL},
    {IMP_SKIP, RF_NONE, "序号|编号|行号|年龄|错误原因|no|#|age|error|reason", "import.field_skip"},
};
#define IMPORT_NCOLUMNS (sizeof import_columns / sizeof import_columns[0])

/* Whether norm (n bytes) is one of names ('|'-separated). */
static bool import_names_have(const char *names, const char *norm, size_t n)
{
    for (const char *p = names; p && *p;) {
        const char *e = strchr(p, '|');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && memcmp(p, norm, n) == 0)
            return true;
        p += len + (e ? 1 : 0);
    }
    return false;
}

/* Whether a normalised header names column i: its names, or the field's
 * column and aliases. */
static bool import_column_is(size_t i, const char *norm, size_t n)
{
    int c = import_columns[i].column;
    if (c == RF_NONE)
        return import_names_have(import_columns[i].names, norm, n);
    const field_def *f = &kind_resident.fields[c];
    return import_names_have(f->column, norm, n) || import_names_have(f->aliases, norm, n);
}

const char *import_field_key(import_field f)
{
    for (size_t i = 0; i < IMPORT_NCOLUMNS; i++) {
        if (import_columns[i].field != f)
            continue;
        return import_columns[i].label ? import_columns[i].label
                                       : kind_resident.fields[import_columns[i].column].label;
    }
    return "import.field_unknown";
}

static const char *const import_skip_keys[IMPORT_SKIP_REASON_COUNT] = {
    [IMPORT_SKIP_TOTAL] = "import.skip_total",   [IMPORT_SKIP_FOOTER] = "import.skip_footer",
    [IMPORT_SKIP_TITLE] = "import.skip_title",   [IMPORT_SKIP_HEADER] = "import.skip_header",
};

const char *import_skip_key(import_skip_reason r)
{
    return (unsigned)r < IMPORT_SKIP_REASON_COUNT ? import_skip_keys[r] : "import.skip_total";
}

void import_header_norm(const char *header, char *out, size_t outsz)
{
    char *f = text_fold(header);
    const char *s = f ? f : header;
    size_t o = 0;
    for (size_t i = 0; s[i] && o + 4 < outsz; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '(' || c == '[')
            break; /* "身份证号(18位)" */
        if (strchr(" \t\r\n*._-:/\\'\"", c) || c < 0x20)
            continue;
        /* U+FEFF (a BOM left in a field), U+3000 and ideographic punctuation
         * that NFKC keeps: 、 ： */
        if (!strncmp(s + i, "\xef\xbb\xbf", 3) || !strncmp(s + i, "\xe3\x80\x80", 3) ||
            !strncmp(s + i, "\xe3\x80\x81", 3)) {
            i += 2;
            continue;
        }
        if (!strncmp(s + i, "\xe3\x80\x90", 3)) /* 【 */
            break;
        out[o++] = (char)c;
    }
    out[o] = '\0';
    free(f);
}

import_field import_header_field(const char *header)
{
    char norm[256];
    import_header_norm(header, norm, sizeof norm);
    if (!norm[0])
        return IMP_NONE;
    size_t n = strlen(norm);
    for (size_t i = 0; i < IMPORT_NCOLUMNS; i++)
        if (import_column_is(i, norm, n))
            return import_columns[i].field;
    return IMP_NONE;
}

/* ---- small helpers ---- */

/* Cut a string that snprintf may have cut in a UTF-8 sequence. */
static void import_utf8_fix(char *s)
{
    size_t n = strlen(s);
    size_t i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i > 0 && ((unsigned char)s[i - 1] & 0x80)) {
        unsigned char lead = (unsigned char)s[i - 1];
        size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (n - (i - 1) < want)
            s[i - 1] = '\0';
    }
}

/* Copy s into out, cut at a UTF-8 boundary when it does not fit. */
static void import_copy(char *out, size_t outsz, const char *s)
{
    size_t n = strlen(s);
    if (n >= outsz) {
        n = outsz - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(out, s, n);
    out[n] = '\0';
}

/* Sanitised, width-limited copy for messages. */
static void import_show(const char *s, int cols, char *out, size_t outsz)
{
    char buf[512];
    text_fit(s ? s : "", cols, false, buf, sizeof buf);
    import_copy(out, outsz, buf);
}

static bool import_is_space(const char *s, size_t *len)
{
    if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') {
        *len = 1;
        return true;
    }
    if (!strncmp(s, "\xe3\x80\x80", 3)) { /* U+3000 */
        *len = 3;
        return true;
    }
    return false;
}

/* Trim spaces and tabs (Excel exports put a tab before long numbers), an
 * Excel text apostrophe or a ="..." formula wrapper; copy into out. false
 * when it does not fit. */
static bool import_clean(const char *in, bool strip_quote, char *out, size_t outsz)
{
    size_t k;
    while (*in && import_is_space(in, &k))
        in += k;
    size_t n = strlen(in);
    while (n > 0) {
        if (in[n - 1] == ' ' || in[n - 1] == '\t' || in[n - 1] == '\r' || in[n - 1] == '\n')
            n--;
        else if (n >= 3 && !strncmp(in + n - 3, "\xe3\x80\x80", 3))
            n -= 3;
        else
            break;
    }
    if (strip_quote) {
        if (n >= 3 && in[0] == '=' && in[1] == '"' && in[n - 1] == '"') {
            in += 2;
            n -= 3;
        } else if (n >= 1 && in[0] == '\'') {
            in++;
            n--;
        }
    }
    if (n >= outsz)
        return false;
    memcpy(out, in, n);
    out[n] = '\0';
    return true;
}

static bool import_label_eq(const char *a, const char *b)
{
    return a && b && *a && strcasecmp(a, b) == 0;
}

/* A code of list by its code, label or short label in either language. */
static const code_item *import_code_lookup(station *st, const char *list, const char *v)
{
    const code_list *cl = codebook_list(station_codes(st), list);
    if (!cl || !*v)
        return NULL;
    for (size_t i = 0; i < cl->n; i++) {
        const code_item *it = &cl->items[i];
        if (import_label_eq(it->code, v) || import_label_eq(it->zh_CN, v) ||
            import_label_eq(it->short_zh_CN, v) || import_label_eq(it->en, v) ||
            import_label_eq(it->short_en, v))
            return it;
    }
    return NULL;
}

static const char *import_synonym(const char *const (*table)[2], size_t n, const char *v)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(table[i][0], v) == 0)
            return table[i][1];
    return NULL;
}

/* Words of ledgers for relations to the head of household. */
static const char *const import_relation_words[][2] = {
    {"本人", "head"},      {"户主本人", "head"},   {"妻", "spouse"},      {"妻子", "spouse"},
    {"夫", "spouse"},      {"丈夫", "spouse"},     {"老伴", "spouse"},    {"儿子", "son"},
    {"长子", "son"},       {"次子", "son"},        {"三子", "son"},       {"养子", "son"},
    {"继子", "son"},       {"独子", "son"},        {"女儿", "daughter"},  {"长女", "daughter"},
    {"次女", "daughter"},  {"三女", "daughter"},   {"养女", "daughter"},  {"继女", "daughter"},
    {"独女", "daughter"},  {"父亲", "parent"},     {"母亲", "parent"},    {"父", "parent"},
    {"母", "parent"},      {"祖父", "grandparent"}, {"祖母", "grandparent"},
    {"外祖父", "grandparent"}, {"外祖母", "grandparent"}, {"孙子", "grandchild"},
    {"孙女", "grandchild"}, {"外孙", "grandchild"}, {"外孙子", "grandchild"},
    {"外孙女", "grandchild"}, {"兄", "sibling"},  {"弟", "sibling"},     {"姐", "sibling"},
    {"妹", "sibling"},     {"哥哥", "sibling"},    {"弟弟", "sibling"},   {"姐姐", "sibling"},
    {"妹妹", "sibling"},   {"儿媳", "child_in_law"}, {"女婿", "child_in_law"},
    {"岳父", "other_relative"}, {"岳母", "other_relative"}, {"公公", "other_relative"},
    {"婆婆", "other_relative"}, {"侄子", "other_relative"}, {"侄女", "other_relative"},
};

/* Words of ledgers for vulnerable groups. */
static const char *const import_group_words[][2] = {
    {"低保户", "dibao"},          {"城市低保", "dibao"},        {"农村低保", "dibao"},
    {"低保人员", "dibao"},        {"特困户", "tekun"},          {"特困人员", "tekun"},
    {"特困供养", "tekun"},        {"五保", "tekun"},            {"五保户", "tekun"},
    {"低保边缘", "dibao_edge"},   {"低边户", "dibao_edge"},     {"临时救助", "temp_relief"},
    {"残疾", "disabled"},         {"残疾户", "disabled"},       {"空巢", "empty_nest"},
    {"独居", "living_alone"},     {"失能", "disabled_elderly"}, {"失能半失能", "disabled_elderly"},
    {"留守", "left_behind_child"}, {"困境", "child_in_distress"},
    {"事实无人抚养", "unsupported_child"}, {"优抚", "entitled"},
};

#define IMPORT_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the import context ---- */

typedef struct import_comm {
    char name[128];
    int64_t id;
} import_comm;

typedef struct import_ctx {
    station *st;
    db *d;
    const import_opts *opts;
    import_report *rep;
    char today[11];
    const char *source;
    int col_of[IMP_FIELD_COUNT]; /* column index of each field, -1 */
    bool relation_is_head;       /* the relation column is headed 户主 */
    unsigned name_flags;         /* val_person_name's, at this station */
    import_comm *comms;
    size_t ncomms, capcomms;
    /* Residents this file already wrote or matched: id -> line. */
    int64_t *tkeys;
    size_t *tlines;
    size_t tcap, tn;
    csv_buf errors;              /* error file rows (UTF-8) */
    const csv_row *header;
    char **header_fields;
    size_t nheader;
    /* Rows refused as a second 户主, tried again after the last row: a
     * ledger lists the new head before the old one becomes 父母. */
    csv_row *deferred;
    size_t ndeferred, capdeferred;
    import_ahead *ahead; /* the rows derived on the second thread (NULL: none) */
    bool final_pass;
    /* 户主 this run wrote out of their household (line, household), to
     * see at the end whether each household still has a head. */
    struct import_demoted {
        size_t line;
        int64_t household;
        char name[96];
    } *demoted;
    size_t ndemoted, capdemoted;
    /* Rows refused by an earlier run of the same import (a 户主 whose
     * household was left without one), with why; the run starts again
     * without them. */
    struct import_refused {
        size_t line;
        char why[448];
    } *refused;
    size_t nrefused, caprefused;
    size_t errors_header; /* bytes of the error file's header row */
    /* Per header column: the reason column of an error file imported
     * again (not data; the new error file has one reason, its own). */
    bool *old_reason;
    /* The ID numbers of the residents in the 回收站, sorted, read once
     * when a row first needs them (the unique index leaves them out). */
    struct import_gone {
        char number[24];
        char name[96];
    } *gone;
    size_t ngone;
    bool gone_read;
} import_ctx;

static void import_row_free(csv_row *r)
{
    for (size_t i = 0; r->fields && i < r->n; i++)
        free(r->fields[i]);
    free(r->fields);
    free(r->lens);
    memset(r, 0, sizeof *r);
}

/* Keep a copy of row for the final pass; false on OOM. */
static bool import_defer(import_ctx *c, const csv_row *row)
{
    if (c->ndeferred == c->capdeferred) {
        size_t cap = c->capdeferred ? c->capdeferred * 2 : 16;
        csv_row *grown = realloc(c->deferred, cap * sizeof *grown);
        if (!grown)
            return false;
        c->deferred = grown;
        c->capdeferred = cap;
    }
    csv_row *d = &c->deferred[c->ndeferred];
    *d = *row;
    d->fields = calloc(row->n ? row->n : 1, sizeof *d->fields);
    d->lens = calloc(row->n ? row->n : 1, sizeof *d->lens);
    bool ok = d->fields && d->lens;
    for (size_t i = 0; ok && i < row->n; i++) {
        d->fields[i] = malloc(row->lens[i] + 1);
        ok = d->fields[i] != NULL;
        if (ok) {
            memcpy(d->fields[i], row->fields[i], row->lens[i]);
            d->fields[i][row->lens[i]] = '\0';
            d->lens[i] = row->lens[i];
        }
    }
    if (!ok) {
        import_row_free(d);
        return false;
    }
    c->ndeferred++;
    return true;
}

static bool import_touched_grow(import_ctx *c)
{
    size_t cap = c->tcap ? c->tcap * 2 : 1024;
    int64_t *k = calloc(cap, sizeof *k);
    size_t *l = calloc(cap, sizeof *l);
    if (!k || !l) {
        free(k);
        free(l);
        return false;
    }
    for (size_t i = 0; i < c->tcap; i++) {
        if (!c->tkeys[i])
            continue;
        size_t h = (size_t)((uint64_t)c->tkeys[i] * 0x9E3779B97F4A7C15ull >> 20) & (cap - 1);
        while (k[h])
            h = (h + 1) & (cap - 1);
        k[h] = c->tkeys[i];
        l[h] = c->tlines[i];
    }
    free(c->tkeys);
    free(c->tlines);
    c->tkeys = k;
    c->tlines = l;
    c->tcap = cap;
    return true;
}

static size_t import_touched_get(const import_ctx *c, int64_t id)
{
    if (!c->tcap)
        return 0;
    size_t h = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ull >> 20) & (c->tcap - 1);
    while (c->tkeys[h]) {
        if (c->tkeys[h] == id)
            return c->tlines[h];
        h = (h + 1) & (c->tcap - 1);
    }
    return 0;
}

static ws_status import_touched_put(import_ctx *c, int64_t id, size_t line)
{
    if ((c->tn + 1) * 2 > c->tcap && !import_touched_grow(c))
        return WS_ERR_NOMEM;
    size_t h = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ull >> 20) & (c->tcap - 1);
    while (c->tkeys[h] && c->tkeys[h] != id)
        h = (h + 1) & (c->tcap - 1);
    if (!c->tkeys[h])
        c->tn++;
    c->tkeys[h] = id;
    c->tlines[h] = line;
    return WS_OK;
}

/* Room for one more element in a report's list; false (and *lost
 * counted) when memory runs out: the count stays right, the list says
 * how many it lacks. */
static bool import_grow(void **items, size_t *cap, size_t n, size_t size, size_t *lost)
{
    if (n < *cap)
        return true;
    size_t ncap = *cap ? *cap * 2 : 64;
    void *g = realloc(*items, ncap * size);
    if (!g) {
        (*lost)++;
        return false;
    }
    *items = g;
    *cap = ncap;
    return true;
}

/* Room for one more element of an array of the context. */
static bool import_room(void **items, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return true;
    size_t ncap = *cap ? *cap * 2 : 8;
    void *g = realloc(*items, ncap * size);
    if (!g)
        return false;
    *items = g;
    *cap = ncap;
    return true;
}

static void import_note_add(import_ctx *c, import_class cls, size_t line, const char *name,
                            const char *text)
{
    import_report *rep = c->rep;
    if (!import_grow((void **)&rep->notes, &rep->capnotes, rep->nnotes, sizeof *rep->notes,
                     &rep->notes_lost))
        return;
    char *t = text_sanitize(text ? text : "");
    if (!t) {
        rep->notes_lost++;
        return;
    }
    import_note *n = &rep->notes[rep->nnotes++];
    n->cls = cls;
    n->line = line;
    import_show(name, 24, n->name, sizeof n->name);
    n->text = t;
}

/* ---- one row ---- */

typedef struct import_row {
    resident r;
    char community[128];
    char household[48];
    size_t line;
} import_row;

/* The label of the field a resident's error names. */
static const char *import_rf_key(resident_field f)
{
    if (f >= RF_NAME && f <= RF_NOTES)
        return kind_resident.fields[f].label;
    switch (f) {
    case RF_GROUP_START: return "field.group_start";
    case RF_GROUP_CERT: return "field.group_cert";
    case RF_GROUP_REVIEW: return "field.group_review";
    case RF_GROUP_DISABILITY: return "field.disability_type";
    default: return "field.groups";
    }
}

static void import_reason_field(const char *field_key, const char *msg, char *out, size_t outsz)
{
    snprintf(out, outsz, tr("form.error_at"), tr(field_key), msg);
    import_utf8_fix(out);
}

/* A value not on code list: what may be written, as the declared kinds
 * say it (the error file is fixed in WPS). */
static void import_reason_codes(station *st, const char *field_key, const char *list,
                                char *out, size_t outsz)
{
    char labels[1536], msg[1600];
    record_code_labels(st, list, labels, sizeof labels);
    trf(msg, sizeof msg, "valid.not_in_list", labels);
    import_reason_field(field_key, msg, out, outsz);
}

static void import_reason_fe(const field_error *fe, char *out, size_t outsz)
{
    char msg[256];
    const char *key = val_status_key(fe->code);
    if (val_status_names(fe->code)) {
        char who[128];
        import_show(fe->detail, 20, who, sizeof who);
        trf(msg, sizeof msg, key, who);
    } else {
        snprintf(msg, sizeof msg, "%s", tr(key));
    }
    import_reason_field(import_rf_key(fe->field), msg, out, outsz);
}

static bool import_has_bad(const char *s)
{
    return strstr(s, "\xef\xbf\xbd") != NULL;
}

static bool import_set_sex(const char *v, int *sex)
{
    static const char *const male[] = {"男", "男性", "m", "male", "1"};
    static const char *const female[] = {"女", "女性", "f", "female", "2"};
    static const char *const unknown[] = {"未知", "0", "unknown", "9", "未说明"};
    for (size_t i = 0; i < IMPORT_COUNT(male); i++)
        if (strcasecmp(v, male[i]) == 0)
            return *sex = SEX_MALE, true;
    for (size_t i = 0; i < IMPORT_COUNT(female); i++)
        if (strcasecmp(v, female[i]) == 0)
            return *sex = SEX_FEMALE, true;
    for (size_t i = 0; i < IMPORT_COUNT(unknown); i++)
        if (strcasecmp(v, unknown[i]) == 0)
            return *sex = SEX_UNKNOWN, true;
    return false;
}

static bool import_group_token(station *st, resident *r, const char *tok)
{
    const code_item *it = import_code_lookup(st, "vulnerable_group", tok);
    const char *code = it ? it->code
                          : import_synonym(import_group_words, IMPORT_COUNT(import_group_words), tok);
    if (!code) {
        /* "低保对象户", "残疾人员": drop a generic ending once. */
        static const char *const endings[] = {"户", "人员", "对象", "人"};
        size_t n = strlen(tok);
        for (size_t i = 0; !code && i < IMPORT_COUNT(endings); i++) {
            size_t e = strlen(endings[i]);
            if (n > e && strcmp(tok + n - e, endings[i]) == 0) {
                char cut[128];
                snprintf(cut, sizeof cut, "%.*s", (int)(n - e), tok);
                it = import_code_lookup(st, "vulnerable_group", cut);
                code = it ? it->code
                          : import_synonym(import_group_words, IMPORT_COUNT(import_group_words), cut);
            }
        }
    }
    if (!code)
        return false;
    if (resident_group_find(r, code))
        return true;
    resident_group g;
    memset(&g, 0, sizeof g);
    snprintf(g.code, sizeof g.code, "%s", code);
    return resident_group_set(r, &g);
}

static bool import_none_word(const char *v)
{
    return !*v || !strcmp(v, "无") || !strcmp(v, "否") || !strcmp(v, "-") || !strcmp(v, "/") ||
           !strcasecmp(v, "none") || !strcmp(v, "—");
}

/* Vulnerable groups separated by 、,，;； or spaces. */
static bool import_set_groups(station *st, resident *r, const char *v, char *bad, size_t badsz)
{
    if (import_none_word(v))
        return true;
    char buf[1024];
    import_copy(buf, sizeof buf, v);
    static const char *const seps[] = {"\xe3\x80\x81", "\xef\xbc\x8c", "\xef\xbc\x9b", ",", ";",
                                       "|", "\xe3\x80\x80", "\n", "/"};
    /* Replace every separator with \x1f, then split. */
    for (size_t i = 0; i < IMPORT_COUNT(seps); i++) {
        size_t sl = strlen(seps[i]);
        for (char *p = strstr(buf, seps[i]); p; p = strstr(p, seps[i])) {
            memset(p, '\x1f', sl);
        }
    }
    char *save = NULL;
    for (char *tok = strtok_r(buf, "\x1f", &save); tok; tok = strtok_r(NULL, "\x1f", &save)) {
        char t[256];
        if (!import_clean(tok, false, t, sizeof t) || !*t)
            continue;
        if (import_group_token(st, r, t))
            continue;
        /* "低保 残疾": words separated by spaces only. */
        bool ok = strchr(t, ' ') != NULL;
        char *s2 = NULL;
        for (char *w = ok ? strtok_r(t, " ", &s2) : NULL; ok && w; w = strtok_r(NULL, " ", &s2))
            ok = import_group_token(st, r, w);
        if (!ok) {
            import_show(tok, 20, bad, badsz);
            return false;
        }
    }
    return true;
}

/* The status the disability columns describe: the row's 残疾 status, added
 * when the groups column did not name it (a 残疾类别 says the person is
 * disabled). NULL when no code has the disability flag or the row is full. */
static resident_group *import_disability_group(station *st, resident *r)
{
    int di = resident_disability_index(st, r);
    if (di >= 0)
        return &r->groups[di];
    const code_list *cl = codebook_list(station_codes(st), "vulnerable_group");
    const char *first = NULL;
    for (size_t i = 0; cl && i < cl->n && !first; i++)
        if (cl->items[i].flags & CODE_DISABILITY)
            first = cl->items[i].code;
    if (!first)
        return NULL;
    resident_group g;
    memset(&g, 0, sizeof g);
    snprintf(g.code, sizeof g.code, "%s", first);
    return resident_group_set(r, &g) ? resident_group_find(r, first) : NULL;
}

/* A disability grade as ledgers write it: 一级, 1级, 一, Ⅱ级, 2. */
static const code_item *import_grade_lookup(station *st, const char *v)
{
    const code_item *it = import_code_lookup(st, "disability_grade", v);
    if (it)
        return it;
    static const char *const words[][3] = {{"一", "Ⅰ", "1"}, {"二", "Ⅱ", "2"},
                                           {"三", "Ⅲ", "3"}, {"四", "Ⅳ", "4"}};
    char w[32];
    size_t n = strlen(v);
    if (n >= sizeof w)
        return NULL;
    memcpy(w, v, n + 1);
    if (n > 3 && !strcmp(w + n - 3, "级"))
        w[n - 3] = '\0';
    for (size_t i = 0; i < IMPORT_COUNT(words); i++)
        for (int k = 0; k < 3; k++)
            if (!strcmp(w, words[i][k]))
                return import_code_lookup(st, "disability_grade", words[i][2]);
    return NULL;
}

/* Line breaks as the form stores them: \r\n and \r become \n. */
static void import_unix_lines(char *v)
{
    char *w = v;
    for (const char *p = v; *p; p++) {
        if (*p == '\r') {
            *w++ = '\n';
            if (p[1] == '\n')
                p++;
            continue;
        }
        *w++ = *p;
    }
    *w = '\0';
}

/* import_keys_fn: the values import_convert and the name's normalisation
 * make of a row's four cells (the second thread's, import_ahead.c: it reads
 * only the columns and the name flags, which stay as they are). */
static bool import_row_keys(const void *ctx, const csv_row *row, char name[256], char idn[64],
                            char phone[64], char addr[512])
{
    const import_ctx *c = ctx;
    static const int fields[4] = {IMP_NAME, IMP_ID_NUMBER, IMP_PHONE, IMP_ADDRESS};
    char *out[4] = {name, idn, phone, addr};
    static const size_t size[4] = {256, 64, 64, 512};
    for (int i = 0; i < 4; i++) {
        out[i][0] = '\0';
        int col = c->col_of[fields[i]];
        if (col < 0 || (size_t)col >= row->n)
            continue;
        if (!import_clean(row->fields[col], i == 1 || i == 2, out[i], size[i]) ||
            ((i == 1 || i == 2) && !val_halfwidth(out[i], out[i], size[i])))
            return false;
    }
    csv_join_lines(addr);
    char norm[256];
    if (val_person_name(name, c->name_flags, 0, norm, sizeof norm) == VAL_OK)
        memcpy(name, norm, sizeof norm);
    return name[0] != '\0';
}

/* A 出生年月 cell's year and month (1965.07, 1965.7, 1965年7月, 1965-07,
 * 1965/07, 196507); false when it is not one. *tenth: the month was a
 * lone 1 after a point (1965.1), which a number cell makes of 1965.10 too. */
static bool import_year_month(const char *v, int *y, int *m, bool *tenth)
{
    *tenth = false;
    size_t n = strlen(v);
    if (n == 6 && strspn(v, "0123456789") == 6) {
        *y = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 + (v[3] - '0');
        *m = (v[4] - '0') * 10 + (v[5] - '0');
        return *y >= 1850 && *m >= 1 && *m <= 12;
    }
    if (n < 6 || strspn(v, "0123456789") != 4)
        return false;
    *y = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 + (v[3] - '0');
    const char *p = v + 4;
    size_t sep = 0;
    if (*p == '.' || *p == '-' || *p == '/')
        sep = 1;
    else if (strncmp(p, "年", strlen("年")) == 0)
        sep = strlen("年");
    if (!sep)
        return false;
    p += sep;
    size_t dn = strspn(p, "0123456789");
    if (dn < 1 || dn > 2)
        return false;
    *m = dn == 1 ? p[0] - '0' : (p[0] - '0') * 10 + (p[1] - '0');
    const char *rest = p + dn;
    if (sep == strlen("年") ? strcmp(rest, "月") != 0 && *rest : *rest != '\0')
        return false;
    *tenth = v[4] == '.' && dn == 1 && *m == 1;
    return *y >= 1850 && *m >= 1 && *m <= 12;
}

/* A 出生年月 column holds a year and month: one that agrees with the ID
 * number is that number's date of birth; one that does not is the first of
 * its month, which the register's own check then refuses as 出生日期与身份
 * 证号不符. Without a valid ID number the cell stays as written. */
static void import_birth_month(import_ctx *c, resident *r)
{
    char full[11];
    int y, m;
    bool tenth;
    if (!r->birth_date[0] || val_date(r->birth_date, c->today, true, full) == VAL_OK ||
        !import_year_month(r->birth_date, &y, &m, &tenth))
        return;
    val_id id;
    if (!r->id_number[0] || val_id_number(r->id_number, c->today, &id) != VAL_OK)
        return;
    int iy = atoi(id.birth), im = atoi(id.birth + 5);
    if (iy == y && (im == m || (tenth && im == 10)))
        snprintf(r->birth_date, sizeof r->birth_date, "%s", id.birth);
    else
        snprintf(r->birth_date, sizeof r->birth_date, "%04d-%02d-01", y, m);
}

/* Fill row->r from the mapped fields. false with reason on a value that
 * cannot become a field. */
static bool import_convert(import_ctx *c, const csv_row *row, import_row *out, char *reason,
                           size_t rsz)
{
    resident *r = &out->r;
    resident_init(r);
    out->community[0] = out->household[0] = '\0';
    char v[4096], other[32] = "";
    for (int f = IMP_NAME; f < IMP_SKIP; f++) {
        int col = c->col_of[f];
        if (col < 0 || (size_t)col >= row->n)
            continue;
        const char *raw = row->fields[col];
        const char *key = import_field_key((import_field)f);
        if (strlen(raw) != row->lens[col]) { /* a NUL byte */
            import_reason_field(key, tr("valid.control"), reason, rsz);
            return false;
        }
        if (import_has_bad(raw)) {
            import_reason_field(key, tr("import.bad_bytes"), reason, rsz);
            return false;
        }
        bool quoted = f == IMP_ID_NUMBER || f == IMP_PHONE || f == IMP_BIRTH_DATE;
        if (!import_clean(raw, quoted, v, sizeof v)) {
            import_reason_field(key, tr("valid.too_long"), reason, rsz);
            return false;
        }
        /* A line break typed into an address cell (Alt+Enter) is a space
         * in the register (the form edits it on one line); the notes keep
         * theirs, as the form's multi-line text does; anywhere else it is
         * refused. */
        if (f == IMP_ADDRESS)
            csv_join_lines(v);
        else if (f == IMP_NOTES)
            import_unix_lines(v);
        /* Digits typed through an IME (５１０９…) as the form reads them:
         * eighteen of them are 54 bytes. */
        if (quoted && !val_halfwidth(v, v, sizeof v)) {
            import_reason_field(key, tr("import.bad_bytes"), reason, rsz);
            return false;
        }
        if (!*v)
            continue;
        char *dst = NULL;
        size_t dsz = 0;
        switch ((import_field)f) {
        case IMP_NAME:
            dst = r->name, dsz = sizeof r->name;
            break;
        case IMP_ID_NUMBER:
            if (strchr(v, '*')) {
                import_reason_field(key, tr("import.masked"), reason, rsz);
                return false;
            }
            if (import_id_scientific(v)) {
                import_reason_field(key, tr("import.scientific"), reason, rsz);
                return false;
            }
            dst = r->id_number, dsz = sizeof r->id_number;
            break;
        case IMP_BIRTH_DATE: {
            /* "1980-01-02 00:00:00" from a date cell. */
            char *sp = strchr(v, ' ');
            if (sp && (sp[1] == '0' || strchr(sp, ':')))
                *sp = '\0';
            dst = r->birth_date, dsz = sizeof r->birth_date;
            break;
        }
        case IMP_PHONE:
            if (strchr(v, '*')) {
                import_reason_field(key, tr("import.masked"), reason, rsz);
                return false;
            }
            /* Two phones (138…/139…): the first, the other to the notes. */
            if (import_phone_pair(v, r->phone, other))
                break;
            dst = r->phone, dsz = sizeof r->phone;
            break;
        case IMP_ADDRESS:
            dst = r->address, dsz = sizeof r->address;
            break;
        case IMP_NOTES:
            dst = r->notes, dsz = sizeof r->notes;
            break;
        case IMP_COMMUNITY:
            dst = out->community, dsz = sizeof out->community;
            break;
        case IMP_HOUSEHOLD:
            /* h00210 or Ｈ00210 (an IME) is the registered H00210. */
            if (!household_number_norm(v, out->household, sizeof out->household)) {
                import_reason_field(key, tr("valid.too_long"), reason, rsz);
                return false;
            }
            break;
        case IMP_SEX:
            if (!import_set_sex(v, &r->sex)) {
                import_reason_codes(c->st, key, "sex", reason, rsz);
                return false;
            }
            break;
        case IMP_ETHNICITY: {
            const code_item *it = import_code_lookup(c->st, "ethnicity", v);
            if (!it && strlen(v) == 1 && v[0] >= '1' && v[0] <= '9') {
                char two[3] = {'0', v[0], '\0'};
                it = import_code_lookup(c->st, "ethnicity", two);
            }
            if (!it) {
                /* "汉" for 汉族 is a short label; "汉族" with a missing 族 too. */
                char with[64];
                snprintf(with, sizeof with, "%s族", v);
                it = import_code_lookup(c->st, "ethnicity", with);
            }
            if (!it) {
                import_reason_codes(c->st, key, "ethnicity", reason, rsz);
                return false;
            }
            snprintf(r->ethnicity, sizeof r->ethnicity, "%s", it->code);
            break;
        }
        case IMP_RELATION: {
            const code_item *it = import_code_lookup(c->st, "relation", v);
            const char *code = it ? it->code
                : import_synonym(import_relation_words, IMPORT_COUNT(import_relation_words), v);
            if (!code && (!strcmp(v, "是") || !strcasecmp(v, "y") || !strcasecmp(v, "yes")))
                code = "head";
            if (!code && c->relation_is_head) {
                /* A 户主 column naming the head: this row is the head when
                 * the names agree; otherwise the relation is unknown. */
                int nc = c->col_of[IMP_NAME];
                char nm[256] = "";
                if (nc >= 0 && (size_t)nc < row->n)
                    import_clean(row->fields[nc], false, nm, sizeof nm);
                code = !strcmp(nm, v) ? "head" : "";
            }
            if (!code && import_none_word(v))
                code = "";
            if (!code) {
                import_reason_codes(c->st, key, "relation", reason, rsz);
                return false;
            }
            snprintf(r->relation, sizeof r->relation, "%s", code);
            break;
        }
        case IMP_GROUPS: {
            char bad[128];
            if (!import_set_groups(c->st, r, v, bad, sizeof bad)) {
                char msg[256];
                trf(msg, sizeof msg, "import.unknown_group", bad);
                import_reason_field(key, msg, reason, rsz);
                return false;
            }
            break;
        }
        case IMP_DISABILITY_TYPE:
        case IMP_DISABILITY_GRADE:
        case IMP_DISABILITY_CERT: {
            if (import_none_word(v))
                break;
            const code_item *it = f == IMP_DISABILITY_TYPE
                ? import_code_lookup(c->st, "disability_type", v)
                : f == IMP_DISABILITY_GRADE ? import_grade_lookup(c->st, v) : NULL;
            if (f != IMP_DISABILITY_CERT && !it) {
                import_reason_codes(c->st, key,
                                    f == IMP_DISABILITY_TYPE ? "disability_type"
                                                             : "disability_grade",
                                    reason, rsz);
                return false;
            }
            resident_group *g = import_disability_group(c->st, r);
            if (!g) {
                import_reason_field(key, tr("valid.unknown_code"), reason, rsz);
                return false;
            }
            if (f == IMP_DISABILITY_TYPE)
                snprintf(g->disability_type, sizeof g->disability_type, "%s", it->code);
            else if (f == IMP_DISABILITY_GRADE)
                snprintf(g->disability_grade, sizeof g->disability_grade, "%s", it->code);
            else
                dst = g->cert_no, dsz = sizeof g->cert_no;
            break;
        }
        default:
            break;
        }
        if (dst) {
            if (strlen(v) >= dsz) {
                import_reason_field(key, tr("valid.too_long"), reason, rsz);
                return false;
            }
            memcpy(dst, v, strlen(v) + 1);
        }
    }
    if (other[0] && !import_phone_note(r->notes, sizeof r->notes, other)) {
        import_reason_field("field.notes", tr("valid.too_long"), reason, rsz);
        return false;
    }
    c->rep->other_phones += other[0] && !c->final_pass;
    import_birth_month(c, r);
    return true;
}

/* ---- lookups ---- */

static ws_status import_find_by_id(import_ctx *c, const char *number, int64_t *id)
{
    *id = 0;
    sqlite3_stmt *q = db_prepare(c->d,
        "SELECT id FROM residents WHERE id_number = ?1 AND deleted_at IS NULL");
    if (!q)
        return db_status(c->d);
    db_bind_text(q, 1, number);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(q, 0);
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

static int import_gone_cmp(const void *a, const void *b)
{
    return strcmp(((const struct import_gone *)a)->number,
                  ((const struct import_gone *)b)->number);
}

static ws_status import_gone_read(import_ctx *c)
{
    c->gone_read = true;
    sqlite3_stmt *q = db_prepare(c->d,
        "SELECT id_number, name FROM residents WHERE deleted_at IS NOT NULL"
        " AND coalesce(id_number, '') <> '' ORDER BY deleted_at");
    if (!q)
        return db_status(c->d);
    size_t cap = 0;
    int rc;
    ws_status s = WS_OK;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (!import_room((void **)&c->gone, &cap, c->ngone, sizeof *c->gone)) {
            s = WS_ERR_NOMEM;
            break;
        }
        struct import_gone *g = &c->gone[c->ngone++];
        db_column_copy(q, 0, g->number, sizeof g->number);
        db_column_copy(q, 1, g->name, sizeof g->name);
    }
    db_reset(q);
    if (s == WS_OK && rc != SQLITE_DONE)
        s = db_status_from(rc);
    if (c->ngone)
        qsort(c->gone, c->ngone, sizeof *c->gone, import_gone_cmp);
    return s;
}

/* The name of a deleted resident (in the 回收站) with the ID number, ""
 * when none. */
static ws_status import_find_deleted(import_ctx *c, const char *number, char *name,
                                     size_t namesz)
{
    name[0] = '\0';
    ws_status s = c->gone_read ? WS_OK : import_gone_read(c);
    if (s != WS_OK || !c->ngone)
        return s;
    struct import_gone key;
    snprintf(key.number, sizeof key.number, "%s", number);
    const struct import_gone *g = bsearch(&key, c->gone, c->ngone, sizeof *c->gone,
                                          import_gone_cmp);
    if (g)
        snprintf(name, namesz, "%s", g->name);
    return WS_OK;
}

typedef struct import_match {
    int64_t same;      /* the same person (same name, birth date, phone or household) */
    int64_t candidate; /* a possible duplicate */
    int64_t weak;      /* only the name agrees and nothing disagrees */
    char cname[192], cbirth[16], cphone[40];
} import_match;

static void import_match_note(import_match *m, sqlite3_stmt *q)
{
    db_column_copy(q, 1, m->cname, sizeof m->cname);
    db_column_copy(q, 2, m->cbirth, sizeof m->cbirth);
    db_column_copy(q, 3, m->cphone, sizeof m->cphone);
}

/* Registered residents with the same name pinyin. birth, phone and id are
 * the row's normalised values ("" when unknown), household its 户号 as
 * written. Without an ID number the row is matched on its name alone too:
 * same name and household, birth date or phone is the same person; a name
 * with nothing that disagrees is weak, for the caller to weigh. */
static ws_status import_find_similar(import_ctx *c, const resident *r, const char *household,
                                     const char *pinyin, const char *birth, const char *phone,
                                     const char *idn, import_match *m)
{
    memset(m, 0, sizeof *m);
    if (!*pinyin || (*idn && !*birth && !*phone))
        return WS_OK;
    /* With an ID number only the index decides (birth date or phone);
     * without one every namesake is read. */
    sqlite3_stmt *q = db_prepare(c->d,
        "SELECT r.id, r.name, coalesce(r.birth_date, ''), r.phone, coalesce(r.id_number, ''),"
        " r.sex, coalesce(h.number, '')"
        " FROM residents r LEFT JOIN households h ON h.id = r.household_id"
        " AND h.deleted_at IS NULL"
        " WHERE r.name_pinyin = ?1 AND r.deleted_at IS NULL"
        " AND (?4 OR r.birth_date = ?2 OR (?3 <> '' AND r.phone = ?3)) ORDER BY r.id");
    if (!q)
        return db_status(c->d);
    db_bind_text(q, 1, pinyin);
    db_bind_text(q, 2, birth);
    db_bind_text(q, 3, phone);
    sqlite3_bind_int(q, 4, !*idn);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *n = (const char *)sqlite3_column_text(q, 1);
        const char *b = (const char *)sqlite3_column_text(q, 2);
        const char *p = (const char *)sqlite3_column_text(q, 3);
        const char *i = (const char *)sqlite3_column_text(q, 4);
        int sex = sqlite3_column_int(q, 5);
        const char *h = (const char *)sqlite3_column_text(q, 6);
        bool same_name = n && !strcmp(n, r->name);
        bool same_birth = *birth && b && !strcmp(b, birth);
        bool same_phone = *phone && p && !strcmp(p, phone);
        bool same_house = *household && h && !strcmp(h, household);
        /* Two ID numbers that differ do not tell two people apart here:
         * the same reading and birth date or phone is for a clerk to
         * judge (a mistyped character and a mistyped digit). */
        bool both_ids = *idn && i && *i;
        /* What the row says that the register says otherwise. */
        bool clash = (*birth && b && *b && !same_birth) ||
                     (r->sex && sex && r->sex != sex);
        if (same_name && !both_ids) {
            if (same_birth || same_phone || (same_house && !clash)) {
                m->same = sqlite3_column_int64(q, 0);
                break;
            }
            if (same_house && !m->candidate) {
                m->candidate = sqlite3_column_int64(q, 0);
                import_match_note(m, q);
                continue;
            }
            if (!clash && !m->weak) {
                m->weak = sqlite3_column_int64(q, 0);
                if (!m->candidate)
                    import_match_note(m, q);
            }
        }
        if ((same_birth || same_phone) && !m->candidate) {
            m->candidate = sqlite3_column_int64(q, 0);
            import_match_note(m, q);
        }
    }
    db_reset(q);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? WS_OK : db_status_from(rc);
}

/* A row with an ID number the register does not have: a namesake in the
 * household the row names, registered without an ID number, is the same
 * person when nothing disagrees (the ledger now gives the number), and a
 * possible duplicate otherwise. */
static ws_status import_find_in_household(import_ctx *c, const resident *r,
                                          const char *household, const char *birth,
                                          import_match *m)
{
    sqlite3_stmt *q = db_prepare(c->d,
        "SELECT r.id, r.name, coalesce(r.birth_date, ''), r.phone, r.sex"
        " FROM households h JOIN residents r ON r.household_id = h.id"
        " WHERE h.number = ?1 AND h.deleted_at IS NULL AND r.deleted_at IS NULL"
        " AND r.name = ?2 AND coalesce(r.id_number, '') = '' ORDER BY r.id LIMIT 1");
    if (!q)
        return db_status(c->d);
    db_bind_text(q, 1, household);
    db_bind_text(q, 2, r->name);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        const char *b = (const char *)sqlite3_column_text(q, 2);
        int sex = sqlite3_column_int(q, 4);
        bool clash = (*birth && b && *b && strcmp(b, birth)) || (r->sex && sex && r->sex != sex);
        if (clash) {
            m->candidate = sqlite3_column_int64(q, 0);
            import_match_note(m, q);
        } else {
            m->same = sqlite3_column_int64(q, 0);
        }
    }
    db_reset(q);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? WS_OK : db_status_from(rc);
}

/* Remember that `name` is community id (0: none yet). */
static ws_status import_community_keep(import_ctx *c, const char *name, int64_t id)
{
    for (size_t i = 0; i < c->ncomms; i++)
        if (!strcmp(c->comms[i].name, name))
            return c->comms[i].id = id, WS_OK;
    if (c->ncomms == c->capcomms) {
        size_t cap = c->capcomms ? c->capcomms * 2 : 16;
        import_comm *g = realloc(c->comms, cap * sizeof *g);
        if (!g)
            return WS_ERR_NOMEM;
        c->comms = g;
        c->capcomms = cap;
    }
    snprintf(c->comms[c->ncomms].name, sizeof c->comms[0].name, "%s", name);
    c->comms[c->ncomms++].id = id;
    return WS_OK;
}

/* The registered community a cell names, as written or folded (學堂灣社區
 * is 学堂湾社区, 青石村村委会 is 青石村); *id 0 when none. Nothing is
 * created. */
static ws_status import_community_find(import_ctx *c, const char *name, int64_t *id)
{
    *id = 0;
    for (size_t i = 0; i < c->ncomms; i++)
        if (!strcmp(c->comms[i].name, name) && c->comms[i].id)
            return *id = c->comms[i].id, WS_OK;
    community cm;
    memset(&cm, 0, sizeof cm);
    ws_status s = community_find_by_name(c->st, name, &cm);
    if (s == WS_ERR_NOT_FOUND)
        return WS_OK;
    if (s == WS_OK && (s = import_community_keep(c, name, cm.id)) == WS_OK)
        *id = cm.id;
    return s;
}

/* The community a cell names, created (audited) when none is: only for a
 * row that lives in it. */
static ws_status import_community(import_ctx *c, const char *name, int64_t *id)
{
    ws_status s = import_community_find(c, name, id);
    if (s != WS_OK || *id)
        return s;
    community cm;
    memset(&cm, 0, sizeof cm);
    /* A committee's name makes its place (柳河村委会: 柳河村). */
    if (!community_place_name(name, cm.name, sizeof cm.name))
        snprintf(cm.name, sizeof cm.name, "%s", name);
    size_t n = strlen(cm.name);
    snprintf(cm.kind, sizeof cm.kind, "%s",
             n >= 3 && !strcmp(cm.name + n - 3, "村") ? "village" : "community");
    record_error re;
    s = community_save(c->st, &cm, &re);
    if (s != WS_OK)
        return s;
    import_report *rep = c->rep;
    rep->new_communities++;
    if (rep->ncreated < IMPORT_MAX_CREATED)
        import_show(cm.name, 30, rep->created[rep->ncreated++], sizeof rep->created[0]);
    *id = cm.id;
    return import_community_keep(c, name, cm.id);
}

/* The household numbered `number`, created when missing with the
 * community and the address of the row that names it first (a ledger
 * gives each member's 住址; an existing household keeps its own). */
static ws_status import_household(import_ctx *c, const char *number, int64_t community_id,
                                  const char *address, int64_t *id)
{
    ws_status found = household_find_number(c->st, number, 0, id, NULL, 0);
    if (found != WS_OK || *id)
        return found;
    household h;
    household_init(&h);
    snprintf(h.number, sizeof h.number, "%s", number);
    h.community_id = community_id;
    /* The resident's address passed the same limit; a longer one cannot
     * come from the row, so this never cuts. */
    snprintf(h.address, sizeof h.address, "%s", address);
    household_error he;
    ws_status s = household_save(c->st, &h, &he);
    if (s == WS_OK) {
        *id = h.id;
        c->rep->new_households++;
    }
    return s;
}

/* ---- comparing and merging residents ---- */

static bool import_groups_same(const resident *a, const resident *b)
{
    if (a->ngroups != b->ngroups)
        return false;
    for (size_t i = 0; i < a->ngroups; i++) {
        const resident_group *x = &a->groups[i];
        const resident_group *y = resident_group_find((resident *)b, x->code);
        if (!y || strcmp(x->start_date, y->start_date) || strcmp(x->cert_no, y->cert_no) ||
            strcmp(x->review_date, y->review_date) ||
            strcmp(x->disability_type, y->disability_type) ||
            strcmp(x->disability_grade, y->disability_grade))
            return false;
    }
    return true;
}

/* Whether note is in notes, line breaks and spaces alike. */
static bool import_note_in(const char *notes, const char *note)
{
    if (strstr(notes, note))
        return true;
    if (!strpbrk(notes, "\r\n") && !strpbrk(note, "\r\n"))
        return false;
    char a[sizeof ((resident *)0)->notes], b[sizeof a];
    import_copy(a, sizeof a, notes);
    import_copy(b, sizeof b, note);
    for (char *p = a; *p; p++)
        if (*p == '\r' || *p == '\n')
            *p = ' ';
    for (char *p = b; *p; p++)
        if (*p == '\r' || *p == '\n')
            *p = ' ';
    return strstr(a, b) != NULL;
}

static size_t import_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Whether the ledger's note, added after the register's, still fits a
 * note; false with why (the row is refused: a note is never dropped
 * without a word). */
bool import_notes_fit(const resident *reg, const resident *in, char *why, size_t whysz)
{
    why[0] = '\0';
    if (!in->notes[0] || !reg->notes[0] || import_note_in(reg->notes, in->notes))
        return true;
    size_t have = import_chars(reg->notes), add = import_chars(in->notes);
    if (have + 1 + add <= RESIDENT_NOTES_CHARS &&
        strlen(reg->notes) + 1 + strlen(in->notes) < sizeof reg->notes)
        return true;
    trf(why, whysz, "import.notes_full", have, add, (size_t)RESIDENT_NOTES_CHARS);
    return false;
}

void import_merge(resident *dst, const resident *src)
{
#define IMPORT_TAKE(f) \
    if (src->f[0])     \
        memcpy(dst->f, src->f, sizeof dst->f)
    IMPORT_TAKE(name);
    IMPORT_TAKE(id_number);
    IMPORT_TAKE(birth_date);
    IMPORT_TAKE(phone);
    IMPORT_TAKE(ethnicity);
    IMPORT_TAKE(relation);
    IMPORT_TAKE(address);
#undef IMPORT_TAKE
    /* A note is added to the register's, never put in its place (a ledger's
     * line would wipe what a worker wrote); the same note again is nothing,
     * also with its line breaks made spaces (a workbook's cell). */
    if (src->notes[0] && !import_note_in(dst->notes, src->notes)) {
        size_t used = strlen(dst->notes), add = strlen(src->notes);
        if (used == 0) {
            memcpy(dst->notes, src->notes, sizeof dst->notes);
        } else if (used + 1 + add < sizeof dst->notes) {
            dst->notes[used] = '\n';
            memcpy(dst->notes + used + 1, src->notes, add + 1);
        }
        /* Longer than a note can be: the register's stays as it is (the
         * import refuses such a row first: import_notes_fit). */
    }
    if (src->sex)
        dst->sex = src->sex;
    if (src->community_id)
        dst->community_id = src->community_id;
    if (src->household_id)
        dst->household_id = src->household_id;
    for (size_t i = 0; i < src->ngroups; i++) {
        const resident_group *g = &src->groups[i];
        resident_group *cur = resident_group_find(dst, g->code);
        if (!cur) {
            resident_group_set(dst, g);
            continue;
        }
        if (g->start_date[0])
            snprintf(cur->start_date, sizeof cur->start_date, "%s", g->start_date);
        if (g->cert_no[0])
            snprintf(cur->cert_no, sizeof cur->cert_no, "%s", g->cert_no);
        if (g->review_date[0])
            snprintf(cur->review_date, sizeof cur->review_date, "%s", g->review_date);
        if (g->disability_type[0])
            snprintf(cur->disability_type, sizeof cur->disability_type, "%s", g->disability_type);
        if (g->disability_grade[0])
            snprintf(cur->disability_grade, sizeof cur->disability_grade, "%s",
                     g->disability_grade);
    }
}

static void import_ref_name(import_ctx *c, bool household, int64_t id, char *out, size_t outsz)
{
    out[0] = '\0';
    if (!id)
        return;
    sqlite3_stmt *q = household
        ? db_prepare(c->d, "SELECT number FROM households WHERE id = ?1")
        : db_prepare(c->d, "SELECT name FROM communities WHERE id = ?1");
    if (!q)
        return;
    sqlite3_bind_int64(q, 1, id);
    if (sqlite3_step(q) == SQLITE_ROW)
        db_column_copy(q, 0, out, outsz);
    db_reset(q);
}

static const char *import_code_text(import_ctx *c, const char *list, const char *code)
{
    const code_item *it = *code ? codebook_find(station_codes(c->st), list, code) : NULL;
    return it ? code_label(it, 1) : code;
}

/* A disability's type in full (听力残疾, not 听力): the preview names it. */
static const char *import_code_full(import_ctx *c, const char *list, const char *code)
{
    const code_item *it = *code ? codebook_find(station_codes(c->st), list, code) : NULL;
    return it ? code_label(it, 0) : code;
}

static void import_diff_one(char *out, size_t outsz, const char *key, const char *a,
                            const char *b)
{
    if (!strcmp(a, b))
        return;
    size_t used = strlen(out);
    if (used + 8 >= outsz)
        return;
    char sa[160], sb[160];
    import_show(*a ? a : tr("field.none"), 24, sa, sizeof sa);
    import_show(*b ? b : tr("field.none"), 24, sb, sizeof sb);
    snprintf(out + used, outsz - used, "%s%s：%s → %s", used ? "；" : "", tr(key), sa, sb);
}

/* A status as the preview names it: a disability with its type and
 * grade, 残疾（视力残疾 二级）. */
static size_t import_group_text(import_ctx *c, const resident_group *g, char *out, size_t outsz)
{
    const char *type = import_code_full(c, "disability_type", g->disability_type);
    const char *grade = import_code_full(c, "disability_grade", g->disability_grade);
    const char *label = import_code_text(c, "vulnerable_group", g->code);
    int n = *type || *grade ? snprintf(out, outsz, "%s（%s%s%s）", label, type,
                                       *type && *grade ? " " : "", grade)
                            : snprintf(out, outsz, "%s", label);
    return n < 0 ? 0 : (size_t)n < outsz ? (size_t)n : outsz - 1;
}

static void import_group_list(import_ctx *c, const resident *r, char *out, size_t outsz)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < r->ngroups && o + 40 < outsz; i++) {
        if (i)
            o += (size_t)snprintf(out + o, outsz - o, "%s", tr("export.group_sep"));
        o += import_group_text(c, &r->groups[i], out + o, outsz - o);
    }
}

/* The statuses: the lists when a status comes or goes; else what changed
 * in each (残疾类别：听力残疾 → 视力残疾), and " *" when that is only a
 * date or a certificate's number. */
static void import_diff_groups(import_ctx *c, const resident *a, const resident *b, char *out,
                               size_t outsz)
{
    char x[600], y[604];
    bool codes_same = a->ngroups == b->ngroups;
    for (size_t i = 0; codes_same && i < b->ngroups; i++)
        codes_same = resident_group_find((resident *)a, b->groups[i].code) != NULL;
    if (!codes_same) {
        import_group_list(c, a, x, sizeof x);
        import_group_list(c, b, y, sizeof y);
        import_diff_one(out, outsz, "field.groups", x, y);
        return;
    }
    size_t before = strlen(out);
    for (size_t i = 0; i < b->ngroups; i++) {
        const resident_group *g = &b->groups[i];
        const resident_group *was = resident_group_find((resident *)a, g->code);
        import_diff_one(out, outsz, "field.disability_type",
                        import_code_full(c, "disability_type", was->disability_type),
                        import_code_full(c, "disability_type", g->disability_type));
        import_diff_one(out, outsz, "field.disability_grade",
                        import_code_full(c, "disability_grade", was->disability_grade),
                        import_code_full(c, "disability_grade", g->disability_grade));
    }
    if (strlen(out) != before)
        return;
    import_group_list(c, a, x, sizeof x);
    snprintf(y, sizeof y, "%.599s *", x); /* same statuses, new dates or numbers */
    import_diff_one(out, outsz, "field.groups", x, y);
}

/* "电话：138****0001 → 139****0002；住址：…" (identifiers masked). */
static void import_diff(import_ctx *c, const resident *a, const resident *b, char *out,
                        size_t outsz)
{
    out[0] = '\0';
    char x[600], y[600];
    import_diff_one(out, outsz, "field.name", a->name, b->name);
    mask_id_number(a->id_number, x, sizeof x);
    mask_id_number(b->id_number, y, sizeof y);
    import_diff_one(out, outsz, "field.id_number", x, y);
    snprintf(x, sizeof x, "%d", a->sex);
    snprintf(y, sizeof y, "%d", b->sex);
    import_diff_one(out, outsz, "field.sex", import_code_text(c, "sex", x),
                    import_code_text(c, "sex", y));
    if (station_can(c->st, PERM_IDS_FULL)) {
        import_diff_one(out, outsz, "field.birth_date", a->birth_date, b->birth_date);
    } else {
        mask_birth_date(a->birth_date, x, sizeof x);
        mask_birth_date(b->birth_date, y, sizeof y);
        import_diff_one(out, outsz, "field.birth_date", x, y);
    }
    mask_phone(a->phone, x, sizeof x);
    mask_phone(b->phone, y, sizeof y);
    import_diff_one(out, outsz, "field.phone", x, y);
    import_diff_one(out, outsz, "field.ethnicity", import_code_text(c, "ethnicity", a->ethnicity),
                    import_code_text(c, "ethnicity", b->ethnicity));
    if (a->community_id != b->community_id) {
        import_ref_name(c, false, a->community_id, x, sizeof x);
        import_ref_name(c, false, b->community_id, y, sizeof y);
        import_diff_one(out, outsz, "field.community", x, y);
    }
    if (a->household_id != b->household_id) {
        import_ref_name(c, true, a->household_id, x, sizeof x);
        import_ref_name(c, true, b->household_id, y, sizeof y);
        import_diff_one(out, outsz, "field.number", x, y);
    }
    import_diff_one(out, outsz, "field.relation", import_code_text(c, "relation", a->relation),
                    import_code_text(c, "relation", b->relation));
    import_diff_one(out, outsz, "field.address", a->address, b->address);
    import_diff_one(out, outsz, "field.notes", a->notes, b->notes);
    if (!import_groups_same(a, b))
        import_diff_groups(c, a, b, out, outsz);
    import_utf8_fix(out);
}

static bool import_same(const resident *a, const resident *b)
{
    return !strcmp(a->name, b->name) && !strcmp(a->id_number, b->id_number) &&
           a->sex == b->sex && !strcmp(a->birth_date, b->birth_date) &&
           !strcmp(a->phone, b->phone) && !strcmp(a->ethnicity, b->ethnicity) &&
           a->community_id == b->community_id && a->household_id == b->household_id &&
           !strcmp(a->relation, b->relation) && !strcmp(a->address, b->address) &&
           !strcmp(a->notes, b->notes) && import_groups_same(a, b);
}

/* ---- pending rows as JSON ---- */

static void import_json_str(csv_buf *b, const char *key, const char *v, bool first)
{
    if (!first)
        csv_buf_append(b, ",", 1);
    csv_buf_append(b, "\"", 1);
    csv_buf_append(b, key, strlen(key));
    csv_buf_append(b, "\":\"", 3);
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        if (*p == '"' || *p == '\\') {
            char e[2] = {'\\', (char)*p};
            csv_buf_append(b, e, 2);
        } else if (*p < 0x20) {
            char e[8];
            snprintf(e, sizeof e, "\\u%04x", *p);
            csv_buf_append(b, e, 6);
        } else {
            csv_buf_append(b, (const char *)p, 1);
        }
    }
    csv_buf_append(b, "\"", 1);
}

static void import_json_int(csv_buf *b, const char *key, long long v)
{
    char buf[64];
    int n = snprintf(buf, sizeof buf, ",\"%s\":%lld", key, v);
    csv_buf_append(b, buf, (size_t)n);
}

static char *import_to_json(const resident *r)
{
    csv_buf b = {0};
    csv_buf_append(&b, "{", 1);
    import_json_str(&b, "name", r->name, true);
    import_json_str(&b, "id_number", r->id_number, false);
    import_json_int(&b, "sex", r->sex);
    import_json_str(&b, "birth_date", r->birth_date, false);
    import_json_str(&b, "phone", r->phone, false);
    import_json_str(&b, "ethnicity", r->ethnicity, false);
    import_json_int(&b, "community_id", (long long)r->community_id);
    import_json_int(&b, "household_id", (long long)r->household_id);
    import_json_str(&b, "relation", r->relation, false);
    import_json_str(&b, "address", r->address, false);
    import_json_str(&b, "notes", r->notes, false);
    csv_buf_append(&b, ",\"groups\":[", 11);
    for (size_t i = 0; i < r->ngroups; i++) {
        const resident_group *g = &r->groups[i];
        csv_buf_append(&b, i ? ",{" : "{", i ? 2 : 1);
        import_json_str(&b, "code", g->code, true);
        import_json_str(&b, "start_date", g->start_date, false);
        import_json_str(&b, "cert_no", g->cert_no, false);
        import_json_str(&b, "review_date", g->review_date, false);
        import_json_str(&b, "disability_type", g->disability_type, false);
        import_json_str(&b, "disability_grade", g->disability_grade, false);
        csv_buf_append(&b, "}", 1);
    }
    csv_buf_append(&b, "]}", 2);
    if (b.oom) {
        csv_buf_free(&b);
        return NULL;
    }
    return b.p;
}

/* Whether the clerk already decided this row (the same row of a ledger
 * imported before) in the review: a standing merge into candidate. */
static ws_status import_pending_decided(import_ctx *c, const char *json, int64_t candidate,
                                        bool *decided)
{
    *decided = false;
    sqlite3_stmt *q = db_prepare(c->d,
        "SELECT 1 FROM import_merges WHERE resident_id = ?1 AND row_json = ?2"
        " AND undone_at IS NULL");
    if (!q)
        return db_status(c->d);
    sqlite3_bind_int64(q, 1, candidate);
    sqlite3_bind_text(q, 2, json, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    *decided = rc == SQLITE_ROW;
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* The row waits in the review beside candidate, unless it was decided
 * there already (*decided: nothing to do, the row is unchanged). */
static ws_status import_pending_add(import_ctx *c, const resident *r, size_t line,
                                    int64_t candidate, bool *decided)
{
    char *json = import_to_json(r);
    if (!json)
        return WS_ERR_NOMEM;
    ws_status found = import_pending_decided(c, json, candidate, decided);
    if (found != WS_OK || *decided) {
        free(json);
        return found;
    }
    sqlite3_stmt *q = db_prepare(c->d,
        "INSERT OR IGNORE INTO import_pending(id, created_at, actor, source, line,"
        " candidate_id, row_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    ws_status s = WS_OK;
    if (!q) {
        s = db_status(c->d);
    } else {
        char now[32];
        db_now(now);
        sqlite3_bind_int64(q, 1, ids_next());
        db_bind_text(q, 2, now);
        db_bind_text(q, 3, station_actor(c->st));
        db_bind_text(q, 4, c->source);
        sqlite3_bind_int64(q, 5, (sqlite3_int64)line);
        sqlite3_bind_int64(q, 6, candidate);
        sqlite3_bind_text(q, 7, json, -1, SQLITE_STATIC);
        int rc = sqlite3_step(q);
        db_reset(q);
        if (rc != SQLITE_DONE)
            s = db_status_from(rc);
    }
    free(json);
    return s;
}

/* ---- rows ---- */

bool import_is_reason_col(const char *header)
{
    char norm[128];
    import_header_norm(header, norm, sizeof norm);
    return import_names_have("错误原因|error|reason", norm, strlen(norm));
}

void import_sheets_said(const char *path, char *err, size_t errsz)
{
    workbook *wb = NULL;
    char why[256];
    if (workbook_open(path, NULL, &wb, why, sizeof why) != WS_OK)
        return;
    size_t n = workbook_sheet_count(wb);
    csv_buf names = {0};
    for (size_t i = 0; n > 1 && i < n; i++) {
        char one[512];
        const char *name = workbook_sheet_name(wb, i);
        if (workbook_sheet_hidden(wb, i))
            name = trf(one, sizeof one, "book.sheet_hidden", name);
        if (i)
            csv_buf_append(&names, tr("book.sheet_sep"), strlen(tr("book.sheet_sep")));
        csv_buf_append(&names, name, strlen(name));
    }
    workbook_free(&wb);
    if (names.len)
        csv_buf_append(&names, "", 1);
    if (names.len && !names.oom) {
        size_t used = strlen(err);
        char *more = malloc(errsz);
        if (more && used < errsz) {
            trf(more, errsz, "import.sheets_are", names.p);
            snprintf(err + used, errsz - used, "%s", more);
            import_utf8_fix(err);
        }
        free(more);
    }
    csv_buf_free(&names);
}

bool import_id_scientific(const char *v)
{
    while (*v == ' ' || *v == '\t')
        v++;
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    size_t digits = 0;
    bool mark = false;
    for (size_t i = 0; i < n; i++) {
        if (v[i] >= '0' && v[i] <= '9')
            digits++;
        else if (v[i] == '.' || v[i] == 'E' || v[i] == 'e')
            mark = true;
        else if (v[i] != '+' && v[i] != '-')
            return false;
    }
    return mark && digits > 0;
}

bool import_money_decimals(char *v, const char *label, char *why, size_t whysz)
{
    char *dot = strchr(v, '.');
    if (!dot)
        return true;
    size_t n = strspn(dot + 1, "0123456789");
    if (dot[1 + n] != '\0')
        return true; /* not a plain number: the kind's own check says so */
    while (n > 2 && dot[n] == '0')
        dot[n--] = '\0';
    if (n <= 2)
        return true;
    trf(why, whysz, "import.money_decimals", label, n, v);
    import_utf8_fix(why);
    return false;
}

/* A cell of the residents' error file: the ID number, phone and
 * certificate columns are identifiers. */
static void import_error_cell(import_ctx *c, size_t col, const char *v, bool first)
{
    bool ident = (int)col == c->col_of[IMP_ID_NUMBER] || (int)col == c->col_of[IMP_PHONE] ||
                 (int)col == c->col_of[IMP_DISABILITY_CERT];
    csv_put_cell(&c->errors, v, c->rep->delim, first, ident);
}

static void import_error_row(import_ctx *c, const csv_row *row, const char *reason)
{
    char d = c->rep->delim;
    /* The header's columns (padded), the reason below its title, then
     * whatever stood beyond the last column. */
    bool first = true;
    for (size_t i = 0; i < c->nheader; i++) {
        if (c->old_reason && c->old_reason[i])
            continue;
        import_error_cell(c, i, i < row->n ? row->fields[i] : "", first);
        first = false;
    }
    csv_put_field(&c->errors, reason, d, first);
    for (size_t i = c->nheader; i < row->n; i++)
        csv_put_field(&c->errors, row->fields[i], d, false);
    csv_end_row(&c->errors, "\r\n");
}

static void import_invalid(import_ctx *c, const csv_row *row, const char *name, const char *why)
{
    c->rep->counts[IMPORT_INVALID]++;
    char reason[1700];
    snprintf(reason, sizeof reason, tr("import.reason_line"), row->line, why);
    import_utf8_fix(reason);
    import_error_row(c, row, reason);
    import_note_add(c, IMPORT_INVALID, row->line, name, why);
}

/* ---- rows that are not people: totals, signatures, titles ---- */

/* The cell without any spaces (ASCII, U+3000, U+00A0): "合　计" is 合计. */
static void import_squeeze(const char *in, char *out, size_t outsz)
{
    size_t o = 0;
    for (const char *p = in; *p && o + 1 < outsz; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
            continue;
        if (!strncmp(p, "\xe3\x80\x80", 3) || !strncmp(p, "\xc2\xa0", 2)) {
            p += p[0] == '\xc2' ? 1 : 2;
            continue;
        }
        out[o++] = *p;
    }
    out[o] = '\0';
    import_utf8_fix(out);
}

static bool import_has_any(const char *s, const char *const *words, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strstr(s, words[i]))
            return true;
    return false;
}

/* "共 4 人", "共四户": 共, a number, a unit. */
static bool import_count_phrase(const char *s)
{
    static const char *const numerals[] = {"一", "二", "两", "三", "四", "五", "六", "七",
                                           "八", "九", "十", "百", "千", "零", "〇"};
    static const char *const units[] = {"人", "户", "名", "条", "位", "行", "项", "个"};
    if (strncmp(s, "共", 3))
        return false;
    const char *p = s + 3;
    bool number = false;
    for (bool more = true; more;) {
        more = false;
        if (*p >= '0' && *p <= '9') {
            p++;
            more = number = true;
            continue;
        }
        for (size_t i = 0; i < IMPORT_COUNT(numerals); i++)
            if (!strncmp(p, numerals[i], strlen(numerals[i]))) {
                p += strlen(numerals[i]);
                more = number = true;
                break;
            }
    }
    for (size_t i = 0; number && i < IMPORT_COUNT(units); i++)
        if (!strncmp(p, units[i], strlen(units[i])))
            return true;
    return false;
}

/* A label at the start of a signature or date line: "制表人：王芳",
 * "填表日期", "单位（盖章）". */
static bool import_footer_label(const char *s)
{
    static const char *const labels[] = {
        "制表人", "制表日期", "制表时间", "制表", "填表人", "填表日期", "填表时间", "填表单位",
        "填报人", "填报日期", "填报时间", "填报单位", "报送单位", "报送日期", "审核人", "审核",
        "审批人", "复核人", "核对人", "负责人", "单位负责人", "经办人", "统计人", "联系人",
        "联系电话", "签字", "签名", "盖章", "单位盖章", "单位", "日期", "备注", "说明", "注",
        "附注", "製表人", "填表日期", "審核人"};
    static const char *const ends[] = {":", "\xef\xbc\x9a" /* ： */, "(", "\xef\xbc\x88" /* （ */};
    for (size_t i = 0; i < IMPORT_COUNT(labels); i++) {
        size_t n = strlen(labels[i]);
        if (strncmp(s, labels[i], n))
            continue;
        if (!s[n])
            return true;
        for (size_t k = 0; k < IMPORT_COUNT(ends); k++)
            if (!strncmp(s + n, ends[k], strlen(ends[k])))
                return true;
    }
    return false;
}

/* Whether row is a summary or title row rather than a person, and why.
 * Only the name cell and the row's first non-empty cell are read (where
 * ledgers put 合计 and 制表人), so a person's notes never count. */
bool import_summary_row(const csv_row *row, int name_col, const char *name_header,
                        import_skip_reason *why)
{
    static const char *const totals[] = {"合计", "小计", "总计", "共计", "累计", "汇总",
                                         "合計", "小計", "總計", "共計", "累計", "匯總"};
    static const char *const ends[] = {"以下空白", "以下无", "以下為空", "以下为空", "此页无正文"};
    static const char *const titles[] = {"花名册", "名册", "名单", "台账", "台帐", "一览表",
                                         "统计表", "登记表", "明细表", "汇总表", "情况表",
                                         "信息表", "花名冊", "名冊", "名單", "臺賬", "台賬"};
    size_t first = row->n, filled = 0;
    for (size_t i = 0; i < row->n; i++) {
        char sq[64];
        import_squeeze(row->fields[i], sq, sizeof sq);
        if (!sq[0])
            continue;
        filled++;
        if (first == row->n)
            first = i;
    }
    if (first == row->n)
        return false;
    char lead[256], name[256] = "";
    import_squeeze(row->fields[first], lead, sizeof lead);
    int nc = name_col;
    if (nc >= 0 && (size_t)nc < row->n)
        import_squeeze(row->fields[nc], name, sizeof name);
    if (import_has_any(name, totals, IMPORT_COUNT(totals)) ||
        import_has_any(lead, totals, IMPORT_COUNT(totals)) || import_count_phrase(lead) ||
        import_count_phrase(name))
        return *why = IMPORT_SKIP_TOTAL, true;
    if (import_footer_label(lead) || import_has_any(lead, ends, IMPORT_COUNT(ends)))
        return *why = IMPORT_SKIP_FOOTER, true;
    if (name[0] && name_header) {
        char head[256];
        import_squeeze(name_header, head, sizeof head);
        if (!strcmp(head, name))
            return *why = IMPORT_SKIP_HEADER, true;
    }
    if ((filled == 1 || !name[0]) && import_has_any(lead, titles, IMPORT_COUNT(titles)))
        return *why = IMPORT_SKIP_TITLE, true;
    return false;
}

static bool import_not_a_person(import_ctx *c, const csv_row *row, import_skip_reason *why)
{
    int nc = c->col_of[IMP_NAME];
    const char *header = nc >= 0 && (size_t)nc < c->rep->ncols ? c->rep->cols[nc].header : NULL;
    return import_summary_row(row, nc, header, why);
}

/* Count and list a row that is not a person. */
static void import_skip_row(import_ctx *c, const csv_row *row, import_skip_reason why)
{
    import_report *rep = c->rep;
    rep->skipped++;
    if (!import_grow((void **)&rep->skips, &rep->capskips, rep->nskips, sizeof *rep->skips,
                     &rep->skips_lost))
        return;
    import_skip *k = &rep->skips[rep->nskips++];
    k->line = row->line;
    k->reason = why;
    char text[512];
    size_t used = 0;
    text[0] = '\0';
    for (size_t i = 0; i < row->n && used + 2 < sizeof text; i++) {
        char cell[256];
        if (!import_clean(row->fields[i], false, cell, sizeof cell) || !cell[0])
            continue;
        used += (size_t)snprintf(text + used, sizeof text - used, "%s%s", used ? " " : "", cell);
    }
    if (used >= sizeof text)
        import_utf8_fix(text);
    import_show(text, 40, k->text, sizeof k->text);
}

/* Normalised birth date, phone and ID number of a row, for matching. */
static void import_keys(import_ctx *c, const resident *r, char birth[11], char phone[32],
                        char idn[19])
{
    birth[0] = phone[0] = idn[0] = '\0';
    val_id v;
    if (r->id_number[0] && val_id_number(r->id_number, c->today, &v) == VAL_OK) {
        snprintf(idn, 19, "%s", v.number);
        snprintf(birth, 11, "%s", v.birth);
    }
    if (!birth[0] && r->birth_date[0] && val_date(r->birth_date, c->today, true, birth) != VAL_OK)
        birth[0] = '\0';
    if (r->phone[0] && val_phone(r->phone, phone, 32) != VAL_OK)
        phone[0] = '\0';
}

/* A community cell that is not the community of the household the
 * person lives in: the members live in their household's (one truth), so
 * the cell would change nothing. Refused, naming the household's. */
static void import_community_conflict(import_ctx *c, const import_row *ir, int64_t hid,
                                      int64_t hcomm, char *why, size_t whysz)
{
    char number[64], name[256], cell[128], msg[512];
    import_ref_name(c, true, hid, number, sizeof number);
    import_ref_name(c, false, hcomm, name, sizeof name);
    import_show(ir->community, 20, cell, sizeof cell);
    trf(msg, sizeof msg, "import.community_not_household", number, name, cell);
    import_reason_field(import_field_key(IMP_COMMUNITY), msg, why, whysz);
}

/* Resolve the row's community and household names to ids, creating them
 * (audited) when missing and used. The person lives in the household the
 * row names, else in `kept` (registered); a community cell that is not
 * that household's is refused (why filled, nothing created). */
static ws_status import_refs(import_ctx *c, import_row *ir, int64_t kept,
                             int64_t fallback_community, char *why, size_t whysz)
{
    why[0] = '\0';
    int64_t hid = kept, hcomm = 0;
    ws_status s = WS_OK;
    if (ir->household[0])
        s = household_find_number(c->st, ir->household, 0, &hid, NULL, 0);
    if (s == WS_OK && hid)
        s = db_int(c->d, "SELECT coalesce(community_id, 0) FROM households WHERE id = ?1", hid,
                   &hcomm);
    if (s == WS_OK && ir->community[0]) {
        s = import_community_find(c, ir->community, &ir->r.community_id);
        if (s == WS_OK && hcomm && ir->r.community_id != hcomm) {
            import_community_conflict(c, ir, hid, hcomm, why, whysz);
            return WS_OK;
        }
        if (s == WS_OK && !ir->r.community_id)
            s = import_community(c, ir->community, &ir->r.community_id);
    }
    if (s == WS_OK && ir->household[0])
        s = import_household(c, ir->household,
                             ir->r.community_id ? ir->r.community_id : fallback_community,
                             ir->r.address, &ir->r.household_id);
    return s;
}

/* Whether registered household id is the one numbered `number` (a
 * station may hold h00210 from before). */
static bool import_household_is(import_ctx *c, int64_t id, const char *number)
{
    char stored[64], norm[64];
    import_ref_name(c, true, id, stored, sizeof stored);
    household_number_norm(stored, norm, sizeof norm);
    return !strcmp(norm, number);
}

/* A row without an ID number whose name alone matches a registered
 * resident: the same person when every value it gives is already
 * registered (an export imported back), a possible duplicate otherwise.
 * Nothing is created to find out. */
static ws_status import_weigh_namesake(import_ctx *c, import_row *ir, import_match *m)
{
    resident *row = malloc(sizeof *row);
    resident *cur = malloc(sizeof *cur);
    resident *merged = malloc(sizeof *merged);
    ws_status s = row && cur && merged ? WS_OK : WS_ERR_NOMEM;
    if (s == WS_OK)
        s = resident_load_whole(c->st, m->weak, cur);
    bool nothing_new = false;
    if (s == WS_OK) {
        field_error fe;
        *row = ir->r; /* normalised as the register holds it */
        nothing_new = resident_validate(c->st, row, &fe) == WS_OK;
        int64_t named = 0;
        if (ir->community[0])
            s = import_community_find(c, ir->community, &named);
        nothing_new = nothing_new && (!ir->community[0] || named == cur->community_id);
        nothing_new = nothing_new && (!ir->household[0] ||
                                      import_household_is(c, cur->household_id, ir->household));
        *merged = *cur;
        import_merge(merged, row);
        merged->community_id = cur->community_id;
        merged->household_id = cur->household_id;
        nothing_new = nothing_new && import_same(cur, merged);
    }
    if (s == WS_OK) {
        if (nothing_new)
            m->same = m->weak;
        else
            m->candidate = m->weak;
    }
    free(row);
    free(cur);
    free(merged);
    return s;
}

/* Once the row's household is known: a second 户主 is put off to the final
 * pass (*refused), and there makes the row invalid, naming the head. */
static ws_status import_check_head(import_ctx *c, const csv_row *row, const char *name,
                                   const resident *r, bool *refused)
{
    field_error fe;
    *refused = false;
    ws_status s = resident_check_head(c->st, r, &fe);
    if (s != WS_ERR_INVALID)
        return s;
    *refused = true;
    if (!c->final_pass)
        return import_defer(c, row) ? WS_OK : WS_ERR_NOMEM;
    char why[512];
    import_reason_fe(&fe, why, sizeof why);
    import_invalid(c, row, name, why);
    return WS_OK;
}

/* A 户主 (was) written out of the household as the head (now): kept to
 * check the household once every row is in. */
static ws_status import_note_demoted(import_ctx *c, size_t line, const resident *was,
                                     const resident *now)
{
    if (!was->household_id || strcmp(was->relation, "head") != 0 ||
        (now->household_id == was->household_id && !strcmp(now->relation, "head")))
        return WS_OK;
    if (!import_room((void **)&c->demoted, &c->capdemoted, c->ndemoted, sizeof *c->demoted))
        return WS_ERR_NOMEM;
    struct import_demoted *dm = &c->demoted[c->ndemoted++];
    dm->line = line;
    dm->household = was->household_id;
    import_show(was->name, 20, dm->name, sizeof dm->name);
    return WS_OK;
}

/* The reason an earlier run refused the row at line, or NULL. */
static const char *import_refused_why(const import_ctx *c, size_t line)
{
    for (size_t i = 0; i < c->nrefused; i++)
        if (c->refused[i].line == line)
            return c->refused[i].why;
    return NULL;
}

/* Households that a row of this run left with members but no 户主 (the
 * rule of the merge review): each such row is refused, and *again says
 * the run must start over without them. Rows that make someone else the
 * head, anywhere in the file, are in by now. */
static ws_status import_headless(import_ctx *c, bool *again)
{
    *again = false;
    sqlite3_stmt *q = db_prepare(c->d,
        "SELECT h.number FROM households h WHERE h.id = ?1 AND h.deleted_at IS NULL"
        " AND EXISTS (SELECT 1 FROM residents WHERE household_id = h.id AND deleted_at IS NULL)"
        " AND NOT EXISTS (SELECT 1 FROM residents WHERE household_id = h.id"
        "  AND relation = 'head' AND deleted_at IS NULL)");
    if (!q)
        return db_status(c->d);
    ws_status s = WS_OK;
    for (size_t i = 0; s == WS_OK && i < c->ndemoted; i++) {
        const struct import_demoted *dm = &c->demoted[i];
        sqlite3_bind_int64(q, 1, dm->household);
        int rc = sqlite3_step(q);
        if (rc == SQLITE_ROW && !import_refused_why(c, dm->line)) {
            if (!import_room((void **)&c->refused, &c->caprefused, c->nrefused,
                             sizeof *c->refused)) {
                s = WS_ERR_NOMEM;
            } else {
                char number[64];
                import_show((const char *)sqlite3_column_text(q, 0), 16, number, sizeof number);
                struct import_refused *rf = &c->refused[c->nrefused++];
                rf->line = dm->line;
                trf(rf->why, sizeof rf->why, "import.headless", dm->name, number);
                import_utf8_fix(rf->why);
                *again = true;
            }
        } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            s = db_status_from(rc);
        }
        db_reset(q);
    }
    return s;
}

/* A row that puts someone in a household without saying who they are to
 * its head: refused as the form refuses it (the relations are the one
 * truth of 户主). */
static void import_no_relation(import_ctx *c, const csv_row *row, const char *name)
{
    field_error fe;
    memset(&fe, 0, sizeof fe);
    fe.field = RF_RELATION;
    fe.code = VAL_RELATION_NEEDED;
    char why[512];
    import_reason_fe(&fe, why, sizeof why);
    import_invalid(c, row, name, why);
}

static void import_part(char *out, size_t outsz, const char *part)
{
    if (!*part)
        return;
    size_t used = strlen(out);
    snprintf(out + used, outsz - used, "%s%s", used ? tr("import.part_sep") : "", part);
    import_utf8_fix(out);
}

/* What a new row registers, for the preview: the ID number and phone
 * masked as lists show them, the community, household and relation, the
 * statuses. */
static void import_new_text(import_ctx *c, const import_row *ir, char *out, size_t outsz)
{
    const resident *r = &ir->r;
    char buf[600], shown[160];
    out[0] = '\0';
    if (r->id_number[0]) {
        mask_id_number(r->id_number, buf, sizeof buf);
        import_part(out, outsz, buf);
    } else if (r->birth_date[0]) {
        import_part(out, outsz, trf(buf, sizeof buf, "import.note_birth", r->birth_date));
    }
    mask_phone(r->phone, buf, sizeof buf);
    import_part(out, outsz, buf);
    import_show(ir->community, 20, shown, sizeof shown);
    import_part(out, outsz, shown);
    if (ir->household[0]) {
        import_show(ir->household, 16, shown, sizeof shown);
        if (r->relation[0])
            trf(buf, sizeof buf, "import.note_household_rel", shown,
                import_code_text(c, "relation", r->relation));
        else
            trf(buf, sizeof buf, "import.note_household", shown);
        import_part(out, outsz, buf);
    }
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < r->ngroups && used + 40 < sizeof buf; i++)
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s",
                                 i ? tr("export.group_sep") : "",
                                 import_code_text(c, "vulnerable_group", r->groups[i].code));
    import_part(out, outsz, buf);
}

/* A row whose ID number is registered to someone whose name has nothing
 * to do with the row's: never written over that person; it waits in the
 * review (待核对) beside them, where the clerk takes the new name or not. */
static ws_status import_wrong_match(import_ctx *c, const csv_row *row, import_row *ir,
                                    const resident *cur, const char *namebuf, bool alike)
{
    resident *r = &ir->r;
    field_error fe;
    char why[512];
    /* Validated as the registered one's own row: its ID number is no
     * second person's. */
    r->id = cur->id;
    ws_status s = resident_validate(c->st, r, &fe);
    r->id = 0;
    if (s == WS_ERR_INVALID) {
        import_reason_fe(&fe, why, sizeof why);
        import_invalid(c, row, namebuf, why);
        return WS_OK;
    }
    if (s == WS_OK && ir->household[0] && !r->relation[0]) {
        import_no_relation(c, row, namebuf);
        return WS_OK;
    }
    if (s == WS_OK)
        s = import_refs(c, ir, 0, 0, why, sizeof why);
    if (s == WS_OK && why[0]) {
        import_invalid(c, row, namebuf, why);
        return WS_OK;
    }
    bool decided = false;
    if (s == WS_OK)
        s = import_pending_add(c, r, row->line, cur->id, &decided);
    if (s != WS_OK)
        return s;
    if (decided) {
        c->rep->counts[IMPORT_UNCHANGED]++;
        return WS_OK;
    }
    c->rep->counts[IMPORT_DUPLICATE]++;
    /* Both names, so the clerk sees what differs without opening it: the
     * same reading (an IME's wrong character) or another name entirely. */
    char cn[128], rn[128];
    import_show(cur->name, 20, cn, sizeof cn);
    import_show(r->name, 20, rn, sizeof rn);
    trf(why, sizeof why, alike ? "import.note_id_name_homophone" : "import.note_id_name_other",
        cn, rn);
    import_note_add(c, IMPORT_DUPLICATE, row->line, r->name, why);
    return WS_OK;
}

/* Whether two names are one once folded (張偉 and 张伟, full-width letters,
 * case): *same, or WS_ERR_NOMEM. */
static ws_status import_names_fold_same(const char *a, const char *b, bool *same)
{
    char *fa = text_fold(a), *fb = text_fold(b);
    ws_status s = fa && fb ? WS_OK : WS_ERR_NOMEM;
    *same = s == WS_OK && !strcmp(fa, fb);
    free(fa);
    free(fb);
    return s;
}

static ws_status import_one(import_ctx *c, const csv_row *row)
{
    import_report *rep = c->rep;
    import_row *ir = malloc(sizeof *ir);
    resident *cur = malloc(sizeof *cur);
    if (!ir || !cur) {
        free(ir);
        free(cur);
        return WS_ERR_NOMEM;
    }
    ws_status s = WS_OK;
    char why[1600];
    char namebuf[256] = "";
    int nc = c->col_of[IMP_NAME];
    if (nc >= 0 && (size_t)nc < row->n)
        import_clean(row->fields[nc], false, namebuf, sizeof namebuf);
    /* The shape of the row first: shifted columns make every value wrong. */
    size_t nf = row->n;
    while (nf > c->nheader && row->lens[nf - 1] == 0)
        nf--;
    if (row->unterminated) {
        import_invalid(c, row, namebuf, tr("import.unterminated"));
        goto done;
    }
    /* Before the shape: a total row rarely fills every column. */
    import_skip_reason skip;
    if (import_not_a_person(c, row, &skip)) {
        import_skip_row(c, row, skip);
        goto done;
    }
    if (nf != c->nheader) {
        trf(why, sizeof why, nf > c->nheader ? "import.too_many_fields" : "import.too_few_fields",
            nf, c->nheader);
        import_invalid(c, row, namebuf, why);
        goto done;
    }
    if (!import_convert(c, row, ir, why, sizeof why)) {
        import_invalid(c, row, namebuf, why);
        goto done;
    }
    ir->line = row->line;
    resident *r = &ir->r;
    /* Matched by the name as the register keeps it (one kind of dot); an
     * invalid one is left for the validation to name. */
    char name[sizeof r->name];
    if (val_person_name(r->name, c->name_flags, 0, name, sizeof name) == VAL_OK)
        memcpy(r->name, name, sizeof name);
    char birth[11], phone[32], idn[19];
    import_keys(c, r, birth, phone, idn);
    int64_t existing = 0;
    if (idn[0] && (s = import_find_by_id(c, idn, &existing)) != WS_OK)
        goto done;
    bool by_id = existing != 0;
    if (idn[0] && !existing) {
        /* Someone deleted: a second person with the number would block
         * their restore for good. The clerk restores them first. */
        char gone[192];
        if ((s = import_find_deleted(c, idn, gone, sizeof gone)) != WS_OK)
            goto done;
        if (gone[0]) {
            char shown[128];
            import_show(gone, 20, shown, sizeof shown);
            trf(why, sizeof why, "import.in_bin", shown);
            import_invalid(c, row, namebuf, why);
            goto done;
        }
    }
    import_match m = {0};
    if (!existing && r->name[0]) {
        /* The reading as the register stores it: of the folded name, so
         * 張偉 reads as 张伟 does. */
        const search_prep *ahead = search_prep_offered(c->d);
        if (search_prep_of(ahead, r->name, r->id_number, r->phone, r->address)) {
            s = import_find_similar(c, r, ir->household, search_prep_derived(ahead)->py.full,
                                    birth, phone, idn, &m);
        } else {
            text_pinyin py = {0};
            char *folded = text_fold(r->name);
            if (!folded) {
                s = WS_ERR_NOMEM;
                goto done;
            }
            if (text_pinyin_name(folded, &py) == WS_OK && py.full)
                s = import_find_similar(c, r, ir->household, py.full, birth, phone, idn, &m);
            text_pinyin_clear(&py);
            free(folded);
        }
        if (s == WS_OK && idn[0] && ir->household[0] && !m.same && !m.candidate)
            s = import_find_in_household(c, r, ir->household, birth, &m);
        if (s == WS_OK && !m.same && !m.candidate && m.weak)
            s = import_weigh_namesake(c, ir, &m);
        if (s != WS_OK)
            goto done;
        existing = m.same;
    }
    field_error fe;
    if (existing) {
        /* Whole: a 录入员's masks are for the eyes, not for the merge
         * (the notes below mask what that role may not see). */
        if ((s = resident_load_whole(c->st, existing, cur)) != WS_OK)
            goto done;
        /* The name of someone registered is never changed by a ledger: a
         * name that is another once folded waits for a clerk, with nothing
         * of the row written. Neither a homophone (章伟 for 张伟: the IME
         * picked the wrong character) nor a column shifted by a row (it
         * pairs a number with the next member of the family, who shares
         * the surname and often the generation character) is a change of
         * name a spreadsheet can make. One that is the same once folded
         * (張偉, full-width letters) is no change: the register's spelling
         * stays. */
        if (by_id && r->name[0] && strcmp(r->name, cur->name) != 0) {
            bool same = false;
            if ((s = import_names_fold_same(r->name, cur->name, &same)) != WS_OK)
                goto done;
            if (!same) {
                s = import_wrong_match(c, row, ir, cur, namebuf,
                                       text_names_alike(r->name, cur->name));
                goto done;
            }
            memcpy(r->name, cur->name, sizeof r->name);
        }
        const char *refused_why = import_refused_why(c, row->line);
        if (refused_why) {
            import_invalid(c, row, namebuf, refused_why);
            goto done;
        }
        if (!import_notes_fit(cur, r, why, sizeof why)) {
            import_invalid(c, row, namebuf, why);
            goto done;
        }
        resident merged = *cur;
        import_merge(&merged, r);
        /* The head is checked once, by import_check_head, when the
         * household is final (the row may name another), and can wait
         * for the final pass there. */
        int64_t kept_household = merged.household_id;
        merged.household_id = 0;
        s = resident_validate(c->st, &merged, &fe);
        if (s == WS_ERR_INVALID) {
            s = WS_OK;
            import_reason_fe(&fe, why, sizeof why);
            import_invalid(c, row, namebuf, why);
            goto done;
        }
        /* Moved into the household the row names, and nobody says as
         * what: refused before the household is made. */
        if (s == WS_OK && ir->household[0] && !merged.relation[0] &&
            !import_household_is(c, kept_household, ir->household)) {
            import_no_relation(c, row, namebuf);
            goto done;
        }
        /* Communities and households named by the row exist from here on. */
        if (s == WS_OK)
            s = import_refs(c, ir, kept_household, cur->community_id, why, sizeof why);
        if (s != WS_OK)
            goto done;
        if (why[0]) {
            import_invalid(c, row, namebuf, why);
            goto done;
        }
        if (r->community_id)
            merged.community_id = r->community_id;
        merged.household_id = r->household_id ? r->household_id : kept_household;
        bool refused;
        if ((s = import_check_head(c, row, namebuf, &merged, &refused)) != WS_OK || refused)
            goto done;
        size_t first = import_touched_get(c, existing);
        if (import_same(cur, &merged)) {
            if (first) {
                rep->counts[IMPORT_INFILE]++;
                trf(why, sizeof why, "import.note_infile", first);
                import_note_add(c, IMPORT_INFILE, row->line, namebuf, why);
            } else {
                rep->counts[IMPORT_UNCHANGED]++;
                s = import_touched_put(c, existing, row->line);
            }
            goto done;
        }
        /* A change to someone registered in a household without a
         * relation (an older register) is written only with one. */
        if (merged.household_id && !merged.relation[0]) {
            import_no_relation(c, row, namebuf);
            goto done;
        }
        if (first) {
            /* Two rows of the file for one person that disagree: the clerk
             * decides which is right. */
            trf(why, sizeof why, "import.infile_conflict", first);
            import_invalid(c, row, namebuf, why);
            goto done;
        }
        char diff[448];
        import_diff(c, cur, &merged, diff, sizeof diff);
        if ((s = import_note_demoted(c, row->line, cur, &merged)) != WS_OK ||
            (s = resident_store(c->st, &merged)) != WS_OK)
            goto done;
        rep->counts[IMPORT_UPDATE]++;
        import_note_add(c, IMPORT_UPDATE, row->line, merged.name, diff);
        s = import_touched_put(c, existing, row->line);
        goto done;
    }
    /* A new resident or a possible duplicate: validated as the form does
     * (the household, named by the row, is checked here: it is made only
     * for a row that can go in). */
    s = resident_validate(c->st, r, &fe);
    if (s == WS_ERR_INVALID) {
        s = WS_OK;
        import_reason_fe(&fe, why, sizeof why);
        import_invalid(c, row, namebuf, why);
        goto done;
    }
    if (s == WS_OK && ir->household[0] && !r->relation[0]) {
        import_no_relation(c, row, namebuf);
        goto done;
    }
    if (s == WS_OK)
        s = import_refs(c, ir, 0, 0, why, sizeof why);
    if (s != WS_OK)
        goto done;
    if (why[0]) {
        import_invalid(c, row, namebuf, why);
        goto done;
    }
    if (m.candidate) {
        bool decided = false;
        if ((s = import_pending_add(c, r, row->line, m.candidate, &decided)) != WS_OK)
            goto done;
        if (decided) {
            rep->counts[IMPORT_UNCHANGED]++;
            goto done;
        }
        rep->counts[IMPORT_DUPLICATE]++;
        char cn[128], cp[40];
        import_show(m.cname, 20, cn, sizeof cn);
        mask_phone(m.cphone, cp, sizeof cp);
        char cb[16];
        if (station_can(c->st, PERM_IDS_FULL))
            snprintf(cb, sizeof cb, "%s", m.cbirth);
        else
            mask_birth_date(m.cbirth, cb, sizeof cb);
        trf(why, sizeof why, "import.note_duplicate", cn, cb[0] ? cb : "-",
            cp[0] ? cp : "-");
        import_note_add(c, IMPORT_DUPLICATE, row->line, r->name, why);
        goto done;
    }
    /* A possible duplicate above waits for the clerk, who re-validates. */
    bool refused = false;
    if ((s = import_check_head(c, row, namebuf, r, &refused)) != WS_OK || refused)
        goto done;
    r->id = 0;
    if ((s = resident_store(c->st, r)) != WS_OK)
        goto done;
    rep->counts[IMPORT_NEW]++;
    if (c->opts->list_new) {
        char text[640];
        import_new_text(c, ir, text, sizeof text);
        import_note_add(c, IMPORT_NEW, row->line, r->name, text);
    }
    s = import_touched_put(c, r->id, row->line);
done:
    free(ir);
    free(cur);
    return s;
}

/* ---- the file ---- */

static int import_map_header(const csv_row *row, import_column *cols, size_t *ncols,
                             int col_of[IMP_FIELD_COUNT], bool *relation_is_head)
{
    for (int f = 0; f < IMP_FIELD_COUNT; f++)
        col_of[f] = -1;
    *ncols = row->n < IMPORT_MAX_COLS ? row->n : IMPORT_MAX_COLS;
    *relation_is_head = false;
    int known = 0;
    for (size_t i = 0; i < *ncols; i++) {
        import_column *col = &cols[i];
        memset(col, 0, sizeof *col);
        snprintf(col->header, sizeof col->header, "%s", row->fields[i]);
        import_utf8_fix(col->header);
        col->field = import_header_field(row->fields[i]);
        if (col->field == IMP_NONE || col->field == IMP_SKIP)
            continue;
        if (col_of[col->field] >= 0) {
            col->repeated = true;
            continue;
        }
        col_of[col->field] = (int)i;
        known++;
        if (col->field == IMP_RELATION) {
            char norm[64];
            import_header_norm(row->fields[i], norm, sizeof norm);
            *relation_is_head = !strcmp(norm, "户主");
        }
    }
    return known;
}

void import_error_path(const char *path, char *out, size_t outsz)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        dot = base + strlen(base);
    /* A workbook's error rows are a CSV beside it. */
    snprintf(out, outsz, "%.*s%s%s", (int)(dot - path), path, tr("import.error_suffix"),
             *dot && !workbook_name(base) ? dot : ".csv");
}

static double import_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static ws_status import_write_errors(const enc_info *e, const csv_buf *errors,
                                     const char *path)
{
    if (errors->oom)
        return WS_ERR_NOMEM;
    char *out = NULL;
    size_t outlen = 0;
    ws_status s = enc_from_utf8(errors->p ? errors->p : "", errors->len, e->name, e->bom, &out,
                                &outlen);
    if (s == WS_OK)
        s = enc_write_file(path, out, outlen);
    free(out);
    return s;
}

/* dir/base, or when that file exists dir/stem-2.ext, -3, ...: a file
 * in the fallback folder is never overwritten (a clerk's corrected error
 * rows of an earlier import may be there). false when none is free. */
bool import_free_name(const char *dir, const char *base, char *out, size_t outsz)
{
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        dot = base + strlen(base);
    for (int n = 1; n < 100; n++) {
        if (n == 1)
            snprintf(out, outsz, "%s/%s", dir, base);
        else
            snprintf(out, outsz, "%s/%.*s-%d%s", dir, (int)(dot - base), base, n, dot);
        struct stat sb;
        if (lstat(out, &sb) == 0)
            continue;
        return errno == ENOENT; /* else the folder itself is no folder */
    }
    return false;
}

/* The error file beside the ledger, else under its name in the home
 * folder, else in the station's data folder (a free name there, never over
 * another file): a ledger on a write-protected
 * USB stick is still imported, its valid rows with it. trouble says why
 * not beside the ledger; error_path stays "" when no folder took it (the
 * rows are still in the report's notes). Every kind's import writes its
 * error file here. */
ws_status import_errors_save(db *d, const char *want, const enc_info *enc,
                             const csv_buf *errors, const import_errfile *o)
{
    char *error_path = o->path, *trouble = o->trouble;
    size_t error_pathsz = o->pathsz;
    error_path[0] = trouble[0] = o->old[0] = o->kept[0] = '\0';
    /* An earlier error file is kept, never written over (its rows may
     * have been corrected). */
    ws_status s = import_errors_earlier(want, enc, errors, o);
    if (s == WS_OK && errors)
        s = import_write_errors(enc, errors, want);
    if (s == WS_OK && errors)
        snprintf(error_path, error_pathsz, "%s", want);
    if (s == WS_OK || s == WS_ERR_NOMEM)
        return s;
    if (!trouble[0]) {
        int e = errno;
        char why[256];
        trf(trouble, o->troublesz, "os.write_failed", want,
            s == WS_ERR_IO || s == WS_ERR_FULL ? enc_os_error(e, why, sizeof why)
                                               : tr(ws_status_key(s)));
        import_utf8_fix(trouble);
    }
    const char *slash = strrchr(want, '/');
    const char *base = slash ? slash + 1 : want;
    char data[4096] = "";
    const char *db_file = d ? sqlite3_db_filename(db_handle(d), "main") : NULL;
    if (db_file && *db_file) {
        snprintf(data, sizeof data, "%s", db_file);
        char *cut = strrchr(data, '/');
        if (cut)
            *cut = '\0';
        else
            snprintf(data, sizeof data, ".");
    }
    const char *home = getenv("HOME");
    const char *dirs[2] = {home && *home ? home : NULL, data[0] ? data : NULL};
    char *alt = malloc(8192);
    if (!alt)
        return WS_ERR_NOMEM;
    for (size_t i = 0; i < 2; i++) {
        if (!dirs[i])
            continue;
        if (!import_free_name(dirs[i], base, alt, 8192))
            continue;
        if (strcmp(alt, want) != 0 && strlen(alt) < error_pathsz &&
            import_write_errors(enc, errors, alt) == WS_OK) {
            snprintf(error_path, error_pathsz, "%s", alt);
            break;
        }
    }
    free(alt);
    return WS_OK;
}

static ws_status import_errors_out(import_ctx *c, const char *error_path)
{
    import_report *rep = c->rep;
    return import_errors_save(c->d, error_path, &rep->enc,
                              rep->counts[IMPORT_INVALID] ? &c->errors : NULL,
                              IMPORT_ERRFILE(rep));
}

static void import_ctx_free(import_ctx *c)
{
    free(c->demoted);
    free(c->refused);
    free(c->gone);
    free(c->comms);
    free(c->old_reason);
    free(c->tkeys);
    free(c->tlines);
    csv_buf_free(&c->errors);
}

/* import_run with *again: it found rows to refuse (import_headless),
 * rolled back, and must run again. */
static ws_status import_run(import_ctx *c, csv_reader *rd, size_t total, const char *error_path,
                            char *err, size_t errsz, bool *again)
{
    *again = false;
    import_report *rep = c->rep;
    const import_opts *o = c->opts;
    db *d = c->d;
    ws_status s = db_begin(d);
    if (s != WS_OK) {
        snprintf(err, errsz, "%s", tr(ws_status_key(s)));
        return s;
    }
    db_set_bulk(d, true);
    s = search_batch_begin(d);
    size_t done = 0;
    csv_row row;
    ws_status rs = WS_OK;
    while (s == WS_OK && (rs = csv_next(rd, &row)) == WS_OK) {
        if (row.blank) {
            rep->blank++;
            continue;
        }
        size_t missed = search_prep_missed(d);
        if (c->ahead)
            search_prep_offer(d, import_ahead_take(c->ahead, row.line));
        bool offered = search_prep_offered(d) != NULL;
        s = import_one(c, &row);
        import_ahead_used(c->ahead, (offered && !search_prep_offered(d)) ||
                                        search_prep_missed(d) != missed);
        done++;
        if (o->progress && (done % 256 == 0 || done == total) &&
            !o->progress(o->ctx, done, total)) {
            rep->cancelled = true;
            break;
        }
    }
    if (s == WS_OK && rs == WS_ERR_NOMEM)
        s = WS_ERR_NOMEM;
    import_ahead_stop(&c->ahead);
    search_prep_offer(d, NULL);
    c->final_pass = true;
    for (size_t i = 0; i < c->ndeferred; i++) {
        if (s == WS_OK && !rep->cancelled)
            s = import_one(c, &c->deferred[i]);
        import_row_free(&c->deferred[i]);
    }
    free(c->deferred);
    c->deferred = NULL;
    c->ndeferred = c->capdeferred = 0;
    if (s == WS_OK && !rep->cancelled)
        s = import_headless(c, again);
    bool keep = s == WS_OK && !rep->cancelled && !o->dry_run && !*again;
    ws_status e = search_batch_end(d, keep);
    if (s == WS_OK && keep)
        s = e;
    if (*again) {
        db_rollback(d);
        db_set_bulk(d, false);
        return s;
    }
    if (s == WS_OK && keep && error_path)
        s = import_errors_out(c, error_path);
    /* Who is due for a visit, after the bulk load. */
    if (s == WS_OK && keep)
        s = due_rebuild(c->st);
    if (s == WS_OK && keep)
        s = db_commit(d);
    else
        db_rollback(d);
    /* Nothing imported: no error file of this run, the earlier one back. */
    if (s != WS_OK && keep)
        import_errors_undo(IMPORT_ERRFILE(rep));
    db_set_bulk(d, false);
    if (s != WS_OK && !err[0])
        snprintf(err, errsz, "%s (%s)", tr(ws_status_key(s)), db_errmsg(d));
    return s;
}

/* Back to the first row below the header with nothing counted, for a run
 * that refuses the rows an earlier one found (c->refused stays). */
static void import_restart(import_ctx *c, csv_reader *rd, size_t data_start)
{
    import_report *rep = c->rep;
    for (size_t i = 0; i < rep->nnotes; i++)
        free(rep->notes[i].text);
    rep->nnotes = rep->notes_lost = 0;
    rep->nskips = rep->skips_lost = rep->skipped = rep->blank = 0;
    memset(rep->counts, 0, sizeof rep->counts);
    rep->new_communities = rep->new_households = rep->ncreated = rep->other_phones = 0;
    rep->error_path[0] = rep->error_trouble[0] = '\0';
    c->ncomms = 0; /* created by the run rolled back */
    if (c->tcap)
        memset(c->tkeys, 0, c->tcap * sizeof *c->tkeys);
    c->tn = 0;
    c->errors.len = c->errors_header;
    c->ndemoted = 0;
    c->final_pass = false;
    csv_rewind(rd);
    csv_row row;
    while (csv_offset(rd) < data_start && csv_next(rd, &row) == WS_OK)
        ;
}

/* import_residents_buf, for a workbook's sheet too (sheet: its name, or
 * ""), which the report names before the mapped callback. */
static ws_status import_residents_run(station *st, const char *name, const char *buf,
                                      size_t len, const char *sheet, const char *error_path,
                                      const import_opts *opts, import_report *rep, char *err,
                                      size_t errsz)
{
    double t0 = import_now();
    import_opts defaults = {0};
    if (!opts)
        opts = &defaults;
    memset(rep, 0, sizeof *rep);
    snprintf(rep->sheet, sizeof rep->sheet, "%s", sheet);
    ws_status denied_ = station_require(st, PERM_IMPORT);
    if (denied_ != WS_OK) {
        snprintf(err, errsz, "%s", tr(ws_status_key(denied_)));
        return denied_;
    }
    err[0] = '\0';
    rep->dry_run = opts->dry_run;
    if (opts->encoding && *opts->encoding) {
        if (!enc_canonical(opts->encoding, rep->enc.name, sizeof rep->enc.name)) {
            trf(err, errsz, "import.bad_encoding", opts->encoding);
            return WS_ERR_USAGE;
        }
        enc_info seen;
        enc_detect(buf, len, &seen);
        rep->enc.bom = seen.bom && !strcmp(seen.name, rep->enc.name);
        rep->enc.confidence = 100;
    } else {
        enc_detect(buf, len, &rep->enc);
    }
    char *text = NULL;
    size_t tlen = 0;
    ws_status s = enc_to_utf8(buf, len, rep->enc.name, &text, &tlen, &rep->bad_bytes);
    if (s != WS_OK) {
        trf(err, errsz, "import.bad_encoding", rep->enc.name);
        return s;
    }
    rep->delim = csv_sniff(text, tlen);
    csv_reader *rd = csv_reader_new(text, tlen, rep->delim);
    import_ctx c = {.st = st, .d = station_db(st), .opts = opts, .rep = rep, .source = name,
                    .name_flags = resident_name_flags(st) | VAL_NAME_JOIN_HAN};
    date_today(c.today);
    if (!rd) {
        free(text);
        return WS_ERR_NOMEM;
    }
    /* The header: the first of the first lines that names a 姓名 column
     * (a ledger often starts with its title and a date). */
    csv_row row;
    bool found = false;
    for (int tries = 0; !found && tries < 10 && csv_next(rd, &row) == WS_OK;) {
        if (row.blank)
            continue;
        tries++;
        import_map_header(&row, rep->cols, &rep->ncols, c.col_of, &c.relation_is_head);
        if (c.col_of[IMP_NAME] >= 0) {
            found = true;
            rep->header_line = row.line;
            c.nheader = row.n;
            c.old_reason = calloc(row.n ? row.n : 1, sizeof *c.old_reason);
            if (!c.old_reason) {
                csv_reader_free(&rd);
                free(text);
                import_ctx_free(&c);
                return WS_ERR_NOMEM;
            }
            /* The error file starts with the same header, plus the reason
             * (an error file's own reason column left out). */
            bool first = true;
            for (size_t i = 0; i < row.n; i++) {
                if ((c.old_reason[i] = import_is_reason_col(row.fields[i])))
                    continue;
                csv_put_field(&c.errors, row.fields[i], rep->delim, first);
                first = false;
            }
            csv_put_field(&c.errors, tr("import.reason_col"), rep->delim, first);
            csv_end_row(&c.errors, "\r\n");
            c.errors_header = c.errors.len;
        }
    }
    if (!found) {
        /* Read in the wrong encoding, a header is not found either: the
         * message names the one used, the front end says how to choose. */
        if (tlen && rep->sheet[0])
            trf(err, errsz, "book.no_header", rep->sheet);
        else if (tlen)
            trf(err, errsz, "import.no_header", rep->enc.name);
        else
            snprintf(err, errsz, "%s", tr("import.empty"));
        rep->header_missing = tlen > 0;
        rep->ncols = 0;
        csv_reader_free(&rd);
        free(text);
        import_ctx_free(&c);
        return WS_ERR_INVALID;
    }
    /* Count the rows for the progress bar, then go back to them. */
    size_t data_start = csv_offset(rd);
    size_t total = 0;
    while (csv_next(rd, &row) == WS_OK)
        if (!row.blank)
            total++;
    rep->rows = total;
    csv_rewind(rd);
    while (csv_offset(rd) < data_start && csv_next(rd, &row) == WS_OK)
        ;
    if (opts->mapped)
        opts->mapped(opts->ctx, rep);
    for (;;) {
        c.ahead = import_ahead_start(text, tlen, rep->delim, data_start,
                                     import_row_keys, &c);
        bool again = false;
        s = import_run(&c, rd, total, error_path, err, errsz, &again);
        import_ahead_stop(&c.ahead);
        if (s != WS_OK || !again)
            break;
        import_restart(&c, rd, data_start);
    }
    csv_reader_free(&rd);
    free(text);
    import_ctx_free(&c);
    rep->seconds = import_now() - t0;
    return s;
}

ws_status import_residents_buf(station *st, const char *name, const char *buf, size_t len,
                               const char *error_path, const import_opts *opts,
                               import_report *rep, char *err, size_t errsz)
{
    return import_residents_run(st, name, buf, len, "", error_path, opts, rep, err, errsz);
}

ws_status import_residents(station *st, const char *path, const import_opts *opts,
                           import_report *rep, char *err, size_t errsz)
{
    memset(rep, 0, sizeof *rep);
    ws_status denied_ = station_require(st, PERM_IMPORT);
    if (denied_ != WS_OK) {
        snprintf(err, errsz, "%s", tr(ws_status_key(denied_)));
        return denied_;
    }
    char *buf = NULL;
    size_t len = 0;
    char sheet[256];
    ws_status s = ledger_read(path, opts ? opts->sheet : NULL, &buf, &len, sheet, sizeof sheet,
                              err, errsz);
    if (s != WS_OK)
        return s;
    bool book = sheet[0] != '\0';
    /* A workbook's rows come as UTF-8 text, whatever --encoding says. */
    import_opts as_book;
    if (book && opts) {
        as_book = *opts;
        as_book.encoding = NULL;
        opts = &as_book;
    }
    const char *slash = strrchr(path, '/');
    char *errpath = malloc(4096);
    if (!errpath) {
        free(buf);
        return WS_ERR_NOMEM;
    }
    import_error_path(path, errpath, 4096);
    s = import_residents_run(st, slash ? slash + 1 : path, buf, len, sheet,
                             opts && opts->dry_run ? NULL : errpath, opts, rep, err, errsz);
    if (rep->header_missing && sheet[0])
        import_sheets_said(path, err, errsz);
    free(errpath);
    free(buf);
    return s;
}

void import_report_free(import_report *rep)
{
    for (size_t i = 0; i < rep->nnotes; i++)
        free(rep->notes[i].text);
    free(rep->notes);
    rep->notes = NULL;
    rep->nnotes = rep->capnotes = 0;
    free(rep->skips);
    rep->skips = NULL;
    rep->nskips = rep->capskips = 0;
}
