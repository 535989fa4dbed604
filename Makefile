# The two commands a newcomer needs:
#   make run   - install what is missing, build, start the server with demo data
#   make test  - install what is missing, build, run every test through ctest
SHELL := /bin/bash
BUILD      ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := envelope payload json_input claim_import request form
JOBS       ?= $(shell nproc)
DATA       ?= ./data
LISTEN     ?= 127.0.0.1:8080

.PHONY: run test test-asan test-tsan fuzz build deps bench clean check-sources format tidy

deps:
	@scripts/install-deps

$(BUILD)/build.ninja:
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" -DLEDGER_WERROR=ON >/dev/null

build: deps $(BUILD)/build.ninja
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/tools/ledger serve --data $(DATA) --listen $(LISTEN) --demo

test: build check-sources
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The sanitizer passes build only the tests labelled asan / tsan (at -O1, with
# line tables for the reports) and run them; .ci/run runs both after make test.
SAN_FLAGS := -DCMAKE_BUILD_TYPE=None "-DCMAKE_CXX_FLAGS=-O1 -g1" -DLEDGER_WERROR=ON

test-asan: deps
	@cmake -S . -B $(ASAN_BUILD) -G Ninja $(SAN_FLAGS) -DLEDGER_SANITIZE=address >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS) --target asan_tests
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS) -R "$$(cat asan_tests.regex)"

test-tsan: deps
	@cmake -S . -B $(TSAN_BUILD) -G Ninja $(SAN_FLAGS) -DLEDGER_SANITIZE=thread >/dev/null
	@cmake --build $(TSAN_BUILD) -j $(JOBS) --target tsan_tests
	cd $(TSAN_BUILD) && TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=$(CURDIR)/tests/tsan.supp \
	  ctest --output-on-failure -j $(JOBS) -R "$$(cat tsan_tests.regex)"

# Runs every fuzz target under libFuzzer + ASan + UBSan for FUZZ_SECONDS each
# (default 60), starting from its seed corpus; new inputs collect in
# $(FUZZ_BUILD)/corpus/<target>. `make test` only replays the seed corpora.
fuzz:
	@scripts/install-deps fuzz
	@cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=None \
	  "-DCMAKE_CXX_FLAGS=-O1 -g1" -DLEDGER_FUZZ=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_targets
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$t; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
	  $(FUZZ_BUILD)/tests/fuzz/$${t}_fuzz -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    $(FUZZ_BUILD)/corpus/$$t tests/fuzz/corpus/$$t || exit 1; \
	done

bench: build
	@scripts/install-deps bench
	$(BUILD)/benchmarks/eventstore_bench

# The mechanical rules (includes per module, header list, function length,
# formatting, clang-tidy over the files changed since main); reads the build's
# compile_commands.json, so it builds first.
check-sources: build
	@BUILD=$(BUILD) scripts/check-sources

# Formats every C++ source of ours in place with .clang-format.
format: deps
	@scripts/cpp-sources | xargs -P $(JOBS) -n 25 clang-format -i

# clang-tidy (.clang-tidy) over every translation unit of ours; slow (see
# docs/architecture.md), so `make test` runs it only on the files changed since main.
tidy: build
	@scripts/tidy $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD)
