"""Shared fixtures: the repository's folders, the shipped library, a CLI runner."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ROOT / "council_profiles"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/*.md from the current output")


@pytest.fixture(scope="session")
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


def pytest_configure(config):
    """The tests' own cache between runs (generator/cache.py), set before any test module is
    imported: nothing is left in the user's home folder, and no earlier run's entries are
    used."""
    config._cache_before = os.environ.get("PROTOCOLGEN_CACHE")
    os.environ["PROTOCOLGEN_CACHE"] = tempfile.mkdtemp(prefix="protocolgen-test-cache-")


def pytest_unconfigure(config):
    shutil.rmtree(os.environ.pop("PROTOCOLGEN_CACHE"), ignore_errors=True)
    if getattr(config, "_cache_before", None) is not None:
        os.environ["PROTOCOLGEN_CACHE"] = config._cache_before


@pytest.fixture(scope="session")
def library():
    from generator.library.clauses import load_library
    return load_library()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def invoke(runner):
    """Run protocol-gen in-process; returns click's Result (exit_code, output, stderr)."""
    from generator.cli import cli

    def run(*args, input=None):
        return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)
    return run


def all_profiles() -> list[Path]:
    return sorted(PROFILES.glob("*.yaml"))


# ---- the web app (tests/web/) ---------------------------------------------------------

@pytest.fixture
def web_folder(tmp_path) -> Path:
    """A councils' folder with two example profiles, and an output folder beside it."""
    folder = tmp_path / "councils"
    folder.mkdir()
    for name in ("milcombe-parish-council", "northmoor-county-council"):
        shutil.copy(PROFILES / f"{name}.yaml", folder)
    return folder


@pytest.fixture
def web_app(web_folder):
    from generator.web.app import create_app
    app = create_app(web_folder, web_folder.parent / "output")
    app.config["TESTING"] = True
    return app


@pytest.fixture
def web_client(web_app):
    return web_app.test_client()


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(folder: Path, *options: str, probe: str = "/api/councils"):
    """``protocol-gen serve FOLDER`` as a real process on a free local port: yields its
    address once it answers ``probe``."""
    import subprocess
    import sys
    import time
    import urllib.request
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", str(folder), "--port", str(port),
         "--out", str(folder.parent / "output"), *options], cwd=folder.parent,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + probe, timeout=2).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("serve did not start: " + proc.stdout.read().decode())
            time.sleep(0.1)
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def web_server(web_folder):
    """``protocol-gen serve`` running as a real process on a free local port; yields
    its address."""
    yield from _serve(web_folder)


WEB_TOKEN = "a-long-enough-token-for-the-tests"


@pytest.fixture
def web_server_with_token(web_folder, tmp_path):
    """``protocol-gen serve --token-file``, as on an association's shared machine:
    every page needs the token (WEB_TOKEN), given once on the sign-in page."""
    token_file = tmp_path / "token.txt"
    token_file.write_text(WEB_TOKEN + "\n")
    yield from _serve(web_folder, "--token-file", str(token_file), probe="/login")


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright, headless (scripts/test.sh installs it)."""
    from playwright.sync_api import sync_playwright
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    assert exe, "Chromium is missing: apt-get install chromium (scripts/test.sh does)"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    yield pg
    context.close()


def libreoffice_convert(sources: list[Path], target: str, out_dir: Path,
                        text_input: bool = False) -> None:
    """Convert files with LibreOffice (a real soffice process, its own user profile):
    ``target`` is 'pdf' or 'docx'; text files are read as UTF-8 plain text."""
    import subprocess
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = out_dir / ".lo-profile"
    fmt = "docx:MS Word 2007 XML" if target == "docx" else target
    args = ["soffice", "--headless", f"-env:UserInstallation={profile.as_uri()}"]
    if text_input:
        args.append("--infilter=Text (encoded):UTF8,LF,,,")
    subprocess.run([*args, "--convert-to", fmt, "--outdir", str(out_dir), *map(str, sources)],
                   check=True, capture_output=True, timeout=600)


@pytest.fixture(scope="session")
def source_documents(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """Each of the five source protocols as .txt, and as .docx and .pdf made from the
    text by LibreOffice: {source key: {"txt": path, "docx": path, "pdf": path}}."""
    out = tmp_path_factory.mktemp("sources")
    texts = sorted((ROOT / "clause_library" / "sources").glob("*.txt"))
    for target in ("docx", "pdf"):
        libreoffice_convert(texts, target, out, text_input=True)
    return {t.stem: {"txt": t, "docx": out / f"{t.stem}.docx", "pdf": out / f"{t.stem}.pdf"}
            for t in texts}
