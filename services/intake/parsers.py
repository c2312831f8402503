"""Source-parser plugins: the interface, the built-in parsers and entry-point discovery.

A parser is declared in a package's pyproject.toml under the entry-point group
``duban.intake.parsers`` and found at start-up by `discover_parsers`; the service
then picks one per (kind, format) with `choose_parser`.
"""

import abc
import logging

from shared import plugins

from .domain.assignments import parse_assignments
from .domain import workdays
from .domain.docx import docx_to_text
from .domain.pdf import pdf_to_text
from .domain.errors import IntakeInputError
from .domain.goals import parse_goal_sheet
from .domain.minutes import parse_minutes
from .domain.model import Draft, ParseContext, ParseResult

__all__ = ["SourceParser", "MinutesParser", "AssignmentListParser", "GoalSheetParser",
           "ParseContext", "ParseResult", "Draft", "IntakeInputError", "discover_parsers",
           "choose_parser", "normalise_format", "BUILTIN_PARSERS", "ENTRY_POINT_GROUP"]

ENTRY_POINT_GROUP = "duban.intake.parsers"
log = logging.getLogger(__name__)


class SourceParser(abc.ABC):
    """Turns one kind of source document into draft items."""

    kind = None          # "minutes" | "assignments" | "goals" | a plugin's own kind
    formats = ()         # payload formats this parser reads, e.g. ("text", "txt", "docx")

    @abc.abstractmethod
    def parse(self, payload, context):
        """payload: str or bytes; context: ParseContext (format included) -> ParseResult.

        Raises IntakeInputError for input it cannot accept.
        """

    def __repr__(self):
        return f"<{type(self).__name__} kind={self.kind} formats={self.formats}>"


class MinutesParser(SourceParser):
    """Meeting minutes as plain text, a .docx file or a text PDF."""

    kind = "minutes"
    formats = ("text", "txt", "docx", "pdf")

    def parse(self, payload, context):
        if context.format == "docx" or (isinstance(payload, (bytes, bytearray)) and bytes(payload[:2]) == b"PK"):
            payload = docx_to_text(payload)
        elif context.format == "pdf" or (isinstance(payload, (bytes, bytearray)) and bytes(payload[:5]) == b"%PDF-"):
            payload = pdf_to_text(payload)
        with workdays.use(context.calendar):
            return parse_minutes(payload, context.directory_index(),
                                 meeting_date=context.meeting_date, title=context.title,
                                 today=context.today)


class AssignmentListParser(SourceParser):
    """Leader assignments (领导交办) as a list of dicts or JSON text."""

    kind = "assignments"
    formats = ("json",)

    def parse(self, payload, context):
        return parse_assignments(payload, context.directory_index(), today=context.today)


class GoalSheetParser(SourceParser):
    """Annual goal sheets (年度目标) as .csv or .xlsx bytes."""

    kind = "goals"
    formats = ("csv", "xlsx")

    def parse(self, payload, context):
        return parse_goal_sheet(payload, context.directory_index(), year=context.year, fmt=context.format,
                                today=context.today)


BUILTIN_PARSERS = (MinutesParser, AssignmentListParser, GoalSheetParser)


def _slots(parser):
    """The (kind, format) pairs a parser serves; an object without `parse` serves none."""
    if not callable(getattr(parser, "parse", None)):
        log.warning("intake parser plugin %r has no parse(payload, context): skipped", parser)
        return []
    return [(parser.kind, fmt) for fmt in getattr(parser, "formats", ())]


def discover_parsers(group=ENTRY_POINT_GROUP, entry_points=None):
    """{(kind, format): parser} from the built-ins and the `duban.intake.parsers` plugins.

    shared.plugins.discover: built-ins fill every slot, a plugin for the same
    (kind, format) replaces a built-in whatever the order of the entry points, and a
    plugin that fails to load is logged and skipped so one bad package cannot stop the
    service.
    """
    return plugins.discover(group, _slots, builtins=BUILTIN_PARSERS, entry_points=entry_points)


def normalise_format(fmt):
    """'.DOCX' -> 'docx'; 'md', 'plain' and 'text/plain' -> 'text'; None -> ''."""
    fmt = (fmt or "").lower().lstrip(".")
    return "text" if fmt in ("md", "text/plain", "plain") else fmt


def choose_parser(parsers, kind, fmt):
    """The parser for (kind, format), or IntakeInputError listing what is supported."""
    fmt = normalise_format(fmt)
    parser = parsers.get((kind, fmt))
    if parser is None:
        supported = sorted(f"{k}/{f}" for k, f in parsers)
        raise IntakeInputError(
            f"no parser for kind {kind!r} and format {fmt!r}; supported: {', '.join(supported)}",
            {"kind": kind, "format": fmt})
    return parser
