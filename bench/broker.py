"""A private RabbitMQ vhost for one bench run, so a bench never shares queues with a
running system or another bench (uses the management API, which `make bench` enables)."""
import contextlib
import os
import uuid

import requests

BROKER = os.environ.get("BENCH_AMQP_BASE", "amqp://guest:guest@localhost:5672/")
MANAGEMENT = os.environ.get("BENCH_RABBIT_MANAGEMENT", "http://guest:guest@localhost:15672")


def make_vhost(prefix):
    """(name, AMQP URI) of a new vhost the guest user may use."""
    name = "{}_{}".format(prefix, uuid.uuid4().hex[:6])
    requests.put("{}/api/vhosts/{}".format(MANAGEMENT, name), timeout=10).raise_for_status()
    requests.put("{}/api/permissions/{}/guest".format(MANAGEMENT, name), timeout=10,
                 json={"configure": ".*", "write": ".*", "read": ".*"}).raise_for_status()
    return name, BROKER + name


def drop_vhost(name):
    requests.delete("{}/api/vhosts/{}".format(MANAGEMENT, name), timeout=30)


@contextlib.contextmanager
def private_vhost(prefix):
    """The AMQP URI of a vhost that lives as long as the block."""
    name, uri = make_vhost(prefix)
    try:
        yield uri
    finally:
        drop_vhost(name)
