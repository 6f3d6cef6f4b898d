# options.sh -- --help, --version, option syntax, usage errors, and that
# --help and man/mdz.1 describe the same options.
. "$MDZ_TESTLIB"

expect_rc 0 "$MDZ" --help
expect_no_err
grep -q '^Usage: mdz' out || fail "--help lacks the usage line"
cp out help.txt
expect_rc 0 "$MDZ" -h
same out help.txt

expect_rc 0 "$MDZ" --version
grep -q '^mdz [0-9]' out || fail "--version: $(cat out)"
expect_rc 0 "$MDZ" -V
grep -q '^mdz [0-9]' out || fail "-V: $(cat out)"

# every option the task lists is in --help
for o in -d --decompress -c --stdout -k --keep -f --force -t --test -l --list \
         -v --verbose -q --quiet -1 -9 --block-size --memlimit -o --output \
         -h --help -V --version -z --compress; do
    grep -q -e "$o\\b" help.txt || fail "--help does not mention $o"
done

# --help and the man page describe the same long options
man=$MDZ_SRCDIR/man/mdz.1
[ -f "$man" ] || fail "man/mdz.1 missing"
grep -o -e '--[a-z][a-z-]*' help.txt | sort -u >help.opts
sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$man" | grep -o -e '--[a-z][a-z-]*' | sort -u >man.opts
comm -23 help.opts man.opts >missing
[ -s missing ] && fail "options in --help but not in mdz.1: $(cat missing)"
comm -13 help.opts man.opts >missing
[ -s missing ] && fail "options in mdz.1 but not in --help: $(cat missing)"
for s in NAME SYNOPSIS DESCRIPTION OPTIONS 'EXIT STATUS' EXAMPLES 'SEE ALSO'; do
    grep -q "^\\.SH \"\\{0,1\\}$s" "$man" || fail "mdz.1 lacks section $s"
done
if command -v man >/dev/null 2>&1 && man --help 2>&1 | grep -q -e '--local-file'; then
    MANWIDTH=80 man --warnings -l "$man" >/dev/null 2>manwarn || true
    [ -s manwarn ] && { cat manwarn; fail "man page has warnings"; }
fi

# usage errors: exit 1 with a hint
expect_rc 1 "$MDZ" --no-such-option
expect_err "unrecognized option"
expect_err "mdz --help"
expect_rc 1 "$MDZ" -y
expect_err "invalid option"
expect_rc 1 "$MDZ" --block-size=100K
expect_err "block size"
expect_rc 1 "$MDZ" --block-size=32K
expect_rc 1 "$MDZ" --block-size=512M
expect_rc 1 "$MDZ" --block-size=abc
expect_rc 1 "$MDZ" --memlimit=lots
expect_rc 1 "$MDZ" --keep=yes
expect_rc 1 "$MDZ" -o
expect_rc 1 "$MDZ" --output
gen_text 100 a
gen_text 100 b
expect_rc 1 "$MDZ" -o x a b
expect_err "one input"
expect_rc 1 "$MDZ" -c -o x a
expect_rc 1 "$MDZ" -t -o x a
exists a
exists b
absent x

# option forms: combined short options, --opt=VAL / --opt VAL, "--"
gen_text 3000 f
cp f orig
expect_rc 0 "$MDZ" -9k f
exists f
exists f.mdz
expect_rc 0 "$MDZ" -dcf f.mdz
same out orig
rm f.mdz
expect_rc 0 "$MDZ" --keep --block-size 64K f
exists f.mdz
rm f.mdz
expect_rc 0 "$MDZ" --keep --block-size=1M --best f
expect_rc 0 "$MDZ" -dc --memlimit 64G f.mdz
same out orig
rm f.mdz
# a file named like an option, after --
cp orig ./-n
expect_rc 0 "$MDZ" -- -n
exists ./-n.mdz
absent ./-n
expect_rc 0 "$MDZ" -d -- -n.mdz
same ./-n orig
# unique long-option prefixes work
expect_rc 0 "$MDZ" --stdo --kee f
mv out p.mdz
expect_rc 0 "$MDZ" -d <p.mdz
same out orig
# -T is accepted
expect_rc 0 "$MDZ" -T 2 -c f
expect_rc 0 "$MDZ" --threads=1 -c f
expect_rc 1 "$MDZ" -T x -c f
# the last mode option wins: -d then -z compresses
expect_rc 0 "$MDZ" -d -z -c f
mv out p.mdz
expect_rc 0 "$MDZ" -d <p.mdz
same out orig
exit 0
