"""``protocol-gen library``: check the clause library, show the law it rests on and how much
of the sources it carries."""
from __future__ import annotations

from pathlib import Path
import sys

import click

from .cli_support import echo_problems, library_for, library_option

@click.group()
def library() -> None:
    """Check the clause library and report how much of the sources it carries."""


@library.command("check")
@click.option("--path", "paths", multiple=True, type=click.Path(file_okay=False),
              help="Library folder(s) to check instead of the shipped one (later ones "
                   "layer over earlier ones).")
@library_option
def library_check(paths, libraries) -> None:
    """Validate the whole library: ids, sources, conditions, templates, references."""
    from .library.clauses import SHIPPED, check_library, check_rendering, read_library
    from .profile.matrix import example_contexts
    from .library.register import check_register, read_register

    folders = list(paths) if paths else [SHIPPED]
    lib, problems = read_library([*folders, *libraries])
    problems += check_library(lib)
    problems += [] if problems else check_rendering(lib, example_contexts())
    if not problems:
        problems += check_register(lib, read_register([Path(f) for f in
                                                       [*folders, *libraries]]))
    if not problems:
        problems += _every_kind_problems(lib)
    if problems:
        echo_problems(problems)
        click.echo(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in the library",
                   err=True)
        sys.exit(1)
    n_clauses = len(lib.clauses)
    n_variants = sum(len(c.variants) for c in lib.clauses.values())
    click.echo(f"library ok: {len(lib.sections)} sections, {n_clauses} clauses, "
               f"{n_variants} variants")


def _every_kind_problems(lib) -> list:
    """Each point once, and the house voice, in the protocol of every kind of council and
    of every example council."""
    from .assemble import every_kind
    from .errors import ProtocolGenError
    from .library.points import twice_problems
    from .library.style import style_problems
    from .profile.load import load_profile
    from .shipped import COUNCIL_PROFILES
    from . import assemble, cache
    from .library import clauses, points, sentences, style, templating
    from .profile import matrix
    paths = sorted(Path(COUNCIL_PROFILES).glob("*.yaml"))

    def walk() -> list:
        examples = []
        for path in paths:
            try:
                examples.append((path.stem, load_profile(path)[0]))
            except ProtocolGenError:
                continue
        try:
            documents = every_kind(lib, examples)
        except ProtocolGenError as exc:
            return list(exc.problems)
        return twice_problems(documents, lib) + style_problems(
            [d for d in documents if d[1].drafting.voice == "house"], lib)
    try:        # the same library, code and examples give the same answer: kept in the cache
        key = cache.digest(clauses.fingerprint(list(lib.folders)) or "", cache.source_of(
            assemble.__file__, points.__file__, style.__file__, matrix.__file__,
            templating.__file__, sentences.__file__), *(p.read_bytes() for p in paths))
    except OSError:
        return walk()
    return cache.remember("every-kind", key, walk)


@library.command("legal-basis")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the page to this file instead of printing it.")
@library_option
def library_legal_basis(output, libraries) -> None:
    """The law the library rests on: each entry of the legislation register, what it
    requires, where and when that was verified, and which clauses cite it
    (docs/legal-basis.md)."""
    from .library.register import legal_basis_markdown, read_register

    text = legal_basis_markdown(library_for(libraries),
                                read_register([Path(f) for f in libraries]))
    if output:
        from .files import atomic_write
        atomic_write(Path(output), text.encode("utf-8"))
    else:
        click.echo(text, nl=False)


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
    from .library.clauses import load_library
    from .library.coverage import format_report, measure

    lib = load_library([path, *libraries]) if path else library_for(libraries)
    report = measure(lib, [source] if source else None)
    for line in format_report(report, verbose=verbose):
        click.echo(line)
    echo_problems(list(report.notes))
    if minimum is not None and report.accounted_percent < minimum:
        click.echo(f"coverage {report.accounted_percent:.1f}% is below the minimum of "
                   f"{minimum:g}%", err=True)
        sys.exit(1)
