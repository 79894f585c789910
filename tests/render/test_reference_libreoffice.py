"""A council template saved by LibreOffice (style ids that differ from their names) is
taken without any library warning reaching the user."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import docx

from conftest import PROFILES, ROOT

MILCOMBE = PROFILES / "milcombe-parish-council.yaml"


def test_a_libreoffice_template_gives_no_library_warnings(invoke, tmp_path):
    assert invoke("build", MILCOMBE, "--out", tmp_path / "first", "--format",
                  "docx").exit_code == 0
    built = next((tmp_path / "first").rglob("*.docx"))
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed for this test"
    saved = tmp_path / "lo"
    proc = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile",
                           "--headless", "--convert-to", "docx:MS Word 2007 XML",
                           "--outdir", str(saved), str(built)],
                          capture_output=True, text=True, timeout=180)
    template = saved / built.name
    assert proc.returncode == 0 and template.is_file(), proc.stderr
    for debug in ("", "1"):    # with PROTOCOLGEN_DEBUG=1 nothing is hidden: no warning at all
        env = {**os.environ, "PROTOCOLGEN_DEBUG": debug, "PYTHONWARNINGS": "default"}
        out = tmp_path / f"out{debug}"
        result = subprocess.run([sys.executable, "-m", "generator", "build", str(MILCOMBE),
                                 "--out", str(out), "--reference-docx", str(template)],
                                cwd=ROOT, capture_output=True, text=True, timeout=300,
                                env=env)
        assert result.returncode == 0, result.stderr
        assert "Warning" not in result.stderr and "warn(" not in result.stderr, result.stderr
        assert result.stderr == ""
        document = docx.Document(str(next(out.rglob("*.docx"))))
        assert {"Title", "Heading 1", "Clause"} <= {p.style.name for p in document.paragraphs}
