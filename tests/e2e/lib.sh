# shellcheck shell=bash disable=SC2034
# (SC2034: variables such as EXIT_STATUS and DB are read by the test scripts)
# End-to-end test library for Wushe: runs the real binary in a private tmux
# server and asserts on what is on the screen.
#
# Source it from a test script:  . "${E2E_LIB:-$(dirname "$0")/lib.sh}"
#
# Environment: WUSHE_BIN (the binary, set by meson; defaults to build/wushe).
#
# Accounts: `start` logs the console in as the demo's 站长 (zhanzhang, password
# wushe-demo) when the station has accounts; E2E_NO_LOGIN=1 leaves the login
# screen to the test. WUSHE_USER and WUSHE_PASSWORD are exported, so the CLI
# runs as that 站长 too; first_director makes that account on a new station.
#
# Every test gets
#   E2E_TMP   a fresh temporary directory (removed at exit)
#   DB        $E2E_TMP/station.db, the database the console is started on
#   HOME, XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_CACHE_HOME, XDG_STATE_HOME inside E2E_TMP
#   a private tmux server (tmux -L <unique name>, sockets under E2E_TMP), so tests
#   run in parallel and never touch the user's own tmux server.
#
# Synchronisation is by polling the screen (every 50 ms), never by fixed sleeps.

set -u
set -o pipefail

E2E_NAME=$(basename "${0%.sh}")

if [[ -z ${WUSHE_BIN:-} ]]; then
    WUSHE_BIN=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/wushe
fi
if [[ ! -x $WUSHE_BIN ]]; then
    echo "$E2E_NAME: WUSHE_BIN=$WUSHE_BIN is not an executable" >&2
    exit 1
fi
command -v tmux >/dev/null || { echo "$E2E_NAME: tmux not installed" >&2; exit 77; }

E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/wushe-e2e.XXXXXX")
E2E_SOCK="wushe-e2e-$$-$RANDOM"
E2E_SESSION=w
# Exact targets: a bare "w" would also match a window named "wushe..." of a
# second session a test starts (tmux matches window names by prefix).
E2E_TARGET="=$E2E_SESSION:"
E2E_TIMEOUT=${E2E_TIMEOUT:-10}   # default seconds for wait_for / wait_gone
DB=$E2E_TMP/station.db

# A test environment that does not depend on the user's: fixed locale, zone, date,
# and home/config directories inside the temporary directory.
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=Asia/Shanghai WUSHE_TODAY=2026-11-23
# The demo's 站长 (wushe demo makes one account per role, all with this password).
E2E_LOGIN=zhanzhang
E2E_PASSWORD=wushe-demo
export WUSHE_USER=$E2E_LOGIN WUSHE_PASSWORD=$E2E_PASSWORD
export HOME=$E2E_TMP/home
export XDG_CONFIG_HOME=$HOME/.config XDG_DATA_HOME=$HOME/.local/share
export XDG_CACHE_HOME=$HOME/.cache XDG_STATE_HOME=$HOME/.local/state
# tmux sockets go under E2E_TMP too (unless that path is too long for a socket)
if ((${#E2E_TMP} < 64)); then
    export TMUX_TMPDIR=$E2E_TMP
else
    export TMUX_TMPDIR=/tmp
fi
unset TMUX TMUX_PANE LANGUAGE
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME"
printf 'set -g status off\nset -g default-shell %s\n' "$(command -v bash)" >"$E2E_TMP/tmux.conf"

E2E_PIDS=()   # background helper processes started by a test (killed at exit)

_tmux() { tmux -L "$E2E_SOCK" -f "$E2E_TMP/tmux.conf" "$@"; }

E2E_FAILED=0  # set by soft(): a check failed but the test went on
E2E_MOUNTS=() # file systems a test mounted (unmounted at exit)

# e2e_mount_tmpfs DIR OPTIONS: a small file system at DIR (as root; false
# otherwise, and the caller skips what needs it).
e2e_mount_tmpfs() {
    mkdir -p "$1"
    mount -t tmpfs -o "$2" tmpfs "$1" 2>/dev/null || return 1
    E2E_MOUNTS+=("$1")
}

# Unmount what e2e_mount_tmpfs mounted (at exit; earlier where a test must
# remove a mount point outside E2E_TMP).
e2e_umount_all() {
    local m
    for m in "${E2E_MOUNTS[@]}"; do
        umount "$m" 2>/dev/null || true
    done
}

e2e_cleanup() {
    local rc=$?
    if ((rc == 0 && E2E_FAILED != 0)); then
        rc=1
    fi
    _tmux kill-server >/dev/null 2>&1 || true
    e2e_umount_all
    local p
    for p in "${E2E_PIDS[@]}"; do
        kill "$p" >/dev/null 2>&1 || true
        wait "$p" 2>/dev/null || true
    done
    if [[ -n ${E2E_KEEP:-} ]]; then
        echo "$E2E_NAME: kept $E2E_TMP" >&2
    else
        rm -rf "$E2E_TMP"
    fi
    if ((rc == 0)); then
        echo "$E2E_NAME: PASS"
    else
        echo "$E2E_NAME: FAIL" >&2
    fi
    exit "$rc"
}
trap e2e_cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- reporting

E2E_STEP=""
step() {
    E2E_STEP=$*
    echo "--- $E2E_NAME: $*"
}

# fail MESSAGE...: print the message, the current screen (if any) and the
# program's stderr, then exit non-zero.
fail() {
    {
        echo "FAIL [$E2E_NAME${E2E_STEP:+: $E2E_STEP}]: $*"
        if _tmux has-session -t "=$E2E_SESSION" 2>/dev/null; then
            echo "----- screen ($(_tmux display -p -t "$E2E_TARGET" '#{window_width}x#{window_height}')) -----"
            _tmux capture-pane -p -t "$E2E_TARGET" 2>/dev/null | sed 's/^/|/'
            echo "----- end of screen -----"
        else
            echo "(no tmux session: the program is not running)"
        fi
        if [[ -s $E2E_TMP/stderr ]]; then
            echo "----- program stderr -----"
            cat "$E2E_TMP/stderr"
        fi
        if [[ -f $E2E_TMP/rc ]]; then
            echo "program exit status: $(cat "$E2E_TMP/rc")"
        fi
    } >&2
    exit 1
}

# soft CMD [ARGS...]: run a check (wait_for, a function calling fail, ...) and,
# when it fails, report it but go on with the test; the test still fails at the
# end. For checks of known bugs that should not hide the checks after them.
soft() {
    if ! ("$@"); then
        E2E_FAILED=1
        echo "(continuing after the failure above)" >&2
    fi
}

# ---------------------------------------------------------------- time

_now_ms() {
    local t=${EPOCHREALTIME/./}
    echo $((t / 1000))
}

# ---------------------------------------------------------------- running

# start [ARGS...]: start the console in a new 80x24 tmux session:
#   $WUSHE_BIN --db $DB ARGS...
# (pass --no-db as first argument to leave out --db $DB). The exit status goes
# to $E2E_TMP/rc, stderr to $E2E_TMP/stderr. A station with accounts (and
# --demo) is logged in as $E2E_LOGIN unless E2E_NO_LOGIN is set (see login).
start() {
    local -a args=(--db "$DB")
    local db=$DB
    if [[ ${1:-} == --no-db ]]; then
        args=()
        shift
        db=$XDG_DATA_HOME/wushe/station.db
    fi
    local a prev="" demo=0
    for a in "$@"; do
        [[ $prev == --db ]] && db=$a
        [[ $a == --demo ]] && demo=1
        prev=$a
    done
    if ((demo)) && [[ ${args[*]:-} == "" && $db == "$XDG_DATA_HOME/wushe/station.db" ]]; then
        db=$XDG_DATA_HOME/wushe/demo.db
    fi
    local has=0
    if ((demo)) || has_accounts "$db"; then
        has=1
    fi
    start_cmd "$WUSHE_BIN" "${args[@]}" "$@"
    if ((has)) && [[ -z ${E2E_NO_LOGIN:-} ]]; then
        login "$E2E_LOGIN" "$E2E_PASSWORD"
    fi
}

# has_accounts FILE: the station file exists and has at least one account
# (read as immutable: no -wal or -shm is left next to it).
has_accounts() {
    [[ -s $1 ]] || return 1
    local n
    n=$(python3 -c 'import sqlite3, sys, urllib.parse
c = sqlite3.connect("file:" + urllib.parse.quote(sys.argv[1]) + "?immutable=1", uri=True)
print(c.execute("SELECT count(*) FROM accounts").fetchone()[0])' "$1" 2>/dev/null) || return 1
    ((n > 0))
}

# login_screen: the console shows its login screen (either language).
login_screen() {
    [[ $(screen_line 0) =~ │\ (登录|Log\ in)\  ]]
}

# login LOGIN PASSWORD: wait for the login screen, log in, and wait until it
# is gone. When the program exits first (a refused start), nothing is done:
# the test checks the exit itself.
login() {
    local deadline=$(($(_now_ms) + E2E_TIMEOUT * 1000))
    until login_screen 2>/dev/null; do
        running || return 0
        (($(_now_ms) > deadline)) && fail "timed out waiting for the login screen"
        sleep 0.05
    done
    type_text "$1"
    send Tab
    type_text "$2"
    send Enter
    deadline=$(($(_now_ms) + E2E_TIMEOUT * 1000))
    while login_screen 2>/dev/null; do
        running || return 0
        (($(_now_ms) > deadline)) && fail "still on the login screen after logging in as $1"
        sleep 0.05
    done
}

# first_director: on a station without accounts, the console asks for its
# first 站长: make $E2E_LOGIN (张建国) with $E2E_PASSWORD.
first_director() {
    wait_line '│ (建立站长账户|Station head account) '
    type_text "$E2E_LOGIN"
    send Tab
    type_text "张建国"
    send Tab
    type_text "$E2E_PASSWORD"
    send Tab
    type_text "$E2E_PASSWORD"
    send F2
    wait_no_line '│ (建立站长账户|Station head account) '
}

# start_cmd CMD [ARGS...]: run any command in the test session (see start).
start_cmd() {
    rm -f "$E2E_TMP/rc" "$E2E_TMP/stderr"
    local cmd q
    cmd=""
    for q in "$@"; do
        cmd+=" $(printf '%q' "$q")"
    done
    # The environment is passed explicitly: the tmux server's global environment
    # is whatever the first client had.
    local envs
    envs=$(printf '%q ' LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=Asia/Shanghai WUSHE_TODAY="$WUSHE_TODAY" \
        HOME="$HOME" XDG_CONFIG_HOME="$XDG_CONFIG_HOME" XDG_DATA_HOME="$XDG_DATA_HOME" \
        XDG_CACHE_HOME="$XDG_CACHE_HOME" XDG_STATE_HOME="$XDG_STATE_HOME")
    local rcf errf
    rcf=$(printf '%q' "$E2E_TMP/rc")
    errf=$(printf '%q' "$E2E_TMP/stderr")
    _tmux new-session -d -s "$E2E_SESSION" -x 80 -y 24 \
        "env -u TMUX -u TMUX_PANE $envs $cmd 2>$errf; echo \$? >$rcf.tmp && mv $rcf.tmp $rcf" \
        || fail "cannot start tmux"
}

# wait_exit [TIMEOUT]: wait until the program has exited; sets EXIT_STATUS.
EXIT_STATUS=""
wait_exit() {
    local timeout=${1:-$E2E_TIMEOUT}
    local deadline=$(($(_now_ms) + timeout * 1000))
    while [[ ! -f $E2E_TMP/rc ]]; do
        if (($(_now_ms) > deadline)); then
            fail "the program did not exit within ${timeout}s"
        fi
        sleep 0.05
    done
    EXIT_STATUS=$(cat "$E2E_TMP/rc")
    # the tmux server exits with its last session; wait for that too
    while _tmux has-session 2>/dev/null; do
        if (($(_now_ms) > deadline + 5000)); then
            break
        fi
        sleep 0.05
    done
}

# running: true while the program (its tmux session) is alive.
running() { [[ ! -f $E2E_TMP/rc ]] && _tmux has-session -t "=$E2E_SESSION" 2>/dev/null; }

# send KEY...: tmux key names (Enter, Escape, Tab, F2, C-s, BSpace, Up, ...).
send() {
    _tmux send-keys -t "$E2E_TARGET" "$@" || fail "send-keys $* failed"
}

# type TEXT: literal text (Chinese included), as an IME would commit it.
type_text() {
    _tmux send-keys -t "$E2E_TARGET" -l -- "$1" || fail "send-keys -l $1 failed"
}

# screen: print the visible screen (plain text).
screen() {
    _tmux capture-pane -p -t "$E2E_TARGET"
}

# screen_esc: the visible screen with attributes as escape sequences.
screen_esc() {
    _tmux capture-pane -p -e -t "$E2E_TARGET"
}

# resize W H
resize() {
    _tmux resize-window -t "$E2E_TARGET" -x "$1" -y "$2" || fail "resize-window $1x$2 failed"
}

# wait_for TEXT [TIMEOUT]: poll until the screen contains TEXT (fixed string).
wait_for() {
    local text=$1 timeout=${2:-$E2E_TIMEOUT}
    local deadline=$(($(_now_ms) + timeout * 1000)) s
    while :; do
        if s=$(screen 2>/dev/null); then
            if grep -qF -- "$text" <<<"$s"; then
                return 0
            fi
        elif ! running; then
            fail "waiting for \"$text\": the program is not running"
        fi
        if (($(_now_ms) > deadline)); then
            fail "timed out after ${timeout}s waiting for \"$text\""
        fi
        sleep 0.05
    done
}

# wait_gone TEXT [TIMEOUT]: poll until the screen no longer contains TEXT.
wait_gone() {
    local text=$1 timeout=${2:-$E2E_TIMEOUT}
    local deadline=$(($(_now_ms) + timeout * 1000)) s
    while :; do
        if s=$(screen 2>/dev/null); then
            if ! grep -qF -- "$text" <<<"$s"; then
                return 0
            fi
        elif ! running; then
            fail "waiting for \"$text\" to go: the program is not running"
        fi
        if (($(_now_ms) > deadline)); then
            fail "timed out after ${timeout}s waiting for \"$text\" to disappear"
        fi
        sleep 0.05
    done
}

# wait_line REGEX [TIMEOUT]: poll until a screen line matches the ERE.
wait_line() {
    local re=$1 timeout=${2:-$E2E_TIMEOUT}
    local deadline=$(($(_now_ms) + timeout * 1000)) s
    while :; do
        if s=$(screen 2>/dev/null); then
            if grep -qE -- "$re" <<<"$s"; then
                return 0
            fi
        elif ! running; then
            fail "waiting for a line matching /$re/: the program is not running"
        fi
        if (($(_now_ms) > deadline)); then
            fail "timed out after ${timeout}s waiting for a line matching /$re/"
        fi
        sleep 0.05
    done
}

# wait_no_line REGEX [TIMEOUT]: poll until no screen line matches the ERE.
wait_no_line() {
    local re=$1 timeout=${2:-$E2E_TIMEOUT}
    local deadline=$(($(_now_ms) + timeout * 1000)) s
    while :; do
        if s=$(screen 2>/dev/null); then
            if ! grep -qE -- "$re" <<<"$s"; then
                return 0
            fi
        elif ! running; then
            fail "waiting for no line matching /$re/: the program is not running"
        fi
        if (($(_now_ms) > deadline)); then
            fail "timed out after ${timeout}s waiting for no line to match /$re/"
        fi
        sleep 0.05
    done
}

# wait_size W H: poll until tmux reports the window at that size and the program
# has redrawn (the top line is not blank).
wait_size() {
    local want="$1x$2" deadline=$(($(_now_ms) + E2E_TIMEOUT * 1000))
    while [[ $(_tmux display -p -t "$E2E_TARGET" '#{window_width}x#{window_height}') != "$want" ]]; do
        (($(_now_ms) > deadline)) && fail "window did not become $want"
        sleep 0.05
    done
}

# wait_until DESCRIPTION CMD [ARGS...]: poll until CMD succeeds (E2E_TIMEOUT).
wait_until() {
    local desc=$1 deadline=$(($(_now_ms) + E2E_TIMEOUT * 1000))
    shift
    until "$@" >/dev/null 2>&1; do
        if ! running; then
            fail "waiting until $desc: the program is not running"
        fi
        (($(_now_ms) > deadline)) && fail "timed out after ${E2E_TIMEOUT}s waiting until $desc"
        sleep 0.05
    done
}

# list_rows: number of list rows on the screen (rows with a masked ID number).
list_rows() {
    screen | grep -cE '[0-9]{3}\*{11}[0-9X]{4}'
}

# check_list_alignment [MIN_ROWS]: in a resident list on the screen, every row's
# cells start at the display column of their header label (姓名 性别 年龄 身份证号
# 电话), measured as a terminal does (East Asian Wide/Fullwidth = 2 columns).
check_list_alignment() {
    local out
    if ! out=$(screen | python3 -c '
import re, sys, unicodedata
def width(s):
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in s)
def col(line, i):
    return width(line[:i])
lines = sys.stdin.read().split("\n")
hdr = [i for i, l in enumerate(lines) if "姓名" in l and "身份证号" in l]
if not hdr:
    sys.exit("no header line with 姓名 and 身份证号")
h = lines[hdr[0]]
cols = {k: col(h, h.index(k)) for k in ("姓名", "性别", "年龄", "身份证号", "电话")}
masked = re.compile(r"\d{3}\*{11}[\dX]{4}")
phone = re.compile(r"1\d\d\*{4}\d{4}")
rows = 0
bad = []
for n, l in enumerate(lines[hdr[0] + 1:], hdr[0] + 1):
    m = masked.search(l)
    if not m:
        continue
    rows += 1
    if col(l, m.start()) != cols["身份证号"]:
        bad.append("line %d: ID number at column %d, header at %d: %r" % (n, col(l, m.start()), cols["身份证号"], l))
    if len(l) - len(l.lstrip(" ")) != cols["姓名"]:
        bad.append("line %d: name not at column %d: %r" % (n, cols["姓名"], l))
    s = re.search(r"[男女]", l[: m.start()])
    if not s or col(l, s.start()) != cols["性别"]:
        bad.append("line %d: sex not at column %d: %r" % (n, cols["性别"], l))
    a = re.search(r"(?<=[男女]) +(\d+)", l)
    if not a or col(l, a.start(1)) != cols["年龄"]:
        bad.append("line %d: age not at column %d: %r" % (n, cols["年龄"], l))
    p = phone.search(l, m.end())
    if p and col(l, p.start()) != cols["电话"]:
        bad.append("line %d: phone at column %d, header at %d: %r" % (n, col(l, p.start()), cols["电话"], l))
if rows == 0:
    sys.exit("no rows with a masked ID number")
if bad:
    sys.exit("\n".join(bad))
print(rows)
' 2>&1); then
        fail "list columns not aligned: $out"
    fi
    ((out >= ${1:-1})) || fail "alignment: only $out rows checked, want at least ${1:-1}"
}

# screen_line N: line N (0-based) of the screen.
screen_line() {
    screen | sed -n "$(($1 + 1))p"
}

# assert_screen TEXT: the screen contains TEXT now.
assert_screen() {
    screen | grep -qF -- "$1" || fail "screen does not show \"$1\""
}

# refute_screen TEXT: the screen does not contain TEXT now.
refute_screen() {
    if screen | grep -qF -- "$1"; then
        fail "screen unexpectedly shows \"$1\""
    fi
}

# ---------------------------------------------------------------- display columns

# dcol TEXT SUB: display column (0-based) where SUB first starts in TEXT, as a
# terminal shows it (East Asian Wide/Fullwidth = 2 columns, combining = 0);
# prints -1 when SUB is not in TEXT.
dcol() {
    python3 - "$1" "$2" <<'EOF'
import sys, unicodedata
text, sub = sys.argv[1], sys.argv[2]
i = text.find(sub)
def width(s):
    w = 0
    for ch in s:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w
print(-1 if i < 0 else width(text[:i]))
EOF
}

# dwidth TEXT: display width of TEXT.
dwidth() {
    python3 - "$1" <<'EOF'
import sys, unicodedata
w = 0
for ch in sys.argv[1]:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        continue
    w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
print(w)
EOF
}

# ---------------------------------------------------------------- data helpers

# make_demo [N]: a demo database with N residents (default 300) at $DB.
make_demo() {
    "$WUSHE_BIN" demo "$DB" --residents "${1:-300}" >"$E2E_TMP/demo.out" 2>&1 \
        || { cat "$E2E_TMP/demo.out" >&2; fail "wushe demo failed"; }
}

# id_number BODY17: BODY17 followed by its GB 11643 check digit.
id_number() {
    python3 - "$1" <<'EOF'
import sys
body = sys.argv[1]
w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
print(body + "10X98765432"[sum(int(c) * k for c, k in zip(body, w)) % 11])
EOF
}

# search_residents TEXT: the CLI search on $DB (TSV on stdout), with full ID
# numbers and phones, which the tests compare (--unmasked: each call is
# recorded in audit_log as an unmasked export; test_cli checks the masking).
search_residents() {
    "$WUSHE_BIN" search residents "$1" --unmasked --db "$DB"
}

# sha FILE: content hash of FILE.
sha() { sha256sum "$1" | cut -d' ' -f1; }

# spawn CMD...: start a background helper (killed at exit); its pid in SPAWNED_PID.
SPAWNED_PID=""
spawn() {
    "$@" &
    SPAWNED_PID=$!
    E2E_PIDS+=("$SPAWNED_PID")
}
