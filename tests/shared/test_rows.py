"""shared.rows: rows written without ORM objects, with the session's next flush."""
import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, event, select

from shared.db import make_engine, session_factory
from shared.rows import insert_rows, update_row

META = MetaData()
parents = Table("parents", META, Column("id", Integer, primary_key=True),
                Column("name", String(20)))
children = Table("children", META, Column("id", Integer, primary_key=True),
                 Column("parent_id", ForeignKey("parents.id"), nullable=False))


def setup(url):
    engine = make_engine(url)
    META.create_all(engine)
    statements = []
    event.listen(engine, "before_cursor_execute",
                 lambda conn, cursor, sql, *rest: statements.append(" ".join(sql.split()[:3])))
    return engine, session_factory(engine), statements


def test_held_rows_are_seen_after_the_next_flush_and_forgotten_by_a_rollback(db_url):
    engine, Session, _ = setup(db_url)
    with Session() as session:
        insert_rows(session, children, [{"id": 1, "parent_id": 1}])  # the child first
        insert_rows(session, parents, [{"id": 1, "name": "a"}])
        assert session.scalars(select(children.c.parent_id)).all() == [1]  # autoflush
        insert_rows(session, parents, [{"id": 2, "name": "b"}])
        session.rollback()
        assert session.scalars(select(parents.c.id)).all() == []
        session.commit()
    with Session() as session:
        assert session.scalars(select(parents.c.id)).all() == []
    engine.dispose()


def test_a_batch_without_autoflush_writes_each_table_once_at_its_commit(db_url):
    engine, Session, statements = setup(db_url)
    with Session() as session:
        with session.no_autoflush:
            for n in range(1, 4):
                insert_rows(session, children, [{"id": n, "parent_id": n}])
                insert_rows(session, parents, [{"id": n, "name": str(n)}])
            update_row(session, parents, {"id": 2}, {"name": "two"})
            session.scalars(select(parents.c.id)).all()  # no autoflush: nothing written yet
        written = len(statements)
        session.commit()
    assert statements[written:] == ["INSERT INTO parents", "INSERT INTO children",
                                    "UPDATE parents SET"]
    with Session() as session:
        assert session.execute(select(parents).order_by(parents.c.id)).all() == [
            (1, "1"), (2, "two"), (3, "3")]
    engine.dispose()


def test_single_rows_go_in_one_statement_on_postgresql(pg_url):
    """A use case's single rows (a parent, its child, an update) cost one round trip."""
    engine, Session, statements = setup(pg_url)
    with Session() as session:
        insert_rows(session, parents, [{"id": 7, "name": "x"}])
        session.commit()
        insert_rows(session, children, [{"id": 1, "parent_id": 8}])
        insert_rows(session, parents, [{"id": 8, "name": "y"}])
        update_row(session, parents, {"id": 7}, {"name": "z"})
        written = len(statements)
        session.commit()
    assert statements[written:] == ["WITH write_0 AS"]
    with Session() as session:
        assert session.execute(select(parents).order_by(parents.c.id)).all() == [
            (7, "z"), (8, "y")]
        assert session.execute(select(children)).all() == [(1, 8)]
    engine.dispose()


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_child_without_its_parent_fails_the_commit_and_writes_nothing(kind, request):
    engine, Session, _ = setup(request.getfixturevalue(
        "sqlite_url" if kind == "sqlite" else "pg_url"))
    with Session() as session:
        insert_rows(session, parents, [{"id": 1, "name": "a"}])
        insert_rows(session, children, [{"id": 1, "parent_id": 99}])
        with pytest.raises(Exception):
            session.commit()
        session.rollback()
        assert session.scalars(select(parents.c.id)).all() == []
    engine.dispose()
