"""A clerk's single build beside pandoc's one conversion of the same protocol.

Each round runs, in fresh processes one after the other (so both see the same moment of a
shared machine): ``pandoc X.md -o X.docx`` on the protocol's Markdown, then
``protocol-gen build PROFILE --out FRESH -q`` of the same council, for

* the unchanged profile (what every rebuild does: the cache between runs holds what an
  earlier build of exactly these inputs made);
* a changed profile (its version changed every round, so the document is really
  assembled and rendered again; the library and the templates come from the cache);
* an empty cache (the first build after installing or after a library change).

Then the changed profile's build is taken apart (benchmarks/phases.py): where its time
goes, step by step, in fresh processes, beside the time Python takes to start.

The ratio to pandoc is printed with its target (at most 1.5), of the wall times and of
the processor times (user and system, from ``getrusage``): on a shared machine the wall
time of each process depends on what else runs, its processor time much less.
"""
from __future__ import annotations

import resource
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Callable

TARGET = 1.5


def _spread(times: list[float]) -> str:
    return (f"median {statistics.median(times):.3f} s (min {min(times):.3f}, "
            f"max {max(times):.3f}, {len(times)} runs)")


def _cpu() -> float:
    """Processor time (user and system) of every finished child process so far."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _timed(run: Callable[..., float], cpu: list[float]) -> Callable[..., float]:
    """``run``, also appending each command's processor time to ``cpu``."""
    def timed(*args, **kwargs) -> float:
        before = _cpu()
        wall = run(*args, **kwargs)
        cpu.append(_cpu() - before)
        return wall
    return timed


def single_vs_pandoc(work: Path, profile: Path, runs: int, command: list[str],
                     run: Callable[..., float], env: dict[str, str]) -> None:
    """Print pandoc's conversion and protocol-gen's build of ``profile`` side by side."""
    folder = work / "single"
    changed = folder / "changed" / profile.name
    changed.parent.mkdir(parents=True, exist_ok=True)
    text = profile.read_text(encoding="utf-8")
    stem = profile.stem

    def build(source: Path, i: int, kind: str, **extra) -> float:
        return run(command + ["build", str(source), "--out", str(folder / f"{kind}-{i}"), "-q"],
                   env={**env, **extra})
    build(profile, 0, "first")                  # the Markdown pandoc converts
    md = folder / "first-0" / stem / f"{stem}-member-officer-protocol.md"
    pandoc, same, other, cold = [], [], [], []
    cpu: dict[str, list[float]] = {"pandoc": [], "same": [], "other": [], "cold": []}
    for i in range(runs):
        pandoc.append(_timed(run, cpu["pandoc"])(
            ["pandoc", str(md), "-o", str(folder / f"pandoc-{i}.docx")]))
        same.append(_timed(build, cpu["same"])(profile, i, "same"))
        changed.write_text(text.replace('version: "', f'version: "{i + 2}.', 1)
                           if 'version: "' in text else text + f"\n# round {i}\n",
                           encoding="utf-8")
        other.append(_timed(build, cpu["other"])(changed, i, "changed"))
    for i in range(3):
        cold.append(_timed(build, cpu["cold"])(profile, i, "cold",
                                               PROTOCOLGEN_CACHE=str(folder / f"empty-{i}")))
    base, base_cpu = statistics.median(pandoc), statistics.median(cpu["pandoc"])
    words = len(md.read_text(encoding="utf-8").split())
    print(f"single  pandoc {md.name} -o X.docx ({words} words, fresh process): "
          f"{_spread(pandoc)}; processor time {statistics.median(cpu['pandoc']):.3f} s")
    for label, times, used in (("unchanged profile", same, cpu["same"]),
                               ("changed profile, the document built again", other,
                                cpu["other"]),
                               ("empty cache, first build after installing", cold,
                                cpu["cold"])):
        ratio = statistics.median(times) / base
        print(f"single  protocol-gen build {profile.name}, {label}: {_spread(times)}; "
              f"{ratio:.2f} x pandoc (target: at most {TARGET}); processor time "
              f"{statistics.median(used):.3f} s, {statistics.median(used) / base_cpu:.2f} x "
              "pandoc's")
    where_time_goes(folder, changed, runs, run, env)


def where_time_goes(folder: Path, profile: Path, runs: int, run: Callable[..., float],
                    env: dict[str, str]) -> None:
    """Print the median processor time of each step of a changed profile's build
    (benchmarks/phases.py, in ``runs`` fresh processes) and of starting Python."""
    script = Path(__file__).with_name("phases.py")
    steps: dict[str, list[float]] = {}
    for i in range(runs):
        done = subprocess.run([sys.executable, str(script), str(profile),
                               str(folder / f"phases-{i}")], env=env, capture_output=True,
                              text=True, check=True)
        for line in done.stdout.splitlines():
            ms, name = line.split("\t", 1)
            steps.setdefault(name, []).append(float(ms))
    start: list[float] = []
    for _ in range(runs):
        _timed(run, start)([sys.executable, "-c", "pass"])
    rows = [("start Python (python -c pass)", [t * 1000 for t in start]), *steps.items()]
    total = sum(statistics.median(times) for _, times in rows)
    print(f"single  where the changed profile's build goes: processor time, median of {runs} "
          f"fresh processes (sum {total:.0f} ms):")
    for name, times in rows:
        print(f"single    {statistics.median(times):6.1f} ms  {name}")
