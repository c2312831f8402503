"""Read the text lines of a PDF's pages inside a child process with its own memory and CPU limits.

Run by domain/pdf.py as `python -I pdf_extract.py LIMITS_JSON` with the PDF on stdin; it
answers one JSON object on stdout: {"pages": [[line, ...], ...]} or {"error": code,
"message": text}. pypdf bounds each stream it inflates (lowered here to the archive cap) but
not the sum over a document's streams, nor the time a content stream takes to interpret:
here every stream decoded is counted against a budget for the whole document (so a flood of
streams just under the per-stream cap is refused after a few of them, on any machine load),
the process's address space (RLIMIT_AS) and CPU seconds (RLIMIT_CPU) bound what is left,
and the child's wall-clock alarm the rest. Imports only the standard library and pypdf.
"""

import io
import json
import resource
import signal
import sys

import pypdf
import pypdf.filters
from pypdf.errors import LimitReachedError


class Refusal(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code, self.message = code, message


def _limit_process(limits):
    resource.setrlimit(resource.RLIMIT_AS, (limits["memory"], limits["memory"]))
    resource.setrlimit(resource.RLIMIT_CPU, (limits["cpu_seconds"], limits["cpu_seconds"] + 1))
    signal.alarm(limits["wall_seconds"])  # SIGALRM's default action ends the process


def _stream_limits(limit):
    """pypdf's per-stream limits, lowered to `limit` bytes."""
    names = ("zlib_maximum_output_length", "lzw_maximum_output_length",
             "run_length_maximum_output_length", "array_based_stream_maximum_output_length",
             "brotli_maximum_output_length", "maximum_declared_stream_length",
             "jbig2_maximum_output_length", "image_maximum_buffer_size")
    return {name: limit for name in names}


class DecodeBudget:
    """Counts the bytes pypdf's stream decoding (looked up at each use) puts out for the whole
    document. Past `limit` every later decode is refused before it runs, and `check` raises
    for the caller: pypdf swallows errors raised while it reads a form XObject ('Do'), so the
    refusal cannot rely on the exception reaching the caller, and a form drawn many times
    would otherwise be decoded again at each drawing."""

    def __init__(self, limit):
        self.limit, self.spent = limit, 0

    def install(self):
        decode = pypdf.filters.decode_stream_data

        def counted(stream):
            self.check()
            data = decode(stream)
            self.spent += len(data)
            self.check()
            return data

        pypdf.filters.decode_stream_data = counted
        return self

    def check(self):
        if self.spent > self.limit:
            raise LimitReachedError(f"the streams decoded exceed {self.limit} bytes in all")


def _open(raw):
    reader = pypdf.PdfReader(io.BytesIO(raw), strict=False)
    if reader.is_encrypted and not _opens_without_password(reader):
        raise Refusal("encrypted", "the PDF is password-protected (encrypted); "
                                   "save an unprotected copy or paste its text")
    return reader


def _opens_without_password(reader):
    """Permissions-only encryption (an owner password, no user password) opens with ''."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # an unsupported cipher is as closed as a password
        return False


def _page_lines(reader, limits, budget=None):
    pages = len(reader.pages)
    if pages > limits["pages"]:
        raise Refusal("too_many_pages", f"the PDF has {pages} pages, limit {limits['pages']}")
    out, chars = [], 0
    for page in reader.pages:
        text = page.extract_text() or ""
        if budget is not None:
            budget.check()      # a refusal pypdf swallowed inside the page still refuses
        chars += len(text)
        if chars > limits["chars"]:
            raise Refusal("too_long", f"the PDF's text is longer than {limits['chars']} characters")
        out.append(text.splitlines())
    return out


def extract(raw, limits, budget=None):
    """{"pages": [[line, ...], ...]} or {"error": code, "message": text}."""
    try:
        with pypdf.apply_configuration(**_stream_limits(limits["stream_bytes"])):
            return {"pages": _page_lines(_open(raw), limits, budget)}
    except Refusal as exc:
        return {"error": exc.code, "message": exc.message}
    except (LimitReachedError, MemoryError) as exc:
        return {"error": "inflates_too_much", "message": f"the PDF inflates too much: {exc}"}
    except RecursionError:
        return {"error": "corrupt", "message": "cannot read the PDF: its objects nest too deeply"}
    except Exception as exc:  # any failure of the library on a malformed file
        return {"error": "corrupt", "message": f"cannot read the PDF: {type(exc).__name__}: {exc}"}


def main():
    limits = json.loads(sys.argv[1])
    _limit_process(limits)
    budget = DecodeBudget(limits["document_bytes"]).install()
    raw = sys.stdin.buffer.read()
    answer = extract(raw, limits, budget)
    sys.stdout.buffer.write(json.dumps(answer, ensure_ascii=False).encode("utf-8"))


if __name__ == "__main__":
    main()
