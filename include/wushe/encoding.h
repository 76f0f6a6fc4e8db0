/* Character encodings of files that come from Excel and WPS on Chinese
 * Windows: GB18030/GBK ("CSV (逗号分隔)"), UTF-8 with or without a BOM,
 * UTF-16LE ("Unicode 文本"). Detection with ICU's charset detector,
 * conversion with ICU converters; everything inside is UTF-8. */
#ifndef WUSHE_ENCODING_H
#define WUSHE_ENCODING_H

#include <stdbool.h>
#include <stddef.h>

#include "wushe/status.h"

#define ENC_NAME_MAX 32

/* What a file's bytes are. */
typedef struct enc_info {
    char name[ENC_NAME_MAX]; /* ICU converter name: "UTF-8", "GB18030", "UTF-16LE" */
    bool bom;                /* the file starts with a byte order mark */
    int confidence;          /* 0..100 (100: a BOM or strictly valid UTF-8) */
} enc_info;

/* The canonical converter name for what a clerk or a script types, among
 * the encodings a Chinese ledger is written in: "gbk", "GB2312", "cp936"
 * -> "GB18030"; "utf8" -> "UTF-8"; "unicode", "utf-16" -> "UTF-16LE";
 * "UTF-16BE"; "big5", "cp950" -> "Big5". false for anything else, even a
 * name ICU knows (latin1 would read every Chinese name as accented Latin
 * letters). */
bool enc_canonical(const char *name, char *out, size_t outsz);

/* The encodings a clerk may try with --encoding (utf-8, gbk, utf-16le,
 * utf-16be, big5), as a list in the catalog's words, without the one the
 * file was just read in (read_as: any of its names; NULL: none). Returns
 * out. */
const char *enc_hint_others(const char *read_as, char *out, size_t outsz);

/* Detect the encoding of buf: a BOM first; then strictly valid UTF-8; then
 * UTF-16LE by its zero bytes; then ICU charset detection on a sample, where
 * a Chinese result (GB18030, Big5) is taken and anything else falls
 * back to GB18030, the "ANSI" code page of Chinese Windows. */
void enc_detect(const char *buf, size_t len, enc_info *out);

/* Convert buf (in encoding `enc`, a BOM skipped) to UTF-8 in a malloc'd,
 * NUL-terminated buffer. Bytes that are not valid in the encoding become
 * U+FFFD and are counted in *bad (may be NULL). WS_ERR_INVALID for an
 * unknown encoding. */
ws_status enc_to_utf8(const char *buf, size_t len, const char *enc, char **out,
                      size_t *outlen, size_t *bad);

/* Convert UTF-8 text to `enc`, with a BOM in front when bom is true (UTF-8
 * and UTF-16 only). Characters the encoding lacks become its substitution
 * character. Caller frees *out. */
ws_status enc_from_utf8(const char *utf8, size_t len, const char *enc, bool bom, char **out,
                        size_t *outlen);

/* Why the OS refused a file, in the user's language: the common errno
 * values (no such file or folder, no permission, disk full, read-only
 * disk, a folder where a file was meant, a file where a folder was meant)
 * from the catalog, anything else with its number. Returns out. One
 * helper for the import, the export and the command line. */
const char *enc_os_error(int errnum, char *out, size_t outsz);

/* Read a whole file into memory (NUL-terminated). WS_ERR_IO with errno set. */
ws_status enc_read_file(const char *path, char **out, size_t *len);
/* Whether path is a file no export, print or error file may replace: an
 * SQLite database (a station, a plain backup), an encrypted backup, or a
 * database's -wal, -shm or -journal beside it. */
bool enc_output_protected(const char *path);
/* Write a file atomically: a temporary file beside it, fsync, rename.
 * WS_ERR_IO with errno EEXIST on a protected path (enc_output_protected),
 * which enc_os_error names. */
ws_status enc_write_file(const char *path, const char *data, size_t len);

#endif
