"""Shared fixtures: the real services, built once per test session (they are immutable)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.services import Services, build_services

TODAY = dt.date(2024, 4, 25)


@pytest.fixture(scope="session")
def services() -> Services:
    return build_services()


@pytest.fixture
async def api():
    """A fake Bot API server on 127.0.0.1; its base URL is ``api.url``."""
    from tests.fakebot import FakeBotApi

    server = FakeBotApi()
    server.url = await server.start()  # type: ignore[attr-defined]
    yield server
    await server.stop()
