"""A fake Telegram Bot API server (aiohttp, 127.0.0.1 only) for end-to-end tests through the real PTB stack.

It keeps Telegram's rules that matter here: getUpdates drops an update only once a later offset confirms
it; text over 4096 characters, callback data over 64 bytes and malformed HTML are rejected with 400 as
Telegram does; a button press can be answered once, and only within QUERY_TTL seconds (a second answer, an
unknown or an expired query is a 400, as on Telegram); and any method can be told to fail next (400, 403,
429 with retry_after, 502, or a body that is not JSON at all).
"""

from __future__ import annotations

import asyncio
import contextlib
import html.parser
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

TOKEN = "123456:TEST-token-for-the-fake-server-only"
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "TejinBot", "username": "tejin_bot"}
JSON_FIELDS = {"reply_markup", "allowed_updates", "commands", "chat_id", "message_id", "offset", "limit",
               "timeout", "show_alert", "disable_web_page_preview", "link_preview_options", "drop_pending_updates"}
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler",
                "blockquote", "span"}


class _HtmlCheck(html.parser.HTMLParser):
    """Telegram's HTML rules, enough to catch what would fail there: unknown tags, unbalanced tags, bare &."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.error = ""

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in ALLOWED_TAGS:
            self.error = f"unsupported start tag \"{tag}\""
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.error = f"unmatched end tag \"{tag}\""


def html_error(text: str) -> str:
    """Why Telegram would refuse this HTML text, or '' when it is fine."""
    if re.search(r"&(?!(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)", text):
        return "unsupported entity"
    if re.search(r"<(?![a-zA-Z/])", text):
        return "unexpected <"
    checker = _HtmlCheck()
    checker.feed(text)
    checker.close()
    if checker.stack and not checker.error:
        return f"unclosed tag \"{checker.stack[-1]}\""
    return checker.error


@dataclass
class Sent:
    """A message as the bot left it (edits applied), with every version it had."""

    message_id: int
    chat_id: int
    text: str
    reply_markup: dict | None
    versions: list[str] = field(default_factory=list)

    @property
    def buttons(self) -> list[tuple[str, str]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]

    def data_for(self, label_part: str) -> str:
        for label, data in self.buttons:
            if label_part in label:
                return data
        raise AssertionError(f"no button with {label_part!r} in {self.buttons}")


QUERY_TTL = 15.0  # seconds: Telegram refuses answers to older button presses
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"


class FakeBotApi:
    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.updates: list[dict] = []
        self.update_ids = itertools.count(1)
        self.message_ids = itertools.count(1000)
        self.messages: dict[int, Sent] = {}
        self._by_chat: dict[int, list[Sent]] = {}  # the same messages, per chat, in order
        self.log: list[tuple[str, dict]] = []  # every call, in order
        self.callback_answers: list[dict] = []
        self.queries: dict[str, float] = {}  # open button presses: id -> when pressed
        self.answered: set[str] = set()
        self.documents: list[tuple[int, bytes]] = []
        self.commands: list = []
        self.failures: dict[str, list[tuple[int, dict]]] = {}
        self.rejected: list[tuple[str, str]] = []  # (method, why) for every call refused as Telegram would
        self.delay: dict[str, float] = {}
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ------------------------------------------------------------------ server
    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._dispatch)
        app.router.add_get("/bot{token}/{method}", self._dispatch)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return f"http://127.0.0.1:{self.port}/bot"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def pause(self) -> None:
        """Close the port: the bot's connections are refused until resume()."""
        await self.stop()

    async def resume(self) -> None:
        """Listen again on the same port, with the same state."""
        await self.start()

    def fail_next_raw(self, method: str, status: int = 200, body: str = "<html>gateway</html>",
                      times: int = 1) -> None:
        """The next calls of ``method`` get ``body`` as it is (a proxy's error page, a truncated reply)."""
        self.failures.setdefault(method, []).extend([(status, body)] * times)  # type: ignore[list-item]

    def expire_queries(self) -> None:
        """Every open button press becomes too old to answer (as after the bot was down for a while)."""
        for query_id in self.queries:
            self.queries[query_id] = 0.0

    def fail_next(self, method: str, status: int, description: str = "", retry_after: int | None = None,
                  times: int = 1) -> None:
        payload: dict[str, Any] = {"ok": False, "error_code": status, "description": description or str(status)}
        if retry_after is not None:
            payload["parameters"] = {"retry_after": retry_after}
        self.failures.setdefault(method, []).extend([(status, payload)] * times)

    async def _params(self, request: web.Request) -> tuple[dict, dict[str, bytes]]:
        params: dict[str, Any] = dict(request.query)
        files: dict[str, bytes] = {}
        if request.content_type == "application/json":
            params.update(await request.json())
        elif request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            async for part in reader:
                if part.filename:
                    files[part.name] = await part.read()
                else:
                    params[part.name] = await part.text()
        else:
            params.update(await request.post())
        for key in list(params):
            if key in JSON_FIELDS and isinstance(params[key], str):
                with contextlib.suppress(ValueError):
                    params[key] = json.loads(params[key])
        return params, files

    async def _dispatch(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        params, files = await self._params(request)
        self.log.append((method, params))
        if method in self.delay:
            await asyncio.sleep(self.delay[method])
        if self.failures.get(method):
            status, payload = self.failures[method].pop(0)
            if isinstance(payload, str):  # a malformed body: not JSON at all
                return web.Response(text=payload, status=status, content_type="text/html")
            return web.json_response(payload, status=status)
        handler = getattr(self, f"_{method}", None)
        if handler is None:
            return web.json_response({"ok": True, "result": True})
        try:
            result = await handler(params, files)
        except _ApiError as exc:
            self.rejected.append((method, str(exc)))
            return web.json_response({"ok": False, "error_code": 400, "description": str(exc)}, status=400)
        async with self._changed:
            self._changed.notify_all()
        return web.json_response({"ok": True, "result": result})

    # ------------------------------------------------------------------ methods
    async def _getMe(self, params: dict, files: dict) -> dict:
        return BOT_USER

    async def _deleteWebhook(self, params: dict, files: dict) -> bool:
        return True

    async def _setMyCommands(self, params: dict, files: dict) -> bool:
        self.commands = params.get("commands", [])
        return True

    async def _getUpdates(self, params: dict, files: dict) -> list:
        offset = int(params.get("offset") or 0)
        if offset:  # confirmation: everything before the offset is dropped, and only then
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + min(timeout, 2.0)
        async with self._changed:
            while not self.updates and time.monotonic() < deadline:
                try:
                    await asyncio.wait_for(self._changed.wait(), deadline - time.monotonic())
                except TimeoutError:
                    break
        limit = int(params.get("limit") or 100)
        return self.updates[:limit]

    def _check_out(self, params: dict) -> None:
        text = str(params.get("text", ""))
        if not text.strip():
            raise _ApiError("Bad Request: message text is empty")
        if len(text) > 4096:
            raise _ApiError("Bad Request: message is too long")
        if params.get("parse_mode") == "HTML" and (problem := html_error(text)):
            raise _ApiError(f"Bad Request: can't parse entities: {problem}")
        for row in (params.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if len(button.get("callback_data", "").encode()) > 64:
                    raise _ApiError("Bad Request: BUTTON_DATA_INVALID")

    def _message(self, sent: Sent) -> dict:
        out = {"message_id": sent.message_id, "date": int(time.time()), "from": BOT_USER,
               "chat": {"id": sent.chat_id, "type": "private" if sent.chat_id > 0 else "group"}, "text": sent.text}
        if sent.reply_markup:
            out["reply_markup"] = sent.reply_markup
        return out

    async def _sendMessage(self, params: dict, files: dict) -> dict:
        self._check_out(params)
        sent = Sent(next(self.message_ids), int(params["chat_id"]), str(params["text"]), params.get("reply_markup"))
        sent.versions.append(sent.text)
        self.messages[sent.message_id] = sent
        self._by_chat.setdefault(sent.chat_id, []).append(sent)
        return self._message(sent)

    async def _editMessageText(self, params: dict, files: dict) -> dict:
        self._check_out(params)
        sent = self.messages.get(int(params["message_id"]))
        if sent is None:
            raise _ApiError("Bad Request: message to edit not found")
        if sent.text == params["text"] and sent.reply_markup == params.get("reply_markup"):
            raise _ApiError("Bad Request: message is not modified")
        sent.text = str(params["text"])
        sent.reply_markup = params.get("reply_markup")
        sent.versions.append(sent.text)
        return self._message(sent)

    async def _answerCallbackQuery(self, params: dict, files: dict) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        pressed = self.queries.get(query_id)
        if pressed is None or query_id in self.answered or time.monotonic() - pressed > QUERY_TTL:
            raise _ApiError(QUERY_TOO_OLD)
        self.answered.add(query_id)
        self.callback_answers.append(params)
        return True

    async def _sendDocument(self, params: dict, files: dict) -> dict:
        data = next(iter(files.values()), b"")
        self.documents.append((int(params["chat_id"]), data))
        sent = Sent(next(self.message_ids), int(params["chat_id"]), "", None)
        return self._message(sent) | {"document": {"file_id": "f1", "file_unique_id": "u1"}}

    # ------------------------------------------------------------------ what a user does
    def _push(self, update: dict) -> int:
        update["update_id"] = next(self.update_ids)
        self.updates.append(update)
        return update["update_id"]

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def says(self, user_id: int, text: str, chat_id: int | None = None, chat_type: str = "private",
                   language: str = "zh-hans", **extra: Any) -> int:
        chat_id = chat_id if chat_id is not None else user_id
        message = {"message_id": next(self.message_ids), "date": int(time.time()),
                   "chat": {"id": chat_id, "type": chat_type},
                   "from": {"id": user_id, "is_bot": False, "first_name": "U", "language_code": language}}
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        message.update(extra)
        uid = self._push({"message": message})
        await self._notify()
        return uid

    async def presses(self, user_id: int, message: Sent, data: str, language: str = "zh-hans") -> int:
        query_id = str(next(self.message_ids))
        self.queries[query_id] = time.monotonic()
        query = {"id": query_id, "chat_instance": "ci", "data": data,
                 "from": {"id": user_id, "is_bot": False, "first_name": "U", "language_code": language},
                 "message": self._message(message)}
        uid = self._push({"callback_query": query})
        await self._notify()
        return uid

    async def redeliver(self, update_id: int, original: dict) -> None:
        """Deliver an update again under the same id, as Telegram does when an offset was never confirmed."""
        self.updates.append({**original, "update_id": update_id})
        await self._notify()

    async def raw_update(self, update: dict) -> int:
        if "callback_query" in update:  # a hand-made press can be answered like any other
            self.queries.setdefault(str(update["callback_query"]["id"]), time.monotonic())
        uid = self._push(update)
        await self._notify()
        return uid

    # ------------------------------------------------------------------ waiting for the bot
    def to(self, chat_id: int) -> list[Sent]:
        return [m for m in self._by_chat.get(chat_id, ()) if m.text]

    def forget_messages(self) -> None:
        self.messages.clear()
        self._by_chat.clear()

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
        deadline = time.monotonic() + timeout
        async with self._changed:
            while True:
                value = predicate()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError("the bot did not do what was expected in time")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), min(remaining, 0.2))

    async def next_message(self, chat_id: int, after: int, timeout: float = 10.0) -> Sent:
        """The first message to the chat sent after the first ``after`` ones."""
        return await self.wait_for(lambda: len(self.to(chat_id)) > after and self.to(chat_id)[after], timeout)

    async def settled(self, seconds: float = 0.3) -> None:
        """Wait until the bot has been quiet for a moment."""
        last = -1
        while len(self.log) != last:
            last = len(self.log)
            await asyncio.sleep(seconds)


class _ApiError(Exception):
    pass
