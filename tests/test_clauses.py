"""The notice splits into clauses along its own outline, verbatim."""

from __future__ import annotations

from knowledge.clauses import cn_to_int
from knowledge.loader import data_dir


def test_chinese_numerals_convert() -> None:
    assert [cn_to_int(n) for n in ("一", "五", "十", "十二", "二十", "二十三")] == [1, 5, 10, 12, 20, 23]


def test_clause_ids_follow_the_outline(services) -> None:
    ids = set(services.kb.clauses)
    expected = {"0.1", "1", "1.1", *(f"1.1.{n}" for n in range(1, 10)), "1.2", *(f"1.2.{n}" for n in range(1, 9)),
                "2.1", "2.2", "2.3", "2.4", "2.5", "3.1", "3.2", "4.1", "4.2", "4.3", "4.4", "5", "5.1.1", "5.1.2",
                "5.2", "5.2.contacts", "yq.1", "yq.2"}
    assert expected <= ids


def test_page_wraps_are_joined_into_one_sentence(services) -> None:
    # The notice breaks "具备下" / "列条件之一" across a page.
    assert "并具备下列条件之一" in services.kb.clause("1.1").text
    assert "获得过省部级以上科技进步奖" in services.kb.clause("1.2.2").text


def test_citations_name_document_and_outline_label(services) -> None:
    assert services.kb.citation("5.2") == "晋人社厅函〔2024〕230号 五（二）"
    assert services.kb.citation("1.1.6") == "晋人社厅函〔2024〕230号 一（一）6"
    assert services.kb.citation("yq.1").startswith("阳人社函〔2024〕41号")


def test_contact_block_is_its_own_clause(services) -> None:
    contacts = services.kb.clause("5.2.contacts").text
    assert "白瑾利" in contacts and "0351 - 7676045" in contacts
    assert "白瑾利" not in services.kb.clause("5.2").text


def test_every_clause_text_is_verbatim_from_the_notice(services) -> None:
    source = "".join((data_dir() / "rounds/2024/notice.txt").read_text("utf-8").split())
    for clause in services.kb.clauses.values():
        assert "".join(clause.text.split()) in source, clause.id
