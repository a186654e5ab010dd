"""The red team's findings at the bot's edge, each through a Bot API fake as strict as Telegram: a button press
is answered exactly once, a failed answer does not stop the step being shown, and nothing personal leaks."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tests.fakebot import QUERY_TOO_OLD, FakeBotApi
from tests.telegram_harness import ADMIN, db_of, say_and_wait, start_bot

USER = 6101
OTHER = 6102
HANDLED_ERROR = "error while handling an update"


@pytest.fixture
async def bot(api, services, tmp_path: Path):
    running = await start_bot(api, api.url, services, tmp_path / "r.sqlite3")
    yield running
    await running.stop()


async def send(api: FakeBotApi, text: str, user: int = USER, **kw):
    return await say_and_wait(api, text, user, **kw)


async def press_and_settle(api: FakeBotApi, msg, data: str, user: int = USER) -> None:
    answers = len(api.callback_answers)
    await api.presses(user, msg, data)
    await api.wait_for(lambda: len(api.callback_answers) > answers or api.rejected)
    await api.settled(0.2)


async def first_question(api: FakeBotApi, user: int = USER):
    msg = await send(api, "/check", user=user)
    await api.presses(user, msg, msg.data_for("同意并开始"))
    await api.wait_for(lambda: "哪一类" in msg.text)
    return msg


def answers_per_query(api: FakeBotApi) -> dict[str, int]:
    calls: dict[str, int] = {}
    for method, params in api.log:
        if method == "answerCallbackQuery":
            calls[str(params["callback_query_id"])] = calls.get(str(params["callback_query_id"]), 0) + 1
    return calls


# ------------------------------------------------------------------ exactly one answer per press
async def test_the_fake_refuses_a_second_answer_as_telegram_does(api) -> None:
    """The fake itself: without this, a handler answering twice would pass every test (as it did)."""
    import aiohttp

    from tests.fakebot import TOKEN

    await api.presses(USER, type("M", (), {"message_id": 1, "chat_id": USER, "text": "x", "reply_markup": None})(),
                      "m:ask")
    query_id = api.updates[-1]["callback_query"]["id"]
    async with aiohttp.ClientSession() as session:
        url = f"{api.url}{TOKEN}/answerCallbackQuery"
        first = await (await session.post(url, json={"callback_query_id": query_id})).json()
        second = await (await session.post(url, json={"callback_query_id": query_id})).json()
    assert first["ok"] and not second["ok"] and second["description"] == QUERY_TOO_OLD


@pytest.mark.parametrize("forged", ["o:{qid}:0", "o:{qid}:7", "o:424242:0", "o:" + "9" * 40 + ":0",
                                    "f:{qid}:1", "f:424242:1", "f:" + "9" * 40 + ":1", "c:" + "9" * 40])
async def test_forged_clarification_and_feedback_buttons_say_it_has_passed(api, bot, forged, caplog) -> None:
    """Another user's question id, an id that does not exist, a 40-digit id: a polite notice, answered once,
    and no traceback (they raised OverflowError and answered twice)."""
    caplog.set_level(logging.ERROR)
    clarify = await send(api, "材料交到哪", user=OTHER)  # another user's clarification
    qid = clarify.buttons[0][1].split(":")[1]
    mine = await send(api, "/start")
    await press_and_settle(api, mine, forged.format(qid=qid))
    assert api.callback_answers[-1].get("text") == "这一步已经过去了，此按钮不再有效。"
    assert api.rejected == [] and set(answers_per_query(api).values()) == {1}
    assert HANDLED_ERROR not in caplog.text
    assert "已记录" not in clarify.text  # the other user's question was not resolved


async def test_a_clarification_option_tapped_twice_is_answered_once_each(api, bot) -> None:
    msg = await send(api, "材料交到哪")
    data = msg.data_for(msg.buttons[0][0])
    await press_and_settle(api, msg, data)
    assert "依据" in msg.text
    await press_and_settle(api, msg, data)
    assert api.callback_answers[-1].get("text") == "这一步已经过去了，此按钮不再有效。"
    assert api.rejected == [] and set(answers_per_query(api).values()) == {1}


async def test_a_stale_questionnaire_button_gets_its_notice_once(api, bot) -> None:
    msg = await first_question(api)
    old = msg.data_for("专业技术人才")
    await press_and_settle(api, msg, old)
    await press_and_settle(api, msg, old)
    assert api.callback_answers[-1].get("text") == "这一步已经过去了，此按钮不再有效。"
    assert api.rejected == [] and set(answers_per_query(api).values()) == {1}


# ------------------------------------------------------------------ a step applied is a step shown
async def test_a_502_on_answering_the_press_still_shows_the_step(api, bot) -> None:
    msg = await first_question(api)
    api.fail_next("answerCallbackQuery", 502, "Bad Gateway")
    await api.presses(USER, msg, msg.data_for("专业技术人才"))
    await api.wait_for(lambda: "在职" in msg.text)
    stored = (await db_of(bot).load_session(USER))["check"]
    assert stored["state"]["answers"] == {"track": "professional"}
    await press_and_settle(api, msg, msg.data_for("是"))  # the visible buttons are the saved step's
    assert "近5年" in msg.text


async def test_a_press_too_old_to_answer_still_shows_the_step(api, bot) -> None:
    """Pressed while the bot was down: Telegram refuses to answer it, but the edit must still happen."""
    msg = await first_question(api)
    await bot.app.updater.stop()
    await api.presses(USER, msg, msg.data_for("高技能人才"))
    api.expire_queries()
    await bot.app.updater.start_polling(poll_interval=0, timeout=1)
    await api.wait_for(lambda: "在职" in msg.text)
    assert [why for _, why in api.rejected] == [QUERY_TOO_OLD]  # the answer was tried once and refused
    await press_and_settle(api, msg, msg.data_for("是"))
    assert "近5年" in msg.text


async def test_a_full_disk_during_a_step_is_said_once_and_the_message_keeps_the_saved_step(api, bot) -> None:
    msg = await first_question(api)
    db = db_of(bot)
    await db.conn.execute("PRAGMA query_only = ON")
    try:
        before = len(api.to(USER))
        await api.presses(USER, msg, msg.data_for("专业技术人才"))
        warning = await api.next_message(USER, before)
        await api.settled(0.2)
    finally:
        await db.conn.execute("PRAGMA query_only = OFF")
    assert "没有保存" in warning.text and "没有保存" in api.callback_answers[-1].get("text", "")
    assert api.callback_answers[-1].get("show_alert") is True
    assert "哪一类" in msg.text and api.rejected == [] and set(answers_per_query(api).values()) == {1}


# ------------------------------------------------------------------ nothing personal where it does not belong
async def test_why_in_a_group_reveals_nothing_of_a_private_self_check(api, bot) -> None:
    await first_question(api)
    group = -100777
    reply = await send(api, "/why", chat_id=group, chat_type="supergroup")
    assert "私聊" in reply.text and "二（" not in reply.text and "一（" not in reply.text


@pytest.mark.parametrize("command", ["/forget", "/stats"])
async def test_a_message_edited_into_a_command_is_not_acted_on(api, bot, command) -> None:
    user = ADMIN if command == "/stats" else USER
    await send(api, "专技处联系电话", user=user)
    count = len(api.to(user))
    edited = {"message_id": 77, "date": 0, "edit_date": 1, "text": command,
              "entities": [{"type": "bot_command", "offset": 0, "length": len(command)}],
              "chat": {"id": user, "type": "private"}, "from": {"id": user, "is_bot": False, "first_name": "U"}}
    await api.raw_update({"edited_message": edited})
    await api.settled(0.4)
    assert len(api.to(user)) == count


async def test_lone_surrogates_get_a_sensible_reply(api, bot, caplog) -> None:
    caplog.set_level(logging.ERROR)
    reply = await send(api, "截止时间\ud800\udfff\ud83d")
    assert reply.text and HANDLED_ERROR not in caplog.text
    assert "抱歉，处理时出了点问题" not in reply.text
