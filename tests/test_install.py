"""The tool installed the ordinary ways: a wheel and an sdist, each built from the
project's files and installed into a fresh virtual environment outside the checkout,
then run from another folder. The shipped clause library and example profiles must
travel with the package."""
from __future__ import annotations

import os
from pathlib import Path
import shutil
import subprocess
import sys
import zipfile

import docx
import pytest

from conftest import ROOT

PROJECT_FILES = ("generator", "clause_library", "council_profiles", "setup.py", "setup.cfg",
                 "pyproject.toml", "MANIFEST.in", "README.md")
EXAMPLE = "milcombe-parish-council.yaml"


def _run(args, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True,
                            timeout=900, **kwargs)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result


def _clean_env(**extra) -> dict[str, str]:
    """The environment of a user with nothing of the checkout on their path."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if not p.startswith(str(ROOT)))
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PROTOCOLGEN_CACHE="", **extra)
    return env


@pytest.fixture(scope="module")
def dists(tmp_path_factory) -> dict[str, Path]:
    """An sdist built from a copy of the project's files, and a wheel built from that
    sdist (as `python -m build` does), so the sdist is proved complete too."""
    source = tmp_path_factory.mktemp("source")
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(src, source / name)
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--outdir", out, source], env=_clean_env())
    found = {"wheel": next(out.glob("*.whl")), "sdist": next(out.glob("*.tar.gz"))}
    return found


def test_the_wheel_carries_the_library_and_the_examples(dists):
    names = zipfile.ZipFile(dists["wheel"]).namelist()
    for folder in ("clause_library", "council_profiles"):
        shipped = {p.relative_to(ROOT / folder).as_posix()
                   for p in (ROOT / folder).rglob("*") if p.is_file()
                   and "__pycache__" not in p.parts}
        inside = {n.split(f"generator/_shipped/{folder}/", 1)[1] for n in names
                  if n.startswith(f"generator/_shipped/{folder}/")}
        assert shipped and shipped <= inside, sorted(shipped - inside)
    assert "generator/importer/places.tsv" in names      # the ONS list of places


@pytest.mark.parametrize("kind", ["wheel", "sdist"])
def test_installed_package_builds_from_another_folder(dists, kind, tmp_path):
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv], env=_clean_env())
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    env = _clean_env()
    _run([bindir / "python", "-m", "pip", "install", "--quiet", dists[kind]], env=env,
         cwd=tmp_path)
    elsewhere = tmp_path / "clerk"
    elsewhere.mkdir()
    where = _run([bindir / "python", "-c", "import generator.shipped as s, generator; "
                  "print(generator.__file__); print(s.COUNCIL_PROFILES)"],
                 env=env, cwd=elsewhere).stdout.split("\n")
    assert Path(where[0]).resolve().is_relative_to(venv.resolve()), where
    example = Path(where[1]) / EXAMPLE
    assert example.is_file(), "the example profiles did not travel with the package"
    shutil.copy(example, elsewhere / EXAMPLE)

    built = _run([bindir / "protocol-gen", "build", EXAMPLE, "--out", "out"], env=env,
                 cwd=elsewhere)
    assert "built 1, failed 0" in built.stdout
    protocol = elsewhere / "out" / "milcombe-parish-council" / \
        "milcombe-parish-council-member-officer-protocol"
    document = docx.Document(str(protocol.with_suffix(".docx")))
    assert len([p for p in document.paragraphs if p.text.strip()]) > 50
    assert protocol.with_suffix(".md").read_text(encoding="utf-8").count("\n## ") >= 10
    checked = _run([bindir / "protocol-gen", "library", "check"], env=env, cwd=elsewhere)
    assert checked.stdout.startswith("library ok")
    place = _run([bindir / "python", "-c", "from generator.importer.places import "
                  "council_place; print(council_place('Blaenavon Town Council').nation)"],
                 env=env, cwd=elsewhere)
    assert place.stdout.strip() == "wales"
