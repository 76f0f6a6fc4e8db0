#!/usr/bin/env bash
# shellcheck disable=SC2119,SC2317  # lib functions with optional arguments; helpers run via wait_until
# Bad input in the resident form loses nothing and saves nothing; control
# characters from the database never reach the terminal raw.
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

make_demo 50

# A demo resident whose name we overwrite with terminal escape sequences, as a
# hostile import or a hand edit with sqlite3 could. Its sort key is set to sort
# first, so that the row is at the top of the unfiltered list.
victim=$(python3 - "$DB" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rid, idn = c.execute(
    "SELECT id, id_number FROM residents WHERE deleted_at IS NULL AND id_number IS NOT NULL"
    " ORDER BY sort_key DESC LIMIT 1").fetchone()
c.execute("UPDATE residents SET name = ?, sort_key = ? WHERE id = ?",
          ("\x1b[31mRED\x1b]0;pwned\x07\x1b[2J坏", b"\x00", rid))
c.commit()
c.close()
print(idn)
EOF
) || fail "cannot prepare the database"
[[ $victim =~ ^[0-9]{17}[0-9X]$ ]] || fail "bad victim ID number: $victim"
# A hand edit leaves the search index behind (its household still names
# the old head): what the README says to run after one.
"$WUSHE_BIN" reindex --db "$DB" >/dev/null || fail "reindex after the hand edit failed"

bad_id=110105194912310021       # check digit should be X
good_id=11010519491231002X

step "open a new resident form"
start
wait_for "居民 50"
send 1
wait_line '居民 +共 50 条'
send F5
wait_for "新增居民"
type_text "司马光"
wait_line '姓名 +司马光'
send Tab
type_text "$bad_id"
wait_line "身份证号 +$bad_id"

step "F2 with a wrong check digit: error at the field, form kept"
send F2
wait_for "身份证号校验位不对"
wait_line '✗ ?身份证号 +110105194912310021'
s=$(screen)
grep -qF "新增居民" <<<"$s" || fail "the form was closed"
grep -qE '姓名 +司马光' <<<"$s" || fail "the typed name is gone"
grep -qE "身份证号 +$bad_id" <<<"$s" || fail "the typed ID number is gone"
# the message line at the bottom names the field and gives the whole message
msg=$(screen | tail -n 5 | grep -F "校验位不对") || fail "no message line at the bottom"
[[ $msg == *身份证号* ]] || fail "bottom message line does not name the field: '$msg'"
# only the ID number field is marked
[[ $(grep -c '✗' <<<"$s") == 1 ]] || fail "want exactly one ✗ mark"
out=$(search_residents 司马光) || fail "search failed"
[[ -z $out ]] || fail "nothing should be saved, search prints: $out"
"$WUSHE_BIN" check --db "$DB" | grep -qF "居民 50 人" || fail "resident count changed"

step "Ctrl-S with the same error: still not saved"
send C-s
# F1 after Ctrl-S: once help is up, Ctrl-S has been handled
send F1
wait_for "帮助："
send Escape
wait_gone "帮助："
wait_for "新增居民"
wait_line '✗ ?身份证号'
wait_line '姓名 +司马光'
[[ -z $(search_residents 司马光) ]] || fail "saved despite the error"

step "Esc asks before discarding; Enter (取消) keeps the form"
send Escape
wait_for "放弃修改"
send Enter        # 取消 is the default
wait_gone "放弃修改"
wait_line '姓名 +司马光'
wait_line "身份证号 +$bad_id"

step "fix the check digit and save"
# the cursor is in the ID number field, at its end (the field with the error)
send BSpace
wait_line "身份证号 +${bad_id:0:17}\$"
type_text X
wait_line "身份证号 +$good_id"
send F2
wait_line '居民 +共 51 条'
wait_line '司马光 +女 +76 +110\*{11}002X'
refute_screen "校验位不对"
out=$(search_residents 司马光)
grep -qP "\t司马光\t$good_id\t" <<<"$out" || fail "search after fix: $out"

step "other malformed ID numbers are refused too"
send F5
wait_for "新增居民"
type_text "令狐冲"
wait_line '姓名 +令狐冲'
send Tab
type_text "11010519491231002Y"    # not a digit or X
send F2
wait_line '✗ ?身份证号'
wait_line '身份证号：.*(只能是数字|应为18位)'
wait_for "新增居民"
wait_line '姓名 +令狐冲'
[[ -z $(search_residents 令狐冲) ]] || fail "saved a resident with an invalid ID number"
send C-u
feb31=$(id_number 11010519490231001)   # February 31st
type_text "$feb31"
wait_line "身份证号 +$feb31"
send F2
wait_for "出生日期不存在"
wait_line '✗ ?身份证号'
wait_for "新增居民"
[[ -z $(search_residents 令狐冲) ]] || fail "saved a resident born on February 31st"
send Escape
wait_for "放弃修改"
send Right
send Enter
wait_line '居民 +共 51 条'
[[ -z $(search_residents 令狐冲) ]] || fail "discarded form was saved"

step "escape sequences in a stored name are shown as replacement characters"
send Home
wait_for "RED"
wait_line '^.*RED.* +[男女] +[0-9]+ +[0-9]{3}\*{11}'
row=$(screen | grep -F "RED") || fail "no row with RED"
[[ $row == *$'\uFFFD'* ]] || fail "no U+FFFD in the row: $row"
[[ $row == *"[31mRED"* ]] || fail "the escape's text should stay visible: $row"
[[ $row != *$'\e'* ]] || fail "raw ESC on screen"
# the rest of the row is where it belongs: the screen was not cleared and the
# masked ID column is aligned with its header
hdr=$(screen | grep -F "身份证号" | grep -F "姓名")
masked=$(grep -oE '[0-9]{3}\*{11}[0-9X]{4}' <<<"$row") || fail "row has no masked ID: $row"
[[ $(dcol "$row" "$masked") == "$(dcol "$hdr" 身份证号)" ]] || fail "row misaligned: $row"
assert_screen "青石镇社会工作服务站"
# no red foreground/background was switched on in that row
esc_row=$(screen_esc | grep -F "RED")
python3 - "$esc_row" <<'EOF' || fail "the terminal turned red: $(cat -v <<<"$esc_row")"
import re, sys
for params in re.findall(r"\x1b\[([0-9;]*)m", sys.argv[1]):
    p = params.split(";")
    if any(x in ("31", "41", "91", "101") for x in p):
        sys.exit(1)
    if "38;5;1" in params or "38;5;9" in params:
        sys.exit(1)
EOF
title=$(_tmux display -p -t "$E2E_TARGET" '#{pane_title}')
[[ $title != *pwned* ]] || fail "the window title was changed to '$title'"

step "the form shows the replacement too, not the raw name"
send Enter
wait_for "编辑居民"
send F6
wait_line "身份证号 +$victim"
row=$(screen | grep -F "RED")
[[ $row == *$'\uFFFD'* && $row != *$'\e'* ]] || fail "form name row: $row"
title=$(_tmux display -p -t "$E2E_TARGET" '#{pane_title}')
[[ $title != *pwned* ]] || fail "the window title was changed to '$title'"
send Escape
wait_gone "编辑居民"

step "a long field message is shown in full, wrapped, never cut at 80 columns"
send F5
wait_for "新增居民"
type_text "司马懿"
send Tab Tab Tab Tab
type_text "20300101"
send F2
wait_line '✗ ?联系电话'
wait_line "如$"                  # the example is not cut in two
wait_line "^020-20300101$"
send Escape
wait_for "放弃修改"
send Right
send Enter
wait_gone "新增居民"

send F10
wait_exit
[[ $EXIT_STATUS == 0 ]] || fail "exit status $EXIT_STATUS"
exit 0
