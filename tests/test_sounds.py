"""Domain words typed by sound through a pinyin input method are read as meant; words already read are kept."""

from __future__ import annotations

import datetime as dt

import pytest

TODAY = dt.date(2024, 4, 25)


@pytest.mark.parametrize(("typed", "meant"), [
    ("申报才料什么时候截止", "申报材料什么时候截止"),
    ("直建处电话", "职建处电话"),
    ("推荐人选需要公式吗", "推荐人选需要公示吗"),
    ("专技处的电子油箱", "专技处的电子邮箱"),
])
def test_a_homophone_of_a_domain_word_is_read_as_the_word(services, typed, meant) -> None:
    engine = services.engine
    reading = engine.read(typed)
    assert engine.sounds.correct(reading.text, reading.spans) == meant


@pytest.mark.parametrize("text", ["职建处办公室在哪", "电子版用啥介质报", "今年全省推荐总数", "我又是高级工程师"])
def test_words_already_read_or_common_words_are_left_alone(services, text) -> None:
    engine = services.engine
    reading = engine.read(text)
    corrected = engine.sounds.correct(reading.text, reading.spans)
    assert corrected is None or corrected == reading.text


def test_a_homophone_gets_the_answer_of_the_word(services) -> None:
    assert "7676045" in services.engine.ask("直建处电话", TODAY).answer
    assert not services.engine.ask("高考分数线多少", TODAY).found  # a sound-alike does not pull a trap in


def test_the_sound_table_is_pypinyins_dictionary_as_installed() -> None:
    """knowledge/data/sounds.txt is generated, not edited: regenerating it from pypinyin changes nothing."""
    pytest.importorskip("pypinyin")
    from knowledge import sound_table

    assert sound_table.PATH.read_text("utf-8") == sound_table.generate()


def test_a_polyphone_keeps_every_reading() -> None:
    from knowledge import sound_table

    usual, also = sound_table.load()
    assert usual["材"] == "cai" and usual["行"] in {"xing", "hang"}
    assert {usual["行"], *also["行"]} >= {"xing", "hang"}


@pytest.mark.parametrize(("typed", "meant"), [
    ("我既有高级职称又有高集技师证", "我既有高级职称又有高级技师证"),  # a word read as typed grows into a longer one
    ("这次选拔是不是主要看论闻数量？", "这次选拔是不是主要看论文数量?"),
    ("其实也不是完全不干", "其实也不是完全不干"),  # 其实 is a word of its own, not 技师 typed by sound
    ("我既是高级工程师", "我既是高级工程师"),
    ("我是国企的高级会计师", "我是国企的高级会计师"),  # another title, not 技师
])
def test_what_is_restored_by_sound_and_what_is_left(services, typed: str, meant: str) -> None:
    assert services.engine.as_meant(typed) == meant


@pytest.mark.parametrize(("typed", "meant"), [
    ("dian hua ne", "电话呢"),  # pinyin typed without choosing the characters
    ("zhuan ji chu dian hua duoshao", "专技处电话多少"),
    ("what is the deadline", "what is the deadline"),  # English stays English
    ("hello", "hello"),
])
def test_domain_words_spelled_out_in_pinyin_are_read(services, typed: str, meant: str) -> None:
    assert services.engine.as_meant(typed) == meant
