"""docs/api.md runs as written: its sh blocks, in order, against the system `make run` gives.

The system (tracking, intake, gateway on SQLite, a throwaway vhost) is loaded with the
demo of scripts/demo.py, then every ```sh block of docs/api.md runs in one bash process
from the repository root with B set to this gateway; what each block printed and the
status of each curl are checked against the doc (conventions: tests/docs/walkthrough.py).
Set DUBAN_DOCS_RECORD=<file> to also write what every block printed, for editing the doc.
"""
import os
import subprocess

import pytest

from scripts import demo
from tests.conftest import ADMIN_TOKEN
from tests.docs import walkthrough

pytestmark = pytest.mark.integration
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOC = os.path.join(ROOT, "docs", "api.md")
DEMO_PASSWORD = "demo password for the walk-through"


def test_api_walkthrough_runs_as_written(sqlite_url, make_system, web_config_port):
    make_system(sqlite_url, intake=True, HEALTH_SERVICES=["tracking", "intake"])
    base = "http://127.0.0.1:{}".format(web_config_port)
    demo.load(base, ADMIN_TOKEN, DEMO_PASSWORD)
    with open(DOC, encoding="utf-8") as f:
        runs = walkthrough.script(f.read())
    assert len(runs) > 40, "docs/api.md lost its sh blocks"
    done = subprocess.run(["bash"], input=walkthrough.bash_program(runs, base), cwd=ROOT,
                          capture_output=True, text=True,
                          env=dict(os.environ, LC_ALL="C.UTF-8", PYTHONWARNINGS="ignore",
                                   DEMO_PASSWORD=DEMO_PASSWORD, DUBAN_ADMIN_TOKEN=ADMIN_TOKEN))
    outputs, finished = walkthrough.split_output(done.stdout, len(runs))
    errors, _ = walkthrough.split_output(done.stderr, len(runs))
    record = os.environ.get("DUBAN_DOCS_RECORD")
    if record:
        with open(record, "w", encoding="utf-8") as f:
            for block, out, err in zip(runs, outputs, errors):
                f.write("=== line {} HTTP {}\n{}\n".format(
                    block.line, walkthrough.HTTP_MARK.findall(err or ""), out))
    problems = []
    for block, out, err in zip(runs, outputs, errors):
        problems += walkthrough.check_block(block, out, err)
    if not finished or done.returncode:
        problems.append("bash stopped (exit {}): {}".format(done.returncode, done.stderr[-800:]))
    assert not problems, "docs/api.md drifted:\n" + "\n".join(problems)
