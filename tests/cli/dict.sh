# dict.sh -- dictionaries: mdz --train makes one from the first halves of
# the corpus logs (cut in 4 KiB pieces); with -D, 4 KiB pieces of the
# second halves round-trip byte-exact at levels 1, 6 and 9 and come out
# smaller than without it, in every input mode (files, stdin, -c, -k,
# mdzcat, -t, --offset/--length, MDZ_OPT, threads); data compressed with a
# dictionary is refused without it and with another one (the message, exit
# status 1, no output); a stream without one ignores -D; -l and -lv show
# the dictionary; --train's and -D's errors.  Without the corpus, the
# generated syslog.log stands in for the logs.
. "$MDZ_TESTLIB"

# the logs, each cut in two halves (by bytes, as head -c does)
mkdir logs train
if [ -n "$MDZ_CORPUS_DIR" ] && ls "$MDZ_CORPUS_DIR"/logs/*_2k.log >/dev/null 2>&1; then
    for f in "$MDZ_CORPUS_DIR"/logs/*_2k.log; do
        cp "$f" logs/
    done
else
    "$MDZ_TOOLS/gen_samples" . >/dev/null || fail "gen_samples"
    cp syslog.log logs/
fi
for f in logs/*; do
    b=$(basename "$f")
    s=$(filesize "$f")
    head -c $((s / 2)) "$f" >"$f.first"
    tail -c +$((s / 2 + 1)) "$f" >"$f.second"
    split -b 4096 "$f.first" "train/$b."
done

# --train: the default size (110 KiB), the same dictionary every time, a
# summary with -v that names its ID
expect_rc 0 "$MDZ" -v --train train/* -o logs.dict
expect_err "logs.dict: dictionary of 112640 bytes (ID [0-9a-f]\{8\}) from [0-9]* samples"
id=$(sed -n 's/.*(ID \([0-9a-f]\{8\}\)).*/\1/p' err)
[ "$(filesize logs.dict)" = 112640 ] || fail "dictionary of $(filesize logs.dict) bytes"
no_temp_files
expect_rc 0 "$MDZ" --train train/* -o again.dict
expect_no_err
same logs.dict again.dict
# another dictionary, for the refusals: of the same size, one byte changed
cp logs.dict other.dict
flip_byte other.dict 5000
expect_rc 0 "$MDZ" --train --maxdict=8K train/* -o small.dict
[ "$(filesize small.dict)" = 8192 ] || fail "--maxdict=8K made $(filesize small.dict) bytes"

# the pieces: two of 4 KiB from each second half (one under the sanitizers)
mkdir pieces
for f in logs/*.second; do
    b=$(basename "$f" .second)
    for off in 1 20001; do
        [ "$MDZ_SAN" = 1 ] && [ $off != 1 ] && continue
        tail -c +$off "$f" | head -c 4096 >"pieces/$b.$off"
        [ "$(filesize "pieces/$b.$off")" = 4096 ] || rm "pieces/$b.$off"
    done
done
[ -n "$(ls pieces)" ] || fail "no pieces"

# round trips at levels 1, 6 and 9 (level 6 on every piece, 1 and 9 on the
# first of each log), each smaller with the dictionary than without
with=0
without=0
for p in pieces/*; do
    case $p in
    *.1) levels="1 6 9" ;;
    *) levels=6 ;;
    esac
    [ "$MDZ_SAN" = 1 ] && levels=6
    for l in $levels; do
        expect_rc 0 "$MDZ" -$l -c "$p"
        mv out plain.mdz
        expect_rc 0 "$MDZ" -$l -c -D logs.dict "$p"
        expect_no_err
        mv out dict.mdz
        expect_rc 0 "$MDZ" -dc -D logs.dict dict.mdz
        same out "$p"
        a=$(filesize plain.mdz)
        b=$(filesize dict.mdz)
        [ "$b" -lt "$a" ] || fail "$p at -$l: $b bytes with the dictionary, $a without"
        note "$p -$l: $a -> $b bytes with the dictionary"
        with=$((with + b))
        without=$((without + a))
    done
done
# on the whole, a real gain: at least a fifth smaller
[ $((with * 5)) -le $((without * 4)) ] || fail "with the dictionary $with bytes, without $without"
note "in all: $without -> $with bytes"

p=$(ls pieces/* | head -n 1)
cp "$p" piece
cp piece piece.orig

# file mode: -k, then -d in place
expect_rc 0 "$MDZ" -k -D logs.dict piece
expect_no_err
exists piece.mdz
same piece piece.orig
cp piece.mdz keep.mdz
rm piece
expect_rc 0 "$MDZ" -d -D logs.dict piece.mdz
same piece piece.orig
absent piece.mdz
# stdin to stdout, both ways; -o; unmdz and mdzcat
rc=0
"$MDZ" -D logs.dict <piece >s.mdz 2>err || rc=$?
[ $rc -eq 0 ] || { cat err; fail "compressing stdin with -D exited $rc"; }
same s.mdz keep.mdz
rc=0
"$MDZ" -d -D logs.dict <s.mdz >s.out 2>err || rc=$?
[ $rc -eq 0 ] || { cat err; fail "decompressing stdin with -D exited $rc"; }
same s.out piece.orig
expect_rc 0 "$MDZ" -d -k -D logs.dict -o o.out s.mdz
same o.out piece.orig
expect_rc 0 "$MDZCAT" --dict=logs.dict s.mdz
same out piece.orig
cp s.mdz u.mdz
expect_rc 0 "$UNMDZ" --dict logs.dict u.mdz
same u piece.orig
# -t
expect_rc 0 "$MDZ" -t -D logs.dict keep.mdz
expect_no_err
# MDZ_OPT may give the dictionary
rc=0
MDZ_OPT="-D logs.dict" "$MDZ" -dc keep.mdz >out 2>err || rc=$?
[ $rc -eq 0 ] || { cat err; fail "MDZ_OPT=-D exited $rc"; }
same out piece.orig
# a range
expect_rc 0 "$MDZ" -dc -D logs.dict --offset=1000 --length=2000 keep.mdz
dd if=piece.orig bs=1 skip=1000 count=2000 2>/dev/null >want
same out want
# a stream that names no dictionary ignores -D
expect_rc 0 "$MDZ" -c piece
mv out nodict.mdz
expect_rc 0 "$MDZ" -dc -D logs.dict nodict.mdz
same out piece.orig
expect_rc 0 "$MDZ" -t -D other.dict nodict.mdz

# several blocks, with threads: the same output for every thread count
cat logs/*.second | head -c 200000 >big
"$MDZ" -1 --block-size=64K -T1 -c -D logs.dict big >big.T1.mdz || fail "-T1 -D"
"$MDZ" -1 --block-size=64K -T3 -c -D logs.dict big >big.T3.mdz || fail "-T3 -D"
same big.T1.mdz big.T3.mdz
expect_rc 0 "$MDZ" -T3 -dc -D logs.dict big.T1.mdz
same out big
expect_rc 0 "$MDZ" -T1 -dc -D logs.dict --offset=70000 --length=70000 big.T1.mdz
dd if=big bs=10000 skip=7 count=7 2>/dev/null >want
same out want

# without the dictionary: refused, exit 1, nothing written
msg_none="keep.mdz: needs a dictionary (ID $id, 112640 bytes): use -D"
cp keep.mdz k.mdz
expect_rc 1 "$MDZ" -d k.mdz
expect_err "k.mdz: needs a dictionary (ID $id, 112640 bytes): use -D"
exists k.mdz
absent k
no_temp_files
expect_rc 1 "$MDZ" -dc keep.mdz
expect_err "$msg_none"
[ -s out ] && fail "-dc without the dictionary wrote output"
expect_rc 1 "$MDZ" -t keep.mdz
expect_err "$msg_none"
expect_rc 1 "$MDZ" -dc --offset=10 --length=10 keep.mdz
expect_err "$msg_none"
[ -s out ] && fail "a range without the dictionary wrote output"
rc=0
"$MDZ" -d <keep.mdz >s.out 2>err || rc=$?
[ $rc -eq 1 ] || fail "stdin without the dictionary exited $rc"
expect_err "(stdin): needs a dictionary (ID $id, 112640 bytes): use -D"
[ -s s.out ] && fail "stdin without the dictionary wrote output"

# with another dictionary: refused likewise
id2=$("$MDZ" -v --train -f train/* -o /dev/null 2>&1 >/dev/null | sed -n 's/.*(ID \([0-9a-f]\{8\}\)).*/\1/p')
[ "$id2" = "$id" ] || fail "training to /dev/null gave ID $id2, not $id"
for d in other.dict small.dict; do
    expect_rc 1 "$MDZ" -d -D $d k.mdz
    expect_err "k.mdz: was compressed with another dictionary (ID $id, 112640 bytes; -D gives ID [0-9a-f]\{8\})"
    grep -q "gives ID $id)" err && fail "the other dictionary has the same ID"
    exists k.mdz
    absent k
    no_temp_files
    expect_rc 1 "$MDZ" -t -D $d keep.mdz
    expect_err "was compressed with another dictionary"
    expect_rc 1 "$MDZ" -dc -D $d --offset=10 --length=10 keep.mdz
    expect_err "was compressed with another dictionary (ID $id, 112640 bytes"
    [ -s out ] && fail "a range with another dictionary wrote output"
done

# -l and -lv show the dictionary; a stream without one has no such line
expect_rc 0 "$MDZ" -l -D logs.dict keep.mdz
grep -q "^ *dictionary: ID $id, 112640 bytes$" out || { cat out; fail "-l does not show the dictionary"; }
expect_rc 0 "$MDZ" -l nodict.mdz
grep -q dictionary out && { cat out; fail "-l shows a dictionary for a stream without one"; }
expect_rc 0 "$MDZ" -lv -D logs.dict keep.mdz
grep -q "^  Dictionary: *ID $id, 110.0 KiB (112,640 B)$" out || { cat out; fail "-lv: no dictionary line"; }
sed -n '/^  Dictionaries:$/,$p' out | grep -q "^ *1 .* 112,640  $id$" || { cat out; fail "-lv: no dictionary frame row"; }

# --train's errors: nothing written
gen_text 3000 sa
gen_text 5000 sb
expect_rc 1 "$MDZ" --train -o d.dict
expect_err "needs sample files"
expect_rc 1 "$MDZ" --train sa sb
expect_err "-o DICT"
expect_rc 1 "$MDZ" --train sa no-such-file -o d.dict
expect_err "no-such-file: No such file or directory"
absent d.dict
no_temp_files
mkdir adir
expect_rc 1 "$MDZ" --train sa adir -o d.dict
expect_err "adir: is a directory"
absent d.dict
: >e1
: >e2
expect_rc 1 "$MDZ" --train e1 e2 -o d.dict
expect_err "empty"
absent d.dict
expect_rc 1 "$MDZ" --train --maxdict=17M sa -o d.dict
expect_err "invalid dictionary size"
expect_rc 1 "$MDZ" --train --maxdict=0 sa -o d.dict
expect_err "invalid dictionary size"
expect_rc 1 "$MDZ" --maxdict=4K -c sa
expect_err "with --train only"
absent d.dict
# an existing output is replaced only with -f
echo old >d.dict
expect_rc 1 "$MDZ" --train sa sb -o d.dict
expect_err "d.dict: already exists; use -f to overwrite"
[ "$(cat d.dict)" = old ] || fail "d.dict was overwritten without -f"
expect_rc 0 "$MDZ" --train -f sa sb -o d.dict
# samples that fit whole are the dictionary, in the order given
cat sa sb >want
same d.dict want
expect_rc 0 "$MDZ" --train sb sa -o -
cat sb sa >want
same out want
expect_rc 0 "$MDZ" --train --maxdict=4K sa sb -o d4.dict
[ "$(filesize d4.dict)" = 4096 ] || fail "--maxdict=4K made $(filesize d4.dict) bytes"

# -D's errors: a clear message, exit 1, no output
: >empty.dict
expect_rc 1 "$MDZ" -k -D empty.dict sa
expect_err "empty.dict: the dictionary is empty"
absent sa.mdz
expect_rc 1 "$MDZ" -k -D no-such.dict sa
expect_err "no-such.dict: cannot read the dictionary: No such file or directory"
absent sa.mdz
head -c 16777217 /dev/zero >huge.dict
expect_rc 1 "$MDZ" -k -D huge.dict sa
expect_err "huge.dict: the dictionary is larger than 16 MiB"
absent sa.mdz
expect_rc 1 "$MDZ" -dc -D adir keep.mdz
expect_err "adir: cannot read the dictionary"
[ -s out ] && fail "output with an unreadable dictionary"
no_temp_files

# --help names the options
expect_rc 0 "$MDZ" --help
for o in -D --dict --train --maxdict; do
    grep -q -e "$o\\b" out || fail "--help does not mention $o"
done
exit 0
