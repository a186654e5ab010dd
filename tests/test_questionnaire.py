"""Walks through the questionnaire: shortest paths to each outcome, back, edit, restart, early stop."""

from __future__ import annotations

import json

import pytest

from screening.questionnaire import AnswerError, Done, Question, Questionnaire, new_state, parse_date, parse_years

CLEAN_START = [("employed", True), ("in_post_recent_5y", True), ("government_staff", False),
               ("vice_provincial_or_above", False), ("leader_not_practicing", False), ("already_receives", False)]


@pytest.fixture(scope="module")
def q(services) -> Questionnaire:
    return Questionnaire(services.criteria, services.kb.clauses)


def walk(q: Questionnaire, answers: list[tuple[str, object]], state=None):
    state = state or new_state()
    for field, value in answers:
        step = q.step(state)
        assert isinstance(step, Question), f"expected a question for {field}, got the result"
        assert step.field == field
        state = q.answer(state, field, value)
    return state, q.step(state)


def test_shortest_path_to_eligible_professional(q) -> None:
    _, done = walk(q, [("track", "professional"), *CLEAN_START, ("birth_date", "1980-05-01"),
                       ("senior_title", True), ("achievements", ["P7"])])
    assert isinstance(done, Done) and done.screening.outcome == "eligible" and not done.early


def test_shortest_path_to_review_for_a_woman_on_the_skilled_track(q) -> None:
    _, done = walk(q, [("track", "skilled"), *CLEAN_START, ("birth_date", "1972-03-01"), ("gender", "female"),
                       ("female_post", "worker"), ("skill_level", "senior_technician"),
                       ("years_in_occupation", "12"), ("achievements", ["S5"])])
    assert done.screening.outcome == "review"


def test_an_exclusion_stops_early_and_says_why(q) -> None:
    state, done = walk(q, [("track", "professional"), ("employed", True), ("in_post_recent_5y", True),
                           ("government_staff", True)])
    assert isinstance(done, Done) and done.early and done.screening.outcome == "ineligible"
    assert done.excluded_by == ["government_staff"]
    # The "not sure" way back: the answer becomes unknown and the questions go on.
    nxt = q.step(q.answer(state, "government_staff", "unknown"))
    assert isinstance(nxt, Question) and nxt.field == "vice_provincial_or_above"


def test_not_sure_is_recorded_as_unknown_and_not_asked_again(q) -> None:
    state, step = walk(q, [("track", "professional"), ("employed", "unknown")])
    assert step.field == "in_post_recent_5y"
    assert q.active_answers(state)["employed"] is None


def test_an_unknown_track_asks_what_settles_it(q) -> None:
    _, step = walk(q, [("track", "unknown"), *CLEAN_START, ("birth_date", "1985-01-01")])
    assert step.field == "senior_title"


def test_back_asks_the_previous_question_again(q) -> None:
    state, _ = walk(q, [("track", "professional"), ("employed", True), ("in_post_recent_5y", True)])
    back = q.back(state)
    assert q.step(back).field == "in_post_recent_5y"
    assert q.step(q.back(back)).field == "employed"


def test_an_edit_re_evaluates_what_follows(q) -> None:
    state, step = walk(q, [("track", "skilled"), *CLEAN_START, ("birth_date", "1972-03-01"), ("gender", "female"),
                           ("female_post", "worker")])
    assert step.field == "skill_level"
    edited = q.answer(state, "gender", "male")  # a man born 1972 does not reach 60 by 2024
    assert "female_post" not in q.active_answers(edited)
    assert q.step(edited).field == "skill_level"
    # Nothing is lost: switching back brings the earlier post answer with it.
    again = q.answer(edited, "gender", "female")
    assert q.active_answers(again)["female_post"] == "worker"


def test_restart_forgets_everything(q) -> None:
    state, _ = walk(q, [("track", "professional"), ("employed", True)])
    assert q.step(new_state()).field == "track" and state["answers"]


def test_a_stale_answer_is_refused_and_changes_nothing(q) -> None:
    state, _ = walk(q, [("track", "professional")])
    with pytest.raises(AnswerError):
        q.answer(state, "years_in_occupation", 5)  # not asked, not answered
    assert q.step(state).field == "employed"


def test_multi_select_drafts_toggle_and_finish(q) -> None:
    state, step = walk(q, [("track", "skilled"), *CLEAN_START, ("birth_date", "1985-01-01"),
                           ("skill_level", "senior_technician"), ("years_in_occupation", 8)])
    assert step.field == "achievements" and all(o.value.startswith("S") for o in step.options)
    state = q.toggle(q.toggle(q.toggle(state, "S1"), "S2"), "S1")
    assert q.step(state).selected == ["S2"]
    done = q.step(q.answer(state, "achievements", list(state["draft"])))
    assert done.screening.outcome == "eligible"


def test_choosing_no_achievement_is_ineligible(q) -> None:
    state, _ = walk(q, [("track", "professional"), *CLEAN_START, ("birth_date", "1985-01-01"), ("senior_title", True)])
    done = q.step(q.answer(state, "achievements", list(state["draft"])))
    assert done.screening.outcome == "ineligible" and not done.early


def test_state_is_plain_json(q) -> None:
    state, _ = walk(q, [("track", "professional"), ("employed", True), ("in_post_recent_5y", "unknown")])
    restored = json.loads(json.dumps(state))
    assert q.step(restored) == q.step(state)


@pytest.mark.parametrize("bad", ["maybe", 3, "yes please"])
def test_a_bad_choice_is_refused(q, bad) -> None:
    with pytest.raises(AnswerError):
        q.answer(new_state(), "track", bad)


@pytest.mark.parametrize(("text", "iso"), [("1975-06-01", "1975-06-01"), ("1975/6/1", "1975-06-01"),
                                           ("1975年6月1日", "1975-06-01"), ("19750601", "1975-06-01"),
                                           ("1975-06", "1975-06-01")])
def test_dates_in_common_forms(text, iso) -> None:
    assert parse_date(text).isoformat() == iso


@pytest.mark.parametrize("text", ["1975-02-30", "yesterday", "2999-01-01", "1800-01-01", ""])
def test_bad_dates_are_explained(text) -> None:
    with pytest.raises(AnswerError):
        parse_date(text)


def test_years_parse_and_bounds() -> None:
    assert parse_years("8") == 8 and parse_years("12年") == 12
    for bad in ("-1", "abc", "100", True):
        with pytest.raises(AnswerError):
            parse_years(bad)
