"""A Word file from outside, checked before python-docx opens it: a zip whose parts
unpack to no more than a protocol needs, and whose XML declares no DTD or entities.

Each part's unpacked size is read from the zip's directory and capped (one XML part,
and all together: :data:`MAX_PART`, :data:`MAX_UNZIPPED`); a part whose directory entry
understates its size cannot be unpacked past it (``zipfile`` stops at the stated size
and the checksum then fails). Each XML part's prolog is then read, in chunks, up to its
root element, by defusedxml, which refuses a DTD, an entity declaration or an external
reference (python-docx parses the rest without resolving entities). So a decompression
bomb is refused from its directory in milliseconds and in little memory, and the time
spent on any file is bounded by the caps.
"""
from __future__ import annotations

import io
import zipfile

from ..errors import Problem, ProtocolGenError

MAX_PART = 8 * 1024 * 1024       # one XML part, unpacked (a 10,000-word document.xml is ~1 MB)
MAX_UNZIPPED = 24 * 1024 * 1024  # all the parts, unpacked (pictures included)
MAX_PARTS = 1_000                # parts in a Word file (a protocol has about 20)
CHUNK = 64 * 1024


def _refuse(name: str, message: str) -> ProtocolGenError:
    return ProtocolGenError(Problem(message, file=name, hint="open it in Word and save a "
                                    "copy of the protocol alone as .docx"))


def check_package(data: bytes, name: str) -> None:
    """Raise ProtocolGenError when the Word file ``data`` unpacks to more than a
    protocol needs or holds XML with a DTD or entities; a file that is not a zip at all
    is left for python-docx to refuse in its own words."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        infos = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return
    mb = 1024 * 1024
    if len(infos) > MAX_PARTS:
        raise _refuse(name, f"the Word file holds {len(infos):,} parts, far more than any "
                      f"protocol (the limit is {MAX_PARTS:,})")
    total = sum(i.file_size for i in infos)
    xml = [i for i in infos if i.filename.endswith((".xml", ".rels"))]
    biggest = max(xml or infos, key=lambda i: i.file_size, default=None)
    if biggest is not None and biggest.file_size > MAX_PART or total > MAX_UNZIPPED:
        raise _refuse(name, f"the Word file unpacks to {max(total, 1) / mb:,.0f} MB "
                      f"({biggest.filename} alone {biggest.file_size / mb:,.0f} MB), far "
                      f"more than any protocol (the limit is {MAX_PART // mb} MB a part "
                      f"and {MAX_UNZIPPED // mb} MB in all)")
    for info in xml:
        _check_xml(package, info, name, MAX_PART)


class _Root(Exception):
    """The root element is reached: no DTD can follow."""


class _StopAtRoot:
    """An ElementTree target that stops the parse at the root element's start."""

    def start(self, tag, attrs):
        raise _Root

    def close(self):
        return None


def _check_xml(package: zipfile.ZipFile, info: zipfile.ZipInfo, name: str,
               cap: int) -> None:
    """Read one XML part's prolog (in chunks, to the root element, never past ``cap``)
    with defusedxml: no DTD, no entities, no external references. The rest of the part
    is python-docx's to parse (without resolving entities)."""
    import defusedxml
    from defusedxml.ElementTree import XMLParser

    parser = XMLParser(target=_StopAtRoot(), forbid_dtd=True, forbid_entities=True,
                       forbid_external=True)
    read = 0
    try:
        with package.open(info) as part:
            while chunk := part.read(CHUNK):
                read += len(chunk)
                if read > cap:
                    raise _refuse(name, f"a part of the Word file ({info.filename}) "
                                  f"unpacks to more than {cap // (1024 * 1024)} MB")
                parser.feed(chunk)
    except _Root:
        return
    except defusedxml.DefusedXmlException:
        raise _refuse(name, f"a part of the Word file ({info.filename}) declares a DTD or "
                      "entities, which Word never writes: it may be built to attack the "
                      "reader") from None
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, RuntimeError):
        raise _refuse(name, f"a part of the Word file ({info.filename}) is damaged") from None
    except Exception:  # noqa: BLE001 - expat's ParseError: python-docx will say so
        return
