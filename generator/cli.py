"""The ``protocol-gen`` command line: parse options, call the stages, write files, echo.

Only this module prints or writes files.
"""
from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
import sys

import click

from . import __version__
from .cli_support import (LazyGroup, check_house_folders, echo_lines, echo_problems, expand,
                          library_folders, library_for, library_option,
                          without_cycle_collection)
from .errors import Problem, ProtocolGenError, quiet_libraries

# Whether the process ends when the command returns (main() called as the console script).
_PROCESS = {"ends": False}

# Commands defined in other modules, imported only when that command runs (or --help lists
# it): name -> "module:attribute". A new command module adds its line here.
LAZY_COMMANDS = {
    "library": "generator.cli_library:library",
    "report": "generator.cli_review:report_command",
    "impact": "generator.cli_review:impact_command",
}


@click.group(cls=LazyGroup, lazy_commands=LAZY_COMMANDS,
             context_settings={"help_option_names": ["-h", "--help"]})
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
@click.option("--jobs", "-j", type=click.IntRange(min=1),
              help="How many profiles to build at once. Default: one per processor core.")
@click.option("--drafting", is_flag=True,
              help="Also write <name>-drafting.docx: a Word comment on each clause naming "
                   "its source and any editorial note.")
@click.option("--redline", is_flag=True,
              help="Also write <name>-redline.docx (Word tracked changes) and "
                   "<name>-redline-summary.md against the last earlier version kept in "
                   "<name>/previous/.")
@click.option("--against", type=click.Path(dir_okay=False),
              help="With one profile: write the redline against FILE, the council's "
                   "current protocol (.md, .txt, .docx, .pdf or .html, from any source), "
                   "matched by content, each change with a Word comment saying why. "
                   "Implies --redline.")
@click.option("--report", is_flag=True,
              help="Also write <name>-report.md and .docx: the covering report to the meeting "
                   "that adopts the protocol (with --redline or --against, its changes).")
@click.option("--reference-docx", type=click.Path(dir_okay=False),
              help="A Word file (.docx or .dotx) whose styles, fonts, margins and header "
                   "logo the DOCX takes, like the council's own template. Overrides "
                   "document.reference_docx in the profiles.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
def build(profiles, out_dir, formats, libraries, jobs, drafting, redline, against,
          report, reference_docx, quiet) -> None:
    """Build the protocol for each PROFILE (a .yaml file, or a folder of them).

    Writes OUT/<name>/<name>-member-officer-protocol.md and .docx, where <name> is the
    profile's file name without .yaml. A file whose content changes is kept first under
    OUT/<name>/previous/, named with its version. Profiles are built in parallel; one
    that fails never stops the others, and the exit code is 1 if any failed.
    """
    from .batch import Request, Stopped, stopping_like_ctrl_c, summary_lines
    from .pipeline import DEFAULT_FORMATS

    formats = tuple(dict.fromkeys(formats)) or DEFAULT_FORMATS
    paths = expand(profiles)
    if against and len(paths) != 1:
        raise click.UsageError(f"--against compares one council's protocol: give one "
                               f"profile, not {len(paths)}")
    if reference_docx:
        from .render.docx import check_reference_docx
        reference_docx = check_reference_docx(reference_docx)
    request = Request(str(out_dir), formats, drafting=drafting,
                      redline=redline or bool(against), reference_docx=reference_docx,
                      against=against, report=report)
    check_house_folders(libraries)
    folders = library_folders(libraries)
    finished = []
    try:
        with stopping_like_ctrl_c(), without_cycle_collection(
                len(paths) == 1, process_ends=_PROCESS["ends"]):
            batch = _run(paths, request, folders, jobs, quiet, finished)
    except KeyboardInterrupt as stop:
        built = sum(1 for o in finished if o.ok)
        click.echo(f"\ninterrupted: {len(finished)} of {len(paths)} profiles finished "
                   f"(built {built}, failed {len(finished) - built}); every file written "
                   "is complete, none is half-written", err=True)
        sys.exit(128 + stop.signum if isinstance(stop, Stopped) else 130)
    echo_lines(summary_lines(batch, quiet))
    if batch.failed:
        sys.exit(1)


def _run(paths, request, folders, jobs, quiet, finished):
    """The batch, with a progress bar on a terminal or one line per council."""
    from .batch import outcome_lines, run_batch
    if sys.stderr.isatty() and not quiet and len(paths) > 1:
        with click.progressbar(length=len(paths), label="building", file=sys.stderr,
                               show_pos=True) as bar:
            batch = run_batch(paths, request, library_folders=folders, jobs=jobs,
                              on_progress=lambda o: (finished.append(o), bar.update(1)))
        for outcome in batch.outcomes:
            echo_lines(outcome_lines(outcome, quiet))
        return batch
    return run_batch(paths, request, library_folders=folders, jobs=jobs,
                     on_progress=finished.append,
                     on_done=lambda o: echo_lines(
                         outcome_lines(o, quiet, files=len(paths) == 1)))


@cli.command()
@click.argument("profiles", nargs=-1, required=True)
@library_option
def check(profiles, libraries) -> None:
    """Validate each PROFILE without writing anything; report every problem.

    Each problem names the file, line and column, what is wrong and the fix. Exits 0 when
    every profile is usable (warnings point out legal but unusual choices), 1 otherwise.
    """
    import datetime as dt

    from .pipeline import check_profile

    bad = 0
    paths = expand(profiles)
    check_house_folders(libraries)
    library = library_for(libraries)
    for path in paths:
        checked = check_profile(path, library, today=dt.date.today())
        errors = [p for p in checked.problems if p.severity == "error"]
        echo_problems(list(checked.problems))
        if errors or checked.document is None:
            bad += 1
            n = len(errors)
            click.echo(f"{path}: {n} error{'s' if n != 1 else ''} to fix", err=True)
            continue
        n = len(checked.problems)
        click.echo(f"{path}: ok" + (f" ({n} warning{'s' if n != 1 else ''})" if n else ""))
    if bad:
        sys.exit(1)


def _init_target(path: str | None, name: str | None, force: bool) -> Path | None:
    """Where init writes: PATH, PATH/<slug>.yaml for a folder (one that exists, or
    any PATH ending in a slash, made when the file is written), else ./<slug>.yaml."""
    from .profile.interview import slug
    folder = path is not None and (path.endswith(("/", os.sep)) or Path(path).is_dir())
    if path is not None and not folder:
        target = Path(path)
    elif name is None:
        return None
    else:
        target = Path(path or ".") / f"{slug(name)}.yaml"
    if target.exists() and not force:
        raise ProtocolGenError(Problem("the file already exists; init does not replace it",
                                       file=str(target), hint="name another file, or add "
                                       "--force to replace this one"))
    return target


def _ask(question, answers):
    """Prompt until the answer can be used; a bad answer is explained and asked again."""
    from .profile.interview import AnswerError

    def read(raw: str):
        try:
            return question.parse(raw, answers)
        except AnswerError as exc:
            raise click.BadParameter(f"{exc.message}; {exc.hint}") from None
    shown = question.shown_default(answers)
    return click.prompt(question.prompt(answers), default=shown, show_default=bool(shown),
                        value_proc=read, prompt_suffix=" ")


@cli.command()
@click.argument("path", required=False, type=click.Path())
@click.option("--no-input", is_flag=True, help="Ask nothing: take the answers from the "
              "options and the suggested defaults (for scripts).")
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@click.option("--name", help="The council's name.")
@click.option("--tier", help="parish, town, community, district, borough, county, unitary, "
              "metropolitan or london_borough (default: from the name).")
@click.option("--nation", help="england or wales.")
@click.option("--governance", help="committee, leader_cabinet or mayor_cabinet.")
@click.option("--political-groups/--no-political-groups", default=None,
              help="Whether councillors sit in political groups.")
@click.option("--independent-members/--no-independent-members", default=None,
              help="Whether some councillors belong to no group.")
@click.option("--head-officer", help="The clerk's or chief executive's title.")
@click.option("--chair", help="The chair's title.")
@click.option("--monitoring-officer", help="The monitoring officer; for a local council, "
              "the principal council's name will do.")
@click.option("--executive-body", help="What the council calls its executive (executive "
              "models only; default Cabinet).")
@click.option("--executive-member", help="Title of one member of the executive (default "
              "Cabinet Member).")
@click.option("--staffing-committee", help="The staffing committee's name ('none': none).")
@click.option("--committees", help="Which committees a local council has: none, staffing or "
              "several.")
@click.option("--offices/--no-offices", default=None,
              help="Whether a local council has offices where its staff work.")
@click.option("--policies", "in_place", help="The staff policies adopted, separated by "
              "commas: staff code, grievance, disciplinary, bullying; or all, or none.")
@click.option("--missing-policies", "missing", help="What the protocol says of a policy not "
              "adopted: leave_out or to_be_adopted.")
@click.option("--protocol-version", "version", help="Version number (default 1.0).")
@click.option("--adopted", help="Adoption date, YYYY-MM-DD (default: none, a draft).")
@click.option("--minute", help="Minute reference of the adoption.")
@click.option("--review-period", help="Years between reviews, 1 to 5 (default: 1 for local "
              "councils, 2 for principal councils).")
@click.option("--next-review", help="Month the next review is due, YYYY-MM.")
def init(path, no_input, force, **given) -> None:
    """Write a new council profile by answering a few questions.

    PATH is the file to write (default: the council's name as a file name, e.g.
    milcombe-parish-council.yaml, in the current folder; a folder, or a name ending in
    '/': that name inside it, the folder made if need be).
    An existing file is never replaced without --force.
    """
    try:
        _init(path, no_input, force, given)
    except ProtocolGenError as exc:
        echo_problems(exc.problems)
        sys.exit(1)


def _init(path, no_input, force, given) -> None:
    import datetime as dt
    import shlex

    from .files import atomic_write
    from .profile.interview import collect, problems_in, profile_yaml

    today = dt.date.today()
    targets = [_init_target(path, None, force)]
    if not no_input:
        click.echo("A few questions about the council. Press Enter to accept the suggestion "
                   "in [brackets].")
    answers = collect(given, today, ask=None if no_input else _ask,
                      on_name=lambda name: targets.append(_init_target(path, name, force)))
    target = targets[0] or targets[-1]
    shown = shlex.quote(str(target))
    text = profile_yaml(answers, filename=shown)
    problems = problems_in(text, today)
    if any(p.severity == "error" for p in problems):
        raise ProtocolGenError([dataclasses.replace(p, file="command line", line=None,
                                                    column=None)
                                for p in problems if p.severity == "error"])
    atomic_write(target, text.encode("utf-8"))
    click.echo(f"wrote {target}")
    echo_problems([dataclasses.replace(p, file=str(target)) for p in problems])
    click.echo("Next, check it and build the protocol:\n"
               f"  protocol-gen check {shown}\n"
               f"  protocol-gen build {shown}")


@cli.command()
@click.option("--markdown", is_flag=True, help="Print the profile reference instead: every "
              "key, its type, allowed values, default and what it changes, as Markdown.")
def schema(markdown) -> None:
    """Print the JSON Schema of a council profile (for editors).

    Save it with 'protocol-gen schema > profile.schema.json' and point an editor at it;
    see the README.
    """
    if markdown:
        from .profile.reference import reference_markdown
        click.echo(reference_markdown(), nl=False)
        return
    from .profile.load import json_schema
    click.echo(json.dumps(json_schema(), indent=2, sort_keys=False))


@cli.command()
@click.argument("profile", type=click.Path(dir_okay=False))
@library_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="json: the same report for other tools.")
def explain(profile, libraries, fmt) -> None:
    """Where every part of PROFILE's protocol comes from.

    Lists every section and clause, included or left out and why (the condition and
    its value, or the profile's exclusion), and for each clause the wording chosen,
    its source, why it was chosen and any editorial note.
    """
    from .assemble import assemble
    from .library.provenance import explain as provenance
    from .pipeline import with_house_library
    from .profile.load import load_profile

    prof, _ = load_profile(Path(profile))
    library = with_house_library(prof, Path(profile), library_for(libraries))
    report = provenance(prof, library, assemble(prof, library), profile)
    if fmt == "json":
        click.echo(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(report.text(), nl=False)


@cli.command()
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option("-o", "--out", "out_file", type=click.Path(dir_okay=False),
              help="Write the redline here: a DOCX whose differences are Word tracked "
                   "changes.")
@click.option("--summary", "summary_file", type=click.Path(dir_okay=False),
              help="Also write the change summary as Markdown.")
@click.option("--author", help="The name on the tracked changes. Default: the council.")
@library_option
@click.option("--force", is_flag=True, help="Replace an existing file given to -o or "
              "--summary even when it is not a redline or summary this tool wrote (never "
              "OLD or NEW).")
@click.option("--quiet", "-q", is_flag=True, help="Do not print the summary.")
def diff(old, new, out_file, summary_file, author, libraries, force, quiet) -> None:
    """Show what changed between two protocols, OLD and NEW.

    OLD and NEW are protocols this tool wrote (.md or .docx), or two council profiles
    (.yaml). Prints a summary (sections added or removed, clauses changed, renumbering);
    with -o writes a redline DOCX for Word's Review tab: accepting every change gives
    NEW, rejecting every change gives OLD. Neither -o nor --summary ever writes over OLD
    or NEW, nor (without --force) over a file that is not an earlier redline or summary.
    """
    from .files import atomic_write, refuse_to_replace
    from .review.redline import is_change_summary, is_redline, redline_paths

    if out_file and summary_file and Path(out_file).resolve() == Path(summary_file).resolve():
        raise ProtocolGenError("-o and --summary name the same file", file=out_file,
                               hint="give the redline and the summary different names")
    for target, what, ours in ((out_file, "redline", is_redline),
                               (summary_file, "change summary", is_change_summary)):
        if target:
            refuse_to_replace(Path(target), [Path(old), Path(new)], what=what, ours=ours,
                              force=force)
    result = redline_paths(old, new, library=lambda: library_for(libraries), author=author)
    if out_file:
        atomic_write(Path(out_file), result.docx)
    if summary_file:
        atomic_write(Path(summary_file), result.summary.markdown().encode("utf-8"))
    if not quiet:
        click.echo(result.summary.text(), nl=False)
        for target in filter(None, (out_file, summary_file)):
            click.echo(f"wrote {target}")


@cli.command()
@click.argument("folder", default="council_profiles", type=click.Path(file_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on; "
              "any but this machine's needs --token-file.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(1, 65535))
@click.option("--out", "out_dir", default="output", show_default=True,
              type=click.Path(file_okay=False), help="Folder builds write into.")
@click.option("--token-file", type=click.Path(dir_okay=False),
              help="A file holding the access token every visitor must give (a file that "
                   "does not exist is made, holding a strong one).")
@click.option("--behind-proxy", is_flag=True, help="Trust the X-Forwarded-* headers of one "
              "reverse proxy in front (one that gives the app HTTPS).")
@click.option("--open", "open_browser", is_flag=True, help="Open the app in a web browser.")
@library_option
def serve(folder, host, port, out_dir, token_file, behind_proxy, open_browser,
          libraries) -> None:
    """Run the browser app for the councils in FOLDER (default council_profiles/).

    Lists the councils, adds new ones, edits profiles in place (comments kept), previews
    the protocol with where each clause comes from, and downloads or builds it.
    """
    from .web.serve import serve as run
    check_house_folders(libraries)
    run(folder, host, port, out_dir, token_file, open_browser, library_folders(libraries),
        click.echo, behind_proxy=behind_proxy)
def _write_or_echo(out_file: str | None, text: str) -> None:
    if out_file:
        from .files import atomic_write
        atomic_write(Path(out_file), text.encode("utf-8"))
        click.echo(f"wrote {out_file}", err=True)
    else:
        click.echo(text, nl=False)


def _audit(existing: str, libraries):
    from .files import read_capped
    from .importer.run import MAX_BYTES, audit_bytes
    return audit_bytes(read_capped(Path(existing), MAX_BYTES + 1), Path(existing).name,
                       library_for(libraries), libraries)


@cli.command("audit")
@click.argument("existing", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md",
              show_default=True, help="md or html for people, json for programs.")
@click.option("-o", "--out", "out_file", type=click.Path(dir_okay=False),
              help="Write the report here instead of printing it.")
@library_option
def audit(existing, fmt, out_file, libraries) -> None:
    """Audit EXISTING, the council's current protocol (.docx, .pdf, .html, .md, .txt):
    the council it describes, each paragraph's library clause, topics present, partial
    or missing, outdated law, a review date long past and contradictions."""
    from .importer.run import report_text
    _write_or_echo(out_file, report_text(_audit(existing, libraries), fmt))


@cli.command("import")
@click.argument("existing", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "out_dir", default=".", show_default=True,
              type=click.Path(file_okay=False), help="Folder for the profile and clauses.")
@click.option("--force", is_flag=True, help="Replace an earlier import of the same name.")
@library_option
def import_(existing, out_dir, force, libraries) -> None:
    """Make a profile (OUT/<name>.yaml, each value commented with its evidence) and a
    house clause library (OUT/<name>-clauses/) holding the council's own wording from
    EXISTING; then 'protocol-gen build OUT/<name>.yaml'."""
    from .files import replace_folder, safe_stem
    from .importer.run import doubts_text, import_files, repeats_text, trimmed_text
    a = _audit(existing, libraries)
    stem = safe_stem(a.council.value("name") or Path(existing).stem).lower()
    left_out: list = []
    files = import_files(a, stem, library_for(libraries), left_out)
    replace_folder(Path(out_dir), files, force=force)
    profile = Path(out_dir) / f"{stem}.yaml"
    unsure = doubts_text(a)
    click.echo(f"wrote {profile} and {profile.with_suffix('')}-clauses/; next: "
               + ("choose or check these values in the profile, then " if unsure else "")
               + f"protocol-gen build {profile}")
    for line in unsure + repeats_text(left_out) + trimmed_text(files, stem):
        click.echo(line)


def main(argv: list[str] | None = None) -> None:
    """Entry point: friendly messages for every expected error, never a traceback."""
    quiet_libraries()
    _PROCESS["ends"] = argv is None        # the command line's own process, not a caller
    try:
        cli.main(args=argv, prog_name="protocol-gen", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("\naborted: a question got no answer; nothing was written", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except ProtocolGenError as exc:
        echo_problems(exc.problems)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("interrupted; files already written are complete, none is half-written",
                   err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence for users
        if os.environ.get("PROTOCOLGEN_DEBUG"):
            raise
        missing = getattr(exc, "name", None) if isinstance(exc, ModuleNotFoundError) else None
        if missing and not missing.startswith("generator"):
            click.echo(f"error: protocol-gen is not fully installed: the library '{missing}' "
                       "is missing, so nothing was done\n    fix: install protocol-gen again "
                       "('bash scripts/setup.sh' in its folder, or 'pip install --upgrade "
                       "protocolgen'), then run the command again", err=True)
            sys.exit(69)
        click.echo(f"internal error: {type(exc).__name__}: {exc}\n"
                   "This is a bug in protocol-gen; set PROTOCOLGEN_DEBUG=1 to see the details.",
                   err=True)
        sys.exit(70)
    finally:
        if argv is None:
            # The process ends here: spare it the final garbage collection of every
            # object the libraries made (a tenth of a single build's time).
            import gc
            gc.freeze()
