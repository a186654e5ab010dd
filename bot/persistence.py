"""python-telegram-bot persistence on the project's SQLite database: user data and conversation states.

Bot data, chat data and callback data are not kept (the bot has none worth keeping). Every update_* call
commits, and the handlers call ``Application.update_persistence()`` after each questionnaire step, so a
kill -9 loses at most the step in flight.
"""

from __future__ import annotations

import json
from typing import cast

from telegram.ext import Application, BasePersistence, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from bot.storage import Database, now

REVISION = "rev"  # the key in a user's data that counts its changes


class SqlitePersistence(BasePersistence[dict, dict, dict]):
    def __init__(self, db: Database, update_interval: float = 5) -> None:
        super().__init__(
            store_data=PersistenceInput(bot_data=False, chat_data=False, user_data=True, callback_data=False),
            update_interval=update_interval,
        )
        self.db = db
        self._forgotten: dict[int, int] = {}  # user -> the last revision that existed before /forget

    # ------------------------------------------------------------------ user data
    async def get_user_data(self) -> dict[int, dict]:
        await self.db.open()
        rows = await self.db.fetchall("SELECT user_id, data FROM user_data")
        return {int(uid): json.loads(data) for uid, data in rows}

    async def update_user_data(self, user_id: int, data: dict) -> None:
        """Store a user's data unless a newer revision is already stored.

        PTB's flush writes deep-copied snapshots some time after taking them, so without the revision check
        a snapshot taken before a step could land after the step's own write and undo it. For the same reason
        a snapshot taken before /forget is dropped here: it would bring the deleted data back.
        """
        if int(data.get(REVISION, 0)) <= self._forgotten.get(user_id, -1):
            return
        await self.db.write(
            "INSERT INTO user_data (user_id, data, updated_at, rev) VALUES (?,?,?,?) "
            "ON CONFLICT(user_id) DO UPDATE SET data=excluded.data, updated_at=excluded.updated_at, "
            "rev=excluded.rev WHERE excluded.rev >= user_data.rev",
            (user_id, json.dumps(data, ensure_ascii=False), now(), int(data.get(REVISION, 0))),
        )

    async def refresh_user_data(self, user_id: int, user_data: dict) -> None:
        """Nothing to refresh: this process is the only writer."""

    async def drop_user_data(self, user_id: int) -> None:
        await self.db.write("DELETE FROM user_data WHERE user_id=?", (user_id,))

    def forgotten(self, user_id: int, revision: int) -> None:
        """The user's data was deleted at this revision (/forget, retention): older snapshots still in flight
        must not land. Only the number is kept, in memory; the user's next step counts on from it."""
        self._forgotten[user_id] = max(revision, self._forgotten.get(user_id, -1))

    def next_revision(self, user_id: int, data: dict) -> int:
        """The revision for the user's next write: after the data's own and after any deletion."""
        return max(int(data.get(REVISION, 0)), self._forgotten.get(user_id, 0)) + 1

    # ------------------------------------------------------------------ conversations
    async def get_conversations(self, name: str) -> ConversationDict:
        await self.db.open()
        rows = await self.db.fetchall("SELECT key, state FROM conversations WHERE name=?", (name,))
        return {tuple(json.loads(key)): json.loads(state) for key, state in rows}

    async def update_conversation(self, name: str, key: ConversationKey, new_state: object | None) -> None:
        encoded = json.dumps(list(key))
        if new_state is None:
            await self.db.write("DELETE FROM conversations WHERE name=? AND key=?", (name, encoded))
        else:
            await self.db.write(
                "INSERT INTO conversations (name, key, state) VALUES (?,?,?) "
                "ON CONFLICT(name, key) DO UPDATE SET state=excluded.state",
                (name, encoded, json.dumps(new_state)),
            )

    # ------------------------------------------------------------------ not kept
    async def get_bot_data(self) -> dict:
        return {}

    async def update_bot_data(self, data: dict) -> None:
        """Bot data is not persisted."""

    async def refresh_bot_data(self, bot_data: dict) -> None:
        """Bot data is not persisted."""

    async def get_chat_data(self) -> dict[int, dict]:
        return {}

    async def update_chat_data(self, chat_id: int, data: dict) -> None:
        """Chat data is not persisted."""

    async def refresh_chat_data(self, chat_id: int, chat_data: dict) -> None:
        """Chat data is not persisted."""

    async def drop_chat_data(self, chat_id: int) -> None:
        """Chat data is not persisted."""

    async def get_callback_data(self) -> CDCData | None:
        return None

    async def update_callback_data(self, data: CDCData) -> None:
        """Callback data is not persisted (the bot encodes its own, within 64 bytes)."""

    async def flush(self) -> None:
        """Every write already committed."""


def forget_in_memory(application: Application, user_id: int) -> None:
    """Drop a user's data from PTB's memory so that no flush writes it back (its database rows are gone)."""
    persistence = cast(SqlitePersistence, application.persistence)  # the composition root's
    persistence.forgotten(user_id, int(application.user_data.get(user_id, {}).get(REVISION, 0)))
    application.drop_user_data(user_id)
