"""The pages' two languages: Chinese by default, English when chosen (`?lang=en`, kept in
the `duban_lang` cookie). Statuses, categories, roles, actions and history actions come
in words from the shared vocabulary; the pages' own labels from `LABELS`.

In a template: `{{ t("ledger") }}`, `{{ word("statuses", item.status) }}`.
"""
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
