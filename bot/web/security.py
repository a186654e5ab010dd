"""The web channel's guards: visitor ids, CSRF tokens, sliding-window limits, the client's address, the
security headers every response carries."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from collections import defaultdict, deque

from aiohttp import web

from bot.storage import Database

SESSION_COOKIE = "tejin_session"
STAFF_COOKIE = "tejin_staff"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32)

HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
                               "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",  # for browsers that ignore frame-ancestors
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def new_token() -> str:
    return secrets.token_urlsafe(32)


def valid_token(value: str | None) -> bool:
    return bool(value and _TOKEN.match(value))


async def web_secret(db: Database) -> bytes:
    """The key of the CSRF tokens, kept in the database so pages loaded before a restart still work."""
    await db.write("INSERT OR IGNORE INTO meta (key, value) VALUES ('web_secret', ?)", (secrets.token_hex(32),))
    rows = await db.fetchall("SELECT value FROM meta WHERE key='web_secret'")
    return str(rows[0][0]).encode()


def csrf_token(secret: bytes, purpose: str, session: str) -> str:
    """A form's token: a keyed hash of the session it belongs to, so another site cannot know it."""
    return hmac.new(secret, f"{purpose}:{session}".encode(), hashlib.sha256).hexdigest()


def csrf_ok(secret: bytes, purpose: str, session: str | None, given: object) -> bool:
    if not session or not isinstance(given, str):
        return False
    return hmac.compare_digest(csrf_token(secret, purpose, session), given)


class Window:
    """At most ``limit`` events per ``seconds`` for each key (a session, an address); forgets idle keys."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit, self.seconds = limit, seconds
        self._events: dict[str, deque[float]] = defaultdict(deque)
        self._swept = 0.0

    def allow(self, key: str, now: float | None = None) -> bool:
        """Count one event for ``key`` if it is within the limit; False (and not counted) when it is not."""
        now = time.monotonic() if now is None else now
        if self.blocked(key, now):
            return False
        self._events[key].append(now)
        return True

    def blocked(self, key: str, now: float | None = None) -> bool:
        """Whether ``key`` has used up the window, without counting anything."""
        now = time.monotonic() if now is None else now
        if now - self._swept > self.seconds:
            for k in [k for k, q in self._events.items() if not q or now - q[-1] > self.seconds]:
                del self._events[k]
            self._swept = now
        events = self._events.get(key)
        if not events:
            return False
        while events and now - events[0] > self.seconds:
            events.popleft()
        return len(events) >= self.limit

    def retry_after(self, key: str, now: float | None = None) -> int:
        """Seconds until ``key`` may act again."""
        now = time.monotonic() if now is None else now
        events = self._events.get(key)
        return max(1, int(self.seconds - (now - events[0])) + 1) if events else 1


def client_address(request: web.Request, trust_proxy: bool) -> str:
    """The peer's address; behind a trusted reverse proxy, the address it saw (the last X-Forwarded-For hop)."""
    if trust_proxy:
        forwarded = request.headers.get("X-Forwarded-For", "")
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return hops[-1]
    return request.remote or "unknown"


def is_https(request: web.Request, trust_proxy: bool) -> bool:
    if trust_proxy and request.headers.get("X-Forwarded-Proto", "").lower() == "https":
        return True
    return request.secure


def set_cookie(response: web.StreamResponse, request: web.Request, name: str, value: str, *, path: str,
               samesite: str, max_age: int | None, trust_proxy: bool) -> None:
    """HttpOnly always; Secure whenever the page came over HTTPS."""
    response.set_cookie(name, value, path=path, httponly=True, samesite=samesite, max_age=max_age,
                        secure=is_https(request, trust_proxy))
