/* The import's second thread: it reads the ledger a little ahead of the
 * import and derives each row's index (search_prep: the folded name, its
 * pinyin, sort key and terms) while the first thread validates and
 * writes. The prep is a pure function of four values; the write takes it
 * only when the row's values are still exactly those, so a row the import
 * changes or refuses is derived again as before, never wrongly. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "import_internal.h"
#include "search.h"
#include "wushe/text.h"

#define AHEAD_ROWS 512

typedef struct ahead_slot {
    size_t line;
    search_prep *prep;
} ahead_slot;

struct import_ahead {
    const char *text;
    size_t len, start;
    char delim;
    import_keys_fn keys;
    const void *keys_ctx;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t room, wake;
    ahead_slot ring[AHEAD_ROWS];
    size_t head, n;
    bool stop;
    bool idle;      /* the import writes no rows (they are unchanged): wait */
    size_t unused;  /* rows in a row whose derivation nobody needed */
    _Atomic size_t want; /* the line the import is at: rows before it are past */
};

static void *ahead_run(void *arg)
{
    import_ahead *a = arg;
    csv_reader *rd = csv_reader_new(a->text, a->len, a->delim);
    csv_row row;
    while (rd && csv_offset(rd) < a->start && csv_next(rd, &row) == WS_OK)
        ;
    while (rd && csv_next(rd, &row) == WS_OK) {
        /* A row the import has passed (it went faster: rows it did not
         * write) is not derived; nor any while the import writes none (a
         * second core's work is not free on every PC). */
        pthread_mutex_lock(&a->lock);
        while (a->idle && !a->stop)
            pthread_cond_wait(&a->wake, &a->lock);
        pthread_mutex_unlock(&a->lock);
        if (row.blank || row.line < atomic_load_explicit(&a->want, memory_order_relaxed))
            continue;
        char name[256], idn[64], phone[64], addr[512];
        search_prep *p = NULL;
        if (a->keys(a->keys_ctx, &row, name, idn, phone, addr))
            search_prep_new(name, idn, phone, addr, &p); /* none when out of memory */
        pthread_mutex_lock(&a->lock);
        if (a->n == AHEAD_ROWS)
            while (a->n > AHEAD_ROWS / 2 && !a->stop)
                pthread_cond_wait(&a->room, &a->lock);
        bool stop = a->stop;
        if (!stop) {
            a->ring[(a->head + a->n) % AHEAD_ROWS] = (ahead_slot){row.line, p};
            a->n++;
        }
        pthread_mutex_unlock(&a->lock);
        if (stop) {
            search_prep_free(&p);
            break;
        }
    }
    csv_reader_free(&rd);
    return NULL;
}

import_ahead *import_ahead_start(const char *text, size_t len, char delim, size_t start,
                                  import_keys_fn keys, const void *keys_ctx)
{
    import_ahead *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    *a = (import_ahead){.text = text, .len = len, .start = start, .delim = delim,
                        .keys = keys, .keys_ctx = keys_ctx};
    /* What the derivations share is made here, before the thread reads it
     * (the collator; the rest are tables). */
    text_warm();
    pthread_mutex_init(&a->lock, NULL);
    pthread_cond_init(&a->room, NULL);
    pthread_cond_init(&a->wake, NULL);
    if (pthread_create(&a->thread, NULL, ahead_run, a) != 0) {
        pthread_mutex_destroy(&a->lock);
        pthread_cond_destroy(&a->room);
        pthread_cond_destroy(&a->wake);
        free(a);
        return NULL;
    }
    return a;
}

search_prep *import_ahead_take(import_ahead *a, size_t line)
{
    if (!a)
        return NULL;
    atomic_store_explicit(&a->want, line, memory_order_relaxed);
    search_prep *got = NULL, *drop[AHEAD_ROWS];
    size_t ndrop = 0;
    /* Never waited for: a row not derived yet is derived by its write, if
     * it is written at all (a row the register has already is not). */
    pthread_mutex_lock(&a->lock);
    for (;;) {
        if (a->n == 0)
            break;
        ahead_slot *h = &a->ring[a->head];
        if (h->line > line)
            break; /* a row the thread has not seen (none) */
        if (h->line == line)
            got = h->prep;
        else
            drop[ndrop++] = h->prep; /* a row the import skipped */
        a->head = (a->head + 1) % AHEAD_ROWS;
        /* The thread, waiting at a full ring, is woken half way down: a
         * wake for every row would cost two switches a row. */
        if (a->n-- == AHEAD_ROWS / 2)
            pthread_cond_signal(&a->room);
        if (got || ndrop == AHEAD_ROWS)
            break;
    }
    pthread_mutex_unlock(&a->lock);
    for (size_t i = 0; i < ndrop; i++)
        search_prep_free(&drop[i]);
    return got;
}

#define AHEAD_IDLE_AFTER 32

void import_ahead_used(import_ahead *a, bool used)
{
    if (!a)
        return;
    pthread_mutex_lock(&a->lock);
    if (used) {
        a->unused = 0;
        if (a->idle) {
            a->idle = false;
            pthread_cond_signal(&a->wake);
        }
    } else if (++a->unused >= AHEAD_IDLE_AFTER) {
        a->idle = true;
    }
    pthread_mutex_unlock(&a->lock);
}

void import_ahead_stop(import_ahead **ap)
{
    import_ahead *a = ap ? *ap : NULL;
    if (!a)
        return;
    pthread_mutex_lock(&a->lock);
    a->stop = true;
    pthread_cond_broadcast(&a->room);
    pthread_cond_broadcast(&a->wake);
    pthread_mutex_unlock(&a->lock);
    pthread_join(a->thread, NULL);
    for (size_t i = 0; i < a->n; i++)
        search_prep_free(&a->ring[(a->head + i) % AHEAD_ROWS].prep);
    pthread_mutex_destroy(&a->lock);
    pthread_cond_destroy(&a->room);
    pthread_cond_destroy(&a->wake);
    free(a);
    *ap = NULL;
}
