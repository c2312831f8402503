"""Example: another system consuming Duban's item events with plain kombu.

    python examples/subscriber.py [--amqp-uri URI] [--queue NAME] [--temporary]
                                  [--since SEQ --api URL]

Catching up calls the API with the token in `DUBAN_TOKEN` (an API token with the
`viewer` or `office` role of your organisation, made with POST /api/v1/tokens).

It binds its own durable queue to the `tracking.events` topic exchange (so events
wait for it while it is down), dedupes on the envelope `id`, acks only after its
own work is done, and can first catch up from `GET /api/v1/events?after=<seq>`.
Nothing here imports Duban: this is what a subscriber outside the project writes.

The durable queue outlives the subscriber: after it exits, every matching event keeps
piling up in `example-subscriber.items` until it runs again, or until you delete the
queue (`rabbitmqctl delete_queue example-subscriber.items`, add `-p <vhost>` if not
on `/`, or the management UI). To try it out without leaving a queue behind, pass
`--temporary`: an exclusive, auto-delete queue `<queue>.tmp-<random>` that RabbitMQ
removes when the subscriber disconnects; events published while it is not running are
then not kept for it (catch up with `--since` instead).
"""
import argparse
import json
import os
import sys
import uuid

import requests
from kombu import Connection, Exchange, Queue

SEEN = set()  # a real subscriber keeps this in its own database, with its effect


def handle(envelope):
    if envelope["id"] in SEEN:
        return  # delivered again (at-least-once): already done
    SEEN.add(envelope["id"])
    item = envelope["data"]
    print("{occurred_at} {type:<26} {number} {status:<22} lead={lead} deadline={deadline}".format(
        occurred_at=envelope["occurred_at"], type=envelope["type"], number=item.get("number"),
        status=item.get("status"), lead=(item.get("lead_department") or {}).get("code"),
        deadline=item.get("deadline")), flush=True)


def catch_up(api, after):
    """Read the event log from a cursor until it is exhausted; returns the last cursor."""
    while True:
        page = requests.get(api + "/api/v1/events", params={"after": after, "limit": 500},
                            headers={"Authorization": "Bearer " + os.environ["DUBAN_TOKEN"]},
                            timeout=10).json()
        for envelope in page["events"]:
            if envelope["type"].startswith("item."):
                handle(envelope)
        if not page["events"]:
            return after
        after = page["next_after"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--amqp-uri", default="amqp://guest:guest@localhost:5672//")
    parser.add_argument("--queue", default="example-subscriber.items",
                        help="the durable queue (it keeps filling after the subscriber exits)")
    parser.add_argument("--temporary", action="store_true",
                        help="an exclusive auto-delete queue, removed when the subscriber exits")
    parser.add_argument("--pattern", default="item.#", help="routing-key pattern, e.g. item.overdue")
    parser.add_argument("--since", type=int, help="catch up from this event-log cursor first")
    parser.add_argument("--api", default="http://127.0.0.1:8000")
    parser.add_argument("--max", type=int, default=0, help="stop after N live events (0: never)")
    args = parser.parse_args(argv)

    exchange = Exchange("tracking.events", type="topic", durable=True)
    if args.temporary:
        name = "{}.tmp-{}".format(args.queue, uuid.uuid4().hex[:8])
        queue = Queue(name, exchange, routing_key=args.pattern, exclusive=True, auto_delete=True,
                      durable=False)
    else:
        queue = Queue(args.queue, exchange, routing_key=args.pattern, durable=True)
    with Connection(args.amqp_uri) as conn:
        channel = conn.channel()
        queue = queue(channel)
        queue.declare()  # bind first, so nothing published from now on is lost
        print("queue {} ({})".format(queue.name, "temporary" if args.temporary else "durable"),
              file=sys.stderr, flush=True)
        if args.since is not None:
            catch_up(args.api, args.since)
        count = [0]

        def on_message(body, message):
            handle(body if isinstance(body, dict) else json.loads(body))
            message.ack()
            count[0] += 1

        with conn.Consumer(queue, channel=channel, callbacks=[on_message], prefetch_count=50):
            while not args.max or count[0] < args.max:
                try:
                    conn.drain_events(timeout=1)
                except TimeoutError:
                    continue
                except KeyboardInterrupt:
                    return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
