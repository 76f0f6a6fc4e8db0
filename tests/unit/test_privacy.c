/* Consent and the rights of the people on the register (issue 10): a
 * resident's consents and their rules, the list of one person's consents,
 * residents as a declared kind (first step), the copy of everything held
 * about a person, and erasure, down to the bytes of the station file. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wushe/access.h"
#include "wushe/account.h"
#include "wushe/community.h"
#include "wushe/consent.h"
#include "wushe/household.h"
#include "wushe/privacy.h"
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

/* A valid ID number of region 510902, birth YYYYMMDD, sequence seq. */
static void make_id(char out[19], const char *ymd, int seq)
{
    char d17[32];
    snprintf(d17, sizeof d17, "510902%.8s%03d", ymd, (unsigned)seq % 1000);
    memcpy(out, d17, 17);
    out[17] = val_id_check_char(d17);
    out[18] = '\0';
}

static int64_t add_household(fixture *f, const char *number)
{
    community c;
    memset(&c, 0, sizeof c);
    snprintf(c.name, sizeof c.name, "学堂湾社区");
    record_error re;
    if (community_find_by_name(f->st, c.name, &c) != WS_OK)
        assert_int_equal(community_save(f->st, &c, &re), WS_OK);
    household h;
    household_init(&h);
    snprintf(h.number, sizeof h.number, "%s", number);
    snprintf(h.address, sizeof h.address, "学堂湾路8号");
    h.community_id = c.id;
    assert_int_equal(household_save(f->st, &h, &re), WS_OK);
    return h.id;
}

typedef struct person {
    const char *name, *idn, *phone, *address, *notes, *relation;
    int64_t household;
} person;

static int64_t add_person(fixture *f, const person *p, const char *group, const char *cert)
{
    resident r;
    resident_init(&r);
    snprintf(r.name, sizeof r.name, "%s", p->name);
    snprintf(r.id_number, sizeof r.id_number, "%s", p->idn ? p->idn : "");
    snprintf(r.phone, sizeof r.phone, "%s", p->phone ? p->phone : "");
    snprintf(r.address, sizeof r.address, "%s", p->address ? p->address : "");
    snprintf(r.notes, sizeof r.notes, "%s", p->notes ? p->notes : "");
    snprintf(r.relation, sizeof r.relation, "%s", p->relation ? p->relation : "");
    r.household_id = p->household;
    if (group) {
        resident_group g;
        memset(&g, 0, sizeof g);
        snprintf(g.code, sizeof g.code, "%s", group);
        snprintf(g.start_date, sizeof g.start_date, "2020-03-01");
        snprintf(g.cert_no, sizeof g.cert_no, "%s", cert ? cert : "");
        resident_group_set(&r, &g);
    }
    field_error fe;
    ws_status s = resident_save(f->st, &r, &fe);
    if (s != WS_OK)
        fail_msg("resident_save(%s): %s %s '%s'", p->name, ws_status_name(s),
                 val_status_key(fe.code), fe.detail);
    return r.id;
}

static int64_t add_simple(fixture *f, const char *name, const char *ymd, int seq)
{
    char idn[19];
    make_id(idn, ymd, seq);
    person p = {.name = name, .idn = idn};
    return add_person(f, &p, NULL, NULL);
}

static ws_status save_consent(fixture *f, consent *c, record_error *re)
{
    return record_save(f->st, &kind_consent, c, re);
}

/* ---- consent ---- */

static void test_consent_rules(void **state)
{
    fixture *f = *state;
    int64_t adult = add_simple(f, "张建国", "19800101", 11);
    int64_t child = add_simple(f, "李小花", "20150601", 12); /* 11 on 2026-11-23 */
    int64_t teen = add_simple(f, "王小明", "20120301", 13);  /* 14 since 2026-03-01 */
    consent c;
    record_error re;

    /* The person's own consent, scope typed as labels. */
    consent_init(&c, adult);
    assert_string_equal(c.consent_date, "2026-11-23");
    assert_int_equal(record_parse(f->st, &kind_consent, CF_SCOPE, "登记、服务", &c), VAL_OK);
    assert_string_equal(c.scope, "register,services");
    snprintf(c.guardian_name, sizeof c.guardian_name, "多余的监护人");
    snprintf(c.reference, sizeof c.reference, "TY-2026-001");
    assert_int_equal(save_consent(f, &c, &re), WS_OK);
    /* Given by the person: no guardian is kept. */
    assert_string_equal(c.giver, "self");
    assert_string_equal(c.guardian_name, "");
    char cell[256];
    record_format(f->st, &kind_consent, CF_SCOPE, &c, false, cell, sizeof cell);
    assert_string_equal(cell, "登记 服务");
    /* What a list shows parses back. */
    consent back;
    consent_init(&back, adult);
    assert_int_equal(record_parse(f->st, &kind_consent, CF_SCOPE, cell, &back), VAL_OK);
    assert_string_equal(back.scope, c.scope);

    /* A scope is required, and a word that is no scope is named. */
    consent_init(&c, adult);
    assert_int_equal(save_consent(f, &c, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, CF_SCOPE);
    assert_int_equal(re.code, VAL_REQUIRED);
    assert_int_equal(record_parse(f->st, &kind_consent, CF_SCOPE, "登记 出借", &c), VAL_OK);
    assert_int_equal(save_consent(f, &c, &re), WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_UNKNOWN_CODE);

    /* Not in the future. */
    consent_init(&c, adult);
    snprintf(c.scope, sizeof c.scope, "register");
    snprintf(c.consent_date, sizeof c.consent_date, "2026-11-24");
    assert_int_equal(save_consent(f, &c, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, CF_DATE);
    assert_int_equal(re.code, VAL_DATE_FUTURE);
    /* Not before the person was born. */
    snprintf(c.consent_date, sizeof c.consent_date, "1979-12-31");
    assert_int_equal(save_consent(f, &c, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, CF_DATE);
    assert_int_equal(re.code, VAL_BEFORE_BIRTH);
    assert_string_equal(re.detail, "1980-01-01");
    /* Withdrawn after it was given, not before. */
    snprintf(c.consent_date, sizeof c.consent_date, "2025-05-05");
    snprintf(c.withdrawn_date, sizeof c.withdrawn_date, "2025-05-04");
    assert_int_equal(save_consent(f, &c, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, CF_WITHDRAWN);
    assert_int_equal(re.code, VAL_WITHDRAWN_BEFORE);
    char msg[512];
    record_error_text(&kind_consent, &re, msg, sizeof msg);
    assert_string_equal(msg, "撤回日期：撤回日期不能早于同意日期（2025-05-05）");
    snprintf(c.withdrawn_date, sizeof c.withdrawn_date, "2026-01-10");
    assert_int_equal(save_consent(f, &c, &re), WS_OK);

    /* Under 14: a guardian, with a name and a relation. */
    consent_init(&c, child);
    snprintf(c.scope, sizeof c.scope, "register,share");
    assert_int_equal(save_consent(f, &c, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, CF_GIVER);
    assert_int_equal(re.code, VAL_GUARDIAN_NEEDED);
    assert_string_equal(re.detail, "11");
    record_error_text(&kind_consent, &re, msg, sizeof msg);
    assert_non_null(strstr(msg, "未满14周岁（11岁）"));
    snprintf(c.giver, sizeof c.giver, "guardian");
    assert_int_equal(save_consent(f, &c, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, CF_GUARDIAN_NAME);
    assert_int_equal(re.code, VAL_REQUIRED);
    snprintf(c.guardian_name, sizeof c.guardian_name, "李大山");
    assert_int_equal(save_consent(f, &c, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, CF_GUARDIAN_RELATION);
    assert_int_equal(re.code, VAL_REQUIRED);
    snprintf(c.guardian_relation, sizeof c.guardian_relation, "parent");
    assert_int_equal(save_consent(f, &c, &re), WS_OK);
    /* A guardian's name typed with no giver chosen means a guardian. */
    consent_init(&c, child);
    c.giver[0] = '\0';
    snprintf(c.scope, sizeof c.scope, "services");
    snprintf(c.guardian_name, sizeof c.guardian_name, "学堂湾社区居民委员会");
    snprintf(c.guardian_relation, sizeof c.guardian_relation, "committee");
    assert_int_equal(save_consent(f, &c, &re), WS_OK);
    assert_string_equal(c.giver, "guardian");

    /* The age on the consent's date counts, not today's. */
    consent_init(&c, teen);
    snprintf(c.scope, sizeof c.scope, "register");
    assert_int_equal(save_consent(f, &c, &re), WS_OK);
    consent_init(&c, teen);
    snprintf(c.scope, sizeof c.scope, "register");
    snprintf(c.consent_date, sizeof c.consent_date, "2026-02-28");
    assert_int_equal(save_consent(f, &c, &re), WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_GUARDIAN_NEEDED);
    assert_string_equal(re.detail, "13");

    /* A deleted resident takes no new consent. */
    assert_int_equal(resident_delete(f->st, adult), WS_OK);
    consent_init(&c, adult);
    snprintf(c.scope, sizeof c.scope, "register");
    assert_int_equal(save_consent(f, &c, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, CF_RESIDENT);
    assert_int_equal(re.code, VAL_NOT_FOUND);
}

/* One person's consents: a generic list with a parent, paged both ways,
 * counted, its recycle bin; another person's are not in it. */
static void test_consent_list_of_one(void **state)
{
    fixture *f = *state;
    int64_t a = add_simple(f, "赵一", "19700101", 21);
    int64_t b = add_simple(f, "赵二", "19700102", 22);
    enum { N = 7, PAGE = 3 };
    int64_t ids[N];
    record_error re;
    for (int i = 0; i < N; i++) {
        consent c;
        consent_init(&c, a);
        snprintf(c.scope, sizeof c.scope, "register");
        snprintf(c.consent_date, sizeof c.consent_date, "2026-0%d-15", i + 1);
        snprintf(c.reference, sizeof c.reference, "A-%d", i);
        assert_int_equal(save_consent(f, &c, &re), WS_OK);
        ids[i] = c.id;
        consent o;
        consent_init(&o, b);
        snprintf(o.scope, sizeof o.scope, "services");
        snprintf(o.reference, sizeof o.reference, "B-%d", i);
        assert_int_equal(save_consent(f, &o, &re), WS_OK);
    }
    record_parent pa = {CF_RESIDENT, a};
    int64_t n = 0;
    assert_int_equal(record_count_in(f->st, &kind_consent, &pa, NULL, &n), WS_OK);
    assert_int_equal(n, N);
    assert_int_equal(record_count(f->st, &kind_consent, NULL, &n), WS_OK);
    assert_int_equal(n, 2 * N);
    /* Forward in date order, then backward: the same rows reversed. */
    record_row rows[PAGE];
    size_t got = 0, seen = 0;
    int64_t after = 0;
    do {
        assert_int_equal(record_list_in(f->st, &kind_consent, &pa, NULL, false, after, 1, rows,
                                        PAGE, &got), WS_OK);
        for (size_t i = 0; i < got; i++)
            assert_int_equal(rows[i].id, ids[seen++]);
        after = got ? rows[got - 1].id : after;
    } while (got == PAGE);
    assert_int_equal(seen, N);
    after = 0;
    do {
        assert_int_equal(record_list_in(f->st, &kind_consent, &pa, NULL, false, after, -1, rows,
                                        PAGE, &got), WS_OK);
        for (size_t i = 0; i < got; i++)
            assert_int_equal(rows[i].id, ids[--seen]);
        after = got ? rows[got - 1].id : after;
    } while (got == PAGE);
    assert_int_equal(seen, 0);
    /* The search box within one person's: the paper form's number. */
    assert_int_equal(record_list_in(f->st, &kind_consent, &pa, "A-3", false, 0, 1, rows, PAGE,
                                    &got), WS_OK);
    assert_int_equal(got, 1);
    assert_int_equal(rows[0].id, ids[3]);
    assert_int_equal(record_list_in(f->st, &kind_consent, &pa, "B-3", false, 0, 1, rows, PAGE,
                                    &got), WS_OK);
    assert_int_equal(got, 0);
    /* Deleted: in this person's bin only. */
    assert_int_equal(record_delete(f->st, &kind_consent, ids[0], &re), WS_OK);
    assert_int_equal(record_list_in(f->st, &kind_consent, &pa, NULL, true, 0, 1, rows, PAGE,
                                    &got), WS_OK);
    assert_int_equal(got, 1);
    assert_int_equal(rows[0].id, ids[0]);
    record_parent pb = {CF_RESIDENT, b};
    assert_int_equal(record_list_in(f->st, &kind_consent, &pb, NULL, true, 0, 1, rows, PAGE,
                                    &got), WS_OK);
    assert_int_equal(got, 0);
    /* Only a reference is a parent. */
    record_parent bad = {CF_DATE, a};
    assert_int_equal(record_list_in(f->st, &kind_consent, &bad, NULL, false, 0, 1, rows, PAGE,
                                    &got), WS_ERR_INVALID);
}

/* kind_resident: a reference's title, and a resident written or deleted
 * through the declared kind is in (or out of) the residents' own search
 * index. */
static void test_resident_kind(void **state)
{
    fixture *f = *state;
    void *rec = calloc(1, kind_resident.size);
    record_init(&kind_resident, rec);
    record_error re;
    assert_int_equal(record_parse(f->st, &kind_resident, 0, "Anna", rec), VAL_OK);
    assert_int_equal(record_save(f->st, &kind_resident, rec, &re), WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_NAME_LATIN);
    assert_int_equal(record_parse(f->st, &kind_resident, 0, "欧阳翠花", rec), VAL_OK);
    assert_int_equal(record_save(f->st, &kind_resident, rec, &re), WS_OK);
    int64_t id = record_id(&kind_resident, rec);
    resident_row rows[4];
    size_t n = 0;
    assert_int_equal(resident_list(f->st, "oych", 0, 1, rows, 4, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, id);
    /* Renamed: found by the new name only. */
    assert_int_equal(record_parse(f->st, &kind_resident, 0, "欧阳春花", rec), VAL_OK);
    assert_int_equal(record_save(f->st, &kind_resident, rec, &re), WS_OK);
    assert_int_equal(resident_list(f->st, "翠花", 0, 1, rows, 4, &n), WS_OK);
    assert_int_equal(n, 0);
    assert_int_equal(resident_list(f->st, "ouyangchun", 0, 1, rows, 4, &n), WS_OK);
    assert_int_equal(n, 1);
    char title[64];
    assert_int_equal(record_title(f->st, &kind_resident, id, title, sizeof title), WS_OK);
    assert_string_equal(title, "欧阳春花");
    /* The same record resident_load reads. */
    resident r;
    assert_int_equal(resident_load(f->st, id, &r), WS_OK);
    assert_string_equal(r.name, "欧阳春花");
    /* A delete through the kind is resident_delete: out of the search. */
    assert_int_equal(record_delete(f->st, &kind_resident, id, &re), WS_OK);
    assert_int_equal(resident_list(f->st, "ouyangchun", 0, 1, rows, 4, &n), WS_OK);
    assert_int_equal(n, 0);
    free(rec);
}

/* ---- the copy of everything held ---- */

typedef struct subject {
    char idn[19], other_idn[19];
    int64_t id, other, household, consent_id;
} subject;

#define S_NAME "欧阳翠花"
#define S_PHONE_OLD "13812345678"
#define S_PHONE "13987654321"
#define S_ADDRESS "青石村翠竹巷17号"
#define S_NOTES "独自照顾患病的丈夫，每周三送药"
#define S_CERT "DB51090277661"
#define S_GUARDIAN "欧阳德胜"
#define S_REFERENCE "TY-7788-QS"

/* A person with everything a register holds: statuses with a certificate,
 * a household with another member, consents, a change of phone, an
 * unmasked search for their ID number. */
static void subject_make(fixture *f, subject *s)
{
    memset(s, 0, sizeof *s);
    make_id(s->idn, "19560412", 32);       /* even: a woman */
    make_id(s->other_idn, "19550101", 31);
    s->household = add_household(f, "H00777");
    person p = {.name = S_NAME, .idn = s->idn, .phone = S_PHONE_OLD, .address = S_ADDRESS,
                .notes = S_NOTES, .relation = "head", .household = s->household};
    s->id = add_person(f, &p, "dibao", S_CERT);
    person q = {.name = "欧阳大山", .idn = s->other_idn, .phone = S_PHONE_OLD,
                .relation = "spouse", .household = s->household};
    s->other = add_person(f, &q, NULL, NULL);
    resident r;
    field_error fe;
    assert_int_equal(resident_load(f->st, s->id, &r), WS_OK);
    snprintf(r.phone, sizeof r.phone, S_PHONE);
    assert_int_equal(resident_save(f->st, &r, &fe), WS_OK);
    consent c;
    record_error re;
    consent_init(&c, s->id);
    snprintf(c.consent_date, sizeof c.consent_date, "2025-03-01");
    snprintf(c.scope, sizeof c.scope, "register,services,share");
    snprintf(c.giver, sizeof c.giver, "guardian");
    snprintf(c.guardian_name, sizeof c.guardian_name, S_GUARDIAN);
    snprintf(c.guardian_relation, sizeof c.guardian_relation, "other_person");
    snprintf(c.reference, sizeof c.reference, S_REFERENCE);
    assert_int_equal(record_save(f->st, &kind_consent, &c, &re), WS_OK);
    s->consent_id = c.id;
    char detail[128];
    snprintf(detail, sizeof detail, "{\"query\":\"%s\"}", s->idn);
    assert_int_equal(access_unmask(f->st, "residents", 0, detail), WS_OK);
}

static void test_subject_text(void **state)
{
    fixture *f = *state;
    subject s;
    subject_make(f, &s);
    char *out = NULL;
    size_t len = 0, records = 0;
    assert_int_equal(subject_export(f->st, s.idn, SUBJECT_TEXT, "/tmp/copy.txt", &out, &len,
                                    &records), WS_OK);
    assert_int_equal(records, 1);
    assert_int_equal(strlen(out), len);
    const char *want[] = {
        "个人信息副本", s.idn, "姓名：" S_NAME, "联系电话：" S_PHONE, "住址：" S_ADDRESS,
        "备注：" S_NOTES, "性别：女", "出生日期：1956-04-12", "与户主关系：户主",
        "低保对象（认定日期 2020-03-01，证件编号 " S_CERT "）", "户号：H00777",
        "户内其他成员：欧阳大山（配偶）", "监护人 " S_GUARDIAN, S_REFERENCE,
        "同意范围 登记 服务 对外提供", "── 修改记录 ──", "新增", "修改",
        "联系电话：138****5678 → 139****4321", "── 查阅、导出等访问记录 ──", "导出",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(out, want[i]))
            fail_msg("the copy lacks \"%s\":\n%s", want[i], out);
    /* The other member's identifiers are theirs, not in this copy. */
    assert_null(strstr(out, s.other_idn));
    free(out);
    /* The copy is in the access log, with the row. */
    assert_int_equal(raw_int(f, "SELECT count(*) FROM access_log WHERE event = 'export'"
                                " AND table_name = 'residents' AND row_id = ?1"
                                " AND json_extract(detail, '$.kind') = 'subject'", s.id), 1);
    /* Any form of the number finds them; a bad one says why. */
    char lower[19];
    snprintf(lower, sizeof lower, "%s", s.idn);
    assert_int_equal(subject_export(f->st, "51090219560412000X", SUBJECT_TEXT, NULL, &out, &len,
                                    &records), WS_ERR_INVALID);
    make_id(lower, "19990101", 99);
    assert_int_equal(subject_export(f->st, lower, SUBJECT_TEXT, NULL, &out, &len, &records),
                     WS_ERR_NOT_FOUND);
    assert_null(out);
}

static void test_subject_json(void **state)
{
    fixture *f = *state;
    subject s;
    subject_make(f, &s);
    /* Deleted and registered again (as a station could before the number
     * of someone in the 回收站 was refused; made here by hand): both rows
     * are held, both are copied. */
    assert_int_equal(resident_delete(f->st, s.id), WS_OK);
    char other[19];
    make_id(other, "19700101", 977);
    person p = {.name = S_NAME, .idn = other, .relation = "head", .household = s.household};
    int64_t again = add_person(f, &p, NULL, NULL);
    sqlite3 *w = NULL;
    assert_int_equal(sqlite3_open(f->path, &w), SQLITE_OK);
    sqlite3_busy_timeout(w, 5000);
    char *sql = sqlite3_mprintf("UPDATE residents SET id_number = %Q WHERE id = %lld", s.idn,
                                (long long)again);
    assert_int_equal(sqlite3_exec(w, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_free(sql);
    sqlite3_close(w);
    char *out = NULL;
    size_t len = 0, records = 0;
    assert_int_equal(subject_export(f->st, s.idn, SUBJECT_JSON, NULL, &out, &len, &records),
                     WS_OK);
    assert_int_equal(records, 2);
    sqlite3_stmt *q = raw_prepare(f,
        "SELECT json_valid(?1), json_extract(?1, '$.records[0].id'),"
        " json_extract(?1, '$.records[1].id'), json_extract(?1, '$.records[1].phone'),"
        " json_extract(?1, '$.records[1].groups[0].cert_no'),"
        " json_extract(?1, '$.records[1].consents[0].guardian_name'),"
        " json_array_length(?1, '$.records[1].history'),"
        " json_extract(?1, '$.records[0].household.members[0].name'),"
        " json_extract(?1, '$.records[1].deleted_at') IS NOT NULL,"
        " json_extract(?1, '$.id_number')", 0);
    sqlite3_bind_text(q, 1, out, (int)len, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 1);
    assert_int_equal(sqlite3_column_int64(q, 1), again); /* the living one first */
    assert_int_equal(sqlite3_column_int64(q, 2), s.id);
    assert_string_equal((const char *)sqlite3_column_text(q, 3), S_PHONE);
    assert_string_equal((const char *)sqlite3_column_text(q, 4), S_CERT);
    assert_string_equal((const char *)sqlite3_column_text(q, 5), S_GUARDIAN);
    /* Every audit row of the person and of their consent. */
    int64_t audits = raw_int(f, "SELECT count(*) FROM audit_log WHERE (table_name = 'residents'"
                                " AND row_id = ?1) OR table_name = 'resident_consents'", s.id);
    assert_int_equal(sqlite3_column_int64(q, 6), audits);
    assert_string_equal((const char *)sqlite3_column_text(q, 7), "欧阳大山");
    assert_int_equal(sqlite3_column_int(q, 8), 1);
    assert_string_equal((const char *)sqlite3_column_text(q, 9), s.idn);
    sqlite3_finalize(q);
    free(out);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM access_log WHERE event = 'export'"
                                " AND table_name = 'residents' AND row_id IN (?1)", s.id), 1);
}

/* ---- erasure ---- */

static char *file_bytes(const char *path, size_t *n)
{
    *n = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long sz = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *b = malloc(sz > 0 ? (size_t)sz : 1);
    if (b && sz > 0 && fread(b, 1, (size_t)sz, fp) != (size_t)sz) {
        free(b);
        b = NULL;
    }
    fclose(fp);
    *n = b && sz > 0 ? (size_t)sz : 0;
    return b;
}

/* Whether any byte of the station file or its write-ahead log still
 * holds `what`. */
static bool file_holds(fixture *f, const char *what)
{
    char wal[4200];
    snprintf(wal, sizeof wal, "%s-wal", f->path);
    const char *paths[] = {f->path, wal};
    for (size_t i = 0; i < 2; i++) {
        size_t n = 0;
        char *b = file_bytes(paths[i], &n);
        bool found = b && memmem(b, n, what, strlen(what)) != NULL;
        free(b);
        if (found)
            return true;
    }
    return false;
}

static void test_erase(void **state)
{
    fixture *f = *state;
    subject s;
    subject_make(f, &s);
    const char *gone[] = {S_NAME, s.idn, S_PHONE, S_ADDRESS, S_NOTES, S_CERT, S_GUARDIAN,
                          S_REFERENCE, "ouyangcuihua"};
    /* Before: the file holds them (the test would prove nothing otherwise). */
    for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
        if (!file_holds(f, gone[i]))
            fail_msg("the file should hold %s before the erasure", gone[i]);
    station_stats before;
    assert_int_equal(station_stats_get(f->st, &before), WS_OK);

    /* A reason is required; the living 户主 is erased. */
    assert_int_equal(resident_erase(f->st, s.id, "  "), WS_ERR_INVALID);
    assert_int_equal(resident_erase(f->st, s.id, "本人申请删除（" S_NAME "来电）"), WS_OK);
    assert_int_equal(resident_erase(f->st, s.id, "again"), WS_ERR_NOT_FOUND);

    /* The row stays, deleted, erased, named as erased; no identifier. */
    assert_raw_text(f, "SELECT name || '|' || coalesce(id_number, '-') || '|' ||"
                       " coalesce(birth_date, '-') || '|' || phone || address || notes ||"
                       " ethnicity || search_text || name_pinyin || '|' ||"
                       " (deleted_at IS NOT NULL) || (erased_at IS NOT NULL) || '|' ||"
                       " (household_id IS NOT NULL) FROM residents WHERE id = ?1",
                    s.id, PRIVACY_ERASED_NAME "|-|-||11|1");
    /* The status keeps its code (counts), not its certificate or dates. */
    assert_raw_text(f, "SELECT group_code || '|' || cert_no || '|' || coalesce(start_date, '-')"
                       " FROM resident_groups WHERE resident_id = ?1", s.id, "dibao||-");
    /* The consent keeps what and when, not who signed or the paper. */
    assert_raw_text(f, "SELECT consent_date || '|' || scope || '|' || giver || '|' ||"
                       " guardian_name || reference || '|' || (deleted_at IS NOT NULL)"
                       " FROM resident_consents WHERE id = ?1", s.consent_id,
                    "2025-03-01|register,services,share|guardian||1");
    /* Nor its search terms (the reference's, folded: ty-7788-qs). */
    assert_int_equal(raw_int(f, "SELECT count(*) FROM record_terms WHERE id = ?1", s.consent_id), 0);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM record_term_sets WHERE id = ?1",
                             s.consent_id), 0);
    /* The history keeps its rows without the values. */
    assert_int_equal(raw_int(f, "SELECT count(*) FROM audit_log WHERE table_name = 'residents'"
                                " AND row_id = ?1 AND (instr(coalesce(before, '') ||"
                                " coalesce(after, ''), '" S_PHONE_OLD "')"
                                " OR instr(coalesce(after, ''), '" S_NAME "'))", s.id), 0);
    assert_true(raw_int(f, "SELECT count(*) FROM audit_log WHERE table_name = 'residents'"
                           " AND row_id = ?1", s.id) >= 4);
    /* The erasure is recorded: who, why (without the name), what. */
    assert_raw_text(f, "SELECT json_extract(after, '$.reason') FROM audit_log"
                       " WHERE table_name = 'residents' AND row_id = ?1"
                       " AND json_extract(after, '$.erased_at') IS NOT NULL", s.id,
                    "本人申请删除（***来电）");
    assert_int_equal(raw_int(f, "SELECT count(*) FROM access_log WHERE event = 'erase'"
                                " AND table_name = 'residents' AND row_id = ?1", s.id), 1);
    /* Not in the recycle bin, not restorable, not found by its number. */
    resident_deleted_row bin[4];
    size_t n = 0;
    assert_int_equal(resident_list_deleted(f->st, NULL, 0, 1, bin, 4, &n), WS_OK);
    assert_int_equal(n, 0);
    field_error fe;
    assert_int_equal(resident_restore(f->st, s.id, &fe), WS_ERR_NOT_FOUND);
    privacy_match m[2];
    assert_int_equal(privacy_find(f->st, s.idn, m, 2, &n, NULL), WS_OK);
    assert_int_equal(n, 0);

    /* Everyone else's records as they were: the spouse keeps the shared
     * phone; the household is there, with no 户主 now, and check agrees. */
    resident other;
    assert_int_equal(resident_load(f->st, s.other, &other), WS_OK);
    assert_string_equal(other.phone, S_PHONE_OLD);
    assert_string_equal(other.id_number, s.other_idn);
    station_stats after;
    assert_int_equal(station_stats_get(f->st, &after), WS_OK);
    assert_int_equal(after.residents, before.residents - 1);
    assert_int_equal(after.households, before.households);
    station_check_report rep;
    assert_int_equal(station_check(f->st, &rep), WS_OK);
    assert_true(rep.integrity_ok);
    assert_int_equal(rep.fk_problems, 0);
    assert_int_equal(rep.head_problems, 0);
    /* The household's history shows a member, not who. */
    member_event ev[16];
    assert_int_equal(resident_household_events(f->st, s.household, ev, 16, &n), WS_OK);
    bool erased_seen = false;
    for (size_t i = 0; i < n; i++) {
        assert_string_not_equal(ev[i].name, S_NAME);
        erased_seen |= ev[i].resident_id == s.id && !strcmp(ev[i].name, PRIVACY_ERASED_NAME);
    }
    assert_true(erased_seen);

    /* The file: compacted, then not one byte of the values is left. */
    assert_int_equal(privacy_compact(f->st), WS_OK);
    for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
        if (file_holds(f, gone[i]))
            fail_msg("the station file still holds \"%s\" after the erasure", gone[i]);
    /* The other member's are still there. */
    assert_true(file_holds(f, s.other_idn));
    assert_true(file_holds(f, S_PHONE_OLD));
}

/* A resident in the recycle bin is erased as they are; what their delete
 * freed long before (postings, index entries), written without
 * secure_delete, goes with the compaction. */
static void test_erase_deleted(void **state)
{
    fixture *f = *state;
    char idn[19];
    make_id(idn, "19610203", 41);
    person p = {.name = "司马青衫", .idn = idn, .phone = "13566778899",
                .address = "桃源村柳树湾3组"};
    int64_t id = add_person(f, &p, NULL, NULL);
    int64_t keep = add_simple(f, "司马红袖", "19610204", 42);
    assert_int_equal(resident_delete(f->st, id), WS_OK);
    /* Life goes on between the delete and the erasure. */
    for (int i = 0; i < 30; i++) {
        char name[32];
        snprintf(name, sizeof name, "上官%s", i % 2 ? "明月" : "清风");
        add_simple(f, name, "19900101", 100 + i);
    }
    int64_t audits = raw_int(f, "SELECT count(*) FROM audit_log", 0);
    assert_int_equal(resident_erase(f->st, id, "超过保存期限"), WS_OK);
    /* One row more: the erasure's (a delete was made before). */
    assert_int_equal(raw_int(f, "SELECT count(*) FROM audit_log", 0), audits + 1);
    assert_raw_text(f, "SELECT name FROM residents WHERE id = ?1", id, PRIVACY_ERASED_NAME);
    resident_row rows[4];
    size_t n = 0;
    assert_int_equal(resident_list(f->st, "司马", 0, 1, rows, 4, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, keep);
    assert_int_equal(privacy_compact(f->st), WS_OK);
    const char *gone[] = {"司马青衫", idn, "13566778899", "桃源村柳树湾3组", "simaqingshan"};
    for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
        if (file_holds(f, gone[i]))
            fail_msg("the station file still holds \"%s\" after the erasure", gone[i]);
    assert_true(file_holds(f, "司马红袖"));
}

/* Only a 站长 copies or erases; a refusal is recorded and changes
 * nothing. */
static void test_refused_but_for_director(void **state)
{
    fixture *f = *state;
    subject s;
    subject_make(f, &s);
    static const char *const roles[] = {"worker", "clerk", "supervisor", "director"};
    static const char *const logins[] = {"sg", "lr", "dd", "zz"};
    for (int i = 0; i < 4; i++) {
        account a;
        account_init(&a);
        snprintf(a.login, sizeof a.login, "%s", logins[i]);
        snprintf(a.display_name, sizeof a.display_name, "测试%s", i == 3 ? "站长" : "员");
        snprintf(a.role, sizeof a.role, "%s", roles[i]);
        record_error re;
        assert_int_equal(account_create(f->st, &a, "wushe-test-pw", &re), WS_OK);
    }
    station *st = NULL;
    char err[256];
    assert_int_equal(station_open(f->path, 0, NULL, &st, err, sizeof err), WS_OK);
    /* Nobody logged in: nothing. */
    char *out = NULL;
    size_t len = 0, records = 0;
    assert_int_equal(subject_export(st, s.idn, SUBJECT_TEXT, NULL, &out, &len, &records),
                     WS_ERR_DENIED);
    for (int i = 0; i < 3; i++) {
        account_login_result res;
        assert_int_equal(account_login(st, logins[i], "wushe-test-pw", &res), WS_OK);
        assert_int_equal(subject_export(st, s.idn, SUBJECT_JSON, NULL, &out, &len, &records),
                         WS_ERR_DENIED);
        assert_null(out);
        assert_int_equal(resident_erase(st, s.id, "本人申请"), WS_ERR_DENIED);
        assert_int_equal(privacy_compact(st), WS_ERR_DENIED);
        account_logout(st);
    }
    assert_int_equal(raw_int(f, "SELECT count(*) FROM access_log WHERE event = 'denied'"
                                " AND json_extract(detail, '$.perm') IN ('perm.subject',"
                                " 'perm.erase') AND ?1 = ?1", 0), 10);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM access_log WHERE event IN ('export',"
                                " 'erase') AND ?1 = ?1", 0), 0);
    assert_raw_text(f, "SELECT name FROM residents WHERE id = ?1", s.id, S_NAME);
    /* The 站长 may, and is the actor. */
    account_login_result res;
    assert_int_equal(account_login(st, "zz", "wushe-test-pw", &res), WS_OK);
    assert_int_equal(subject_export(st, s.idn, SUBJECT_TEXT, NULL, &out, &len, &records), WS_OK);
    assert_non_null(strstr(out, "测试站长 (zz)"));
    free(out);
    assert_int_equal(resident_erase(st, s.id, "本人申请"), WS_OK);
    assert_raw_text(f, "SELECT actor FROM audit_log WHERE table_name = 'residents'"
                       " AND row_id = ?1 ORDER BY id DESC LIMIT 1", s.id, "zz");
    assert_raw_text(f, "SELECT login FROM access_log WHERE event = 'erase' AND row_id = ?1",
                    s.id, "zz");
    station_close(&st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_consent_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_consent_list_of_one, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resident_kind, setup, teardown),
        cmocka_unit_test_setup_teardown(test_subject_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_subject_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_erase, setup, teardown),
        cmocka_unit_test_setup_teardown(test_erase_deleted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_but_for_director, setup, teardown),
    };
    return testutil_run(tests);
}
