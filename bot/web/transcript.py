"""What a web visitor sees: the conversation as a list of entries, kept in the visitor's session row.

An entry is what the user said or what the assistant showed (text and buttons). A reply to a button replaces
the entry that held the button, as Telegram edits the pressed message, unless it asks for a new message.
Buttons of one kind live on the latest entry that shows them: a newer self-check step retires the older
step's buttons (they are stale anyway), a newer answer the older answer's 👍/👎 and choices, so every
button on the page can still be pressed and no two do the same thing under one label.

The transcript is bounded (the latest ``MAX_ENTRIES``, each text cut at ``MAX_TEXT``) and stored in the
session row under ``web``, so /forget and retention delete it with the rest of the user's data.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from bot.views import Button, View

MAX_ENTRIES = 60
MAX_TEXT = 6000  # the longest answers (materials, a self-check result) are under 3,000 characters
ButtonRows = list[list[Button]]


def group(data: str) -> str:
    """Which kind of button: the self-check's (c, k and the web's /why), an answer's (f, o, continue), the
    forget confirmation's (z)."""
    if data.startswith(("c:", "k:", "w:why")):
        return "check"
    if data.startswith(("f:", "o:", "m:check")):
        return "answer"
    return data.partition(":")[0]


@dataclass(frozen=True)
class Entry:
    id: int
    who: str  # "me" or "bot"
    text: str
    buttons: ButtonRows = field(default_factory=list)
    v: int = 0  # bumped on every change, so a page updates only what changed

    def to_json(self) -> dict[str, Any]:
        rows = [[[b.label, b.data] for b in row] for row in self.buttons]
        return {"id": self.id, "who": self.who, "text": self.text, "buttons": rows, "v": self.v}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entry:
        rows = [[Button(str(label), str(value)) for label, value in row] for row in data.get("buttons", [])]
        return cls(int(data["id"]), str(data.get("who", "bot")), str(data.get("text", "")), rows, int(data.get("v", 0)))

    @property
    def groups(self) -> set[str]:
        return {group(b.data) for row in self.buttons for b in row}


@dataclass
class Transcript:
    """One visitor's conversation and language; ``changed`` collects the ids touched by the current action."""

    lang: str = "zh"
    entries: list[Entry] = field(default_factory=list)
    next_id: int = 1
    changed: set[int] = field(default_factory=set)

    @classmethod
    def from_session(cls, data: dict[str, Any] | None) -> Transcript:
        web = (data or {}).get("web")
        if not isinstance(web, dict):
            return cls()
        entries = [Entry.from_json(e) for e in web.get("entries", []) if isinstance(e, dict)]
        lang = "en" if web.get("lang") == "en" else "zh"
        return cls(lang, entries, int(web.get("next", len(entries) + 1)))

    def to_json(self) -> dict[str, Any]:
        return {"lang": self.lang, "next": self.next_id, "entries": [e.to_json() for e in self.entries]}

    def find(self, entry_id: int) -> Entry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    def said(self, text: str) -> None:
        self._append("me", text, [])

    def show(self, view: View, replacing: int | None = None) -> None:
        """Show a view: in place of the entry ``replacing`` when it is the assistant's, else as a new entry."""
        old = self.find(replacing) if replacing is not None else None
        if old is None or old.who != "bot":
            self._append("bot", view.text, view.buttons)
            return
        self._set(replace(old, text=view.text[:MAX_TEXT], buttons=view.buttons, v=old.v + 1))
        self._retire(old.id, {group(b.data) for row in view.buttons for b in row})

    def clear(self) -> None:
        self.entries = []
        self.changed = set()

    def _append(self, who: str, text: str, buttons: ButtonRows) -> None:
        entry = Entry(self.next_id, who, text[:MAX_TEXT] + ("…" if len(text) > MAX_TEXT else ""), buttons)
        self.next_id += 1
        self.entries.append(entry)
        self.changed.add(entry.id)
        self._retire(entry.id, entry.groups)
        del self.entries[:-MAX_ENTRIES]

    def _set(self, entry: Entry) -> None:
        self.entries = [entry if e.id == entry.id else e for e in self.entries]
        self.changed.add(entry.id)

    def _retire(self, keep: int, groups: set[str]) -> None:
        """Remove buttons of these kinds from every other entry."""
        if not groups:
            return
        for e in self.entries:
            if e.id != keep and e.groups & groups:
                rows = [[b for b in row if group(b.data) not in groups] for row in e.buttons]
                self._set(replace(e, buttons=[r for r in rows if r], v=e.v + 1))
