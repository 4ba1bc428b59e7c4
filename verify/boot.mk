# The boot harness (QEMU, Bochs): check, watch and time the kernel.
# verify/boot-check ASM boots an assembled kernel on the real model and two
# random-weight models and compares every token with golden.

BOOT_DEPS := $(BUILD)/pack $(BUILD)/golden verify/boot-check verify/boot-run verify/boot-bochs verify/boot-image
APT_PKGS  += bochs bochsbios vgabios

# Where a PC boots: every disk controller SeaBIOS drives, garbage in the
# memory the kernel uses, old and newer CPUs, and another emulator with
# another BIOS (Bochs).  Each boots the real model and two random ones.  To
# keep CI short, whole stories run where the machine differs most from
# check-kernel's (garbage: all three models; Bochs: the real one) and the
# rest judge the first PORTABLE_TOKENS tokens (the harness stops the boot
# there and says so: "M matched of N, the first of T").
PORTABLE_MACHINES := ide ahci virtio usb garbage 486 pentium bochs
PORTABLE_TOKENS   := 64

.PHONY: check-kernel check-portable run bench-kernel test-boot-harness
TEST_GOALS += check-kernel check-portable test-boot-harness

check-kernel: $(BOOT_DEPS) $(LLAMA_ASM) $(MODEL_DIR)/stories260K.bin $(MODEL_DIR)/tok512.bin
	BUILD_DIR=$(BUILD) verify/boot-check $(LLAMA_ASM)

# BOOT_TIMEOUT: a loaded machine runs a 512-token story in minutes.
check-portable: $(BOOT_DEPS) $(LLAMA_ASM) $(MODEL_DIR)/stories260K.bin $(MODEL_DIR)/tok512.bin
	BUILD_DIR=$(BUILD) BOOT_MACHINES="$(PORTABLE_MACHINES)" BOOT_TOKENS=$(PORTABLE_TOKENS) BOOT_TIMEOUT=900 verify/boot-check $(LLAMA_ASM)
	BUILD_DIR=$(BUILD) BOOT_MACHINES=garbage BOOT_TIMEOUT=900 verify/boot-check $(LLAMA_ASM)
	BUILD_DIR=$(BUILD) BOOT_MACHINES=bochs BOOT_SEEDS= BOOT_TIMEOUT=900 verify/boot-check $(LLAMA_ASM)

# The harness itself: a kernel with one wrong shift must be caught.
test-boot-harness: $(BOOT_DEPS) verify/boot-selftest $(LLAMA_ASM) $(MODEL_DIR)/stories260K.bin $(MODEL_DIR)/tok512.bin
	BUILD_DIR=$(BUILD) verify/boot-selftest $(LLAMA_ASM)

# The story for a person: in a QEMU window when there is a display (the
# text is copied to this terminal too), in this terminal otherwise (what the
# kernel writes to port 0xE9, the same bytes as on the screen); QEMU quits
# when the kernel halts at the story's end.
run: $(BUILD)/llama.img
	@BOOT_WINDOW=$(if $(DISPLAY)$(WAYLAND_DISPLAY),1) verify/boot-run $(BUILD)/llama.img - 3600

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
