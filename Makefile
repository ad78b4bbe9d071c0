# audiosync: `make demo` shows the main job on the spec's demo store; `make test` is what CI runs.
SWIFT ?= swift
FORMAT_PATHS := Package.swift Sources Tests strategies benchmarks/Package.swift benchmarks/Benchmarks benchmarks/Sources

.PHONY: deps build demo test lint format presets sanitize clean release stage install dist check-install

PREFIX ?= /usr/local
VERSION := $(shell sed -n 's/^public let audiosyncVersion = "\(.*\)"/\1/p' Sources/Sync/SyncRunner.swift)
ARCH := $(shell uname -m)
RELEASE_BIN := .build/release/audiosync
MANPAGE := .build/plugins/GenerateManual/outputs/audiosync/audiosync.1
STAGE := .build/stage/audiosync-$(VERSION)-linux-$(ARCH)
DIST := .build/dist/audiosync-$(VERSION)-linux-$(ARCH).tar.gz

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

# Builds, writes the spec §4 store (real Ogg Opus and MP3 notes, a SQLite database), syncs it,
# and prints the report with the legacy script's result beside ours.
demo: deps
	@scripts/install-deps.sh scripts/system-packages.txt scripts/demo-packages.txt
	$(SWIFT) build --product audiosync
	$$($(SWIFT) build --show-bin-path)/audiosync demo --out demo-output

# Lint, then every test with a throw-away PostgreSQL server (the suite also runs the probe shim
# under AddressSanitizer on the damaged set).
test: deps lint
	scripts/with-postgres.sh $(SWIFT) test

# swift-format, then every target of Package.swift declares exactly the modules it imports.
lint:
	$(SWIFT) format lint --strict --recursive $(FORMAT_PATHS)
	scripts/check-imports.py

format:
	$(SWIFT) format --in-place --recursive $(FORMAT_PATHS)

# Rewrites the lists of strategies in strategies/presets/default.yml and docs/profiles.md from the
# code (after adding a strategy or changing a default); `make test` checks them.
presets:
	AUDIOSYNC_WRITE_PRESETS=1 $(SWIFT) test --filter PresetDocumentTests
	scripts/embed-default-profile.py

# The release binary, with the Swift runtime linked statically, and the man page from its help
# (argument-parser's generate-manual plugin). The plugin builds the package itself; in debug mode
# that build is the one `make test` already made (CI runs this after it), where a release build
# would be a second full release build, since --static-swift-stdlib changes every compile. The
# help, and so the page, is the same in both. The RUNPATH lets the binary find the codec and
# SQLite libraries that scripts/stage-release.sh puts beside it.
release: deps
	$(SWIFT) package generate-manual --configuration debug --authors "the audiosync project"
	$(SWIFT) build -c release --static-swift-stdlib --product audiosync \
		-Xlinker -rpath -Xlinker '$$ORIGIN/../lib/audiosync'

# The release laid out as it installs: bin/, lib/audiosync/, share/man, share/*completion*.
stage: release
	scripts/stage-release.sh $(RELEASE_BIN) $(MANPAGE) $(STAGE)

# make install PREFIX=/opt/audiosync (default /usr/local; DESTDIR for packagers). Upgrading is
# the same command with the new version: every file is replaced.
install: stage
	mkdir -p $(DESTDIR)$(PREFIX)
	cp -R $(STAGE)/. $(DESTDIR)$(PREFIX)/
	@echo "installed audiosync $(VERSION) in $(DESTDIR)$(PREFIX) (bin/audiosync; man audiosync; completions under share/)"

# A tarball that runs on a machine without Swift: unpack it anywhere and run bin/audiosync.
dist: stage
	mkdir -p $(dir $(DIST))
	tar -czf $(DIST) -C $(dir $(STAGE)) $(notdir $(STAGE))
	@echo "dist: $(DIST) ($$(du -h $(DIST) | cut -f1))"

# The install test: the tarball's binary run with the toolchain off the PATH and hidden.
check-install: dist
	scripts/check-install.sh $(DIST)

clean:
	rm -rf .build demo-output
