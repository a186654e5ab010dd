"""Polite refusals (expired page, too fast, too large): JSON for the page's script, a small page otherwise."""

from __future__ import annotations

import json

from aiohttp import web

from bot.web.html import render
from bot.web.wording import chat_words


class Refused(Exception):
    """Stop here and tell the visitor why, in words, with the status that says it."""

    def __init__(self, status: int, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.retry_after = status, message, retry_after


def see_other(location: str) -> web.Response:
    """After a post, go (back) to a page: the browser loads it with GET."""
    return web.Response(status=303, headers={"Location": location})


def wants_json(request: web.Request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def refusal_response(request: web.Request, status: int, message: str, retry_after: int | None = None,
                     lang: str = "zh") -> web.Response:
    headers = {"Retry-After": str(retry_after)} if retry_after else {}
    if wants_json(request):
        body = json.dumps({"toast": message, "alert": True}, ensure_ascii=False)
        return web.Response(status=status, text=body, content_type="application/json", headers=headers)
    w = chat_words(lang)
    back = "/staff" if request.path.startswith("/staff") else "/"
    page = render("notice.html", lang="en" if lang == "en" else "zh-CN", title=w["notice_title"], message=message,
                  back=back, back_label=w["back"])
    return web.Response(status=status, text=page, content_type="text/html", headers=headers)
