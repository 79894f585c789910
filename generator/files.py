"""Safe output paths and atomic writes (used by the CLI, which alone writes files)."""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from .errors import OutputError, Problem

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
SUFFIX = "-member-officer-protocol"


def safe_stem(profile_path: Path | str) -> str:
    """The output name for a profile: its file name without .yaml, reduced to safe
    characters (letters, digits, '.', '_', '-'), never empty, never '.' or '..'."""
    name = Path(str(profile_path)).name
    for ext in (".yaml", ".yml"):
        if name.lower().endswith(ext):
            name = name[: -len(ext)]
    stem = _UNSAFE.sub("-", name).strip(".-_") or "council"
    return stem[:100]


def output_path(out_dir: Path, stem: str, fmt: str) -> Path:
    """``<out>/<stem>/<stem>-member-officer-protocol.<fmt>``, checked to lie inside out."""
    out_dir = Path(out_dir)
    path = out_dir / stem / f"{stem}{SUFFIX}.{fmt}"
    root = out_dir.resolve()
    target = path.parent.resolve()
    if target != root and root not in target.parents:
        raise OutputError(Problem(f"refusing to write outside the output folder: {path}",
                                  file=str(path),
                                  hint="remove the link in the output folder that points "
                                       "elsewhere"))
    return path


def atomic_write(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` via a temporary file and rename, so that an
    interrupted write never leaves a partial file. Returns False when the file already
    held exactly these bytes (and leaves it untouched)."""
    path = Path(path)
    try:
        if path.is_file() and not path.is_symlink() and path.read_bytes() == data:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink():
            raise OutputError(Problem("the output file is a symbolic link; refusing to "
                                      "follow it", file=str(path),
                                      hint="delete the link and build again"))
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError as exc:
        raise OutputError(Problem(f"cannot write the file: {exc.strerror}", file=str(path),
                                  hint="check the folder exists and you may write to it")) \
            from None
    return True
