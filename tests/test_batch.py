"""protocol-gen build over many profiles: parallel, one failure never stops the rest."""
from __future__ import annotations

import os
import pty
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, all_profiles

BROKEN = "council:\n  name: Broken Parish Council\n  tier: parish\n  governance: mayor_cabinet\n"


def protocol(out: Path, stem: str, fmt: str) -> Path:
    return out / stem / f"{stem}-member-officer-protocol.{fmt}"


@pytest.fixture
def folder(tmp_path) -> Path:
    """The example profiles plus one broken profile."""
    folder = tmp_path / "profiles"
    folder.mkdir()
    for path in all_profiles():
        shutil.copy(path, folder / path.name)
    (folder / "broken-parish-council.yaml").write_text(BROKEN, encoding="utf-8")
    return folder


def test_broken_profile_is_named_and_the_rest_are_built(invoke, folder, tmp_path):
    out = tmp_path / "out"
    result = invoke("build", folder, "--out", out, "--jobs", "2")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    good = [p.stem for p in all_profiles()]
    assert len(good) >= 3
    for stem in good:
        assert protocol(out, stem, "md").read_text(encoding="utf-8").startswith("# ")
        with zipfile.ZipFile(protocol(out, stem, "docx")) as z:
            assert z.testzip() is None and "word/document.xml" in z.namelist()
        assert f"built {stem}\n" in result.output
    assert not (out / "broken-parish-council").exists()
    assert "FAILED broken-parish-council: " in result.output
    assert "only principal councils have an executive" in result.output
    # the final summary: counts, then each failure with its one-line reason
    tail = result.output[result.output.rindex(f"built {len(good)}, failed 1"):]
    assert "broken-parish-council.yaml" in tail
    assert "only principal councils have an executive" in tail


def test_log_follows_the_order_profiles_were_named(invoke, folder, tmp_path):
    result = invoke("build", folder, "--out", tmp_path / "out", "--jobs", "2",
                    "--format", "md")
    names = [line.split()[1].rstrip(":") for line in result.output.splitlines()
             if line.startswith(("built ", "FAILED ")) and "failed" not in line]
    assert names == sorted(p.stem for p in folder.iterdir())


def test_parallel_and_serial_builds_write_the_same_bytes(invoke, folder, tmp_path):
    (folder / "broken-parish-council.yaml").unlink()
    for jobs, out in (("1", "serial"), ("2", "parallel")):
        assert invoke("build", folder, "--out", tmp_path / out, "--jobs", jobs,
                      "-q").exit_code == 0

    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*")
                if p.is_file()}
    serial, parallel = files(tmp_path / "serial"), files(tmp_path / "parallel")
    assert serial and serial == parallel


def test_quiet_prints_only_failures(invoke, folder, tmp_path):
    result = invoke("build", folder, "--out", tmp_path / "out", "--quiet", "--format", "md")
    assert result.exit_code == 1
    assert not re.search(r"^built [a-z]", result.output, re.M)
    assert "FAILED broken-parish-council" in result.output
    (folder / "broken-parish-council.yaml").unlink()
    clean = invoke("build", folder, "--out", tmp_path / "out2", "--quiet", "--format", "md")
    assert clean.exit_code == 0 and clean.output == ""


def test_two_profiles_with_one_output_name(invoke, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    source = all_profiles()[0]
    shutil.copy(source, first / "council.yaml")
    shutil.copy(source, second / "council.yaml")
    result = invoke("build", first / "council.yaml", second / "council.yaml",
                    "--out", tmp_path / "out", "--format", "md")
    assert result.exit_code == 1
    assert "built council\n" in result.output
    assert "FAILED council: " in result.output and "same output folder" in result.output


def test_a_bug_in_one_council_does_not_stop_the_batch(monkeypatch, tmp_path, library):
    from generator import pipeline as pipeline_module
    from generator.batch import Request, run_batch

    real = pipeline_module.assemble

    def flaky(profile, lib):
        if profile.council.name.startswith("Milcombe"):
            raise RuntimeError("boom")
        return real(profile, lib)
    monkeypatch.setattr(pipeline_module, "assemble", flaky)
    paths = all_profiles()
    batch = run_batch(paths, Request(str(tmp_path), ("md",)), library=library, jobs=1)
    failed = {o.stem: o.reason for o in batch.failed}
    assert list(failed) == ["milcombe-parish-council"]
    assert "internal error: RuntimeError: boom" in failed["milcombe-parish-council"]
    assert len(batch.built) == len(paths) - 1


def test_ctrl_c_in_process_stops_cleanly(monkeypatch, tmp_path, capsys, folder):
    from generator import batch as batch_module
    from generator.cli import main

    real = batch_module.build_one
    seen = []

    def interrupted(path, library, request):
        seen.append(path)
        if len(seen) == 2:
            raise KeyboardInterrupt
        return real(path, library, request)
    monkeypatch.setattr(batch_module, "build_one", interrupted)
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exit_info:
        main(["build", str(folder), "--out", str(out), "--jobs", "1"])
    captured = capsys.readouterr()
    assert exit_info.value.code == 130
    assert "interrupted" in captured.err and "Traceback" not in captured.err + captured.out
    first = sorted(folder.iterdir())[0].stem
    assert protocol(out, first, "md").exists()
    assert [p.name for p in out.rglob("*") if p.is_dir()] == [first]
    assert not list(out.rglob("*.tmp"))


def test_ctrl_c_stops_a_real_parallel_batch_without_partial_files(tmp_path):
    """Ctrl-C on a terminal interrupts the whole process group, workers included."""
    folder = tmp_path / "many"
    folder.mkdir()
    source = all_profiles()[0]
    for i in range(40):
        shutil.copy(source, folder / f"council-{i:02d}.yaml")
    reference = tmp_path / "reference"
    subprocess.run([sys.executable, "-m", "generator", "build", str(source), "--out",
                    str(reference), "-q"], cwd=ROOT, check=True, timeout=120)
    expected = {fmt: protocol(reference, source.stem, fmt).read_bytes()
                for fmt in ("md", "docx")}

    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "generator", "build", str(folder),
                             "--out", str(out), "--jobs", "2"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    first = proc.stdout.readline()          # wait until something has been built
    assert first.startswith("built council-")
    os.killpg(proc.pid, signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr + stdout
    assert not list(out.rglob("*.tmp")) and not list(out.rglob(".*"))
    built = sorted(p for p in out.iterdir())
    assert 1 <= len(built) < 40
    for stem_dir in built:
        for fmt, data in expected.items():
            path = protocol(out, stem_dir.name, fmt)
            if path.exists():                 # every file there is complete
                assert path.read_bytes() == data


def test_progress_bar_on_a_terminal(tmp_path):
    folder = tmp_path / "profiles"
    folder.mkdir()
    for path in all_profiles()[:4]:
        shutil.copy(path, folder / path.name)
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "build", str(folder),
                             "--out", str(tmp_path / "out"), "--format", "md"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=slave, text=True)
    os.close(slave)
    stdout, _ = proc.communicate(timeout=120)
    terminal = b""
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        terminal += chunk
    os.close(master)
    assert proc.returncode == 0
    assert b"building" in terminal and b"4/4" in terminal
    assert "built 4, failed 0" in stdout
    for path in all_profiles()[:4]:
        assert f"built {path.stem}" in stdout
