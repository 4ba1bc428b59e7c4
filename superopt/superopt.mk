# Builds build/libsuperopt.a from every layer and build/superopt from cli/.
SUPEROPT_PKGS := z3 libxxhash capstone unicorn sqlite3 libcjson
APT_PKGS += libz3-dev libxxhash-dev libcapstone-dev libunicorn-dev libsqlite3-dev nasm z3 cvc5 libcjson-dev
# the shared results store on PostgreSQL (store/store_pg.c)
SUPEROPT_PKGS += libpq
APT_PKGS += libpq-dev
SUPEROPT_CFLAGS := $(shell $(PKGCONF) --cflags $(SUPEROPT_PKGS) 2>/dev/null) -Isuperopt
SUPEROPT_LIBS   := $(shell $(PKGCONF) --libs $(SUPEROPT_PKGS) 2>/dev/null) -lm -lpthread

SUPEROPT_LIB_SRC := $(sort $(wildcard superopt/isa/*.c superopt/program/*.c \
  superopt/search/*.c superopt/prove/*.c superopt/splice/*.c superopt/store/*.c))
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

.PHONY: superopt
superopt: $(SUPEROPT_BIN)

# The semantics version: a hash of the one semantic description, as a
# generated header for isa/isa_version.c.
# The description is the .def file plus the primitives it is written in and
# the rule that compares two outcomes (isa_state_equal, isa_z3_differ).
ISA_SEM_SOURCES := superopt/isa/isa_sem.def superopt/isa/isa_sem.h \
  superopt/isa/isa_state.c superopt/isa/isa_z3.c
$(BUILD)/gen/isa_sem_version.h: $(ISA_SEM_SOURCES)
	@mkdir -p $(dir $@)
	printf '#define ISA_SEM_HASH "%s"\n' $$(cat $^ | sha256sum | cut -c1-16) > $@
$(SUPEROPT_OBJ)/isa/isa_version.o: $(BUILD)/gen/isa_sem_version.h
$(SUPEROPT_OBJ)/isa/isa_version.o: SUPEROPT_CFLAGS += -I$(BUILD)/gen
