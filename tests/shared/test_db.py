"""shared.db: what every service's engine does the same way."""
from sqlalchemy import JSON, Column, Integer, MetaData, Table, select, text

from shared.db import engine_for


def test_json_columns_keep_chinese_as_utf8_and_read_back_the_same(db_url):
    """Stored as the characters, not as \\uXXXX escapes (a third of the bytes), and a
    value written either way reads back equal."""
    engine = engine_for(db_url)
    table = Table("json_probe", MetaData(), Column("id", Integer, primary_key=True),
                  Column("doc", JSON))
    table.create(engine)
    value = {"title": "督办事项", "tags": ["会议纪要", "年度目标"], "n": 1, "none": None}
    with engine.begin() as conn:
        conn.execute(table.insert(), [{"id": 1, "doc": value}])
        conn.execute(text("INSERT INTO json_probe (id, doc) VALUES (2, :raw)"),
                     {"raw": '{"title": "\\u7763\\u529e"}'})  # as the engine wrote it before
    with engine.connect() as conn:
        raw = conn.execute(text("SELECT CAST(doc AS TEXT) FROM json_probe WHERE id = 1")).scalar()
        docs = dict(conn.execute(select(table.c.id, table.c.doc)).all())
    assert "督办事项" in raw and "\\u" not in raw
    assert docs == {1: value, 2: {"title": "督办"}}
