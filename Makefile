# The two commands a newcomer needs:
#   make run   - install what is missing, build, start the server with demo data
#   make test  - install what is missing, build, run every test through ctest
SHELL := /bin/bash
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
DATA       ?= ./data
LISTEN     ?= 127.0.0.1:8080

.PHONY: run test test-asan build deps bench clean check-sources

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

test-asan: deps
	@cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DLEDGER_WERROR=ON -DLEDGER_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS) -LE slow

bench: build
	$(BUILD)/benchmarks/eventstore_bench

check-sources:
	@scripts/check-sources

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
