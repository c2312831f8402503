"""The gateway's session cache (services/gateway/sessions.py), its rules one by one."""
import logging

import pytest

from services.gateway.sessions import IDENTITY_WRITES, MAX_TTL, SessionCache, session_ttl
from services.tracking.service import TrackingService

# Every tracking RPC that changes no existing principal (what resolve_token answers: the
# person's name, roles, group, organisation and departments, the token's validity). A new
# tracking RPC fails the test below until it is put here or in IDENTITY_WRITES.
NOT_IDENTITY = {
    "ping", "create_org_unit", "list_org_units", "get_org_unit",
    "update_org_unit",  # name, aliases, head, leader, number format: none in a principal
    "create_person", "list_people", "sign_in", "resolve_token", "create_token", "list_tokens",
    "directory_changes", "get_calendar", "calendar_days", "set_calendar",
    "register_item", "validate_item", "validate_items", "update_item", "get_item",
    "get_items", "list_items", "dashboard", "item_history", "act", "submit_feedback",
    "assess_feedback", "request_extension", "decide_extension", "list_events",
    "list_dead_letters", "replay_dead_letter", "discard_dead_letter", "correct_dead_letter",
}


def rpc_methods(cls):
    return {name for name in dir(cls)
            if any(type(e).__name__ == "Rpc"
                   for e in getattr(getattr(cls, name), "nameko_entrypoints", ()))}


def test_every_tracking_rpc_is_judged_for_whether_it_changes_who_someone_is():
    rpcs = rpc_methods(TrackingService)
    assert IDENTITY_WRITES <= rpcs and NOT_IDENTITY <= rpcs
    assert sorted(rpcs - IDENTITY_WRITES - NOT_IDENTITY) == []


def test_the_ttl_is_capped_and_never_negative(caplog):
    assert session_ttl({}) == 10
    assert session_ttl({"SESSION_CACHE_SECONDS": "0"}) == 0
    with caplog.at_level(logging.WARNING):
        assert session_ttl({"SESSION_CACHE_SECONDS": 3600}) == MAX_TTL == 60
    assert "above" in caplog.text


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class Tracking:
    """Stands for tracking's resolve_token: counts the calls, answers per digest."""

    def __init__(self, answers):
        self.answers, self.calls = dict(answers), []

    def __call__(self, digest):
        self.calls.append(digest)
        answer = self.answers[digest]
        if isinstance(answer, Exception):
            raise answer
        return answer


def test_a_token_is_asked_once_within_the_ttl_and_again_after_it():
    clock, tracking = Clock(), Tracking({"d1": "alice", "d2": "bob"})
    cache = SessionCache(10, clock=clock)
    assert [cache.resolve("d1", tracking) for _ in range(3)] == ["alice"] * 3
    assert cache.resolve("d2", tracking) == "bob"
    assert tracking.calls == ["d1", "d2"]
    clock.now += 9.9
    assert cache.resolve("d1", tracking) == "alice" and tracking.calls == ["d1", "d2"]
    clock.now += 0.2
    tracking.answers["d1"] = "alice, now a leader"
    assert cache.resolve("d1", tracking) == "alice, now a leader"
    assert tracking.calls == ["d1", "d2", "d1"]


def test_a_refusal_is_never_remembered():
    class Refused(Exception):
        pass
    clock, tracking = Clock(), Tracking({"d1": Refused()})
    cache = SessionCache(10, clock=clock)
    for _ in range(2):
        with pytest.raises(Refused):
            cache.resolve("d1", tracking)
    assert tracking.calls == ["d1", "d1"] and len(cache) == 0


def test_invalidate_forgets_everything():
    tracking = Tracking({"d1": "alice"})
    cache = SessionCache(10, clock=Clock())
    cache.resolve("d1", tracking)
    cache.invalidate()
    tracking.answers["d1"] = "alice, signed out"
    assert cache.resolve("d1", tracking) == "alice, signed out"
    assert tracking.calls == ["d1", "d1"]


def test_an_answer_fetched_while_identity_changed_is_not_kept():
    cache = SessionCache(10, clock=Clock())

    def fetch_during_a_change(digest):
        cache.invalidate()  # a sign-out through this gateway lands while the RPC is out
        return "the state before the sign-out"

    assert cache.resolve("d1", fetch_during_a_change) == "the state before the sign-out"
    tracking = Tracking({"d1": "after"})
    assert cache.resolve("d1", tracking) == "after" and tracking.calls == ["d1"]


def test_ttl_zero_turns_the_cache_off():
    tracking = Tracking({"d1": "alice"})
    cache = SessionCache(0, clock=Clock())
    cache.resolve("d1", tracking), cache.resolve("d1", tracking)
    assert tracking.calls == ["d1", "d1"] and len(cache) == 0


def test_the_oldest_entry_goes_first_when_full():
    tracking = Tracking({"d{}".format(n): n for n in range(4)})
    cache = SessionCache(10, max_entries=3, clock=Clock())
    for n in range(4):
        cache.resolve("d{}".format(n), tracking)
    assert len(cache) == 3
    cache.resolve("d3", tracking), cache.resolve("d1", tracking)
    assert tracking.calls == ["d0", "d1", "d2", "d3"]
    cache.resolve("d0", tracking)
    assert tracking.calls[-1] == "d0" and len(cache) == 3
