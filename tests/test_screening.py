"""Every criterion passes, fails and is unknown as the notice says; outcomes combine as specified."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bot.cli import screen_line
from screening.engine import screen
from screening.models import Profile
from screening.retirement import add_months, raise_months, retirement_date

CLEAN = dict(employed=True, in_post_recent_5y=True, government_staff=False, vice_provincial_or_above=False,
             leader_not_practicing=False, already_receives=False, birth_date="1980-01-01", gender="male")
PRO = dict(CLEAN, track="professional", senior_title=True, achievements=["P2"])
SKILL = dict(CLEAN, track="skilled", skill_level="senior_technician", years_in_occupation=10, achievements=["S1"])


def run(services, **fields):
    return screen(Profile.model_validate(fields), services.criteria)


def reason(result, criterion_id):
    return next(r for r in result.reasons if r.id == criterion_id)


def test_a_clean_professional_profile_is_eligible(services) -> None:
    result = run(services, **PRO)
    assert result.outcome == "eligible" and result.track == "professional" and result.missing == []
    assert all(r.clause and r.citation for r in result.reasons)


def test_a_clean_skilled_profile_is_eligible(services) -> None:
    assert run(services, **SKILL).outcome == "eligible"


# (sentence, base, change, criterion, expected result, expected outcome)
CASES = [
    ("someone no longer employed is ineligible", PRO, {"employed": False}, "employed", "fail", "ineligible"),
    ("unknown employment needs review", PRO, {"employed": None}, "employed", "unknown", "review"),
    ("someone out of post in the last 5 years is ineligible", PRO, {"in_post_recent_5y": False}, "recent_post",
     "fail", "ineligible"),
    ("a leader no longer practising is ineligible", SKILL, {"leader_not_practicing": True}, "not_leader", "fail",
     "ineligible"),
    ("vice-provincial rank is ineligible", PRO, {"vice_provincial_or_above": True}, "not_vice_provincial", "fail",
     "ineligible"),
    ("staff of a government organ are ineligible", PRO, {"government_staff": True}, "not_government_staff", "fail",
     "ineligible"),
    ("someone already receiving the allowance is ineligible", SKILL, {"already_receives": True}, "not_already",
     "fail", "ineligible"),
    ("a professional without a senior title needs review", PRO, {"senior_title": False}, "senior_title", "fail",
     "review"),
    ("a professional with no achievement is ineligible", PRO, {"achievements": []}, "professional_achievement",
     "fail", "ineligible"),
    ("a professional with unknown achievements needs review", PRO, {"achievements": None},
     "professional_achievement", "unknown", "review"),
    ("a technician below 高级技师 needs review", SKILL, {"skill_level": "technician"}, "skill_level", "fail", "review"),
    ("four years in the occupation is ineligible", SKILL, {"years_in_occupation": 4}, "occupation_years", "fail",
     "ineligible"),
    ("five years in the occupation passes", SKILL, {"years_in_occupation": 5}, "occupation_years", "pass",
     "eligible"),
    ("a skilled applicant with only P achievements is ineligible", SKILL, {"achievements": ["P1"]},
     "skilled_achievement", "fail", "ineligible"),
    ("a man who turned 60 in 2022 needs review", PRO, {"birth_date": "1962-08-01"}, "retirement", "fail", "review"),
    ("a woman in a worker post who turned 50 in 2022 needs review", SKILL,
     {"gender": "female", "female_post": "worker", "birth_date": "1972-03-01"}, "retirement", "fail", "review"),
    ("a woman in a cadre post born 1972 passes", SKILL,
     {"gender": "female", "female_post": "cadre", "birth_date": "1972-03-01"}, "retirement", "pass", "eligible"),
    ("an unknown birth date needs review", PRO, {"birth_date": None}, "retirement", "unknown", "review"),
]


@pytest.mark.parametrize(("sentence", "base", "change", "criterion", "expected", "outcome"), CASES,
                         ids=[c[0] for c in CASES])
def test_criterion_table(services, sentence, base, change, criterion, expected, outcome) -> None:
    fields = {k: v for k, v in {**base, **change}.items() if v is not None}
    result = run(services, **fields)
    assert reason(result, criterion).result == expected
    assert result.outcome == outcome


def test_both_qualifications_go_to_the_skilled_track(services) -> None:
    result = run(services, **dict(CLEAN, senior_title=True, skill_level="senior_technician", years_in_occupation=9,
                                  achievements=["S3"]))
    assert result.track == "skilled" and result.outcome == "eligible"
    assert reason(result, "track_rule").clause == "4.2"


def test_a_professional_moved_to_the_skilled_track_keeps_their_achievements(services) -> None:
    result = run(services, **dict(PRO, skill_level="principal_technician", years_in_occupation=20))
    assert result.track == "skilled" and result.outcome == "eligible"
    assert reason(result, "skilled_achievement").result == "pass"


def test_a_track_that_cannot_be_told_is_missing(services) -> None:
    result = run(services, **CLEAN)
    assert result.track is None and result.outcome == "review" and "track" in result.missing


def test_no_achievement_at_all_is_ineligible_whichever_the_track(services) -> None:
    result = run(services, **dict(CLEAN, achievements=[]))
    assert result.track is None and result.outcome == "ineligible"
    assert {"professional_achievement", "skilled_achievement"} <= {r.id for r in result.reasons if r.result == "fail"}


def test_failing_one_track_only_leaves_the_track_to_be_settled(services) -> None:
    # Two years in the occupation rule out the skilled track, not the professional one.
    result = run(services, **dict(CLEAN, years_in_occupation=2))
    assert result.outcome == "review" and "track" in result.missing


def test_a_woman_on_the_skilled_track_with_unknown_post_is_asked_only_when_it_matters(services) -> None:
    # Born 1972-03: 50 (worker) reached in 2022, 55 (cadre) not by 2024 — the post decides.
    result = run(services, **dict(SKILL, gender="female", birth_date="1972-03-01"))
    assert result.outcome == "review" and "female_post" in result.missing
    young = run(services, **dict(SKILL, gender="female", birth_date="1990-03-01"))
    assert "female_post" not in young.missing and young.outcome == "eligible"


def test_a_woman_on_the_professional_track_is_in_a_professional_post(services) -> None:
    # Born 1970-06: 55 in 2025 with the raise; a worker post (50) would have been reached long ago.
    result = run(services, **dict(PRO, gender="female", birth_date="1970-06-01"))
    assert reason(result, "retirement").result == "pass" and result.outcome == "eligible"


def test_unknown_gender_matters_only_when_the_ages_disagree(services) -> None:
    assert "gender" in run(services, **dict(PRO, gender=None, birth_date="1967-01-01")).missing
    assert "gender" not in run(services, **dict({k: v for k, v in PRO.items() if k != "gender"},
                                                birth_date="1990-01-01")).missing


def test_reserve_candidates_get_a_priority_note(services) -> None:
    assert "reserve_priority" in [n.kind for n in run(services, **dict(PRO, reserve_2023=True)).notes]
    assert "reserve_priority" not in [n.kind for n in run(services, **PRO).notes]


def test_next_steps_are_facts_naming_deadlines_and_the_tracks_office(services) -> None:
    steps = run(services, **SKILL).next_steps
    assert [(s.kind, s.deadline, s.contact) for s in steps] == [
        ("via_unit", "", ""), ("city_report", "city", "city"), ("submit", "province", "skilled"), ("materials", "", "")]
    assert {s.track for s in run(services, employed=True).next_steps if s.kind == "submit"} == \
        {"professional", "skilled"}


def test_next_steps_in_words_name_deadlines_office_and_contact(services) -> None:
    from knowledge.phrasebook import phrases
    from screening.wording import next_step_text

    steps = "\n".join(next_step_text(s, services.criteria, services.kb, dt.date(2024, 4, 25), phrases("zh"))
                      for s in run(services, **SKILL).next_steps)
    assert "4月30日" in steps and "5月10日" in steps and "职业能力建设处" in steps and "0351-7676045" in steps
    assert "专业技术人员管理处" not in steps and "距截止还有15天" in steps
    late = next_step_text(run(services, **SKILL).next_steps[2], services.criteria, services.kb,
                          dt.date(2026, 11, 28), phrases("zh"))
    assert "已截止" in late


# --------------------------------------------------------------------------------- retirement dates
def test_add_months_clamps_to_the_month_end() -> None:
    assert add_months(dt.date(2023, 8, 31), 6) == dt.date(2024, 2, 29)


@pytest.mark.parametrize(("category", "birth", "months"), [
    ("male", "1964-12-01", 0), ("male", "1965-01-01", 1), ("male", "1965-05-01", 2), ("male", "1976-09-01", 36),
    ("male", "1990-01-01", 36), ("female_cadre", "1970-01-01", 1), ("female_cadre", "1981-09-01", 36),
    ("female_worker", "1975-01-01", 1), ("female_worker", "1975-03-01", 2), ("female_worker", "1984-11-01", 60),
])
def test_the_gradual_raise(services, category, birth, months) -> None:
    assert raise_months(dt.date.fromisoformat(birth), services.criteria.retirement[category]) == months


@pytest.mark.parametrize(("birth", "result"), [
    ("1964-12-30", "fail"),  # 60 on 2024-12-30, the day before the cutoff
    ("1964-12-31", "fail"),  # 60 on the cutoff itself
    ("1965-01-01", "pass"),  # 60 on 2025-01-01, after the cutoff (and the raise adds a month)
])
def test_retirement_boundaries_around_the_cutoff(services, birth, result) -> None:
    assert reason(run(services, **dict(PRO, birth_date=birth)), "retirement").result == result


def test_retirement_date_for_a_man_born_in_1965(services) -> None:
    assert retirement_date(dt.date(1965, 1, 15), services.criteria.retirement["male"]) == dt.date(2025, 2, 15)


# --------------------------------------------------------------------------------- invalid input
@pytest.mark.parametrize(("line", "names"), [
    ('{"gender": "robot"}', "gender"),
    ("[1, 2, 3]", "JSON object"),
    ('"text"', "JSON object"),
    ('{"birth_date": "1980-02-30"}', "birth_date"),
    ('{"birth_date": "1980/02/03"}', "birth_date"),
    ('{"birth_date": "2999-01-01"}', "birth_date"),
    ('{"years_in_occupation": -1}', "years_in_occupation"),
    ('{"years_in_occupation": "5"}', "years_in_occupation"),
    ('{"employed": "yes"}', "employed"),
    ('{"achievements": ["P10"]}', "achievements"),
    ('{"track": "manager"}', "track"),
    ('{"birthdate": "1980-01-01"}', "birthdate"),
    ("{not json", "JSON"),
])
def test_invalid_profiles_are_errors_naming_the_field(services, line, names) -> None:
    reply = screen_line(services, line)
    assert set(reply) == {"error"} and names in reply["error"]


def test_an_empty_profile_is_valid_and_needs_review(services) -> None:
    reply = screen_line(services, "{}")
    assert reply["outcome"] == "review" and "track" in reply["missing"]
    json.dumps(reply)  # the result is plain JSON


# --------------------------------------------------------------------------------- parity with Q&A
def test_every_failable_criterion_is_reachable_through_a_question(services) -> None:
    """Each rule the screener can fail on is answered by the Q&A engine, citing the same clause."""
    for criterion in services.criteria.criteria:
        if criterion.kind == "info":
            continue
        assert criterion.questions, criterion.id
        for question in criterion.questions:
            reply = services.engine.ask(question, dt.date(2024, 4, 1))
            assert reply.found, (criterion.id, question)
            assert criterion.clause in reply.sources, (criterion.id, question, reply.sources)


PERSONA_FILE = Path(__file__).parent / "data/personas.jsonl"
PERSONAS = [json.loads(line) for line in PERSONA_FILE.read_text("utf-8").splitlines()]


@pytest.mark.parametrize("case", PERSONAS, ids=[c["name"] for c in PERSONAS])
def test_personas_in_the_evaluation_format(services, case) -> None:
    reply = screen_line(services, json.dumps(case["profile"], ensure_ascii=False))
    if case["expect"] == "error":
        assert set(reply) == {"error"}
        return
    assert reply["outcome"] == case["expect"]
    if case.get("track"):
        assert reply["track"] == case["track"]
    assert set(case["missing"]) <= set(reply["missing"])
    assert any(r["clause"] for r in reply["reasons"])
