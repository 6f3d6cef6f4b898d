# bitflip.sh -- every single-bit flip of a small .mdz file is detected:
# non-zero status, a message, no output file (and never exit 0 with data
# different from the original).
. "$MDZ_TESTLIB"

gen_text 300 f
"$MDZ" -c -1 --block-size=64K f >good.mdz || fail "compress"
size=$(filesize good.mdz)
bits=$((size * 8))
step=1
[ "$MDZ_SAN" = 1 ] && step=13
note "$size bytes, $bits bits (step $step)"

mkdir flips
if command -v perl >/dev/null 2>&1; then
    # all the flipped files in one go
    perl -e '
        my ($in, $dir, $step) = @ARGV;
        open(my $fh, "<:raw", $in) or die; local $/; my $d = <$fh>; close $fh;
        for (my $b = 0; $b < 8 * length($d); $b += $step) {
            my $c = $d;
            vec($c, $b ^ 7, 1) ^= 1;   # bit b, counting from each byte MSB
            open(my $o, ">:raw", "$dir/$b.mdz") or die; print $o $c; close $o;
        }' good.mdz flips $step || fail "perl"
else
    b=0
    od -An -v -tu1 good.mdz | tr -s ' ' '\n' | grep . >bytes
    while [ $b -lt $bits ]; do
        pos=$((b / 8))
        v=$(sed -n "$((pos + 1))p" bytes)
        v=$((v ^ (1 << (b % 8))))
        { head -c $pos good.mdz; printf "\\$(printf %o $v)"; tail -c +$((pos + 2)) good.mdz; } >flips/$b.mdz
        b=$((b + step))
    done
fi

n=0
undetected=0
for m in flips/*.mdz; do
    b=${m#flips/}
    b=${b%.mdz}
    rc=0
    "$MDZ" -d "$m" 2>err || rc=$?
    if [ $rc -eq 0 ]; then
        if cmp -s "flips/$b" f; then
            echo "bit $b: flip not detected (output still correct)"
        else
            echo "bit $b: flip not detected and WRONG OUTPUT"
        fi
        undetected=$((undetected + 1))
        rm -f "flips/$b"
        continue
    fi
    [ $rc -eq 1 ] || { cat err; fail "bit $b: exit $rc"; }
    first=
    IFS= read -r first <err || true
    case $first in
        "mdz: $m: "?*) ;;
        *) cat err; fail "bit $b: no message naming the file" ;;
    esac
    [ -e "flips/$b" ] && fail "bit $b: output file left behind"
    [ -e "$m" ] || fail "bit $b: input removed"
    n=$((n + 1))
done
no_temp_files flips
no_temp_files
[ $undetected -eq 0 ] || fail "$undetected flips not detected"
note "$n flips, all detected"
[ $n -gt 0 ] || fail "no flips tested"
exit 0
