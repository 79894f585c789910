"""The few raw WordprocessingML pieces python-docx lacks, kept in one place.

Everything else in the DOCX is made through python-docx's own API. The helpers here
build numbering definitions, fields (TOC, PAGE, NUMPAGES, PAGEREF), bookmarks,
hyperlinks, table header rows and captions, document language and update-on-open
settings, each inserted where the schema's element order wants it.
"""
from __future__ import annotations

from functools import lru_cache

from docx.oxml import OxmlElement as _OxmlElement
from docx.oxml.ns import NamespacePrefixedTag, qn
from docx.oxml.parser import oxml_parser
from lxml import etree

# ---- generic ---------------------------------------------------------------------


@lru_cache(maxsize=None)
def _tag(tag: str) -> tuple[str, dict[str, str]]:
    nsptag = NamespacePrefixedTag(tag)
    return nsptag.clark_name, nsptag.nsmap


@lru_cache(maxsize=None)
def _attr(key: str) -> str:
    return qn(f"w:{key}")


def OxmlElement(tag: str, attrs=None, namespaces=None):  # noqa: N802 - python-docx's name
    """python-docx's ``OxmlElement`` (an element of python-docx's own classes), with the
    tag parsing cached for the common case: clause text makes thousands of these."""
    if attrs or namespaces:
        return _OxmlElement(tag, attrs, namespaces)
    clark, nsmap = _tag(tag)
    return oxml_parser.makeelement(clark, nsmap=nsmap)


def element(tag: str, **attrs: str):
    """A new element with ``w:`` attributes: element("w:tab", val="right")."""
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(_attr(key), str(value))
    return el


def insert_before(parent, child, successors: tuple[str, ...]):
    """Insert ``child`` into ``parent`` before the first existing element whose tag is in
    ``successors`` (the elements the schema puts after it), else append it."""
    for tag in successors:
        found = parent.find(qn(tag))
        if found is not None:
            found.addprevious(child)
            return child
    parent.append(child)
    return child


def replace_child(parent, child, successors: tuple[str, ...]):
    """Remove any existing element with ``child``'s tag, then insert ``child`` in order."""
    for old in parent.findall(child.tag):
        parent.remove(old)
    return insert_before(parent, child, successors)


# ---- paragraphs and runs (the fast path for clause text) ----------------------------

XML_SPACE = qn("xml:space")


def sub(parent, tag: str, **attrs):
    """Append a child element (of python-docx's classes) with ``w:`` attributes. Twice as
    fast as creating and appending: clause text makes thousands of these."""
    return etree.SubElement(parent, _tag(tag)[0],
                            {_attr(k): str(v) for k, v in attrs.items()})


def paragraph(style_id: str | None = None, *, numbering: tuple[int, int] | None = None,
              indent: tuple[int, int] | None = None, page_break_before: bool = False):
    """A new ``w:p``: its style, optional list numbering (num id, level) and indentation
    (left, hanging, in twips)."""
    p = OxmlElement("w:p")
    if style_id or numbering or indent or page_break_before:
        ppr = sub(p, "w:pPr")
        if style_id:
            sub(ppr, "w:pStyle", val=style_id)
        if page_break_before:
            sub(ppr, "w:pageBreakBefore")
        if numbering:
            num_pr = sub(ppr, "w:numPr")
            sub(num_pr, "w:ilvl", val=numbering[1])
            sub(num_pr, "w:numId", val=numbering[0])
        if indent:
            left, hanging = indent
            if hanging:
                sub(ppr, "w:ind", left=left, hanging=hanging)
            else:
                sub(ppr, "w:ind", left=left)
    return p


def run(text: str, *, bold: bool = False, italic: bool = False, style_id: str | None = None,
        font: str | None = None, parent=None):
    """A ``w:r`` holding ``text`` (tabs and line breaks become w:tab and w:br), appended
    to ``parent`` when given."""
    r = OxmlElement("w:r") if parent is None else sub(parent, "w:r")
    if bold or italic or style_id or font:
        rpr = sub(r, "w:rPr")
        if style_id:
            sub(rpr, "w:rStyle", val=style_id)
        if font:
            sub(rpr, "w:rFonts", ascii=font, hAnsi=font, cs=font)
        if bold:
            sub(rpr, "w:b")
        if italic:
            sub(rpr, "w:i")
    for i, line in enumerate(text.split("\n")):
        if i:
            sub(r, "w:br")
        for j, piece in enumerate(line.split("\t")):
            if j:
                sub(r, "w:tab")
            if piece:
                t = sub(r, "w:t")
                t.set(XML_SPACE, "preserve")
                t.text = piece
    return r


def tab_stops(p, stops: list[tuple[str, int]]) -> None:
    """Give a paragraph made by :func:`paragraph` its own tab stops: (kind, position in
    twips), kind "left", "right", "center" or "clear" (removes a style's stop)."""
    ppr = p.get_or_add_pPr()
    tabs = OxmlElement("w:tabs")
    for kind, pos in sorted(stops, key=lambda s: s[1]):
        sub(tabs, "w:tab", val=kind, pos=pos)
    insert_before(ppr, tabs, ("w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
                              "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
                              "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
                              "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                              "w:suppressOverlap", "w:jc", "w:textDirection",
                              "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
                              "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange"))


# ---- numbering -------------------------------------------------------------------

def level(ilvl: int, fmt: str, text: str, left: int, hanging: int, *,
          style_id: str | None = None, font: str | None = None, bold: bool = False,
          suffix: str = "tab"):
    """One ``w:lvl`` of an abstract numbering. ``left``/``hanging`` in twentieths of a
    point; ``text`` is Word's level text (``%1.%2``, ``(%3)``, a bullet character)."""
    lvl = element("w:lvl", ilvl=ilvl)
    lvl.append(element("w:start", val=1))
    lvl.append(element("w:numFmt", val=fmt))
    if style_id:
        lvl.append(element("w:pStyle", val=style_id))
    lvl.append(element("w:suff", val=suffix))
    lvl.append(element("w:lvlText", val=text))
    lvl.append(element("w:lvlJc", val="left"))
    ppr = element("w:pPr")
    tabs = element("w:tabs")
    tabs.append(element("w:tab", val="num", pos=left))
    ppr.append(tabs)
    ppr.append(element("w:ind", left=left, hanging=hanging))
    lvl.append(ppr)
    if font or bold:
        rpr = element("w:rPr")
        if font:
            rpr.append(element("w:rFonts", ascii=font, hAnsi=font, cs=font, hint="default"))
        if bold:
            rpr.append(element("w:b"))
        lvl.append(rpr)
    return lvl


def add_abstract_numbering(numbering, levels, *, multilevel: bool = True,
                           name: str | None = None) -> int:
    """Add a ``w:abstractNum`` (before every ``w:num``, as the schema wants) and return
    its id (one more than the highest already there)."""
    ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    abstract_id = max(ids, default=-1) + 1
    abstract = element("w:abstractNum", abstractNumId=abstract_id)
    abstract.append(element("w:nsid", val=f"{0x50470000 + abstract_id:08X}"))
    abstract.append(element("w:multiLevelType",
                            val="multilevel" if multilevel else "hybridMultilevel"))
    if name:
        abstract.append(element("w:name", val=name))
    for lvl in levels:
        abstract.append(lvl)
    insert_before(numbering, abstract, ("w:num", "w:numIdMacAtCleanup"))
    return abstract_id


def add_numbering_instance(numbering, abstract_id: int,
                           restart: dict[int, int] | None = None) -> int:
    """Add a ``w:num`` pointing at ``abstract_id`` and return its id. ``restart`` maps a
    level to the number it starts again from (a list that restarts at (a))."""
    ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    num_id = max(ids, default=0) + 1
    num = element("w:num", numId=num_id)
    num.append(element("w:abstractNumId", val=abstract_id))
    for ilvl, start in sorted((restart or {}).items()):
        override = element("w:lvlOverride", ilvl=ilvl)
        override.append(element("w:startOverride", val=start))
        num.append(override)
    insert_before(numbering, num, ("w:numIdMacAtCleanup",))
    return num_id


def set_numbering(ppr, num_id: int, ilvl: int) -> None:
    """Give a paragraph or style's ``w:pPr`` the numbering ``num_id`` at level ``ilvl``."""
    num_pr = ppr.get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = num_id


def clear_numbering(ppr) -> None:
    """Remove a style's own numbering (a reference template's numbered Heading 2)."""
    ppr._remove_numPr()


def suppress_numbering(ppr) -> None:
    """numId 0: this paragraph is not numbered although its style is (Heading 1 used for
    'Version history')."""
    num_pr = ppr.get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = 0


# ---- fields, bookmarks, hyperlinks -----------------------------------------------

def _field_char(kind: str, dirty: bool = False):
    r = OxmlElement("w:r")
    char = element("w:fldChar", fldCharType=kind)
    if dirty:
        char.set(qn("w:dirty"), "true")
    r.append(char)
    return r


def _instr(text: str):
    r = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {text} "
    r.append(instr)
    return r


def field_begin(container, instruction: str, dirty: bool = False) -> None:
    """Append the start of a complex field (begin, instruction, separate)."""
    container.append(_field_char("begin", dirty))
    container.append(_instr(instruction))
    container.append(_field_char("separate"))


def field_end(container) -> None:
    container.append(_field_char("end"))


def add_field(container, instruction: str, cached: str) -> None:
    """Append a whole complex field (``PAGE``, ``NUMPAGES``, ``PAGEREF x \\h``) whose
    last computed value is ``cached``; Word and LibreOffice recompute it."""
    field_begin(container, instruction)
    run(cached, parent=container)
    field_end(container)


def add_text(container, text: str) -> None:
    """Append a plain run (a tab character becomes a tab)."""
    run(text, parent=container)


def bookmark(paragraph_element, bookmark_id: int, name: str) -> None:
    """Wrap a paragraph's content in a bookmark (a TOC or cross-reference target)."""
    start = element("w:bookmarkStart", id=bookmark_id, name=name)
    ppr = paragraph_element.find(qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        paragraph_element.insert(0, start)
    paragraph_element.append(element("w:bookmarkEnd", id=bookmark_id))


def hyperlink(paragraph_element, *, rel_id: str | None = None, anchor: str | None = None):
    """Append an empty ``w:hyperlink`` (external via ``rel_id``, internal via ``anchor``)
    to a paragraph and return it; add runs to it."""
    link = OxmlElement("w:hyperlink")
    if rel_id:
        link.set(qn("r:id"), rel_id)
    if anchor:
        link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    paragraph_element.append(link)
    return link


# ---- tables ----------------------------------------------------------------------

def mark_header_row(row) -> None:
    """Mark a table row as the header row (repeated on each page, read as headers)."""
    tr_pr = row._tr.get_or_add_trPr()
    replace_child(tr_pr, element("w:tblHeader"), ("w:tblCellSpacing", "w:jc", "w:hidden"))


def no_split_row(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    replace_child(tr_pr, element("w:cantSplit"),
                  ("w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden"))


def table_description(table, description: str) -> None:
    """The table's alternative text (Word's Alt Text description for tables)."""
    replace_child(table._tbl.tblPr, element("w:tblDescription", val=description), ())


def table_look(table, first_row: bool = True) -> None:
    look = element("w:tblLook", val="04A0" if first_row else "0000",
                   firstRow=int(first_row), lastRow=0, firstColumn=0, lastColumn=0,
                   noHBand=0, noVBand=1)
    replace_child(table._tbl.tblPr, look, ("w:tblCaption", "w:tblDescription"))


def bottom_border(ppr, color: str, size: int = 8, space: int = 4) -> None:
    """A rule under a paragraph (``size`` in eighths of a point)."""
    borders = element("w:pBdr")
    borders.append(element("w:bottom", val="single", sz=size, space=space, color=color))
    replace_child(ppr, borders, ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku",
                                 "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
                                 "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
                                 "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
                                 "w:contextualSpacing", "w:mirrorIndents",
                                 "w:suppressOverlap", "w:jc", "w:textDirection",
                                 "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
                                 "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange"))


# ---- styles, language, settings --------------------------------------------------

_RPR_AFTER_FONTS = ("w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
                    "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint",
                    "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden", "w:color",
                    "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs",
                    "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText",
                    "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
                    "w:specVanish", "w:oMath")
_RPR_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")


def set_fonts(rpr, name: str) -> None:
    """Set every script's font to ``name``, dropping theme fonts (which would win)."""
    fonts = element("w:rFonts", ascii=name, hAnsi=name, cs=name, eastAsia=name)
    replace_child(rpr, fonts, _RPR_AFTER_FONTS)


def set_language(rpr, lang: str) -> None:
    """``w:lang`` of a run-properties element (spelling and screen-reader language)."""
    old = rpr.find(qn("w:lang"))
    new = element("w:lang", val=lang)
    if old is not None:
        for key in ("eastAsia", "bidi"):
            value = old.get(qn(f"w:{key}"))
            if value:
                new.set(qn(f"w:{key}"), value)
    replace_child(rpr, new, _RPR_AFTER_LANG)


def default_run_properties(styles_element):
    """``w:docDefaults/w:rPrDefault/w:rPr``, created when missing."""
    defaults = styles_element.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles_element.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    return rpr


_SETTINGS_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
    "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
    "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
    "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")
_SETTINGS_AFTER_THEME_LANG = _SETTINGS_AFTER_UPDATE_FIELDS[
    _SETTINGS_AFTER_UPDATE_FIELDS.index("w:clrSchemeMapping"):]


def update_fields_on_open(settings_element) -> None:
    """Ask Word to refresh fields (the table of contents, page numbers) when opened."""
    replace_child(settings_element, element("w:updateFields", val="true"),
                  _SETTINGS_AFTER_UPDATE_FIELDS)


def theme_language(settings_element, lang: str) -> None:
    replace_child(settings_element, element("w:themeFontLang", val=lang),
                  _SETTINGS_AFTER_THEME_LANG)


def remove_children(parent, *tags: str) -> None:
    for tag in tags:
        for old in parent.findall(qn(tag)):
            parent.remove(old)


# ---- tracked changes ----

_PPR_AFTER_RPR = ("w:sectPr", "w:pPrChange")


def revision_mark(kind: str, revision_id: int, author: str, date: str | None):
    """An empty ``w:ins`` or ``w:del`` (``kind`` "ins" / "del") with its id, author and
    date (``2025-05-12T00:00:00Z``; left out when None)."""
    mark = element(f"w:{kind}", id=revision_id, author=author)
    if date:
        mark.set(qn("w:date"), date)
    return mark


def track_run(run_element, kind: str, revision_id: int, author: str,
              date: str | None) -> None:
    """Wrap a run in ``w:ins`` or ``w:del``; a deleted run's ``w:t`` become
    ``w:delText``, as the schema requires."""
    mark = revision_mark(kind, revision_id, author, date)
    run_element.addprevious(mark)
    mark.append(run_element)
    if kind == "del":
        for text in run_element.findall(qn("w:t")):
            text.tag = qn("w:delText")


def track_paragraph_mark(paragraph_element, kind: str, revision_id: int, author: str,
                         date: str | None) -> None:
    """Mark a paragraph's own mark as inserted or deleted (``w:pPr/w:rPr/w:ins``), so
    that accepting or rejecting the change removes the whole paragraph."""
    ppr = paragraph_element.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = insert_before(ppr, OxmlElement("w:rPr"), _PPR_AFTER_RPR)
    rpr.insert(0, revision_mark(kind, revision_id, author, date))
