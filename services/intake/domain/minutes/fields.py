"""Task-breakdown fields and tables: '牵头单位：A；完成时限：B' lines and '| 序号 | 任务 | … |' rows."""

import re

from .deadlines import resolve_deadline_field, resolve_deadlines
from .leaders import person_name
from .merged_cells import align_rows
from ..model import make_draft
from .actions import units_of
from .confidence import confidence
from .unit_lists import split_unit_field
from .units import find_unit_mentions

FIELD_LABELS = {
    "lead": ("牵头单位", "牵头部门", "主责单位", "主责部门", "牵头处室", "牵头科室", "牵头"),
    "responsible": ("责任单位", "责任部门", "承办单位", "实施单位", "负责单位", "责任处室",
                    "责任科室", "责任主体"),
    "co": ("配合单位", "配合部门", "协办单位", "协办部门", "参与单位", "协助单位", "配合处室", "配合"),
    "deadline": ("完成时限", "完成时间", "整改时限", "整改期限", "时间节点", "办理时限", "完成期限", "截止时间",
                 "时限要求", "时限", "时间要求", "进度安排"),
    "leader": ("责任领导", "牵头领导", "分管领导", "督办领导", "分管县领导", "分管区领导", "分管市领导",
               "责任县领导", "责任区领导", "责任市领导", "牵头县领导", "牵头区领导", "牵头市领导", "包联领导",
               "联系领导", "县级领导", "区级领导", "市级领导"),
    "task": ("工作任务", "主要任务", "任务内容", "工作内容", "具体任务", "工作事项", "重点任务",
             "任务名称", "事项", "任务", "内容"),
    "number": ("序号", "编号"),
}
_ALL_LABELS = sorted(((label, key) for key, labels in FIELD_LABELS.items() for label in labels),
                     key=lambda item: len(item[0]), reverse=True)
_FIELD_RE = re.compile(
    "(?P<label>" + "|".join(re.escape(label) for label, _ in _ALL_LABELS) + r")\s*[：]\s*")
FIELD_LINE = re.compile(
    "^(?:" + "|".join(re.escape(label) for label, key in _ALL_LABELS if key != "task" or len(label) > 2)
    + r")\s*[：]")



def read_fields(text):
    """'牵头单位：A；完成时限：B' (inline or one per line) -> ({key: value}, task text)."""
    found = list(_FIELD_RE.finditer(text))
    if not found:
        return {}, text
    fields = {}
    task_text = text[:found[0].start()].strip("（(，；。 ")
    for k, m in enumerate(found):
        key = dict(_ALL_LABELS)[m.group("label")]
        end = found[k + 1].start() if k + 1 < len(found) else len(text)
        value = text[m.end():end].strip().strip("（）()；;，。 \n")
        if key == "task":
            task_text = (task_text + "。" + value).strip("。") if task_text else value
        elif value:
            fields[key] = value
    return fields, task_text


def has_unit_or_date_field(fields):
    return any(k in fields for k in ("lead", "responsible", "co", "deadline"))


def _field_units(task, fields, directory):
    """(lead, co) from the unit fields; with none, from the task's own prose."""
    lead = split_unit_field(fields.get("lead"))
    responsible = split_unit_field(fields.get("responsible"))
    co = split_unit_field(fields.get("co"))
    if not (lead or responsible or co) and not any(k in fields for k in ("lead", "responsible", "co")):
        # only a time-limit field ('…工程管理部牵头，审计部配合，逐一自查。整改时限：10月31日'):
        # the units are in the prose, read as in any sentence
        lead, co, _weak = units_of(find_unit_mentions(task, directory))
    if lead:
        return lead, responsible + co      # with a 牵头 column the 责任单位 support it
    return responsible, co                 # only 责任单位: the unit listed is the lead


def field_draft(task, fields, clause, leader, ctx):
    """One Draft from a task and its labelled fields (a breakdown block or a table row)."""
    lead, co = _field_units(task, fields, ctx.directory)
    if "deadline" in fields:
        info = resolve_deadline_field(fields["deadline"], ctx.meeting)
        info.deadline_text = info.deadline_text or fields["deadline"]
    else:
        info = resolve_deadlines(task, ctx.meeting, ctx.festival)
    leader_phrase = None
    if fields.get("leader"):
        leader, leader_phrase = person_name(fields["leader"].split("、")[0]), "责任领导：" + fields["leader"]
    lead_phrase = next((f"{label}：{fields[key]}" for key, label in (("lead", "牵头单位"), ("responsible", "责任单位"))
                        if fields.get(key)), None)
    draft = make_draft(task, lead, co, info, ctx.directory, leader=leader, clause=clause,
                       evidence={"lead": lead_phrase or (lead and lead[0]), "leader": leader_phrase})
    return confidence(draft, structured=True)


# Column heads that name the task only in a table: a 问题清单 (问题|责任单位|完成时限) lists
# problems to solve.  As inline fields ('问题：') they would catch ordinary prose.
TABLE_TASK_LABELS = ("问题", "存在问题", "问题描述", "问题表现", "反馈问题", "问题清单", "事项名称",
                     "项目名称", "项目", "重点工作", "工作措施", "具体措施", "主要措施", "主要工作", "工作安排",
                     "民生实事", "实事项目", "目标任务", "目标与任务", "工作目标", "建设内容", "项目内容", "主要内容")
# and the dates of a schedule (校历, 工作安排表): the row's work is due by the end of its dates
TABLE_DEADLINE_LABELS = ("起止日期", "起止时间", "日期", "时间")


def _column_of(cell):
    cell = cell.replace(" ", "")
    key = next((k for label, k in _ALL_LABELS if cell.startswith(label)), None)
    if key is None and cell in TABLE_TASK_LABELS:
        key = "task"
    if key is None and cell in TABLE_DEADLINE_LABELS:
        key = "deadline"
    return key


def find_header(rows):
    """(index of the header row among the first three, {field key: column}) or (None, {})."""
    for index, row in enumerate(rows[:3]):
        mapping = {}
        for col, cell in enumerate(row):
            key = _column_of(cell)
            if key and key not in mapping:
                mapping[key] = col
        if len(mapping) >= 2 and ("task" in mapping or "lead" in mapping or "responsible" in mapping):
            return index, mapping
    return None, {}


def table_drafts(table, ctx, leader):
    """A Table -> (drafts, warnings): one draft per row under a recognisable header."""
    rows = [r for r in table.rows if not all(re.fullmatch(r"[-:： ]*", c) for c in r)]
    header_index, columns = find_header(rows)
    if header_index is None:
        return [], ["table without a recognisable header skipped"]
    drafts = []
    body = align_rows(rows[header_index], rows[header_index + 1:], columns)
    for number, row in enumerate(body, start=1):
        def cell(key):
            col = columns.get(key)
            return row[col].strip() if col is not None and col < len(row) else ""
        task = cell("task")
        if not task:
            continue
        fields = {k: cell(k) for k in ("lead", "responsible", "co", "deadline", "leader") if cell(k)}
        ref = cell("number") or str(number)
        clause = (table.clause + ref) if table.clause else ref
        drafts.append(field_draft(task, fields, clause, leader, ctx))
    return drafts, []
