"""The web channel over HTTP: security headers, cookies, CSRF, size and rate limits, the conversation and the
self-check through the same assistant service, persistence across a restart, forgetting, and the staff pages."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.config import Settings, load_settings
from bot.storage import Database
from bot.views import Button, View
from bot.web import charts
from bot.web.html import Html, esc, fmt
from bot.web.security import Window
from bot.web.server import DB_KEY, create_app
from bot.web.transcript import MAX_ENTRIES, Transcript
from bot.web.wording import chat_words, staff_words
from knowledge.loader import KnowledgeError
from tests.telegram_harness import TODAY
from tests.web_harness import PASSWORD, csrf_of, open_chat, post_json, web_client

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
async def client(services, tmp_path: Path):
    client = await web_client(services, tmp_path / "web.sqlite3")
    yield client
    await client.close()


def session_cookie(response: aiohttp.ClientResponse) -> str:
    return response.headers.getall("Set-Cookie", [""])[0]


# ---------------------------------------------------------------------------------------------- headers, cookies
@pytest.mark.parametrize(("method", "path"), [("GET", "/"), ("GET", "/static/chat.js"), ("GET", "/static/site.css"),
                                              ("GET", "/nowhere"), ("POST", "/send"), ("GET", "/staff"),
                                              ("GET", "/favicon.ico")])
async def test_every_response_carries_the_security_headers(client, method, path) -> None:
    response = await client.request(method, path)
    csp = response.headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'",
                      "form-action 'self'", "base-uri 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


async def test_the_page_loads_nothing_from_elsewhere_and_has_no_inline_script_or_style(client) -> None:
    page = await (await client.get("/")).text()
    assert '<html lang="zh-CN">' in page
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "<script>" not in page and "style=" not in page and "<style" not in page
    assert re.search(r'<label for="q">输入您的问题</label>', page) and 'id="q" name="text" type="text"' in page
    for label in ("发送", "资格自查", "截止时间", "联系方式", "材料清单", "删除我的数据"):
        assert f">{label}</button>" in page
    assert 'role="log" aria-live="polite"' in page


async def test_the_session_cookie_is_random_httponly_and_samesite(client) -> None:
    first = session_cookie(await client.get("/"))
    assert "HttpOnly" in first and "SameSite=Lax" in first and "Path=/" in first
    value = re.match(r"tejin_session=([^;]+);", first).group(1)
    assert len(value) == 43
    client.session.cookie_jar.clear()
    other = re.match(r"tejin_session=([^;]+);", session_cookie(await client.get("/"))).group(1)
    assert other != value


async def test_behind_a_trusted_proxy_cookies_are_secure_and_addresses_come_from_it(services, tmp_path) -> None:
    client = await web_client(services, tmp_path / "w.sqlite3", web_trust_proxy=True, web_rate_address=2)
    try:
        https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
        assert "Secure" in session_cookie(await client.get("/", headers=https))
        assert (await client.get("/", headers=https)).status == 200
        assert (await client.get("/", headers=https)).status == 429  # 203.0.113.7 used its two
        assert (await client.get("/", headers={"X-Forwarded-For": "203.0.113.8"})).status == 200
    finally:
        await client.close()
    client = await web_client(services, tmp_path / "w.sqlite3", web_rate_address=2)  # not behind a proxy
    try:
        cookie = session_cookie(await client.get("/", headers={"X-Forwarded-Proto": "https"}))
        assert "Secure" not in cookie
        await client.get("/", headers={"X-Forwarded-For": "203.0.113.9"})
        assert (await client.get("/", headers={"X-Forwarded-For": "203.0.113.10"})).status == 429
    finally:
        await client.close()


async def test_a_forged_session_id_is_replaced(client) -> None:
    client.session.cookie_jar.update_cookies({"tejin_session": "../../etc/passwd"})
    assert "tejin_session=" in session_cookie(await client.get("/"))


# ---------------------------------------------------------------------------------------------- CSRF
async def test_a_post_without_or_with_a_wrong_csrf_token_is_refused(client) -> None:
    token = await open_chat(client)
    for form in ({"text": "专技处联系电话"}, {"text": "专技处联系电话", "csrf": "0" * 64},
                 {"text": "专技处联系电话", "csrf": token[:-1] + ("0" if token[-1] != "0" else "1")}):
        response = await client.post("/send", data=form)
        assert response.status == 403
        assert "页面已过期" in await response.text()
    response = await client.post("/press", data={"data": "m:check"})
    assert response.status == 403
    ok = await client.post("/send", data={"text": "专技处联系电话", "csrf": token}, allow_redirects=False)
    assert ok.status == 303


async def test_another_visitors_token_does_not_work(client, services, tmp_path) -> None:
    other = await web_client(services, tmp_path / "web.sqlite3")
    try:
        their_token = await open_chat(other)
    finally:
        await other.close()
    await open_chat(client)
    response = await client.post("/send", data={"text": "你好", "csrf": their_token})
    assert response.status == 403


async def test_a_post_without_a_session_cookie_is_refused(client) -> None:
    token = await open_chat(client)
    client.session.cookie_jar.clear()
    assert (await client.post("/send", data={"text": "你好", "csrf": token})).status == 403


# ---------------------------------------------------------------------------------------------- limits
async def test_a_request_over_16_kib_is_refused_politely(client) -> None:
    token = await open_chat(client)
    response = await client.post("/send", data={"text": "问" * 20_000, "csrf": token})
    assert response.status == 413
    assert "内容太长" in await response.text()
    assert response.headers["X-Content-Type-Options"] == "nosniff"


async def test_a_long_question_within_the_size_limit_is_answered_with_the_length_notice(client) -> None:
    token = await open_chat(client)
    reply = await post_json(client, "/send", text="问" * 600, csrf=token)
    assert "太长" in reply["html"]


async def test_one_session_over_its_rate_gets_a_polite_429(services, tmp_path) -> None:
    client = await web_client(services, tmp_path / "w.sqlite3", web_rate_session=3)
    try:
        token = await open_chat(client)
        for _ in range(3):
            await post_json(client, "/press", data="m:deadline", csrf=token)
        response = await client.post("/press", data={"data": "m:deadline", "csrf": token})
        assert response.status == 429 and int(response.headers["Retry-After"]) >= 1
        assert "太快" in await response.text()
        as_json = await client.post("/press", data={"data": "m:deadline", "csrf": token},
                                    headers={"Accept": "application/json"})
        assert as_json.status == 429 and "太快" in (await as_json.json())["toast"]
        client.session.cookie_jar.clear()  # another visitor is unaffected
        await post_json(client, "/press", data="m:deadline", csrf=await open_chat(client))
    finally:
        await client.close()


async def test_one_address_over_its_rate_gets_a_polite_429(services, tmp_path) -> None:
    client = await web_client(services, tmp_path / "w.sqlite3", web_rate_address=4)
    try:
        statuses = [(await client.get("/")).status for _ in range(6)]
        assert statuses[:4] == [200] * 4 and statuses[4:] == [429, 429]
        assert (await client.get("/static/site.css")).status == 200  # static files are not counted
    finally:
        await client.close()


def test_the_window_forgets_old_events() -> None:
    window = Window(2, 10)
    assert window.allow("a", 0) and window.allow("a", 1) and not window.allow("a", 2)
    assert window.blocked("a", 5) and not window.blocked("a", 11.5) and window.allow("a", 12)


# ---------------------------------------------------------------------------------------------- conversation
async def test_a_question_is_answered_with_its_citation_and_feedback_buttons(client) -> None:
    token = await open_chat(client)
    reply = await post_json(client, "/send", text="专技处联系电话", csrf=token)
    assert "7676026" in reply["html"] and "依据：" in reply["html"]
    assert reply["ids"][0] == "m0" and len(reply["ids"]) == 3  # the welcome, the question, the answer
    qid = re.search(r'value="f:(\d+):1">👍</button>', reply["html"]).group(1)
    thanks = await post_json(client, "/press", data=f"f:{qid}:1", csrf=token, entry="2")
    assert thanks["toast"] == "谢谢您的反馈！" and thanks["html"] == ""
    again = await post_json(client, "/press", data=f"f:{qid}:0", csrf=token, entry="2")
    assert "已" in again["toast"]


async def test_markup_is_shown_as_text(client) -> None:
    token = await open_chat(client)
    for text in ("<script>alert(1)</script>", '<img src=x onerror="alert(2)">', "\" onmouseover=\"alert(3)"):
        reply = await post_json(client, "/send", text=text, csrf=token)
        assert text not in reply["html"]
        assert Html(esc(text)) in reply["html"]
    page = await (await client.get("/")).text()
    assert "<img" not in page and "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


async def test_a_clarification_offers_its_choices_and_none_of_these(client) -> None:
    token = await open_chat(client)
    reply = await post_json(client, "/send", text="材料", csrf=token)
    if ">都不是</button>" not in reply["html"]:
        pytest.skip("this wording is no longer ambiguous")
    qid = re.search(r'value="o:(\d+):x"', reply["html"]).group(1)
    entry = reply["focus"][1:]
    none = await post_json(client, "/press", data=f"o:{qid}:x", csrf=token, entry=entry)
    assert reply["focus"] in none["html"] and "0351-7676026" in none["html"]  # replaced in place


async def test_typed_commands_work_as_in_telegram(client) -> None:
    token = await open_chat(client)
    assert "5月10日" in (await post_json(client, "/send", text="/deadline", csrf=token))["html"]
    assert "/check" in (await post_json(client, "/send", text="/help", csrf=token))["html"]
    assert "当前没有进行中的自查" in (await post_json(client, "/send", text="/why", csrf=token))["html"]


async def test_english_questions_are_answered_in_english_and_marked_so(client) -> None:
    token = await open_chat(client)
    reply = await post_json(client, "/send", text="When is the deadline?", csrf=token)
    assert 'lang="en"' in reply["html"] and "May" in reply["html"]


async def test_the_language_switch_makes_the_page_english(client) -> None:
    token = await open_chat(client)
    assert (await post_json(client, "/press", data="w:lang", csrf=token))["reload"]
    page = await (await client.get("/")).text()
    assert '<html lang="en">' in page and ">Self-check</button>" in page and "Type your question" in page


async def walk_to_the_birth_date(client, token: str) -> dict:
    consent = await post_json(client, "/press", data="m:check", csrf=token)
    assert "同意并开始" in consent["html"]
    step = await post_json(client, "/press", data="k:y", csrf=token, entry=consent["focus"][1:])
    for label in ("专业技术人才", "是", "是", "否", "否", "否", "未享受"):
        data = re.search(rf'value="(c:[^"]+)">{label}</button>', step["html"]).group(1)
        step = await post_json(client, "/press", data=data, csrf=token, entry=step["focus"][1:])
    assert "出生日期" in step["html"] and ">为什么问这个</button>" in step["html"]
    return step


async def test_the_self_check_walks_to_a_result_and_survives_a_restart(services, tmp_path) -> None:
    db_path = tmp_path / "w.sqlite3"
    client = await web_client(services, db_path)
    try:
        token = await open_chat(client)
        step = await walk_to_the_birth_date(client, token)
        why = await post_json(client, "/press", data="w:why", csrf=token, entry=step["focus"][1:])
        assert "这个问题依据" in why["html"] and step["focus"] in why["ids"]
        cookies = {c.key: c.value for c in client.session.cookie_jar}
    finally:
        await client.close()
    client = await web_client(services, db_path)  # a restart: the same database, a new process state
    try:
        client.session.cookie_jar.update_cookies(cookies)
        page = await (await client.get("/")).text()
        assert "出生日期" in page and "未享受" not in page.split("出生日期")[-1]
        token = csrf_of(page)
        step = await post_json(client, "/send", text="1970-03-15", csrf=token)
        data = re.search(r'value="(c:[^"]+)">有</button>', step["html"]).group(1)
        step = await post_json(client, "/press", data=data, csrf=token, entry=step["focus"][1:])
        p1 = re.search(r'value="(c:[^"]+)">P1 ', step["html"]).group(1)
        step = await post_json(client, "/press", data=p1, csrf=token, entry=step["focus"][1:])
        done = re.search(r'value="(c:[^"]+)">完成</button>', step["html"]).group(1)
        result = await post_json(client, "/press", data=done, csrf=token, entry=step["focus"][1:])
        assert "自查结果：✅ 初步符合条件" in result["html"]
        stale = await post_json(client, "/press", data=done, csrf=token, entry=step["focus"][1:])
        assert "不再有效" in stale["toast"]
    finally:
        await client.close()


async def test_old_self_check_buttons_leave_the_page_when_a_newer_step_is_shown(client) -> None:
    token = await open_chat(client)
    await walk_to_the_birth_date(client, token)
    await post_json(client, "/send", text="1970-03-15", csrf=token)
    page = await (await client.get("/")).text()
    assert page.count(">不确定</button>") == 1 and page.count(">为什么问这个</button>") == 1


async def test_without_the_script_a_post_redirects_to_the_changed_entry_and_the_toast_waits(client) -> None:
    token = await open_chat(client)
    response = await client.post("/send", data={"text": "专技处联系电话", "csrf": token}, allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/#m2"
    page = await (await client.get("/")).text()
    qid = re.search(r'value="f:(\d+):1"', page).group(1)
    await client.post("/press", data={"data": f"f:{qid}:1", "csrf": token, "entry": "2"}, allow_redirects=False)
    page = await (await client.get("/")).text()
    assert 'role="status">谢谢您的反馈！</p>' in page
    assert 'role="status"></p>' in await (await client.get("/")).text()  # shown once


async def test_forgetting_deletes_the_transcript_and_starts_a_new_session(client) -> None:
    token = await open_chat(client)
    await post_json(client, "/send", text="专技处联系电话", csrf=token)
    old = next(c.value for c in client.session.cookie_jar if c.key == "tejin_session")
    db: Database = client.server.app[DB_KEY]
    assert (await db.load_session(f"web:{old}"))["web"]["entries"]
    confirm = await post_json(client, "/press", data="w:forget", csrf=token)
    assert "确定删除" in confirm["html"]
    done = await post_json(client, "/press", data="z:y", csrf=token, entry=confirm["focus"][1:])
    assert done["ids"] == ["m0"] and "已删除" in done["toast"] and done["csrf"] != token
    assert await db.load_session(f"web:{old}") is None
    assert await db.fetchall("SELECT * FROM questions WHERE user_key=?", (db.user_key(f"web:{old}"),)) == []
    new = next(c.value for c in client.session.cookie_jar if c.key == "tejin_session")
    assert new != old
    assert "7676026" not in await (await client.get("/")).text()


async def test_retention_deletes_the_transcript(client) -> None:
    token = await open_chat(client)
    await post_json(client, "/send", text="专技处联系电话", csrf=token)
    db = client.server.app[DB_KEY]
    await db.write("UPDATE sessions SET updated_at='2000-01-01T00:00:00+00:00'")
    await db.purge_older_than(90)
    assert await db.fetchall("SELECT * FROM sessions") == []


def test_the_transcript_is_bounded_and_retires_older_buttons() -> None:
    t = Transcript()
    for i in range(MAX_ENTRIES + 10):
        t.said(f"q{i}")
    assert len(t.entries) == MAX_ENTRIES and t.entries[0].text == "q10"
    t.show(View("answer 1", [[Button("👍", "f:1:1")]]))
    t.show(View("answer 2", [[Button("👍", "f:2:1")]]))
    t.show(View("step", [[Button("是", "c:abcdef:1:a:0")]]))
    assert [e.buttons for e in t.entries[-3:-1]] == [[], [[Button("👍", "f:2:1")]]]
    t.show(View("why"))  # a message without buttons retires nothing
    assert t.entries[-2].buttons
    assert Transcript.from_session({"web": t.to_json()}).to_json() == t.to_json()


# ---------------------------------------------------------------------------------------------- escaping, charts
def test_templates_escape_by_default() -> None:
    assert fmt("<p>{}</p>", "<b>&\"'") == "<p>&lt;b&gt;&amp;&quot;&#x27;</p>"
    assert fmt("<p>{}</p>", Html("<b>ok</b>")) == "<p><b>ok</b></p>"


def test_charts_are_svg_with_bars_and_escaped_labels() -> None:
    svg = charts.columns("t<", ["4/1", "4/2"], [charts.Series("a", "#000", [1, 3]), charts.Series("b", "#111", [2, 0])])
    assert svg.startswith("<svg") and svg.count('class="bar"') == 3 and "t&lt;" in svg
    assert charts.nice_max(0) == 4 and charts.nice_max(7) == 10 and charts.nice_max(31) == 40
    assert charts.rows("r", ["x"], [charts.Series("a", "#000", [0])]).count('class="bar"') == 0


def test_the_page_words_exist_in_both_languages() -> None:
    assert set(chat_words("zh")) == set(chat_words("en")) and chat_words("zh")["send"] == "发送"
    assert set(staff_words("zh")) == set(staff_words("en")) and staff_words()["login"] == "登录"


# ---------------------------------------------------------------------------------------------- staff
async def staff_login(client, password: str = PASSWORD) -> aiohttp.ClientResponse:
    token = csrf_of(await (await client.get("/staff")).text())
    return await client.post("/staff/login", data={"password": password, "csrf": token})


async def test_staff_pages_need_the_password(client) -> None:
    page = await client.get("/staff")
    assert page.status == 200 and 'type="password"' in await page.text() and "<svg" not in await page.text()
    cookie = session_cookie(page)
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/staff" in cookie
    wrong = await staff_login(client, "wrong")
    assert wrong.status == 401 and "密码不正确" in await wrong.text()
    assert (await client.get("/staff/export.csv", allow_redirects=False)).status == 303
    right = await staff_login(client)
    assert right.status == 200 and "<svg" in await right.text()


async def test_staff_login_without_its_csrf_token_is_refused(client) -> None:
    await client.get("/staff")
    response = await client.post("/staff/login", data={"password": PASSWORD})
    assert response.status == 403 and "<svg" not in await response.text()


async def test_staff_login_attempts_are_limited_per_address(client) -> None:
    for _ in range(5):
        assert (await staff_login(client, "guess")).status == 401
    blocked = await staff_login(client)
    assert blocked.status == 429 and "15分钟" in await blocked.text()


async def test_the_staff_password_never_reaches_the_log(services, tmp_path, caplog) -> None:
    client = await web_client(services, tmp_path / "w.sqlite3")
    try:
        with caplog.at_level("DEBUG"):
            await staff_login(client, "wrong-but-secret")
            await staff_login(client)
    finally:
        await client.close()
    assert PASSWORD not in caplog.text and "wrong-but-secret" not in caplog.text


async def test_the_staff_page_shows_figures_charts_and_unanswered_questions(client) -> None:
    token = await open_chat(client)
    for text in ("专技处联系电话", "附近有什么好吃的", "附近有什么好吃的", "材料报送截止时间"):
        await post_json(client, "/send", text=text, csrf=token)
    page = await (await staff_login(client)).text()
    assert "提问 4 条" in page and page.count("<svg") == 4 and 'class="bar"' in page
    assert "附近有什么好吃的" in page and "专业技术人才" in page


async def test_the_csv_export_neutralises_formulas(client) -> None:
    token = await open_chat(client)
    await post_json(client, "/send", text="=HYPERLINK(\"http://x\")", csrf=token)
    await staff_login(client)
    response = await client.get("/staff/export.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    body = (await response.read()).decode("utf-8-sig")
    assert "'=HYPERLINK" in body and "web:" not in body


async def test_staff_posts_need_their_token_and_reload_keeps_the_old_data_on_failure(services, tmp_path) -> None:
    calls = []

    def failing(path):
        calls.append(path)
        raise KnowledgeError("faq.toml: bad entry")

    settings = Settings(database_path=tmp_path / "w.sqlite3", staff_password=PASSWORD)
    app = await create_app(settings, services, today=lambda: TODAY, load=failing)
    async with TestClient(TestServer(app)) as client:
        page = await (await staff_login(client)).text()
        assert (await client.post("/staff/reload", data={})).status == 403 and not calls
        after = await (await client.post("/staff/reload", data={"csrf": csrf_of(page)})).text()
        assert calls and "数据未通过校验" in after and "bad entry" in after
        token = await open_chat(client)
        assert "7676026" in (await post_json(client, "/send", text="专技处联系电话", csrf=token))["html"]


async def test_reload_swaps_in_valid_data(client) -> None:
    page = await (await staff_login(client)).text()
    after = await (await client.post("/staff/reload", data={"csrf": csrf_of(page)})).text()
    assert "已重新加载" in after


async def test_without_a_staff_password_there_are_no_staff_pages(services, tmp_path) -> None:
    client = await web_client(services, tmp_path / "w.sqlite3", staff_password=None)
    try:
        response = await client.get("/staff")
        assert response.status == 404 and "STAFF_PASSWORD" in await response.text()
    finally:
        await client.close()


# ---------------------------------------------------------------------------------------------- the process
def test_web_port_is_port_when_set_else_8080() -> None:
    assert load_settings({}, dotenv=None).web_port == 8080
    assert load_settings({"PORT": "9000"}, dotenv=None).web_port == 9000
    assert load_settings({"STAFF_PASSWORD": "x"}, dotenv=None).staff_password.get_secret_value() == "x"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_python_m_bot_web_serves_on_port_and_stops_on_sigterm(tmp_path) -> None:
    port = free_port()
    env = {**os.environ, "PORT": str(port), "DATABASE_PATH": str(tmp_path / "p.sqlite3"), "STAFF_PASSWORD": "pw",
           "WEB_HOST": "127.0.0.1", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "bot", "web"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        async with aiohttp.ClientSession() as session:
            while True:
                try:
                    async with session.get(f"http://127.0.0.1:{port}/") as response:
                        assert response.status == 200 and "输入您的问题" in await response.text()
                        break
                except aiohttp.ClientConnectionError:
                    assert time.monotonic() < deadline and proc.poll() is None
                    await asyncio.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, output
    assert "pw" not in output.replace("http", "")  # the password is never printed
    assert (tmp_path / "p.sqlite3").exists()


def test_python_m_bot_web_with_an_unusable_database_says_so_in_one_line(tmp_path) -> None:
    env = {**os.environ, "PORT": str(free_port()), "DATABASE_PATH": str(tmp_path / "missing" / "p.sqlite3"),
           "WEB_HOST": "127.0.0.1", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "bot", "web"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1].startswith(f"database error: {tmp_path / 'missing' / 'p.sqlite3'}")
    assert "Traceback" not in proc.stderr
