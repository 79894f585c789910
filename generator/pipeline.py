"""The stages joined up: profile file -> Document -> rendered bytes per format.

No file is written here; :mod:`generator.cli` writes what this returns.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Problem, ProtocolGenError

if TYPE_CHECKING:       # the stages are imported when called: a command imports what it uses
    from .document import Document
    from .library.clauses import ClauseLibrary
    from .profile.model import Profile
    from .profile.yamlsource import Located

FORMATS = ("md", "docx", "html", "pdf")
DEFAULT_FORMATS = ("md", "docx")


@dataclass
class Built:
    """One council's rendered files, keyed by format."""

    profile_path: Path
    stem: str
    profile: Profile
    document: Document
    files: dict[str, bytes] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    library: ClauseLibrary | None = None   # what it was assembled from (its house folder over)


@dataclass(frozen=True)
class Checked:
    """What ``protocol-gen check`` reports for one profile, and what was made on the way."""

    problems: tuple[Problem, ...]
    source: Located | None = None          # the file's YAML, when it could be read
    profile: Profile | None = None         # when there was no error
    library: ClauseLibrary | None = None   # what it was assembled from (its house folder over)
    document: Document | None = None


def check_profile(path: Path | str, library: ClauseLibrary, *, today=None,
                  text: str | None = None) -> Checked:
    """Every problem ``protocol-gen check`` reports for the profile at ``path`` (or for
    ``text`` as if it were that file), by the same steps: read and validate it, layer its
    house folder, assemble, and warn of DOCX properties Word must shorten."""
    from .profile.load import read_profile
    src, profile, problems = read_profile(path, today=today, text=text)
    if profile is None:
        return Checked(tuple(problems), src)
    try:
        library = with_house_library(profile, Path(path), library)
        doc = assemble(profile, library)
    except ProtocolGenError as exc:
        return Checked(tuple(exc.problems), src)
    return Checked((*problems, *property_warnings(doc, path), *_length(doc, profile, path)),
                   src, profile, library, doc)


def assemble(profile: Profile, library: ClauseLibrary) -> Document:
    """:func:`generator.assemble.assemble`, imported when first used."""
    from .assemble import assemble as assemble_document
    return assemble_document(profile, library)


def render(doc: Document, fmt: str, **options) -> bytes:
    """Render one format. Heavy renderers are imported only when asked for."""
    if fmt == "md":
        from .render.markdown import render_markdown
        return render_markdown(doc).encode("utf-8")
    if fmt == "docx":
        from .render.docx import render_docx
        return render_docx(doc, **options)
    if fmt == "html":
        from .render.html import render_html
        return render_html(doc).encode("utf-8")
    if fmt == "pdf":
        from .render.pdf import render_pdf
        return render_pdf(render(doc, "docx", **options), doc.meta.date)
    raise ValueError(f"unknown format {fmt!r}")


def property_warnings(doc: Document, path: Path | str) -> list[Problem]:
    """A warning when the DOCX must shorten a property Word holds in 255 characters
    (the document's text always shows every value whole)."""
    shortened = doc.meta.shortened_properties()
    if not shortened:
        return []
    m = doc.meta
    titled = "title" in shortened
    fields = [name for name, long in (("council.name", len(m.council_name) > 180
                                       or titled and len(m.council_name) > 100),
                                      ("document.title", titled and len(m.title) > 60),
                                      ("adoption", "comments" in shortened
                                       or "version" in shortened)) if long]
    return [Problem(f"too long for the Word document's properties (at most 255 characters "
                    f"each): the DOCX's {' and '.join(shortened)} "
                    f"{'property is' if len(shortened) == 1 else 'properties are'} shortened "
                    "there, ending '…'; "
                    "the document itself shows it whole", file=str(path),
                    field=" and ".join(fields) or None, severity="warning",
                    hint="shorten it if Word's File > Info should show it whole")]


def _length(doc: Document, profile: Profile, path) -> list[Problem]:
    from .length import length_warnings
    return length_warnings(doc, profile.local_council, str(path))


def with_house_library(profile: Profile, path: Path, library: ClauseLibrary) -> ClauseLibrary:
    """The library with the profile's own house folder (``drafting.library``, relative to the
    profile file) layered over it, last; the library unchanged when it names none."""
    if not profile.drafting.library:
        return library
    from .errors import ProfileError
    from .library.clauses import SHIPPED, load_house_layered
    folder = (Path(path).parent / profile.drafting.library).resolve()
    if not folder.is_dir():
        raise ProfileError(profile.problem(
            ("drafting", "library"), f"the house library folder "
            f"'{profile.drafting.library}' does not exist beside the profile",
            "give a folder of house clauses, relative to the profile file, or remove the key"))
    house = [f for f in library.folders if Path(f).resolve() != SHIPPED.resolve()]
    return load_house_layered((*house, str(folder)))


def build_profile(path: Path, library: ClauseLibrary, formats=DEFAULT_FORMATS,
                  **options) -> Built:
    """Read, assemble and render one profile (one Document for every format; a PDF is
    converted from the DOCX when both are asked for). Raises ProtocolGenError subclasses."""
    from .files import safe_stem
    from .profile.load import load_profile
    profile, warnings = load_profile(path)
    library = with_house_library(profile, path, library)
    doc = assemble(profile, library)
    warnings = [*warnings, *property_warnings(doc, path), *_length(doc, profile, path)]
    files: dict[str, bytes] = {}
    for fmt in sorted(formats, key=lambda f: f == "pdf"):   # the DOCX before the PDF
        if fmt == "pdf" and "docx" in files:
            from .render.pdf import render_pdf
            files[fmt] = render_pdf(files["docx"], doc.meta.date)
        else:
            files[fmt] = render(doc, fmt, **options)
    return Built(path, safe_stem(path), profile, doc, {f: files[f] for f in formats},
                 warnings, library)
