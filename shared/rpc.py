"""RPC calls with a deadline: nameko's in-service proxy waits forever by default."""
import logging

import eventlet
from nameko.exceptions import RemoteError, UnknownService
from nameko.rpc import RpcProxy

from shared.errors import ServiceUnavailable

log = logging.getLogger(__name__)


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
