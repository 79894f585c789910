"""DOCX bytes -> PDF bytes, made by LibreOffice (``soffice --headless --convert-to pdf``).

Each conversion runs in a temporary folder with its own LibreOffice user profile
(``-env:UserInstallation``), so parallel builds never share a profile or a lock, and with
a time limit. The PDF is tagged (structure for screen readers) and titled from the
document's properties.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path
import re
import shutil
import signal
import subprocess
import tempfile
import time

from ..errors import OutputError, Problem

INSTALL_HINT = "install LibreOffice: sudo apt-get install libreoffice-writer-nogui"
TIMEOUT = 180   # seconds for one soffice run (its first start sets up a profile)
PDF_FILTER = ('pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},'
              '"ExportBookmarks":{"type":"boolean","value":"true"},'
              '"DisplayPDFDocumentTitle":{"type":"boolean","value":"true"}}')


def soffice() -> str:
    """The LibreOffice program, or OutputError saying how to install it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise OutputError(Problem("PDF output needs LibreOffice, which is not installed",
                              hint=INSTALL_HINT))


def docx_to_pdf_many(documents: list[bytes], timeout: int = TIMEOUT) -> list[bytes]:
    """Convert several DOCX files with one LibreOffice start (much faster than one
    start each); returns the PDFs in the same order."""
    program = soffice()
    with tempfile.TemporaryDirectory(prefix="protocolgen-pdf-",
                                     ignore_cleanup_errors=True) as tmp:
        folder = Path(tmp)
        names = []
        for i, data in enumerate(documents):
            path = folder / f"document-{i:04d}.docx"
            path.write_bytes(data)
            names.append(path.name)
        command = [program, f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                   "--headless", "--norestore", "--nolockcheck", "--convert-to", PDF_FILTER,
                   "--outdir", str(folder), *names]
        env = dict(os.environ, HOME=str(folder))
        try:
            result = _run(command, folder, env, timeout)
        except subprocess.TimeoutExpired:
            raise OutputError(Problem(f"LibreOffice took longer than {timeout} seconds to "
                                      "make the PDF and was stopped",
                                      hint="try again; if it keeps happening, build the "
                                           "DOCX and convert it in LibreOffice")) from None
        except OSError as exc:
            raise OutputError(Problem(f"LibreOffice could not be started: {exc.strerror}",
                                      hint=INSTALL_HINT)) from None
        pdfs = []
        for name in names:
            pdf = folder / (name[:-len(".docx")] + ".pdf")
            if not pdf.is_file():
                detail = (result.stderr or result.stdout).decode("utf-8", "replace").strip()
                raise OutputError(Problem(
                    "LibreOffice did not produce a PDF"
                    + (f": {detail.splitlines()[-1]}" if detail else ""),
                    hint="check that LibreOffice Writer is installed "
                         "(libreoffice-writer-nogui) and that no dialog is waiting"))
            pdfs.append(pdf.read_bytes())
        return pdfs


def _run(command: list[str], folder: Path, env: dict, timeout: int):
    """Run LibreOffice in a session of its own, so that a signal meant for the build
    (Ctrl-C, SIGTERM to the process group) does not kill it half-way; when the build
    stops for any reason, LibreOffice and every process it started are stopped too."""
    process = subprocess.Popen(command, cwd=folder, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=os.name == "posix")
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except BaseException:
        _stop(process)
        raise
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def _stop(process: subprocess.Popen) -> None:
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except OSError:
        pass
    process.wait()
    if os.name == "posix":      # and its children, before their folder is removed
        for _ in range(100):
            try:
                os.killpg(process.pid, 0)
            except OSError:
                return
            time.sleep(0.02)


def render_pdf(docx_bytes: bytes, date: dt.date | None = None) -> bytes:
    """One DOCX as PDF bytes. Raises OutputError when LibreOffice is missing or fails.
    With ``date``, the PDF is made reproducible (see :func:`reproducible`)."""
    pdf = docx_to_pdf_many([docx_bytes])[0]
    return reproducible(pdf, date) if date else pdf


_PDF_DATE = re.compile(rb"(/(?:CreationDate|ModDate)\s*\(D:)(\d{14})")
_PDF_ID = re.compile(rb"(/ID\s*\[\s*<)([0-9A-Fa-f]{32})(>\s*<)([0-9A-Fa-f]{32})(>)")
_PDF_CHECKSUM = re.compile(rb"(/DocChecksum\s*/)([0-9A-Fa-f]{32})")


def reproducible(pdf: bytes, date: dt.date) -> bytes:
    """The same PDF with LibreOffice's clock time replaced by ``date`` (midnight) and the
    file identifier and checksum derived from the content, so that the same DOCX gives
    byte-identical PDFs. Every replacement keeps its length, so the cross-reference
    offsets stay right."""
    stamp = date.strftime("%Y%m%d").encode() + b"000000"
    pdf = _PDF_DATE.sub(lambda m: m[1] + stamp, pdf)
    blank = _PDF_CHECKSUM.sub(lambda m: m[1] + b"0" * 32,
                              _PDF_ID.sub(lambda m: m[1] + b"0" * 32 + m[3] + b"0" * 32 + m[5],
                                          pdf))
    digest = hashlib.md5(blank, usedforsecurity=False).hexdigest().upper().encode()
    pdf = _PDF_ID.sub(lambda m: m[1] + digest + m[3] + digest + m[5], pdf)
    return _PDF_CHECKSUM.sub(lambda m: m[1] + digest, pdf)
