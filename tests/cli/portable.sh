# portable.sh -- the coded bits do not depend on the compiler or optimisation
# level: mdz built with gcc -O0 and with clang -O2 must write byte-identical
# streams to the ./mdz under test, on text, a log and binary data.  (The
# model is integer-only; this is the test that keeps it so.)  Skipped under
# the sanitizers, whose build is itself a different compiler configuration
# that the round-trip tests already exercise.  The last build takes the
# portable path where the others use SSE2 (-DMDZ_PORTABLE, mixer.h): the
# dispatch paths write the same bytes.  Levels 1, 6 and 9: the fast model,
# the default and everything.  (tests/cli/cross.sh does the same across
# architectures.)
. "$MDZ_TESTLIB"

[ "$MDZ_SAN" = 1 ] && skip "not under sanitizers"
src=$MDZ_SRCDIR
three_kinds
builds=0
for cfg in "gcc -O0" "clang -O2" "gcc -O3" "gcc -O2 -DMDZ_PORTABLE"; do
    set -- $cfg
    command -v "$1" >/dev/null 2>&1 || { note "$1 not installed: skipped"; continue; }
    dir=$(pwd)/build-$(echo "$cfg" | tr -c 'A-Za-z0-9\n' _)
    make -s -C "$src" CC="$1" CFLAGS="${cfg#* }" BUILD="$dir" "$dir/mdz" >make.log 2>&1 ||
        { cat make.log; fail "building with $cfg"; }
    for f in $files; do
        for lvl in 1 6 9; do
            "$MDZ" -"$lvl" -c "$f" > ref.mdz || fail "mdz -$lvl $f"
            "$dir/mdz" -"$lvl" -c "$f" > alt.mdz || fail "$cfg mdz -$lvl $f"
            cmp -s ref.mdz alt.mdz || fail "$cfg build codes $f at -$lvl differently"
            "$dir/mdz" -dc ref.mdz | cmp -s - "$f" || fail "$cfg build fails to decode $f"
        done
    done
    note "$cfg: identical on$(for f in $files; do printf ' %s' "$(basename "$f")"; done)"
    builds=$((builds + 1))
done
[ "$builds" -ge 1 ] || skip "no compiler"
exit 0
