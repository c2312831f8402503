"""Who a sentence addresses, as written: the people or bodies its asking clause opens with.

'各部门、二级学院要细化方案' names 各部门 and 二级学院 although only 二级学院 is a unit mention;
'县政府各分管领导要…' names a group of people no unit scan finds.  prose_leads.widen_lead makes them
the lead as written.
"""

import re

from .vocabulary import LIST_MARK, MODAL_WORD

# The words that open a sentence before its subject: '会议要求，', '一是', '最后，', '要求'.
_SUBJECT_INTRO = re.compile(r"^(?:[一二三四五六七八九十]是)?(?:会议|会上|最后|同时|此外|本周|下周|本月|会后|近期)?[，]?(?:还|同时|进一步)?"
                            r"(?:要求|强调|指出|明确|希望|请)?[，：]?")
# A subject written before its modal: '各部门、二级学院要…', '各牵头县领导要…', '区绩效考评机构要…'.
_SUBJECT_BEFORE_MODAL = re.compile(r"^(?P<subject>[\u4e00-\u9fff、（）()和及]{2,30}?)，?(?:还|也|都|均|更|一定)?(?:" + LIST_MARK + ")?"
                                   r"(?:(?<![重主需纪概提摘简扼])要|须|必须|务必|应当|需要|需(?!求)|(?<![相响适对供反效答呼顺感])应(?![急用对收付聘届征该])|负责(?!人|同志)|牵头(?!部门|单位|领导|处室|科室))"
                                   r"(?![求点素闻件])")
# The same, with nothing between the subject and its modal: what starts a new action mid-sentence.
_OPENING_SUBJECT = re.compile(r"^(?P<subject>[\u4e00-\u9fff、（）()和及]{2,30}?)，?(?:(?<![重主需纪概提摘简扼])要|须|必须|务必|应当|负责|牵头)"
                              r"(?![求点素闻件])")
# Modals that ask more softly than MODAL_WORD: '物业负责人应在…', '各公司需要…'.
_SOFT_MODAL = re.compile(r"需要|(?<![所急必亟无])需(?![求])|(?<![相响适对供反效答呼顺感])应(?![急用对收付聘届征该当])")
# What a subject written as people or bodies ends with.
_SUBJECT_END = re.compile(r"(?:部门|单位|公司|企业|学院|科室|处室|部室|机构|领导|干部|人员|项目|村|社区|乡镇|镇街|街道|"
                          r"小组|专班|工作组|班子|成员|院|校|局|委|办|中心|站|所|队|队伍|组|会|厅|处|科|室|部|村组|员|方|"
                          r"负责人|经理|经理层|管理层|居民区|园区|片区|镇)$")
_NOT_SUBJECT = re.compile(r"工作(?!人员|组|专班|队)|任务|问题|情况|建设|整改|活动|进度|方案|图|表|意识|^全[\u4e00-\u9fff]$|^全体|"
                          r"(?:例|晨|早|周|月|碰头|交班|座谈|推进|调度|协调)会$|会议$|大会$")   # '监理例会要…': a meeting


# The organisation whose minutes these are, as the subject of its own plans ('我院将于…开展自查',
# '医院要把推进会坚持做下去'): no lead unit (the blind sets' convention; '公司' is left alone,
# the corpora disagree on it).
ORGANISATION_ITSELF = frozenset(("我院", "本院", "医院", "我校", "本校", "学校", "我公司", "本公司"))


def _subject_pieces(subject):
    """'各部门、二级学院' -> ['各部门', '二级学院'] when every piece names people or bodies; else [].

    A piece is judged by its head, after its last 的: '有危房改造任务的村委会' is a body.
    """
    pieces = [p for p in re.split(r"、|以及|和|(?<![涉以普危触])及", subject) if p]     # '项目涉及乡镇' is one
    heads = [re.sub(r"[（(][^）)]*[）)]$", "", p.split("的")[-1]) for p in pieces]     # '各乡镇（街道）'
    if not pieces or any(h in ORGANISATION_ITSELF or len(h) < 2 or not _SUBJECT_END.search(h) or _NOT_SUBJECT.search(h)
                         or _VERB_IN_SUBJECT.search(h) for h in heads):
        return []
    return pieces


def subject_as_written(text):
    """The units or people a sentence's asking clause opens with, as written; [] when none.

    '各部门、二级学院要细化方案' -> ['各部门', '二级学院'];
    '县政府各分管领导要持续督导…' -> ['县政府各分管领导']; '要加强沟通' -> [];
    '二是要求全院新调整的科级干部，要明确…' -> ['全院新调整的科级干部'];
    '要求集团各单位高度重视，…' -> ['集团各单位'];
    '各作战单位任务进度图要上墙' -> [] (the subject is a thing).
    """
    clauses = text.split("，")
    modal = [i for i, c in enumerate(clauses) if MODAL_WORD.search(c) or _SOFT_MODAL.search(c)]
    k = modal[0] if modal else None
    if k is not None:
        body = _SUBJECT_INTRO.sub("", clauses[k], count=1) if k == 0 or _SUBJECT_BEFORE_MODAL.match(clauses[k]) \
            else clauses[k]
        m = _SUBJECT_BEFORE_MODAL.match(body)
        if m and _NOT_SUBJECT.search(m.group("subject")) and len(modal) > 1:
            # '清欠工作需抓紧进行，公司相关领导…要上下联动': a topic before the first modal, the people after
            return subject_as_written("，".join(clauses[modal[1]:]))
        if m:
            return _subject_pieces(m.group("subject"))
        if k > 0 and (MODAL_WORD.match(clauses[k]) or _SOFT_MODAL.match(clauses[k])):     # '要求X，要…'
            told = _TOLD_SUBJECT.match(clauses[k - 1]) or _SUBJECT_AS.match(clauses[k - 1])
            if told:
                return _subject_pieces(told.group("subject"))
        return []
    m = _ASKED_SUBJECT.match(clauses[0])
    if m:
        return _subject_pieces(m.group("subject"))
    put = next((_PUT_IN_CHARGE.match(c) for c in clauses if _PUT_IN_CHARGE.match(c)), None)
    return _subject_pieces(put.group("subject")) if put else []


def opens_with_subject(clause):
    """'各相关部门要认真完善台账' -> True: the clause names who it asks before its modal.

    Only a subject right before its modal starts a new action here: '…，值班人员也要做好…'
    continues the task of the people before it (subject_as_written still reads it)."""
    m = _OPENING_SUBJECT.match(clause)
    return bool(m) and bool(_subject_pieces(m.group("subject")))


# 'X要…' where X contains 牵头/责任 is still a subject ('各牵头县领导', '各责任单位'); verbs are not.
_VERB_IN_SUBJECT = re.compile(r"(?<![重主需纪概提摘简扼])要|须|应|加快|加强|做好|抓好|落实|推进|完成|制定|开展|组织|建立|督促|研究|明确|确保")
# '二是要求全院新调整的科级干部' before '，要…'.
_TOLD_SUBJECT = re.compile(r"^(?:[一二三四五六七八九十]是)?(?:会议)?(?:要求|请|责成)(?P<subject>[\u4e00-\u9fff、]{2,20})$")
# '要求集团各单位高度重视…': the subject between the ask and the first word of doing.
_ASKED_SUBJECT = re.compile(r"^(?:[一二三四五六七八九十]是)?(?:会议)?(?:要求|责成|希望|望)(?P<subject>[\u4e00-\u9fff、]{2,24}?)"
                            r"(?=高度重视|认真|切实|全面|深入|加快|加强|做好|抓好|立即|尽快|按照|结合|对照|严格|积极|及时|广泛|"
                            r"进一步|细致|迅速|抓紧|务必|尽早|主动|统筹|密切|充分|要(?![求点素闻件]))")
# '各项目经理作为工程款的责任人，需按照合同…': who is named as answerable, then asked.
_SUBJECT_AS = re.compile(r"^(?:[一二三四五六七八九十]是)?(?P<subject>[\u4e00-\u9fff、]{2,20}?)作为")
# '由分管领导和项目经理负责清欠': people put in charge, whom no unit scan finds.
_PUT_IN_CHARGE = re.compile(r"^(?:[一二三四五六七八九十]是)?由(?P<subject>[\u4e00-\u9fff、]{2,20}?)(?:负责|牵头)(?!人|同志)")
ASKED = re.compile(r"^(?:[一二三四五六七八九十]是)?(?:会议)?(?:要求|责成|希望|望)")
