# verbose.sh -- silence on success, -v summary lines, -q.
. "$MDZ_TESTLIB"

gen_text 20000 v
expect_rc 0 "$MDZ" -k v
expect_no_err
rm v.mdz
expect_rc 0 "$MDZ" -kv v
grep -q -e '^mdz: v: 20000 -> [0-9][0-9]* ([0-9][0-9]*\.[0-9][0-9]%)$' err || { cat err; fail "-v summary"; }
csize=$(filesize v.mdz)
grep -q -e "-> $csize (" err || { cat err; fail "-v compressed size"; }
expect_rc 0 "$MDZ" -dvc v.mdz
grep -q -e "^mdz: v.mdz: $csize -> 20000 (" err || { cat err; fail "-dv summary"; }
# the summary goes to stderr, never into the data
same out v
# not a terminal: no progress line (no carriage returns)
tr -d -c '\r' <err | grep -q . && fail "progress written to a non-terminal"
# -q: no warnings
expect_rc 2 "$MDZ" -q -d v
expect_no_err
exit 0
