# Instruction model tests (Criterion): encode/decode/print round trips and
# nasm agreement, evaluator facts from the Intel manual, read/write sets,
# and the Z3 instantiation against the evaluator.
#   make test-isa
APT_PKGS += libcriterion-dev nasm python3

ISA_TEST_CFLAGS := $(SUPEROPT_CFLAGS) $(shell $(PKGCONF) --cflags criterion 2>/dev/null) -Itests/isa -Iverify/oracle
ISA_TEST_LIBS := $(SUPEROPT_LIBS) $(shell $(PKGCONF) --libs criterion 2>/dev/null)
# the manual's table of undefined outputs lives with the oracles that use it
ISA_TEST_SRC := $(sort $(wildcard tests/isa/*.c)) verify/oracle/sdm_undef.c
ISA_TEST_BIN := $(BUILD)/tests/isa/isa_tests

$(BUILD)/tests/isa/%.o: tests/isa/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(ISA_TEST_CFLAGS) -c $< -o $@

$(BUILD)/tests/isa/%.o: verify/oracle/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(ISA_TEST_CFLAGS) -c $< -o $@

$(ISA_TEST_BIN): $(patsubst verify/oracle/%.c,$(BUILD)/tests/isa/%.o,$(ISA_TEST_SRC:tests/isa/%.c=$(BUILD)/tests/isa/%.o)) $(SUPEROPT_LIB)
	$(CC) $(CFLAGS) -o $@ $^ $(ISA_TEST_LIBS)

.PHONY: test-isa
test-isa: $(ISA_TEST_BIN) $(SUPEROPT_BIN) $(BUILD)/pack
	$(ISA_TEST_BIN) --jobs 2
	tests/isa/cli_test.sh $(SUPEROPT_BIN)
	tests/isa/cli_errors_test.sh $(SUPEROPT_BIN) $(BUILD)/pack

TEST_GOALS += test-isa

# Every planted semantic bug (superopt/isa/MUTATIONS.md) must make the facts
# (or read/write-set) tests fail.  Not in `make test` (31 rebuilds of the evaluator); verify/
# runs the oracle-side version.
ISA_MUTANTS := $(shell seq 1 31) 40 41 42
ISA_MUTANT_OBJS := $(BUILD)/tests/isa/run.o $(BUILD)/tests/isa/sample.o $(BUILD)/tests/isa/test_facts.o \
  $(BUILD)/tests/isa/test_effects.o $(BUILD)/tests/isa/test_sdm_undef.o $(BUILD)/tests/isa/sdm_undef.o

.PHONY: test-isa-mutants
test-isa-mutants: $(ISA_MUTANT_OBJS) $(BUILD)/gen/isa_sem_version.h
	@caught=0; for n in $(ISA_MUTANTS); do \
	  d=$(BUILD)/tests/isa/mutant$$n; mkdir -p $$d; \
	  for f in superopt/isa/*.c; do \
	    $(CC) $(filter-out -MMD -MP,$(CFLAGS)) -O1 $(SUPEROPT_CFLAGS) -I$(BUILD)/gen -DSEM_MUTATION=$$n \
	      -c $$f -o $$d/$$(basename $$f .c).o || exit 3; done; \
	  $(CC) -o $$d/facts $(ISA_MUTANT_OBJS) $$d/*.o $(ISA_TEST_LIBS) || exit 3; \
	  if $$d/facts --jobs 1 >$$d/log 2>&1; then echo "mutation $$n: NOT caught"; \
	  else echo "mutation $$n: caught"; caught=$$((caught+1)); fi; \
	done; echo "isa mutants: $$caught of $(words $(ISA_MUTANTS)) caught"; \
	test $$caught -eq $(words $(ISA_MUTANTS))
