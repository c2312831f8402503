"""The documents offices circulate: the monthly report and the appraisal as .docx and .xlsx.

.docx: title, summary paragraph, the tables, the overdue list, and a chart (PNG).
.xlsx: one sheet per table; the first sheet carries a native bar chart.
"""
import io

from docx import Document
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font

from .charts import bar_chart

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
KIND_LABELS = {"supervising_leader_talk": "分管领导约谈", "principal_leader_talk": "主要领导约谈",
               "inaction": "无为问责"}
STATUS_LABELS = {"scored": "已评分", "no_items_due": "无到期事项"}


def pct(value):
    return "—" if value is None else "{:.2f}%".format(value)


def num(value):
    return "—" if value is None else "{:.2f}".format(value)


def signed(value):
    return "—" if value is None else "{:+.2f}".format(value)


# ---------------------------------------------------------------- the tables

def report_tables(content):
    """[(title, header, rows)] of a monthly report; the same tables in both formats."""
    departments = [[r["name"], r["subsidiary"] or "—", r["due"], r["on_time"], r["late"],
                    r["overdue_open"], r["in_progress"], pct(r["on_time_rate"]),
                    pct(r["previous_on_time_rate"]), signed(r["change"]), r.get("chases", 0)]
                   for r in content["departments"]]
    units = [[s["name"], s["due"], s["on_time"], s["late"], s["overdue_open"], s["in_progress"],
              pct(s["on_time_rate"]), pct(s["previous_on_time_rate"]), signed(s["change"]),
              s.get("chases", 0)]
             for s in content["subsidiaries"]]
    t = content["total"]
    units.append(["合计（{}）".format(content["org_name"]), t["due"], t["on_time"], t["late"],
                  t["overdue_open"], t["in_progress"], pct(t["on_time_rate"]),
                  pct(t["previous_on_time_rate"]), signed(t["change"]), t.get("chases", 0)])
    overdue = [[o["number"], o["title"], o["department_name"], o["deadline"],
                o["original_deadline"], o["completed_on"] or "未完成", o["days_late"],
                o["reason"] or "未说明", o["new_plan"] or "—", o.get("chases", 0)]
               for o in content["overdue"]]
    return [
        ("部门完成情况", ["部门", "所属单位", "到期事项", "按期完成", "逾期完成", "逾期未完成",
                    "在办", "按期完成率", "上月按期完成率", "变化（百分点）", "催办次数"],
         departments),
        ("单位汇总", ["单位", "到期事项", "按期完成", "逾期完成", "逾期未完成", "在办",
                  "按期完成率", "上月按期完成率", "变化（百分点）", "催办次数"], units),
        ("逾期事项", ["编号", "事项", "责任部门", "办理时限", "原定时限", "完成日期", "逾期天数",
                  "逾期原因", "下步计划", "催办次数"], overdue),
    ]


def appraisal_tables(view):
    rules = view["rules"]
    header = (["排名", "部门", "所属单位", "得分"] + [r["label"] for r in rules]
              + ["人工调整", "计划执行率", "催办次数", "状态"])
    results = [[d["rank"] if d["rank"] is not None else "—", d["name"], d["subsidiary"] or "—",
                num(d["score"])] + [num(d["values"].get(r["key"])) for r in rules]
               + [signed(d["adjustment"]) if d["adjustment"] else "—",
                  pct(d["plan_execution_rate"]), d.get("chases", 0),
                  STATUS_LABELS.get(d["status"], d["status"])]
               for d in view["departments"]]
    names = {d["code"]: d["name"] for d in view["departments"]}
    records = [[names.get(r["department"], r["department"]), KIND_LABELS.get(r["kind"], r["kind"]),
                evidence_text(r)] for r in view["accountability"]]
    adjustments = [[names.get(a["department"], a["department"]), signed(a["points"]), a["reason"],
                    a["actor"], a["at"]] for a in view["adjustments"]]
    weights = [[r["label"], r["weight"]] for r in rules]
    return [
        ("考核结果", header, results),
        ("问责名单", ["部门", "类型", "依据"], records),
        ("人工调整", ["部门", "分值", "理由", "操作人", "时间"], adjustments),
        ("权重", ["指标", "权重"], weights),
    ]


def evidence_text(record):
    e = record["evidence"]
    if record["kind"] in ("supervising_leader_talk", "principal_leader_talk"):
        text = "排名第{}（共{}个参评部门），得分{}".format(e["rank"], e["ranked"], num(e["score"]))
        if "previous" in e:
            text += "；{}考核亦排名末位".format(e["previous"]["period"])
        return text
    parts = []
    if e.get("silent"):
        parts.append("{}项事项超过{}天未反馈（{}）".format(
            e["silent"]["count"], e["thresholds"]["silent_days"],
            "、".join(i["number"] for i in e["silent"]["items"][:10])))
    if e.get("unexplained_overdue"):
        parts.append("{}项逾期事项未说明原因（{}）".format(
            e["unexplained_overdue"]["count"],
            "、".join(i["number"] for i in e["unexplained_overdue"]["items"][:10])))
    if e.get("unanswered_chases"):
        chases = e["unanswered_chases"]
        parts.append("{}次催办{}天内未回应（{}）".format(
            chases["count"], e["thresholds"]["chase_answer_days"],
            "、".join("{}于{}".format(c["number"] or c["item_id"], c["chased_on"])
                     for c in chases["items"][:10])))
    return "；".join(parts)


# ---------------------------------------------------------------- .docx

def _docx_table(document, header, rows):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = "" if value is None else str(value)
    return table


def _document(title):
    document = Document()
    style = document.styles["Normal"]
    style.font.size = Pt(10.5)
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", "SimSun")
    document.add_heading(title, level=1)
    return document


def _save(document):
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def report_title(content):
    year, month = content["month"].split("-")
    return "{}督办事项{}年{}月完成情况通报".format(content["org_name"], year, int(month))


def report_docx(content):
    document = _document(report_title(content))
    document.add_paragraph(content["summary"])
    for title, header, rows in report_tables(content):
        document.add_heading(title, level=2)
        if rows:
            _docx_table(document, header, rows)
        else:
            document.add_paragraph("无。")
    rows = [r for r in content["departments"] if r["due"]]
    if rows:
        document.add_heading("按期完成率", level=2)
        png = bar_chart("各部门按期完成率", [("按期完成率", [r["on_time_rate"] for r in rows])],
                        [r["name"] for r in rows])
        document.add_picture(io.BytesIO(png), width=Cm(16))
    return _save(document)


def appraisal_title(view):
    year, half = view["period"].split("-")
    return "{}年{}督办工作考核结果（{}）".format(year, "上半年" if half == "H1" else "下半年",
                                         view["org"])


def appraisal_docx(view):
    document = _document(appraisal_title(view))
    scored = [d for d in view["departments"] if d["score"] is not None]
    document.add_paragraph(
        "考核截至{}，{}个部门参评，{}个部门无到期事项不参与评分。状态：{}。".format(
            view["as_of"], len(scored), len(view["departments"]) - len(scored),
            "已发布" if view["status"] == "published" else "草稿"))
    for title, header, rows in appraisal_tables(view):
        document.add_heading(title, level=2)
        if rows:
            _docx_table(document, header, rows)
        else:
            document.add_paragraph("无。")
    if scored:
        document.add_heading("得分与按期完成率", level=2)
        png = bar_chart("各部门得分与按期完成率",
                        [("得分", [d["score"] for d in scored]),
                         ("按期完成率", [d["on_time_rate"] for d in scored])],
                        [d["name"] for d in scored], unit="分 / %")
        document.add_picture(io.BytesIO(png), width=Cm(16))
    return _save(document)


# ---------------------------------------------------------------- .xlsx

def _workbook(tables):
    book = Workbook()
    book.remove(book.active)
    for title, header, rows in tables:
        sheet = book.create_sheet(title)
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
        for index, text in enumerate(header, start=1):
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = \
                max(10, 2 * len(str(text)) + 2)
    return book


def _chart(sheet, title, label_col, value_cols, rows, anchor):
    chart = BarChart()
    chart.title = title
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
    for col in value_cols:
        chart.add_data(Reference(sheet, min_col=col, min_row=1, max_row=rows + 1),
                       titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=label_col, min_row=2, max_row=rows + 1))
    chart.width, chart.height = 18, 8
    sheet.add_chart(chart, anchor)


def _save_book(book):
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_xlsx(content):
    book = _workbook(report_tables(content))
    sheet = book["部门完成情况"]
    rows = len(content["departments"])
    if rows:
        # the chart reads numbers: a hidden helper column with the rate as a number
        sheet.cell(1, 12, "按期完成率（数值）")
        for i, r in enumerate(content["departments"], start=2):
            sheet.cell(i, 12, r["on_time_rate"])
        _chart(sheet, "各部门按期完成率", 1, [12], rows, "N2")
    return _save_book(book)


def appraisal_xlsx(view):
    book = _workbook(appraisal_tables(view))
    sheet = book["考核结果"]
    rows = len(view["departments"])
    if rows:
        base = len(appraisal_tables(view)[0][1]) + 2
        sheet.cell(1, base, "得分（数值）")
        sheet.cell(1, base + 1, "按期完成率（数值）")
        for i, d in enumerate(view["departments"], start=2):
            sheet.cell(i, base, d["score"])
            sheet.cell(i, base + 1, d["on_time_rate"])
        _chart(sheet, "各部门得分与按期完成率", 2, [base, base + 1], rows,
               sheet.cell(2, base + 3).coordinate)
    return _save_book(book)
