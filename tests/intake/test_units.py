import pytest

from services.intake.domain.minutes.directory import Directory
from services.intake.domain.minutes.unit_names import is_generic_collective
from services.intake.domain.minutes.units import find_unit_mentions, split_unit_field


def roles(text, district):
    directory = Directory(district)
    return [(m.names, m.role) for m in find_unit_mentions(text, directory)]


def test_you_a_qiantou_is_lead_and_peihe_is_co(district):
    assert roles("由区财政局牵头，区发改委配合，于4月底前落实资金", district) == [
        (["区财政局"], "lead"), (["区发改委"], "co")]


def test_shared_prefix_is_expanded(district):
    assert roles("区住建、环保、城管等部门要加强联动", district) == [
        (["区住建", "区环保", "区城管"], "lead")]


def test_zecheng_and_huitong(district):
    assert roles("责成区城管局会同区住建局、区环保局完成整治", district) == [
        (["区城管局"], "lead"), (["区住建局", "区环保局"], "co")]


def test_money_recipient_is_neither_lead_nor_co(district):
    assert roles("区财政局安排区教育局校舍维修经费300万元", district) == [
        (["区财政局"], "lead"), (["区教育局"], "excluded")]


def test_counterparts_are_excluded(district):
    found = roles("区住建局负责与区规划局做好衔接，及时向区政府汇报，报区委宣传部审定", district)
    assert found[0] == (["区住建局"], "lead")
    assert all(role == "excluded" for _, role in found[1:]) and len(found) == 4


def test_xiezhu_makes_the_assisted_unit_lead(district):
    assert roles("区卫健委协助区教育局完成学生体检", district) == [
        (["区卫健委"], "co"), (["区教育局"], "lead")]


def test_proposer(district):
    assert roles("会议同意区交通局提出的《区交通局实施方案》，修改完善后报区政府审定", district) == [
        (["区交通局"], "proposer"), (["区政府"], "excluded")]


def test_units_inside_titles_are_ignored(district):
    assert roles("会议原则同意《区住建局关于老旧小区改造的方案》", district) == []


def test_canjia_and_anzhize_fengong_are_co(district):
    assert roles("由区委宣传部、区文旅局等部门参加", district) == [(["区委宣传部", "区文旅局"], "co")]
    assert roles("由区发改委牵头，区住建局、区交通局按职责分工负责", district)[1][1] == "co"


def test_generic_collectives_are_not_units(district):
    assert roles("各部门要提高认识，相关单位要密切配合", district) == []


def test_named_collectives_are_kept(district):
    assert roles("各街道要于6月底前完成排查", district) == [(["各街道"], "lead")]


def test_joined_names_split_only_when_both_halves_are_units(district):
    assert roles("区财政局和区审计局负责资金审计", district) == [(["区财政局", "区审计局"], "lead")]
    assert roles("区文化和旅游局要做好宣传", district) == [(["区文化和旅游局"], "lead")]


def test_object_of_a_supervising_verb_is_not_a_second_lead(district):
    assert roles("区住建局要督促施工单位增加作业人员", district) == [
        (["区住建局"], "lead"), (["施工单位"], "excluded")]


def test_directory_matching_tiers(district):
    directory = Directory(district)
    assert directory.match("区住建局").code == "ZJJ"              # alias
    assert directory.match("区发展和改革局").status == "exact"
    assert directory.match("住建局").code == "ZJJ"                # region prefix omitted
    assert directory.match("区发改").code == "FGJ"                # abbreviation
    assert directory.match("区城管").code == "CGJ"                # subsequence of 区城市管理局
    assert directory.match("区卫健委").code == "WJW"
    assert directory.match("ZJJ").code == "ZJJ"                  # code


def test_ambiguous_abbreviation_is_not_guessed(district):
    match = Directory(district).match("区委")
    assert match.code is None and match.status == "ambiguous" and set(match.candidates) == {"XCB", "ZZB"}


def test_other_level_of_government_does_not_match(district):
    assert Directory(district).match("市住建局").code is None


def test_unknown_unit_has_no_match(district):
    assert Directory(district).match("区气象局").status == "none"


def test_split_unit_field():
    assert split_unit_field("区住建、环保、城管等部门") == ["区住建", "区环保", "区城管"]
    assert split_unit_field("区住建局；区城管局") == ["区住建局", "区城管局"]
    assert split_unit_field("无") == []


def test_each_kind_of_unit_is_a_named_collective(district):
    assert roles("各乡镇要严格落实值班制度", district) == [(["各乡镇"], "lead")]


def test_compound_generic_collectives_are_not_units(district):
    assert roles("各地各部门要牢固树立安全发展理念", district) == []


def test_copy_recipient_is_not_read_as_part_of_a_unit_name(district):
    assert roles("自查报告抄送区政府", district) == [(["区政府"], "excluded")]


def test_supervisor_and_funder_roles(district):
    assert roles("区教育局要开展排查，由区政府负责督导", district)[1][1] == "supervise"
    assert roles("所需经费由区财政局统筹安排", district) == [(["区财政局"], "funder")]


def test_short_nouns_ending_in_zu_dui_bu_are_not_units(district):
    assert roles("近期高温天气持续，机组负荷高", district) == []
    assert roles("车队要加强安全检查", district) == []
    # longer names of the same kind are units, and a directory entry always is
    assert roles("专家组要在月底前提交评估意见", district)[0] == (["专家组"], "lead")
    assert roles("机组要加强巡检", district + [{"code": "JZ", "name": "机组", "aliases": []}]) == [
        (["机组"], "lead")]


def test_a_unit_name_is_not_cut_by_a_one_character_function_word(district):
    # '交' (交由) and '经' (经…审定) must not eat the first character of a name
    assert roles("会议传达学习了省交通运输厅工作会议精神", district) == []
    park = district + [{"code": "KFQ", "name": "经济开发区管理委员会", "aliases": ["经开区管委会"]}]
    assert roles("区人社局要会同经开区管委会建立用工服务制度", park) == [
        (["区人社局"], "lead"), (["经开区管委会"], "co")]


def test_supporting_an_outside_body_keeps_the_directory_unit_as_lead(district):
    found = roles("区卫健委：配合疾控部门做好传染病防控", district)
    assert found[0] == (["区卫健委"], "lead") and found[1][1] == "excluded"
    # a directory unit after 协助 still leads ('B协助A完成…')
    assert roles("区教育局协助区卫健委完成体检", district) == [
        (["区教育局"], "co"), (["区卫健委"], "lead")]


def test_units_named_with_zuzhi_and_generic_scopes(district):
    directory = Directory(district)
    names = [n for m in find_unit_mentions("区委组织部、区委宣传部要联合制定方案", directory) for n in m.names]
    assert names == ["区委组织部", "区委宣传部"]
    assert is_generic_collective("全区各级各部门")
    assert not find_unit_mentions("及时发布预警信息，做到预警到村、到户、到人", directory)


def test_short_name_rule_needs_an_organisation_ending_and_a_subject_verb(company):
    directory = Directory(company)
    # '商请…' stays a function word followed by the unit it asks
    mentions = find_unit_mentions("商请财务部提供数据", directory)
    assert [m.names for m in mentions] == [["财务部"]]


def test_working_groups_and_a_listed_organisation_department_are_units():
    directory = Directory([])
    names = [n for m in find_unit_mentions("（区政府办公室、区营商环境工作领导小组办公室牵头）", directory) for n in m.names]
    assert names == ["区政府办公室", "区营商环境工作领导小组办公室"]
    listed = find_unit_mentions("会议同意区发改局、组织部、人社局提出的《人才新政》", directory)
    assert [m.names for m in listed] == [["区发改局", "区组织部", "区人社局"]] and listed[0].role == "proposer"
    assert [m.names for m in find_unit_mentions("由区防汛工作专班负责调度", directory)] == [["区防汛工作专班"]]


def test_a_name_that_opens_with_a_function_word_character():
    directory = Directory([])
    assert [(m.names, m.role) for m in find_unit_mentions("同意经济开发区管委会提交的《实施意见》", directory)] == [
        (["经济开发区管委会"], "proposer")]
    assert find_unit_mentions("经区政府同意，由区财政局拨付", directory)[0].left_word == "经"


def test_a_body_to_be_set_up_is_the_object_not_the_actor():
    directory = Directory([])
    assert [m.role for m in find_unit_mentions("各项目要在4月底前成立相应的协调指挥部", directory)] == ["excluded"]
    assert [m.names for m in find_unit_mentions("请各街道通知辖区企业参会", directory)] == [["各街道"]]
    assert not find_unit_mentions("组织由志愿者组成的服务队", directory)


def test_a_time_limit_before_the_subject_still_opens_the_clause():
    directory = Directory([])
    assert [(m.names, m.role) for m in find_unit_mentions("9月10日前东坡村、西岭村要完成排查", directory)] == [
        (["东坡村", "西岭村"], "lead")]


def test_the_subject_before_the_modal_is_the_lead_as_written():
    from services.intake.domain.minutes.prose import subject_as_written, widen_lead
    assert subject_as_written("各部门、二级学院要细化工作方案") == ["各部门", "二级学院"]
    assert subject_as_written("会议要求，县政府各分管领导要加强督导") == ["县政府各分管领导"]
    assert subject_as_written("要加强部门间的沟通协调") == []
    assert subject_as_written("全院要持续改善医疗服务") == []      # everyone is nobody in particular
    assert subject_as_written("各牵头县领导要按照工作分工靠前指挥") == ["各牵头县领导"]
    assert subject_as_written("二是要求全院新调整的科级干部，要明确岗位职责") == ["全院新调整的科级干部"]
    assert subject_as_written("要求集团各单位高度重视，深入自查自改") == ["集团各单位"]
    assert subject_as_written("两项工作是核心任务，各部门、二级学院要细化方案") == ["各部门", "二级学院"]
    assert subject_as_written("各作战单位任务进度图要上墙明示") == []      # a thing is no subject
    assert widen_lead(["二级学院"], "各部门、二级学院要细化工作方案") == (["各部门", "二级学院"], False)
    assert widen_lead(["区财政局"], "由区财政局负责，各部门要配合") == (["区财政局"], False)
    assert widen_lead(["儿科"], "望全院各科室广泛对儿科进行宣传") == (["全院各科室"], True)     # who is asked
    assert widen_lead(["各村"], "各村（居）委会要在月底前整理好档案") == (["各村（居）委会"], False)     # the set as written


def test_a_subject_read_across_an_adverb_a_list_marker_or_another_modal():
    # Round 12, invented examples in the corpora's shapes
    from services.intake.domain.minutes.subjects import opens_with_subject, subject_as_written
    assert subject_as_written("区创建办还要对新老问题建立台账，限期整改") == ["区创建办"]
    assert subject_as_written("会议强调，各卫生院一是要迅速召开专题会议") == ["各卫生院"]
    assert subject_as_written("物业负责人应在施工前张贴告示") == ["物业负责人"]
    assert subject_as_written("各专业公司需要在月底前报送用工计划") == ["各专业公司"]
    assert subject_as_written("街道工作人员要逐户核对信息") == ["街道工作人员"]    # people, not 工作
    assert subject_as_written("各协作队伍要按计划配足人员") == ["各协作队伍"]
    assert subject_as_written("各居民区要在前期摸清底数") == ["各居民区"]
    assert subject_as_written("二是经理层要及时向董事会报告工作") == ["经理层"]
    assert subject_as_written("他要求，各专项工作组牵头部门要及时召开会议") == ["各专项工作组牵头部门"]
    assert subject_as_written("希望各相关科室进一步细化搬迁方案") == ["各相关科室"]
    assert subject_as_written("工作进度要每周通报") == []                      # a thing is no subject
    assert subject_as_written("相应措施要落实到位") == []                      # 相应 is no modal
    # only a subject right before its modal starts a new action mid-sentence
    assert opens_with_subject("值班人员要做好解释工作") and not opens_with_subject("值班人员也要做好解释工作")


def test_a_verb_phrase_ending_in_a_body_word_is_no_unit_name():
    from services.intake.domain.minutes.unit_names import starts_with_a_verb
    assert starts_with_a_verb("举办全县第四届运动会") and starts_with_a_verb("备战全省运动会")
    assert starts_with_a_verb("改扩建社区卫生服务中心") and starts_with_a_verb("提升乡镇卫生院")
    assert not starts_with_a_verb("提案委员会") and not starts_with_a_verb("强化学院")


def test_a_unit_before_a_start_date_or_a_daily_schedule_is_still_the_subject(district):
    from services.intake.domain.minutes import parse_minutes
    text = "公司召开生产调度会。\n会议要求，区住建局从5月10日起每天8点至18点组织两班施工，确保6月底前主体完工。"
    drafts = parse_minutes(text, district, meeting_date="2026-05-06").drafts
    assert [(d.lead, str(d.deadline)) for d in drafts] == [(["区住建局"], "2026-06-30")]


def test_a_body_named_by_its_head_noun_is_a_subject_as_written():
    from services.intake.domain.minutes.prose import subject_as_written
    assert subject_as_written("有改造任务的村委会要完善好资料") == ["有改造任务的村委会"]
    assert subject_as_written("项目涉及乡镇要尽快完成清障") == ["项目涉及乡镇"]     # 涉及 is no 'and'
    assert subject_as_written("工程施工方要按照要求施工") == ["工程施工方"]
    assert subject_as_written("各乡镇（街道）、部门要抓紧报送用地需求") == ["各乡镇（街道）", "部门"]


def test_a_second_subject_after_a_comma_is_a_second_action(district):
    from services.intake.domain.minutes import classifier, parse_minutes
    text = "镇召开工作会议。\n会议要求，要求参会人员认真学习政策，做好宣传工作，各相关科室要认真整理台账。"
    with classifier.using(keep_all=True):       # the cut, whatever the classifier then keeps
        drafts = parse_minutes(text, district, meeting_date="2026-05-06").drafts
    assert any(d.task.startswith("各相关科室要认真整理台账") and d.lead == ["各相关科室"] for d in drafts)
    assert not any("宣传工作，各相关科室" in d.task for d in drafts)


def test_a_verb_phrase_is_no_unit_name():
    from services.intake.domain.minutes.unit_names import starts_with_a_verb
    from services.intake.domain.minutes.units import find_unit_mentions
    assert starts_with_a_verb("办理好工程建设所") and starts_with_a_verb("充分协调其他责任单位")
    assert starts_with_a_verb("好本单位")
    assert not starts_with_a_verb("组织人事部") and not starts_with_a_verb("推进办")
    assert [m.names for m in find_unit_mentions("组建综合整治专班，与指挥部统筹协作")] == [["指挥部"]]


def test_zhuyao_is_no_modal_in_a_subject():
    from services.intake.domain.minutes.prose import subject_as_written
    assert subject_as_written("各项任务的主要责任单位要将方案报县政府") == ["各项任务的主要责任单位"]


def test_a_collective_of_site_offices_is_the_subject():
    from services.intake.domain.minutes.prose import generic_subject
    assert generic_subject("各项目监理部组织开展质量自查，制定整改方案").group("who") == "各项目监理部"
    assert generic_subject("各项目要在月底前开工").group("who") == "各项目"


# ---- round 9b: the lead unit ---------------------------------------------------------

def test_a_bracket_of_unit_names_alone_names_them():
    from services.intake.domain.minutes.units import closing_unit_names
    assert closing_unit_names("（区民政局）") == ["区民政局"]
    assert closing_unit_names("(区财政局、区审计局)") == ["区财政局", "区审计局"]
    assert closing_unit_names("（区住建局办公室供稿）") == []     # a byline, not an assignment
    assert closing_unit_names("（以下简称区住建局）") == [] and closing_unit_names("（张某某）") == []


def test_a_closing_bracket_of_unit_names_leads_the_item(district):
    from services.intake.domain.minutes import parse_minutes
    text = ("区政府常务会议纪要\n2026年3月5日，区长王强主持召开常务会议。\n"
            "1、春节将至，走访慰问困难群众的相关事宜要尽早安排。（区民政局）\n"
            "2、年底前做好各项资金的调度。（区财政局）\n")
    drafts = parse_minutes(text, district, meeting_date="2026-03-05").drafts
    assert [d.lead for d in drafts] == [["区民政局"], ["区财政局"]]


@pytest.mark.parametrize("text, organised", [
    ("要组织各街道做好防汛物资的清点", "各街道"),
    ("积极协调区住建局完成不动产证办理", "区住建局"),
    ("召集区城管局、区住建局研究整治方案", "区城管局"),
])
def test_who_is_organised_or_guided_does_not_lead(text, organised, district):
    found = [role for names, role in roles(text, district) if organised in names]
    assert found == ["excluded"]


def test_who_is_urged_or_hoped_for_still_leads(district):
    assert roles("督促区住建局完成整改", district) == [(["区住建局"], "lead")]
    assert roles("希望各街道结合实际推出具体举措", district) == [(["各街道"], "lead")]


def test_a_purpose_or_a_rallying_verb_opens_no_unit_name():
    from services.intake.domain.minutes.unit_names import starts_with_a_verb
    from services.intake.domain.minutes.units import find_unit_mentions
    assert starts_with_a_verb("以便事先有所") and starts_with_a_verb("团结辖区单位") and starts_with_a_verb("以示政府")
    assert not starts_with_a_verb("团委") and not starts_with_a_verb("以色列研究所")
    assert find_unit_mentions("要提前做好准备，以便事先有所准备") == []


def test_the_organisation_itself_as_subject_is_no_lead():
    # Round 11, invented examples: a hospital's or school's minutes speaking of itself
    from services.intake.domain.minutes.subjects import subject_as_written
    from services.intake.domain.minutes.unit_names import has_unit_suffix
    assert subject_as_written("我院要于年底前完成病历质量自查") == []
    assert subject_as_written("医院要把周例会坚持做下去") == []
    assert subject_as_written("本校要尽快完成宿舍改造") == []
    assert not has_unit_suffix("我院") and not has_unit_suffix("本公司")
    assert subject_as_written("口腔医院要做好试点工作") == ["口腔医院"]     # a hospital by name leads
    assert has_unit_suffix("人民医院")


def test_a_daily_or_weekly_meeting_is_no_unit():
    # '遵守每周例会，每天晨会的要求' (invented in a real one's shape): meetings, not bodies
    assert find_unit_mentions("坚持每天晨会的要求，落实一周一汇报") == []
    assert find_unit_mentions("每周碰头会要通报进度") == []


def test_a_number_of_things_is_no_unit():
    from services.intake.domain.minutes.unit_names import has_unit_suffix
    assert not has_unit_suffix("灌溉机井53处") and not has_unit_suffix("新建站点12个")
    assert has_unit_suffix("综合一处") and has_unit_suffix("区水务局")


def test_a_name_that_starts_like_a_function_word_keeps_its_first_character():
    # Round 13: 交 (hand over), 商 (consult), 送, 给, 为 also open names: '交通运输局', '交警大队'
    from services.intake.domain.minutes.units import find_unit_mentions
    names = [n for m in find_unit_mentions("区住建局牵头，交通运输局、商务局、交警大队、送变电公司配合") for n in m.names]
    assert names == ["区住建局", "交通运输局", "商务局", "交警大队", "送变电公司"]
    names = [n for m in find_unit_mentions("各单位要配合交警大队做好秩序维护") for n in m.names]
    assert "交警大队" in names


def test_a_subject_followed_by_an_adverb_is_read_and_words_with_a_unit_character_are_no_names():
    # Round 13, invented: '集团安委会迅速组织…', '准备所需材料' (所需 is no 所), '监理例会要…' (a meeting)
    from services.intake.domain.minutes.units import find_unit_mentions
    assert [m.names for m in find_unit_mentions("集团安委会迅速组织开展安全生产大检查")] == [["集团安委会"]]
    assert [m.names for m in find_unit_mentions("各部门、直属公司迅速传达会议精神")] == [["直属公司"]]
    from services.intake.domain.minutes.prose import subject_as_written
    assert subject_as_written("监理例会要固定时间") == []
    assert subject_as_written("各相关科室要认真按照申报要求准备所需材料") == ["各相关科室"]
    names = [n for m in find_unit_mentions("要求各相关科室认真按照申报要求准备所需材料") for n in m.names]
    assert "准备所" not in names


def test_a_starting_point_an_event_a_verb_or_a_recipient_after_zhi_is_no_unit_name(district):
    from services.intake.domain.minutes.unit_names import starts_with_a_verb
    assert starts_with_a_verb("以中梁壹号院") and starts_with_a_verb("第一次筹备会")
    assert starts_with_a_verb("探索资产经营公司")
    assert not starts_with_a_verb("以上责任单位") and not starts_with_a_verb("以下单位")
    # '交至综管办': 至 is no part of a name ('至综管办' was read as the lead)
    assert not any("至综管办" in names for names, _role in roles("各负责人在会后将工作计划交至综管办", district))
    # '学会“十个手指弹钢琴”' is a verb, not a society
    assert not any("学会" in names for names, _role in roles("要高度重视项目建设，学会统筹兼顾", district))


def test_qing_inside_shenqing_asks_nobody_and_tijiao_ends_no_name(district):
    # '将申请表提交宣传部': the form is no unit ('表提交宣传部' was read as the lead)
    assert not any(any("提交" in n for n in names) for names, _role in
                   roles("各部门将申请表提交宣传部", district))
    assert not any(any("表" in n for n in names) for names, _role in
                   roles("二级学院将申请表和事迹材料提交宣传部", district))


def test_a_subject_written_before_what_it_does_with_no_modal():
    # Round 22, invented examples in the corpora's shapes: who is named first, a date between or not
    from services.intake.domain.minutes.subjects import subject_as_written
    assert subject_as_written("各科室25日将值班安排表交至院办") == ["各科室"]
    assert subject_as_written("物业安排专人负责报修信息接收") == ["物业"]
    assert subject_as_written("东湖街道项目部11月30日前要完成清零") == ["东湖街道项目部"]
    assert subject_as_written("各职能部门定期对排查出的隐患落实措施") == ["各职能部门"]
    assert subject_as_written("要求二分厂制定好检修方案") == ["二分厂"]
    assert subject_as_written("请各单位妥善安排节日期间的值班") == ["各单位"]
    assert subject_as_written("放假前各系安排一次安全教育") == ["各系"]
    assert subject_as_written("2023年6月30日前任课教师将成绩录入系统") == ["任课教师"]
    assert subject_as_written("各单位放假前要进行安全排查") == ["各单位"]
    assert subject_as_written("各工作小组要指定专人负责信息报送") == ["各工作小组"]


def test_no_subject_where_a_clause_opens_with_a_preposition_a_verb_or_a_project():
    from services.intake.domain.minutes.subjects import subject_as_written
    assert subject_as_written("对转岗人员及时进行安全教育") == []
    assert subject_as_written("协同各街道做好宣传推介") == []
    assert subject_as_written("会议要求5月底前东区二期项目要具备验收条件") == []   # a project is where work is done
    assert subject_as_written("各项目要进行自查") == ["各项目"]                      # each one asked
    assert subject_as_written("项目建设要加快") == []
    assert subject_as_written("值班安排表报保卫处") == []                            # 值班 is no 班 (a class)


def test_a_list_of_fields_before_its_kind_names_every_field():
    from services.intake.domain.minutes.subjects import subject_as_written
    assert subject_as_written("城管、市场监管、商务等部门要加强对市场的监管") == ["城管", "市场监管", "商务"]
    assert subject_as_written("住房和城乡建设、自然资源等部门要开辟绿色通道") == ["住房和城乡建设", "自然资源"]
