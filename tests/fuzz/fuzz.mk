# tests/fuzz/fuzz.mk -- libFuzzer targets (included by the top Makefile).
#
#   make fuzz FUZZ_SECONDS=N   build, write the seed corpora, then run each
#                              target for N seconds (default 60), one after
#                              the other; fails if any finds a crash
#   make fuzz-build            only build the targets and the seeds
#   make fuzz-replay           run every target once over its seeds and its
#                              grown corpus (no fuzzing)
#   make fuzz-stats            exec counts and seconds per target so far
#   make fuzz-clean            remove build/fuzz (the grown corpora too)
#   make regress               build and run the tests/regress/ programs
#
# Variables: FUZZ_CC (default clang), FUZZ_SECONDS, FUZZ_TARGETS (subset of
# decompress dstream roundtrip reader), FUZZ_NICE (default: nice -n 19),
# FUZZ_JOBS_ARGS (extra libFuzzer flags).
#
# The library sources (src/*.c src/models/*.c, not the CLI) are compiled
# here with clang, coverage-instrumented and under ASan + UBSan; the gcc
# objects of the main build are not reused.  Needs clang and libFuzzer's
# runtime: scripts/install-deps --fuzz.  Everything goes to build/fuzz/:
#   bin/fuzz_*       the targets        seeds/<t>/  generated seed corpora
#   corpus/<t>/      grown corpora      artifacts/  crashes, timeouts, ooms
#   logs/            one log per run    stats.tsv   one line per run
# Crashes become generated-by-code regression tests in tests/regress/.

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= decompress dstream roundtrip reader
FUZZ_NICE    ?= nice -n 19
FUZZ_DIR     := build/fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
                -fno-omit-frame-pointer
FUZZ_CFLAGS  := -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
                -Wall -Wextra -Iinclude -Isrc
FUZZ_LIB_SRC := $(wildcard src/*.c src/models/*.c)
FUZZ_LIB_OBJ := $(FUZZ_LIB_SRC:%.c=$(FUZZ_DIR)/obj/%.o)
# The container code gets full coverage feedback, comparison tracing
# included (it guides the fuzzer through field checks).  The model's
# per-bit loops get edge coverage only: comparison tracing there made
# three quarters of the run time and guides nothing useful.
FUZZ_FRAME_SRC := src/frame.c src/stream.c src/mdz.c src/crc32c.c src/reader.c
FUZZ_HOT_OBJ := $(filter-out $(FUZZ_FRAME_SRC:%.c=$(FUZZ_DIR)/obj/%.o),$(FUZZ_LIB_OBJ))
$(FUZZ_HOT_OBJ): FUZZ_COV_EXTRA := -fno-sanitize-coverage=trace-cmp
FUZZ_HDRS    := $(wildcard include/*.h src/*.h src/models/*.h) tests/fuzz/fuzz_common.h
FUZZ_BINS    := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/bin/fuzz_%)

.PHONY: fuzz fuzz-build fuzz-seeds fuzz-replay fuzz-stats fuzz-clean

fuzz: fuzz-build
	FUZZ_NICE="$(FUZZ_NICE)" FUZZ_EXTRA="$(FUZZ_JOBS_ARGS)" \
		sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-build: $(FUZZ_BINS) fuzz-seeds

$(FUZZ_DIR)/obj/%.o: %.c $(FUZZ_HDRS) tests/fuzz/fuzz.mk
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(FUZZ_COV_EXTRA) $(FUZZ_SAN) -c -o $@ $<

$(FUZZ_DIR)/bin/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_OBJ) $(FUZZ_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $< $(FUZZ_LIB_OBJ)

# The seed generator and the sample writer are ordinary programs (same
# sanitized objects, no libFuzzer main).
$(FUZZ_DIR)/bin/gen_seeds: tests/fuzz/gen_seeds.c tests/fuzz/fuzz_common.h $(FUZZ_LIB_OBJ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -o $@ $< $(FUZZ_LIB_OBJ)

$(FUZZ_DIR)/bin/gen_samples: tests/tools/gen_samples.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -o $@ $<

$(FUZZ_DIR)/seeds/.stamp: $(FUZZ_DIR)/bin/gen_seeds $(FUZZ_DIR)/bin/gen_samples
	rm -rf $(FUZZ_DIR)/seeds $(FUZZ_DIR)/samples
	mkdir -p $(FUZZ_DIR)/samples
	$(FUZZ_DIR)/bin/gen_samples $(FUZZ_DIR)/samples
	$(FUZZ_DIR)/bin/gen_seeds $(FUZZ_DIR)/seeds $(FUZZ_DIR)/samples
	touch $@

fuzz-seeds: $(FUZZ_DIR)/seeds/.stamp

fuzz-replay: fuzz-build
	sh tests/fuzz/run.sh replay $(FUZZ_TARGETS)

fuzz-stats:
	@sh tests/fuzz/run.sh stats

fuzz-clean:
	rm -rf $(FUZZ_DIR)

# Regression tests: every finding becomes a program in tests/regress/ that
# builds its input in code and exits non-zero if the library misbehaves.
# Built with the main build's compiler and flags against its libmdz.a
# (so `make SAN=1 regress` runs them sanitized); include this file after
# the Makefile defines BUILD, STATIC, ALL_CFLAGS and LDLIBS_ALL.
REGRESS_SRC := $(wildcard tests/regress/*.c)
REGRESS_BIN := $(REGRESS_SRC:tests/regress/%.c=$(BUILD)/regress/%)

.PHONY: regress
regress: $(REGRESS_BIN)
	@set -e; for t in $(REGRESS_BIN); do echo "== $$t"; $$t; done

$(BUILD)/regress/%: tests/regress/%.c $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(STATIC) $(LDLIBS_ALL)
