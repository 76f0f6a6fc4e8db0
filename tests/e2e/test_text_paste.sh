#!/usr/bin/env bash
# shellcheck disable=SC2119,SC2317  # lib functions with optional arguments; helpers run via wait_until
# Text is never cut without a word (issue 8, item 7): a 200-character name
# pasted into the resident form is kept whole and refused with its limit
# named; a line break pasted into a one-line field stays in it as a space
# instead of moving the focus and dropping the rest; notes are multi-line
# (issue 11: pasted breaks kept, Enter and Ctrl-J type one, Tab goes on,
# and a 20,000-character paste is cut at the limit of 500, saying so).
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

make_demo 30

# paste TEXT as a terminal pastes the clipboard (bracketed; tmux turns each
# LF into CR, as terminals do).
paste_text() {
    printf '%s' "$1" >"$E2E_TMP/paste"
    _tmux load-buffer -b p "$E2E_TMP/paste" || fail "load-buffer failed"
    _tmux paste-buffer -p -d -b p -t "$E2E_TARGET" || fail "paste-buffer failed"
}

# paste_raw TEXT: the same with line breaks sent as they are (CR LF from Windows).
paste_raw() {
    printf '%s' "$1" >"$E2E_TMP/paste"
    _tmux load-buffer -b p "$E2E_TMP/paste" || fail "load-buffer failed"
    _tmux paste-buffer -p -r -d -b p -t "$E2E_TARGET" || fail "paste-buffer failed"
}

sql() {
    python3 -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone(); print("" if r is None else r[0], end="")' "$DB" "$1"
}

step "a new resident form"
start
wait_for "居民 30"
send 1
wait_line '居民 +共 30 条'
send F5
wait_for "新增居民"
wait_line '^ ?姓名'

step "a pasted 200-character name is kept whole and refused with its limit"
paste_text "$(python3 -c 'print("欧阳" * 100, end="")')"
wait_line '姓名 +(阳欧)+阳'
send Tab
wait_for "姓名：最多 40 字，现有 200 字"
wait_line '✗姓名'
send F2
wait_for "姓名：最多 40 字，现有 200 字"
wait_for "新增居民"
# the focus is back on the name: replace it
send C-u
type_text "钱七"
wait_line '姓名 +钱七 *$'
wait_gone "现有 200 字"

step "a line break pasted into the address stays there as a space"
for _ in 1 2 3 4 5 6 7 8 9; do send Tab; done
paste_text $'学堂湾村\n3组45号\n'
wait_line '住址 +学堂湾村 3组45号'
# the focus stayed in the address: typing goes on there, notes are empty
type_text "附1"
wait_line '住址 +学堂湾村 3组45号 附1'
wait_line '备注 *$'

step "a multi-line note keeps its line breaks"
send Tab
paste_text $'第一行：独居，女儿在外地。\n第二行：每周二上门。\n\n第四行：钥匙在邻居家。'
wait_line '备注 +第一行：独居，女儿在外地。 *$'
wait_line 'Enter 换行 +第二行：每周二上门。 *$'
wait_line '^ +37/500 字 *$'
wait_line '^ +第四行：钥匙在邻居家。 *$'
refute_screen "按 Enter 添加"

step "Enter and Ctrl-J type a line break; Tab goes on to the next field"
send Enter
type_text "第五行"
wait_line '^ +第五行 *$'
send C-j
type_text "第六行"
wait_line '^ +第六行 *$'
send Tab
wait_line '困难类别 +未登记困难类别 +按 Enter 添加'
wait_line '^ +第六行 *$'

step "20,000 pasted characters are cut at the limit of 500, and the form says so"
send BTab
# Ctrl-U clears a line, then joins it to the one above: six lines
for _ in $(seq 12); do send C-u; done
wait_line '^ +0/500 字'
paste_text "$(python3 -c 'print("社区备注" * 5000, end="")')"
wait_for "500/500 字" 20
wait_for "舍去 19500 字"
type_text "多"
wait_for "已到 500 字上限"
[[ $(sql "SELECT count(*) FROM residents") == 30 ]] || fail "saved without F2"

step "CR LF pasted from Windows is one line break; the form saves"
send C-u
paste_raw $'短备注\r\n第二行'
wait_line '备注 +短备注 *$'
wait_line 'Enter 换行 +第二行 *$'
wait_gone "舍去 19500 字"
send F2
wait_line '居民 +共 31 条'
[[ $(sql "SELECT name FROM residents WHERE name = '钱七'") == 钱七 ]] || fail "钱七 not saved"
[[ $(sql "SELECT address FROM residents WHERE name = '钱七'") == "学堂湾村 3组45号 附1" ]] \
    || fail "address: '$(sql "SELECT address FROM residents WHERE name = '钱七'")'"
[[ $(sql "SELECT notes FROM residents WHERE name = '钱七'") == $'短备注\n第二行' ]] \
    || fail "notes: '$(sql "SELECT notes FROM residents WHERE name = '钱七'")'"

step "the saved note shows on its rows when the form opens again"
send F3
type_text "钱七"
wait_line '^钱七 *$'
send Enter
wait_for "编辑居民"
wait_line '备注 +短备注 *$'
wait_line '^ +第二行 *$'
send Escape
wait_gone "编辑居民"
