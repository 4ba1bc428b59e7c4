# The float reference (build/float) and `make fidelity`.
# ckpt.c is compiled under its own object path here so this fragment does
# not depend on (or clash with) the packer's rules in kernel.mk.

FLOAT_BIN  := $(BUILD)/float
FLOAT_OBJS := $(BUILD)/kernel/float/float.o $(BUILD)/kernel/float/ckpt.o

ALL_GOALS += $(FLOAT_BIN)

$(BUILD)/kernel/float/%.o: kernel/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Ikernel -c $< -o $@

$(FLOAT_BIN): $(FLOAT_OBJS)
	$(CC) $(CFLAGS) -o $@ $^ -lm

.PHONY: float fidelity
float: $(FLOAT_BIN)

# Golden (integer, packed blob) against float (float32, original checkpoint).
# Fails when fewer than 25 leading tokens agree or teacher-forced top-1
# agreement is below 90%.
fidelity: $(FLOAT_BIN) $(BUILD)/pack $(BUILD)/golden $(MODEL_DIR)/stories260K.bin $(MODEL_DIR)/tok512.bin
	kernel/fidelity.sh $(FLOAT_BIN) $(BUILD)/pack $(BUILD)/golden \
	  $(MODEL_DIR)/stories260K.bin $(MODEL_DIR)/tok512.bin $(BUILD)/model.blob
