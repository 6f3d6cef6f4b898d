# signals.sh -- SIGTERM, SIGINT and SIGHUP during compression and
# decompression, and every other catchable signal that terminates by
# default during compression (sent, and for SIGXCPU and SIGXFSZ also raised
# by real resource limits): the temporary file is removed, the input kept,
# no output, and mdz dies of the signal.
. "$MDZ_TESTLIB"

# Background jobs of a non-interactive shell ignore SIGINT, and mdz (like
# gzip) leaves ignored signals ignored: restore the default action.  launch
# runs in the background subshell and execs, so that $! is mdz itself.
if env --default-signal true 2>/dev/null; then
    launch() { exec env --default-signal "$@"; }
elif command -v perl >/dev/null 2>&1; then
    launch() { exec perl -e '$SIG{$_} = "DEFAULT" for qw(INT TERM HUP); exec @ARGV or die' "$@"; }
else
    launch() { exec "$@"; }
    note "cannot restore SIGINT for background jobs: SIGINT not tested"
    noint=1
fi

size=2000000
[ "$MDZ_SAN" = 1 ] && size=600000
gen_text $size big
cp big orig
"$MDZ" -k -1 big || fail "compress"
cp big.mdz big.mdz.orig

killed=0
for sig in TERM INT HUP; do
    [ $sig = INT ] && [ "${noint:-0}" = 1 ] && continue
    for dir in d c; do
        rm -f big big.mdz
        if [ $dir = d ]; then
            cp big.mdz.orig big.mdz
            input=big.mdz output=big
            launch "$MDZ" -d big.mdz 2>err &
        else
            cp orig big
            input=big output=big.mdz
            launch "$MDZ" -1 big 2>err &
        fi
        pid=$!
        wait_tmp $pid && sleep 0.2
        kill -$sig $pid 2>/dev/null
        rc=0
        wait $pid || rc=$?
        no_temp_files
        if [ $rc -gt 128 ]; then
            killed=$((killed + 1))
            exists $input
            absent $output
            if [ $dir = d ]; then same big.mdz big.mdz.orig; else same big orig; fi
        elif [ $rc -eq 0 ]; then
            note "SIG$sig ($dir): mdz finished before the signal"
            absent $input
            exists $output
        else
            cat err
            fail "SIG$sig ($dir): exit status $rc"
        fi
    done
done
note "$killed runs interrupted"
[ $killed -gt 0 ] || note "no run was interrupted mid-way (machine too fast?)"

# The other signals, during compression (kill -l names; the faults only
# outside the sanitizer build, whose runtime reports them itself).  A
# stopped mdz cannot finish before the signal: each run is killed.
sigs="QUIT PIPE ALRM USR1 USR2 XCPU XFSZ VTALRM PROF IO PWR RTMIN RTMAX"
[ "$MDZ_SAN" = 1 ] || sigs="$sigs SEGV BUS ILL FPE ABRT TRAP SYS"
ulimit -c 0 2>/dev/null
# signame STATUS: the name of the signal an exit status > 128 reports
signame() {
    [ "$1" -gt 128 ] && kill -l $(($1 - 128)) 2>/dev/null
}
for sig in $sigs; do
    rm -f big.mdz
    cp orig big
    launch "$MDZ" -1 big 2>err &
    pid=$!
    wait_tmp $pid || { wait $pid; fail "SIG$sig: mdz ended before it could be signalled"; }
    kill -STOP $pid
    kill -s $sig $pid
    kill -CONT $pid
    rc=0
    wait $pid || rc=$?
    [ "$(signame $rc)" = $sig ] || { cat err; fail "SIG$sig: exit status $rc ($(signame $rc))"; }
    no_temp_files
    same big orig
    absent big.mdz
done

# Real limits: CPU time (SIGXCPU) and file size (SIGXFSZ).  ulimit in a
# subshell; the soft CPU limit of 1 s is reached well before the end.
rm -f big.mdz
cp orig big
rc=0
(ulimit -S -t 1 && exec "$MDZ" -6 big) 2>err || rc=$?
if [ $rc -eq 0 ]; then
    note "compression took less than 1 s of CPU: SIGXCPU not reached"
    rm -f big.mdz
    cp orig big
else
    [ "$(signame $rc)" = XCPU ] || { cat err; fail "ulimit -t: exit status $rc"; }
    no_temp_files
    same big orig
    absent big.mdz
fi
gen_random 300000 rnd
cp rnd rnd.orig
rc=0
(ulimit -f 100 && exec "$MDZ" -1 rnd) 2>err || rc=$?
[ "$(signame $rc)" = XFSZ ] || { cat err; fail "ulimit -f: exit status $rc"; }
no_temp_files
same rnd rnd.orig
absent rnd.mdz
exit 0
