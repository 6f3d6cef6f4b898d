# cross.sh -- the format's promise across architectures: mdz cross-built
# for aarch64 and for big-endian s390x (gcc-aarch64-linux-gnu,
# gcc-s390x-linux-gnu; static, so qemu-user runs them without a sysroot)
# writes streams byte-identical to the ./mdz under test, at levels 1, 6 and
# 9 (the fast model, the default, everything), on text, a log and binary
# data (and with two threads at level 6); and decodes the native streams.  Skipped for
# an architecture whose compiler or qemu is missing (scripts/install-deps
# --cross installs both; .ci/run does) and under the sanitizers.
. "$MDZ_TESTLIB"

[ "$MDZ_SAN" = 1 ] && skip "not under sanitizers"
src=$MDZ_SRCDIR
three_kinds
archs=0
for arch in aarch64 s390x; do
    cc=$arch-linux-gnu-gcc
    qemu=qemu-$arch
    command -v "$cc" >/dev/null 2>&1 && command -v "$qemu" >/dev/null 2>&1 ||
        { note "$arch: $cc or $qemu not installed: skipped"; continue; }
    dir=$(pwd)/build-$arch
    make -s -C "$src" CC="$cc" CFLAGS="-O2 -static" BUILD="$dir" "$dir/mdz" >make.log 2>&1 ||
        { cat make.log; fail "cross-building for $arch"; }
    x="$qemu $dir/mdz"
    $x -V >/dev/null 2>&1 || fail "$arch build does not run under $qemu"
    for f in $files; do
        for lvl in 1 6 9; do
            "$MDZ" -"$lvl" -T1 -c "$f" > ref.mdz || fail "mdz -$lvl $f"
            for t in 1 2; do
                [ $t = 2 ] && [ $lvl != 6 ] && continue
                $x -"$lvl" -T$t -c "$f" > alt.mdz || fail "$arch mdz -$lvl -T$t $f"
                cmp -s ref.mdz alt.mdz || fail "$arch build codes $f at -$lvl -T$t differently"
            done
            $x -dc ref.mdz | cmp -s - "$f" || fail "$arch build fails to decode $f (-$lvl)"
        done
    done
    note "$arch: identical on$(for f in $files; do printf ' %s' "$(basename "$f")"; done) at -1, -6, -9"
    archs=$((archs + 1))
done
[ "$archs" -ge 1 ] || skip "no cross compiler with qemu"
