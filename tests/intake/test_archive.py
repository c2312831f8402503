"""Archive limits of the intake domain: refused from what the zip declares, bounded reads."""
import io
import zipfile

import pytest

from services.intake.domain import archive
from services.intake.domain.docx import docx_to_text
from services.intake.domain.errors import InputTooLarge, IntakeInputError
from services.intake.domain.goals import MAX_COLUMNS, _read_rows
from services.intake.handlers import MAX_BASE64_CHARS, decode
from shared import errors
from tests.bombs import (MB, docx_bytes, forged_dimension, goal_sheet, lying_sizes, overlapping,
                         replace_member, with_member)


def test_forged_dimension_does_not_pad_rows():
    rows = _read_rows(forged_dimension(goal_sheet(2030)), "xlsx")
    assert max(len(values) for _, values in rows) == MAX_COLUMNS
    assert rows[1][1][:3] == ["城市更新", "完成方案编制", "区住建局"]


def test_declared_inflation_is_refused_before_reading():
    bomb = with_member(docx_bytes("由区财政局负责。"), "word/media/a.bin", b"\0" * MB, 20 * MB)
    with pytest.raises(InputTooLarge, match="inflates to"):
        docx_to_text(bomb)


def test_ratio_over_the_floor_is_refused():
    bomb = with_member(docx_bytes("x"), "word/media/a.bin", b"\0" * MB, 2 * MB)
    with pytest.raises(InputTooLarge, match="compressed"):
        archive.check_archive(bomb, ".docx")


def test_overlapping_and_lying_entries():
    kernel = with_member(docx_bytes("x"), "word/media/k.bin", b"\0" * 1024, 1024)
    with pytest.raises(IntakeInputError) as err:
        archive.check_archive(overlapping(kernel, "word/media/k.bin", 3), ".docx")
    assert err.value.fields == {"payload": "overlapping_entries_docx"}
    text = "由区财政局负责。" * 10
    liar = lying_sizes(docx_bytes(text), "word/document.xml", 100)
    with pytest.raises(IntakeInputError, match="CRC|cannot read"):
        docx_to_text(liar)


def test_bounded_reader_stops_at_its_limit():
    data = with_member(docx_bytes("x"), "word/media/a.bin", b"ab" * 1000, 200_000)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        with pytest.raises(InputTooLarge):
            archive.read_member(z, "word/media/a.bin", ".docx", limit=100_000)


def test_dtd_is_refused():
    doc = docx_bytes("x")
    xml = zipfile.ZipFile(io.BytesIO(doc)).read("word/document.xml")
    evil = replace_member(doc, "word/document.xml",
                          xml.replace(b"?>", b'?><!DOCTYPE d [<!ENTITY a "aaaa">]>', 1))
    with pytest.raises(IntakeInputError) as err:
        docx_to_text(evil)
    assert err.value.fields == {"payload": "dtd_in_docx"}


def test_base64_is_measured_before_it_is_decoded():
    with pytest.raises(errors.PayloadTooLarge):
        decode("A" * (MAX_BASE64_CHARS + 4), "base64")
    with pytest.raises(errors.PayloadTooLarge):
        decode("字" * (5 * MB + 1), "text")
    assert decode("YWJj", "base64") == b"abc"
