"""The library stage: ``clause_library/`` -> a validated :class:`~.clauses.ClauseLibrary`.

Takes the library's folders (the shipped one and any house folders), gives the sections,
clauses and wordings, the sandbox their templates run in, and what the library carries of
its sources (coverage) and why each clause is in a document (provenance). Never reads a
council's profile file and never writes a document.
"""
