"""Draft items, parse results and the context every parser receives."""

import datetime as dt
from dataclasses import dataclass, field

from .errors import IntakeInputError
from .minutes.dates import parse_iso_date
from .minutes.directory import Directory


# How much each doubt lowers a draft's confidence; the office reviews low ones first.
_PENALTY = {"no_unit": 0.35, "unmatched_unit": 0.15, "ambiguous_unit": 0.2,
            "vague_deadline": 0.1, "no_deadline": 0.15, "calendar_unknown": 0.05,
            "deferred": 0.3, "recurring": 0.0, "generic_unit": 0.3}


@dataclass
class ParseContext:
    """What a parser knows besides the payload: the org directory, the document's dates, its format.

    format: the payload format the client named ("text", "docx", "csv", …), lower-cased
    without a leading dot; None when the caller did not say (a parser then sniffs it).
    """

    directory: list = field(default_factory=list)
    meeting_date: object = None
    title: str = None
    year: int = None
    today: object = None
    format: str = None
    calendar: object = None  # the office calendar (shared.calendar.OfficeCalendar), if any

    def directory_index(self):
        if not isinstance(getattr(self, "_directory_index", None), Directory):
            self._directory_index = Directory(self.directory or [])
        return self._directory_index


def coerce_date(value, name):
    """None / date / 'YYYY-MM-DD' -> date or None; anything else is an IntakeInputError."""
    if value is None or value == "":
        return None
    parsed = parse_iso_date(value)
    if parsed is None or not 1990 <= parsed.year <= 2100:
        raise IntakeInputError(f"invalid {name}: {value!r} (expected YYYY-MM-DD)", {name: "invalid date"})
    return parsed


@dataclass
class Draft:
    """One proposed supervised item, as the office will review it."""

    task: str
    lead: list = field(default_factory=list)
    co: list = field(default_factory=list)
    lead_department: str = None
    co_departments: list = field(default_factory=list)
    deadline: dt.date = None
    deadline_text: str = None
    milestones: list = field(default_factory=list)
    cadence: str = None
    leader: str = None
    clause: str = None
    flags: list = field(default_factory=list)
    confidence: float = 1.0
    lead_departments: list = field(default_factory=list)
    # source-specific fields, present in to_dict() only when set
    goal: str = None
    year: int = None
    goal_ref: object = None
    place: str = None
    date: dt.date = None
    assignment_kind: str = None
    source_index: int = None
    # the words each reading came from: {"lead": "由区财政局牵头", "deadline": "4月底前", "leader": "王强强调"}
    evidence: dict = field(default_factory=dict)

    def add_flag(self, flag):
        if flag not in self.flags:
            self.flags.append(flag)

    def to_dict(self):
        out = {
            "task": self.task,
            "lead": list(self.lead),
            "co": list(self.co),
            "lead_department": self.lead_department,
            "lead_departments": list(self.lead_departments),
            "co_departments": list(self.co_departments),
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "deadline_text": self.deadline_text,
            "milestones": [dict(m) for m in self.milestones],
            "cadence": self.cadence,
            "leader": self.leader,
            "clause": self.clause,
            "flags": list(self.flags),
            "confidence": self.confidence,
            "evidence": dict(self.evidence),
        }
        extras = {"goal": self.goal, "year": self.year, "goal_ref": self.goal_ref,
                  "place": self.place, "date": self.date.isoformat() if self.date else None,
                  "kind": self.assignment_kind, "source_index": self.source_index}
        out.update({k: v for k, v in extras.items() if v is not None})
        return out


@dataclass
class ParseResult:
    """Drafts plus what the document said about itself."""

    drafts: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    settled: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    def to_dict(self):
        meta = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in self.meta.items()}
        return {"drafts": [d.to_dict() for d in self.drafts], "meta": meta,
                "settled": list(self.settled), "warnings": list(self.warnings)}


def _dedupe(names):
    seen, out = set(), []
    for name in names:
        if name and name not in seen:
            seen.add(name)
            out.append(name)
    return out


def make_draft(task, lead, co, deadline_info, directory, *, leader=None, clause=None,
               weak_lead=False, flags=(), evidence=None):
    """Assemble a Draft: match units to the directory, collect flags, score confidence.

    evidence: the phrases the lead and the leader were read from; the deadline's is
    its deadline_text.  The confidence is the flag-penalty score below; the minutes
    parser replaces it with its calibrated model (minutes/confidence.py).
    """
    lead = _dedupe(lead)
    co = [name for name in _dedupe(co) if name not in lead]
    draft = Draft(task=task, lead=lead, co=co, leader=leader, clause=clause)
    draft.evidence = {k: v for k, v in (evidence or {}).items() if v and (k != "leader" or leader)}
    for flag in flags:
        draft.add_flag(flag)
    lead_codes, co_codes = [], []
    for names, codes in ((lead, lead_codes), (co, co_codes)):
        for name in names:
            match = directory.match(name)
            if match.code:
                if match.code not in codes:
                    codes.append(match.code)
            elif match.status == "ambiguous":
                draft.add_flag("ambiguous_unit")
            else:
                draft.add_flag("unmatched_unit")
    draft.lead_departments = lead_codes
    draft.lead_department = lead_codes[0] if lead_codes else None
    draft.co_departments = [code for code in co_codes if code not in lead_codes]
    if not lead:
        draft.add_flag("no_unit")
    if deadline_info is not None:
        draft.deadline = deadline_info.deadline
        draft.deadline_text = deadline_info.deadline_text
        draft.milestones = list(deadline_info.milestones)
        draft.cadence = deadline_info.cadence
        for flag in deadline_info.flags:
            draft.add_flag(flag)
        if deadline_info.deadline_text:
            draft.evidence["deadline"] = deadline_info.deadline_text
    score_draft(draft, weak_lead)
    return draft


def score_draft(draft, weak_lead=False):
    confidence = 1.0 - sum(_PENALTY.get(flag, 0.05) for flag in draft.flags)
    if weak_lead and draft.lead:
        confidence -= 0.05
    draft.confidence = round(max(0.05, min(1.0, confidence)), 2)
    return draft
