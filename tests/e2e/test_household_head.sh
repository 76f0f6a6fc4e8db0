#!/usr/bin/env bash
# shellcheck disable=SC2119,SC2317,SC1111  # lib functions with optional arguments; helpers run via wait_until; the program's Chinese quotes
# The household form names another member 户主 (issue 8.3): it asks what the
# present head becomes, refuses 户主 for them, changes nothing when the
# question is cancelled, and saves both relations with the household, so
# that `wushe check` finds the heads in agreement.
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

make_demo 120

# A household with exactly two members, its head first: number, head, other.
read -r hh head other < <(python3 - "$DB" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for hid, number in c.execute("SELECT id, number FROM households WHERE deleted_at IS NULL"
                             " ORDER BY number"):
    m = c.execute("SELECT name, relation FROM residents WHERE household_id = ?"
                  " AND deleted_at IS NULL ORDER BY relation <> 'head', id", (hid,)).fetchall()
    names = [n for n, _ in m]
    if len(m) == 2 and m[0][1] == "head" and m[1][1] != "head" and len(set(names)) == 2:
        print(number, m[0][0], m[1][0])
        break
EOF
)
[[ -n ${other:-} ]] || fail "no household with two members in the demo data"
echo "household $hh: head $head, other $other"

# relation NAME: the stored relation code of NAME in $hh
relation() {
    python3 - "$DB" "$hh" "$1" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(c.execute("SELECT r.relation FROM residents r JOIN households h ON h.id = r.household_id"
                " WHERE h.number = ? AND r.name = ? AND r.deleted_at IS NULL",
                sys.argv[2:]).fetchone()[0])
EOF
}

# pick_other_head: with the focus on the head field, open its picker and
# choose $other
pick_other_head() {
    send Enter
    wait_for "请选择：户主"
    # the members answer their initials as in every list
    local initials
    initials=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT name_initials FROM residents WHERE name = ? AND deleted_at IS NULL", (sys.argv[2],)).fetchone()[0])' "$DB" "$other")
    type_text "$initials"
    wait_line "^ *$other "
    send Enter
    wait_for "原户主“$head”与新户主的关系"
    # the old head cannot stay 户主: it is not offered
    wait_line '^配偶'
    if screen | grep -qE '^户主 *$'; then fail "户主 is offered for the old head"; fi
}

step "open $hh in the household form"
start
wait_for "居民 120"
send 1
wait_line '居民 +共 120 条'
send F6
wait_line '户号 +户主 +社区/村 +人数'
type_text "$hh"
wait_line "^ *$hh "
send Enter
wait_for "编辑户"
wait_line "^ *户主 +$head ▾"
send Tab
send Tab

step "Esc on the question changes nothing"
pick_other_head
send Escape
wait_for "编辑户"
wait_line "^ *户主 +$head ▾"
refute_screen "[未保存]"

step "户主 for the old head is not offered"
pick_other_head
type_text "户主"
wait_for "没有这个选项"
send Enter            # nothing chosen
send Escape
send Escape
wait_gone "原户主“"
wait_line "^.?户主 +$head ▾"

step "父母: both relations and the head change with one save"
pick_other_head
type_text "父母"
wait_line '^ *父母 *$'
send Enter
wait_line "^ *户主 +$other（原户主${head}改为父母） ▾"
wait_for "[未保存]"
[[ $(relation "$other") != head ]] || fail "saved before F2"
send F2
wait_for "已保存"
wait_line "^ *$hh +$other "
[[ $(relation "$other") == head ]] || fail "$other is not 户主 after the save"
[[ $(relation "$head") == parent ]] || fail "$head is not 父母 after the save"
"$WUSHE_BIN" check --db "$DB" >"$E2E_TMP/check.out" || fail "check after the change: $(cat "$E2E_TMP/check.out")"
send F10
wait_exit
[[ $EXIT_STATUS == 0 ]] || fail "exit status $EXIT_STATUS"
