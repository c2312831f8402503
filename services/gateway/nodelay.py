"""TCP_NODELAY on the gateway's HTTP connections.

eventlet's WSGI server writes a response's headers and its body in separate sends. On a
kept-alive connection, Nagle's algorithm holds the body back until the client acknowledges
the headers, and the client delays that acknowledgement (40 ms on Linux): every response
larger than one packet came 40-80 ms late to a client that reuses its connection (a
browser, a proxy, the ledger bench), while a fresh connection did not show it. Measured in
bench/ledger_bench.py: a 20-item page of the ledger took 72 ms on a kept-alive connection
and 20 ms on a new one (docs/performance.md, "Ledger").
"""
import socket

from nameko.web.server import WebServer

_installed = []


def no_delay(sock):
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except OSError:  # not a TCP socket (a test's socketpair): nothing to do
        pass
    return sock


def install():
    """Every connection nameko's web server accepts sends at once (idempotent)."""
    if _installed:
        return
    original = WebServer.process_request

    def process_request(self, sock, address):
        return original(self, no_delay(sock), address)

    WebServer.process_request = process_request
    _installed.append(original)
