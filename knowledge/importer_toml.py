"""Write a round's facts as TOML in the shape and order of the hand-written ``facts.toml``.

tomllib only reads; the facts hold strings, ints, bools, dates and lists of strings, which this writes. A value
may carry a note (where the notice states it), written as a comment after it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Noted:
    """A value with a comment to write after it."""

    value: object
    note: str


def value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)  # JSON's escapes are TOML's (it never writes \/)
    if isinstance(v, list):
        return "[" + ", ".join(value(x) for x in v) + "]"
    raise TypeError(f"cannot write {type(v).__name__} as TOML")


def table(items: dict[str, object]) -> list[str]:
    """The key = value lines of one table, None values left out, notes as comments."""
    lines = []
    for key, v in items.items():
        note = v.note if isinstance(v, Noted) else ""
        v = v.value if isinstance(v, Noted) else v
        if v is None:
            continue
        line = f"{key} = {value(v)}"
        lines.append(f"{line:<34}# {note}" if note else line)
    return lines


def section(title: str) -> str:
    return f"# {'-' * 64} {title}"


def dumps(header: str, documents: list[dict[str, object]], facts: dict[str, object]) -> str:
    """The whole file: a header comment, the documents, then the facts by section."""
    out = [f"# {line}" if line else "#" for line in header.splitlines()]
    for doc in documents:
        out += ["", "[[documents]]", *table(doc)]
    out += ["", section("the round's numbers and dates"), "[facts.round]", *table(facts["round"])]  # type: ignore[arg-type]
    for name in ("deadlines", "contacts", "quotas", "materials", "procedure"):
        items = facts[name]
        assert isinstance(items, list)
        out += ["", section(name)]
        for item in items:
            out += [f"[[facts.{name}]]", *table(item), ""]
        if items:
            out.pop()
    return "\n".join(out) + "\n"
