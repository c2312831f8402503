"""The labels of the item, "my items", item form and intake pages (zh, en), added to the
pages' one table (i18n.LABELS) when the gateway imports its routes."""
from . import i18n

LABELS = {
    # item facts
    "number": ("编号", "Number"), "title": ("事项名称", "Title"), "content": ("任务内容", "Content"),
    "status": ("状态", "Status"), "source": ("来源", "Source"), "lead": ("主责部门", "Lead department"),
    "co": ("协办部门", "Co-departments"), "supervising": ("督办部门", "Supervising department"),
    "responsible": ("责任人", "Responsible person"), "leader": ("交办领导", "Assigning leader"),
    "deadline": ("办理时限", "Deadline"), "original_deadline": ("原定时限", "Original deadline"),
    "due_by": ("实际截止日", "Due by (working day)"), "category": ("类别", "Category"),
    "completion_form": ("完成形式", "Completion form"),
    "completion_standard": ("完成标准", "Completion standard"),
    "cadence": ("反馈周期", "Feedback cadence"), "feedback_due": ("下次反馈", "Next feedback due"),
    "milestones": ("节点", "Milestones"), "children": ("分解事项", "Sub-items"),
    "parent": ("上级事项", "Parent item"), "progress": ("进度", "Progress"),
    "summary": ("办结情况", "Completion summary"), "quality": ("评价得分", "Quality"),
    "grade": ("等级", "Grade"), "overdue": ("逾期", "overdue"),
    "feedback_overdue": ("反馈逾期", "feedback overdue"),
    "feedback": ("进展反馈", "Feedback"), "extensions": ("延期申请", "Extension requests"),
    "history": ("办理留痕", "History"), "reminders": ("提醒与催办", "Reminders & chase"),
    "none": ("无", "none"), "at": ("时间", "At"), "actor": ("操作人", "By"),
    "reason": ("原因", "Reason"), "measures": ("措施", "Measures"), "new_plan": ("新计划", "New plan"),
    "comment": ("意见", "Comment"), "accurate": ("准确", "accurate"),
    "inaccurate": ("不准确", "inaccurate"), "unassessed": ("未评定", "not assessed"),
    "at_risk": ("有风险", "at risk"), "late": ("已逾期", "late"),
    "pending": ("待审批", "pending"), "approved": ("已批准", "approved"),
    "rejected": ("已驳回", "rejected"), "new_deadline": ("申请时限", "New deadline"),
    "changes": ("变更", "Changes"), "light_red": ("红灯", "red"),
    "light_yellow": ("黄灯", "yellow"), "light_green": ("绿灯", "green"),
    "actions": ("可办理操作", "What you can do"), "no_actions": ("当前无可办理的操作。",
                                                             "Nothing for you to do now."),
    "done": ("已完成：", "Done: "), "error_title": ("未能办理：", "Not done: "),
    # the actions that do not move the state (the others are words("actions"))
    "act_submit_feedback": ("反馈进展", "Report progress"),
    "act_request_extension": ("申请延期", "Request an extension"),
    "act_decide_extension": ("审批延期", "Decide the extension"),
    "act_assess_feedback": ("评定反馈", "Assess the feedback"),
    "act_update": ("修改事项", "Edit the item"),
    "approve": ("批准", "Approve"), "reject": ("驳回", "Reject"),
    "mark_accurate": ("准确", "Accurate"), "mark_inaccurate": ("不准确", "Inaccurate"),
    "required_if_late": ("逾期或有风险时必填", "required when late or at risk"),
    "declare_at_risk": ("申报有风险", "declare at risk"),
    # forms
    "new_item": ("新建事项", "New item"), "edit_item": ("修改事项", "Edit item"),
    "save": ("保存", "Save"), "create": ("立项", "Register"),
    "names_hint": ("可输入部门名称、简称或代码，多个用顿号或逗号分隔",
                   "type names, aliases or codes; separate several with 、 or ,"),
    "edit_reason": ("修改说明", "Reason for the change"),
    "responsible_reason": ("责任人不在主责部门的理由", "Why the responsible person is elsewhere"),
    "milestones_hint": ("每行一个：日期 节点名称", "one a line: date title"),
    # my items
    "my_title": ("我的事项", "My items"), "my_hint": ("本部门牵头或协办的督办事项",
                                                   "Items your departments lead or co-operate on"),
    # intake
    "paste": ("粘贴纪要", "Paste minutes"), "upload": ("上传文件", "Upload a file"),
    "meeting_date": ("会议日期", "Meeting date"), "parse": ("解析", "Parse"),
    "goals": ("年度目标", "Annual goals"), "year": ("年度", "Year"),
    "assignments": ("领导交办", "Leader assignments"), "add_rows": ("提交交办事项", "Submit"),
    "sources": ("最近导入", "Recent sources"), "kind": ("类型", "Kind"), "drafts": ("草稿", "Drafts"),
    "clause": ("条款", "Clause"), "task": ("任务", "Task"), "flags": ("提示", "Flags"),
    "confirm": ("确认立项", "Confirm drafts into items"), "drop": ("删除", "Drop"),
    "file": ("文件", "File"),
}

i18n.LABELS.update({k: v for k, v in LABELS.items() if k not in i18n.LABELS})
