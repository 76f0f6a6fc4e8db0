/* Power cuts (issue 15): a station put through random power cuts in the
 * middle of imports, record saves, ledger postings and backups, through
 * the crash VFS (crashvfs.c), then reopened through the model and checked:
 * integrity and the model's own check pass, no committed transaction is
 * lost, none is partly there.
 *
 * WUSHE_CRASH_RUNS (default 200) runs, WUSHE_CRASH_SEED (default 15) seeds
 * them; the figures are printed; any corrupt, lost or partial run fails. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crashvfs.h"
#include "db.h"
#include "station_internal.h"
#include "testutil.h"
#include "wushe/backup.h"
#include "wushe/community.h"
#include "wushe/household.h"
#include "wushe/import.h"
#include "wushe/resident.h"
#include "wushe/resources.h"
#include "wushe/volunteer.h"

enum { OP_IMPORT, OP_HOUSEHOLD, OP_RESIDENT, OP_UPDATE, OP_DONATION, OP_HOURS, OP_GOODS,
       OP_BACKUP, OP_KINDS };
static const char *const op_names[OP_KINDS] = {"import", "household", "resident", "update",
                                                "donation", "hours", "goods", "backup"};
#define PASSPHRASE "断电测试口令-crash"
#define OPS_PER_RUN 8
#define IMPORT_ROWS 4

typedef enum { NOT_RUN, IN_FLIGHT, COMMITTED } op_state;

typedef struct base {
    char *dir, *file;
    int64_t community, household, head, volunteer, fund, donation, item;
} base;

typedef struct run {
    char *path;   /* the station under test */
    char *dir;
    int kind[OPS_PER_RUN];
    op_state state[OPS_PER_RUN];
} run;

typedef struct figures {
    long runs, cut, corrupt, lost, partial;
    long recut; /* cut a second time while the station recovered */
    long by_kind[OP_KINDS]; /* cuts in the middle of each kind */
} figures;

static uint64_t g_rng;
static uint64_t rnd(void)
{
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return g_rng;
}

/* A valid ID number for op i, row r: born 19yy-mm-10, sequence 1ii. */
static void id_number(int op, int row, char out[19])
{
    char body[40];
    snprintf(body, sizeof body, "110101" "19%02d%02d10" "%03d", 40 + op, 1 + row, 100 + op);
    snprintf(out, 19, "%.17s%c", body, val_id_check_char(body));
}

static const char *const surnames[] = {"赵", "钱", "孙", "李", "周", "吴", "郑", "王"};
static const char *const given[] = {"建国", "秀英", "桂兰", "志强", "海燕", "春生"};

static void person_name(int op, int row, char *out, size_t outsz)
{
    snprintf(out, outsz, "%s%s%s", surnames[op % 8], given[row % 6], op >= 8 ? "二" : "");
}

static station *open_station(const char *path, unsigned flags, char *err, size_t errsz)
{
    station *st = NULL;
    if (station_open(path, flags | STATION_TRUSTED, NULL, &st, err, errsz) != WS_OK)
        return NULL;
    station_set_actor(st, "tester");
    return st;
}

#define MUST(call, what)                                                          \
    do {                                                                          \
        if ((call) != WS_OK)                                                      \
            fail_msg("%s: field %d %s", (what), (int)re.field, val_status_key(re.code)); \
    } while (0)

static void base_make(base *b)
{
    b->dir = testutil_tmpdir();
    assert_non_null(b->dir);
    b->file = testutil_path(b->dir, "base.db");
    char err[512];
    station *st = open_station(b->file, STATION_CREATE, err, sizeof err);
    if (!st)
        fail_msg("base: %s", err);
    record_error re;
    community c = {0};
    snprintf(c.name, sizeof c.name, "青石社区");
    snprintf(c.kind, sizeof c.kind, "community");
    if (community_save(st, &c, &re) != WS_OK)
        fail_msg("community: field %d %s", re.field, val_status_key(re.code));
    b->community = c.id;
    household h;
    household_init(&h);
    snprintf(h.number, sizeof h.number, "H0001");
    h.community_id = c.id;
    MUST(household_save(st, &h, &re), "household");
    b->household = h.id;
    resident r;
    resident_init(&r);
    snprintf(r.name, sizeof r.name, "张守田");
    id_number(50, 0, r.id_number);
    snprintf(r.relation, sizeof r.relation, "head");
    r.household_id = h.id;
    r.community_id = c.id;
    snprintf(r.phone, sizeof r.phone, "13900000000");
    snprintf(r.notes, sizeof r.notes, "修改0");
    field_error fe;
    if (resident_save(st, &r, &fe) != WS_OK)
        fail_msg("resident: field %d %s", (int)fe.field, val_status_key(fe.code));
    b->head = r.id;
    volunteer v;
    volunteer_init(&v);
    snprintf(v.name, sizeof v.name, "李春梅");
    snprintf(v.registered_date, sizeof v.registered_date, "2026-01-05");
    MUST(record_save(st, &kind_volunteer, &v, &re), "volunteer");
    b->volunteer = v.id;
    fund f;
    record_init(&kind_fund, &f);
    snprintf(f.name, sizeof f.name, "社区基金");
    snprintf(f.fund_type, sizeof f.fund_type, "general");
    MUST(record_save(st, &kind_fund, &f, &re), "fund");
    b->fund = f.id;
    donor dn;
    record_init(&kind_donor, &dn);
    snprintf(dn.name, sizeof dn.name, "青石粮油公司");
    snprintf(dn.donor_type, sizeof dn.donor_type, "enterprise");
    MUST(record_save(st, &kind_donor, &dn, &re), "donor");
    donation d;
    record_init(&kind_donation, &d);
    snprintf(d.donation_date, sizeof d.donation_date, "2026-11-01");
    d.donor_id = dn.id;
    snprintf(d.purpose, sizeof d.purpose, "general");
    snprintf(d.agreement, sizeof d.agreement, "no");
    MUST(record_save(st, &kind_donation, &d, &re), "donation");
    b->donation = d.id;
    item it;
    record_init(&kind_item, &it);
    snprintf(it.name, sizeof it.name, "大米");
    snprintf(it.category, sizeof it.category, "food");
    snprintf(it.unit, sizeof it.unit, "袋");
    MUST(record_save(st, &kind_item, &it, &re), "item");
    b->item = it.id;
    station_close(&st);
}

static char *sibling(const char *path, const char *suffix)
{
    size_t n = strlen(path) + strlen(suffix) + 1;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s%s", path, suffix);
    return p;
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

static char *backup_path(const run *r, int op)
{
    char name[32];
    snprintf(name, sizeof name, "backup-%d" BACKUP_EXT, op); /* a file only by its name */
    return testutil_path(r->dir, name);
}

/* ---- the workload: one model call, one transaction each ---- */

static ws_status do_op(station *st, const base *b, const run *r, int op)
{
    record_error re;
    field_error fe;
    switch (r->kind[op]) {
    case OP_IMPORT: {
        char csv[2048] = "姓名,身份证号,联系电话,所属社区/村\n";
        for (int row = 0; row < IMPORT_ROWS; row++) {
            char name[64], id[19];
            person_name(op, row, name, sizeof name);
            id_number(op, row, id);
            size_t used = strlen(csv);
            snprintf(csv + used, sizeof csv - used, "%s,%s,1380000%02d%02d,青石社区\n", name, id,
                     op, row);
        }
        import_opts o = {0};
        import_report rep;
        char err[512];
        ws_status s = import_residents_buf(st, "断电.csv", csv, strlen(csv), NULL, &o, &rep, err,
                                           sizeof err);
        size_t added = rep.counts[IMPORT_NEW];
        import_report_free(&rep);
        if (s == WS_OK && added != IMPORT_ROWS)
            fail_msg("import: %zu of %d rows new", added, IMPORT_ROWS);
        return s;
    }
    case OP_HOUSEHOLD: {
        household h;
        household_init(&h);
        snprintf(h.number, sizeof h.number, "C%03d", op);
        snprintf(h.address, sizeof h.address, "青石路%d号", op);
        snprintf(h.phone, sizeof h.phone, "1370000%04d", op);
        h.community_id = b->community;
        return household_save(st, &h, &re);
    }
    case OP_RESIDENT: {
        resident x;
        resident_init(&x);
        person_name(op, 5, x.name, sizeof x.name);
        id_number(op, 5, x.id_number);
        snprintf(x.phone, sizeof x.phone, "1360000%04d", op);
        snprintf(x.notes, sizeof x.notes, "断电测试第%d项", op);
        x.community_id = b->community;
        return resident_save(st, &x, &fe);
    }
    case OP_UPDATE: {
        resident x;
        ws_status s = resident_load(st, b->head, &x);
        if (s != WS_OK)
            return s;
        snprintf(x.phone, sizeof x.phone, "139000000%02d", op + 1);
        snprintf(x.notes, sizeof x.notes, "修改%d", op + 1);
        return resident_save(st, &x, &fe);
    }
    case OP_DONATION: {
        donation_money m;
        record_init(&kind_donation_money, &m);
        m.donation_id = b->donation;
        m.fund_id = b->fund;
        m.amount = 100 * (op + 1);
        snprintf(m.method, sizeof m.method, "transfer");
        snprintf(m.account, sizeof m.account, "CR-%d", op);
        return record_save(st, &kind_donation_money, &m, &re);
    }
    case OP_HOURS: {
        hour_entry e = {.volunteer_id = b->volunteer, .minutes = 30};
        snprintf(e.description, sizeof e.description, "断电测试%d", op);
        snprintf(e.date, sizeof e.date, "2026-11-%02d", 1 + op);
        return hours_add(st, &e, &re, NULL);
    }
    case OP_GOODS: {
        donation_goods g;
        record_init(&kind_donation_goods, &g);
        g.donation_id = b->donation;
        g.item_id = b->item;
        g.quantity = op + 1;
        g.unit_value = 5000;
        snprintf(g.batch, sizeof g.batch, "B%d", op);
        snprintf(g.expiry, sizeof g.expiry, "2027-06-30");
        snprintf(g.condition, sizeof g.condition, "new");
        return record_save(st, &kind_donation_goods, &g, &re);
    }
    case OP_BACKUP: {
        char *path = backup_path(r, op);
        /* Every other one sealed (written by backup.c itself, not through
         * SQLite: renamed into place only once whole). */
        backup_opts o = {.quick = true, .passphrase = op % 2 ? PASSPHRASE : NULL,
                         .kdf_ops = 1, .kdf_mem = 8192};
        backup_info info;
        char written[4096], err[512];
        ws_status s = backup_make(st, path, &o, &info, written, sizeof written, err, sizeof err);
        free(path);
        return s;
    }
    }
    return WS_ERR_USAGE;
}

/* ---- after the cut: what each transaction left ---- */

typedef enum { ABSENT, PRESENT, PARTIAL } presence;

static int64_t q_int(sqlite3 *raw, const char *sql, const char *text, int64_t arg)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(raw, sql, -1, &q, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(raw));
    if (text)
        sqlite3_bind_text(q, 1, text, -1, SQLITE_TRANSIENT);
    else if (sqlite3_bind_parameter_count(q) >= 1)
        sqlite3_bind_int64(q, 1, arg);
    int64_t v = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
    sqlite3_finalize(q);
    return v;
}

/* A resident as a whole: its row, its audit row and its search terms. */
static presence resident_presence(station *st, sqlite3 *raw, const char *id)
{
    int64_t rid = q_int(raw, "SELECT id FROM residents WHERE id_number = ?1", id, 0);
    int64_t found = -1;
    if (resident_count(st, id, &found) != WS_OK)
        return PARTIAL;
    if (rid < 0)
        return found == 0 ? ABSENT : PARTIAL;
    int64_t audit = q_int(raw, "SELECT count(*) FROM audit_log WHERE table_name = 'residents'"
                               " AND row_id = ?1", NULL, rid);
    return audit >= 1 && found == 1 ? PRESENT : PARTIAL;
}

static presence op_presence(station *st, sqlite3 *raw, const base *b, const run *r, int op,
                            int last_update)
{
    char text[64];
    switch (r->kind[op]) {
    case OP_IMPORT: {
        int present = 0;
        for (int row = 0; row < IMPORT_ROWS; row++) {
            char id[19];
            id_number(op, row, id);
            presence p = resident_presence(st, raw, id);
            if (p == PARTIAL)
                return PARTIAL;
            present += p == PRESENT;
        }
        return present == 0 ? ABSENT : present == IMPORT_ROWS ? PRESENT : PARTIAL;
    }
    case OP_HOUSEHOLD: {
        snprintf(text, sizeof text, "C%03d", op);
        int64_t hid = q_int(raw, "SELECT id FROM households WHERE number = ?1", text, 0);
        int64_t found = -1;
        if (record_count(st, &kind_household, text, &found) != WS_OK)
            return PARTIAL;
        if (hid < 0)
            return found == 0 ? ABSENT : PARTIAL;
        char want[64];
        snprintf(want, sizeof want, "青石路%d号|1370000%04d", op, op);
        sqlite3_stmt *q = NULL;
        sqlite3_prepare_v2(raw, "SELECT address || '|' || phone FROM households WHERE id = ?1",
                           -1, &q, NULL);
        sqlite3_bind_int64(q, 1, hid);
        bool fields = sqlite3_step(q) == SQLITE_ROW &&
                      strcmp((const char *)sqlite3_column_text(q, 0), want) == 0;
        sqlite3_finalize(q);
        int64_t audit = q_int(raw, "SELECT count(*) FROM audit_log WHERE table_name ="
                                   " 'households' AND row_id = ?1", NULL, hid);
        return fields && audit >= 1 && found == 1 ? PRESENT : PARTIAL;
    }
    case OP_RESIDENT: {
        char id[19];
        id_number(op, 5, id);
        presence p = resident_presence(st, raw, id);
        if (p != PRESENT)
            return p;
        snprintf(text, sizeof text, "断电测试第%d项", op);
        return q_int(raw, "SELECT count(*) FROM residents WHERE notes = ?1", text, 0) == 1
                   ? PRESENT : PARTIAL;
    }
    case OP_UPDATE: {
        /* Present when the head holds this update's phone and notes; absent
         * when it holds the one before (last_update: its op, -1 none). */
        resident x;
        if (resident_load(st, b->head, &x) != WS_OK)
            return PARTIAL;
        char phone[40], notes[32], old_phone[40], old_notes[32];
        snprintf(phone, sizeof phone, "139000000%02d", op + 1);
        snprintf(notes, sizeof notes, "修改%d", op + 1);
        snprintf(old_phone, sizeof old_phone, "139000000%02d", last_update + 1);
        snprintf(old_notes, sizeof old_notes, "修改%d", last_update + 1);
        snprintf(text, sizeof text, "修改%d", op + 1);
        sqlite3_stmt *q = NULL;
        sqlite3_prepare_v2(raw, "SELECT count(*) FROM audit_log WHERE table_name = 'residents'"
                                " AND row_id = ?1 AND action = 'update' AND instr(after, ?2)",
                           -1, &q, NULL);
        sqlite3_bind_int64(q, 1, b->head);
        sqlite3_bind_text(q, 2, text, -1, SQLITE_TRANSIENT);
        int64_t audit = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
        sqlite3_finalize(q);
        /* A later update that ran hides this one in the row: its audit row
         * says whether it was there. */
        for (int later = op + 1; later < OPS_PER_RUN; later++)
            if (r->kind[later] == OP_UPDATE && r->state[later] != NOT_RUN)
                return audit == 1 ? PRESENT : audit == 0 ? ABSENT : PARTIAL;
        int64_t found = -1;
        resident_count(st, phone, &found);
        if (strcmp(x.phone, phone) == 0 && strcmp(x.notes, notes) == 0)
            return audit == 1 && found == 1 ? PRESENT : PARTIAL;
        if (last_update < 0) {
            snprintf(old_phone, sizeof old_phone, "13900000000");
            snprintf(old_notes, sizeof old_notes, "修改0");
        }
        if (strcmp(x.phone, old_phone) == 0 && strcmp(x.notes, old_notes) == 0)
            return audit == 0 && found == 0 ? ABSENT : PARTIAL;
        return PARTIAL;
    }
    case OP_DONATION: {
        snprintf(text, sizeof text, "CR-%d", op);
        int64_t n = q_int(raw, "SELECT count(*) FROM donation_money WHERE account = ?1", text, 0);
        if (n == 0)
            return ABSENT;
        int64_t mid = q_int(raw, "SELECT id FROM donation_money WHERE account = ?1", text, 0);
        int64_t audit = q_int(raw, "SELECT count(*) FROM audit_log WHERE table_name ="
                                   " 'donation_money' AND row_id = ?1", NULL, mid);
        int64_t entries = q_int(raw, "SELECT count(*) FROM fund_entries WHERE amount = ?1",
                                NULL, 100 * (op + 1));
        return n == 1 && audit == 1 && entries == 1 ? PRESENT : PARTIAL;
    }
    case OP_HOURS: {
        snprintf(text, sizeof text, "断电测试%d", op);
        int64_t n = q_int(raw, "SELECT count(*) FROM hour_entries WHERE description = ?1",
                          text, 0);
        return n == 0 ? ABSENT : n == 1 ? PRESENT : PARTIAL;
    }
    case OP_GOODS: {
        snprintf(text, sizeof text, "B%d", op);
        int64_t n = q_int(raw, "SELECT count(*) FROM donation_goods WHERE batch = ?1", text, 0);
        if (n == 0)
            return q_int(raw, "SELECT count(*) FROM stock_moves WHERE batch = ?1", text, 0) == 0
                       ? ABSENT : PARTIAL;
        int64_t gid = q_int(raw, "SELECT id FROM donation_goods WHERE batch = ?1", text, 0);
        int64_t audit = q_int(raw, "SELECT count(*) FROM audit_log WHERE table_name ="
                                   " 'donation_goods' AND row_id = ?1", NULL, gid);
        int64_t moves = q_int(raw, "SELECT count(*) FROM stock_moves WHERE source ="
                                   " 'donation_goods' AND source_id = ?1", NULL, gid);
        return n == 1 && audit == 1 && moves == 1 ? PRESENT : PARTIAL;
    }
    case OP_BACKUP: {
        char *path = backup_path(r, op);
        presence p = ABSENT;
        if (access(path, F_OK) == 0) {
            backup_opts o = {.passphrase = op % 2 ? PASSPHRASE : NULL};
            backup_info info;
            char err[512];
            p = backup_verify(path, &o, &info, err, sizeof err) == WS_OK ? PRESENT : PARTIAL;
            if (p == PARTIAL)
                fprintf(stderr, "backup %s: %s\n", path, err);
        }
        free(path);
        return p;
    }
    }
    return PARTIAL;
}

/* One run; returns the number of VFS writes it made (0: the station did
 * not open). */
static uint64_t run_one(const base *b, run *r, uint64_t at, bool tear, uint64_t seed,
                        figures *fig, bool verbose)
{
    char *wal = sibling(r->path, "-wal"), *shm = sibling(r->path, "-shm");
    unlink(wal);
    unlink(shm);
    for (int op = 0; op < OPS_PER_RUN; op++) {
        char *p = backup_path(r, op);
        unlink(p);
        free(p);
    }
    copy_file(b->file, r->path);
    for (int op = 0; op < OPS_PER_RUN; op++) {
        /* A backup writes the whole file: one op in twenty is one, so the
         * cuts fall on the other kinds too. */
        uint64_t k = rnd() % 20;
        r->kind[op] = k == 0 ? OP_BACKUP : (int)(k % OP_BACKUP);
        r->state[op] = NOT_RUN;
    }
    crashvfs_arm(at, tear, seed);
    char err[512];
    station *st = open_station(r->path, 0, err, sizeof err);
    int in_flight = -1;
    if (st) {
        for (int op = 0; op < OPS_PER_RUN; op++) {
            r->state[op] = IN_FLIGHT;
            ws_status s = do_op(st, b, r, op);
            if (s == WS_OK) {
                r->state[op] = COMMITTED;
                continue;
            }
            if (!crashvfs_crashed())
                fail_msg("run %ld: %s refused without a cut: %s", fig->runs,
                         op_names[r->kind[op]], ws_status_name(s));
            in_flight = op;
            break;
        }
        station_close(&st);
    } else if (!crashvfs_crashed()) {
        fail_msg("open: %s", err);
    }
    uint64_t ops = crashvfs_ops();
    bool cut = crashvfs_crashed();
    if (cut) {
        assert_int_equal(crashvfs_open_files(), 0);
        assert_int_equal(crashvfs_settle(), 0);
        fig->cut++;
        if (in_flight >= 0)
            fig->by_kind[r->kind[in_flight]]++;
    }
    /* One run in four, the power goes again while the station recovers
     * (the first open after a cut replays the WAL and checkpoints). */
    if (cut && rnd() % 4 == 0) {
        crashvfs_arm(1 + rnd() % 40, tear, seed ^ 0x5a5a);
        station *rec = open_station(r->path, 0, err, sizeof err);
        station_close(&rec);
        if (crashvfs_crashed()) {
            assert_int_equal(crashvfs_settle(), 0);
            fig->recut++;
        }
    }
    crashvfs_arm(0, false, 0);
    fig->runs++;

    /* The power is back: open as the console would, then check. */
    station *again = open_station(r->path, 0, err, sizeof err);
    bool corrupt = false;
    if (!again) {
        fprintf(stderr, "run %ld: does not open after the cut: %s\n", fig->runs, err);
        fig->corrupt++;
        free(wal);
        free(shm);
        return ops;
    }
    station_check_report rep;
    int64_t res_problems = -1;
    if (station_check(again, &rep) != WS_OK || !rep.integrity_ok || rep.fk_problems ||
        rep.head_problems) {
        fprintf(stderr, "run %ld: check: integrity %s (%s), %lld foreign keys, %lld heads\n",
                fig->runs, rep.integrity_ok ? "ok" : "FAILED", rep.integrity,
                (long long)rep.fk_problems, (long long)rep.head_problems);
        corrupt = true;
    }
    if (res_check(again, &res_problems, NULL, NULL) != WS_OK || res_problems != 0) {
        fprintf(stderr, "run %ld: res_check: %lld problems\n", fig->runs,
                (long long)res_problems);
        corrupt = true;
    }
    /* The search index's own check (FTS5, with the station's tokenizer on
     * the station's connection). */
    sqlite3 *h = db_handle(station_db(again));
    int frc = sqlite3_exec(h, "INSERT INTO search_fts(search_fts) VALUES('integrity-check')",
                           NULL, NULL, NULL);
    if (frc != SQLITE_OK) {
        fprintf(stderr, "run %ld: FTS5 integrity-check: %s\n", fig->runs, sqlite3_errmsg(h));
        corrupt = true;
    }
    sqlite3 *raw = NULL;
    if (sqlite3_open_v2(r->path, &raw, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        fail_msg("raw open: %s", sqlite3_errmsg(raw));
    bool lost = false, partial = false;
    int last_update = -1;
    for (int op = 0; op < OPS_PER_RUN; op++) {
        presence p = op_presence(again, raw, b, r, op, last_update);
        const char *why = NULL;
        if (p == PARTIAL) {
            partial = true;
            why = "partly there";
        } else if (r->state[op] == COMMITTED && p != PRESENT) {
            lost = true;
            why = "committed, lost";
        } else if (r->state[op] == NOT_RUN && p != ABSENT) {
            partial = true;
            why = "never run, yet there";
        }
        if (why)
            fprintf(stderr, "run %ld (seed %llu, cut at %llu%s): op %d %s: %s\n", fig->runs,
                    (unsigned long long)seed, (unsigned long long)at, tear ? ", torn" : "", op,
                    op_names[r->kind[op]], why);
        if (r->kind[op] == OP_UPDATE && p == PRESENT)
            last_update = op;
    }
    if (verbose)
        fprintf(stderr, "run %ld: %llu writes, cut %s\n", fig->runs, (unsigned long long)ops,
                cut ? "yes" : "no");
    sqlite3_close(raw);
    station_close(&again);
    fig->corrupt += corrupt;
    fig->lost += lost;
    fig->partial += partial;
    free(wal);
    free(shm);
    return ops;
}

static void test_power_cuts(void **state)
{
    (void)state;
    assert_int_equal(crashvfs_install(), SQLITE_OK);
    const char *e = getenv("WUSHE_CRASH_RUNS");
    long runs = e && atol(e) > 0 ? atol(e) : 200;
    e = getenv("WUSHE_CRASH_SEED");
    uint64_t seed = e && strtoull(e, NULL, 10) ? strtoull(e, NULL, 10) : 15;
    bool verbose = getenv("WUSHE_CRASH_VERBOSE") != NULL;
    /* WUSHE_CRASH_LIE=1: the disk lies about fsync; the test must fail. */
    bool lying = getenv("WUSHE_CRASH_LIE") != NULL;
    g_rng = seed * 0x9e3779b97f4a7c15ull + 1;

    base b = {0};
    base_make(&b);
    run r = {.dir = b.dir, .path = testutil_path(b.dir, "station.db")};
    figures fig = {0};
    /* Runs without a cut measure how many writes a workload makes (their
     * mean: the cut falls within a run's writes most of the time). */
    uint64_t most = 0;
    for (int i = 0; i < 8; i++)
        most += run_one(&b, &r, 0, false, seed, &fig, verbose);
    most /= 8;
    assert_true(most > 0);
    fig = (figures){0};
    for (long i = 0; i < runs; i++) {
        uint64_t at = 1 + rnd() % most;
        bool tear = rnd() % 2;
        crashvfs_lie(lying);
        run_one(&b, &r, at, tear, seed + (uint64_t)i, &fig, verbose);
        crashvfs_lie(false);
    }
    long in_ops = 0;
    for (int k = 0; k < OP_KINDS; k++)
        in_ops += fig.by_kind[k];
    printf("power cuts: %ld runs (seed %llu, %llu writes a run on average), %ld cut (import %ld,"
           " household %ld, resident %ld, update %ld, donation %ld, hours %ld, goods %ld,"
           " backup %ld, opening %ld), %ld cut again while recovering: %ld corrupt,"
           " %ld committed lost, %ld partial\n",
           fig.runs, (unsigned long long)seed, (unsigned long long)most, fig.cut,
           fig.by_kind[OP_IMPORT], fig.by_kind[OP_HOUSEHOLD], fig.by_kind[OP_RESIDENT],
           fig.by_kind[OP_UPDATE], fig.by_kind[OP_DONATION], fig.by_kind[OP_HOURS],
           fig.by_kind[OP_GOODS], fig.by_kind[OP_BACKUP], fig.cut - in_ops, fig.recut,
           fig.corrupt, fig.lost, fig.partial);
    free(r.path);
    free(b.file);
    testutil_rmdir(&b.dir);
    assert_int_equal(fig.corrupt, 0);
    assert_int_equal(fig.lost, 0);
    assert_int_equal(fig.partial, 0);
    assert_true(fig.cut > fig.runs / 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_power_cuts),
    };
    return testutil_run(tests);
}
