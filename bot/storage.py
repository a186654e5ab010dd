"""The one SQLite database, through aiosqlite: schema migrations, the question log, feedback, consent.

WAL mode so readers never wait for the writer; ``PRAGMA user_version`` numbers the schema so an old
database is migrated in place. Every table keys users by a pseudonym (a keyed hash of the user id): a user's
own session is found again by computing it, so no table holds a raw id. The key is kept out of the database
(``PSEUDONYM_KEY``, or else a file beside it), so a copy of the database alone cannot tell whose questions are
whose. Deleted rows leave nothing on disk: ``secure_delete`` zeroes freed content, and after a user's deletion
or the retention purge the write-ahead log (which still holds the pages as they were before) is checkpointed
and truncated.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import re
import secrets
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiosqlite
from pydantic import SecretStr

MIGRATIONS: list[str] = [
    # 1: the first schema
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE user_data (user_id INTEGER PRIMARY KEY, data TEXT NOT NULL, updated_at TEXT NOT NULL);
    CREATE TABLE conversations (name TEXT NOT NULL, key TEXT NOT NULL, state TEXT NOT NULL,
                                PRIMARY KEY (name, key));
    CREATE TABLE questions (id INTEGER PRIMARY KEY, user_key TEXT NOT NULL, ts TEXT NOT NULL,
                            question TEXT NOT NULL, kind TEXT NOT NULL, entry TEXT, score REAL NOT NULL,
                            options TEXT NOT NULL DEFAULT '[]', resolution TEXT);
    CREATE INDEX questions_user ON questions (user_key);
    CREATE TABLE feedback (question_id INTEGER NOT NULL, user_key TEXT NOT NULL, value INTEGER NOT NULL,
                           ts TEXT NOT NULL, PRIMARY KEY (question_id, user_key));
    CREATE TABLE screenings (id INTEGER PRIMARY KEY, user_key TEXT NOT NULL, ts TEXT NOT NULL,
                             outcome TEXT NOT NULL, track TEXT);
    CREATE TABLE consent (user_key TEXT PRIMARY KEY, version TEXT NOT NULL, ts TEXT NOT NULL);
    CREATE TABLE processed_updates (update_id INTEGER PRIMARY KEY, ts TEXT NOT NULL);
    """,
    # 2: a revision per user's data, so an older snapshot can never overwrite a newer one
    """
    ALTER TABLE user_data ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
    """,
    # 3: one session row per user, keyed by the pseudonym, written by the assistant itself (no PTB persistence):
    # the self-check and the chat context. PTB's conversation table goes; user_data rows are moved by
    # ``_move_user_data`` once the pseudonym key is known, then dropped.
    """
    CREATE TABLE sessions (key TEXT PRIMARY KEY, data TEXT NOT NULL, updated_at TEXT NOT NULL);
    DROP TABLE conversations;
    """,
]


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class StorageError(RuntimeError):
    """The database could not do what was asked (locked, full, read-only); nothing was saved."""


# SQLite's page cache per connection, in KiB. It fills as pages are touched and then stays: resident memory
# reaches its plateau sooner with a smaller cache. 1 MiB holds the hot pages (recent session rows, the
# update-id index); a miss costs a read from the OS page cache, microseconds (bench/load.py: no change).
CACHE_KIB = 1024


# Telegram keeps an update it could not deliver (or whose delivery was not confirmed) for at most 24 hours, so an
# update id older than a day cannot come back: its record in processed_updates has done its job.
REDELIVERY_DAYS = 1


def _cutoff(days: int) -> str:
    """The stored-timestamp form of the moment ``days`` ago: rows older than it are past retention."""
    return (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).isoformat(timespec="seconds")


def pseudonym(key: bytes, user_id: int | str) -> str:
    return hmac.new(key, str(user_id).encode(), hashlib.sha256).hexdigest()[:16]


def open_problem(exc: BaseException) -> str:
    """What is wrong with a database file that would not open, in words an operator can act on."""
    text = str(exc)
    lowered = text.lower()
    if "readonly" in lowered or "read-only" in lowered:
        return "read-only (the bot must be able to write the file and create files beside it)"
    if "not a database" in lowered:
        return "not a SQLite database"
    if "locked" in lowered or "busy" in lowered:
        return "locked by another process"
    if "unable to open" in lowered:
        return "cannot be opened (no permission to the file or its directory?)"
    return text


def is_row_id(value: int) -> bool:
    """Whether SQLite could hold this id (a signed 64-bit integer): ids come from button data anyone can forge."""
    return -(2**63) <= value < 2**63


LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_text(value: Any) -> Any:
    """Text with each surrogate code point (invalid on its own, e.g. JSON's "\\ud800", and not encodable as UTF-8)
    replaced by U+FFFD; other values as they are."""
    return LONE_SURROGATE.sub("\ufffd", value) if isinstance(value, str) else value


def read_key_file(path: Path) -> str | None:
    """The key in ``path`` (its permissions tightened to 0600 if they were looser), or None without a file."""
    try:
        key = path.read_text("ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise StorageError(f"{path}: cannot read the pseudonym key ({exc})") from exc
    if not key:
        raise StorageError(f"{path}: the pseudonym key file is empty")
    if path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)
    return key


def create_key_file(path: Path, key: str) -> str:
    """Write ``key`` to ``path`` (mode 0600, on disk before this returns); if another process got there first,
    its key wins and is returned."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(key + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o600)
        try:
            os.link(temporary, path)  # atomic, and never replaces an existing key
        except FileExistsError:
            return read_key_file(path) or key
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
        return key
    except OSError as exc:
        raise StorageError(f"{path}: cannot write the pseudonym key ({exc.strerror or exc})") from exc
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _run_transaction(connection: aiosqlite.Connection, statements: list[tuple[str, tuple]]) -> list[tuple[int, int]]:
    """On the connection's thread: run the statements and commit, or roll all of them back and raise."""
    raw = connection._conn
    try:
        results = []
        for sql, params in statements:
            try:
                cursor = raw.execute(sql, params)
            except UnicodeEncodeError:  # rare, so checked only when SQLite could not encode the text
                cursor = raw.execute(sql, tuple(map(valid_text, params)))
            results.append((cursor.lastrowid or 0, cursor.rowcount))
        raw.commit()
        return results
    except BaseException:
        with contextlib.suppress(Exception):
            raw.rollback()
        raise


@dataclass
class _Pending:
    """The update being handled in this task, until a transaction records it as processed."""

    db: Database
    update_id: int
    recorded: bool = False


# Set by first_time in the task handling an update; the tasks it starts (gather, create_task) see the same object.
_PENDING: ContextVar[_Pending | None] = ContextVar("pending_update", default=None)

# How many update ids first_time remembers as being handled without a record yet (an update a guard stopped
# before anything recorded it): enough for every update in flight, bounded so that they cannot pile up.
IN_FLIGHT_LIMIT = 10_000


class Database:
    """Opened once per process (in ``post_init``); every write commits before it returns.

    Writes share one connection, so each transaction runs whole in one trip to the connection's thread: no other
    task's statement can come between its statements, and a failure rolls back only its own.
    """

    def __init__(self, path: Path | str, pseudonym_key: str | None = None, busy_timeout: float = 5.0) -> None:
        self.path = str(path)
        self.busy_timeout = busy_timeout
        self._db: aiosqlite.Connection | None = None
        self._key = b""
        self._configured_key = pseudonym_key
        self._in_flight: dict[int, None] = {}  # update ids being handled, not yet recorded (insertion order)

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._db is None:
            raise StorageError("database is not open")
        return self._db

    async def open(self) -> None:
        """Open (once) and migrate; idempotent, so every channel can call it before its first read.

        A database that cannot be used raises StorageError "<path>: <what is wrong>", with nothing left open."""
        if self._db is not None:
            return
        if self.path not in ("", ":memory:") and not Path(self.path).parent.is_dir():
            raise StorageError(f"{self.path}: its directory {Path(self.path).parent} does not exist")
        try:
            self._db = await aiosqlite.connect(self.path, timeout=self.busy_timeout)
            await self._db.execute("PRAGMA journal_mode=WAL")
            await self._db.execute("PRAGMA synchronous=NORMAL")
            await self._db.execute("PRAGMA foreign_keys=ON")
            await self._db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            await self._db.execute("PRAGMA secure_delete=ON")
            await self.migrate()
            self._key = (await self._pseudonym_key()).encode()
            await self._move_user_data()
        except (aiosqlite.Error, OSError, StorageError) as exc:
            with contextlib.suppress(aiosqlite.Error):
                await self.close()
            self._db = None
            if isinstance(exc, StorageError) and str(exc).startswith(f"{self.path}"):
                raise
            raise StorageError(f"{self.path}: {open_problem(exc)}") from exc

    async def close(self) -> None:
        if self._db is not None:
            await self._db.close()
            self._db = None

    async def migrate(self) -> int:
        """Apply the migrations the file has not seen; returns the schema version."""
        (version,) = await (await self.conn.execute("PRAGMA user_version")).fetchone()  # type: ignore[misc]
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            await self.conn.executescript(f"BEGIN; {script}; PRAGMA user_version = {number}; COMMIT;")
        return len(MIGRATIONS)

    @property
    def key_path(self) -> Path:
        """Where the pseudonym key is kept when ``PSEUDONYM_KEY`` is not set: beside the database."""
        return Path(f"{self.path}.key")

    async def _pseudonym_key(self) -> str:
        """PSEUDONYM_KEY, else the key file (created on first start). A key an older release kept in the
        ``meta`` table moves to the key file and leaves the database, so its pseudonyms keep matching."""
        if self.path in ("", ":memory:"):
            return self._configured_key or secrets.token_hex(32)
        rows = await self.fetchall("SELECT value FROM meta WHERE key='pseudonym_key'")
        stored = str(rows[0][0]) if rows else None
        in_file = read_key_file(self.key_path)
        if stored is not None:
            if in_file is None:
                in_file = create_key_file(self.key_path, stored)
            if in_file != stored:
                raise StorageError(f"{self.path}: holds a pseudonym key different from the one in {self.key_path}")
            await self.write("DELETE FROM meta WHERE key='pseudonym_key'")
            await self.wipe_log()
        if self._configured_key:
            return self._configured_key
        return in_file or create_key_file(self.key_path, secrets.token_hex(32))

    def user_key(self, user_id: int | str) -> str:
        """The pseudonym of a user (a Telegram id, or a channel's own id such as ``web:…``) in every table:
        a keyed hash, not reversible without the key."""
        return pseudonym(self._key, user_id)

    async def _move_user_data(self) -> None:
        """Schema 3: move PTB's user_data rows (keyed by the raw Telegram id) into sessions (keyed by the
        pseudonym), in the session's shape, then drop the table."""
        rows = await self.fetchall("SELECT name FROM sqlite_master WHERE type='table' AND name='user_data'")
        if not rows:
            return
        moves: list[tuple[str, tuple]] = []
        for user_id, data, updated in await self.fetchall("SELECT user_id, data, updated_at FROM user_data"):
            old = json.loads(data)
            if "check" not in old:
                continue
            check = {"state": old["check"], "sid": old.get("sid", "000000"), "n": int(old.get("n", 0)),
                     "editing": old.get("edit"), "screen": "review" if old.get("screen") == "review" else "question"}
            moves.append(("INSERT OR REPLACE INTO sessions (key, data, updated_at) VALUES (?,?,?)",
                          (self.user_key(user_id), json.dumps({"check": check}, ensure_ascii=False), updated)))
        await self._transaction([*moves, ("DROP TABLE user_data", ())])
        await self.wipe_log()  # the raw ids leave the files too

    async def write(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one write and commit it; returns the new row's id (for an INSERT)."""
        return (await self._write(sql, params))[0]

    async def _write(self, sql: str, params: Iterable[Any]) -> tuple[int, int]:
        """Run one write and commit it; returns its (lastrowid, rowcount)."""
        return (await self._transaction([(sql, tuple(params))]))[-1]

    async def _transaction(self, statements: list[tuple[str, tuple]]) -> list[tuple[int, int]]:
        """Run the statements as one transaction and commit it; returns each one's (lastrowid, rowcount).

        Raises StorageError, and nothing else, when the database refuses (everything rolled back): text is
        stored with any lone surrogate replaced, a value SQLite cannot hold is refused. The update-id record of
        the update this task is handling, if not yet written, joins the transaction: an update's id and the
        first step it causes land together, in one commit.
        """
        pending = _PENDING.get()
        if pending is not None and (pending.db is not self or pending.recorded):
            pending = None
        if pending is not None:
            statements = [("INSERT OR IGNORE INTO processed_updates (update_id, ts) VALUES (?,?)",
                           (pending.update_id, now())), *statements]
        try:
            # One call on aiosqlite's thread (its _execute, the one way to run a function there): statements
            # awaited one by one would let other tasks' statements in between, into this transaction.
            results = await self.conn._execute(_run_transaction, self.conn, statements)
        except (aiosqlite.Error, OverflowError, ValueError) as exc:
            raise StorageError(str(exc)) from exc
        if pending is not None:
            pending.recorded = True
            self._in_flight.pop(pending.update_id, None)
            results = results[1:]
        return results

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:
        return list(await (await self.conn.execute(sql, tuple(params))).fetchall())

    # ------------------------------------------------------------------ question log
    async def log_question(self, user_id: int, question: str, kind: str, entry: str | None, score: float,
                           options: list[str]) -> int:
        return await self.write(
            "INSERT INTO questions (user_key, ts, question, kind, entry, score, options) VALUES (?,?,?,?,?,?,?)",
            (self.user_key(user_id), now(), question, kind, entry, score, json.dumps(options)),
        )

    async def question(self, question_id: int, user_id: int) -> dict | None:
        """A logged question, only if it is this user's."""
        if not is_row_id(question_id):
            return None
        rows = await self.fetchall("SELECT question, kind, entry, options, resolution FROM questions "
                                   "WHERE id=? AND user_key=?", (question_id, self.user_key(user_id)))
        if not rows:
            return None
        q, kind, entry, options, resolution = rows[0]
        return {"question": q, "kind": kind, "entry": entry, "options": json.loads(options), "resolution": resolution}

    async def resolve_question(self, question_id: int, resolution: str) -> bool:
        """Note how a clarification ended; False when there is no such question."""
        if not is_row_id(question_id):
            return False
        _, changed = await self._write("UPDATE questions SET resolution=? WHERE id=?", (resolution, question_id))
        return changed > 0

    async def record_feedback(self, question_id: int, user_id: int, value: int) -> bool:
        """Record 👍 (1) or 👎 (0); a second tap, or a question id that cannot exist, changes nothing: False."""
        if not is_row_id(question_id):
            return False
        key = self.user_key(user_id)
        rows = await self.fetchall("SELECT 1 FROM feedback WHERE question_id=? AND user_key=?", (question_id, key))
        if rows:
            return False
        await self.write("INSERT INTO feedback (question_id, user_key, value, ts) VALUES (?,?,?,?)",
                         (question_id, key, value, now()))
        return True

    # ------------------------------------------------------------------ sessions
    async def load_session(self, user_id: int | str) -> dict | None:
        """The user's session (self-check and chat context), or None."""
        rows = await self.fetchall("SELECT data FROM sessions WHERE key=?", (self.user_key(user_id),))
        return json.loads(rows[0][0]) if rows else None

    async def forget_session(self, user_id: int | str) -> None:
        """Delete the user's session row (nothing left in it)."""
        await self.write("DELETE FROM sessions WHERE key=?", (self.user_key(user_id),))
        await self.wipe_log()

    async def save_session(self, user_id: int | str, data: dict, outcome: tuple[str, str | None] | None = None) -> None:
        """Store the session (and the self-check outcome it reached, if any) in one commit, before the step is
        acknowledged; together with the update-id record already open, so a step and its update land together."""
        key = self.user_key(user_id)
        statements: list[tuple[str, tuple]] = [
            ("INSERT OR REPLACE INTO sessions (key, data, updated_at) VALUES (?,?,?)",
             (key, json.dumps(data, ensure_ascii=False), now()))]
        if outcome is not None:
            statements.append(("INSERT INTO screenings (user_key, ts, outcome, track) VALUES (?,?,?,?)",
                               (key, now(), *outcome)))
        await self._transaction(statements)

    # ------------------------------------------------------------------ consent
    async def consent(self, user_id: int) -> str | None:
        rows = await self.fetchall("SELECT version FROM consent WHERE user_key=?", (self.user_key(user_id),))
        return rows[0][0] if rows else None

    async def give_consent(self, user_id: int, version: str) -> None:
        await self.write("INSERT OR REPLACE INTO consent (user_key, version, ts) VALUES (?,?,?)",
                         (self.user_key(user_id), version, now()))

    # ------------------------------------------------------------------ updates seen (applied once)
    async def first_time(self, update_id: int) -> bool:
        """True the first time an update id is seen; an update seen before, or being handled, returns False.

        Nothing is written yet, so no transaction is left open on the shared connection (where another user's
        failed write would roll it back). The record joins the first transaction the update's handling commits
        (a step and its update id land together, one commit per update), or is written on its own at the end of
        the update (``commit_pending``).
        """
        if update_id in self._in_flight:
            return False
        try:
            rows = await self.conn.execute_fetchall("SELECT 1 FROM processed_updates WHERE update_id=?", (update_id,))
        except (aiosqlite.Error, OverflowError, ValueError) as exc:
            raise StorageError(str(exc)) from exc
        if rows or update_id in self._in_flight:
            return False
        self._in_flight[update_id] = None
        while len(self._in_flight) > IN_FLIGHT_LIMIT:
            del self._in_flight[next(iter(self._in_flight))]
        _PENDING.set(_Pending(self, update_id))
        return True

    async def commit_pending(self) -> None:
        """At the end of an update: record it as processed if nothing it wrote did (a read-only update)."""
        pending = _PENDING.get()
        if pending is not None and pending.db is self and not pending.recorded:
            await self._transaction([])

    # ------------------------------------------------------------------ deletion
    async def forget_user(self, user_id: int | str) -> None:
        """Delete everything stored about a user, in one transaction: all of it is keyed by the pseudonym."""
        key = self.user_key(user_id)
        await self._transaction([
            ("DELETE FROM sessions WHERE key=?", (key,)),
            *[(f"DELETE FROM {table} WHERE user_key=?", (key,))
              for table in ("questions", "feedback", "screenings", "consent")],
        ])
        await self.wipe_log()

    async def purge_older_than(self, days: int) -> int:
        """Delete questionnaire data, logs and consent older than ``days``, and update ids Telegram can no longer
        redeliver; returns the number of rows removed."""
        cutoff = _cutoff(days)
        results = await self._transaction([
            ("DELETE FROM sessions WHERE updated_at < ?", (cutoff,)),
            ("DELETE FROM screenings WHERE ts < ?", (cutoff,)),
            ("DELETE FROM questions WHERE ts < ?", (cutoff,)),
            ("DELETE FROM feedback WHERE ts < ?", (cutoff,)),
            ("DELETE FROM consent WHERE ts < ?", (cutoff,)),
            ("DELETE FROM processed_updates WHERE ts < ?", (_cutoff(REDELIVERY_DAYS),)),
        ])
        await self.wipe_log()
        return sum(changed for _, changed in results)

    async def wipe_log(self) -> None:
        """Copy the write-ahead log into the database and truncate it: until then the log still holds deleted
        rows as they were. Best effort: a reader holding an old snapshot (another process) makes it wait for
        the next deletion or checkpoint."""
        with contextlib.suppress(aiosqlite.Error):
            await self.conn.execute_fetchall("PRAGMA wal_checkpoint(TRUNCATE)")  # read out: no statement left open

    # ------------------------------------------------------------------ staff views
    async def stats(self) -> dict[str, Any]:
        kinds = dict(await self.fetchall("SELECT kind, COUNT(*) FROM questions GROUP BY kind"))
        outcomes = dict(await self.fetchall("SELECT outcome, COUNT(*) FROM screenings GROUP BY outcome"))
        feedback = dict(await self.fetchall("SELECT value, COUNT(*) FROM feedback GROUP BY value"))
        return {"questions": sum(kinds.values()), "kinds": kinds, "outcomes": outcomes,
                "likes": feedback.get(1, 0), "dislikes": feedback.get(0, 0)}

    async def unanswered(self, limit: int = 15) -> list[tuple[str, int]]:
        """The most frequent refused, 'none of these' or disliked questions, grouped by their text."""
        return [(q, n) for q, n in await self.fetchall(
            "SELECT TRIM(LOWER(q.question)) AS text, COUNT(*) AS n FROM questions q "
            "LEFT JOIN feedback f ON f.question_id = q.id "
            "WHERE q.kind='refuse' OR q.resolution='none' OR f.value=0 "
            "GROUP BY text ORDER BY n DESC, text LIMIT ?", (limit,))]

    async def question_log(self) -> list[tuple]:
        return await self.fetchall(
            "SELECT q.id, q.ts, q.user_key, q.question, q.kind, q.entry, q.score, q.resolution, f.value "
            "FROM questions q LEFT JOIN feedback f ON f.question_id = q.id ORDER BY q.id")


async def check_database(path: Path | str, pseudonym_key: SecretStr | str | None = None) -> None:
    """Open (creating and migrating) and close again: run at start-up, so that a database the bot cannot use
    stops it with StorageError "<path>: <what is wrong>" before anything else is set up."""
    key = pseudonym_key.get_secret_value() if isinstance(pseudonym_key, SecretStr) else pseudonym_key
    db = Database(path, key)
    try:
        await db.open()
    finally:
        await db.close()
