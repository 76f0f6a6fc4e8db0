#include "ids.h"

#include <sys/random.h>
#include <time.h>

#define IDS_EPOCH_MS 1577836800000LL /* 2020-01-01T00:00:00Z */
#define IDS_RANDOM_BITS 22

static int64_t ids_last;

static uint32_t ids_random(void)
{
    uint32_t r = 0;
    if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r) {
        /* No entropy source: fall back to the clock's nanoseconds. */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        r = (uint32_t)ts.tv_nsec * 2654435761u;
    }
    return r & ((1u << IDS_RANDOM_BITS) - 1);
}

int64_t ids_next(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - IDS_EPOCH_MS;
    if (ms < 0)
        ms = 0;
    int64_t id = (ms << IDS_RANDOM_BITS) | ids_random();
    /* Same millisecond (bulk inserts): continue upwards, never repeat. */
    if (id <= ids_last)
        id = ids_last + 1;
    ids_last = id;
    return id;
}
