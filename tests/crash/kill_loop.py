#!/usr/bin/env python3
"""SIGKILL loop against the real binary (issue 15): imports and demo fills
killed at random moments, then `wushe check` and the counts.

    tests/crash/kill_loop.py build/wushe [--runs N] [--seed S] [--rows R]

Each run copies a small demo station, starts `wushe import residents` of R
new people (or, one run in four, `wushe demo` of a fresh file), kills it
with SIGKILL at a random moment within the time a whole run takes, then
runs `wushe check` and counts the residents. Figures:

    corrupt   `wushe check` fails, or the file does not open
    lost      the command had finished (exit 0 or 3) and its rows are gone
    partial   neither all of the import's (or the demo's) rows nor none

A SIGKILL keeps what the OS already has, so this tests the transactions,
not the disk; tests/crash/test_powercut.c cuts the power."""
import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = "建国秀英桂兰志强海燕春生明华丽娟伟芳军红玉梅"


def id_number(body):
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11]


def ledger(path, rows, tag):
    """R new residents with valid, unique ID numbers (tag keeps runs apart)."""
    with open(path, "w", encoding="utf-8") as f:
        f.write("姓名,身份证号,联系电话,所属社区/村\n")
        for i in range(rows):
            year = 1930 + (i % 80)
            body = "110101%04d%02d%02d%03d" % (year, 1 + i % 12, 1 + (i // 12) % 28, tag % 1000)
            name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // 7) % len(GIVEN)] + \
                GIVEN[(i // 3) % len(GIVEN)]
            f.write("%s,%s,139%08d,断电村\n" % (name, id_number(body), i))


def residents(db):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        return con.execute("SELECT count(*) FROM residents WHERE deleted_at IS NULL").fetchone()[0]
    finally:
        con.close()


def user_version(db):
    if not os.path.exists(db) or os.path.getsize(db) == 0:
        return 0
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        return con.execute("PRAGMA user_version").fetchone()[0]
    finally:
        con.close()


def check(wushe, db, env):
    r = subprocess.run([wushe, "check", "--db", db], env=env, capture_output=True, text=True)
    return r.returncode == 0, (r.stdout + r.stderr).strip()


def run_killed(cmd, env, delay):
    """Start cmd, SIGKILL it after delay seconds; its exit code, or None when killed."""
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        rc = p.wait(timeout=delay)
        return rc
    except subprocess.TimeoutExpired:
        p.send_signal(signal.SIGKILL)
        p.wait()
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("wushe")
    ap.add_argument("--runs", type=int, default=300)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--rows", type=int, default=300)
    ap.add_argument("--demo-residents", type=int, default=300)
    a = ap.parse_args()
    wushe = os.path.abspath(a.wushe)
    rng = random.Random(a.seed)
    tmp = tempfile.mkdtemp(prefix="wushe-kill-")
    env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8", TZ="Asia/Shanghai",
               WUSHE_TODAY="2026-11-23", HOME=tmp, XDG_RUNTIME_DIR=tmp,
               XDG_CONFIG_HOME=tmp + "/config", XDG_DATA_HOME=tmp + "/data",
               XDG_STATE_HOME=tmp + "/state",
               WUSHE_USER="zhanzhang", WUSHE_PASSWORD="wushe-demo")
    try:
        base = os.path.join(tmp, "base.db")
        subprocess.run([wushe, "demo", base, "--residents", "50"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        n_base = residents(base)
        db = os.path.join(tmp, "station.db")
        csv = os.path.join(tmp, "rows.csv")
        ledger(csv, a.rows, a.seed)

        def fresh():
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(db + suffix):
                    os.unlink(db + suffix)
                if suffix != "-shm" and os.path.exists(base + suffix):
                    shutil.copy(base + suffix, db + suffix)

        # One login (half a second of password hashing) for every run: a
        # session on the run's path, its token kept in the base copy.
        fresh()
        subprocess.run([wushe, "login", "--db", db], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        for suffix in ("", "-wal"):
            if os.path.exists(db + suffix):
                shutil.copy(db + suffix, base + suffix)
        env_pw = dict(env)  # the demo's files: no session there
        del env["WUSHE_PASSWORD"], env["WUSHE_USER"]

        # How long whole runs take, to kill within them.
        fresh()
        t0 = time.monotonic()
        subprocess.run([wushe, "import", "residents", csv, "--db", db], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        t_import = time.monotonic() - t0
        if residents(db) != n_base + a.rows:
            sys.exit("the import does not add its %d rows unkilled" % a.rows)
        demo = os.path.join(tmp, "demo.db")
        t0 = time.monotonic()
        subprocess.run([wushe, "demo", demo, "--residents", str(a.demo_residents)], env=env,
                       check=True, stdout=subprocess.DEVNULL)
        t_demo = time.monotonic() - t0
        n_demo = residents(demo)

        fig = dict(runs=0, unmade=0, killed=0, corrupt=0, lost=0, partial=0, imports=0, demos=0)
        for i in range(a.runs):
            is_demo = rng.random() < 0.25
            if is_demo:
                for suffix in ("", "-wal", "-shm"):
                    if os.path.exists(demo + suffix):
                        os.unlink(demo + suffix)
                delay = rng.uniform(0, t_demo * 1.1)
                rc = run_killed([wushe, "demo", demo, "--residents", str(a.demo_residents)],
                                env, delay)
                target, whole, none = demo, n_demo, 0
                fig["demos"] += 1
            else:
                fresh()
                delay = rng.uniform(0, t_import * 1.1)
                rc = run_killed([wushe, "import", "residents", csv, "--db", db], env, delay)
                target, whole, none = db, n_base + a.rows, n_base
                fig["imports"] += 1
            fig["runs"] += 1
            if rc is None:
                fig["killed"] += 1
            if is_demo and user_version(target) == 0:
                # Killed before the first migration committed: no station
                # was made (check refuses an empty file by design).
                fig["unmade"] += 1
                continue
            ok, out = check(wushe, target, env_pw if is_demo else env)
            try:
                n = residents(target)
            except sqlite3.DatabaseError as e:
                n = None
                ok, out = False, out + " " + str(e)
            if not ok:
                fig["corrupt"] += 1
                print("run %d (%s, killed after %.3f s): check: %s" %
                      (i, "demo" if is_demo else "import", delay, out), file=sys.stderr)
            if n is None:
                continue
            if rc in (0, 3) and n != whole:
                fig["lost"] += 1
                print("run %d: finished, but %d residents (want %d)" % (i, n, whole),
                      file=sys.stderr)
            elif n not in (whole, none):
                fig["partial"] += 1
                print("run %d: %d residents (want %d or %d)" % (i, n, none, whole),
                      file=sys.stderr)
        print("SIGKILL loop: %(runs)d runs (%(imports)d imports, %(demos)d demo fills), "
              "%(killed)d killed mid-way (%(unmade)d demo files not made yet): %(corrupt)d corrupt, %(lost)d committed lost, "
              "%(partial)d partial" % fig)
        return 1 if fig["corrupt"] or fig["lost"] or fig["partial"] else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
