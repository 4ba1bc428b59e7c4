# Builds build/libsuperopt.a from every layer and build/superopt from cli/.
SUPEROPT_PKGS := z3 libxxhash capstone unicorn sqlite3 libcjson
APT_PKGS += libz3-dev libxxhash-dev libcapstone-dev libunicorn-dev libsqlite3-dev nasm z3 cvc5 libcjson-dev
# the shared results store on PostgreSQL (store/store_pg.c)
SUPEROPT_PKGS += libpq
APT_PKGS += libpq-dev
SUPEROPT_CFLAGS := $(shell $(PKGCONF) --cflags $(SUPEROPT_PKGS) 2>/dev/null) -Isuperopt
SUPEROPT_LIBS   := $(shell $(PKGCONF) --libs $(SUPEROPT_PKGS) 2>/dev/null) -lm -lpthread

SUPEROPT_LIB_SRC := $(sort $(wildcard superopt/sys/*.c superopt/isa/*.c superopt/program/*.c \
  superopt/search/*.c superopt/prove/*.c superopt/splice/*.c superopt/pipeline/*.c superopt/store/*.c))
SUPEROPT_CLI_SRC := $(sort $(wildcard superopt/cli/*.c))
SUPEROPT_LIB := $(BUILD)/libsuperopt.a
SUPEROPT_BIN := $(BUILD)/superopt

ALL_GOALS += $(SUPEROPT_BIN)

SUPEROPT_OBJ := $(BUILD)/obj/superopt

$(SUPEROPT_OBJ)/%.o: superopt/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SUPEROPT_CFLAGS) -c $< -o $@

$(SUPEROPT_LIB): $(SUPEROPT_LIB_SRC:superopt/%.c=$(SUPEROPT_OBJ)/%.o)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(SUPEROPT_BIN): $(SUPEROPT_CLI_SRC:superopt/%.c=$(SUPEROPT_OBJ)/%.o) $(SUPEROPT_LIB)
	$(CC) $(CFLAGS) -o $@ $^ $(SUPEROPT_LIBS)

.PHONY: superopt nightly-run audit
superopt: $(SUPEROPT_BIN)

# The product's own goals:
#   make nightly [BUDGET=seconds] [WINDOW=n] [SEED=n] [APPLY=1]   (top Makefile: deps, then nightly-run)
#   make audit
# The nightly check boots the kernel with the real model in QEMU: `model`
# fetches it if MODEL_DIR lacks it; patches are made and audited with git.
APT_PKGS += qemu-system-x86 git
BUDGET ?= 1800
WINDOW ?= 6
SEED ?= 1
nightly-run: $(SUPEROPT_BIN) model
	$(SUPEROPT_BIN) nightly --budget $(BUDGET) --window $(WINDOW) --seed $(SEED) $(if $(APPLY),--apply)

audit: $(SUPEROPT_BIN)
	$(SUPEROPT_BIN) audit

# The semantics version: a hash of every file of the instruction model that
# can change a verdict (the description, its three instantiations, the form
# table and the codec that give bytes their meaning, the state comparison,
# the location names live-out sets are parsed with), as a generated header
# for isa/isa_version.c, which alone is left out.
ISA_SEM_SOURCES := $(filter-out superopt/isa/isa_version.c,$(sort $(wildcard \
  superopt/isa/*.def superopt/isa/*.h superopt/isa/*.c)))
# The same rule generates the evaluator's table of faulting operations from
# the description (superopt/isa/gen/may_fault.c, linked with the parts of the
# model that need no generated header), so whatever waits for the version
# header has both.
ISA_GEN_FAULT_SRC := superopt/isa/gen/may_fault.c superopt/isa/isa_effects.c \
  superopt/isa/isa_forms.c superopt/isa/isa_encode.c superopt/isa/isa_loc.c superopt/isa/isa_state.c
$(BUILD)/gen/isa_sem_version.h: $(ISA_SEM_SOURCES) superopt/isa/gen/may_fault.c
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -MMD -MP,$(CFLAGS)) -Isuperopt -DISA_MAY_FAULT_GEN -o $(BUILD)/gen/may_fault \
	  $(ISA_GEN_FAULT_SRC)
	$(BUILD)/gen/may_fault > $(BUILD)/gen/isa_may_fault.h
	printf '#define ISA_SEM_HASH "%s"\n' $$(cat $^ | sha256sum | cut -c1-16) > $@
$(SUPEROPT_OBJ)/isa/isa_version.o: $(BUILD)/gen/isa_sem_version.h
$(SUPEROPT_OBJ)/isa/isa_version.o: SUPEROPT_CFLAGS += -I$(BUILD)/gen
$(SUPEROPT_OBJ)/isa/isa_state.o: $(BUILD)/gen/isa_sem_version.h
$(SUPEROPT_OBJ)/isa/isa_state.o: SUPEROPT_CFLAGS += -I$(BUILD)/gen

# The folder graph from the #include lines; fails on an upward edge that
# superopt/README.md does not explain.  The self-test plants one.
.PHONY: deps-graph deps-graph-selftest
deps-graph:
	superopt/deps-graph .
deps-graph-selftest:
	superopt/deps-graph --self-test
TEST_GOALS += deps-graph deps-graph-selftest
