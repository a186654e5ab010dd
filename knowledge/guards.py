"""Guards: named rules, held as data (guards.toml), that decide a question is not answered from this notice.

Each guard is like a criterion: a name, why it exists, the condition it reads over the reading of the
question, and examples it must refuse and must still answer (tests/test_guards.py runs them all as one table).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from knowledge.normalize import fold
from knowledge.reading import Reading

Say = Literal["off_topic", "elsewhere", "other_city", "other_round", "other_scheme", "not_stated"]


class Condition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    subjects: list[str] = []
    no_subjects: list[str] = []
    attributes: list[str] = []
    no_attributes: list[str] = []
    words: list[str] = []
    no_words: list[str] = []
    patterns: list[str] = []
    other_round: bool = False

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"not a regular expression: {pattern!r} ({exc})") from exc
        return patterns


class Guard(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    why: str
    when: Condition
    say: Say | None = None
    entry: str | None = None  # a FAQ entry (kind "gap") that says what the notice leaves out
    refuse: list[str] = Field(min_length=1)
    answer: list[str] = []


class _GuardsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    guard: list[Guard]


def load_guards(path: Path) -> list[Guard]:
    guards = _GuardsFile.model_validate(tomllib.loads(path.read_text("utf-8"))).guard
    for g in guards:
        if (g.say is None) == (g.entry is None):
            raise ValueError(f"guard {g.name}: give exactly one of say and entry")
    return guards


@dataclass(frozen=True)
class _Words:
    """A word list compiled once: Chinese words as substrings, English words in one whole-word pattern."""

    chinese: tuple[str, ...]
    english: re.Pattern[str] | None

    @classmethod
    def of(cls, words: list[str]) -> _Words:
        folded = [fold(w) for w in words]
        latin = [re.escape(w) for w in folded if w.isascii()]
        return cls(tuple(w for w in folded if not w.isascii()),
                   re.compile(rf"(?<![a-z])(?:{'|'.join(latin)})(?![a-z])") if latin else None)

    def __bool__(self) -> bool:
        return bool(self.chinese) or self.english is not None

    def found_in(self, text: str) -> bool:
        return any(w in text for w in self.chinese) or (self.english is not None and bool(self.english.search(text)))


@dataclass(frozen=True)
class _Compiled:
    guard: Guard
    words: _Words
    no_words: _Words
    patterns: tuple[re.Pattern[str], ...]


class Guards:
    """The guards in their file's order; ``check`` returns the first that holds, or None."""

    def __init__(self, guards: list[Guard]) -> None:
        self.guards = guards
        self._compiled = [_Compiled(g, _Words.of(g.when.words), _Words.of(g.when.no_words),
                                    tuple(re.compile(p) for p in g.when.patterns)) for g in guards]

    def check(self, reading: Reading, base_year: int) -> Guard | None:
        for c in self._compiled:
            if self._holds(c, reading, base_year):
                return c.guard
        return None

    @staticmethod
    def _holds(c: _Compiled, r: Reading, base_year: int) -> bool:
        w = c.guard.when
        if w.subjects and not r.subjects.intersection(w.subjects):
            return False
        if w.no_subjects and r.subjects.intersection(w.no_subjects):
            return False
        if w.attributes and not r.attributes.intersection(w.attributes):
            return False
        if w.no_attributes and r.attributes.intersection(w.no_attributes):
            return False
        if c.words and not c.words.found_in(r.text):
            return False
        if c.no_words and c.no_words.found_in(r.text):
            return False
        if c.patterns and not any(p.search(r.text) for p in c.patterns):
            return False
        return not (w.other_round and not (r.years - {base_year}))
