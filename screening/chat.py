"""One conversation turn: a question answered in the context of the last one, or a personal verdict for someone
who describes themselves.

Pure: the state goes in and comes out (the service stores it with the user's session). A personal verdict is
given when the asker states facts about themselves and asks whether they may apply, or states a fact that
excludes them whatever they asked; a later turn that only adds facts (我是女的) updates it. Anything else is a
question for the engine, with the last topic as context and the asker's track as a hint.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any

from knowledge.context import Topic, topic_of
from knowledge.engine import Answer, Engine
from knowledge.normalize import fold
from knowledge.phrasebook import Phrasebook, phrases
from knowledge.reading import ASKING, asks, clauses
from screening.personal import Verdict, excluding, verdict
from screening.rules import Criteria
from screening.statements import BirthRange, Statement, StatementReader
from screening.wording import verdict_text

EXPIRY = dt.timedelta(minutes=30)  # context older than this is forgotten: a new visit starts afresh
ASKS_PERSONAL = frozenset({"eligibility", "conditions", "fits", "which_track"})
# The asker themselves, not their unit (我们, 咱们 ask for the unit).
_FIRST_PERSON = re.compile(r"(我|俺|咱|本人)(?!们)|\b(i|i'm|i am|me|my)\b", re.IGNORECASE)
# The asker or the person they ask for (我, 俺, 他, 她, 我爸, 同事, my colleague).
_SOMEONE = re.compile(r"我|俺|咱|本人|他|她|爸|妈|爹|娘|媳妇|老公|爱人|同事|师傅|主任|人选"
                      r"|\b(i|i'm|i am|me|my|he|she|his|her|colleague)\b", re.IGNORECASE)
# Asking whether the asker may apply: 我能不能报, 我够条件吗, can I apply, am I eligible.
_ASKS_FOR_SELF = re.compile(r"(我|俺|咱|本人)(?!们)[^，。,.？?]{0,8}"
                            r"(能不能|可不可以|能否|可否|能|可以|够不够|够|有没有资格|有资格)"
                            r"[^，。,.？?]{0,3}(申?报|申请|参评|参加|条件|资格)"
                            r"|\b(can|could|may) i (apply|be recommended|be nominated)|\bam i (eligible|qualified)"
                            r"|\bam i (even )?allowed to (apply|be)")
# After a verdict, the asker pushing back on it or asking what a fact changes (也不行吗, 这个影响吗, 是这样吗).
_PUSHBACK = re.compile(r"(^|[，,。；;])(可|可是|但是|但)(我|他|她)|也不行|不行吗|"
                       r"影响吗|有影响|影响不|不影响吧|有没有影响|是这样吗|是真的吗|难道|"
                       r"\b(does (that|it|this) (matter|help|change)|is that (true|right))\b")


@dataclass(frozen=True)
class ChatState:
    """What a conversation remembers: the last topic, the facts the asker gave, whether the last reply was a
    personal verdict, and when the last turn was."""

    topic: Topic | None = None
    statement: Statement = field(default_factory=Statement)
    personal: bool = False
    at: dt.datetime | None = None

    def to_json(self) -> dict[str, Any]:
        birth = self.statement.birth
        return {"topic": self.topic.to_json() if self.topic else None, "facts": self.statement.facts,
                "birth": [birth.earliest.isoformat(), birth.latest.isoformat(), birth.precision] if birth else None,
                "pointers": list(self.statement.pointers), "personal": self.personal,
                "at": self.at.isoformat() if self.at else None}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ChatState:
        b = data.get("birth")
        birth = BirthRange(dt.date.fromisoformat(b[0]), dt.date.fromisoformat(b[1]), b[2]) if b else None
        return cls(Topic.from_json(data["topic"]) if data.get("topic") else None,
                   Statement(dict(data.get("facts") or {}), birth, tuple(data.get("pointers") or ())),
                   bool(data.get("personal")), dt.datetime.fromisoformat(data["at"]) if data.get("at") else None)


@dataclass(frozen=True)
class ChatReply:
    answer: Answer
    profile: dict[str, Any]  # the facts understood so far, with the screen contract's names
    outcome: dict[str, Any] | None  # {"outcome", "track", "missing"} when the reply gives a personal verdict
    state: ChatState
    prefill: dict[str, Any]  # what the self-check can take as already answered

    def as_json(self) -> dict[str, Any]:
        return {**self.answer.as_json(), "profile": self.profile, "outcome": self.outcome}


class Chat:
    """Built once per knowledge base; ``reply`` is one turn."""

    def __init__(self, engine: Engine, criteria: Criteria, reader: StatementReader) -> None:
        self.engine = engine
        self.criteria = criteria
        self.reader = reader

    def reply(self, state: ChatState | None, text: str, today: dt.date, now: dt.datetime) -> ChatReply:
        if state is None or state.at is None or now - state.at > EXPIRY:
            state = ChatState()
        meant = self.engine.as_meant(text)  # 我是公物员: the facts as meant, typed by sound
        said = self.reader.read(fold(meant), today, self.criteria.round.cutoff_date.year)  # 教書: as simplified
        if said.someone_else and not said.empty:
            # 那我同事呢，正高工，68年的: another person, whose facts start afresh
            state = ChatState(state.topic, Statement(), False, state.at)
        statement = state.statement.merged(said)
        reading = self.engine.read(meant)
        # a track named alone is the topic of a question (专技人才申报条件), not a fact about the asker; an honour
        # alone is a question about the condition it meets (获得五一劳动奖章的工人可以申报吗)
        stated = set(said.facts) - {"track", "achievements"} - set(said.categories) | (
            {"birth"} if said.birth else set())
        other_topic = reading.attributes - ASKS_PERSONAL
        # after a verdict, a fact the asker adds (还拿过全国技术能手, 不对，我是1969年的) updates it, and whatever
        # else the turn asks is answered beside it (I'm male, born 1972; who organises it?)
        adds_facts = state.personal and bool(stated | set(said.facts.get("achievements", ())) or (
            said.pointers and not ASKING.search(reading.text)))  # …and goes on describing their work
        # what the verdict itself answers: whether they still make it, and the retirement cutoff's date
        by_verdict = {"priority", "days_left"} | ({"deadline"} if "topic.retirement" in reading.subjects else set())
        describes_self = len(stated) >= 2 and not other_topic - by_verdict
        # 我是高级技师, 我是搞水利的: facts or a field told, nothing asked (no attribute read, no question word)
        only_states = bool(stated or (said.pointers and _FIRST_PERSON.search(text))) and not reading.attributes \
            and not said.categories and not ASKING.search(reading.text)
        # 我能不能报: the asker asks about themselves, though they have said nothing yet
        asks_for_self = bool(_ASKS_FOR_SELF.search(reading.text))
        # one fact with a question is about the asker when they say so (我, 他, my), or tell it apart from the
        # question (在站博士后，没评职称。能报不); 教授牵头的报告能算吗 is not
        parts = [asks(text[a:b]) for a, b in clauses(text, spaced=True)]
        about_someone = len(stated) >= 2 or bool(_SOMEONE.search(text)) or (True in parts and False in parts)
        # after a verdict, asking again about their chances (真一点机会都没有？) asks for the verdict again
        elsewhere = {s for s in reading.subjects if s.split(".")[0] not in ("track", "topic", "org", "code")}
        told = state.personal or not state.statement.empty  # a verdict given, or facts told, earlier
        pushes_back = bool(_PUSHBACK.search(reading.text))
        asks_again = (state.personal and bool(reading.attributes & ASKS_PERSONAL)) or pushes_back
        again = told and asks_again and not other_topic and not elsewhere
        # who is asked about beside another question (我爸眼神不好，我能不能用手机替他填: a man) is not a case told
        one_aside = stated == {"gender"} and bool(other_topic)
        # another person brought in with facts (那他手下的总工呢，一天到晚泡在研发中心): their verdict, unless what is
        # asked of them is a step of the procedure (另一位学生是省管干部…他的纪检意见谁去征求)
        procedural = bool(reading.subjects & self.engine.reader.steps)
        switched = said.someone_else and bool(stated) and not procedural
        personal = adds_facts or only_states or asks_for_self or again or switched or (bool(stated) and (
            (bool(reading.attributes & ASKS_PERSONAL) and about_someone and not one_aside) or excluding(said)
            or describes_self))
        # after a verdict, facts told, nothing asked (是1970年3月的，身份证上写的): no other service's question
        telling = adds_facts and not ASKING.search(reading.text)
        if personal and (telling or self.engine.guards.check(reading, self.engine.base_year) is None):
            judged = verdict(statement, self.criteria)
            employer = bool(reading.subjects & {"org.nonpublic", "org.overseas"})
            answer = self._verdict_answer(judged, statement, reading.english, employer)
            # it also asks something else (年轻人有优势吗), or a rule by its topic (这算不算当领导不能报的那种) or
            # the conditions (还要够甚条件): answer that too
            rule_asked = bool(reading.attributes & {"conditions"}) or any(
                s.startswith("topic.") for s in reading.subjects)
            if other_topic or rule_asked:
                also = self.engine.ask(meant, today)
                if also.found and also.kind == "answer" and also.entry_id not in ("personal", None):
                    answer = Answer(True, f"{answer.answer}\n\n{also.answer}",
                                    list(dict.fromkeys([*answer.sources, *also.sources])),
                                    list(dict.fromkeys([*answer.citations, *also.citations])), 1.0, "answer",
                                    entry_id="personal", english=answer.english)
            outcome = {"outcome": judged.screening.outcome, "track": judged.screening.track,
                       "missing": judged.screening.missing}
            new_state = ChatState(state.topic, statement, True, now)
            return ChatReply(answer, judged.profile, outcome, new_state, prefill(statement))
        profile = verdict(statement, self.criteria).profile if not statement.empty else {}
        # the track the asker said, or a skill level at the track's minimum or above puts them on; not the profile's
        # track a title implies (who receives a private company's papers is no question for the professional office)
        level = statement.facts.get("skill_level")
        skilled = level is not None and self.criteria.skill_rank(level) >= self.criteria.skill_rank(
            self.criteria.parameters.min_skill_level)
        hints = frozenset({f"track.{statement.facts['track']}"} if statement.facts.get("track") else
                          {"track.skilled"} if skilled else set()) | {
            f"code.{c}" for c in said.facts.get("achievements", ())[:1]}
        # …but where the question alone would be asked back (which office), the track their facts imply settles it:
        # there is no need to ask what they have told (a professor: the professional office)
        leaning = frozenset({f"track.{profile['track']}"} if profile.get("track") else set())
        answer = self.engine.ask(meant, today, context=state.topic, hints=hints, leaning=leaning)
        # a deliberate "not stated" of a contact named (职建处的邮箱) is still what is talked about (那地址呢); of a
        # question refused as another place's, what was asked is (全国一共选多少人 … 那山西今年呢), not its subject
        about = answer.found or answer.entry_id == "fact:contact"
        topic = topic_of(answer.reading) if answer.reading is not None and about else None
        if topic is None and not answer.found and answer.reading is not None and answer.reading.attributes:
            topic = topic_of(replace(answer.reading, subjects=frozenset()))
        new_state = ChatState(topic or state.topic, statement, False, now)
        return ChatReply(answer, profile, None, new_state, prefill(statement))

    # ------------------------------------------------------------------ the verdict in words
    def _verdict_answer(self, judged: Verdict, statement: Statement, english: bool, employer: bool) -> Answer:
        pb: Phrasebook = phrases("en" if english else "zh")
        text, sources = verdict_text(judged, statement, self.criteria, self.engine.kb, pb, employer)
        return Answer(True, text, sources, [self.engine.kb.citation(c) for c in sources], 1.0, "answer",
                      entry_id="personal", english=english)


def prefill(statement: Statement) -> dict[str, Any]:
    """The stated facts as self-check answers: a birth date only when the day or month was given."""
    facts = dict(statement.facts)
    birth = statement.birth
    if birth is not None and birth.precision in ("day", "month"):
        facts["birth_date"] = birth.earliest.isoformat()
    return facts

