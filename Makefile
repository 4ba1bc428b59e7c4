# sectoropt — top-level build.  Each area owns its own fragments
# (kernel/*.mk, verify/*.mk, tests/*.mk; superopt/superopt.mk builds the tool).
# A fragment adds its test goals to TEST_GOALS, the files `all` builds to
# ALL_GOALS, and the Debian packages it needs to APT_PKGS.

CC      ?= gcc
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c17 -Wall -Wextra -Werror -D_GNU_SOURCE -MMD -MP
BUILD   := build
PKGCONF := pkg-config
SHELL   := /bin/bash

# Where the real stories260K checkpoint and tokenizer live.  `make model`
# downloads them there when they are missing.
MODEL_DIR ?= $(HOME)/.cache/sectoropt/stories260K
MODEL_URL ?= https://huggingface.co/karpathy/tinyllamas/resolve/main/stories260K
export MODEL_DIR

APT_PKGS := build-essential pkg-config python3 curl
TEST_GOALS :=

.PHONY: all test deps model clean nightly
all:

include superopt/superopt.mk
include $(sort $(wildcard kernel/*.mk verify/*.mk tests/*.mk))

all: $(ALL_GOALS)

# Install whatever Debian packages the build needs and are missing.
deps:
	@missing=$$(for p in $(sort $(APT_PKGS)); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "deps: installing $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else echo "deps: all present"; fi

model: $(MODEL_DIR)/stories260K.bin $(MODEL_DIR)/tok512.bin
$(MODEL_DIR)/%.bin:
	@mkdir -p $(MODEL_DIR)
	curl -fL --retry 3 -o $@.part $(MODEL_URL)/$*.bin && mv $@.part $@

# The main job.  A fresh machine has none of the libraries yet, so the
# packages are installed before a second make (which sees them) builds and runs.
nightly:
	$(MAKE) deps
	$(MAKE) nightly-run

test: $(TEST_GOALS)
	@echo "make test: all suites passed"

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
