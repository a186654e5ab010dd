"""Find the round's facts in the notice's clauses: numbers, dates, quotas, materials and procedure steps.

Each fact is looked for by the words the notice states it in (二（五）: "YYYY 年 MM 月 DD 日前达到国家法定退休年龄"),
in every clause, and every place it is found is kept with its clause and the words it came from: the review
report shows them all, says what was expected and not found, and what was found twice with different values.
Contacts are read in ``importer_contacts.py``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from knowledge.clauses import Clause
from knowledge.importer_text import (
    DATE,
    DEPARTMENT_EN,
    DIVISIONS_EN,
    MONTHS_EN,
    NUMBER,
    date_en,
    month_day,
    number,
    office_en,
    squash,
    tidy,
)
from knowledge.importer_toml import Noted


@dataclass(frozen=True)
class Found:
    """One place a fact was found: its value, the clause, and the notice's words it came from."""

    fact: str  # deadline.province.date, contact.professional.phones, quota.total …
    value: object
    clause: str
    words: str
    line: int | None = None  # the notice's line, when the finder knows it (else the report looks it up)


@dataclass(frozen=True)
class Expect:
    """A fact the importer looks for, where the notice usually states it, and how much its absence matters."""

    fact: str
    where: str
    essential: bool = False  # missing or contradictory: the import fails (exit 2)
    optional: bool = False  # a round may well not have it


@dataclass
class Findings:
    found: dict[str, list[Found]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what the reviewer should know (a guess, a fallback)

    def add(self, fact: str, value: object, clause: str, words: str, line: int | None = None) -> None:
        if value in (None, "", []):
            return
        self.found.setdefault(fact, []).append(Found(fact, value, clause, words, line))

    def first(self, fact: str) -> Found | None:
        places = self.found.get(fact)
        return places[0] if places else None

    def get(self, fact: str, default: object = None) -> object:
        f = self.first(fact)
        return default if f is None else f.value

    def conflicts(self) -> dict[str, list[Found]]:
        """Facts found more than once with different values (each distinct value once, first place first)."""
        out = {}
        for fact, places in self.found.items():
            distinct = list({repr(p.value): p for p in reversed(places)}.values())[::-1]
            if len(distinct) > 1:
                out[fact] = distinct
        return out


def day_of(year: str | int, month: str | int, day: str | int) -> dt.date | None:
    """The date, or None for one that does not exist (a typo in the notice is reported as not found)."""
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def sentences(clause: Clause) -> Iterator[str]:
    """The clause's sentences (split at 。 and at line ends), each with its final 。."""
    for line in clause.text.split("\n"):
        for part in re.findall(r"[^。]+。?", line):
            if part.strip():
                yield part


def _search(findings: Findings, clauses: list[Clause], fact: str, pattern: str,
            convert: Callable[[str], object] = number) -> None:
    """Every match of the pattern in every clause: group 1 converted is the value; the match, the words."""
    regex = re.compile(pattern)
    for clause in clauses:
        for sentence in sentences(clause):
            for m in regex.finditer(sentence):
                findings.add(fact, convert(m.group(1)), clause.id, m.group(0))


# ---------------------------------------------------------------- the round's numbers and dates
ROUND_EXPECTED = [
    Expect("round.year", "the title: 关于开展YYYY年享受国务院政府特殊津贴人员选拔推荐工作的通知", essential=True),
    Expect("round.cutoff_date", "二（五）: YYYY 年 MM 月 DD 日前达到国家法定退休年龄"),
    Expect("round.recent_years", "二（三）: 推荐人选须是近 N 年在专业技术岗位和技能岗位上工作"),
    Expect("round.min_years_in_occupation", "一（二）: 从事本职业（工种）N年以上"),
    Expect("round.reserve_year", "二（三）: YYYY 年我省经社会公示确定推荐的后备人选", optional=True),
    Expect("round.info_form_copies", "五（一）1: 推荐人选信息表 N 份"),
    Expect("round.proof_copies", "五（一）1: 个人业绩成果情况证明材料 N 份"),
    Expect("round.basis", "序言: （人社部函〔YYYY〕N号）"),
]


def round_facts(findings: Findings, clauses: list[Clause]) -> None:
    """The round's numbers and dates (its year from the title is added by the importer, which has the line)."""
    _search(findings, clauses, "round.year", r"(\d{4})\s*年\s*我省(?:共有)?选拔推荐", int)
    for clause in clauses:
        for sentence in sentences(clause):
            for m in re.finditer(DATE.pattern + r"\s*(?:之?前|[（(]含[）)])?\s*(?:已)?达到(?:国家)?法定退休年龄",
                                 sentence):
                findings.add("round.cutoff_date", day_of(*m.group(1, 2, 3)), clause.id, m.group(0))
    # 二（三） says it of the post; 一（一） of the results: the criteria read one number for both.
    _search(findings, clauses, "round.recent_years", rf"近\s*({NUMBER})\s*年\s*在[^。]*?岗位")
    _search(findings, clauses, "round.recent_years", rf"近\s*({NUMBER})\s*年\s*取得")
    _search(findings, clauses, "round.min_years_in_occupation",
            rf"从事本职业\s*[（(]?\s*工种\s*[）)]?\s*({NUMBER})\s*年(?:及)?以上")
    _search(findings, clauses, "round.reserve_year", r"(\d{4})\s*年[^。；]{0,30}?后备人选", int)
    _search(findings, clauses, "round.info_form_copies", rf"推荐人选信息表》?\s*(?:一式)?\s*({NUMBER})\s*份")
    _search(findings, clauses, "round.proof_copies", rf"证明材料\s*({NUMBER})\s*份")
    _search(findings, clauses, "round.basis", r"(人社部函\s*[〔\[【]\s*\d{4}\s*[〕\]】]\s*\d+\s*号)", squash)


# ---------------------------------------------------------------- deadlines
DEADLINE_EXPECTED = [
    Expect("deadline.province.date", "五（二）: 申报材料（含电子版）须在 YYYY 年 M 月 D 日前报送", essential=True),
    Expect("deadline.province.late", "五（二）: 逾期不予受理", optional=True),
    Expect("deadline.province.to.professional", "五（二）: 专业技术人员申报材料报送至省人力资源和社会保障厅…处"),
    Expect("deadline.province.to.skilled", "五（二）: 高技能人才申报材料报送至省人力资源和社会保障厅…处"),
]
CITY_DEADLINE_EXPECTED = [
    Expect("deadline.city.date", "the city letter: 于今年四月底之前向市人社局…科报审"),
    Expect("deadline.city.to", "the city letter: 向市人社局…科报审"),
    Expect("deadline.city.who", "the city letter: 请各县（区）人社局及相关单位…"),
]

_WEEKDAY = r"(?:\s*[（(][^）)]{1,6}[）)])?"  # 2026年5月22日（星期五）
_PROVINCE_DEADLINE = re.compile(
    r"(?:须|应|要|请)?\s*[在于]\s*" + DATE.pattern + _WEEKDAY
    + r"\s*(?:之)?前[^。；]{0,20}?(?:报送|报至|提交|上报|送达|报)")
_SENT_TO = re.compile(
    r"(专业技术人[员才]|高技能人才)[^，。；]*?报送?至(?:省人力资源和社会保障厅|省人社厅)?([^，。；]+?处)")
LATE_EN = {"逾期不予受理": "late materials are not accepted"}


def province_deadline(findings: Findings, clauses: list[Clause]) -> None:
    """The materials' deadline at the province, the offices it goes to, and what happens to late material."""
    for clause in clauses:
        for sentence in sentences(clause):
            if (m := _PROVINCE_DEADLINE.search(sentence)) and "材料" in sentence:
                quote = sentence[: m.end()].strip()
                findings.add("deadline.province.date", day_of(*m.group(1, 2, 3)), clause.id, quote)
                findings.add("deadline.province.quote", quote, clause.id, quote)
                what = tidy(sentence[: m.start()])
                findings.add("deadline.province.what", what if "材料" in what else "", clause.id, quote)
                for late in re.finditer(r"逾期[^。，；]*", clause.text):
                    findings.add("deadline.province.late", tidy(late.group(0)), clause.id, late.group(0))
            for m in _SENT_TO.finditer(sentence):
                track = "professional" if m.group(1).startswith("专业技术") else "skilled"
                findings.add(f"deadline.province.to.{track}", tidy(m.group(2)), clause.id, m.group(0))


_CITY_DEADLINE = re.compile(
    rf"(?:于\s*)?(?:(今年|本年)|(\d{{4}})\s*年)?\s*({NUMBER})\s*月\s*(底|末|上旬|中旬|下旬|({NUMBER})\s*[日号])\s*(?:之)?前")
_CITY_TO = re.compile(r"^\s*[，,]?\s*(?:向|报送?至|报到|报给)\s*([^，。；]+?)\s*(报审|报送|上报|提交|报)")
_CITY_OFFICE = re.compile(  # 于4月30日前将推荐人选报市人社局专技科
    r"^[^。；]*?(?:向|报送至|报至|报到|报给|报送|报)\s*((?:[\u4e00-\u9fff]{2,3})?市[^，。；]*(?:科|局|处|室|中心))")


def city_deadline(findings: Findings, clauses: list[Clause], year: int) -> None:
    """The city letter's own date (于今年四月底之前向市人社局专管科报审), resolved to a day, and who reports to whom."""
    for clause in clauses:
        if clause.label == "落款":
            continue
        for sentence in sentences(clause):
            for m in _CITY_DEADLINE.finditer(sentence):
                y = int(m.group(2)) if m.group(2) else year
                month = number(m.group(3))
                part = m.group(4)
                day = day_of(y, month, number(m.group(5))) if m.group(5) else month_day(y, month, part)
                if day is None:
                    continue
                to = _CITY_TO.match(sentence[m.end():]) or _CITY_OFFICE.match(sentence[m.end():])
                quote = sentence[m.start(): m.end() + (to.end() if to else 0)].strip()
                phrase = f"{m.group(3)}月{part}"
                stated = (f"{y}年{day.month}月{day.day}日前" if phrase == f"{day.month}月{day.day}日"
                          else f"{y}年{phrase}（{day.month}月{day.day}日）前")
                findings.add("deadline.city.date", day, clause.id, quote)
                findings.add("deadline.city.quote", quote, clause.id, quote)
                findings.add("deadline.city.stated_as", stated, clause.id, quote)
                findings.add("deadline.city.stated_as_en", _stated_en(day, part), clause.id, quote)
                if to:
                    findings.add("deadline.city.to", tidy(to.group(1)), clause.id, quote)
                if who := re.search(r"请\s*(各[^，。；]*?)(?=认真|按照|结合|抓紧|及时|要|于|务必|，)", sentence):
                    findings.add("deadline.city.who", tidy(who.group(1)), clause.id, who.group(0))


def _stated_en(day: dt.date, part: str) -> str:
    month = MONTHS_EN[day.month]
    words = {"底": "the end of", "末": "the end of", "下旬": "late", "中旬": "mid-", "上旬": "early"}
    if part not in words:
        return f"by {date_en(day)}"
    lead = words[part]
    when = f"{lead}{month}" if lead.endswith("-") else f"{lead} {month}"
    return f"by {when} {day.year} ({month} {day.day})"


# ---------------------------------------------------------------- quotas
QUOTA_EXPECTED = [
    Expect(f"quota.{name}", where) for name, where in [
        ("total", "二（一）: 选拔推荐享受国务院政府特殊津贴人员N名，其中"),
        ("professional_total", "二（一）: 其中：专业技术人才N名"),
        ("skilled_total", "二（一）: 高技能人才N名"),
        ("education", "二（二）: 省教育厅N名"),
        ("health", "二（二）: 省卫健委N名"),
        ("other_departments_professional", "二（二）: 其它省直有关部门（单位）、省属企业各推荐N名"),
        ("city_professional", "二（二）: 各市推荐N名"),
        ("skilled_each", "二（二）: 各市、省直有关部门（单位）、省属企业各择优推荐 N 名高技能人才人选"),
    ]
]


def quotas(findings: Findings, clauses: list[Clause]) -> None:
    for clause in clauses:
        text = clause.text.replace("\n", "")
        # 59名，其中：专业技术人才45名，高技能人才14名
        if m := re.search(rf"({NUMBER})\s*名\W{{0,3}}其中\W{{0,2}}", text):
            findings.add("quota.total", number(m.group(1)), clause.id, m.group(0))
            after = text[m.end(): m.end() + 40]
            _in(findings, clause, after, "quota.professional_total", rf"专业技术人才\s*({NUMBER})\s*名")
            _in(findings, clause, after, "quota.skilled_total", rf"高技能人才\s*({NUMBER})\s*名")
        for s in sentences(clause):
            if "省教育厅" in s or "专业技术人才推荐指标" in s:
                _in(findings, clause, s, "quota.education", rf"省教育厅\s*({NUMBER})\s*名")
                _in(findings, clause, s, "quota.health", rf"省卫(?:健委|生健康委员会)\s*({NUMBER})\s*名")
                _in(findings, clause, s, "quota.other_departments_professional",
                    rf"省属企业\s*各\s*(?:择优)?\s*推荐\s*({NUMBER})\s*名")
                _in(findings, clause, s, "quota.city_professional",
                    rf"各市\s*(?:各)?\s*(?:择优)?\s*推荐\s*({NUMBER})\s*名")
            elif "高技能人才" in s and not re.search(r"其中", s):
                # 各择优推荐 2 名高技能人才人选 / 推荐高技能人才人选各 2 名 / 高技能人才推荐指标为各 2 名
                for pattern in (rf"各\s*(?:择优)?\s*(?:推荐)?\s*(?:指标)?\s*(?:为|是)?\s*({NUMBER})\s*名",
                                rf"(?:择优)?\s*推荐\s*({NUMBER})\s*名\s*高技能人才"):
                    if re.search(pattern, s):
                        _in(findings, clause, s, "quota.skilled_each", pattern)
                        break


def _in(findings: Findings, clause: Clause, sentence: str, fact: str, pattern: str) -> None:
    for m in re.finditer(pattern, sentence):
        findings.add(fact, number(m.group(1)), clause.id, m.group(0))


QUOTA_UNITS = {
    "total": ("全省", "total", False), "professional_total": ("全省专业技术人才", "professional", False),
    "skilled_total": ("全省高技能人才", "skilled", False), "education": ("省教育厅", "professional", False),
    "health": ("省卫健委", "professional", False),
    "other_departments_professional": ("其它省直有关部门（单位）、省属企业", "professional", True),
    "city_professional": ("各市", "professional", True),
    "skilled_each": ("各市、省直有关部门（单位）、省属企业", "skilled", True),
}


# ---------------------------------------------------------------- materials and procedure
MATERIAL_EXPECTED = [
    Expect("material.letter", "五（一）1: 一是人选推荐的正式函。…"),
    Expect("material.list", "五（一）1: 二是人选一览表。…"),
    Expect("material.info_form", "五（一）1: 三是推荐人选信息表 N 份…"),
    Expect("material.electronic", "五（一）2: 电子材料。…"),
]
_ITEM = re.compile(r"[一二三四五六七八九十]是\s*")


def materials(findings: Findings, clauses: list[Clause]) -> None:
    """The paper items (一是…二是…三是…) and the electronic ones, each as a (name, detail) pair."""
    for clause in clauses:
        text = clause.text.replace("\n", "")
        if "书面材料" in text and _ITEM.search(text):
            for item in _ITEM.split(text)[1:]:
                kind = ("letter" if "正式函" in item else "list" if "一览表" in item
                        else "info_form" if "信息表" in item else "")
                if kind:
                    findings.add(f"material.{kind}", _name_detail(item), clause.id, item.strip())
        if m := re.search(r"电子材料\s*[。：:]\s*(.+)", text):
            detail = tidy(m.group(1)).rstrip("。")
            findings.add("material.electronic", ("电子材料", detail), clause.id, m.group(0).strip())


def _name_detail(item: str) -> tuple[str, str]:
    """一是人选推荐的正式函。内容包括… → (人选推荐的正式函, 内容包括…); 推荐人选信息表 3 份（用 A4 纸打印），并附… →
    (推荐人选信息表3份, 用A4纸打印，并附…)."""
    item = tidy(item).rstrip("。")
    if m := re.match(r"(.+?份)(.*)$", item) if "信息表" in item else None:
        name, rest = m.group(1), m.group(2)
    else:
        name, _, rest = item.partition("。")
    if rest.startswith("（") and "）" in rest:
        inner, _, after = rest[1:].partition("）")
        rest = inner + after
    return tidy(name), rest.strip("，。；、 ")


PROCEDURE_EXPECTED = [
    Expect("procedure.via_unit", "三（一）: 基层单位按照人事隶属关系逐级向上推荐人选"),
    Expect("procedure.review", "三（二）: 审核、专家评议、公示、征求纪检监察机关意见"),
    Expect("procedure.online", "五、: 申报人登录政府特殊津贴申报系统在线填写申报材料并逐级上报审核"),
]


def procedure(findings: Findings, clauses: list[Clause]) -> None:
    """Which clauses set out the steps (the step texts are the generic ones of facts.toml)."""
    for clause in clauses:
        for s in sentences(clause):
            if "人事隶属关系" in s:
                findings.add("procedure.via_unit", clause.id, clause.id, s)
            if "专家评议" in s and "审核" in s:
                findings.add("procedure.review", clause.id, clause.id, s)
            if "申报系统" in s and "逐级上报" in s:
                findings.add("procedure.online", clause.id, clause.id, s)


# ---------------------------------------------------------------- the facts.toml entries
def _noted(findings: Findings, fact: str) -> Noted | None:
    """The first value found, with where it was found as the comment facts.toml carries."""
    f = findings.first(fact)
    return None if f is None else Noted(f.value, f"{f.clause}: {_short(f.words)}")


def _short(words: str, width: int = 40) -> str:
    words = " ".join(words.split())
    return words if len(words) <= width else words[: width - 1] + "…"


def round_entry(findings: Findings) -> dict[str, object]:
    cutoff = findings.first("round.cutoff_date")
    return {
        "year": _noted(findings, "round.year"),
        "cutoff_date": _noted(findings, "round.cutoff_date"),
        "cutoff_clause": cutoff.clause if cutoff else None,
        "recent_years": _noted(findings, "round.recent_years"),
        "min_years_in_occupation": _noted(findings, "round.min_years_in_occupation"),
        "reserve_year": _noted(findings, "round.reserve_year"),
        "info_form_copies": _noted(findings, "round.info_form_copies"),
        "proof_copies": _noted(findings, "round.proof_copies"),
        "basis": _noted(findings, "round.basis"),
    }


PROVINCE_WHO = "各市人社局、省直有关部门（单位）、省属企业"
PROVINCE_WHO_EN = "city HR bureaus, provincial departments (units) and provincial enterprises"
CITY_WHO = "各县（区）人社局及相关单位"


def deadline_entries(findings: Findings, place: str, place_en: str) -> list[dict[str, object]]:
    """The city's deadline (when the notice came through a city letter), then the province's."""
    entries: list[dict[str, object]] = []
    city = findings.first("deadline.city.date")
    if city is not None:
        to = str(findings.get("deadline.city.to", "市人社局"))
        to = f"{place}{to}" if to.startswith("市") else to
        if findings.first("deadline.city.who") is None:
            findings.notes.append(f"deadline.city.who: not stated as 请各…; the generic {CITY_WHO} is written")
        entries.append({
            "id": "city", "date": city.value,
            "stated_as": findings.get("deadline.city.stated_as"),
            "stated_as_en": findings.get("deadline.city.stated_as_en"),
            "who": findings.get("deadline.city.who", CITY_WHO), "what": "本辖区、本单位的推荐人选", "to": to,
            "who_en": "county (district) HR bureaus and the units concerned",
            "what_en": "their candidates, for review", "to_en": office_en(to, place_en, city=True),
            "clause": city.clause, "quote": findings.get("deadline.city.quote"),
        })
    province = findings.first("deadline.province.date")
    if province is not None:
        day = province.value
        assert isinstance(day, dt.date)
        what = str(findings.get("deadline.province.what", "申报材料"))
        to_p, to_s = findings.get("deadline.province.to.professional"), findings.get("deadline.province.to.skilled")
        late = str(findings.get("deadline.province.late", ""))
        entries.append({
            "id": "province", "date": day, "stated_as": f"{day.year}年{day.month}月{day.day}日前",
            "stated_as_en": f"by {date_en(day)}", "who": PROVINCE_WHO, "what": what,
            "to": f"省人社厅（专业技术人才交{to_p}，高技能人才交{to_s}）" if to_p and to_s else "省人社厅",
            "who_en": PROVINCE_WHO_EN,
            "what_en": "the application materials" + (" (electronic version included)" if "电子版" in what else ""),
            "to_en": f"the {DEPARTMENT_EN} (professional-technical candidates to its "
                     f"{DIVISIONS_EN.get(str(to_p), to_p)}, high-skill candidates to its "
                     f"{DIVISIONS_EN.get(str(to_s), to_s)})" if to_p and to_s else f"the {DEPARTMENT_EN}",
            "late": late or None, "late_en": LATE_EN.get(late, late) or None,
            "clause": province.clause, "quote": findings.get("deadline.province.quote"),
        })
    return entries


def quota_entries(findings: Findings) -> list[dict[str, object]]:
    entries = []
    for qid, (unit, track, each) in QUOTA_UNITS.items():
        if (f := findings.first(f"quota.{qid}")) is not None:
            entries.append({"id": qid, "unit": unit, "track": track, "count": Noted(f.value, _short(f.words)),
                            "each": True if each else None, "clause": f.clause})
    return entries


_MATERIALS_EN = {
    "letter": ("the formal recommendation letter",
               "covering the recommendation, the expert review, the opinions of discipline inspection bodies and "
               "the public notice, with the summary table of the expert review attached; stamped with the official "
               "seal of the city HR bureau, provincial department (unit) or provincial enterprise (unit), and giving "
               "the contact unit, person and details (phone, fax, email)"),
    "list": ("the list of candidates",
             "exported from the special allowance application system and sent as an attachment"),
    "electronic": ("electronic materials",
                   "the candidate information form (on a CD or USB drive); the proof of achievements scanned to PDF, "
                   "sent on the CD or USB drive and also submitted in the application system"),
}


def material_entries(findings: Findings) -> list[dict[str, object]]:
    copies, proofs = findings.get("round.info_form_copies"), findings.get("round.proof_copies")
    entries = []
    for mid in ("letter", "list", "info_form", "electronic"):
        if (f := findings.first(f"material.{mid}")) is None:
            continue
        assert isinstance(f.value, tuple)
        name, detail = f.value
        if mid == "info_form":
            name_en = f"{copies} copies of the candidate information form"
            detail_en = f"printed on A4 paper, with {proofs} {'copy' if proofs == 1 else 'copies'} of the proof of " \
                        "personal achievements"
        else:
            name_en, detail_en = _MATERIALS_EN[mid]
        entries.append({"id": mid, "kind": "electronic" if mid == "electronic" else "paper", "name": name,
                        "detail": detail, "name_en": name_en, "detail_en": detail_en, "clause": f.clause})
    return entries


# The steps' wording is the hand-written file's; the clause each rests on is found in the notice.
STEP_VIA_UNIT = "基层单位按人事隶属关系逐级向上推荐人选；非公有制单位、新经济组织、新社会组织由所在地人社部门统一组织"
STEP_REVIEW = ("各市人社局、省直部门和省属企业审核人选并组织专家评议；除涉密人员外，人选须内部公示；"
               "按规定征求纪检监察机关意见")
STEP_ONLINE = "申报人登录政府特殊津贴申报系统在线填写材料并逐级上报审核，同时报送书面材料"


def procedure_entries(findings: Findings, place: str, year: int) -> list[dict[str, object]]:
    """The steps of facts.toml, each at the clause that sets it out here; a step not found is left out."""
    steps: list[dict[str, object]] = []

    def step(fact: str, text: str) -> None:
        if (f := findings.first(fact)) is not None:
            steps.append({"text": text, "clause": f.clause})

    step("procedure.via_unit", STEP_VIA_UNIT)
    if (quote := findings.get("deadline.city.quote")) and place:
        who = findings.get("deadline.city.who", CITY_WHO)
        when = re.sub("今年|本年", f"{year}年", str(quote))
        step("deadline.city.date", f"{place}市内：{who}{when}")
    step("procedure.review", STEP_REVIEW)
    step("procedure.online", STEP_ONLINE)
    province = findings.get("deadline.province.date")
    if isinstance(province, dt.date):
        late = findings.get("deadline.province.late")
        what = findings.get("deadline.province.what", "申报材料")
        text = f"{what}于{province.year}年{province.month}月{province.day}日前报送省人社厅"
        step("deadline.province.date", text + (f"，{late}" if late else ""))
    return steps
