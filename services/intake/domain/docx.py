"""Extract the text of a .docx file (paragraphs and tables, in document order).

The archive is checked first (domain/archive.py): what it would inflate to is capped
before anything is parsed, and only the main document part is ever inflated, through
a bounded reader, then parsed as a stream, one top-level paragraph or table at a time.
"""

import io
import posixpath
import xml.etree.ElementTree as ET
import zipfile

from .archive import check_archive, read_member
from .errors import IntakeInputError, upload_bytes

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
OFFICE_DOCUMENT = "/officeDocument"
MAX_PACKAGE_PART = 256 * 1024  # _rels/.rels is a few hundred bytes


def _main_part(archive):
    """The main document part named by the package relationships (word/document.xml)."""
    try:
        rels = ET.fromstring(read_member(archive, "_rels/.rels", ".docx", MAX_PACKAGE_PART))
    except IntakeInputError:
        raise
    except ET.ParseError as exc:
        raise IntakeInputError(f"cannot read .docx file: {exc}", {"payload": "corrupt_docx"}) from exc
    for rel in rels.iter(REL):
        if (rel.get("Type") or "").endswith(OFFICE_DOCUMENT):
            return posixpath.normpath(rel.get("Target", "").lstrip("/"))
    raise IntakeInputError("cannot read .docx file: no main document part", {"payload": "corrupt_docx"})


def _text(element):
    return "".join(node.text or "" for node in element.iter(W + "t"))


def _table_lines(table):
    for row in table.iter(W + "tr"):
        cells = [_text(cell).replace("|", "/").strip() for cell in row if cell.tag == W + "tc"]
        if any(cells):
            yield "| " + " | ".join(cells) + " |"


def _body_lines(xml_bytes):
    """Lines of the body's top-level paragraphs and tables, parsed as a stream."""
    depth, body_depth, body = 0, None, None
    for event, element in ET.iterparse(io.BytesIO(xml_bytes), events=("start", "end")):
        if event == "start":
            depth += 1
            if element.tag == W + "body" and body_depth is None:
                body_depth, body = depth, element
            continue
        if body_depth is not None and depth == body_depth + 1:
            if element.tag == W + "p":
                text = _text(element)
                if text.strip():
                    yield text
            elif element.tag == W + "tbl":
                yield from _table_lines(element)
            body.remove(element)  # done with it: keep memory flat
        depth -= 1


def docx_to_text(payload):
    """.docx bytes -> text; tables become '|'-separated rows so the minutes parser reads them."""
    raw = upload_bytes(payload, ".docx")
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        raise IntakeInputError("not a .docx file (a .docx is a zip archive; .doc is not supported)",
                               {"payload": "not_docx"})
    archive = check_archive(raw, ".docx")
    with archive:
        document = read_member(archive, _main_part(archive), ".docx")
    try:
        return "\n".join(_body_lines(document))
    except ET.ParseError as exc:
        raise IntakeInputError(f"cannot read .docx file: {exc}", {"payload": "corrupt_docx"}) from exc
