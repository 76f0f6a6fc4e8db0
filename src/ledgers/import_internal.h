/* What the import run and the duplicate review share; internal. */
#ifndef WUSHE_IMPORT_INTERNAL_H
#define WUSHE_IMPORT_INTERNAL_H

#include "wushe/resident.h"

/* Copy the non-empty fields and the groups of src into dst: a merge keeps
 * what the register has where the ledger says nothing. */
void import_merge(resident *dst, const resident *src);

#endif
