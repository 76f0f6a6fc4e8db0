/* Consent (同意) of the people on the register (PIPL Art. 29 and 31): a
 * declared kind of record (consent.c) under a resident. Each one says
 * when, to what (登记 registration, 服务 services, 向其他机构提供 sharing
 * with other bodies: codes consent_scope), who gave it (the person, or a
 * guardian with a name and a relation; someone under 14 on the date
 * always through a guardian), the paper form's reference (纸质同意书编号)
 * and, once withdrawn, the date. */
#ifndef WUSHE_CONSENT_H
#define WUSHE_CONSENT_H

#include <stdint.h>

#include "wushe/record.h"
#include "wushe/station.h"

/* Under this age (on the consent's date) a guardian gives consent. */
#define CONSENT_GUARDIAN_AGE 14

typedef struct consent {
    int64_t id; /* 0 = new */
    int64_t revision;
    int64_t resident_id;
    char consent_date[16];
    char scope[64];             /* consent_scope codes, comma separated */
    char giver[16];             /* consent_giver: self, guardian */
    char guardian_name[256];    /* a person or a body (居委会) */
    char guardian_relation[24]; /* guardian_relation */
    char reference[168];
    char withdrawn_date[16];    /* "" while it stands */
} consent;

/* kind_consent's fields, in this order. */
typedef enum {
    CF_RESIDENT,
    CF_DATE,
    CF_SCOPE,
    CF_GIVER,
    CF_GUARDIAN_NAME,
    CF_GUARDIAN_RELATION,
    CF_REFERENCE,
    CF_WITHDRAWN,
} consent_field;

extern const record_kind kind_consent;

/* A new consent of resident `resident_id`: today, given by the person. */
void consent_init(consent *c, int64_t resident_id);

#endif
