#!/usr/bin/env bash
# shellcheck disable=SC2119,SC2317  # lib functions with optional arguments
# Volunteers and activities (issue 12) in the console: 3 志愿者 → F5, the
# resident picker found by typing a resident's initials, F2 saves a volunteer
# named by the register with a station number; 6 活动 → a new activity, a
# session whose end is before its start refused at the field (what was typed
# kept), then its roster: a volunteer and two residents added through their
# pickers (the volunteer's own resident refused: one person signs once), marked 1/3/2 (出席, 缺席, 迟到) one key per line, F7 records the
# volunteer's hours once; the activity's counts and the volunteer's hours
# and points come from those rows.
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

make_demo 60
sql() { python3 -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone(); print("" if r is None else r[0])' "$DB" "$1"; }

# Three residents whose initials no other name starts with: typed, they find one row.
read -r R1 I1 R2 I2 R4 I4 < <(python3 - "$DB" <<'PY'
import sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute(
    "SELECT name, name_initials FROM residents WHERE deleted_at IS NULL ORDER BY id").fetchall()
inits = [i for _, i in rows]
uniq = [(n, i) for n, i in rows if len(i) >= 2 and sum(1 for j in inits if j.startswith(i)) == 1]
print(uniq[0][0], uniq[0][1], uniq[1][0], uniq[1][1], uniq[2][0], uniq[2][1])
PY
)
[[ -n $R4 ]] || fail "no resident with unique initials in the demo"

step "3 志愿者 → F5: the resident picked by initials $I1 ($R1), saved with a number"
start
wait_for "3  志愿者"
send 3
wait_line '志愿者 +共 0 条'
send F5
wait_for "新增志愿者"
send Enter
wait_for "请选择：居民"
type_text "$I1"
wait_line "^$R1 "
send Enter
wait_line "本镇居民 +$R1"
send F2
wait_line '志愿者 +共 1 条'
wait_line "^510902105000V000001 +$R1"
[[ $(sql "SELECT name FROM volunteers") == "$R1" ]] || fail "the volunteer is not named by the register"

step "the same resident again is refused, naming them; nothing is written"
send F5
wait_for "新增志愿者"
send Enter
wait_for "请选择：居民"
type_text "$I1"
wait_line "^$R1 "
send Enter
send F2
wait_for "“$R1”已经登记为志愿者了"
[[ $(sql "SELECT count(*) FROM volunteers") == 1 ]] || fail "a second volunteer was written"
send Escape
wait_for "放弃"
send Right Enter
wait_line '志愿者 +共 1 条'
send Escape
wait_for "3  志愿者"

step "6 活动 → a new activity, a session ending before it starts refused at 结束"
send 6
wait_line '活动 +共 0 条'
send F5
wait_for "新增活动"
type_text "长者健康讲座"
send Tab Enter
wait_for "请选择：活动类型"
type_text "sq"
wait_line '^社区活动'
send Enter
send F2
wait_line '^长者健康讲座 +社区活动'
send F7
wait_line '场次：长者健康讲座 +共 0 条'
send F5
wait_for "新增场次"
wait_line '日期 +2026-11-23' # a new session starts dated today
send Tab
type_text "9:00"
send Tab
type_text "8:30"
send Tab
type_text "12"
send F2
wait_for "结束时间要晚于开始时间（09:00）"
wait_line '✗结束 +8:30'
send BSpace BSpace BSpace BSpace
type_text "11:30"
send F2
wait_line '^2026-11-23 +09:00 +11:30 +12'

step "the roster: a volunteer and two residents, marked one key per line"
send F7
wait_for "签到表上还没有人"
send F6
wait_for "请选择：志愿者"
type_text "$I1"
wait_line "^510902105000V000001 +$R1"
send Enter
wait_line "^志愿者 +$R1 +510902105000V000001"
# The volunteer's own resident is the same person: refused, named.
send F5
wait_for "加居民到签到表"
type_text "$I1"
wait_line "^$R1 "
send Enter
wait_for "“$R1”已经作为志愿者在本场签到表上了"
wait_for "到 0 / 1"
send F5
wait_for "加居民到签到表"
type_text "$I4"
wait_line "^$R4 "
send Enter
wait_for "到 0 / 2"
send F5
wait_for "加居民到签到表"
type_text "$I2"
wait_line "^$R2 "
send Enter
wait_for "到 0 / 3"
send Home
send 1
wait_line "^志愿者 +$R1 .* 出席 +2小时30分"
send 3
send 2
wait_for "到 2 / 3"
wait_line "^居民 .* 缺席 *$"
wait_line "^居民 .* 迟到 *$"
# A second console (here the CLI's import) marks the 缺席 line 出席 meanwhile:
# this console's key on that line is refused, naming who, and the sheet is
# read again; a key after that is taken.
ABSENT=$(sql "SELECT r.name FROM session_attendance a JOIN residents r ON r.id = a.resident_id
              WHERE a.mark = 'absent'")
printf '活动名称,日期,姓名\n长者健康讲座,2026-11-23,%s\n' "$ABSENT" >"$E2E_TMP/other.csv"
"$WUSHE_BIN" import attendance "$E2E_TMP/other.csv" --db "$DB" | grep -qF "更新 1" \
    || fail "the second console's mark"
send Home Down
send 3
wait_for "这一行已被 张建国"
wait_for "到 3 / 3"
wait_line "^居民 +$ABSENT .* 出席 *$"
send 3
wait_for "到 2 / 3"
wait_line "^居民 +$ABSENT .* 缺席 *$"
send F7
wait_for "已记录 1 位志愿者的服务时长"
send F7
wait_for "已记录 0 位志愿者的服务时长"
# Enter opens the line's record: the volunteer's own minutes; changed after
# the hours were posted, the ledger follows by a 更正 in the same save.
send Home
send Enter
wait_for "修改志愿者签到"
wait_line '服务时长 +2小时30分'
send Down Down
wait_line '服务时长 +2小时30分'
send C-u
type_text "2:40"
send F2
wait_line "^志愿者 +$R1 .* 出席 +2小时40分"
send Enter
wait_for "修改志愿者签到"
send Down Down C-u
type_text "-5"
send F2
wait_for "服务时长："
send Escape
wait_for "放弃"
send Right Enter
wait_line "^志愿者 +$R1 .* 出席 +2小时40分"
if command -v pdftotext >/dev/null; then
    send F9
    wait_for "志愿服务活动签到表_2026-11-23_09_00–11_30_20261123.pdf"
    send Enter
    wait_for "已打印到"
    pdftotext -layout "$HOME/志愿服务活动签到表_2026-11-23_09_00–11_30_20261123.pdf" - | tr -d ' ' \
        | grep -qF "$R2" || fail "the sign-in sheet printed from the roster lacks $R2"
fi

step "the counts come from the rows: 1 场, 1 人, 13 人次, 志愿者 1 人次 2小时40分"
send Escape
wait_line '场次 1 · 服务 1 人 13 人次 · 志愿者 1 人次 2小时40分'
send Escape
wait_line '场次 1 · 服务 1 人 13 人次 · 志愿者 1 人次 2小时40分'
send Escape
wait_for "3  志愿者"
send 3
# The list's hours to the minute, as the hours screen says them.
wait_line "^510902105000V000001 +$R1 .* 2小时40分"
send F7
wait_for "$R1 的服务时长"
wait_for "共 2小时40分 · 今年 2小时40分 · 待确认 0小时 · 未到星级 · 积分 26"
wait_line '^2026-11-23 +长者健康讲座 +2小时30分 +登记 +张建国'
wait_line '^2026-11-23 +长者健康讲座 +-2小时30分 +冲回 +张建国 +签到表上的服务时'
wait_line '^2026-11-23 +长者健康讲座 +2小时40分 +更正 +张建国 +签到表上的服务时'
[[ $(sql "SELECT group_concat(minutes) FROM (SELECT minutes FROM hour_entries ORDER BY rowid)") == "150,-150,160" ]] \
    || fail "the ledger did not follow the roster: 150,-150,160"

if command -v pdftotext >/dev/null; then
    step "F9: the 志愿服务记录证明 to the path in the prompt, with its number"
    send F9
    wait_for "志愿服务记录证明_${R1}_20261123.pdf"
    send Enter
    wait_for "已打印到"
    PDF="$HOME/志愿服务记录证明_${R1}_20261123.pdf"
    [[ -s $PDF ]] || fail "F9 wrote no $PDF"
    text=$(pdftotext -layout "$PDF" - | tr -d ' \n')
    grep -qF "兹证明$R1" <<<"$text" || fail "the certificate lacks the name: $text"
    grep -qF "510902105000-Z2026-00001" <<<"$text" || fail "the certificate lacks its number"
    grep -qF "累计服务时长2小时40分" <<<"$text" || fail "the certificate lacks the hours"
fi

step "更正: the entry stays, a reversal and the corrected entry with the reason"
send F7
wait_for "更正服务时长"
type_text "120"
send Tab
type_text "提前半小时离开"
send F2
wait_for "已更正"
wait_for "共 2小时 "
wait_line '^2026-11-23 +长者健康讲座 +-2小时40分 +冲回'
[[ $(sql "SELECT group_concat(minutes) FROM (SELECT minutes FROM hour_entries ORDER BY rowid)") == "150,-150,160,-160,120" ]] \
    || fail "the ledger is not 150,-150,160,-160,120"
send Escape
wait_line '^510902105000V000001'
send Escape
wait_for "3  志愿者"
send F10
wait_exit
[[ $EXIT_STATUS == 0 ]] || fail "exit status $EXIT_STATUS"

if command -v pdftotext >/dev/null; then
    step "wushe print signin and certificate; wushe certificate verify says what a number certified"
    "$WUSHE_BIN" print signin "长者健康讲座@2026-11-23" --db "$DB" --out "$E2E_TMP/s.pdf" \
        | grep -q "已打印到" || fail "print signin"
    text=$(pdftotext -layout "$E2E_TMP/s.pdf" - | tr -d ' ')
    grep -qF "志愿服务活动签到表" <<<"$text" && grep -qF "$R2" <<<"$text" \
        && grep -qF "510902105000V000001" <<<"$text" || fail "the sign-in sheet: $text"
    "$WUSHE_BIN" certificate verify 510902105000-Z2026-00001 --db "$DB" \
        | grep -qF "志愿者 $R1（510902105000V000001），注册之日 至 2026-11-23，服务时长 2小时40分" \
        || fail "certificate verify"
    if "$WUSHE_BIN" certificate verify 510902105000-Z2026-00009 --db "$DB" 2>"$E2E_TMP/err"; then
        fail "an unknown certificate number verified"
    fi
    grep -qF "没有编号为“510902105000-Z2026-00009”的志愿服务记录证明" "$E2E_TMP/err" \
        || fail "an unknown certificate number: $(cat "$E2E_TMP/err")"
    if "$WUSHE_BIN" print certificate 510902105000V000001 --from 2026-01-01 --to 2026-06-30 \
        --db "$DB" --out "$E2E_TMP/none.pdf" 2>"$E2E_TMP/err"; then
        fail "a certificate for a period without hours"
    fi
    grep -qF "这段时间没有已确认的服务时长" "$E2E_TMP/err" || fail "no reason: $(cat "$E2E_TMP/err")"
    [[ ! -e $E2E_TMP/none.pdf ]] || fail "a refused certificate left a file"
fi

step "wushe import attendance: a sign-in sheet from Excel; people not on the register into the error file; a second run changes nothing"
R3=$(sql "SELECT name FROM residents WHERE deleted_at IS NULL AND name NOT IN ('$R1', '$R2', '$R4')
          GROUP BY name HAVING count(*) = 1 ORDER BY min(id) LIMIT 1")
printf '活动名称,日期,姓名,时长\n长者健康讲座,2026-11-23,%s,2:40\n长者健康讲座,2026-11-23,%s,\n长者健康讲座,2026-11-23,%s,\n长者健康讲座,2026-11-23,查无此人,\n长者健康讲座,2026-11-22,%s,\n' \
    "$R1" "$R2" "$R3" "$R2" | iconv -f UTF-8 -t GB18030 >"$E2E_TMP/签到.csv"
# R2 was marked 缺席 or 迟到 above (the roster's order is the names'): an
# absent one comes back present, a late one stays late.
r2mark=$(sql "SELECT a.mark FROM session_attendance a JOIN residents r ON r.id = a.resident_id
              WHERE r.name = '$R2'")
if [[ $r2mark == absent ]]; then want="新增 1，更新 1，无变化 1"; else want="新增 1，更新 0，无变化 2"; fi
out=$("$WUSHE_BIN" import attendance "$E2E_TMP/签到.csv" --db "$DB")
rc=$?
[[ $rc == 3 ]] || fail "import attendance exit $rc (want 3): $out"
grep -qF "共 5 行，$want，有错误 2" <<<"$out" || fail "import attendance ($r2mark): $out"
errfile=$(ls "$E2E_TMP"/签到*错误* 2>/dev/null | head -1)
[[ -n $errfile ]] || fail "no error file: $out"
errs=$(iconv -f GB18030 -t UTF-8 "$errfile")
grep -qF "“查无此人”不在登记册上" <<<"$errs" || fail "the error file lacks the reason: $errs"
grep -qF "活动“长者健康讲座”在 2026-11-22 没有场次" <<<"$errs" || fail "no session reason: $errs"
[[ $(sql "SELECT count(*) FROM session_attendance a JOIN residents r ON r.id = a.resident_id
          WHERE r.name = '$R3' AND a.mark = 'present'") == 1 ]] || fail "$R3 is not marked present"
out=$("$WUSHE_BIN" import attendance "$E2E_TMP/签到.csv" --db "$DB")
grep -qF "共 5 行，新增 0，更新 0，无变化 3，有错误 2" <<<"$out" || fail "a second run: $out"

step "wushe export hours / volunteers, and wushe import volunteers twice: the second run changes nothing"
out=$("$WUSHE_BIN" export hours --db "$DB") || fail "export hours failed"
grep -qP "^510902105000V000001,$R1,2026-11-23,长者健康讲座,\t?-150,冲回," <<<"$out" \
    || fail "export hours has no reversal row: $out"
[[ $(grep -c '^510902105000V' <<<"$out") == 5 ]] || fail "export hours: not 5 entries (the roster's 更正 and the clerk's): $out"
"$WUSHE_BIN" export volunteers "$E2E_TMP/v.xlsx" --db "$DB" | grep -q "已导出志愿者 1 条" \
    || fail "export volunteers to xlsx"
printf '姓名,联系电话,注册日期,技能\n王小燕,13912340001,2026-03-01,理发、宣传\n' >"$E2E_TMP/roster.csv"
"$WUSHE_BIN" import volunteers "$E2E_TMP/roster.csv" --db "$DB" | grep -q "新增 1" \
    || fail "import volunteers did not add one"
"$WUSHE_BIN" import volunteers "$E2E_TMP/roster.csv" --db "$DB" | grep -q "新增 0，更新 0，无变化 1" \
    || fail "a second import changed something"
[[ $(sql "SELECT number || ' ' || skills FROM volunteers WHERE name = '王小燕'") == "510902105000V000002 haircut,publicity" ]] \
    || fail "the imported volunteer's number or skills"
exit 0
