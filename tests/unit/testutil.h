/* Shared helpers for the cmocka unit tests. */
#ifndef WUSHE_TESTUTIL_H
#define WUSHE_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* A fresh temporary directory (removed with its contents by testutil_rmdir). */
char *testutil_tmpdir(void);
void testutil_rmdir(char **dir);
/* dir + "/" + name, malloc'd. */
char *testutil_path(const char *dir, const char *name);

#endif
