"""The self-check session: its typed state, the named actions of its buttons, and the one callback parser.

A questionnaire button carries ``c:<sid>:<n>:<action>[:<arg>]``: the questionnaire it belongs to (``sid``)
and the step it was shown at (``n``), so a button from an older message, a double tap or a button from
another questionnaire is recognised as stale. Callback data is short ASCII that always fits Telegram's 64 bytes.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from screening.questionnaire import new_state

Screen = Literal["question", "review"]


class Action(StrEnum):
    """What a questionnaire button does; the value is its code in the callback data."""

    ANSWER = "a"  # arg: the option's index
    UNSURE = "u"
    TOGGLE = "t"  # arg: an achievement code
    DONE = "d"  # the multi-select's draft is the answer
    NONE = "0"  # none of the achievements applies
    BACK = "b"
    NOT_SURE = "n"  # arg: the index in FACT_ORDER of an answer that excluded; it becomes 不确定
    RESTART = "x"
    REVIEW = "v"
    CONTINUE = "c"
    EDIT = "e"  # arg: the index in FACT_ORDER of the answer to change
    DETAILS = "i"  # show or hide the full text of the listed conditions


_PRESS = re.compile(r"^c:([0-9a-f]{6}):(\d{1,9}):([a-z0-9])(?::([A-Za-z0-9]{1,12}))?$")


@dataclass(frozen=True)
class Press:
    """A parsed questionnaire button: ``c:<sid>:<n>:<action>[:<arg>]``."""

    sid: str
    n: int
    action: Action
    arg: str = ""

    @property
    def index(self) -> int:
        """The argument as a small index, or -1 when it is not one."""
        return int(self.arg) if self.arg.isdigit() and len(self.arg) <= 3 else -1


def parse_press(data: str) -> Press | None:
    """The one parser of questionnaire callback data; None for anything malformed or forged."""
    m = _PRESS.match(data or "")
    if m is None:
        return None
    try:
        action = Action(m.group(3))
    except ValueError:
        return None
    return Press(m.group(1), int(m.group(2)), action, m.group(4) or "")


def button_data(sid: str, n: int, action: Action, arg: object = "") -> str:
    return f"c:{sid}:{n}:{action.value}" + (f":{arg}" if arg != "" else "")


@dataclass(frozen=True)
class Session:
    """One user's self-check: the questionnaire state and where the conversation about it stands."""

    state: dict[str, Any] = field(default_factory=new_state)
    sid: str = field(default_factory=lambda: secrets.token_hex(3))
    n: int = 0
    editing: str | None = None
    screen: Screen = "question"
    details: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"state": self.state, "sid": self.sid, "n": self.n, "editing": self.editing, "screen": self.screen,
                "details": self.details}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Session:
        screen: Screen = "review" if data.get("screen") == "review" else "question"
        return cls(state=data.get("state") or new_state(), sid=str(data.get("sid", "000000")), n=int(data.get("n", 0)),
                   editing=data.get("editing"), screen=screen, details=bool(data.get("details", False)))
