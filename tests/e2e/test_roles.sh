#!/usr/bin/env bash
# shellcheck disable=SC2119,SC2317  # lib functions with optional arguments; helpers run via wait_until
# What each role sees and may do in the console: a resident's form opens with
# the ID number and phone masked; the 站长 shows them with F6, recorded in the
# access log first; a 录入员 (luru) is refused and the key is not offered; a
# 督导 (dudao) has no 新增, 删除 or 保存 keys, and the keys say so when pressed.
# (access.c's table: PERM_UNMASK is the 站长's and the 社工's.)
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

q() { python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$DB" "$1"; }

make_demo 60
who="deleted_at IS NULL AND id_number IS NOT NULL AND phone GLOB '1[3-9]?????????' ORDER BY id LIMIT 1"
rid=$(q "SELECT id FROM residents WHERE $who")
name=$(q "SELECT name FROM residents WHERE $who")
idn=$(q "SELECT id_number FROM residents WHERE $who")
phone=$(q "SELECT phone FROM residents WHERE $who")
midn="${idn:0:3}\*{11}${idn: -4}"
mphone="${phone:0:3}\*{4}${phone: -4}"

# open_resident: from the home screen, the form of $name
open_resident() {
    send 1
    wait_line '居民 +共 60 条'
    type_text "$name"
    wait_line "^$name +[男女]"
    send Enter
    wait_line "姓名 +$name"
}

step "站长: the form opens masked; F6 shows the numbers, recorded first"
start
wait_for "居民 60"
open_resident
wait_line "身份证号 +$midn\$"
wait_line "联系电话 +$mphone\$"
wait_for "身份证号和电话已遮盖；F6/Ctrl-T 显示完整号码"
refute_screen "$idn"
send F6
wait_line "身份证号 +$idn\$"
wait_line "联系电话 +$phone\$"
wait_for "已显示完整号码（已记入访问记录）"
[[ $(q "SELECT count(*) FROM access_log WHERE event = 'unmask' AND table_name = 'residents' AND row_id = $rid AND login = 'zhanzhang'") == 1 ]] \
    || fail "the unmask is not in access_log"
step "saving an untouched masked form keeps the stored numbers"
send Escape
wait_gone "编辑居民"
send Enter
wait_line "身份证号 +$midn\$"
send Tab
send Tab
send Tab
send Tab
send C-u
type_text "$phone"
send F2
wait_for "已保存"
[[ $(q "SELECT id_number FROM residents WHERE id = $rid") == "$idn" ]] || fail "the ID number changed"
send F10
wait_exit

step "录入员: masked, no key to show them, refused when pressed"
E2E_NO_LOGIN=1 start
login luru "$E2E_PASSWORD"
wait_for "居民 60"
wait_line '刘敏 · 录入员'
open_resident
wait_line "身份证号 +$midn\$"
wait_line "联系电话 +$mphone\$"
wait_for "身份证号和电话已遮盖"
refute_screen "F6/Ctrl-T"
send F6
wait_for "您的角色无权进行此操作"
wait_line "身份证号 +$midn\$"
refute_screen "$idn"
send C-t
wait_for "您的角色无权进行此操作"
send F1
wait_for "帮助：编辑居民"
refute_screen "显示完整号码"
assert_screen "保存"
send Escape
[[ $(q "SELECT count(*) FROM access_log WHERE event = 'unmask' AND login = 'luru'") == 0 ]] \
    || fail "a 录入员's unmask was recorded as done"
step "录入员: an edit saved with the masked numbers keeps them"
wait_line "姓名 +$name"
send Tab
send Tab
send Tab
send Tab
send Tab
send Tab
send Tab
send Tab
send Tab
type_text "（录入员核对）"
send F2
wait_for "已保存"
[[ $(q "SELECT id_number || ' ' || phone FROM residents WHERE id = $rid") == "$idn $phone" ]] \
    || fail "a 录入员's save changed the numbers: $(q "SELECT id_number || ' ' || phone FROM residents WHERE id = $rid")"
send F10
wait_exit

step "督导: reads everything, no 新增, 删除 or 保存"
E2E_NO_LOGIN=1 start
login dudao "$E2E_PASSWORD"
wait_for "居民 60"
wait_line '陈卫东 · 督导'
send 1
wait_line '居民 +共 60 条'
bottom=$(screen_line 23)
[[ $bottom != *新增* && $bottom != *删除* && $bottom != *迁户* ]] || fail "督导's key bar: $bottom"
send F5
wait_for "您的角色无权进行此操作"
refute_screen "新增居民"
send C-n
wait_for "您的角色无权进行此操作"
send F8
wait_for "您的角色无权进行此操作"
refute_screen "删除居民"
send F1
wait_for "帮助：居民"
refute_screen "新增"
refute_screen "删除"
refute_screen "导入台账"
assert_screen "导出"
send Escape
send F12
wait_for "功能菜单：居民"
refute_screen "新增"
refute_screen "删除"
send Escape
wait_line '居民 +共 60 条'
step "督导: the form has no 保存, and the numbers stay masked (showing them is 站长's and 社工's)"
type_text "$name"
wait_line "^$name +[男女]"
send Enter
wait_line "身份证号 +$midn\$"
bottom=$(screen_line 23)
[[ $bottom != *保存* ]] || fail "督导's form key bar: $bottom"
send F6
wait_for "您的角色无权进行此操作"
refute_screen "$idn"
send F2
wait_for "您的角色无权进行此操作"
step "督导: the form is for looking only: 查看居民, typing changes nothing and says so"
wait_for "查看居民"
send Tab
type_text "改"
wait_for "只能查看：您的角色不能修改"
refute_screen "未保存"
send Escape
wait_line "^$name +[男女]"
send F6
wait_for "户号"
send Enter
wait_for "查看户"
type_text "改"
wait_for "只能查看：您的角色不能修改"
send Escape
wait_gone "查看户"
send F10
wait_exit
exit 0
