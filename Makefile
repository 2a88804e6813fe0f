# SPDX-License-Identifier: BSD-2-Clause
#
# mvpn top-level build.  `make` builds the module and the userspace tools;
# `make test` installs what is missing, builds and runs every test tier.
# Quiet unless V=1.

ifeq ($(V),1)
Q :=
else
Q := @
MAKEFLAGS += --no-print-directory
endif

# Newest installed Debian kernel headers, unless KDIR= is given.
KVER ?= $(shell ls -1 /lib/modules 2>/dev/null | grep -v '^$$' | sort -V | \
		while read v; do [ -d /lib/modules/$$v/build ] && echo $$v; done | tail -n1)
KDIR ?= /lib/modules/$(KVER)/build
T ?=
export KVER KDIR V

.PHONY: all kmod userspace setup test test-debug unit-test fuzz demo bench clean checkpatch asan test-asan help

all: kmod userspace

# Install missing packages only when something the build needs is absent.
setup:
	$(Q)scripts/setup

# The module must build without a single warning: the log is kept and
# searched, and shown whole when anything is wrong.
kmod: setup
	$(Q)mkdir -p build
	$(Q)if [ ! -d "$(KDIR)" ]; then echo "kmod: no kernel headers at $(KDIR) (set KDIR=)" >&2; exit 1; fi
	$(Q)$(MAKE) -C $(KDIR) M=$(CURDIR) modules >build/kbuild.log 2>&1 || \
		{ cat build/kbuild.log >&2; echo "kmod: build failed" >&2; exit 1; }
	$(Q)if grep -q 'warning:' build/kbuild.log; then cat build/kbuild.log >&2; \
		echo "kmod: build produced warnings" >&2; exit 1; fi
	$(Q)if [ "$(V)" = 1 ]; then cat build/kbuild.log; fi

userspace: setup
	$(Q)$(MAKE) -C userspace

test: all
	$(Q)scripts/run-tests $(if $(T),--only $(T))

# Every VM selftest on a kernel with KASAN, lockdep, kmemleak, UBSAN, ...:
# built once into ~/.cache/mvpn/debug-kernel, the module into build/debug.
test-debug: all
	$(Q)scripts/test-debug $(if $(T),--only $(T))

fuzz: setup
	$(Q)$(MAKE) -C userspace fuzzers
	$(Q)scripts/run-fuzz --seconds $(or $(FUZZ_SECONDS),60)

demo: all
	$(Q)scripts/demo

bench: all
	$(Q)scripts/bench

asan: setup
	$(Q)$(MAKE) -C userspace asan

# Unit tests and mvpnd's interop tests on the ASan/UBSan build: zero reports.
test-asan: asan
	$(Q)scripts/run-asan $(if $(T),--only $(T))

checkpatch:
	$(Q)scripts/checkpatch-kmod

clean:
	$(Q)if [ -d "$(KDIR)" ]; then $(MAKE) -C $(KDIR) M=$(CURDIR) clean >/dev/null; fi
	$(Q)$(MAKE) -C userspace clean
	$(Q)rm -rf build

help:
	@echo "make            build kmod/mvpn-dco.ko, userspace/mvpnd, userspace/mvpnctl"
	@echo "make test       install, build, run every test (T=name for one test)"
	@echo "make test-debug the VM selftests on a KASAN/lockdep/kmemleak kernel (T=name)"
	@echo "make demo       a real tunnel through mvpn-dco carrying iperf3 traffic"
	@echo "make fuzz       run each libFuzzer target (FUZZ_SECONDS=60)"
	@echo "make asan       ASan/UBSan build: library, unit tests, build/asan/mvpnd"
	@echo "make test-asan  unit + interop tests on the ASan build, zero reports (T=name)"
	@echo "make checkpatch run the kernel's checkpatch.pl over kmod/ and uapi/"
