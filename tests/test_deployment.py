"""Deployment files stay true: compose validates, the topology matches the handlers."""
import glob
import importlib
import inspect
import os
import re
import subprocess
import sys

import yaml

from shared.topology import SUBSCRIPTIONS, queue_name

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


SECRETS = ("RABBITMQ_PASSWORD", "POSTGRES_PASSWORD")


def compose_config(env_overrides, *args):
    env = {k: v for k, v in os.environ.items() if k not in SECRETS}
    env.update(env_overrides)
    return subprocess.run(["docker-compose", "-f", os.path.join(ROOT, "docker-compose.yml"),
                           "--env-file", os.path.join(ROOT, ".env.example"), "config", *args],
                          capture_output=True, text=True, cwd=ROOT, env=env)


def test_docker_compose_file_is_valid():
    result = compose_config({s: "s3cret-" + s.lower() for s in SECRETS}, "-q")
    assert result.returncode == 0, result.stderr


def test_compose_has_no_working_default_secrets():
    """Without the secrets (and with .env.example as shipped) compose refuses to start."""
    for missing in SECRETS:
        result = compose_config({s: "x" for s in SECRETS if s != missing}, "-q")
        assert result.returncode != 0 and "set {}".format(missing) in result.stderr, missing
    with open(os.path.join(ROOT, "docker-compose.yml")) as fh:
        text = fh.read()
    for secret in SECRETS:
        assert "${" + secret + ":-" not in text  # no `:-default` for a secret anywhere


def port_spec(port):
    """(host ip or None, container port) from either form `docker-compose config` prints."""
    if isinstance(port, dict):
        return port.get("host_ip"), int(port["target"])
    parts = str(port).split("/")[0].split(":")
    return (parts[0] if len(parts) == 3 else None), int(parts[-1])


def test_compose_publishes_only_the_gateway_and_uses_the_given_secrets():
    result = compose_config({"RABBITMQ_PASSWORD": "rmq-pw-1", "POSTGRES_PASSWORD": "pg-pw-2"})
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    published = {}
    for name, spec in services.items():
        for port in spec.get("ports", []):
            published.setdefault(name, []).append(port_spec(port))
    assert set(published) == {"gateway", "rabbitmq"}, published
    # RabbitMQ: only the management UI, on loopback only; AMQP is not published
    assert published["rabbitmq"] == [("127.0.0.1", 15672)]
    assert [target for _, target in published["gateway"]] == [8000]
    assert services["rabbitmq"]["environment"]["RABBITMQ_DEFAULT_PASS"] == "rmq-pw-1"
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"] == "pg-pw-2"
    for name in ("tracking", "intake", "gateway", "broker-setup"):
        assert ":rmq-pw-1@rabbitmq:5672" in services[name]["environment"]["AMQP_URI"], name
    assert services["gateway"]["environment"]["WEB_SERVER_ADDRESS"] == "0.0.0.0:8000"


def test_gateway_binds_loopback_outside_containers():
    env = {k: v for k, v in os.environ.items() if k != "WEB_SERVER_ADDRESS"}
    script = ("from shared.config import load_config; "
              "print(load_config('services/gateway/config.yaml')['WEB_SERVER_ADDRESS'])")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=ROOT, env=env)
    assert result.stdout.strip() == "127.0.0.1:8000", result.stderr
    from scripts import devrun
    assert devrun.gateway_address({}) == "127.0.0.1:8000"


def test_env_example_documents_every_variable_compose_reads():
    with open(os.path.join(ROOT, "docker-compose.yml")) as fh:
        used = set(re.findall(r"\$\{([A-Z_]+)", fh.read()))
    with open(os.path.join(ROOT, ".env.example")) as fh:
        documented = {line.split("=", 1)[0] for line in fh if re.match(r"^[A-Z_]+=", line)}
    assert used <= documented, used - documented
    with open(os.path.join(ROOT, ".env.example")) as fh:
        values = dict(line.strip().split("=", 1) for line in fh if re.match(r"^[A-Z_]+=", line))
    assert all(values[s] == "" for s in SECRETS)  # nothing that would work if copied as is


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
