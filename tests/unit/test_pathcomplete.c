/* Completing typed file paths: Tab's common start, the second Tab's list,
 * the folder's ledgers, the mount points of USB sticks. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wushe/encoding.h"
#include "wushe/pathcomplete.h"

static void touch(const char *dir, const char *name)
{
    char *p = testutil_path(dir, name);
    assert_int_equal(enc_write_file(p, "x", 1), WS_OK);
    free(p);
}

static void folder(const char *dir, const char *name)
{
    char *p = testutil_path(dir, name);
    assert_int_equal(mkdir(p, 0700), 0);
    free(p);
}

static void test_complete(void **state)
{
    (void)state;
    char *dir = testutil_tmpdir();
    touch(dir, "居民台账2025.xlsx");
    touch(dir, "居民台账2026.xlsx");
    touch(dir, "户台账.csv");
    touch(dir, ".隐藏.csv");
    folder(dir, "U盘备份");
    char typed[4096], out[4096];
    path_list m = {0};

    /* the common start, not splitting a character; the two names listed */
    snprintf(typed, sizeof typed, "%s/居", dir);
    assert_true(path_complete(typed, NULL, out, sizeof out, &m));
    char want[4096];
    snprintf(want, sizeof want, "%s/居民台账202", dir);
    assert_string_equal(out, want);
    assert_int_equal(m.n, 2);
    assert_string_equal(m.items[0].name, "居民台账2025.xlsx");
    path_list_free(&m);

    /* a second Tab adds nothing: the names are what it shows */
    assert_false(path_complete(want, NULL, out, sizeof out, &m));
    assert_string_equal(out, want);
    assert_int_equal(m.n, 2);
    path_list_free(&m);

    /* a sole match in full; a sole folder with its '/' */
    snprintf(typed, sizeof typed, "%s/户", dir);
    assert_true(path_complete(typed, NULL, out, sizeof out, NULL));
    snprintf(want, sizeof want, "%s/户台账.csv", dir);
    assert_string_equal(out, want);
    snprintf(typed, sizeof typed, "%s/U", dir);
    assert_true(path_complete(typed, NULL, out, sizeof out, NULL));
    snprintf(want, sizeof want, "%s/U盘备份/", dir);
    assert_string_equal(out, want);

    /* a name without a folder and "~/" are in home, kept as typed */
    assert_true(path_complete("户", dir, out, sizeof out, NULL));
    assert_string_equal(out, "户台账.csv");
    assert_true(path_complete("~/U", dir, out, sizeof out, NULL));
    assert_string_equal(out, "~/U盘备份/");
    assert_true(path_complete("~", dir, out, sizeof out, NULL));
    assert_string_equal(out, "~/");

    /* hidden names only when asked for; nothing that matches: as typed */
    assert_true(path_complete("~/.", dir, out, sizeof out, &m));
    assert_int_equal(m.n, 1);
    path_list_free(&m);
    assert_false(path_complete("~/没有", dir, out, sizeof out, &m));
    assert_string_equal(out, "~/没有");
    assert_int_equal(m.n, 0);
    path_list_free(&m);
    assert_false(path_complete("/no/such/folder/x", dir, out, sizeof out, NULL));
    testutil_rmdir(&dir);
}

static void test_ledgers(void **state)
{
    (void)state;
    char *dir = testutil_tmpdir();
    touch(dir, "b.XLS");
    touch(dir, "a.csv");
    touch(dir, "c.txt");
    touch(dir, "d.xlsx");
    touch(dir, "照片.jpg");
    touch(dir, ".e.csv");
    folder(dir, "子目录");
    path_list l;
    assert_int_equal(path_ledgers(dir, &l), WS_OK);
    assert_int_equal(l.n, 5);
    assert_string_equal(l.items[0].name, "子目录/");
    assert_true(l.items[0].dir);
    assert_string_equal(l.items[1].name, "a.csv");
    assert_string_equal(l.items[2].name, "b.XLS");
    assert_string_equal(l.items[4].name, "d.xlsx");
    char want[4096];
    snprintf(want, sizeof want, "%s/d.xlsx", dir);
    assert_string_equal(l.items[4].path, want);
    path_list_free(&l);
    assert_int_equal(path_ledgers("/no/such/folder", &l), WS_ERR_NOT_FOUND);
    testutil_rmdir(&dir);
}

static void test_mounts(void **state)
{
    (void)state;
    char *root = testutil_tmpdir();
    folder(root, "media");
    folder(root, "media/clerk");
    folder(root, "media/clerk/KINGSTON");
    folder(root, "media/SANDISK");
    folder(root, "mnt");
    folder(root, "mnt/usb");
    folder(root, "run");
    folder(root, "run/media");
    folder(root, "run/media/clerk");
    folder(root, "run/media/clerk/金士顿");
    touch(root, "mnt/not-a-folder");
    path_list l;
    assert_int_equal(path_mounts(root, "clerk", &l), WS_OK);
    assert_int_equal(l.n, 4);
    assert_string_equal(l.items[0].name, "/media/clerk/KINGSTON/");
    assert_string_equal(l.items[1].name, "/run/media/clerk/金士顿/");
    assert_string_equal(l.items[2].name, "/media/SANDISK/");
    assert_string_equal(l.items[3].name, "/mnt/usb/");
    char want[4096];
    snprintf(want, sizeof want, "%s/mnt/usb/", root);
    assert_string_equal(l.items[3].path, want);
    path_list_free(&l);
    /* no user: /media's folders and /mnt's */
    assert_int_equal(path_mounts(root, NULL, &l), WS_OK);
    assert_int_equal(l.n, 3);
    path_list_free(&l);
    testutil_rmdir(&root);
}

/* Only what is mounted now is a stick: an empty folder left in /media by
 * a stick pulled out is not offered. */
static void test_mounts_mounted(void **state)
{
    (void)state;
    char *root = testutil_tmpdir();
    folder(root, "media");
    folder(root, "media/clerk");
    folder(root, "media/clerk/KINGSTON");
    folder(root, "media/clerk/OLD STICK");
    folder(root, "media/clerk/U 盘");
    folder(root, "mnt");
    folder(root, "mnt/cdrom");
    folder(root, "proc");
    folder(root, "proc/self");
    char file[4096];
    snprintf(file, sizeof file, "%s/proc/self/mounts", root);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs("/dev/vda1 / ext4 rw,relatime 0 0\n"
          "/dev/sdb1 /media/clerk/KINGSTON vfat rw,nosuid 0 0\n"
          "/dev/sdc1 /media/clerk/U\\040\xe7\x9b\x98 exfat rw 0 0\n",
          f);
    fclose(f);
    path_list l;
    assert_int_equal(path_mounts(root, "clerk", &l), WS_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.items[0].name, "/media/clerk/KINGSTON/");
    assert_string_equal(l.items[1].name, "/media/clerk/U 盘/");
    path_list_free(&l);
    testutil_rmdir(&root);
}

/* A stick's place (/media, /run/media, /mnt) with nothing mounted there
 * is a folder on the PC's own disk: told, and which folder. */
static void test_stick_missing(void **state)
{
    (void)state;
    char *root = testutil_tmpdir();
    folder(root, "media");
    folder(root, "media/usb");
    folder(root, "mnt");
    folder(root, "run");
    folder(root, "run/media");
    folder(root, "run/media/clerk");
    folder(root, "home");
    char path[4096], where[4096];
    snprintf(path, sizeof path, "%s/media/usb/五社备份", root);
    assert_true(path_stick_missing(root, path, where, sizeof where));
    assert_string_equal(where, "/media/usb");
    snprintf(path, sizeof path, "%s/media/usb/", root);
    assert_true(path_stick_missing(root, path, where, sizeof where));
    assert_string_equal(where, "/media/usb");
    snprintf(path, sizeof path, "%s/home/../mnt/KINGSTON/a/b.wushe-backup", root);
    assert_true(path_stick_missing(root, path, where, sizeof where));
    assert_string_equal(where, "/mnt/KINGSTON");
    snprintf(path, sizeof path, "%s/run/media/clerk/金士顿/备份", root);
    assert_true(path_stick_missing(root, path, where, sizeof where));
    assert_string_equal(where, "/run/media/clerk/金士顿");
    /* a relative path, from the current folder */
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(path, sizeof path, "%s/media", root);
    assert_int_equal(chdir(path), 0);
    assert_true(path_stick_missing(root, "usb/x", where, sizeof where));
    assert_string_equal(where, "/media/usb");
    assert_int_equal(chdir(cwd), 0);
    /* elsewhere: not a stick's place */
    snprintf(path, sizeof path, "%s/home/备份", root);
    assert_false(path_stick_missing(root, path, where, sizeof where));
    assert_string_equal(where, "");
    assert_false(path_stick_missing(root, "/elsewhere/media/usb", NULL, 0));
    assert_false(path_stick_missing(root, "", NULL, 0));
    assert_false(path_stick_missing(root, NULL, NULL, 0));
    /* mounted (the mount table says, as for a bind mount of the same
     * disk): a stick */
    folder(root, "proc");
    folder(root, "proc/self");
    char file[4096];
    snprintf(file, sizeof file, "%s/proc/self/mounts", root);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs("/dev/vda1 / ext4 rw 0 0\n/dev/sdb1 /media/usb vfat rw 0 0\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/media/usb/五社备份", root);
    assert_false(path_stick_missing(root, path, where, sizeof where));
    snprintf(path, sizeof path, "%s/mnt/KINGSTON", root);
    assert_true(path_stick_missing(root, path, where, sizeof where));
    /* on another file system than "/": something is mounted there */
    struct stat a, b;
    if (stat("/dev/shm", &a) == 0 && stat(root, &b) == 0 && a.st_dev != b.st_dev) {
        char tmpl[] = "/dev/shm/wushe-test-XXXXXX";
        char *shm = mkdtemp(tmpl) ? strdup(tmpl) : NULL;
        if (shm) {
            snprintf(path, sizeof path, "%s/mnt/shm", root);
            assert_int_equal(symlink(shm, path), 0);
            snprintf(path, sizeof path, "%s/mnt/shm/备份", root);
            assert_false(path_stick_missing(root, path, where, sizeof where));
            testutil_rmdir(&shm);
        }
    }
    testutil_rmdir(&root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_complete),
        cmocka_unit_test(test_ledgers),
        cmocka_unit_test(test_mounts),
        cmocka_unit_test(test_mounts_mounted),
        cmocka_unit_test(test_stick_missing),
    };
    return testutil_run(tests);
}
