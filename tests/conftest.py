"""Shared fixtures: the real services, built once per test session (they are immutable)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.services import Services, build_services

TODAY = dt.date(2024, 4, 25)


@pytest.fixture(scope="session")
def services() -> Services:
    return build_services()
