"""Minutes as a PDF: the same drafts as the same minutes pasted, and every unusable PDF refused
with a clear IntakeInputError. PDFs are built here (tests/pdfs.py, tests/bombs.py)."""
import datetime as dt
import time

import pytest

from services.intake.domain import pdf
from services.intake.domain.errors import InputTooLarge, IntakeInputError
from services.intake.parsers import MinutesParser, ParseContext
from tests.bombs import (deflated, pdf_form_flood, pdf_encrypted, pdf_flate_bomb, pdf_garbage_xref, pdf_image_only,
                         pdf_long_text, pdf_stream_flood, pdf_too_many_pages, raw_pdf, text_page)
from tests.pdfs import minutes_pdf

MEETING = dt.date(2026, 3, 5)
MINUTES = """区政府第12次常务会议纪要
2026年3月5日，区长王明主持召开区政府第12次常务会议，研究老旧小区改造、环境整治和宣传工作。现纪要如下：
一、关于老旧小区改造工作
会议同意区住建局提出的《老旧小区改造实施方案》，修改完善后报区政府审定。由区住建局牵头，区财政局、区城市管理局配合，于2027年3月31日前完成首批10个小区改造，并于每月底前报送工作进展情况。
二、关于环境整治
张副区长强调，区环保局要在2027年2月15日前完成重点企业排查，形成问题清单和整改台账；区城市管理局负责在会后10个工作日内清理道路积存垃圾，建立长效保洁机制。
三、关于宣传工作
区财政局负责尽快开展政策宣传。
"""


def parse(payload, fmt):
    return MinutesParser().parse(payload, ParseContext(directory=DIRECTORY, meeting_date=MEETING,
                                                       today=MEETING, format=fmt)).to_dict()


DIRECTORY = None


@pytest.fixture(autouse=True)
def directory(district):
    global DIRECTORY
    DIRECTORY = district


def test_a_pdf_gives_the_drafts_of_the_same_minutes_pasted():
    data = minutes_pdf(MINUTES, break_before="会议同意")
    pages = pdf.pdf_lines(data)
    assert len(pages) == 2 and pages[0][-1] == "- 1 -" and pages[1][-1] == "- 2 -"
    assert not pages[0][-2].endswith("。"), "the page break must fall inside a sentence"
    assert sum(map(len, pages)) - 2 > len(MINUTES.strip().splitlines()), "the lines must wrap"
    from_pdf, pasted = parse(data, "pdf"), parse(MINUTES, "text")
    assert {d["lead_department"] for d in pasted["drafts"]} == {"ZJJ", "HBJ", "CGJ", "CZJ"}
    assert from_pdf == pasted


def test_running_headers_are_dropped_and_the_format_is_sniffed():
    data = minutes_pdf(MINUTES, break_before="张副区长", header="示范区人民政府办公室文件", footer="第 {} 页")
    assert pdf.pdf_lines(data)[1][0] == "示范区人民政府办公室文件"
    assert parse(data, None) == parse(MINUTES, "text")
    assert pdf.pdf_to_text(data).splitlines() == MINUTES.strip().splitlines()


def test_a_pdf_with_only_an_owner_password_is_read():
    assert parse(pdf_encrypted(MINUTES, user_password=None), "pdf") == parse(MINUTES, "text")


def refused(payload):
    with pytest.raises(IntakeInputError) as err:
        parse(payload, "pdf")
    return err.value


@pytest.mark.parametrize("name, make, too_large, field, says", [
    ("not a PDF", lambda: "由区财政局负责。".encode() * 10, False, "not_pdf", "not a .pdf"),
    ("empty", lambda: b"", False, "empty", "empty"),
    ("text instead of bytes", lambda: "%PDF-1.4", False, "type", "must be bytes"),
    ("password-protected", lambda: pdf_encrypted(MINUTES), False, "encrypted_pdf", "password"),
    ("a scan (an image, no text)", pdf_image_only, False, "no_text_pdf", "OCR is not supported"),
    ("201 pages", lambda: pdf_too_many_pages(pdf.MAX_PAGES + 1), True, "too_many_pages", "limit 200"),
    ("text over the cap", lambda: pdf_long_text(pdf.MAX_TEXT_CHARS + 1), True, "too_long", "200000"),
    ("a 2 GiB FlateDecode stream", pdf_flate_bomb, True, "inflates_too_much", "inflates too much"),
    ("150 streams of 15 MiB", pdf_stream_flood, True, "inflates_too_much", "inflates too much"),
    ("garbage after the header", lambda: b"%PDF-1.7\n" + bytes(range(256)) * 20, False, "corrupt_pdf",
     "cannot read the PDF"),
    ("a garbage cross-reference table, no startxref",
     lambda: pdf_garbage_xref(raw_pdf([text_page("x")]))[:-30], False, "corrupt_pdf", "cannot read"),
])
def test_an_unusable_pdf_is_refused_clearly(name, make, too_large, field, says):
    error = refused(make())
    assert isinstance(error, InputTooLarge) == too_large, name
    assert error.fields == {"payload": field} and says in error.message, (name, error)


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.9])
def test_a_truncated_or_damaged_pdf_is_read_or_refused_never_a_crash(cut):
    data = minutes_pdf(MINUTES)
    for damaged in (data[:int(len(data) * cut)], pdf_garbage_xref(data),
                    data[:int(len(data) * cut)] + b"\0garbage" * 50 + data[int(len(data) * cut):]):
        try:  # pypdf recovers some damage (strict=False): drafts or a clear refusal, nothing else
            assert isinstance(parse(damaged, "pdf")["drafts"], list)
        except IntakeInputError as exc:
            assert exc.message


def test_the_streams_of_a_document_share_one_decoding_budget():
    under = pdf.run_extractor(pdf_stream_flood(pages=3))        # 45 MiB decoded in all
    assert "pages" in under and len(under["pages"]) == 3, under
    over = pdf.run_extractor(pdf_stream_flood(pages=6))         # 90 MiB, each stream under its cap
    assert over["error"] == "inflates_too_much" and "in all" in over["message"], over
    lowered = pdf.run_extractor(pdf_stream_flood(pages=3), dict(pdf.LIMITS, document_bytes=40 * 1024 ** 2))
    assert lowered["error"] == "inflates_too_much", lowered


def test_forms_drawn_on_a_page_count_against_the_budget_though_pypdf_swallows_the_refusal():
    assert pdf.run_extractor(pdf_form_flood(forms=3, drawings=3))["pages"] == [["hello"]]     # 45 MiB
    for forms, drawings in ((6, 6), (5, 400)):      # 90 MiB; one form decoded again at each of 396 drawings
        answer = pdf.run_extractor(pdf_form_flood(forms, drawings))
        assert answer["error"] == "inflates_too_much" and "in all" in answer["message"], (forms, drawings, answer)


def test_extraction_is_bounded_in_time():
    flood = pdf_stream_flood(pages=20)
    unbudgeted = dict(pdf.LIMITS, document_bytes=4 * 1024 ** 3)   # time alone must stop it
    answer = pdf.run_extractor(flood, dict(unbudgeted, cpu_seconds=1, memory=4 * 1024 ** 3))
    assert answer["error"] == "too_slow", answer
    started = time.monotonic()
    assert pdf.run_extractor(flood, dict(unbudgeted, wall_seconds=1))["error"] == "too_slow"
    assert time.monotonic() - started < 5
    with pytest.raises(IntakeInputError) as err:
        raise pdf.refusal(answer)
    assert err.value.fields == {"payload": "too_slow_pdf"} and not isinstance(err.value, InputTooLarge)


def test_one_stream_is_capped_at_the_archive_member_limit():
    just_over = raw_pdf([("flate", deflated(b" " * 1024 * 1024, pdf.MAX_STREAM_INFLATED + 1024 * 1024))])
    assert refused(just_over).fields == {"payload": "inflates_too_much"}
