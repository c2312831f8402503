"""Writes the binary sample files of docs/api.md: a minutes .docx and .pdf, a goal sheet .xlsx.

    .venv/bin/python examples/samples/make_samples.py

The text samples (minutes-it.txt, goals-2030.csv) are kept as they are; run this after
changing the content below, and commit the files it writes next to it.
"""
import datetime as dt
import os

from docx import Document
from fpdf import FPDF
from openpyxl import Workbook

HERE = os.path.dirname(os.path.abspath(__file__))

SAFETY_MINUTES = [
    "集团安全生产专题会议纪要",
    "2030年3月1日，陈总主持召开集团安全生产专题会议。现纪要如下：",
    "一、关于安全检查",
]
SAFETY_TABLE = [
    ("序号", "工作任务", "责任单位", "完成时限"),
    ("1", "开展消防设施全面检查", "集团办公室", "2030年6月30日前"),
    ("2", "完成员工安全培训", "人力资源部", "2030年7月15日前"),
]
GOALS = [
    ("序号", "年度目标", "关键节点", "牵头单位", "配合单位", "完成时限"),
    (1, "人才强企", "完成校园招聘", "人力资源部", "", "4月30日前"),
    (None, None, "完成华东子公司岗位梳理", "华东运营部", "人力资源部", "2030-08-31"),
]


def write_docx(path):
    doc = Document()
    for text in SAFETY_MINUTES:
        doc.add_paragraph(text)
    table = doc.add_table(rows=0, cols=len(SAFETY_TABLE[0]))
    for row in SAFETY_TABLE:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = value
    doc.core_properties.created = doc.core_properties.modified = dt.datetime(2030, 3, 1)
    doc.save(path)


def write_pdf(path, font="/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"):
    """minutes-it.txt as a one-page text PDF (the font: Debian's fonts-wqy-microhei)."""
    with open(os.path.join(HERE, "minutes-it.txt"), encoding="utf-8") as f:
        lines = f.read().split("\n")
    pdf = FPDF(format="A4")
    pdf.set_creation_date(dt.datetime(2030, 3, 4, tzinfo=dt.timezone.utc))
    pdf.add_font("cjk", fname=font, collection_font_number=0)
    pdf.add_page()
    pdf.set_font("cjk", size=14)
    for line in filter(None, lines):
        pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(path)


def write_xlsx(path):
    book = Workbook()
    sheet = book.active
    sheet.title = "2030年度目标"
    for row in GOALS:
        sheet.append(list(row))
    book.save(path)


if __name__ == "__main__":
    write_docx(os.path.join(HERE, "minutes-safety.docx"))
    write_pdf(os.path.join(HERE, "minutes-it.pdf"))
    write_xlsx(os.path.join(HERE, "goals-2030.xlsx"))
