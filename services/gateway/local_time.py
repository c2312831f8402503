"""Times on the pages: a wire time (ISO 8601, UTC) in the organisation's zone, to the minute."""
import datetime as dt

from shared.clock import org_zone


def local_minute(value):
    if not value:
        return ""
    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(org_zone()).strftime("%Y-%m-%d %H:%M")
