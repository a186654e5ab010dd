"""Webhook mode through PTB's own webhook server on 127.0.0.1: the secret token is checked on every call."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import aiohttp

from bot.app import build_application, webhook_params
from bot.config import Settings
from bot.storage import Database
from tests.fakebot import TOKEN, FakeBotApi
from tests.telegram_harness import TODAY


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_webhook_accepts_telegrams_calls_and_refuses_others(services, tmp_path: Path) -> None:
    api = FakeBotApi()
    url = await api.start()
    port = free_port()
    settings = Settings(telegram_bot_token=TOKEN, telegram_base_url=url, database_path=tmp_path / "w.sqlite3",
                        webhook_url="https://bot.example.cn/hooks/tejin", port=port, webhook_secret="s3cret-token")
    params = webhook_params(settings, listen="127.0.0.1")
    assert params["url_path"] == "hooks/tejin"
    app = build_application(settings, services, db=Database(settings.database_path), today=TODAY,
                            rate_limiter=False)
    await app.initialize()
    await app.post_init(app)
    await app.start()
    await app.updater.start_webhook(**params)
    try:
        assert any(m == "setWebhook" and p.get("url") == settings.webhook_url and p.get("secret_token")
                   == "s3cret-token" for m, p in api.log)
        update = {"update_id": 1, "message": {"message_id": 1, "date": 0, "text": "专技处联系电话",
                                              "chat": {"id": 77, "type": "private"},
                                              "from": {"id": 77, "is_bot": False, "first_name": "U"}}}
        endpoint = f"http://127.0.0.1:{port}/hooks/tejin"
        async with aiohttp.ClientSession() as session:
            async with session.post(endpoint, data=json.dumps(update),
                                    headers={"Content-Type": "application/json"}) as wrong:
                assert wrong.status == 403  # no secret token: refused
            async with session.post(endpoint, data=json.dumps(update), headers={
                    "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}) as ok:
                assert ok.status == 200
        reply = await api.next_message(77, 0)
        assert "7676026" in reply.text
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        await app.post_shutdown(app)
        await api.stop()
