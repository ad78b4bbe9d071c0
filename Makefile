# audiosync: `make demo` shows the main job on the spec's demo store; `make test` is what CI runs.
SWIFT ?= swift
FORMAT_PATHS := Package.swift Sources Tests strategies benchmarks/Package.swift benchmarks/Benchmarks benchmarks/Sources

.PHONY: deps build demo test lint format presets sanitize clean

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

clean:
	rm -rf .build demo-output
