"""Read a list of unit names from where it starts: where each name ends, a name written short
(区住建、环保), names joined by 和, a region prefix written once and shared, and unit fields
('区住建、环保、城管等部门'); units.py decides where a list may start and what role it has.
"""

import re

from .unit_names import (ALLOWED_WORDS, NAMED_ROLE_SET_AT, forbidden_inside, has_region_prefix, has_unit_suffix,
                         is_generic_collective, starts_with_a_verb)

MAX_UNIT_LEN = 22

LIST_SEPARATORS = ("以及", "、", "和", "及", "/")
LIST_TAIL = re.compile(r"^(?:等(?:\d+个|[一二两三四五六七八九十]+个|多个)?(?:相关|有关)?(?:部门单位|部门和单位|职能部门|部门|单位|科室|处室)?"
                       r"|(?:\d+|[两二三四五六七八九十]+)(?:家|个)(?:子公司|公司|单位|部门|学院|科室|街道|镇))")
HEAD_OF_UNIT = ("主要负责人", "负责同志", "负责人", "主任", "分管领导", "一把手", "党政主要负责人")
PAREN = re.compile(r"^（[^（）]{1,10}）")


PUNCT = set("，。；：、！？（）“”‘’《》|\n ")
# What may follow a unit name: separators, role words, modals and the usual verbs.
_BOUNDARY_WORDS = tuple(sorted(set((
    "等", "和", "及", "以及", "与", "同", "会同", "联合", "协同", "牵头", "负责", "配合", "协助",
    "协办", "参加", "参与", "主抓", "主责", "承办", "作为", "为", "要", "须", "需", "应", "必须",
    "务必", "抓紧", "尽快", "立即", "马上", "及时", "于", "在", "对", "按", "根据", "结合", "研究",
    "制定", "组织", "统筹", "督促", "指导", "落实", "完成", "提出", "提交", "报送", "上报", "报",
    "起草", "编制", "拟定", "开展", "做好", "加快", "加强", "进一步", "切实", "认真", "继续", "全面",
    "具体", "共同", "积极", "主动", "密切", "将", "把", "就", "已", "已经", "也", "均", "分别",
    "要在", "安排", "拨付", "下达", "给予", "提供", "审核", "审定", "审查", "审批", "汇报", "衔接",
    "沟通", "对接", "联系", "协调", "明确", "确保", "保障", "推进", "推动", "启动", "实施", "建立",
    "完善", "修改", "细化", "梳理", "排查", "整改", "核实", "调研", "论证", "评估", "跟踪", "跟进",
    "配套", "筹集", "筹措", "负", "牵", "的", "提请", "征求", "同步", "今年", "本月", "本周", "下周",
    "年底", "会后", "按照", "依法", "依规", "严格", "重点", "同意", "派员", "派", "指派", "选派",
    "成立", "设置", "设立", "召开", "举办", "出台", "印发", "制订", "收集", "汇总", "编写", "形成", "准备", "承担",
    "主动", "加大", "争取", "力争", "做", "抓", "拿出", "清理", "处理", "督办", "跟踪", "一并",
    "尽早", "从速", "近期", "按时", "如期", "限期", "适时", "有序", "专题", "定期", "每月", "每季度",
    "从", "自", "每天", "每周",    # '工程部从5月10日起…', '质检部每周…'
    # an adverb of manner or a verb of passing on right after the subject: '集团安委会迅速组织…',
    # '各部门、直属公司迅速传达、学习…'
    "迅速", "全力", "持续", "扎实", "深入", "广泛", "集中", "着力", "狠抓", "抓好", "传达", "学习", "贯彻",
    "压实", "强化", "提升", "提高",
)), key=len, reverse=True))


def _is_cjk(ch):
    return "\u3400" <= ch <= "\u9fff" or ch.isdigit()


# A unit character followed by one that makes an ordinary word with it: cutting there
# would make '市属国企履行社' out of '市属国企履行社会责任'.
_SPLIT_WORDS = {"社会", "社区", "会议", "会商", "部署", "部分", "处理", "处置", "所有", "所在", "所需", "所得", "局面", "办理",
                "办法", "办公", "院校", "系统", "组织", "组建", "站位", "队伍", "室外", "校园", "委托",
                "厅堂", "科学", "科技", "馆藏", "村庄", "村民", "镇区", "乡镇", "会计", "会展",
                # a unit character before 长 makes a title ('由吴振华任组长'), not a unit
                "组长", "队长", "局长", "处长", "科长", "部长", "院长", "所长", "站长", "校长",
                "社长", "室长", "委长", "村长", "镇长", "乡长",
                # '由医务人员组成的队伍': a verb, not the end of a name
                "组成"}


def _boundary_ok(text, j):
    if j >= len(text):
        return True
    if text.startswith("组织部", j):
        return False   # '区委组织部': 组织 here names the department, it is no verb after 区委
    if LIST_TAIL.match(text[j:]) and text[j] != "等" or text.startswith(HEAD_OF_UNIT, j):
        return True
    if text[j] in PUNCT or not "\u3400" <= text[j] <= "\u9fff":
        return True
    return text.startswith(_BOUNDARY_WORDS, j)


def _strong_boundary(text, j, in_list=False):
    """After a bare abbreviation (区住建、 / 城管等) only list punctuation or role words will do."""
    if j >= len(text):
        return in_list
    if in_list and text[j] in "，。；）|":
        return True
    return text.startswith(("、", "等", "和", "及", "牵头", "负责", "配合", "协助", "协办", "会同",
                            "部门"), j)


# What follows a bare stem used as a subject ('财政要统筹…', '人社牵头', '国资要督促…').
# '应' counts only as the modal, not as the start of 应急/应用/应对/应收.
_SUBJECT_RIGHT = re.compile(r"^(?:要(?![求点素闻件道害紧塞地务员])|须|需要|必须|务必|应(?![急用对收付聘届征])|"
                            r"负责|牵头|会同|配合|协助|督促|联合|抓紧|尽快|切实|认真|进一步|加快|加强|做好|"
                            r"等(?:部门|单位)|、)")


def subject_boundary(text, j):
    return j < len(text) and bool(_SUBJECT_RIGHT.match(text[j:]))


# ---- recognising unit lists ---------------------------------------------------------

def _item_end(text, i, directory, in_list, lenient=False):
    """End of the unit item starting at i, or None.

    Preference: a directory name followed by a plausible boundary, then a generic
    name (unit word + boundary) or a list abbreviation, then - right after a word
    that introduces an actor (lenient) - a directory name or the shortest generic
    name even when the verb after it is not one we know.
    """
    if i >= len(text) or not _is_cjk(text[i]):
        return None
    role_set = NAMED_ROLE_SET_AT.match(text, i) if text.startswith("各", i) else None
    if role_set and _boundary_ok(text, role_set.end()):
        return role_set.end()   # '各被考核单位': 被 would otherwise end the name
    surfaces = directory.surfaces_at(text, i) if directory is not None else []
    for surface in surfaces:
        if _boundary_ok(text, i + len(surface)):
            return i + len(surface)
    generic, abbreviation, loose = _scan_item(text, i, directory, in_list, lenient)
    if surfaces and generic and generic > i + len(surfaces[0]) and \
            not (directory is not None and directory.match(text[i:generic]).code):
        return i + len(surfaces[0])  # '医务部约谈科室主任': the directory name is the unit
    if generic and abbreviation:
        # '区文化和旅游局' is one name; '区住建、环保' is a list of abbreviations
        if generic > abbreviation and text.startswith(("和", "及", "与"), abbreviation):
            return generic
        if generic == abbreviation + 2 and text.startswith(("部门", "单位"), abbreviation):
            return generic   # '市直各相关部门' is one phrase; clean_unit_name decides about 部门
        return min(generic, abbreviation)
    if generic or abbreviation:
        return generic or abbreviation
    if surfaces:
        return i + len(surfaces[0])
    return loose if lenient else None


_SHORT_BRACKET = re.compile(r"（[\u4e00-\u9fff、]{1,5}）")


def _scan_item(text, i, directory, in_list, lenient):
    """Grow a piece from i: (end of a generic name, end of an abbreviation, loose end)."""
    generic = abbreviation = loose = None
    limit = min(len(text), i + MAX_UNIT_LEN)
    # mask allowed words over the whole window first, so that a growing piece that has
    # only reached half of one ('区应' of '区应急局') is not cut at its forbidden '应'
    window = text[i:limit]
    for word in ALLOWED_WORDS:
        window = window.replace(word, "□" * len(word))
    inside = set()      # offsets inside a short bracket: no name ends there
    if text.startswith("各", i):
        # '各县（区）': a short bracket inside a named set belongs to its name
        for m in _SHORT_BRACKET.finditer(window):
            inside.update(range(m.start(), m.end() - 1))
        window = _SHORT_BRACKET.sub(lambda m: "□" * len(m.group(0)), window)
    for j in range(i + 1, limit + 1):
        piece = text[i:j]
        if not (_is_cjk(text[j - 1]) or window[j - 1 - i] == "□") or forbidden_inside(window[:j - i]):
            break
        if j - 1 - i in inside:
            continue
        if len(piece) >= 2 and has_unit_suffix(piece):
            if _boundary_ok(text, j) and text[j - 1:j + 1] not in _SPLIT_WORDS:   # not '准备所|需材料'
                generic = j
                break
            if loose is None and len(piece) >= 3 and text[j - 1:j + 1] not in _SPLIT_WORDS:
                loose = j
        if abbreviation is None and _is_abbreviation(text, j, piece, directory, in_list, lenient):
            abbreviation = j
    return generic, abbreviation, loose


def _is_abbreviation(text, j, piece, directory, in_list, lenient):
    """Whether piece (ending at j) is a unit written short: '区住建', a listed stem, '财政要…'."""
    if _strong_boundary(text, j, in_list):
        prefix = has_region_prefix(piece)
        core_len = len(piece) - (len(prefix) if prefix else 0)
        if (prefix and 2 <= core_len <= 5) or (in_list and 2 <= len(piece) <= 5):
            return True
        if directory is not None and 2 <= len(piece) <= 6 and directory.match(piece).code:
            return True
    # a bare function stem as subject ('财政要…', '国资要督促…', '自然资源要做好…')
    # or right after a word that introduces an actor ('会同水利，', '会同财政研究…');
    # a stem two units share is still a unit - the draft is flagged ambiguous_unit
    return directory is not None and 2 <= len(piece) <= 6 \
        and bool(subject_boundary(text, j) or lenient and _boundary_ok(text, j)) \
        and (directory.match_stem(piece).code or directory.match_stem(piece).status == "ambiguous")


def _split_joined(name):
    """'区财政局和区审计局' -> two units; '区文化和旅游局' stays one."""
    for sep in ("和", "及"):
        if sep in name:
            left, _, right = name.partition(sep)
            if has_unit_suffix(left) and len(right) >= 2 and (has_unit_suffix(right) or has_region_prefix(right)):
                return [left] + _split_joined(right)
    return [name]


# A company or bank goes by its own name ('区城管局、港华燃气公司'): a government
# region prefix in front of it would make a unit that does not exist.
_OWN_NAME_ENDINGS = ("公司", "银行", "支行", "分行")


def expand_prefix(names):
    """Share the first item's region prefix with later items written without one."""
    if not names:
        return names
    # a collective ('市级相关部门') lends no region to the names after it
    prefix = None if re.search(r"各|相关|有关", names[0]) else has_region_prefix(names[0])
    out = [names[0]]
    for name in names[1:]:
        if prefix and not has_region_prefix(name) and not name.startswith(("各", "全")) \
                and not (len(name) >= 4 and name.endswith(_OWN_NAME_ENDINGS)):
            out.append(prefix + name)
        else:
            out.append(name)
    return out


# A note in brackets after a name: '…成员单位（详见任务分工）', '（以下简称…）'.
_BRACKET_NOTE = re.compile(r"[（(][^（）()]*(?:详见|见附件|见附表|下同|简称|以下)[^（）()]*[）)]$")


def clean_unit_name(name):
    name = _BRACKET_NOTE.sub("", name)
    name = LIST_TAIL.sub("", name) if name.startswith("等") else name
    name = re.sub(r"等(?:相关|有关)?(?:部门单位|部门|单位)?$", "", name)
    if name.endswith("部门") and len(name) > 3 and not is_generic_collective(name) \
            and not re.search(r"(?:各|相关|有关|职能)$", name[:-2]):
        name = name[:-2]   # '市直各相关部门' keeps its noun: '市直各相关' names nothing
    return name.strip("，、；： ")


def parse_unit_list(text, i, directory, lenient=False):
    """Unit list starting at i -> (names, end) or (None, i)."""
    names, pos = [], i
    while True:
        end = _item_end(text, pos, directory, in_list=bool(names), lenient=lenient)
        if end is None:
            break
        paren = PAREN.match(text[end:])
        if paren and _boundary_ok(text, end + paren.end()):
            end += paren.end()
        names.extend(_split_joined(text[pos:end]))
        pos = end
        for sep in LIST_SEPARATORS:
            if text.startswith(sep, pos) and _item_end(text, pos + len(sep), directory, True):
                pos += len(sep)
                break
        else:
            break
    if not names:
        return None, i
    if len(names) == 1 and text.startswith(("和", "及", "与"), pos) and not has_unit_suffix(names[0]) \
            and not has_region_prefix(names[0]) and directory is not None \
            and directory.match_stem(names[0]).code:
        # a lone bare stem before 和 that starts no list is a noun ('教育和引导群众…')
        return None, i
    tail = LIST_TAIL.match(text[pos:])
    if tail and tail.end():
        pos += tail.end()
    names = [clean_unit_name(n) for n in names]
    names = [n for n in expand_prefix(names) if n and not is_generic_collective(n) and not starts_with_a_verb(n)]
    return (names or None), pos


_BRACKETED = re.compile(r"^[（(](?P<inner>[^（）()]{2,40})[）)]$")
_NOT_AN_ASSIGNMENT = re.compile(r"详见|见附|下同|简称|以下|供稿|撰稿|来源|摄|记者|通讯员")


def closing_unit_names(text, directory=None):
    """'（区民政局）' / '（区财政局、区审计局）' -> the unit names a bracket holds; [] unless it holds nothing else.

    A bracket after the last full stop of a numbered item names who does it (a work plan's
    closing assignment without the word 牵头); a bracket that also holds other words
    ('（市住建局办公室供稿）', '（以下简称区住建局）') names no one.
    """
    m = _BRACKETED.match(text)
    if not m or _NOT_AN_ASSIGNMENT.search(m.group("inner")):
        return []
    names, end = parse_unit_list(m.group("inner"), 0, directory)
    return names if names and end == len(m.group("inner")) else []


def split_unit_field(value, directory=None):
    """A field such as '区住建、环保、城管等部门' or '区住建局；区城管局' -> unit names."""
    if value is None:
        return []
    value = str(value).strip()
    if not value or value in ("无", "/", "-", "—"):
        return []
    parts = [p for p in re.split(r"[、，,；;/／\s]+|以及|及(?=[^时])", value) if p]
    names = []
    for part in parts:
        part = re.sub(r"^(?:由|请)", "", part)
        part = re.sub(r"(?:牵头|负责|配合|协办|参与|参加)$", "", part)
        for sub in _split_joined(part):
            sub = clean_unit_name(sub)
            if sub and not is_generic_collective(sub):
                names.append(sub)
    return expand_prefix(names)
