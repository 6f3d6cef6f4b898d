# scripts/bench.mk -- the benchmark's make targets; included by the Makefile
# (after BUILD, STATIC, ALL_CFLAGS, LDLIBS_ALL and CORPUS_DIR are defined).
#
#   make bench          build, then scripts/bench on $(CORPUS_DIR) (or the
#                       generated samples): tables on stdout, CSV and charts
#                       in results/<date>/ (results/latest)
#   make bench BENCH_ARGS='--mdz-levels all --runs 5'   any scripts/bench options
#   make bench-quick    1 run, mdz -6 only: a fast look
#   make bench-chart    redraw the charts of results/latest (RESULTS=DIR)
#   make bench-readme   regenerate README.md's results section from it
#   make bench-tool     only build the measuring program
#
# The measuring program links zlib and libzstd (zlib1g-dev, libzstd-dev).

BENCH_BIN    := $(BUILD)/bench/mdz-bench
BENCH_CFLAGS := $(shell pkg-config --cflags libzstd zlib 2>/dev/null)
BENCH_LIBS   := $(shell pkg-config --libs libzstd zlib 2>/dev/null || echo -lzstd -lz)
BENCH_ARGS   ?=
RESULTS      ?= results/latest

.PHONY: bench bench-quick bench-chart bench-readme bench-tool

bench-tool: $(BENCH_BIN)

$(BENCH_BIN): tests/bench/bench.c include/mdz.h $(STATIC) scripts/bench.mk
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(BENCH_CFLAGS) -o $@ $< $(STATIC) $(BENCH_LIBS) $(LDLIBS_ALL)

bench: all $(BENCH_BIN)
	CORPUS_DIR=$(CORPUS_DIR) scripts/bench --bench-bin $(BENCH_BIN) \
		--gen-samples $(BUILD)/tools/gen_samples $(BENCH_ARGS)

bench-quick: all $(BENCH_BIN)
	CORPUS_DIR=$(CORPUS_DIR) scripts/bench --bench-bin $(BENCH_BIN) \
		--gen-samples $(BUILD)/tools/gen_samples --quick $(BENCH_ARGS)

bench-chart:
	scripts/bench-chart $(RESULTS)

bench-readme:
	scripts/bench-readme $(RESULTS) README.md
