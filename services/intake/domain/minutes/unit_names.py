"""What a unit name looks like, apart from where it stands in a sentence (units.py).

The words that end a unit's name (局, 办公室, 中心, 公司…) and the words that end like one but
are none (干部, 好处, 例会…); what never stands inside a name (function words, modals, time
words, verbs of doing); a region prefix (区, 市, 县…); collectives — 各 + a kind of unit
(各乡镇) or a role the task list defines (各牵头单位) is a named set, 各部门 / 有关单位 are
generic — and a verb phrase the scan took for a name (举办…运动会). directory.py, leaders.py
and rules.py ask these questions too; units.py finds the names in a clause and gives each
its role.
"""

import re


REGION_PREFIXES = ("省", "市", "区", "县", "镇", "乡")
LIST_PREFIXES = REGION_PREFIXES + ("集团",)

# Multi-character unit words first, then single characters that end unit names.
UNIT_SUFFIX_WORDS = (
    "办公室", "委员会", "管委会", "指挥部", "领导小组", "工作组", "工作专班", "专班", "小组",
    "中心", "分公司", "子公司", "公司", "集团", "办事处", "街道", "政府", "分局", "支行",
    "分行", "银行", "医院", "卫生院", "学院", "学校", "大学", "中学", "小学", "幼儿园",
    "研究院", "研究所", "派出所", "法院", "检察院", "大队", "支队", "中队", "社区",
    "部门", "单位", "党委", "党组", "纪委", "团委", "工会", "妇联", "残联", "侨联", "文联",
    "科协", "红十字会", "协会", "商会", "基金会", "车间", "班组", "项目部", "片区", "园区",
    "电视台", "融媒体中心", "报社", "监委", "人大", "政协", "人大常委会",
    "开发区", "高新区", "新区", "校区", "示范区", "试验区", "保税区",
)
UNIT_SUFFIX_CHARS = "局委办厅部处科室院所站队馆镇乡村校系组社会"
# Words that end in a unit character but are not units.
NOT_UNITS = {
    "全部", "内部", "外部", "局部", "干部", "东部", "西部", "南部", "北部", "中部", "底部",
    "顶部", "好处", "之处", "到处", "处处", "难处", "益处", "场所", "住所", "厕所", "排队",
    "团队", "庭院", "学科", "本科", "会议室", "教室", "举办", "承办", "主办", "创办", "督办",
    "交办", "代办", "申办", "查办", "协办", "包办", "原委", "分组", "编组", "结社", "大局",
    "布局", "格局", "全局", "开局", "结局", "当局", "城镇", "乡镇", "城乡", "家乡", "农村",
    "乡村", "关系", "体系", "联系", "派系", "社会", "机会", "大会", "全会", "例会", "集会",
    "约谈会", "专题会", "座谈会", "推进会", "调度会", "协调会", "论证会", "听证会", "办会",
    "晨会", "早会", "周会", "月会", "碰头会", "交班会",
    "全校", "全院", "全区", "全市", "全县", "全省", "全镇", "各部", "有关部", "相关部",
    "工作组织", "学校", "单位", "部门", "政府", "街道", "中心", "公司", "集团", "会",
    "年会", "党组", "小组", "专班", "车间", "社区", "医院", "学院", "科室",
    # nouns ending in 队/组/部 that name people or equipment, not an organisation
    "突击队", "先锋队", "梯队", "车队", "机组", "班组长",
    # four-character set phrases that end like a unit: 躬身入局 (step into the game), 破局
    "入局", "破局", "出局", "变局", "新局", "难",
    # verbs of attending that end like a unit (会)
    "参会", "开会", "与会", "散会", "到会", "学会",
    # the organisation whose minutes these are, as its own subject (handbook: no lead)
    "我院", "本院", "我校", "本校", "我公司", "本公司",
}
# Two-character words ending in these are things (机组, 车队, 总部), not units, unless
# the directory lists them; real units of this kind are longer (工作组, 执法队, 财务部).
_SHORT_NOT_UNIT_CHARS = "组队部"
# Never part of a unit name: function words, modals, time words.
_FORBIDDEN = set("的了是在把被让请由向要须将按并就都也还再又可等时前月日年于给从对应后如若到至")
# ('组织部': 区委组织部, 党委组织部 or a listed 组织部 is a unit although 组织 is a verb; so is a
# 工作领导小组办公室 or a 工作专班 although 工作 alone ends a name.)
ALLOWED_WORDS = ("应急", "对外", "后勤", "青年", "老年", "少年", "年轻", "如皋", "组织部",
                  "工作领导小组", "工作专班")
_FORBIDDEN_WORDS = ("负责", "牵头", "配合", "协助", "协办", "会同", "同意", "要求", "决定",
                    "提出", "完成", "落实", "参加", "会议", "强调", "指出", "审定", "汇报",
                    "衔接", "沟通", "安排", "经费", "召开", "主持", "研究", "推进", "加强",
                    "做好", "组织", "开展", "报送", "抓紧", "尽快", "确保", "进一步", "督促",
                    "指导", "联合", "协同", "共同", "积极", "按照", "根据", "结合", "统筹",
                    "明确", "责成", "工作", "项目", "资金", "方案", "问题", "情况", "任务", "关于",
                    "抄送", "抄报", "报告", "报备", "备案", "提交", "上交", "交至", "报至",
                    # '做到预警到村、到户、到人' is a result to reach, not a list of villages
                    "做到", "实现", "达到")
GENERIC_COLLECTIVE = re.compile(
    r"^(?:全区|全市|全县|全镇|全集团|全校|全院)?(?:各|相关|有关|各有关|各相关|其他|其它|所有|涉及)?"
    r"(?:部门|单位|成员单位|职能部门|责任单位|牵头单位|配合单位|方面|方|级|地|部门单位|部门和单位|"
    r"相关部门|有关部门|相关单位|有关单位|处室|科室|部室)$")


def has_region_prefix(name):
    if name.startswith("市场") or name.startswith("区域") or name.startswith("县域"):
        return None
    for prefix in LIST_PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix) + 1:
            return prefix
    return None


def forbidden_inside(piece):
    piece = _ALLOWED_RE.sub(lambda m: "□" * len(m.group(0)), piece)
    # a forbidden character; '具体意见报区政府': what is sent to a unit, not a unit name;
    # or a forbidden word
    return bool(_FORBIDDEN_CHAR_RE.search(piece) or _SENT_TO_RE.search(piece) or _FORBIDDEN_WORD_RE.search(piece))


_ALLOWED_RE = re.compile("|".join(map(re.escape, ALLOWED_WORDS)))
_FORBIDDEN_CHAR_RE = re.compile("[" + "".join(sorted(_FORBIDDEN)) + "]")
_FORBIDDEN_WORD_RE = re.compile("|".join(map(re.escape, _FORBIDDEN_WORDS)))
_SENT_TO_RE = re.compile(r"报(?:省|市|区|县|集团|上级)")

_KEPT_UNIT_WORDS = ("学校", "单位", "部门", "政府", "街道", "中心", "公司", "集团", "党组", "小组", "专班",
                    "车间", "社区", "医院", "学院", "科室")
_NOT_UNIT_ENDINGS = tuple(w for w in NOT_UNITS if len(w) >= 2 and w not in _KEPT_UNIT_WORDS)


# '各' + a kind of unit names a definite set of units (各乡镇 = every township), unlike
# the generic 各部门/各单位; the bare kind words themselves (乡镇, 学校) are not units.
NAMED_COLLECTIVE_KINDS = ("乡镇", "镇街", "乡镇街道", "乡镇（街道）", "街道", "村", "村居", "社区",
                          "县区", "区县", "市县", "县市区", "县（区）", "县（市、区）", "区（县）", "县（市）",
                          "学校", "中小学", "医院", "支行", "网点",
                          "子公司", "分公司", "二级单位", "所属单位", "下属单位", "成员单位")


# '各' + a role the meeting's own task list defines (各牵头单位 = the units that lead the
# listed tasks, 各被考核单位, 各项目责任单位) is a definite set as well; 各成员单位 / 各有关单位
# name everyone and stay generic.
NAMED_ROLE_SET = re.compile(r"^各(?:项目|重点项目|任务)?(?:牵头|责任|被考核|参评|承办)单位$")
NAMED_ROLE_SET_AT = re.compile(NAMED_ROLE_SET.pattern[1:-1]
                                + r"|各(?:省|市|县|区|乡镇|乡|镇)(?:（[省市县区乡镇街道、]{1,8}）)?"
                                  r"(?:党委和人民政府|党委和政府|党委政府|人民政府|政府|党委)")
# ('各县（市、区）政府' is one named set: the 、 inside its brackets separates no units.)


# A number of things, not a body: '灌溉机井53处', '新建站点12个' ('综合一处' stays a name).
_COUNTED = re.compile(r"\d[处所站座家村校个]$")


def has_unit_suffix(piece):
    if piece.startswith("各") and piece[1:] in NAMED_COLLECTIVE_KINDS and piece[1:] != "成员单位":
        return True
    if NAMED_ROLE_SET.match(piece):
        return True
    if piece in NOT_UNITS or len(piece) < 2 or _COUNTED.search(piece):
        return False
    if piece.endswith(_NOT_UNIT_ENDINGS):
        return False
    if len(piece) == 2 and piece[-1] in _SHORT_NOT_UNIT_CHARS and piece not in UNIT_SUFFIX_WORDS:
        return False
    return piece.endswith(UNIT_SUFFIX_WORDS) or piece[-1] in UNIT_SUFFIX_CHARS


def is_generic_collective(name):
    """各部门, 有关单位 …, also the compounds 各地各部门 / 各级各部门 / 各单位各部门, and a
    generic collective behind a scope ('市直各相关部门', '市安委会各成员单位', '机关各处室':
    the scope narrows nothing a reader could assign to)."""
    if NAMED_ROLE_SET.match(name):
        return False
    if GENERIC_COLLECTIVE.match(name):
        return True
    scoped = re.match(r"^(?:全区|全市|全县|全镇|全省|全乡|全集团|全公司|全校|全院)(?=各)", name)
    if scoped:
        # '全区各级各部门': the scope word narrows nothing a reader could assign to
        return is_generic_collective(name[scoped.end():])
    if "各" in name[1:] and GENERIC_COLLECTIVE.match(name[name.index("各", 1):]) \
            and not NAMED_ROLE_SET.match(name[name.index("各", 1):]):
        return True
    parts = [p for p in re.split(r"(?=各)", name) if p]
    return len(parts) > 1 and all(GENERIC_COLLECTIVE.match(p.strip("、和及")) for p in parts)


# A verb or adverb of doing, then at least three more characters: what is done to a body,
# not a body ('办理好工程建设所需…', '组建…综合专班', '充分协调其他责任单位', '坚持每周区长办公会',
# '组织好本单位'); '推进办', '督查室' and '组织人事部' are names.
_VERB_START = re.compile(r"^(?:办理|组建|筹建|成立|设立|坚持|充分|协调|加快|加强|做好|抓好|搞好|落实|推进|完成|建立|"
                         r"开展|督促|指导|配合|支持|确保|制定|完善|推动|申请|对接|依托|围绕|按照|结合|举办|备战|改扩建|改建|扩建|"
                         r"提升|推广|突出|强化|启动|实施|创建|争取|探索|开工|新建|迁建|建成)"
                         r"[\u4e00-\u9fff（）()]{3,}|^好"
                         # a purpose or a verb of rallying opens no name ('以便事先有所准备', '以示政府重视',
                         # '团结辖区单位的力量')
                         r"|^(?:以便|以示|团结)[\u4e00-\u9fff（）()]{2,}"
                         # '以中梁壹号院为小切口': what a task starts from; '第一次筹备会': an event
                         r"|^以(?![上下及外内来后前色])[\u4e00-\u9fff]{3,}|^第[一二三四五六七八九十\d]+次")


def starts_with_a_verb(name):
    """'办理好工程建设所' -> True: the scan took a verb phrase for a unit name."""
    return bool(_VERB_START.search(name))
