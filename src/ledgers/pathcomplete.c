/* Completing typed file paths (see pathcomplete.h). */
#include "wushe/pathcomplete.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

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
/* The mount points of the system (below root: a test's own table), read
 * from /proc/self/mounts, '\n'-separated with a leading '\n'; NULL when
 * there is no table (then every folder found is offered). */
static char *path_mount_table(const char *root)
{
    char file[4096];
    snprintf(file, sizeof file, "%s/proc/self/mounts", root);
    FILE *f = fopen(file, "r");
    if (!f)
        return NULL;
    size_t len = 1, cap = 4096;
    char *set = malloc(cap), line[8192];
    if (set)
        set[0] = '\n';
    while (set && fgets(line, sizeof line, f)) {
        char *at = strchr(line, ' '); /* device, then the mount point */
        char *end = at ? strchr(at + 1, ' ') : NULL;
        if (!end)
            continue;
        if (len + (size_t)(end - at) + 2 > cap) {
            char *grown = realloc(set, cap * 2 + (size_t)(end - at));
            if (!grown) {
                free(set);
                set = NULL;
                break;
            }
            set = grown;
            cap = cap * 2 + (size_t)(end - at);
        }
        /* a space in a mount point is written \040 */
        for (const char *c = at + 1; c < end; c++) {
            if (c[0] == '\\' && end - c >= 4 && c[1] >= '0' && c[1] <= '3') {
                set[len++] = (char)((c[1] - '0') * 64 + (c[2] - '0') * 8 + (c[3] - '0'));
                c += 3;
            } else {
                set[len++] = *c;
            }
        }
        set[len++] = '\n';
    }
    fclose(f);
    if (set)
        set[len] = '\0';
    return set;
}

/* Whether a folder (without root, ending in '/') is in the mount table. */
static bool path_is_mounted(const char *table, const char *name)
{
    if (!table)
        return true;
    char want[4096];
    int n = snprintf(want, sizeof want, "\n%s", name);
    if (n <= 1 || (size_t)n >= sizeof want)
        return false;
    want[n - 1] = '\n'; /* the trailing '/' */
    return strstr(table, want) != NULL;
}

static ws_status path_mounts_in(const char *root, const char *table, const char *base,
                                const char *except, path_list *out)
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
        /* the list names a stick by where it is; an empty folder where a
         * stick was once mounted is no stick */
        path_entry *pe = &out->items[out->n - 1];
        snprintf(pe->name, sizeof pe->name, "%s", pe->path + strlen(root));
        if (!path_is_mounted(table, pe->name))
            out->n--;
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
    char *table = path_mount_table(root);
    ws_status s = WS_OK;
    if (has_user) {
        s = path_mounts_in(root, table, media_user, NULL, out);
        if (s == WS_OK)
            s = path_mounts_in(root, table, run_user, NULL, out);
    }
    if (s == WS_OK)
        s = path_mounts_in(root, table, "/media", has_user ? user : NULL, out);
    if (s == WS_OK)
        s = path_mounts_in(root, table, "/mnt", NULL, out);
    free(table);
    return s;
}

/* path made absolute (from the current folder) with "." and ".."
 * resolved by name and no doubled '/'. False when it does not fit. */
static bool path_absolute(const char *path, char *out, size_t outsz)
{
    char whole[8192];
    if (path[0] == '/') {
        snprintf(whole, sizeof whole, "%s", path);
    } else {
        char cwd[4096];
        if (!getcwd(cwd, sizeof cwd))
            return false;
        if ((size_t)snprintf(whole, sizeof whole, "%s/%s", cwd, path) >= sizeof whole)
            return false;
    }
    size_t len = 0;
    for (char *part = whole, *next; *part; part = next) {
        while (*part == '/')
            part++;
        next = part;
        while (*next && *next != '/')
            next++;
        size_t n = (size_t)(next - part);
        if (n == 0 || (n == 1 && part[0] == '.'))
            continue;
        if (n == 2 && part[0] == '.' && part[1] == '.') {
            while (len > 0 && out[len - 1] != '/')
                len--;
            if (len > 0)
                len--;
            continue;
        }
        if (len + n + 2 > outsz)
            return false;
        out[len++] = '/';
        memcpy(out + len, part, n);
        len += n;
    }
    if (len == 0)
        out[len++] = '/';
    out[len] = '\0';
    return true;
}

/* The place where sticks are mounted that path (absolute, without root)
 * is in: its length, and the folder whose file system a folder of it is
 * on when nothing is mounted ("/" or "/run"). 0 when none. */
static size_t path_stick_place(const char *path, const char **host)
{
    static const struct {
        const char *place, *host;
    } places[] = {{"/run/media", "/run"}, {"/media", "/"}, {"/mnt", "/"}};
    for (size_t i = 0; i < sizeof places / sizeof *places; i++) {
        size_t n = strlen(places[i].place);
        if (!strncmp(path, places[i].place, n) && (path[n] == '/' || path[n] == '\0')) {
            *host = places[i].host;
            return n;
        }
    }
    return 0;
}

bool path_stick_missing(const char *root, const char *path, char *where, size_t wheresz)
{
    if (where && wheresz)
        where[0] = '\0';
    if (!root)
        root = "";
    char abs[4096], full[8192];
    if (!path || !*path || !path_absolute(path, abs, sizeof abs))
        return false;
    /* within root (a test's stand-in for "/"): the rest is the path */
    size_t rl = strlen(root);
    while (rl > 0 && root[rl - 1] == '/')
        rl--;
    if (rl && (strncmp(abs, root, rl) != 0 || (abs[rl] != '/' && abs[rl] != '\0')))
        return false;
    const char *rel = abs[rl] ? abs + rl : "/";
    const char *host = NULL;
    size_t place = path_stick_place(rel, &host);
    if (!place)
        return false;
    /* The nearest folder of it that exists (a stick's folders are not
     * there while it is out). */
    char near[4096];
    snprintf(near, sizeof near, "%s", rel);
    struct stat sb, hb;
    for (;;) {
        snprintf(full, sizeof full, "%.*s%s", (int)rl, root, near);
        if (stat(full, &sb) == 0)
            break;
        char *slash = strrchr(near, '/');
        if (!slash || slash == near)
            return false; /* not even the root: nothing to say */
        *slash = '\0';
    }
    snprintf(full, sizeof full, "%.*s%s", (int)rl, root, host);
    if (stat(full, &hb) != 0 || sb.st_dev != hb.st_dev)
        return false; /* another file system: something is mounted */
    /* A bind mount keeps the device number: the mount table says. */
    char *table = path_mount_table(root);
    bool mounted = false;
    if (table) {
        char up[4096];
        snprintf(up, sizeof up, "%s", near);
        for (size_t n = strlen(up); n >= place && !mounted;) {
            char name[4100];
            snprintf(name, sizeof name, "%s/", up);
            mounted = path_is_mounted(table, name);
            char *slash = strrchr(up, '/');
            if (!slash || slash == up)
                break;
            *slash = '\0';
            n = strlen(up);
        }
        free(table);
    }
    if (mounted)
        return false;
    /* Named: the folder a stick of that place would be mounted on, the
     * first below it (two in /run/media, which has a folder per user). */
    if (where && wheresz) {
        const char *end = rel + place;
        int depth = strncmp(rel, "/run/media", 10) == 0 ? 2 : 1;
        for (int i = 0; i < depth && *end == '/'; i++) {
            end++;
            while (*end && *end != '/')
                end++;
        }
        snprintf(where, wheresz, "%.*s", (int)(end - rel), rel);
    }
    return true;
}
