/* Households (and the communities they belong to): save, load, update,
 * duplicates, heads, delete, lists and the next number. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "household_internal.h"
#include "station_internal.h"
#include "wushe/account.h"
#include "wushe/catalog.h"
#include "wushe/community.h"
#include "wushe/household.h"
#include "wushe/record.h"
#include "wushe/import.h"
#include "wushe/resident.h"
#include "wushe/text.h"

typedef testutil_station fixture;

/* The community every test starts with (tests run one at a time). */
static int64_t g_community;

static int64_t add_community(fixture *f, const char *name, const char *kind);

static int setup(void **state)
{
    fixture *f = testutil_station_open(true);
    if (!f)
        return -1;
    *state = f;
    g_community = add_community(f, "学堂湾社区", "community");
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    testutil_station_close(&f);
    return 0;
}

/* ---- helpers ---- */

typedef struct counts {
    int64_t households, residents, communities, audit;
} counts;

static counts count_rows(fixture *f)
{
    counts c;
    c.households = raw_int(f, "SELECT count(*) FROM households", 0);
    c.residents = raw_int(f, "SELECT count(*) FROM residents", 0);
    c.communities = raw_int(f, "SELECT count(*) FROM communities", 0);
    c.audit = raw_int(f, "SELECT count(*) FROM audit_log", 0);
    return c;
}

static void assert_counts_equal(counts a, counts b)
{
    assert_int_equal(a.households, b.households);
    assert_int_equal(a.residents, b.residents);
    assert_int_equal(a.communities, b.communities);
    assert_int_equal(a.audit, b.audit);
}

static int64_t add_community(fixture *f, const char *name, const char *kind)
{
    community c;
    memset(&c, 0, sizeof c);
    snprintf(c.name, sizeof c.name, "%s", name);
    snprintf(c.kind, sizeof c.kind, "%s", kind);
    record_error why;
    ws_status s = community_save(f->st, &c, &why);
    if (s != WS_OK)
        fail_msg("community_save(%s): %s %s", name, ws_status_name(s), val_status_key(why.code));
    assert_true(c.id > 0);
    return c.id;
}

static int64_t add_household(fixture *f, const char *number, const char *address)
{
    household h;
    household_init(&h);
    snprintf(h.number, sizeof h.number, "%s", number);
    snprintf(h.address, sizeof h.address, "%s", address ? address : "");
    h.community_id = g_community;
    household_error he;
    ws_status s = household_save(f->st, &h, &he);
    if (s != WS_OK)
        fail_msg("household_save(%s): %s field %d %s", number, ws_status_name(s), (int)he.field,
                 val_status_key(he.code));
    assert_true(h.id > 0);
    return h.id;
}

static int64_t add_member(fixture *f, int64_t household_id, const char *name,
                          const char *id_number, const char *relation)
{
    resident r;
    resident_init(&r);
    snprintf(r.name, sizeof r.name, "%s", name);
    snprintf(r.id_number, sizeof r.id_number, "%s", id_number ? id_number : "");
    snprintf(r.relation, sizeof r.relation, "%s", relation);
    r.household_id = household_id;
    r.community_id = g_community;
    field_error fe;
    ws_status s = resident_save(f->st, &r, &fe);
    if (s != WS_OK)
        fail_msg("resident_save(%s): %s field %d %s", name, ws_status_name(s), (int)fe.field,
                 val_status_key(fe.code));
    return r.id;
}

/* ---- save / load / update ---- */

static void test_save_load_update(void **state)
{
    fixture *f = *state;
    household h;
    household_init(&h);
    snprintf(h.number, sizeof h.number, "H0001");
    h.community_id = g_community;
    snprintf(h.address, sizeof h.address, "学堂湾路1号");
    snprintf(h.phone, sizeof h.phone, "138 0013 8000");
    snprintf(h.notes, sizeof h.notes, "低保户");
    household_error he;
    counts before = count_rows(f);
    assert_int_equal(household_save(f->st, &h, &he), WS_OK);
    assert_int_equal(he.field, HF_NONE);
    assert_true(h.id > 0);
    assert_string_equal(h.phone, "13800138000");
    counts after = count_rows(f);
    assert_int_equal(after.households, before.households + 1);
    assert_int_equal(after.audit, before.audit + 1);

    household l;
    assert_int_equal(household_load(f->st, h.id, &l), WS_OK);
    assert_int_equal(l.id, h.id);
    assert_string_equal(l.number, "H0001");
    assert_int_equal(l.community_id, g_community);
    assert_int_equal(l.head_id, 0);
    assert_string_equal(l.address, "学堂湾路1号");
    assert_string_equal(l.phone, "13800138000");
    assert_string_equal(l.notes, "低保户");
    assert_int_equal(raw_int(f, "SELECT head_id IS NULL AND deleted_at IS NULL FROM households"
                                " WHERE id = ?1", h.id), 1);
    assert_raw_text(f, "SELECT action || ' ' || actor || ' ' || json_extract(after, '$.number')"
                       " FROM audit_log WHERE table_name = 'households' AND row_id = ?1", h.id,
                    "insert tester H0001");
    assert_raw_text(f, "SELECT before FROM audit_log WHERE table_name = 'households'"
                       " AND row_id = ?1", h.id, "(null)");

    household_row row;
    assert_int_equal(household_row_get(f->st, h.id, &row), WS_OK);
    assert_int_equal(row.id, h.id);
    assert_string_equal(row.number, "H0001");
    assert_string_equal(row.community, "学堂湾社区");
    assert_string_equal(row.head, "");
    assert_int_equal(row.head_id, 0);
    assert_int_equal(row.members, 0);
    assert_string_equal(row.address, "学堂湾路1号");

    /* update: same row, audited with before and after */
    l.phone[0] = '\0';
    snprintf(l.address, sizeof l.address, "学堂湾路2号");
    before = count_rows(f);
    assert_int_equal(household_save(f->st, &l, &he), WS_OK);
    after = count_rows(f);
    assert_int_equal(after.households, before.households);
    assert_int_equal(after.audit, before.audit + 1);
    household l2;
    assert_int_equal(household_load(f->st, h.id, &l2), WS_OK);
    assert_string_equal(l2.address, "学堂湾路2号");
    assert_string_equal(l2.phone, "");
    assert_raw_text(f, "SELECT json_extract(before, '$.address') || '>' ||"
                       " json_extract(after, '$.address') || '|' || json_extract(before, '$.phone')"
                       " || '>' || json_extract(after, '$.phone') FROM audit_log"
                       " WHERE row_id = ?1 AND action = 'update'", h.id,
                    "学堂湾路1号>学堂湾路2号|13800138000>");

    /* another community */
    int64_t village = add_community(f, "青石村", "village");
    l2.community_id = village;
    assert_int_equal(household_save(f->st, &l2, &he), WS_OK);
    assert_int_equal(household_row_get(f->st, h.id, &row), WS_OK);
    assert_string_equal(row.community, "青石村");
    /* no community at all */
    l2.community_id = 0;
    assert_int_equal(household_save(f->st, &l2, &he), WS_OK);
    assert_int_equal(raw_int(f, "SELECT community_id IS NULL FROM households WHERE id = ?1", h.id), 1);

    assert_int_equal(household_load(f->st, 424242, &l), WS_ERR_NOT_FOUND);
    assert_int_equal(household_row_get(f->st, 424242, &row), WS_ERR_NOT_FOUND);
    /* updating an id that does not exist writes nothing */
    before = count_rows(f);
    household ghost;
    household_init(&ghost);
    ghost.id = 424242;
    snprintf(ghost.number, sizeof ghost.number, "H9999");
    assert_int_equal(household_save(f->st, &ghost, &he), WS_ERR_NOT_FOUND);
    assert_counts_equal(count_rows(f), before);
}

static void test_validation(void **state)
{
    fixture *f = *state;
    int64_t other = add_household(f, "H0001", NULL);
    int64_t stranger = add_member(f, other, "外人", NULL, "spouse");
    char longnum[64];
    memset(longnum, '9', 41);
    longnum[0] = 'H';
    longnum[41] = '\0';
    struct {
        const char *what, *number, *phone, *address;
        int64_t community, head;
        household_field field;
        val_status code;
    } bad[] = {
        {"empty", "", "", "", 0, 0, HF_NUMBER, VAL_REQUIRED},
        {"blank", "   ", "", "", 0, 0, HF_NUMBER, VAL_REQUIRED},
        {"control", "H\x1b[2J", "", "", 0, 0, HF_NUMBER, VAL_CONTROL},
        {"long", longnum, "", "", 0, 0, HF_NUMBER, VAL_TOO_LONG},
        {"community", "H0002", "", "", 424242, 0, HF_COMMUNITY, VAL_NOT_FOUND},
        {"head elsewhere", "H0002", "", "", 0, 0, HF_HEAD, VAL_NOT_FOUND},
        {"head unknown", "H0002", "", "", 0, 424242, HF_HEAD, VAL_NOT_FOUND},
        {"phone", "H0002", "12345", "", 0, 0, HF_PHONE, VAL_PHONE},
        {"address", "H0002", "", "一组\x01", 0, 0, HF_ADDRESS, VAL_CONTROL},
    };
    bad[5].head = stranger;
    counts before = count_rows(f);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        household h;
        household_init(&h);
        snprintf(h.number, sizeof h.number, "%s", bad[i].number);
        snprintf(h.phone, sizeof h.phone, "%s", bad[i].phone);
        snprintf(h.address, sizeof h.address, "%s", bad[i].address);
        h.community_id = bad[i].community;
        h.new_head_id = bad[i].head;
        household_error he;
        ws_status s = household_save(f->st, &h, &he);
        if (s != WS_ERR_INVALID || he.field != bad[i].field || he.code != bad[i].code)
            fail_msg("%s: %s field %d %s", bad[i].what, ws_status_name(s), (int)he.field,
                     val_status_key(he.code));
        assert_int_equal(h.id, 0);
        assert_string_equal(h.number, bad[i].number); /* the form keeps it */
        assert_counts_equal(count_rows(f), before);
    }
}

static void test_duplicate_number(void **state)
{
    fixture *f = *state;
    int64_t first = add_household(f, "H0001", "一组");
    int64_t second = add_household(f, "H0002", "二组");
    counts before = count_rows(f);

    household h;
    household_init(&h);
    snprintf(h.number, sizeof h.number, "H0001");
    household_error he;
    assert_int_equal(household_save(f->st, &h, &he), WS_ERR_INVALID);
    assert_int_equal(he.field, HF_NUMBER);
    assert_int_equal(he.code, VAL_DUPLICATE);
    assert_string_equal(he.detail, "H0001");
    assert_int_equal(h.id, 0);
    assert_counts_equal(count_rows(f), before);

    /* renumbering another household onto a taken number is refused too */
    household s;
    assert_int_equal(household_load(f->st, second, &s), WS_OK);
    snprintf(s.number, sizeof s.number, "H0001");
    assert_int_equal(household_save(f->st, &s, &he), WS_ERR_INVALID);
    assert_int_equal(he.field, HF_NUMBER);
    assert_int_equal(he.code, VAL_DUPLICATE);
    assert_counts_equal(count_rows(f), before);
    assert_raw_text(f, "SELECT number FROM households WHERE id = ?1", second, "H0002");

    /* saving the holder with its own number is fine */
    household self;
    assert_int_equal(household_load(f->st, first, &self), WS_OK);
    assert_int_equal(household_save(f->st, &self, &he), WS_OK);

    /* once the holder is deleted, the number is free again */
    assert_int_equal(household_delete(f->st, first), WS_OK);
    household_init(&h);
    snprintf(h.number, sizeof h.number, "H0001");
    assert_int_equal(household_save(f->st, &h, &he), WS_OK);
    assert_true(h.id != first);
}

/* ---- heads ---- */

static void test_head(void **state)
{
    fixture *f = *state;
    int64_t hid = add_household(f, "H0001", "学堂湾路1号");
    counts before = count_rows(f);
    int64_t head = add_member(f, hid, "张三", "11010519491231002X", "head");
    counts after = count_rows(f);
    /* the resident's insert and the household's head change */
    assert_int_equal(after.audit, before.audit + 2);

    household h;
    assert_int_equal(household_load(f->st, hid, &h), WS_OK);
    assert_int_equal(h.head_id, head);
    assert_int_equal(raw_int(f, "SELECT head_id FROM households WHERE id = ?1", hid), head);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM audit_log WHERE table_name = 'households'"
                                " AND row_id = ?1 AND action = 'update'"
                                " AND json_extract(before, '$.head_id') IS NULL", hid), 1);
    char sql[] = "SELECT json_extract(after, '$.head_id') FROM audit_log"
                 " WHERE table_name = 'households' AND row_id = ?1 AND action = 'update'";
    assert_int_equal(raw_int(f, sql, hid), head);

    household_row row;
    assert_int_equal(household_row_get(f->st, hid, &row), WS_OK);
    assert_string_equal(row.head, "张三");
    assert_int_equal(row.head_id, head);
    assert_int_equal(row.members, 1);

    /* more members do not change the head */
    int64_t spouse = add_member(f, hid, "李四", "440524188001010014", "spouse");
    add_member(f, hid, "张小三", NULL, "son");
    assert_int_equal(household_row_get(f->st, hid, &row), WS_OK);
    assert_int_equal(row.head_id, head);
    assert_int_equal(row.members, 3);

    /* the household form names a head by new_head_id (test_head_form);
     * head_id is what was loaded and is never written back */
    assert_int_equal(household_load(f->st, hid, &h), WS_OK);
    h.head_id = spouse;
    household_error he;
    assert_int_equal(household_save(f->st, &h, &he), WS_OK);
    assert_int_equal(household_row_get(f->st, hid, &row), WS_OK);
    assert_string_equal(row.head, "张三");

    /* not a resident of another household */
    int64_t h2 = add_household(f, "H0002", NULL);
    int64_t outsider = add_member(f, h2, "王五", NULL, "head");
    h.new_head_id = outsider;
    snprintf(h.old_head_relation, sizeof h.old_head_relation, "spouse");
    counts c = count_rows(f);
    assert_int_equal(household_save(f->st, &h, &he), WS_ERR_INVALID);
    assert_int_equal(he.field, HF_HEAD);
    assert_int_equal(he.code, VAL_NOT_FOUND);
    assert_counts_equal(count_rows(f), c);
    assert_int_equal(raw_int(f, "SELECT head_id FROM households WHERE id = ?1", hid), head);
    assert_int_equal(raw_int(f, "SELECT head_id FROM households WHERE id = ?1", h2), outsider);
    (void)spouse;

    /* the members list puts the head of household (by relation) first */
    resident_row rows[5];
    size_t n;
    assert_int_equal(resident_members(f->st, hid, rows, 5, &n), WS_OK);
    assert_int_equal(n, 3);
    assert_int_equal(rows[0].id, head);
    assert_int_equal(resident_members(f->st, h2, rows, 5, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, outsider);
}

/* ---- one truth for the head ---- */

/* Every living household records as head (households.head_id) its one
 * member whose relation is 户主, or none; and wushe check agrees. */
static void assert_heads_agree(fixture *f)
{
    assert_int_equal(raw_int(f,
        "SELECT count(*) FROM households h WHERE h.deleted_at IS NULL AND ("
        " h.head_id IS NOT (SELECT r.id FROM residents r WHERE r.household_id = h.id"
        "  AND r.relation = 'head' AND r.deleted_at IS NULL)"
        " OR (SELECT count(*) FROM residents r WHERE r.household_id = h.id"
        "  AND r.relation = 'head' AND r.deleted_at IS NULL) > 1)", 0), 0);
    station_check_report rep;
    assert_int_equal(station_check(f->st, &rep), WS_OK);
    assert_int_equal(rep.head_problems, 0);
    assert_int_equal(rep.nheads, 0);
}

static void set_relation(fixture *f, int64_t id, const char *relation)
{
    resident r;
    assert_int_equal(resident_load(f->st, id, &r), WS_OK);
    snprintf(r.relation, sizeof r.relation, "%s", relation);
    field_error fe;
    ws_status s = resident_save(f->st, &r, &fe);
    if (s != WS_OK)
        fail_msg("resident_save(%s): %s %s %s", r.name, ws_status_name(s),
                 val_status_key(fe.code), fe.detail);
}

/* The household form names another member 户主: the relation of the
 * present head is asked (never guessed), and both relations and the
 * household's head change in one transaction. */
static void test_head_form(void **state)
{
    fixture *f = *state;
    int64_t hid = add_household(f, "H0001", NULL);
    int64_t a = add_member(f, hid, "张三", "11010519491231002X", "head");
    int64_t b = add_member(f, hid, "李四", "440524188001010014", "spouse");
    int64_t c = add_member(f, hid, "张小三", NULL, "son");
    household h;
    assert_int_equal(household_load(f->st, hid, &h), WS_OK);
    assert_int_equal(h.head_id, a);
    assert_int_equal(h.new_head_id, 0);

    /* what drifted before: a head chosen on the form, relations untouched */
    h.head_id = b;
    household_error he;
    assert_int_equal(household_save(f->st, &h, &he), WS_OK);
    assert_int_equal(raw_int(f, "SELECT head_id FROM households WHERE id = ?1", hid), a);
    assert_heads_agree(f);

    /* 张小三 as head, without saying what 张三 becomes: refused, nothing written */
    assert_int_equal(household_load(f->st, hid, &h), WS_OK);
    h.new_head_id = c;
    snprintf(h.address, sizeof h.address, "学堂湾路2号");
    counts before = count_rows(f);
    assert_int_equal(household_save(f->st, &h, &he), WS_ERR_INVALID);
    assert_int_equal(he.field, HF_OLD_HEAD_RELATION);
    assert_int_equal(he.code, VAL_REQUIRED);
    assert_string_equal(he.detail, "张三");
    static const char *const not_ok[] = {"head", "boss"};
    for (size_t i = 0; i < 2; i++) {
        snprintf(h.old_head_relation, sizeof h.old_head_relation, "%s", not_ok[i]);
        assert_int_equal(household_save(f->st, &h, &he), WS_ERR_INVALID);
        assert_int_equal(he.field, HF_OLD_HEAD_RELATION);
        assert_int_equal(he.code, VAL_UNKNOWN_CODE);
        assert_string_equal(he.detail, "张三");
    }
    assert_counts_equal(count_rows(f), before);
    assert_raw_text(f, "SELECT address FROM households WHERE id = ?1", hid, "");

    /* with it: both relations, the head and the address, one save */
    snprintf(h.old_head_relation, sizeof h.old_head_relation, "parent");
    assert_int_equal(household_save(f->st, &h, &he), WS_OK);
    counts after = count_rows(f);
    assert_int_equal(after.audit, before.audit + 3); /* 张小三, 张三, the household */
    assert_raw_text(f, "SELECT relation FROM residents WHERE id = ?1", c, "head");
    assert_raw_text(f, "SELECT relation FROM residents WHERE id = ?1", a, "parent");
    assert_raw_text(f, "SELECT relation FROM residents WHERE id = ?1", b, "spouse");
    assert_raw_text(f, "SELECT address FROM households WHERE id = ?1", hid, "学堂湾路2号");
    assert_int_equal(raw_int(f, "SELECT head_id FROM households WHERE id = ?1", hid), c);
    assert_raw_text(f, "SELECT json_extract(before, '$.relation') || '>' ||"
                       " json_extract(after, '$.relation') FROM audit_log"
                       " WHERE table_name = 'residents' AND row_id = ?1"
                       " ORDER BY id DESC LIMIT 1", c, "son>head");
    assert_raw_text(f, "SELECT json_extract(before, '$.relation') || '>' ||"
                       " json_extract(after, '$.relation') FROM audit_log"
                       " WHERE table_name = 'residents' AND row_id = ?1"
                       " ORDER BY id DESC LIMIT 1", a, "head>parent");
    char want[64];
    snprintf(want, sizeof want, "%lld>%lld", (long long)a, (long long)c);
    assert_raw_text(f, "SELECT json_extract(before, '$.head_id') || '>' ||"
                       " json_extract(after, '$.head_id') FROM audit_log"
                       " WHERE table_name = 'households' AND row_id = ?1"
                       " ORDER BY id DESC LIMIT 1", hid, want);
    assert_int_equal(household_load(f->st, hid, &h), WS_OK);
    assert_int_equal(h.head_id, c);
    assert_heads_agree(f);

    /* naming the head again changes no relation */
    h.new_head_id = c;
    assert_int_equal(household_save(f->st, &h, &he), WS_OK);
    assert_raw_text(f, "SELECT relation FROM residents WHERE id = ?1", a, "parent");
    assert_heads_agree(f);

    /* a form loaded before someone else changed the head is refused,
     * naming who is 户主 now: its answer was about another person */
    household stale;
    assert_int_equal(household_load(f->st, hid, &stale), WS_OK);
    set_relation(f, c, "son");
    set_relation(f, a, "head");
    stale.new_head_id = b;
    snprintf(stale.old_head_relation, sizeof stale.old_head_relation, "son");
    before = count_rows(f);
    assert_int_equal(household_save(f->st, &stale, &he), WS_ERR_INVALID);
    assert_int_equal(he.field, HF_HEAD);
    assert_int_equal(he.code, VAL_HEAD_TAKEN);
    assert_string_equal(he.detail, "张三");
    assert_counts_equal(count_rows(f), before);
    assert_raw_text(f, "SELECT relation FROM residents WHERE id = ?1", b, "spouse");
    assert_heads_agree(f);

    /* a household without a head: no relation to ask */
    int64_t h2 = add_household(f, "H0002", NULL);
    int64_t m = add_member(f, h2, "王五", NULL, "other");
    assert_int_equal(household_load(f->st, h2, &h), WS_OK);
    assert_int_equal(h.head_id, 0);
    h.new_head_id = m;
    assert_int_equal(household_save(f->st, &h, &he), WS_OK);
    assert_raw_text(f, "SELECT relation FROM residents WHERE id = ?1", m, "head");
    assert_int_equal(raw_int(f, "SELECT head_id FROM households WHERE id = ?1", h2), m);
    assert_heads_agree(f);
}

static void write_text(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

/* Every other path keeps the recorded head equal to the relation: the
 * resident form, moves, deletes, imports. */
static void test_head_paths(void **state)
{
    fixture *f = *state;
    int64_t h1 = add_household(f, "H0001", NULL);
    int64_t h2 = add_household(f, "H0002", NULL);
    int64_t a = add_member(f, h1, "张三", "11010519491231002X", "head");
    int64_t b = add_member(f, h1, "李四", "440524188001010014", "spouse");
    assert_int_equal(raw_int(f, "SELECT head_id FROM households WHERE id = ?1", h1), a);
    assert_heads_agree(f);

    /* resident form: 张三 stops being 户主, 李四 becomes it */
    set_relation(f, a, "spouse");
    assert_int_equal(raw_int(f, "SELECT head_id IS NULL FROM households WHERE id = ?1", h1), 1);
    assert_heads_agree(f);
    set_relation(f, b, "head");
    assert_int_equal(raw_int(f, "SELECT head_id FROM households WHERE id = ?1", h1), b);
    assert_heads_agree(f);

    /* moves: the head leaves, another comes in; a second one is refused */
    assert_int_equal(resident_move(f->st, b, h2, "head", NULL), WS_OK);
    assert_int_equal(raw_int(f, "SELECT head_id IS NULL FROM households WHERE id = ?1", h1), 1);
    assert_int_equal(raw_int(f, "SELECT head_id FROM households WHERE id = ?1", h2), b);
    assert_heads_agree(f);
    field_error fe;
    assert_int_equal(resident_move(f->st, a, h2, "head", &fe), WS_ERR_INVALID);
    assert_int_equal(fe.code, VAL_HEAD_TAKEN);
    assert_int_equal(resident_move(f->st, a, h2, "spouse", &fe), WS_OK);
    assert_heads_agree(f);

    /* delete: the head goes, the household has none */
    assert_int_equal(resident_delete(f->st, b), WS_OK);
    assert_int_equal(raw_int(f, "SELECT head_id IS NULL FROM households WHERE id = ?1", h2), 1);
    assert_heads_agree(f);

    /* import: a ledger names the heads, a later one changes them */
    char *csv = testutil_path(f->dir, "台账.csv");
    write_text(csv, "姓名,身份证号,户号,与户主关系\n"
                    "王大,110105194912310038,H0009,户主\n"
                    "王二,440524188001010030,H0009,配偶\n");
    import_opts io = {0};
    import_report rep;
    char err[512];
    assert_int_equal(import_residents(f->st, csv, &io, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.counts[IMPORT_NEW], 2);
    import_report_free(&rep);
    assert_raw_text(f, "SELECT r.name FROM households h JOIN residents r ON r.id = h.head_id"
                       " WHERE h.number = 'H0009' AND h.deleted_at IS NULL", 0, "王大");
    assert_heads_agree(f);
    write_text(csv, "姓名,身份证号,户号,与户主关系\n"
                    "王二,440524188001010030,H0009,户主\n"
                    "王大,110105194912310038,H0009,父母\n");
    assert_int_equal(import_residents(f->st, csv, &io, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.counts[IMPORT_UPDATE], 2);
    import_report_free(&rep);
    assert_raw_text(f, "SELECT r.name FROM households h JOIN residents r ON r.id = h.head_id"
                       " WHERE h.number = 'H0009' AND h.deleted_at IS NULL", 0, "王二");
    assert_heads_agree(f);
    free(csv);
}

/* Disagreements written behind the model's back (an older binary, a
 * hand edit): check names each household and the people. */
static void test_check_heads(void **state)
{
    fixture *f = *state;
    int64_t h1 = add_household(f, "H0001", NULL);
    int64_t h2 = add_household(f, "H0002", NULL);
    int64_t h3 = add_household(f, "H0003", NULL);
    int64_t h4 = add_household(f, "H0004", NULL);
    int64_t h5 = add_household(f, "H0005", NULL);
    add_member(f, h1, "张三", NULL, "head");
    int64_t b = add_member(f, h1, "李四", NULL, "spouse");
    int64_t c = add_member(f, h2, "王五", NULL, "head");
    int64_t d = add_member(f, h3, "赵六", NULL, "head");
    int64_t e = add_member(f, h4, "钱七", NULL, "head");
    int64_t g = add_member(f, h4, "孙八", NULL, "son");
    add_member(f, h5, "周九", NULL, "head");
    assert_heads_agree(f);

    sqlite3 *rw = NULL;
    assert_int_equal(sqlite3_open_v2(f->path, &rw, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    char sql[512];
    snprintf(sql, sizeof sql,
             "UPDATE households SET head_id = %lld WHERE id = %lld;"  /* the spouse */
             "UPDATE households SET head_id = NULL WHERE id = %lld;"  /* nobody */
             "UPDATE residents SET deleted_at = '2026-01-01' WHERE id = %lld;" /* gone */
             "UPDATE residents SET relation = 'head' WHERE id = %lld;", /* two heads */
             (long long)b, (long long)h1, (long long)h2, (long long)d, (long long)g);
    assert_int_equal(sqlite3_exec(rw, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_close(rw), SQLITE_OK);
    (void)c;

    station_check_report rep;
    assert_int_equal(station_check(f->st, &rep), WS_OK);
    assert_int_equal(rep.head_problems, 4);
    assert_int_equal(rep.nheads, 4);
    const station_head_problem *p = rep.head;
    assert_string_equal(p[0].household, "H0001");
    assert_int_equal(p[0].state, HEAD_RECORDED_MEMBER);
    assert_string_equal(p[0].recorded, "李四");
    assert_string_equal(p[0].recorded_relation, "spouse");
    assert_int_equal(p[0].nheads, 1);
    assert_string_equal(p[0].heads[0], "张三");
    assert_string_equal(p[1].household, "H0002");
    assert_int_equal(p[1].state, HEAD_RECORDED_NONE);
    assert_string_equal(p[1].recorded, "");
    assert_int_equal(p[1].nheads, 1);
    assert_string_equal(p[1].heads[0], "王五");
    assert_string_equal(p[2].household, "H0003");
    assert_int_equal(p[2].state, HEAD_RECORDED_GONE);
    assert_string_equal(p[2].recorded, "赵六");
    assert_int_equal(p[2].nheads, 0);
    assert_string_equal(p[3].household, "H0004");
    assert_int_equal(p[3].state, HEAD_RECORDED_MEMBER);
    assert_string_equal(p[3].recorded, "钱七");
    assert_string_equal(p[3].recorded_relation, "head");
    assert_int_equal(p[3].nheads, 2);
    assert_string_equal(p[3].heads[0], "钱七");
    assert_string_equal(p[3].heads[1], "孙八");

    /* any write of the household or a member puts the record right */
    household h;
    household_error he;
    assert_int_equal(household_load(f->st, h1, &h), WS_OK);
    assert_int_equal(h.head_id, raw_int(f, "SELECT id FROM residents WHERE name = '张三'", 0));
    assert_int_equal(household_save(f->st, &h, &he), WS_OK);
    set_relation(f, c, "head");
    assert_int_equal(household_load(f->st, h3, &h), WS_OK);
    assert_int_equal(household_save(f->st, &h, &he), WS_OK);
    assert_int_equal(station_check(f->st, &rep), WS_OK);
    assert_int_equal(rep.head_problems, 1); /* two heads need a person's decision */
    assert_string_equal(rep.head[0].household, "H0004");
    set_relation(f, g, "son");
    (void)e;
    assert_heads_agree(f);
}

/* What station_check_say said: its lines, one a line, and how many were
 * errors. */
typedef struct said {
    char text[16384];
    size_t len;
    int errors;
} said;

static void said_line(void *ctx, const char *line, bool error)
{
    said *w = ctx;
    int n = snprintf(w->text + w->len, sizeof w->text - w->len, "%s\n", line);
    assert_true(n > 0 && (size_t)n < sizeof w->text - w->len);
    w->len += (size_t)n;
    w->errors += error;
}

static bool said_check(station *st, station_check_reader reader, said *w)
{
    memset(w, 0, sizeof *w);
    return station_check_say(st, reader, said_line, w);
}

/* The check in words, for `wushe check` and the console's 检查: each
 * household astray with its people, named only to whom may read them,
 * and nothing from the file raw to a terminal. */
static void test_check_say(void **state)
{
    fixture *f = *state;
    int64_t h1 = add_household(f, "H0001", NULL);
    int64_t h2 = add_household(f, "H0002", NULL);
    add_member(f, h1, "张三", NULL, "head");
    int64_t b = add_member(f, h1, "李四", NULL, "spouse");
    add_member(f, h2, "王五", NULL, "head");
    said w;
    assert_true(said_check(f->st, CHECK_FOR_SHELL, &w));
    assert_non_null(strstr(w.text, "完整性检查：通过\n"));
    assert_null(strstr(w.text, "户主不一致"));
    assert_null(strstr(w.text, "检查未通过"));

    /* Behind the model's back: the spouse recorded as head, and a household
     * number with a terminal escape in it. */
    sqlite3 *rw = NULL;
    assert_int_equal(sqlite3_open_v2(f->path, &rw, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    char sql[512];
    snprintf(sql, sizeof sql,
             "UPDATE households SET head_id = %lld WHERE id = %lld;"
             "UPDATE households SET head_id = NULL, number = 'H0002' || char(27) || '[2J'"
             " WHERE id = %lld;",
             (long long)b, (long long)h1, (long long)h2);
    assert_int_equal(sqlite3_exec(rw, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_close(rw), SQLITE_OK);

    /* A station without accounts: the names, as wushe check prints them. */
    assert_false(said_check(f->st, CHECK_FOR_SHELL, &w));
    assert_int_equal(w.errors, 0);
    assert_non_null(strstr(w.text, "户主不一致：2 户\n"
                                   "  户 H0001：记为户主的是“李四”（与户主关系：配偶）；"
                                   "成员中与户主关系为“户主”的是“张三”\n"
                                   "  户 H0002\xEF\xBF\xBD[2J：没有记户主；"
                                   "成员中与户主关系为“户主”的是“王五”\n"
                                   "改正方法："));
    assert_null(strchr(w.text, 27));
    assert_non_null(strstr(w.text, "检查未通过：请按上面的说明处理\n"));
    assert_int_equal(w.text[w.len - 1], '\n');

    /* Once there are accounts, nobody logged in sees numbers, not names. */
    account a;
    account_init(&a);
    snprintf(a.login, sizeof a.login, "zz");
    snprintf(a.display_name, sizeof a.display_name, "测试站长");
    snprintf(a.role, sizeof a.role, "director");
    record_error re;
    assert_int_equal(account_create(f->st, &a, "wushe-test-pw", &re), WS_OK);
    station *st = NULL;
    char err[256];
    assert_int_equal(station_open(f->path, 0, NULL, &st, err, sizeof err), WS_OK);
    assert_false(said_check(st, CHECK_FOR_SHELL, &w));
    assert_non_null(strstr(w.text, "  户 H0001：记的户主与成员的“与户主关系”对不上\n"));
    assert_null(strstr(w.text, "李四"));
    assert_null(strstr(w.text, "张三"));
    assert_non_null(strstr(w.text, "wushe check --user"));
    /* The console's reader is never sent to a shell to check again. */
    assert_false(said_check(st, CHECK_FOR_CONSOLE, &w));
    assert_null(strstr(w.text, "wushe check"));
    /* A logged-in account whose role reads the register sees the names. */
    account_login_result res;
    assert_int_equal(account_login(st, "zz", "wushe-test-pw", &res), WS_OK);
    assert_false(said_check(st, CHECK_FOR_CONSOLE, &w));
    assert_non_null(strstr(w.text, "“李四”（与户主关系：配偶）"));
    assert_null(strstr(w.text, "wushe check"));
    station_close(&st);
}

/* Two consoles: one moves 李四 in as 户主 while the other has just saved
 * 王五 as 户主 of the same household. The move must see that head inside
 * its own write transaction, or the household ends up with two. */
static int race_commit_other(void *ctx, int tries)
{
    station *other = ctx;
    if (tries == 0)
        assert_int_equal(db_commit(station_db(other)), WS_OK);
    return 1; /* try again: the lock is free now */
}

static void test_move_head_race(void **state)
{
    fixture *f = *state;
    int64_t hid = add_household(f, "H0001", NULL);
    int64_t elsewhere = add_household(f, "H0002", NULL);
    int64_t b = add_member(f, elsewhere, "李四", NULL, "head");

    station *other = NULL;
    char err[512];
    assert_int_equal(station_open(f->path, STATION_TRUSTED, NULL, &other, err, sizeof err), WS_OK);
    station_set_actor(other, "console2");
    /* the other console's save is written but not yet committed */
    assert_int_equal(db_begin(station_db(other)), WS_OK);
    resident w;
    resident_init(&w);
    snprintf(w.name, sizeof w.name, "王五");
    snprintf(w.relation, sizeof w.relation, "head");
    w.household_id = hid;
    field_error fe;
    assert_int_equal(resident_save(other, &w, &fe), WS_OK);

    /* our write waits for its lock; meanwhile the other one commits */
    sqlite3 *mine = db_handle(station_db(f->st));
    sqlite3_busy_handler(mine, race_commit_other, other);
    memset(&fe, 0, sizeof fe);
    ws_status s = resident_move(f->st, b, hid, "head", &fe);
    sqlite3_busy_timeout(mine, 3000);
    station_close(&other);

    assert_int_equal(raw_int(f, "SELECT count(*) FROM residents WHERE household_id = ?1"
                                " AND relation = 'head' AND deleted_at IS NULL", hid), 1);
    assert_int_equal(s, WS_ERR_INVALID);
    assert_int_equal(fe.code, VAL_HEAD_TAKEN);
    assert_string_equal(fe.detail, "王五");
    assert_int_equal(raw_int(f, "SELECT household_id FROM residents WHERE id = ?1", b), elsewhere);
    assert_heads_agree(f);
}

/* ---- delete ---- */

static void test_delete(void **state)
{
    fixture *f = *state;
    int64_t hid = add_household(f, "H0001", NULL);
    int64_t keep = add_household(f, "H0002", NULL);
    int64_t a = add_member(f, hid, "张三", "11010519491231002X", "head");
    int64_t b = add_member(f, hid, "李四", NULL, "spouse");

    /* refused while it has members; nothing written */
    counts before = count_rows(f);
    assert_int_equal(household_delete(f->st, hid), WS_ERR_INVALID);
    assert_counts_equal(count_rows(f), before);
    household h;
    assert_int_equal(household_load(f->st, hid, &h), WS_OK);

    /* one member moves away, one is deleted: still refused until both left */
    assert_int_equal(resident_move(f->st, a, keep, "head", NULL), WS_OK);
    assert_int_equal(household_delete(f->st, hid), WS_ERR_INVALID);
    assert_int_equal(resident_delete(f->st, b), WS_OK);

    before = count_rows(f);
    assert_int_equal(household_delete(f->st, hid), WS_OK);
    counts after = count_rows(f);
    assert_int_equal(after.households, before.households); /* soft */
    assert_int_equal(after.audit, before.audit + 1);
    assert_int_equal(raw_int(f, "SELECT deleted_at IS NOT NULL FROM households WHERE id = ?1", hid),
                     1);
    assert_raw_text(f, "SELECT action || ' ' || json_extract(before, '$.number') FROM audit_log"
                       " WHERE table_name = 'households' AND row_id = ?1 ORDER BY id DESC LIMIT 1",
                    hid, "delete H0001");
    assert_int_equal(raw_int(f, "SELECT json_extract(after, '$.deleted_at') IS NOT NULL FROM audit_log"
                                " WHERE row_id = ?1 AND action = 'delete'", hid), 1);
    assert_int_equal(household_load(f->st, hid, &h), WS_ERR_NOT_FOUND);
    household_row row;
    assert_int_equal(household_row_get(f->st, hid, &row), WS_ERR_NOT_FOUND);
    household_row rows[5];
    size_t n;
    assert_int_equal(household_list(f->st, NULL, 0, 1, rows, 5, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, keep);
    station_stats stats;
    assert_int_equal(station_stats_get(f->st, &stats), WS_OK);
    assert_int_equal(stats.households, 1);

    /* nobody can be saved into or moved into a deleted household */
    assert_int_equal(resident_move(f->st, a, hid, "head", NULL), WS_ERR_NOT_FOUND);
    resident r;
    resident_init(&r);
    snprintf(r.name, sizeof r.name, "王五");
    r.household_id = hid;
    field_error fe;
    assert_int_equal(resident_save(f->st, &r, &fe), WS_ERR_INVALID);
    assert_int_equal(fe.field, RF_HOUSEHOLD);

    /* twice, or unknown: NOT_FOUND, nothing written */
    before = count_rows(f);
    assert_int_equal(household_delete(f->st, hid), WS_ERR_NOT_FOUND);
    assert_int_equal(household_delete(f->st, 424242), WS_ERR_NOT_FOUND);
    assert_counts_equal(count_rows(f), before);

    /* saving the deleted household (a form still open on it) does not
     * resurrect it, does not report success and writes no audit row */
    h.id = hid;
    snprintf(h.number, sizeof h.number, "H0001");
    snprintf(h.address, sizeof h.address, "改了");
    household_error he;
    assert_int_equal(household_save(f->st, &h, &he), WS_ERR_NOT_FOUND);
    assert_counts_equal(count_rows(f), before);
    assert_raw_text(f, "SELECT address FROM households WHERE id = ?1", hid, "");
}

/* ---- lists ---- */

static void test_list(void **state)
{
    fixture *f = *state;
    enum { N = 12 };
    int64_t ids[N + 1] = {0};
    for (int k = 0; k < N; k++) {
        int i = (k * 5 + 3) % N + 1; /* scrambled: 5 is prime to 12 */
        char number[16], address[64];
        snprintf(number, sizeof number, "H%04d", i);
        snprintf(address, sizeof address, "学堂湾路%d号", i);
        ids[i] = add_household(f, number, address);
    }
    add_member(f, ids[3], "张三", "11010519491231002X", "head");
    add_member(f, ids[5], "李四", "440524188001010014", "head");
    add_member(f, ids[5], "王五", NULL, "son");
    int64_t gone = add_member(f, ids[8], "赵六", NULL, "head");
    assert_int_equal(resident_delete(f->st, gone), WS_OK);

    /* forward in pages of 5: H0001 .. H0012 */
    household_row rows[N + 1];
    size_t n, total = 0;
    int64_t after = 0;
    do {
        assert_int_equal(household_list(f->st, NULL, after, 1, rows, 5, &n), WS_OK);
        for (size_t i = 0; i < n; i++) {
            total++;
            assert_true(total <= N);
            assert_int_equal(rows[i].id, ids[total]);
            char want[16];
            snprintf(want, sizeof want, "H%04zu", total);
            assert_string_equal(rows[i].number, want);
            assert_string_equal(rows[i].community, "学堂湾社区");
        }
        if (n)
            after = rows[n - 1].id;
    } while (n == 5);
    assert_int_equal(total, N);
    /* backward in pages of 5 */
    total = 0;
    after = 0;
    do {
        assert_int_equal(household_list(f->st, NULL, after, -1, rows, 5, &n), WS_OK);
        for (size_t i = 0; i < n; i++) {
            assert_true(total < N);
            assert_int_equal(rows[i].id, ids[N - total]);
            total++;
        }
        if (n)
            after = rows[n - 1].id;
    } while (n == 5);
    assert_int_equal(total, N);

    /* head and members in the rows */
    assert_int_equal(household_list(f->st, "H0005", 0, 1, rows, N, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, ids[5]);
    assert_string_equal(rows[0].head, "李四");
    assert_int_equal(rows[0].members, 2);
    assert_string_equal(rows[0].address, "学堂湾路5号");

    /* filters: number, head name (Chinese, pinyin, initials), address */
    struct {
        const char *filter;
        int want[4];
    } cases[] = {
        {"H0007", {7}},
        {"h0007", {7}},
        {"H001", {10, 11, 12}},
        {"张三", {3}},
        {"李四", {5}},
        {"lisi", {5}},
        {"LS", {5}},
        {"zhangsan", {3}},
        {"學堂灣路9號", {9}}, /* traditional characters fold */
        {"湾路12", {12}},
        {"赵六", {0}},  /* the head was deleted */
        {"王五", {0}},  /* a member, not the head */
        {"%", {0}},
        {"H_001", {0}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        assert_int_equal(household_list(f->st, cases[c].filter, 0, 1, rows, N, &n), WS_OK);
        size_t want_n = 0;
        while (want_n < 4 && cases[c].want[want_n])
            want_n++;
        if (n != want_n)
            fail_msg("filter '%s': %zu rows, want %zu", cases[c].filter, n, want_n);
        for (size_t i = 0; i < n; i++)
            assert_int_equal(rows[i].id, ids[cases[c].want[i]]);
    }
    /* a filtered list pages too */
    assert_int_equal(household_list(f->st, "H001", 0, 1, rows, 2, &n), WS_OK);
    assert_int_equal(n, 2);
    assert_int_equal(household_list(f->st, "H001", rows[1].id, 1, rows, 2, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, ids[12]);
    assert_int_equal(household_list(f->st, NULL, 0, 1, rows, 0, &n), WS_OK);
    assert_int_equal(n, 0);
}

static void test_next_number(void **state)
{
    fixture *f = *state;
    char next[16];
    assert_int_equal(household_next_number(f->st, next, sizeof next), WS_OK);
    assert_string_equal(next, "H00001");
    add_household(f, next, NULL);
    assert_int_equal(household_next_number(f->st, next, sizeof next), WS_OK);
    assert_string_equal(next, "H00002");
    add_household(f, next, NULL);
    assert_int_equal(household_next_number(f->st, next, sizeof next), WS_OK);
    assert_string_equal(next, "H00003");
    /* gaps: continue after the highest */
    add_household(f, "H00010", NULL);
    assert_int_equal(household_next_number(f->st, next, sizeof next), WS_OK);
    assert_string_equal(next, "H00011");
    /* numbers in other schemes do not count */
    add_household(f, "A0099", NULL);
    add_household(f, "户0500", NULL);
    add_household(f, "H", NULL);
    assert_int_equal(household_next_number(f->st, next, sizeof next), WS_OK);
    assert_string_equal(next, "H00011");
    /* more than four digits */
    add_household(f, "H12345", NULL);
    assert_int_equal(household_next_number(f->st, next, sizeof next), WS_OK);
    assert_string_equal(next, "H12346");
    /* the proposal is always free */
    household h;
    household_init(&h);
    snprintf(h.number, sizeof h.number, "%s", next);
    household_error he;
    assert_int_equal(household_save(f->st, &h, &he), WS_OK);
}

/* Finding a number reads the index, not every household: a save and each
 * row of an import look numbers up, so a scan made a station's import
 * and its demo slower with every household already there. */
static void test_number_lookup_reads_index(void **state)
{
    fixture *f = *state;
    int64_t known = add_household(f, "H00001", "一组");
    db *d = station_db(f->st);
    assert_int_equal(db_exec(d,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
        " INSERT INTO households(id, number, created_at, updated_at)"
        " SELECT 5000000 + i, CASE WHEN i % 2 THEN printf('%05d', i) ELSE printf('H%05d', i + 1)"
        " END, '2026-01-01', '2026-01-01' FROM n"), WS_OK);
    const char *numbers[] = {"H00001", "h00001", "77777", "0077777", "X1", "3", "00003"};
    const int64_t want[] = {known, known, 0, 0, 0, 5000003, 5000003};
    for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++) {
        int64_t found = -1, before = db_vm_steps(d);
        assert_int_equal(household_find_number(f->st, numbers[i], 0, &found, NULL, 0), WS_OK);
        int64_t steps = db_vm_steps(d) - before;
        if (found != want[i] || steps > 3000)
            fail_msg("%s: found %lld (want %lld) in %lld steps", numbers[i], (long long)found,
                     (long long)want[i], (long long)steps);
    }
}

/* A page of the declared kinds' list (the engine every kind's list,
 * export and chooser share) is a search of the kind's index on its order:
 * it read and sorted every row of the table for each page. */
static void test_list_page_reads_index(void **state)
{
    fixture *f = *state;
    db *d = station_db(f->st);
    assert_int_equal(db_exec(d,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
        " INSERT INTO households(id, number, created_at, updated_at, deleted_at)"
        " SELECT 5000000 + i, printf('H%05d', i), 't', 't', CASE WHEN i % 100 = 0 THEN 't'"
        " END FROM n"), WS_OK);
    enum { PAGE = 20 };
    record_row *rows = calloc(PAGE, sizeof *rows);
    assert_non_null(rows);
    size_t n = 0;
    int64_t before = db_vm_steps(d);
    assert_int_equal(record_list(f->st, &kind_household, NULL, false, 5001500, 1, rows, PAGE,
                                 &n), WS_OK);
    int64_t steps = db_vm_steps(d) - before;
    assert_int_equal(n, PAGE);
    /* After H01500 (and past H01600, which is in the bin). */
    assert_int_equal(rows[0].id, 5001501);
    if (steps > 5000)
        fail_msg("a page of %d after H01500 in %lld steps", PAGE, (long long)steps);
    /* The bin lists only what is in it, in the same order. */
    assert_int_equal(record_list(f->st, &kind_household, NULL, true, 0, 1, rows, PAGE, &n),
                     WS_OK);
    assert_int_equal(n, PAGE);
    assert_int_equal(rows[0].id, 5000100);
    assert_int_equal(rows[1].id, 5000200);
    free(rows);
}

/* ---- communities ---- */

static void test_communities(void **state)
{
    fixture *f = *state;
    add_community(f, "柳河社区", "community");
    add_community(f, "桃源村", "village");
    community *items = NULL;
    size_t n = 0;
    assert_int_equal(community_list(f->st, &items, &n), WS_OK);
    assert_int_equal(n, 3);
    /* pinyin order: liu he, tao yuan, xue tang wan */
    assert_string_equal(items[0].name, "柳河社区");
    assert_string_equal(items[1].name, "桃源村");
    assert_string_equal(items[1].kind, "village");
    assert_string_equal(items[2].name, "学堂湾社区");
    free(items);

    community c;
    assert_int_equal(community_find_by_name(f->st, "桃源村", &c), WS_OK);
    assert_string_equal(c.kind, "village");
    assert_int_equal(community_find_by_name(f->st, "桃源", &c), WS_ERR_NOT_FOUND);

    counts before = count_rows(f);
    record_error why;
    community d;
    memset(&d, 0, sizeof d);
    snprintf(d.name, sizeof d.name, "桃源村");
    assert_int_equal(community_save(f->st, &d, &why), WS_ERR_INVALID);
    assert_int_equal(why.code, VAL_DUPLICATE);
    assert_int_equal(d.id, 0);
    snprintf(d.name, sizeof d.name, "新村");
    snprintf(d.kind, sizeof d.kind, "town");
    assert_int_equal(community_save(f->st, &d, &why), WS_ERR_INVALID);
    /* A code not on its list names those that are (a ledger's error file). */
    assert_int_equal(why.code, VAL_NOT_IN_LIST);
    assert_string_equal(why.detail, "社区、村");
    snprintf(d.kind, sizeof d.kind, "village");
    snprintf(d.code, sizeof d.code, "51090210520X");
    assert_int_equal(community_save(f->st, &d, &why), WS_ERR_INVALID);
    d.code[0] = '\0';
    d.name[0] = '\0';
    assert_int_equal(community_save(f->st, &d, &why), WS_ERR_INVALID);
    assert_int_equal(why.code, VAL_REQUIRED);
    assert_counts_equal(count_rows(f), before);

    /* update: audited; an unknown id is NOT_FOUND and writes nothing */
    c.kind[0] = '\0'; /* not chosen: a name ending in 村 is a village */
    snprintf(c.code, sizeof c.code, "510902105202");
    assert_int_equal(community_save(f->st, &c, &why), WS_OK);
    assert_raw_text(f, "SELECT json_extract(before, '$.kind') || '>' || json_extract(after, '$.kind')"
                       " || ' ' || json_extract(after, '$.code') FROM audit_log"
                       " WHERE row_id = ?1 AND action = 'update'", c.id,
                    "village>village 510902105202");
    before = count_rows(f);
    community ghost;
    memset(&ghost, 0, sizeof ghost);
    ghost.id = 424242;
    snprintf(ghost.name, sizeof ghost.name, "幽灵村");
    assert_int_equal(community_save(f->st, &ghost, &why), WS_ERR_NOT_FOUND);
    assert_counts_equal(count_rows(f), before);
}

/* A member lives in its household's 社区/村: a move takes the new
 * household's, a household's new community takes its members along
 * (audited), and a form cannot set another (the trial found a 桃源村
 * household with a 学堂湾社区 member). */
static void test_community_follows(void **state)
{
    fixture *f = *state;
    int64_t other = add_community(f, "桃源村", "village");
    int64_t h1 = add_household(f, "H0001", "一组");
    int64_t a = add_member(f, h1, "张三", NULL, "head");
    int64_t b = add_member(f, h1, "李四", NULL, "spouse");
    household h2;
    household_init(&h2);
    snprintf(h2.number, sizeof h2.number, "H0002");
    h2.community_id = other;
    household_error he;
    assert_int_equal(household_save(f->st, &h2, &he), WS_OK);
    field_error fe;
    assert_int_equal(resident_move(f->st, b, h2.id, "head", &fe), WS_OK);
    assert_int_equal(raw_int(f, "SELECT community_id FROM residents WHERE id = ?1", b), other);
    /* the form's community gives way to the household's */
    resident r;
    assert_int_equal(resident_load(f->st, a, &r), WS_OK);
    r.community_id = other;
    assert_int_equal(resident_save(f->st, &r, &fe), WS_OK);
    assert_int_equal(raw_int(f, "SELECT community_id FROM residents WHERE id = ?1", a),
                     g_community);
    /* the household moves to another community: its member follows, audited */
    household h;
    assert_int_equal(household_load(f->st, h1, &h), WS_OK);
    h.community_id = other;
    int64_t audits = raw_int(f, "SELECT count(*) FROM audit_log WHERE row_id = ?1", a);
    assert_int_equal(household_save(f->st, &h, &he), WS_OK);
    assert_int_equal(raw_int(f, "SELECT community_id FROM residents WHERE id = ?1", a), other);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM audit_log WHERE row_id = ?1", a),
                     audits + 1);
}

/* The search box finds a household by its head's name, also after the
 * head is renamed. */
static void test_head_renamed_found(void **state)
{
    fixture *f = *state;
    int64_t h = add_household(f, "H0101", NULL);
    int64_t id = add_member(f, h, "钱老大", NULL, "head");
    household_row rows[4];
    size_t n = 0;
    assert_int_equal(household_list(f->st, "钱老大", 0, 1, rows, 4, &n), WS_OK);
    assert_int_equal(n, 1);
    resident r;
    assert_int_equal(resident_load(f->st, id, &r), WS_OK);
    snprintf(r.name, sizeof r.name, "钱守义");
    field_error fe;
    assert_int_equal(resident_save(f->st, &r, &fe), WS_OK);
    assert_int_equal(household_list(f->st, "钱守义", 0, 1, rows, 4, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, h);
    assert_int_equal(household_list(f->st, "qsy", 0, 1, rows, 4, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(household_list(f->st, "钱老大", 0, 1, rows, 4, &n), WS_OK);
    assert_int_equal(n, 0);
}

/* A 户号 of digits whose zeros in front Excel dropped is the registered
 * one (a ledger saved in Excel must not split a household), unless two
 * registered numbers are the same without them. */
static void test_number_zeros_lost(void **state)
{
    fixture *f = *state;
    int64_t id = add_household(f, "000123", "一组");
    int64_t found = 0;
    char stored[64];
    assert_int_equal(household_find_number(f->st, "123", 0, &found, stored, sizeof stored),
                     WS_OK);
    assert_int_equal(found, id);
    assert_string_equal(stored, "000123");
    assert_int_equal(household_find_number(f->st, "0123", 0, &found, NULL, 0), WS_OK);
    assert_int_equal(found, id);
    /* Not a number with letters, nor another number. */
    assert_int_equal(household_find_number(f->st, "1230", 0, &found, NULL, 0), WS_OK);
    assert_int_equal(found, 0);
    int64_t letters = add_household(f, "H0077", "二组");
    assert_int_equal(household_find_number(f->st, "77", 0, &found, NULL, 0), WS_OK);
    assert_int_equal(found, 0);
    assert_true(letters > 0);
    /* Registered without them, written with them. */
    int64_t bare = add_household(f, "456", "三组");
    assert_int_equal(household_find_number(f->st, "00456", 0, &found, NULL, 0), WS_OK);
    assert_int_equal(found, bare);
    /* The form: 123 is taken by 000123. */
    household h;
    household_init(&h);
    snprintf(h.number, sizeof h.number, "123");
    household_error he;
    assert_int_equal(household_save(f->st, &h, &he), WS_ERR_INVALID);
    assert_int_equal(he.code, VAL_DUPLICATE);
    assert_string_equal(he.detail, "000123");
    /* Two that are the same without their zeros (kept from before): neither
     * is guessed. */
    assert_int_equal(sqlite3_exec(db_handle(station_db(f->st)), "UPDATE households SET number = '0456'"
                                          " WHERE number = 'H0077'", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(household_find_number(f->st, "00456", 0, &found, NULL, 0), WS_OK);
    assert_int_equal(found, 0);
    /* The residents import finds the household, and makes none. */
    char idn[19], body[18];
    snprintf(body, sizeof body, "11010519800101%03d", 321);
    snprintf(idn, sizeof idn, "%s%c", body, val_id_check_char(body));
    char text[256];
    snprintf(text, sizeof text, "姓名,身份证号,户号,与户主关系\n李四,%s,123,户主\n", idn);
    char *path = testutil_path(f->dir, "zeros.csv");
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    import_opts o = {0};
    import_report rep;
    char err[256];
    assert_int_equal(import_residents(f->st, path, &o, &rep, err, sizeof err), WS_OK);
    assert_int_equal(rep.new_households, 0);
    assert_int_equal(rep.counts[IMPORT_NEW], 1);
    import_report_free(&rep);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM residents WHERE household_id = ?1", id), 1);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_head_renamed_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_load_update, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_number, setup, teardown),
        cmocka_unit_test_setup_teardown(test_number_zeros_lost, setup, teardown),
        cmocka_unit_test_setup_teardown(test_number_lookup_reads_index, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_page_reads_index, setup, teardown),
        cmocka_unit_test_setup_teardown(test_head, setup, teardown),
        cmocka_unit_test_setup_teardown(test_head_form, setup, teardown),
        cmocka_unit_test_setup_teardown(test_head_paths, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_heads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_say, setup, teardown),
        cmocka_unit_test_setup_teardown(test_move_head_race, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_next_number, setup, teardown),
        cmocka_unit_test_setup_teardown(test_communities, setup, teardown),
        cmocka_unit_test_setup_teardown(test_community_follows, setup, teardown),
    };
    return testutil_run(tests);
}
