"""The ``protocol-gen`` command line: parse options, call the stages, write files, echo.

Only this module prints or writes files.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import Problem, ProtocolGenError

PROFILE_EXTS = (".yaml", ".yml")


def _echo_problems(problems: list[Problem]) -> None:
    for p in problems:
        click.echo(str(p), err=True)


def _library(folders: tuple[str, ...] = ()):
    from .library import SHIPPED, load_library
    return load_library([SHIPPED, *folders] if folders else None)


def _expand(paths: tuple[str, ...]) -> list[Path]:
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
    return out


library_option = click.option(
    "--library", "libraries", multiple=True, type=click.Path(file_okay=False),
    help="A folder of house clauses layered over the shipped library (repeatable).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="protocol-gen")
def cli() -> None:
    """Assemble a council's Member/Officer Protocol from a council profile.

    Start with 'protocol-gen init' to write a profile, then 'protocol-gen build'.
    """


@cli.command()
@click.argument("profiles", nargs=-1, required=True)
@click.option("--out", "out_dir", default="output", show_default=True,
              type=click.Path(file_okay=False), help="Folder to write into.")
@click.option("--format", "formats", multiple=True,
              type=click.Choice(["md", "docx", "html", "pdf"]),
              help="Output format (repeatable). Default: md and docx.")
@library_option
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
def build(profiles, out_dir, formats, libraries, quiet) -> None:
    """Build the protocol for each PROFILE (a .yaml file, or a folder of them).

    Writes OUT/<name>/<name>-member-officer-protocol.md and .docx, where <name> is the
    profile's file name without .yaml.
    """
    from .files import atomic_write, output_path
    from .pipeline import DEFAULT_FORMATS, build_profile

    formats = tuple(dict.fromkeys(formats)) or DEFAULT_FORMATS
    library = _library(libraries)
    paths = _expand(profiles)
    failed: list[tuple[Path, ProtocolGenError]] = []
    built = 0
    for path in paths:
        try:
            result = build_profile(path, library, formats)
            for fmt, data in result.files.items():
                target = output_path(Path(out_dir), result.stem, fmt)
                atomic_write(target, data)
                if not quiet:
                    click.echo(f"wrote {target}")
            _echo_problems(result.warnings)
            built += 1
        except ProtocolGenError as exc:
            failed.append((path, exc))
            _echo_problems(exc.problems)
    if len(paths) > 1 or failed:
        if not quiet or failed:
            click.echo(f"built {built} of {len(paths)} profiles"
                       + (f"; {len(failed)} failed:" if failed else ""), err=bool(failed))
        for path, exc in failed:
            first = exc.errors[0] if exc.errors else exc.problems[0]
            click.echo(f"  {path}: {first.message}", err=True)
    if failed:
        sys.exit(1)


@cli.command()
@click.argument("profiles", nargs=-1, required=True)
@library_option
def check(profiles, libraries) -> None:
    """Validate each PROFILE without writing anything; report every problem."""
    import datetime as dt

    from .assemble import assemble
    from .profile import load_profile

    library = None
    bad = 0
    for path in _expand(profiles):
        try:
            profile, warnings = load_profile(path, today=dt.date.today())
            library = library or _library(libraries)
            assemble(profile, library)
        except ProtocolGenError as exc:
            bad += 1
            _echo_problems(exc.problems)
            continue
        _echo_problems(warnings)
        click.echo(f"{path}: ok" + (f" ({len(warnings)} warning"
                                    f"{'s' if len(warnings) != 1 else ''})" if warnings else ""))
    if bad:
        sys.exit(1)


@cli.group()
def library() -> None:
    """Check the clause library and report how much of the sources it carries."""


@library.command("check")
@click.option("--path", "paths", multiple=True, type=click.Path(file_okay=False),
              help="Library folder(s) to check instead of the shipped one (later ones "
                   "layer over earlier ones).")
@library_option
def library_check(paths, libraries) -> None:
    """Validate the whole library: ids, sources, conditions, templates, references."""
    from .library import SHIPPED, check_library, read_library

    folders = list(paths) if paths else [SHIPPED]
    lib, problems = read_library([*folders, *libraries])
    problems += check_library(lib)
    if problems:
        _echo_problems(problems)
        click.echo(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in the library",
                   err=True)
        sys.exit(1)
    n_clauses = len(lib.clauses)
    n_variants = sum(len(c.variants) for c in lib.clauses.values())
    click.echo(f"library ok: {len(lib.sections)} sections, {n_clauses} clauses, "
               f"{n_variants} variants")


@library.command("coverage")
@click.option("--source", type=click.Choice(["milcombe", "blaenavon", "halstead",
                                             "west-suffolk", "anytown"]),
              help="Report on one source only.")
@click.option("--verbose", "-v", is_flag=True,
              help="List every sentence with the clause(s) that carry it.")
@click.option("--min", "minimum", type=click.FloatRange(0, 100),
              help="Fail (exit 1) if less than this percentage of the sentences is carried "
                   "or changed or left out on purpose.")
@click.option("--path", type=click.Path(file_okay=False),
              help="A library folder to measure instead of the shipped one (with its "
                   "sources/ and coverage-exclusions.yaml).")
@library_option
def library_coverage(source, verbose, minimum, path, libraries) -> None:
    """Show how much of each source protocol the library carries, and what it does not."""
    from .coverage import format_report, measure
    from .library import load_library

    lib = load_library([path, *libraries]) if path else _library(libraries)
    report = measure(lib, [source] if source else None)
    for line in format_report(report, verbose=verbose):
        click.echo(line)
    _echo_problems(list(report.notes))
    if minimum is not None and report.accounted_percent < minimum:
        click.echo(f"coverage {report.accounted_percent:.1f}% is below the minimum of "
                   f"{minimum:g}%", err=True)
        sys.exit(1)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of a council profile (for editors)."""
    from .profile import json_schema
    click.echo(json.dumps(json_schema(), indent=2, sort_keys=False))


@cli.command()
@click.argument("profile", type=click.Path(dir_okay=False))
@library_option
def explain(profile, libraries) -> None:
    """List every section and clause, included or left out, and why."""
    from .assemble import assemble
    from .profile import load_profile

    prof, _ = load_profile(Path(profile))
    doc = assemble(prof, _library(libraries))
    for d in doc.decisions:
        mark = "+" if d.included else "-"
        num = f"{d.number:>5} " if d.number else "      "
        src = f"  [{d.source}]" if d.source else ""
        click.echo(f"{mark} {num}{d.kind:7} {d.id}{src}  ({d.reason})")


def main(argv: list[str] | None = None) -> None:
    """Entry point: friendly messages for every expected error, never a traceback."""
    try:
        cli.main(args=argv, prog_name="protocol-gen", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except ProtocolGenError as exc:
        _echo_problems(exc.problems)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("interrupted; files already written are complete, none is half-written",
                   err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence for users
        if os.environ.get("PROTOCOLGEN_DEBUG"):
            raise
        click.echo(f"internal error: {type(exc).__name__}: {exc}\n"
                   "This is a bug in protocol-gen; set PROTOCOLGEN_DEBUG=1 to see the details.",
                   err=True)
        sys.exit(70)
