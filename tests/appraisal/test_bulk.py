"""services/appraisal/bulk.py writes what it is given, awkward characters included (COPY's
text format on PostgreSQL, an executemany on SQLite)."""
import datetime as dt

import pytest
from sqlalchemy import select

from services.appraisal import bulk
from services.appraisal.models import AccountabilityRecord, Appraisal, AppraisalRow

AWKWARD = "tab\there, line\nbreak, back\\slash, \\N, 逾期\r未反馈"


def test_rows_and_records_read_back_as_written(session):
    now = dt.datetime(2026, 7, 3, 2, 0, tzinfo=dt.timezone.utc)
    session.add(Appraisal(id="a1", org_id="HQ", period="2026-H1", status="draft",
                          weights={"on_time": 40}, as_of=now.date(), created_at=now,
                          created_by="t", computed_at=now))
    rows = [{"appraisal_id": "a1", "department": "D{}".format(n), "name": AWKWARD,
             "subsidiary": None if n % 2 else "S1", "status": "scored",
             "facts": {"due": n, "note": AWKWARD, "nested": [1, None, {"x": AWKWARD}]},
             "values": {"on_time": 66.67, "quality": None}, "base_score": 1 / 3,
             "adjustment": -2.5, "score": None if n == 1 else 65.668, "rank": n or None,
             "plan_execution_rate": None} for n in range(3)]
    bulk.insert(session, AppraisalRow.__table__, rows)
    bulk.insert(session, AccountabilityRecord.__table__, [
        {"appraisal_id": "a1", "department": "D0", "kind": "inaction",
         "evidence": {"silent": {"count": 1, "items": [{"title": AWKWARD}]}}}])
    bulk.insert(session, AccountabilityRecord.__table__, [])  # nothing to write: no error
    session.commit()
    got = {r.department: r for r in session.scalars(select(AppraisalRow))}
    assert sorted(got) == ["D0", "D1", "D2"]
    for row in rows:
        back = got[row["department"]]
        for key, value in row.items():
            assert getattr(back, key) == value, (row["department"], key)
    record = session.scalars(select(AccountabilityRecord)).one()
    assert record.evidence["silent"]["items"][0]["title"] == AWKWARD
    assert record.id is not None and record.kind == "inaction"
