# The float reference (build/float) and `make fidelity`.
# Objects come from kernel.mk's rule ($(BUILD)/kernel/%.o from kernel/%.c),
# so ckpt.o is the one the packer links too.

FLOAT_BIN  := $(BUILD)/float
FLOAT_OBJS := $(BUILD)/kernel/float.o $(BUILD)/kernel/ckpt.o

ALL_GOALS += $(FLOAT_BIN)
# Under a second: the issue's bar is checked on every `make test`.
TEST_GOALS += fidelity

$(FLOAT_BIN): $(FLOAT_OBJS)
	$(CC) $(CFLAGS) -o $@ $^ -lm

.PHONY: float fidelity
float: $(FLOAT_BIN)

# Golden (integer, packed blob) against float (float32, original checkpoint).
# Fails when fewer than 25 leading tokens agree or teacher-forced top-1
# agreement is below 90%.
fidelity: $(FLOAT_BIN) $(BUILD)/golden $(BUILD)/model.blob
	kernel/fidelity.sh $(FLOAT_BIN) $(BUILD)/golden \
	  $(MODEL_DIR)/stories260K.bin $(MODEL_DIR)/tok512.bin $(BUILD)/model.blob
