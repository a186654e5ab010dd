"""Personal questions in free text and conversations (screening/statements.py, screening/chat.py): named cases
that must be read as a fact and cases that must not, the turns that give a verdict and those that do not, and
the conversation state (follow-ups, expiry, JSON round trip)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from screening.chat import EXPIRY, ChatState

TODAY = dt.date(2024, 4, 25)
NOW = dt.datetime(2024, 4, 25, 9, 0)


def read(services, text: str) -> dict:
    return services.chat.reader.read(text, TODAY).facts


def turns(services, *texts: str):
    state, replies = None, []
    for i, text in enumerate(texts):
        reply = services.chat.reply(state, text, TODAY, NOW + dt.timedelta(minutes=i))
        state = reply.state
        replies.append(reply)
    return replies


# ------------------------------------------------------------------------------------------ facts stated
@pytest.mark.parametrize(("text", "facts"), [
    # titles by their naming rules, not only by list (says_patterns in questions.toml)
    ("我是县文化馆的副研究馆员", {"senior_title": True, "employed": True}),
    ("我是副主任中医师", {"senior_title": True}),
    ("单位里的二级演员", {"senior_title": True}),
    ("我是主治医师", {"senior_title": False}),
    ("中级工程师，在研究所干了15年", {"senior_title": False, "years_in_occupation": 15}),
    # exclusions said in the asker's words
    ("俺们局一个副局长 评了高级经济师", {"senior_title": True, "government_staff": True}),
    ("我2010年就评上国务院特贴了", {"already_receives": True}),
    ("I've been receiving the State Council special allowance since 2020", {"already_receives": True}),
    ("我2018年起就调到厂办搞行政了，这几年都没干技术", {"in_post_recent_5y": False}),
    ("我原来是正高级工程师，当了公司总经理，主要管经营管理，技术上的事基本不碰了",
     {"senior_title": True, "leader_not_practicing": True}),
    ("我是副校长，但还一直带研究生，这算不算担任领导后不再从事专业技术工作", {"leader_not_practicing": False}),
    ("俺爹是退休的中学特级教师，退了五六年了", {"senior_title": True, "employed": False}),
    ("我在市总工会机关上班，有高级政工师职称", {"senior_title": True, "government_staff": True, "employed": True}),
    ("哦不对，说错了，我是技师（二级），高级技师还没评下来",
     {"skill_level": "technician", "below_min_skill_level": True}),
    ("没有考过高级技师证，按高技能人才能报吗", {"below_min_skill_level": True, "track": "skilled"}),
    ("我不是首席技师，是高级技师", {"skill_level": "senior_technician"}),
    ("不是。事业编。正高", {"senior_title": True, "employed": True, "government_staff": False}),
    ("Does her past as a civil servant exclude her? She is a full professor now",
     {"gender": "female", "senior_title": True}),  # history, said in English
    ("他1964年12月生的，还没退", {"employed": True}),
    ("他当了院长以后就不上课不带学生了", {"leader_not_practicing": True}),
    ("Since becoming vice-president he no longer does any research or teaching",
     {"leader_not_practicing": True, "gender": "male"}),
    ("I have received the special allowance before", {"already_receives": True}),
    ("她还兼着副院长，不过每天照样门诊、上手术", {"gender": "female", "leader_not_practicing": False}),
    ("不对，我说错了，我不在卫健局，我在县疾控中心", {"government_staff": False, "employed": True}),
    ("人选：县委宣传部干部，副高职称", {"senior_title": True, "government_staff": True}),
    ("省直某厅机关一名处长，具有正高级工程师职称", {"senior_title": True, "government_staff": True}),
    ("替俺媳妇问下，她是高级技师，工人身份", {"gender": "female", "skill_level": "senior_technician",
                                         "female_post": "worker"}),
    # 一直在 the clinic: working now
    ("近5年一直在临床一线，专治疑难危重病", {"in_post_recent_5y": True, "employed": True, "achievements": ["P6"]}),
    ("说错了说错了，是13年，前头10年在别的厂也是干电焊", {"years_in_occupation": 13}),
    # the total counts, not the parts told before it
    ("干焊工才3年，之前在别的厂也干了4年，加起来7年了", {"years_in_occupation": 7, "female_post": "worker"}),
])
def test_a_fact_stated_in_the_askers_words_is_read(services, text: str, facts: dict) -> None:
    assert read(services, text) == facts


@pytest.mark.parametrize("text", [
    "评上国务院特贴需要什么条件",  # getting it is the question, not a fact
    "享受了特贴之后能不能延迟退休",  # a hypothetical
    "想先考高级技师，明年再报",  # a plan
    "准备评副高",
    "是不是必须得正高",  # the rule asked about
    "Does receiving the allowance affect my work permit?",
    "山西历年来一共有多少人享受过国务院特贴？",  # people counted, not the asker
    "How many people in Shanxi have already received the allowance?",
])
def test_plans_hypotheticals_and_questions_about_a_fact_state_nothing(services, text: str) -> None:
    facts = read(services, text)
    assert "already_receives" not in facts and "skill_level" not in facts and "senior_title" not in facts


# ------------------------------------------------------------------------------------------ when a verdict
def test_a_title_below_senior_puts_the_asker_on_the_professional_track_and_says_why_not(services) -> None:
    reply, = turns(services, "我是中级工程师，在研究所干了15年，男，1985年生，能报吗")
    assert reply.outcome is not None and reply.outcome["track"] == "professional"
    assert "高级职称" in reply.answer.answer


def test_facts_told_without_a_question_get_a_verdict_and_later_facts_update_it(services) -> None:
    first, second, third = turns(services, "我是高级技师", "焊工，在车间干了8年", "还拿过全国技术能手")
    assert first.outcome is not None and first.outcome["outcome"] == "review"
    assert second.outcome is not None and second.profile["years_in_occupation"] == 8
    assert third.outcome is not None and third.profile["achievements"] == ["S1"]


@pytest.mark.parametrize("text", ["技师证书丢了怎么补办", "高级技师是什么", "退休人员"])
def test_a_question_or_a_kind_of_person_is_not_taken_as_the_asker_telling_facts(services, text: str) -> None:
    reply, = turns(services, text)
    assert reply.outcome is None


def test_a_later_turn_that_excludes_the_asker_turns_the_verdict(services) -> None:
    _, later = turns(services, "我是高级工程师，想报专业技术人才", "不过我2018年起就调到厂办搞行政了，这几年都没干技术")
    assert later.outcome is not None and later.outcome["outcome"] == "ineligible"
    assert later.profile["in_post_recent_5y"] is False


@pytest.mark.parametrize(("text", "needs"), [("女，1974年9月生，车间里的高级技师，能报吗", "岗位类别"),
                                             ("1966年出生，高级工程师，能报吗", "性别")])
def test_a_birth_date_that_does_not_yet_decide_retirement_says_what_would(services, text: str, needs: str) -> None:
    reply, = turns(services, text)
    line = next(x for x in reply.answer.answer.splitlines() if "退休年龄" in x)
    assert line.startswith("？") and needs in line


# ------------------------------------------------------------------------------------------ the state
def test_the_state_survives_json_and_expires_after_its_time(services) -> None:
    first = services.chat.reply(None, "我是高级技师，1970年生", TODAY, NOW)
    state = ChatState.from_json(json.loads(json.dumps(first.state.to_json())))
    assert state.statement.facts == first.state.statement.facts and state.personal
    soon = services.chat.reply(state, "干了8年", TODAY, NOW + EXPIRY - dt.timedelta(minutes=1))
    assert soon.profile.get("skill_level") == "senior_technician"
    late = services.chat.reply(state, "干了8年", TODAY, NOW + EXPIRY + dt.timedelta(minutes=1))
    assert "skill_level" not in late.profile


def test_a_follow_up_takes_what_it_leaves_out_from_the_last_turn(services) -> None:
    _, follow = turns(services, "专技处的电话是多少", "那职建处呢")
    assert "7676045" in follow.answer.answer and follow.answer.found


@pytest.mark.parametrize(("first", "then", "says", "not_says"), [
    ("省教育厅能推几个专业技术人才", "那各市呢", "3名", "18名"),  # a place replaces a department: both recommend
    ("退休年龄按哪天算", "材料退吗", "不再回退", "退休"),  # a new question keeps no topic of the last one
    ("Where is the professional technical personnel division's office?", "Their phone number?", "7676026", None),
])
def test_what_a_follow_up_replaces_and_what_it_keeps(services, first, then, says, not_says) -> None:
    _, follow = turns(services, first, then)
    assert says in follow.answer.answer
    assert not_says is None or not_says not in follow.answer.answer


@pytest.mark.parametrize(("question", "entry"), [("P6讲的是什么", "achievement.P6"),
                                                  ("当医生的看哪条", "achievement.P6"),
                                                  ("What happens if we're late?", "deadline.late")])
def test_a_question_mostly_read_is_routed_though_a_word_is_unknown(services, question: str, entry: str) -> None:
    answer = services.engine.ask(question, TODAY)
    assert answer.found and answer.entry_id == entry


def test_a_correction_of_the_birth_year_is_the_askers_not_another_round(services) -> None:
    _, corrected = turns(services, "我是省属企业的高级工程师，一直在研发一线，男，1963年出生，能申报不",
                         "不对不对，打错了，我是1969年的")
    assert corrected.outcome is not None and corrected.profile["birth_date"] == "1969"


@pytest.mark.parametrize(("text", "personal"), [("你好，我想问问我能不能报今年的国务院政府特殊津贴", True),
                                                ("Can I apply?", True),
                                                ("我们部门有个特别优秀的 能不能超指标多推一个", False),
                                                ("带了很多徒弟的老师傅", False)])
def test_asking_about_oneself_gets_a_verdict_asking_for_the_unit_or_a_kind_does_not(services, text, personal) -> None:
    reply, = turns(services, text)
    assert (reply.outcome is not None) is personal


def test_an_honour_of_the_other_track_does_not_fail_the_asker(services) -> None:
    reply, = turns(services, "咱是民营企业的，俺是高工，攻下来好几个卡脖子的难题，有两项发明专利，民营的能报不")
    assert reply.outcome is not None and reply.outcome["outcome"] == "review"
    # the patents (S2) say nothing of the professional track; the broken bottlenecks are the asker's claim of P2
    assert reply.profile.get("achievements") == ["P2"] and "非公有制" in reply.answer.answer


@pytest.mark.parametrize(("texts", "says"), [
    (("高技能人才条件一共几条",), "8项"),  # how many: the entry that says the number
    (("高技能人才条件一共几条", "第6条是啥"), "世界技能大赛"),  # a numbered condition of the last turn's track
    (("高技能人才条件一共几条", "第6条是啥", "专技那边第7条呢"), "教育"),  # …or of the track it names
    (("非公企业的人谁组织推荐", "那港澳台的呢"), "全职"),  # what was asked has no entry for the new subject
    (("非公企业的人谁组织推荐", "那港澳台的呢", "外国人呢"), "外籍"),  # an employer replaces an employer
    (("省教育厅专技人才能推几个", "俺们想多推一个行不"), "不得超"),  # a short question with a topic of its own
])
def test_conversations_about_numbered_conditions_and_employers(services, texts, says) -> None:
    *_, last = turns(services, *texts)
    assert says in last.answer.answer, last.answer.answer


@pytest.mark.parametrize(("texts", "says"), [
    (("县区报阳泉市人社局 截止", "省里呢"), "5月10日"),  # a place replaces the city's office
    (("申报系统 用哪个", "网址呢"), "另行"),  # a marked follow-up keeps the last topic
    (("推荐人选要公示吗", "涉密的呢", "纪委意见呢"), "纪检监察"),
    (("省教育厅专业技术人才推荐指标多少？", "那卫健委呢", "其他省直部门呢"), "2名"),  # not "other provinces"
])
def test_more_follow_ups(services, texts, says) -> None:
    *_, last = turns(services, *texts)
    assert says in last.answer.answer, last.answer.answer


def test_a_unit_s_own_deadline_is_not_the_notice_s(services) -> None:
    *_, last = turns(services, "县区报市局 截止", "平定县内部 几号截止")
    assert not last.answer.found


def test_describing_ones_work_after_a_verdict_updates_it(services) -> None:
    *_, last = turns(services, "I'm a British professor working full-time at a university in Taiyuan. Male, born 1968, "
                     "full professor (正高). Am I eligible?",
                     "My coal-chemistry research won a provincial science and technology progress award.")
    assert last.outcome is not None and last.outcome["track"] == "professional"


@pytest.mark.parametrize(("text", "says"), [
    ("我在省农科院当研究员，搞谷子小杂粮育种的，常年蹲在试验田里，选育的品种推广了几百万亩，这能算哪一条", "科技推广"),
    ("他带出来好多徒弟 传手艺这方面算条件吗", "传授技艺"),
    ("我手里有两项国家专利 都是防爆开关上的改进 这个够条件吗", "国家专利"),
    ("专技人才那九条我都不沾边 那咋办", "自然科学研究"),  # no condition named: the list of them
])
def test_which_condition_ones_work_meets_is_answered_with_the_conditions_words(services, text, says) -> None:
    reply, = turns(services, text)
    assert reply.answer.found and says in reply.answer.answer, reply.answer.answer


@pytest.mark.parametrize(("text", "facts"), [
    # being at work now, in the asker's words; history (以前, 原来) states nothing about now
    ("我在平定县发改局上班", {"employed": True}),
    ("现在在太原一家酒店当厨师，到今年满3年", {"employed": True, "years_in_occupation": 3}),
    ("她是县医院的护士长 主任护师", {"gender": "female", "senior_title": True, "employed": True}),
    ("Hi, I'm a 主任医师 (cardiology) at a private hospital in Taiyuan", {"senior_title": True, "employed": True}),
    ("我是退休的主任医师", {"senior_title": True, "employed": False}),
    ("我以前在部队是通信兵", {}),
    ("我父亲前年从太钢退休，现在被厂里返聘回去当技术顾问", {"gender": "male", "employed": False}),
    ("捏砂锅四十年了", {"years_in_occupation": 40}),
    # a leader who still practises, and one who does not, in more words
    ("分管医疗，每周固定做两三台手术，门诊也照常坐", {"leader_not_practicing": False}),
    ("当了主任以后基本就是管人、排生产计划，不怎么上手干活了", {"leader_not_practicing": True}),
    ("I still run a research group with 12 PhD students", {"leader_not_practicing": False}),
])
def test_present_work_history_and_practice_in_the_askers_words(services, text: str, facts: dict) -> None:
    assert read(services, text) == facts


def test_amounts_said_are_not_questions_and_a_county_needs_its_name(services) -> None:
    reading = services.engine.read("这几年搞了不少县域经济规划，出过好几个课题，带了二十几个徒弟")
    assert "quota" not in reading.attributes and "place.county" not in reading.subjects


def test_a_civil_servant_who_mentions_several_projects_is_told_the_exclusion(services) -> None:
    first, again = turns(services, "我在平定县发改局上班，公务员编制，不过我有高级经济师职称，"
                         "这几年搞了不少县域经济规划，出过好几个课题。我这种能不能走专业技术人才报一下？",
                         "可是我干的实际就是专业工作啊，职称也是正规评的，真一点机会都没有？")
    for reply in (first, again):
        assert reply.outcome is not None and reply.outcome["outcome"] == "ineligible"
        assert "党政军群" in reply.answer.answer


def test_a_correction_that_mentions_an_id_card_updates_the_verdict(services) -> None:
    first, corrected = turns(services, "我是研究所的副研究员，女，1969年9月生的，干部身份，今年还能报吗？",
                             "不对不对，我记错了，刚翻了身份证，是1970年3月的")
    assert first.outcome is not None and corrected.outcome is not None
    assert corrected.profile["birth_date"] == "1970-03" and "2025" in corrected.answer.answer


def test_adding_work_after_a_verdict_with_several_of_something_updates_it(services) -> None:
    *_, last = turns(services, "本人是医院副院长，同时还是普外科主任医师，每周固定做两三台手术。1970年生，男。能报吗？",
                     "补充一下，我主刀的腹腔镜手术全市最多，还牵头推广了几项微创新技术")
    assert last.outcome is not None and last.profile.get("leader_not_practicing") is False


def test_last_rounds_reserve_is_this_notices_subject_but_lists_of_people_are_not(services) -> None:
    reserve, = turns(services, "去年单位推荐了我，省里公示的后备人选里有我的名字。今年还要重新报一遍吗？")
    assert reserve.answer.found and "优先" in reserve.answer.answer
    listed, = turns(services, "2023年的后备人选名单在哪能查到")
    assert not listed.answer.found and listed.answer.guard == "lists_of_people"


def test_who_is_asked_about_beside_another_question_is_not_a_case(services) -> None:
    reply, = turns(services, "我爸眼神不好，网上申报系统我能不能用我的手机替他填？")
    assert reply.outcome is None


def test_which_track_one_who_holds_both_applies_on_is_their_verdict_or_the_rule(services) -> None:
    reply, = turns(services, "我在中职学校教数控，职称是高级讲师（副高），去年又考下来高级技师证。"
                   "像我这种两头都沾的，应该走专业技术人才还是高技能人才？")
    assert reply.outcome is not None and reply.outcome["track"] == "skilled"
    rule = services.engine.ask("职称和技师都有的人按哪类报", TODAY)
    assert rule.entry_id == "criterion.track_rule", rule.answer


def test_a_birth_year_said_in_cantonese_is_read(services) -> None:
    said = services.chat.reader.read("我1983年出世，男", TODAY)
    assert said.birth is not None and said.birth.earliest.year == said.birth.latest.year == 1983


def test_a_follow_up_gets_the_same_answer_in_every_process() -> None:
    """What a follow-up borrows is joined in a fixed order, not in the order of a set (which changes with the
    process's hash seed): the answer must not depend on it."""
    import os
    import subprocess
    import sys
    lines = '{"conversation": "c", "text": "现在还能交材料吗"}\n{"conversation": "c", "text": "那市里那一级呢"}\n'
    outputs = set()
    for seed in ("1", "3"):
        run = subprocess.run([sys.executable, "-m", "bot", "chat", "--json", "--today", "2024-05-12"], input=lines,
                             capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONHASHSEED": seed})
        outputs.add(run.stdout.splitlines()[-1])
    assert len(outputs) == 1


@pytest.mark.parametrize(("text", "facts"), [
    # a contradiction in one message: retired wins over a description of the work (conflict_wins, data)
    ("我是太原理工大学的教授，2022年已经办了退休，现在学校又返聘我回来带研究生",
     {"senior_title": True, "employed": False}),
    ("我听人说女工人50就退休了", {}),  # hearsay is not the asker's fact
    ("我是中级工程师，还没评上副高", {"senior_title": False}),
    ("He has been doing it for 31 years", {"gender": "male", "years_in_occupation": 31}),
    ("我拿的是省里的那个省政府特殊津贴，国务院的没拿过", {"already_receives": False}),
    ("他2018年就已经是享受国务院政府特殊津贴人员了", {"already_receives": True}),
    ("我在市政府上班，副高职称", {"senior_title": True, "employed": True, "government_staff": True}),
    ("虽然是领导班子成员，但还是亲自牵头搞研发项目", {"leader_not_practicing": False}),
    ("没当过护士长啥的领导", {"leader_not_practicing": False}),
    ("我2019年享受过山西省政府特殊津贴，这个算不算已享受？", {}),  # another scheme's allowance
    ("我现在是班组长，还天天上手焊，影响吗", {"leader_not_practicing": False}),
    ("俺是华阳集团一矿的综采维修电工，在井下干了26年了", {"employed": True, "years_in_occupation": 26,
                                                 "female_post": "worker"}),
    ("I'm vice dean of the School of Chemistry at Shanxi University, 教授", {"senior_title": True, "employed": True}),
    ("I have been a full professor at Shanxi University since then", {"senior_title": True, "employed": True}),
    ("我兼着剧院的业务副院长，不过照样登台演出", {"leader_not_practicing": False}),
    # 女 is the sex and 女工 a worker post: a listed word of one field leaves another field's pattern alone
    ("我是女工，高级技师", {"gender": "female", "female_post": "worker", "skill_level": "senior_technician"}),
    ("她是女干部", {"gender": "female", "female_post": "cadre"}),
    # a pronoun yields to the sex said outright: 她 is the wife, 男的 the asker (weak words, data)
    ("俺是男的，跟她一个厂，技师", {"gender": "male", "skill_level": "technician"}),
    ("2018年就享受上国务院特贴咧", {"already_receives": True}),
    ("在厂里一线焊了8年", {"years_in_occupation": 8}),
    ("不对 13年", {"years_in_occupation": 13}),  # a correction of the years said before, without 是
])
def test_contradictions_hearsay_and_more_wordings_of_a_fact(services, text: str, facts: dict) -> None:
    assert read(services, text) == facts


def test_an_age_said_as_a_bare_number_is_a_range_of_birth_dates(services) -> None:
    said = services.chat.reader.read("我今年49，明年才满50", TODAY)
    assert said.birth is not None and said.birth.precision == "age"


def test_pushing_back_on_a_verdict_restates_it(services) -> None:
    first, again = turns(services, "我是副省级领导，有正高职称，能报吗", "可他是院士啊，学术成果特别突出，也不行吗")
    assert first.outcome is not None and first.outcome["outcome"] == "ineligible"
    assert again.outcome is not None and again.outcome["outcome"] == "ineligible"


def test_a_correction_within_one_message_keeps_what_is_said_last(services) -> None:
    said = services.chat.reader.read("哦对了我说得不准，首席技师是厂里聘的岗位，"
                                     "我自己的职业资格证书是高级技师，不是特级", TODAY)
    assert said.facts.get("skill_level") == "senior_technician"


def test_he_is_one_who_receives_is_a_fact_not_a_kind(services) -> None:
    *_, last = turns(services, "帮车间一个师傅问问，他是焊工，技师，干了22年，他能报吗",
                     "我又翻了下档案……他2018年就已经是享受国务院政府特殊津贴人员了")
    assert last.outcome is not None and last.outcome["outcome"] == "ineligible"


def test_what_a_fact_changes_after_facts_told_gets_the_verdict(services) -> None:
    *_, last = turns(services, "我是省人民医院心外科的主任医师，现在一周还做七八台手术，没担任行政职务",
                     "医院归省卫健委，卫健委的名额有多少", "对了我还是省政协委员，这个影响吗")
    assert last.outcome is not None and last.outcome["outcome"] == "review"


@pytest.mark.parametrize(("texts", "says"), [
    (("网上用什么系统", "网址多少"), "另行发送"),  # a new attribute of the topic talked about
    (("高技能人才的申报材料寄到哪", "电话呢", "那专业技术的呢"), "7676026"),
])
def test_a_short_question_asks_of_what_was_talked_about(services, texts, says) -> None:
    *_, last = turns(services, *texts)
    assert says in last.answer.answer, last.answer.answer


def test_a_short_question_answered_alone_keeps_its_own_answer(services) -> None:
    *_, last = turns(services, "截止时间是哪天", "电子版也是这个时间吗", "材料交上去以后还能退回来吗")
    assert "不再回退" in last.answer.answer, last.answer.answer


def test_a_place_named_decides_whose_contact_whatever_the_askers_track(services) -> None:
    *_, last = turns(services, "我是厂里的高级技师，干了19年，能报高技能人才不", "市里那个科电话多少")
    assert "2293393" in last.answer.answer, last.answer.answer


def test_a_foreign_citizen_is_told_the_overseas_rule(services) -> None:
    reply, = turns(services, "Hello. I am a US citizen (Chinese-born) and a full professor at Shanxi University. "
                   "Am I even eligible to be nominated?")
    assert reply.outcome is not None and "foreign nationals included" in reply.answer.answer


@pytest.mark.parametrize(("text", "outcome"), [
    ("我是公物员，在单位也一直搞技术，能申报吗？", "ineligible"),  # 公务员 typed by sound: the exclusion still applies
    ("我在党政机官上班，平时做的也是专业工作，这种能报特贴吗？", "ineligible"),
])
def test_facts_typed_by_sound_are_read_as_meant(services, text: str, outcome: str) -> None:
    reply, = turns(services, text)
    assert reply.outcome is not None and reply.outcome["outcome"] == outcome


@pytest.mark.parametrize(("texts", "says"), [
    (("专业技术人才要什么职称", "那高技能人才呢", "要干满几年"), "5年以上"),  # years asked: the rule on years
    (("干本工种要满几年才能报高技能人才", "专业技术人才呢"), "近5年"),
    (("阳泉转发文件的文号", "省厅的呢", "人社部的呢"), "11号"),  # the national document the notice cites
])
def test_years_and_document_numbers_in_follow_ups(services, texts, says) -> None:
    *_, last = turns(services, *texts)
    assert says in last.answer.answer, last.answer.answer


def test_a_month_named_short_in_english(services) -> None:
    said = services.chat.reader.read("male, born Dec 1963", TODAY)
    assert said.birth is not None and said.birth.earliest == dt.date(1963, 12, 1)


@pytest.mark.parametrize(("text", "claims", "never"), [
    # a result said beside a field is the asker's claim of the field's condition
    ("我主刀的腹腔镜手术全市最多，近五年两千多台", {"P6"}, set()),
    ("推广研究员，常年在地里跑，推广谷子新品种，全县亩产提了不少", {"P2"}, set()),
    ("针灸治好了不少疑难杂症", {"P6"}, set()),
    ("高级技师，还拿过省科技进步二等奖", {"S2"}, set()),  # an award's grade inside its name
    # a field alone, a result denied, or a result heard from others is a pointer at most, not a claim
    ("我是外科医生，能报吗", set(), {"P6"}),
    ("我是外科医生，业绩不突出", set(), {"P6"}),
    ("听说外科医生手术最多的能报", set(), {"P6"}),
])
def test_a_result_beside_a_field_is_the_askers_claim(services, text: str, claims: set, never: set) -> None:
    got = set(read(services, text).get("achievements") or ())
    assert claims <= got and not never & got


@pytest.mark.parametrize(("text", "facts"), [
    # history said as experience (早年…当过几年公务员) is not the present
    ("本人早年在省直机关当过几年公务员，2008年辞职读博，现在在山西大学当教授",
     {"senior_title": True, "employed": True}),
    # a rule quoted is not a fact (这种不算'当了领导不搞业务'吧)
    ("行政上挂着副院长但每周还做四五台手术。这种不算'当了领导不搞业务'吧", {"leader_not_practicing": False}),
    ("在市总工会上班，有高级经济师", {"senior_title": True, "government_staff": True}),  # a mass organisation
    ("没评过职称，一直在企业", {"senior_title": False}),
    ("I don't have a Chinese professional title though", {"senior_title": False}),
    ("她现在纯搞行政已经不碰业务了", {"gender": "female", "leader_not_practicing": True, "in_post_recent_5y": False}),
    ("我还兼着护理部副主任，我天天还在病房跑呢", {"leader_not_practicing": False}),
    ("女，纺织厂挡车工，高级技师", {"gender": "female", "female_post": "worker", "skill_level": "senior_technician"}),
    ("我是化工厂的工程师，车间里加工零件", {"employed": True}),  # 化工, 加工 are no trades
    ("我是市级传承人，高级技师", {"skill_level": "senior_technician", "achievements": ["S7"]}),
])
def test_history_quotes_mass_organisations_titles_and_trades(services, text: str, facts: dict) -> None:
    assert read(services, text) == facts


@pytest.mark.parametrize(("text", "born"), [
    ("高级农艺师，六七年生人", "1967"), ("哎呀不对我说错了 是75年10月 身份证上写的75", "1975-10"),
    ("正高工 男 68年 在煤科院", "1968"), ("干了七八年的活", None), ("当院长七八年了", None), ("我 45年 工龄", None),
])
def test_birth_years_said_in_short(services, text: str, born: str | None) -> None:
    birth = services.chat.reader.read(text, TODAY).birth
    assert (birth.stated() if birth else None) == born


def test_another_person_brought_in_starts_their_facts_afresh(services) -> None:
    first, second = turns(services, "2014年我已经享受了国务院特殊津贴，现在单位又在征集，我还能再报一次吗？",
                          "那我同事呢 正高工 男 68年 在煤科院搞瓦斯抽采的")
    assert first.outcome is not None and first.outcome["outcome"] == "ineligible"
    assert second.outcome is not None and second.outcome["outcome"] == "review"
    assert "already_receives" not in second.profile and second.profile["birth_date"] == "1968"
    # a colleague as a source (我同事说) is no other person told about
    assert not services.chat.reader.read("我同事说我这种能报", TODAY).someone_else
    assert not services.chat.reader.read("What about the deadline?", TODAY).someone_else


@pytest.mark.parametrize("then", ["那我徒弟，85年的高级技师，在钳工岗干了16年，他能报不",
                                  "OK. What about a young colleague of mine, a senior technician born 1985?"])
def test_a_person_introduced_by_a_relation_starts_afresh(services, then: str) -> None:
    """The master retired; the apprentice (or a colleague) brought in next is not retired with him."""
    first, second = turns(services, "我是老工程师，正高，2022年退休了，返聘回来还在上班，能报不", then)
    assert first.outcome is not None and first.outcome["outcome"] == "ineligible"
    assert second.profile.get("employed") is not False and second.outcome["outcome"] != "ineligible"


def test_a_field_named_by_its_materials_is_no_question_about_the_papers(services) -> None:
    _, second = turns(services, "他是教授，2021年已经退休了，他能不能报",
                      "好吧。。那我们课题组另一个老师呢，男，1979年的，副教授，做煤基炭材料的")
    assert second.outcome is not None and second.outcome["outcome"] == "review"


def test_a_retirement_date_asked_with_ones_birth_gets_the_verdict(services) -> None:
    reply, = turns(services, "我是65年3月出生的，我们这行男的六十退，那个退休的线到底划在哪一天，我今年还赶得上赶不上")
    assert reply.outcome is not None and reply.outcome["outcome"] != "ineligible"


@pytest.mark.parametrize(("texts", "outcome", "profile"), [
    # a relative or a colleague asked about next (那我老婆呢, 那我们车间的…老王呢) is another person
    (("我在市总工会上班，高级经济师，符合吗", "那我老婆呢，在市疾控中心，副主任医师"), "review",
     {"senior_title": True}),
    # and the asker after someone else (那我呢)
    (("问个事，我父亲是享受副省级待遇的专家，在大学还带博士，他可以报吗",
      "那我呢，我在同一个学校当副教授，82年的"), "review", {"birth_date": "1982"}),
])
def test_the_next_person_asked_about_starts_afresh(services, texts, outcome: str, profile: dict) -> None:
    last = turns(services, *texts)[-1]
    assert last.outcome is not None and last.outcome["outcome"] == outcome
    assert profile.items() <= last.profile.items() and "government_staff" not in last.profile \
        and "vice_provincial_or_above" not in last.profile


@pytest.mark.parametrize(("text", "facts"), [
    ("女，1970年1月生，在研究院是管理岗，有正高职称",
     {"gender": "female", "female_post": "cadre", "senior_title": True}),
    ("我是盂县人民医院的主任医师，兼着副院长，不过手术一直在做没停过",
     {"senior_title": True, "leader_not_practicing": False}),
    ("以前在省发改委当过几年公务员，2016年调到太原理工当老师了", {"government_staff": False}),
    ("她是学生身份", {"gender": "female", "employed": False}),
])
def test_posts_practice_moves_and_students(services, text: str, facts: dict) -> None:
    assert facts.items() <= read(services, text).items()


@pytest.mark.parametrize(("texts", "says"), [
    (("哪些人不能报", "退休的呢", "拿过的呢"), "不再重复申报"),  # those who already receive it
    (("专技那边收材料的联系人叫啥", "高技能的呢", "政策上不明白问谁"), "白瑾利"),  # the policy contact
])
def test_follow_ups_about_recipients_and_policy(services, texts, says: str) -> None:
    assert says in turns(services, *texts)[-1].answer.answer


def test_another_person_brought_in_with_a_fact_gets_their_verdict(services) -> None:
    _, second = turns(services, "我们集团总经理是正高级工程师，这几年主要抓经营管理，技术上基本不直接干了",
                      "那他手下的总工呢，一天到晚泡在研发中心")
    assert second.outcome is not None and second.outcome["outcome"] == "review"
    assert second.profile.get("leader_not_practicing") is False


def test_what_was_not_stated_of_an_office_stays_the_topic(services) -> None:
    *_, last = turns(services, "专技处邮箱多少", "那职建处呢", "地址呢")
    assert "1409" in last.answer.answer


@pytest.mark.parametrize(("text", "born"), [("正高，女，1973年。新闻口的能深报吗", "1973"),
                                            ("国家级教练（正高），76年男", "1976"), ("男，25年工龄", None)])
def test_a_year_beside_the_sex_is_a_birth_year(services, text: str, born: str | None) -> None:
    birth = services.chat.reader.read(text, TODAY).birth
    assert (birth.stated() if birth else None) == born


@pytest.mark.parametrize(("text", "on", "outcome"), [
    # when the asker says they reach the retirement age decides the rule without a birth date
    ("俺今年十月就到点退了，可得报上？", "2024-10-31", "fail"),
    ("我大姨是中学特级教师，明年3月才到退休年龄，今年报还来得及吗？", "2025-03-31", "pass"),
    ("I am retiring in October this year, can I apply?", "2024-10-31", "fail"),
])
def test_the_retirement_date_said_decides_the_retirement_rule(services, text: str, on: str, outcome: str) -> None:
    reply, = turns(services, text)
    assert reply.profile["retires_on"] == on and reply.outcome is not None
    retirement = reply.answer.answer.split("\\n")
    assert any(("✘" if outcome == "fail" else "✔") in line and ("退休" in line or "retirement" in line)
               for line in retirement), reply.answer.answer


def test_facts_in_traditional_characters_are_read(services) -> None:
    reply, = turns(services, "你好，我係香港人，喺山西一間大學全職教書，副教授，做文物保護研究，已經5年")
    assert reply.profile.get("employed") is True and reply.profile.get("senior_title") is True


def test_this_year_of_a_retirement_is_the_rounds_year_whenever_one_asks(services) -> None:
    later = dt.date(2026, 11, 28)  # asked long after the round: 今年 is still the round's year, as questions read it
    reply = services.chat.reply(None, "我今年10月份就到法定退休年龄了，今年还能申报特贴吗？", later,
                                dt.datetime(2026, 11, 28, 9))
    assert reply.profile["retires_on"] == "2024-10-31"


def test_another_person_asked_about_a_step_of_the_procedure_gets_the_step_not_a_verdict(services) -> None:
    """A person brought in with facts is asked about for their verdict, unless what is asked of them is a step of
    the procedure (a topic marked `process` in the vocabulary)."""
    question = "我另一位学生是省管干部，在高校当副校长还带着团队。他的纪检意见是学校征求还是上面统一征求？"
    reply = services.chat.reply(None, question, TODAY, NOW)
    assert reply.outcome is None and "省人社厅统一征求" in reply.answer.answer
    reply = services.chat.reply(None, "那我另一位学生呢，副教授，68年的", TODAY, NOW)
    assert reply.outcome is not None


def test_replies_in_fragments_are_read_as_the_askers_own(services) -> None:
    """Facts set apart by a space or a full stop (高级技师 能报不, 男。70年) are the asker's, as with a comma."""
    first, second = turns(services, "高级技师 能报不", "男。70年")
    assert first.outcome is not None and first.profile["skill_level"] == "senior_technician"
    assert second.profile["birth_date"] == "1970"


def test_a_contact_field_the_office_talked_about_lacks_is_said_to_be_missing(services) -> None:
    """After the skilled office's phone and room, "Do they have an email too?" asks the skilled office's email,
    which the notice does not give: say so with its phone, not the other office's email."""
    *_, last = turns(services, "Who handles the skilled-worker applications at the provincial level?", "phone number?",
                     "Do they have an email address too?")
    assert not last.answer.found and "7676045" in last.answer.answer and "372325549" not in last.answer.answer


@pytest.mark.parametrize(("text", "entry"), [("今天还能往省里交材料吗", "deadline.days_left"),
                                             ("我们县还有个高技能的没报上去，能补交不", "deadline.late"),
                                             ("交哪", None)])
def test_whether_there_is_still_time_and_where_to_hand_in_are_read_in_short_words(services, text, entry) -> None:
    reply = services.chat.reply(None, text, TODAY, NOW)
    assert reply.answer.found and (reply.answer.entry_id == entry or reply.answer.kind == "clarify")


def test_one_more_person_of_the_unit_starts_afresh(services) -> None:
    """那我们院一个男同志… brings in another person: the asker's own facts (retired) are not theirs."""
    first, second = turns(services, "我今年61了，退休后返聘在设计院，高级工程师，还能报吗",
                          "那我们院一个男同志，1965年1月生的，还没退，他能报不？")
    assert first.profile["employed"] is False
    assert second.profile.get("employed") is True and "senior_title" not in second.profile


@pytest.mark.parametrize(("text", "rule"), [
    ("我爸以前当过车间主任，后来不干了又回一线焊接，这算不算当领导不能报的那种？", "不再直接从事"),
    ("我2021年从部队转业到煤矿干安全技术，有正高职称。通知要求推荐人选近几年在岗位上工作？", "近5年"),
])
def test_a_verdict_beside_a_rule_asked_by_its_topic_also_states_the_rule(services, text: str, rule: str) -> None:
    reply, = turns(services, text)
    assert reply.outcome is not None and rule in reply.answer.answer, reply.answer.answer


def test_one_who_already_had_this_allowance_asking_to_apply_again_is_told_no(services) -> None:
    reply, = turns(services, "我们一个医生前些年已经拿过这个津贴了，今年还能再报吗？")
    assert reply.outcome is not None and reply.outcome["outcome"] == "ineligible"
    assert "不再重复" in reply.answer.answer


@pytest.mark.parametrize(("text", "year", "month"), [
    ("我男的六三年十月出生的正高级工程师", 1963, 10),
    ("七四年八月生的", 1974, 8),
    ("女的七二年的在临床一线干了快三十年了", 1972, None),
])
def test_a_birth_year_in_chinese_digits_with_or_without_a_month_is_read(services, text: str, year: int,
                                                                         month: int | None) -> None:
    said = services.chat.reader.read(text, TODAY)
    assert said.birth is not None and said.birth.earliest.year == year
    assert said.birth.precision == ("month" if month else "year")
    assert month is None or said.birth.earliest.month == month


def test_a_span_of_years_in_chinese_digits_is_no_birth_year(services) -> None:
    assert services.chat.reader.read("我干了七八年的焊工", TODAY).birth is None
    assert services.chat.reader.read("有七八年的经验", TODAY).birth is None


def test_another_one_brought_in_with_a_comma_starts_afresh(services) -> None:
    first, second = turns(services, "帮忙看几个人。第一个是我们集团董事长，享受副省部级待遇，本身也是教授级高工。",
                          "还有一个，车间主任，男，1968年生，高级技师，钳工干了30年，一直在一线带班干活。")
    assert first.outcome is not None and first.outcome["outcome"] == "ineligible"
    assert second.outcome is not None and second.outcome["outcome"] != "ineligible", second.answer.answer


def test_a_leader_who_still_teaches_and_one_who_stopped_are_read_apart(services) -> None:
    still = read(services, "本人任系主任，教授。虽然有行政职务，但一直给本科生上课、带研究生")
    assert still.get("leader_not_practicing") is False
    stopped = read(services, "我们学院院长是正高，当了院长以后课不上了、课题也不带了，纯做行政")
    assert stopped.get("leader_not_practicing") is True


def test_asking_again_about_ones_age_after_a_verdict_gets_the_verdict(services) -> None:
    *_, last = turns(services, "我是煤矿首席技师，男，1964年6月生，现在还在井下带班，能报特贴吗",
                     "那我这个岁数到底还能不能报，给个准话")
    assert last.outcome is not None


def test_the_policy_line_asked_for_and_then_its_person_and_its_address(services) -> None:
    phone, person, address = turns(services, "我妈想报专业技术类的特贴，政策上有不明白的打哪个电话", "联系人叫啥",
                                   "地址呢")
    assert "0351-7676026" in phone.answer.answer and "白瑾利" in person.answer.answer
    assert address.answer.found and "1824" in address.answer.answer  # the office's other line holds it


def test_a_follow_up_after_a_question_about_another_place_takes_what_was_asked(services) -> None:
    _, here = turns(services, "全国一共要选多少人", "那山西今年呢")
    assert "59" in here.answer.answer


def test_a_question_with_its_own_owner_after_a_topic_is_answered_alone(services) -> None:
    *_, late = turns(services, "专业技术的交哪个处", "高技能的呢", "过了日子还收吗")
    assert "不予受理" in late.answer.answer, late.answer.answer


def test_the_track_the_askers_facts_imply_settles_a_question_that_would_be_asked_back(services) -> None:
    """Which office receives the papers depends on the track; a professor told it, so the professional office is
    answered instead of asking which track is meant. A question the engine answers alone is left as it is."""
    replies = turns(services, "I am a full-time professor at a university in Taiyuan. Can foreigners be nominated?",
                    "Where do I send the application materials?")
    assert replies[1].answer.kind == "answer" and "Professional and Technical Personnel" in replies[1].answer.answer
    assert "Vocational" not in replies[1].answer.answer
