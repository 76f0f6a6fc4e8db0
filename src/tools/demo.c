#include "wushe/demo.h"

#include "demo_volunteers.h"
#include "demo_orgs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo_internal.h"
#include "demo_resources.h"
#include "search.h"
#include "station_internal.h"
#include "wushe/community.h"
#include "wushe/household.h"
#include "wushe/resident.h"

/* Surnames roughly by frequency (the first ones repeated count more), with
 * some polyphonic and compound surnames a register really contains. */
static const char *const demo_surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "王", "李", "张", "刘", "陈",
    "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐",
    "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "蒋", "蔡", "余",
    "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭",
    "陆", "汪", "范", "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦",
    "邱", "江", "尹", "薛", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝",
    "龚", "邵", "万", "严", "覃", "向", "汤", "单", "解", "仇", "查", "乐", "翟", "区", "朴",
    "欧阳", "司马", "上官", "诸葛", "尉迟",
};

static const char *const demo_given_male[] = {
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华",
    "飞", "鑫", "波", "宇", "浩", "凯", "健", "俊", "帆", "旭", "宁", "龙", "林", "阳", "建",
    "国", "志", "文", "德", "永", "海", "春", "成", "兴", "福", "贵", "金", "山", "忠", "良",
    "雄", "信", "晨", "子", "轩", "睿", "泽", "博", "瑞", "嘉", "家", "云", "清",
};

static const char *const demo_given_female[] = {
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "英", "慧", "玲", "婷", "雪", "琳",
    "洁", "梅", "兰", "红", "萍", "燕", "玉", "凤", "桂", "琴", "云", "莲", "倩", "欣", "怡",
    "佳", "悦", "雨", "诗", "涵", "萱", "蕾", "露", "晓", "丹", "娇", "春", "花", "珍", "淑",
};

#define DEMO_COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct demo_place {
    char name[64];
    const char *kind;
    char code[16];
    char street[4][32];
};

/* The station's own four communities; a county-sized register (benchmarks)
 * gets one more village or community per ~2,000 residents, as real
 * townships have, so that an address fragment is as rare as it is there. */
static const struct {
    const char *name, *kind, *code, *street[4];
} demo_home_places[] = {
    {"学堂湾社区", "community", "510902105001", {"学堂湾路", "文昌街", "书院巷", "新村"}},
    {"青石村", "village", "510902105201", {"一组", "二组", "三组", "四组"}},
    {"柳河社区", "community", "510902105002", {"柳河路", "滨河街", "东升巷", "杨柳湾"}},
    {"桃源村", "village", "510902105202", {"五组", "六组", "七组", "八组"}},
};
#define DEMO_HOME_PLACES 4
#define DEMO_MAX_PLACES 1000

static const char *const demo_place_words[] = {
    "白沙", "黄桷", "清水", "石桥", "龙泉", "凤鸣", "金竹", "银杏", "松林", "梨花",
    "杏林", "双河", "三岔", "高峰", "大坪", "小坝", "红岩", "青杠", "马鞍", "观音",
    "太平", "永兴", "复兴", "新华", "光明", "胜利", "和平", "民主", "长乐", "福田",
    "兴隆", "安居", "玉泉", "碧溪", "响水", "鹿鸣", "凉风", "云台", "月亮", "莲花",
};
static const char *const demo_place_tails[] = {
    "湾", "坝", "坪", "沟", "岭", "塘", "桥", "坡", "垭", "嘴",
    "寺", "庙", "场", "铺", "堰", "井", "山", "河", "溪", "园", "口", "岗", "台", "庄", "林",
};
static const char *const demo_group_names[] = {"一组", "二组", "三组", "四组", "五组", "六组",
                                               "七组", "八组", "九组", "十组"};
static const char *const demo_street_names[] = {"中街", "正街", "新街", "后街", "东路",
                                                "西路", "南巷", "北巷", "河街", "上街"};

static size_t demo_places_make(size_t residents, struct demo_place *out)
{
    size_t n = DEMO_HOME_PLACES;
    for (size_t i = 0; i < DEMO_HOME_PLACES; i++) {
        snprintf(out[i].name, sizeof out[i].name, "%s", demo_home_places[i].name);
        out[i].kind = demo_home_places[i].kind;
        snprintf(out[i].code, sizeof out[i].code, "%s", demo_home_places[i].code);
        for (int k = 0; k < 4; k++)
            snprintf(out[i].street[k], sizeof out[i].street[k], "%s",
                     demo_home_places[i].street[k]);
    }
    size_t extra = residents / 2000;
    if (extra > DEMO_MAX_PLACES - DEMO_HOME_PLACES)
        extra = DEMO_MAX_PLACES - DEMO_HOME_PLACES;
    for (size_t i = 0; i < extra; i++, n++) {
        struct demo_place *p = &out[n];
        bool village = i % 3 != 0;
        snprintf(p->name, sizeof p->name, "%s%s%s",
                 demo_place_words[i % DEMO_COUNT(demo_place_words)],
                 demo_place_tails[(i / DEMO_COUNT(demo_place_words)) % DEMO_COUNT(demo_place_tails)],
                 village ? "村" : "社区");
        p->kind = village ? "village" : "community";
        snprintf(p->code, sizeof p->code, "510902%06zu", 105300 + i);
        for (int k = 0; k < 4; k++)
            snprintf(p->street[k], sizeof p->street[k], "%s",
                     village ? demo_group_names[(i + (size_t)k * 3) % 10]
                             : demo_street_names[(i + (size_t)k * 3) % 10]);
    }
    return n;
}


static void demo_given(demo_rng *r, int sex, char *out, size_t outsz)
{
    const char *const *pool = sex == SEX_MALE ? demo_given_male : demo_given_female;
    size_t n = sex == SEX_MALE ? DEMO_COUNT(demo_given_male) : DEMO_COUNT(demo_given_female);
    const char *a = pool[demo_next(r) % n];
    if (demo_chance(r, 250))
        snprintf(out, outsz, "%s", a);
    else
        snprintf(out, outsz, "%s%s", a, pool[demo_next(r) % n]);
}

static void demo_phone(demo_rng *r, char *out, size_t outsz)
{
    static const char *const prefixes[] = {"138", "139", "135", "136", "137", "150", "151",
                                           "152", "157", "158", "159", "182", "183", "187",
                                           "188", "133", "153", "180", "189", "177", "199"};
    snprintf(out, outsz, "%s%08d", prefixes[demo_next(r) % DEMO_COUNT(prefixes)],
             demo_range(r, 0, 99999999));
}

/* A valid 18-character ID number for the place, birth date and sex. */
static void demo_id_number(demo_rng *r, const char *code, const char *birth, int sex,
                           char out[19])
{
    char d17[18];
    int seq = demo_range(r, 0, 499) * 2 + (sex == SEX_MALE ? 1 : 0);
    snprintf(d17, sizeof d17, "%.6s%.4s%.2s%.2s%03d", code, birth, birth + 5, birth + 8, seq);
    memcpy(out, d17, 17);
    out[17] = val_id_check_char(d17);
    out[18] = '\0';
}

static void demo_birth(demo_rng *r, int age, char out[16])
{
    snprintf(out, 16, "%04d-%02d-%02d", 2025 - age, demo_range(r, 1, 12), demo_range(r, 1, 28));
}

static void demo_group(resident *res, const char *code, const char *start, const char *cert)
{
    resident_group g;
    memset(&g, 0, sizeof g);
    snprintf(g.code, sizeof g.code, "%s", code);
    snprintf(g.start_date, sizeof g.start_date, "%s", start);
    snprintf(g.cert_no, sizeof g.cert_no, "%s", cert);
    resident_group_set(res, &g);
}

static void demo_groups(demo_rng *r, resident *res, int age, bool poor_household)
{
    char cert[32];
    snprintf(cert, sizeof cert, "SC%06d", demo_range(r, 0, 999999));
    char start[16];
    snprintf(start, sizeof start, "20%02d-%02d-01", demo_range(r, 15, 24), demo_range(r, 1, 12));
    if (poor_household)
        demo_group(res, "dibao", start, cert);
    else if (demo_chance(r, 20))
        demo_group(res, "dibao_edge", start, cert);
    if (demo_chance(r, 10))
        demo_group(res, "temp_relief", start, "");
    if (demo_chance(r, 50)) {
        demo_group(res, "disabled", start, cert);
        resident_group *g = resident_group_find(res, "disabled");
        if (g) {
            snprintf(g->disability_type, sizeof g->disability_type, "%d", demo_range(r, 1, 7));
            snprintf(g->disability_grade, sizeof g->disability_grade, "%d", demo_range(r, 1, 4));
        }
    }
    if (age >= 60) {
        if (demo_chance(r, 150))
            demo_group(res, "empty_nest", start, "");
        if (demo_chance(r, 80))
            demo_group(res, "living_alone", start, "");
        if (demo_chance(r, 50))
            demo_group(res, "disabled_elderly", start, "");
        if (demo_chance(r, 15))
            demo_group(res, "tekun", start, cert);
        if (res->sex == SEX_MALE && demo_chance(r, 20))
            demo_group(res, "entitled", start, cert);
    } else if (age < 16) {
        if (demo_chance(r, 120))
            demo_group(res, "left_behind_child", start, "");
        if (demo_chance(r, 20))
            demo_group(res, "child_in_distress", start, "");
        if (demo_chance(r, 5))
            demo_group(res, "unsupported_child", start, "");
        if (demo_chance(r, 3))
            demo_group(res, "orphan", start, cert);
    }
}

struct demo_ctx {
    station *st;
    demo_rng rng;
    const demo_opts *opts;
    size_t done;
    size_t total;
};

/* Save one member; a clashing random ID number is drawn again. */
static ws_status demo_member(struct demo_ctx *c, const struct demo_place *p, int64_t cid,
                             const household *h, const char *surname, int sex, int age,
                             const char *relation, bool poor)
{
    resident res;
    resident_init(&res);
    char given[32];
    demo_given(&c->rng, sex, given, sizeof given);
    snprintf(res.name, sizeof res.name, "%s%s", surname, given);
    res.sex = sex;
    demo_birth(&c->rng, age, res.birth_date);
    if (age >= 16 && demo_chance(&c->rng, 880))
        demo_phone(&c->rng, res.phone, sizeof res.phone);
    snprintf(res.ethnicity, sizeof res.ethnicity, "%s",
             demo_chance(&c->rng, 940) ? "01" : demo_chance(&c->rng, 500) ? "07" : "04");
    res.community_id = cid;
    res.household_id = h->id;
    snprintf(res.relation, sizeof res.relation, "%s", relation);
    snprintf(res.address, sizeof res.address, "%s", h->address);
    demo_groups(&c->rng, &res, age, poor);
    for (int attempt = 0; attempt < 20; attempt++) {
        demo_id_number(&c->rng, p->code, res.birth_date, sex, res.id_number);
        field_error fe;
        ws_status s = resident_save(c->st, &res, &fe);
        if (s == WS_ERR_INVALID && (fe.code == VAL_DUPLICATE_ID || fe.code == VAL_ID_IN_BIN))
            continue;
        if (s == WS_OK) {
            c->done++;
            if (c->opts->progress && (c->done % 1000 == 0 || c->done == c->total))
                c->opts->progress(c->opts->ctx, c->done, c->total);
        }
        return s;
    }
    return WS_ERR_INVALID;
}

static const char *demo_surname(demo_rng *r)
{
    return demo_surnames[demo_next(r) % DEMO_COUNT(demo_surnames)];
}

static ws_status demo_household(struct demo_ctx *c, const community *comm,
                                const struct demo_place *p, int seq)
{
    household h;
    household_init(&h);
    snprintf(h.number, sizeof h.number, "H%05d", seq);
    h.community_id = comm->id;
    snprintf(h.address, sizeof h.address, "%s%s%d号", p->name, p->street[demo_next(&c->rng) % 4],
             demo_range(&c->rng, 1, 180));
    household_error he;
    ws_status s = household_save(c->st, &h, &he);
    if (s != WS_OK)
        return s;
    demo_rng *r = &c->rng;
    const char *surname = demo_surname(r);
    bool poor = demo_chance(r, 60);
    int head_sex = demo_chance(r, 780) ? SEX_MALE : SEX_FEMALE;
    int head_age = demo_range(r, 24, 88);
    size_t left = c->total - c->done;
    s = demo_member(c, p, comm->id, &h, surname, head_sex, head_age, "head", poor);
    /* Spouse (another surname), children, sometimes an elderly parent. */
    if (s == WS_OK && left > 1 && head_age < 85 && demo_chance(r, 800)) {
        int age = head_age + demo_range(r, -5, 4);
        s = demo_member(c, p, comm->id, &h, demo_surname(r), 3 - head_sex,
                        age < 20 ? 20 : age, "spouse", poor);
    }
    int kids = head_age < 30 ? demo_range(r, 0, 1) : head_age < 70 ? demo_range(r, 0, 3) : 0;
    for (int k = 0; s == WS_OK && k < kids && c->done < c->total; k++) {
        int sex = demo_chance(r, 520) ? SEX_MALE : SEX_FEMALE;
        int age = head_age - demo_range(r, 22, 34);
        s = demo_member(c, p, comm->id, &h, surname, sex, age < 0 ? 0 : age,
                        sex == SEX_MALE ? "son" : "daughter", poor);
    }
    if (s == WS_OK && head_age < 55 && c->done < c->total && demo_chance(r, 250)) {
        int sex = demo_chance(r, 400) ? SEX_MALE : SEX_FEMALE;
        s = demo_member(c, p, comm->id, &h, sex == SEX_MALE ? surname : demo_surname(r), sex,
                        head_age + demo_range(r, 24, 32), "parent", poor);
    }
    return s;
}

ws_status demo_generate(station *st, const demo_opts *opts)
{
    demo_opts defaults = {.residents = 1000, .seed = 2026};
    if (!opts)
        opts = &defaults;
    struct demo_ctx c = {.st = st, .rng = {opts->seed ? opts->seed : 2026}, .opts = opts,
                         .total = opts->residents ? opts->residents : 1000};
    station_stats stats;
    ws_status s = station_stats_get(st, &stats);
    if (s != WS_OK)
        return s;
    if (stats.residents > 0)
        return WS_ERR_INVALID;
    db *d = station_db(st);
    s = db_begin(d);
    if (s != WS_OK)
        return s;
    db_set_bulk(d, true);
    s = search_batch_begin(d);
    /* Demo data is synthetic: recorded under its own actor. */
    char actor[64];
    snprintf(actor, sizeof actor, "%s", station_actor(st));
    station_set_actor(st, "demo");
    if (s == WS_OK)
        s = station_set_info(st, "青石镇社会工作服务站", "510902105000");
    struct demo_place *places = calloc(DEMO_MAX_PLACES, sizeof *places);
    community *comms = calloc(DEMO_MAX_PLACES, sizeof *comms);
    size_t nplaces = places && comms ? demo_places_make(c.total, places) : 0;
    if (s == WS_OK && !nplaces)
        s = WS_ERR_NOMEM;
    for (size_t i = 0; s == WS_OK && i < nplaces; i++) {
        snprintf(comms[i].name, sizeof comms[i].name, "%s", places[i].name);
        snprintf(comms[i].kind, sizeof comms[i].kind, "%s", places[i].kind);
        snprintf(comms[i].code, sizeof comms[i].code, "%s", places[i].code);
        record_error re;
        s = community_save(st, &comms[i], &re);
    }
    for (int seq = 1; s == WS_OK && c.done < c.total; seq++) {
        size_t pi = demo_next(&c.rng) % nplaces;
        s = demo_household(&c, &comms[pi], &places[pi], seq);
    }
    free(places);
    free(comms);
    if (s == WS_OK)
        s = demo_casework(st, opts->seed ? opts->seed : 2026);
    /* charitable resources (issue 13) */
    if (s == WS_OK)
        s = demo_resources(st, opts->seed ? opts->seed : 2026);
    /* Volunteers, teams and a year of activities (issue 12). */
    if (s == WS_OK)
        s = demo_volunteers(st, c.total, c.rng.s);
    if (s == WS_OK)
        s = demo_shop(st, opts->seed ? opts->seed : 2026);
    /* Social organisations, their incubation and projects (issue 16). */
    if (s == WS_OK)
        s = demo_orgs(st, opts->seed ? opts->seed : 2026);
    station_set_actor(st, actor);
    ws_status e = search_batch_end(d, s == WS_OK);
    if (s == WS_OK)
        s = e;
    if (s == WS_OK)
        s = db_commit(d);
    else
        db_rollback(d);
    db_set_bulk(d, false);
    return s;
}
