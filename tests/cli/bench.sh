# bench.sh -- mdz -b: the in-memory benchmark of levels.
. "$MDZ_TESTLIB"

gen_text 5000 f
expect_rc 0 "$MDZ" -b -1 -e 2 --runs=1 f
grep -q 'benchmark' out || { cat out; fail "no benchmark header"; }
grep -q '^ *1  *f  *5,000' out || { cat out; fail "no level 1 row"; }
grep -q '^ *2  *f  *5,000' out || { cat out; fail "no level 2 row"; }
grep -q 'verified' out || { cat out; fail "round trips not verified"; }
# nothing written next to the input
ls >listing
[ "$(grep -c -v -e '^f$' -e '^out$' -e '^err$' -e '^listing$' listing)" -eq 0 ] || { cat listing; fail "-b wrote files"; }
expect_rc 0 "$MDZ" --bench --runs 1 <f
grep -q '(stdin)' out || { cat out; fail "-b on stdin"; }
expect_rc 1 "$MDZ" -b --runs=1 nosuch
expect_err "nosuch"
expect_rc 1 "$MDZ" -b -e 10 f
expect_rc 1 "$MDZ" -b -c f
exit 0
