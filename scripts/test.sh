#!/usr/bin/env bash
# Run the test suite on SQLite, and on PostgreSQL too when PLACEMENT_TEST_DATABASE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
.venv/bin/ruff check placement tests bench
# Browser tests run where Debian's chromium is installed (CI installs it).
MARKS=()
if [ -x /usr/bin/chromium ] && [ $# -eq 0 ]; then MARKS=(-m "not slow"); fi
PLACEMENT_TEST_DATABASE_URL= .venv/bin/python -m pytest "${MARKS[@]}" "$@"  # SQLite first
if [ -n "${PLACEMENT_TEST_DATABASE_URL:-}" ]; then
  echo "--- again on ${PLACEMENT_TEST_DATABASE_URL%%@*}@… (PostgreSQL)"
  .venv/bin/python -m pytest "${MARKS[@]}" "$@"
fi
