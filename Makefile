# Two commands do everything on a fresh machine:
#   make run    install, build the index from seeds/, start the web chat
#   make test   install (with dev extras and the browser), run the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_HUB_DISABLE_PROGRESS_BARS := 1
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: install install-dev browser index run ask chat test test-fast eval eval-news eval-news-ci bench clean

# news-dev (real news, read where it lies, never copied): ../shared/news-dev or NEWS_DEV=...
NEWS_DEV   ?= ../shared/news-dev
NEWS_INDEX ?= eval/cache/news-dev-index
NEWS_GOLD  ?= eval/cache/news-dev-gold

# torch serves only to export the ONNX graph once (and the optional torch engine), so the CPU build is
# the default: PyTorch's CPU wheel index, as an extra index (pip warns and goes on where it cannot
# be reached). The default index alone serves the CUDA build on Linux (several GB): for a GPU, run
# `make install TORCH_INDEX=` (empty).
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu
PYVER := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)

# A stock Debian/Ubuntu python3 cannot make a venv until python3.X-venv is installed: install it
# (as `browser` does chromium), or say what to install.
$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "$(PYTHON) -m venv failed: on Debian/Ubuntu it needs the package python$(PYVER)-venv; installing it"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  { command -v apt-get >/dev/null && $$SUDO apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq python$(PYVER)-venv >/dev/null; } || { \
	    echo "error: cannot create $(VENV): install python$(PYVER)-venv (sudo apt-get install python$(PYVER)-venv)," \
	         "or point PYTHON= at a Python 3.11+ whose 'python3 -m venv' works" >&2; exit 1; }; \
	  $(PYTHON) -m venv $(VENV); }

$(BIN)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	# The pinned CPU torch first (see TORCH_INDEX): an unpinned one pulls several GB of CUDA packages.
	$(BIN)/pip install --quiet -c constraints.txt $(if $(TORCH_INDEX),--extra-index-url $(TORCH_INDEX) --retries 1) torch==2.13.0
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(BIN)/.installed-dev: $(BIN)/.installed
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

install: $(BIN)/.installed
install-dev: $(BIN)/.installed-dev

# Debian's Chromium for the browser tests (Playwright drives it; no browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

index: install
	$(BIN)/assistant index

run: index
	$(BIN)/assistant chat

chat: run

ask: index
	$(BIN)/assistant ask "$(or $(Q),What did Peskov say about Yoon's remarks?)"

test: install-dev browser
	$(BIN)/python -m pytest -m "not live" -q

test-fast: install-dev
	$(BIN)/python -m pytest -m "not slow and not integration and not live" -q

eval: index
	$(BIN)/assistant eval --check

# The whole of news-dev: index cached in $(NEWS_INDEX) (unchanged articles are skipped), report in
# eval/reports/news-dev/, citation precision also against gold-lenient.jsonl. Reports, never gates.
eval-news: install
	@if [ ! -d "$(NEWS_DEV)/corpus" ] || [ ! -f "$(NEWS_DEV)/gold.jsonl" ]; then \
	  echo "eval-news: skipped: news-dev not found at $(NEWS_DEV) (set NEWS_DEV=/path/to/news-dev)"; exit 0; fi; \
	set -e; \
	$(BIN)/python -m assistant.evaluation.newsdev gold $(NEWS_GOLD) --news-dev $(NEWS_DEV); \
	ASSISTANT_INDEX_DIR=$(NEWS_INDEX) ASSISTANT_CORPUS_DIR=$(NEWS_DEV)/corpus $(BIN)/assistant index $(NEWS_DEV)/corpus; \
	ASSISTANT_INDEX_DIR=$(NEWS_INDEX) ASSISTANT_CORPUS_DIR=$(NEWS_DEV)/corpus $(BIN)/assistant eval \
	  --gold $(NEWS_GOLD)/gold.jsonl --lenient $(NEWS_GOLD)/gold-lenient.jsonl \
	  --thresholds eval/thresholds-news.json --out eval/reports/news-dev

# The CI gate on the deterministic news-dev subset alone (also part of make test).
eval-news-ci: install-dev
	NEWS_DEV=$(NEWS_DEV) $(BIN)/python -m pytest -q -s tests/integration/test_news_dev_gate.py

bench: install-dev
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) index/chroma.sqlite3 index/*-*-*-*-* eval/reports test-artifacts
