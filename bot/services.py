"""One factory wiring the core: the knowledge base, the answering engine and the screening criteria.

The Telegram bot, the console and the command line all build their services here, so they answer alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from knowledge.engine import Engine
from knowledge.loader import KnowledgeBase, extend, load
from screening.chat import Chat
from screening.faq import condition_words, criteria_faq
from screening.questionnaire import statement_reader
from screening.rules import Criteria, load_criteria


@dataclass(frozen=True)
class Services:
    kb: KnowledgeBase
    engine: Engine
    criteria: Criteria
    chat: Chat


def build_services(data_dir: Path | None = None, criteria_path: Path | None = None) -> Services:
    """Load and validate everything; raises KnowledgeError or CriteriaError on bad data."""
    base = load(data_dir)
    criteria = load_criteria(base, criteria_path)
    kb = extend(base, criteria_faq(criteria))  # the one knowledge base in service: the notice's and the rules'
    engine = Engine(kb, extra_words=condition_words(criteria))
    return Services(kb=kb, engine=engine, criteria=criteria, chat=Chat(engine, criteria, statement_reader(criteria)))
