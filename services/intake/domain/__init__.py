"""Pure parsing core of the intake service: text, sheets and lists in, draft items out.

Entry points for the service layer: `parse_minutes`, `parse_assignments`,
`parse_goal_sheet` (or the plugin classes in services.intake.parsers), the
`Draft` / `ParseResult` / `ParseContext` dataclasses and `IntakeInputError`.
"""

from .assignments import parse_assignments
from .errors import IntakeInputError
from .goals import parse_goal_sheet
from .minutes import parse_minutes
from .model import Draft, ParseContext, ParseResult
from .normalize import MAX_TEXT_CHARS

__all__ = ["parse_minutes", "parse_assignments", "parse_goal_sheet", "Draft", "ParseContext",
           "ParseResult", "IntakeInputError", "MAX_TEXT_CHARS"]
