/* The recycle bin of residents: the deleted ones listed (latest deletion
 * first, who deleted them, the search box), a restore as one audited write
 * that puts the resident back in the search index and keeps the one 户主,
 * refused with the reason when its ID number, its household's head, its
 * household or its community is no longer free; and a household's own
 * history of its members (added, moved in and out, deleted, restored). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search.h"
#include "station_internal.h"
#include "wushe/community.h"
#include "wushe/household.h"
#include "wushe/record.h"
#include "wushe/resident.h"

typedef testutil_station fixture;

static int setup(void **state)
{
    fixture *f = testutil_station_open(true);
    if (!f)
        return -1;
    *state = f;
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
    int64_t living, deleted, audit, groups;
} counts;

static counts count_rows(fixture *f)
{
    counts c;
    c.living = raw_int(f, "SELECT count(*) FROM residents WHERE deleted_at IS NULL", 0);
    c.deleted = raw_int(f, "SELECT count(*) FROM residents WHERE deleted_at IS NOT NULL", 0);
    c.audit = raw_int(f, "SELECT count(*) FROM audit_log", 0);
    c.groups = raw_int(f, "SELECT count(*) FROM resident_groups", 0);
    return c;
}

static void assert_counts_equal(counts a, counts b)
{
    assert_int_equal(a.living, b.living);
    assert_int_equal(a.deleted, b.deleted);
    assert_int_equal(a.audit, b.audit);
    assert_int_equal(a.groups, b.groups);
}

/* A valid ID number of region 510902, birth YYYYMMDD, sequence seq. */
static void make_id(char out[19], const char *ymd, int seq)
{
    char d17[18];
    snprintf(d17, sizeof d17, "510902%.8s%03d", ymd, seq % 1000);
    memcpy(out, d17, 17);
    out[17] = val_id_check_char(d17);
    out[18] = '\0';
}

static int64_t add_person(fixture *f, const char *name, const char *idn, int64_t hid,
                          const char *relation)
{
    resident r;
    resident_init(&r);
    snprintf(r.name, sizeof r.name, "%s", name);
    snprintf(r.id_number, sizeof r.id_number, "%s", idn ? idn : "");
    snprintf(r.relation, sizeof r.relation, "%s", relation ? relation : "");
    snprintf(r.address, sizeof r.address, "学堂湾路12号");
    r.household_id = hid;
    field_error fe;
    ws_status s = resident_save(f->st, &r, &fe);
    if (s != WS_OK)
        fail_msg("resident_save(%s): %s field %d code %s detail '%s'", name, ws_status_name(s),
                 (int)fe.field, val_status_key(fe.code), fe.detail);
    return r.id;
}

static int64_t add_household(fixture *f, const char *number, int64_t community_id)
{
    household h;
    household_init(&h);
    snprintf(h.number, sizeof h.number, "%s", number);
    h.community_id = community_id;
    household_error he;
    assert_int_equal(household_save(f->st, &h, &he), WS_OK);
    return h.id;
}

static int64_t add_community(fixture *f, const char *name)
{
    community c;
    memset(&c, 0, sizeof c);
    snprintf(c.name, sizeof c.name, "%s", name);
    record_error why;
    assert_int_equal(community_save(f->st, &c, &why), WS_OK);
    return c.id;
}

/* How many living residents the search box finds. */
static size_t found(fixture *f, const char *filter)
{
    resident_row rows[20];
    size_t n = 0;
    assert_int_equal(resident_list(f->st, filter, 0, 1, rows, 20, &n), WS_OK);
    return n;
}

static size_t deleted_list(fixture *f, const char *filter, resident_deleted_row *rows, size_t max)
{
    size_t n = 99;
    assert_int_equal(resident_list_deleted(f->st, filter, 0, 1, rows, max, &n), WS_OK);
    return n;
}

static int64_t head_of(fixture *f, int64_t hid)
{
    return raw_int(f, "SELECT coalesce(head_id, 0) FROM households WHERE id = ?1", hid);
}

/* ---- restore ---- */

static void test_restore_brings_back(void **state)
{
    fixture *f = *state;
    int64_t hid = add_household(f, "H00001", 0);
    char idn[19];
    make_id(idn, "19490101", 1);
    int64_t id = add_person(f, "张三丰", idn, hid, "head");
    add_person(f, "张小明", NULL, hid, "son");
    assert_int_equal(head_of(f, hid), id);

    assert_int_equal(resident_delete(f->st, id), WS_OK);
    assert_int_equal(head_of(f, hid), 0);
    assert_int_equal(found(f, "张三丰"), 0);
    int64_t rev = raw_int(f, "SELECT revision FROM residents WHERE id = ?1", id);

    resident_deleted_row rows[4];
    assert_int_equal(deleted_list(f, NULL, rows, 4), 1);
    assert_int_equal(rows[0].row.id, id);
    assert_string_equal(rows[0].row.name, "张三丰");
    assert_string_equal(rows[0].row.id_number, idn);
    assert_string_equal(rows[0].row.household, "H00001");
    assert_string_equal(rows[0].row.relation, "head");
    assert_string_equal(rows[0].deleted_by, "tester");
    char at[64];
    raw_text(f, "SELECT deleted_at FROM residents WHERE id = ?1", id, at, sizeof at);
    assert_string_equal(rows[0].deleted_at, at);

    int64_t audit = raw_int(f, "SELECT count(*) FROM audit_log", 0);
    field_error fe;
    assert_int_equal(resident_restore(f->st, id, &fe), WS_OK);
    assert_int_equal(fe.field, RF_NONE);

    resident r;
    assert_int_equal(resident_load(f->st, id, &r), WS_OK);
    assert_string_equal(r.name, "张三丰");
    assert_int_equal(r.revision, rev + 1);
    /* The search box finds it again, every way it did. */
    assert_int_equal(found(f, "张三丰"), 1);
    assert_int_equal(found(f, "zsf"), 1);
    assert_int_equal(found(f, "zhangsanf"), 1);
    assert_int_equal(found(f, idn + 12), 1);
    assert_int_equal(found(f, "学堂湾"), 2);
    /* The one 户主 again, audited: the resident's row and the household's. */
    assert_int_equal(head_of(f, hid), id);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM audit_log", 0), audit + 2);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM audit_log WHERE table_name = 'residents'"
                                " AND row_id = ?1 AND action = 'update' AND id = (SELECT max(id)"
                                " FROM audit_log WHERE table_name = 'residents')"
                                " AND json_extract(before, '$.deleted_at') IS NOT NULL"
                                " AND json_extract(after, '$.deleted_at') IS NULL", id),
                     1);
    /* The history calls it a restore. */
    record_change ch[8];
    size_t n = 0;
    assert_int_equal(record_history(f->st, "residents", id, ch, 8, &n), WS_OK);
    assert_true(n >= 3);
    assert_string_equal(ch[0].action, "restore");
    assert_string_equal(ch[1].action, "delete");

    assert_int_equal(deleted_list(f, NULL, rows, 4), 0);
    assert_int_equal(resident_restore(f->st, id, &fe), WS_ERR_NOT_FOUND);
    assert_int_equal(resident_restore(f->st, 424242, &fe), WS_ERR_NOT_FOUND);
    int64_t other = add_person(f, "李四", NULL, 0, NULL);
    assert_int_equal(resident_restore(f->st, other, &fe), WS_ERR_NOT_FOUND);
}

static void test_restore_keeps_groups(void **state)
{
    fixture *f = *state;
    resident r;
    resident_init(&r);
    snprintf(r.name, sizeof r.name, "王芳");
    resident_group g;
    memset(&g, 0, sizeof g);
    snprintf(g.code, sizeof g.code, "dibao");
    snprintf(g.start_date, sizeof g.start_date, "2020-01-01");
    assert_true(resident_group_set(&r, &g));
    field_error fe;
    assert_int_equal(resident_save(f->st, &r, &fe), WS_OK);
    assert_int_equal(resident_delete(f->st, r.id), WS_OK);
    assert_int_equal(resident_restore(f->st, r.id, &fe), WS_OK);
    resident back;
    assert_int_equal(resident_load(f->st, r.id, &back), WS_OK);
    assert_int_equal(back.ngroups, 1);
    assert_string_equal(back.groups[0].code, "dibao");
    assert_string_equal(back.groups[0].start_date, "2020-01-01");
}

static void test_restore_refused_head_taken(void **state)
{
    fixture *f = *state;
    int64_t hid = add_household(f, "H00001", 0);
    int64_t old = add_person(f, "张三", NULL, hid, "head");
    assert_int_equal(resident_delete(f->st, old), WS_OK);
    /* The household got a new head meanwhile. */
    int64_t now = add_person(f, "王五", NULL, hid, "head");
    assert_int_equal(head_of(f, hid), now);

    counts before = count_rows(f);
    field_error fe;
    assert_int_equal(resident_restore(f->st, old, &fe), WS_ERR_INVALID);
    assert_int_equal(fe.field, RF_RELATION);
    assert_int_equal(fe.code, VAL_HEAD_TAKEN);
    assert_string_equal(fe.detail, "王五");
    assert_counts_equal(count_rows(f), before);
    assert_int_equal(head_of(f, hid), now);
    assert_int_equal(found(f, "张三"), 0);

    /* Once 王五 is no longer 户主, 张三 comes back as the head. */
    assert_int_equal(resident_move(f->st, now, hid, "spouse", &fe), WS_OK);
    assert_int_equal(resident_restore(f->st, old, &fe), WS_OK);
    assert_int_equal(head_of(f, hid), old);
}

static void test_restore_refused_id_taken(void **state)
{
    fixture *f = *state;
    char idn[19];
    make_id(idn, "19800202", 12);
    int64_t a = add_person(f, "赵六", idn, 0, NULL);
    assert_int_equal(resident_delete(f->st, a), WS_OK);
    /* A new record with the binned number is refused now (VAL_ID_IN_BIN);
     * a station registered before that rule may hold one: made here by
     * hand, as it was then. */
    resident r;
    resident_init(&r);
    snprintf(r.name, sizeof r.name, "赵陆");
    snprintf(r.id_number, sizeof r.id_number, "%s", idn);
    field_error fe0;
    assert_int_equal(resident_save(f->st, &r, &fe0), WS_ERR_INVALID);
    assert_int_equal(fe0.code, VAL_ID_IN_BIN);
    assert_string_equal(fe0.detail, "赵六");
    char other[19];
    make_id(other, "19800202", 14);
    int64_t b = add_person(f, "赵陆", other, 0, NULL);
    sqlite3 *w = NULL;
    assert_int_equal(sqlite3_open(f->path, &w), SQLITE_OK);
    sqlite3_busy_timeout(w, 5000);
    char *sql = sqlite3_mprintf("UPDATE residents SET id_number = %Q WHERE id = %lld", idn,
                                (long long)b);
    assert_int_equal(sqlite3_exec(w, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_free(sql);
    sqlite3_close(w);

    counts before = count_rows(f);
    field_error fe;
    assert_int_equal(resident_restore(f->st, a, &fe), WS_ERR_INVALID);
    assert_int_equal(fe.field, RF_ID_NUMBER);
    assert_int_equal(fe.code, VAL_DUPLICATE_ID);
    assert_string_equal(fe.detail, "赵陆");
    assert_counts_equal(count_rows(f), before);
    assert_int_equal(found(f, "赵六"), 0);
}

static void test_restore_refused_household_or_community_gone(void **state)
{
    fixture *f = *state;
    int64_t cid = add_community(f, "石桥村");
    int64_t hid = add_household(f, "H00007", 0);
    int64_t a = add_person(f, "孙七", NULL, hid, "head");
    assert_int_equal(resident_delete(f->st, a), WS_OK);
    assert_int_equal(household_delete(f->st, hid), WS_OK);

    counts before = count_rows(f);
    field_error fe;
    assert_int_equal(resident_restore(f->st, a, &fe), WS_ERR_INVALID);
    assert_int_equal(fe.field, RF_HOUSEHOLD);
    assert_int_equal(fe.code, VAL_NOT_FOUND);
    assert_string_equal(fe.detail, "H00007");
    assert_counts_equal(count_rows(f), before);

    record_error re;
    assert_int_equal(record_restore(f->st, &kind_household, hid, &re), WS_OK);
    assert_int_equal(resident_restore(f->st, a, &fe), WS_OK);
    assert_int_equal(head_of(f, hid), a);

    /* A community deleted since. */
    resident r;
    resident_init(&r);
    snprintf(r.name, sizeof r.name, "周八");
    r.community_id = cid;
    assert_int_equal(resident_save(f->st, &r, &fe), WS_OK);
    assert_int_equal(resident_delete(f->st, r.id), WS_OK);
    assert_int_equal(record_delete(f->st, &kind_community, cid, &re), WS_OK);
    before = count_rows(f);
    assert_int_equal(resident_restore(f->st, r.id, &fe), WS_ERR_INVALID);
    assert_int_equal(fe.field, RF_COMMUNITY);
    assert_int_equal(fe.code, VAL_NOT_FOUND);
    assert_string_equal(fe.detail, "石桥村");
    assert_counts_equal(count_rows(f), before);
}

/* wushe reindex numbers deleted residents apart (negative seq): a restore
 * after it still gives the resident a place in the index. */
static void test_restore_after_reindex(void **state)
{
    fixture *f = *state;
    int64_t a = add_person(f, "钱多多", NULL, 0, NULL);
    add_person(f, "钱少少", NULL, 0, NULL);
    assert_int_equal(resident_delete(f->st, a), WS_OK);
    assert_int_equal(search_rebuild(station_db(f->st), NULL, NULL), WS_OK);
    assert_true(raw_int(f, "SELECT seq FROM residents WHERE id = ?1", a) < 0);

    field_error fe;
    assert_int_equal(resident_restore(f->st, a, &fe), WS_OK);
    assert_true(raw_int(f, "SELECT seq FROM residents WHERE id = ?1", a) > 0);
    assert_int_equal(found(f, "钱多多"), 1);
    assert_int_equal(found(f, "qdd"), 1);
    assert_int_equal(found(f, "钱"), 2);
    /* The next new resident gets a number of its own. */
    add_person(f, "钱多", NULL, 0, NULL);
    assert_int_equal(found(f, "钱"), 3);
    assert_int_equal(found(f, "钱多多"), 1);
}

/* ---- the recycle bin's list ---- */

static void test_list_deleted_order_paging_filter(void **state)
{
    fixture *f = *state;
    static const char *const names[] = {"王一", "王二", "李三", "欧阳娜娜", "陈四"};
    int64_t ids[5];
    char idn[5][19];
    for (int i = 0; i < 5; i++) {
        make_id(idn[i], "19700101", 100 + i);
        ids[i] = add_person(f, names[i], idn[i], 0, NULL);
    }
    add_person(f, "王在册", NULL, 0, NULL); /* living: never in the bin */
    for (int i = 0; i < 5; i++) {
        station_set_actor(f->st, i == 2 ? "李会计" : "tester");
        assert_int_equal(resident_delete(f->st, ids[i]), WS_OK);
    }
    station_set_actor(f->st, "tester");

    /* The latest deletion first. */
    resident_deleted_row all[8];
    assert_int_equal(deleted_list(f, "", all, 8), 5);
    for (int i = 0; i < 5; i++)
        assert_int_equal(all[i].row.id, ids[4 - i]);
    assert_string_equal(all[2].deleted_by, "李会计");
    assert_string_equal(all[0].deleted_by, "tester");

    /* Pages of two forward are the list; backward from the end, reversed. */
    resident_deleted_row page[2];
    size_t n = 0, k = 0;
    int64_t after = 0;
    do {
        assert_int_equal(resident_list_deleted(f->st, NULL, after, 1, page, 2, &n), WS_OK);
        for (size_t i = 0; i < n; i++)
            assert_int_equal(page[i].row.id, all[k++].row.id);
        if (n)
            after = page[n - 1].row.id;
    } while (n == 2);
    assert_int_equal(k, 5);
    after = 0;
    do {
        assert_int_equal(resident_list_deleted(f->st, NULL, after, -1, page, 2, &n), WS_OK);
        for (size_t i = 0; i < n; i++)
            assert_int_equal(page[i].row.id, all[--k].row.id);
        if (n)
            after = page[n - 1].row.id;
    } while (n == 2);
    assert_int_equal(k, 0);

    /* The search box: a name, its pinyin and initials, ID digits, address. */
    resident_deleted_row rows[8];
    assert_int_equal(deleted_list(f, "王", rows, 8), 2);
    assert_int_equal(rows[0].row.id, ids[1]);
    assert_int_equal(deleted_list(f, "oyn", rows, 8), 1);
    assert_int_equal(rows[0].row.id, ids[3]);
    assert_int_equal(deleted_list(f, "ouyang n", rows, 8), 1);
    assert_int_equal(deleted_list(f, "歐陽", rows, 8), 1);
    assert_int_equal(deleted_list(f, idn[4] + 13, rows, 8), 1);
    assert_int_equal(rows[0].row.id, ids[4]);
    assert_int_equal(deleted_list(f, "学堂湾", rows, 8), 5);
    assert_int_equal(deleted_list(f, "100%", rows, 8), 0);
    assert_int_equal(deleted_list(f, "赵", rows, 8), 0);
    /* Filtered paging continues after a row. */
    assert_int_equal(resident_list_deleted(f->st, "王", ids[1], 1, rows, 8, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].row.id, ids[0]);
}

/* ---- a household's members in its history ---- */

static void test_household_member_events(void **state)
{
    fixture *f = *state;
    int64_t h1 = add_household(f, "H00001", 0);
    int64_t h2 = add_household(f, "H00002", 0);
    int64_t zhang = add_person(f, "张三", NULL, h1, "head");     /* added to H1 */
    int64_t li = add_person(f, "李四", NULL, 0, NULL);
    field_error fe;
    assert_int_equal(resident_move(f->st, li, h1, "spouse", &fe), WS_OK); /* in: H1 */
    assert_int_equal(resident_move(f->st, li, h2, "head", &fe), WS_OK);   /* H1 -> H2 */
    /* Not a member event: a change of notes. */
    resident r;
    assert_int_equal(resident_load(f->st, zhang, &r), WS_OK);
    snprintf(r.notes, sizeof r.notes, "独居");
    assert_int_equal(resident_save(f->st, &r, &fe), WS_OK);
    assert_int_equal(resident_delete(f->st, zhang), WS_OK);
    assert_int_equal(resident_restore(f->st, zhang, &fe), WS_OK);
    add_person(f, "外人", NULL, 0, NULL);

    member_event ev[16];
    size_t n = 0;
    assert_int_equal(resident_household_events(f->st, h1, ev, 16, &n), WS_OK);
    assert_int_equal(n, 5);
    static const struct {
        member_event_kind kind;
        const char *name, *other;
    } want1[] = {
        {MEMBER_RESTORED, "张三", ""},  {MEMBER_DELETED, "张三", ""},
        {MEMBER_MOVED_OUT, "李四", "H00002"}, {MEMBER_MOVED_IN, "李四", ""},
        {MEMBER_ADDED, "张三", ""},
    };
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(ev[i].kind, want1[i].kind);
        assert_string_equal(ev[i].name, want1[i].name);
        assert_string_equal(ev[i].other, want1[i].other);
        assert_true(ev[i].change.audit_id > 0);
        assert_true(ev[i].change.at[0]);
        assert_string_equal(ev[i].change.actor, "tester");
        if (i)
            assert_true(ev[i].change.audit_id < ev[i - 1].change.audit_id);
    }
    assert_int_equal(ev[0].resident_id, zhang);
    assert_int_equal(ev[2].resident_id, li);

    assert_int_equal(resident_household_events(f->st, h2, ev, 16, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ev[0].kind, MEMBER_MOVED_IN);
    assert_string_equal(ev[0].name, "李四");
    assert_string_equal(ev[0].other, "H00001");
    /* Its details are the resident's change: household and relation. */
    resident_field_change d[24];
    size_t nd = 0;
    assert_int_equal(resident_change_details(f->st, ev[0].change.audit_id, d, 24, &nd), WS_OK);
    bool moved = false;
    for (size_t i = 0; i < nd; i++)
        if (!strcmp(d[i].key, "household_id")) {
            moved = true;
            assert_string_equal(d[i].before, "H00001");
            assert_string_equal(d[i].after, "H00002");
        }
    assert_true(moved);

    /* Paging by max: the newest. */
    assert_int_equal(resident_household_events(f->st, h1, ev, 2, &n), WS_OK);
    assert_int_equal(n, 2);
    assert_int_equal(ev[0].kind, MEMBER_RESTORED);
    assert_int_equal(resident_household_events(f->st, 4242, ev, 16, &n), WS_OK);
    assert_int_equal(n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_restore_brings_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restore_keeps_groups, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restore_refused_head_taken, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restore_refused_id_taken, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restore_refused_household_or_community_gone, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_restore_after_reindex, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_deleted_order_paging_filter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_household_member_events, setup, teardown),
    };
    return testutil_run(tests);
}
