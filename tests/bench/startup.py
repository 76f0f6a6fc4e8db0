#!/usr/bin/env python3
"""Time from exec to the first drawn screen, and per-keystroke redraw of the
residents filter, through a real pty (80x24).

usage: startup.py WUSHE_BIN [DB...] [--runs N]
Without DB, makes demo databases of 1,000 and 100,000 residents in a
temporary directory. Prints medians; the baseline is `wushe --version`
(exec + dynamic loading alone) measured in the same run."""
import os, pty, select, statistics, struct, subprocess, sys, time, fcntl, termios

KEYLOG = f"/tmp/wushe-keylog-{os.getpid()}.txt"

def spawn(argv):
    pid, fd = pty.fork()
    if pid == 0:
        env = dict(os.environ, LANG="C.UTF-8", TERM="xterm-256color", WUSHE_KEYLOG=KEYLOG)
        os.execve(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    return pid, fd

def read_until(fd, needle, timeout=10.0):
    buf = b""
    end = time.monotonic() + timeout
    while needle not in buf:
        left = end - time.monotonic()
        if left <= 0:
            raise TimeoutError(needle)
        r, _, _ = select.select([fd], [], [], left)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
    return buf

def finish(pid, fd):
    try:
        os.write(fd, b"\x1b[21~")  # F10
    except OSError:
        pass
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass
    os.waitpid(pid, 0)
    os.close(fd)

def measure(binary, db, runs):
    base, start, keys = [], [], []
    for _ in range(runs):
        t = time.monotonic()
        subprocess.run([binary, "--version"], stdout=subprocess.DEVNULL, check=True)
        base.append(time.monotonic() - t)
    for _ in range(runs):
        if os.path.exists(KEYLOG):
            os.unlink(KEYLOG)
        t = time.monotonic()
        pid, fd = spawn([binary, "--db", db])
        read_until(fd, "首页".encode())
        start.append(time.monotonic() - t)
        os.write(fd, b"1")
        read_until(fd, "身份证号".encode())
        # Type into the filter one key at a time; the console logs the time
        # from each key to the end of its redraw (WUSHE_KEYLOG).
        for ch in ["/"] + list("zsf") + ["\x7f"] * 3 + list("张"):
            os.write(fd, ch.encode())
            time.sleep(0.05)
        finish(pid, fd)
        lines = [l.split() for l in open(KEYLOG)]
        keys += [float(l[2]) / 1e6 for l in lines[2:-1]]  # skip '1', '/', F10
        os.unlink(KEYLOG)
    ms = lambda xs: statistics.median(xs) * 1000
    print(f"== {db}")
    print(f"exec baseline (--version): median {ms(base):.1f} ms")
    print(f"start to first screen:     median {ms(start):.1f} ms "
          f"({ms(start) / ms(base):.1f}x baseline)")
    keys.sort()
    p95 = keys[int(len(keys) * 0.95) - 1]
    print(f"filter key to redrawn list: median {ms(keys):.2f} ms, p95 {p95 * 1000:.2f} ms "
          f"(n={len(keys)})")

def main():
    args = sys.argv[1:]
    runs = 10
    if "--runs" in args:
        i = args.index("--runs")
        runs = int(args[i + 1])
        del args[i:i + 2]
    binary, dbs = args[0], args[1:]
    tmp = None
    if not dbs:
        import tempfile
        tmp = tempfile.mkdtemp(prefix="wushe-bench-")
        for n in (1000, 100000):
            db = os.path.join(tmp, f"demo{n}.db")
            subprocess.run([binary, "demo", db, "--residents", str(n)], check=True,
                           stdout=subprocess.DEVNULL)
            dbs.append(db)
    for db in dbs:
        measure(binary, db, runs)
    if tmp:
        import shutil
        shutil.rmtree(tmp)

main()
