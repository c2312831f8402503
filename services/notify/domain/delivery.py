"""Delivery policy: what a channel's answer means, when to try again, how much is too much.

Outcomes: `sent`; `retry` (a timeout before the request left, a 5xx, throttling: try
again later with exponential backoff); `permanent` (a bad template, a blacklisted or
invalid number: fail at once); `ambiguous` (the request may have reached the provider:
never resend blindly, ask the provider by our own message id first).
"""
import re
from dataclasses import dataclass

SENT, RETRY, PERMANENT, AMBIGUOUS = "sent", "retry", "permanent", "ambiguous"
OUTCOMES = (SENT, RETRY, PERMANENT, AMBIGUOUS)

MOBILE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")


@dataclass(frozen=True)
class Result:
    """What a channel says about one send."""

    outcome: str
    provider_id: str = None
    error: str = None


@dataclass(frozen=True)
class RetryPolicy:
    base_seconds: float = 30.0
    cap_seconds: float = 3600.0
    max_attempts: int = 6

    def delay(self, attempts):
        """Seconds to wait after the `attempts`-th failed try: 30 s, 60 s, 120 s ... capped."""
        return min(self.cap_seconds, self.base_seconds * (2 ** max(0, attempts - 1)))

    def gives_up(self, attempts):
        return attempts >= self.max_attempts


def next_step(result, attempts, policy):
    """('sent' | 'retry' | 'failed' | 'check', delay seconds) after a try."""
    if result.outcome == SENT:
        return "sent", 0
    if result.outcome == PERMANENT:
        return "failed", 0
    if result.outcome == AMBIGUOUS:
        return "check", policy.delay(1)
    if policy.gives_up(attempts):
        return "failed", 0
    return "retry", policy.delay(attempts)


def valid_mobile(text):
    """A mainland mobile number, with or without +86."""
    return bool(text) and bool(MOBILE.match(str(text).replace(" ", "").replace("-", "")))


def normal_mobile(text):
    """The 11-digit form used as the daily-cap key."""
    digits = re.sub(r"\D", "", str(text))
    return digits[-11:]


def over_cap(sent_today, cap):
    """True when one more message to this number today would pass the local daily cap."""
    return cap is not None and cap > 0 and sent_today >= cap
