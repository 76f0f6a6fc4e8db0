#!/usr/bin/env bash
# shellcheck disable=SC2317,SC1111  # helpers run via wait_until; the program's Chinese quotes
# The command line runs as an account (issue 10): wushe user add|list|disable|
# enable|passwd|reset, --user, WUSHE_USER/WUSHE_PASSWORD, the sessions of
# wushe login and logout; new station files 0600 in 0700 folders; and bad
# input and attempts, each with a clear message and nothing left behind but
# the record of the attempt in access_log.
# shellcheck source=tests/e2e/lib.sh
. "${E2E_LIB:-$(dirname "$0")/lib.sh}"

# Every command here says who it is on its own line.
unset WUSHE_USER WUSHE_PASSWORD WUSHE_NEW_PASSWORD
export XDG_RUNTIME_DIR=$E2E_TMP/run
mkdir -m 700 "$XDG_RUNTIME_DIR"

W=$WUSHE_BIN
OUT=$E2E_TMP/out
ERR=$E2E_TMP/err
PW=wushe-demo

# run [VAR=VALUE...] ARGS...: the CLI with those variables, no terminal
# (setsid: a password is read from stdin, here empty); exit status in RC.
RC=0
INPUT=""
run() {
    local -a envs=()
    while [[ ${1:-} == *=* && ${1:0:1} != - ]]; do
        envs+=("$1")
        shift
    done
    RC=0
    printf '%s' "$INPUT" | env "${envs[@]}" setsid -w "$W" "$@" >"$OUT" 2>"$ERR" || RC=$?
    INPUT=""
}
# feed TEXT: what the next run reads on stdin (a line a password)
feed() { INPUT=$1; }
show() { echo "exit $RC; stdout: $(head -c 800 "$OUT"); stderr: $(head -c 800 "$ERR")"; }
as() { local u=$1 p=$2; shift 2; run WUSHE_USER="$u" WUSHE_PASSWORD="$p" "$@"; }
says() { grep -qF -- "$1" "$ERR" || fail "stderr does not say \"$1\": $(show)"; }
# no_escape: nothing typed came back raw to the terminal
no_escape() {
    if grep -qP '\x1b' "$OUT" "$ERR"; then
        fail "an escape character reached the terminal: $(show | cat -v)"
    fi
}
q() { python3 -c 'import sqlite3, sys; r = sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone(); print("" if r is None else r[0])' "$DB" "$1"; }
mode() { stat -c %a "$1"; }
# state: everything but the access log (which records attempts)
state() {
    python3 - "$DB" <<'EOF'
import hashlib, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
h = hashlib.sha256()
for t in ("residents", "households", "audit_log", "sessions"):
    for r in c.execute("SELECT * FROM %s ORDER BY 1" % t):
        h.update(repr(r).encode())
for r in c.execute("SELECT id, login, display_name, role, active, password_hash, must_change"
                   " FROM accounts ORDER BY id"):
    h.update(repr(r).encode())
print(h.hexdigest())
EOF
}
# stop_console FILE: end the console started on FILE and wait until it has gone
stop_console() {
    _tmux kill-server
    local deadline=$(($(_now_ms) + E2E_TIMEOUT * 1000))
    while pgrep -f -- "$W.*$1" >/dev/null; do
        (($(_now_ms) > deadline)) && fail "the console on $1 did not end"
        sleep 0.05
    done
}
access_rows() { q "SELECT count(*) FROM access_log"; }
last_access() { q "SELECT event || ' ' || login || ' ' || coalesce(detail, '') FROM access_log ORDER BY id DESC LIMIT 1"; }

step "a new demo station: the file 0600, its new folders 0700, even with umask 000"
(umask 000 && "$W" demo "$E2E_TMP/new/dir/demo.db" --residents 50 >"$OUT" 2>"$ERR") \
    || fail "demo: $(cat "$ERR")"
[[ $(mode "$E2E_TMP/new/dir/demo.db") == 600 ]] || fail "demo file mode $(mode "$E2E_TMP/new/dir/demo.db")"
[[ $(mode "$E2E_TMP/new/dir") == 700 && $(mode "$E2E_TMP/new") == 700 ]] \
    || fail "folder modes $(mode "$E2E_TMP/new") $(mode "$E2E_TMP/new/dir")"
DB=$E2E_TMP/new/dir/demo.db

step "the -wal and -shm of an open station are 0600 too"
start_cmd env -u WUSHE_USER -u WUSHE_PASSWORD "$W" --db "$DB"
wait_until "the console has the station open" test -e "$DB-shm"
[[ $(mode "$DB-wal") == 600 && $(mode "$DB-shm") == 600 ]] \
    || fail "-wal $(mode "$DB-wal"), -shm $(mode "$DB-shm")"
stop_console "$DB"

step "--demo makes the default demo station 0600 in a 0700 folder"
start_cmd env -u WUSHE_USER -u WUSHE_PASSWORD "$W" --demo --residents 30
wait_until "the demo station exists" test -e "$XDG_DATA_HOME/wushe/demo.db-shm"
[[ $(mode "$XDG_DATA_HOME/wushe/demo.db") == 600 ]] || fail "demo.db $(mode "$XDG_DATA_HOME/wushe/demo.db")"
[[ $(mode "$XDG_DATA_HOME/wushe") == 700 ]] || fail "data folder $(mode "$XDG_DATA_HOME/wushe")"
stop_console --demo

step "a first start makes a station file 0600, with no account yet"
FIRST=$E2E_TMP/first/station.db
start_cmd env -u WUSHE_USER -u WUSHE_PASSWORD "$W" --db "$FIRST"
wait_for "输入 y 并按 Enter 新建"
type_text y
send Enter
# (open and migrated: it asks for the first 站长; the -shm file alone comes
# before the migration is written, and a stop then left an empty file)
wait_line '│ (建立站长账户|Station head account) '
wait_until "the new station is open" test -e "$FIRST-shm"
[[ $(mode "$FIRST") == 600 && $(mode "$FIRST-wal") == 600 && $(mode "$E2E_TMP/first") == 700 ]] \
    || fail "first start: file $(mode "$FIRST"), -wal $(mode "$FIRST-wal"), folder $(mode "$E2E_TMP/first")"
stop_console "$FIRST"

step "a station without accounts: commands name wushe user add; the first account must be a 站长"
DB=$FIRST
run search residents 王 --db "$DB"
[[ $RC == 1 ]] || fail "search without accounts: $(show)"
says "wushe user add"
run WUSHE_NEW_PASSWORD=wang-pass-1 user add wang --role 社工 --name 王芳 --db "$DB"
[[ $RC == 1 ]] || fail "a first account as 社工: $(show)"
says "第一个账户必须是站长"
[[ $(q "SELECT count(*) FROM accounts") == 0 ]] || fail "an account was made"

step "user add makes the first 站长 without a login; the password twice, no echo (stdin here)"
feed $'wang-pass-1\nwang-pass-2\n'
run user add wang --role 站长 --name 王建华 --db "$DB"
[[ $RC == 1 ]] || fail "two different passwords: $(show)"
says "两次输入的密码不一致"
[[ $(q "SELECT count(*) FROM accounts") == 0 ]] || fail "mismatched passwords made an account"
feed $'wang-pass-1\nwang-pass-1\n'
run user add WANG --role 站长 --name 王建华 --phone 13900001111 --db "$DB"
[[ $RC == 0 ]] || fail "the first 站长: $(show)"
grep -qF "已建立账户 wang：王建华，站长" "$OUT" || fail "no confirmation: $(show)"
grep -qF "wang-pass-1" "$OUT" "$ERR" && fail "the password was echoed: $(show)"
[[ $(q "SELECT password_hash LIKE '\$argon2id\$%' FROM accounts WHERE login = 'wang'") == 1 ]] \
    || fail "no Argon2id hash"
run user add li --role 社工 --name 李四 --db "$DB"
[[ $RC == 1 ]] || fail "a second account without a login: $(show)"
says "需要先登录"

step "user add as the 站长: roles by label or code; bad names and passwords refused before anything is written"
as wang wang-pass-1 WUSHE_NEW_PASSWORD=li-pass-12 user add li --role worker --name 李四 --db "$DB"
[[ $RC == 0 ]] || fail "add li: $(show)"
[[ $(q "SELECT role FROM accounts WHERE login = 'li'") == worker ]] || fail "li's role"
# the rest as wang's session: what is tried here is not the login
as wang wang-pass-1 login --db "$DB"
[[ $RC == 0 ]] || fail "wang's login: $(show)"
S0=$(state)
for bad in 王五 "wang wu" $'x\e[31mred' "a" "$(printf 'z%.0s' {1..40})"; do
    run WUSHE_NEW_PASSWORD=good-pass-1 user add "$bad" --role 录入员 --name 王五 --db "$DB"
    [[ $RC == 1 ]] || fail "login '$bad' accepted: $(show)"
    says "账户名用2到32个小写英文字母"
    no_escape
done
run WUSHE_NEW_PASSWORD=good-pass-1 user add zhangwuji --role $'boss\e[2J' --name 王五 --db "$DB"
[[ $RC == 2 ]] || fail "a bad role: $(show)"
says "这个角色"
no_escape
run WUSHE_NEW_PASSWORD=good-pass-1 user add zhangwuji --role 录入员 --name $'王\e[31m五' --db "$DB"
[[ $RC == 1 ]] || fail "a name with an escape: $(show)"
says "姓名"
no_escape
run WUSHE_NEW_PASSWORD=good-pass-1 user add zhangwuji --role 录入员 --name "$(printf '张%.0s' {1..40})" --db "$DB"
[[ $RC == 1 ]] || fail "a 40-character name: $(show)"
says "姓名：最多 20 个字"
run WUSHE_NEW_PASSWORD=good-pass-1 user add li --role 录入员 --name 李四 --db "$DB"
[[ $RC == 1 ]] || fail "a login twice: $(show)"
says "账户：与已登记的“李四”重复" # whose login it is
long=$(printf 'a%.0s' {1..1000})
longzh=$(printf '密%.0s' {1..1000})
for pair in "short:短密码" "long:$long" "longzh:$longzh" $'esc:pass\e[31mword' "login:zhangwuji" "login:  ZHANGWUJI "; do
    pw=${pair#*:}
    run WUSHE_NEW_PASSWORD="$pw" user add zhangwuji --role 录入员 --name 王五 --db "$DB"
    [[ $RC == 1 ]] || fail "password ${pair%%:*} accepted: $(show)"
    case ${pair%%:*} in
        short) says "密码至少8个字符" ;;
        long | longzh) says "密码最多128个字符" ;;
        esc) says "密码不能含控制字符" ;;
        login) says "密码不能与账户名相同" ;;
    esac
    no_escape
done
# typed at the prompt: a 1,000-character Chinese password is refused as too
# long at once, and what is left of it is not taken as the second answer
feed "wang-pass-1"$'\n'"$longzh"$'\n'"$longzh"$'\n'
run --user wang user add zhangwuji --role 录入员 --name 王五 --db "$DB"
[[ $RC == 1 ]] || fail "a long typed password: $(show)"
says "密码最多128个字符"
grep -qF "两次" "$ERR" && fail "a long password was read as two: $(show)"
[[ $(state) == "$S0" ]] || fail "a refused user add changed the station"
run logout --db "$DB"

step "a password with Chinese and spaces works as typed"
as wang wang-pass-1 WUSHE_NEW_PASSWORD=" 我的 密码 abc " user add zhangwuji --role 录入员 --name 王五 --db "$DB"
[[ $RC == 0 ]] || fail "a Chinese password: $(show)"
as zhangwuji " 我的 密码 abc " user list --db "$DB"
[[ $RC == 1 ]] || fail "a 录入员 listed the accounts: $(show)"
says "您的角色无权进行此操作"
as zhangwuji "我的 密码 abc" search residents 王 --db "$DB"
[[ $RC == 1 ]] || fail "the password without its spaces was taken: $(show)"
as zhangwuji " 我的 密码 abc " search residents 王 --db "$DB"
[[ $RC == 0 ]] || fail "the Chinese password does not work: $(show)"

step "a station file copied from another station: its own accounts work, the other's do not"
cp "$FIRST" "$E2E_TMP/copy.db"
DEMO=$E2E_TMP/new/dir/demo.db
before=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM access_log").fetchone()[0])' "$FIRST")
DB=$E2E_TMP/copy.db
as wang wang-pass-1 user list --db "$DB"
[[ $RC == 0 ]] && grep -q $'^wang\t王建华\t站长\t在用\t' "$OUT" || fail "wang on the copy: $(show)"
as zhanzhang $PW user list --db "$DB"
[[ $RC == 1 ]] || fail "the demo's 站长 on the copy: $(show)"
says "账户或密码不对"
as wang wang-pass-1 user list --db "$DEMO"
[[ $RC == 1 ]] || fail "the copy's 站长 on the demo: $(show)"
[[ $(q "SELECT count(*) FROM access_log WHERE login = 'wang' AND event = 'login'") -ge 1 ]] \
    || fail "the copy does not record its login"
after=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM access_log").fetchone()[0])' "$FIRST")
[[ $after == "$before" ]] || fail "logins on the copy were recorded in the original"

DB=$DEMO
NAME=$(q "SELECT name FROM residents WHERE deleted_at IS NULL ORDER BY id LIMIT 1")
step "wrong, empty and absurd passwords: a clear message, recorded, nothing else written"
S0=$(state)
A0=$(access_rows)
as zhanzhang wrong-password search residents 王 --db "$DB"
[[ $RC == 1 && ! -s $OUT ]] || fail "a wrong password: $(show)"
says "账户或密码不对"
[[ $(last_access) == 'login_failed zhanzhang {"failures":1}' ]] || fail "recorded: $(last_access)"
as zhanzhang "" search residents 王 --db "$DB"
[[ $RC == 1 && ! -s $OUT ]] || fail "an empty password: $(show)"
says "没有输入密码"
[[ $(last_access) == 'login_failed zhanzhang {"empty":1}' ]] || fail "recorded: $(last_access)"
[[ $(q "SELECT failures FROM accounts WHERE login = 'zhanzhang'") == 1 ]] \
    || fail "an empty password counted toward the lockout"
feed $'\n'
run --user zhanzhang search residents 王 --db "$DB"
[[ $RC == 1 ]] && says "没有输入密码"
run --user zhanzhang search residents 王 --db "$DB"
[[ $RC == 1 ]] || fail "no password at all: $(show)"
says "没有读到密码"
as zhanzhang "$long" search residents 王 --db "$DB"
[[ $RC == 1 ]] && says "账户或密码不对"
as zhanzhang "$longzh" search residents 王 --db "$DB"
[[ $RC == 1 ]] && says "账户或密码不对"
as $'\e]0;evil\a张三 x' "$PW" search residents 王 --db "$DB"
[[ $RC == 1 ]] && says "账户或密码不对"
no_escape
[[ $(q "SELECT count(*) FROM access_log WHERE login GLOB '*'||char(27)||'*'") == 0 ]] \
    || fail "an escape character was stored in access_log"
run WUSHE_USER=luru WUSHE_PASSWORD=nope --lang en search residents 王 --db "$DB"
[[ $RC == 1 ]] && says "Wrong login or password"
[[ $(state) == "$S0" ]] || fail "failed logins changed more than the access log"
# each attempt but the one that read no password at all
(($(access_rows) == A0 + 7)) || fail "want 7 recorded attempts, got $(($(access_rows) - A0))"
as zhanzhang $PW search residents 王 --db "$DB"
[[ $RC == 0 ]] || fail "the right password: $(show)"
[[ $(q "SELECT failures FROM accounts WHERE login = 'zhanzhang'") == 0 ]] || fail "failures not reset"

step "five wrong passwords lock the account; the message says how many seconds to wait"
for i in 1 2 3 4; do
    as dudao "wrong-$i" search residents 王 --db "$DB"
    [[ $RC == 1 ]] && says "账户或密码不对"
done
as dudao wrong-5 search residents 王 --db "$DB"
[[ $RC == 1 ]] || fail "the fifth wrong password: $(show)"
says "请 60 秒后再试"
as dudao $PW search residents 王 --db "$DB"
[[ $RC == 1 && ! -s $OUT ]] || fail "the right password while locked: $(show)"
grep -qE '请 [0-9]+ 秒后再试' "$ERR" || fail "no seconds to wait: $(show)"
[[ $(last_access) == 'login_failed dudao {"locked":'* ]] || fail "the locked try: $(last_access)"
run WUSHE_USER=dudao WUSHE_PASSWORD=$PW --lang en search residents 王 --db "$DB"
grep -qE 'try again in [0-9]+ seconds' "$ERR" || fail "--lang en lockout: $(show)"

step "user list: TSV of login, name, role, state, last login; never a hash"
as zhanzhang $PW user list --db "$DB"
[[ $RC == 0 ]] || fail "user list: $(show)"
awk -F'\t' 'NF != 5 { bad = 1 } END { exit bad || NR != 4 }' "$OUT" || fail "not 4 rows of 5 cells: $(show)"
grep -qE $'^zhanzhang\t张建国\t站长\t在用\t2[0-9]{3}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$' "$OUT" \
    || fail "zhanzhang's row: $(show)"
grep -q $'^luru\t刘敏\t录入员\t在用\t$' "$OUT" || fail "luru never logged in: $(show)"
grep -qF 'argon2' "$OUT" && fail "a hash in the list"
run WUSHE_USER=zhanzhang WUSHE_PASSWORD=$PW --lang en user list --db "$DB"
grep -q $'^dudao\t陈卫东\tSupervisor\tActive\t' "$OUT" || fail "--lang en list: $(show)"

step "a 录入员: no unmasked export, no accounts; refused, recorded as denied, no file"
as luru $PW login --db "$DB"
[[ $RC == 0 ]] || fail "luru's login: $(show)"
S0=$(state)
run export residents "$E2E_TMP/full.csv" --unmasked --db "$DB"
[[ $RC == 1 ]] || fail "a 录入员's unmasked export: $(show)"
says "您的角色无权进行此操作"
[[ ! -e $E2E_TMP/full.csv ]] || fail "the refused export wrote a file"
[[ $(last_access) == 'denied luru {"perm":"perm.export_unmasked"}' ]] || fail "recorded: $(last_access)"
run export residents --unmasked --db "$DB"
[[ $RC == 1 && ! -s $OUT ]] || fail "a 录入员's unmasked export to stdout: $(show)"
for args in "user list" "user disable dudao" "user enable dudao" "user reset dudao" \
    "user add lu2 --role 录入员 --name 刘二"; do
    # shellcheck disable=SC2086
    run WUSHE_NEW_PASSWORD=lu2-pass-1 $args --db "$DB"
    [[ $RC == 1 ]] || fail "a 录入员's $args: $(show)"
    says "您的角色无权进行此操作"
    [[ $(last_access) == 'denied luru {"perm":"perm.accounts"}' ]] || fail "$args recorded: $(last_access)"
done
[[ $(state) == "$S0" ]] || fail "refusals changed the station"
run export residents "$E2E_TMP/masked.csv" --db "$DB"
[[ $RC == 0 ]] || fail "a 录入员's masked export: $(show)"
run logout --db "$DB"

step "exports and an import's error file are their owner's alone (0600)"
[[ $(mode "$E2E_TMP/masked.csv") == 600 ]] || fail "masked.csv $(mode "$E2E_TMP/masked.csv")"
as zhanzhang $PW export residents "$E2E_TMP/full.xlsx" --unmasked --db "$DB"
[[ $RC == 0 && $(mode "$E2E_TMP/full.xlsx") == 600 ]] || fail "full.xlsx: $(show) $(mode "$E2E_TMP/full.xlsx")"
[[ $(last_access) == 'export zhanzhang '*'"masked":0'* ]] || fail "recorded: $(last_access)"
printf '姓名,身份证号码\n错行,123\n' >"$E2E_TMP/bad.csv"
as zhanzhang $PW import residents "$E2E_TMP/bad.csv" --db "$DB"
[[ $RC == 3 ]] || fail "import with a bad row: $(show)"
[[ $(mode "$E2E_TMP/bad_错误行.csv") == 600 ]] || fail "error file $(mode "$E2E_TMP/bad_错误行.csv")"

step "a disabled 站长 on the command line; the last 站长 cannot be disabled"
as zhanzhang $PW WUSHE_NEW_PASSWORD=fu-pass-12 user add fuzhan --role 站长 --name 赵副站 --db "$DB"
[[ $RC == 0 ]] || fail "add fuzhan: $(show)"
as fuzhan fu-pass-12 login --db "$DB"
[[ $RC == 0 ]] || fail "fuzhan login: $(show)"
as zhanzhang $PW user disable FuZhan --db "$DB"
[[ $RC == 0 ]] && grep -qF "已停用账户 fuzhan（赵副站）" "$OUT" || fail "disable: $(show)"
as zhanzhang $PW user disable fuzhan --db "$DB"
[[ $RC == 0 ]] && grep -qF "本来就是停用的" "$OUT" || fail "disable twice: $(show)"
S0=$(state)
as fuzhan fu-pass-12 user list --db "$DB"
[[ $RC == 1 && ! -s $OUT ]] || fail "a disabled 站长: $(show)"
says "该账户已停用，请找站长"
[[ $(last_access) == 'login_failed fuzhan {"disabled":1}' ]] || fail "recorded: $(last_access)"
run search residents 王 --db "$DB"
[[ $RC == 1 ]] || fail "the session of a disabled account: $(show)"
says "该账户已停用"
as zhanzhang $PW user disable zhanzhang --db "$DB"
[[ $RC == 1 ]] || fail "the last 站长 disabled: $(show)"
says "这是最后一个在用的站长账户"
[[ $(state) == "$S0" ]] || fail "refusals changed the station"
as zhanzhang $PW user disable nobody --db "$DB"
[[ $RC == 1 ]] && says "没有账户“nobody”"
as zhanzhang $PW user disable $'\e[2Jx' --db "$DB"
[[ $RC == 1 ]] && says "没有账户"
no_escape
as zhanzhang $PW user enable fuzhan --db "$DB"
[[ $RC == 0 ]] && grep -qF "已启用账户 fuzhan" "$OUT" || fail "enable: $(show)"
as fuzhan fu-pass-12 user list --db "$DB"
[[ $RC == 0 ]] || fail "fuzhan enabled again: $(show)"
run logout --db "$DB"

step "user reset: a temporary password that must be changed first (user passwd)"
as zhanzhang $PW WUSHE_NEW_PASSWORD=temp-pass-1 user reset shegong --db "$DB"
[[ $RC == 0 ]] && grep -qF "已为账户 shegong（李芳）设置临时密码" "$OUT" || fail "reset: $(show)"
[[ $(last_access) == 'password zhanzhang {"reset":1}' ]] || fail "recorded: $(last_access)"
as shegong $PW search residents 王 --db "$DB"
[[ $RC == 1 ]] && says "账户或密码不对"
as shegong temp-pass-1 search residents 王 --db "$DB"
[[ $RC == 1 && ! -s $OUT ]] || fail "a reset password used for a search: $(show)"
says "wushe user passwd"
as shegong temp-pass-1 login --db "$DB"
[[ $RC == 1 ]] && says "wushe user passwd"
as shegong temp-pass-1 WUSHE_NEW_PASSWORD=temp-pass-1 user passwd --db "$DB"
[[ $RC == 1 ]] && says "新密码不能与原密码相同"
as shegong temp-pass-1 WUSHE_NEW_PASSWORD=mine-pass-1 user passwd --db "$DB"
[[ $RC == 0 ]] && grep -qF "密码已修改" "$OUT" || fail "passwd: $(show)"
as shegong temp-pass-1 search residents 王 --db "$DB"
[[ $RC == 1 ]] || fail "the temporary password still works: $(show)"
as shegong mine-pass-1 search residents 王 --db "$DB"
[[ $RC == 0 ]] || fail "the new password: $(show)"

step "user passwd at a terminal: nothing typed is shown"
start_cmd env -u WUSHE_USER -u WUSHE_PASSWORD "$W" --user shegong user passwd --db "$DB"
wait_for "密码："
type_text "mine-pass-1"
send Enter
wait_for "新密码（至少8个字符）："
refute_screen "mine-pass-1"
type_text "终端里输入的新密码"
send Enter
wait_for "再输入一次新密码："
refute_screen "终端里输入的新密码"
type_text "终端里输入的新密码"
send Enter
wait_exit 20
[[ $EXIT_STATUS == 0 ]] || fail "passwd at a terminal: exit $EXIT_STATUS, $(cat "$E2E_TMP/stderr")"
as shegong "终端里输入的新密码" search residents 王 --db "$DB"
[[ $RC == 0 ]] || fail "the password typed at the terminal: $(show)"

step "wushe login, then commands without a password; the session file is 0600"
as zhanzhang $PW login --db "$DB"
[[ $RC == 0 ]] && grep -qF "已登录：张建国（zhanzhang）" "$OUT" || fail "login: $(show)"
sess=$(echo "$XDG_RUNTIME_DIR"/wushe/session-*)
[[ -f $sess ]] || fail "no session file: $(ls -la "$XDG_RUNTIME_DIR"/wushe)"
[[ $(mode "$sess") == 600 && $(mode "$XDG_RUNTIME_DIR/wushe") == 700 ]] \
    || fail "session $(mode "$sess"), folder $(mode "$XDG_RUNTIME_DIR/wushe")"
token=$(cat "$sess")
[[ $token =~ ^[0-9a-f]{64}$ ]] || fail "token: $token"
[[ $(q "SELECT count(*) FROM sessions WHERE token_hash = '$token'") == 0 ]] || fail "the token is stored"
hash=$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)
[[ $(q "SELECT count(*) FROM sessions WHERE token_hash = '$hash'") == 1 ]] || fail "no hash of the token"
run search residents "$NAME" --db "$DB"
[[ $RC == 0 ]] && grep -qF "$NAME" "$OUT" || fail "search with the session: $(show)"
grep -qF "密码" "$ERR" && fail "a password was asked for: $(show)"
run user list --db "$DB"
[[ $RC == 0 ]] || fail "user list with the session: $(show)"
feed $'wrong-old-password\n'
run user passwd --db "$DB"
[[ $RC == 1 ]] || fail "passwd with a wrong old password: $(show)"
says "当前密码："
says "当前密码不对，密码没有修改"
[[ $(last_access) == 'login_failed zhanzhang {"failures":1}' ]] \
    || fail "a wrong old password is not counted as a failed login: $(last_access)"
run search residents 王 --db "$E2E_TMP/copy.db"
[[ $RC == 1 ]] && says "需要先登录"
(unset XDG_RUNTIME_DIR && run search residents 王 --db "$DB" && [[ $RC == 1 ]]) \
    || fail "the session was found without XDG_RUNTIME_DIR"

step "a readable session file is not trusted; an unknown or expired session is said and removed"
chmod 644 "$sess"
run search residents 王 --db "$DB"
[[ $RC == 1 ]] && says "需要先登录"
chmod 600 "$sess"
python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("UPDATE sessions SET last_used = last_used - 31 * 60"); c.commit()' "$DB"
run search residents 王 --db "$DB"
[[ $RC == 1 && ! -s $OUT ]] || fail "an expired session: $(show)"
says "登录已过期"
[[ ! -e $sess ]] || fail "the expired session file was kept"
(umask 077 && printf '%064d' 7 >"$sess")
run search residents 王 --db "$DB"
[[ $RC == 1 ]] && says "登录已过期"

step "wushe logout ends the session; without XDG_RUNTIME_DIR the session is under XDG_STATE_HOME"
env -u XDG_RUNTIME_DIR WUSHE_USER=zhanzhang WUSHE_PASSWORD=$PW setsid -w "$W" login --db "$DB" >"$OUT" 2>"$ERR" </dev/null \
    || fail "login without XDG_RUNTIME_DIR: $(cat "$ERR")"
ls "$XDG_STATE_HOME"/wushe/session-* >/dev/null 2>&1 || fail "no session under XDG_STATE_HOME"
as zhanzhang $PW login --db "$DB"
n=$(q "SELECT count(*) FROM sessions")
run logout --db "$DB"
[[ $RC == 0 ]] && grep -qF "已退出登录" "$OUT" || fail "logout: $(show)"
[[ ! -e $sess ]] || fail "the session file is left"
(($(q "SELECT count(*) FROM sessions") == n - 1)) || fail "the session row is left"
run search residents 王 --db "$DB"
[[ $RC == 1 ]] && says "需要先登录"
run logout --db "$DB"
[[ $RC == 0 ]] && grep -qF "本来就没有登录" "$OUT" || fail "logout twice: $(show)"

step "typed options are never written raw to the terminal"
run $'--\e[2Jbogus'
[[ $RC == 2 ]] || fail "a bad option: $(show)"
no_escape
as zhanzhang $PW user $'\e[31mbogus' --db "$DB"
[[ $RC == 2 ]] || fail "a bad user verb: $(show)"
no_escape
exit 0
