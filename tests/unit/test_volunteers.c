/* Volunteers, activities and the hours and points ledgers (issue 12):
 * numbers never reused, a linked volunteer named by the register, bad
 * input refused with nothing written, the ledger never edited, 更正 as a
 * reversal and a corrected entry, points never below zero with two
 * connections at once, the counts on a known fixture, star thresholds
 * from station.yaml. */
#include "testutil.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wushe/account.h"
#include "wushe/catalog.h"
#include "wushe/config.h"
#include "wushe/encoding.h"
#include "wushe/export.h"
#include "wushe/import.h"
#include "wushe/privacy.h"
#include "wushe/resident.h"
#include "wushe/volunteer.h"

static int setup(void **state)
{
    *state = testutil_station_open(true);
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    testutil_station *t = *state;
    testutil_station_close(&t);
    return 0;
}

/* body: the first 17 digits of an ID number; the check character added. */
static int64_t resident_new(station *st, const char *name, const char *body, const char *phone)
{
    resident r;
    resident_init(&r);
    snprintf(r.name, sizeof r.name, "%s", name);
    snprintf(r.id_number, sizeof r.id_number, "%.17s%c", body, val_id_check_char(body));
    snprintf(r.phone, sizeof r.phone, "%s", phone);
    field_error fe;
    assert_int_equal(resident_save(st, &r, &fe), WS_OK);
    return r.id;
}

static int64_t volunteer_new(station *st, const char *name, const char *registered)
{
    volunteer v;
    volunteer_init(&v);
    snprintf(v.name, sizeof v.name, "%s", name);
    snprintf(v.registered_date, sizeof v.registered_date, "%s", registered);
    record_error re;
    assert_int_equal(record_save(st, &kind_volunteer, &v, &re), WS_OK);
    return v.id;
}

static int64_t activity_new(station *st, const char *title)
{
    activity a;
    record_init(&kind_activity, &a);
    snprintf(a.title, sizeof a.title, "%s", title);
    snprintf(a.type, sizeof a.type, "group");
    record_error re;
    assert_int_equal(record_save(st, &kind_activity, &a, &re), WS_OK);
    return a.id;
}

static int64_t session_new(station *st, int64_t act, const char *date, const char *from,
                           const char *to, int64_t unnamed)
{
    session s;
    record_init(&kind_session, &s);
    s.activity_id = act;
    snprintf(s.date, sizeof s.date, "%s", date);
    snprintf(s.start, sizeof s.start, "%s", from);
    snprintf(s.end, sizeof s.end, "%s", to);
    s.unnamed = unnamed;
    record_error re;
    assert_int_equal(record_save(st, &kind_session, &s, &re), WS_OK);
    return s.id;
}

/* Volunteers are listed as the register lists residents: a polyphonic
 * surname by its surname reading (曾 zeng, 查 zha after 陈 chen); before,
 * the generic sort key read 曾 as ceng and 查 as cha. A station of an
 * earlier version has its keys made again on its first open. */
static void test_surname_order(void **state)
{
    testutil_station *t = *state;
    const char *names[] = {"曾涵萱", "陈山", "查良", "白良", "曹刚帆", "张三"};
    for (size_t i = 0; i < 6; i++)
        volunteer_new(t->st, names[i], "2026-01-05");
    const char *want = "白良 曹刚帆 陈山 曾涵萱 查良 张三 ";
    record_row rows[8];
    size_t n = 0;
    char got[256];
    for (int pass = 0; pass < 2; pass++) {
        assert_int_equal(record_list(t->st, &kind_volunteer, NULL, false, 0, 1, rows, 8, &n), WS_OK);
        assert_int_equal(n, 6);
        size_t used = 0;
        got[0] = '\0';
        int idx[RECORD_MAX_COLS];
        size_t nc = record_list_fields(&kind_volunteer, idx);
        size_t name_col = 0;
        for (size_t c = 0; c < nc; c++)
            if (idx[c] == (int)kind_volunteer.title_field)
                name_col = c;
        for (size_t i = 0; i < n; i++)
            used += (size_t)snprintf(got + used, sizeof got - used, "%s ", rows[i].cells[name_col]);
        assert_string_equal(got, want);
        /* As an earlier version left them: made again by the first open. */
        sqlite3 *h = NULL;
        assert_int_equal(sqlite3_open(t->path, &h), SQLITE_OK);
        assert_int_equal(sqlite3_exec(h, "UPDATE volunteers SET sort_key = x'00';"
                                         " UPDATE settings SET value = 'old'"
                                         " WHERE key = 'record_terms_version'", NULL, NULL, NULL),
                         SQLITE_OK);
        sqlite3_close(h);
        assert_int_equal(record_ensure(t->st), WS_OK);
    }
}

static void test_numbers_never_reused(void **state)
{
    testutil_station *t = *state;
    int64_t a = volunteer_new(t->st, "李春梅", "2026-01-05");
    int64_t b = volunteer_new(t->st, "王建华", "2026-01-06");
    volunteer v;
    assert_int_equal(record_load(t->st, &kind_volunteer, a, &v), WS_OK);
    assert_string_equal(v.number, "000000000000V000001");
    record_error re;
    assert_int_equal(record_delete(t->st, &kind_volunteer, b, &re), WS_OK);
    int64_t c = volunteer_new(t->st, "赵小红", "2026-01-07");
    assert_int_equal(record_load(t->st, &kind_volunteer, c, &v), WS_OK);
    assert_string_equal(v.number, "000000000000V000003");
    /* Found by number, its tail and initials. */
    int64_t n = 0;
    assert_int_equal(record_count(t->st, &kind_volunteer, "V000003", &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(record_count(t->st, &kind_volunteer, "zxh", &n), WS_OK);
    assert_int_equal(n, 1);
}

static void test_linked_resident(void **state)
{
    testutil_station *t = *state;
    int64_t r = resident_new(t->st, "周桂英", "11010119500307123", "13912345678");
    volunteer v;
    volunteer_init(&v);
    v.resident_id = r;
    record_error re;
    assert_int_equal(record_save(t->st, &kind_volunteer, &v, &re), WS_OK);
    assert_string_equal(v.name, "周桂英");
    assert_string_equal(v.phone, "13912345678");
    int64_t n = 0;
    assert_int_equal(record_count(t->st, &kind_volunteer, "5678", &n), WS_OK);
    assert_int_equal(n, 1);
    /* The same resident twice: refused, named. */
    volunteer again;
    volunteer_init(&again);
    again.resident_id = r;
    assert_int_equal(record_save(t->st, &kind_volunteer, &again, &re), WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_VOLUNTEER_TWICE);
    assert_int_equal(re.field, VOL_RESIDENT);
    assert_string_equal(re.detail, "周桂英");
    /* Standalone without a name: refused at the name. */
    volunteer none;
    volunteer_init(&none);
    assert_int_equal(record_save(t->st, &kind_volunteer, &none, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, VOL_NAME);
    /* Paused needs a date and a reason. */
    snprintf(v.status, sizeof v.status, "paused");
    assert_int_equal(record_save(t->st, &kind_volunteer, &v, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, VOL_STATUS_DATE);
}

/* The roster exported (masked) and imported back changes nothing: the
 * 志愿者编号 names the volunteer, a linked one stays linked, a masked phone
 * is never stored; a new row with a masked phone is refused, named. */
static void test_roster_imported_back(void **state)
{
    testutil_station *t = *state;
    int64_t r = resident_new(t->st, "周桂英", "11010119500307123", "13912345678");
    volunteer v;
    volunteer_init(&v);
    v.resident_id = r;
    record_error re;
    assert_int_equal(record_save(t->st, &kind_volunteer, &v, &re), WS_OK);
    volunteer_new(t->st, "王建华", "2026-01-06"); /* no phone, no ID number */
    volunteer w;
    volunteer_init(&w);
    snprintf(w.name, sizeof w.name, "曹刚帆");
    snprintf(w.phone, sizeof w.phone, "19989753705");
    assert_int_equal(record_save(t->st, &kind_volunteer, &w, &re), WS_OK);
    for (int unmasked = 0; unmasked < 2; unmasked++) {
        export_opts o = {.format = EXPORT_CSV, .unmasked = unmasked};
        char *out = NULL, err[512];
        size_t len = 0, rows = 0;
        assert_int_equal(export_kind_csv(t->st, &kind_volunteer, &o, &out, &len, &rows, err,
                                         sizeof err), WS_OK);
        assert_int_equal(rows, 3);
        assert_true(unmasked || strstr(out, "199****3705"));
        char *csv = testutil_path(t->dir, "志愿者.csv");
        FILE *f = fopen(csv, "wb");
        assert_non_null(f);
        fwrite(out, 1, len, f);
        fclose(f);
        free(out);
        kind_import_report rep;
        assert_int_equal(import_kind(t->st, &kind_volunteer, csv, NULL, &rep, err, sizeof err),
                         WS_OK);
        assert_int_equal(rep.added, 0);
        assert_int_equal(rep.updated, 0);
        assert_int_equal(rep.unchanged, 3);
        assert_int_equal(rep.nskipped_cols, 0);
        free(csv);
    }
    int64_t n = 0;
    assert_int_equal(record_count(t->st, &kind_volunteer, "", &n), WS_OK);
    assert_int_equal(n, 3);
    assert_int_equal(record_load(t->st, &kind_volunteer, w.id, &w), WS_OK);
    assert_string_equal(w.phone, "19989753705");
    /* A new volunteer with a masked phone: refused, nothing stored. */
    char *csv = testutil_path(t->dir, "新志愿者.csv");
    FILE *f = fopen(csv, "wb");
    assert_non_null(f);
    fputs("姓名,联系电话,注册日期\n新志愿者,199****3705,2026-01-02\n", f);
    fclose(f);
    kind_import_report rep;
    char err[512];
    assert_int_equal(import_kind(t->st, &kind_volunteer, csv, NULL, &rep, err, sizeof err),
                     WS_OK);
    assert_int_equal(rep.added, 0);
    assert_int_equal(rep.invalid, 1);
    assert_int_equal(record_count(t->st, &kind_volunteer, "", &n), WS_OK);
    assert_int_equal(n, 3);
    remove(rep.error_path);
    /* A skill not on the list: the error file says which may be written. */
    f = fopen(csv, "wb");
    assert_non_null(f);
    fputs("姓名,联系电话,注册日期,技能\n新志愿者,13812345678,2026-01-02,飞行\n", f);
    fclose(f);
    assert_int_equal(import_kind(t->st, &kind_volunteer, csv, NULL, &rep, err, sizeof err),
                     WS_OK);
    assert_int_equal(rep.invalid, 1);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(enc_read_file(rep.error_path, &text, &len), WS_OK);
    if (!strstr(text, "技能：不是可选的值，可选：") || !strstr(text, "理发"))
        fail_msg("%s", text);
    free(text);
    remove(rep.error_path);
    free(csv);
}

/* Erasing a resident (PIPL Art. 47) erases the copies a linked volunteer
 * holds: the name and phone leave the row, its search terms and its
 * history; the row stays, deleted, with its hours. */
static void test_erased_resident(void **state)
{
    testutil_station *t = *state;
    int64_t r = resident_new(t->st, "曾秋菊", "11010119620307124", "13712345678");
    volunteer v;
    volunteer_init(&v);
    v.resident_id = r;
    snprintf(v.registered_date, sizeof v.registered_date, "2026-01-01");
    record_error re;
    assert_int_equal(record_save(t->st, &kind_volunteer, &v, &re), WS_OK);
    hour_entry e = {.volunteer_id = v.id, .minutes = 60};
    snprintf(e.description, sizeof e.description, "助老");
    snprintf(e.date, sizeof e.date, "2026-11-20");
    assert_int_equal(hours_add(t->st, &e, &re, NULL), WS_OK);
    assert_int_equal(resident_erase(t->st, r, "本人要求删除"), WS_OK);
    assert_raw_text(t, "SELECT name || '|' || phone || '|' || (deleted_at IS NOT NULL)"
                       " FROM volunteers WHERE id = ?1", v.id, PRIVACY_ERASED_NAME "||1");
    assert_int_equal(raw_int(t, "SELECT count(*) FROM record_terms WHERE id = ?1", v.id), 0);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM record_term_sets WHERE id = ?1", v.id), 0);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM audit_log WHERE table_name = 'volunteers'"
                                " AND (instr(coalesce(before, ''), '曾秋菊')"
                                " OR instr(coalesce(after, ''), '曾秋菊')"
                                " OR instr(coalesce(after, ''), '13712345678'))", 0), 0);
    assert_int_equal(raw_int(t, "SELECT sum(minutes) FROM hour_entries WHERE volunteer_id = ?1",
                             v.id), 60);
}

static void test_session_times(void **state)
{
    testutil_station *t = *state;
    int64_t act = activity_new(t->st, "长者手工小组");
    session s;
    record_init(&kind_session, &s);
    s.activity_id = act;
    snprintf(s.date, sizeof s.date, "2026-12-20"); /* planned: after today */
    snprintf(s.start, sizeof s.start, "14:00");
    snprintf(s.end, sizeof s.end, "9:30");
    record_error re;
    int64_t before = raw_int(t, "SELECT count(*) FROM activity_sessions", 0);
    assert_int_equal(record_save(t->st, &kind_session, &s, &re), WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_END_BEFORE_START);
    assert_int_equal(re.field, SF_END);
    /* What was typed is kept in the caller's record. */
    assert_string_equal(s.end, "9:30");
    snprintf(s.end, sizeof s.end, "25:00");
    assert_int_equal(record_save(t->st, &kind_session, &s, &re), WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_TIME);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM activity_sessions", 0), before);
    char msg[256];
    record_error_text(&kind_session, &(record_error){.field = SF_END,
                                                    .code = VAL_END_BEFORE_START,
                                                    .detail = "14:00"}, msg, sizeof msg);
    assert_non_null(strstr(msg, "结束时间要晚于开始时间（14:00）"));
    snprintf(s.end, sizeof s.end, "1630");
    assert_int_equal(record_save(t->st, &kind_session, &s, &re), WS_OK);
    assert_string_equal(s.end, "16:30");
    assert_int_equal(session_minutes(&s), 150);
    /* A volunteer's minutes as a form shows them read back as typed. */
    service v;
    record_init(&kind_service, &v);
    assert_int_equal(record_parse(t->st, &kind_service, VSV_MINUTES, "2小时05分", &v), VAL_OK);
    assert_int_equal(v.minutes, 125);
    assert_int_equal(record_parse(t->st, &kind_service, VSV_MINUTES, "1:30", &v), VAL_OK);
    assert_int_equal(v.minutes, 90);
    assert_int_equal(record_parse(t->st, &kind_service, VSV_MINUTES, "-30", &v), VAL_NUMBER);
    /* Whole hours and minutes alone read as they are said, and back. */
    const struct {
        int64_t minutes;
        const char *text;
    } said[] = {{120, "2小时"}, {40, "40分"}, {0, "0小时"}, {605, "10小时05分"}};
    for (size_t i = 0; i < sizeof said / sizeof *said; i++) {
        char text[64];
        v.minutes = said[i].minutes;
        record_format(t->st, &kind_service, VSV_MINUTES, &v, false, text, sizeof text);
        assert_string_equal(text, said[i].text);
        v.minutes = -1;
        assert_int_equal(record_parse(t->st, &kind_service, VSV_MINUTES, text, &v), VAL_OK);
        assert_int_equal(v.minutes, said[i].minutes);
    }
    assert_int_equal(record_parse(t->st, &kind_service, VSV_MINUTES, "2小时x", &v), VAL_NUMBER);
}

static void test_bad_hours(void **state)
{
    testutil_station *t = *state;
    int64_t v = volunteer_new(t->st, "钱立新", "2026-03-01");
    record_error re;
    int64_t before = raw_int(t, "SELECT count(*) FROM hour_entries", 0);
    hour_entry e = {.volunteer_id = v, .minutes = -30};
    snprintf(e.description, sizeof e.description, "帮独居老人买菜");
    snprintf(e.date, sizeof e.date, "2026-05-01");
    assert_int_equal(hours_add(t->st, &e, &re, NULL), WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_MINUTES_POSITIVE);
    e.minutes = 0;
    assert_int_equal(hours_add(t->st, &e, &re, NULL), WS_ERR_INVALID);
    e.minutes = 630;
    snprintf(e.date, sizeof e.date, "2026-02-01");
    assert_int_equal(hours_add(t->st, &e, &re, NULL), WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_BEFORE_REGISTERED);
    snprintf(e.date, sizeof e.date, "2026-05-01");
    assert_int_equal(hours_add(t->st, &e, &re, NULL), WS_OK);
    e.minutes = 24 * 60 - 629;
    assert_int_equal(hours_add(t->st, &e, &re, NULL), WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_DAY_MINUTES);
    /* What the day already has, to the minute. */
    assert_string_equal(re.detail, "10小时30分");
    /* Left on 06-01: nothing after. */
    volunteer vol;
    assert_int_equal(record_load(t->st, &kind_volunteer, v, &vol), WS_OK);
    snprintf(vol.status, sizeof vol.status, "left");
    snprintf(vol.status_date, sizeof vol.status_date, "2026-06-01");
    snprintf(vol.status_reason, sizeof vol.status_reason, "搬离本镇");
    assert_int_equal(record_save(t->st, &kind_volunteer, &vol, &re), WS_OK);
    e.minutes = 60;
    snprintf(e.date, sizeof e.date, "2026-06-02");
    assert_int_equal(hours_add(t->st, &e, &re, NULL), WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_AFTER_LEFT);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM hour_entries", 0), before + 1);
}

/* A writing connection of its own, as another program would open the file. */
static sqlite3 *raw_writer(testutil_station *t)
{
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(t->path, &h), SQLITE_OK);
    sqlite3_busy_timeout(h, 5000);
    return h;
}

static void test_ledger_never_edited(void **state)
{
    testutil_station *t = *state;
    int64_t v = volunteer_new(t->st, "孙海燕", "2026-01-01");
    hour_entry e = {.volunteer_id = v, .minutes = 120};
    snprintf(e.description, sizeof e.description, "社区防汛值守");
    snprintf(e.date, sizeof e.date, "2026-07-01");
    record_error re;
    int64_t id = 0;
    assert_int_equal(hours_add(t->st, &e, &re, &id), WS_OK);
    /* A trusted station may confirm: confirmed at once, 20 points earned. */
    assert_int_equal(raw_int(t, "SELECT confirmed_at IS NOT NULL FROM hour_entries WHERE id = ?1",
                             id), 1);
    volunteer_totals tot;
    assert_int_equal(volunteer_totals_get(t->st, v, "", "", &tot), WS_OK);
    assert_int_equal(tot.minutes, 120);
    assert_int_equal(tot.points, 20);
    /* Not even a program beside the console can change or delete it. */
    sqlite3 *w = raw_writer(t);
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE hour_entries SET minutes = 600 WHERE id = %lld",
             (long long)id);
    assert_int_not_equal(sqlite3_exec(w, sql, NULL, NULL, NULL), SQLITE_OK);
    snprintf(sql, sizeof sql, "DELETE FROM hour_entries WHERE id = %lld", (long long)id);
    assert_int_not_equal(sqlite3_exec(w, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(w, "UPDATE points_movements SET points = 999", NULL, NULL,
                                      NULL), SQLITE_OK);
    sqlite3_close(w);
    assert_int_equal(hours_confirm(t->st, id, &re), WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_NOT_PENDING);
    assert_int_equal(raw_int(t, "SELECT minutes FROM hour_entries WHERE id = ?1", id), 120);
}

static void test_correction_pairs(void **state)
{
    testutil_station *t = *state;
    int64_t v = volunteer_new(t->st, "吴国强", "2026-01-01");
    hour_entry e = {.volunteer_id = v, .minutes = 180};
    snprintf(e.description, sizeof e.description, "陪同就医");
    snprintf(e.date, sizeof e.date, "2026-08-08");
    record_error re;
    int64_t id = 0, fixed = 0;
    assert_int_equal(hours_add(t->st, &e, &re, &id), WS_OK);
    /* A reason is required. */
    assert_int_equal(hours_correct(t->st, id, 90, "  ", &re, &fixed), WS_ERR_INVALID);
    assert_int_equal(re.field, HEF_REASON);
    assert_int_equal(hours_correct(t->st, id, 90, "实际只陪了一个半小时", &re, &fixed), WS_OK);
    assert_true(fixed != 0);
    /* Three rows: the original untouched, its reversal, the corrected one. */
    assert_int_equal(raw_int(t, "SELECT minutes FROM hour_entries WHERE id = ?1", id), 180);
    assert_int_equal(raw_int(t, "SELECT minutes FROM hour_entries WHERE corrects_id = ?1"
                                " AND entry_kind = 'reversal'", id), -180);
    assert_int_equal(raw_int(t, "SELECT minutes FROM hour_entries WHERE id = ?1", fixed), 90);
    assert_int_equal(raw_int(t, "SELECT corrects_id = (SELECT corrects_id FROM hour_entries"
                                " WHERE id = ?1) FROM hour_entries WHERE entry_kind = 'reversal'"
                                " AND corrects_id IS NOT NULL ORDER BY recorded_at DESC LIMIT 1",
                             fixed), 1);
    volunteer_totals tot;
    assert_int_equal(volunteer_totals_get(t->st, v, "", "", &tot), WS_OK);
    assert_int_equal(tot.minutes, 90);
    assert_int_equal(tot.points, 15); /* 30 earned, 30 reversed, 15 earned */
    /* Corrected once: not again; the reversal neither. */
    assert_int_equal(hours_correct(t->st, id, 60, "再改", &re, NULL), WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_REVERSED);
    /* The correction can be corrected in turn (to nothing at all). */
    assert_int_equal(hours_correct(t->st, fixed, 0, "记错了人", &re, NULL), WS_OK);
    assert_int_equal(volunteer_totals_get(t->st, v, "", "", &tot), WS_OK);
    assert_int_equal(tot.minutes, 0);
    assert_int_equal(tot.points, 0);
}

/* A clerk records, a 社工 confirms; a pending entry corrected before it was
 * confirmed: only the corrected entry can be confirmed, the totals never
 * count the original twice. */
static void test_pending_entries(void **state)
{
    testutil_station *t = *state;
    int64_t v = volunteer_new(t->st, "韩晓梅", "2026-01-01");
    station *clerk = NULL;
    char err[256];
    assert_int_equal(station_open(t->path, 0, NULL, &clerk, err, sizeof err), WS_OK);
    /* No account: a station that is not trusted may do nothing. */
    hour_entry e = {.volunteer_id = v, .minutes = 60};
    snprintf(e.description, sizeof e.description, "助老");
    snprintf(e.date, sizeof e.date, "2026-11-01");
    record_error re;
    assert_int_equal(hours_add(clerk, &e, &re, NULL), WS_ERR_DENIED);
    station_close(&clerk);
    /* Pending rows as a clerk's would be (the trusted station confirms at
     * once; the ledger's own rule is what is tested here). */
    sqlite3 *w = raw_writer(t);
    assert_int_equal(sqlite3_exec(w, "INSERT INTO hour_entries(id, volunteer_id, description,"
                                     " service_date, minutes, entry_kind, recorded_by, recorded_at)"
                                     " SELECT 77, id, '助老', '2026-11-01', 60, 'entry', 'luru',"
                                     " '2026-11-01' FROM volunteers WHERE name = '韩晓梅'",
                                  NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(w);
    volunteer_totals tot;
    assert_int_equal(volunteer_totals_get(t->st, v, "", "", &tot), WS_OK);
    assert_int_equal(tot.minutes, 0);
    assert_int_equal(tot.pending_minutes, 60);
    int64_t fixed = 0;
    assert_int_equal(hours_correct(t->st, 77, 45, "记多了", &re, &fixed), WS_OK);
    assert_int_equal(hours_confirm(t->st, 77, &re), WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_REVERSED);
    int64_t rev = raw_int(t, "SELECT id FROM hour_entries WHERE corrects_id = 77"
                             " AND entry_kind = 'reversal'", 0);
    assert_int_equal(hours_confirm(t->st, rev, &re), WS_ERR_INVALID);
    assert_int_equal(volunteer_totals_get(t->st, v, "", "", &tot), WS_OK);
    assert_int_equal(tot.minutes, 45); /* the corrected entry, confirmed by the trusted station */
}

static void test_points_never_below_zero(void **state)
{
    testutil_station *t = *state;
    int64_t v = volunteer_new(t->st, "郑丽", "2026-01-01");
    hour_entry e = {.volunteer_id = v, .minutes = 60};
    snprintf(e.description, sizeof e.description, "环境整治");
    snprintf(e.date, sizeof e.date, "2026-09-09");
    record_error re;
    int64_t id = 0;
    assert_int_equal(hours_add(t->st, &e, &re, &id), WS_OK);
    assert_int_equal(points_spend(t->st, v, 11, 0, "爱心超市：大米", &re, NULL), WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_POINTS_SHORT);
    assert_string_equal(re.detail, "10");
    assert_int_equal(points_spend(t->st, v, 4, 0, "爱心超市：肥皂", &re, NULL), WS_OK);
    /* 6 left: the hours that earned 10 cannot be taken back now. */
    assert_int_equal(hours_correct(t->st, id, 30, "时长记多了", &re, NULL), WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_POINTS_SPENT);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM hour_entries WHERE volunteer_id = ?1", v), 1);
    int64_t bal = 0;
    assert_int_equal(points_balance(t->st, v, &bal), WS_OK);
    assert_int_equal(bal, 6);
}

/* Two consoles spend the last points at the same moment: one wins. */
typedef struct spender {
    station *st;
    int64_t volunteer;
    pthread_barrier_t *go;
    ws_status result;
} spender;

static void *spend_all(void *arg)
{
    spender *s = arg;
    record_error re;
    pthread_barrier_wait(s->go);
    s->result = points_spend(s->st, s->volunteer, 10, 0, "爱心超市", &re, NULL);
    return NULL;
}

static void test_points_two_connections(void **state)
{
    testutil_station *t = *state;
    int64_t v = volunteer_new(t->st, "冯建军", "2026-01-01");
    hour_entry e = {.volunteer_id = v, .minutes = 60};
    snprintf(e.description, sizeof e.description, "助老服务");
    snprintf(e.date, sizeof e.date, "2026-10-10");
    record_error re;
    assert_int_equal(hours_add(t->st, &e, &re, NULL), WS_OK);
    station *other = NULL;
    char err[256];
    assert_int_equal(station_open(t->path, STATION_TRUSTED, NULL, &other, err, sizeof err), WS_OK);
    for (int round = 0; round < 5; round++) {
        pthread_barrier_t go;
        pthread_barrier_init(&go, NULL, 2);
        spender a = {t->st, v, &go, WS_OK}, b = {other, v, &go, WS_OK};
        pthread_t ta, tb;
        pthread_create(&ta, NULL, spend_all, &a);
        pthread_create(&tb, NULL, spend_all, &b);
        pthread_join(ta, NULL);
        pthread_join(tb, NULL);
        pthread_barrier_destroy(&go);
        /* Exactly one spent the 10 points; the other was refused. */
        assert_true((a.result == WS_OK) != (b.result == WS_OK));
        assert_true(a.result == WS_ERR_INVALID || b.result == WS_ERR_INVALID);
        int64_t bal = -1;
        assert_int_equal(points_balance(t->st, v, &bal), WS_OK);
        assert_int_equal(bal, 0);
        /* Earn them back for the next round. */
        snprintf(e.date, sizeof e.date, "2026-10-%02d", 11 + round);
        assert_int_equal(hours_add(t->st, &e, &re, NULL), WS_OK);
    }
    station_close(&other);
}

/* Two activities: three sessions, four residents (one twice), twelve
 * unnamed, two volunteers (one absent once). */
static void test_counts_fixture(void **state)
{
    testutil_station *t = *state;
    int64_t r1 = resident_new(t->st, "陈大爷", "11010119450101123", "");
    int64_t r2 = resident_new(t->st, "林奶奶", "11010119470202122", "");
    int64_t r3 = resident_new(t->st, "黄阿姨", "11010119600303122", "");
    int64_t r4 = resident_new(t->st, "何小明", "11010120150404121", "");
    int64_t v1 = volunteer_new(t->st, "杨志愿", "2026-01-01");
    int64_t v2 = volunteer_new(t->st, "许志愿", "2026-01-01");
    int64_t a1 = activity_new(t->st, "健康讲座");
    int64_t a2 = activity_new(t->st, "义剪");
    int64_t s1 = session_new(t->st, a1, "2026-10-01", "09:00", "11:00", 12);
    int64_t s2 = session_new(t->st, a1, "2026-10-08", "09:00", "10:30", 0);
    int64_t s3 = session_new(t->st, a2, "2026-11-01", "14:00", "15:00", 0);
    record_error re;
    struct { int64_t s, p; const char *mark; } res[] = {
        {s1, r1, "present"}, {s1, r2, "late"}, {s1, r3, "absent"},
        {s2, r1, "present"}, {s2, r4, "excused"}, {s3, r3, "present"}, {s3, r4, "present"},
    };
    roster_line lines[16];
    size_t n;
    for (size_t i = 0; i < sizeof res / sizeof res[0]; i++)
        assert_int_equal(roster_add(t->st, res[i].s, false, res[i].p, &re), WS_OK);
    assert_int_equal(roster_add(t->st, s1, false, r1, &re), WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_ON_ROSTER);
    assert_int_equal(roster_add(t->st, s1, true, v1, &re), WS_OK);
    assert_int_equal(roster_add(t->st, s1, true, v2, &re), WS_OK);
    assert_int_equal(roster_add(t->st, s2, true, v1, &re), WS_OK);
    assert_int_equal(roster_add(t->st, s2, true, v2, &re), WS_OK);
    int64_t sessions[] = {s1, s2, s3};
    for (size_t k = 0; k < 3; k++) {
        assert_int_equal(roster_list(t->st, sessions[k], lines, 16, &n), WS_OK);
        for (size_t i = 0; i < n; i++) {
            const char *mark = "present";
            for (size_t j = 0; j < sizeof res / sizeof res[0]; j++)
                if (!lines[i].is_volunteer && res[j].s == sessions[k] &&
                    res[j].p == lines[i].person_id)
                    mark = res[j].mark;
            if (lines[i].is_volunteer && sessions[k] == s2 && lines[i].person_id == v2)
                mark = "absent";
            assert_int_equal(roster_mark(t->st, &lines[i], mark, &re), WS_OK);
        }
    }
    /* Volunteers first on the roster, with the session's length. */
    assert_int_equal(roster_list(t->st, s1, lines, 16, &n), WS_OK);
    assert_int_equal(n, 5);
    assert_true(lines[0].is_volunteer && lines[1].is_volunteer && !lines[2].is_volunteer);
    assert_int_equal(lines[0].minutes, 120);
    size_t posted = 0, skipped = 0;
    record_error why;
    assert_int_equal(hours_post_session(t->st, s1, &posted, &skipped, &why), WS_OK);
    assert_int_equal(posted, 2);
    assert_int_equal(hours_post_session(t->st, s1, &posted, &skipped, &why), WS_OK);
    assert_int_equal(posted, 0); /* a second run posts nothing */
    assert_int_equal(skipped, 0);
    assert_int_equal(hours_post_session(t->st, s2, &posted, &skipped, &why), WS_OK);
    assert_int_equal(posted, 1);
    activity_counts c;
    assert_int_equal(activity_counts_get(t->st, 0, "", "", &c), WS_OK);
    assert_int_equal(c.sessions, 3);
    assert_int_equal(c.people, 4);          /* r1 r2 r3 r4 */
    assert_int_equal(c.person_times, 5 + 12); /* s1: r1 r2; s2: r1; s3: r3 r4 */
    assert_int_equal(c.volunteer_times, 3);
    assert_int_equal(c.volunteer_minutes, 120 + 120 + 90);
    assert_int_equal(activity_counts_get(t->st, a1, "", "", &c), WS_OK);
    assert_int_equal(c.sessions, 2);
    assert_int_equal(c.people, 2);
    assert_int_equal(c.person_times, 3 + 12);
    assert_int_equal(activity_counts_get(t->st, 0, "2026-11-01", "2026-11-30", &c), WS_OK);
    assert_int_equal(c.sessions, 1);
    assert_int_equal(c.people, 2);
    assert_int_equal(c.volunteer_minutes, 0);
    /* A posted session's hours once: a second entry for it is refused. */
    hour_entry e = {.volunteer_id = v1, .session_id = s1, .minutes = 30};
    assert_int_equal(hours_add(t->st, &e, &re, NULL), WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_HOURS_TWICE);
}

/* 志愿服务记录证明: registered with a number of the year; a reprint of the
 * same volunteer, period and hours carries the same number; a period
 * without hours is refused and registers nothing. */
static void test_certificates(void **state)
{
    testutil_station *t = *state;
    int64_t v = volunteer_new(t->st, "沈爱华", "2026-01-01");
    hour_entry e = {.volunteer_id = v, .minutes = 150};
    snprintf(e.description, sizeof e.description, "助老");
    snprintf(e.date, sizeof e.date, "2026-03-05");
    record_error re;
    assert_int_equal(hours_add(t->st, &e, &re, NULL), WS_OK);
    certificate c, again, other, found;
    assert_int_equal(certificate_issue(t->st, v, "2026-01-01", "2026-06-30", &c, &re), WS_OK);
    assert_string_equal(c.number, "000000000000-Z2026-00001");
    assert_int_equal(c.minutes, 150);
    assert_string_equal(c.issued_on, "2026-11-23");
    assert_int_equal(certificate_issue(t->st, v, "2026-01-01", "2026-06-30", &again, &re), WS_OK);
    assert_string_equal(again.number, c.number);
    assert_int_equal(certificate_issue(t->st, v, "", "", &other, &re), WS_OK);
    assert_string_equal(other.number, "000000000000-Z2026-00002");
    assert_int_equal(certificate_find(t->st, c.number, &found), WS_OK);
    assert_string_equal(found.volunteer_name, "沈爱华");
    assert_string_equal(found.to, "2026-06-30");
    assert_int_equal(certificate_find(t->st, "000000000000-Z2026-00099", &found),
                     WS_ERR_NOT_FOUND);
    int64_t rows = raw_int(t, "SELECT count(*) FROM volunteer_certificates", 0);
    assert_int_equal(certificate_issue(t->st, v, "2026-07-01", "2026-08-31", &other, &re),
                     WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_NO_HOURS);
    assert_int_equal(certificate_issue(t->st, v, "2026-08-31", "2026-07-01", &other, &re),
                     WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_END_BEFORE_START);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM volunteer_certificates", 0), rows);
    /* A corrected entry is listed as corrected. */
    int64_t id = raw_int(t, "SELECT id FROM hour_entries WHERE volunteer_id = ?1", v);
    assert_int_equal(hours_correct(t->st, id, 120, "记多了", &re, NULL), WS_OK);
    service_line lines[8];
    size_t n = 0;
    assert_int_equal(service_lines(t->st, v, "", "", lines, 8, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(lines[0].minutes, 120);
}

static void test_star_thresholds(void **state)
{
    testutil_station *t = *state;
    assert_int_equal(volunteer_stars(t->st, 99 * 60), 0);
    assert_int_equal(volunteer_stars(t->st, 100 * 60), 1);
    assert_int_equal(volunteer_stars(t->st, 1500 * 60), 5);
    station_config *cfg = NULL;
    char err[512];
    const char bad[] = "volunteers:\n  stars: [10, 30, 20, 40, 50]\n";
    assert_int_equal(config_parse("station.yaml", bad, sizeof bad - 1, &cfg, err, sizeof err),
                     WS_ERR_YAML);
    assert_null(cfg);
    assert_string_equal(err, "station.yaml:2:19: volunteers.stars（星级门槛）应为 5 个逐级增大的"
                             "整数小时数，每个不超过 100000，如 [100, 300, 600, 1000, 1500]");
    const char few[] = "volunteers:\n  stars: [10, 30]\n";
    assert_int_equal(config_parse("station.yaml", few, sizeof few - 1, &cfg, err, sizeof err),
                     WS_ERR_YAML);
    assert_non_null(strstr(err, "station.yaml:2:10:"));
    const char good[] = "volunteers:\n  stars: [10, 20, 30, 40, 50]\n  points_per_hour: 2\n";
    assert_int_equal(config_parse("station.yaml", good, sizeof good - 1, &cfg, err, sizeof err),
                     WS_OK);
    station *st = NULL;
    assert_int_equal(station_open(t->path, STATION_TRUSTED, cfg, &st, err, sizeof err), WS_OK);
    assert_int_equal(volunteer_stars(st, 25 * 60), 2);
    assert_int_equal(volunteer_stars(st, 50 * 60), 5);
    int64_t v = volunteer_new(st, "蒋星星", "2026-01-01");
    hour_entry e = {.volunteer_id = v, .minutes = 90};
    snprintf(e.description, sizeof e.description, "宣传");
    snprintf(e.date, sizeof e.date, "2026-11-01");
    record_error re;
    assert_int_equal(hours_add(st, &e, &re, NULL), WS_OK);
    int64_t bal = 0;
    assert_int_equal(points_balance(st, v, &bal), WS_OK);
    assert_int_equal(bal, 3);
    station_close(&st);
    config_free(&cfg);
}

/* The rest of the 67号令 record: trainings, awards after registration,
 * one evaluation a year between registration and the evaluation's date. */
static void test_record_parts(void **state)
{
    testutil_station *t = *state;
    int64_t v = volunteer_new(t->st, "曾晓燕", "2025-03-01");
    record_error re;
    volunteer_training tr;
    record_new(t->st, &kind_volunteer_training, &tr);
    tr.volunteer_id = v;
    snprintf(tr.date, sizeof tr.date, "2025-02-20"); /* 岗前培训 before registering: fine */
    snprintf(tr.topic, sizeof tr.topic, "入户探访礼仪与安全");
    tr.minutes = 0;
    assert_int_equal(record_save(t->st, &kind_volunteer_training, &tr, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, VTF_MINUTES);
    tr.minutes = 25 * 60;
    assert_int_equal(record_save(t->st, &kind_volunteer_training, &tr, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, VTF_MINUTES);
    tr.minutes = 90;
    assert_int_equal(record_save(t->st, &kind_volunteer_training, &tr, &re), WS_OK);

    volunteer_commendation c;
    record_new(t->st, &kind_volunteer_commendation, &c);
    c.volunteer_id = v;
    snprintf(c.date, sizeof c.date, "2025-01-10");
    snprintf(c.title, sizeof c.title, "优秀志愿者");
    snprintf(c.level, sizeof c.level, "township");
    snprintf(c.issuer, sizeof c.issuer, "青石镇人民政府");
    assert_int_equal(record_save(t->st, &kind_volunteer_commendation, &c, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, VCF_DATE);
    assert_int_equal(re.code, VAL_BEFORE_REGISTERED);
    snprintf(c.date, sizeof c.date, "2026-01-10");
    assert_int_equal(record_save(t->st, &kind_volunteer_commendation, &c, &re), WS_OK);

    volunteer_evaluation e;
    record_new(t->st, &kind_volunteer_evaluation, &e);
    assert_int_equal(e.year, 2025); /* last year's, on WUSHE_TODAY 2026-11-23 */
    e.volunteer_id = v;
    snprintf(e.rating, sizeof e.rating, "excellent");
    snprintf(e.evaluator, sizeof e.evaluator, "张建国");
    e.year = 2024;
    assert_int_equal(record_save(t->st, &kind_volunteer_evaluation, &e, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, VEF_YEAR);
    assert_non_null(strstr(re.detail, "2025-03-01"));
    e.year = 2027;
    assert_int_equal(record_save(t->st, &kind_volunteer_evaluation, &e, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, VEF_YEAR);
    e.year = 2025;
    assert_int_equal(record_save(t->st, &kind_volunteer_evaluation, &e, &re), WS_OK);
    volunteer_evaluation again;
    record_new(t->st, &kind_volunteer_evaluation, &again);
    again.volunteer_id = v;
    again.year = 2025;
    snprintf(again.rating, sizeof again.rating, "good");
    snprintf(again.evaluator, sizeof again.evaluator, "李娜");
    assert_int_equal(record_save(t->st, &kind_volunteer_evaluation, &again, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, VEF_YEAR);
    assert_non_null(strstr(re.detail, "2025 年度已经评价过了"));
    again.year = 2026;
    assert_int_equal(record_save(t->st, &kind_volunteer_evaluation, &again, &re), WS_OK);
    record_parent parent = {.field = VEF_VOLUNTEER, .id = v};
    int64_t n = 0;
    assert_int_equal(record_count_in(t->st, &kind_volunteer_evaluation, &parent, "", &n), WS_OK);
    assert_int_equal(n, 2);
}

/* Points an hour by the activity's type (its code or its name), else the
 * station's rate; service outside an activity earns the station's. */
static void test_points_by_type(void **state)
{
    testutil_station *t = *state;
    station_config *cfg = NULL;
    char err[512];
    const char bad[] = "volunteers:\n  points_by_type: 15\n";
    assert_int_equal(config_parse("station.yaml", bad, sizeof bad - 1, &cfg, err, sizeof err),
                     WS_ERR_YAML);
    assert_non_null(strstr(err, "station.yaml:2:19:"));
    const char good[] = "volunteers:\n  points_per_hour: 4\n"
                        "  points_by_type: {visit: 30, 助学助老: 0}\n";
    assert_int_equal(config_parse("station.yaml", good, sizeof good - 1, &cfg, err, sizeof err),
                     WS_OK);
    station *st = NULL;
    assert_int_equal(station_open(t->path, STATION_TRUSTED, cfg, &st, err, sizeof err), WS_OK);
    int64_t v = volunteer_new(st, "秦雪", "2026-01-01");
    static const char *const types[] = {"visit", "helping", "group"};
    static const int64_t earned[] = {60, 0, 8};
    record_error re;
    for (int i = 0; i < 3; i++) {
        activity a;
        record_init(&kind_activity, &a);
        snprintf(a.title, sizeof a.title, "活动%d", i);
        snprintf(a.type, sizeof a.type, "%s", types[i]);
        assert_int_equal(record_save(st, &kind_activity, &a, &re), WS_OK);
        int64_t sess = session_new(st, a.id, "2026-11-02", "09:00", "11:00", 0);
        hour_entry e = {.volunteer_id = v, .session_id = sess, .minutes = 120};
        snprintf(e.date, sizeof e.date, "2026-11-02");
        int64_t before = 0, after = 0;
        assert_int_equal(points_balance(st, v, &before), WS_OK);
        assert_int_equal(hours_add(st, &e, &re, NULL), WS_OK);
        assert_int_equal(points_balance(st, v, &after), WS_OK);
        assert_int_equal(after - before, earned[i]);
    }
    hour_entry out = {.volunteer_id = v, .minutes = 60};
    snprintf(out.description, sizeof out.description, "代购药品");
    snprintf(out.date, sizeof out.date, "2026-11-03");
    assert_int_equal(hours_add(st, &out, &re, NULL), WS_OK);
    int64_t bal = 0;
    assert_int_equal(points_balance(st, v, &bal), WS_OK);
    assert_int_equal(bal, 60 + 0 + 8 + 4);
    station_close(&st);
    config_free(&cfg);
}

/* 全部确认: every pending entry that can be confirmed, in one go, with its
 * points; the reversed one and its reversal stay out; a second run finds
 * nothing. The pending list shows what it takes. */
static void test_confirm_all(void **state)
{
    testutil_station *t = *state;
    int64_t v1 = volunteer_new(t->st, "冯敏", "2026-01-01");
    int64_t v2 = volunteer_new(t->st, "褚建华", "2026-01-01");
    sqlite3 *w = raw_writer(t);
    char sql[512];
    static const int64_t ids[] = {501, 502, 503};
    for (int i = 0; i < 3; i++) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO hour_entries(id, volunteer_id, description, service_date, minutes,"
                 " entry_kind, recorded_by, recorded_at) VALUES (%lld, %lld, '助老',"
                 " '2026-11-0%d', 60, 'entry', 'luru', '2026-11-05')",
                 (long long)ids[i], (long long)(i == 2 ? v2 : v1), i + 1);
        assert_int_equal(sqlite3_exec(w, sql, NULL, NULL, NULL), SQLITE_OK);
    }
    sqlite3_close(w);
    record_error re;
    assert_int_equal(hours_correct(t->st, 502, 0, "没有去", &re, NULL), WS_OK);
    hour_entry list[8];
    size_t n = 0;
    assert_int_equal(hours_list_pending(t->st, 0, 0, list, 8, &n), WS_OK);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].id, 503);
    assert_int_equal(list[1].id, 501);
    assert_int_equal(hours_list_pending(t->st, v2, 0, list, 8, &n), WS_OK);
    assert_int_equal(n, 1);
    size_t done = 0;
    assert_int_equal(hours_confirm_all(t->st, 0, &done, &re), WS_OK);
    assert_int_equal(done, 2);
    volunteer_totals tot;
    assert_int_equal(volunteer_totals_get(t->st, v1, "", "", &tot), WS_OK);
    assert_int_equal(tot.minutes, 60);
    assert_int_equal(tot.pending_minutes, 0);
    assert_int_equal(tot.points, 10);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM hour_entries WHERE id = 502"
                                " AND confirmed_at IS NULL", 0), 1);
    assert_int_equal(hours_confirm_all(t->st, 0, &done, &re), WS_OK);
    assert_int_equal(done, 0);
    assert_int_equal(hours_list_pending(t->st, 0, 0, list, 8, &n), WS_OK);
    assert_int_equal(n, 0);
}

/* The pending list's search box: the volunteers it finds by name, initials
 * or number, newest first, page by page; 全部确认 with a search confirms
 * what it finds and nothing else. */
static void test_pending_found(void **state)
{
    testutil_station *t = *state;
    int64_t v[3] = {volunteer_new(t->st, "冯敏", "2026-01-01"),
                    volunteer_new(t->st, "褚建华", "2026-01-01"),
                    volunteer_new(t->st, "冯建", "2026-01-01")};
    sqlite3 *w = raw_writer(t);
    char sql[512];
    for (int i = 0; i < 3; i++) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO hour_entries(id, volunteer_id, description, service_date, minutes,"
                 " entry_kind, recorded_by, recorded_at) VALUES (%d, %lld, '助老',"
                 " '2026-11-0%d', 60, 'entry', 'luru', '2026-11-05')",
                 601 + i, (long long)v[i], i + 1);
        assert_int_equal(sqlite3_exec(w, sql, NULL, NULL, NULL), SQLITE_OK);
    }
    sqlite3_close(w);
    hour_entry list[8];
    size_t n = 0;
    assert_int_equal(hours_find_pending(t->st, "cjh", 0, list, 8, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, 602);
    assert_int_equal(hours_find_pending(t->st, "冯", 0, list, 8, &n), WS_OK);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].id, 603);
    assert_int_equal(list[1].id, 601);
    assert_int_equal(hours_find_pending(t->st, "fengmin", 0, list, 8, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, 601);
    assert_int_equal(hours_find_pending(t->st, "zzz", 0, list, 8, &n), WS_OK);
    assert_int_equal(n, 0);
    assert_int_equal(hours_find_pending(t->st, "", 0, list, 8, &n), WS_OK);
    assert_int_equal(n, 3);
    /* Page by page: after the first row found, the next. */
    assert_int_equal(hours_find_pending(t->st, "fj", 0, list, 1, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, 603);
    assert_int_equal(hours_find_pending(t->st, "冯", 603, list, 1, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, 601);
    record_error re;
    size_t done = 0;
    int64_t *found = NULL;
    assert_int_equal(hours_pending_ids(t->st, 0, "cjh", &found, &n), WS_OK);
    assert_int_equal(hours_confirm_ids(t->st, found, n, &done, &re), WS_OK);
    free(found);
    assert_int_equal(done, 1);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM hour_entries WHERE confirmed_at IS NULL", 0),
                     2);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM hour_entries WHERE id = 602"
                                " AND confirmed_at IS NOT NULL", 0), 1);
}

/* 全部确认 confirms what its question counted: an entry another console
 * adds after the question stays pending; one corrected meanwhile is left
 * and not counted. */
static void test_confirm_what_was_asked(void **state)
{
    testutil_station *t = *state;
    int64_t v = volunteer_new(t->st, "曹刚帆", "2026-01-01");
    sqlite3 *w = raw_writer(t);
    char sql[512];
    for (int i = 0; i < 3; i++) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO hour_entries(id, volunteer_id, description, service_date, minutes,"
                 " entry_kind, recorded_by, recorded_at) VALUES (%d, %lld, '助老',"
                 " '2026-11-0%d', 60, 'entry', 'luru', '2026-11-05')",
                 701 + i, (long long)v, i + 1);
        assert_int_equal(sqlite3_exec(w, sql, NULL, NULL, NULL), SQLITE_OK);
    }
    int64_t *ids = NULL;
    size_t n = 0;
    assert_int_equal(hours_pending_ids(t->st, 0, "cgf", &ids, &n), WS_OK);
    assert_int_equal(n, 3);
    assert_int_equal(ids[0], 701);
    /* Meanwhile: a new entry, and one of the three corrected. */
    assert_int_equal(sqlite3_exec(w, "INSERT INTO hour_entries(id, volunteer_id, description,"
                                     " service_date, minutes, entry_kind, recorded_by,"
                                     " recorded_at) SELECT 799, volunteer_id, '代购', '2026-11-04',"
                                     " 600, 'entry', 'luru', '2026-11-05' FROM hour_entries"
                                     " WHERE id = 701", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(w);
    record_error re;
    assert_int_equal(hours_correct(t->st, 702, 0, "没有去", &re, NULL), WS_OK);
    size_t done = 0;
    assert_int_equal(hours_confirm_ids(t->st, ids, n, &done, &re), WS_OK);
    assert_int_equal(done, 2);
    free(ids);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM hour_entries WHERE id IN (701, 703)"
                                " AND confirmed_at IS NOT NULL", 0), 2);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM hour_entries WHERE id = 799"
                                " AND confirmed_at IS NULL", 0), 1);
    assert_int_equal(hours_pending_ids(t->st, v, NULL, &ids, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], 799);
    free(ids);
}

/* A volunteer's own hours have a search box: the service, a date, a
 * correction's reason; page by page in the list's order. */
static void test_hours_found(void **state)
{
    testutil_station *t = *state;
    int64_t v = volunteer_new(t->st, "冯敏", "2026-01-01");
    static const char *const what[] = {"助老", "代购药品", "助老陪诊"};
    static const char *const when[] = {"2026-11-01", "2026-11-03", "2026-11-05"};
    int64_t ids[3];
    record_error re;
    for (int i = 0; i < 3; i++) {
        hour_entry e = {.volunteer_id = v, .minutes = 60};
        snprintf(e.description, sizeof e.description, "%s", what[i]);
        snprintf(e.date, sizeof e.date, "%s", when[i]);
        assert_int_equal(hours_add(t->st, &e, &re, &ids[i]), WS_OK);
    }
    assert_int_equal(hours_correct(t->st, ids[1], 30, "只去了半天", &re, NULL), WS_OK);
    hour_entry list[8];
    size_t n = 0;
    assert_int_equal(hours_find(t->st, v, "助老", 0, list, 8, &n), WS_OK);
    assert_int_equal(n, 2);
    assert_string_equal(list[0].description, "助老陪诊");
    assert_string_equal(list[1].description, "助老");
    assert_int_equal(hours_find(t->st, v, " 11-01 ", 0, list, 8, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, ids[0]);
    /* The correction's reason finds its reversal and the corrected entry. */
    assert_int_equal(hours_find(t->st, v, "半天", 0, list, 8, &n), WS_OK);
    assert_int_equal(n, 2);
    assert_int_equal(hours_find(t->st, v, "理发", 0, list, 8, &n), WS_OK);
    assert_int_equal(n, 0);
    assert_int_equal(hours_find(t->st, v, "", 0, list, 8, &n), WS_OK);
    assert_int_equal(n, 5);
    assert_int_equal(hours_find(t->st, v, "助老", 0, list, 1, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(hours_find(t->st, v, "助老", list[0].id, list, 1, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].description, "助老");
}

/* Points given to a family member on the register: a movement naming
 * them; someone not on the register is refused at that field. */
static void test_points_to_family(void **state)
{
    testutil_station *t = *state;
    int64_t v = volunteer_new(t->st, "魏红", "2026-01-01");
    int64_t mother = resident_new(t->st, "魏桂兰", "51090219500101002", "13800001234");
    hour_entry e = {.volunteer_id = v, .minutes = 120};
    snprintf(e.description, sizeof e.description, "助老");
    snprintf(e.date, sizeof e.date, "2026-11-01");
    record_error re;
    assert_int_equal(hours_add(t->st, &e, &re, NULL), WS_OK);
    assert_int_equal(points_spend(t->st, v, 5, 987654321, "理发", &re, NULL), WS_ERR_INVALID);
    assert_int_equal(re.field, HEF_FAMILY);
    int64_t id = 0;
    assert_int_equal(points_spend(t->st, v, 15, mother, "理发", &re, &id), WS_OK);
    assert_int_equal(raw_int(t, "SELECT resident_id FROM points_movements WHERE id = ?1", id),
                     mother);
    int64_t bal = 0;
    assert_int_equal(points_balance(t->st, v, &bal), WS_OK);
    assert_int_equal(bal, 5);
}

/* A full volunteer number finds that volunteer alone: the ten numbers
 * after it share its grams (V000001 and V000010..V000019), and found it
 * too when a number's grams were terms. */
static void test_full_number_alone(void **state)
{
    testutil_station *t = *state;
    char name[32];
    int64_t first = 0;
    for (int i = 0; i < 12; i++) {
        snprintf(name, sizeof name, "志愿者%c", 'A' + i);
        int64_t id = volunteer_new(t->st, name, "2026-01-01");
        if (!first)
            first = id;
    }
    volunteer v;
    assert_int_equal(record_load(t->st, &kind_volunteer, first, &v), WS_OK);
    assert_non_null(strstr(v.number, "V000001"));
    int64_t n = 0;
    assert_int_equal(record_count(t->st, &kind_volunteer, v.number, &n), WS_OK);
    assert_int_equal(n, 1);
    /* Its beginning finds every number it begins: V000001..V000009. */
    v.number[strlen(v.number) - 1] = '\0';
    assert_int_equal(record_count(t->st, &kind_volunteer, v.number, &n), WS_OK);
    assert_int_equal(n, 9);
}

/* The ledger follows the roster: minutes changed after the hours were
 * posted are a 更正 in the same save; marked absent, the entry is voided;
 * taken off the roster, too; refused (the roster unchanged) when the
 * points it earned were spent. */
static void test_roster_after_posting(void **state)
{
    testutil_station *t = *state;
    int64_t v = volunteer_new(t->st, "卫红梅", "2026-01-01");
    int64_t act = activity_new(t->st, "助老理发");
    int64_t ses = session_new(t->st, act, "2026-11-10", "09:00", "11:00", 0);
    record_error re;
    assert_int_equal(roster_add(t->st, ses, true, v, &re), WS_OK);
    roster_line line[4];
    size_t n = 0;
    assert_int_equal(roster_list(t->st, ses, line, 4, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(roster_mark(t->st, &line[0], "present", &re), WS_OK);
    size_t posted = 0, skipped = 0;
    assert_int_equal(hours_post_session(t->st, ses, &posted, &skipped, &re), WS_OK);
    assert_int_equal(posted, 1);

    service sv;
    assert_int_equal(record_load(t->st, &kind_service, line[0].id, &sv), WS_OK);
    sv.minutes = 90;
    assert_int_equal(record_save(t->st, &kind_service, &sv, &re), WS_OK);
    volunteer_totals tot;
    assert_int_equal(volunteer_totals_get(t->st, v, "", "", &tot), WS_OK);
    assert_int_equal(tot.minutes, 90);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM hour_entries WHERE session_id = ?1", ses), 3);
    int64_t pts = 0;
    assert_int_equal(points_balance(t->st, v, &pts), WS_OK);
    assert_int_equal(pts, 15);

    assert_int_equal(roster_list(t->st, ses, line, 4, &n), WS_OK);
    assert_int_equal(roster_mark(t->st, &line[0], "absent", &re), WS_OK);
    assert_int_equal(volunteer_totals_get(t->st, v, "", "", &tot), WS_OK);
    assert_int_equal(tot.minutes, 0);
    assert_int_equal(points_balance(t->st, v, &pts), WS_OK);
    assert_int_equal(pts, 0);

    /* Back: posted again, then the points spent; a cut is refused. */
    assert_int_equal(roster_list(t->st, ses, line, 4, &n), WS_OK);
    assert_int_equal(roster_mark(t->st, &line[0], "present", &re), WS_OK);
    assert_int_equal(hours_post_session(t->st, ses, &posted, &skipped, &re), WS_OK);
    assert_int_equal(posted, 1);
    assert_int_equal(points_spend(t->st, v, 20, 0, "爱心超市：毛巾", &re, NULL), WS_OK);
    assert_int_equal(record_load(t->st, &kind_service, line[0].id, &sv), WS_OK);
    int64_t rev = sv.revision;
    sv.minutes = 30;
    assert_int_equal(record_save(t->st, &kind_service, &sv, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, VSV_MINUTES);
    assert_int_equal(record_load(t->st, &kind_service, line[0].id, &sv), WS_OK);
    assert_int_equal(sv.minutes, 120);
    assert_int_equal(sv.revision, rev);
    assert_int_equal(volunteer_totals_get(t->st, v, "", "", &tot), WS_OK);
    assert_int_equal(tot.minutes, 120);

    /* Taken off the roster: voided (its points given back first). */
    assert_int_equal(points_balance(t->st, v, &pts), WS_OK);
    assert_int_equal(pts, 0);
    hour_entry e = {.volunteer_id = v, .minutes = 180};
    snprintf(e.description, sizeof e.description, "助老");
    snprintf(e.date, sizeof e.date, "2026-11-12");
    assert_int_equal(hours_add(t->st, &e, &re, NULL), WS_OK);
    assert_int_equal(record_delete(t->st, &kind_service, line[0].id, &re), WS_OK);
    assert_int_equal(volunteer_totals_get(t->st, v, "", "", &tot), WS_OK);
    assert_int_equal(tot.minutes, 180);
}

/* A station handle logged in as a 录入员 (clerk) of t's station. */
static station *clerk_open(testutil_station *t)
{
    account a;
    account_init(&a);
    snprintf(a.login, sizeof a.login, "lr");
    snprintf(a.display_name, sizeof a.display_name, "赵录入");
    snprintf(a.role, sizeof a.role, "clerk");
    record_error re;
    assert_int_equal(account_create(t->st, &a, "wushe-test-1", &re), WS_OK);
    station *clerk = NULL;
    char err[256];
    assert_int_equal(station_open(t->path, 0, NULL, &clerk, err, sizeof err), WS_OK);
    account_login_result res;
    assert_int_equal(account_login(clerk, "lr", "wushe-test-1", &res), WS_OK);
    return clerk;
}

/* A session of `date` 09:00-11:00 with v on its sheet, marked present and
 * (when post) its hours posted by the trusted station (confirmed). */
static int64_t posted_session(testutil_station *t, int64_t v, const char *date, bool post)
{
    int64_t act = activity_new(t->st, "助老理发");
    int64_t ses = session_new(t->st, act, date, "09:00", "11:00", 0);
    record_error re;
    assert_int_equal(roster_add(t->st, ses, true, v, &re), WS_OK);
    roster_line line[2];
    size_t n = 0, posted = 0, skipped = 0;
    assert_int_equal(roster_list(t->st, ses, line, 2, &n), WS_OK);
    assert_int_equal(roster_mark(t->st, &line[0], "present", &re), WS_OK);
    if (post) {
        assert_int_equal(hours_post_session(t->st, ses, &posted, &skipped, &re), WS_OK);
        assert_int_equal(posted, 1);
    }
    return ses;
}

/* A 录入员 does not take confirmed hours (or their points) away alone: the
 * 更正 of a confirmed entry and a 缺席 on a posted line are refused, and
 * nothing is written; a pending entry of theirs is corrected as before. */
static void test_clerk_confirmed_correction(void **state)
{
    testutil_station *t = *state;
    int64_t v = volunteer_new(t->st, "卫红梅", "2026-01-01");
    int64_t ses = posted_session(t, v, "2026-11-10", true);
    int64_t entry = raw_int(t, "SELECT id FROM hour_entries WHERE session_id = ?1", ses);
    station *clerk = clerk_open(t);
    int64_t rows = raw_int(t, "SELECT count(*) FROM hour_entries WHERE ?1 = ?1", 0);
    int64_t moves = raw_int(t, "SELECT count(*) FROM points_movements WHERE ?1 = ?1", 0);
    record_error re;
    /* Asked before the 更正 form opens (the trial: a clerk filled it in and
     * was refused only at the save). */
    assert_int_equal(hours_may_correct(clerk, entry, &re), WS_ERR_INVALID);
    assert_string_equal(re.detail, tr("hours.confirmed_clerk"));
    assert_int_equal(hours_correct(clerk, entry, 60, "记多了", &re, NULL), WS_ERR_INVALID);
    assert_int_equal(re.code, VAL_RULE);
    assert_string_equal(re.detail, tr("hours.confirmed_clerk"));
    roster_line line[2];
    size_t n = 0;
    assert_int_equal(roster_list(clerk, ses, line, 2, &n), WS_OK);
    assert_int_equal(roster_mark(clerk, &line[0], "absent", &re), WS_ERR_INVALID);
    assert_int_equal(re.field, VSV_MINUTES);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM hour_entries WHERE ?1 = ?1", 0), rows);
    assert_int_equal(raw_int(t, "SELECT count(*) FROM points_movements WHERE ?1 = ?1", 0), moves);
    assert_int_equal(roster_list(clerk, ses, line, 2, &n), WS_OK);
    assert_string_equal(line[0].mark, "present");
    volunteer_totals tot;
    assert_int_equal(volunteer_totals_get(t->st, v, "", "", &tot), WS_OK);
    assert_int_equal(tot.minutes, 120);
    assert_int_equal(tot.points, 20);
    /* The clerk's own pending entry: corrected (still pending). */
    hour_entry e = {.volunteer_id = v, .minutes = 90};
    snprintf(e.description, sizeof e.description, "上门帮扶");
    snprintf(e.date, sizeof e.date, "2026-11-12");
    int64_t mine = 0, fixed = 0;
    assert_int_equal(hours_add(clerk, &e, &re, &mine), WS_OK);
    assert_int_equal(hours_may_correct(clerk, mine, &re), WS_OK);
    assert_int_equal(hours_correct(clerk, mine, 60, "记多了", &re, &fixed), WS_OK);
    /* A corrected entry is corrected once. */
    assert_int_equal(hours_may_correct(clerk, mine, &re), WS_ERR_INVALID);
    assert_int_equal(raw_int(t, "SELECT confirmed_at IS NULL FROM hour_entries WHERE id = ?1",
                             fixed), 1);
    station_close(&clerk);
    /* Whoever may confirm corrects a confirmed entry. */
    assert_int_equal(hours_correct(t->st, entry, 60, "记多了", &re, NULL), WS_OK);
    assert_int_equal(volunteer_totals_get(t->st, v, "", "", &tot), WS_OK);
    assert_int_equal(tot.minutes, 60);
}

/* A session whose hours are posted keeps its date and times (the ledger
 * would keep the old ones); once they are reversed it may change. */
static void test_session_change_after_posting(void **state)
{
    testutil_station *t = *state;
    int64_t v = volunteer_new(t->st, "卫红梅", "2026-01-01");
    int64_t ses = posted_session(t, v, "2026-11-10", true);
    session s;
    record_error re;
    assert_int_equal(record_load(t->st, &kind_session, ses, &s), WS_OK);
    snprintf(s.date, sizeof s.date, "2026-11-09");
    assert_int_equal(record_save(t->st, &kind_session, &s, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, SF_DATE);
    assert_int_equal(record_load(t->st, &kind_session, ses, &s), WS_OK);
    snprintf(s.end, sizeof s.end, "10:30");
    assert_int_equal(record_save(t->st, &kind_session, &s, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, SF_END);
    assert_int_equal(record_load(t->st, &kind_session, ses, &s), WS_OK);
    assert_string_equal(s.date, "2026-11-10");
    assert_string_equal(s.end, "11:00");
    /* A note is not a date or a time. */
    snprintf(s.note, sizeof s.note, "雨天改在室内");
    assert_int_equal(record_save(t->st, &kind_session, &s, &re), WS_OK);
    /* Reversed (marked absent): the date may change. */
    roster_line line[2];
    size_t n = 0;
    assert_int_equal(roster_list(t->st, ses, line, 2, &n), WS_OK);
    assert_int_equal(roster_mark(t->st, &line[0], "absent", &re), WS_OK);
    assert_int_equal(record_load(t->st, &kind_session, ses, &s), WS_OK);
    snprintf(s.date, sizeof s.date, "2026-11-09");
    assert_int_equal(record_save(t->st, &kind_session, &s, &re), WS_OK);
}

/* Nobody is marked on a session still ahead (it would count); a marked
 * session does not move ahead either. */
static void test_future_session_marks(void **state)
{
    testutil_station *t = *state;
    int64_t r = resident_new(t->st, "陈大爷", "11010119450101123", "");
    int64_t v = volunteer_new(t->st, "杨志愿", "2026-01-01");
    int64_t act = activity_new(t->st, "重阳节慰问");
    int64_t ses = session_new(t->st, act, "2026-11-30", "09:00", "11:00", 0);
    record_error re;
    assert_int_equal(roster_add(t->st, ses, false, r, &re), WS_OK); /* expected: fine */
    assert_int_equal(roster_add(t->st, ses, true, v, &re), WS_OK);
    roster_line line[4];
    size_t n = 0;
    assert_int_equal(roster_list(t->st, ses, line, 4, &n), WS_OK);
    assert_int_equal(n, 2);
    static const char *const marks[] = {"present", "late", "absent", "excused"};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(roster_mark(t->st, &line[0], marks[i], &re), WS_ERR_INVALID);
        assert_int_equal(re.field, VSV_MARK);
        assert_int_equal(roster_mark(t->st, &line[1], marks[i], &re), WS_ERR_INVALID);
        assert_int_equal(re.field, ATF_MARK);
    }
    assert_int_equal(roster_mark(t->st, &line[1], "", &re), WS_OK);
    activity_counts c;
    assert_int_equal(activity_counts_get(t->st, act, "", "", &c), WS_OK);
    assert_int_equal(c.person_times, 0);
    assert_int_equal(c.volunteer_times, 0);
    /* Marked on its day, then moved ahead: refused. */
    int64_t past = session_new(t->st, act, "2026-11-20", "09:00", "11:00", 0);
    assert_int_equal(roster_add(t->st, past, false, r, &re), WS_OK);
    assert_int_equal(roster_list(t->st, past, line, 4, &n), WS_OK);
    assert_int_equal(roster_mark(t->st, &line[0], "present", &re), WS_OK);
    session s;
    assert_int_equal(record_load(t->st, &kind_session, past, &s), WS_OK);
    snprintf(s.date, sizeof s.date, "2026-12-01");
    assert_int_equal(record_save(t->st, &kind_session, &s, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, SF_DATE);
}

/* A volunteer and the resident they are are one person: on a sheet once. */
static void test_one_person_once(void **state)
{
    testutil_station *t = *state;
    int64_t r = resident_new(t->st, "查良", "11010119700101123", "13912345678");
    volunteer vol;
    volunteer_init(&vol);
    vol.resident_id = r;
    record_error re;
    assert_int_equal(record_save(t->st, &kind_volunteer, &vol, &re), WS_OK);
    int64_t act = activity_new(t->st, "健康讲座");
    int64_t s1 = session_new(t->st, act, "2026-11-10", "09:00", "11:00", 0);
    int64_t s2 = session_new(t->st, act, "2026-11-17", "09:00", "11:00", 0);
    assert_int_equal(roster_add(t->st, s1, true, vol.id, &re), WS_OK);
    assert_int_equal(roster_add(t->st, s1, false, r, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, ATF_RESIDENT);
    assert_non_null(strstr(re.detail, "查良"));
    assert_int_equal(roster_add(t->st, s2, false, r, &re), WS_OK);
    assert_int_equal(roster_add(t->st, s2, true, vol.id, &re), WS_ERR_INVALID);
    assert_int_equal(re.field, VSV_VOLUNTEER);
    roster_line line[4];
    size_t n = 0;
    assert_int_equal(roster_list(t->st, s1, line, 4, &n), WS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(roster_list(t->st, s2, line, 4, &n), WS_OK);
    assert_int_equal(n, 1);
}

/* Two consoles on one sheet: a one-key mark on a line someone else marked
 * since the sheet was read is refused, naming who; theirs stays. */
static void test_roster_stale_mark(void **state)
{
    testutil_station *t = *state;
    int64_t r = resident_new(t->st, "林奶奶", "11010119470202122", "");
    int64_t act = activity_new(t->st, "健康讲座");
    int64_t ses = session_new(t->st, act, "2026-11-10", "09:00", "11:00", 0);
    record_error re;
    assert_int_equal(roster_add(t->st, ses, false, r, &re), WS_OK);
    roster_line a[2], b[2];
    size_t n = 0;
    assert_int_equal(roster_list(t->st, ses, a, 2, &n), WS_OK);
    assert_int_equal(roster_list(t->st, ses, b, 2, &n), WS_OK);
    assert_int_equal(roster_mark(t->st, &b[0], "excused", &re), WS_OK);
    assert_int_equal(roster_mark(t->st, &a[0], "present", &re), WS_ERR_STALE);
    assert_true(re.detail[0] != '\0');
    assert_int_equal(roster_list(t->st, ses, a, 2, &n), WS_OK);
    assert_string_equal(a[0].mark, "excused");
    /* Read again: marked. */
    assert_int_equal(roster_mark(t->st, &a[0], "present", &re), WS_OK);
}

/* 服务时长 and 积分明细 newest first by date, whatever order they were
 * recorded in; paging keeps that order. */
static void test_newest_first(void **state)
{
    testutil_station *t = *state;
    int64_t v = volunteer_new(t->st, "韩晓梅", "2026-01-01");
    static const char *const dates[] = {"2026-11-01", "2026-10-01", "2026-11-15", "2026-10-20"};
    record_error re;
    for (size_t i = 0; i < 4; i++) {
        hour_entry e = {.volunteer_id = v, .minutes = 60};
        snprintf(e.description, sizeof e.description, "助老");
        snprintf(e.date, sizeof e.date, "%s", dates[i]);
        assert_int_equal(hours_add(t->st, &e, &re, NULL), WS_OK);
    }
    assert_int_equal(points_spend(t->st, v, 5, 0, "爱心超市：毛巾", &re, NULL), WS_OK);
    static const char *const want[] = {"2026-11-15", "2026-11-01", "2026-10-20", "2026-10-01"};
    hour_entry e[4];
    size_t n = 0;
    int64_t after = 0;
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(hours_list(t->st, v, after, e, 1, &n), WS_OK);
        assert_int_equal(n, 1);
        assert_string_equal(e[0].date, want[i]);
        after = e[0].id;
    }
    assert_int_equal(hours_list(t->st, v, after, e, 1, &n), WS_OK);
    assert_int_equal(n, 0);
    points_move m[2];
    after = 0;
    assert_int_equal(points_list(t->st, v, 0, m, 1, &n), WS_OK);
    assert_int_equal(m[0].points, -5); /* today's spending */
    after = m[0].id;
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(points_list(t->st, v, after, m, 1, &n), WS_OK);
        assert_int_equal(n, 1);
        assert_string_equal(m[0].date, want[i]);
        after = m[0].id;
    }
}

/* A session's new times before its hours are posted: the sheet's
 * whole-session minutes follow, minutes typed for one volunteer stay. */
static void test_session_times_follow_sheet(void **state)
{
    testutil_station *t = *state;
    int64_t v1 = volunteer_new(t->st, "杨志愿", "2026-01-01");
    int64_t v2 = volunteer_new(t->st, "许志愿", "2026-01-01");
    int64_t ses = posted_session(t, v1, "2026-11-10", false);
    record_error re;
    assert_int_equal(roster_add(t->st, ses, true, v2, &re), WS_OK);
    roster_line line[4];
    size_t n = 0;
    assert_int_equal(roster_list(t->st, ses, line, 4, &n), WS_OK);
    for (size_t i = 0; i < n; i++)
        if (line[i].person_id == v2) {
            service sv;
            assert_int_equal(record_load(t->st, &kind_service, line[i].id, &sv), WS_OK);
            snprintf(sv.mark, sizeof sv.mark, "present");
            sv.minutes = 60;
            assert_int_equal(record_save(t->st, &kind_service, &sv, &re), WS_OK);
        }
    session s;
    assert_int_equal(record_load(t->st, &kind_session, ses, &s), WS_OK);
    snprintf(s.end, sizeof s.end, "10:30");
    assert_int_equal(record_save(t->st, &kind_session, &s, &re), WS_OK);
    size_t posted = 0, skipped = 0;
    assert_int_equal(hours_post_session(t->st, ses, &posted, &skipped, &re), WS_OK);
    assert_int_equal(posted, 2);
    volunteer_totals tot;
    assert_int_equal(volunteer_totals_get(t->st, v1, "", "", &tot), WS_OK);
    assert_int_equal(tot.minutes, 90);
    assert_int_equal(volunteer_totals_get(t->st, v2, "", "", &tot), WS_OK);
    assert_int_equal(tot.minutes, 60);
}

/* trial: typing initials in the hours lists. The pending list finds a
 * volunteer by what the volunteers list finds them by (initials, either
 * reading of a surname, full pinyin, number); a volunteer's own hours find
 * an activity's entries by its initials or pinyin, as the activities list
 * does (夕阳红舞蹈队 by xyh: failed before, only the characters found it). */
static void test_hours_found_by_initials(void **state)
{
    testutil_station *t = *state;
    int64_t v = volunteer_new(t->st, "单雄信", "2026-01-01");
    int64_t act = activity_new(t->st, "夕阳红舞蹈队");
    int64_t ses = session_new(t->st, act, "2026-11-10", "09:00", "11:00", 0);
    record_error re;
    assert_int_equal(roster_add(t->st, ses, true, v, &re), WS_OK);
    roster_line line[2];
    size_t n = 0, posted = 0, skipped = 0;
    assert_int_equal(roster_list(t->st, ses, line, 2, &n), WS_OK);
    assert_int_equal(roster_mark(t->st, &line[0], "present", &re), WS_OK);
    assert_int_equal(hours_post_session(t->st, ses, &posted, &skipped, &re), WS_OK);
    hour_entry e = {.volunteer_id = v, .minutes = 60};
    snprintf(e.description, sizeof e.description, "助老");
    snprintf(e.date, sizeof e.date, "2026-11-12");
    int64_t id = 0;
    assert_int_equal(hours_add(t->st, &e, &re, &id), WS_OK);
    hour_entry list[8];
    const struct {
        const char *q;
        size_t n;
    } own[] = {{"xyh", 1}, {"XYH", 1}, {"xiyang", 1}, {"夕阳", 1}, {"wdd", 1}, {"助老", 1},
               {"zzz", 0}, {"，", 0}};
    for (size_t i = 0; i < sizeof own / sizeof *own; i++) {
        assert_int_equal(hours_find(t->st, v, own[i].q, 0, list, 8, &n), WS_OK);
        if (n != own[i].n)
            fail_msg("%s: %zu, not %zu", own[i].q, n, own[i].n);
    }
    /* The pending list: an entry waiting, found as the volunteers list
     * finds its volunteer. */
    sqlite3 *w = raw_writer(t);
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO hour_entries(id, volunteer_id, description, service_date, minutes,"
             " entry_kind, recorded_by, recorded_at) VALUES (701, %lld, '助老', '2026-11-03',"
             " 60, 'entry', 'luru', '2026-11-05')", (long long)v);
    assert_int_equal(sqlite3_exec(w, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(w);
    const char *qs[] = {"sxx", "dxx", "shanxiongxin", "雄信", "V000001", "zzz"};
    for (size_t i = 0; i < sizeof qs / sizeof *qs; i++) {
        record_row rows[4];
        size_t m = 0;
        assert_int_equal(record_list(t->st, &kind_volunteer, qs[i], false, 0, 1, rows, 4, &m),
                         WS_OK);
        assert_int_equal(hours_find_pending(t->st, qs[i], 0, list, 8, &n), WS_OK);
        if (n != m || (i < 5 && n != 1))
            fail_msg("%s: pending %zu, volunteers %zu", qs[i], n, m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_surname_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_numbers_never_reused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_linked_resident, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roster_imported_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_erased_resident, setup, teardown),
        cmocka_unit_test_setup_teardown(test_session_times, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_hours, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ledger_never_edited, setup, teardown),
        cmocka_unit_test_setup_teardown(test_correction_pairs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pending_entries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_points_never_below_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(test_points_two_connections, setup, teardown),
        cmocka_unit_test_setup_teardown(test_counts_fixture, setup, teardown),
        cmocka_unit_test_setup_teardown(test_certificates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_star_thresholds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_record_parts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_points_by_type, setup, teardown),
        cmocka_unit_test_setup_teardown(test_confirm_all, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pending_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_confirm_what_was_asked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hours_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_points_to_family, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_number_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roster_after_posting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clerk_confirmed_correction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_session_change_after_posting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_future_session_marks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_person_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roster_stale_mark, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newest_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_session_times_follow_sheet, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hours_found_by_initials, setup, teardown),
    };
    return testutil_run(tests);
}
