# The whole-program pipeline's tests (`make nightly` and `make audit` are
# product goals: superopt/superopt.mk).
#   make test-pipeline        (part of make test)
APT_PKGS += libunicorn-dev qemu-system-x86 libcriterion-dev git

PIPELINE_TEST_SRC := $(sort $(wildcard tests/pipeline/*.c)) superopt/cli/audit_proof.c superopt/cli/audit_exhaust.c
PIPELINE_TEST_BIN := $(BUILD)/tests/pipeline-tests
PIPELINE_TEST_LIBS := $(SUPEROPT_LIBS) $(shell $(PKGCONF) --libs criterion 2>/dev/null)

.PHONY: test-pipeline
$(PIPELINE_TEST_BIN): $(PIPELINE_TEST_SRC) tests/program/program_text.h $(SUPEROPT_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SUPEROPT_CFLAGS) -Itests/pipeline -Itests/program -o $@ $(PIPELINE_TEST_SRC) $(SUPEROPT_LIB) $(PIPELINE_TEST_LIBS)

# The end-to-end tests run the built binary (shrink, kill -9, audit) on
# corpus/hello; SUPEROPT points them at it.
test-pipeline: $(PIPELINE_TEST_BIN) $(SUPEROPT_BIN)
	SUPEROPT=$(abspath $(SUPEROPT_BIN)) $(PIPELINE_TEST_BIN) --jobs 2

TEST_GOALS += test-pipeline

# `superopt shrink` on the three third-party boot sectors of ../shared/programs
# with their verify/boot-scripts (never copied into the project): images stay
# 512 bytes with their signature, pass their script, audit, and git am.
# Outputs under build/programs/.  PROGRAMS_BUDGET: search seconds per program.
PROGRAMS_DIR ?= $(abspath ../shared/programs)
PROGRAMS_BUDGET ?= 60
.PHONY: test-programs
TEST_GOALS += test-programs
test-programs: $(SUPEROPT_BIN) verify/boot-script
	SUPEROPT=$(abspath $(SUPEROPT_BIN)) tests/pipeline/programs-ci $(PROGRAMS_DIR) $(BUILD)/programs $(PROGRAMS_BUDGET)
