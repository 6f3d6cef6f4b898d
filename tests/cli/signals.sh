# signals.sh -- SIGTERM, SIGINT and SIGHUP during compression and
# decompression: the temporary file is removed, the input kept, no output.
. "$MDZ_TESTLIB"

# Background jobs of a non-interactive shell ignore SIGINT, and mdz (like
# gzip) leaves ignored signals ignored: restore the default action.  launch
# runs in the background subshell and execs, so that $! is mdz itself.
if env --default-signal=INT true 2>/dev/null; then
    launch() { exec env --default-signal=INT,TERM,HUP "$@"; }
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

# wait_tmp PID: waits until a temporary output file exists or PID ended.
wait_tmp() {
    k=0
    while [ $k -lt 200 ]; do
        ls -a | grep -q '^\.big.*\.......$' && return 0
        kill -0 "$1" 2>/dev/null || return 1
        sleep 0.05
        k=$((k + 1))
    done
    return 1
}

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
exit 0
