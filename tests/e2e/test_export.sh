#!/usr/bin/env bash
# shellcheck disable=SC2119,SC2317  # lib functions with optional arguments
# F9 export at 80x24 (trial B #13, #14): the prompt's hint reads whole; a
# folder typed where the file goes gets the proposed name in it (never
# "文件“”已经存在" nor "路径中有一段不是文件夹"); a failed export leaves
# what was typed in the prompt; the result message wraps by clauses, never
# a lone "）" on the list. The command line names the missing file name;
# its usage names every export kind (#17), and an --encoding refusal does
# not suggest the encoding just given.
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

make_demo 50
n=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM residents WHERE deleted_at IS NULL").fetchone()[0])' "$DB")
mkdir -p "$HOME/kong"

step "the command line: a folder is said to want a file name"
"$WUSHE_BIN" export residents "$HOME/kong/" --db "$DB" >"$E2E_TMP/out" 2>"$E2E_TMP/err" \
    && fail "exporting to a folder succeeded"
grep -qF "是文件夹：请在后面写上文件名，如 $HOME/kong/居民.csv" "$E2E_TMP/err" \
    || fail "CLI message: $(cat "$E2E_TMP/err")"
grep -q "不是文件夹" "$E2E_TMP/err" && fail "CLI says a part is not a folder: $(cat "$E2E_TMP/err")"

step "the command line never writes an export over the station (trial C #1)"
size=$(stat -c %s "$DB")
"$WUSHE_BIN" export households "$DB" --db "$DB" >"$E2E_TMP/out" 2>"$E2E_TMP/err" \
    && fail "an export over the station succeeded"
grep -q "站点文件或备份" "$E2E_TMP/err" || fail "CLI message: $(cat "$E2E_TMP/err")"
[[ $(stat -c %s "$DB") == "$size" ]] || fail "the station file changed"
"$WUSHE_BIN" export residents "$DB-wal" --format xlsx --db "$DB" >"$E2E_TMP/out" 2>"$E2E_TMP/err" \
    && fail "an export over the station's -wal succeeded"
grep -q "站点文件或备份" "$E2E_TMP/err" || fail "CLI message (-wal): $(cat "$E2E_TMP/err")"

step "an XLSX export with --encoding is refused, not ignored; a missing workbook is missing (trial C #18, #21)"
rc=0
"$WUSHE_BIN" export residents "$E2E_TMP/x.xlsx" --encoding GB18030 --db "$DB" >"$E2E_TMP/out" 2>"$E2E_TMP/err" || rc=$?
[[ $rc == 2 && ! -e $E2E_TMP/x.xlsx ]] || fail "xlsx with --encoding: exit $rc"
grep -q "只用于 CSV" "$E2E_TMP/err" || fail "xlsx with --encoding: $(head -1 "$E2E_TMP/err")"
rc=0
"$WUSHE_BIN" import residents "$E2E_TMP/missing.xls" --sheet 花名册 --db "$DB" >"$E2E_TMP/out" 2>"$E2E_TMP/err" || rc=$?
[[ $rc == 1 ]] || fail "missing workbook with --sheet: exit $rc"
grep -q "文件或文件夹不存在" "$E2E_TMP/err" || fail "missing workbook: $(cat "$E2E_TMP/err")"

step "a row without a name is said without a colon standing for it (trial C #9)"
printf '姓名,身份证号,联系电话\n,,13900000000\n' >"$E2E_TMP/noname.csv"
"$WUSHE_BIN" import residents "$E2E_TMP/noname.csv" --dry-run --db "$DB" >"$E2E_TMP/out" 2>&1 || true
grep -q "^第 2 行 \[有错误\] 姓名：必须填写" "$E2E_TMP/out" || fail "no-name row: $(cat "$E2E_TMP/out")"

step "the usage names every export kind README documents"
"$WUSHE_BIN" --help >"$E2E_TMP/help" 2>&1 || fail "wushe --help failed"
for kind in residents households communities visits cases services referrals volunteers \
    activities hours donations stock distributions notice statement organisations projects \
    subject access-log; do
    grep -qE "wushe export ([a-z|-]*\|)?$kind(\||[ ])" "$E2E_TMP/help" \
        || fail "the usage lacks wushe export $kind"
done

step "--encoding: a refusal does not suggest the encoding just given"
printf '姓名,身份证号\n张三,110101198001011237\n' | iconv -f utf-8 -t gb18030 >"$E2E_TMP/gb.csv"
"$WUSHE_BIN" import residents "$E2E_TMP/gb.csv" --encoding utf-8 --dry-run --db "$DB" \
    >"$E2E_TMP/out" 2>"$E2E_TMP/err" && fail "a GB18030 file read as UTF-8 imported"
grep -q "找不到表头" "$E2E_TMP/err" || fail "no header message: $(cat "$E2E_TMP/err")"
grep -q "如 --encoding utf-8" "$E2E_TMP/err" && fail "suggests the encoding given: $(cat "$E2E_TMP/err")"
grep -q "换一个" "$E2E_TMP/err" || fail "does not say to try another: $(cat "$E2E_TMP/err")"

step "F9: the hint reads whole at 80 columns"
start
wait_for "居民"
send 1
wait_line "居民 +共 $n 条"
send F9
wait_for "保存到："
wait_for "号码已遮盖"

step "a folder with a slash: the proposed name goes in it"
send C-u
type_text "~/kong/"
send Enter
wait_for "是文件夹，已在后面加上文件名"
wait_for "~/kong/居民_20261123.xlsx"
refute_screen "已经存在"
send Enter
wait_for "已导出 $n 名居民到 ~/kong/居民_20261123.xlsx"
[[ -f $HOME/kong/居民_20261123.xlsx ]] || fail "nothing written in the folder"

step "an existing folder without the slash: the same; the file there is named in the question"
send F9
wait_for "保存到："
send C-u
type_text "~/kong"
send Enter
wait_for "是文件夹，已在后面加上文件名"
wait_for "~/kong/居民_20261123.xlsx"
send Enter
wait_for "文件“居民_20261123.xlsx”已经存在，覆盖它吗？"
send Enter          # 取消, the default
wait_gone "覆盖它吗"

step "a failed export keeps what was typed in the prompt"
send F9
wait_for "保存到："
send C-u
type_text "~/没有这个文件夹/名单.csv"
send Enter
wait_for "出错了"
wait_for "保存到："
wait_for "~/没有这个文件夹/名单.csv"
send Escape
wait_gone "保存到："

step "the result message wraps at a clause: no lone \"）\""
# The name is made so that, cut at 80 columns, "）" would be alone on
# the second row.
msg_w=$(dwidth "已导出 $n 名居民到 $E2E_TMP/（身份证号、电话和证件号已遮盖）")
pad=$((80 - msg_w + 1 - 4))
if ((pad >= 1)); then
    name=$(printf 'x%.0s' $(seq "$pad")).csv
    send F9
    wait_for "保存到："
    send C-u
    type_text "$E2E_TMP/$name"
    send Enter
    wait_for "已导出 $n 名居民"
    [[ -f $E2E_TMP/$name ]] || fail "$name not written"
    wait_line "^（身份证号、电话和证件号已遮盖）"
    wait_no_line "^）"
else
    echo "$E2E_NAME: E2E_TMP too long for the wrap case, skipped"
fi

step "the console refuses the station as an export's file at once, with no question"
send F9
wait_for "保存到："
send C-u
type_text "$DB"
send Enter
wait_for "站点文件或备份"
wait_no_line "覆盖它吗"
[[ $(stat -c %s "$DB") == "$size" ]] || fail "the station file changed"

step "the households' unmasked export asks about their phones, not ID numbers (trial C #21)"
send F6
wait_line '户号 +户主 +社区/村 +人数'
send F9
wait_for "保存到："
send F4
wait_for "确定导出完整的联系电话？"
wait_no_line "身份证号、电话和残疾证号"
send Enter          # 取消, the default
wait_gone "确定导出完整"
send Escape
wait_line '居民 +共'

step "an XLSX export onto a full disk says so in words, nothing over the screen (trial C #15)"
if e2e_mount_tmpfs "$E2E_TMP/full" size=2m; then
    dd if=/dev/zero of="$E2E_TMP/full/fill" bs=1k count=4096 2>/dev/null || true
    "$WUSHE_BIN" export residents "$E2E_TMP/full/r.xlsx" --db "$DB" >"$E2E_TMP/out" 2>"$E2E_TMP/err" \
        && fail "an export onto a full disk succeeded"
    grep -q "磁盘已满" "$E2E_TMP/err" || fail "CLI message: $(cat "$E2E_TMP/err")"
    grep -qi "zip\|error" "$E2E_TMP/err" && fail "the library's words: $(cat "$E2E_TMP/err")"
    send F9
    wait_for "保存到："
    send C-u
    type_text "$E2E_TMP/full/居民.xlsx"
    send Enter
    wait_for "磁盘已满"
    wait_no_line "ERROR"
    wait_no_line "ZIP"
    [[ -z $(find "$E2E_TMP/full" -name '*.xlsx*') ]] || fail "a partial workbook was left"
else
    echo "$E2E_NAME: not root (no tmpfs): the full-disk step skipped"
fi
