# truncation.sh -- every proper prefix of a small .mdz file is rejected by
# -d and -t with a message and a non-zero status; -d leaves no output.
. "$MDZ_TESTLIB"

gen_text 2048 f
"$MDZ" -c --block-size=64K f >full.mdz || fail "compress"
size=$(filesize full.mdz)
step=1
[ "$MDZ_SAN" = 1 ] && step=7
note "$size bytes, every prefix (step $step)"
i=0
while [ $i -lt "$size" ]; do
    head -c $i full.mdz >p.mdz
    rc=0
    "$MDZ" -d p.mdz 2>err || rc=$?
    [ $rc -eq 1 ] || { cat err; fail "-d of a $i-byte prefix exited $rc"; }
    [ -s err ] || fail "-d of a $i-byte prefix: no message"
    grep -q '^mdz: p.mdz: ' err || { cat err; fail "prefix $i: message does not name the file"; }
    [ -e p ] && fail "-d of a $i-byte prefix left an output file"
    [ -e p.mdz ] || fail "-d of a $i-byte prefix removed the input"
    rc=0
    "$MDZ" -t p.mdz 2>err || rc=$?
    [ $rc -eq 1 ] || { cat err; fail "-t of a $i-byte prefix exited $rc"; }
    [ -s err ] || fail "-t of a $i-byte prefix: no message"
    i=$((i + step))
done
no_temp_files
# the whole file is fine
expect_rc 0 "$MDZ" -t full.mdz
# stdin truncation names (stdin); the message is "unexpected end of input"
# for a cut in the middle
head -c $((size - 1)) full.mdz >p.mdz
rc=0
"$MDZ" -d <p.mdz >out 2>err || rc=$?
[ $rc -eq 1 ] || fail "truncated stdin exited $rc"
expect_err "(stdin): unexpected end of input"
exit 0
