"""The import stage: a council's existing protocol -> paragraphs -> matched clauses ->
an audit report, or a profile and a house clause library.

Takes the bytes of an existing protocol (.docx, .pdf, .html, .md or .txt) with its file
name, the clause library and the legislation checks. It gives values: the document's
numbered paragraphs as it shows them, what council it is (each finding with its evidence
and how sure), each paragraph's matching library clause, an audit (topics present,
partial or missing; outdated law; a past review date; contradictions), the audit as
Markdown, HTML or JSON, and for an import the text of a commented profile and of a house
clause library that the profile and library stages read like any other.

Never writes or reads a file (the CLI does), never runs a PDF reader without a time and
page limit, and never drops a paragraph of the council's own: one that matches nothing is
listed in the audit and kept as a house clause.
"""
