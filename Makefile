# tsaws — two commands: `make` (install, generate every service, build, type-check, demo)
# and `make test` (all tests). SERVICES=s3,dynamodb make regenerates only those services.
SHELL := /bin/bash
NODE := node
TSX := $(NODE) --conditions=tsaws-source --import tsx
TSC := npx --no-install tsc
SERVICES ?=

.PHONY: all install models-check root generate build typecheck demo test test-unit test-conformance \
        test-types test-integration golden golden-check bench update-models vendor clean

all: install generate build typecheck demo

node_modules/.package-lock.json: package.json
	npm install --no-audit --no-fund
	@touch $@

install: node_modules/.package-lock.json

models-check: install
	$(TSX) codegen/models.ts check

root: install
	$(TSX) codegen/root.ts generated/_root

# Every service (or $(SERVICES)) into generated/; a built Node prebundle (dist/node/, which holds
# every service too) is rebuilt with them, runtime first (tsc, 2 s), so it never serves a stale
# service or misses a runtime module a service now imports.
generate: install
	SERVICES=$(SERVICES) $(TSX) codegen/main.ts
	@if [ -f dist/runtime/client.js ]; then $(TSC) -p tsconfig.json && $(TSX) codegen/node-bundle.ts; fi

# The hand-written runtime, compiled to dist/runtime/ (generated/ is plain JS + .d.ts already),
# then relinked with the services for Node into dist/node/ (two files per service instead of
# ~36: cold start; codegen/node-bundle.ts).
build: install root
	$(TSC) -p tsconfig.json
	$(TSX) codegen/node-bundle.ts

# Type-checks every generated service's declarations against the runtime's.
typecheck: build
	$(TSX) codegen/typecheck.ts

demo: build
	$(NODE) --openssl-legacy-provider examples/demo.js

test: install
	@[ -d generated/s3 ] || $(MAKE) generate
	@[ -f dist/node/client.js ] || $(MAKE) build
	$(TSX) test/run.ts

# Subsets of `make test` (TESTS= selects folders of test/).
test-types: install
	TESTS=types $(TSX) test/run.ts

test-integration: install
	TESTS=integration,browser $(TSX) test/run.ts

test-conformance: install
	TESTS=protocols,signer,endpoints,jmespath,cbor $(TSX) test/run.ts

test-unit: install
	TESTS=checksums,codegen,config,credentials,eventstream,http,paginators,retry,session,waiters $(TSX) test/run.ts

golden: install
	$(TSX) codegen/golden.ts write

golden-check: install
	$(TSX) codegen/golden.ts check

bench: all
	$(TSX) bench/run.ts

update-models: install
	MODELS_SRC=$${MODELS_SRC:-../shared/models} $(TSX) codegen/models.ts update

vendor:
	rm -rf test/vendor/conformance && cp -r $${CONFORMANCE_DIR:-../shared/conformance} test/vendor/conformance && chmod -R u+w test/vendor/conformance

clean:
	rm -rf generated dist
