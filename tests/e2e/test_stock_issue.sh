#!/usr/bin/env bash
# shellcheck disable=SC2119,SC2317  # lib functions with optional arguments
# Goods out through the 爱心超市 (issue 13 with 12): 4 捐赠 → 物资出库, F5: milk
# picked by its initials, a volunteer by number; more points than the
# balance refused at 所用积分 with the balance named and the form kept;
# then 10 points: the milk leaves stock (the earliest batch not past) and
# the points the balance, in one save; F4 冲销 (数量相反) puts both back;
# 30 天内到期 marks the batches already past 已过期.
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

make_demo 200
sql() { python3 -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone(); print("" if r is None else r[0])' "$DB" "$1"; }

read -r VNO VNAME VID < <(python3 - "$DB" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(*c.execute("SELECT v.number, v.name, v.id FROM volunteers v JOIN points_movements p"
                 " ON p.volunteer_id = v.id GROUP BY v.id HAVING sum(p.points) >= 20"
                 " ORDER BY v.number LIMIT 1").fetchone())
PY
)
[[ -n $VID ]] || fail "no volunteer with 20 points in the demo"
BAL=$(sql "SELECT sum(points) FROM points_movements WHERE volunteer_id = $VID")
MILK=$(sql "SELECT on_hand FROM items WHERE name = '牛奶'")
N=$(sql "SELECT count(*) FROM stock_issues")
(( MILK > 0 )) || fail "no milk in the demo's stock"

step "4 捐赠 → 物资出库: F5, milk by nn, $VNAME by number; 9999 points refused"
start
wait_for "4  捐赠"
send 4
wait_for "发放与签领"
send Home Down Down Down Down Down Enter
wait_line "物资出库 +共 $N 条"
send F5
wait_for "新增物资出库"
send Tab Enter
wait_for "请选择：物资"
type_text "nn"
wait_line '^牛奶'
send Enter
wait_line '物资 +牛奶'
send Tab
type_text "1"
send Tab Tab Tab Enter
wait_for "请选择：志愿者"
type_text "$VNO"
wait_line "^$VNO +$VNAME"
send Enter
wait_line "兑换志愿者 +$VNAME"
type_text "9999"
send F2
wait_for "积分不够：余额只有 $BAL 分"
wait_line '所用积分 +9999'
[[ $(sql "SELECT count(*) FROM stock_issues") == "$N" ]] || fail "a refused exchange was written"

step "Backspace empties a chosen volunteer; Enter picks one again"
send BTab
send BSpace
wait_line '兑换志愿者 +（无）'
send F2
wait_no_line '已保存'
[[ $(sql "SELECT count(*) FROM stock_issues") == "$N" ]] || fail "an exchange without a volunteer was written"
send Enter
wait_for "请选择：志愿者"
type_text "$VNO"
wait_line "^$VNO +$VNAME"
send Enter
wait_line "兑换志愿者 +$VNAME"

step "10 points: the milk and the points leave together"
send BSpace BSpace BSpace BSpace
type_text "10"
send F2
wait_line "物资出库 +共 $((N + 1)) 条"
wait_line "^20[0-9-]+ +牛奶 +1 +爱心超… +$VNAME +10"   # 爱心超市兑换, cut with its mark
[[ $(sql "SELECT on_hand FROM items WHERE name = '牛奶'") == $((MILK - 1)) ]] || fail "the milk did not leave stock"
[[ $(sql "SELECT sum(points) FROM points_movements WHERE volunteer_id = $VID") == $((BAL - 10)) ]] \
    || fail "the points did not leave the balance"

step "F4 冲销: the milk and the points come back"
send F4
wait_for "冲销这条物资出库"
wait_for "另写一条数量相反"
send Right Enter
wait_for "已冲销"
[[ $(sql "SELECT on_hand FROM items WHERE name = '牛奶'") == "$MILK" ]] || fail "the milk did not come back"
[[ $(sql "SELECT sum(points) FROM points_movements WHERE volunteer_id = $VID") == "$BAL" ]] \
    || fail "the points did not come back"
# the reversal is in view and chosen, not above it (no Home needed)
wait_line "^2026-11-23 +牛奶 +-1 +爱心超… +$VNAME +-10 .*冲销"

step "an issue that is no exchange shows no points (not 0)"
send F5
wait_for "新增物资出库"
send Tab Enter
wait_for "请选择：物资"
type_text "nn"
wait_line '^牛奶'
send Enter
wait_line '物资 +牛奶'
send Tab
type_text "1"
send Tab Enter
wait_for "请选择：用途"
type_text "qt"
wait_line '^其他'
send Enter
wait_line '用途 +其他'
send F2
wait_line "物资出库 +共 $((N + 3)) 条"
wait_line '^2026-11-23 +牛奶 +1 +其他 *$'

step "30 天内到期: a batch already past says 已过期"
send Escape
wait_for "发放与签领"
send Home Down Down Down Enter
wait_for "30 天内到期的物资"
wait_line '^2026-06-26 +牛奶 +NN +[0-9]+ .* +已过期'
wait_line '^2026-08-21 +感冒药 +YP +[0-9]+ .* +已过期'
send Escape
wait_for "发放与签领"
send Escape
send F10
wait_exit
