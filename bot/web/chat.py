"""The visitor's side: the chat page, typed text and button presses, on the same assistant service as
Telegram and the console. A form posts and the page reloads at the changed entry; with the page's script,
the same post comes back as JSON and only the changed entries are replaced (progressive enhancement)."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.assistant import MAX_QUESTION, Assistant, Reply, User
from bot.config import Settings
from bot.storage import Database, StorageError
from bot.views import Button, View, menu_buttons, welcome
from bot.web import security
from bot.web.html import Html, fmt, join, render
from bot.web.respond import Refused, see_other, wants_json
from bot.web.transcript import Entry, Transcript
from bot.web.wording import chat_words
from knowledge.phrasebook import phrases

logger = logging.getLogger(__name__)

FLASHES_KEPT = 10_000  # notices waiting for a visitor without the script to load the page again
COMMANDS = {"start", "menu", "help", "privacy", "deadline", "contacts", "materials", "check", "why", "cancel",
            "forget"}
_UNSURE = re.compile(r"^c:[0-9a-f]{6}:\d+:u$")  # a self-check question is showing: /why applies
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


def _compact_json(value: object) -> str:
    """Chinese as UTF-8, not \\u escapes: an answer is 27-35% fewer bytes (1,325 instead of 1,803)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def text_lang(text: str) -> str:
    """The language an entry is written in, for its lang attribute: English answers to English questions."""
    latin, cjk = len(_LATIN.findall(text)), len(_CJK.findall(text))
    return "en" if latin > 4 * cjk else "zh"


@dataclass(frozen=True)
class Outcome:
    """What one action did, for the response."""

    transcript: Transcript
    toast: str = ""
    alert: bool = False
    focus: int | None = None
    reload: bool = False
    session: str = ""


class ChatPages:
    """The visitor's routes; one action at a time per visitor, the transcript saved after each."""

    def __init__(self, assistant: Assistant, db: Database, settings: Settings, secret: bytes) -> None:
        self.assistant = assistant
        self.db = db
        self.settings = settings
        self.secret = secret
        self.session_limit = security.Window(settings.web_rate_session, settings.rate_limit_seconds)
        self._flashes: dict[str, tuple[str, bool]] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._waiting: dict[str, int] = {}

    def routes(self) -> list[web.RouteDef]:
        return [web.get("/", self.page), web.post("/send", self.send), web.post("/press", self.press)]

    # ------------------------------------------------------------------ the page
    async def page(self, request: web.Request) -> web.Response:
        """Shows the conversation so far, or the welcome, with the menu and the question box."""
        sid = request.cookies.get(security.SESSION_COOKIE)
        fresh = not security.valid_token(sid)
        if fresh:
            sid = security.new_token()
        assert sid is not None
        transcript = Transcript() if fresh else await self._transcript(sid)
        toast, _ = self._flashes.pop(sid, ("", False))
        response = web.Response(text=await self.render_page(sid, transcript, toast), content_type="text/html")
        self._keep_cookie(request, response, sid)  # every visit: kept as long as the data it leads to
        return response

    async def render_page(self, sid: str, transcript: Transcript, status: str = "") -> str:
        lang = transcript.lang
        w = chat_words(lang)
        csrf = security.csrf_token(self.secret, "chat", sid)
        menu = [("m:check", w["menu_check"]), ("m:deadline", w["menu_deadline"]),
                ("m:contacts", w["menu_contacts"]), ("m:materials", w["menu_materials"]),
                ("w:privacy", w["menu_privacy"]), ("w:help", w["menu_help"]), ("w:forget", w["menu_forget"])]
        menu_html = join(fmt('<button type="submit" name="data" value="{}">{}</button>', d, label) for d, label in menu)
        year = self.assistant.services.kb.main_document.issued.year
        return render(
            "chat.html", lang="en" if lang == "en" else "zh-CN", title=w["title"],
            subtitle=w["subtitle"].format(year=year), csrf=csrf, menu_label=w["menu_label"], menu=menu_html,
            other_lang=w["other_lang"], other_lang_label=w["other_lang_label"],
            other_lang_code="zh-CN" if lang == "en" else "en", transcript_label=w["transcript_label"],
            entries=self.entries_html(transcript, csrf, None), status=status, ask_label=w["ask_label"],
            placeholder=w["ask_placeholder"], send=w["send"], max_length=MAX_QUESTION, footer=w["footer"])

    def entries_html(self, transcript: Transcript, csrf: str, only: set[int] | None) -> Html:
        """Every entry (the welcome first), or only those in ``only``."""
        lang = transcript.lang
        parts = []
        if only is None:
            a = self.assistant
            greeting = welcome(lang, a.retention_days, a.services.kb)
            parts.append(self._entry_html(Entry(0, "bot", greeting.text), lang, csrf))
        parts += [self._entry_html(e, lang, csrf) for e in transcript.entries if only is None or e.id in only]
        return join(parts, "\n")

    @staticmethod
    def _entry_html(entry: Entry, page_lang: str, csrf: str) -> Html:
        """One entry: who said it (for screen readers), the text, its buttons in a form."""
        w = chat_words(page_lang)
        who = w["you"] if entry.who == "me" else w["assistant"]
        lang = text_lang(entry.text)
        attrs = fmt(' lang="{}"', "en" if lang == "en" else "zh-CN") if lang != page_lang else ""
        body = fmt('<p class="text"><span class="vh">{}</span>{}</p>', who, entry.text)
        rows = list(entry.buttons)
        if any(_UNSURE.match(b.data) for row in rows for b in row):
            rows.append([Button(w["why"], "w:why")])
        if rows:
            buttons = join(
                fmt('<div class="row">{}</div>', join(
                    fmt('<button type="submit" name="data" value="{}">{}</button>', b.data, b.label) for b in row))
                for row in rows)
            body = fmt('{}<form method="post" action="/press" class="buttons"><input type="hidden" name="csrf" '
                       'value="{}"><input type="hidden" name="entry" value="{}">{}</form>', body, csrf, entry.id,
                       buttons)
        return fmt('<article class="msg {}" id="m{}" data-v="{}" tabindex="-1"{}>{}</article>', entry.who, entry.id,
                   entry.v, attrs, body)

    # ------------------------------------------------------------------ actions
    async def send(self, request: web.Request) -> web.StreamResponse:
        """Typed text: a command (/check, /why …), an answer to the self-check's question, or a question."""
        form, sid = await self._accept(request)
        text = str(form.get("text", "")).strip()
        async with self._one_at_a_time(sid):
            transcript = await self._transcript(sid)
            outcome = await self._typed(sid, transcript, text) if text else Outcome(transcript)
            await self._save(sid, outcome)
        return await self._respond(request, sid, outcome)

    async def press(self, request: web.Request) -> web.StreamResponse:
        """A button: the menu's, the self-check's, an answer's, the web's own (privacy, help, /why, forget)."""
        form, sid = await self._accept(request)
        data = str(form.get("data", ""))[:80]
        entry = str(form.get("entry", ""))
        async with self._one_at_a_time(sid):
            transcript = await self._transcript(sid)
            outcome = await self._pressed(sid, transcript, data, int(entry) if entry.isdigit() else None)
            await self._save(sid, outcome)
        return await self._respond(request, sid, outcome)

    def _user(self, sid: str, transcript: Transcript) -> User:
        return User(f"web:{sid}", transcript.lang)

    async def _typed(self, sid: str, transcript: Transcript, text: str) -> Outcome:
        transcript.said(text)
        user = self._user(sid, transcript)
        name = text[1:].split()[0].lower() if text.startswith("/") and len(text) > 1 else ""
        if name in COMMANDS:
            reply = await self.assistant.command(user, name)
        else:
            reply = await self.assistant.text(user, text)
        return self._shown(transcript, reply, None)

    async def _pressed(self, sid: str, transcript: Transcript, data: str, entry: int | None) -> Outcome:
        user = self._user(sid, transcript)
        if data == "w:lang":
            transcript.lang = "en" if transcript.lang == "zh" else "zh"
            transcript.changed.add(0)
            return Outcome(transcript, reload=True)
        if data.startswith("w:"):
            reply = await self.assistant.command(user, data[2:]) if data[2:] in ("why", "privacy", "help", "forget") \
                else Reply(toast=phrases(user.lang)("bot.stale"))
            return self._shown(transcript, Reply(reply.view, reply.toast, reply.alert, new_message=True), None)
        reply = await self.assistant.press(user, data)
        if data == "z:y" and reply.view is not None and not reply.new_message:  # forgotten: start afresh
            transcript.clear()
            return Outcome(transcript, toast=reply.view.text, session=security.new_token())
        return self._shown(transcript, reply, None if reply.new_message else entry)

    def _shown(self, transcript: Transcript, reply: Reply, replacing: int | None) -> Outcome:
        focus = None
        if reply.view is not None:
            view = reply.view
            if view.buttons == menu_buttons(transcript.lang):  # the page's menu is always there
                view = View(view.text)
            before = transcript.next_id
            transcript.show(view, replacing)
            focus = replacing if transcript.next_id == before else transcript.next_id - 1
        return Outcome(transcript, reply.toast, reply.alert, focus)

    # ------------------------------------------------------------------ plumbing
    async def _accept(self, request: web.Request) -> tuple[Any, str]:
        """The form of a genuine post from this visitor's page, within the visitor's rate; else a polite refusal."""
        form = await request.post()
        sid = request.cookies.get(security.SESSION_COOKIE)
        if not security.valid_token(sid) or not security.csrf_ok(self.secret, "chat", sid, form.get("csrf")):
            raise Refused(403, chat_words("zh")["expired"])
        assert sid is not None
        if not self.session_limit.allow(sid):
            raise Refused(429, phrases("zh")("bot.rate_limited"), self.session_limit.retry_after(sid))
        return form, sid

    @asynccontextmanager
    async def _one_at_a_time(self, sid: str) -> AsyncIterator[None]:
        """Two tabs or a double click: one action at a time per visitor, the transcript read after the last."""
        lock = self._locks.setdefault(sid, asyncio.Lock())
        self._waiting[sid] = self._waiting.get(sid, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._waiting[sid] -= 1
            if not self._waiting[sid]:
                del self._waiting[sid], self._locks[sid]

    async def _transcript(self, sid: str) -> Transcript:
        try:
            return Transcript.from_session(await self.db.load_session(f"web:{sid}"))
        except StorageError:
            logger.warning("web transcript not read")
            return Transcript()

    async def _save(self, sid: str, outcome: Outcome) -> None:
        """Keep the transcript in the session row (after the assistant saved its part of it)."""
        if outcome.session or not outcome.transcript.changed:
            return
        ident = f"web:{sid}"
        try:
            data = await self.db.load_session(ident) or {}
            await self.db.save_session(ident, {**data, "web": outcome.transcript.to_json()})
        except StorageError:
            logger.warning("web transcript not saved for %s", self.db.user_key(ident))

    async def _respond(self, request: web.Request, sid: str, outcome: Outcome) -> web.StreamResponse:
        sid = outcome.session or sid
        transcript = outcome.transcript
        if wants_json(request):
            csrf = security.csrf_token(self.secret, "chat", sid)
            body = {"ids": ["m0", *(f"m{e.id}" for e in transcript.entries)],
                    "html": self.entries_html(transcript, csrf, transcript.changed), "toast": outcome.toast,
                    "alert": outcome.alert, "focus": f"m{outcome.focus}" if outcome.focus is not None else "",
                    "reload": outcome.reload, "csrf": csrf}
            response: web.StreamResponse = web.json_response(body, dumps=_compact_json)
        else:
            if outcome.toast:
                self._flash(sid, outcome.toast, outcome.alert)
            anchor = f"#m{outcome.focus}" if outcome.focus is not None else "#composer"
            response = see_other("/" + anchor)
        if outcome.session:
            self._keep_cookie(request, response, sid)
        return response

    def _flash(self, sid: str, text: str, alert: bool) -> None:
        self._flashes[sid] = (text, alert)
        if len(self._flashes) > FLASHES_KEPT:
            del self._flashes[next(iter(self._flashes))]

    def _keep_cookie(self, request: web.Request, response: web.StreamResponse, sid: str) -> None:
        security.set_cookie(response, request, security.SESSION_COOKIE, sid, path="/", samesite="Lax",
                            max_age=self.settings.retention_days * 86400, trust_proxy=self.settings.web_trust_proxy)

