# The QEMU boot harness: check, watch and time the kernel.
# verify/boot-check ASM boots an assembled kernel on the real model and two
# random-weight models and compares every token with golden.

BOOT_DEPS := $(BUILD)/pack $(BUILD)/golden verify/boot-check verify/boot-run verify/boot-image

.PHONY: check-kernel run bench-kernel test-boot-harness
TEST_GOALS += check-kernel test-boot-harness

check-kernel: $(BOOT_DEPS) $(LLAMA_ASM) $(MODEL_DIR)/stories260K.bin $(MODEL_DIR)/tok512.bin
	BUILD_DIR=$(BUILD) verify/boot-check $(LLAMA_ASM)

# The harness itself: a kernel with one wrong shift must be caught.
test-boot-harness: $(BOOT_DEPS) verify/boot-selftest $(LLAMA_ASM) $(MODEL_DIR)/stories260K.bin $(MODEL_DIR)/tok512.bin
	BUILD_DIR=$(BUILD) verify/boot-selftest $(LLAMA_ASM)

# The story in this terminal: COM1 is written straight to stdout (the
# terminal stays cooked, so newlines stay newlines); Ctrl-C quits QEMU once
# the story has ended.
run: $(BUILD)/llama.img
	qemu-system-i386 -accel tcg -nodefaults -display none -no-reboot \
	  -drive format=raw,file=$(BUILD)/llama.img,snapshot=on -serial file:/dev/stdout

# Seconds per token under QEMU (wall clock from boot to halt, over golden's
# token count), on the real model.
bench-kernel: $(BUILD)/llama.img $(BUILD)/golden $(MODEL_BLOB)
	@t=$$(verify/boot-run $(BUILD)/llama.img $(BUILD)/bench.out) && \
	n=$$($(BUILD)/golden --ids $(MODEL_BLOB) | wc -l) && \
	awk -v t=$$t -v n=$$n 'BEGIN { printf "bench-kernel: %d tokens in %.2f s, %.4f s/token\n", n, t, t / n }'

# The behaviour scripts of the third-party boot sectors in ../shared/programs
# (never copied into the project): they repeat, and a one-byte change of
# behaviour fails them (verify/boot-script-selftest, about 80 s here).
PROGRAMS_DIR ?= $(abspath ../shared/programs)
.PHONY: test-boot-scripts
TEST_GOALS += test-boot-scripts
test-boot-scripts: verify/boot-script verify/boot-script-selftest
	verify/boot-script-selftest $(PROGRAMS_DIR)
