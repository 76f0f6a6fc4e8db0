#!/usr/bin/env bash
# shellcheck disable=SC2119,SC2317  # lib functions with optional arguments; helpers run via wait_until
# Window resizes: the list relayouts (aligned, more rows when taller), a too
# small window shows the "terminal too small" screen, and nothing is lost.
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

make_demo 300

rows_at_least() { (($(list_rows) >= $1)); }
rows_exactly() { (($(list_rows) == $1)); }
bottom_is_keys() { screen_line $(($1 - 1)) | grep -qF "F1 帮助"; }
top_width_at_least() { (($(dwidth "$(screen_line 0)") >= $1)); }

step "residents list at 80x24"
start
wait_for "居民 300"
send 1
wait_line '居民 +共 300 条'
wait_for "身份证号"
rows80=$(list_rows)
((rows80 >= 15)) || fail "only $rows80 rows at 80x24"
check_list_alignment "$rows80"
bottom_is_keys 24 || fail "key line is not the last line at 80x24"
top80=$(screen_line 0)
# the date is right-aligned on the top line
(($(dwidth "$top80") >= 78)) || fail "top line is not full width: '$top80'"
# move the selection away from the first row, to see it survive the resizes
send Down Down Down
first80=$(screen | grep -oE '[0-9]{3}\*{11}[0-9X]{4}' | head -n1)   # masked ID of the first row
first_row_is() { [[ $(screen | grep -oE '[0-9]{3}\*{11}[0-9X]{4}' | head -n1) == "$1" ]]; }

step "grow to 120x40"
resize 120 40
wait_size 120 40
wait_until "more rows are shown at 120x40" rows_at_least $((rows80 + 10))
wait_until "the key line moves to the last line" bottom_is_keys 40
wait_until "the top line spans 120 columns" top_width_at_least 118
rows120=$(list_rows)
check_list_alignment "$rows120"
top=$(screen_line 0)
[[ $top == *2026-11-23* && $top == *居民* ]] || fail "top line at 120x40: '$top'"
first_row_is "$first80" || fail "the first row changed: want the resident with $first80"

step "back to 80x24"
resize 80 24
wait_size 80 24
wait_until "the list shrinks back to $rows80 rows" rows_exactly "$rows80"
wait_until "the key line is the last line again" bottom_is_keys 24
check_list_alignment "$rows80"
(($(dwidth "$(screen_line 0)") <= 80)) || fail "top line wider than 80 columns"
first_row_is "$first80" || fail "the first row changed: want the resident with $first80"

step "shrink to 60x20: too-small screen"
resize 60 20
wait_size 60 20
wait_for "终端窗口太小"
wait_for "60×20"
wait_gone "身份证号"
step "back to 80x24 restores the list"
resize 80 24
wait_size 80 24
wait_gone "终端窗口太小"
wait_line '居民 +共 300 条'
wait_until "the list is back with $rows80 rows" rows_exactly "$rows80"
check_list_alignment "$rows80"
first_row_is "$first80" || fail "the first row changed: want the resident with $first80"

step "a form keeps what was typed across resizes"
send F5
wait_for "新增居民"
type_text "欧阳娜娜"
send Tab
type_text "11010519491231002X"
wait_line '身份证号 +11010519491231002X'
resize 100 30
wait_size 100 30
wait_until "the form relayouts at 100x30" bottom_is_keys 30
wait_line '姓名 +欧阳娜娜'
wait_line '身份证号 +11010519491231002X'
resize 60 20
wait_size 60 20
wait_for "终端窗口太小"
resize 80 24
wait_size 80 24
wait_gone "终端窗口太小"
wait_until "the form is back at 80x24" bottom_is_keys 24
wait_line '姓名 +欧阳娜娜'
wait_line '身份证号 +11010519491231002X'
send F2
wait_line '居民 +共 301 条'
wait_line '欧阳娜娜 +女 +76 +110\*{11}002X'
check_list_alignment 10

step "F10 quits from the too-small screen"
resize 60 20
wait_size 60 20
wait_for "终端窗口太小"
send F10
wait_exit
[[ $EXIT_STATUS == 0 ]] || fail "exit status $EXIT_STATUS"
[[ -n $("$WUSHE_BIN" search residents 欧阳娜娜 --db "$DB") ]] || fail "saved resident missing"
exit 0
