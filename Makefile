# SPDX-License-Identifier: GPL-2.0
#
# cachetlb-bench top-level Makefile.  `make help` lists the targets.

# Command-line variables (ARCH= in particular) must not leak into the
# kernel's or bench/'s makefiles: scripts/vm passes what they need.
MAKEOVERRIDES :=

HOST_ARCH := $(shell uname -m | sed -e 's/aarch64/arm64/')
ARCH ?= $(HOST_ARCH)
KVER ?= $(if $(filter riscv64,$(ARCH)),6.12,6.1)
PYTHON := /usr/bin/python3
KREL := $(shell uname -r)
NATIVE_KDIR ?= /lib/modules/$(KREL)/build
B := build/native
MATRIX := x86_64-6.1 x86_64-6.12 arm64-6.1 arm64-6.12 riscv64-6.12
FUZZ_ENV := --env CTB_FUZZ_COUNT=100000 --env CTB_FUZZ_SOAK=10000
# Memory-debugging options of Debian's kernels, so misuse shows up as a
# report (slab red zones/poison/user tracking, pages poisoned when freed).
FUZZ_KARGS := slub_debug=FZPU init_on_free=1 page_poison=1

.PHONY: all userspace module run run-native run-guest check plots fuzz \
	clean help deps lava-check check-all

all: userspace module

userspace:
	$(MAKE) -C bench O=$(CURDIR)/$(B)/bench

# The module for the running kernel, built in a copy so that the guests'
# builds and this one never share objects.
module:
	@if [ -d "$(NATIVE_KDIR)" ]; then \
		mkdir -p $(B) && \
		rsync -a --delete --exclude='*.o' --exclude='*.ko' \
			--exclude='*.cmd' --exclude='*.mod' --exclude='*.mod.c' \
			--exclude='modules.order' --exclude='Module.symvers' \
			kmod/ $(B)/kmod/ && rsync -a --delete include/ $(B)/include/ && \
		$(MAKE) -C $(B)/kmod KDIR=$(NATIVE_KDIR); \
	else \
		echo "make: no headers for the running kernel $(KREL) ($(NATIVE_KDIR)): module not built (scripts/vm builds it for the guests)"; \
	fi

deps:
	scripts/deps

# The main job: the quick suite natively when the module is (or can be)
# loaded here, otherwise in the default QEMU guest; then the plots.
run: deps
	@if [ -c /dev/cachetlb ] || { [ "$(ARCH)" = "$(HOST_ARCH)" ] && \
	     $(MAKE) --no-print-directory all >/dev/null 2>&1 && \
	     insmod $(B)/kmod/cachetlb.ko 2>/dev/null; }; then \
		$(MAKE) --no-print-directory run-native ARCH=$(ARCH) KVER=$(KVER); \
	else \
		echo "make run: module cannot be loaded on this host; running in a QEMU $(ARCH)-$(KVER) guest (timings are emulation)"; \
		$(MAKE) --no-print-directory run-guest ARCH=$(ARCH) KVER=$(KVER); \
	fi
	$(MAKE) --no-print-directory plots

run-native: userspace
	$(B)/bench/ctbench suite quick -o results/

run-guest:
	scripts/vm --arch $(ARCH) --kernel $(KVER) --timeout 3600 -- \
		ctbench suite quick -o results/

check:
	scripts/check

# The x86_64 LAVA qemu job run by Debian's lava-run, end to end, and its
# import (lava/check; docs/fleet.md). Needs scripts/deps --lava.
lava-check: userspace
	lava/check

# make check plus the checks too slow for it (lava-check: ~4-8 min of
# TCG on a loaded 2-core machine).
check-all:
	scripts/check
	lava/check

plots:
	@if [ -x scripts/plot ]; then \
		sets=$$(ls -d results/*/ 2>/dev/null); \
		if [ -n "$$sets" ]; then $(PYTHON) scripts/plot $$sets; \
		else echo "make plots: no result sets in results/"; fi; \
	else \
		echo "make plots: scripts/plot not present yet"; \
	fi

fuzz:
	@fail=0; for t in $(MATRIX); do \
		a=$${t%-*}; k=$${t#*-}; \
		echo "== fuzz $$t"; \
		scripts/vm --arch $$a --kernel $$k --smp 4 --timeout 3600 \
			--append '$(FUZZ_KARGS)' $(FUZZ_ENV) \
			-- tests/guest/run-all fuzz; \
		st=$$?; [ $$st -eq 0 ] || [ $$st -eq 77 ] || fail=1; \
	done; exit $$fail

clean:
	rm -rf build
	-$(MAKE) -C bench clean >/dev/null 2>&1

help:
	@echo "cachetlb-bench targets:"
	@echo "  make            build userspace (build/native/bench/ctbench) and, when"
	@echo "                  headers for the running kernel exist, the module"
	@echo "  make run        install deps, run 'ctbench suite quick -o results/'"
	@echo "                  natively or in a QEMU guest, then make plots"
	@echo "  make userspace  only ctbench + the guest test programs (build/native/bench)"
	@echo "  make lava-check run the x86_64 LAVA job with lava-run and import it"
	@echo "                  (scripts/deps --lava first; docs/fleet.md)"
	@echo "  make check-all  make check + lava-check"
	@echo "  make module     only the module, against NATIVE_KDIR (skipped if absent)"
	@echo "  make run-native / make run-guest"
	@echo "                  the two halves of make run, without the probing and plots"
	@echo "  make check      host unit tests + every guest of the matrix (scripts/check)"
	@echo "  make plots      scripts/plot over results/*/ into plots/"
	@echo "  make fuzz       long fuzz run (tests/guest/run-all fuzz) in every guest"
	@echo "  make deps       install host packages (scripts/deps)"
	@echo "  make clean      remove build/ (the download cache stays)"
	@echo "variables:"
	@echo "  ARCH=x86_64|arm64|riscv64   guest arch for make run (default: host, $(HOST_ARCH))"
	@echo "  KVER=6.1|6.12               guest kernel series (default 6.1; 6.12 for riscv64)"
	@echo "  NATIVE_KDIR=dir             headers for the native module build"
	@echo "  CTB_CACHE=dir               download cache (default ~/.cache/cachetlb-bench)"
	@echo "guest matrix: $(MATRIX)"
