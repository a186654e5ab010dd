"""Walks through the real Telegram stack against the fake Bot API server on 127.0.0.1."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.fakebot import FakeBotApi
from tests.telegram_harness import ADMIN, start_bot

USER = 4242
STRANGER = 5151


@pytest.fixture
async def bot(api, services, tmp_path: Path):
    running = await start_bot(api, api.url, services, tmp_path / "bot.sqlite3")
    yield running
    await running.stop()


async def say(api: FakeBotApi, text: str, user: int = USER, **kw):
    before = len(api.to(kw.get("chat_id", user)))
    await api.says(user, text, **kw)
    return await api.next_message(kw.get("chat_id", user), before)


async def press(api: FakeBotApi, message, label: str, user: int = USER, expect: str = "change"):
    """Press a button and wait for its effect: the message edited or a new one sent ("change"), or only the
    callback answered ("answer")."""
    versions, count, answers = len(message.versions), len(api.to(message.chat_id)), len(api.callback_answers)
    await api.presses(user, message, message.data_for(label))
    if expect == "change":
        await api.wait_for(lambda: len(message.versions) > versions or len(api.to(message.chat_id)) > count)
    else:
        await api.wait_for(lambda: len(api.callback_answers) > answers)
    return message


async def test_start_shows_welcome_privacy_and_menu(api, bot) -> None:
    msg = await say(api, "/start")
    assert "隐私说明" in msg.text and "/forget" in msg.text
    labels = [label for label, _ in msg.buttons]
    assert any("资格自查" in x for x in labels) and any("截止时间" in x for x in labels)
    assert [c["command"] for c in api.commands][:2] == ["start", "check"]


async def test_start_in_english_for_english_users(api, bot) -> None:
    before = len(api.to(USER))
    await api.says(USER, "/start", language="en")
    msg = await api.next_message(USER, before)
    assert msg.text.startswith("Hello!")


async def test_a_question_gets_a_cited_answer_with_feedback_buttons(api, bot) -> None:
    msg = await say(api, "专技处联系电话")
    assert "7676026" in msg.text and "依据：晋人社厅函〔2024〕230号 五（二）" in msg.text
    await press(api, msg, "👍", expect="answer")
    assert api.callback_answers[-1].get("text") == "谢谢您的反馈！"
    await press(api, msg, "👍", expect="answer")  # a second tap is not counted twice
    assert api.callback_answers[-1].get("text") == "已经收到您的评价了。"


async def test_a_refusal_names_the_contact(api, bot) -> None:
    msg = await say(api, "社保怎么转移")
    assert "0351-7676026" in msg.text and not msg.buttons


async def test_deadline_command_counts_days(api, bot) -> None:
    msg = await say(api, "/deadline")
    assert "距截止还有5天" in msg.text and "距截止还有15天" in msg.text


async def test_a_clarification_is_chosen_by_button(api, bot) -> None:
    msg = await say(api, "材料交到哪")  # which track's office? the engine asks
    assert "您想问的是哪一项" in msg.text and any("都不是" in label for label, _ in msg.buttons)
    await press(api, msg, msg.buttons[0][0])
    assert "依据：" in msg.text and "您想问的是哪一项" not in msg.text
    # The same option again is stale and changes nothing.
    versions = len(msg.versions)
    await api.presses(USER, msg, "o:1:0")
    await api.settled(0.2)
    assert len(msg.versions) == versions


async def test_none_of_these_is_recorded_for_staff(api, bot) -> None:
    msg = await say(api, "材料交到哪")
    await press(api, msg, "都不是")
    assert "已记录" in msg.text
    report = await say(api, "/unanswered", user=ADMIN)
    assert "材料交到哪" in report.text


async def walk_consent(api: FakeBotApi, user: int = USER):
    msg = await say(api, "/check", user=user)
    assert "隐私说明" in msg.text
    await press(api, msg, "同意并开始", user)
    assert "哪一类" in msg.text
    return msg


async def test_full_self_check_to_eligible_with_back_and_edit(api, bot) -> None:
    msg = await walk_consent(api)
    await press(api, msg, "专业技术人才")
    for label in ("是", "是", "否", "否", "否", "未享受"):
        await press(api, msg, label)
    assert "出生日期" in msg.text
    await press(api, msg, "上一步")  # back to 已经享受
    assert "已经享受" in msg.text
    await press(api, msg, "未享受")
    date_reply = await say(api, "1980-05-01")
    assert "高级职称" in date_reply.text
    await press(api, date_reply, "有")
    await press(api, date_reply, "P7")
    assert any(label.startswith("✅ P7") for label, _ in date_reply.buttons)
    await press(api, date_reply, "完成")
    assert "初步符合条件" in date_reply.text and "晋人社厅函〔2024〕230号" in date_reply.text
    assert "5月10日" in date_reply.text and "不具约束力" in date_reply.text
    # Review and edit: no senior title turns it into review.
    await press(api, date_reply, "查看/修改")
    await press(api, date_reply, "是否具有高级职称")
    assert "当前答案：有" in date_reply.text
    await press(api, date_reply, "没有")
    assert "需要单位研究决定" in date_reply.text


async def test_self_check_stops_early_on_an_exclusion_with_a_way_back(api, bot) -> None:
    msg = await walk_consent(api)
    await press(api, msg, "高技能人才")
    await press(api, msg, "是")
    await press(api, msg, "是")
    await press(api, msg, "是")  # staff of a government organ
    assert "不符合申报条件" in msg.text and "无需继续" in msg.text
    await press(api, msg, "我不确定")
    assert "副省部级" in msg.text


async def test_why_quotes_the_clause_of_the_current_question(api, bot) -> None:
    msg = await walk_consent(api)
    await press(api, msg, "专业技术人才")
    why = await say(api, "/why")
    assert "二（三）" in why.text and "在职人员" in why.text


async def test_a_stale_button_changes_nothing(api, bot) -> None:
    msg = await walk_consent(api)
    old = msg.data_for("专业技术人才")
    await press(api, msg, "专业技术人才")
    text = msg.text
    await api.presses(USER, msg, old)  # the old button (a double tap)
    await api.wait_for(lambda: api.callback_answers and "过去" in api.callback_answers[-1].get("text", ""))
    assert msg.text == text


async def test_forget_deletes_everything(api, bot) -> None:
    await say(api, "专技处联系电话")
    msg = await walk_consent(api)
    await press(api, msg, "专业技术人才")
    confirm = await say(api, "/forget")
    await press(api, confirm, "确定删除")
    assert "已删除" in confirm.text
    db = bot.app.bot_data["runtime"].db
    key = db.user_key(USER)
    for table in ("questions", "consent", "screenings"):
        assert await db.fetchall(f"SELECT * FROM {table} WHERE user_key=?", (key,)) == []
    assert await db.load_session(USER) is None
    again = await say(api, "/check")
    assert "隐私说明" in again.text  # consent is asked again



async def test_forget_right_after_check_leaves_no_row(api, bot) -> None:
    """With PTB's persistence, the in-memory state was flushed back after the deletion; now every step is
    written by the assistant itself, before it is shown, so nothing is left to flush."""
    msg = await walk_consent(api)
    await api.presses(USER, msg, msg.data_for("专业技术人才"))
    confirm = await say(api, "/forget")
    await press(api, confirm, "确定删除")
    await api.settled(0.3)
    db = bot.app.bot_data["runtime"].db
    assert await db.fetchall("SELECT COUNT(*) FROM sessions") == [(0,)]


async def test_forget_deletes_only_the_users_own_rows(api, bot) -> None:
    """The old LIKE match on the key deleted user 5918273645's state with user 918273645's."""
    for user in (918273645, 5918273645):
        msg = await walk_consent(api, user)
        await press(api, msg, "专业技术人才", user)
    confirm = await say(api, "/forget", user=918273645)
    await press(api, confirm, "确定删除", 918273645)
    db = bot.app.bot_data["runtime"].db
    assert await db.load_session(918273645) is None
    assert (await db.load_session(5918273645))["check"]["state"]["answers"] == {"track": "professional"}


async def test_a_question_alone_stores_no_session(api, bot) -> None:
    """Only the self-check needs a session row; a question is logged under the pseudonym, and nothing else."""
    await say(api, "专技处联系电话")
    db = bot.app.bot_data["runtime"].db
    assert await db.fetchall("SELECT COUNT(*) FROM sessions") == [(0,)]
    for table in ("questions", "sessions", "consent", "screenings"):
        assert str(USER) not in str(await db.fetchall(f"SELECT * FROM {table}"))


async def test_admin_commands_for_admins_only(api, bot) -> None:
    await say(api, "专技处联系电话")
    await say(api, "=HYPERLINK(\"x\") 公积金")
    stats = await say(api, "/stats", user=ADMIN)
    assert "提问 2 条" in stats.text
    refused = await say(api, "/stats", user=STRANGER)
    assert "仅限管理员" in refused.text
    in_group = await say(api, "/stats@tejin_bot", user=ADMIN, chat_id=-100, chat_type="supergroup")
    assert "仅限管理员" in in_group.text
    await api.says(ADMIN, "/export")
    await api.wait_for(lambda: api.documents)
    rows = list(csv.reader(io.StringIO(api.documents[-1][1].decode("utf-8-sig"))))
    assert rows[0][3] == "question" and rows[2][3].startswith("'=")
    assert str(USER) not in api.documents[-1][1].decode("utf-8-sig")  # pseudonymised


async def test_reload_keeps_the_old_data_when_the_new_does_not_validate(api, services, tmp_path) -> None:
    import shutil

    from knowledge.loader import data_dir

    broken = tmp_path / "data"
    shutil.copytree(data_dir(), broken)
    (broken / "faq.toml").write_text("[[faq]]\nid = 1\n", "utf-8")
    running = await start_bot(api, api.url, services, tmp_path / "r.sqlite3", knowledge_dir=broken)
    try:
        reply = await say(api, "/reload", user=ADMIN)
        assert "未通过校验" in reply.text and "faq.toml" in reply.text
        still = await say(api, "专技处联系电话")
        assert "7676026" in still.text
        shutil.rmtree(broken)
        shutil.copytree(data_dir(), broken)
        ok = await say(api, "/reload", user=ADMIN)
        assert "已重新加载" in ok.text
    finally:
        await running.stop()


async def test_a_restart_resumes_at_the_same_question(api, services, tmp_path) -> None:
    path = tmp_path / "restart.sqlite3"
    first = await start_bot(api, api.url, services, path)
    msg = await walk_consent(api)
    await press(api, msg, "高技能人才")
    await press(api, msg, "是")
    assert "近5年" in msg.text
    await first.stop()
    second = await start_bot(api, api.url, services, path)
    try:
        resumed = await say(api, "/check")
        assert "近5年" in resumed.text
        # The button on the old message still works after the restart: the step is the same.
        await press(api, msg, "是")
        assert "党政军群机关" in msg.text
    finally:
        await second.stop()


async def test_user_text_is_shown_back_escaped_and_stored_literally(api, bot) -> None:
    hostile = "<b>社保</b> & <a href='x'> 公积金"
    await say(api, hostile)  # the fake server refuses malformed HTML, so any reply got through escaped
    report = await say(api, "/unanswered", user=ADMIN)
    assert "&lt;b&gt;社保&lt;/b&gt; &amp; &lt;a href='x'&gt;" in report.text
    db = bot.app.bot_data["runtime"].db
    assert (hostile,) in await db.fetchall("SELECT question FROM questions")


async def test_an_over_long_question_is_declined_politely(api, bot) -> None:
    too_long = await say(api, "截" * 600)
    assert "太长" in too_long.text


async def test_every_callback_fits_64_bytes(api, bot) -> None:
    msg = await walk_consent(api)
    await press(api, msg, "高技能人才")
    for label in ("是", "是", "否", "否", "否", "未享受"):
        await press(api, msg, label)
    await press(api, msg, "查看/修改")
    all_data = [d for m in api.messages.values() for _, d in m.buttons]
    assert all_data and all(len(d.encode()) <= 64 for d in all_data)


async def test_retention_drops_old_self_check_data(api, bot) -> None:
    """The job deletes old sessions; the next /check starts afresh and the old answers do not come back."""
    from bot.app import purge_old_data

    msg = await walk_consent(api)
    await press(api, msg, "专业技术人才")
    db = bot.app.bot_data["runtime"].db
    await db.write("UPDATE sessions SET updated_at='2000-01-01T00:00:00+00:00'")

    class Job:  # what the job queue passes
        application = bot.app

    await purge_old_data(Job())  # type: ignore[arg-type]
    assert await db.load_session(USER) is None
    again = await say(api, "/check")  # a fresh start at the first question, stored as usual
    assert "哪一类人才" in again.text
    assert (await db.load_session(USER))["check"]["state"]["answers"] == {}


# ------------------------------------------------------------------ conversations: personal questions and follow-ups
async def test_a_personal_question_gets_a_verdict_and_continues_the_self_check_with_its_facts(api, bot) -> None:
    verdict = await say(api, "我是1980年3月出生的男高级工程师，在民营企业搞研发，能申报吗")
    assert "需要单位研究决定" in verdict.text and "非公有制" in verdict.text
    assert "二（五）" in verdict.text and any("继续资格自查" in label for label, _ in verdict.buttons)
    consent = await press(api, verdict, "继续资格自查")
    start = api.to(USER)[-1]
    assert "隐私说明" in start.text
    await press(api, start, "同意并开始")
    assert "已根据您在对话中提供的情况预先填写" in start.text and "出生年月" in start.text
    assert "出生日期" not in start.text.split("\n\n", 1)[1]  # not asked again: it was said
    del consent


async def test_a_follow_up_takes_what_it_leaves_out_from_the_last_question(api, bot) -> None:
    first = await say(api, "职建处在哪里办公")
    assert "1409" in first.text
    phone = await say(api, "电话呢")
    assert "7676045" in phone.text
    email = await say(api, "邮箱呢")
    assert "没有写" in email.text and "372325549" not in email.text


async def test_forget_and_retention_delete_facts_given_in_chat(api, bot) -> None:
    from bot.app import purge_old_data

    await say(api, "我是公务员，女，1970年生，能报吗")
    db = bot.app.bot_data["runtime"].db
    assert (await db.load_session(USER))["chat"]["facts"]["government_staff"] is True
    confirm = await say(api, "/forget")
    await press(api, confirm, "确定删除")
    assert await db.load_session(USER) is None
    after = await say(api, "能报吗")  # the facts are gone from memory too: no verdict from them
    assert "党政军群" not in after.text

    await say(api, "我是公务员，能报吗")
    await db.write("UPDATE sessions SET updated_at='2000-01-01T00:00:00+00:00'")

    class Job:
        application = bot.app

    await purge_old_data(Job())  # type: ignore[arg-type]
    assert await db.load_session(USER) is None
