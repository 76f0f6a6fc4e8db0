#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *testutil_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/wushe-test-XXXXXX", base ? base : "/tmp");
    char *d = mkdtemp(tmpl);
    return d ? strdup(d) : NULL;
}

void testutil_rmdir(char **dir)
{
    if (!dir || !*dir)
        return;
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", *dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", *dir);
    free(*dir);
    *dir = NULL;
}

char *testutil_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}
