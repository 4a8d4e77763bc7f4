# sqlite-fin: `make` builds dist/fin.so, `make test` runs the TAP suite.
# SANITIZE=1 builds everything with address and undefined-behaviour
# sanitizers (a separate build folder, so the two never mix).

VERSION := $(shell cat VERSION)
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DESTDIR ?=

CC ?= cc
SQLITE_CFLAGS := $(shell pkg-config --cflags sqlite3)
SQLITE_LIBS := $(shell pkg-config --libs sqlite3)
CFLAGS ?= -O2
CFLAGS += -std=c11 -Wall -Wextra -Werror -fPIC -D_DEFAULT_SOURCE \
          -DFIN_VERSION=\"v$(VERSION)\" $(SQLITE_CFLAGS)
LDLIBS = -lm

ifeq ($(SANITIZE),1)
  BUILD := build/sanitize
  CFLAGS += -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
  LDFLAGS += -fsanitize=address,undefined
else
  BUILD := build/release
endif

KERNELS := $(wildcard ext/k_*.c)
GLUE := $(filter-out $(KERNELS),$(wildcard ext/*.c))
HEADERS := $(wildcard ext/*.h)
KOBJ := $(KERNELS:ext/%.c=$(BUILD)/%.o)
GOBJ := $(GLUE:ext/%.c=$(BUILD)/%.o)
CORE_OBJ := $(GLUE:ext/%.c=$(BUILD)/core/%.o)
UNIT_SRC := $(wildcard tests/unit/*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all test clean install uninstall demo bench samples
# Keep the objects of the static (SQLITE_CORE) build between runs.
.SECONDARY:

all: dist/fin.so

ifeq ($(SANITIZE),1)
# A sanitized .so can only be loaded by a process that starts with the
# sanitizer runtimes, so the shell (and Python, Node) get them preloaded;
# LeakSanitizer then checks the extension's memory at exit.
LIB := $(BUILD)/fin.so
SAN_PRELOAD := $(shell $(CC) -print-file-name=libasan.so):$(shell $(CC) -print-file-name=libubsan.so)
TEST_ENV := FIN_PRELOAD="$(SAN_PRELOAD)" SQLITE3="env LD_PRELOAD=$(SAN_PRELOAD) sqlite3"
else
LIB := dist/fin.so
TEST_ENV :=
endif

dist/fin.so: $(KOBJ) $(GOBJ) | dist
	$(CC) -shared $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/fin.so: $(KOBJ) $(GOBJ)
	$(CC) -shared $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: ext/%.c $(HEADERS) | $(BUILD)
	$(CC) $(CFLAGS) -c -o $@ $<

# The same glue compiled into a program (SQLITE_CORE): no API pointer.
$(BUILD)/core/%.o: ext/%.c $(HEADERS) | $(BUILD)/core
	$(CC) $(CFLAGS) -DSQLITE_CORE -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c tests/unit/tap.h $(KOBJ) $(CORE_OBJ) | $(BUILD)/tests
	$(CC) $(CFLAGS) -Iext -o $@ $< $(KOBJ) $(CORE_OBJ) $(LDFLAGS) $(SQLITE_LIBS) $(LDLIBS)

dist $(BUILD) $(BUILD)/core $(BUILD)/tests:
	mkdir -p $@

test: $(LIB) $(UNIT_BIN)
	$(TEST_ENV) FIN_LIB=$(abspath $(basename $(LIB))) FIN_UNIT_DIR=$(abspath $(BUILD)/tests) \
	  prove tests/

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
	@samples/demo.sh $(DEMO_DB) SMALL LARGE
else
	@sql/load_csv.sh $(DEMO_DB) "$(SYMBOL)" "$(DATA)"
	@if [ -n "$(OTHER_DATA)" ]; then sql/load_csv.sh $(DEMO_DB) "$(OTHER)" "$(OTHER_DATA)"; fi
	@echo
	@samples/demo.sh $(DEMO_DB) "$(SYMBOL)" "$(if $(OTHER_DATA),$(OTHER))"
endif

# ---------------------------------------------------------------- install
install: dist/fin.so
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PKGCONFIGDIR)
	install -m 0644 dist/fin.so $(DESTDIR)$(LIBDIR)/fin.so
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	  fin.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/fin.pc

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/fin.so $(DESTDIR)$(PKGCONFIGDIR)/fin.pc

clean:
	rm -rf build dist
