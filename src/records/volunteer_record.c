/* The rest of a volunteer's record under 民政部令第67号: 培训情况 (trainings),
 * 表彰奖励情况 (commendations) and 评价情况 (one evaluation a year). Three
 * declared kinds under the volunteer, with the rules a table cannot state:
 * nothing before the volunteer's registration that only a volunteer can
 * have (an award as a volunteer, an evaluation), and one evaluation of a
 * year. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_internal.h"
#include "station_internal.h"
#include "wushe/catalog.h"
#include "wushe/identity.h"
#include "wushe/volunteer.h"

/* The volunteer's registration date ("" when unknown). */
static ws_status registered_on(station *st, int64_t volunteer_id, char *out, size_t outsz)
{
    out[0] = '\0';
    ws_status s = db_text_i64(station_db(st), "SELECT coalesce(registered_date, '')"
                                              " FROM volunteers WHERE id = ?1",
                              volunteer_id, out, outsz);
    return s == WS_ERR_NOT_FOUND ? WS_OK : s;
}

static void account_name(station *st, char *out, size_t outsz)
{
    const account *a = station_account(st);
    snprintf(out, outsz, "%s", a ? a->display_name : "");
}

/* ---- trainings ---- */

static void training_defaults(station *st, void *rec)
{
    (void)st;
    volunteer_training *t = rec;
    date_today(t->date);
}

static const field_def training_fields[] = {
    [VTF_VOLUNTEER] = {.column = "volunteer_id", .label = "kind.volunteer", .type = FLD_REF,
                       .flags = FF_REQUIRED | FF_LEDGER, REC_AT(volunteer_training, volunteer_id),
                       .ref = &kind_volunteer, .aliases = "志愿者|志愿者编号|姓名"},
    [VTF_DATE] = {.column = "training_date", .label = "field.training_date", .type = FLD_DATE,
                  .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(volunteer_training, date),
                  .aliases = "培训日期|日期", .width = 10},
    [VTF_TOPIC] = {.column = "topic", .label = "field.training_topic", .type = FLD_TEXT,
                   .flags = FF_REQUIRED | FF_SEARCH | FF_LIST | FF_LEDGER,
                   REC_AT(volunteer_training, topic), .limit = 80,
                   .aliases = "培训内容|培训主题|内容", .width = 16},
    /* A training day is at most a day. */
    [VTF_MINUTES] = {.column = "minutes", .label = "field.training_minutes", .type = FLD_MINUTES,
                     .flags = FF_REQUIRED | FF_LIST | FF_LEDGER,
                     REC_AT(volunteer_training, minutes), .aliases = "学时|培训时长",
                     .width = 9, .min = 1, .max = 24 * 60},
    [VTF_TRAINER] = {.column = "trainer", .label = "field.trainer", .type = FLD_TEXT,
                     .flags = FF_SEARCH | FF_LIST | FF_LEDGER, REC_AT(volunteer_training, trainer),
                     .limit = 40, .aliases = "培训师|授课人|讲师", .width = 8},
    [VTF_ORGANISER] = {.column = "organiser", .label = "field.training_organiser",
                       .type = FLD_TEXT, .flags = FF_LEDGER,
                       REC_AT(volunteer_training, organiser), .limit = 60,
                       .aliases = "组织单位|主办单位"},
};

/* The same training of the same volunteer once: a second import of a
 * roster of trainings changes nothing. */
static const int training_key[] = {VTF_VOLUNTEER, VTF_DATE, VTF_TOPIC, -1};

static struct kind_sql training_sql;
const record_kind kind_volunteer_training = {
    .name = "volunteer_training",
    .table = "volunteer_trainings",
    .label = "kind.volunteer_training",
    .size = sizeof(volunteer_training),
    .id_offset = offsetof(volunteer_training, id),
    .revision_offset = offsetof(volunteer_training, revision),
    .fields = training_fields,
    .nfields = sizeof training_fields / sizeof training_fields[0],
    .title_field = VTF_DATE,
    .read_perm = PERM_VOLUNTEER_READ,
    .write_perm = PERM_VOLUNTEER_WRITE,
    .period = "training_date",
    .ledger_key = training_key,
    .newest_first = true,
    .hooks = {.defaults = training_defaults},
    .sql = &training_sql,
};

/* ---- commendations ---- */

static void commendation_defaults(station *st, void *rec)
{
    (void)st;
    volunteer_commendation *c = rec;
    date_today(c->date);
}

/* An award as a volunteer comes after the registration. */
static ws_status commendation_rules(station *st, void *rec, record_error *re)
{
    volunteer_commendation *c = rec;
    char reg[16];
    ws_status s = registered_on(st, c->volunteer_id, reg, sizeof reg);
    if (s == WS_OK && reg[0] && strcmp(c->date, reg) < 0)
        return record_fail(re, VCF_DATE, VAL_BEFORE_REGISTERED, reg);
    return s;
}

static const field_def commendation_fields[] = {
    [VCF_VOLUNTEER] = {.column = "volunteer_id", .label = "kind.volunteer", .type = FLD_REF,
                       .flags = FF_REQUIRED | FF_LEDGER,
                       REC_AT(volunteer_commendation, volunteer_id), .ref = &kind_volunteer,
                       .aliases = "志愿者|志愿者编号|姓名"},
    [VCF_DATE] = {.column = "award_date", .label = "field.award_date", .type = FLD_DATE,
                  .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(volunteer_commendation, date),
                  .aliases = "表彰日期|日期", .width = 10},
    [VCF_TITLE] = {.column = "title", .label = "field.award_title", .type = FLD_TEXT,
                   .flags = FF_REQUIRED | FF_SEARCH | FF_LIST | FF_LEDGER,
                   REC_AT(volunteer_commendation, title), .limit = 60,
                   .aliases = "荣誉称号|奖项|表彰名称", .width = 16},
    [VCF_LEVEL] = {.column = "level", .label = "field.award_level", .type = FLD_CODE,
                   .flags = FF_REQUIRED | FF_LIST | FF_LEDGER,
                   REC_AT(volunteer_commendation, level), .codes = "commendation_level",
                   .aliases = "级别|表彰级别", .width = 6},
    [VCF_ISSUER] = {.column = "issuer", .label = "field.award_issuer", .type = FLD_TEXT,
                    .flags = FF_REQUIRED | FF_SEARCH | FF_LIST | FF_LEDGER,
                    REC_AT(volunteer_commendation, issuer), .limit = 60,
                    .aliases = "授予单位|颁发单位", .width = 12},
    [VCF_NOTES] = {.column = "notes", .label = "field.notes", .type = FLD_MULTILINE,
                   .flags = FF_LEDGER, REC_AT(volunteer_commendation, notes), .limit = 300,
                   .aliases = "备注|事迹"},
};

static const int commendation_key[] = {VCF_VOLUNTEER, VCF_DATE, VCF_TITLE, -1};

static struct kind_sql commendation_sql;
const record_kind kind_volunteer_commendation = {
    .name = "volunteer_commendation",
    .table = "volunteer_commendations",
    .label = "kind.volunteer_commendation",
    .size = sizeof(volunteer_commendation),
    .id_offset = offsetof(volunteer_commendation, id),
    .revision_offset = offsetof(volunteer_commendation, revision),
    .fields = commendation_fields,
    .nfields = sizeof commendation_fields / sizeof commendation_fields[0],
    .title_field = VCF_DATE,
    .read_perm = PERM_VOLUNTEER_READ,
    .write_perm = PERM_VOLUNTEER_WRITE,
    .period = "award_date",
    .ledger_key = commendation_key,
    .newest_first = true,
    .hooks = {.defaults = commendation_defaults, .validate = commendation_rules},
    .sql = &commendation_sql,
};

/* ---- the yearly evaluation ---- */

static void evaluation_defaults(station *st, void *rec)
{
    volunteer_evaluation *e = rec;
    date_today(e->date);
    /* Most often last year's, made early in the new one. */
    e->year = atoi(e->date) - 1;
    if (st)
        account_name(st, e->evaluator, sizeof e->evaluator);
}

/* A year the volunteer was registered in, evaluated in or after it, once. */
static ws_status evaluation_rules(station *st, void *rec, record_error *re)
{
    volunteer_evaluation *e = rec;
    char reg[16], msg[256];
    ws_status s = registered_on(st, e->volunteer_id, reg, sizeof reg);
    if (s != WS_OK)
        return s;
    if (reg[0] && e->year < atoi(reg))
        return record_fail(re, VEF_YEAR, VAL_RULE,
                           trf(msg, sizeof msg, "volunteers.eval_before", reg));
    if (e->year > atoi(e->date))
        return record_fail(re, VEF_YEAR, VAL_RULE,
                           trf(msg, sizeof msg, "volunteers.eval_ahead", e->date));
    sqlite3_stmt *q = db_prepare(station_db(st), "SELECT 1 FROM volunteer_evaluations"
                                                 " WHERE volunteer_id = ?1 AND year = ?2"
                                                 " AND id <> ?3 AND deleted_at IS NULL");
    if (!q)
        return db_status(station_db(st));
    sqlite3_bind_int64(q, 1, e->volunteer_id);
    sqlite3_bind_int64(q, 2, e->year);
    sqlite3_bind_int64(q, 3, e->id);
    int rc = sqlite3_step(q);
    db_reset(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_status_from(rc);
    if (rc == SQLITE_ROW)
        return record_fail(re, VEF_YEAR, VAL_RULE,
                           trf(msg, sizeof msg, "volunteers.eval_twice", (long long)e->year));
    return WS_OK;
}

static const field_def evaluation_fields[] = {
    [VEF_VOLUNTEER] = {.column = "volunteer_id", .label = "kind.volunteer", .type = FLD_REF,
                       .flags = FF_REQUIRED | FF_LEDGER,
                       REC_AT(volunteer_evaluation, volunteer_id), .ref = &kind_volunteer,
                       .aliases = "志愿者|志愿者编号|姓名"},
    [VEF_YEAR] = {.column = "year", .label = "field.eval_year", .type = FLD_INT,
                  .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(volunteer_evaluation, year),
                  .aliases = "年度|评价年度", .width = 6, .min = 2000, .max = 2100},
    [VEF_RATING] = {.column = "rating", .label = "field.eval_rating", .type = FLD_CODE,
                    .flags = FF_REQUIRED | FF_LIST | FF_LEDGER,
                    REC_AT(volunteer_evaluation, rating), .codes = "evaluation_rating",
                    .aliases = "评价|等次|评价等次", .width = 6},
    [VEF_DATE] = {.column = "evaluated_on", .label = "field.eval_date", .type = FLD_DATE,
                  .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(volunteer_evaluation, date),
                  .aliases = "评价日期|日期", .width = 10},
    [VEF_EVALUATOR] = {.column = "evaluator", .label = "field.evaluator", .type = FLD_TEXT,
                       .flags = FF_REQUIRED | FF_LIST | FF_LEDGER,
                       REC_AT(volunteer_evaluation, evaluator), .limit = 40,
                       .aliases = "评价人", .width = 8},
    [VEF_COMMENT] = {.column = "comment", .label = "field.eval_comment", .type = FLD_MULTILINE,
                     .flags = FF_LEDGER, REC_AT(volunteer_evaluation, comment), .limit = 500,
                     .aliases = "评语|评价意见"},
};

static const int evaluation_key[] = {VEF_VOLUNTEER, VEF_YEAR, -1};

static struct kind_sql evaluation_sql;
const record_kind kind_volunteer_evaluation = {
    .name = "volunteer_evaluation",
    .table = "volunteer_evaluations",
    .label = "kind.volunteer_evaluation",
    .size = sizeof(volunteer_evaluation),
    .id_offset = offsetof(volunteer_evaluation, id),
    .revision_offset = offsetof(volunteer_evaluation, revision),
    .fields = evaluation_fields,
    .nfields = sizeof evaluation_fields / sizeof evaluation_fields[0],
    .title_field = VEF_YEAR,
    .read_perm = PERM_VOLUNTEER_READ,
    .write_perm = PERM_VOLUNTEER_WRITE,
    .period = "evaluated_on",
    .ledger_key = evaluation_key,
    .newest_first = true,
    .hooks = {.defaults = evaluation_defaults, .validate = evaluation_rules},
    .sql = &evaluation_sql,
};
