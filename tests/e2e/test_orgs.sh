#!/usr/bin/env bash
# shellcheck disable=SC2119,SC2317  # lib functions with optional arguments
# Social organisations (issue 16) in the console at 80x24: the home screen's
# 5 组织 and its counts; the hub; the organisations found by typing; F4 on an
# organisation at 评估 refused into 出壳 without an exit assessment (nothing
# moved), and into 孵化 for one at 进驻, both in its transitions; F6 its
# page; a new organisation by F5/F2 with a station number; the communities
# below the target; a project's indicators target against actual (F7); the
# closing sheet, the ledger export and import from the command line.
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

make_demo 200
sql() { python3 -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone(); print("" if r is None else r[0])' "$DB" "$1"; }

AT_ASSESS=$(sql "SELECT name FROM organisations WHERE stage = 'assessment' ORDER BY name LIMIT 1")
AT_ENTRY=$(sql "SELECT name FROM organisations WHERE stage = 'entry' ORDER BY name LIMIT 1")
[[ -n $AT_ASSESS && -n $AT_ENTRY ]] || fail "the demo has no organisations in incubation"
ORGS=$(sql "SELECT count(*) FROM organisations WHERE status <> 'cancelled'")

step "home: 5 组织 and the organisations' counts"
start
wait_for "5  组织"
wait_for "社会组织 $ORGS 家"
send 5
wait_for "社会组织与项目"
wait_for "社会组织（$ORGS 家）"
wait_for "孵化中（6 家，已出壳 2 家）"

step "the organisations; typing finds $AT_ASSESS"
send Enter
wait_line "社会组织 +共 $ORGS 条"
type_text "$AT_ASSESS"
wait_line "社会组织 .*共 1 条"
wait_line "$AT_ASSESS .*评估"

step "F4 into 出壳 without an exit assessment: refused, nothing moved"
send F4
wait_for "孵化办理"
wait_for "进入下一阶段"
wait_for "退回上一阶段"
send Enter
wait_for "还缺少：一份出壳评估" # said before its outcome is asked for
refute_screen "出壳结果"
[[ $(sql "SELECT stage FROM organisations WHERE name = '$AT_ASSESS'") == assessment ]] \
    || fail "the organisation moved without an exit assessment"

step "F6: its page, its transitions"
send F6
wait_for "$AT_ASSESS 主页"
wait_for "孵化：评估"
wait_for "扶持计划 3 项"
wait_for "能力评估 1 次"
wait_line "志愿服务 ([0-9]+小时|[0-9]+分|[0-9]+小时[0-9]{2}分)$" # its hours to the minute
wait_line "孵化：评估.*孵化记录"
send Down Enter
wait_for "$AT_ASSESS 的孵化记录"
wait_line "未孵化 → 进驻"
wait_line "孵化 → 评估"
send Escape
wait_line "社会组织 .*共 1 条"

step "$AT_ENTRY: F4 moves it into 孵化, kept as a transition"
send BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
type_text "$AT_ENTRY"
wait_line "$AT_ENTRY .*进驻"
send F4
wait_for "进入下一阶段"
send Enter
wait_for "“$AT_ENTRY”：进入下一阶段？这一步会记入孵化记录"
send Enter # 取消 is the default: nothing moved
wait_line "$AT_ENTRY .*进驻"
send F4
wait_for "进入下一阶段"
send Enter
wait_for "这一步会记入孵化记录"
send Right Enter
wait_line "$AT_ENTRY .*孵化"
[[ $(sql "SELECT to_stage FROM org_transitions t JOIN organisations o ON o.id = t.org_id WHERE o.name = '$AT_ENTRY' ORDER BY t.id DESC LIMIT 1") == incubation ]] \
    || fail "no transition into 孵化"

step "F5: a new organisation, numbered by the station"
send F5
wait_for "新增社会组织"
type_text "学堂湾银发读书会"
send F2
wait_for "已保存"
send BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
type_text "银发"
wait_line "510902105000O00031 +学堂湾银发读书会"
[[ $(sql "SELECT type || '/' || legal_form FROM organisations WHERE name = '学堂湾银发读书会'") == life/ledger ]] \
    || fail "the new organisation was not saved with its defaults"
send Escape
wait_line "社会组织 +共 $((ORGS + 1)) 条"
send Escape
wait_for "低于目标的社区、村" # back in the module's menu
send Escape
wait_for "5  组织"

step "the communities below the target"
send 5
wait_for "低于目标的社区、村"
send Down Down
send Enter
wait_for "社会组织数低于目标的社区、村"
wait_line "学堂湾社区 +社区 .* [0-9]/10"
BELOW=$(sql "SELECT count(*) FROM communities c WHERE (SELECT count(*) FROM org_communities oc JOIN organisations o ON o.id = oc.org_id WHERE oc.community_id = c.id AND oc.deleted_at IS NULL AND o.deleted_at IS NULL AND o.status <> 'cancelled') < CASE c.kind WHEN 'village' THEN 5 ELSE 10 END")
[[ $(screen | grep -cE '/(10|5) *$') == "$BELOW" ]] || fail "not the $BELOW communities below the target"
send Escape
wait_for "低于目标的社区、村" # back in the module's menu
send Escape
wait_for "5  组织"

step "the hub: initials find a line, End keeps the lines, a move by initials"
send 5
wait_for "社会组织与项目"
type_text "xm"
wait_line "^ *项目（立项、实施中"
wait_gone "孵化中（"
send BSpace BSpace
wait_for "孵化中（"
send End
wait_for "孵化中（"
wait_for "项目（立项、实施中"
type_text "dymb"
wait_line "^ *低于目标的社区、村"
wait_gone "社会组织（"
send Escape
wait_for "社会组织（"
send Escape
wait_for "5  组织"

step "3 → F4: the teams list names each team's organisation"
read -r TEAM TORG < <(python3 - "$DB" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(*c.execute("SELECT t.name, o.name FROM volunteer_teams t JOIN organisations o"
                 " ON o.id = t.org_id WHERE t.deleted_at IS NULL ORDER BY t.name LIMIT 1").fetchone())
PY
)
[[ -n $TORG ]] || fail "no team run by an organisation in the demo"
send 3
wait_for "志愿者"
send F4
wait_for "志愿服务队"
wait_line "^$TEAM .*$TORG"
send Escape
send Escape
wait_for "5  组织"

step "the demo's hours were confirmed by its 社工, whom the hours screen names"
[[ $(sql "SELECT count(*) FROM hour_entries WHERE confirmed_by IS NOT NULL AND confirmed_by NOT IN (SELECT login FROM accounts)") == 0 ]] \
    || fail "demo hours confirmed by no account: $(sql "SELECT DISTINCT confirmed_by FROM hour_entries")"
VNAME=$(sql "SELECT v.name FROM volunteers v JOIN hour_entries h ON h.volunteer_id = v.id WHERE h.confirmed_by IS NOT NULL AND (SELECT count(*) FROM volunteers w WHERE w.name = v.name) = 1 ORDER BY v.number LIMIT 1")
[[ -n $VNAME ]] || fail "no demo volunteer with confirmed hours"
send 3
wait_for "志愿者"
type_text "$VNAME"
wait_line "共 1 条"
send F7
wait_for "$VNAME 的服务时长"
wait_line "^20[0-9-]+ .* 李芳"
refute_screen " demo "
send Escape
wait_line "共 1 条"
send Escape # the search
wait_gone "共 1 条"
send Escape
wait_for "5  组织"

step "a project's indicators, target against actual (F7)"
send 5
wait_for "项目（立项、实施中"
send Down Down Down Down
send Enter
wait_line "项目 +共 6 条"
type_text "银龄"
wait_line "项目 .*共 1 条"
send F7
wait_for "指标完成情况"
wait_line "活动场次 +24 "
# Hours to the minute, money to the fen, as everywhere else.
wait_line "^志愿服务时长 +[0-9]+小时 +[0-9]+小时([0-9]{2}分)? +[0-9]+%"
wait_line "^收到资金（元） +[0-9]+\.[0-9]{2} +[0-9]+\.[0-9]{2} "
wait_line "建立健康档案|服务人次"
send Escape
wait_line "项目 .*共 1 条"
send F6
wait_for "项目服务社区"
wait_for "自定义指标"
send Down Enter
wait_line "^建立健康档案 +份 +50 +38"
send Escape
wait_line "项目 .*共 1 条"
send Escape
wait_line "项目 +共 6 条"
send Escape
wait_for "低于目标的社区、村" # back in the module's menu
send Escape
wait_for "5  组织"

step "wushe print project: the closing sheet with its indicators"
P1=$(sql "SELECT number FROM projects ORDER BY number LIMIT 1")
"$WUSHE_BIN" print project "$P1" --out "$E2E_TMP/p.pdf" --db "$DB" | grep -q "已打印到" \
    || fail "print project failed"
if command -v pdftotext >/dev/null; then
    txt=$(pdftotext -layout "$E2E_TMP/p.pdf" -)
    grep -q "项目结项表" <<<"$txt" || fail "no title on the closing sheet"
    grep -qE "活动场次 +24 " <<<"$txt" || fail "no target against actual: $txt"
    grep -qE "志愿服务时长 +[0-9]+小时 +[0-9]+小时([0-9]{2}分)?" <<<"$txt" \
        || fail "the hours are not in hours and minutes: $txt"
fi
"$WUSHE_BIN" print project P404 --out "$E2E_TMP/x.pdf" --db "$DB" 2>"$E2E_TMP/err" \
    && fail "an unknown project printed"
grep -q "没有找到项目编号为“P404”的项目" "$E2E_TMP/err" || fail "no message for an unknown project"

step "wushe export/import organisations: a type not on the list into the error file, a second run changes nothing"
"$WUSHE_BIN" export organisations "$E2E_TMP/o.xlsx" --db "$DB" | grep -q "已导出社会组织 $((ORGS + 1)) 条" \
    || fail "export organisations to xlsx"
printf '组织名称,类型,登记备案情况,成员人数\n桃源村腰鼓队,文体娱乐类,台账管理,18\n桃源村广场舞队,舞蹈类,台账管理,20\n' >"$E2E_TMP/led.csv"
# Rows in error: exit status 3, the others imported.
out=$("$WUSHE_BIN" import organisations "$E2E_TMP/led.csv" --db "$DB") && fail "no exit status for the rows in error"
grep -q "新增 1，更新 0，无变化 0，有错误 1" <<<"$out" || fail "import organisations did not add one and refuse one: $out"
grep -q "舞蹈类,台账管理,20,类型：不是可选的值，可选：生活服务类、公益慈善类" "$E2E_TMP/led_错误行.csv" \
    || fail "the error file does not list the valid types: $(cat "$E2E_TMP/led_错误行.csv")"
out=$("$WUSHE_BIN" import organisations "$E2E_TMP/led.csv" --db "$DB") || true
grep -q "新增 0，更新 0，无变化 1" <<<"$out" || fail "a second import changed something: $out"
exit 0
