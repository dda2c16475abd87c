# cbpack — plain Makefile. `make`, `make test`, `make demo`, `make bench`,
# `make asan` (same as SANITIZE=1), `make install PREFIX=/usr/local`.

PREFIX  ?= /usr/local
CC      ?= cc
SANITIZE ?=
ifeq ($(SANITIZE),1)
BUILD   ?= build/san
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT      = -O1 -g
else
BUILD   ?= build/rel
OPT      = -O2 -g
endif
BIN      = $(BUILD)/cbpack
SHARE   ?= $(CURDIR)/build/share
DATADIR ?= $(SHARE)
LAYOUTDIR ?= $(CURDIR)/layouts

PKGS     = libxml-2.0 sqlite3 libzip jansson libutf8proc nettle libjpeg libpng zlib libdeflate
CFLAGS  ?= $(OPT)
CFLAGS  += -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Werror \
           -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Iinclude -I$(BUILD)/gen \
           -DCB_DATADIR='"$(DATADIR)"' -DCB_LAYOUTDIR='"$(LAYOUTDIR)"' \
           $(SANFLAGS) $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhpdf -lcsv -lpthread -lm
LDFLAGS += $(SANFLAGS)

LIB_SRC  = $(wildcard src/util/*.c src/ingest/*.c src/store/*.c src/evidence/*.c \
                      src/layout/*.c src/render/*.c src/bundle/*.c src/batch/*.c)
CMD_SRC  = src/main.c $(wildcard src/cmd/*.c)
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/schema_sql.o
CMD_OBJ  = $(CMD_SRC:%.c=$(BUILD)/%.o)
LIB      = $(BUILD)/libcbpack.a
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FONTS    = $(SHARE)/fonts/cbpack-sans.ttf $(SHARE)/fonts/cbpack-sans-bold.ttf
DEPS_OK  = build/.deps-ok
DEPS_TEST_OK = build/.deps-test-ok

.PHONY: all test unit e2e demo bench asan install clean deps check-headers
all: $(BIN) $(FONTS)

$(DEPS_OK): scripts/deps.sh
	@scripts/deps.sh build
	@mkdir -p build && touch $@

deps: $(DEPS_OK)

# Test tools (cmocka, poppler-utils, qpdf, ...) are checked only for `make test`.
$(DEPS_TEST_OK): scripts/deps.sh
	@scripts/deps.sh test
	@mkdir -p build && touch $@

ifneq ($(V),1)
Q = @
endif

$(BUILD)/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

# The schema is plain SQL in src/store/schema.sql, compiled in as a string.
$(BUILD)/gen/schema_sql.c: src/store/schema.sql
	@mkdir -p $(dir $@)
	@{ echo '/* generated from src/store/schema.sql */'; \
	   echo 'const char cb_schema_sql[] ='; \
	   sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; \
	   echo ';'; } > $@

$(BUILD)/gen/schema_sql.o: $(BUILD)/gen/schema_sql.c
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BIN): $(CMD_OBJ) $(LIB)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $(CMD_OBJ) $(LIB) $(LDLIBS)
	@$(if $(SANFLAGS),,mkdir -p bin && ln -sf ../$(BIN) bin/cbpack)

# libharu embeds whole TrueType fonts and pays per glyph in every document,
# so the fonts are cut down once, at build time, to the scripts cbpack renders
# (see docs/design.md, "Fonts").
FONT_RANGES = U+0020-007E,U+00A0-024F,U+0300-036F,U+1E00-1EFF,U+2000-206F,U+20AC,U+2122,U+2190-2193,U+2212,U+25A1,U+25CF,U+2713,U+FFFD
$(SHARE)/fonts/cbpack-sans.ttf: /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf | $(DEPS_OK)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FONT    $@")
	$(Q)/usr/bin/python3 -m fontTools.subset $< --unicodes="$(FONT_RANGES)" --output-file=$@ \
	  --layout-features='' --no-hinting --name-IDs='*' --notdef-outline
$(SHARE)/fonts/cbpack-sans-bold.ttf: /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf | $(DEPS_OK)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FONT    $@")
	$(Q)/usr/bin/python3 -m fontTools.subset $< --unicodes="$(FONT_RANGES)" --output-file=$@ \
	  --layout-features='' --no-hinting --name-IDs='*' --notdef-outline

$(BUILD)/tests/%: tests/unit/%.c $(LIB) | $(DEPS_TEST_OK)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  TEST    $@")
	$(Q)$(CC) $(CFLAGS) $(shell pkg-config --cflags cmocka) -o $@ $< $(LIB) $(LDFLAGS) \
	  $(LDLIBS) $(shell pkg-config --libs cmocka)

test: all $(UNIT_BIN)
	@CBPACK=$(CURDIR)/$(BIN) BUILD=$(BUILD) tests/run.sh

asan:
	@$(MAKE) --no-print-directory SANITIZE=1 test

demo: all
	@scripts/demo.sh $(BIN)

bench: all
	@scripts/deps.sh bench
	@CBPACK=$(CURDIR)/$(BIN) tests/bench/run.sh

check-headers:
	@for h in include/cbpack/*.h; do \
	  echo "#include \"$${h#include/}\"" | $(CC) $(CFLAGS) -x c -fsyntax-only - || exit 1; done

install: all
	$(MAKE) --no-print-directory BUILD=build/install DATADIR=$(PREFIX)/share/cbpack \
	  LAYOUTDIR=$(PREFIX)/share/cbpack/layouts build/install/cbpack
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/cbpack/fonts \
	  $(DESTDIR)$(PREFIX)/share/cbpack/layouts/common
	install -m 755 build/install/cbpack $(DESTDIR)$(PREFIX)/bin/cbpack
	install -m 644 $(FONTS) $(DESTDIR)$(PREFIX)/share/cbpack/fonts/
	install -m 644 layouts/*.xml layouts/*.rng $(DESTDIR)$(PREFIX)/share/cbpack/layouts/
	install -m 644 layouts/common/*.xml $(DESTDIR)$(PREFIX)/share/cbpack/layouts/common/

clean:
	rm -rf build bin

-include $(LIB_OBJ:.o=.d) $(CMD_OBJ:.o=.d)
