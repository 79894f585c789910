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
