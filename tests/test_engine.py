"""The answering engine: right entry, cited, date-aware; refuses what it does not cover."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from knowledge.engine import Engine, Thresholds
from knowledge.render import days_until

TODAY = dt.date(2024, 4, 25)


def ask(services, q: str, today: dt.date = TODAY):
    return services.engine.ask(q, today)


@pytest.mark.parametrize(("question", "entry"), [
    ("材料报送截止时间", "deadline.province"),
    ("专技处联系电话", "fact:contact"),
    ("全省一共多少名额", "quota.total"),
    ("需要准备什么材料", "mat.list"),
    ("护士能申报吗", "achievement.P6"),
    ("机关工作人员能报吗", "criterion.not_government_staff"),
])
def test_ranking_picks_the_entry_for_the_question(services, question: str, entry: str) -> None:
    assert ask(services, question).entry_id == entry


def test_an_answer_cites_its_clauses(services) -> None:
    reply = ask(services, "高技能人才材料交到哪")
    assert reply.found and reply.kind == "answer"
    assert "5.2" in reply.sources
    assert "晋人社厅函〔2024〕230号 五（二）" in reply.citations


def test_traditional_full_width_and_filler_variants_get_the_same_answer(services) -> None:
    plain = ask(services, "专业技术人才名额")
    assert ask(services, "請問專業技術人才名額嗎？").entry_id == plain.entry_id
    assert ask(services, "专业技术人才名额！！").entry_id == plain.entry_id


@pytest.mark.parametrize("question", [
    "社保怎么转移", "公积金怎么提取", "退休金怎么算", "人才公寓怎么申请", "个人所得税怎么申报",
    "what's the weather", "qwertyuiop", "帮我写一首诗", "", "   ", "？？？", "10", "2024",
])
def test_out_of_scope_questions_are_refused_with_a_contact(services, question: str) -> None:
    reply = ask(services, question)
    assert not reply.found and reply.kind == "refuse"
    if question.strip("？ "):
        assert "7676026" in reply.answer


def test_shared_words_do_not_pull_an_unrelated_question_in(services) -> None:
    # 申报, 退休 and 人才 all occur in the notice, but these questions are about other services.
    for q in ("退休手续在哪里办理", "公务员考试什么时候报名", "人才引进的安家费有多少"):
        assert not ask(services, q).found, q


def test_a_question_the_notice_does_not_answer_is_refused_with_a_pointer(services) -> None:
    reply = ask(services, "特殊津贴每个月发多少钱")
    assert not reply.found
    assert "没有写" in reply.answer and "0351-7676026" in reply.answer


def test_deadline_answers_count_days_left(services) -> None:
    reply = ask(services, "距离截止还有多少天", dt.date(2024, 4, 25))
    assert "距截止还有5天" in reply.answer and "距截止还有15天" in reply.answer


def test_deadline_answers_say_when_a_deadline_has_passed(services) -> None:
    reply = ask(services, "材料报送截止时间", dt.date(2025, 1, 1))
    assert "已截止" in reply.answer and "5月10日" in reply.answer


def test_deadline_on_the_day_itself(services) -> None:
    assert "今天截止" in ask(services, "材料报送截止时间", dt.date(2024, 5, 10)).answer


def test_days_until_counts_whole_days() -> None:
    assert days_until(dt.date(2024, 5, 10), dt.date(2024, 4, 25)) == 15
    assert days_until(dt.date(2024, 5, 10), dt.date(2024, 5, 10)) == 0
    assert days_until(dt.date(2024, 5, 10), dt.date(2024, 5, 11)) == -1


def test_english_questions_get_english_answers(services) -> None:
    reply = ask(services, "When is the deadline?")
    assert reply.found and "May 10, 2024" in reply.answer and "15 days left" in reply.answer
    foreign = ask(services, "Can foreigners apply?")
    assert foreign.found and "foreign nationals" in foreign.answer


def test_english_out_of_scope_is_refused_in_english(services) -> None:
    reply = ask(services, "How do I renew my residence permit?")
    assert not reply.found and reply.answer.startswith("Sorry")


def test_close_runners_up_make_the_engine_ask(services) -> None:
    # With a tiny margin every near tie becomes a clarification; options name distinct entries.
    eager = Engine(services.kb, Thresholds(clarify_ratio=0.5, clarify_min_coverage=0.0, near_exact=100))
    reply = eager.ask("联系人电话", TODAY)
    assert reply.kind == "clarify" and reply.found
    assert len(reply.option_ids) >= 2 and len(set(reply.option_ids)) == len(reply.option_ids)
    assert reply.options == [eager.label(o) for o in reply.option_ids]


def test_a_genuinely_ambiguous_question_asks_which_track(services) -> None:
    reply = ask(services, "材料交到哪")
    assert reply.kind == "clarify" and reply.found
    assert {"mat.where_professional", "mat.where_skilled"} <= set(reply.option_ids)


def test_json_shape_is_the_contract(services) -> None:
    data = ask(services, "文号").as_json()
    assert {"found", "answer", "sources", "citations", "score", "options"} <= set(data)
    assert isinstance(data["score"], float) and isinstance(data["options"], list)


@pytest.mark.parametrize(("path", "allowed_failures"), [("tests/data/paraphrases.jsonl", 1),
                                                       ("tests/data/paraphrases2.jsonl", 2),
                                                       ("tests/data/paraphrases3.jsonl", 1),
                                                       ("tests/data/paraphrases4.jsonl", 3),
                                                       ("tests/data/paraphrases5.jsonl", 1),
                                                       ("tests/data/paraphrases6.jsonl", 3),
                                                       ("tests/data/paraphrases7.jsonl", 0),
                                                       ("tests/data/paraphrases8.jsonl", 0),
                                                       ("tests/data/paraphrases9.jsonl", 2),
                                                       ("tests/data/paraphrases10.jsonl", 5),
                                                       ("tests/data/paraphrases11.jsonl", 3),
                                                       ("tests/data/paraphrases12.jsonl", 0),
                                                       ("tests/data/paraphrases13.jsonl", 0),
                                                       ("tests/data/paraphrases14.jsonl", 0),
                                                       ("tests/data/paraphrases15.jsonl", 0),
                                                       ("tests/data/paraphrases16.jsonl", 0),
                                                       ("tests/data/paraphrases17.jsonl", 0)])
def test_independent_paraphrases_stay_answered(services, path: str, allowed_failures: int) -> None:
    """Regression over questions worded apart from the FAQ variants. paraphrases2 and 3 were written blind
    and first scored 73/85 and 36/40; the misses were vocabulary, added to the lexicon and FAQ. paraphrases4
    (English and colloquial) was written blind and first scored 54/66: English covered only the main topics.
    paraphrases5 (long questions with the asker's circumstances) first scored 41/54: ages, pronouns and
    occupations lowered coverage until refused. paraphrases6 (bare keywords, noise, what the notice does not
    say) first scored 46/60, with four confident answers to questions the notice does not answer.
    paraphrases7 (staff's formal wording, other HR programmes) first scored 33/44; paraphrases8 (English from
    foreign experts) 33/40: plurals missed their synonyms (expats), British spelling (organises); paraphrases9
    (confirmations, "A or B", what the notice leaves out) 27/35; paraphrases10 (county staff, older applicants,
    occupations and titles) 28/40; paraphrases11 (traps: other years, cities, provinces, offices' heads, taxes)
    14/35, with 20 confident answers to questions the notice does not answer; paraphrases12 (each example
    question reworded) 53/54; paraphrases13 (bare keywords, the notice's own terms, acknowledgements) 36/38;
    paraphrases14 (each example reworded again, more formally) 48/54; paraphrases15 (a third time) 52/54;
    paraphrases16 (the asker's story in clauses that only tell, late papers with the date said, copies typed by
    sound, and their traps) and paraphrases17 (Cantonese and Shanxi speech, a county's own contact, a group's own
    quota, another body's allowance held beside this one) were written after the fixes they test."""
    from tests.qa_scoring import score_cases

    cases = [json.loads(line) for line in Path(path).read_text("utf-8").splitlines()]
    failures = score_cases(services.chat, cases, default_today=dt.date(2026, 11, 26))
    assert len(failures) <= allowed_failures, failures


def test_greetings_are_answered_but_not_as_facts_of_the_notice(services) -> None:
    for q in ("你好", "你是谁", "hello"):
        reply = ask(services, q)
        assert not reply.found and reply.entry_id == "chat.about" and "/check" in reply.answer


def test_an_entry_ranked_first_on_a_rare_character_gives_way_to_one_that_covers_the_question(services) -> None:
    """纸 is rare, so an entry about paper-only applications outranks the A4 form; but it does not cover "a4"."""
    reply = ask(services, "A4纸")
    assert reply.found and reply.entry_id == "mat.info_form" and "3份" in reply.answer


@pytest.mark.parametrize(("question", "entry"), [("传真号码", "gap.fax"), ("fax number", "gap.fax"),
                                                  ("办公时间", "gap.office_hours"), ("不是党员能申报吗", "gap.party")])
def test_what_the_notice_does_not_say_is_not_answered_from_a_neighbouring_topic(services, question, entry) -> None:
    reply = ask(services, question)
    assert not reply.found and reply.entry_id == entry
    assert "7676026" in reply.answer  # the contact to ask instead


@pytest.mark.parametrize("wrap", ["Hi, {}", "Excuse me, {}. Regards", "Hello! Quick question: {} thanks",
                                  "老师您好，{}？", "打扰了，{}，谢谢", "你好，我想咨询一下，{}", "求问{}，感谢回复",
                                  "咨询：{}来着", "请告诉我{}，请回复", "能否告知{}是怎么规定的"])
def test_courtesies_around_a_question_do_not_change_the_answer(services, wrap: str) -> None:
    """Measured over every example and probe question with six prefixes and suffixes: English pleasantries
    changed 38% of answers (hi and thanks matched the greeting entry, regards and excuse were unseen words);
    Chinese frames (请告诉我…，请回复; 求问…来着; 咨询：…) changed 20% and 12%."""
    for question in ("When is the deadline?", "Can civil servants apply?", "材料报送截止时间", "外籍人士可以申报吗"):
        english = question.isascii()
        if english != wrap.isascii():
            continue
        plain, wrapped = ask(services, question), ask(services, wrap.format(question))
        assert (wrapped.entry_id, wrapped.kind) == (plain.entry_id, plain.kind), wrap


def test_a_refusal_names_the_track_office_and_cites_where_the_contacts_come_from(services) -> None:
    general = ask(services, "社保怎么转移")
    assert not general.found and "7676026" in general.answer and "7676045" not in general.answer
    assert general.sources and all(c in services.kb.clauses for c in general.sources)
    skilled = ask(services, "高技能人才的工资待遇怎么样")
    assert not skilled.found and "7676045" in skilled.answer


@pytest.mark.parametrize("question", ["专利怎么申请", "怎么成为高级技师", "全国技术能手评选条件", "教师职称评定",
                                      "省政府特殊津贴怎么申报", "How do I get a patent?"])
def test_obtaining_a_credential_or_another_scheme_is_not_answered_from_the_conditions(services, question) -> None:
    """These name a condition's words (专利, 高级技师) but ask about another service: the condition's answer
    would be beside the point, said with confidence."""
    assert not ask(services, question).found


@pytest.mark.parametrize("question", ["有专利能申报吗", "获得过中华技能大奖", "怎么才能享受特殊津贴",
                                      "怎么申报国务院特贴"])
def test_asking_whether_a_credential_counts_is_still_answered(services, question) -> None:
    assert ask(services, question).found


def test_a_question_offering_alternatives_shows_both(services) -> None:
    reply = ask(services, "材料是交给专技处还是职建处")
    assert reply.kind == "clarify"
    assert "专技处" in reply.answer and "职建处" in reply.answer


@pytest.mark.parametrize(("question", "fact"), [("What is 专技处's phone number?", "7676026"),
                                                 ("Where is 职建处?", "1409"),
                                                 ("高技能人才 quota", "14"),
                                                 ("Can 外籍专家 apply?", "外籍")])
def test_english_words_in_a_chinese_question_are_understood(services, question: str, fact: str) -> None:
    reply = ask(services, question)
    assert reply.found and fact in reply.answer


@pytest.mark.parametrize("question", ["2023年推荐了多少人", "去年山西有几个人评上了", "2025年的特贴什么时候开始申报",
                                      "How many people got the allowance last year?", "北京市的截止时间",
                                      "其他省的名额是多少", "太原市人社局的电话", "专技处处长是谁"])
def test_another_round_place_or_person_is_not_answered_with_this_notices_facts(services, question) -> None:
    assert not ask(services, question).found


@pytest.mark.parametrize(("question", "entry"), [("2023年的后备人选有什么优待", "cond.reserve"),
                                                  ("1964年出生的男的能报吗", "criterion.retirement"),
                                                  ("大同市有几个名额", "quota.city"),
                                                  ("今年的截止时间", "deadline.province")])
def test_years_and_cities_the_answer_does_cover_are_still_answered(services, question, entry) -> None:
    reply = ask(services, question)
    assert reply.found and (reply.entry_id == entry or entry in reply.option_ids)


@pytest.mark.parametrize(("question", "entry"), [
    ("正式函最后盖谁的公章？我们医院的章行不行", "mat.letter"),  # the asker's hospital is no medical condition
    ("个人业绩证明材料每页都要加盖医院公章吗？", "mat.proof"),
    ("这个国务院特贴搞选拔到底是为了啥目的？我们单位领导让我写个说明", "meta.purpose"),
    ("书面材料都要准备哪些", "mat.list"),
    ("我们卫生院归县卫健局管 不是省直单位 我该往哪报", "proc.how_to_apply"),  # 卫生 inside 卫生院 is no field
])
def test_a_workplace_named_in_passing_is_not_the_subject(services, question: str, entry: str) -> None:
    answer = services.engine.ask(question, dt.date(2024, 4, 1))
    assert answer.entry_id == entry, answer.answer


@pytest.mark.parametrize(("question", "entries"), [
    # the office of the provincial department that receives each track's materials, in either language
    ("高技能人才的深报材料最后是报到省人社厅哪个处？别跟专技的搞混了", {"mat.where_skilled", "mat.where_professional"}),
    ("Where do skilled-talent applications go at the provincial department?", {"mat.where_skilled"}),
    ("Which office of the provincial HR department receives professional (专技) materials?",
     {"mat.where_professional"}),
])
def test_the_receiving_office_is_routed_though_the_department_is_named(services, question, entries) -> None:
    assert set(services.engine._route(services.engine.read(question))) == entries


def test_a_late_date_with_materials_asks_whether_they_are_still_taken(services) -> None:
    answer = services.engine.ask("我们材料5月15号才准备好，还能交不？", dt.date(2024, 3, 25))
    assert answer.found and "不予受理" in answer.answer


@pytest.mark.parametrize(("question", "entry"), [
    # the circumstances before the last clause are the asker's own words; the last clause is what is asked
    ("我有几手别人做不了的绝活，比如不拆机判断齿轮箱故障，文件里有没有这种条件", "achievement.S5"),
    ("我们推的是心外科主任，做了很多高难度手术，医疗这块的条件原文是怎么写的", "achievement.P6"),
    # only where the asker is (我们县级单位) was named: what is asked decides
    ("听说今年选拔更偏向基层的？我们县级单位的机会大不大，文件原话怎么说的", "cond.focus"),
])
def test_what_is_asked_in_the_last_clause_routes_past_the_askers_own_words(services, question, entry) -> None:
    assert services.engine.ask(question, dt.date(2024, 4, 1)).entry_id == entry


@pytest.mark.parametrize(("question", "entry"), [
    # any clause that asks may be what is asked (这种还算不算？ between the circumstances and hearsay)
    ("我们总工同时挂着公司副总经理，还天天泡在车间搞技术，这种还算不算？听说当领导的不能报", "criterion.not_leader"),
    ("老实说我们总工没发过几篇论文，主要是搞实际生产工艺改进的，这个是不是硬伤？", "cond.no_only_papers"),
    # the asker's own work in a year (2017年那个课题) is not another round
    ("业绩算几年内的？我2017年那个课题还算吗", "cond.recent5y"),
    ("I don't hold a Chinese 职称 (professional title) — is that disqualifying?", "criterion.senior_title"),
])
def test_judgements_asked_in_the_askers_words_are_routed(services, question: str, entry: str) -> None:
    assert services.engine.ask(question, dt.date(2024, 4, 1)).entry_id == entry


@pytest.mark.parametrize("question", [
    "正式函要交几份？原件一份够吗",  # copies are given for the form and the proof, not the letter
    "组织专家评议的时候专家至少要几个人？",  # the panel's size: none given
])
def test_a_value_asked_of_a_topic_that_has_none_is_not_borrowed(services, question: str) -> None:
    answer = services.engine.ask(question, dt.date(2024, 4, 1))
    assert not answer.found and "没有写" in answer.answer, answer.answer


def test_a_value_asked_of_a_topic_that_has_it_is_answered(services) -> None:
    answer = services.engine.ask("信息表要几份", dt.date(2024, 4, 1))
    assert answer.found and answer.entry_id == "mat.info_form"


def test_a_documents_number_is_asked_apart_from_its_date(services) -> None:
    number = services.engine.ask("市里转发文件的文号是多少", dt.date(2024, 4, 1))
    assert number.entry_id == "meta.number" and "41号" in number.answer
    deadline = services.engine.ask("市里报到省厅的截止时间是哪天", dt.date(2024, 4, 1))
    assert deadline.entry_id != "meta.issued" and "5月10日" in deadline.answer


def test_a_leader_who_says_something_is_a_source_not_the_subject(services) -> None:
    told = services.engine.read("俺们车间主任说得先在矿上推荐，矿上再往哪报")
    assert "topic.leader" not in told.subjects
    assert "topic.leader" in services.engine.read("车间主任能报吗").subjects
    late = services.engine.ask("Today is May 20. My dean says our materials are still not sent. Is it too late now?",
                               dt.date(2024, 5, 20))
    assert late.found and "not accepted" in late.answer


@pytest.mark.parametrize("question", [
    "市人社局专管科有没有专门管高技能的联系人？叫啥名字",  # the office named is whose: the notice names no one there
    "阳泉市人社局专管科在哪办公，具体地址几楼几号房间？我想直接送过去",
])
def test_what_the_notice_does_not_give_of_the_office_named_is_not_found(services, question: str) -> None:
    answer = services.engine.ask(question, dt.date(2024, 4, 1))
    assert not answer.found and "2293393" in answer.answer, answer.answer


def test_few_papers_in_the_askers_words_gets_the_rule_against_judging_by_papers(services) -> None:
    answer = services.engine.ask("我SCI不多，主要是临床干活，是不是就没戏了", dt.date(2024, 4, 1))
    assert "唯论文" in answer.answer, answer.answer


@pytest.mark.parametrize(("question", "entry"), [
    # the written register's courtesies ask nothing (烦请明确, 请予提供，以便归档)
    ("市局转发文件之文号请予提供，以便归档。", "meta.number"),
    ("就本市而言，专业技术与高技能两类人员的推荐名额分别为若干，烦请明确。", "quota.city"),
    # only a place, an office or a department named: the route asked is said of it
    ("本校系县属事业单位，推荐工作应循何种路径上报？", "proc.how_to_apply"),
    # 专业技术 alone names the track (这一块), over an office heard of from others
    ("东西最后是交到省厅哪个处的，就说专业技术这一块，我听人说是职建处，可我咋记着不是呢", "mat.where_professional"),
    # a person of a field beside a topic is who is asked about; the topic is what is asked
    ("本校一位教师今年年内即届法定退休年龄，其申报资格应如何看待？", "criterion.retirement"),
    ("书面材料都有啥", "mat.list"),  # what a subject holds
    ("选拔的时候要避免啥倾向", "cond.no_only_papers"),  # the tendencies shunned, not the priorities (倾斜)
    ("咱省这回重点倾向什么领域啊", "cond.focus"),
    ("专家评议结果汇总表是否需要附上", "mat.letter"),  # it goes with the formal letter
    # whose quota a unit's candidate uses: the route decides (a county hospital is the city's)
    ("省卫健委不是有18个名额嘛 我们县医院是不是也从那18个里出", "quota.whose"),
    ("听说卫健委有18个名额，我是不是占那个？", "quota.whose"),
    ("卫健委有多少名额", "quota.health"),
    # the province's office named with the city it is in (寄到太原省厅) asks the route, not about another city
    ("我能不能自己直接把材料寄到太原省厅去啊，不经过矿上也不经过集团，一层一层报的太麻烦了", "proc.how_to_apply"),
    ("太原市人社局的电话", None),
    # history said of results (没批下来) asks no results
    ("去年我们矿上有个弟兄公示了说是后备的，最后也没批下来，今年他再报还有戏没有", "cond.reserve"),
    ("文件对选拔工作有无不宜偏重之处，例如过分看重学历或资历？", "cond.no_only_papers"),
    ("If our paper documents only arrive at the provincial department today, will they still be accepted?",
     "deadline.late"),
    ("What is the official document number of the provincial notice? I want to cite it in my cover letter.",
     "meta.number"),
    # an exam people assume there is: none, the procedure answers
    ("这个特殊津贴考试考啥科目？要不要报个培训班？", "proc.no_exam"),
    ("本集团高技能人才可推荐几名？", "quota.departments"),  # a provincial enterprise's own words
    ("材料晚两天交没事吧，反正走个形式", "deadline.late"),
    ("How much copies of the information form are required, and on which paper size?", "mat.info_form"),
    ("我表哥高技能那块的才料，最后交到太原哪个屋？", "mat.where_skilled"),
    ("俺们车间主任说得先在矿上推荐，是这么回事不？矿上再往哪报", "proc.how_to_apply"),  # the asker's own unit
    ("Do I need paper copies?", "mat.info_form"),  # the paper copies are the form's
    ("纸质材料要几份", "mat.info_form"),
    ("Will I get my documents back if I am not selected?", "mat.no_return"),  # what is asked: whether returned
    ("评不上的话材料会退还吗", "mat.no_return"),
])
def test_formal_and_roundabout_wordings_are_routed(services, question: str, entry: str) -> None:
    answer = services.engine.ask(question, dt.date(2024, 4, 1))
    assert answer.entry_id == entry, answer.answer


@pytest.mark.parametrize(("question", "says"), [
    # a contact asked beside something else: both parts answered
    ("你好 我是职院人事处的，专技老师的才料最晚几号交到省厅，电话多少", ["5月10日", "7676026"]),
    ("高技能的报送地址和截止日期", ["5月10日", "1409"]),
    # two things asked, neither a contact: each clause's own answer (the deadline's clause, not the office's)
    ("专技的材料最晚几号交？交到哪个处？", ["5月10日", "专技处"]),
    ("What is the deadline for the professional track, and which office receives the documents?",
     ["May 10", "Professional and Technical Personnel Division"]),
])
def test_a_contact_asked_beside_something_else_gets_both(services, question: str, says: list[str]) -> None:
    answer = services.engine.ask(question, dt.date(2024, 4, 1))
    assert answer.found and all(s in answer.answer for s in says), answer.answer


@pytest.mark.parametrize(("question", "entry"), [
    ("My boss ask me to prepare application before my vacation. I go back to Korea in May. "
     "What is last day to submit application?", "deadline.province"),
    ("Is there a separate scheme for foreigners like the Friendship Award, and when is its deadline?", None),
])
def test_the_askers_own_story_around_a_clear_question_does_not_hide_it(services, question, entry) -> None:
    """Clauses that only tell (a vacation, a trip home) lower how much of the text the notice covers; when every
    clause that asks is understood, what it asks is answered. A clause that asks about something else (another
    scheme) is not the asker's story, and the question stays refused."""
    reply = ask(services, question)
    assert reply.found == (entry is not None) and reply.entry_id == entry


@pytest.mark.parametrize(("clause", "asking"), [
    ("涉密的人员也要公示吗？", True), ("听说今年更偏向基层的？", True), ("名字都不能随便往外公布。", False),
    ("What is the last day?", True), ("Still can submit?", True), ("I go back to Korea in May,", False),
    ("My team is done.", False)])
def test_a_clause_asks_by_its_question_words_or_in_english_by_its_form(clause: str, asking: bool) -> None:
    from knowledge.reading import asks

    assert asks(clause) == asking


def test_an_attribute_named_in_the_askers_story_is_read_but_not_asked(services) -> None:
    reading = services.engine.read("单位搞保密项目，名字都不能往外公布。涉密人员也要公示吗？")
    assert "results" not in reading.attributes and "公布" in reading.plain
    assert {"topic.secret", "topic.publicity"} <= reading.subjects
    # a clause that asks nothing of its own leans on the rest: the phone is still what is asked
    assert "phone" in services.engine.read("专技处电话，是多少").attributes
    # a place told beside another asked: the one asked is what the question is about (and refused: not Shanxi's)
    told_and_asked = "你们山西这边是59个。河北省今年特贴名额是多少个？"
    reading = services.engine.read(told_and_asked)
    assert "place.elsewhere" in reading.subjects and "place.province" not in reading.subjects
    assert services.engine.ask(told_and_asked, dt.date(2024, 4, 1)).guard == "elsewhere"


@pytest.mark.parametrize(("question", "years"), [
    ("我在阳泉做工艺工程师，这几年一直在搞工艺改造，去年厂里效益提了不少。市里收材料的截止时间是哪天？", set()),
    ("去年的名额是多少", {2023}),
    ("去年咱们阳泉到底评上了几个人啊，有没有煤矿上的", {2023}),  # a told clause that counts people still asks
])
def test_a_year_in_the_askers_story_names_no_round(services, question: str, years: set[int]) -> None:
    assert set(services.engine.read(question).years) == years


def test_a_courtesy_before_a_question_does_not_make_it_a_greeting(services) -> None:
    """明白了 is a courtesy the greeting answers alone; beside a question naming one of the notice's subjects, the
    question is answered."""
    answer = services.engine.ask("明白了。那我们这种民营企业的推荐是谁来组织？", dt.date(2024, 4, 1))
    assert answer.entry_id == "cond.nonpublic" and "所在地人力资源社会保障部门" in answer.answer
    assert services.engine.ask("明白了", dt.date(2024, 4, 1)).entry_id == "chat.about"


def test_two_offices_equally_likely_are_both_offered(services) -> None:
    """Where to send the materials depends on the track; the question names none, so both offices are offered
    rather than one picked by a hair's difference in score."""
    answer = services.engine.ask("Where do I send the application materials?", dt.date(2024, 4, 1))
    assert answer.kind == "clarify"
    assert "Professional and Technical Personnel" in answer.answer and "Vocational" in answer.answer


@pytest.mark.parametrize(("question", "entry"), [
    ("他的材料我们医院交到哪儿", "proc.how_to_apply"),  # the unit asks its route: up through the local bureau
    ("厂里交材料要交甚材料嘞", "mat.list"),  # the unit named, the list asked
    ("那我们厂的技术工人要报的话有啥条件", "cond.skilled"),  # the unit is where; the track is what is asked of
])
def test_the_askers_own_unit_is_where_they_are_not_what_they_ask(services, question: str, entry: str) -> None:
    assert services.engine.ask(question, dt.date(2024, 4, 1)).entry_id == entry
