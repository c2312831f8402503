"""The references the benches measure beside their figures, in the same run."""
import time
import uuid

from kombu import Connection, Exchange, Queue


def raw_kombu(amqp_uri, n, size=200):
    """Publish n persistent messages of about `size` bytes with publisher confirms, one
    at a time, then consume them all on the same broker: messages/s."""
    name = "bench-raw-{}".format(uuid.uuid4().hex[:6])
    ex = Exchange(name, type="direct", durable=False, auto_delete=True)
    queue = Queue(name, ex, routing_key=name, auto_delete=True)
    body = {"id": str(uuid.uuid4()), "type": "item.registered", "data": {"pad": "x" * size}}
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as conn:
        queue(conn.channel()).declare()
        producer = conn.Producer(serializer="json")
        received = []
        start = time.perf_counter()
        for _ in range(n):
            producer.publish(body, exchange=ex, routing_key=name, delivery_mode=2)
        with conn.Consumer(queue, callbacks=[lambda b, m: (received.append(1), m.ack())],
                           prefetch_count=500):
            while len(received) < n:
                conn.drain_events(timeout=10)
        return n / (time.perf_counter() - start)
