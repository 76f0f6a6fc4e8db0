#!/usr/bin/env bash
# shellcheck disable=SC2119,SC2317  # lib functions with optional arguments; helpers run via wait_until
# The idle lock (station.yaml lock_minutes, here 0.1: six seconds): the
# screen is covered, nothing personal on it; the same account's password
# goes back to exactly where it was, an unsaved form intact; a question
# that was open waits under the lock; another account logging in instead is
# asked first about the unsaved form (取消 chosen), and nothing is saved.
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

q() { python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$DB" "$1"; }
events() { q "SELECT count(*) FROM access_log WHERE event = '$1'"; }

make_demo 60
mkdir -p "$XDG_CONFIG_HOME/wushe"
printf 'lock_minutes: 0.1\n' >"$XDG_CONFIG_HOME/wushe/station.yaml"
LOCK_WAIT=20

step "a new resident form, half typed, then no key: the lock covers it"
start
wait_for "居民 60"
send 1
wait_line '居民 +共 60 条'
send F5
wait_for "新增居民"
type_text "林晓雾"
send Tab
type_text "51090219"
wait_line '身份证号 +51090219$'
wait_line '│ 已锁屏 ' $LOCK_WAIT
wait_for "已锁屏：张建国 · 站长"
wait_for "有未保存的表单：解锁后原样保留"
refute_screen "林晓雾"
refute_screen "51090219"
refute_screen "新增居民"
bottom=$(screen_line 23)
[[ $bottom == *"Enter 解锁"* && $bottom == *"F5 换账户登录"* ]] || fail "lock key bar: $bottom"
[[ $(events lock) == 1 ]] || fail "the lock is not in access_log"

step "a wrong password keeps it locked"
type_text "wrong-password"
send Enter
wait_line '✗ ?密码 .*密码不对'
wait_line '│ 已锁屏 '
refute_screen "wrong-password"

step "the right password goes back to the form, as it was"
type_text "$E2E_PASSWORD"
send Enter
wait_for "新增居民  [未保存]"
wait_line '姓名 +林晓雾'
wait_line '身份证号 +51090219$'
[[ $(events unlock) == 1 ]] || fail "the unlock is not in access_log"
# the cursor is still in 身份证号: typing goes on there
type_text "1"
wait_line '身份证号 +510902191$'

step "locked again: another account instead asks about the unsaved form first"
wait_line '│ 已锁屏 ' $LOCK_WAIT
send F5
wait_for "有未保存的修改，换账户登录将放弃这些修改"
send Enter
wait_for "已取消"
wait_line '│ 已锁屏 '
send F5
wait_for "有未保存的修改，换账户登录将放弃这些修改"
send Right
send Enter
wait_line '│ 登录 '
[[ $(events logout) -ge 1 ]] || fail "the switch is not recorded as a logout"
[[ $(q "SELECT count(*) FROM residents WHERE name = '林晓雾'") == 0 ]] || fail "the discarded form was saved"
login shegong "$E2E_PASSWORD"
wait_for "首页"
wait_line '李芳 · 社工'

step "a question open when the lock comes waits under it"
send 1
wait_line '居民 +共 60 条'
send F8
wait_line '删除居民“.+”？'
name=$(screen | sed -n 's/.*删除居民“\(.*\)”？.*/\1/p' | head -1)
wait_line '│ 已锁屏 ' $LOCK_WAIT
refute_screen "删除居民"
type_text "$E2E_PASSWORD"
send Enter
wait_for "删除居民“$name”？"
send Enter
wait_for "已取消"
[[ $(q "SELECT count(*) FROM residents WHERE name = '$name' AND deleted_at IS NULL") -ge 1 ]] \
    || fail "$name was deleted"

step "nothing unsaved: another account goes straight to the login screen"
wait_line '│ 已锁屏 ' $LOCK_WAIT
send F5
wait_line '│ 登录 '
send F10
wait_exit
[[ $EXIT_STATUS == 0 ]] || fail "exit $EXIT_STATUS"
exit 0
