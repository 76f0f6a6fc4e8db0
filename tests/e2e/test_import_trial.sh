#!/usr/bin/env bash
# shellcheck disable=SC2119,SC2317  # lib functions with optional arguments; helpers run via wait_until
# What a clerk's trial left over in the imports, through the real binary:
# an error file the clerk corrected is kept under 台账_错误行_旧.csv when the
# ledger is imported again (the CLI says so), and after a run without
# errors the console's import screen says the earlier one is out of date;
# a communities ledger's 青石村村委会 is the registered 青石村; a phone cell
# with two numbers keeps both, and a run again is 无变化.
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

make_demo 50

printf '姓名,性别\n试导甲,男\n试导乙,不详\n' >"$E2E_TMP/台账.csv"
errs=$E2E_TMP/台账_错误行.csv

step "an error file the clerk corrected is not written over"
"$WUSHE_BIN" import residents "$E2E_TMP/台账.csv" --db "$DB" >"$E2E_TMP/one.out" 2>&1
[[ -f $errs ]] || fail "no error file: $(cat "$E2E_TMP/one.out")"
printf '试导丙,女\r\n' >>"$errs"
"$WUSHE_BIN" import residents "$E2E_TMP/台账.csv" --db "$DB" >"$E2E_TMP/two.out" 2>&1
grep -q "没有覆盖，已改名为 .*台账_错误行_旧.csv" "$E2E_TMP/two.out" \
    || fail "not said: $(cat "$E2E_TMP/two.out")"
grep -q 试导丙 "$E2E_TMP/台账_错误行_旧.csv" || fail "the corrected file was not kept"
grep -q 试导丙 "$errs" && fail "the corrected file was written over"

step "the ledger corrected, imported in the console: the error file is out of date"
printf '姓名,性别\n试导甲,男\n试导乙,女\n' >"$E2E_TMP/台账.csv"
start
wait_for "居民 "
send 1
wait_line '居民 +共'
send C-o
wait_for "文件："
type_text "$E2E_TMP/台账.csv"
send Enter
wait_for "导入预览"
send F2
wait_for "已导入"
wait_for "这次没有错误行"
wait_for "已经过时"
[[ -f $errs ]] && fail "the out-of-date error file is still under its name"
[[ -f "$E2E_TMP/台账_错误行_旧-2.csv" ]] || fail "the out-of-date error file is gone"
send Escape

step "wushe import communities: 青石村村委会 is 青石村"
printf '名称,区划代码\n青石村村委会,510902100201\n' >"$E2E_TMP/社区.csv"
"$WUSHE_BIN" import communities "$E2E_TMP/社区.csv" --db "$DB" >"$E2E_TMP/comm.out" 2>&1 \
    || fail "communities import failed: $(cat "$E2E_TMP/comm.out")"
n=$(sqlite3 "$DB" "SELECT count(*) FROM communities WHERE name LIKE '青石村%'")
[[ $n == 1 ]] || fail "青石村 twice: $(cat "$E2E_TMP/comm.out")"

step "two phones in one cell"
printf '姓名,性别,联系电话\n两号甲,男,13812345671/13987654371\n' >"$E2E_TMP/电话.csv"
"$WUSHE_BIN" import residents "$E2E_TMP/电话.csv" --db "$DB" >"$E2E_TMP/ph1.out" 2>&1 \
    || fail "import failed: $(cat "$E2E_TMP/ph1.out")"
grep -q "两个号码" "$E2E_TMP/ph1.out" || fail "not said: $(cat "$E2E_TMP/ph1.out")"
"$WUSHE_BIN" import residents "$E2E_TMP/电话.csv" --db "$DB" >"$E2E_TMP/ph2.out" 2>&1 \
    || fail "import again failed: $(cat "$E2E_TMP/ph2.out")"
grep -q "无变化 1" "$E2E_TMP/ph2.out" || fail "not unchanged: $(cat "$E2E_TMP/ph2.out")"
notes=$(sqlite3 "$DB" "SELECT notes FROM residents WHERE name = '两号甲'")
[[ $notes == "另一电话：13987654371" ]] || fail "notes: $notes"

exit 0
