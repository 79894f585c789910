"""What the ``protocol-gen`` commands share: printing problems, reading the library with any
house folders, finding the profiles named on the command line, the --library option."""
from __future__ import annotations

from pathlib import Path

import click

from .errors import Problem, ProtocolGenError

PROFILE_EXTS = (".yaml", ".yml")


def echo_problems(problems: list[Problem]) -> None:
    for p in problems:
        click.echo(str(p), err=True)


def echo_lines(lines: list[tuple[str, bool]]) -> None:
    """Print (text, to_stderr) lines."""
    for text, err in lines:
        click.echo(text, err=err)


def library_for(folders: tuple[str, ...] = ()):
    from .library.clauses import load_library
    check_house_folders(folders)
    return load_library(library_folders(folders))


def check_house_folders(folders: tuple[str, ...]) -> None:
    """Give house folders the whole 'library check' up front, so a mistake in a house
    clause is reported once, with its fix, whichever profile would have used it."""
    if not folders:
        return
    from .errors import LibraryError
    from .library.clauses import check_library, read_library
    lib, problems = read_library(library_folders(folders))
    problems = problems or check_library(lib)
    if problems:
        raise LibraryError(problems)


def library_folders(folders: tuple[str, ...] = ()) -> list[str] | None:
    """The shipped library with house folders layered over it (None: shipped only)."""
    from .library.clauses import SHIPPED
    return [str(SHIPPED), *folders] if folders else None


def expand(paths: tuple[str, ...]) -> list[Path]:
    """Profile files named directly, and every *.yaml in named folders (sorted)."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in PROFILE_EXTS
                           and p.is_file())
            if not found:
                raise ProtocolGenError("no profiles (*.yaml) in the folder", file=raw,
                                       hint="name a folder holding council profiles")
            out.extend(found)
        else:
            out.append(path)
    seen: set[Path] = set()           # a profile named twice (or by two routes) is built once
    unique = []
    for path in out:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


library_option = click.option(
    "--library", "libraries", multiple=True, type=click.Path(file_okay=False),
    help="A folder of house clauses layered over the shipped library (repeatable).")
