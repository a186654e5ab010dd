"""Staff pages behind STAFF_PASSWORD: figures and charts, the most frequent unanswered questions, the question
log as CSV, and reloading the knowledge data (validated; the old data stays on failure).

The password is compared in constant time and never logged; failed logins are limited per address. A login
starts a new staff session (a random token in an HttpOnly, SameSite=Strict cookie, kept in memory: a restart
asks staff to log in again); every form carries a token bound to that session.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from bot.assistant import Assistant
from bot.config import Settings
from bot.handlers.admin import log_csv
from bot.services import Services, build_services
from bot.web import charts, security
from bot.web.figures import KINDS, OUTCOMES, Figures, figures
from bot.web.html import Html, fmt, join, render
from bot.web.respond import Refused, see_other
from bot.web.wording import chat_words, staff_words
from knowledge.loader import KnowledgeError
from knowledge.phrasebook import phrases
from screening.rules import CriteriaError

logger = logging.getLogger(__name__)

SESSION_SECONDS = 8 * 3600  # a staff session ends after this long unused
LOGIN_FAILURES, LOGIN_WINDOW = 5, 15 * 60  # failed logins per address per window
COLOURS = {"answer": "#2e7d32", "clarify": "#f9a825", "refuse": "#c62828", "eligible": "#2e7d32",
           "review": "#f9a825", "ineligible": "#c62828", "total": "#1565c0"}


class StaffPages:
    def __init__(self, assistant: Assistant, settings: Settings, secret: bytes,
                 load: Callable[[Any], Services] = build_services) -> None:
        self.assistant = assistant
        self.db = assistant.db
        self.settings = settings
        self.secret = secret
        self.load = load
        self.failures = security.Window(LOGIN_FAILURES, LOGIN_WINDOW)
        self._sessions: dict[str, float] = {}  # token → when it expires
        self._notices: dict[str, str] = {}

    def routes(self) -> list[web.RouteDef]:
        return [web.get("/staff", self.page), web.post("/staff/login", self.login),
                web.post("/staff/logout", self.logout), web.get("/staff/export.csv", self.export),
                web.post("/staff/reload", self.reload)]

    # ------------------------------------------------------------------ sessions
    def _token(self, request: web.Request) -> str | None:
        token = request.cookies.get(security.STAFF_COOKIE)
        return token if security.valid_token(token) else None

    def _signed_in(self, request: web.Request) -> str | None:
        """The staff session's token if it is signed in and fresh; every use extends it."""
        token = self._token(request)
        now = time.monotonic()
        for t in [t for t, until in self._sessions.items() if until < now]:
            del self._sessions[t]
        if token is None or token not in self._sessions:
            return None
        self._sessions[token] = now + SESSION_SECONDS
        return token

    def _cookie(self, request: web.Request, response: web.StreamResponse, token: str) -> None:
        security.set_cookie(response, request, security.STAFF_COOKIE, token, path="/staff", samesite="Strict",
                            max_age=None, trust_proxy=self.settings.web_trust_proxy)

    def _configured(self) -> str:
        if self.settings.staff_password is None:
            raise Refused(404, staff_words()["not_configured"])
        return self.settings.staff_password.get_secret_value()

    async def _form(self, request: web.Request, purpose: str, token: str | None) -> Any:
        form = await request.post()
        if not security.csrf_ok(self.secret, purpose, token, form.get("csrf")):
            raise Refused(403, chat_words("zh")["expired"])
        return form

    # ------------------------------------------------------------------ pages
    async def page(self, request: web.Request) -> web.Response:
        """The figures when signed in, else the login form."""
        self._configured()
        token = self._signed_in(request)
        if token is None:
            return self._login_page(request)
        body = await self._dashboard(token)
        return web.Response(text=body, content_type="text/html", headers={"Cache-Control": "no-store"})

    def _login_page(self, request: web.Request, error: str = "", status: int = 200) -> web.Response:
        w = staff_words()
        token = self._token(request) or security.new_token()
        page = render("login.html", title=w["title"], login_title=w["login_title"], error=error,
                      csrf=security.csrf_token(self.secret, "staff-login", token), password_label=w["password"],
                      login=w["login"])
        response = web.Response(text=page, content_type="text/html", status=status)
        self._cookie(request, response, token)
        return response

    async def login(self, request: web.Request) -> web.StreamResponse:
        """Checks the password (constant time; failures limited per address) and starts a new staff session."""
        password = self._configured()
        w = staff_words()
        form = await self._form(request, "staff-login", self._token(request))
        address = security.client_address(request, self.settings.web_trust_proxy)
        if self.failures.blocked(address):
            raise Refused(429, w["too_many"], self.failures.retry_after(address))
        given = str(form.get("password", ""))
        if not hmac.compare_digest(given.encode(), password.encode()):
            self.failures.allow(address)
            logger.warning("staff login failed")
            return self._login_page(request, w["wrong_password"], status=401)
        token = security.new_token()  # a new session on every login: a planted cookie never becomes staff
        self._sessions.pop(self._token(request) or "", None)
        self._sessions[token] = time.monotonic() + SESSION_SECONDS
        logger.info("staff signed in")
        response = see_other("/staff")
        self._cookie(request, response, token)
        return response

    async def logout(self, request: web.Request) -> web.StreamResponse:
        token = self._signed_in(request)
        await self._form(request, "staff", token)
        self._sessions.pop(token or "", None)
        return see_other("/staff")

    async def export(self, request: web.Request) -> web.Response:
        """The question log as CSV: pseudonymous user keys, formula cells neutralised."""
        self._configured()
        if self._signed_in(request) is None:
            return see_other("/staff")
        data = log_csv(await self.db.question_log())
        return web.Response(body=data, content_type="text/csv", charset="utf-8",
                            headers={"Content-Disposition": 'attachment; filename="questions.csv"',
                                     "Cache-Control": "no-store"})

    async def reload(self, request: web.Request) -> web.StreamResponse:
        """Re-reads and validates the knowledge data; swaps it in only if valid."""
        self._configured()
        token = self._signed_in(request)
        if token is None:
            return see_other("/staff")
        await self._form(request, "staff", token)
        pb = phrases("zh")
        try:
            services = await asyncio.to_thread(self.load, self.settings.knowledge_dir)
        except (KnowledgeError, CriteriaError, ValueError) as exc:
            logger.warning("reload rejected: %s", exc)
            self._notices[token] = pb("staff.reload_rejected", error=exc)
        else:
            self.assistant.swap(services)
            self._notices[token] = pb("staff.reloaded", entries=len(services.kb.faq), clauses=len(services.kb.clauses))
        return see_other("/staff")

    # ------------------------------------------------------------------ the dashboard
    async def _dashboard(self, token: str) -> str:
        w = staff_words()
        f = await figures(self.db, today=None)
        s = f.stats
        kinds = s["kinds"]
        totals = w["totals"].format(total=s["questions"], answer=kinds.get("answer", 0),
                                    clarify=kinds.get("clarify", 0), refuse=kinds.get("refuse", 0),
                                    likes=s["likes"], dislikes=s["dislikes"], checks=sum(s["outcomes"].values()))
        unanswered = charts.table(w["data_table"], [w["question"], w["count"]], [[q, n] for q, n in f.unanswered]) \
            if f.unanswered else fmt("<p>{}</p>", w["unanswered_none"])
        if f.unanswered:  # the list is the point here: open
            unanswered = Html(unanswered.replace("<details>", "<details open>", 1))
        return render("staff.html", title=w["title"], logout=w["logout"],
                      csrf=security.csrf_token(self.secret, "staff", token), notice=self._notices.pop(token, ""),
                      totals=totals, charts=self._charts(f), unanswered_title=w["unanswered"], unanswered=unanswered,
                      export=w["export"], export_note=w["export_note"], reload=w["reload"],
                      reload_note=w["reload_note"])

    def _charts(self, f: Figures) -> Html:
        w = staff_words()
        pb = phrases("zh")
        days = [f"{d.month}/{d.day}" for d in f.days]
        kind_names = {k: w[f"kind_{k}"] for k in KINDS}
        sections = []
        title = w["per_day"].format(days=len(days))
        sections.append((title, charts.columns(title, days, [charts.Series(w["total"], COLOURS["total"], f.per_day)],
                                               label_every=5),
                         charts.table(w["data_table"], [w["day"], w["total"]],
                                      [[d, n] for d, n in zip(days, f.per_day, strict=True)])))
        series = [charts.Series(kind_names[k], COLOURS[k], f.kinds_per_day[k]) for k in KINDS]
        sections.append((w["kinds_per_day"], charts.columns(w["kinds_per_day"], days, series, label_every=5),
                         charts.table(w["data_table"], [w["day"], *kind_names.values()],
                                      [[d, *(f.kinds_per_day[k][i] for k in KINDS)] for i, d in enumerate(days)])))
        tracks = self.assistant.services.criteria.tracks
        names = {t: info.name for t, info in tracks.items()}
        order = [*names, *([""] if "" in f.outcomes_by_track else [])]
        labels = [names.get(t, w["track_unknown"]) for t in order]
        outcome_names = {o: pb(f"outcome.{o}") for o in OUTCOMES}
        series = [charts.Series(outcome_names[o], COLOURS[o], [f.outcomes_by_track.get(t, {}).get(o, 0) for t in order])
                  for o in OUTCOMES]
        sections.append((w["outcomes"], charts.rows(w["outcomes"], labels, series),
                         charts.table(w["data_table"], ["", *outcome_names.values()],
                                      [[label, *(s.values[i] for s in series)] for i, label in enumerate(labels)])))
        likes, dislikes = f.stats["likes"], f.stats["dislikes"]
        series = [charts.Series(w["likes"], COLOURS["eligible"], [likes]),
                  charts.Series(w["dislikes"], COLOURS["ineligible"], [dislikes])]
        sections.append((w["feedback"], charts.rows(w["feedback"], [w["feedback"]], series),
                         charts.table(w["data_table"], [w["likes"], w["dislikes"]], [[likes, dislikes]])))
        return join(fmt('<section><h2>{}</h2>{}{}</section>', title, chart, data) for title, chart, data in sections)
