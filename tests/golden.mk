# Unit tests of golden's arithmetic blocks (kernel/qmath.c), and a check of
# golden's command line on a random-weight model.

GOLDEN_TEST_BIN := $(BUILD)/tests/golden/test-golden

$(BUILD)/tests/golden/%.o: tests/golden/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(shell $(PKGCONF) --cflags criterion) -Ikernel -c $< -o $@

$(GOLDEN_TEST_BIN): $(BUILD)/tests/golden/test_qmath.o $(KERNEL_LIB)
	$(CC) $(CFLAGS) -o $@ $^ $(shell $(PKGCONF) --libs criterion) -lm

.PHONY: test-golden
TEST_GOALS += test-golden
test-golden: $(GOLDEN_TEST_BIN) $(BUILD)/pack $(BUILD)/golden $(MODEL_DIR)/tok512.bin
	$(GOLDEN_TEST_BIN) --jobs 2
	tests/golden/cli-check.sh $(BUILD)/pack $(BUILD)/golden $(MODEL_DIR)/tok512.bin
