"""Open an uploaded zip (.docx, .xlsx) without letting it inflate: limits before parsing.

A few hundred kilobytes of deflated zeros or repeated XML become hundreds of
megabytes once read. Before any parser touches an archive, `check_archive` looks at
what the zip declares: the number of entries, each entry's inflated size and
compression ratio, the total, duplicate names and entries that share (overlap) their
data. `read_member` then inflates one member through a bounded reader that stops at
the cap whatever the header claimed, and refuses XML with a DTD (entity expansion).
"""

import io
import struct
import zipfile

from .errors import InputTooLarge, IntakeInputError

MAX_ENTRIES = 2000
MAX_TOTAL_INFLATED = 64 * 1024 * 1024     # all members together, as declared
MAX_MEMBER_INFLATED = 16 * 1024 * 1024    # any one member, declared or read
MAX_RATIO = 100                           # inflated / compressed, for members over ...
RATIO_FLOOR = 1024 * 1024                 # ... 1 MiB: small XML parts compress well
CHUNK = 64 * 1024
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")


def _corrupt(what, reason, code="corrupt"):
    return IntakeInputError(f"cannot read {what}: {reason}", {"payload": f"{code}_{what.lstrip('.')}"})


def _too_large(what, reason):
    return InputTooLarge(f"{what} would inflate too much: {reason}", {"payload": "inflates_too_much"})


def _data_span(archive, info):
    """(start, end) of an entry's compressed data in the file, from its local header."""
    archive.fp.seek(info.header_offset)
    header = archive.fp.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile("bad local header for {!r}".format(info.filename))
    fields = _LOCAL_HEADER.unpack(header)
    start = info.header_offset + _LOCAL_HEADER.size + fields[10] + fields[11]
    return start, start + info.compress_size


def check_archive(raw, what):
    """An open ZipFile over `raw` whose declared sizes are within the limits.

    Raises InputTooLarge (too many entries, too big, too compressed) or
    IntakeInputError (not a zip, duplicate or overlapping entries).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, OSError) as exc:
        raise _corrupt(what, exc) from exc
    if len(infos) > MAX_ENTRIES:
        raise _too_large(what, f"{len(infos)} entries, limit {MAX_ENTRIES}")
    total = 0
    for info in infos:
        if info.file_size > MAX_MEMBER_INFLATED:
            raise _too_large(what, f"{info.filename} inflates to {info.file_size} bytes, "
                                   f"limit {MAX_MEMBER_INFLATED}")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _too_large(what, f"{info.filename} is compressed {info.file_size // max(info.compress_size, 1)}:1, "
                                   f"limit {MAX_RATIO}:1")
        total += info.file_size
    if total > MAX_TOTAL_INFLATED:
        raise _too_large(what, f"{total} bytes in all, limit {MAX_TOTAL_INFLATED}")
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise _corrupt(what, "the archive lists an entry twice", "duplicate_entries")
    try:
        spans = sorted(_data_span(archive, info) for info in infos)
    except (zipfile.BadZipFile, struct.error, OSError) as exc:
        raise _corrupt(what, exc) from exc
    for (_, end), (start, _) in zip(spans, spans[1:]):
        if start < end:
            raise _corrupt(what, "entries overlap (share their data)", "overlapping_entries")
    return archive


def _chunks(archive, info, what, limit):
    """Inflate one member chunk by chunk; InputTooLarge once past `limit` bytes."""
    size = 0
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(CHUNK)
                if not chunk:
                    return
                size += len(chunk)
                if size > limit:
                    raise _too_large(what, f"{info.filename} inflates past {limit} bytes")
                yield chunk
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise _corrupt(what, exc) from exc


def read_member(archive, name, what, limit=MAX_MEMBER_INFLATED):
    """The inflated bytes of one member, never more than `limit` (InputTooLarge past it)."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise _corrupt(what, f"{name} is missing")
    data = b"".join(_chunks(archive, info, what, limit))
    if has_dtd(data):
        raise _corrupt(what, f"{name} declares a DTD; Office files never do", "dtd_in")
    return data


def check_xml_members(archive, what):
    """Inflate every XML part once through the bounded reader (kept nowhere) and refuse
    a DTD in any of them, before a library that reads them all is let loose."""
    for info in archive.infolist():
        if not info.filename.lower().endswith((".xml", ".rels")):
            continue
        tail = b""
        for chunk in _chunks(archive, info, what, MAX_MEMBER_INFLATED):
            if has_dtd(tail + chunk):
                raise _corrupt(what, f"{info.filename} declares a DTD; Office files never do",
                               "dtd_in")
            tail = chunk[-32:]


def has_dtd(xml_bytes):
    """True if the XML declares a DTD or entities (which could expand)."""
    markers = (b"<!DOCTYPE", b"<!ENTITY")
    if xml_bytes[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16
        codec = "utf-16-le" if xml_bytes[:2] == b"\xff\xfe" else "utf-16-be"
        markers = tuple(m.decode().encode(codec) for m in markers)
    return any(m in xml_bytes for m in markers)
