"""The gateway's session cache (services/gateway/sessions.py), its rules one by one."""
import pytest

from services.gateway.sessions import SessionCache


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
