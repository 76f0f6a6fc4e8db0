/* The resident search index: terms for names, pinyin, initials, ID and
 * phone digits and addresses, written in the same transaction as the row,
 * and the query that turns what a clerk types into a first page of ids. */
#ifndef WUSHE_SEARCH_H
#define WUSHE_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "wushe/text.h"

/* Bytes of the sort key kept in each posting (pinyin order). */
#define SEARCH_ORD_LEN 8

/* What a resident's search data is made of, computed once per write: the
 * folded name and address, the name's pinyin and syllables, and the text a
 * walk scans ("|syllables|name|pinyin...|id|phone digits|address|"). */
typedef struct search_derived {
    char *name_folded;
    char *address_folded;
    text_pinyin py;
    char *syllables; /* "单shan/dan 雄xiong 信xin": see search.c */
    char *text;
} search_derived;

ws_status search_derive(const char *name, const char *id_number, const char *phone,
                        const char *address, search_derived *out);
void search_derived_clear(search_derived *d);

/* Everything a resident's row and postings derive from its name, ID
 * number, phone and address (search_derive, the name's sort key, the
 * terms): computed without the database, so a bulk load can compute it on
 * another thread ahead of the write. */
typedef struct search_prep search_prep;
ws_status search_prep_new(const char *name, const char *id_number, const char *phone,
                          const char *address, search_prep **out);
void search_prep_free(search_prep **p);
const search_derived *search_prep_derived(const search_prep *p);
const unsigned char *search_prep_key(const search_prep *p, size_t *len);
/* Whether p was made of exactly these values. */
bool search_prep_of(const search_prep *p, const char *name, const char *id_number,
                    const char *phone, const char *address);
/* In a bulk load on d: keep p (owned from here) for the next write of a
 * resident with its values; take it (NULL when the values differ, or none
 * is kept), or look at it. Outside a bulk load offering frees p. */
void search_prep_offer(db *d, search_prep *p);
search_prep *search_prep_take(db *d, const char *name, const char *id_number,
                              const char *phone, const char *address);
const search_prep *search_prep_offered(db *d);
/* How many writes of this bulk load found no prep to take (0: none). */
size_t search_prep_missed(db *d);

typedef struct search_doc {
    int64_t seq; /* residents.seq */
    const char *name;
    const char *id_number;
    const char *phone;
    const char *address;
    const unsigned char *sort_key;
    size_t sort_key_len;
    const search_derived *derived; /* NULL: computed from the fields above */
    const search_prep *prep;       /* NULL: the terms computed from the above */
} search_doc;

/* Add the postings of a resident (after its row is written). */
ws_status search_index(db *d, const search_doc *doc);
/* Remove the postings of a living resident (by id), computed from its row
 * as it is now: call before the row changes or is deleted. */
ws_status search_unindex(db *d, int64_t rid);
/* The next free residents.seq. */
ws_status search_next_seq(db *d, int64_t *seq);
/* Rebuild the index when it was made by another version of the terms. */
ws_status search_ensure(db *d);

/* The query as the index folds names and addresses (text_fold: NFKC,
 * traditional to simplified, lower case), without opening a
 * transliterator. NULL only when out of memory. Caller frees. */
char *search_fold(const char *s);

/* Ids of living residents matching query, in result order: exact name
 * matches, then name prefixes, then the rest in pinyin order. Paging as in
 * resident_list: after = id of the row to continue from, dir > 0 forward,
 * dir < 0 backward (nearest first). */
ws_status search_query(db *d, const char *query, int64_t after, int dir,
                       int64_t *ids, size_t max, size_t *n);


/* A batch for a bulk load inside one transaction: postings are held and
 * inserted in key order (much faster than one by one). End it before the
 * commit; keep = false drops what is held (the transaction rolls back). */
ws_status search_batch_begin(db *d);
ws_status search_batch_end(db *d, bool keep);
/* Postings a batch's run holds before it goes to the sorter thread (0:
 * the default, 262,144); small ones let a test make many runs. Set it
 * while no batch is open. */
void search_batch_run_size(size_t n);


/* Rebuild every posting from the residents table (wushe reindex). */
ws_status search_rebuild(db *d, void (*progress)(void *, size_t, size_t), void *ctx);

#endif
