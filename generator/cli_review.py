"""``protocol-gen report`` and ``impact``: the covering report for the meeting that adopts the
protocol, and which councils a change in the law touches."""
from __future__ import annotations

import sys

import click

from .cli_support import check_house_folders, echo_lines, library_folders, library_option


@click.command("report")
@click.argument("profile", type=click.Path(dir_okay=False))
@click.option("--against", type=click.Path(dir_okay=False),
              help="The council's current protocol (.md, .txt, .docx, .pdf or .html): the "
                   "report's changes are the redline against it. Default: the last earlier "
                   "version kept in OUT/<name>/previous/.")
@click.option("--out", "out_dir", default="output", show_default=True,
              type=click.Path(file_okay=False), help="Folder to write into.")
@library_option
def report_command(profile, against, out_dir, libraries) -> None:
    """The covering report to the meeting that adopts PROFILE's protocol.

    Builds the protocol as 'build --redline --report' does and writes
    OUT/<name>/<name>-report.md and .docx beside the protocol, the redline and its
    summary (the report's appendices): purpose, recommendation, background, the changes
    grouped as a committee reads them, with their reasons and paragraph numbers, and the
    implications.
    """
    from .batch import Request, outcome_lines, run_batch, summary_lines
    check_house_folders(libraries)
    request = Request(str(out_dir), ("md", "docx"), redline=True, against=against, report=True)
    batch = run_batch([profile], request, library_folders=library_folders(libraries),
                      on_done=lambda o: echo_lines(outcome_lines(o, files=True)))
    echo_lines(summary_lines(batch))
    if batch.failed:
        sys.exit(1)


def _date(ctx, param, value):
    if value is None:
        return None
    import datetime as dt
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date: write it as YYYY-MM-DD, e.g. "
                                 "2026-12-06") from None


@click.command("impact")
@click.argument("folders", nargs=-1, required=True)
@click.option("--since", callback=_date, metavar="DATE",
              help="Only changes in the law on or after DATE (YYYY-MM-DD).")
@click.option("--law", metavar="ENTRY",
              help="Only changes of this entry of the legislation register (its id, e.g. "
                   "localism2011; see docs/legal-basis.md).")
@click.option("--date", "as_of", callback=_date, metavar="DATE",
              help="Judge review dates, and take changes up to, this day. Default: today.")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md",
              show_default=True, help="md and html for people (html: a sortable table), json "
                                      "for programs.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the report to this file instead of printing it.")
@click.option("--build", "build_papers", is_flag=True,
              help="Also write, for every council affected, the protocol, the redline "
                   "against its adopted version and the committee report, into --out.")
@click.option("--out", "out_dir", default="output", show_default=True,
              type=click.Path(file_okay=False), help="Folder --build writes into.")
@click.option("--jobs", "-j", type=click.IntRange(min=1),
              help="How many councils to read or build at once. Default: one per core.")
@click.option("--quiet", "-q", is_flag=True, help="With --build, print only errors.")
@library_option
def impact_command(folders, since, law, as_of, fmt, output, build_papers, out_dir, jobs,
                   quiet, libraries) -> None:
    """Which councils in FOLDER a change in the law touches, and whose review is due.

    For every council: its adoption date and next review (overdue or not, as of --date),
    and the changes in the law recorded in the legislation register since it adopted
    its protocol that touch a paragraph its protocol contains, with those paragraphs.
    """
    import datetime as dt
    from pathlib import Path

    from .cli_support import expand
    from .render.impact import render_impact
    from .review.impact import Options, impact
    check_house_folders(libraries)
    paths = expand(folders)
    options = Options(as_of or dt.date.today(), since, law)
    result = impact(paths, options, library_folders=library_folders(libraries), jobs=jobs)
    text = render_impact(result, fmt)
    if output:
        from .files import atomic_write
        atomic_write(Path(output), text.encode("utf-8"))
        click.echo(f"wrote {output}: {len(result.councils)} councils, "
                   f"{len(result.affected)} affected", err=True)
    else:
        click.echo(text, nl=False)
    failed = [c for c in result.councils if c.error]
    for c in failed:
        click.echo(f"FAILED {c.stem}: {c.error}", err=True)
    if build_papers:
        _build_affected([Path(c.path) for c in result.affected], out_dir, libraries, jobs,
                        quiet)
    if failed:
        sys.exit(1)


def _build_affected(paths, out_dir, libraries, jobs, quiet) -> None:
    """The papers of every affected council, as 'build --redline --report' writes them."""
    from .batch import Request, Stopped, stopping_like_ctrl_c, summary_lines
    from .cli import _run
    if not paths:
        click.echo("no council is affected: nothing to build", err=True)
        return
    request = Request(str(out_dir), ("md", "docx"), redline=True, report=True, reviewing=True)
    finished: list = []
    try:
        with stopping_like_ctrl_c():
            batch = _run(paths, request, library_folders(libraries), jobs, quiet, finished)
    except KeyboardInterrupt as stop:
        click.echo(f"\ninterrupted: {len(finished)} of {len(paths)} councils finished; every "
                   "file written is complete, none is half-written", err=True)
        sys.exit(128 + stop.signum if isinstance(stop, Stopped) else 130)
    echo_lines(summary_lines(batch, quiet))
    if batch.failed:
        sys.exit(1)
