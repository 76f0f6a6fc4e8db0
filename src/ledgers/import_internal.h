/* What the import run and the duplicate review share; internal. */
#ifndef WUSHE_IMPORT_INTERNAL_H
#define WUSHE_IMPORT_INTERNAL_H

#include "wushe/csv.h"
#include "wushe/import.h"
#include "wushe/resident.h"

/* Copy the non-empty fields and the groups of src into dst: a merge keeps
 * what the register has where the ledger says nothing. */
void import_merge(resident *dst, const resident *src);

/* A ledger's row that is no record (a total such as 合计 or "共 4 人", a
 * signature or date line, a title, the header again): true with why.
 * name_col is the column of names (or titles), -1 when none; name_header
 * its title, NULL when none. */
bool import_summary_row(const csv_row *row, int name_col, const char *name_header,
                        import_skip_reason *why);

/* A column title as the import compares it: folded, without spaces,
 * punctuation or what a bracket adds ("身份证号(18位)" is "身份证号"). */
void import_header_norm(const char *header, char *out, size_t outsz);

#endif
