"""Who an action read from prose is for when its unit mentions do not say it all.

The subject as written ('各部门、二级学院要…'), a collective as subject ('各单位要…'), whom a
heading addresses ('对A、B提出三点要求：'), a person put in charge ('由王某同志负责'), and the
units in brackets that close a work-plan item ('（市政府办公室牵头）').
"""

import re

from .actions import units_of
from .leaders import person_name
from .subjects import ASKED, subject_as_written
from .unit_lists import closing_unit_names
from .unit_names import is_generic_collective
from .units import find_unit_mentions
from .vocabulary import ACTION_WORDS, MODAL_WORD

# A collective as the subject ('各单位要…', '请相关二级公司…', '集团有关部门按照职责分工…'):
# no directory unit, but the reviewer should see who was addressed, as written.
GENERIC_SUBJECT = re.compile(
    r"(?:^|，)(?:[一二三四五六七八九十]是)?(?:会议|会上)?(?:要求|强调|指出|明确)?[，：]?(?:要求|请|责成|由)?"
    r"(?P<who>(?:政府|集团|公司|全校|全院|全区|全市|全县|市直|区直|县直|市级|区级|县级)?(?:各级|各有关|各相关|各|相关|有关)"
    r"[\u4e00-\u9fff]{0,6}?(?:部门|单位|公司|企业|工作组|村|街道办事处|街道|乡镇|镇街|学院|科室|处室|部室|院系|"
    r"项目部|监理部|指挥部|项目(?!部|监理)))"     # '各项目监理部组织召开…'
    r"(?=[，、和及]|要|须|应|务必|必须|会后|对|按照|根据|负责|牵头|抓紧|尽快|在|于|将|全面|切实|认真|进行|准备|组织|"
    r"细致|扎实|积极|主动|及时|严格|全力|迅速|立即|进一步|继续|持续|做好|抓好|加强|加快|落实|"
    r"(?:最|当前|目前)?(?:主要|首要|重点)?的?任务是)")
INTRO = re.compile(r"^(?:[一二三四五六七八九十]是)?(?:会议|会上)?(?:同时|还|并|进一步|再次|特别)?"
                   r"(?:要求|强调|指出|明确|提出)?[，：]?")


def widen_lead(lead, text):
    """The lead a sentence's subject names as written, when the mentions found only part of it.

    '各部门、二级学院要…': the mentions find 二级学院 (a collective is no unit mention), the
    subject names both; a lead found elsewhere in the sentence (由A负责) is kept.
    """
    subject = subject_as_written(text)
    if not subject:
        return lead, False
    if not lead:
        return subject, True
    if ASKED.match(text) and not any(name in text[:len(ASKED.match(text).group(0)) + 2] for name in lead):
        return subject, True    # '望全院各科室对肛肠科进行宣传': who is asked, not what they talk about
    if all(any(name in piece or piece in name for piece in subject) for name in lead) and len(subject) > len(lead):
        return subject, False
    if len(subject) == len(lead) and all(n.startswith("各") and p.startswith(n) and len(p) > len(n)
                                         for n, p in zip(lead, subject)):
        return subject, False   # '各村（居）委会要…': the set as written, not the kind the scan found (各村)
    return lead, False


# '他对集团各单位下一步…提出了要求：' - who the requirements are addressed to leads the items.
ADDRESSED = re.compile(r"对(?P<who>[\u4e00-\u9fff、]{0,14}(?:单位|部门|公司|企业|科室|处室|人员|干部|职工|班子|处|局|委|办|院|校|"
                       r"中心|部|室|所|站|队|组))(?=[^，。；：]{0,40}(?:提出|作出|做出)了?(?:明确|具体|殷切)?的?(?:\d+|[一二两三四五六七八九十]+|以下|如下|几)?"
                       r"(?:项|个|点|方面)?(?:工作)?要求)")


def addressed(heading, text):
    """A list heading's candidate, led by whom its requirements are addressed to when it names no lead."""
    m = ADDRESSED.search(text)
    if m:
        names = [n for n in re.split(r"、|和|及", m.group("who")) if n]
        heading.lead, heading.weak = names, True
        heading.generic = any(is_generic_collective(re.sub(r"^(?:集团|公司|全体|全校|全院)", "", n)) for n in names)
    return heading


def generic_subject(text):
    """The first collective that is the subject of the action ('各单位要…'), or None.

    Only when nothing before it already does something: in '医院将组织…志愿者…，各职能部门…'
    the collective is not who acts.  A collective whose task is stated ('各单位最主要的任务是…') is its subject too.
    """
    m = GENERIC_SUBJECT.search(text)
    if m is None:
        return None
    before = INTRO.sub("", text[:m.start()], count=1)
    return None if ACTION_WORDS.search(before) or MODAL_WORD.search(before) else m


_IN_CHARGE = re.compile(r"由(?:[^，。；、]{0,12}?(?:书记|区长|市长|县长|镇长|局长|主任|总经理|董事长|院长|校长|经理)?)?"
                        r"(?P<who>[\u4e00-\u9fff]{2,3}?)(?:同志|(?P<title>副?(?:书记|区长|市长|县长|镇长|乡长|局长|主任|"
                        r"总经理|董事长|院长|校长|经理|部长|处长|主席)))(?:负责|牵头|挂帅|督办|协调|统筹)")


def person_in_charge(text):
    """'由王某同志负责' / '由副区长王某同志牵头' / '由王某某副市长负责': the leader a task is put under, as a match, or None.

    Before a title only a full name of three characters counts: '由常务副区长负责', '由项目经理负责',
    '由李副区长负责' name a post, not a person.
    """
    m = _IN_CHARGE.search(text)
    if not m or person_name(m.group("who")) != m.group("who"):
        return None
    return m if not m.group("title") or (len(m.group("who")) == 3 and not m.group("who").endswith("副")) else None


def phrase_around(text, name, margin=4):
    """The words around a unit name in the task: '由区财政局牵头' out of '…，由区财政局牵头，…'."""
    at = text.find(name)
    if at < 0:
        return name
    left = re.split(r"[，。；：、]", text[max(0, at - margin):at])[-1]
    right = re.split(r"[，。；：、]", text[at + len(name):at + len(name) + margin])[0]
    return left + name + right


_CLOSING = re.compile(r"^[（(](?P<inner>[^（）()]*(?:牵头|负责|配合|责任单位)[^（）()]*)[）)]$")


def closing_assignment(text, ctx):
    """'（市政府办公室牵头，各有关部门按职责分工负责）' closing a work-plan item -> (lead, co, phrase).

    A bracket holding unit names and nothing else ('（区民政局）', '（区财政局、区审计局）')
    names the item's lead as well.

    Work plans put the units of a whole numbered item in brackets after its last
    sentence; they lead every action of the item that names no lead of its own.
    """
    m = _CLOSING.match(text.strip())
    if not m:
        names = closing_unit_names(text.strip(), ctx.directory)
        return (names, [], text.strip()) if names else None
    lead, co, _weak = units_of(find_unit_mentions(m.group("inner"), ctx.directory))
    return (lead, co, text.strip()) if lead else None
