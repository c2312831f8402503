"""Run the whole system on one machine: every service plus the gateway (make run).

Each service runs in its own `nameko run` process with its own SQLite file under
var/ (set <SERVICE>_DATABASE_URL to use PostgreSQL). The gateway listens on
WEB_SERVER_ADDRESS, or on 0.0.0.0:$GATEWAY_PORT when only GATEWAY_PORT is set (default
8000). Ctrl-C stops them all cleanly.
"""
import glob
import os
import signal
import subprocess
import sys
import time

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAMEKO = os.path.join(os.path.dirname(sys.executable), "nameko")


def services():
    found = sorted(os.path.basename(os.path.dirname(p))
                   for p in glob.glob(os.path.join(ROOT, "services", "*", "service.py")))
    return [s for s in found if s != "gateway"] + ["gateway"]


def start(service, env):
    cmd = [NAMEKO, "run", "--config", os.path.join(ROOT, "services", service, "config.yaml"),
           "services.{0}.service:{1}Service".format(service, service.capitalize())]
    return subprocess.Popen(cmd, cwd=ROOT, env=env)


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


def gateway_address(env):
    """WEB_SERVER_ADDRESS if set, else all interfaces on GATEWAY_PORT (default 8000)."""
    if env.get("WEB_SERVER_ADDRESS"):
        return env["WEB_SERVER_ADDRESS"]
    port = env.get("GATEWAY_PORT") or "8000"
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise SystemExit("GATEWAY_PORT must be a port number, not {!r}".format(port))
    return "0.0.0.0:" + port


def main():
    env = dict(os.environ, PYTHONWARNINGS="ignore::DeprecationWarning")
    env["WEB_SERVER_ADDRESS"] = gateway_address(env)
    os.makedirs(os.path.join(ROOT, "var"), exist_ok=True)
    port = env["WEB_SERVER_ADDRESS"].rsplit(":", 1)[-1]
    base = "http://127.0.0.1:{}".format(port)
    procs = {}
    stopping = []

    def stop(*_):
        if stopping:
            return
        stopping.append(True)
        print("\nstopping Duban ...", flush=True)
        for proc in procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for name, proc in procs.items():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        print("stopped.", flush=True)
        sys.exit(0)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    for service in services():
        procs[service] = start(service, env)
    health = wait_healthy(base, procs)
    marker = os.path.join(ROOT, "var", ".demo-loaded")
    if env.get("DUBAN_DEMO", "1") != "0" and not os.path.exists(marker):
        from scripts import demo
        demo.load(base)
        open(marker, "w").write("loaded\n")
        print("demo organisation loaded (set DUBAN_DEMO=0 to skip on a fresh var/)", flush=True)
    print("\nDuban is running: {}/  (API {}/api/v1/openapi.json)  services: {}\n"
          "Press Ctrl-C to stop.".format(base, base, ", ".join(sorted(health["services"]))),
          flush=True)
    while True:
        for name, proc in procs.items():
            if proc.poll() is not None and not stopping:
                print("{} exited with {}; stopping the rest".format(name, proc.returncode))
                stop()
        time.sleep(1)


if __name__ == "__main__":
    main()
