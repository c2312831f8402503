"""Times on the pages are the organisation's, to the minute."""
from services.gateway.local_time import local_minute


def test_a_utc_wire_time_is_shown_in_the_organisations_zone(monkeypatch):
    monkeypatch.setenv("DUBAN_TZ", "Asia/Shanghai")
    assert local_minute("2026-11-29T16:30:59Z") == "2026-11-30 00:30"
    assert local_minute("2026-11-29T16:30:59") == "2026-11-30 00:30"  # naive: UTC
    monkeypatch.setenv("DUBAN_TZ", "Europe/Berlin")
    assert local_minute("2026-07-01T10:05:00+00:00") == "2026-07-01 12:05"


def test_nothing_or_a_non_time_is_shown_as_it_is():
    assert local_minute(None) == "" and local_minute("") == ""
    assert local_minute("not a time") == "not a time"
