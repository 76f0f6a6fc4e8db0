#!/usr/bin/env bash
# shellcheck disable=SC1111,SC2119,SC2317  # Chinese quotes are text; lib functions with optional arguments
# The duplicate review (issue 8, "合并 overwrites the registered person"):
# letters typed in the review search, never act; Enter compares the ledger
# row with the registered resident side by side, full values, the registered
# identity and household chosen by default; ←/→/Space choose field by
# field; F2 asks before anything is written; a merge that would leave the
# household without its 户主 is refused; F7 undoes a merge; F8 skips after
# asking.
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

make_demo 20

zw=$(id_number 11010519700303031)
other=$(id_number 11010519700303053)
printf '姓名,身份证号,户号,与户主关系,联系电话,备注\n张伟,%s,H900,户主,13900001111,登记时的备注\n李四,,H900,配偶,,\n' \
    "$zw" >"$E2E_TMP/seed.csv"
printf '姓名,身份证号,户号,与户主关系,联系电话,住址,人员类别,备注\n章伟,%s,H900,子,13900001111,青石村一组 12 号,低保,台账里的备注\n' \
    "$other" >"$E2E_TMP/dup.csv"
for f in seed dup; do
    "$WUSHE_BIN" import residents "$E2E_TMP/$f.csv" --db "$DB" >"$E2E_TMP/$f.out" 2>&1 \
        || { cat "$E2E_TMP/$f.out" >&2; fail "import of $f.csv failed"; }
done
grep -q '疑似重复 1（待核对）' "$E2E_TMP/dup.out" || fail "章伟 is not a possible duplicate: $(cat "$E2E_TMP/dup.out")"

# q SQL: the rows of a query on the station, fields joined by |.
q() {
    python3 - "$DB" "$1" <<'EOF'
import sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchall()
print("\n".join("|".join("" if v is None else str(v) for v in r) for r in rows))
EOF
}
# The registered 张伟: name/ID number/relation/notes/address/statuses.
zhang() {
    q "SELECT r.name || '/' || r.id_number || '/' || r.relation || '/' || r.notes || '/' || r.address
         || '/' || coalesce((SELECT group_concat(group_code) FROM resident_groups g
                             WHERE g.resident_id = r.id), '')
       FROM residents r WHERE r.phone = '13900001111' AND r.deleted_at IS NULL"
}
head_of_h900() {
    q "SELECT r.name FROM households h JOIN residents r ON r.id = h.head_id WHERE h.number = 'H900'"
}
registered="张伟/$zw/head/登记时的备注//"
[[ $(zhang) == "$registered" ]] || fail "seed: $(zhang)"
unchanged() { [[ $(zhang) == "$registered" && $(head_of_h900) == 张伟 ]]; }

step "open the review from the import screen"
start
wait_for "居民"
send 1
wait_line '居民 +共 [0-9]+ 条'
send C-o
wait_for "导入居民台账"
send F6
wait_for "核对疑似重复（1 条）"
wait_line '章伟 +1970-03-03 +139\*{4}1111 +张伟 +1970-03-03 +139\*{4}1111 +待核对'
wait_for "已登记：张伟，110***********"
# the file the row came from, not only its line (issue #9.2)
wait_line '^ 来源：dup\.csv 第 2 行 *$'

step "letters go to the search box (m, k and s were commands)"
type_text "mks"
wait_line '^查找 +mks'
wait_for "没有待核对的疑似重复"
unchanged || fail "typing wrote something: $(zhang)"
send BSpace BSpace BSpace
type_text "zw"
wait_line '^查找 +zw'
wait_line '章伟 .*张伟 .* 待核对'
send BSpace BSpace

step "Enter compares side by side: registered identity and household chosen, full values"
send Enter
wait_for "合并：章伟 → 张伟"
wait_line '^ 姓名 +✓ 张伟 +章伟 *$'
wait_line "^ 身份证号 +✓ $zw +$other *\$"
wait_line '^ 户号/与户主关系 +✓ H900 户主 +H900 子 *$'
wait_line '^ 住址 +（无） +✓ 青石村一组 12 号 *$'
wait_line '^ 备注 +✓ 登记时的备注 +台账里的备注 *$'
wait_line '^ 困难类别 +（无） +✓ 低保对象 *$'
wait_for "F2 合并"
unchanged || fail "opening the comparison wrote something: $(zhang)"

step "→ and Space choose the ledger's value for one field"
send Down Down Down Down Down Down Down      # 户号/与户主关系
send Right
wait_line '^ 户号/与户主关系 +H900 户主 +✓ H900 子 *$'
wait_for "户号/与户主关系，完整内容："
send Down Down Space                         # 备注
wait_line '^ 备注 +登记时的备注 +✓ 台账里的备注 *$'

step "F2 asks first; a letter does not answer, 取消 writes nothing"
send F2
wait_for "合并到已登记的“张伟”（4 项用导入的值）？"
send y
wait_for "请用 ←→ 选择"
send Enter
wait_for "已取消"
unchanged || fail "取消 wrote something: $(zhang)"

step "a merge that leaves H900 without its 户主 is refused"
send F2
wait_for "合并到已登记的“张伟”"
send Right
send Enter
wait_for "改后该户无户主"
unchanged || fail "the refused merge wrote something: $(zhang)"

step "← keeps the registered household; the merge is written"
send Up Up
send Left
wait_line '^ 户号/与户主关系 +✓ H900 户主 +H900 子 *$'
send F2
wait_for "（3 项用导入的值）？"
send Right
send Enter
wait_for "已把“章伟”合并到已登记的“张伟”，按 F7 可撤销"
wait_line '章伟 .*张伟 .* 已合并'
wait_for "已合并（"
[[ $(zhang) == "张伟/$zw/head/台账里的备注/青石村一组 12 号/dibao" ]] || fail "merged: $(zhang)"
[[ $(head_of_h900) == 张伟 ]] || fail "H900's head is now '$(head_of_h900)'"
[[ $(q "SELECT count(*) FROM residents WHERE name = '章伟'") == 0 ]] || fail "章伟 was registered"
[[ $(q "SELECT count(*) FROM audit_log WHERE table_name = 'import_merges'") == 1 ]] \
    || fail "the merge is not in the audit log"
send Enter
wait_for "这一行已经合并"

step "F7 undoes the merge after asking: 张伟 as before, the row waits again"
send F7
wait_for "撤销“章伟”到“张伟”的合并？"
send Right
send Enter
wait_for "已撤销合并"
wait_line '章伟 .*张伟 .* 待核对'
wait_for "核对疑似重复（1 条）"
unchanged || fail "after undo: $(zhang)"
[[ $(q "SELECT action FROM audit_log WHERE table_name = 'import_merges' ORDER BY id") == $'insert\nupdate' ]] \
    || fail "the undo is not in the audit log"
[[ $(q "SELECT count(*) FROM audit_log WHERE table_name = 'residents'
        AND row_id = (SELECT id FROM residents WHERE name = '张伟')") == 3 ]] \
    || fail "the undo rewrote history instead of a new audited write"

step "F8 skips after asking (Esc keeps the row)"
send F8
wait_for "跳过“章伟”这一行？"
send Escape
wait_for "已取消"
wait_line '章伟 .*待核对'
send F8
wait_for "跳过“章伟”这一行？"
send Right
send Enter
wait_for "已跳过“章伟”这一行"
wait_for "没有待核对的疑似重复"
wait_for "核对疑似重复（0 条）"
unchanged || fail "skip changed 张伟: $(zhang)"

send F10
wait_exit
[[ $EXIT_STATUS == 0 ]] || fail "exit status $EXIT_STATUS"

step "a 录入员's review list masks the registered birth date, as the comparison does"
"$WUSHE_BIN" import residents "$E2E_TMP/dup.csv" --db "$DB" >"$E2E_TMP/dup2.out" 2>&1 \
    || { cat "$E2E_TMP/dup2.out" >&2; fail "import of dup.csv again failed"; }
E2E_LOGIN=luru start
wait_for "居民"
send 1
wait_line '居民 +共 [0-9]+ 条'
send C-o
wait_for "导入居民台账"
send F6
wait_for "核对疑似重复（1 条）"
wait_line '章伟 +1970-03-03 +139\*{4}1111 +张伟 +1970-\*\*-\*\* +139\*{4}1111 +待核对'
send F10
wait_exit
[[ $EXIT_STATUS == 0 ]] || fail "exit status $EXIT_STATUS"

step "a ledger row with 张伟's ID number under another name (a slipped column) waits for review"
printf '姓名,身份证号\n黄大强,%s\n' "$zw" >"$E2E_TMP/shifted.csv"
"$WUSHE_BIN" import residents "$E2E_TMP/shifted.csv" --db "$DB" >"$E2E_TMP/shifted.out" 2>&1 \
    || { cat "$E2E_TMP/shifted.out" >&2; fail "import of shifted.csv failed"; }
grep -q '\[疑似重复\] 黄大强：身份证号是已登记的“张伟”的' "$E2E_TMP/shifted.out" \
    || fail "not kept for review: $(cat "$E2E_TMP/shifted.out")"
grep -q '更新 0' "$E2E_TMP/shifted.out" || fail "counted as an update: $(cat "$E2E_TMP/shifted.out")"
unchanged || fail "张伟 renamed: $(zhang)"
exit 0
