"""The intake pages: paste or upload minutes, upload a goal sheet, enter leader assignments
(`/intake`); review a source's drafts with every field editable and confirm them
(`/intake/sources/<id>`). Errors name the clause (一、二、…) of a draft, not its id."""
import base64


from shared.errors import DubanError, ValidationFailed
from shared.rpc import call

from .http import GOAL_SHEET_FILES, MAX_UPLOAD, MINUTES_FILES, file_format
from .item_forms import SEPARATORS
from .local_time import local_minute as local_time
from .pages import _html, _redirect

ASSIGNMENT_ROWS = 5
ASSIGNMENT_FIELDS = ("leader", "date", "department", "task", "deadline", "place", "kind")


def explain(exc, source=None):
    """The service's message with its fields; a draft id becomes the draft's clause."""
    names = {d["id"]: clause_name(d) for d in (source or {}).get("drafts", [])}
    parts = []
    for key, value in (exc.fields or {}).items():
        if isinstance(value, dict):   # {"drafts": {draft_id: [problems]}}
            parts.extend("{}: {}".format(names.get(k, k), "; ".join(map(str, v)))
                         for k, v in value.items())
        elif isinstance(value, list) and value and isinstance(value[0], dict):  # rows
            parts.extend(row_problem(r) for r in value)
        else:
            parts.append("{}: {}".format(key, "; ".join(map(str, value)) if isinstance(
                value, list) else value))
    return exc.message + (" — " + " · ".join(parts) if parts else "")


def row_problem(row):
    """A row of an assignment list ({index, errors}) or of a goal sheet ({row, ...})."""
    number = row["row"] if "row" in row else row.get("index", 0) + 1
    said = [row[k] for k in sorted(row) if k not in ("row", "index")]
    return "第{}行 row {}: {}".format(number, number, "; ".join(
        "; ".join(map(str, v)) if isinstance(v, list) else str(v) for v in said))


def clause_name(draft):
    clause = draft.get("clause")
    title = (draft.get("title") or draft.get("task") or "")[:20]
    return "条款{} {}".format(clause, title) if clause else "第{}条 {}".format(
        draft.get("position", 0) + 1, title)


def _sources(service):
    try:
        return call(service.intake, "list_sources"), None
    except DubanError as exc:
        return [], exc.message


def render_intake(service, request, error=None, form=None, status=200, panel="paste"):
    sources, failed = _sources(service)
    rows = [{k: (form or {}).get("{}_{}".format(k, i), "") for k in ASSIGNMENT_FIELDS}
            for i in range(ASSIGNMENT_ROWS)]
    return _html("intake.html", status=status, sources=sources, error=error or failed,
                 local=local_time, form=form or {}, rows=rows, panel=panel)


def _upload(request):
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return None
    data = upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise ValidationFailed("The file is larger than {} bytes".format(MAX_UPLOAD),
                               {"file": ["too large"]})
    return upload.filename, base64.b64encode(data).decode()


def submit_minutes(service, request):
    """Pasted text, or an uploaded .txt/.docx/.pdf (as the API's upload path does)."""
    form = {k: v for k, v in request.form.to_dict().items() if k != "csrf"}
    meta = {"meeting_date": form.get("meeting_date", ""), "title": form.get("title") or None}
    try:
        upload = _upload(request)
        if upload is None:
            source = call(service.intake, "submit_minutes", dict(meta, text=form.get("text", "")))
        else:
            name, content = upload
            source = call(service.intake, "submit_source", dict(
                meta, kind="minutes", format=file_format(name, MINUTES_FILES),
                encoding="base64", content=content, meeting_date=meta["meeting_date"] or None))
    except DubanError as exc:
        return render_intake(service, request, error=explain(exc), form=form, status=exc.status)
    return _redirect("/intake/sources/" + source["id"])


def submit_goals(service, request):
    form = {k: v for k, v in request.form.to_dict().items() if k != "csrf"}
    year = (form.get("year") or "").strip()
    try:
        upload = _upload(request)
        if upload is None:
            raise ValidationFailed("Choose a goal sheet (.csv or .xlsx)", {"file": ["missing"]})
        name, content = upload
        source = call(service.intake, "submit_source", {
            "kind": "goals", "format": file_format(name, GOAL_SHEET_FILES), "encoding": "base64",
            "content": content, "title": form.get("title") or None,
            "year": int(year) if year.isdigit() else (year or None)})
    except DubanError as exc:
        return render_intake(service, request, error=explain(exc), form=form, status=exc.status,
                             panel="goals")
    return _redirect("/intake/sources/" + source["id"])


def assignment_rows(form):
    rows = []
    for i in range(ASSIGNMENT_ROWS):
        row = {k: (form.get("{}_{}".format(k, i)) or "").strip() for k in ASSIGNMENT_FIELDS}
        if any(row[k] for k in ("leader", "department", "task")):
            rows.append({k: v for k, v in row.items() if v})
    return rows


def submit_assignments(service, request):
    form = {k: v for k, v in request.form.to_dict().items() if k != "csrf"}
    try:
        source = call(service.intake, "submit_assignments", {
            "assignments": assignment_rows(form), "title": form.get("title") or None})
    except DubanError as exc:
        return render_intake(service, request, error=explain(exc), form=form, status=exc.status,
                             panel="assignments")
    return _redirect("/intake/sources/" + source["id"])


def _directory(service):
    try:
        return call(service.tracking, "list_org_units")
    except DubanError:
        return []


def render_source(service, request, source_id, error=None, status=200, failed=None,
                  form=None):
    try:
        source = call(service.intake, "get_source", source_id)
    except DubanError as exc:
        return _html("error.html", status=exc.status, message=exc.message)
    if isinstance(error, DubanError):
        error = explain(error, source)
    # the office reviews the drafts the parser is least sure of first; confirmed ones go last
    source["drafts"] = sorted(source.get("drafts", []), key=lambda d: (
        d.get("status") != "pending", d.get("confidence", 1.0), d.get("position", 0)))
    return _html("source.html", status=status, source=source, units=_directory(service),
                 error=error or request.args.get("error"), notice=request.args.get("notice"),
                 failed=failed, form=form or {}, clause_name=clause_name)


def unit_code(units, text, field):
    """A unit's code from what was typed: its code, name or an alias."""
    text = text.strip()
    for unit in units:
        if text in (unit["code"], unit["name"]) or text in unit.get("aliases", []):
            return unit["code"]
    raise ValidationFailed("Unknown org unit '{}'".format(text),
                           {field: ["unknown org unit '{}'".format(text)]})


def draft_patch(units, form):
    text = lambda name: (form.get(name) or "").strip() or None  # noqa: E731
    patch = {"title": text("title"), "task": text("task"), "leader": text("leader"),
             "deadline": text("deadline"), "category": form.get("category") or "routine",
             "completion_form": text("completion_form"),
             "completion_standard": text("completion_standard")}
    patch["lead_department"] = unit_code(units, form["lead_department"], "lead_department") \
        if text("lead_department") else None
    patch["co_departments"] = [unit_code(units, c, "co_departments")
                               for c in SEPARATORS.split(form.get("co_departments") or "") if c]
    patch["supervising_department"] = unit_code(
        units, form["supervising_department"], "supervising_department") \
        if text("supervising_department") else None
    return {k: v for k, v in patch.items() if not (k in ("title", "task") and v is None)}


def edit_draft(service, request, source_id, draft_id):
    form = request.form.to_dict()
    try:
        if form.get("action") == "drop":
            call(service.intake, "drop_draft", draft_id, source_id)
        else:
            call(service.intake, "update_draft", draft_id,
                 draft_patch(_directory(service), form), source_id)
    except DubanError as exc:
        return render_source(service, request, source_id, error=exc, status=exc.status,
                             failed=(draft_id, exc), form=form)
    return _redirect("/intake/sources/{}#draft-{}".format(source_id, draft_id))


def confirm_source(service, request, source_id):
    try:
        result = call(service.intake, "confirm", source_id, {})
    except DubanError as exc:
        return render_source(service, request, source_id, error=exc, status=exc.status)
    return _redirect("/intake/sources/{}?notice={}".format(
        source_id, "{}+drafts+confirmed".format(len(result["confirmed"]))))


def names_of(units, codes):
    by_code = {u["code"]: u["name"] for u in units}
    return "、".join(by_code.get(c, c) for c in codes or [])


