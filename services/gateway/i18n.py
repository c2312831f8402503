"""The pages' two languages: Chinese by default, English when chosen (`?lang=en`, kept in
the `duban_lang` cookie). Statuses, categories, roles, actions and history actions come
in words from the shared vocabulary; the pages' own labels from `LABELS`.

In a template: `{{ t("ledger") }}`, `{{ word("statuses", item.status) }}`.
"""
import re

from shared.contracts import vocabulary as words

LANGS = ("zh", "en")
COOKIE = "duban_lang"

# the pages' own labels: key -> (zh, en); pages add theirs here
LABELS = {
    "brand": ("督办", "Duban"),
    "ledger": ("督办台账", "Ledger"),
    "intake": ("纪要导入", "Intake"),
    "dashboard": ("督办看板", "Dashboard"),
    "admin": ("系统管理", "Administration"),
    "my_items": ("我的事项", "My items"),
    "sign_in": ("登录", "Sign in"),
    "sign_out": ("退出", "Sign out"),
    "username": ("用户名", "Username"),
    "password": ("密码", "Password"),
    "language": ("English", "中文"),  # the link to the other language
}

TABLES = {
    "statuses": words.STATUSES,
    "categories": words.CATEGORIES,
    "roles": words.ROLES,
    "org_kinds": words.ORG_KINDS,
    "actions": words.ACTIONS,
    "history": words.HISTORY_ACTIONS,
    "cadences": words.CADENCES,
    "source_kinds": words.SOURCE_KINDS,
}


def lang_of(request):
    """The language asked for in the query, else the one remembered, else Chinese."""
    asked = request.args.get("lang") if request is not None else None
    if asked in LANGS:
        return asked
    kept = request.cookies.get(COOKIE) if request is not None else None
    return kept if kept in LANGS else "zh"


def translator(lang):
    index = LANGS.index(lang) if lang in LANGS else 0

    def t(key):
        pair = LABELS.get(key)
        return pair[index] if pair else key

    def word(table, code):
        entry = TABLES.get(table, {}).get(code)
        if entry is None:
            return code or ""
        return entry.zh if index == 0 else entry.en

    return t, word


def _take_in_page_labels():
    from .board_labels import LABELS as board  # the ledger, dashboard, admin and reports
    for key, pair in board.items():
        LABELS.setdefault(key, pair)


_take_in_page_labels()


# The validation messages a form most often meets (marshmallow's and the gateway's own),
# said in Chinese on a Chinese page; anything else stays as the service wrote it. The
# API answers in English either way.
SAID = [(re.compile(pattern), zh) for pattern, zh in (
    (r"^Invalid input$", "输入有误"),
    (r"^Invalid query$", "查询条件有误"),
    (r"^Missing data for required field\.$", "必填"),
    (r"^Unknown field\.$", "无此字段"),
    (r"^Field may not be null\.$", "不能为空"),
    (r"^Not a valid integer\.$", "须为整数"),
    (r"^Not a valid number\.$", "须为数字"),
    (r"^Not a valid string\.$", "须为文字"),
    (r"^Not a valid boolean\.$", "须为是或否"),
    (r"^Not a valid date: use YYYY-MM-DD, e\.g\. (\S+)\.$", r"日期写作 YYYY-MM-DD，如 \1"),
    (r"^Must be greater than or equal to (\S+) and less than or equal to (\S+)\.$",
     r"须在 \1 到 \2 之间"),
    (r"^Must be greater than or equal to (\S+)\.$", r"须不小于 \1"),
    (r"^Must be less than or equal to (\S+)\.$", r"须不大于 \1"),
    (r"^Length must be between (\d+) and (\d+)\.$", r"长度须为 \1 到 \2 个字"),
    (r"^Shorter than minimum length (\d+)\.$", r"至少 \1 个字"),
    (r"^Longer than maximum length (\d+)\.$", r"至多 \1 个字"),
    (r"^Must be one of: (.*)\.$", r"须为以下之一：\1"),
    (r"^Enter a whole number$", "请输入整数"),
    (r"^a whole number$", "须为整数"),
    (r"^The deadline is in the past$", "期限已过"),
    (r"^(\S+) is before today \((\S+)\)$", r"\1 早于今天（\2）"),
    (r"^A month is written YYYY-MM, e\.g\. (\S+)$", r"月份写作 YYYY-MM，如 \1"),
    (r"^Unknown org unit '(.*)'$", r"未知单位「\1」"),
    (r"^unknown org unit '(.*)': use a code such as FIN, or a unit's name or alias "
     r"\(GET /api/v1/org-units lists them\)$", r"未知单位「\1」：请填单位代码（如 FIN）、名称或别名"),
    (r"^The lead department cannot also co-operate$", "牵头部门不能同时是协办部门"),
    (r"^'(.*)' is the lead$", r"「\1」已是牵头部门"),
    (r"^An extension request is already waiting for a decision$", "已有一项延期申请在等待审批"),
    (r"^The current password is wrong$", "当前密码不正确"),
    (r"^wrong password$", "密码不正确"),
    (r"^Your role may not do this on this item$", "你的角色不能对此事项办理此项操作"),
    (r"^The record was changed by someone else at the same moment; reload it and try again$",
     "记录刚被他人修改，请刷新后重试"),
    (r"^The form expired or came from another site: reload the page and try again$",
     "表单已过期或来自其他网站，请刷新页面后重试"),
    (r"^Choose a person$", "请选择人员"),
    # tracking's and appraisal's rules
    (r"^The item is (\w+): it cannot (.+?)(?: \(only when it is (.+)\))?$",
     lambda m: _refused(*m.groups())),
    (r"^The new deadline must be after the current one$", "新期限须晚于现期限"),
    (r"^must be after (\S+)$", r"须晚于 \1"),
    (r"^A sub-item cannot be due after its parent$", "分解事项的期限不能晚于上级事项"),
    (r"^after the parent's deadline (\S+)$", r"晚于上级事项的期限 \1"),
    (r"^The parent item is (\w+)$", lambda m: "上级事项{}".format(_status(m.group(1)))),
    (r"^the parent item is not open$", "上级事项已不在办理中"),
    (r"^Unknown parent item$", "未知上级事项"),
    (r"^(A late|An at-risk) item's feedback must give the reason, the measures and a new plan$",
     lambda m: "{}事项的反馈须写明原因、措施和新计划".format(
         "逾期" if m.group(1) == "A late" else "有风险")),
    (r"^No (item|source|draft|appraisal|org unit|organisation|person|token|webhook|dead letter"
     r"|extension request|feedback) '?([^' ]*)'?(?: on item (\S+)| is known to notify)?$",
     lambda m: "未找到{}「{}」".format(_NOUNS[m.group(1)], m.group(2))),
    (r"^Not found$", "未找到"),
    (r"^one of: (.*)$", r"须为以下之一：\1"),
    (r"^expected YYYY-MM, got (.*)$", r"应写作 YYYY-MM，实为 \1"),
    (r"^expected YYYY-H1 or YYYY-H2, got (.*)$", r"应写作 YYYY-H1 或 YYYY-H2，实为 \1"),
    (r"^A half-year is written YYYY-H1 or YYYY-H2, e\.g\. (\S+)$",
     r"半年写作 YYYY-H1 或 YYYY-H2，如 \1"),
    (r"^required when the item is (late|at risk)$",
     lambda m: "事项{}时必填".format("逾期" if m.group(1) == "late" else "有风险")),
    (r"^The request was already (approved|rejected)$",
     lambda m: "该申请已{}".format({"approved": "批准", "rejected": "驳回"}[m.group(1)])),
    (r"^The deadline is too far away$", "期限过远"),
    (r"^more than ten years ahead$", "超过十年"),
    (r"^Progress must be between 0 and 100$", "进度须在 0 到 100 之间"),
    (r"^Quality must be between 0 and 100$", "质量评分须在 0 到 100 之间"),
    (r"^An item stays in its group$", "事项不能移出本集团"),
    (r"^The group itself cannot lead or co-operate on an item$", "集团本身不能牵头或协办事项"),
    (r"^'(.*)' is the group: choose one of its departments or subsidiaries$",
     r"「\1」是集团本身：请选择其部门或子公司"),
    (r"^The period (\S+) has not started$", r"考核期 \1 尚未开始"),
    (r"^The period (\S+) has not ended; it can be published from (\S+)$",
     r"考核期 \1 尚未结束，\2 起可以发布"),
    (r"^The month (\d{4})-(\d{2}) has not begun$",
     lambda m: "{}年{}月尚未开始".format(m.group(1), int(m.group(2)))),
    (r"^starts on (\S+)$", r"自 \1 起"),
    (r"^The appraisal is published and frozen$", "考核已发布，不能再改"),
    ("^({})$".format("|".join(words.STATUSES)), lambda m: _status(m.group(1))),
)]


_NOUNS = {"item": "事项", "source": "来源文件", "draft": "草稿", "appraisal": "考核",
          "org unit": "单位", "organisation": "单位", "person": "人员", "token": "令牌",
          "webhook": "订阅", "dead letter": "死信", "extension request": "延期申请",
          "feedback": "反馈"}


def _status(code):
    word = words.STATUSES.get(code)
    return "「{}」".format(word.zh) if word else code


_REFUSED = {w.en: w.zh for w in words.REFUSALS.values()}


def _refused(status, verb, allowed):
    """"The item is completed: it cannot take a progress report (only when it is issued or
    in_progress)" as a Chinese page says it."""
    text = "事项当前为{}，不能{}".format(_status(status), _REFUSED.get(verb, verb))
    if allowed:
        text += "（仅在{}时可以）".format("或".join(_status(s) for s in allowed.split(" or ")))
    return text


# The fields an error names, as a Chinese page names them ("月份：…", not "month: …").
FIELDS = {
    "month": "月份", "period": "考核期", "org": "单位", "format": "格式",
    "title": "标题", "content": "内容", "deadline": "期限", "new_deadline": "新期限",
    "lead_department": "牵头部门", "co_departments": "协办部门",
    "supervising_department": "督办部门", "responsible_person": "责任人",
    "assigning_leader": "交办领导", "category": "类别", "parent": "上级事项",
    "progress": "进度", "reason": "原因", "measures": "措施", "new_plan": "新计划",
    "quality": "质量评分", "status": "状态", "weights": "权重", "department": "部门",
    "points": "分值", "deadline_from": "期限起", "deadline_to": "期限止",
}


def field_name(key, lang="zh"):
    """An error's field as a page of `lang` names it."""
    return FIELDS.get(key, key) if lang == "zh" else key


def say(text, lang="zh"):
    """A validation message as a Chinese page shows it (see SAID); other text as it is."""
    if lang != "zh" or not isinstance(text, str):
        return text
    for pattern, zh in SAID:
        if pattern.match(text):
            return pattern.sub(zh, text)
    return text


class Said:
    """A DubanError as a page of `lang` shows it: its message and field messages said."""

    def __init__(self, exc, lang):
        self.message = say(exc.message, lang)
        self.fields = {k: [say(m, lang) for m in v] if isinstance(v, list) else v
                       for k, v in (exc.fields or {}).items()}
        self.status, self.code = exc.status, getattr(exc, "code", None)
