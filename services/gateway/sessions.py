"""Who a session token stands for, remembered for a few seconds in the gateway.

Every signed-in request names its caller by a token; tracking knows what the token stands
for (`resolve_token`: four statements and an RPC round trip, more than the ledger page
the request asks for). The gateway keeps each answer for `SESSION_CACHE_SECONDS`
(default 10; 0 turns the cache off), keyed by the token's digest, never its secret:

- any request through this gateway that calls an RPC which changes who someone is or
  what they may see (`IDENTITY_WRITES`: signing out, a password, a person's name, roles,
  unit or activity, a department's contact or substitutes, a token revoked) empties the
  cache, when the call is made and again when the request ends, so that its effect is
  immediate here (a write the gateway gave up on is not committed later: tracking
  checks the request's deadline before it commits, so the second emptying comes after
  every commit it can make);
- an answer fetched while such a change was under way is not kept (the cache's
  generation moved on meanwhile);
- a change made elsewhere (through another gateway instance, or straight in tracking)
  takes effect here within `SESSION_CACHE_SECONDS`, and so does a session's expiry;
- a refusal (401) is never remembered; at most `MAX_ENTRIES` tokens are, the oldest
  forgotten first; a TTL above `MAX_TTL` is taken as `MAX_TTL` (logged at start).

tests/test_gateway_sessions.py holds every tracking RPC to a decision: in
`IDENTITY_WRITES`, or listed there as changing no one's identity.
"""
import logging
import time

from shared.rpc import TimedRpcProxy

log = logging.getLogger(__name__)

IDENTITY_WRITES = frozenset({
    "sign_out", "change_password", "revoke_token", "update_person", "set_contact",
})
MAX_ENTRIES = 10_000
MAX_TTL = 60.0  # seconds a change made through another gateway may take to count here


class SessionCache:
    """digest -> the encoded principal, for `ttl` seconds (monotonic clock). Nothing in it
    yields to another green thread between a read and a write."""

    def __init__(self, ttl, max_entries=MAX_ENTRIES, clock=time.monotonic):
        self.ttl, self.max_entries, self.clock = float(ttl), max_entries, clock
        self.generation = 0
        self._entries = {}  # digest -> (until, encoded principal); insertion order = age

    def resolve(self, digest, fetch):
        """The principal of `digest`: remembered, or fetched (and remembered if nothing
        changed meanwhile). `fetch`'s errors pass through and nothing is kept."""
        hit = self._entries.get(digest)
        if hit is not None:
            if hit[0] > self.clock():
                return hit[1]
            del self._entries[digest]
        generation = self.generation
        encoded = fetch(digest)
        self.put(digest, encoded, generation)
        return encoded

    def put(self, digest, encoded, generation):
        if self.ttl <= 0 or generation != self.generation:
            return
        self._entries.pop(digest, None)
        while len(self._entries) >= self.max_entries:
            del self._entries[next(iter(self._entries))]
        self._entries[digest] = (self.clock() + self.ttl, encoded)

    def invalidate(self):
        """Forget everything; answers being fetched now will not be kept either."""
        self.generation += 1
        self._entries.clear()

    def __len__(self):
        return len(self._entries)


def session_ttl(config):
    """SESSION_CACHE_SECONDS, at most MAX_TTL (a longer window is refused with a warning)."""
    ttl = float(config.get("SESSION_CACHE_SECONDS", 10))
    if ttl > MAX_TTL:
        log.warning("SESSION_CACHE_SECONDS=%s is above %s: using %s", ttl, MAX_TTL, MAX_TTL)
        return MAX_TTL
    return max(ttl, 0.0)


class TrackingProxy(TimedRpcProxy):
    """tracking's RPC proxy for the gateway, with the session cache: `sessions` resolves a
    token; a worker that calls one of `IDENTITY_WRITES` empties the cache (see above)."""

    def setup(self):
        super().setup()
        self.sessions = SessionCache(session_ttl(self.container.config))
        self._changing = set()  # the workers that called an identity write

    def get_dependency(self, worker_ctx):
        return _Watched(super().get_dependency(worker_ctx), self, worker_ctx)

    def identity_write(self, worker_ctx):
        self._changing.add(worker_ctx)
        self.sessions.invalidate()

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        if worker_ctx in self._changing:
            self.sessions.invalidate()  # after the write: what was fetched meanwhile goes

    def worker_teardown(self, worker_ctx):
        self._changing.discard(worker_ctx)


class _Watched:
    """The worker's tracking proxy; notes the identity writes it is asked to call."""

    def __init__(self, proxy, provider, worker_ctx):
        self._proxy, self._provider, self._worker_ctx = proxy, provider, worker_ctx
        self.sessions = provider.sessions

    def __getattr__(self, name):
        if name in IDENTITY_WRITES:
            self._provider.identity_write(self._worker_ctx)
        return getattr(self._proxy, name)
