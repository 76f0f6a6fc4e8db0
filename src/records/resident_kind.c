/* Residents as a declared kind, first step: kind_resident declares the
 * residents table with its name, so that another kind can reference a
 * resident (FLD_REF: a consent's resident_id) and the shared machinery
 * can check the reference, show its title, load it and list residents.
 *
 * What it covers: the reference check, record_title, record_load and
 * record_list of the name (in the register's pinyin order, unfiltered:
 * residents keep their own search index, search_names and search_fts, so
 * the kind is not in record_kinds[] and writes no record_terms), and
 * record_save of a new resident or a new name, whose hooks keep that
 * index: the postings go before the row changes and come back computed
 * from the row after (with the surname's reading in the sort key).
 *
 * What it does not cover yet, and stays resident.c's (resident_save,
 * resident_delete, resident_restore): every other field and its rules
 * (the ID number's agreement with sex and birth date, one 户主 per
 * household, the household's community), the group statuses as child
 * rows, and the audit JSON with them. A delete through this kind is
 * refused for that reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_internal.h"
#include "resident_internal.h"
#include "search.h"
#include "station_internal.h"
#include "wushe/catalog.h"
#include "wushe/resident.h"
#include "wushe/text.h"

typedef struct resident_named {
    int64_t id, revision;
    char name[192];
} resident_named;

static ws_status resident_kind_rules(station *st, void *rec, record_error *re)
{
    resident_named *r = rec;
    char name[sizeof r->name];
    val_status vs = val_person_name(r->name, resident_name_flags(st), RESIDENT_NAME_CHARS, name,
                                    sizeof name);
    if (vs != VAL_OK) {
        re->field = 0;
        re->code = vs;
        return WS_ERR_INVALID;
    }
    memcpy(r->name, name, sizeof name);
    return WS_OK;
}

/* The postings of a stored resident are computed from its row: they go
 * before the row changes. */
static ws_status resident_kind_unindex(station *st, void *rec, bool insert, record_error *re)
{
    (void)re;
    return insert ? WS_OK : search_unindex(station_db(st), record_id(&kind_resident, rec));
}

/* The row as written, indexed again: its derived columns (folded name,
 * pinyin, search text, the name's sort key) and its postings. */
static ws_status resident_kind_index(station *st, void *rec, bool insert, record_error *re)
{
    (void)insert;
    (void)re;
    db *d = station_db(st);
    int64_t id = record_id(&kind_resident, rec);
    char idn[40] = "", phone[40] = "", address[512] = "";
    int64_t seq = 0;
    ws_status s = db_text_i64(d, "SELECT coalesce(id_number, '') FROM residents WHERE id = ?1", id,
                              idn, sizeof idn);
    if (s == WS_OK)
        s = db_text_i64(d, "SELECT phone FROM residents WHERE id = ?1", id, phone, sizeof phone);
    if (s == WS_OK)
        s = db_text_i64(d, "SELECT address FROM residents WHERE id = ?1", id, address,
                        sizeof address);
    if (s == WS_OK)
        s = db_int(d, "SELECT coalesce(seq, 0) FROM residents WHERE id = ?1", id, &seq);
    if (s == WS_OK && seq <= 0)
        s = search_next_seq(d, &seq);
    if (s != WS_OK)
        return s;
    const char *name = ((resident_named *)rec)->name;
    search_derived dv;
    unsigned char *key = NULL;
    size_t keylen = 0;
    s = search_derive(name, idn, phone, address, &dv);
    if (s != WS_OK)
        return s;
    s = text_name_sort_key(name, &key, &keylen);
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
        search_doc doc = {.seq = seq, .name = name, .id_number = idn, .phone = phone,
                          .address = address, .sort_key = key, .sort_key_len = keylen,
                          .derived = &dv};
        s = search_index(d, &doc);
    }
    search_derived_clear(&dv);
    free(key);
    return s;
}

/* resident_delete keeps the search index and the households' 户主. */
static ws_status resident_kind_no_delete(station *st, int64_t id, record_error *re)
{
    (void)st;
    (void)id;
    (void)re;
    return WS_ERR_DENIED;
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
    sqlite3_stmt *q = db_prepare(d, "SELECT r.id FROM residents r LEFT JOIN communities c ON"
                                    " c.id = r.community_id WHERE r.name = ?1 AND"
                                    " r.deleted_at IS NULL AND (?2 = '' OR c.name = ?2)"
                                    " ORDER BY r.id LIMIT 2");
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, name);
    sqlite3_bind_text(q, 2, place, -1, SQLITE_TRANSIENT);
    int n = 0, rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        if (n++ == 0)
            *id = sqlite3_column_int64(q, 0);
    db_reset(q);
    if (rc != SQLITE_DONE)
        return db_status_from(rc);
    if (n > 1) {
        *id = 0;
        trf(why, whysz, "import.resident_several", name);
    } else if (n == 0) {
        trf(why, whysz, place[0] ? "import.resident_not_in" : "import.resident_none", name,
            place);
    }
    return WS_OK;
}

static const field_def resident_kind_fields[] = {
    {.column = "name", .label = "field.name", .type = FLD_NAME,
     .flags = FF_REQUIRED | FF_LIST, REC_AT(resident_named, name), .limit = RESIDENT_NAME_CHARS,
     .width = 8},
};

static struct kind_sql resident_kind_sql;
const record_kind kind_resident = {
    .name = "resident",
    .table = "residents",
    .label = "kind.resident",
    .size = sizeof(resident_named),
    .id_offset = offsetof(resident_named, id),
    .revision_offset = offsetof(resident_named, revision),
    .fields = resident_kind_fields,
    .nfields = 1,
    .title_field = 0,
    .sort_by_pinyin = true,
    .read_perm = PERM_REGISTER_READ,
    .write_perm = PERM_REGISTER_WRITE,
    .hooks = {.validate = resident_kind_rules,
              .before_write = resident_kind_unindex,
              .after_write = resident_kind_index,
              .before_delete = resident_kind_no_delete,
              .find = resident_kind_find},
    .sql = &resident_kind_sql,
};
