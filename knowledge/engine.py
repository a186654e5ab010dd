"""Answer a question about the notice: answer with citations, ask to clarify, or refuse and name a contact.

A pure function of the knowledge base, the question and today's date. Ranking is BM25 over FAQ variants,
answers and the notice's clauses; the decision rests on how much of the question the best entry covers,
because a confident wrong answer is the worst outcome.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz, process

from knowledge.index import Bm25
from knowledge.loader import KnowledgeBase
from knowledge.models import FaqEntry
from knowledge.normalize import Normalizer, content_grams, fold, is_english
from knowledge.phrasebook import phrases
from knowledge.render import render, render_contact

Kind = Literal["answer", "clarify", "refuse"]
CLAUSE_PREFIX = "clause:"
PREVIEW = 300  # characters of each option shown when asking which one is meant


@dataclass(frozen=True)
class Thresholds:
    """Decision thresholds, tuned on the example and probe questions (tests/test_engine.py, bench/retrieval.py)."""

    min_coverage: float = 0.5  # share of the question's content the whole knowledge base must cover
    min_entry_coverage: float = 0.3  # …and the best entry itself
    clarify_ratio: float = 0.93  # a runner-up this close to the best makes the engine ask
    clarify_min_coverage: float = 0.75  # …and it must cover the question nearly as well
    alternatives_ratio: float = 0.8  # …or this close when the question offers alternatives (A还是B, A or B)
    covering_ratio: float = 0.5  # a runner-up that covers the question may replace a best that does not
    near_exact: float = 90.0  # rapidfuzz ratio to a variant that settles the match outright
    clause_weight: float = 0.75  # clauses rank below curated answers on equal terms
    answer_weight: float = 0.6  # an answer's own text counts less than its question variants
    unigram_weight: float = 1.0  # measured: 0.5 or 0.3 lose 3-4 of the 239 example and probe cases


@dataclass(frozen=True)
class Answer:
    """What the engine decided; the JSON contract is ``as_json()``."""

    found: bool
    answer: str
    sources: list[str]
    citations: list[str]
    score: float
    kind: Kind
    options: list[str] = field(default_factory=list)  # labels, when asking to clarify
    option_ids: list[str] = field(default_factory=list)
    entry_id: str | None = None
    english: bool = False

    def as_json(self) -> dict[str, object]:
        return {
            "found": self.found,
            "answer": self.answer,
            "sources": self.sources,
            "citations": self.citations,
            "score": round(self.score, 4),
            "options": self.options,
            "kind": self.kind,
            "entry": self.entry_id,
            "option_ids": self.option_ids,
        }


@dataclass
class _Side:
    """One language's index and normaliser."""

    normalizer: Normalizer
    bm25: Bm25
    vocab: dict[str, set[str]]
    all_vocab: set[str]
    variants: list[str]
    variant_owner: list[str]
    by_owner: dict[str, list[str]]  # each entry's normalised variants, for the tie-break


class Engine:
    """Built once per knowledge base (cheap: well under a second); ``ask`` is the hot path."""

    def __init__(self, kb: KnowledgeBase, thresholds: Thresholds | None = None) -> None:
        self.kb = kb
        self.t = thresholds or Thresholds()
        self.entries: dict[str, FaqEntry] = {e.id: e for e in kb.faq}
        lex = kb.lexicon
        self._oos = tuple(fold(w) for w in lex.out_of_scope)
        self._anchors = tuple(fold(w) for w in lex.anchors)
        self._other_schemes = tuple(fold(w) for w in lex.other_schemes)
        self._own_scheme = tuple(fold(w) for w in lex.own_scheme)
        self._off_topic_patterns = tuple(re.compile(p) for p in lex.off_topic_patterns)
        self._elsewhere = tuple(fold(w) for w in lex.elsewhere)
        self._about_people = tuple(fold(w) for w in lex.about_people)
        self._own_region = tuple(fold(w) for w in lex.own_region)
        self._other_cities = tuple(fold(w) for w in lex.other_cities)
        self._relative_years = {fold(k): v for k, v in lex.relative_years.items()}
        self._personal_year = tuple(fold(w) for w in lex.personal_year_words)
        self._alternatives = re.compile("|".join(re.escape(fold(w)) for w in lex.alternatives) or "(?!)")
        self._junction = frozenset(lex.function_chars)
        # a Chinese question may carry English words (专技处 phone): the English stop words go there too
        zh = Normalizer(tuple(tuple(g) for g in lex.synonyms), tuple(lex.fillers), frozenset(lex.stopwords_en))
        en = Normalizer(tuple(tuple(g) for g in lex.synonyms_en), tuple(lex.fillers_en), frozenset(lex.stopwords_en),
                        english=True)
        self._zh = self._build(zh, english=False)
        self._en = self._build(en, english=True)

    # ------------------------------------------------------------------ index
    def _build(self, norm: Normalizer, english: bool) -> _Side:
        bm25 = Bm25()
        variants: list[str] = []
        owners: list[str] = []
        for e in self.kb.faq:
            questions = e.questions_en if english else [*e.questions, e.topic]
            if not questions:
                continue
            for q in questions:
                bm25.add(e.id, norm.tokens(q))
                variants.append(norm.text(q))
                owners.append(e.id)
            answer = e.answer_en if english else e.answer
            bm25.add(e.id, norm.tokens(re.sub(r"\{[^}]*\}", " ", answer)), self.t.answer_weight)
        if not english:
            for clause in self.kb.clauses.values():
                if len(clause.text) > len(clause.label) + len(clause.heading) + 4:
                    bm25.add(CLAUSE_PREFIX + clause.id, norm.tokens(clause.text), self.t.clause_weight)
        bm25.freeze(damped=frozenset(t for term in self.kb.lexicon.generic_terms for t in norm.tokens(term)))
        vocab = bm25.vocabularies()
        by_owner: dict[str, list[str]] = {}
        for variant, owner in zip(variants, owners, strict=True):
            by_owner.setdefault(owner, []).append(variant)
        return _Side(norm, bm25, vocab, set().union(*vocab.values()), variants, owners, by_owner)

    # ------------------------------------------------------------------ asking
    def ask(self, question: str, today: dt.date) -> Answer:
        """Decide: answer, clarify or refuse."""
        english = is_english(question)
        side = self._en if english else self._zh
        folded = fold(question)
        tokens = side.normalizer.tokens(question)
        if not tokens:
            greeting = next((e.id for e in self.kb.faq if e.kind == "chitchat"), None)
            if greeting and re.search(r"\w", folded):  # only fillers (你好, 请问): a greeting, not silence
                return self.answer_entry(greeting, today, english)
            return self._refuse(english, empty=True)
        normalized = side.normalizer.text(question)
        if all(t.isdigit() for t in tokens):  # a bare number is not a question
            return self._refuse(english, normalized=normalized)
        if self._off_topic(folded, normalized):
            return self._refuse(english, normalized=normalized)

        scores = side.bm25.scores(tokens, self.t.unigram_weight)
        if not scores:
            return self._refuse(english, normalized=normalized)
        exact = process.extractOne(normalized, side.variants, scorer=fuzz.ratio, score_cutoff=self.t.near_exact)
        if exact is not None:
            reply = self.answer_entry(side.variant_owner[exact[2]], today, english, score=exact[1] / 100)
            return reply if self._grounded(folded, reply) else self._refuse(english, normalized=normalized)

        ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)[:5]
        ranked = self._tie_break(normalized, ranked, side)
        grams = content_grams(tokens)
        best_id, best = ranked[0]
        coverage = side.bm25.coverage(grams, side.vocab[best_id], self._junction)
        if coverage < self.t.min_entry_coverage:  # ranked first on rare characters, but does not cover the question
            best_id, best, coverage = self._covering(ranked, grams, side, best) or (best_id, best, coverage)
        overall = side.bm25.coverage(grams, side.all_vocab, self._junction)
        if overall < self.t.min_coverage or coverage < self.t.min_entry_coverage:
            return self._refuse(english, score=min(overall, coverage), normalized=normalized)

        reply = self.answer_entry(best_id, today, english, score=coverage)
        if not self._grounded(folded, reply):
            return self._refuse(english, score=coverage, normalized=normalized)

        floor = max(self.t.clarify_min_coverage, coverage - 0.05)
        ratio = self.t.clarify_ratio
        if self._alternatives.search(normalized):  # 专技处还是职建处: the asker names two things, show both
            floor, ratio = min(floor, coverage - 0.15), self.t.alternatives_ratio
        close = [
            oid for oid, s in ranked[1:3]
            if s >= ratio * best
            and self._topic(oid) != self._topic(best_id)
            and side.bm25.coverage(grams, side.vocab[oid], self._junction) >= floor
        ]
        if close:
            return self._clarify([reply, *(self.answer_entry(o, today, english) for o in close)], english, coverage)
        return reply

    def _grounded(self, folded: str, answer: Answer) -> bool:
        """The answer is about what was asked: no other round's year, no other city's local arrangements."""
        if any(city in folded for city in self._other_cities) and answer.sources[:1] and \
                answer.sources[0].startswith("yq."):
            return False
        if any(w in folded for w in self._personal_year):
            return True
        base = self.kb.main_document.issued.year
        years = {int(y) for y in re.findall(r"(?<!\d)(20[1-3]\d)(?!\d)", folded)}
        years |= {base + shift for word, shift in self._relative_years.items() if word in folded}
        if years <= {base}:
            return True
        cited = answer.answer + "".join(self.kb.clause(c).text for c in answer.sources)
        return all(y == base or str(y) in cited for y in years)

    def _covering(self, ranked: list[tuple[str, float]], grams: list[str], side: _Side,
                  best: float) -> tuple[str, float, float] | None:
        """The best-scoring runner-up that does cover the question, if it scores at least half as well."""
        for owner, score in ranked[1:]:
            if score < self.t.covering_ratio * best:
                break
            coverage = side.bm25.coverage(grams, side.vocab[owner], self._junction)
            if coverage >= self.t.min_entry_coverage:
                return owner, score, coverage
        return None

    def _off_topic(self, folded: str, normalized: str) -> bool:
        """Names another service (社保, 公积金 …) or scheme (省政府特殊津贴), or asks how to obtain a credential
        (专利怎么申请), and names nothing of this allowance."""
        if any(w in folded for w in self._other_schemes) and not any(w in folded for w in self._own_scheme):
            return True
        if any(w in folded for w in self._elsewhere) and not any(w in folded for w in self._own_region):
            return True
        if any(w in folded for w in self._about_people):
            return True
        if any(a in folded or a in normalized for a in self._anchors):
            return False
        if any(p.search(folded) for p in self._off_topic_patterns):
            return True
        for word in self._oos:
            if word.isascii():
                if re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", folded):
                    return True
            elif word in folded:
                return True
        return False

    def _tie_break(self, normalized: str, ranked: list[tuple[str, float]], side: _Side) -> list[tuple[str, float]]:
        """Nudge near-equal BM25 scores by surface similarity to each entry's closest variant."""
        top = ranked[0][1]
        adjusted = []
        for owner, score in ranked:
            sim = max((fuzz.ratio(normalized, v) for v in side.by_owner.get(owner, ())), default=0.0)
            adjusted.append((owner, score + 0.04 * top * sim / 100))
        return sorted(adjusted, key=lambda kv: kv[1], reverse=True)

    def _topic(self, owner: str) -> str:
        if owner.startswith(CLAUSE_PREFIX):
            return owner
        return self.entries[owner].id.split(".")[0] + ":" + self.entries[owner].topic

    # ------------------------------------------------------------------ rendering
    def answer_entry(self, owner: str, today: dt.date, english: bool = False, score: float = 1.0) -> Answer:
        """The full answer of one entry (also used when the user picks a clarification option)."""
        if owner.startswith(CLAUSE_PREFIX):
            clause = self.kb.clause(owner.removeprefix(CLAUSE_PREFIX))
            text = phrases("en" if english else "zh")("engine.clause_answer", label=clause.label, text=clause.text)
            return Answer(True, text, [clause.id], [clause.citation], score, "answer", entry_id=owner,
                          english=english)
        entry = self.entries[owner]
        template = entry.answer_en if english and entry.answer_en else entry.answer
        text, used = render(template, self.kb.facts, today, english=english and bool(entry.answer_en))
        sources = list(dict.fromkeys([*entry.clauses, *used]))
        citations = [self.kb.citation(c) for c in sources]
        if entry.kind == "gap":
            text = f"{text}\n{self._contact_hint(english)}"
            return Answer(False, text, sources, citations, score, "refuse", entry_id=owner, english=english)
        if entry.kind == "chitchat":
            return Answer(False, text, [], [], score, "refuse", entry_id=owner, english=english)
        return Answer(True, text, sources, citations, score, "answer", entry_id=owner, english=english)

    def _clarify(self, answers: list[Answer], english: bool, score: float) -> Answer:
        """Ask which of these was meant, with the start of each answer."""
        pb = phrases("en" if english else "zh")
        owners = [a.entry_id or "" for a in answers]
        labels = [self.label(o, english) for o in owners]
        previews = [pb("engine.option", n=n, label=label, preview=a.answer.replace(chr(10), " ")[:PREVIEW])
                    for n, (label, a) in enumerate(zip(labels, answers, strict=True), 1)]
        head = pb("engine.clarify")
        sources = list(dict.fromkeys(s for a in answers for s in a.sources))
        return Answer(True, head + "\n" + "\n".join(previews), sources, [self.kb.citation(s) for s in sources],
                      score, "clarify", options=labels, option_ids=owners, english=english)

    def label(self, owner: str, english: bool = False) -> str:
        """A short name for an entry, for buttons and lists."""
        if owner.startswith(CLAUSE_PREFIX):
            label = self.kb.clause(owner.removeprefix(CLAUSE_PREFIX)).label
            return phrases("en" if english else "zh")("engine.clause_label", label=label)
        entry = self.entries[owner]
        return entry.questions_en[0] if english and entry.questions_en else entry.topic

    def _contact_hint(self, english: bool, skilled: bool = False) -> str:
        """Whom to ask instead: the policy line and the city's section, and the skilled-track office when the
        question was about high-skill talent."""
        pb = phrases("en" if english else "zh")
        facts = self.kb.facts
        extra = pb("engine.hint_skilled", contact=render_contact(facts.contact("skilled"), pb)) if skilled else ""
        policy = render_contact(facts.contact("policy"), pb)
        city = self.kb.city_document
        if city is None or not facts.has_contact("city"):
            return pb("engine.hint_no_city", policy=policy, extra=extra)
        return pb("engine.hint", policy=policy, extra=extra, city=city.place_en if english else city.place,
                  city_contact=render_contact(facts.contact("city"), pb))

    def _hint_sources(self, skilled: bool) -> list[str]:
        contacts = ["policy", "skilled", "city"] if skilled else ["policy", "city"]
        facts = self.kb.facts
        return list(dict.fromkeys(facts.contact(c).clause for c in contacts if facts.has_contact(c)))

    def _refuse(self, english: bool, score: float = 0.0, empty: bool = False, normalized: str = "") -> Answer:
        """No answer; the contacts it names instead are cited like any other fact."""
        pb = phrases("en" if english else "zh")
        if empty:
            return Answer(False, pb("bot.empty"), [], [], score, "refuse", english=english)
        skilled = any(term in normalized.split() for term in ("高技能人才", "skilled"))
        doc = self.kb.main_document
        text = pb("engine.refuse", title=(doc.title_en or doc.title) if english else doc.title, number=doc.number,
                  hint=self._contact_hint(english, skilled))
        sources = self._hint_sources(skilled)
        return Answer(False, text, sources, [self.kb.citation(c) for c in sources], score, "refuse", english=english)
