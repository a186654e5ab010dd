"""What an asker says about themselves in free text, read into the screening profile's facts.

The words come from the criteria data: each question of the self-check lists the words that state its value
(``says`` in questions.toml: 公务员 → government_staff, 副主任医师 → senior_title, 高级技师 → skill_level), and each
achievement option the fields that point to it (医生 → P6, a pointer, never a claim). Dates and ages are read
by pattern: a birth year or month is a range of dates, and so is an age (今年58岁), so the verdict is decided
only when the whole range gives the same answer.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from screening.retirement import add_months

_CN = {c: i for i, c in enumerate("零一二三四五六七八九")}
# A fact word followed by these names a kind of person (已经退休的能申请吗), not the asker.
_CATEGORY = re.compile(r"\s*(的人|的同志|的职工|的人员|的能|的可以|的还|的是否|的话|人员)")
# A fact word after these is a plan, not a fact (想先考高级技师, 准备评副高, 等评上正高).
_INTENT = re.compile(r"((想|准备|打算|计划|争取|希望|等我?|还没)(先|再|去)?(考上|考|评上|评|拿到|拿|申请|报考|冲)?"
                     r"|(?<![已经过])考)\s*$")
# A fact word followed by these was not reached (高级技师还没评下来, 副高没评上).
_NOT_YET = re.compile(r"\s*(还|都|也|仍)?(没|没有|未|不)(评|拿|考|批|下来|到手|取得|获得|下|过)")
# 他…是 before a kind of person (他2018年就已经是享受国务院政府特殊津贴人员了) says he is one: a fact, not a kind.
_IS_ONE = re.compile(r"(我|他|她|俺|本人)[^，。,.？?！!]{0,14}是")
# The asker correcting themselves (说得不准, 看错了, 搞混了): of a fact said both ways, the last word holds.
_CORRECTING = re.compile(r"说得?不准|说错|记错|看错|搞混|搞错|弄错|不对|更正|纠正|correction|i mean|sorry,? i")
# Another scheme named right after a fact word (享受过 山西省政府特殊津贴, 省级津贴): the fact is not about this one.
_OTHER_SCHEME = re.compile(r"[^，。,.？?！!]{0,4}?(山西)?(省|市|县|区)(政府|级|里|委)?的?(特殊)?(津贴|特贴)")
# A fact after these is what others say (听人说女工人50就退休了): hearsay, not the asker's fact.
_HEARSAY = re.compile(r"(听人说|听说|据说|有人说|人家说|都说|老板说|领导说|单位说)[^，。,.？?！!；;]{0,12}$")
# A fact said of people counted (一共有多少人享受过特贴, how many people have received it) is theirs, not the asker's.
_COUNTED = re.compile(r"(多少|几个|几位|几名|哪些)(人|名|位|个人)[^，。,.？?！!；;]{0,6}$"
                      r"|how many (people|persons|experts)[^,.?!;]{0,20}$")
# A fact of the present said after these is history (以前在部队, 原来是车间主任): not what holds now.
_QUOTED = re.compile(r"['‘“「『\"][^'’”」』\"]{1,30}['’”」』\"]")
_PAST = re.compile(r"(以前|之前|原来|曾经|早年|当年|年轻时候?|过去|退伍|转业|退役)[^，。,.；;！!？?]{0,10}$"
                   r"|(当|做|干|任)过[^，。,.；;！!？?]{0,3}$"  # 早年在省直机关当过几年公务员: history
                   r"|\b(was|used to be|formerly|former|ex-|past as)\s*(an?\s+)?$")  # was a civil servant until 2018
# A fact word after these is the rule the asker asks about (这算不算担任领导后不再从事专业技术工作), not a fact.
_QUOTING = re.compile(r"(算不算|属不属于|属于不属于|算是|是否属于|符合不符合|"
                      r"是不是必须|是否必须|必须得?|一定要|非得|要不要)[^，。,.？?]{0,8}$")
_NEGATION = re.compile(r"((不是|并非|并不是|没有|没|未|不|非|还没到|没到|不到|未到|没达到|未达到|还不是)"
                       r"(考过|考到|考取|考下|拿到|拿过|取得|评上|评过|获得|具备|持有|有)?|"
                       r"not an?|not|never|no longer|isn't|aren't|wasn't)\s*$")


@dataclass(frozen=True)
class BirthRange:
    """The birth dates a statement allows, and how precisely it was given."""

    earliest: dt.date
    latest: dt.date
    precision: str  # "day", "month", "year" or "age"

    def stated(self) -> str:
        """As the chat contract writes it: YYYY, YYYY-MM or YYYY-MM-DD (for an age, the year when only one fits)."""
        if self.precision == "day":
            return self.earliest.isoformat()
        if self.precision == "month":
            return self.earliest.isoformat()[:7]
        if self.precision == "year" or self.earliest.year == self.latest.year:
            return str(self.earliest.year)
        return ""


@dataclass(frozen=True)
class Statement:
    """The profile facts a text states (screen contract names), the birth range, and the conditions its fields
    point to."""

    facts: dict[str, Any] = field(default_factory=dict)
    birth: BirthRange | None = None
    pointers: tuple[str, ...] = ()  # achievement codes the asker's field points to (医生 → P6)
    categories: tuple[str, ...] = ()  # facts named as a kind of person (已经退休的, 享受过特贴的人), not of the asker
    someone_else: bool = False  # the text brings in another person (那我同事呢): its facts are theirs

    @property
    def empty(self) -> bool:
        return not self.facts and self.birth is None

    def merged(self, newer: Statement) -> Statement:
        """This statement updated by a newer one (a later turn of the conversation)."""
        return Statement({**self.facts, **newer.facts}, newer.birth or self.birth,
                         tuple(dict.fromkeys([*self.pointers, *newer.pointers])), newer.categories)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def cn_number(word: str) -> int | None:
    """一 … 九十九 (and digits) as an int."""
    if word.isdigit():
        return int(word)
    if not word or any(c not in _CN and c != "十" for c in word):
        return None
    if "十" in word:
        tens, _, units = word.partition("十")
        return (_CN[tens] if tens else 1) * 10 + (_CN[units] if units else 0)
    return _CN[word] if len(word) == 1 else None


_NUM = r"(\d{1,3}|[一二三四五六七八九十]{1,3})"
# How people state a birth, most precise first; each names its parts: `year` (1966, 66 or 六六), `month` (a number or
# an English name), `day`. The first that matches is the birth (`_birth`).
_BIRTH_READERS = tuple(re.compile(pattern) for pattern in (
    # 1966年5月12日, 1966-05-12
    r"(?<!\d)(?P<year>(?:19|20)\d\d)\s*[年\-/.]\s*(?P<month>\d{1,2})\s*[月\-/.]\s*(?P<day>\d{1,2})\s*[日号]?",
    # 1966年5月
    r"(?<!\d)(?P<year>(?:19|20)\d\d)\s*[年\-/.]\s*(?P<month>\d{1,2})\s*月份?",
    # 66年生人, 66年5月出生, 63年的
    r"(?<!\d)(?P<year>[3-9]\d)\s*年\s*(?:(?P<month>\d{1,2})\s*月\s*)?(?:出生|出世|生人|生的|生|的)",
    # 75年10月 said alone (是75年10月 身份证上写的): a year and month with nothing after them
    r"(?<!\d)(?P<year>[3-9]\d)\s*年\s*(?P<month>\d{1,2})\s*月(?=\s|[，,。；;！!]|$)",
    # 女，1973年。 / 76年男: a year said right beside the sex
    r"(?<=[男女])[，,、。.；;\s]*(?P<year>(?:19)?[3-9]\d)\s*年(?=\s|[，,。；;、]|$)",
    r"(?<!\d)(?P<year>(?:19)?[3-9]\d)\s*年\s*(?=[男女](?:的|性|同志)?(?:[，,。；;、\s]|$))",
    # 男 68年 在煤科院: a two-digit year set apart among other facts (not 干了 28年, a span of years)
    r"(?:^|(?<=[\s，,、]))(?<![干做了龄业满]\s)(?P<year>[4-9]\d)\s*年(?!\s*工龄)(?=\s|[，,。；;、]|$)",
    # 六七年生人, 六三年十月出生, 七二年的: the year in Chinese digits, said as a birth (not 干了七八年的, a span of
    # years: a pair of neighbouring digits said with 的 alone is a span)
    r"(?<![了干做有近快这那一二三四五六七八九十])(?P<year>[三四五六七八九][〇零一二三四五六七八九])\s*年\s*"
    r"(?:(?P<month>十[一二]?|[一二三四五六七八九])\s*月份?\s*)?(?:出生|出世|生人|生的|年生|生(?![产活意病]))",
    r"(?<![了干做有近快这那一二三四五六七八九十])(?!三四|四五|五六|六七|七八|八九)"
    r"(?P<year>[三四五六七八九][〇零一二三四五六七八九])\s*年\s*的(?![经工活时])",
    # 1966年出生, 1966的人
    r"(?<!\d)(?P<year>(?:19|20)\d\d)\s*年?\s*(?=出生|出世|生人|生的|年生|生|的人|的\s*(?:$|[，。,.！!？?、；;\s]))",
    r"(?:出生于|生于|出生在)\s*(?P<year>(?:19|20)\d\d)",
    # born in May 1966, b. 1966
    r"born\s+(?:in\s+|on\s+)?(?:(?P<month>[a-z]+)\s+)?(?P<year>(?:19|20)\d\d)",
    r"b\.\s*(?P<year>(?:19|20)\d\d)",
))
# 今年6月就到退休年龄, 明年3月才到退休年龄, 今年十月就到点退了: when the asker reaches the retirement age
_RETIRES = re.compile(r"(今年|明年|后年|((?:19|20)\d\d)\s*年)?\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月份?"
                      r"\s*(?:底|初|中)?\s*(?:就|才|便)?(?:要|会|将)?(?:到|满|达到)了?(?:法定)?(?:退休年龄|退休年纪|退休岁数|点退|退休)")
_RETIRES_EN = re.compile(r"(?:retire|retiring|retires|reach(?:es|ing)? (?:the )?(?:statutory )?retirement age)\s+"
                         r"(?:in|on|at the end of)\s+([a-z]+)(?:\s+((?:19|20)\d\d))?(?:\s+(this|next) year)?")
_AGE = re.compile(r"(?:今年|现年|已经|已|我|他|她|快|都)?\s*" + _NUM + r"\s*(?:周)?岁"
                  r"|(?:今年|现年)\s*" + _NUM + r"\s*了|(?:今年|现年)\s*(\d{2})(?=\s*[，,。；;！!？?]|$)")
_AGE_EN = re.compile(r"(\d{2})\s*(?:-|\s)?(?:years?|yrs?)[\s-]*old|\b(?:i am|i'm|aged|age|(?:woman|man|lady|person) of)"
                     r"\s+(\d{2})\b")
_YEARS = re.compile(r"(?:干|从事|做|搞|工作|当|跑|教|焊|修|种|下井|行医|从医|执教|任教|带班|上班|本工种|本职业"
                    r"|工种|入行|在一线干|在岗|干这行|从业|工龄|满)"
                    r"[^\d，。,；;]{0,10}?"
                    + _NUM + r"\s*(多|来|余)?\s*年(?!级|代|前|底|初)|" + _NUM + r"\s*(多|来|余)?\s*年(工龄|了)")
_YEARS_TOTAL = re.compile(r"(?:加起来|一共|总共|累计|合计|前后|说错了[，,\s]*是?|不对[，,\s]*是?|应该是)"
                          r"[^\d，。,；;]{0,4}?" + _NUM
                          + r"\s*(多|来|余)?\s*年(?!级|代|前|底|初)")
_YEARS_EN = re.compile(r"(\d{1,2})\+?\s*years?\s+(?:in|as|of|on|at|doing|working)"
                       r"|(?:doing it|working|worked|been)\s+(?:there\s+|it\s+)?for\s+(\d{1,2})\+?\s*years?")
_MONTHS_EN = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december"]


class StatementReader:
    """Built once from the self-check's questions and the achievement options; ``read`` is pure."""

    def __init__(self, says: dict[str, dict[str, list[str]]], kinds: dict[str, str],
                 pointers: dict[str, list[str]], claims: dict[str, list[str]] | None = None,
                 patterns: dict[str, dict[str, list[str]]] | None = None,
                 present: frozenset[str] = frozenset(), conflict_wins: dict[str, Any] | None = None,
                 achieved: list[str] | None = None, award_grades: list[str] | None = None,
                 someone_else: list[str] | None = None, below_min: frozenset[str] = frozenset(),
                 weak: frozenset[str] = frozenset()) -> None:
        table: dict[str, tuple[str, Any]] = {}
        for name, values in says.items():
            for key, words in values.items():
                value: Any = {"true": True, "false": False}.get(key, key) if kinds.get(name) == "bool" else key
                for word in words:
                    table.setdefault(_fold(word), (name, None if key == "neutral" else value))
        for code, words in (claims or {}).items():
            for word in words:
                table.setdefault(_fold(word), ("claim", code))
                if word.endswith("奖") and not word.endswith("等奖"):  # 科技进步奖 names 科技进步二等奖 too
                    for grade in award_grades or ():
                        table.setdefault(_fold(word[:-1] + grade + "奖"), ("claim", code))
        self._table = table
        self._pattern = _words_pattern(table)
        # Fields are read in a pass of their own: 一级演员 states a title and points to 宣传文化 (P5) at once.
        self._pointers = {_fold(w): code for code, words in pointers.items() for w in words}
        self._pointer_pattern = _words_pattern(self._pointers)
        self._someone_else = re.compile("|".join(f"(?:{p})" for p in someone_else or ()) or "(?!)")
        # A result reported beside a field makes the field the asker's claim (主刀的手术全市最多: P6).
        self._achieved = _words_pattern({_fold(w): None for w in achieved or ()}) if achieved else None
        self._bool = {name for name, kind in kinds.items() if kind == "bool"}
        self._below_min = below_min  # skill levels whose denial (没考过高级技师) says the level is below the minimum
        self._weak = frozenset(_fold(w) for w in weak)  # words that yield to any other word of their fact (她, he)
        self._present = present  # facts about now, which history said with 以前 does not state
        self._conflict_wins = conflict_wins or {}  # the value that holds when a message says a fact both ways
        # Words of a kind no list can hold (副主任中医师, 二级演员, 2010年就评上了特贴): regular expressions per value.
        self._patterns = [(re.compile(p), name, {"true": True, "false": False}.get(key, key)
                           if kinds.get(name) == "bool" else key)
                          for name, values in (patterns or {}).items() for key, ps in values.items() for p in ps]

    def read(self, text: str, today: dt.date, year: int | None = None) -> Statement:
        """The facts a text states; ``year`` is the round's year, which 今年 and this year name when the asker says
        when they retire (the round's own time, as the question reader reads 今年)."""
        folded = _fold(text)
        facts: dict[str, Any] = {}
        categories: list[str] = []
        conflicts: set[str] = set()
        asserted: set[str] = set()  # said of the asker at least once (中级职称 … 中级的能报吗: not only a kind)
        pointers: list[str] = []
        claims: list[str] = []
        quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(folded)]  # 不算'当了领导不搞业务'吧: the rule cited
        found = [(m.start(), m.end(), *self._table[m.group(0)]) for m in self._pattern.finditer(folded)]
        # a listed word wins over a pattern of its own field; 女 (sex) leaves 女工 (a worker post) to its pattern
        found += sorted((m.start(), m.end(), name, value) for pattern, name, value in self._patterns
                        for m in pattern.finditer(folded)
                        if not any(s < m.end() and m.start() < e and n == name for s, e, n, _ in found))
        strong = {name for start, end, name, _ in found if folded[start:end] not in self._weak}
        for start, end, name, value in found:
            if name in strong and folded[start:end] in self._weak:
                continue  # 她 beside 俺是男的: another person's pronoun
            if value is None or any(a < start and end < b for a, b in quoted) \
                    or _INTENT.search(folded[max(0, start - 5):start]) \
                    or folded.startswith(("之后", "以后"), end) \
                    or _QUOTING.search(folded[max(0, start - 12):start]) \
                    or _HEARSAY.search(folded[max(0, start - 16):start]) \
                    or _COUNTED.search(folded[max(0, start - 40):start]):
                continue  # a plan, a supposition (享受了特贴之后), the rule asked, what others say, people counted
            if name in self._present and _PAST.search(folded[max(0, start - 12):start]):
                continue
            if _OTHER_SCHEME.match(folded, end):
                continue  # 享受过山西省政府特殊津贴: another scheme's allowance, not this one
            negated = bool(_NEGATION.search(folded[max(0, start - 6):start]) or _NOT_YET.match(folded, end))
            if name == "claim":
                if not negated:
                    claims.append(value)
                continue
            if negated:
                if name == "skill_level" and value in self._below_min:
                    facts["below_min_skill_level"] = True
                    asserted.add("below_min_skill_level")
                if name not in self._bool:
                    continue
                value = not value
            if name in facts and facts[name] != value:
                conflicts.add(name)
            facts[name] = value
            if _CATEGORY.match(folded, end) and not _IS_ONE.search(folded[max(0, start - 12):end]):
                categories.append(name)
            else:
                asserted.add(name)
        corrected = bool(_CORRECTING.search(folded))  # 我说得不准，…证书是高级技师: the value said last holds
        for name in conflicts - (set(facts) if corrected else set()):
            if name in self._conflict_wins:
                facts[name] = self._conflict_wins[name]  # 从中级评上了副高: the higher one is the current one
            else:
                facts.pop(name)
        pointers += [self._pointers[m.group(0)] for m in self._pointer_pattern.finditer(folded)]
        if pointers and self._achieved is not None and any(
                not _NEGATION.search(folded[max(0, m.start() - 4):m.start()])
                and not _HEARSAY.search(folded[max(0, m.start() - 16):m.start()])
                for m in self._achieved.finditer(folded)):
            claims += pointers
        retires = _RETIRES.search(folded)
        if retires and not _HEARSAY.search(folded[max(0, retires.start() - 16):retires.start()]):
            on = _retires_on(retires, year or today.year)
            if on is not None:
                facts["retires_on"] = on.isoformat()
        elif retires_en := _RETIRES_EN.search(folded):
            month = _month_en(retires_en.group(1))
            when = int(retires_en.group(2)) if retires_en.group(2) else (year or today.year) + (
                retires_en.group(3) == "next")
            if month is not None:
                facts["retires_on"] = _last_day(when, month).isoformat()
        years = self._years(folded)
        if years is not None:
            facts["years_in_occupation"] = years
        if claims:
            facts["achievements"] = list(dict.fromkeys(claims))
        return Statement(facts, self._birth(folded, today), tuple(dict.fromkeys(pointers)),
                         tuple(dict.fromkeys(c for c in categories if c not in asserted)),
                         bool(self._someone_else.search(folded)))

    @staticmethod
    def _years(text: str) -> int | None:
        m = _YEARS_TOTAL.search(text) or _YEARS.search(text)  # 加起来7年 counts, not the parts before it
        if m:
            number = cn_number(m.group(1) or m.group(3) or "")
            return number if number is not None and number <= 60 else None
        m = _YEARS_EN.search(text)
        years = int(m.group(1) or m.group(2)) if m else None
        return years if years is not None and years <= 60 else None

    @staticmethod
    def _birth(text: str, today: dt.date) -> BirthRange | None:
        """A birth date, month or year as stated, or an age turned into the range of birth dates it allows."""
        for reader in _BIRTH_READERS:
            if (m := reader.search(text)) and (born := _born(m)) is not None:
                return born if born.earliest <= today else None  # a birth day after today is no birth
        age = None
        if m := _AGE.search(text):
            age = cn_number(m.group(1) or m.group(2) or m.group(3))
        elif m := _AGE_EN.search(text):
            age = int(m.group(1) or m.group(2))
        if age is not None and 16 <= age <= 100:
            latest = add_months(today, -12 * age)
            earliest = add_months(today, -12 * (age + 1)) + dt.timedelta(days=1)
            return BirthRange(earliest, latest, "age")
        return None


def _retires_on(m: re.Match[str], this_year: int) -> dt.date | None:
    """The last day of the month the asker says they reach the retirement age in (this year unless named)."""
    year = {"今年": this_year, "明年": this_year + 1, "后年": this_year + 2}.get(m.group(1) or "", this_year)
    if m.group(2):
        year = int(m.group(2))
    month = cn_number(m.group(3))
    if month is None or not 1 <= month <= 12:
        return None
    return _last_day(year, month)


def _month_en(name: str | None) -> int | None:
    """A month named in English, in full or cut short (December, Dec)."""
    return next((i + 1 for i, month in enumerate(_MONTHS_EN) if name and len(name) >= 3 and month.startswith(name)),
                None)


def _last_day(year: int, month: int) -> dt.date:
    return add_months(dt.date(year, month, 1), 1) - dt.timedelta(days=1)


def _words_pattern(table: dict[str, Any]) -> re.Pattern[str]:
    """Every word of a table, longest first; English words whole."""
    words = sorted(table, key=len, reverse=True)
    return re.compile("|".join(rf"(?<![a-z]){re.escape(w)}(?![a-z])" if w.isascii() else re.escape(w)
                               for w in words) or "(?!)")


def _born(m: re.Match[str]) -> BirthRange | None:
    """The birth range a reader's match states: a day, a month or a year (two-digit years are the 1900s); None for
    an impossible date, which lets the next reader try (1966-13-01 is no day, 1966 may still be the year)."""
    parts = m.groupdict()
    digits = m["year"] if m["year"].isdigit() else "".join(str(cn_number(c) or 0) for c in m["year"])
    year = int(digits) + (1900 if len(digits) == 2 else 0)
    said = parts.get("month")
    month = (cn_number(said) if said else None) or _month_en(said)  # 10, 十, or march
    if parts.get("day"):
        try:
            day = dt.date(year, int(month or 0), int(parts["day"]))
        except ValueError:
            return None
        return BirthRange(day, day, "day")
    return _month(year, month) if month else _year(year)


def _month(year: int, month: int) -> BirthRange | None:
    if not 1 <= month <= 12 or not 1900 <= year <= 2020:
        return None
    return BirthRange(dt.date(year, month, 1), _last_day(year, month), "month")


def _year(year: int) -> BirthRange | None:
    if not 1900 <= year <= 2020:
        return None
    return BirthRange(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
