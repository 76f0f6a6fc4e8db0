#!/usr/bin/env bash
# shellcheck disable=SC2119,SC2317  # lib functions with optional arguments; helpers run via wait_until
# Unticking a 困难类别 keeps its dates and certificate until the resident is
# saved, and ticking it again brings them back (issue 8, item 9: they were
# dropped at once). F8/Ctrl-D untick too; the letter d is no command. The
# save removes the status, and the change history shows what it removed:
# type and grade, dates, the certificate number masked.
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

make_demo 300

sql() {
    python3 -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone(); print("" if r is None else "|".join(str(x) for x in r), end="")' "$DB" "$1"
}

# A resident whose name is unique, with a 残疾 status that has a date and a
# certificate number.
row=$(sql "SELECT r.id, r.name, g.start_date, g.cert_no FROM residents r
           JOIN resident_groups g ON g.resident_id = r.id
           WHERE g.group_code = 'disabled' AND g.start_date <> '' AND g.cert_no <> ''
             AND (SELECT count(*) FROM residents x WHERE x.name = r.name) = 1
           ORDER BY r.id LIMIT 1")
IFS='|' read -r rid name start_date cert <<<"$row"
[[ -n $rid && -n $cert ]] || fail "the demo has no resident with a 残疾 certificate: '$row'"
groups_before=$(sql "SELECT count(*) FROM resident_groups WHERE resident_id = $rid")

step "open $name's statuses"
start
wait_for "居民 300"
send 1
wait_line '居民 +共 300 条'
type_text "$name"
wait_line "^$name +[男女]"
send Enter
wait_for "编辑居民"
send BTab
wait_line '困难类别 .*按 Enter'
send Enter
wait_for "困难类别  $name"
wait_line "\[x\] 残疾人 +$start_date +${cert:0:8}"
# 残疾人 is the fifth status of the code list
for _ in 1 2 3 4; do send Down; done

step "Space unticks: the date and certificate stay, a message says so"
send Space
wait_line "\[ \] 残疾人 +$start_date +${cert:0:8}"
wait_for "已取消「残疾人」"

step "Space again ticks it with its details back"
send Space
wait_line "\[x\] 残疾人 +$start_date +${cert:0:8}"
wait_for "已恢复「残疾人」"

step "d is no command; F8 unticks, keeping the details"
type_text "d"
send F8
wait_line "\[ \] 残疾人 +$start_date +${cert:0:8}"
send Space
wait_line "\[x\] 残疾人 +$start_date +${cert:0:8}"
send C-d
wait_line "\[ \] 残疾人 +$start_date +${cert:0:8}"

step "Enter on the unticked status shows its kept details"
send Enter
wait_for "困难类别：残疾人"
wait_line "认定日期 +$start_date"
wait_line "证件编号 +$cert"
send Escape
wait_gone "困难类别：残疾人"
wait_line "\[ \] 残疾人 +$start_date"

step "back in the form the summary says what the save removes"
send Escape
wait_for "编辑居民"
wait_for "保存时取消：残疾"
[[ $(sql "SELECT count(*) FROM resident_groups WHERE resident_id = $rid AND group_code = 'disabled'") == 1 ]] \
    || fail "the status was removed before the save"

step "the save removes it"
send F2
# shellcheck disable=SC1111  # the program's own Chinese quotes
wait_line "居民 · “$name” +共 [0-9]+ 条"
[[ $(sql "SELECT count(*) FROM resident_groups WHERE resident_id = $rid AND group_code = 'disabled'") == 0 ]] \
    || fail "the status is still there after the save"
[[ $(sql "SELECT count(*) FROM resident_groups WHERE resident_id = $rid") == $((groups_before - 1)) ]] \
    || fail "other statuses changed"

step "the history shows what the save removed, in full and masked"
send F11
wait_for "修改记录：$name"
# The detail wraps at the width: "→ （无）" whole, on this line or the next.
wait_line "困难类别：残疾（[^）]*认定日期 $start_date，证件编号 ${cert:0:3}[*]+${cert: -4}）( → （无）)?$"
wait_line "(）|^) +→ （无）$"
refute_screen "$cert"
