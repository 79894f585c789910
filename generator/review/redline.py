"""Two generated protocols -> a redline DOCX with Word tracked changes, and a summary.

The protocols (read back by :mod:`generator.review.readback`) are aligned unit by unit with
:mod:`difflib`: by clause id where both sides know it, else by their number-stripped
text; inside a changed clause the paragraphs are aligned again and compared word by
word. A clause whose words are the same but whose number moved is *renumbered*, not
changed; one whose only differences are cross-reference numbers that followed the
renumbering is reported as such. Nothing here writes files.
"""
from __future__ import annotations

from dataclasses import dataclass, field
import difflib
import io
from pathlib import Path
import re
from typing import Callable

from .readback import Para, Protocol, Unit
from .tracked import (_TOKEN, DEFAULT_AUTHOR, REDLINE_MARK, ParaChange, Redliner, redline_time,
                      finish_redline)

SIMILAR = 0.5

_DOTTED = re.compile(r"(?<![\w.])\d+(?:\.\d+)+(?![\w]|\.\d)")
_SECTION_REF = re.compile(r"(?<=\bsection )\d+\b|(?<=\bsections )\d+\b", re.IGNORECASE)


# ---- comparing ----------------------------------------------------------------------------

@dataclass(frozen=True)
class UnitChange:
    """A unit of the redline and what happened to it."""

    status: str     # added, removed, same, renumbered, references, changed
    old: Unit | None
    new: Unit | None
    paras: tuple[ParaChange, ...]
    section: str | None = None   # the key of the section this clause sits in

    @property
    def unit(self) -> Unit:
        return self.new or self.old


@dataclass
class Summary:
    """What changed, in words a council can read."""

    old: str
    new: str
    sections_added: list[str] = field(default_factory=list)
    sections_removed: list[str] = field(default_factory=list)
    sections_renamed: list[str] = field(default_factory=list)
    clauses_added: list[str] = field(default_factory=list)
    clauses_removed: list[str] = field(default_factory=list)
    clauses_changed: list[str] = field(default_factory=list)
    renumbered: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)

    GROUPS = (("sections_added", "Sections added"), ("sections_removed", "Sections removed"),
              ("sections_renamed", "Sections renamed"), ("clauses_added", "Clauses added"),
              ("clauses_removed", "Clauses removed"),
              ("clauses_changed", "Clauses with changed wording"),
              ("renumbered", "Renumbered, same words"),
              ("references", "Same words, cross-references renumbered"),
              ("other", "Other changes"))

    @property
    def unchanged(self) -> bool:
        return not any(getattr(self, key) for key, _ in self.GROUPS)

    def counts(self) -> str:
        """'sections removed: 1; renumbered, same words: 9' (one line)."""
        parts = []
        for key, label in self.GROUPS:
            n = len(getattr(self, key))
            if n:
                parts.append(f"{label.lower()}: {n}")
        return "; ".join(parts) if parts else "no changes"

    def text(self) -> str:
        """Plain text for the terminal."""
        lines = [f"Changes from {self.old} to {self.new}"]
        if self.unchanged:
            return lines[0] + ": none\n"
        for key, label in self.GROUPS:
            items = getattr(self, key)
            if items:
                lines.append(f"{label} ({len(items)}):")
                lines.extend(f"  {item}" for item in items)
        return "\n".join(lines) + "\n"

    def markdown(self) -> str:
        """The same summary as a Markdown document."""
        from ..library.templating import escape_markdown as esc

        out = [f"# Changes from {esc(self.old)} to {esc(self.new)}"]
        if self.unchanged:
            out.append("No changes.")
        for key, label in self.GROUPS:
            items = getattr(self, key)
            if items:
                out.append(f"## {label}")
                out.append("\n".join(f"- {esc(item)}" for item in items))
        return "\n\n".join(out) + "\n"


@dataclass(frozen=True)
class Comparison:
    old: Protocol
    new: Protocol
    changes: tuple[UnitChange, ...]

    def summary(self) -> Summary:
        return _summarise(self)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _mask(text: str) -> str:
    """Text with cross-reference numbers masked, so renumbering does not change it."""
    return _SECTION_REF.sub("#", _DOTTED.sub("#", _norm(text)))


def _unit_key(unit: Unit, by_id: bool) -> str:
    if by_id and unit.id:
        return f"{unit.kind}:{unit.id}"
    if unit.kind == "front":
        return "front"
    if unit.kind in ("section", "part"):
        return f"{unit.kind}:{_norm(unit.paras[0].text)}"
    return f"{unit.kind}:" + _mask(unit.text())


def _ratio(a: str, b: str) -> float:
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    matcher = difflib.SequenceMatcher(None, ta, tb, autojunk=False)
    if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
        return 0.0
    return matcher.ratio()


def _align(old: list, new: list, key: Callable, similar: Callable[[object, object], bool]
           ) -> list[tuple[int | None, int | None]]:
    """Monotonic pairs of indexes: equal keys pair up; inside a replaced stretch, items
    pair with the first later item that is similar enough; the rest stand alone."""
    matcher = difflib.SequenceMatcher(None, [key(x) for x in old], [key(x) for x in new],
                                      autojunk=False)
    pairs: list[tuple[int | None, int | None]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pairs.extend(zip(range(i1, i2), range(j1, j2)))
            continue
        j = j1
        for i in range(i1, i2):
            match = next((k for k in range(j, j2) if similar(old[i], new[k])), None)
            if match is None:
                pairs.append((i, None))
                continue
            pairs.extend((None, k) for k in range(j, match))
            pairs.append((i, match))
            j = match + 1
        pairs.extend((None, k) for k in range(j, j2))
    return pairs


def _similar_units(a: Unit, b: Unit) -> bool:
    if a.kind != b.kind:
        return False
    if a.kind == "front":
        return True
    if a.kind == "part":          # Version history, Signed: by their heading
        return _norm(a.paras[0].text) == _norm(b.paras[0].text)
    if a.kind == "section":       # by title: a section's number says nothing of its content
        return _ratio(a.text(), b.text()) >= SIMILAR
    return _ratio(_mask(a.text()), _mask(b.text())) >= SIMILAR


def _similar_paras(a: Para, b: Para) -> bool:
    return a.style == b.style and (a.label == b.label or
                                   _ratio(_mask(a.text), _mask(b.text)) >= SIMILAR)


def compare(old: Protocol, new: Protocol) -> Comparison:
    """Align two protocols unit by unit, then paragraph by paragraph."""
    by_id = old.has_ids and new.has_ids
    pairs = _align(list(old.units), list(new.units), lambda u: _unit_key(u, by_id),
                   _similar_units)
    renumbering = {old.units[i].number: new.units[j].number for i, j in pairs
                   if i is not None and j is not None and old.units[i].number}
    changes: list[UnitChange] = []
    section: str | None = None
    for i, j in pairs:
        o = old.units[i] if i is not None else None
        n = new.units[j] if j is not None else None
        unit = n or o
        if unit.kind == "section":
            section = f"{i}:{j}"
        elif unit.kind != "clause":
            section = None
        if o is None or n is None:
            paras = tuple(ParaChange(p, None) if n is None else ParaChange(None, p)
                          for p in unit.paras)
            changes.append(UnitChange("added" if o is None else "removed", o, n, paras,
                                      section))
            continue
        para_pairs = _align(list(o.paras), list(n.paras),
                            lambda p: (p.style, p.label, _mask(p.text)), _similar_paras)
        paras = tuple(ParaChange(o.paras[a] if a is not None else None,
                                 n.paras[b] if b is not None else None)
                      for a, b in para_pairs)
        changes.append(UnitChange(_status(o, n, renumbering), o, n, paras, section))
    return Comparison(old, new, tuple(changes))


def _status(o: Unit, n: Unit, renumbering: dict[str, str]) -> str:
    if o.paras == n.paras:
        return "same"
    same_words = [(a.style, a.text) for a in o.paras] == [(b.style, b.text) for b in n.paras]
    if same_words:
        return "renumbered"

    def follow(text: str) -> str:
        text = _DOTTED.sub(lambda m: renumbering.get(m.group(), m.group()), text)
        return _SECTION_REF.sub(lambda m: renumbering.get(m.group(), m.group()), text)

    if [(a.style, follow(a.text)) for a in o.paras] == [(b.style, b.text) for b in n.paras]:
        return "references"
    return "changed"


def _names(comparison: Comparison) -> tuple[str, str]:
    """How the summary names OLD and NEW: by version and date, or by file when those
    are the same."""
    old, new = comparison.old.describe(), comparison.new.describe()
    if old == new:
        old, new = Path(comparison.old.name).name, Path(comparison.new.name).name
    return old, new


def _summarise(comparison: Comparison) -> Summary:
    s = Summary(*_names(comparison))
    changes = comparison.changes
    whole = {c.section: c.status for c in changes if c.unit.kind == "section"}
    counts: dict[str | None, int] = {}
    for c in changes:
        if c.unit.kind == "clause" and c.status == whole.get(c.section):
            counts[c.section] = counts.get(c.section, 0) + 1

    def in_step(c: UnitChange) -> bool:
        """A clause renumbered only because its whole section moved (8.2 now 7.2)."""
        return (whole.get(c.section) == "renumbered" and c.status == "renumbered"
                and c.old.number.split(".")[1] == c.new.number.split(".")[1])

    for c in changes:
        unit, o, n = c.unit, c.old, c.new
        if unit.kind == "section":
            label = f"{unit.number}. {unit.title}"
            if c.status == "renumbered":
                moved = sum(1 for x in changes if x.section == c.section and
                            x.unit.kind == "clause" and in_step(x))
                s.renumbered.append(f"section {o.number} (now {n.number}), {n.title}"
                                    + (f", with its {moved} clause{'s' if moved != 1 else ''}"
                                       if moved else ""))
                continue
            extra = counts.get(c.section, 0)
            with_clauses = f" ({extra} clause{'s' if extra != 1 else ''})" if extra else ""
            if c.status == "added":
                s.sections_added.append(label + with_clauses)
            elif c.status == "removed":
                s.sections_removed.append(label + with_clauses)
            elif c.status in ("changed", "references"):
                s.sections_renamed.append(f"{o.number}. {o.title} (now {n.number}. "
                                          f"{n.title})")
        elif unit.kind == "clause":
            section_went = whole.get(c.section) == c.status
            moved = (f"{o.number} (now {n.number})" if o and n and o.number != n.number
                     else unit.number)
            if c.status == "added" and not section_went:
                s.clauses_added.append(f"{unit.number} {unit.title}")
            elif c.status == "removed" and not section_went:
                s.clauses_removed.append(f"{unit.number} {unit.title}")
            elif c.status == "changed":
                s.clauses_changed.append(f"{moved} {n.title}")
            elif c.status == "renumbered" and not in_step(c):
                s.renumbered.append(f"{moved} {n.title}")
            elif c.status == "references":
                s.references.append(f"{moved} {n.title}")
        elif c.status != "same":
            what = {"front": "title page (version and adoption)"}.get(unit.kind, unit.title)
            s.other.append(f"{what}: {c.status}")
    return s


# ---- the redline DOCX -------------------------------------------------------------------

def redline_docx(comparison: Comparison, *, author: str | None = None) -> bytes:
    """The redline as DOCX bytes: every difference a real tracked change (``w:ins`` /
    ``w:del``) by ``author`` (default: the newer document's council), dated with the
    newer document's date (never the clock)."""
    new, old = comparison.new, comparison.old
    author = author or new.council or old.council or DEFAULT_AUTHOR
    writer = Redliner(author, redline_time(new).date())
    for unit_change in comparison.changes:
        for change in unit_change.paras:
            writer.paragraph(change)
    old_name, new_name = _names(comparison)
    return finish_redline(writer.document, new, old_name, new_name, author)


SUMMARY_MARK = b"# Changes from "


def is_redline(data: bytes) -> bool:
    """Whether ``data`` is a redline DOCX this tool wrote (its comments property)."""
    import docx
    try:
        return docx.Document(io.BytesIO(data)).core_properties.comments == REDLINE_MARK
    except Exception:  # noqa: BLE001 - not a readable DOCX: not a redline
        return False


def is_change_summary(data: bytes) -> bool:
    """Whether ``data`` is a change summary this tool wrote (its first line)."""
    return data.startswith(SUMMARY_MARK)


# ---- one step ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Redline:
    comparison: Comparison
    summary: Summary
    docx: bytes


def make_redline(old: Protocol, new: Protocol, *, author: str | None = None) -> Redline:
    comparison = compare(old, new)
    return Redline(comparison, comparison.summary(), redline_docx(comparison, author=author))


def redline_paths(old: Path | str, new: Path | str, *, library: Callable[[], object],
                  author: str | None = None) -> Redline:
    """The redline between two files: generated .md / .docx protocols, or profiles
    (assembled with ``library()``, called at most once)."""
    from functools import lru_cache

    from ..assemble import assemble
    from ..profile.load import load_profile
    from .readback import load_protocol

    shared = lru_cache(maxsize=1)(library)

    def document_for(path: Path):
        profile, _ = load_profile(path)
        return assemble(profile, shared())

    return make_redline(load_protocol(old, document_for), load_protocol(new, document_for),
                        author=author)
