"""The rule table: sentences that are not actions.

Each rule is a small function `rule(sentence) -> bool` over a `context.Sentence`, with
an example of what it catches in its docstring.  `NOT_ACTION_RULES` lists them in the
order the pipeline asks them; the first that answers True drops the sentence (a
deferring rule records it in `meta["deferred"]` instead of dropping it silently).
To add a rule: write the function next to its neighbours, put it in the table where
it belongs (earlier rules see the sentence first), and add a test with an invented
example to tests/intake/test_rules.py.  docs/intake.md explains the whole pipeline.
"""

import re

from .unit_names import has_unit_suffix
from .vocabulary import ACTION_WORDS, ASKING, DECISION, MODAL_WORD, blank_spans

# ---- vocabulary of the rules --------------------------------------------------------
DEFERRED = re.compile(r"暂缓|(?:后|以后)再行(?:研究|审议|上会)|另行(?:提交|提请|报请)?(?:会议|常务会议|党委会|办公会)?(?:研究|审议)|不予同意|不同意|不予支持|不予批准|暂不|再议|搁置|"
                      r"待.{1,30}?后再(?:议|研究|定|行)|下次会议(?:再)?研究|择期研究")
DESCRIPTIVE = re.compile(
    r"^(?:会议|会上|与会)?(?:集中|专题|认真|系统|深入|首先|还|并)?(?:听取|审议了|研究了|学习了|传达了|通报了|传达学习了|审议通过了|讨论通过了|观看|充分肯定|肯定|认为|指出|分析|总结|回顾|"
    r"参加会议|出席|列席|会议由|会议在|现将|主持|与会人员|与会同志|大家|一致认为)|主持召开|纪要如下|如下：?$|"
    r"(?:作|作出|做出|提出)(?:了)?如下(?:部署|安排|要求|决定|意见)：?$")
_DESCRIPTIVE_BUT_ASKS = re.compile(r"(?:指出|认为|强调|研究|审议)[，：]?(?:要|须|必须|务必|应|各|由|请)")
PAST = re.compile(r"(?:已经|已|均已|基本已)(?:全部|基本|全面|顺利|如期|按期|按程序)?"
                  r"(?:完成|开展|启动|制定|实施|落实|建成|到位|形成|印发|完工|竣工|办结|投用|上报|处理)|"
                  r"(?:汇报|介绍|通报|报告|说明|反映)了|"
                  r"作了[\u4e00-\u9fff]{0,6}(?:发言|汇报|报告|说明|讲话|辅导)")
VOTE = re.compile(r"^(?:表决结果|投票结果|表决情况)[：:]|^(?:同意|赞成)\d+票[，、]")
RELAYED = re.compile(r"^(?:按照|根据)?(?:上级|集团|集团公司|总部|省委|省政府|市委|市政府|县委|县政府|区委|区政府|省厅|主管部门)"
                     r"(?:文件|通知)?要求")
_MEETING_ANSWERS = re.compile(r"^会议(?:明确|决定|要求|议定|研究决定|确定)")
_FIGURE = re.compile(r"\d(?:[\d.]*)\s*(?:%|％|个百分点|亿美元|万美元|亿元|万元|元|亿|万|套|户|件次|件|个|项|家|"
                     r"人次|人|起|批次|平方米|吨|千瓦时|公里|辆|条|所|天)")
_FIGURE_REPORT = re.compile(r"同比|环比|较上年|较去年|较年初|较上月|累计|占年度|完成年度|占全年|完成全年|"
                            r"截至|截止|共(?:发生|受理|实现|完成|签约|排查|办理)|营业收入|利润总额|净利润|"
                            r"现金流|回款率|完成率|增长|下降|已(?!要)|共(?:召开|研究|审议|开展|举办)|共\d|等\d+[项个件次]$|"
                            r"总投资|计划投资|总规模|率(?:达到?|为)?\d")
_ASSESSMENT = re.compile(r"^[^，。；]{0,12}(?:总体|整体)上?(?:有序|平稳|良好|稳定|可控|向好|符合|较好)|"
                         r"(?:至今|迄今|尚|仍|一直|迟迟)未[\u4e00-\u9fff]|"
                         r"(?:高于|低于|好于|优于|多于|少于)(?:往年|去年|上年|同期)|"
                         r"但[^，。；]{0,20}(?:偏慢|偏少|偏高|偏低|不明显|不高|不足|滞后|薄弱|短板|不到位|较多|较高|较大)|"
                         r"进度(?:相对|较为|比较|明显)?(?:缓慢|滞后|偏慢)|(?:正|均)按(?:序时|计划|节点)?(?:进度)?推进")
_MECHANISM = re.compile(r"实行[^，。；]{0,8}?按?(?:周|月|季度?|旬|年)(?:调度|通报|督导|督查|考核|讲评|报告)|"
                        r"按(?:周|月|季度?|旬)(?:调度|通报)")
_ASSESSING = re.compile(r"^(?:会议|会上)?(?:还|并|同时)?(?:指出|认为|分析)")
_ASSIGNING_RIGHT = re.compile(r"^(?:要(?![求点素闻件])|须|必须|务必|应当|负责|牵头|会同)")
_TIME_LIMIT_WORD = re.compile(r"前|内|底|末|止")


# A dated account of the meeting or visit itself, as a news report opens:
# '5月8日上午，某区召开…专题会议' / '10月31日，区长带队调研…'.
_DATED_EVENT = re.compile(r"(?:\d{1,2}月\d{1,2}(?:[-—～至]\d{1,2})?日|(?<![\d月])\d{1,2}(?:[-—～至]\d{1,2})?日(?=[，上下至])|"
                          r"近日|日前|本报讯|讯)"
                          r"(?:[上下中]午|晚上?|早上|早晨|清晨|傍晚|凌晨|夜间)?[^。；]{0,60}?(?:召开|举行|带队|带领|调研|视察|检查|现场办公|主持|作出批示|"
                          r"做出批示|如期进行|组织|学习|传达|召集)|"
                          r"^(?:(?:\d{1,2}月)?\d{1,2}(?:[-—～至]\d{1,2})?日|今天|昨天|今日|本周[一二三四五六日]|上周[一二三四五六日]?|本月|上月)"
                          r"(?:[上下中]午|晚上?|早上|早晨|清晨|傍晚|凌晨|夜间)?，"
                          r"[^。；]{0,60}?(?:来到|深入|走访|接待|慰问|派出|完成了|开展了|进行了|召开|举行|组织|检查)")
# Who attended: '副区长某某…参加会议', '局城建科…负责人参会', '区住建局…陪同调研'.
_ATTENDANCE = re.compile(r"(?:参加(?:了)?(?:此次|本次|这次)(?:会议|活动|座谈)|参加会议|参加(?:调研|视察|检查)(?:督办)?|参加了会议|参会|出席会议|出席了会议|列席会议|陪同调研|陪同视察|陪同检查|陪同|到会|"
                         r"(?:负责人|负责同志|有关人员|相关人员|有关科室|有关单位|全体成员|班子成员|成员)参加(?:了?[^，。；]{0,10}(?:研究|讨论|审议))?"
                         r"(?:[（(][^）)]{0,12}[）)])?(?:，会议由[^，。；]{2,24}主持)?|^[^，。；]{4,60}(?:负责人|负责同志))$")
# The covering words of a notice: '现将《…方案》印发给你们，请认真贯彻落实'.
_TRANSMITTAL = re.compile(r"现将[^，。；]{0,6}《[^》]+》[^，。；]{0,24}(?:(?:印发|转发|下发|发)给你们|予以(?:分解)?(?:印发|下发))")
# What a speaker did at the meeting: '会上，X对…进行了汇报', '…作了具体部署', '…提出了修改意见和建议'.
_SPOKE = re.compile(r"^(?:首先|接着|随后|然后|其后|其次)[，]|^其后|进行[^，。；]{0,4}解读|表示祝贺|表态发言|纷纷表示|"
                    r"(?:进行了?|上台|作了?|做了?)(?:交流|表态|专题)?发言|"
                    r"(?:进行了|(?<![工操创制])作了?|做了)[^，。；]{0,4}(?:解读|总结|讲话|动员|强调)|"
                    r"传达了|宣布《|讲话并提出|进行了?(?:汇报|部署|安排部署|安排|通报|说明|点评|总结|分析研判|研判|调度)|进行安排部署|作了[^，。；]{0,10}(?:部署|安排|要求)|"
                    r"提出了[^，。；]{0,12}(?:意见|建议|要求)|对[^，。；]{0,30}(?:作了|作出了|进行了)")
# '会议审议《…》' / '会议研究讨论了…': what was on the agenda, not what was decided.
_AGENDA = re.compile(r"^(?:会议|会上)(?:审议|研究讨论了?|讨论了?|研究了?)(?!通过|同意|决定)|^审议《")
# A short heading inside a run-in list: '一是确保进度' before the sentence that says how.
_LIST_HEADING = re.compile(r"^[一二三四五六七八九十]是[\u4e00-\u9fff]{2,6}$")
# Exhortations: attitude and effort asked of everyone ('要提高政治站位', '牢固树立…意识').
_ATTITUDE = re.compile(r"高度重视|重要意义|本着|创造条件|思想|认识|意识|站位|理念|精神|作风|使命感|紧迫感|责任感|一盘棋|"
                       r"汲取|领会|统一到|凸显|围绕|高度在位|履行职责|严防死守|严格执行|千方百计|精准研判|关心关爱|"
                       r"层层压实|(?:维护|持续)[^，。；]{0,6}稳定|导向|立足|"
                       r"(?:履行|压实|落实)[^，。；]{0,6}责任|各负其责|主动作为|担当|防范未然|"
                       r"(?:加大|加强)[^，。；]{0,8}力度|确保[^，。；]{0,8}(?:安全|稳定|到位|顺利)")
# What a task delivers: a plan, a list, a report, a fix, a count - something one can check.
_DELIVERABLE = re.compile(r"方案|清单|材料|报告|台账|名单|计划|细则|办法|制度|标识|摸清|摸底|排查|整改|"
                          r"公示|上报|报送|提交|形成|(?<!任务)(?<!目标)(?<!全面)(?<!圆满)(?<!顺利)完成|建成|开工|完工|上线|拨付|销号|验收|审核|修订|编制|召开|(?<!党)(?<!各级)组织(?!部)|"
                          r"建立|设立|成立|组建|设置|梳理|谋划|监督检查|督查|检查|开展(?!好)|自评|自查|"
                          r"(?<!环境)改造|工程|治理(?!能力|体系|效能|水平)")
# Effort urged without saying what to deliver: '切实…', '认真…', '抓好…', '严肃工作纪律'.
_EFFORT = re.compile(r"切实|扎实|认真|深刻|坚决|全力|努力|千方百计|迎难而上|严格|严把|严肃|谨慎|掌握好|把握好|抓好|抓实|抓细|亲自|"
                     r"工作纪律|问责|取得实效|圆满完成|全面完成|(?:开展|做|抓)好(?:此项|这项|各项)工作")
# What a text follows or carries on rather than delivers: '按照方案要求', '执行…制度', '抓好…整改',
# '整改进度', '计划的连续性', a 《title》 already adopted, '原材料'.
_FOLLOWED = re.compile(r"(?:按照?|对照|根据|依照|执行|落实)[^，。；]{0,8}?(?:方案|计划|制度|办法|要求)|"
                       r"整改(?:进度|落实|工作|任务|要求|事项)|(?:抓好|推进|敷衍|督察)[^，。；]{0,10}?整改|"
                       r"计划的|原材料|组织落实|《[^》]*》|该[\u4e00-\u9fff]{1,2}的[\u4e00-\u9fff]{1,2}")
# A collective that is no unit of its own: '各部门', '有关单位', '全集团'.
_COLLECTIVE = re.compile(r"^(?:各|相关|有关|其他|所有|全)")
# A slogan line of a run-in list: '二是制度要健全', '督导要到位' - a standard, no task.
_SLOGAN = re.compile(r"^(?:[一二三四五六七八九十]是)?[\u4e00-\u9fff]{2,4}要(?:到位|得力|提高|健全|有力|扎实|严格|强化|细致|精准|落实)(?:[，]|$)")
# The purpose or guiding line before what follows: '为加强…，确保…', '以…为指导，…'.
_PURPOSE = re.compile(r"^(?:为了?|为进一步)(?:进一步)?(?:加强|推进|推动|贯彻|落实|做好|确保|提升|提高|规范|加快|强化)|^以[^，。；]{2,40}为指导")
# Progress as it stands: '截至目前，已办结15件', '截至8月5日，以下问题整改进度缓慢'.
_PROGRESS = re.compile(r"^(?:截至|截止到?|到目前为止|目前|当前|现阶段)[^，。；]{0,12}[，：]?|"
                       r"(?:都在|均在|正在)(?:组织|进行|开展|推进|加紧)")
# What a meeting or a visit gave, in the past: '进一步明确了工作目标', '树立了正确的工作导向'.
_PAST_RESULT = re.compile(r"(?<!除)(?<!为)[\u4e00-\u9fff、](?:明确|打开|提升|树立|解决|取得|形成|推动|促进|增强|营造|凝聚|指明|统一|奠定)了")
_PAST_RESULT_GOAL = re.compile(r"了[^，。；]{0,6}目标")
# A sentence that only announces the requirements that follow: '…对项目建设提出明确要求'.
_ANNOUNCES = re.compile(r"(?:提出|作出|做出)了?[^，。；：]{0,8}?(?:要求|部署|安排|意见)：?$|"
                        r"^(?:[一二三四五六七八九十两几\d]+[点条项])?(?:具体|工作|几点)?(?:要求|意见|部署)：?$")
# How the meeting ran: '按照会议议程，首先由…介绍…', '第二个专题以…为切入点展开'.
_RUN_OF_THE_MEETING = re.compile(r"议程|^第[一二三四五六七八九十\d]+个?(?:专题|议题|环节|阶段)[^，。；]{0,4}(?:以|是|围绕|由)"
                                 # '会议先后由职能部门、子公司对…进行汇报': reports heard in turn
                                 r"|(?:先后|分别|依次|首先|随后|接着)由[^，。；]{1,30}?(?:对|就)[^，。；]{1,40}?"
                                 r"(?:进行|作|做)了?(?:工作)?(?:汇报|说明|介绍|通报|发言|点评)"
                                 # '随后各副总经理就各自分管工作安排部署': each speaker on his own area
                                 r"|就各自(?:分管|负责)[^，。；]{0,8}(?:作|做|进行)?了?(?:安排部署|表态发言|表态|发言)")
# The scene set before what is asked: '今年是新办法实施的第一年'.
_SCENE = re.compile(r"^(?:今年|明年|去年|本年度?|\d{4}年)是")
# How a team is made up: '专班由A、B等5个部门组建，共12人'.
_TEAM = re.compile(r"由[^，。；]{2,60}(?:共同)?(?:组建|组成)(?:[，]共\d+(?:人|名))?(?:[，]|$)|[，]共\d+(?:人|名)(?:[，]|$)")
# A visit told as it went: '区长详细了解项目进展', '实地察看施工现场', '视察过程中，…'.
_VISIT = re.compile(r"(?:详细|实地|逐一|仔细)(?:了解|察看|查看|询问|听取)|^(?:视察|调研|检查|察看)(?:过程中|期间|途中)，")
# A news report on a unit by name: '该院…', '该局…'.
_THIRD_PERSON = re.compile(r"该(?:院|局|委|办|所|站|校|公司|集团|中心|镇|乡|街道|区|县|市)")
# A task that is itself an event on a date: '节后召开党员大会', '会后组织专题培训'.
_TIMED_EVENT = re.compile(r"^(?:节前|节后|会后|近期|下周|下月|月底|年底|年内|[^，。；]{0,6}(?:前|后))(?:召开|举办|举行|组织|开展)")
# A request put to someone: '请相关单位…', '责成A…', '要求B…'.
_REQUEST = re.compile(r"^(?:会议)?(?:请|责成|要求|通知)")
_MODAL_ANY = re.compile(MODAL_WORD.pattern + r"|(?<![相响适对供反效答呼顺感])应(?![急用对收付聘届征])")


# ---- the rules ----------------------------------------------------------------------
def is_vote_line(s):
    """'表决结果：同意9票，反对0票，弃权0票' records how a resolution passed."""
    return bool(VOTE.match(s.text))


def is_deferred(s):
    """'该事项暂缓实施' / '待评估后再议' / '不予同意' defers the decision: recorded, not drafted."""
    return bool(DEFERRED.search(s.text))


def _assigns_after_assessment(s):
    """'会议指出，形势严峻，A要会同B…': after the assessment a unit is told what to do."""
    if not _ASSESSING.match(s.text):
        return False
    return any(m.role in ("lead", "supervise") and m.start > 0 and s.text[m.start - 1] == "，"
               and _ASSIGNING_RIGHT.match(m.right_text or "") for m in s.mentions)


def describes_the_meeting(s):
    """'会议听取了区住建局关于…的汇报' / '会议认为…' / '现纪要如下：' tell what the meeting did."""
    return bool(DESCRIPTIVE.search(s.text)) and not _DESCRIPTIVE_BUT_ASKS.search(s.text) \
        and not _assigns_after_assessment(s)


def only_introduces(s):
    """'会议要求：' introduces the list that follows; without it nothing is left."""
    return not re.search(r"[\u4e00-\u9fff]{2}", DECISION.sub("", s.text))


_NUMBERED_LIST_HEAD = re.compile(r"(?:做好|抓好|落实|完成|突出|把握|做到|坚持|推进|提出|强调|有)(?:以下|如下|好)?"
                                 r"(?:\d+|[一二两三四五六七八九十]+)(?:项|个|点|方面)(?:重点)?(?:工作|任务|要求|事项|重点)?$")
_LIST_ITEM_START = re.compile(r"^(?:[一二三四五六七八九十]是|（[一二三四五六七八九十]）|[一二三四五六七八九十]、|\d+[.、])")


# '各村（居）要做好以下工作：' - a list announced without its number.
_UNNUMBERED_LIST_HEAD = re.compile(r"(?:做好|抓好|落实|完成|做到|推进|强调|提出|明确)(?:以下|如下)(?:几)?(?:项|个|点|方面)?"
                                   r"(?:重点)?(?:工作|任务|要求|事项)?$"
                                   # '他对集团各单位下一步…提出了要求。一是…'
                                   r"|(?:提出|作出|做出)了?(?:明确|具体|殷切)?的?要求$")


def announces_a_numbered_list(s):
    """'各企业、各部门要做好4项工作：一是…；二是…' - the heading of a list; its items are the actions.

    '各村（居）要做好以下工作：一是…' announces one too."""
    head = s.text.rstrip("：:")
    return bool(_NUMBERED_LIST_HEAD.search(head) or _UNNUMBERED_LIST_HEAD.search(head)) and bool(s.following) \
        and bool(_LIST_ITEM_START.match(s.following[0]))


_MEETING_HELD = re.compile(r"^[^，。；]{0,16}，?[^，。；]{0,24}(?:召开|举行)[^，。；]{0,40}(?:会议|大会|座谈会|例会|推进会|调度会|办公会|通报会|动员会|部署会|协调会|"
                           r"专题会|工作会|总结会|培训会|联席会|碰头会|现场会|见面会)")


def announces_a_meeting_held(s):
    """'1月7日下午，集团召开春节前安全生产工作会议，副总经理某某出席并讲话' - a meeting held.

    The time words of the meeting's name ('春节前') are no time limit: nobody is asked.
    """
    return bool(_MEETING_HELD.search(s.text)) and not _MODAL_ANY.search(s.text) and not ASKING.search(s.text) \
        and not _URGED.search(s.text) and not _TIMED_EVENT.match(s.text)


_URGED = re.compile(r"尽快|抓紧|及时|立即|迅速|务必|^各|^请")


_TASK_COUNT = re.compile(r"(?:分解|细化)为?[^，。；]{0,12}(?:\d+|[一二三四五六七八九十]+)项|[（(][^）)]{0,8}\d+项[）)]")


def counts_the_tasks(s):
    """'《方案》将报告分解为五个方面79项任务' / '在“…”方面（分解任务15项）' - how many, not what."""
    return bool(_TASK_COUNT.search(s.text)) and not MODAL_WORD.search(s.text)


_APPROVES_A_REPORT = re.compile(r"^(?:会议)?(?:原则)?(?:同意|通过)[^，。；]{0,60}的(?:汇报|报告|情况通报)$")


def approves_a_report(s):
    """'会议原则同意县政府办关于建议提案办理情况的汇报' - a report heard and approved; nothing to do."""
    return bool(_APPROVES_A_REPORT.match(s.text.rstrip("。")))


def reports_a_past_fact(s):
    """'改造工程已全部完工' / '各单位负责同志作了交流发言' - done or said, asked of nobody."""
    return bool(PAST.search(s.text)) and not re.search(r"要|须|应|务必|必须", s.text)


def relays_a_superior_request(s):
    """'集团要求各子公司…。会议明确，由A…' - the superior's request is context for the decision."""
    return bool(RELAYED.match(s.text)) and any(_MEETING_ANSWERS.match(later) for later in s.following)


def reports_figures_or_assessment(s):
    """'利润总额4.37亿元，完成年度预算的38.5%' / '总体有序，但进度偏慢' - results, no ask."""
    if MODAL_WORD.search(s.text) or ASKING.search(s.text):
        return False
    if s.has_time_limit or s.plain_deadlines.cadence:
        return False
    if any(m.role in ("lead", "supervise", "co") and (m.strong or m.role != "lead") for m in s.mentions):
        return False
    if _FIGURE.search(s.text) and _FIGURE_REPORT.search(s.text):
        return True
    return bool(_ASSESSMENT.search(s.text))


def sets_its_own_mechanism(s):
    """'建立闭环机制，实行按周调度、按月通报' with nobody named: how work is followed, no task."""
    if not _MECHANISM.search(s.text) or MODAL_WORD.search(s.text) or ASKING.search(s.text):
        return False
    if s.acting_mentions:
        return False
    return not s.has_time_limit


def reports_a_dated_event(s):
    """'5月8日上午，区政府召开专题会议' / '近日，区长带队调研' - a news report's account, no ask."""
    return bool(_DATED_EVENT.search(s.text)) and not _MODAL_ANY.search(s.text) and not s.has_time_limit


def lists_attendance(s):
    """'副区长某某、区住建局负责同志参加会议' / '区财政局负责人陪同调研' - who was there."""
    return bool(_ATTENDANCE.search(s.text)) and not _MODAL_ANY.search(s.text) and not _REQUEST.match(s.text)


def tells_what_a_speaker_did(s):
    """'会上，区发改局对项目储备情况进行了汇报' / '副局长作了具体部署' - an account of speaking."""
    return bool(_SPOKE.search(s.text)) and not MODAL_WORD.search(s.text) and not s.has_time_limit \
        and not s.plain_deadlines.cadence and not any(m.role == "lead" and m.strong for m in s.mentions)


def names_an_agenda_item(s):
    """'会议审议《某某实施办法》' / '会议研究讨论了资金分配' - on the agenda, not yet decided."""
    return bool(_AGENDA.match(s.text)) and not MODAL_WORD.search(s.text) and "由" not in s.text


def is_a_list_heading(s):
    """'一是确保进度' - the short heading of a run-in list item; the next sentence says how."""
    return bool(_LIST_HEADING.match(s.text)) and bool(s.following)


def exhorts_everyone(s):
    """'各有关单位要提高政治站位，牢固树立一盘棋思想' - attitude asked of no unit in particular.

    No named unit acts, no time limit, and the words urging effort ('切实', '认真',
    '高度重视', '抓好') outnumber the things a reviewer could check were delivered (a plan,
    a list, a report).  What is only followed or carried on ('按照方案', '执行…制度',
    '整改进度', a 《title》 already adopted) is no deliverable.
    """
    if s.has_time_limit or s.plain_deadlines.cadence:
        return False
    if any(m.role in ("lead", "supervise", "proposer") and not all(_COLLECTIVE.match(n) for n in m.names)
           for m in s.mentions):
        return False     # a named unit acts ('各街道' and '各公司' name everyone of a kind)
    if _SLOGAN.match(s.text):
        return True
    return _urged(s.text) > _delivered(s.text)


def _urged(text):
    """How many words urge attitude or effort: '切实加强…，确保安全' -> 2."""
    return len(_ATTITUDE.findall(text)) + len(_EFFORT.findall(text))


def _delivered(text):
    """How many things to deliver the text names, leaving out what is only followed or carried on."""
    return len(_DELIVERABLE.findall(_FOLLOWED.sub(" ", text)))


def states_a_purpose(s):
    """'为加强对下属企业的监督管理，确保…' / '以…思想为指导，…' - why, not who does what."""
    return bool(_PURPOSE.search(s.text)) and not _MODAL_ANY.search(s.text) and not s.has_time_limit \
        and not any(m.role in ("lead", "supervise") and m.strong for m in s.mentions)


def reports_progress(s):
    """'截至目前，已办结15件' / '沿线各村都在组织人员整改' - where things stand, asked of nobody."""
    return bool(_PROGRESS.search(s.text)) and not _MODAL_ANY.search(s.text) and not ASKING.search(s.text) \
        and not re.search(r"(?:前|内|为止)[，完]", s.text[:20])


def reports_a_past_result(s):
    """'院周会进一步明确了工作目标' / '树立了正确的工作导向' - what was achieved, asked of nobody.

    A goal the result names ('明确了工作目标') asks for nothing.
    """
    return bool(_PAST_RESULT.search(s.text)) and not _MODAL_ANY.search(s.text) and not s.has_time_limit \
        and not ASKING.search(_PAST_RESULT_GOAL.sub(" ", s.text))


def announces_requirements(s):
    """'视察结束后，某某就下步工作提出具体要求' - the requirements follow; this line assigns nothing."""
    return bool(_ANNOUNCES.search(s.text)) and not _MODAL_ANY.search(s.text)


def _tells_only(s):
    """Nothing is asked: no modal verb, no request, no time limit, no unit assigned."""
    return not (_MODAL_ANY.search(s.text) or ASKING.search(s.text) or s.has_time_limit
                or any(m.role in ("supervise",) or m.role == "lead" and m.strong for m in s.mentions))


def tells_how_the_meeting_ran(s):
    """'按照会议议程，首先由各公司负责人介绍经营情况' / '第二个专题以…为切入点展开' - the agenda as it ran."""
    return bool(_RUN_OF_THE_MEETING.search(s.text)) and not _MODAL_ANY.search(s.text) \
        and not s.has_time_limit and not re.search(r"牵头|负责(?!人|同志)|请|责成", s.text)


def sets_the_scene(s):
    """'今年是新考核办法实施的第一年，办法简明实用' - the setting, not a task."""
    return bool(_SCENE.match(s.text)) and _tells_only(s)


def describes_a_team(s):
    """'检查组由A、B等5个部门共同组建，共12人' - how a team is made up, nobody is asked."""
    return bool(_TEAM.search(s.text)) and not _MODAL_ANY.search(s.text) and not s.has_time_limit \
        and not ASKING.search(s.text)


def tells_what_a_visitor_did(s):
    """'在安置房项目现场，区长详细了解建设进度' / '视察过程中，区长就…责令整改' - a visit as it went.

    What the visitor asked for is told after the visit ('他要求，…'); the account itself
    has no modal verb and no time limit.
    """
    return bool(_VISIT.search(s.text)) and not _MODAL_ANY.search(s.text) and not _REQUEST.match(s.text) \
        and not s.has_time_limit and not any(m.role == "lead" and m.strong for m in s.mentions)


def reports_on_a_unit_by_name(s):
    """'春节假期，该院医护人员坚守岗位，加班加点完成复核' - a news report about a unit."""
    return bool(_THIRD_PERSON.search(s.text)) and _tells_only(s)


# An event fixed for a day to come: '本周四下午3:00，将由…进行讲课', '下周一，医院将开展…'.
_SCHEDULED = re.compile(r"^(?:本周|下周)?(?:[一二三四五六日]|\d{1,2}月\d{1,2}日|\d{1,2}日)?(?:[上下中]午|晚上?|早上|早晨|清晨|傍晚|凌晨|夜间)?[\d:：]*，?"
                        r"(?:[^，。；]{0,8}(?:将|拟)|将|拟)")


def describes_a_situation(s):
    """'急诊科夜间候诊时间偏长' - a unit as mere subject, no verb of doing, no time limit.

    A dated event to hold ('节后召开党员大会') is a task, not a situation.
    """
    info = s.deadlines
    if info.deadline and _SCHEDULED.match(s.text):
        return False    # '本周四下午3:00，将由某医生进行讲课' : an event fixed for a day to come
    return not (DECISION.match(s.text) or _TIMED_EVENT.match(s.text) or ACTION_WORDS.search(s.text)
                or _REQUEST.match(s.text)
                or (info.deadline and _TIME_LIMIT_WORD.search(info.deadline_text or "")) or s.has_time_limit
                or info.cadence
                or any(m.role in ("proposer", "supervise") or m.role == "lead" and m.strong
                       for m in s.mentions))


def transmits_a_document(s):
    """'经区政府同意，现将《某某方案》印发给你们，请认真贯彻落实' - the cover of a notice."""
    return bool(_TRANSMITTAL.search(s.text)) and not s.has_time_limit


def is_a_list_of_names(s):
    """'办公室、规划科、建设科、质监站' - a distribution or attendance list, no verb at all."""
    items = [item for item in s.text.split("、") if item]
    return len(items) >= 3 and all(has_unit_suffix(item) and len(item) <= 14 for item in items)


def is_a_document_title(s):
    """'局长办公会会议纪要（2026）第3期' - a title line inside the text."""
    return len(s.text) <= 40 and "，" not in s.text and bool(re.search(r"纪要|通知$|通报$|分解方案$|任务分工$", s.text)) \
        and not _MODAL_ANY.search(s.text) and not s.has_time_limit and not s.acting_mentions


_BYLINE = re.compile(r"^[（(][^（）()]*(?:/|记者|编辑|审核|供稿|通讯员|摄影|来源)[^（）()]*[）)]$")


def is_a_byline(s):
    """'（记者 某某 通讯员 某某）' / '（某某/文 某某/图）' - who wrote the report."""
    return bool(_BYLINE.match(s.text.strip("。")))


def is_a_unit_name_alone(s):
    """'区住房和城乡建设局' on a line of its own is the signature under a notice."""
    if not s.mentions:
        return False
    rest = blank_spans(s.text, [(m.start, m.end) for m in s.mentions])
    return not re.search(r"[\u4e00-\u9fff]", rest) or (
        len(s.text) <= 20 and has_unit_suffix(s.text) and not ACTION_WORDS.search(s.text)
        and not _REQUEST.match(s.text) and not s.has_time_limit)


NOT_ACTION_RULES = (
    is_vote_line,
    is_deferred,
    describes_the_meeting,
    only_introduces,
    announces_a_numbered_list,
    reports_a_past_fact,
    announces_a_meeting_held,
    counts_the_tasks,
    approves_a_report,
    relays_a_superior_request,
    reports_figures_or_assessment,
    sets_its_own_mechanism,
    reports_a_dated_event,
    lists_attendance,
    tells_what_a_speaker_did,
    names_an_agenda_item,
    is_a_list_heading,
    exhorts_everyone,
    states_a_purpose,
    reports_progress,
    reports_a_past_result,
    announces_requirements,
    tells_how_the_meeting_ran,
    sets_the_scene,
    describes_a_team,
    tells_what_a_visitor_did,
    reports_on_a_unit_by_name,
    describes_a_situation,
    is_a_list_of_names,
    is_a_document_title,
    transmits_a_document,
    is_a_unit_name_alone,
    is_a_byline,
)
DEFERRING_RULES = (is_deferred,)


# A person named in a sentence these rules drop gives the actions that follow their leader.
LEADER_SETTING_RULES = (announces_requirements,)
# Who is named in these is no speaker: attendance, votes, deferred matters.
SILENT_ON_PEOPLE = (lists_attendance, is_vote_line, is_deferred)
# Rules whose sentence names who does the list that follows ('各企业要做好4项工作：').
LIST_HEADING_RULES = (announces_a_numbered_list,)

# Rules asked again of each action when a sentence is cut into several.
NOT_ACTION_PIECE_RULES = (exhorts_everyone,)


# Rules that still drop a sentence outright: it cannot be an action by construction.  The
# others are features of the action classifier (classifier.py), which weighs them.
HARD_RULES = (is_vote_line, is_deferred, only_introduces, announces_a_numbered_list, is_a_unit_name_alone,
              is_a_list_of_names, is_a_document_title,
              is_a_byline)


def rules_that_fire(sentence, rules=NOT_ACTION_RULES):
    """Every rule of the table that says the sentence is no action, in table order."""
    return tuple(rule for rule in rules if rule not in HARD_RULES and rule(sentence))


def first_rule_that_fires(sentence, rules=NOT_ACTION_RULES):
    """The first rule that says the sentence is no action, or None."""
    return next((rule for rule in rules if rule(sentence)), None)
