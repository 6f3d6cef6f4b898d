# special-input.sh -- inputs that are symbolic links, FIFOs or /dev/stdin
# are read when no file is made from their name (-c, -t, -l, mdzcat, -o),
# as zcat reads them, and still skipped for in-place work.
. "$MDZ_TESTLIB"

gen_text 3000 a
cp a orig
"$MDZ" -k a || fail "compress"

ln -s a.mdz lk.mdz
# mdzcat, -dc, -t and -l read a symbolic link
expect_rc 0 "$MDZCAT" lk.mdz
expect_no_err
same out orig
expect_rc 0 "$MDZ" -dc lk.mdz
same out orig
expect_rc 0 "$MDZ" -t lk.mdz
expect_no_err
expect_rc 0 "$MDZ" -l lk.mdz
grep -q 'lk.mdz' out || fail "-l of a symbolic link: $(cat out)"
# ... and a FIFO (as <(cat a.mdz) would give)
mkfifo p
cat a.mdz >p &
expect_rc 0 "$MDZ" -dc p
same out orig
cat a.mdz >p &
expect_rc 0 "$MDZ" -t p
cat a.mdz >p &
expect_rc 0 "$MDZ" -l p
cat a >p &
expect_rc 0 "$MDZ" -c p
"$MDZ" -dc <out | cmp -s - orig || fail "compressing from a FIFO with -c"
cat a.mdz >p &
expect_rc 0 "$MDZ" -d -o fromfifo p
same fromfifo orig
[ -p p ] || fail "the FIFO input was removed"
# /dev/stdin and /dev/fd/0
expect_rc 0 "$MDZ" -dc /dev/stdin <a.mdz
same out orig
if [ -e /dev/fd/0 ]; then
    expect_rc 0 "$MDZ" -dc /dev/fd/0 <a.mdz
    same out orig
fi
# -o from a symbolic link: read; the link is removed (as gzip -f does),
# never its target
cp a.mdz t.mdz
ln -s t.mdz lk2.mdz
expect_rc 0 "$MDZ" -d -o fromlink lk2.mdz
same fromlink orig
exists t.mdz
# in-place work still refuses them (the output would be named after them)
expect_rc 2 "$MDZ" -d lk.mdz
expect_err "lk.mdz: is a symbolic link -- ignored"
absent lk
exists lk.mdz
expect_rc 2 "$MDZ" -d p
expect_err "p: is not a regular file -- ignored"
expect_rc 2 "$MDZ" -k p
expect_err "p: is not a regular file -- ignored"
absent p.mdz
rm -f p
exit 0
