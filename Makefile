# Two commands do all the set-up on a fresh machine: `make sandbox` and `make test`.
# Every target bootstraps .venv itself; it reinstalls only when a requirements file changes.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# jsii (under aws-cdk-lib) prints a full-screen banner on Node versions it no longer supports;
# this is the variable jsii documents for silencing it (a list of Node major versions).
NODE_MAJOR := $(shell node -p 'process.versions.node.split(".")[0]' 2>/dev/null)
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := $(NODE_MAJOR)
export JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION := 1
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: venv browser test lint format synth deploy bench sandbox openapi screenshots clean

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required (found %s)" % sys.version.split()[0])'
	@command -v node >/dev/null || { echo "Node.js 18+ is required (aws-cdk-lib runs on it): apt-get install nodejs"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

# Browser tests drive Debian's Chromium (Playwright's own browser downloads are not used).
CHROMIUM ?= /usr/bin/chromium
browser:
	@test -x $(CHROMIUM) || { \
	  echo "Installing Chromium with apt (needed by the browser tests)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	}

# Lint first: ruff and mypy findings fail the run like a failing test.
test: $(STAMP) browser lint
	$(PY) -m pytest

# The local Amazon Connect chat: http://127.0.0.1:8080 (pass options with ARGS='--port 9000').
sandbox: $(STAMP)
	$(PY) -m sandbox $(ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

synth: $(STAMP)
	$(PY) app.py $(CONTEXT)

# Deploys with the CDK CLI (pinned in package.json); needs AWS credentials and a bootstrapped account.
# Pass config as context, e.g. make deploy CONTEXT='-c allowedOrigins=https://www.example.com'
# The check first: it stops before CloudFormation when the Powertools layer parameter is missing in the
# Region or an instance with the alias was left behind (a failed first deploy is costly to clean up).
deploy: $(STAMP)
	$(PY) -m stacks.deploy_check $(CONTEXT)
	npm ci --no-audit --no-fund --silent
	npx --no-install cdk deploy --all $(CONTEXT)

openapi: $(STAMP)
	$(PY) -m lambdas.start_chat.openapi > lambdas/start_chat/openapi.json

bench: $(STAMP)
	$(PY) -m bench

# The README's pictures: the widget (desktop, 375x667 phone, right to left) and the agent workspace,
# from real chats in headless Chromium.
screenshots: $(STAMP) browser
	$(PY) -m docs.screenshots
	$(PY) -m bench._screenshots

clean:
	rm -rf cdk.out .pytest_cache .mypy_cache .ruff_cache
