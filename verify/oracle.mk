# Semantics oracles (verify/oracle/): the instruction model checked against
# the recorded 80286 tests, the host CPU, Unicorn, nasm, Capstone, and its own
# Z3 instantiation; mutation tests; the evaluator/Z3 benchmark.
#   make oracle          full run (>= 10,000 states per form per live oracle)
#   make oracle-ci       the sample make test runs
#   make mutation-test   every planted semantic bug must be caught
#   make oracle-selftest a corrupted encoder/decoder must be caught
#   make bench-isa       instructions/s of the evaluator, ms per Z3 query
ORACLE_PKGS   := unicorn capstone libcjson zlib z3
APT_PKGS      += libunicorn-dev libcapstone-dev libcjson-dev zlib1g-dev libz3-dev nasm
ORACLE_CFLAGS := $(SUPEROPT_CFLAGS) $(shell $(PKGCONF) --cflags $(ORACLE_PKGS) 2>/dev/null)
ORACLE_LIBS   := $(shell $(PKGCONF) --libs $(ORACLE_PKGS) 2>/dev/null) -lm -lpthread
ORACLE_DIR    ?= $(abspath ../shared/oracles/80286)

ORACLE_SRC := $(filter-out verify/oracle/bench.c,$(sort $(wildcard verify/oracle/*.c)))
ORACLE_OBJ := $(ORACLE_SRC:verify/oracle/%.c=$(BUILD)/oracle/obj/%.o)
# The oracles need only the instruction model: they link its objects
# (compiled here, as in libsuperopt.a), not the other layers, so a mutated
# copy can stand in for it.
ISA_SRC    := $(sort $(wildcard superopt/isa/*.c))
ISA_OBJ    := $(ISA_SRC:superopt/isa/%.c=$(BUILD)/oracle/isa/%.o)
ORACLE_BIN := $(BUILD)/oracle/oracle
BENCH_ISA_BIN := $(BUILD)/oracle/bench-isa

ALL_GOALS += $(ORACLE_BIN) $(BENCH_ISA_BIN)

$(BUILD)/oracle/obj/%.o: verify/oracle/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(ORACLE_CFLAGS) -c $< -o $@

$(BUILD)/oracle/isa/%.o: superopt/isa/%.c $(BUILD)/gen/isa_sem_version.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SUPEROPT_CFLAGS) -I$(BUILD)/gen -c $< -o $@

$(ORACLE_BIN): $(ORACLE_OBJ) $(ISA_OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(ORACLE_LIBS)

$(BENCH_ISA_BIN): $(BUILD)/oracle/obj/bench.o $(ISA_OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(ORACLE_LIBS)

# Mutants: the sources that carry the semantics (those naming isa_sem or
# SEM_MUTATION) compiled with -DSEM_MUTATION=N, at -O0 to keep 29 builds
# quick; the rest of the model is shared with the normal build.
ISA_MUT_SRC := $(shell grep -l 'isa_sem\|SEM_MUTATION' $(ISA_SRC) 2>/dev/null)
ISA_FIXED_OBJ := $(filter-out $(ISA_MUT_SRC:superopt/isa/%.c=$(BUILD)/oracle/isa/%.o),$(ISA_OBJ))

$(BUILD)/oracle/mut-%/isa.a: $(ISA_MUT_SRC) $(wildcard superopt/isa/*.h superopt/isa/*.def) $(BUILD)/gen/isa_sem_version.h
	@mkdir -p $(dir $@)obj
	@for s in $(ISA_MUT_SRC); do \
	  $(CC) $(filter-out -O2 -MMD -MP,$(CFLAGS)) -O0 $(SUPEROPT_CFLAGS) -I$(BUILD)/gen -DSEM_MUTATION=$* \
	    -c $$s -o $(dir $@)obj/$$(basename $$s .c).o || exit 1; done
	@rm -f $@ && ar rcs $@ $(dir $@)obj/*.o

# Kept: make would delete the intermediate archive after linking while
# another goal (oracle-replay-test beside mutation-test) still links with it.
.PRECIOUS: $(BUILD)/oracle/mut-%/isa.a
$(BUILD)/oracle/mut-%/oracle: $(ORACLE_OBJ) $(ISA_FIXED_OBJ) $(BUILD)/oracle/mut-%/isa.a
	$(CC) $(CFLAGS) -o $@ $^ $(ORACLE_LIBS)

.PHONY: oracle oracle-ci oracle-selftest oracle-replay-test mutation-test bench-isa
# Each run writes its mismatches (seed, form, bytes, state, both outputs) to
# a reproducer file and prints its path; `oracle --replay FILE` reruns them.
oracle: $(ORACLE_BIN)
	$(ORACLE_BIN) --oracle-dir $(ORACLE_DIR) --states 10000 --z3-states 200 --asm-samples 100

# CI: one fixed seed and one fresh one (the 80286 replay has no seed: it
# runs once); both reproducer files stay in build/oracle/ as the log.
ORACLE_CI_OPTS := --oracle-dir $(ORACLE_DIR) --states 1000 --z3-states 25 --asm-samples 20
oracle-ci: $(ORACLE_BIN)
	@rc=0; $(ORACLE_BIN) $(ORACLE_CI_OPTS) --seed 0x5eed --repro $(BUILD)/oracle/ci-fixed-seed.jsonl || rc=$$?; \
	$(ORACLE_BIN) $(ORACLE_CI_OPTS) --only host,unicorn,z3,nasm,capstone \
	  --repro $(BUILD)/oracle/ci-fresh-seed.jsonl || rc=$$?; exit $$rc

# A planted mismatch (mutation 1) must leave reproducers that --replay
# repeats with the mutant and not with the model.
oracle-replay-test: $(ORACLE_BIN) $(BUILD)/oracle/mut-1/oracle
	@ORACLE_DIR=$(ORACLE_DIR) BUILD=$(BUILD) verify/oracle/replay-test.sh

# The encode/decode oracles must fail on a corrupted encoder and decoder
# (the semantic oracles have the mutants for that).
oracle-selftest: $(ORACLE_BIN)
	@out=$$($(ORACLE_BIN) --oracle-dir $(ORACLE_DIR) --only nasm,capstone --asm-samples 5 \
	        --self-test-corrupt --print-limit 0); rc=$$?; \
	if [ $$rc -ne 1 ] || ! grep -qE '^nasm-encode .* [1-9][0-9]* mismatches' <<<"$$out" \
	   || ! grep -qE '^capstone-decode .* [1-9][0-9]* mismatches' <<<"$$out"; then \
	  echo "oracle-selftest: FAILED: a corrupted encoder or decoder was not caught (exit $$rc)"; exit 1; fi; \
	echo "oracle-selftest: corrupted encodings (nasm) and decodes (Capstone) are caught"

mutation-test: $(ORACLE_OBJ)
	@ORACLE_DIR=$(ORACLE_DIR) BUILD=$(BUILD) MAKE="$(MAKE)" verify/oracle/mutation-test.sh

bench-isa: $(BENCH_ISA_BIN)
	$(BENCH_ISA_BIN)
