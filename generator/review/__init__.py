"""The review stage: protocols this tool wrote, read back and compared.

Takes a generated .md or .docx (or a Document), gives its paragraphs with their numbers
(``readback``), the differences between two versions as a change summary and a redline with
Word tracked changes (``redline``, written by ``tracked``), the redline of a new build
against the council's current protocol in any format, matched by content with each change's
reason as a comment (``against``), the earlier versions kept beside a rebuilt file
(``versions``), a redline's changes grouped as a committee reads them (``changes``) and the
covering report to the meeting that adopts the protocol (``report``), and which councils of
a folder a change in the law recorded in the register touches (``impact``). Never changes
what a protocol says.
"""
