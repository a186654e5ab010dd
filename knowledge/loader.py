"""Load and validate the knowledge: one round's notice and facts, and the generic data every round shares.

A round directory holds ``notice.txt`` (verbatim) and ``facts.toml`` (what ``python -m bot import-notice``
writes). The generic files (``faq.toml``, ``lexicon.toml``, ``vocabulary.toml``, ``guards.toml``) are read from
the same directory when staff put a copy there, else from the packaged data. A knowledge directory holds one
round, or several under ``rounds/<name>/``. Everything is checked at load time (pydantic shapes, then
cross-references, then every answer template rendered against the round's facts), so a bad edit fails loudly
before it can serve a wrong answer.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from knowledge.clauses import Clause, parse_document, split_documents
from knowledge.guards import Guard, load_guards
from knowledge.models import Document, Facts, FaqEntry, Lexicon
from knowledge.phrasebook import phrases
from knowledge.reading import Vocabulary, load_vocabulary
from knowledge.render import MissingFact, Renderer

NOTICE = "notice.txt"
FACTS = "facts.toml"


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
    """One round's validated knowledge: clauses by id, facts, FAQ (questions rendered for this round), and
    the shared vocabulary, guards and lexicon."""

    documents: list[Document]
    clauses: dict[str, Clause]
    facts: Facts
    faq: list[FaqEntry]
    lexicon: Lexicon
    vocabulary: Vocabulary
    guards: list[Guard]
    source: Path | None = None

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

    @property
    def issued(self) -> dt.date:
        return self.main_document.issued

    def has_fact(self, ref: str) -> bool:
        """Whether the round has a fact named like ``deadline:city``, ``contact:city`` or ``doc:city``."""
        kind, _, ident = ref.partition(":")
        if kind == "deadline":
            return any(d.id == ident for d in self.facts.deadlines)
        if kind == "contact":
            return self.facts.has_contact(ident)
        if kind == "quota":
            return any(q.id == ident for q in self.facts.quotas)
        if kind == "doc":
            return self.city_document is not None if ident == "city" else True
        return False


def data_dir() -> Path:
    """The packaged data: the generic files and ``rounds/``."""
    return Path(str(resources.files("knowledge").joinpath("data")))


def round_dirs(directory: Path) -> list[Path]:
    """The round directories a knowledge directory holds: itself, or each of ``rounds/*``."""
    if (directory / FACTS).is_file():
        return [directory]
    rounds = directory / "rounds"
    found = sorted(p for p in rounds.iterdir() if (p / FACTS).is_file()) if rounds.is_dir() else []
    if not found:
        raise KnowledgeError(f"{directory}: no {FACTS} here nor under rounds/")
    return found


def _generic(name: str, *places: Path) -> Path:
    for place in places:
        if (place / name).is_file():
            return place / name
    return data_dir() / name


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


def load_rounds(directory: Path | None = None) -> list[KnowledgeBase]:
    """Every round of a knowledge directory (the packaged data by default), oldest first."""
    directory = directory or data_dir()
    rounds = [load_round(path, directory) for path in round_dirs(directory)]
    return sorted(rounds, key=lambda kb: kb.issued)


def load(directory: Path | None = None) -> KnowledgeBase:
    """The latest round of a knowledge directory (the packaged data by default)."""
    return load_rounds(directory)[-1]


def load_round(path: Path, home: Path | None = None) -> KnowledgeBase:
    """Read, validate and cross-check one round; generic files come from the round, its home, or the package."""
    places = [path, *([home] if home else [])]
    facts_file = _validate(_FactsFile, _read_toml(path / FACTS), FACTS)
    faq_file = _validate(_FaqFile, _read_toml(_generic("faq.toml", *places)), "faq.toml")
    lexicon = _validate(Lexicon, _read_toml(_generic("lexicon.toml", *places)), "lexicon.toml")
    assert isinstance(facts_file, _FactsFile) and isinstance(faq_file, _FaqFile) and isinstance(lexicon, Lexicon)
    try:
        vocabulary = load_vocabulary(_generic("vocabulary.toml", *places))
        guards = load_guards(_generic("guards.toml", *places))
    except (OSError, ValueError, tomllib.TOMLDecodeError) as exc:
        raise KnowledgeError(f"vocabulary.toml or guards.toml: {exc}") from exc
    try:
        notice = (path / NOTICE).read_text("utf-8")
        parts = split_documents(notice, [d.number for d in facts_file.documents])
    except (OSError, ValueError) as exc:
        raise KnowledgeError(f"{NOTICE}: {exc}") from exc
    clauses: dict[str, Clause] = {}
    for doc in facts_file.documents:
        for clause in parse_document(doc.number, parts[doc.number], doc.prefix):
            clauses[clause.id] = clause

    kb = KnowledgeBase(documents=facts_file.documents, clauses=clauses, facts=facts_file.facts, faq=[],
                       lexicon=lexicon, vocabulary=vocabulary, guards=guards, source=path)
    kb = dataclasses.replace(kb, faq=prepare(kb, faq_file.faq))
    _cross_check(kb)
    return kb


def extend(kb: KnowledgeBase, entries: list[FaqEntry]) -> KnowledgeBase:
    """The same knowledge with more FAQ entries (from the criteria), prepared and cross-checked again."""
    extended = dataclasses.replace(kb, faq=[*kb.faq, *prepare(kb, entries)])
    _cross_check(extended)
    return extended


def prepare(kb: KnowledgeBase, entries: list[FaqEntry]) -> list[FaqEntry]:
    """The entries this round can answer, with their question variants and topic rendered for it.

    An entry whose ``needs`` the round lacks is left out; a question variant naming a missing fact is left
    out; an answer that names a missing fact (on a line that is not optional) is an error.
    """
    prepared = []
    problems = []
    for e in entries:
        if not all(kb.has_fact(ref) for ref in e.needs):
            continue
        zh = Renderer(kb.facts, kb.documents, kb.issued, phrases("zh"))
        en = Renderer(kb.facts, kb.documents, kb.issued, phrases("en"))
        try:
            zh.render(e.answer)
            if e.answer_en:
                en.render(e.answer_en)
            topic = zh.render(e.topic)
        except MissingFact as exc:
            problems.append(f"faq {e.id}: the answer names {exc.args[0]}, which this round does not have")
            continue
        prepared.append(e.model_copy(update={
            "topic": topic, "questions": _render_all(zh, e.questions) or e.questions[:1],
            "questions_en": _render_all(en, e.questions_en), "clauses": city_clauses(kb, e.clauses)}))
    if problems:
        raise KnowledgeError("; ".join(problems))
    return prepared


def city_clauses(kb: KnowledgeBase, clause_ids: list[str]) -> list[str]:
    """The clause ids with the city letter's named for this round's letter.

    The FAQ cites the forwarding letter's paragraphs by the packaged round's prefix (``yq.1``); another city's
    letter has its own prefix (``jc.1``), and a round without a city letter has none, so those citations go.
    An id this round has, or one without a letter prefix, stays as written (a wrong one still fails the check).
    """
    city = kb.city_document
    out = []
    for cid in clause_ids:
        head, _, rest = cid.partition(".")
        if cid in kb.clauses or not (rest and head.isalpha() and head.isascii()):
            out.append(cid)
        elif city is not None:
            out.append(f"{city.prefix}.{rest}")
    return out


def _render_all(renderer: Renderer, templates: list[str]) -> list[str]:
    out = []
    for template in templates:
        try:
            out.append(renderer.render(template))
        except MissingFact:
            continue
    return out


def _squash(text: str) -> str:
    return "".join(text.split())


def _cross_check(kb: KnowledgeBase) -> None:
    """Every reference resolves and every quote is verbatim; ids are unique; annotations name known words."""
    problems: list[str] = []
    seen: set[str] = set()
    attributes, subjects = set(kb.vocabulary.attributes), set(kb.vocabulary.subjects) | {"place.own_city"}
    for entry in kb.faq:
        if entry.id in seen:
            problems.append(f"faq {entry.id}: duplicate id")
        seen.add(entry.id)
        problems += [f"faq {entry.id}: unknown clause {c}" for c in entry.clauses if c not in kb.clauses]
        problems += [f"faq {entry.id}: unknown attribute {a}" for a in entry.answers if a not in attributes]
        problems += [f"faq {entry.id}: unknown subject {s}" for s in entry.about if s not in subjects]
        if entry.questions_en and not entry.answer_en:
            problems.append(f"faq {entry.id}: English questions but no answer_en")
    facts = kb.facts
    cited = [(item.id, item.clause) for items in (facts.deadlines, facts.contacts, facts.quotas, facts.materials)
             for item in items]
    cited += [(step.text, step.clause) for step in facts.procedure]
    cited.append(("round.cutoff_clause", facts.round.cutoff_clause))
    problems += [f"facts: {name}: unknown clause {clause}" for name, clause in cited if clause not in kb.clauses]
    for deadline in facts.deadlines:
        if deadline.clause in kb.clauses and _squash(deadline.quote) not in _squash(kb.clauses[deadline.clause].text):
            problems.append(f"deadline {deadline.id}: quote not found in clause {deadline.clause}")
    problems += [f"guard {g.name}: unknown entry {g.entry}" for g in kb.guards if g.entry and g.entry not in seen]
    if problems:
        raise KnowledgeError("; ".join(problems))
