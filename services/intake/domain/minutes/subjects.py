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
                          r"负责人|经理|经理层|管理层|居民区|园区|片区|镇|区|县|厂|矿|物业|系|系部|年级|(?<![值加上下轮跟排])班|标段|网格|"
                          r"网格长|单元长|组长|教师|老师|班主任|职工|同事)$")
_NOT_SUBJECT = re.compile(r"工作(?!人员|组|小组|专班|队)|任务|问题|情况|建设|整改|活动|进度|方案|图|表|意识|^全[\u4e00-\u9fff]$|^全体|"
                          r"(?:例|晨|早|周|月|碰头|交班|座谈|推进|调度|协调)会$|会议$|大会$")   # '监理例会要…': a meeting


# The organisation whose minutes these are, as the subject of its own plans ('我院将于…开展自查',
# '医院要把推进会坚持做下去'): no lead unit (the blind sets' convention; '公司' is left alone,
# the corpora disagree on it).
ORGANISATION_ITSELF = frozenset(("我院", "本院", "医院", "我校", "本校", "学校", "我公司", "本公司"))


# 'X、Y等部门': the kind after 等 says what every piece before it is ('住建、国土等部门要…').
_LISTED_KIND = re.compile(r"^(?P<listed>[\u4e00-\u9fff]{2,}(?:、[\u4e00-\u9fff]{2,})+)等(?:部门|单位|企业|机构|科室|处室|媒体|"
                          r"职能部门|相关部门|有关部门)$")


def _subject_pieces(subject):
    """'各部门、二级学院' -> ['各部门', '二级学院'] when every piece names people or bodies; else [].

    A piece is judged by its head, after its last 的: '有危房改造任务的村委会' is a body;
    'X、Y等部门' names X and Y whatever their heads.
    """
    listed = _LISTED_KIND.match(subject)
    if listed and not _VERB_IN_SUBJECT.search(listed.group("listed")):
        return listed.group("listed").split("、")     # '住房和城乡建设局' holds a 和: only 、 parts
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
            return _subject_pieces(m.group("subject")) or subject_then_doing(clauses[0])
        if k > 0 and (MODAL_WORD.match(clauses[k]) or _SOFT_MODAL.match(clauses[k])):     # '要求X，要…'
            told = _TOLD_SUBJECT.match(clauses[k - 1]) or _SUBJECT_AS.match(clauses[k - 1])
            if told:
                return _subject_pieces(told.group("subject"))
        return subject_then_doing(clauses[0])
    m = _ASKED_SUBJECT.match(clauses[0])
    if m:
        return _subject_pieces(m.group("subject"))
    put = next((_PUT_IN_CHARGE.match(c) for c in clauses if _PUT_IN_CHARGE.match(c)), None)
    return _subject_pieces(put.group("subject")) if put else subject_then_doing(clauses[0])


# Before a subject that no modal follows: who asks, a list mark, or when ('放假前各系安排…',
# '2012年1月10日前任课教师将…', '要求分厂制定…', '请各单位妥善安排…').
_BEFORE_DOER = re.compile(r"^(?:[一二三四五六七八九十]是)?(?:会议|会上)?(?:决定|要求|责成|希望|望|请)?[，：]?"
                          r"(?:(?:\d{4}年)?(?:\d{1,2}月)?\d{1,2}[日号](?:前|之前|以前)?|放假前|会后|近期|下一步)?，?"
                          r"(?:请|由)?")
# What a doer does right after its name, a date between or not: '各部门28日将…', '物业安排专人…',
# '王家河街道项目部12月15日前要完成清零', '各职能部门定期…', '各子公司請在…前…'.
_DOING = re.compile(r"(?:\d{4}年)?(?:\d{1,2}月)?(?:\d{1,2}[日号])?(?:底|中旬|上旬|下旬)?(?:前|之前|以前)?"
                    r"(?:要(?![求点素闻件])|须|必须|务必|应(?![急用对收付聘届征该当])|需(?!求)|将|可|請|请在|请于|在|于|"
                    r"定期|及时|立即|尽快|抓紧|认真|切实|积极|统筹|主动|妥善|高度重视|负责(?!人)|牵头(?!部门|单位)|安排|组织|开展|做好|"
                    r"抓好|完成|落实|制定|确保|进行|对照|按|根据|结合|督促|指导|配合|利用|启动|建立|继续|要求|有序|限期|采取|"
                    r"进一步|密切|广泛|总负责|齐心协力|着手|"
                    r"(?:放假前|节前|节后|会后|近期|每天|每周|每月)(?:要|须|必须|务必|应|需|将))")
# The doer's name: bodies and people, no verb, at most this long.
_DOER_CHARS = re.compile(r"[\u4e00-\u9fff、（）()和及]+")
_DOER_LONGEST = 20


def subject_then_doing(clause):
    """Who a clause that asks with no modal names first, as written: '各部门28日将值班表交至党政办'
    -> ['各部门'], '物业安排专人负责…' -> ['物业']; [] when the words before what is done are no
    body or people (the shortest name that is one and is followed by a doing word wins)."""
    body = _BEFORE_DOER.sub("", clause, count=1)
    run = _DOER_CHARS.match(body)
    if not run:
        return []
    if _NOT_DOER_START.match(body):
        return []
    for end in range(2, min(len(run.group(0)), _DOER_LONGEST) + 1):
        if _DOING.match(body, end):
            pieces = _subject_pieces(body[:end])
            if pieces and not any(_THING_AS_DOER.search(p) for p in pieces):
                return pieces
    return []


# A clause that opens with a preposition or a verb names no doer first: '对转岗人员及时进行…',
# '以高度负责的精神指导…', '协同各街道做好…', '把已经排定好的…'.
_NOT_DOER_START = re.compile(r"^(?:对|對|以|把|将|將|在|为|為|从|從|向|给|與|与|协同|動員|动员|提醒|督促|指导|指定|按照|根据|"
                             r"针对|通过|加强|加快|做好|落实)")
# A project is where work is done, not who does it ('思沃瑞一期项目要具备验收条件'), unless each one is
# asked ('各项目要进行自查').
_THING_AS_DOER = re.compile(r"^(?![各每])[\u4e00-\u9fff]*(?:项目|項目)$")


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
