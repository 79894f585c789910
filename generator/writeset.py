"""One council's files written together, under a lock on its output folder.

Every format of a council (and its drafting copy, redline and summary) is first written
to a temporary file beside its target; only when all are complete are they renamed into
place, one after another. When a rename fails (Word, or a shared drive, holding a file
open; a read-only file), the files already renamed are put back as they were, so the
council's Markdown and DOCX never disagree. While a council's files are written, its
folder is locked (``.protocol-gen.lock``, with the standard library's file locking, which
the system releases when the process ends however it ends); a second build of the same
council waits for it (at most :data:`LOCK_WAIT` seconds, or ``PROTOCOLGEN_LOCK_WAIT``), then
fails, naming the process that holds the lock.
"""
from __future__ import annotations

from dataclasses import dataclass
import errno
import os
from pathlib import Path
import time

from .errors import OutputError, Problem
from .files import _make_folder, remove_stale_temporaries, write_temporary

LOCK_NAME = ".protocol-gen.lock"
LOCK_WAIT = 15.0    # seconds a build waits for another build of the same council
_IN_USE = {errno.EACCES, errno.EPERM, errno.EBUSY, errno.ETXTBSY, errno.EROFS}


class FolderLock:
    """An exclusive lock on one output folder (a context manager): waits a while for
    another build of the same council to finish, then gives up with a clear error."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.path = self.folder / LOCK_NAME
        self.fd: int | None = None

    def __enter__(self) -> "FolderLock":
        _make_folder(self.folder)
        try:
            return self._acquire()
        except OSError as exc:
            raise OutputError(Problem(f"cannot write in the folder: {exc.strerror or exc}",
                                      file=str(self.folder),
                                      hint="check you may write to it (or build into "
                                           "another --out folder)")) from None

    def _acquire(self) -> "FolderLock":
        deadline = time.monotonic() + _lock_wait()
        for _ in range(20):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            locked = _try_lock(fd)
            while not locked and time.monotonic() < deadline:
                time.sleep(0.05)
                locked = _try_lock(fd)
            if not locked:
                holder = _holder(self.path)
                os.close(fd)
                raise OutputError(Problem(
                    f"another protocol-gen ({holder}) is still writing this council's "
                    "files; nothing was written", file=str(self.folder),
                    hint="wait for that build to finish and build again, or build into "
                         "another --out folder"))
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except OSError:
                same = False
            if same:     # not a lock file its last holder removed as we opened it
                self.fd = fd
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode("ascii"))
                return self
            os.close(fd)
        raise OutputError(Problem("could not lock the output folder", file=str(self.folder),
                                  hint="build again"))

    def __exit__(self, *exc) -> None:
        if self.fd is None:
            return
        try:
            os.unlink(self.path)     # while still holding it: the next build makes its own
        except OSError:
            pass
        os.close(self.fd)            # closing releases the lock
        self.fd = None


def _lock_wait() -> float:
    """How long to wait for another build's lock: ``PROTOCOLGEN_LOCK_WAIT`` seconds, else
    :data:`LOCK_WAIT`."""
    try:
        return max(0.0, float(os.environ.get("PROTOCOLGEN_LOCK_WAIT", LOCK_WAIT)))
    except ValueError:
        return LOCK_WAIT


_HELD = {errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES, getattr(errno, "EDEADLOCK", -1)}


def _try_lock(fd: int) -> bool:
    """Lock ``fd``; False when another process holds the lock. A file system that cannot
    lock at all (some network drives) is written without the lock, as before locks."""
    try:
        if os.name == "nt":
            import msvcrt
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        return exc.errno not in _HELD
    return True


def _holder(path: Path) -> str:
    try:
        pid = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        pid = ""
    return f"process {pid}" if pid.isdigit() else "another process"


@dataclass(frozen=True)
class Staged:
    path: Path
    temporary: Path
    old: bytes | None          # what the file held before (None: it did not exist)


def write_together(files: dict[Path, bytes]) -> dict[Path, bool]:
    """Write every file, or none: each to a temporary file first, then all renamed into
    place; when one cannot be renamed, those already renamed get their earlier bytes
    back (or are removed when they are new) and an :class:`OutputError` says why.
    Returns, for each path, whether it changed (False: it already held these bytes)."""
    changed: dict[Path, bool] = {}
    staged: list[Staged] = []
    done: list[Staged] = []
    try:
        for path, data in files.items():
            path = Path(path)
            old = _current(path)
            changed[path] = old != data
            if changed[path]:
                staged.append(Staged(path, _stage(path, data), old))
        for item in staged:
            try:
                os.replace(item.temporary, item.path)
            except OSError as exc:
                raise replace_error(item.path, exc) from None   # put back below
            done.append(item)
    except BaseException:
        if len(done) < len(staged):
            _put_back(done)
        raise
    finally:
        for item in staged:
            _remove(item.temporary)
    return changed


def _current(path: Path) -> bytes | None:
    if path.is_symlink():
        raise OutputError(Problem(f"the output file is a link to {path.resolve()}; "
                                  "refusing to follow it", file=str(path),
                                  hint="delete the link and build again"))
    remove_stale_temporaries(path)
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError as exc:
        raise replace_error(path, exc) from None


def _stage(path: Path, data: bytes) -> Path:
    try:
        tmp = write_temporary(path, data)
    except OSError as exc:
        raise OutputError(Problem(f"cannot write the file: {exc.strerror or exc}; nothing "
                                  "of this council was changed", file=str(path),
                                  hint="check the folder exists and you may write to it")) \
            from None
    return Path(tmp)


def _put_back(done: list[Staged]) -> None:
    """Undo the renames already made, newest first."""
    for item in reversed(done):
        try:
            if item.old is None:
                os.unlink(item.path)
            else:
                os.replace(write_temporary(item.path, item.old), item.path)
        except OSError:
            continue


def replace_error(path: Path, exc: OSError) -> OutputError:
    """The error for a file that cannot be read or replaced (open in Word, read-only)."""
    reason = exc.strerror or str(exc)
    if exc.errno in _IN_USE or isinstance(exc, PermissionError):
        return OutputError(Problem(
            f"cannot replace the file ({reason}): it may be open in Word or another "
            "program, or read-only; none of this council's files was changed",
            file=str(path), hint="close the file (in Word, or wherever it is open on a "
                                 "shared drive) and build again"))
    return OutputError(Problem(f"cannot replace the file ({reason}); none of this "
                               "council's files was changed", file=str(path),
                               hint="check you may write to the folder and build again"))


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
