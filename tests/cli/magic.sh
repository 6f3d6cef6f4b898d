# magic.sh -- magic/mdz.magic: file(1) names .mdz streams and reports their
# header's fields (version, model, level, block size, decoder memory); the
# MIME type and extension; other data is not called mdz.
. "$MDZ_TESTLIB"

command -v file >/dev/null 2>&1 || skip "file(1) is not installed (Debian package file)"
magic=$MDZ_SRCDIR/magic/mdz.magic
[ -f "$magic" ] || fail "magic/mdz.magic missing"

# the entry loads without complaint
file -m "$magic" /dev/null >out 2>err || fail "file -m mdz.magic: exit $?"
expect_no_err

# hdr FILE: sets ver, model, level, blog, mem from FILE's stream header
hdr() {
    set -- $(od -An -tu1 -N12 "$1")
    [ $# -eq 12 ] || fail "short header"
    ver=$5 model=$6 level=$7 blog=$8
    mem=$(( $9 + ${10} * 256 + ${11} * 65536 + ${12} * 16777216 ))
}

# size_name LOG: 2^LOG bytes as file(1) should print it
size_name() {
    if [ "$1" -lt 20 ]; then echo "$(( 1 << ($1 - 10) )) KiB"; else echo "$(( 1 << ($1 - 20) )) MiB"; fi
}

# desc FILE: what file(1) should say about FILE, from its header
desc() {
    hdr "$1"
    echo "mdz compressed data, format version $ver, model $model, level $level, $(size_name "$blog") blocks, decoder needs $mem MiB"
}

# file_says FILE TEXT: file -b with the mdz magic prints exactly TEXT
file_says() {
    got=$(file -b -m "$magic" "$1" 2>&1)
    [ "$got" = "$2" ] || fail "file $1: '$got', expected '$2'"
}

# real streams: levels 1, 6, 9 with 64 KiB blocks (two blocks of input, so
# the header keeps the block size asked for)
gen_text 100000 t
for l in 1 6 9; do
    "$MDZ" -$l --block-size=64K -c t >t$l.mdz || fail "compressing at level $l"
    hdr t$l.mdz
    [ "$level" -eq $l ] || fail "level $l stream has level $level in its header"
    [ "$blog" -eq 16 ] || fail "64K stream has block_log $blog"
    [ "$ver" -ge 1 ] && [ "$ver" -le 3 ] || fail "format version $ver"
    case $(file -b -m "$magic" t$l.mdz) in
    "mdz compressed data, format version $ver, model $model, level $l, 64 KiB blocks, decoder needs $mem MiB") ;;
    *) fail "file t$l.mdz: $(file -b -m "$magic" t$l.mdz)" ;;
    esac
done
# decoder memory above 255 MiB: the field is read as little-endian u32
hdr t9.mdz
[ "$mem" -gt 255 ] || note "level 9 needs only $mem MiB"
file_says t9.mdz "$(desc t9.mdz)"

# a content that fits one block: the header names the smallest block size
# that holds it, whatever --block-size says
gen_text 3000 small
"$MDZ" -6 --block-size=16M -c small >small.mdz || fail "compressing small"
hdr small.mdz
[ "$blog" -eq 16 ] || fail "a 3000-byte stream with --block-size=16M has block_log $blog, expected 16"
file_says small.mdz "$(desc small.mdz)"
"$MDZ" -6 -c t >t.mdz || fail "compressing t at level 6"
hdr t.mdz
[ "$blog" -eq 17 ] || fail "a 100000-byte stream at level 6 has block_log $blog, expected 17"
file_says t.mdz "mdz compressed data, format version $ver, model $model, level 6, 128 KiB blocks, decoder needs $mem MiB"

# every block size, 64 KiB .. 256 MiB (file(1) does not check the header's
# CRC, so patched headers do), and values out of the format's range
cp t6.mdz p.mdz
hdr p.mdz
cur=$blog
b=16
while [ $b -le 28 ]; do
    flip_byte p.mdz 7 $(( cur ^ b ))
    cur=$b
    file_says p.mdz "mdz compressed data, format version $ver, model $model, level 6, $(size_name $b) blocks, decoder needs $mem MiB"
    b=$((b + 1))
done
hdr p.mdz
[ "$blog" -eq 28 ] || fail "patching went wrong"
file -b -m "$magic" p.mdz | grep -q ', 256 MiB blocks,' || fail "256 MiB"
cp t6.mdz p.mdz
flip_byte p.mdz 7 $(( 16 ^ 24 ))
file -b -m "$magic" p.mdz | grep -q ', 16 MiB blocks,' || fail "16 MiB: $(file -b -m "$magic" p.mdz)"
for bad in 15 29; do
    cp t6.mdz p.mdz
    flip_byte p.mdz 7 $(( 16 ^ bad ))
    file -b -m "$magic" p.mdz | grep -q "invalid block size" || fail "block_log $bad: $(file -b -m "$magic" p.mdz)"
done

# concatenated streams: the first one's header
cat t1.mdz t9.mdz >cat.mdz
file_says cat.mdz "$(desc t1.mdz)"

# MIME type, extension
[ "$(file -b --mime-type -m "$magic" t6.mdz)" = application/x-mdz ] ||
    fail "--mime-type: $(file -b --mime-type -m "$magic" t6.mdz)"
if file --help 2>&1 | grep -q -e '--extension'; then
    [ "$(file -b --extension -m "$magic" t6.mdz)" = mdz ] ||
        fail "--extension: $(file -b --extension -m "$magic" t6.mdz)"
fi

# other data is not mdz
gen_random 5000 rnd
printf '\211PNG\r\n\032\n\000\000\000\rIHDR' >png
printf '\211MD' >short
printf 'MDZ\211 not a header\n' >shifted
for f in t rnd png short shifted; do
    d=$(file -b -m "$magic" $f)
    case $d in *mdz*) fail "file calls $f mdz: $d" ;; esac
    m=$(file -b --mime-type -m "$magic" $f)
    [ "$m" != application/x-mdz ] || fail "$f has the mdz MIME type"
done
if command -v gzip >/dev/null 2>&1; then
    gzip -c t >t.gz
    case $(file -b -m "$magic" t.gz) in *mdz*) fail "a gzip file is called mdz" ;; esac
fi
exit 0
