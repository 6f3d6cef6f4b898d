#!/bin/sh
# scripts/demo.sh -- what `make demo` runs: generate the project's samples,
# compress and decompress each with ./mdz, verify the round trip, and print
# the sizes next to gzip -9, xz -9 and zstd -19 (where those are installed).
# With ../shared/corpora present it adds alice29.txt and two system logs.
set -eu
MDZ=${1:-./mdz}
MDZ=$(cd "$(dirname "$MDZ")" && pwd)/$(basename "$MDZ")
TOOLS=${MDZ_TOOLS:-build/rel/tools}
CORPUS=${CORPUS_DIR:-../shared/corpora}
work=build/demo
rm -rf "$work"
mkdir -p "$work/samples"
"$TOOLS/gen_samples" "$work/samples"

set -- "$work/samples/text.txt" "$work/samples/syslog.log" "$work/samples/records.bin"
for f in text/alice29.txt logs/HDFS_2k.log logs/OpenSSH_2k.log; do
    [ -f "$CORPUS/$f" ] && set -- "$@" "$CORPUS/$f"
done

size() { wc -c < "$1" | tr -d ' '; }
peer() {  # peer PROGRAM ARGS... < file : prints compressed size or "-"
    if command -v "$1" >/dev/null 2>&1; then "$@" | wc -c | tr -d ' '; else echo -; fi
}
now() { date +%s.%N; }

printf '%-16s %10s %10s %10s %10s %10s %8s %8s\n' file bytes mdz gzip-9 xz-9 zstd-19 "c s" "d s"
fail=0
for f in "$@"; do
    name=$(basename "$f")
    cp "$f" "$work/$name"
    t0=$(now)
    "$MDZ" -f "$work/$name"
    t1=$(now)
    "$MDZ" -dkf "$work/$name.mdz"
    t2=$(now)
    if ! cmp -s "$f" "$work/$name"; then
        echo "demo: $name: ROUND TRIP FAILED" >&2
        fail=1
    fi
    printf '%-16s %10s %10s %10s %10s %10s %8.2f %8.2f\n' "$name" "$(size "$f")" \
        "$(size "$work/$name.mdz")" "$(peer gzip -9c < "$f")" "$(peer xz -9c < "$f")" \
        "$(peer zstd -19 -q -c < "$f")" "$(awk "BEGIN{print $t1 - $t0}")" "$(awk "BEGIN{print $t2 - $t1}")"
done
[ "$fail" = 0 ] && echo "demo: every round trip verified (cmp)"
exit "$fail"
