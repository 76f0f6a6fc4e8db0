#!/usr/bin/env bash
# shellcheck disable=SC2119,SC2317  # lib functions with optional arguments; helpers run via wait_until
# Communities through the declared-kind screens (0 系统 → 社区/村): add one,
# find it by initials, a duplicate and a bad division code refused at the
# field, delete and restore from the recycle bin, a community in use kept,
# and two consoles on one station file: the second save of the same record
# is refused, naming who saved first, and keeps what was typed.
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

make_demo 40
W2=second

# A second console on the same station, in its own tmux session.
start_second() {
    local envs
    envs=$(printf '%q ' LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=Asia/Shanghai WUSHE_TODAY="$WUSHE_TODAY" \
        HOME="$HOME" XDG_CONFIG_HOME="$XDG_CONFIG_HOME" XDG_DATA_HOME="$XDG_DATA_HOME" \
        XDG_CACHE_HOME="$XDG_CACHE_HOME" XDG_STATE_HOME="$XDG_STATE_HOME" USER=lisi)
    _tmux new-session -d -s "$W2" -x 80 -y 24 \
        "env -u TMUX -u TMUX_PANE $envs $(printf '%q' "$WUSHE_BIN") --db $(printf '%q' "$DB")" \
        || fail "cannot start the second console"
}
screen2() { _tmux capture-pane -p -t "=$W2:"; }
send2() { _tmux send-keys -t "=$W2:" "$@"; }
wait2() {
    local deadline=$(($(_now_ms) + E2E_TIMEOUT * 1000))
    until screen2 | grep -qF -- "$1"; do
        (($(_now_ms) < deadline)) || { screen2 >&2; fail "second console: no \"$1\""; }
        sleep 0.05
    done
}
communities() {
    python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM communities WHERE deleted_at IS NULL").fetchone()[0])' "$DB"
}

step "0 opens 系统; 社区/村 lists the demo's four"
USER=wangfang start
wait_for "居民 40"
wait_for "0  系统"
send 0
wait_for "工作站信息"
send Enter
wait_line '社区/村 +共 4 条'
wait_line '^学堂湾社区 +社区 +510902105001'

step "a new village; a bad division code and a taken name are refused at their fields"
send F5
wait_for "新增社区/村"
type_text "石桥村"
send Tab
send Enter
wait_for "请选择：类型"
type_text "cun"
wait_line '^村'
send Enter
wait_line '类型 +村'
type_text "51090210520"
send F2
wait_line '✗ ?区划代码 .*应为 12 位数字'
send BSpace BSpace BSpace
wait_line '区划代码 +51090210$'
type_text "5209"
send Up Up
send C-u
type_text "青石村"
send F2
wait_line '✗ ?名称 .*已有“青石村”'
send C-u
type_text "石桥村"
send F2
wait_line '社区/村 +共 5 条'
wait_line '^石桥村 +村 +510902105209'
[[ $(communities) == 5 ]] || fail "want 5 communities, have $(communities)"

step "the search box finds it by initials and by code digits"
type_text "sqc"
wait_line '社区/村 +共 1 条'
wait_line '^石桥村 '
send Escape
wait_line '社区/村 +共 5 条'
type_text "5209"
wait_line '^石桥村 '
send Escape

step "a community in use is kept, with the reason, before any question"
type_text "xtw"
wait_line '^学堂湾社区 '
send F8
wait_for "不能删除"
refute_screen "[ 取消 ]"
[[ $(communities) == 5 ]] || fail "a community in use was deleted"
send Escape

step "delete 石桥村, then restore it from the recycle bin"
type_text "石桥"
wait_line '^石桥村 '
send F8
wait_for "删除社区/村“石桥村”"
send Right
send Enter
wait_for "已删除"
[[ $(communities) == 4 ]] || fail "not deleted"
send Escape
send F6
wait_for "社区/村回收站"
wait_line '^石桥村 '
wait_line '删除时间 +删除人'
wait_line '^石桥村 .* 张建国 *$'
send F6
wait_for "恢复社区/村“石桥村”"
send Right
send Enter
wait_for "已恢复"
[[ $(communities) == 5 ]] || fail "not restored"
send Escape
wait_line '社区/村 +共 5 条'

step "F11: its history, field by field"
type_text "石桥"
wait_line '^石桥村 '
send F11
wait_for "修改记录：石桥村"
wait_line ' 恢复 *$'
wait_line ' 删除 *$'
wait_line ' 新增 +名称、类型、区划代码'
send End
wait_line '^ +区划代码：510902105209$'
send Escape
send Escape
wait_line '社区/村 +共 5 条'

step "two consoles open 石桥村; the second save is refused, naming the first"
start_second
# the second console is another account's: 社工 李芳
wait2 "│ 登录"
send2 -l shegong
send2 Tab
send2 -l "$E2E_PASSWORD"
send2 Enter
wait2 "居民 40"
send2 0
wait2 "修改密码" # a 社工 sees no 工作站信息 (PERM_STATION)
send2 Enter
wait2 "共 5 条"
send2 -l "石桥"
wait2 "石桥村"
send2 Enter
wait2 "修改社区/村"
wait_line '社区/村 +共 5 条'
refute_screen "修改社区/村"
type_text "石桥"
wait_line '^石桥村 '
send Enter
wait_for "修改社区/村"
send C-u
type_text "石桥新村"
send F2
wait_line '^石桥新村 '
send2 C-u
send2 -l "老石桥村"
send2 F2
wait2 "已被 张建国 于 "
screen2 | grep -q '名称 *老石桥村' || { screen2 >&2; fail "the refused form lost what was typed"; }
name=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT name FROM communities WHERE code = ?", ("510902105209",)).fetchone()[0])' "$DB")
[[ $name == 石桥新村 ]] || fail "the stale save overwrote the name: $name"
send2 Escape
send2 Right
send2 Enter
send2 F10

step "quit"
send Escape
send Escape
send Escape
wait_for "居民 40"
send F10
wait_exit
[[ $EXIT_STATUS == 0 ]] || fail "exit status $EXIT_STATUS"
exit 0
