# leakbench: the two commands a new user needs are `make run` and `make test`.
GO      ?= go
OUT     ?= out
# -race needs cgo and a C compiler; without them the tests still run, without the detector.
RACE    := $(shell [ "$$($(GO) env CGO_ENABLED)" = 1 ] && command -v "$$($(GO) env CC)" >/dev/null 2>&1 && echo -race)

.PHONY: run test bench fmt vet gate peers clean

run:
	$(GO) run ./cmd/leakbench run --data builtin --policy meta-2025-12 --out $(OUT)

test: vet
	$(GO) test $(RACE) ./...

vet:
	$(GO) vet ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

fmt:
	gofmt -w $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')

clean:
	rm -rf $(OUT)
