# test-list.sh -- -t and -l.
. "$MDZ_TESTLIB"

gen_text 70000 t
gen_random 70000 r
cp t t.orig
"$MDZ" -k -3 --block-size=64K t || fail "compress t"
"$MDZ" -k r || fail "compress r"

# -t: silent, exit 0, no files created, inputs kept
expect_rc 0 "$MDZ" -t t.mdz r.mdz
expect_no_err
[ -s out ] && fail "-t wrote to stdout"
exists t.mdz
ls >listing
grep -q -v -e '^t$' -e '^t.mdz$' -e '^t.orig$' -e '^r$' -e '^r.mdz$' -e '^out$' -e '^err$' -e '^listing$' listing && { cat listing; fail "-t created files"; }
expect_rc 0 "$MDZ" -t <t.mdz
expect_rc 0 "$MDZ" -tv t.mdz
expect_err "t.mdz: OK ([0-9.]* KiB -> 68.4 KiB, [0-9.]*%)$"
# -t on non-mdz data and on a corrupt file
expect_rc 1 "$MDZ" -t t
expect_err "t: not in .mdz format"
cp t.mdz c.mdz
size=$(filesize c.mdz)
printf '\377\377\377\377' | dd of=c.mdz bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
expect_rc 1 "$MDZ" -t c.mdz
expect_err "^mdz: c.mdz: "

# -l: header + one line per file + totals
expect_rc 0 "$MDZ" -l t.mdz
expect_no_err
[ "$(wc -l <out)" -eq 2 ] || { cat out; fail "-l of one file: 2 lines expected"; }
head -n 1 out | grep -q 'compressed.*uncompressed.*ratio' || fail "-l header: $(head -n 1 out)"
line=$(sed -n 2p out)
set -- $line
[ "$1" = 1 ] || fail "-l streams: $line"
[ "$2" = 2 ] || fail "-l blocks (70000 bytes in 64K blocks): $line"
[ "$4" = "$(filesize t.mdz)" ] || fail "-l compressed size: $line"
[ "$5" = 70000 ] || fail "-l uncompressed size: $line"
[ "$7" = 3 ] || fail "-l level: $line"
[ "$8" = 64K ] || fail "-l block size: $line"
[ "$9" = CRC-32C ] || fail "-l check: $line"
[ "${10}" = t.mdz ] || fail "-l name: $line"
echo "$6" | grep -q '^[0-9][0-9]*\.[0-9][0-9]%$' || fail "-l ratio: $line"

expect_rc 0 "$MDZ" -l t.mdz r.mdz
[ "$(wc -l <out)" -eq 4 ] || { cat out; fail "-l of two files: 4 lines expected"; }
set -- $(sed -n 3p out)
rblocks=$2
rstored=$3
[ "$rstored" -ge 1 ] || fail "random data should have stored blocks: $(sed -n 3p out)"
set -- $(sed -n 4p out)
[ "$1" = 2 ] || fail "totals streams: $(sed -n 4p out)"
[ "$2" = $((2 + rblocks)) ] || fail "totals blocks: $(sed -n 4p out)"
[ "$5" = 140000 ] || fail "totals uncompressed: $(sed -n 4p out)"
grep -q 'totals' out || fail "no totals line"

# -l from stdin, -l on a bad file, -l does not need the suffix
expect_rc 0 "$MDZ" -l <t.mdz
grep -q '(stdin)' out || fail "-l on stdin"
expect_rc 1 "$MDZ" -l t
expect_err "not in .mdz format"
cp t.mdz noext
expect_rc 0 "$MDZ" -l noext
# -lv: totals in KiB and bytes, a row per stream and per block, offsets
# that add up, the CRC-32C of each block's content
cat t.mdz r.mdz >tr.mdz
expect_rc 0 "$MDZ" -lv tr.mdz
expect_no_err
grep -q '^tr.mdz$' out || fail "-lv: no name line"
grep -q '^  Streams: *2$' out || fail "-lv streams: $(cat out)"
grep -q '^  Uncompressed size: *136.7 KiB (140,000 B)$' out || fail "-lv size: $(cat out)"
grep -q '^  Check: *CRC-32C$' out || fail "-lv check"
sed -n '/^  Streams:$/,/^  Blocks:$/p' out | grep '^ *[0-9]' >streams
sed -n '/^  Blocks:$/,/^  Index:$/p' out | grep '^ *[0-9]' >blocks
[ "$(wc -l <streams)" -eq 2 ] || { cat out; fail "-lv: 2 stream rows expected"; }
[ "$(wc -l <blocks)" -eq $((2 + rblocks)) ] || { cat out; fail "-lv: $((2 + rblocks)) block rows expected"; }
set -- $(sed -n 1p streams)
[ "$1 $2 $3 $4" = "1 2 0 0" ] || fail "-lv stream 1: $*"
[ "$5" = "$(filesize t.mdz | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta')" ] || fail "-lv stream 1 size: $*"
# the model id is the header's byte 5 (format.md section 2)
model=$(od -An -tu1 -j5 -N1 t.mdz | tr -d ' ')
[ "$6" = "70,000" ] && [ "$8" = 3 ] && [ "$9" = "$model" ] && [ "${10}" = 64K ] || fail "-lv stream 1: $*"
set -- $(sed -n 2p streams)
[ "$1" = 2 ] && [ "$4" = "70,000" ] || fail "-lv stream 2: $*"
set -- $(sed -n 1p blocks)
[ "$1 $2 $3 $4 $6" = "1 1 16 0 65,536" ] && [ "$8" = modelled ] || fail "-lv block 1: $*"
# a modelled 64 KiB block has a CRC-32C per chunk (8, 16, 32, 8 KiB), a
# stored block one for its content, in hex
sed -n 1p blocks | grep -q ' CRC-32C x 4 chunks$' || fail "-lv block 1 check: $(sed -n 1p blocks)"
set -- $(sed -n 2p blocks)
[ "$4" = "65,536" ] && [ "$6" = "4,464" ] || fail "-lv block 2: $*"
grep ' stored ' blocks >stored || fail "-lv: the random stream's stored blocks"
crc=$(sed -n 1p stored | awk '{print $NF}')
echo "$crc" | grep -q '^[0-9a-f]\{8\}$' || fail "-lv stored block CRC: $crc"
# several files: a totals section
expect_rc 0 "$MDZ" -lv t.mdz r.mdz
grep -q '^Totals (2 files):$' out || fail "-lv totals"

# -l leaves everything in place
exists t.mdz
exists t
same t t.orig
exit 0
