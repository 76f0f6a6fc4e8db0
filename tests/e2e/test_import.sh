#!/usr/bin/env bash
# shellcheck disable=SC2119,SC2317  # lib functions with optional arguments; helpers run via wait_until
# Importing a GB18030 ledger from the residents list (i): the path, the
# preview (mapping, counts, reasons) before anything is written, the import,
# the review of a possible duplicate (keep both); then F9 export of what the
# filter shows, to XLSX and CSV, checked in the files.
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

make_demo 50

# A registered 张伟 born 1980-01-02 without an ID number (via the CLI).
printf '姓名,出生日期,住址\n张伟,1980-01-02,一组\n' >"$E2E_TMP/seed.csv"
"$WUSHE_BIN" import residents "$E2E_TMP/seed.csv" --db "$DB" >"$E2E_TMP/seed.out" 2>&1 \
    || { cat "$E2E_TMP/seed.out" >&2; fail "seed import failed"; }

good=$(id_number 51090219900101001)
bad=11010519800102001X
python3 - "$E2E_TMP/台账.csv" "$good" "$bad" <<'EOF'
import sys
path, good, bad = sys.argv[1:]
rows = ["序号,姓名,性别,身份证号码,出生日期,所属社区/村,人员类别,微信",
        "1,导入甲,男,%s,,新建村第一村民小组东片区,低保,a1" % good,
        "2,坏号码,男,%s,,新建村第一村民小组东片区,,a2" % bad,
        "3,章伟,男,,1980-01-02,,,a3"]
open(path, "wb").write(("\r\n".join(rows) + "\r\n").encode("gb18030"))
EOF

step "open the import screen from the residents list"
start
wait_for "居民 51"
send 1
wait_line '居民 +共 51 条'
send C-o
wait_for "导入居民台账"
wait_for "文件："
wait_for "Enter 预览"     # the key bar says what Enter does here, as the prompt does
refute_screen "打开/编辑"
type_text "$E2E_TMP/台账.csv"
send Enter

step "the preview: mapping and counts, nothing written"
wait_for "导入预览"
wait_for "GB18030"
wait_for "微信 → 未识别，不导入"
wait_for "身份证号码 → 身份证号"
wait_line '试运行，未写入：新增 1，更新 0，无变化 0，疑似重复 1'
send End            # the rows, class by class, follow the summary
wait_for "校验位不对"
[[ $(search_residents 导入甲 | grep -c .) == 0 ]] || fail "the preview wrote a resident"

step "F2 imports"
send F2
wait_line '已导入：新增 1，更新 0，无变化 0，疑似重复 1（待核对），文件内重复 0，有错误 1'
wait_for "台账_错误行.csv"
wait_for "有 1 条疑似重复待核对"
[[ -f "$E2E_TMP/台账_错误行.csv" ]] || fail "no error file"
iconv -f gb18030 -t utf-8 "$E2E_TMP/台账_错误行.csv" | grep -q "坏号码.*错误原因\|第 3 行" \
    || fail "error file: $(iconv -f gb18030 -t utf-8 "$E2E_TMP/台账_错误行.csv")"
search_residents 导入甲 | grep -qF "$good" || fail "导入甲 not imported"

step "review the possible duplicate: keep both"
send F6
wait_for "核对疑似重复（1 条）"
wait_line '章伟 +1980-01-02 .*张伟 +1980-01-02'
wait_for "已登记：张伟"
send F12            # every action of the review is in its menu
wait_for "功能菜单"
type_text "都保留"
wait_line '^都保留 '
send Enter
wait_for "已作为新居民登记"
wait_for "没有待核对的疑似重复"
send Escape
wait_for "导入完成"
send Escape
wait_line '居民 +共 53 条'

step "a cell cut in the list ends in … (新建村第一村民小组东片区 is no 新建村第一村)"
type_text "导入甲"
wait_line '^查找 +导入甲'
wait_line '导入甲 .* 新建村第[^ ]*… +低保'
send BSpace BSpace BSpace
wait_line '居民 +共 53 条'

step "F9 exports what the filter shows"
type_text "章伟"
wait_line '^查找 +章伟'
send F9
wait_for "导出居民"
wait_for "保存到："
send C-u
type_text "$E2E_TMP/章伟.csv"
send Enter
wait_for "已导出 1 名居民"
[[ -f "$E2E_TMP/章伟.csv" ]] || fail "no CSV written"
head -c 3 "$E2E_TMP/章伟.csv" | od -An -tx1 | grep -q "ef bb bf" || fail "CSV without BOM"
[[ $(grep -c . "$E2E_TMP/章伟.csv") == 2 ]] || fail "CSV: want header + 1 row: $(cat "$E2E_TMP/章伟.csv")"
grep -q '^.*章伟,男,,1980-\*\*-\*\*' "$E2E_TMP/章伟.csv" || fail "CSV row: $(cat "$E2E_TMP/章伟.csv")"

step "F9 with no filter: everyone, to XLSX, masked"
send Escape
wait_gone "章伟"
send F9
wait_for "保存到："
send C-u
type_text "$E2E_TMP/all.xlsx"
send Enter
wait_for "已导出 53 名居民"
sheet=$(unzip -p "$E2E_TMP/all.xlsx" xl/worksheets/sheet1.xml) || fail "not a zip"
grep -q 'state="frozen"' <<<"$sheet" || fail "header not frozen"
grep -qF "$good" <<<"$sheet" && fail "the XLSX has an unmasked ID number"
grep -qE '510\*{11}' <<<"$sheet" || fail "no masked ID numbers in the XLSX"

step "F4 in the export prompt: unmasked after 确定, recorded in the audit log; 取消 does nothing"
send F9
wait_for "保存到："
wait_for "F4/Ctrl-T 导出完整号码"
send C-u
type_text "$E2E_TMP/full.csv"
send F4
wait_for "导出完整的身份证号"
send n              # a letter does not answer
wait_for "请用 ←→ 选择"
send Enter          # 取消, the default
wait_gone "导出完整的身份证号"
[[ ! -e "$E2E_TMP/full.csv" ]] || fail "n still exported"
send F9
wait_for "保存到："
send C-u
type_text "$E2E_TMP/full.csv"
send F4
wait_for "导出完整的身份证号"
send Right
send Enter
wait_for "已导出 53 名居民"
wait_for "未遮盖"
grep -qF "$good" "$E2E_TMP/full.csv" || fail "the unmasked CSV lacks the full ID number"
n=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM access_log WHERE event = '"'"'export'"'"' AND detail LIKE '"'"'%full.csv%'"'"' AND detail LIKE '"'"'%\"masked\":0%'"'"'").fetchone()[0])' "$DB")
[[ $n == 1 ]] || fail "want one audited unmasked export, got $n"

step "F9: ~ and a name without a folder are in the home folder"
send F9
wait_for "保存到："
send C-u
type_text "~/波浪.csv"
send Enter
wait_for "已导出 53 名居民"
[[ -f $HOME/波浪.csv ]] || fail "~/波浪.csv was not written to the home folder"
send F9
wait_for "保存到："
send C-u
type_text "  只有名字.csv "
send Enter
wait_for "已导出 53 名居民"
[[ -f "$HOME/只有名字.csv" ]] || fail "a bare name was not written to the home folder"

step "a long ledger's progress line fits at 80 columns, Esc 取消 included"
python3 - "$E2E_TMP/长台账.csv" <<'EOF'
import sys
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
rows = ["姓名,身份证号码,联系电话,住址"]
for i in range(40000):
    body = "510902%04d%02d%02d%03d" % (1930 + i % 70, 1 + i % 12, 1 + i % 28, i % 1000)
    idn = body + "10X98765432"[sum(int(c) * k for c, k in zip(body, W)) % 11]
    rows.append("长%s,%s,139%08d,一组%d号" % ("甲乙丙丁戊己庚辛"[i % 8], idn, i, i))
open(sys.argv[1], "wb").write(("\r\n".join(rows) + "\r\n").encode("gb18030"))
EOF
send Escape
wait_for "居民 53"
send 1
wait_line '居民 +共 53 条'
send C-o
wait_for "文件："
send C-u
type_text "$E2E_TMP/长台账.csv"
send Enter
wait_line '正在分析 \[[#-]*\] [0-9]+ / 40000，还需约 [0-9]+ 秒（Esc 取消）'
send Escape
wait_for "已取消"
send Escape
wait_line '居民 +共 53 条'

step "quit"
send Escape
wait_for "居民 53"
send F10
wait_exit
[[ $EXIT_STATUS == 0 ]] || fail "exit status $EXIT_STATUS"
"$WUSHE_BIN" check --db "$DB" >/dev/null || fail "check failed after the import"

step "trial-c §7: a visits ledger whose folder takes no error file: exit 3, the rows kept in the home folder"
mkdir -p "$E2E_TMP/stick/走访_错误行.csv" "$E2E_TMP/h7"   # the name taken: not writable
python3 - "$E2E_TMP/stick/走访.csv" "$good" <<'EOF'
import sys
path, good = sys.argv[1:]
rows = ["姓名,身份证号,走访日期,走访方式,走访情况",
        "导入甲,%s,2026-11-07,电话,电话回访" % good,
        "导入甲,%s,2026-11-08,飞鸽,没有这种方式" % good]
open(path, "w", encoding="utf-8").write("\r\n".join(rows) + "\r\n")
EOF
rc=0
HOME="$E2E_TMP/h7" "$WUSHE_BIN" import visits "$E2E_TMP/stick/走访.csv" --db "$DB" \
    >"$E2E_TMP/v7.out" 2>&1 || rc=$?
[[ $rc == 3 ]] || { cat "$E2E_TMP/v7.out" >&2; fail "exit status $rc, not 3"; }
grep -qF "$E2E_TMP/h7/走访_错误行.csv" "$E2E_TMP/v7.out" || fail "the error file's place not said"
grep -q "有错误的行改写到了" "$E2E_TMP/v7.out" || fail "why it went there not said: $(cat "$E2E_TMP/v7.out")"
grep -qP "\t$good" "$E2E_TMP/h7/走访_错误行.csv" || fail "ID number not kept as text"
exit 0
