"""The web channel's composition root: one aiohttp application on the same assistant service and database as
the Telegram bot, the guards every request passes, the retention and memory jobs, and ``run``.

Every response carries the security headers (``on_response_prepare``, so static files, redirects and errors
too). Requests are capped at ``MAX_REQUEST`` bytes; each address and each visitor has a rate.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import sqlite3
import sys
from collections.abc import Awaitable, Callable
from importlib import resources
from pathlib import Path
from typing import Any

from aiohttp import web

from bot import memory
from bot.assistant import Assistant
from bot.config import Settings
from bot.services import Services, build_services
from bot.storage import Database, StorageError
from bot.web import security
from bot.web.chat import ChatPages
from bot.web.respond import Refused, refusal_response
from bot.web.staff import StaffPages
from bot.web.wording import chat_words
from knowledge.phrasebook import phrases

logger = logging.getLogger(__name__)

MAX_REQUEST = 16 * 1024  # a question is at most 500 characters; nothing legitimate posts more
PURGE_INTERVAL = 24 * 3600
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
DB_KEY = web.AppKey("db", Database)
ASSISTANT_KEY = web.AppKey("assistant", Assistant)
JOBS_KEY = web.AppKey("jobs", list)


async def create_app(settings: Settings, services: Services, db: Database | None = None,
                     today: Callable[[], dt.date] = dt.date.today,
                     load: Callable[[Any], Services] = build_services) -> web.Application:
    """Open the database and wire the pages; the application closes the database when it stops."""
    db = db or Database(settings.database_path,
                        settings.pseudonym_key.get_secret_value() if settings.pseudonym_key else None)
    await db.open()
    secret = await security.web_secret(db)
    assistant = Assistant(services, db, settings.retention_days, today)
    chat = ChatPages(assistant, db, settings, secret)
    staff = StaffPages(assistant, settings, secret, load)
    address_limit = security.Window(settings.web_rate_address, settings.rate_limit_seconds)

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        """Per-address rate, then the handler; refusals and errors become polite pages."""
        try:
            if not request.path.startswith("/static/"):
                address = security.client_address(request, settings.web_trust_proxy)
                if not address_limit.allow(address):
                    raise Refused(429, phrases("zh")("bot.rate_limited"), address_limit.retry_after(address))
            return await handler(request)
        except Refused as exc:
            return refusal_response(request, exc.status, exc.message, exc.retry_after)
        except web.HTTPRequestEntityTooLarge:
            return refusal_response(request, 413, chat_words("zh")["too_large"])
        except web.HTTPNotFound:
            return refusal_response(request, 404, chat_words("zh")["not_found"])
        except web.HTTPException:
            raise
        except Exception:
            logger.exception("error while handling %s %s", request.method, request.path)
            return refusal_response(request, 500, chat_words("zh")["error"])

    app = web.Application(middlewares=[guard], client_max_size=MAX_REQUEST)
    app[DB_KEY] = db
    app[ASSISTANT_KEY] = assistant
    app.add_routes(chat.routes())
    app.add_routes(staff.routes())
    app.router.add_get("/favicon.ico", _no_content)
    app.router.add_static("/static", Path(str(resources.files("bot.web").joinpath("static"))))
    app.on_response_prepare.append(_headers)
    app.on_startup.append(_start_jobs)
    app.on_startup.append(lambda _: _announce(settings))
    app.on_cleanup.append(_stop)
    return app


async def _no_content(request: web.Request) -> web.Response:
    return web.Response(status=204)


async def _headers(request: web.Request, response: web.StreamResponse) -> None:
    """The security headers, on every response; pages with a conversation or figures are not cached."""
    response.headers.update(security.HEADERS)
    if request.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "public, max-age=3600")
    else:
        response.headers.setdefault("Cache-Control", "no-store")


async def _every(seconds: float, first: float, job: Callable[[], Awaitable[None]]) -> None:
    await asyncio.sleep(first)
    while True:
        try:
            await job()
        except Exception:
            logger.exception("background job failed")
        await asyncio.sleep(seconds)


async def _announce(settings: Settings) -> None:
    logger.info("web channel on http://%s:%s/ (staff pages %s)", settings.web_host, settings.web_port,
                "on" if settings.staff_password else "off: STAFF_PASSWORD is not set")


async def _start_jobs(app: web.Application) -> None:
    """Retention once a day (as the Telegram bot does; both may run: a purge is idempotent) and the heap trim."""
    db = app[DB_KEY]
    days = app[ASSISTANT_KEY].retention_days

    async def purge() -> None:
        removed = await db.purge_older_than(days)
        logger.info("retention: removed %s rows older than %s days", removed, days)

    async def trim() -> None:
        memory.trim()

    app[JOBS_KEY] = [asyncio.create_task(_every(PURGE_INTERVAL, 60, purge)),
                     asyncio.create_task(_every(memory.TRIM_INTERVAL_SECONDS, memory.TRIM_INTERVAL_SECONDS, trim))]


async def _stop(app: web.Application) -> None:
    for task in app.get(JOBS_KEY, []):
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    await app[DB_KEY].close()


def run(services: Services, settings: Settings) -> int:
    """Serve on WEB_HOST:PORT until SIGINT or SIGTERM; no access log (addresses are personal data). A database
    that cannot be used stops it with one line and status 2."""
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
    try:
        web.run_app(create_app(settings, services), host=settings.web_host, port=settings.web_port,
                    access_log=None, print=None)
    except (StorageError, sqlite3.Error, OSError) as exc:
        where = str(settings.database_path)
        print(f"database error: {exc if str(exc).startswith(where) else f'{where}: {exc}'}", file=sys.stderr)
        return 2
    return 0
