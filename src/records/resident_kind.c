/* Residents as a declared kind: one field table over the resident struct
 * (labels, types, flags, the one length limit, code lists, references,
 * ledger header aliases), and the register's own rules as hooks:
 *
 * - validate (the kind's own_checks: the ID number decides sex and birth
 *   date, so the order and the words of the checks are resident_validate's):
 *   a masked value sent back unchanged is the stored one again, then
 *   resident_validate;
 * - before_write: the household before the write (its 户主 may go), the
 *   community from the household;
 * - write_row: the row with its derived columns (pinyin, initials, search
 *   text, folded name, sort key with the surname's reading, seq) in the
 *   same INSERT or UPDATE, and its postings in the residents' own search
 *   index (own_search: no record_terms);
 * - after_write: the group statuses (child rows, also in the audit JSON),
 *   the households' heads, a renamed head's household terms, due visits.
 *
 * The write path itself (transaction, snapshot, stale check, no-change
 * save, audit row) is record.c's: resident_save and resident_store call it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "household_internal.h"
#include "ids.h"
#include "record_internal.h"
#include "resident_internal.h"
#include "search.h"
#include "station_internal.h"
#include "wushe/casework.h"
#include "wushe/catalog.h"
#include "wushe/community.h"
#include "wushe/household.h"
#include "wushe/resident.h"
#include "wushe/text.h"

/* What a form sends back masked (a 录入员's, or one whose identifiers were
 * never shown) is the value saved before: put that back, so a save keeps
 * it; a value typed anew is taken as typed. */
static ws_status resident_unmask_kept(station *st, resident *r)
{
    if (!r->id)
        return WS_OK;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d, "SELECT coalesce(id_number, ''), phone,"
                                    " coalesce(birth_date, '') FROM residents WHERE id = ?1");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, r->id);
    int rc = sqlite3_step(q);
    /* Each identifier, its mask, and where the form has it. */
    struct {
        void (*mask)(const char *, char *, size_t);
        char *typed;
        size_t size;
    } kept[] = {
        {mask_id_number, r->id_number, sizeof r->id_number},
        {mask_phone, r->phone, sizeof r->phone},
        {mask_birth_date, r->birth_date, sizeof r->birth_date},
    };
    for (int i = 0; rc == SQLITE_ROW && i < 3; i++) {
        char stored[64], m[64];
        db_column_copy(q, i, stored, sizeof stored);
        kept[i].mask(stored, m, sizeof m);
        if (stored[0] && strcmp(m, kept[i].typed) == 0)
            snprintf(kept[i].typed, kept[i].size, "%s", stored);
    }
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

static ws_status resident_kind_validate(station *st, void *rec, record_error *re)
{
    resident *r = rec;
    ws_status s = resident_unmask_kept(st, r);
    return s == WS_OK ? resident_validate(st, r, re) : s;
}

ws_status resident_household_of(db *d, int64_t id, int64_t *hid)
{
    *hid = 0;
    sqlite3_stmt *q = db_prepare(d, "SELECT household_id FROM residents WHERE id = ?1");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *hid = sqlite3_column_int64(q, 0);
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

static ws_status resident_kind_before_write(station *st, void *rec, bool insert,
                                            record_error *re)
{
    (void)re;
    resident *r = rec;
    db *d = station_db(st);
    r->was_household = 0;
    ws_status s = insert ? WS_OK : resident_household_of(d, r->id, &r->was_household);
    /* A member lives in its household's 社区/村: one truth for both. */
    int64_t hcommunity = 0;
    if (s == WS_OK && r->household_id)
        s = db_int(d, "SELECT coalesce(community_id, 0) FROM households WHERE id = ?1",
                   r->household_id, &hcommunity);
    if (hcommunity)
        r->community_id = hcommunity;
    return s;
}

/* The derived columns, in record_derived order. */
enum { RD_PINYIN, RD_INITIALS, RD_SEARCH_TEXT, RD_FOLDED, RD_SEQ, RD_COUNT };
static const record_derived resident_derived[RD_COUNT] = {
    [RD_PINYIN] = {"name_pinyin", NULL},
    [RD_INITIALS] = {"name_initials", NULL},
    [RD_SEARCH_TEXT] = {"search_text", NULL},
    [RD_FOLDED] = {"name_folded", NULL},
    /* The search index's number of the row, given once. */
    [RD_SEQ] = {"seq", "SELECT coalesce(max(seq), 0) + 1 FROM residents"},
};

/* The row with its derived columns, then its postings (the old ones go
 * before the row changes, in the same transaction). */
static ws_status resident_kind_write_row(station *st, void *rec, bool insert,
                                         record_row_write *w)
{
    resident *r = rec;
    db *d = station_db(st);
    /* Derived ahead by a bulk load's other thread when it could. */
    search_prep *p = search_prep_take(d, r->name, r->id_number, r->phone, r->address);
    ws_status s = p ? WS_OK : search_prep_new(r->name, r->id_number, r->phone, r->address, &p);
    if (s != WS_OK)
        return s;
    const search_derived *dv = search_prep_derived(p);
    size_t keylen = 0;
    const unsigned char *key = search_prep_key(p, &keylen);
    if (!insert)
        s = search_unindex(d, r->id);
    if (s == WS_OK) {
        record_put_text(w, RD_PINYIN, dv->py.full);
        record_put_text(w, RD_INITIALS, dv->py.initials);
        record_put_text(w, RD_SEARCH_TEXT, dv->text);
        record_put_text(w, RD_FOLDED, dv->name_folded);
        record_put_sort_key(w, key, keylen);
        s = record_row_run(w);
    }
    int64_t seq = 0;
    if (s == WS_OK)
        s = db_int(d, "SELECT seq FROM residents WHERE id = ?1", r->id, &seq);
    if (s == WS_OK) {
        search_doc doc = {.seq = seq, .name = r->name, .id_number = r->id_number,
                          .phone = r->phone, .address = r->address, .sort_key = key,
                          .sort_key_len = keylen, .derived = dv, .prep = p};
        s = search_index(d, &doc);
    }
    search_prep_free(&p);
    return s;
}

static ws_status resident_write_groups(db *d, const resident *r, bool insert)
{
    if (!insert) { /* a new resident has none to replace */
        sqlite3_stmt *q = db_prepare(d, "DELETE FROM resident_groups WHERE resident_id = ?1");
        if (!q)
            return db_status(d);
        sqlite3_bind_int64(q, 1, r->id);
        int rc = sqlite3_step(q);
        db_reset(q);
        if (rc != SQLITE_DONE)
            return db_status_from(rc);
    }
    for (size_t i = 0; i < r->ngroups; i++) {
        const resident_group *g = &r->groups[i];
        if (g->removed)
            continue;
        sqlite3_stmt *q = db_prepare(d,
            "INSERT INTO resident_groups(id, resident_id, group_code, start_date, cert_no,"
            " review_date, disability_type, disability_grade) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)");
        if (!q)
            return db_status(d);
        sqlite3_bind_int64(q, 1, ids_next());
        sqlite3_bind_int64(q, 2, r->id);
        db_bind_text(q, 3, g->code);
        db_bind_text_or_null(q, 4, g->start_date);
        db_bind_text(q, 5, g->cert_no);
        db_bind_text_or_null(q, 6, g->review_date);
        db_bind_text(q, 7, g->disability_type);
        db_bind_text(q, 8, g->disability_grade);
        int rc = sqlite3_step(q);
        db_reset(q);
        if (rc != SQLITE_DONE)
            return db_status_from(rc);
    }
    return WS_OK;
}

static ws_status resident_kind_after_write(station *st, void *rec, bool insert,
                                           record_error *re)
{
    (void)re;
    resident *r = rec;
    db *d = station_db(st);
    ws_status s = resident_write_groups(d, r, insert);
    /* The households' recorded heads follow the relations just written. */
    if (s == WS_OK && r->was_household != r->household_id)
        s = household_head_sync(st, r->was_household);
    if (s == WS_OK)
        s = household_head_sync(st, r->household_id);
    /* The search box finds a household by its head's name: a head renamed
     * renames it there too. */
    if (s == WS_OK && !insert && r->household_id && strcmp(r->relation, "head") == 0)
        s = record_terms_refresh(st, &kind_household, r->household_id);
    /* Their groups say how often they are visited. */
    if (s == WS_OK)
        s = due_refresh(st, r->id);
    return s;
}

/* The group statuses, in the order they were written. */
static ws_status resident_kind_load(station *st, void *rec)
{
    resident *r = rec;
    db *d = station_db(st);
    r->ngroups = 0;
    sqlite3_stmt *q = db_prepare(d,
        "SELECT group_code, start_date, cert_no, review_date, disability_type,"
        " disability_grade FROM resident_groups WHERE resident_id = ?1 ORDER BY rowid");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, r->id);
    return resident_read_groups(q, r);
}

/* A deleted resident leaves the search index: its postings are computed
 * from the row, so they go before it changes. */
static ws_status resident_kind_unindex(station *st, int64_t id)
{
    return search_unindex(station_db(st), id);
}

/* The row's derived columns and postings computed again (a restore, the
 * contract's rebuild): numbered apart (seq <= 0) by a reindex while it
 * was deleted, it gets the next number. */
ws_status resident_reindex(station *st, int64_t id, bool indexed)
{
    db *d = station_db(st);
    resident *r = malloc(sizeof *r);
    if (!r)
        return WS_ERR_NOMEM;
    search_derived dv = {0};
    unsigned char *key = NULL;
    size_t keylen = 0;
    int64_t seq = 0;
    ws_status s = record_load_row(st, &kind_resident, id, r);
    bool derived = false;
    if (s == WS_OK && indexed)
        s = search_unindex(d, id);
    if (s == WS_OK && (s = search_derive(r->name, r->id_number, r->phone, r->address, &dv)) == WS_OK)
        derived = true;
    if (s == WS_OK)
        s = text_name_sort_key(r->name, &key, &keylen);
    if (s == WS_OK)
        s = db_int(d, "SELECT coalesce(seq, 0) FROM residents WHERE id = ?1", id, &seq);
    if (s == WS_OK && seq <= 0)
        s = search_next_seq(d, &seq);
    sqlite3_stmt *q = s == WS_OK ? db_prepare(d,
        "UPDATE residents SET seq = ?2, name_folded = ?3, name_pinyin = ?4, name_initials = ?5,"
        " search_text = ?6, sort_key = ?7 WHERE id = ?1") : NULL;
    if (s == WS_OK && !q)
        s = db_status(d);
    if (s == WS_OK) {
        sqlite3_bind_int64(q, 1, id);
        sqlite3_bind_int64(q, 2, seq);
        db_bind_text(q, 3, dv.name_folded);
        db_bind_text(q, 4, dv.py.full ? dv.py.full : "");
        db_bind_text(q, 5, dv.py.initials ? dv.py.initials : "");
        db_bind_text(q, 6, dv.text);
        sqlite3_bind_blob(q, 7, key, (int)keylen, SQLITE_TRANSIENT);
        int rc = sqlite3_step(q);
        db_reset(q);
        s = rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
    }
    if (s == WS_OK) {
        search_doc doc = {.seq = seq, .name = r->name, .id_number = r->id_number,
                          .phone = r->phone, .address = r->address, .sort_key = key,
                          .sort_key_len = keylen, .derived = &dv};
        s = search_index(d, &doc);
    }
    if (derived)
        search_derived_clear(&dv);
    free(key);
    free(r);
    return s;
}

/* The contract's rebuild: a living resident indexed again. */
static ws_status resident_kind_reindex(station *st, int64_t id)
{
    return resident_reindex(st, id, true);
}

/* After a delete or a restore: its household's 户主 follows, and a deleted
 * person is due no more (a restored one again); a restored one is in the
 * search again. */
static ws_status resident_kind_after_state(station *st, int64_t id, bool deleted)
{
    int64_t hid = 0;
    ws_status s = deleted ? WS_OK : resident_reindex(st, id, false);
    if (s == WS_OK)
        s = resident_household_of(station_db(st), id, &hid);
    if (s == WS_OK)
        s = household_head_sync(st, hid);
    return s == WS_OK ? due_refresh(st, id) : s;
}

/* A resident named in a ledger: by ID number; or by name, with the
 * community after it when several share the name ("张伟（柳河社区）",
 * "张伟/柳河社区"). */
static ws_status resident_kind_find(station *st, const char *text, int64_t *id, char *why,
                                    size_t whysz)
{
    *id = 0;
    why[0] = '\0';
    db *d = station_db(st);
    char today[11];
    date_today(today);
    val_id vid;
    if (val_id_number(text, today, &vid) == VAL_OK) {
        sqlite3_stmt *q = db_prepare(d, "SELECT id FROM residents WHERE id_number = ?1 AND"
                                        " deleted_at IS NULL");
        if (!q)
            return db_status(d);
        db_bind_text(q, 1, vid.number);
        if (sqlite3_step(q) == SQLITE_ROW)
            *id = sqlite3_column_int64(q, 0);
        db_reset(q);
        if (!*id)
            trf(why, whysz, "import.resident_no_id", text);
        return WS_OK;
    }
    char name[256], place[256] = "";
    snprintf(name, sizeof name, "%s", text);
    static const char *const seps[] = {"\xef\xbc\x88", "(", "/", "\xef\xbc\x8f"}; /* （ ( / ／ */
    for (size_t i = 0; i < sizeof seps / sizeof *seps; i++) {
        char *at = strstr(name, seps[i]);
        if (!at)
            continue;
        snprintf(place, sizeof place, "%s", at + strlen(seps[i]));
        *at = '\0';
        size_t n = strlen(place);
        if (n >= 3 && strcmp(place + n - 3, "\xef\xbc\x89") == 0) /* ） */
            place[n - 3] = '\0';
        else if (n && place[n - 1] == ')')
            place[n - 1] = '\0';
        break;
    }
    /* "张伟（510***********1234）": a masked export's namesake, by what the
     * mask leaves of the ID number. */
    char glob[64] = "";
    const char *star = strchr(place, '*');
    if (star && strspn(place, "0123456789Xx*") == strlen(place) && strlen(place) < 40) {
        const char *last = strrchr(place, '*');
        snprintf(glob, sizeof glob, "%.*s*%s", (int)(star - place), place, last + 1);
    }
    sqlite3_stmt *q = db_prepare(d, "SELECT r.id FROM residents r LEFT JOIN communities c ON"
                                    " c.id = r.community_id WHERE r.name = ?1 AND"
                                    " r.deleted_at IS NULL AND (?2 = '' OR c.name = ?2)"
                                    " AND (?3 = '' OR upper(r.id_number) GLOB upper(?3))"
                                    " ORDER BY r.id LIMIT 2");
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, name);
    sqlite3_bind_text(q, 2, glob[0] ? "" : place, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 3, glob, -1, SQLITE_TRANSIENT);
    int n = 0, rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        if (n++ == 0)
            *id = sqlite3_column_int64(q, 0);
    db_reset(q);
    if (rc != SQLITE_DONE)
        return db_status_from(rc);
    if (n > 1) {
        *id = 0;
        /* Namesakes in one community (a father and son): 姓名（社区）
         * cannot tell them apart, only the ID number can. */
        if (!place[0] && !glob[0]) {
            sqlite3_stmt *c = db_prepare(d, "SELECT count(DISTINCT coalesce(r.community_id, 0)),"
                                            " coalesce(max(c.name), '') FROM residents r LEFT"
                                            " JOIN communities c ON c.id = r.community_id"
                                            " WHERE r.name = ?1 AND r.deleted_at IS NULL");
            if (!c)
                return db_status(d);
            db_bind_text(c, 1, name);
            if (sqlite3_step(c) == SQLITE_ROW && sqlite3_column_int64(c, 0) == 1)
                db_column_copy(c, 1, place, sizeof place);
            db_reset(c);
        }
        trf(why, whysz, place[0] ? "import.resident_several_in" : "import.resident_several",
            name, place);
    } else if (n == 0) {
        trf(why, whysz, place[0] ? "import.resident_not_in" : "import.resident_none", name,
            place);
    }
    return WS_OK;
}

/* What resident_kind_find reads back as this resident: the name, or
 * "张伟（柳河社区）" when others share the name (in another community), or
 * when a namesake lives in the same one the ID number (masked:
 * "张伟（510***********1234）"). */
static ws_status resident_kind_ledger_name(station *st, int64_t id, bool masked, char *out,
                                           size_t outsz)
{
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT r.name, coalesce(c.name, ''), (SELECT count(*) FROM residents x WHERE"
        " x.name = r.name AND x.deleted_at IS NULL), (SELECT count(*) FROM residents x"
        " WHERE x.name = r.name AND x.deleted_at IS NULL AND x.community_id IS r.community_id),"
        " coalesce(r.id_number, '') FROM residents r LEFT JOIN communities c ON c.id = r.community_id WHERE r.id = ?1");
    if (!q)
        return db_status(d);
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    out[0] = '\0';
    if (rc == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(q, 0);
        const char *place = (const char *)sqlite3_column_text(q, 1);
        bool several = sqlite3_column_int64(q, 2) > 1, alone = sqlite3_column_int64(q, 3) == 1;
        const char *idn = (const char *)sqlite3_column_text(q, 4);
        if (several && alone && place && place[0])
            snprintf(out, outsz, "%s\xef\xbc\x88%s\xef\xbc\x89", name ? name : "", place);
        else if (several && !masked && idn && idn[0])
            snprintf(out, outsz, "%s", idn);
        else if (several && idn && idn[0]) {
            char m[32];
            mask_id_number(idn, m, sizeof m);
            snprintf(out, outsz, "%s\xef\xbc\x88%s\xef\xbc\x89", name ? name : "", m);
        }
        else
            snprintf(out, outsz, "%s", name ? name : "");
    }
    db_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? WS_OK : db_status_from(rc);
}

/* One entry per column of residents, indexed by resident_field. A
 * ledger header is the column's name (name, sex, phone ...) or one of its
 * aliases. The ledger headers are those
 * clerks' Excel sheets use, after import_header_norm (folded, no spaces or
 * punctuation). */
static const field_def resident_kind_fields[] = {
    [RF_NAME] = {.column = "name", .label = "field.name", .type = FLD_NAME,
        .flags = FF_REQUIRED | FF_SEARCH | FF_LIST | FF_LEDGER, REC_AT(resident, name),
        .limit = RESIDENT_NAME_CHARS, .width = 8,
        .aliases = "姓名|名字|居民姓名|成员姓名|人员姓名|对象姓名|家庭成员姓名|fullname"},
    [RF_ID_NUMBER] = {.column = "id_number", .label = "field.id_number",
        .type = FLD_ID_NUMBER, .flags = FF_UNIQUE | FF_MASKED | FF_SEARCH | FF_LIST | FF_LEDGER,
        REC_AT(resident, id_number),
        .aliases = "身份证号|身份证号码|公民身份号码|公民身份证号码|身份证|身份证件号码|证件号码|"
                   "证件号|身份号码|idnumber|idno|idcard|idcardnumber|citizenid"},
    /* GB/T 2261.1 as a number (0 unknown, 1, 2): the code list labels it. */
    [RF_SEX] = {.column = "sex", .label = "field.sex", .type = FLD_INT,
        .flags = FF_LIST | FF_LEDGER, REC_AT(resident, sex), .codes = "sex", .min = 0,
        .max = 2, .aliases = "性别|gender"},
    [RF_BIRTH_DATE] = {.column = "birth_date", .label = "field.birth_date",
        .type = FLD_DATE, .flags = FF_MASKED | FF_LIST | FF_LEDGER, REC_AT(resident, birth_date),
        .aliases = "出生日期|出生年月|出生年月日|生日|出生时间|dateofbirth|birthdate|birthday|"
                   "born"},
    [RF_PHONE] = {.column = "phone", .label = "field.phone", .type = FLD_PHONE,
        .flags = FF_MASKED | FF_SEARCH | FF_LIST | FF_LEDGER, REC_AT(resident, phone),
        .aliases = "联系电话|电话|电话号码|手机|手机号|手机号码|联系方式|联系手机|本人电话|"
                   "mobile|telephone|tel|phonenumber"},
    [RF_ETHNICITY] = {.column = "ethnicity", .label = "field.ethnicity",
        .type = FLD_CODE, .flags = FF_LEDGER, REC_AT(resident, ethnicity), .codes = "ethnicity",
        .aliases = "民族|族别|ethnicgroup|nationality"},
    [RF_COMMUNITY] = {.column = "community_id", .label = "field.community",
        .type = FLD_REF, .flags = FF_LIST | FF_LEDGER, REC_AT(resident, community_id),
        .ref = &kind_community,
        .aliases = "所属社区村|所属社区|所属村|所属村社区|社区村|村社区|社区|村|所在社区|所在村|"
                   "所在社区村|社区名称|村名|居委会|村委会|community|communityvillage|village"},
    [RF_HOUSEHOLD] = {.column = "household_id", .label = "field.household",
        .type = FLD_REF, .flags = FF_LEDGER, REC_AT(resident, household_id),
        .ref = &kind_household,
        .aliases = "户号|户编号|家庭户号|户口编号|householdno|householdnumber|household"},
    [RF_RELATION] = {.column = "relation", .label = "field.relation",
        .type = FLD_CODE, .flags = FF_LEDGER, REC_AT(resident, relation), .codes = "relation",
        .aliases = "与户主关系|与户主的关系|户主关系|家庭关系|关系|户主|relationtohead|"
                   "relationship"},
    [RF_ADDRESS] = {.column = "address", .label = "field.address",
        .type = FLD_TEXT, .flags = FF_SEARCH | FF_LEDGER, REC_AT(resident, address),
        .limit = RESIDENT_ADDRESS_CHARS,
        .aliases = "住址|家庭住址|现住址|居住地址|地址|户籍地址|家庭地址|居住地|homeaddress"},
    [RF_NOTES] = {.column = "notes", .label = "field.notes",
        .type = FLD_MULTILINE, .flags = FF_LEDGER, REC_AT(resident, notes),
        .limit = RESIDENT_NOTES_CHARS,
        .aliases = "备注|说明|备注说明|note|remarks|remark|comment"},
};
_Static_assert(sizeof resident_kind_fields / sizeof *resident_kind_fields ==
                   RF_NOTES + 1, "a field per column");

/* The statuses in the audit JSON, so a change of status shows in the same
 * audit row (history reads the key "groups"). */
#define RESIDENT_AUDIT_GROUPS                                                       \
    ", 'groups', (SELECT json_group_array(json_object('code', g.group_code,"      \
    " 'start_date', g.start_date, 'cert_no', g.cert_no,"                           \
    " 'review_date', g.review_date, 'disability_type', g.disability_type,"         \
    " 'disability_grade', g.disability_grade))"                                    \
    " FROM resident_groups g WHERE g.resident_id = residents.id)"

/* RESIDENT_AUDIT_GROUPS from the record in hand: the statuses written, in
 * the order of the index it reads them by (resident_id, group_code). */
static void resident_kind_audit_json(const void *rec, record_json *j)
{
    const resident *r = rec;
    const resident_group *order[RESIDENT_MAX_GROUPS];
    size_t n = 0;
    for (size_t i = 0; i < r->ngroups && n < RESIDENT_MAX_GROUPS; i++) {
        if (r->groups[i].removed)
            continue;
        size_t at = n++;
        while (at > 0 && strcmp(order[at - 1]->code, r->groups[i].code) > 0) {
            order[at] = order[at - 1];
            at--;
        }
        order[at] = &r->groups[i];
    }
    record_json_list(j, "groups");
    for (size_t i = 0; i < n; i++) {
        const resident_group *g = order[i];
        record_json_object(j);
        record_json_str(j, "code", g->code);
        record_json_str_or_null(j, "start_date", g->start_date);
        record_json_str(j, "cert_no", g->cert_no);
        record_json_str_or_null(j, "review_date", g->review_date);
        record_json_str(j, "disability_type", g->disability_type);
        record_json_str(j, "disability_grade", g->disability_grade);
        record_json_end(j, '}');
    }
    record_json_end(j, ']');
}

static struct kind_sql resident_kind_sql;
const record_kind kind_resident = {
    .name = "resident",
    .table = "residents",
    .label = "kind.resident",
    .size = sizeof(resident),
    .id_offset = offsetof(resident, id),
    .revision_offset = offsetof(resident, revision),
    .fields = resident_kind_fields,
    .nfields = sizeof resident_kind_fields / sizeof *resident_kind_fields,
    .title_field = RF_NAME,
    .sort_by_pinyin = true,
    .read_perm = PERM_REGISTER_READ,
    .write_perm = PERM_REGISTER_WRITE,
    .own_checks = true,
    .own_search = true,
    .derived = resident_derived,
    .nderived = RD_COUNT,
    .audit_extra = RESIDENT_AUDIT_GROUPS,
    .hooks = {.validate = resident_kind_validate,
              .before_write = resident_kind_before_write,
              .write_row = resident_kind_write_row,
              .audit_json = resident_kind_audit_json,
              .after_write = resident_kind_after_write,
              .load = resident_kind_load,
              .after_state = resident_kind_after_state,
              .reindex = resident_kind_reindex,
              .unindex = resident_kind_unindex,
              .find = resident_kind_find,
              .ledger_name = resident_kind_ledger_name},
    .sql = &resident_kind_sql,
};
