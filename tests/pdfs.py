"""Text PDFs built in the tests with fpdf2 and a CJK TrueType font (ToUnicode maps included).

The font is WenQuanYi Micro Hei, a TrueType collection that scripts/ensure_test_tools.sh
installs from Debian's fonts-wqy-microhei; fpdf2 reads a collection's first face. Without
it the tests that build PDFs fail, naming the package: they never skip.
"""
import glob
import os

from fpdf import FPDF

FONT_GLOBS = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
              "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
              "/usr/share/fonts/**/wqy-microhei.ttc")
LINE = 8  # mm per line at 14 pt


def cjk_font():
    """The path of a CJK TrueType font, or an AssertionError that says how to get one."""
    for pattern in FONT_GLOBS:
        found = sorted(glob.glob(pattern, recursive=True))
        if found and os.path.isfile(found[0]):
            return found[0]
    raise AssertionError("no CJK TrueType font for the PDF tests: install Debian's fonts-wqy-microhei "
                         "(scripts/ensure_test_tools.sh does)")


class MinutesPdf(FPDF):
    """A4 pages in a CJK font, with an optional running header and a '- N -' page number footer."""

    def __init__(self, header="", footer="- {} -"):
        super().__init__(format="A4")
        self.running_header, self.footer_text = header, footer
        self.add_font("cjk", fname=cjk_font(), collection_font_number=0)
        self.set_auto_page_break(True, margin=20)

    def header(self):
        if self.running_header:
            self.set_font("cjk", size=9)
            self.cell(0, 6, self.running_header, align="C", new_x="LMARGIN", new_y="NEXT")
            self.ln(2)

    def footer(self):
        if self.footer_text:
            self.set_y(-15)
            self.set_font("cjk", size=10)
            self.cell(0, 10, self.footer_text.format(self.page_no()), align="C")

    def paragraph(self, text, align="L"):
        self.set_font("cjk", size=14)
        self.multi_cell(0, LINE, text, align=align, new_x="LMARGIN", new_y="NEXT")

    def near_page_end(self):
        """Move down so that only one line of the next paragraph fits on this page."""
        self.set_y(self.h - self.b_margin - LINE * 1.5)


def minutes_pdf(text, break_before=None, header="", footer="- {} -"):
    """A PDF of `text`, one paragraph a line, wrapped at the page width; the paragraph that
    starts with `break_before` starts one line above the page's end (so it straddles the break)."""
    pdf = MinutesPdf(header=header, footer=footer)
    pdf.add_page()
    for number, line in enumerate(text.strip().splitlines()):
        if break_before and line.startswith(break_before):
            pdf.near_page_end()
        pdf.paragraph(line, align="C" if number == 0 else "L")
    return bytes(pdf.output())
