/* Demo volunteers and activities, deterministic from the seed: about 150
 * volunteers (most of them residents of the register, linked; the others
 * standalone), four teams, a year of activities up to today with their
 * sessions, rosters marked as paper sign-in sheets would be, the hours of
 * those who came posted to the ledger, a few of them corrected, and
 * points spent at the 爱心超市. Everything goes through the model, as a
 * clerk's keys would. */
#include "demo_volunteers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "demo_rng.h"
#include "station_internal.h"
#include "wushe/validate.h"
#include "wushe/volunteer.h"

#define DV_WORKER "shegong" /* the demo's 社工 (account_create_demo) */
#define DV_VOLUNTEERS 150 /* at 1,000 residents and more; fewer in a smaller demo */
#define DV_TEAMS 4
#define DV_ACTIVITIES 48

/* today + days as YYYY-MM-DD. */
static void dv_date(int days, char out[16])
{
    char today[11];
    date_today(today);
    struct tm tm = {0};
    sscanf(today, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_hour = 12;
    time_t t = timegm(&tm) + (time_t)days * 86400;
    gmtime_r(&t, &tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

typedef struct dv_ids {
    int64_t *v;
    size_t n;
} dv_ids;

/* Ids a query gives (?1 = a). */
static ws_status dv_query_ids(db *d, const char *sql, const char *a, dv_ids *out)
{
    out->v = NULL;
    out->n = 0;
    sqlite3_stmt *q = db_prepare(d, sql);
    if (!q)
        return db_status(d);
    db_bind_text(q, 1, a);
    size_t cap = 0;
    int rc;
    ws_status s = WS_OK;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (out->n == cap) {
            int64_t *g = realloc(out->v, (cap = cap ? cap * 2 : 256) * sizeof *g);
            if (!g) {
                s = WS_ERR_NOMEM;
                break;
            }
            out->v = g;
        }
        out->v[out->n++] = sqlite3_column_int64(q, 0);
    }
    if (s == WS_OK && rc != SQLITE_DONE)
        s = db_status_from(rc);
    db_reset(q);
    return s;
}

static const char *const dv_skills[] = {"care", "medical", "tutoring", "haircut", "repair",
                                        "law", "psych", "arts", "publicity", "driving"};
static const char *const dv_times[] = {"weekday_am", "weekday_pm", "evening", "weekend",
                                       "holiday"};

/* One or two codes of a list, comma separated. */
static void dv_codes(demo_rng *r, const char *const *list, size_t n, char *out, size_t outsz)
{
    size_t a = demo_next(r) % n, b = demo_next(r) % n;
    if (a == b || demo_range(r, 0, 2) == 0)
        snprintf(out, outsz, "%s", list[a]);
    else
        snprintf(out, outsz, "%s,%s", list[a < b ? a : b], list[a < b ? b : a]);
}

static const char *const dv_surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵",
                                          "吴", "周", "徐", "孙", "马", "朱", "胡", "郭"};
static const char *const dv_given[] = {"志强", "秀英", "建华", "丽娟", "春梅", "海燕",
                                       "国庆", "晓燕", "文斌", "桂兰", "红梅", "立新",
                                       "小军", "玉兰", "德明", "雪芳"};

static ws_status dv_volunteers(station *st, demo_rng *r, size_t want, dv_ids *adults,
                               dv_ids *out)
{
    out->v = calloc(want ? want : 1, sizeof *out->v);
    out->n = 0;
    if (!out->v)
        return WS_ERR_NOMEM;
    ws_status s = WS_OK;
    for (size_t i = 0; s == WS_OK && i < want; i++) {
        volunteer v;
        volunteer_init(&v);
        /* Three in four from the register (each once), the others standalone. */
        if (adults->n && demo_range(r, 0, 3) > 0) {
            size_t k = demo_next(r) % adults->n;
            v.resident_id = adults->v[k];
            adults->v[k] = adults->v[--adults->n];
        } else {
            snprintf(v.name, sizeof v.name, "%s%s", dv_surnames[demo_next(r) % 16],
                     dv_given[demo_next(r) % 16]);
            snprintf(v.phone, sizeof v.phone, "1%d%09d", demo_range(r, 3, 9),
                     demo_range(r, 0, 999999999));
        }
        dv_date(-demo_range(r, 380, 1500), v.registered_date);
        dv_codes(r, dv_skills, 10, v.skills, sizeof v.skills);
        dv_codes(r, dv_times, 5, v.availability, sizeof v.availability);
        if (i % 25 == 7) {
            snprintf(v.status, sizeof v.status, "paused");
            dv_date(-demo_range(r, 10, 60), v.status_date);
            snprintf(v.status_reason, sizeof v.status_reason, "外出务工");
        }
        record_error re;
        s = record_save(st, &kind_volunteer, &v, &re);
        if (s == WS_OK)
            out->v[out->n++] = v.id;
    }
    return s;
}

static ws_status dv_teams(station *st, demo_rng *r, const dv_ids *vols, int64_t teams[DV_TEAMS])
{
    static const char *const names[DV_TEAMS] = {"青石镇爱心助老服务队", "学堂湾四点半课堂服务队",
                                                "柳河社区文明劝导队", "桃源村乡风文明志愿队"};
    ws_status s = WS_OK;
    for (int t = 0; s == WS_OK && t < DV_TEAMS; t++) {
        team tm;
        record_init(&kind_team, &tm);
        snprintf(tm.name, sizeof tm.name, "%s", names[t]);
        tm.leader_id = vols->v[t * 3];
        dv_date(-demo_range(r, 400, 900), tm.founded_date);
        record_error re;
        s = record_save(st, &kind_team, &tm, &re);
        teams[t] = tm.id;
        /* Every volunteer in one team, some of them having left it. */
        for (size_t i = (size_t)t; s == WS_OK && i < vols->n; i += DV_TEAMS) {
            team_member m;
            record_init(&kind_team_member, &m);
            m.team_id = tm.id;
            m.volunteer_id = vols->v[i];
            snprintf(m.joined_date, sizeof m.joined_date, "%s", tm.founded_date);
            if (i == (size_t)t * 3)
                snprintf(m.duty, sizeof m.duty, "队长");
            else if (i % 17 == 5)
                dv_date(-demo_range(r, 30, 200), m.left_date);
            s = record_save(st, &kind_team_member, &m, &re);
        }
    }
    return s;
}

static const struct {
    const char *title, *type;
    int sessions;
} dv_kinds[] = {
    {"长者健康讲座", "community", 1},   {"四点半课堂", "helping", 8},
    {"独居老人探访", "visit", 4},       {"义诊义剪进社区", "clinic", 1},
    {"防诈骗政策宣传", "policy", 1},    {"环境卫生大扫除", "cleanup", 1},
    {"广场舞展演", "culture", 2},       {"手工编织小组", "group", 6},
};
#define DV_NKINDS (sizeof dv_kinds / sizeof *dv_kinds)

/* A session's roster, marked as the paper came back; its hours posted. */
static ws_status dv_session(station *st, demo_rng *r, int64_t sid, const dv_ids *people,
                            const dv_ids *vols)
{
    static const char *const marks[] = {"present", "present", "present", "present",
                                        "present", "late", "absent", "excused"};
    record_error re;
    ws_status s = WS_OK;
    int nres = people->n ? demo_range(r, 4, 16) : 0, nvol = demo_range(r, 2, 5);
    size_t start = people->n ? demo_next(r) % people->n : 0;
    for (int i = 0; s == WS_OK && i < nres && (size_t)i < people->n; i++) {
        attendance a;
        record_init(&kind_attendance, &a);
        a.session_id = sid;
        a.resident_id = people->v[(start + (size_t)i * 7) % people->n];
        snprintf(a.mark, sizeof a.mark, "%s", marks[demo_next(r) % 8]);
        bool taken = false;
        s = db_exists_i64(station_db(st), "SELECT 1 FROM session_attendance WHERE session_id = ?1"
                                          " AND resident_id = ?2 AND deleted_at IS NULL",
                          sid, a.resident_id, &taken);
        if (s == WS_OK && !taken)
            s = record_save(st, &kind_attendance, &a, &re);
    }
    size_t vstart = demo_next(r) % vols->n;
    for (int i = 0; s == WS_OK && i < nvol; i++) {
        service v;
        record_init(&kind_service, &v);
        v.session_id = sid;
        v.volunteer_id = vols->v[(vstart + (size_t)i * 11) % vols->n];
        snprintf(v.mark, sizeof v.mark, "%s", marks[demo_next(r) % 6]);
        /* A volunteer already on the sheet as the resident they are signs
         * once (the roster refuses the second line). */
        bool served = false;
        s = db_exists_i64(station_db(st), "SELECT 1 FROM session_attendance a JOIN volunteers v"
                                          " ON v.resident_id = a.resident_id WHERE"
                                          " a.session_id = ?1 AND v.id = ?2"
                                          " AND a.deleted_at IS NULL",
                          sid, v.volunteer_id, &served);
        if (s == WS_OK && !served)
            s = record_save(st, &kind_service, &v, &re);
    }
    size_t posted = 0, skipped = 0;
    if (s == WS_OK)
        s = hours_post_session(st, sid, &posted, &skipped, &re);
    return s;
}

static ws_status dv_activities(station *st, demo_rng *r, const dv_ids *vols,
                               const int64_t teams[DV_TEAMS])
{
    db *d = station_db(st);
    dv_ids comms;
    ws_status s = dv_query_ids(d, "SELECT id FROM communities WHERE deleted_at IS NULL"
                                  " AND ?1 = ?1 ORDER BY id", "", &comms);
    /* Each community's residents read once: a county-sized demo has tens
     * of activities, and the query walks the whole register. */
    dv_ids *folk = s == WS_OK ? calloc(comms.n + 1, sizeof *folk) : NULL;
    if (s == WS_OK && !folk)
        s = WS_ERR_NOMEM;
    bool *read = s == WS_OK ? calloc(comms.n + 1, sizeof *read) : NULL;
    if (s == WS_OK && !read)
        s = WS_ERR_NOMEM;
    for (int a = 0; s == WS_OK && a < DV_ACTIVITIES; a++) {
        size_t k = (size_t)a % DV_NKINDS;
        activity act;
        record_init(&kind_activity, &act);
        int first = -demo_range(r, 14, 360);
        char day[16], cid[24] = "";
        dv_date(first, day);
        snprintf(act.title, sizeof act.title, "%s（%.7s）", dv_kinds[k].title, day);
        snprintf(act.type, sizeof act.type, "%s", dv_kinds[k].type);
        act.team_id = demo_range(r, 0, 2) ? teams[demo_next(r) % DV_TEAMS] : 0;
        size_t ci = comms.n ? demo_next(r) % comms.n : comms.n;
        act.community_id = ci < comms.n ? comms.v[ci] : 0;
        snprintf(act.place, sizeof act.place, "%s", act.community_id ? "村（居）委会活动室"
                                                                     : "镇社工站");
        snprintf(act.content, sizeof act.content, "%s。\n由社工站组织，志愿者协助签到和服务。",
                 dv_kinds[k].title);
        record_error re;
        s = record_save(st, &kind_activity, &act, &re);
        snprintf(cid, sizeof cid, "%lld", (long long)act.community_id);
        if (s == WS_OK && !read[ci])
            s = dv_query_ids(d, "SELECT id FROM residents WHERE deleted_at IS NULL"
                                " AND community_id = CAST(?1 AS INTEGER) ORDER BY id",
                             cid, &folk[ci]);
        read[ci] = true;
        const dv_ids people = folk[ci];
        /* Weekly sessions from the first day, none after today. */
        for (int i = 0; s == WS_OK && i < dv_kinds[k].sessions && first + 7 * i <= 0; i++) {
            session ses;
            record_init(&kind_session, &ses);
            ses.activity_id = act.id;
            dv_date(first + 7 * i, ses.date);
            int h = demo_range(r, 0, 1) ? 9 : 14;
            snprintf(ses.start, sizeof ses.start, "%02d:%s", h, demo_range(r, 0, 1) ? "00" : "30");
            snprintf(ses.end, sizeof ses.end, "%02d:%.2s", h + demo_range(r, 1, 2), ses.start + 3);
            ses.unnamed = dv_kinds[k].sessions == 1 ? demo_range(r, 10, 60) : 0;
            s = record_save(st, &kind_session, &ses, &re);
            if (s == WS_OK)
                s = dv_session(st, r, ses.id, &people, vols);
        }
    }
    for (size_t i = 0; folk && i <= comms.n; i++)
        free(folk[i].v);
    free(folk);
    free(read);
    free(comms.v);
    return s;
}

/* The core: one volunteer in ten visits the lonely elderly every week
 * since registering (up to three years), which gives the list its stars. */
static ws_status dv_regulars(station *st, demo_rng *r, const dv_ids *vols)
{
    ws_status s = WS_OK;
    for (size_t i = 0; s == WS_OK && i < vols->n; i += 10) {
        volunteer v;
        s = record_load(st, &kind_volunteer, vols->v[i], &v);
        int weeks = i % 30 == 0 ? 156 : 52, minutes = i % 20 == 0 ? 180 : 120;
        for (int w = 0; s == WS_OK && w < weeks; w++) {
            hour_entry e = {.volunteer_id = v.id, .minutes = minutes};
            dv_date(-1 - 7 * w - demo_range(r, 0, 2), e.date);
            if (strcmp(e.date, v.registered_date) < 0 || strcmp(v.status, "active") != 0)
                break;
            snprintf(e.description, sizeof e.description, "%s",
                     w % 4 ? "上门探访独居老人" : "陪同独居老人就医");
            record_error re;
            s = hours_add(st, &e, &re, NULL);
        }
    }
    return s;
}

/* A few entries corrected (with a reason), points spent and given. */
static ws_status dv_ledger(station *st, demo_rng *r, const dv_ids *vols)
{
    db *d = station_db(st);
    dv_ids entries;
    ws_status s = dv_query_ids(d, "SELECT id FROM hour_entries WHERE entry_kind = 'entry'"
                                  " AND ?1 = ?1 ORDER BY id", "", &entries);
    record_error re;
    /* Corrections first, while every point earned is still there. */
    for (size_t i = 3; s == WS_OK && i < entries.n; i += 37) {
        int64_t minutes = 0;
        s = db_int(d, "SELECT minutes FROM hour_entries WHERE id = ?1", entries.v[i], &minutes);
        if (s == WS_OK)
            s = hours_correct(st, entries.v[i], minutes > 60 ? minutes - 30 : minutes + 30,
                              minutes > 60 ? "提前半小时离开，按实际时长更正"
                                           : "活动结束后留下收拾场地，多服务半小时",
                              &re, NULL);
    }
    free(entries.v);
    static const char *const goods[] = {"爱心超市：大米一袋", "爱心超市：食用油", "爱心超市：洗衣液",
                                        "爱心超市：理发服务"};
    for (size_t i = 0; s == WS_OK && i < vols->n; i += 3) {
        int64_t bal = 0;
        s = points_balance(st, vols->v[i], &bal);
        int64_t spend = bal / 2 > 30 ? 30 : bal / 2;
        if (s == WS_OK && spend > 0)
            s = points_spend(st, vols->v[i], spend, 0, goods[demo_next(r) % 4], &re, NULL);
    }
    /* Now and then points given to someone of the volunteer's household. */
    for (size_t i = 1; s == WS_OK && i < vols->n; i += 9) {
        int64_t bal = 0, kin = 0;
        s = points_balance(st, vols->v[i], &bal);
        if (s == WS_OK)
            s = db_int(d, "SELECT coalesce((SELECT k.id FROM volunteers v"
                          " JOIN residents p ON p.id = v.resident_id"
                          " JOIN residents k ON k.household_id = p.household_id AND k.id <> p.id"
                          " AND k.deleted_at IS NULL WHERE v.id = ?1 ORDER BY k.id LIMIT 1), 0)",
                       vols->v[i], &kin);
        if (s == WS_OK && kin && bal >= 20)
            s = points_spend(st, vols->v[i], 20, kin, "爱心超市：给家人兑换理发服务", &re, NULL);
    }
    return s;
}

/* The rest of the 67号令 record: every volunteer's 岗前培训 on registering,
 * a few topical trainings, awards for the ones who served most, and last
 * year's evaluation of those registered before it. */
static const char *const dv_topics[] = {"入户探访礼仪与安全", "老年人防诈骗宣传要点",
                                        "急救常识与心肺复苏", "儿童保护与沟通技巧",
                                        "志愿服务记录与时间银行"};

static ws_status dv_record(station *st, demo_rng *r, const dv_ids *vols)
{
    record_error re;
    ws_status s = WS_OK;
    char today[11];
    date_today(today);
    for (size_t i = 0; s == WS_OK && i < vols->n; i++) {
        volunteer v;
        s = record_load(st, &kind_volunteer, vols->v[i], &v);
        volunteer_training t;
        record_new(st, &kind_volunteer_training, &t);
        t.volunteer_id = v.id;
        snprintf(t.date, sizeof t.date, "%s", v.registered_date);
        snprintf(t.topic, sizeof t.topic, "岗前培训：志愿服务基本知识");
        t.minutes = 120;
        snprintf(t.trainer, sizeof t.trainer, "站内社工");
        snprintf(t.organiser, sizeof t.organiser, "社工站");
        if (s == WS_OK)
            s = record_save(st, &kind_volunteer_training, &t, &re);
        if (s == WS_OK && i % 3 == 0) {
            record_new(st, &kind_volunteer_training, &t);
            t.volunteer_id = v.id;
            dv_date(-demo_range(r, 20, 300), t.date);
            snprintf(t.topic, sizeof t.topic, "%s", dv_topics[demo_next(r) % 5]);
            t.minutes = 60 * demo_range(r, 1, 3);
            snprintf(t.trainer, sizeof t.trainer, "%s", i % 2 ? "县社工总站督导" : "镇卫生院医生");
            s = record_save(st, &kind_volunteer_training, &t, &re);
        }
        int last_year = atoi(today) - 1;
        if (s == WS_OK && atoi(v.registered_date) <= last_year && i % 4 != 3) {
            volunteer_evaluation e;
            record_new(st, &kind_volunteer_evaluation, &e);
            e.volunteer_id = v.id;
            e.year = last_year;
            snprintf(e.date, sizeof e.date, "%d-01-%02d", last_year + 1, demo_range(r, 8, 28));
            static const char *const ratings[] = {"excellent", "good", "good", "pass"};
            snprintf(e.rating, sizeof e.rating, "%s", ratings[demo_next(r) % 4]);
            snprintf(e.evaluator, sizeof e.evaluator, "张建国");
            snprintf(e.comment, sizeof e.comment, "服务认真，按时参加活动。");
            s = record_save(st, &kind_volunteer_evaluation, &e, &re);
        }
    }
    /* The five who served most: 优秀志愿者 of the township. */
    sqlite3_stmt *q = s == WS_OK ? db_prepare(station_db(st),
        "SELECT volunteer_id FROM hour_entries GROUP BY volunteer_id"
        " ORDER BY sum(minutes) DESC, volunteer_id LIMIT 5") : NULL;
    if (s == WS_OK && !q)
        s = db_status(station_db(st));
    int64_t best[5];
    size_t nbest = 0;
    while (s == WS_OK && nbest < 5 && sqlite3_step(q) == SQLITE_ROW)
        best[nbest++] = sqlite3_column_int64(q, 0);
    if (q)
        db_reset(q);
    for (size_t i = 0; s == WS_OK && i < nbest; i++) {
        volunteer_commendation c;
        record_new(st, &kind_volunteer_commendation, &c);
        c.volunteer_id = best[i];
        dv_date(-demo_range(r, 5, 30), c.date);
        snprintf(c.title, sizeof c.title, "%s", i == 0 ? "优秀志愿者标兵" : "优秀志愿者");
        snprintf(c.level, sizeof c.level, "township");
        snprintf(c.issuer, sizeof c.issuer, "镇党委、镇人民政府");
        s = record_save(st, &kind_volunteer_commendation, &c, &re);
    }
    return s;
}

ws_status demo_volunteers(station *st, size_t residents, uint64_t seed)
{
    demo_rng r = {seed ^ 0x5EED0F5A11A5ull};
    db *d = station_db(st);
    /* About 15 in 100 residents; a demo too small for four teams has none
     * (the tests' small stations start without volunteers). */
    size_t want = residents * 15 / 100 < DV_VOLUNTEERS ? residents * 15 / 100 : DV_VOLUNTEERS;
    if (want < DV_TEAMS * 6)
        return WS_OK;
    dv_ids adults;
    char born[16];
    dv_date(-18 * 366, born);
    ws_status s = dv_query_ids(d, "SELECT id FROM residents WHERE deleted_at IS NULL"
                                  " AND birth_date <= ?1 AND birth_date > '1950'"
                                  " AND id_number IS NOT NULL ORDER BY id", born, &adults);
    dv_ids vols = {0};
    int64_t teams[DV_TEAMS] = {0};
    /* Hours are recorded and confirmed by a person the clerk can name: the
     * demo's 社工 when the station has the demo's accounts. */
    char actor[64];
    snprintf(actor, sizeof actor, "%s", station_actor(st));
    bool worker = false;
    if (s == WS_OK)
        s = db_exists_text(d, "SELECT 1 FROM accounts WHERE login = ?1 AND ?2 = ?2",
                           DV_WORKER, 0, &worker);
    if (worker)
        station_set_actor(st, DV_WORKER);
    if (s == WS_OK)
        s = dv_volunteers(st, &r, want, &adults, &vols);
    if (s == WS_OK && vols.n >= DV_TEAMS * 3)
        s = dv_teams(st, &r, &vols, teams);
    if (s == WS_OK && vols.n >= DV_TEAMS * 3)
        s = dv_activities(st, &r, &vols, teams);
    if (s == WS_OK && vols.n)
        s = dv_regulars(st, &r, &vols);
    if (s == WS_OK && vols.n)
        s = dv_ledger(st, &r, &vols);
    if (s == WS_OK && vols.n)
        s = dv_record(st, &r, &vols);
    station_set_actor(st, actor);
    free(adults.v);
    free(vols.v);
    return s;
}
