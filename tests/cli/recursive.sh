# recursive.sh -- -r: the files under each directory operand, in name
# order; .mdz files passed over when compressing, others when
# decompressing, testing or listing; symbolic links and special files
# skipped with a warning; with -c, the outputs concatenated.
. "$MDZ_TESTLIB"

mkdir -p d/sub/deeper d/empty
gen_text 3000 d/a
gen_text 4000 d/sub/b
gen_text 5000 d/sub/deeper/c
cp d/a a.orig
cp d/sub/b b.orig
cp d/sub/deeper/c c.orig
gen_text 2000 d/sub/z.mdz   # not really .mdz: must be passed over
cp d/sub/z.mdz z.orig
mkfifo d/fifo
mkdir outside
gen_text 1000 outside/x
ln -s ../outside d/linkdir
ln -s a d/linkfile

expect_rc 2 "$MDZ" -r d
expect_err "d/fifo: is not a regular file -- ignored"
expect_err "d/linkdir: is a symbolic link -- ignored"
expect_err "d/linkfile: is a symbolic link -- ignored"
grep -q 'z.mdz' err && fail "an .mdz file was warned about: $(cat err)"
for f in d/a d/sub/b d/sub/deeper/c; do
    exists $f.mdz
    absent $f
done
same d/sub/z.mdz z.orig
absent d/sub/z.mdz.mdz
exists outside/x
absent outside/x.mdz

# -t, -l over the tree (the fake z.mdz is tested, and fails)
expect_rc 1 "$MDZ" -tr d
expect_err "d/sub/z.mdz: not in .mdz format"
rm d/sub/z.mdz
expect_rc 2 "$MDZ" -tr d
expect_err "d/linkfile: is a symbolic link -- ignored"
expect_rc 2 "$MDZ" -lr d
[ "$(grep -c '\.mdz$' out)" -eq 3 ] || { cat out; fail "-lr: 3 files expected"; }
grep -q 'totals, 3 files' out || fail "-lr totals: $(cat out)"
# -rc: concatenated in name order
expect_rc 2 "$MDZ" -dcr d
cat a.orig b.orig c.orig >want
same out want
# -dr restores the tree
expect_rc 2 "$MDZ" -dr d
same d/a a.orig
same d/sub/b b.orig
same d/sub/deeper/c c.orig
absent d/a.mdz
# a trailing slash, and -k
expect_rc 0 "$MDZ" -rkv d/sub/
expect_err "^mdz: d/sub/b: "
exists d/sub/b
exists d/sub/b.mdz
exists d/sub/deeper/c.mdz
# without -r a directory is skipped
expect_rc 2 "$MDZ" d
expect_err "d: is a directory -- ignored"
# -o does not go with -r
expect_rc 1 "$MDZ" -r -o x d
expect_err "cannot be used with --recursive"
exit 0
