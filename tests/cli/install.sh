# install.sh -- make install / make uninstall into a DESTDIR: every program,
# link, man page, the library files and the magic entry; the installed
# mdzgrep runs the installed mdz; the /etc/magic block is added once, keeps
# the file's other entries, and is removed by uninstall, as is everything
# else that was installed.  Nothing is rebuilt.
. "$MDZ_TESTLIB"

[ "$MDZ_SAN" = 1 ] && skip "not under sanitizers (make install installs the release build)"
command -v make >/dev/null 2>&1 || skip "make is not installed"
src=$MDZ_SRCDIR
root=$PWD/root

# mk TARGET ROOT: make -s TARGET with the variables of this test
mk() {
    make -s -C "$src" "$1" DESTDIR="$2" PREFIX=/usr MAGIC_LOCAL=/etc/magic >mk.out 2>&1 ||
        { cat mk.out; fail "make $1 DESTDIR=$2 failed"; }
}

# The build must be up to date: make install may not compile anything.
make -n -C "$src" install DESTDIR="$root" PREFIX=/usr MAGIC_LOCAL=/etc/magic >dry 2>&1 ||
    { cat dry; fail "make -n install failed"; }
if grep -q -e ' -c -o ' -e 'ar rcs' -e ' -shared ' -e ' mdz\.tmp' dry; then
    skip "the build is not up to date (make install would rebuild it); run make first"
fi

ls -A "$src" >top.before
touch marker
sleep 1

# an /etc/magic with an entry of its own, which must survive
mkdir -p root/etc
printf '# local magic\n0\tstring\tLOCALTEST\tlocal test data\n' >root/etc/magic
cp root/etc/magic magic.orig
mk install "$root"

# nothing rebuilt, nothing new in the source tree
for f in build mdz libmdz.a libmdz.so.0; do
    new=$(find "$src/$f" -newer marker -print 2>/dev/null | head -n 5)
    [ -z "$new" ] || fail "make install rebuilt: $new"
done
ls -A "$src" >top.after
cmp -s top.before top.after || { diff top.before top.after; fail "make install added files to the source tree"; }

u=$root/usr
bins="mdz unmdz mdzcat mdzgrep mdzegrep mdzfgrep mdzdiff mdzcmp mdzless mdzmore"
for b in $bins; do
    [ -f "$u/bin/$b" ] && [ -x "$u/bin/$b" ] || fail "$u/bin/$b is not installed as an executable"
    [ -f "$u/share/man/man1/$b.1" ] || fail "man page $b.1 is not installed"
done
for l in unmdz:mdz mdzcat:mdz mdzegrep:mdzgrep mdzfgrep:mdzgrep mdzcmp:mdzdiff; do
    [ -L "$u/bin/${l%%:*}" ] || fail "bin/${l%%:*} is not a symbolic link"
    [ "$(readlink "$u/bin/${l%%:*}")" = "${l#*:}" ] || fail "bin/${l%%:*} -> $(readlink "$u/bin/${l%%:*}")"
    [ "$(readlink "$u/share/man/man1/${l%%:*}.1")" = "${l#*:}.1" ] ||
        fail "man1/${l%%:*}.1 -> $(readlink "$u/share/man/man1/${l%%:*}.1")"
done
for s in mdzgrep mdzdiff mdzless mdzmore; do
    same "$u/bin/$s" "$src/src/scripts/$s"
    same "$u/share/man/man1/$s.1" "$src/man/$s.1"
done
for f in lib/libmdz.a lib/libmdz.so lib/libmdz.so.0 include/mdz.h lib/pkgconfig/mdz.pc; do
    exists "$u/$f"
done
grep -q '^prefix=/usr$' "$u/lib/pkgconfig/mdz.pc" || fail "mdz.pc: $(head -n 3 "$u/lib/pkgconfig/mdz.pc")"
same "$u/share/mdz/mdz.magic" "$src/magic/mdz.magic"

# the magic block, once, after the local entry
[ "$(grep -c '^# mdz: begin' root/etc/magic)" -eq 1 ] || fail "/etc/magic: not one begin marker"
[ "$(grep -c '^# mdz: end' root/etc/magic)" -eq 1 ] || fail "/etc/magic: not one end marker"
head -n 2 root/etc/magic >head2
same head2 magic.orig

# the installed programs work, with the installed mdz even when PATH has
# another one
mkdir fakebin
printf '#!/bin/sh\necho "wrong mdz" >&2\nexit 99\n' >fakebin/mdz
chmod +x fakebin/mdz
printf 'one apple\ntwo pears\nthree apples\n' >fruit
cp fruit fruit.orig
"$u/bin/mdz" -k fruit || fail "installed mdz"
exists fruit.mdz
expect_rc 0 env PATH="$PWD/fakebin:$PATH" "$u/bin/mdzgrep" -c apple fruit.mdz
[ "$(cat out)" = 2 ] || fail "installed mdzgrep -c: $(cat out) $(cat err)"
expect_rc 0 env PATH="$PWD/fakebin:$PATH" "$u/bin/mdzegrep" -n 'one|three' fruit.mdz fruit
[ "$(wc -l <out)" -eq 4 ] || fail "installed mdzegrep: $(cat out) $(cat err)"
expect_rc 0 env PATH="$PWD/fakebin:$PATH" "$u/bin/mdzcmp" fruit.mdz
expect_rc 0 env PATH="$PWD/fakebin:$PATH" "$u/bin/mdzdiff" fruit.mdz fruit.orig
expect_rc 0 env PATH="$PWD/fakebin:$PATH" "$u/bin/mdzmore" fruit.mdz
same out fruit.orig
if command -v file >/dev/null 2>&1; then
    file -b -m root/etc/magic fruit.mdz >out 2>err || fail "file -m root/etc/magic"
    grep -q '^mdz compressed data, format version [123], ' out || fail "file with the installed magic: $(cat out) $(cat err)"
    printf 'LOCALTEST\n' >local
    [ "$(file -b -m root/etc/magic local)" = "local test data" ] || fail "the local entry was lost"
fi

# again: the block is replaced, not added
mk install "$root"
[ "$(grep -c '^# mdz: begin' root/etc/magic)" -eq 1 ] || fail "second install: not one begin marker"
[ "$(grep -c '^# mdz: end' root/etc/magic)" -eq 1 ] || fail "second install: not one end marker"
[ "$(grep -c 'mdz compressed data' root/etc/magic)" -eq 1 ] || fail "second install: the entry twice"

# uninstall: everything gone, /etc/magic back as it was
mk uninstall "$root"
left=$(cd root && find . \( -type f -o -type l \) -print | grep -v -x -e ./etc/magic)
[ -z "$left" ] || fail "left after uninstall: $left"
same root/etc/magic magic.orig
[ -d "$u/share/mdz" ] && fail "share/mdz left after uninstall"
mk uninstall "$root"
same root/etc/magic magic.orig

# no /etc/magic yet: install creates it, uninstall leaves it without the block
root2=$PWD/root2
mk install "$root2"
[ -f root2/etc/magic ] || fail "install did not create /etc/magic"
grep -q '^# mdz: begin' root2/etc/magic || fail "no block in a new /etc/magic"
mk uninstall "$root2"
grep -q 'mdz' root2/etc/magic && fail "uninstall left mdz lines: $(cat root2/etc/magic)"
left=$(cd root2 && find . \( -type f -o -type l \) -print | grep -v -x -e ./etc/magic)
[ -z "$left" ] || fail "left after uninstall: $left"

# and the source tree again
ls -A "$src" >top.after
cmp -s top.before top.after || { diff top.before top.after; fail "the source tree changed"; }
exit 0
