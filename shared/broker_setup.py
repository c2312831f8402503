"""Setup step: declare Duban's exchanges, durable queues and bindings on RabbitMQ.

Run before the services start (make run, make test, docker-compose):
    python -m shared.broker_setup [--amqp-uri URI] [--wait SECONDS]
Idempotent: declaring what exists changes nothing.
"""
import argparse
import os
import sys
import time

from kombu import Connection, Exchange, Queue

from shared.events import exchange_for
from shared.topology import PRODUCERS, SUBSCRIPTIONS, queue_name

PERSISTENT = 2


def declare(amqp_uri, producers=PRODUCERS, subscriptions=SUBSCRIPTIONS):
    declared = []
    with Connection(amqp_uri) as conn:
        channel = conn.channel()
        exchanges = {}
        for producer in producers:
            ex = Exchange(exchange_for(producer), type="topic", durable=True,
                          delivery_mode=PERSISTENT)
            ex(channel).declare()
            exchanges[producer] = ex
        for source, event_type, service, method in subscriptions:
            ex = exchanges.get(source) or Exchange(exchange_for(source), type="topic",
                                                    durable=True, delivery_mode=PERSISTENT)
            name = queue_name(source, event_type, service, method)
            Queue(name, exchange=ex, routing_key=event_type, durable=True,
                  auto_delete=False, exclusive=False)(channel).declare()
            declared.append(name)
        channel.close()
    return declared


def wait_for(amqp_uri, seconds):
    deadline = time.monotonic() + seconds
    while True:
        try:
            with Connection(amqp_uri, connect_timeout=2) as conn:
                conn.ensure_connection(max_retries=1)
                return
        except Exception as exc:
            if time.monotonic() > deadline:
                raise SystemExit("RabbitMQ did not answer at {}: {}".format(amqp_uri, exc))
            time.sleep(1)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--amqp-uri", default=os.environ.get("AMQP_URI",
                                                             "amqp://guest:guest@localhost:5672//"))
    parser.add_argument("--wait", type=float, default=30)
    args = parser.parse_args(argv)
    wait_for(args.amqp_uri, args.wait)
    queues = declare(args.amqp_uri)
    print("broker ready: {} exchanges, {} queues".format(len(PRODUCERS), len(queues)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
