"""The ledger's text search (`q`): a substring of an item's number, title or content.

The condition is always the three (I)LIKEs (what `q` means, on every database). On
PostgreSQL an index-usable condition that every match also meets is added in front
(migration 0006): for three characters or more, an ILIKE over the three fields joined
(pg_trgm's GIN index); for two letters or digits (most Chinese words are two characters,
which hold no trigram), the bigram full-text index (`duban_bigrams`). One character
scans. A department's list, read per branch, gets the exact condition alone
(ledger._searched). On SQLite, for three characters or more, the FTS5 trigram index of migration 0007
(`items_fts`, its rowids mapped to items by `item_search_ids`); shorter text scans.
"""
import weakref

from sqlalchemy import column, func, literal_column, or_, select, table, text

from shared.db import is_postgres

from ..models import Item

SIMPLE = literal_column("'simple'")
SPACE = literal_column("' '")


def like_pattern(text):
    return "%{}%".format(text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_"))


def search_text():
    """number || ' ' || title || ' ' || content, as the migration's indexes read it."""
    return Item.number.op("||")(SPACE).op("||")(Item.title).op("||")(SPACE).op("||")(
        Item.content)


def matches(column, text):
    """`column` contains `text`, case aside. Text without letters that have a case (Chinese,
    digits) is matched by LIKE: the same answer, and on PostgreSQL four times faster than
    ILIKE, which folds the case of every character it reads."""
    like = like_pattern(text)
    if text.lower() == text.upper():
        return column.like(like, escape="\\")
    return column.ilike(like, escape="\\")


# Migration 0007's tables on SQLite (models.Base.metadata.info["unmodelled_tables"]).
_FTS = table("items_fts", column("rowid"))
_IDS = table("item_search_ids", column("id"), column("item_id"))
_has_fts = weakref.WeakKeyDictionary()


def conditions(session, q, indexed=True):
    """The WHERE conditions of `q`; with `indexed` false the exact one alone, for a list
    already narrowed to a few hundred items."""
    exact = or_(matches(Item.title, q), matches(Item.content, q), matches(Item.number, q))
    if not indexed:
        return [exact]
    if not is_postgres(session.get_bind()):
        if len(q) >= 3 and has_fts(session) and _rare(session, q):
            return [Item.id.in_(trigram_matches(q)), exact]
        return [exact]
    if len(q) >= 3:
        return [matches(search_text(), q), exact]
    if len(q) == 2 and q.isalnum():
        bigrams = func.to_tsvector(SIMPLE, func.duban_bigrams(search_text()))
        return [bigrams.op("@@")(func.plainto_tsquery(SIMPLE, q)), exact]
    return [exact]


# SQLite has no planner statistics for FTS5: it reads every match by id and sorts them.
# That beats walking the list in order (and counting to the cap) for a rare text, and
# loses to it for a frequent one, whose first page comes within a few hundred rows (at
# 100,000 items, measured: 28 against 86 ms for 1,197 matches, 95-150 against 25-50 ms for
# 6,500); from the per-row costs the two meet near 10 x sqrt(items) matches.
RARE = 2000


def _rare(session, q):
    """Whether `q` matches at most RARE items' text (one index read, a millisecond)."""
    found = session.connection().exec_driver_sql(
        "SELECT count(*) FROM (SELECT 1 FROM items_fts WHERE items_fts MATCH ? LIMIT ?)",
        (_phrase(q), RARE + 1)).scalar()
    return found <= RARE


def _phrase(q):
    return '"{}"'.format(q.replace('"', '""'))


def trigram_matches(q):
    """The ids of the items whose text holds `q` (case aside), from SQLite's FTS5 trigram
    index: `q` as one phrase, so any substring of three characters or more is found."""
    return select(_IDS.c.item_id).where(_IDS.c.id.in_(
        select(_FTS.c.rowid).where(text("items_fts MATCH :phrase").bindparams(
            phrase=_phrase(q)))))


def has_fts(session):
    """Whether this SQLite database has migration 0007's index (not a database built from
    the models alone, nor a SQLite without FTS5); asked once per engine, on the session's
    own connection (SQLite has one connection per process)."""
    bind = session.get_bind()
    engine = getattr(bind, "engine", bind)
    if engine not in _has_fts:
        _has_fts[engine] = session.connection().exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE name = 'items_fts'").first() is not None
    return _has_fts[engine]
