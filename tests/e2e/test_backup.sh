#!/usr/bin/env bash
# shellcheck disable=SC2119,SC2317,SC1111  # lib functions with optional arguments; helpers run via wait_until; the program's Chinese quotes
# wushe backup and wushe restore as a clerk and a script use them: a checked
# copy while a console works, encrypted for a stick, restored with the old
# station kept; and the bad cases of issue 14: a full disk, a read-only
# stick, a file cut short, a backup from a newer version, a restore onto an
# open station, a wrong passphrase. Nothing half-written is ever left.
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

W=$WUSHE_BIN
OUT=$E2E_TMP/out
ERR=$E2E_TMP/err
BK=$XDG_DATA_HOME/wushe/backups
PASSPHRASE='桃源 备份口令 2026'

RC=0
run() {
    RC=0
    "$W" "$@" >"$OUT" 2>"$ERR" </dev/null || RC=$?
}
show() { echo "exit $RC; stdout: $(head -c 800 "$OUT"); stderr: $(head -c 800 "$ERR")"; }
expect_ok() { [[ $RC == 0 ]] || fail "$1: $(show)"; }
expect_fail() { # WHAT TEXT: exit 1 and TEXT on stderr
    [[ $RC == 1 ]] || fail "$1: wanted exit 1: $(show)"
    grep -qF -- "$2" "$ERR" || fail "$1: stderr does not say \"$2\": $(show)"
}
count() { sqlite3 "file:$1?immutable=1" "$2"; }
files_in() { find "$1" -mindepth 1 -maxdepth 1 | wc -l; }

make_demo 120
RESIDENTS=$(count "$DB" 'SELECT count(*) FROM residents')

step "the home screen warns when there is no backup; leaving the console makes one"
start
wait_line '还没有备份过！请在“0 系统”里备份'
send F10
wait_exit
AUTO=$(find "$BK" -name '*-自动-*.wushe-backup' | head -1)
[[ -n $AUTO ]] || fail "no automatic backup on leaving: $(ls -la "$BK" 2>&1)"
[[ $(count "$AUTO" 'PRAGMA integrity_check') == ok ]] || fail "the automatic backup is not whole"
[[ $(stat -c %a "$BK") == 700 ]] || fail "the backup folder is open to others: $(stat -c %a "$BK")"

step "a backup into the station's backup folder, checked"
run backup --db "$DB"
expect_ok "backup"
grep -qF "已备份到 $BK/青石镇社会工作服务站-2026-" "$OUT" || fail "where it went: $(show)"
grep -qF "居民 $RESIDENTS 人" "$OUT" || fail "counts: $(show)"
grep -qF "已校验：完整性" "$OUT" || fail "not said checked: $(show)"
PLAIN=$(find "$BK" -name '*.wushe-backup' ! -name '*-自动-*' | head -1)
[[ -n $PLAIN ]] || fail "no backup file in $BK"
[[ $(count "$PLAIN" 'PRAGMA integrity_check') == ok ]] || fail "the backup is not whole"
[[ $(count "$PLAIN" 'SELECT count(*) FROM residents') == "$RESIDENTS" ]] || fail "residents differ"
[[ $(stat -c %a "$PLAIN") == 600 ]] || fail "the backup is readable by others: $(stat -c %a "$PLAIN")"
[[ $(count "$DB" "SELECT count(*) FROM access_log WHERE event = 'backup'") == 2 ]] \
    || fail "the two backups are not in the access log"

step "an encrypted backup onto a stick (a folder): nothing readable in it"
STICK=$E2E_TMP/stick
mkdir -p "$STICK"
WUSHE_BACKUP_PASSPHRASE=$PASSPHRASE run backup "$STICK" --db "$DB" --encrypt
expect_ok "encrypted backup"
grep -qF "已加密" "$OUT" || fail "not said encrypted: $(show)"
ENC=$(find "$STICK" -name '*-加密.wushe-backup' | head -1)
[[ -n $ENC ]] || fail "no encrypted file on the stick: $(ls -la "$STICK")"
[[ $(head -c 8 "$ENC") == WUSHEBAK ]] || fail "not an encrypted backup"
! grep -qa "SQLite format 3\|residents\|青石" "$ENC" || fail "plain text in the encrypted file"
[[ $(files_in "$STICK") == 1 ]] || fail "something else was left on the stick: $(ls -a "$STICK")"

step "a passphrase too short, or typed differently, is refused"
WUSHE_BACKUP_PASSPHRASE=short run backup "$STICK" --db "$DB" --encrypt
expect_fail "short passphrase" "口令太短"
[[ $(files_in "$STICK") == 1 ]] || fail "a file was left"

step "a backup never replaces a file"
echo "the clerk's own file" >"$STICK/mine.wushe-backup"
run backup "$STICK/mine.wushe-backup" --db "$DB"
expect_fail "existing file" "已经存在"
[[ $(cat "$STICK/mine.wushe-backup") == "the clerk's own file" ]] || fail "the file was replaced"
rm "$STICK/mine.wushe-backup"

step "a 社工 may back up encrypted anywhere, plain only into the backup folder"
WUSHE_USER=shegong run backup "$STICK" --db "$DB"
expect_fail "社工, plain, on a stick" "只有站长可以"
ls "$STICK" >"$E2E_TMP/stick.before"
WUSHE_USER=shegong WUSHE_BACKUP_PASSPHRASE=$PASSPHRASE run backup "$STICK" --db "$DB" --encrypt
expect_ok "社工, encrypted"
WUSHE_USER=luru run backup --db "$DB"
expect_fail "录入员" "不能做备份"
# the 社工's file goes (named -2 in the same minute, by the new minute else)
ls "$STICK" | grep -vxF -f "$E2E_TMP/stick.before" | while read -r f; do rm -f "$STICK/$f"; done
[[ $(files_in "$STICK") == 1 ]] || fail "the 社工's backup was not the one new file"

step "a restore into a folder that is not there is refused, naming it; nothing is made"
run restore "$PLAIN" --db "$E2E_TMP/nwe/station.db"
expect_fail "missing folder" "文件夹 $E2E_TMP/nwe 不存在"
grep -qF "没有恢复任何数据" "$ERR" || fail "not said nothing restored: $(show)"
grep -qF ".tmp-" "$ERR" && fail "a temporary name in the message: $(show)"
[[ ! -e $E2E_TMP/nwe ]] || fail "the folder was made: $(ls -laR "$E2E_TMP/nwe")"
: >"$E2E_TMP/afile"
run restore "$PLAIN" --db "$E2E_TMP/afile/station.db"
expect_fail "a file where the folder should be" "文件夹 $E2E_TMP/afile 不存在"
[[ ! -s $E2E_TMP/afile ]] || fail "the file was written"

step "restore onto a new place (its folder made first): the same station"
NEW=$E2E_TMP/new/station.db
mkdir -p "$E2E_TMP/new"
run restore "$PLAIN" --db "$NEW"
expect_ok "restore"
grep -qF "居民 $RESIDENTS 人" "$OUT" || fail "restore counts: $(show)"
grep -qF "原来没有站点文件，已新建" "$OUT" || fail "not said new: $(show)"
# (the station's accounts have logged in since: compared with the backup;
# the restore's own login, as whoever restored, is the one change allowed)
for t in residents households communities audit_log accounts resident_groups; do
    cols='*'
    [[ $t == accounts ]] && cols='id, login, display_name, role, password_hash, deleted_at'
    a=$(sqlite3 "file:$PLAIN?immutable=1" "SELECT $cols FROM $t ORDER BY rowid" | sha256sum)
    b=$(sqlite3 "file:$NEW?immutable=1" "SELECT $cols FROM $t ORDER BY rowid" | sha256sum)
    [[ $a == "$b" ]] || fail "table $t differs after the restore"
done
[[ $(count "$NEW" "SELECT count(*) FROM access_log WHERE event = 'restore' AND login = 'zhanzhang' AND account_id IS NOT NULL") == 1 ]] \
    || fail "the restore is not recorded as the account who restored"
run search residents 张 --db "$NEW"
expect_ok "search in the restored station"
EMPTY=$E2E_TMP/empty.db
: >"$EMPTY"
run restore "$PLAIN" --db "$EMPTY"
expect_ok "restore onto an empty file"
grep -qF "原来的站点文件是空的" "$OUT" && ! grep -qF "原来没有站点文件" "$OUT" ||
    fail "an empty file said to be none: $(show)"

step "restore an encrypted backup: the passphrase opens it"
mkdir -p "$E2E_TMP/enc"
WUSHE_BACKUP_PASSPHRASE=$PASSPHRASE run restore "$ENC" --db "$E2E_TMP/enc/station.db"
expect_ok "encrypted restore"
grep -qF "居民 $RESIDENTS 人" "$OUT" || fail "restore counts: $(show)"

step "a wrong passphrase restores nothing"
mkdir -p "$E2E_TMP/w"
WUSHE_BACKUP_PASSPHRASE='桃源 备份口令 2025' run restore "$ENC" --db "$E2E_TMP/w/station.db"
expect_fail "wrong passphrase" "口令不对"
[[ -z $(ls -A "$E2E_TMP/w") ]] || fail "a file was left: $(ls -la "$E2E_TMP/w")"

step "a backup cut short (a copy pulled out too early) restores nothing"
head -c 200000 "$ENC" >"$E2E_TMP/cut.wushe-backup"
mkdir -p "$E2E_TMP/c"
WUSHE_BACKUP_PASSPHRASE=$PASSPHRASE run restore "$E2E_TMP/cut.wushe-backup" --db "$E2E_TMP/c/station.db"
expect_fail "encrypted, cut short" "不完整"
head -c 300000 "$PLAIN" >"$E2E_TMP/cut2.wushe-backup"
run restore "$E2E_TMP/cut2.wushe-backup" --db "$E2E_TMP/c/station.db"
[[ $RC == 1 ]] || fail "plain, cut short: $(show)"
[[ -z $(ls -A "$E2E_TMP/c") ]] || fail "something was left: $(ls -la "$E2E_TMP/c")"

step "a damaged byte restores nothing"
cp "$ENC" "$E2E_TMP/bad.wushe-backup"
# Flip every bit of one byte in the middle (writing a fixed byte left the
# file as it was whenever the ciphertext had that byte there: 1 in 256).
python3 - "$E2E_TMP/bad.wushe-backup" <<'PY'
import os, sys
p = sys.argv[1]
at = os.path.getsize(p) // 2
with open(p, "r+b") as f:
    f.seek(at)
    b = f.read(1)
    f.seek(at)
    f.write(bytes([b[0] ^ 0xFF]))
PY
mkdir -p "$E2E_TMP/d"
WUSHE_BACKUP_PASSPHRASE=$PASSPHRASE run restore "$E2E_TMP/bad.wushe-backup" --db "$E2E_TMP/d/station.db"
expect_fail "damaged" "已损坏"

step "a backup from a newer version of Wushe is refused"
cp "$PLAIN" "$E2E_TMP/newer.wushe-backup"
truncate -s -48 "$E2E_TMP/newer.wushe-backup"   # changed by hand: no checksum trailer
sqlite3 "$E2E_TMP/newer.wushe-backup" 'PRAGMA user_version = 999'
mkdir -p "$E2E_TMP/n"
run restore "$E2E_TMP/newer.wushe-backup" --db "$E2E_TMP/n/station.db"
expect_fail "newer" "请先升级五社"
[[ -z $(ls -A "$E2E_TMP/n") ]] || fail "something was left: $(ls -la "$E2E_TMP/n")"

step "0 系统 → 备份: F2 makes a checked backup; the home screen says when"
start
wait_line '上次备份：20[0-9-]+ [0-9:]+'
send 0
wait_line '^备份 *$'
send End
send Enter
wait_line '保存到 +.*/wushe/backups'
wait_for "wushe restore"
wait_for "F2 开始备份"
refute_screen "F4"
N=$(find "$BK" -name '*.wushe-backup' | wc -l)
send F2
wait_for "已校验"
[[ $(find "$BK" -name '*.wushe-backup' | wc -l) == $((N + 1)) ]] || fail "no new backup file"
step "the same screen, encrypted onto a stick: the passphrase twice, never shown"
send C-u
type_text "$STICK"
send Tab
type_text "桃源备份口令2026"
send Tab
type_text "桃源备份口令2026"
refute_screen "桃源备份口令"
send F2 F2   # a double press: the second F2 must not make a plain copy after it
wait_for "已加密备份到 $STICK"
step "the passphrase typed once, or differently: said in full, asked again"
send Up
type_text "桃源备份口令2026"
send F2
wait_for "请再输入一次口令"
type_text "桃源备份口令2027"
send F2
wait_line "两次不一样，请重输 *$"
send C-u
type_text "短口令"
send Up
send C-u
type_text "短口令"
send F2
wait_line "至少要 8 个字符 *$"
[[ $(find "$STICK" -name '*-加密*.wushe-backup' | wc -l) == 2 ]] || fail "no encrypted file on the stick"
[[ $(find "$STICK" -name '*.wushe-backup' ! -name '*-加密*' | wc -l) == 0 ]] || fail "a plain copy on the stick"
send Escape
send Escape
wait_for "0  系统"

step "a console has the station open: the restore is refused"
BEFORE=$(count "$DB" 'SELECT count(*) FROM residents')
run restore "$PLAIN" --db "$DB"
expect_fail "open station" "正被打开着"
[[ -z $(find "$E2E_TMP" -maxdepth 1 -name 'station.db.before-restore-*') ]] || fail "a copy was kept"
send F10
wait_exit
[[ $(count "$DB" 'SELECT count(*) FROM residents') == "$BEFORE" ]] || fail "the station changed"

step "with the console closed: restored, the old station kept beside it"
sqlite3 "$DB" "UPDATE residents SET notes = '备份以后改的' WHERE rowid = (SELECT min(rowid) FROM residents)"
run restore "$PLAIN" --db "$DB"
expect_ok "restore over the station"
KEPT=$(find "$E2E_TMP" -maxdepth 1 -name 'station.db.before-restore-*' | head -1)
[[ -n $KEPT ]] || fail "the old station was not kept: $(show)"
grep -qF "原来的站点文件保留为 $KEPT" "$OUT" || fail "not said where it was kept: $(show)"
[[ $(count "$KEPT" "SELECT count(*) FROM residents WHERE notes = '备份以后改的'") == 1 ]] \
    || fail "the kept file is not the old station"
[[ $(count "$DB" "SELECT count(*) FROM residents WHERE notes = '备份以后改的'") == 0 ]] \
    || fail "the station was not restored"
run check --db "$DB"
expect_ok "check after the restore"
WUSHE_USER=shegong run restore "$PLAIN" --db "$DB"
expect_fail "社工 restores" "只有站长可以做"

step "a login from before a restore: the script is told the restore ended it"
# (a session, as a script keeps one: no account in the environment)
nosession() { RC=0; env -u WUSHE_USER -u WUSHE_PASSWORD "$W" "$@" >"$OUT" 2>"$ERR" </dev/null || RC=$?; }
echo "$WUSHE_PASSWORD" | env -u WUSHE_USER -u WUSHE_PASSWORD "$W" --db "$DB" login --user zhanzhang \
    >/dev/null 2>&1 || fail "login"
nosession search residents 王 --db "$DB"
expect_ok "search with the session"
run restore "$PLAIN" --db "$DB"
expect_ok "restore again"
nosession search residents 王 --db "$DB"
expect_fail "a session from before the restore" "从备份恢复，恢复前的登录都已失效"
grep -qF "登录已过期" "$ERR" && fail "said expired, not restored: $(show)"
nosession search residents 王 --db "$DB"
expect_fail "the session is gone" "需要先登录"

step "a station path that is a link: the real file is restored, the link stays"
mkdir -p "$E2E_TMP/links"
ln -s "$DB" "$E2E_TMP/links/station.db"
sqlite3 "$DB" "UPDATE residents SET notes = '链接前改的' WHERE rowid = (SELECT min(rowid) FROM residents)"
run restore "$PLAIN" --db "$E2E_TMP/links/station.db"
expect_ok "restore through a link"
[[ -L $E2E_TMP/links/station.db ]] || fail "the link was replaced by a file"
[[ $(count "$DB" "SELECT count(*) FROM residents WHERE notes = '链接前改的'") == 0 ]] \
    || fail "the real station was not restored"
grep -qF "是指向站点文件的链接：恢复的是它指向的文件 $(realpath "$DB")" "$OUT" \
    || fail "not said which file was restored: $(show)"
[[ -z $(ls -A "$E2E_TMP/links" | grep -v '^station.db$') ]] || fail "kept beside the link: $(ls -la "$E2E_TMP/links")"
[[ $(find "$E2E_TMP" -maxdepth 1 -name 'station.db.before-restore-*' | wc -l) -ge 2 ]] \
    || fail "the old station was not kept beside the real file"

step "Ctrl-C during a backup, SIGTERM during a restore: no temporary file is left"
# bg_until_tmp DIR PATTERN: wait until the background job has made its
# temporary file in DIR (the passphrase's key takes about a second then).
bg_until_tmp() {
    local deadline=$(($(_now_ms) + E2E_TIMEOUT * 1000))
    until [[ -n $(find "$1" -maxdepth 1 -name "$2" 2>/dev/null) ]]; do
        kill -0 "$BG" 2>/dev/null || fail "the job ended before its temporary file was seen: $(show)"
        (($(_now_ms) > deadline)) && fail "no temporary file $2 in $1"
        sleep 0.02
    done
}
ls -A "$STICK" >"$E2E_TMP/stick.before"
# (job control on: a background job of a script ignores SIGINT otherwise)
set -m
WUSHE_BACKUP_PASSPHRASE=$PASSPHRASE "$W" backup "$STICK" --db "$DB" --encrypt >"$OUT" 2>"$ERR" </dev/null &
BG=$!
set +m
bg_until_tmp "$STICK" '.wushe-backup.tmp-*'
kill -INT "$BG"
RC=0
wait "$BG" || RC=$?
[[ $RC == 130 ]] || fail "an interrupted backup: wanted exit 130: $(show)"
grep -qF "备份已中断，没有留下不完整的文件" "$ERR" || fail "not said interrupted: $(show)"
[[ -z $(find "$STICK" "$E2E_TMP" -maxdepth 1 -name '.wushe-*tmp-*') ]] \
    || fail "a temporary file was left: $(ls -la "$STICK" "$E2E_TMP")"
ls -A "$STICK" | cmp -s - "$E2E_TMP/stick.before" || fail "something new on the stick: $(ls -la "$STICK")"
mkdir -p "$E2E_TMP/term"
WUSHE_BACKUP_PASSPHRASE=$PASSPHRASE "$W" restore "$ENC" --db "$E2E_TMP/term/station.db" >"$OUT" 2>"$ERR" </dev/null &
BG=$!
bg_until_tmp "$E2E_TMP/term" '.wushe-restore.tmp-*'
kill -TERM "$BG"
RC=0
wait "$BG" || RC=$?
[[ $RC == 143 ]] || fail "an interrupted restore: wanted exit 143: $(show)"
grep -qF "恢复已中断，没有恢复任何数据" "$ERR" || fail "not said interrupted: $(show)"
[[ -z $(ls -A "$E2E_TMP/term") ]] || fail "something was left: $(ls -la "$E2E_TMP/term")"

step "a full disk: a clear message and no partial file"
FULL=$E2E_TMP/full
if e2e_mount_tmpfs "$FULL" size=256k; then
    run backup "$FULL" --db "$DB"
    expect_fail "full disk" "磁盘已满"
    grep -qF "没有留下不完整的备份文件" "$ERR" || fail "$(show)"
    [[ $(files_in "$FULL") == 0 ]] || fail "left on the full disk: $(ls -la "$FULL")"
    WUSHE_BACKUP_PASSPHRASE=$PASSPHRASE run backup "$FULL" --db "$DB" --encrypt
    expect_fail "full disk, encrypted" "磁盘已满"
    [[ $(files_in "$FULL") == 0 ]] || fail "left on the full disk: $(ls -la "$FULL")"
    [[ -z $(find "$E2E_TMP" -maxdepth 1 -name '.*tmp-*') ]] || fail "a temporary file was left"
else
    echo "(skipped: cannot mount a tmpfs here)"
fi

step "a read-only stick: a clear message"
RO=$E2E_TMP/ro
if e2e_mount_tmpfs "$RO" ro,size=1m; then
    run backup "$RO" --db "$DB"
    expect_fail "read-only stick" "只读"
    [[ $(files_in "$RO") == 0 ]] || fail "left on the stick"
else
    echo "(skipped: cannot mount a tmpfs here)"
fi

step "a station on a read-only stick is backed up (a backup only reads)"
ROS=$E2E_TMP/rostation
if e2e_mount_tmpfs "$ROS" size=16m; then
    cp "$DB" "$ROS/station.db"
    mount -o remount,ro "$ROS"
    run backup "$E2E_TMP/from-ro.wushe-backup" --db "$ROS/station.db"
    expect_ok "backup of a read-only station"
    [[ $(count "$E2E_TMP/from-ro.wushe-backup" 'SELECT count(*) FROM residents') == \
        $(count "$DB" 'SELECT count(*) FROM residents') ]] || fail "the copy differs"
else
    echo "(skipped: cannot mount a tmpfs here)"
fi

step "a 社工's plain backup onto a stick: the console says to fill in a passphrase"
E2E_LOGIN=shegong start
send 0
wait_line '^备份 *$'
send End
send Enter
wait_line '保存到 +.*/wushe/backups'
send C-u
type_text "$STICK"
send F2
wait_for "请填上加密口令"
refute_screen "--encrypt"
send Escape
send Escape
wait_for "0  系统"
send F10
wait_exit

step "rough edges: help for one command, a missing file named, a passphrase without --encrypt, a folder's slash"
run backup --help
expect_ok "backup --help"
[[ $(grep -c 'wushe ' "$OUT") == 1 ]] && grep -qF 'wushe backup' "$OUT" || fail "backup --help: $(show)"
run restore --db "$DB"
[[ $RC == 2 ]] && grep -qF '请给出要恢复的备份文件' "$ERR" || fail "restore without a file: $(show)"
grep -qF 'BACKUP' "$ERR" && fail "an English placeholder: $(show)"
N=$(find "$BK" -name '*.wushe-backup' | wc -l)
WUSHE_BACKUP_PASSPHRASE=$PASSPHRASE run backup --db "$DB"
[[ $RC == 2 ]] && grep -qF -- '--encrypt' "$ERR" || fail "a passphrase without --encrypt: $(show)"
[[ $(find "$BK" -name '*.wushe-backup' | wc -l) == "$N" ]] || fail "a plain backup was made"
run backup "$STICK/" --db "$DB"
expect_ok "backup into a folder named with its slash"
grep -qF "$STICK//" "$OUT" && fail "a double slash: $(show)"

step "a stick not plugged in: said so, nothing written on the PC's disk (console and command)"
NOUSB=$E2E_TMP/nousb
run backup "$NOUSB" --db "$DB"
expect_fail "a backup to a folder that is not there" "插好"
grep -qF "不存在" "$ERR" || fail "not said to be missing: $(show)"
[[ -e $NOUSB ]] && fail "a file took the stick's name: $(ls -la "$NOUSB")"
start
send 0
wait_line '^备份 *$'
send End
send Enter
wait_line '保存到 +.*/wushe/backups'
wait_for "如 /media/usb（U 盘要先插好）" # the path whole on its line
send C-u
type_text "$NOUSB"
send F2
wait_for "插好"
refute_screen "已备份到"
send Escape
send Escape
wait_for "0  系统"
send F10
wait_exit
[[ -e $NOUSB ]] && fail "the console wrote a file in the stick's place: $(ls -la "$NOUSB")"

step "a failed automatic backup is said on the home screen at the next start, until one succeeds"
mv "$BK" "$BK.saved"
: >"$BK" # the backup folder is a file: the automatic backup on leaving fails
start
send F10
wait_exit
start
wait_for "自动备份没有成功"
# The reason, whole (wrapped at 80 columns, never cut), and what to do.
JOINED=$(screen | tr -d ' \n')
[[ $JOINED == *"原因：无法创建备份文件夹${BK// /}"* && $JOINED == *"请在“0系统”里再做一次备份"* ]] ||
    fail "the failure's reason is not shown whole: $(screen)"
send F10
wait_exit
rm "$BK"
mv "$BK.saved" "$BK"
start
send F10
wait_exit
start
wait_line '上次备份：20[0-9-]+ [0-9:]+'
refute_screen "自动备份没有成功"
send F10
wait_exit

step "wording: a station file restored is named so, a backup without checksum said unverified, one cut in it incomplete, a passphrase of spaces refused"
"$W" demo "$E2E_TMP/fresh.db" >/dev/null 2>&1 || fail "demo station"
run restore "$E2E_TMP/fresh.db" --db "$E2E_TMP/fromfile.db"
expect_ok "restore of a station file"
grep -qF "来自一个站点文件" "$OUT" || fail "a station file is not named so: $(show)"
grep -qF "（）" "$OUT" && fail "empty parentheses: $(show)"
run backup "$E2E_TMP/whole.wushe-backup" --db "$DB"
expect_ok "a plain backup"
cp "$E2E_TMP/whole.wushe-backup" "$E2E_TMP/cut48.wushe-backup"
truncate -s -48 "$E2E_TMP/cut48.wushe-backup"
run restore "$E2E_TMP/cut48.wushe-backup" --db "$E2E_TMP/cut48.db"
expect_ok "a backup cut at its checksum"
grep -qF "这份备份没有校验值（旧版本做的，或复制不完整），只检查了数据库结构" "$OUT" ||
    fail "not said unverified: $(show)"
cp "$E2E_TMP/whole.wushe-backup" "$E2E_TMP/cut20.wushe-backup"
truncate -s -20 "$E2E_TMP/cut20.wushe-backup"
run restore "$E2E_TMP/cut20.wushe-backup" --db "$E2E_TMP/cut20.db"
expect_fail "a backup cut inside its checksum" "不完整（被截断）"
grep -qF "改动" "$ERR" && fail "called tampered: $(show)"
[[ -e $E2E_TMP/cut20.db ]] && fail "restored anyway"
N=$(find "$BK" -name '*.wushe-backup' | wc -l)
WUSHE_BACKUP_PASSPHRASE='        ' run backup --encrypt --db "$DB"
expect_fail "a passphrase of spaces" "口令不能只有空格"
WUSHE_BACKUP_PASSPHRASE=' 桃源 备份口令 2026' run backup --encrypt --db "$DB"
expect_fail "a passphrase with a leading space" "开头或末尾有空格"
[[ $(find "$BK" -name '*.wushe-backup' | wc -l) == "$N" ]] || fail "a backup was made"

step "a stick's folder with no stick mounted (an empty /mnt folder on the PC's disk): refused, console, command and the automatic backup; mounted, written there"
if [[ $(id -u) == 0 ]] && [[ $(stat -c %d /) == $(stat -c %d /mnt 2>/dev/null) ]]; then
    USBDIR=/mnt/wushe-e2e-usb-$$
    mkdir -p "$USBDIR"
    # removed even when a check fails (the library removes only E2E_TMP)
    trap 'rc=$?; e2e_umount_all; rmdir "$USBDIR" 2>/dev/null; (exit $rc); e2e_cleanup' EXIT
    CFG=$E2E_TMP/stick.yaml
    printf 'backup_dir: %s/五社备份\n' "$USBDIR" >"$CFG"
    run backup "$USBDIR" --db "$DB"
    expect_fail "a backup to a stick's empty folder" "U 盘没有插好（$USBDIR 上没有挂载 U 盘）"
    run backup --config "$CFG" --db "$DB"
    expect_fail "a backup to the configured folder on a stick not plugged in" "U 盘没有插好"
    [[ $(files_in "$USBDIR") == 0 ]] || fail "written on the PC's disk: $(ls -la "$USBDIR")"
    # the automatic backup on leaving (its last file gone: it runs)
    mv "$BK" "$BK.saved"
    start --config "$CFG"
    send F10
    wait_exit
    [[ $(files_in "$USBDIR") == 0 ]] || fail "the automatic backup wrote on the PC's disk: $(ls -la "$USBDIR")"
    start --config "$CFG"
    wait_for "自动备份没有成功"
    JOINED=$(screen | tr -d ' \n')
    [[ $JOINED == *"U盘没有插好"* ]] || fail "the home screen does not say the stick is missing: $(screen)"
    send F10
    wait_exit
    mv "$BK.saved" "$BK"
    # plugged in: a file system mounted there
    if e2e_mount_tmpfs "$USBDIR" size=64m; then
        run backup --config "$CFG" --db "$DB"
        expect_ok "a backup to the configured folder on a stick plugged in"
        [[ $(find "$USBDIR/五社备份" -name '*.wushe-backup' | wc -l) == 1 ]] ||
            fail "not written on the stick: $(show)"
        umount "$USBDIR"
        [[ $(files_in "$USBDIR") == 0 ]] || fail "written under the stick: $(ls -la "$USBDIR")"
    fi
    rmdir "$USBDIR"
fi
