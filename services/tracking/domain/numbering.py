"""Item numbers (督办编号): gap-free per group and year, in the group's own format.

A format is a Python format string over `prefix`, `group`, `year` and `seq`, e.g.
`{prefix}-{year}-{seq:04d}` (DB-2026-0042, the default) or `督〔{year}〕{seq}号`
(督〔2026〕12号). It must contain the year and the sequence number, since numbers are
counted per group and year and unique within a group.
"""
import string

from .errors import RuleViolation

DEFAULT_FORMAT = "{prefix}-{year}-{seq:04d}"
FIELDS = ("prefix", "group", "year", "seq")
MAX_LENGTH = 64


def check_format(fmt, field="number_format"):
    """Refuse a format that cannot number items uniquely or does not render."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(fmt) if name is not None}
    except ValueError as exc:
        raise RuleViolation("The number format is not a valid template",
                            {field: ["invalid template: {}".format(exc)]})
    unknown = sorted(n for n in names if n not in FIELDS)
    if unknown:
        raise RuleViolation("The number format uses unknown fields",
                            {field: ["unknown field(s) {}; use {}".format(
                                ", ".join(unknown), ", ".join("{" + f + "}" for f in FIELDS))]})
    if "seq" not in names or "year" not in names:
        raise RuleViolation("The number format needs {year} and {seq}",
                            {field: ["must contain {year} and {seq}, e.g. 督〔{year}〕{seq}号"]})
    try:
        sample = format_number(fmt, "DB", "GROUP", 2026, 9999)
    except (ValueError, TypeError, IndexError, KeyError) as exc:
        raise RuleViolation("The number format does not render",
                            {field: ["cannot render: {}".format(exc)]})
    if len(sample) > MAX_LENGTH:
        raise RuleViolation("The number format is too long", {field: ["renders longer than 64"]})
    return fmt


def format_number(fmt, prefix, group, year, seq):
    """The readable number beside the id."""
    return (fmt or DEFAULT_FORMAT).format(prefix=prefix, group=group, year=year, seq=seq)
