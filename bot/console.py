"""The bot's conversations in a terminal: numbered options stand for buttons; same engine, same database.

Type a question, a number to press an option, or a command (/check, /why, /deadline, /contacts, /materials,
/help, /privacy, /forget, /cancel, /quit).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from collections.abc import Callable
from typing import TextIO

from bot.check_flow import CheckFlow
from bot.config import Settings
from bot.persistence import REVISION, SqlitePersistence
from bot.runtime import make_flow
from bot.services import Services
from bot.storage import Database, StorageError
from bot.texts import CONSENT_VERSION, t
from bot.views import View, answer_view, cited, consent_view, entry_view, forget_view, menu_buttons, welcome

CONSOLE_USER = 0  # the terminal's one user
TOPICS = {"/deadline": "deadline.days_left", "/contacts": "contact.all", "/materials": "mat.list"}


class Console:
    """One terminal user's session; ``handle`` takes a line and returns what to print."""

    def __init__(self, services: Services, db: Database, settings: Settings, lang: str = "zh",
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        self.services = services
        self.db = db
        self.settings = settings
        self.lang = lang
        self.today = today
        self.flow: CheckFlow = make_flow(services)
        self.persistence = SqlitePersistence(db)
        self.user_data: dict = {}
        self.buttons: list[str] = []

    async def open(self) -> str:
        await self.db.open()
        self.user_data = (await self.persistence.get_user_data()).get(CONSOLE_USER, {})
        return self.show(welcome(self.lang, self.settings.retention_days))

    def show(self, view: View) -> str:
        """Render a view with numbered options, remembering what each number presses."""
        self.buttons = [b.data for row in view.buttons for b in row]
        labels = [b.label for row in view.buttons for b in row]
        options = "\n".join(f"  [{i}] {label}" for i, label in enumerate(labels, 1))
        return f"{view.text}\n{options}" if options else view.text

    async def save(self) -> None:
        self.user_data[REVISION] = self.persistence.next_revision(CONSOLE_USER, self.user_data)
        await self.persistence.update_user_data(CONSOLE_USER, self.user_data)

    async def handle(self, line: str) -> str:
        line = line.strip()
        if not line:
            return ""
        if line.isdigit() and 1 <= int(line) <= len(self.buttons):
            return await self.press(self.buttons[int(line) - 1])
        if line.startswith("/"):
            return await self.command(line.split()[0].lower())
        name = self.flow.current_field(self.user_data)
        if name is not None and self.flow.q.specs[name].kind in ("date", "number"):
            result = self.flow.typed(self.user_data, line, self.lang)
            await self.save()
            return self.show(result.view)
        return await self.ask(line)

    async def ask(self, text: str) -> str:
        answer = self.services.engine.ask(text, self.today())
        try:
            qid = await self.db.log_question(CONSOLE_USER, text, answer.kind, answer.entry_id, answer.score,
                                             answer.option_ids)
        except StorageError:
            qid = 0
        return self.show(answer_view(answer, qid, "en" if answer.english else self.lang))

    async def command(self, cmd: str) -> str:
        if cmd in ("/start", "/menu"):
            return self.show(welcome(self.lang, self.settings.retention_days))
        if cmd == "/help":
            return self.show(View(t("help", self.lang), menu_buttons(self.lang)))
        if cmd == "/privacy":
            return t("privacy", self.lang, days=self.settings.retention_days)
        if cmd in TOPICS:
            return self.show(entry_view(self.services, TOPICS[cmd], self.today(), self.lang))
        if cmd == "/check":
            return await self.press("m:check")
        if cmd == "/why":
            return self.flow.why(self.user_data, self.lang, self.services.kb)
        if cmd == "/cancel":
            return t("cancelled", self.lang)
        if cmd == "/forget":
            return self.show(forget_view(self.lang))
        return t("help", self.lang)

    async def press(self, data: str) -> str:
        """What pressing a button does, as in the Telegram handlers."""
        kind = data.split(":", 1)[0]
        if data == "m:check" or data == "k:y":
            if data == "k:y":
                await self.db.give_consent(CONSOLE_USER, CONSENT_VERSION)
            elif await self.db.consent(CONSOLE_USER) != CONSENT_VERSION:
                return self.show(consent_view(self.lang, self.settings.retention_days))
            result = self.flow.begin(self.user_data, self.lang)
            await self.save()
            return self.show(result.view)
        if data == "k:n":
            return t("consent_declined", self.lang)
        if data == "m:ask":
            return t("ask_prompt", self.lang)
        if kind == "m":
            return await self.command("/" + data.split(":")[1])
        if kind == "c":
            result = self.flow.press(self.user_data, data, self.lang)
            if result.done is not None:
                await self.db.record_screening(CONSOLE_USER, result.done.screening.outcome, result.done.screening.track)
            await self.save()
            return self.show(result.view)
        if kind == "o":
            _, qid, choice = data.split(":")
            logged = await self.db.question(int(qid), CONSOLE_USER)
            if logged is None or choice == "x" or not choice.isdigit():
                return t("none_reply", self.lang, contact="0351-7676026")
            entry = logged["options"][int(choice)]
            await self.db.resolve_question(int(qid), entry)
            return cited(self.services.engine.answer_entry(entry, self.today(), self.lang == "en"), self.lang)
        if kind == "f":
            _, qid, value = data.split(":")
            await self.db.record_feedback(int(qid), CONSOLE_USER, int(value))
            return t("thanks_feedback", self.lang)
        if data == "z:y":
            await self.db.forget_user(CONSOLE_USER)
            self.user_data = {}
            return t("forgotten", self.lang)
        return t("forget_kept", self.lang)


async def run_console(services: Services, settings: Settings, stdin: TextIO = sys.stdin,
                      stdout: TextIO = sys.stdout) -> None:
    db = Database(settings.database_path)
    console = Console(services, db, settings)
    try:
        stdout.write(await console.open() + "\n> ")
        stdout.flush()
        for line in stdin:
            if line.strip() in ("/quit", "/exit", "q"):
                break
            out = await console.handle(line)
            stdout.write((out + "\n" if out else "") + "> ")
            stdout.flush()
        stdout.write("\n")
    finally:
        await db.close()


def main(services: Services, settings: Settings) -> None:
    asyncio.run(run_console(services, settings))
