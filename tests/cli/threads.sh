# threads.sh -- -T: the same output for every thread count (1, 2, 3, 8, and
# 0 = one per CPU), each decoded by any other; a memory limit lowers the
# count and says so once; decoded bytes flow before a block ends (mdzcat |
# head gets its bytes and the pipeline ends).
. "$MDZ_TESTLIB"

size=400000
[ "$MDZ_SAN" = 1 ] && size=120000
[ -n "${MDZ_TSAN:-}" ] && size=40000   # ThreadSanitizer: ~25x slower
gen_text $size t
gen_random 100000 r
cat t r t >in
Ts="2 3 8 0"
[ -n "${MDZ_TSAN:-}" ] && Ts=3   # under ThreadSanitizer: the threaded paths once
"$MDZ" -T1 -1 --block-size=64K -c in >in.T1.mdz || fail "-T1"
for T in $Ts; do
    "$MDZ" -T$T -1 --block-size=64K -c in >in.T$T.mdz || fail "-T$T"
    same in.T$T.mdz in.T1.mdz
done
# streaming (stdin of unknown length) and --threads= spellings agree
"$MDZ" --threads=3 -1 --block-size=64K <in >in.pipe.mdz || fail "--threads=3 from stdin"
same in.pipe.mdz in.T1.mdz
for T in 1 $Ts; do
    [ "$T" = 0 ] && continue
    expect_rc 0 "$MDZ" -T$T -dc in.T1.mdz
    same out in
done
expect_rc 0 "$MDZ" -T2 -t in.T1.mdz
expect_rc 0 "$MDZ" -T3 -d <in.T1.mdz
same out in

# a memory limit lowers the thread count and says so once, never fails
# for threads; the memory of one thread is the header's figure
set -- $(od -An -tu1 -j8 -N4 in.T1.mdz)
one=$(( $1 + $2 * 256 + $3 * 65536 + $4 * 16777216 ))
cp in.T1.mdz a.mdz
cp in.T1.mdz b.mdz
expect_rc 0 "$MDZ" -T4 -dc --memlimit=$(( 2 * one + 1 ))M a.mdz b.mdz
expect_err "using 2 threads to stay under the memory limit"
[ "$(grep -c 'using' err)" -eq 1 ] || fail "the lowered count said more than once: $(cat err)"
cat in in >want
same out want
expect_rc 0 "$MDZ" -T4 -dc --memlimit=$(( one ))M a.mdz
expect_err "using 1 thread to stay"
expect_rc 0 "$MDZ" -T4 -1 --block-size=64K --memlimit-compress=$(( 2 * one + 1 ))M -c in
expect_err "using 2 threads to stay under the memory limit"
same out in.T1.mdz
# without a limit or -T nothing is said
expect_rc 0 "$MDZ" -dc a.mdz
expect_no_err

# decoded bytes flow: the first bytes of a one-block stream reach head, and
# mdz ends (SIGPIPE) rather than decoding the rest first
head -c 500000 t >one
"$MDZ" -1 -c one >one.mdz || fail "compress one"
rc=0
"$MDZ" -dc one.mdz | head -c 100 >first || rc=$?
[ "$(filesize first)" -eq 100 ] || fail "head got $(filesize first) bytes"
head -c 100 one | cmp -s - first || fail "the first 100 bytes differ"
exit 0
