#!/usr/bin/env bash
# shellcheck disable=SC2119,SC2317  # lib functions with optional arguments; helpers run via wait_until
# Households: the list, a household's members, moving a resident to another
# household (household picker, then relation picker), deleting a resident.
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

make_demo 300

# From the demo data: a resident who is not the head of a household with at
# least two members and whose name is unique (the mover), and another household
# to move to (the target).
read -r mover_name mover_idn from_hh from_n to_hh to_n < <(python3 - "$DB" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
members = dict(c.execute(
    "SELECT household_id, count(*) FROM residents WHERE deleted_at IS NULL"
    " AND household_id IS NOT NULL GROUP BY household_id"))
number = dict(c.execute("SELECT id, number FROM households WHERE deleted_at IS NULL"))
rows = c.execute(
    "SELECT r.name, r.id_number, r.household_id FROM residents r"
    " JOIN households h ON h.id = r.household_id"
    " WHERE r.deleted_at IS NULL AND r.id_number IS NOT NULL AND r.id <> h.head_id"
    " AND (SELECT count(*) FROM residents x WHERE x.deleted_at IS NULL AND x.name = r.name) = 1"
    " AND (SELECT count(*) FROM residents x WHERE x.deleted_at IS NULL"
    "      AND instr(x.name, r.name) > 0) = 1"
    " ORDER BY r.id_number").fetchall()
name, idn, hh = next(r for r in rows if members[r[2]] >= 2)
to = max((h for h in number if h != hh), key=lambda h: number[h])
print(name, idn, number[hh], members[hh], number[to], members.get(to, 0))
EOF
)
[[ -n ${to_hh:-} ]] || fail "cannot pick a resident and households from the demo data"
echo "mover: $mover_name $mover_idn, $from_hh ($from_n) -> $to_hh ($to_n)"

# household_of NAME: household number of NAME as the CLI reports it
household_of() {
    search_residents "$1" | awk -F'\t' -v n="$1" '$2 == n { print $5 }'
}
[[ $(household_of "$mover_name") == "$from_hh" ]] || fail "CLI search: $mover_name not in $from_hh"

# mover_first: the first row of the resident list on the screen is the mover
mover_first() {
    screen | grep -E '[0-9]{3}\*{11}[0-9X]{4}' | head -n1 | grep -qE "^$mover_name +[男女] .*\*{11}${mover_idn: -4}"
}

# open_household NUMBER KEY: in the households list, select NUMBER and press
# KEY (F7, or the menu) to open its members.
open_household() {
    type_text "$1"
    wait_line "^查找 +$1"
    wait_line "^ *$1 "
    send "$2"
    wait_for "户成员：$1"
}

step "households list from residents (F6)"
start
wait_for "居民 300"
send 1
wait_line '居民 +共 300 条'
send F6
wait_line '户号 +户主 +社区/村 +人数'
wait_line '^ *H[0-9]{5} '
# the title counts what the list shows
nh=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM households WHERE deleted_at IS NULL").fetchone()[0])' "$DB")
wait_line "户 +共 $nh 条"
top=$(screen_line 0)
[[ $top == *户* ]] || fail "top line does not name the module: $top"

step "members of $from_hh (F7)"
open_household "$from_hh" F7
wait_for "$mover_name"
n=$(screen | grep -cE '[0-9]{3}\*{11}[0-9X]{4}')
[[ $n == "$from_n" ]] || fail "$from_hh shows $n members, want $from_n"
screen | grep -qE '户主' || fail "no head of household (户主) among the members"
send Escape
wait_gone "户成员："
wait_line '户号 +户主 +社区/村 +人数'

step "members of $to_hh (F7)"
send Escape         # clear the filter
wait_line '^查找 +输入'
open_household "$to_hh" F7
n=$(screen | grep -cE '[0-9]{3}\*{11}[0-9X]{4}')
[[ $n == "$to_n" ]] || fail "$to_hh shows $n members, want $to_n"
refute_screen "$mover_name"
send Escape
wait_gone "户成员："
send Escape
wait_line '^查找 +输入'
send Escape
wait_line '居民 +共 300 条'
wait_line '^姓名 +性别'

# move_to HH: F7 on the selected resident, pick household HH, up to the
# relation picker.
move_to() {
    send F7
    wait_for "迁户"
    wait_line '户号 +户主'
    type_text "$1"
    wait_line "^查找 +$1"
    wait_line "^ *$1 "
    send Enter
    wait_for "与新户主的关系"
}

step "move $mover_name to $to_hh (F7 in the residents list)"
type_text "$mover_name"
wait_line "^查找 +$mover_name"
wait_until "$mover_name is the first row" mover_first
move_to "$to_hh"
wait_line '^ *配偶'
send End
send Enter
wait_for "保留现住址："   # the new household's address differs: keep the present one
send Enter
wait_for "已迁入新户"
out=$(household_of "$mover_name")
[[ $out == "$to_hh" ]] || fail "after the move the CLI reports household '$out', want $to_hh"
# the list row shows the new household number
soft wait_line "^$mover_name .* $to_hh" 3

step "moving $mover_name back to $from_hh as 户主 is refused, naming its head"
head=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT r.name FROM households h JOIN residents r ON r.id = h.head_id WHERE h.number = ?", (sys.argv[2],)).fetchone()[0])' "$DB" "$from_hh")
move_to "$from_hh"
send Home
send Enter
wait_for "该户已有户主“$head”"
out=$(household_of "$mover_name")
[[ $out == "$to_hh" ]] || fail "a refused move changed the household to '$out'"

step "members of $to_hh now include $mover_name"
send F6
wait_line '户号 +户主 +社区/村 +人数'
type_text "$to_hh"
wait_line "^ *$to_hh .* $((to_n + 1)) "
send Escape
wait_line '^查找 +输入'
type_text "$from_hh"
wait_line "^ *$from_hh .* $((from_n - 1)) "
send Escape
wait_line '^查找 +输入'
open_household "$to_hh" F7
wait_line "^$mover_name .*其他"
n=$(screen | grep -cE '[0-9]{3}\*{11}[0-9X]{4}')
[[ $n == $((to_n + 1)) ]] || fail "$to_hh shows $n members, want $((to_n + 1))"
send Escape
wait_gone "户成员："
send Escape
wait_line '^查找 +输入'
send Escape
wait_line '^姓名 +性别'

step "delete $mover_name (F8, then → and Enter)"
send Escape         # clear the residents filter
wait_line "^查找 +输入"
type_text "$mover_name"
wait_line "^查找 +$mover_name"
wait_until "$mover_name is the first row" mover_first
send F8
# shellcheck disable=SC1111  # the program's own Chinese quotes
wait_for "删除居民“$mover_name”"
wait_for "[ 取消 ]  [ 确定 ]"
send y              # no letter answers the question
wait_for "请用 ←→ 选择"
send Enter          # 取消 is the default
wait_gone "删除居民“"
wait_line "^$mover_name +"
[[ -n $(household_of "$mover_name") ]] || fail "y or Enter deleted the resident"
send C-d
# shellcheck disable=SC1111  # the program's own Chinese quotes
wait_for "删除居民“$mover_name”"
send Right
send Enter
wait_for "已删除"
# shellcheck disable=SC1111  # the program's own Chinese quotes
wait_line "居民 · “$mover_name” +共 0 条"
wait_no_line "^$mover_name +[男女]"
out=$(search_residents "$mover_name")
[[ -z $out ]] || fail "deleted resident still found by search: $out"
"$WUSHE_BIN" check --db "$DB" | grep -qF "居民 299 人" || fail "check does not count 299 residents"
# deletion is soft: the row stays in the table, marked deleted
deleted=$(python3 -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(c.execute("SELECT count(*) FROM residents WHERE id_number = ? AND deleted_at IS NOT NULL",
                (sys.argv[2],)).fetchone()[0])' "$DB" "$mover_idn")
[[ $deleted == 1 ]] || fail "the deleted resident is not kept as a soft-deleted row"

step "a resident without an address moved takes the new household's, without a question"
read -r bare_name < <(python3 -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
r = c.execute("""SELECT r.name FROM residents r WHERE r.deleted_at IS NULL AND r.relation <> ?
    AND (SELECT count(*) FROM residents n WHERE n.name = r.name AND n.deleted_at IS NULL) = 1
    LIMIT 1""", ("head",)).fetchone()
print(r[0])' "$DB")
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("UPDATE residents SET address = ?2 WHERE name = ?1", (sys.argv[2], "")); c.commit()' "$DB" "$bare_name"
send Escape
type_text "$bare_name"
wait_line "^$bare_name "
move_to "$to_hh"
send End
send Enter
wait_for "住址已改为新户的住址"
addr=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT address FROM residents WHERE name = ?", (sys.argv[2],)).fetchone()[0])' "$DB" "$bare_name")
[[ -n $addr ]] || fail "the moved resident still has no address"

step "deleting a 户主 whose household keeps members says it has no head now"
read -r head_name head_hh < <(python3 -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(*c.execute("""SELECT r.name, h.number FROM residents r JOIN households h ON h.id = r.household_id
    WHERE r.relation = ? AND r.deleted_at IS NULL AND (SELECT count(*) FROM residents m
    WHERE m.household_id = h.id AND m.deleted_at IS NULL) > 1
    AND (SELECT count(*) FROM residents n WHERE n.name = r.name AND n.deleted_at IS NULL) = 1
    LIMIT 1""", ("head",)).fetchone())' "$DB")
[[ -n $head_name && -n $head_hh ]] || fail "no head with other members in the demo"
send Escape
type_text "$head_name"
wait_line "^$head_name "
send F8
send Right
send Enter
wait_for "户 $head_hh 现在没有户主"
send Escape

step "a new household's 户主 field says how to get a head, not only 没有找到户主"
wait_line '^查找 +输入'
send F6
wait_line '户号 +户主 +社区/村 +人数'
send F5
wait_for "新增户"
send Tab Tab
send Enter
wait_for "这一户还没有成员"
refute_screen "没有找到户主"
send Escape
wait_line '户号 +户主 +社区/村 +人数'
send Escape

step "quit"
send F10
wait_exit
[[ $EXIT_STATUS == 0 ]] || fail "exit status $EXIT_STATUS"
exit 0
