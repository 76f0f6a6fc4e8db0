#!/usr/bin/env bash
# shellcheck disable=SC2119,SC2317,SC1111  # lib functions with optional arguments; helpers run via wait_until; the program's own Chinese quotes
# Lists by what the home screen counts (issue 8): each count on the home
# screen opens the residents list filtered to it; the search box takes
# filter words (低保, a community's name, 60岁以上, 户H00012) with the search
# text, the title says what the filter shows and counts it, paging works
# both ways, and `wushe export residents --filter` reads the same words.
# A move offers the new household's address; F9 never overwrites an earlier
# export without asking.
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

make_demo 300

# sql QUERY [ARGS...]: first column of the first row.
sql() {
    python3 - "$DB" "$@" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
r = c.execute(sys.argv[2], sys.argv[3:]).fetchone()
print(r[0] if r else "")
EOF
}

# What the filters should count, from the database (TODAY 2026-11-23: 60
# or older = born on or before 1966-11-23; under 18 = born after 2008-11-23).
dibao=$(sql "SELECT count(*) FROM resident_groups g JOIN residents r ON r.id = g.resident_id
             WHERE g.group_code = 'dibao' AND r.deleted_at IS NULL")
community=$(sql "SELECT c.name FROM resident_groups g JOIN residents r ON r.id = g.resident_id
                 JOIN communities c ON c.id = r.community_id WHERE g.group_code = 'dibao'
                 AND r.deleted_at IS NULL GROUP BY c.id ORDER BY count(*) DESC, c.name LIMIT 1")
dibao_c=$(sql "SELECT count(*) FROM resident_groups g JOIN residents r ON r.id = g.resident_id
               JOIN communities c ON c.id = r.community_id
               WHERE g.group_code = 'dibao' AND r.deleted_at IS NULL AND c.name = ?" "$community")
in_c=$(sql "SELECT count(*) FROM residents r JOIN communities c ON c.id = r.community_id
            WHERE r.deleted_at IS NULL AND c.name = ?" "$community")
old=$(sql "SELECT count(*) FROM residents WHERE deleted_at IS NULL AND birth_date > ''
           AND birth_date <= '1966-11-23'")
minors=$(sql "SELECT count(*) FROM residents WHERE deleted_at IS NULL AND birth_date > '2008-11-23'")
echo "低保 $dibao, $community $in_c (低保 $dibao_c), 60岁以上 $old, 18岁以下 $minors"
((dibao > 20 && dibao_c > 0 && old > 0 && minors > 0)) || fail "the demo data lacks what this test needs"

step "CLI: export --filter and search read the filter words"
"$WUSHE_BIN" export residents --filter 低保 --db "$DB" >"$E2E_TMP/dibao.csv" 2>"$E2E_TMP/err" \
    || fail "export --filter 低保 failed: $(cat "$E2E_TMP/err")"
n=$(($(wc -l <"$E2E_TMP/dibao.csv") - 1))
[[ $n == "$dibao" ]] || fail "export --filter 低保 wrote $n rows, want $dibao"
grep -qF "低保" "$E2E_TMP/dibao.csv" || fail "the export does not name the 低保 status"
"$WUSHE_BIN" export residents --filter "低保 $community" --db "$DB" >"$E2E_TMP/both.csv" \
    || fail "export --filter '低保 $community' failed"
n=$(($(wc -l <"$E2E_TMP/both.csv") - 1))
[[ $n == "$dibao_c" ]] || fail "export --filter '低保 $community' wrote $n rows, want $dibao_c"
n=$("$WUSHE_BIN" search residents 60岁以上 --db "$DB" | wc -l)
[[ $n == "$old" ]] || fail "search 60岁以上 found $n, want $old"
# the names in list order: what the console must page through
"$WUSHE_BIN" search residents 低保 --db "$DB" | cut -f2 >"$E2E_TMP/dibao_names"
first=$(head -n1 "$E2E_TMP/dibao_names")
last=$(tail -n1 "$E2E_TMP/dibao_names")

step "home: the counts are a way in; 低保对象 opens the list filtered to it"
start
wait_for "低保对象 $dibao"
wait_for "60岁以上 $old"
wait_for "18岁以下 $minors"
wait_for "Enter 看它的名单"
# chosen TEXT: the count starting with TEXT is drawn in reverse video
chosen() { screen_esc | grep -qF $'\e[7m'"$1"; }
chosen "居民 300" || fail "the first count is not chosen"
send Down           # the age bands
send Down           # the groups: 低保对象 first
wait_until "低保对象 is chosen" chosen "低保对象 $dibao"
send Enter
wait_line "居民 · 低保 +共 $dibao 条"
wait_line '^查找 +低保$'
wait_line "^$first +[男女]"

step "paging the filtered list: End, Home, PgDn, PgUp"
send End
wait_line "^$last +[男女]"
send Home
wait_line "^$first +[男女]"
send PgDn           # to the page's last row
send PgDn           # the next page
wait_no_line "^$first +[男女]"
send PgUp
send PgUp
wait_line "^$first +[男女]"
rows=$(list_rows)
((rows > 0)) || fail "no rows"
if screen | grep -E '[0-9]{3}\*{11}[0-9X]{4}' | grep -qvE '低保'; then
    fail "a row without 低保 in the 低保 list"
fi

step "words combine: 低保 and a community"
type_text " $community"
wait_line "居民 · 低保 · $community +共 $dibao_c 条"
if screen | grep -E '[0-9]{3}\*{11}[0-9X]{4}' | grep -qvF "$community"; then
    fail "a row outside $community"
fi
send Escape         # clears the search box
wait_line '居民 +共 300 条'
wait_line '^查找 +输入'
send Escape
wait_for "低保对象 $dibao"

step "home: 60岁以上 (up from 低保对象), then a community (社区/村, picker)"
send Up
send Enter
wait_line "居民 · 60岁以上 +共 $old 条"
send Escape
send Escape
wait_for "低保对象 $dibao"
send Up             # the first line: 居民 户 社区/村
send Right
send Right
send Enter
wait_for "请选择：社区/村"
type_text "$community"
wait_line "^ *$community"
send Enter
wait_line "居民 · $community +共 $in_c 条"
send Escape
send Escape
wait_for "低保对象 $dibao"

step "F1 and the menu on the home screen name the keys"
send F1
wait_line '^ *Enter +打开/编辑'
wait_line '^ *→ / Tab +下一项'
send Escape
wait_for "低保对象 $dibao"
send F12
wait_line '^ *打开/编辑 +Enter'
send Escape
wait_for "低保对象 $dibao"

# A resident whose household's address differs from the one of another
# household (the target).
read -r mover hh_from hh_to to_addr < <(python3 - "$DB" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
r = c.execute(
    "SELECT r.name, h.number, r.address FROM residents r JOIN households h ON h.id = r.household_id"
    " WHERE r.deleted_at IS NULL AND r.relation <> 'head' AND r.address <> ''"
    " AND (SELECT count(*) FROM residents x WHERE x.deleted_at IS NULL"
    "      AND instr(x.name, r.name) > 0) = 1 ORDER BY r.id LIMIT 1").fetchone()
t = c.execute("SELECT number, address FROM households WHERE deleted_at IS NULL AND address <> ''"
              " AND address <> ? AND number <> ? ORDER BY number DESC LIMIT 1", (r[2], r[1])).fetchone()
print(r[0], r[1], t[0], t[1])
EOF
)
[[ -n ${to_addr:-} ]] || fail "no resident and household to move between"
addr_of() { sql "SELECT address FROM residents WHERE name = ? AND deleted_at IS NULL" "$mover"; }
from_addr=$(addr_of)
audits() { sql "SELECT count(*) FROM audit_log WHERE table_name = 'residents'"; }

# move MOVER to household HH, as 其他亲属, up to the address question
move_to() {
    type_text "$mover"
    wait_line "^$mover +[男女]"
    send F7
    wait_line '户号 +户主'
    type_text "$1"
    wait_line "^ *$1 "
    send Enter
    wait_for "与新户主的关系"
    type_text 其他亲属
    wait_line '^ *其他亲属'
    send Enter
}

step "a move offers the new household's address ($mover: $hh_from -> $hh_to)"
send 1
wait_line '居民 +共 300 条'
before=$(audits)
move_to "$hh_to"
wait_for "住址（新户的住址与现住址不同）"
wait_line "^ *保留现住址：$from_addr"
wait_line "^ *改用新户住址：$to_addr"
send Down
send Enter
wait_for "住址已改为新户的住址"
[[ $(addr_of) == "$to_addr" ]] || fail "the address is '$(addr_of)', want $to_addr"
[[ $(audits) == $((before + 1)) ]] || fail "the move wrote $(($(audits) - before)) audit rows of residents, want 1"
n=$("$WUSHE_BIN" search residents "$to_addr" --db "$DB" | grep -cF "$mover")
[[ $n == 1 ]] || fail "the search does not find $mover by the new address"

step "moving back, keeping the address (the first choice)"
send Escape
wait_line '^查找 +输入'
move_to "$hh_from"
wait_line "^ *保留现住址：$to_addr"
send Enter
wait_for "已迁入新户"
[[ $(addr_of) == "$to_addr" ]] || fail "keeping the address changed it to '$(addr_of)'"
[[ $(sql "SELECT h.number FROM residents r JOIN households h ON h.id = r.household_id
          WHERE r.name = ?" "$mover") == "$hh_from" ]] || fail "$mover was not moved back"

step "F9 proposes a new name for a second export of the day; overwriting asks"
send Escape
wait_line '^查找 +输入'
send F9
wait_for "保存到："
wait_for "居民_20261123.xlsx"
send Enter
wait_for "已导出 300 名居民"
[[ -s $HOME/居民_20261123.xlsx ]] || fail "no export file"
first_sha=$(sha "$HOME/居民_20261123.xlsx")
type_text 低保
wait_line "居民 · 低保 +共 $dibao 条"
send F9
wait_for "居民_20261123(2).xlsx"
send Enter
wait_for "已导出 $dibao 名居民"
[[ -s $HOME/居民_20261123\(2\).xlsx ]] || fail "no second export file"
[[ $(sha "$HOME/居民_20261123.xlsx") == "$first_sha" ]] || fail "the first export was overwritten"
# the clerk types the first file's name: asked, 取消 first
send F9
wait_for "居民_20261123(3).xlsx"
send C-u
type_text "$HOME/居民_20261123.xlsx"
send Enter
wait_for "文件“居民_20261123.xlsx”已经存在，覆盖它吗？"
wait_for "[ 取消 ]  [ 确定 ]"
send Enter
wait_for "已取消"
[[ $(sha "$HOME/居民_20261123.xlsx") == "$first_sha" ]] || fail "取消 overwrote the export"
send F9
wait_for "保存到："
send C-u
type_text "$HOME/居民_20261123.xlsx"
send Enter
wait_for "已经存在，覆盖它吗？"
send Right
send Enter
wait_for "已导出 $dibao 名居民"
[[ $(sha "$HOME/居民_20261123.xlsx") != "$first_sha" ]] || fail "确定 did not overwrite the export"

step "the residents' recycle bin is in the list's menu (F4, Ctrl-R)"
send F12
wait_line '^ *回收站 +F4 / Ctrl-R'
send Escape
wait_gone "功能菜单："

step "quit"
send F10
wait_exit
[[ $EXIT_STATUS == 0 ]] || fail "exit status $EXIT_STATUS"
exit 0
