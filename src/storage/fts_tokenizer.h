/* The FTS5 tokenizer "wushe" (digit 4-grams of ID numbers and phones),
 * part of the storage core: search_fts cannot be read without it. */
#ifndef WUSHE_FTS_TOKENIZER_H
#define WUSHE_FTS_TOKENIZER_H

#include <sqlite3.h>

#include "wushe/status.h"

/* Register it on a connection (before the schema is read). */
ws_status fts_tokenizer_register(sqlite3 *h);

#endif
