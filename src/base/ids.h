/* Row ids unique across stations without coordination. */
#ifndef WUSHE_IDS_H
#define WUSHE_IDS_H

#include <stdint.h>

/* 63-bit positive id: milliseconds since 2020-01-01 in the high 41 bits,
 * random low 22 bits; strictly increasing within a process. */
int64_t ids_next(void);

#endif
