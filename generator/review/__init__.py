"""The review stage: protocols this tool wrote, read back and compared.

Takes a generated .md or .docx (or a Document), gives its paragraphs with their numbers
(``readback``), the differences between two versions as a change summary and a redline with
Word tracked changes (``redline``, written by ``tracked``), the redline of a new build
against the council's current protocol in any format, matched by content with each change's
reason as a comment (``against``), and the earlier versions kept beside a rebuilt file
(``versions``). Never changes what a protocol says.
"""
