"""Fault-suite fixtures: real services as processes on a throwaway vhost, a private broker,
and a summary of each case's counts at the end of the run (also without -s)."""
import pytest
from nameko.exceptions import UnknownService
from nameko.standalone.rpc import ClusterRpcProxy

from shared.broker_setup import declare
from shared.migrate import upgrade
from tests.faults.rig import PrivateBroker, ServiceProcess, seed_tracking, wait_for

pytestmark = pytest.mark.integration
REPORT = []


def report(case, **counts):
    """Print a case's counts and keep them for the end-of-run summary."""
    line = "{}: {}".format(case, ", ".join("{}={}".format(k, v) for k, v in counts.items()))
    print("\n" + line)
    REPORT.append(line)
    return line


def pytest_terminal_summary(terminalreporter):
    if REPORT:
        terminalreporter.section("fault suite counts")
        for line in REPORT:
            terminalreporter.write_line(line)


def wait_up(amqp_uri, service, timeout=60):
    def ping():
        try:
            with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=5) as rpc:
                return getattr(rpc, service).ping()
        except (UnknownService, Exception):
            return None
    return wait_for(ping, timeout, interval=0.5, message=service + " did not answer")


class System:
    """tracking (consumer of draft.confirmed, producer of item.*) and intake (producer)."""

    def __init__(self, amqp_uri, tmp_path, tracking_url=None, intake_url=None, **env):
        self.amqp_uri = amqp_uri
        self.tracking_url = tracking_url or "sqlite:///{}".format(tmp_path / "tracking.db")
        self.intake_url = intake_url or "sqlite:///{}".format(tmp_path / "intake.db")
        declare(amqp_uri)
        upgrade("tracking", self.tracking_url)
        upgrade("intake", self.intake_url)
        seed_tracking(self.tracking_url)
        self.tracking = ServiceProcess("tracking", amqp_uri, self.tracking_url, tmp_path, **env)
        self.intake = ServiceProcess("intake", amqp_uri, self.intake_url, tmp_path, **env)

    def start(self, *names):
        for name in names or ("tracking", "intake"):
            getattr(self, name).start()
        for name in names or ("tracking", "intake"):
            wait_up(self.amqp_uri, name)
        return self

    def stop(self):
        for proc in (self.intake, self.tracking):
            proc.stop()


@pytest.fixture()
def system(rabbit_config, tmp_path):
    made = []

    def make(**kwargs):
        made.append(System(kwargs.pop("amqp_uri", rabbit_config["AMQP_URI"]), tmp_path, **kwargs))
        return made[-1]
    yield make
    for s in made:
        s.stop()


@pytest.fixture(scope="module")
def private_broker():
    """One private node per module; tests may stop and start it (and leave it started)."""
    broker = PrivateBroker()
    try:
        broker.start_node()
        yield broker
    finally:
        broker.close()
