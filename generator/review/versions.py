"""The review workflow: never overwrite a generated protocol silently.

When a build would replace a protocol file whose content differs, the earlier file is
kept first under ``<out>/<stem>/previous/``, named with the version it carried
(``<stem>-member-officer-protocol-v1.0.md``; ``-v1.0-2.md`` and so on when that name
is taken by different bytes). An identical rebuild touches nothing.
"""
from __future__ import annotations

import io
from pathlib import Path
import re

from ..files import atomic_write

PREVIOUS = "previous"
_MD_VERSION = re.compile(r"^Version (?P<version>.+?)\.(?:\s|$)", re.MULTILINE)
_TEXT_VERSION = re.compile(r"\bVersion\s+(?P<version>[0-9][\w.\-/]*?)\.?(?:\s|$)")
_UNSAFE = re.compile(r"[^A-Za-z0-9.]+")


def previous_folder(target: Path) -> Path:
    return Path(target).parent / PREVIOUS


def version_of(path: Path) -> str | None:
    """The version a generated protocol file states, or None when it states none.

    Markdown: the 'Version 1.0.' line under the title. DOCX: the core properties'
    version, else the first 'Version ...' in the opening paragraphs."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    suffix = path.suffix.lower()
    if suffix == ".md":
        head = data[:4000].decode("utf-8", errors="replace")
        found = _MD_VERSION.search(head)
        return found.group("version").replace("\\", "") if found else None
    if suffix == ".docx":
        return _docx_version(data)
    return None


def _docx_version(data: bytes) -> str | None:
    import docx
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - not a readable DOCX: no version
        return None
    if document.core_properties.version:
        return document.core_properties.version.strip() or None
    for paragraph in document.paragraphs[:40]:
        found = _TEXT_VERSION.search(paragraph.text)
        if found:
            return found.group("version")
    return None


def kept_name(target: Path, version: str | None) -> str:
    """``<name>-v<version><ext>`` (or ``<name>-earlier<ext>`` without a version)."""
    target = Path(target)
    tag = f"v{_UNSAFE.sub('-', version).strip('-.')}" if version else "earlier"
    return f"{target.stem}-{tag}{target.suffix}"


def keep_previous(target: Path, new_data: bytes) -> Path | None:
    """Copy ``target`` into ``previous/`` when ``new_data`` would change it.

    Returns the kept copy's path (an existing identical copy is reused), or None when
    there is nothing to keep."""
    target = Path(target)
    if not target.is_file() or target.is_symlink():
        return None
    old = target.read_bytes()
    if old == new_data:
        return None
    folder = previous_folder(target)
    base = kept_name(target, version_of(target))
    stem, suffix = base[: -len(target.suffix)] if target.suffix else base, target.suffix
    candidate = folder / base
    sequence = 1
    while candidate.exists():
        if candidate.is_file() and candidate.read_bytes() == old:
            return candidate
        sequence += 1
        candidate = folder / f"{stem}-{sequence}{suffix}"
    atomic_write(candidate, old, within=target.parent)   # previous/ may not be a link out
    return candidate


def latest_previous(target: Path) -> Path | None:
    """The most recently kept earlier copy of ``target`` (same format), if any."""
    folder = previous_folder(target)
    if not folder.is_dir():
        return None
    target = Path(target)
    prefix = f"{target.stem}-"
    kept = [p for p in folder.iterdir() if p.is_file() and not p.is_symlink()
            and p.suffix == target.suffix and p.name.startswith(prefix)]
    if not kept:
        return None
    return max(kept, key=lambda p: (p.stat().st_mtime_ns, p.name))
