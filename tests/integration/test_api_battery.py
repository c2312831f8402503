"""A property-based bad-input battery generated from the OpenAPI document: every operation
gets thousands of hostile requests between them (wrong types, missing and unknown fields,
huge numbers and strings, junk path parameters, bodies that are not objects). None may
answer 5xx, every 4xx has the one error shape, and nothing is left half-written."""
import json
import string
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text

from services.gateway import openapi
from tests.integration.conftest import seed_directory

pytestmark = pytest.mark.integration

EXAMPLES = 2200
SCALARS = (st.none() | st.booleans() | st.integers(-2 ** 70, 2 ** 70)
           | st.floats(allow_nan=False, allow_infinity=False)
           | st.text(alphabet=string.printable + "财务部督办〔〕号\u0000\u202e", max_size=40)
           | st.sampled_from(["FIN", "HQ", "2026-12-31", "2026/12/31", "", " ", "x" * 5000,
                              "9" * 30, "-1", "0", "true", "null", "<script>x</script>"]))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=6)
PATH_JUNK = st.one_of(st.sampled_from(["1", "0", "-1", str(2 ** 63), str(2 ** 64), "FIN", "HQ",
                                       "00000000-0000-0000-0000-000000000000", "%00", "..",
                                       "财务部", "a" * 300]),
                      st.text(alphabet=string.ascii_letters + string.digits + "-_.~财", min_size=1,
                              max_size=20))


def operations():
    doc = openapi.document()
    ops = []
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            ref = body.get("schema", {}).get("$ref")
            props = []
            if ref:
                schema = doc["components"]["schemas"][ref.rsplit("/", 1)[-1]]
                props = list(schema.get("properties", {}))
            query = [p for p in op.get("parameters", []) if p.get("in") == "query"]
            ops.append((method.upper(), path, props, [p["name"] for p in query]))
    return ops


OPERATIONS = operations()


@st.composite
def requests_(draw):
    method, path, props, query = draw(st.sampled_from(OPERATIONS))
    url = path
    for name in [part[1:-1] for part in path.split("/") if part.startswith("{")]:
        url = url.replace("{" + name + "}", quote(draw(PATH_JUNK), safe=""))
    params = draw(st.dictionaries(st.sampled_from(query + ["page", "x"]) if query
                                  else st.just("x"), st.text(max_size=25), max_size=3))
    shape = draw(st.sampled_from(["object", "object", "object", "not_object", "not_json"]))
    if shape == "object":
        keys = st.sampled_from(props + ["unknown_field"]) if props else st.text(max_size=8)
        body = json.dumps(draw(st.dictionaries(keys, VALUES, max_size=6)), ensure_ascii=False)
    elif shape == "not_object":
        body = json.dumps(draw(VALUES), ensure_ascii=False)
    else:
        body = draw(st.text(max_size=60))
    return method, url, params, body


def test_no_generated_request_gets_a_5xx_or_leaves_half_a_write(sqlite_url, make_system):
    system = make_system(sqlite_url, intake=True, RPC_TIMEOUT_SECONDS=10)
    http = system.http
    seed_directory(http)
    seen = {"requests": 0}

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(requests_())
    def hostile(request):
        method, url, params, body = request
        r = http.request(method, url, params=params, data=body.encode("utf-8"),
                         headers={"Content-Type": "application/json"})
        seen["requests"] += 1
        assert r.status_code < 500 or r.status_code == 503 and "service" in r.text, \
            (method, url, params, body[:200], r.status_code, r.text[:300])
        if r.status_code >= 400:
            error = r.json()["error"]
            assert set(error) == {"code", "message", "fields"} and error["message"], r.text

    hostile()
    assert seen["requests"] >= 2000
    engine = create_engine(sqlite_url)
    with engine.connect() as conn:  # nothing half-written: every item has its record
        orphans = conn.execute(text(
            "SELECT count(*) FROM items WHERE id NOT IN (SELECT item_id FROM item_history "
            "WHERE action = 'register')")).scalar()
        unpublished_without_change = conn.execute(text(
            "SELECT count(*) FROM outbox WHERE type LIKE 'item.%' AND type != "
            "'item.registration_rejected' AND subject_id NOT IN (SELECT id FROM items)")).scalar()
    engine.dispose()
    assert orphans == 0 and unpublished_without_change == 0
