# Program-layer tests (Criterion): the snippet reader, nasm listings, CFG,
# liveness, facts and windows on small programs worked out by hand, and the
# process runner under them (sys/).
#   make test-program        (part of make test)
APT_PKGS += libcriterion-dev nasm

PROGRAM_TEST_SRC := $(sort $(wildcard tests/program/*.c))
PROGRAM_TEST_BIN := $(BUILD)/tests/program/program-tests
PROGRAM_TEST_LIBS := $(SUPEROPT_LIBS) $(shell $(PKGCONF) --libs criterion 2>/dev/null)

$(PROGRAM_TEST_BIN): $(PROGRAM_TEST_SRC) tests/program/program_text.h $(SUPEROPT_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SUPEROPT_CFLAGS) -Itests/program -o $@ $(PROGRAM_TEST_SRC) $(SUPEROPT_LIB) $(PROGRAM_TEST_LIBS)

.PHONY: test-program
test-program: $(PROGRAM_TEST_BIN)
	$(PROGRAM_TEST_BIN) --jobs 2

TEST_GOALS += test-program
