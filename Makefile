# The README's two commands live here: `make run` and `make test`. Both install what is
# missing (packaging/install-deps.sh), configure with CMake and build.
BUILD ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
FUZZ_BUILD ?= build-fuzz
JOBS ?= $(shell nproc)

.PHONY: all deps test-deps build run package test test-release test-asan test-client bench clean

all: build

deps:
	@packaging/install-deps.sh

test-deps:
	@packaging/install-deps.sh --test

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# Builds and serves the embedded default database (./data/interviewbase.db, 127.0.0.1:54321).
run: build
	./$(BUILD)/interviewbase serve

# The Debian package (packaging/package.cmake): $(BUILD)/interviewbase_<version>_amd64.deb.
package: build
	@cd $(BUILD) && cpack -G DEB

# Every test: unit + e2e (release), the same under ASan/UBSan and under ThreadSanitizer, the
# supabase-js suite, the dashboard in headless Chromium and Firefox, and a short run of each libFuzzer
# target (clang, its own build directory).
test: test-deps
	@cd tests/client && npm ci --no-audit --no-fund --loglevel=error
	@cd tests/browser && npm ci --no-audit --no-fund --loglevel=error
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DIB_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@cmake -S . -B $(TSAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DIB_TSAN=ON >/dev/null
	@cmake --build $(TSAN_BUILD) -j $(JOBS)
	@cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
	  -DIB_FUZZ=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS)
	@tests/run_all.sh $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD)
