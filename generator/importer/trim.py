"""Which library clauses an imported protocol gets, so that it makes each point once and
stays within its length (2,800 words for a local council, 4,500 for a principal one).

The council's own paragraphs are all kept. A library clause is added only for a point
the council's text does not make, and only when it matters: the law requires it (its
wording cites or rests on law in force in the legislation register) or it makes a core
point (``core: true`` in ``clause_library/points.yaml``). When even that would pass the
limit, the added core clauses are left out, longest first, until it holds; a clause the
law requires is never left out (the build then names the paragraphs to cut). Every clause
left out is listed in the profile's ``drafting.exclude`` with why, so the clerk can add
it back by deleting the line.
"""
from __future__ import annotations

import re
from typing import Any

from ..library.clauses import ClauseLibrary
from ..library.points import clause_points, load_points
from ..library.templating import names_used
from .audit import Audit
from .mapping import build_index
from .ownpoints import home_of, points_made

MARGIN = 0.02      # of the limit, kept free: the estimate is made before the build
SHORT = "not required by law nor a core point; left out to keep the protocol short"

_BACK = re.compile(r"^\W*(?:(?:(?:any|all)\s+)?(?:this|these|such|that|those)\b(?!\s+(?:protocol|council|"
                   r"document|code|section|part|paragraph)\b)|(?:it|they)\b)|^(?:\S+\s+){0,5}?"
                   r"(?:likewise|similarly|equally)\b|^\W*(?:as a result|for this reason)\b",
                   re.IGNORECASE)


def refers_back(text: str) -> bool:
    """Whether a paragraph leans on the one before it ("Officers should likewise ...",
    "Such a request ...")."""
    return bool(_BACK.match(text))


def law_clauses(library: ClauseLibrary) -> set[str]:
    """The clauses some wording of which cites, or rests on, law in force."""
    from ..library.register import load_register, resting_on
    register = load_register([__import__("pathlib").Path(f) for f in library.folders[1:]])
    return {c for entry_id, users in resting_on(library, register).items()
            if (e := register.get(entry_id)) is not None and not e.revoked for c in users}


def clause_homes(a: Audit, library: ClauseLibrary, ctx: dict[str, Any], index
                 ) -> dict[int, str]:
    """Each provision's index -> the library clause it stands for (its match, or the
    clause its words only refer the reader to: :func:`.ownpoints.home_of`)."""
    return {m.paragraph.index: home_of(m.paragraph, m.on_point, library, ctx, index)
            for m in a.matches if m.paragraph.kind == "provision" and m.on_point}


def exclusions(a: Audit, library: ClauseLibrary) -> list[tuple[str, str]]:
    """(clause id, why) for the library clauses the build should leave out."""
    status = {t.id: t.status for t in a.topics}
    made = clause_points(library)
    points = load_points()
    law = law_clauses(library)
    by: dict[str, list[str]] = {}         # point -> the council's paragraphs making it
    ctx = a.profile.context()
    index = build_index(library, ctx)[0]
    homes = clause_homes(a, library, ctx, index)
    for m in a.matches:
        if m.paragraph.kind != "provision":
            continue
        home = homes.get(m.paragraph.index)
        said: list[str] = [*made.get(home or "", ()), *m.points]   # its clause's, its words'
        if home:     # and any other its sentences and items carry
            found, items = points_made(m.paragraph, home, library, ctx, index)
            said += [*found, *(q for ids in items for q in ids)]
        for p in dict.fromkeys(said):
            by.setdefault(p, []).append(m.paragraph.ref)
    covered = set(homes.values())
    forced = {library.clauses[c].section for c in covered if status.get(
        library.clauses[c].section) == "not_applicable"}   # the council has it: kept on
    out: dict[str, tuple[Any, str]] = {}
    for c in library.clauses.values():
        if c.id in covered:
            continue
        own = made.get(c.id, ())
        if any(p in by for p in own):       # adding it would make a point twice
            refs = sorted({r for p in own for r in by.get(p, ())}, key=_natural)
            out[c.id] = (c, f"{c.title or c.id}: made by your paragraph"
                            f"{'s' if len(refs) > 1 else ''} {', '.join(refs)}")
        elif c.id in law or any(points[p].core for p in c.points if p in points):
            continue
        elif c.section in forced or status.get(c.section) == "present":
            out[c.id] = (c, f"{c.title or c.id}: a topic your protocol covers in its own "
                            "words")
        else:
            out[c.id] = (c, f"{c.title or c.id}: {SHORT}")
    _take_back(library, out, set(by))
    return [(cid, why) for cid, (_, why) in out.items()]


def _take_back(library: ClauseLibrary, out: dict[str, tuple[Any, str]],
               made: set[str]) -> None:
    """A clause that stays and refers to one left out takes it back, unless the council's
    paragraphs make all its points (the reference then goes to the paragraph making them)."""
    for section in library.sections:     # a kept clause leaning on the one before it
        pairs = list(zip(section.clauses, section.clauses[1:]))         # ("Any such ...")
        for before, c in reversed(pairs):
            if c.id not in out and before.id in out and out[before.id][1].endswith(SHORT) \
                    and any(refers_back(v.text) for v in c.variants):
                del out[before.id]
    kept = [c for c in library.clauses.values() if c.id not in out]
    changed = True
    while changed:
        changed = False
        for c in kept:
            for v in c.variants:
                for target in names_used(v.text)[1]:
                    if target in out and not (out[target][0].points and
                                              set(out[target][0].points) <= made):
                        kept.append(out.pop(target)[0])
                        changed = True


def fit(a: Audit, library: ClauseLibrary, excluded: list[tuple[str, str]]
        ) -> list[tuple[str, str]]:
    """``excluded`` with more added clauses left out, longest first (core ones, never
    those the law requires), while the protocol would pass its word limit."""
    from ..assemble import assemble
    from ..length import LOCAL_LIMIT, PRINCIPAL_LIMIT
    profile = a.profile
    limit = LOCAL_LIMIT if profile.local_council else PRINCIPAL_LIMIT
    covered = set(clause_homes(a, library, profile.context(),
                               build_index(library, profile.context())[0]).values())
    own = sum(len(m.paragraph.full_text.split()) for m in a.matches
              if m.paragraph.kind == "provision")
    out = list(excluded)
    law = law_clauses(library)
    drafting = profile.drafting.model_copy(update={"exclude": sorted(
        {c for c, _ in out} | covered)})
    try:
        doc = assemble(profile.model_copy(update={"drafting": drafting}), library)
    except Exception:  # noqa: BLE001 - no estimate: the build's own warning remains
        return out
    added = [(len(c.body.split()), c.id) for s in doc.sections for c in s.clauses]
    heads = sum(len(s.title.split()) for s in doc.sections)
    words = own + heads + sum(n for n, _ in added)
    room = limit * (1 - MARGIN)
    refers = {t for c in library.clauses.values() if c.id not in dict(out)
              for v in c.variants for t in names_used(v.text)[1]}
    for n, cid in sorted(added, reverse=True):
        if words <= room:
            break
        if cid in law or cid in refers:
            continue
        words -= n
        out.append((cid, f"{library.clauses[cid].title or cid}: left out so that the "
                         f"protocol stays within {limit:,} words (about {n} words)"))
    return out


def _natural(ref: str) -> list:
    return [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", ref)]
