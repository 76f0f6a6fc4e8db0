/* The "wushe" FTS5 tokenizer of search_fts, registered on every connection
 * before the schema is read (db_open). Documents: fields split by '|' (ID
 * number, phone digits); each run of digits (and X) gives its 4-grams.
 * Queries are built by search_query as phrases of grams separated by
 * spaces; in query mode each space-separated word is one token. 4-grams
 * rather than trigrams: the doclists of ID-number trigrams are so long
 * that phrases made of them are slow. */
#include "fts_tokenizer.h"

#include <sqlite3.h>
#include <stdbool.h>

#include "text_internal.h"

#define TOK_MAX_CPS 256

static bool tok_digit(uint32_t c)
{
    return (c >= '0' && c <= '9') || c == 'X' || c == 'x';
}

static int tok_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
    (void)ctx, (void)argv, (void)argc;
    *out = (Fts5Tokenizer *)1; /* stateless */
    return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *t)
{
    (void)t;
}

typedef int (*tok_emit)(void *, int, const char *, int, int, int);

/* Emit the n-grams (in code points) of text[a..b). */
static int tok_grams(const char *text, int a, int b, int n, void *ctx, tok_emit emit)
{
    int off[TOK_MAX_CPS + 1], k = 0;
    for (int i = a; i < b && k < TOK_MAX_CPS;) {
        uint32_t cp;
        off[k++] = i;
        i += (int)text_utf8_next(text + i, (size_t)(b - i), &cp);
    }
    off[k] = b;
    for (int i = 0; i + n <= k; i++) {
        int rc = emit(ctx, 0, text + off[i], off[i + n] - off[i], off[i], off[i + n]);
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

static int tok_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int len,
                        tok_emit emit)
{
    (void)t;
    if (flags & FTS5_TOKENIZE_QUERY) {
        for (int i = 0; i < len;) {
            while (i < len && text[i] == ' ')
                i++;
            int j = i;
            while (j < len && text[j] != ' ')
                j++;
            if (j > i) {
                int rc = emit(ctx, 0, text + i, j - i, i, j);
                if (rc != SQLITE_OK)
                    return rc;
            }
            i = j;
        }
        return SQLITE_OK;
    }
    int run = -1;
    for (int i = 0; i <= len;) {
        uint32_t cp = 0;
        int step = i < len ? (int)text_utf8_next(text + i, (size_t)(len - i), &cp) : 1;
        bool in = i < len && cp != '|' && tok_digit(cp);
        if (in && run < 0)
            run = i;
        if (!in && run >= 0) {
            int rc = tok_grams(text, run, i, 4, ctx, emit);
            if (rc != SQLITE_OK)
                return rc;
            run = -1;
        }
        i += step;
    }
    return SQLITE_OK;
}

ws_status fts_tokenizer_register(sqlite3 *h)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(h, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
        sqlite3_step(st);
    }
    sqlite3_finalize(st);
    if (!api)
        return WS_ERR_DB;
    static fts5_tokenizer tok = {tok_create, tok_delete, tok_tokenize};
    return api->xCreateTokenizer(api, "wushe", NULL, &tok, NULL) == SQLITE_OK ? WS_OK
                                                                             : WS_ERR_DB;
}

