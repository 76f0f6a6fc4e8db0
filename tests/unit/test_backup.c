/* Backups: any backup restores to the same data, even one made while
 * another process writes; encrypted backups open only with their
 * passphrase and refuse a changed or missing byte; a newer schema, an open
 * station, a full disk are refused leaving nothing behind; who may; the
 * rotation of the automatic backups. */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fts_tokenizer.h"
#include "station_internal.h"
#include "wushe/access.h"
#include "wushe/account.h"
#include "wushe/backup.h"
#include "wushe/demo.h"
#include "wushe/export.h"
#include "wushe/resident.h"
#include "wushe/validate.h"

/* Argon2id at its minimum: the tests check the format, not the cost. */
#define FAST_KDF .kdf_ops = 1, .kdf_mem = 8192
#define PASS "桃源 correct horse"

typedef struct fixture {
    testutil_station *t;
    char *dir;  /* where backups and restored stations go */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!(f->t = testutil_station_demo(false, 120, 7)))
        return -1;
    f->dir = testutil_tmpdir();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    testutil_station_close(&f->t);
    testutil_rmdir(&f->dir);
    free(f);
    return 0;
}

/* ---- a dump of every table's rows ---- */

typedef struct dump {
    char **lines;
    size_t n, cap;
} dump;

static void dump_add(dump *d, const char *line)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 1024;
        d->lines = realloc(d->lines, d->cap * sizeof *d->lines);
    }
    d->lines[d->n++] = strdup(line);
}

static void dump_free(dump *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->lines[i]);
    free(d->lines);
    memset(d, 0, sizeof *d);
}

static int dump_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every row of every real table (the search index's shadow tables
 * included) as "table|quote(c1)|...", sorted. What a backup and a restore
 * add on purpose is left out: login sessions, the backup_* settings, the
 * access log's backup and restore entries. */
static void dump_db(const char *path, dump *out)
{
    memset(out, 0, sizeof *out);
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *t = testutil_raw_prepare(h,
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND sql NOT LIKE 'CREATE VIRTUAL%' AND name <> 'sessions' ORDER BY name", 0);
    while (sqlite3_step(t) == SQLITE_ROW) {
        char table[128];
        snprintf(table, sizeof table, "%s", (const char *)sqlite3_column_text(t, 0));
        char sql[8192];
        size_t used = (size_t)snprintf(sql, sizeof sql, "SELECT '%s'", table);
        char info[256];
        snprintf(info, sizeof info, "PRAGMA table_info(\"%s\")", table);
        sqlite3_stmt *c = testutil_raw_prepare(h, info, 0);
        while (sqlite3_step(c) == SQLITE_ROW)
            used += (size_t)snprintf(sql + used, sizeof sql - used, " || '|' || quote(\"%s\")",
                                     (const char *)sqlite3_column_text(c, 1));
        sqlite3_finalize(c);
        const char *where = strcmp(table, "settings") == 0 ? " WHERE key NOT LIKE 'backup%'"
                            : strcmp(table, "access_log") == 0
                                ? " WHERE event NOT IN ('backup', 'restore')"
                                : "";
        snprintf(sql + used, sizeof sql - used, " FROM \"%s\"%s", table, where);
        sqlite3_stmt *r = testutil_raw_prepare(h, sql, 0);
        while (sqlite3_step(r) == SQLITE_ROW)
            dump_add(out, (const char *)sqlite3_column_text(r, 0));
        sqlite3_finalize(r);
    }
    sqlite3_finalize(t);
    sqlite3_close(h);
    qsort(out->lines, out->n, sizeof *out->lines, dump_cmp);
}

static void assert_same_dump(const dump *a, const dump *b)
{
    size_t i = 0;
    while (i < a->n && i < b->n && strcmp(a->lines[i], b->lines[i]) == 0)
        i++;
    if (i < a->n || i < b->n)
        fail_msg("dumps differ at line %zu of %zu / %zu:\n  %.300s\n  %.300s", i, a->n, b->n,
                 i < a->n ? a->lines[i] : "(end)", i < b->n ? b->lines[i] : "(end)");
}

/* Whether every line of a is in b (both sorted); the search index's FTS
 * tables are left out (their structure rows are rewritten as it grows). */
static void assert_subset(const dump *a, const dump *b)
{
    size_t j = 0;
    for (size_t i = 0; i < a->n; i++) {
        if (strncmp(a->lines[i], "search_fts_", 11) == 0)
            continue;
        while (j < b->n && strcmp(b->lines[j], a->lines[i]) < 0)
            j++;
        if (j == b->n || strcmp(b->lines[j], a->lines[i]) != 0)
            fail_msg("a row of the backup is not in the station: %.300s", a->lines[i]);
    }
}

static size_t count_files(const char *dir)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    if (d)
        closedir(d);
    return n;
}

/* f->dir/sub made (a restore never makes a missing folder). */
static void make_sub(fixture *f, const char *sub)
{
    char *d = testutil_path(f->dir, sub);
    if (mkdir(d, 0700) != 0 && errno != EEXIST)
        fail_msg("mkdir %s: %s", d, strerror(errno));
    free(d);
}

static bool exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static void flip_byte(const char *path, long at)
{
    FILE *fp = fopen(path, "r+b");
    assert_non_null(fp);
    fseek(fp, at, at < 0 ? SEEK_END : SEEK_SET);
    int c = fgetc(fp);
    fseek(fp, -1, SEEK_CUR);
    fputc(c ^ 0x40, fp);
    fclose(fp);
}

static void cut_file(const char *path, long keep)
{
    assert_int_equal(truncate(path, keep), 0);
}

static void copy_file(const char *from, const char *to)
{
    char cmd[9000];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", from, to);
    assert_int_equal(system(cmd), 0);
}

static long file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

/* ---- other processes ----
 *
 * A station that another process writes or holds open is one opened by a
 * fresh process: this test binary run again in a helper's role (an SQLite
 * connection must not cross a fork). */

static void make_plain(fixture *f, char *out, size_t outsz);
static void *read_all(const char *path, long *n);
static void writer(const char *path, int n);
static void holder(const char *path);
static int full_disk(const char *path, const char *dir);

/* Run this binary as `role a b` with its standard input and output on
 * pipes: *to_child, *from_child (may be NULL). */
static pid_t spawn(const char *role, const char *a, const char *b, int *to_child,
                   int *from_child)
{
    int in[2], out[2];
    assert_int_equal(pipe(in), 0);
    assert_int_equal(pipe(out), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        execl("/proc/self/exe", "test_backup", role, a, b ? b : "", (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    if (to_child)
        *to_child = in[1];
    else
        close(in[1]);
    if (from_child)
        *from_child = out[0];
    else
        close(out[0]);
    return pid;
}

static int child_status(pid_t pid)
{
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* ---- names ---- */

static void test_file_name(void **state)
{
    fixture *f = *state;
    station *st = f->t->st;
    assert_int_equal(station_set_info(st, " .桃源:社工站/一?*\"<>|站\x01 ", ""), WS_OK);
    time_t t = 1796110200; /* 2026-12-01 15:30 in Asia/Shanghai */
    char name[512];
    backup_file_name(st, t, false, false, name, sizeof name);
    assert_string_equal(name, "桃源_社工站_一_站-2026-12-01-1530.wushe-backup");
    backup_file_name(st, t, true, false, name, sizeof name);
    assert_string_equal(name, "桃源_社工站_一_站-2026-12-01-1530-加密.wushe-backup");
    backup_file_name(st, t, false, true, name, sizeof name);
    char tag[16], want[512];
    backup_station_tag(st, tag, sizeof tag);
    assert_int_equal(strlen(tag), 8);
    snprintf(want, sizeof want, "桃源_社工站_一_站-2026-12-01-1530-自动-%s.wushe-backup", tag);
    assert_string_equal(name, want);
    /* At most 120 bytes of the name, cut at a character's start. */
    char longname[200] = "";
    for (int i = 0; i < 50; i++)
        strcat(longname, "站");
    assert_int_equal(station_set_info(st, longname, ""), WS_OK);
    backup_file_name(st, t, false, false, name, sizeof name);
    assert_int_equal(strlen(name), 120 + strlen("-2026-12-01-1530.wushe-backup"));
}

/* ---- any backup restores to the same data ---- */

static void test_roundtrip(void **state)
{
    fixture *f = *state;
    dump before, after;
    dump_db(f->t->path, &before);
    backup_info in, back;
    char written[4200], err[1024], kept[4200];
    backup_opts o = {.backup_dir = f->dir};
    assert_int_equal(backup_make(f->t->st, f->dir, &o, &in, written, sizeof written, err,
                                 sizeof err), WS_OK);
    assert_int_equal(in.residents, 120);
    assert_true(in.households > 0);
    assert_int_equal(in.accounts, 4);
    assert_false(in.encrypted);
    assert_true(in.bytes > 0);
    /* Nothing left but the backup. */
    assert_int_equal(count_files(f->dir), 1);
    make_sub(f, "restored");
    char *target = testutil_path(f->dir, "restored/station.db");
    assert_int_equal(backup_restore(NULL, written, target, NULL, &back, kept, sizeof kept, err,
                                    sizeof err), WS_OK);
    assert_string_equal(kept, "");
    assert_int_equal(back.residents, 120);
    assert_string_equal(back.made_at, in.made_at);
    assert_string_equal(back.made_by, "tester");
    dump_db(target, &after);
    assert_same_dump(&before, &after);
    dump_free(&after);
    /* The restore is on record in the restored station. */
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(target, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(testutil_raw_int(h, "SELECT count(*) FROM access_log WHERE event = 'restore'",
                                      0), 1);
    sqlite3_close(h);
    /* And the backup in the source. */
    backup_last_info last;
    assert_int_equal(backup_last(f->t->st, &last), WS_OK);
    assert_true(last.any);
    assert_false(last.warn);
    assert_string_equal(last.at, in.made_at);
    dump_free(&before);
    free(target);
}

/* The writer: residents 并发〇, 并发一, ... one transaction each; a byte on
 * standard output after the first. */
static void writer(const char *path, int n)
{
    station *st = NULL;
    char err[256];
    if (station_open(path, STATION_TRUSTED, NULL, &st, err, sizeof err) != WS_OK)
        _exit(2);
    station_set_actor(st, "writer");
    for (int i = 0; i < n; i++) {
        resident r;
        resident_init(&r);
        /* Names have no digits: 并发四二 is the 42nd. */
        static const char *const cn[] = {"〇", "一", "二", "三", "四",
                                         "五", "六", "七", "八", "九"};
        char num[16];
        snprintf(num, sizeof num, "%d", i);
        snprintf(r.name, sizeof r.name, "并发");
        for (const char *p = num; *p; p++)
            strcat(r.name, cn[*p - '0']);
        snprintf(r.notes, sizeof r.notes, "第%d次写入", i);
        field_error fe;
        ws_status s = resident_save(st, &r, &fe);
        if (s != WS_OK) {
            fprintf(stderr, "writer: %s field %d code %d\n", ws_status_name(s), fe.field,
                    (int)fe.code);
            _exit(3);
        }
        if (i == 0 && (write(1, "x", 1) != 1 || close(1) != 0))
            _exit(4);
    }
    station_close(&st);
    _exit(0);
}

/* A backup says who made it by the name the clerk knows (张建国), not
 * the login; without an account, the actor as it was. */
static void test_made_by_name(void **state)
{
    fixture *f = *state;
    account_login_result res;
    assert_int_equal(account_login(f->t->st, "zhanzhang", "wushe-demo", &res), WS_OK);
    backup_opts o = {0};
    backup_info in, back;
    char written[4096], err[1024];
    assert_int_equal(backup_make(f->t->st, f->dir, &o, &in, written, sizeof written, err,
                                 sizeof err), WS_OK);
    assert_int_equal(backup_verify(written, NULL, &back, err, sizeof err), WS_OK);
    assert_string_equal(back.made_by, "张建国");
}

static void test_backup_while_writing(void **state)
{
    fixture *f = *state;
    int ready;
    pid_t pid = spawn("--write", f->t->path, "400", NULL, &ready);
    char c;
    assert_int_equal(read(ready, &c, 1), 1);
    close(ready);
    enum { MAXB = 12 };
    char files[MAXB][4200];
    int64_t seen[MAXB];
    int nb = 0, status = 0;
    bool running = true;
    while (nb < MAXB && (running || nb < 3)) {
        backup_info in;
        char err[1024];
        /* A page a step: the copy spans many of the writer's commits. */
        backup_opts o = {.backup_dir = f->dir, .passphrase = nb % 3 == 2 ? PASS : NULL,
                         .step_pages = 1, FAST_KDF};
        assert_int_equal(backup_make(f->t->st, f->dir, &o, &in, files[nb], sizeof files[nb], err,
                                     sizeof err), WS_OK);
        seen[nb++] = in.residents;
        if (running && waitpid(pid, &status, WNOHANG) == pid)
            running = false;
    }
    if (running)
        status = child_status(pid) << 8;
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    /* Some backups caught the writer half-way. */
    bool midway = false;
    for (int i = 0; i < nb; i++)
        midway |= seen[i] > 120 && seen[i] < 520;
    assert_true(midway);
    dump final;
    dump_db(f->t->path, &final);
    for (int i = 0; i < nb; i++) {
        char name[64], kept[4200], err[1024];
        snprintf(name, sizeof name, "r%d.db", i);
        char *target = testutil_path(f->dir, name);
        backup_info back;
        backup_opts o = {.passphrase = PASS};
        assert_int_equal(backup_restore(NULL, files[i], target, &o, &back, kept, sizeof kept,
                                        err, sizeof err), WS_OK);
        assert_int_equal(back.residents, seen[i]);
        /* The restored station is whole, and is the station as one commit
         * left it: the writer's residents 0..m-1, each with its audit row
         * and its search terms, and nothing that the station does not
         * have. */
        station *r = NULL;
        assert_int_equal(station_open(target, STATION_TRUSTED, NULL, &r, err, sizeof err), WS_OK);
        station_check_report rep;
        assert_int_equal(station_check(r, &rep), WS_OK);
        assert_true(rep.integrity_ok);
        assert_int_equal(rep.fk_problems, 0);
        station_close(&r);
        sqlite3 *h = NULL;
        assert_int_equal(sqlite3_open_v2(target, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
        int64_t m = testutil_raw_int(h, "SELECT count(*) FROM residents WHERE name LIKE '并发%'",
                                     0);
        assert_int_equal(m, seen[i] - 120);
        assert_int_equal(testutil_raw_int(h,
            "SELECT count(*) FROM residents WHERE name LIKE '并发%'"
            " AND CAST(substr(notes, 2) AS INTEGER) < ?1", m), m);
        assert_int_equal(testutil_raw_int(h,
            "SELECT count(*) FROM residents r WHERE name LIKE '并发%' AND NOT EXISTS"
            " (SELECT 1 FROM audit_log a WHERE a.table_name = 'residents' AND a.row_id = r.id)",
            0), 0);
        assert_int_equal(testutil_raw_int(h,
            "SELECT count(*) FROM audit_log WHERE actor = 'writer'", 0), m);
        /* The FTS index agrees with itself. */
        assert_int_equal(fts_tokenizer_register(h), WS_OK);
        assert_int_equal(sqlite3_exec(h, "INSERT INTO search_fts(search_fts) VALUES"
                                         " ('integrity-check')", NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(h);
        dump got;
        dump_db(target, &got);
        assert_subset(&got, &final);
        /* And the restore is the backup, row for row. */
        if (!backup_is_encrypted(files[i])) {
            dump file;
            dump_db(files[i], &file);
            assert_same_dump(&file, &got);
            dump_free(&file);
        }
        dump_free(&got);
        free(target);
    }
    dump_free(&final);
}

/* ---- encrypted backups ---- */

static void make_encrypted(fixture *f, char *written, size_t writtensz)
{
    backup_info in;
    char err[1024];
    backup_opts o = {.backup_dir = f->dir, .passphrase = PASS, FAST_KDF};
    assert_int_equal(backup_make(f->t->st, f->dir, &o, &in, written, writtensz, err,
                                 sizeof err), WS_OK);
    assert_true(in.encrypted);
    assert_true(backup_is_encrypted(written));
    assert_non_null(strstr(written, "-加密.wushe-backup"));
}

static void test_encrypted_roundtrip(void **state)
{
    fixture *f = *state;
    dump before, after;
    dump_db(f->t->path, &before);
    char written[4200], kept[4200], err[1024];
    make_encrypted(f, written, sizeof written);
    /* Nothing readable in it. */
    FILE *fp = fopen(written, "rb");
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, fp);
    fclose(fp);
    assert_null(memmem(buf, n, "SQLite format 3", 15));
    assert_null(memmem(buf, n, "residents", 9));
    char *target = testutil_path(f->dir, "enc.db");
    backup_info back;
    backup_opts o = {.passphrase = PASS};
    assert_int_equal(backup_verify(written, &o, &back, err, sizeof err), WS_OK);
    assert_int_equal(back.residents, 120);
    assert_int_equal(backup_restore(NULL, written, target, &o, &back, kept, sizeof kept, err,
                                    sizeof err), WS_OK);
    assert_true(back.encrypted);
    dump_db(target, &after);
    assert_same_dump(&before, &after);
    dump_free(&before);
    dump_free(&after);
    free(target);
}

/* Restores that must fail leave the target as it was (here: missing) and
 * nothing beside it. */
static void assert_refused(fixture *f, const char *file, const char *pass, ws_status want,
                           const char *says)
{
    make_sub(f, "t");
    char *target = testutil_path(f->dir, "t/station.db");
    size_t before = count_files(f->dir);
    backup_info back;
    char kept[4200], err[1024];
    backup_opts o = {.passphrase = pass};
    ws_status s = backup_restore(NULL, file, target, &o, &back, kept, sizeof kept, err,
                                 sizeof err);
    if (s != want)
        fail_msg("restore of %s: %s (%s), wanted %s", file, ws_status_name(s), err,
                 ws_status_name(want));
    if (says && !strstr(err, says))
        fail_msg("message \"%s\" does not say \"%s\"", err, says);
    assert_false(exists(target));
    char *tdir = testutil_path(f->dir, "t");
    assert_int_equal(count_files(tdir), 0);
    assert_int_equal(count_files(f->dir), before);
    free(tdir);
    free(target);
}

static void test_wrong_passphrase(void **state)
{
    fixture *f = *state;
    char written[4200];
    make_encrypted(f, written, sizeof written);
    assert_refused(f, written, "桃源 correct horsf", WS_ERR_AUTH, "口令不对");
    assert_refused(f, written, NULL, WS_ERR_AUTH, "需要口令");
}

static void test_damaged(void **state)
{
    fixture *f = *state;
    char written[4200], copy[4300];
    make_encrypted(f, written, sizeof written);
    snprintf(copy, sizeof copy, "%s.x", written);
    long size = file_size(written);
    /* A byte in the middle, in the first chunk, in the last one (which is
     * told as damaged, or as cut short when it is a short chunk: a file
     * cut inside its last chunk looks the same). */
    const long where[] = {size / 2, 100, -5};
    const char *says[] = {"已损坏", "已损坏", "没有恢复任何数据"};
    for (size_t i = 0; i < 3; i++) {
        copy_file(written, copy);
        flip_byte(copy, where[i]);
        assert_refused(f, copy, PASS, WS_ERR_CORRUPT, says[i]);
    }
    /* The header: its KDF settings are checked before any work; its salt
     * changes the key (told as a wrong passphrase: they cannot be told
     * apart); its stream header fails the first chunk. */
    copy_file(written, copy);
    flip_byte(copy, 20);
    assert_refused(f, copy, PASS, WS_ERR_CORRUPT, NULL);
    copy_file(written, copy);
    flip_byte(copy, 40);
    assert_refused(f, copy, PASS, WS_ERR_AUTH, NULL);
    copy_file(written, copy);
    flip_byte(copy, 70);
    assert_refused(f, copy, PASS, WS_ERR_CORRUPT, "已损坏");
    /* Extra bytes after the end (part of the last chunk to the reader,
     * unless that chunk was a whole one). */
    copy_file(written, copy);
    FILE *fp = fopen(copy, "ab");
    fputs("junk", fp);
    fclose(fp);
    assert_refused(f, copy, PASS, WS_ERR_CORRUPT, "没有恢复任何数据");
    unlink(copy);
}

static void test_truncated(void **state)
{
    fixture *f = *state;
    char written[4200], copy[4300];
    make_encrypted(f, written, sizeof written);
    snprintf(copy, sizeof copy, "%s.x", written);
    long size = file_size(written);
    assert_true(size > 88 + 2 * (65536 + 17));
    /* At a chunk's end (every chunk checks out: the FINAL one is missing),
     * inside a chunk, inside the header, nothing at all. */
    const long keep[] = {88 + 65536 + 17, size - 1000, 50, 0};
    const ws_status want[] = {WS_ERR_CORRUPT, WS_ERR_CORRUPT, WS_ERR_CORRUPT, WS_ERR_NOT_DB};
    for (size_t i = 0; i < 4; i++) {
        copy_file(written, copy);
        cut_file(copy, keep[i]);
        assert_refused(f, copy, PASS, want[i], i < 3 ? "不完整" : NULL);
    }
    /* A plain backup cut short fails its check. */
    backup_info in;
    char plain[4200], err[1024];
    backup_opts o = {.backup_dir = f->dir};
    assert_int_equal(backup_make(f->t->st, f->dir, &o, &in, plain, sizeof plain, err,
                                 sizeof err), WS_OK);
    snprintf(copy, sizeof copy, "%s.x", plain);
    copy_file(plain, copy);
    cut_file(copy, file_size(plain) / 2);
    backup_info back;
    char kept[4200];
    make_sub(f, "t");
    char *target = testutil_path(f->dir, "t/station.db");
    assert_int_not_equal(backup_restore(NULL, copy, target, NULL, &back, kept, sizeof kept, err,
                                        sizeof err), WS_OK);
    assert_false(exists(target));
    /* ... and says so, even when only a page is missing: incomplete, copy
     * it again (not "not a backup"). */
    long cuts[] = {file_size(plain) / 2, file_size(plain) - 4096, 60};
    for (size_t i = 0; i < 3; i++) {
        copy_file(plain, copy);
        cut_file(copy, cuts[i]);
        assert_int_equal(backup_restore(NULL, copy, target, NULL, &back, kept, sizeof kept, err,
                                        sizeof err), WS_ERR_CORRUPT);
        assert_non_null(strstr(err, "不完整"));
        assert_non_null(strstr(err, "重新复制"));
        assert_false(exists(target));
    }
    free(target);
    unlink(copy);
}

/* Damage in a plain backup and in the station, said in words: what it
 * means and what to do. */
static void test_damage_messages(void **state)
{
    fixture *f = *state;
    char plain[4200], err[1024], kept[4200], written[4200];
    make_plain(f, plain, sizeof plain);
    char *bad = testutil_path(f->dir, "bad.db");
    copy_file(plain, bad);
    /* An index page's pointers overwritten: integrity_check finds it. */
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(bad, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    int64_t root = testutil_raw_int(h, "SELECT rootpage FROM sqlite_schema WHERE type = 'index'"
                                       " AND tbl_name = 'residents' ORDER BY rootpage LIMIT 1", 0);
    int64_t page = testutil_raw_int(h, "PRAGMA page_size", 0);
    sqlite3_close(h);
    FILE *fp = fopen(bad, "r+b");
    fseek(fp, (long)((root - 1) * page + 8), SEEK_SET);
    fwrite("\xff\xff\xff\xff", 1, 4, fp);
    fclose(fp);
    char *target = testutil_path(f->dir, "t.db");
    backup_info back;
    assert_int_equal(backup_restore(NULL, bad, target, NULL, &back, kept, sizeof kept, err,
                                    sizeof err), WS_ERR_CORRUPT);
    assert_non_null(strstr(err, "已损坏"));
    assert_non_null(strstr(err, "没有恢复任何数据"));
    assert_false(exists(target));
    /* The same damage in a station: the station is said damaged, with
     * what to run. */
    station *st = NULL;
    assert_int_equal(station_open(bad, STATION_TRUSTED, NULL, &st, err, sizeof err), WS_OK);
    backup_opts o = {.backup_dir = f->dir};
    backup_info in;
    char *out = testutil_path(f->dir, "from-bad.wushe-backup");
    assert_int_not_equal(backup_make(st, out, &o, &in, written, sizeof written, err,
                                     sizeof err), WS_OK);
    assert_non_null(strstr(err, "站点文件本身已损坏"));
    assert_non_null(strstr(err, "wushe check"));
    assert_false(exists(out));
    station_close(&st);
    /* A folder that is not there (a stick not plugged in). */
    char *nowhere = testutil_path(f->dir, "no-stick/x.wushe-backup");
    assert_int_not_equal(backup_make(f->t->st, nowhere, &o, &in, written, sizeof written, err,
                                     sizeof err), WS_OK);
    assert_non_null(strstr(err, "不存在"));
    assert_non_null(strstr(err, "插好"));
    assert_null(strstr(err, ".tmp-"));
    free(bad);
    free(target);
    free(out);
    free(nowhere);
}

/* A plain backup with a byte changed where SQLite's own checks cannot see
 * it (a resident's address, free space, the end) is refused as damaged
 * by restore and verify; one with bytes appended too. It stays a file
 * sqlite3 opens, and one without the checksum (an older version's) still
 * restores. */
static void test_plain_checksum(void **state)
{
    fixture *f = *state;
    char plain[4200], copy[4300], err[1024], kept[4200];
    make_plain(f, plain, sizeof plain);
    snprintf(copy, sizeof copy, "%s.x", plain);
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(plain, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    char addr[256] = "";
    testutil_raw_text(h, "SELECT address FROM residents WHERE length(address) > 6 LIMIT 1", 0,
                      addr, sizeof addr);
    assert_true(addr[0] != '\0');
    assert_int_equal(testutil_raw_int(h, "SELECT count(*) FROM residents", -1), 120);
    sqlite3_close(h);
    long n = 0;
    char *bytes = read_all(plain, &n);
    char *at = memmem(bytes, (size_t)n, addr, strlen(addr));
    assert_non_null(at);
    long size = n;
    const long where[] = {(long)(at - bytes) + (long)strlen(addr) - 1, size / 2, -5};
    free(bytes);
    make_sub(f, "t");
    char *target = testutil_path(f->dir, "t/station.db");
    backup_info back;
    for (size_t i = 0; i < 3; i++) {
        copy_file(plain, copy);
        flip_byte(copy, where[i]);
        assert_refused(f, copy, NULL, WS_ERR_CORRUPT, "已损坏");
        assert_int_equal(backup_verify(copy, NULL, &back, err, sizeof err), WS_ERR_CORRUPT);
    }
    copy_file(plain, copy);
    FILE *fp = fopen(copy, "ab");
    fputs("junk", fp);
    fclose(fp);
    assert_refused(f, copy, NULL, WS_ERR_CORRUPT, "多出了数据");
    /* Cut inside the trailer (a copy interrupted): incomplete, not
     * tampered with (trial C §16). */
    const long cuts[] = {20, 40, 47, 1};
    for (size_t i = 0; i < 4; i++) {
        copy_file(plain, copy);
        cut_file(copy, size - cuts[i]);
        assert_refused(f, copy, NULL, WS_ERR_CORRUPT, "不完整（被截断）");
        assert_int_equal(backup_verify(copy, NULL, &back, err, sizeof err), WS_ERR_CORRUPT);
        assert_non_null(strstr(err, "不完整（被截断）"));
        assert_null(strstr(err, "改动"));
    }
    /* Without the trailer (48 bytes): as an older version made it. */
    copy_file(plain, copy);
    cut_file(copy, size - 48);
    assert_int_equal(backup_restore(NULL, copy, target, NULL, &back, kept, sizeof kept, err,
                                    sizeof err), WS_OK);
    assert_int_equal(back.residents, 120);
    assert_true(back.unverified); /* said: only the structure was checked */
    assert_int_equal(backup_verify(copy, NULL, &back, err, sizeof err), WS_OK);
    assert_true(back.unverified);
    /* The untouched one restores, and verifies. */
    assert_int_equal(backup_verify(plain, NULL, &back, err, sizeof err), WS_OK);
    assert_false(back.unverified);
    unlink(copy);
    free(target);
}

/* A target that is not there is a file only when named as a backup
 * (.wushe-backup); anything else is a folder that must exist: a stick not
 * plugged in, never a file of its name on the PC's disk. */
static void test_missing_folder_not_a_file(void **state)
{
    fixture *f = *state;
    backup_opts o = {.backup_dir = f->dir};
    backup_info in;
    char written[4200], err[1024];
    char *usb = testutil_path(f->dir, "usb");
    char *slash = testutil_path(f->dir, "usb/");
    const char *const tries[] = {usb, slash};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(backup_make(f->t->st, tries[i], &o, &in, written, sizeof written, err,
                                     sizeof err), WS_ERR_IO);
        assert_non_null(strstr(err, "不存在"));
        assert_non_null(strstr(err, "插好"));
        assert_non_null(strstr(err, usb));
        assert_false(exists(usb));
        assert_string_equal(written, "");
    }
    /* Named as a backup: a file of that name. */
    char *file = testutil_path(f->dir, "mine.wushe-backup");
    assert_int_equal(backup_make(f->t->st, file, &o, &in, written, sizeof written, err,
                                 sizeof err), WS_OK);
    assert_string_equal(written, file);
    assert_true(file_size(file) > 0);
    free(usb);
    free(slash);
    free(file);
}

/* A stick's folder with no stick mounted on it is a folder on the PC's
 * own disk: refused, nothing written, no folder made, whether named or
 * configured as the backup folder (trial C §2). */
static void test_stick_not_plugged_in(void **state)
{
    fixture *f = *state;
    char *root = testutil_path(f->dir, "root");
    char *media = testutil_path(root, "media");
    char *usb = testutil_path(media, "usb");
    char *bdir = testutil_path(usb, "五社备份");
    assert_int_equal(mkdir(root, 0700), 0);
    assert_int_equal(mkdir(media, 0700), 0);
    assert_int_equal(mkdir(usb, 0700), 0);
    backup_opts o = {.backup_dir = bdir, .mount_root = root};
    backup_info in;
    char written[4200], err[1024];
    /* the configured folder (the console's way), the stick's folder, a
     * file on it */
    char *file = testutil_path(usb, "a.wushe-backup");
    const char *const tries[] = {NULL, usb, file, bdir};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(backup_make(f->t->st, tries[i], &o, &in, written, sizeof written, err,
                                     sizeof err), WS_ERR_NOT_FOUND);
        assert_non_null(strstr(err, "U 盘没有插好（/media/usb 上没有挂载 U 盘）"));
        assert_string_equal(written, "");
        assert_int_equal(count_files(usb), 0);
        assert_false(exists(bdir));
    }
    /* Mounted now (the mount table says): written there. */
    char *proc = testutil_path(root, "proc");
    char *self = testutil_path(proc, "self");
    char *mounts = testutil_path(self, "mounts");
    assert_int_equal(mkdir(proc, 0700), 0);
    assert_int_equal(mkdir(self, 0700), 0);
    FILE *m = fopen(mounts, "w");
    assert_non_null(m);
    fputs("/dev/vda1 / ext4 rw 0 0\n/dev/sdb1 /media/usb vfat rw 0 0\n", m);
    fclose(m);
    assert_int_equal(backup_make(f->t->st, NULL, &o, &in, written, sizeof written, err,
                                 sizeof err), WS_OK);
    assert_true(exists(written));
    assert_int_equal(strncmp(written, bdir, strlen(bdir)), 0);
    free(file);
    free(mounts);
    free(self);
    free(proc);
    free(bdir);
    free(usb);
    free(media);
    free(root);
}

/* A passphrase of only spaces, or with a space at an end (invisible in
 * the console's dots), is refused; nothing written (trial C §19). */
static void test_passphrase_blanks(void **state)
{
    fixture *f = *state;
    backup_info in;
    char written[4200], err[1024];
    const char *const bad[] = {"        ", "\t\t\t\t\t\t\t\t", "\xe3\x80\x80\xe3\x80\x80\xe3\x80\x80",
                               " 桃源 correct horse", "桃源 correct horse ",
                               "桃源 correct horse\xe3\x80\x80"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        backup_opts o = {.passphrase = bad[i], .backup_dir = f->dir, FAST_KDF};
        assert_int_equal(backup_make(f->t->st, NULL, &o, &in, written, sizeof written, err,
                                     sizeof err), WS_ERR_INVALID);
        assert_non_null(strstr(err, i < 3 ? "只有空格" : "开头或末尾有空格"));
        assert_int_equal(count_files(f->dir), 0);
    }
    assert_null(backup_passphrase_problem(PASS)); /* spaces inside are fine */
    assert_null(backup_passphrase_problem(NULL));
}

/* Whether s is whole UTF-8 (no sequence cut). */
static bool utf8_whole(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        int n = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3
                : (*p & 0xF8) == 0xF0 ? 4 : 0;
        if (!n)
            return false;
        for (int i = 1; i < n; i++)
            if ((p[i] & 0xC0) != 0x80)
                return false;
        p += n;
    }
    return true;
}

/* A station name longer than the backup's messages hold is cut after a
 * whole character and marked, never inside one (trial C §20). */
static void test_long_station_name(void **state)
{
    fixture *f = *state;
    char name[1200] = "";
    for (int i = 0; i < 5; i++)
        strcat(name, "四川省南充市顺庆区青石镇社会工作服务站");
    for (int shift = 0; shift < 3; shift++) {
        char named[1300];
        snprintf(named, sizeof named, "%.*s%s", shift, "abc", name);
        assert_int_equal(db_setting_set(station_db(f->t->st), "station_name", named), WS_OK);
        backup_opts o = {.backup_dir = f->dir};
        backup_info in;
        char written[4200], err[1024];
        assert_int_equal(backup_make(f->t->st, NULL, &o, &in, written, sizeof written, err,
                                     sizeof err), WS_OK);
        assert_true(utf8_whole(in.station));
        size_t n = strlen(in.station);
        assert_true(n > 100 && n < sizeof in.station);
        assert_string_equal(in.station + n - strlen("…"), "…");
        backup_info v;
        assert_int_equal(backup_verify(written, NULL, &v, err, sizeof err), WS_OK);
        assert_true(utf8_whole(v.station));
        assert_string_equal(v.station, in.station);
    }
}

/* ---- versions ---- */

static void test_newer_schema_refused(void **state)
{
    fixture *f = *state;
    backup_info in;
    char plain[4200], err[1024];
    backup_opts o = {.backup_dir = f->dir};
    assert_int_equal(backup_make(f->t->st, f->dir, &o, &in, plain, sizeof plain, err,
                                 sizeof err), WS_OK);
    /* Changed by hand, so without its checksum (an older version's). */
    cut_file(plain, file_size(plain) - 48);
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(plain, &h), SQLITE_OK);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", in.schema_version + 1);
    assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    assert_refused(f, plain, NULL, WS_ERR_TOO_NEW, "请先升级五社");
    /* An encrypted file of a newer format. */
    char enc[4200];
    make_encrypted(f, enc, sizeof enc);
    FILE *fp = fopen(enc, "r+b");
    fseek(fp, 8, SEEK_SET);
    fputc(2, fp);
    fclose(fp);
    assert_refused(f, enc, PASS, WS_ERR_TOO_NEW, "较新版本");
    /* Not a backup at all. */
    char *junk = testutil_path(f->dir, "junk.wushe-backup");
    fp = fopen(junk, "wb");
    fputs("姓名,性别\n张三,男\n", fp);
    fclose(fp);
    assert_refused(f, junk, NULL, WS_ERR_NOT_DB, "不是五社的备份文件");
    free(junk);
}

/* ---- restoring over a station ---- */

static void test_restore_keeps_and_refuses_open(void **state)
{
    fixture *f = *state;
    backup_info in, back;
    char plain[4200], err[1024], kept[4200];
    backup_opts o = {.backup_dir = f->dir};
    assert_int_equal(backup_make(f->t->st, f->dir, &o, &in, plain, sizeof plain, err,
                                 sizeof err), WS_OK);
    /* The station changes after the backup. */
    resident r;
    resident_init(&r);
    snprintf(r.name, sizeof r.name, "备份后登记");
    field_error fe;
    assert_int_equal(resident_save(f->t->st, &r, &fe), WS_OK);

    /* Another process has the station open (as a console has): refused,
     * nothing changed, nothing kept. */
    int ready, done;
    pid_t pid = spawn("--hold", f->t->path, NULL, &done, &ready);
    char c;
    if (read(ready, &c, 1) != 1)
        fail_msg("the process holding the station failed: %d", child_status(pid));
    close(ready);
    testutil_station *t = f->t;
    size_t files = count_files(t->dir);
    /* The 站长 asks: the station's own connection is handed over. */
    station *st = NULL;
    assert_int_equal(station_open(t->path, 0, NULL, &st, err, sizeof err), WS_OK);
    account_login_result res;
    assert_int_equal(account_login(st, "zhanzhang", "wushe-demo", &res), WS_OK);
    station_close(&t->st); /* the fixture's own connection */
    dump changed;
    dump_db(t->path, &changed);
    assert_int_equal(backup_restore(&st, plain, t->path, NULL, &back, kept, sizeof kept, err,
                                    sizeof err), WS_ERR_BUSY);
    assert_null(st);
    assert_non_null(strstr(err, "正被打开着"));
    assert_int_equal(count_files(t->dir), files);
    close(done); /* the holder closes the station and ends */
    assert_int_equal(child_status(pid), 0);
    dump now;
    dump_db(t->path, &now);
    assert_same_dump(&changed, &now);
    dump_free(&now);

    /* A 社工 may not restore. */
    assert_int_equal(station_open(t->path, 0, NULL, &st, err, sizeof err), WS_OK);
    assert_int_equal(account_login(st, "shegong", "wushe-demo", &res), WS_OK);
    assert_int_equal(backup_restore(&st, plain, t->path, NULL, &back, kept, sizeof kept, err,
                                    sizeof err), WS_ERR_DENIED);
    assert_null(st);
    /* Nobody: not over a station that has accounts. */
    assert_int_equal(backup_restore(NULL, plain, t->path, NULL, &back, kept, sizeof kept, err,
                                    sizeof err), WS_ERR_DENIED);

    /* Closed: restored, and what was there is kept beside it. */
    assert_int_equal(station_open(t->path, 0, NULL, &st, err, sizeof err), WS_OK);
    assert_int_equal(account_login(st, "zhanzhang", "wushe-demo", &res), WS_OK);
    dump_free(&changed);
    dump_db(t->path, &changed);
    assert_int_equal(backup_restore(&st, plain, t->path, NULL, &back, kept, sizeof kept, err,
                                    sizeof err), WS_OK);
    assert_null(st);
    assert_non_null(strstr(kept, "station.db.before-restore-"));
    dump old, restored;
    dump_db(kept, &old);
    assert_same_dump(&changed, &old);
    dump_db(t->path, &restored);
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(t->path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(testutil_raw_int(h, "SELECT count(*) FROM residents WHERE name = '备份后登记'",
                                      0), 0);
    assert_int_equal(testutil_raw_int(h, "SELECT count(*) FROM access_log WHERE event = 'restore'"
                                         " AND login = 'zhanzhang'", 0), 1);
    sqlite3_close(h);
    dump_free(&old);
    dump_free(&restored);
    dump_free(&changed);
    /* The fixture's connection again, for its teardown. */
    assert_int_equal(station_open(t->path, STATION_TRUSTED, NULL, &t->st, err, sizeof err), WS_OK);
}

/* ---- restores that must not lose a station ---- */

/* A plain backup of the fixture's station in f->dir; its path in out. */
/* A restore keeps the access log: an unmasked export made after the
 * backup is still in the restored station's log, once. */
static void test_restore_keeps_access_log(void **state)
{
    fixture *f = *state;
    char plain[4200], err[1024], kept[4200];
    make_plain(f, plain, sizeof plain);
    testutil_station *t = f->t;
    int64_t id = 0;
    assert_int_equal(access_log(t->st, &(access_entry){.event = EV_EXPORT, .table = "residents",
                                                      .rows = 120, .id_out = &id,
                                                      .detail = "{\"file\":\"after.csv\"}"}),
                     WS_OK);
    station_close(&t->st);
    station *st = NULL;
    assert_int_equal(station_open(t->path, 0, NULL, &st, err, sizeof err), WS_OK);
    account_login_result res;
    assert_int_equal(account_login(st, "zhanzhang", "wushe-demo", &res), WS_OK);
    backup_info back;
    assert_int_equal(backup_restore(&st, plain, t->path, NULL, &back, kept, sizeof kept, err,
                                    sizeof err), WS_OK);
    assert_true(back.access_carried >= 2); /* the export and the login */
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(t->path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(testutil_raw_int(h, "SELECT count(*) FROM access_log WHERE id = ?1", id), 1);
    assert_int_equal(testutil_raw_int(h, "SELECT count(*) FROM access_log WHERE event = 'export'"
                                         " AND detail LIKE '%after.csv%'", 0), 1);
    /* Nothing twice: what the backup had is there once. */
    assert_int_equal(testutil_raw_int(h, "SELECT count(*) - count(DISTINCT id) FROM access_log",
                                      0), 0);
    sqlite3_close(h);
    /* Restored again (the same backup over the restored station): the
     * carried rows stay, nothing doubles. */
    assert_int_equal(station_open(t->path, 0, NULL, &st, err, sizeof err), WS_OK);
    assert_int_equal(account_login(st, "zhanzhang", "wushe-demo", &res), WS_OK);
    assert_int_equal(backup_restore(&st, plain, t->path, NULL, &back, kept, sizeof kept, err,
                                    sizeof err), WS_OK);
    assert_int_equal(sqlite3_open_v2(t->path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(testutil_raw_int(h, "SELECT count(*) FROM access_log WHERE id = ?1", id), 1);
    assert_int_equal(testutil_raw_int(h, "SELECT count(*) FROM access_log WHERE event = 'restore'",
                                      0), 2);
    sqlite3_close(h);
}

typedef struct asked {
    int times, answer;
    backup_info backup, current;
} asked;

static int ask_restore(void *ctx, const backup_info *backup, const backup_info *current)
{
    asked *a = ctx;
    a->times++;
    a->backup = *backup;
    a->current = *current;
    return a->answer;
}

static ws_status restore_as_head(fixture *f, const char *file, asked *a)
{
    station *st = NULL;
    char err[1024], kept[4200];
    assert_int_equal(station_open(f->t->path, 0, NULL, &st, err, sizeof err), WS_OK);
    account_login_result res;
    assert_int_equal(account_login(st, "zhanzhang", "wushe-demo", &res), WS_OK);
    backup_opts o = {.confirm = ask_restore, .confirm_ctx = a};
    backup_info back;
    return backup_restore(&st, file, f->t->path, &o, &back, kept, sizeof kept, err, sizeof err);
}

/* A restore gives back data, never access: an account disabled since the
 * backup stays disabled, a password changed since keeps the new one (the
 * old, perhaps leaked, no longer works), an account made since is kept as
 * it was; said before (the question) and after (trial C §14). */
static void test_restore_keeps_account_security(void **state)
{
    fixture *f = *state;
    char plain[4200], err[1024], kept[4200];
    make_plain(f, plain, sizeof plain);
    station *st = f->t->st;
    account_login_result res;
    assert_int_equal(account_login(st, "zhanzhang", "wushe-demo", &res), WS_OK);
    account a;
    record_error re;
    assert_int_equal(account_find(st, "luru", &a), WS_OK);
    assert_int_equal(account_set_active(st, a.id, false, &re), WS_OK);
    assert_int_equal(account_find(st, "shegong", &a), WS_OK);
    assert_int_equal(account_reset_password(st, a.id, "new-secret-2026", &re), WS_OK);
    account n;
    account_init(&n);
    snprintf(n.login, sizeof n.login, "xinren");
    snprintf(n.display_name, sizeof n.display_name, "王新");
    snprintf(n.role, sizeof n.role, "clerk");
    assert_int_equal(account_create(st, &n, "xinren-pass-1", &re), WS_OK);
    /* asked first: what will be kept */
    asked q = {.answer = 0};
    backup_opts o = {.confirm = ask_restore, .confirm_ctx = &q};
    backup_info back;
    assert_int_equal(backup_restore(&f->t->st, plain, f->t->path, &o, &back, kept, sizeof kept,
                                    err, sizeof err), WS_OK);
    assert_int_equal(q.times, 1);
    assert_int_equal(q.backup.accounts_disabled_n, 1);
    assert_string_equal(q.backup.accounts_disabled, "luru（刘敏）");
    assert_int_equal(q.backup.passwords_kept, 1);
    assert_int_equal(q.backup.accounts_added_n, 1);
    assert_string_equal(q.backup.accounts_added, "xinren（王新）");
    /* and done */
    assert_string_equal(back.accounts_disabled, "luru（刘敏）");
    assert_int_equal(back.passwords_kept, 1);
    assert_string_equal(back.accounts_added, "xinren（王新）");
    station *r = NULL;
    assert_int_equal(station_open(f->t->path, 0, NULL, &r, err, sizeof err), WS_OK);
    assert_int_equal(account_login(r, "luru", "wushe-demo", &res), WS_ERR_DISABLED);
    assert_int_equal(account_login(r, "shegong", "wushe-demo", &res), WS_ERR_AUTH);
    assert_int_equal(account_login(r, "shegong", "new-secret-2026", &res), WS_OK);
    assert_true(res.must_change);
    assert_int_equal(account_login(r, "xinren", "xinren-pass-1", &res), WS_OK);
    assert_int_equal(account_login(r, "dudao", "wushe-demo", &res), WS_OK);
    station_close(&r);
    /* Restored again over the restored one: nothing more to keep, nothing
     * doubled. */
    assert_int_equal(station_open(f->t->path, 0, NULL, &r, err, sizeof err), WS_OK);
    assert_int_equal(account_login(r, "zhanzhang", "wushe-demo", &res), WS_OK);
    assert_int_equal(backup_restore(&r, plain, f->t->path, NULL, &back, kept, sizeof kept, err,
                                    sizeof err), WS_OK);
    assert_int_equal(back.accounts_disabled_n, 1);
    assert_int_equal(back.passwords_kept, 1);
    assert_int_equal(back.accounts_added_n, 1);
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(f->t->path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(testutil_raw_int(h, "SELECT count(*) FROM accounts WHERE login = 'xinren'",
                                      0), 1);
    assert_int_equal(testutil_raw_int(h, "SELECT active FROM accounts WHERE login = 'luru'", 0),
                     0);
    sqlite3_close(h);
}

/* A restore over a station with work after the backup, or over another
 * station, is asked first with what it replaces; declined, nothing
 * changes. A backup of the station as it is is not asked. */
static void test_restore_asks(void **state)
{
    fixture *f = *state;
    char plain[4200];
    make_plain(f, plain, sizeof plain);
    station_close(&f->t->st);
    asked a = {0};
    assert_int_equal(restore_as_head(f, plain, &a), WS_OK);
    assert_int_equal(a.times, 0);
    /* Work after the backup. */
    char err[1024];
    assert_int_equal(station_open(f->t->path, STATION_TRUSTED, NULL, &f->t->st, err, sizeof err),
                     WS_OK);
    resident r;
    resident_init(&r);
    snprintf(r.name, sizeof r.name, "备份后登记");
    field_error fe;
    assert_int_equal(resident_save(f->t->st, &r, &fe), WS_OK);
    station_close(&f->t->st);
    a.answer = 1;
    assert_int_equal(restore_as_head(f, plain, &a), WS_ERR_INVALID);
    assert_int_equal(a.times, 1);
    assert_int_equal(a.current.residents, a.backup.residents + 1);
    assert_true(a.current.made_at[0] != '\0');
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(f->t->path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(testutil_raw_int(h, "SELECT count(*) FROM residents WHERE name = '备份后登记'",
                                      0), 1);
    sqlite3_close(h);
    a.answer = 0;
    assert_int_equal(restore_as_head(f, plain, &a), WS_OK);
    assert_int_equal(a.times, 2);
    /* Another station's backup. */
    char *other = testutil_path(f->dir, "other.wushe-backup");
    copy_file(plain, other);
    cut_file(other, file_size(other) - 48); /* edited by hand: no checksum */
    assert_int_equal(sqlite3_open(other, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "UPDATE settings SET value = '柳河镇社会工作服务站'"
                                     " WHERE key IN ('station_name', 'backup_station')",
                                  NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    a.answer = 1;
    assert_int_equal(restore_as_head(f, other, &a), WS_ERR_INVALID);
    assert_int_equal(a.times, 3);
    assert_string_equal(a.backup.station, "柳河镇社会工作服务站");
    assert_string_not_equal(a.current.station, "柳河镇社会工作服务站");
    free(other);
}

static void make_plain(fixture *f, char *out, size_t outsz)
{
    backup_info in;
    char err[1024];
    backup_opts o = {.backup_dir = f->dir};
    assert_int_equal(backup_make(f->t->st, f->dir, &o, &in, out, outsz, err, sizeof err),
                     WS_OK);
}

static void *read_all(const char *path, long *n)
{
    *n = file_size(path);
    assert_true(*n >= 0);
    char *buf = malloc((size_t)*n + 1);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    assert_int_equal(fread(buf, 1, (size_t)*n, fp), (size_t)*n);
    fclose(fp);
    return buf;
}

static void assert_same_bytes(const char *path, const void *want, long n)
{
    long m;
    void *got = read_all(path, &m);
    assert_int_equal(m, n);
    assert_memory_equal(got, want, (size_t)n);
    free(got);
}

/* A console that crashed: a committed change still in the -wal (no
 * checkpoint), the connection never closed. */
static void crash_with_wal(const char *path)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        sqlite3 *h = NULL;
        if (sqlite3_open(path, &h) != SQLITE_OK ||
            sqlite3_exec(h, "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;"
                            " INSERT INTO settings(key, value) VALUES ('crash_test', 'kept')",
                         NULL, NULL, NULL) != SQLITE_OK)
            _exit(1);
        _exit(0);
    }
    assert_int_equal(child_status(pid), 0);
}

/* "Rename the damaged station, then restore": the -wal it left under the
 * old name is refused, nothing touched; renamed with it, it is kept. */
static void test_restore_refuses_leftover_wal(void **state)
{
    fixture *f = *state;
    char plain[4200], err[1024], kept[4200];
    make_plain(f, plain, sizeof plain);
    char *st = testutil_path(f->dir, "st.db"), *moved = testutil_path(f->dir, "st-damaged.db");
    copy_file(plain, st);
    crash_with_wal(st);
    char wal[4300], shm[4300], moved_wal[4300], moved_shm[4300];
    snprintf(wal, sizeof wal, "%s-wal", st);
    snprintf(shm, sizeof shm, "%s-shm", st);
    snprintf(moved_wal, sizeof moved_wal, "%s-wal", moved);
    snprintf(moved_shm, sizeof moved_shm, "%s-shm", moved);
    long wal_n;
    void *wal_bytes = read_all(wal, &wal_n);
    assert_true(wal_n > 0);
    assert_int_equal(rename(st, moved), 0);
    size_t files = count_files(f->dir);
    backup_info back;
    assert_int_equal(backup_restore(NULL, plain, st, NULL, &back, kept, sizeof kept, err,
                                    sizeof err), WS_ERR_BUSY);
    assert_non_null(strstr(err, "st.db-wal"));
    assert_non_null(strstr(err, "没有恢复任何数据"));
    assert_false(exists(st));
    assert_same_bytes(wal, wal_bytes, wal_n);
    assert_int_equal(count_files(f->dir), files);
    /* An empty file under the name is no different. */
    FILE *fp = fopen(st, "w");
    fclose(fp);
    assert_int_equal(backup_restore(NULL, plain, st, NULL, &back, kept, sizeof kept, err,
                                    sizeof err), WS_ERR_BUSY);
    assert_int_equal(file_size(st), 0);
    assert_same_bytes(wal, wal_bytes, wal_n);
    unlink(st);
    /* Renamed with its station: the change is there, and the restore goes. */
    assert_int_equal(rename(wal, moved_wal), 0);
    assert_int_equal(rename(shm, moved_shm), 0);
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(moved, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(testutil_raw_int(h, "SELECT count(*) FROM settings WHERE key = 'crash_test'"
                                         " AND value = 'kept'", 0), 1);
    sqlite3_close(h);
    assert_int_equal(backup_restore(NULL, plain, st, NULL, &back, kept, sizeof kept, err,
                                    sizeof err), WS_OK);
    assert_int_equal(sqlite3_open_v2(st, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(testutil_raw_int(h, "SELECT count(*) FROM residents", 0), 120);
    assert_int_equal(testutil_raw_int(h, "SELECT count(*) FROM settings WHERE key = 'crash_test'",
                                      0), 0);
    sqlite3_close(h);
    free(wal_bytes);
    free(st);
    free(moved);
}

/* An empty file (README: may be restored onto) becomes the station. */
static void test_restore_onto_empty_file(void **state)
{
    fixture *f = *state;
    char plain[4200], err[1024], kept[4200];
    make_plain(f, plain, sizeof plain);
    char *e = testutil_path(f->dir, "e.db");
    FILE *fp = fopen(e, "w");
    fclose(fp);
    backup_info back;
    assert_int_equal(backup_restore(NULL, plain, e, NULL, &back, kept, sizeof kept, err,
                                    sizeof err), WS_OK);
    assert_string_equal(kept, "");
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(e, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(testutil_raw_int(h, "SELECT count(*) FROM residents", 0), 120);
    sqlite3_close(h);
    free(e);
}

/* A restore into a folder that is not there is refused, naming the
 * folder, and makes nothing: a typo must not start a stray station. */
static void test_restore_refuses_missing_folder(void **state)
{
    fixture *f = *state;
    char plain[4200], err[1024], kept[4200];
    make_plain(f, plain, sizeof plain);
    char *folder = testutil_path(f->dir, "stationz/new");
    char *target = testutil_path(f->dir, "stationz/new/station.db");
    size_t before = count_files(f->dir);
    backup_info back;
    assert_int_equal(backup_restore(NULL, plain, target, NULL, &back, kept, sizeof kept, err,
                                    sizeof err), WS_ERR_IO);
    assert_non_null(strstr(err, folder));
    assert_non_null(strstr(err, "不存在"));
    assert_non_null(strstr(err, "没有恢复任何数据"));
    assert_null(strstr(err, ".tmp-"));
    assert_false(exists(folder));
    assert_int_equal(count_files(f->dir), before);
    /* A path whose folder is a file: refused the same way. */
    char *notdir = testutil_path(f->dir, "file/station.db");
    char *file = testutil_path(f->dir, "file");
    FILE *fp = fopen(file, "w");
    fclose(fp);
    assert_int_equal(backup_restore(NULL, plain, notdir, NULL, &back, kept, sizeof kept, err,
                                    sizeof err), WS_ERR_IO);
    assert_non_null(strstr(err, file));
    /* Once the folder is made, the restore goes there. */
    char *top = testutil_path(f->dir, "stationz");
    assert_int_equal(mkdir(top, 0700), 0);
    assert_int_equal(mkdir(folder, 0700), 0);
    assert_int_equal(backup_restore(NULL, plain, target, NULL, &back, kept, sizeof kept, err,
                                    sizeof err), WS_OK);
    assert_true(file_size(target) > 0);
    free(top);
    free(file);
    free(notdir);
    free(folder);
    free(target);
}

/* A station path that is a symbolic link: the file it points to is
 * restored (the one every console opens), the link stays a link, the old
 * station is kept beside the real file, and the file restored is said. */
static void test_restore_through_symlink(void **state)
{
    fixture *f = *state;
    char plain[4200], err[1024], kept[4200];
    make_plain(f, plain, sizeof plain);
    testutil_station *t = f->t;
    resident r;
    resident_init(&r);
    snprintf(r.name, sizeof r.name, "备份后登记");
    field_error fe;
    assert_int_equal(resident_save(t->st, &r, &fe), WS_OK);
    char *link_path = testutil_path(f->dir, "link.db");
    assert_int_equal(symlink(t->path, link_path), 0);
    station_close(&t->st);
    station *st = NULL;
    assert_int_equal(station_open(link_path, 0, NULL, &st, err, sizeof err), WS_OK);
    account_login_result res;
    assert_int_equal(account_login(st, "zhanzhang", "wushe-demo", &res), WS_OK);
    backup_info back;
    assert_int_equal(backup_restore(&st, plain, link_path, NULL, &back, kept, sizeof kept, err,
                                    sizeof err), WS_OK);
    assert_null(st);
    struct stat sb;
    assert_int_equal(lstat(link_path, &sb), 0);
    assert_true(S_ISLNK(sb.st_mode));
    char real[PATH_MAX];
    assert_non_null(realpath(t->path, real));
    assert_string_equal(back.restored_to, real);
    /* Kept beside the real file, not beside the link. */
    char prefix[PATH_MAX + 32];
    snprintf(prefix, sizeof prefix, "%s.before-restore-", real);
    assert_true(strncmp(kept, prefix, strlen(prefix)) == 0);
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(t->path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(testutil_raw_int(h, "SELECT count(*) FROM residents WHERE name = '备份后登记'",
                                      -1), 0);
    sqlite3_close(h);
    assert_int_equal(sqlite3_open_v2(kept, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(testutil_raw_int(h, "SELECT count(*) FROM residents WHERE name = '备份后登记'",
                                      -1), 1);
    sqlite3_close(h);
    /* A link to nothing: refused, nothing made where it points. */
    char *dangling = testutil_path(f->dir, "dangling.db");
    char *nowhere = testutil_path(f->dir, "gone.db");
    assert_int_equal(symlink(nowhere, dangling), 0);
    assert_int_equal(backup_restore(NULL, plain, dangling, NULL, &back, kept, sizeof kept, err,
                                    sizeof err), WS_ERR_IO);
    assert_non_null(strstr(err, nowhere));
    assert_false(exists(nowhere));
    assert_int_equal(lstat(dangling, &sb), 0);
    assert_true(S_ISLNK(sb.st_mode));
    free(dangling);
    free(nowhere);
    free(link_path);
    assert_int_equal(station_open(t->path, STATION_TRUSTED, NULL, &t->st, err, sizeof err), WS_OK);
}

/* ---- messages name what the clerk typed ----
 *
 * A copy that reads back wrong (a failing stick): an SQLite VFS over the
 * default one damages page 1 as read by the second opening of a backup's
 * temporary copy (the first writes it, the second checks it). */

static sqlite3_vfs bad_vfs, *bad_real;
static sqlite3_io_methods bad_methods;
static const sqlite3_io_methods *bad_orig;
static int bad_opens;

static int bad_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
    int rc = bad_orig->xRead(f, buf, n, off);
    if (rc == SQLITE_OK && off == 0 && n >= 108)
        memset((char *)buf + 100, 0xff, 8); /* the schema page's header */
    return rc;
}

static int bad_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f, int flags,
                    int *out)
{
    (void)vfs;
    int rc = bad_real->xOpen(bad_real, name, f, flags, out);
    if (rc == SQLITE_OK && name && (flags & SQLITE_OPEN_MAIN_DB) && f->pMethods &&
        strstr(name, ".wushe-backup.tmp-") && ++bad_opens == 2) {
        bad_orig = f->pMethods;
        bad_methods = *f->pMethods;
        bad_methods.xRead = bad_read;
        f->pMethods = &bad_methods;
    }
    return rc;
}

static void test_check_failure_names_the_place(void **state)
{
    fixture *f = *state;
    bad_real = sqlite3_vfs_find(NULL);
    bad_vfs = *bad_real;
    bad_vfs.zName = "bad-read-back";
    bad_vfs.xOpen = bad_open;
    bad_opens = 0;
    assert_int_equal(sqlite3_vfs_register(&bad_vfs, 1), SQLITE_OK);
    char *stick = testutil_path(f->dir, "stick");
    assert_int_equal(mkdir(stick, 0700), 0);
    backup_opts o = {.backup_dir = f->dir};
    backup_info in;
    char written[4200], err[2048];
    ws_status s = backup_make(f->t->st, stick, &o, &in, written, sizeof written, err,
                              sizeof err);
    sqlite3_vfs_unregister(&bad_vfs);
    sqlite3_vfs_register(bad_real, 1);
    assert_int_equal(bad_opens, 2);
    assert_int_not_equal(s, WS_OK);
    if (strstr(err, ".tmp-") || !strstr(err, stick))
        fail_msg("the message does not name %s: %s", stick, err);
    assert_non_null(strstr(err, "没有留下备份文件"));
    if (strstr(err, "恢复"))
        fail_msg("a restore's words: %s", err);
    assert_int_equal(count_files(stick), 0);
    free(stick);
}

/* ---- Ctrl-C during a backup or a restore ---- */

static volatile sig_atomic_t test_stop;

static void test_stop_handler(int sig)
{
    test_stop = sig;
}

/* A progress callback that sends the process SIGINT once the job's total
 * reaches min_total (the copy counts pages, sealing and staging bytes). */
typedef struct interrupter {
    int64_t min_total;
    int calls;
} interrupter;

static void interrupt_progress(void *ctx, int64_t done, int64_t total)
{
    interrupter *it = ctx;
    (void)done;
    if (total >= it->min_total && ++it->calls == 2)
        raise(SIGINT);
}

/* Temporary files of ours in dir. */
static size_t count_tmp(const char *dir)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += strstr(e->d_name, ".tmp-") != NULL;
    if (d)
        closedir(d);
    return n;
}

static void test_interrupted_leaves_nothing(void **state)
{
    fixture *f = *state;
    testutil_station *t = f->t;
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = test_stop_handler;
    sigemptyset(&sa.sa_mask);
    assert_int_equal(sigaction(SIGINT, &sa, &old), 0);
    backup_info in;
    char written[4200], err[1024], kept[4200];
    size_t files = count_files(f->dir), station_files = count_files(t->dir);
    /* Plain, while the pages are copied; encrypted, while it is sealed. */
    const int64_t at[] = {1, 100000};
    for (size_t i = 0; i < 2; i++) {
        interrupter it = {.min_total = at[i]};
        test_stop = 0;
        backup_opts o = {.backup_dir = f->dir, .step_pages = 1, .progress = interrupt_progress,
                         .ctx = &it, .stop = &test_stop};
        if (i == 1) {
            o.passphrase = PASS;
            o.kdf_ops = 1;
            o.kdf_mem = 8192;
        }
        assert_int_equal(backup_make(t->st, f->dir, &o, &in, written, sizeof written, err,
                                     sizeof err), WS_ERR_INVALID);
        assert_int_equal(test_stop, SIGINT);
        assert_non_null(strstr(err, "备份已中断"));
        assert_non_null(strstr(err, "没有留下不完整的文件"));
        assert_string_equal(written, "");
        assert_int_equal(count_files(f->dir), files);
        assert_int_equal(count_tmp(f->dir), 0);
        assert_int_equal(count_tmp(t->dir), 0);
        assert_int_equal(count_files(t->dir), station_files);
    }
    /* A restore stopped while the backup is staged: nothing restored,
     * nothing kept, nothing left. */
    char plain[4200];
    make_plain(f, plain, sizeof plain);
    files = count_files(f->dir);
    dump before, now;
    station *st = NULL;
    assert_int_equal(station_open(t->path, 0, NULL, &st, err, sizeof err), WS_OK);
    account_login_result res;
    assert_int_equal(account_login(st, "zhanzhang", "wushe-demo", &res), WS_OK);
    station_close(&t->st);
    dump_db(t->path, &before);
    interrupter it = {.min_total = 1};
    test_stop = 0;
    backup_opts o = {.progress = interrupt_progress, .ctx = &it, .stop = &test_stop};
    backup_info back;
    assert_int_equal(backup_restore(&st, plain, t->path, &o, &back, kept, sizeof kept, err,
                                    sizeof err), WS_ERR_INVALID);
    assert_null(st);
    assert_non_null(strstr(err, "恢复已中断"));
    assert_string_equal(kept, "");
    assert_int_equal(count_tmp(t->dir), 0);
    DIR *d = opendir(t->dir);
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strstr(e->d_name, "before-restore"))
            fail_msg("kept: %s", e->d_name);
    if (d)
        closedir(d);
    dump_db(t->path, &now);
    assert_same_dump(&before, &now);
    dump_free(&before);
    dump_free(&now);
    sigaction(SIGINT, &old, NULL);
    assert_int_equal(station_open(t->path, STATION_TRUSTED, NULL, &t->st, err, sizeof err), WS_OK);
}

/* A restore over a station that fails at any step (the copy, keeping the
 * old file, the last rename) leaves the station as it was, whole, with no
 * journal to roll back, no file kept, no temporary copy; when it fails
 * before the station is touched, byte for byte. */
static void test_restore_failure_leaves_station(void **state)
{
    fixture *f = *state;
    char plain[4200], err[1024], kept[4200];
    make_plain(f, plain, sizeof plain);
    /* The station changes after the backup. */
    resident r;
    resident_init(&r);
    snprintf(r.name, sizeof r.name, "备份后登记");
    field_error fe;
    assert_int_equal(resident_save(f->t->st, &r, &fe), WS_OK);
    testutil_station *t = f->t;
    station_close(&t->st);
    static const char *const steps[] = {"ready", "keep", "swap"};
    for (size_t i = 0; i < 3; i++) {
        dump before, after;
        dump_db(t->path, &before);
        long n;
        void *bytes = read_all(t->path, &n);
        size_t files = count_files(t->dir);
        /* Trusted (as the fixture): the open itself writes nothing. */
        station *st = NULL;
        assert_int_equal(station_open(t->path, STATION_TRUSTED, NULL, &st, err, sizeof err),
                         WS_OK);
        backup_opts o = {.fail_at = steps[i]};
        backup_info back;
        assert_int_not_equal(backup_restore(&st, plain, t->path, &o, &back, kept, sizeof kept,
                                            err, sizeof err), WS_OK);
        assert_null(st);
        assert_non_null(strstr(err, "站点保持原样"));
        assert_string_equal(kept, "");
        if (i == 0)
            assert_same_bytes(t->path, bytes, n);
        char journal[4300];
        snprintf(journal, sizeof journal, "%s-journal", t->path);
        assert_false(exists(journal));
        assert_true(count_files(t->dir) <= files);
        sqlite3 *h = NULL;
        assert_int_equal(sqlite3_open_v2(t->path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
        assert_int_equal(testutil_raw_int(h, "SELECT count(*) FROM residents"
                                             " WHERE name = '备份后登记'", 0), 1);
        sqlite3_close(h);
        dump_db(t->path, &after);
        assert_same_dump(&before, &after);
        dump_free(&before);
        dump_free(&after);
        free(bytes);
    }
    assert_int_equal(station_open(t->path, STATION_TRUSTED, NULL, &t->st, err, sizeof err), WS_OK);
}

static int login_zhanzhang(void *ctx, station *restored)
{
    (void)ctx;
    account_login_result res;
    return account_login(restored, "zhanzhang", "wushe-demo", &res) == WS_OK ? 0 : 1;
}

static int login_wrong(void *ctx, station *restored)
{
    (void)ctx;
    account_login_result res;
    return account_login(restored, "zhanzhang", "not-the-password", &res) == WS_OK ? 0 : 1;
}

/* A restore onto a new place is on record as the account who restored
 * (one of the backup's, logged in before anything is placed), its detail
 * in words and local time. */
static void test_restore_records_account(void **state)
{
    fixture *f = *state;
    char plain[4200], err[1024], kept[4200];
    make_plain(f, plain, sizeof plain);
    char *n = testutil_path(f->dir, "new.db");
    backup_info back;
    backup_opts wrong = {.authenticate = login_wrong};
    assert_int_equal(backup_restore(NULL, plain, n, &wrong, &back, kept, sizeof kept, err,
                                    sizeof err), WS_ERR_AUTH);
    assert_false(exists(n));
    assert_non_null(strstr(err, "没有恢复任何数据"));
    backup_opts o = {.authenticate = login_zhanzhang};
    assert_int_equal(backup_restore(NULL, plain, n, &o, &back, kept, sizeof kept, err,
                                    sizeof err), WS_OK);
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(n, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(testutil_raw_int(h, "SELECT count(*) FROM access_log WHERE event = 'restore'"
                                         " AND login = 'zhanzhang' AND account_id IS NOT NULL",
                                      0), 1);
    sqlite3_stmt *q = testutil_raw_prepare(h,
        "SELECT detail FROM access_log WHERE event = 'restore'", 0);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    char words[2048];
    access_detail_text((const char *)sqlite3_column_text(q, 0), words, sizeof words);
    sqlite3_finalize(q);
    sqlite3_close(h);
    assert_non_null(strstr(words, "不加密的备份"));
    assert_non_null(strstr(words, "备份于 20"));
    assert_null(strstr(words, "made_at"));
    assert_null(strstr(words, "encrypted"));
    assert_null(strstr(words, ".000Z"));
    free(n);
}

/* ---- a restore killed while it writes ----
 *
 * In its own process, every write to the target station file past its
 * first two pages ends the process on the spot (kill -9, a power cut):
 * an SQLite VFS over the default one patches the target's xWrite. */

static sqlite3_vfs kill_vfs, *kill_real;
static sqlite3_io_methods kill_methods;
static const sqlite3_io_methods *kill_orig;
static char kill_path[4200];

static int kill_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
    if (off >= 8192)
        _exit(9);
    return kill_orig->xWrite(f, buf, n, off);
}

static int kill_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f, int flags,
                     int *out)
{
    (void)vfs;
    int rc = kill_real->xOpen(kill_real, name, f, flags, out);
    if (rc == SQLITE_OK && name && (flags & SQLITE_OPEN_MAIN_DB) && f->pMethods &&
        strcmp(name, kill_path) == 0) {
        kill_orig = f->pMethods;
        kill_methods = *f->pMethods;
        kill_methods.xWrite = kill_write;
        f->pMethods = &kill_methods;
    }
    return rc;
}

static int killed_restore(const char *target, const char *backup)
{
    kill_real = sqlite3_vfs_find(NULL);
    kill_vfs = *kill_real;
    kill_vfs.zName = "kill-on-write";
    kill_vfs.xOpen = kill_open;
    if (!realpath(target, kill_path) || sqlite3_vfs_register(&kill_vfs, 1) != SQLITE_OK)
        return 3;
    station *st = NULL;
    char err[1024], kept[4200];
    if (station_open(target, STATION_TRUSTED, NULL, &st, err, sizeof err) != WS_OK)
        return 4;
    backup_info back;
    ws_status s = backup_restore(&st, backup, target, NULL, &back, kept, sizeof kept, err,
                                 sizeof err);
    return s == WS_OK ? 0 : 5;
}

/* A restore over a station killed while it writes leaves a whole station,
 * the old or the new, and no journal to roll back: the live file is never
 * written into. (Before, the backup was written into it in place: killed
 * part-way, a hot journal and a half-written station were left.) */
static void test_restore_killed_while_writing(void **state)
{
    fixture *f = *state;
    char plain[4200];
    make_plain(f, plain, sizeof plain);
    resident r;
    resident_init(&r);
    snprintf(r.name, sizeof r.name, "备份后登记");
    field_error fe;
    assert_int_equal(resident_save(f->t->st, &r, &fe), WS_OK);
    testutil_station *t = f->t;
    station_close(&t->st);
    dump old, fresh, now;
    dump_db(t->path, &old);
    dump_db(plain, &fresh);
    pid_t pid = spawn("--killed-restore", t->path, plain, NULL, NULL);
    int status = child_status(pid);
    assert_true(status == 0 || status == 9);
    char journal[4300];
    snprintf(journal, sizeof journal, "%s-journal", t->path);
    FILE *fp = fopen(journal, "rb");
    if (fp) {
        unsigned char head[8] = {0};
        size_t n = fread(head, 1, sizeof head, fp);
        fclose(fp);
        for (size_t i = 0; i < n; i++)
            if (head[i])
                fail_msg("a hot journal was left beside the station (exit %d)", status);
    }
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(t->path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *q = testutil_raw_prepare(h, "PRAGMA integrity_check", 0);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), "ok");
    sqlite3_finalize(q);
    sqlite3_close(h);
    dump_db(t->path, &now);
    bool is_old = now.n == old.n, is_new = now.n == fresh.n;
    for (size_t i = 0; is_old && i < now.n; i++)
        is_old = strcmp(now.lines[i], old.lines[i]) == 0;
    for (size_t i = 0; is_new && i < now.n; i++)
        is_new = strcmp(now.lines[i], fresh.lines[i]) == 0;
    assert_true(is_old || is_new);
    dump_free(&old);
    dump_free(&fresh);
    dump_free(&now);
    char err[1024];
    assert_int_equal(station_open(t->path, STATION_TRUSTED, NULL, &t->st, err, sizeof err), WS_OK);
}

/* ---- a full disk ---- */

static void test_full_disk(void **state)
{
    fixture *f = *state;
    /* A backup for the child's restore, beside the station (big enough
     * not to fit under its limit). */
    char plain[4200], err[1024], beside[4300];
    make_plain(f, plain, sizeof plain);
    snprintf(beside, sizeof beside, "%s.plain", f->t->path);
    assert_int_equal(rename(plain, beside), 0);
    assert_true(file_size(beside) > (64 << 10));
    (void)err;
    pid_t pid = spawn("--full", f->t->path, f->dir, NULL, NULL);
    assert_int_equal(child_status(pid), 0);
    unlink(beside);
    /* No partial file, no temporary one, here or beside the station. */
    assert_int_equal(count_files(f->dir), 0);
    assert_int_equal(count_files(f->t->dir), 3); /* station.db, -wal, -shm */
}

/* In its own process: files may not grow past 64 KiB, so the copy fails
 * part-way. */
static int full_disk(const char *path, const char *dir)
{
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit rl = {64 << 10, 64 << 10};
    setrlimit(RLIMIT_FSIZE, &rl);
    station *st = NULL;
    backup_info in;
    char written[4200], err[1024];
    if (station_open(path, STATION_TRUSTED, NULL, &st, err, sizeof err) != WS_OK)
        return 3;
    backup_opts o = {.backup_dir = dir};
    ws_status s = backup_make(st, dir, &o, &in, written, sizeof written, err, sizeof err);
    if (s != WS_ERR_FULL || !strstr(err, "没有留下不完整的备份文件") || !strstr(err, "已满") ||
        strstr(err, ".tmp-") || !strstr(err, dir)) {
        fprintf(stderr, "plain: %s %s\n", ws_status_name(s), err);
        return 1;
    }
    backup_opts e = {.backup_dir = dir, .passphrase = PASS, FAST_KDF};
    s = backup_make(st, dir, &e, &in, written, sizeof written, err, sizeof err);
    if (s != WS_ERR_FULL || strstr(err, ".tmp-")) {
        fprintf(stderr, "encrypted: %s %s\n", ws_status_name(s), err);
        station_close(&st);
        return 2;
    }
    station_close(&st);
    /* A restore onto a full disk: said as a restore, the station as it was. */
    char plain[4300], target[4300], kept[4200];
    snprintf(plain, sizeof plain, "%s.plain", path); /* made by the parent */
    snprintf(target, sizeof target, "%s/restored.db", dir);
    backup_info back;
    s = backup_restore(NULL, plain, target, NULL, &back, kept, sizeof kept, err, sizeof err);
    if (s != WS_ERR_FULL || !strstr(err, "恢复没有做成") || !strstr(err, "已满") ||
        strstr(err, "备份文件") || strstr(err, ".tmp-")) {
        fprintf(stderr, "restore: %s %s\n", ws_status_name(s), err);
        return 4;
    }
    return 0;
}

/* Has the station open, as a console has, until its standard input
 * closes. */
static void holder(const char *path)
{
    station *st = NULL;
    char e[256];
    if (station_open(path, STATION_TRUSTED, NULL, &st, e, sizeof e) != WS_OK)
        _exit(2);
    station_stats stats;
    if (station_stats_get(st, &stats) != WS_OK || write(1, "x", 1) != 1)
        _exit(3);
    char c;
    while (read(0, &c, 1) > 0)
        ;
    station_close(&st);
    _exit(0);
}

/* ---- who may ---- */

static void test_who_may_back_up(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *login;
        ws_status plain_out, plain_in, encrypted;
    } roles[] = {
        {"zhanzhang", WS_OK, WS_OK, WS_OK},
        {"shegong", WS_ERR_DENIED, WS_OK, WS_OK},
        {"luru", WS_ERR_DENIED, WS_ERR_DENIED, WS_ERR_DENIED},
        {"dudao", WS_ERR_DENIED, WS_ERR_DENIED, WS_ERR_DENIED},
    };
    char *bdir = testutil_path(f->dir, "backups");
    char *out = testutil_path(f->dir, "stick");
    assert_int_equal(mkdir(out, 0700), 0);
    for (size_t i = 0; i < 4; i++) {
        station *st = NULL;
        char err[1024], written[4200];
        assert_int_equal(station_open(f->t->path, 0, NULL, &st, err, sizeof err), WS_OK);
        account_login_result res;
        assert_int_equal(account_login(st, roles[i].login, "wushe-demo", &res), WS_OK);
        backup_info in;
        backup_opts plain = {.backup_dir = bdir};
        backup_opts enc = {.backup_dir = bdir, .passphrase = PASS, FAST_KDF};
        assert_int_equal(backup_make(st, out, &plain, &in, written, sizeof written, err,
                                     sizeof err), roles[i].plain_out);
        assert_int_equal(backup_make(st, NULL, &plain, &in, written, sizeof written, err,
                                     sizeof err), roles[i].plain_in);
        assert_int_equal(backup_make(st, out, &enc, &in, written, sizeof written, err,
                                     sizeof err), roles[i].encrypted);
        /* The console's automatic backup: whoever is logged in. */
        assert_int_equal(backup_auto(st, bdir, &in, written, sizeof written, NULL, err,
                                     sizeof err), WS_OK);
        station_close(&st);
    }
    /* Nobody logged in: nothing. */
    station *st = NULL;
    char err[1024], written[4200];
    backup_info in;
    assert_int_equal(station_open(f->t->path, 0, NULL, &st, err, sizeof err), WS_OK);
    assert_int_equal(backup_auto(st, bdir, &in, written, sizeof written, NULL, err, sizeof err),
                     WS_ERR_DENIED);
    station_close(&st);
    free(bdir);
    free(out);
}

/* ---- a backup never replaces a file ---- */

static void test_never_overwrites(void **state)
{
    fixture *f = *state;
    char *path = testutil_path(f->dir, "mine.wushe-backup");
    FILE *fp = fopen(path, "w");
    fputs("not to be lost", fp);
    fclose(fp);
    backup_info in;
    char written[4200], err[1024];
    backup_opts o = {.backup_dir = f->dir};
    assert_int_equal(backup_make(f->t->st, path, &o, &in, written, sizeof written, err,
                                 sizeof err), WS_ERR_INVALID);
    assert_non_null(strstr(err, "已经存在"));
    assert_int_equal(file_size(path), 14);
    /* Two in the same minute: the second gets -2. */
    char first[4200];
    assert_int_equal(backup_make(f->t->st, f->dir, &o, &in, first, sizeof first, err,
                                 sizeof err), WS_OK);
    assert_int_equal(backup_make(f->t->st, f->dir, &o, &in, written, sizeof written, err,
                                 sizeof err), WS_OK);
    assert_string_not_equal(first, written);
    size_t n = strlen(written);
    assert_string_equal(written + n - strlen("-2.wushe-backup"), "-2.wushe-backup");
    free(path);
}

/* The copies a killed backup or restore left go at the next backup, at
 * any age, beside the station and in the folder the backup goes to (with
 * what SQLite left beside them); one in use (locked: another console's
 * backup under way) stays, and so does any name not ours. */
static void test_sweeps_stale_copies(void **state)
{
    fixture *f = *state;
    char *old = testutil_path(f->t->dir, ".wushe-backup.tmp-AbCdEf");
    char *old_journal = testutil_path(f->t->dir, ".wushe-backup.tmp-AbCdEf-journal");
    char *restore = testutil_path(f->dir, ".wushe-restore.tmp-XyZ123");
    char *legacy = testutil_path(f->dir, ".站-2026-12-01-1530.wushe-backup.tmp-Q1w2E3");
    char *busy = testutil_path(f->t->dir, ".wushe-restore.tmp-GhIjKl");
    char *other = testutil_path(f->t->dir, ".notes.tmp-MnOpQr");
    const char *paths[] = {old, old_journal, restore, legacy, busy, other};
    for (size_t i = 0; i < 6; i++) {
        FILE *fp = fopen(paths[i], "w");
        fputs("plain", fp);
        fclose(fp);
    }
    /* In use: locked as our own temporary files are while written. */
    int fd = open(busy, O_RDWR);
    assert_true(fd >= 0);
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0x7f000000,
                       .l_len = 1};
    assert_int_equal(fcntl(fd, F_OFD_SETLK, &fl), 0);
    backup_info in;
    char written[4200], err[1024];
    backup_opts o = {.backup_dir = f->dir};
    assert_int_equal(backup_make(f->t->st, NULL, &o, &in, written, sizeof written, err,
                                 sizeof err), WS_OK);
    assert_false(exists(old));
    assert_false(exists(old_journal));
    assert_false(exists(restore));
    assert_false(exists(legacy));
    assert_true(exists(busy));
    assert_true(exists(other));
    close(fd);
    for (size_t i = 0; i < 6; i++)
        free((char *)paths[i]);
}

/* ---- the last backup, the console's automatic ones ---- */

static int64_t fake_now = 1796110200; /* 2026-12-01 15:30 +08 */
static int64_t fake_clock(void)
{
    return fake_now;
}

static void test_last_and_auto(void **state)
{
    unsetenv("WUSHE_TODAY"); /* the fake clock alone */
    fixture *f = *state;
    station *st = f->t->st;
    station_set_clock(st, fake_clock);
    backup_last_info last;
    assert_int_equal(backup_last(st, &last), WS_OK);
    assert_false(last.any);
    assert_true(last.warn);
    assert_true(backup_auto_due(st));
    char *bdir = testutil_path(f->dir, "auto");
    backup_info in;
    char written[4200], err[1024];
    size_t removed = 9;
    assert_int_equal(backup_auto(st, bdir, &in, written, sizeof written, &removed, err,
                                 sizeof err), WS_OK);
    assert_int_equal(removed, 0);
    assert_non_null(strstr(written, "-2026-12-01-1530-自动-"));
    assert_false(backup_auto_due(st));
    /* Nothing written since: no second copy. */
    assert_int_equal(backup_auto(st, bdir, &in, written, sizeof written, &removed, err,
                                 sizeof err), WS_OK);
    assert_string_equal(written, "");
    assert_int_equal(count_files(bdir), 1);
    /* Days pass: a copy a day, seven days later the warning. */
    fake_now += 86400;
    assert_true(backup_auto_due(st));
    assert_int_equal(backup_last(st, &last), WS_OK);
    assert_int_equal(last.age_days, 1);
    assert_false(last.warn);
    fake_now += 7 * 86400;
    assert_int_equal(backup_last(st, &last), WS_OK);
    assert_true(last.warn);
    assert_int_equal(last.age_days, 8);
    /* Forty daily backups leave 7 days, 4 weeks, 12 months at most. */
    for (int i = 0; i < 40; i++) {
        fake_now += 86400;
        assert_int_equal(backup_auto(st, bdir, &in, written, sizeof written, &removed, err,
                                     sizeof err), WS_OK);
        assert_string_not_equal(written, "");
    }
    size_t n = count_files(bdir);
    assert_true(n >= 7 && n <= 7 + 4 + 12);
    assert_int_equal(backup_last(st, &last), WS_OK);
    assert_false(last.warn);
    free(bdir);
}

/* An automatic backup whose name says a later time of the same day (made
 * under another clock, or a zone other than this one) does not push out
 * the one just made: the home screen's "last backup" must exist. */
static void test_auto_keeps_the_new_one(void **state)
{
    unsetenv("WUSHE_TODAY"); /* the fake clock alone */
    fixture *f = *state;
    station *st = f->t->st;
    fake_now = 1796110200; /* 2026-12-01 15:30 +08 */
    station_set_clock(st, fake_clock);
    char *bdir = testutil_path(f->dir, "auto2");
    assert_int_equal(mkdir(bdir, 0700), 0);
    char later[512];
    backup_file_name(st, (time_t)fake_now + 3600, false, true, later, sizeof later);
    char *other = testutil_path(bdir, later);
    FILE *o = fopen(other, "w");
    assert_non_null(o);
    fputs("an earlier copy, named 16:30", o);
    fclose(o);
    backup_info in;
    char written[4200], err[1024];
    size_t removed = 0;
    assert_int_equal(backup_auto(st, bdir, &in, written, sizeof written, &removed, err,
                                 sizeof err), WS_OK);
    assert_string_not_equal(written, "");
    assert_true(exists(written));
    free(other);
    free(bdir);
}

/* Two station files of one station (copies, or the file a restore kept)
 * backing up into one folder the same minute: neither rotates the
 * other's away. */
static void test_auto_two_files(void **state)
{
    unsetenv("WUSHE_TODAY"); /* the fake clock alone */
    fixture *f = *state;
    char plain[4200], err[1024], kept[4200];
    make_plain(f, plain, sizeof plain);
    char *a = testutil_path(f->dir, "a.db"), *b = testutil_path(f->dir, "b.db");
    char *bdir = testutil_path(f->dir, "auto3");
    backup_info in;
    assert_int_equal(backup_restore(NULL, plain, a, NULL, &in, kept, sizeof kept, err,
                                    sizeof err), WS_OK);
    assert_int_equal(backup_restore(NULL, plain, b, NULL, &in, kept, sizeof kept, err,
                                    sizeof err), WS_OK);
    station *sa = NULL, *sb = NULL;
    assert_int_equal(station_open(a, STATION_TRUSTED, NULL, &sa, err, sizeof err), WS_OK);
    assert_int_equal(station_open(b, STATION_TRUSTED, NULL, &sb, err, sizeof err), WS_OK);
    fake_now = 1796110200;
    station_set_clock(sa, fake_clock);
    station_set_clock(sb, fake_clock);
    char wa[4200], wb[4200];
    assert_int_equal(backup_auto(sa, bdir, &in, wa, sizeof wa, NULL, err, sizeof err), WS_OK);
    assert_int_equal(backup_auto(sb, bdir, &in, wb, sizeof wb, NULL, err, sizeof err), WS_OK);
    assert_string_not_equal(wa, wb);
    assert_true(exists(wa));
    assert_true(exists(wb));
    /* A day later each rotates its own: both of yesterday's stay. */
    fake_now += 86400;
    assert_int_equal(backup_auto(sa, bdir, &in, wa, sizeof wa, NULL, err, sizeof err), WS_OK);
    assert_int_equal(count_files(bdir), 3);
    station_close(&sa);
    station_close(&sb);
    free(a);
    free(b);
    free(bdir);
}

/* The test clock (WUSHE_TODAY) ages the last backup like every other
 * date of the station; a failed automatic backup is kept in the station
 * and said until one succeeds. */
static void test_last_follows_today_and_failures(void **state)
{
    fixture *f = *state;
    station *st = f->t->st;
    unsetenv("WUSHE_TODAY");
    char plain[4200], err[1024], written[4200];
    make_plain(f, plain, sizeof plain);
    backup_last_info last;
    assert_int_equal(backup_last(st, &last), WS_OK);
    assert_true(last.any);
    assert_false(last.warn);
    char today[11], later[11];
    date_today(today);
    date_add_days(today, 18, later);
    setenv("WUSHE_TODAY", later, 1);
    assert_int_equal(backup_last(st, &last), WS_OK);
    assert_true(last.warn);
    assert_int_equal(last.age_days, 18);
    assert_true(backup_auto_due(st));
    /* The automatic backup fails (its folder is a file). */
    char *bad = testutil_path(f->dir, "not-a-folder");
    FILE *fp = fopen(bad, "w");
    fclose(fp);
    backup_info in;
    assert_int_not_equal(backup_auto(st, bad, &in, written, sizeof written, NULL, err,
                                     sizeof err), WS_OK);
    assert_int_equal(backup_last(st, &last), WS_OK);
    assert_true(last.failed);
    assert_true(last.warn);
    assert_non_null(strstr(last.failed_why, "not-a-folder"));
    assert_string_equal(last.failed_at + 10, strchr(last.failed_at, 'T'));
    /* failed_at is UTC; the day it was is the test clock's local day (in
     * Asia/Shanghai, from 16:00 UTC on, the UTC date is the day before). */
    struct tm ft = {0};
    assert_non_null(strptime(last.failed_at, "%Y-%m-%dT%H:%M:%S", &ft));
    time_t ftt = timegm(&ft);
    char failed_day[16];
    strftime(failed_day, sizeof failed_day, "%Y-%m-%d", localtime_r(&ftt, &ft));
    assert_string_equal(failed_day, later);
    /* A good backup ends it. */
    char *good = testutil_path(f->dir, "auto-good");
    assert_int_equal(backup_auto(st, good, &in, written, sizeof written, NULL, err,
                                 sizeof err), WS_OK);
    assert_int_equal(backup_last(st, &last), WS_OK);
    assert_false(last.failed);
    assert_false(last.warn);
    setenv("WUSHE_TODAY", "2026-11-23", 1);
    free(bad);
    free(good);
}

/* After a restore, the console's automatic backup of the restored (older)
 * state must not rotate away that day's backup of the work the restore
 * replaced: a backup made before the station's last restore stays. */
static void test_rotation_keeps_work_before_restore(void **state)
{
    fixture *f = *state;
    char plain[4200], err[1024], kept[4200], written[4200];
    make_plain(f, plain, sizeof plain);
    char *target = testutil_path(f->dir, "r.db");
    char *bdir = testutil_path(f->dir, "auto-r");
    backup_info back, in;
    assert_int_equal(backup_restore(NULL, plain, target, NULL, &back, kept, sizeof kept, err,
                                    sizeof err), WS_OK);
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(target, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(testutil_raw_int(h, "SELECT count(*) FROM settings WHERE key ="
                                         " 'backup_restored_at' AND length(value) = 15", 0), 1);
    sqlite3_close(h);
    station *st = NULL;
    assert_int_equal(station_open(target, STATION_TRUSTED, NULL, &st, err, sizeof err), WS_OK);
    /* Its automatic backup, renamed to 00:00 of the same day: a backup of
     * the work the restore replaced, made earlier that day. */
    assert_int_equal(backup_auto(st, bdir, &in, written, sizeof written, NULL, err, sizeof err),
                     WS_OK);
    char earlier[4200];
    snprintf(earlier, sizeof earlier, "%s", written);
    char *hhmm = strstr(earlier, "-自动-") - 4;
    memcpy(hhmm, "0000", 4);
    if (strcmp(earlier, written) != 0)
        assert_int_equal(rename(written, earlier), 0);
    /* The next automatic backup, of the restored state, the same day. */
    size_t removed = 9;
    assert_int_equal(backup_auto(st, bdir, &in, written, sizeof written, &removed, err,
                                 sizeof err), WS_OK);
    assert_string_not_equal(written, "");
    assert_int_equal(removed, 0);
    assert_true(exists(earlier));
    assert_true(exists(written));
    station_close(&st);
    free(target);
    free(bdir);
}

/* ---- rotation, on file lists ---- */

static void plan(const char *const *names, size_t n, const char *want)
{
    bool keep[64];
    backup_rotate_plan(names, n, "站", NULL, 7, 4, 12, NULL, keep);
    char got[65];
    for (size_t i = 0; i < n; i++)
        got[i] = keep[i] ? 'K' : '-';
    got[n] = '\0';
    assert_string_equal(got, want);
}

static void test_rotation(void **state)
{
    (void)state;
    /* Two a day for ten days (2026-11-21 Sat .. 11-30 Mon): the newest of
     * each of the last 7 days; of the weeks, the newest of 11-30's week
     * (kept already), of 11-23..29 (11-29, kept) and of 11-16..22 (11-22
     * evening); of the month, 11-30 evening. The rest goes. */
    const char *names[20];
    char buf[20][64];
    for (int i = 0; i < 20; i++) {
        snprintf(buf[i], sizeof buf[i], "站-2026-11-%02d-%s-自动.wushe-backup", 21 + i / 2,
                 i % 2 ? "1800" : "0900");
        names[i] = buf[i];
    }
    plan(names, 20, "---K---K-K-K-K-K-K-K");
    /* Other names are never touched: another station's, an encrypted one,
     * one a clerk made, a file of the clerk's, a malformed date; a -2
     * counts. */
    const char *mixed[] = {
        "站-2026-11-30-0900-自动.wushe-backup",   "站-2026-11-30-0900-自动-2.wushe-backup",
        "别站-2026-11-01-0900-自动.wushe-backup", "站-2026-11-30-0900-加密.wushe-backup",
        "站-2026-13-01-0900-自动.wushe-backup",   "台账.xlsx",
        "站-2026-11-29-2359-自动.wushe-backup",   "站-2026-10-01-0900.wushe-backup",
    };
    plan(mixed, 8, "-KKKKKKK");
    /* Tagged with their station file: only this file's take part. */
    const char *tagged[] = {
        "站-2026-11-30-0900-自动-1a2b3c4d.wushe-backup",
        "站-2026-11-30-0800-自动-1a2b3c4d-2.wushe-backup",
        "站-2026-11-30-0700-自动-99999999.wushe-backup",
        "站-2026-11-30-0600-自动.wushe-backup",
    };
    bool tk[4];
    assert_int_equal(backup_rotate_plan(tagged, 4, "站", "1a2b3c4d", 7, 4, 12, NULL, tk), 1);
    assert_true(tk[0] && !tk[1] && tk[2] && tk[3]);
    /* A year of monthly backups and more: the last 12 months kept. */
    const char *months[14];
    char mb[14][64];
    for (int i = 0; i < 14; i++) {
        snprintf(mb[i], sizeof mb[i], "站-%d-%02d-01-1200-自动.wushe-backup", 2025 + (i + 10) / 12,
                 (i + 10) % 12 + 1);
        months[i] = mb[i];
    }
    plan(months, 14, "--KKKKKKKKKKKK");
    /* Weeks: Sundays and Mondays around a week's edge. */
    const char *weeks[] = {
        "站-2026-11-01-1200-自动.wushe-backup", /* Sun, week of 10-26 */
        "站-2026-11-02-1200-自动.wushe-backup", /* Mon */
        "站-2026-11-08-1200-自动.wushe-backup", /* Sun, same week as 11-02 */
    };
    bool keep[3];
    assert_int_equal(backup_rotate_plan(weeks, 3, "站", NULL, 0, 4, 0, NULL, keep), 1);
    assert_true(keep[0]);
    assert_false(keep[1]);
    assert_true(keep[2]);
    assert_int_equal(backup_rotate_plan(NULL, 0, "站", NULL, 7, 4, 12, NULL, keep), 0);
    /* Restored at 10:00 on 11-30: the backups before it stay (the 09:00
     * one of the replaced work, older ones pushed out before too); after
     * it, rotation as ever. A restore more than 12 months back: as ever. */
    const char *after[] = {
        "站-2026-11-30-1800-自动.wushe-backup", "站-2026-11-30-1005-自动.wushe-backup",
        "站-2026-11-30-0900-自动.wushe-backup", "站-2026-11-29-0900-自动.wushe-backup",
        "站-2026-11-29-0800-自动.wushe-backup",
    };
    bool rk[5];
    assert_int_equal(backup_rotate_plan(after, 5, "站", NULL, 7, 4, 12, "2026-11-30-1000", rk), 1);
    assert_true(rk[0] && !rk[1] && rk[2] && rk[3] && rk[4]);
    assert_int_equal(backup_rotate_plan(after, 5, "站", NULL, 7, 4, 12, "2025-10-30-1000", rk), 3);
    assert_int_equal(backup_rotate_plan(after, 5, "站", NULL, 7, 4, 12, "不是时间", rk), 3);
}

int main(int argc, char **argv)
{
    if (argc == 4 && testutil_start() == 0) {
        if (strcmp(argv[1], "--write") == 0)
            writer(argv[2], atoi(argv[3]));
        if (strcmp(argv[1], "--hold") == 0)
            holder(argv[2]);
        if (strcmp(argv[1], "--killed-restore") == 0)
            return testutil_finish(killed_restore(argv[2], argv[3]));
        if (strcmp(argv[1], "--full") == 0)
            return testutil_finish(full_disk(argv[2], argv[3]));
        return 125;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_file_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roundtrip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_made_by_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backup_while_writing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_encrypted_roundtrip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_passphrase, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plain_checksum, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damage_messages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_schema_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_folder_not_a_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stick_not_plugged_in, setup, teardown),
        cmocka_unit_test_setup_teardown(test_passphrase_blanks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_station_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restore_keeps_and_refuses_open, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_disk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restore_refuses_leftover_wal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restore_onto_empty_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restore_refuses_missing_folder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restore_through_symlink, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interrupted_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_failure_names_the_place, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restore_records_account, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restore_keeps_access_log, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restore_asks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restore_keeps_account_security, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restore_failure_leaves_station, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restore_killed_while_writing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_who_may_back_up, setup, teardown),
        cmocka_unit_test_setup_teardown(test_never_overwrites, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sweeps_stale_copies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_auto_keeps_the_new_one, setup, teardown),
        cmocka_unit_test_setup_teardown(test_last_and_auto, setup, teardown),
        cmocka_unit_test_setup_teardown(test_auto_two_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_last_follows_today_and_failures, setup, teardown),
        cmocka_unit_test(test_rotation),
        cmocka_unit_test_setup_teardown(test_rotation_keeps_work_before_restore, setup, teardown),
    };
    return testutil_run(tests);
}
