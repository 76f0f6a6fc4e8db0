#include "wushe/community.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "record_internal.h"
#include "station_internal.h"
#include "wushe/catalog.h"
#include "wushe/text.h"

ws_status community_list(station *st, community **items, size_t *n)
{
    *items = NULL;
    *n = 0;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT id, name, kind, coalesce(code, ''), revision FROM communities"
        " WHERE deleted_at IS NULL ORDER BY sort_key, id");
    if (!q)
        return db_status(d);
    size_t cap = 0;
    int rc;
    ws_status s = WS_OK;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            community *grown = realloc(*items, ncap * sizeof **items);
            if (!grown) {
                s = WS_ERR_NOMEM;
                break;
            }
            *items = grown;
            cap = ncap;
        }
        community *c = &(*items)[(*n)++];
        c->id = sqlite3_column_int64(q, 0);
        db_column_copy(q, 1, c->name, sizeof c->name);
        db_column_copy(q, 2, c->kind, sizeof c->kind);
        db_column_copy(q, 3, c->code, sizeof c->code);
        c->revision = sqlite3_column_int64(q, 4);
    }
    if (s == WS_OK && rc != SQLITE_DONE)
        s = db_status_from(rc);
    db_reset(q);
    if (s != WS_OK) {
        free(*items);
        *items = NULL;
        *n = 0;
    }
    return s;
}

/* Whether s (n bytes) ends with suffix. */
static bool community_ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* The committee's name without its folding (simplified characters). */
static bool community_place_of(const char *name, char *out, size_t outsz)
{
    /* The place without the committee, with the word the committee stands
     * for when the place has not got it (青石村民委员会 is 青石村). */
    static const struct {
        const char *committee, *place;
    } committees[] = {
        {"村民委员会", "村"}, {"村委会", "村"}, {"居民委员会", "社区"}, {"居委会", "社区"},
    };
    size_t n = strlen(name);
    while (n && (name[n - 1] == ' ' || name[n - 1] == '\t'))
        n--;
    for (size_t i = 0; i < sizeof committees / sizeof *committees; i++) {
        size_t k = strlen(committees[i].committee);
        if (n <= k || !community_ends_with(name, n, committees[i].committee))
            continue;
        size_t p = n - k;
        bool has = community_ends_with(name, p, committees[i].place);
        snprintf(out, outsz, "%.*s%s", (int)p, name, has ? "" : committees[i].place);
        return true;
    }
    return false;
}

bool community_place_name(const char *name, char *out, size_t outsz)
{
    if (community_place_of(name, out, outsz))
        return true;
    char *f = text_fold(name); /* 青石村村委會 */
    bool is = f && community_place_of(f, out, outsz);
    free(f);
    return is;
}

/* A name as the search box compares it: folded (學堂灣社區 is 学堂湾社区,
 * full-width letters), spaces out, a committee's as its place's (青石村村委会
 * is 青石村). NULL on out of memory. */
static char *community_name_key(const char *name)
{
    char *f = text_fold(name);
    size_t j = 0;
    for (size_t i = 0; f && f[i]; i++)
        if (f[i] != ' ' && f[i] != '\t')
            f[j++] = f[i];
    if (f)
        f[j] = '\0';
    char place[512];
    if (f && community_place_of(f, place, sizeof place) && strlen(place) <= j)
        memcpy(f, place, strlen(place) + 1);
    return f;
}

static void community_read(sqlite3_stmt *q, community *out)
{
    out->id = sqlite3_column_int64(q, 0);
    db_column_copy(q, 1, out->name, sizeof out->name);
    db_column_copy(q, 2, out->kind, sizeof out->kind);
    db_column_copy(q, 3, out->code, sizeof out->code);
    out->revision = sqlite3_column_int64(q, 4);
}

/* The living community (other than except) whose name folds as `name`
 * does; WS_ERR_NOT_FOUND when none. A station has tens of them. */
static ws_status community_find_folded(station *st, const char *name, int64_t except,
                                       community *out)
{
    char *key = community_name_key(name);
    if (!key)
        return WS_ERR_NOMEM;
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT id, name, kind, coalesce(code, ''), revision FROM communities"
        " WHERE deleted_at IS NULL AND id <> ?1 ORDER BY id");
    ws_status s = q ? WS_ERR_NOT_FOUND : db_status(d);
    if (q)
        sqlite3_bind_int64(q, 1, except);
    int rc = SQLITE_DONE;
    while (s == WS_ERR_NOT_FOUND && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        char *other = community_name_key((const char *)sqlite3_column_text(q, 1));
        if (!other)
            s = WS_ERR_NOMEM;
        else if (!strcmp(other, key)) {
            community_read(q, out);
            s = WS_OK;
        }
        free(other);
    }
    if (q) {
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            s = db_status_from(rc);
        db_reset(q);
    }
    free(key);
    return s;
}

/* By name as written, else as the search folds it (a ledger's 學堂灣社區
 * or "桃源村 " is the registered 学堂湾社区, 桃源村, 青石村村委会 is 青石村). */
ws_status community_find_by_name(station *st, const char *name, community *out)
{
    db *d = station_db(st);
    sqlite3_stmt *q = db_prepare(d,
        "SELECT id, name, kind, coalesce(code, ''), revision FROM communities"
        " WHERE name = ?1 AND deleted_at IS NULL");
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, name);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        community_read(q, out);
    db_reset(q);
    if (rc == SQLITE_ROW)
        return WS_OK;
    return rc == SQLITE_DONE ? community_find_folded(st, name, 0, out) : db_status_from(rc);
}

ws_status community_save(station *st, community *c, record_error *re)
{
    return record_save(st, &kind_community, c, re);
}

/* ---- 社区/村 ---- */

static ws_status community_rules(station *st, void *rec, record_error *re)
{
    community *c = rec;
    /* 柳河社區 beside 柳河社区 is one community twice (the table's check
     * compares names as written). */
    community other;
    ws_status s = community_find_folded(st, c->name, c->id, &other);
    if (s == WS_OK)
        return record_fail(re, 0, VAL_DUPLICATE, other.name);
    if (s != WS_ERR_NOT_FOUND)
        return s;
    /* Not chosen: a name ending in 村 is a village (the import guesses
     * the same), anything else a community. */
    size_t n = strlen(c->name);
    if (!c->kind[0])
        snprintf(c->kind, sizeof c->kind, "%s",
                 n >= 3 && strcmp(c->name + n - 3, "村") == 0 ? "village" : "community");
    return WS_OK;
}

/* A communities ledger's row is the community its 名称 names as every
 * other ledger finds it: folded, or by its committee (青石村村委会). */
static ws_status community_import_existing(station *st, const void *rec, int64_t *id)
{
    const community *c = rec;
    *id = 0;
    if (!c->name[0])
        return WS_OK;
    community found;
    ws_status s = community_find_by_name(st, c->name, &found);
    if (s == WS_OK)
        *id = found.id;
    return s == WS_ERR_NOT_FOUND ? WS_OK : s;
}

/* A community that households or residents still name stays. */
static ws_status community_in_use(station *st, int64_t id, record_error *re)
{
    db *d = station_db(st);
    int64_t households = 0, residents = 0;
    ws_status s = db_int(d, "SELECT count(*) FROM households WHERE community_id = ?1"
                            " AND deleted_at IS NULL", id, &households);
    if (s == WS_OK)
        s = db_int(d, "SELECT count(*) FROM residents WHERE community_id = ?1"
                      " AND deleted_at IS NULL", id, &residents);
    if (s != WS_OK || (households == 0 && residents == 0))
        return s;
    re->field = -1;
    re->code = VAL_IN_USE;
    trf(re->detail, sizeof re->detail, "kind.in_use_people", (long long)households,
        (long long)residents);
    return WS_ERR_INVALID;
}

static const field_def community_fields[] = {
    {.column = "name", .label = "field.community_name", .type = FLD_NAME,
     .flags = FF_REQUIRED | FF_UNIQUE | FF_SEARCH | FF_LIST | FF_LEDGER, REC_AT(community, name),
     .limit = 60, .aliases = "名称|社区|村|社区/村|社区名称|村名", .width = 16},
    {.column = "kind", .label = "field.community_kind", .type = FLD_CODE,
     .flags = FF_LIST | FF_LEDGER, REC_AT(community, kind), .codes = "community_kind",
     .aliases = "类型|社区或村", .width = 6},
    {.column = "code", .label = "field.division_code", .type = FLD_DIGITS,
     .flags = FF_SEARCH | FF_LIST | FF_LEDGER, REC_AT(community, code), .limit = 12,
     .aliases = "区划代码|行政区划代码|统计用区划代码", .width = 14},
};

static struct kind_sql community_sql;
const record_kind kind_community = {
    .name = "community",
    .table = "communities",
    .label = "kind.community",
    .size = sizeof(community),
    .id_offset = offsetof(community, id),
    .revision_offset = offsetof(community, revision),
    .fields = community_fields,
    .nfields = sizeof community_fields / sizeof community_fields[0],
    .title_field = 0,
    .sort_by_pinyin = true,
    .read_perm = PERM_REGISTER_READ,
    .write_perm = PERM_REGISTER_WRITE,
    .hooks = {.validate = community_rules, .before_delete = community_in_use,
              .import_existing = community_import_existing},
    .sql = &community_sql,
};
