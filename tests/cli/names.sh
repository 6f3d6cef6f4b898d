# names.sh -- control characters in file names are escaped in messages and
# in -l rows (newline as \n, escape as \033, UTF-8 C1 controls as octal),
# so that a name cannot forge lines or drive the terminal; other UTF-8 is
# printed as it is.
. "$MDZ_TESTLIB"

nl='
'
esc=$(printf '\033')
bad="a${nl}b${esc}[31mc"
gen_text 3000 "$bad"
expect_rc 0 "$MDZ" -kv "$bad"
grep -q 'a\\nb\\033\[31mc: 3000 -> ' err || { cat err; fail "-v line not escaped"; }
grep -q "$esc" err && fail "raw ESC on stderr"
[ "$(wc -l <err)" -eq 1 ] || fail "the name split the message: $(cat err)"
expect_rc 0 "$MDZ" -l "$bad.mdz"
grep -q 'CRC-32C  a\\nb\\033\[31mc\.mdz$' out || { cat out; fail "-l row not escaped"; }
grep -q "$esc" out && fail "raw ESC in -l"
[ "$(wc -l <out)" -eq 2 ] || fail "-l: the name split the row"
# errors, -t -v, -lv
expect_rc 1 "$MDZ" -t "$bad"
grep -q '^mdz: a\\nb\\033\[31mc: not in .mdz format$' err || { cat err; fail "error not escaped"; }
expect_rc 0 "$MDZ" -tv "$bad.mdz"
grep -q 'a\\nb\\033\[31mc\.mdz: OK' err || { cat err; fail "-tv not escaped"; }
expect_rc 0 "$MDZ" -lv "$bad.mdz"
grep -q '^a\\nb\\033\[31mc\.mdz$' out || { cat out; fail "-lv not escaped"; }
# a tab, DEL and a UTF-8 C1 control (U+009B, CSI); ordinary UTF-8 kept
odd=$(printf 'x\ty\177z\302\233w-\303\251t\303\251')
gen_text 100 "$odd"
expect_rc 1 "$MDZ" -t "$odd"
grep -q 'x\\ty\\177z\\302\\233w-été: not in' err || { cat err; fail "tab/DEL/C1 not escaped"; }
exit 0
