"""The unit of work: one commit, concurrency errors as 409s, claims once."""
import datetime as dt

import pytest
from sqlalchemy import Integer, String, create_engine, event, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from shared.clock import FixedClock
from shared.errors import Conflict, ValidationFailed
from shared.inbox import InboxMixin
from shared.uow import READ_WITH_CLAIM, UnitOfWork, request_digest, transaction_cache


class Base(DeclarativeBase):
    pass


class Thing(Base):
    __tablename__ = "things"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}


class Inbox(InboxMixin, Base):
    __tablename__ = "inbox"


class Outbox:
    def __init__(self):
        self.events = []

    def add(self, session, envelope):
        self.events.append(envelope)


@pytest.fixture()
def engine(tmp_path):
    engine = create_engine("sqlite:///{}".format(tmp_path / "uow.db"))
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


def make_uow(engine, outbox=None):
    clock = FixedClock(dt.datetime(2026, 11, 29, 1, 0, tzinfo=dt.timezone.utc))
    return UnitOfWork(Session(engine, expire_on_commit=False), outbox or Outbox(), clock,
                      actor="tester", producer="test", inbox=Inbox)


def count(engine):
    with Session(engine) as s:
        return len(s.scalars(select(Thing)).all())


def test_commits_once_at_the_outermost_block(engine):
    uow = make_uow(engine)
    with uow:
        with uow:
            uow.session.add(Thing(code="a"))
        # the inner block ended: nothing is committed yet
        assert count(engine) == 0
    assert count(engine) == 1


def test_an_error_rolls_back_the_whole_block_and_its_events(engine):
    outbox = Outbox()
    uow = make_uow(engine, outbox)
    with pytest.raises(ValidationFailed):
        with uow:
            uow.session.add(Thing(code="a"))
            uow.session.flush()
            raise ValidationFailed("no", {"x": ["bad"]})
    assert count(engine) == 0


def test_a_duplicate_key_is_a_conflict_not_a_crash(engine):
    with make_uow(engine) as uow:
        uow.session.add(Thing(code="a"))
    uow = make_uow(engine)
    with pytest.raises(Conflict):
        with uow:
            uow.session.add(Thing(code="a"))
            uow.session.flush()  # the IntegrityError is raised inside the block


def test_a_stale_version_is_a_conflict(engine):
    with make_uow(engine) as uow:
        uow.session.add(Thing(id=1, code="a"))
    first, second = make_uow(engine), make_uow(engine)
    a = first.session.get(Thing, 1)
    b = second.session.get(Thing, 1)
    with first:
        a.code = "b"
    with pytest.raises(Conflict) as caught:
        with second:
            b.code = "c"
    assert caught.value.fields == {"version": ["stale"]}


def test_claim_once_then_the_first_answer(engine):
    with make_uow(engine) as uow:
        assert uow.claim("k1", "rpc:x", "d1") is None
        uow.record_result("k1", "rpc:x", {"answer": 42})
    uow = make_uow(engine)
    with uow:
        earlier = uow.claim("k1", "rpc:x", "d1")
    assert earlier is not None and earlier.result == {"answer": 42}
    with pytest.raises(ValidationFailed) as caught:
        with make_uow(engine) as uow:
            uow.claim("k1", "rpc:x", "another body")
    assert "Idempotency-Key" in caught.value.fields


def test_a_claim_rolls_back_with_its_effect(engine):
    with pytest.raises(RuntimeError):
        with make_uow(engine) as uow:
            uow.claim("k2", "rpc:x")
            raise RuntimeError("crash before commit")
    with make_uow(engine) as uow:
        assert uow.claim("k2", "rpc:x") is None


def test_emit_writes_an_envelope_with_the_producer():
    outbox = Outbox()
    uow = UnitOfWork(None, outbox, FixedClock(dt.datetime(2026, 1, 1)), producer="tracking")
    uow.emit("item.updated", {"a": 1}, subject_id="i1", org_id="HQ")
    assert outbox.events[0]["producer"] == "tracking"
    assert outbox.events[0]["type"] == "item.updated"


def test_digest_tells_bodies_apart():
    assert request_digest("m", [1], {}) == request_digest("m", [1], {})
    assert request_digest("m", [1], {}) != request_digest("m", [2], {})


@pytest.mark.parametrize("url", ["sqlite", "postgres"])
def test_claim_many_claims_each_key_once_in_one_statement(url, request):
    """A batch's events claimed at once: the new ones answered, the ones claimed before
    (or twice in the batch) claimed once; a rollback gives the claims back."""
    engine = create_engine(request.getfixturevalue("sqlite_url" if url == "sqlite" else "pg_url"))
    Base.metadata.create_all(engine)
    with make_uow(engine) as uow:
        assert uow.claim("e1", "c") is None
    statements = []
    uow = make_uow(engine)
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with uow:
        assert uow.claim_many(["e3", "e1", "e2", "e3"], "c") == {"e2", "e3"}
    assert len([s for s in statements if s.lstrip().upper().startswith("INSERT")]) == 1
    with make_uow(engine) as uow:
        assert uow.claim_many(["e2", "e4"], "c") == {"e4"}
        assert uow.claim_many(["e4"], "other consumer") == {"e4"}
    uow = make_uow(engine)
    with pytest.raises(ValidationFailed):
        with uow:
            assert uow.claim_many(["e5"], "c") == {"e5"}
            raise ValidationFailed("no", {"x": ["bad"]})
    with make_uow(engine) as uow:
        assert uow.claim_many(["e5"], "c") == {"e5"}
        assert uow.claim_many([], "c") == set()
    engine.dispose()


@pytest.mark.parametrize("url", ["sqlite", "postgres"])
def test_a_claim_reads_what_the_service_asks_for_in_its_own_statement(url, request):
    """`claim_reads` ride in the claim (`INSERT … RETURNING (SELECT …)`): read when the key is
    claimed now, in one statement; a repeated key answers as before."""
    engine = create_engine(request.getfixturevalue("sqlite_url" if url == "sqlite" else "pg_url"))
    Base.metadata.create_all(engine)
    with Session(engine) as session, session.begin():
        session.add(Thing(id=1, code="seven"))
    reads = {"code": select(Thing.code).where(Thing.id == 1).scalar_subquery()}

    def uow_reading():
        uow = make_uow(engine)
        uow.claim_reads = reads
        return uow

    statements = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with uow_reading() as uow:
        assert uow.claim("k3", "rpc:x", "d") is None
        assert transaction_cache(uow.session, READ_WITH_CLAIM) == {"code": "seven"}
        uow.record_result("k3", "rpc:x", {"answer": 7})
    assert len(statements) == 2  # the claim and the answer: nothing read apart
    with uow_reading() as uow:
        assert uow.claim("k3", "rpc:x", "d").result == {"answer": 7}
        assert transaction_cache(uow.session, READ_WITH_CLAIM) == {}
    engine.dispose()
