# special-files.sh -- outputs that are devices or FIFOs are written in
# place, never replaced; inputs that are symbolic links, FIFOs or
# /dev/stdin are read when no file is made from their name (-c, -t, -l,
# mdzcat, -o), and still skipped for in-place compression.
. "$MDZ_TESTLIB"

gen_text 3000 a
cp a orig
"$MDZ" -k a || fail "compress"

# --- outputs ---------------------------------------------------------------
# -o /dev/null (the zstd idiom): works without -f, /dev/null stays a device,
# and the input is kept (the output is not a file that holds the data)
expect_rc 0 "$MDZ" -d -o /dev/null a.mdz
exists a.mdz
[ -c /dev/null ] || fail "/dev/null is no longer a character device"
expect_rc 0 "$MDZ" -o /dev/null a
exists a
# through a symbolic link, with -f: the link stays a link
ln -s /dev/null nl
expect_rc 0 "$MDZ" -df -o nl a.mdz
[ -L nl ] || fail "-f -o onto a link to /dev/null replaced the link"
exists a.mdz
# a device node of our own (needs root): written into, still a device
if mknod nd c 1 3 2>/dev/null; then
    expect_rc 0 "$MDZ" -dkf -o nd a.mdz
    [ -c nd ] || fail "-f -o onto a device node replaced it with a regular file"
    expect_rc 0 "$MDZ" -dk -o nd a.mdz
    [ -c nd ] || fail "-o onto a device node replaced it"
    rm -f nd
    # a block device holds data: only with -f (not exercised with -f here)
    if mknod bd b 7 0 2>/dev/null; then
        expect_rc 1 "$MDZ" -dk -o bd a.mdz
        expect_err "bd: is a block device; use -f"
        [ -b bd ] || fail "block device node replaced"
        rm -f bd
    fi
else
    note "not root: no device node of our own (the /dev/null cases ran)"
fi
# a FIFO: the reader gets the content, the FIFO stays a FIFO
mkfifo fo
cat fo >fo.out &
reader=$!
expect_rc 0 "$MDZ" -dk -f -o fo a.mdz
wait $reader
same fo.out orig
[ -p fo ] || fail "-f -o onto a FIFO replaced it"
cat fo >fo.out &
reader=$!
expect_rc 0 "$MDZ" -k -o fo a
wait $reader
"$MDZ" -dc fo.out | cmp -s - orig || fail "compressing into a FIFO"
rm -f fo fo.out
no_temp_files
# compressed data is not written to a terminal device unless -f
if [ -w /dev/tty ] && sh -c ': >/dev/tty' 2>/dev/null; then
    expect_rc 1 "$MDZ" -k -o /dev/tty a
    expect_err "terminal"
fi

# --- inputs ----------------------------------------------------------------
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
