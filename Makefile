PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO := demo.qualcode

.PHONY: run serve test lint install install-test demo bench docs clean

$(BIN)/activate:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	@echo "qualcode: installing qualcode and its dependencies into $(VENV) (first run: about 1-2 minutes)..."
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/activate
	@echo "qualcode: installing qualcode with its test tools into $(VENV) (first run: about 2-3 minutes)..."
	@# PyTorch for the embeddings extra: 2.13.0 is the CPU build this machine kind keeps on disk
	@# (a plain "torch" would take a CUDA build of several GB); installed first so that
	@# sentence-transformers finds it satisfied.
	$(BIN)/pip install -q 'torch==2.13.0'
	$(BIN)/pip install -q -e '.[test,embeddings]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

$(DEMO): | $(VENV)/.installed
	$(BIN)/qualcode demo $(DEMO)

run: $(VENV)/.installed $(DEMO)
	$(BIN)/qualcode $(DEMO)

serve: $(VENV)/.installed $(DEMO)
	$(BIN)/qualcode serve $(DEMO)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n 2 -q

docs: $(VENV)/.installed-test
	$(BIN)/cog -r README.md

bench: $(VENV)/.installed-test
	for b in bench/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) $(DEMO)
