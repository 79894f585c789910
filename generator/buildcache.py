"""One council's built files kept between runs, used again only when nothing they were
made from has changed.

A clerk builds the same council's protocol again and again; most of a single build's time
is importing the libraries that read, assemble and render it. When ``protocol-gen build``
builds exactly one profile (Markdown, DOCX or HTML; nothing else asked for: no PDF,
redline, report, drafting copy or reference Word file), the files and warnings it made
are kept in the cache folder (:mod:`generator.cache`) beside a digest of everything they
were made from:

* the profile file's bytes, the name it was given by and where it resolves to;
* every file in each clause library folder the build used: the shipped library, the
  ``--library`` folders and the profile's own house folder;
* this package's source code, the Python version, and the installed libraries (their
  versions as installed, and their files' sizes and dates);
* the formats asked for.

The next build of the same profile looks the entry up before importing any stage: when
every digest agrees, the kept files and warnings are written as a build's would be (an
earlier, different version kept under ``previous/``, unchanged files left alone); when
any differs, the profile is built in full and the entry replaced. One entry is kept per
profile file and formats. A failed build is never kept, so its errors are always found
and reported afresh. The entry also keeps what the build worked out from its texts (markdown-it-py's tokens,
the compiled templates: :func:`generator.cache.noted`): the next build of the profile,
changed, works out only what is new, when this package's code and the installed libraries
are as they were.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
import os
from pathlib import Path
import sys

from . import cache
from .shipped import CLAUSE_LIBRARY, PACKAGE

KIND = "built"
CACHED_FORMATS = frozenset({"md", "docx", "html"})
MAX_PROFILE = 1 << 20          # bytes; a larger file is built (and refused) as usual
MAX_FOLDER = 64 << 20          # bytes in one library folder worth digesting each time
LIBRARIES = ("docx", "lxml", "jinja2", "markupsafe", "markdown_it", "mdurl", "yaml",
             "pydantic", "pydantic_core", "typing_extensions", "annotated_types", "click")


@dataclass
class Lookup:
    """A single build's entry: ``files`` and ``warnings`` when it can be used as it is."""

    key: str                                     # the entry's name: profile, formats, library
    formats: tuple[str, ...]
    inputs: str                                  # digest of the code, profile and formats
    folders: dict[str, str | None]               # library folder -> digest before the build
    files: dict[str, bytes] | None = None
    warnings: tuple = field(default=())
    notes: bytes | None = None                   # what the last build noted (cache.notes)

    def keep(self, path: Path, files: dict[str, bytes], warnings, used_folders,
             reference_docx: str | None) -> None:
        """Keep what a full build of the profile made, when every input is as it was
        before the build (nothing changed while it ran) and it read no other file."""
        if reference_docx or _inputs(path, self.formats) != self.inputs:
            return
        digests = {str(f): _folder_digest(str(f)) for f in used_folders}
        if any(d is None or self.folders.get(f, d) != d for f, d in digests.items()):
            return
        try:
            value = {"inputs": self.inputs, "folders": digests, "files": dict(files),
                     "warnings": tuple(warnings), "code": _code(), "notes": cache.notes()}
            cache.keep(KIND, self.key, value)
        except Exception:  # noqa: BLE001 - the cache only saves time; the build succeeded
            pass


def look_up(path: Path, request, folders: list[str] | None) -> Lookup | None:
    """The entry for building ``path`` as ``request`` asks with the library ``folders``
    (None: the shipped one), its files filled in when they can be used; None when such a
    build is not kept (no cache folder, or a request this cache does not cover)."""
    try:
        return _look_up(path, request, folders)
    except Exception:  # noqa: BLE001 - the cache only saves time: build as usual
        return None


def _look_up(path: Path, request, folders: list[str] | None) -> Lookup | None:
    formats = tuple(request.formats)
    if (request != type(request)(request.out_dir, request.formats)   # a redline, a report...
            or not set(formats) <= CACHED_FORMATS or cache.folder() is None):
        return None
    inputs = _inputs(path, formats)
    if inputs is None:
        return None
    base = tuple(map(str, folders or [CLAUSE_LIBRARY]))
    key = cache.digest(str(path), str(Path(path).resolve()), *formats, "", *base)
    lookup = Lookup(key, formats, inputs, {f: _folder_digest(f) for f in base})
    entry = cache.recall(KIND, key)
    if isinstance(entry, dict) and entry.get("code") == _code():   # same parser, same code
        lookup.notes = entry.get("notes")
    if not (isinstance(entry, dict) and entry.get("inputs") == inputs
            and set(base) <= set(entry["folders"])):
        return lookup
    for folder in entry["folders"]:             # the profile's own house folder too
        if folder not in lookup.folders:
            lookup.folders[folder] = _folder_digest(folder)
    if all(lookup.folders[f] == d for f, d in entry["folders"].items()):
        lookup.files, lookup.warnings = entry["files"], entry["warnings"]
    return lookup


def _inputs(path: Path, formats: tuple[str, ...]) -> str | None:
    """The digest of the profile file (name, place and bytes), the formats and the code."""
    try:
        if os.stat(path).st_size > MAX_PROFILE:
            return None
        data = Path(path).read_bytes()
    except OSError:
        return None
    return cache.digest(_code(), str(path), str(Path(path).resolve()), data, *formats)


@lru_cache(maxsize=None)
def _code() -> str:
    """This package's source, the Python version and the installed libraries."""
    parts: list[str | bytes] = [sys.version]
    for folder, subfolders, names in os.walk(PACKAGE):
        subfolders[:] = sorted(f for f in subfolders if f != "__pycache__")
        for name in sorted(n for n in names if n.endswith(".py")):
            with open(os.path.join(folder, name), "rb") as source:
                parts += [os.path.relpath(source.name, PACKAGE), source.read()]
    import importlib.util
    sites = set()
    for name in LIBRARIES:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec and spec.origin else ""
        info = os.stat(origin) if origin and os.path.isfile(origin) else None
        parts += [name, origin, f"{info.st_size}:{info.st_mtime_ns}" if info else "-"]
        if spec and spec.submodule_search_locations:
            sites.add(str(Path(origin).parent.parent))
        elif origin:
            sites.add(str(Path(origin).parent))
    for site in sorted(sites):
        parts += sorted(n for n in os.listdir(site) if n.endswith((".dist-info", ".egg-info")))
    return cache.digest(*parts)


def _folder_digest(folder: str) -> str | None:
    """Every file in a library folder, by place and bytes (None: unreadable or too big)."""
    root = Path(folder)
    parts: list[str | bytes] = [str(root.resolve()), str(root.is_dir())]
    total = 0
    try:
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                data = path.read_bytes()
                total += len(data)
                if total > MAX_FOLDER:
                    return None
                parts += [str(path.relative_to(root)), data]
    except (OSError, ValueError):
        return None
    return cache.digest(*parts)
