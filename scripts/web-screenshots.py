"""Screenshots of the web app's main pages for the README (docs/web-*.png), at 1280 px
and as a phone shows them, 390 px wide (docs/web-*-phone.png).

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


def _pictures(page, url: str, milcombe: str, upload: Path, suffix: str, first: bool) -> None:
    """The councils list, a new council's questions, an imported council's page with its
    'Please check' values, and the preview with a paragraph's wordings side by side."""
    page.goto(url + "/")
    page.screenshot(path=DOCS / f"web-councils{suffix}.png")
    page.goto(url + "/councils/new")
    page.get_by_label("What is the council's name?").fill("Little Snoring Parish Council")
    page.get_by_label("What is the council's name?").press("Tab")
    page.wait_for_load_state("networkidle")
    page.get_by_label("What is the council's name?").scroll_into_view_if_needed()
    page.screenshot(path=DOCS / f"web-new-council{suffix}.png")
    if first:
        page.get_by_label("The council's current protocol").set_input_files(str(upload))
        page.get_by_role("button", name="Import it").click()
        page.wait_for_load_state("networkidle")
    page.goto(url + "/councils/oakbridge-town-council")
    page.locator(".field .please-check").first.evaluate(
        "e => e.parentElement.scrollIntoView({block: 'center'})")
    page.screenshot(path=DOCS / f"web-edit{suffix}.png")
    page.goto(url + f"/councils/{milcombe}/preview")
    second = page.locator("details.wordings").nth(1).get_attribute("id")
    page.goto(url + f"/councils/{milcombe}/preview?open={second.removeprefix('wordings-')}")
    page.locator(f"[id='{second}']").evaluate(
        "e => e.previousElementSibling.scrollIntoView({block: 'start'})")
    page.screenshot(path=DOCS / f"web-preview{suffix}.png")


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
            oakbridge = Path(tmp) / "Oakbridge protocol 2021.txt"
            oakbridge.write_text((ROOT / "clause_library" / "sources" / "halstead.txt")
                                 .read_text(encoding="utf-8").replace("Halstead", "Oakbridge"),
                                 encoding="utf-8")
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=exe, headless=True)
                for width, suffix in ((1280, ""), (390, "-phone")):
                    page = browser.new_page(viewport={"width": width, "height": 860})
                    _pictures(page, url, milcombe.stem, oakbridge, suffix, width == 1280)
                    page.close()
                browser.close()
        finally:
            proc.terminate()
            proc.wait(10)
    for png in sorted(DOCS.glob("web-*.png")):
        print(f"wrote {png.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
