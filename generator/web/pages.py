"""The pages: the councils list, a new council, editing a profile, and the preview.

Every page works without JavaScript; htmx (vendored in static/) only refreshes the new
council's questions and the live preview in place. A council is always named by its
profile's file name, looked up in the folder's listing.
"""
from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

from flask import (Blueprint, abort, flash, redirect, render_template, request, session,
                   url_for)

from ..document import long_date, month_text
from ..errors import ProtocolGenError
from ..profile.interview import QUESTIONS, AnswerError, problems_in, profile_yaml, slug, start
from .context import listing, public_problem, store, token_matches
from .plain import SOURCE_COUNCILS
from .preview import preview_data, quick_yaml
from .forms import (GROUPS, apply_form, by_field, date_problems, field_text, form_values,
                    history_rows)
from .store import Conflict, Exists, digest, edited_text

bp = Blueprint("pages", __name__)


@bp.app_template_filter("first_problem")
def _first_problem(text: str) -> str:
    """check's first problem for the list: without its file and line, in words."""
    import re
    from .fieldwords import said
    text = re.sub(r"^\S+?:\d+(?::\d+)?:\s*", "", text)
    return said(text)


@bp.app_template_filter("said")
def _said(text) -> str:
    """Key names in a message said in words (the pages' filter)."""
    from .fieldwords import said
    return said(str(text) if text is not None else "")


def _today() -> dt.date:
    return dt.date.today()


def _opened(name: str) -> tuple[str, bytes]:
    found = store().read(name)
    if found is None:
        abort(404)
    path, raw = found
    return str(path), raw


@bp.get("/")
def councils():
    today = _today()
    rows = listing().rows(today)
    with listing().giving_way():
        return render_template("councils.html", rows=rows, today=today,
                               long_date=long_date, month_text=month_text,
                               checking=sum(not r.checked for r in rows),
                               folder=str(store().folder))


@bp.route("/login", methods=["GET", "POST"])
def login():
    wrong = False
    if request.method == "POST":
        if token_matches(request.form.get("token", "")):
            session["token_ok"] = True
            target = request.args.get("next", "/")
            return redirect(target if target.startswith("/") and not
                            target.startswith("//") else "/")
        wrong = True
    return render_template("login.html", wrong=wrong), (401 if wrong else 200)


# ---- a new council ---------------------------------------------------------------

def _interview(form) -> tuple[dict[str, Any], dict[str, AnswerError], list]:
    """The init questions answered from the form: the questions that apply to the
    answers so far, with the suggested answer where the form leaves one empty."""
    answers = start(_today())
    errors: dict[str, AnswerError] = {}
    asked = []
    for q in QUESTIONS:
        if not q.asked(answers):
            answers[q.key] = q.default(answers)
            continue
        asked.append(q)
        raw = str(form.get(q.key, "")).strip()
        if raw and raw == str(form.get(f"suggested-{q.key}", "")).strip():
            raw = ""                # the suggestion left as it was: suggest afresh
        try:
            if raw:
                answers[q.key] = q.parse(raw, answers)
            else:
                answers[q.key] = q.default(answers)
                if answers[q.key] is None and q.required:
                    raise AnswerError("an answer is needed",
                                      "choose one" if q.choices else "type it")
        except AnswerError as exc:
            errors[q.key] = exc
            answers[q.key] = q.default(answers)
        if q.key == "name" and answers.get("name") is None:
            answers["name"] = ""
        if q.key == "tier" and not answers.get("tier"):
            break                       # the rest depends on the kind of council
    return answers, errors, asked


def _shown(q, answers, form) -> str:
    raw = form.get(q.key)
    suggested = str(form.get(f"suggested-{q.key}", "")).strip()
    if raw is not None and str(raw).strip() and str(raw).strip() != suggested:
        return str(raw)             # the clerk's own answer (a suggestion is made afresh)
    return q.shown_default(answers) if answers.get(q.key) is not None or q.required else ""


@bp.route("/councils/new", methods=["GET", "POST"])
def new_council():
    form = request.form if request.method == "POST" else {}
    answers, errors, asked = _interview(form)
    problems = []
    creating = request.method == "POST" and "create" in request.form
    if creating and not errors and answers.get("tier"):
        name = slug(answers["name"])
        text = profile_yaml(answers, filename=f"{name}.yaml")
        problems = [p for p in problems_in(text, _today()) if p.severity == "error"]
        if not problems:
            try:
                store().create(name, text)
            except Exists:
                errors["name"] = AnswerError(
                    f"{answers['name']} is already in the list of councils",
                    "open it from the list, or give another name")
            else:
                flash(f"Added {answers['name']}. Check the details below; the protocol as "
                      "it will read is beside them.")
                return redirect(url_for("pages.edit", name=name))
    fields = [(q, _shown(q, answers, form)) for q in asked]
    status = 422 if creating else 200
    template = "_questions.html" if request.headers.get("HX-Request") else "new.html"
    return render_template(template, fields=fields, answers=answers,
                           errors=errors if creating else {},
                           problems=problems, submitted=creating), status


@bp.post("/councils/import")
def import_council():
    """Start from the protocol the council already has: the uploaded file is imported as
    'protocol-gen import' does, into the councils' folder (a commented profile and a
    folder of the council's own wording). When the council is already in the list, the
    clerk chooses: replace it, import as a new council, or compare."""
    from ..errors import Problem
    from ..files import replace_folder, safe_stem
    from ..importer.read import MAX_BYTES
    from ..importer.run import audit_bytes
    from . import imports

    upload = request.files.get("protocol")
    if upload is None or not upload.filename:
        problems = [Problem("no file was chosen", hint="choose the council's current "
                                                       "protocol: .docx, .pdf, .html, .md or .txt")]
    else:
        given = Path(upload.filename.replace("\\", "/")).name   # a label; never a path
        try:
            library = store().library()
            data = upload.read(MAX_BYTES + 1)
            found = audit_bytes(data, given, library)
            council = found.council.value("name") or "Imported council"
            stem = safe_stem(council).lower() if found.council.value("name") \
                else "imported-council"
            if imports.exists(store().folder, stem):
                token = imports.keep(imports.Pending(given, data, found, stem, council))
                return _exists_page(token), 409
            replace_folder(store().folder, imports.files_for(found, stem, library))
        except ProtocolGenError as exc:
            problems = list(exc.problems)
        else:
            return _imported(given, stem)
    answers, _, asked = _interview({})
    fields = [(q, _shown(q, answers, {})) for q in asked]
    return render_template("new.html", fields=fields, answers=answers, errors={},
                           problems=[], submitted=False, upload_problems=problems), 422


def _imported(given: str, stem: str):
    from .doubts import doubts_in
    text = store().read(stem)[1].decode("utf-8", "replace")
    left = len(doubts_in(text))
    flash(f"Imported {given}, with the council's own wording." + (
        f" Please check the {left} value{'s' if left != 1 else ''} marked below: the "
        "protocol can be made once each is confirmed." if left else ""))
    return redirect(url_for("pages.edit", name=stem))


def _exists_page(token: str, new_name: str = "", problem: str = "", redline=None):
    from . import imports
    pending = imports.kept(token)
    return render_template("import_exists.html", token=token, pending=pending,
                           new_name=new_name or f"{pending.council} (imported)",
                           problem=problem, redline=redline)


@bp.post("/councils/import/<token>")
def import_choice(token: str):
    """The clerk's choice for an upload whose council is already in the list."""
    from ..files import replace_folder, safe_stem
    from . import imports
    pending = imports.kept(token)
    if pending is None:
        flash("That upload is no longer kept (uploads wait an hour). Please upload the "
              "file again.")
        return redirect(url_for("pages.new_council"))
    action = request.form.get("action")
    library = store().library()
    if action == "replace":
        replace_folder(store().folder, imports.files_for(pending.audit, pending.stem,
                                                         library), force=True)
        imports.forget(token)
        return _imported(pending.file_name, pending.stem)
    if action == "new":
        name = " ".join(request.form.get("name", "").split())
        stem = safe_stem(name).lower() if name else ""
        if not stem or imports.exists(store().folder, stem):
            why = "Please give the new council a name." if not name else \
                f"“{name}” is in the list too. Please give another name."
            return _exists_page(token, name, why), 422
        replace_folder(store().folder, imports.files_for(pending.audit, stem, library, name))
        imports.forget(token)
        return _imported(pending.file_name, stem)
    if action == "compare":
        path, raw = _opened(pending.stem)
        checked = store().check(pending.stem, raw.decode("utf-8", "replace"), _today())
        if checked.document is None:
            return _exists_page(token, problem="The council in the list cannot be made into "
                                "a protocol yet, so there is nothing to compare: open it "
                                "and fix what it says first."), 422
        pending.redline = imports.compare(pending, checked, path)
        return _exists_page(token, redline=pending.redline)
    abort(400)


@bp.get("/councils/import/<token>/redline.docx")
def import_redline(token: str):
    from . import imports
    from .outputs import download
    pending = imports.kept(token)
    if pending is None or pending.redline is None:
        abort(404)
    return download(pending.redline.docx, f"{pending.stem}-compared-with-upload.docx", "docx")


# ---- editing -------------------------------------------------------------------

def _edit_page(name: str, raw: bytes, values: dict[str, str], problems, status=200,
               conflict=False, preview=None, checked=None):
    from .doubts import doubts_in
    from .fieldwords import (HEADINGS, choice_words, chosen_items, field_words, unknown_choice,
                             usual_values)
    text = raw.decode("utf-8", "replace")
    data = store().data(text, name) or {}
    words = {f.name: field_words(f, data) for g in GROUPS for f in g.fields}
    profile = checked.profile if checked is not None else None
    library = checked.library if checked is not None else None
    sources = {k: v.removesuffix("'s protocol") for k, v in SOURCE_COUNCILS.items()}
    sources["anytown"] = "A model protocol for principal councils"
    council = data.get("council") if isinstance(data.get("council"), dict) else {}
    return render_template(
        "edit.html", name=name, groups=GROUPS, values=values, problems=problems,
        by_field=by_field(problems), base=digest(raw), conflict=conflict, preview=preview,
        words=words, headings=HEADINGS, labels={k: w["label"] for k, w in words.items()},
        usual=usual_values(profile), chosen=chosen_items(profile, library), doubts=doubts_in(text),
        choice_words=choice_words, source_names=sources, unknown_choice=unknown_choice, history_rows=history_rows,
        title=council.get("name"), attempted=status != 200), status


@bp.get("/councils/<name>")
def edit(name: str):
    path, raw = _opened(name)
    text = raw.decode("utf-8", "replace")
    data = store().data(text, path)
    checked = store().check(name, text, _today())
    if data is None:
        return render_template("broken.html", name=name, file=Path(path).name,
                               problems=map(public_problem, checked.problems), text=text), 422
    return _edit_page(name, raw, form_values(data), list(checked.problems),
                      preview=_preview(checked), checked=checked)


@bp.post("/councils/<name>")
def save(name: str):
    from .doubts import confirmed, doubts_in
    path, raw = _opened(name)
    text = raw.decode("utf-8", "replace")
    base = request.form.get("base", "")
    values = _form_values(request.form)
    if base != digest(raw):
        return _edit_page(name, raw, values, [], 409, conflict=True)
    data = store().data(text, path)
    try:
        new_text = edited_text(text, apply_form(data, request.form)) if data else None
    except ProtocolGenError:
        new_text = None
    if new_text is None:          # broken on disk: the form cannot keep the clerk's text
        return render_template("broken.html", name=name, file=Path(path).name, text=text,
                               problems=map(public_problem,
                                            store().check(name, text, _today()).problems),
                               refused=True), 409
    dates = date_problems(request.form)
    if dates:
        return _edit_page(name, raw, values, dates, 422)
    shown = form_values(data)
    ticked = set(request.form.getlist("confirm")) | {
        k for k in doubts_in(text) if k in values and values[k].strip() != shown.get(k, "")}
    new_text = confirmed(new_text, ticked)
    checked = store().check(name, new_text, _today())
    if checked.errors:
        return _edit_page(name, raw, values, list(checked.problems), 422,
                          preview=_preview(checked), checked=checked)
    try:
        store().save(name, new_text, base)
    except Conflict:
        return _edit_page(name, raw, values, [], 409, conflict=True)
    left = len(doubts_in(new_text))
    flash("Saved." + (f" {len(checked.warnings)} note(s) to look at."
                      if checked.warnings else "") +
          (f" {left} value(s) still to check." if left else ""))
    return redirect(url_for("pages.edit", name=name))


def _form_values(form) -> dict[str, str]:
    """The form as sent, field by field, to show it again."""
    return {f.name: (field_text(form, f) or "") for g in GROUPS for f in g.fields}


@bp.post("/councils/<name>/live")
def live_preview(name: str):
    """The preview of the form as it stands, not saved (htmx asks for it as the
    clerk types; without JavaScript the 'Preview changes' button shows the page)."""
    path, raw = _opened(name)
    text = raw.decode("utf-8", "replace")
    dates = date_problems(request.form)
    if request.headers.get("HX-Request"):      # as the clerk types: quick, never saved
        if dates:
            return render_template("_preview.html", name=name,
                                   preview={"errors": dates, "sections": []})
        new = apply_form(_data(text, path), request.form)
        checked = store().check(name, quick_yaml(new), _today())
        return render_template("_preview.html", preview=_preview(checked), name=name)
    data = store().data(text, path) or {}
    checked = store().check(name, edited_text(text, apply_form(data, request.form)), _today())
    values = _form_values(request.form)
    return _edit_page(name, raw, values, dates or list(checked.problems),
                      preview=_preview(checked), checked=checked)


def _data(text: str, path: str) -> dict:
    """The profile's data, read once for each version of the file (the live preview asks
    for it at every pause in typing)."""
    key = (path, digest(text.encode("utf-8")))
    if _data.last[0] != key:
        _data.last = (key, store().data(text, path) or {})
    return copy.deepcopy(_data.last[1])


_data.last = (None, {})


# ---- the preview, with where each clause comes from ------------------------------------

def _preview(checked, report=None, open_clause=None) -> dict | None:
    return preview_data(checked, report, open_clause)


@bp.get("/councils/<name>/preview")
def preview(name: str):
    from ..library.provenance import explain
    path, raw = _opened(name)
    checked = store().check(name, raw.decode("utf-8", "replace"), _today())
    report = None
    if checked.document is not None:
        report = explain(checked.profile, checked.library, checked.document, path)
    shown = _preview(checked, report, request.args.get("open"))
    return render_template("preview.html", name=name, preview=shown,
                           left_out=shown["left_out"], base=digest(raw),
                           title=checked.profile.council.name if checked.profile else None,
                           open_wordings=request.args.get("open"),
                           problems=checked.errors), (200 if report else 422)


@bp.post("/councils/<name>/drafting")
def drafting(name: str):
    """Leave a clause out, put it back, or choose its wording: written to the
    profile's drafting keys (exclude, variants)."""
    path, raw = _opened(name)
    if request.form.get("base") != digest(raw):
        flash("The profile was changed elsewhere since this page was opened; nothing was "
              "saved. Here it is as it is now.")
        return redirect(url_for("pages.preview", name=name))
    text = raw.decode("utf-8", "replace")
    data = store().data(text, path) or {}
    draft = dict(data["drafting"]) if isinstance(data.get("drafting"), dict) else {}
    clause = request.form.get("clause", "")
    action = request.form.get("action", "")
    exclude = list(draft.get("exclude") or [])
    variants = dict(draft.get("variants") or {})
    if action == "exclude" and clause not in exclude:
        exclude.append(clause)
    elif action == "include":
        exclude = [x for x in exclude if x != clause]
    elif action == "wording":
        source = request.form.get("source", "")
        if source:
            variants[clause] = source
        else:
            variants.pop(clause, None)
    else:
        abort(400)
    draft["exclude"], draft["variants"] = exclude, variants
    written = data.get("drafting") if isinstance(data.get("drafting"), dict) else {}
    draft = {k: v for k, v in draft.items() if v not in ([], {}) or k in written}
    data = {**data, "drafting": draft}
    new_text = edited_text(text, data)
    checked = store().check(name, new_text, _today())
    if checked.errors:
        refers = any("refers to" in p.message for p in checked.errors)
        flash("Not saved: another paragraph refers to this one, so it cannot be left out "
              "on its own." if refers else "Not saved: " + "; ".join(
                  str(p.message) for p in checked.errors))
        return redirect(url_for("pages.preview", name=name))
    store().save(name, new_text, digest(raw))
    title = _clause_title(checked, clause)
    flash({"exclude": f"Left out “{title}”. It is shown where it was, with a button to put "
                      "it back.",
           "include": f"Put “{title}” back.",
           "wording": f"The wording of “{title}” is chosen."}[action])
    where = url_for("pages.preview", name=name, **({"open": clause} if action == "wording"
                                                   else {}))
    return redirect(where + f"#c-{clause}")


def _clause_title(checked, clause_id: str) -> str:
    library = checked.library
    found = library.clauses.get(clause_id) if library else None
    if found is not None:
        return found.title or found.heading or "the paragraph"
    section = library.section(clause_id) if library else None
    return section.title if section is not None else "the paragraph"
