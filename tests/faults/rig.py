"""The fault suite's rig: services as real processes, a private RabbitMQ node, counting.

Services run as `nameko run` processes (as `make run` and the containers run them),
so a test can SIGKILL, SIGTERM and restart them and sample their resident memory.
The private broker is a RabbitMQ node of its own (own node name, ports, data and log
directories under a temp dir, no plugins) that a test may stop and start without
touching the shared broker.
"""
import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid

from kombu import Connection, Exchange
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from services.intake.models import OutboxEvent as IntakeOutbox
from services.tracking.models import InboxEntry, Item, OrgUnit
from services.tracking.models import OutboxEvent as TrackingOutbox
from shared.clock import Clock
from shared.events import make_envelope
from shared.outbox import add_event
from tests.helpers import wait_until

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NAMEKO = os.path.join(os.path.dirname(sys.executable), "nameko")
RABBITMQ_BIN = "/usr/lib/rabbitmq/bin"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServiceProcess:
    """One `nameko run` of a Duban service; restartable; its output kept in a log file."""

    def __init__(self, service, amqp_uri, db_url, log_dir, **env):
        self.service = service
        self.env = dict(os.environ, AMQP_URI=amqp_uri, LOG_LEVEL="WARNING",
                        PYTHONWARNINGS="ignore", OUTBOX_POLL_SECONDS="0.2",
                        OVERDUE_CHECK_SECONDS="3600", HANDLER_RETRIES="2",
                        HANDLER_BACKOFF_SECONDS="0.05",
                        **{"{}_DATABASE_URL".format(service.upper()): db_url})
        self.env.update({k: str(v) for k, v in env.items()})
        self.log_path = os.path.join(str(log_dir), "{}.log".format(service))
        self.proc = None
        self.starts = 0

    def start(self):
        self.starts += 1
        log = open(self.log_path, "ab")
        log.write("---- start {}\n".format(self.starts).encode())
        log.flush()
        self.proc = subprocess.Popen(
            [NAMEKO, "run", "--config", "services/{}/config.yaml".format(self.service),
             "services.{0}.service:{1}Service".format(self.service, self.service.capitalize())],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        return self

    @property
    def pid(self):
        return self.proc.pid

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def terminate(self, timeout=30):
        """SIGTERM (nameko's graceful stop) and wait; returns the exit code."""
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=timeout)

    def kill(self):
        self.proc.kill()
        return self.proc.wait()

    def stop(self):
        if self.running():
            try:
                self.terminate(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def rss(self):
        """Resident memory now (bytes), or None if the process is gone."""
        try:
            with open("/proc/{}/status".format(self.pid)) as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            return None

    def log(self):
        with open(self.log_path, errors="replace") as fh:
            return fh.read()


class PrivateBroker:
    """A RabbitMQ node of the fault suite's own, stopped and started at will."""

    def __init__(self):
        if not os.path.exists(os.path.join(RABBITMQ_BIN, "rabbitmq-server")):
            raise RuntimeError("the fault suite starts a private RabbitMQ node and needs the "
                               "RabbitMQ server installed here ({})".format(RABBITMQ_BIN))
        self.dir = tempfile.mkdtemp(prefix="duban-faults-rmq-")
        self.node = "duban-faults-{}@localhost".format(uuid.uuid4().hex[:6])
        self.port = free_port()
        dist = free_port()
        for sub in ("mnesia", "log", "home"):
            os.makedirs(os.path.join(self.dir, sub))
        conf = os.path.join(self.dir, "rabbitmq.conf")
        with open(conf, "w") as fh:
            fh.write("listeners.tcp.local = 127.0.0.1:{}\n".format(self.port))
        with open(os.path.join(self.dir, "enabled_plugins"), "w") as fh:
            fh.write("[].\n")  # no management plugin: it would want port 15672
        open(os.path.join(self.dir, "env.conf"), "w").close()
        self.env = dict(os.environ, HOME=os.path.join(self.dir, "home"),
                        RABBITMQ_NODENAME=self.node, RABBITMQ_NODE_PORT=str(self.port),
                        RABBITMQ_DIST_PORT=str(dist),
                        RABBITMQ_MNESIA_BASE=os.path.join(self.dir, "mnesia"),
                        RABBITMQ_LOG_BASE=os.path.join(self.dir, "log"),
                        RABBITMQ_CONFIG_FILE=conf,
                        RABBITMQ_ENABLED_PLUGINS_FILE=os.path.join(self.dir, "enabled_plugins"),
                        RABBITMQ_CONF_ENV_FILE=os.path.join(self.dir, "env.conf"),
                        RABBITMQ_PID_FILE=os.path.join(self.dir, "pid"),
                        ERL_EPMD_ADDRESS="127.0.0.1")
        self.amqp_uri = "amqp://guest:guest@127.0.0.1:{}//".format(self.port)

    def ctl(self, *args, timeout=60):
        return subprocess.run([os.path.join(RABBITMQ_BIN, "rabbitmqctl"), "-n", self.node, *args],
                              env=self.env, cwd=self.dir, capture_output=True, text=True,
                              timeout=timeout, check=True)

    def start_node(self):
        subprocess.run([os.path.join(RABBITMQ_BIN, "rabbitmq-server"), "-detached"],
                       env=self.env, cwd=self.dir, check=True, capture_output=True)
        deadline = time.monotonic() + 120
        while True:  # the node answers rabbitmqctl only once it registered with epmd
            try:
                self.ctl("await_startup", timeout=120)
                break
            except subprocess.CalledProcessError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        self.wait_port()

    def wait_port(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("the private broker did not open its port")

    def stop_node(self):
        self.ctl("stop")

    def stop_app(self):
        self.ctl("stop_app")

    def start_app(self):
        self.ctl("start_app")
        self.wait_port()

    def close(self):
        try:
            self.ctl("stop", timeout=30)
        except Exception:  # already stopped
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


# ---- the data of the flows

def seed_tracking(db_url):
    """The directory the draft.confirmed events refer to, written before tracking starts."""
    engine = create_engine(db_url)
    with Session(engine) as s:
        group = OrgUnit(code="HQ", name="集团", kind="group", aliases=[])
        s.add_all([group, OrgUnit(code="FIN", name="财务部", kind="department", parent=group,
                                  aliases=[])])
        s.commit()
    engine.dispose()


def confirm_drafts(intake_url, count, prefix="f"):
    """`count` drafts confirmed in intake: each one a committed outbox row, as
    handlers.confirm writes it (the relay of the running intake publishes them).
    Returns the item ids the events carry."""
    engine = create_engine(intake_url, connect_args={"timeout": 30} if "sqlite" in intake_url
                           else {})
    deadline = (Clock().today() + dt.timedelta(days=30)).isoformat()
    ids = []
    with Session(engine) as s:
        for n in range(count):
            item_id = str(uuid.uuid4())
            draft_id = "{}-{}".format(prefix, uuid.uuid4().hex[:8])
            item = {"title": "故障测试 {} {}".format(prefix, n), "lead_department": "FIN",
                    "deadline": deadline,
                    "source": {"kind": "minutes", "ref": "故障纪要", "clause": str(n),
                               "draft_id": draft_id}}
            add_event(s, IntakeOutbox, make_envelope(
                "draft.confirmed", "intake", {"item_id": item_id, "draft_id": draft_id,
                                              "source_id": "faults", "actor": "faults",
                                              "item": item},
                dt.datetime.now(dt.timezone.utc), subject_id=draft_id))
            ids.append(item_id)
        s.commit()
    engine.dispose()
    return ids


def tracking_effects(tracking_url, item_ids):
    """(processed, lost, duplicated) of draft.confirmed -> item, read from tracking's tables.

    An item applied twice would show as two item.registered events for one item (the
    effect is the registration and its event, written together)."""
    engine = create_engine(tracking_url)
    wanted = set(item_ids)
    with Session(engine) as s:
        items = {i for i in s.scalars(select(Item.id)) if i in wanted}
        registered = s.execute(select(TrackingOutbox.subject_id, func.count())
                               .where(TrackingOutbox.type == "item.registered")
                               .group_by(TrackingOutbox.subject_id)).all()
    engine.dispose()
    duplicated = sum(n - 1 for subject, n in registered if subject in wanted and n > 1)
    return len(items), len(wanted - items), duplicated


def unpublished(db_url, model):
    engine = create_engine(db_url)
    with Session(engine) as s:
        n = s.scalar(select(func.count()).select_from(model).where(model.published_at.is_(None)))
    engine.dispose()
    return n


def inbox_count(tracking_url):
    engine = create_engine(tracking_url)
    with Session(engine) as s:
        n = s.scalar(select(func.count()).select_from(InboxEntry))
    engine.dispose()
    return n


def publish_raw(amqp_uri, exchange, routing_key, body, content_type="application/json"):
    """A message as a foreign or broken producer might send it (bytes as they are)."""
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as conn:
        producer = conn.Producer()
        ex = Exchange(exchange, type="topic", durable=True)
        producer.publish(body, exchange=ex, routing_key=routing_key, declare=[ex],
                         content_type=content_type, content_encoding="utf-8"
                         if isinstance(body, str) else "binary", delivery_mode=2)


wait_for = wait_until  # (predicate, timeout, interval, message): the suite's helper