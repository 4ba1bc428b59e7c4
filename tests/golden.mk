# Unit tests of golden's arithmetic blocks (kernel/qmath.c).

GOLDEN_TEST_BIN := $(BUILD)/tests/golden/test-golden

$(BUILD)/tests/golden/%.o: tests/golden/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(shell $(PKGCONF) --cflags criterion) -Ikernel -c $< -o $@

$(GOLDEN_TEST_BIN): $(BUILD)/tests/golden/test_qmath.o $(KERNEL_LIB)
	$(CC) $(CFLAGS) -o $@ $^ $(shell $(PKGCONF) --libs criterion) -lm

.PHONY: test-golden
TEST_GOALS += test-golden
test-golden: $(GOLDEN_TEST_BIN)
	$(GOLDEN_TEST_BIN) --jobs 2
