"""A parser plugin installed as its own package is used by intake without touching it."""
import datetime as dt
import os
import subprocess
import sys
import time

import pytest

from shared.clock import Clock
from shared.migrate import upgrade
from tests.integration.test_intake import seed

pytestmark = pytest.mark.integration
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLUGIN = os.path.join(ROOT, "tests", "plugins", "duban-notice-parser")
NAMEKO = os.path.join(os.path.dirname(sys.executable), "nameko")


def notice(days):
    return "任务：清理积存垃圾；责任单位：区城管局；时限：{}\n".format(
        (Clock().today() + dt.timedelta(days=days)).isoformat())


def test_installed_plugin_is_discovered_and_used(sqlite_url, make_system, rabbit_config,
                                                 tmp_path):
    system = make_system(sqlite_url, intake=True)
    http = system.http
    seed(http)
    body = {"kind": "notice", "format": "text", "content": notice(12), "title": "工作通知"}
    r = http.post("/api/v1/intake/sources", json=body)
    assert r.status_code == 422 and "notice" in r.json()["error"]["message"]  # not installed yet

    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                    "--no-build-isolation", "--target", str(target), PLUGIN], check=True,
                   cwd=tmp_path)
    system.intake.stop()  # swap the running intake for one started where the plugin is installed
    intake_url = "sqlite:///{}".format(tmp_path / "intake2.db")
    upgrade("intake", intake_url)
    env = dict(os.environ, AMQP_URI=rabbit_config["AMQP_URI"], INTAKE_DATABASE_URL=intake_url,
               PYTHONPATH=os.pathsep.join([str(target), ROOT]), LOG_LEVEL="WARNING",
               PYTHONWARNINGS="ignore")
    proc = subprocess.Popen([NAMEKO, "run", "--config", "services/intake/config.yaml",
                             "services.intake.service:IntakeService"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            r = http.post("/api/v1/intake/sources", json=body)
            if r.status_code != 503 or time.monotonic() > deadline:
                break
            time.sleep(0.3)
        assert r.status_code == 201, r.text
        source = r.json()
        assert source["meta"] == {"parser": "duban-notice-parser", "format": "text"}  # the format came in the context
        [draft] = source["drafts"]
        assert draft["clause"] == "notice-1" and draft["lead_department"] == "URBAN"
        r = http.post("/api/v1/intake/sources/{}/confirm".format(source["id"]), json={})
        assert r.status_code == 200 and len(r.json()["confirmed"]) == 1
        system.tap.wait_for(1)
        item = http.get("/api/v1/items").json()["items"][0]
        assert item["title"] == "清理积存垃圾" and item["lead_department"]["code"] == "URBAN"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
