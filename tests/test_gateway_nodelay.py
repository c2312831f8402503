"""The gateway's HTTP connections send without Nagle's delay (services/gateway/nodelay.py)."""
import socket

from nameko.web.server import WebServer

import services.gateway.service  # noqa: F401  (installs the hook, as the gateway does)
from services.gateway import nodelay


def test_the_gateway_sets_tcp_nodelay_on_each_accepted_connection():
    assert WebServer.process_request.__module__ == "services.gateway.nodelay"
    listener = socket.create_server(("127.0.0.1", 0))
    client = socket.create_connection(listener.getsockname())
    accepted, _ = listener.accept()
    try:
        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
        assert nodelay.no_delay(accepted) is accepted
        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    finally:
        for s in (accepted, client, listener):
            s.close()
    nodelay.install()  # a second install wraps nothing twice
    assert len(nodelay._installed) == 1
