# ladder.sh -- the levels mean something: on the corpus texts and on the
# corpus logs, each summed per file, -1 > -3 > -6 > -9 in compressed bytes,
# strictly (issue 15's ladder).  Sizes only (corpus.sh checks round trips
# at the default level and at the levels of tests/ratios.lock's FILE@L
# lines).  Not under the sanitizers (level 9 takes 1 GiB+ there), and
# skipped without the corpus.
. "$MDZ_TESTLIB"

[ "$MDZ_SAN" = 1 ] && skip "not under sanitizers"
[ -n "$MDZ_CORPUS_DIR" ] && [ -d "$MDZ_CORPUS_DIR/text" ] && [ -d "$MDZ_CORPUS_DIR/logs" ] ||
    skip "no corpus"
for set in text logs; do
    files=$(find "$MDZ_CORPUS_DIR/$set" -type f ! -name '*.md' | sort)
    [ -n "$files" ] || fail "no files in $set"
    prev=0
    line=""
    for lvl in 1 3 6 9; do
        total=0
        for f in $files; do
            "$MDZ" -"$lvl" -c "$f" >c.mdz || fail "mdz -$lvl $f"
            total=$((total + $(filesize c.mdz)))
        done
        line="$line -$lvl $total"
        if [ "$prev" -ne 0 ] && [ "$total" -ge "$prev" ]; then
            fail "$set:$line -- level $lvl is not smaller than the level below"
        fi
        prev=$total
    done
    note "$set:$line"
done
rm -f c.mdz
exit 0
