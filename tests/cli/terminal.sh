# terminal.sh -- compressed data is neither written to nor read from a
# terminal unless -f; decompressed data may go to a terminal.  Uses
# script(1) from util-linux to provide a pseudo-terminal.
. "$MDZ_TESTLIB"

command -v script >/dev/null 2>&1 || skip "script(1) not available"
script -qec true /dev/null </dev/null >/dev/null 2>&1 || skip "script -qec does not work here"

gen_text 2000 f
cp f orig
"$MDZ" -k f || fail "compress"

# on a terminal: script runs the command with stdin/stdout/stderr on a pty
tty_run() {
    rc=0
    script -qec "$1" /dev/null </dev/null >log 2>&1 || rc=$?
}

tty_run "'$MDZ' -c f"
[ $rc -eq 1 ] || { cat log; fail "mdz -c to a terminal exited $rc"; }
grep -q 'compressed data not written to a terminal' log || { cat log; fail "no refusal message"; }
grep -q 'Use -f to force' log || fail "no hint"

tty_run "'$MDZ'"
[ $rc -eq 1 ] || { cat log; fail "mdz stdin->stdout on a terminal exited $rc"; }
grep -q 'not written to a terminal' log || { cat log; fail "no refusal message (stdin)"; }

tty_run "'$MDZ' -d"
[ $rc -eq 1 ] || { cat log; fail "mdz -d reading a terminal exited $rc"; }
grep -q 'compressed data not read from a terminal' log || { cat log; fail "no refusal message (read)"; }

tty_run "'$MDZ' -t"
[ $rc -eq 1 ] || { cat log; fail "mdz -t reading a terminal exited $rc"; }

# the terminal check does not prevent compressing files in place
rm f.mdz
tty_run "'$MDZ' -k f"
[ $rc -eq 0 ] || { cat log; fail "mdz -k f under a terminal exited $rc"; }
exists f.mdz

# -f forces: the stream reaches the terminal (count the bytes through a pipe
# inside the pty session would defeat the test; check the status instead)
tty_run "'$MDZ' -cf f >/dev/tty"
[ $rc -eq 0 ] || { cat log; fail "mdz -cf to a terminal exited $rc"; }

# decompressed data to a terminal is fine
tty_run "'$MDZ' -dc f.mdz"
[ $rc -eq 0 ] || { cat log; fail "mdz -dc to a terminal exited $rc"; }
grep -q 'the\|and\|of' log || { cat log; fail "decompressed text not shown"; }

# -v with stderr on a terminal: a progress line (rewritten with \r) during
# long work, then the summary line
psize=700000
[ "$MDZ_SAN" = 1 ] && psize=300000
gen_text $psize p
t0=$(date +%s)
tty_run "'$MDZ' -v -k --block-size=64K p"
t1=$(date +%s)
[ $rc -eq 0 ] || { cat log; fail "mdz -v -k p exited $rc"; }
exists p.mdz
grep -q "mdz: p: $psize -> " log || { cat log; fail "no summary line"; }
if ! tr '\r' '\n' <log | grep -q '^mdz: p: .*%.* -> '; then
    # the line appears after a second of work; a fast machine may finish first
    [ $((t1 - t0)) -lt 3 ] || { cat -A log; fail "no progress line in $((t1 - t0)) s"; }
    note "compression took $((t1 - t0)) s: too fast for a progress line"
fi
# without -v, nothing at all
rm p.mdz
tty_run "'$MDZ' -k --block-size=64K p"
[ $rc -eq 0 ] || { cat log; fail "mdz -k p exited $rc"; }
[ -s log ] && { cat -A log; fail "output on the terminal without -v"; }
exit 0
