/* Files embedded into the binary at build time (schema/, locale/). */
#ifndef WUSHE_EMBEDDED_H
#define WUSHE_EMBEDDED_H

#include <stddef.h>

typedef struct embedded_file {
    const char *name; /* "schema/0001_init.sql", "locale/zh_CN.yaml" */
    const char *data; /* NUL-terminated */
    size_t len;
} embedded_file;

extern const embedded_file embedded_files[];
extern const size_t embedded_count;

const embedded_file *embedded_find(const char *name);

#endif
