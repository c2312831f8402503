"""Who assigns: person names with their titles, and 'X强调/要求，…' leader remarks."""

import contextlib
import contextvars
import re

from .unit_names import has_unit_suffix

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
    # enterprises, institutions, townships: '集团党委委员、董事赵国江', '科长', '厂长'
    "董事", "委员", "监事长", "科长", "副科长", "所长", "站长", "队长", "厂长", "行长", "会长", "乡长", "副乡长",
    "组长", "副组长", "馆长",
    # a project's or a campaign's command: '江南院区建设指挥长周勇院长'
    "指挥长", "副指挥长", "总指挥", "副总指挥",
    # assistants who chair and sum up: '校长助理郑方兵', '总经理助理吴建刚'
    "校长助理", "总经理助理", "院长助理", "局长助理", "区长助理", "市长助理", "县长助理", "董事长助理",
), key=len, reverse=True))
LEADER_VERB = re.compile(r"(?:在讲话中|在会上|在总结讲话中|在[\u4e00-\u9fff]{1,6}?[中上时]|最后|还|进一步|特别|再次|重点|明确|专门|当场|现场|当即)?"
                         r"(?:强调|要求|指出|提出|指示|表示|批示|讲话指出|作出部署)[，：]?")
NOT_NAMES = {"会议", "会上", "与会", "大家", "领导", "同志", "全体", "各位", "部门", "单位", "我们",
             "最后", "同时", "另外", "此外", "会议最", "主要领导", "安排", "部署", "要求", "强调", "研究",
             # adverbs that stand where a name would before 要求 ('…，严格要求。'): 严 and 高 are surnames
             "严格", "严肃", "严厉", "高度", "明确", "认真", "切实", "具体", "统一", "一律", "特别", "再次"}


def _strip_titles(text):
    changed = True
    while changed and text:
        changed = False
        if not (text.startswith(TITLES) or text.endswith(TITLES)):
            break       # (one C-level test first: most texts carry no title)
        for title in TITLES:
            if text.startswith(title) and len(text) > len(title):
                text, changed = text[len(title):], True
                break
            if text.endswith(title) and len(text) > len(title):
                text, changed = text[:-len(title)], True
                break
    return text


SHORT_TITLES = ("总", "董", "总工", "副总", "副董")


def is_short_form(text):
    """'万总', '孙副区长', '王书记': a surname and a title, the way minutes name a leader."""
    rest = text[1:]
    return text[0] in SURNAMES and bool(rest) and (rest in SHORT_TITLES or _strip_titles("王" + rest) == "王")


# Names the document itself gives with a title ('副校长拓俊杰主持'), set while one document is
# parsed (pipeline.parse_minutes): such a name is a person even when its surname is not in
# SURNAMES.
_TITLED_IN_DOCUMENT = contextvars.ContextVar("titled_in_document", default=frozenset())


@contextlib.contextmanager
def names_of_document(text):
    """While reading `text`, a name it writes after a title counts as a person's name."""
    token = _TITLED_IN_DOCUMENT.set(titled_names(text))
    try:
        yield
    finally:
        _TITLED_IN_DOCUMENT.reset(token)


def person_name(text):
    """'副区长王强' / '王强同志' / '王强副区长' -> '王强'; '孙副区长' stays as written; else None."""
    text = re.sub(r"^(?:会上|会议最后|最后|同时|另外|此外|会议结束前)[，]?", "", text.strip("，： "))
    text = text.split("、")[-1]  # '党委书记、董事长周明'
    name = _strip_titles(text)
    if len(name) == 1 and name in SURNAMES and len(text) > 1 and text.startswith(name):
        # '孙副区长', '万总': surname plus title is how minutes often name a leader
        return text if is_short_form(text) else None
    if not 2 <= len(name) <= 4 or name in NOT_NAMES:
        return None
    if not all("\u4e00" <= ch <= "\u9fff" for ch in name):
        return None
    if not (name[0] in SURNAMES or name.startswith(COMPOUND_SURNAMES) or name in _TITLED_IN_DOCUMENT.get()):
        return None
    titled = name != text and len(name) <= 3 and name[0] in SURNAMES   # '王彦会院长': 会 ends a name here
    if has_unit_suffix(name) and not titled or len(name) == 4 and not name.startswith(COMPOUND_SURNAMES):
        return None
    return name


def split_leader(sentence, current=None):
    """'王强强调，各部门要…' -> ('王强', '各部门要…'); otherwise (None, sentence).

    '他/她要求：' continues the leader already speaking.
    """
    at_end = _SPEAKER_AT_END.search(sentence)
    if at_end and at_end.start() > 0:
        # '针对…报送工作，朱莉莉强调，' before '一是…': who speaks, said after a topic
        name = person_name(at_end.group("who")) or _titled_name(at_end.group("who"))
        if name:
            return name, ""
    topic = _TOPIC.match(sentence)
    m = LEADER_VERB.search(sentence[:48 if topic else 24])
    if not m or m.start() == 0:
        return None, sentence
    # '他要求', and after a topic: '针对分厂检修，他要求…'
    if sentence[:m.start()].rsplit("，", 1)[-1] in ("他", "她", "其", "他还", "她还", "他同时", "她同时") and current:
        return current, sentence[m.end():].lstrip("，： ")
    prefix = sentence[:m.start()]
    if topic and "，" in prefix:
        prefix = prefix.rsplit("，", 1)[-1]     # '就创建均衡发展县，叶庆隆要求，…': the topic first
    name = person_name(prefix) or _titled_name(prefix) or _titled_name(_without_last_title(prefix)) \
        or bare_title(prefix)
    if not name:
        return None, sentence
    return name, sentence[m.end():].lstrip("，： ")


# The titles that name one leading person of a meeting when written alone ('董事长结合公司实际，
# 提出三点要求：'); resolve_title gives the person the document names with it.
LEADING_TITLES = tuple(t for t in TITLES if t not in ("同志", "集团", "公司", "学校", "医院", "区政府", "委员",
                                                      "常委", "区委常委", "董事", "调研员", "主任委员"))
_BARE_TITLE = re.compile(r"^(?:会上|会议最后|最后|随后|接着|会议结束前)?，?(?P<title>" + "|".join(LEADING_TITLES)
                         + r")(?P<rest>[^，]*)，?$")


def bare_title(text):
    """'董事长结合公司实际，' -> '董事长': a title alone where a speaker stands; else None."""
    m = _BARE_TITLE.match(text.strip())
    if m is None:
        return None
    rest = m.group("rest")
    return m.group("title") if not rest or rest[0] in _NOT_A_NAME_START else None


def resolve_title(leader, names):
    """'董事长' -> '戴同彬' when the document names exactly one person with that title
    (titled_full_names); else as it was."""
    if leader not in LEADING_TITLES:
        return leader
    holders = [n for n, titles in names.items() if leader in titles]
    return holders[0] if len(holders) == 1 else leader


# A topic the speaker's remark is about, before the speaker: '就涉农资金整合方面，叶庆隆指出，…'.
_TOPIC = re.compile(r"^(?:就|对于|针对|关于|围绕|谈到|谈及|说到)[^，。；：]{2,30}，"
                    r"|^在?[^，。；：]{2,16}(?:会上|会议上|仪式上)，")     # '在重点工作调度会上，丁总强调：'

_SPEAKER_AT_END = re.compile(r"，(?P<who>[^，。；：]{2,16}?)(?:强调|要求|指出|提出)[，：]?$")


def _without_last_title(text):
    """'江南院区建设指挥长周勇院长' -> '江南院区建设指挥长周勇': a name written between two titles."""
    text = text.rstrip("，： ")
    for title in TITLES:
        if text.endswith(title) and len(text) > len(title):
            return text[:-len(title)]
    return text


def _titled_name(text):
    """'县委副书记、代县长王华' -> '王华': the name after the last title, whatever came before it."""
    titled = _TITLED_NAME.search(text)
    return titled and person_name(titled.group("name"))




# A title right before a name at the end of a phrase: '二七区区委书记蔡红' -> '蔡红'.
_TITLED_NAME = re.compile("(?:" + "|".join(t for t in TITLES if t not in ("同志", "集团", "公司", "学校", "医院",
                                                                          "区政府"))
                          + r")(?P<name>[\u4e00-\u9fff]{2,3})$")
# A person as the subject of what they did: '蔡红就…提出要求', '周区长详细听取了…', '武院长部署了…'.
_PERSON_SUBJECT = re.compile(r"(?:^|[，：])(?P<who>[^，。；：]{2,16}?)(?=就|对|针对|围绕|在|详细|部署|听取|提出|主持|"
                             r"强调|要求|指出|作出|做出|作了?总结|做会议总结|带领|带队|率队|向|一行|查看|察看|视察|"
                             r"来到|深入|看望|检查)")


_OPENING_NAME = re.compile(r"^(?:在?[\u4e00-\u9fff“”]{0,14}?(?:会上|会议上|仪式上)|会议最后|最后|随后|接着|首先)?，?(?:由)?"
                           r"(?P<head>[\u4e00-\u9fff、]{2,24})")


def opening_name(text):
    """A name the document gives with a title, opening the sentence: '李某充分肯定了…' -> '李某'."""
    m = _OPENING_NAME.match(text)
    if not m:
        return None
    head = m.group("head")
    for name in _TITLED_IN_DOCUMENT.get():
        at = head.find(name)
        if at >= 0 and (at == 0 or head[:at].endswith(TITLES)):
            return name
    for size in (4, 3, 2):      # '高院长围绕…', '鲁董事长听取…' (not '鲁董事'): a surname and a title
        if len(head) > size and is_short_form(head[:size]) and person_name(head[:size]) == head[:size]:
            return head[:size]
    return None


def leading_person(text):
    """The person a narrative sentence is about, or None.

    '视察结束后，蔡红就下步工作提出具体要求' -> '蔡红'; '会上，武院长部署了近期工作' -> '武院长';
    '副总经理李某主持会议' made 李某 a name of the document: '李某充分肯定了…' -> '李某'.
    """
    opening = opening_name(text)
    if opening:
        return opening
    for m in _PERSON_SUBJECT.finditer(text):
        who = re.sub(r"^(?:会上|会议最后|最后|随后|在[^，]{0,12}上)", "", m.group("who"))
        name = person_name(who)
        if not name:
            titled = _TITLED_NAME.search(who)
            name = titled and person_name(titled.group("name"))
        if name:
            return name
    return None


# (also without a comma before the ones asked: '…作出了部署，他要求各单位…')
_PRONOUN_REMARK = re.compile(r"(?:他|她)(?:还|同时|并)?(?:强调|要求|指出|提出)(?:[，：]|(?=各|全体|相关|有关|大家|\d))")


def split_pronoun_remark(sentence):
    """'会上，武院长部署了近期工作，他强调，要…' -> ('武院长', '要…'); else (None, sentence)."""
    m = _PRONOUN_REMARK.search(sentence)
    if not m or m.start() == 0:
        return None, sentence
    who = leading_person(sentence[:m.start()])
    return (who, sentence[m.end():]) if who else (None, sentence)


# '…，要求各单位…' after an account of what a named person did.
_NARRATED_ASK = re.compile(r"，(?:并|同时|还|会上)?(?=(?:要求|强调)[，：]?[\u4e00-\u9fff])")
# '集团安全督察部高级总监史明介绍了…': the person who presented, then asked.
_PRESENTER = re.compile(r"(?:^|，)(?P<who>[^，。；：]{2,24}?)(?=介绍|通报|汇报|传达|解读|就|对|部署|作了|提出)")


def split_narrated_remark(sentence):
    """'会上，王主任介绍了检查要点，要求各单位…' -> ('王主任', '要求各单位…'); else (None, sentence).

    The person whose account opens the sentence is the one who asks after the comma.
    """
    m = _NARRATED_ASK.search(sentence)
    if not m:
        return None, sentence
    before = sentence[:m.start()]
    who = leading_person(before)
    if not who:
        for p in _PRESENTER.finditer(before):
            raw = re.sub(r"^(?:会上|会议最后|最后|随后|接着)", "", p.group("who"))
            titled = _TITLED_NAME.search(raw)
            who = person_name(raw) or (titled and person_name(titled.group("name")))
            if who:
                break
    return (who, sentence[m.end():]) if who else (None, sentence)


# A sentence that announces what the person will ask: '县长王某就下步工作强调了具体意见', '院长李某作总结强调：'.
ANNOUNCING = re.compile(r"(?:强调|提出|部署|[作做]了?总结|做出|作出)[^，。；]{0,8}(?:意见|要求|部署|措施|讲话)?[：:]?$")


_NAME_AFTER_TITLE = re.compile(
    "(?:" + "|".join(t for t in TITLES if len(t) >= 2 and t not in ("同志", "集团", "公司", "学校", "医院", "区政府"))
    + r")(?P<name>[\u4e00-\u9fff]{2,3})(?=[，。、；：（\s]|同志|主持|强调|要求|指出|讲话|出席|带队|带领|率队|陪同|参加|做|作|就|对|在|来到|一行|"
      r"携|率领|根据|结合|领学|安排|召集|深入|视察|调研|检查)")


# What follows a title but starts no name: '总经理在会上对…', '院长就如何…', '副总经理作总结，'.
_NOT_A_NAME_START = frozenset("在就对作做向从将把与及等率带讲指提听表围针也又再并还首最会同说为以到来去已正亲分结")


def titled_names(text):
    """Every two- or three-character name written right after a title, whatever its surname.

    '党委委员、副校长拓俊杰主持召开…' -> {'拓俊杰'} (拓 is not in SURNAMES).
    """
    names = set()
    for m in _NAME_AFTER_TITLE.finditer(text):
        name = m.group("name")
        if name not in NOT_NAMES and not has_unit_suffix(name) and not name.endswith(TITLES) \
                and not (name[0] not in SURNAMES and name[0] in _NOT_A_NAME_START) \
                and not any(w in name for w in ("会议", "工作", "主持", "召开")):
            names.add(name)
    return frozenset(names)


_PERSON_TITLES = "|".join(t for t in TITLES if len(t) >= 2 and t not in ("同志", "集团", "公司", "学校", "医院", "区政府"))
_TITLE_THEN_NAME = re.compile("(?P<title>" + _PERSON_TITLES + r")(?P<name>[\u4e00-\u9fff]{2,3})(?=[，。、；：（\s]|同志|在|主持|"
                              r"强调|要求|指出|讲话|出席|带队|带领|率队|陪同|参加|调研|就|对|与|和|等|一行|教授|博士)")
# '吴某某市长带队调研', '与隋某某副董事长': the name written before its title.
_NAME_THEN_TITLE = re.compile(r"(?:^|[，。、；：\s与和及])(?P<name>[\u4e00-\u9fff]{3})(?=(?P<title>" + _PERSON_TITLES + "))")


def full_names(text):
    """Every 'title + name' or 'name + title' in a document: the full names a short form ('万总') can stand for."""
    return set(titled_full_names(text))


def titled_full_names(text):
    """full_names with the titles each name is written with: {'吴同': {'副总经理'}, …}."""
    names = {}
    for pattern in (_TITLE_THEN_NAME, _NAME_THEN_TITLE):
        for m in pattern.finditer(text):
            name = person_name(m.group("name"))
            if name and len(name) >= 2 and not name.endswith(TITLES):
                names.setdefault(name, set()).add(m.group("title"))
    return names


def _short_title_fits(short, title):
    """Whether a short form's title can stand for a full title: '总' for 副总经理 or 总裁, '董事长' for 副董事长."""
    if short in ("总", "副总"):
        return "总" in title and "总会计师" != title
    if short in ("董", "副董"):
        return "董事" in title
    return title.endswith(short)


def resolve_short_name(leader, names):
    """'万总' -> '万宝平' when the document names exactly one 万 with a title; else as it was.

    With the titles known (titled_full_names), two names of one surname are told apart by
    title: '吴总' is the 副总经理 吴同, not the 调研员 吴某某.
    """
    if not leader or len(leader) < 2 or leader in names or not is_short_form(leader):
        return leader
    same = sorted(n for n in names if n[0] == leader[0] and n != leader)
    if len(same) > 1 and isinstance(names, dict):
        same = [n for n in same if any(_short_title_fits(leader[1:], t) for t in names[n])]
    return same[0] if len(same) == 1 else leader

