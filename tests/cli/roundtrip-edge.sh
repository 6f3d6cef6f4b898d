# roundtrip-edge.sh -- generated edge cases, every way in and out:
# file mode (-k then -d), stdin/stdout, and unmdz/mdzcat; block boundaries
# with --block-size=64K.
. "$MDZ_TESTLIB"

: >empty
printf 'x' >one
gen_byte 1048576 a mega
gen_random 100000 random
gen_allbytes allbytes
gen_text 65535 b65535
gen_text 65536 b65536
gen_text 65537 b65537
gen_text 196609 b196609
gen_random 65537 r65537

for f in empty one allbytes random mega; do
    note "$f"
    roundtrip_file $f
    # (the links are the same program: spare the megabyte a third pass, and
    # a second one under the sanitizers)
    [ $f = mega ] && [ "$MDZ_SAN" = 1 ] || roundtrip_pipe $f
    [ $f = mega ] || roundtrip_links $f
done
for f in b65535 b65536 b65537 b196609 r65537; do
    note "$f with 64K blocks"
    roundtrip_file $f --block-size=64K
    roundtrip_pipe $f --block-size=64K
    roundtrip_links $f --block-size=64K
done

# the block count follows the block size
"$MDZ" -c --block-size=64K b196609 >b.mdz || fail "compress"
expect_rc 0 "$MDZ" -l b.mdz
awk 'NR == 2 { if ($2 != 4) exit 1 }' out || { cat out; fail "3*65536+1 bytes should be 4 blocks"; }
"$MDZ" -c --block-size=64K b65536 >b.mdz || fail "compress"
expect_rc 0 "$MDZ" -l b.mdz
awk 'NR == 2 { if ($2 != 1) exit 1 }' out || { cat out; fail "65536 bytes should be 1 block"; }
"$MDZ" -c --block-size=64K b65537 >b.mdz || fail "compress"
expect_rc 0 "$MDZ" -l b.mdz
awk 'NR == 2 { if ($2 != 2) exit 1 }' out || { cat out; fail "65537 bytes should be 2 blocks"; }

# an empty file still makes a valid stream; an empty .mdz file does not
"$MDZ" -c empty >e.mdz || fail "compress empty"
[ "$(filesize e.mdz)" -gt 0 ] || fail "the stream of an empty file is empty"
: >z.mdz
expect_rc 1 "$MDZ" -d z.mdz
expect_err "z.mdz: unexpected end of input"
absent z
exit 0
