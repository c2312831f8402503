"""Hostile archives and PDFs built in memory, small on disk: zip bombs, overlapping entries,
lying sizes, forged sheet dimensions, entity expansion, FlateDecode bombs, PDFs that are
encrypted, image-only, too long or broken."""
import io
import struct
import zipfile
import zlib

from docx import Document

MB = 1024 * 1024


def write_stream(archive, name, piece, size):
    with archive.open(name, "w", force_zip64=True) as member:
        written = 0
        while written < size:
            member.write(piece)
            written += len(piece)


def docx_bytes(text):
    doc = Document()
    for line in text.splitlines():
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def with_member(zip_bytes, name, piece, size):
    """`zip_bytes` plus one deflated member of `size` bytes repeating `piece`."""
    buf = io.BytesIO(zip_bytes)
    with zipfile.ZipFile(buf, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open(name, "w", force_zip64=True) as member:
            written = 0
            while written < size:
                member.write(piece)
                written += len(piece)
    return buf.getvalue()


def replace_member(zip_bytes, name, data_or_gen):
    """A copy of the archive with `name`'s content replaced (bytes, or (piece, size))."""
    src = zipfile.ZipFile(io.BytesIO(zip_bytes))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in src.infolist():
            if info.filename != name:
                out.writestr(info.filename, src.read(info))
                continue
            if isinstance(data_or_gen, bytes):
                out.writestr(name, data_or_gen)
            else:
                piece, size = data_or_gen
                with out.open(name, "w", force_zip64=True) as member:
                    for _ in range(size // len(piece)):
                        member.write(piece)
    return buf.getvalue()


def central_directory(zip_bytes):
    """[(offset, record bytes)] of the central directory, and the end record's offset."""
    end = zip_bytes.rfind(b"PK\x05\x06")
    count, cd_size, cd_offset = struct.unpack("<HLL", zip_bytes[end + 10:end + 20])
    records, pos = [], cd_offset
    for _ in range(count):
        name_len, extra_len, comment_len = struct.unpack("<HHH", zip_bytes[pos + 28:pos + 34])
        size = 46 + name_len + extra_len + comment_len
        records.append(zip_bytes[pos:pos + size])
        pos += size
    return records, cd_offset, end


def overlapping(zip_bytes, kernel, copies):
    """Add `copies` directory entries that all point at `kernel`'s data (Fifield's bomb)."""
    records, cd_offset, end = central_directory(zip_bytes)
    kernel_record = next(r for r in records if r[46:46 + len(kernel)] == kernel.encode())
    extra = []
    for i in range(copies):
        name = "word/media/copy{:04d}.bin".format(i).encode()
        rec = bytearray(kernel_record[:46]) + name
        struct.pack_into("<HHH", rec, 28, len(name), 0, 0)
        extra.append(bytes(rec))
    records = records + extra
    directory = b"".join(records)
    tail = bytearray(zip_bytes[end:end + 22])
    struct.pack_into("<HHLL", tail, 8, len(records), len(records), len(directory), cd_offset)
    return zip_bytes[:cd_offset] + directory + bytes(tail)


def lying_sizes(zip_bytes, name, claimed):
    """Forge `name`'s declared inflated size (local header and central directory)."""
    data = bytearray(zip_bytes)
    info = zipfile.ZipFile(io.BytesIO(zip_bytes)).getinfo(name)
    struct.pack_into("<L", data, info.header_offset + 22, claimed)
    records, cd_offset, _ = central_directory(zip_bytes)
    pos = cd_offset
    for rec in records:
        if rec[46:46 + len(name)] == name.encode():
            struct.pack_into("<L", data, pos + 24, claimed)
        pos += len(rec)
    return bytes(data)


def goal_sheet(year):
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["目标", "节点", "牵头单位", "配合单位", "完成时限"])
    sheet.append(["城市更新", "完成方案编制", "区住建局", "区财政局", "{}-03-31".format(year)])
    sheet.append(["城市更新", "完成首批改造", "区住建局", "区城管局", "{}-09-30".format(year)])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def forged_dimension(xlsx, last_row=5000):
    """The sheet claims A1:XFD<last_row> and has one stray cell in its last row."""
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    xml = src.read("xl/worksheets/sheet1.xml").decode()
    start = xml.index("<dimension")
    xml = xml[:start] + '<dimension ref="A1:XFD{}"/>'.format(last_row) + \
        xml[xml.index("/>", start) + 2:]
    xml = xml.replace("</sheetData>", '<row r="{0}"><c r="XFD{0}" t="inlineStr"><is><t>x</t>'
                      '</is></c></row></sheetData>'.format(last_row))
    return replace_member(xlsx, "xl/worksheets/sheet1.xml", xml.encode())


def entity_expansion(xlsx):
    """workbook.xml with a DTD whose entity expands ten to the eighth times."""
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    xml = src.read("xl/workbook.xml").decode()
    dtd = ('<!DOCTYPE workbook [<!ENTITY a "' + "ha" * 50 + '">'
           + "".join('<!ENTITY {0} "{1}">'.format(chr(98 + i), ("&" + chr(97 + i) + ";") * 10)
                     for i in range(8)) + ']>')
    if xml.startswith("<?xml"):
        end = xml.index("?>") + 2
        xml = xml[:end] + dtd + xml[end:]
    else:
        xml = dtd + xml
    xml = xml.replace('name="Sheet"', 'name="&i;"', 1)
    assert "&i;" in xml and "<!ENTITY" in xml
    return replace_member(xlsx, "xl/workbook.xml", xml.encode())


def deflated(piece, size):
    """A zlib stream of `size` bytes repeating `piece` (size a multiple of len(piece)), made in
    a second for gigabytes: `piece` is deflated once, after a full flush (no reference to
    what came before), and that block is repeated; the checksum is computed as zlib would."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(piece) + packer.flush(zlib.Z_FULL_FLUSH)
    count = size // len(piece)
    checksum = 1
    for _ in range(count):
        checksum = zlib.adler32(piece, checksum)
    return b"\x78\xda" + block * count + zlib.compressobj(9, zlib.DEFLATED, -15).flush() + \
        struct.pack(">I", checksum)


PAGE = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>")


def raw_pdf(contents):
    """A minimal PDF, one page per content stream; `contents` holds bytes (stored as they
    are) or ("flate", deflated bytes). The pages' font F1 is Helvetica (no embedding)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", None,
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for content in contents:
        flate = isinstance(content, tuple)
        data = content[1] if flate else content
        flter = b" /Filter /FlateDecode" if flate else b""
        objects.append(b"<< /Length %d%s >>\nstream\n" % (len(data), flter) + data + b"\nendstream")
        objects.append(PAGE % len(objects))
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    return _assemble(objects)


def _assemble(objects):
    """The PDF file of numbered objects (1..n, object 1 the catalog) with its cross-reference table."""
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_form_flood(forms, drawings, size=15 * MB):
    """One page that draws `drawings` times ('/Xk Do') one of `forms` form XObjects, each a
    stream of `size` spaces deflated: pypdf reads a form inside a try that swallows errors, and
    decodes it again at each drawing."""
    data = deflated(b" " * MB, size)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", None, None,
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    names = []
    for k in range(forms):
        objects.append(b"<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /Font << /F1 5 0 R >> >> "
                       b"/Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream")
        names.append(b"/X%d %d 0 R" % (k, len(objects)))
    content = text_page("hello") + b"\n" + b"".join(b"/X%d Do\n" % min(i, forms - 1) for i in range(drawings))
    objects[2] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> "
                  b"/XObject << " + b" ".join(names) + b" >> >> /Contents 4 0 R >>")
    objects[3] = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
    return _assemble(objects)


def text_page(text):
    """A content stream that shows `text` (ASCII) in Helvetica."""
    return b"BT /F1 12 Tf 72 720 Td (" + text.encode("ascii") + b") Tj ET"


def pdf_flate_bomb(size=2 * 1024 * MB):
    """One page whose content stream is ~2 MB deflated and `size` (2 GiB) inflated."""
    return raw_pdf([("flate", deflated(b"\0" * MB, size))])


def pdf_stream_flood(pages=150, size=15 * MB):
    """Many pages, each stream just under a per-stream limit: ~2 GB inflated in all."""
    stream = ("flate", deflated(b" " * MB, size))
    return raw_pdf([stream] * pages)


def pdf_too_many_pages(pages):
    return raw_pdf([text_page("page")] * pages)


def pdf_long_text(chars):
    return raw_pdf([text_page("a" * chars)])


def pdf_image_only():
    """A scan: a page with a picture on it and no text (fpdf2, Pillow)."""
    from fpdf import FPDF
    from PIL import Image
    pdf = FPDF()
    pdf.add_page()
    pdf.image(Image.new("L", (400, 560), 200), x=10, y=10, w=190)
    return bytes(pdf.output())


def pdf_encrypted(text, user_password="secret"):
    """A text PDF under RC4 encryption; with `user_password` None only the owner's is set."""
    from tests.pdfs import MinutesPdf
    pdf = MinutesPdf()
    pdf.set_encryption(owner_password="owner", user_password=user_password)
    pdf.add_page()
    for line in text.strip().splitlines():
        pdf.paragraph(line)
    return bytes(pdf.output())


def pdf_garbage_xref(pdf):
    """The same PDF with its cross-reference table overwritten by junk."""
    start = pdf.rindex(b"xref")
    return pdf[:start] + b"xref\n0 9\nnot a table at all \x00\xff" * 4 + pdf[pdf.rindex(b"startxref"):]
