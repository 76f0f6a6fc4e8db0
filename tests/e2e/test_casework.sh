#!/usr/bin/env bash
# shellcheck disable=SC2119,SC2317  # lib functions with optional arguments; helpers run via wait_until
# Casework as a 社工 does it (issue 11): find a person on the register by
# initials, Ctrl-W records a visit (today, 入户, the worker filled in), Ctrl-K
# opens a case on them; module 2 shows what is due and the cases; F4 in
# the cases list offers the moves the case allows and refuses one whose
# stage is not done, naming the field; F6 shows the case's parts; Esc in a
# half-typed form asks before anything typed is lost; a 录入员 sees no cases.
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

make_demo 300
E2E_LOGIN=shegong

sql() {
    python3 -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone(); print("" if r is None else r[0], end="")' "$DB" "$1"
}

# Someone in a group visited on a schedule, with a name nobody else has
# and initials that find only them.
read -r rid name initials < <(python3 - "$DB" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for rid, name, ini in c.execute(
        "SELECT r.id, r.name, r.name_initials FROM residents r JOIN resident_groups g"
        " ON g.resident_id = r.id WHERE g.group_code IN ('tekun', 'living_alone', 'dibao')"
        " AND r.deleted_at IS NULL ORDER BY r.id"):
    if c.execute("SELECT count(*) FROM residents WHERE name_initials LIKE ? || '%'",
                 (ini,)).fetchone()[0] == 1:
        print(rid, name, ini)
        break
EOF
)
[[ -n $rid ]] || fail "no resident to visit in the demo"

start
wait_for "个案与走访"

step "the hub: initials find a line (zfjl 走访记录), End keeps the lines"
send 2
wait_for "应访名单"
type_text "zfjl"
wait_line "^ *走访记录"
wait_gone "应访名单"
send BSpace BSpace BSpace BSpace
send End
wait_for "应访名单"
wait_for "走访记录"
send Escape
wait_for "个案与走访"

step "the residents list: initials find the person, Ctrl-W records a visit"
send 1
wait_for "│ 居民"
type_text "$initials"
wait_for "$name"
send C-w
wait_for "新增走访记录"
screen | grep -qE "走访对象 +$name" || fail "the visit form does not name $name"
screen | grep -qE "走访日期 +$WUSHE_TODAY" || fail "the visit is not dated today"
screen | grep -qE "社工 +李芳" || fail "the worker is not the one logged in"
# A date arrived at is replaced by what is typed, not appended to.
send Tab
type_text "2026-11-20"
wait_line "走访日期 +2026-11-20 *$"
send Tab
send BTab
type_text "$WUSHE_TODAY"
wait_line "走访日期 +$WUSHE_TODAY *$"
for _ in 1 2 3 4 5; do send Tab; done
type_text "老人腿疼，需要助行器"
send F2
wait_for "已保存"
[[ $(sql "SELECT count(*) FROM visits WHERE resident_id = $rid AND visit_date = '$WUSHE_TODAY' AND findings = '老人腿疼，需要助行器'") == 1 ]] \
    || fail "the visit was not saved"

step "Ctrl-K opens a case on the same person; Esc in a typed form asks first"
send C-k
wait_for "新增个案"
screen | grep -qE "服务对象 +$name" || fail "the case form does not name $name"
send Tab
type_text "x"
send Escape
wait_for "取消"
send Enter # 取消 is the default: still in the form
wait_for "新增个案"
send F2 # the date with an x is refused, what was typed stays
wait_for "接案日期：日期格式应为"
# What is typed into a date arrived at replaces it; a refused one stays.
screen | grep -qE "接案日期 +x " || fail "the typed date was lost"
send BSpace
type_text "$WUSHE_TODAY"
send F2
wait_for "来源：必须填写" # an intake says where it came from and what it is about
send Enter
wait_for "请选择：来源"
type_text "jmqz"
wait_line '^居民求助'
send Enter
wait_line '来源 +居民求助'
send Enter
wait_for "请选择：问题类别"
type_text "zl"
wait_line '^照料'
send Enter
wait_line '问题类别 +照料'
send Tab
type_text "独居，腿脚不便"
send F2
wait_for "已保存"
number=$(sql "SELECT number FROM cases WHERE resident_id = $rid ORDER BY id DESC LIMIT 1")
[[ $number == 510902105-2026-* ]] || fail "no case number: '$number'"
[[ $(sql "SELECT count(*) FROM case_transitions t JOIN cases c ON c.id = t.case_id WHERE c.number = '$number'") == 1 ]] \
    || fail "the opening is not a transition"

step "module 2: the hub, the due list, the cases; F4 refuses an unfinished stage"
send Escape
wait_for "│ 居民"
send Escape
wait_for "个案与走访"
send 2
wait_for "应访名单（逾期"
assert_screen "走访记录"
send Down Down Enter
wait_for "│ 个案"
type_text "$initials"
wait_for "$number"
send F4
wait_for "办理"
assert_screen "进入下一阶段"
assert_screen "作废个案"
refute_screen "批准结案"
send Enter
wait_for "还没有服务同意"
[[ $(sql "SELECT stage FROM cases WHERE number = '$number'") == intake ]] || fail "the case moved"

step "F6: the case's parts"
send F6
wait_for "的明细"
assert_screen "服务记录"
assert_screen "流转记录"
send Escape
wait_for "│ 个案"
[[ $(sql "SELECT count(*) FROM access_log WHERE event = 'open' AND table_name = 'cases'") -ge 0 ]] || true

step "a move's reason is kept as typed (the prompt once made it a path under HOME)"
send F4
wait_for "作废个案"
type_text "zf"
wait_line '作废个案'
send Enter
wait_for "原因"
type_text "重复登记"
send Enter
wait_for "│ 个案"
got=$(sql "SELECT t.reason FROM case_transitions t JOIN cases c ON c.id = t.case_id WHERE c.number = '$number' AND t.to_status <> t.from_status ORDER BY t.id DESC LIMIT 1")
[[ $got == 重复登记 ]] || fail "the reason was stored as \"$got\""

step "the case file and a referral print, and pdftotext gives their Chinese back"
if command -v pdftotext >/dev/null; then
    closed=$(sql "SELECT number FROM cases WHERE status = 'closed' ORDER BY number LIMIT 1")
    cname=$(sql "SELECT r.name FROM cases c JOIN residents r ON r.id = c.resident_id WHERE c.number = '$closed'")
    "$WUSHE_BIN" print case "$closed" --out "$E2E_TMP/case.pdf" --db "$DB" >"$E2E_TMP/p.out" 2>&1 \
        || { cat "$E2E_TMP/p.out" >&2; fail "print case failed"; }
    text=$(pdftotext -layout "$E2E_TMP/case.pdf" - | tr -d ' ')
    for want in 个案档案 "$closed" "$cname" 一、接案 二、预估 三、服务计划 四、介入 五、评估 六、结案 \
        八、流转记录 社工签名 站长签名; do
        [[ $text == *"$want"* ]] || fail "the case file lacks $want"
    done
    rid=$(sql "SELECT id FROM referrals ORDER BY id LIMIT 1")
    "$WUSHE_BIN" print referral "$rid" --out "$E2E_TMP/ref.pdf" --db "$DB" >"$E2E_TMP/p.out" 2>&1 \
        || { cat "$E2E_TMP/p.out" >&2; fail "print referral failed"; }
    text=$(pdftotext -layout "$E2E_TMP/ref.pdf" - | tr -d ' ')
    for want in 转介单 转介原因 回执 接收机构经办人签名; do
        [[ $text == *"$want"* ]] || fail "the referral lacks $want"
    done
    "$WUSHE_BIN" print case NO-SUCH --out "$E2E_TMP/x.pdf" --db "$DB" >/dev/null 2>&1 && fail "printed a case that is not there"
    [[ ! -e $E2E_TMP/x.pdf ]] || fail "a file for a case that is not there"
fi

step "a 录入员 keys in visits but sees no cases"
send F10
wait_exit
E2E_LOGIN=luru
start
wait_for "个案与走访"
screen | grep -q "个案：进行中" && fail "a 录入员 sees case counts"
send 2
wait_for "应访名单"
refute_screen "个案（进行中"
send Escape

echo "test_casework: ok"
