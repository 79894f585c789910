"""One council's files are written together, under a lock on its folder (real processes,
real file locks, a real unwritable file)."""
from __future__ import annotations

import os
from pathlib import Path
import shutil
import signal
import subprocess
import sys
import textwrap

import docx

from conftest import PROFILES, ROOT

from generator.writeset import LOCK_NAME

MILCOMBE = PROFILES / "milcombe-parish-council.yaml"
STEM = "milcombe-parish-council"


def build(profile: Path, out: Path, *extra: str, wait: float = 0) -> subprocess.CompletedProcess:
    """``protocol-gen build`` in a process of its own, waiting ``wait`` seconds at most for
    another build's lock."""
    return subprocess.run([sys.executable, "-m", "generator", "build", str(profile),
                           "--out", str(out), *extra], cwd=ROOT, capture_output=True,
                          text=True, timeout=300,
                          env={**os.environ, "PROTOCOLGEN_DEBUG": "",
                               "PROTOCOLGEN_LOCK_WAIT": str(wait)})


def protocol(out: Path, fmt: str) -> Path:
    return out / STEM / f"{STEM}-member-officer-protocol.{fmt}"


def reviewed(tmp_path: Path, name: str = "Milcombe Parish Council",
             folder: str = "reviewed") -> Path:
    text = MILCOMBE.read_text(encoding="utf-8")
    text = text.replace("name: Milcombe Parish Council", f"name: {name}")
    text = text.replace("political_groups: true", "political_groups: false")
    path = tmp_path / folder / MILCOMBE.name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _make_unreplaceable(path: Path) -> str:
    """Make ``path`` impossible to replace, as Word holding it open on a shared drive
    does: the immutable attribute (root on Linux); otherwise a folder in its place."""
    if shutil.which("chattr") and subprocess.run(["chattr", "+i", str(path)],
                                                 capture_output=True).returncode == 0:
        return "immutable"
    path.unlink()
    (path / "in-the-way").mkdir(parents=True)
    return "folder"


def test_a_file_that_cannot_be_replaced_leaves_every_format_as_it_was(tmp_path):
    out = tmp_path / "out"
    assert build(MILCOMBE, out).returncode == 0
    md, docx_path = protocol(out, "md"), protocol(out, "docx")
    md_before = md.read_bytes()
    how = _make_unreplaceable(docx_path)
    try:
        docx_before = docx_path.read_bytes() if how == "immutable" else None
        result = build(reviewed(tmp_path), out)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "may be open in Word" in result.stderr and "close the file" in result.stderr
        assert "Traceback" not in result.stderr
        assert md.read_bytes() == md_before            # the Markdown was put back
        if docx_before is not None:
            assert docx_path.read_bytes() == docx_before
        leftovers = [p.name for p in (out / STEM).iterdir()
                     if p.name.endswith(".tmp") or p.name == LOCK_NAME]
        assert leftovers == []
    finally:
        if how == "immutable":
            subprocess.run(["chattr", "-i", str(docx_path)], check=True)
    # once the file is closed, the next build writes both
    if how == "folder":
        shutil.rmtree(docx_path)
    result = build(reviewed(tmp_path), out)
    assert result.returncode == 0, result.stderr
    assert md.read_bytes() != md_before
    assert docx.Document(str(docx_path)).core_properties.author == "Milcombe Parish Council"


HOLD = textwrap.dedent("""
    import sys
    from generator.writeset import FolderLock
    with FolderLock(sys.argv[1]):
        print("locked", flush=True)
        sys.stdin.readline()
""")


def test_a_council_folder_is_locked_while_its_files_are_written(tmp_path):
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(out / STEM)], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        result = build(MILCOMBE, out)
        assert result.returncode == 1
        assert f"process {holder.pid}" in result.stderr and "Traceback" not in result.stderr
        assert not protocol(out, "md").exists() and not protocol(out, "docx").exists()
        holder.stdin.write("done\n")
        holder.stdin.flush()
        assert holder.wait(timeout=30) == 0
    finally:
        if holder.poll() is None:
            holder.kill()
    assert not (out / STEM / LOCK_NAME).exists()       # released and removed on exit
    assert build(MILCOMBE, out).returncode == 0


def test_a_second_build_waits_for_the_first_to_finish(tmp_path):
    """A build that finds its council's folder locked waits for the holder to finish
    (within PROTOCOLGEN_LOCK_WAIT seconds), then writes its files."""
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(out / STEM)], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        waiting = subprocess.Popen([sys.executable, "-m", "generator", "build", str(MILCOMBE),
                                    "--out", str(out)], cwd=ROOT, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True,
                                   env={**os.environ, "PROTOCOLGEN_LOCK_WAIT": "120"})
        (out / STEM).mkdir(parents=True, exist_ok=True)
        assert not protocol(out, "md").exists()        # nothing written while it is held
        holder.stdin.write("done\n")
        holder.stdin.flush()
        assert holder.wait(timeout=30) == 0
        _, err = waiting.communicate(timeout=300)
        assert waiting.returncode == 0, err
    finally:
        for proc in (holder,):
            if proc.poll() is None:
                proc.kill()
    assert protocol(out, "md").exists() and protocol(out, "docx").exists()
    assert not (out / STEM / LOCK_NAME).exists()


def test_a_killed_holder_releases_the_lock(tmp_path):
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(out / STEM)], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=30)
    assert (out / STEM / LOCK_NAME).exists()            # left behind, but not locked
    result = build(MILCOMBE, out)
    assert result.returncode == 0, result.stderr
    assert not (out / STEM / LOCK_NAME).exists()


def test_two_builds_of_profiles_with_one_name_never_mix_their_files(tmp_path):
    """Two different profiles with the same file name built into one folder at once:
    each run leaves the Markdown and the DOCX of one and the same profile; a build that
    finds the folder locked fails and says by whom."""
    first = reviewed(tmp_path, "Milcombe Parish Council", "a")
    second = reviewed(tmp_path, "Other Milcombe Parish Council", "b")
    for run in range(8):
        out = tmp_path / f"out{run}"
        procs = [subprocess.Popen([sys.executable, "-m", "generator", "build", str(p),
                                   "--out", str(out)], cwd=ROOT, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
                 for p in (first, second)]
        results = [(p.wait(timeout=300), *p.communicate()) for p in procs]
        assert any(code == 0 for code, _, _ in results), results
        for code, _, err in results:
            assert code == 0 or "is still writing this council's files" in err, err
        md = protocol(out, "md").read_text(encoding="utf-8")
        author = docx.Document(str(protocol(out, "docx"))).core_properties.author
        assert md.startswith(f"# {author}:"), (md[:80], author)
        assert not [p for p in (out / STEM).iterdir() if p.name.startswith(".")]
