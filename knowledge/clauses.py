"""Split the notice text into clauses whose ids follow the notice's own outline (一、（一）1.).

The notice file holds two documents: the Yangquan forwarding letter and the provincial notice it forwards.
Each document starts at its issuer line, directly above its document number (文号). Ids are ASCII so they fit
callback data: the provincial 五（二） becomes ``5.2`` and 一（一）3. becomes ``1.1.3``; a document with
an id prefix (the Yangquan letter, ``yq``) numbers its unnumbered paragraphs ``yq.1``, ``yq.2`` … .
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CN_NUMERALS = "一二三四五六七八九十"
_LEVEL1 = re.compile(r"^([一二三四五六七八九十]+)、\s*(.*)$")
_LEVEL2 = re.compile(r"^[（(]\s*([一二三四五六七八九十]+)\s*[）)]\s*(.*)$")
_LEVEL3 = re.compile(r"^(\d+)\s*[.．、]\s*(.*)$")
_SENTENCE_END = tuple("。；：！？」”）)")
# Lines of a contact block: each is its own line, never joined to the one above.
_LABEL_LINE = re.compile(r"^(政策咨询|附件|联系人|联系电话|电子信箱|地\s*址|[^，。；：]{0,14}联系人)\s*[：:]")
# Sign-off lines: the issuer's name, a date of issue, 此件主动公开.
_SIGNOFF = re.compile(r"[\u4e00-\u9fff]+(局|厅|办公室)|\d{4}\s*年.*日(印发)?|（此件主动公开）")


@dataclass(frozen=True)
class Clause:
    """One addressable piece of the notice, verbatim."""

    id: str
    document: str  # the document number, e.g. 晋人社厅函〔2024〕230号
    label: str  # the outline label, e.g. 五（二）
    heading: str  # the heading text of this clause or of its nearest parent
    text: str

    @property
    def citation(self) -> str:
        return f"{self.document} {self.label}".strip()


def cn_to_int(numeral: str) -> int:
    """Convert a Chinese numeral up to 九十九 (一, 十, 十二, 二十) into an int."""
    if numeral == "十":
        return 10
    if "十" in numeral:
        tens, _, units = numeral.partition("十")
        return (CN_NUMERALS.index(tens) + 1 if tens else 1) * 10 + (
            CN_NUMERALS.index(units) + 1 if units else 0
        )
    return CN_NUMERALS.index(numeral) + 1


def _logical_lines(raw: list[str]) -> list[str]:
    """Join lines broken by page or layout wraps back into whole paragraphs.

    A line continues the one above unless that one ended a sentence, or this one opens a heading, a
    contact label (联系人：…) or a sign-off (issuer name, date, 此件主动公开). A numbered item (1.) does not
    interrupt a sentence: a wrapped line may start with a number (…政务中心 D 座 / 705、706 室）).
    """
    lines: list[str] = []
    for line in (r.strip() for r in raw):
        if not line:
            continue
        starts_new = (
            not lines
            or lines[-1].endswith(_SENTENCE_END)
            or _SIGNOFF.fullmatch(lines[-1]) is not None
            or _is_bare_heading(lines[-1])
            or any(p.match(line) for p in (_LEVEL1, _LEVEL2, _LABEL_LINE, _SIGNOFF))
        )
        if starts_new:
            lines.append(line)
        else:
            lines[-1] += line
    return lines


def _is_bare_heading(line: str) -> bool:
    """A heading with no sentence after it (五、材料报送要求) ends its line even without punctuation."""
    m = _LEVEL1.match(line) or _LEVEL2.match(line)
    return m is not None and len(m.group(2)) <= 20 and not re.search(r"[，。；：]", m.group(2))


def split_documents(text: str, numbers: list[str]) -> dict[str, list[str]]:
    """Cut the file into documents, each from its issuer line (just above its number) to the next."""
    raw = text.splitlines()
    starts: list[tuple[int, str]] = []
    for number in numbers:
        for i, line in enumerate(raw):
            if line.strip().replace(" ", "") == number:
                start = i - 1
                while start > 0 and not raw[start].strip():
                    start -= 1
                starts.append((start, number))
                break
        else:
            raise ValueError(f"document number {number} not found in the notice text")
    starts.sort()
    docs: dict[str, list[str]] = {}
    for k, (start, number) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(raw)
        docs[number] = raw[start:end]
    return docs


def parse_document(number: str, raw: list[str], prefix: str) -> list[Clause]:
    """Parse one document's lines into clauses; body paragraphs before 一、 go to a preamble."""
    lines = _logical_lines(raw)
    # Skip the header: issuer, number, title, addressee. The body starts after the addressee line (ends with ：).
    body_start = next((i + 1 for i, ln in enumerate(lines) if ln.endswith("：") and i < 6), 0)
    clauses: list[Clause] = []
    l1 = l2 = 0
    current: dict[str, object] | None = None
    heading = ""
    para = 0
    signoff: list[str] = []  # issuer, date, 此件主动公开: kept as a 落款 clause, citable for the issue date

    def flush() -> None:
        if current is not None:
            clauses.append(Clause(**current))  # type: ignore[arg-type]

    def cid(*parts: int | str) -> str:
        body = ".".join(str(p) for p in parts)
        return f"{prefix}.{body}" if prefix else body

    for line in lines[body_start:]:
        if m := _LEVEL1.match(line):
            flush()
            l1, l2 = cn_to_int(m.group(1)), 0
            heading = m.group(2)
            current = dict(id=cid(l1), document=number, label=f"{m.group(1)}、", heading=heading, text=line)
        elif (m := _LEVEL2.match(line)) and l1:
            flush()
            l2 = cn_to_int(m.group(1))
            lab1 = CN_NUMERALS[l1 - 1] if l1 <= 10 else str(l1)
            first = m.group(2).split("。")[0]
            heading = first if len(first) <= 20 else ""
            current = dict(id=cid(l1, l2), document=number, label=f"{lab1}（{m.group(1)}）", heading=heading,
                           text=line)
        elif (m := _LEVEL3.match(line)) and l1:
            flush()
            n = int(m.group(1))
            lab1 = CN_NUMERALS[l1 - 1]
            label = f"{lab1}（{CN_NUMERALS[l2 - 1]}）{n}" if l2 else f"{lab1}{n}"
            ids = (l1, l2, n) if l2 else (l1, n)
            current = dict(id=cid(*ids), document=number, label=label, heading=heading, text=line)
        elif l1 and current is not None and _LABEL_LINE.match(line) and not _LABEL_LINE.match(str(current["text"])):
            # The contact block under the last sub-clause: a clause of its own, cited with its parent.
            flush()
            base = str(current["id"]).rsplit(".contacts", 1)[0]
            current = dict(id=f"{base}.contacts", document=number, label=f"{current['label']} 联系方式",
                           heading="联系方式", text=line)
        elif _SIGNOFF.fullmatch(line):
            signoff.append(line)
            continue
        elif current is not None and l1:
            current["text"] = f"{current['text']}\n{line}"
        else:
            # Unnumbered body paragraphs: the forwarding letter, or the preamble before 一、.
            flush()
            para += 1
            pid = cid(para) if prefix else f"0.{para}"
            current = dict(id=pid, document=number, label=f"第{para}段" if prefix else "序言",
                           heading="", text=line)
    flush()
    if signoff:
        clauses.append(Clause(id=cid("signoff") if prefix else "signoff", document=number, label="落款",
                              heading="落款", text="\n".join(signoff)))
    return clauses
