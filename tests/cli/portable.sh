# portable.sh -- the coded bits do not depend on the compiler or optimisation
# level: mdz built with gcc -O0 and with clang -O2 must write byte-identical
# streams to the ./mdz under test, on text, a log and binary data.  (The
# model is integer-only; this is the test that keeps it so.)  Skipped under
# the sanitizers, whose build is itself a different compiler configuration
# that the round-trip tests already exercise.  Levels 1, 6 and 7: the
# smallest model, the default (SSE chain) and the denoiser's first level.
. "$MDZ_TESTLIB"

[ "$MDZ_SAN" = 1 ] && skip "not under sanitizers"
src=$MDZ_SRCDIR
files=""
if [ -n "$MDZ_CORPUS_DIR" ]; then
    for f in text/alice29.txt logs/HDFS_2k.log binary/geo.protodata; do
        [ -f "$MDZ_CORPUS_DIR/$f" ] && files="$files $MDZ_CORPUS_DIR/$f"
    done
fi
if [ -z "$files" ]; then
    "$MDZ_TOOLS/gen_samples" . || fail "gen_samples"
    files="text.txt syslog.log records.bin"
fi
builds=0
for cfg in "gcc -O0" "clang -O2" "gcc -O3"; do
    set -- $cfg
    command -v "$1" >/dev/null 2>&1 || { note "$1 not installed: skipped"; continue; }
    dir=$(pwd)/build-$1$2
    make -s -C "$src" CC="$1" CFLAGS="$2" BUILD="$dir" "$dir/mdz" >make.log 2>&1 ||
        { cat make.log; fail "building with $cfg"; }
    for f in $files; do
        for lvl in 1 6 7; do
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
