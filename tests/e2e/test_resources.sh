#!/usr/bin/env bash
# shellcheck disable=SC2119,SC2317  # lib functions with optional arguments
# Charitable resources through the console (4 捐赠, issue 13): an item, a
# donor, a donation with a goods line (stock rises to 50), a posted line
# refused an edit, a distribution of 5 a household, a household added to
# its sheet and a second time refused, Ctrl-E adding a community's 低保
# households (1 in 青石村), the sheet keyed back (F6 signed:
# stock falls to 45; F7 absent puts them back; F6 again), and a goods line
# corrected (F7: 50 becomes 48, stock 43).
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

make_demo 40

sql() { sqlite3 -readonly "$DB" "$1"; }

stock_of() {
    python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT on_hand FROM items WHERE name = ?", (sys.argv[2],)).fetchone()[0])' "$DB" "$1"
}

step "4 opens 捐赠与物资"
start
wait_for "4  捐赠"
send 4
wait_for "发放与签领"

step "a new item: 暖手宝, 日用品, 个"
send Down Down Enter
wait_for "物资名称"
send F5
wait_for "新增物资"
type_text "暖手宝"
send Tab Enter
wait_for "请选择：类别"
type_text "ryp"
wait_line '^日用品'
send Enter
wait_line '类别 +日用品'
type_text "个"
send F2
wait_line '^暖手宝 +日用品 +个 +0'
send Escape
wait_for "发放与签领"

step "a donor"
send Home Down Enter
wait_for "公示署名"
send F5
wait_for "新增捐赠人"
type_text "青石电器行"
send Tab Enter
wait_for "请选择：类型"
type_text "qy"
wait_line '^企业'
send Enter
wait_line '类型 +企业'
send F2
wait_line '^青石电器行 +企业'
send Escape
wait_for "发放与签领"

step "a donation with a goods line: stock rises to 50"
send Home Enter
wait_for "票据号码"
send F5
wait_for "新增捐赠登记"
send Tab
type_text "2026-11-20"
send Tab Enter
wait_for "请选择：捐赠人"
type_text "青石电器"
wait_line '^青石电器行'
send Enter
wait_line '捐赠人 +青石电器行'
send Enter
wait_for "请选择：用途"
wait_line '^一般捐赠'
send Enter
wait_line '用途 +一般捐赠'
send F2
wait_line '^JZ2026-[0-9]{4} +2026-11-20 +青石电器行'
send F7
wait_for "捐物明细"
send F5
wait_for "新增捐物明细"
send Enter
wait_for "请选择：物资"
type_text "暖手宝"
wait_line '^暖手宝'
send Enter
wait_line '物资 +暖手宝'
type_text "50"
send Tab
type_text "12000.00"   # a unit value of eight characters and more (was cut at seven)
send Tab
type_text "B1"
send Tab
type_text "2028-12-31"
send Tab Enter
wait_for "请选择：物资状况"
send Enter
wait_line '物资状况 +全新'
send F2
wait_line '^暖手宝 +50 +12000\.00 +B1 +2028-12-31'
[[ $(stock_of 暖手宝) == 50 ]] || fail "stock is $(stock_of 暖手宝), not 50"

step "a posted line is for looking only; F8 says to correct it"
send Enter
wait_for "查看捐物明细"
send Tab
type_text "1"
wait_for "已入账的记录不能修改或删除"
send Escape
wait_for "新增" 2>/dev/null || true
wait_line '^暖手宝 +50'
send F8
wait_for "已入账的记录不能修改或删除"

step "a distribution of 5 a household"
send Escape
wait_for "票据号码"
send Escape
wait_for "发放与签领"
send End Up Up Enter
wait_for "发放名称"
send F5
wait_for "新增发放"
type_text "2026 冬季慰问"
send Tab
wait_line '发放日期 +2026-11-23' # a new one starts dated today
send C-u
type_text "2026-11-20"
send F2
wait_line '^2026 冬季慰问 +2026-11-20'
send F7
wait_for "每户发放物资"
send F5
send Enter
wait_for "请选择：物资"
type_text "暖手宝"
wait_line '^暖手宝'
send Enter
wait_line '物资 +暖手宝'
type_text "5"
send F2
wait_line '^暖手宝 +5'
send Escape
wait_line '^2026 冬季慰问'

step "a household on the sheet, and again: refused"
# The last household (学堂湾社区): the 低保 of 青石村 added below sort before it.
LAST=$(sql "SELECT max(number) FROM households")
send F4
wait_for "2026 冬季慰问：待签 0"
send F5
wait_for "选择要加入名单的户"
type_text "$LAST"
wait_line "^$LAST "
send Enter
wait_for "已加入名单"
wait_line '待签 1 '
send F5
wait_for "选择要加入名单的户"
type_text "$LAST"
wait_line "^$LAST "
send Enter
wait_for "同一户不能领两次"

step "Ctrl-E adds the 低保 households of 青石村 (the picker's row is not the community's id)"
send C-e
wait_for "选择困难类别"
type_text "db"
wait_line '^低保对象'
send Enter
wait_for "请选择：社区"
type_text "qs"
wait_line '^青石村'
send Enter
wait_for "已加入 1 户"
wait_line '待签 2 '
# The list shows what was added, without Home.
mapfile -t HHS < <(sql "SELECT h.number FROM distribution_lines l JOIN households h ON h.id = l.household_id JOIN distributions d ON d.id = l.distribution_id WHERE d.name = '2026 冬季慰问'")
((${#HHS[@]} == 2)) || fail "not 2 lines on the sheet: ${HHS[*]}"
for hh in "${HHS[@]}"; do
    wait_line "^$hh "
done

step "keyed back: F6 signed takes 5 out, F7 absent puts them back"
send Home F6
wait_line '已签 1 '
[[ $(stock_of 暖手宝) == 45 ]] || fail "after signing: stock $(stock_of 暖手宝), not 45"
send Home F7
wait_line '未领 1 '
[[ $(stock_of 暖手宝) == 50 ]] || fail "after absent: stock $(stock_of 暖手宝), not 50"
send Home F6
wait_line '已签 1 '
[[ $(stock_of 暖手宝) == 45 ]] || fail "signed again: stock $(stock_of 暖手宝), not 45"

step "a second console (here the CLI's import) signs the line under the cursor: this console's key there is refused, naming who, and the sheet is read again"
# Before, the stale key was saved: the other clerk's 签领 and its stock
# movement were undone without a word.
other=$(python3 -c 'import sqlite3,sys; print("|".join(sqlite3.connect(sys.argv[1]).execute(
    "SELECT h.number, r.name, r.id_number FROM distribution_lines l"
    " JOIN households h ON h.id = l.household_id JOIN residents r ON r.id = h.head_id"
    " WHERE l.status = ?", ("listed",)).fetchone()))' "$DB")
IFS='|' read -r other_no other_name other_id <<<"$other"
type_text "$other_no"
wait_line "^$other_no .* 待签领"
wait_line '^ *$' # the other line is filtered out
printf '发放名称,姓名,身份证号,签领\n2026 冬季慰问,%s,%s,是\n' "$other_name" "$other_id" >"$E2E_TMP/signed.csv"
"$WUSHE_BIN" import distributions "$E2E_TMP/signed.csv" --db "$DB" >"$E2E_TMP/signed.out" 2>&1 ||
    fail "the second console's 签领: $(cat "$E2E_TMP/signed.out")"
[[ $(stock_of 暖手宝) == 40 ]] || fail "signed elsewhere: stock $(stock_of 暖手宝), not 40"
send F7
wait_for "这一行已被"
wait_for "已重新读取签领表"
wait_line "^$other_no .* 已签领"
[[ $(stock_of 暖手宝) == 40 ]] || fail "the stale key moved stock: $(stock_of 暖手宝), not 40"
send F7
wait_line "^$other_no .* 未领"
[[ $(stock_of 暖手宝) == 45 ]] || fail "keyed again: stock $(stock_of 暖手宝), not 45"
send Escape
wait_line '^查找 +输入'

step "F9 prints the 签领表: the head's ID number masked, a column to sign"
if command -v pdftotext >/dev/null; then
    send F9
    wait_for "打印签领表"
    wait_for "签领表_2026_冬季慰问_"
    send Enter
    wait_for "已打印到"
    sheet=$(ls "$HOME"/签领表_2026_冬季慰问_*.pdf) || fail "no sheet PDF"
    pdftotext -layout "$sheet" - | tr -d ' ' >"$E2E_TMP/sheet.txt"
    grep -q "签领表：2026冬季慰问" "$E2E_TMP/sheet.txt" || fail "the sheet has no title"
    grep -q "签名或手印" "$E2E_TMP/sheet.txt" || fail "the sheet has no column to sign"
    grep -qE '[0-9]{3}\*{11}[0-9X]{4}' "$E2E_TMP/sheet.txt" || fail "no masked ID number"
    if grep -qE '[0-9]{17}[0-9X]' "$E2E_TMP/sheet.txt"; then fail "a full ID number printed"; fi
    "$WUSHE_BIN" print notice 2026-01-01..2026-12-31 --out "$E2E_TMP/notice.pdf" --db "$DB" \
        >/dev/null || fail "wushe print notice failed"
    pdftotext -layout "$E2E_TMP/notice.pdf" - | tr -d ' ' >"$E2E_TMP/notice.txt"
    grep -q "爱心人士" "$E2E_TMP/notice.txt" || fail "the notice names no 爱心人士"
    # who printed it, by name as the clerks know each other, not the login
    grep -q "打印人：张建国" "$E2E_TMP/notice.txt" || fail "the notice does not name 张建国 as its printer"
    grep -q "zhanzhang" "$E2E_TMP/notice.txt" && fail "the notice names the login zhanzhang"
    grep -q "青石电器行" "$E2E_TMP/notice.txt" && fail "the notice names a donor without consent"
fi

step "the items list shows the stock"
send Escape Escape
wait_for "发放与签领"
send Home Down Down Enter
wait_line '^暖手宝 +日用品 +个 +45'

step "更正 of the goods line: 50 was 48; stock 43"
send Escape
wait_for "发放与签领"
send Home Enter
wait_for "票据号码"
wait_line '^JZ2026-[0-9]{4} +2026-11-20 +青石电器行'
send Home
send F7
wait_line '^暖手宝 +50'
send F7
wait_for "更正捐物明细"
send Tab Tab
send C-u
type_text "48"
send F2
wait_line '^暖手宝 +-50 .* 冲销'
wait_line '^暖手宝 +48 '
[[ $(stock_of 暖手宝) == 43 ]] || fail "after the correction: stock $(stock_of 暖手宝), not 43"
send F7
wait_for "已经更正过"

step "捐赠登记 lists the latest first and is found by its donor"
send Escape
wait_for "票据号码"
first=$(screen | grep -m1 -E '^JZ[0-9]{4}-[0-9]{4}')
[[ $first == JZ2026-0014* ]] || fail "the first donation is not the latest: $first"
type_text "xcs"
wait_line '^JZ2025-[0-9]{4} .*县慈善总会'
send C-u
type_text "wjj"
wait_line '^JZ2026-[0-9]{4} .*王建军'
send C-u
wait_line '^JZ2026-0014'
send Home F7
wait_line '^暖手宝 +50'

step "打印公示 from the menu: the period of this year, F2"
if command -v pdftotext >/dev/null; then
    send Escape Escape
    wait_for "发放与签领"
    send End Enter
    wait_for "打印捐赠款物公示"
    wait_line '公示期间 +2026-01-01\.\.2026-11-23'
    send F2
    wait_for "已打印到"
    pdftotext -layout "$HOME/公示_2026.pdf" - | tr -d ' ' >"$E2E_TMP/notice2.txt" || fail "no notice PDF"
    grep -q "捐赠款物收支公示" "$E2E_TMP/notice2.txt" || fail "the notice has no title"
    grep -q "2026冬季慰问" "$E2E_TMP/notice2.txt" || fail "the notice lists no distribution"
fi

step "wushe import donations twice: 有效期至 2027/11/30 posted once; columns not imported named"
printf '捐赠日期,捐赠人,物资,数量,单价,批次,有效期至,经手人\n2026/11/20,王甲,暖手宝,10,"1,000.00",2026-11,2027/11/30,李芳\n' \
    >"$E2E_TMP/don.csv"
before=$(stock_of 暖手宝)
"$WUSHE_BIN" import donations "$E2E_TMP/don.csv" --db "$DB" >"$E2E_TMP/don1.out" 2>&1 \
    || { cat "$E2E_TMP/don1.out" >&2; fail "the donations import failed"; }
grep -q "不导入的列：经手人" "$E2E_TMP/don1.out" || fail "columns not imported unnamed: $(cat "$E2E_TMP/don1.out")"
"$WUSHE_BIN" import donations "$E2E_TMP/don.csv" --db "$DB" >"$E2E_TMP/don2.out" 2>&1 \
    || { cat "$E2E_TMP/don2.out" >&2; fail "the second donations import failed"; }
grep -q "入账 0 行" "$E2E_TMP/don2.out" || fail "posted again: $(cat "$E2E_TMP/don2.out")"
[[ $(stock_of 暖手宝) == $((before + 10)) ]] || fail "stock $(stock_of 暖手宝), want $((before + 10))"

"$WUSHE_BIN" check --db "$DB" >"$E2E_TMP/check.out" 2>&1 || { cat "$E2E_TMP/check.out" >&2; fail "wushe check failed"; }
echo "ok"
