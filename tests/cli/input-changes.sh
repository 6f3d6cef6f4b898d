# input-changes.sh -- an input that changes while it is being coded is not
# removed: grown (appended to), rewritten in place, replaced by rename; the
# output is kept, the exit status is 2 and the message says why.  An input
# left alone is removed as usual.
. "$MDZ_TESTLIB"

size=700000
[ "$MDZ_SAN" = 1 ] && size=250000
gen_text $size big
cp big orig

# change_during OPTS NAME ACTION: runs mdz OPTS NAME in the background,
# stops it once it is at work, runs ACTION, lets it go on; $rc is its
# status, err its stderr.
change_during() {
    opts=$1 nm=$2 action=$3
    "$MDZ" $opts "$nm" 2>err &
    pid=$!
    wait_tmp $pid || { wait $pid; fail "mdz $opts $nm ended before it could be stopped"; }
    kill -STOP $pid
    eval "$action"
    kill -CONT $pid
    rc=0
    wait $pid || rc=$?
}

# 1. appended to while compressing (the case: 1 MB would be lost)
change_during -1 big 'head -c 100000 orig >>big'
[ $rc -eq 2 ] || { cat err; fail "grown input: exit $rc, want 2"; }
expect_err "big: grew while it was being read -- not removed"
exists big
cat orig >want
head -c 100000 orig >>want
same big want
exists big.mdz
"$MDZ" -dc big.mdz >got || fail "the output of a changed input does not decode"
# whatever was read was compressed: a prefix of what is there now
cmp -s got big || cmp big got 2>&1 | grep -q EOF || fail "output is not a prefix of the input"
no_temp_files
rm -f big.mdz got

# 2. replaced by rename meanwhile (the new file must survive)
cp orig big
gen_text 5000 other
change_during -1 big 'cp other newbig && mv newbig big'
[ $rc -eq 2 ] || { cat err; fail "replaced input: exit $rc, want 2"; }
expect_err "big: seems to have been moved or replaced -- not removed"
same big other
"$MDZ" -dc big.mdz | cmp -s - orig || fail "the output is not the file that was read"
rm -f big.mdz

# 3. rewritten in place, same size
cp orig big
change_during -1 big 'printf XXXX | dd of=big bs=1 seek=10 conv=notrunc 2>/dev/null'
[ $rc -eq 2 ] || { cat err; fail "rewritten input: exit $rc, want 2"; }
expect_err "big: was modified while it was being read -- not removed"
exists big
rm -f big.mdz

# 4. truncated
cp orig big
change_during -1 big ': >big'
[ $rc -eq 2 ] || { cat err; fail "truncated input: exit $rc, want 2"; }
expect_err "big: shrank while it was being read -- not removed"
exists big
rm -f big.mdz

# 5. decompression: the .mdz input is kept the same way
cp orig big
"$MDZ" -1 big || fail "compress"
cp big.mdz big.mdz.orig
change_during -d big.mdz 'touch big.mdz'
[ $rc -eq 2 ] || { cat err; fail "touched .mdz input: exit $rc, want 2"; }
expect_err "big.mdz: was modified while it was being read -- not removed"
exists big.mdz
same big orig
rm -f big

# 6. -o, and an input that was left alone is removed as before
cp big.mdz.orig big.mdz
change_during -d big.mdz ':'
[ $rc -eq 0 ] || { cat err; fail "untouched input: exit $rc"; }
absent big.mdz
same big orig
cp orig in
change_during "-1 -o out.mdz" in 'head -c 10 orig >>in'
[ $rc -eq 2 ] || { cat err; fail "-o, grown input: exit $rc, want 2"; }
exists in
exit 0
