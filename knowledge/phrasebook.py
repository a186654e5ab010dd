"""One phrasebook per language: every sentence the assistant says in its own words, as data.

The core (answering, screening) returns facts; channels render them through ``phrases(lang)``. The files are
``knowledge/phrasebook/<lang>.toml``; nested tables flatten to dotted keys (``criterion.employed.fail``).
Both languages must hold the same keys with the same placeholders, which ``load_phrasebooks`` checks, so
an English user never falls back to Chinese and a renamed value never fails at run time.
"""

from __future__ import annotations

import datetime as dt
import string
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES = ("zh", "en")


class PhrasebookError(ValueError):
    """A phrasebook file is missing, malformed or out of step with the other language."""


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        elif isinstance(value, str):
            flat[name] = value
        else:
            raise PhrasebookError(f"{name}: expected text, got {type(value).__name__}")
    return flat


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields a phrase fills in."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@dataclass(frozen=True)
class Phrasebook:
    """The phrases of one language; calling it fills a phrase with values."""

    lang: str
    phrases: dict[str, str]

    def __call__(self, key: str, **values: object) -> str:
        text = self.phrases[key]
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        return key in self.phrases

    def date(self, day: dt.date) -> str:
        """A date as this language writes it (2024年5月10日, May 10, 2024)."""
        month = self.phrases["month.names"].split(",")[day.month - 1]
        return self("format.date", year=day.year, month=month, day=day.day)

    def join(self, items: list[str]) -> str:
        return self.phrases["format.list_sep"].join(items)

    @property
    def english(self) -> bool:
        return self.lang == "en"


def _read(lang: str) -> dict[str, str]:
    path = resources.files("knowledge").joinpath(f"phrasebook/{lang}.toml")
    try:
        return _flatten(tomllib.loads(path.read_text("utf-8")))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PhrasebookError(f"phrasebook/{lang}.toml: {exc}") from exc


@cache
def load_phrasebooks() -> dict[str, Phrasebook]:
    """Both languages, checked against each other (same keys, same placeholders)."""
    books = {lang: _read(lang) for lang in LANGUAGES}
    zh, en = books["zh"], books["en"]
    problems = [f"{k}: only in zh" for k in zh.keys() - en.keys()] + [f"{k}: only in en" for k in en.keys() - zh.keys()]
    problems += [f"{k}: placeholders differ ({sorted(placeholders(zh[k]))} / {sorted(placeholders(en[k]))})"
                 for k in zh.keys() & en.keys() if placeholders(zh[k]) != placeholders(en[k])]
    if problems:
        raise PhrasebookError("; ".join(sorted(problems)))
    return {lang: Phrasebook(lang, phrases) for lang, phrases in books.items()}


def phrases(lang: str) -> Phrasebook:
    """The phrasebook for ``lang`` (``"en"`` or anything else for Chinese)."""
    return load_phrasebooks()["en" if lang == "en" else "zh"]
