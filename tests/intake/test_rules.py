"""The rule table (services/intake/domain/minutes/rules.py): one invented case per rule."""

import datetime as dt

import pytest

from services.intake.domain.minutes import parse_minutes, rules
from services.intake.domain.minutes.context import DocContext, Sentence
from services.intake.domain.minutes.directory import Directory

OPENING = "区政府专题会议纪要\n2026年3月5日，副区长王强主持召开专题会议。现纪要如下：\n"
BOARD_OPENING = "华东置业有限公司董事会会议纪要\n2026年7月15日（星期三），董事长郑伟主持召开董事会会议。\n"


def tasks(body, district):
    return [(d.task, d.lead, d.deadline) for d in parse_minutes(OPENING + body, district).drafts]


def drafts(body, directory):
    return parse_minutes(BOARD_OPENING + body, directory).drafts



def test_assessment_then_a_unit_told_what_to_do_is_kept(district):
    # '会议指出' used to drop the sentence unless 要 followed it directly
    out = tasks("会议指出，当前整改工作进度偏慢，区环保局要会同区住建局，一周内提出整改方案。", district)
    assert len(out) == 1
    assert out[0][1] == ["区环保局"] and out[0][2] == dt.date(2026, 3, 12)


def test_assessment_alone_is_still_no_item(district):
    out = tasks("会议指出，目前办理时限已压缩至1个工作日内，但部分环节仍需线下跑动。区住建局要加快推进改造。", district)
    assert [t[1] for t in out] == [["区住建局"]]


def test_report_sentences_are_no_items(district):
    body = ("一、会议指出，今年安排重大项目48个，总投资320亿元。截至2月底，已开工12个，完成年度目标的57.2%。"
            "区发改局要加强调度，确保6月底前全部开工。")
    out = tasks(body, district)
    assert [t[1] for t in out] == [["区发改局"]]


def test_the_meetings_own_follow_up_mechanism_is_no_item(district):
    out = tasks("一、建立问题闭环机制，实行按季度调度、按月通报。区财政局要于4月底前拨付资金。", district)
    assert [t[1] for t in out] == [["区财政局"]]


def test_vote_count_line_is_no_draft(company):
    out = drafts("一、会议审议通过《年度预算方案》，由财务部组织执行。\n表决结果：同意9票，反对0票，弃权0票。\n", company)
    assert [d.lead for d in out] == [["财务部"]]
    assert not any("表决结果" in d.task or "票" in d.task for d in out)


@pytest.mark.parametrize("body_word", ["董事会", "党委"])
def test_requesting_body_is_not_the_lead(company, body_word):
    out = drafts(f"一、{body_word}要求，工程管理部要加强项目质量管理，8月20日前完成质量大检查。\n", company)
    assert len(out) == 1
    assert out[0].lead == ["工程管理部"] and "unmatched_unit" not in out[0].flags
    assert out[0].deadline == dt.date(2026, 8, 20)


def sentence(text, district, following=()):
    ctx = DocContext(directory=Directory(district), meeting=dt.date(2026, 3, 5))
    return Sentence(text, ctx, following=list(following))


# (rule, an invented sentence it drops, a similar one it keeps)
RULE_CASES = [
    (rules.is_vote_line, "表决结果：同意7票，反对0票，弃权0票", "区财政局要在4月底前拨付资金"),
    (rules.is_deferred, "老旧泵站改造事项暂缓实施", "区住建局要在6月底前完成泵站改造"),
    (rules.describes_the_meeting, "会议听取了区教育局关于学位供给的汇报", "区教育局要在8月底前增加学位300个"),
    (rules.only_introduces, "会议要求：", "会议要求区规划局尽快出图"),
    (rules.reports_a_past_fact, "一期管网改造已全部完工", "二期管网改造要在年底前完工"),
    (rules.reports_figures_or_assessment, "全区累计新增就业岗位3200个，同比增长6%", "区人社局要确保新增就业岗位3200个"),
    (rules.reports_figures_or_assessment, "其中，道路改造等项目进度相对缓慢，其他项目正按序时推进",
     "道路改造项目要在9月底前按序时推进到位"),
    (rules.sets_its_own_mechanism, "对重点项目实行按月调度、按季通报", "区发改局要对重点项目按月调度"),
    (rules.reports_a_dated_event, "4月9日下午，区政府在三楼会议室召开防汛工作会议", "4月9日前区水利局要完成堤防巡查"),
    (rules.reports_a_dated_event, "本周二，区长来到区信访局接待来访群众", "本周五前区信访局要完成积案化解"),
    (rules.reports_a_dated_event, "5月12-13日，区委办派出督查组进行了专项督查", "5月13日前区委办要派出督查组"),
    (rules.announces_a_meeting_held, "1月7日下午，集团召开春节前安全生产工作会议，副总经理周某出席并讲话",
     "各子公司要在春节前召开安全生产工作会议"),
    (rules.announces_a_meeting_held, "5月6日，公司召开安全生产例会，总经理周某主持", "节后召开党员代表大会"),
    (rules.counts_the_tasks, "在“优化营商环境”方面（分解任务12项）", "区发改局要在3月底前分解营商环境任务"),
    (rules.approves_a_report, "会议原则同意区政府办关于建议提案办理情况的汇报", "区政府办要在6月底前办结建议提案"),
    (rules.lists_attendance, "副区长李明、区财政局主要负责同志参加会议", "区财政局要参加会议筹备并于5月前报送预算"),
    (rules.lists_attendance, "区教育局、区卫健委相关负责人参加", "区教育局要组织各校负责人参加培训"),
    (rules.lists_attendance, "区领导王某、李某参加调研督办", "区住建局要在月底前完成调研督办"),
    (rules.lists_attendance, "公司领导班子成员，各部门负责人及安全员参加此次会议", "安全部要在5月底前组织安全员培训"),
    (rules.lists_attendance, "区财政局、区住建局有关科室负责人", "区财政局负责人要在5月底前报送预算"),
    (rules.lists_attendance, "区属有关单位、机关有关科室参加有关议题研究", "区属有关单位要在5月底前研究议题"),
    (rules.names_an_agenda_item, "审议《区目标管理考核实施方案》，听取区政府办的汇报", "区政府办要在6月底前修改《考核实施方案》"),
    (rules.transmits_a_document, "经研究，现将《政府工作报告》6个方面243项工作任务予以分解印发",
     "区政府办要在3月底前分解《政府工作报告》的任务"),
    (rules.is_a_document_title, "2026年区《政府工作报告》确定的主要目标任务责任分解方案", "区发改局要在3月底前编制责任分解方案"),
    (rules.tells_what_a_speaker_did, "会上，区发改局对全区项目储备情况进行了汇报", "区发改局要在5月底前汇总项目储备情况"),
    (rules.tells_what_a_speaker_did, "纪委书记周某传达了换届纪律要求", "区纪委要在换届前向各村传达纪律要求"),
    (rules.tells_what_a_speaker_did, "区长周某作总结讲话", "各单位要在12月底前做好本单位年度工作总结"),
    (rules.tells_what_a_speaker_did, "各社区负责人围绕社区治理主题进行发言", "各社区要在6月底前组织居民代表发言评议"),
    (rules.tells_what_a_speaker_did, "城管科、环卫所的负责人上台发言", "城管科要在周五前安排人员上台讲解"),
    (rules.tells_what_a_speaker_did, "与会村干部纷纷表示坚决完成任务", "村干部要在5月底前完成村容整治"),
    (rules.tells_what_a_speaker_did, "组织委员周某就换届工作的相关政策进行深刻解读", "区委组织部要在5月底前做好政策解读"),
    (rules.reports_a_past_result, "此次会议为下阶段工作指明了方向、明确了重点", "区发改局要在5月底前明确下阶段工作重点"),
    (rules.names_an_agenda_item, "会议审议《背街小巷提升实施方案》", "会议审议通过《背街小巷提升实施方案》，由区城市管理局组织实施"),
    (rules.exhorts_everyone, "各有关单位要提高政治站位，牢固树立一盘棋思想", "各有关单位要在6月底前报送整改清单"),
    (rules.is_a_list_of_names, "办公室、规划科、建设科、质监站", "办公室、规划科、建设科要在5月底前完成自查"),
    (rules.is_a_document_title, "区长办公会会议纪要（2026）第3期", "区财政局牵头，每月对各街道支出情况进行通报"),
    (rules.transmits_a_document, "现将《背街小巷整治方案》印发给你们，请结合实际认真执行", "区城市管理局要在5月底前印发《背街小巷整治方案》"),
    (rules.describes_a_situation, "区文化和旅游局游客投诉较多", "区文化和旅游局牵头处理游客投诉"),
    (rules.tells_how_the_meeting_ran, "按照会议议程，首先由各街道负责人介绍上半年工作情况", "各街道要在7月10日前报送上半年工作情况"),
    (rules.tells_how_the_meeting_ran, "会议先后由财务部、各子公司对三季度经营状况进行汇报", "财务部要在10月底前汇总三季度经营状况"),
    (rules.lists_attendance, "周某书记、李某副校长以及领导小组办公室全体成员参加，会议由办公室主任王某主持", "领导小组办公室要在周五前通知全体成员参加"),
    (rules.lists_attendance, "学校人事处、财务处负责人及医院班子成员参加（学校医院）", "学校人事处要在5月底前组织医院班子成员参加培训"),
    (rules.announces_a_meeting_held, "2024年9月29日集团纪委召开“内部专项监督检查情况”通报会", "集团纪委要在10月底前召开监督检查情况通报会"),
    (rules.tells_what_a_speaker_did, "会议对本轮降雨情况进行分析研判，对街道防范应对情况进行调度", "各街道要在汛前对防范应对情况进行调度"),
    (rules.tells_how_the_meeting_ran, "随后各副总经理就各自分管工作安排部署", "各副总经理要在周五前完成分管工作安排"),
    (rules.sets_the_scene, "今年是新物业管理条例实施的第一年，条例规定了相应的罚则", "区住建局要在今年内完成物业管理条例宣传"),
    (rules.describes_a_team, "巡查组由城管、交警、市场监管等4个部门共同组成，共10人", "区城市管理局要在5月底前组建巡查组"),
    (rules.tells_what_a_visitor_did, "在安置房项目现场，副区长李明详细了解施工进度和存在问题", "区住建局要在6月底前解决安置房项目存在问题"),
    (rules.reports_on_a_unit_by_name, "春节假期，该院医护人员坚守岗位，门诊秩序良好", "区卫健委要在节前完成医院值班安排"),
    (rules.is_a_unit_name_alone, "区交通运输局", "区交通运输局要在7月底前完成站台改造"),
]


@pytest.mark.parametrize("rule, dropped, kept", RULE_CASES, ids=[c[0].__name__ for c in RULE_CASES])
def test_each_rule_drops_its_example_and_keeps_an_action(rule, dropped, kept, district):
    assert rule(sentence(dropped, district))
    assert not rule(sentence(kept, district))
    assert rules.first_rule_that_fires(sentence(kept, district)) is None


def test_relayed_request_is_context_only_when_the_meeting_answers_it(district):
    text = "市政府要求各区加快推进充电桩建设"
    assert rules.relays_a_superior_request(sentence(text, district, ["会议明确，由区发改局牵头推进"]))
    assert not rules.relays_a_superior_request(sentence(text, district, ["区发改局要抓紧落实"]))


def test_list_heading_is_dropped_only_before_the_sentence_that_says_how(district):
    assert rules.is_a_list_heading(sentence("二是保证质量", district, ["严把材料进场关"]))
    assert not rules.is_a_list_heading(sentence("二是保证质量", district))
    assert not rules.is_a_list_heading(sentence("二是区住建局要在8月底前完成验收", district, ["下一句"]))


def test_ongoing_work_is_progress(district):
    assert rules.reports_progress(sentence("沿线各村都在组织人员清理河道", district))
    assert not rules.reports_progress(sentence("沿线各村要组织人员清理河道", district))


def test_a_request_is_no_situation_nor_attendance(district):
    assert rules.first_rule_that_fires(sentence("请各街道于6月10日前报区城市管理局", district)) is None
    assert not rules.lists_attendance(sentence("请相关科室通知负责人参会", district))


def test_ensuring_the_task_is_done_is_no_deliverable(district):
    assert rules.exhorts_everyone(sentence("各部门要牢固树立一盘棋思想，确保任务圆满完成", district))
    assert not rules.exhorts_everyone(sentence("各部门要牢固树立一盘棋思想，完成台账整理", district))


def test_effort_urged_outnumbering_deliverables_is_an_exhortation(district):
    # no unit at all: effort words ('切实', '严格', '抓好') and nothing to hand in
    assert rules.exhorts_everyone(sentence("要切实加强施工现场管理，严格执行安全操作规程", district))
    assert rules.exhorts_everyone(sentence("全体干部要认真抓好防汛值守，严肃工作纪律", district))
    # following an adopted plan or pushing rectification on is no deliverable
    assert rules.exhorts_everyone(sentence("各街道要认真对照方案要求，加快整改进度", district))
    # one deliverable per urging word or more: kept
    assert not rules.exhorts_everyone(sentence("要认真梳理在建项目，形成问题清单", district))
    assert not rules.exhorts_everyone(sentence("有关部门要切实开展专项检查", district))
    # works to build, renovate or clean up are deliverables (round 3)
    assert not rules.exhorts_everyone(sentence("要认真抓好背街小巷改造、城区河道治理工作", district))
    assert rules.exhorts_everyone(sentence("要认真提升社会治理能力，切实增强责任意识", district))
    # a named unit acting, or a time limit, is never an exhortation to everyone
    assert not rules.exhorts_everyone(sentence("区水利局要切实抓好防汛值守，严肃工作纪律", district))
    assert not rules.exhorts_everyone(sentence("各街道要切实抓好防汛值守，6月底前到位", district))


def test_more_words_of_exhortation(district):
    # a principle to keep, a significance to see, a rhythm to hold, care to take
    assert rules.exhorts_everyone(sentence("要本着统筹兼顾的原则，全力做好服务保障", district))
    assert rules.exhorts_everyone(sentence("会议强调培训的重要意义，要求有关部门加强培训督查力度", district))
    assert rules.exhorts_everyone(sentence("要把握好施工节奏，确保计划的连续性", district))
    assert rules.exhorts_everyone(sentence("严格按图纸施工，谨慎变更设计，确保不超投资", district))
    # '该恢复的恢复、该设置的设置' lists what is due, it names nothing to deliver
    assert rules.exhorts_everyone(sentence("收尾阶段该拆除的拆除、该设置的设置，努力做到群众满意", district))
    assert not rules.exhorts_everyone(sentence("收尾阶段要设置警示标识，拆除临时围挡", district))


def test_support_and_conditions_for_others_are_exhortations(district):
    # '支持B改革': B is helped, not proposing; '为…创造条件', '开展好此项工作' deliver nothing
    assert rules.exhorts_everyone(sentence("各科室要支持区卫健委改革，为改革创造条件", district))
    assert rules.exhorts_everyone(sentence("各街道要争取辖区单位支持，共同开展好此项工作", district))
    assert not rules.exhorts_everyone(sentence("各街道要开展背街小巷摸底", district))
    # '支持A提出的…' still names A as the proposer
    s = sentence("会议支持区卫健委提出的改革方案", district)
    assert [m.role for m in s.mentions] == ["proposer"]


def test_heads_of_units_taking_part_in_a_discussion_is_attendance(district):
    assert rules.lists_attendance(sentence("规划科、建设科等科室负责人参加了相关议题的研究", district))
    assert not rules.lists_attendance(sentence("规划科负责人要参加相关议题的研究", district))


def test_an_account_of_a_visit_is_no_action(district):
    assert rules.tells_what_a_visitor_did(sentence("视察过程中，李明就路面破损问题责令相关单位整改", district))
    assert not rules.tells_what_a_visitor_did(sentence("视察过程中，李明要求区住建局在5月底前修复路面", district))


def test_a_past_result_naming_a_goal_asks_nothing(district):
    assert rules.reports_a_past_result(sentence("这次会议进一步明确了全年工作目标", district))
    assert not rules.reports_a_past_result(sentence("这次会议明确了目标，各街道要在月底前分解任务", district))


def test_a_comparison_with_last_year_is_an_assessment(district):
    assert rules.reports_figures_or_assessment(sentence("假期内门诊人次明显高于往年，秩序良好", district))
    assert not rules.reports_figures_or_assessment(sentence("区卫健委要确保门诊人次高于往年", district))


def test_a_dated_event_to_hold_is_a_task_not_a_situation(district):
    assert not rules.describes_a_situation(sentence("节后召开职工代表大会", district))
    assert rules.describes_a_situation(sentence("职工代表大会秩序良好", district))


def test_a_brief_account_has_no_modal_verb(district):
    # '简要' and '扼要' contain 要 but ask nothing
    assert rules.tells_what_a_speaker_did(sentence("会上，各分管领导简要总结了前期工作，对下步工作进行了安排", district))
    assert not rules.tells_what_a_speaker_did(sentence("会上，各分管领导要对下步工作进行安排", district))


def test_announced_requirements_with_a_count(district):
    assert rules.announces_requirements(sentence("三点工作要求", district))
    assert rules.announces_requirements(sentence("检查结束后，林峰对下步工作提出了三点意见", district))
    assert not rules.announces_requirements(sentence("区住建局要在月底前提出整改意见", district))


def test_every_rule_in_the_table_documents_its_example():
    for rule in rules.NOT_ACTION_RULES:
        assert rule.__doc__ and "'" in rule.__doc__, rule.__name__


def test_a_numbered_list_heading_is_no_item_and_its_subject_leads_the_items(district):
    text = ("区政府召开常务会议。\n"
            "会议强调，区住建局、区城管局要做好3项工作：一是抓好背街小巷整治；二是抓好老旧小区改造；三是抓好燃气管网排查。")
    s = sentence("区住建局、区城管局要做好3项工作", district, ["一是抓好背街小巷整治"])
    assert rules.announces_a_numbered_list(s)
    assert not rules.announces_a_numbered_list(sentence("区住建局要做好3项工作的收尾", district, ["区城管局要…"]))
    drafts = parse_minutes(text, district, meeting_date="2026-05-06").drafts
    assert drafts and all(d.lead == ["区住建局", "区城管局"] for d in drafts)
    assert not any("3项工作" in d.task for d in drafts)


def test_an_account_before_an_ask_is_dropped_and_the_person_who_asks_kept(district):
    from services.intake.domain.minutes.prose import drop_account_before_ask
    told = sentence("会上反馈了前期检查的情况，分析了问题原因，要求各街道在5月底前上报整改情况", district)
    assert drop_account_before_ask(told).text == "要求各街道在5月底前上报整改情况"
    named = sentence("会议通报了检查结果，副区长周某要求各街道加快整改", district)
    assert drop_account_before_ask(named).text == "副区长周某要求各街道加快整改"
    judged = sentence("车改是响应上级号召的一件大事，党委书记周某要求各单位摸清公车底子", district)
    assert drop_account_before_ask(judged).text == "党委书记周某要求各单位摸清公车底子"
    asked = sentence("区住建局要加快推进，要求各街道配合", district)
    assert drop_account_before_ask(asked) is asked


def test_an_event_fixed_for_a_day_to_come_is_no_situation(district):
    assert not rules.describes_a_situation(sentence("本周四下午3:00，将由李医生于三楼会议室进行院感知识讲课", district))
    assert rules.describes_a_situation(sentence("上周四下午，李医生在三楼会议室讲课", district))


def test_who_answers_for_the_work_is_no_task_the_action_after_it_is(district):
    from services.intake.domain.minutes.prose import drop_responsibility_statement
    s = sentence("村党支部书记是第一责任人，村会计是具体责任人，按照一级抓一级的要求，区住建局将每月组织督查", district)
    assert drop_responsibility_statement(s).text == "区住建局将每月组织督查"
    plain = sentence("区住建局要在5月底前完成督查", district)
    assert drop_responsibility_statement(plain) is plain


def test_a_dated_account_at_any_time_of_day_is_no_action(district):
    # '5月15日清晨，…带领…进行检查' reports what was done; 清晨 (early morning) is no time limit
    import datetime as dt
    from services.intake.domain.minutes.deadlines import resolve_deadlines
    text = "5月15日清晨，区委、区政府主要领导带领各相关部门对城区环境卫生综合整治工作进行检查"
    assert resolve_deadlines(text, dt.date(2026, 5, 16)).deadline is None
    assert resolve_deadlines(text.replace("清晨", "上午"), dt.date(2026, 5, 16)).deadline is None
    from services.intake.domain.minutes import parse_minutes
    text = "一、" + text + "。\n二、区住建局要在6月底前完成整改。"
    drafts = parse_minutes(text, district, meeting_date="2026-05-16").drafts
    assert [(d.lead, str(d.deadline)) for d in drafts] == [(["区住建局"], "2026-06-30")]
