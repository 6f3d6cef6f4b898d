# faults.sh -- the CLI keeps data safe when the environment fights back:
# the same file named twice, an output directory it cannot write to.
# (/dev/full, signals, directories, symlinks and FIFOs: devfull.sh,
# signals.sh, keep-force.sh.)
. "$MDZ_TESTLIB"

head -c 20000 /dev/urandom > r
printf 'hello hello hello hello\n' > a
cat a r > a
cp a a.orig

# the same file twice: the first run compresses and removes it, the second
# finds it gone -- an error for that operand only; a.mdz is intact
expect_rc 1 "$MDZ" a a
expect_err "a: No such file or directory"
exists a.mdz
absent a
"$MDZ" -dc a.mdz > a.back || fail "a.mdz does not decode"
same a.back a.orig
rm -f a.mdz a.back
cp a.orig a

# with -k the second run meets the first run's output: refused, kept
expect_rc 1 "$MDZ" -k a a
expect_err "a.mdz"
exists a
exists a.mdz
"$MDZ" -dc a.mdz | cmp -s - a.orig || fail "a.mdz damaged by the second operand"
rm -f a.mdz

# an output directory that cannot be written: error naming the file, input
# kept, nothing left behind.  Needs an unprivileged user (root writes
# anywhere): setpriv from util-linux drops to nobody.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
    mkdir ro
    cp a.orig ro/a
    chmod 755 ro
    chmod 644 ro/a
    chmod 755 . ..   # the runner's temporary directories: let nobody in
    rc=0
    setpriv --reuid=nobody --regid=nogroup --clear-groups "$MDZ" ro/a 2>err || rc=$?
    [ "$rc" -eq 1 ] || { cat err; fail "unwritable directory: exit $rc, expected 1"; }
    expect_err "ro/a.mdz: .*Permission denied"
    exists ro/a
    same ro/a a.orig
    [ -z "$(ls -A ro | grep -v '^a$')" ] || fail "left behind in ro/: $(ls -A ro)"
    note "unwritable directory: $(cat err)"
elif [ "$(id -u)" != 0 ]; then
    mkdir ro
    cp a.orig ro/a
    chmod 555 ro
    expect_rc 1 "$MDZ" ro/a
    expect_err "ro/a"
    same ro/a a.orig
    [ -z "$(ls -A ro | grep -v '^a$')" ] || fail "left behind in ro/"
    chmod 755 ro
else
    note "root without setpriv: unwritable-directory case not run"
fi
exit 0
