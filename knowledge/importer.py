"""Import a notice of this genre into a round directory: ``python -m bot import-notice NOTICE.txt --out DIR``.

The notice is a city's letter forwarding the provincial notice, or the provincial notice alone. Its documents
are found by their number lines (文号), split into clauses by their own outline (``knowledge/clauses.py``), and
the round's facts are looked for clause by clause (``importer_facts.py``, ``importer_contacts.py``). DIR gets
the notice verbatim, ``facts.toml`` in the shape the loader reads, and ``REVIEW.txt``: every fact with its
clause and line, what was expected and not found, and what was found twice with different values.

The import fails (exit status 2, and the facts are written as ``facts.draft.toml`` so that no round is served
from them) when an essential fact is missing or contradicted (the provincial deadline; the contacts for the
professional and the skilled materials), or when the written round does not load.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from knowledge.clauses import Clause, parse_document, split_documents
from knowledge.importer_contacts import (
    CITY_CONTACT_EXPECTED,
    CONTACT_EXPECTED,
    city_contact,
    contact_blocks,
    contact_entries,
    system_contact,
)
from knowledge.importer_facts import (
    CITY_DEADLINE_EXPECTED,
    DEADLINE_EXPECTED,
    MATERIAL_EXPECTED,
    PROCEDURE_EXPECTED,
    QUOTA_EXPECTED,
    ROUND_EXPECTED,
    Expect,
    Findings,
    Found,
    city_deadline,
    deadline_entries,
    material_entries,
    materials,
    procedure,
    procedure_entries,
    province_deadline,
    quota_entries,
    quotas,
    round_entry,
    round_facts,
)
from knowledge.importer_text import DATE, SHANXI_CITIES, number, place_en, place_prefix, squash
from knowledge.importer_toml import dumps
from knowledge.loader import FACTS, NOTICE, load_round

DRAFT = "facts.draft.toml"
REVIEW = "REVIEW.txt"
NEEDS_REVIEW = 2
_NUMBER_LINE = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[【]\d{4}[〕\]】]第?\d+号")
# Shown in the report's list of facts only through the fact they belong to; a quote or a wording that differs
# where the date is the same is no contradiction (a role that differs is: two blocks claim one track).
_DERIVED = (".quote", ".stated_as_en", ".role", ".what")
_WORDING = (".quote", ".stated_as", ".stated_as_en", ".what")
_GROUPS = ["document", "round", "deadline", "contact", "quota", "material", "procedure"]


@dataclass(frozen=True)
class Heading:
    """One document's header as the notice sets it: issuer, number, title, and the date it is signed."""

    number: str
    issuer: str
    title: str
    issued: dt.date | None
    lines: tuple[int, int, int, int | None]  # 1-based lines of the issuer, the number, the title and the date
    forwarding: bool  # a local letter forwarding the provincial notice (关于转发…的通知, or a city's own letter)


@dataclass
class Imported:
    documents: list[dict[str, object]]
    facts: dict[str, object]
    findings: Findings
    expected: list[Expect]
    clauses: dict[str, Clause]
    problems: list[str] = field(default_factory=list)  # what stops the import before any fact is read


def find_documents(lines: list[str]) -> list[Heading]:
    """Each document by its number line: the issuer is the line above, the title the lines below up to the
    addressee (…：), the date of issue the first date line after it (not the 印发 line)."""
    numbers = [i for i, line in enumerate(lines) if _NUMBER_LINE.fullmatch(squash(line))]
    headings = []
    for k, i in enumerate(numbers):
        above = [j for j in range(i - 1, -1, -1) if lines[j].strip()]
        end = numbers[k + 1] if k + 1 < len(numbers) else len(lines)
        below = [j for j in range(i + 1, end) if lines[j].strip()]
        title_lines = []
        for j in below[:4]:  # the title ends at the addressee (各市…：), or with the word that names its kind
            if lines[j].strip().endswith(("：", ":")):
                break
            title_lines.append(j)
            if squash(lines[j]).endswith(("通知", "函", "公告", "意见", "方案", "办法")):
                break
        title_lines = title_lines or below[:1]
        title = squash("".join(lines[j] for j in title_lines))
        dated = next((j for j in below if j > title_lines[-1] and signed(lines[j]) is not None), None)
        issued = signed(lines[dated]) if dated is not None else None
        issuer = lines[above[0]].strip() if above else ""
        headings.append(Heading(squash(lines[i]), issuer, title, issued,
                                (above[0] + 1 if above else 0, i + 1, title_lines[0] + 1, dated + 1 if dated else None),
                                "转发" in title or _local(issuer)))
    return headings


def _local(issuer: str) -> bool:
    """A city's (or county's) office rather than the province's: 晋城市人力资源和社会保障局."""
    return not issuer.startswith("山西省") and re.match(r"[\u4e00-\u9fff]{2,4}?(?:市|县|区)", issuer) is not None


_CN_DATE = re.compile(
    r"([〇零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,2})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")


def signed(line: str) -> dt.date | None:
    """The date of a sign-off line: 2024年3月1日, 2024 年 3 月 1 日 or 二〇二四年三月一日 (not …印发)."""
    if m := DATE.fullmatch(line.strip()):
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m := _CN_DATE.fullmatch(line.strip()):
        return dt.date(number(m.group(1).replace("零", "〇")), number(m.group(2)), number(m.group(3)))
    return None


def city_of(issuer: str) -> str:
    """The place of a local letter from its issuer: 阳泉市人力资源和社会保障局 → 阳泉 (a county's too)."""
    known = next((c for c in SHANXI_CITIES if issuer.startswith(c)), "")
    m = re.match(r"(?:山西省)?([\u4e00-\u9fff]{2,4}?)(?:市|县|区)", issuer)
    return known or (m.group(1) if m else "")


def _title_en(year: object, forwarding: bool) -> str:
    if forwarding:
        return (f"Forwarding the Shanxi HR and Social Security Department's notice on the {year} selection for the "
                "State Council Special Government Allowance")
    return (f"Notice on the {year} selection and recommendation of people to receive the State Council Special "
            "Government Allowance")


def document_entry(findings: Findings, heading: Heading, prefix: str, place: str, english: str,
                   lines: list[str]) -> dict[str, object]:
    """One [[documents]] entry, each of its values also a finding (with the line it is on)."""
    key = f"document.{prefix or 'main'}"
    findings.add(f"{key}.number", heading.number, "header", heading.number, heading.lines[1])
    findings.add(f"{key}.issuer", heading.issuer, "header", heading.issuer, heading.lines[0])
    findings.add(f"{key}.title", heading.title, "header", heading.title, heading.lines[2])
    dated = heading.lines[3]
    findings.add(f"{key}.issued", heading.issued, f"{prefix}.signoff" if prefix else "signoff",
                 lines[dated - 1].strip() if dated else "", dated)
    doc: dict[str, object] = {
        "number": heading.number, "prefix": prefix, "issuer": heading.issuer, "title": heading.title,
        "title_en": _title_en(findings.get("round.year"), heading.forwarding), "issued": heading.issued}
    if prefix:
        doc |= {"place": place or None, "place_en": english or None}
        findings.add(f"{key}.place", f"{place} / {english}" if place else "", "header", heading.issuer,
                     heading.lines[0])
    return doc


def import_notice(text: str) -> Imported:
    """Read the notice's documents, clauses and facts; nothing is written."""
    lines = text.splitlines()
    findings = Findings()
    headings = find_documents(lines)
    mains = [h for h in headings if not h.forwarding]
    letters = [h for h in headings if h.forwarding]
    if len(mains) != 1 or len(letters) > 1:
        found = "、".join(h.number for h in headings) or "none"
        problem = (f"expected the provincial notice and at most one forwarding letter, each under its number line "
                   f"(文号); found: {found}")
        return Imported([], {}, findings, [], {}, [problem])
    main, letter = mains[0], (letters[0] if letters else None)
    place = city_of(letter.issuer) if letter else ""
    prefix = (place_prefix(place) if place else "city") if letter else ""
    english = place_en(place) if place else ""
    if letter and not english:
        findings.notes.append(f"the city {place or '?'} has no English name (pypinyin is not installed)")
    parts = split_documents(text, [h.number for h in headings])
    main_clauses = parse_document(main.number, parts[main.number], "")
    letter_clauses = parse_document(letter.number, parts[letter.number], prefix) if letter else []
    clauses = {c.id: c for c in [*letter_clauses, *main_clauses]}

    year_match = re.search(r"(\d{4})\s*年", main.title)
    if year_match:
        findings.add("round.year", int(year_match.group(1)), "title", main.title, main.lines[2])
    documents = [document_entry(findings, letter, prefix, place, english, lines)] if letter else []
    documents.append(document_entry(findings, main, "", "", "", lines))

    round_facts(findings, main_clauses)
    province_deadline(findings, main_clauses)
    quotas(findings, main_clauses)
    materials(findings, main_clauses)
    procedure(findings, main_clauses)
    contact_blocks(findings, [c for c in main_clauses if c.label != "落款"])
    system_contact(findings, main_clauses)
    expected = [*ROUND_EXPECTED, *DEADLINE_EXPECTED, *CONTACT_EXPECTED, *QUOTA_EXPECTED, *MATERIAL_EXPECTED,
                *PROCEDURE_EXPECTED]
    if letter:
        round_year = findings.get("round.year")
        this_year = letter.issued.year if letter.issued else round_year if isinstance(round_year, int) else 0
        city_deadline(findings, letter_clauses, this_year or dt.date.today().year)
        city_contact(findings, letter_clauses)
        expected += [*CITY_DEADLINE_EXPECTED, *CITY_CONTACT_EXPECTED]
    year = findings.get("round.year")
    assert year is None or isinstance(year, int)
    facts: dict[str, object] = {
        "round": round_entry(findings),
        "deadlines": deadline_entries(findings, place, english),
        "contacts": contact_entries(findings, place, english),
        "quotas": quota_entries(findings),
        "materials": material_entries(findings),
        "procedure": procedure_entries(findings, place, year or 0),
    }
    return Imported(documents, facts, findings, expected, clauses)


# ---------------------------------------------------------------- the review
def essential(fact: str) -> bool:
    """Facts without which the round must not be served: the provincial deadline and each track's contact."""
    return fact == "deadline.province.date" or fact.startswith(("contact.professional.", "contact.skilled."))


def failures(imported: Imported) -> list[str]:
    """Why the import fails, one line each; none when the facts may be written as the round."""
    out = list(imported.problems)
    findings = imported.findings
    out += [f"the essential fact {e.fact} was not found (expected in {e.where})"
            for e in imported.expected if e.essential and findings.first(e.fact) is None]
    out += [f"the essential fact {fact} is stated twice with different values: "
            + " / ".join(f"{_value(p.value)} ({p.clause})" for p in places)
            for fact, places in findings.conflicts().items() if essential(fact)]
    return out


class _Locator:
    """The notice's line of a found fact: the first place its words occur from the start of its clause on."""

    def __init__(self, text: str, clauses: dict[str, Clause]) -> None:
        self.clauses = clauses
        self.squashed, self.line_at = "", []
        for n, line in enumerate(text.splitlines(), 1):
            s = squash(line)
            self.squashed += s
            self.line_at += [n] * len(s)

    def line(self, found: Found) -> int | None:
        if found.line is not None:
            return found.line
        clause = self.clauses.get(found.clause)
        start = self.squashed.find(squash(clause.text.split("\n")[0])[:40]) if clause else 0
        words = squash(found.words)
        at = self.squashed.find(words, max(start, 0))
        return self.line_at[at] if at >= 0 and words else None


def _value(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, tuple):
        return " — ".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def report(imported: Imported, source: str, out: Path, text: str, result: list[str]) -> str:
    """The review report: every fact with its clause and line, what is missing, what contradicts itself."""
    findings, locate = imported.findings, _Locator(text, imported.clauses)

    def place(f: Found) -> str:
        line = locate.line(f)
        return f"[{f.clause}] line {line if line else '?'}: {_clip(f.words, 60)}"

    rows = [f"Import of {source} into {out}", "", "Facts found (value, [clause] line: the notice's words)"]
    for fact, places in sorted(findings.found.items(), key=lambda item: _GROUPS.index(item[0].split(".")[0])):
        if fact.endswith(_DERIVED):
            continue
        rows.append(f"  {fact:<40} {_clip(_value(places[0].value), 60)}")
        rows.append(f"      {place(places[0])}")
        rows += [f"      also {place(p)}" + ("" if p.value == places[0].value else f" = {_value(p.value)}")
                 for p in places[1:]]
    missing = [e for e in imported.expected if findings.first(e.fact) is None]
    rows += ["", "Expected and not found" + ("" if missing else ": nothing")]
    for e in missing:
        weight = "ESSENTIAL" if e.essential else "optional" if e.optional else "expected"
        rows.append(f"  {e.fact:<40} ({weight}) expected in {e.where}")
    conflicts = {fact: places for fact, places in findings.conflicts().items() if not fact.endswith(_WORDING)}
    rows += ["", "Found twice with different values" + ("" if conflicts else ": nothing")]
    for fact, places in conflicts.items():
        rows.append(f"  {fact}" + (" (ESSENTIAL)" if essential(fact) else " (the first is written)"))
        rows += [f"      {_clip(_value(p.value), 40)}   {place(p)}" for p in places]
    notes = [*findings.notes, "English wording (title_en, office_en, who_en, stated_as_en …) is generic, and names_en "
             "are pypinyin's reading of the names: check them before publishing"]
    rows += ["", "Notes", *(f"  - {n}" for n in notes)]
    rows += ["", "Result", *(f"  {r}" for r in result)]
    return "\n".join(rows) + "\n"


def write_round(out: Path, raw: bytes, text: str, imported: Imported,
                validate: Callable[[Path], object] = load_round) -> tuple[int, list[str]]:
    """Write the notice and the facts into DIR; the exit status and the result lines for the report."""
    out.mkdir(parents=True, exist_ok=True)
    (out / NOTICE).write_bytes(raw if _is_utf8(raw) else text.encode("utf-8"))  # verbatim when the loader can read it
    header = (f"Facts of {' and '.join(str(d['number']) for d in imported.documents) or 'the notice'}, written by "
              "python -m bot import-notice.\nEvery entry names the clause it comes from; the comments say where "
              f"the notice states it. Review with {REVIEW} beside this file.")
    body = dumps(header, imported.documents, imported.facts) if imported.documents else ""
    for stale in (FACTS, DRAFT):
        (out / stale).unlink(missing_ok=True)
    problems = failures(imported)
    if not problems:
        (out / FACTS).write_text(body, "utf-8")
        try:
            validate(out)
        except Exception as exc:
            problems.append(f"the written round does not load: {exc}")
            (out / FACTS).rename(out / DRAFT)
    if problems:
        if body and not (out / DRAFT).exists():
            (out / DRAFT).write_text(body, "utf-8")
        return NEEDS_REVIEW, ["NEEDS REVIEW (exit 2):", *(f"- {p}" for p in problems),
                              f"The facts are in {DRAFT}: correct them there and rename it {FACTS}."
                              if body else "No facts were written."]
    return 0, [f"OK: {FACTS} written; the round loads. Publish it by pointing KNOWLEDGE_DIR at {out} (or copying "
               "it under knowledge/data/rounds/)."]


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def run(notice: Path, out: Path, stdout: TextIO, validate: Callable[[Path], object] = load_round) -> int:
    """The whole command: read, extract, write DIR, print the report and keep it as DIR/REVIEW.txt."""
    try:
        raw = notice.read_bytes()
    except OSError as exc:
        stdout.write(f"cannot read {notice}: {exc.strerror}\n")
        return 1
    # Chinese offices often save GBK; the loader reads UTF-8, so such a notice is written as UTF-8.
    text = raw.decode("utf-8") if _is_utf8(raw) else raw.decode("gb18030", errors="replace")
    imported = import_notice(text)
    if not _is_utf8(raw):
        imported.findings.notes.append(f"the notice is not UTF-8: read as GB18030 and written to {NOTICE} as UTF-8")
    status, result = write_round(out, raw, text, imported, validate)
    review = report(imported, str(notice), out, text, result)
    (out / REVIEW).write_text(review, "utf-8")
    stdout.write(review)
    return status
