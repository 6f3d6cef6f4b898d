# special-output.sh -- an output that exists and is not a regular file (a
# character device such as /dev/null, a device node of our own, a FIFO, a
# symbolic link to one) is opened and written in place, never unlinked or
# renamed over; a block device only with -f; the input is kept.
. "$MDZ_TESTLIB"

gen_text 3000 a
cp a orig
"$MDZ" -k a || fail "compress"

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

exit 0
