/* The paper of charitable resources (issue 13), through the print module:
 * a distribution's 签领表 and the 公示 notice. Each checks PERM_EXPORT,
 * records the print in the access log before the file is written, and
 * writes path; err gets a message in the user's language on failure. */
#ifndef WUSHE_PRINT_RESOURCES_H
#define WUSHE_PRINT_RESOURCES_H

#include <stddef.h>
#include <stdint.h>

#include "wushe/station.h"

/* 签领表: the occasion, what each household gets, then one row a
 * household (户号, the head's name, the ID number masked, the items, a
 * column to sign or press a thumbprint), signature lines for the
 * distributor and the supervisor. */
ws_status print_distribution(station *st, int64_t dist, const char *path, int *pages, char *err,
                             size_t errsz);
/* 公示 for from..to (YYYY-MM-DD, "" open): donations in (donors named only
 * with consent, else 爱心人士) and distributions out (recipients masked
 * 张*), by month with totals. */
ws_status print_notice(station *st, const char *from, const char *to, const char *path,
                       int *pages, char *err, size_t errsz);

#endif
