"""Deployment files stay true: compose validates, the topology matches the handlers."""
import glob
import importlib
import inspect
import os
import subprocess

import yaml

from shared.topology import SUBSCRIPTIONS, queue_name

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_docker_compose_file_is_valid():
    result = subprocess.run(["docker-compose", "-f", os.path.join(ROOT, "docker-compose.yml"),
                             "config", "-q"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr


def test_compose_has_a_container_per_service_and_the_setup_step():
    with open(os.path.join(ROOT, "docker-compose.yml")) as fh:
        compose = yaml.safe_load(fh)["services"]
    built = [os.path.basename(os.path.dirname(p))
             for p in glob.glob(os.path.join(ROOT, "services", "*", "service.py"))]
    assert set(built) <= set(compose)
    for name in built:
        assert "healthcheck" in compose[name], name
        assert "broker-setup" in compose[name]["depends_on"], name
    assert "management" in compose["rabbitmq"]["image"]
    migrated = [os.path.basename(os.path.dirname(p))
                for p in glob.glob(os.path.join(ROOT, "services", "*", "migrations"))]
    assert set(compose["migrate"]["command"][3:]) == set(migrated)  # one job migrates them all
    for name in built:
        assert "migrate" in compose[name]["depends_on"], name


def service_classes():
    for path in glob.glob(os.path.join(ROOT, "services", "*", "service.py")):
        svc = os.path.basename(os.path.dirname(path))
        module = importlib.import_module("services.{}.service".format(svc))
        cls = getattr(module, "{}Service".format(svc.capitalize()))
        yield svc, cls


def test_every_event_handler_is_in_the_declared_topology():
    handlers = set()
    for svc, cls in service_classes():
        for attr, fn in inspect.getmembers(cls, inspect.isfunction):
            source = getattr(fn, "reliable_source", None)
            if source:
                handlers.add((source[0], source[1], cls.name, attr))
    assert handlers, "no reliable handlers found"
    assert handlers == set(SUBSCRIPTIONS)
    assert queue_name("intake", "draft.confirmed", "tracking", "on_draft_confirmed") == \
        "evt-intake-draft.confirmed--tracking.on_draft_confirmed"


def test_no_service_imports_another():
    offenders = []
    for path in glob.glob(os.path.join(ROOT, "services", "*", "**", "*.py"), recursive=True):
        own = path.split(os.sep + "services" + os.sep)[1].split(os.sep)[0]
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                stripped = line.strip()
                if stripped.startswith(("from services.", "import services.")):
                    target = stripped.split()[1].split(".")[1]
                    if target != own:
                        offenders.append("{}: {}".format(path, stripped))
    assert not offenders, offenders
