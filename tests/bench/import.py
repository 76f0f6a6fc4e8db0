#!/usr/bin/env python3
"""Import benchmark: a 100,000-row ledger as Excel writes it on Chinese
Windows (GB18030, comma separated, CRLF), imported by `wushe import
residents` into a new station database (validated, indexed, audited, one
transaction), against sqlite3's own `.import` of the same file into a bare
table, measured in the same run. Prints the medians and the ratio.

usage: import.py WUSHE [--rows N] [--runs K] [--keep DIR]
"""
import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万严覃向汤单解仇查乐翟"
GIVEN = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林阳建国志文德永海春成兴福贵金山忠良芳娜敏静丽艳娟霞秀英慧玲婷雪琳洁梅兰红萍燕玉凤桂琴云莲倩欣怡佳悦雨诗涵萱"
PLACES = [("学堂湾社区", "510902105001"), ("青石村", "510902105201"),
          ("柳河社区", "510902105002"), ("桃源村", "510902105202"),
          ("新华社区", "510902105003"), ("龙门村", "510902105203")]
GROUPS = ["", "", "", "", "", "", "低保", "特困", "残疾", "低保、残疾", "空巢", "独居", "留守儿童"]
RELATIONS = ["户主", "配偶", "子", "女", "父母", "孙子女"]
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_number(code, y, m, d, seq):
    body = "%s%04d%02d%02d%03d" % (code[:6], y, m, d, seq)
    return body + "10X98765432"[sum(int(c) * k for c, k in zip(body, W)) % 11]


def make_file(path, rows, seed=2026, households=False):
    """With households, a 户号 column too: families of one to four sharing a
    place and an address, the first their 户主; half the numbers digits with
    zeros in front (as a ledger kept in Excel has them), half H00001."""
    rnd = random.Random(seed)
    seen = set()
    out = ["序号,姓名,性别,身份证号码,出生日期,联系电话,民族,所属社区/村,与户主关系,家庭住址,人员类别,备注"
           + (",户号" if households else "")]
    i = 0
    family = 0  # members of the current household still to come
    home = None  # its place, code, address and number
    while i < rows:
        place, code = rnd.choice(PLACES)
        if households and family:
            place, code = home[0], home[1]
        y, m, d = rnd.randint(1930, 2020), rnd.randint(1, 12), rnd.randint(1, 28)
        seq = rnd.randint(0, 999)
        idn = id_number(code, y, m, d, seq)
        if idn in seen:
            continue
        seen.add(idn)
        i += 1
        sex = "男" if seq % 2 else "女"
        name = rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.randint(1, 2)))
        phone = "1%d%09d" % (rnd.choice([3, 5, 8, 9]), rnd.randint(0, 999999999)) if rnd.random() < 0.8 else ""
        addr = '%s%d组%d号' % (place, rnd.randint(1, 9), rnd.randint(1, 200))
        if rnd.random() < 0.02:
            addr = '"%s，靠近""大桥"""' % addr  # quoted field with a comma and quotes
        nation = "汉族" if rnd.random() < 0.95 else "彝族"
        relation = rnd.choice(RELATIONS)
        if households:
            if family == 0:
                family = rnd.randint(1, 4)
                home = (place, code, addr, "%06d" % i if i % 2 else "H%05d" % i, family)
            place, addr = home[0], home[2]
            nth = home[4] - family
            relation = "户主" if nth == 0 else "配偶" if nth == 1 else rnd.choice(["子", "女"])
            family -= 1
        group = rnd.choice(GROUPS)
        # The groups of an age (空巢、独居 from 60, 留守儿童 under 18): a
        # ledger with them elsewhere imports with error rows (exit 3); in a
        # family, nobody lives alone.
        if (group in ("空巢", "独居") and (y > 1965 or households)) or \
                (group == "留守儿童" and y < 2010):
            group = ""
        out.append(",".join([str(i), name, sex, idn, "%04d-%02d-%02d" % (y, m, d), phone,
                             nation, place, relation, addr, group, ""]
                            + ([home[3]] if households else [])))
    with open(path, "wb") as f:
        f.write(("\r\n".join(out) + "\r\n").encode("gb18030"))


def timed(cmd, env=None):
    t0 = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        sys.stderr.write(r.stdout.decode("utf-8", "replace") + r.stderr.decode("utf-8", "replace"))
        raise SystemExit("failed: %s" % " ".join(cmd))
    return dt, r.stdout.decode("utf-8", "replace")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("wushe")
    ap.add_argument("--rows", type=int, default=100000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep")
    ap.add_argument("--households", action="store_true",
                    help="a 户号 column: each family's household found or made")
    a = ap.parse_args()
    tmp = a.keep or tempfile.mkdtemp(prefix="wushe-bench-import-")
    os.makedirs(tmp, exist_ok=True)
    env = dict(os.environ, LANG="C.UTF-8", TZ="Asia/Shanghai", WUSHE_TODAY="2026-11-23",
               HOME=tmp, XDG_CONFIG_HOME=tmp + "/cfg", XDG_DATA_HOME=tmp + "/data",
               XDG_RUNTIME_DIR=tmp + "/run")
    # Each call runs in the session made below: an account in the
    # environment would cost every call a password check (Argon2id, about
    # 0.15 s of CPU) that the ceiling, measured inside one call, never pays.
    env.pop("WUSHE_USER", None)
    env.pop("WUSHE_PASSWORD", None)
    try:
        src = os.path.join(tmp, "ledger.csv")
        make_file(src, a.rows, households=a.households)
        size = os.path.getsize(src) / 1048576
        print("ledger: %d rows, %.1f MB, GB18030, comma separated%s"
              % (a.rows, size, ", with 户号" if a.households else ""))
        sqlite = shutil.which("sqlite3")
        ours, base, again, ceiling = [], [], [], []
        ceiling_detail = []
        floors = {}
        summary = ""
        for run in range(a.runs):
            db = os.path.join(tmp, "station%d.db" % run)
            for ext in ("", "-wal", "-shm"):
                if os.path.exists(db + ext):
                    os.remove(db + ext)
            # Only `wushe demo` makes a station from the command line: the
            # smallest one (a resident in the demo's four communities).
            timed([a.wushe, "demo", db, "--residents", "1"], env)
            # Logged in once, as a script would be (a session, no password
            # check per call).
            subprocess.run([a.wushe, "--db", db, "login", "--user", "zhanzhang"], env=env,
                           input=b"wushe-demo\n", stdout=subprocess.DEVNULL, check=True)
            dt, out = timed([a.wushe, "import", "residents", src, "--db", db], env)
            ours.append(dt)
            summary = [l for l in out.splitlines()
                       if l.startswith(("已导入", "新建", "Imported", "New "))]
            dt, _ = timed([a.wushe, "import", "residents", src, "--db", db], env)
            again.append(dt)
            # What SQLite alone needs to write the imported rows (same schema,
            # INSERT ... SELECT, one transaction): no import can beat it. And
            # the floors beside it: each record built, and one INSERT a row.
            _, out = timed([a.wushe, "bench", "--db", db, "--ceiling", "--floors"], env)
            m = re.search(r"in ([0-9.]+) s", out)
            if m:
                ceiling.append(float(m.group(1)))
                ceiling_detail = [l.strip() for l in out.splitlines() if "of which" in l][:1]
            for m in re.finditer(r"^floor, (.*): ([0-9.]+) s,", out, re.M):
                floors.setdefault(m.group(1), []).append(float(m.group(2)))
            if sqlite:
                t0 = time.perf_counter()
                subprocess.run([sqlite, ":memory:", ".mode csv", ".import %s ledger" % src,
                                "SELECT count(*) FROM ledger;"], check=True,
                               stdout=subprocess.DEVNULL)
                base.append(time.perf_counter() - t0)
            for ext in ("", "-wal", "-shm"):
                if os.path.exists(db + ext):
                    os.remove(db + ext)
        for line in summary:
            print("  " + line)
        m = statistics.median(ours)
        print("wushe import (validate, classify, index, audit, commit): median %.2f s"
              " over %d runs (%.0f rows/s)" % (m, len(ours), a.rows / m))
        print("the same file again (all unchanged): median %.2f s" % statistics.median(again))
        if base:
            b = statistics.median(base)
            print("sqlite3 .import into a bare table (baseline): median %.3f s" % b)
            print("ratio: %.1fx the baseline" % (m / b))
        if ceiling:
            c = statistics.median(ceiling)
            print("write ceiling (sqlite alone copying the imported rows, indexes, audit,"
                  " postings, FTS): median %.2f s; the import is %.1fx it" % (c, m / c))
            print("  " + " ".join(ceiling_detail))
            for what, runs in floors.items():
                f = statistics.median(runs)
                print("floor, %s: median %.2f s (%.2fx the ceiling); the import is %.1fx it"
                      % (what, f, f / c, m / f))
        print("target 100,000 rows < 5 s: %s" % ("met" if m * 100000 / a.rows < 5 else "missed"))
    finally:
        if not a.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
