"""The render stage: a :class:`~generator.document.Document` -> Markdown, DOCX, HTML, PDF.

Takes an assembled Document (and, for DOCX, an optional council Word template), gives
the bytes or text of each format; the review stage's committee report and ``impact``
report are written here too (``report``, ``impact``). Never decides what the protocol says, and never writes
a file: the command line and the batch do that.
"""
