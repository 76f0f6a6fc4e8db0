#!/usr/bin/env bash
# shellcheck disable=SC2119,SC2317  # lib functions with optional arguments
# The 站长's screens under 0 系统: 账户 (a new account with its password
# typed twice and never shown, 停用 after a yes, the last 站长 kept, 启用,
# 重置密码, no delete key) and 审计 (the access log with its filter and
# export); then the new account logs in, must change the reset password,
# and sees only the 系统 entries its role may use.
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

make_demo 30

sql() { sqlite3 -readonly "$DB" "$1"; }

step "0 系统 lists 账户 and 审计 for the 站长"
start
wait_for "0  系统"
send 0
wait_for "工作站信息"
wait_line '^账户 *$'
wait_line '^审计'
wait_line '^修改密码'
send Down Down Down
send Enter
wait_line '账户 +共 4 条'
wait_line '^zhanzhang +张建国 +站长 +13800000001 +在用 +20[0-9-]+ [0-9:]+'
wait_line '^luru +刘敏 +录入员 .* 在用 +从未登录'
refute_screen "F8"

step "a new account: the password twice, never shown; a mismatch is refused at the field"
send F5
wait_for "新增账户"
wait_line '再输一次密码'
type_text "WangFang"
send Tab
type_text "王芳"
send Tab
send Enter
wait_for "请选择：角色"
type_text "sg"
wait_line '^社工'
send Enter
wait_line '角色 +社工'
type_text "13912345678"
send Tab
type_text "anquan-2026"
send Tab
type_text "anquan-2027"
wait_line '再输一次密码 +●{11}'
refute_screen "anquan"
send F2
wait_line '✗ ?再输一次密码 .*两次输入的密码不一致'
send C-u
type_text "anquan-2026"
send F2
wait_line '账户 +共 5 条'
wait_line '^wangfang +王芳 +社工 +13912345678 +在用 +从未登录'
[[ $(sql "SELECT role || ' ' || active || ' ' || (password_hash LIKE '\$argon2id\$%') FROM accounts WHERE login = 'wangfang'") == "worker 1 1" ]] \
    || fail "wangfang not saved as an active 社工 with a hash"

step "F8 deletes nothing: an account is disabled, never deleted"
send F8
refute_screen "删除"
refute_screen "确定"

step "停用 asks first (取消 keeps it), then disables"
type_text "wangfang"
wait_line '账户 +共 1 条'
send F6
wait_for "停用账户“王芳”（wangfang）？"
send Enter
wait_for "已取消"
wait_line '^wangfang .* 在用 '
send F6
wait_for "停用账户“王芳”"
send Right
send Enter
wait_for "已停用"
wait_line '^wangfang .* 停用 '
[[ $(sql "SELECT active FROM accounts WHERE login = 'wangfang'") == 0 ]] || fail "not disabled"

step "the last active 站长 cannot be disabled: the model's words"
send Escape
type_text "zhanzhang"
wait_line '账户 +共 1 条'
send F6
wait_for "停用账户“张建国”"
send Right
send Enter
wait_for "这是最后一个在用的站长账户"
wait_line '^zhanzhang .* 在用 '

step "启用 needs no question; 重置密码 takes a temporary password twice"
send Escape
type_text "wangfang"
wait_line '账户 +共 1 条'
send F6
wait_for "已启用"
wait_line '^wangfang .* 在用 '
send F7
wait_for "重置密码：王芳 (wangfang)"
type_text "linshi-2026"
send Tab
type_text "linshi-2026"
refute_screen "linshi"
send F2
wait_for "已重置 王芳 (wangfang) 的密码"
[[ $(sql "SELECT must_change FROM accounts WHERE login = 'wangfang'") == 1 ]] || fail "must_change not set"

step "editing keeps the login: it names the account in the title"
send Enter
wait_for "修改账户 wangfang"
refute_screen "再输一次密码"
send Escape
wait_line '账户 +共 1 条'

step "审计 lists the login and the reset, newest first"
send Escape
send Escape
wait_for "工作站信息"
send Down
send Enter
wait_line '│ 审计 +共 [0-9]+ 条'
wait_line '张建国 +密码 +账户 王芳 +站长重置了密码'
wait_line '张建国 +登录 +账户 张建国'

step "Enter shows an entry in full"
send Enter
wait_line '20[0-9-]+ [0-9:]{8} · 张建国 \(zhanzhang\) · 密码 · 账户 王芳 · 站长重置了密码'

step "F3 filters by kind of event; the title says it and counts it"
send F3
wait_for "筛选访问记录"
wait_line '账户 +（全部）'
send Tab
send Enter
wait_for "请选择：事件"
type_text "登录"
wait_line '^登录失败'
send Enter
wait_line '事件 +登录'
type_text "2026-13-01"
send F2
wait_line '✗ ?起始日期 .*应写成 2026-11-01'
send C-u
send F2
wait_line '│ 审计 · 登录 +共 1 条'
wait_line '张建国 +登录 +账户 张建国'
refute_screen "站长重置了密码"

step "F9 exports what the filter shows, and the export is in the log"
send F9
wait_for "导出访问记录"
wait_for "访问记录_20261123.xlsx"
send Enter
wait_for "已导出 1 条访问记录到"
[[ -s $HOME/访问记录_20261123.xlsx ]] || fail "no export file"
[[ $(sql "SELECT rows || ' ' || json_extract(detail, '\$.filter') FROM access_log WHERE event = 'export' AND table_name = 'access_log'") == "1 登录" ]] \
    || fail "the export is not recorded with its rows and filter"
send Escape
wait_for "已清除筛选"
wait_line '张建国 +导出 +访问记录 +1 +文件 '

step "exports and prints in a clerk's words: the ledger, the paper, 标准输出"
"$WUSHE_BIN" export hours --db "$DB" >/dev/null || fail "export hours"
HH=$(sql "SELECT number FROM households ORDER BY number LIMIT 1")
"$WUSHE_BIN" print household "$HH" --out "$E2E_TMP/hh.pdf" --db "$DB" >/dev/null \
    || fail "print household"
send F3
wait_for "筛选访问记录"
send F2
wait_line '张建国 +导出 +服务时长台账 +0 +输出到标准输出'
send Down Down # below the print and the command's login
send Enter
wait_for "导出 · 服务时长台账 · 0 条 ·"
wait_for "输出到标准输出，格式 csv，证件号已遮盖，不含个案内容"
wait_line "张建国 +打印 +户 $HH +1 +户卡，文件 "
refute_screen "hour_entries|print：|notes："

step "showing a resident's full numbers is recorded; the filter finds it by the resident"
send Escape
wait_for "工作站信息"
send Escape
wait_for "0  系统"
send 1
wait_line '居民 +共 30 条'
NAME=$(screen_line 3 | awk '{print $1}')
[[ -n $NAME ]] || fail "no first resident"
send Enter
wait_for "编辑居民"
send F6
wait_for "已显示完整号码"
send Escape
wait_line '居民 +共 30 条'
send Escape
wait_for "0  系统"
send 0
wait_for "工作站信息"
send Down Down Down Down
send Enter
wait_line '│ 审计 +共 [0-9]+ 条'
wait_line "张建国 +显示证件号 +居民 $NAME"
send F3
wait_for "筛选访问记录"
send Tab Tab Tab Tab
send Enter
wait_for "请选择：居民"
type_text "$NAME"
wait_line "^$NAME "
send Enter
wait_line "居民 +$NAME"
send F2
wait_line "│ 审计 · 居民 $NAME +共 1 条"
wait_line "张建国 +显示证件号 +居民 $NAME"
refute_screen "站长重置了密码"

step "the new account logs in, changes the reset password first, and sees its own 系统"
send F10
wait_exit
E2E_NO_LOGIN=1 start
login wangfang linshi-2026
wait_for "您的密码已被站长重置"
type_text "linshi-2026"
send Tab
type_text "wangfang-2026"
send Tab
type_text "wangfang-2026"
send F2
wait_for "0  系统"
send 0
wait_for "修改密码"
refute_screen "工作站信息"
refute_screen "审计"
wait_line '^社区/村'
[[ $(sql "SELECT count(*) FROM access_log l JOIN accounts a ON a.id = l.account_id WHERE a.login = 'wangfang' AND l.event = 'login'") == 1 ]] \
    || fail "wangfang's login is not in the access log"
[[ $(sql "SELECT must_change FROM accounts WHERE login = 'wangfang'") == 0 ]] || fail "must_change still set"
send F10
wait_exit
