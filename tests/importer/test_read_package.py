"""A Word file from outside is checked before it is opened: a decompression bomb is
refused from the zip's directory (never unpacked), in little memory; a part that lies
about its size cannot be unpacked past what it states; XML with a DTD or entities is
refused (defusedxml)."""
from __future__ import annotations

import io
import struct
import subprocess
import sys
import textwrap
import zipfile

import pytest

from conftest import ROOT
from generator.errors import ProtocolGenError
from generator.importer.read import MAX_PART, read_source

MB = 1024 * 1024
WORD_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def bomb(megabytes: int) -> bytes:
    """A .docx whose document.xml unpacks to ``megabytes`` MB (about 0.2 MB packed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with z.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(f"<w:document {WORD_NS}><w:body>".encode())
            block = b"<w:p><w:r><w:t>Councillors and officers.</w:t></w:r></w:p>" * 16_384
            for _ in range(megabytes * MB // len(block)):
                part.write(block)
            part.write(b"</w:body></w:document>")
    return out.getvalue()


@pytest.mark.parametrize("megabytes", [190, 200])
def test_a_decompression_bomb_is_refused_from_the_directory(megabytes):
    data = bomb(megabytes)
    assert len(data) < MB
    with pytest.raises(ProtocolGenError) as refused:
        read_source(data, "bomb.docx")
    message = str(refused.value)
    # the size is the directory's: the part was refused before any of it was unpacked
    assert f"unpacks to {megabytes:,} MB" in message or f"unpacks to {megabytes - 1:,} MB" \
        in message, message
    assert "word/document.xml" in message and "fix:" in message


def test_the_refusal_fits_in_200_mb_of_memory():
    """In a process whose address space may grow by no more than 200 MB once the reader
    is imported, the 200 MB bomb is refused with its message, not a MemoryError."""
    script = textwrap.dedent(f"""
        import resource, sys
        sys.path.insert(0, {str(ROOT / 'tests')!r})
        from importer.test_read_package import bomb
        from generator.errors import ProtocolGenError
        from generator.importer.read import read_source
        import docx, lxml.etree, defusedxml.ElementTree  # everything the reader imports
        data = bomb(200)
        pages = int(open("/proc/self/statm").read().split()[0])
        used = pages * resource.getpagesize()
        resource.setrlimit(resource.RLIMIT_AS, (used + 200 * 1024 * 1024,) * 2)
        try:
            read_source(data, "bomb.docx")
        except ProtocolGenError as e:
            print("refused:", e)
        """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "refused:" in proc.stdout and "unpacks to" in proc.stdout, proc.stdout


def _understate(data: bytes, member: str, size: int) -> bytes:
    """``data`` with ``member``'s unpacked size stated as ``size`` in its local header
    and the central directory (a zip that lies about its size)."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    out = bytearray(data)
    assert info.file_size < 2 ** 32 - 1
    struct.pack_into("<I", out, info.header_offset + 22, size)
    entry = out.rfind(b"PK\x01\x02", 0, out.rfind(member.encode()))
    assert entry > info.header_offset
    struct.pack_into("<I", out, entry + 24, size)
    return bytes(out)


def test_a_part_that_understates_its_size_is_not_unpacked_past_it():
    big = io.BytesIO()
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", f"<w:document {WORD_NS}><w:body>".encode() +
                   b"<w:p/>" * (3 * MAX_PART // 6) + b"</w:body></w:document>")
    lying = _understate(big.getvalue(), "word/document.xml", 1000)
    with pytest.raises(ProtocolGenError) as refused:
        read_source(lying, "lying.docx")
    assert "fix:" in str(refused.value)


@pytest.mark.parametrize("xml", [
    '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    '<Types>&b;</Types>',
    '<?xml version="1.0"?><!DOCTYPE t SYSTEM "file:///etc/passwd"><Types/>',
])
def test_xml_with_a_dtd_or_entities_is_refused(xml):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", xml)
        z.writestr("word/document.xml", f"<w:document {WORD_NS}/>")
    with pytest.raises(ProtocolGenError) as refused:
        read_source(out.getvalue(), "entities.docx")
    assert "DTD or entities" in str(refused.value)
