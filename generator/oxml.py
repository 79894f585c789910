"""The few raw WordprocessingML pieces python-docx lacks, kept in one place.

Everything else in the DOCX is made through python-docx's own API.
"""
from __future__ import annotations

from docx.oxml import OxmlElement, parse_xml  # noqa: F401  (used by the sections below)
from docx.oxml.ns import nsdecls, qn  # noqa: F401
