#!/usr/bin/env bash
# shellcheck disable=SC2317,SC1111  # helpers run via wait_until; the program's Chinese quotes
# The rights of the people on the register from the command line (issue
# 10): `wushe export subject` writes everything held about one person, for
# the 站长 only and recorded; `wushe erase resident` asks on a terminal
# (or takes --yes), erases the person's data down to the file's bytes,
# leaves their household consistent, and refuses everyone but the 站长.
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

export WUSHE_USER=zhanzhang WUSHE_PASSWORD=wushe-demo

W=$WUSHE_BIN
OUT=$E2E_TMP/out
ERR=$E2E_TMP/err
RC=0
run() {
    RC=0
    "$W" --db "$DB" "$@" >"$OUT" 2>"$ERR" </dev/null || RC=$?
}
show() { echo "exit $RC; stdout: $(head -c 800 "$OUT"); stderr: $(head -c 800 "$ERR")"; }

# sql QUERY: one value from the station file (read only).
sql() {
    python3 - "$DB" "$1" <<'EOF'
import sqlite3, sys
con = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True)
row = con.execute(sys.argv[2]).fetchone()
print('' if row is None or row[0] is None else row[0])
EOF
}

# file_holds TEXT: the station file or its write-ahead log holds TEXT's bytes.
file_holds() {
    python3 - "$DB" "$1" <<'EOF'
import os, sys
needle = sys.argv[2].encode()
for p in (sys.argv[1], sys.argv[1] + '-wal'):
    if os.path.exists(p) and needle in open(p, 'rb').read():
        sys.exit(0)
sys.exit(1)
EOF
}

make_demo 50

# A 户主 whose household has other members, with a name nobody else has.
HEAD_SQL="FROM residents r WHERE r.deleted_at IS NULL AND r.relation = 'head'
  AND r.phone <> '' AND (SELECT count(*) FROM residents m WHERE m.household_id = r.household_id
  AND m.deleted_at IS NULL) > 1 AND (SELECT count(*) FROM residents n WHERE n.name = r.name) = 1
  ORDER BY r.id LIMIT 1"
ID=$(sql "SELECT r.id $HEAD_SQL")
[[ -n $ID ]] || fail "the demo has no 户主 with members"
IDN=$(sql "SELECT id_number FROM residents WHERE id = $ID")
NAME=$(sql "SELECT name FROM residents WHERE id = $ID")
PHONE=$(sql "SELECT phone FROM residents WHERE id = $ID")
HH=$(sql "SELECT h.number FROM residents r JOIN households h ON h.id = r.household_id WHERE r.id = $ID")
MEMBER=$(sql "SELECT name FROM residents WHERE household_id = (SELECT household_id FROM residents
  WHERE id = $ID) AND id <> $ID AND deleted_at IS NULL ORDER BY id LIMIT 1")

step "export subject: the whole record, readable, for the 站长"
COPY=$E2E_TMP/副本.txt
run export subject "$IDN" "$COPY"
[[ $RC == 0 ]] || fail "export subject: $(show)"
grep -qF "1 条居民记录" "$OUT" || fail "no summary: $(show)"
[[ $(stat -c %a "$COPY") == 600 ]] || fail "the copy is not readable by its owner only: $(stat -c %a "$COPY")"
[[ $(head -c 3 "$COPY" | od -An -tx1 | tr -d ' ') == efbbbf ]] || fail "the text copy has no BOM"
grep -q $'\r$' "$COPY" || fail "the text copy's lines do not end in CRLF (Notepad)"
for want in "个人信息副本" "姓名：$NAME" "身份证号：$IDN" "联系电话：$PHONE" "户号：$HH" \
    "户内其他成员：$MEMBER" "── 修改记录 ──" "── 查阅、导出等访问记录 ──" "个人信息副本，文本格式"; do
    grep -qF "$want" "$COPY" || fail "the copy lacks \"$want\": $(cat "$COPY")"
done
[[ $(sql "SELECT count(*) FROM access_log WHERE event = 'export' AND table_name = 'residents'
  AND row_id = $ID") == 1 ]] || fail "the copy is not in the access log"

step "export subject --format json to standard output"
run export subject "$IDN" --format json
[[ $RC == 0 ]] || fail "json: $(show)"
python3 - "$OUT" "$IDN" "$NAME" <<'EOF' || fail "json: $(show)"
import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
r = d['records'][0]
assert d['format'] == 'wushe-subject/1' and d['by'] == 'zhanzhang', d
assert r['id_number'] == sys.argv[2] and r['name'] == sys.argv[3], r
assert r['history'] and r['history'][0]['action'] == 'insert', r['history']
assert any(a['event'] == 'export' for a in r['access_log']), r['access_log']
EOF
grep -qF "已记入访问记录" "$ERR" || fail "json: no note on stderr: $(show)"

step "others may not: 录入员, 社工, 督导"
for who in luru shegong dudao; do
    RC=0
    WUSHE_USER=$who "$W" --db "$DB" export subject "$IDN" >"$OUT" 2>"$ERR" </dev/null || RC=$?
    [[ $RC == 1 && ! -s $OUT ]] || fail "$who export subject: $(show)"
    grep -qF "无权" "$ERR" || fail "$who: no refusal: $(show)"
    RC=0
    WUSHE_USER=$who "$W" --db "$DB" erase resident "$IDN" --reason 本人申请 --yes >"$OUT" 2>"$ERR" \
        </dev/null || RC=$?
    [[ $RC == 1 ]] || fail "$who erase: $(show)"
    grep -qF "无权" "$ERR" || fail "$who: no refusal: $(show)"
done
[[ $(sql "SELECT name FROM residents WHERE id = $ID") == "$NAME" ]] || fail "a refused erase changed the row"

step "bad arguments: exit 2, nothing erased"
run erase resident "$IDN"
[[ $RC == 2 ]] && grep -qF -- "--reason" "$ERR" || fail "no reason: $(show)"
run erase resident 12345 --reason 本人申请
[[ $RC == 2 ]] && grep -qF "身份证号不对" "$ERR" || fail "bad ID number: $(show)"
run erase resident "$IDN" --reason 本人申请
[[ $RC == 2 ]] && grep -qF -- "--yes" "$ERR" || fail "no terminal, no --yes: $(show)"
run export subject "$(id_number 11010519491231002)"
[[ $RC == 1 ]] && grep -qF "没有身份证号为" "$ERR" || fail "unknown number: $(show)"
file_holds "$IDN" || fail "the test proves nothing: the file never held $IDN"

step "asked on a terminal: anything but yes cancels"
start_cmd env WUSHE_USER=zhanzhang WUSHE_PASSWORD=wushe-demo "$W" --db "$DB" \
    erase resident "$IDN" --reason "本人申请删除"
wait_for "确定删除请输入 yes"
assert_screen "$NAME（在册，户 $HH）"
assert_screen "原因：本人申请删除"
type_text "no"
send Enter
wait_exit
[[ $EXIT_STATUS == 1 ]] || fail "a no exited $EXIT_STATUS"
[[ $(sql "SELECT name FROM residents WHERE id = $ID") == "$NAME" ]] || fail "a no erased"

step "yes erases, and the file is rewritten"
start_cmd env WUSHE_USER=zhanzhang WUSHE_PASSWORD=wushe-demo "$W" --db "$DB" \
    erase resident "$IDN" --reason "本人申请删除"
wait_for "确定删除请输入 yes"
type_text "yes"
send Enter
wait_exit 60
[[ $EXIT_STATUS == 0 ]] || fail "yes exited $EXIT_STATUS: $(cat "$E2E_TMP/stderr")"
[[ $(sql "SELECT name || '|' || (deleted_at IS NOT NULL) || (erased_at IS NOT NULL)
  FROM residents WHERE id = $ID") == "已删除个人信息|11" ]] || fail "the row is not erased"
[[ $(sql "SELECT count(*) FROM access_log WHERE event = 'erase' AND row_id = $ID") == 1 ]] \
    || fail "the erasure is not in the access log"
for gone in "$IDN" "$NAME" "$PHONE"; do
    if file_holds "$gone"; then
        # the household's phone may be a member's too
        [[ $gone == "$PHONE" && $(sql "SELECT count(*) FROM residents WHERE phone = '$PHONE'") != 0 ]] \
            || fail "the station file still holds $gone"
    fi
done

step "after: not found, household consistent, the others as they were"
run export subject "$IDN"
[[ $RC == 1 ]] && grep -qF "没有身份证号为" "$ERR" || fail "export after erase: $(show)"
run erase resident "$IDN" --reason again --yes
[[ $RC == 1 ]] || fail "erase again: $(show)"
run search residents "$NAME"
[[ $RC == 0 && ! -s $OUT ]] || fail "still found: $(show)"
run search residents "$MEMBER"
[[ $RC == 0 ]] && grep -qF "$HH" "$OUT" || fail "the member is gone: $(show)"
run check
[[ $RC == 0 ]] || fail "check after the erasure of a 户主: $(show)"
grep -qF "户主不一致" "$OUT" && fail "check names a head problem: $(show)"

step "--yes for a script"
ID2=$(sql "SELECT id FROM residents WHERE deleted_at IS NULL AND id_number IS NOT NULL
  AND id <> $ID ORDER BY id DESC LIMIT 1")
IDN2=$(sql "SELECT id_number FROM residents WHERE id = $ID2")
run erase resident "$IDN2" --reason "超过保存期限" --yes
[[ $RC == 0 ]] || fail "--yes: $(show)"
grep -qF "已删除" "$OUT" && grep -qF "数据库文件已整理" "$OUT" || fail "--yes said: $(show)"
file_holds "$IDN2" && fail "the station file still holds $IDN2"

# The console: a resident's consents from their form, and the recycle bin's
# erasure for the 站长 (a 录入员 is not offered it).
ID3=$(sql "SELECT r.id FROM residents r WHERE r.deleted_at IS NULL AND r.relation <> 'head'
  AND (SELECT count(*) FROM residents n WHERE n.name = r.name) = 1 ORDER BY r.id LIMIT 1")
NAME3=$(sql "SELECT name FROM residents WHERE id = $ID3")
IDN3=$(sql "SELECT id_number FROM residents WHERE id = $ID3")

step "console: F7 in the resident form lists their consents; F5 adds one"
start
wait_for "居民"
send 1
wait_for "共 "
type_text "$NAME3"
wait_for "$NAME3"
send Enter
wait_for "编辑居民"
assert_screen "F7 同意记录"
send F7
wait_for "同意记录：$NAME3  共 0 条"
send F5
wait_for "新增同意记录"
type_text "2026-11-20"
send Tab
send Enter
wait_for "请选择：同意范围"
send Enter
wait_gone "请选择：同意范围"
assert_screen "登记"
send Enter
wait_for "请选择：同意范围"
send Down Down
send Enter
wait_for "登记 对外提供"
send Tab Tab Tab Tab
type_text "TY-E2E-77"
send F2
wait_for "同意记录：$NAME3  共 1 条"
assert_screen "TY-E2E-77"
[[ $(sql "SELECT scope || '|' || giver FROM resident_consents WHERE resident_id = $ID3") \
    == "register,share|self" ]] || fail "the consent was not saved as typed"
send Escape
wait_for "编辑居民"
send Escape
wait_for "共 "

step "console: the bin erases a deleted resident after a reason and a question"
send F8
wait_for "删除居民“$NAME3”"
send Right
send Enter
wait_gone "删除居民“$NAME3”"
send F4
wait_for "居民回收站"
wait_for "$NAME3"
send F8
wait_for "删除个人信息：$NAME3"
send F2
wait_for "删除原因：必须填写"
type_text "本人申请删除"
send F2
wait_for "彻底删除“$NAME3”的个人信息？"
send Enter  # 取消 is chosen first
wait_gone "彻底删除“$NAME3”的个人信息？"
[[ $(sql "SELECT erased_at IS NULL FROM residents WHERE id = $ID3") == 1 ]] || fail "取消 erased"
send F2
wait_for "彻底删除“$NAME3”的个人信息？"
send Right
send Enter
wait_for "已删除“$NAME3”的个人信息，数据库文件已整理" 30
assert_screen "回收站里没有找到居民"
[[ $(sql "SELECT name || '|' || coalesce(id_number, '-') FROM residents WHERE id = $ID3") \
    == "已删除个人信息|-" ]] || fail "the console did not erase"
[[ $(sql "SELECT reference || guardian_name FROM resident_consents WHERE resident_id = $ID3") \
    == "" ]] || fail "the consent kept its reference"
file_holds "$IDN3" && fail "the station file still holds $IDN3"
file_holds "TY-E2E-77" && fail "the station file still holds the consent's reference"
send F10
wait_exit

step "console: a 录入员's bin offers no erasure"
E2E_LOGIN=luru start
wait_for "居民"
send 1
wait_for "共 "
send F4
wait_for "居民回收站"
refute_screen "删除个人信息"
send F8
refute_screen "删除个人信息："
echo "ok"
