# exit-codes.sh -- 0 ok, 1 error, 2 warning; the worst wins; one bad file
# does not stop the others; silence on success.
. "$MDZ_TESTLIB"

gen_text 2000 a
gen_text 2500 b
cp a a.orig
cp b b.orig
expect_rc 0 "$MDZ" a b
expect_no_err
[ -s out ] && fail "stdout not empty on success"
exists a.mdz
exists b.mdz

# warning (unknown suffix) + success = 2
cp a.orig w
expect_rc 2 "$MDZ" -d w a.mdz
exists a
absent a.mdz
# error + warning + success = 1, and the good one is done
printf 'not mdz data' >c.mdz
cp a.orig w2
expect_rc 1 "$MDZ" -d c.mdz w2 b.mdz
expect_err "c.mdz: not in .mdz format"
expect_err "w2: unknown suffix"
exists b
absent b.mdz
exists c.mdz
absent c
# -t with one bad file among good ones
"$MDZ" -k a || fail "compress a"
expect_rc 1 "$MDZ" -t a.mdz c.mdz a.mdz
expect_err "c.mdz"
# -l likewise
expect_rc 1 "$MDZ" -l a.mdz c.mdz
grep -q 'a.mdz' out || fail "-l did not list the good file"
# a missing file
expect_rc 1 "$MDZ" -t missing.mdz
expect_err "^mdz: missing.mdz: No such file or directory"
# not .mdz data on stdin
expect_rc 1 "$MDZ" -d <a
expect_err "(stdin): not in .mdz format"
exit 0
