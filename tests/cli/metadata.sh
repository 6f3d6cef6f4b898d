# metadata.sh -- the output gets the input's mtime and mode (both ways);
# outputs from stdin get an ordinary mode.
. "$MDZ_TESTLIB"

gen_text 3000 f
cp f orig
chmod 640 f
touch -m -d '2001-02-03 04:05:06' f
touch -a -d '2002-03-04 05:06:07' f
want_m=$(mtime f)

expect_rc 0 "$MDZ" f
[ "$(mtime f.mdz)" = "$want_m" ] || fail "compressed mtime $(mtime f.mdz), want $want_m"
[ "$(fmode f.mdz)" = 640 ] || fail "compressed mode $(fmode f.mdz), want 640"
[ "$(stat -c %X f.mdz)" = "$(date -d '2002-03-04 05:06:07' +%s)" ] || fail "atime not kept"

chmod 604 f.mdz
touch -m -d '2010-01-01 00:00:00' f.mdz
want_m=$(mtime f.mdz)
expect_rc 0 "$MDZ" -d f.mdz
same f orig
[ "$(mtime f)" = "$want_m" ] || fail "decompressed mtime $(mtime f), want $want_m"
[ "$(fmode f)" = 604 ] || fail "decompressed mode $(fmode f), want 604"

# executable bits survive
chmod 751 f
expect_rc 0 "$MDZ" -k f
[ "$(fmode f.mdz)" = 751 ] || fail "mode 751 not kept"
rm f.mdz

# the owner, when run by root
if [ "$(id -u)" = 0 ] && chown 12345:23456 f 2>/dev/null; then
    expect_rc 0 "$MDZ" -k f
    [ "$(stat -c %u:%g f.mdz)" = 12345:23456 ] || fail "owner not kept: $(stat -c %u:%g f.mdz)"
    rm f.mdz
else
    note "not root: owner not tested"
fi

# -o from stdin: a new file with the umask's mode
umask 022
"$MDZ" -o s.mdz <orig || fail "mdz -o s.mdz <orig"
[ "$(fmode s.mdz)" = 644 ] || fail "mode of an output from stdin: $(fmode s.mdz)"
umask 077
"$MDZ" -d -o s.out <s.mdz || fail "mdz -d -o s.out <s.mdz"
[ "$(fmode s.out)" = 600 ] || fail "mode with umask 077: $(fmode s.out)"
same s.out orig
exit 0
