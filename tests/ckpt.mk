# Checkpoint reader, random checkpoints, the float reference CLI, and (once
# kernel/pack.c exists) the packer's input checks.  Corrupt inputs are made
# in a temporary directory from $(MODEL_DIR)'s files and random checkpoints.

CKPT_TEST_CFLAGS := $(shell $(PKGCONF) --cflags criterion 2>/dev/null) -Ikernel -Itests/ckpt
CKPT_TEST_LIBS   := $(shell $(PKGCONF) --libs criterion 2>/dev/null) -lm
# ckpt.o is kernel.mk's object, the one pack and float link.
CKPT_TEST_FIXTURE := $(BUILD)/tests/ckpt/fixture.o $(BUILD)/kernel/ckpt.o
CKPT_TEST_BIN  := $(BUILD)/tests/ckpt/test-ckpt
CKPT_PACK_TEST_BIN := $(BUILD)/tests/ckpt/test-pack-checks
CKPT_MODEL_FILES := $(MODEL_DIR)/stories260K.bin $(MODEL_DIR)/tok512.bin

$(BUILD)/tests/ckpt/%.o: tests/ckpt/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(CKPT_TEST_CFLAGS) -c $< -o $@

$(CKPT_TEST_BIN): $(addprefix $(BUILD)/tests/ckpt/,test_ckpt_checks.o test_random_ckpt.o test_float_cli.o) $(CKPT_TEST_FIXTURE)
	$(CC) $(CFLAGS) -o $@ $^ $(CKPT_TEST_LIBS)

$(CKPT_PACK_TEST_BIN): $(BUILD)/tests/ckpt/test_pack_checks.o $(CKPT_TEST_FIXTURE)
	$(CC) $(CFLAGS) -o $@ $^ $(CKPT_TEST_LIBS)

.PHONY: test-ckpt test-pack-checks
TEST_GOALS += test-ckpt
test-ckpt: $(CKPT_TEST_BIN) $(FLOAT_BIN) $(CKPT_MODEL_FILES)
	FLOAT_BIN=$(FLOAT_BIN) $(CKPT_TEST_BIN) --jobs 2

# The packer is built by kernel.mk; its checks are tested as soon as it exists.
ifneq ($(wildcard kernel/pack.c),)
TEST_GOALS += test-pack-checks
endif
test-pack-checks: $(CKPT_PACK_TEST_BIN) $(BUILD)/pack $(CKPT_MODEL_FILES)
	PACK_BIN=$(BUILD)/pack $(CKPT_PACK_TEST_BIN) --jobs 2
