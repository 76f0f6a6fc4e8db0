/* Residents: save/validate/update/delete with their audit rows, group
 * statuses, keyset paging in pinyin order, filters, moves between
 * households, and the demo generator. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "record_internal.h"
#include "station_internal.h"
#include "wushe/catalog.h"
#include "wushe/community.h"
#include "wushe/demo.h"
#include "wushe/household.h"
#include "wushe/resident.h"
#include "wushe/text.h"

#define TODAY "2026-11-23"

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

/* ---- raw SQL on the file ---- */





typedef struct counts {
    int64_t residents, groups, audit, households;
} counts;

static counts count_rows(fixture *f)
{
    counts c;
    c.residents = raw_int(f, "SELECT count(*) FROM residents", 0);
    c.groups = raw_int(f, "SELECT count(*) FROM resident_groups", 0);
    c.audit = raw_int(f, "SELECT count(*) FROM audit_log", 0);
    c.households = raw_int(f, "SELECT count(*) FROM households", 0);
    return c;
}

static void assert_counts_equal(counts a, counts b)
{
    assert_int_equal(a.residents, b.residents);
    assert_int_equal(a.groups, b.groups);
    assert_int_equal(a.audit, b.audit);
    assert_int_equal(a.households, b.households);
}

/* ---- building residents ---- */

/* A valid 18-character ID number of region 510902, birth YYYYMMDD, sequence
 * seq (odd = male). */
static void make_id(char out[19], const char *ymd, int seq)
{
    char d17[18];
    snprintf(d17, sizeof d17, "510902%.8s%03d", ymd, seq % 1000);
    memcpy(out, d17, 17);
    out[17] = val_id_check_char(d17);
    out[18] = '\0';
}

static void person(resident *r, const char *name, const char *id_number)
{
    resident_init(r);
    snprintf(r->name, sizeof r->name, "%s", name);
    snprintf(r->id_number, sizeof r->id_number, "%s", id_number ? id_number : "");
}

static int64_t save_ok(fixture *f, resident *r)
{
    field_error fe;
    ws_status s = resident_save(f->st, r, &fe);
    if (s != WS_OK)
        fail_msg("resident_save(%s): %s field %d code %s detail '%s'", r->name, ws_status_name(s),
                 (int)fe.field, val_status_key(fe.code), fe.detail);
    assert_true(r->id > 0);
    return r->id;
}

static int64_t add_person(fixture *f, const char *name, const char *id_number)
{
    resident r;
    person(&r, name, id_number);
    return save_ok(f, &r);
}

static int64_t add_community(fixture *f, const char *name)
{
    community c;
    memset(&c, 0, sizeof c);
    snprintf(c.name, sizeof c.name, "%s", name);
    record_error why;
    assert_int_equal(community_save(f->st, &c, &why), WS_OK);
    assert_true(c.id > 0);
    return c.id;
}

static int64_t add_household(fixture *f, const char *number, int64_t community_id)
{
    household h;
    household_init(&h);
    snprintf(h.number, sizeof h.number, "%s", number);
    h.community_id = community_id;
    household_error he;
    assert_int_equal(household_save(f->st, &h, &he), WS_OK);
    assert_true(h.id > 0);
    return h.id;
}

/* ---- save ---- */

static void test_save_new(void **state)
{
    fixture *f = *state;
    resident r;
    person(&r, " 张三　", "11010519491231002x");
    snprintf(r.phone, sizeof r.phone, "138-0013-8000");
    snprintf(r.ethnicity, sizeof r.ethnicity, "01");
    snprintf(r.address, sizeof r.address, "学堂湾路12号");
    field_error fe;
    assert_int_equal(resident_save(f->st, &r, &fe), WS_OK);
    assert_int_equal(fe.field, RF_NONE);
    assert_true(r.id > 0);
    /* normalised in place, sex and birth filled from the ID number */
    assert_string_equal(r.name, "张三");
    assert_string_equal(r.id_number, "11010519491231002X");
    assert_int_equal(r.sex, SEX_FEMALE);
    assert_string_equal(r.birth_date, "1949-12-31");
    assert_string_equal(r.phone, "13800138000");

    resident l;
    assert_int_equal(resident_load(f->st, r.id, &l), WS_OK);
    assert_int_equal(l.id, r.id);
    assert_string_equal(l.name, "张三");
    assert_string_equal(l.id_number, "11010519491231002X");
    assert_int_equal(l.sex, SEX_FEMALE);
    assert_string_equal(l.birth_date, "1949-12-31");
    assert_string_equal(l.phone, "13800138000");
    assert_string_equal(l.ethnicity, "01");
    assert_string_equal(l.address, "学堂湾路12号");
    assert_int_equal(l.community_id, 0);
    assert_int_equal(l.household_id, 0);
    assert_int_equal(l.ngroups, 0);

    /* what sqlite3 sees in the file */
    assert_raw_text(f, "SELECT id_number FROM residents WHERE id = ?1", r.id, "11010519491231002X");
    assert_raw_text(f, "SELECT name_pinyin FROM residents WHERE id = ?1", r.id, "zhangsan");
    assert_raw_text(f, "SELECT name_initials FROM residents WHERE id = ?1", r.id, "zs");
    assert_raw_text(f, "SELECT deleted_at FROM residents WHERE id = ?1", r.id, "(null)");
    assert_int_equal(raw_int(f, "SELECT community_id IS NULL AND household_id IS NULL"
                                " FROM residents WHERE id = ?1", r.id), 1);
    assert_int_equal(raw_int(f, "SELECT length(sort_key) > 0 FROM residents WHERE id = ?1", r.id), 1);
    assert_int_equal(raw_int(f, "SELECT created_at GLOB '20[0-9][0-9]-*T*Z' AND created_at = updated_at"
                                " FROM residents WHERE id = ?1", r.id), 1);
    /* one audit row: insert, no before, after is the row */
    assert_int_equal(raw_int(f, "SELECT count(*) FROM audit_log", 0), 1);
    assert_raw_text(f, "SELECT action || ' ' || actor || ' ' || table_name FROM audit_log"
                       " WHERE row_id = ?1", r.id, "insert tester residents");
    assert_raw_text(f, "SELECT before FROM audit_log WHERE row_id = ?1", r.id, "(null)");
    assert_raw_text(f, "SELECT json_extract(after, '$.name') FROM audit_log WHERE row_id = ?1",
                    r.id, "张三");
    assert_raw_text(f, "SELECT json_extract(after, '$.id_number') FROM audit_log WHERE row_id = ?1",
                    r.id, "11010519491231002X");
    assert_int_equal(raw_int(f, "SELECT json_extract(after, '$.id') FROM audit_log"
                                " WHERE row_id = ?1", r.id), r.id);

    int64_t n = -1;
    assert_int_equal(resident_count(f->st, NULL, &n), WS_OK);
    assert_int_equal(n, 1);

    /* a 15-digit number is upgraded on save; a matching typed birth date in
     * another format is normalised */
    char want[19];
    make_id(want, "19800101", 1);
    resident o;
    person(&o, "王五", "510902800101001");
    snprintf(o.birth_date, sizeof o.birth_date, "1980年1月1日");
    assert_int_equal(resident_save(f->st, &o, &fe), WS_OK);
    assert_string_equal(o.id_number, want);
    assert_string_equal(o.birth_date, "1980-01-01");
    assert_int_equal(o.sex, SEX_MALE);
    assert_raw_text(f, "SELECT id_number FROM residents WHERE id = ?1", o.id, want);
    assert_raw_text(f, "SELECT birth_date FROM residents WHERE id = ?1", o.id, "1980-01-01");

    /* no ID number at all is allowed (stored as NULL, not ''), so is a birth
     * date on its own */
    resident p;
    person(&p, "无名氏", NULL);
    snprintf(p.birth_date, sizeof p.birth_date, "2001.2.3");
    assert_int_equal(resident_save(f->st, &p, &fe), WS_OK);
    assert_int_equal(p.sex, SEX_UNKNOWN);
    assert_int_equal(raw_int(f, "SELECT id_number IS NULL FROM residents WHERE id = ?1", p.id), 1);
    assert_raw_text(f, "SELECT birth_date FROM residents WHERE id = ?1", p.id, "2001-02-03");
    /* two residents without an ID number are not duplicates of each other */
    person(&p, "无名氏", NULL);
    assert_int_equal(resident_save(f->st, &p, &fe), WS_OK);
    assert_int_equal(resident_count(f->st, NULL, &n), WS_OK);
    assert_int_equal(n, 4);

    assert_int_equal(resident_load(f->st, 12345, &l), WS_ERR_NOT_FOUND);
}

/* ---- validation ---- */

typedef struct bad_case {
    const char *what;
    const char *name;
    const char *id_number;
    int sex;
    const char *birth;
    const char *phone;
    const char *ethnicity;
    const char *relation;
    int64_t community_id;
    int64_t household_id;
    const char *address;
    resident_field field;
    val_status code;
} bad_case;

static void test_validation_writes_nothing(void **state)
{
    fixture *f = *state;
    add_person(f, "已有", "440524188001010014");
    char longname[3 * (RESIDENT_NAME_CHARS + 1) + 1] = "";
    for (int i = 0; i <= RESIDENT_NAME_CHARS; i++)
        strcat(longname, "张");
    const bad_case cases[] = {
        {"check digit", "张三", "110105194912310021", 0, "", "", "", "", 0, 0, "",
         RF_ID_NUMBER, VAL_ID_CHECK},
        {"id length", "张三", "1101051949123100", 0, "", "", "", "", 0, 0, "",
         RF_ID_NUMBER, VAL_ID_LENGTH},
        {"empty name", "", "11010519491231002X", 0, "", "", "", "", 0, 0, "",
         RF_NAME, VAL_REQUIRED},
        {"spaces name", "   ", "11010519491231002X", 0, "", "", "", "", 0, 0, "",
         RF_NAME, VAL_REQUIRED},
        {"ideographic spaces", "\u3000 \u3000", "11010519491231002X", 0, "", "", "", "", 0, 0, "",
         RF_NAME, VAL_REQUIRED},
        {"escape in name", "张\x1b[31m三", "11010519491231002X", 0, "", "", "", "", 0, 0, "",
         RF_NAME, VAL_CONTROL},
        {"name too long", longname, "", 0, "", "", "", "", 0, 0, "", RF_NAME, VAL_TOO_LONG},
        {"phone", "张三", "11010519491231002X", 0, "", "12345", "", "", 0, 0, "",
         RF_PHONE, VAL_PHONE},
        {"sex mismatch", "张三", "11010519491231002X", SEX_MALE, "", "", "", "", 0, 0, "",
         RF_SEX, VAL_SEX_MISMATCH},
        {"sex code", "张三", "", 7, "", "", "", "", 0, 0, "", RF_SEX, VAL_UNKNOWN_CODE},
        {"birth mismatch", "张三", "11010519491231002X", 0, "1950-01-01", "", "", "", 0, 0, "",
         RF_BIRTH_DATE, VAL_BIRTH_MISMATCH},
        {"future birth", "张三", "", 0, "2026-11-24", "", "", "", 0, 0, "",
         RF_BIRTH_DATE, VAL_DATE_FUTURE},
        {"no such date", "张三", "", 0, "2026-02-30", "", "", "", 0, 0, "",
         RF_BIRTH_DATE, VAL_DATE_INVALID},
        {"bad birth with id", "张三", "11010519491231002X", 0, "31/12/1949", "", "", "", 0, 0, "",
         RF_BIRTH_DATE, VAL_DATE_FORMAT},
        {"ethnicity", "张三", "", 0, "", "", "99", "", 0, 0, "", RF_ETHNICITY, VAL_UNKNOWN_CODE},
        {"relation", "张三", "", 0, "", "", "", "boss", 0, 0, "", RF_RELATION, VAL_UNKNOWN_CODE},
        {"community", "张三", "", 0, "", "", "", "", 424242, 0, "", RF_COMMUNITY, VAL_NOT_FOUND},
        {"household", "张三", "", 0, "", "", "", "", 0, 424242, "", RF_HOUSEHOLD, VAL_NOT_FOUND},
        {"address", "张三", "", 0, "", "", "", "", 0, 0, "一组\x07", RF_ADDRESS, VAL_CONTROL},
        {"duplicate", "张三", "440524188001010014", 0, "", "", "", "", 0, 0, "",
         RF_ID_NUMBER, VAL_DUPLICATE_ID},
    };
    counts before = count_rows(f);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const bad_case *c = &cases[i];
        resident r;
        person(&r, c->name, c->id_number);
        r.sex = c->sex;
        snprintf(r.birth_date, sizeof r.birth_date, "%s", c->birth);
        snprintf(r.phone, sizeof r.phone, "%s", c->phone);
        snprintf(r.ethnicity, sizeof r.ethnicity, "%s", c->ethnicity);
        snprintf(r.relation, sizeof r.relation, "%s", c->relation);
        snprintf(r.address, sizeof r.address, "%s", c->address);
        r.community_id = c->community_id;
        r.household_id = c->household_id;
        field_error fe;
        memset(&fe, 0x7f, sizeof fe);
        ws_status s = resident_save(f->st, &r, &fe);
        if (s != WS_ERR_INVALID || fe.field != (int)c->field || fe.code != c->code)
            fail_msg("%s: %s field %d code %s, want field %d code %s", c->what,
                     ws_status_name(s), (int)fe.field, val_status_key(fe.code), (int)c->field,
                     val_status_key(c->code));
        assert_int_equal(r.id, 0); /* still a new record */
        assert_string_equal(fe.detail, c->code == VAL_DUPLICATE_ID ? "已有" : "");
        /* the catalog has a message for it */
        assert_string_not_equal(tr(val_status_key(fe.code)), val_status_key(fe.code));
        /* the form keeps what was typed */
        if (c->field != RF_NAME)
            assert_string_equal(r.name, c->name);
        if (c->field == RF_NAME && c->code == VAL_CONTROL)
            assert_string_equal(r.name, "张\x1b[31m三");
        if (c->field == RF_PHONE)
            assert_string_equal(r.phone, c->phone);
        /* resident_validate alone agrees */
        person(&r, c->name, c->id_number);
        r.sex = c->sex;
        snprintf(r.birth_date, sizeof r.birth_date, "%s", c->birth);
        snprintf(r.phone, sizeof r.phone, "%s", c->phone);
        snprintf(r.ethnicity, sizeof r.ethnicity, "%s", c->ethnicity);
        snprintf(r.relation, sizeof r.relation, "%s", c->relation);
        snprintf(r.address, sizeof r.address, "%s", c->address);
        r.community_id = c->community_id;
        r.household_id = c->household_id;
        assert_int_equal(resident_validate(f->st, &r, &fe), WS_ERR_INVALID);
        assert_int_equal(fe.field, c->field);
        assert_int_equal(fe.code, c->code);
        assert_counts_equal(count_rows(f), before);
    }
    int64_t n;
    assert_int_equal(resident_count(f->st, NULL, &n), WS_OK);
    assert_int_equal(n, 1);

    /* a failed update leaves the stored row and the audit log alone */
    resident r;
    int64_t id = add_person(f, "李四", "11010519491231002X");
    before = count_rows(f);
    assert_int_equal(resident_load(f->st, id, &r), WS_OK);
    snprintf(r.name, sizeof r.name, "李四改");
    snprintf(r.phone, sizeof r.phone, "999");
    field_error fe;
    assert_int_equal(resident_save(f->st, &r, &fe), WS_ERR_INVALID);
    assert_int_equal(fe.field, RF_PHONE);
    assert_int_equal(r.id, id);
    assert_counts_equal(count_rows(f), before);
    assert_raw_text(f, "SELECT name FROM residents WHERE id = ?1", id, "李四");
    assert_raw_text(f, "SELECT phone FROM residents WHERE id = ?1", id, "");

    /* saving an id that does not exist is NOT_FOUND, nothing written */
    person(&r, "幽灵", NULL);
    r.id = 424242;
    assert_int_equal(resident_save(f->st, &r, &fe), WS_ERR_NOT_FOUND);
    assert_int_equal(r.id, 424242);
    assert_counts_equal(count_rows(f), before);
}

/* ---- duplicates ---- */

static void test_duplicate_id_number(void **state)
{
    fixture *f = *state;
    int64_t first = add_person(f, "张三", "11010519491231002X");
    counts before = count_rows(f);
    /* the same number typed in other ways: lower-case x, spaces, 15 digits */
    const char *const forms[] = {"11010519491231002X", "11010519491231002x",
                                 "110105 19491231 002X", "110105491231002"};
    for (size_t i = 0; i < 4; i++) {
        resident r;
        person(&r, "张三妹", forms[i]);
        field_error fe;
        assert_int_equal(resident_save(f->st, &r, &fe), WS_ERR_INVALID);
        assert_int_equal(fe.field, RF_ID_NUMBER);
        assert_int_equal(fe.code, VAL_DUPLICATE_ID);
        assert_string_equal(fe.detail, "张三"); /* who holds it */
        assert_int_equal(r.id, 0);
    }
    assert_counts_equal(count_rows(f), before);

    /* saving the holder itself again is not a duplicate */
    resident self;
    assert_int_equal(resident_load(f->st, first, &self), WS_OK);
    field_error fe;
    assert_int_equal(resident_save(f->st, &self, &fe), WS_OK);

    /* changing another resident's number to the taken one is refused */
    int64_t other = add_person(f, "李四", "440524188001010014");
    resident o;
    assert_int_equal(resident_load(f->st, other, &o), WS_OK);
    snprintf(o.id_number, sizeof o.id_number, "11010519491231002x");
    o.sex = SEX_UNKNOWN;
    o.birth_date[0] = '\0';
    assert_int_equal(resident_save(f->st, &o, &fe), WS_ERR_INVALID);
    assert_int_equal(fe.code, VAL_DUPLICATE_ID);
    assert_string_equal(fe.detail, "张三");
    assert_raw_text(f, "SELECT id_number FROM residents WHERE id = ?1", other, "440524188001010014");

    /* After the holder is (soft) deleted, the number is still theirs, in
     * the 回收站: registering it again is refused, naming them (the
     * deleted one could never be restored beside a second record). */
    assert_int_equal(resident_delete(f->st, first), WS_OK);
    resident r;
    person(&r, "张三", "11010519491231002x");
    assert_int_equal(resident_save(f->st, &r, &fe), WS_ERR_INVALID);
    assert_int_equal(fe.field, RF_ID_NUMBER);
    assert_int_equal(fe.code, VAL_ID_IN_BIN);
    assert_string_equal(fe.detail, "张三");
    assert_int_equal(r.id, 0);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM residents WHERE id_number = '11010519491231002X'",
                             0), 1);
    /* Nor is it another's by a change of number; others still save; the
     * holder restored has it again, taken. */
    assert_int_equal(resident_save(f->st, &o, &fe), WS_ERR_INVALID);
    assert_int_equal(fe.code, VAL_ID_IN_BIN);
    assert_int_equal(resident_load(f->st, other, &o), WS_OK);
    assert_int_equal(resident_save(f->st, &o, &fe), WS_OK);
    assert_int_equal(resident_restore(f->st, first, &fe), WS_OK);
    person(&r, "张三", "11010519491231002X");
    assert_int_equal(resident_save(f->st, &r, &fe), WS_ERR_INVALID);
    assert_int_equal(fe.code, VAL_DUPLICATE_ID);
}

/* ---- update and delete ---- */

static void test_update_audit(void **state)
{
    fixture *f = *state;
    int64_t id = add_person(f, "张三", "11010519491231002X");
    resident r;
    assert_int_equal(resident_load(f->st, id, &r), WS_OK);
    snprintf(r.name, sizeof r.name, "张三丰");
    snprintf(r.phone, sizeof r.phone, "(010) 6552-9988");
    snprintf(r.notes, sizeof r.notes, "备注：行动不便");
    counts before = count_rows(f);
    field_error fe;
    assert_int_equal(resident_save(f->st, &r, &fe), WS_OK);
    assert_int_equal(r.id, id);
    assert_string_equal(r.phone, "010-65529988");
    counts after = count_rows(f);
    assert_int_equal(after.residents, before.residents); /* updated, not inserted */
    assert_int_equal(after.audit, before.audit + 1);

    resident l;
    assert_int_equal(resident_load(f->st, id, &l), WS_OK);
    assert_string_equal(l.name, "张三丰");
    assert_string_equal(l.phone, "010-65529988");
    assert_string_equal(l.notes, "备注：行动不便");

    const char *q = "SELECT %s FROM audit_log WHERE table_name = 'residents' AND row_id = ?1"
                    " AND action = 'update'";
    char sql[512];
    snprintf(sql, sizeof sql, q, "count(*)");
    assert_int_equal(raw_int(f, sql, id), 1);
    snprintf(sql, sizeof sql, q, "json_extract(before, '$.name')");
    assert_raw_text(f, sql, id, "张三");
    snprintf(sql, sizeof sql, q, "json_extract(after, '$.name')");
    assert_raw_text(f, sql, id, "张三丰");
    snprintf(sql, sizeof sql, q, "json_extract(before, '$.phone')");
    assert_raw_text(f, sql, id, "");
    snprintf(sql, sizeof sql, q, "json_extract(after, '$.phone')");
    assert_raw_text(f, sql, id, "010-65529988");
    snprintf(sql, sizeof sql, q, "actor");
    assert_raw_text(f, sql, id, "tester");
    /* derived columns follow the new name */
    assert_raw_text(f, "SELECT name_pinyin FROM residents WHERE id = ?1", id, "zhangsanfeng");
    int64_t n;
    assert_int_equal(resident_count(f->st, "zsf", &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(resident_count(f->st, "65529988", &n), WS_OK);
    assert_int_equal(n, 1);

    /* the actor is whoever is set now */
    station_set_actor(f->st, "社工小王");
    assert_string_equal(station_actor(f->st), "社工小王");
    snprintf(r.address, sizeof r.address, "新地址");
    assert_int_equal(resident_save(f->st, &r, &fe), WS_OK);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM audit_log WHERE row_id = ?1"
                                " AND actor = '社工小王' AND json_extract(after, '$.address') = '新地址'"
                                " AND json_extract(before, '$.address') = ''", id), 1);
}

static void test_delete_soft(void **state)
{
    fixture *f = *state;
    int64_t keep = add_person(f, "李四", "440524188001010014");
    resident r;
    person(&r, "张三", "11010519491231002X");
    resident_group g;
    memset(&g, 0, sizeof g);
    snprintf(g.code, sizeof g.code, "dibao");
    assert_true(resident_group_set(&r, &g));
    int64_t id = save_ok(f, &r);

    counts before = count_rows(f);
    assert_int_equal(resident_delete(f->st, id), WS_OK);
    counts after = count_rows(f);
    /* the row and its groups stay; one audit row */
    assert_int_equal(after.residents, before.residents);
    assert_int_equal(after.groups, before.groups);
    assert_int_equal(after.audit, before.audit + 1);
    assert_int_equal(raw_int(f, "SELECT deleted_at IS NOT NULL FROM residents WHERE id = ?1", id), 1);
    assert_raw_text(f, "SELECT name FROM residents WHERE id = ?1", id, "张三");
    assert_raw_text(f, "SELECT action FROM audit_log WHERE row_id = ?1 ORDER BY id DESC LIMIT 1",
                    id, "delete");
    assert_int_equal(raw_int(f, "SELECT json_extract(before, '$.deleted_at') IS NULL"
                                " AND json_extract(after, '$.deleted_at') IS NOT NULL"
                                " AND json_extract(after, '$.name') = '张三'"
                                " FROM audit_log WHERE row_id = ?1 AND action = 'delete'", id), 1);

    resident l;
    assert_int_equal(resident_load(f->st, id, &l), WS_ERR_NOT_FOUND);
    assert_int_equal(resident_load(f->st, keep, &l), WS_OK);
    resident_row rows[10];
    size_t n = 99;
    assert_int_equal(resident_list(f->st, NULL, 0, 1, rows, 10, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, keep);
    assert_int_equal(resident_list(f->st, "张三", 0, 1, rows, 10, &n), WS_OK);
    assert_int_equal(n, 0);
    int64_t cnt;
    assert_int_equal(resident_count(f->st, NULL, &cnt), WS_OK);
    assert_int_equal(cnt, 1);
    station_stats stats;
    assert_int_equal(station_stats_get(f->st, &stats), WS_OK);
    assert_int_equal(stats.residents, 1);
    assert_string_equal(stats.group_code[0], "dibao");
    assert_int_equal(stats.group_count[0], 0); /* the deleted one is not counted */

    /* twice, or an unknown id: NOT_FOUND and nothing written */
    before = count_rows(f);
    assert_int_equal(resident_delete(f->st, id), WS_ERR_NOT_FOUND);
    assert_int_equal(resident_delete(f->st, 424242), WS_ERR_NOT_FOUND);
    assert_counts_equal(count_rows(f), before);
    /* an update of a deleted resident does not bring it back */
    field_error fe;
    snprintf(r.name, sizeof r.name, "张三复活");
    assert_int_equal(resident_save(f->st, &r, &fe), WS_ERR_NOT_FOUND);
    assert_counts_equal(count_rows(f), before);
    assert_raw_text(f, "SELECT name FROM residents WHERE id = ?1", id, "张三");
}

/* ---- groups ---- */

/* The audit row is written from the resident in hand: its statuses in the
 * order SQLite reads them back (by code), whatever order they were ticked
 * in, with empty dates as null. */
static void test_groups_audit_as_read_back(void **state)
{
    fixture *f = *state;
    resident r;
    person(&r, "钱七", "11010519491231002X");
    snprintf(r.notes, sizeof r.notes, "他说\"老\\伴\"\n走了");
    const char *codes[] = {"empty_nest", "dibao", "disabled"};
    for (size_t i = 0; i < 3; i++) {
        resident_group g;
        memset(&g, 0, sizeof g);
        snprintf(g.code, sizeof g.code, "%s", codes[i]);
        if (i == 1)
            snprintf(g.start_date, sizeof g.start_date, "2020-03-01");
        if (i == 2)
            snprintf(g.disability_type, sizeof g.disability_type, "4");
        assert_true(resident_group_set(&r, &g));
    }
    int64_t id = save_ok(f, &r);
    for (int pass = 0; pass < 2; pass++) {
        char after[4096], *back = NULL;
        raw_text(f, "SELECT after FROM audit_log WHERE row_id = ?1 ORDER BY id DESC LIMIT 1", id,
                 after, sizeof after);
        assert_int_equal(record_audit_snapshot(f->st, &kind_resident, id, &back), WS_OK);
        assert_string_equal(after, back);
        assert_non_null(strstr(after, "\"groups\":[{\"code\":\"dibao\""));
        free(back);
        /* ... and on an update that unticks one and ticks another */
        resident l;
        assert_int_equal(resident_load(f->st, id, &l), WS_OK);
        resident_group_remove(&l, "empty_nest");
        resident_group g;
        memset(&g, 0, sizeof g);
        snprintf(g.code, sizeof g.code, "dibao_edge");
        assert_true(resident_group_set(&l, &g));
        field_error fe;
        if (pass == 0)
            assert_int_equal(resident_save(f->st, &l, &fe), WS_OK);
    }
}

static void test_groups(void **state)
{
    fixture *f = *state;
    resident r;
    person(&r, "赵六", "11010519491231002X");
    resident_group g;
    memset(&g, 0, sizeof g);
    snprintf(g.code, sizeof g.code, "dibao");
    snprintf(g.start_date, sizeof g.start_date, "2020/3/1");
    snprintf(g.review_date, sizeof g.review_date, "2027-03-01"); /* may be in the future */
    snprintf(g.cert_no, sizeof g.cert_no, " DB-2020-001 ");
    assert_true(resident_group_set(&r, &g));
    memset(&g, 0, sizeof g);
    snprintf(g.code, sizeof g.code, "disabled");
    snprintf(g.start_date, sizeof g.start_date, "2019-05-20");
    snprintf(g.disability_type, sizeof g.disability_type, "4");
    snprintf(g.disability_grade, sizeof g.disability_grade, "2");
    assert_true(resident_group_set(&r, &g));
    memset(&g, 0, sizeof g);
    snprintf(g.code, sizeof g.code, "empty_nest");
    snprintf(g.disability_type, sizeof g.disability_type, "4"); /* dropped: not a disability */
    assert_true(resident_group_set(&r, &g));
    assert_int_equal(r.ngroups, 3);
    int64_t id = save_ok(f, &r);

    resident l;
    assert_int_equal(resident_load(f->st, id, &l), WS_OK);
    assert_int_equal(l.ngroups, 3);
    resident_group *d = resident_group_find(&l, "dibao");
    assert_non_null(d);
    assert_string_equal(d->start_date, "2020-03-01");
    assert_string_equal(d->review_date, "2027-03-01");
    assert_string_equal(d->cert_no, "DB-2020-001");
    assert_string_equal(d->disability_type, "");
    resident_group *dis = resident_group_find(&l, "disabled");
    assert_non_null(dis);
    assert_string_equal(dis->start_date, "2019-05-20");
    assert_string_equal(dis->review_date, "");
    assert_string_equal(dis->disability_type, "4");
    assert_string_equal(dis->disability_grade, "2");
    resident_group *en = resident_group_find(&l, "empty_nest");
    assert_non_null(en);
    assert_string_equal(en->disability_type, "");
    assert_string_equal(en->start_date, "");
    assert_int_equal(raw_int(f, "SELECT start_date IS NULL AND review_date IS NULL"
                                " FROM resident_groups WHERE resident_id = ?1"
                                " AND group_code = 'empty_nest'", id), 1);
    /* the audit row carries the groups */
    assert_int_equal(raw_int(f, "SELECT json_array_length(json_extract(after, '$.groups'))"
                                " FROM audit_log WHERE row_id = ?1", id), 3);
    /* lists show the codes */
    resident_row row;
    size_t n;
    assert_int_equal(resident_list(f->st, NULL, 0, 1, &row, 1, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_non_null(strstr(row.groups, "dibao"));
    assert_non_null(strstr(row.groups, "disabled"));
    assert_non_null(strstr(row.groups, "empty_nest"));

    /* setting an existing code replaces it; removing drops it */
    memset(&g, 0, sizeof g);
    snprintf(g.code, sizeof g.code, "disabled");
    snprintf(g.disability_type, sizeof g.disability_type, "7");
    snprintf(g.disability_grade, sizeof g.disability_grade, "1");
    assert_true(resident_group_set(&l, &g));
    resident_group_remove(&l, "dibao");
    resident_group_remove(&l, "no_such");
    assert_int_equal(l.ngroups, 2);
    field_error fe;
    assert_int_equal(resident_save(f->st, &l, &fe), WS_OK);
    resident l2;
    assert_int_equal(resident_load(f->st, id, &l2), WS_OK);
    assert_int_equal(l2.ngroups, 2);
    assert_null(resident_group_find(&l2, "dibao"));
    assert_string_equal(resident_group_find(&l2, "disabled")->disability_type, "7");
    assert_int_equal(raw_int(f, "SELECT count(*) FROM resident_groups WHERE resident_id = ?1", id), 2);
    assert_int_equal(raw_int(f, "SELECT json_array_length(json_extract(before, '$.groups'))"
                                " * 10 + json_array_length(json_extract(after, '$.groups'))"
                                " FROM audit_log WHERE row_id = ?1 AND action = 'update'", id), 32);

    station_stats stats;
    assert_int_equal(station_stats_get(f->st, &stats), WS_OK);
    for (size_t i = 0; i < stats.ngroups; i++) {
        int64_t want = strcmp(stats.group_code[i], "disabled") == 0 ||
                       strcmp(stats.group_code[i], "empty_nest") == 0;
        assert_int_equal(stats.group_count[i], want);
    }

    /* bad group data: the field and index are named, nothing written */
    counts before = count_rows(f);
    struct {
        const char *code, *start, *review, *type, *grade;
        resident_field field;
        val_status v;
    } bad[] = {
        {"vip", "", "", "", "", RF_GROUPS, VAL_UNKNOWN_CODE},
        {"dibao", "2027-01-01", "", "", "", RF_GROUP_START, VAL_DATE_FUTURE},
        {"dibao", "2020-13-01", "", "", "", RF_GROUP_START, VAL_DATE_INVALID},
        {"dibao", "", "someday", "", "", RF_GROUP_REVIEW, VAL_DATE_FORMAT},
        {"disabled", "", "", "9", "1", RF_GROUP_DISABILITY, VAL_UNKNOWN_CODE},
        {"disabled", "", "", "1", "5", RF_GROUP_DISABILITY, VAL_UNKNOWN_CODE},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        resident b;
        assert_int_equal(resident_load(f->st, id, &b), WS_OK);
        memset(&g, 0, sizeof g);
        snprintf(g.code, sizeof g.code, "%s", bad[i].code);
        snprintf(g.start_date, sizeof g.start_date, "%s", bad[i].start);
        snprintf(g.review_date, sizeof g.review_date, "%s", bad[i].review);
        snprintf(g.disability_type, sizeof g.disability_type, "%s", bad[i].type);
        snprintf(g.disability_grade, sizeof g.disability_grade, "%s", bad[i].grade);
        resident_group_remove(&b, g.code);
        assert_true(resident_group_set(&b, &g));
        size_t idx = b.ngroups - 1;
        assert_int_equal(resident_save(f->st, &b, &fe), WS_ERR_INVALID);
        if (fe.field != (int)bad[i].field || fe.code != bad[i].v || fe.index != idx)
            fail_msg("group case %zu: field %d code %s index %zu", i, (int)fe.field,
                     val_status_key(fe.code), fe.index);
        assert_counts_equal(count_rows(f), before);
    }
    /* a new resident with an unknown group is not created */
    person(&r, "钱七", NULL);
    memset(&g, 0, sizeof g);
    snprintf(g.code, sizeof g.code, "unknown_group");
    resident_group_set(&r, &g);
    assert_int_equal(resident_save(f->st, &r, &fe), WS_ERR_INVALID);
    assert_int_equal(fe.field, RF_GROUPS);
    assert_int_equal(fe.index, 0);
    assert_int_equal(fe.code, VAL_UNKNOWN_CODE);
    assert_int_equal(r.id, 0);
    assert_counts_equal(count_rows(f), before);

    /* the struct holds at most RESIDENT_MAX_GROUPS */
    resident full;
    resident_init(&full);
    for (int i = 0; i < RESIDENT_MAX_GROUPS; i++) {
        memset(&g, 0, sizeof g);
        snprintf(g.code, sizeof g.code, "g%d", i);
        assert_true(resident_group_set(&full, &g));
    }
    snprintf(g.code, sizeof g.code, "one_more");
    assert_false(resident_group_set(&full, &g));
    assert_int_equal(full.ngroups, RESIDENT_MAX_GROUPS);
}

/* ---- lists ---- */

static const char *const surnames[] = {"阿", "白", "蔡", "陈", "邓", "范",
                                       "高", "韩", "金", "李", "张", "赵"};
static const char *const givens[] = {"安", "波", "成", "东", "芳", "三"}; /* an bo cheng dong fang san */

typedef struct entry {
    int s, g, seq;
    char name[32];
    char id_number[19];
    char phone[16];
    int64_t id;
} entry;

static int entry_cmp(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    if (x->s != y->s)
        return x->s - y->s;
    if (x->g != y->g)
        return x->g - y->g;
    return x->seq - y->seq; /* saved earlier = smaller id */
}

enum { NGRID = 12 * 5, NENTRIES = NGRID + 2 };

/* 12 surnames x 5 given names, plus 张三 twice; saved in a scrambled order. */
static void make_register(fixture *f, entry *e)
{
    for (int i = 0; i < NENTRIES; i++) {
        entry *x = &e[i];
        memset(x, 0, sizeof *x);
        if (i < NGRID) {
            x->s = i / 5;
            x->g = i % 5;
        } else {
            x->s = 10; /* 张 */
            x->g = 5;  /* 三 */
        }
        snprintf(x->name, sizeof x->name, "%s%s", surnames[x->s], givens[x->g]);
        char ymd[9];
        snprintf(ymd, sizeof ymd, "%04d%02d%02d", 1940 + i, 1 + i % 12, 1 + i % 28);
        make_id(x->id_number, ymd, 100 + i);
        snprintf(x->phone, sizeof x->phone, "1390000%04d", 17 * i + 3);
    }
    for (int k = 0; k < NENTRIES; k++) {
        int i = (k * 25 + 11) % NENTRIES; /* 25 is prime to 62 */
        entry *x = &e[i];
        x->seq = k;
        resident r;
        person(&r, x->name, x->id_number);
        snprintf(r.phone, sizeof r.phone, "%s", x->phone);
        x->id = save_ok(f, &r);
    }
    qsort(e, NENTRIES, sizeof e[0], entry_cmp);
}

/* The whole unfiltered list, seven rows a page, in direction dir. */
static size_t page_through(fixture *f, int dir, int64_t *got, size_t cap)
{
    resident_row rows[7];
    size_t total = 0, n = 0;
    int64_t after = 0;
    int pages = 0;
    do {
        assert_int_equal(resident_list(f->st, NULL, after, dir, rows, 7, &n), WS_OK);
        assert_true(n <= 7);
        for (size_t i = 0; i < n; i++) {
            assert_true(total < cap);
            got[total++] = rows[i].id;
        }
        if (n)
            after = rows[n - 1].id;
        assert_true(++pages < 20);
    } while (n == 7);
    return total;
}

static void test_list_paging(void **state)
{
    fixture *f = *state;
    entry e[NENTRIES];
    make_register(f, e);

    /* forward with max = 7 */
    resident_row rows[7];
    int64_t got[NENTRIES + 8];
    size_t n = 0;
    assert_int_equal(page_through(f, 1, got, NENTRIES), NENTRIES);
    for (int i = 0; i < NENTRIES; i++)
        if (got[i] != e[i].id)
            fail_msg("forward position %d: got id %lld, want %s", i, (long long)got[i], e[i].name);

    /* the rows carry the data */
    assert_int_equal(resident_list(f->st, NULL, 0, 1, rows, 1, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].name, "阿安");
    assert_string_equal(rows[0].id_number, e[0].id_number);
    assert_string_equal(rows[0].phone, e[0].phone);
    assert_string_equal(rows[0].birth_date, "1940-01-01");
    assert_int_equal(rows[0].sex, SEX_FEMALE); /* sequence 100 is even */
    assert_string_equal(rows[0].community, "");
    assert_string_equal(rows[0].household, "");
    assert_string_equal(rows[0].groups, "");

    /* backward from the end with max = 7: the same rows in reverse */
    assert_int_equal(page_through(f, -1, got, NENTRIES), NENTRIES);
    for (int i = 0; i < NENTRIES; i++)
        if (got[i] != e[NENTRIES - 1 - i].id)
            fail_msg("backward position %d: got id %lld, want %s", i, (long long)got[i],
                     e[NENTRIES - 1 - i].name);

    /* from the middle in both directions */
    assert_int_equal(resident_list(f->st, NULL, e[30].id, 1, rows, 3, &n), WS_OK);
    assert_int_equal(n, 3);
    assert_int_equal(rows[0].id, e[31].id);
    assert_int_equal(rows[2].id, e[33].id);
    assert_int_equal(resident_list(f->st, NULL, e[30].id, -1, rows, 3, &n), WS_OK);
    assert_int_equal(n, 3);
    assert_int_equal(rows[0].id, e[29].id);
    assert_int_equal(rows[2].id, e[27].id);
    /* past either end: empty */
    assert_int_equal(resident_list(f->st, NULL, e[NENTRIES - 1].id, 1, rows, 7, &n), WS_OK);
    assert_int_equal(n, 0);
    assert_int_equal(resident_list(f->st, NULL, e[0].id, -1, rows, 7, &n), WS_OK);
    assert_int_equal(n, 0);
    /* max 0 */
    assert_int_equal(resident_list(f->st, NULL, 0, 1, rows, 0, &n), WS_OK);
    assert_int_equal(n, 0);

    /* the two 张三 come right after 张芳, the earlier saved first */
    int zs = -1;
    for (int i = 0; i < NENTRIES; i++)
        if (strcmp(e[i].name, "张芳") == 0)
            zs = i + 1;
    assert_true(zs > 0);
    assert_string_equal(e[zs].name, "张三");
    assert_string_equal(e[zs + 1].name, "张三");
    assert_true(e[zs].id < e[zs + 1].id);
    assert_string_equal(e[zs + 2].name, "赵安");

    /* paging a filtered list: 张 = 5 + 2, pages of 3 */
    size_t total = 0;
    int64_t after = 0;
    do {
        assert_int_equal(resident_list(f->st, "张", after, 1, rows, 3, &n), WS_OK);
        for (size_t i = 0; i < n; i++) {
            assert_true(total < 7);
            assert_int_equal(rows[i].id, e[50 + total].id);
            got[total++] = rows[i].id;
        }
        if (n)
            after = rows[n - 1].id;
    } while (n == 3);
    assert_int_equal(total, 7);

    /* deleting the row a page continues from does not lose the rest */
    assert_int_equal(resident_delete(f->st, e[20].id), WS_OK);
    assert_int_equal(resident_list(f->st, NULL, e[20].id, 1, rows, 2, &n), WS_OK);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].id, e[21].id);
    assert_int_equal(resident_list(f->st, NULL, e[19].id, 1, rows, 1, &n), WS_OK);
    assert_int_equal(rows[0].id, e[21].id);
}

/* The set of ids a filter returns (via resident_list, one big page). */
static size_t filter_ids(fixture *f, const char *filter, int64_t *out, size_t max)
{
    resident_row rows[NENTRIES + 1];
    size_t n = 0;
    assert_int_equal(resident_list(f->st, filter, 0, 1, rows, NENTRIES + 1, &n), WS_OK);
    assert_true(n <= max);
    for (size_t i = 0; i < n; i++)
        out[i] = rows[i].id;
    int64_t c = -1;
    assert_int_equal(resident_count(f->st, filter, &c), WS_OK);
    if (c != (int64_t)n)
        fail_msg("filter '%s': resident_count %lld, resident_list %zu", filter ? filter : "(null)",
                 (long long)c, n);
    return n;
}

static void expect_names(fixture *f, const char *filter, const char *const *names, size_t nn)
{
    int64_t ids[NENTRIES + 1];
    size_t n = filter_ids(f, filter, ids, NENTRIES + 1);
    if (n != nn)
        fail_msg("filter '%s': %zu rows, want %zu", filter, n, nn);
    for (size_t i = 0; i < n; i++) {
        resident r;
        assert_int_equal(resident_load(f->st, ids[i], &r), WS_OK);
        if (strcmp(r.name, names[i]) != 0)
            fail_msg("filter '%s' row %zu: %s, want %s", filter, i, r.name, names[i]);
    }
}

/* Digits: compare with a plain substring search over what we saved. */
static void expect_digits(fixture *f, const entry *e, const char *filter, size_t want_n)
{
    char plain[64];
    size_t j = 0;
    for (const char *p = filter; *p && j < sizeof plain - 1; p++)
        if (*p != ' ')
            plain[j++] = *p;
    plain[j] = '\0';
    int64_t ids[NENTRIES + 1];
    size_t n = filter_ids(f, filter, ids, NENTRIES + 1);
    size_t want = 0;
    for (int i = 0; i < NENTRIES; i++) {
        if (!strstr(e[i].id_number, plain) && !strstr(e[i].phone, plain))
            continue;
        want++;
        bool found = false;
        for (size_t k = 0; k < n; k++)
            found = found || ids[k] == e[i].id;
        if (!found)
            fail_msg("filter '%s' misses %s (%s, %s)", filter, e[i].name, e[i].id_number,
                     e[i].phone);
    }
    assert_int_equal(n, want);
    assert_int_equal(n, want_n);
}

static void test_list_filters(void **state)
{
    fixture *f = *state;
    entry e[NENTRIES];
    make_register(f, e);

    /* Chinese substrings (in pinyin order) */
    static const char *const chen[] = {"陈安", "陈波", "陈成", "陈东", "陈芳"};
    expect_names(f, "陈", chen, 5);
    static const char *const fang[] = {"阿芳", "白芳", "蔡芳", "陈芳", "邓芳", "范芳",
                                       "高芳", "韩芳", "金芳", "李芳", "张芳", "赵芳"};
    expect_names(f, "芳", fang, 12);
    static const char *const zhangsan[] = {"张三", "张三"};
    expect_names(f, "张三", zhangsan, 2);
    expect_names(f, " 张 三 ", zhangsan, 2); /* spaces are ignored */
    expect_names(f, "張三", zhangsan, 2);     /* traditional folds to simplified */
    /* pinyin initials and full pinyin, any case, full-width */
    expect_names(f, "zs", zhangsan, 2);
    expect_names(f, "ZS", zhangsan, 2);
    expect_names(f, "ｚｓ", zhangsan, 2);
    expect_names(f, "zhangsan", zhangsan, 2);
    static const char *const zhaoan[] = {"赵安"};
    expect_names(f, "zhaoan", zhaoan, 1);
    static const char *const cc[] = {"陈成"};
    expect_names(f, "chencheng", cc, 1);
    static const char *const cc2[] = {"蔡成", "陈成"}; /* cai cheng, chen cheng */
    expect_names(f, "cc", cc2, 2);
    /* nothing matches */
    expect_names(f, "王", NULL, 0);
    expect_names(f, "zzz", NULL, 0);
    /* LIKE wildcards typed by the clerk are literal */
    expect_names(f, "%", NULL, 0);
    expect_names(f, "_", NULL, 0);
    expect_names(f, "\\", NULL, 0);
    /* empty or blank filter = everything */
    int64_t ids[NENTRIES + 1];
    assert_int_equal(filter_ids(f, "", ids, NENTRIES + 1), NENTRIES);
    assert_int_equal(filter_ids(f, "   ", ids, NENTRIES + 1), NENTRIES);
    assert_int_equal(filter_ids(f, NULL, ids, NENTRIES + 1), NENTRIES);

    /* digits of the ID number and of the phone */
    expect_digits(f, e, e[7].id_number, 1);
    expect_digits(f, e, e[40].phone, 1);
    char part[16];
    snprintf(part, sizeof part, "%.8s", e[13].id_number + 6); /* its birth date */
    expect_digits(f, e, part, 1);
    snprintf(part, sizeof part, "%.4s %.4s", e[22].phone + 3, e[22].phone + 7); /* typed with a space */
    expect_digits(f, e, part, 1);
    /* a short run of digits matches several rows; checked against strstr */
    int64_t several[NENTRIES + 1];
    size_t ns = filter_ids(f, "0000", several, NENTRIES + 1);
    assert_int_equal(ns, NENTRIES); /* every phone has 0000 */
    expect_digits(f, e, "5109021950", 1);
    expect_digits(f, e, "51090219", 60); /* born 1940..1999; two in 2000, 2001 */
}

/* ---- households and moves ---- */

static void test_move(void **state)
{
    fixture *f = *state;
    int64_t c = add_community(f, "学堂湾社区");
    int64_t h1 = add_household(f, "H0001", c);
    int64_t h2 = add_household(f, "H0002", c);

    resident a;
    person(&a, "张三", "11010519491231002X");
    a.community_id = c;
    a.household_id = h1;
    snprintf(a.relation, sizeof a.relation, "head");
    int64_t ida = save_ok(f, &a);
    household h;
    assert_int_equal(household_load(f->st, h1, &h), WS_OK);
    assert_int_equal(h.head_id, ida);

    resident b;
    person(&b, "李四", "440524188001010014");
    b.community_id = c;
    b.household_id = h1;
    snprintf(b.relation, sizeof b.relation, "spouse");
    int64_t idb = save_ok(f, &b);
    assert_int_equal(household_load(f->st, h1, &h), WS_OK);
    assert_int_equal(h.head_id, ida); /* unchanged */

    resident_row rows[4];
    size_t n;
    assert_int_equal(resident_members(f->st, h1, rows, 4, &n), WS_OK);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].id, ida); /* the head first */
    assert_string_equal(rows[0].relation, "head");
    assert_string_equal(rows[0].household, "H0001");
    assert_string_equal(rows[0].community, "学堂湾社区");
    assert_int_equal(rows[1].id, idb);

    /* move the spouse to H0002: audited, head of H0001 unchanged */
    counts before = count_rows(f);
    assert_int_equal(resident_move(f->st, idb, h2, "other", NULL), WS_OK);
    counts after = count_rows(f);
    assert_int_equal(after.audit, before.audit + 1);
    resident l;
    assert_int_equal(resident_load(f->st, idb, &l), WS_OK);
    assert_int_equal(l.household_id, h2);
    assert_string_equal(l.relation, "other");
    char sql[] = "SELECT json_extract(before, '$.household_id') || ' ' ||"
                 " json_extract(after, '$.household_id') || ' ' || json_extract(after, '$.relation')"
                 " || ' ' || action FROM audit_log WHERE row_id = ?1 ORDER BY id DESC LIMIT 1";
    char want[128];
    snprintf(want, sizeof want, "%lld %lld other update", (long long)h1, (long long)h2);
    assert_raw_text(f, sql, idb, want);
    assert_int_equal(household_load(f->st, h1, &h), WS_OK);
    assert_int_equal(h.head_id, ida);
    assert_int_equal(household_load(f->st, h2, &h), WS_OK);
    assert_int_equal(h.head_id, 0); /* "other" does not make a head */

    /* moving the head out of H0001 clears its head, audited on households */
    before = count_rows(f);
    assert_int_equal(resident_move(f->st, ida, h2, "head", NULL), WS_OK);
    after = count_rows(f);
    /* resident row + H0001 loses its head + H0002 gets one */
    assert_int_equal(after.audit, before.audit + 3);
    assert_int_equal(household_load(f->st, h1, &h), WS_OK);
    assert_int_equal(h.head_id, 0);
    assert_int_equal(raw_int(f, "SELECT head_id IS NULL FROM households WHERE id = ?1", h1), 1);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM audit_log WHERE table_name = 'households'"
                                " AND row_id = ?1 AND action = 'update'"
                                " AND json_extract(before, '$.head_id') IS NOT NULL"
                                " AND json_extract(after, '$.head_id') IS NULL", h1), 1);
    assert_int_equal(household_load(f->st, h2, &h), WS_OK);
    assert_int_equal(h.head_id, ida);

    /* out of any household */
    assert_int_equal(resident_move(f->st, ida, 0, NULL, NULL), WS_OK);
    assert_int_equal(resident_load(f->st, ida, &l), WS_OK);
    assert_int_equal(l.household_id, 0);
    assert_string_equal(l.relation, "");
    assert_int_equal(raw_int(f, "SELECT household_id IS NULL FROM residents WHERE id = ?1", ida), 1);
    assert_int_equal(household_load(f->st, h2, &h), WS_OK);
    assert_int_equal(h.head_id, 0);

    /* refused moves write nothing */
    before = count_rows(f);
    assert_int_equal(resident_move(f->st, idb, h1, "boss", NULL), WS_ERR_INVALID);
    assert_int_equal(resident_move(f->st, idb, 424242, "head", NULL), WS_ERR_NOT_FOUND);
    assert_int_equal(resident_move(f->st, 424242, h1, "head", NULL), WS_ERR_NOT_FOUND);
    assert_counts_equal(count_rows(f), before);
    assert_int_equal(resident_load(f->st, idb, &l), WS_OK);
    assert_int_equal(l.household_id, h2);
    assert_int_equal(household_load(f->st, h1, &h), WS_OK);
    assert_int_equal(h.head_id, 0);

    /* a head saved into H0001 becomes its head; deleting him clears it */
    assert_int_equal(resident_move(f->st, idb, h1, "head", NULL), WS_OK);
    assert_int_equal(household_load(f->st, h1, &h), WS_OK);
    assert_int_equal(h.head_id, idb);
    assert_int_equal(resident_delete(f->st, idb), WS_OK);
    assert_int_equal(household_load(f->st, h1, &h), WS_OK);
    assert_int_equal(h.head_id, 0);
    assert_int_equal(resident_members(f->st, h1, rows, 4, &n), WS_OK);
    assert_int_equal(n, 0);

    /* moving the head away with resident_save also clears it */
    resident m;
    person(&m, "王五", "510902800101001");
    m.household_id = h1;
    snprintf(m.relation, sizeof m.relation, "head");
    int64_t idm = save_ok(f, &m);
    assert_int_equal(household_load(f->st, h1, &h), WS_OK);
    assert_int_equal(h.head_id, idm);
    m.household_id = h2;
    snprintf(m.relation, sizeof m.relation, "son");
    save_ok(f, &m);
    assert_int_equal(household_load(f->st, h1, &h), WS_OK);
    assert_int_equal(h.head_id, 0);
}

/* ---- a locked database ---- */

static void test_locked_save(void **state)
{
    fixture *f = *state;
    int64_t id = add_person(f, "张三", "11010519491231002X");
    counts before = count_rows(f);

    sqlite3 *other = NULL;
    assert_int_equal(sqlite3_open_v2(f->path, &other, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(other, "BEGIN EXCLUSIVE; UPDATE settings SET value = value;",
                                  NULL, NULL, NULL), SQLITE_OK);
    resident r;
    person(&r, "李四", "440524188001010014");
    snprintf(r.phone, sizeof r.phone, "138 0013 8000");
    field_error fe;
    assert_int_equal(resident_save(f->st, &r, &fe), WS_ERR_BUSY);
    /* the form keeps exactly what was typed, and there is a message */
    assert_int_equal(r.id, 0);
    assert_string_equal(r.name, "李四");
    assert_string_equal(r.phone, "138 0013 8000");
    assert_string_not_equal(tr(ws_status_key(WS_ERR_BUSY)), ws_status_key(WS_ERR_BUSY));
    assert_non_null(strstr(station_errmsg(f->st), "locked"));
    /* reading still works meanwhile (WAL) */
    resident l;
    assert_int_equal(resident_load(f->st, id, &l), WS_OK);
    int64_t n;
    assert_int_equal(resident_count(f->st, NULL, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    assert_counts_equal(count_rows(f), before);

    /* once the other program lets go, the same struct saves */
    assert_int_equal(resident_save(f->st, &r, &fe), WS_OK);
    assert_true(r.id > 0);
    assert_int_equal(resident_count(f->st, NULL, &n), WS_OK);
    assert_int_equal(n, 2);
    assert_int_equal(sqlite3_close(other), SQLITE_OK);
}

/* ---- demo ---- */

static void progress_cb(void *ctx, size_t done, size_t total)
{
    size_t *last = ctx;
    assert_true(done > *last);
    assert_true(done <= total);
    *last = done;
}

static void test_history(void **state)
{
    fixture *f = *state;
    int64_t id = add_person(f, "李雷", "11010519491231002X");
    resident r;
    assert_int_equal(resident_load(f->st, id, &r), WS_OK);
    snprintf(r.phone, sizeof r.phone, "13912345678");
    snprintf(r.notes, sizeof r.notes, "独居");
    field_error fe;
    assert_int_equal(resident_save(f->st, &r, &fe), WS_OK);
    assert_int_equal(resident_delete(f->st, id), WS_OK);

    resident_change ch[8];
    size_t n = 0;
    assert_int_equal(resident_history(f->st, id, ch, 8, &n), WS_OK);
    assert_int_equal(n, 3);
    /* newest first; only what changed is named */
    assert_string_equal(ch[0].action, "delete");
    assert_string_equal(ch[1].action, "update");
    assert_string_equal(ch[1].fields, "phone,notes");
    assert_string_equal(ch[1].actor, "tester");
    assert_string_equal(ch[2].action, "insert");
    assert_non_null(strstr(ch[2].fields, "name"));
    assert_int_equal(resident_history(f->st, id, ch, 1, &n), WS_OK);
    assert_int_equal(n, 1);
}

/* One head per household: a second 户主 is refused naming the first, by
 * save and by move; a head who stops being 户主 releases the household. */
static void test_one_head(void **state)
{
    fixture *f = *state;
    int64_t c = add_community(f, "学堂湾社区");
    int64_t h1 = add_household(f, "H0001", c);
    resident a;
    person(&a, "张三", "11010519491231002X");
    a.household_id = h1;
    snprintf(a.relation, sizeof a.relation, "head");
    int64_t ida = save_ok(f, &a);
    resident b;
    person(&b, "李四", "440524188001010014");
    b.household_id = h1;
    snprintf(b.relation, sizeof b.relation, "head");
    counts before = count_rows(f);
    field_error fe;
    assert_int_equal(resident_save(f->st, &b, &fe), WS_ERR_INVALID);
    assert_int_equal(fe.field, RF_RELATION);
    assert_int_equal(fe.code, VAL_HEAD_TAKEN);
    assert_string_equal(fe.detail, "张三");
    assert_counts_equal(count_rows(f), before);
    /* as spouse, then moved in as head: refused too */
    snprintf(b.relation, sizeof b.relation, "spouse");
    int64_t idb = save_ok(f, &b);
    memset(&fe, 0, sizeof fe);
    before = count_rows(f);
    assert_int_equal(resident_move(f->st, idb, h1, "head", &fe), WS_ERR_INVALID);
    assert_int_equal(fe.code, VAL_HEAD_TAKEN);
    assert_string_equal(fe.detail, "张三");
    assert_counts_equal(count_rows(f), before);
    household h;
    assert_int_equal(household_load(f->st, h1, &h), WS_OK);
    assert_int_equal(h.head_id, ida);
    /* 张三 becomes 其他: the household has no head (audited) ... */
    resident l;
    assert_int_equal(resident_load(f->st, ida, &l), WS_OK);
    snprintf(l.relation, sizeof l.relation, "other");
    assert_int_equal(resident_save(f->st, &l, &fe), WS_OK);
    assert_int_equal(household_load(f->st, h1, &h), WS_OK);
    assert_int_equal(h.head_id, 0);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM audit_log WHERE table_name = 'households'"
                                " AND row_id = ?1 AND json_extract(after, '$.head_id') IS NULL"
                                " AND json_extract(before, '$.head_id') IS NOT NULL", h1), 1);
    /* ... and 李四 can be its head; saving 张三 again changes nothing */
    assert_int_equal(resident_move(f->st, idb, h1, "head", &fe), WS_OK);
    assert_int_equal(household_load(f->st, h1, &h), WS_OK);
    assert_int_equal(h.head_id, idb);
    assert_int_equal(resident_save(f->st, &l, &fe), WS_OK);
    assert_int_equal(household_load(f->st, h1, &h), WS_OK);
    assert_int_equal(h.head_id, idb);
    /* the head saving himself again is no conflict */
    assert_int_equal(resident_load(f->st, idb, &l), WS_OK);
    snprintf(l.phone, sizeof l.phone, "13800001111");
    assert_int_equal(resident_save(f->st, &l, &fe), WS_OK);

    /* the household form names 张三 head: he becomes 户主 by relation and
     * 李四 takes the relation the form asked for; a third person still
     * cannot become another 户主 */
    assert_int_equal(household_load(f->st, h1, &h), WS_OK);
    h.new_head_id = ida;
    snprintf(h.old_head_relation, sizeof h.old_head_relation, "spouse");
    household_error he;
    assert_int_equal(household_save(f->st, &h, &he), WS_OK);
    assert_int_equal(resident_load(f->st, ida, &l), WS_OK);
    assert_string_equal(l.relation, "head");
    snprintf(l.phone, sizeof l.phone, "13900002222");
    assert_int_equal(resident_save(f->st, &l, &fe), WS_OK);
    assert_int_equal(household_load(f->st, h1, &h), WS_OK);
    assert_int_equal(h.head_id, ida);
    resident c3;
    person(&c3, "王五", "510902800101001");
    c3.household_id = h1;
    snprintf(c3.relation, sizeof c3.relation, "head");
    assert_int_equal(resident_save(f->st, &c3, &fe), WS_ERR_INVALID);
    assert_int_equal(fe.code, VAL_HEAD_TAKEN);
    assert_string_equal(fe.detail, "张三");
}

/* What each change changed, as the clerk reads it: labels, names, masked
 * identifiers, groups with the disability's type and grade. */
static void test_change_details(void **state)
{
    fixture *f = *state;
    int64_t cid = add_community(f, "青石村");
    int64_t id = add_person(f, "李雷", "11010519491231002X");
    resident r;
    assert_int_equal(resident_load(f->st, id, &r), WS_OK);
    snprintf(r.phone, sizeof r.phone, "13912345678");
    r.community_id = cid;
    resident_group g;
    memset(&g, 0, sizeof g);
    snprintf(g.code, sizeof g.code, "dibao");
    assert_true(resident_group_set(&r, &g));
    field_error fe;
    assert_int_equal(resident_save(f->st, &r, &fe), WS_OK);
    assert_int_equal(resident_load(f->st, id, &r), WS_OK);
    snprintf(r.phone, sizeof r.phone, "13800001111");
    snprintf(g.code, sizeof g.code, "disabled");
    snprintf(g.disability_type, sizeof g.disability_type, "4");
    snprintf(g.disability_grade, sizeof g.disability_grade, "2");
    assert_true(resident_group_set(&r, &g));
    assert_int_equal(resident_save(f->st, &r, &fe), WS_OK);

    resident_change ch[8];
    size_t n = 0;
    assert_int_equal(resident_history(f->st, id, ch, 8, &n), WS_OK);
    assert_int_equal(n, 3);
    resident_field_change d[16];
    size_t nd = 0;
    /* the last change: phone and groups, in form order */
    assert_int_equal(resident_change_details(f->st, ch[0].audit_id, d, 16, &nd), WS_OK);
    assert_int_equal(nd, 2);
    assert_string_equal(d[0].key, "phone");
    assert_string_equal(d[0].label, "field.phone");
    assert_true(d[0].had_before);
    assert_string_equal(d[0].before, "139****5678");
    assert_string_equal(d[0].after, "138****1111");
    /* one entry per status that changed: 残疾 added, 低保 not repeated */
    assert_string_equal(d[1].key, "groups");
    assert_string_equal(d[1].label, "field.groups");
    assert_string_equal(d[1].before, "");
    assert_string_equal(d[1].after, "残疾（肢体 二级）");
    /* the one before: the community by name, the phone from none */
    assert_int_equal(resident_change_details(f->st, ch[1].audit_id, d, 16, &nd), WS_OK);
    assert_int_equal(nd, 3);
    assert_string_equal(d[0].key, "phone");
    assert_string_equal(d[0].before, "");
    assert_string_equal(d[1].key, "community_id");
    assert_string_equal(d[1].after, "青石村");
    /* the insert: what was filled in, nothing before */
    assert_int_equal(resident_change_details(f->st, ch[2].audit_id, d, 16, &nd), WS_OK);
    assert_true(nd >= 2);
    assert_string_equal(d[0].key, "name");
    assert_false(d[0].had_before);
    assert_string_equal(d[0].after, "李雷");
    assert_string_equal(d[1].after, "110***********002X");
    /* a certificate number alone is a change, shown masked */
    assert_int_equal(resident_load(f->st, id, &r), WS_OK);
    resident_group *dg = resident_group_find(&r, "dibao");
    assert_non_null(dg);
    snprintf(dg->cert_no, sizeof dg->cert_no, "51090219491231002X01");
    snprintf(dg->start_date, sizeof dg->start_date, "2020-01-01");
    assert_int_equal(resident_save(f->st, &r, &fe), WS_OK);
    assert_int_equal(resident_history(f->st, id, ch, 8, &n), WS_OK);
    assert_int_equal(resident_change_details(f->st, ch[0].audit_id, d, 16, &nd), WS_OK);
    assert_int_equal(nd, 1);
    assert_string_equal(d[0].key, "groups");
    assert_string_equal(d[0].before, "低保");
    assert_string_equal(d[0].after, "低保（认定日期 2020-01-01，证件编号 510*************2X01）");
    assert_null(strstr(d[0].after, "51090219491231002X01"));
    /* an unknown audit row: nothing */
    assert_int_equal(resident_change_details(f->st, 999999, d, 16, &nd), WS_OK);
    assert_int_equal(nd, 0);
}

static void test_demo(void **state)
{
    fixture *f = *state;
    size_t last = 0;
    demo_opts opts = {.residents = 300, .progress = progress_cb, .ctx = &last};
    assert_int_equal(demo_generate(f->st, &opts), WS_OK);
    assert_int_equal(last, 300);

    station_stats stats;
    assert_int_equal(station_stats_get(f->st, &stats), WS_OK);
    assert_int_equal(stats.residents, 300);
    assert_int_equal(stats.communities, 4);
    assert_int_equal(stats.households, raw_int(f, "SELECT count(*) FROM households"
                                                  " WHERE deleted_at IS NULL", 0));
    assert_true(stats.households >= 300 / 6);
    assert_true(stats.households <= 300);
    const code_list *groups = codebook_list(station_codes(f->st), "vulnerable_group");
    assert_non_null(groups);
    assert_int_equal(stats.ngroups, groups->n);
    int64_t sum = 0;
    for (size_t i = 0; i < stats.ngroups; i++) {
        assert_string_equal(stats.group_code[i], groups->items[i].code);
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM resident_groups WHERE group_code = '%s'",
                 stats.group_code[i]);
        assert_int_equal(stats.group_count[i], raw_int(f, sql, 0));
        sum += stats.group_count[i];
    }
    assert_true(sum > 0);
    assert_int_equal(sum, raw_int(f, "SELECT count(*) FROM resident_groups", 0));

    /* every ID number is valid, unique and agrees with sex and birth date */
    sqlite3_stmt *q = raw_prepare(f, "SELECT id_number, sex, birth_date, name FROM residents", 0);
    int rows = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *idn = (const char *)sqlite3_column_text(q, 0);
        assert_non_null(idn);
        val_id v;
        val_status vs = val_id_number(idn, TODAY, &v);
        if (vs != VAL_OK)
            fail_msg("demo ID %s of %s: %s", idn, sqlite3_column_text(q, 3), val_status_key(vs));
        assert_string_equal(v.number, idn);
        assert_int_equal(v.sex, sqlite3_column_int(q, 1));
        assert_string_equal(v.birth, (const char *)sqlite3_column_text(q, 2));
        assert_int_equal(val_name((const char *)sqlite3_column_text(q, 3), RESIDENT_NAME_CHARS),
                         VAL_OK);
        rows++;
    }
    sqlite3_finalize(q);
    assert_int_equal(rows, 300);
    assert_int_equal(raw_int(f, "SELECT count(DISTINCT id_number) FROM residents", 0), 300);
    /* households have heads who live there; members belong to communities */
    assert_int_equal(raw_int(f, "SELECT count(*) FROM households WHERE head_id IS NULL", 0), 0);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM households h JOIN residents r"
                                " ON r.id = h.head_id WHERE r.household_id = h.id"
                                " AND r.relation = 'head'", 0), stats.households);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM residents WHERE community_id IS NULL"
                                " OR household_id IS NULL", 0), 0);
    /* audited under its own actor; the station's actor is restored */
    assert_int_equal(raw_int(f, "SELECT count(*) FROM audit_log WHERE table_name = 'residents'"
                                " AND action = 'insert' AND actor = 'demo'", 0), 300);
    assert_string_equal(station_actor(f->st), "tester");
    char name[128];
    station_name(f->st, name, sizeof name);
    assert_string_equal(name, "青石镇社会工作服务站");
    /* the list pages through them all */
    resident_row page[50];
    size_t n, total = 0;
    int64_t after = 0;
    do {
        assert_int_equal(resident_list(f->st, NULL, after, 1, page, 50, &n), WS_OK);
        total += n;
        if (n)
            after = page[n - 1].id;
    } while (n == 50);
    assert_int_equal(total, 300);

    /* a second run refuses to touch a station with residents */
    counts before = count_rows(f);
    assert_int_equal(demo_generate(f->st, &opts), WS_ERR_INVALID);
    assert_counts_equal(count_rows(f), before);

    /* deterministic: the same seed in another file gives the same people */
    char *other = testutil_path(f->dir, "other.db");
    station *st2 = NULL;
    char err[256];
    assert_int_equal(station_open(other, STATION_CREATE | STATION_TRUSTED, NULL, &st2, err, sizeof err), WS_OK);
    demo_opts opts2 = {.residents = 300};
    assert_int_equal(demo_generate(st2, &opts2), WS_OK);
    station_close(&st2);
    char attach[4200];
    snprintf(attach, sizeof attach, "ATTACH '%s' AS o", other);
    assert_int_equal(sqlite3_exec(f->raw, attach, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM (SELECT name, id_number, phone, birth_date"
                                " FROM main.residents EXCEPT SELECT name, id_number, phone,"
                                " birth_date FROM o.residents)", 0), 0);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM o.residents", 0), 300);
    assert_int_equal(sqlite3_exec(f->raw, "DETACH o", NULL, NULL, NULL), SQLITE_OK);
    free(other);
}

/* ---- notes, text limits and unticked statuses (issue 8, items 7 and 9) ---- */

/* n copies of a UTF-8 character. */
static void repeat(char *out, size_t outsz, const char *ch, size_t n)
{
    size_t o = 0, l = strlen(ch);
    for (size_t i = 0; i < n && o + l < outsz; i++, o += l)
        memcpy(out + o, ch, l);
    out[o] = '\0';
}

/* Notes are multi-line text; the limits count characters (字), as a clerk
 * does, and are the ones the form shows. */
static void test_notes_lines_and_limits(void **state)
{
    fixture *f = *state;
    resident r;
    person(&r, "钱七", "11010519491231002X");
    snprintf(r.notes, sizeof r.notes, "独居，女儿在外地。\n每周二上门。\n\n钥匙在邻居家");
    int64_t id = save_ok(f, &r);
    resident l;
    assert_int_equal(resident_load(f->st, id, &l), WS_OK);
    assert_string_equal(l.notes, "独居，女儿在外地。\n每周二上门。\n\n钥匙在邻居家");
    /* other controls stay refused in notes; a line break elsewhere too */
    field_error fe;
    snprintf(l.notes, sizeof l.notes, "a\tb");
    assert_int_equal(resident_save(f->st, &l, &fe), WS_ERR_INVALID);
    assert_int_equal(fe.field, RF_NOTES);
    assert_int_equal(fe.code, VAL_CONTROL);
    snprintf(l.notes, sizeof l.notes, "好");
    snprintf(l.address, sizeof l.address, "学堂湾\n3组");
    assert_int_equal(resident_save(f->st, &l, &fe), WS_ERR_INVALID);
    assert_int_equal(fe.field, RF_ADDRESS);
    assert_int_equal(fe.code, VAL_CONTROL);
    snprintf(l.address, sizeof l.address, "学堂湾3组");

    /* the limits are characters: Chinese text up to the limit fits the
     * record and is saved whole; one more is refused */
    repeat(l.notes, sizeof l.notes, "备", RESIDENT_NOTES_CHARS);
    assert_int_equal(resident_save(f->st, &l, &fe), WS_OK);
    assert_int_equal(resident_load(f->st, id, &l), WS_OK);
    assert_int_equal(strlen(l.notes), 3 * RESIDENT_NOTES_CHARS);
    repeat(l.notes, sizeof l.notes, "😀", RESIDENT_NOTES_CHARS); /* 4 bytes each */
    assert_int_equal(strlen(l.notes), 4 * RESIDENT_NOTES_CHARS);
    assert_int_equal(resident_save(f->st, &l, &fe), WS_OK);
    repeat(l.notes, sizeof l.notes, "备", RESIDENT_NOTES_CHARS + 1);
    assert_int_equal(resident_save(f->st, &l, &fe), WS_ERR_INVALID);
    assert_int_equal(fe.field, RF_NOTES);
    assert_int_equal(fe.code, VAL_TOO_LONG);
    l.notes[0] = '\0';
    repeat(l.address, sizeof l.address, "湾", RESIDENT_ADDRESS_CHARS);
    assert_int_equal(resident_save(f->st, &l, &fe), WS_OK);
    repeat(l.address, sizeof l.address, "湾", RESIDENT_ADDRESS_CHARS + 1);
    assert_int_equal(resident_save(f->st, &l, &fe), WS_ERR_INVALID);
    assert_int_equal(fe.field, RF_ADDRESS);
    assert_int_equal(fe.code, VAL_TOO_LONG);
    l.address[0] = '\0';
    resident_group g;
    memset(&g, 0, sizeof g);
    snprintf(g.code, sizeof g.code, "dibao");
    repeat(g.cert_no, sizeof g.cert_no, "证", RESIDENT_CERT_CHARS);
    assert_true(resident_group_set(&l, &g));
    assert_int_equal(resident_save(f->st, &l, &fe), WS_OK);
    repeat(l.groups[0].cert_no, sizeof l.groups[0].cert_no, "证", RESIDENT_CERT_CHARS + 1);
    assert_int_equal(resident_save(f->st, &l, &fe), WS_ERR_INVALID);
    assert_int_equal(fe.field, RF_GROUP_CERT);
    assert_int_equal(fe.code, VAL_TOO_LONG);

    /* the counting the form uses for its message */
    size_t n = 0;
    assert_int_equal(val_text_chars("张三\n李四", 5, true, &n), VAL_OK);
    assert_int_equal(n, 5);
    assert_int_equal(val_text_chars("张三\n李四", 4, true, &n), VAL_TOO_LONG);
    assert_int_equal(n, 5);
    assert_int_equal(val_text_chars("张三\n李四", 0, false, &n), VAL_CONTROL);
    assert_int_equal(val_text_chars("", 3, false, &n), VAL_OK);
    assert_int_equal(n, 0);
    assert_int_equal(val_text_chars("a\r\nb", 0, true, NULL), VAL_CONTROL);
}

/* Unticking a status keeps its details until the save; ticking it again
 * brings them back; the save removes it, and the history shows in full
 * what it removed. */
static void test_group_untick(void **state)
{
    fixture *f = *state;
    resident r;
    person(&r, "孙八", "11010519491231002X");
    resident_group g;
    memset(&g, 0, sizeof g);
    snprintf(g.code, sizeof g.code, "dibao");
    snprintf(g.start_date, sizeof g.start_date, "2020-03-01");
    assert_true(resident_group_set(&r, &g));
    memset(&g, 0, sizeof g);
    snprintf(g.code, sizeof g.code, "disabled");
    snprintf(g.start_date, sizeof g.start_date, "2019-05-20");
    snprintf(g.review_date, sizeof g.review_date, "2027-05-20");
    snprintf(g.cert_no, sizeof g.cert_no, "11010519491231002X44");
    snprintf(g.disability_type, sizeof g.disability_type, "4");
    snprintf(g.disability_grade, sizeof g.disability_grade, "2");
    assert_true(resident_group_set(&r, &g));
    int64_t id = save_ok(f, &r);
    assert_int_equal(resident_load(f->st, id, &r), WS_OK);

    /* untick: no longer held, details kept */
    assert_true(resident_group_untick(&r, "disabled"));
    assert_null(resident_group_find(&r, "disabled"));
    assert_int_equal(resident_disability_index(f->st, &r), -1);
    resident_group *kept = resident_group_unticked(&r, "disabled");
    assert_non_null(kept);
    assert_string_equal(kept->cert_no, "11010519491231002X44");
    assert_string_equal(kept->start_date, "2019-05-20");
    assert_false(resident_group_untick(&r, "disabled")); /* not held */
    assert_false(resident_group_untick(&r, "empty_nest"));
    /* tick again: everything back */
    assert_true(resident_group_retick(&r, "disabled"));
    resident_group *back = resident_group_find(&r, "disabled");
    assert_non_null(back);
    assert_string_equal(back->cert_no, "11010519491231002X44");
    assert_string_equal(back->review_date, "2027-05-20");
    assert_string_equal(back->disability_type, "4");
    assert_string_equal(back->disability_grade, "2");
    assert_null(resident_group_unticked(&r, "disabled"));
    assert_false(resident_group_retick(&r, "disabled"));
    assert_false(resident_group_retick(&r, "empty_nest")); /* nothing to restore */
    /* an unticked status with a bad date does not block the save: it goes */
    assert_true(resident_group_untick(&r, "disabled"));
    snprintf(resident_group_unticked(&r, "disabled")->review_date, sizeof g.review_date, "不对");
    resident saved = r;
    field_error fe;
    assert_int_equal(resident_save(f->st, &saved, &fe), WS_OK);
    assert_int_equal(saved.ngroups, 1);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM resident_groups WHERE resident_id = ?1", id), 1);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM resident_groups WHERE resident_id = ?1"
                                " AND group_code = 'disabled'", id), 0);
    /* the history of that save: the removed status in full, masked; the
     * status that stayed is not repeated */
    resident_change ch[4];
    size_t n = 0;
    assert_int_equal(resident_history(f->st, id, ch, 4, &n), WS_OK);
    assert_int_equal(n, 2);
    assert_string_equal(ch[0].fields, "groups");
    resident_field_change d[16];
    size_t nd = 0;
    assert_int_equal(resident_change_details(f->st, ch[0].audit_id, d, 16, &nd), WS_OK);
    assert_int_equal(nd, 1);
    assert_string_equal(d[0].key, "groups");
    assert_true(d[0].had_before);
    assert_string_equal(d[0].before, "残疾（肢体 二级，认定日期 2019-05-20，复核日期 2027-05-20，"
                                     "证件编号 110*************2X44）");
    assert_string_equal(d[0].after, "");
    assert_null(strstr(d[0].before, "11010519491231002X44"));
}

/* Two consoles open the same resident; the second save is refused, names
 * who saved first, writes nothing and keeps what was typed; loaded again,
 * it saves. */
static void test_stale_save(void **state)
{
    fixture *f = *state;
    int64_t id = add_person(f, "陈丽华", "11010519491231002X");
    station *other = NULL;
    char err[256];
    assert_int_equal(station_open(f->path, STATION_TRUSTED, NULL, &other, err, sizeof err), WS_OK);
    station_set_actor(other, "李四");
    resident mine, theirs;
    assert_int_equal(resident_load(f->st, id, &mine), WS_OK);
    assert_int_equal(resident_load(other, id, &theirs), WS_OK);
    snprintf(theirs.phone, sizeof theirs.phone, "13800138000");
    field_error fe;
    assert_int_equal(resident_save(other, &theirs, &fe), WS_OK);
    int64_t audits = raw_int(f, "SELECT count(*) FROM audit_log WHERE row_id = ?1", id);
    snprintf(mine.address, sizeof mine.address, "学堂湾路1号");
    assert_int_equal(resident_save(f->st, &mine, &fe), WS_ERR_STALE);
    assert_non_null(strstr(fe.detail, "李四"));
    assert_string_equal(mine.address, "学堂湾路1号");
    assert_int_equal(mine.id, id);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM audit_log WHERE row_id = ?1", id), audits);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM residents WHERE id = ?1 AND address = ''", id),
                     1);
    assert_int_equal(resident_load(f->st, id, &mine), WS_OK);
    assert_string_equal(mine.phone, "13800138000");
    snprintf(mine.address, sizeof mine.address, "学堂湾路1号");
    assert_int_equal(resident_save(f->st, &mine, &fe), WS_OK);
    /* and saving again from the same form works: its revision moved on */
    snprintf(mine.address, sizeof mine.address, "学堂湾路2号");
    assert_int_equal(resident_save(f->st, &mine, &fe), WS_OK);
    station_close(&other);
}


/* ---- the filter language: lists by what the home screen counts ---- */

/* Every page of a filter, `per` rows a page, forward then backward: each
 * way gives the single big page's rows (backward in reverse), and the count
 * agrees. Returns the rows' count; ids get them in list order. */
static size_t filter_pages(fixture *f, const char *filter, size_t per, int64_t *ids, size_t cap)
{
    enum { ALL = 512 };
    resident_row *all = calloc(ALL, sizeof *all), rows[8];
    size_t total = 0, n = 0;
    assert_non_null(all);
    assert_true(per <= 8);
    assert_int_equal(resident_list(f->st, filter, 0, 1, all, ALL, &total), WS_OK);
    assert_true(total < ALL && total <= cap);
    int64_t c = -1;
    assert_int_equal(resident_count(f->st, filter, &c), WS_OK);
    if (c != (int64_t)total)
        fail_msg("filter '%s': resident_count %lld, resident_list %zu", filter, (long long)c, total);
    for (int dir = 1; dir >= -1; dir -= 2) {
        size_t got = 0;
        int64_t after = 0;
        int pages = 0;
        do {
            assert_int_equal(resident_list(f->st, filter, after, dir, rows, per, &n), WS_OK);
            for (size_t i = 0; i < n; i++, got++) {
                assert_true(got < total);
                size_t want = dir > 0 ? got : total - 1 - got;
                if (rows[i].id != all[want].id)
                    fail_msg("filter '%s' dir %d position %zu: %s, want %s", filter, dir, got,
                             rows[i].name, all[want].name);
            }
            if (n)
                after = rows[n - 1].id;
            assert_true(++pages < 200);
        } while (n == per);
        if (got != total)
            fail_msg("filter '%s' dir %d: %zu rows by pages, %zu at once", filter, dir, got, total);
    }
    for (size_t i = 0; i < total; i++)
        ids[i] = all[i].id;
    free(all);
    return total;
}

/* The names a filter lists, in list order, joined by spaces. */
static void expect_filter(fixture *f, const char *filter, const char *want)
{
    int64_t ids[256];
    size_t n = filter_pages(f, filter, 2, ids, 256);
    char got[2048] = "";
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        resident r;
        assert_int_equal(resident_load(f->st, ids[i], &r), WS_OK);
        used += (size_t)snprintf(got + used, sizeof got - used, "%s%s", i ? " " : "", r.name);
    }
    if (strcmp(got, want) != 0)
        fail_msg("filter '%s': [%s], want [%s]", filter, got, want);
}

typedef struct filter_person {
    const char *name, *birth; /* birth YYYYMMDD or NULL: no ID number, no birth date */
    int community;            /* 1 学堂湾社区, 2 青石村, 0 none */
    int household;            /* 1 H00001, 2 H00002, 0 none */
    const char *relation;
    const char *groups[2];
} filter_person;

/* Eight residents (TODAY is 2026-11-23) in two communities and two
 * households. */
static void make_filter_register(fixture *f)
{
    static const filter_person people[] = {
        {"张老汉", "19400301", 1, 1, "head", {"dibao", "living_alone"}},
        {"张中", "19661123", 1, 1, "spouse", {"dibao"}},  /* 60 today */
        {"张青", "19661124", 2, 0, "", {"dibao"}},         /* 60 tomorrow */
        {"李小", "20100501", 2, 2, "head", {"left_behind_child"}},
        {"李成", "20081123", 2, 2, "son", {NULL}},         /* 18 today */
        {"王无", NULL, 1, 0, "", {"dibao"}},                /* no birth date */
        {"赵六", "19461123", 2, 0, "", {"tekun"}},          /* 80 today */
        {"钱七", "19461124", 1, 0, "", {NULL}},             /* 79 */
    };
    int64_t c[3] = {0, add_community(f, "学堂湾社区"), add_community(f, "青石村")};
    int64_t h[3] = {0, add_household(f, "H00001", c[1]), add_household(f, "H00002", c[2])};
    for (size_t i = 0; i < sizeof people / sizeof *people; i++) {
        const filter_person *p = &people[i];
        char id[19] = "";
        if (p->birth)
            make_id(id, p->birth, (int)i + 1);
        resident r;
        person(&r, p->name, id);
        r.community_id = c[p->community];
        r.household_id = h[p->household];
        snprintf(r.relation, sizeof r.relation, "%s", p->relation);
        for (size_t k = 0; k < 2 && p->groups[k]; k++) {
            resident_group g;
            memset(&g, 0, sizeof g);
            snprintf(g.code, sizeof g.code, "%s", p->groups[k]);
            assert_true(resident_group_set(&r, &g));
        }
        save_ok(f, &r);
    }
}

/* A group's label or short label, a community's name, an age band and a
 * household filter; words combine with AND; the rest is the search. */
/* A ledger's name finds its resident, and an export writes it back, by
 * searching an index: each reads a few rows, not every resident (a visits
 * export of a demo station took minutes). */
static void test_ledger_name_reads_index(void **state)
{
    fixture *f = *state;
    db *d = station_db(f->st);
    assert_int_equal(db_exec(d,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
        " INSERT INTO residents(id, name, sort_key, created_at, updated_at)"
        " SELECT 7000000 + i, '居民' || i, x'00', '2026-01-01', '2026-01-01' FROM n"), WS_OK);
    assert_int_equal(db_exec(d, "INSERT INTO residents(id, name, sort_key, created_at,"
                                " updated_at) VALUES (7100000, '居民7', x'00', 't', 't')"),
                     WS_OK);
    struct {
        const char *text;
        int64_t id;
    } want[] = {{"居民12", 7000012}, {"居民7", 0}, {"无此人", 0}};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        int64_t id = -1, before = db_vm_steps(d);
        char why[256];
        assert_int_equal(kind_resident.hooks.find(f->st, want[i].text, &id, why, sizeof why), WS_OK);
        int64_t steps = db_vm_steps(d) - before;
        if (id != want[i].id || steps > 3000)
            fail_msg("%s: %lld (want %lld) in %lld steps", want[i].text, (long long)id,
                     (long long)want[i].id, (long long)steps);
    }
    const struct {
        int64_t id;
        const char *name;
    } back[] = {{7000012, "居民12"}, {7000007, "居民7"}};
    for (size_t i = 0; i < sizeof back / sizeof *back; i++) {
        char out[128];
        int64_t before = db_vm_steps(d);
        assert_int_equal(kind_resident.hooks.ledger_name(f->st, back[i].id, true, out, sizeof out),
                         WS_OK);
        int64_t steps = db_vm_steps(d) - before;
        if (strncmp(out, back[i].name, strlen(back[i].name)) != 0 || steps > 3000)
            fail_msg("%lld: %s in %lld steps", (long long)back[i].id, out, (long long)steps);
    }
}

static void test_filter_words(void **state)
{
    fixture *f = *state;
    make_filter_register(f);
    expect_filter(f, "", "李成 李小 钱七 王无 张老汉 张青 张中 赵六");
    /* vulnerable groups: short label, label, any order, AND */
    expect_filter(f, "低保", "王无 张老汉 张青 张中");
    expect_filter(f, "低保对象", "王无 张老汉 张青 张中");
    expect_filter(f, "独居老人", "张老汉");
    /* the start of a group's name, three characters or more (the trial:
     * 临时救助 and 低保边缘 found nobody) */
    expect_filter(f, "独居老", "张老汉");
    expect_filter(f, "低保对", "王无 张老汉 张青 张中");
    expect_filter(f, "留守儿", "李小");
    expect_filter(f, "低保 独居", "张老汉");
    expect_filter(f, "独居 低保", "张老汉");
    expect_filter(f, "特困", "赵六");
    expect_filter(f, "留守儿童", "李小");
    expect_filter(f, "低保 特困", "");
    expect_filter(f, "孤儿", "");
    /* communities by their full name */
    expect_filter(f, "学堂湾社区", "钱七 王无 张老汉 张中");
    expect_filter(f, "青石村", "李成 李小 张青 赵六");
    expect_filter(f, "低保 学堂湾社区", "王无 张老汉 张中");
    expect_filter(f, "学堂湾社区　低保", "王无 张老汉 张中"); /* a full-width space */
    expect_filter(f, "学堂湾社区，低保", "王无 张老汉 张中");
    expect_filter(f, "学堂湾社区 青石村", "");
    /* age bands: 以上 counts the year itself, 以下 is under it */
    expect_filter(f, "60岁以上", "钱七 张老汉 张中 赵六");
    expect_filter(f, "60周岁以上", "钱七 张老汉 张中 赵六");
    expect_filter(f, "60岁及以上", "钱七 张老汉 张中 赵六");
    expect_filter(f, "80岁以上", "张老汉 赵六");
    expect_filter(f, "60-79岁", "钱七 张中");
    expect_filter(f, "60～79岁", "钱七 张中");
    expect_filter(f, "６０-７９岁", "钱七 张中");
    expect_filter(f, "18岁以下", "李小");
    expect_filter(f, "不满18岁", "李小");
    expect_filter(f, "18岁以上", "李成 钱七 张老汉 张青 张中 赵六");
    expect_filter(f, "18岁", "李成");
    expect_filter(f, "60岁以上 80岁以下", "钱七 张中");
    expect_filter(f, "80岁以上 60岁以下", "");
    expect_filter(f, "低保 60岁以上", "张老汉 张中");
    /* households: 户 and the number, or the number alone, any case */
    expect_filter(f, "户H00001", "张老汉 张中");
    expect_filter(f, "H00002", "李成 李小");
    expect_filter(f, "h00002", "李成 李小");
    expect_filter(f, "户H00002 18岁以下", "李小");
    expect_filter(f, "户H00001 户H00002", "");
    /* the rest is the ordinary search, combined with the words */
    expect_filter(f, "张", "张老汉 张青 张中");
    expect_filter(f, "低保 张", "张老汉 张青 张中");
    expect_filter(f, "张 学堂湾社区", "张老汉 张中");
    expect_filter(f, "zz 低保", "张中");
    expect_filter(f, "低保 zhang q", "张青");
    expect_filter(f, "学堂湾社区 李", "");
    expect_filter(f, "60岁以上 q", "钱七");
    /* what is not a word searches as before: a fragment of a community's
     * name, a household number that does not exist, a bad age band */
    expect_filter(f, "学堂", "");
    expect_filter(f, "户H09999", "");
    expect_filter(f, "79-60岁", "");
    /* deleted residents are not counted */
    int64_t ids[16];
    assert_int_equal(filter_pages(f, "低保 60岁以上", 1, ids, 16), 2);
    assert_int_equal(resident_delete(f->st, ids[0]), WS_OK);
    expect_filter(f, "低保 60岁以上", "张中");
}

/* Age bands agree with date_age for birthdays around each boundary, and the
 * group lists agree with SQL, whichever way a page is found (a walk in
 * pinyin order, or a rare group's members). */
static void test_filter_ages_and_plans(void **state)
{
    fixture *f = *state;
    static const char *const given[] = {"安", "波", "成", "东", "芳", "三", "明", "华"};
    static const int years[] = {0, 6, 14, 16, 18, 35, 59, 60, 61, 79, 80, 81, 99};
    int k = 0;
    for (size_t y = 0; y < sizeof years / sizeof *years; y++)
        for (int day = -1; day <= 1; day++) {
            for (int rep = 0; rep < 6; rep++, k++) {
                resident r;
                char name[32];
                snprintf(name, sizeof name, "%s%s%s", surnames[k % 12], given[(k / 12) % 8],
                         given[(k / 96) % 8]);
                person(&r, name, NULL);
                /* born on today's date years[y] years ago, a day either side */
                snprintf(r.birth_date, sizeof r.birth_date, "%04d-11-%02d", 2026 - years[y],
                         23 + day);
                if (years[y] == 0 && day > 0)
                    snprintf(r.birth_date, sizeof r.birth_date, "2026-11-01");
                /* most are 低保 (a walk finds them), a few 特困 (they drive) */
                resident_group g;
                memset(&g, 0, sizeof g);
                snprintf(g.code, sizeof g.code, "%s", k % 50 == 7 ? "tekun" : "dibao");
                if (k % 10 != 3)
                    assert_true(resident_group_set(&r, &g));
                save_ok(f, &r);
            }
        }
    static const struct {
        const char *filter;
        int min, below;
    } bands[] = {
        {"60岁以上", 60, -1}, {"80岁以上", 80, -1}, {"18岁以下", -1, 18},
        {"60-79岁", 60, 80},  {"不满6岁", -1, 6},  {"16-17岁", 16, 18}, {"0岁", 0, 1},
    };
    for (size_t b = 0; b < sizeof bands / sizeof *bands; b++) {
        int64_t ids[512];
        size_t n = filter_pages(f, bands[b].filter, 7, ids, 512);
        sqlite3_stmt *q = raw_prepare(f, "SELECT id, birth_date FROM residents"
                                         " WHERE deleted_at IS NULL", 0);
        size_t want = 0;
        while (sqlite3_step(q) == SQLITE_ROW) {
            int age = date_age((const char *)sqlite3_column_text(q, 1), TODAY);
            bool in = age >= 0 && (bands[b].min < 0 || age >= bands[b].min) &&
                      (bands[b].below < 0 || age < bands[b].below);
            bool listed = false;
            for (size_t i = 0; i < n; i++)
                listed = listed || ids[i] == sqlite3_column_int64(q, 0);
            if (in != listed)
                fail_msg("%s: born %s (age %d) %s", bands[b].filter, sqlite3_column_text(q, 1),
                         age, listed ? "listed" : "missing");
            want += in;
        }
        sqlite3_finalize(q);
        assert_int_equal(n, want);
    }
    /* groups against SQL, in pinyin order */
    static const struct {
        const char *filter, *code;
    } groups[] = {{"低保", "dibao"}, {"特困", "tekun"}};
    for (size_t i = 0; i < 2; i++) {
        int64_t ids[512];
        size_t n = filter_pages(f, groups[i].filter, 7, ids, 512);
        sqlite3_stmt *q = raw_prepare(f, "SELECT r.id FROM residents r JOIN resident_groups g"
                                         " ON g.resident_id = r.id WHERE g.group_code = ?1"
                                         " AND r.deleted_at IS NULL ORDER BY r.sort_key, r.id", 0);
        sqlite3_bind_text(q, 1, groups[i].code, -1, SQLITE_STATIC);
        size_t j = 0;
        while (sqlite3_step(q) == SQLITE_ROW) {
            assert_true(j < n);
            assert_int_equal(ids[j], sqlite3_column_int64(q, 0));
            j++;
        }
        sqlite3_finalize(q);
        assert_int_equal(j, n);
        assert_true(n > 0);
    }
    /* a group with a text search and pages of one */
    int64_t ids[512];
    size_t n = filter_pages(f, "特困 z", 1, ids, 512);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        resident r;
        assert_int_equal(resident_load(f->st, ids[i], &r), WS_OK);
        assert_non_null(resident_group_find(&r, "tekun"));
        assert_true(strncmp(r.name, "张", strlen("张")) == 0 ||
                    strncmp(r.name, "赵", strlen("赵")) == 0);
    }
}

/* The home screen's group counts are the lists' counts. */
static void test_filter_home_counts(void **state)
{
    fixture *f = *state;
    make_filter_register(f);
    station_stats stats;
    assert_int_equal(station_stats_get(f->st, &stats), WS_OK);
    const codebook *cb = station_codes(f->st);
    for (size_t i = 0; i < stats.ngroups; i++) {
        const code_item *it = codebook_find(cb, "vulnerable_group", stats.group_code[i]);
        assert_non_null(it);
        int64_t n = -1;
        assert_int_equal(resident_count(f->st, it->zh_CN, &n), WS_OK);
        if (n != stats.group_count[i])
            fail_msg("%s: list %lld, home %lld", it->zh_CN, (long long)n,
                     (long long)stats.group_count[i]);
    }
    int64_t n = -1;
    assert_int_equal(resident_count(f->st, "低保", &n), WS_OK);
    assert_int_equal(n, 4);
    /* the words the home screen opens the list with */
    char w[64];
    for (size_t i = 0; i < stats.ngroups; i++) {
        resident_filter_words_group(f->st, stats.group_code[i], w, sizeof w);
        assert_int_equal(resident_count(f->st, w, &n), WS_OK);
        if (n != stats.group_count[i])
            fail_msg("%s: list %lld, home %lld", w, (long long)n, (long long)stats.group_count[i]);
    }
    resident_filter_words_group(f->st, "dibao", w, sizeof w);
    assert_string_equal(w, "低保");
    resident_filter_words_group(f->st, "orphan", w, sizeof w);
    assert_string_equal(w, "孤儿");
    resident_filter_words_age(60, -1, w, sizeof w);
    assert_string_equal(w, "60岁以上");
    resident_filter_words_age(-1, 18, w, sizeof w);
    assert_string_equal(w, "18岁以下");
    resident_filter_words_age(60, 80, w, sizeof w);
    assert_string_equal(w, "60-79岁");
    assert_int_equal(resident_count(f->st, w, &n), WS_OK);
    assert_int_equal(n, 2);
}

/* What the title says a filter shows. */
static void test_filter_describe(void **state)
{
    fixture *f = *state;
    make_filter_register(f);
    char out[512];
    assert_int_equal(resident_filter_describe(f->st, "低保 学堂湾社区", " · ", out, sizeof out),
                     WS_OK);
    assert_string_equal(out, "低保 · 学堂湾社区");
    assert_int_equal(resident_filter_describe(f->st, "低保对象  张 60岁及以上 h00001 低保", " · ",
                                              out, sizeof out), WS_OK);
    assert_string_equal(out, "低保 · 60岁以上 · 户H00001 · “张”");
    assert_int_equal(resident_filter_describe(f->st, "60～79岁 不满18岁", "/", out, sizeof out),
                     WS_OK);
    assert_string_equal(out, "60-79岁/18岁以下");
    assert_int_equal(resident_filter_describe(f->st, "zhang s", " · ", out, sizeof out), WS_OK);
    assert_string_equal(out, "“zhang s”");
    assert_int_equal(resident_filter_describe(f->st, "  ", " · ", out, sizeof out), WS_OK);
    assert_string_equal(out, "");
    assert_int_equal(resident_filter_describe(f->st, NULL, " · ", out, sizeof out), WS_OK);
    assert_string_equal(out, "");
    /* cut at a whole part when the buffer is small */
    assert_int_equal(resident_filter_describe(f->st, "低保 学堂湾社区", " · ", out, 12), WS_OK);
    assert_string_equal(out, "低保");
}


/* A move can take the new household's address, in the same audited write:
 * one audit row holds the household, relation and address before and
 * after, and the search finds the new address, not the old one. */
static void test_move_takes_address(void **state)
{
    fixture *f = *state;
    int64_t c = add_community(f, "学堂湾社区");
    int64_t h1 = add_household(f, "H00001", c);
    int64_t h2 = add_household(f, "H00002", c);
    resident a, b;
    person(&a, "张三", "11010519491231002X");
    a.community_id = c;
    a.household_id = h1;
    snprintf(a.relation, sizeof a.relation, "head");
    snprintf(a.address, sizeof a.address, "学堂湾路1号");
    int64_t ida = save_ok(f, &a);
    person(&b, "李四", "440524188001010014");
    b.community_id = c;
    b.household_id = h1;
    snprintf(b.relation, sizeof b.relation, "spouse");
    snprintf(b.address, sizeof b.address, "学堂湾路1号");
    int64_t idb = save_ok(f, &b);
    int64_t audits = raw_int(f, "SELECT count(*) FROM audit_log WHERE table_name = 'residents'", 0);

    field_error fe;
    assert_int_equal(resident_move_with_address(f->st, idb, h2, "head", "青石村三组5号", &fe), WS_OK);
    resident l;
    assert_int_equal(resident_load(f->st, idb, &l), WS_OK);
    assert_int_equal(l.household_id, h2);
    assert_string_equal(l.relation, "head");
    assert_string_equal(l.address, "青石村三组5号");
    assert_string_equal(l.name, "李四");
    assert_string_equal(l.id_number, "440524188001010014");
    assert_int_equal(raw_int(f, "SELECT count(*) FROM audit_log WHERE table_name = 'residents'", 0),
                     audits + 1);
    char want[256];
    snprintf(want, sizeof want, "%lld>%lld spouse>head 学堂湾路1号>青石村三组5号", (long long)h1,
             (long long)h2);
    assert_raw_text(f, "SELECT json_extract(before, '$.household_id') || '>' ||"
                       " json_extract(after, '$.household_id') || ' ' ||"
                       " json_extract(before, '$.relation') || '>' || json_extract(after, '$.relation')"
                       " || ' ' || json_extract(before, '$.address') || '>' ||"
                       " json_extract(after, '$.address') FROM audit_log WHERE row_id = ?1"
                       " ORDER BY id DESC LIMIT 1", idb, want);
    household h;
    assert_int_equal(household_load(f->st, h2, &h), WS_OK);
    assert_int_equal(h.head_id, idb);
    /* the search index follows the address */
    expect_filter(f, "青石村三组", "李四");
    expect_filter(f, "学堂湾路", "张三");

    /* without an address the move leaves it as it is */
    assert_int_equal(resident_move_with_address(f->st, idb, h1, "spouse", NULL, &fe), WS_OK);
    assert_int_equal(resident_load(f->st, idb, &l), WS_OK);
    assert_int_equal(l.household_id, h1);
    assert_string_equal(l.address, "青石村三组5号");

    /* a refused move writes nothing, the address neither */
    counts before = count_rows(f);
    assert_int_equal(resident_move_with_address(f->st, idb, h1, "head", "别处", &fe), WS_ERR_INVALID);
    assert_int_equal(fe.field, RF_RELATION);
    char longer[RESIDENT_ADDRESS_CHARS * 3 + 8] = "";
    for (int i = 0; i <= RESIDENT_ADDRESS_CHARS; i++)
        strcat(longer, "路");
    assert_int_equal(resident_move_with_address(f->st, idb, h2, "spouse", longer, &fe),
                     WS_ERR_INVALID);
    assert_int_equal(fe.field, RF_ADDRESS);
    assert_counts_equal(count_rows(f), before);
    assert_int_equal(resident_load(f->st, idb, &l), WS_OK);
    assert_int_equal(l.household_id, h1);
    assert_string_equal(l.address, "青石村三组5号");
    assert_int_equal(resident_load(f->st, ida, &l), WS_OK);
    assert_string_equal(l.address, "学堂湾路1号");
}

/* A child's status needs a child, an old person's status an old person
 * (clerk's trial: a 36-year-old was saved as a 留守儿童). */
static void test_group_ages(void **state)
{
    fixture *f = *state;
    struct {
        const char *birth, *group;
        val_status want;
    } cases[] = {
        {"1990-05-01", "left_behind_child", VAL_GROUP_CHILD},
        {"2015-05-01", "left_behind_child", VAL_OK},
        {"1990-05-01", "empty_nest", VAL_GROUP_ELDERLY},
        {"1950-05-01", "living_alone", VAL_OK},
        {"", "orphan", VAL_OK}, /* no birth date: nothing to check against */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        resident r;
        char name[32];
        snprintf(name, sizeof name, "年龄%s", i == 0 ? "一" : i == 1 ? "二" : i == 2 ? "三"
                                             : i == 3 ? "四" : "五");
        person(&r, name, NULL);
        snprintf(r.birth_date, sizeof r.birth_date, "%s", cases[i].birth);
        resident_group g = {0};
        snprintf(g.code, sizeof g.code, "%s", cases[i].group);
        assert_true(resident_group_set(&r, &g));
        field_error fe;
        ws_status st = resident_save(f->st, &r, &fe);
        if (cases[i].want == VAL_OK) {
            if (st != WS_OK)
                fail_msg("%s %s: %s %s", cases[i].birth, cases[i].group, ws_status_name(st),
                         val_status_key(fe.code));
        } else {
            assert_int_equal(st, WS_ERR_INVALID);
            assert_int_equal(fe.code, cases[i].want);
            assert_int_equal(fe.field, RF_GROUPS);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_save_new, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validation_writes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_id_number, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_audit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delete_soft, setup, teardown),
        cmocka_unit_test_setup_teardown(test_groups, setup, teardown),
        cmocka_unit_test_setup_teardown(test_groups_audit_as_read_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_paging, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_move, setup, teardown),
        cmocka_unit_test_setup_teardown(test_locked_save, setup, teardown),
        cmocka_unit_test_setup_teardown(test_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_change_details, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_head, setup, teardown),
        cmocka_unit_test_setup_teardown(test_demo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notes_lines_and_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_group_untick, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stale_save, setup, teardown),
        cmocka_unit_test_setup_teardown(test_group_ages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filter_words, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ledger_name_reads_index, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filter_ages_and_plans, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filter_home_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filter_describe, setup, teardown),
        cmocka_unit_test_setup_teardown(test_move_takes_address, setup, teardown),
    };
    return testutil_run(tests);
}
