"""A conversation's last topic, and follow-up questions that take their missing part from it.

"电话呢" after a question about the skilled office's address asks for that office's phone; "那高技能人才呢"
after the professional track's conditions asks for the skilled track's. A follow-up is short or elliptical
(那…呢, …呢, 还有…, what about…, and the…); what it names replaces the same kind of thing in the last topic
(a track for a track), and what it leaves out is taken from it. A question that says both what and about
what is a new topic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from knowledge.reading import Reading

_ELLIPTICAL = re.compile(r"^(那|那么|那要是|还有|另外|再问下?|然后|如果是|他们|她们|他|她|它|这个|那个|这里|那里)|"
                         r"呢[?？。!！\s]*$|^(what about|how about|and (the|their|his|her|for|what|how|who|where|when)?"
                         r"|what of|their|its|his|her|they|them|that one|this one|there)\b")
SHORT = 10  # characters: a question this short that names only one part is read as a follow-up
# What a follow-up's subject replaces in the last topic: an office or a track for either (both say whose contact
# or conditions), a department or a place for either (both recommend, with their own quota: 那各市呢 after 教育厅),
# a condition for a condition, an employer for an employer, a topic for a topic (see _kinds).
_KIND = {"office": "who", "track": "who", "dept": "unit", "place": "unit", "code": "code", "org": "employer"}
# Topics that qualify another rather than replace it: secret persons or materials, the reserve candidates.
_QUALIFIERS = frozenset({"topic.secret", "topic.reserve", "topic.media", "topic.paper"})
# Offices that belong to a place are replaced by a place too (省里呢 after 市人社局几号截止).
_ALSO = {"office.city": "unit", "office.province": "unit"}
# Subjects a follow-up asking something new of its own still inherits: the ones things are asked of (电话呢 after
# 职建处在哪: the office's phone), not a topic (材料退吗 after the retirement cutoff is not about retirement).
_HOLDERS = frozenset({"who", "unit", "code", "employer"})


@dataclass(frozen=True)
class Topic:
    """What the last answered question asked, about what, and the words that said it."""

    attributes: frozenset[str]
    subjects: frozenset[str]
    words: dict[str, list[str]]

    def to_json(self) -> dict[str, object]:
        return {"attributes": sorted(self.attributes), "subjects": sorted(self.subjects), "words": self.words}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Topic:
        return cls(frozenset(data.get("attributes", [])), frozenset(data.get("subjects", [])),
                   dict(data.get("words", {})))


def topic_of(reading: Reading) -> Topic | None:
    if not reading.attributes and not reading.subjects:
        return None
    return Topic(reading.attributes, reading.subjects, reading.words)


def follow_up(reading: Reading, last: Topic | None) -> tuple[Reading, str]:
    """The reading completed from the last topic when it is a follow-up, and the words it borrowed (for the
    ranking, which reads text); the reading unchanged and "" when it is a question of its own."""
    if last is None:
        return reading, ""
    # short is elliptical only when it names no topic of its own (俺们想多推一个行不 asks about exceeding the quota)
    marked = bool(_ELLIPTICAL.search(reading.text.strip()))  # 网址呢, 那…呢, what about…
    elliptical = marked or (
        len(reading.text.strip()) <= SHORT and not any(s.startswith("topic.") for s in reading.subjects))
    has_what, has_whom = bool(reading.attributes), bool(reading.subjects)
    if not elliptical or (has_what and has_whom):
        return reading, ""
    attributes = reading.attributes or last.attributes
    kinds = {k for s in reading.subjects for k in _kinds(s)}
    # a marked follow-up keeps the last topic; one that is only short and asks something new keeps only what
    # things are asked of (材料退吗 after the retirement cutoff is not about retirement)
    subjects = reading.subjects | {s for s in last.subjects if not _kinds(s) & kinds
                                   and (marked or not has_what or _kinds(s) & _HOLDERS)}
    inherited = (attributes - reading.attributes) | (subjects - reading.subjects)
    words = {**{name: last.words.get(name, [])[:1] for name in inherited}, **reading.words}
    borrowed = [w for name in sorted(inherited) for w in words[name]]  # sorted: the same text in every process
    return (replace(reading, attributes=frozenset(attributes), subjects=frozenset(subjects), words=words),
            " ".join(borrowed))


def _kinds(subject: str) -> set[str]:
    """What a subject can be replaced by: its kind, and for an office of a place, a place. One topic replaces
    another (纪委意见呢 after 公示); a qualifier adds to it (涉密的呢 after 公示 asks about both)."""
    if subject.startswith("topic.") and subject not in _QUALIFIERS:
        return {"topic"}
    kind = _KIND.get(subject.split(".")[0], subject)
    return {kind, _ALSO[subject]} if subject in _ALSO else {kind}
