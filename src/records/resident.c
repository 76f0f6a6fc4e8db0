#include "wushe/casework.h"
#include "wushe/resident.h"
#include "wushe/access.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "household_internal.h"
#include "record_internal.h"
#include "ids.h"
#include "resident_filter.h"
#include "resident_internal.h"
#include "search.h"
#include "station_internal.h"
#include "wushe/catalog.h"
#include "wushe/codes.h"
#include "wushe/text.h"

/* Text up to its limit in 4-byte characters fits the record. */
_Static_assert(sizeof ((resident *)0)->name > RESIDENT_NAME_CHARS * 4, "name buffer");
_Static_assert(sizeof ((resident *)0)->address > RESIDENT_ADDRESS_CHARS * 4, "address buffer");
_Static_assert(sizeof ((resident *)0)->notes > RESIDENT_NOTES_CHARS * 4, "notes buffer");

void resident_init(resident *r)
{
    memset(r, 0, sizeof *r);
}

/* The entry of a code, held or unticked. */
static resident_group *resident_group_any(resident *r, const char *code)
{
    for (size_t i = 0; i < r->ngroups; i++)
        if (strcmp(r->groups[i].code, code) == 0)
            return &r->groups[i];
    return NULL;
}

resident_group *resident_group_find(resident *r, const char *code)
{
    resident_group *g = resident_group_any(r, code);
    return g && !g->removed ? g : NULL;
}

resident_group *resident_group_unticked(resident *r, const char *code)
{
    resident_group *g = resident_group_any(r, code);
    return g && g->removed ? g : NULL;
}

bool resident_group_untick(resident *r, const char *code)
{
    resident_group *g = resident_group_find(r, code);
    if (g)
        g->removed = true;
    return g != NULL;
}

bool resident_group_retick(resident *r, const char *code)
{
    resident_group *g = resident_group_unticked(r, code);
    if (g)
        g->removed = false;
    return g != NULL;
}

/* What a save writes: the held statuses only. */
static void resident_drop_unticked(resident *r)
{
    size_t k = 0;
    for (size_t i = 0; i < r->ngroups; i++)
        if (!r->groups[i].removed)
            r->groups[k++] = r->groups[i];
    r->ngroups = k;
}

int resident_disability_index(station *st, const resident *r)
{
    for (size_t i = 0; i < r->ngroups; i++) {
        if (r->groups[i].removed)
            continue;
        const code_item *it = codebook_find(station_codes(st), "vulnerable_group", r->groups[i].code);
        if (it && (it->flags & CODE_DISABILITY))
            return (int)i;
    }
    return -1;
}

bool resident_group_set(resident *r, const resident_group *g)
{
    resident_group *cur = resident_group_any(r, g->code);
    if (cur) {
        *cur = *g;
        return true;
    }
    if (r->ngroups == RESIDENT_MAX_GROUPS)
        return false;
    r->groups[r->ngroups++] = *g;
    return true;
}

void resident_group_remove(resident *r, const char *code)
{
    for (size_t i = 0; i < r->ngroups; i++) {
        if (strcmp(r->groups[i].code, code) == 0) {
            memmove(&r->groups[i], &r->groups[i + 1], (r->ngroups - i - 1) * sizeof r->groups[0]);
            r->ngroups--;
            return;
        }
    }
}

/* Trim ASCII and ideographic (U+3000) spaces at both ends, in place. */
static void resident_trim(char *s)
{
    size_t n = strlen(s);
    size_t a = 0;
    for (;;) {
        if (s[a] == ' ' || s[a] == '\t')
            a++;
        else if (strncmp(s + a, "\xe3\x80\x80", 3) == 0)
            a += 3;
        else
            break;
    }
    while (n > a) {
        if (s[n - 1] == ' ' || s[n - 1] == '\t')
            n--;
        else if (n - a >= 3 && strncmp(s + n - 3, "\xe3\x80\x80", 3) == 0)
            n -= 3;
        else
            break;
    }
    memmove(s, s + a, n - a);
    s[n - a] = '\0';
}

void resident_fill_from_id(resident *r)
{
    char today[11];
    date_today(today);
    val_id v;
    if (val_id_number(r->id_number, today, &v) != VAL_OK)
        return;
    if (r->sex == SEX_UNKNOWN)
        r->sex = v.sex;
    if (!r->birth_date[0])
        snprintf(r->birth_date, sizeof r->birth_date, "%s", v.birth);
}

static ws_status resident_fail(field_error *fe, resident_field f, size_t idx, val_status v)
{
    fe->field = f;
    fe->index = idx;
    fe->code = v;
    return WS_ERR_INVALID;
}

static ws_status resident_check_ref(station *st, const char *sql, int64_t id, bool *found)
{
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, sql);
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    *found = rc == SQLITE_ROW;
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

static bool resident_code_ok(station *st, const char *list, const char *code)
{
    return !*code || codebook_find(station_codes(st), list, code) != NULL;
}

static ws_status resident_validate_id(station *st, resident *r, const char *today, field_error *fe)
{
    val_id v;
    val_status vs = val_id_number(r->id_number, today, &v);
    if (vs != VAL_OK)
        return resident_fail(fe, RF_ID_NUMBER, 0, vs);
    snprintf(r->id_number, sizeof r->id_number, "%s", v.number);
    if (r->sex == SEX_UNKNOWN)
        r->sex = v.sex;
    else if (r->sex != v.sex)
        return resident_fail(fe, RF_SEX, 0, VAL_SEX_MISMATCH);
    if (!r->birth_date[0]) {
        snprintf(r->birth_date, sizeof r->birth_date, "%s", v.birth);
    } else {
        char birth[11];
        vs = val_date(r->birth_date, today, true, birth);
        if (vs != VAL_OK)
            return resident_fail(fe, RF_BIRTH_DATE, 0, vs);
        if (strcmp(birth, v.birth) != 0)
            return resident_fail(fe, RF_BIRTH_DATE, 0, VAL_BIRTH_MISMATCH);
        snprintf(r->birth_date, sizeof r->birth_date, "%s", birth);
    }
    /* The ID number of a living resident belongs to one record only; a
     * number in the 回收站, given to a new record or as a changed number,
     * is that person's, to be restored (registered again, the deleted one
     * could never come back). A record that already shares it keeps it. */
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT name FROM residents WHERE id_number = ?1 AND deleted_at IS NULL AND id <> ?2");
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, r->id_number);
    sqlite3_bind_int64(q, 2, r->id);
    int rc = sqlite3_step(q);
    val_status taken = rc == SQLITE_ROW ? VAL_DUPLICATE_ID : VAL_OK;
    if (taken)
        db_column_copy(q, 0, fe->detail, sizeof fe->detail);
    db_reset(q);
    if (!taken && rc == SQLITE_DONE) {
        /* Each by its own partial index. */
        q = db_prepare(d, "SELECT name FROM residents WHERE id_number = ?1"
                          " AND deleted_at IS NOT NULL AND id_number IS NOT NULL AND id <> ?2"
                          " AND (?2 = 0 OR ?1 IS NOT (SELECT id_number FROM residents"
                          "  WHERE id = ?2)) LIMIT 1");
        if (!q)
            return db_status(d);
        db_bind_text(q, 1, r->id_number);
        sqlite3_bind_int64(q, 2, r->id);
        if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
            taken = VAL_ID_IN_BIN;
            db_column_copy(q, 0, fe->detail, sizeof fe->detail);
        }
        db_reset(q);
    }
    if (taken)
        return resident_fail(fe, RF_ID_NUMBER, 0, taken);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? WS_OK : db_status_from(rc);
}

static ws_status resident_validate_groups(station *st, resident *r, const char *today,
                                          field_error *fe)
{
    for (size_t i = 0; i < r->ngroups; i++) {
        resident_group *g = &r->groups[i];
        if (g->removed) /* going: its details are not checked */
            continue;
        const code_item *it = codebook_find(station_codes(st), "vulnerable_group", g->code);
        if (!it)
            return resident_fail(fe, RF_GROUPS, i, VAL_UNKNOWN_CODE);
        /* A child's status for a child, an old person's for the old (the
         * age on the birth date, when it is known). */
        int age = r->birth_date[0] ? date_age(r->birth_date, today) : -1;
        if (age >= 0 && (((it->flags & CODE_CHILD) && age >= 18) ||
                         ((it->flags & CODE_ELDERLY) && age < 60))) {
            resident_fail(fe, RF_GROUPS, i,
                          it->flags & CODE_CHILD ? VAL_GROUP_CHILD : VAL_GROUP_ELDERLY);
            snprintf(fe->detail, sizeof fe->detail, "%s", code_label(it, 0));
            return WS_ERR_INVALID;
        }
        char norm[11];
        val_status vs;
        if (g->start_date[0]) {
            if ((vs = val_date(g->start_date, today, true, norm)) != VAL_OK)
                return resident_fail(fe, RF_GROUP_START, i, vs);
            snprintf(g->start_date, sizeof g->start_date, "%s", norm);
        }
        if (g->review_date[0]) {
            if ((vs = val_date(g->review_date, today, false, norm)) != VAL_OK)
                return resident_fail(fe, RF_GROUP_REVIEW, i, vs);
            snprintf(g->review_date, sizeof g->review_date, "%s", norm);
            /* Both normalised: YYYY-MM-DD compares as text. */
            if (g->start_date[0] && strcmp(g->review_date, g->start_date) < 0) {
                /* Named with both dates: the resident form shows the
                 * statuses in one line. */
                trf(fe->detail, sizeof fe->detail, "valid.review_dates", code_label(it, 1),
                    g->review_date, g->start_date);
                return resident_fail(fe, RF_GROUP_REVIEW, i, VAL_REVIEW_BEFORE_START);
            }
        }
        resident_trim(g->cert_no);
        if ((vs = val_text_chars(g->cert_no, RESIDENT_CERT_CHARS, false, NULL)) != VAL_OK)
            return resident_fail(fe, RF_GROUP_CERT, i, vs);
        if (!(it->flags & CODE_DISABILITY)) {
            g->disability_type[0] = g->disability_grade[0] = '\0';
        } else if (!resident_code_ok(st, "disability_type", g->disability_type) ||
                   !resident_code_ok(st, "disability_grade", g->disability_grade)) {
            return resident_fail(fe, RF_GROUP_DISABILITY, i, VAL_UNKNOWN_CODE);
        }
    }
    return WS_OK;
}

/* Whether the stored resident id is 户主 (of household hid, when not 0). */
static ws_status resident_is_head(db *d, int64_t id, int64_t hid, bool *head)
{
    *head = false;
    sqlite3_stmt *q = db_prepare(d,
        "SELECT 1 FROM residents WHERE id = ?1 AND deleted_at IS NULL AND relation = 'head'"
        " AND (?2 = 0 OR household_id = ?2)");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int64(q, 2, hid);
    int rc = sqlite3_step(q);
    *head = rc == SQLITE_ROW;
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* A household has one 户主: saving or moving someone else in as 户主 is
 * refused while another living member is 户主 by relation (the detail
 * names them). Whoever already is 户主 there may be saved again, so an
 * older register with two heads does not block unrelated edits. */
static ws_status resident_head_check(station *st, int64_t id, int64_t household_id,
                                     const char *relation, field_error *fe)
{
    if (!household_id || strcmp(relation, "head") != 0)
        return WS_OK;
    db *d = station_db(st);
    bool already = false;
    ws_status s = id ? resident_is_head(d, id, household_id, &already) : WS_OK;
    if (s != WS_OK || already)
        return s;
    sqlite3_stmt *q = db_prepare(d,
        "SELECT name FROM residents WHERE household_id = ?1 AND relation = 'head'"
        " AND deleted_at IS NULL AND id <> ?2 ORDER BY id LIMIT 1");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, household_id);
    sqlite3_bind_int64(q, 2, id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        db_column_copy(q, 0, fe->detail, sizeof fe->detail);
        db_reset(q);
        return resident_fail(fe, RF_RELATION, 0, VAL_HEAD_TAKEN);
    }
    db_reset(q);
    return rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

ws_status resident_check_head(station *st, const resident *r, field_error *fe)
{
    memset(fe, 0, sizeof *fe);
    fe->field = RF_NONE;
    return resident_head_check(st, r->id, r->household_id, r->relation, fe);
}

unsigned resident_name_flags(station *st)
{
    const station_config *cfg = station_cfg(st);
    return cfg && cfg->names_allow_latin ? VAL_NAME_ALLOW_LATIN : 0;
}

ws_status resident_validate(station *st, resident *r, field_error *fe)
{
    memset(fe, 0, sizeof *fe);
    fe->field = RF_NONE;
    char today[11];
    date_today(today);
    val_status vs;

    /* One rule for the form and the import: Han and the minority names'
     * dot, Latin letters where the station allows them; saved normalised. */
    char name[sizeof r->name];
    if ((vs = val_person_name(r->name, resident_name_flags(st), RESIDENT_NAME_CHARS, name,
                              sizeof name)) != VAL_OK)
        return resident_fail(fe, RF_NAME, 0, vs);
    memcpy(r->name, name, sizeof name);
    resident_trim(r->id_number);
    if (r->sex < SEX_UNKNOWN || r->sex > SEX_FEMALE)
        return resident_fail(fe, RF_SEX, 0, VAL_UNKNOWN_CODE);
    resident_trim(r->birth_date);
    resident_trim(r->phone);
    /* A masked value changed only in part (the whole one is put back
     * before this when unchanged): say so, not "only digits". */
    if (strchr(r->id_number, '*'))
        return resident_fail(fe, RF_ID_NUMBER, 0, VAL_MASKED_EDIT);
    if (strchr(r->birth_date, '*'))
        return resident_fail(fe, RF_BIRTH_DATE, 0, VAL_MASKED_EDIT);
    if (strchr(r->phone, '*'))
        return resident_fail(fe, RF_PHONE, 0, VAL_MASKED_EDIT);
    if (r->id_number[0]) {
        ws_status s = resident_validate_id(st, r, today, fe);
        if (s != WS_OK)
            return s;
    } else if (r->birth_date[0]) {
        char norm[11];
        if ((vs = val_date(r->birth_date, today, true, norm)) != VAL_OK)
            return resident_fail(fe, RF_BIRTH_DATE, 0, vs);
        snprintf(r->birth_date, sizeof r->birth_date, "%s", norm);
    }
    resident_trim(r->phone);
    if (r->phone[0]) {
        char norm[32];
        if ((vs = val_phone(r->phone, norm, sizeof norm)) != VAL_OK)
            return resident_fail(fe, RF_PHONE, 0, vs);
        snprintf(r->phone, sizeof r->phone, "%s", norm);
    }
    if (!resident_code_ok(st, "ethnicity", r->ethnicity))
        return resident_fail(fe, RF_ETHNICITY, 0, VAL_UNKNOWN_CODE);
    if (!resident_code_ok(st, "relation", r->relation))
        return resident_fail(fe, RF_RELATION, 0, VAL_UNKNOWN_CODE);
    bool found = true;
    ws_status s = WS_OK;
    if (r->community_id)
        s = resident_check_ref(st, "SELECT 1 FROM communities WHERE id = ?1 AND deleted_at IS NULL",
                               r->community_id, &found);
    if (s != WS_OK)
        return s;
    if (!found)
        return resident_fail(fe, RF_COMMUNITY, 0, VAL_NOT_FOUND);
    if (r->household_id)
        s = resident_check_ref(st, "SELECT 1 FROM households WHERE id = ?1 AND deleted_at IS NULL",
                               r->household_id, &found);
    if (s != WS_OK)
        return s;
    if (!found)
        return resident_fail(fe, RF_HOUSEHOLD, 0, VAL_NOT_FOUND);
    /* A member of a household is someone to its head: 户主 and the one
     * truth of the head are read from these relations. */
    if (r->household_id && !r->relation[0])
        return resident_fail(fe, RF_RELATION, 0, VAL_RELATION_NEEDED);
    if ((s = resident_head_check(st, r->id, r->household_id, r->relation, fe)) != WS_OK)
        return s;
    resident_trim(r->address);
    if ((vs = val_text_chars(r->address, RESIDENT_ADDRESS_CHARS, false, NULL)) != VAL_OK)
        return resident_fail(fe, RF_ADDRESS, 0, vs);
    /* Notes are multi-line. */
    if ((vs = val_text_chars(r->notes, RESIDENT_NOTES_CHARS, true, NULL)) != VAL_OK)
        return resident_fail(fe, RF_NOTES, 0, vs);
    return resident_validate_groups(st, r, today, fe);
}

static void resident_bind_id_or_null(sqlite3_stmt *q, int i, int64_t id)
{
    if (id)
        sqlite3_bind_int64(q, i, id);
    else
        sqlite3_bind_null(q, i);
}

ws_status resident_store(station *st, resident *r)
{
    record_error re;
    return record_store(st, &kind_resident, r, &re);
}

/* A 录入员 sees identifiers masked once saved (PERM_IDS_FULL). */
static void resident_mask_for_role(station *st, resident *r)
{
    if (station_can(st, PERM_IDS_FULL))
        return;
    char m[sizeof r->id_number];
    mask_id_number(r->id_number, m, sizeof m);
    snprintf(r->id_number, sizeof r->id_number, "%s", m);
    char p[sizeof r->phone];
    mask_phone(r->phone, p, sizeof p);
    snprintf(r->phone, sizeof r->phone, "%s", p);
    char b[sizeof r->birth_date];
    mask_birth_date(r->birth_date, b, sizeof b);
    snprintf(r->birth_date, sizeof r->birth_date, "%s", b);
}

ws_status resident_save(station *st, resident *r, field_error *fe)
{
    int64_t old_id = r->id, old_revision = r->revision;
    ws_status s = record_save(st, &kind_resident, r, fe);
    if (s != WS_OK)
        return s;
    resident_drop_unticked(r); /* r is now what was saved */
    resident_mask_for_role(st, r);
    /* A save that changed nothing wrote nothing; what it would have put
     * right beside it still is: the household's recorded 户主 (wushe
     * check's advice). */
    if (old_id && r->revision == old_revision) {
        db *d = station_db(st);
        s = db_begin(d);
        return s == WS_OK ? db_end(d, household_head_sync(st, r->household_id)) : s;
    }
    return WS_OK;
}

void resident_read_columns(sqlite3_stmt *q, resident *r)
{
    r->id = sqlite3_column_int64(q, 0);
    db_column_copy(q, 1, r->name, sizeof r->name);
    db_column_copy(q, 2, r->id_number, sizeof r->id_number);
    r->sex = sqlite3_column_int(q, 3);
    db_column_copy(q, 4, r->birth_date, sizeof r->birth_date);
    db_column_copy(q, 5, r->phone, sizeof r->phone);
    db_column_copy(q, 6, r->ethnicity, sizeof r->ethnicity);
    r->community_id = sqlite3_column_int64(q, 7);
    r->household_id = sqlite3_column_int64(q, 8);
    db_column_copy(q, 9, r->relation, sizeof r->relation);
    db_column_copy(q, 10, r->address, sizeof r->address);
    db_column_copy(q, 11, r->notes, sizeof r->notes);
}

ws_status resident_read_groups(sqlite3_stmt *q, resident *r)
{
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && r->ngroups < RESIDENT_MAX_GROUPS) {
        resident_group *g = &r->groups[r->ngroups++];
        db_column_copy(q, 0, g->code, sizeof g->code);
        db_column_copy(q, 1, g->start_date, sizeof g->start_date);
        db_column_copy(q, 2, g->cert_no, sizeof g->cert_no);
        db_column_copy(q, 3, g->review_date, sizeof g->review_date);
        db_column_copy(q, 4, g->disability_type, sizeof g->disability_type);
        db_column_copy(q, 5, g->disability_grade, sizeof g->disability_grade);
    }
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

ws_status resident_load(station *st, int64_t id, resident *out)
{
    ws_status s = record_load(st, &kind_resident, id, out);
    if (s == WS_OK)
        resident_mask_for_role(st, out);
    return s;
}

ws_status resident_load_whole(station *st, int64_t id, resident *out)
{
    return record_load(st, &kind_resident, id, out);
}

/* Run one audited UPDATE of a resident inside its own transaction (a move
 * that keeps the address: its audit row comes before the households' new
 * heads', as their histories show it); the statement takes ?1 id, ?2 now
 * and optionally ?3 household, ?4 text. */
static ws_status resident_update_audited(station *st, int64_t id, const char *sql, int64_t hid,
                                         const char *text)
{
    db *d = station_db(st);
    ws_status s = db_begin(d);
    if (s != WS_OK)
        return s;
    char *before = NULL;
    int64_t old_household = 0;
    s = record_audit_snapshot(st, &kind_resident, id, &before);
    if (s == WS_OK && !before)
        s = WS_ERR_NOT_FOUND;
    if (s == WS_OK)
        s = resident_household_of(d, id, &old_household);
    sqlite3_stmt *q = s == WS_OK ? db_prepare(d, sql) : NULL;
    if (s == WS_OK && !q)
        s = db_status(d);
    if (s == WS_OK) {
        char now[32];
        db_now(now);
        sqlite3_bind_int64(q, 1, id);
        db_bind_text(q, 2, now);
        resident_bind_id_or_null(q, 3, hid);
        db_bind_text(q, 4, text);
        int rc = sqlite3_step(q);
        db_reset(q);
        if (rc != SQLITE_DONE)
            s = db_status_from(rc);
        else if (sqlite3_changes(db_handle(d)) == 0)
            s = WS_ERR_NOT_FOUND;
    }
    if (s == WS_OK)
        s = record_audit_write(st, &kind_resident, id, false, before);
    if (s == WS_OK)
        s = household_head_sync(st, old_household);
    if (s == WS_OK && hid != old_household)
        s = household_head_sync(st, hid);
    if (s == WS_OK)
        s = due_refresh(st, id);
    free(before);
    if (s == WS_OK)
        return db_commit(d);
    db_rollback(d);
    return s;
}

ws_status resident_delete(station *st, int64_t id)
{
    record_error re;
    return record_delete(st, &kind_resident, id, &re);
}

/* The stored resident moved in the caller's transaction, taking address:
 * the whole write path (row, search terms, heads, audit row), so the
 * address is searchable at once. */
static ws_status resident_move_store(station *st, int64_t id, int64_t household_id,
                                     const char *relation, const char *address)
{
    resident *r = malloc(sizeof *r);
    if (!r)
        return WS_ERR_NOMEM;
    /* As stored: identifiers a 录入员 sees masked are written back whole. */
    ws_status s = record_load_row(st, &kind_resident, id, r);
    if (s == WS_OK) {
        r->household_id = household_id;
        snprintf(r->relation, sizeof r->relation, "%s", relation);
        snprintf(r->address, sizeof r->address, "%s", address);
        s = resident_store(st, r);
    }
    free(r);
    return s;
}

ws_status resident_move(station *st, int64_t id, int64_t household_id, const char *relation,
                        field_error *fe)
{
    return resident_move_with_address(st, id, household_id, relation, NULL, fe);
}

ws_status resident_move_with_address(station *st, int64_t id, int64_t household_id,
                                     const char *relation, const char *address, field_error *fe)
{
    field_error ignored;
    if (!fe)
        fe = &ignored;
    memset(fe, 0, sizeof *fe);
    fe->field = RF_NONE;
    ws_status denied_ = station_require(st, PERM_REGISTER_WRITE);
    if (denied_ != WS_OK)
        return denied_;
    if (!relation)
        relation = "";
    if (*relation && !codebook_find(station_codes(st), "relation", relation))
        return resident_fail(fe, RF_RELATION, 0, VAL_UNKNOWN_CODE);
    val_status vs;
    if (address && (vs = val_text_chars(address, RESIDENT_ADDRESS_CHARS, false, NULL)) != VAL_OK)
        return resident_fail(fe, RF_ADDRESS, 0, vs);
    db *d = station_db(st);
    ws_status s = db_begin(d);
    if (s != WS_OK)
        return s;
    /* Checked inside the write transaction: another console cannot save a
     * 户主 into the household between the check and the move. */
    if (household_id) {
        bool found = false;
        s = resident_check_ref(st, "SELECT 1 FROM households WHERE id = ?1 AND deleted_at IS NULL",
                               household_id, &found);
        if (s == WS_OK && !found)
            s = WS_ERR_NOT_FOUND;
        if (s == WS_OK)
            s = resident_head_check(st, id, household_id, relation, fe);
    }
    if (s == WS_OK && address)
        s = resident_move_store(st, id, household_id, relation, address);
    else if (s == WS_OK)
        s = resident_update_audited(st, id,
            "UPDATE residents SET household_id = ?3, relation = ?4, updated_at = ?2,"
            " community_id = coalesce((SELECT community_id FROM households WHERE id = ?3),"
            " community_id), revision = revision + 1 WHERE id = ?1 AND deleted_at IS NULL",
            household_id, relation);
    if (s == WS_OK)
        return db_commit(d);
    db_rollback(d);
    return s;
}

/* ---- lists ---- */

#define RESIDENT_ROW_SELECT                                                          \
    "SELECT r.id, r.name, r.sex, r.birth_date, r.id_number, r.phone, c.name, h.number," \
    " r.relation, (SELECT group_concat(group_code, ',') FROM resident_groups g"         \
    " WHERE g.resident_id = r.id) FROM residents r"                                     \
    " LEFT JOIN communities c ON c.id = r.community_id"                                 \
    " LEFT JOIN households h ON h.id = r.household_id"                                  \
    " WHERE r.deleted_at IS NULL"

static const char *const resident_list_sql[4] = {
    RESIDENT_ROW_SELECT " ORDER BY r.sort_key, r.id LIMIT ?3",
    RESIDENT_ROW_SELECT " AND (r.sort_key, r.id) > ((SELECT sort_key FROM residents"
                        " WHERE id = ?2), ?2) ORDER BY r.sort_key, r.id LIMIT ?3",
    RESIDENT_ROW_SELECT " ORDER BY r.sort_key DESC, r.id DESC LIMIT ?3",
    RESIDENT_ROW_SELECT " AND (r.sort_key, r.id) < ((SELECT sort_key FROM residents"
                        " WHERE id = ?2), ?2) ORDER BY r.sort_key DESC, r.id DESC LIMIT ?3",
};

void resident_row_read(sqlite3_stmt *q, resident_row *row)
{
    row->id = sqlite3_column_int64(q, 0);
    db_column_copy(q, 1, row->name, sizeof row->name);
    row->sex = sqlite3_column_int(q, 2);
    db_column_copy(q, 3, row->birth_date, sizeof row->birth_date);
    db_column_copy(q, 4, row->id_number, sizeof row->id_number);
    db_column_copy(q, 5, row->phone, sizeof row->phone);
    db_column_copy(q, 6, row->community, sizeof row->community);
    db_column_copy(q, 7, row->household, sizeof row->household);
    db_column_copy(q, 8, row->relation, sizeof row->relation);
    db_column_copy(q, 9, row->groups, sizeof row->groups);
}

static ws_status resident_rows_run(db *d, sqlite3_stmt *q, resident_row *rows, size_t max,
                                   size_t *n)
{
    int rc;
    *n = 0;
    while (*n < max && (rc = sqlite3_step(q)) == SQLITE_ROW)
        resident_row_read(q, &rows[(*n)++]);
    if (*n < max && rc != SQLITE_DONE) {
        db_reset(q);
        (void)d;
        return db_status_from(rc);
    }
    db_reset(q);
    return WS_OK;
}

/* A text-only page: ids from the search index, rows by id in that order. */
static ws_status resident_search_page(station *st, const char *filter, int64_t after, int dir,
                                      resident_row *rows, size_t max, size_t *n)
{
    db *d = station_db(st);
    int64_t *ids = malloc((max ? max : 1) * sizeof *ids);
    if (!ids)
        return WS_ERR_NOMEM;
    size_t k = 0;
    ws_status s = search_query(d, filter, after, dir, ids, max, &k);
    sqlite3_stmt *q = s == WS_OK ? db_prepare(d, RESIDENT_ROW_SELECT " AND r.id = ?2") : NULL;
    if (s == WS_OK && !q)
        s = db_status(d);
    for (size_t i = 0; s == WS_OK && i < k; i++) {
        sqlite3_bind_int64(q, 2, ids[i]);
        int rc = sqlite3_step(q);
        if (rc == SQLITE_ROW)
            resident_row_read(q, &rows[(*n)++]);
        else if (rc != SQLITE_DONE)
            s = db_status_from(rc);
        db_reset(q);
    }
    free(ids);
    return s;
}

static bool resident_filter_empty(const char *f)
{
    for (; f && *f; f++)
        if (*f != ' ' && *f != '\t')
            return false;
    return true;
}

/* ---- lists with a structured filter (resident_filter.h) ---- */

/* What drives a filtered page: the walk in pinyin order testing each row,
 * a household's few members, or the members of a rare group (sorted). */
enum { PLAN_WALK, PLAN_HOUSEHOLD, PLAN_GROUP };

#define RESIDENT_BY_HOUSEHOLD " AND r.household_id = ?11"
#define RESIDENT_BY_GROUP " AND r.id IN (SELECT resident_id FROM resident_groups WHERE group_code = ?15)"
#define RESIDENT_AFTER " AND (r.sort_key, r.id) > ((SELECT sort_key FROM residents WHERE id = ?2), ?2)"
#define RESIDENT_BEFORE " AND (r.sort_key, r.id) < ((SELECT sort_key FROM residents WHERE id = ?2), ?2)"
#define RESIDENT_FORWARD " ORDER BY r.sort_key, r.id LIMIT ?3"
#define RESIDENT_BACKWARD " ORDER BY r.sort_key DESC, r.id DESC LIMIT ?3"
#define RESIDENT_PAGES(drive)                                                         \
    {RESIDENT_ROW_SELECT drive RESIDENT_FILTER_SQL RESIDENT_FORWARD,                  \
     RESIDENT_ROW_SELECT drive RESIDENT_FILTER_SQL RESIDENT_AFTER RESIDENT_FORWARD,   \
     RESIDENT_ROW_SELECT drive RESIDENT_FILTER_SQL RESIDENT_BACKWARD,                 \
     RESIDENT_ROW_SELECT drive RESIDENT_FILTER_SQL RESIDENT_BEFORE RESIDENT_BACKWARD}

static const char *const resident_filter_pages[3][4] = {
    RESIDENT_PAGES(""), RESIDENT_PAGES(RESIDENT_BY_HOUSEHOLD), RESIDENT_PAGES(RESIDENT_BY_GROUP),
};

static const char *const resident_filter_counts[3] = {
    "SELECT count(*) FROM residents r WHERE r.deleted_at IS NULL" RESIDENT_FILTER_SQL,
    "SELECT count(*) FROM residents r WHERE r.deleted_at IS NULL" RESIDENT_BY_HOUSEHOLD
        RESIDENT_FILTER_SQL,
    "SELECT count(*) FROM residents r WHERE r.deleted_at IS NULL" RESIDENT_BY_GROUP
        RESIDENT_FILTER_SQL,
};

/* The group of f with the fewest members (*members of them). */
static ws_status resident_rarest_group(db *d, const resident_filter *f, const char **code,
                                       int64_t *members)
{
    *code = NULL;
    *members = 0;
    for (size_t i = 0; i < f->ngroups; i++) {
        int64_t m = 0;
        sqlite3_stmt *q = db_prepare(d, "SELECT count(*) FROM resident_groups WHERE group_code = ?1");
        if (!q)
            return db_status(d);
        db_bind_text(q, 1, f->groups[i]);
        int rc = sqlite3_step(q);
        if (rc == SQLITE_ROW)
            m = sqlite3_column_int64(q, 0);
        db_reset(q);
        if (rc != SQLITE_ROW)
            return db_status_from(rc);
        if (!*code || m < *members) {
            *code = f->groups[i];
            *members = m;
        }
    }
    return WS_OK;
}

/* Which plan pages f, and the group code that drives PLAN_GROUP. A walk
 * reads about page * total / members rows, the group plan sorts all its
 * members: the group drives when members^2 < 64 * total. */
static ws_status resident_filter_plan(db *d, const resident_filter *f, bool counting, int *plan,
                                      const char **code)
{
    *plan = PLAN_WALK;
    *code = NULL;
    if (f->household_id) {
        *plan = PLAN_HOUSEHOLD;
        return WS_OK;
    }
    if (!f->ngroups)
        return WS_OK;
    int64_t members = 0, total = 0;
    ws_status s = resident_rarest_group(d, f, code, &members);
    if (s == WS_OK && !counting)
        s = db_int(d, "SELECT coalesce(max(seq), 0) FROM residents", 0, &total);
    if (s == WS_OK && (counting || members * members < 64 * total))
        *plan = PLAN_GROUP;
    return s;
}

static ws_status resident_filter_prepare(db *d, const char *sql, const resident_filter *f,
                                         const char *code, sqlite3_stmt **out)
{
    char today[11];
    *out = db_prepare(d, sql);
    if (!*out)
        return db_status(d);
    date_today(today);
    ws_status s = resident_filter_bind(f, *out, today);
    if (s == WS_OK && code)
        db_bind_text(*out, 15, code);
    if (s != WS_OK)
        db_reset(*out);
    return s;
}

/* Structured conditions only: one page in SQL. */
static ws_status resident_filter_page(station *st, const resident_filter *f, int64_t after,
                                      int dir, resident_row *rows, size_t max, size_t *n)
{
    db *d = station_db(st);
    int plan;
    const char *code;
    ws_status s = resident_filter_plan(d, f, false, &plan, &code);
    sqlite3_stmt *q = NULL;
    if (s == WS_OK)
        s = resident_filter_prepare(d, resident_filter_pages[plan][(dir < 0 ? 2 : 0) + (after ? 1 : 0)],
                                    f, code, &q);
    if (s != WS_OK)
        return s;
    if (after)
        sqlite3_bind_int64(q, 2, after);
    sqlite3_bind_int64(q, 3, (sqlite3_int64)max);
    return resident_rows_run(d, q, rows, max, n);
}

/* Text and conditions: the search's ids in its order, batch by batch,
 * each tested against the conditions in SQL; rows (may be NULL) get those
 * that pass until max, *n counts them. */
static ws_status resident_filter_search(station *st, const resident_filter *f, int64_t after,
                                        int dir, resident_row *rows, size_t max, size_t *n)
{
    enum { BATCH = 256 };
    db *d = station_db(st);
    *n = 0;
    int64_t *ids = malloc(BATCH * sizeof *ids);
    if (!ids)
        return WS_ERR_NOMEM;
    sqlite3_stmt *q = NULL;
    ws_status s = resident_filter_prepare(d, rows ? RESIDENT_ROW_SELECT " AND r.id = ?2"
                                                    RESIDENT_FILTER_SQL
                                                  : "SELECT 1 FROM residents r WHERE r.id = ?2"
                                                    " AND r.deleted_at IS NULL" RESIDENT_FILTER_SQL,
                                          f, NULL, &q);
    size_t k = BATCH;
    while (s == WS_OK && k == BATCH && *n < max) {
        k = 0;
        s = search_query(d, f->text, after, dir, ids, BATCH, &k);
        for (size_t i = 0; s == WS_OK && i < k && *n < max; i++) {
            sqlite3_bind_int64(q, 2, ids[i]);
            int rc = sqlite3_step(q);
            if (rc == SQLITE_ROW) {
                if (rows)
                    resident_row_read(q, &rows[*n]);
                (*n)++;
            } else if (rc != SQLITE_DONE) {
                s = db_status_from(rc);
            }
            sqlite3_reset(q); /* keeps the filter's bindings */
        }
        if (k)
            after = ids[k - 1];
    }
    db_reset(q);
    free(ids);
    return s;
}

ws_status resident_list(station *st, const char *filter, int64_t after, int dir,
                        resident_row *rows, size_t max, size_t *n)
{
    *n = 0;
    ws_status denied_ = station_require(st, PERM_REGISTER_READ);
    if (denied_ != WS_OK)
        return denied_;
    *n = 0;
    if (resident_filter_empty(filter)) {
        db *d = station_db(st);
        int which = (dir < 0 ? 2 : 0) + (after ? 1 : 0);
        sqlite3_stmt *q = db_prepare(d, resident_list_sql[which]);
        if (!q)
            return db_status(d);
        if (after)
            sqlite3_bind_int64(q, 2, after);
        sqlite3_bind_int64(q, 3, (sqlite3_int64)max);
        return resident_rows_run(d, q, rows, max, n);
    }
    resident_filter f;
    ws_status s = resident_filter_parse(st, filter, &f);
    if (s != WS_OK)
        return s;
    if (!f.structured)
        s = resident_search_page(st, filter, after, dir, rows, max, n);
    else if (f.none || max == 0)
        s = WS_OK;
    else if (resident_filter_empty(f.text))
        s = resident_filter_page(st, &f, after, dir, rows, max, n);
    else
        s = resident_filter_search(st, &f, after, dir, rows, max, n);
    resident_filter_clear(&f);
    return s;
}

ws_status resident_members(station *st, int64_t household_id, resident_row *rows, size_t max,
                           size_t *n)
{
    *n = 0;
    ws_status denied_ = station_require(st, PERM_REGISTER_READ);
    if (denied_ != WS_OK)
        return denied_;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d,
        RESIDENT_ROW_SELECT " AND r.household_id = ?2"
        " ORDER BY r.relation <> 'head', r.birth_date, r.sort_key LIMIT ?3");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 2, household_id);
    sqlite3_bind_int64(q, 3, (sqlite3_int64)max);
    return resident_rows_run(d, q, rows, max, n);
}

/* Text only: the same search as the list, page by page, so they agree. */
static ws_status resident_search_count(db *d, const char *filter, int64_t *out)
{
    enum { PAGE = 1024 };
    int64_t *ids = malloc(PAGE * sizeof *ids);
    if (!ids)
        return WS_ERR_NOMEM;
    int64_t after = 0;
    size_t n = 0;
    ws_status s;
    do {
        s = search_query(d, filter, after, 1, ids, PAGE, &n);
        *out += (int64_t)n;
        if (n)
            after = ids[n - 1];
    } while (s == WS_OK && n == PAGE);
    free(ids);
    return s;
}

ws_status resident_count(station *st, const char *filter, int64_t *out)
{
    *out = 0;
    ws_status denied_ = station_require(st, PERM_REGISTER_READ);
    if (denied_ != WS_OK)
        return denied_;
    db *d = station_db(st);
    *out = 0;
    if (resident_filter_empty(filter))
        return db_int(d, "SELECT count(*) FROM residents WHERE deleted_at IS NULL", 0, out);
    resident_filter f;
    ws_status s = resident_filter_parse(st, filter, &f);
    if (s != WS_OK)
        return s;
    if (!f.structured) {
        s = resident_search_count(d, filter, out);
    } else if (f.none) {
        s = WS_OK;
    } else if (!resident_filter_empty(f.text)) {
        size_t n = 0;
        s = resident_filter_search(st, &f, 0, 1, NULL, SIZE_MAX, &n);
        *out = (int64_t)n;
    } else {
        int plan;
        const char *code;
        sqlite3_stmt *q = NULL;
        s = resident_filter_plan(d, &f, true, &plan, &code);
        if (s == WS_OK)
            s = resident_filter_prepare(d, resident_filter_counts[plan], &f, code, &q);
        if (s == WS_OK) {
            int rc = sqlite3_step(q);
            if (rc == SQLITE_ROW)
                *out = sqlite3_column_int64(q, 0);
            else
                s = db_status_from(rc);
            db_reset(q);
        }
    }
    resident_filter_clear(&f);
    return s;
}
