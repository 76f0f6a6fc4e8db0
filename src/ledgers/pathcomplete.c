/* Completing typed file paths (see pathcomplete.h). */
#include "wushe/pathcomplete.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "wushe/text.h"

void path_list_free(path_list *l)
{
    if (!l)
        return;
    free(l->items);
    memset(l, 0, sizeof *l);
}

static bool path_add(path_list *l, const char *folder, const char *name, bool dir)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        path_entry *e = realloc(l->items, cap * sizeof *e);
        if (!e)
            return false;
        l->items = e;
        l->cap = cap;
    }
    path_entry *e = &l->items[l->n++];
    size_t fl = strlen(folder);
    snprintf(e->name, sizeof e->name, "%s%s", name, dir ? "/" : "");
    snprintf(e->path, sizeof e->path, "%s%s%s%s", folder, fl && folder[fl - 1] == '/' ? "" : "/",
             name, dir ? "/" : "");
    e->dir = dir;
    return true;
}

/* Folders first, then in pinyin order (旧名单 before 幸福社区), as the
 * lists of people are. */
static int path_cmp(const void *a, const void *b)
{
    const path_entry *x = a, *y = b;
    if (x->dir != y->dir)
        return x->dir ? -1 : 1;
    unsigned char *kx = NULL, *ky = NULL;
    size_t lx = 0, ly = 0;
    int c = 0;
    if (text_sort_key(x->name, &kx, &lx) == WS_OK && text_sort_key(y->name, &ky, &ly) == WS_OK) {
        c = memcmp(kx, ky, lx < ly ? lx : ly);
        if (!c)
            c = lx < ly ? -1 : lx > ly;
    }
    free(kx);
    free(ky);
    return c ? c : strcmp(x->name, y->name);
}

static bool path_is_dir(const char *folder, const char *name)
{
    char full[4096];
    if (snprintf(full, sizeof full, "%s/%s", folder, name) >= (int)sizeof full)
        return false;
    struct stat sb;
    return stat(full, &sb) == 0 && S_ISDIR(sb.st_mode);
}

bool path_is_ledger(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && (!strcasecmp(dot, ".csv") || !strcasecmp(dot, ".txt") ||
                   !strcasecmp(dot, ".xlsx") || !strcasecmp(dot, ".xls"));
}

void path_folder_of(const char *text, const char *home, char *out, size_t outsz)
{
    const char *slash = strrchr(text, '/');
    if (!home || !*home)
        home = ".";
    if (!slash) {
        snprintf(out, outsz, "%s", home);
    } else if (text[0] == '~' && text[1] == '/') {
        snprintf(out, outsz, "%s%.*s", home, (int)(slash - text), text + 1);
    } else if (slash == text) {
        snprintf(out, outsz, "/");
    } else {
        snprintf(out, outsz, "%.*s", (int)(slash - text), text);
    }
}

/* The length of the common start of a and b, not splitting a character. */
static size_t path_common(const char *a, const char *b)
{
    size_t n = 0;
    while (a[n] && a[n] == b[n])
        n++;
    while (n && ((unsigned char)a[n] & 0xC0) == 0x80)
        n--;
    return n;
}

bool path_complete(const char *text, const char *home, char *out, size_t outsz,
                   path_list *matches)
{
    snprintf(out, outsz, "%s", text);
    if (!strcmp(text, "~")) {
        snprintf(out, outsz, "~/");
        return true;
    }
    const char *slash = strrchr(text, '/');
    const char *base = slash ? slash + 1 : text;
    size_t blen = strlen(base);
    char folder[4096];
    path_folder_of(text, home, folder, sizeof folder);
    DIR *d = opendir(folder);
    if (!d)
        return false;
    path_list found = {0};
    for (struct dirent *e; (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (e->d_name[0] == '.' && base[0] != '.')
            continue;
        if (strncmp(e->d_name, base, blen) != 0)
            continue;
        if (!path_add(&found, folder, e->d_name, path_is_dir(folder, e->d_name)))
            break;
    }
    closedir(d);
    bool more = false;
    if (found.n) {
        qsort(found.items, found.n, sizeof *found.items, path_cmp);
        /* the common start of the names as they are (without the '/') */
        char first[256];
        snprintf(first, sizeof first, "%s", found.items[0].name);
        if (found.items[0].dir)
            first[strlen(first) - 1] = '\0';
        size_t common = strlen(first);
        for (size_t i = 1; i < found.n; i++) {
            char name[256];
            snprintf(name, sizeof name, "%s", found.items[i].name);
            if (found.items[i].dir)
                name[strlen(name) - 1] = '\0';
            first[common] = '\0';
            common = path_common(first, name);
        }
        first[common] = '\0';
        bool sole_dir = found.n == 1 && found.items[0].dir;
        snprintf(out, outsz, "%.*s%s%s", (int)(base - text), text, first, sole_dir ? "/" : "");
        more = strcmp(out, text) != 0;
    }
    if (matches)
        *matches = found;
    else
        path_list_free(&found);
    return more;
}

ws_status path_ledgers(const char *folder, path_list *out)
{
    memset(out, 0, sizeof *out);
    DIR *d = opendir(folder);
    if (!d)
        return WS_ERR_NOT_FOUND;
    ws_status s = WS_OK;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        bool dir = path_is_dir(folder, e->d_name);
        if (!dir && !path_is_ledger(e->d_name))
            continue;
        if (!path_add(out, folder, e->d_name, dir)) {
            s = WS_ERR_NOMEM;
            break;
        }
    }
    closedir(d);
    if (out->n)
        qsort(out->items, out->n, sizeof *out->items, path_cmp);
    return s;
}

/* The folders in root+base (each a mount point), but `except`. */
static ws_status path_mounts_in(const char *root, const char *base, const char *except,
                                path_list *out)
{
    char folder[4096];
    snprintf(folder, sizeof folder, "%s%s", root, base);
    DIR *d = opendir(folder);
    if (!d)
        return WS_OK;
    size_t from = out->n;
    ws_status s = WS_OK;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.' || (except && !strcmp(e->d_name, except)) ||
            !path_is_dir(folder, e->d_name))
            continue;
        if (!path_add(out, folder, e->d_name, true)) {
            s = WS_ERR_NOMEM;
            break;
        }
        /* the list names a stick by where it is */
        path_entry *pe = &out->items[out->n - 1];
        snprintf(pe->name, sizeof pe->name, "%s", pe->path + strlen(root));
    }
    closedir(d);
    if (out->n > from)
        qsort(out->items + from, out->n - from, sizeof *out->items, path_cmp);
    return s;
}

ws_status path_mounts(const char *root, const char *user, path_list *out)
{
    memset(out, 0, sizeof *out);
    if (!root)
        root = "";
    char media_user[512], run_user[512];
    bool has_user = user && *user && !strchr(user, '/');
    snprintf(media_user, sizeof media_user, "/media/%s", has_user ? user : "");
    snprintf(run_user, sizeof run_user, "/run/media/%s", has_user ? user : "");
    ws_status s = WS_OK;
    if (has_user) {
        s = path_mounts_in(root, media_user, NULL, out);
        if (s == WS_OK)
            s = path_mounts_in(root, run_user, NULL, out);
    }
    if (s == WS_OK)
        s = path_mounts_in(root, "/media", has_user ? user : NULL, out);
    if (s == WS_OK)
        s = path_mounts_in(root, "/mnt", NULL, out);
    return s;
}
