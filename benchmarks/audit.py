"""The audit of a council's existing protocol: ``protocol-gen audit protocol.docx`` in a
fresh process, on a Word file of 5,000 words in the shapes clerks bring.

The protocol is the source protocols' text in order (West Suffolk, Milcombe, Halstead,
Blaenavon: headings, numbered paragraphs and lists with their lead-ins) up to
:data:`WORDS` words, laid out by tests/corpus_shapes.py two ways: typed by hand (numbers
typed, headings in bold body text, list items as separate paragraphs ending "; and") and
with Word's automatic multi-level numbering. The package and libraries are compiled to
bytecode before (run.py's ``environment``); each file is audited once untimed (filling
the cache between runs), then ``runs`` times; then three times with an empty cache. The
target is printed beside the figures: under :data:`TARGET` seconds. So are the processor
times (user and system, from ``getrusage``): on a shared machine they depend much less
than the wall time on what else runs.
"""
from __future__ import annotations

import resource
import statistics
import sys
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("west-suffolk", "milcombe", "halstead", "blaenavon")
WORDS = 5000
TARGET = 1.0


def _shapes():
    """tests/corpus_shapes.py, which lays a protocol out as clerks' files are."""
    if str(ROOT / "tests") not in sys.path:
        sys.path.insert(0, str(ROOT / "tests"))
    import corpus_shapes
    return corpus_shapes


def protocol_blocks(words: int = WORDS) -> list:
    """The blocks (tests/corpus_shapes.py) of one protocol of about ``words`` words: the
    first source's title, then every source's body in turn, stopping at the first heading
    or paragraph once there are enough words (a list is never cut from its lead-in)."""
    shapes = _shapes()
    blocks = []
    for i, key in enumerate(SOURCES):
        text = (ROOT / "clause_library" / "sources" / f"{key}.txt").read_text(encoding="utf-8")
        blocks += [b for b in shapes.from_source(text)
                   if b.kind != "adoption" and (i == 0 or b.kind != "title")]
    out, count = [], 0
    for b in blocks:
        if count >= words and b.kind != "item":
            break
        out.append(b)
        count += len(b.text.split()) if b.kind != "title" else 0
    return out


def audit_files(folder: Path, words: int = WORDS) -> dict[str, Path]:
    """The protocol as a Word file typed by hand and one with automatic numbering."""
    shapes = _shapes()
    blocks = protocol_blocks(words)
    folder.mkdir(parents=True, exist_ok=True)
    made = {"typed by hand": ("typed.docx", shapes.typed_docx(shapes.typed_endings(blocks))),
            "automatic numbering": ("numbered.docx", shapes.numbered_docx(blocks))}
    out = {}
    for label, (name, data) in made.items():
        (folder / name).write_bytes(data)
        out[label] = folder / name
    return out


def _words(path: Path) -> int:
    import docx
    return sum(len(p.text.split()) for p in docx.Document(path).paragraphs)


def audit(work: Path, runs: int, command: list[str], run: Callable[..., float],
          env: dict[str, str]) -> None:
    """Print the audit's times for each shape of the 5,000-word protocol."""
    folder = work / "audit"
    files = audit_files(folder)

    cpu: list[float] = []

    def once(path: Path, **extra) -> float:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = run(command + ["audit", str(path), "--format", "json", "-o",
                              str(folder / "report.json")], env={**env, **extra})
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        return wall
    for label, path in files.items():
        once(path)                                  # bytecode and cache, untimed
        cpu.clear()
        times = [once(path) for _ in range(runs)]
        print(f"audit   protocol-gen audit protocol.docx ({_words(path)} words, {label}, "
              f"fresh process), {runs} runs: median {statistics.median(times):.3f} s (min "
              f"{min(times):.3f}, max {max(times):.3f}; target: under {TARGET:.0f} s); "
              f"processor time {statistics.median(cpu):.3f} s")
    path = next(iter(files.values()))
    cold = [once(path, PROTOCOLGEN_CACHE=str(work / f"audit-empty-cache{i}"))
            for i in range(3)]
    print(f"audit   the same, typed by hand, with an empty cache, 3 runs: median "
          f"{statistics.median(cold):.3f} s")
