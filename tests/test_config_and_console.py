"""Settings validate to one-line errors; the token never reaches a log; the console and CLI work offline."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import SettingsError, load_settings
from bot.console import Console
from bot.logs import TokenFilter
from bot.storage import Database
from tests.fakebot import TOKEN, FakeBotApi
from tests.telegram_harness import start_bot

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_need_nothing() -> None:
    settings = load_settings({}, dotenv=None)
    assert settings.telegram_bot_token is None and settings.database_path.name == "tejin.sqlite3"
    assert settings.retention_days == 90 and not settings.webhook


@pytest.mark.parametrize(("env", "name"), [
    ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "TELEGRAM_BOT_TOKEN"),
    ({"ADMIN_IDS": "12,abc"}, "ADMIN_IDS"),
    ({"PORT": "99999"}, "PORT"),
    ({"WEBHOOK_URL": "ftp://x"}, "WEBHOOK_URL"),
    ({"RETENTION_DAYS": "0"}, "RETENTION_DAYS"),
    ({"TELEGRAM_BASE_URL": "127.0.0.1:8081"}, "TELEGRAM_BASE_URL"),
])
def test_a_malformed_setting_is_one_line_naming_it(env, name) -> None:
    with pytest.raises(SettingsError) as info:
        load_settings(env, dotenv=None)
    message = str(info.value)
    assert message.startswith(name) and "\n" not in message


def test_a_bad_token_is_not_echoed_in_the_error() -> None:
    secret = "123:short-secret-value"
    with pytest.raises(SettingsError) as info:
        load_settings({"TELEGRAM_BOT_TOKEN": secret}, dotenv=None)
    assert "short-secret-value" not in str(info.value)


def test_dotenv_fills_in_and_the_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("# comment\nADMIN_IDS=1,2\nDATABASE_PATH='x.sqlite3'\n", "utf-8")
    settings = load_settings({"DATABASE_PATH": "y.sqlite3"}, dotenv=env_file)
    assert settings.admin_ids == {1, 2} and settings.database_path.name == "y.sqlite3"


async def test_the_token_never_appears_in_logs_at_any_level(services, tmp_path: Path) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.DEBUG)
    handler.addFilter(TokenFilter(TOKEN))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for name in ("httpx", "httpcore", "telegram"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    api = FakeBotApi()
    url = await api.start()
    try:
        running = await start_bot(api, url, services, tmp_path / "t.sqlite3")
        await api.says(1, "专技处联系电话")
        await api.wait_for(lambda: api.to(1))
        api.fail_next("sendMessage", 400, "Bad Request: chat not found")
        await api.says(1, "材料报送截止时间")
        await api.settled(0.3)
        await running.stop()
    finally:
        await api.stop()
        root.removeHandler(handler)
        root.setLevel(old_level)
    output = stream.getvalue()
    assert "getUpdates" in output or "getMe" in output  # the debug logs were really captured
    assert TOKEN not in output and TOKEN.split(":")[1] not in output


async def test_console_answers_and_walks_the_self_check(services, tmp_path: Path) -> None:
    from bot.config import Settings

    db = Database(tmp_path / "console.sqlite3")
    console = Console(services, db, Settings(database_path=tmp_path / "console.sqlite3"))
    first = await console.open()
    assert "[2] ✅ 资格自查" in first
    assert "7676026" in await console.handle("专技处联系电话")
    consent = await console.handle("/check")
    assert "同意并开始" in consent
    out = await console.handle("1")  # agree
    assert "哪一类" in out
    out = await console.handle("2")  # 高技能人才
    assert "在职" in out
    await db.close()
    # Same database, a new console: the self-check resumes where it was.
    console2 = Console(services, Database(tmp_path / "console.sqlite3"), Settings())
    await console2.open()
    assert "在职" in await console2.handle("/check")
    await console2.db.close()


def test_python_m_bot_without_a_token_explains_and_starts_the_console(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "DATABASE_PATH": str(tmp_path / "x.sqlite3"), "HOME": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-m", "bot"], input="材料报送截止时间\n/quit\n", capture_output=True,
                          text=True, timeout=60, cwd=tmp_path, env={**env, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0
    assert "@BotFather" in proc.stderr
    assert "5月10日" in proc.stdout


def test_ask_cli_json_contract(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "bot", "ask", "--json", "--today", "2024-04-25"],
                          input="距离截止还有多少天\n附近有什么好吃的\n", capture_output=True, text=True, timeout=60,
                          cwd=ROOT)
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(lines) == 2
    assert lines[0]["found"] and "15天" in lines[0]["answer"] and lines[0]["sources"] and lines[0]["citations"]
    assert not lines[1]["found"]
    assert set(lines[0]) >= {"found", "answer", "sources", "citations", "score", "options"}


def test_screen_cli_goes_on_after_a_bad_line() -> None:
    stdin = '{"gender": "robot"}\n[1]\n{"track": "skilled", "years_in_occupation": 2, "achievements": ["S1"]}\n'
    proc = subprocess.run([sys.executable, "-m", "bot", "screen", "--json"], input=stdin, capture_output=True,
                          text=True, timeout=60, cwd=ROOT)
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert "error" in lines[0] and "error" in lines[1] and lines[2]["outcome"] == "ineligible"
