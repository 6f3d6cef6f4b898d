# environment.sh -- MDZ_OPT holds default options (as XZ_OPT does): parsed
# before the command line, which overrides it; options only; its errors
# name it.  tar -I mdz picks the level from it.
. "$MDZ_TESTLIB"

gen_text 20000 f
cp f orig
MDZ_OPT=-9 "$MDZ" -k f || fail "MDZ_OPT=-9"
"$MDZ" -l f.mdz >out
set -- $(sed -n 2p out)
[ "$7" = 9 ] || fail "MDZ_OPT=-9 gave level $7"
rm f.mdz
# the command line wins
MDZ_OPT=-9 "$MDZ" -k -2 f || fail "MDZ_OPT=-9 with -2"
"$MDZ" -l f.mdz >out
set -- $(sed -n 2p out)
[ "$7" = 2 ] || fail "-2 after MDZ_OPT=-9 gave level $7"
rm f.mdz
# several words, long options with values
MDZ_OPT='  -3   --block-size=64K	-k ' "$MDZ" f || fail "MDZ_OPT with blanks"
exists f
"$MDZ" -l f.mdz >out
set -- $(sed -n 2p out)
[ "$7" = 3 ] && [ "$8" = 64K ] || fail "MDZ_OPT words: level $7 block $8"
rm f.mdz
# no file names in it, and its errors name it
MDZ_OPT='-k f' expect_rc 1 "$MDZ" -c f
expect_err "MDZ_OPT: file names are not allowed"
MDZ_OPT='--no-such' expect_rc 1 "$MDZ" -c f
expect_err "MDZ_OPT: unrecognized option '--no-such'"
MDZ_OPT='-y' expect_rc 1 "$MDZ" -c f
expect_err "MDZ_OPT: invalid option -- 'y'"
MDZ_OPT='' expect_rc 0 "$MDZ" -c f
unset MDZ_OPT
"$MDZ" -dc <out | cmp -s - orig || fail "empty MDZ_OPT"
# a level in MDZ_OPT does not disturb decompression
"$MDZ" -k f || fail "compress"
MDZ_OPT=-9 expect_rc 0 "$MDZ" -dc f.mdz
same out orig
unset MDZ_OPT
# tar -I mdz with the level from the environment
if command -v tar >/dev/null 2>&1; then
    mkdir tree
    cp orig tree/f
    MDZ_OPT=-1 tar -I "$MDZ" -cf t.tar.mdz tree || fail "tar -I mdz"
    "$MDZ" -l t.tar.mdz >out
    set -- $(sed -n 2p out)
    [ "$7" = 1 ] || fail "tar -I with MDZ_OPT=-1: level $7"
    mkdir x
    tar -I "$MDZ" -xf t.tar.mdz -C x || fail "tar -x"
    same x/tree/f orig
fi
exit 0
