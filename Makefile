# mdz -- build, test, install.
#
#   make               ./mdz (+ unmdz, mdzcat links), libmdz.a, libmdz.so
#   make check         every unit test (Check) and shell test
#   make SAN=1 check   the same under AddressSanitizer + UBSan (objects in build/san)
#   make TSAN=1 tsan-check   the threaded tests under ThreadSanitizer (build/tsan)
#   make demo          compress/decompress a bundled sample, compare with peers
#   make bench         benchmark against zlib, zstd, xz, bzip2, brotli (scripts/bench.mk)
#   make fuzz FUZZ_SECONDS=N   libFuzzer targets (tests/fuzz/fuzz.mk)
#   make install PREFIX=/usr/local DESTDIR=...   /   make uninstall
#
# Variables: CC, CFLAGS (optimisation/debug only; warnings are fixed), SAN=1,
# CORPUS_DIR (default ../shared/corpora), PREFIX, DESTDIR; for install also
# BINDIR, LIBDIR, INCDIR, MANDIR, DATADIR (default $(PREFIX)/share: the
# magic(5) entry goes to $(DATADIR)/mdz/mdz.magic) and MAGIC_LOCAL (default
# /etc/magic, whatever PREFIX is, as file(1) reads local magic there only):
# install adds the mdz entry to $(DESTDIR)$(MAGIC_LOCAL) between the lines
# "# mdz: begin" and "# mdz: end" (replacing an earlier block; creating the
# file if needed), uninstall removes that block; MAGIC_LOCAL= skips it.

CC      ?= cc
CFLAGS  ?= -O2 -g
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
LIBDIR  ?= $(PREFIX)/lib
INCDIR  ?= $(PREFIX)/include
MANDIR  ?= $(PREFIX)/share/man
PCDIR   ?= $(LIBDIR)/pkgconfig
DATADIR ?= $(PREFIX)/share
MAGIC_LOCAL ?= /etc/magic
# companion scripts (src/scripts) and the names linked to them
SCRIPTS := mdzgrep mdzdiff mdzless mdzmore
SCRIPT_LINKS := mdzegrep:mdzgrep mdzfgrep:mdzgrep mdzcmp:mdzdiff
SCRIPT_LINK_NAMES := $(foreach l,$(SCRIPT_LINKS),$(firstword $(subst :, ,$(l))))
CORPUS_DIR ?= ../shared/corpora

VERSION := $(shell sed -n 's/^\#define MDZ_VERSION_STRING "\(.*\)"/\1/p' include/mdz.h)
SOVER   := 0

WARN    := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
DEFS    := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
ifeq ($(SAN),1)
BUILD   := build/san
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
CFLAGS  := -O1 -g
BIN     := $(BUILD)/mdz
else ifeq ($(TSAN),1)
BUILD   := build/tsan
SANFLAGS := -fsanitize=thread -fno-omit-frame-pointer
CFLAGS  := -O1 -g
BIN     := $(BUILD)/mdz
else
BUILD   := build/rel
SANFLAGS :=
BIN     := mdz
endif

ALL_CFLAGS  = $(WARN) $(DEFS) $(CFLAGS) $(SANFLAGS) -pthread -Iinclude -Isrc
LIB_CFLAGS  = $(ALL_CFLAGS) -fPIC -fvisibility=hidden -DMDZ_BUILDING_LIBRARY
LDLIBS_ALL  = $(SANFLAGS) -pthread

LIB_SRC  := $(wildcard src/*.c src/models/*.c)
CLI_SRC  := $(wildcard src/cli/*.c)
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
STATIC   := $(BUILD)/libmdz.a
SHARED   := $(BUILD)/libmdz.so.$(SOVER)

CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRC  := $(wildcard tests/tools/*.c)
TOOL_BIN  := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)
SHELL_TESTS := $(sort $(wildcard tests/cli/*.sh))

.PHONY: all check unit-check shell-check demo install uninstall clean lib tools tsan-check

all:

include scripts/bench.mk

all: $(BIN) links $(STATIC) $(SHARED) tools

lib: $(STATIC) $(SHARED)

$(BUILD)/%.o: %.c $(wildcard include/*.h src/*.h src/models/*.h) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(LIB_CFLAGS) -c -o $@ $<

$(BUILD)/src/cli/%.o: src/cli/%.c $(wildcard include/*.h src/cli/*.h) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc/cli -c -o $@ $<

$(STATIC): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

$(SHARED): $(LIB_OBJ)
	$(CC) $(CFLAGS) $(SANFLAGS) -shared -Wl,-soname,libmdz.so.$(SOVER) -o $@ $(LIB_OBJ) $(LDLIBS_ALL)
	ln -sf libmdz.so.$(SOVER) $(BUILD)/libmdz.so

ifeq ($(BUILD),build/rel)
libmdz.a: $(STATIC)
	cp $< $@
libmdz.so: $(SHARED)
	cp $< libmdz.so.$(SOVER)
	ln -sf libmdz.so.$(SOVER) libmdz.so
all: libmdz.a libmdz.so
endif

$(BUILD)/mdz: $(CLI_OBJ) $(STATIC)
	$(CC) $(CFLAGS) $(SANFLAGS) -o $@ $(CLI_OBJ) $(STATIC) $(LDLIBS_ALL)

ifeq ($(BUILD),build/rel)
mdz: $(BUILD)/mdz
	cp $< $@.tmp && mv -f $@.tmp $@
endif

links: $(BIN)
	ln -sf mdz $(dir $(BIN))unmdz
	ln -sf mdz $(dir $(BIN))mdzcat

tools: $(TOOL_BIN)

$(BUILD)/tools/%: tests/tools/%.c $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(STATIC) $(LDLIBS_ALL)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/testutil.h $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -Wno-missing-prototypes -o $@ $< $(STATIC) $(CHECK_LIBS) -lm $(LDLIBS_ALL)

check: all bench-tool unit-check regress shell-check

unit-check: $(UNIT_BIN)
	@if [ -z "$(CHECK_LIBS)" ]; then echo "Check (libcheck) not found: run scripts/install-deps"; exit 1; fi
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; MDZ_CORPUS_DIR=$(CORPUS_DIR) MDZ_SAN=$(SAN) $$t; done

shell-check: all
	@MDZ=$(abspath $(BIN)) MDZ_TOOLS=$(abspath $(BUILD)/tools) MDZ_CORPUS_DIR=$(CORPUS_DIR) MDZ_SAN=$(SAN) \
		sh tests/run-shell-tests.sh $(SHELL_TESTS)

# The tests that run worker threads, under ThreadSanitizer (any report
# fails the run): the threads unit test and the CLI's threads test, with
# small inputs (MDZ_TSAN: the model runs ~25x slower under TSan).
TSAN_ENV := TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1"
tsan-check:
	@if [ "$(TSAN)" != 1 ]; then echo "use: make TSAN=1 tsan-check"; exit 1; fi
	$(MAKE) TSAN=1 $(BIN) links $(BUILD)/tests/test_threads
	$(TSAN_ENV) MDZ_TSAN=1 MDZ_CORPUS_DIR= MDZ_SAN=1 $(BUILD)/tests/test_threads
	@$(TSAN_ENV) MDZ_TSAN=1 MDZ=$(abspath $(BIN)) MDZ_TOOLS= MDZ_CORPUS_DIR= MDZ_SAN=1 \
		sh tests/run-shell-tests.sh tests/cli/threads.sh

demo: all
	@sh scripts/demo.sh ./mdz

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(PCDIR)
	install -m 755 mdz $(DESTDIR)$(BINDIR)/mdz
	ln -sf mdz $(DESTDIR)$(BINDIR)/unmdz
	ln -sf mdz $(DESTDIR)$(BINDIR)/mdzcat
	install -m 644 libmdz.a $(DESTDIR)$(LIBDIR)/libmdz.a
	install -m 755 libmdz.so.$(SOVER) $(DESTDIR)$(LIBDIR)/libmdz.so.$(SOVER)
	ln -sf libmdz.so.$(SOVER) $(DESTDIR)$(LIBDIR)/libmdz.so
	install -m 644 include/mdz.h $(DESTDIR)$(INCDIR)/mdz.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCDIR@|$(INCDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|' mdz.pc.in >$(DESTDIR)$(PCDIR)/mdz.pc
	chmod 644 $(DESTDIR)$(PCDIR)/mdz.pc
	install -m 644 man/mdz.1 $(DESTDIR)$(MANDIR)/man1/mdz.1
	ln -sf mdz.1 $(DESTDIR)$(MANDIR)/man1/unmdz.1
	ln -sf mdz.1 $(DESTDIR)$(MANDIR)/man1/mdzcat.1
	install -m 755 $(SCRIPTS:%=src/scripts/%) $(DESTDIR)$(BINDIR)
	install -m 644 $(SCRIPTS:%=man/%.1) $(DESTDIR)$(MANDIR)/man1
	for l in $(SCRIPT_LINKS); do \
	    ln -sf $${l#*:} $(DESTDIR)$(BINDIR)/$${l%%:*} && \
	    ln -sf $${l#*:}.1 $(DESTDIR)$(MANDIR)/man1/$${l%%:*}.1 || exit 1; \
	done
	install -d $(DESTDIR)$(DATADIR)/mdz
	install -m 644 magic/mdz.magic $(DESTDIR)$(DATADIR)/mdz/mdz.magic
	@if [ -n '$(MAGIC_LOCAL)' ]; then \
	    f='$(DESTDIR)$(MAGIC_LOCAL)'; echo "adding the mdz entry to $$f"; \
	    if install -d "$$(dirname "$$f")" 2>/dev/null && touch "$$f.mdz-new" 2>/dev/null; then \
	        { if [ -f "$$f" ]; then sed -e '/^# mdz: begin/,/^# mdz: end/d' "$$f"; fi; \
	          echo '# mdz: begin (added by make install of mdz, removed by make uninstall)'; \
	          cat magic/mdz.magic; \
	          echo '# mdz: end'; } >"$$f.mdz-new" && \
	        cat "$$f.mdz-new" >"$$f" && rm -f "$$f.mdz-new"; \
	    else \
	        echo "note: cannot write $$f (not root?): file(1) will not name .mdz files;" \
	             "the entry is $(DATADIR)/mdz/mdz.magic (MAGIC_LOCAL= skips this step)" >&2; \
	    fi; \
	fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/mdz $(DESTDIR)$(BINDIR)/unmdz $(DESTDIR)$(BINDIR)/mdzcat
	rm -f $(DESTDIR)$(LIBDIR)/libmdz.a $(DESTDIR)$(LIBDIR)/libmdz.so $(DESTDIR)$(LIBDIR)/libmdz.so.$(SOVER)
	rm -f $(DESTDIR)$(INCDIR)/mdz.h $(DESTDIR)$(PCDIR)/mdz.pc
	rm -f $(DESTDIR)$(MANDIR)/man1/mdz.1 $(DESTDIR)$(MANDIR)/man1/unmdz.1 $(DESTDIR)$(MANDIR)/man1/mdzcat.1
	rm -f $(SCRIPTS:%=$(DESTDIR)$(BINDIR)/%) $(SCRIPT_LINK_NAMES:%=$(DESTDIR)$(BINDIR)/%)
	rm -f $(SCRIPTS:%=$(DESTDIR)$(MANDIR)/man1/%.1) $(SCRIPT_LINK_NAMES:%=$(DESTDIR)$(MANDIR)/man1/%.1)
	rm -f $(DESTDIR)$(DATADIR)/mdz/mdz.magic
	rmdir $(DESTDIR)$(DATADIR)/mdz 2>/dev/null || :
	@f='$(DESTDIR)$(MAGIC_LOCAL)'; \
	if [ -n '$(MAGIC_LOCAL)' ] && [ -f "$$f" ] && grep -q '^# mdz: begin' "$$f"; then \
	    echo "removing the mdz entry from $$f"; \
	    sed -e '/^# mdz: begin/,/^# mdz: end/d' "$$f" >"$$f.mdz-new" && \
	    cat "$$f.mdz-new" >"$$f" && rm -f "$$f.mdz-new"; \
	fi

clean:
	rm -rf build mdz unmdz mdzcat libmdz.a libmdz.so libmdz.so.$(SOVER)

include tests/fuzz/fuzz.mk
