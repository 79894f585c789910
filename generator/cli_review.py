"""``protocol-gen report``: the covering report for the meeting that adopts the protocol."""
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
