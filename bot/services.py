"""One factory wiring the core: the knowledge base, the answering engine and the screening criteria, per round.

The Telegram bot, the console, the web page and the command line all build their services here, so they
answer alike. A knowledge directory may hold several rounds (``rounds/<name>/``): the current one is the
latest whose notice has been issued by today; a question that names an earlier round's year (2024年那次,
上一轮) is answered from that round, and says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from knowledge.engine import Engine
from knowledge.loader import KnowledgeBase, extend, load_rounds
from knowledge.phrasebook import phrases
from screening.chat import Chat, ChatReply, ChatState
from screening.faq import condition_words, criteria_faq, field_people, workplaces
from screening.questionnaire import statement_reader
from screening.rules import Criteria, load_criteria


@dataclass(frozen=True)
class Services:
    """One round's knowledge, engine, criteria and conversation; ``rounds`` holds every round loaded."""

    kb: KnowledgeBase
    engine: Engine
    criteria: Criteria
    chat: Chat
    rounds: tuple[Services, ...] = field(default=(), repr=False, compare=False)

    @property
    def year(self) -> int:
        return self.kb.facts.round.year

    def at(self, today: dt.date) -> Services:
        """The round in service on ``today``: the latest issued by then (the earliest, before any was)."""
        issued = [r for r in self.rounds if r.kb.issued <= today]
        chosen = issued[-1] if issued else (self.rounds[0] if self.rounds else self)
        return replace(chosen, rounds=self.rounds)

    def reply(self, state: ChatState | None, text: str, today: dt.date, now: dt.datetime) -> ChatReply:
        """One conversation turn, answered from the round in service, or from the earlier round it names."""
        current = self.at(today)
        named = current.engine.read(text).years - {current.year}
        earlier = next((r for r in current.rounds if r.year in named), None)
        if earlier is None:
            return current.chat.reply(state, text, today, now)
        answer = earlier.chat.reply(state, text, today, now)
        doc = earlier.kb.main_document
        note = phrases("en" if answer.answer.english else "zh")("bot.earlier_round", year=earlier.year,
                                                               number=doc.number)
        return replace(answer, answer=replace(answer.answer, answer=f"{note}\n{answer.answer.answer}"))


def _one_round(base: KnowledgeBase, criteria_path: Path | None) -> Services:
    criteria = load_criteria(base, criteria_path)
    kb = extend(base, criteria_faq(criteria))  # the one knowledge base in service: the notice's and the rules'
    engine = Engine(kb, extra_words=condition_words(criteria), plain_words=workplaces(criteria),
                    people_words=field_people(criteria))
    return Services(kb=kb, engine=engine, criteria=criteria, chat=Chat(engine, criteria, statement_reader(criteria)))


def build_services(data_dir: Path | None = None, criteria_path: Path | None = None,
                   today: dt.date | None = None) -> Services:
    """Load and validate every round; raises KnowledgeError or CriteriaError on bad data. The services returned
    are the round in service on ``today`` (the real date by default), with every round at hand."""
    rounds = tuple(_one_round(kb, criteria_path) for kb in load_rounds(data_dir))
    first = replace(rounds[-1], rounds=rounds)
    return first.at(today or dt.date.today())
