#!/usr/bin/env bash
# Run the test suite on SQLite, and on PostgreSQL too when PLACEMENT_TEST_DATABASE_URL is set.
# Tests run in parallel on the machine's cores (pytest-xdist); each worker has its own database.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
.venv/bin/ruff check placement tests bench scripts
# Browser tests run where Debian's chromium is installed (CI installs it).
MARKS=()
if [ -x /usr/bin/chromium ] && [ $# -eq 0 ]; then MARKS=(-m "not slow"); fi
WORKERS=(-n "${PLACEMENT_TEST_WORKERS:-$(nproc)}")
start=$SECONDS
PLACEMENT_TEST_DATABASE_URL= .venv/bin/python -m pytest "${WORKERS[@]}" "${MARKS[@]}" "$@"  # SQLite first
echo "--- SQLite run: $((SECONDS - start)) s"
if [ -n "${PLACEMENT_TEST_DATABASE_URL:-}" ]; then
  echo "--- again on ${PLACEMENT_TEST_DATABASE_URL%%@*}@… (PostgreSQL)"
  start=$SECONDS
  .venv/bin/python -m pytest "${WORKERS[@]}" "${MARKS[@]}" "$@"
  echo "--- PostgreSQL run: $((SECONDS - start)) s"
fi
