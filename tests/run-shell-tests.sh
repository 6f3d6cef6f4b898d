#!/bin/sh
# run-shell-tests.sh -- runs the mdz command-line tests.
#
#   MDZ=/abs/mdz [MDZ_TOOLS=dir] [MDZ_CORPUS_DIR=dir] [MDZ_SAN=0|1] \
#       sh tests/run-shell-tests.sh tests/cli/*.sh
#
# Each script runs under sh (POSIX sh; dash on Debian) in a fresh empty
# temporary directory, with these variables exported:
#   MDZ            the program under test (absolute path)
#   UNMDZ, MDZCAT  symbolic links to it named unmdz and mdzcat
#   MDZ_BIN        the directory of those links, also holding links to the
#                  companion scripts of src/scripts (mdzgrep, mdzegrep,
#                  mdzfgrep, mdzdiff, mdzcmp, mdzless, mdzmore), which run
#                  the mdz beside them
#   MDZ_TESTLIB    tests/cli/lib/common.sh, to be sourced by the scripts
#   MDZ_SRCDIR     the source tree (for man/*.1, magic/mdz.magic, make install)
#   MDZ_CORPUS_DIR absolute path of the corpus ('' when absent)
#   MDZ_SAN        1 under sanitizers (scripts then do less work)
# A script passes with exit status 0, is skipped with 77, fails otherwise.
# Prints PASS/FAIL/SKIP per script (a failure with the script's output) and
# ends with "N passed, M failed"; exits 1 if anything failed.

here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/.." && pwd)

if [ -z "$MDZ" ]; then
    echo "run-shell-tests.sh: set MDZ to the mdz program" >&2
    exit 2
fi
case $MDZ in
    /*) ;;
    *) MDZ=$(pwd)/$MDZ ;;
esac
if [ ! -x "$MDZ" ]; then
    echo "run-shell-tests.sh: $MDZ is not an executable" >&2
    exit 2
fi
if [ -n "$MDZ_CORPUS_DIR" ] && [ -d "$MDZ_CORPUS_DIR" ]; then
    MDZ_CORPUS_DIR=$(cd "$MDZ_CORPUS_DIR" && pwd)
else
    MDZ_CORPUS_DIR=
fi
: "${MDZ_SAN:=0}"
: "${MDZ_TEST_TIMEOUT:=900}"

work=$(mktemp -d "${TMPDIR:-/tmp}/mdz-shell-tests.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
trap 'rm -rf "$work"; exit 130' INT TERM HUP
mkdir "$work/bin"
ln -s "$MDZ" "$work/bin/mdz"
ln -s "$MDZ" "$work/bin/unmdz"
ln -s "$MDZ" "$work/bin/mdzcat"
for s in mdzgrep mdzdiff mdzless mdzmore; do
    ln -s "$srcdir/src/scripts/$s" "$work/bin/$s"
done
ln -s "$srcdir/src/scripts/mdzgrep" "$work/bin/mdzegrep"
ln -s "$srcdir/src/scripts/mdzgrep" "$work/bin/mdzfgrep"
ln -s "$srcdir/src/scripts/mdzdiff" "$work/bin/mdzcmp"

# the user's default options must not change what the tests see
unset MDZ_OPT
UNMDZ=$work/bin/unmdz
MDZCAT=$work/bin/mdzcat
MDZ_TESTLIB=$srcdir/tests/cli/lib/common.sh
MDZ_SRCDIR=$srcdir
MDZ_BIN=$work/bin
export MDZ UNMDZ MDZCAT MDZ_BIN MDZ_TESTLIB MDZ_SRCDIR MDZ_CORPUS_DIR MDZ_SAN MDZ_TOOLS

if command -v timeout >/dev/null 2>&1; then
    run_timeout="timeout $MDZ_TEST_TIMEOUT"
else
    run_timeout=
fi

pass=0 fail=0 skip=0 n=0
for t in "$@"; do
    case $t in
        /*) script=$t ;;
        *) script=$(pwd)/$t ;;
    esac
    name=$(basename "$t" .sh)
    n=$((n + 1))
    dir=$work/t$n
    mkdir "$dir"
    start=$(date +%s)
    (cd "$dir" && $run_timeout sh "$script") >"$work/out$n" 2>&1 </dev/null
    rc=$?
    secs=$(( $(date +%s) - start ))
    if [ $rc -eq 0 ]; then
        pass=$((pass + 1))
        echo "PASS $name (${secs}s)"
    elif [ $rc -eq 77 ]; then
        skip=$((skip + 1))
        echo "SKIP $name: $(tail -n 1 "$work/out$n")"
    else
        fail=$((fail + 1))
        if [ $rc -eq 124 ]; then
            echo "FAIL $name (timed out after ${MDZ_TEST_TIMEOUT}s)"
        else
            echo "FAIL $name (exit $rc, ${secs}s)"
        fi
        sed -e 's/^/    /' "$work/out$n" | tail -n 60
    fi
    chmod -R u+rwx "$dir" 2>/dev/null
    rm -rf "$dir"
done
[ $skip -gt 0 ] && echo "$skip skipped"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
