"""An audited protocol -> a commented profile and a house clause library in the council's
own words, for ``protocol-gen import``.

Each paragraph that matches a library clause becomes that clause's house variant
(``source: house <its number>``; several paragraphs matching one clause are kept
together in document order), so the build puts it in the canonical place; a paragraph
that matches nothing becomes a new house clause at the end of the section it belongs
in. Library clauses on a topic the council already covers (a *present* topic) that its
protocol does not have are left out through ``drafting.exclude`` (each listed, so the
clerk can take one back); the clauses of partial and missing topics are added. The
profile names the house folder (``drafting.library``), so building the profile uses it.
"""
from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

import yaml

from ..library.clauses import ClauseLibrary
from ..library.points import clause_points
from ..library.templating import escape_markdown
from .audit import Audit, review_period
from .mapping import Match, build_index
from .ownpoints import Repeat, points_made, repeats
from .dates import spoken
from .doubts import NOT_FOUND, message
from .recognise import NAME, Fact
from .trim import clause_homes, exclusions, fit, refers_back

_ORDERED = re.compile(r"^\(?[a-zA-Z]{1,4}[.)]?$|^\(?\d+[.)]?$")


def _escape(text: str) -> str:
    """The council's words as literal Markdown inside a clause template."""
    out = escape_markdown(text).replace("{", "{{ '{' }}")
    return out if out[:1].isalnum() or out[:1] in "\"'“‘" else "{{ '' }}" + out


def clause_text(matches: list[Match], item_points: list[tuple[str, ...]] = ()) -> str:
    """One clause's house text: each paragraph, then its items as a list, each item
    marked with the points it makes (``item_points``, for the first paragraph's items)."""
    blocks = []
    for k, m in enumerate(matches):
        p = m.paragraph
        blocks.append(_escape(p.text))
        if p.items:
            ordered = all(_ORDERED.match(label) for label, _ in p.items)
            said = list(item_points) if k == 0 else []
            said += [()] * (len(p.items) - len(said))
            blocks.append("\n".join(f"{'1.' if ordered else '-'} {escape_markdown(t)}"
                                    .replace("{", "{{ '{' }}") + _mark(ids)
                                    for (_, t), ids in zip(p.items, said)))
    return "\n\n".join(blocks)


def _mark(ids: tuple[str, ...]) -> str:
    return f" {{# points: {' '.join(ids)} #}}" if ids else ""


def _source(matches: list[Match]) -> str:
    refs = ", ".join(m.paragraph.ref for m in matches)
    return f"house {refs}"


def _followers(a: Audit) -> dict[int, int]:
    """Paragraph index -> the index of the paragraph it stays with: one in the council's
    own words that refers back to the paragraph before it under the same heading goes
    where that one goes."""
    out: dict[int, int] = {}
    before = None
    for m in a.matches:
        p = m.paragraph
        if p.kind != "provision":
            continue
        if before is not None and before.heading == p.heading and m.on_point is None \
                and refers_back(p.text):     # (one making a clause's point takes its place)
            out[p.index] = out.get(before.index, before.index)
        before = p
    return out


def house_sections(a: Audit, library: ClauseLibrary) -> dict[str, list[dict[str, Any]]]:
    """Section id -> the house clauses (as YAML-ready mappings) in it."""
    by_clause: dict[str, list[Match]] = {}
    own: list[Match] = []
    ctx = a.profile.context()
    index = build_index(library, ctx)[0]
    homes = clause_homes(a, library, ctx, index)
    follows = _followers(a)
    after: dict[int, list[Match]] = {}
    for m in a.matches:
        if m.paragraph.kind != "provision":
            continue
        if m.paragraph.index in follows:
            after.setdefault(follows[m.paragraph.index], []).append(m)
            continue
        point = homes.get(m.paragraph.index)
        if point:
            by_clause.setdefault(point, []).append(m)
        else:
            own.append(m)
    made = clause_points(library)
    sections: dict[str, list[dict[str, Any]]] = {}
    went: dict[str, tuple[str, str]] = {}     # paragraph ref -> (clause id, section id)
    cued: dict[str, set[str]] = {}            # clause id -> the points found by cues only

    def add(section: str, m: Match, spec: dict[str, Any]) -> None:
        """A clause, then each paragraph leaning on its paragraph as a clause of its own
        straight after it (its id extends the clause's: the build keeps them together)."""
        sections.setdefault(section, []).append((m.paragraph.index, spec))
        went[m.paragraph.ref] = (spec["id"], section)
        for n in after.get(m.paragraph.index, []):
            more: dict[str, Any] = {"id": f"{spec['id']}.then-{_slug(n.paragraph.ref) or n.paragraph.index}",
                                    "title": " ".join(n.paragraph.text.split()[:8])}
            if n.made(made):
                more["points"] = list(n.made(made))
                cued[more["id"]] = set(n.points)
            more["variants"] = [{"source": _source([n]), "text": clause_text([n])}]
            sections[section].append((m.paragraph.index + (n.paragraph.index - m.paragraph.index) / 1000, more))
            went[n.paragraph.ref] = (more["id"], section)

    for clause_id, ms in by_clause.items():
        ms.sort(key=lambda m: (m.clause is None, m.paragraph.index))   # a match first
        shipped = library.clauses[clause_id]
        spec: dict[str, Any] = {"id": clause_id}
        if shipped.title:
            spec["title"] = shipped.title
        if shipped.heading:
            spec["heading"] = shipped.heading
        # the council's paragraph makes the points of what it says, its items theirs, and
        # those its own words make (the points' cues)
        said, items = points_made(ms[0].paragraph, clause_id, library, ctx, index)
        cued[clause_id] = set(ms[0].points) - set(said)
        said = tuple(dict.fromkeys([*said, *ms[0].points]))
        if said:
            spec["points"] = list(said)
        spec["variants"] = [{"source": _source(ms[:1]), "text": clause_text(ms[:1], items)}]
        add(shipped.section, ms[0], spec)
        # every paragraph is numbered: a second paragraph on the same point is a clause of
        # its own, beside the first
        for k, m in enumerate(ms[1:], 2):
            more = {"id": f"{clause_id}.house-{k}",
                    "title": f"{shipped.title or clause_id} ({k})"}
            if m.points:
                more["points"] = list(m.points)
                cued[more["id"]] = set(m.points)
            more["variants"] = [{"source": _source([m]), "text": clause_text([m])}]
            add(shipped.section, m, more)
    used: set[str] = set()
    applies = [t.id for t in a.topics if t.status != "not_applicable"]
    placed: dict[int, str] = {}
    for m in a.matches:     # an own paragraph goes where the one before it went
        section = m.section if m.section in applies else None
        placed[m.paragraph.index] = section or (placed.get(m.paragraph.index - 1)
                                                or applies[0])
    for k, m in enumerate(own, 1):
        section = placed[m.paragraph.index]
        cid = f"house.{_slug(m.paragraph.ref) or k}"
        cid = cid if cid not in used and cid not in library.clauses else f"{cid}-{k}"
        used.add(cid)
        spec = {"id": cid,
                "title": " ".join(m.paragraph.text.split()[:8])}
        if m.made(made):      # the points its words make (so none is added again)
            spec["points"] = list(m.made(made))
            cued[cid] = set(m.points)
        spec["variants"] = [{"source": _source([m]), "text": clause_text([m])}]
        add(section, m, spec)
    out = {sid: [spec for _, spec in sorted(items, key=lambda x: x[0])]
           for sid, items in sections.items()}
    _once(out, library, cued)
    return renumber_references(out, a, went)


def _once(sections: dict[str, list[dict[str, Any]]], library: ClauseLibrary,
          cued: dict[str, set[str]]) -> None:
    """A point the council's words make again (found by its cues) is declared only by the
    clause that makes it otherwise, or by the first: the audit notes the repeat."""
    seen = {p for specs in sections.values() for spec in specs      # made otherwise
            for p in spec.get("points", []) if p not in cued.get(spec["id"], ())}
    for section in library.sections:
        for spec in sections.get(section.id, []):
            points = spec.get("points", [])
            keep = [p for p in points if p not in seen or p not in cued.get(spec["id"], ())]
            if not keep and spec["id"] in library.clauses:
                keep = points       # (a replacement declaring none would make the library's)
            seen.update(points)
            if keep != points:
                spec["points"] = keep
                if not keep:
                    del spec["points"]


_CROSS = re.compile(r"\b(?P<word>[Pp]aragraphs?|[Pp]aras?\.?|[Cc]lauses?|[Ss]ections?)"
                    r"(?P<gap>\s+)(?P<nums>\d{1,3}(?:\.\d{1,3})*(?:(?:,\s*|\s+(?:and|or|to)\s+)"
                    r"\d{1,3}(?:\.\d{1,3})*)*)")
_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,3})*")
_ELSEWHERE = re.compile(r"\s*(?:of|in|to)\s+(?:Part|Schedule|[Ss]ection|[Rr]egulation|[Aa]rticle|"
                        r"the\s+(?:[A-Z]\w*\s+){0,6}(?:Act|Regulations|Order|Code|Measure)|"
                        r"(?:[A-Z]\w*\s+){1,6}(?:Act|Regulations|Order|Code|Measure)\b)")


def renumber_references(sections: dict[str, list[dict[str, Any]]], a: Audit,
                        went: dict[str, tuple[str, str]]) -> dict[str, list[dict[str, Any]]]:
    """Cross-references in the council's words ("see paragraph 5.2", "section 7") made to
    follow the new numbering: each number the original gives one paragraph (or one
    heading whose paragraphs all went to one section) becomes ``ref(...)`` to where it
    went (``went``: each paragraph's ref -> its clause and section); any other number is
    left as written."""
    paragraph_to, section_to = _targets(went, a)

    def fix(m: re.Match) -> str:
        word = m.group("word")
        if _ELSEWHERE.match(m.string, m.end()):
            return m.group()      # "paragraphs 1 to 6 of Part I of Schedule 12A": the law's

        table = section_to if word[0] in "Ss" else paragraph_to

        def one(n: re.Match) -> str:
            target = table.get(n.group())
            return n.group() if target is None else \
                "{{ ref(" + json.dumps(target) + ", true) }}"
        return word + m.group("gap") + _NUMBER.sub(one, m.group("nums"))

    for specs in sections.values():
        for spec in specs:
            for variant in spec["variants"]:
                variant["text"] = _CROSS.sub(fix, variant["text"])
    return sections


def _targets(clause_of: dict[str, tuple[str, str]], a: Audit
             ) -> tuple[dict[str, str], dict[str, str]]:
    """The original's paragraph numbers -> clause ids, and its section numbers ->
    section ids, where each is unambiguous."""
    paragraph_to: dict[str, str | None] = {}
    section_to: dict[str, set[str]] = {}
    for m in a.matches:
        p = m.paragraph
        went = clause_of.get(p.ref)
        if went is None:
            continue
        if p.number and p.number[0].isdigit():
            paragraph_to[p.number] = None if p.number in paragraph_to else went[0]
        if p.section:
            section_to.setdefault(p.section, set()).add(went[1])
    return ({n: c for n, c in paragraph_to.items() if c},
            {n: next(iter(s)) for n, s in section_to.items() if len(s) == 1})


def _slug(ref: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", ref.lower()).strip("-")
    return s if re.match(r"^[a-z0-9]+(?:-[a-z0-9]+)*$", s) else ""


def _comment(key: str, fact: Fact | None, council) -> str:
    if fact is None or fact.value is None or fact.confidence == "low":
        return "  # " + _short(message(key, fact, council), 200)
    ev = fact.evidence[0] if fact.evidence else None
    where = "" if ev is None else _short(ev.phrase, 90) if ev.where == NAME else \
        f'{ev.where}: "{_short(ev.phrase)}"'
    return f"  # {fact.confidence}: {where}" if where else f"  # {fact.confidence}"


def safe_line(text: str) -> str:
    """Text for a one-line comment: no line breaks or other control characters (a file's
    name is the uploader's to choose), so it can never start a line of settings."""
    return "".join(ch if unicodedata.category(ch)[0] not in "CZ" or ch == " " else "?"
                   for ch in str(text))


def _short(text: str, n: int = 70) -> str:
    text = safe_line(" ".join(str(text).split()).replace('"', "'"))
    return text if len(text) <= n else text[: n - 3] + "..."


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(str(value), ensure_ascii=False)


def profile_yaml(a: Audit, stem: str, excluded: list[tuple[str, str]],
                 repeated: list[tuple[Repeat, str]] = ()) -> str:
    c = a.council
    p = a.profile
    source = safe_line(a.name)
    lines = [f"# Council profile imported from {source} by 'protocol-gen import'.",
             "# Each value read from the document is followed by how sure the reading is and",
             "# where it was found; 'Please check' marks a guess for you to confirm or",
             f"# correct, and '{NOT_FOUND}' a value the document does not give: write one",
             "# of the values the comment lists (check and build refuse until you do).",
             "# Then: protocol-gen build <this file> (add --format pdf for a PDF)."]
    errors = [f for f in a.findings if f.severity == "error"]
    if errors:
        lines.append(f"# The audit found {len(errors)} problem{'s' if len(errors) != 1 else ''}"
                     f" to fix in the original (run 'protocol-gen audit {source}'); the "
                     "house clause files mark the paragraphs concerned with CHECK.")
    lines += ["", "council:"]
    name = c.facts.get("name")
    written = name.value if name and name.value else (c.name_from_file or
                                                      stem.replace("-", " "))
    lines.append(f"  name: {_scalar(written)}" + _comment("name", name, c))
    for key in ("tier", "nation", "governance", "political_groups", "independent_members",
                "wards"):
        fact = c.facts.get(key)
        value = getattr(p.council, key)
        shown = _scalar(NOT_FOUND) if fact is not None and fact.value is None else \
            _scalar(value) if isinstance(value, bool) else value
        lines.append(f"  {key}: {shown}" + _comment(key, fact, c))
    roles = [(k, c.titles[k]) for k in ("head_officer", "chair", "monitoring_officer",
                                        "leader", "staffing_committee", "standards_committee")
             if k in c.titles and (k != "leader" or p.executive)]
    if roles:
        lines.append("roles:")
        lines += [f"  {k}: {_scalar(f.value)}{_comment(k, f, c)}" for k, f in roles]
    terms = [(k, c.titles[k]) for k in ("members", "officers") if k in c.titles]
    if terms:
        lines.append("terms:")
        lines += [f"  {k}: {_scalar(f.value)}{_comment(k, f, c)}" for k, f in terms]
    lines.append("drafting:")
    lines.append(f"  library: {stem}-clauses   # the council's own wording, as house clauses "
                 "(the folder beside this file)")
    if excluded:
        lines.append("  exclude:   # library clauses whose points your protocol already makes "
                     "in its own words; delete a line to add that clause")
        lines += [f"    - {cid}   # {_short(title, 90)}" for cid, title in excluded]
    else:
        lines.append("  exclude: []")
    if repeated:
        lines += ["  # left out of the new protocol: items of your protocol making a point "
                  "another of its", "  # paragraphs makes (to keep one, delete the "
                  "'{# points: ... #}' after it in the file named)"]
        lines += [f"  #   - {r.ref}: \"{_short(r.item, 60)}\" ({'; '.join(r.points)}): "
                  f"paragraph {', '.join(r.said_in)} says it; {safe_line(path)}"
                  for r, path in repeated]
    lines += _adoption(c, [q for q in a.structure.paragraphs if q.kind == "furniture"],
                       review_period(a))
    lines.append("")
    return "\n".join(lines)


def _adoption(c, furniture=(), period: tuple[int, str] | None = None) -> list[str]:
    """The new version is a draft; the original's version history (:mod:`.furniture`)
    becomes its history, or its adoption line the history's one row."""
    from .furniture import HISTORY, history, next_version
    dates = c.dates
    rows = history([q.text for q in furniture if q.reason == HISTORY])
    stated = [m.group(1) for q in furniture for m in [re.search(
        r"\bversion\s+(\d{1,2}(?:\.\d{1,2}){0,2})\b", q.text, re.IGNORECASE)] if m]
    last = (rows[-1].version if rows else None) or (stated[0] if stated else None)
    version = next_version(last) if last else "1.0"
    lines = ["adoption:",
             f'  version: "{version}"   # the version this review will adopt'
             + (f" (the original is version {last})" if last else "")
             + ": change it to follow your numbering",
             "  # adopted: YYYY-MM-DD, minute: ..., next_review: YYYY-MM once the council "
             "adopts it"]
    if period is not None:
        lines.append(f"  review_period: {period[0]}   # your paragraph {period[1]}: the "
                     "period your protocol gives (see the audit)")
    for key, what in (("last_review", "last reviewed"), ("next_review", "next review was "
                                                                         "due")):
        fact = dates.get(key)
        if fact is not None and fact.evidence:
            lines.append(f"  # the original: {what} {spoken(fact.value)} "
                         f"({_short(fact.evidence[0].where, 30)}: "
                         f"\"{_short(fact.evidence[0].phrase, 50)}\")")
    adopted = dates.get("adopted") or dates.get("dated")
    if rows:
        return lines + _history(rows, adopted.value if adopted is not None else None)
    if adopted is not None:
        by = dates.get("adopted_by")
        change = "Adopted" if by is None else f"Adopted by {by.value}" if by.value.lower(
            ).startswith("the ") or by.value in ("Cabinet", "Full Council") else \
            f"Adopted by the {by.value}"
        row = f"{{version: \"original\", date: {adopted.value}, change: {_scalar(change)}}}"
        if len(adopted.value) == 10:
            lines += ["  history:   # the protocol the council has now, from its adoption line",
                      f"    - {row}"]
        else:       # a month or year only: the clerk gives the day
            lines += [f"  # history: the original was adopted {spoken(adopted.value)}; with "
                      "its day, write:", f"  #   - {row[:-1]}-DD}}"]
    return lines


def _history(rows, adopted: str | None) -> list[str]:
    """The original's version-history rows; a row dated by month alone takes the
    adoption date when it falls in that month, else is written for the clerk to date."""
    out = ["  history:   # the original's version history, as its table gives it"]
    for row in rows:
        date = adopted if adopted and len(adopted) == 10 and len(row.date) < 10 and \
            adopted.startswith(row.date) else row.date
        entry = (f"{{version: {_scalar(row.version)}, date: {date}, change: "
                 f"{_scalar(row.change)}}}")
        out.append(f"    - {entry}" if len(date) == 10 else
                   f"    # - {entry[:-1].replace(date, date + '-DD', 1)}}}   # "
                   f"{spoken(date)}: give the day to keep this row")
    if all(line.lstrip().startswith("#") for line in out[1:]):
        out[0] = "  # history: the original's version history, as its table gives it"
    return out


ORIGINAL_VERSION = "Version original."    # the line under the original's title


def original_markdown(a: Audit) -> str:
    """The original protocol, as read, in the Markdown this tool writes (so that
    ``protocol-gen diff`` can compare it with the new build)."""
    name = a.profile.council.name
    out = [f"# {name}: Member/Officer Protocol", "", ORIGINAL_VERSION, ""]
    heading = None
    count = 0
    for m in a.matches:
        p = m.paragraph
        if p.kind != "provision":
            continue
        if p.heading != heading:
            heading = p.heading
            count += 1
            out += [f"## {count}. {escape_markdown(heading or 'Introduction')}", ""]
        number = p.number or ""
        out += [f"{escape_markdown(number)} {escape_markdown(p.text)}".strip(), ""]
        if p.items:
            out += [f"- {escape_markdown(t)}" for _, t in p.items] + [""]
    return "\n".join(out)


def house_files(a: Audit, stem: str, library: ClauseLibrary,
                left_out: list[Repeat] | None = None) -> dict[str, bytes]:
    """Every file of the import, by path relative to the output folder; ``left_out``,
    when given, receives the council's list items the build will leave out because
    another of its paragraphs makes their point (each listed in the profile too)."""
    files: dict[str, bytes] = {}
    folder = f"{stem}-clauses"
    ctx = a.profile.context()
    sections = house_sections(a, library)
    repeated = repeats(sections, library)
    if left_out is not None:
        left_out += repeated
    for section_id, clauses in sections.items():
        section = library.section(section_id)
        assert section is not None
        spec: dict[str, Any] = {"id": section.id, "title": section.title,
                                "order": section.order}
        if section.when:
            from ..assemble import _holds
            if not _holds(section.when, ctx, section.where, section.id):
                spec["when"] = "true"      # the council has it, whatever the condition
        spec["clauses"] = clauses
        refs = {r for c in clauses for v in c["variants"] for r in
                v["source"][len("house "):].split(", ")}
        notes = [f"# CHECK paragraph {f.paragraph}: {f.message}; fix: {f.fix}"
                 for f in a.findings if f.paragraph in refs and f.severity == "error"]
        text = (f"# The council's own wording for the section '{section.id}', imported "
                f"from {safe_line(a.name)}.\n" + "".join(safe_line(" ".join(n.split())) + "\n" for n in notes) +
                yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=88))
        files[f"{folder}/{section.order:02d}-{section.id}.yaml"] = text.encode("utf-8")
    files[f"{folder}/original.md"] = original_markdown(a).encode("utf-8")
    files[f"{stem}.yaml"] = profile_yaml(a, stem, fit(a, library, exclusions(a, library)), [
        (r, f"{folder}/{library.section(r.section).order:02d}-{r.section}.yaml")
        for r in repeated]).encode("utf-8")
    return files
