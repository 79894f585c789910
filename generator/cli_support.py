"""What the ``protocol-gen`` commands share: printing problems, reading the library with any
house folders, finding the profiles named on the command line, the --library option."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import click

from .errors import Problem, ProtocolGenError

PROFILE_EXTS = (".yaml", ".yml")


class LazyGroup(click.Group):
    """A click group whose commands from other modules are imported only when one of them
    is run or listed (``lazy_commands``: name -> "module:attribute"), so that starting one
    command never pays for importing the others."""

    def __init__(self, *args, lazy_commands: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy_commands:
            import importlib
            module, attribute = self.lazy_commands[cmd_name].split(":")
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)


def echo_problems(problems: list[Problem]) -> None:
    for p in problems:
        click.echo(str(p), err=True)


def echo_lines(lines: list[tuple[str, bool]]) -> None:
    """Print (text, to_stderr) lines."""
    for text, err in lines:
        click.echo(text, err=err)


def library_for(folders: tuple[str, ...] = ()):
    """The shipped library with the house folders named by --library layered over it, each
    given the whole 'library check' first (a mistake in a house clause is reported once)."""
    from .library.clauses import load_house_layered
    return load_house_layered(folders)


def check_house_folders(folders: tuple[str, ...]) -> None:
    if folders:                  # none: nothing to check, and the library is not imported
        from .library.clauses import check_house_folders as check
        check(folders)


def library_folders(folders: tuple[str, ...] = ()) -> list[str] | None:
    """The shipped library with house folders layered over it (None: shipped only)."""
    if not folders:
        return None
    from .library.clauses import layered_folders
    return layered_folders(folders)


@contextmanager
def without_cycle_collection(when: bool = True, process_ends: bool = False):
    """Python's cyclic garbage collector paused while one profile is built: importing the
    libraries and building one document make many objects and little garbage, and the
    collector would otherwise look through them all again and again (about a tenth of a
    single build). Never for a batch, whose worker processes would inherit the pause.
    When the process ends straight after (``process_ends``), what the build made is set
    aside for good (``gc.freeze()``) before the collector resumes, which would otherwise
    look through all of it once more at once."""
    import gc
    if not (when and gc.isenabled()):
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if process_ends:
            gc.freeze()
        gc.enable()


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
