"""The small common base every channel plugin implements."""
from dataclasses import dataclass, field

from services.notify.domain.delivery import AMBIGUOUS, PERMANENT, RETRY, SENT, Result

DELIVERED, NOT_FOUND = "delivered", "not_found"


@dataclass(frozen=True)
class Message:
    """One reminder to one recipient. `out_id` is ours, unique per send attempt chain of a
    rung: providers that keep a caller id (Aliyun OutId, Tencent SessionContext) echo it,
    which is how an ambiguous send is resolved later."""

    to: str
    text: str
    kind: str
    out_id: str
    params: dict = field(default_factory=dict)
    sent_on: str = None   # YYYY-MM-DD (provider date), for status queries


class Channel:
    """A way to deliver a reminder. Subclasses set `name` and implement `send`.

    `send` never raises for a provider's answer: it returns a Result whose outcome is
    sent, retry, permanent or ambiguous (see domain/delivery.py). `lookup(message)` says
    whether a message with this out_id reached the provider: "delivered", "not_found", or
    None when the channel cannot tell (then an ambiguous send is never repeated).
    """

    name = None

    def configure(self, settings):
        self.settings = settings
        self.timeout = float(settings.get("NOTIFY_SEND_TIMEOUT_SECONDS", 5))
        return self

    def send(self, message):  # pragma: no cover - abstract
        raise NotImplementedError

    def lookup(self, message):
        return None


def classify_http(status):
    """The outcome of an HTTP status with no more specific provider code."""
    if 200 <= status < 300:
        return SENT
    if status == 429 or status >= 500:
        return RETRY
    return PERMANENT


def exception_outcome(exc):
    """A requests exception: a connect failure never left, a read timeout may have arrived."""
    import requests

    if isinstance(exc, (requests.ConnectTimeout, requests.ConnectionError)) and \
            not isinstance(exc, requests.ReadTimeout):
        # ConnectionError also covers a reset after sending; only a refused/unreachable
        # connection is known not to have delivered anything.
        text = str(exc).lower()
        if isinstance(exc, requests.ConnectTimeout) or "refused" in text or \
                "name or service" in text or "failed to establish" in text:
            return Result(RETRY, error="connect: {}".format(type(exc).__name__))
        return Result(AMBIGUOUS, error="connection lost: {}".format(type(exc).__name__))
    if isinstance(exc, requests.Timeout):
        return Result(AMBIGUOUS, error="timeout after the request was sent")
    return Result(AMBIGUOUS, error=type(exc).__name__)


__all__ = ["Channel", "Message", "Result", "SENT", "RETRY", "PERMANENT", "AMBIGUOUS",
           "DELIVERED", "NOT_FOUND", "classify_http", "exception_outcome"]
