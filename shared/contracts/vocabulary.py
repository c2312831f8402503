"""Duban's one vocabulary: statuses, actions, categories, cadences and their words.

Defined once here and read by tracking (lifecycle, rules, contracts), intake
(confirmation), the gateway (URL paths, pages, OpenAPI) and the services to come.
Standard library only, so a pure domain module may import it.
"""
from collections import namedtuple

Word = namedtuple("Word", "code zh en")
Action = namedtuple("Action", "code path event zh en")


def _table(*words):
    return {w.code: w for w in words}


STATUSES = _table(
    Word("registered", "立项", "registered"),
    Word("issued", "已下达", "issued"),
    Word("in_progress", "办理中", "in progress"),
    Word("completion_requested", "申请办结", "completion requested"),
    Word("completed", "已办结", "completed"),
    Word("evaluated", "已评价", "evaluated"),
    Word("suspended", "已暂停", "suspended"),
    Word("cancelled", "已撤销", "cancelled"),
)

CATEGORIES = _table(
    Word("routine", "日常", "routine"),
    Word("urgent", "紧急", "urgent"),
    Word("key", "重点", "key"),
    Word("difficult", "难办", "difficult"),
)

CADENCES = _table(
    Word("none", "不定期", "none"),
    Word("weekly", "每周", "weekly"),
    Word("biweekly", "每两周", "every two weeks"),
    Word("monthly", "每月", "monthly"),
    Word("quarterly", "每季度", "quarterly"),
)

SOURCE_KINDS = _table(
    Word("minutes", "会议纪要", "meeting minutes"),
    Word("leader_assignment", "领导交办", "leader assignment"),
    Word("annual_goal", "年度目标", "annual goal"),
    Word("manual", "直接立项", "entered directly"),
)

ORG_KINDS = _table(
    Word("group", "集团", "group"),
    Word("subsidiary", "子公司", "subsidiary"),
    Word("department", "部门", "department"),
)

ROLES = _table(
    Word("admin", "管理员", "administrator"),
    Word("office", "督办人员", "supervising office"),
    Word("leader", "领导", "leader"),
    Word("contact", "联系人", "department contact"),
    Word("viewer", "查看", "viewer"),
)

# State-moving actions: the action's code (RPC), its URL segment under
# /api/v1/items/{id}/, and the event it publishes.
ACTIONS = {a.code: a for a in (
    Action("issue", "issue", "item.issued", "下达", "issue"),
    Action("accept", "accept", "item.accepted", "签收", "accept"),
    Action("request_completion", "completion-request", "item.completion_requested",
           "申请办结", "request completion"),
    Action("complete", "complete", "item.completed", "办结", "complete"),
    Action("return", "return", "item.returned", "退回", "return"),
    Action("evaluate", "evaluate", "item.evaluated", "评价", "evaluate"),
    Action("cancel", "cancel", "item.cancelled", "撤销", "cancel"),
    Action("suspend", "suspend", "item.suspended", "暂停", "suspend"),
    Action("resume", "resume", "item.resumed", "恢复", "resume"),
)}
ACTION_BY_PATH = {a.path: a for a in ACTIONS.values()}

# What an item in the wrong state cannot undergo, in the words of tracking's refusal
# ("The item is completed: it cannot take a progress report") and of a Chinese page
# ("不能反馈进展"): every action the lifecycle checks.
REFUSALS = _table(
    Word("submit_feedback", "反馈进展", "take a progress report"),
    Word("request_extension", "申请延期", "take an extension request"),
    Word("decide_extension", "审批延期", "have an extension decided"),
    Word("assess_feedback", "评定反馈", "have feedback assessed"),
    Word("update", "修改", "be corrected"),
    Word("issue", "下达", "be issued"),
    Word("accept", "签收", "be accepted"),
    Word("request_completion", "申请办结", "be reported complete"),
    Word("complete", "办结", "be completed"),
    Word("return", "退回", "be returned"),
    Word("evaluate", "评价", "be evaluated"),
    Word("cancel", "撤销", "be cancelled"),
    Word("suspend", "暂停", "be suspended"),
    Word("resume", "恢复", "be resumed"),
)

# What the history of an item records, in words (the state-moving actions above, plus these).
HISTORY_ACTIONS = _table(
    Word("register", "立项", "registered"),
    Word("update", "修改事项", "corrected"),
    Word("feedback", "反馈进展", "progress reported"),
    Word("feedback_assessed", "评定反馈准确性", "feedback assessed"),
    Word("feedback_overdue", "反馈逾期", "feedback overdue"),
    Word("extension_requested", "申请延期", "extension requested"),
    Word("extension_decided", "审批延期", "extension decided"),
    Word("deadline_changed", "变更时限", "deadline changed"),
    Word("overdue", "逾期", "overdue"),
    *(Word(a.code, a.zh, a.en) for a in ACTIONS.values()),
)

# Every item event type tracking publishes (docs/events.md describes each).
ITEM_EVENTS = tuple(sorted({a.event for a in ACTIONS.values()} | {
    "item.registered", "item.updated", "item.feedback_submitted", "item.feedback_assessed",
    "item.feedback_overdue", "item.extension_requested", "item.extension_decided",
    "item.deadline_changed", "item.overdue", "item.registration_rejected",
}))


def label(table, code, lang="zh"):
    """The word for a code in a language ('zh' or 'en'); the code itself if unknown."""
    word = table.get(code)
    return getattr(word, lang) if word is not None else code
