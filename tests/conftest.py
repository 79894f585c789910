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
