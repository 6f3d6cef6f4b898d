# manifest.sh -- corpora/MANIFEST is true: the generated samples
# (tests/tools/gen_samples) have the listed sizes and SHA-256, and so do the
# standard corpus files when ../shared/corpora is present.
. "$MDZ_TESTLIB"

manifest=$MDZ_SRCDIR/corpora/MANIFEST
[ -f "$manifest" ] || fail "missing corpora/MANIFEST"
command -v sha256sum >/dev/null 2>&1 || skip "no sha256sum"
mkdir samples
"$MDZ_TOOLS/gen_samples" samples || fail "gen_samples failed"
checked=0
while read -r path bytes sum; do
    case $path in
    samples/*) f=$path ;;
    shared/*) [ -n "$MDZ_CORPUS_DIR" ] || continue; f=$MDZ_CORPUS_DIR/${path#shared/} ;;
    *) continue ;;
    esac
    [ -f "$f" ] || fail "$path is listed but $f does not exist"
    [ "$(filesize "$f")" = "$bytes" ] || fail "$path: $(filesize "$f") bytes, MANIFEST says $bytes"
    got=$(sha256sum "$f" | cut -d' ' -f1)
    [ "$got" = "$sum" ] || fail "$path: sha256 $got, MANIFEST says $sum"
    checked=$((checked + 1))
done < "$manifest"
# every generated sample is listed
for f in samples/*; do
    grep -q "^$f " "$manifest" || fail "$f is not listed in corpora/MANIFEST"
done
[ "$checked" -ge 8 ] || fail "only $checked files checked"
note "$checked files match corpora/MANIFEST"
exit 0
