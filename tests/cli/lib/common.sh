# common.sh -- helpers for the mdz shell tests (sourced; POSIX sh).
#
# Every test runs in a fresh empty directory.  fail() ends the test; the
# runner prints everything the test wrote.

set -u

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

skip() {
    echo "$*"
    exit 77
}

note() {
    echo "# $*"
}

# run CMD...: runs a command, stdout in ./out, stderr in ./err, status in $rc.
run() {
    rc=0
    "$@" >out 2>err || rc=$?
}

# expect_rc N CMD...: runs CMD (as run) and fails unless its status is N.
expect_rc() {
    want=$1
    shift
    run "$@"
    if [ "$rc" -ne "$want" ]; then
        echo "stderr was:" >&2
        cat err >&2
        fail "'$*' exited $rc, expected $want"
    fi
}

# expect_err PATTERN: the last command's stderr matches the grep pattern.
expect_err() {
    grep -q -e "$1" err || { echo "stderr was:"; cat err; fail "stderr lacks '$1'"; }
}

# expect_no_err: the last command wrote nothing on stderr.
expect_no_err() {
    [ -s err ] && { echo "stderr was:"; cat err; fail "unexpected stderr output"; }
    return 0
}

# same A B: files A and B are identical.
same() {
    cmp -s "$1" "$2" || fail "$1 and $2 differ"
}

exists() {
    [ -e "$1" ] || fail "$1 does not exist"
}

absent() {
    [ -e "$1" ] && fail "$1 exists but should not"
    return 0
}

# wait_tmp PID: waits (up to 8 s) until a temporary output file
# (.NAME.XXXXXX) exists in the current directory -- mdz has opened and
# examined its input and is at work -- or PID has ended (then fails).
wait_tmp() {
    k=0
    while [ $k -lt 400 ]; do
        ls -a | grep -q '^\..*\.[A-Za-z0-9]\{6\}$' && return 0
        kill -0 "$1" 2>/dev/null || return 1
        sleep 0.02
        k=$((k + 1))
    done
    return 1
}

# no_temp_files [DIR]: no leftover temporary output (.NAME.XXXXXX) in DIR.
no_temp_files() {
    left=$(find "${1:-.}" -maxdepth 1 -name '.*.??????' -print 2>/dev/null)
    [ -n "$left" ] && fail "temporary files left behind: $left"
    return 0
}

filesize() {
    wc -c <"$1" | tr -d ' '
}

mtime() {
    stat -c %Y "$1"
}

fmode() {
    stat -c %a "$1"
}

# gen_text N FILE: N bytes of compressible pseudo-text (deterministic).
gen_text() {
    awk -v n="$1" 'BEGIN {
        split("the of and a to in is was he for it with as his on be at by I had not are but from or have an they which one you were her all she there would their we him been has when who will more no if out so said what up its about into than them can only other new some could time these two may then do first any my now such like our over man me even most made after also did many before must through back years where much your way well down should because each just those people how too little state good very make world still own see men work long here get both between life being under never day same another know while last might us great old year off come since against go came right used take three", w, " ")
        nw = 0; for (i in w) nw++
        srand(42); out = 0; line = 0
        while (out < n) {
            s = w[int(rand() * nw) + 1]
            if (line > 60) { s = s "\n"; line = 0 } else { s = s " "; line += length(s) }
            if (out + length(s) > n) s = substr(s, 1, n - out)
            printf "%s", s; out += length(s)
        }
    }' >"$2"
    [ "$(filesize "$2")" -eq "$1" ] || fail "gen_text produced the wrong size"
}

# gen_random N FILE
gen_random() {
    head -c "$1" /dev/urandom >"$2"
}

# gen_byte N CHAR FILE: N copies of one byte.
gen_byte() {
    head -c "$1" /dev/zero | tr '\000' "$2" >"$3"
}

# gen_allbytes FILE: the 256 byte values in order.
gen_allbytes() {
    i=0
    : >"$1"
    while [ $i -lt 256 ]; do
        # shellcheck disable=SC2059
        printf "\\$(printf %o $i)" >>"$1"
        i=$((i + 1))
    done
    [ "$(filesize "$1")" -eq 256 ] || fail "gen_allbytes produced the wrong size"
}

# roundtrip_file FILE [OPTIONS]: file mode, -k then -d, compare.
roundtrip_file() {
    f=$1
    shift
    cp "$f" rt.in
    expect_rc 0 "$MDZ" -k "$@" rt.in
    expect_no_err
    exists rt.in.mdz
    same rt.in "$f"
    mv rt.in rt.orig
    expect_rc 0 "$MDZ" -d rt.in.mdz
    expect_no_err
    absent rt.in.mdz
    same rt.in "$f"
    rm -f rt.in rt.orig
}

# roundtrip_pipe FILE [OPTIONS]: stdin -> stdout both ways.
roundtrip_pipe() {
    f=$1
    shift
    rc=0
    "$MDZ" "$@" <"$f" >rt.mdz 2>err || rc=$?
    [ $rc -eq 0 ] || { cat err; fail "compressing $f from stdin exited $rc"; }
    expect_no_err
    rc=0
    "$MDZ" -d <rt.mdz >rt.out 2>err || rc=$?
    [ $rc -eq 0 ] || { cat err; fail "decompressing $f on stdin exited $rc"; }
    expect_no_err
    same rt.out "$f"
    rm -f rt.mdz rt.out
}

# roundtrip_links FILE [OPTIONS]: -c, then unmdz and mdzcat.
roundtrip_links() {
    f=$1
    shift
    rc=0
    "$MDZ" -c "$@" "$f" >rl.mdz 2>err || rc=$?
    [ $rc -eq 0 ] || { cat err; fail "mdz -c $f exited $rc"; }
    rc=0
    "$MDZCAT" rl.mdz >rl.out 2>err || rc=$?
    [ $rc -eq 0 ] || { cat err; fail "mdzcat exited $rc"; }
    same rl.out "$f"
    rm -f rl.out
    rc=0
    "$UNMDZ" rl.mdz 2>err || rc=$?
    [ $rc -eq 0 ] || { cat err; fail "unmdz exited $rc"; }
    absent rl.mdz
    same rl "$f"
    rm -f rl
}

# flip_byte FILE OFFSET [MASK]: XORs the byte at OFFSET with MASK (default 1).
flip_byte() {
    v=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    [ -n "$v" ] || fail "flip_byte: offset $2 beyond the end of $1"
    v=$((v ^ ${3:-1}))
    # shellcheck disable=SC2059
    printf "\\$(printf %o $v)" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# three_kinds: sets $files to a text, a log and a binary file -- alice29.txt,
# HDFS_2k.log and geo.protodata from the corpus when present, else the
# generated text.txt, syslog.log and records.bin (in the test directory).
three_kinds() {
    files=""
    if [ -n "$MDZ_CORPUS_DIR" ]; then
        for f in text/alice29.txt logs/HDFS_2k.log binary/geo.protodata; do
            [ -f "$MDZ_CORPUS_DIR/$f" ] && files="$files $MDZ_CORPUS_DIR/$f"
        done
    fi
    if [ -z "$files" ]; then
        "$MDZ_TOOLS/gen_samples" . || fail "gen_samples"
        files="text.txt syslog.log records.bin"
    fi
}
