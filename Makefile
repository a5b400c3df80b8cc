# Lyceum — the two commands: `make demo` and `make test`.
SHELL := /bin/bash
export CARGO_TARGET_DIR ?= $(shell if [ -w /var/cache ]; then echo /var/cache/lyceum-target; else echo $(CURDIR)/target; fi)
export CARGO_TERM_COLOR ?= always
BIN := $(CARGO_TARGET_DIR)/debug/lyceum

.PHONY: demo test deps assets build fmt lint unit e2e bench clean-test-dbs

## Install what is missing, build, migrate, seed the demo school and serve it.
demo: deps assets
	cargo build -p lyceum
	LYCEUM_DEMO=1 $(BIN) demo

## Everything CI runs: format, lint, Rust tests against PostgreSQL, browser journeys.
test: deps assets fmt lint unit e2e

deps:
	@scripts/ensure-deps.sh

assets:
	@cd web && (test -d node_modules && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund) && npm run build --silent

fmt:
	cargo fmt --all -- --check

lint:
	cargo clippy --workspace --all-targets -- -D warnings

unit: clean-test-dbs
	cargo test --workspace --no-fail-fast

clean-test-dbs:
	@psql -h 127.0.0.1 -U postgres -d postgres -Atc "select datname from pg_database where datname like 'lyceum\_test\_%'" \
	  | while read -r db; do psql -h 127.0.0.1 -U postgres -d postgres -qc "drop database if exists $$db with (force)"; done

e2e: assets
	@if [ -d e2e ]; then scripts/e2e.sh; fi

bench: deps assets
	@scripts/bench.sh
