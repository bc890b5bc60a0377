"""Stylometric features of a text: the habits that make a post sound like one person."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

import regex

# The most frequent English function words: their rates are a classic authorship signal that
# topic barely moves.
FUNCTION_WORDS = (
    "the a an and but or so of to in on at for with from by about as into than that this these "
    "those it its is are was were be been being have has had do does did not no can could will "
    "would should may might must just very really also then there here what which who when why "
    "how if because while i me my we us our you your they their them he she his her one all some"
).split()
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n\s*\n")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
_ASCII_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*")  # same result on ASCII text, faster
_EMOJI = regex.compile(r"\p{Extended_Pictographic}")
_HASHTAG = re.compile(r"(?<![\w#])#[^\W\d_]\w*")
_LIST_LINE = re.compile(r"^\s*(?:\d+[.)]|[-*•])\s+", re.M)
_SINGULAR = frozenset({"i", "me", "my", "mine", "i'm", "i've", "i'd", "i'll"})
_PLURAL = frozenset({"we", "us", "our", "ours", "we're", "we've", "we'd", "we'll"})
MAX_CHARS = 100_000  # a longer sample says nothing more about a voice, and costs time


@dataclass
class TextFeatures:
    words: int
    sentences: list[int]  # words per sentence
    paragraphs: int
    questions: int
    exclamations: int
    has_list: bool
    emoji: Counter[str] = field(default_factory=Counter)
    hashtags: list[str] = field(default_factory=list)
    singular: int = 0
    plural: int = 0
    contractions: int = 0
    function_words: Counter[str] = field(default_factory=Counter)
    opener: str = ""
    sign_off: str = ""
    tokens: list[str] = field(default_factory=list)


def _opener(sentence: str) -> str:
    """A lead-in the person reuses ("Small thing, big effect:"), else their first words."""
    colon = sentence.find(":")
    if 0 < colon <= 45:
        return " ".join(sentence[:colon + 1].split())
    return " ".join(_WORD.findall(sentence)[:4])


def sentences_of(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def extract(text: str) -> TextFeatures:
    text = text[:MAX_CHARS].strip()
    parts = sentences_of(text)
    ascii_only = text.isascii()
    words = (_ASCII_WORD if ascii_only else _WORD).findall(text.lower())
    tokens = words if ascii_only else [w.replace("’", "'") for w in words]
    counts = Counter(tokens)
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    return TextFeatures(
        words=len(tokens),
        sentences=[len(s.split()) for s in parts],
        paragraphs=len(paragraphs),
        questions=sum(s.rstrip("\"')").endswith("?") for s in parts),
        exclamations=sum(s.rstrip("\"')").endswith("!") for s in parts),
        has_list=len(_LIST_LINE.findall(text)) >= 2,
        emoji=Counter() if ascii_only else Counter(_EMOJI.findall(text)),
        hashtags=_HASHTAG.findall(text),
        singular=sum(counts[w] for w in _SINGULAR),
        plural=sum(counts[w] for w in _PLURAL),
        contractions=sum(n for w, n in counts.items() if "'" in w),
        function_words=Counter({w: counts[w] for w in FUNCTION_WORDS if w in counts}),
        opener=_opener(parts[0]) if parts else "",
        sign_off=" ".join(parts[-1].split()) if len(parts) > 1 and len(parts[-1]) <= 60 else "",
        tokens=tokens,
    )


def per_100(count: float, words: int) -> float:
    return 100.0 * count / words if words else 0.0


def mean_sd(values: list[float]) -> tuple[float, float]:
    if not values:
        return 0.0, 0.0
    if len(values) == 1:
        return values[0], 0.0
    return statistics.fmean(values), statistics.stdev(values)
