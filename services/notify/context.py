"""What the use cases need besides the unit of work: channels, zone, limits, ladders."""
import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from shared.calendar import OfficeCalendar
from shared.clock import org_zone
from shared.uow import transaction_cache

from .domain.delivery import RetryPolicy
from .domain.ladder import default_ladder, ladder_from_dict
from .models import CalendarDay, LadderConfig, Template


@dataclass
class Context:
    channels: dict
    default_channel: str = "console"
    tz: object = field(default_factory=org_zone)
    daily_cap: int = 10
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    lease_seconds: float = 120.0
    batch: int = 200
    concurrency: int = 8

    @classmethod
    def from_config(cls, config, channels):
        return cls(channels=channels,
                   default_channel=config.get("NOTIFY_CHANNEL") or "console",
                   daily_cap=int(config.get("NOTIFY_DAILY_CAP_PER_NUMBER", 10)),
                   policy=RetryPolicy(base_seconds=float(config.get("NOTIFY_RETRY_BASE_SECONDS", 30)),
                                      cap_seconds=float(config.get("NOTIFY_RETRY_CAP_SECONDS", 3600)),
                                      max_attempts=int(config.get("NOTIFY_MAX_ATTEMPTS", 6))),
                   lease_seconds=float(config.get("NOTIFY_SEND_LEASE_SECONDS", 120)),
                   batch=int(config.get("NOTIFY_SCAN_BATCH", 200)),
                   concurrency=int(config.get("NOTIFY_SEND_CONCURRENCY", 8)))

    def channel(self, name):
        return self.channels.get(name)


def ladder_for(session, org_id, category):
    """The organisation's ladder for a category, else its '*' ladder, else the default."""
    for cat in (category, "*"):
        row = session.get(LadderConfig, (org_id or "", cat))
        if row is not None:
            return ladder_from_stored(row.config, category)
    return default_ladder(category)


def ladder_from_stored(config, category):
    data = dict(config)
    for key in ("send_at",):
        if isinstance(data.get(key), str):
            data[key] = dt.time.fromisoformat(data[key])
    if "quiet_hours" in data:
        data["quiet_hours"] = {k: dt.time.fromisoformat(v) if isinstance(v, str) else v
                               for k, v in data["quiet_hours"].items()}
    return ladder_from_dict(data, category)


def calendar_for(session, org_id):
    """A group's office calendar: its own table over the deployment's ("*")."""
    rows = session.scalars(select(CalendarDay).where(CalendarDay.org_id.in_([org_id or "",
                                                                            "*"])))
    days = {}
    for row in sorted(rows, key=lambda r: r.org_id != "*"):  # the group's rows last
        days[row.day] = (row.kind, row.name)
    return OfficeCalendar(days)


def templates_for(session, org_id):
    rows = session.scalars(select(Template).where(Template.org_id == (org_id or "")))
    return {r.kind: r.body for r in rows}


class Lookups:
    """Ladders, calendars and templates read once per batch (a scan touches many items of
    few organisations)."""

    def __init__(self, session):
        self.session = session
        self.memo = {}

    def _get(self, key, load):
        if key not in self.memo:
            self.memo[key] = load()
        return self.memo[key]

    def ladder(self, org_id, category):
        return self._get(("ladder", org_id, category),
                         lambda: ladder_for(self.session, org_id, category))

    def calendar(self, org_id):
        return self._get(("calendar", org_id), lambda: calendar_for(self.session, org_id))

    def templates(self, org_id):
        return self._get(("templates", org_id), lambda: templates_for(self.session, org_id))


def transaction_lookups(session):
    """The Lookups of this unit of work: a batch of events (a bulk registration sends
    thousands of item.registered) reads each organisation's ladder and calendar once. A
    ladder or calendar written in the same transaction is not read before it is written
    (their changes flag items for the next tick's replanning)."""
    cache = transaction_cache(session, "notify.lookups")
    if "lookups" not in cache:
        cache["lookups"] = Lookups(session)
    return cache["lookups"]

