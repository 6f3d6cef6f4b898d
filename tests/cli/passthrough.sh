# passthrough.sh -- mdz -dcf and mdzcat -f copy data that is not .mdz
# through unchanged (zcat -f), so that a mix of rotated (.mdz) and current
# (plain) logs reads as one; without -f such data is an error.
. "$MDZ_TESTLIB"

gen_text 5000 app.log.1
gen_text 7000 app.log
cp app.log.1 one
"$MDZ" app.log.1 || fail "compress"
printf 'ab' >short
: >empty
printf '\211MD' >almost   # three bytes of the magic: not .mdz

expect_rc 0 "$MDZCAT" -f app.log.1.mdz app.log short empty almost
expect_no_err
cat one app.log short almost >want
same out want
expect_rc 0 "$MDZ" -dcf app.log app.log.1.mdz
cat app.log one >want
same out want
# from standard input too
expect_rc 0 "$MDZ" -dcf <app.log
same out app.log
expect_rc 0 "$MDZ" -dcf - <app.log.1.mdz
same out one
# a long plain file (more than one read buffer)
gen_text 2500000 long
expect_rc 0 "$MDZCAT" -f long
same out long
# -v says what happened
expect_rc 0 "$MDZ" -dcfv app.log
expect_err "app.log: not in .mdz format: 7000 bytes copied"

# data that starts like .mdz is decoded, and its damage is an error
cp app.log.1.mdz bad.mdz
flip_byte bad.mdz 40
expect_rc 1 "$MDZCAT" -f bad.mdz
expect_err "bad.mdz: "
# without -f, plain data is an error; -t -f and -d -f (to a file) do not copy
expect_rc 1 "$MDZCAT" app.log
expect_err "app.log: not in .mdz format"
expect_rc 1 "$MDZ" -tf app.log
expect_err "not in .mdz format"
cp app.log copy.mdz
expect_rc 1 "$MDZ" -df copy.mdz
expect_err "copy.mdz: not in .mdz format"
exists copy.mdz
absent copy
exit 0
