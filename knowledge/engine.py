"""Answer a question about the notice: answer with citations, ask to clarify, or refuse and name a contact.

``Engine.ask`` is a short pipeline, each step a function of the knowledge base, the question and the date:
  read    what is asked (attributes) and about what (subjects), and the years that name a round
  guard   named rules (guards.toml) that say the notice does not answer this
  facts   a contact's phone, email, address or person looked up, or said to be missing
  rank    BM25 over FAQ variants, answers and clauses
  decide  the best entry consistent with the reading (it answers what is asked, about the same subject), or
          a clarification between close ones, or a refusal when nothing covers the question
  ground  the answer must be about the round the question names
A confident wrong answer is the worst outcome, so every step can refuse, and a refusal names the contact.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Literal

from knowledge.context import Topic, follow_up
from knowledge.facts_answer import COMPATIBLE as _COMPATIBLE_WITH_CONTACT
from knowledge.facts_answer import FIELDS, contact_answer
from knowledge.guards import Guard, Guards
from knowledge.loader import KnowledgeBase
from knowledge.models import FaqEntry
from knowledge.normalize import fold
from knowledge.phrasebook import Phrasebook, phrases
from knowledge.reading import ASKING, Reader, Reading, asks, clauses
from knowledge.render import Renderer, render_contact
from knowledge.retrieval import CLAUSE_PREFIX, Candidate, Ranking, Retriever, Thresholds
from knowledge.sounds import Sounds

Kind = Literal["answer", "clarify", "refuse"]
PREVIEW = 300  # characters of each option shown when asking which one is meant
# Attributes nearly every question asks (能报吗, 什么条件, 要什么材料, 怎么办): said of a distinctive subject, the
# subject decides (名额不够能多推吗 is about exceeding the quota).
_GENERIC = frozenset({"eligibility", "conditions", "materials", "procedure"})
# Attributes asked of the asker's own description (我搞小杂粮育种…这能算哪一条): the rest of the question is their
# work in their words, so how much of it the index knows does not decide whether the routed condition answers.
_DESCRIBED = frozenset({"fits"})
# Values the notice gives for some things and not others (how many copies, places, days, by when): asked of a
# topic that has none, the neighbour's value is the wrong answer.
_VALUES = frozenset({"copies", "quota", "count", "duration", "deadline"})
# Subject families that say where the asker is, not what they ask about (and subjects marked `where` in the data).
_WHERE = ("place",)
# What a contact line answers (电话, 邮箱, 地址, 联系人); asked beside something else, both are answered.
CONTACT_FIELDS = frozenset(FIELDS) - {"contact"}
# Subject families specific enough to route a question that names no attribute (公示 alone, P6 alone).
_DISTINCTIVE = ("topic", "code", "org")
# Subject families whose members exclude each other: an answer about the skilled office is not about the
# professional one. An entry about one member is not given for a question naming only another.
_FAMILIES = ("office", "track", "dept", "place", "topic")


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
    guard: str | None = None  # the guard that refused, if one did (shown by /unanswered)
    reading: Reading | None = field(default=None, compare=False)  # what was understood (for the next turn)

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
            "guard": self.guard,
        }


class Engine:
    """Built once per knowledge base (well under a second); ``ask`` is the hot path."""

    def __init__(self, kb: KnowledgeBase, thresholds: Thresholds | None = None,
                 extra_words: dict[str, list[str]] | None = None, plain_words: list[str] | None = None,
                 people_words: list[str] | None = None) -> None:
        """``extra_words``: more words for subjects from other data (the fields of each numbered condition);
        ``plain_words``: workplaces, which hide the field inside them (卫生院 is where, not the field 卫生);
        ``people_words``: people of a field (教师), who name the field only when no topic is named."""
        self.kb = kb
        self.t = thresholds or Thresholds()
        self.entries: dict[str, FaqEntry] = {e.id: e for e in kb.faq}
        # what some entry is mainly about: each such attribute asked is a question of its own
        self._mains = frozenset(e.main for e in kb.faq if e.kind == "answer")
        city = kb.city_document
        documents = {"topic.document": [w for d in kb.documents for w in (d.number, d.number.split("〔")[0])]}
        self.reader = Reader(kb.vocabulary, city.place if city else "", city.place_en if city else "",
                             kb.lexicon.relative_years, {**(extra_words or {}), **documents}, plain_words,
                             people_words)
        self.guards = Guards(kb.guards)
        self.retriever = Retriever(kb, self.t)
        self.sounds = Sounds(kb.lexicon.sound_words)
        self.base_year = kb.facts.round.year

    # ------------------------------------------------------------------ the pipeline
    def read(self, question: str) -> Reading:
        return self.reader.read(question, self.base_year)

    def ask(self, question: str, today: dt.date, context: Topic | None = None,
            hints: frozenset[str] = frozenset(), leaning: frozenset[str] = frozenset()) -> Answer:
        """Decide: answer, clarify or refuse. ``context`` is the conversation's last topic (a follow-up takes
        what it leaves out from it); ``hints`` are subjects the asker's own facts say (the track they named);
        ``leaning`` those they only imply (a professor's track), used where the answer would otherwise ask which
        is meant."""
        return self._in_context(self.as_meant(question), today, context, hints, leaning)

    def as_meant(self, question: str) -> str:
        """The question as meant when it was typed by sound (才料 for 材料, 公物员 for 公务员) and the meant words
        explain more of it; else as typed."""
        typed = self.read(question)
        corrected = self.sounds.correct(typed.text, typed.spans)
        if corrected is not None and _explained(self.read(corrected)) > _explained(typed):
            return corrected
        return question

    def _in_context(self, question: str, today: dt.date, context: Topic | None, hints: frozenset[str],
                    leaning: frozenset[str]) -> Answer:
        reading = self.read(question)
        named_alone = bool(reading.subjects)  # what the question itself names, before the asker's facts fill in
        # the asker's own facts fill a family the question leaves open (their track; the condition they claim)
        # (a place or office named says whose answer is wanted: 市里那个科电话 is the city's, whatever the track)
        # (the province alone names no office: 交到省厅哪个处 is the asker's track's office)
        named_where = any(s.split(".")[0] in ("office", "place") and s not in ("office.province", "place.province")
                          for s in reading.subjects)
        reading = replace(reading, leaning=frozenset() if named_where else leaning)
        # (the condition they claim only when conditions are asked: 拿过全国技术能手的人几号前交 asks the deadline)
        added = {h for h in hints if not _names_family(reading.subjects, h)
                 and not (named_where and h.startswith("track."))
                 and not (h.startswith("code.") and reading.attributes - _GENERIC - _DESCRIBED)}
        if added:
            reading = replace(reading, subjects=reading.subjects | added)
        reading = _numbered_condition(reading, context)
        followed, borrowed = follow_up(reading, context)
        if followed is not reading and reading.attributes and not self._route(followed) and self._route(reading):
            followed, borrowed = reading, ""  # 过了日子还收吗 after the skilled office: the late rule, said alone
        if followed is not reading and not reading.attributes and not self._route(followed):
            # what was asked last has no entry for what is named now (谁组织 … 那港澳台的呢): the subjects alone
            alone = replace(followed, attributes=frozenset())
            if self._route(alone):
                followed, borrowed = alone, " ".join(w for s in sorted(alone.subjects - reading.subjects)
                                                     for w in followed.words.get(s, [])[:1])
        of_last = None
        if context is not None and reading.attributes and not named_alone:
            # 网址多少 after 网上用什么系统, room number? after the skilled office: something asked of what was talked
            # about, when the notice has it
            of_last = replace(reading, subjects=frozenset(context.subjects))
            # …or a contact field of the office talked about, which the notice may lack (Do they have an email too?)
            held = bool(reading.attributes & CONTACT_FIELDS) and contact_answer(
                self.kb, of_last, phrases("en" if reading.english else "zh")) is not None
            of_last = of_last if held or self._route(of_last) else None
        if of_last is not None and reading.attributes - _GENERIC:  # a particular thing asked: of the last topic
            return self._of_last(of_last, question, context, today)
        if followed is not reading:
            answer = replace(self._answer(followed, f"{question} {borrowed}", today), reading=followed)
        else:
            answer = replace(self._answer(reading, question, today), reading=reading)
        if answer.found:
            return answer
        if of_last is not None:  # 材料…还能退回来吗 is answered alone; when nothing is, the last topic decides
            return self._of_last(of_last, question, context, today)
        if followed is reading or answer.guard or answer.entry_id:  # a deliberate "not stated" stands too
            return answer
        return replace(self._answer(reading, question, today), reading=reading)

    def _of_last(self, reading: Reading, question: str, context: Topic | None, today: dt.date) -> Answer:
        said = context.words if context else {}
        words = " ".join(said[s][0] for s in sorted(reading.subjects) if said.get(s))
        return replace(self._answer(reading, f"{question} {words}", today), reading=reading)

    def _answer(self, reading: Reading, question: str, today: dt.date) -> Answer:
        answer = self._answer_as_named(reading, question, today)
        # what would be asked back (which track's office?) is settled by what the asker's facts imply, when the
        # question names no member of that family itself
        leaning = {s for s in reading.leaning if not _names_family(reading.subjects, s)}
        if answer.kind == "clarify" and leaning:
            settled = self._answer_as_named(replace(reading, subjects=reading.subjects | leaning), question, today)
            return settled if settled.found and settled.kind == "answer" else answer
        return answer

    def _answer_as_named(self, reading: Reading, question: str, today: dt.date) -> Answer:
        if not re.search(r"\w", reading.text):
            return self._refuse(reading.english, empty=True)
        guard = self.guards.check(reading, self.base_year)
        if guard is not None:
            return self._guarded(guard, reading, today)
        each = self._each(reading, question, today)
        if each is not None:
            return each
        looked_up = contact_answer(self.kb, reading, phrases("en" if reading.english else "zh"))
        if looked_up is not None:
            text, sources, found = looked_up
            return Answer(found, text, sources, [self.kb.citation(c) for c in sources], 1.0,
                          "answer" if found else "refuse", entry_id="fact:contact", english=reading.english)
        ranking = self.retriever.rank(question, reading.english)
        routed = self._route(reading)
        if routed and (self._understood(reading, question) >= self.t.route_coverage or reading.attributes & _DESCRIBED):
            answers = [self.answer_entry(owner, today, reading.english, score=ranking.overall) for owner in routed]
            return self._ground(answers[0] if len(answers) == 1 else _together(answers), reading)
        if not routed and self._unheld(reading):
            return self._refuse(reading.english, score=ranking.overall, reading=reading, say="not_stated")
        reply = self._decide(ranking, reading, today, question)
        return self._ground(reply, reading)

    def _each(self, reading: Reading, question: str, today: dt.date) -> Answer | None:
        """Several particular things asked at once (最晚几号交到省厅，电话多少; What is the deadline, and which office
        receives the documents?): each answered, together. A contact's fields are one thing; any other attribute
        that is some entry's main one is another. None when the question asks one thing, or a part is not answered
        (the whole question then goes the usual way)."""
        contact = reading.attributes & CONTACT_FIELDS
        rest = reading.attributes - CONTACT_FIELDS - _GENERIC - (_COMPATIBLE_WITH_CONTACT if contact else frozenset())
        things = ([contact] if contact else []) + [frozenset({a}) for a in sorted(rest & self._mains)]
        if len(things) < 2:
            return None
        shared = reading.attributes - frozenset().union(*things)
        spans = [(question[a:b], fold(question[a:b])) for a, b in clauses(question)]

        def said_of(thing: frozenset[str]) -> str:
            """The clauses that ask this thing (the deadline's clause, not the office's), or the whole question."""
            words = [w for a in thing for w in reading.words.get(a, [])]
            mine = [typed for typed, folded in spans if any(w in folded for w in words)]
            return " ".join(mine) if mine and len(mine) < len(spans) else question

        parts = [self._answer(replace(reading, attributes=thing | shared), said_of(thing), today) for thing in things]
        if not all(p.found and p.kind == "answer" for p in parts) \
                or len({p.entry_id for p in parts}) < len(parts):
            return None
        return _together(parts)

    def _unheld(self, reading: Reading) -> bool:
        """A particular thing asked of a topic the notice speaks of, where no entry about the topic answers it
        though others answer it of other topics (正式函要交几份, 光盘要刻几张): the notice does not state that pair,
        and a neighbour's value must not be borrowed."""
        asked = reading.attributes & _VALUES
        topics = {s for s in reading.subjects if s.startswith("topic.")}
        if not asked or not topics:
            return False
        about = [e for e in self.kb.faq if e.kind == "answer" and topics & set(e.about)]
        return bool(about) and not any(asked & set(e.answers) for e in about) \
            and any(asked & set(e.answers) for e in self.kb.faq if e.kind == "answer")

    def _understood(self, reading: Reading, question: str) -> float:
        """How much of what is asked is understood: of the whole question, or of a clause of it that asks
        (我带了三十多个徒弟，好几个成了技师，这种贡献能算进去吗: the circumstances around it are the asker's own,
        in their own words)."""
        parts = [question[a:b] for a, b in clauses(question)]
        whole = self._understood_of(reading, question)
        asking = [c for c in parts if ASKING.search(c)] if len(parts) > 1 else []
        return max([whole, *(self._understood_of(reading, c) for c in asking)])

    def _asking_understood(self, reading: Reading, question: str) -> float:
        """How well the least understood clause that asks is understood, when others only tell (0 when every
        clause asks, or none does: then nothing sets the asker's story apart from the question)."""
        parts = [question[a:b] for a, b in clauses(question)]
        asking = [c for c in parts if asks(c)]
        if not asking or len(asking) == len(parts):
            return 0.0
        return min(self._understood_of(reading, c) for c in asking)

    def _understood_of(self, reading: Reading, question: str) -> float:
        """The words the reader read, and of the rest, what the index covers, as shares of the text's content
        (P8是哪一条 is all vocabulary; in P6讲的是什么 only 讲 is unknown; in 特贴专家能评院士吗 most is)."""
        rest = fold(question)
        for word in sorted({w for words in reading.words.values() for w in words} | set(reading.plain), key=len,
                           reverse=True):
            rest = rest.replace(word, " ")
        whole = self.retriever.content_size(fold(question), reading.english)
        left = self.retriever.content_size(rest, reading.english)
        if not whole or not left:
            return 1.0
        return 1.0 - min(1.0, left / whole) * (1.0 - self.retriever.coverage(rest, reading.english))

    def _route(self, reading: Reading) -> list[str]:
        """The entries that answer what is asked about what is named, by the entries' own annotations: most
        asked attributes answered, then most named subjects covered, then the entry's first (main) attribute
        asked, then the most specific entry, then the one covering more of everything named (a track too). With no
        attribute read, a distinctive subject alone routes (公示, P6, 论文); a tie between entries that cover
        different named subjects (专技的和技能的) routes to both; any other tie is left to the ranking."""
        asked = reading.attributes - _GENERIC  # 能报吗, 条件: what nearly every question asks, said of a subject
        if not reading.subjects:
            return self._owner_of(reading.attributes)
        # only a place or an office named (县属单位…应循何种路径上报): the generic attribute asked is said of it
        # (or the asker's own unit: 矿上再往哪报 asks its route; 厂里交甚材料 asks no route, but the list), a track
        # beside it saying whose (我们厂的技术工人有啥条件)
        where_only = not asked and self._only_where(reading.subjects, "office", "dept")
        # (where the asker is, their own unit, does not route a generic question beside other things named: 我们厂的
        # 技术工人有啥条件 asks the skilled track's conditions)
        named = reading.subjects if asked or where_only else {s for s in reading.subjects
                                                              if s.split(".")[0] in _DISTINCTIVE
                                                              and s not in self.reader.wheres}
        scored: list[tuple[tuple[int, int, bool, float, int], str, frozenset[str]]] = []
        for e in self.kb.faq:
            answered = (asked or reading.attributes) & set(e.answers)
            covered = frozenset(named & set(e.about))
            if e.kind != "answer" or not covered or ((asked or where_only) and not answered) \
                    or not self._consistent(e.id, reading):
                continue
            primary = e.main in reading.attributes  # what the entry is mainly about
            also = len(reading.subjects & set(e.about))  # the other things named, a track, break a tie
            # how much of what the entry is about is named; its track counts only when a track is named
            core = [a for a in e.about if not a.startswith("track.") or a in reading.subjects] or e.about
            scored.append(((len(answered), len(covered), primary, len(covered) / len(core), also), e.id, covered))
        if not scored:
            # only where the asker is was named (我们县级单位…倾斜吗): what is asked decides, as with no subject
            # (a track beside it says who: 我们县还有个高技能的…能补交不 asks the late rule)
            if self._only_where(reading.subjects):
                return self._owner_of(reading.attributes)
            return []
        scored.sort(key=lambda x: x[0], reverse=True)
        best = [s for s in scored if s[0] == scored[0][0]]
        if len(best) == 1:
            return [best[0][1]]
        covers = [s[2] for s in best]
        own = [c - frozenset().union(*(o for j, o in enumerate(covers) if j != i)) for i, c in enumerate(covers)]
        if len(best) <= 3 and all(own):  # each about another of the named things (beside what all share)
            return [s[1] for s in best]
        return []

    def _only_where(self, subjects: frozenset[str], *families: str) -> bool:
        """Whether what is named is only where the asker is (a place, their own unit, or a member of ``families``),
        a track at most beside it."""
        return all(s.split(".")[0] in (*_WHERE, "track", *families) or s in self.reader.wheres for s in subjects) \
            and not all(s.startswith("track.") for s in subjects)

    def _owner_of(self, attributes: frozenset[str]) -> list[str]:
        """With no subject named, the one entry whose main attribute is asked and which answers everything asked
        (逾期 → the late rule, 什么是特贴 → the purpose, 离截止还剩几天 → the days left), when exactly one does."""
        if not attributes:
            return []
        # 材料…还能交不 asks something of the materials; 程序是什么 asks the procedure (是什么 is only how it is asked)
        attributes = attributes - _GENERIC - {"definition"} or attributes
        # its main attribute is one asked, and it answers all that is asked (还剩几天 + 截止: the days left)
        owners = [e.id for e in self.kb.faq if e.kind == "answer" and e.main in attributes
                  and attributes <= set(e.answers)]
        return owners if len(owners) == 1 else []

    def _decide(self, ranking: Ranking, reading: Reading, today: dt.date, question: str) -> Answer:
        english = reading.english
        if ranking.exact is not None and self._consistent(ranking.exact, reading):
            return self.answer_entry(ranking.exact, today, english)
        if not ranking.candidates:
            greeting = next((e.id for e in self.kb.faq if e.kind == "chitchat"), None)
            if greeting and not ranking.normalized.strip():  # only courtesies (你好, 请问): a greeting
                return self.answer_entry(greeting, today, english)
            return self._refuse(english, reading=reading)
        candidates = [c for c in ranking.candidates if self._consistent(c.owner, reading)]
        if not candidates:
            return self._refuse(english, score=ranking.overall, reading=reading)
        candidates = self._prefer_answering(candidates, reading)
        best = candidates[0]
        if best.coverage < self.t.min_entry_coverage:  # ranked first on rare characters, but does not cover it
            best = next((c for c in candidates[1:] if c.score >= self.t.covering_ratio * candidates[0].score
                         and c.coverage >= self.t.min_entry_coverage), best)
        if ranking.overall < self.t.min_coverage or best.coverage < self.t.min_entry_coverage:
            # what is asked was read and every clause that asks is understood (… I go back to Korea in May. What is
            # last day to submit application?): the rest is the asker's own story, and the best-ranked entry mainly
            # about what is asked answers it
            asked = reading.attributes - _GENERIC
            main = next((c for c in candidates if c.owner in self.entries and self.entries[c.owner].main in asked),
                        None)
            understood = self._asking_understood(reading, question)
            if main is None or understood < self.t.route_coverage:
                return self._refuse(english, score=min(ranking.overall, best.coverage), reading=reading)
            return self.answer_entry(main.owner, today, english, score=understood)
        reply = self.answer_entry(best.owner, today, english, score=best.coverage)
        close = self._close(best, candidates, ranking, reading)
        if close:
            return self._clarify([reply, *(self.answer_entry(c.owner, today, english) for c in close)], english,
                                 best.coverage)
        return reply

    def _prefer_answering(self, candidates: list[Candidate], reading: Reading) -> list[Candidate]:
        """When the question says what it asks (a deadline, a quota …), an entry that answers it goes first, if
        it ranks at least half as well as the best."""
        asked = reading.attributes
        if not asked or self._answers(candidates[0].owner) & asked:
            return candidates
        for c in candidates[1:]:
            if self._answers(c.owner) & asked and c.score >= self.t.covering_ratio * candidates[0].score \
                    and c.coverage >= self.t.min_entry_coverage:
                return [c, *(x for x in candidates if x is not c)]
        return candidates

    def _close(self, best: Candidate, candidates: list[Candidate], ranking: Ranking,
               reading: Reading) -> list[Candidate]:
        """Runners-up close enough to the best, on another topic, that the engine should ask which is meant."""
        floor = max(self.t.clarify_min_coverage, best.coverage - 0.05)
        ratio = self.t.clarify_ratio
        if ranking.alternatives:  # 专技处还是职建处: the asker names two things, show both
            floor, ratio = min(floor, best.coverage - 0.15), self.t.alternatives_ratio
        asked = (reading.attributes - _GENERIC) & self._answers(best.owner)

        def as_likely(c: Candidate) -> bool:
            """Scoring as well, covering as much and answering what the best answers (each track's office where
            the papers go): as likely meant, however little of the question either covers."""
            return bool(asked) and asked <= self._answers(c.owner) and c.coverage >= best.coverage

        # the next two on other topics (the skilled office's address beside its materials line is one topic)
        others = [c for c in candidates if c is not best and self._topic(c.owner) != self._topic(best.owner)][:2]
        return [c for c in others if c.score >= ratio * best.score and (c.coverage >= floor or as_likely(c))]

    def _answers(self, owner: str) -> set[str]:
        entry = self.entries.get(owner)
        return set(entry.answers) if entry else set()

    def _consistent(self, owner: str, reading: Reading) -> bool:
        """An entry about one member of a subject family (the skilled office) is not an answer to a question
        that names only another member (the professional office). An entry about the assistant itself (a greeting)
        is no answer to a question that names one of the notice's subjects (明白了。那民营企业的推荐谁来组织)."""
        entry = self.entries.get(owner)
        if entry is not None and entry.kind == "chitchat" and reading.subjects:
            return False
        if entry is None or not entry.about:
            return True
        for family in _FAMILIES:
            mine = {s for s in entry.about if s.startswith(family + ".")}
            asked = {s for s in reading.subjects if s.startswith(family + ".")}
            if mine and asked and not mine & asked:
                return False
        return True

    def _ground(self, answer: Answer, reading: Reading) -> Answer:
        """The answer is about the round the question names: a year it never mentions means another round."""
        other = reading.years - {self.base_year}
        if not other or not answer.found:
            return answer
        cited = answer.answer + "".join(self.kb.clause(c).text for c in answer.sources)
        if all(str(y) in cited for y in other):
            return answer
        return self._refuse(reading.english, score=answer.score, reading=reading, say="other_round")

    def _topic(self, owner: str) -> str:
        if owner.startswith(CLAUSE_PREFIX):
            return owner
        return self.entries[owner].id.split(".")[0] + ":" + self.entries[owner].topic

    # ------------------------------------------------------------------ rendering
    def answer_entry(self, owner: str, today: dt.date, english: bool = False, score: float = 1.0) -> Answer:
        """The full answer of one entry (also used when the user picks a clarification option)."""
        pb = phrases("en" if english else "zh")
        if owner.startswith(CLAUSE_PREFIX):
            clause = self.kb.clause(owner.removeprefix(CLAUSE_PREFIX))
            text = pb("engine.clause_answer", label=clause.label, text=clause.text)
            return Answer(True, text, [clause.id], [clause.citation], score, "answer", entry_id=owner,
                          english=english)
        entry = self.entries[owner]
        localized = english and bool(entry.answer_en)
        renderer = Renderer(self.kb.facts, self.kb.documents, today, phrases("en" if localized else "zh"))
        text = renderer.render(entry.answer_en if localized else entry.answer)
        sources = list(dict.fromkeys([*entry.clauses, *renderer.used]))
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
        sources = list(dict.fromkeys(s for a in answers for s in a.sources))
        return Answer(True, pb("engine.clarify") + "\n" + "\n".join(previews), sources,
                      [self.kb.citation(s) for s in sources], score, "clarify", options=labels, option_ids=owners,
                      english=english)

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

    def _guarded(self, guard: Guard, reading: Reading, today: dt.date) -> Answer:
        """A guard's refusal: its gap entry when it names one, else its kind of refusal."""
        if guard.entry:
            answer = self.answer_entry(guard.entry, today, reading.english)
            return Answer(False, answer.answer, answer.sources, answer.citations, 0.0, "refuse",
                          entry_id=guard.entry, english=reading.english, guard=guard.name)
        refused = self._refuse(reading.english, reading=reading, say=guard.say or "off_topic")
        return Answer(False, refused.answer, refused.sources, refused.citations, 0.0, "refuse",
                      english=reading.english, guard=guard.name)

    def _refuse(self, english: bool, score: float = 0.0, empty: bool = False, reading: Reading | None = None,
                say: str = "off_topic") -> Answer:
        """No answer; the contacts it names instead are cited like any other fact."""
        pb = phrases("en" if english else "zh")
        if empty:
            return Answer(False, pb("bot.empty"), [], [], score, "refuse", english=english)
        skilled = reading is not None and "track.skilled" in reading.subjects
        text = self._refusal_text(pb, say, self._contact_hint(english, skilled), reading)
        sources = self._hint_sources(skilled)
        return Answer(False, text, sources, [self.kb.citation(c) for c in sources], score, "refuse", english=english)

    def _refusal_text(self, pb: Phrasebook, say: str, hint: str, reading: Reading | None) -> str:
        doc = self.kb.main_document
        city = self.kb.city_document
        values = {"title": (doc.title_en or doc.title) if pb.english else doc.title, "number": doc.number,
                  "hint": hint, "year": self.base_year,
                  "city": (city.place_en if pb.english else city.place) if city else ""}
        if say == "other_city" and city is None:
            say = "elsewhere"
        return pb(f"guard.{say}", **values)



def _together(answers: list[Answer]) -> Answer:
    """Several entries' answers as one (a question about two things named together)."""
    first = answers[0]
    sources = list(dict.fromkeys(s for a in answers for s in a.sources))
    citations = list(dict.fromkeys(c for a in answers for c in a.citations))
    return replace(first, answer="\n\n".join(a.answer for a in answers), sources=sources, citations=citations,
                   found=all(a.found for a in answers))


def _names_family(subjects: frozenset[str], subject: str) -> bool:
    """Whether a member of the subject's family (track, office, code …) is named among the subjects."""
    family = subject.split(".")[0] + "."
    return any(s.startswith(family) for s in subjects)


def _explained(reading: Reading) -> int:
    """How many characters of a question the reader recognised as words it knows."""
    return sum(len(w) for words in reading.words.values() for w in words)


# The clauses of a question (any clause that asks may be what is asked).
_ORDINAL = re.compile(r"第\s*([1-9一二三四五六七八九])\s*(条|项|款|个条件)|条件\s*([1-9])(?!\d)"
                      r"|条件([一二三四五六七八九])(?=[是呢吗的讲说，。,?？\s]|$)"
                      r"|\b(?:condition|criterion|item|no\.?)\s*([1-9])\b")
_TRACK_CODES = {"track.professional": "P", "track.skilled": "S"}


def _numbered_condition(reading: Reading, context: Topic | None) -> Reading:
    """第6条, 条件8, condition 7: the numbered condition of the track named, or of the last turn's track."""
    m = _ORDINAL.search(reading.text)
    if m is None or any(s.startswith("code.") for s in reading.subjects):
        return reading
    tracks = [t for t in reading.subjects if t in _TRACK_CODES] or \
        [t for t in (context.subjects if context else ()) if t in _TRACK_CODES]
    if len(tracks) != 1:
        return reading
    digit = next(g for g in m.groups() if g and g not in ("条", "项", "款", "个条件"))
    number = int(digit) if digit.isdigit() else "一二三四五六七八九".index(digit) + 1
    code = f"code.{_TRACK_CODES[tracks[0]]}{number}"
    words = {**reading.words, code: [m.group(0)]}
    return replace(reading, subjects=reading.subjects | {code}, words=words)
