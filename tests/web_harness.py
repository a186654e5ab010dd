"""The web channel in tests: the application on an aiohttp test server, and the forms' CSRF tokens."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from bot.config import Settings
from bot.services import Services
from bot.web.server import create_app
from tests.telegram_harness import TODAY

PASSWORD = "correct horse battery staple"
_CSRF = re.compile(r'name="csrf" value="([0-9a-f]{64})"')


async def web_client(services: Services, db_path: Path, **overrides: Any) -> TestClient:
    """A started test client (``await client.close()`` when done); generous rates unless overridden."""
    settings = Settings(**{"database_path": db_path, "staff_password": PASSWORD, "web_rate_session": 1000,
                           "web_rate_address": 10_000, **overrides})
    app = await create_app(settings, services, today=lambda: TODAY)
    client = TestClient(TestServer(app))
    await client.start_server()
    return client


def csrf_of(page: str) -> str:
    match = _CSRF.search(page)
    assert match, "no CSRF token on the page"
    return match.group(1)


async def open_chat(client: TestClient) -> str:
    """Load the chat page (which sets the session cookie) and return its CSRF token."""
    response = await client.get("/")
    assert response.status == 200
    return csrf_of(await response.text())


async def post_json(client: TestClient, path: str, **form: str) -> dict:
    response = await client.post(path, data=form, headers={"Accept": "application/json"})
    assert response.status == 200, await response.text()
    return await response.json()


# ---------------------------------------------------------------------------------------------- a real browser
CHROMIUM = "/usr/bin/chromium"  # Debian's (apt-get install chromium); Playwright's own download is not used
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def web_process(workdir: Path, **env: str) -> Iterator[str]:
    """``python -m bot web`` on a free loopback port with its own database; yields the base URL."""
    port = free_port()
    environ = {**os.environ, "PORT": str(port), "WEB_HOST": "127.0.0.1", "STAFF_PASSWORD": PASSWORD,
               "DATABASE_PATH": str(workdir / "web.sqlite3"), "PYTHONPATH": str(ROOT), **env}
    log = (workdir / "web.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "bot", "web"], cwd=workdir, env=environ, stdout=log,
                            stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("python -m bot web did not start: " + (workdir / "web.log").read_text())
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def ask(page: Any, text: str) -> None:
    """Type into the question box and press 发送."""
    page.get_by_label("输入您的问题").fill(text)
    page.get_by_role("button", name="发送", exact=True).click()


def press(page: Any, label: str) -> None:
    page.get_by_role("button", name=label, exact=True).click()


def walk_to_the_birth_date(page: Any) -> None:
    """From the menu through consent to the birth-date question of the professional track."""
    press(page, "资格自查")
    press(page, "同意并开始")
    for label, question in (("专业技术人才", "在职"), ("是", "近5年"), ("是", "党政军群"), ("否", "副省部级"),
                            ("否", "不再直接从事"), ("否", "已经享受"), ("未享受", "出生日期")):
        press(page, label)
        page.locator("#transcript article").last.locator("p.text", has_text=question).wait_for()
