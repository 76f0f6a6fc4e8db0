#!/usr/bin/env bash
# shellcheck disable=SC2119,SC2317  # lib functions with optional arguments; helpers run via wait_until
# Printable keys belong to the search box: typing initials never runs a
# command (issue 8: "d" "y" deleted the selected resident). Every action is
# in the screen's menu; a confirmation no letter can answer, 取消 first;
# nothing hidden by a too-small window can be answered or discarded.
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

make_demo 60

count() {
    python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM residents WHERE deleted_at IS NULL").fetchone()[0])' "$DB"
}

step "every command letter typed in the residents list goes to the search box"
start
wait_for "居民 60"
send 1
wait_line '居民 +共 60 条'
wait_line '^ *[^ ]+ +[男女] +[0-9]+ +[0-9]{3}\*{11}'
# d y: initials of 邓勇, once a delete and its yes
type_text "dy"
wait_line '^查找 +dy$'
wait_line '居民 · “dy” +共 [0-9]+ 条'
refute_screen "删除居民"
send Escape
wait_line '^查找 +输入'
for word in q n e l h m i j k / '?'; do
    type_text "$word"
    wait_line "^查找 +[$word]$"
    refute_screen "新增居民"
    refute_screen "修改记录："
    refute_screen "帮助："
    refute_screen "导入居民台账"
    send BSpace
    wait_line '^查找 +输入'
done
[[ $(count) == 60 ]] || fail "typing in the search box changed the register: $(count) residents"

step "a pasted line with a line break stays in the search box; nothing runs"
_tmux set-buffer -b p "$(printf 'dy\nq')"
_tmux paste-buffer -p -d -b p -t "$E2E_TARGET"
wait_line '^查找 +dy q$'
refute_screen "新增居民"
send Escape
wait_line '^查找 +输入'

step "F8 asks with 取消 chosen; y and Enter do not delete"
send Down
send F8
wait_for "删除居民“"
wait_for "[ 取消 ]  [ 确定 ]"
type_text "y"
wait_for "请用 ←→ 选择"
wait_for "删除居民“"
send Enter
wait_for "已取消"
wait_gone "[ 取消 ]"
[[ $(count) == 60 ]] || fail "a letter or Enter deleted a resident"
send C-d
wait_for "[ 取消 ]  [ 确定 ]"
send Right
send Left
send Escape
wait_for "已取消"
[[ $(count) == 60 ]] || fail "Esc deleted a resident"
send F8
wait_for "[ 取消 ]  [ 确定 ]"
send Left            # already on 取消: ← must not wrap round to 确定
send Enter
wait_for "已取消"
[[ $(count) == 60 ]] || fail "← then Enter deleted a resident"

step "F1 in the residents list scrolls to every key"
send F1
wait_for "帮助：居民"
wait_for "翻看其余按键"
send NPage
wait_line '^ +F10 +退出'
send Escape
wait_gone "帮助：居民"

step "the menu (Ctrl-G) lists the screen's actions and runs one"
send C-g
wait_for "功能菜单：居民"
wait_line '^删除 +F8 / Ctrl-D'
wait_line '^修改记录 +F11'
wait_line '^导入台账 +Ctrl-O'
wait_line '^退出 +F10'
type_text "xz"            # 新增 by its initials
wait_line '^新增 +F5 / Ctrl-N'
send Enter
wait_for "新增居民"
wait_line '^ ?姓名'

step "a letter in the community picker filters, never closes it"
type_text "测试人"
wait_line '姓名 +测试人'
for _ in 1 2 3 4 5 6; do send Tab; done
send Enter
wait_for "选择：社区/村"
type_text "q"
wait_line '^查找 +q$'
wait_for "选择：社区/村"
type_text "s"
wait_line '^查找 +qs$'
wait_line '^青石村'
send Enter
wait_gone "选择：社区/村"
wait_line '社区/村 +青石村'

step "a code picker answers initials by its labels, exact ones first, not by hidden codes"
send Tab             # 所在户 has the focus after the community: on to 与户主关系
send Enter
wait_for "选择：与户主关系"
type_text "n"
wait_line '^查找 +n$'
# 女 (nv), never 子 through its code "son" (the list redraws after the box)
first_is_nv() { screen | grep -A1 '^选项' | tail -1 | grep -q '^女'; }
wait_until "n: the first choice is 女" first_is_nv
refute_screen "子 "
send Escape
send Escape
wait_gone "选择：与户主关系"
send F12
wait_for "功能菜单：新增居民"
wait_line '^保存 +F2 / Ctrl-S'
send Escape
wait_gone "功能菜单："
wait_for "新增居民"

step "Ctrl-C says how to leave"
send C-c
wait_for "要退出五社，请按 F10"
wait_for "新增居民"

step "a too-small window: F10 does not quit and lose the form"
resize 60 20
wait_for "终端窗口太小"
wait_for "有未保存的修改"
send F10
send y
send q
resize 80 24
wait_gone "终端窗口太小"
wait_for "新增居民"
wait_line '姓名 +测试人'
running || fail "F10 on the too-small screen quit with an unsaved form"

step "a hidden question cannot be answered"
send Escape
wait_for "放弃修改"
resize 60 20
wait_for "终端窗口太小"
send Right
send Enter
send y
resize 80 24
wait_gone "终端窗口太小"
wait_for "放弃修改"
wait_for "[ 取消 ]  [ 确定 ]"
send Enter
wait_for "已取消"
wait_line '姓名 +测试人'

step "discard and quit"
send Escape
wait_for "放弃修改"
send Right
send Enter
wait_line '居民 +共 60 条'
send Escape
wait_for "居民 60"
send F10
wait_exit
[[ $EXIT_STATUS == 0 ]] || fail "exit status $EXIT_STATUS"
exit 0
