#!/usr/bin/env bash
# shellcheck disable=SC2119,SC2317,SC1111,SC2015  # lib functions with optional arguments; helpers run via wait_until; the program's Chinese quotes; A && B || fail (fail exits)
# wushe print: the list of printable kinds, usage errors (exit 2), the
# 居民信息表 by ID number and by row id, full for the 站长 and masked for a
# 录入员, the print in the access log, the 户卡, a missing resident, an
# unwritable path and a machine without a Chinese font (exit 1, no file).
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

command -v pdftotext >/dev/null || { echo "skipped: pdftotext not found (apt-get install poppler-utils)"; exit 77; }

W=$WUSHE_BIN
OUT=$E2E_TMP/out
ERR=$E2E_TMP/err
RC=0
run() {
    RC=0
    "$W" "$@" >"$OUT" 2>"$ERR" </dev/null || RC=$?
}
show() { echo "exit $RC; stdout: $(head -c 600 "$OUT"); stderr: $(head -c 600 "$ERR")"; }
q() { sqlite3 "$DB" "$1"; }
# pdf FILE: its text without spaces (pdftotext -layout pads columns)
pdf() { pdftotext -layout "$1" - | tr -d ' '; }

make_demo 60

step "wushe print alone lists the printable kinds"
run print --db "$DB"
[[ $RC == 0 ]] || fail "print: $(show)"
grep -qF 'resident' "$OUT" && grep -qF 'household' "$OUT" && grep -qF '居民信息表' "$OUT" \
    || fail "print does not list its kinds: $(show)"

step "usage errors exit 2 and write nothing"
for args in "print bogus" "print resident" "print resident 1" "print household"; do
    # shellcheck disable=SC2086
    run $args --db "$DB"
    [[ $RC == 2 ]] || fail "wushe $args: want exit 2, $(show)"
    [[ -s $ERR ]] || fail "wushe $args: nothing on stderr"
done

read -r RID IDN NAME HNUM < <(q "SELECT r.id, r.id_number, r.name, h.number FROM residents r
    JOIN households h ON h.id = r.household_id WHERE r.id_number IS NOT NULL
    AND r.relation <> 'head' LIMIT 1" | tr '|' ' ')
HEAD=$(q "SELECT name FROM residents WHERE household_id = (SELECT household_id FROM residents
    WHERE id = $RID) AND relation = 'head'")
MASKED="${IDN:0:3}***********${IDN:14:4}"

step "the 站长 prints a resident by ID number: full identifiers, the household's members"
run print resident "$IDN" --out "$E2E_TMP/r.pdf" --db "$DB"
[[ $RC == 0 && -s $E2E_TMP/r.pdf ]] || fail "print resident: $(show)"
grep -qF '共 1 页' "$OUT" || fail "no page count said: $(show)"
pdf "$E2E_TMP/r.pdf" >"$E2E_TMP/r.txt"
for want in 居民信息表 青石镇 "$NAME" "$IDN" "$HNUM" "$HEAD" 家庭成员 社工签名： 第1页共1页; do
    grep -qF "$want" "$E2E_TMP/r.txt" || fail "the 居民信息表 lacks $want: $(cat "$E2E_TMP/r.txt")"
done
[[ $(stat -c %a "$E2E_TMP/r.pdf") == 600 ]] || fail "the PDF is readable by others"

step "a 录入员 prints the same resident by row id: identifiers masked, recorded"
WUSHE_USER=luru run print resident "$RID" --out "$E2E_TMP/rc.pdf" --db "$DB"
[[ $RC == 0 ]] || fail "print resident as 录入员: $(show)"
pdf "$E2E_TMP/rc.pdf" >"$E2E_TMP/rc.txt"
grep -qF "$NAME" "$E2E_TMP/rc.txt" || fail "no name: $(cat "$E2E_TMP/rc.txt")"
grep -qF "$MASKED" "$E2E_TMP/rc.txt" || fail "no masked ID $MASKED: $(cat "$E2E_TMP/rc.txt")"
if grep -qF "$IDN" "$E2E_TMP/rc.txt"; then fail "a 录入员's print shows the full ID number"; fi
[[ $(q "SELECT count(*) FROM access_log a JOIN accounts c ON c.id = a.account_id
        WHERE a.event = 'print' AND a.table_name = 'residents' AND a.row_id = $RID
        AND c.login = 'luru' AND json_extract(a.detail, '\$.masked') = 1") == 1 ]] \
    || fail "the 录入员's print is not in the access log: $(q "SELECT * FROM access_log WHERE event = 'print'")"

step "the 户卡 by household number"
run print household "$HNUM" --out "$E2E_TMP/h.pdf" --db "$DB"
[[ $RC == 0 ]] || fail "print household: $(show)"
pdf "$E2E_TMP/h.pdf" >"$E2E_TMP/h.txt"
for want in 户卡 "$HNUM" "$HEAD" "$NAME" 户主签名：; do
    grep -qF "$want" "$E2E_TMP/h.txt" || fail "the 户卡 lacks $want: $(cat "$E2E_TMP/h.txt")"
done

step "nothing to print, or nowhere to print it: exit 1, a reason, no file"
run print resident 110101190001011234 --out "$E2E_TMP/x.pdf" --db "$DB"
[[ $RC == 1 ]] && grep -qF '没有找到居民' "$ERR" || fail "a missing resident: $(show)"
run print household NOPE --out "$E2E_TMP/x.pdf" --db "$DB"
[[ $RC == 1 ]] && grep -qF '没有找到户号' "$ERR" || fail "a missing household: $(show)"
run print resident "$RID" --out "$E2E_TMP/no/such/x.pdf" --db "$DB"
[[ $RC == 1 ]] && grep -qF '文件或文件夹不存在' "$ERR" || fail "an unwritable path: $(show)"
[[ ! -e $E2E_TMP/x.pdf && ! -e $E2E_TMP/no ]] || fail "a refused print left a file"
printf '<?xml version="1.0"?>\n<fontconfig></fontconfig>\n' >"$E2E_TMP/nofonts.conf"
FONTCONFIG_FILE=$E2E_TMP/nofonts.conf run print resident "$RID" --out "$E2E_TMP/x.pdf" --db "$DB"
[[ $RC == 1 ]] && grep -qF '找不到中文字体' "$ERR" && grep -qF 'fonts-wqy-microhei' "$ERR" \
    || fail "no Chinese font: $(show)"
[[ ! -e $E2E_TMP/x.pdf ]] || fail "a print without a font left a file"
ls "$E2E_TMP"/*.tmp* 2>/dev/null && fail "a temporary file was left"

step "F9 in the resident form prints the saved resident to the path in the prompt"
UNIQUE=$(q "SELECT name FROM residents r WHERE deleted_at IS NULL AND
    (SELECT count(*) FROM residents n WHERE n.name = r.name) = 1 ORDER BY id LIMIT 1")
start
wait_for "居民"
send 1
wait_for "身份证号"
type_text "$UNIQUE"
wait_for "$UNIQUE"
send Enter
wait_for "编辑居民"
send F9
wait_for "打印居民信息表"
PDF="$HOME/居民信息表_${UNIQUE}_20261123.pdf"
wait_for "居民信息表_${UNIQUE}"
send Enter
wait_for "已打印到"
[[ -s $PDF ]] || fail "F9 wrote no $PDF: $(screen)"
pdf "$PDF" | grep -qF "$UNIQUE" || fail "the printed form lacks the name"
step "F9 again asks before overwriting (取消 first), and a new resident is saved first"
send F9
wait_for "打印居民信息表"
send Enter
wait_for "已经存在"
send Enter
wait_gone "已经存在"
send Escape
send F5
wait_for "新增居民"
send F9
wait_for "请先保存"
exit 0
