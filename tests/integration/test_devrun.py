"""`make run`'s runner stops cleanly on one Ctrl-C, at once on a second.

The runner is started as a terminal would start a foreground job: in its own process
group, which then receives SIGINT as a whole (what Ctrl-C does). It runs on a
throwaway vhost and a free port, with its own SQLite files.
"""
import glob
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests

from shared.broker_setup import declare
from shared.migrate import upgrade
from tests.helpers import wait_until

pytestmark = pytest.mark.integration
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SERVICES = glob.glob(os.path.join(ROOT, "services", "*", "service.py"))
STOP_BOUND = 15  # seconds; the old runner needed 30-45 s of timeouts and kills


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children_of(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/{}/stat".format(entry)) as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def alive(pid):
    try:
        with open("/proc/{}/stat".format(pid)) as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture()
def devrun(rabbit_config, tmp_path):
    uri = rabbit_config["AMQP_URI"]
    declare(uri)
    env = dict(os.environ, AMQP_URI=uri, DUBAN_DEMO="0", LOG_LEVEL="WARNING",
               PYTHONWARNINGS="ignore")
    for service in sorted(os.path.basename(os.path.dirname(p)) for p in
                          glob.glob(os.path.join(ROOT, "services", "*", "migrations"))):
        url = "sqlite:///{}".format(tmp_path / "{}.db".format(service))
        upgrade(service, url)
        env["{}_DATABASE_URL".format(service.upper())] = url
    started = []

    def start():
        port = free_port()
        env["WEB_SERVER_ADDRESS"] = "127.0.0.1:{}".format(port)
        err = open(tmp_path / "devrun-{}.err".format(len(started)), "w+")
        proc = subprocess.Popen([sys.executable, "-m", "scripts.devrun"], cwd=ROOT, env=env,
                                stdout=err, stderr=subprocess.STDOUT, start_new_session=True)
        started.append(proc)

        def healthy():
            assert proc.poll() is None, "devrun exited: " + open(err.name).read()[-2000:]
            try:
                return requests.get("http://127.0.0.1:{}/health".format(port),
                                    timeout=2).json()["status"] == "ok"
            except (requests.RequestException, ValueError):
                return False
        wait_until(healthy, timeout=90, interval=0.5, message="devrun did not become healthy")
        children = children_of(proc.pid)
        services.extend(children)  # in sessions of their own: killed one by one at the end
        assert len(children) == len(SERVICES), children  # every service and the gateway
        return proc, children, err

    services = []
    yield start
    for proc in started:
        services.extend(children_of(proc.pid))
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    for child in services:
        if alive(child):
            os.kill(child, signal.SIGKILL)


def test_one_ctrl_c_stops_every_service_cleanly(devrun):
    proc, children, err = devrun()
    began = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)  # the terminal's Ctrl-C: the whole foreground group
    assert proc.wait(timeout=60) == 0
    took = time.monotonic() - began
    assert not [c for c in children if alive(c)], "services outlived the runner"
    err.seek(0)
    stderr = err.read()  # the runner's and the services' output
    print("stopped in {:.1f}s".format(took))
    assert "Traceback" not in stderr, stderr[-3000:]
    assert "re-send" not in stderr, stderr[-3000:]
    assert "killing it" not in stderr and took < STOP_BOUND, (took, stderr[-2000:])


def test_second_ctrl_c_kills_at_once(devrun):
    proc, children, _ = devrun()
    os.killpg(proc.pid, signal.SIGINT)
    time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGINT)
    proc.wait(timeout=30)
    wait_until(lambda: not [c for c in children if alive(c)], timeout=5,
               message="services survived the second Ctrl-C")


def test_a_taken_gateway_port_stops_the_runner_before_it_starts_anything(tmp_path):
    """Another system on the same port would answer this one's health checks and take its
    demo: the runner refuses to start, says why, and starts no service."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        env = dict(os.environ, WEB_SERVER_ADDRESS="127.0.0.1:{}".format(port), DUBAN_DEMO="0")
        proc = subprocess.Popen([sys.executable, "-m", "scripts.devrun"], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                start_new_session=True)
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert "127.0.0.1:{} is already in use".format(port) in out.decode()
    assert "GATEWAY_PORT=" in out.decode()
    assert "starting services" not in out.decode()   # no service was started (nameko logs it)


def test_services_already_on_the_vhost_stop_the_runner_before_it_starts_anything(
        rabbit_config):
    """A second system on the same vhost (another port) would share the first one's RPC
    requests: the runner names the services already consuming there and starts nothing."""
    from kombu import Connection, Queue

    uri = rabbit_config["AMQP_URI"]
    with Connection(uri) as conn:
        queue = Queue("rpc-tracking", durable=True, auto_delete=True)(conn.default_channel)
        queue.declare()
        queue.consume(callback=lambda *a: None)   # another system's tracking
        env = dict(os.environ, AMQP_URI=uri, DUBAN_DEMO="0",
                   WEB_SERVER_ADDRESS="127.0.0.1:{}".format(free_port()))
        proc = subprocess.Popen([sys.executable, "-m", "scripts.devrun"], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                start_new_session=True)
        out, _ = proc.communicate(timeout=60)
    text = out.decode()
    assert proc.returncode == 1, text
    assert "tracking already run(s) on this RabbitMQ vhost" in text and "AMQP_URI=" in text
    assert "starting services" not in text
