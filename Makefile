# The two quick-start commands: `make demo` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test bench clean

$(STAMP): pyproject.toml requirements/ner.txt requirements/embeddings.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
	  echo "python3 -m venv is not available; using virtualenv instead"; \
	  $(PYTHON) -m pip install --user --quiet virtualenv && $(PYTHON) -m virtualenv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/ner.txt
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/embeddings.txt
	@touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/trucewatch demo --dir trucewatch-demo

# Tests run on TEST_WORKERS processes (pytest-xdist; default: the CPUs, at most 4, since each
# worker holds the models and its own PostgreSQL server), then the `serial` ones (Ray) alone.
TEST_WORKERS ?= $(shell $(PYTHON) -c "import os; print(min(4, len(os.sched_getaffinity(0))))" 2>/dev/null || echo 1)

test: setup
	@status=0; \
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile -m "not serial" $(PYTEST_ARGS) || status=$$?; \
	$(BIN)/python -m pytest -q -m serial $(PYTEST_ARGS) || status=$$((status ? status : $$?)); \
	exit $$status

bench: setup
	$(BIN)/python benchmarks/ingest_speed.py

clean:
	rm -rf $(VENV) trucewatch-demo .pytest_cache .test-cache
