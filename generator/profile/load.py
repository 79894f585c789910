"""Council profiles: YAML -> validated :class:`~.model.Profile`.

Reading a profile collects every problem (YAML syntax, unknown keys with a "did you
mean", wrong types, bad choices, contradictory settings) and reports them together,
each located by line and column.
"""
from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
import re
from typing import Any

from pydantic import ValidationError

from ..errors import Problem, ProfileError
from .hidden import hidden_characters as _hidden_characters
from .messages import describe as _describe
from .messages import problems_from_validation
from .model import Profile
from .yamlsource import Located, load_yaml_file, parse_yaml


def _consistency(profile: Profile, src: Located) -> list[Problem]:
    """Contradictory (errors) and unusual (warnings) combinations."""
    c = profile.council
    out: list[Problem] = []
    local = profile.local_council
    if local and c.governance != "committee":
        out.append(src.problem(("council", "governance"),
                               f"a {c.tier} council cannot have the executive model "
                               f"'{c.governance}': only principal councils have an executive",
                               "use governance: committee"))
    if c.nation == "wales" and c.tier in ("parish", "district", "metropolitan", "london_borough"):
        fix = {"parish": "community or town"}.get(c.tier, "county, borough or unitary")
        out.append(src.problem(("council", "tier"),
                               f"there are no {c.tier.replace('_', ' ')} councils in Wales",
                               f"use tier: {fix.split(' or ')[0].split(',')[0]} ({fix})"))
    if c.nation == "england" and c.tier == "community":
        out.append(src.problem(("council", "tier"), "community councils are Welsh; the English "
                               "equivalent is a parish council",
                               "use tier: parish, or nation: wales"))
    if c.independent_members and not c.political_groups:
        out.append(src.problem(("council", "independent_members"),
                               "independent members only make sense where there are political "
                               "groups", "set political_groups: true, or remove this line"))
    if profile.roles.leader and not profile.executive:
        out.append(src.problem(("roles", "leader"), "a leader of the executive is named but "
                               "the council has no executive", "remove roles.leader, or set "
                               "council.governance to leader_cabinet or mayor_cabinet"))
    for key in ("executive_body", "executive_member"):
        if getattr(profile.roles, key) and not profile.executive:
            out.append(src.problem(("roles", key), f"roles.{key} names an executive, but the "
                                   "council has no executive", f"remove roles.{key}, or set "
                                   "council.governance to leader_cabinet or mayor_cabinet"))
    out += _committees(profile, src)
    if profile.practices.sole_officer and not local:
        out.append(src.problem(("practices", "sole_officer"), "a principal council has more "
                               "than one employee", "remove practices.sole_officer"))
    if c.scrutiny and local:
        out.append(src.problem(("council", "scrutiny"), "local councils have no overview and "
                               "scrutiny function", "remove council.scrutiny"))
    excluded_bad = [x for x in profile.drafting.exclude if not re.match(r"^[a-z0-9.-]+$", x)]
    for x in excluded_bad:
        out.append(src.problem(("drafting", "exclude"), f"'{x}' is not a clause or section id",
                               "ids look like 'groups.reports'; see 'protocol-gen explain'"))
    # warnings: legal but unusual
    if local and c.political_groups and not profile.roles.staffing_committee:
        out.append(src.problem(("council", "political_groups"),
                               "a local council with political groups usually names a "
                               "staffing committee", "add roles.staffing_committee",
                               severity="warning"))
    if local and not profile.roles.monitoring_officer:
        out.append(src.problem(("roles",), "a local council's monitoring officer is the "
                               "principal council's", "add roles.monitoring_officer naming the "
                               "district or unitary council's, e.g. 'Monitoring Officer of "
                               "Example District Council'",
                               severity="warning"))
    adopted = profile.adoption.adopted
    review = profile.adoption.next_review
    if adopted and review and review[:7] <= adopted.isoformat()[:7]:
        out.append(src.problem(("adoption", "next_review"), f"the next review ({review}) is not "
                               f"after adoption ({adopted.isoformat()})",
                               "set next_review to a later month"))
    period = profile.adoption.review_period
    if adopted and review and period and review[:7] > f"{adopted.year + period:04d}-" \
            f"{adopted.month:02d}":
        years = f"{period} year{'s' if period > 1 else ''}"
        out.append(src.problem(("adoption", "next_review"), f"the next review ({review}) is more "
                               f"than the review period ({years}) after adoption "
                               f"({adopted.isoformat()})", "bring next_review forward, or "
                               "lengthen review_period, or leave next_review out to count it "
                               "from adoption"))
    hist = profile.adoption.history
    for a, b in zip(hist, hist[1:]):
        if b.date < a.date:
            out.append(src.problem(("adoption", "history"), "history entries are not in date "
                                   "order", "list them oldest first", severity="warning"))
            break
    version = profile.adoption.version
    for i, entry in enumerate(hist):
        if entry.version == version:
            out.append(src.problem(("adoption", "history", i, "version"),
                                   f"version {version} is both the current version and an "
                                   "earlier one in history", "at a review, raise "
                                   "adoption.version (e.g. to the next whole number)",
                                   severity="warning"))
    if adopted:
        for i, entry in enumerate(hist):
            if entry.version != version and entry.date >= adopted:
                out.append(src.problem(
                    ("adoption", "adopted"), f"version {version} is dated {adopted.isoformat()}"
                    f", but the earlier version {entry.version} in history is dated "
                    f"{entry.date.isoformat()}: the adoption date was probably not updated",
                    "set adoption.adopted (and minute) to when this version is adopted, or "
                    "leave adopted out while it is a draft", severity="warning"))
                break
    if profile.adoption.minute and not adopted:
        out.append(src.problem(("adoption", "minute"), "a minute is given but no adoption "
                               "date, so the document says 'Draft for adoption'",
                               "add adoption.adopted, or remove the minute",
                               severity="warning"))
    if not local and not c.political_groups:
        out.append(src.problem(("council", "political_groups"), f"a {c.tier.replace('_', ' ')} "
                               "council without political groups is unusual; the protocol "
                               "will leave out the political groups section",
                               "set political_groups: true if councillors sit in groups",
                               severity="warning"))
    return out


def _committees(profile: Profile, src: Located) -> list[Problem]:
    """The committees the profile says the council has, against the ones it names."""
    committees = profile.practices.committees
    staffing = profile.roles.staffing_committee
    where = ("practices", "committees")
    if committees == "none" and staffing:
        return [src.problem(where, f"the council has no committees, but roles.staffing_committee "
                            f"names the {staffing}", "remove roles.staffing_committee, or set "
                            "practices.committees to staffing (or several)")]
    if committees == "staffing" and not staffing:
        return [src.problem(where, "the council's only committee is a staffing committee, but "
                            "roles.staffing_committee does not name it",
                            "add roles.staffing_committee: Staffing Committee (its name)")]
    if committees in ("none", "staffing") and not profile.local_council:
        return [src.problem(where, "a principal council has several committees (such as "
                            "planning, licensing, audit or overview and scrutiny)",
                            "remove practices.committees, or set it to several")]
    return []


def parse_profile(src: Located, *, today: dt.date | None = None) -> tuple[Profile | None, list[Problem]]:
    """Validate located YAML data; returns the profile (if valid) and all problems."""
    if not isinstance(src.data, dict):
        return None, [src.problem((), f"a profile must be a mapping of keys (council:, roles:, "
                                  f"...), not {_describe(src.data)}",
                                  "start the file with 'council:'; run 'protocol-gen init' for "
                                  "a template")]
    hidden = _hidden_characters(src)
    try:
        profile = Profile.model_validate(src.data)
    except ValidationError as exc:
        problems = problems_from_validation(exc, src, Profile) + _contradictions_despite(exc, src)
        return None, _in_file_order(problems + hidden)
    if hidden:
        return None, _in_file_order(hidden)
    problems = _consistency(profile, src)
    review = profile.next_review()      # given, or counted from adoption by review_period
    if today and review and review[:7] < today.isoformat()[:7]:
        where = "next_review" if profile.adoption.next_review else "adopted"
        problems.append(src.problem(("adoption", where),
                                    f"the review date {review} has passed",
                                    "review the protocol and set a new next_review",
                                    severity="warning"))
    if today and profile.adoption.adopted and profile.adoption.adopted > today:
        problems.append(src.problem(("adoption", "adopted"), "the adoption date "
                                    f"{profile.adoption.adopted.isoformat()} is in the future",
                                    "fine for a meeting already called; otherwise check the "
                                    "year", severity="warning"))
    problems = _in_file_order(problems)
    if any(p.severity == "error" for p in problems):
        return None, problems
    profile._source = src
    return profile, problems


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))


def _contradictions_despite(exc: ValidationError, src: Located) -> list[Problem]:
    """Contradictory settings in a profile that also has invalid values.

    When the council section itself is valid (unknown keys aside), the invalid values
    elsewhere are set aside and the rest validated again, so that a contradiction is
    reported in the same run as a typo. Warnings wait until the profile is valid."""
    errors = exc.errors()
    if any(e["loc"][:1] == ("council",) and e["type"] != "extra_forbidden" for e in errors):
        return []
    data = copy.deepcopy(src.data)
    for err in errors:
        _set_aside(data, err["loc"])
    try:
        partial = Profile.model_validate(data)
    except ValidationError:
        return []
    return [p for p in _consistency(partial, src) if p.severity == "error"]


def _set_aside(data: Any, loc: tuple) -> None:
    """Delete the value at ``loc`` (a whole list, if it lies inside one)."""
    node = data
    for i, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            if i == len(loc) - 1 or isinstance(node[part], list):
                del node[part]
                return
            node = node[part]
        else:
            return


def load_profile(path: Path | str, *, today: dt.date | None = None) -> tuple[Profile, list[Problem]]:
    """Read and validate a profile file. Raises :class:`ProfileError` with every problem;
    returns the profile and any warnings."""
    _, profile, problems = read_profile(path, today=today)
    if profile is None:
        raise ProfileError(problems)
    return profile, problems


def read_profile(path: Path | str, *, today: dt.date | None = None, text: str | None = None
                 ) -> tuple[Located | None, Profile | None, list[Problem]]:
    """What :func:`load_profile` finds, returned rather than raised: the parsed data
    (None when the YAML cannot be read), the profile (None when there is an error) and
    every problem. ``text``: the file's text when it is already read (or not yet saved)."""
    path = Path(path)
    if text is None:
        src, problems = load_yaml_file(path, "profile")
    else:
        src, problems = parse_yaml(text, str(path))
    if src is None:
        return None, None, problems
    profile, problems = parse_profile(src, today=today)
    if profile is None:
        return src, None, [*problems, *src.notes]
    try:
        _confine_library(profile, path, src)
        return src, _resolve_reference_docx(profile, path, src), [*src.notes, *problems]
    except ProfileError as exc:
        return src, None, exc.problems


def _outside(ref: str) -> bool:
    """Whether a path a profile gives leaves its folder: absolute (POSIX or Windows), from
    the home folder, or climbing with '..'."""
    from pathlib import PurePosixPath, PureWindowsPath
    win = PureWindowsPath(ref)
    return (ref.startswith(("/", "\\", "~")) or bool(win.drive) or ".." in win.parts
            or ".." in PurePosixPath(ref).parts)


def _confine_library(profile: Profile, path: Path, src: Located) -> None:
    """drafting.library, like document.reference_docx, names a folder beside the profile
    or below it, never one elsewhere on the machine (nothing about other folders is
    looked at, or said)."""
    ref = profile.drafting.library
    if not ref:
        return
    folder = path.parent.resolve()
    if _outside(ref) or not (folder / ref).resolve().is_relative_to(folder):
        raise ProfileError(src.problem(
            ("drafting", "library"), f"'{ref}' is outside the profile's folder: a profile "
            "may only name a folder of house clauses beside it or in a folder below it",
            "move the house clauses next to the profile and give the folder's name (as "
            "'protocol-gen import' writes it), or pass --library on the command line"))


def _resolve_reference_docx(profile: Profile, path: Path, src: Located) -> Profile:
    """document.reference_docx is relative to the profile file: make it a usable path,
    or report the missing file at its line."""
    ref = profile.document.reference_docx
    if not ref:
        return profile
    relative = Path(ref)
    if _outside(ref):
        raise ProfileError(src.problem(
            ("document", "reference_docx"), f"'{ref}' is outside the profile's folder: a "
            "profile may only name a Word file beside it or in a folder below it",
            "copy the council's .docx next to the profile and give its name, or pass "
            "--reference-docx on the command line"))
    resolved = path.parent / relative
    if not resolved.is_file():
        raise ProfileError(src.problem(
            ("document", "reference_docx"), f"the reference Word file '{ref}' does not exist "
            "beside the profile", "give the path of the council's .docx relative to "
            "this profile file, or remove document.reference_docx to use the built-in styles"))
    document = profile.document.model_copy(update={"reference_docx": str(resolved)})
    return profile.model_copy(update={"document": document})


def profile_from_text(text: str, file: str = "<profile>") -> Profile:
    """Validate a profile given as YAML text (for tests and tools)."""
    src, problems = parse_yaml(text, file)
    if src is None:
        raise ProfileError(problems)
    profile, problems = parse_profile(src)
    if profile is None:
        raise ProfileError(problems)
    return profile


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a profile, for editors."""
    schema = Profile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "protocolgen council profile"
    return schema
