# Instruction model tests (Criterion): encode/decode/print round trips and
# nasm agreement, evaluator facts from the Intel manual, read/write sets,
# and the Z3 instantiation against the evaluator.
#   make test-isa
APT_PKGS += libcriterion-dev nasm

ISA_TEST_CFLAGS := $(SUPEROPT_CFLAGS) $(shell $(PKGCONF) --cflags criterion 2>/dev/null) -Itests/isa
ISA_TEST_LIBS := $(SUPEROPT_LIBS) $(shell $(PKGCONF) --libs criterion 2>/dev/null)
ISA_TEST_SRC := $(sort $(wildcard tests/isa/*.c))
ISA_TEST_BIN := $(BUILD)/tests/isa/isa_tests

$(BUILD)/tests/isa/%.o: tests/isa/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(ISA_TEST_CFLAGS) -c $< -o $@

$(ISA_TEST_BIN): $(ISA_TEST_SRC:tests/isa/%.c=$(BUILD)/tests/isa/%.o) $(SUPEROPT_LIB)
	$(CC) $(CFLAGS) -o $@ $^ $(ISA_TEST_LIBS)

.PHONY: test-isa
test-isa: $(ISA_TEST_BIN)
	$(ISA_TEST_BIN) --jobs 2

TEST_GOALS += test-isa
