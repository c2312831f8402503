"""Leader assignments (领导交办) from on-site meetings and research visits -> drafts for the unsettled ones."""

import json

from .errors import IntakeInputError
from .minutes.dates import parse_iso_date
from .minutes.deadlines import resolve_deadline_field
from .minutes.directory import Directory
from .minutes.unit_lists import split_unit_field
from .model import ParseResult, coerce_date, make_draft
from .normalize import MAX_TEXT_CHARS, normalize_line
from .script import WrittenScript

KINDS = ("onsite", "research")
REQUIRED = ("leader", "date", "department", "task")


def _load(payload):
    if isinstance(payload, (bytes, bytearray)):
        try:
            payload = bytes(payload).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise IntakeInputError("assignment list is not UTF-8 JSON", {"payload": "undecodable"}) from exc
    if isinstance(payload, str):
        if not payload.strip():
            raise IntakeInputError("empty assignment list", {"payload": "empty"})
        if len(payload) > MAX_TEXT_CHARS:
            raise IntakeInputError(f"assignment list too long (limit {MAX_TEXT_CHARS} characters)",
                                   {"payload": "too_long"})
        try:
            payload = json.loads(payload)
        except ValueError as exc:
            raise IntakeInputError(f"assignment list is not valid JSON: {exc}", {"payload": "invalid_json"}) from exc
    if isinstance(payload, dict) and isinstance(payload.get("assignments"), list):
        payload = payload["assignments"]
    if not isinstance(payload, list):
        raise IntakeInputError("assignment list must be a JSON array of objects", {"payload": "type"})
    if not payload:
        raise IntakeInputError("empty assignment list", {"payload": "empty"})
    return payload


def _row_errors(row):
    if not isinstance(row, dict):
        return ["must be an object"]
    errors = []
    for key in REQUIRED:
        value = row.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors.append(f"{key} is required")
    if row.get("date") not in (None, "") and parse_iso_date(row.get("date")) is None:
        errors.append("date must be YYYY-MM-DD")
    settled = row.get("settled", False)
    if not isinstance(settled, bool):
        errors.append("settled must be true or false")
    kind = row.get("kind", "onsite")
    if kind not in KINDS:
        errors.append(f"kind must be one of {', '.join(KINDS)}")
    return errors


def parse_assignments(payload, directory, today=None):
    """List of assignment dicts (or JSON text) -> ParseResult with drafts and settled records.

    Every row is validated first; any invalid row rejects the whole list with
    IntakeInputError(fields={"rows": [{"index": i, "errors": [...]}]}).
    """
    if not isinstance(directory, Directory):
        directory = Directory(directory or [])
    coerce_date(today, "today")
    rows = _load(payload)
    problems = [{"index": i, "errors": errs} for i, row in enumerate(rows) if (errs := _row_errors(row))]
    if problems:
        raise IntakeInputError(f"{len(problems)} assignment(s) invalid; nothing imported",
                               {"rows": problems})
    result = ParseResult(meta={"count": len(rows)})
    for index, row in enumerate(rows):
        if row.get("settled", False):
            record = dict(row)
            record["index"] = index
            result.settled.append(record)
            continue
        assigned = parse_iso_date(row["date"])
        task = normalize_line(str(row["task"]))
        units = split_unit_field(normalize_line(str(row["department"])))
        info = resolve_deadline_field(row.get("deadline"), assigned)
        if row.get("deadline") and info.deadline is None and not info.flags:
            info.add_flag("vague_deadline")
        draft = make_draft(task, units[:1], units[1:], info, directory,
                           leader=str(row["leader"]).strip(), clause=str(index + 1))
        WrittenScript("\n".join(str(row.get(k) or "") for k in ("task", "department", "deadline"))).draft(draft)
        draft.place = (str(row["place"]).strip() or None) if row.get("place") else None
        draft.date = assigned
        draft.assignment_kind = row.get("kind", "onsite")
        draft.source_index = index
        result.drafts.append(draft)
    if not result.drafts:
        result.warnings.append("every assignment was settled on the spot; no items to follow up")
    return result
