"""Item numbers: each group its own format, year and sequence always in it."""
import pytest

from services.tracking.domain import numbering
from services.tracking.domain.errors import RuleViolation


def test_the_default_format():
    assert numbering.format_number(None, "DB", "HQ", 2026, 42) == "DB-2026-0042"
    assert numbering.format_number(None, "DB", "HQ", 2026, 12345) == "DB-2026-12345"


def test_an_office_format():
    fmt = numbering.check_format("督〔{year}〕{seq}号")
    assert numbering.format_number(fmt, "DB", "HQ", 2026, 12) == "督〔2026〕12号"
    assert numbering.format_number("{group}-{year}-{seq:03d}", "DB", "EAST", 2026, 7) == \
        "EAST-2026-007"


@pytest.mark.parametrize("fmt,why", [
    ("督〔2026〕{seq}号", "{year}"),          # numbers would repeat next year
    ("{prefix}-{year}", "{seq}"),
    ("{prefix}-{year}-{seq}-{who}", "unknown"),
    ("{prefix-{year}-{seq}", "invalid"),
    ("{year}-{seq:zz}", "render"),
    ("{year}-{seq}" + "x" * 70, "longer"),
])
def test_formats_that_cannot_number_uniquely_are_refused(fmt, why):
    with pytest.raises(RuleViolation) as info:
        numbering.check_format(fmt)
    assert why in str(info.value.fields["number_format"])
