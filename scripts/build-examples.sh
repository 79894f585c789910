#!/usr/bin/env bash
# Quick start 1: install protocolgen and build every example council into output/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/protocol-gen build council_profiles --out output "$@"
