# The kernel: packer, golden model, boot image, size.
# A small library (ckpt + the integer arithmetic + the forward pass) is
# shared by pack, golden and the golden unit tests.

KERNEL_OBJ  := $(BUILD)/kernel
KERNEL_LIB  := $(KERNEL_OBJ)/libkernel.a
KERNEL_LIB_OBJS := $(addprefix $(KERNEL_OBJ)/,ckpt.o qmath.o model.o)
LLAMA_ASM   ?= kernel/llama.asm
MODEL_BLOB  := $(BUILD)/model.blob

ALL_GOALS += $(BUILD)/pack $(BUILD)/golden $(BUILD)/llama.img
APT_PKGS  += nasm qemu-system-x86

$(KERNEL_OBJ)/%.o: kernel/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Ikernel -c $< -o $@

$(KERNEL_LIB): $(KERNEL_LIB_OBJS)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/pack: $(KERNEL_OBJ)/pack.o $(KERNEL_LIB)
	$(CC) $(CFLAGS) -o $@ $^ -lm

$(BUILD)/golden: $(KERNEL_OBJ)/golden.o $(KERNEL_LIB)
	$(CC) $(CFLAGS) -o $@ $^ -lm

$(MODEL_BLOB): $(BUILD)/pack $(MODEL_DIR)/stories260K.bin $(MODEL_DIR)/tok512.bin
	$(BUILD)/pack $(MODEL_DIR)/stories260K.bin $(MODEL_DIR)/tok512.bin $@

# The kernel alone (no blob): what `make size` measures.
$(BUILD)/llama.bin: $(LLAMA_ASM)
	@mkdir -p $(BUILD)
	nasm -f bin -I kernel/ -o $@ -l $(BUILD)/llama.lst $<

# The bootable image: kernel, padding to the blob's sector, blob.
$(BUILD)/llama.img: $(BUILD)/llama.bin $(MODEL_BLOB) verify/boot-image
	verify/boot-image $(BUILD)/llama.bin $(MODEL_BLOB) $@

.PHONY: kernel size golden pack
kernel: $(BUILD)/llama.img
golden: $(BUILD)/golden
pack: $(BUILD)/pack

# sectorllm's count: from the image's first byte to the end of the last
# byte of code or constants (the boot sector's padding and signature count
# when code continues past them).  `used` leaves padding and signature out.
size: $(BUILD)/llama.bin
	@verify/boot-size $(BUILD)/llama.bin $(BUILD)/llama.lst
