"""Screenshots of the web app's main pages for the README (docs/web-*.png).

Runs ``protocol-gen serve`` on a copy of council_profiles/ and has Debian's Chromium
(headless, driven by Playwright) take each picture. Usage, from the repository root:

    .venv/bin/python scripts/web-screenshots.py
"""
from __future__ import annotations

import os
from pathlib import Path
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "council_profiles"
        shutil.copytree(ROOT / "council_profiles", folder)
        milcombe = folder / "milcombe-parish-council.yaml"
        # one council overdue for review, as a clerk would see it
        overdue = folder / "halstead-town-council.yaml"
        text = overdue.read_text()
        import re
        overdue.write_text(re.sub(r"next_review: \S+", "next_review: 2026-01", text, count=1))
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "council_profiles",
                                 "--port", str(port), "--out", "output"], cwd=tmp, env=env)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(url + "/api/councils", timeout=2)
                    break
                except OSError:
                    time.sleep(0.1)
            exe = shutil.which("chromium") or shutil.which("chromium-browser")
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=exe, headless=True)
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                page.goto(url + "/")
                page.screenshot(path=DOCS / "web-councils.png")
                page.goto(url + "/councils/new")
                page.get_by_label("What is the council's name?").fill("Little Snoring Parish "
                                                                       "Council")
                page.get_by_label("What is the council's name?").press("Tab")
                page.wait_for_load_state("networkidle")
                page.screenshot(path=DOCS / "web-new-council.png")
                page.goto(url + f"/councils/{milcombe.stem}")
                page.locator("#f-adoption-adopted").fill("2026-02-30")
                page.get_by_role("button", name="Save", exact=True).click()
                page.locator("#f-adoption-adopted").scroll_into_view_if_needed()
                page.screenshot(path=DOCS / "web-edit.png")
                page.goto(url + f"/councils/{milcombe.stem}/preview")
                row = page.locator(".clause-row", has=page.locator(".why select")).first
                row.evaluate("e => e.scrollIntoView({block: 'center'})")
                page.screenshot(path=DOCS / "web-preview.png")
                browser.close()
        finally:
            proc.terminate()
            proc.wait(10)
    for png in sorted(DOCS.glob("web-*.png")):
        print(f"wrote {png.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
