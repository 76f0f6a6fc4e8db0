/* Completing a file path typed in a prompt (the import's file, an
 * export's): what Tab does, the ledgers of a folder to pick from, and the
 * folders a USB stick is mounted on. No curses: the console draws these. */
#ifndef WUSHE_PATHCOMPLETE_H
#define WUSHE_PATHCOMPLETE_H

#include <stdbool.h>
#include <stddef.h>

#include "wushe/status.h"

typedef struct path_entry {
    char name[256];  /* as listed: a folder's name ends in '/' */
    char path[4096]; /* the whole path */
    bool dir;
} path_entry;

typedef struct path_list {
    path_entry *items;
    size_t n, cap;
} path_list;

void path_list_free(path_list *l);

/* Where a typed path's folder is: "~/..." and a name without a folder are
 * in home, "/..." is itself, any other relative path is from the current
 * folder. */
void path_folder_of(const char *text, const char *home, char *out, size_t outsz);

/* Tab: text completed to the longest common start of the names in its
 * folder that begin with its last part (hidden names only when that part
 * begins with a dot); a single folder gets its '/'. The folder part stays
 * as typed. The names that match go to *matches (may be NULL), sorted.
 * True when out says more than text. */
bool path_complete(const char *text, const char *home, char *out, size_t outsz,
                   path_list *matches);

/* A folder's sub-folders and ledgers (.csv .txt .xlsx .xls, any case),
 * folders first, each group in pinyin order; hidden ones left out. */
ws_status path_ledgers(const char *folder, path_list *out);

/* Where a USB stick is usually mounted, below root ("" for the real
 * system; a test's folder otherwise): the folders in /media/USER,
 * /run/media/USER, /media (other than USER's) and /mnt that are mount
 * points now (root/proc/self/mounts; every folder when it cannot be read). */
ws_status path_mounts(const char *root, const char *user, path_list *out);

/* Whether path (a file or folder to write; relative: from the current
 * folder) is where a USB stick is mounted, under /media, /run/media or
 * /mnt below root ("" for the real system; a test's folder standing for
 * "/" otherwise), while no stick is mounted there: the nearest folder of
 * it that exists is on the file system of "/" (of "/run" for
 * /run/media) and no mount point of root/proc/self/mounts holds it.
 * Anything written there would land on the PC's own disk. where: the
 * folder a stick would be mounted on ("/media/usb"; may be NULL). */
bool path_stick_missing(const char *root, const char *path, char *where, size_t wheresz);

/* True when a name ends in .csv, .txt, .xlsx or .xls (any case). */
bool path_is_ledger(const char *name);

#endif
