# suffix.sh -- -S/--suffix: compress to NAME.SUF; decompress NAME.SUF (and
# still NAME.mdz); the suffix rules use it.
. "$MDZ_TESTLIB"

gen_text 4000 f
cp f orig
expect_rc 0 "$MDZ" -S .mz f
exists f.mz
absent f
absent f.mdz
expect_rc 0 "$MDZ" -d -S .mz f.mz
same f orig
absent f.mz
expect_rc 0 "$MDZ" --suffix=_c -k f
exists f_c
"$MDZ" -dc f_c | cmp -s - orig || fail "f_c does not decode"
# decompressing with -S still knows .mdz
expect_rc 0 "$MDZ" -k f
rm f
expect_rc 0 "$MDZ" -d -S .mz f.mdz
same f orig
# the -S suffix is "already there" when compressing, unknown without -S
cp orig g.mz
expect_rc 2 "$MDZ" -S .mz g.mz
expect_err "g.mz: already has .mz suffix -- unchanged"
"$MDZ" -k -S .mz f || fail "compress f"
expect_rc 2 "$MDZ" -d f.mz
expect_err "f.mz: unknown suffix -- ignored"
exists f.mz
# a suffix cannot be empty or hold a slash
expect_rc 1 "$MDZ" -S '' f
expect_err "invalid suffix"
expect_rc 1 "$MDZ" -S a/b f
expect_err "invalid suffix"
exists f
exit 0
