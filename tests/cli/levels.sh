# levels.sh -- -1 ... -9, --fast/--best, --block-size, --memlimit.
. "$MDZ_TESTLIB"

gen_text 20000 f
for l in 1 2 3 4 5 6 7 8 9; do
    "$MDZ" -$l -c f >f$l.mdz || fail "-$l"
    expect_rc 0 "$MDZ" -dc f$l.mdz
    same out f
    expect_rc 0 "$MDZ" -l f$l.mdz
    set -- $(sed -n 2p out)
    [ "$7" = $l ] || fail "-l of a -$l stream says level $7"
done
"$MDZ" -c f >fdef.mdz || fail "default level"
"$MDZ" -l fdef.mdz >out || fail "-l"
set -- $(sed -n 2p out)
[ "$7" = 6 ] || fail "the default level is not 6: $7"
"$MDZ" --fast -c f >fast.mdz || fail "--fast"
same fast.mdz f1.mdz
"$MDZ" --best -c f >best.mdz || fail "--best"
same best.mdz f9.mdz
# the last level option wins
"$MDZ" -9 -1 -c f >x.mdz || fail "-9 -1"
same x.mdz f1.mdz

for bs in 64K 128K 1M 16M 64KiB 65536; do
    "$MDZ" --block-size=$bs -c f >b.mdz || fail "--block-size=$bs"
    "$MDZ" -dc b.mdz | cmp -s - f || fail "round trip with --block-size=$bs"
done
# a stream of several blocks keeps the block size asked for; a stream of
# one block names the smallest size that holds it (and the memory of that)
gen_text 300000 g
"$MDZ" --block-size=128K -c g >b.mdz
"$MDZ" -l b.mdz >out
set -- $(sed -n 2p out)
[ "$8" = 128K ] || fail "-l block size $8, want 128K"
[ "$2" = 3 ] || fail "300000 bytes in 128K blocks: $2 blocks"
"$MDZ" --block-size=128K -c f >b.mdz
"$MDZ" -l b.mdz >out
set -- $(sed -n 2p out)
[ "$8" = 64K ] || fail "-l block size $8 for 20000 bytes, want 64K"
"$MDZ" -6 -c g >b.mdz
"$MDZ" -l b.mdz >out
set -- $(sed -n 2p out)
[ "$8" = 512K ] || fail "-l block size $8 for 300000 bytes at -6, want 512K"

# --memlimit: too little memory is refused with a clear error
expect_rc 1 "$MDZ" -d --memlimit=1K -c fdef.mdz
expect_err "fdef.mdz: "
expect_err "memory"
[ -s out ] && fail "output despite the memory limit"
cp fdef.mdz m.mdz
expect_rc 1 "$MDZ" -d --memlimit=1K m.mdz
absent m
exists m.mdz
no_temp_files
expect_rc 0 "$MDZ" -d --memlimit=0 -c fdef.mdz
same out f
expect_rc 0 "$MDZ" -t --memlimit=4G fdef.mdz
# a small limit is printed exactly (it read "limit 0 MiB")
expect_rc 1 "$MDZ" -t --memlimit=1 fdef.mdz
expect_err "limit 1 B)"
expect_rc 1 "$MDZ" -t --memlimit=1500K fdef.mdz
expect_err "limit 1500 KiB)"

# the header states what decoding needs: a 2 KB level-9 file fits in 500M
# (it "needed 1172 MiB" when headers counted the largest tables)
gen_text 2000 s
"$MDZ" -9 -c s >s9.mdz || fail "-9"
expect_rc 0 "$MDZ" --memlimit=500M -t s9.mdz
expect_rc 0 "$MDZ" --memlimit=40M -dc s9.mdz
same out s
expect_rc 1 "$MDZ" --memlimit=20M -t s9.mdz
expect_err "needs [0-9]* MiB, limit 20 MiB"
exit 0
