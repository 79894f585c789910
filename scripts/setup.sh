#!/usr/bin/env bash
# Create .venv (Python 3.11+) and install protocolgen into it. Usage: bash scripts/setup.sh [extra]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "protocolgen needs Python 3.11 or newer as '$PY' (set PYTHON=/path/to/python3.11)" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  if ! "$PY" -c 'import ensurepip, venv' 2>/dev/null; then
    # Debian and Ubuntu ship venv separately
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      ver=$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
      apt-get install -y -qq "python${ver}-venv" >/dev/null 2>&1 \
        || apt-get install -y -qq python3-venv >/dev/null
    else
      echo "Python's venv module is missing: sudo apt-get install python3-venv" >&2
      exit 1
    fi
  fi
  "$PY" -m venv .venv
fi
extra=${1:-}
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extra:+[$extra]}"
