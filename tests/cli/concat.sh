# concat.sh -- concatenated streams decode to the concatenation; several
# files with -c; trailing garbage is an error.
. "$MDZ_TESTLIB"

gen_text 5000 a
gen_random 3000 b
: >e
"$MDZ" -c a >a.mdz || fail "compress a"
"$MDZ" -c b >b.mdz || fail "compress b"
"$MDZ" -c e >e.mdz || fail "compress e"
cat a b >ab
cat a.mdz b.mdz | "$MDZ" -dc >out || fail "cat a.mdz b.mdz | mdz -dc"
same out ab
cat a.mdz e.mdz b.mdz e.mdz | "$MDZ" -d >out || fail "with empty streams"
same out ab

# several operands with -c: the output is the concatenation
expect_rc 0 "$MDZ" -dc a.mdz b.mdz
same out ab
expect_rc 0 "$MDZ" -c a b
mv out ab.mdz
expect_rc 0 "$MDZ" -dc ab.mdz
same out ab
# -l counts the streams
expect_rc 0 "$MDZ" -l ab.mdz
awk 'NR == 2 { if ($1 != 2) exit 1 }' out || { cat out; fail "-l should count 2 streams"; }
# -t accepts the concatenation
expect_rc 0 "$MDZ" -t ab.mdz
# file mode: ab.mdz -> ab2 equals a+b
cp ab.mdz ab2.mdz
expect_rc 0 "$MDZ" -d ab2.mdz
same ab2 ab

# garbage after a complete stream is an error, not silently ignored
cp a.mdz g.mdz
printf 'garbage' >>g.mdz
expect_rc 1 "$MDZ" -d g.mdz
expect_err "^mdz: g.mdz: "
absent g
exists g.mdz
expect_rc 1 "$MDZ" -t g.mdz
# a second stream cut short is truncation
cat a.mdz b.mdz | head -c $(( $(filesize a.mdz) + 10 )) >t.mdz
expect_rc 1 "$MDZ" -t t.mdz
expect_err "unexpected end of input"
exit 0
