"""The web page's own words, from the one phrasebook per language (``knowledge/phrasebook``, sections
``web.page`` and ``web.staff``), as plain dictionaries for the templates."""

from __future__ import annotations

import functools

from knowledge.phrasebook import phrases


@functools.cache
def _section(lang: str, section: str) -> dict[str, str]:
    prefix = f"web.{section}."
    return {k.removeprefix(prefix): v for k, v in phrases(lang).phrases.items() if k.startswith(prefix)}


def chat_words(lang: str) -> dict[str, str]:
    return _section("en" if lang == "en" else "zh", "page")


def staff_words(lang: str = "zh") -> dict[str, str]:
    """The staff pages are in Chinese; the English words exist (the phrasebooks hold the same keys)."""
    return _section("en" if lang == "en" else "zh", "staff")
