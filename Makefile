# sqlite-fin: `make` builds dist/fin.so, `make test` runs the TAP suite.
# SANITIZE=1 builds everything with address and undefined-behaviour
# sanitizers (a separate build folder, so the two never mix).

VERSION := $(shell cat VERSION)
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
SHAREDIR ?= $(PREFIX)/share/sqlite-fin
DESTDIR ?=

CC ?= cc
SQLITE_CFLAGS := $(shell pkg-config --cflags sqlite3)
SQLITE_LIBS := $(shell pkg-config --libs sqlite3)
CFLAGS ?= -O2
# -fvisibility=hidden: only the entry points (FIN_EXPORT in ext/fin.c) leave
# the library, so its own calls are direct and inlinable.
CFLAGS += -std=c11 -Wall -Wextra -Werror -fPIC -fvisibility=hidden -D_DEFAULT_SOURCE \
          -DFIN_VERSION=\"v$(VERSION)\" $(SQLITE_CFLAGS)
SHELL := /bin/bash
SAN_FLAGS := -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
LDLIBS = -lm

KERNELS := $(wildcard ext/kernels/*.c)
GLUE := $(wildcard ext/*.c ext/functions/*.c ext/tables/*.c)
HEADERS := $(wildcard ext/*.h ext/*/*.h)
UNITS := $(patsubst tests/unit/%.c,%,$(filter-out tests/unit/tap.h,$(wildcard tests/unit/*.c)))
# Objects of one build flavour ($1 = release or sanitize): the library's,
# and the glue again with SQLITE_CORE for the programs of tests/unit.
lib_objs = $(patsubst ext/%.c,build/$1/%.o,$(KERNELS) $(GLUE))
core_objs = $(patsubst ext/%.c,build/$1/%.o,$(KERNELS)) $(patsubst ext/%.c,build/$1/core/%.o,$(GLUE))

.PHONY: all test clean install uninstall demo bench samples valgrind fuzz
# Keep the objects of the static (SQLITE_CORE) build between runs.
.SECONDARY:

all: dist/fin.so

# dist/fin.so is always the release build; SANITIZE=1 only changes what
# `make test` tests (build/sanitize/fin.so), never what gets installed.
dist/fin.so: $(call lib_objs,release)
	@mkdir -p dist
	$(CC) -shared $(LDFLAGS) -o $@ $^ $(LDLIBS)

build/sanitize/fin.so: $(call lib_objs,sanitize)
	$(CC) -shared -fsanitize=address,undefined $(LDFLAGS) -o $@ $^ $(LDLIBS)

build/release/%.o: ext/%.c $(HEADERS) VERSION
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<
build/release/core/%.o: ext/%.c $(HEADERS) VERSION
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DSQLITE_CORE -c -o $@ $<
build/sanitize/%.o: ext/%.c $(HEADERS) VERSION
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN_FLAGS) -c -o $@ $<
build/sanitize/core/%.o: ext/%.c $(HEADERS) VERSION
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN_FLAGS) -DSQLITE_CORE -c -o $@ $<

build/release/tests/%: tests/unit/%.c tests/unit/tap.h $(call core_objs,release)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Iext -Iext/kernels -o $@ $< $(call core_objs,release) $(LDFLAGS) $(SQLITE_LIBS) $(LDLIBS)
build/sanitize/tests/%: tests/unit/%.c tests/unit/tap.h $(call core_objs,sanitize)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN_FLAGS) -Iext -Iext/kernels -o $@ $< $(call core_objs,sanitize) -fsanitize=address,undefined \
	  $(LDFLAGS) $(SQLITE_LIBS) $(LDLIBS)

ifeq ($(SANITIZE),1)
# A sanitized .so can only be loaded by a process that starts with the
# sanitizer runtimes, so the shell (and Python, Node) get them preloaded;
# LeakSanitizer then checks the extension's memory at exit.
FLAVOUR := sanitize
LIB := build/sanitize/fin.so
SAN_PRELOAD := $(shell $(CC) -print-file-name=libasan.so):$(shell $(CC) -print-file-name=libubsan.so)
TEST_ENV := FIN_PRELOAD="$(SAN_PRELOAD)" SQLITE3="env LD_PRELOAD=$(SAN_PRELOAD) sqlite3"
else
FLAVOUR := release
LIB := dist/fin.so
TEST_ENV :=
endif

# The sub-makes of the tests (make install) must not inherit SANITIZE.
test: $(LIB) $(UNITS:%=build/$(FLAVOUR)/tests/%)
	$(TEST_ENV) MAKEFLAGS= FIN_LIB=$(abspath $(basename $(LIB))) FIN_UNIT_DIR=$(abspath build/$(FLAVOUR)/tests) \
	  prove tests/

# The SQL tests again with every sqlite3 process under valgrind memcheck:
# any invalid access or leaked block is printed on stderr, which fails the
# test that saw it. Slow (minutes); not part of `make test`.
valgrind: dist/fin.so
	SQLITE3="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect sqlite3" \
	  FIN_LIB=$(abspath dist/fin) prove tests/10-functions.t tests/20-errors.t tests/30-tables.t \
	  tests/40-tables-errors.t tests/90-readme.t

# ---------------------------------------------------------------- fuzz
# make fuzz [FUZZ_SECONDS=60]: builds the libFuzzer harnesses of tests/fuzz
# (clang, with ASan and UBSan; the extension compiled in) and runs each for
# FUZZ_SECONDS on a working copy of its seed corpus in build/fuzz. A finding
# stops the run and leaves its input in build/fuzz (crash-*, leak-*, ...).
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZERS := sql date series
FUZZ_FLAGS := -g -O1 -std=c11 -Wall -Wextra -Werror -D_DEFAULT_SOURCE -DSQLITE_CORE -Iext -Iext/kernels $(SQLITE_CFLAGS) \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(KERNELS) $(GLUE) $(HEADERS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(KERNELS) $(GLUE) $(SQLITE_LIBS) -lm
fuzz: $(FUZZERS:%=build/fuzz/fuzz_%)
	@for f in $(FUZZERS); do \
	  mkdir -p build/fuzz/corpus-$$f && cp -n tests/fuzz/corpus/$$f/* build/fuzz/corpus-$$f/ && \
	  echo "fuzz_$$f: $(FUZZ_SECONDS) s" && \
	  (cd build/fuzz && ./fuzz_$$f -max_total_time=$(FUZZ_SECONDS) -timeout=20 -rss_limit_mb=2048 \
	    -print_final_stats=1 corpus-$$f 2>&1 | grep -E "^(stat::number_of_executed_units|stat::peak_rss|#[0-9]+ +DONE)|ERROR|SUMMARY|==[0-9]+==|non-finite|wrote|safe entry|outside|another day|label|disagrees|fuzz_" ; \
	    exit $${PIPESTATUS[0]}) || exit 1; \
	done

# ---------------------------------------------------------------- tools
GEN := build/tools/genprices
$(GEN): tools/genprices.c | build/tools
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror -D_DEFAULT_SOURCE $(SQLITE_CFLAGS) -o $@ $< $(SQLITE_LIBS) -lm

build/tools:
	mkdir -p $@

# Regenerates the committed sample data (deterministic: same bytes every time).
samples: $(GEN)
	$(GEN) --csv SMALL --days 2600 --start 2016-01-04 > samples/data/SMALL.csv
	$(GEN) --csv LARGE --days 2600 --start 2016-01-04 > samples/data/LARGE.csv

# ---------------------------------------------------------------- demo
# make demo                       the sample data (SMALL against LARGE)
# make demo DATA=RUT.csv [SYMBOL=RUT] [OTHER_DATA=GSPC.csv OTHER=GSPC]
DEMO_DB := build/demo.db
SYMBOL ?= $(shell basename "$(DATA)" .csv)
OTHER ?= $(shell basename "$(OTHER_DATA)" .csv)
demo: dist/fin.so
	@mkdir -p build && rm -f $(DEMO_DB)
ifeq ($(DATA),)
	@sql/load_csv.sh $(DEMO_DB) SMALL samples/data/SMALL.csv
	@sql/load_csv.sh $(DEMO_DB) LARGE samples/data/LARGE.csv
	@echo
	@FIN_LIB=$(abspath dist/fin) samples/demo.sh $(DEMO_DB) SMALL LARGE
else
	@sql/load_csv.sh $(DEMO_DB) "$(SYMBOL)" "$(DATA)"
	@if [ -n "$(OTHER_DATA)" ]; then sql/load_csv.sh $(DEMO_DB) "$(OTHER)" "$(OTHER_DATA)"; fi
	@echo
	@FIN_LIB=$(abspath dist/fin) samples/demo.sh $(DEMO_DB) "$(SYMBOL)" "$(if $(OTHER_DATA),$(OTHER))"
endif

# ---------------------------------------------------------------- bench
# Not part of `make test`: it generates 1M and 10M-row files in bench-data/
# (ignored) once, then times every way of every capability; see
# tests/bench/RESULTS.md. BENCH_ARGS=--quick checks the harness on small data.
bench: dist/fin.so $(GEN)
	/usr/bin/python3 tests/bench/bench.py $(BENCH_ARGS)

# ---------------------------------------------------------------- install
# The SQL users run (schema, loader, question library) goes beside the
# library's share folder; load_csv.sh finds its SQL next to itself.
SHARE_FILES := $(wildcard sql/*.sql) sql/load_csv.sh

install: dist/fin.so
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(SHAREDIR)
	install -m 0644 dist/fin.so $(DESTDIR)$(LIBDIR)/fin.so
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	  fin.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/fin.pc
	install -m 0644 $(filter %.sql,$(SHARE_FILES)) $(DESTDIR)$(SHAREDIR)
	install -m 0755 sql/load_csv.sh $(DESTDIR)$(SHAREDIR)

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/fin.so $(DESTDIR)$(PKGCONFIGDIR)/fin.pc
	rm -f $(addprefix $(DESTDIR)$(SHAREDIR)/,$(notdir $(SHARE_FILES)))
	-rmdir $(DESTDIR)$(SHAREDIR) 2>/dev/null

clean:
	rm -rf build dist
