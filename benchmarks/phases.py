"""Where a changed profile's single build spends its time, step by step, in one process.

Run by benchmarks/single.py as ``python benchmarks/phases.py PROFILE OUT`` in a fresh
process (after a build of the same profile, so the cache holds what a clerk's next build
finds): it takes the steps of ``protocol-gen build PROFILE --out OUT -q`` one after the
other, importing each library just before the first step that needs it, so that each
import is counted on its own, and prints one line per step, ``milliseconds<TAB>step``.
Starting Python itself is timed by single.py (``python -c pass``).
"""
from __future__ import annotations

import gc
import sys
import time

gc.disable()                  # as protocol-gen build does for one profile
_last = time.process_time()


def step(name: str) -> None:
    """Print the processor time since the last step."""
    global _last
    now = time.process_time()
    print(f"{(now - _last) * 1000:.2f}\t{name}")
    _last = now


def main(profile: str, out: str) -> None:
    import click  # noqa: F401
    step("import click")
    import generator.cli  # noqa: F401
    step("import generator.cli (the command line)")
    from pathlib import Path

    from generator import cache
    from generator.batch import Request
    from generator.buildcache import look_up
    step("import generator.batch, buildcache, cache (tempfile, pickle, hashlib)")
    path = Path(profile)
    kept = look_up(path, Request(out), None)
    step("cache look-up (digests of the code, the profile and the library)")
    import yaml  # noqa: F401
    step("import PyYAML")
    import pydantic.main  # noqa: F401
    step("import pydantic (with pydantic-core)")
    import jinja2  # noqa: F401
    step("import Jinja2")
    from generator.profile import model
    step("import generator.profile.model (pydantic's types, annotated-types, the models)")
    from generator.library.clauses import load_library
    step("import generator.library.clauses (the library's types, the template sandbox)")
    library = load_library(None)
    step("the validated library, from the cache")
    cache.note_from(kept.notes if kept else None)
    from generator.profile.load import load_profile
    step("import generator.profile.load")
    import importlib.metadata  # noqa: F401
    step("import importlib.metadata (pydantic looks up its plugins)")
    model.Profile.model_rebuild()
    step("pydantic builds the profile's validator")
    profile_, _ = load_profile(path)
    step("read and validate the profile")
    from generator import pipeline
    import generator.assemble  # noqa: F401
    step("import generator.assemble")
    doc = pipeline.assemble(profile_, library)
    step("assemble (conditions, wordings, templates, numbering)")
    pipeline.property_warnings(doc, path)
    pipeline._length(doc, profile_, path)
    step("warnings")
    md = pipeline.render(doc, "md")
    step("render Markdown")
    import lxml.etree  # noqa: F401
    step("import lxml")
    import docx  # noqa: F401
    step("import python-docx")
    import generator.render.docx  # noqa: F401
    step("import generator.render.docx")
    data = pipeline.render(doc, "docx")
    step("render DOCX")
    from generator.files import output_path
    from generator.writeset import write_together
    write_together({output_path(Path(out), path.stem, "md"): md,
                    output_path(Path(out), path.stem, "docx"): data})
    step("write both files (each to a temporary file, synced, then renamed)")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
