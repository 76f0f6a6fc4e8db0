#!/usr/bin/env bash
# shellcheck disable=SC2119,SC2317  # lib functions with optional arguments; helpers run via wait_until
# Home screen on a demo database: station name, counts, menu; help; quitting.
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

make_demo 300

step "home screen"
start
wait_for "青石镇社会工作服务站"
wait_for "居民 300"
top=$(screen_line 0)
[[ $top == *青石镇社会工作服务站* ]] || fail "station name is not on the top line: $top"
[[ $top == *首页* ]] || fail "module (首页) is not on the top line: $top"
[[ $top == *2026-11-23* ]] || fail "date (WUSHE_TODAY) is not on the top line: $top"
# counts of residents, households and communities
screen | grep -qE '居民 300 +户 [1-9][0-9]* +社区/村 [1-9]' || fail "counts line missing"
# vulnerable group counts
assert_screen "困难群体"
screen | grep -qE '低保对象 [0-9]+' || fail "低保 count missing"
# menu
screen | grep -qE '^ *1 +居民与户' || fail "menu item 1 居民与户 missing"
# bottom line: the keys that work here
bottom=$(screen_line 23)
for k in "F1 帮助" "1 居民" "F10 退出"; do
    [[ $bottom == *"$k"* ]] || fail "bottom key line lacks \"$k\": $bottom"
done

step "F1 opens help with the home screen's keys"
send F1
wait_for "帮助：首页"
s=$(screen)
grep -qE '^ *1 +居民' <<<"$s" || fail "help does not list key 1"
grep -qE 'F10' <<<"$s" || fail "help does not list F10"
grep -qE 'q' <<<"$s" || fail "help does not list q"
grep -qE 'F1' <<<"$s" || fail "help does not list F1"
step "help closes"
send Escape
wait_gone "帮助：首页"
wait_for "居民 300"
running || fail "program exited when closing help"

step "? also opens help"
send '?'
wait_for "帮助：首页"
send Enter
wait_gone "帮助：首页"
wait_for "居民 300"

step "module 1 opens residents, Esc comes back"
send 1
wait_for "姓名"
wait_line '居民 +共 300 条'
send Escape
wait_for "居民 300"
wait_for "1  居民与户"

step "F10 quits with status 0"
send F10
wait_exit
[[ $EXIT_STATUS == 0 ]] || fail "F10: exit status $EXIT_STATUS, want 0"
[[ ! -s $E2E_TMP/stderr ]] || fail "F10: unexpected stderr: $(cat "$E2E_TMP/stderr")"

step "q quits with status 0"
start
wait_for "居民 300"
send q
wait_exit
[[ $EXIT_STATUS == 0 ]] || fail "q: exit status $EXIT_STATUS, want 0"

step "F10 quits from a nested screen too"
start
wait_for "居民 300"
send 1
wait_line '居民 +共 300 条'
send F10
wait_exit
[[ $EXIT_STATUS == 0 ]] || fail "F10 from residents: exit status $EXIT_STATUS, want 0"

step "--lang en: the home screen's counts and the form's labels are not cut"
start --lang en
wait_for "Vulnerable groups"
wait_line 'Dibao [0-9]+'
send 1
wait_line 'Residents'
wait_line '^Name +Sex +Age +ID number +Phone +Community +Hh no\. +Groups'
wait_line '^[^ ]+ +[MF] +[0-9]+ '
send F5
wait_line '^ Relation to head +\(none\)'
send Escape
send Escape
send F10
wait_exit

step "database still good after the sessions"
"$WUSHE_BIN" check --db "$DB" >"$E2E_TMP/check.out" 2>&1 || fail "check failed: $(cat "$E2E_TMP/check.out")"
exit 0
