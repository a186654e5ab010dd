"""One normalisation for queries and indexed texts alike, so that what matches is meaning, not form.

NFKC folds full-width forms, case is folded, traditional characters map to simplified ones, filler words
(请问, 一下, 吗 …) go, and synonyms collapse to one canonical form. Question words (什么时候, 哪里, 多少)
are kept: they carry the intent. Chinese is tokenised as character unigrams and bigrams, ASCII as words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from importlib import resources

_CJK = re.compile(r"[\u3400-\u9fff]+")
_ASCII_WORD = re.compile(r"[a-z0-9@.\-_]+")
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
_TOKEN_RUN = re.compile(r"[\u3400-\u9fff]+|[a-z0-9@._\-]+")
# Drop invisible and direction-control characters before anything else sees the text.
_INVISIBLE = re.compile(r"[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def _load_t2s() -> dict[int, int]:
    trad, simp = resources.files("knowledge").joinpath("data/t2s.txt").read_text("utf-8").splitlines()[:2]
    return str.maketrans(trad, simp)


_T2S = _load_t2s()


def _load_dialect() -> dict[str, str]:
    """Spoken words (Cantonese 咩, 嘅, 系咪; Shanxi 甚) as Mandarin, each pair of one length."""
    table: dict[str, str] = {}
    text = resources.files("knowledge").joinpath("data/dialect.txt").read_text("utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        spoken, sep, mandarin = (part.strip() for part in line.partition("="))
        spoken = spoken.lower().translate(_T2S)
        if not sep or not spoken or len(spoken) != len(mandarin):
            raise ValueError(f"dialect.txt line {number}: want 'spoken = Mandarin' of one length: {line!r}")
        table[spoken] = mandarin
    return table


_DIALECT = _load_dialect()
_DIALECT_RE = re.compile("|".join(sorted(map(re.escape, _DIALECT), key=len, reverse=True)))


def fold(text: str) -> str:
    """NFKC, lower case, traditional to simplified, spoken words as Mandarin, invisible characters removed."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    return _DIALECT_RE.sub(lambda m: _DIALECT[m.group(0)], text.lower().translate(_T2S))


def is_english(text: str) -> bool:
    """True when the text has Latin words and no Chinese: such a question gets an English answer."""
    folded = fold(text)
    return bool(re.search(r"[a-z]{2,}", folded)) and not _CJK.search(folded)


@dataclass(frozen=True)
class Normalizer:
    """Applies the lexicon's fillers and synonyms for one language."""

    synonyms: tuple[tuple[str, ...], ...]
    fillers: tuple[str, ...] = ()
    stopwords: frozenset[str] = frozenset()
    english: bool = False

    @cached_property
    def _canonical(self) -> dict[str, str]:
        table: dict[str, str] = {}
        for group in self.synonyms:
            canonical = fold(group[0])
            for member in group:
                table.setdefault(fold(member), canonical)
        return table

    @cached_property
    def _synonym_re(self) -> re.Pattern[str] | None:
        if not self._canonical:
            return None
        alts = sorted(self._canonical, key=len, reverse=True)
        # An English member (in either language: 专技处 phone) is a whole word, and still matches with a plural or
        # third-person ending (expats, organises); Chinese needs no word boundaries.
        english = [rf"(?<![a-z0-9]){re.escape(a)}(?:e?s)?(?![a-z0-9])" for a in alts if a.isascii()]
        others = [a for a in alts if not a.isascii()]
        # the Chinese members as a trie (one pass, longest member first at each place), English words as before
        return re.compile("|".join([*english, *([trie_pattern(others)] if others else [])]))

    def _canonical_of(self, match: re.Match[str]) -> str:
        """The canonical form of a matched member, its plural ending (s, es) set aside."""
        found = match.group(0)
        return next(self._canonical[m] for m in (found, found[:-1], found[:-2]) if m in self._canonical)

    @cached_property
    def _filler_re(self) -> re.Pattern[str] | None:
        if not self.fillers:
            return None
        words = sorted({fold(f) for f in self.fillers}, key=len, reverse=True)
        if self.english:
            alts = "|".join(re.escape(w) for w in words)
            return re.compile(rf"(?<![a-z0-9])(?:{alts})(?![a-z0-9])")
        return re.compile(trie_pattern(words))

    def text(self, raw: str) -> str:
        """The normalised text: folded, fillers removed, synonyms canonical, punctuation as spaces."""
        text = _CJK_GAP.sub("", fold(raw))  # 截止 时间 is typed as words of one phrase: read it as 截止时间
        if self._filler_re is not None:  # before punctuation goes, so a filler can be a label (问：, q:)
            text = self._filler_re.sub(" ", text)
        text = re.sub(r"[^\w@.\-\s]|_", " ", text)
        text = re.sub(r"(?<![a-z0-9])[.\-]|[.\-](?![a-z0-9])", " ", text)
        if self._synonym_re is not None:
            text = self._synonym_re.sub(lambda m: f" {self._canonical_of(m)} ", text)
        return re.sub(r"\s+", " ", text).strip()

    def tokens(self, raw: str) -> list[str]:
        """Unigrams and bigrams of each Chinese run; ASCII words whole (minus stop words)."""
        return self.tokens_of(self.text(raw))

    def tokens_of(self, normalized: str) -> list[str]:
        """The tokens of a text already normalised (``text``): built once when both are needed."""
        out: list[str] = []
        for run in _TOKEN_RUN.findall(normalized):
            if _CJK.fullmatch(run):
                out.extend(run)
                out.extend(run[i : i + 2] for i in range(len(run) - 1))
            else:
                word = run.strip(".-_")
                if not word or word in self.stopwords:
                    continue
                out.append(stem(word) if self.english else word)
        return out


def trie_pattern(words: list[str]) -> str:
    """A regular expression matching any of ``words``, the longest at each place, written as a trie: Python's
    engine tries a flat alternation of a thousand words one by one at every character, a trie once."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def render(node: dict[str, dict]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + render(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:  # the shorter word is a prefix: the longer one is tried first, greedily
            return "(?:" + body + ")?"
        return body

    return "(?:" + "|".join(re.escape(ch) + render(child) for ch, child in sorted(trie.items())) + ")"


def stem(word: str) -> str:
    """A light English stemmer: one common suffix off (prepared, prepare -> prepar; materials -> material)."""
    if len(word) <= 4 or not word.isalpha():
        return word
    for suffix in ("ing", "ed", "es", "s", "e"):
        if word.endswith(suffix) and not word.endswith("ss") and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_grams(tokens: list[str]) -> list[str]:
    """The tokens that say what a query is about: bigrams and words, or unigrams if that is all there is."""
    grams = [t for t in tokens if not (len(t) == 1 and _CJK.fullmatch(t))]
    return grams or tokens
