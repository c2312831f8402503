"""docs/operations.md names every environment variable the configs read, and make run's
gateway port follows GATEWAY_PORT as documented there."""
import glob
import os
import re

import pytest

from scripts.devrun import gateway_address

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def documented():
    with open(os.path.join(ROOT, "docs", "operations.md"), encoding="utf-8") as f:
        first_cells = re.findall(r"^\| ([^|]+) \|", f.read(), re.M)
    return {name for cell in first_cells for name in re.findall(r"`([A-Z_]+)`", cell)}


def variables(path):
    """The ${VAR...} a YAML file reads, outside comments."""
    with open(path, encoding="utf-8") as f:
        text = "\n".join(line.split("#", 1)[0] for line in f)
    return set(re.findall(r"\$\{([A-Z_]+)[:}-]", text))


def test_every_config_variable_is_in_the_table():
    read = variables(os.path.join(ROOT, "docker-compose.yml"))
    for path in glob.glob(os.path.join(ROOT, "services", "*", "config.yaml")):
        read |= variables(path)
    assert {"FEEDBACK_CHECK_SECONDS", "HANDLER_BACKOFF_SECONDS", "GATEWAY_PORT"} <= read
    assert read - documented() == set()


def test_gateway_port_sets_the_listen_address_unless_it_is_given():
    assert gateway_address({}) == "0.0.0.0:8000"
    assert gateway_address({"GATEWAY_PORT": "8010"}) == "0.0.0.0:8010"
    assert gateway_address({"GATEWAY_PORT": "8010",
                            "WEB_SERVER_ADDRESS": "127.0.0.1:9000"}) == "127.0.0.1:9000"
    with pytest.raises(SystemExit):
        gateway_address({"GATEWAY_PORT": "80a"})
