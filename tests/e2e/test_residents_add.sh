#!/usr/bin/env bash
# shellcheck disable=SC2119,SC2317  # lib functions with optional arguments; helpers run via wait_until
# Adding residents through the form (F2 and Ctrl-S), the list's column
# alignment with Chinese text, CLI search, and the pinyin-initials filter.
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

make_demo 300

step "open the residents list"
start
wait_for "居民 300"
send 1
wait_line '居民 +共 300 条'
wait_for "身份证号"
check_list_alignment 15

step "new resident form (F5)"
send F5
wait_for "新增居民"
wait_line '^ ?姓名'
type_text "欧阳娜娜"
wait_line '姓名 +欧阳娜娜'
send Tab
type_text "11010519491231002X"
wait_line '身份证号 +11010519491231002X'
send Tab
step "leaving the ID number fills sex and birth date"
wait_line '性别 +女'
wait_line '出生日期 +1949-12-31'
screen | grep -qE '姓名 +欧阳娜娜' || fail "name lost after Tab"

step "save with F2"
send F2
wait_line '居民 +共 301 条'
wait_for "欧阳娜娜"
# the new row, masked, with sex and age (1949-12-31 .. 2026-11-23: 76)
wait_line '欧阳娜娜 +女 +76 +110\*{11}002X'
refute_screen "11010519491231002X"
check_list_alignment 10
row=$(screen | grep -F "欧阳娜娜")
hdr=$(screen | grep -F "身份证号" | grep -F "姓名")
c_row=$(dcol "$row" "110***********002X")
c_hdr=$(dcol "$hdr" "身份证号")
[[ $c_row == "$c_hdr" ]] || fail "masked ID at column $c_row, header 身份证号 at $c_hdr"
# and the same column as the other rows
other=$(screen | grep -E '510\*{11}' | head -n1)
c_other=$(dcol "$other" "$(grep -oE '510\*{11}[0-9X]{4}' <<<"$other")")
[[ $c_row == "$c_other" ]] || fail "masked ID at column $c_row, other rows at $c_other"

step "CLI search finds her"
out=$(search_residents 欧阳) || fail "search exited non-zero"
line=$(grep -P '\t欧阳娜娜\t' <<<"$out") || fail "search 欧阳 does not list 欧阳娜娜: $out"
IFS=$'\t' read -r rid _ ridn _ <<<"$line"
[[ $rid =~ ^[0-9]+$ ]] || fail "search: bad id '$rid'"
[[ $ridn == 11010519491231002X ]] || fail "search: ID number '$ridn'"
out=$(search_residents 欧阳娜娜)
[[ $(grep -c . <<<"$out") == 1 ]] || fail "search 欧阳娜娜: want exactly one row, got: $out"

step "second resident (Ctrl-N), saved with Ctrl-S"
id2=$(id_number 32058319800229001)   # 1980-02-29 (leap day), odd 17th digit: male
send C-n
wait_for "新增居民"
type_text "诸葛明"
wait_line '姓名 +诸葛明'
send Tab
type_text "$id2"
wait_line "身份证号 +$id2"
send Tab
wait_line '性别 +男'
wait_line '出生日期 +1980-02-29'
send C-s
wait_line '居民 +共 302 条'
wait_line '诸葛明 +男 +46 +320\*{11}'
check_list_alignment 10
out=$(search_residents 诸葛明)
grep -qF "$id2" <<<"$out" || fail "search 诸葛明 does not find $id2: $out"

step "filter by pinyin initials oynn"
send F3
type_text "oynn"
wait_line '查找 +oynn'
wait_line '欧阳娜娜 +女 +76'
# every row shown matches the filter; 诸葛明 is gone
wait_gone "诸葛明"
check_list_alignment 1

step "Esc clears the filter"
send Escape
wait_gone "oynn"
wait_line '居民 +共 302 条'

step "typing a Chinese character starts filtering"
type_text "诸葛"
wait_line '查找 +诸葛'
wait_line '诸葛明 +男'
wait_gone "欧阳娜娜"
send Escape
wait_gone "查找  诸葛"

step "edit her: the form shows the ID number masked, F6 in full"
type_text "oynn"
wait_line '查找 +oynn'
wait_line '欧阳娜娜 +女 +76'
# one Enter opens the selected row, straight from the search box
send Enter
wait_line '身份证号 +110\*{11}002X'
send F6
wait_line '身份证号 +11010519491231002X'
wait_line '姓名 +欧阳娜娜'
send Escape
wait_line '居民 · “oynn” +共 1 条'
wait_line '^查找 +oynn'

step "filter by the full ID number"
send Escape
wait_gone "oynn"
type_text "11010519491231002X"
wait_line '^查找 +11010519491231002X'
soft wait_line '^欧阳娜娜 +女 +76' 5
soft wait_no_line '^诸葛明 ' 5
send Escape
wait_line '^查找 +输入'

step "history of the new resident (F11): one insert by the clerk"
type_text "oynn"
wait_line '^欧阳娜娜 +女 +76'
send F11
wait_for "修改记录：欧阳娜娜"
wait_line '新增 +姓名、身份证号'
# under the list, the selected change field by field, identifiers masked
wait_line '^ +这次改动'
wait_line '^ +姓名：欧阳娜娜$'
wait_line '^ +身份证号：110\*{11}002X$'
no_full_id=$(screen | grep -c '11010519491231002X' || true)
[[ $no_full_id == 0 ]] || fail "the history shows a full ID number"
send Escape
wait_line '^欧阳娜娜 +女 +76'
send Escape
wait_line '^查找 +输入'

step "the groups checklist names its Space key"
type_text "oynn"
wait_line '^欧阳娜娜 +女 +76'
send Enter
wait_line '姓名 +欧阳娜娜'
for _ in 1 2 3 4 5 6 7 8 9 10 11; do send Tab; done
send Enter
wait_for "[ ] 低保对象"
wait_for "Space 选中/取消"
send Escape
wait_line '姓名 +欧阳娜娜'
send Escape
wait_line '^欧阳娜娜 +女 +76'
send Escape
wait_line '^查找 +输入'

step "quit"
send Escape
wait_for "居民 302"
send F10
wait_exit
[[ $EXIT_STATUS == 0 ]] || fail "exit status $EXIT_STATUS"
"$WUSHE_BIN" check --db "$DB" >/dev/null || fail "check failed after adding"
exit 0
