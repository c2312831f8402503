"""Leaders (services/intake/domain/minutes/leaders.py): names, short forms, narrative subjects."""

from services.intake.domain.minutes import parse_minutes
from services.intake.domain.minutes.leaders import (full_names, leading_person, names_of_document, person_name,
                                                    resolve_short_name, titled_names,
                                                    split_leader, split_pronoun_remark)


def test_surname_and_title_is_a_leader_as_written():
    assert person_name("钱总") == "钱总" and person_name("钱书记") == "钱书记"
    assert split_leader("钱总强调，要抓紧编制投资计划") == ("钱总", "要抓紧编制投资计划")


def test_short_form_resolves_to_the_one_full_name_with_that_surname():
    names = full_names("集团董事长钱立新主持会议，总经理孙岩出席。钱总强调，…")
    assert names == {"钱立新", "孙岩"}
    assert resolve_short_name("钱总", names) == "钱立新"
    assert resolve_short_name("钱总", names | {"钱多多"}) == "钱总"      # two 钱: keep as written
    assert resolve_short_name("孙岩", names) == "孙岩"
    written_before = full_names("钱立新市长带队调研。新任董事长孙岩与周明副董事长出席。")
    assert {"钱立新", "孙岩"} <= written_before
    assert resolve_short_name("钱市长", written_before) == "钱立新"


def test_person_a_narrative_sentence_is_about():
    assert leading_person("检查结束后，林峰就下一步工作提出具体要求") == "林峰"
    assert leading_person("6月2日上午，市委书记林峰带队督查防汛工作") == "林峰"
    assert leading_person("会上，郑院长部署了近期重点工作") == "郑院长"
    assert leading_person("会议听取了各部门汇报") is None


def test_a_person_who_addresses_a_topic_or_opens_after_a_colon_is_the_subject():
    # invented examples of the shapes: 针对/围绕 a topic, and a name after '会议主要内容：'
    assert leading_person("副校长林峰针对当前校园建设提出几点要求") == "林峰"
    assert leading_person("最后，林峰董事长围绕三个项目作出总体部署") == "林峰"
    assert leading_person("会议主要内容：林峰对新学期开学工作进行布置") == "林峰"
    assert leading_person("会议围绕年度目标进行了讨论") is None


def test_pronoun_remark_after_a_named_speaker():
    assert split_pronoun_remark("会上，郑院长部署了近期工作，他强调，要做好院感防控") == ("郑院长", "要做好院感防控")
    assert split_pronoun_remark("他强调，要做好院感防控") == (None, "他强调，要做好院感防控")
    # a remark that opens with a date or a number: '他指出3月22日部署会后，…'
    assert split_pronoun_remark("郑院长首先肯定了前期工作，他指出3月以来各科室进展顺利")[0] == "郑院长"


def test_leader_of_a_news_report_is_the_one_who_set_the_requirements(district):
    text = ("区领导督查背街小巷整治\n5月6日下午，区委书记林峰带队督查背街小巷整治工作。"
            "督查结束后，林峰就下步工作提出具体要求：一是区城市管理局要在5月底前完成路面修补；"
            "二是区住建局要在6月底前完成雨污分流改造。")
    drafts = parse_minutes(text, district, meeting_date="2026-05-06").drafts
    assert [(d.lead, d.leader) for d in drafts] == [(["区城市管理局"], "林峰"), (["区住建局"], "林峰")]


def test_a_name_the_document_writes_after_a_title_is_a_name_whatever_its_surname():
    text = "副校长闫某某主持会议。党委委员、副院长仉志远主持召开推进会。"
    assert "仉志远" in titled_names(text)
    assert person_name("仉志远") is None        # 仉 is not in the surname table
    with names_of_document(text):
        assert person_name("仉志远") == "仉志远"
        assert leading_person("仉志远充分肯定了前期工作") == "仉志远"


def test_he_after_a_narrated_person_is_that_person(district):
    text = ("9月3日，区政府召开推进会，副区长仉志远主持。\n"
            "仉志远充分肯定了前期工作。他强调，区住建局要在10月底前完成老旧小区改造方案。")
    drafts = parse_minutes(text, district, meeting_date="2026-09-03").drafts
    assert [(d.lead, d.leader) for d in drafts] == [(["区住建局"], "仉志远")]


def test_a_bare_ask_after_a_narrated_person_is_theirs(district):
    text = ("5月6日，副区长仉志远主持召开推进会。\n"
            "仉志远对老旧小区改造作了安排。要求区住建局在6月底前完成改造方案。")
    drafts = parse_minutes(text, district, meeting_date="2026-05-06").drafts
    assert [(d.lead, d.leader) for d in drafts] == [(["区住建局"], "仉志远")]


def test_on_the_spot_instruction_names_the_leader():
    assert split_leader("林峰当场指示区信访局要在3日内答复") == ("林峰", "区信访局要在3日内答复")


def test_a_leader_named_after_several_titles_or_speaking_during_a_visit():
    from services.intake.domain.minutes.leaders import split_leader
    assert split_leader("县委副书记、代县长王建国指出，要做细各项工作") == ("王建国", "要做细各项工作")
    assert split_leader("李明在调研中指出，党群工作十分重要") == ("李明", "党群工作十分重要")
    assert split_leader("会议在研究中指出，要做好") == (None, "会议在研究中指出，要做好")


def test_enterprise_titles_name_the_leader():
    from services.intake.domain.minutes.leaders import leading_person
    assert leading_person("最后，集团党委委员、董事赵国强作了总结讲话，并提出四个方面的要求：") == "赵国强"
    assert leading_person("会上，安全科科长钱明就下步工作提出要求") == "钱明"


def test_a_speaker_named_after_a_topic_is_no_action():
    from services.intake.domain.minutes.leaders import split_leader
    assert split_leader("针对规划编制和投资计划报送工作，张丽强调，") == ("张丽", "")
    assert split_leader("各单位要按期完成，确保质量符合要求") == (None, "各单位要按期完成，确保质量符合要求")


def test_he_asks_the_units_without_a_comma():
    from services.intake.domain.minutes.leaders import split_pronoun_remark
    assert split_pronoun_remark("王总经理在会上对下一阶段工作做出了部署，他要求各单位核对全年指标") == \
        ("王总经理", "各单位核对全年指标")


def test_a_leader_written_in_traditional_script_keeps_it(district):
    text = ("9月3日，縣政府召開推進會。\n"
            "副縣長林國銘強調，區住建局要在10月底前完成老舊小區改造方案。")
    drafts = parse_minutes(text, district, meeting_date="2026-09-03").drafts
    assert [d.leader for d in drafts] == ["林國銘"]


def test_a_simplified_name_the_conversion_would_change_is_kept_as_written(district):
    # OpenCC t2s turns 乾 into 干 in this name; the person is 周志乾
    text = ("9月3日，区政府召开推进会。\n"
            "副区长周志乾强调，区住建局要在10月底前完成老旧小区改造方案。")
    drafts = parse_minutes(text, district, meeting_date="2026-09-03").drafts
    assert [d.leader for d in drafts] == ["周志乾"]


# Round 11 (enterprise and institution minutes): invented examples.

def test_words_after_a_title_that_start_no_name_are_no_names():
    # '总经理在会上对…', '院长就如何…', '副总经理作总结，': no person called 在会上, 就如何, 作总结
    text = "林峰总经理在会上对下阶段工作作出部署。院长周岚就如何落实整改谈了意见。副总经理作总结，要求各部门…"
    names = titled_names(text)
    assert not names & {"在会上", "就如何", "作总结"}
    with names_of_document(text):
        assert leading_person("林峰总经理在会上对下阶段工作作出部署") == "林峰"


def test_deputy_general_manager_and_chairman_short_forms():
    # '钟副总' is how a company's minutes name its 副总经理; '鲁董事长' is not cut to '鲁董事'
    names = full_names("钟海涛副总经理检查码头工程。钟副总强调，要抓紧完成招标")
    assert resolve_short_name("钟副总", names) == "钟海涛"
    text = "学校董事长、执行校长鲁明远教授主持会议。鲁董事长在听取汇报后提出三点要求"
    with names_of_document(text):
        assert leading_person("鲁董事长在听取汇报后提出三点要求") == "鲁董事长"
    assert "鲁明远" in full_names(text)      # a name written before 教授


def test_two_names_of_one_surname_are_told_apart_by_the_short_forms_title():
    from services.intake.domain.minutes.leaders import titled_full_names
    names = titled_full_names("集团副总经理吴海、市委组织部调研员吴小兰出席会议。吴总提出四点要求")
    assert resolve_short_name("吴总", names) == "吴海"
    assert resolve_short_name("吴总", set(names)) == "吴总"     # titles unknown: kept as written
    both = titled_full_names("副总经理吴海、总经理吴小兰出席会议")
    assert resolve_short_name("吴总", both) == "吴总"            # both fit: kept as written


def test_an_adverb_before_an_ask_is_no_speaker(district):
    # invented, the shape of a real one: '一要落实制度，严格要求。' (严 is a surname)
    text = ("推进会上区长林峰提出三点要求。一要落实制度，严格要求。区城管局要在6月底前完成占道经营清理。\n")
    drafts = parse_minutes(text, district, meeting_date="2026-05-06").drafts
    assert [d.leader for d in drafts if d.lead == ["区城管局"]] == ["林峰"]
    assert all(d.leader != "严格" for d in drafts)


# Round 14: who speaks in enterprise and site-visit minutes (invented, in the corpora's shapes).

def test_a_title_alone_is_the_person_the_document_names_with_it(district):
    text = ("6月9日，集团党委书记、董事长戴同彬主持召开董事会会议。\n"
            "董事长结合公司实际，提出两点工作要求：一是各部门要在6月底前完成安全生产自查；"
            "二是集团安委会要在7月10日前组织安全生产大检查。")
    drafts = parse_minutes(text, district, meeting_date="2026-06-09").drafts
    assert [d.leader for d in drafts] == ["戴同彬", "戴同彬"]
    from services.intake.domain.minutes.leaders import bare_title
    assert bare_title("董事长结合公司实际，") == "董事长" and bare_title("董事长戴同彬") is None


def test_a_name_between_two_titles_and_a_pronoun_after_a_topic(district):
    text = "最后，江南院区建设指挥长周勇院长强调，区住建局要在8月底前完成一期工程施工进度计划。"
    assert [d.leader for d in parse_minutes(text, district, meeting_date="2026-06-09").drafts] == ["周勇"]
    text = ("李伟厂长向大家通报了改造项目情况。针对分厂检修，他要求区住建局在7月底前制定停车检修方案。")
    assert [d.leader for d in parse_minutes(text, district, meeting_date="2026-06-09").drafts] == ["李伟"]


def test_who_summed_up_or_visited_asks_what_follows(district):
    text = ("卢均胜经理做会议总结。他对上半月的工作给予肯定，同时也做出要求：一是区住建局要在7月底前制定停车检修方案；"
            "二是区财政局要在8月底前完成资金拨付。")
    assert [d.leader for d in parse_minutes(text, district, meeting_date="2026-06-09").drafts] == ["卢均胜", "卢均胜"]
    text = "贾龙斌院长一行查看了门诊各诊室，要求区住建局在7月底前完成搬迁整改。"
    assert [d.leader for d in parse_minutes(text, district, meeting_date="2026-06-09").drafts] == ["贾龙斌"]


def test_the_leader_who_announces_numbered_items_asks_each_of_them(district):
    # '…王彦会院长…提出以下两点要求：' then '1、…' '2、…' on lines of their own; 会 may end a name
    text = ("4月25日，医院党委书记、院长王彦会率领医院领导班子对门诊大厅进行排查。\n"
            "最后，王彦会院长就下一步如何在全院开展整治工作提出以下两点要求：\n"
            "1、区住建局要在5月底前制定总体标准及要求。\n"
            "2、区财政局要在6月底前完成跟踪督促。\n"
            "二、区教育局要在7月底前完成自查。")
    drafts = parse_minutes(text, district, meeting_date="2026-04-25").drafts
    assert [(d.lead, d.leader) for d in drafts if d.lead] == [
        (["区住建局"], "王彦会"), (["区财政局"], "王彦会"), (["区教育局"], None)]


def test_a_sentence_that_goes_on_with_the_person_before_it(district):
    text = ("张学生对采掘接续计划的编制工作给予了肯定。并结合现场实际对以下工作进行了强调部署。"
            "一是区住建局要在3月底前细化采掘接续。二是区财政局要在4月底前完成报批工作。")
    drafts = parse_minutes(text, district, meeting_date="2026-03-01").drafts
    assert [d.leader for d in drafts] == ["张学生", "张学生"]


def test_a_person_named_with_a_title_opens_a_narrative_sentence_whatever_the_verb(district):
    # '总经理杜高强携…', '校长助理郑方兵主持' name the people; '杜高强根据检查结果，…提出五点要求：',
    # '协调会上，游志坚安排部署…。他强调，…', '最后，由校长助理郑方兵做总结讲话：' make them speak
    text = ("8月14日，第一事业部总经理杜高强携检查小组到项目现场检查。\n"
            "杜高强根据检查结果，对项目部提出两点要求：一是区住建局要在8月底前安排好防汛工作；"
            "二是区财政局要在9月底前完成资金拨付。")
    drafts = parse_minutes(text, district, meeting_date="2026-08-14").drafts
    assert [d.leader for d in drafts] == ["杜高强", "杜高强"]
    text = ("11月11日，区委副书记游志坚主持召开棚改项目协调会。\n"
            "协调会上，游志坚安排部署后段征拆工作。他强调，区住建局要在12月15日前完成清零。")
    drafts = parse_minutes(text, district, meeting_date="2026-11-11").drafts
    assert [d.leader for d in drafts if d.lead == ["区住建局"]] == ["游志坚"]
    text = ("5月17日，学校校长助理郑方兵主持召开协调会。\n"
            "最后，由校长助理郑方兵做总结讲话：一是6月1日前，区教育局要准备好返校学生宿舍。")
    assert [d.leader for d in parse_minutes(text, district, meeting_date="2026-05-17").drafts] == ["郑方兵"]


def test_a_speaker_after_the_meeting_he_spoke_at_is_the_leader(district):
    # '在…会上，丁总强调：' - the meeting named first, then who speaks (a surname and 总)
    for text, leader in (("一、在重点工作调度会上，丁总强调：公司要在10月底前制定出两套供热运行方案。", "丁总"),
                         ("一、在推进会启动仪式上，程海东指出，区住建局要在10月底前完成小区改造方案。", "程海东")):
        draft, = parse_minutes(text, district, meeting_date="2026-03-05").drafts
        assert draft.leader == leader


def test_a_narrative_sentence_that_ends_on_the_ask_sets_who_asks_the_items_after_it(district):
    # invented sentences of the shapes: '…给予了充分肯定，并要求，一是…' / '…进行了梳理并指出：一是…'
    text = ("林峰副区长在听取有关汇报后，对各街道的工作给予了充分肯定，并要求，一是区住建局要在7月底前完成排查。"
            "二是区财政局要在8月底前拨付资金。")
    drafts = parse_minutes(text, district, meeting_date="2026-06-09").drafts
    assert [(d.lead, d.leader) for d in drafts] == [(["区住建局"], "林峰"), (["区财政局"], "林峰")]
    text = "随后，项目经理周明根据工期计划进行了梳理并指出：一是区住建局要在7月底前完成交底。"
    assert [d.leader for d in parse_minutes(text, district, meeting_date="2026-06-09").drafts] == ["周明"]
    text = ("最后，区委书记林峰就此次推进会进行了总结并提出两点要求：一提高思想认识。"
            "区住建局要在7月底前完成排查。")                       # the announcement before the colon
    assert [d.leader for d in parse_minutes(text, district, meeting_date="2026-06-09").drafts] == ["林峰"]
    text = "区委书记林峰就此项工作进行了总结并提出要求：区住建局要在7月底前完成排查。"
    assert [(d.task, d.leader) for d in parse_minutes(text, district, meeting_date="2026-06-09").drafts] == [
        ("区住建局要在7月底前完成排查", "林峰")]                    # the narrative head is no part of the task
    text = "同时，林峰作出了全面细致的工作部署，要在全区开展安全隐患排查。区住建局要在7月底前完成排查。"
    assert [(d.task, d.leader) for d in parse_minutes(text, district, meeting_date="2026-06-09").drafts] == [
        ("要在全区开展安全隐患排查", "林峰"), ("区住建局要在7月底前完成排查", "林峰")]   # the ask after the announcement
    text = "会上，林峰作出了工作部署，各街道办事处主任参加会议。区住建局要在7月底前完成排查。"
    assert [d.leader for d in parse_minutes(text, district, meeting_date="2026-06-09").drafts] == [None]  # who came
    text = "林峰副区长对各街道的工作给予了充分肯定。区住建局要在7月底前完成排查。"   # praise alone asks nothing
    assert [d.leader for d in parse_minutes(text, district, meeting_date="2026-06-09").drafts] == [None]
