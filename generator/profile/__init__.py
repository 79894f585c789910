"""The profile stage: a council's YAML profile -> a validated :class:`~.model.Profile`.

Takes the text of a profile (``load`` reads the file; ``yamlsource`` keeps every key's line
and column), gives a Profile and every problem found, located, with its fix. Also the
profile's JSON Schema and reference, and the ``init`` interview. Never sees clauses,
documents or output formats.
"""
