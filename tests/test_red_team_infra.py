"""Red-team findings on storage, logging and infrastructure: each test failed before its fix."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import textwrap
import traceback
from pathlib import Path

import pytest

from bot.storage import Database
from bot.transport import AiohttpRequest

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SECRET = TOKEN.split(":")[1]


# ---------------------------------------------------------------------------------------------- 1. token in logs
async def malformed_http_server() -> asyncio.Server:
    """A server that answers every request with a response aiohttp cannot parse."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(65536)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n{}")
        await writer.drain()
        writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", 0)


async def test_a_malformed_api_response_raises_an_error_without_the_token() -> None:
    server = await malformed_http_server()
    port = server.sockets[0].getsockname()[1]
    request = AiohttpRequest()
    await request.initialize()
    try:
        await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")
    except Exception as exc:  # NetworkError, from aiohttp's ClientResponseError quoting the URL
        error = exc
    finally:
        await request.shutdown()
        server.close()
    text = "".join(traceback.format_exception(error))
    assert "ClientResponseError" in text and "/bot[TOKEN]/getMe" in text  # still says what went wrong
    assert SECRET not in text


LOGGING_SCRIPT = """
import io, logging, sys
from bot.logs import setup_logging

setup_logging(sys.argv[1])
later = io.StringIO()
logging.getLogger().addHandler(logging.StreamHandler(later))  # added after setup
child = io.StringIO()
logging.getLogger("telegram.ext").addHandler(logging.StreamHandler(child))  # on another logger
log = logging.getLogger("telegram.ext.Updater")
url = "http://127.0.0.1:9/bot" + sys.argv[1] + "/getUpdates"
log.warning("polling %s", url)
try:
    try:
        raise OSError("connect to " + url)
    except OSError as cause:
        raise RuntimeError("aiohttp.ClientResponseError: 400, url=" + url) from cause
except RuntimeError:
    log.exception("Network Retry Loop (Polling Updates): failed")
log.error("where", stack_info=True)  # TOKEN_IN_SOURCE
sys.stdout.write(later.getvalue() + child.getvalue())
sys.stdout.flush()
raise ValueError("uncaught: " + url)
"""


def test_the_token_is_redacted_from_messages_tracebacks_and_stacks_on_every_handler(tmp_path: Path) -> None:
    script = tmp_path / "log_it.py"
    script.write_text(textwrap.dedent(LOGGING_SCRIPT).replace("TOKEN_IN_SOURCE", TOKEN), "utf-8")
    proc = subprocess.run([sys.executable, str(script), TOKEN], capture_output=True, text=True, timeout=60,
                          cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)})
    # Each record reached the handler set up at start (stderr), the one added later and the other logger's.
    for out in (proc.stdout, proc.stderr):
        assert out.count("polling http://127.0.0.1:9/bot[TOKEN]/getUpdates") >= 1
        assert "Traceback" in out and "The above exception was the direct cause" in out
        assert "Stack (most recent call last)" in out
    assert proc.stdout.count("polling") == 2
    assert "uncaught: http://127.0.0.1:9/bot[TOKEN]/getUpdates" in proc.stderr  # the excepthook too
    assert SECRET not in proc.stdout and SECRET not in proc.stderr


# ------------------------------------------------------------------------------- 2. deleted data left on disk
MARKER = "1931-07-19-ZQXJWV"  # a date of birth nobody else has


def raw_bytes(path: Path) -> bytes:
    """The database file, its write-ahead log and its shared-memory index, as they are on disk."""
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists())


@pytest.fixture
async def db(tmp_path: Path):
    """A fresh database, closed after the test whatever happens (an open one keeps the process alive)."""
    database = Database(tmp_path / "infra.sqlite3")
    await database.open()
    yield database
    await database.close()


async def test_forget_leaves_no_trace_of_the_user_in_the_database_files(db: Database) -> None:
    path = Path(db.path)
    user = 4242424242
    for other in range(20):  # other users' rows share the pages
        await db.save_session(other, {"check": {"state": {"answers": {"birth_date": "1970-01-01"}}}})
    for step in range(5):  # a self-check, one step at a time, as the bot writes it
        await db.save_session(user, {"check": {"state": {"answers": {"birth_date": MARKER}}, "n": step}})
    await db.log_question(user, f"我出生于{MARKER}能申报吗", "answer", None, 1.0, [])
    assert MARKER.encode() in raw_bytes(path)
    await db.forget_user(user)
    assert await db.fetchall("SELECT COUNT(*) FROM sessions") == [(20,)]
    assert MARKER.encode() not in raw_bytes(path)


async def test_the_retention_purge_leaves_no_trace_of_old_rows_in_the_database_files(db: Database) -> None:
    path = Path(db.path)
    await db.write("INSERT INTO sessions (key, data, updated_at) VALUES ('a', ?, '2000-01-01T00:00:00+00:00')",
                   (f'{{"birth": "{MARKER}"}}',))
    await db.write("INSERT INTO sessions (key, data, updated_at) VALUES ('b', '{}', '2999-01-01T00:00:00+00:00')")
    assert MARKER.encode() in raw_bytes(path)
    assert await db.purge_older_than(90) == 1
    assert MARKER.encode() not in raw_bytes(path)


# ------------------------------------------------------------------- 3. pseudonym key beside the pseudonyms
def pseudonym(key: str, user_id: int) -> str:
    import hashlib
    import hmac

    return hmac.new(key.encode(), str(user_id).encode(), hashlib.sha256).hexdigest()[:16]


def stored_key(path: Path) -> str:
    import sqlite3

    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT value FROM meta WHERE key='pseudonym_key'").fetchall()
    return rows[0][0] if rows else ""


async def test_the_pseudonym_key_lives_in_a_0600_file_beside_the_database_and_is_reused(tmp_path: Path) -> None:
    path = tmp_path / "k.sqlite3"
    db = Database(path)
    await db.open()
    try:
        pseudonym = db.user_key(42)
        await db.log_question(42, "专技处联系电话", "answer", None, 1.0, [])
    finally:
        await db.close()
    key_file = Path(f"{path}.key")
    key = key_file.read_text("ascii").strip()
    assert len(key) == 64 and key_file.stat().st_mode & 0o777 == 0o600
    assert key.encode() not in raw_bytes(path) and stored_key(path) == ""
    again = Database(path)  # a restart
    await again.open()
    try:
        assert again.user_key(42) == pseudonym
        assert await again.fetchall("SELECT COUNT(*) FROM questions WHERE user_key=?", (pseudonym,)) == [(1,)]
    finally:
        await again.close()
    assert key_file.read_text("ascii").strip() == key


async def test_a_key_kept_in_an_old_database_moves_to_the_key_file_and_pseudonyms_still_match(tmp_path) -> None:
    import sqlite3

    from bot.storage import MIGRATIONS

    path = tmp_path / "old.sqlite3"
    old_key = "ab" * 32
    old_pseudonym = pseudonym(old_key, 42)
    with sqlite3.connect(path) as conn:  # as the previous release left it: the key in meta, WAL mode
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executescript(f"BEGIN; {MIGRATIONS[0]}; {MIGRATIONS[1]}; PRAGMA user_version = 2; COMMIT;")
        conn.execute("INSERT INTO meta (key, value) VALUES ('pseudonym_key', ?)", (old_key,))
        conn.execute("INSERT INTO questions (user_key, ts, question, kind, score) VALUES (?, 'x', 'q', 'answer', 1)",
                     (old_pseudonym,))
    conn.close()
    assert old_key.encode() in raw_bytes(path)
    db = Database(path)
    await db.open()
    try:
        assert db.user_key(42) == old_pseudonym  # existing pseudonyms keep working (/forget finds them)
        assert old_key.encode() not in raw_bytes(path)
        assert stored_key(path) == ""
    finally:
        await db.close()
    key_file = Path(f"{path}.key")
    assert key_file.read_text("ascii").strip() == old_key and key_file.stat().st_mode & 0o777 == 0o600


async def test_a_configured_pseudonym_key_is_used_and_no_key_file_is_written(tmp_path: Path) -> None:
    path = tmp_path / "env.sqlite3"
    db = Database(path, pseudonym_key="from-the-environment")
    await db.open()
    try:
        assert db.user_key(42) == pseudonym("from-the-environment", 42)
    finally:
        await db.close()
    assert not Path(f"{path}.key").exists() and stored_key(path) == ""


# -------------------------------------------------------------- 4. retention: consent and update ids too
def ago(**delta: float) -> str:
    import datetime as dt

    return (dt.datetime.now(dt.UTC) - dt.timedelta(**delta)).isoformat(timespec="seconds")


async def test_retention_purges_old_consent_and_keeps_update_ids_only_while_redelivery_is_possible(db) -> None:
    await db.write("INSERT INTO consent (user_key, version, ts) VALUES ('old', 'v1', ?)", (ago(days=91),))
    await db.write("INSERT INTO consent (user_key, version, ts) VALUES ('new', 'v1', ?)", (ago(days=89),))
    await db.write("INSERT INTO processed_updates (update_id, ts) VALUES (1, ?)", (ago(days=2),))
    await db.write("INSERT INTO processed_updates (update_id, ts) VALUES (2, ?)", (ago(hours=1),))
    assert await db.purge_older_than(90) == 2
    assert await db.fetchall("SELECT user_key FROM consent") == [("new",)]
    assert await db.fetchall("SELECT update_id FROM processed_updates") == [(2,)]
    assert not await db.first_time(2)  # Telegram may still redeliver it: still recognised


# ------------------------------------------------------------------ 5. lone surrogates in text to be stored
async def test_text_with_lone_surrogates_is_stored_with_replacement_characters(db) -> None:
    question_id = await db.log_question(7, "护士\ud800能申报吗\udfff", "answer", None, 1.0, ["\udc80"])
    assert await db.fetchall("SELECT question, options FROM questions WHERE id=?", (question_id,)) == [
        ("护士\ufffd能申报吗\ufffd", '["\\udc80"]')]  # JSON escapes it: stored as written
    await db.write("INSERT INTO sessions (key, data, updated_at) VALUES (?,?,?)",
                   ("k7", '{"answer": "\ud83d"}', "2024-04-25"))  # as json.dumps(ensure_ascii=False) leaves it
    assert await db.fetchall("SELECT data FROM sessions") == [('{"answer": "\ufffd"}',)]
    # A pair of surrogates is the same character as its code point in JSON, but not in a Python string.
    await db.write("UPDATE sessions SET data=? WHERE key='k7'", ("\ud83d\ude00",))
    assert await db.fetchall("SELECT data FROM sessions") == [("\ufffd\ufffd",)]


@pytest.mark.parametrize("value", [2**70, -(2**63) - 1, object()], ids=["too big", "too small", "an object"])
async def test_a_write_raises_nothing_but_storage_error(db, value) -> None:
    from bot.storage import StorageError

    with pytest.raises(StorageError):
        await db.write("INSERT INTO feedback (question_id, user_key, value, ts) VALUES (?, 'k', ?, 'now')",
                       (1, value))
    assert await db.fetchall("SELECT COUNT(*) FROM feedback") == [(0,)]
    await db.write("INSERT INTO feedback (question_id, user_key, value, ts) VALUES (1, 'k', 1, 'now')")  # still works


# ---------------------------------------------------------------- 6. ids outside SQLite's 64-bit integers
@pytest.mark.parametrize("question_id", [10**39, -(10**39), 2**63, -(2**63) - 1])
async def test_a_question_id_outside_sqlites_range_is_not_found(db, question_id: int) -> None:
    logged = await db.log_question(7, "专技处联系电话", "answer", None, 1.0, [])
    assert await db.question(question_id, 7) is None
    assert await db.resolve_question(question_id, "none") is False
    assert await db.record_feedback(question_id, 7, 1) is False
    # and ids in range work as before
    assert (await db.question(logged, 7))["question"] == "专技处联系电话"
    assert await db.resolve_question(logged, "none") is True
    assert await db.record_feedback(logged, 7, 1) is True
    assert await db.fetchall("SELECT question_id FROM feedback") == [(logged,)]


# ------------------------------------------------------------------------- 7. an unusable database at start
def not_a_database(tmp_path: Path) -> Path:
    path = tmp_path / "notes.sqlite3"
    path.write_text("these are notes, not a database\n" * 100, "utf-8")
    return path


def missing_directory(tmp_path: Path) -> Path:
    return tmp_path / "no-such-dir" / "bot.sqlite3"


def read_only(tmp_path: Path) -> Path:
    """A valid database in a directory, file and directory both read-only (immutable when running as root)."""
    import sqlite3

    directory = tmp_path / "ro"
    directory.mkdir()
    path = directory / "bot.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    path.chmod(0o444)
    directory.chmod(0o555)
    if os.access(path, os.W_OK):  # root ignores permissions: make the file immutable instead
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
        if done.returncode != 0:
            directory.chmod(0o755)
            pytest.skip("cannot make a file read-only here (root, and no chattr)")
    return path


def writable_again(tmp_path: Path) -> None:
    """Undo read_only so that pytest can remove the directory."""
    directory, path = tmp_path / "ro", tmp_path / "ro" / "bot.sqlite3"
    if path.exists():
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)
        directory.chmod(0o755)
        path.chmod(0o644)


UNUSABLE = {"not a database": (not_a_database, "not a SQLite database"),
            "missing directory": (missing_directory, "directory"),
            "read-only": (read_only, "read-only")}


@pytest.mark.parametrize("case", UNUSABLE)
async def test_opening_an_unusable_database_is_a_storage_error_naming_the_file_and_the_problem(tmp_path, case):
    from bot.storage import StorageError

    make, problem = UNUSABLE[case]
    path = make(tmp_path)
    db = Database(path)
    try:
        with pytest.raises(StorageError) as info:
            await db.open()
        assert str(info.value).startswith(f"{path}: ") and problem in str(info.value)
        assert db._db is None  # nothing left open
    finally:
        await db.close()
        writable_again(tmp_path)


async def test_a_database_locked_by_another_process_at_start_is_a_storage_error(tmp_path: Path) -> None:
    import sqlite3

    from bot.storage import StorageError

    path = tmp_path / "locked.sqlite3"
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("CREATE TABLE t (x)")
    blocker.execute("BEGIN EXCLUSIVE")
    db = Database(path, busy_timeout=0.2)
    try:
        with pytest.raises(StorageError, match=f"^{path}: .*locked"):
            await db.open()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
        await db.close()


@pytest.mark.parametrize("case", UNUSABLE)
def test_python_m_bot_on_an_unusable_database_says_so_in_one_line_and_exits_2(tmp_path: Path, case) -> None:
    make, problem = UNUSABLE[case]
    path = make(tmp_path)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(ROOT), "DATABASE_PATH": str(path),
           "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": "http://127.0.0.1:9/bot"}
    try:
        proc = subprocess.run([sys.executable, "-m", "bot"], capture_output=True, text=True, timeout=60,
                              cwd=tmp_path, env=env)
    finally:
        writable_again(tmp_path)
    assert proc.returncode == 2, proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith(f"database error: {path}: ") and problem in last
    assert "Traceback" not in proc.stderr and "Unclosed client session" not in proc.stderr


# ------------------------------------------------- 8. one user's failed write and others' update-id records
def committed_update_ids(path: str) -> list[int]:
    """What another process would see: only committed rows."""
    import sqlite3

    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT update_id FROM processed_updates ORDER BY update_id").fetchall()
    conn.close()
    return [r[0] for r in rows]


async def test_one_users_failed_write_does_not_drop_another_users_update_id_record(db) -> None:
    from bot.storage import StorageError

    a_seen, b_failed = asyncio.Event(), asyncio.Event()

    async def update_a() -> None:  # a question: reads only, its id is committed at the end of the update
        assert await db.first_time(101)
        a_seen.set()
        await b_failed.wait()
        await db.commit_pending()

    async def update_b() -> None:  # another user's step, whose write the database refuses
        await a_seen.wait()
        assert await db.first_time(102)
        with pytest.raises(StorageError):
            await db.write("INSERT INTO questions (user_key) VALUES ('b')")  # NOT NULL columns missing
        b_failed.set()

    await asyncio.gather(asyncio.create_task(update_a()), asyncio.create_task(update_b()))
    assert 101 in committed_update_ids(db.path)


async def test_an_updates_id_lands_with_the_step_it_causes_and_not_without_it(db) -> None:
    from bot.storage import StorageError

    async def step(update_id: int, sql: str) -> None:
        assert await db.first_time(update_id)
        assert update_id not in committed_update_ids(db.path)  # not a commit of its own
        with contextlib.suppress(StorageError):
            await db.write(sql)
        seen_with_step[update_id] = committed_update_ids(db.path)

    seen_with_step: dict[int, list[int]] = {}
    await asyncio.create_task(step(201, "INSERT INTO screenings (user_key, ts, outcome) VALUES ('k', 'now', 'x')"))
    await asyncio.create_task(step(202, "INSERT INTO screenings (user_key) VALUES ('k')"))  # refused
    assert 201 in seen_with_step[201]  # committed with its step
    assert 202 not in seen_with_step[202]  # the step was not saved: neither was its id
    assert await db.fetchall("SELECT COUNT(*) FROM screenings") == [(1,)]


async def test_an_update_is_still_recognised_while_its_first_delivery_is_in_flight(db) -> None:
    first = asyncio.Event()

    async def deliver() -> bool:
        seen = await db.first_time(301)
        first.set()
        return seen

    async def again() -> bool:
        await first.wait()
        return await db.first_time(301)  # the first delivery has not committed anything yet

    assert await asyncio.gather(asyncio.create_task(deliver()), asyncio.create_task(again())) == [True, False]


# ----------------------------------------------------- 9. one user's queued updates and the shared slots
def update_from(user_id: int, update_id: int):
    import datetime as dt

    from telegram import Chat, Message, Update, User

    message = Message(update_id, dt.datetime.now(dt.UTC), Chat(user_id, "private"),
                      from_user=User(user_id, "U", is_bot=False), text="hi")
    return Update(update_id, message=message)


async def test_one_users_burst_does_not_hold_the_shared_slots_while_waiting_for_its_own_turn() -> None:
    from bot.concurrency import PerUserProcessor

    processor = PerUserProcessor(8)
    finished: list[tuple[int, int]] = []
    running = {1: 0, 2: 0}

    async def handle(user_id: int, update_id: int) -> None:
        running[user_id] += 1
        assert running[user_id] == 1  # one at a time per user
        await asyncio.sleep(0.002)  # a slow update: a round trip to Telegram
        running[user_id] -= 1
        finished.append((user_id, update_id))

    # As PTB does: a task per update, in arrival order; 200 from one user, then one from another.
    tasks = [asyncio.create_task(processor.process_update(update_from(1, i), handle(1, i))) for i in range(200)]
    tasks.append(asyncio.create_task(processor.process_update(update_from(2, 999), handle(2, 999))))
    await asyncio.gather(*tasks)
    assert finished.index((2, 999)) < 10, finished.index((2, 999))  # before the burst's 10th (it was 194th)
    assert [u for user, u in finished if user == 1] == list(range(200))  # the burst stays in order
    assert not processor._locks and not processor._waiting  # nothing kept for users with nothing queued


# ------------------------------------------------------------------------ 10. the poll pause at low load
async def test_a_quiet_bot_answers_without_waiting_out_the_poll_interval(api, tmp_path: Path) -> None:
    """Question, answer, next question at once: the bot must not be asleep between polls."""
    from tests.fakebot import TOKEN as FAKE_TOKEN

    interval = 2.0
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": FAKE_TOKEN, "TELEGRAM_BASE_URL": api.url, "PYTHONPATH": str(ROOT),
           "DATABASE_PATH": str(tmp_path / "q.sqlite3"), "POLL_INTERVAL": str(interval)}
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", env=env, cwd=tmp_path,
                                                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    try:
        await api.wait_for(lambda: any(m == "setMyCommands" for m, _ in api.log), timeout=30)
        waits = []
        for question in ("专技处联系电话", "材料报送截止时间", "全省一共多少名额", "需要准备什么材料"):
            before = len(api.to(1))
            start = asyncio.get_running_loop().time()
            await api.says(1, question)
            await api.next_message(1, before, timeout=10)
            waits.append(asyncio.get_running_loop().time() - start)
    finally:
        proc.terminate()
        await proc.wait()
    assert max(waits[1:]) < interval / 2, waits  # before: each next question waited out most of the interval


async def test_the_poll_pause_comes_only_after_a_busy_poll() -> None:
    from aiohttp import web

    from bot.transport import PollingRequest

    batches = [[{"update_id": i} for i in range(1, 21)], [{"update_id": 21}], []]
    arrivals: list[float] = []
    answered: list[float] = []

    async def get_updates(request: web.Request) -> web.Response:
        arrivals.append(asyncio.get_running_loop().time())
        response = web.json_response({"ok": True, "result": batches[len(arrivals) - 1]})
        answered.append(asyncio.get_running_loop().time())
        return response

    app = web.Application()
    app.router.add_post("/bot{token}/getUpdates", get_updates)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    pause = 1.0
    request = PollingRequest(pause=pause)
    await request.initialize()
    try:
        for _ in batches:
            await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getUpdates")
    finally:
        await request.shutdown()
        await runner.cleanup()
    assert arrivals[1] - answered[0] >= pause  # 20 updates came back: pause, so that the next poll batches
    assert arrivals[2] - answered[1] < pause / 2  # one update came back: poll again at once
