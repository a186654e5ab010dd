"""Read the domain's words by sound as well as by character: most Chinese is typed through a pinyin input method,
so a wrong character is usually a homophone of the right one (才料 for 材料, 直建处 for 职建处, 明额 for 名额).

The readings come from the sound table (knowledge/data/sounds.txt, every character's readings, tones set aside,
generated from pypinyin's dictionary by knowledge/sound_table.py), loaded the first time a question is not
understood as typed, so answering what is typed right costs nothing. Only words of the
domain's vocabulary are restored, only where every character sounds like the word's, and the corrected question
goes through every guard again, so a sound-alike cannot turn a refused question into a confident answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property

from knowledge import sound_table

_CJK = re.compile(r"[\u3400-\u9fff]")
MAX_LENGTH = 6  # characters: longer words are rarely mistyped as a whole
# Sentence particles spelled out beside a domain word spelled out (dian hua ne).
_PARTICLES = {"ne": "呢", "ma": "吗", "ba": "吧", "a": "啊", "ya": "呀", "le": "了", "de": "的", "shi": "是",
              "duoshao": "多少", "duo": "多", "shao": "少", "ji": "几", "shenme": "什么", "sha": "啥", "na": "哪",
              "zai": "在", "nali": "哪里", "geren": "个人", "fen": "份", "hao": "号", "zhe": "这", "ge": "个"}


class Sounds:
    """A sound index of the domain's words; ``correct`` restores the ones a question has by sound only."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = sorted({w for w in words if 2 <= len(w) <= MAX_LENGTH and all(_CJK.match(c) for c in w)},
                            key=len, reverse=True)

    @cached_property
    def _table(self) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
        return sound_table.load()  # about 30 ms and 4 MB, once, on the first question that needs it

    @property
    def _typed(self) -> dict[str, str]:
        """Each character's usual reading: what an input method most likely produced it from."""
        return self._table[0]

    def _readings(self, char: str) -> frozenset[str]:
        usual, also = self._table
        return frozenset((usual[char], *also.get(char, ()))) if char in usual else frozenset()

    @cached_property
    def _index(self) -> dict[str, list[tuple[str, list[frozenset[str]]]]]:
        """First syllable → the words that start with it, each with its characters' readings."""
        index: dict[str, list[tuple[str, list[frozenset[str]]]]] = {}
        for word in self.words:
            sounds = [self._readings(c) for c in word]
            if all(sounds):
                for syllable in sounds[0]:
                    index.setdefault(syllable, []).append((word, sounds))
        return index

    @cached_property
    def _spelled(self) -> dict[str, str]:
        """A word's pinyin run together (dianhua, cailiao) → the word: typed without the input method's choice."""
        spelled: dict[str, str] = {}
        for word in reversed(self.words):  # the longer word wins a shared spelling
            if all(c in self._typed for c in word):
                spelled["".join(self._typed[c] for c in word)] = word
        return spelled

    def _pinyin(self, text: str) -> str | None:
        """Domain words spelled out in pinyin (dian hua ne, cailiao jiao ji fen) as characters, with the sentence
        particles around them; None unless a domain word was found."""
        tokens = text.split()
        if not tokens or not all(t.isascii() and t.isalpha() for t in tokens):
            return None
        out, i, found = [], 0, False
        while i < len(tokens):
            for k in range(min(4, len(tokens) - i), 0, -1):
                word = self._spelled.get("".join(tokens[i:i + k]).lower())
                if word is not None:
                    out.append(word)
                    i, found = i + k, True
                    break
            else:
                out.append(_PARTICLES.get(tokens[i].lower(), " " + tokens[i] + " "))
                i += 1
        return "".join(out).strip() if found else None

    def correct(self, text: str, keep: tuple[tuple[int, int], ...] = ()) -> str | None:
        """The text with domain words restored where only their sound was typed; None when nothing changed.
        ``keep``: spans already read as words (办公室), which a sound-alike (公示) must not break."""
        spelled = self._pinyin(text)
        if spelled is not None:
            return spelled
        out, i, changed = [], 0, False
        while i < len(text):
            match = self._word_at(text, i)
            # a word read as typed may grow into a longer one (技师 in 高集技师), never be cut (公示 across 办公室)
            if match is not None and match != text[i:i + len(match)] and any(
                    s < i + len(match) and i < e and not (i <= s and e <= i + len(match)) for s, e in keep):
                match = None
            if match is not None:
                out.append(match)
                changed = changed or match != text[i:i + len(match)]
                i += len(match)
            else:
                out.append(text[i])
                i += 1
        return "".join(out) if changed else None

    def _word_at(self, text: str, i: int) -> str | None:
        """The longest domain word that sounds like the text at ``i`` (itself when typed right)."""
        first = self._typed.get(text[i])
        if not first:
            return None
        best = None
        for word, sounds in self._index.get(first, ()):
            span = text[i:i + len(word)]
            # a two-character word keeps one character as typed (才料, 明额): with neither (其实, 既是 for 技师) it is
            # another word that sounds alike, not a slip
            if len(span) == len(word) == 2 and span != word and span[0] != word[0] and span[1] != word[1]:
                continue
            if len(span) == len(word) and (best is None or len(word) > len(best)) and all(
                    self._typed.get(ch, "") in sounds[k] for k, ch in enumerate(span)):
                best = word
        return best
