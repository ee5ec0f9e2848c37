#!/usr/bin/env bash
# Run the test suite on SQLite, and on PostgreSQL too when PLACEMENT_TEST_DATABASE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
.venv/bin/ruff check placement tests bench
.venv/bin/python -m pytest "$@"
if [ -n "${PLACEMENT_TEST_DATABASE_URL:-}" ]; then
  echo "--- again on ${PLACEMENT_TEST_DATABASE_URL%%@*}@… (PostgreSQL)"
  .venv/bin/python -m pytest "$@"
fi
