/* What the import run and the duplicate review share; internal. */
#ifndef WUSHE_IMPORT_INTERNAL_H
#define WUSHE_IMPORT_INTERNAL_H

#include "wushe/csv.h"
#include "wushe/encoding.h"
#include "wushe/import.h"
#include "wushe/resident.h"

/* Copy the non-empty fields and the groups of src into dst: a merge keeps
 * what the register has where the ledger says nothing. */
void import_merge(resident *dst, const resident *src);

/* Whether in's note, added after reg's, fits a resident's note; false with
 * why (the registered note's length and what to do). */
bool import_notes_fit(const resident *reg, const resident *in, char *why, size_t whysz);

/* A ledger's row that is no record (a total such as 合计 or "共 4 人", a
 * signature or date line, a title, the header again): true with why.
 * name_col is the column of names (or titles), -1 when none; name_header
 * its title, NULL when none. */
bool import_summary_row(const csv_row *row, int name_col, const char *name_header,
                        import_skip_reason *why);

/* A column title as the import compares it: folded, without spaces,
 * punctuation or what a bracket adds ("身份证号(18位)" is "身份证号"). */
void import_header_norm(const char *header, char *out, size_t outsz);

struct community;
/* Whether a column title is the reason column (错误原因) of an error file
 * an import wrote: no data; an error file imported again leaves it out of
 * its own, which gets the new reason only. */
bool import_is_reason_col(const char *header);

/* A ledger file as UTF-8 text: read, its encoding detected (or the one
 * opts names), converted, or a workbook's sheet (opts->sheet, named in
 * sheet: "" for a text file); err says why not. Caller frees *text. */
ws_status import_ledger_text(const char *path, const import_opts *opts, enc_info *enc,
                             char sheet[256], char **text, size_t *tlen, char *err,
                             size_t errsz);
/* ---- error files, the same for every kind ---- */


struct db;
/* Where an import's error file went, in its report's fields: path this
 * run's ("" when none), trouble why not beside the ledger ("" when it
 * is), old an error file of an earlier run found where this run's goes
 * (a clerk may have corrected rows in it), kept where that one is now
 * ("" when it could not be moved: it is where it was). */
typedef struct import_errfile {
    char *path;
    size_t pathsz;
    char *trouble;
    size_t troublesz;
    char *old, *kept;
    size_t oldsz;
} import_errfile;
#define IMPORT_ERRFILE(rep)                                                                   \
    (&(const import_errfile){(rep)->error_path, sizeof(rep)->error_path, (rep)->error_trouble, \
                             sizeof(rep)->error_trouble, (rep)->error_old, (rep)->error_kept,  \
                             sizeof(rep)->error_old})
/* Write errors (UTF-8, converted to enc) at want (the file beside the
 * ledger, import_error_path); when that folder is not writable (a
 * write-protected stick), under the same name in the home folder, else in
 * the station's data folder (d's; NULL: none), never over another file.
 * An earlier error file at want that differs is first renamed aside
 * (import_errors_earlier). errors NULL: this run had none, and an earlier
 * error file at want is out of date (renamed aside too). WS_OK unless
 * memory ran out: the rows imported stay imported. */
ws_status import_errors_save(struct db *d, const char *want, const enc_info *enc,
                             const csv_buf *errors, const import_errfile *out);
/* The error file of the ledger at path as import_errors_save writes it
 * (errors NULL: none this run). */
ws_status import_ledger_errors(station *st, const char *path, const enc_info *enc,
                               const csv_buf *errors, const import_errfile *out);
/* An earlier error file at want: left when it holds exactly what errors
 * would write, else renamed to a free name ending in 错误行_旧 beside it
 * (out->old, out->kept). WS_ERR_IO (out->trouble says why) when it differs
 * from errors and cannot be moved: nothing may be written over it. */
ws_status import_errors_earlier(const char *want, const enc_info *enc, const csv_buf *errors,
                                const import_errfile *out);
/* A run that wrote its error file and then failed (its transaction rolled
 * back): that file removed, the earlier one back under its name. */
void import_errors_undo(const import_errfile *out);
/* dir/base, or when that file exists dir/stem-2.ext, -3, ...: never a
 * file there already. false when none is free. */
bool import_free_name(const char *dir, const char *base, char *out, size_t outsz);

/* A phone cell with two numbers (13812345678/13987654321, 138…、139…,
 * 138… 139…, full-width separators too): each as val_phone stores it
 * (second "" when it is the first again); false when the cell is not two
 * valid phones. */
bool import_phone_pair(const char *cell, char first[32], char second[32]);
/* The line a second phone adds to a record's notes (另一电话：…), unless
 * the notes hold it already (a run again adds nothing). false when it
 * does not fit in notesz. */
bool import_phone_note(char *notes, size_t notesz, const char *second);

/* A money cell (a plain number) with more than two decimals after its
 * trailing zeros are dropped (in v): false with why naming the cell and
 * how many (666.6667 from =ROUND(2000/3,4) shown as 666.67). */
bool import_money_decimals(char *v, const char *label, char *why, size_t whysz);

/* A workbook whose header was not found on the sheet read: its sheets
 * (a hidden one marked) added to err, for the clerk to name one with
 * --sheet or pick with F4. Nothing for a text file or a single sheet. */
void import_sheets_said(const char *path, char *err, size_t errsz);

/* Whether an ID number cell is one Excel turned into a number
 * (5.10902E+17, 5.109021950072676e+17, 510902195007267000.0): the
 * clerk is told so (import.scientific), whatever kind is imported. */
bool import_id_scientific(const char *v);

/* A row's name, ID number, phone and address as the import reads them
 * (cells cleaned, the name as the register keeps it); false when the row
 * has none to derive from. Safe on any thread. */
typedef bool (*import_keys_fn)(const void *ctx, const csv_row *row, char name[256],
                               char idn[64], char phone[64], char addr[512]);

/* The rows of text after offset start, derived on a thread of their own
 * (import_ahead.c); NULL when no thread can be had (each row is then
 * derived as it is written). */
typedef struct import_ahead import_ahead;
struct search_prep;
import_ahead *import_ahead_start(const char *text, size_t len, char delim, size_t start,
                                  import_keys_fn keys, const void *keys_ctx);
/* The derivations of the row at line (the caller's; NULL when none): the
 * rows before it that nobody took are dropped. */
struct search_prep *import_ahead_take(import_ahead *a, size_t line);
/* Whether the row just done needed its derivations (written, or derived
 * by its write for want of them): rows in a row that did not (a ledger
 * imported again, unchanged) send the thread waiting until one does. */
void import_ahead_used(import_ahead *a, bool used);
void import_ahead_stop(import_ahead **a);

#endif
