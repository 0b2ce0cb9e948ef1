# svcbill - monthly maintenance billing.  See README.md.
#
#   make demo    install missing packages, build, bill the samples into out/
#   make check   install missing packages, build, run every test
#
#   make install / make uninstall   (PREFIX, DESTDIR)
#   make fresh   the README's commands on a bare Debian 12 root (slow)
#
# Honours CC, CFLAGS, LDFLAGS, PREFIX, DESTDIR; V=1 shows commands.
#
# demo and check first install the packages (deps), then build in a second
# make: flags that come from pkg-config are read only once the -dev
# packages are there, so the first run on a bare machine works.

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
Q        = $(if $(V),,@)

# Debian packages the build, the demo and the tests need.
PACKAGES = gcc make pkg-config libcsv-dev libhpdf-dev libharfbuzz-dev \
           nettle-dev libdeflate-dev fonts-wqy-microhei poppler-utils qpdf python3 valgrind \
           libxlsxwriter-dev python3-openpyxl hledger libunibreak-dev \
           python3-pil python3-reportlab
PACKAGES += groff-base man-db systemd
# only for `make fresh` (the bare-machine test), not on the fresh machine
FRESH_PACKAGES = debootstrap

WARN     = -std=c17 -Wall -Wextra -Werror -Wshadow 
CFLAGS  ?= -O2 -g
HB_CFLAGS := $(shell pkg-config --cflags harfbuzz-subset 2>/dev/null)
HB_LIBS   := $(shell pkg-config --libs harfbuzz-subset harfbuzz 2>/dev/null || echo -lharfbuzz-subset -lharfbuzz)
ALL_CFLAGS = $(WARN) -D_GNU_SOURCE -Isrc $(HB_CFLAGS) $(CFLAGS)
# src/pdf/pdf.c uses libharu 2.3.0's internals (hpdf_objects.h): it stops
# the build with #error on any other version (HPDF_VERSION_ID).
LIBS     = -lcsv -lhpdf $(HB_LIBS) -lnettle -ldeflate -lxlsxwriter -lunibreak \
           $(EXPORTS)
# src/pdf/pdf.c replaces libharu's byte-by-byte HPDF_MemCpy,
# src/xlsx/zlevel.c minizip's deflate level, src/xlsx/cellref.c
# libxlsxwriter's cell names made with snprintf, and src/xlsx/tmpfile.c
# its temporary files on disk: the libraries find the program's
# definitions only if the program exports them
EXPORTS  = -Wl,--export-dynamic-symbol=HPDF_MemCpy \
           -Wl,--export-dynamic-symbol=deflateInit2_ \
           -Wl,--export-dynamic-symbol=lxw_rowcol_to_cell \
           -Wl,--export-dynamic-symbol=lxw_tmpfile

# src/<stage>/*.c: one folder per stage of the run (see src/README.md)
SRC  = $(wildcard src/*/*.c)
HDR  = $(wildcard src/*/*.h)
OBJ  = $(SRC:src/%.c=build/%.o)
ASAN_OBJ = $(SRC:src/%.c=build/asan/%.o)
# the unit tests link objects built with -DTESTING, where base/testing.h's
# STATIC helpers are external; the program never uses these objects
TEST_OBJ = $(SRC:src/%.c=build/testing/%.o)
TEST_ASAN_OBJ = $(SRC:src/%.c=build/testing-asan/%.o)
UNIT = $(wildcard tests/unit/test_*.c)
SAN  = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

.PHONY: all deps need-deps demo check bench clean install uninstall fuzz \
	valgrind fresh cli-golden

all: svcbill

deps:
	@sh tests/deps.sh $(PACKAGES)

# Building without the packages says what to run instead of failing on a
# missing header.
need-deps:
	@sh tests/deps.sh --check $(PACKAGES)

build/%.o: src/%.c $(HDR) | build need-deps
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

build/asan/%.o: src/%.c $(HDR) | build/asan need-deps
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -O1 $(SAN) -c $< -o $@

build/testing/%.o: src/%.c $(HDR) | build need-deps
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -DTESTING -c $< -o $@

build/testing-asan/%.o: src/%.c $(HDR) | build need-deps
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -DTESTING -O1 $(SAN) -c $< -o $@

# (build/ may exist without build/asan/: build/fresh/ is a cache)
build build/asan:
	$(Q)mkdir -p $@

svcbill: build/main.o $(OBJ)
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

build/asan/svcbill: build/asan/main.o $(ASAN_OBJ)
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN) $(LDFLAGS) -o $@ $^ $(LIBS)

build/unit_tests: $(UNIT) tests/unit/harness.h $(TEST_OBJ)
	$(Q)$(CC) $(ALL_CFLAGS) -DTESTING -Isrc $(LDFLAGS) -o $@ $(UNIT) $(TEST_OBJ) $(LIBS)

build/asan/unit_tests: $(UNIT) tests/unit/harness.h $(TEST_ASAN_OBJ)
	$(Q)$(CC) $(ALL_CFLAGS) -DTESTING -O1 $(SAN) -Isrc $(LDFLAGS) -o $@ $(UNIT) $(TEST_ASAN_OBJ) $(LIBS)

build/glyphcheck: tests/tools/glyphcheck.c | build
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(HB_LIBS)

build/nothp: tests/tools/nothp.c | build
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $<

build/failio.so: tests/tools/failio.c | build
	$(Q)$(CC) $(ALL_CFLAGS) -shared -fPIC -o $@ $< -ldl

build/xlsx_texts: tests/tools/xlsx_texts.c $(OBJ)
	$(Q)$(CC) $(ALL_CFLAGS) -Isrc $(LDFLAGS) -o $@ $^ $(LIBS)

build/ledger_read: tests/tools/ledger_read.c $(OBJ)
	$(Q)$(CC) $(ALL_CFLAGS) -Isrc $(LDFLAGS) -o $@ $^ $(LIBS)

build/xlsx_bench: tests/bench/xlsx_bench.c $(OBJ)
	$(Q)$(CC) $(ALL_CFLAGS) -Isrc $(LDFLAGS) -o $@ $^ $(LIBS)

build/harufull: tests/tools/harufull.c | build
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< -lhpdf

# Billing a month again is safe: the demo can be run any number of times.
# Fuzzing: libFuzzer targets built with clang; `make check` replays the
# committed corpus with the sanitizer build instead.
FUZZ_TARGETS = csv fields check
FUZZ_SECONDS ?= 60
FUZZ_PACKAGES = clang libclang-rt-14-dev
REPLAY = $(FUZZ_TARGETS:%=build/asan/replay_%)

build/asan/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(ASAN_OBJ)
	$(Q)$(CC) $(ALL_CFLAGS) -O1 $(SAN) -Isrc $(LDFLAGS) -o $@ $^ $(LIBS)

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(SRC) $(HDR)
	$(Q)mkdir -p build/fuzz
	$(Q)clang $(WARN) -D_GNU_SOURCE $(HB_CFLAGS) -g -O1 \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-Isrc -o $@ $< $(SRC) $(LIBS)

fuzz: svcbill
	@sh tests/deps.sh $(FUZZ_PACKAGES)
	$(MAKE) $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p build/fuzz/work-$$t tests/fuzz/corpus/$$t; \
		echo "== fuzz_$$t for $(FUZZ_SECONDS) s"; \
		build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
			-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
			build/fuzz/work-$$t tests/fuzz/corpus/$$t 2>&1 | \
			grep -E "stat::number_of_executed_units|stat::average_exec|ERROR|SUMMARY" ; \
		build/fuzz/fuzz_$$t -merge=1 tests/fuzz/corpus/$$t build/fuzz/work-$$t \
			2>&1 | grep -E "MERGE-OUTER: [0-9]+ new files" ; \
	done

# The demo under valgrind: no errors, no leaks.
valgrind: deps
	$(Q)$(MAKE) --no-print-directory $(if $(V),,-s) svcbill
	$(Q)rm -rf build/valgrind-out
	valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--trace-children=yes --quiet ./svcbill run --data samples/basic \
		--period 2026-12 --out build/valgrind-out --jobs 1 --quiet

demo: deps
	$(Q)$(MAKE) --no-print-directory $(if $(V),,-s) svcbill
	./svcbill run --data samples/basic --period 2026-12 --out out
	@echo
	@echo "Invoices: out/2026-12/invoices/   ledger: out/register.csv, out/lines.csv"

# The test runner prints the final "N passed, M failed" line.
TEST_BINS = svcbill build/unit_tests build/asan/svcbill build/asan/unit_tests \
       build/glyphcheck build/harufull build/failio.so build/xlsx_texts \
       build/ledger_read $(REPLAY)
check: deps
	$(Q)$(MAKE) --no-print-directory $(if $(V),,-s) $(TEST_BINS)
	$(Q)sh tests/run.sh

# Rewrites tests/cli/*.exit, *.stdout.exact, *.stderr.exact from the
# built program; read `git diff tests/cli` before committing them.
cli-golden: svcbill
	sh tests/cli/run.sh --regen

# The README's two commands on a freshly bootstrapped Debian 12 (root only;
# needs the network the first time, then cached in build/fresh/).
fresh:
	@sh tests/deps.sh $(FRESH_PACKAGES)
	$(Q)sh tests/fresh/run.sh

# The figures of docs/performance.md next to their targets (not a test).
# The first run bills a ten-year archive into build/bench-archive/ (a few
# minutes) and 14 months of 10,000 contracts into build/bench-aged/ (about
# 4 GB); later runs reuse them.  BENCH="peer month big archive aged" picks.
bench: svcbill build/xlsx_bench build/nothp
	sh tests/bench/bench.sh

# What install puts, relative to $(DESTDIR)$(PREFIX); uninstall removes
# exactly these (and the folders, when empty).  The examples name the
# installed program by its absolute path: cron's PATH is /usr/bin:/bin.
BINDIR  = $(PREFIX)/bin
DOCDIR  = share/doc/svcbill
EXAMPLES = svcbill.service svcbill.timer svcbill.cron
INSTALLED = bin/svcbill share/man/man1/svcbill.1 $(DOCDIR)/README.md \
	    $(EXAMPLES:%=$(DOCDIR)/examples/%)
D = $(DESTDIR)$(PREFIX)

install: svcbill
	install -d $(D)/bin $(D)/share/man/man1 $(D)/$(DOCDIR)/examples
	install -m 755 svcbill $(D)/bin/svcbill
	install -m 644 docs/svcbill.1 $(D)/share/man/man1/svcbill.1
	install -m 644 README.md $(D)/$(DOCDIR)/README.md
	for f in $(EXAMPLES); do \
		sed 's|@BINDIR@|$(BINDIR)|g' docs/examples/$$f.in > $(D)/$(DOCDIR)/examples/$$f && \
		chmod 644 $(D)/$(DOCDIR)/examples/$$f || exit 1; done

uninstall:
	rm -f $(INSTALLED:%=$(D)/%)
	rmdir $(D)/$(DOCDIR)/examples $(D)/$(DOCDIR) 2>/dev/null || true

clean:
	rm -rf build svcbill out
