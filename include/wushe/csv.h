/* CSV as Excel and WPS write it (RFC 4180): quoted fields with delimiters,
 * doubled quotes and line breaks; CRLF, LF or CR line ends; comma, tab or
 * semicolon delimiters. The reader works on a UTF-8 byte buffer (see
 * encoding.h for getting one from a file); the writer appends to a growing
 * buffer. */
#ifndef WUSHE_CSV_H
#define WUSHE_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "wushe/status.h"

/* The delimiter a file most likely uses: ',', '\t' or ';' (',' when no
 * candidate splits the first lines consistently). */
char csv_sniff(const char *buf, size_t len);

typedef struct csv_reader csv_reader;

/* One record. Fields are NUL-terminated, unquoted, and valid until the next
 * csv_next or csv_rewind. A field may contain NUL bytes only if the input
 * did; the reader keeps them (callers treat them as control characters). */
typedef struct csv_row {
    char **fields;
    size_t *lens;          /* byte length of each field */
    size_t n;
    size_t line;           /* 1-based row of the record as Excel or WPS shows
                              the file: one a record, whatever line breaks
                              its quoted cells hold */
    size_t lines;          /* physical lines it spans (>1: embedded breaks) */
    bool unterminated;     /* a quoted field ran to the end of the input */
    bool blank;            /* only delimiters and whitespace (spaces, tabs,
                              U+3000, quoted or not): no record */
} csv_row;

/* A cell's line breaks (CR LF, LF, CR) as one space each, in place: what
 * a one-line field makes of a cell typed with Alt+Enter. */
void csv_join_lines(char *v);

/* The reader borrows buf (it must outlive the reader). NULL on OOM. */
csv_reader *csv_reader_new(const char *buf, size_t len, char delim);
void csv_reader_free(csv_reader **r);
/* Next record: WS_OK with *row filled, WS_ERR_NOT_FOUND at the end,
 * WS_ERR_NOMEM. */
ws_status csv_next(csv_reader *r, csv_row *row);
/* Back to the start of the buffer. */
void csv_rewind(csv_reader *r);
/* Byte offset of the reader in the buffer (for progress). */
size_t csv_offset(const csv_reader *r);

/* ---- writing ---- */

typedef struct csv_buf {
    char *p;
    size_t len, cap;
    bool oom; /* an append failed: the buffer is incomplete */
} csv_buf;

void csv_buf_append(csv_buf *b, const char *s, size_t n);
/* Append one field (a delimiter first unless it is the first of its row),
 * quoted when it contains the delimiter, a quote, a line break or leading
 * or trailing spaces. */
void csv_put_field(csv_buf *b, const char *s, char delim, bool first);
/* Whether Excel would change a cell's text when it opens the file: a
 * formula (= + - @ first), digits with zeros in front (户号 000123), more
 * than 11 digits, or in an identifier column (ident: ID numbers, phones,
 * certificates) a number of 11 or more, X last allowed. */
bool csv_cell_guarded(const char *v, bool ident);
/* csv_put_field, with a tab in front of a cell csv_cell_guarded names, so
 * Excel keeps it as text (every import trims the tab): exports and error
 * files alike. */
void csv_put_cell(csv_buf *b, const char *v, char delim, bool first, bool ident);
/* End a row with eol ("\r\n" as Excel writes, or "\n"). */
void csv_end_row(csv_buf *b, const char *eol);
void csv_buf_free(csv_buf *b);

#endif
