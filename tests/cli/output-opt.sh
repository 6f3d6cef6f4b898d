# output-opt.sh -- -o FILE, both directions, from files and stdin.
. "$MDZ_TESTLIB"

gen_text 6000 f
cp f orig
expect_rc 0 "$MDZ" -k -o packed f
expect_no_err
exists f
exists packed
absent f.mdz
expect_rc 0 "$MDZ" -d -o unpacked packed
same unpacked orig
# the input is removed unless -k
absent packed
"$MDZ" -k -o packed f || fail "recompress"
# -o removes the input like the default mode (unless -k)
expect_rc 0 "$MDZ" -o packed2 unpacked
absent unpacked
"$MDZ" -dc packed2 | cmp -s - orig || fail "packed2"
# no suffix rules with -o
cp orig a.mdz
expect_rc 0 "$MDZ" -k -o a2 a.mdz
expect_rc 0 "$MDZ" -d -k -o back a2
same back orig
# an existing -o target needs -f
expect_rc 1 "$MDZ" -k -o packed f
expect_err "packed: already exists"
expect_rc 0 "$MDZ" -k -f -o packed f
# into another directory
mkdir sub
expect_rc 0 "$MDZ" -k -o sub/f.mdz f
exists sub/f.mdz
no_temp_files sub
# from stdin
expect_rc 0 "$MDZ" -o in.mdz <orig
exists in.mdz
"$MDZ" -d -o in.out <in.mdz || fail "-d -o from stdin"
same in.out orig
# -o - means standard output
expect_rc 0 "$MDZ" -k -o - f
"$MDZ" -dc <out | cmp -s - orig || fail "-o -"
# into a missing directory: an error naming the file, nothing left behind
expect_rc 1 "$MDZ" -k -o nodir/x.mdz f
expect_err "nodir/x.mdz"
exists f
no_temp_files
exit 0
