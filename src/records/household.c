#include "wushe/household.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "household_internal.h"
#include "record_internal.h"
#include "station_internal.h"
#include "wushe/catalog.h"
#include "wushe/codes.h"
#include "wushe/community.h"
#include "wushe/text.h"

/* The head by the one truth, the members' relations: the living member of
 * household `h` whose relation is 户主; of several (an older register),
 * the one h.head_id names already, else the first. NULL when none. */
#define HOUSEHOLD_HEAD_OF(h)                                                          \
    "coalesce((SELECT r.id FROM residents r WHERE r.id = " h ".head_id"               \
    " AND r.household_id = " h ".id AND r.relation = 'head' AND r.deleted_at IS NULL)," \
    " (SELECT min(r.id) FROM residents r WHERE r.household_id = " h ".id"              \
    " AND r.relation = 'head' AND r.deleted_at IS NULL))"

bool household_number_norm(const char *in, char *out, size_t outsz)
{
    char *f = text_fold(in);
    if (!f) {
        if (out != in)
            snprintf(out, outsz, "%s", in);
        return false;
    }
    const char *p = f;
    while (*p == ' ' || *p == '\t')
        p++;
    size_t n = strlen(p);
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    bool fits = n < outsz;
    if (fits) {
        for (size_t i = 0; i < n; i++)
            out[i] = p[i] >= 'a' && p[i] <= 'z' ? (char)(p[i] - 'a' + 'A') : p[i];
        /* The whole buffer: an import compares records byte for byte, and
         * Ｈ00003 left bytes behind its shorter self. */
        memset(out + n, 0, outsz - n);
    } else if (out != in) {
        snprintf(out, outsz, "%s", in);
    }
    free(f);
    return fits;
}

/* The household numbered exactly `number` (other than except), or 0. */
static ws_status household_number_exact(db *d, const char *number, int64_t except, int64_t *id,
                                        char *stored, size_t storedsz)
{
    sqlite3_stmt *q = db_prepare(d, "SELECT id, number FROM households WHERE number = ?1"
                                    " AND id <> ?2 AND deleted_at IS NULL ORDER BY id LIMIT 1");
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, number);
    sqlite3_bind_int64(q, 2, except);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(q, 0);
        if (stored)
            db_column_copy(q, 1, stored, storedsz);
    }
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* A number stored before numbers were normalised (h00210, Ｈ00175, " H1")
 * sorts after the upper-case letters or before the digits: while the
 * station holds none, which the index answers at once, there is nothing
 * else to look for. Two ranges, each its own search of the index: one
 * condition with OR made SQLite read every household's number, at every
 * save and every row of an import. */
static ws_status household_numbers_unfolded(db *d, int64_t except, bool *any)
{
    return db_exists_i64(d, "SELECT 1 WHERE EXISTS (SELECT 1 FROM households"
                            " WHERE deleted_at IS NULL AND number >= 'a' AND id <> ?1)"
                            " OR EXISTS (SELECT 1 FROM households"
                            " WHERE deleted_at IS NULL AND number < '0' AND id <> ?1)",
                         except, 0, any);
}

/* The search box finds h00210 for H00210 (its terms are folded): of what
 * it finds, the one whose number normalises to `norm`. */
static ws_status household_number_folded(db *d, const char *norm, int64_t except, int64_t *id,
                                         char *stored, size_t storedsz)
{
    sqlite3_stmt *q = db_prepare(d, "SELECT h.id, h.number FROM households h"
                                    " WHERE h.deleted_at IS NULL AND h.id <> ?2 AND "
                                    RECORD_TERMS_MATCH("household", "h.id") " ORDER BY h.id");
    if (!q)
        return db_status(d);
    char *term = record_terms_query(norm);
    record_terms_bind(q, term);
    free(term);
    sqlite3_bind_int64(q, 2, except);
    int rc;
    while (!*id && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        char number[256], folded[256];
        db_column_copy(q, 1, number, sizeof number);
        if (household_number_norm(number, folded, sizeof folded) && !strcmp(folded, norm)) {
            *id = sqlite3_column_int64(q, 0);
            if (stored)
                snprintf(stored, storedsz, "%s", number);
        }
    }
    if (*id)
        rc = SQLITE_DONE;
    db_reset(q);
    return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* A 户号 of digits whose zeros in front Excel dropped (000123 opened and
 * saved as 123), or that were dropped before it was registered: the one
 * registered number that is the same without them, none when two are. */
static ws_status household_number_zeros(db *d, const char *norm, int64_t except, int64_t *id,
                                        char *stored, size_t storedsz)
{
    if (strspn(norm, "0123456789") != strlen(norm))
        return WS_OK;
    /* households_number_digits answers it (its condition written as its
     * WHERE is, or SQLite does not use it). */
    sqlite3_stmt *q = db_prepare(d, "SELECT id, number FROM households"
                                    " WHERE deleted_at IS NULL AND number NOT GLOB '*[^0-9]*'"
                                    " AND ltrim(number, '0') = ltrim(?1, '0') AND id <> ?2"
                                    " LIMIT 2");
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, norm);
    sqlite3_bind_int64(q, 2, except);
    int rc, found = 0;
    int64_t first = 0;
    char number[256] = "";
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        if (found++ == 0) {
            first = sqlite3_column_int64(q, 0);
            db_column_copy(q, 1, number, sizeof number);
        }
    db_reset(q);
    if (rc != SQLITE_DONE)
        return db_status_from(rc);
    if (found == 1) {
        *id = first;
        if (stored)
            snprintf(stored, storedsz, "%s", number);
    }
    return WS_OK;
}

ws_status household_find_number(station *st, const char *number, int64_t except, int64_t *id,
                                char *stored, size_t storedsz)
{
    *id = 0;
    if (stored && storedsz)
        stored[0] = '\0';
    char norm[256];
    household_number_norm(number, norm, sizeof norm);
    if (!norm[0])
        return WS_OK;
    db *d = station_db(st);
    ws_status s = household_number_exact(d, norm, except, id, stored, storedsz);
    bool any = false;
    if (s == WS_OK && !*id)
        s = household_numbers_unfolded(d, except, &any);
    if (s == WS_OK && any)
        s = household_number_folded(d, norm, except, id, stored, storedsz);
    if (s == WS_OK && !*id)
        s = household_number_zeros(d, norm, except, id, stored, storedsz);
    return s;
}

void household_init(household *h)
{
    record_init(&kind_household, h);
}

static ws_status household_fail(household_error *he, household_field f, val_status v)
{
    he->field = f;
    he->code = v;
    return WS_ERR_INVALID;
}

/* Whether sql (?1 = a and, when it has one, ?2 = b) finds a row. */
static ws_status household_exists(db *d, const char *sql, int64_t a, int64_t b, bool *found)
{
    return db_exists_i64(d, sql, a, b, found);
}

/* Whom a change of head touches: the member who becomes 户主 and the one
 * who stops being it (0 when none, or nothing to change). */
typedef struct household_head_plan {
    int64_t new_head, old_head;
} household_head_plan;

/* Check a change of head (h->new_head_id) against the members as they are
 * now, inside the save's transaction. The present head must be the one the
 * form loaded (h->head_id): its old_head_relation answers for that person. */
static ws_status household_head_check(station *st, const household *h, household_error *he,
                                      household_head_plan *plan)
{
    memset(plan, 0, sizeof *plan);
    if (!h->new_head_id)
        return WS_OK;
    db *d = station_db(st);
    bool found = false;
    ws_status s = household_exists(d, "SELECT 1 FROM residents WHERE id = ?1 AND household_id = ?2"
                                      " AND deleted_at IS NULL", h->new_head_id, h->id, &found);
    if (s != WS_OK)
        return s;
    if (!h->id || !found)
        return household_fail(he, HF_HEAD, VAL_NOT_FOUND);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT id, name FROM residents WHERE household_id = ?1 AND relation = 'head'"
        " AND deleted_at IS NULL AND id <> ?2 ORDER BY id IS NOT ?3, id");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, h->id);
    sqlite3_bind_int64(q, 2, h->new_head_id);
    sqlite3_bind_int64(q, 3, h->head_id);
    int rc = SQLITE_DONE;
    while (s == WS_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(q, 0);
        db_column_copy(q, 1, he->detail, sizeof he->detail);
        if (id != h->head_id) /* changed since the form loaded, or a second head */
            s = household_fail(he, HF_HEAD, VAL_HEAD_TAKEN);
        else
            plan->old_head = id;
    }
    db_reset(q);
    if (s != WS_OK)
        return s;
    if (rc != SQLITE_DONE)
        return db_status_from(rc);
    if (plan->old_head) {
        const char *rel = h->old_head_relation;
        if (!rel[0])
            return household_fail(he, HF_OLD_HEAD_RELATION, VAL_REQUIRED);
        if (strcmp(rel, "head") == 0 || !codebook_find(station_codes(st), "relation", rel))
            return household_fail(he, HF_OLD_HEAD_RELATION, VAL_UNKNOWN_CODE);
    }
    he->detail[0] = '\0';
    bool is_head = false;
    s = household_exists(d, "SELECT 1 FROM residents WHERE id = ?1 AND relation = 'head'",
                         h->new_head_id, 0, &is_head);
    if (s == WS_OK && !is_head)
        plan->new_head = h->new_head_id;
    return s;
}

/* One member's relation, audited like any write of a resident (the
 * relation is not part of the search index). */
static ws_status household_set_relation(station *st, int64_t rid, const char *relation)
{
    db *d = station_db(st);
    char *before = NULL;
    ws_status s = audit_snapshot(d, "residents", rid, &before);
    if (s == WS_OK && !before)
        s = WS_ERR_NOT_FOUND;
    sqlite3_stmt *q = s == WS_OK ? db_prepare(d,
        "UPDATE residents SET relation = ?2, updated_at = ?3, revision = revision + 1"
        " WHERE id = ?1 AND deleted_at IS NULL") : NULL;
    if (s == WS_OK && !q)
        s = db_status(d);
    if (s == WS_OK) {
        char now[32];
        db_now(now);
        sqlite3_bind_int64(q, 1, rid);
        db_bind_text(q, 2, relation);
        db_bind_text(q, 3, now);
        int rc = sqlite3_step(q);
        db_reset(q);
        s = rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
    }
    if (s == WS_OK)
        s = audit_write(d, station_actor(st), "residents", rid, AUDIT_UPDATE, before);
    free(before);
    return s;
}

/* The head the members' relations say (want) and the one recorded (had),
 * in one query: it runs for every save of a member, and mostly they
 * agree. found is false when there is no such household. */
static ws_status household_heads(db *d, int64_t hid, int64_t *want, int64_t *had, bool *found)
{
    *want = *had = 0;
    sqlite3_stmt *q = db_prepare(d, "SELECT " HOUSEHOLD_HEAD_OF("h") ", coalesce(h.head_id, 0)"
                                    " FROM households h WHERE h.id = ?1");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, hid);
    int rc = sqlite3_step(q);
    *found = rc == SQLITE_ROW;
    if (*found) {
        *want = sqlite3_column_int64(q, 0);
        *had = sqlite3_column_int64(q, 1);
    }
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* The head by the members' relations (0 when none). */
static ws_status household_head_pick(db *d, int64_t hid, int64_t *head)
{
    int64_t had;
    bool found;
    return household_heads(d, hid, head, &had, &found);
}

ws_status household_head_sync(station *st, int64_t hid)
{
    if (!hid)
        return WS_OK;
    db *d = station_db(st);
    int64_t want, had;
    bool found = false;
    ws_status s = household_heads(d, hid, &want, &had, &found);
    if (s != WS_OK || !found || want == had)
        return s;
    char *before = NULL;
    s = record_audit_snapshot(st, &kind_household, hid, &before);
    if (s != WS_OK || !before) {
        free(before);
        return s; /* no such household: nothing to keep */
    }
    sqlite3_stmt *q = db_prepare(d,
        "UPDATE households SET head_id = nullif(?2, 0), updated_at = ?3,"
        " revision = revision + 1 WHERE id = ?1");
    if (!q)
        s = db_status(d);
    if (s == WS_OK) {
        char now[32];
        db_now(now);
        sqlite3_bind_int64(q, 1, hid);
        sqlite3_bind_int64(q, 2, want);
        db_bind_text(q, 3, now);
        int rc = sqlite3_step(q);
        db_reset(q);
        s = rc == SQLITE_DONE ? record_audit_write(st, &kind_household, hid, false, before)
                              : db_status_from(rc);
    }
    free(before);
    /* The search box finds a household by its head's name: a first head
     * adds its terms, another head means all of them again. */
    if (s == WS_OK && !had && want) {
        char name[256] = "";
        s = db_text_i64(d, "SELECT name FROM residents WHERE id = ?1", want, name, sizeof name);
        return s == WS_OK ? record_terms_add_text(st, &kind_household, hid, name) : s;
    }
    return s == WS_OK ? record_terms_refresh(st, &kind_household, hid) : s;
}

/* The head first: the relations a change of head asks for, then the head
 * the members' relations now say (a new household has none). */
static ws_status household_before_write(station *st, void *rec, bool insert, record_error *re)
{
    household *h = rec;
    household_head_plan plan;
    ws_status s = household_head_check(st, h, re, &plan);
    if (s == WS_OK && plan.old_head)
        s = household_set_relation(st, plan.old_head, h->old_head_relation);
    if (s == WS_OK && plan.new_head)
        s = household_set_relation(st, plan.new_head, "head");
    h->head_id = 0;
    if (s == WS_OK && !insert)
        s = household_head_pick(station_db(st), h->id, &h->head_id);
    return s;
}

static ws_status household_members_move(station *st, const int64_t *ids, size_t n, int64_t cid);

/* The members live in the household's 社区/村: when it changes, each
 * member follows, audited like any write of a resident. */
static ws_status household_after_write(station *st, void *rec, bool insert, record_error *re)
{
    (void)re;
    household *h = rec;
    if (insert || !h->community_id)
        return WS_OK;
    db *d = station_db(st);
    ws_status s = WS_OK;
    int64_t ids[256];
    size_t n;
    int rc;
    do { /* in batches: each update takes its member out of the query */
        sqlite3_stmt *q = db_prepare(d, "SELECT id FROM residents WHERE household_id = ?1"
                                        " AND deleted_at IS NULL AND community_id IS NOT ?2");
        if (!q)
            return db_status(d);
        sqlite3_bind_int64(q, 1, h->id);
        sqlite3_bind_int64(q, 2, h->community_id);
        n = 0;
        while (n < 256 && (rc = sqlite3_step(q)) == SQLITE_ROW)
            ids[n++] = sqlite3_column_int64(q, 0);
        db_reset(q);
        s = household_members_move(st, ids, n, h->community_id);
    } while (s == WS_OK && n == 256);
    return s;
}

/* Each member into community `cid`, audited. */
static ws_status household_members_move(station *st, const int64_t *ids, size_t n, int64_t cid)
{
    db *d = station_db(st);
    ws_status s = WS_OK;
    int rc;
    for (size_t i = 0; s == WS_OK && i < n; i++) {
        char *before = NULL;
        s = audit_snapshot(d, "residents", ids[i], &before);
        char now[32];
        db_now(now);
        sqlite3_stmt *u = s == WS_OK ? db_prepare(d,
            "UPDATE residents SET community_id = ?2, updated_at = ?3, revision = revision + 1"
            " WHERE id = ?1") : NULL;
        if (s == WS_OK && !u)
            s = db_status(d);
        if (s == WS_OK) {
            sqlite3_bind_int64(u, 1, ids[i]);
            sqlite3_bind_int64(u, 2, cid);
            db_bind_text(u, 3, now);
            rc = sqlite3_step(u);
            db_reset(u);
            s = rc == SQLITE_DONE ? audit_write(d, station_actor(st), "residents", ids[i],
                                                AUDIT_UPDATE, before)
                                  : db_status_from(rc);
        }
        free(before);
    }
    return s;
}

ws_status household_save(station *st, household *h, household_error *he)
{
    ws_status s = record_save(st, &kind_household, h, he);
    if (s == WS_OK) {
        h->new_head_id = 0;
        h->old_head_relation[0] = '\0';
    }
    return s;
}

ws_status household_load(station *st, int64_t id, household *out)
{
    ws_status s = record_load(st, &kind_household, id, out);
    /* The head as the members' relations say, whatever was recorded. */
    if (s == WS_OK)
        s = household_head_pick(station_db(st), id, &out->head_id);
    return s;
}

/* A household with members stays. */
static ws_status household_before_delete(station *st, int64_t id, record_error *re)
{
    int64_t members = 0;
    ws_status s = db_int(station_db(st), "SELECT count(*) FROM residents WHERE household_id = ?1"
                                         " AND deleted_at IS NULL", id, &members);
    if (s != WS_OK || members == 0)
        return s;
    trf(re->detail, sizeof re->detail, "households.in_use_members", (long long)members);
    return household_fail(re, HF_NONE, VAL_IN_USE);
}

ws_status household_delete(station *st, int64_t id)
{
    record_error re;
    return record_delete(st, &kind_household, id, &re);
}

/* The search box finds a household by its head's name too. */
static void household_search_text(station *st, const void *rec, char *out, size_t outsz)
{
    const household *h = rec;
    out[0] = '\0';
    if (h->head_id)
        db_text_i64(station_db(st), "SELECT name FROM residents WHERE id = ?1", h->head_id, out,
                    outsz);
}

/* The number in one spelling, whoever typed it (a form, a ledger). */
static void household_normalize(int field, void *rec)
{
    household *h = rec;
    if (field == HF_NUMBER)
        household_number_norm(h->number, h->number, sizeof h->number);
}

/* A number another household has once both are normalised (h00210
 * beside H00210) is taken: the table's check compares them as written. */
static ws_status household_rules(station *st, void *rec, record_error *re)
{
    household *h = rec;
    household_normalize(HF_NUMBER, h);
    int64_t other = 0;
    char stored[256];
    ws_status s = household_find_number(st, h->number, h->id, &other, stored, sizeof stored);
    if (s == WS_OK && other)
        return record_fail(re, HF_NUMBER, VAL_DUPLICATE, stored);
    return s;
}

/* An imported row is the household its number names, however either was
 * written (a station may hold h00210 from before: that one, not a new). */
static ws_status household_import_existing(station *st, const void *rec, int64_t *id)
{
    const household *h = rec;
    return household_find_number(st, h->number, 0, id, NULL, 0);
}

/* A resident as a reference: the 户主 of a household, by name. */
typedef struct resident_ref {
    int64_t id, revision;
    char name[256];
} resident_ref;

static const field_def resident_ref_fields[] = {
    {.column = "name", .label = "field.name", .type = FLD_NAME, .flags = FF_LIST,
     REC_AT(resident_ref, name), .limit = 40},
};

static struct kind_sql resident_ref_sql;
static const record_kind kind_resident_ref = {
    .name = "resident",
    .table = "residents",
    .label = "kind.resident",
    .size = sizeof(resident_ref),
    .id_offset = offsetof(resident_ref, id),
    .revision_offset = offsetof(resident_ref, revision),
    .fields = resident_ref_fields,
    .nfields = 1,
    .sort_by_pinyin = true,
    .sql = &resident_ref_sql,
};

static const field_def household_fields[] = {
    [HF_NUMBER] = {.column = "number", .label = "field.number", .type = FLD_TEXT,
                   .flags = FF_REQUIRED | FF_UNIQUE | FF_SEARCH | FF_LIST | FF_LEDGER,
                   REC_AT(household, number), .limit = 40, .aliases = "户号|户编号|户主编号",
                   .width = 8},
    [HF_COMMUNITY] = {.column = "community_id", .label = "field.community", .type = FLD_REF,
                      .flags = FF_LIST | FF_LEDGER, REC_AT(household, community_id),
                      .ref = &kind_community, .aliases = "社区/村|所属社区|所属社区/村|村/社区",
                      .width = 8},
    [HF_HEAD] = {.column = "head_id", .label = "field.head", .type = FLD_REF,
                 .flags = FF_NO_FORM | FF_LIST | FF_LEDGER, REC_AT(household, head_id),
                 .ref = &kind_resident_ref, .aliases = "户主姓名", .width = 8},
    [HF_ADDRESS] = {.column = "address", .label = "field.address", .type = FLD_TEXT,
                    .flags = FF_SEARCH | FF_LIST | FF_LEDGER, REC_AT(household, address),
                    .limit = 160, .aliases = "住址|家庭住址|地址", .width = 12},
    [HF_PHONE] = {.column = "phone", .label = "field.phone", .type = FLD_PHONE,
                  .flags = FF_MASKED | FF_LEDGER, REC_AT(household, phone),
                  .aliases = "联系电话|电话|手机号"},
    [HF_NOTES] = {.column = "notes", .label = "field.notes", .type = FLD_MULTILINE,
                  .flags = FF_LEDGER, REC_AT(household, notes), .limit = 1000,
                  .aliases = "备注"},
};

static struct kind_sql household_sql;
const record_kind kind_household = {
    .name = "household",
    .table = "households",
    .label = "kind.household",
    .size = sizeof(household),
    .id_offset = offsetof(household, id),
    .revision_offset = offsetof(household, revision),
    .fields = household_fields,
    .nfields = sizeof household_fields / sizeof household_fields[0],
    .title_field = HF_NUMBER,
    .read_perm = PERM_REGISTER_READ,
    .write_perm = PERM_REGISTER_WRITE,
    .hooks = {.normalize = household_normalize,
              .validate = household_rules,
              .import_existing = household_import_existing,
              .before_write = household_before_write,
              .after_write = household_after_write,
              .before_delete = household_before_delete,
              .search_text = household_search_text},
    .sql = &household_sql,
};

#define HOUSEHOLD_ROW_SELECT                                                            \
    "SELECT h.id, h.number, c.name, hr.name, h.head_id, (SELECT count(*) FROM residents m" \
    " WHERE m.household_id = h.id AND m.deleted_at IS NULL), h.address FROM households h"  \
    " LEFT JOIN communities c ON c.id = h.community_id"                                    \
    " LEFT JOIN residents hr ON hr.id = h.head_id AND hr.deleted_at IS NULL"               \
    " WHERE h.deleted_at IS NULL AND " RECORD_TERMS_MATCH("household", "h.id")

static const char *const household_list_sql[4] = {
    HOUSEHOLD_ROW_SELECT " ORDER BY h.number, h.id LIMIT ?3",
    HOUSEHOLD_ROW_SELECT " AND (h.number, h.id) > ((SELECT number FROM households"
                         " WHERE id = ?2), ?2) ORDER BY h.number, h.id LIMIT ?3",
    HOUSEHOLD_ROW_SELECT " ORDER BY h.number DESC, h.id DESC LIMIT ?3",
    HOUSEHOLD_ROW_SELECT " AND (h.number, h.id) < ((SELECT number FROM households"
                         " WHERE id = ?2), ?2) ORDER BY h.number DESC, h.id DESC LIMIT ?3",
};

static void household_row_read(sqlite3_stmt *q, household_row *row)
{
    row->id = sqlite3_column_int64(q, 0);
    db_column_copy(q, 1, row->number, sizeof row->number);
    db_column_copy(q, 2, row->community, sizeof row->community);
    db_column_copy(q, 3, row->head, sizeof row->head);
    row->head_id = sqlite3_column_int64(q, 4);
    row->members = sqlite3_column_int(q, 5);
    db_column_copy(q, 6, row->address, sizeof row->address);
}

ws_status household_list(station *st, const char *filter, int64_t after, int dir,
                         household_row *rows, size_t max, size_t *n)
{
    *n = 0;
    ws_status denied = station_require(st, PERM_REGISTER_READ);
    if (denied != WS_OK)
        return denied;
    db *d = station_db(st);
    int which = (dir < 0 ? 2 : 0) + (after ? 1 : 0);
    sqlite3_stmt *q = db_prepare(d, household_list_sql[which]);
    if (!q)
        return db_status(d);
    char *term = record_terms_query(filter);
    record_terms_bind(q, term);
    free(term);
    if (after)
        sqlite3_bind_int64(q, 2, after);
    sqlite3_bind_int64(q, 3, (sqlite3_int64)max);
    int rc = SQLITE_DONE;
    while (*n < max && (rc = sqlite3_step(q)) == SQLITE_ROW)
        household_row_read(q, &rows[(*n)++]);
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

ws_status household_row_get(station *st, int64_t id, household_row *out)
{
    ws_status denied = station_require(st, PERM_REGISTER_READ);
    if (denied != WS_OK)
        return denied;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, HOUSEHOLD_ROW_SELECT " AND h.id = ?2");
    if (!q)
        return db_status(d);
    sqlite3_bind_null(q, 1);
    sqlite3_bind_int64(q, 2, id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        household_row_read(q, out);
    db_reset(q);
    if (rc == SQLITE_ROW)
        return WS_OK;
    return rc == SQLITE_DONE ? WS_ERR_NOT_FOUND : db_status_from(rc);
}

ws_status household_next_number(station *st, char *out, size_t outsz)
{
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT coalesce(max(CAST(substr(number, 2) AS INTEGER)), 0) + 1 FROM households"
        " WHERE number GLOB 'H[0-9]*'");
    if (!q)
        return db_status(d);
    int rc = sqlite3_step(q);
    int64_t next = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 1;
    db_reset(q);
    snprintf(out, outsz, "H%05lld", (long long)next);
    return rc == SQLITE_ROW ? WS_OK : db_status_from(rc);
}
