# corpus.sh -- round trip of every corpus file (a few small ones under the
# sanitizers), with the compressed size checked against the lock table
# tests/ratios.lock: a file that grows by more than 0.1% fails the test.
# Lines "FILE@L SIZE" lock a few files at level L too (level 1 runs the
# fast model, fastpred.c; levels 7-9 run every context).  Skipped when the corpus is absent.  scripts/update-ratios rewrites the
# table; do that in the commit that improves the model.
. "$MDZ_TESTLIB"

[ -n "$MDZ_CORPUS_DIR" ] && [ -d "$MDZ_CORPUS_DIR" ] || skip "no corpus"
lock=$MDZ_SRCDIR/tests/ratios.lock
[ -f "$lock" ] || fail "missing $lock"
if [ "$MDZ_SAN" = 1 ]; then
    files=$(find "$MDZ_CORPUS_DIR" -type f ! -name '*.md' -size -200k | sort | head -n 3)
else
    files=$(find "$MDZ_CORPUS_DIR" -type f ! -name '*.md' | sort)
fi
[ -n "$files" ] || skip "the corpus is empty"
n=0
grown=0
for f in $files; do
    rel=${f#"$MDZ_CORPUS_DIR"/}
    rc=0
    "$MDZ" -c "$f" >c.mdz 2>err || rc=$?
    [ $rc -eq 0 ] || { cat err; fail "compressing $f exited $rc"; }
    expect_no_err
    rc=0
    "$MDZ" -dc c.mdz >c.out 2>err || rc=$?
    [ $rc -eq 0 ] || { cat err; fail "decompressing $f exited $rc"; }
    same c.out "$f"
    "$MDZ" -l c.mdz >list || fail "-l on $f"
    set -- $(sed -n 2p list)
    [ "$5" = "$(filesize "$f")" ] || fail "-l size of $f: $5"
    size=$(filesize c.mdz)
    locked=$(awk -v f="$rel" '$1 == f { print $2 }' "$lock")
    if [ -z "$locked" ]; then
        echo "FAIL: $rel is not in tests/ratios.lock (run scripts/update-ratios)"
        grown=$((grown + 1))
    elif [ $((size * 1000)) -gt $((locked * 1001)) ]; then
        echo "FAIL: $rel grew: $size bytes, locked at $locked (+0.1% allowed)"
        grown=$((grown + 1))
    fi
    note "$rel: $(filesize "$f") -> $size (locked $locked)"
    n=$((n + 1))
    rm -f c.mdz c.out
done
# the files locked at other levels (not under the sanitizers: 256 MiB+)
if [ "$MDZ_SAN" != 1 ]; then
    for spec in $(awk '$1 ~ /@/ { print $1 }' "$lock"); do
        rel=${spec%@*}
        lvl=${spec#*@}
        f=$MDZ_CORPUS_DIR/$rel
        [ -f "$f" ] || fail "$spec: no such corpus file"
        "$MDZ" -"$lvl" -c "$f" >c.mdz || fail "mdz -$lvl $rel"
        "$MDZ" -dc c.mdz | cmp -s - "$f" || fail "round trip of $rel at -$lvl"
        size=$(filesize c.mdz)
        locked=$(awk -v f="$spec" '$1 == f { print $2 }' "$lock")
        if [ $((size * 1000)) -gt $((locked * 1001)) ]; then
            echo "FAIL: $rel at -$lvl grew: $size bytes, locked at $locked (+0.1% allowed)"
            grown=$((grown + 1))
        fi
        note "$rel -$lvl: $(filesize "$f") -> $size (locked $locked)"
        rm -f c.mdz
    done
fi
note "$n files"
[ "$grown" -eq 0 ] || fail "$grown files compress worse than tests/ratios.lock allows"
exit 0
