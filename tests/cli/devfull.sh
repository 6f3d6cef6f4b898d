# devfull.sh -- write errors (ENOSPC via /dev/full) fail with exit 1 and a
# message; nothing is removed or left behind.
. "$MDZ_TESTLIB"

[ -w /dev/full ] || skip "/dev/full not available"
gen_text 30000 f
cp f orig
rc=0
"$MDZ" -c f >/dev/full 2>err || rc=$?
[ $rc -eq 1 ] || fail "mdz -c f >/dev/full exited $rc"
expect_err "No space left on device"
expect_err "^mdz: "
exists f
"$MDZ" -k f || fail "compress"
rc=0
"$MDZ" -dc f.mdz >/dev/full 2>err || rc=$?
[ $rc -eq 1 ] || fail "mdz -dc >/dev/full exited $rc"
expect_err "No space left on device"
rc=0
"$MDZ" <f >/dev/full 2>err || rc=$?
[ $rc -eq 1 ] || fail "stdin to /dev/full exited $rc"
expect_err "No space left on device"
# -v or -l output to a full stdout is an error too
rc=0
"$MDZ" -l f.mdz >/dev/full 2>err || rc=$?
[ $rc -eq 1 ] || fail "mdz -l >/dev/full exited $rc"
expect_err "No space left on device"
rc=0
"$MDZ" --help >/dev/full 2>err || rc=$?
[ $rc -ne 0 ] || fail "mdz --help >/dev/full exited 0"
same f orig
exists f.mdz
no_temp_files
exit 0
