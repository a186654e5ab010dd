"""Ranking: BM25 over FAQ question variants, answers and the notice's clauses, with the coverage that turns a
ranking into a confidence. The fallback after the reader, the guards and the fact answers have had their say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from knowledge.index import Bm25
from knowledge.loader import KnowledgeBase
from knowledge.normalize import Normalizer, content_grams

CLAUSE_PREFIX = "clause:"


@dataclass(frozen=True)
class Thresholds:
    """Decision thresholds, tuned on the example and probe questions (tests/test_engine.py, bench/retrieval.py)."""

    min_coverage: float = 0.5  # share of the question's content the whole knowledge base must cover
    min_entry_coverage: float = 0.3  # …and the best entry itself
    # A question routed by what it asks and about what: the share of its content understood, the words read plus
    # what the index covers of the rest (Engine._understood). Swept on the tuning sets (blind_a, blind_c, the
    # paraphrases): 0.4 → 124/139, 52/56 traps refused; 0.5 → 121/139, 53/56 and 147/149 on the paraphrase traps.
    route_coverage: float = 0.5
    clarify_ratio: float = 0.93  # a runner-up this close to the best makes the engine ask
    clarify_min_coverage: float = 0.75  # …and it must cover the question nearly as well
    alternatives_ratio: float = 0.8  # …or this close when the question offers alternatives (A还是B, A or B)
    covering_ratio: float = 0.5  # a runner-up that covers the question may replace a best that does not
    near_exact: float = 90.0  # rapidfuzz ratio to a variant that settles the match outright
    clause_weight: float = 0.75  # clauses rank below curated answers on equal terms
    answer_weight: float = 0.6  # an answer's own text counts less than its question variants
    unigram_weight: float = 1.0  # measured: 0.5 or 0.3 lose 3-4 of the 239 example and probe cases


@dataclass(frozen=True)
class Candidate:
    owner: str  # a FAQ entry id, or clause:<id>
    score: float
    coverage: float


@dataclass(frozen=True)
class Ranking:
    """The best candidates, best first, and how much of the question the whole index covers."""

    candidates: list[Candidate]
    overall: float
    exact: str | None = None  # an entry one of whose variants the question nearly equals
    normalized: str = ""
    alternatives: bool = False  # the question offers a choice (A还是B)


@dataclass
class Side:
    """One language's index and normaliser."""

    normalizer: Normalizer
    bm25: Bm25
    vocab: dict[str, set[str]]
    all_vocab: set[str]
    variants: list[str]
    variant_owner: list[str]
    by_owner: dict[str, list[str]] = field(default_factory=dict)  # each entry's normalised variants


class Retriever:
    """Built once per knowledge base (well under a second); ``rank`` is the hot path."""

    def __init__(self, kb: KnowledgeBase, thresholds: Thresholds) -> None:
        self.kb = kb
        self.t = thresholds
        lex = kb.lexicon
        self._alternatives = re.compile("|".join(re.escape(w) for w in lex.alternatives) or "(?!)")
        self.junction = frozenset(lex.function_chars)
        # a Chinese question may carry English words (专技处 phone): the English stop words go there too
        zh = Normalizer(tuple(tuple(g) for g in lex.synonyms), tuple(lex.fillers), frozenset(lex.stopwords_en))
        en = Normalizer(tuple(tuple(g) for g in lex.synonyms_en), tuple(lex.fillers_en), frozenset(lex.stopwords_en),
                        english=True)
        self.zh = self._build(zh, english=False)
        self.en = self._build(en, english=True)

    def _build(self, norm: Normalizer, english: bool) -> Side:
        bm25 = Bm25()
        variants: list[str] = []
        owners: list[str] = []
        for e in self.kb.faq:
            questions = e.questions_en if english else [*e.questions, e.topic]
            if not questions:
                continue
            for q in questions:
                normalized = norm.text(q)
                bm25.add(e.id, norm.tokens_of(normalized))
                variants.append(normalized)
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
        return Side(norm, bm25, vocab, set().union(*vocab.values()), variants, owners, by_owner)

    def side(self, english: bool) -> Side:
        return self.en if english else self.zh

    def rank(self, question: str, english: bool, depth: int = 6) -> Ranking:
        """The best ``depth`` entries for the question, each with how much of the question it covers."""
        side = self.side(english)
        normalized = side.normalizer.text(question)
        tokens = side.normalizer.tokens_of(normalized)
        if not tokens or all(t.isdigit() for t in tokens):  # nothing, or a bare number: not a question
            return Ranking([], 0.0, normalized=normalized)
        exact = process.extractOne(normalized, side.variants, scorer=fuzz.ratio, score_cutoff=self.t.near_exact)
        grams = content_grams(tokens)
        scores = side.bm25.scores(tokens, self.t.unigram_weight)
        top = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)[:depth]
        top = self._tie_break(normalized, top, side)
        candidates = [Candidate(owner, score, side.bm25.coverage(grams, side.vocab[owner], self.junction))
                      for owner, score in top]
        overall = side.bm25.coverage(grams, side.all_vocab, self.junction) if candidates else 0.0
        return Ranking(candidates, overall, side.variant_owner[exact[2]] if exact else None, normalized,
                       bool(self._alternatives.search(normalized)))

    def coverage(self, text: str, english: bool) -> float:
        """How much of ``text``'s content the whole index covers; 1.0 when nothing is left to cover."""
        side = self.side(english)
        grams = content_grams(side.normalizer.tokens(text))
        if not grams:
            return 1.0
        return side.bm25.coverage(grams, side.all_vocab, self.junction)

    def content_size(self, text: str, english: bool) -> int:
        """How many content grams ``text`` has (what coverage is a share of)."""
        side = self.side(english)
        return len(content_grams(side.normalizer.tokens(text)))

    def _tie_break(self, normalized: str, ranked: list[tuple[str, float]], side: Side) -> list[tuple[str, float]]:
        """Nudge near-equal BM25 scores by surface similarity to each entry's closest variant."""
        if not ranked:
            return ranked
        top = ranked[0][1]
        adjusted = []
        for owner, score in ranked:
            sim = max((fuzz.ratio(normalized, v) for v in side.by_owner.get(owner, ())), default=0.0)
            adjusted.append((owner, score + 0.04 * top * sim / 100))
        return sorted(adjusted, key=lambda kv: kv[1], reverse=True)
