"""The conversation service every channel uses: questions, the self-check, consent, feedback, forgetting.

A channel adapter (Telegram, the console, the web) turns what the user did into one call here (a text, a
command, a button's data) and what comes back (a ``Reply``) into messages. Everything else lives here, once:
which session a user has, whether typed text answers the current self-check question, saving a step before
it is shown (and showing nothing new when it could not be saved), recording a result once, logging
questions under a pseudonym.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from bot.selfcheck import SelfCheck, Step
from bot.services import Services
from bot.session import Session
from bot.storage import Database, StorageError
from bot.views import (
    Button,
    View,
    answer_view,
    consent_view,
    entry_view,
    forget_view,
    menu_buttons,
    privacy_text,
    welcome,
)
from knowledge.phrasebook import Phrasebook, phrases
from knowledge.render import render_contact
from screening.chat import ChatState, prefill

logger = logging.getLogger(__name__)

CONSENT_VERSION = "2024-1"  # the privacy notice's version: a new wording asks for consent again
MAX_QUESTION = 500
TOPICS = {"deadline": "deadline.days_left", "contacts": "contact.all", "materials": "mat.list"}
CHATS_KEPT = 10_000  # conversations remembered in memory (each a few hundred bytes; older ones expire anyway)
_QID = re.compile(r"^\d{1,18}$")  # a question id: anything longer is forged (and beyond SQLite's integers)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class User:
    """Who is talking, on which channel: ``ident`` is a Telegram id or a channel's own (``web:…``)."""

    ident: int | str
    lang: str = "zh"
    private: bool = True


@dataclass(frozen=True)
class Reply:
    """What to show. For a button press: ``toast`` is its short notice (answered exactly once), and ``view``
    replaces the pressed message unless ``new_message``; for a message, ``view`` is sent."""

    view: View | None = None
    toast: str = ""
    alert: bool = False
    new_message: bool = False


class Assistant:
    """Built once per process on the services and the database; every method is one user action."""

    def __init__(self, services: Services, db: Database, retention_days: int,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        self.db = db
        self.retention_days = retention_days
        self.today = today
        self.services = services
        self.check = SelfCheck(services.criteria, services.kb, today)
        self._locks: dict[str, asyncio.Lock] = {}
        self._chats: dict[str, ChatState] = {}  # each user's conversation, most recent last
        self._waiting: dict[str, int] = {}

    def swap(self, services: Services) -> None:
        """Put freshly validated knowledge in service (``/reload``)."""
        self.services = services
        self.check = SelfCheck(services.criteria, services.kb, self.today)

    @asynccontextmanager
    async def _serial(self, user: User) -> AsyncIterator[None]:
        """One action at a time per user, whatever the channel (two browser tabs, a double tap)."""
        key = str(user.ident)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key], self._locks[key]

    # ------------------------------------------------------------------ sessions
    async def _load(self, user: User) -> dict[str, Any]:
        return await self.db.load_session(user.ident) or {}

    async def _save_check(self, user: User, data: dict[str, Any], step: Step) -> bool:
        """Save the step's session (and its result, once) before it is shown; False when it could not be."""
        if step.session is None:
            return True
        outcome = (step.done.screening.outcome, step.done.screening.track) if step.done else None
        try:
            await self.db.save_session(user.ident, {**data, "check": step.session.to_json()}, outcome)
            return True
        except StorageError:
            logger.warning("self-check step not saved for %s", self.db.user_key(user.ident))
            return False

    @staticmethod
    def _session(data: dict[str, Any]) -> Session | None:
        return Session.from_json(data["check"]) if isinstance(data.get("check"), dict) else None

    # ------------------------------------------------------------------ messages
    async def start(self, user: User) -> Reply:
        return Reply(welcome(user.lang, self.retention_days, self.services.kb))

    def help(self, user: User) -> Reply:
        return Reply(View(phrases(user.lang)("bot.help"), menu_buttons(user.lang)))

    def privacy(self, user: User) -> Reply:
        return Reply(View(privacy_text(user.lang, self.retention_days)))

    def topic(self, user: User, name: str) -> Reply:
        """/deadline, /contacts, /materials: their FAQ entries, cited."""
        return Reply(entry_view(self.services.engine, TOPICS[name], self.today(), user.lang))

    async def command(self, user: User, name: str) -> Reply:
        """A typed command of the text channels (console, web), by name; an unknown one gets the help."""
        if name in TOPICS:
            return self.topic(user, name)
        if name == "check":
            return await self.begin_check(user)
        if name == "why":
            return await self.why(user)
        if name == "cancel":
            return self.cancel(user)
        if name == "forget":
            return self.forget(user)
        if name == "privacy":
            return self.privacy(user)
        return self.help(user)

    async def text(self, user: User, text: str) -> Reply:
        """Typed text: the answer to the current self-check question when it is one, else a question."""
        text = _SURROGATE.sub("\ufffd", text)  # lone surrogates (from escaped JSON) cannot be stored or shown
        async with self._serial(user):
            data = await self._load(user)
            step = self.check.typed(self._session(data), text, user.lang)
            if step is not None:
                return await self._typed_step(user, data, step)
            return await self._ask(user, text, data)

    async def _typed_step(self, user: User, data: dict[str, Any], step: Step) -> Reply:
        pb = phrases(user.lang)
        if step.problem:
            return Reply(View(f"{pb('check.' + step.problem)}\n\n{step.view.text}", step.view.buttons))
        if not await self._save_check(user, data, step):
            return Reply(View(pb("bot.storage_error")))
        return Reply(step.view)

    async def _ask(self, user: User, text: str, data: dict[str, Any]) -> Reply:
        """A question in its conversation: the answer with its citation, options to clarify, a refusal naming
        a contact, or a personal verdict with a button to continue the self-check with what was said."""
        pb = phrases(user.lang)
        if len(text) > MAX_QUESTION:
            return Reply(View(pb("bot.too_long", limit=MAX_QUESTION)))
        reply = self.services.reply(self._chat_state(user, data), text, self.today(), _now())
        await self._keep_chat(user, data, reply.state)
        answer = reply.answer
        try:
            qid = await self.db.log_question(user.ident, text, answer.kind, answer.entry_id or (
                f"guard:{answer.guard}" if answer.guard else None), answer.score, answer.option_ids)
        except StorageError:
            logger.warning("question not logged: database unavailable")
            qid = 0  # still answer; the feedback buttons will say they cannot be saved
        lang = "en" if answer.english else user.lang
        extra = [[Button(phrases(lang)("check.continue_check"), "m:check")]] \
            if reply.outcome is not None and user.private else None
        return Reply(answer_view(answer, qid, lang, extra))

    def _chat_state(self, user: User, data: dict[str, Any]) -> ChatState | None:
        """The conversation so far: kept in memory; what the asker said about themselves also in the session."""
        key = str(user.ident)
        if key in self._chats:
            return self._chats[key]
        return ChatState.from_json(data["chat"]) if isinstance(data.get("chat"), dict) else None

    async def _keep_chat(self, user: User, data: dict[str, Any], state: ChatState) -> None:
        """Remember the turn; facts about the asker are personal data, stored (so /forget and retention delete
        them) only when there are some. A storage failure loses the context, never the answer."""
        key = str(user.ident)
        self._chats.pop(key, None)
        self._chats[key] = state
        if len(self._chats) > CHATS_KEPT:
            del self._chats[next(iter(self._chats))]
        if state.statement.empty and "chat" not in data:
            return
        stored = {k: v for k, v in data.items() if k != "chat"}
        if not state.statement.empty:
            stored["chat"] = state.to_json()
        try:
            if stored:
                await self.db.save_session(user.ident, stored)
            else:
                await self.db.forget_session(user.ident)
        except StorageError:
            logger.warning("conversation facts not saved for %s", self.db.user_key(user.ident))

    async def begin_check(self, user: User) -> Reply:
        """/check: the privacy notice first, then start or resume the self-check."""
        pb = phrases(user.lang)
        if not user.private:
            return Reply(View(pb("bot.private_only")))
        try:
            consented = await self.db.consent(user.ident) == CONSENT_VERSION
        except StorageError:
            return Reply(View(pb("bot.storage_error")))
        if not consented:
            return Reply(consent_view(user.lang, self.retention_days))
        async with self._serial(user):
            data = await self._load(user)
            chat = self._chat_state(user, data)
            step = self.check.begin(self._session(data), user.lang, prefill(chat.statement) if chat else None)
            if not await self._save_check(user, data, step):
                return Reply(View(pb("bot.storage_error")))
            if step.prefilled:
                names = pb("format.clause_sep").join(pb(f"personal.need.{f}") for f in step.prefilled)
                return Reply(View(f"{pb('check.prefilled', facts=names)}\n\n{step.view.text}", step.view.buttons))
            return Reply(step.view)

    async def why(self, user: User) -> Reply:
        """The clause behind the current self-check question; nothing personal outside a private chat."""
        pb = phrases(user.lang)
        if not user.private:
            return Reply(View(pb("bot.private_only")))
        found = self.check.why(self._session(await self._load(user)))
        if found is None:
            return Reply(View(pb("check.why_none")))
        citation, text = found
        return Reply(View(pb("check.why", citation=citation, text=text)))

    def cancel(self, user: User) -> Reply:
        return Reply(View(phrases(user.lang)("check.cancelled")))

    def forget(self, user: User) -> Reply:
        return Reply(forget_view(user.lang))

    @staticmethod
    def _unsaved(pb: Phrasebook) -> Reply:
        """A press that could not be saved: said at once (an alert) and kept in the chat (a message); the
        pressed message stays as it was, matching what is stored."""
        return Reply(View(pb("bot.storage_error")), toast=pb("bot.storage_error"), alert=True, new_message=True)

    # ------------------------------------------------------------------ buttons
    async def press(self, user: User, data: str) -> Reply:
        """One button press; always one Reply, so the channel answers the press exactly once."""
        pb = phrases(user.lang)
        kind, _, rest = (data or "").partition(":")
        if kind == "c" and user.private:
            return await self._press_check(user, data)
        if kind == "m":
            return await self._menu(user, rest)
        if kind == "k" and rest in ("y", "n") and user.private:
            return await self._consent(user, rest == "y")
        if kind == "o":
            return await self._option(user, rest)
        if kind == "f":
            return await self._feedback(user, rest)
        if kind == "z" and rest in ("y", "n") and user.private:
            return await self._forget(user, rest == "y")
        return Reply(toast=pb("bot.stale"))

    async def _press_check(self, user: User, data: str) -> Reply:
        pb = phrases(user.lang)
        async with self._serial(user):
            stored = await self._load(user)
            step = self.check.press(self._session(stored), data, user.lang)
            if step.stale:
                return Reply(toast=pb("bot.stale"))
            if step.problem:
                return Reply(toast=pb("check." + step.problem))
            if not await self._save_check(user, stored, step):
                return self._unsaved(pb)
            return Reply(step.view)

    async def _menu(self, user: User, item: str) -> Reply:
        if item == "check":
            reply = await self.begin_check(user)
        elif item == "ask":
            reply = Reply(View(phrases(user.lang)("bot.ask_prompt")))
        elif item in TOPICS:
            reply = self.topic(user, item)
        else:
            return Reply(toast=phrases(user.lang)("bot.stale"))
        return Reply(reply.view, new_message=True)

    async def _consent(self, user: User, agreed: bool) -> Reply:
        pb = phrases(user.lang)
        if not agreed:
            return Reply(View(pb("bot.consent_declined")))
        try:
            await self.db.give_consent(user.ident, CONSENT_VERSION)
        except StorageError:
            return self._unsaved(pb)
        return await self.begin_check(user)

    async def _option(self, user: User, rest: str) -> Reply:
        """A clarification choice (its index, or x for none of these); once per question."""
        pb = phrases(user.lang)
        qid, _, choice = rest.partition(":")
        if not _QID.match(qid) or not (choice == "x" or choice.isdigit()):
            return Reply(toast=pb("bot.stale"))
        try:
            logged = await self.db.question(int(qid), user.ident)
            if logged is None or logged["resolution"] is not None or logged["kind"] != "clarify":
                return Reply(toast=pb("bot.stale"))
            if choice == "x":
                await self.db.resolve_question(int(qid), "none")
                contact = render_contact(self.services.kb.facts.contact("policy"), pb)
                return Reply(View(pb("bot.none_reply", contact=contact)))
            if int(choice) >= len(logged["options"]):
                return Reply(toast=pb("bot.stale"))
            entry = logged["options"][int(choice)]
            await self.db.resolve_question(int(qid), entry)
        except StorageError:
            return self._unsaved(pb)
        if entry not in self.services.engine.entries and not entry.startswith("clause:"):
            return Reply(toast=pb("bot.stale"))  # knowledge reloaded since: the option is gone
        answer = self.services.engine.answer_entry(entry, self.today(), english=user.lang == "en")
        return Reply(answer_view(answer, int(qid), user.lang))

    async def _feedback(self, user: User, rest: str) -> Reply:
        """👍 or 👎, once per answer."""
        pb = phrases(user.lang)
        qid, _, value = rest.partition(":")
        if not _QID.match(qid) or value not in ("0", "1"):
            return Reply(toast=pb("bot.stale"))
        try:
            if await self.db.question(int(qid), user.ident) is None:
                return Reply(toast=pb("bot.stale"))
            first = await self.db.record_feedback(int(qid), user.ident, int(value))
        except StorageError:
            return Reply(toast=pb("bot.storage_error"), alert=True)
        return Reply(toast=pb("bot.thanks_feedback" if first else "bot.feedback_once"))

    async def _forget(self, user: User, confirmed: bool) -> Reply:
        pb = phrases(user.lang)
        if not confirmed:
            return Reply(View(pb("bot.forget_kept")))
        async with self._serial(user):
            self._chats.pop(str(user.ident), None)
            try:
                await self.db.forget_user(user.ident)
            except StorageError:
                logger.warning("forget failed for %s", self.db.user_key(user.ident))
                return self._unsaved(pb)
        return Reply(View(pb("bot.forgotten")))
