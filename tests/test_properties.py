"""Property tests: any text, any sequence of answers, never raises and always fits Telegram's limits."""

from __future__ import annotations

import datetime as dt
import html
import json

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.selfcheck import SelfCheck
from bot.services import build_services
from bot.session import Session
from bot.views import TELEGRAM_LIMIT, View, answer_view, split_text
from screening.engine import FACT_ORDER

SERVICES = build_services()
CHECK = SelfCheck(SERVICES.criteria, SERVICES.kb, lambda: dt.date(2024, 4, 25))
DOMAIN = ["截止", "专技处", "电话", "名额", "高技能人才", "材料", "退休", "外籍", "deadline", "quota", "吗", "<b>"]
texts = st.one_of(st.text(max_size=300), st.lists(st.sampled_from(DOMAIN), max_size=12).map("".join),
                  st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "So"]), max_size=50))


def fits(view: View) -> bool:
    parts = split_text(view.text, TELEGRAM_LIMIT, lambda s: len(html.escape(s, quote=False)))
    data_ok = all(len(b.data.encode()) <= 64 for row in view.buttons for b in row)
    return all(len(html.escape(p, quote=False)) <= TELEGRAM_LIMIT for p in parts) and data_ok


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, days=st.integers(min_value=-2000, max_value=2000), qid=st.integers(0, 2**62))
def test_any_text_gets_a_reply_that_fits(text: str, days: int, qid: int) -> None:
    answer = SERVICES.engine.ask(text, dt.date(2024, 5, 10) + dt.timedelta(days=days))
    assert isinstance(answer.answer, str) and answer.answer.strip()
    assert answer.found == (answer.kind in ("answer", "clarify"))
    json.dumps(answer.as_json(), ensure_ascii=False)
    assert fits(answer_view(answer, qid, "zh"))


ACTIONS = ["a:0", "a:1", "a:2", "a:4", "a:9", "u", "b", "v", "c", "x", "d", "0", "t:P1", "t:S2", "t:S9", "e:0",
           "e:7", "e:13", "n:1", "n:99", "zz"]
typed = st.sampled_from(["1975-06-01", "1962-08-01", "19900101", "1975年6月1日", "8", "3", "-1", "abc", "不确定", "",
                         "2999-01-01", "是", "专业技术人才"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(st.one_of(st.sampled_from(ACTIONS).map(lambda a: ("press", a)), typed.map(lambda t: ("type", t)),
                                st.just(("stale", ""))), max_size=40),
       lang=st.sampled_from(["zh", "en"]))
@example(steps=[("press", "a:0")] * 5, lang="zh")  # found by hypothesis: an answer press on the result screen
def test_any_sequence_of_answers_never_raises_and_fits(steps, lang) -> None:
    step = CHECK.begin(None, lang)
    session: Session = step.session
    assert fits(step.view)
    for kind, value in steps:
        if kind == "press":
            pressed = CHECK.press(session, f"c:{session.sid}:{session.n}:{value}", lang)
            if pressed.stale:  # malformed data ("zz"): refused, nothing changes
                assert value == "zz"
                continue
            step = pressed
        elif kind == "type":
            step = CHECK.typed(session, value, lang) or step
        else:
            assert CHECK.press(session, f"c:{session.sid}:{session.n + 5}:a:0", lang).stale
            continue
        session = step.session or session
        assert fits(step.view) and step.view.text.strip()
        json.loads(json.dumps(session.to_json()))  # the state stays plain JSON
        assert Session.from_json(session.to_json()) == session
        active = CHECK.q.active_answers(session.state)
        assert set(active) <= set(FACT_ORDER)
