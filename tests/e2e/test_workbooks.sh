#!/usr/bin/env bash
# shellcheck disable=SC2119,SC2317  # lib functions with optional arguments; helpers run via wait_until
# Excel workbooks in through the console (issue 14): an .xlsx ledger whose
# first sheet is a note and whose second has a merged title, the header on
# row 3, a date cell, a phone typed as a number and an ID number typed as a
# number; its path typed with Tab completion (a second Tab lists the
# names) and picked with ↓; no header on the first sheet, F4 chooses the
# other; the preview names the sheet; F2 imports; then F9 in the
# households list exports them.
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

make_demo 50
good=$(id_number 51090219900101001)
mkdir -p "$HOME/台账2026"
: >"$HOME/台账2026/旧名单.csv"

# The workbook, part by part (Python's zipfile: no library writes it here).
python3 - "$HOME/台账2026/幸福社区花名册.xlsx" "$good" <<'EOF'
import sys, zipfile
path, good = sys.argv[1:]
strings = ["幸福社区居民花名册", "序号", "姓名", "性别", "身份证号", "出生日期", "联系电话",
           "表格导入甲", "男", good, "表格导入乙", "女"]
si = "".join("<si><t>%s</t></si>" % s for s in strings)
def s(ref, i): return '<c r="%s" t="s"><v>%d</v></c>' % (ref, i)
def n(ref, v, style=0): return '<c r="%s" s="%d"><v>%s</v></c>' % (ref, style, v)
rows = [
    '<row r="1">%s<c r="B1" s="2"/><c r="C1" s="2"/></row>' % s("A1", 0),
    '<row r="3">%s</row>' % "".join(s("%s3" % c, i + 1) for i, c in enumerate("ABCDEF")),
    '<row r="4">%s%s%s%s%s%s</row>' % (n("A4", 1), s("B4", 7), s("C4", 8), s("D4", 9),
                                       n("E4", 32874, 1), n("F4", 13812345678)),
    '<row r="5">%s%s%s%s%s</row>' % (n("A5", 2), s("B5", 10), s("C5", 11),
                                     n("D5", "5.1090219900101E+17"), n("E5", 32875, 1)),
]
sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
         'spreadsheetml/2006/main"><sheetData>%s</sheetData>'
         '<mergeCells count="1"><mergeCell ref="A1:F2"/></mergeCells></worksheet>') % "".join(rows)
ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
    z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook %s xmlns:r="%s"><sheets>'
               '<sheet name="填表说明" sheetId="2" r:id="rId4"/>'
               '<sheet name="花名册" sheetId="1" r:id="rId1"/></sheets></workbook>' % (ns, rel))
    z.writestr("xl/_rels/workbook.xml.rels",
               '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               '<Relationship Id="rId1" Type="%s/worksheet" Target="worksheets/sheet1.xml"/>'
               '<Relationship Id="rId2" Type="%s/sharedStrings" Target="sharedStrings.xml"/>'
               '<Relationship Id="rId3" Type="%s/styles" Target="styles.xml"/>'
               '<Relationship Id="rId4" Type="%s/worksheet" Target="worksheets/sheet2.xml"/>'
               '</Relationships>' % (rel, rel, rel, rel))
    z.writestr("xl/styles.xml", '<?xml version="1.0"?><styleSheet %s><numFmts count="1">'
               '<numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>'
               '</numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="176"/>'
               '<xf numFmtId="0"/></cellXfs></styleSheet>' % ns)
    z.writestr("xl/sharedStrings.xml", '<?xml version="1.0"?><sst %s count="%d">%s</sst>'
               % (ns, len(strings), si))
    z.writestr("xl/worksheets/sheet1.xml", sheet)
    z.writestr("xl/worksheets/sheet2.xml", '<worksheet %s><sheetData><row r="1"><c r="A1" '
               't="inlineStr"><is><t>身份证号请设为文本格式</t></is></c></row></sheetData>'
               '</worksheet>' % ns)
EOF

# Two workbooks of one sheet that are no residents ledger: the households
# and the access log as exported.
"$WUSHE_BIN" export households "$HOME/户籍表.xlsx" --db "$DB" >/dev/null 2>&1 \
    || fail "export households"
"$WUSHE_BIN" export access-log "$HOME/日志.xlsx" --db "$DB" >/dev/null 2>&1 \
    || fail "export access-log"
# A workbook whose first sheet, last year's list, is hidden.
python3 - "$HOME/隐藏表.xlsx" <<'EOF'
import sys, zipfile
ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
def sheet(name):
    cells = "".join('<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c></row>'
                    % (i + 1, i + 1, v) for i, v in enumerate(["姓名", name]))
    return '<worksheet %s><sheetData>%s</sheetData></worksheet>' % (ns, cells)
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("xl/workbook.xml", '<workbook %s xmlns:r="%s"><sheets>'
               '<sheet name="去年" sheetId="1" state="hidden" r:id="rId1"/>'
               '<sheet name="今年" sheetId="2" r:id="rId2"/></sheets></workbook>' % (ns, rel))
    z.writestr("xl/_rels/workbook.xml.rels",
               '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               '<Relationship Id="rId1" Type="%s/worksheet" Target="worksheets/sheet1.xml"/>'
               '<Relationship Id="rId2" Type="%s/worksheet" Target="worksheets/sheet2.xml"/>'
               '</Relationships>' % (rel, rel))
    z.writestr("xl/worksheets/sheet1.xml", sheet("去年的人"))
    z.writestr("xl/worksheets/sheet2.xml", sheet("今年的人"))
EOF

step "the import screen: Tab completes the folder, a second Tab lists its names"
start
wait_for "居民 50"
send 1
wait_line '居民 +共 50 条'
send C-o
wait_for "导入居民台账"
wait_for "Tab 补全文件名"
type_text "~/台"
send Tab
wait_line '文件： *~/台账2026/ *$'
send Tab
wait_for "可选：旧名单.csv  幸福社区花名册.xlsx"  # in pinyin order
type_text "幸"
send Tab
wait_line '文件： *~/台账2026/幸福社区花名册.xlsx *$'

step "↓: a folder opens on Enter; long names show both ends, found by initials and their end (trial C #11)"
long="青石镇二〇二六年十一月困难群众和低保边缘家庭及临时救助对象花名册汇总表（各村社区报送）"
mkdir -p "$HOME/台账2026/汇总"
printf '姓名\n张三\n' >"$HOME/台账2026/汇总/${long}初稿.csv"
printf '姓名\n张三\n' >"$HOME/台账2026/汇总/${long}最终版确认版.csv"
send C-u
type_text "~/台账2026/"
send Down
wait_for "请选择：台账和 U 盘"
type_text "hz"     # 汇总
wait_gone "旧名单.csv"
send Enter         # the folder opens, as a file manager's Enter does
wait_line '^ *青石镇.*….*初稿.csv'
wait_line '^ *青石镇.*….*最终版确认版.csv'
type_text "cg"     # 初稿, at the end of a long name
wait_gone "最终版确认版.csv"
wait_for "初稿.csv"
type_text "xxq"
wait_for "没有名字相符的台账或 U 盘"
send Escape
send Escape
wait_gone "请选择：台账和 U 盘"
wait_line '文件： *.*/台账2026/汇总/ *$'

step "↓ picks from the folder's ledgers"
send C-u
type_text "~/台账2026/"
send Down
wait_for "请选择：台账和 U 盘"
wait_line '^ *旧名单.csv'
type_text "xfsq"   # the pinyin initials of 幸福社区 find it
wait_gone "旧名单.csv"
send Enter
wait_line '文件： *.*/台账2026/幸福社区花名册.xlsx *$'

step "no header on the first sheet: F4 chooses another"
send Enter
wait_for "找不到表头：工作表“填表说明”的前 10 行中没有“姓名”列"
wait_for "表头在别的工作表上时，请按 F4 换工作表"
wait_for "这个工作簿里的工作表有：填表说明、花名册"  # trial-c §18: the real names
# trial-c §18: the key bar lists the F4 the screen tells the clerk to press
wait_line '预览 .*F4 换工作表'
send F4
wait_for "请选择：工作表"
type_text "hmc"
wait_gone "填表说明"
send Enter

step "the preview names the sheet and the header row; the ID typed as a number is refused"
wait_for "导入预览"
wait_for "工作簿中还有：填表说明（按 F4 换工作表）"
wait_for "Excel 工作簿，工作表“花名册”，表头在第 3 行，数据 2 行"
wait_line '试运行，未写入：新增 1，更新 0，无变化 0，疑似重复 0，文件内重复 0，有错误 1'
send End
wait_for "科学计数法"
[[ $(search_residents 表格导入甲 | grep -c .) == 0 ]] || fail "the preview wrote a resident"

step "F2 imports: the date and the phone as the workbook shows them"
send F2
wait_line '已导入：新增 1，更新 0，无变化 0，疑似重复 0（待核对），文件内重复 0，有错误 1'
wait_for "幸福社区花名册_错误行.csv"
[[ -f "$HOME/台账2026/幸福社区花名册_错误行.csv" ]] || fail "no error file beside the workbook"
grep -q "表格导入乙" "$HOME/台账2026/幸福社区花名册_错误行.csv" || fail "error file without the refused row"
row=$(search_residents 表格导入甲)
grep -qF "$good" <<<"$row" || fail "not imported: $row"
born=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT birth_date FROM residents WHERE name = ?", ("表格导入甲",)).fetchone()[0])' "$DB")
[[ $born == 1990-01-01 ]] || fail "the date cell: $born"
grep -q "13812345678" <<<"$row" || fail "the phone cell: $row"

step "another kind's ledger says which command imports it; one sheet, no F4 hint"
send Escape
wait_line '居民 +共 51 条'
send C-o
wait_for "导入居民台账"
send C-u
type_text "~/户籍表.xlsx"
send Enter
wait_for "“户籍表.xlsx”看来是户台账"
wait_for "wushe import households"
refute_screen "F4 换工作表"
send C-u
type_text "~/日志.xlsx"
send Enter
wait_for "找不到表头：工作表"
wait_gone "看来是户台账"
refute_screen "F4 换工作表"
refute_screen "wushe import"

step "a hidden first sheet: the first visible one is read, the hidden one named as such"
send C-u
type_text "~/隐藏表.xlsx"
send Enter
wait_for "Excel 工作簿，工作表“今年”，表头在第 1 行，数据 1 行"
wait_for "工作簿中还有：去年（已隐藏）（按 F4 换工作表）"
# trial-c §18: F4's list marks the hidden sheet too, and reads it by its name
send F4
wait_for "请选择：工作表"
wait_line '^ *去年（已隐藏）'
send Enter
wait_for "Excel 工作簿，工作表“去年”，表头在第 1 行，数据 1 行"
send Escape
wait_for "Tab 补全文件名"
send Escape

step "F9 in the households list exports what it shows"
wait_line '居民 +共 51 条'
send F6
wait_line '户号 +户主 +社区/村 +人数'
send F9
wait_for "导出户"
wait_for "保存到："
send C-u
type_text "~/户.xlsx"
send Enter
nh=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM households WHERE deleted_at IS NULL").fetchone()[0])' "$DB")
wait_for "已导出 $nh 户到"
unzip -p "$HOME/户.xlsx" xl/worksheets/sheet1.xml >/dev/null || fail "no workbook written"

send F10
wait_exit
[[ $EXIT_STATUS == 0 ]] || fail "exit status $EXIT_STATUS"
exit 0
