import io
import json

import docx
import pytest

from services.intake import parsers
from services.intake.parsers import (AssignmentListParser, GoalSheetParser, IntakeInputError, MinutesParser,
                                     ParseContext, ParseResult, SourceParser, choose_parser, discover_parsers)

MINUTES = ("专题会议纪要\n2026年3月5日，副区长王强主持召开专题会议。\n"
           "一、由区财政局牵头，区发改委配合，于4月底前落实首批改造资金。\n")


class EntryPoint:
    """A stand-in for importlib.metadata's entry point: a name and what it loads."""

    def __init__(self, name, target):
        self.name, self.target = name, target

    def load(self):
        if isinstance(self.target, Exception):
            raise self.target
        return self.target


def test_builtins_are_discovered_for_every_format():
    found = discover_parsers()
    assert isinstance(found[("minutes", "docx")], MinutesParser)
    assert isinstance(found[("assignments", "json")], AssignmentListParser)
    assert isinstance(found[("goals", "xlsx")], GoalSheetParser)
    assert {k for k, _ in found} >= {"minutes", "assignments", "goals"}


def test_entry_point_plugins_are_loaded_and_broken_ones_skipped(monkeypatch):
    class Plugin(SourceParser):
        kind, formats = "budget", ("csv",)

        def parse(self, payload, context):
            return ParseResult()

    monkeypatch.setattr(parsers.plugins.metadata, "entry_points",
                        lambda group: [EntryPoint("budget", Plugin), EntryPoint("bad", ImportError("x"))])
    found = discover_parsers()
    assert isinstance(found[("budget", "csv")], Plugin) and ("minutes", "text") in found


def test_choose_parser_and_unknown_format():
    found = discover_parsers()
    assert isinstance(choose_parser(found, "minutes", ".TXT"), MinutesParser)
    assert isinstance(choose_parser(found, "minutes", ".PDF"), MinutesParser)
    with pytest.raises(IntakeInputError) as err:
        choose_parser(found, "minutes", "doc")
    assert "supported" in err.value.message


def test_minutes_parser_text(district):
    result = MinutesParser().parse(MINUTES, ParseContext(directory=district))
    draft = result.drafts[0]
    assert draft.lead_department == "CZJ" and draft.co_departments == ["FGJ"]
    assert result.to_dict()["meta"]["meeting_date"] == "2026-03-05"


def test_minutes_parser_docx_with_table(district):
    document = docx.Document()
    for line in MINUTES.strip().split("\n"):
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["工作任务", "责任单位", "完成时限"]):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["开展燃气安全整治", "区住建局", "8月底前"]):
        cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    result = MinutesParser().parse(buffer.getvalue(), ParseContext(directory=district))
    assert [d.lead_department for d in result.drafts] == ["CZJ", "ZJJ"]


def test_docx_that_is_not_a_zip_is_rejected(district):
    with pytest.raises(IntakeInputError) as err:
        MinutesParser().parse(b"\xd0\xcf\x11\xe0 old word file", ParseContext(directory=district, format="docx"))
    assert "not a .docx" in err.value.message


def test_assignment_parser(district):
    payload = json.dumps([{"leader": "王强", "place": "现场", "date": "2026-05-06", "department": "区住建局",
                           "task": "加快建设", "deadline": "6月底前", "settled": False, "kind": "onsite"}])
    result = AssignmentListParser().parse(payload, ParseContext(directory=district))
    assert result.drafts[0].deadline.isoformat() == "2026-06-30"


def test_goal_parser_uses_context_year(district):
    payload = "目标,节点,牵头单位,配合单位,完成时限\n绿化,补植,区城市管理局,,9月底前\n".encode()
    result = GoalSheetParser().parse(payload, ParseContext(directory=district, year=2027))
    assert result.drafts[0].deadline.isoformat() == "2027-09-30" and result.drafts[0].year == 2027


@pytest.mark.parametrize("payload", ["", "   ", b"\x00\x01\x02\x03" * 50])
def test_minutes_bad_input(district, payload):
    with pytest.raises(IntakeInputError):
        MinutesParser().parse(payload, ParseContext(directory=district))


def test_minutes_with_no_actions(district):
    with pytest.raises(IntakeInputError):  # too little to be minutes: a mistaken paste
        MinutesParser().parse("会议纪要\n会议听取了汇报。", ParseContext(directory=district))
    # real minutes that ask nothing of anyone are kept, with no drafts and a warning
    result = MinutesParser().parse(
        "区政府常务会议纪要\n会议听取了区统计局关于前三季度全区经济运行情况的汇报，"
        "全区生产总值同比增长百分之五点二。", ParseContext(directory=district))
    assert result.drafts == [] and "no actions found" in result.warnings[-1]


class BetterMinutes(SourceParser):
    kind, formats = "minutes", ("text",)

    def parse(self, payload, context):
        return ParseResult()


@pytest.mark.parametrize("order", ["builtin_first", "plugin_first"])
def test_plugin_overrides_builtin_in_any_order(monkeypatch, order):
    eps = [EntryPoint("minutes", MinutesParser), EntryPoint("better", BetterMinutes)]
    if order == "plugin_first":
        eps.reverse()
    monkeypatch.setattr(parsers.plugins.metadata, "entry_points", lambda group: eps)
    found = discover_parsers()
    assert isinstance(found[("minutes", "text")], BetterMinutes)
    assert isinstance(found[("minutes", "docx")], MinutesParser)  # the rest stays built-in


def test_every_builtin_parse_declares_exactly_payload_and_context():
    import inspect
    for parser_class in parsers.BUILTIN_PARSERS:
        assert list(inspect.signature(parser_class.parse).parameters) == ["self", "payload", "context"]


def test_format_is_normalised_for_the_context():
    assert parsers.normalise_format(".DOCX") == "docx"
    assert parsers.normalise_format("md") == "text"
    assert parsers.normalise_format(None) == ""


def test_goal_sheet_format_comes_from_the_context(district):
    payload = "目标,节点,牵头单位,配合单位,完成时限\n绿化,补植,区城市管理局,,9月底前\n".encode()
    result = GoalSheetParser().parse(payload, ParseContext(directory=district, year=2027, format="csv"))
    assert result.drafts[0].lead == ["区城市管理局"]
    with pytest.raises(IntakeInputError):
        GoalSheetParser().parse(payload, ParseContext(directory=district, year=2027, format="xlsx"))
