"""Run the whole system on one machine: every service plus the gateway (make run).

Each service runs in its own `nameko run` process with its own SQLite file under
var/ (set <SERVICE>_DATABASE_URL to use PostgreSQL). The gateway listens on
WEB_SERVER_ADDRESS, or on 127.0.0.1:$GATEWAY_PORT (default 8000): only this machine
reaches it unless an operator says otherwise.

Stopping: the services run in their own sessions, so a terminal's Ctrl-C (SIGINT to
the foreground process group) reaches only this runner. On Ctrl-C or SIGTERM it sends
each service one SIGTERM, which nameko answers with a graceful stop (in-flight work
finishes), and waits up to DEVRUN_STOP_SECONDS (default 20) before killing what is
left. A second Ctrl-C kills them at once.
"""
import glob
import os
import secrets
import signal
import socket
import subprocess
import sys
import time

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAMEKO = os.path.join(os.path.dirname(sys.executable), "nameko")
DEFAULT_HOST = "127.0.0.1"


class Stop(Exception):
    """A stop signal arrived (raised from the signal handler into the main loop)."""


def services():
    found = sorted(os.path.basename(os.path.dirname(p))
                   for p in glob.glob(os.path.join(ROOT, "services", "*", "service.py")))
    return [s for s in found if s != "gateway"] + ["gateway"]


def start(service, env):
    cmd = [NAMEKO, "run", "--config", os.path.join(ROOT, "services", service, "config.yaml"),
           "services.{0}.service:{1}Service".format(service, service.capitalize())]
    # Own session: the terminal's SIGINT goes to the runner only, which stops each
    # service with exactly one SIGTERM.
    return subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)


def wait_healthy(base, procs, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for name, proc in procs.items():
            if proc.poll() is not None:
                raise SystemExit("{} exited with {} during start-up".format(name, proc.returncode))
        try:
            body = requests.get(base + "/health", timeout=2).json()
            if body.get("status") == "ok":
                return body
        except (requests.RequestException, ValueError):
            pass
        time.sleep(0.5)
    raise SystemExit("the system did not become healthy within {}s".format(seconds))


class Runner:
    def __init__(self, stop_seconds):
        self.procs = {}
        self.stop_seconds = stop_seconds
        self.signals = 0

    def on_signal(self, signum, _frame):
        self.signals += 1
        if self.signals == 1:
            raise Stop()
        print("\nkilling Duban now ...", flush=True)
        self.kill_all()

    def kill_all(self):
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.kill()

    def stop(self):
        """One SIGTERM each, then wait; kill whatever outlives the grace period."""
        print("\nstopping Duban ...", flush=True)
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.stop_seconds
        for name, proc in self.procs.items():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                print("{} did not stop within {:.0f}s; killing it".format(name, self.stop_seconds),
                      flush=True)
                proc.kill()
                proc.wait()
        print("stopped.", flush=True)

    def run(self, env, base):
        for service in services():
            self.procs[service] = start(service, env)
        health = wait_healthy(base, self.procs)
        marker = os.path.join(ROOT, "var", ".demo-loaded")
        if env.get("DUBAN_DEMO", "1") != "0" and not os.path.exists(marker):
            from scripts import demo
            demo.load(base, env["DUBAN_ADMIN_TOKEN"], local_secret("demo-password"))
            open(marker, "w").write("loaded\n")
            print("demo organisation loaded (set DUBAN_DEMO=0 to skip on a fresh var/)", flush=True)
        if os.path.exists(marker):
            print("sign in as `office` (or fin, hr, it, leader) with the password in "
                  "var/demo-password", flush=True)
        print("the administrator's API token is in var/admin-token (DUBAN_ADMIN_TOKEN)",
              flush=True)
        print("\nDuban is running: {}/  (API {}/api/v1/openapi.json)  services: {}\n"
              "Press Ctrl-C to stop.".format(base, base, ", ".join(sorted(health["services"]))),
              flush=True)
        while True:
            for name, proc in self.procs.items():
                if proc.poll() is not None:
                    print("{} exited with {}; stopping the rest".format(name, proc.returncode),
                          flush=True)
                    return 1
            time.sleep(0.5)


def local_secret(name):
    """A secret of this machine's run, made once and kept in var/ (readable by you only)."""
    path = os.path.join(ROOT, "var", name)
    if not os.path.exists(path):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(24) + "\n")
    with open(path, encoding="utf-8") as fh:
        return fh.read().strip()


def gateway_address(env):
    """WEB_SERVER_ADDRESS if set, else this machine only, on GATEWAY_PORT (default 8000)."""
    if env.get("WEB_SERVER_ADDRESS"):
        return env["WEB_SERVER_ADDRESS"]
    port = env.get("GATEWAY_PORT") or "8000"
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise SystemExit("GATEWAY_PORT must be a port number, not {!r}".format(port))
    return "{}:{}".format(DEFAULT_HOST, port)


def port_taken(address):
    """Whether something already answers on the gateway's address (another Duban's
    gateway, most likely: this system's start-up checks and demo would then talk to it)."""
    host, port = address.rsplit(":", 1)
    try:
        with socket.create_connection((DEFAULT_HOST if host in ("", "0.0.0.0") else host,
                                       int(port)), timeout=0.5):
            return True
    except OSError:
        return False


DEFAULT_AMQP = "amqp://guest:guest@localhost:5672//"  # as the services' config.yaml


def already_consuming(amqp_uri):
    """The services whose RPC queue on this vhost already has a consumer: another system
    there would share its requests with this one's services (nameko's competing
    consumers), each answering from its own database."""
    from amqp.exceptions import NotFound
    from kombu import Connection
    busy = []
    try:
        with Connection(amqp_uri, connect_timeout=3) as conn:
            for service in services():
                channel = conn.channel()
                try:
                    _, _, consumers = channel.queue_declare("rpc-" + service, passive=True)
                except NotFound:  # never declared on this vhost: nobody there
                    continue
                if consumers:
                    busy.append(service)
                channel.close()
    except OSError:
        return []  # no broker yet: the services' own start-up says so
    return busy


def main():
    address = gateway_address(os.environ)
    busy = already_consuming(os.environ.get("AMQP_URI") or DEFAULT_AMQP)
    if busy:
        print("{} already run(s) on this RabbitMQ vhost (another Duban?): stop it, or give "
              "this system its own vhost and port, e.g. GATEWAY_PORT=8010 AMQP_URI=amqp://"
              "guest:guest@localhost:5672/mine make run (docs/operations.md)".format(
                  ", ".join(busy)), file=sys.stderr, flush=True)
        return 1
    if port_taken(address):
        print("{} is already in use (another Duban running?): stop it, or give this system "
              "its own port and RabbitMQ vhost, e.g. GATEWAY_PORT=8010 AMQP_URI=amqp://guest:"
              "guest@localhost:5672/mine make run (docs/operations.md)".format(address),
              file=sys.stderr, flush=True)
        return 1
    env = dict(os.environ, PYTHONWARNINGS="ignore::DeprecationWarning",
               WEB_SERVER_ADDRESS=address)
    os.makedirs(os.path.join(ROOT, "var"), exist_ok=True)
    if not env.get("DUBAN_ADMIN_TOKEN"):
        env["DUBAN_ADMIN_TOKEN"] = local_secret("admin-token")
    base = "http://127.0.0.1:{}".format(address.rsplit(":", 1)[-1])
    runner = Runner(float(env.get("DEVRUN_STOP_SECONDS", 20)))
    signal.signal(signal.SIGINT, runner.on_signal)
    signal.signal(signal.SIGTERM, runner.on_signal)
    code = 0
    try:
        code = runner.run(env, base)
    except Stop:
        pass
    except SystemExit as exc:  # a service failed to start
        print(exc, file=sys.stderr, flush=True)
        code = 1
    runner.signals = max(runner.signals, 1)  # from now on a signal means "kill now"
    try:
        runner.stop()
    except Stop:  # a second signal while stopping: already killed by the handler
        runner.kill_all()
    return code


if __name__ == "__main__":
    sys.exit(main())
