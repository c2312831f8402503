"""Find org-unit phrases in a clause, give each its role (lead / co / neither) and match it to the directory.

A unit is recognised by its form (a directory name or alias, a name ending in a unit
word such as 局/委/办/部/处/中心/公司, or a region prefix plus an abbreviation such
as 区住建), and only where the grammar puts an actor: at the start of a segment, or
after a word that introduces one (由, 请, 责成, 会同, 与, 报 ...).  The words on
either side decide the role; see `_role`.

Matching a phrase to the directory (names, aliases, abbreviations, bare function
stems such as '财政', '人社') is `directory.py`'s job.

Collectives.  各 + a kind of unit (各乡镇, 各子公司), a role the task list defines
(各牵头单位, 各被考核单位, 各项目责任单位) or a government level with bracketed variants
(各县（市、区）政府 - its 、 separates no units) is a named set and kept as written;
各部门 / 各成员单位 / 各有关单位 are generic, also behind a scope (市直各相关部门,
市安委会各成员单位).  A unit before '检查发现的…' only qualifies a noun; '办公室设在B' hands
the work to B; '公司法务风控部' is the directory's 法务风控部.
"""

import re
from dataclasses import dataclass

from .unit_names import (ALLOWED_WORDS, NAMED_ROLE_SET_AT, REGION_PREFIXES, forbidden_inside, has_region_prefix,
                         has_unit_suffix, is_generic_collective, starts_with_a_verb)

MAX_UNIT_LEN = 22

LIST_SEPARATORS = ("以及", "、", "和", "及", "/")
LIST_TAIL = re.compile(r"^(?:等(?:\d+个|[一二两三四五六七八九十]+个|多个)?(?:相关|有关)?(?:部门单位|部门和单位|职能部门|部门|单位|科室|处室)?"
                       r"|(?:\d+|[两二三四五六七八九十]+)(?:家|个)(?:子公司|公司|单位|部门|学院|科室|街道|镇))")
HEAD_OF_UNIT = ("主要负责人", "负责同志", "负责人", "主任", "分管领导", "一把手", "党政主要负责人")
PAREN = re.compile(r"^（[^（）]{1,10}）")

# Words that introduce an actor on their right; longest first when matching.
# After these the unit is the doer only if no actor came before it in the sentence
# ('督促区住建局…' vs '区住建局要督促施工单位…').
LEFT_OBJECT = ("组织", "协调", "召集", "指导", "推动", "动员", "督促", "要求", "希望", "明确", "确定", "指定")
# Of these, the ones whose object is organised, guided or brought together rather than
# told to act: '组织专家组对…开展回头看', '指导各乡镇做好…', '协调经开区完成…', '召集各局处…'.
LEFT_ORGANISED = ("组织", "协调", "召集", "指导", "推动", "动员")
LEFT_LEAD = ("设在", "会议要求", "会议明确", "会议决定", "会议议定", "明确由", "交由", "具体由", "统一由",
             "主要由", "仍由", "暂由", "再由", "由", "并请", "另请", "请", "责成", "责令", "委托",
             "授权", "交", "确定由")
LEFT_APPROVE = ("会议原则同意", "会议同意", "原则同意", "同意", "批准", "支持")
LEFT_ASSISTED = ("协助", "配合", "支持配合", "帮助配合")
LEFT_CO = ("会同", "联合", "协同")
LEFT_EXCLUDE = ("与", "同", "跟", "和", "向", "报请", "报送", "上报", "呈报", "提请", "提交",
                "报", "征求", "经", "商请", "商", "送", "抄送", "请示", "安排", "拨付", "下达",
                "给予", "补助", "支付", "给", "对", "为", "由于", "通过", "听取", "邀请", "会商")
LEFT_NEUTRAL = ("一是", "二是", "三是", "四是", "五是", "六是", "七是", "八是", "九是", "十是",
                "其中", "并", "同时", "另外", "此外", "具体", "下一步", "今后", "近期", "目前",
                "当前", "首先", "其次", "最后", "然后", "随后", "此后", "为此", "对此", "会后",
                "会议", "且")
# '在A设置办公室': a place, which is a unit only when it hosts the office that does the work.
LEFT_PLACE = ("在",)
_LEFT_WORDS = sorted(set(LEFT_LEAD + LEFT_OBJECT + LEFT_APPROVE + LEFT_ASSISTED + LEFT_CO + LEFT_EXCLUDE
                         + LEFT_NEUTRAL + LEFT_PLACE), key=len, reverse=True)
_LEFT_BY_FIRST = {}
for _word in _LEFT_WORDS:
    _LEFT_BY_FIRST.setdefault(_word[0], []).append(_word)


def _left_word_at(text, i):
    return next((w for w in _LEFT_BY_FIRST.get(text[i], ()) if text.startswith(w, i)), None)

CO_RIGHT = re.compile(
    r"^(?:要|须|需|应|也要|均要)?(?:积极|全力|主动|密切|紧密|全面|切实)?(?:做好|搞好)?(?:配合|协助|协办|参与|参加|协同)"
    r"|^(?:按职责分工|按照职责分工|按各自职责|按照各自职责|按职责|按照职责|根据职责|各负其责|分工负责)")
LEAD_STRONG_RIGHT = re.compile(r"^(?:为牵头单位|作为牵头单位|牵头|负责(?!同志|人)|主抓|主责|承办|具体负责|全面负责|总牵头|会同|联合)")
# ('安全环保部派员督导': a unit that sends someone to oversee supervises as well)
SUPERVISE_RIGHT = re.compile(r"^(?:负责|具体负责|派员|派人|派专人)?(?:全程|现场)?(?:跟踪)?(?:督导|监督|督促|指导|跟踪督办|督办|把关)(?:工作)?(?:[，。；]|$)")
# '支持A提出的…' approves A's proposal; '支持A改革' only helps A.
SUPPORTED_PROPOSES = re.compile(r"^(?:提出|提交|申报|申请|报送|上报|拟|关于)")
# '在A设置办公室并负责…' / '在A设立专班办公室': A hosts the office that does the work.
HOSTS_AN_OFFICE_RIGHT = re.compile(r"^(?:设置|设立)[^，。；]{0,8}办公室")
TOGETHER_RIGHT = re.compile(r"^(?:共同|一起|联合)")
# '所需经费由', '项目资金由' before a unit: it funds the action rather than doing it.
FUNDING_BEFORE = re.compile(r"(?:经费|资金|费用|预算)$")
# 'A检查发现的3项问题要立即整改': A only qualifies the problems (a relative clause ending
# in 的); whoever fixes them is not A.
ATTRIBUTIVE_RIGHT = re.compile(r"^(?:在|此前|上次|近期|日前)?(?:检查|巡察|巡视|督查|审计|暗访|调研|排查|评估|考核)?"
                               r"(?:发现|反馈|反映|指出|通报|交办|移交|转办)的")

_PUNCT = set("，。；：、！？（）“”‘’《》|\n ")
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
    if text[j] in _PUNCT or not "\u3400" <= text[j] <= "\u9fff":
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


_ORG_ENDINGS = ("公司", "厂", "中心", "集团", "矿", "站", "场", "院", "所", "社", "店")


def _subject_boundary(text, j):
    return j < len(text) and bool(_SUBJECT_RIGHT.match(text[j:]))


@dataclass
class UnitMention:
    """One unit list found in a clause, with its role."""

    names: list
    start: int
    end: int
    role: str = "lead"          # lead | co | proposer | supervise | funder | excluded
    strong: bool = False
    left_word: str = ""
    right_text: str = ""


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
        and bool(_subject_boundary(text, j) or lenient and _boundary_ok(text, j)) \
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


def _role(left, right, at_segment_start):
    """Role of a unit list from the words around it; returns (role, strong)."""
    if CO_RIGHT.match(right):
        return "co", False
    if SUPERVISE_RIGHT.match(right):
        # '由医务部负责督导' oversees an action others do; '督查室负责跟踪督办' alone is the
        # action itself - minutes._units_of decides which by looking for another lead
        return "supervise", True
    if left in ("与", "同", "跟", "和") and TOGETHER_RIGHT.match(right):
        return "lead", True     # 'A与B共同负责': B shares the lead
    if left in LEFT_CO:
        return "co", False
    if left in LEFT_ASSISTED:
        return "lead", True
    if left in LEFT_LEAD:
        return "lead", True
    if left in LEFT_OBJECT:
        return "lead", False
    if left == "支持" and not SUPPORTED_PROPOSES.match(right):
        return "excluded", False    # '要支持二级学院改革': who is supported is a beneficiary
    if left in LEFT_APPROVE:
        return "proposer", True
    if LEAD_STRONG_RIGHT.match(right) and left not in LEFT_EXCLUDE:
        return "lead", True
    if left in LEFT_EXCLUDE:
        return "excluded", False
    if at_segment_start or left in LEFT_NEUTRAL:
        return "lead", False
    return "excluded", False


def mask_titles(text):
    """Hide document titles and quotations (《…》, “…”) so no unit is read inside them."""
    return re.sub(r"《[^》]*》|“[^”]*”", lambda m: m.group(0)[0] + "□" * (len(m.group(0)) - 2) + m.group(0)[-1], text)


def find_unit_mentions(text, directory=None):
    """All unit lists in a clause, left to right, with their roles.

    A list may only start at a segment start, after punctuation, or right after a
    word that introduces an actor (由, 请, 会同, 与, 报 ...): this keeps '意区交通局'
    out of '同意区交通局' and stops verbs from being read as units.
    """
    masked = mask_titles(text)
    mentions, i = [], 0
    segment_start = 0
    left = None
    while i < len(masked):
        if masked[i] in "，。；：！？|\n":
            segment_start, left = i + 1, None
            i += 1
            continue
        head = masked[segment_start:i].strip()
        at_start = head in ("", "（", "“") or bool(_LEADING_DATE.fullmatch(head))
        word = _function_word(masked, i, segment_start, at_start, directory)
        if word and parse_unit_list(masked, i + len(word), directory, lenient=True)[0]:
            # '报集团党委审定': the function word comes first, the unit after it
            left = word
            i += len(word)
            continue
        if at_start or left is not None or masked[i - 1] in _PUNCT:
            names, end = parse_unit_list(masked, i, directory, lenient=left is not None
                                         and left not in LEFT_NEUTRAL)
            if names:
                mentions.append(_mention(masked, names, i, end, left, segment_start, at_start,
                                         mentions, directory))
                i, left = end, None
                continue
        if word:
            left = word
            i += len(word)
            continue
        left = None
        i += 1
    return mentions


# A time limit opening a clause before its subject: '8月7日前A村、B村要完成…'.
_LEADING_DATE = re.compile(r"(?:(?:20\d{2}年)?\d{1,2}月(?:\d{1,2}日|底|末|中旬|上旬|下旬)?|本周|下周|本月底?|年底)"
                           r"(?:之前|以前|前)")
# A verb that creates a body: the unit right after it is what gets set up.
_SET_UP_BEFORE = re.compile(r"(?:成立|组建|设立|筹建|建立)(?!的)[^，。；、]{0,6}$")
# Words that open unit names with a character that is elsewhere a function word.
# ('交通运输局', '交警大队', '交管部门', '商务局', '送变电公司', '给排水公司', '为民服务中心'.)
_NAME_BIGRAMS = ("经济", "经营", "经信", "经开", "和平", "同济", "向阳", "交通", "交管", "交警", "交投", "交建",
                 "交易", "交运", "商务", "商贸", "商业", "送变", "给排", "给水", "为民", "对外")


def _function_word(masked, i, segment_start, at_start, directory):
    """The word at i that may introduce an actor (由, 请, 会同, 与, 报 …), or None."""
    word = _left_word_at(masked, i)
    if word in LEFT_NEUTRAL and not _only_neutral(masked[segment_start:i]):
        # '提出具体意见…', '…并…': mid-clause these words introduce no actor
        return None
    if word and len(word) == 1 and masked[i:i + 2] in _NAME_BIGRAMS:
        return None      # '经济开发区管委会': 经 starts the name here, it is not 'via'
    if word == "请" and i > 0 and masked[i - 1] in "申邀聘宴敬提报恳":
        return None      # '将申请表提交宣传部': 请 ends a word here, nobody is asked
    if word and len(word) == 1 and (
            i > 0 and masked[i - 1] in REGION_PREFIXES
            or directory is not None and directory.surfaces_at(masked, i)):
        # '省交通运输厅', '经开区管委会': the character starts a name, it is no function word
        return None
    if word and len(word) == 1 and at_start:
        # '商砼公司要在本周内…', '交建公司负责…': at the start of a clause a one-character
        # function word may be the first character of a short organisation name the
        # directory does not know; the whole name is the subject when it ends like an
        # organisation (公司/厂/中心…) and a modal or an assigning verb follows it
        whole, whole_end = parse_unit_list(masked, i, directory)
        if whole and whole[0].endswith(_ORG_ENDINGS) and _subject_boundary(masked, whole_end):
            return None
    return word


def _mention(masked, names, i, end, left, segment_start, at_start, mentions, directory):
    """The UnitMention for names[i:end], its role read from the words around it.

    May also adjust the mention before it ('A与B共同负责', '…设在B').
    """
    right = masked[end:end + 12]
    head = masked[segment_start:i]
    role, strong = _role(left, right, at_start or _only_neutral(head))
    if left in LEFT_OBJECT and any(m.role in ("lead", "proposer") for m in mentions):
        role = "excluded"
    if left in LEFT_ORGANISED and role == "lead" and not strong:
        role = "excluded"   # '要组织相关村委做好…': the body organised or guided is not who is asked
    if role == "lead" and not strong and ATTRIBUTIVE_RIGHT.match(masked[end:]):
        role = "excluded"
    if left == "设在" and mentions and mentions[-1].role == "lead":
        # '领导小组办公室设在党委办公室，负责…': the host unit does the work
        mentions[-1].role = "excluded"
    if left in LEFT_ASSISTED and role == "lead" and _outside(names, directory) and any(
            m.role == "lead" and not _outside(m.names, directory) for m in mentions):
        # '院感科：配合疾控部门做好…': the directory's own unit does the work, the
        # outside body it supports is a counterpart, not the lead
        role = "excluded"
    if left in ("与", "同", "跟", "和") and role == "lead" and mentions and mentions[-1].role == "lead":
        mentions[-1].strong = True   # 'A与B共同负责': A leads as much as B
    if left in LEFT_PLACE:
        role, strong = "excluded", False
    if left in LEFT_PLACE and HOSTS_AN_OFFICE_RIGHT.match(masked[end:]):
        role, strong = "lead", True     # '在A设置办公室，负责…': the host unit does the work
    if _SET_UP_BEFORE.search(head):
        role = "excluded"   # '成立相应的协调指挥部': a body to be set up is the object
    if role == "lead" and left == "由" and FUNDING_BEFORE.search(head[:-1]):
        role = "funder"   # '所需经费由A统筹安排' pays for the action
    return UnitMention(names=names, start=i, end=end, role=role, strong=strong,
                       left_word=left or "", right_text=right)


def _outside(names, directory):
    """True when the directory is known and none of the names is in it."""
    if directory is None or not directory.entries:
        return False
    return not any(directory.match(n).code for n in names)


# A numbering marker run into the text ('…。二、信息中心要…' pasted on one line) opens a clause as a new line would.
_INLINE_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）|\d{1,2}[、．])")


def _only_neutral(head):
    rest = _INLINE_NUMBER.sub("", head)
    changed = True
    while rest and changed:
        changed = False
        for word in sorted(LEFT_NEUTRAL + LEFT_APPROVE + ("会议要求", "会议决定", "会议议定",
                                                           "会议明确"), key=len, reverse=True):
            if rest.startswith(word):
                rest = rest[len(word):]
                changed = True
                break
    return rest == ""


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
