"""Words and small tests shared by the not-an-action rules and the action splitter."""

import re

from .deadlines import scan_phrases, resolve_deadlines

DECISION = re.compile(r"^(?:会议)?(?:原则同意|同意|决定|议定|要求|明确|确定|责成|批准|通过|认为应|提出)")
ACTION_WORDS = re.compile(
    r"要|须|需|应|务必|抓紧|尽快|确保|切实|进一步|加快|加强|做好|落实|推进|完成|制定|负责|牵头|配合|"
    r"督促|组织|开展|建立|完善|启动|实施|提交|报送|上报|研究|起草|编制|修改|拨付|安排|保障|协调|推动|"
    r"细化|梳理|排查|整改|核实|对接|衔接|办理|处理|审核|筹措|解决|跟进|督办|牵头|明确|同意|决定|议定")
APPROVAL = re.compile(r"^(?:会议)?(?:原则)?(?:同意|通过|批准)")
# A modal verb; '重要/主要/需要/纪要/简要/要求/要点' are words that merely contain 要.
# The marker of an item of a run-in list: '一是', or the numeral of '二要' (its 要 is left to be read as
# the modal); '统一要求', '三要素', '第一要务' are none.
LIST_MARK = r"[一二三四五六七八九十](?:是|(?=要(?![求点素闻件务])))"
MODAL_WORD = re.compile(r"(?<![重主需纪概提摘简扼])要(?![求点素闻件])|须|务必|应当|必须")
# What asks for something ('完成年度目标的57.2%' reports progress against a target: no ask).
ASKING = re.compile(r"确保|力争|争取|(?<!年度)(?<!全年)目标(?!的)|任务是|必须|务必|须|应当|要求|请")
# A clause opening on a collective that is no unit ('各级…', '相关…').
COLLECTIVE_START = re.compile(r"^(?:各|相关|有关|其他|所有)")
TASK_FILLER = re.compile(r"完成|开工|完工|到位|办结|落实|实现|形成|启动|之前|以前|前|内|底|末")


def blank_spans(text, spans):
    """Replace each (start, end) stretch of text by spaces, keeping offsets."""
    chars = list(text)
    for start, end in spans:
        for k in range(max(0, start), min(end, len(chars))):
            chars[k] = " "
    return "".join(chars)


def without_dates(text, meeting):
    """The text with every deadline phrase blanked out."""
    return blank_spans(text, [(start, end) for start, end, *_ in scan_phrases(text, meeting)])


def cjk_count(text):
    return len(re.findall(r"[\u4e00-\u9fff]", text))


# '工作时间节点是4月30日', '完成时限为5月31日': a date named as the limit without 前/底.
_NAMED_LIMIT = re.compile(r"(?:时间节点|节点|时限|完成时间|截止时间|截止日期|期限)(?:是|为|定为|：)$")


def is_time_limit(info, text):
    """Whether the deadline read from text limits the time: '…前/内/底/末/止', or a date named as the limit."""
    if not info.deadline:
        return False
    phrase = info.deadline_text or ""
    if re.search(r"前|内|底|末|止", phrase):
        return True
    at = text.find(phrase)
    if phrase.startswith(("于", "在")) and at >= 0 and _DELIVERED_BY.match(text[at + len(phrase):]):
        return True     # '并于7月4日提交书面报告': a day to deliver by
    return at > 0 and bool(_NAMED_LIMIT.search(text[max(0, at - 6):at]))


# What is delivered or finished on the day named ('于7月4日提交…', '在6月30日完成…'), not done then.
_DELIVERED_BY = re.compile(r"^(?:将[^，。；]{0,12}?)?(?:提交|报送|上报|报至|完成|办结|交至|报|提供|拿出|出台|印发)(?!了)")


def time_limited(text, meeting, verb=True):
    """A time limit ('…前', '…内', '…底'), with a verb of doing unless verb=False."""
    info = resolve_deadlines(text, meeting)
    return is_time_limit(info, text) and (not verb or bool(ACTION_WORDS.search(text)))


def own_task(text, meeting):
    """A clause that names a time limit and, beyond it, a task of its own (not '11月底前完工')."""
    if not time_limited(text, meeting):
        return False
    return cjk_count(TASK_FILLER.sub(" ", without_dates(text, meeting))) >= 4


# The words of who takes part and how, not what is done ('由A牵头，B配合', '按职责分工', '要抓紧').
ROLE_WORDS = re.compile(r"由|请|责成|牵头|负责|配合|协助|协办|会同|参加|参与|按职责分工|按照职责分工|等部门|等单位|"
                        r"具体|会议要求|会议同意|会议决定|原则同意|同意|要求|要|须|应|务必|抓紧|尽快|按时|如期|从速")


# Clauses of a run (runs.py, cut_model.py).
# What may stand before the verb of a new piece: a modal, adverbs of manner or urgency.
RUN_LEAD_IN = (r"(?:并且?|同时|还|也|另外|此外)?(?:要|须|必须|应当|应|需要|需|务必)?"
               r"(?:及时|切实|进一步|认真|抓紧|尽快|尽早|及早|立即|迅速|全面|积极|主动|统一|定期|限期|逐一|扎实|"
               r"着力|加快|同步|严格|规范|科学|精心|分类){0,2}")
# Something to hand in or stand up: a new piece that names one is a task of its own.
DELIVERABLE = re.compile(r"方案|台账|台帐|制度|预案|专班|清单|计划|办法|细则|名单|报告|领导小组|工作组|"
                         r"指挥部|机制|规划|意见|档案|措施")
# A sentence that reports what was done or is going on: no run of tasks to cut.
REPORTING = re.compile(r"了(?![解结])|召开|近日|日前|目前|截至|截止|已经|已(?!于)|正在")
# A purpose or basis clause, or a fronted object, after its subject and modal if any:
# '为加强管理，' / 'A要按照…要求，' / '对发现的问题，' is no task of its own before a cut.
PURPOSE = re.compile(r"^(?:[^，]{0,12}?(?:要|须|应当|应|必须|务必))?(?:为了?|按照|根据|依据|围绕|结合|对照|针对|本着|对于?)")
