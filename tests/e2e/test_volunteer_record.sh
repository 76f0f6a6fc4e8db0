#!/usr/bin/env bash
# shellcheck disable=SC2119,SC2317  # lib functions with optional arguments
# The rest of a volunteer's record (issue 12): F6 on a volunteer opens its
# parts, found by initials like any picker: a training added (1:30 read as
# 90 minutes), a second evaluation of a year refused at 年度 with what was
# typed kept; Ctrl-Y lists every volunteer's hours a 录入员 left pending and
# F7 confirms them all at once, with their points; F4 in a volunteer's
# hours gives points to a family member picked from the register, and the
# 积分明细 shows it.
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

make_demo 200
sql() { python3 -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone(); print("" if r is None else r[0])' "$DB" "$1"; }
run_sql() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()' "$DB" "$1"; }

# A volunteer evaluated for last year whose number no other starts with,
# and a resident whose initials find one row.
read -r VNO VNAME VID < <(python3 - "$DB" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(*c.execute("SELECT v.number, v.name, v.id FROM volunteers v JOIN volunteer_evaluations e"
                 " ON e.volunteer_id = v.id WHERE e.year = 2025 ORDER BY v.number LIMIT 1").fetchone())
PY
)
[[ -n $VID ]] || fail "the demo has no volunteer evaluated for 2025"
read -r KIN KIN_I < <(python3 - "$DB" <<'PY'
import sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute(
    "SELECT name, name_initials FROM residents WHERE deleted_at IS NULL ORDER BY id").fetchall()
inits = [i for _, i in rows]
print(*next((n, i) for n, i in rows if len(i) >= 3 and sum(1 for j in inits if j.startswith(i)) == 1))
PY
)
# Two entries a 录入员 recorded, waiting for a 站长.
OTHER=$(sql "SELECT id FROM volunteers WHERE id <> $VID ORDER BY number LIMIT 1")
run_sql "INSERT INTO hour_entries(id, volunteer_id, description, service_date, minutes, entry_kind,
         recorded_by, recorded_at) VALUES (9001, $VID, '陪同就医', '2026-11-20', 120, 'entry', 'luru',
         '2026-11-20T08:00:00Z'), (9002, $OTHER, '代购药品', '2026-11-21', 60, 'entry', 'luru',
         '2026-11-21T08:00:00Z');"
POINTS0=$(sql "SELECT coalesce(sum(points), 0) FROM points_movements WHERE volunteer_id = $VID")

step "F6 on $VNAME: the parts, px finds 培训记录; a training of 1:30 added"
start
wait_for "3  志愿者"
send 3
wait_line '志愿者 +共 [0-9]+ 条'
type_text "$VNO"
wait_line '志愿者 +共 1 条'
wait_line "^$VNO +$VNAME"
send F6
wait_for "$VNAME 的志愿服务记录"
type_text "px"
wait_line '^培训记录'
wait_no_line '^年度评价'
send Enter
NTR=$(sql "SELECT count(*) FROM volunteer_trainings WHERE volunteer_id = $VID")
wait_line "培训记录：$VNAME +共 $NTR 条"
wait_line '岗前培训：志愿服务基本知识 +2小时( |$)'
send F5
wait_for "新增培训记录"
wait_line '培训日期 +2026-11-23'
send Tab
type_text "独居老人探访安全"
send Tab
type_text "1:30"
send Tab
type_text "县社工总站督导"
send F2
wait_line '^2026-11-23 +独居老人探访安全 +1小时30分 +县社工总站督导'
wait_line "培训记录：$VNAME +共 $((NTR + 1)) 条"
[[ $(sql "SELECT minutes FROM volunteer_trainings WHERE topic = '独居老人探访安全'") == 90 ]] \
    || fail "the training is not 90 minutes"

step "年度评价: 2025 a second time refused at 年度, the form kept"
send Escape
send F6
wait_for "$VNAME 的志愿服务记录"
type_text "pj"
wait_line '^年度评价'
send Enter
wait_line "年度评价：$VNAME +共 1 条"
send F5
wait_for "新增年度评价"
wait_line '年度 +2025'
send Tab Enter
wait_for "请选择：评价等次"
type_text "yx"
wait_line '^优秀'
send Enter
send F2
wait_for "2025 年度已经评价过了"
wait_line '评价等次 +优秀'
[[ $(sql "SELECT count(*) FROM volunteer_evaluations WHERE volunteer_id = $VID") == 1 ]] \
    || fail "a second evaluation of 2025 was written"
send Escape
wait_for "放弃"
send Right Enter
send Escape

step "Ctrl-Y: every volunteer's pending hours; F7 confirms both at once"
wait_line '志愿者 +共 [0-9]+ 条'
send C-y
wait_for "待确认的服务时长"
wait_line '^2026-11-21 +代购药品 +1小时( |$)'
wait_line "^2026-11-20 +陪同就医 +2小时 .*$VNAME"
# F6 names whose entry it is (two entries can read alike); Esc answers 取消.
send Down
send F6
wait_for "确认 $VNAME 2026-11-20 的服务时长（陪同就医，2小时）？"
send Escape
wait_gone "确认 $VNAME 2026-11-20"
send F7
wait_for "确认全部 2 条待确认的服务时长？"
send Right Enter
wait_for "已确认 2 条服务时长"
wait_for "没有待确认的服务时长"
# Nothing left: F7 asks nothing; a search that finds nothing says so.
send F7
wait_for "没有可确认的服务时长"
refute_screen "[ 确定 ]"
type_text "zzq"
wait_for "没有找到“zzq”：按 Esc 清除查找"
send Escape
wait_for "没有待确认的服务时长"
[[ $(sql "SELECT count(*) FROM hour_entries WHERE id IN (9001, 9002) AND confirmed_at IS NOT NULL") == 2 ]] \
    || fail "the pending entries were not confirmed"
[[ $(sql "SELECT coalesce(sum(points), 0) FROM points_movements WHERE volunteer_id = $VID") == $((POINTS0 + 20)) ]] \
    || fail "two confirmed hours did not earn 20 points"

step "F4 in the hours: 5 points given to $KIN ($KIN_I) of the register; the 积分明细"
send Escape
wait_line "^$VNO +$VNAME"
send F7
wait_for "$VNAME 的服务时长"
send F4
wait_for "积分兑换：$VNAME"
type_text "5"
send Tab
type_text "理发"
send Tab
wait_line '赠给家人 +（本人兑换）'
send Enter
wait_for "请选择：赠给家人"
type_text "$KIN_I"
wait_line "^$KIN "
send Enter
wait_line "赠给家人 +$KIN"
send F2
wait_for "$VNAME 的服务时长"
[[ $(sql "SELECT count(*) FROM points_movements WHERE volunteer_id = $VID AND movement = 'give' AND points = -5 AND resident_id = (SELECT id FROM residents WHERE name = '$KIN' LIMIT 1)") == 1 ]] \
    || fail "the gift to $KIN is not in the ledger"
send Escape
send F6
type_text "jf"
wait_line '^积分明细'
send Enter
wait_for "$VNAME 的积分明细"
wait_line "^2026-11-23 +-5 +赠给家人 +给 $KIN：理发"
send Escape
send Escape
send F10
wait_exit
