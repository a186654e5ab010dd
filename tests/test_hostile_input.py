"""Bad input through the real stack: the bot answers clearly, stores nothing wrong, and keeps serving others."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakebot import FakeBotApi
from tests.telegram_harness import ADMIN, db_of, say_and_wait, start_bot

USER = 7001
OTHER = 7002
MARKUP = [
    "<b>截止</b>", "<a href='http://x'>点我</a> 截止时间", "材料 & 截止 && &amp; &lt;", "_*[]()~`>#+-=|{}.!\\ 截止时间",
    "'); DROP TABLE questions; -- 截止时间", "<script>alert(1)</script>", "</b></i> 专技处电话",
]
ODD_TEXT = [
    "截" * 10_000, "😀" * 3000, "   ", "\u200b\u200b\u200c", "\u202e截止时间\u202c", "截止\x00时间\x07\x1b[31m",
    "\ufeff专技处电话", "👍", "?" * 50,
]


@pytest.fixture
async def bot(api, services, tmp_path: Path):
    running = await start_bot(api, api.url, services, tmp_path / "h.sqlite3", rate_limit_messages=20,
                              rate_limit_seconds=10)
    yield running
    await running.stop()


async def send(api: FakeBotApi, text: str, user: int = USER, **kw):
    return await say_and_wait(api, text, user, **kw)


@pytest.mark.parametrize("text", MARKUP)
async def test_markup_and_injection_are_answered_stored_literally_and_shown_escaped(api, bot, text) -> None:
    reply = await send(api, text)
    assert reply.text and api.rejected == []
    assert (text,) in await db_of(bot).fetchall("SELECT question FROM questions")
    assert await db_of(bot).fetchall("SELECT COUNT(*) FROM questions") == [(1,)]  # the table is still there
    # Shown back escaped where it is shown back: the staff's list of unanswered questions.
    report = await send(api, "/unanswered", user=ADMIN)
    assert api.rejected == [] and report.text


@pytest.mark.parametrize("text", ODD_TEXT, ids=["10k", "emoji", "spaces", "zero-width", "bidi", "control",
                                                "bom", "one-emoji", "question-marks"])
async def test_size_and_encoding_get_a_clear_reply(api, bot, text) -> None:
    reply = await send(api, text)
    assert reply.text and api.rejected == []
    assert len(reply.text) <= 4096
    follow = await send(api, "专技处联系电话")  # and the bot keeps serving
    assert "7676026" in follow.text


@pytest.mark.parametrize("kind", [
    {"sticker": {"file_id": "s", "file_unique_id": "s", "type": "regular", "width": 1, "height": 1,
                 "is_animated": False, "is_video": False}},
    {"photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]},
    {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 1}},
    {"document": {"file_id": "d", "file_unique_id": "d"}},
    {"location": {"latitude": 37.8, "longitude": 112.5}},
    {"contact": {"phone_number": "123", "first_name": "A"}},
], ids=["sticker", "photo", "voice", "document", "location", "contact"])
async def test_other_kinds_of_message_get_a_hint(api, bot, kind) -> None:
    before = len(api.to(USER))
    await api.says(USER, None, **kind)
    reply = await api.next_message(USER, before)
    assert "文字" in reply.text


async def test_an_edited_message_is_not_answered_again(api, bot) -> None:
    await send(api, "专技处联系电话")
    count = len(api.to(USER))
    await api.raw_update({"edited_message": {"message_id": 1, "date": 0, "edit_date": 1, "text": "改了的问题",
                                             "chat": {"id": USER, "type": "private"},
                                             "from": {"id": USER, "is_bot": False, "first_name": "U"}}})
    await api.settled(0.3)
    assert len(api.to(USER)) == count and api.rejected == []


async def test_in_a_group_no_questionnaire_and_no_answers_to_chatter(api, bot) -> None:
    group = -1001
    await api.says(USER, "专技处联系电话", chat_id=group, chat_type="supergroup")
    await api.settled(0.3)
    assert api.to(group) == []
    reply = await send(api, "/check", chat_id=group, chat_type="supergroup")
    assert "私聊" in reply.text
    deadline = await send(api, "/deadline@tejin_bot", chat_id=group, chat_type="supergroup")
    assert "5月10日" in deadline.text  # public facts are fine in a group


@pytest.mark.parametrize("data", ["garbage", "c:zzz:1:a:0", "f:999999:1", "o:999:0", "c:" + "x" * 80,
                                  "m:unknown", "z:maybe", "k:", ""])
async def test_forged_callbacks_are_answered_and_change_nothing(api, bot, data) -> None:
    msg = await send(api, "/start")
    answers = len(api.callback_answers)
    messages = len(api.to(USER))
    await api.presses(USER, msg, data)
    await api.wait_for(lambda: len(api.callback_answers) > answers)
    await api.settled(0.2)
    assert len(api.to(USER)) == messages and api.rejected == []


async def test_another_users_button_and_double_taps_apply_once(api, bot) -> None:
    start = await send(api, "/check")
    await api.presses(USER, start, start.data_for("同意并开始"))
    await api.wait_for(lambda: "哪一类" in start.text)
    data = start.data_for("高技能人才")
    # Someone else pressing it (e.g. a forwarded message) changes nothing.
    answers = len(api.callback_answers)
    await api.presses(OTHER, start, data)
    await api.wait_for(lambda: len(api.callback_answers) > answers)
    assert "哪一类" in start.text
    # A double tap: the second press is stale.
    await api.presses(USER, start, data)
    await api.presses(USER, start, data)
    await api.wait_for(lambda: "在职" in start.text)
    await api.settled(0.3)
    state = (await db_of(bot).load_session(USER))["check"]["state"]
    assert state["order"] == ["track"] and len(start.versions) == 3


async def test_a_finished_questionnaires_buttons_are_stale(api, bot) -> None:
    start = await send(api, "/check")
    await api.presses(USER, start, start.data_for("同意并开始"))
    await api.wait_for(lambda: "哪一类" in start.text)
    await api.presses(USER, start, start.data_for("高技能人才"))
    await api.wait_for(lambda: "在职" in start.text)
    old_no = start.data_for("否")
    await api.presses(USER, start, old_no)  # not employed: the result
    await api.wait_for(lambda: "不符合" in start.text)
    await api.presses(USER, start, start.data_for("重新开始"))
    await api.wait_for(lambda: "哪一类" in start.text)
    answers = len(api.callback_answers)
    await api.presses(USER, start, old_no)  # from the finished questionnaire
    await api.wait_for(lambda: len(api.callback_answers) > answers)
    assert "过去" in api.callback_answers[-1].get("text", "") and "哪一类" in start.text


async def test_admin_commands_refuse_strangers_and_anonymous_admins_and_accept_suffixes(api, bot) -> None:
    assert "仅限管理员" in (await send(api, "/stats")).text
    anonymous = await send(api, "/stats", user=1087968824, chat_id=-100500, chat_type="supergroup",
                           sender_chat={"id": -100500, "type": "supergroup", "title": "HR"})
    assert "仅限管理员" in anonymous.text
    ok = await send(api, "/stats@tejin_bot please now", user=ADMIN)
    assert "提问" in ok.text


async def test_a_flood_is_limited_politely_and_others_are_unaffected(api, bot) -> None:
    for i in range(25):
        await api.says(USER, f"专技处联系电话 {i}")
    await api.wait_for(lambda: any("太快" in m.text for m in api.to(USER)))
    await api.settled(0.3)
    answers = [m for m in api.to(USER) if "7676026" in m.text]
    notices = [m for m in api.to(USER) if "太快" in m.text]
    assert len(answers) == 20 and len(notices) == 1
    other = await send(api, "专技处联系电话", user=OTHER)
    assert "7676026" in other.text


async def test_an_update_delivered_twice_is_applied_once(api, bot) -> None:
    uid = await api.says(USER, "专技处联系电话")
    await api.wait_for(lambda: api.to(USER))
    original = {"message": {"message_id": 1, "date": 0, "text": "专技处联系电话",
                            "chat": {"id": USER, "type": "private"},
                            "from": {"id": USER, "is_bot": False, "first_name": "U"}}}
    await api.redeliver(uid, original)
    await api.settled(0.4)
    assert len(api.to(USER)) == 1
    assert await db_of(bot).fetchall("SELECT COUNT(*) FROM questions") == [(1,)]


def test_the_flood_window_notifies_once_then_drops_and_forgets_old_messages(services) -> None:
    from bot.config import Settings
    from bot.runtime import Runtime

    rt = Runtime(Settings(rate_limit_messages=3, rate_limit_seconds=10), None, None)  # type: ignore[arg-type]
    verdicts = [rt.flood(1, clock=t) for t in (0, 1, 2, 3, 4)]
    assert verdicts == ["ok", "ok", "ok", "notify", "drop"]
    assert rt.flood(2, clock=4) == "ok"  # another user is unaffected
    assert rt.flood(1, clock=30) == "ok"  # the window has moved on


def test_the_flood_table_forgets_users_who_have_gone_quiet(services) -> None:
    """Every user ever seen would otherwise keep a window: memory growing with the audience, not the load."""
    from bot.config import Settings
    from bot.runtime import Runtime

    rt = Runtime(Settings(rate_limit_messages=3, rate_limit_seconds=10), None, None)  # type: ignore[arg-type]
    for user in range(1000):
        rt.flood(user, clock=100 + user * 0.001)
    assert len(rt._recent) == 1000
    rt.flood(5000, clock=200)  # 100 s later: the old windows have emptied
    assert set(rt._recent) == {5000}
    for t in (201, 202, 203):
        rt.flood(5000, clock=t)
    assert rt.flood(5000, clock=204) == "drop"  # the sweep did not reset an active window
