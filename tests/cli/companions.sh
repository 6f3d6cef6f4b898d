# companions.sh -- the scripts of src/scripts, run from $MDZ_BIN (beside the
# mdz under test): mdzgrep, mdzegrep, mdzfgrep (output and exit status
# compared with grep's on the uncompressed files), mdzdiff, mdzcmp, mdzless,
# mdzmore; --help and --version; which mdz they run; their man pages.
. "$MDZ_TESTLIB"

B=$MDZ_BIN
for p in mdzgrep mdzegrep mdzfgrep mdzdiff mdzcmp mdzless mdzmore; do
    [ -x "$B/$p" ] || fail "$B/$p is missing or not executable"
done
unset LESS LESSOPEN LESSCLOSE PAGER GREP POSIXLY_CORRECT
mkdir tmp
TMPDIR=$PWD/tmp
export TMPDIR
no_tmp_left() {
    left=$(ls -A tmp)
    [ -z "$left" ] || fail "$1: temporary files left in \$TMPDIR: $left"
}

# z/ holds .mdz files (and one plain file), p/ the same names holding the
# uncompressed contents: grep in p/ is the oracle for mdzgrep in z/.
mkdir z p
printf 'apple pie\nbanana split\nCherry tart\na.c literal\nabc xyz\nAPPLE SAUCE\npineapple\n' >z/a.txt
printf 'date\nelderberry\nfig and apple\napple\n' >z/b.txt
printf 'space apple\nnothing\n' >"z/sp ace.txt"
printf 'dash\napple dash\n' >z/-dash.txt
printf 'quote apple\n' >"z/it's.txt"
for f in a.txt b.txt "sp ace.txt" -dash.txt "it's.txt"; do
    "$MDZ" -k "z/$f" || fail "compressing $f"
    mv "z/$f" "p/$f.mdz"
done
gen_text 200000 z/big.txt
"$MDZ" -1 --block-size=64K -k z/big.txt || fail "compressing big.txt"
mv z/big.txt p/big.txt.mdz
cat z/a.txt.mdz z/b.txt.mdz >z/cat.mdz
cat p/a.txt.mdz p/b.txt.mdz >p/cat.mdz
printf 'grape\napple crumble\n' >z/plain.txt
cp z/plain.txt p/plain.txt
gen_text 3000 mid.txt
"$MDZ" -c mid.txt >z/bad.mdz || fail "compressing mid.txt"
flip_byte z/bad.mdz $(( $(filesize z/bad.mdz) / 2 )) 16
cp mid.txt p/bad.mdz   # (never compared: grep and mdzgrep differ on it)

# vs_grep PROG GREPOPT ARG...: PROG ARG... in z/ prints what grep GREPOPT
# ARG... prints in p/, and exits with the same status.
vs_grep() {
    vg_p=$1 vg_o=$2
    shift 2
    g=0
    (cd p && grep "$vg_o" "$@" >../g.out 2>../g.err) || g=$?
    m=0
    (cd z && "$B/$vg_p" "$@" >../m.out 2>../m.err) || m=$?
    if [ "$g" -ne "$m" ]; then
        cat m.err
        fail "$vg_p $*: exit $m, grep $vg_o exits $g"
    fi
    if ! cmp -s g.out m.out; then
        diff g.out m.out
        fail "$vg_p $*: output differs from grep $vg_o's"
    fi
}

# vs_grep_all PROG GREPOPT ARG...: the same, with six files after ARG... (an
# ARG may be an option after the PATTERN: GNU grep permutes)
vs_grep_all() {
    vs_grep "$@" a.txt.mdz b.txt.mdz plain.txt cat.mdz "sp ace.txt.mdz" "it's.txt.mdz"
}

# ---- mdzgrep: one file, then several (prefixes), each option ------------
expect_rc 0 "$B/mdzgrep" apple z/a.txt.mdz
printf 'apple pie\npineapple\n' >want
same out want
expect_no_err
(cd z && "$B/mdzgrep" -n apple "sp ace.txt.mdz" "it's.txt.mdz" plain.txt -- -dash.txt.mdz) >out ||
    fail "mdzgrep with odd names"
printf "sp ace.txt.mdz:1:space apple\nit's.txt.mdz:1:quote apple\nplain.txt:2:apple crumble\n-dash.txt.mdz:2:apple dash\n" >want
same out want
(cd z && "$B/mdzgrep" -l apple a.txt.mdz nomatch.none plain.txt 2>/dev/null) >out
printf 'a.txt.mdz\nplain.txt\n' >want
same out want

for opts in "apple" "-i apple" "-c apple" "-l apple" "-L apple" "-h apple" \
            "-H apple" "-n apple" "-v apple" "-w apple" "-x apple" "-o app.e" \
            "-b apple" "-ci -e apple -e date" "-m 1 apple" "-A 1 banana" \
            "-B1 -n tart" "-C 1 Cherry" "-nic apple" "--count apple" \
            "--ignore-case --line-number apple" "--files-with-matches apple" \
            "--regexp=apple --invert-match" "--max-count 1 apple" \
            "-e apple -h" "apple -c" "zzz_nothing" "-q apple" "-q zzz"; do
    # shellcheck disable=SC2086
    vs_grep_all mdzgrep -G $opts
    # shellcheck disable=SC2086
    vs_grep mdzgrep -G $opts a.txt.mdz
done
# a file of several blocks (slower to decode: fewer runs)
for opts in "-c the" "-l the" "-L the" "-m 2 -n the" "-q the" "-n -A 2 -B 1 -w years"; do
    # shellcheck disable=SC2086
    vs_grep_all mdzgrep -G $opts big.txt.mdz
done
vs_grep mdzgrep -G -n apple -- -dash.txt.mdz a.txt.mdz
vs_grep mdzgrep -G -c apple cat.mdz
expect_rc 0 "$B/mdzgrep" -c apple z/cat.mdz
[ "$(cat out)" = 4 ] || fail "concatenated streams: count $(cat out), expected 4"
# -l stops grep early: mdz then dies of SIGPIPE, which is no error
expect_rc 0 "$B/mdzgrep" -l the z/big.txt.mdz
expect_no_err
[ "$(cat out)" = z/big.txt.mdz ] || fail "-l on a multi-block file: $(cat out)"

# patterns from a file and from standard input (read once, used for all)
printf 'date\nCherry\n' >pats
vs_grep_all mdzgrep -G -f ../pats
vs_grep_all mdzgrep -G -n -f ../pats -e apple
printf 'tart\nfig\n' | (cd z && "$B/mdzgrep" -f - a.txt.mdz b.txt.mdz) >m.out ||
    fail "mdzgrep -f -"
printf 'a.txt.mdz:Cherry tart\nb.txt.mdz:fig and apple\n' >want
same m.out want
no_tmp_left "mdzgrep -f -"

# standard input, alone or as -
"$B/mdzgrep" -n apple <z/a.txt.mdz >m.out || fail "mdzgrep on stdin"
grep -n apple <p/a.txt.mdz >g.out
same m.out g.out
"$B/mdzgrep" -H apple - z/b.txt.mdz <z/a.txt.mdz >m.out || fail "mdzgrep - FILE"
printf '(standard input):apple pie\n(standard input):pineapple\nz/b.txt.mdz:fig and apple\nz/b.txt.mdz:apple\n' >want
same m.out want
"$B/mdzgrep" -c date <z/plain.txt >m.out
[ "$(cat m.out)" = 0 ] || fail "plain stdin: $(cat m.out)"

# ---- exit status and messages -------------------------------------------
expect_rc 1 "$B/mdzgrep" zzz_nothing z/a.txt.mdz z/plain.txt
[ -s out ] && fail "no match printed something"
expect_rc 2 "$B/mdzgrep" apple z/missing.mdz z/a.txt.mdz
expect_err "missing.mdz"
grep -q '^z/a.txt.mdz:apple pie$' out || fail "the other file was not searched"
vs_grep mdzgrep -G apple missing.mdz a.txt.mdz
vs_grep mdzgrep -G -s apple missing.mdz a.txt.mdz
[ -s m.err ] && fail "-s: messages: $(cat m.err)"
vs_grep mdzgrep -G -q apple missing.mdz a.txt.mdz
vs_grep mdzgrep -G -q apple a.txt.mdz missing.mdz
[ -s m.err ] && fail "-q stops at the first match; yet: $(cat m.err)"
vs_grep mdzgrep -G -q zzz a.txt.mdz missing.mdz
# corrupt .mdz: 2, and mdz's message names the file
expect_rc 2 "$B/mdzgrep" the z/bad.mdz
expect_err "bad.mdz"
expect_rc 2 "$B/mdzgrep" apple z/bad.mdz z/a.txt.mdz
expect_err "bad.mdz"
grep -q 'a.txt.mdz:apple pie' out || fail "after a corrupt file"
expect_rc 0 "$B/mdzgrep" -q apple z/bad.mdz z/a.txt.mdz
expect_rc 2 "$B/mdzgrep" -q zzz z/bad.mdz z/a.txt.mdz
# a directory is an error, as with grep
mkdir z/dir p/dir
vs_grep mdzgrep -G apple dir a.txt.mdz
grep -q "dir" m.err || fail "no message for a directory: $(cat m.err)"
vs_grep mdzgrep -G -d skip apple dir a.txt.mdz
# usage errors: status 2, one message however many files
expect_rc 2 "$B/mdzgrep" --no-such-option apple z/a.txt.mdz z/b.txt.mdz
[ "$(grep -c -e 'no-such-option' err)" -eq 1 ] || { cat err; fail "bad option: not one message"; }
expect_rc 2 "$B/mdzgrep" 'a\(' z/a.txt.mdz z/b.txt.mdz
[ "$(wc -l <err)" -eq 1 ] || { cat err; fail "bad pattern: not one message"; }
expect_rc 2 "$B/mdzgrep"
expect_err "Usage\|usage\|PATTERNS"
expect_rc 2 "$B/mdzgrep" -e
for r in -r -R --recursive --dereference-recursive "-d recurse" --directories=recurse \
         --include=x --exclude=x; do
    # shellcheck disable=SC2086
    expect_rc 2 "$B/mdzgrep" $r apple z
    expect_err "recursive"
done

# ---- mdzegrep, mdzfgrep ---------------------------------------------------
vs_grep_all mdzegrep -E 'date|fig'
vs_grep_all mdzegrep -E -c 'ap+le (pie|dash)'
vs_grep_all mdzfgrep -F 'a.c'
vs_grep mdzfgrep -F -c 'a.c' a.txt.mdz
[ "$(cat m.out)" = 1 ] || fail "mdzfgrep 'a.c' should match one line (literally)"
vs_grep mdzgrep -G -c 'a.c' a.txt.mdz
[ "$(cat m.out)" = 2 ] || fail "mdzgrep 'a.c' should match 'abc' too"
expect_rc 1 "$B/mdzgrep" 'date|fig' z/b.txt.mdz
expect_rc 0 "$B/mdzegrep" 'date|fig' z/b.txt.mdz

# ---- which mdz: the one beside the script, else PATH's ---------------------
mkdir own path
cat >own/mdz <<EOF
#!/bin/sh
echo own >>"$PWD/used"
exec "$MDZ" "\$@"
EOF
sed 's/echo own/echo path/' own/mdz >path/mdz
chmod +x own/mdz path/mdz
cp "$MDZ_SRCDIR/src/scripts/mdzgrep" own/mdzgrep
mkdir alone
cp "$MDZ_SRCDIR/src/scripts/mdzgrep" alone/mdzgrep
PATH=$PWD/path:$PATH own/mdzgrep -q apple z/a.txt.mdz || fail "own/mdzgrep"
[ "$(cat used)" = own ] || fail "mdzgrep did not run the mdz beside it: $(cat used)"
rm used
PATH=$PWD/path:$PATH alone/mdzgrep -q apple z/a.txt.mdz || fail "alone/mdzgrep"
[ "$(cat used)" = path ] || fail "mdzgrep did not run PATH's mdz: $(cat used)"
rm used

# ---- mdzdiff, mdzcmp ------------------------------------------------------
"$MDZ" -1 -c p/a.txt.mdz >z/a1.mdz || fail "compressing a1"
expect_rc 0 "$B/mdzdiff" z/a.txt.mdz z/a1.mdz
[ -s out ] && fail "identical contents: output"
expect_rc 0 "$B/mdzdiff" z/a.txt.mdz p/a.txt.mdz
expect_rc 0 "$B/mdzdiff" p/a.txt.mdz z/a.txt.mdz
no_tmp_left "mdzdiff, same"
expect_rc 1 "$B/mdzdiff" z/a.txt.mdz z/b.txt.mdz
diff p/a.txt.mdz p/b.txt.mdz >want
same out want
expect_rc 1 "$B/mdzdiff" -u z/a.txt.mdz p/b.txt.mdz
sed -n 1p out | grep -q '^--- z/a.txt.mdz' || fail "-u header: $(sed -n 1p out)"
sed -n 2p out | grep -q '^+++ p/b.txt.mdz' || fail "-u header: $(sed -n 2p out)"
diff -u p/a.txt.mdz p/b.txt.mdz | tail -n +3 >want
tail -n +3 out >got
same got want
expect_rc 1 "$B/mdzdiff" -U 0 z/plain.txt z/cat.mdz
diff -U 0 --label z/plain.txt --label z/cat.mdz z/plain.txt p/cat.mdz >want
same out want
expect_rc 1 "$B/mdzdiff" -q z/a.txt.mdz z/cat.mdz
[ "$(cat out)" = "Files z/a.txt.mdz and z/cat.mdz differ" ] || fail "-q: $(cat out)"
no_tmp_left "mdzdiff, different"
# odd names
expect_rc 1 "$B/mdzdiff" -- "z/sp ace.txt.mdz" z/-dash.txt.mdz
(cd z && "$B/mdzdiff" -c -- "it's.txt.mdz" -dash.txt.mdz) >out && fail "mdzdiff odd names: same?"
grep -q "^\\*\\*\\* it's.txt.mdz" out || fail "-c header: $(head -n 2 out)"
# standard input
expect_rc 1 "$B/mdzdiff" - z/b.txt.mdz <z/a.txt.mdz
diff p/a.txt.mdz p/b.txt.mdz >want
same out want
expect_rc 0 "$B/mdzdiff" z/a1.mdz - <z/a.txt.mdz
# one FILE: FILE.mdz against FILE
cp p/a.txt.mdz z/a.txt
expect_rc 0 "$B/mdzdiff" z/a.txt.mdz
echo extra >>z/a.txt
expect_rc 1 "$B/mdzdiff" z/a.txt.mdz
[ "$(cat out)" = "7a8
> extra" ] || fail "one-FILE form: $(cat out)"
expect_rc 1 "$B/mdzcmp" z/a.txt.mdz
expect_err "EOF on z/a.txt.mdz"
expect_rc 2 "$B/mdzdiff" z/a.txt
expect_err "suffix"
# trouble: missing, corrupt (no diff output then), directory, usage
expect_rc 2 "$B/mdzdiff" z/missing.mdz z/a.txt.mdz
expect_err "missing.mdz"
expect_rc 2 "$B/mdzdiff" z/a.txt.mdz z/missing.mdz
expect_err "missing.mdz"
[ -s out ] && fail "missing FILE2: diff output: $(cat out)"
expect_rc 2 "$B/mdzdiff" z/a.txt.mdz z/bad.mdz
expect_err "bad.mdz"
[ -s out ] && fail "corrupt FILE2: diff output"
expect_rc 2 "$B/mdzdiff" z/bad.mdz mid.txt
expect_err "bad.mdz"
expect_rc 2 "$B/mdzcmp" z/bad.mdz mid.txt
expect_rc 2 "$B/mdzdiff" z/dir z/a.txt.mdz
expect_rc 2 "$B/mdzdiff"
expect_rc 2 "$B/mdzdiff" --no-such-option z/a.txt.mdz z/b.txt.mdz
expect_rc 2 "$B/mdzdiff" -r z p
expect_rc 2 "$B/mdzdiff" z/a.txt.mdz z/b.txt.mdz z/plain.txt
no_tmp_left "mdzdiff, trouble"
# mdzcmp: names as given in cmp's messages
expect_rc 0 "$B/mdzcmp" z/a.txt.mdz z/a1.mdz
expect_rc 0 "$B/mdzcmp" z/a.txt.mdz p/a.txt.mdz
expect_rc 1 "$B/mdzcmp" z/a.txt.mdz z/b.txt.mdz
cmp p/a.txt.mdz p/b.txt.mdz | sed 's|^p/a.txt.mdz p/b.txt.mdz |z/a.txt.mdz z/b.txt.mdz |' >want
same out want
grep -q '^z/a.txt.mdz z/b.txt.mdz differ: byte 1, line 1$' out || fail "mdzcmp: $(cat out)"
expect_rc 1 "$B/mdzcmp" -l z/a.txt.mdz z/cat.mdz
cmp -l p/a.txt.mdz p/cat.mdz >want 2>/dev/null
same out want
expect_err "EOF on z/a.txt.mdz"
expect_rc 1 "$B/mdzcmp" -s z/a.txt.mdz z/b.txt.mdz
[ -s out ] && fail "mdzcmp -s printed"
expect_rc 0 "$B/mdzcmp" -n 20 z/a.txt.mdz z/a.txt
expect_rc 1 "$B/mdzcmp" z/a.txt.mdz z/a.txt
expect_rc 1 "$B/mdzcmp" - z/b.txt.mdz <z/a.txt.mdz
grep -q '^- z/b.txt.mdz differ: ' out || fail "mdzcmp -: $(cat out)"
no_tmp_left "mdzcmp"
# a signal removes the temporary directory
mkfifo fifo
"$B/mdzdiff" fifo z/b.txt.mdz >/dev/null 2>&1 &
pid=$!
n=0
while [ -z "$(ls -A tmp)" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
[ -n "$(ls -A tmp)" ] || fail "mdzdiff made no temporary directory"
kill -TERM $pid
(: >fifo) &
wpid=$!
st=0
wait $pid || st=$?
kill $wpid 2>/dev/null
[ $st -ne 0 ] || fail "mdzdiff ended with 0 after SIGTERM"
no_tmp_left "mdzdiff killed"

# ---- mdzless (standard output not a terminal: less copies, like cat) -------
if command -v less >/dev/null 2>&1; then
    expect_rc 0 "$B/mdzless" z/a.txt.mdz
    same out p/a.txt.mdz
    expect_rc 0 "$B/mdzless" z/a.txt.mdz z/plain.txt z/cat.mdz
    cat p/a.txt.mdz p/plain.txt p/cat.mdz >want
    same out want
    expect_rc 0 "$B/mdzless" -- "z/sp ace.txt.mdz"
    same out "p/sp ace.txt.mdz"
    expect_rc 0 "$B/mdzless" <z/big.txt.mdz
    same out p/big.txt.mdz
    # the caller's LESSOPEN is replaced
    expect_rc 0 env LESSOPEN='|echo wrong %s' "$B/mdzless" z/b.txt.mdz
    same out p/b.txt.mdz
    lv=$(less -V 2>/dev/null | sed -n '1s/^less \([0-9][0-9]*\).*/\1/p')
    if [ "${lv:-0}" -ge 451 ]; then
        : >empty
        "$MDZ" -k empty || fail "compressing empty"
        expect_rc 0 "$B/mdzless" empty.mdz
        [ -s out ] && fail "mdzless: an empty content shows as $(od -c out | head -n 2)"
    fi
else
    note "less not installed: mdzless not run"
fi

# ---- mdzmore ---------------------------------------------------------------
expect_rc 0 env PAGER=cat "$B/mdzmore" z/a.txt.mdz
same out p/a.txt.mdz
expect_rc 0 env PAGER=cat "$B/mdzmore" z/a.txt.mdz z/plain.txt
{ printf '::::::::::::::\nz/a.txt.mdz\n::::::::::::::\n'; cat p/a.txt.mdz
  printf '::::::::::::::\nz/plain.txt\n::::::::::::::\n'; cat p/plain.txt; } >want
same out want
expect_rc 0 env PAGER='tr a-z A-Z' "$B/mdzmore" <z/b.txt.mdz
tr a-z A-Z <p/b.txt.mdz >want
same out want
expect_rc 0 env PAGER=cat "$B/mdzmore" -- z/-dash.txt.mdz
same out p/-dash.txt.mdz
expect_rc 1 env PAGER=cat "$B/mdzmore" z/missing.mdz z/b.txt.mdz
expect_err "missing.mdz"
grep -q '^fig and apple$' out || fail "mdzmore: the file after a missing one"
expect_rc 1 env PAGER=false "$B/mdzmore" z/a.txt.mdz
expect_rc 2 "$B/mdzmore" --no-such-option
if command -v more >/dev/null 2>&1; then
    expect_rc 0 env PAGER= "$B/mdzmore" z/cat.mdz
    same out p/cat.mdz
fi

# ---- --help, --version ------------------------------------------------------
ver=$("$MDZ" --version | sed -n '1s/^mdz \([^ ]*\).*/\1/p')
[ -n "$ver" ] || fail "mdz --version: no version"
for p in mdzgrep mdzegrep mdzfgrep mdzdiff mdzcmp mdzless mdzmore; do
    expect_rc 0 "$B/$p" --help
    grep -q "^Usage: $p " out || fail "$p --help: $(head -n 1 out)"
    expect_rc 0 "$B/$p" --version
    [ "$(cat out)" = "$p (mdz) $ver" ] || fail "$p --version: $(cat out)"
done
expect_rc 0 "$B/mdzgrep" -V
[ "$(cat out)" = "mdzgrep (mdz) $ver" ] || fail "mdzgrep -V: $(cat out)"
"$B/mdzegrep" --help | grep -q -e '-E' || fail "mdzegrep --help does not say -E"
"$B/mdzfgrep" --help | grep -q -e '-F' || fail "mdzfgrep --help does not say -F"
"$B/mdzcmp" --help | grep -q 'cmp' || fail "mdzcmp --help does not say cmp"

# ---- man pages ---------------------------------------------------------------
for m in mdzgrep mdzless mdzmore mdzdiff; do
    man=$MDZ_SRCDIR/man/$m.1
    [ -f "$man" ] || fail "man/$m.1 missing"
    for s in NAME SYNOPSIS DESCRIPTION 'EXIT STATUS' 'SEE ALSO'; do
        grep -q "^\\.SH \"\\{0,1\\}$s" "$man" || fail "$m.1 lacks section $s"
    done
    if command -v man >/dev/null 2>&1 && man --help 2>&1 | grep -q -e '--local-file'; then
        MANWIDTH=80 man --warnings -l "$man" >/dev/null 2>manwarn || true
        [ -s manwarn ] && { cat manwarn; fail "$m.1 has warnings"; }
    fi
done
grep -q 'mdzegrep' "$MDZ_SRCDIR/man/mdzgrep.1" || fail "mdzgrep.1 does not cover mdzegrep"
grep -q 'mdzfgrep' "$MDZ_SRCDIR/man/mdzgrep.1" || fail "mdzgrep.1 does not cover mdzfgrep"
grep -q 'mdzcmp' "$MDZ_SRCDIR/man/mdzdiff.1" || fail "mdzdiff.1 does not cover mdzcmp"
no_tmp_left "the end"
exit 0
