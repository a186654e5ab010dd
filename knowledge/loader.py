"""Load and validate the knowledge data: the notice's clauses, facts, FAQ and lexicon.

Everything is checked at load time (pydantic shapes, then cross-references), so a bad edit fails loudly
before it can serve a wrong answer. ``load()`` reads the packaged data; ``load(path)`` a copy staff edit.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from knowledge.clauses import Clause, parse_document, split_documents
from knowledge.models import Document, Facts, FaqEntry, Lexicon


class KnowledgeError(ValueError):
    """The knowledge data does not validate; the message names the file and the problem."""


class _FactsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    documents: list[Document]
    facts: Facts


class _FaqFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    faq: list[FaqEntry]


@dataclass(frozen=True)
class KnowledgeBase:
    """The validated knowledge: look clauses up by id, read facts, FAQ and lexicon."""

    documents: list[Document]
    clauses: dict[str, Clause]
    facts: Facts
    faq: list[FaqEntry]
    lexicon: Lexicon

    def clause(self, clause_id: str) -> Clause:
        return self.clauses[clause_id]

    def citation(self, clause_id: str) -> str:
        return self.clauses[clause_id].citation

    @property
    def main_document(self) -> Document:
        return next(d for d in self.documents if not d.prefix)

    @property
    def city_document(self) -> Document | None:
        """The forwarding letter of a city, when the notice came through one."""
        return next((d for d in self.documents if d.prefix and d.place), None)


def data_dir() -> Path:
    return Path(str(resources.files("knowledge").joinpath("data")))


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise KnowledgeError(f"{path.name}: {exc}") from exc


def _validate(model: type[BaseModel], data: dict, name: str) -> BaseModel:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise KnowledgeError(f"{name}: {where}: {first['msg']} ({exc.error_count()} error(s))") from exc


def load(directory: Path | None = None) -> KnowledgeBase:
    """Read, validate and cross-check the data files in ``directory`` (the packaged data by default)."""
    directory = directory or data_dir()
    facts_file = _validate(_FactsFile, _read_toml(directory / "facts.toml"), "facts.toml")
    faq_file = _validate(_FaqFile, _read_toml(directory / "faq.toml"), "faq.toml")
    lexicon = _validate(Lexicon, _read_toml(directory / "lexicon.toml"), "lexicon.toml")
    assert isinstance(facts_file, _FactsFile) and isinstance(faq_file, _FaqFile) and isinstance(lexicon, Lexicon)

    try:
        notice = (directory / "notice-2024.txt").read_text("utf-8")
    except OSError as exc:
        raise KnowledgeError(f"notice-2024.txt: {exc}") from exc
    try:
        parts = split_documents(notice, [d.number for d in facts_file.documents])
    except ValueError as exc:
        raise KnowledgeError(f"notice-2024.txt: {exc}") from exc
    clauses: dict[str, Clause] = {}
    for doc in facts_file.documents:
        for clause in parse_document(doc.number, parts[doc.number], doc.prefix):
            clauses[clause.id] = clause

    kb = KnowledgeBase(
        documents=facts_file.documents,
        clauses=clauses,
        facts=facts_file.facts,
        faq=faq_file.faq,
        lexicon=lexicon,
    )
    _cross_check(kb)
    return kb


def extend(kb: KnowledgeBase, entries: list[FaqEntry]) -> KnowledgeBase:
    """The same knowledge with more FAQ entries (from the criteria), cross-checked again."""
    extended = dataclasses.replace(kb, faq=[*kb.faq, *entries])
    _cross_check(extended)
    return extended


def _squash(text: str) -> str:
    return "".join(text.split())


def _cross_check(kb: KnowledgeBase) -> None:
    """Every reference resolves and every quote is verbatim; ids are unique."""
    problems: list[str] = []
    seen: set[str] = set()
    for entry in kb.faq:
        if entry.id in seen:
            problems.append(f"faq {entry.id}: duplicate id")
        seen.add(entry.id)
        problems += [f"faq {entry.id}: unknown clause {c}" for c in entry.clauses if c not in kb.clauses]
        if entry.questions_en and not entry.answer_en:
            problems.append(f"faq {entry.id}: English questions but no answer_en")
    facts = kb.facts
    cited = [(item.id, item.clause) for items in (facts.deadlines, facts.contacts, facts.quotas, facts.materials)
             for item in items]
    cited += [(step.text, step.clause) for step in facts.procedure]
    problems += [f"facts: {name}: unknown clause {clause}" for name, clause in cited if clause not in kb.clauses]
    for deadline in facts.deadlines:
        if deadline.clause in kb.clauses and _squash(deadline.quote) not in _squash(kb.clauses[deadline.clause].text):
            problems.append(f"deadline {deadline.id}: quote not found in clause {deadline.clause}")
    if problems:
        raise KnowledgeError("; ".join(problems))
