#!/usr/bin/env bash
# Quick start 2: install what the tests need (Python packages; LibreOffice, pandoc,
# poppler-utils and Chromium from Debian when missing) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v pandoc >/dev/null 2>&1 || need+=(pandoc)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
# the test PDFs are hyphenated at line ends as LibreOffice does it with an English dictionary
[ -e /usr/share/hyphen/hyph_en_GB.dic ] || need+=(hyphen-en-gb)
# the web app's browser tests drive Debian's Chromium (Playwright never downloads its own)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "The tests need these Debian packages: ${need[*]}" >&2
    echo "Install them with: sudo apt-get install ${need[*]}" >&2
    exit 1
  fi
fi
bash scripts/setup.sh test
exec .venv/bin/python -m pytest "$@"
