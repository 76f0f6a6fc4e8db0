#!/usr/bin/env bash
# shellcheck disable=SC2119,SC2317,SC1111  # lib functions with optional arguments; helpers run via wait_until; the program's Chinese quotes
# The command line and bad environments: usage, version, exit codes; files that
# are not a Wushe database, a database from a newer version, a locked database,
# a broken config file. Nothing is written to a file that is refused.
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

# The demo station's 站长 (lib.sh may set these too): commands that read or
# write residents run as an account.
export WUSHE_USER=zhanzhang WUSHE_PASSWORD=wushe-demo

W=$WUSHE_BIN
OUT=$E2E_TMP/out
ERR=$E2E_TMP/err

# run ARGS...: run the CLI, exit status in RC, stdout in $OUT, stderr in $ERR.
RC=0
run() {
    RC=0
    "$W" "$@" >"$OUT" 2>"$ERR" </dev/null || RC=$?
}
show() { echo "exit $RC; stdout: $(head -c 600 "$OUT"); stderr: $(head -c 600 "$ERR")"; }
has_chinese() { grep -qP '[\x{4e00}-\x{9fff}]' "$1"; }
# no_side_files FILE: no journal/WAL/SHM was left next to FILE
no_side_files() {
    local f
    for f in "$1-wal" "$1-shm" "$1-journal"; do
        [[ ! -e $f ]] || fail "$f was created next to a refused file"
    done
}

make_demo 120
DEMO_SHA=$(sha "$DB")

step "--help"
run --help
[[ $RC == 0 ]] || fail "--help: $(show)"
grep -q '^用法：wushe' "$OUT" || fail "--help: no usage on stdout: $(show)"
grep -qF -- '--db' "$OUT" || fail "--help does not mention --db"
grep -qF 'search residents' "$OUT" || fail "--help does not mention search"
grep -qF 'check' "$OUT" || fail "--help does not mention check"
grep -qF 'certificate verify' "$OUT" || fail "--help does not mention certificate verify"
[[ ! -s $ERR ]] || fail "--help wrote to stderr: $(show)"

step "--version"
run --version
[[ $RC == 0 ]] || fail "--version: $(show)"
grep -qE '^wushe [0-9]+\.[0-9]+(\.[0-9]+)?' "$OUT" || fail "--version: $(show)"

step "bad arguments exit 2 with usage on stderr"
for args in "--bogus" "bogus" "search" "search residents" "demo" "--db" "--lang" \
    "--lang xx" "demo $E2E_TMP/n.db --residents abc" "check extra --db $DB"; do
    # shellcheck disable=SC2086
    run $args
    [[ $RC == 2 ]] || fail "wushe $args: want exit 2, $(show)"
    [[ -s $ERR ]] || fail "wushe $args: nothing on stderr"
    [[ ! -s $OUT ]] || fail "wushe $args: usage error wrote to stdout: $(show)"
done
run --bogus
grep -qF -- '--bogus' "$ERR" || fail "the unknown option is not named: $(show)"
grep -qF '用法' "$ERR" || fail "no usage after an unknown option: $(show)"
[[ ! -e $E2E_TMP/n.db ]] || fail "a usage error created a database"
for verb in import export; do
    run $verb people "$E2E_TMP/x.csv" --db "$DB"
    [[ $RC == 2 ]] || fail "wushe $verb people: want exit 2, $(show)"
    grep -qF '“people”' "$ERR" || fail "wushe $verb people does not name the kind: $(show)"
done
[[ $(sha "$DB") == "$DEMO_SHA" ]] || fail "a usage error changed the database"

step "check on a demo database"
run check --db "$DB"
[[ $RC == 0 ]] || fail "check: $(show)"
grep -qF '完整性检查' "$OUT" || fail "check output: $(show)"
grep -qF '居民 120 人' "$OUT" || fail "check does not count 120 residents: $(show)"

step "search prints TSV"
name=$(python3 -c '
import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute(
    "SELECT name FROM residents WHERE deleted_at IS NULL ORDER BY id LIMIT 1").fetchone()[0])' "$DB")
run search residents "$name" --db "$DB"
[[ $RC == 0 ]] || fail "search: $(show)"
awk -F'\t' -v n="$name" 'NF != 5 || $1 !~ /^[0-9]+$/ { bad = 1 } $2 == n { hit = 1 }
    END { exit bad || !hit }' "$OUT" || fail "search $name: not 5-column TSV with the name: $(show)"
run search residents "不存在的人名" --db "$DB"
[[ $RC == 0 && ! -s $OUT ]] || fail "search with no match: $(show)"

step "search masks ID numbers and phones as the lists do; --unmasked shows them, in the access log"
# q SQL: one value from the demo database
q() { python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$DB" "$1"; }
who="deleted_at IS NULL AND id_number IS NOT NULL AND phone GLOB '1[3-9]?????????' ORDER BY id LIMIT 1"
mname=$(q "SELECT name FROM residents WHERE $who")
midn=$(q "SELECT id_number FROM residents WHERE $who")
mphone=$(q "SELECT phone FROM residents WHERE $who")
audits() { q "SELECT count(*) FROM access_log WHERE event = 'unmask'"; }
before=$(audits)
run search residents "$mname" --db "$DB"
[[ $RC == 0 ]] || fail "search $mname: $(show)"
line=$(awk -F'\t' -v n="$mname" '$2 == n' "$OUT" | grep -F "${midn: -4}" | head -1)
[[ -n $line ]] || fail "search $mname: no row ending ${midn: -4}: $(show)"
IFS=$'\t' read -r _ _ cidn cphone _ <<<"$line"
[[ $cidn == "${midn:0:3}***********${midn: -4}" ]] || fail "ID number not masked: '$cidn'"
[[ $cphone == "${mphone:0:3}****${mphone: -4}" ]] || fail "phone not masked: '$cphone'"
cut -f3,4 "$OUT" | grep -qE '[0-9]{17}[0-9X]|1[3-9][0-9]{9}' \
    && fail "a full ID number or phone in the output: $(show)"
[[ $(audits) == "$before" ]] || fail "a masked search was recorded as an unmask"
run search residents "$mname" --unmasked --db "$DB"
[[ $RC == 0 ]] || fail "search --unmasked: $(show)"
awk -F'\t' -v n="$mname" -v i="$midn" -v p="$mphone" '$2 == n && $3 == i && $4 == p { hit = 1 }
    END { exit !hit }' "$OUT" || fail "--unmasked: no row with the full ID number and phone: $(show)"
[[ $(audits) == $((before + 1)) ]] || fail "--unmasked search not recorded in access_log"
rec=$(q "SELECT detail FROM access_log WHERE event = 'unmask' ORDER BY id DESC LIMIT 1")
[[ $rec == *'"query"'* && $rec == *"$mname"* ]] || fail "access_log row: $rec"
[[ $(q "SELECT count(*) FROM audit_log WHERE table_name = 'exports'") == 0 ]] \
    || fail "an unmask was written to audit_log"

step "an export is in the access log: who, masked or not, and its rows"
run export residents "$E2E_TMP/masked.csv" --db "$DB"
[[ $RC == 0 ]] || fail "export: $(show)"
rec=$(q "SELECT event || ' ' || login || ' ' || rows || ' ' || detail FROM access_log ORDER BY id DESC LIMIT 1")
[[ $rec == "export zhanzhang 120 "*'"masked":1'* ]] || fail "access_log row of a masked export: $rec"
run export residents --unmasked --db "$DB"
[[ $RC == 0 ]] || fail "export --unmasked: $(show)"
rec=$(q "SELECT event || ' ' || login || ' ' || rows || ' ' || detail FROM access_log ORDER BY id DESC LIMIT 1")
[[ $rec == "export zhanzhang 120 "*'"masked":0'* ]] || fail "access_log row of an unmasked export: $rec"

step "search mixes characters, full pinyin and initials in one name"
# the first character, then the initials of the rest (陈lh for 陈丽华)
mix=$(q "SELECT substr(name, 1, 1) || substr(name_initials, 2) FROM residents
         WHERE deleted_at IS NULL AND length(name) = 3 AND length(name_initials) = 3 ORDER BY id LIMIT 1")
want=$(q "SELECT name FROM residents WHERE deleted_at IS NULL AND length(name) = 3
          AND length(name_initials) = 3 ORDER BY id LIMIT 1")
for text in "$mix" "${mix:0:1} ${mix:1}"; do
    run search residents "$text" --db "$DB"
    [[ $RC == 0 ]] || fail "search $text: $(show)"
    awk -F'\t' -v n="$want" '$2 == n { hit = 1 } END { exit !hit }' "$OUT" \
        || fail "search '$text' does not find $want: $(show)"
done

step "check on a text file: refused, file untouched"
txt=$E2E_TMP/notes.txt
head -c 3000 /dev/urandom | base64 >"$txt"
before=$(sha "$txt")
run check --db "$txt"
[[ $RC != 0 ]] || fail "check accepted a text file: $(show)"
has_chinese "$ERR" || fail "no Chinese message on stderr: $(show)"
grep -qF "$txt" "$ERR" || fail "the message does not name the file: $(show)"
[[ $(sha "$txt") == "$before" ]] || fail "check modified the text file"
no_side_files "$txt"
run search residents 王 --db "$txt"
[[ $RC != 0 ]] || fail "search accepted a text file: $(show)"
[[ $(sha "$txt") == "$before" ]] || fail "search modified the text file"
no_side_files "$txt"

step "the console refuses a text file"
start --no-db --db "$txt"
wait_exit
[[ $EXIT_STATUS != 0 ]] || fail "the console accepted a text file"
has_chinese "$E2E_TMP/stderr" || fail "console: no Chinese message: $(cat "$E2E_TMP/stderr")"
[[ $(sha "$txt") == "$before" ]] || fail "the console modified the text file"
no_side_files "$txt"

step "a mistyped --db: every command says so, exits 1, creates no file and no folder"
typo=$E2E_TMP/typo/dir/station.db
printf '姓名\n张三\n' >"$E2E_TMP/one.csv"
for args in "search residents 王" "check" "export residents" "export residents $E2E_TMP/x.csv" \
    "import residents $E2E_TMP/one.csv" "import residents $E2E_TMP/one.csv --dry-run" \
    "reindex" "bench --ceiling" "bench"; do
    # shellcheck disable=SC2086
    run $args --db "$typo"
    [[ $RC == 1 ]] || fail "wushe $args on a missing file: want exit 1, $(show)"
    grep -qF "$typo" "$ERR" || fail "wushe $args: the message does not name the path: $(show)"
    grep -qF '文件不存在' "$ERR" || fail "wushe $args: does not say the file is missing: $(show)"
    grep -qF 'No such file' "$ERR" && fail "wushe $args: English OS text in the message: $(show)"
    [[ ! -e $E2E_TMP/typo ]] || fail "wushe $args created $E2E_TMP/typo"
done
[[ ! -e $E2E_TMP/x.csv ]] || fail "export wrote a file without a station"

step "an empty (0-byte) file is not a station: said so, exit 1, left empty"
: >"$E2E_TMP/empty.db"
for args in "check" "search residents 王" "import residents $E2E_TMP/one.csv"; do
    # shellcheck disable=SC2086
    run $args --db "$E2E_TMP/empty.db"
    [[ $RC == 1 ]] || fail "wushe $args on an empty file: want exit 1, $(show)"
    grep -qF '空' "$ERR" || fail "wushe $args: does not say the file is empty: $(show)"
    grep -qF '通过' "$OUT" && fail "wushe $args: says 通过 on an empty file: $(show)"
    [[ ! -s $E2E_TMP/empty.db ]] || fail "wushe $args wrote into the empty file"
    no_side_files "$E2E_TMP/empty.db"
done

step "--config naming a missing file is an error"
run --config "$E2E_TMP/no-such.yaml" check --db "$DB"
[[ $RC == 1 ]] || fail "--config with a missing file: want exit 1, $(show)"
grep -qF "$E2E_TMP/no-such.yaml" "$ERR" || fail "the missing config is not named: $(show)"
grep -qF '找不到配置文件' "$ERR" || fail "no 找不到配置文件: $(show)"

step "the console asks before it creates a station file; only y + Enter creates"
new=$E2E_TMP/new/dir/station.db
# answer_console ANSWER...: start on $new, wait for the question, send the keys
answer_console() {
    start --no-db --db "$new"
    wait_for "找不到站点数据库文件：$new"
    wait_for "（将同时新建文件夹 $E2E_TMP/new/dir）"
    wait_for "输入 y 并按 Enter 新建"
    local k
    for k in "$@"; do
        if [[ $k == Enter || $k == C-d ]]; then send "$k"; else type_text "$k"; fi
    done
}
for answer in "Enter" "n Enter" "yy Enter" "是否 Enter" "C-d"; do
    # shellcheck disable=SC2086
    answer_console $answer
    wait_exit
    [[ $EXIT_STATUS == 1 ]] || fail "answer '$answer': want exit 1, got $EXIT_STATUS"
    grep -qF '没有新建站点' "$E2E_TMP/stderr" || fail "answer '$answer': no message: $(cat "$E2E_TMP/stderr")"
    [[ ! -e $E2E_TMP/new ]] || fail "answer '$answer' created $E2E_TMP/new"
done
answer_console y Enter
# a new station first gets its 站长, then opens on its setup: its name and
# division code, then its villages
first_director
wait_for "工作站信息"
wait_for "新站点：先填工作站名称"
[[ -s $new ]] || fail "y + Enter did not create $new"
send C-u
type_text "石桥镇社会工作服务站"
send Tab
type_text "510902105"
send F2
wait_line '✗ ?区划代码'
type_text "000"
send F2
wait_line '石桥镇社会工作服务站 │ 社区/村 +共 0 条'
send F5
wait_for "新增社区/村"
type_text "石桥村"
send F2
wait_line '^石桥村 '
send Escape
wait_for "首页"
wait_for "居民 0"
wait_for "社区/村 1"
send F10
wait_exit
[[ $EXIT_STATUS == 0 ]] || fail "the new station's console: exit $EXIT_STATUS"
run check --db "$new"
[[ $RC == 0 ]] || fail "check on the new station: $(show)"
start --no-db --db "$new"
wait_for "首页"
refute_screen "找不到站点数据库文件"
send F10
wait_exit

step "the default station on first start: the same question"
default=$XDG_DATA_HOME/wushe/station.db
# (the consoles above made their automatic backups on leaving, in
# $XDG_DATA_HOME/wushe/backups: declining must add nothing to that)
before=$(find "$XDG_DATA_HOME" | sort)
start --no-db
wait_for "找不到站点数据库文件：$default"
send Enter
wait_exit
[[ $EXIT_STATUS == 1 ]] || fail "declined default station: exit $EXIT_STATUS"
[[ ! -e $default && $(find "$XDG_DATA_HOME" | sort) == "$before" ]] || fail "the default station was created"

step "without a terminal on stdin the console refuses and creates nothing"
run --db "$new.other"
[[ $RC == 1 ]] || fail "console without a terminal: $(show)"
has_chinese "$ERR" || fail "no Chinese message: $(show)"
[[ ! -e $new.other ]] || fail "the console created a file without a terminal"

step "check finds every household whose 户主 disagrees with its members' relations"
heads=$E2E_TMP/heads.db
cp "$DB" "$heads"
mapfile -t drift < <(python3 - "$heads" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
# two households with at least two living members: one records a non-head
# member as head, the other has two members whose relation is head
rows = c.execute("""SELECT h.id, h.number FROM households h WHERE h.deleted_at IS NULL
    AND (SELECT count(*) FROM residents r WHERE r.household_id = h.id AND r.deleted_at IS NULL) >= 2
    ORDER BY h.number LIMIT 2""").fetchall()
(h1, n1), (h2, n2) = rows
head1, other1 = [c.execute("SELECT name FROM residents WHERE household_id = ? AND deleted_at IS NULL"
    " AND relation %s 'head' ORDER BY id LIMIT 1" % op, (h1,)).fetchone()[0] for op in ("=", "<>")]
c.execute("UPDATE households SET head_id = (SELECT id FROM residents WHERE household_id = ?1"
          " AND deleted_at IS NULL AND relation <> 'head' ORDER BY id LIMIT 1) WHERE id = ?1", (h1,))
second = c.execute("SELECT id, name FROM residents WHERE household_id = ? AND deleted_at IS NULL"
                   " AND relation <> 'head' ORDER BY id LIMIT 1", (h2,)).fetchone()
c.execute("UPDATE residents SET relation = 'head' WHERE id = ?", (second[0],))
c.commit()
print(n1); print(head1); print(other1); print(n2); print(second[1])
PY
)
((${#drift[@]} == 5)) || fail "could not make the disagreements: ${drift[*]}"
run check --db "$heads"
[[ $RC == 1 ]] || fail "check with disagreeing heads: want exit 1, $(show)"
grep -qF '户主不一致：2 户' "$OUT" || fail "no count of disagreeing households: $(show)"
grep -F "户 ${drift[0]}：" "$OUT" | grep -qF "记为户主的是“${drift[2]}”" \
    || fail "${drift[0]}: recorded head ${drift[2]} not named: $(show)"
grep -F "户 ${drift[0]}：" "$OUT" | grep -qF "“${drift[1]}”" \
    || fail "${drift[0]}: head by relation ${drift[1]} not named: $(show)"
grep -F "户 ${drift[3]}：" "$OUT" | grep -qF "有 2 位成员的与户主关系都是“户主”" \
    || fail "${drift[3]}: two heads not reported: $(show)"
grep -F "户 ${drift[3]}：" "$OUT" | grep -qF "“${drift[4]}”" \
    || fail "${drift[3]}: ${drift[4]} not named: $(show)"
grep -qF '检查未通过' "$OUT" || fail "no verdict: $(show)"
run --lang en check --db "$heads"
[[ $RC == 1 ]] || fail "--lang en check with disagreeing heads: $(show)"
grep -qF "household ${drift[0]}: recorded head ${drift[2]}" "$OUT" || fail "--lang en: $(show)"

step "a database from a newer version is refused and left untouched"
v99=$E2E_TMP/v99.db
"$W" demo "$v99" --residents 20 >/dev/null || fail "demo failed"
python3 -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("PRAGMA user_version = 99")
c.commit()
c.close()' "$v99"
no_side_files "$v99"
before=$(sha "$v99")
run check --db "$v99"
[[ $RC != 0 ]] || fail "check accepted a version 99 database: $(show)"
grep -qF '更新版本' "$ERR" || fail "check: no 更新版本 in the message: $(show)"
run search residents 王 --db "$v99"
[[ $RC != 0 ]] || fail "search accepted a version 99 database: $(show)"
grep -qF '更新版本' "$ERR" || fail "search: no 更新版本 in the message: $(show)"
start --no-db --db "$v99"
wait_exit
[[ $EXIT_STATUS != 0 ]] || fail "the console opened a version 99 database"
grep -qF '更新版本' "$E2E_TMP/stderr" || fail "console: no 更新版本 in: $(cat "$E2E_TMP/stderr")"
[[ $(sha "$v99") == "$before" ]] || fail "the version 99 database was modified"
no_side_files "$v99"
[[ $(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA user_version").fetchone()[0])' "$v99") == 99 ]] \
    || fail "user_version changed"

# lock_db FILE: a python3 process holds BEGIN EXCLUSIVE on FILE until killed;
# its pid in LOCK_PID.
LOCK_PID=""
lock_db() {
    rm -f "$E2E_TMP/locked"
    spawn python3 -c '
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
c.execute("BEGIN EXCLUSIVE")
open(sys.argv[2], "w").close()
while True:
    time.sleep(3600)' "$1" "$E2E_TMP/locked"
    LOCK_PID=$SPAWNED_PID
    local deadline=$(($(_now_ms) + 10000))
    until [[ -e $E2E_TMP/locked ]]; do
        kill -0 "$LOCK_PID" 2>/dev/null || fail "the locking process died"
        (($(_now_ms) > deadline)) && fail "could not lock $1"
        sleep 0.05
    done
}
unlock_db() {
    kill "$LOCK_PID" 2>/dev/null
    wait "$LOCK_PID" 2>/dev/null
    LOCK_PID=""
}

step "a database locked by another program (rollback journal): refused with 占用"
lk=$E2E_TMP/locked.db
"$W" demo "$lk" --residents 20 >/dev/null || fail "demo failed"
python3 -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("PRAGMA journal_mode = DELETE")
c.close()' "$lk"
lock_db "$lk"
run check --db "$lk"
[[ $RC != 0 ]] || fail "check on a locked database succeeded: $(show)"
grep -qF '占用' "$ERR" || fail "check: no 占用 in the message: $(show)"
start --no-db --db "$lk"
wait_exit 20
[[ $EXIT_STATUS != 0 ]] || fail "the console opened a locked database"
grep -qF '占用' "$E2E_TMP/stderr" || fail "console: no 占用 in: $(cat "$E2E_TMP/stderr")"
unlock_db
run check --db "$lk"
[[ $RC == 0 ]] || fail "check after unlocking: $(show)"

step "a write while another program holds the lock (WAL): 占用, form kept, then saved"
wal=$E2E_TMP/wal.db
"$W" demo "$wal" --residents 20 >/dev/null || fail "demo failed"
start --no-db --db "$wal"
wait_for "居民 20"
send 1
wait_line '居民 +共 20 条'
lock_db "$wal"
send F5
wait_for "新增居民"
type_text "欧阳娜娜"
send Tab
type_text "11010519491231002X"
wait_line '身份证号 +11010519491231002X'
send F2
wait_for "占用" 20
wait_for "新增居民"
wait_line '姓名 +欧阳娜娜'
wait_line '身份证号 +11010519491231002X'
unlock_db
[[ -z $("$W" search residents 欧阳娜娜 --db "$wal") ]] || fail "saved while locked?"
send F2
wait_line '居民 +共 21 条'
wait_for "欧阳娜娜"
send F10
wait_exit
[[ $EXIT_STATUS == 0 ]] || fail "exit status $EXIT_STATUS"
[[ -n $("$W" search residents 欧阳娜娜 --db "$wal") ]] || fail "not saved after the lock was released"

step "--lang en"
run --lang en check --db "$DB"
[[ $RC == 0 ]] || fail "--lang en check: $(show)"
grep -qF 'Integrity check' "$OUT" || fail "--lang en check is not English: $(show)"
has_chinese "$OUT" && fail "--lang en check output has Chinese: $(show)"
run --lang en --help
if [[ $RC != 0 ]] || ! grep -q '^Usage: wushe' "$OUT"; then fail "--lang en --help: $(show)"; fi
run --lang en --bogus
[[ $RC == 2 ]] || fail "--lang en --bogus: $(show)"
grep -q 'Unknown option: --bogus' "$ERR" || fail "--lang en usage error not English: $(show)"
run --lang en check --db "$v99"
[[ $RC != 0 ]] || fail "--lang en check v99: $(show)"
has_chinese "$ERR" && fail "--lang en error has Chinese: $(show)"
grep -qi 'newer' "$ERR" || fail "--lang en: version message: $(show)"
run --lang en check --db "$txt"
[[ $RC != 0 ]] || fail "--lang en check text: $(show)"
grep -qF 'not a Wushe database' "$ERR" || fail "--lang en: not-a-database message: $(show)"
start --lang en
wait_for "Home"
send 1
wait_for "Residents"
refute_screen "居民"
send F10
wait_exit
[[ $EXIT_STATUS == 0 ]] || fail "--lang en console: exit $EXIT_STATUS"

step "a broken config file stops start-up with file:line:column"
cfg=$XDG_CONFIG_HOME/wushe/station.yaml
mkdir -p "$(dirname "$cfg")"
printf 'station: [\n' >"$cfg"
before=$(sha "$DB")
run check --db "$DB"
[[ $RC != 0 ]] || fail "check ran with a broken config: $(show)"
grep -qE "$cfg:[0-9]+:[0-9]+: " "$ERR" || fail "no $cfg:line:column: in: $(show)"
has_chinese "$ERR" || fail "no Chinese message: $(show)"
run search residents 王 --db "$DB"
[[ $RC != 0 ]] || fail "search ran with a broken config: $(show)"
grep -qE "$cfg:[0-9]+:[0-9]+: " "$ERR" || fail "search: no file:line:column: $(show)"
run --lang en check --db "$DB"
grep -qE "$cfg:[0-9]+:[0-9]+: " "$ERR" || fail "--lang en: no file:line:column: $(show)"
start
wait_exit
[[ $EXIT_STATUS != 0 ]] || fail "the console started with a broken config"
grep -qE "$cfg:[0-9]+:[0-9]+: " "$E2E_TMP/stderr" || fail "console: no file:line:column: $(cat "$E2E_TMP/stderr")"
[[ $(sha "$DB") == "$before" ]] || fail "the database changed although start-up stopped"
no_side_files "$DB"

step "an unknown key in the config names its line and column"
printf 'station:\n  nmae: 青石镇\n' >"$cfg"
run check --db "$DB"
[[ $RC != 0 ]] || fail "check ran with an unknown config key: $(show)"
grep -qF "$cfg:2:3: " "$ERR" || fail "want $cfg:2:3: in: $(show)"
grep -qF 'nmae' "$ERR" || fail "the unknown key is not named: $(show)"

step "--config FILE is used instead of the default"
run --config "$cfg" check --db "$DB"
[[ $RC != 0 ]] || fail "--config with a bad file accepted: $(show)"
rm -f "$cfg"
good=$E2E_TMP/good.yaml
printf 'station:\n  name: 测试站\n' >"$good"
run --config "$good" check --db "$DB"
[[ $RC == 0 ]] || fail "--config with a good file: $(show)"
run check --db "$DB"
[[ $RC == 0 ]] || fail "check after removing the broken config: $(show)"

step "an import with invalid rows exits 3 (and imports the rest); a clean one exits 0"
printf '姓名,身份证号码,出生日期\n部分甲,%s,\n部分乙,11010519800102001X,\n' \
    "$(id_number 51090219900101002)" >"$E2E_TMP/part.csv"
run import residents "$E2E_TMP/part.csv" --db "$DB" --dry-run
[[ $RC == 3 ]] || fail "dry run with an invalid row: want exit 3, $(show)"
run import residents "$E2E_TMP/part.csv" --db "$DB"
[[ $RC == 3 ]] || fail "import with an invalid row: want exit 3, $(show)"
[[ -s "$E2E_TMP/part_错误行.csv" ]] || fail "no error file beside the ledger: $(ls "$E2E_TMP")"
run search residents 部分甲 --db "$DB"
grep -qF '部分甲' "$OUT" || fail "the valid row was not imported: $(show)"
printf '姓名,出生日期\n完整丙,1990-03-04\n' >"$E2E_TMP/whole.csv"
run import residents "$E2E_TMP/whole.csv" --db "$DB"
[[ $RC == 0 ]] || fail "a clean import: want exit 0, $(show)"
# Where the error file cannot go beside the ledger (a write-protected
# stick; here a folder already has its name), it goes home, and the command
# line says why and where.
mkdir -p "$E2E_TMP/stick/stick_错误行.csv"
printf '姓名,身份证号码,出生日期\n部分丁,11010519800102001X,\n' >"$E2E_TMP/stick/stick.csv"
run import residents "$E2E_TMP/stick/stick.csv" --db "$DB"
[[ $RC == 3 ]] || fail "import with an invalid row on a stick: want exit 3, $(show)"
grep -qF "有错误的行改写到了 $HOME/stick_错误行.csv" "$OUT" \
    || fail "the command line does not say where the error rows went: $(show)"
[[ -s "$HOME/stick_错误行.csv" ]] || fail "no error file at home: $(ls "$HOME")"

step "bench --ceiling: SQLite alone copies the station's rows, the station is untouched"
# data_sha FILE: every table's rows but what a login writes (the access log,
# sessions, an account's last login and failures)
data_sha() {
    python3 - "$1" <<'EOF'
import hashlib, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
h = hashlib.sha256()
skip = {"access_log", "sessions"}
login_cols = {"last_login_at", "failures", "locked_until"}
for (t,) in c.execute("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
                      " AND sql NOT LIKE 'CREATE VIRTUAL%'"
                      " ORDER BY name"):
    if t in skip:
        continue
    cols = [r[1] for r in c.execute("PRAGMA table_info(%s)" % t) if r[1] not in login_cols]
    h.update(t.encode())
    for r in c.execute("SELECT %s FROM %s ORDER BY 1" % (", ".join(cols), t)):
        h.update(repr(r).encode())
print(h.hexdigest())
EOF
}
before=$(data_sha "$DB")
run bench --db "$DB" --ceiling
[[ $RC == 0 ]] || fail "bench --ceiling: $(show)"
grep -qE 'write ceiling: .* copies the same [0-9]+ residents .* in [0-9.]+ s' "$OUT" \
    || fail "no ceiling line: $(show)"
grep -qF 'of which' "$OUT" || fail "no breakdown: $(show)"
# Every other table too (the station's accounts and code tables at least).
grep -qE 'the rest: [1-9][0-9]* other tables, [1-9][0-9]* rows' "$OUT" \
    || fail "the other tables are not copied: $(show)"
[[ $(data_sha "$DB") == "$before" ]] || fail "bench --ceiling changed the station"
# What each table and index costs: a line for each, the station untouched,
# no scratch file left beside it.
run bench --db "$DB" --ceiling --costs
[[ $RC == 0 ]] || fail "bench --ceiling --costs: $(show)"
for what in residents '+ residents_id_number' '+ residents_walk' resident_groups audit_log \
    search_names search_fts 'all of these'; do
    grep -qF "  $what " "$OUT" || fail "no cost line for $what: $(show)"
done
[[ $(data_sha "$DB") == "$before" ]] || fail "bench --ceiling --costs changed the station"
ls -a "$(dirname "$DB")" | grep -q wushe-ceiling && fail "a scratch directory was left behind"
# The floors beside it: each record built, one INSERT a row, the rows
# staged; each with its breakdown and its ratio to the ceiling measured in
# the same run.
run bench --db "$DB" --ceiling --floors
[[ $RC == 0 ]] || fail "bench --ceiling --floors: $(show)"
for what in 'each record built' 'one INSERT a row' 'the same rows staged'; do
    grep -qE "^floor, $what[^:]*: [0-9.]+ s, [0-9.]+x the ceiling$" "$OUT" \
        || fail "no floor line for $what: $(show)"
done
[[ $(grep -c 'of which' "$OUT") == 4 ]] || fail "a floor has no breakdown: $(show)"
[[ $(data_sha "$DB") == "$before" ]] || fail "bench --ceiling --floors changed the station"
ls -a "$(dirname "$DB")" | grep -q wushe-ceiling && fail "a scratch directory was left behind"
run bench --db "$E2E_TMP/none/x.db" --ceiling
[[ $RC == 1 ]] || fail "bench --ceiling on a missing file: want exit 1, $(show)"
[[ ! -e "$E2E_TMP/none" ]] || fail "bench --ceiling created a station to measure"
step "the access log exports for the 站长 only, filtered, and is recorded"
run export access-log --db "$DB" --filter "zhanzhang unmask"
[[ $RC == 0 ]] || fail "export access-log: $(show)"
grep -qF '显示证件号' "$OUT" || fail "the unmask is not in the access log export: $(show)"
if grep -qF '登录,' "$OUT"; then fail "the filter let logins through: $(show)"; fi
run export access-log "$E2E_TMP/log.xlsx" --db "$DB"
[[ $RC == 0 && -s "$E2E_TMP/log.xlsx" ]] || fail "export access-log to xlsx: $(show)"
[[ $(q "SELECT count(*) FROM access_log WHERE event = 'export' AND table_name = 'access_log'") -ge 2 ]] \
    || fail "the access log's exports are not recorded"
run export access-log --db "$DB" --filter "no-such-word"
[[ $RC == 2 ]] || fail "a filter word that is nothing: want exit 2, $(show)"
WUSHE_USER=luru run export access-log --db "$DB"
[[ $RC == 1 ]] && grep -qF '无权' "$ERR" || fail "a 录入员 exported the access log: $(show)"
step "a 督导 is told why an import of any kind is refused"
printf '户号,住址\nH-DUDAO,桃源村\n' >"$E2E_TMP/hh.csv"
for kind in households communities visits volunteers organisations donations attendance; do
    WUSHE_USER=dudao run import "$kind" "$E2E_TMP/hh.csv" --db "$DB"
    [[ $RC == 1 ]] && grep -qF '您的角色无权进行此操作' "$ERR" \
        || fail "a 督导's import of $kind: $(show)"
done
step "import --help is the import's help; an unknown kind lists the importable ones"
run import --help
[[ $RC == 0 ]] || fail "import --help: $(show)"
for kind in volunteers attendance donations distributions organisations; do
    grep -qF "$kind" "$OUT" || fail "import --help does not list $kind: $(show)"
done
if grep -qF 'wushe backup' "$OUT"; then fail "import --help printed the whole help: $(show)"; fi
run import cases "$E2E_TMP/hh.csv" --db "$DB"
[[ $RC == 2 ]] && grep -qF 'volunteers（志愿者）' "$ERR" || fail "import cases: $(show)"
if grep -qF 'cases（个案）' "$ERR"; then fail "import lists cases as importable: $(show)"; fi
step "a households export given to the residents import says what it is and how"
run export households "$E2E_TMP/户.xlsx" --db "$DB"
[[ $RC == 0 ]] && grep -qF '已导出户 ' "$OUT" || fail "export households: $(show)"
run import residents "$E2E_TMP/户.xlsx" --db "$DB"
[[ $RC == 1 ]] && grep -qF 'wushe import households' "$ERR" || fail "no hint: $(show)"
run export access-log "$E2E_TMP/log1.xlsx" --db "$DB"
run import residents "$E2E_TMP/log1.xlsx" --db "$DB"
[[ $RC == 1 ]] && grep -qF '找不到表头' "$ERR" || fail "import of a sheet with no header: $(show)"
if grep -qF -- '--sheet' "$ERR"; then fail "a one-sheet workbook was told to choose a --sheet: $(show)"; fi
exit 0
