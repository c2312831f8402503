"""Reads a Markdown walk-through as a script and checks what it says against what ran.

The conventions (stated for readers at the top of docs/api.md):

- Every ```sh block runs, in document order, in one bash process.
- Every `curl` must answer 2xx, except the last `curl` of a block whose answer is
  introduced by a status line such as `` `422 Unprocessable Entity`: ``; that curl must
  answer that status.
- A ```json block right after a ```sh block (prose between is fine, no other fenced
  block) holds the JSON value(s) the sh block prints, in order, one per printed value.
  Objects: every key shown must be in the answer with a matching value (the answer may
  have more keys; a key "…" is a reminder of that and is not checked). Lists: the same
  length, element by element, unless the last shown element is "…" (then the answer may
  have more). Strings: "…" or "<anything>" (e.g. "<id>", "<today>") match any value; a
  string ending in "…" matches a string starting with what comes before it. Other
  values must be equal.
- A ```text block right after a ```sh block is the sh block's exact output.
- Every ```json block must answer a ```sh block.
"""
import json
import re

FENCE = re.compile(r"^```(\S*)\s*$")
STATUS_LINE = re.compile(r"^`(\d{3}) [A-Za-z ]+`")
BLOCK_MARK = "@@BLOCK {}@@"
HTTP_MARK = re.compile(r"^@@HTTP (\d{3})$", re.M)
ANY = "…"


class Block:
    def __init__(self, lang, line, text, prose):
        self.lang, self.line, self.text, self.prose = lang, line, text, prose
        self.expect = None  # the json/text Block answering this sh block
        self.status = None  # the status its last curl must answer

    def __repr__(self):
        return "{} block at docs line {}".format(self.lang or "plain", self.line)


def fenced_blocks(markdown):
    """Every fenced block: its language, its first line number (1-based), its text and the
    prose lines since the previous block."""
    blocks, prose, inside = [], [], None
    for number, line in enumerate(markdown.splitlines(), 1):
        match = FENCE.match(line)
        if inside is None:
            if match:
                inside = Block(match.group(1), number + 1, [], prose)
                prose = []
            else:
                prose.append(line)
        elif line.startswith("```"):
            inside.text = "\n".join(inside.text) + "\n"
            blocks.append(inside)
            inside = None
        else:
            inside.text.append(line)
    if inside is not None:
        raise ValueError("unterminated fence opened at docs line {}".format(inside.line - 1))
    return blocks


def script(markdown):
    """The sh blocks, each with the answer the doc shows for it; raises on a json block that
    answers no sh block."""
    runs, previous = [], None
    for block in fenced_blocks(markdown):
        if block.lang == "sh":
            runs.append(block)
        elif block.lang in ("json", "text"):
            if previous is None or previous.lang != "sh":
                raise ValueError("{!r} answers no sh block".format(block))
            previous.expect = block
            for line in block.prose:
                found = STATUS_LINE.match(line.strip())
                if found:
                    previous.status = int(found.group(1))
        previous = block
    return runs


def bash_program(runs, base_url):
    """One bash script: every curl reports its status on stderr; markers split the output."""
    parts = ["set -u", "export B={}".format(base_url),
             "curl() { command curl -w '%{stderr}\\n@@HTTP %{http_code}\\n' \"$@\"; }"]
    for index, block in enumerate(runs):
        mark = BLOCK_MARK.format(index)
        parts.append("printf '\\n{0}\\n'; printf '\\n{0}\\n' >&2".format(mark))
        parts.append(block.text)
    parts.append("printf '\\n{0}\\n'; printf '\\n{0}\\n' >&2".format(BLOCK_MARK.format("end")))
    return "\n".join(parts) + "\n"


def split_output(text, count):
    """The output of each block, by the markers the program printed."""
    pieces = re.split(r"\n@@BLOCK (\d+|end)@@\n", text)
    found = {}
    for mark, body in zip(pieces[1::2], pieces[2::2]):
        found[mark] = body
    return [found.get(str(i)) for i in range(count)], "end" in found


def json_values(text):
    """The JSON values printed one after another (whitespace between)."""
    decoder, values, pos = json.JSONDecoder(), [], 0
    text = text.strip()
    while pos < len(text):
        value, pos = decoder.raw_decode(text, pos)
        values.append(value)
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return values


def mismatches(expected, actual, path="$"):
    """Where `actual` does not show what `expected` says (see the module docstring)."""
    if isinstance(expected, str):
        if expected == ANY or (expected.startswith("<") and expected.endswith(">")):
            return []
        if expected.endswith(ANY) and isinstance(actual, str):
            prefix = expected[:-1]
            return [] if actual.startswith(prefix) else [
                "{}: {!r} does not start with {!r}".format(path, actual, prefix)]
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return ["{}: expected an object, got {!r}".format(path, actual)]
        problems = []
        for key, value in expected.items():
            if key == ANY:
                continue
            if key not in actual:
                problems.append("{}: no key {!r}".format(path, key))
            else:
                problems += mismatches(value, actual[key], "{}.{}".format(path, key))
        return problems
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return ["{}: expected a list, got {!r}".format(path, actual)]
        open_ended = bool(expected) and expected[-1] == ANY
        shown = expected[:-1] if open_ended else expected
        if len(actual) < len(shown) or (not open_ended and len(actual) != len(shown)):
            return ["{}: {} element(s) shown, {} answered".format(path, len(shown), len(actual))]
        problems = []
        for i, value in enumerate(shown):
            problems += mismatches(value, actual[i], "{}[{}]".format(path, i))
        return problems
    if _number(expected) and _number(actual):
        return [] if expected == actual else [
            "{}: shown {!r}, answered {!r}".format(path, expected, actual)]
    if expected != actual or type(expected) is not type(actual):
        return ["{}: shown {!r}, answered {!r}".format(path, expected, actual)]
    return []


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_block(block, stdout, stderr):
    """Every problem of one sh block, each naming the docs line."""
    where = "docs/api.md line {}".format(block.line)
    if stdout is None:
        return ["{}: the block did not run (the script stopped before it)".format(where)]
    problems = []
    statuses = [int(s) for s in HTTP_MARK.findall(stderr or "")]
    for i, status in enumerate(statuses):
        wanted = block.status if (i == len(statuses) - 1 and block.status) else None
        if wanted is not None and status != wanted:
            problems.append("{}: the last curl answered {}, the doc says {}".format(
                where, status, wanted))
        elif wanted is None and not 200 <= status < 300:
            problems.append("{}: curl #{} answered {} (state the status if intended)".format(
                where, i + 1, status))
    if block.status and not statuses:
        problems.append("{}: a status is stated but no curl ran".format(where))
    expect = block.expect
    if expect is None:
        return problems
    answer_where = "docs/api.md line {} (answer of line {})".format(expect.line, block.line)
    if expect.lang == "text":
        if stdout.strip() != expect.text.strip():
            problems.append("{}: shown {!r}, printed {!r}".format(answer_where, expect.text.strip(),
                                                                   stdout.strip()))
        return problems
    try:
        shown = json_values(expect.text)
    except ValueError as exc:
        return problems + ["{}: the doc's JSON does not parse: {}".format(answer_where, exc)]
    try:
        printed = json_values(stdout)
    except ValueError as exc:
        return problems + ["{}: the command did not print JSON ({}): {!r}".format(
            answer_where, exc, stdout[:300])]
    if len(shown) != len(printed):
        return problems + ["{}: {} JSON value(s) shown, {} printed: {!r}".format(
            answer_where, len(shown), len(printed), stdout[:300])]
    for i, (want, got) in enumerate(zip(shown, printed)):
        problems += ["{}: {}".format(answer_where, p)
                     for p in mismatches(want, got, "$" if len(shown) == 1 else "${}".format(i))]
    return problems
