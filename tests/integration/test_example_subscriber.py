"""The documented example subscriber really consumes the events (run as its own process)."""
import datetime as dt
import os
import subprocess
import sys
import time

import pytest
from amqp.exceptions import ChannelError
from kombu import Connection

from shared.clock import Clock
from tests.conftest import ADMIN_TOKEN
from tests.integration.conftest import seed_directory

pytestmark = pytest.mark.integration
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_example_subscriber_catches_up_then_follows_live(sqlite_url, make_system, rabbit_config,
                                                          web_config_port):
    system = make_system(sqlite_url)
    http = system.http
    person = seed_directory(http)
    body = {"title": "订阅示例", "lead_department": "FIN", "responsible_person": person,
            "deadline": (Clock().today() + dt.timedelta(days=5)).isoformat()}
    first = http.post("/api/v1/items", json=body).json()  # before the subscriber exists
    proc = subprocess.Popen(
        [sys.executable, "examples/subscriber.py", "--amqp-uri", rabbit_config["AMQP_URI"],
         "--since", "0", "--api", "http://127.0.0.1:{}".format(web_config_port), "--max", "2"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, PYTHONWARNINGS="ignore", DUBAN_TOKEN=ADMIN_TOKEN))
    time.sleep(2.0)  # let it bind its queue and catch up
    http.post("/api/v1/items/{}/issue".format(first["id"]), json={})
    second = http.post("/api/v1/items", json=dict(body, title="第二项")).json()
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    lines = [line.split() for line in out.strip().splitlines()]
    assert [(l[1], l[2]) for l in lines] == [("item.registered", first["number"]),
                                             ("item.issued", first["number"]),
                                             ("item.registered", second["number"])]


def queue_exists(amqp_uri, name):
    with Connection(amqp_uri) as conn:
        try:
            conn.channel().queue_declare(name, passive=True)
        except ChannelError:
            return False
        return True


def test_durable_queue_outlives_the_subscriber_and_temporary_does_not(
        sqlite_url, make_system, rabbit_config, web_config_port):
    system = make_system(sqlite_url)
    http = system.http
    person = seed_directory(http)
    uri = rabbit_config["AMQP_URI"]
    body = {"title": "临时队列", "lead_department": "FIN", "responsible_person": person,
            "deadline": (Clock().today() + dt.timedelta(days=5)).isoformat()}
    for flags, title in ((["--temporary"], "临时队列"), ([], "持久队列")):
        proc = subprocess.Popen(
            [sys.executable, "examples/subscriber.py", "--amqp-uri", uri, "--max", "1"] + flags,
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=dict(os.environ, PYTHONWARNINGS="ignore"))
        announced = proc.stderr.readline().split()  # printed once the queue is bound
        assert announced[0] == "queue", announced
        item = http.post("/api/v1/items", json=dict(body, title=title)).json()
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err
        assert [line.split()[1:3] for line in out.strip().splitlines()] == [
            ["item.registered", item["number"]]]
        name = announced[1]
        if flags:
            assert name.startswith("example-subscriber.items.tmp-") and announced[2] == "(temporary)"
            assert not queue_exists(uri, name)  # gone with its subscriber
        else:
            assert name == "example-subscriber.items" and announced[2] == "(durable)"
            assert queue_exists(uri, name)  # keeps collecting events until deleted
            http.post("/api/v1/items", json=dict(body, title="无人接收"))
            with Connection(uri) as conn:
                _, waiting, _ = conn.channel().queue_declare(name, passive=True)
            assert waiting >= 1
