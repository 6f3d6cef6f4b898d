#!/bin/sh
# tests/fuzz/run.sh -- runs the libFuzzer targets built by tests/fuzz/fuzz.mk.
#
#   sh tests/fuzz/run.sh SECONDS [TARGET...]   fuzz each target for SECONDS,
#                                              one at a time
#   sh tests/fuzz/run.sh replay [TARGET...]    run each target once over its
#                                              seeds, corpus and regressions
#   sh tests/fuzz/run.sh stats                 totals from build/fuzz/stats.tsv
#
# TARGETs: decompress dstream roundtrip reader (default: all).  Environment:
# FUZZ_NICE (prefix command, default "nice -n 19"), FUZZ_EXTRA (more
# libFuzzer flags).  Run from the top of the tree.
#
# Every fuzzing run appends a line to build/fuzz/stats.tsv:
#   date  target  seconds  execs  result(ok|CRASH)  peak_rss_mb
# and keeps its log in build/fuzz/logs/.  Exit status 1 if any run found a
# crash, timeout or out-of-memory (the input is in build/fuzz/artifacts/;
# reproduce with build/fuzz/bin/fuzz_TARGET FILE).
set -u

D=build/fuzz
NICE=${FUZZ_NICE-nice -n 19}
EXTRA=${FUZZ_EXTRA-}

if [ $# -lt 1 ]; then
    sed -n '2,20p' "$0"
    exit 2
fi
mode=$1
shift

if [ "$mode" = stats ]; then
    [ -f $D/stats.tsv ] || { echo "no fuzzing runs recorded yet"; exit 0; }
    awk -F'\t' '{ s[$2] += $3; e[$2] += $4; n[$2]++; if ($5 != "ok") c[$2]++ }
        END { printf "%-12s %6s %10s %14s %8s\n", "target", "runs", "seconds", "execs", "crashes";
              for (t in s) printf "%-12s %6d %10d %14d %8d\n", t, n[t], s[t], e[t], c[t] + 0 }' \
        $D/stats.tsv
    exit 0
fi

[ $# -gt 0 ] || set -- decompress dstream roundtrip reader

# Per-target libFuzzer options.  The decoders' inputs stay small (they can
# still declare blocks of up to 256 MiB).  Round trips are capped at 32 KiB:
# the model runs at ~100-200 KB/s under ASan, and larger inputs cut the
# exec rate tenfold (full 64 KiB blocks are covered by tests/unit/
# test_stream.c and the seeds' flushed multi-block streams); the one-shot decoder has no memory
# limit in its API, so its RSS ceiling allows the format's documented
# maximum (~1.5 GiB at level 9, block_log 28) plus ASan's overhead.
opts() {
    case $1 in
    decompress) echo "-max_len=65536 -timeout=25 -rss_limit_mb=2560" ;;
    dstream)    echo "-max_len=65540 -timeout=25 -rss_limit_mb=1536" ;;
    roundtrip)  echo "-max_len=32768 -timeout=60 -rss_limit_mb=2560" ;;
    reader)     echo "-max_len=65536 -timeout=25 -rss_limit_mb=2560" ;;
    *) echo "run.sh: unknown target '$1'" >&2; exit 2 ;;
    esac
}

mkdir -p $D/logs $D/artifacts
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=1:quarantine_size_mb=64:malloc_context_size=20"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-}:print_stacktrace=1:halt_on_error=1"
status=0

for t in "$@"; do
    bin=$D/bin/fuzz_$t
    o=$(opts "$t") || exit 2
    [ -x "$bin" ] || { echo "run.sh: $bin not built (make fuzz-build)" >&2; exit 2; }
    mkdir -p $D/corpus/$t
    if [ "$mode" = replay ]; then
        # every seed, every grown corpus file and every regression input
        dirs="$D/corpus/$t $D/seeds/$t"
        echo "== replay $t"
        # shellcheck disable=SC2086
        if ! $bin $o -runs=0 -artifact_prefix=$D/artifacts/replay-$t- $dirs \
            >$D/logs/replay-$t.log 2>&1; then
            echo "run.sh: $t: replay FAILED (see $D/logs/replay-$t.log)"
            tail -n 30 $D/logs/replay-$t.log
            status=1
        else
            grep -E 'INITED|DONE' $D/logs/replay-$t.log | tail -n 1
        fi
        continue
    fi
    secs=$mode
    log=$D/logs/$t-$(date -u +%Y%m%dT%H%M%SZ).log
    echo "== fuzz $t for ${secs}s (log: $log)"
    start=$(date +%s)
    # shellcheck disable=SC2086
    $NICE $bin $o -max_total_time="$secs" -print_final_stats=1 \
        -artifact_prefix=$D/artifacts/$t- $EXTRA $D/corpus/$t $D/seeds/$t >"$log" 2>&1
    rc=$?
    end=$(date +%s)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n 1)
    if [ -z "$execs" ]; then  # crashed before the final stats: last status line
        execs=$(sed -n 's/^#\([0-9][0-9]*\).*/\1/p' "$log" | tail -n 1)
    fi
    result=ok
    if [ $rc -ne 0 ]; then
        result=CRASH
        status=1
        echo "run.sh: $t: FINDING (exit $rc); last lines of $log:"
        grep -E 'ERROR|invariant|SUMMARY|Test unit written|runtime error' "$log" | head -n 20
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$t" $((end - start)) \
        "${execs:-0}" "$result" "${rss:-?}" >>$D/stats.tsv
    echo "   $t: $result, ${execs:-0} execs in $((end - start))s, peak RSS ${rss:-?} MB"
done
exit $status
