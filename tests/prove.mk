# Prover tests (Criterion): the equivalence query, proof files under both
# solver command lines, exhaustion, proof files read back.
#   make test-prove          (part of make test)
APT_PKGS += libcriterion-dev nasm z3 cvc5

PROVE_TEST_SRC := $(sort $(wildcard tests/prove/*.c))
PROVE_TEST_BIN := $(BUILD)/tests/prove/prove-tests
PROVE_TEST_LIBS := $(SUPEROPT_LIBS) $(shell $(PKGCONF) --libs criterion 2>/dev/null)

$(PROVE_TEST_BIN): $(PROVE_TEST_SRC) tests/program/program_text.h $(SUPEROPT_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SUPEROPT_CFLAGS) -Itests/program -o $@ $(PROVE_TEST_SRC) $(SUPEROPT_LIB) $(PROVE_TEST_LIBS)

.PHONY: test-prove
test-prove: $(PROVE_TEST_BIN)
	$(PROVE_TEST_BIN) --jobs 2

TEST_GOALS += test-prove
