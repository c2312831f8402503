"""Reminder texts from templates: Chinese by default, replaceable per organisation.

A template is a `str.format` string over a fixed set of placeholders; an organisation's
template may use only those (checked when it is saved), so a reminder never fails to
render at send time.
"""
import string

PLACEHOLDERS = ("number", "title", "deadline", "when", "days", "due", "contact", "note")

DEFAULT_TEMPLATES = {
    "before": "【督办提醒】{number}「{title}」办理期限为{deadline}，{when}，请抓紧办理。联系人：{contact}。",
    "overdue": "【督办催办】{number}「{title}」已超期{days}天（期限{deadline}），请尽快办结并反馈。联系人：{contact}。",
    "feedback": "【反馈提醒】{number}「{title}」应于{due}报送进展反馈，请按时反馈。联系人：{contact}。",
    "feedback_late": "【反馈催报】{number}「{title}」进展反馈已逾期（应于{due}报送），请尽快补报。联系人：{contact}。",
    "manual": "【督办催办】{number}「{title}」（期限{deadline}，{when}）请抓紧办理并反馈。{note}",
}
KINDS = tuple(DEFAULT_TEMPLATES)
TITLE_LIMIT = 30  # an SMS is short: long titles are cut


def placeholders_of(template):
    """The names a template uses; ValueError if it is not a valid format string."""
    names = set()
    for _, name, spec, conversion in string.Formatter().parse(template):
        if name is None:
            continue
        if not name or not name.isidentifier() or spec or conversion:
            raise ValueError("only plain {name} placeholders are allowed")
        names.add(name)
    return names


def template_problems(template):
    """[] when a template is usable, else what is wrong with it."""
    try:
        unknown = placeholders_of(template) - set(PLACEHOLDERS)
    except ValueError as exc:
        return [str(exc)]
    if unknown:
        return ["unknown placeholder(s): " + ", ".join(sorted(unknown))]
    return []


def when_phrase(days_left):
    """'还剩3天' / '今天到期' / '已超期2天'."""
    if days_left > 0:
        return "还剩{}天".format(days_left)
    if days_left == 0:
        return "今天到期"
    return "已超期{}天".format(-days_left)


def short_title(title):
    title = (title or "").strip()
    return title if len(title) <= TITLE_LIMIT else title[:TITLE_LIMIT - 1] + "…"


def values(number, title, deadline, today, due=None, contact=None, note=None):
    """The placeholder values of one reminder (deadline and due are dates)."""
    days_left = (deadline - today).days if deadline else 0
    return {"number": number or "", "title": short_title(title),
            "deadline": deadline.isoformat() if deadline else "",
            "when": when_phrase(days_left), "days": str(abs(days_left)),
            "due": due.isoformat() if due else "", "contact": contact or "督办室",
            "note": note or ""}


def render(kind, params, templates=None):
    """The text of a reminder of `kind`, from the organisation's template or the default."""
    template = (templates or {}).get(kind) or DEFAULT_TEMPLATES[kind]
    return template.format_map(params)
