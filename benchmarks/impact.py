"""The `impact` timing of benchmarks/run.py: which of N councils a change in the law touches.

``protocol-gen impact FOLDER --format json -o impact.json`` over N synthetic councils (the
same variations as the batch), in a fresh process, timed as a user would see it. The
synthetic councils were adopted between 2020 and 2026, so the register's changes of 2024
to 2026 (a new duty on employers, the Employment Rights Act 2025, the English Devolution
and Community Empowerment Act 2026) touch some of them and not others.
"""
from __future__ import annotations

import json
from pathlib import Path


def impact(work: Path, n: int, write_profiles, protocol_gen, run, runs: int = 3) -> None:
    folder = work / f"impact-{n}"
    write_profiles(folder / "profiles", n)
    out = folder / "impact.json"
    cmd = protocol_gen() + ["impact", str(folder / "profiles"), "--date", "2026-12-06",
                            "--format", "json", "-o", str(out)]
    times = sorted(run(cmd) for _ in range(runs))
    data = json.loads(out.read_text("utf-8"))
    affected = sum(1 for c in data["councils"] if c["affected"])
    overdue = sum(1 for c in data["councils"] if c["review"] == "overdue")
    print(f"impact  protocol-gen impact FOLDER ({n} councils, fresh process), {runs} runs: "
          f"median {times[len(times) // 2]:.2f} s (min {times[0]:.2f}, max {times[-1]:.2f}; "
          f"target: under 30 s); {affected} affected by a change in the law, {overdue} "
          "with the review overdue")


def impact_build(work: Path, n: int, write_profiles, protocol_gen, run) -> None:
    """``impact FOLDER --build`` beside ``build FOLDER --redline --report`` over the same
    N councils, each into a fresh folder: time per council built."""
    folder = work / f"impact-build-{n}"
    profiles = folder / "profiles"
    write_profiles(profiles, n)
    probe = folder / "impact.json"
    run(protocol_gen() + ["impact", str(profiles), "--date", "2026-12-06", "--format",
                          "json", "-o", str(probe)])
    affected = sum(1 for c in json.loads(probe.read_text("utf-8"))["councils"]
                   if c["affected"])
    built = run(protocol_gen() + ["build", str(profiles), "--redline", "--report", "-q",
                                  "--out", str(folder / "build")])
    papers = run(protocol_gen() + ["impact", str(profiles), "--date", "2026-12-06", "--build",
                                   "-q", "--out", str(folder / "impact"), "-o",
                                   str(folder / "impact.md")])
    print(f"impact  protocol-gen impact FOLDER --build ({n} councils, {affected} affected): "
          f"{papers:.2f} s, {papers / max(affected, 1) * 1000:.1f} ms per council built; "
          f"build FOLDER --redline --report: {built:.2f} s, {built / n * 1000:.1f} ms per "
          "council (target: impact --build no slower per council)")
