"""Safe YAML reading that remembers where each value came from.

PyYAML composes the node tree (no object construction at all, so tags such as
``!!python/object`` never run); we then build plain Python values ourselves,
rejecting unknown tags and duplicate keys, bounding size, nesting and alias
expansion (no "billion laughs"), and recording the line and column of every key
and value so that errors can point at them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
import datetime as _dt
from pathlib import Path
import re
from stat import S_ISREG
from typing import Any

import yaml

from ..errors import Problem, clip
from .yamlhints import hash_values, odd_indents, quote_closed_early

MAX_BYTES = 256 * 1024
MAX_NODES = 20_000
MAX_DEPTH = 40

# Characters a value may not hold: those YAML itself refuses in a file (control
# characters, lone surrogates, U+FFFE/U+FFFF) but which its "\x01"-style escapes can
# still produce. Word documents (XML) cannot hold most of them either.
_FORBIDDEN_CHAR = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd"
                             "\U00010000-\U0010ffff]")

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
}
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"


@dataclass
class Located:
    """Plain data plus the (line, column) of every path in it (1-based)."""

    data: Any
    file: str
    marks: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    written: dict[tuple, str] = field(default_factory=dict)  # unquoted non-text, as typed
    notes: list[Problem] = field(default_factory=list)       # warnings found while reading

    def where(self, path: tuple) -> tuple[int | None, int | None]:
        """Line and column of ``path``, or of its nearest located parent."""
        path = tuple(path)
        while path:
            if path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return self.marks.get((), (None, None))

    def problem(self, path: tuple, message: str, hint: str | None = None,
                severity: str = "error") -> Problem:
        line, col = self.where(path)
        dotted = clip(".".join(str(p) for p in path), 120) or None
        return Problem(message, file=self.file, line=line, column=col, field=dotted,
                       hint=hint, severity=severity)


class _Builder:
    def __init__(self, file: str):
        self.file = file
        self.count = 0
        self.marks: dict[tuple, tuple[int, int]] = {}
        self.written: dict[tuple, str] = {}
        self.problems: list[Problem] = []
        self.expanding: set[int] = set()  # collections being built (to spot self-reference)
        self.seen: set[int] = set()
        self.aliases = False

    def fail(self, node, message, hint=None, path=()):
        mark = node.start_mark
        self.problems.append(Problem(message, file=self.file, line=mark.line + 1,
                                     column=mark.column + 1,
                                     field=".".join(map(str, path)) or None, hint=hint))

    def build(self, node, path=(), depth=0):
        self.count += 1
        if id(node) in self.seen:
            self.aliases = True
        self.seen.add(id(node))
        if self.count > MAX_NODES:
            raise _TooBig(node, f"the file expands to more than {MAX_NODES:,} values"
                          + (" (an alias '*name' repeated many times?)" if self.aliases
                             else "; a profile or section file holds far fewer"))
        if id(node) in self.expanding:
            raise _TooBig(node, "an alias ('*name') refers to the value that contains it, "
                                "so the value would never end")
        if depth > MAX_DEPTH:
            raise _TooBig(node, f"values are nested more than {MAX_DEPTH} levels deep")
        if not isinstance(node, yaml.ScalarNode):
            self.expanding.add(id(node))
            try:
                return self._collection(node, path, depth)
            finally:
                self.expanding.discard(id(node))
        self.marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if node.tag not in _SCALAR_TAGS:
            self.fail(node, f"the tag {_tag_name(node.tag)} is not allowed here", _TAG_HINT, path)
            return None
        value = _scalar(node)
        if not isinstance(value, str):
            self.written[path] = node.value
        if isinstance(value, str):
            bad = _FORBIDDEN_CHAR.search(value)
            if bad:
                self.fail(node, f"the text holds the invisible character "
                                f"U+{ord(bad.group()):04X}, which a document cannot hold",
                          "delete it (it is invisible: retype the value, or remove the "
                          "'\\' escape that makes it)", path)
                return None
        return value

    def _collection(self, node, path, depth):
        self.marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                self.fail(node, f"the tag {_tag_name(node.tag)} is not allowed here", _TAG_HINT,
                          path)
                return None
            return [self.build(child, path + (i,), depth + 1)
                    for i, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP_TAG:
                self.fail(node, f"the tag {_tag_name(node.tag)} is not allowed here", _TAG_HINT,
                          path)
                return None
            out: dict = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.fail(key_node, "merge keys (<<) are not supported",
                              "write the keys out in full", path)
                    continue
                key = self.build(key_node, path + ("<key>",), depth + 1)
                if not isinstance(key, (str, int, float, bool)) or key is None:
                    self.fail(key_node, "a key must be a plain word", "write the key as text", path)
                    continue
                key = str(key) if not isinstance(key, str) else key
                if key in out:
                    self.fail(key_node, f"the key {key!r} appears twice",
                              "keep one of them and delete the other", path + (key,))
                    continue
                self.marks[path + (key,)] = (key_node.start_mark.line + 1,
                                             key_node.start_mark.column + 1)
                out[key] = self.build(value_node, path + (key,), depth + 1)
            return out
        self.fail(node, "this kind of value is not supported", None, path)
        return None


_TAG_HINT = ("a profile holds plain text, numbers, dates, lists and keys only: remove the "
             "tag (the word starting with '!') and write the plain value")


def _tag_name(tag: str) -> str:
    """'tag:yaml.org,2002:python/object' -> '!!python/object', as it was written."""
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix):] if tag.startswith(prefix) else tag


class _Nesting:
    """A composer that stops at MAX_DEPTH levels (it recurses once per level)."""

    _depth = 0

    def compose_node(self, parent, index):
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH + 1:
                raise _TooDeep(self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _Loader(_Nesting, yaml.SafeLoader):
    """PyYAML's safe loader (composition only), stopping early at deep nesting.

    PyYAML's scanner slows down sharply with each open '[' or '{', and its composer
    recurses once per level, so both are cut off at MAX_DEPTH before either can hang
    or overflow the stack."""

    def fetch_flow_collection_start(self, TokenClass):
        if self.flow_level >= MAX_DEPTH:
            raise _TooDeep(self.get_mark())
        super().fetch_flow_collection_start(TokenClass)


try:
    from yaml.cyaml import CParser as _CParser
except ImportError:  # PyYAML built without libyaml
    _CParser = None

if _CParser is not None:
    class _FastLoader(_Nesting, yaml.composer.Composer, _CParser, yaml.resolver.Resolver):
        """libyaml's scanner and parser (C, about fifteen times faster) under PyYAML's own
        composer and resolver. Only for the shipped library, whose files a test checks
        compose to the same nodes, lines and columns as with :class:`_Loader`: on other
        text the two differ in corners (a tab after a value, the place of an empty
        value), so profiles and house libraries keep the pure-Python loader."""

        def __init__(self, stream):
            _CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.resolver.Resolver.__init__(self)


def _compose(text: str, trusted: bool):
    """The node tree of ``text``; a trusted file is read with libyaml when it can be
    (any failure is read again with the pure-Python loader, which reports it)."""
    if trusted and _CParser is not None:
        try:
            return yaml.compose(text, Loader=_FastLoader)
        except Exception:  # noqa: BLE001 - the pure-Python loader says what is wrong
            pass
    return yaml.compose(text, Loader=_Loader)


class _TooDeep(Exception):
    def __init__(self, mark):
        super().__init__(f"values are nested more than {MAX_DEPTH} levels deep")
        self.mark = mark


class _TooBig(Exception):
    def __init__(self, node, message):
        super().__init__(message)
        self.node = node


_SCALARS = yaml.SafeLoader("")


def _scalar(node):
    """Construct one plain scalar with PyYAML's safe rules (dates, ints, bools...)."""
    try:
        value = _SCALARS.construct_object(node, deep=True)
    except Exception:  # noqa: BLE001 - e.g. 2025-13-01, '!!bool maybe': PyYAML raises
        value = node.value  # anything; keep the text and let validation say what is wrong
    finally:
        _SCALARS.constructed_objects.clear()
    if isinstance(value, _dt.datetime) and value.time() == _dt.time() and value.tzinfo is None:
        value = value.date()
    return value


def read_text(path: Path, what: str = "file", max_bytes: int = MAX_BYTES) -> str:
    """Read a UTF-8 text file, turning every I/O problem into a clear Problem list."""
    name = str(path)
    try:
        if path.is_dir():
            raise _ReadProblem(Problem(f"{name} is a folder, not a {what}", file=name,
                                       hint=f"name a .yaml {what}"))
        info = path.stat()
        if not S_ISREG(info.st_mode):
            raise _ReadProblem(Problem(f"{name} is not a regular file (a device or a pipe?)",
                                       file=name, hint=f"name a .yaml {what} saved on disk"))
        size = info.st_size
    except FileNotFoundError:
        raise _ReadProblem(Problem(f"no such {what}", file=name,
                                   hint="check the spelling of the path")) from None
    except OSError as exc:
        raise _ReadProblem(Problem(f"cannot read the {what}: {exc.strerror}", file=name)) from None
    if size > max_bytes:
        try:
            with path.open("rb") as fh:
                _refuse_binary(fh.read(8), path, what)
        except OSError:
            pass
        raise _ReadProblem(Problem(
            f"the {what} is {size:,} bytes; the most allowed is {max_bytes:,}", file=name,
            hint=f"a {what} is a short text file: check that this is the right file"))
    try:
        with path.open("rb") as fh:
            raw = fh.read(max_bytes + 1)   # never more, even if the file grows meanwhile
    except OSError as exc:
        raise _ReadProblem(Problem(f"cannot read the {what}: {exc.strerror}", file=name)) from None
    if len(raw) > max_bytes:
        raise _ReadProblem(Problem(
            f"the {what} is more than {max_bytes:,} bytes, the most allowed", file=name,
            hint=f"a {what} is a short text file: check that this is the right file"))
    _refuse_binary(raw, path, what)
    for bom, codec in _BOMS:         # UTF-16 and UTF-32 with a byte order mark, as YAML allows
        if raw.startswith(bom):
            try:
                return raw[len(bom):].decode(codec)
            except UnicodeDecodeError:
                raise _ReadProblem(Problem(
                    f"the {what} starts as {codec.upper()} text but is not valid {codec.upper()}",
                    file=name, hint="save the file as UTF-8 (in most editors: Save As, "
                                    "Encoding: UTF-8)")) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        guess = raw[exc.start:exc.start + 1].decode("cp1252", "replace")
        raise _ReadProblem(Problem(
            f"the {what} is not UTF-8 text: the byte 0x{raw[exc.start]:02X} here is probably "
            f"'{guess}' saved in another encoding (such as Windows-1252)",
            file=name, line=line, column=column,
            hint="save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8), or "
                 "retype the character")) from None


_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_OFFICE = {".docx": "a Word document", ".docm": "a Word document", ".dotx": "a Word template",
           ".xlsx": "an Excel workbook", ".odt": "an OpenDocument text file",
           ".doc": "a Word document", ".xls": "an Excel workbook"}


def _refuse_binary(raw: bytes, path: Path, what: str) -> None:
    not_text = _binary_kind(raw, path)
    if not_text:
        raise _ReadProblem(Problem(
            f"this is {not_text}, not a {what}: a {what} is a text file (YAML)",
            file=str(path), hint="name the council's .yaml profile (write one with "
                                 "'protocol-gen init'); a Word file whose styles the "
                                 "protocol should take goes to --reference-docx"))


def _binary_kind(raw: bytes, path: Path) -> str | None:
    """What a file that is not text is (a Word file, a PDF), from its first bytes."""
    suffix = Path(path).suffix.lower()
    if raw.startswith(b"PK\x03\x04"):
        return _OFFICE.get(suffix, "a Word document" if b"word/" in raw
                           else "a zip file (such as a Word document)")
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        return _OFFICE.get(suffix, "an old-style Office file (such as a Word .doc)")
    if raw.startswith(b"%PDF"):
        return "a PDF"
    if raw.startswith(b"{\\rtf"):
        return "a rich text (RTF) document"
    return None


class _ReadProblem(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


_SYNTAX_HINTS = (
    ("mapping values are not allowed", "a value containing ': ' must be put in quotes, e.g. "
                                       "name: \"Milcombe: the parish council\"; otherwise "
                                       "look for a missing colon on the line above, or a line "
                                       "indented more than its neighbours"),
    ("flow sequence", "close the '[' opened here with ']', or put the value in quotes"),
    ("flow mapping", "close the '{' opened here with '}', or put the value in quotes"),
    ("'\\t'", "indent with spaces, not tabs"),
    ("could not find expected ':'", "write each setting as 'key: value', with a space after "
                                    "the colon (the mistake may be on the line above)"),
    ("expected <block end>", "line up the keys of one level exactly (same number of spaces), "
                             "and put a value starting with '[', '{' or a quote in quotes "
                             "as a whole"),
    ("quoted scalar", "close the quote that is opened here"),
    ("undefined alias", "write the value out instead of '*name'"),
    ("found character", "put the value in quotes"),
)


def _syntax_hint(problem: str) -> str:
    """The likely fix for one of PyYAML's syntax messages, in plain words."""
    for words, hint in _SYNTAX_HINTS:
        if words in problem:
            return hint
    return ("check the indentation and that every 'key: value' has a space after the colon; "
            "quote values containing ': ' or '#'")


def parse_yaml(text: str, file: str, *,
               trusted: bool = False) -> tuple[Located | None, list[Problem]]:
    """Parse YAML text into :class:`Located` data, or return the problems found.
    ``trusted``: a shipped library file, read with libyaml (see :class:`_FastLoader`)."""
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, [Problem("the file contains a NUL character; it is not a text file",
                              file=file, line=line, hint="check that this is the right file")]
    odd_indent = odd_indents(text, file)
    if odd_indent:
        return None, odd_indent
    try:
        node = _compose(text, trusted)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and ("end of stream" in str(exc.problem)
                                 or "stream end" in str(exc.problem)) and exc.context and \
                ("quoted" in exc.context or "flow" in exc.context):
            mark = exc.context_mark  # point at the quote or bracket left open
        what = exc.problem or "invalid YAML"
        if exc.context:
            what = f"{exc.context}, {what}"
        quote = quote_closed_early(text, mark)
        return None, [Problem(f"YAML syntax error: {quote[0] if quote else what}", file=file,
                              line=mark.line + 1 if mark else None,
                              column=mark.column + 1 if mark else None,
                              hint=quote[1] if quote else _syntax_hint(what))]
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        return None, [Problem(f"the file holds the control character U+{exc.character:04X}, "
                              "which YAML does not allow", file=file, line=line,
                              hint="delete it (it is invisible: retype the line)")]
    except yaml.YAMLError as exc:
        return None, [Problem(f"YAML error: {exc}", file=file)]
    except _TooDeep as exc:
        return None, [Problem(str(exc), file=file, line=exc.mark.line + 1,
                              column=exc.mark.column + 1,
                              hint="a profile needs only a few levels: check the brackets "
                                   "and indentation")]
    except RecursionError:
        return None, [Problem(f"values are nested more than {MAX_DEPTH} levels deep", file=file)]
    if node is None:
        return None, [Problem("the file is empty (or holds only comments)", file=file, line=1,
                              hint="run 'protocol-gen init' to write a starting profile")]
    builder = _Builder(file)
    try:
        data = builder.build(node)
    except _TooBig as exc:
        m = exc.node.start_mark
        return None, [Problem(str(exc), file=file, line=m.line + 1, column=m.column + 1,
                              hint="write the values out plainly")]
    except RecursionError:
        return None, [Problem(f"values are nested more than {MAX_DEPTH} levels deep", file=file)]
    if builder.problems:
        return None, builder.problems
    return Located(data, file, builder.marks, builder.written, hash_values(text, file)), []


def load_yaml_file(path: Path, what: str = "file", max_bytes: int = MAX_BYTES, *,
                   trusted: bool = False) -> tuple[Located | None, list[Problem]]:
    """Read and parse a YAML file; problems come back as a list, never raised."""
    try:
        text = read_text(path, what, max_bytes)
    except _ReadProblem as exc:
        return None, [exc.problem]
    return parse_yaml(text, str(path), trusted=trusted)
