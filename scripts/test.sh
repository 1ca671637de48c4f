#!/usr/bin/env bash
# Set up, then run the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# two workers (CI has two cores); tests/conftest.py keeps each module, and the modules that share
# a corpus, on one worker
exec .venv/bin/python -m pytest -q -n "${KEXIE_TEST_WORKERS:-2}" --dist loadgroup "$@"
