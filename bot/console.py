"""The conversations in a terminal: numbered options stand for buttons; the same assistant service and
database as Telegram, and nothing of the Telegram handlers.

Type a question, a number to press an option, or a command (/check, /why, /deadline, /contacts, /materials,
/help, /privacy, /forget, /cancel, /quit).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from collections.abc import Callable
from typing import TextIO

from bot.assistant import Assistant, Reply, User
from bot.config import Settings
from bot.services import Services
from bot.storage import Database
from bot.views import View

CONSOLE_USER = "console"  # the terminal's one user


class Console:
    """One terminal user's session; ``handle`` takes a line and returns what to print."""

    def __init__(self, services: Services, db: Database, settings: Settings, lang: str = "zh",
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        self.db = db
        self.assistant = Assistant(services, db, settings.retention_days, today)
        self.user = User(CONSOLE_USER, lang)
        self.buttons: list[str] = []

    async def open(self) -> str:
        await self.db.open()
        return self.show(await self.assistant.start(self.user))

    def show(self, reply: Reply) -> str:
        """Render a reply with numbered options, remembering what each number presses; a button's notice
        (what Telegram shows as a toast) is a line of its own."""
        parts = [f"({reply.toast})"] if reply.toast else []
        if reply.view is not None:
            parts.append(self._view(reply.view))
        return "\n".join(parts)

    def _view(self, view: View) -> str:
        self.buttons = [b.data for row in view.buttons for b in row]
        labels = [b.label for row in view.buttons for b in row]
        options = "\n".join(f"  [{i}] {label}" for i, label in enumerate(labels, 1))
        return f"{view.text}\n{options}" if options else view.text

    async def handle(self, line: str) -> str:
        line = line.strip()
        if not line:
            return ""
        if line.isdigit() and 1 <= int(line) <= len(self.buttons):
            return self.show(await self.assistant.press(self.user, self.buttons[int(line) - 1]))
        if line.startswith("/"):
            return self.show(await self.command(line.split()[0].lower()))
        return self.show(await self.assistant.text(self.user, line))

    async def command(self, cmd: str) -> Reply:
        a, user = self.assistant, self.user
        name = cmd.lstrip("/")
        if name in ("start", "menu"):
            return await a.start(user)
        return await a.command(user, name)


async def run_console(services: Services, settings: Settings, stdin: TextIO = sys.stdin,
                      stdout: TextIO = sys.stdout) -> None:
    db = Database(settings.database_path, settings.pseudonym_key.get_secret_value() if settings.pseudonym_key else None)
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
