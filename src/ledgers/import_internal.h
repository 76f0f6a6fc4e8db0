/* What the import run and the duplicate review share; internal. */
#ifndef WUSHE_IMPORT_INTERNAL_H
#define WUSHE_IMPORT_INTERNAL_H

#include "wushe/resident.h"

/* Copy the non-empty fields and the groups of src into dst: a merge keeps
 * what the register has where the ledger says nothing. */
void import_merge(resident *dst, const resident *src);

/* A column title as the import compares it: folded, without spaces,
 * punctuation or what a bracket adds ("身份证号(18位)" is "身份证号"). */
void import_header_norm(const char *header, char *out, size_t outsz);

#endif
