/* A resident's consents: the field table of kind_consent and the rules no
 * table can state (who may give it at which age, dates in order). */
#include "wushe/consent.h"

#include <stdio.h>
#include <string.h>

#include "record_internal.h"
#include "station_internal.h"
#include "wushe/resident.h"
#include "wushe/validate.h"

void consent_init(consent *c, int64_t resident_id)
{
    record_init(&kind_consent, c);
    c->resident_id = resident_id;
    date_today(c->consent_date);
    snprintf(c->giver, sizeof c->giver, "self");
}

static ws_status consent_fail(record_error *re, consent_field f, val_status v, const char *detail)
{
    re->field = (int)f;
    re->code = v;
    snprintf(re->detail, sizeof re->detail, "%s", detail ? detail : "");
    return WS_ERR_INVALID;
}

/* The table's checks passed (dates are dates, not after today; codes are
 * codes; the resident is living). */
static ws_status consent_rules(station *st, void *rec, record_error *re)
{
    consent *c = rec;
    if (!c->giver[0])
        snprintf(c->giver, sizeof c->giver, "%s", c->guardian_name[0] ? "guardian" : "self");
    bool guardian = strcmp(c->giver, "guardian") == 0;
    /* The person's own consent names no guardian. */
    if (!guardian)
        c->guardian_name[0] = c->guardian_relation[0] = '\0';
    char birth[16] = "";
    ws_status s = db_text_i64(station_db(st),
                              "SELECT coalesce(birth_date, '') FROM residents WHERE id = ?1",
                              c->resident_id, birth, sizeof birth);
    if (s != WS_OK)
        return s;
    if (birth[0] && strcmp(c->consent_date, birth) < 0)
        return consent_fail(re, CF_DATE, VAL_BEFORE_BIRTH, birth);
    /* Under 14 on the day it was given: only a guardian could give it. */
    if (birth[0] && !guardian) {
        int age = date_age(birth, c->consent_date);
        if (age >= 0 && age < CONSENT_GUARDIAN_AGE) {
            char n[16];
            snprintf(n, sizeof n, "%d", age);
            return consent_fail(re, CF_GIVER, VAL_GUARDIAN_NEEDED, n);
        }
    }
    if (guardian && !c->guardian_name[0])
        return consent_fail(re, CF_GUARDIAN_NAME, VAL_REQUIRED, NULL);
    if (guardian && !c->guardian_relation[0])
        return consent_fail(re, CF_GUARDIAN_RELATION, VAL_REQUIRED, NULL);
    if (c->withdrawn_date[0] && strcmp(c->withdrawn_date, c->consent_date) < 0)
        return consent_fail(re, CF_WITHDRAWN, VAL_WITHDRAWN_BEFORE, c->consent_date);
    return WS_OK;
}

static const field_def consent_fields[] = {
    [CF_RESIDENT] = {.column = "resident_id", .label = "field.consent_resident", .type = FLD_REF,
                     .flags = FF_REQUIRED | FF_LEDGER, REC_AT(consent, resident_id),
                     .ref = &kind_resident, .aliases = "居民|姓名"},
    [CF_DATE] = {.column = "consent_date", .label = "field.consent_date", .type = FLD_DATE,
                 .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(consent, consent_date),
                 .aliases = "同意日期|签署日期", .width = 10},
    [CF_SCOPE] = {.column = "scope", .label = "field.consent_scope", .type = FLD_CODES,
                  .flags = FF_REQUIRED | FF_LIST | FF_LEDGER, REC_AT(consent, scope),
                  .codes = "consent_scope", .aliases = "同意范围|同意事项", .width = 14},
    [CF_GIVER] = {.column = "giver", .label = "field.consent_giver", .type = FLD_CODE,
                  .flags = FF_LIST | FF_LEDGER, REC_AT(consent, giver), .codes = "consent_giver",
                  .aliases = "同意人", .width = 6},
    [CF_GUARDIAN_NAME] = {.column = "guardian_name", .label = "field.guardian_name",
                          .type = FLD_NAME, .flags = FF_LIST | FF_LEDGER,
                          REC_AT(consent, guardian_name), .limit = 60,
                          .aliases = "监护人|监护人姓名", .width = 8},
    [CF_GUARDIAN_RELATION] = {.column = "guardian_relation", .label = "field.guardian_relation",
                              .type = FLD_CODE, .flags = FF_LEDGER,
                              REC_AT(consent, guardian_relation), .codes = "guardian_relation",
                              .aliases = "监护人与本人关系|与本人关系"},
    [CF_REFERENCE] = {.column = "reference", .label = "field.consent_reference", .type = FLD_TEXT,
                      .flags = FF_SEARCH | FF_LIST | FF_LEDGER, REC_AT(consent, reference),
                      .limit = 40, .aliases = "纸质同意书编号|同意书编号|编号", .width = 14},
    [CF_WITHDRAWN] = {.column = "withdrawn_date", .label = "field.consent_withdrawn",
                      .type = FLD_DATE, .flags = FF_LIST | FF_LEDGER,
                      REC_AT(consent, withdrawn_date), .aliases = "撤回日期", .width = 10},
};

static struct kind_sql consent_sql;
const record_kind kind_consent = {
    .name = "consent",
    .table = "resident_consents",
    .label = "kind.consent",
    .size = sizeof(consent),
    .id_offset = offsetof(consent, id),
    .revision_offset = offsetof(consent, revision),
    .fields = consent_fields,
    .nfields = sizeof consent_fields / sizeof consent_fields[0],
    .title_field = CF_DATE,
    .read_perm = PERM_REGISTER_READ,
    .write_perm = PERM_REGISTER_WRITE,
    .hooks = {.validate = consent_rules},
    .sql = &consent_sql,
};
