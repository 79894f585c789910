"""A build killed at any moment loses nothing: every protocol file is either the earlier
version, byte for byte, or the complete new one; the earlier versions kept under
previous/ are byte-identical copies; no half-written file ever takes an output's place.

SIGKILL cannot be caught, so a killed build may leave its temporary files
(``.<file>.<pid>.<random>.tmp``, hidden, beside the file being written) and the lock
file of a council's folder (no longer locked: the system releases it); the next build
removes those whose process has gone. Ctrl-C (SIGINT) lets the writes under way
finish, so it leaves none.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import docx
import pytest

from conftest import ROOT, all_profiles

from generator.writeset import LOCK_NAME

COPIES = 64
NEW_VERSION = "9.9"
TEMP = re.compile(r"^\..+\.\d+\..+\.tmp$")


def command(folder: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "generator", "build", str(folder), "--out", str(out),
            "--jobs", "2", *extra]


def files(out: Path) -> dict[str, bytes]:
    """Every regular file under ``out``, by its path relative to ``out``."""
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file() and not p.is_symlink()}


def bump_versions(folder: Path) -> None:
    """The annual review: every profile gets a new version number."""
    for path in folder.iterdir():
        text = path.read_text(encoding="utf-8")
        changed, n = re.subn(r'^(  version: )"[^"]*"$', rf'\g<1>"{NEW_VERSION}"', text,
                             count=1, flags=re.MULTILINE)
        assert n == 1, path
        path.write_text(changed, encoding="utf-8")


@pytest.fixture(scope="module")
def council_folders(tmp_path_factory):
    """64 profiles (copies of the examples), built once (the adopted versions), and the
    complete rebuild after the review (what every new file must equal)."""
    base = tmp_path_factory.mktemp("interrupt")
    folder = base / "profiles"
    folder.mkdir()
    examples = all_profiles()
    for i in range(COPIES):
        source = examples[i % len(examples)]
        shutil.copy(source, folder / f"{i:02d}-{source.name}")
    adopted = base / "adopted"
    subprocess.run(command(folder, adopted, "-q"), cwd=ROOT, check=True, timeout=300)
    reviewed = base / "reviewed-profiles"
    shutil.copytree(folder, reviewed)
    bump_versions(reviewed)
    expected = base / "expected"
    subprocess.run(command(reviewed, expected, "-q"), cwd=ROOT, check=True, timeout=300)
    return folder, reviewed, files(adopted), files(expected), adopted


def start_rebuild(tmp_path: Path, council_folders) -> tuple[Path, subprocess.Popen]:
    """Copy the adopted outputs to a fresh folder and start rebuilding the reviewed
    profiles into it, in a process group of its own."""
    _, reviewed, _, _, adopted = council_folders
    out = tmp_path / "out"
    shutil.copytree(adopted, out)
    proc = subprocess.Popen(command(reviewed, out), cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    return out, proc


def wait_for_new_files(out: Path, proc: subprocess.Popen, at_least: int) -> int:
    """Poll until ``at_least`` councils have started writing their new version."""
    deadline = time.time() + 120
    while time.time() < deadline:
        started = sum(1 for d in out.iterdir() if (d / "previous").exists())
        if started >= at_least:
            return started
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.01)
    raise AssertionError("the rebuild wrote nothing in two minutes")


def kill_group(proc: subprocess.Popen, sig: int) -> None:
    os.killpg(proc.pid, sig)
    proc.wait(timeout=120)
    deadline = time.time() + 30       # and wait for the workers too
    while time.time() < deadline:
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise AssertionError("build processes still running after the kill")


def assert_complete(name: str, data: bytes) -> None:
    """An output file that parses to the end."""
    if name.endswith(".md"):
        text = data.decode("utf-8")
        assert text.startswith("# ") and text.endswith("\n")
        assert "## Signed" in text or "## Version history" in text
    elif name.endswith(".docx"):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            assert z.testzip() is None
        assert docx.Document(io.BytesIO(data)).paragraphs


def check_nothing_lost(out: Path, old: dict[str, bytes], new: dict[str, bytes],
                       temporaries_allowed: bool) -> tuple[int, int]:
    """Every output is the old or the new complete file; previous/ holds old bytes.
    Returns how many outputs are new and how many old."""
    now = files(out)
    n_new = n_old = 0
    for name, data in now.items():
        base = name.rsplit("/", 1)[-1]
        if TEMP.match(base) or base == LOCK_NAME:
            assert temporaries_allowed, f"temporary or lock file left: {name}"
            continue
        if "/previous/" in name:
            # a kept copy of the adopted file, byte for byte
            stem = name.split("/", 1)[0]
            original = re.sub(r"-v[\w.-]+(\.\w+)$", r"\1", base)
            assert data == old[f"{stem}/{original}"], name
            continue
        assert name in old, f"unexpected file {name}"
        if data == old[name]:
            n_old += 1
        else:
            assert data == new[name], f"{name} is neither the old nor the new file"
            assert_complete(name, data)
            n_new += 1
    for name in old:                      # nothing that was there has gone
        assert name in now, f"{name} disappeared"
    return n_new, n_old


def test_sigkill_part_way_loses_nothing_and_the_next_build_cleans_up(tmp_path,
                                                                    council_folders):
    _, reviewed, old, new, _ = council_folders
    assert all(old[k] != new[k] for k in old if "/previous/" not in k)
    out, proc = start_rebuild(tmp_path, council_folders)
    wait_for_new_files(out, proc, at_least=3)
    kill_group(proc, signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL

    n_new, n_old = check_nothing_lost(out, old, new, temporaries_allowed=True)
    assert n_new >= 3 and n_old >= 2, (n_new, n_old)   # it really was killed part-way

    # the next build finishes the job: every file new, every adopted version kept once,
    # and no temporary file left behind
    result = subprocess.run(command(reviewed, out, "-q"), cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    n_new, n_old = check_nothing_lost(out, old, new, temporaries_allowed=False)
    assert (n_new, n_old) == (len(old), 0)
    kept = [k for k in files(out) if "/previous/" in k]
    assert len(kept) == len(old)


def test_workers_stop_when_the_parent_is_killed(tmp_path, council_folders):
    """SIGKILL to the build process alone (no time to shut its workers down): the
    workers notice and stop too, instead of living on; nothing is lost."""
    _, _, old, new, _ = council_folders
    out, proc = start_rebuild(tmp_path, council_folders)
    wait_for_new_files(out, proc, at_least=2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    deadline = time.time() + 20
    while True:
        try:
            os.killpg(proc.pid, 0)          # any worker left in the process group?
        except ProcessLookupError:
            break
        if time.time() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            raise AssertionError("the workers lived on after their parent was killed")
        time.sleep(0.05)
    check_nothing_lost(out, old, new, temporaries_allowed=True)


def test_sigint_part_way_stops_cleanly(tmp_path, council_folders):
    _, _, old, new, _ = council_folders
    out, proc = start_rebuild(tmp_path, council_folders)
    wait_for_new_files(out, proc, at_least=3)
    kill_group(proc, signal.SIGINT)
    stdout, stderr = proc.communicate()
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "none is half-written" in stderr
    assert "Traceback" not in stdout + stderr
    n_new, n_old = check_nothing_lost(out, old, new, temporaries_allowed=False)
    assert n_new >= 3 and n_old >= 2, (n_new, n_old)


def test_leftover_temporaries_of_a_dead_build_are_removed(tmp_path):
    from generator.files import atomic_write, remove_stale_temporaries

    target = tmp_path / "council" / "council-member-officer-protocol.md"
    target.parent.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = target.parent / f".{target.name}.{dead.pid}.abc123.tmp"
    stale.write_bytes(b"half a prot")
    live = target.parent / f".{target.name}.{os.getppid()}.def456.tmp"
    live.write_bytes(b"being written")
    old = target.parent / f".{target.name}.zz9plural.tmp"
    old.write_bytes(b"from an old build")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    other = target.parent / ".notes.md.1.x.tmp"
    other.write_bytes(b"someone else's")

    assert atomic_write(target, b"# Protocol\n")
    assert not stale.exists() and not old.exists()
    assert live.exists() and other.exists()          # a running process's, and not ours
    assert target.read_bytes() == b"# Protocol\n"
    assert remove_stale_temporaries(target) == []


@pytest.mark.parametrize("sig, to_group", [(signal.SIGTERM, True), (signal.SIGHUP, False)])
def test_sigterm_and_sighup_stop_like_ctrl_c(tmp_path, council_folders, sig, to_group):
    """A service manager's SIGTERM (to the whole process group) and a closed terminal's
    SIGHUP (to the build process) stop the build as Ctrl-C does: running builds finish
    their writes, nothing half-written or hidden is left, and the summary counts every
    council that was written."""
    _, _, old, new, _ = council_folders
    out, proc = start_rebuild(tmp_path, council_folders)
    wait_for_new_files(out, proc, at_least=3)
    if to_group:
        kill_group(proc, sig)
    else:
        os.kill(proc.pid, sig)
        proc.wait(timeout=120)
    stdout, stderr = proc.communicate()
    assert proc.returncode == 128 + sig, stderr
    assert "Traceback" not in stdout + stderr
    found = re.search(r"interrupted: (\d+) of 64 profiles finished \(built (\d+), failed 0\)",
                      stderr)
    assert found, stderr
    n_new, n_old = check_nothing_lost(out, old, new, temporaries_allowed=False)
    assert n_new >= 3 and n_old >= 2, (n_new, n_old)
    assert int(found.group(1)) == int(found.group(2)) == n_new // 2   # md and docx each
    assert n_new % 2 == 0                                # no council half rebuilt
    assert stdout.count("\nbuilt ") + stdout.startswith("built ") == n_new // 2


def test_sigterm_while_libreoffice_makes_the_pdf(tmp_path):
    """SIGTERM to the whole process group while LibreOffice converts: LibreOffice (in a
    session of its own) is stopped by the build, not half-way by the signal; the build
    ends as Ctrl-C ends it, and leaves neither files nor temporary folders."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "generator", "build",
                             str(all_profiles()[0]), "--out", str(out), "--format", "pdf"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env={**os.environ, "TMPDIR": str(temp)})
    deadline = time.time() + 60
    while not any(temp.glob("protocolgen-pdf-*/*.docx")):     # LibreOffice is at work
        assert time.time() < deadline and proc.poll() is None, proc.communicate()
        time.sleep(0.02)
    time.sleep(0.3)
    kill_group(proc, signal.SIGTERM)
    stdout, stderr = proc.communicate()
    assert proc.returncode == 128 + signal.SIGTERM, stderr
    assert "interrupted: 0 of 1 profiles finished" in stderr
    assert "internal error" not in stderr and "Traceback" not in stderr
    assert not [p for p in temp.iterdir() if p.name.startswith("protocolgen-pdf-")]
    assert not out.exists() or not [p for p in out.rglob("*") if p.is_file()]
