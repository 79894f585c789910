"""A clerk's single build beside pandoc's one conversion of the same protocol.

Each round runs, in fresh processes one after the other (so both see the same moment of a
shared machine): ``pandoc X.md -o X.docx`` on the protocol's Markdown, then
``protocol-gen build PROFILE --out FRESH -q`` of the same council, for

* the unchanged profile (what every rebuild does: the cache between runs holds what an
  earlier build of exactly these inputs made);
* a changed profile (its version changed every round, so the document is really
  assembled and rendered again; the library and the templates come from the cache);
* an empty cache (the first build after installing or after a library change).

The ratio to pandoc is printed with its target (at most 1.5).
"""
from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Callable

TARGET = 1.5


def _spread(times: list[float]) -> str:
    return (f"median {statistics.median(times):.3f} s (min {min(times):.3f}, "
            f"max {max(times):.3f}, {len(times)} runs)")


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
    for i in range(runs):
        pandoc.append(run(["pandoc", str(md), "-o", str(folder / f"pandoc-{i}.docx")]))
        same.append(build(profile, i, "same"))
        changed.write_text(text.replace('version: "', f'version: "{i + 2}.', 1)
                           if 'version: "' in text else text + f"\n# round {i}\n",
                           encoding="utf-8")
        other.append(build(changed, i, "changed"))
    for i in range(3):
        cold.append(build(profile, i, "cold", PROTOCOLGEN_CACHE=str(folder / f"empty-{i}")))
    base = statistics.median(pandoc)
    words = len(md.read_text(encoding="utf-8").split())
    print(f"single  pandoc {md.name} -o X.docx ({words} words, fresh process): "
          f"{_spread(pandoc)}")
    for label, times in (("unchanged profile", same),
                         ("changed profile, the document built again", other),
                         ("empty cache, first build after installing", cold)):
        ratio = statistics.median(times) / base
        print(f"single  protocol-gen build {profile.name}, {label}: {_spread(times)}; "
              f"{ratio:.2f} x pandoc (target: at most {TARGET})")
