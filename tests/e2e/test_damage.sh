#!/usr/bin/env bash
# shellcheck disable=SC2119,SC2317,SC1111  # lib functions with optional arguments; helpers run via wait_until; the program's Chinese quotes
# Damaged and foreign files from the command line and the console (issue
# 15): another program's SQLite file and an empty file are refused by
# search, check and the console with their bytes unchanged (never switched
# to WAL); a station cut short by 1,000 bytes fails check with what to do,
# and reindex mends it; a damaged WAL is kept beside the file and reported
# by check, which reads without changing or removing anything.
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

export WUSHE_USER=zhanzhang WUSHE_PASSWORD=wushe-demo

W=$WUSHE_BIN
OUT=$E2E_TMP/out
ERR=$E2E_TMP/err
RC=0
run() {
    RC=0
    "$W" "$@" >"$OUT" 2>"$ERR" </dev/null || RC=$?
}
show() { echo "exit $RC; stdout: $(head -c 900 "$OUT"); stderr: $(head -c 900 "$ERR")"; }
no_side_files() {
    local f
    for f in "$1-wal" "$1-shm" "$1-journal"; do
        [[ ! -e $f ]] || fail "$f was created next to a refused file"
    done
}
# sql FILE SQL: run SQL on FILE with Python's sqlite3 (not the program)
sql() {
    python3 - "$1" "$2" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.executescript(sys.argv[2])
c.close()
EOF
}
# refused_everywhere FILE WORDS: search, check and the console refuse FILE
# with WORDS on stderr; its bytes stay, nothing is made beside it
refused_everywhere() {
    local f=$1 words=$2 before
    before=$(sha "$f")
    for args in "search residents 王" "check"; do
        # shellcheck disable=SC2086
        run $args --db "$f"
        [[ $RC != 0 ]] || fail "$args accepted $f: $(show)"
        grep -qF "$words" "$ERR" || fail "$args: no \"$words\": $(show)"
        [[ $(sha "$f") == "$before" ]] || fail "$args changed $f"
        no_side_files "$f"
    done
    start --no-db --db "$f"
    wait_exit
    [[ $EXIT_STATUS != 0 ]] || fail "the console accepted $f"
    [[ $(sha "$f") == "$before" ]] || fail "the console changed $f"
    no_side_files "$f"
}

make_demo 300

step "another program's file with a residents table and user_version 3"
F=$E2E_TMP/other.db
sql "$F" "CREATE TABLE residents(id INTEGER PRIMARY KEY, name TEXT);
          INSERT INTO residents VALUES (1, '张三'); PRAGMA user_version = 3;"
refused_everywhere "$F" "另一个程序"
[[ $(od -An -tu1 -j18 -N1 "$F" | tr -d ' ') == 1 ]] || fail "the file was switched to WAL"

step "another program's file with user_version 7: not a newer Wushe"
F=$E2E_TMP/seven.db
sql "$F" "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); PRAGMA user_version = 7;"
run check --db "$F"
[[ $RC != 0 ]] || fail "check accepted it: $(show)"
grep -qF "不是五社数据库文件" "$ERR" || fail "not called a foreign file: $(show)"
! grep -qF "更新版本" "$ERR" || fail "called a newer Wushe's file: $(show)"

step "an empty file: refused by search, check and the console (only a confirmed first start writes it)"
F=$E2E_TMP/empty.db
: >"$F"
before=$(sha "$F")
for args in "search residents 王" "check"; do
    # shellcheck disable=SC2086
    run $args --db "$F"
    [[ $RC != 0 ]] || fail "$args accepted an empty file: $(show)"
    grep -qF "文件是空的" "$ERR" || fail "$args: $(show)"
    [[ $(sha "$F") == "$before" ]] || fail "$args wrote to the empty file"
    no_side_files "$F"
done

step "a station cut short by 1,000 bytes: check fails and says what to do"
F=$E2E_TMP/cut.db
cp "$DB" "$F"
truncate -s -1000 "$F"
before=$(sha "$F")
run check --db "$F"
[[ $RC != 0 ]] || fail "check passed a cut file: $(show)"
grep -qF "检查未通过" "$OUT" || fail "no verdict: $(show)"
grep -qF "wushe reindex" "$OUT" || fail "no advice to reindex: $(show)"
[[ $(sha "$F") == "$before" ]] || fail "check changed the file"
no_side_files "$F"

step "check runs without a login (a damaged station's accounts may not read); names only to an account"
FH=$E2E_TMP/heads.db
cp "$DB" "$FH"
HEAD=$(sqlite3 "file:$FH?immutable=1" "SELECT r.name FROM households h JOIN residents r ON r.id = h.head_id WHERE h.deleted_at IS NULL AND r.deleted_at IS NULL AND r.relation = '01' ORDER BY h.id LIMIT 1")
[[ -n $HEAD ]] || HEAD=$(sqlite3 "file:$FH?immutable=1" "SELECT r.name FROM households h JOIN residents r ON r.id = h.head_id ORDER BY h.id LIMIT 1")
sql "$FH" "UPDATE households SET head_id = NULL WHERE id = (SELECT h.id FROM households h JOIN residents r ON r.id = h.head_id WHERE r.name = '$HEAD' ORDER BY h.id LIMIT 1)"
RC=0
env -u WUSHE_USER -u WUSHE_PASSWORD "$W" check --db "$FH" >"$OUT" 2>"$ERR" </dev/null || RC=$?
[[ $RC == 1 ]] || fail "check without a login: wanted exit 1 (a head problem): $(show)"
grep -qF "需要先登录" "$ERR" && fail "check asked for a login: $(show)"
grep -qF "完整性检查：通过" "$OUT" || fail "check did not run: $(show)"
grep -qF "户主不一致：1 户" "$OUT" || fail "the head problem is not counted: $(show)"
grep -qF "$HEAD" "$OUT" && fail "a name shown without a login: $(show)"
grep -qF "wushe check --user" "$OUT" || fail "not said how to see the names: $(show)"
run check --db "$FH"
[[ $RC == 1 ]] || fail "check as an account: $(show)"
grep -qF "$HEAD" "$OUT" || fail "the name not shown to an account: $(show)"

step "0 系统 → 检查 in the console: the same report, scrolled, the 户主 named to the 站长"
# More households astray than a screen holds.
sql "$FH" "UPDATE households SET head_id = NULL WHERE id IN (SELECT id FROM households
           WHERE deleted_at IS NULL ORDER BY number LIMIT 24)"
start --db "$FH"
send 0
wait_line '^检查（站点文件是否完好） *$'
send F12
wait_for "功能菜单：系统"
wait_line '^检查 +F5 / Ctrl-R *$'
send Escape
wait_gone "功能菜单：系统"
send F5
wait_for "检查未通过：请按下面的说明处理"
wait_line '第 1–[0-9]+ 行，共 [0-9]+ 行'
JOINED=$(screen | tr -d ' \n')
[[ $JOINED == *"完整性检查：通过"* && $JOINED == *"户主不一致："* ]] ||
    fail "the 检查 screen does not give the check: $(screen)"
ALL=$JOINED
send Down
wait_line '第 2–[0-9]+ 行'
send PageDown
wait_no_line '第 2–[0-9]+ 行'
ALL+=$(screen | tr -d ' \n')
send End
wait_for "检查未通过：请按上面的说明处理"
ALL+=$(screen | tr -d ' \n')
[[ $ALL == *"$HEAD"* ]] || fail "the 户主 not named to the 站长: $ALL"
[[ $ALL == *"另有"*"户未列出"* ]] || fail "the households not listed are not counted: $ALL"
send Escape
wait_line '^检查（站点文件是否完好） *$'
send F10
wait_exit

step "wushe reindex mends it: check passes, ID number searches find their residents"
run reindex --db "$F"
[[ $RC == 0 ]] || fail "reindex: $(show)"
run check --db "$F"
[[ $RC == 0 ]] || fail "check after reindex: $(show)"
mapfile -t IDS < <(python3 - "$DB" <<'EOF'
import sqlite3, sys
c = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro&immutable=1", uri=True)
for (i,) in c.execute("SELECT id_number FROM residents WHERE length(id_number) = 18"
                      " ORDER BY seq LIMIT 80"):
    print(i)
EOF
)
((${#IDS[@]} == 80)) || fail "the demo has fewer than 80 ID numbers"
missing=0
for id in "${IDS[@]}"; do
    run search residents "$id" --db "$F"
    [[ $RC == 0 && -s $OUT ]] || missing=$((missing + 1))
done
((missing == 0)) || fail "$missing of 80 ID number searches came back empty after reindex"

step "a damaged WAL: check names the copy, keeps the log, changes nothing"
F=$E2E_TMP/wal.db
cp "$DB" "$F"
python3 - "$F" <<'EOF'
import shutil, sqlite3, sys
f = sys.argv[1]
c = sqlite3.connect(f, isolation_level=None)
c.execute("PRAGMA wal_autocheckpoint = 0")
c.execute("BEGIN")
for i in range(10):
    c.execute("INSERT INTO settings(key, value) VALUES (?, ?)", ("wal-test-%d" % i, "x" * 300))
c.execute("COMMIT")
# what an unclean stop leaves: the file and its log, not checkpointed
shutil.copy(f, f + ".keep")
shutil.copy(f + "-wal", f + ".keep-wal")
c.close()
shutil.move(f + ".keep", f)
shutil.move(f + ".keep-wal", f + "-wal")
w = bytearray(open(f + "-wal", "rb").read())
w[len(w) - 100] ^= 0x40
open(f + "-wal", "wb").write(w)
EOF
cp "$F" "$E2E_TMP/wal2.db"
cp "$F-wal" "$E2E_TMP/wal2.db-wal"
before=$(sha "$F")
wal_before=$(sha "$F-wal")
run check --db "$F"
[[ $RC != 0 ]] || fail "check passed a damaged WAL: $(show)"
grep -qF "已损坏" "$OUT" || fail "check does not say the WAL is damaged: $(show)"
copy=$(find "$E2E_TMP" -name 'wal.db-wal.*.bak' | head -1)
[[ -n $copy ]] || fail "no copy of the WAL: $(ls -la "$E2E_TMP")"
grep -qF "$(basename "$copy")" "$OUT" || fail "check does not name the copy: $(show)"
[[ -e $F-wal && $(sha "$F-wal") == "$wal_before" ]] || fail "check changed or removed the -wal"
[[ $(sha "$F") == "$before" ]] || fail "check changed the file"
[[ $(sha "$copy") == "$wal_before" ]] || fail "the copy is not the log"

step "the next open that writes says so on stderr too, and the copy stays"
run search residents 王 --db "$F"
[[ $RC == 0 ]] || fail "search: $(show)"
grep -qF "已损坏" "$ERR" || fail "search does not warn: $(show)"
[[ -e $copy ]] || fail "the copy went"

step "the console says so on its first screen"
start --db "$E2E_TMP/wal2.db"
wait_line "日志文件已损坏"
send F10
wait_exit
[[ -n $(find "$E2E_TMP" -name 'wal2.db-wal.*.bak') ]] || fail "the console kept no copy"

step "a damaged station: the home screen says what happened and what to do, in Chinese"
FD=$E2E_TMP/damaged.db
cp "$DB" "$FD"
# An index page of the audit log overwritten: the console opens, the
# station's own check (and so its automatic backup) fails.
python3 - "$FD" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
c.execute("PRAGMA journal_mode=DELETE")
root = c.execute("SELECT rootpage FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'audit_log'"
                 " ORDER BY rootpage LIMIT 1").fetchone()[0]
page = c.execute("PRAGMA page_size").fetchone()[0]
c.close()
with open(sys.argv[1], "r+b") as f:
    f.seek((root - 1) * page + 8)
    f.write(b"\xff\xff\xff\xff")
EOF
start --db "$FD"
wait_for "0  系统"
send F10
wait_exit
start --db "$FD"
wait_for "自动备份没有成功"
JOINED=$(screen | tr -d ' \n')
[[ $JOINED == *"站点文件本身已损坏"* && $JOINED == *"请在“0系统”里打开“检查”，按它说的处理"* ]] ||
    fail "the home screen does not say what happened and what to do: $(screen)"
[[ $JOINED == *"wushecheck"* ]] && fail "the home screen sends the clerk to a shell: $(screen)"
screen | grep -qE 'database main|tree page|never used|\*\*\*' &&
    fail "SQLite's English words on the home screen: $(screen)"
send 0
wait_line '^备份 *$'
# The 检查 the home screen named: the entry above 备份.
send End Up Enter
wait_for "检查未通过：请按下面的说明处理"
JOINED=$(screen | tr -d ' \n')
[[ $JOINED == *"完整性检查：发现问题"* ]] || fail "the 检查 screen does not say the file is damaged: $(screen)"
send End
wait_for "检查未通过：请按上面的说明处理"
JOINED=$(screen | tr -d ' \n')
[[ $JOINED == *"再回到这里检查一次"* && $JOINED != *"wushecheck"* ]] ||
    fail "the 检查 screen's advice is not the console's: $(screen)"
send Escape
wait_line '^备份 *$'
send End
send Enter
wait_for "详情："
screen | grep -qE 'tree page|database main' || fail "the 备份 screen does not give the details: $(screen)"
JOINED=$(screen | tr -d ' \n')
[[ $JOINED == *"打开“检查”"* && $JOINED != *"wushecheck"* ]] ||
    fail "the 备份 screen sends the clerk to a shell, not to 检查: $(screen)"
send Escape
send Escape
wait_for "0  系统"
send F10
wait_exit
# A 录入员, who may not back up, is told whom to tell.
E2E_LOGIN=luru start --db "$FD"
wait_for "自动备份没有成功"
JOINED=$(screen | tr -d ' \n')
[[ $JOINED == *"请告诉站长或社工"* ]] || fail "the 录入员 is not told whom to tell: $(screen)"
[[ $JOINED == *"请在“0系统”里"* ]] && fail "the 录入员 is told to back up: $(screen)"
# nor to check: neither the entry, the key nor help offers it
send 0
wait_for "修改密码"
screen | grep -qF "检查（站点文件" && fail "the 录入员 is offered 检查: $(screen)"
send F5
send F1
wait_for "帮助：系统"
screen | grep -qE "F5|检查" && fail "the 录入员's help offers 检查: $(screen)"
send Escape
wait_for "修改密码"
send Escape
wait_for "0  系统"
send F10
wait_exit

step "a station on a read-only disk: checked and searched, nothing can be saved"
RO=$E2E_TMP/ro
if e2e_mount_tmpfs "$RO" size=16m; then
    cp "$DB" "$RO/s.db"
    mount -o remount,ro "$RO" || fail "cannot remount read-only"
    before=$(sha "$RO/s.db")
    run check --db "$RO/s.db"
    [[ $RC == 0 ]] || fail "check on a read-only disk: $(show)"
    grep -qF "磁盘是只读的" "$OUT" || fail "check does not say the disk is read-only: $(show)"
    run search residents 王 --db "$RO/s.db"
    [[ $RC == 0 && -s $OUT ]] || fail "search on a read-only disk: $(show)"
    grep -qF "不能保存" "$ERR" || fail "search does not say nothing can be saved: $(show)"
    ! grep -qF "磁盘已满" "$ERR" || fail "a read-only disk called full: $(show)"
    [[ $(sha "$RO/s.db") == "$before" ]] || fail "the file changed"
else
    echo "(skipped: cannot mount a tmpfs here)"
fi

step "a full disk: an import says the disk is full, and nothing committed is lost"
FULL=$E2E_TMP/full
if e2e_mount_tmpfs "$FULL" size=8m; then
    cp "$DB" "$FULL/s.db"
    csv=$E2E_TMP/many.csv
    python3 - "$csv" <<'EOF'
import sys
n = "零一二三四五六七八九"
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("姓名,住址\n")
    for i in range(3000):
        f.write("居民%s%s%s%s,%s组%d号\n" % (n[i // 1000], n[i // 100 % 10], n[i // 10 % 10],
                                          n[i % 10], n[i % 10], i))
EOF
    # leave room for the -shm, not for the import
    avail=$(($(stat -f -c '%a*%S' "$FULL")))
    head -c $((avail - 196608)) /dev/zero >"$FULL/filler" 2>/dev/null || true
    run import residents "$csv" --db "$FULL/s.db"
    [[ $RC != 0 ]] || fail "the import succeeded on a full disk: $(show)"
    cat "$OUT" >>"$ERR"
    grep -qF "磁盘已满" "$ERR" || fail "a full disk is not called full: $(show)"
    ! grep -qF "not an error" "$ERR" || fail "the message was read after the rollback: $(show)"
    ! grep -qF "无法读写文件" "$ERR" || fail "a full disk called a read/write failure: $(show)"
    rm -f "$FULL/filler"
    run check --db "$FULL/s.db"
    [[ $RC == 0 ]] || fail "check after the full disk: $(show)"
    grep -qF "居民 300 人" "$OUT" || fail "the station lost residents: $(show)"
else
    echo "(skipped: cannot mount a tmpfs here)"
fi

exit 0
