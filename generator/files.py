"""Safe output paths and atomic writes (used by the CLI and the batch builder, which
alone write files).

Output paths come only from the profile's file name, reduced to safe characters, and
always lie inside the output folder: a symbolic link planted there (for the council's
folder, or for a file in it) is refused, never followed. Every file is written to a
temporary file beside it and renamed into place, so a build stopped at any moment
(Ctrl-C, a crash, a killed process) leaves each file either as it was or complete.
A temporary file left behind by a killed build is named
``.<file>.<pid>.<random>.tmp``; the next write of that file removes it once its
process is gone.
"""
from __future__ import annotations

import os
from pathlib import Path
import re
import tempfile
import time
import unicodedata
from typing import Callable

from .errors import OutputError, Problem

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                     *(f"LPT{i}" for i in range(1, 10))}
SUFFIX = "-member-officer-protocol"
MAX_STEM = 100
STALE_AFTER = 3600   # seconds after which any leftover temporary file is removed
_LINK_HINT = ("remove the link in the output folder that points elsewhere (or choose "
              "another --out folder)")


def safe_stem(profile_path: Path | str) -> str:
    """The output name for a profile: its file name without .yaml, reduced to safe
    characters (letters, digits, '.', '_', '-'; accents dropped, so 'Llanŵ' gives
    'Llanw'), never empty, never '.' or '..', at most 100 characters."""
    name = Path(str(profile_path)).name
    for ext in (".yaml", ".yml"):
        if name.lower().endswith(ext):
            name = name[: -len(ext)]
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    stem = _UNSAFE.sub("-", name).strip(".-_")[:MAX_STEM].strip(".-_") or "council"
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = f"{stem}-council"
    return stem


def inside(root: Path, path: Path) -> bool:
    """Whether ``path`` (following any links) lies in or under the folder ``root``."""
    root = Path(root).resolve()
    target = Path(path).resolve()
    return target == root or root in target.parents


def output_path(out_dir: Path, stem: str, fmt: str) -> Path:
    """``<out>/<stem>/<stem>-member-officer-protocol.<fmt>``, checked to lie inside out."""
    out_dir = Path(out_dir)
    if stem != safe_stem(stem):
        raise OutputError(Problem(f"'{stem}' is not a safe output name", file=stem,
                                  hint="output names come from the profile's file name"))
    path = out_dir / stem / f"{stem}{SUFFIX}.{fmt}"
    if not inside(out_dir, path.parent) or path.parent.is_symlink():
        raise OutputError(Problem(f"refusing to write outside the output folder: "
                                  f"{path.parent} is a link to {path.parent.resolve()}",
                                  file=str(path), hint=_LINK_HINT))
    return path


def atomic_write(path: Path, data: bytes, *, within: Path | None = None) -> bool:
    """Write ``data`` to ``path`` via a temporary file and rename, so that an
    interrupted write never leaves a partial file. Returns False when the file already
    held exactly these bytes (and leaves it untouched). A path that is a symbolic link
    is refused; so is one outside the folder ``within``, when given."""
    path = Path(path)
    if within is not None and not inside(within, path.parent):
        raise OutputError(Problem(f"refusing to write outside the output folder: "
                                  f"{path.parent} leads to {path.parent.resolve()}",
                                  file=str(path), hint=_LINK_HINT))
    try:
        if path.is_symlink():
            raise OutputError(Problem(f"the output file is a link to {path.resolve()}; "
                                      "refusing to follow it", file=str(path),
                                      hint="delete the link and build again"))
        remove_stale_temporaries(path)
        if path.is_file() and path.read_bytes() == data:
            return False
        tmp = write_temporary(path, data)
        try:
            os.replace(tmp, path)
        except BaseException:
            _unlink(tmp)
            raise
    except OSError as exc:
        raise OutputError(Problem(f"cannot write the file: {exc.strerror or exc}",
                                  file=str(path),
                                  hint="check the folder exists and you may write to it")) \
            from None
    return True


def atomic_create(path: Path, data: bytes, *, within: Path | None = None) -> bool:
    """Write a new file ``path`` whole, only if no file of that name exists (even one
    made a moment ago by another process): written to a temporary file, then linked
    into place, which fails rather than replaces. Returns False when the name is taken."""
    path = Path(path)
    if within is not None and not inside(within, path.parent):
        raise OutputError(Problem(f"refusing to write outside the folder {within}",
                                  file=str(path), hint=_LINK_HINT))
    if path.exists() or path.is_symlink():
        return False
    tmp = None
    try:
        tmp = write_temporary(path, data)
        os.link(tmp, path)
    except FileExistsError:
        return False
    except OSError as exc:
        raise OutputError(Problem(f"cannot write the file: {exc.strerror or exc}",
                                  file=str(path),
                                  hint="check the folder exists and you may write to it")) \
            from None
    finally:
        if tmp is not None:
            _unlink(tmp)
    return True


def write_temporary(path: Path, data: bytes) -> str:
    """``data`` written whole (and synced) to a new hidden temporary file beside ``path``,
    named ``.<name>.<process id>.<random>.tmp``; returns its name. Nothing is left behind
    when writing fails (the OSError is raised)."""
    _make_folder(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp",
                               dir=path.parent)
    try:
        _usual_permissions(fd)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        _unlink(tmp)
        raise
    return tmp


def _unlink(name: str) -> None:
    try:
        os.unlink(name)
    except OSError:
        pass


def _usual_permissions(fd: int) -> None:
    """Give a new file the permissions any other new file would get (read and write
    for everyone, less the user's umask), not the owner-only ones of a temporary file,
    so a shared drive or web server can read the protocol."""
    if os.name != "posix":
        return
    mask = os.umask(0o077)
    os.umask(mask)
    os.fchmod(fd, 0o666 & ~mask)


def _make_folder(folder: Path) -> None:
    """Create ``folder`` (and its parents), saying clearly when a file is in the way."""
    for step in (folder, *folder.parents):
        if step.exists() or step.is_symlink():
            if not step.is_dir():
                raise OutputError(Problem(f"{step} is a file, not a folder", file=str(step),
                                          hint="move or rename that file, or write somewhere "
                                               "else (build: another --out folder)"))
            break
    folder.mkdir(parents=True, exist_ok=True)


def temporaries(path: Path) -> list[Path]:
    """The temporary files :func:`atomic_write` may have left beside ``path``."""
    path = Path(path)
    if not path.parent.is_dir():
        return []
    prefix, suffix = f".{path.name}.", ".tmp"
    return sorted(p for p in path.parent.iterdir()
                  if p.name.startswith(prefix) and p.name.endswith(suffix))


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Remove the temporary files a killed build left beside ``path``: those whose
    process has gone (where that can be told) or that are older than an hour. Files
    being written right now by a running build are left alone."""
    removed = []
    for tmp in temporaries(path):
        middle = tmp.name[len(f".{Path(path).name}."):-len(".tmp")]
        pid_text = middle.split(".", 1)[0]
        try:
            stale = (time.time() - tmp.lstat().st_mtime > STALE_AFTER
                     or (pid_text.isdigit() and not _running(int(pid_text))))
            if stale and not tmp.is_dir():
                tmp.unlink()
                removed.append(tmp)
        except OSError:
            continue
    return removed


def _running(pid: int) -> bool:
    """Whether process ``pid`` exists (always True where that cannot be asked safely)."""
    if os.name != "posix" or pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True   # exists, but belongs to someone else
    return True


def refuse_to_replace(target: Path, inputs: list[Path], *, what: str,
                      ours: Callable[[bytes], bool], force: bool = False) -> None:
    """Raise unless writing ``target`` is safe: never over one of ``inputs`` (the files
    being read), and over an existing file only when ``ours`` recognises it as one this
    tool wrote as ``what`` (a redline, a change summary), or with ``force``."""
    target = Path(target)
    if not (target.exists() or target.is_symlink()):
        return
    for given in inputs:
        try:
            same = os.path.samefile(target, given)
        except OSError:
            same = False
        if same:
            raise OutputError(Problem(
                f"refusing to write the {what} over {given}, one of the files being "
                "compared; it is left as it was", file=str(target),
                hint=f"name another file for the {what}"))
    if target.is_dir():
        raise OutputError(Problem(f"{target} is a folder", file=str(target),
                                  hint=f"name a file for the {what}"))
    if force:
        return
    try:
        data = target.read_bytes()
    except OSError as exc:
        raise OutputError(Problem(f"cannot read the existing file: {exc.strerror or exc}",
                                  file=str(target), hint="name another file")) from None
    if not ours(data):
        raise OutputError(Problem(
            f"the file exists and is not a {what} protocol-gen wrote; it is left as it was",
            file=str(target), hint="name another file, or add --force to replace it"))


def read_capped(path: Path, limit: int) -> bytes:
    """At most ``limit`` bytes of a file given on the command line (a reader then
    refuses a file that fills the limit, without reading a huge file whole)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(limit)
    except OSError as exc:
        raise OutputError(Problem(f"cannot read the file: {exc.strerror or exc}",
                                  file=str(path), hint="check the name and that you may "
                                                       "read it")) from None


def replace_folder(out_dir: Path, files: dict[str, bytes], *, force: bool = False) -> None:
    """Write ``files`` (paths relative to ``out_dir``; the first part of each is a file
    or a folder of the import) so that none that exists is replaced without ``force``,
    and a folder replaced with ``force`` holds only the new files. Each file is written
    atomically; a replaced folder is swapped in whole."""
    import shutil
    out_dir = Path(out_dir)
    tops = sorted({Path(name).parts[0] for name in files})
    existing = [out_dir / t for t in tops if (out_dir / t).exists() or (out_dir / t).is_symlink()]
    if existing and not force:
        raise OutputError(Problem("already exists; an import never replaces an earlier one "
                                  "without --force", file=str(existing[0]),
                                  hint="add --force to replace it, or choose another --out "
                                       "folder"))
    for top in tops:
        target = out_dir / top
        inner = {n: d for n, d in files.items() if Path(n).parts[0] == top}
        if len(inner) == 1 and top in inner:
            atomic_write(target, inner[top], within=out_dir)
            continue
        staging = out_dir / f".{top}.{os.getpid()}.new"
        if staging.exists():
            shutil.rmtree(staging)
        for name, data in inner.items():
            atomic_write(staging / Path(name).relative_to(top), data, within=out_dir)
        old = out_dir / f".{top}.{os.getpid()}.old"
        if target.is_symlink() or target.is_file():
            target.unlink()
        elif target.exists():
            os.replace(target, old)
        os.replace(staging, target)
        if old.exists():
            shutil.rmtree(old)
