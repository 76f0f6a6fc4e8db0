#!/usr/bin/env python3
"""`wushe search residents TEXT` as a script runs it: the whole process
(exec, opening the station, the search, every matching row printed), timed
from outside for queries drawn from the register, by class. Prints p50 and
p95 of the wall time and of the CPU time (user + system, which a busy
machine disturbs less), and their ratio to `wushe --version` (exec and
dynamic loading alone) measured in the same run, interleaved.

usage: search_cli.py WUSHE [DB] [--residents N] [--queries N] [--runs N]
                     [--before WUSHE_BEFORE --before-db DB_BEFORE]
                     [--other LABEL:WUSHE:DB ...] [--slow MS]

Without DB, makes a station of --residents (200,000) with `wushe demo` in a
temporary directory. --before (and --other) times another binary (an older
build) on its own copy of the station with the same queries, in the same
run, so they can be compared (an older binary rebuilds an index made by a
newer one, so each needs its own file).
"""
import argparse
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

# A few traditional forms, for names typed in traditional characters.
HANT = dict(zip("陈刘张黄赵吴郑杨杰丽华红龙国伟军强东兰凤艳娟霞韩邓冯叶萧卢苏钟谭陆汪邹贺顾龚",
                "陳劉張黃趙吳鄭楊傑麗華紅龍國偉軍強東蘭鳳艷娟霞韓鄧馮葉蕭盧蘇鍾譚陸汪鄒賀顧龔"))

# Name-like classes carry the 20 ms goal; "broad" (a surname alone, two
# initials) prints hundreds or thousands of rows and is reported apart.
CLASSES = ["name", "name start", "full pinyin", "initials", "char+initials",
           "pinyin+initials", "initial+pinyin", "char+pinyin+char", "traditional", "digits",
           "broad"]


def units(text):
    """The stored syllables of a row: [(character, reading), ...]."""
    field = text[1:text.index("|", 1)] if text.startswith("|") else ""
    out = []
    for tok in field.split():
        i = 0
        while i < len(tok) and not ("a" <= tok[i] <= "z" or "0" <= tok[i] <= "9"):
            i += 1
        out.append((tok[:i], tok[i:].split("/")[0]))
    return out


def make(cls, name, u, idn, phone, rnd, i):
    chars = [c for c, _ in u]
    reads = [r for _, r in u]
    if len(u) < 2 or not all(chars) or not all(reads) or "".join(chars) != name:
        return None
    ini = "".join(r[0] for r in reads)
    if cls == "name":
        return name
    if cls == "name start":
        return name[:2] if len(u) >= 3 else None
    if cls == "full pinyin":
        extra = reads[1][:1 + rnd.randrange(3)]
        return reads[0] + (" " if i % 2 else "") + extra
    if cls == "initials":
        return ini if len(u) >= 3 else None
    if cls == "char+initials":
        return chars[0] + (" " if i % 2 else "") + ini[1:]
    if cls == "pinyin+initials":
        return reads[0] + ini[1:]
    if cls == "initial+pinyin":
        return ini[0] + "".join(reads[1:])
    if cls == "char+pinyin+char":
        return chars[0] + reads[1] + "".join(chars[2:]) if len(u) >= 3 else None
    if cls == "traditional":
        t = "".join(HANT.get(c, c) for c in name)
        return t if t != name else None
    if cls == "digits":
        # The end of an ID number or a phone, as a clerk reads it off a
        # paper; their beginnings (region, birth year) are shared by
        # thousands and belong with the broad queries.
        src = phone if i % 2 and phone else idn
        d = "".join(c for c in src if c.isdigit() or c == "X")
        return d[-6:] if len(d) >= 6 else None
    if cls == "broad":
        return chars[0] if i % 2 else ini[:2]
    return None


def queries(db, per_class, seed=2026):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    maxseq = con.execute("SELECT max(seq) FROM residents").fetchone()[0]
    out = []
    for k, cls in enumerate(CLASSES):
        rnd = random.Random(seed + 7919 * k)
        made, tries = 0, 0
        while made < per_class and tries < per_class * 50:
            tries += 1
            row = con.execute("SELECT name, search_text, coalesce(id_number, ''), phone"
                              " FROM residents WHERE deleted_at IS NULL AND seq >= ?"
                              " ORDER BY seq LIMIT 1", (rnd.randrange(maxseq) + 1,)).fetchone()
            if not row:
                continue
            q = make(cls, row[0], units(row[1]), row[2], row[3], rnd, made)
            if q:
                out.append((cls, q))
                made += 1
    con.close()
    return out


def timed(argv):
    """Wall and CPU milliseconds of one run, and its lines of output."""
    t = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = (time.perf_counter() - t) * 1000
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode:
        raise SystemExit(f"{' '.join(argv)}: exit {p.returncode}")
    return wall, (ru.ru_utime + ru.ru_stime) * 1000, out.count(b"\n")


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * (len(xs) - 1) + 0.5))] if xs else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("wushe")
    ap.add_argument("db", nargs="?")
    ap.add_argument("--residents", type=int, default=200000)
    ap.add_argument("--queries", type=int, default=30, help="per class")
    ap.add_argument("--runs", type=int, default=1, help="runs of each query")
    ap.add_argument("--before")
    ap.add_argument("--before-db")
    ap.add_argument("--other", action="append", default=[], metavar="LABEL:WUSHE:DB",
                    help="another binary and station to time the same way")
    ap.add_argument("--slow", type=float, help="list the queries slower than this (ms)")
    a = ap.parse_args()
    if bool(a.before) != bool(a.before_db):
        ap.error("--before and --before-db go together")
    tmp = None
    db = a.db
    if not db:
        tmp = tempfile.mkdtemp(prefix="wushe-search-bench-")
        db = os.path.join(tmp, "station.db")
        print(f"making a station of {a.residents} residents ...", flush=True)
        subprocess.run([a.wushe, "demo", db, "--residents", str(a.residents)], check=True,
                       stdout=subprocess.DEVNULL)
    # Command-line figures are measured as a script runs: logged in once
    # (`wushe login`, a session in XDG_RUNTIME_DIR), not paying a password
    # check per call. A binary from before accounts has no login: skipped.
    run_dir = tempfile.mkdtemp(prefix="wushe-search-bench-run-")
    os.environ["XDG_RUNTIME_DIR"] = run_dir
    for binary, bdb in [(a.wushe, db)] + ([(a.before, a.before_db)] if a.before else []) + \
            [tuple(o.split(":", 2)[1:]) for o in a.other]:
        subprocess.run([binary, "--db", bdb, "login", "--user", "zhanzhang"],
                       input=b"wushe-demo\n", stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    # The first open by this binary brings the index to its version.
    subprocess.run([a.wushe, "--db", db, "search", "residents", "x"], check=True,
                   stdout=subprocess.DEVNULL)
    subjects = [("after", [a.wushe, "--db", db])]
    if a.before:
        subjects.append(("before", [a.before, "--db", a.before_db]))
    for o in a.other:
        label, binary, odb = o.split(":", 2)
        subjects.append((label, [binary, "--db", odb]))
    for _, argv in subjects[1:]:
        subprocess.run(argv + ["search", "residents", "x"], check=True, stdout=subprocess.DEVNULL)
    qs = queries(db, a.queries)
    res = {s: {c: ([], [], []) for c in CLASSES} for s, _ in subjects}
    base_w, base_c = [], []
    for _ in range(a.runs):
        for cls, q in qs:
            w, c, _ = timed([a.wushe, "--version"])
            base_w.append(w)
            base_c.append(c)
            for s, argv in subjects:
                w, c, n = timed(argv + ["search", "residents", q])
                res[s][cls][0].append(w)
                res[s][cls][1].append(c)
                res[s][cls][2].append(n)
                if a.slow and w > a.slow:
                    print(f"  slow {s} {cls} {q!r}: {w:.1f} ms wall, {c:.1f} cpu, {n} rows")
    b50w, b50c = statistics.median(base_w), statistics.median(base_c)
    print(f"{len(qs)} queries x {a.runs} runs; database {db}")
    print(f"baseline `wushe --version`: wall p50 {b50w:.1f} ms p95 {pct(base_w, .95):.1f} ms,"
          f" cpu p50 {b50c:.1f} ms")
    for s, argv in subjects:
        print(f"\n== {s}: {argv[0]} {argv[2]}")
        print(f"{'class':18} {'n':>4} {'rows':>6} {'wall p50':>9} {'p95':>7} {'x base':>7}"
              f" {'cpu p50':>8} {'p95':>7}")
        allw, allc = [], []
        for cls in CLASSES:
            w, c, n = res[s][cls]
            if not w:
                continue
            if cls != "broad":
                allw += w
                allc += c
            print(f"{cls:18} {len(w):4d} {statistics.median(n):6.0f} {pct(w, .5):9.1f}"
                  f" {pct(w, .95):7.1f} {pct(w, .5) / b50w:6.1f}x {pct(c, .5):8.1f}"
                  f" {pct(c, .95):7.1f}")
        print(f"{'all but broad':18} {len(allw):4d} {'':6} {pct(allw, .5):9.1f}"
              f" {pct(allw, .95):7.1f} {pct(allw, .5) / b50w:6.1f}x {pct(allc, .5):8.1f}"
              f" {pct(allc, .95):7.1f}")
    if a.before:
        print("\nbefore / after, wall p50 (p95):")
        for cls in CLASSES:
            bw, aw = res["before"][cls][0], res["after"][cls][0]
            if aw:
                print(f"  {cls:18} {pct(bw, .5) / pct(aw, .5):5.1f}x"
                      f" ({pct(bw, .95) / pct(aw, .95):.1f}x)")
    if tmp:
        shutil.rmtree(tmp)


main()
