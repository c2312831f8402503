"""The one clock of Duban: UTC for storage, the organisation's zone for dates."""
import datetime as dt
import os
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Asia/Shanghai"


def org_zone():
    return ZoneInfo(os.environ.get("DUBAN_TZ", DEFAULT_TZ))


class Clock:
    """Wall clock. Services take one as a dependency so tests can freeze time."""

    def __init__(self, tz=None):
        self.tz = tz or org_zone()

    def now(self):
        """Aware UTC now."""
        return dt.datetime.now(dt.timezone.utc)

    def today(self):
        """Today's date in the organisation's time zone (deadlines are read there)."""
        return self.now().astimezone(self.tz).date()


class FixedClock(Clock):
    """A clock that stays where it is put; `advance` moves it."""

    def __init__(self, at, tz=None):
        super().__init__(tz)
        if at.tzinfo is None:
            at = at.replace(tzinfo=dt.timezone.utc)
        self.at = at

    def now(self):
        return self.at

    def advance(self, **delta):
        self.at = self.at + dt.timedelta(**delta)


def utc_iso(value):
    """ISO 8601 in UTC with a Z suffix, for the wire."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")
