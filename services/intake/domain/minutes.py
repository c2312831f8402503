"""Read meeting minutes (会议纪要) as text and return one draft per agreed action.

Pipeline: normalise -> read the opening (title, chair, meeting date) -> cut the body
into numbered blocks -> inside a block, task-breakdown fields and tables are read
field by field, prose is cut into sentences and sentences into actions -> each
action gets its units (units.py), deadline (deadlines.py) and assigning leader.

Choices where the handbook is open:
* Deferred decisions (暂缓, 另行研究, 不予同意, 待…后再议) produce no draft; they are
  listed in ParseResult.meta["deferred"] and in a warning, so nothing is lost.
* A leader named in `X强调/要求/指出，…` is the leader of the actions that follow until
  another leader speaks, the meeting itself speaks again (会议要求/决定/同意…), or a
  new top-level section starts.  The chair is metadata only.
* Generic collectives (各部门, 有关单位) are not units: such a clause gets no lead and
  the flag no_unit.  Named collectives (各街道, 各子公司) are kept as written.
* A bare approval (会议原则同意《方案》。) followed by actions in the same decision is
  folded into the first of them instead of becoming an item of its own; so is an
  approval whose only actors are its proposer and funders (…，所需经费由B安排。A要…).
* A short first sentence that only names the decision's subject ('审议《办法》',
  '学习贯彻……精神') is its topic, not an item; '会议原则通过，请A…' takes it as object.
* A clause after '；' that has no subject of its own ('对…的，要…') continues the
  action before it; a line that is only a unit name (a notice's signature) is no item.
* A sentence whose only claim to be an action is a unit as its plain subject
  ('急诊科夜间候诊时间偏长', '机组负荷高') describes a situation: no verb of doing, no
  time limit, no 由/牵头/负责 -> no item.  'X通报：…' report lines are no items either.
* After '；' a subject-less clause with its own task and time limit ('本周内完成Y')
  is the same unit's next action; a bare date ('11月底前完工') is a milestone of the
  action before it.
* Text copied from PDFs has its page-width line breaks undone before anything else
  (normalize.join_wrapped_lines); the meeting date is the one on the chair / 时间 line,
  else the first one, else a notice's date line at the bottom.
* Results and assessments are no items even though they use action verbs as past
  facts: a figure with its unit plus a reporting word ('利润总额4.37亿元，完成年度预算的
  38.5%', '已开工5200套') or '总体有序，但…偏慢', when nothing asks for anything (no modal,
  time limit, 确保/力争, assigned unit).  Study narrative ('会议集中学习了…'), speakers
  ('…负责同志作了交流发言') and '会议就…作如下部署' introduce, they assign nothing.
* A superior's request relayed before the meeting's own decision ('集团要求各子公司…。
  会议明确，由A…') is context; '…审核后再行研究' is deferred.
* Round 6: a Word list whose numbering was lost (…纪要如下：一、…。1、…；2、…) is cut back
  into items (normalize.split_run_in_numbering); '议题一：' heads a decision; '会议指出，
  <assessment>，A要会同B…' keeps A's task; a mechanism the meeting sets itself ('实行按
  周调度、按月通报') with nobody named is no item; an exhortation to a generic subject
  ('各级党组织…要…') is cut off from the unit's action after it; a 问题清单 table's 问题
  column is its task.
* A block whose only field is a time limit ('整改时限：2026年10月31日') takes its units
  from its prose ('A牵头，B配合，…') - rectification minutes write the date that way.
"""

import datetime as dt
import re

from .deadlines import document_festival, resolve_deadlines, resolve_deadline_field
from .errors import IntakeInputError
from .model import ParseResult, coerce_date, make_draft
from .normalize import decode_payload, join_wrapped_lines, normalize_text, split_run_in_numbering
from .units import Directory, find_unit_mentions, has_unit_suffix, split_unit_field

# ---- numbering ----------------------------------------------------------------------
_CN_NUM = "一二三四五六七八九十"
NUMBERING = (
    (1, re.compile(rf"^(?P<n>[{_CN_NUM}]{{1,3}})[、.．，]\s*")),
    (2, re.compile(rf"^[（(](?P<n>[{_CN_NUM}]{{1,3}})[）)]\s*")),
    (3, re.compile(r"^(?P<n>\d{1,2})(?:[、．]|\.(?!\d))\s*")),
    (4, re.compile(r"^[（(](?P<n>\d{1,2})[）)]\s*")),
    (5, re.compile(r"^第(?P<n>[一二三四五六七八九十]{1,3})[，、：]\s*")),
    # '议题一：研究…' - a town or party committee's agenda item heads its decisions
    (1, re.compile(r"^议题(?P<n>[一二三四五六七八九十]{1,3})[：、，.．]\s*")),
)


def _label(level, number):
    if level == 1:
        return f"{number}、"
    if level in (2, 4):
        return f"({number})"
    if level == 5:
        return f"第{number}"
    return str(number)


# ---- field lines (task-breakdown lists) -----------------------------------------------
FIELD_LABELS = {
    "lead": ("牵头单位", "牵头部门", "主责单位", "主责部门", "牵头处室", "牵头科室", "牵头"),
    "responsible": ("责任单位", "责任部门", "承办单位", "实施单位", "负责单位", "责任处室",
                    "责任科室", "责任主体"),
    "co": ("配合单位", "配合部门", "协办单位", "协办部门", "参与单位", "协助单位", "配合处室", "配合"),
    "deadline": ("完成时限", "完成时间", "整改时限", "整改期限", "时间节点", "办理时限", "完成期限", "截止时间",
                 "时限要求", "时限", "时间要求", "进度安排"),
    "leader": ("责任领导", "牵头领导", "分管领导", "督办领导"),
    "task": ("工作任务", "主要任务", "任务内容", "工作内容", "具体任务", "工作事项", "重点任务",
             "任务名称", "事项", "任务", "内容"),
    "number": ("序号", "编号"),
}
_ALL_LABELS = sorted(((label, key) for key, labels in FIELD_LABELS.items() for label in labels),
                     key=lambda item: len(item[0]), reverse=True)
_FIELD_RE = re.compile(
    "(?P<label>" + "|".join(re.escape(label) for label, _ in _ALL_LABELS) + r")\s*[：]\s*")
_FIELD_LINE = re.compile(
    "^(?:" + "|".join(re.escape(label) for label, key in _ALL_LABELS if key != "task" or len(label) > 2)
    + r")\s*[：]")

# ---- sentence classes ---------------------------------------------------------------
DECISION = re.compile(r"^(?:会议)?(?:原则同意|同意|决定|议定|要求|明确|确定|责成|批准|通过|认为应|提出)")
DEFERRED = re.compile(r"暂缓|(?:后|以后)再行(?:研究|审议|上会)|另行(?:提交|提请|报请)?(?:会议|常务会议|党委会|办公会)?(?:研究|审议)|不予同意|不同意|不予支持|不予批准|暂不|再议|搁置|"
                      r"待.{1,30}?后再(?:议|研究|定|行)|下次会议(?:再)?研究|择期研究")
DESCRIPTIVE = re.compile(
    r"^(?:会议|会上|与会)?(?:集中|专题|认真|系统|深入|首先|还|并)?(?:听取|审议了|研究了|学习了|传达了|通报了|传达学习了|审议通过了|讨论通过了|观看|充分肯定|肯定|认为|指出|分析|总结|回顾|"
    r"参加会议|出席|列席|会议由|会议在|现将|主持|与会人员|与会同志|大家|一致认为)|主持召开|纪要如下|如下：?$|"
    r"(?:作|作出|做出|提出)(?:了)?如下(?:部署|安排|要求|决定|意见)：?$")
ACTION_WORDS = re.compile(
    r"要|须|需|应|务必|抓紧|尽快|确保|切实|进一步|加快|加强|做好|落实|推进|完成|制定|负责|牵头|配合|"
    r"督促|组织|开展|建立|完善|启动|实施|提交|报送|上报|研究|起草|编制|修改|拨付|安排|保障|协调|推动|"
    r"细化|梳理|排查|整改|核实|对接|衔接|办理|处理|审核|筹措|解决|跟进|督办|牵头|明确|同意|决定|议定")
PAST = re.compile(r"(?:已经|已|均已|基本已)(?:全部|基本|全面|顺利|如期|按期|按程序)?"
                  r"(?:完成|开展|启动|制定|实施|落实|建成|到位|形成|印发|完工|竣工|办结|投用|上报|处理)|"
                  r"(?:汇报|介绍|通报|报告|说明|反映)了|"
                  # '…负责同志先后作了交流发言': who spoke, not what anyone is to do
                  r"作了[\u4e00-\u9fff]{0,6}(?:发言|汇报|报告|说明|讲话|辅导)")
HEADING_START = re.compile(r"^关于")
# A board's vote count ('表决结果：同意9票，反对0票，弃权0票') records how a resolution passed.
VOTE = re.compile(r"^(?:表决结果|投票结果|表决情况)[：:]|^(?:同意|赞成)\d+票[，、]")
# A grant of authority ('同意…，授权董事长在额度内签署…') approves; it sets nobody a task.
GRANT = re.compile(r"授权(?:公司)?(?:董事长|副董事长|总经理|总裁|经理层|经营层|管理层|法定代表人|董事会秘书|董秘)")
# The body that makes a request ('董事会要求，财务部要…', '党委要求，X要…') is not its lead.
REQUESTING_BODY = re.compile(r"^(?:公司|本公司)?(?:董事会|监事会|党委会|党委|党组会|党组|总经理办公会|总经理办公会议|"
                             r"经理层|经营层|常委会|领导小组)(?:还|同时|进一步|特别|再次)?(?:要求|强调|指出|明确)[，：]")
APPROVAL = re.compile(r"^(?:会议)?(?:原则)?(?:同意|通过|批准)")

# ---- leaders ------------------------------------------------------------------------
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮"
    "柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古"
    "吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇"
    "桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻厉"
    "伊仝郜海阚花权帅屠豆朴盖练廉禹井祖漆巴丰支卿狄平计索宣晋初云容敬扈晁芮普阙浦戈伏鹿薄邸雍辜羊"
    "裘亓修邰赫杭况宿鲜印逯隆茹诸战慕玉银亢嵇哈湛宾戎勾茅利呼居揭干尉冶斯束檀衣昝智幸奉植衡富尧")
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
                     "宇文", "司徒", "夏侯", "令狐")
TITLES = tuple(sorted((
    "区委书记", "市委书记", "县委书记", "党委书记", "党委副书记", "党组书记", "书记", "副书记",
    "常务副区长", "常务副市长", "常务副县长", "区长", "副区长", "市长", "副市长", "县长", "副县长",
    "镇长", "副镇长", "主任", "副主任", "局长", "副局长", "董事长", "副董事长", "总经理", "副总经理",
    "总裁", "副总裁", "院长", "副院长", "校长", "副校长", "部长", "副部长", "秘书长", "副秘书长",
    "处长", "副处长", "主席", "副主席", "常委", "总会计师", "总工程师", "总监", "经理", "副经理",
    "调研员", "主任委员", "区委常委", "区政府", "同志", "集团", "公司", "学校", "医院",
), key=len, reverse=True))
LEADER_VERB = re.compile(r"(?:在讲话中|在会上|在总结讲话中|最后|还|进一步|特别|再次|重点|明确|专门)?"
                         r"(?:强调|要求|指出|提出|指示|表示|批示|讲话指出|作出部署)[，：]?")
NOT_NAMES = {"会议", "会上", "与会", "大家", "领导", "同志", "全体", "各位", "部门", "单位", "我们",
             "最后", "同时", "另外", "此外", "会议最", "主要领导"}


def _strip_titles(text):
    changed = True
    while changed and text:
        changed = False
        for title in TITLES:
            if text.startswith(title) and len(text) > len(title):
                text, changed = text[len(title):], True
                break
            if text.endswith(title) and len(text) > len(title):
                text, changed = text[:-len(title)], True
                break
    return text


def person_name(text):
    """'副区长王强' / '王强同志' / '王强副区长' -> '王强'; '孙副区长' stays as written; else None."""
    text = re.sub(r"^(?:会上|会议最后|最后|同时|另外|此外|会议结束前)[，]?", "", text.strip("，： "))
    text = text.split("、")[-1]  # '党委书记、董事长周明'
    name = _strip_titles(text)
    if len(name) == 1 and name in SURNAMES and len(text) > 1 and text.startswith(name):
        # '孙副区长': surname plus title is how minutes often name a leader
        return text if _strip_titles("王" + text[1:]) == "王" else None
    if not 2 <= len(name) <= 4 or name in NOT_NAMES:
        return None
    if not all("\u4e00" <= ch <= "\u9fff" for ch in name):
        return None
    if not (name[0] in SURNAMES or name.startswith(COMPOUND_SURNAMES)):
        return None
    if has_unit_suffix(name) or len(name) == 4 and not name.startswith(COMPOUND_SURNAMES):
        return None
    return name


def split_leader(sentence, current=None):
    """'王强强调，各部门要…' -> ('王强', '各部门要…'); otherwise (None, sentence).

    '他/她要求：' continues the leader already speaking.
    """
    m = LEADER_VERB.search(sentence[:24])
    if not m or m.start() == 0:
        return None, sentence
    if sentence[:m.start()] in ("他", "她", "其", "他还", "她还", "他同时", "她同时") and current:
        return current, sentence[m.end():].lstrip("，： ")
    name = person_name(sentence[:m.start()])
    if not name:
        return None, sentence
    return name, sentence[m.end():].lstrip("，： ")


# ---- opening ------------------------------------------------------------------------
_FULL_DATE = re.compile(r"(20\d{2})年(\d{1,2})月(\d{1,2})日")
_CHAIR = re.compile(r"(?:^|[，。、])(?P<who>[^，。、]{2,16}?)(?:主持召开|主持召集|召集召开|主持|召集)")


def read_opening(lines):
    """Title, chair, meeting date, attendees from the first lines of the minutes."""
    meta = {"title": None, "chair": None, "meeting_date": None, "attendees": None}
    # The meeting date is the one on the chair line or in the 时间 field; a header may
    # carry the issue date first ('市政府办公室 2026年6月9日' above '6月8日…主持召开').
    date_from_meeting_line = False
    for index, line in enumerate(lines[:8]):
        if meta["title"] is None and index < 3 and ("纪要" in line or "会议" in line) and \
                "。" not in line and len(line) <= 60 and not _CHAIR.search(line):
            meta["title"] = line.strip()
        m = _FULL_DATE.search(line)
        if m and (meta["meeting_date"] is None or not date_from_meeting_line
                  and _MEETING_LINE.search(line)):
            try:
                meta["meeting_date"] = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                date_from_meeting_line = bool(_MEETING_LINE.search(line))
            except ValueError:
                pass
        if meta["chair"] is None:
            m = re.match(r"^主持人?[：](.+)$", line)
            if m:
                meta["chair"] = person_name(m.group(1).strip()) or m.group(1).strip()
                continue
            m = _CHAIR.search(line)
            if m:
                who = re.sub(r"^.*?日[，]?", "", m.group("who"))
                meta["chair"] = person_name(who) or who.strip() or None
        if meta["attendees"] is None:
            m = re.match(r"^(?:参加会议|出席会议|参会|出席|参加|列席)(?:人员|单位|的有|会议的有)?[：:](.+)$", line)
            if m:
                meta["attendees"] = m.group(1).strip()
    if meta["meeting_date"] is None:
        # a notice (通报, 通知) is dated in its signature block, on a line of its own at the end
        for line in reversed(lines[-4:]):
            m = re.fullmatch(r"(20\d{2})年(\d{1,2})月(\d{1,2})日", line.strip())
            if m:
                try:
                    meta["meeting_date"] = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                except ValueError:
                    pass
                break
    return meta


_MEETING_LINE = re.compile(r"主持召开|主持召集|召开|^(?:会议)?时间[：]")


def _is_preamble(line):
    return bool(re.search(r"^(?:时间|地点|主持人?|记录人?|参会人员|参加人员|出席人员|列席人员|缺席|请假)[：]|印发$|"
                          r"主持召开|主持召集|纪要如下|现纪要如下|现将.*纪要|^(?:参加会议|出席会议|参会|出席|参加|列席|"
                          r"抄送|抄报|主送|印发|附件|联系人|记录|签发|发送)|〔\d{4}〕|\[\d{4}\]|第\d+期|"
                          r"^\d{4}年\d{1,2}月\d{1,2}日$|会议纪要$|纪要$|（摘要）$|事项[：]$|如下[：]$|^（[^）]*）$", line))


# ---- blocks ------------------------------------------------------------------------
def _numbering(line):
    for level, regex in NUMBERING:
        m = regex.match(line)
        if m and len(line) > m.end():
            return level, m.group("n"), line[m.end():]
    return None


def _is_table_line(line):
    return line.count("|") >= 2 or (line.count("|") >= 1 and not line.startswith("|") and
                                     len([c for c in line.split("|") if c.strip()]) >= 3)


def _cells(line):
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    return cells


def cut_blocks(lines):
    """Group body lines into numbered blocks and tables, keeping each block's clause label."""
    stack = []                      # (level, label)
    items, current, paragraph = [], None, 0
    table = None
    for line in lines:
        if _is_table_line(line):
            if table is None:
                table = {"kind": "table", "rows": [], "clause": "".join(l for _, l in stack)}
                items.append(table)
                current = None
            table["rows"].append(_cells(line))
            continue
        table = None
        numbered = _numbering(line)
        if numbered and not _FIELD_LINE.match(line):
            level, number, rest = numbered
            while stack and stack[-1][0] >= level:
                stack.pop()
            if current is not None and current["level"] < level:
                current["children"] += 1
            stack.append((level, _label(level, number)))
            current = {"kind": "block", "clause": "".join(l for _, l in stack), "level": level,
                       "lines": [rest], "children": 0, "section": stack[0][1]}
            items.append(current)
            continue
        if current is not None and (_FIELD_LINE.match(line) or not current.get("paragraph")
                                    and not _is_preamble(line)):
            current["lines"].append(line)
            continue
        paragraph += 1
        label = "".join(l for _, l in stack)
        current = {"kind": "block", "clause": label or f"p{paragraph}", "level": 9,
                   "lines": [line], "children": 0, "section": stack[0][1] if stack else None,
                   "paragraph": True}
        items.append(current)
    return items


# ---- sentences ---------------------------------------------------------------------
def split_sentences(text):
    """Cut at 。；！？ and before 一是/二是…, never inside brackets or quotes."""
    return [sentence for sentence, _ in split_sentences_with_stops(text)]


def split_sentences_with_stops(text):
    """Like split_sentences, with the mark that came before each sentence ('' at the start).

    A clause after '；' still belongs to the sentence before it, which matters when it
    leaves out its subject ('A要…；对难度大的项目，要…' is still A's work).
    """
    out, depth, start, before = [], 0, 0, ""
    for i, ch in enumerate(text):
        if ch in "（《“":
            depth += 1
        elif ch in "）》”" and depth:
            depth -= 1
        elif depth == 0 and ch in "。；！？":
            out.append((text[start:i], before))
            start, before = i + 1, ch
        elif depth == 0 and i > start and re.match(r"[一二三四五六七八九十]是", text[i:i + 2]) and \
                text[i - 1] in "，：" and i + 2 < len(text):
            out.append((text[start:i], before))
            start, before = i, "是"
    out.append((text[start:], before))
    return [(s.strip("，：； "), stop) for s, stop in out if s.strip("，：； ")]


def _segments(sentence):
    """Comma segments with their offsets, not cutting inside brackets."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(sentence):
        if ch in "（《“":
            depth += 1
        elif ch in "）》”" and depth:
            depth -= 1
        elif depth == 0 and ch == "，":
            out.append((start, i))
            start = i + 1
    out.append((start, len(sentence)))
    return out


MODAL = re.compile(r"(?:^|[，])(?:各[^，]{0,8})?(?:要|须|必须|务必|应当|需要)[\u4e00-\u9fff]{2}")
# A subject that is no unit, then a modal ('各级党组织和党员干部要以钉钉子精神抓好落实'):
# an exhortation is a whole stretch of its own, so the unit after it starts a new action.
_SUBJECT_MODAL = re.compile(r"(?:^|，)(?:各|全体|广大)[^，]{1,14}?(?:要(?![求点素闻件])|须|必须|务必|应当)[\u4e00-\u9fff]{2}")
SUPPORT = re.compile(r"^(?:要|须|应|也要)?(?:积极|全力|主动)?(?:做好|提供|给予|加强)?.{0,10}?(?:支持|配合|协助|保障工作)")
SHARED = re.compile(r"^(?:均|都|并均|一律|统一|分别|同时)(?:要|须|应)?(?:于|在)?")
_ROLE_WORDS = re.compile(r"由|请|责成|牵头|负责|配合|协助|协办|会同|参加|参与|按职责分工|按照职责分工|等部门|等单位|"
                         r"具体|会议要求|会议同意|会议决定|原则同意|同意|要求|要|须|应|务必|抓紧|尽快|按时|如期|从速")


def _has_content(text, mentions, offset, meeting):
    """Whether a stretch says what to do, beyond naming units, roles and dates."""
    chars = list(text)
    for m in mentions:
        for k in range(max(0, m.start - offset), min(len(chars), m.end - offset)):
            chars[k] = " "
    rest = "".join(chars)
    rest = _ROLE_WORDS.sub(" ", rest)
    from .deadlines import _scan
    for start, end, *_ in _scan(rest, meeting):
        rest = rest[:start] + " " * (end - start) + rest[end:]
    return len(re.findall(r"[\u4e00-\u9fff]", rest)) >= 2


# '医务部通报：', '护理部汇报：' open a report line.
REPORT = re.compile(r"^[^，。；：]{2,16}(?:通报|汇报|介绍|报告|反映)(?:了)?[：]")
_TASK_FILLER = re.compile(r"完成|开工|完工|到位|办结|落实|实现|形成|启动|之前|以前|前|内|底|末")


# A superior body's request relayed before the meeting's own answer to it.
RELAYED = re.compile(r"^(?:按照|根据)?(?:上级|集团|集团公司|总部|省委|省政府|市委|市政府|县委|县政府|区委|区政府|省厅|主管部门)"
                     r"(?:文件|通知)?要求")
# A sentence of results: a figure with its unit, a word that reports it (同比, 累计,
# 完成年度…), and nothing that asks for anything.  'KPI' paragraphs of group and
# government minutes ('已开工5200套', '利润总额4.37亿元，完成年度预算的38.5%') use 完成 /
# 开工 / 实现 as past facts, so the action words alone would make them items.
_FIGURE = re.compile(r"\d(?:[\d.]*)\s*(?:%|％|个百分点|亿美元|万美元|亿元|万元|元|亿|万|套|户|件次|件|个|项|家|"
                     r"人次|人|起|批次|平方米|吨|千瓦时|公里|辆|条|所|天)")
_FIGURE_REPORT = re.compile(r"同比|环比|较上年|较去年|较年初|较上月|累计|占年度|完成年度|占全年|完成全年|"
                            r"截至|截止|共(?:发生|受理|实现|完成|签约|排查|办理)|营业收入|利润总额|净利润|"
                            r"现金流|回款率|完成率|增长|下降|已(?!要)|"
                            # '安排重大项目48个，总投资320亿元', '征收签约率85%以上': plan totals
                            # and rates reported as they stand
                            r"总投资|计划投资|总规模|率(?:达到?|为)?\d")
# An assessment of progress: '总体有序，但部分问题整改进度偏慢、成效不明显'.
_ASSESSMENT = re.compile(r"^[^，。；]{0,12}(?:总体|整体)上?(?:有序|平稳|良好|稳定|可控|向好|符合|较好)|"
                         # '至今未办理不动产权证': the background of a case, not a task
                         r"(?:至今|迄今|尚|仍|一直|迟迟)未[\u4e00-\u9fff]|"
                         r"但[^，。；]{0,20}(?:偏慢|偏少|偏高|偏低|不明显|不高|不足|滞后|薄弱|短板|不到位|较多|较高|较大)")
# ('完成年度目标的57.2%' reports progress against a target; it asks for nothing.)
_ASKING = re.compile(r"确保|力争|争取|(?<!年度)(?<!全年)目标(?!的)|任务是|必须|务必|须|应当|要求|请")


def _reports_figures_or_assessment(sentence, directory, meeting):
    if _MODAL_WORD.search(sentence) or _ASKING.search(sentence):
        return False
    if _time_limited(sentence, meeting, verb=False) or resolve_deadlines(sentence, meeting).cadence:
        return False
    if any(m.role in ("lead", "supervise", "co") and (m.strong or m.role != "lead")
           for m in find_unit_mentions(sentence, directory)):
        return False
    if _FIGURE.search(sentence) and _FIGURE_REPORT.search(sentence):
        return True
    return bool(_ASSESSMENT.search(sentence))


def _own_task(text, meeting):
    """A clause that names a time limit and, beyond it, a task of its own (not '11月底前完工')."""
    if not _time_limited(text, meeting):
        return False
    rest = text
    from .deadlines import _scan
    for start, end, *_ in _scan(text, meeting):
        rest = rest[:start] + " " * (end - start) + rest[end:]
    rest = _TASK_FILLER.sub(" ", rest)
    return len(re.findall(r"[\u4e00-\u9fff]", rest)) >= 4


def _time_limited(text, meeting, verb=True):
    """A time limit ('…前', '…内', '…底'), with a verb of doing unless verb=False."""
    info = resolve_deadlines(text, meeting)
    return bool(info.deadline and re.search(r"前|内|底|末|止", info.deadline_text or "")
                and (not verb or ACTION_WORDS.search(text)))


def split_actions(sentence, directory, meeting):
    """One sentence -> one or more (text, mentions) actions.

    A new action starts at a comma when the next segment opens with its own lead
    unit and what came before already has a lead and says what to do
    ('区住建局负责实施，区财政局负责资金保障').  '由A牵头，B配合，…' stays whole.
    """
    mentions = find_unit_mentions(sentence, directory)
    segments = _segments(sentence)
    actions, acc_start = [], 0
    for seg_start, seg_end in segments[1:]:
        seg_leads = [m for m in mentions if m.role == "lead" and m.start >= seg_start and
                     m.start <= seg_start + 6 and m.end <= seg_end and not m.left_word in ("协助", "配合")]
        if not seg_leads:
            continue
        if SUPPORT.search(sentence[seg_leads[0].end:seg_end]):
            # 'B做好系统改造支持' supports the action before it
            for m in seg_leads:
                m.role = "co"
            continue
        prior = [m for m in mentions if acc_start <= m.start < seg_start]
        if not any(m.role == "lead" for m in prior) and \
                not MODAL.search(sentence[acc_start:seg_start]) and \
                not _SUBJECT_MODAL.search(sentence[acc_start:seg_start]) and \
                not _time_limited(sentence[acc_start:seg_start], meeting):
            # a stretch with no actor may still be a whole task when it carries its own
            # time limit ('年内完成3家中心改造，区财政局保障资金')
            continue
        if not _has_content(sentence[acc_start:seg_start], prior, acc_start, meeting):
            continue
        actions.append((acc_start, seg_start))
        acc_start = seg_start
    actions.append((acc_start, len(sentence)))
    shared = ""
    if len(actions) > 1:
        # '…，均于6月30日前完成' dates every action of the sentence
        for seg_start, seg_end in reversed(segments):
            if seg_start < actions[-1][0]:
                break
            if SHARED.match(sentence[seg_start:seg_end]):
                shared = sentence[seg_start:]
                break
    out = []
    for k, (start, end) in enumerate(actions):
        inside = [m for m in mentions if start <= m.start < end]
        text = sentence[start:end].strip("，")
        if shared and k < len(actions) - 1:
            text = text + "，" + shared
        out.append((text, inside))
    return out


def _units_of(mentions):
    """(lead, co, weak) from a clause's mentions.

    Explicit assignment (由/请/责成 A, A牵头/负责) beats a proposer (同意A提出的…),
    which beats a plain subject (A要…).  A supervisor (由A负责督导) and a funder
    (所需经费由A安排) lead only when the clause names nobody else; a funder otherwise
    supports (co).  Once a lead is named, other subjects in the
    clause support it ('A牵头，B要做好…').
    """
    strong = [m for m in mentions if m.role == "lead" and m.strong]
    proposers = [m for m in mentions if m.role == "proposer"]
    weak = [m for m in mentions if m.role == "lead" and not m.strong]
    co = [n for m in mentions if m.role == "co" for n in m.names]
    funders = [m for m in mentions if m.role == "funder"]
    if strong or proposers or weak:
        co += [n for m in funders for n in m.names]   # '所需经费由B安排' supports A's action
    else:
        # nobody else does the work: the unit that '负责跟踪督办' or pays is the one acting
        strong = [m for m in mentions if m.role == "supervise"] or funders
    chosen = strong or proposers
    if chosen:
        lead = [n for m in chosen for n in m.names]
        co += [n for m in weak for n in m.names]
        return lead, co, False
    return [n for m in weak for n in m.names], co, bool(weak)


# ---- task-breakdown lists and tables ------------------------------------------------
def _fields(text):
    """'牵头单位：A；完成时限：B' (inline or one per line) -> {key: value}, task text."""
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


def _field_draft(task, fields, clause, leader, ctx):
    directory, meeting = ctx["directory"], ctx["meeting"]
    lead = split_unit_field(fields.get("lead"))
    responsible = split_unit_field(fields.get("responsible"))
    co = split_unit_field(fields.get("co"))
    if not (lead or responsible or co) and not any(k in fields for k in ("lead", "responsible", "co")):
        # only a time-limit field ('…工程管理部牵头，审计部配合，逐一自查。整改时限：10月31日'):
        # the units are in the prose, read as in any sentence
        lead, co, _weak = _units_of(find_unit_mentions(task, directory))
    if lead:
        co = responsible + co       # with a 牵头 column the 责任单位 support it
    else:
        lead = responsible          # only 责任单位: the unit listed is the lead
    if "deadline" in fields:
        info = resolve_deadline_field(fields["deadline"], meeting)
        info.deadline_text = info.deadline_text or fields["deadline"]
    else:
        info = resolve_deadlines(task, meeting, ctx["festival"])
    leader = person_name(fields["leader"].split("、")[0]) if fields.get("leader") else leader
    return make_draft(task, lead, co, info, directory, leader=leader, clause=clause)


# Column heads that name the task only in a table: a 问题清单 (问题|责任单位|完成时限) lists
# problems to solve.  As inline fields ('问题：') they would catch ordinary prose.
TABLE_TASK_LABELS = ("问题", "存在问题", "问题描述", "问题表现", "反馈问题", "问题清单", "事项名称",
                     "项目名称", "项目")


def _table_drafts(table, ctx, leader):
    rows = [r for r in table["rows"] if not all(re.fullmatch(r"[-:： ]*", c) for c in r)]
    header_index, columns = None, {}
    for index, row in enumerate(rows[:3]):
        mapping = {}
        for col, cell in enumerate(row):
            key = next((k for label, k in _ALL_LABELS if cell.replace(" ", "").startswith(label)), None)
            if key is None and cell.replace(" ", "") in TABLE_TASK_LABELS:
                key = "task"
            if key and key not in mapping:
                mapping[key] = col
        if len(mapping) >= 2 and ("task" in mapping or "lead" in mapping or "responsible" in mapping):
            header_index, columns = index, mapping
            break
    drafts = []
    if header_index is None:
        return drafts, ["table without a recognisable header skipped"]
    for number, row in enumerate(rows[header_index + 1:], start=1):
        def cell(key):
            col = columns.get(key)
            return row[col].strip() if col is not None and col < len(row) else ""
        task = cell("task")
        if not task:
            continue
        fields = {k: cell(k) for k in ("lead", "responsible", "co", "deadline", "leader") if cell(k)}
        ref = cell("number") or str(number)
        clause = (table["clause"] + ref) if table["clause"] else ref
        drafts.append(_field_draft(task, fields, clause, leader, ctx))
    return drafts, []


# ---- the parser --------------------------------------------------------------------
def parse_minutes(payload, directory, meeting_date=None, title=None, today=None):
    """Minutes text (str or bytes) -> ParseResult; IntakeInputError for unusable input."""
    text = normalize_text(decode_payload(payload, "minutes text"))
    if not text:
        raise IntakeInputError("empty minutes text: nothing to parse", {"payload": "empty"})
    lines = split_run_in_numbering(join_wrapped_lines(text.split("\n")))
    if not isinstance(directory, Directory):
        directory = Directory(directory or [])
    meta = read_opening(lines)
    given = coerce_date(meeting_date, "meeting_date")
    meeting = given or meta["meeting_date"] or coerce_date(today, "today") or dt.date.today()
    warnings = []
    if not given and not meta["meeting_date"]:
        warnings.append("meeting date not given and not found in the text; deadlines resolved "
                        f"from {meeting.isoformat()}")
    meta["meeting_date"] = meeting
    if title:
        meta["title"] = title
    meta["deferred"] = []
    ctx = {"directory": directory, "meeting": meeting, "festival": document_festival(text)}

    body_start = 0
    for index, line in enumerate(lines[:12]):
        if _numbering(line):
            break  # the opening ends where the numbered decisions begin
        if _is_preamble(line) or line == meta["title"]:
            body_start = index + 1
    blocks = cut_blocks(lines[body_start:])

    drafts = []
    leader, section = None, None
    for block in blocks:
        if block["kind"] == "table":
            table_drafts, table_warnings = _table_drafts(block, ctx, leader)
            drafts.extend(table_drafts)
            warnings.extend(table_warnings)
            continue
        if block.get("section") != section:
            section, leader = block.get("section"), None
        block_text = "\n".join(block["lines"])
        if _is_preamble(block["lines"][0]) and block.get("paragraph"):
            continue
        fields, task_text = _fields(block_text)
        if fields and any(k in fields for k in ("lead", "responsible", "co", "deadline")):
            drafts.append(_field_draft(task_text.replace("\n", ""), fields, block["clause"], leader, ctx))
            continue
        if block["children"] and _looks_like_heading(block["lines"][0]) and len(block["lines"]) == 1:
            head_leader, _ = split_leader(block["lines"][0])
            leader = head_leader or leader
            continue
        leader = _parse_prose(block, ctx, leader, drafts, meta, warnings)

    if not drafts:
        if meta["deferred"]:
            warnings.append(f"{len(meta['deferred'])} deferred decision(s), no action to supervise")
            return ParseResult(drafts=[], meta=meta, warnings=warnings)
        raise IntakeInputError("no actions found in the minutes", {"payload": "no_actions"})
    if meta["deferred"]:
        warnings.append(f"{len(meta['deferred'])} deferred decision(s) not turned into items")
    return ParseResult(drafts=drafts, meta=meta, warnings=warnings)


# A clause that opens without a subject and goes on with the one before: '对…的，要…',
# '并…', '同时要…'.
CONTINUATION = re.compile(r"^(?:对于?|针对|并且?|同时|还要|也要|要|须|其中)")
# A modal verb; '重要/主要/需要/纪要/要求/要点' are words that merely contain 要.
_MODAL_WORD = re.compile(r"(?<![重主需纪概提摘])要(?![求点素闻件])|须|务必|应当|必须")


def _blank_mentions(text, mentions):
    chars = list(text)
    for m in mentions:
        for k in range(m.start, min(m.end, len(chars))):
            chars[k] = " "
    return "".join(chars)


# '会议指出，当前形势依然严峻，A要会同B…': the meeting's assessment, then a unit told what
# to do - after a comma, the unit as subject of a modal or an assigning verb.
_ASSESSING = re.compile(r"^(?:会议|会上)?(?:还|并|同时)?(?:指出|认为|分析)")
_ASSIGNING_RIGHT = re.compile(r"^(?:要(?![求点素闻件])|须|必须|务必|应当|负责|牵头|会同)")


def _assigns_after_assessment(sentence, directory):
    if not _ASSESSING.match(sentence):
        return False
    return any(m.role in ("lead", "supervise") and m.start > 0 and sentence[m.start - 1] == "，"
               and _ASSIGNING_RIGHT.match(m.right_text or "")
               for m in find_unit_mentions(sentence, directory))


# A mechanism the meeting sets for itself ('实行按周调度、按月通报', '实行月调度、季通报')
# with nobody named, no modal and no time limit: how the work will be followed, not a task.
_MECHANISM = re.compile(r"实行[^，。；]{0,8}?按?(?:周|月|季度?|旬|年)(?:调度|通报|督导|督查|考核|讲评|报告)|"
                        r"按(?:周|月|季度?|旬)(?:调度|通报)")


def _is_own_mechanism(sentence, directory, meeting):
    if not _MECHANISM.search(sentence) or _MODAL_WORD.search(sentence) or _ASKING.search(sentence):
        return False
    if any(m.role != "excluded" for m in find_unit_mentions(sentence, directory)):
        return False
    return not _time_limited(sentence, meeting, verb=False)


def _is_topic(sentence, block, directory, meeting):
    """The first sentence of a numbered decision that only names its subject.

    '（一）学习贯彻……讲话精神。会议要求，……' / '一、审议《办法》。会议原则通过，……':
    no unit, no modal verb, no time limit, no comma, and more sentences follow.
    """
    if block.get("paragraph") or "，" in sentence or len(sentence) > 40:
        return False
    if re.match(r"^(?:会议|会上)", sentence) or DECISION.match(sentence) or _MODAL_WORD.search(sentence):
        return False
    if find_unit_mentions(sentence, directory):
        return False
    info = resolve_deadlines(sentence, meeting)
    return info.deadline is None and info.cadence is None


def _looks_like_heading(line):
    return bool(HEADING_START.match(line)) or (len(line) <= 40 and not re.search(r"[。；]$", line))


def _parse_prose(block, ctx, leader, drafts, meta, warnings):
    """Sentences of one block -> drafts; returns the leader in force afterwards."""
    lines = block["lines"]
    text_parts = []
    for line in lines:
        # an unpunctuated line (a topic such as '关于资金保障') ends its own sentence
        if not re.search(r"[。；：！？]$", line):
            line = line + "。"
        text_parts.append(line)
    text = "".join(text_parts)
    meeting, festival = ctx["meeting"], ctx["festival"]
    candidates = []          # dicts: text, lead, co, weak, leader, approval
    topic = None             # '审议《办法》' / '研究X事项' opening a numbered decision
    sentences = split_sentences_with_stops(text)
    for index, (sentence, stop) in enumerate(sentences):
        if index == 0 and len(sentences) > 1 and _is_topic(sentence, block, ctx["directory"], meeting):
            topic = sentence
            continue
        if stop == "；" and CONTINUATION.match(sentence) and candidates and candidates[-1]["lead"] \
                and not candidates[-1].get("closed") and not any(m.role != "excluded" for m in find_unit_mentions(sentence, ctx["directory"])) \
                and not re.match(r"^(?:各|相关|有关|其他|所有)", sentence):
            # no subject after '；': the clause goes on with the previous action's unit
            prev = candidates[-1]
            prev["text"] = prev["text"] + "；" + sentence
            prev["info"] = resolve_deadlines(prev["text"], meeting, festival)
            continue
        inherit = None
        if stop == "；" and candidates and candidates[-1]["lead"] and not candidates[-1].get("closed") \
                and not any(m.role != "excluded" for m in find_unit_mentions(sentence, ctx["directory"])) \
                and not re.match(r"^(?:各|相关|有关|其他|所有)", sentence) \
                and _time_limited(sentence, meeting, verb=False):
            if _own_task(sentence, meeting):
                # 'A：…7月17日前上线X；本周内完成Y' - a subject-less clause with its own task
                # and time limit is A's next action
                inherit = candidates[-1]
            else:
                # 'A要在6月底前开工；11月底前完工' - a bare date is a milestone of the same action
                prev = candidates[-1]
                prev["text"] = prev["text"] + "；" + sentence
                prev["info"] = resolve_deadlines(prev["text"], meeting, festival)
                continue
        if candidates and stop != "；":
            candidates[-1]["closed"] = True
        who, body = split_leader(sentence, leader)
        if who:
            leader = who
            if not body:
                continue
            sentence = body
        elif re.match(r"^会议(?:要求|决定|同意|议定|明确|强调|原则同意)", sentence):
            leader = None
        else:
            body = REQUESTING_BODY.match(sentence)
            if body and len(sentence) > body.end():
                leader, sentence = None, sentence[body.end():]
        if VOTE.match(sentence):
            continue  # '表决结果：同意9票，反对0票，弃权0票'
        if DEFERRED.search(sentence):
            meta["deferred"].append({"clause": block["clause"], "text": sentence})
            continue
        if HEADING_START.match(sentence) and ("，" not in sentence or
                                              not ACTION_WORDS.search(sentence.split("，")[-1])):
            continue  # '关于改造资金保障' names the topic
        if DESCRIPTIVE.search(sentence) and not re.search(
                r"(?:指出|认为|强调|研究|审议)[，：]?(?:要|须|必须|务必|应|各|由|请)", sentence) \
                and not _assigns_after_assessment(sentence, ctx["directory"]):
            continue
        if not re.search(r"[\u4e00-\u9fff]{2}", DECISION.sub("", sentence)):
            continue  # '会议要求：' introduces the list that follows
        if PAST.search(sentence) and not re.search(r"要|须|应|务必|必须", sentence):
            continue
        if REPORT.match(sentence):
            continue  # '医务部通报：上周门诊量…' reports, it assigns nothing
        if RELAYED.match(sentence) and any(re.match(r"^会议(?:明确|决定|要求|议定|研究决定|确定)", later)
                                           for later, _ in sentences[index + 1:]):
            continue  # '集团要求各子公司…。会议明确，由A…': the superior's request is context
        if _reports_figures_or_assessment(sentence, ctx["directory"], meeting):
            continue  # '利润总额4.37亿元，完成年度预算的38.5%' / '总体有序，但进度偏慢'
        if _is_own_mechanism(sentence, ctx["directory"], meeting):
            continue  # '建立…闭环机制，实行按周调度、按月通报'

        sentence_deadlines = resolve_deadlines(sentence, meeting, festival)
        if not (DECISION.match(sentence) or ACTION_WORDS.search(sentence)
                or (sentence_deadlines.deadline  # a time limit, not a bare '今天'
                    and re.search(r"前|内|底|末|止", sentence_deadlines.deadline_text or ""))
                or sentence_deadlines.cadence
                or any(m.role in ("proposer", "supervise") or m.role == "lead" and m.strong
                       for m in find_unit_mentions(sentence, ctx["directory"]))):
            # a unit as the mere subject of a situation ('急诊科夜间候诊时间偏长',
            # '机组负荷高') with no verb of doing, no time limit: a description, not an action
            continue
        mentions_here = find_unit_mentions(sentence, ctx["directory"])
        if mentions_here and (not re.search(r"[\u4e00-\u9fff]", _blank_mentions(sentence, mentions_here))
                              or len(sentence) <= 20 and has_unit_suffix(sentence)
                              and not ACTION_WORDS.search(sentence)):
            continue  # a unit name alone: the signature under a notice, not an action
        if topic and APPROVAL.match(sentence) and re.match(
                r"^(?:会议)?(?:原则)?(?:同意|通过|批准)(?:[，]|$)", sentence):
            # '会议原则通过，请A…' approves what the topic sentence named
            sentence = topic + "。" + sentence
            topic = None
        for action_text, mentions in split_actions(sentence, ctx["directory"], meeting):
            lead, co, weak = _units_of(mentions)
            if inherit is not None and not lead:
                lead, weak = list(inherit["lead"]), inherit["weak"]
                inherit = None
            # an approval is context for the action that carries it out: a bare one
            # ('会议原则同意《方案》。'), or one whose only actor is the proposer and funders
            approval = bool(APPROVAL.match(action_text)) and (
                "，" not in action_text.strip("，")
                or not any(m.role in ("lead", "supervise") for m in mentions)
                and any(m.role == "proposer" for m in mentions))
            # '同意…，授权董事长在额度内签署…': a pure grant is an approval, never an action
            grant = bool(APPROVAL.match(action_text) and GRANT.search(action_text)) and not any(
                m.role in ("lead", "supervise") for m in mentions)
            approval = approval or grant
            candidates.append({"text": action_text, "lead": lead, "co": co, "weak": weak,
                               "leader": leader, "approval": approval, "grant": grant,
                               "info": resolve_deadlines(action_text, meeting, festival)})
    # '会议原则同意《方案》。A要…' — an approval is the context of the action that carries it
    # out: the next action done by its proposer, or for a bare approval the next action.
    for k, cand in enumerate(candidates):
        if not cand["approval"] or cand["info"].deadline:
            continue
        later = candidates[k + 1:]
        target = next((c for c in later if cand["lead"] and c["lead"] == cand["lead"]), None)
        if target is None and not cand["lead"] and later:
            target = later[0]
        if target is not None:
            target["text"] = cand["text"] + "。" + target["text"]
            target["co"] = _union(cand["co"], target["co"])
            target["info"] = resolve_deadlines(target["text"], meeting, festival)
            cand["folded"] = True
    for cand in candidates:
        if cand.get("grant") and not cand.get("folded"):
            meta.setdefault("approvals", []).append({"clause": block["clause"], "text": cand["text"]})
    candidates = [c for c in candidates if not c.get("folded") and not c.get("grant")]
    merged = []
    for cand in candidates:
        prev = merged[-1] if merged else None
        if prev is not None and not cand["lead"] and prev["lead"] and (
                (cand["co"] and cand["info"].deadline is None)
                or (not cand["co"] and cand["info"].deadline and prev["info"].deadline is None)):
            # a support-only or date-only follow-up completes the action before it
            joined = prev["text"] + "。" + cand["text"]
            merged[-1] = dict(prev, text=joined, co=_union(prev["co"], cand["co"]),
                              info=resolve_deadlines(joined, meeting, festival))
            continue
        merged.append(cand)
    for cand in merged:
        draft = make_draft(cand["text"].strip("，。"), cand["lead"], cand["co"], cand["info"],
                           ctx["directory"], leader=cand["leader"], clause=block["clause"],
                           weak_lead=cand["weak"])
        drafts.append(draft)
    return leader


def _union(first, second):
    return first + [n for n in second if n not in first]
