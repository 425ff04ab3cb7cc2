# SPDX-License-Identifier: GPL-2.0
#
# chimney: TCP chimney offload target on a virtual netdevice.
#
#   make            build chimney.ko for Debian's stock 6.1 and 6.12 kernels,
#                   and chimneyctl
#   make demo       set up (packages, kernels), boot the stock kernel, show a device
#   make check      the whole test suite (KUnit, kselftests on the three kernels,
#                   static checks, in-tree builds); ends with "N passed, N failed"
#   make check-full the same at full scale (a million connections torn down)
#   make check T=chimney_tcp.sh [K=stock]  one kselftest file, on each
#                   kernel (or those K names); T=chimney_dev: a KUnit suite
#   make deps       install the Debian packages the project needs
#   make module-debug  build chimney.ko and chimney_test.ko for the debug kernel
#   make fuzz [FUZZ_SECONDS=N] [FUZZ_SEED=K]  coverage-guided fuzzing on the
#                   debug kernel for N s (3600); the grown corpus, minimised, is
#                   left in build/vm/kselftest-debug-chimney_covfuzz/corpus
#   make fuzz-blind [FUZZ_COUNT=N]  blind netlink fuzzing (1000000 messages)
#   make soak [SOAK_SECONDS=N]  concurrency stress on the debug kernel, N s a
#                   round (600; four rounds: to the end, and a teardown mid-way
#                   by ip link del, netns deletion, rmmod)
#   make vm-shell CMD=...  run a command in the stock 6.1 VM (KERNEL=stock-6.12
#                   or KERNEL=debug for the others)
#
# Every build happens under build/ (a copy of chimney/ and include/ per
# kernel: stock, stock-6.12, debug), so the source tree stays clean and the
# kernels' builds coexist. The debug kernel is built from linux-source-6.12;
# CHIMNEY_DEBUG_SERIES=6.1 in the environment selects linux-source-6.1's.

BUILD		?= $(CURDIR)/build
KERNEL		?= stock
V		?= 0

STOCK_KDIR	= /lib/modules/$(shell scripts/kver.sh 6.1)/build
STOCK612_KDIR	= /lib/modules/$(shell scripts/kver.sh 6.12)/build
DEBUG_KDIR	= $(shell scripts/debug-kernel.sh)

SRCS		= $(wildcard chimney/*.c chimney/*.h chimney/Kbuild) \
		  $(wildcard include/uapi/linux/*.h)

# $(call kbuild,flavour,kdir,extra make args)
define kbuild
	mkdir -p $(BUILD)/$(1)
	rsync -a chimney include $(BUILD)/$(1)/
	$(MAKE) -C $(2) M=$(BUILD)/$(1)/chimney W=1 KCFLAGS=-Werror V=$(V) $(3) modules
endef

TOOL		= $(BUILD)/tools/chimneyctl
BENCH_TOOL	= $(BUILD)/tools/chimney-bench
# ip(8) finds it with IP_LIB_DIR=$(BUILD)/ip: "ip link add ... type chimney peer ..."
IP_PLUGIN	= $(BUILD)/ip/link_chimney.so
TOOL_CFLAGS	= -O2 -g -Wall -Wextra -Wno-unused-parameter -Werror -Iinclude/uapi

.PHONY: all module module-debug tool deps demo check check-full bench fuzz fuzz-blind soak vm-shell clean

all: module tool

tool: deps $(TOOL) $(BENCH_TOOL) $(IP_PLUGIN)

$(IP_PLUGIN): tools/ip/link_chimney.c include/uapi/linux/chimney.h
	@mkdir -p $(dir $@)
	$(CC) $(TOOL_CFLAGS) -fPIC -shared -o $@ $<

$(BUILD)/tools/%: tools/%.c include/uapi/linux/chimney.h
	@mkdir -p $(dir $@)
	$(CC) $(TOOL_CFLAGS) -o $@ $< $$(pkg-config --cflags --libs libmnl)

module: deps
	$(call kbuild,stock,$(STOCK_KDIR))
	$(call kbuild,stock-6.12,$(STOCK612_KDIR))

module-debug: deps
	$(call kbuild,debug,$(DEBUG_KDIR))

deps:
	@scripts/deps.sh

demo: deps
	@scripts/demo.sh

# T=<test>: just that test (scripts/check-one.sh), on the kernels K names.
check: deps
ifeq ($(T),)
	@scripts/check.sh
else
	@K='$(K)' scripts/check-one.sh '$(T)'
endif

check-full: deps
	@CHIMNEY_CHECK_FULL=1 scripts/check.sh

# BENCH_ARGS, e.g. "conns 100000 storm 10000"; the defaults are the targets'.
bench: module tool
	@scripts/bench.sh $(BENCH_ARGS)

FUZZ_SECONDS	?= 3600
FUZZ_SEED	?= $(shell echo $$RANDOM)
fuzz: module-debug tool
	CHIMNEY_COVFUZZ_SECONDS=$(FUZZ_SECONDS) CHIMNEY_COVFUZZ_SEED=$(FUZZ_SEED) \
	CHIMNEY_COVFUZZ_SAVE=/run/chimney-out/corpus \
	CHIMNEY_KSFT_TIMEOUT=$$(($(FUZZ_SECONDS) + 600)) \
		scripts/kselftest.sh debug chimney_covfuzz.sh $(BUILD)/fuzz.results
	@grep -c '^PASS' $(BUILD)/fuzz.results | sed 's/$$/ passed/'
	@! grep '^FAIL' $(BUILD)/fuzz.results

FUZZ_COUNT	?= 1000000
fuzz-blind: module-debug tool
	CHIMNEY_FUZZ_COUNT=$(FUZZ_COUNT) scripts/kselftest.sh debug chimney_fuzz.sh \
		$(BUILD)/fuzz-blind.results
	@grep -c '^PASS' $(BUILD)/fuzz-blind.results | sed 's/$$/ passed/'
	@! grep '^FAIL' $(BUILD)/fuzz-blind.results

SOAK_SECONDS	?= 600
soak: module-debug tool
	CHIMNEY_STRESS_SECONDS=$(SOAK_SECONDS) CHIMNEY_KSFT_TIMEOUT=$$((4 * $(SOAK_SECONDS) + 1200)) \
		scripts/kselftest.sh debug chimney_stress.sh $(BUILD)/soak.results
	@grep -c '^PASS' $(BUILD)/soak.results | sed 's/$$/ passed/'
	@! grep '^FAIL' $(BUILD)/soak.results

vm-shell: deps
	scripts/vm --kernel $(KERNEL) -- bash -c '$(CMD)'

clean:
	rm -rf $(BUILD)
