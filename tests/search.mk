# Search and proof tests (Criterion), the corpus benchmark and the speed
# benchmark.
#   make test-search    unit tests, a corpus subset, the CLI checks (in make test)
#   make bench-search   every corpus/bench snippet: table + "search: found ..."
#   make bench-speed    candidates/s at the first filter, depth reached in 10 s
APT_PKGS += libcriterion-dev nasm z3 cvc5 python3

SEARCH_TEST_CFLAGS := $(SUPEROPT_CFLAGS) $(shell $(PKGCONF) --cflags criterion 2>/dev/null) -Itests/search -Itests/program
SEARCH_TEST_LIBS := $(SUPEROPT_LIBS) $(shell $(PKGCONF) --libs criterion 2>/dev/null)
SEARCH_HELPERS := tests/search/corpus_note.c tests/search/corpus_run.c
SEARCH_TESTS := $(BUILD)/tests/search/test_units \
  $(BUILD)/tests/search/test_corpus $(BUILD)/tests/search/test_cpu $(BUILD)/tests/search/test_synth

$(BUILD)/tests/search/%: tests/search/%.c $(SEARCH_HELPERS) $(SUPEROPT_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SEARCH_TEST_CFLAGS) -o $@ $< $(SEARCH_HELPERS) $(SUPEROPT_LIB) $(SEARCH_TEST_LIBS)

.PHONY: test-search bench-search bench-speed
test-search: $(SEARCH_TESTS) $(SUPEROPT_BIN)
	@mkdir -p $(BUILD)/tests/search/proofs
	@for t in $(SEARCH_TESTS); do echo "== $$t"; $$t --jobs 1 || exit 1; done
	tests/search/cli_test.sh $(SUPEROPT_BIN)
	tests/search/determinism_test.sh $(SUPEROPT_BIN)

bench-search: $(BUILD)/tests/search/bench_search
	$(BUILD)/tests/search/bench_search corpus/bench 20 $(BUILD)/bench-search/proofs

bench-speed: $(BUILD)/tests/search/bench_speed
	$(BUILD)/tests/search/bench_speed 10 corpus/bench

TEST_GOALS += test-search
