"""The web page's own words (``phrases.toml``), in the conversation's language; the staff pages' in Chinese."""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from typing import Any


@functools.cache
def _table() -> dict[str, Any]:
    return tomllib.loads(resources.files("bot.web").joinpath("phrases.toml").read_text("utf-8"))


def chat_words(lang: str) -> dict[str, str]:
    return _table()["chat"]["en" if lang == "en" else "zh"]


def staff_words() -> dict[str, str]:
    return _table()["staff"]
