"""Faults: Telegram errors and outages, and a database that is locked, full or read-only."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest

from tests.fakebot import FakeBotApi
from tests.telegram_harness import start_bot

USER = 8001


async def ask_and_wait(api: FakeBotApi, text: str, timeout: float = 20.0):
    before = len(api.to(USER))
    await api.says(USER, text)
    return await api.next_message(USER, before, timeout=timeout)


async def test_429_with_retry_after_is_waited_out_and_the_reply_delivered(api, services, tmp_path: Path) -> None:
    bot = await start_bot(api, api.url, services, tmp_path / "a.sqlite3", rate_limiter=True)
    try:
        api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
        reply = await ask_and_wait(api, "专技处联系电话")
        assert "7676026" in reply.text
        assert [m for m, _ in api.log].count("sendMessage") == 2
    finally:
        await bot.stop()


async def test_502_on_send_is_retried(api, services, tmp_path: Path) -> None:
    bot = await start_bot(api, api.url, services, tmp_path / "b.sqlite3")
    try:
        api.fail_next("sendMessage", 502, "Bad Gateway", times=2)
        reply = await ask_and_wait(api, "专技处联系电话")
        assert "7676026" in reply.text
    finally:
        await bot.stop()


async def test_polling_survives_502_and_slow_responses(api, services, tmp_path: Path) -> None:
    bot = await start_bot(api, api.url, services, tmp_path / "c.sqlite3")
    try:
        api.fail_next("getUpdates", 502, "Bad Gateway", times=3)
        reply = await ask_and_wait(api, "专技处联系电话", timeout=30)
        assert "7676026" in reply.text
        api.delay["sendMessage"] = 1.0  # slow, but within the client's timeout
        reply = await ask_and_wait(api, "材料报送截止时间", timeout=30)
        assert "5月10日" in reply.text
    finally:
        await bot.stop()


async def test_a_send_that_times_out_is_retried_and_delivered(api, services, tmp_path: Path) -> None:
    bot = await start_bot(api, api.url, services, tmp_path / "t.sqlite3")
    try:
        api.delay["sendMessage"] = 6.0  # past PTB's 5 s read timeout: the client gives up and raises TimedOut
        before = len(api.to(USER))
        await api.says(USER, "专技处联系电话")
        await asyncio.sleep(5.5)
        api.delay.pop("sendMessage")
        reply = await api.next_message(USER, before, timeout=20)
        assert "7676026" in reply.text
        # Retrying after a timeout can deliver twice (the slow request completed too): the known trade-off.
        assert 1 <= len([m for m in api.to(USER) if "7676026" in m.text]) <= 2
    finally:
        await bot.stop()


async def test_refused_connections_then_recovery(api, services, tmp_path: Path) -> None:
    bot = await start_bot(api, api.url, services, tmp_path / "d.sqlite3")
    try:
        await api.pause()
        await asyncio.sleep(2.0)  # the bot's polls are refused meanwhile
        await api.resume()
        reply = await ask_and_wait(api, "专技处联系电话", timeout=40)
        assert "7676026" in reply.text
    finally:
        await bot.stop()


async def consent_and_first_question(api: FakeBotApi):
    msg = await ask_and_wait(api, "/check")
    await api.presses(USER, msg, msg.data_for("同意并开始"))
    await api.wait_for(lambda: "哪一类" in msg.text)
    return msg


async def test_a_locked_database_is_reported_nothing_is_lost_and_questions_still_work(api, services, tmp_path):
    path = tmp_path / "locked.sqlite3"
    bot = await start_bot(api, api.url, services, path, busy_timeout=0.3)
    try:
        msg = await consent_and_first_question(api)
        blocker = sqlite3.connect(path, timeout=0.1, isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            before = len(api.to(USER))
            await api.presses(USER, msg, msg.data_for("专业技术人才"))
            warning = await api.next_message(USER, before)
            assert "没有保存" in warning.text and "哪一类" in msg.text  # not acknowledged as saved
            reply = await ask_and_wait(api, "专技处联系电话")  # questions need no writes
            assert "7676026" in reply.text
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        # The same button works once the database is free: the step was not counted.
        await api.presses(USER, msg, msg.data_for("专业技术人才"))
        await api.wait_for(lambda: "在职" in msg.text)
        db = bot.app.bot_data["runtime"].db
        stored = await db.load_session(USER)
        assert stored["check"]["state"]["answers"]["track"] == "professional"
    finally:
        await bot.stop()


async def test_a_read_only_database_is_reported_and_questions_still_work(api, services, tmp_path):
    bot = await start_bot(api, api.url, services, tmp_path / "ro.sqlite3")
    try:
        msg = await consent_and_first_question(api)
        db = bot.app.bot_data["runtime"].db
        await db.conn.execute("PRAGMA query_only = ON")
        before = len(api.to(USER))
        await api.presses(USER, msg, msg.data_for("高技能人才"))
        warning = await api.next_message(USER, before)
        assert "没有保存" in warning.text and "哪一类" in msg.text
        reply = await ask_and_wait(api, "专技处联系电话")
        assert "7676026" in reply.text
    finally:
        await db.conn.execute("PRAGMA query_only = OFF")
        await bot.stop()


async def test_a_full_database_is_reported(api, services, tmp_path):
    bot = await start_bot(api, api.url, services, tmp_path / "full.sqlite3")
    try:
        msg = await consent_and_first_question(api)
        db = bot.app.bot_data["runtime"].db
        (pages,) = await (await db.conn.execute("PRAGMA page_count")).fetchone()
        await db.conn.execute(f"PRAGMA max_page_count = {pages}")
        # Fill the table the step writes to (each table has its own pages), big rows first, then ever smaller.
        n = 0
        for size in (2000, 200, 20, 1):
            with pytest.raises(sqlite3.OperationalError, match="full"):
                while True:
                    n += 1
                    await db.conn.execute("INSERT INTO sessions (key, data, updated_at) VALUES (?, ?, '')",
                                          (f"k{n}", "x" * size))
                    await db.conn.commit()
            await db.conn.rollback()
        before = len(api.to(USER))
        await api.presses(USER, msg, msg.data_for("专业技术人才"))
        warning = await api.next_message(USER, before)
        assert "没有保存" in warning.text and "哪一类" in msg.text
        reply = await ask_and_wait(api, "专技处联系电话")
        assert "7676026" in reply.text
    finally:
        await bot.stop()


async def test_retention_deletes_old_data_only(services, tmp_path):
    from bot.storage import Database

    db = Database(tmp_path / "ret.sqlite3")
    await db.open()
    await db.write("INSERT INTO sessions (key, data, updated_at) VALUES ('old', '{}', '2000-01-01T00:00:00+00:00')")
    await db.write("INSERT INTO sessions (key, data, updated_at) VALUES ('new', '{}', '2999-01-01T00:00:00+00:00')")
    await db.log_question(3, "recent", "answer", None, 1.0, [])
    removed = await db.purge_older_than(90)
    assert removed == 1
    assert await db.fetchall("SELECT key FROM sessions") == [("new",)]
    assert await db.fetchall("SELECT COUNT(*) FROM questions") == [(1,)]
    await db.close()


async def test_schema_version_is_migrated_once(tmp_path):
    from bot.storage import MIGRATIONS, Database

    db = Database(tmp_path / "m.sqlite3")
    await db.open()
    assert await db.fetchall("PRAGMA user_version") == [(len(MIGRATIONS),)]
    assert await db.fetchall("PRAGMA journal_mode") == [("wal",)]
    await db.close()
    again = Database(tmp_path / "m.sqlite3")
    await again.open()  # a second open does not re-run the migrations
    assert await again.fetchall("PRAGMA user_version") == [(len(MIGRATIONS),)]
    await again.close()


async def test_a_version_1_database_is_migrated_in_place(tmp_path):
    """The first release kept PTB's user_data keyed by the raw Telegram id and a conversations table: both go,
    and a self-check in progress moves to a session keyed by the pseudonym, in the session's shape."""
    import aiosqlite

    from bot.storage import MIGRATIONS, Database

    path = tmp_path / "old.sqlite3"
    old = {"check": {"v": 1, "answers": {"track": "skilled"}, "order": ["track"], "draft": []}, "sid": "abc123",
           "n": 3, "edit": None, "screen": "q"}
    async with aiosqlite.connect(path) as conn:  # a database as the first release left it
        await conn.executescript(f"BEGIN; {MIGRATIONS[0]}; PRAGMA user_version = 1; COMMIT;")
        await conn.execute("INSERT INTO user_data (user_id, data, updated_at) VALUES (918273645, ?, 'x')",
                           (json.dumps(old),))
        await conn.execute("INSERT INTO user_data (user_id, data, updated_at) VALUES (5, '{}', 'x')")
        await conn.commit()
    db = Database(path)
    await db.open()
    assert await db.fetchall("PRAGMA user_version") == [(len(MIGRATIONS),)]
    tables = {name for (name,) in await db.fetchall("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "user_data" not in tables and "conversations" not in tables
    session = await db.load_session(918273645)
    assert session["check"]["state"]["answers"] == {"track": "skilled"}
    assert session["check"]["sid"] == "abc123" and session["check"]["n"] == 3
    assert await db.load_session(5) is None  # nothing to resume: no row
    rows = await db.fetchall("SELECT key, data FROM sessions")
    assert all("918273645" not in key + data for key, data in rows)  # no raw id anywhere
    await db.close()
