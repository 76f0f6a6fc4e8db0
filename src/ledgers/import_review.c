/* Possible duplicates waiting for review: imported rows kept in
 * import_pending until the clerk merges them into the resident they look
 * like, keeps both, or skips them. A merge is chosen field by field (the
 * registered identity stays unless the clerk takes the row's value), is
 * written through the resident write path, and can be undone: the row
 * moves to import_merges with the resident before and after, and back. */
#include "wushe/import.h"
#include "wushe/access.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "ids.h"
#include "resident_internal.h"
#include "station_internal.h"
#include "wushe/text.h"
#include "wushe/catalog.h"
#include "wushe/codes.h"

ws_status import_pending_count(station *st, int64_t *n)
{
    ws_status denied_ = station_require(st, PERM_REGISTER_READ);
    if (denied_ != WS_OK)
        return denied_;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, "SELECT count(*) FROM import_pending");
    if (!q)
        return db_status(d);
    int rc = sqlite3_step(q);
    *n = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    db_reset(q);
    return rc == SQLITE_ROW ? WS_OK : db_status_from(rc);
}

/* Columns 4-10: the row's person; 11-17: the registered resident's. */
#define IMPORT_PERSON_COLUMNS                                                                   \
    " json_extract(p.row_json, '$.name'), json_extract(p.row_json, '$.sex'),"                  \
    " json_extract(p.row_json, '$.birth_date'), json_extract(p.row_json, '$.id_number'),"      \
    " json_extract(p.row_json, '$.phone'),"                                                    \
    " (SELECT name FROM communities WHERE id = json_extract(p.row_json, '$.community_id')),"    \
    " json_extract(p.row_json, '$.address'),"                                                  \
    " r.name, r.sex, r.birth_date, r.id_number, r.phone, c.name, r.address"

#define IMPORT_PENDING_SELECT                                                                   \
    "SELECT p.id, p.source, p.line, p.candidate_id," IMPORT_PERSON_COLUMNS                     \
    " FROM import_pending p LEFT JOIN residents r ON r.id = p.candidate_id"                    \
    " LEFT JOIN communities c ON c.id = r.community_id"

static const char *const import_pending_sql[4] = {
    IMPORT_PENDING_SELECT " ORDER BY p.id LIMIT ?2",
    IMPORT_PENDING_SELECT " WHERE p.id > ?1 ORDER BY p.id LIMIT ?2",
    IMPORT_PENDING_SELECT " ORDER BY p.id DESC LIMIT ?2",
    IMPORT_PENDING_SELECT " WHERE p.id < ?1 ORDER BY p.id DESC LIMIT ?2",
};

/* Rows waiting and merges standing, one list by the review row's id; ?3 is
 * the LIKE pattern of the filter (NULL: all). */
#define IMPORT_REVIEW_SELECT                                                                    \
    "SELECT p.id, p.source, p.line, p.candidate_id," IMPORT_PERSON_COLUMNS ","                 \
    " p.merged, p.merged_at, p.merged_by FROM"                                                 \
    " (SELECT id, source, line, candidate_id, row_json, 0 AS merged, '' AS merged_at,"         \
    "  '' AS merged_by FROM import_pending UNION ALL"                                          \
    "  SELECT pending_id, source, line, resident_id, row_json, 1, merged_at, merged_by"        \
    "  FROM import_merges WHERE undone_at IS NULL) p"                                          \
    " LEFT JOIN residents r ON r.id = p.candidate_id"                                          \
    " LEFT JOIN communities c ON c.id = r.community_id"                                        \
    " WHERE (?3 IS NULL OR json_extract(p.row_json, '$.name') LIKE ?3 ESCAPE '\\'"            \
    "  OR r.name_folded LIKE ?3 ESCAPE '\\' OR r.name_pinyin LIKE ?3 ESCAPE '\\'"              \
    "  OR r.name_initials LIKE ?3 ESCAPE '\\')"

static const char *const import_review_sql[4] = {
    IMPORT_REVIEW_SELECT " ORDER BY p.id LIMIT ?2",
    IMPORT_REVIEW_SELECT " AND p.id > ?1 ORDER BY p.id LIMIT ?2",
    IMPORT_REVIEW_SELECT " ORDER BY p.id DESC LIMIT ?2",
    IMPORT_REVIEW_SELECT " AND p.id < ?1 ORDER BY p.id DESC LIMIT ?2",
};

static void import_person_read(sqlite3_stmt *q, int col, import_person *p)
{
    db_column_copy(q, col, p->name, sizeof p->name);
    p->sex = sqlite3_column_int(q, col + 1);
    db_column_copy(q, col + 2, p->birth_date, sizeof p->birth_date);
    db_column_copy(q, col + 3, p->id_number, sizeof p->id_number);
    db_column_copy(q, col + 4, p->phone, sizeof p->phone);
    db_column_copy(q, col + 5, p->community, sizeof p->community);
    db_column_copy(q, col + 6, p->address, sizeof p->address);
}

/* The registered resident's identifiers as a role that may not read them
 * whole sees them (the comparison and the preview mask the same). */
static void import_person_mask(import_person *p)
{
    char idn[sizeof p->id_number], birth[sizeof p->birth_date], phone[sizeof p->phone];
    mask_id_number(p->id_number, idn, sizeof idn);
    mask_birth_date(p->birth_date, birth, sizeof birth);
    mask_phone(p->phone, phone, sizeof phone);
    memcpy(p->id_number, idn, sizeof idn);
    memcpy(p->birth_date, birth, sizeof birth);
    memcpy(p->phone, phone, sizeof phone);
}

static ws_status import_items_read(station *st, sqlite3_stmt *q, bool review,
                                   import_pending_item *items, size_t max, size_t *n)
{
    bool mask = !station_can(st, PERM_IDS_FULL);
    int rc = SQLITE_DONE;
    while (*n < max && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        import_pending_item *it = &items[(*n)++];
        memset(it, 0, sizeof *it);
        it->id = sqlite3_column_int64(q, 0);
        db_column_copy(q, 1, it->source, sizeof it->source);
        it->line = sqlite3_column_int64(q, 2);
        it->candidate_id = sqlite3_column_int64(q, 3);
        import_person_read(q, 4, &it->incoming);
        import_person_read(q, 11, &it->candidate);
        if (mask)
            import_person_mask(&it->candidate);
        if (review) {
            it->merged = sqlite3_column_int(q, 18) != 0;
            db_column_copy(q, 19, it->merged_at, sizeof it->merged_at);
            db_column_copy(q, 20, it->merged_by, sizeof it->merged_by);
        }
    }
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

ws_status import_pending_list(station *st, int64_t after, int dir, import_pending_item *items,
                              size_t max, size_t *n)
{
    ws_status denied_ = station_require(st, PERM_REGISTER_READ);
    if (denied_ != WS_OK)
        return denied_;
    *n = 0;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, import_pending_sql[(dir < 0 ? 2 : 0) + (after ? 1 : 0)]);
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, after);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)max);
    return import_items_read(st, q, false, items, max, n);
}

ws_status import_review_list(station *st, const char *filter, int64_t after, int dir,
                             import_pending_item *items, size_t max, size_t *n)
{
    ws_status denied_ = station_require(st, PERM_REGISTER_READ);
    if (denied_ != WS_OK)
        return denied_;
    *n = 0;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, import_review_sql[(dir < 0 ? 2 : 0) + (after ? 1 : 0)]);
    if (!q)
        return db_status(d);
    char *pat = search_like_pattern(filter);
    sqlite3_bind_int64(q, 1, after);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)max);
    db_bind_text_or_null(q, 3, pat);
    free(pat);
    return import_items_read(st, q, true, items, max, n);
}

/* ---- rows and residents as JSON ---- */

/* A resident from JSON with the keys of audit_log's snapshots (which the
 * rows of import_pending share); ids absent or null are 0. */
static ws_status review_json_resident(db *d, const char *json, resident *r)
{
    resident_init(r);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT 0, json_extract(?1, '$.name'), json_extract(?1, '$.id_number'),"
        " json_extract(?1, '$.sex'), json_extract(?1, '$.birth_date'),"
        " json_extract(?1, '$.phone'), json_extract(?1, '$.ethnicity'),"
        " json_extract(?1, '$.community_id'), json_extract(?1, '$.household_id'),"
        " json_extract(?1, '$.relation'), json_extract(?1, '$.address'),"
        " json_extract(?1, '$.notes')");
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, json);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        resident_read_columns(q, r);
    db_reset(q);
    if (rc != SQLITE_ROW)
        return db_status_from(rc);
    q = db_prepare(d,
        "SELECT json_extract(g.value, '$.code'), json_extract(g.value, '$.start_date'),"
        " json_extract(g.value, '$.cert_no'), json_extract(g.value, '$.review_date'),"
        " json_extract(g.value, '$.disability_type'), json_extract(g.value, '$.disability_grade')"
        " FROM json_each(?1, '$.groups') g ORDER BY g.key");
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, json);
    return resident_read_groups(q, r);
}

/* One row of import_pending. */
typedef struct review_row {
    int64_t id, candidate, line;
    char created_at[32], actor[64], source[256];
    char *json;
} review_row;

static ws_status review_row_load(db *d, int64_t id, review_row *row)
{
    memset(row, 0, sizeof *row);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT id, candidate_id, line, created_at, actor, source, row_json"
        " FROM import_pending WHERE id = ?1");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    ws_status s = rc == SQLITE_ROW ? WS_OK : rc == SQLITE_DONE ? WS_ERR_NOT_FOUND
                                                                : db_status_from(rc);
    if (s == WS_OK) {
        row->id = sqlite3_column_int64(q, 0);
        row->candidate = sqlite3_column_int64(q, 1);
        row->line = sqlite3_column_int64(q, 2);
        db_column_copy(q, 3, row->created_at, sizeof row->created_at);
        db_column_copy(q, 4, row->actor, sizeof row->actor);
        db_column_copy(q, 5, row->source, sizeof row->source);
        const char *j = (const char *)sqlite3_column_text(q, 6);
        row->json = strdup(j ? j : "{}");
        if (!row->json)
            s = WS_ERR_NOMEM;
    }
    db_reset(q);
    return s;
}

static ws_status review_row_delete(db *d, int64_t id)
{
    sqlite3_stmt *q = db_prepare(d, "DELETE FROM import_pending WHERE id = ?1");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    db_reset(q);
    return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* ---- values as a clerk reads them ---- */

static void review_code(station *st, const char *list, const char *code, bool brief, char *out,
                        size_t outsz)
{
    const code_item *it = *code ? codebook_find(station_codes(st), list, code) : NULL;
    snprintf(out, outsz, "%s", it ? code_label(it, brief) : code);
}

static void review_ref(db *d, bool household, int64_t id, char *out, size_t outsz)
{
    out[0] = '\0';
    if (!id)
        return;
    sqlite3_stmt *q = household ? db_prepare(d, "SELECT number FROM households WHERE id = ?1")
                                : db_prepare(d, "SELECT name FROM communities WHERE id = ?1");
    if (!q)
        return;
    sqlite3_bind_int64(q, 1, id);
    if (sqlite3_step(q) == SQLITE_ROW)
        db_column_copy(q, 0, out, outsz);
    db_reset(q);
}

/* Append "sep text" when text is not empty. */
static void review_put(char *out, size_t outsz, const char *sep, const char *text)
{
    if (!*text)
        return;
    size_t used = strlen(out);
    if (used < outsz)
        snprintf(out + used, outsz - used, "%s%s", used ? sep : "", text);
}

/* "低保对象（认定日期 2020-01-01，证件编号 ...）" */
static void review_group_text(station *st, const resident_group *g, char *out, size_t outsz)
{
    char name[128], part[512] = "", one[160], v[64];
    review_code(st, "vulnerable_group", g->code, false, name, sizeof name);
    const char *sep = tr("import.merge_sep");
    review_code(st, "disability_type", g->disability_type, true, v, sizeof v);
    review_put(part, sizeof part, sep, v);
    review_code(st, "disability_grade", g->disability_grade, false, v, sizeof v);
    review_put(part, sizeof part, " ", v);
    static const struct {
        size_t off;
        const char *label;
    } details[] = {{offsetof(resident_group, start_date), "field.group_start"},
                   {offsetof(resident_group, review_date), "field.group_review"},
                   {offsetof(resident_group, cert_no), "field.group_cert"}};
    for (size_t i = 0; i < sizeof details / sizeof *details; i++) {
        const char *val = (const char *)g + details[i].off;
        if (!*val)
            continue;
        snprintf(one, sizeof one, "%s %s", tr(details[i].label), val);
        review_put(part, sizeof part, sep, one);
    }
    if (part[0])
        trf(out, outsz, "import.merge_group", name, part);
    else
        snprintf(out, outsz, "%s", name);
}

/* The household's number and the relation to its head: "H3 户主". */
static void review_household_text(station *st, int64_t household, const char *relation,
                                  char *out, size_t outsz)
{
    char number[64], rel[64];
    review_ref(station_db(st), true, household, number, sizeof number);
    review_code(st, "relation", relation, false, rel, sizeof rel);
    out[0] = '\0';
    review_put(out, outsz, " ", number);
    review_put(out, outsz, " ", rel);
}

/* src's non-empty details over dst's: what taking an imported status does
 * to the one registered. */
static void review_group_overlay(resident_group *dst, const resident_group *src)
{
#define REVIEW_TAKE(f)  \
    if (src->f[0])      \
    memcpy(dst->f, src->f, sizeof dst->f)
    REVIEW_TAKE(start_date);
    REVIEW_TAKE(cert_no);
    REVIEW_TAKE(review_date);
    REVIEW_TAKE(disability_type);
    REVIEW_TAKE(disability_grade);
#undef REVIEW_TAKE
}

static bool review_group_same(const resident_group *a, const resident_group *b)
{
    if (!a || !b)
        return a == b;
    return !strcmp(a->code, b->code) && !strcmp(a->start_date, b->start_date) &&
           !strcmp(a->cert_no, b->cert_no) && !strcmp(a->review_date, b->review_date) &&
           !strcmp(a->disability_type, b->disability_type) &&
           !strcmp(a->disability_grade, b->disability_grade);
}

/* Whether overlaying src only fills details dst lacks. */
static bool review_group_fills(const resident_group *dst, const resident_group *src)
{
    const char *d[] = {dst->start_date, dst->cert_no, dst->review_date, dst->disability_type,
                       dst->disability_grade};
    const char *s[] = {src->start_date, src->cert_no, src->review_date, src->disability_type,
                       src->disability_grade};
    for (size_t i = 0; i < sizeof d / sizeof *d; i++)
        if (*s[i] && *d[i] && strcmp(s[i], d[i]) != 0)
            return false;
    return true;
}

/* ---- the plan ---- */

static const char *const merge_labels[MERGE_FIELD_COUNT] = {
    [MERGE_NAME] = "field.name",           [MERGE_ID_NUMBER] = "field.id_number",
    [MERGE_SEX] = "field.sex",             [MERGE_BIRTH_DATE] = "field.birth_date",
    [MERGE_PHONE] = "field.phone",         [MERGE_ETHNICITY] = "field.ethnicity",
    [MERGE_COMMUNITY] = "field.community", [MERGE_HOUSEHOLD] = "import.merge_household",
    [MERGE_ADDRESS] = "field.address",     [MERGE_NOTES] = "field.notes",
    [MERGE_GROUP] = "field.groups",
};

/* The keys of the fields in import_merges.choices. */
static const char *const merge_keys[MERGE_FIELD_COUNT] = {
    [MERGE_NAME] = "name",           [MERGE_ID_NUMBER] = "id_number", [MERGE_SEX] = "sex",
    [MERGE_BIRTH_DATE] = "birth_date", [MERGE_PHONE] = "phone",     [MERGE_ETHNICITY] = "ethnicity",
    [MERGE_COMMUNITY] = "community_id", [MERGE_HOUSEHOLD] = "household_id",
    [MERGE_ADDRESS] = "address",     [MERGE_NOTES] = "notes",         [MERGE_GROUP] = "groups",
};

/* The registered identity and the household are kept unless the clerk
 * takes the row's; other fields take the row's value only where the
 * register has none. */
static bool merge_identity(import_merge_field f)
{
    return f == MERGE_NAME || f == MERGE_ID_NUMBER || f == MERGE_SEX || f == MERGE_BIRTH_DATE ||
           f == MERGE_HOUSEHOLD;
}

static import_merge_row *plan_add(import_merge_plan *p, import_merge_field f, const char *reg,
                                  const char *imp)
{
    if (p->nrows == IMPORT_MERGE_ROWS)
        return NULL;
    import_merge_row *row = &p->rows[p->nrows++];
    memset(row, 0, sizeof *row);
    row->field = f;
    snprintf(row->label, sizeof row->label, "%s", tr(merge_labels[f]));
    snprintf(row->registered, sizeof row->registered, "%s", reg);
    snprintf(row->imported, sizeof row->imported, "%s", imp);
    /* An empty cell of the ledger says nothing: nothing to choose. */
    row->differs = imp[0] && strcmp(reg, imp) != 0;
    row->take = row->differs && !merge_identity(f) && !reg[0];
    return row;
}

static void plan_fill(station *st, import_merge_plan *p, const resident *cur, const resident *in)
{
    db *d = station_db(st);
    char a[2048], b[2048];
    plan_add(p, MERGE_NAME, cur->name, in->name);
    import_merge_row *idn = plan_add(p, MERGE_ID_NUMBER, cur->id_number, in->id_number);
    snprintf(a, sizeof a, "%d", cur->sex);
    snprintf(b, sizeof b, "%d", in->sex);
    char sa[64] = "", sb[64] = "";
    if (cur->sex)
        review_code(st, "sex", a, false, sa, sizeof sa);
    if (in->sex)
        review_code(st, "sex", b, false, sb, sizeof sb);
    plan_add(p, MERGE_SEX, sa, sb);
    import_merge_row *birth = plan_add(p, MERGE_BIRTH_DATE, cur->birth_date, in->birth_date);
    import_merge_row *phone = plan_add(p, MERGE_PHONE, cur->phone, in->phone);
    /* The register's identifiers as this role sees them (a 录入员: masked);
     * the merge itself reads them whole. */
    if (!station_can(st, PERM_IDS_FULL)) {
        if (idn)
            mask_id_number(cur->id_number, idn->registered, sizeof idn->registered);
        if (birth)
            mask_birth_date(cur->birth_date, birth->registered, sizeof birth->registered);
        if (phone)
            mask_phone(cur->phone, phone->registered, sizeof phone->registered);
    }
    review_code(st, "ethnicity", cur->ethnicity, false, a, sizeof a);
    review_code(st, "ethnicity", in->ethnicity, false, b, sizeof b);
    plan_add(p, MERGE_ETHNICITY, a, b);
    review_ref(d, false, cur->community_id, a, sizeof a);
    review_ref(d, false, in->community_id, b, sizeof b);
    plan_add(p, MERGE_COMMUNITY, a, b);
    review_household_text(st, cur->household_id, cur->relation, a, sizeof a);
    b[0] = '\0';
    if (in->household_id || in->relation[0])
        review_household_text(st, in->household_id ? in->household_id : cur->household_id,
                              in->relation[0] ? in->relation : cur->relation, b, sizeof b);
    plan_add(p, MERGE_HOUSEHOLD, a, b);
    plan_add(p, MERGE_ADDRESS, cur->address, in->address);
    plan_add(p, MERGE_NOTES, cur->notes, in->notes);
    /* Statuses: the registered ones stay; the row's are added (or fill
     * in details), each a line of its own. */
    for (size_t i = 0; i < cur->ngroups; i++) {
        const resident_group *g = &cur->groups[i];
        const resident_group *ig = NULL;
        for (size_t k = 0; k < in->ngroups && !ig; k++)
            if (!strcmp(in->groups[k].code, g->code))
                ig = &in->groups[k];
        review_group_text(st, g, a, sizeof a);
        b[0] = '\0';
        if (ig) {
            resident_group over = *g;
            review_group_overlay(&over, ig);
            review_group_text(st, &over, b, sizeof b);
        }
        import_merge_row *row = plan_add(p, MERGE_GROUP, a, b);
        if (!row)
            continue;
        snprintf(row->code, sizeof row->code, "%s", g->code);
        row->take = row->differs && ig && review_group_fills(g, ig);
    }
    for (size_t k = 0; k < in->ngroups; k++) {
        const resident_group *ig = &in->groups[k];
        bool registered = false;
        for (size_t i = 0; i < cur->ngroups && !registered; i++)
            registered = !strcmp(cur->groups[i].code, ig->code);
        if (registered)
            continue;
        review_group_text(st, ig, b, sizeof b);
        import_merge_row *row = plan_add(p, MERGE_GROUP, "", b);
        if (row) {
            snprintf(row->code, sizeof row->code, "%s", ig->code);
            row->take = true;
        }
    }
    /* A name that is not the registered one's (a column slipped by a row
     * pairs a number with a sibling): nothing of the row is taken unless
     * the clerk takes it, not even what fills an empty field. */
    if (in->name[0] && !text_names_alike(in->name, cur->name))
        for (size_t i = 0; i < p->nrows; i++)
            p->rows[i].take = false;
}

static ws_status review_updated_at(db *d, int64_t id, char *out, size_t outsz)
{
    out[0] = '\0';
    sqlite3_stmt *q = db_prepare(d,
        "SELECT updated_at FROM residents WHERE id = ?1 AND deleted_at IS NULL");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        db_column_copy(q, 0, out, outsz);
    db_reset(q);
    return rc == SQLITE_ROW ? WS_OK : rc == SQLITE_DONE ? WS_ERR_NOT_FOUND : db_status_from(rc);
}

/* The pending row, the row as a resident, and the registered resident. */
static ws_status review_load(station *st, int64_t pending_id, review_row *row, resident *in,
                             resident *cur)
{
    db *d = station_db(st);
    ws_status s = review_row_load(d, pending_id, row);
    if (s == WS_OK)
        s = review_json_resident(d, row->json, in);
    if (s == WS_OK)
        s = resident_load_whole(st, row->candidate, cur); /* plan_fill masks what is shown */
    return s;
}

ws_status import_merge_load(station *st, int64_t pending_id, import_merge_plan *plan)
{
    ws_status denied_ = station_require(st, PERM_REGISTER_READ);
    if (denied_ != WS_OK)
        return denied_;
    memset(plan, 0, offsetof(import_merge_plan, rows));
    plan->nrows = 0;
    db *d = station_db(st);
    resident *in = malloc(sizeof *in), *cur = malloc(sizeof *cur);
    if (!in || !cur) {
        free(in);
        free(cur);
        return WS_ERR_NOMEM;
    }
    bool began = db_read_begin(d);
    review_row row;
    ws_status s = review_load(st, pending_id, &row, in, cur);
    if (s == WS_OK)
        s = review_updated_at(d, cur->id, plan->loaded_at, sizeof plan->loaded_at);
    if (s == WS_OK) {
        plan->pending_id = row.id;
        plan->resident_id = cur->id;
        plan->line = row.line;
        snprintf(plan->source, sizeof plan->source, "%s", row.source);
        plan_fill(st, plan, cur, in);
    }
    db_read_end(d, began);
    free(row.json);
    free(in);
    free(cur);
    return s;
}

void import_merge_choose(import_merge_plan *plan, size_t i, bool take)
{
    if (i >= plan->nrows || !plan->rows[i].differs)
        return;
    plan->rows[i].take = take;
    /* Sex and birth date follow the ID number that states them. */
    if (plan->rows[i].field != MERGE_ID_NUMBER)
        return;
    for (size_t k = 0; k < plan->nrows; k++) {
        import_merge_row *r = &plan->rows[k];
        if (r->differs && (r->field == MERGE_SEX || r->field == MERGE_BIRTH_DATE))
            r->take = take;
    }
}

static bool plan_takes(const import_merge_plan *p, import_merge_field f, const char *code)
{
    for (size_t i = 0; i < p->nrows; i++) {
        const import_merge_row *r = &p->rows[i];
        if (r->field == f && (!code || !strcmp(r->code, code)))
            return r->differs && r->take;
    }
    return false;
}

/* The registered resident with the values the plan takes from the row. */
static void merge_build(const import_merge_plan *p, const resident *cur, const resident *in,
                        resident *out)
{
    *out = *cur;
#define MERGE_TAKE(F, m)                        \
    if (plan_takes(p, F, NULL) && in->m[0])     \
    memcpy(out->m, in->m, sizeof out->m)
    MERGE_TAKE(MERGE_NAME, name);
    MERGE_TAKE(MERGE_ID_NUMBER, id_number);
    MERGE_TAKE(MERGE_BIRTH_DATE, birth_date);
    MERGE_TAKE(MERGE_PHONE, phone);
    MERGE_TAKE(MERGE_ETHNICITY, ethnicity);
    MERGE_TAKE(MERGE_ADDRESS, address);
    MERGE_TAKE(MERGE_NOTES, notes);
#undef MERGE_TAKE
    if (plan_takes(p, MERGE_SEX, NULL) && in->sex)
        out->sex = in->sex;
    if (plan_takes(p, MERGE_COMMUNITY, NULL) && in->community_id)
        out->community_id = in->community_id;
    if (plan_takes(p, MERGE_HOUSEHOLD, NULL)) {
        if (in->household_id)
            out->household_id = in->household_id;
        if (in->relation[0])
            memcpy(out->relation, in->relation, sizeof out->relation);
    }
    for (size_t k = 0; k < in->ngroups; k++) {
        const resident_group *ig = &in->groups[k];
        if (!plan_takes(p, MERGE_GROUP, ig->code))
            continue;
        resident_group *g = resident_group_find(out, ig->code);
        if (g)
            review_group_overlay(g, ig);
        else
            resident_group_set(out, ig);
    }
}

/* A 户主 written out of their household (another relation or household)
 * must not leave it with members and no 户主: the clerk names the new head
 * first. `was` is the resident as stored before the write. */
static ws_status review_head_kept(db *d, const resident *was, import_merge_error *err)
{
    if (!was->household_id || strcmp(was->relation, "head") != 0)
        return WS_OK;
    sqlite3_stmt *q = db_prepare(d,
        "SELECT h.number FROM households h WHERE h.id = ?1 AND h.deleted_at IS NULL"
        " AND EXISTS (SELECT 1 FROM residents WHERE household_id = h.id AND deleted_at IS NULL)"
        " AND NOT EXISTS (SELECT 1 FROM residents WHERE household_id = h.id"
        "  AND relation = 'head' AND deleted_at IS NULL)");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, was->household_id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        err->why = MERGE_ERR_HEADLESS;
        db_column_copy(q, 0, err->detail, sizeof err->detail);
    }
    db_reset(q);
    return rc == SQLITE_ROW ? WS_ERR_INVALID : rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* Who saved the resident last (for MERGE_ERR_CHANGED). */
static void review_last_change(db *d, int64_t id, import_merge_error *err)
{
    err->why = MERGE_ERR_CHANGED;
    sqlite3_stmt *q = db_prepare(d,
        "SELECT actor, at FROM audit_log WHERE table_name = 'residents' AND row_id = ?1"
        " ORDER BY id DESC LIMIT 1");
    if (!q)
        return;
    sqlite3_bind_int64(q, 1, id);
    if (sqlite3_step(q) == SQLITE_ROW) {
        db_column_copy(q, 0, err->detail, sizeof err->detail);
        db_column_copy(q, 1, err->at, sizeof err->at);
    }
    db_reset(q);
}

/* Validate and store r (its stored self is `was`), keeping its household's
 * head. */
static ws_status review_write(station *st, const resident *was, resident *r,
                              import_merge_error *err)
{
    ws_status s = resident_validate(st, r, &err->fe);
    if (s == WS_ERR_INVALID)
        err->why = MERGE_ERR_FIELD;
    if (s == WS_OK)
        s = resident_store(st, r);
    if (s == WS_OK)
        s = review_head_kept(station_db(st), was, err);
    return s;
}

/* JSON array of the fields the plan takes from the row ("groups:dibao"). */
static void plan_choices(const import_merge_plan *p, char *out, size_t outsz)
{
    size_t used = (size_t)snprintf(out, outsz, "[");
    for (size_t i = 0; i < p->nrows && used < outsz; i++) {
        const import_merge_row *r = &p->rows[i];
        if (!r->differs || !r->take)
            continue;
        char key[64];
        snprintf(key, sizeof key, "%s%s%s", merge_keys[r->field], r->code[0] ? ":" : "",
                 r->code);
        for (char *c = key; *c; c++)
            if (*c == '"' || *c == '\\' || (unsigned char)*c < 0x20)
                *c = '_';
        used += (size_t)snprintf(out + used, outsz - used, "%s\"%s\"", used > 1 ? "," : "", key);
    }
    if (used + 2 > outsz)
        used = outsz - 2; /* cannot happen: a few dozen short keys */
    snprintf(out + used, outsz - used, "]");
}

/* The merge as an audit document (before and after undo). */
static ws_status review_merge_json(db *d, int64_t merge_id, char **json)
{
    *json = NULL;
    sqlite3_stmt *q = db_prepare(d,
        "SELECT json_object('pending_id', pending_id, 'resident_id', resident_id,"
        " 'source', source, 'line', line, 'choices', json(choices), 'merged_at', merged_at,"
        " 'merged_by', merged_by, 'undone_at', undone_at, 'undone_by', undone_by)"
        " FROM import_merges WHERE id = ?1");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, merge_id);
    int rc = sqlite3_step(q);
    ws_status s = rc == SQLITE_ROW ? WS_OK : rc == SQLITE_DONE ? WS_ERR_NOT_FOUND
                                                                : db_status_from(rc);
    if (s == WS_OK) {
        const char *t = (const char *)sqlite3_column_text(q, 0);
        if (!(*json = strdup(t ? t : "{}")))
            s = WS_ERR_NOMEM;
    }
    db_reset(q);
    return s;
}

static ws_status review_merge_record(station *st, const review_row *row,
                                     const import_merge_plan *p, const char *before,
                                     const char *after)
{
    db *d = station_db(st);
    char choices[2048], now[32];
    plan_choices(p, choices, sizeof choices);
    db_now(now);
    sqlite3_stmt *q = db_prepare(d,
        "INSERT INTO import_merges(id, pending_id, created_at, actor, source, line, row_json,"
        " resident_id, choices, before_json, after_json, merged_at, merged_by)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
    if (!q)
        return db_status(d);
    int64_t id = ids_next();
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int64(q, 2, row->id);
    db_bind_text(q, 3, row->created_at);
    db_bind_text(q, 4, row->actor);
    db_bind_text(q, 5, row->source);
    sqlite3_bind_int64(q, 6, row->line);
    db_bind_text(q, 7, row->json);
    sqlite3_bind_int64(q, 8, row->candidate);
    db_bind_text(q, 9, choices);
    db_bind_text(q, 10, before);
    db_bind_text(q, 11, after);
    db_bind_text(q, 12, now);
    db_bind_text(q, 13, station_actor(st));
    int rc = sqlite3_step(q);
    db_reset(q);
    if (rc != SQLITE_DONE)
        return db_status_from(rc);
    char *doc = NULL;
    ws_status s = review_merge_json(d, id, &doc);
    if (s == WS_OK)
        s = audit_event(d, station_actor(st), "import_merges", id, AUDIT_INSERT, NULL, doc);
    free(doc);
    if (s == WS_OK)
        s = review_row_delete(d, row->id);
    return s;
}

ws_status import_merge_apply(station *st, const import_merge_plan *plan, import_merge_error *err)
{
    ws_status denied_ = station_require(st, PERM_IMPORT);
    if (denied_ != WS_OK)
        return denied_;
    import_merge_error local;
    if (!err)
        err = &local;
    memset(err, 0, sizeof *err);
    db *d = station_db(st);
    resident *in = malloc(sizeof *in), *cur = malloc(sizeof *cur), *out = malloc(sizeof *out);
    review_row row = {0};
    char *before = NULL, *after = NULL;
    ws_status s = in && cur && out ? db_begin(d) : WS_ERR_NOMEM;
    if (s != WS_OK) {
        free(in);
        free(cur);
        free(out);
        return s;
    }
    s = review_load(st, plan->pending_id, &row, in, cur);
    if (s == WS_OK && row.candidate != plan->resident_id)
        s = WS_ERR_NOT_FOUND;
    char at[32];
    if (s == WS_OK)
        s = review_updated_at(d, cur->id, at, sizeof at);
    if (s == WS_OK && strcmp(at, plan->loaded_at) != 0) {
        review_last_change(d, cur->id, err);
        s = WS_ERR_INVALID;
    }
    if (s == WS_OK) {
        merge_build(plan, cur, in, out);
        s = audit_snapshot(d, "residents", cur->id, &before);
    }
    if (s == WS_OK)
        s = review_write(st, cur, out, err);
    if (s == WS_OK)
        s = audit_snapshot(d, "residents", cur->id, &after);
    if (s == WS_OK)
        s = review_merge_record(st, &row, plan, before, after);
    if (s == WS_OK)
        s = db_commit(d);
    else
        db_rollback(d);
    free(before);
    free(after);
    free(row.json);
    free(in);
    free(cur);
    free(out);
    return s;
}

/* ---- undo ---- */

static bool merge_field_same(import_merge_field f, const resident *a, const resident *b)
{
    switch (f) {
    case MERGE_NAME: return !strcmp(a->name, b->name);
    case MERGE_ID_NUMBER: return !strcmp(a->id_number, b->id_number);
    case MERGE_SEX: return a->sex == b->sex;
    case MERGE_BIRTH_DATE: return !strcmp(a->birth_date, b->birth_date);
    case MERGE_PHONE: return !strcmp(a->phone, b->phone);
    case MERGE_ETHNICITY: return !strcmp(a->ethnicity, b->ethnicity);
    case MERGE_COMMUNITY: return a->community_id == b->community_id;
    case MERGE_HOUSEHOLD:
        return a->household_id == b->household_id && !strcmp(a->relation, b->relation);
    case MERGE_ADDRESS: return !strcmp(a->address, b->address);
    case MERGE_NOTES: return !strcmp(a->notes, b->notes);
    default: return true;
    }
}

static void merge_field_copy(import_merge_field f, resident *dst, const resident *src)
{
    switch (f) {
    case MERGE_NAME: memcpy(dst->name, src->name, sizeof dst->name); break;
    case MERGE_ID_NUMBER: memcpy(dst->id_number, src->id_number, sizeof dst->id_number); break;
    case MERGE_SEX: dst->sex = src->sex; break;
    case MERGE_BIRTH_DATE: memcpy(dst->birth_date, src->birth_date, sizeof dst->birth_date); break;
    case MERGE_PHONE: memcpy(dst->phone, src->phone, sizeof dst->phone); break;
    case MERGE_ETHNICITY: memcpy(dst->ethnicity, src->ethnicity, sizeof dst->ethnicity); break;
    case MERGE_COMMUNITY: dst->community_id = src->community_id; break;
    case MERGE_HOUSEHOLD:
        dst->household_id = src->household_id;
        memcpy(dst->relation, src->relation, sizeof dst->relation);
        break;
    case MERGE_ADDRESS: memcpy(dst->address, src->address, sizeof dst->address); break;
    case MERGE_NOTES: memcpy(dst->notes, src->notes, sizeof dst->notes); break;
    default: break;
    }
}

/* target (the resident now) with what the merge changed (before → after)
 * put back; a changed value that was edited again since is a conflict,
 * named in err. *changed: anything to write. */
static ws_status merge_revert(station *st, resident *before, resident *after, resident *target,
                              bool *changed, import_merge_error *err)
{
    *changed = false;
    for (int f = MERGE_NAME; f < MERGE_GROUP; f++) {
        if (merge_field_same((import_merge_field)f, before, after))
            continue;
        if (!merge_field_same((import_merge_field)f, target, after)) {
            err->why = MERGE_ERR_EDITED;
            snprintf(err->detail, sizeof err->detail, "%s", tr(merge_labels[f]));
            return WS_ERR_INVALID;
        }
        merge_field_copy((import_merge_field)f, target, before);
        *changed = true;
    }
    /* Statuses by code: those the merge added or filled in. */
    for (size_t i = 0; i < after->ngroups; i++) {
        resident_group *ag = &after->groups[i];
        resident_group *bg = resident_group_find(before, ag->code);
        if (review_group_same(bg, ag))
            continue;
        if (!review_group_same(resident_group_find(target, ag->code), ag)) {
            err->why = MERGE_ERR_EDITED;
            review_code(st, "vulnerable_group", ag->code, false, err->detail,
                        sizeof err->detail);
            return WS_ERR_INVALID;
        }
        if (bg)
            resident_group_set(target, bg);
        else
            resident_group_remove(target, ag->code);
        *changed = true;
    }
    return WS_OK;
}

typedef struct review_merge {
    int64_t id;
    int64_t resident_id;
    char *before, *after;
    review_row row;
} review_merge;

static ws_status review_merge_load(db *d, int64_t pending_id, review_merge *m)
{
    memset(m, 0, sizeof *m);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT id, resident_id, before_json, after_json, pending_id, line, created_at, actor,"
        " source, row_json FROM import_merges WHERE pending_id = ?1 AND undone_at IS NULL");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, pending_id);
    int rc = sqlite3_step(q);
    ws_status s = rc == SQLITE_ROW ? WS_OK : rc == SQLITE_DONE ? WS_ERR_NOT_FOUND
                                                                : db_status_from(rc);
    if (s == WS_OK) {
        m->id = sqlite3_column_int64(q, 0);
        m->resident_id = sqlite3_column_int64(q, 1);
        const char *b = (const char *)sqlite3_column_text(q, 2);
        const char *a = (const char *)sqlite3_column_text(q, 3);
        const char *j = (const char *)sqlite3_column_text(q, 9);
        m->before = strdup(b ? b : "{}");
        m->after = strdup(a ? a : "{}");
        m->row.json = strdup(j ? j : "{}");
        m->row.id = sqlite3_column_int64(q, 4);
        m->row.candidate = m->resident_id;
        m->row.line = sqlite3_column_int64(q, 5);
        db_column_copy(q, 6, m->row.created_at, sizeof m->row.created_at);
        db_column_copy(q, 7, m->row.actor, sizeof m->row.actor);
        db_column_copy(q, 8, m->row.source, sizeof m->row.source);
        if (!m->before || !m->after || !m->row.json)
            s = WS_ERR_NOMEM;
    }
    db_reset(q);
    return s;
}

static void review_merge_free(review_merge *m)
{
    free(m->before);
    free(m->after);
    free(m->row.json);
}

/* The row waits in the review again, under its own id (unless the same row
 * was imported again and already waits). */
static ws_status review_row_restore(db *d, const review_row *row)
{
    sqlite3_stmt *q = db_prepare(d,
        "INSERT OR IGNORE INTO import_pending(id, created_at, actor, source, line, candidate_id,"
        " row_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, row->id);
    db_bind_text(q, 2, row->created_at);
    db_bind_text(q, 3, row->actor);
    db_bind_text(q, 4, row->source);
    sqlite3_bind_int64(q, 5, row->line);
    sqlite3_bind_int64(q, 6, row->candidate);
    db_bind_text(q, 7, row->json);
    int rc = sqlite3_step(q);
    db_reset(q);
    return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

static ws_status review_merge_undone(station *st, int64_t merge_id)
{
    db *d = station_db(st);
    char *before = NULL, *after = NULL;
    ws_status s = review_merge_json(d, merge_id, &before);
    sqlite3_stmt *q = s == WS_OK ? db_prepare(d,
        "UPDATE import_merges SET undone_at = ?2, undone_by = ?3 WHERE id = ?1") : NULL;
    if (s == WS_OK && !q)
        s = db_status(d);
    if (s == WS_OK) {
        char now[32];
        db_now(now);
        sqlite3_bind_int64(q, 1, merge_id);
        db_bind_text(q, 2, now);
        db_bind_text(q, 3, station_actor(st));
        int rc = sqlite3_step(q);
        db_reset(q);
        if (rc != SQLITE_DONE)
            s = db_status_from(rc);
    }
    if (s == WS_OK)
        s = review_merge_json(d, merge_id, &after);
    if (s == WS_OK)
        s = audit_event(d, station_actor(st), "import_merges", merge_id, AUDIT_UPDATE, before,
                        after);
    free(before);
    free(after);
    return s;
}

ws_status import_merge_undo(station *st, int64_t pending_id, import_merge_error *err)
{
    ws_status denied_ = station_require(st, PERM_IMPORT);
    if (denied_ != WS_OK)
        return denied_;
    import_merge_error local;
    if (!err)
        err = &local;
    memset(err, 0, sizeof *err);
    db *d = station_db(st);
    resident *before = malloc(sizeof *before), *after = malloc(sizeof *after);
    resident *cur = malloc(sizeof *cur), *target = malloc(sizeof *target);
    review_merge m = {0};
    ws_status s = before && after && cur && target ? db_begin(d) : WS_ERR_NOMEM;
    if (s != WS_OK) {
        free(before);
        free(after);
        free(cur);
        free(target);
        return s;
    }
    s = review_merge_load(d, pending_id, &m);
    if (s == WS_OK)
        s = review_json_resident(d, m.before, before);
    if (s == WS_OK)
        s = review_json_resident(d, m.after, after);
    if (s == WS_OK)
        s = resident_load_whole(st, m.resident_id, cur);
    bool changed = false;
    if (s == WS_OK) {
        *target = *cur;
        s = merge_revert(st, before, after, target, &changed, err);
    }
    if (s == WS_OK && changed)
        s = review_write(st, cur, target, err);
    if (s == WS_OK)
        s = review_row_restore(d, &m.row);
    if (s == WS_OK)
        s = review_merge_undone(st, m.id);
    if (s == WS_OK)
        s = db_commit(d);
    else
        db_rollback(d);
    review_merge_free(&m);
    free(before);
    free(after);
    free(cur);
    free(target);
    return s;
}

/* ---- keep both, skip, and the default merge ---- */

ws_status import_pending_resolve(station *st, int64_t pending_id, import_resolution how,
                                 int64_t *resident_id, field_error *fe)
{
    ws_status denied_ = station_require(st, PERM_IMPORT);
    if (denied_ != WS_OK)
        return denied_;
    field_error local;
    if (!fe)
        fe = &local;
    memset(fe, 0, sizeof *fe);
    fe->field = RF_NONE;
    if (resident_id)
        *resident_id = 0;
    if (how == IMPORT_MERGE) {
        import_merge_plan *plan = malloc(sizeof *plan);
        if (!plan)
            return WS_ERR_NOMEM;
        import_merge_error err;
        ws_status s = import_merge_load(st, pending_id, plan);
        if (s == WS_OK)
            s = import_merge_apply(st, plan, &err);
        if (s == WS_ERR_INVALID && err.why == MERGE_ERR_FIELD)
            *fe = err.fe;
        if (s == WS_OK && resident_id)
            *resident_id = plan->resident_id;
        free(plan);
        return s;
    }
    db *d = station_db(st);
    resident *in = malloc(sizeof *in);
    if (!in)
        return WS_ERR_NOMEM;
    ws_status s = db_begin(d);
    if (s != WS_OK) {
        free(in);
        return s;
    }
    review_row row;
    s = review_row_load(d, pending_id, &row);
    if (s == WS_OK && how == IMPORT_KEEP_BOTH) {
        s = review_json_resident(d, row.json, in);
        if (s == WS_OK)
            s = resident_validate(st, in, fe);
        if (s == WS_OK)
            s = resident_store(st, in);
        if (s == WS_OK && resident_id)
            *resident_id = in->id;
    }
    if (s == WS_OK)
        s = review_row_delete(d, pending_id);
    /* The row's personal data leaves the review: recorded as it was. */
    if (s == WS_OK)
        s = audit_event(d, station_actor(st), "import_pending", pending_id, AUDIT_DELETE,
                        row.json, NULL);
    if (s == WS_OK)
        s = db_commit(d);
    else
        db_rollback(d);
    free(row.json);
    free(in);
    return s;
}
