#include "ids.h"

#include <sys/random.h>
#include <time.h>

#define IDS_EPOCH_MS 1577836800000LL /* 2020-01-01T00:00:00Z */
#define IDS_RANDOM_BITS 22

static int64_t ids_last;

/* Random words fetched a batch at a time: a bulk load makes an id per
 * row, and a system call each was a fifth of its id's cost. */
#define IDS_POOL 64
static uint32_t ids_pool[IDS_POOL];
static size_t ids_left;

static uint32_t ids_random(void)
{
    uint32_t r = 0;
    if (ids_left == 0 && getrandom(ids_pool, sizeof ids_pool, 0) == (ssize_t)sizeof ids_pool)
        ids_left = IDS_POOL;
    if (ids_left > 0) {
        r = ids_pool[--ids_left];
    } else {
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
