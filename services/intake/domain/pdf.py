"""Extract the text of a PDF (text PDFs only: no OCR), re-flowed into paragraphs for the minutes parser.

pypdf reads the file in a child process (domain/pdf_extract.py) under limits on memory,
CPU seconds and wall-clock time, so neither a decompression bomb nor a content stream
built to be slow can take the intake service with it; the lines of each page come back
and domain/reflow.py joins them into paragraphs.
"""

import json
import os
import subprocess
import sys

from .archive import MAX_MEMBER_INFLATED
from .errors import InputTooLarge, IntakeInputError, upload_bytes
from .normalize import MAX_TEXT_CHARS
from .reflow import reflow

MAX_PAGES = 200
# The child's bounds. A 120-page text PDF (108,000 characters) reads in 0.6 s within 128 MiB;
# a flood of 15 MiB streams is refused by the document's budget after five of them (0.6 s of
# CPU; before that budget it ran until 256 MiB ran out, 2.5 s, past the alarm on a busy machine). The wall clock stays under the
# gateway's RPC timeout (10 s) so a slow PDF gets its own error, not a timeout.
MAX_SECONDS = 6                         # CPU seconds
WALL_SECONDS = 8
MAX_MEMORY = 256 * 1024 * 1024          # address space (python with pypdf imported: ~45 MB)
MAX_STREAM_INFLATED = MAX_MEMBER_INFLATED  # any one stream, as for a member of a .docx
MAX_DOCUMENT_INFLATED = 4 * MAX_STREAM_INFLATED  # all streams decoded (a 200-page text PDF: a few MB)
HEADER_WINDOW = 1024                    # readers accept %PDF- within the first KiB
EXTRACTOR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pdf_extract.py")

LIMITS = {"pages": MAX_PAGES, "chars": MAX_TEXT_CHARS, "stream_bytes": MAX_STREAM_INFLATED,
          "document_bytes": MAX_DOCUMENT_INFLATED,
          "memory": MAX_MEMORY, "cpu_seconds": MAX_SECONDS, "wall_seconds": WALL_SECONDS}
TOO_LARGE = {"too_many_pages", "too_long", "inflates_too_much"}


def is_pdf(payload):
    """True if the bytes carry a PDF header (%PDF-) in their first KiB."""
    return isinstance(payload, (bytes, bytearray)) and b"%PDF-" in bytes(payload[:HEADER_WINDOW])


def _check_payload(payload):
    raw = upload_bytes(payload, ".pdf")
    if not is_pdf(raw):
        raise IntakeInputError("not a .pdf file (no %PDF- header)", {"payload": "not_pdf"})
    return raw


def run_extractor(raw, limits=LIMITS):
    """The child's answer: {"pages": [...]} or {"error": code, "message": text}.

    The child ends itself on time (an alarm, whose default action kills it even inside C
    code): no timeout here, whose exception class eventlet's patched subprocess duplicates.
    """
    done = subprocess.run([sys.executable, "-I", EXTRACTOR, json.dumps(limits)], input=raw,
                          capture_output=True, check=False)
    try:
        return json.loads(done.stdout.decode("utf-8"))
    except ValueError:
        if done.returncode < 0:  # killed: its alarm, its CPU seconds (SIGXCPU), or the kernel
            return {"error": "too_slow", "message": "reading the PDF took longer than {} s ({} s of CPU)"
                    .format(limits["wall_seconds"], limits["cpu_seconds"])}
        return {"error": "corrupt", "message": "cannot read the PDF (the reader failed)"}


def refusal(answer):
    """The IntakeInputError for the child's refusal (InputTooLarge, a 413, for a size)."""
    code, message = answer["error"], answer["message"]
    if code in TOO_LARGE:  # a size refusal, as a .docx bomb's: 413
        return InputTooLarge(message, {"payload": code})
    return IntakeInputError(message, {"payload": code + "_pdf"})


def pdf_lines(payload):
    """The text lines of each page of a PDF, as the library reads them (reading order)."""
    answer = run_extractor(_check_payload(payload))
    if "error" in answer:
        raise refusal(answer)
    return answer["pages"]


def pdf_to_text(payload):
    """.pdf bytes -> text, one paragraph a line; IntakeInputError for a PDF it cannot use."""
    text = reflow(pdf_lines(payload))
    if not text.strip():
        raise IntakeInputError("the PDF has no text to read (a scanned image?); OCR is not supported: "
                               "upload a text PDF or .docx, or paste the text", {"payload": "no_text_pdf"})
    return text
