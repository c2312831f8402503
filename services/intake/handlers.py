"""Use cases of the intake service: documents in, drafts reviewed, confirmed drafts out."""
import base64
import binascii
import copy
import datetime as dt
import uuid

from sqlalchemy import insert, select

from shared import errors
from shared.clock import utc_iso

from .domain.confirmation import item_request, readiness_problems, title_of
from .domain.errors import InputTooLarge, IntakeInputError
from .models import DraftRow, Source
from .parsers import ParseContext, choose_parser, normalise_format

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
CHECK_BATCH = 500  # drafts asked about per validate_items call, and written per statement


def input_error(exc):
    """The parser's IntakeInputError in the common error shape (413 for a size refusal)."""
    fields = {k: (v if isinstance(v, list) else [v]) for k, v in (exc.fields or {}).items()}
    error = errors.PayloadTooLarge if isinstance(exc, InputTooLarge) else errors.ValidationFailed
    return error(exc.message, fields or {"content": [exc.message]})


def draft_view(row):
    view = dict(row.fields)
    view.update(id=row.id, position=row.position, status=row.status, item_id=row.item_id,
                confirmed_at=utc_iso(row.confirmed_at), rejection=row.rejection)
    return view


def _new_draft_view(values):
    """draft_view of a draft just written from `values` (its columns, as inserted)."""
    view = dict(values["fields"])
    view.update(id=values["id"], position=values["position"], status=values["status"],
                item_id=None, confirmed_at=None, rejection=None)
    return view


def source_view(source, with_text=False, drafts=None):
    """The source with its drafts (`drafts`: their views, when the caller has them)."""
    view = {"id": source.id, "kind": source.kind, "format": source.format, "title": source.title,
            "reference": source.reference,
            "meeting_date": source.meeting_date.isoformat() if source.meeting_date else None,
            "year": source.year, "meta": source.meta, "warnings": source.warnings,
            "settled": source.settled, "created_at": utc_iso(source.created_at),
            "created_by": source.created_by,
            "drafts": drafts if drafts is not None else [draft_view(d) for d in source.drafts]}
    counts = {}
    for d in view["drafts"]:
        counts[d["status"]] = counts.get(d["status"], 0) + 1
    view["counts"] = counts
    if with_text:
        view["text"] = source.text
    return view


MAX_BASE64_CHARS = (MAX_UPLOAD_BYTES + 2) // 3 * 4


def decode(content, encoding):
    """The upload's bytes (base64) or text, refused by its size before it is decoded."""
    limit = MAX_BASE64_CHARS if encoding == "base64" else MAX_UPLOAD_BYTES
    if len(content) > limit:
        raise errors.PayloadTooLarge("The file is larger than {} bytes".format(MAX_UPLOAD_BYTES),
                                     {"content": ["larger than {} bytes".format(MAX_UPLOAD_BYTES)]})
    if encoding == "base64":
        try:
            data = base64.b64decode(content, validate=True)
        except (binascii.Error, ValueError):
            raise errors.ValidationFailed("The content is not valid base64",
                                          {"content": ["invalid base64"]})
        if len(data) > MAX_UPLOAD_BYTES:
            raise errors.PayloadTooLarge("The file is larger than {} bytes".format(MAX_UPLOAD_BYTES),
                                         {"content": ["larger than {} bytes".format(MAX_UPLOAD_BYTES)]})
        return data
    return content


def _parse(parser, payload, context):
    try:
        return parser.parse(payload, context)
    except IntakeInputError as exc:
        raise input_error(exc)


def submit(uow, parsers, directory, kind, fmt, payload, meta, calendar=None):
    """Parse a document into drafts and keep both; nothing is stored if parsing fails."""
    try:
        parser = choose_parser(parsers, kind, fmt)
    except IntakeInputError as exc:
        raise input_error(exc)
    today = uow.clock.today()
    meeting = meta.get("meeting_date")
    year = meta.get("year") or (meeting.year if meeting else today.year)
    context = ParseContext(directory=directory, meeting_date=meeting, title=meta.get("title"),
                           year=year, today=today, format=normalise_format(fmt),
                           calendar=calendar)
    result = _parse(parser, payload, context)
    if not result.drafts and not result.settled and not result.meta.get("deferred") \
            and not result.warnings:
        raise errors.ValidationFailed("No actions were found in the document",
                                      {"content": ["no actions found"]})
    with uow:
        return _store(uow, kind, fmt, payload, meta, context, result)


def _store(uow, kind, fmt, payload, meta, context, result):
    now = uow.clock.now()
    parsed_meta = result.to_dict()["meta"]
    source = Source(id=str(uuid.uuid4()), kind=kind, format=fmt, title=meta.get("title"),
                    reference=meta.get("reference") or meta.get("title"),
                    meeting_date=meta.get("meeting_date"), year=context.year,
                    text=payload if isinstance(payload, str) else None,
                    blob=payload if isinstance(payload, (bytes, bytearray)) else None,
                    meta=parsed_meta, settled=list(result.settled), warnings=list(result.warnings),
                    created_at=now, created_by=uow.actor, org_id=uow.principal.org_id)
    uow.session.add(source)
    uow.session.flush()
    views, rows = [], []
    for position, draft in enumerate(result.drafts):
        fields = draft.to_dict()
        fields.setdefault("title", title_of(fields.get("task") or ""))
        fields.setdefault("category", "routine")
        rows.append({"id": str(uuid.uuid4()), "source_id": source.id, "position": position,
                     "fields": fields, "status": "pending", "updated_at": now,
                     "updated_by": uow.actor, "version": 1})
        if len(rows) == CHECK_BATCH or position == len(result.drafts) - 1:
            # Written a few hundred rows at a time, without an ORM object each: a goal
            # sheet of 5,000 milestones held as objects took 20 MB more.
            uow.session.execute(insert(DraftRow), rows)
            views.extend(_new_draft_view(values) for values in rows)
            rows = []
    return source_view(source, drafts=views)


def _visible_source(uow, source_id):
    """A source of the caller's group (a group never sees another's minutes)."""
    source = uow.session.get(Source, str(source_id))
    if source is None or not uow.principal.sees_group(source.org_id):
        raise errors.NotFound("No source '{}'".format(source_id))
    return source


def get_source(uow, source_id, with_text=True):
    return source_view(_visible_source(uow, source_id), with_text=with_text)


def list_sources(uow, limit=100):
    query = select(Source).order_by(Source.created_at.desc())
    if not uow.principal.everywhere:
        query = query.where(Source.org_id == uow.principal.org_id)
    rows = uow.session.scalars(query.limit(limit))
    return [{k: v for k, v in source_view(s).items() if k != "drafts"} for s in rows]


def _draft(uow, draft_id, source_id=None):
    row = uow.session.get(DraftRow, str(draft_id))
    if row is None or (source_id is not None and row.source_id != str(source_id)) \
            or not uow.principal.sees_group(row.source.org_id):
        raise errors.NotFound("No draft '{}'".format(draft_id))
    if row.status == "confirmed":
        raise errors.Conflict("The draft was confirmed as item {}; change the item instead"
                              .format(row.item_id), {"status": ["confirmed"]})
    return row


def _check_codes(directory, patch):
    known = {u["code"] for u in directory}
    problems = {}
    for key in ("lead_department", "supervising_department"):
        if patch.get(key) and patch[key] not in known:
            problems[key] = ["unknown org unit code '{}'".format(patch[key])]
    unknown = [c for c in patch.get("co_departments") or [] if c not in known]
    if unknown:
        problems["co_departments"] = ["unknown org unit code(s) {}".format(", ".join(unknown))]
    if problems:
        raise errors.ValidationFailed("Unknown org unit code", problems)


def update_draft(uow, directory, draft_id, patch, source_id=None):
    """Correct a draft before confirmation (or after tracking refused it); every field the
    parser filled is editable."""
    with uow:
        return _update_draft(uow, directory, draft_id, patch, source_id)


def _update_draft(uow, directory, draft_id, patch, source_id):
    row = _draft(uow, draft_id, source_id)
    _check_codes(directory, patch)
    fields = copy.deepcopy(row.fields)
    for key, value in patch.items():
        if isinstance(value, dt.date):
            value = value.isoformat()
        if key == "milestones":
            value = [{"text": m["text"], "date": m["date"].isoformat() if m["date"] else None}
                     for m in value]
        fields[key] = value
    if "lead_department" in patch or "co_departments" in patch:
        fields["flags"] = [f for f in fields.get("flags", [])
                           if f not in ("no_unit", "unmatched_unit", "ambiguous_unit", "generic_unit")
                           or not fields.get("lead_department")]
    if "deadline" in patch and fields.get("deadline"):
        fields["flags"] = [f for f in fields.get("flags", [])
                           if f not in ("vague_deadline", "no_deadline")]
    fields.setdefault("edited", [])
    fields["edited"] = sorted(set(fields["edited"]) | set(patch))
    row.fields = fields
    row.status = "pending"
    row.rejection = None
    row.updated_at = uow.clock.now()
    row.updated_by = uow.actor
    uow.session.flush()
    return draft_view(row)


def drop_draft(uow, draft_id, source_id=None):
    with uow:
        row = _draft(uow, draft_id, source_id)
        row.status = "dropped"
        row.updated_at = uow.clock.now()
        row.updated_by = uow.actor
        uow.session.flush()
        return draft_view(row)


def confirm(uow, directory, source_id, body, check=None):
    """Publish confirmed drafts for tracking; confirming again publishes nothing new.

    All or nothing: if a selected draft is not ready (no lead department, no or a
    past deadline, an unknown code), nothing is confirmed and each problem is named.
    `check([item_request, ...])` asks tracking, `CHECK_BATCH` drafts per call, whether it
    would accept each item (`{index: [problem, ...]}` for those it would refuse), so a
    confirmed draft does not end up a dead letter. The drafts are then marked and their
    events written a chunk at a time, in the one transaction.
    """
    with uow:
        return _confirm(uow, directory, source_id, body, check)


def _confirm(uow, directory, source_id, body, check):
    source = _visible_source(uow, source_id)
    wanted = set(body.get("draft_ids") or [])
    unknown = wanted - {d.id for d in source.drafts}
    if unknown:
        raise errors.ValidationFailed("Unknown draft ids",
                                      {"draft_ids": sorted(unknown)})
    selected = [d for d in source.drafts
                if d.status in ("pending", "rejected") and (not wanted or d.id in wanted)]
    known = {u["code"] for u in directory}
    defaults = {k: body.get(k) for k in ("supervising_department", "category")}
    if defaults["supervising_department"] and defaults["supervising_department"] not in known:
        raise errors.ValidationFailed("Unknown org unit code",
                                      {"supervising_department": ["unknown org unit code"]})
    ref = source.reference or source.title or source.id

    def request_of(row):  # built when needed, a chunk at a time: 5,000 at once are 5 MB
        return item_request(source.kind, ref, dict(row.fields, id=row.id), defaults)

    problems = _problems(selected, known, uow.clock.today(), check, request_of)
    if problems:
        raise errors.ValidationFailed("{} draft(s) are not ready; nothing was confirmed"
                                      .format(len(problems)), {"drafts": problems})
    confirmed = _publish(uow, source, selected, request_of)
    view = source_view(source)
    view["confirmed"] = confirmed
    return view


def _problems(selected, known, today, check, request_of):
    """{draft id: [problem]}: what the drafts lack, then (if nothing) what tracking would
    refuse, asked `CHECK_BATCH` drafts per call."""
    problems = {d.id: readiness_problems(d.fields, known, today) for d in selected}
    problems = {k: v for k, v in problems.items() if v}
    if check is None or problems:
        return problems
    for start in range(0, len(selected), CHECK_BATCH):
        chunk = selected[start:start + CHECK_BATCH]
        refused = check([request_of(d) for d in chunk])
        problems.update({chunk[int(index)].id: found for index, found in refused.items()})
    return problems


def _publish(uow, source, selected, request_of):
    """Mark the drafts confirmed and write a `draft.confirmed` each; their ids."""
    now = uow.clock.now()
    confirmed = []
    for position, row in enumerate(selected, 1):
        row.item_id = str(uuid.uuid4())
        row.status = "confirmed"
        row.rejection = None
        row.confirmed_at = now
        row.updated_at = now
        row.updated_by = uow.actor
        uow.emit("draft.confirmed", {"item_id": row.item_id, "draft_id": row.id,
                                     "source_id": source.id, "actor": uow.actor,
                                     "item": request_of(row)},
                 subject_id=row.id)
        confirmed.append(row.id)
        if position % CHECK_BATCH == 0:
            # Written as it goes, in the same transaction: a long source's envelopes are
            # not all held in memory at once before the commit.
            uow.session.flush()
    uow.session.flush()  # two offices confirming at once: the second meets a stale version
    return confirmed


def reject_draft(uow, data):
    """Tracking refused a confirmed draft (the directory changed after the dry run): the
    draft says why and can be corrected and confirmed again."""
    row = uow.session.get(DraftRow, str(data.get("draft_id")))
    if row is None or row.item_id != data.get("item_id"):
        return None  # not ours, or confirmed again since: nothing to mark
    row.status = "rejected"
    row.rejection = {"reason": data.get("reason"), "fields": data.get("fields") or {},
                     "item_id": row.item_id}
    row.item_id = None
    row.updated_at = uow.clock.now()
    row.updated_by = "tracking"
    uow.session.flush()
    return draft_view(row)
