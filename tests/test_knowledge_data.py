"""The knowledge data is internally consistent: a typo in a number or a clause id fails the build."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from knowledge.loader import KnowledgeError, data_dir, load
from knowledge.render import render

_PHONE = re.compile(r"0\d{2,3}\s*-?\s*\d{7,8}|\b\d{7,8}\b")
_FIGURE = re.compile(r"(\d+)\s*(名|份|年|天)")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _local(phone: str) -> str:
    """The local part of a phone number: the notice writes the area code once for several numbers."""
    return _digits(phone)[-7:]


def _squash(text: str) -> str:
    return "".join(text.split())


def _rendered(services, entry, english=False):
    template = entry.answer_en if english else entry.answer
    text, used = render(template, services.kb.facts, dt.date(2024, 4, 1), english=english,
                        documents=services.kb.documents)
    return text, [*entry.clauses, *used]


def test_every_cited_clause_exists(services) -> None:
    for entry in services.kb.faq:
        for clause in entry.clauses:
            assert clause in services.kb.clauses, (entry.id, clause)


def test_every_answer_has_english_variants_and_an_english_answer(services) -> None:
    """Foreign experts may apply: a topic answered in Chinese only would be refused to them in English."""
    missing = [e.id for e in services.kb.faq if e.kind == "answer" and not (e.questions_en and e.answer_en)]
    assert not missing


def test_every_phone_number_in_an_answer_occurs_in_its_cited_clauses(services) -> None:
    for entry in services.kb.faq:
        for english in (False, True):
            if english and not entry.answer_en:
                continue
            text, clauses = _rendered(services, entry, english)
            cited = _digits("".join(services.kb.clause(c).text for c in clauses))
            for phone in _PHONE.findall(text):
                assert _local(phone) in cited, (entry.id, phone)


def test_every_quota_and_count_in_an_answer_occurs_in_its_cited_clauses(services) -> None:
    for entry in services.kb.faq:
        text, clauses = _rendered(services, entry)
        cited = _squash("".join(services.kb.clause(c).text for c in clauses))
        for number, unit in _FIGURE.findall(_squash(text)):
            if unit == "天":  # days left are computed from today, not quoted
                continue
            assert f"{number}{unit}" in cited or f"{number}" in cited, (entry.id, number + unit)


def test_every_date_in_an_answer_occurs_in_its_cited_clauses(services) -> None:
    for entry in services.kb.faq:
        text, clauses = _rendered(services, entry)
        cited = _squash("".join(services.kb.clause(c).text for c in clauses))
        for year, month, day in _DATE.findall(_squash(text)):
            stated = f"{year}年{month}月{day}日"
            city_end_of_april = (month, day) == ("4", "30") and "四月底" in cited
            assert stated in cited or city_end_of_april, (entry.id, stated)


def test_every_email_in_an_answer_occurs_in_its_cited_clauses(services) -> None:
    for entry in services.kb.faq:
        text, clauses = _rendered(services, entry)
        cited = "".join(services.kb.clause(c).text for c in clauses)
        for email in re.findall(r"[\w.]+@[\w.]+", text):
            assert email in cited, (entry.id, email)


def test_facts_quote_their_clauses_verbatim(services) -> None:
    for deadline in services.kb.facts.deadlines:
        assert _squash(deadline.quote) in _squash(services.kb.clause(deadline.clause).text)
    for contact in services.kb.facts.contacts:
        clause = _digits(services.kb.clause(contact.clause).text)
        for phone in contact.phones:
            assert _local(phone) in clause, (contact.id, phone)
    for quota in services.kb.facts.quotas:
        assert str(quota.count) in services.kb.clause(quota.clause).text, quota.id


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    return target


def test_a_faq_entry_citing_a_missing_clause_is_rejected(tmp_path: Path) -> None:
    target = _copy_data(tmp_path)
    faq = target / "faq.toml"
    faq.write_text(faq.read_text("utf-8").replace('clauses = ["2.1"]', 'clauses = ["9.9"]', 1), "utf-8")
    with pytest.raises(KnowledgeError, match=r"unknown clause 9\.9"):
        load(target)


def test_a_deadline_whose_quote_is_not_in_the_notice_is_rejected(tmp_path: Path) -> None:
    target = _copy_data(tmp_path)
    facts = target / "rounds" / "2024" / "facts.toml"
    facts.write_text(facts.read_text("utf-8").replace("须在2024年5月10日前报送", "须在2024年5月11日前报送"), "utf-8")
    with pytest.raises(KnowledgeError, match="quote not found"):
        load(target)


def test_a_malformed_field_names_the_file_and_field(tmp_path: Path) -> None:
    target = _copy_data(tmp_path)
    facts = target / "rounds" / "2024" / "facts.toml"
    facts.write_text(facts.read_text("utf-8").replace("count = 59", 'count = "many"'), "utf-8")
    with pytest.raises(KnowledgeError, match=r"facts.toml: facts.quotas.0.count"):
        load(target)
