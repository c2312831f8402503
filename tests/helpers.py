"""Test helpers: an independent AMQP subscriber and small waiting utilities."""
import time
import uuid

from kombu import Connection, Exchange, Queue


class EventTap:
    """A plain-kombu subscriber, as another system would bind to `<service>.events`."""

    def __init__(self, amqp_uri, exchange="tracking.events", pattern="#"):
        self.conn = Connection(amqp_uri)
        self.channel = self.conn.channel()
        ex = Exchange(exchange, type="topic", durable=True)
        self.queue = Queue("tap-{}".format(uuid.uuid4().hex[:8]), ex, routing_key=pattern,
                           durable=False, auto_delete=False, exclusive=True)(self.channel)
        self.queue.declare()
        self.messages = []

    def _poll(self):
        message = self.queue.get(no_ack=True)
        if message is None:
            return False
        self.messages.append((message.delivery_info["routing_key"], message.payload))
        return True

    def wait_for(self, count, timeout=15):
        """Collect until `count` messages arrived (or fail after `timeout`)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            if not self._poll():
                if time.monotonic() > deadline:
                    raise AssertionError("got {} of {} events: {}".format(
                        len(self.messages), count, [k for k, _ in self.messages]))
                time.sleep(0.05)
        return list(self.messages)

    def settle(self, quiet=1.0):
        """Collect until nothing new arrives for `quiet` seconds; all messages so far."""
        last = time.monotonic()
        while time.monotonic() - last < quiet:
            if self._poll():
                last = time.monotonic()
            else:
                time.sleep(0.05)
        return list(self.messages)

    def close(self):
        self.channel.close()
        self.conn.release()


def publish_event(amqp_uri, producer, envelope):
    """Publish an envelope the way a producer's relay does (persistent, confirmed)."""
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as conn:
        producer_ = conn.Producer(serializer="json")
        ex = Exchange("{}.events".format(producer), type="topic", durable=True)
        producer_.publish(envelope, exchange=ex, routing_key=envelope["type"], declare=[ex],
                          delivery_mode=2)


def wait_until(predicate, timeout=15, interval=0.1, message="condition not met"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(interval)


PAGE_PASSWORD = "pages password 123"


def post_sign_in(http, data, url="", **kwargs):
    """Post the sign-in form as a browser does: open the sign-in page first (it sets the
    pre-session cookie) and send its form token back with `data`."""
    import re

    page = http.get(url + "/signin", **({"timeout": kwargs["timeout"]} if "timeout" in kwargs
                                        else {}))
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)
    return http.post(url + "/signin", data=dict(data, csrf=token), **kwargs)


def sign_in_to_pages(http, unit, roles=("office", "admin"), username="office1",
                     mobile="13700009999"):
    """A person of `unit` who uses the web pages: made over the API (as the suite's platform
    administrator), then signed in on the sign-in page, so `http` carries the session
    cookie. Returns the session's CSRF token, which every form post must carry."""
    import re

    r = http.post("/api/v1/people", json={"name": "页面用户", "mobile": mobile, "org_unit": unit,
                                          "roles": list(roles), "username": username,
                                          "password": PAGE_PASSWORD})
    assert r.status_code == 201, r.text
    r = post_sign_in(http, {"username": username, "password": PAGE_PASSWORD, "next": "/"},
                     allow_redirects=False)
    assert r.status_code == 303 and "duban_session" in http.cookies, r.text
    page = http.get("/")
    return re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)
