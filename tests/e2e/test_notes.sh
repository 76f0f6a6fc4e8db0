#!/usr/bin/env bash
# shellcheck disable=SC2119,SC2317  # lib functions with optional arguments; helpers run via wait_until
# A resident's notes are long, multi-line text (issue 11): typed in Chinese
# with Enter between lines, moved through by row (Up/Down keep the display
# column over wide characters, Home/End of the row, PgUp/PgDn), a long
# multi-line paste taken in one go (CR LF, tabs and an escape sequence
# cleaned, and said so), re-wrapped when the window is resized to 100x30
# and back, saved, and all there when the form is opened again.
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

make_demo 30

sql() {
    python3 -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone(); print("" if r is None else r[0], end="")' "$DB" "$1"
}

# paste_raw TEXT: a bracketed paste of TEXT as it is (CR LF, tabs, ESC).
paste_raw() {
    printf '%s' "$1" >"$E2E_TMP/paste"
    _tmux load-buffer -b p "$E2E_TMP/paste" || fail "load-buffer failed"
    _tmux paste-buffer -p -r -d -b p -t "$E2E_TARGET" || fail "paste-buffer failed"
}

# cursor: the terminal cursor as "x y".
cursor() {
    _tmux display -p -t "$E2E_TARGET" '#{cursor_x} #{cursor_y}'
}

# wait_cursor X Y: poll until the terminal cursor is at column X, row Y.
wait_cursor() {
    wait_until "the cursor at $1 $2 (it is at $(cursor))" test "$(cursor)" == "$1 $2"
}

# A registered 张伟 with a two-line note, and a ledger row that may be him
# (another ID number, the same phone): the duplicate review compares them.
zw=$(id_number 11010519700303031)
other=$(id_number 11010519700303053)
printf '姓名,身份证号,户号,与户主关系,联系电话,备注\n张伟,%s,H900,户主,13900001111,登记的备注\n' \
    "$zw" >"$E2E_TMP/seed.csv"
printf '姓名,身份证号,户号,与户主关系,联系电话,备注\n章伟,%s,H900,子,13900001111,台账里的备注\n' \
    "$other" >"$E2E_TMP/dup.csv"
for f in seed dup; do
    "$WUSHE_BIN" import residents "$E2E_TMP/$f.csv" --db "$DB" >"$E2E_TMP/$f.out" 2>&1 \
        || { cat "$E2E_TMP/$f.out" >&2; fail "import of $f.csv failed"; }
done
# (the ledger import makes a line break in a cell a space: the two lines
# are put in as the form would have saved them)
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("UPDATE residents SET notes = ? WHERE name = ?", ("登记的备注\n第二行", "张伟")); c.commit()' "$DB"

# A resident without notes, with a name no one else has.
name=$(sql "SELECT name FROM residents WHERE notes = '' AND deleted_at IS NULL
            GROUP BY name HAVING count(*) = 1 ORDER BY name LIMIT 1")
[[ -n $name ]] || fail "no resident without notes in the demo"
notes() { sql "SELECT notes FROM residents WHERE name = '$name'"; }

line1="第一行：老人独居，女儿在外地打工。"
line2="第二行：每周二上门，帮忙买药🙂。"
line3="第三行：钥匙在邻居王阿姨家。"

step "open $name's form and go to 备注"
start
wait_for "居民 31"
send 1
wait_line '居民 +共 31 条'
type_text "$name"
wait_line "^$name "
send Enter
wait_for "编辑居民"
for _ in $(seq 10); do send Tab; done
wait_line '^ +0/500 字'
wait_line '^ 备注 *$'

step "type three lines of Chinese with Enter between them"
type_text "$line1"
send Enter
type_text "$line2"
send Enter
type_text "$line3"
wait_line "^ 备注 +$line1 *\$"
wait_line "Enter 换行 +$line2 *\$"
wait_line "^ +[0-9]+/500 字 +$line3 *\$"
# the cursor after the last character: 14 wide characters in from column 15
row=$(screen | grep -n -F "$line3" | cut -d: -f1)
wait_cursor $((15 + 28)) $((row - 1))

step "Up and Down keep the display column over wide characters and the emoji"
# line 3 is 14 characters (28 columns); line 2 has 🙂 (2 columns) at 30-31
send Up
wait_cursor $((15 + 28)) $((row - 2))
send Up
wait_cursor $((15 + 28)) $((row - 3))
send Left
wait_cursor $((15 + 26)) $((row - 3))
send Down Down
wait_cursor $((15 + 26)) $((row - 1))
send Home
wait_cursor 15 $((row - 1))
type_text "【重要】"
wait_line "^ +[0-9]+/500 字 +【重要】$line3 *\$"
send End
wait_cursor $((15 + 36)) $((row - 1))

step "paste a long multi-line text: one insertion, cleaned, said so"
# its last line, 81 columns: two rows at 80x24 (63 columns), one at 100x30
long="    12 走访：家中整洁，血压偏高，已提醒按时服药；女儿每月寄钱回家，邻居常来看望。"
long80a="    12 走访：家中整洁，血压偏高，已提醒按时服药；女儿每月寄钱回"
long80b="家，邻居常来看望。"
paste=$(python3 -c '
import sys
lines = []
for i in range(1, 12):
    lines.append("\t%02d 走访：家中整洁，血压偏高，已提醒按时服药。" % i)
lines.append("\t12 走访：家中整洁，血压偏高，已提醒按时服药；女儿每月寄钱回家，邻居常来看望。")
lines[3] = lines[3].replace("血压", "\x1b[1m血压\x1b[0m")
sys.stdout.write("\r\n" + "\r\n".join(lines))
')
paste_raw "$paste"
wait_for "去掉了 2 段终端控制码"
# the box follows the cursor to the end: the last pasted row is shown,
# and a mark says there is more above
wait_line "^ +$long80a *\$"
wait_line "^ +$long80b *\$"
wait_line '^ 备注 .*↑$'
expected=$(python3 - "$line1" "$line2" "$line3" <<'EOF'
import sys
l1, l2, l3 = sys.argv[1:4]
text = "\n".join([l1, l2, "【重要】" + l3])
for i in range(1, 12):
    text += "\n    %02d 走访：家中整洁，血压偏高，已提醒按时服药。" % i
text += "\n    12 走访：家中整洁，血压偏高，已提醒按时服药；女儿每月寄钱回家，邻居常来看望。"
sys.stdout.write(text)
EOF
)
chars=$(python3 -c 'import sys; print(len(sys.argv[1]))' "$expected")
((chars <= 500)) || fail "the test's note is $chars characters, over the limit"
wait_line "^ +$chars/500 字"

step "PgUp goes back a box at a time; the first line shows again"
send PgUp PgUp PgUp PgUp
wait_line "^ 备注 +$line1 *\$"
refute_screen "12 走访："
send PgDn PgDn PgDn PgDn PgDn

step "resize to 100x30: wider and taller rows, re-wrapped, nothing lost"
resize 100 30
wait_size 100 30
# 83 columns: the long pasted line fits on one row now
wait_line "^ +$long *\$"
wait_line '^ +    06 走访：'
wait_line "^ +$chars/500 字"

step "and back to 80x24: the same rows as before"
resize 80 24
wait_size 80 24
wait_line "^ +$long80a *\$"
wait_line "^ +$long80b *\$"
wait_line "^ +$chars/500 字"

step "save (F2): the note is stored as it shows"
send F2
wait_for "已保存"
wait_line '共 1 条'
got=$(notes)
[[ $got == "$expected" ]] || fail "stored notes differ:
--- got
$got
--- expected
$expected"

step "open the form again: every line is there"
wait_line "^$name "
send Enter
wait_for "编辑居民"
wait_line "^ 备注 +$line1 *\$"
wait_line "^ +$line2 *\$"
wait_line "^ +【重要】$line3 *\$"
for _ in $(seq 10); do send Tab; done
wait_line "^ +$chars/500 字"
send PgDn PgDn PgDn PgDn PgDn
wait_line "^ +$long80a *\$"
wait_line "^ +$long80b *\$"
send Escape
wait_gone "编辑居民"
[[ $(notes) == "$expected" ]] || fail "notes changed by opening the form"

step "a list shows a note on one row, each line break a ↵ (the duplicate review)"
send Escape
wait_line '居民 +共 31 条'
send C-o
wait_for "导入居民台账"
send F6
wait_for "核对疑似重复（1 条）"
send Enter
wait_for "合并：章伟 → 张伟"
wait_line '^ 备注 +✓ 登记的备注↵第二行 +台账里的备注 *$'
