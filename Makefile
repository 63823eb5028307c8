# SPDX-License-Identifier: GPL-2.0
#
# cachetlb-bench top-level Makefile.  `make help` lists the targets.

# Command-line variables (ARCH= in particular) must not leak into the
# kernel's or bench/'s makefiles: scripts/vm passes what they need.
MAKEOVERRIDES :=

HOST_ARCH := $(shell uname -m | sed -e 's/aarch64/arm64/' -e 's/armv7l/armhf/' -e 's/ppc64le/ppc64el/')
ARCH ?= $(HOST_ARCH)
KVER ?= $(if $(filter riscv64,$(ARCH)),6.12,6.1)
PYTHON := /usr/bin/python3
KREL := $(shell uname -r)
NATIVE_KDIR ?= /lib/modules/$(KREL)/build
B := build/native
MATRIX := x86_64-6.1 x86_64-6.12 arm64-6.1 arm64-6.12 riscv64-6.12
MATRIX += s390x-6.1 mips64el-6.1 armhf-6.1 ppc64el-6.1
FUZZ_ENV := --env CTB_FUZZ_COUNT=100000 --env CTB_FUZZ_SOAK=10000 \
	--env CTB_FUZZ_TEXTPOKE=1
# Memory-debugging options of Debian's kernels, so misuse shows up as a
# report (slab red zones/poison/user tracking, pages poisoned when freed).
FUZZ_KARGS := slub_debug=FZPU init_on_free=1 page_poison=1

# One version for the module, ctbench, DKMS and the Debian packages
# (tests/host/deb.t checks that they agree).
VERSION := $(shell sed -n 's/^\#define CTB_MODULE_VERSION[[:space:]]*"\(.*\)"/\1/p' kmod/cachetlb.h)

.PHONY: all userspace module run run-native run-guest check plots fuzz \
	clean help deps deps-native install uninstall install-dkms uninstall-dkms \
	dkms-src deb lava-check check-all

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
# scripts/native-probe says why native is not possible (and, with
# NATIVE=1, that is an error instead of a fallback to QEMU).
run: $(if $(filter 1,$(NATIVE)),deps-native,deps)
	@[ "$(ARCH)" = "$(HOST_ARCH)" ] || \
		echo "make run: native: ARCH=$(ARCH) is not this host's architecture ($(HOST_ARCH))"; \
	if [ "$(ARCH)" = "$(HOST_ARCH)" ] && \
	    scripts/native-probe $(if $(filter 1,$(NATIVE)),--force) \
		--module $(B)/kmod/cachetlb.ko --make "$(MAKE) --no-print-directory all"; then \
		$(MAKE) --no-print-directory run-native ARCH=$(ARCH) KVER=$(KVER); \
	elif [ "$(NATIVE)" = 1 ]; then \
		echo "make run NATIVE=1: native run impossible (reasons above); not falling back to QEMU" >&2; \
		exit 1; \
	else \
		echo "make run: running in a QEMU $(ARCH)-$(KVER) guest instead (timings are emulation; make run NATIVE=1 makes this an error)"; \
		$(MAKE) --no-print-directory run-guest ARCH=$(ARCH) KVER=$(KVER); \
	fi
	$(MAKE) --no-print-directory plots

deps-native:
	scripts/deps --native

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
# check-all: the matrix plus the second kernels of the newer arches
MATRIX_ALL := $(MATRIX) ppc64el-6.12
check-all:
	CTB_CHECK_TARGETS="$(MATRIX_ALL)" scripts/check
	lava/check

plots:
	@if [ -x scripts/plot ]; then \
		sets=$$(ls -d results/*/ 2>/dev/null); \
		if [ -n "$$sets" ]; then $(PYTHON) scripts/plot $$sets; \
		else echo "make plots: no result sets in results/"; fi; \
	else \
		echo "make plots: scripts/plot not present yet"; \
	fi

# Every guest also patches kernel text on purpose beside the fuzzer
# (tests/guest/textpoke-stress, issue 15); the last lines list each
# guest's summary with its toggle count.  Logs: build/fuzz/<target>.log.
fuzz:
	@mkdir -p build/fuzz; fail=0; t0=$$(date +%s); for t in $(MATRIX); do \
		a=$${t%-*}; k=$${t#*-}; \
		echo "== fuzz $$t"; \
		{ scripts/vm --arch $$a --kernel $$k --smp 4 --timeout 3600 \
			--append '$(FUZZ_KARGS)' $(FUZZ_ENV) \
			-- tests/guest/run-all fuzz; echo $$? >build/fuzz/$$t.status; } \
			2>&1 | tee build/fuzz/$$t.log; \
		st=$$(cat build/fuzz/$$t.status); \
		echo "== fuzz $$t: scripts/vm status $$st"; \
		[ $$st -eq 0 ] || [ $$st -eq 77 ] || fail=1; \
	done; \
	echo "== make fuzz summary ($$(($$(date +%s) - t0)) s)"; \
	for t in $(MATRIX); do \
		l=$$(tr -d '\r' <build/fuzz/$$t.log | grep -E '^60-fuzz: fuzz [^ ]+: ' | tail -n1); \
		echo "$${l:-$$t: no fuzz summary line (see build/fuzz/$$t.log)} [vm status $$(cat build/fuzz/$$t.status)]"; \
	done; exit $$fail

# ---------------------------------------------------------------- install
# Layout (docs/native.md "Installed files"):
#   $(BINDIR)/ctbench, $(BINDIR)/ctbench-plot
#   $(PKGDATADIR)/scripts/plot, scripts/gnuplot/*.gp, scripts/ctbplot/
#   $(DOCDIR)/README.md, docs/*.md;  $(MANDIR)/man1/*.1 (docs/man/)
#   $(BASHCOMPDIR)/ctbench (scripts/completion/ctbench.bash)
#   install-dkms: $(DKMS_SRCDIR)/cachetlb-$(VERSION)/ (dkms.conf, kmod/,
#   include/uapi/) for `dkms install cachetlb/$(VERSION)`
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
PKGDATADIR ?= $(PREFIX)/share/cachetlb-bench
DOCDIR ?= $(PREFIX)/share/doc/cachetlb-bench
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
DKMS_SRCDIR ?= /usr/src
INSTALL ?= install
# Extra compiler/linker flags for the installed ctbench (debian/rules
# passes dpkg-buildflags here).
INSTALL_CFLAGS ?=
INSTALL_LDFLAGS ?=
IB := build/install

install:
	$(MAKE) -C bench O=$(CURDIR)/$(IB)/bench \
		EXTRA_CFLAGS="$(INSTALL_CFLAGS)" EXTRA_LDFLAGS="$(INSTALL_LDFLAGS)" \
		$(CURDIR)/$(IB)/bench/ctbench
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(PKGDATADIR)/scripts/gnuplot \
		$(DESTDIR)$(DOCDIR)
	$(INSTALL) -m 755 $(IB)/bench/ctbench $(DESTDIR)$(BINDIR)/ctbench
	$(INSTALL) -m 755 scripts/plot $(DESTDIR)$(PKGDATADIR)/scripts/plot
	$(INSTALL) -m 644 scripts/gnuplot/*.gp $(DESTDIR)$(PKGDATADIR)/scripts/gnuplot/
	@if [ -d scripts/ctbplot ]; then \
		(cd scripts && find ctbplot -name __pycache__ -prune -o -type f -print) | \
		while read -r f; do \
			$(INSTALL) -D -m 644 scripts/$$f $(DESTDIR)$(PKGDATADIR)/scripts/$$f || exit 1; \
		done; \
	fi
	sed -e 's|@PKGDATADIR@|$(PKGDATADIR)|g' scripts/ctbench-plot.in \
		>$(IB)/ctbench-plot
	$(INSTALL) -m 755 $(IB)/ctbench-plot $(DESTDIR)$(BINDIR)/ctbench-plot
	$(INSTALL) -m 644 README.md docs/*.md $(DESTDIR)$(DOCDIR)/
	@set -e; for m in docs/man/*.1; do \
		[ -f "$$m" ] || continue; \
		$(INSTALL) -d $(DESTDIR)$(MANDIR)/man1; \
		echo "$(INSTALL) -m 644 $$m $(DESTDIR)$(MANDIR)/man1/"; \
		$(INSTALL) -m 644 $$m $(DESTDIR)$(MANDIR)/man1/; \
	done
	$(INSTALL) -D -m 644 scripts/completion/ctbench.bash \
		$(DESTDIR)$(BASHCOMPDIR)/ctbench

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ctbench $(DESTDIR)$(BINDIR)/ctbench-plot
	rm -f $(DESTDIR)$(BASHCOMPDIR)/ctbench
	rm -rf $(DESTDIR)$(PKGDATADIR) $(DESTDIR)$(DOCDIR)
	@for m in docs/man/*.1; do \
		[ -f "$$m" ] || continue; \
		rm -f $(DESTDIR)$(MANDIR)/man1/$${m##*/}; \
	done

# The DKMS source tree: dkms.conf (version filled in), kmod/ sources,
# include/uapi/.  debian/rules and scripts/dkms-build use it too.
dkms-src:
	@[ -n "$(VERSION)" ] || { echo "make: no CTB_MODULE_VERSION in kmod/cachetlb.h" >&2; exit 1; }
	@[ -n "$(DKMS_DEST)" ] || { echo "make dkms-src: set DKMS_DEST=dir (gets cachetlb-$(VERSION)/)" >&2; exit 1; }
	rm -rf $(DKMS_DEST)/cachetlb-$(VERSION)
	$(INSTALL) -d $(DKMS_DEST)/cachetlb-$(VERSION)/kmod/arch \
		$(DKMS_DEST)/cachetlb-$(VERSION)/include/uapi
	$(INSTALL) -m 644 kmod/Kbuild kmod/Makefile kmod/*.c kmod/*.h \
		$(DKMS_DEST)/cachetlb-$(VERSION)/kmod/
	$(INSTALL) -m 644 kmod/arch/*.c kmod/arch/*.h $(DKMS_DEST)/cachetlb-$(VERSION)/kmod/arch/
	$(INSTALL) -m 644 include/uapi/*.h $(DKMS_DEST)/cachetlb-$(VERSION)/include/uapi/
	sed -e 's/#MODULE_VERSION#/$(VERSION)/' dkms.conf \
		>$(DKMS_DEST)/cachetlb-$(VERSION)/dkms.conf

install-dkms:
	$(MAKE) --no-print-directory dkms-src DKMS_DEST=$(DESTDIR)$(DKMS_SRCDIR)
	@echo "make install-dkms: now run (as root) dkms install cachetlb/$(VERSION)"

uninstall-dkms:
	-dkms remove cachetlb/$(VERSION) --all
	rm -rf $(DESTDIR)$(DKMS_SRCDIR)/cachetlb-$(VERSION)

# Debian packages cachetlb-dkms and ctbench into build/deb/ (the source
# is copied there first, so nothing is written into this tree).
deb:
	scripts/deps --deb
	scripts/mkdeb

clean:
	rm -rf build
	-$(MAKE) -C bench clean >/dev/null 2>&1

help:
	@echo "cachetlb-bench targets:"
	@echo "  make            build userspace (build/native/bench/ctbench) and, when"
	@echo "                  headers for the running kernel exist, the module"
	@echo "  make run        install deps, run 'ctbench suite quick -o results/'"
	@echo "                  natively or in a QEMU guest (saying why not native),"
	@echo "                  then make plots; NATIVE=1: native or fail (docs/native.md)"
	@echo "  make userspace  only ctbench + the guest test programs (build/native/bench)"
	@echo "  make lava-check run the x86_64 LAVA job with lava-run and import it"
	@echo "                  (scripts/deps --lava first; docs/fleet.md)"
	@echo "  make check-all  make check + ppc64el-6.12 + lava-check"
	@echo "  make module     only the module, against NATIVE_KDIR (skipped if absent)"
	@echo "  make run-native / make run-guest"
	@echo "                  the two halves of make run, without the probing and plots"
	@echo "  make check      host unit tests + every guest of the matrix (scripts/check)"
	@echo "                  scripts/check --host-only: the host tests alone, no QEMU"
	@echo "                  (scripts/check --help: --guest-only, one TARGET)"
	@echo "  make plots      scripts/plot over results/*/ into plots/"
	@echo "  make fuzz       long fuzz run (tests/guest/run-all fuzz) in every guest"
	@echo "                  (slow: up to an hour per guest; logs in build/fuzz/)"
	@echo "  make deps       install host packages (scripts/deps; --native: native run only)"
	@echo "  make deb        Debian packages cachetlb-dkms + ctbench into build/deb/"
	@echo "  make install    ctbench, ctbench-plot, plot scripts, docs, man pages,"
	@echo "                  bash completion (PREFIX, DESTDIR)"
	@echo "  make uninstall  remove what make install installed (same PREFIX, DESTDIR)"
	@echo "  make install-dkms / uninstall-dkms"
	@echo "                  module source in /usr/src/cachetlb-$(VERSION) for dkms"
	@echo "  make clean      remove build/ (the download cache stays)"
	@echo "variables:"
	@echo "  ARCH=x86_64|arm64|riscv64   guest arch for make run (default: host, $(HOST_ARCH))"
	@echo "       s390x|mips64el|armhf|ppc64el (6.1 only; ppc64el also 6.12)"
	@echo "  KVER=6.1|6.12               guest kernel series (default 6.1; 6.12 for riscv64)"
	@echo "  NATIVE_KDIR=dir             headers for the native module build"
	@echo "  NATIVE=1                    make run: no QEMU fallback"
	@echo "  PREFIX=/usr/local DESTDIR=  make install/uninstall locations"
	@echo "  CTB_CACHE=dir               download cache (default ~/.cache/cachetlb-bench)"
	@echo "guest matrix: $(MATRIX)"
