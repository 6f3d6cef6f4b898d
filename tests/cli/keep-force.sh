# keep-force.sh -- input removal, -k, -f, existing outputs, suffixes,
# special files, symbolic and hard links.
. "$MDZ_TESTLIB"

gen_text 4000 f
cp f orig

# plain compress removes the input only after success
expect_rc 0 "$MDZ" f
expect_no_err
absent f
exists f.mdz
expect_rc 0 "$MDZ" -d f.mdz
expect_no_err
absent f.mdz
same f orig

# -k keeps the input
expect_rc 0 "$MDZ" -k f
exists f
exists f.mdz
cp f.mdz f.mdz.saved

# existing output: refused without -f, nothing changes
expect_rc 1 "$MDZ" f
expect_err "f.mdz.*exists"
exists f
same f.mdz f.mdz.saved
expect_rc 1 "$MDZ" -d f.mdz
expect_err "exists"
exists f.mdz
same f orig
# -f overwrites
echo "other content" >f.mdz
expect_rc 0 "$MDZ" -f f
absent f
"$MDZ" -dc f.mdz | cmp -s - orig || fail "-f did not overwrite f.mdz"
echo "stale" >f
expect_rc 0 "$MDZ" -df f.mdz
same f orig
absent f.mdz

# a failing decompression keeps the input and leaves no output
cp f.mdz.saved bad.mdz
printf 'XXXX' | dd of=bad.mdz bs=1 seek=40 conv=notrunc 2>/dev/null
expect_rc 1 "$MDZ" -d bad.mdz
exists bad.mdz
absent bad
no_temp_files

# suffixes
cp orig x.mdz
expect_rc 2 "$MDZ" x.mdz
expect_err "x.mdz: already has .mdz suffix"
exists x.mdz
absent x.mdz.mdz
expect_rc 0 "$MDZ" -f x.mdz
exists x.mdz.mdz
absent x.mdz
cp orig plain
expect_rc 2 "$MDZ" -d plain
expect_err "plain: unknown suffix -- ignored"
exists plain
cp f.mdz.saved plain2
expect_rc 0 "$MDZ" -dc plain2
same out orig
cp orig .mdz
expect_rc 2 "$MDZ" -d .mdz
expect_err "unknown suffix"
rm -f .mdz

# -q silences the warning but keeps the status
expect_rc 2 "$MDZ" -q -d plain
expect_no_err

# directories and special files are skipped
mkdir dir
expect_rc 2 "$MDZ" dir
expect_err "dir: is a directory -- ignored"
mkfifo fifo
expect_rc 2 "$MDZ" fifo
expect_err "fifo: is not a regular file -- ignored"
absent fifo.mdz
# (with -c they are read, as zcat reads them: special-files.sh)
expect_rc 0 "$MDZ" -c /dev/null
"$MDZ" -dc <out >empty.out || fail "-c /dev/null does not decode"
[ -s empty.out ] && fail "-c /dev/null is not empty"

# symbolic links: skipped unless -f
cp orig target
ln -s target link
expect_rc 2 "$MDZ" link
expect_err "link: is a symbolic link"
exists link
absent link.mdz
expect_rc 0 "$MDZ" -f -k link
exists link.mdz
"$MDZ" -dc link.mdz | cmp -s - orig || fail "compressing through a symlink"
rm link.mdz

# hard links: skipped when the input would be removed, unless -f or -k
ln target hard
expect_rc 2 "$MDZ" hard
expect_err "hard: has 1 other link"
absent hard.mdz
expect_rc 0 "$MDZ" -k hard
exists hard.mdz
rm hard.mdz
expect_rc 0 "$MDZ" -f hard
absent hard
exists target

# a missing file is an error; the others are still processed
cp orig g
expect_rc 1 "$MDZ" nosuch g
expect_err "nosuch: No such file or directory"
exists g.mdz
absent g

# input and output the same file
cp f.mdz.saved s.mdz
expect_rc 1 "$MDZ" -d -f -o s.mdz s.mdz
expect_err "same file"
same s.mdz f.mdz.saved
no_temp_files
exit 0
