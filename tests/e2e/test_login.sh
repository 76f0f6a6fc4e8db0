#!/usr/bin/env bash
# shellcheck disable=SC2119,SC2317  # lib functions with optional arguments; helpers run via wait_until
# Who is at the keyboard: a first start makes the station's 站长 before
# anything else; the login screen (the demo's accounts on it, the password
# never on the screen); a wrong password keeps the login screen and says so;
# a password reset by the 站长 is changed right after the login; a tiny
# terminal still gets the "too small" screen.
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

# q SQL [FILE]: one value from a station file
q() { python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "${2:-$DB}" "$1"; }

step "a first start asks for the first 站长 before the station's setup"
new=$E2E_TMP/new/station.db
start --no-db --db "$new"
wait_for "输入 y 并按 Enter 新建"
type_text y
send Enter
wait_line '│ 建立站长账户 '
wait_for "这个工作站还没有账户"
assert_screen "再输一次密码"
refute_screen "工作站信息"
type_text "Wangfang"
send Tab
type_text "王芳"
send Tab
type_text "short"
send F2
wait_line '✗ ?密码 .*密码至少8个字符'
refute_screen "short"
[[ $(q "SELECT count(*) FROM accounts" "$new") == 0 ]] || fail "a short password made an account"

step "the password twice; the same as the login name is refused"
send C-u
type_text "wangfang"
send Tab
type_text "wangfang"
send F2
wait_line '✗ ?密码 .*密码不能与账户名相同'
send C-u
type_text "qingshi-2026"
send Tab
send C-u
type_text "qingshi-2062"
# Enter walks the fields and, on the last one, saves
send Enter
wait_line '✗ ?再输一次密码 .*两次输入的密码不一致'
send C-u
type_text "qingshi-2026"
send Enter
wait_for "工作站信息"
wait_for "新站点：先填工作站名称"
top=$(screen_line 0)
[[ $top == *"王芳 · 站长"* ]] || fail "the top line does not name the 站长: $top"
[[ $(q "SELECT login || ' ' || role || ' ' || display_name FROM accounts" "$new") == "wangfang director 王芳" ]] \
    || fail "accounts: $(q "SELECT group_concat(login || ' ' || role) FROM accounts" "$new")"
[[ $(q "SELECT count(*) FROM access_log WHERE event = 'login'" "$new") == 1 ]] || fail "the login is not recorded"
send F10
wait_exit
[[ $EXIT_STATUS == 0 ]] || fail "exit $EXIT_STATUS"

step "the next start asks for a login; nothing of the station before it"
E2E_NO_LOGIN=1 start --no-db --db "$new"
wait_line '│ 登录 '
refute_screen "首页"
refute_screen "建立站长账户"
refute_screen "wushe-demo"
type_text "WANGFANG"
send Tab
type_text "qingshi-2026"
refute_screen "qingshi"
wait_for "●●●●●●●●●●●●"
send Enter
wait_for "首页"
wait_line '王芳 · 站长 +2026-11-23'
send F10
wait_exit

step "the demo's login screen lists its accounts; Esc quits there"
make_demo 60
E2E_NO_LOGIN=1 start --demo
wait_line '│ 登录 '
wait_for "演示工作站的账户，密码都是 wushe-demo"
wait_line '^ +zhanzhang +站长$'
wait_line '^ +shegong +社工$'
wait_line '^ +luru +录入员$'
wait_line '^ +dudao +督导$'
bottom=$(screen_line 23)
[[ $bottom == *"Enter 登录"* && $bottom == *"F10 退出"* ]] || fail "login key bar: $bottom"
send Escape
wait_exit
[[ $EXIT_STATUS == 0 ]] || fail "Esc on the login screen: exit $EXIT_STATUS"
# a station that is not started as the demo does not list them
E2E_NO_LOGIN=1 start
wait_line '│ 登录 '
refute_screen "wushe-demo"
send F10
wait_exit

step "a wrong password: said at the field, still the login screen, recorded"
E2E_NO_LOGIN=1 start
wait_line '│ 登录 '
type_text "shegong"
send Enter
type_text "not-the-password"
send Enter
wait_line '✗ ?密码 .*账户或密码不对'
wait_line '│ 登录 '
refute_screen "not-the-password"
refute_screen "首页"
[[ $(q "SELECT count(*) FROM access_log WHERE event = 'login_failed' AND login = 'shegong'") == 1 ]] \
    || fail "the failed login is not in access_log"
step "the same login screen takes the right password"
type_text "$E2E_PASSWORD"
send Enter
wait_for "首页"
wait_line '李芳 · 社工 +2026-11-23'
send F10
wait_exit

step "an unknown login gets the same answer"
E2E_NO_LOGIN=1 start
wait_line '│ 登录 '
type_text "nobody"
send Tab
type_text "$E2E_PASSWORD"
send Enter
wait_line '✗ ?密码 .*账户或密码不对'

step "five wrong passwords in a row: the account waits, and the screen says how long"
send Tab
send C-u
type_text "dudao"
# (after a refusal the cursor is in the emptied 密码)
for i in 1 2 3 4 5; do
    ((i == 1)) && send Tab
    type_text "wrong-$i-pass"
    send Enter
    if ((i < 5)); then
        wait_line '✗ ?密码 .*账户或密码不对'
    fi
done
wait_for "密码：密码错误次数过多，请 60 秒后再试"
type_text "$E2E_PASSWORD"
send Enter
wait_line '^密码：密码错误次数过多，请 [0-9]+ 秒后再试'
locked_tries() { [[ $(q "SELECT count(*) FROM access_log WHERE event = 'login_failed' AND login = 'dudao' AND detail LIKE '%locked%'") == 1 ]]; }
wait_until "the try while locked is recorded" locked_tries
[[ $(q "SELECT count(*) FROM access_log WHERE event = 'login' AND login = 'dudao'") == 0 ]] \
    || fail "the right password logged in while the account waited"
wait_line '│ 登录 '

step "a disabled account is told so"
"$WUSHE_BIN" user disable shegong --db "$DB" >"$E2E_TMP/disable.out" 2>&1 \
    || fail "user disable: $(cat "$E2E_TMP/disable.out")"
send Tab
send C-u
type_text "shegong"
send Tab
type_text "$E2E_PASSWORD"
send Enter
wait_for "密码：该账户已停用，请找站长"
wait_line '│ 登录 '

step "a tiny terminal shows the too-small screen, then the login again"
resize 60 15
wait_for "终端窗口太小"
resize 80 24
wait_line '│ 登录 '
send F10
wait_exit

step "a password reset by the 站长 must be changed right after the login"
WUSHE_NEW_PASSWORD=reset-pass-1 "$WUSHE_BIN" user reset luru --db "$DB" >"$E2E_TMP/reset.out" 2>&1 \
    || fail "user reset: $(cat "$E2E_TMP/reset.out")"
E2E_NO_LOGIN=1 start
login luru reset-pass-1
wait_line '│ 修改密码 '
wait_for "您的密码已被站长重置，请先设一个新密码"
send Escape
wait_for "请先修改密码"
wait_line '│ 修改密码 '
type_text "reset-pass-1"
send Tab
type_text "luru-pass-22"
send Tab
type_text "luru-pass-23"
send F2
wait_line '✗ ?再输一次 .*两次输入的密码不一致'
send C-u
type_text "luru-pass-22"
send F2
wait_for "密码已修改"
wait_for "首页"
wait_line '刘敏 · 录入员'
[[ $(q "SELECT must_change FROM accounts WHERE login = 'luru'") == 0 ]] || fail "must_change still set"
send F10
wait_exit
E2E_NO_LOGIN=1 start
login luru luru-pass-22
wait_for "首页"
refute_screen "修改密码"
send F10
wait_exit
exit 0
