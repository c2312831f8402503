"""RPC for Duban services: entrypoints that know their request, writes that happen once,
and calls with a deadline (nameko's in-service proxy waits forever by default)."""
import functools
import logging

import eventlet
from nameko import rpc as nameko_rpc
from nameko.exceptions import RemoteError, UnknownService
from nameko.extensions import DependencyProvider
from nameko.rpc import RpcProxy

from shared.errors import EXPECTED, ServiceUnavailable
from shared.uow import request_digest

log = logging.getLogger(__name__)

# Context keys that travel with a call (nameko forwards a worker's context data as headers).
IDEMPOTENCY_KEY = "duban.idempotency_key"  # the gateway's, from a client's Idempotency-Key
MESSAGE_ID = "duban.message_id"            # the AMQP correlation id of this very request
DEADLINE = "duban.deadline"                # epoch seconds after which the caller gave up


class Rpc(nameko_rpc.Rpc):
    """nameko's RPC entrypoint, plus the request's message id in the worker's context.

    nameko acks a request after the worker ends, so a crash after the commit redelivers
    the same message (same correlation id): `exactly_once` claims that id. DubanErrors
    are expected exceptions by default (they are answers, not faults).
    """

    def __init__(self, expected_exceptions=EXPECTED, **kwargs):
        super().__init__(expected_exceptions=expected_exceptions, **kwargs)

    def unpack_message_headers(self, message):
        data = super().unpack_message_headers(message)
        data[MESSAGE_ID] = message.properties.get("correlation_id")
        return data


rpc = Rpc.decorator


class RequestInfo:
    """What identifies one request (the client's idempotency key, else the message id), and
    until when its caller waits for the answer."""

    def __init__(self, idempotency_key=None, message_id=None, deadline=None):
        self.idempotency_key = idempotency_key
        self.message_id = message_id
        self.deadline = deadline

    @property
    def key(self):
        return self.idempotency_key or self.message_id


class Request(DependencyProvider):
    def get_dependency(self, worker_ctx):
        deadline = worker_ctx.data.get(DEADLINE)
        try:
            deadline = float(deadline) if deadline is not None else None
        except (TypeError, ValueError):
            deadline = None
        return RequestInfo(worker_ctx.data.get(IDEMPOTENCY_KEY), worker_ctx.data.get(MESSAGE_ID),
                           deadline)


def exactly_once(fn):
    """An RPC that writes: its effect happens once per request (handbook rule 7).

    The request's key is claimed in the service's inbox inside the write's own
    transaction (the service's unit of work), together with the answer; a redelivered
    request, or a client's retry with the same Idempotency-Key, gets the first answer
    and changes nothing. The same key with a different body is a 422. The service
    provides `uow()` (shared.service.ServiceBase) and `request` (a Request).
    """
    consumer = "rpc:" + fn.__name__

    @functools.wraps(fn)
    def wrapper(self, *args, **kwargs):
        info = self.request
        key = info.key if isinstance(info, RequestInfo) else None
        uow = self.uow()
        with uow:
            if key:
                digest = request_digest(fn.__name__, args, kwargs)
                earlier = uow.claim(str(key)[:36], consumer, digest)
                if earlier is not None:
                    return earlier.result
            result = fn(self, *args, **kwargs)
            if key:
                uow.record_result(str(key)[:36], consumer, result)
        return result

    wrapper.exactly_once = True
    return wrapper


class TimedRpcProxy(RpcProxy):
    """An RpcProxy whose requests expire in the queue after RPC_TIMEOUT_SECONDS.

    Without it a request to a service that is down waits in its queue and runs when
    the service comes back, long after the caller was told 503: a "failed" request
    that later succeeds.
    """

    def setup(self):
        super().setup()
        self.options["expiration"] = float(self.container.config.get("RPC_TIMEOUT_SECONDS", 10))


def call(proxy, method, *args, timeout=10.0, **kwargs):
    """Call `proxy.method(*args)`; a DubanError raised remotely arrives as itself.

    A service that is not running or does not answer in time becomes
    ServiceUnavailable (503) instead of a hung worker.
    """
    try:
        reply = getattr(proxy, method).call_async(*args, **kwargs)
        with eventlet.Timeout(timeout):
            return reply.result()
    except eventlet.Timeout:
        raise ServiceUnavailable("The {} service did not answer in time".format(proxy.service_name),
                                 {"service": [proxy.service_name]})
    except UnknownService:
        raise ServiceUnavailable("The {} service is not running".format(proxy.service_name),
                                 {"service": [proxy.service_name]})
    except RemoteError as exc:
        log.error("remote error from %s.%s: %s", proxy.service_name, method, exc)
        raise
