"""Extract the text of a .docx file (paragraphs and tables, in document order)."""

import io
import zipfile

from .errors import IntakeInputError


def docx_to_text(payload):
    """.docx bytes -> text; tables become '|'-separated rows so the minutes parser reads them."""
    if isinstance(payload, str):
        raise IntakeInputError("a .docx upload must be bytes, got text", {"payload": "type"})
    raw = bytes(payload or b"")
    if not raw:
        raise IntakeInputError("empty .docx file", {"payload": "empty"})
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        raise IntakeInputError("not a .docx file (a .docx is a zip archive; .doc is not supported)",
                               {"payload": "not_docx"})
    try:
        import docx  # python-docx
        document = docx.Document(io.BytesIO(raw))
    except Exception as exc:  # corrupt archive, missing word/document.xml, bad XML
        raise IntakeInputError(f"cannot read .docx file: {exc}", {"payload": "corrupt_docx"}) from exc
    lines = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(node.text or "" for node in child.iter() if node.tag.endswith("}t"))
            if text.strip():
                lines.append(text)
        elif tag == "tbl":
            for row in child.iter():
                if not row.tag.endswith("}tr"):
                    continue
                cells = []
                for cell in row.iterchildren():
                    if cell.tag.endswith("}tc"):
                        cells.append("".join(node.text or "" for node in cell.iter()
                                             if node.tag.endswith("}t")).replace("|", "/").strip())
                if any(cells):
                    lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
