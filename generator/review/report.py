"""The covering report to the meeting that adopts the protocol: a small document model.

:func:`committee_report` takes what a build already knows (the profile, the assembled
Document, the redline's changes grouped by :mod:`generator.review.changes`, and the
legislation register's dated history) and writes the report a clerk or monitoring officer
puts before the council: purpose, recommendation, background, the changes grouped as a
committee reads them, implications and appendices. A parish, town or community council's
report is shorter and plainer than a principal council's. Every law it names comes from
the register. :mod:`generator.render.report` writes it as Markdown and DOCX. Nothing here
reads or writes files.
"""
from __future__ import annotations

from dataclasses import dataclass
import datetime as dt
import re

from ..document import long_date, month_text
from .changes import GROUPS, OWN_WORDS, STATUS_WORDS, Changes, Context
from .report_words import Words, awaited_names, clause_words, relied_on

TITLE = "Review of the {title}"
FIRST_TITLE = "Adoption of the {title}"


@dataclass(frozen=True)
class Block:
    """A heading, a numbered paragraph, or a list."""

    kind: str                        # heading, para, bullets, facts
    text: str = ""
    items: tuple[str, ...] = ()
    number: str = ""                 # '4.2' for a numbered paragraph, '4' for a heading


@dataclass(frozen=True)
class Report:
    council: str
    title: str
    date: dt.date
    facts: tuple[tuple[str, str], ...]     # meeting, date, author, subject
    blocks: tuple[Block, ...]
    recommendation: str
    changes: Changes | None
    language: str = "en-GB"
    reference_docx: str | None = None      # the council's Word template, if it has one


@dataclass(frozen=True)
class Appendices:
    protocol: str
    redline: str | None = None
    summary: str | None = None


def law_context(profile, doc, library, register, since: dt.date | None,
                until: dt.date | None):
    """The register's changes after ``since`` (up to ``until``) that touch a clause of
    this protocol, each with its paragraphs, and a :class:`Context` for grouping."""
    from ..library.register import changes, touching
    found = touching(doc, library, register, changes(library, register, after=since,
                                                     until=until), profile.council.nation)
    latest: dict[tuple[str, str], object] = {}
    numbers = {c.number: c.id for c in doc.clauses()}
    for change, paras in found:           # the latest change of each law, per clause
        for n in paras:
            latest[(numbers[n], change.entry.id)] = change
    by_clause: dict[str, list[str]] = {}
    for (cid, _), change in latest.items():
        by_clause.setdefault(cid, []).append(
            f"{change.entry.name} ({long_date(change.event.date)}): {change.event.change}")
    drafting = profile.drafting
    own = frozenset(w for v in profile.context().values() if isinstance(v, str)
                    for w in re.findall(r"[\w']+", v.lower()))
    ctx = Context(by_clause, register, own_words=own,
                  house=frozenset(c.id for c in doc.clauses() if c.source.startswith("house")),
                  chosen=frozenset(drafting.variants or {}),
                  excluded=frozenset(drafting.exclude or ()))
    return found, ctx


def last_adopted(profile) -> dt.date | None:
    """When the version before this one was adopted (the profile's history)."""
    dated = [h.date for h in profile.adoption.history if h.date]
    return max(dated) if dated else None


def _p(out: list[Block], section: list[int], text: str) -> None:
    section[1] += 1
    out.append(Block("para", text, number=f"{section[0]}.{section[1]}"))


def _h(out: list[Block], section: list[int], text: str) -> None:
    section[0] += 1
    section[1] = 0
    out.append(Block("heading", text, number=str(section[0])))


def committee_report(profile, doc, library, register, changes: Changes | None, found,
                     appendices: Appendices, reviewing: bool = False) -> Report:
    """The report, from what the build knows. ``found`` is what :func:`law_context`
    returned first: the changes in the law that touch this protocol. ``reviewing``: the
    profile still describes the adopted version, under review for a meeting not yet
    set (``impact --build``)."""
    ctx = profile.context()
    words = clause_words(doc, library, register, ctx["nation"])
    local = bool(ctx["local_council"])
    meta = doc.meta
    council = meta.council_name
    title = meta.title
    meeting = "Full Council" if not local else "Meeting of the Council"
    meeting_date = None if reviewing else meta.adopted
    when = long_date(meeting_date) if meeting_date else "the date of the meeting"
    review = month_text(profile.next_review()) \
        if profile.next_review() and not reviewing else ""
    author = ctx["head_officer"] if local else ctx["monitoring_officer"] or "Monitoring Officer"
    previous = (meta.adopted or last_adopted(profile)) if reviewing else last_adopted(profile)
    revised = previous is not None or changes is not None
    recommendation = (f"That the Council adopts the {'revised ' if revised else ''}{title} at "
                      f"Appendix A, to take effect from {when}"
                      + (f", and reviews it by {review}." if review else "."))
    unchanged = reviewing and (changes is None or not changes.items)
    if unchanged:                       # the review found the text needs no change
        recommendation = (f"That the Council notes the changes in the law set out in this "
                          f"report and confirms its {title} at Appendix A without change.")
    subject = (TITLE if revised else FIRST_TITLE).format(title=title)
    facts = (("Meeting", meeting), ("Date", long_date(meeting_date) if meeting_date else
                                    "To be confirmed"),
             ("Report of", author), ("Subject", subject))
    out: list[Block] = []
    s = [0, 0]
    _h(out, s, "Purpose of the report")
    _p(out, s, (f"To ask the Council to confirm its {title}" if unchanged else
                f"To ask the Council to adopt the {'revised ' if revised else ''}{title}") +
       f", which sets out how {ctx['members']} and {ctx['officers']} work together.")
    _h(out, s, "Recommendation")
    _p(out, s, recommendation)
    _h(out, s, "Background")
    _background(out, s, profile, meta, changes, found, previous, local, unchanged)
    if changes is not None:
        changes = _regrouped(changes, words)
        _h(out, s, "Summary of the changes")
        _summary(out, s, changes, local, words, appendices, register)
    _h(out, s, "Implications")
    _implications(out, s, profile, words, register, local)
    if not local:
        _h(out, s, "Reasons for the recommendation")
        _p(out, s, f"The {title} should reflect the law as it stands and the way the Council "
                   "now works, so that everyone knows what to expect of each other.")
        _h(out, s, "Alternative options considered")
        if not revised:                 # nothing to keep: the first protocol
            _p(out, s, f"To adopt no {title}. This is not recommended: {ctx['members']} and "
                       f"{ctx['officers']} would have no agreed statement of what each may "
                       "expect of the other.")
        else:
            _p(out, s, f"To keep the current {title} unchanged. This is not recommended: it "
                       "would leave out the changes described above." if changes or found else
                       f"To keep the current {title} unchanged until the review date.")
    _h(out, s, "Appendices")
    items = [f"Appendix A: the {'revised ' if revised and not unchanged else ''}{title} "
             f"({appendices.protocol})"]
    if appendices.redline:
        items.append(f"Appendix B: the {title} with every change marked as a tracked "
                     f"change, each with its reason ({appendices.redline})")
    if appendices.summary:
        items.append(f"Appendix C: the summary of changes ({appendices.summary})")
    out.append(Block("bullets", items=tuple(items)))
    return Report(council, subject, meta.date, facts, tuple(out),
                  recommendation, changes, meta.language, meta.reference_docx)


def _regrouped(changes: Changes, words: Words) -> Changes:
    """The changes grouped by the law each paragraph relies on: an added paragraph that
    relies on law is required by it; a comment naming a law is not enough when the
    paragraph relies on none and no change in the law touched it."""
    from dataclasses import replace

    def group(i) -> str:
        relies = bool(words.law.get(i.clause or ""))
        if i.group == "law" and not i.law and not relies:
            return "new" if i.status == "added" else "wording"
        if i.group == "new" and i.status == "added" and relies:
            return "law"        # a paragraph added to say what the law requires
        return i.group
    return replace(changes, items=tuple(replace(i, group=group(i)) for i in changes.items))


def _background(out, s, profile, meta, changes, found, previous, local,
                unchanged: bool = False) -> None:
    title = meta.title
    if previous is not None:
        _p(out, s, f"The Council last adopted its {title} on {long_date(previous)}.")
    elif changes is not None and changes.kind == "content":
        _p(out, s, f"The date the Council adopted its current {title} is not recorded.")
    else:
        _p(out, s, f"This is the first {title} the Council is asked to adopt.")
    if unchanged:
        _p(out, s, "It is reviewed now " + ("because the law it rests on has changed. "
                                            if found else "as its review falls due. ") +
                   f"The {title} already reflects the law as it stands, so no change to "
                   "its text is proposed.")
    elif previous is not None or changes is not None:
        _p(out, s, "It is reviewed now " + ("because the law it rests on has changed, and "
                                            if found else "") +
                   "to bring it into line with the law as it stands and with the way the "
                   "Council works.")
    if found:
        since = f" since {long_date(previous)}" if previous else ""
        _p(out, s, f"Changes in the law{since} that touch the {title}:")
        out.append(Block("bullets", items=tuple(
            f"{long_date(c.event.date)}: {c.entry.name}. {c.event.change} "
            f"(paragraph{'s' if len(p) > 1 else ''} {_join(p)})" for c, p in found)))


def _summary(out, s, changes: Changes, local: bool, words: Words, appendices,
             register) -> None:
    c = changes.counts
    if changes.kind == "content":
        parts = [f"{c.get(k, 0)} paragraph{'s' if c.get(k, 0) != 1 else ''} "
                 f"{STATUS_WORDS[k]}" for k in ("changed", "added", "removed") if c.get(k)]
        kept = c.get("same", 0)
        _p(out, s, "Compared with the current Protocol: " + (_join(parts) if parts else
                                                             "no changes")
                   + f"; {kept} kept word for word.")
    else:
        parts = [f"{c.get(k, 0)} {STATUS_WORDS[k]}" for k in ("changed", "added", "removed")
                 if c.get(k)]
        _p(out, s, f"Compared with {changes.old_name}: " + (_join(parts) if parts else
                                                            "no changes") + ".")
    where = "Appendix C" if appendices.summary else "the summary of changes"
    for key, label in GROUPS:
        items = changes.group(key)
        if not items:
            continue
        if key == "wording" and local:        # one line: the reasons are in the summary
            numbers = [n for i in items for n in i.numbers]
            _p(out, s, f"{label} ({len(items)}): paragraph{'s' if len(numbers) > 1 else ''} "
                       f"{_join(numbers)}: corrections of the current text, plainer words, "
                       f"and points made once instead of several times ({where} gives the "
                       "reason for each).")
            continue
        lead = ": points the current Protocol does not make" if key == "new" else ""
        _p(out, s, f"{label} ({len(items)}){lead}:")
        out.append(Block("bullets", items=tuple(
            _item(i, words, register, changes.kind == "version") for i in items)))


_OWN = {OWN_WORDS, "A new section.", "This section no longer applies to the Council.",
        "The wording was revised.", "A new paragraph.", "No longer needed in this Protocol."}


def _item(item, words: Words, register, version: bool = False) -> str:
    """One change: its paragraphs, what the paragraph does (the meanings of its points)
    and, for a change the law requires, the law it relies on, named from the register."""
    where = f"paragraph{'s' if len(item.numbers) > 1 else ''} {_join(list(item.numbers))}" \
        if item.numbers and not item.numbers[0].startswith("section") else \
        (item.numbers[0] if item.numbers else "")
    what = STATUS_WORDS.get(item.status, item.status)
    cid = item.clause or ""
    title = words.titles.get(cid, "") or item.title
    said = [words.does.get(cid, "")] if item.status != "removed" else []
    if item.group == "law":
        laws = words.law.get(cid, ())
        if laws:
            said.append(f"Required by {_join(list(laws))}.")
        said += [f"Changed in the law: {x}" for x in item.law]
    elif item.group == "council" or item.reason in _OWN:
        said.append(item.reason if item.reason in _OWN else "The Council's own choice.")
    reason = " ".join(x for x in said if x)
    head = f"{where.capitalize()} ({what})" + (f", {title}" if title else "")
    return f"{head}: {reason}".strip() if reason else head + "."


def _implications(out, s, profile, words: Words, register, local: bool) -> None:
    ctx = profile.context()
    nation = ctx["nation"]
    _p(out, s, "Legal: the Protocol reflects the law as recorded in the Council's legislation "
               f"register (reviewed {long_date(register.checked)})" +
       (". It relies on:" if relied_on(words) else "."))
    if relied_on(words):
        out.append(Block("bullets", items=tuple(
            f"{label[:1].upper()}{label[1:]}: {_join(names)}"
            for label, names in relied_on(words).items())))
    awaited = awaited_names(words)
    if awaited:
        _p(out, s, "Law not yet in force: the Protocol is also written to meet "
                   f"{_join(['the ' + n for n in awaited])}, so it will need no change "
                   "when that comes into force.")
    _p(out, s, "Financial: there is no cost in adopting the Protocol." if local else
           "Financial: there are no direct financial implications.")
    equality = register.get("equality2010")
    if equality is not None:
        public = "in exercising its functions" if not (local and nation == "wales") else \
            "as a body exercising public functions, in exercising them"
        _p(out, s, f"Equality: {public} the Council must have due regard to "
                   "the need to eliminate discrimination, harassment and victimisation, "
                   "advance equality of opportunity and foster good relations (the public "
                   "sector equality duty, section 149 of the Equality Act 2010). The Protocol "
                   f"applies to all {ctx['members']} and {ctx['officers']} alike and supports "
                   "that duty.")
    if nation == "wales":
        if local and register.get("welsh-language-standards-2015") is not None:
            _p(out, s, "Welsh language: the Welsh Language Standards (No. 1) Regulations 2015 "
                       "do not apply to community and town councils. The Council may publish "
                       "the Protocol in Welsh as well as English.")
        elif register.get("welsh-language-measure-2011") is not None:
            _p(out, s, "Welsh language: the Council's compliance notice under the Welsh "
                       "Language (Wales) Measure 2011 sets the Welsh language standards it "
                       "must meet; the Protocol will be published in line with them.")


def _join(items: list[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# ---- for one build ------------------------------------------------------------------

_REGISTERS: dict[tuple, object] = {}


def register_for(folders: tuple[str, ...]):
    """The register for a library's folders, read again only when one of its files
    changes (a server runs for days)."""
    from pathlib import Path

    from ..library.clauses import SHIPPED
    from ..library.register import REGISTER_FILE, load_register
    stamps = []
    for folder in (SHIPPED, *folders):
        try:
            stat = (Path(folder) / REGISTER_FILE).stat()
            stamps.append((str(folder), stat.st_mtime_ns, stat.st_size))
        except OSError:
            stamps.append((str(folder), 0, 0))
    key = (folders, tuple(stamps))
    if key not in _REGISTERS:
        if len(_REGISTERS) > 8:
            _REGISTERS.clear()
        _REGISTERS[key] = load_register([Path(f) for f in folders])
    return _REGISTERS[key]


def report_for(profile, doc, library, redline, stem: str, reviewing: bool = False) -> Report:
    """The report for one build: ``redline`` is the build's redline (against the last
    version or the council's current protocol), or None. ``reviewing``: see
    :func:`committee_report`."""
    from .changes import from_content, from_version
    register = register_for(tuple(str(f) for f in library.folders))
    previous = (doc.meta.adopted or last_adopted(profile)) if reviewing else \
        last_adopted(profile)
    until = None if reviewing else doc.meta.adopted
    found, ctx = law_context(profile, doc, library, register, previous, until)
    if previous is None:       # not knowing when it was adopted, claim no change since
        from dataclasses import replace
        found, ctx = [], replace(ctx, law={})
    changes = None
    if redline is not None and hasattr(redline, "rows"):
        changes = from_content(redline, ctx)
    elif redline is not None:
        why = {d.id: d.reason for d in doc.decisions if d.kind == "clause" and d.included}
        notes = {c.id: c.note or (f"In this Protocol because: {why[c.id]}."
                                  if c.id in why else "") for c in doc.clauses()}
        notes.update({f"-{d.id}": d.reason for d in doc.decisions
                      if d.kind == "clause" and not d.included})
        changes = from_version(redline, ctx, notes)
    appendices = Appendices(f"{stem}-member-officer-protocol.docx",
                            f"{stem}-redline.docx" if redline is not None else None,
                            f"{stem}-redline-summary.md" if redline is not None else None)
    return committee_report(profile, doc, library, register, changes, found, appendices,
                            reviewing)
