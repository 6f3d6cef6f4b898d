# corrupt.sh -- damage in a known place gives the right message, naming the
# block; nothing of a damaged block is released; with -c the message says
# that partial output was written.
. "$MDZ_TESTLIB"

# 4 stored blocks of 64 KiB (random data does not shrink): block k starts at
# 16 + (k-1) * (13 + 65536 + 4) (doc/format.md: 16-byte stream header,
# 13-byte block header, payload, 4-byte block checksum; then the index of
# 13 + 8 * 4 bytes and the 21-byte end marker)
gen_random $((3 * 65536 + 1)) r
"$MDZ" -c --block-size=64K r >r.mdz || fail "compress"
"$MDZ" -l r.mdz >list || fail "-l"
set -- $(sed -n 2p list)
[ "$2" = 4 ] && [ "$3" = 4 ] || { cat list; fail "expected 4 stored blocks"; }
blk() { echo $((16 + ($1 - 1) * 65553)); }
[ "$(filesize r.mdz)" -eq $(( $(blk 4) + 13 + 1 + 4 + 13 + 32 + 21 )) ] || fail "unexpected layout: $(filesize r.mdz) bytes"

# payload of block 3: checksum mismatch in block 3
cp r.mdz c.mdz
flip_byte c.mdz $(( $(blk 3) + 13 + 1000 ))
expect_rc 1 "$MDZ" -t c.mdz
expect_err "^mdz: c.mdz: checksum mismatch in block 3$"
expect_rc 1 "$MDZ" -d c.mdz
expect_err "checksum mismatch in block 3"
absent c
exists c.mdz
# with -c, blocks 1 and 2 were verified and written, block 3 never is
expect_rc 1 "$MDZ" -dc c.mdz
[ "$(filesize out)" -eq 131072 ] || fail "-dc wrote $(filesize out) bytes, expected the 2 good blocks"
head -c 131072 r | cmp -s - out || fail "the released blocks are wrong"
expect_err "checksum mismatch in block 3"
expect_err "incomplete output"
# block checksum itself damaged
cp r.mdz c.mdz
flip_byte c.mdz $(( $(blk 2) + 13 + 65536 + 2 ))
expect_rc 1 "$MDZ" -t c.mdz
expect_err "in block 2$"
# block header of block 4 (raw_len) damaged
cp r.mdz c.mdz
flip_byte c.mdz $(( $(blk 4) + 1 ))
expect_rc 1 "$MDZ" -t c.mdz
expect_err "in block 4$"
# -l notices damaged headers too, but not damaged payloads (it does not decode)
expect_rc 1 "$MDZ" -l c.mdz
cp r.mdz c.mdz
flip_byte c.mdz $(( $(blk 1) + 13 + 5 ))
expect_rc 0 "$MDZ" -l c.mdz
expect_rc 1 "$MDZ" -t c.mdz
expect_err "in block 1$"
# end marker: content checksum and end check; the stream header
size=$(filesize r.mdz)
cp r.mdz c.mdz
flip_byte c.mdz $((size - 8 + 1))
expect_rc 1 "$MDZ" -t c.mdz
expect_err "^mdz: c.mdz: "
grep -q 'in block' err && fail "an end-marker error named a block: $(cat err)"
# the block index: an entry, and the index's header
for at in $((size - 21 - 8)) $((size - 21 - 45 + 3)); do
    cp r.mdz c.mdz
    flip_byte c.mdz $at
    expect_rc 1 "$MDZ" -t c.mdz
    expect_err "^mdz: c.mdz: compressed data is corrupt$"
    expect_rc 1 "$MDZ" -dc --offset=70000 --length=10 c.mdz
    expect_err "^mdz: c.mdz: compressed data is corrupt$"
done
cp r.mdz c.mdz
flip_byte c.mdz 6 2
expect_rc 1 "$MDZ" -t c.mdz
expect_err "^mdz: c.mdz: "
cp r.mdz c.mdz
flip_byte c.mdz 0
expect_rc 1 "$MDZ" -t c.mdz
expect_err "^mdz: c.mdz: not in .mdz format$"
# a damaged block in the second stream of a concatenation
gen_text 1000 small
"$MDZ" -c small >s.mdz || fail "compress small"
cp r.mdz c2.mdz
flip_byte c2.mdz $(( $(blk 2) + 13 + 7 ))
cat s.mdz c2.mdz >cc.mdz
expect_rc 1 "$MDZ" -t cc.mdz
expect_err "checksum mismatch in block 2 of stream 2"
exit 0
