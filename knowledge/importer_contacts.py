"""Find the contacts of a notice: the blocks under 五（二） (政策咨询, 专业技术人员申报材料联系人 …), the office
that units name their system liaison to, and the city letter's phone line.

A contact block is read label by label (联系人：, 联系电话：, 电子信箱：, 地址：), each line possibly holding
several; a label with a role in front of it (高技能人才申报材料联系人：) starts the next contact. A field stated
twice for one contact (two 联系电话 lines) is kept twice, so the review report shows the contradiction.
"""

from __future__ import annotations

import re

from knowledge.clauses import Clause
from knowledge.importer_facts import Expect, Findings
from knowledge.importer_text import division, name_en, office_en, phones, pinyin_available, tidy

CONTACT_EXPECTED = [
    Expect("contact.policy.phones", "五（二）: 政策咨询：… 联系人：… 联系电话：…"),
    Expect("contact.policy.names", "五（二）: 政策咨询 … 联系人：…"),
    Expect("contact.professional.phones", "五（二）: 专业技术人员申报材料联系人：… 联系电话：…", essential=True),
    Expect("contact.professional.names", "五（二）: 专业技术人员申报材料联系人：…"),
    Expect("contact.professional.email", "五（二）: 电子信箱：…"),
    Expect("contact.professional.address", "五（二）: 地址：…专技处（…室）"),
    Expect("contact.skilled.phones", "五（二）: 高技能人才申报材料联系人：… 联系电话：…", essential=True),
    Expect("contact.skilled.names", "五（二）: 高技能人才申报材料联系人：…"),
    Expect("contact.skilled.address", "五（二）: 地址：…职建处（…室）"),
    Expect("contact.system.phones", "五、: 请各单位确定一名联系人，尽快反馈省人社厅专技处（电话）"),
]
CITY_CONTACT_EXPECTED = [Expect("contact.city.phones", "the city letter: 联系电话：… 市人社局…科")]

_KEYWORDS = ["政策咨询", "联系人", "联系电话", "联系方式", "咨询电话", "电话", "电子信箱", "电子邮箱", "邮箱", "传真",
             "地址"]
_LABEL = re.compile(  # a role's words (专业技术人员申报材料) may stand before the label; 地 址 may be spaced
    r"((?:[\u4e00-\u9fff（）()]{2,16}?(?:材料|人才|人员|工作|申报|业务|咨询))?)"
    r"(" + "|".join(r"\s*".join(k) for k in _KEYWORDS) + r")\s*[：:]")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_FIELDS = {"联系人": "names", "联系电话": "phones", "咨询电话": "phones", "电话": "phones", "电子信箱": "email",
           "电子邮箱": "email", "邮箱": "email", "地址": "address", "政策咨询": "office", "传真": "fax",
           "联系方式": "phones"}
_SYSTEM = re.compile(r"确定[^。]*?联系人[^。]*?反馈(?:至|给|到)?\s*([^（(，。]+?)\s*[（(]([^）)]+)[）)]")

ROLES_EN = {"policy": "policy questions", "professional": "materials for professional-technical candidates",
            "skilled": "materials for high-skill candidates",
            "system": "online system: units report their liaison person"}


def labelled(line: str) -> list[tuple[str, str, str]]:
    """(role words, label, value) for each label of a line: 联系人：白瑾利 联系电话：0351-7676026 gives two."""
    marks = list(_LABEL.finditer(line))
    out = []
    for k, m in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(line)
        out.append((m.group(1), "".join(m.group(2).split()), line[m.end(): end].strip()))
    return out


def split_names(value: str) -> list[str]:
    """联系人 values: 武霞 郑晓星 → [武霞, 郑晓星]; names typeset with a space inside (陈 杰 蔚 敏) are joined again:
    a run of one-character pieces is one name of two or three characters, or names of two."""
    names: list[str] = []
    for part in re.split(r"[、，,；;]", value):
        pieces = [p for p in part.split() if re.fullmatch(r"[\u4e00-\u9fff·]+", p)]
        k = 0
        while k < len(pieces):
            run = 0
            while k + run < len(pieces) and len(pieces[k + run]) == 1:
                run += 1
            if run == 0:
                names.append(pieces[k])
                k += 1
            elif run == 1:  # 李 雅琴: a surname set apart from its given name
                names.append("".join(pieces[k: k + 2]))
                k += 2
            elif run == 3:
                names.append("".join(pieces[k: k + 3]))
                k += 3
            else:
                names.append("".join(pieces[k: k + 2]))
                k += 2
    return names


def _role(words: str, label: str) -> str | None:
    if label == "政策咨询" or "政策" in words:
        return "policy"
    if not words:
        return None
    if any(w in words for w in ("专业技术", "专技")):
        return "professional"
    return "skilled" if any(w in words for w in ("技能", "职建", "职业能力")) else "other"


def contact_blocks(findings: Findings, clauses: list[Clause]) -> None:
    """The labelled contact lines of the provincial notice, grouped into contacts by the role that opens each."""
    for clause in clauses:
        role: str | None = None
        for line in clause.text.split("\n"):
            for words, label, value in labelled(line):
                field = _FIELDS.get(label, "")
                if (opens := _role(words, label)) is not None:
                    role = opens
                    findings.add(f"contact.{role}.role", "政策咨询" if opens == "policy" else tidy(words), clause.id,
                                 f"{words}{label}：")
                if role is None:
                    findings.notes.append(f"{clause.id}: {label}：{value} belongs to no contact (no role above it)")
                    continue
                _field(findings, f"contact.{role}", field, value, clause.id, f"{words}{label}：{value}")


def _field(findings: Findings, key: str, field: str, value: str, clause: str, words: str) -> None:
    if field == "names":
        findings.add(f"{key}.names", split_names(value), clause, words)
    elif field == "phones":
        findings.add(f"{key}.phones", phones(value), clause, words)
    elif field == "email":
        findings.add(f"{key}.email", ", ".join(_EMAIL.findall(value)), clause, words)
    elif field == "office":  # 政策咨询：省人社厅专技处, perhaps with a name and a phone after it
        named = re.match(r"[^\s，,；;:：\d]*(?:处|科|室|厅|局|中心)", value.strip())
        findings.add(f"{key}.office", tidy(named.group(0) if named else value), clause, words)
        findings.add(f"{key}.phones", phones(value), clause, words)
    elif field == "address":
        office, address = _office_address(tidy(value))
        findings.add(f"{key}.office", office, clause, words)
        findings.add(f"{key}.address", address, clause, words)
    elif field == "fax":
        findings.notes.append(f"{clause}: a fax number ({value}) is not kept: facts.toml has no field for it")


def _office_address(value: str) -> tuple[str, str]:
    """山西省人力资源和社会保障厅专技处（省直机关…1825室） → the office and the address in its brackets."""
    if m := re.fullmatch(r"(.+?(?:处|科|室|厅|局))（(.+)）", value):
        return m.group(1), m.group(2)
    return "", value


def system_contact(findings: Findings, clauses: list[Clause]) -> None:
    """The office units name their liaison for the online system to: 反馈省人社厅专技处（0351-7676026 7676028）."""
    for clause in clauses:
        for m in _SYSTEM.finditer(clause.text.replace("\n", "")):
            findings.add("contact.system.office", tidy(m.group(1)), clause.id, m.group(0))
            findings.add("contact.system.phones", phones(m.group(2)), clause.id, m.group(0))


def city_contact(findings: Findings, clauses: list[Clause]) -> None:
    """The city letter's 联系电话 line; the words beside the number name the office (市人社局专管科)."""
    for clause in clauses:
        if clause.label == "落款":
            continue
        for line in clause.text.split("\n"):
            for _words, label, value in labelled(line):
                field = _FIELDS.get(label, "")
                words = f"{label}：{value}"
                if field == "phones":
                    findings.add("contact.city.phones", phones(value), clause.id, words)
                    office = re.search(r"[\u4e00-\u9fff]*(?:科|局|处|室|中心)", re.sub(r"[\d\s\-－—–]+", "", value))
                    findings.add("contact.city.office", office.group(0) if office else "", clause.id, words)
                elif field in ("names", "email"):
                    _field(findings, "contact.city", field, value, clause.id, words)


def contact_entries(findings: Findings, place: str, place_en: str) -> list[dict[str, object]]:
    """The contacts as facts.toml states them, in its order; a contact with no phone found is left out."""
    # 专技处 → 专业技术人员管理处: the full name of the office each track's materials go to, added to the contact
    # blocks' offices as the hand-written facts do (the system's office is named inside brackets already).
    full = {}
    for track in ("professional", "skilled"):
        short = division(str(findings.get(f"contact.{track}.office", "")))
        long = str(findings.get(f"deadline.province.to.{track}", ""))
        if short and long and short != long:
            full[short] = long
    entries = []
    for cid in ("policy", "professional", "skilled", "city", "system"):
        found = findings.first(f"contact.{cid}.phones")
        if found is None:
            continue
        office = str(findings.get(f"contact.{cid}.office", ""))
        if cid == "city":
            office = office or str(findings.get("deadline.city.to", "")) or f"{place}市人力资源和社会保障局"
            office = f"{place}{office}" if office.startswith("市") else office
        elif cid != "system" and division(office) in full and full[division(office)] not in office:
            office = f"{office}（{full[division(office)]}）"
        names = list(findings.get(f"contact.{cid}.names", []))  # type: ignore[call-overload]
        names_en = [name_en(n) for n in names]
        role = str(findings.get(f"contact.{cid}.role", "")) or {"city": f"{place}市内报审",
                                                              "system": "申报系统联系人反馈"}.get(cid, "")
        entries.append({
            "id": cid,
            "role": role,
            "role_en": f"candidates from {place_en} city" if cid == "city" else ROLES_EN.get(cid, ""),
            "office": office,
            "office_en": office_en(office, place_en, city=cid == "city"),
            "names": names or None,
            "names_en": names_en if names and all(names_en) else None,
            "phones": findings.get(f"contact.{cid}.phones"),
            "email": findings.get(f"contact.{cid}.email"),
            "address": findings.get(f"contact.{cid}.address"),
            "serves": cid,
            "clause": found.clause,
        })
    if any(e["names"] for e in entries) and not pinyin_available():
        findings.notes.append("pypinyin is not installed: names_en left out (English answers show the Chinese names)")
    return entries
