"""Read a question into what it asks (attributes) and about what (subjects), before anything is ranked.

The words come from ``vocabulary.toml``; matching is longest-first and non-overlapping, so 全国技术能手 is an
honour, not a national total, and 专技处电话 is an office and a phone. Chinese is also matched by sound
(``knowledge/sounds.py``): most Chinese is typed through a pinyin input method, so 直建处 is read as 职建处.
Years are kept apart from the asker's own (1966年出生, 2020年评上的): only a year that names a round counts.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from knowledge.normalize import fold, is_english


class Terms(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    zh: list[str] = []
    en: list[str] = []
    patterns: list[str] = []  # regular expressions over the folded text, for what no list can hold (盂县, 还能…交)
    people: bool = False  # names people: one who says or tells (院长说, my dean says) is a source, not the subject
    where: bool = False  # says where the asker is (所里, 我们县), not what is asked about: what is asked decides
    process: bool = False  # a step or paper of the procedure (公示, 推荐函): naming it asks about the procedure


class Vocabulary(BaseModel):
    """Attribute and subject names, each with the words that express it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    attributes: dict[str, Terms]
    subjects: dict[str, Terms]
    # Words that ask nothing: amounts holding a question word (好几个 课题, 二十几个 徒弟), so the question word inside
    # is not read, and who asks for whom (我爸, 帮他整理): understood, so they do not count as unknown content.
    plain: list[str] = []


def load_vocabulary(path: Path) -> Vocabulary:
    return Vocabulary.model_validate(tomllib.loads(path.read_text("utf-8")))


@dataclass(frozen=True)
class Reading:
    """What a question asks and about what; ``words`` says which words were read as which name."""

    text: str  # folded
    english: bool
    attributes: frozenset[str]
    subjects: frozenset[str]
    years: frozenset[int] = frozenset()  # years that name a round (not the asker's own)
    words: dict[str, list[str]] = field(default_factory=dict)
    spans: tuple[tuple[int, int], ...] = ()  # where the words were read in the folded text
    plain: tuple[str, ...] = ()  # words read as asking nothing (好几个, 帮他): understood, though not asked
    # subjects the asker's facts imply (a professor's track): not named, so they only settle what would be asked back
    leaning: frozenset[str] = frozenset()

    def has(self, *names: str) -> bool:
        return any(n in self.attributes or n in self.subjects for n in names)

    def subject_of(self, prefix: str) -> list[str]:
        return sorted(s.split(".", 1)[1] for s in self.subjects if s.startswith(prefix + "."))


# A year followed, within a few characters, by one of these is about the asker's own history (born, promoted,
# retired, 2016年我就享受了, 去年已经退休了), not about a round.
_PERSONAL_AFTER = re.compile(r"^\s*年?\s*(\d{1,2}\s*月\s*)?(\d{1,2}\s*[日号]\s*)?[^，。？?！!,]{0,4}?"
                             r"(我(?!省|市|县|区|们|单位|院|校|厅|局|国)|他|她|就|已经|已|出生|生人|生的|年生|生|评上|评的|评为|获|拿|取得|"
                             r"参加工作|参工|工作|入职|毕业|退休|退|辞|调|转|做的|搞的|完成|发表|主持|以前|之前|左右|前后|开始工作|开始干|开始从事|到现在|至今|以来|起|"
                             r"那会|的时候|当上|晋升|考|报过|申报过|报了|参评过|没选上|没评上|落选|评过|推荐过|享受|经过|"
                             r"那个|那项|那篇|的课题|的项目|的成果|的论文|的专利|"
                             r"惯例|的惯例|的做法|的习惯|的经验|一样|那样)")
_COUNTED = re.compile(r"^[^，。？?！!,]{0,4}?(几|多少)")
_COUNTS = re.compile(r"(?<![这那前近好十])几(?!十|百|千|万)|多少")
# 我是1969年的, 男，1978年的，能报吗: a year said of a person (their birth), not of a round.
_PERSONAL_OF = re.compile(r"^\s*年?的\s*($|[，。,.！!？?、；;\s]|人)")
# Words that make a text ask something (吗, 什么, 算不算, 能报不, how …); 几 said of an amount (推广了几项, 好几) asks
# nothing.
ASKING = re.compile(r"[?？]|吗|么|呢|吧|怎|咋|如何|什么|啥|哪|谁|"
                    r"(?<=[^\s])[不没](?=[\s。!！~]*$)|(?<![了好十这那前近])几(?!次|十|百|千|万)|多少|能否|是否|可否|"
                    r"可不可以|能不能|会不会|算不算|是不是|有没有|行不行|"
                    r"\b(how|what|which|when|where|who|why|can|could|does|do|is|are|should|may)\b", re.IGNORECASE)
# In English a clause asks when it is a question in form: a question word or an inverted verb first, or a
# question mark (I go home in May and My team is done only tell).
_ASKING_EN = re.compile(r"^\W*(how|what|which|when|where|who|whom|whose|why|can|could|does|do|did|is|are|was|were|"
                        r"should|shall|may|might|will|would|must|has|have|any|please)\b|\?", re.IGNORECASE)
_LATIN = re.compile(r"[a-z]")
# between clauses: marks (not the point in 5.10 or the comma in 1,000); for who is meant, a space between Chinese words
# too (高级技师 能报不), though keywords set apart by spaces (正式函 联系方式 写哪几项) are one question
_BETWEEN_CLAUSES = re.compile(r"[，。！？；!?;]+|[,.](?=\s|$)")
_BETWEEN_PHRASES = re.compile(r"[，。！？；!?;]+|[,.](?=\s|$)|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
_PLAIN = "-"  # the tag of words that ask nothing
_WORKPLACE = "@"  # where the asker works (卫生院): it hides the field inside it (卫生) and says nothing more
# After a person's name: they said or told something (车间主任说得先在矿上推荐, 领导让我写个说明, my dean says).
_SPEAKS = re.compile(r"\s*(说|讲|让我|让|叫我|告诉|要求我|觉得|says|said|told|tells|wants)")
_YEAR = re.compile(r"(?<!\d)(20[0-4]\d|19\d\d)(?!\d)")
_EN_PERSONAL = re.compile(r"(born|since|retired|promoted|graduated|joined|received|returned|came back|came|moved|"
                          r"arrived)\W+(in\W+|on\W+|to china in\W+|to shanxi in\W+)?([a-z]+\W+)?$")


class Reader:
    """Built once from the vocabulary; ``read`` is pure and fast (one pass of a compiled pattern)."""

    def __init__(self, vocabulary: Vocabulary, own_city: str = "", own_city_en: str = "",
                 relative_years: dict[str, int] | None = None, extra: dict[str, list[str]] | None = None,
                 extra_plain: list[str] | None = None, field_people: list[str] | None = None) -> None:
        self.vocabulary = vocabulary
        zh: dict[str, str] = {}
        en: dict[str, str] = {}
        subjects = {**vocabulary.subjects}
        for name, words in (extra or {}).items():  # more words for subjects, from other data (the criteria)
            have = subjects.get(name, Terms())
            subjects[name] = Terms(zh=[*have.zh, *(w for w in words if not w.isascii())],
                                   en=[*have.en, *(w for w in words if w.isascii())])
        for kind, names in (("a", vocabulary.attributes), ("s", subjects)):
            for name, terms in names.items():
                tag = f"{kind}:{name}"
                for word in terms.zh:  # ASCII words in Chinese questions (ddl, pdf) match as words
                    (en if fold(word).isascii() else zh).setdefault(fold(word), tag)
                for word in terms.en:
                    en.setdefault(fold(word), tag)
        for word in vocabulary.plain:
            (en if fold(word).isascii() else zh).setdefault(fold(word), _PLAIN)
        for word in extra_plain or ():
            (en if fold(word).isascii() else zh).setdefault(fold(word), _WORKPLACE)
        own = {fold(w) for w in (own_city, own_city_en) if w}
        for tags in (zh, en):
            for word, tag in list(tags.items()):
                if tag == "s:place.other_city" and word in own:
                    tags[word] = "s:place.own_city"
        self._en = _alternation(en, english=True)
        self._zh_tags, self._en_tags = zh, en
        self._zh_longest = max((len(w) for w in zh), default=0)
        self._relative = {fold(k): v for k, v in (relative_years or {}).items()}
        self._patterns = [(re.compile(p), f"{kind}:{name}") for kind, names in (("a", vocabulary.attributes),
                                                                               ("s", subjects))
                          for name, terms in names.items() for p in terms.patterns]
        self._people = {f"s:{name}" for name, terms in subjects.items() if terms.people}
        # subjects marked in the data: steps of the procedure, and where the asker is
        self.steps = frozenset(name for name, terms in subjects.items() if terms.process)
        self.wheres = frozenset(name for name, terms in subjects.items() if terms.where)
        self._steps = frozenset(f"s:{name}" for name in self.steps)
        self._field_people = {fold(w) for w in field_people or ()}
        self._recent: dict[tuple[str, int], Reading] = {}

    def read(self, question: str, base_year: int) -> Reading:
        """What the question asks and about what; remembered for the last few hundred questions (a turn reads
        its question more than once: for the verdict, the guards, the sound check)."""
        key = (question, base_year)
        if key not in self._recent:
            if len(self._recent) >= 512:
                self._recent.pop(next(iter(self._recent)))
            self._recent[key] = self._read(question, base_year)
        return self._recent[key]

    def _read(self, question: str, base_year: int) -> Reading:
        text = fold(question)
        english = is_english(question)
        found: dict[str, list[str]] = {}
        spans = _zh_spans(text, self._zh_tags, self._zh_longest) + _en_spans(text, self._en, self._en_tags)
        matched = [(m.start(), m.end(), tag, m.group(0))
                   for pattern, tag in self._patterns for m in pattern.finditer(text)
                   if not any(s <= m.start() and m.end() <= e for s, e, _, _ in spans)]
        # A pattern's match holds the words inside it (政府特殊津贴 inside 市级的政府特殊津贴 is not this scheme).
        spans = [s for s in spans if not any(p <= s[0] and s[1] <= e and e - p > s[1] - s[0] for p, e, _, _ in matched)]
        spans = sorted(spans + matched)
        spans = [s for s in spans if not (s[2] in self._people and _SPEAKS.match(text, s[1]))]
        # a city named right before the province's office (寄到太原省厅) says where it is, not which city is asked about
        offices = {start for start, _, tag, _ in spans if tag == "s:office.province"}
        spans = [s for s in spans if not (s[2].startswith("s:place.") and (s[1] in offices or (
            text[s[1]:s[1] + 1] == "的" and s[1] + 1 in offices)))]
        if any(s[2].startswith("s:topic.") for s in spans):  # 本校一位教师…退休年龄: the teacher is who, not what
            spans = [s for s in spans if not (s[2].startswith("s:code.") and s[3] in self._field_people)]
        asking, told = _asking_and_told(text)
        spans = _told(spans, asking, told, self._steps)
        plain = tuple(s[3] for s in spans if s[2] == _PLAIN)
        read = tuple((start, end) for start, end, _, _ in spans)  # plain words too: read, not to be re-read by sound
        spans = [s for s in spans if s[2] not in (_PLAIN, _WORKPLACE)]
        for _, _, tag, word in spans:
            found.setdefault(tag, []).append(word)
        attributes = frozenset(t[2:] for t in found if t.startswith("a:"))
        subjects = frozenset(t[2:] for t in found if t.startswith("s:"))
        words = {t[2:]: w for t, w in found.items()}
        return Reading(text, english, attributes, subjects, self._round_years(text, base_year, told), words, read,
                       plain)

    def _round_years(self, text: str, base_year: int, told: list[tuple[int, int]]) -> frozenset[int]:
        """Years that name a round: written out (2022年的名额) or relative (去年), not the asker's own, and not
        said in a clause that only tells beside one that asks (``told``: 去年厂里效益提了不少 … 截止时间是哪天)."""
        def in_story(at: int) -> bool:  # (a clause that counts, 去年评上了几个人啊, asks however it ends)
            return any(a <= at < b and not _COUNTS.search(text[a:b]) for a, b in told)
        years = set()
        for m in _YEAR.finditer(text):
            after, before = text[m.end():m.end() + 12], text[max(0, m.start() - 24):m.start()]  # born in march
            if _personal_after(after) or _PERSONAL_OF.match(after) or _EN_PERSONAL.search(before) \
                    or in_story(m.start()):
                continue
            years.add(int(m.group(1)))
        for word, shift in self._relative.items():
            at = text.find(word)
            if at >= 0 and not _personal_after(text[at + len(word):at + len(word) + 12]) and not in_story(at):
                years.add(base_year + shift)
        return frozenset(years)


def _personal_after(after: str) -> bool:
    """What follows a year says it is the asker's own (去年评上了), unless it counts people (去年有几个人评上)."""
    return bool(_PERSONAL_AFTER.match(after)) and not _COUNTED.match(after)


def clauses(text: str, spaced: bool = False) -> list[tuple[int, int]]:
    """Where each clause of a text lies; a clause holds the mark ending it (…基层的？ asks). ``spaced``: a space
    between Chinese words ends a clause too."""
    ends = [m.end() for m in (_BETWEEN_PHRASES if spaced else _BETWEEN_CLAUSES).finditer(text)]
    return [(a, b) for a, b in zip([0, *ends], [*ends, len(text)], strict=True) if text[a:b].strip()]


def asks(clause: str) -> bool:
    """Whether a clause asks something: a Chinese question word anywhere, an English question in form."""
    if _LATIN.search(clause) and is_english(clause):
        return bool(_ASKING_EN.search(clause.strip()))
    return bool(ASKING.search(clause))


def _asking_and_told(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The clauses that ask, and those that only tell beside them (none when no clause asks: then nothing sets the
    asker's story apart from the question)."""
    parts = clauses(text)
    asking = [c for c in parts if asks(text[c[0]:c[1]])]
    return asking, [c for c in parts if c not in asking] if asking else []


def _told(spans: list[tuple[int, int, str, str]], asking: list[tuple[int, int]], told: list[tuple[int, int]],
          steps: frozenset[str]) -> list[tuple[int, int, str, str]]:
    """What is asked is what the clauses that ask name: an attribute's word in a clause that only tells (名字都不能
    随便往外公布。涉密的人员也要公示吗) is the asker's story, read but not asked, when the asking clauses name
    something themselves (else the clause that asks is generic, 电话，是多少, and leans on the rest); so is a step
    of the procedure told when the asking clauses name another (信息表已打印完毕。正式函要几份), and a place told
    when they name another (你们山西这边59个，河北省今年名额是多少)."""
    if not told:
        return spans

    def inside(span: tuple[int, int, str, str]) -> bool:
        return any(a <= span[0] < b for a, b in asking)
    if not any(inside(s) and s[2] != _PLAIN for s in spans):
        return spans
    step_asked = any(inside(s) and s[2] in steps for s in spans)
    place_asked = any(inside(s) and s[2].startswith("s:place.") for s in spans)
    return [s if inside(s) or not (s[2].startswith("a:") or (step_asked and s[2] in steps)
                                   or (place_asked and s[2].startswith("s:place.")))
            else (s[0], s[1], _PLAIN, s[3]) for s in spans]


def _zh_spans(text: str, tags: dict[str, str], longest: int) -> list[tuple[int, int, str, str]]:
    """The longest word starting at each position, minus words lying inside a longer one: 可以推荐 and 推荐多少
    overlap and both count; 全国 inside 全国技术能手 does not. Dictionary lookups, longest first."""
    spans = []
    for start in range(len(text)):
        for length in range(min(longest, len(text) - start), 0, -1):
            word = text[start:start + length]
            if word in tags:
                spans.append((start, start + length, tags[word], word))
                break
    return [s for s in spans if not any(o[0] <= s[0] and s[1] <= o[1] and o[1] - o[0] > s[1] - s[0] for o in spans)]


def _en_spans(text: str, pattern: re.Pattern[str] | None, tags: dict[str, str]) -> list[tuple[int, int, str, str]]:
    """English words and phrases, whole words, longest first, one pass."""
    if pattern is None or not _LATIN.search(text):
        return []
    spans = []
    for m in pattern.finditer(text):
        word = m.group(0)
        tag = tags.get(word) or tags.get(word[:-1]) or tags[word[:-2]]  # a plural ending set aside
        spans.append((m.start(), m.end(), tag, word))
    return spans


def _alternation(table: dict[str, str], english: bool) -> re.Pattern[str] | None:
    """One pattern of every English word, longest first (so the longest at a position wins), whole words."""
    words = sorted((w for w in table if w.isascii()), key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(rf"(?<![a-z0-9]){re.escape(w)}(?:e?s)?(?![a-z0-9])" for w in words))
