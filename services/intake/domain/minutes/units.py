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
the work to B; '公司法务风控部' is the directory's 法务风控部.  Reading the list of names
that starts at a place (where each name ends, abbreviations, a shared prefix) is
`unit_lists.py`'s job.
"""

import re
from dataclasses import dataclass

from .unit_lists import PUNCT, parse_unit_list, subject_boundary
# re-exported: tests and tools/intake_eval.py import these from here
from .unit_lists import clean_unit_name, closing_unit_names, split_unit_field  # noqa: F401
from .unit_names import REGION_PREFIXES

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
        if at_start or left is not None or masked[i - 1] in PUNCT:
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


_ORG_ENDINGS = ("公司", "厂", "中心", "集团", "矿", "站", "场", "院", "所", "社", "店")


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
        if whole and whole[0].endswith(_ORG_ENDINGS) and subject_boundary(masked, whole_end):
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
