"""The browser app (``protocol-gen serve``): pages and a JSON API over the same stages.

Takes the councils' folder (profile files, the single source of truth), the output
folder and requests; gives pages, downloads and JSON made by the same functions the
command line calls (check, assemble, render, explain, build, redline), and saves edits
to a profile in place, keeping the clerk's comments. Never joins text from a request
into a path (councils are looked up in the folder's listing), never writes a file but
atomically, never overwrites a profile changed on disk since it was opened (nor one on
disk that cannot be read, unless asked to by its version), never lists a council without
what ``check`` says of it (a row not yet checked says so), and never shows a traceback.
"""
