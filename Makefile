# failsafe — the two commands on the README's first screen are `make run` and `make test`.
# Every target installs what is missing first (scripts/install-deps, Debian 12 packages).

BUILD        ?= build
BUILD_ASAN   ?= build-asan
BUILD_FUZZ   ?= build-fuzz
BUILD_TYPE   ?= RelWithDebInfo
DATA         ?= var
LISTEN       ?= 127.0.0.1:8080
JOBS         ?= $(shell nproc)
# -g1: line tables and function names (backtraces, perf) without the full debug info that costs
# a quarter of the release build's CPU (docs/adr/0012-build-time.md).
RELWITHDEBINFO_FLAGS ?= -O2 -g1 -DNDEBUG
CTEST_FLAGS  ?= --output-on-failure -j $(JOBS)

.PHONY: all deps build run test test-unit build-sanitize test-sanitize fuzz fuzz-smoke bench \
        bench-http bench-incidents bench-backup format tidy clean console console-test console-e2e \
        test-peers

all: build

deps:
	@bash scripts/install-deps

$(BUILD)/build.ninja: CMakeLists.txt | deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DFAILSAFE_WERROR=ON \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$(RELWITHDEBINFO_FLAGS)"
	@ln -sf $(BUILD)/compile_commands.json compile_commands.json

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# Starts the server on an embedded SQLite store under ./var with example data, and the
# console at /.
run: build console
	@bash scripts/run-dev "$(BUILD)/bin/failsafe" "$(DATA)" "$(LISTEN)"

# Every test: unit tests beside the code, the tests in tests/ that run the real binary
# against real peers (PostgreSQL, SMTP, robot receivers, ...), and the console's unit and
# end-to-end tests (Chromium against the real server).
test: build console test-peers
	cd $(BUILD) && ctest $(CTEST_FLAGS)
	$(MAKE) console-test console-e2e

# The same tests built with AddressSanitizer and UndefinedBehaviorSanitizer. -g1 keeps the line
# tables the sanitizer reports need and drops the rest of the debug info, which only cost build
# time (docs/adr/0012-build-time.md).
build-sanitize: deps
	cmake -S . -B $(BUILD_ASAN) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DFAILSAFE_WERROR=ON \
	  -DFAILSAFE_SANITIZE=ON -DFAILSAFE_PCH=ON -DCMAKE_CXX_FLAGS_DEBUG=-g1
	cmake --build $(BUILD_ASAN) -j $(JOBS)

test-sanitize: build-sanitize test-peers
	cd $(BUILD_ASAN) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest $(CTEST_FLAGS)

# libFuzzer targets (clang 14) for every parser of outside input. Line tables are all a crash
# report needs.
fuzz: deps
	CC=clang-14 CXX=clang++-14 cmake -S . -B $(BUILD_FUZZ) -G Ninja -DCMAKE_BUILD_TYPE=Debug \
	  -DFAILSAFE_FUZZ=ON -DFAILSAFE_TESTS=OFF -DFAILSAFE_PCH=ON \
	  -DCMAKE_CXX_FLAGS_DEBUG=-gline-tables-only
	cmake --build $(BUILD_FUZZ) -j $(JOBS) --target fuzzers

# Runs each fuzz target over its seed corpus and then for FUZZ_SECONDS of new inputs.
FUZZ_SECONDS ?= 20
fuzz-smoke: fuzz
	bash scripts/fuzz-smoke "$(BUILD_FUZZ)/bin" $(FUZZ_SECONDS)

bench: bench-http bench-incidents bench-logs

bench-http: build
	bash bench/http/run.sh "$(BUILD)/bin/failsafe"

bench-incidents: build
	/usr/bin/python3 bench/incidents/run.py --binary "$(BUILD)/bin/failsafe"

bench-logs: build  # failsafe vs fail2ban-regex and grep on a generated 2M-line auth.log
	/usr/bin/python3 bench/logs/run.py --binary "$(BUILD)/bin/failsafe"

# failsafe vs restic and borg on a generated 1.5 GiB tree (as root: drops the page cache);
# BENCH_BACKUP_FLAGS="--scale 0.1" for a quick run.
bench-backup: build
	/usr/bin/python3 bench/backup/run.py --failsafe "$(BUILD)/bin/failsafe" $(BENCH_BACKUP_FLAGS)

format:
	git ls-files '*.h' '*.cc' | xargs clang-format -i

tidy: $(BUILD)/build.ninja
	git ls-files 'src/*.cc' | grep -v _test.cc | xargs clang-tidy -p $(BUILD) --quiet

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_FUZZ)

# The web console (web/, Vue + Vite) built into web/dist, which `failsafe serve` serves at /.
# npm ci runs only when the lockfile changed since node_modules was installed.
web/node_modules/.package-lock.json: web/package-lock.json web/package.json
	cd web && npm ci --no-audit --no-fund

# Peers from npm that tests start on 127.0.0.1 (s3rver for the backup S3 destination).
tests/support/npm/node_modules/.package-lock.json: tests/support/npm/package-lock.json tests/support/npm/package.json
	cd tests/support/npm && npm ci --no-audit --no-fund

test-peers: tests/support/npm/node_modules/.package-lock.json

# Built again only when a source changed: `make test` asks for it twice (the tests, console-e2e).
CONSOLE_SOURCES := $(shell find web/src web/static -type f 2>/dev/null) web/index.html \
  web/package.json web/vite.config.ts $(wildcard web/tsconfig*.json)
web/dist/index.html: $(CONSOLE_SOURCES) web/node_modules/.package-lock.json
	cd web && npm run build

console: web/dist/index.html

# Unit tests of the console's state and formatting logic (Vitest).
console-test: web/node_modules/.package-lock.json
	cd web && npm test

# End-to-end: the real server ($(BUILD)/bin/failsafe, built by `make build`) on 127.0.0.1 with a
# temporary store, driven by Chromium; screenshots and measurements land in $(BUILD)/console-e2e.
console-e2e: deps console
	cd web && FAILSAFE_BIN=$(abspath $(BUILD))/bin/failsafe E2E_OUT=$(abspath $(BUILD))/console-e2e npm run e2e
