"""The walk-through checker itself: what it accepts and what it must refuse."""
from tests.docs import walkthrough as w

DOC = """# t
```sh
curl -s $B/x
```
`422 Unprocessable Entity`:
```json
{"error": {"code": "validation_failed", "…": "…"}}
```
```sh
echo '{"id": "0c49", "items": [1, 2, 3], "n": 1}' '{"a": true}'
```
```json
{"id": "<id>", "items": [1, "…"], "n": 1}
{"a": true}
```
```sh
printf 'a,b\\n'
```
```text
a,b
```
"""


def test_blocks_expectations_and_statuses_are_read():
    runs = w.script(DOC)
    assert [b.line for b in runs] == [3, 10, 17]
    assert runs[0].status == 422 and runs[1].status is None
    assert runs[1].expect.line == 13 and runs[2].expect.lang == "text"


def test_a_json_block_that_answers_nothing_is_refused():
    try:
        w.script("```json\n{}\n```\n")
    except ValueError as exc:
        assert "line 2" in str(exc)
    else:
        raise AssertionError("accepted")


def test_matching_rules():
    assert w.mismatches({"a": 1, "…": "…"}, {"a": 1, "b": 2}) == []
    assert w.mismatches({"a": 1}, {"a": 2}) == ["$.a: shown 1, answered 2"]
    assert w.mismatches({"a": 1}, {"b": 1}) == ["$: no key 'a'"]
    assert w.mismatches([1, "…"], [1, 2]) == [] and w.mismatches([1], [1, 2])
    assert w.mismatches("0c49…", "0c49-aa") == [] and w.mismatches("0c49…", "ffff")
    assert w.mismatches("<today>", "2026-01-01") == [] and w.mismatches("…", None) == []
    assert w.mismatches(1, True) and w.mismatches(None, "x")


def test_check_block_names_the_line_and_the_status():
    runs = w.script(DOC)
    ok = '{"error": {"code": "validation_failed"}}'
    assert w.check_block(runs[0], ok, "\n@@HTTP 422\n") == []
    assert w.check_block(runs[0], ok, "\n@@HTTP 200\n") == [
        "docs/api.md line 3: the last curl answered 200, the doc says 422"]
    assert w.check_block(runs[1], '{"id": "x", "items": [1], "n": 2} {"a": true}', "") == [
        "docs/api.md line 13 (answer of line 10): $0.n: shown 1, answered 2"]
    assert w.check_block(runs[1], '{"id": 1, "items": [1], "n": 1} {"a": true}',
                         "\n@@HTTP 500\n") == [
        "docs/api.md line 10: curl #1 answered 500 (state the status if intended)"]
    assert w.check_block(runs[1], '{"id": 1, "items": [1, 5], "n": 1}', "")[0].endswith(
        "1 printed: '{\"id\": 1, \"items\": [1, 5], \"n\": 1}'")
    assert w.check_block(runs[2], "a,b\n", "") == [] and w.check_block(runs[2], "a,c", "")
    assert "did not run" in w.check_block(runs[2], None, "")[0]


def test_program_reports_each_curl_and_splits_blocks():
    import subprocess
    runs = w.script("```sh\necho one\n```\n```sh\necho two\n```\n")
    done = subprocess.run(["bash"], input=w.bash_program(runs, "http://x"), capture_output=True,
                          text=True)
    outputs, finished = w.split_output(done.stdout, 2)
    assert [o.strip() for o in outputs] == ["one", "two"] and finished
