"""A plugin for a built-in (kind, format) replaces it, whichever entry point is listed first."""
import pytest

from services.intake import parsers
from services.intake.parsers import MinutesParser, ParseResult, SourceParser, discover_parsers


class BetterMinutes(SourceParser):
    kind, formats = "minutes", ("text",)

    def parse(self, payload, context):
        return ParseResult()


class EntryPoint:
    def __init__(self, name, target):
        self.name, self.target = name, target

    def load(self):
        return self.target


@pytest.mark.parametrize("order", ["builtin_first", "plugin_first"])
def test_plugin_overrides_builtin_in_any_order(monkeypatch, order):
    eps = [EntryPoint("minutes", MinutesParser), EntryPoint("better", BetterMinutes)]
    if order == "plugin_first":
        eps.reverse()
    monkeypatch.setattr(parsers.metadata, "entry_points", lambda group: eps)
    found = discover_parsers()
    assert isinstance(found[("minutes", "text")], BetterMinutes)
    assert isinstance(found[("minutes", "docx")], MinutesParser)  # the rest stays built-in
