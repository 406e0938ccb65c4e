# PdM Studio — build, run and test. `make run` and `make test` work on a fresh Debian 12 machine
# with Go 1.26, gcc and Node 20 (as root the missing apt packages are installed; otherwise the
# exact apt-get line is printed).
SHELL := /bin/bash
.DEFAULT_GOAL := build

GO       ?= go
NPM      ?= npm
BIN      := build/bin/pdmstudio
VERSION  ?= 0.1.0
COMMIT   ?= $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
LDFLAGS  := -s -w -X pdmstudio/app.Version=$(VERSION) -X pdmstudio/app.Commit=$(COMMIT)
WEBKIT   := $(shell pkg-config --exists webkit2gtk-4.0 2>/dev/null && echo || (pkg-config --exists webkit2gtk-4.1 2>/dev/null && echo webkit2_41))
TAGS     := $(WEBKIT)

# System packages: desktop build (GTK/WebKit), the desktop smoke test (Xvfb, ImageMagick, xdotool),
# browser tests (chromium), llama.cpp through yzma (libffi8), report checks (poppler-utils).
APT_PACKAGES := build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.0-dev xvfb xauth imagemagick \
	xdotool chromium libffi8 poppler-utils

FRONTEND_SRC := $(shell find frontend/src frontend/index.html frontend/public frontend/vite.config.ts \
	frontend/tsconfig*.json -type f 2>/dev/null)
GO_SRC := $(shell find . -name '*.go' -not -path './frontend/*' -not -path './.cache/*' 2>/dev/null) \
	$(shell find backend -name '*.sql' -o -name '*.yaml' -o -name '*.md' 2>/dev/null) go.mod go.sum

export PDMSTUDIO_REQUIRE_RUNTIMES ?= 1
# Tests run from their package folders; point them at the libraries make fetched.
export PDMSTUDIO_ORT_LIB ?= $(CURDIR)/models/onnxruntime/linux-x64/libonnxruntime.so.1
export PDMSTUDIO_LLAMA_LIB ?= $(CURDIR)/models/llama/linux-x64

.PHONY: run build serve test test-go test-frontend e2e smoke bench build-windows clean deps apt \
	npm-deps runtimes frontend fuzz

## run: install what is missing, build, and open the desktop app on the built-in demo fleet
run: deps build
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		echo "No display found (DISPLAY/WAYLAND_DISPLAY unset). Use 'make serve' for the browser UI," \
		     "or run under Xvfb: xvfb-run -a $(BIN)"; exit 1; fi
	$(BIN)

## build: the desktop binary build/bin/pdmstudio (Wails, frontend embedded)
build: $(BIN)

$(BIN): frontend/dist/index.html $(GO_SRC)
	$(GO) tool wails build -s -skipbindings -m -trimpath -tags "$(TAGS)" -ldflags "$(LDFLAGS)" -o pdmstudio
	@ls -l $(BIN)

frontend: frontend/dist/index.html
frontend/dist/index.html: frontend/node_modules/.stamp $(FRONTEND_SRC)
	cd frontend && $(NPM) run build

frontend/node_modules/.stamp: frontend/package.json frontend/package-lock.json
	cd frontend && $(NPM) ci --no-audit --no-fund
	@touch $@

npm-deps: frontend/node_modules/.stamp backend/datasets/testdata/interop/node_modules/.stamp

backend/datasets/testdata/interop/node_modules/.stamp: backend/datasets/testdata/interop/package.json
	cd backend/datasets/testdata/interop && $(NPM) ci --no-audit --no-fund
	@touch $@

## deps: apt packages, npm packages, runtime libraries
deps: apt npm-deps runtimes

apt:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing: $$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
		else \
			echo "Missing system packages. Run:"; echo "  sudo apt-get install -y $$missing"; exit 1; \
		fi; \
	fi

## runtimes: ONNX Runtime and llama.cpp libraries into models/ (npm pack, checksummed)
runtimes:
	scripts/fetch-runtimes.sh models

## serve: the headless face on http://127.0.0.1:8765
serve: deps build
	$(BIN) serve --addr 127.0.0.1:8765

## test: every suite — Go (race where it fits), frontend unit, browser e2e, desktop smoke
test: deps build
	@$(MAKE) --no-print-directory test-go test-frontend e2e smoke

# The race detector runs on the concurrent core (job runner, store, the faces' dispatcher, HTTP and
# events); the numeric packages run without it, where it would multiply their time on 2 cores.
RACE_PKGS := ./backend/jobs/... ./backend/store/... ./backend/atomicfile/... ./backend/machines/...
RACE_APP  := 'Test(HTTP|Serve|Every|Method|Roles|Argument|CLIExit|Seed)'
test-go:
	$(GO) vet ./...
	$(GO) test -race -count=1 $(RACE_PKGS)
	$(GO) test -race -count=1 -run $(RACE_APP) ./app
	$(GO) test -count=1 -timeout 30m ./...

test-frontend: frontend/node_modules/.stamp
	cd frontend && $(NPM) test

e2e: $(BIN)
	cd frontend && PDMSTUDIO_BIN=$(CURDIR)/$(BIN) $(NPM) run e2e

smoke: $(BIN)
	scripts/desktop-smoke.sh $(BIN)

## bench: Go benchmarks and the UI paint/bundle benchmark (results: docs/benchmarks.md); with
## BENCH_DATA_DIR (a data dir with the fleet, e.g. from `fleet bootstrap --tiny`) also the
## dashboard's first render in headless Chromium and in the desktop window from app start
bench: deps build
	$(GO) test -run '^$$' -bench . -benchmem ./... | tee build/bench-go.txt
	cd frontend && PDMSTUDIO_BIN=$(CURDIR)/$(BIN) $(NPM) run --silent bench | tee ../build/bench-ui.json
	@if [ -n "$(BENCH_DATA_DIR)" ]; then \
		cd frontend && BENCH_DATA_DIR=$(BENCH_DATA_DIR) PDMSTUDIO_BIN=$(CURDIR)/$(BIN) node e2e/bench-dashboard.mjs | tee ../build/bench-dashboard.json; \
		cd $(CURDIR) && scripts/desktop-start-bench.sh $(BENCH_DATA_DIR) $(BIN) | tee build/bench-desktop-start.json; \
	fi

## fuzz: run each parser fuzzer for FUZZTIME (default 1m)
FUZZTIME ?= 1m
fuzz:
	@for pkg in $$($(GO) list ./backend/...); do \
		for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
			echo "== $$pkg $$f"; $(GO) test $$pkg -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) || exit 1; \
		done; \
	done

## build-windows: cross-build build/bin/pdmstudio.exe with mingw-w64 (cgo, static)
build-windows: frontend/dist/index.html
	@command -v x86_64-w64-mingw32-gcc >/dev/null || { echo "needs: apt-get install -y gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64"; exit 1; }
	scripts/fetch-runtimes.sh --windows --no-native models
	CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc CXX=x86_64-w64-mingw32-g++ \
		$(GO) tool wails build -s -skipbindings -m -trimpath -platform windows/amd64 \
		-ldflags "$(LDFLAGS) -extldflags=-static" -o pdmstudio.exe

clean:
	rm -rf build/bin build/smoke frontend/dist/assets frontend/dist/index.html frontend/e2e/screenshots
