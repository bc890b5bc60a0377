"""Stylometric features of a text: the habits that make a post sound like one person.

Three families, the standard ones in authorship attribution:
- habits: layout and punctuation (sentence and post length, paragraphs, lists, questions, emoji,
  hashtags, commas, dashes, parentheses…), and pronouns and contractions;
- function words: how often the small words ('the', 'which', 'we') occur, which topic barely
  moves;
- character n-grams: three-letter runs, which catch spelling ('-ise'), pet words and
  punctuation ('— ', '->') without a word list.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

import regex

# The most frequent English function words, with approximate rates per 100 words in general
# written English (rounded from standard frequency lists). They are the reference that
# z-scores a writer's rates (Burrows' Delta, Cosine Delta): what matters is how a person
# departs from everyone, not how often anyone writes 'the'.
REFERENCE_RATES: dict[str, float] = {
    "the": 5.0,
    "a": 2.2,
    "an": 0.35,
    "and": 2.7,
    "but": 0.45,
    "or": 0.35,
    "so": 0.2,
    "of": 2.6,
    "to": 2.4,
    "in": 1.8,
    "on": 0.65,
    "at": 0.45,
    "for": 0.85,
    "with": 0.65,
    "from": 0.4,
    "by": 0.45,
    "about": 0.18,
    "as": 0.6,
    "into": 0.15,
    "than": 0.15,
    "that": 1.1,
    "this": 0.45,
    "these": 0.12,
    "those": 0.08,
    "it": 1.0,
    "its": 0.12,
    "is": 0.95,
    "are": 0.45,
    "was": 0.9,
    "were": 0.3,
    "be": 0.65,
    "been": 0.25,
    "being": 0.08,
    "have": 0.45,
    "has": 0.2,
    "had": 0.45,
    "do": 0.25,
    "does": 0.06,
    "did": 0.12,
    "not": 0.45,
    "no": 0.2,
    "can": 0.25,
    "could": 0.17,
    "will": 0.25,
    "would": 0.25,
    "should": 0.08,
    "may": 0.1,
    "might": 0.06,
    "must": 0.06,
    "just": 0.15,
    "very": 0.12,
    "really": 0.08,
    "also": 0.12,
    "then": 0.13,
    "there": 0.25,
    "here": 0.07,
    "what": 0.25,
    "which": 0.3,
    "who": 0.2,
    "when": 0.2,
    "why": 0.04,
    "how": 0.1,
    "if": 0.22,
    "because": 0.08,
    "while": 0.05,
    "i": 0.9,
    "me": 0.15,
    "my": 0.2,
    "we": 0.35,
    "us": 0.08,
    "our": 0.1,
    "you": 0.6,
    "your": 0.12,
    "they": 0.35,
    "their": 0.25,
    "them": 0.12,
    "he": 0.6,
    "she": 0.3,
    "his": 0.45,
    "her": 0.3,
    "one": 0.3,
    "all": 0.25,
    "some": 0.15,
    # Stance and discourse words: pet words ('actually', 'pretty', 'honestly', 'whilst') are
    # among the most personal of the small words, and no topic needs them.
    "now": 0.13,
    "only": 0.15,
    "even": 0.06,
    "still": 0.06,
    "well": 0.08,
    "actually": 0.04,
    "pretty": 0.02,
    "quite": 0.03,
    "rather": 0.03,
    "maybe": 0.03,
    "perhaps": 0.03,
    "probably": 0.03,
    "honestly": 0.01,
    "basically": 0.01,
    "simply": 0.02,
    "never": 0.06,
    "always": 0.05,
    "every": 0.05,
    "each": 0.06,
    "any": 0.1,
    "nobody": 0.01,
    "most": 0.08,
    "more": 0.2,
    "much": 0.08,
    "whilst": 0.005,
    "though": 0.05,
    "however": 0.05,
    "yet": 0.04,
    "since": 0.05,
    "until": 0.04,
    "instead": 0.03,
    "already": 0.04,
    "again": 0.06,
    "too": 0.07,
}
FUNCTION_WORDS = tuple(REFERENCE_RATES)
_FUNCTION = frozenset(FUNCTION_WORDS)

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n\s*\n")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
_ASCII_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*")  # same result on ASCII text, faster
_EMOJI = regex.compile(r"\p{Extended_Pictographic}")
#: A hashtag as readers see one (not `&#39;`, not a link's `/#anchor`); lint counts the same.
HASHTAG = re.compile(r"(?<![\w#&/])#[^\W\d_]\w*")
_LIST_LINE = re.compile(r"^\s*(?:\d+[.)]|[-*•])\s+", re.M)
# A number in digits, the writer's habit ("8 hours", "34 people", "10x"), not the digits of a
# name ("SOC 2", "ISO 27001", "GPT-4", "Q1", "EC2"), which anyone who writes of it must use.
_NUMBER = re.compile(r"(?<![\w.,])(?<![A-Z]{2}[ -])\d+(?:[.,]\d+)*")
_DASH = re.compile(r"[—–]|\s-\s|--")
_SYMBOL = re.compile(r"->|=>|[+=&/~<>*]")
_SINGULAR = frozenset({"i", "me", "my", "mine", "i'm", "i've", "i'd", "i'll"})
_PLURAL = frozenset({"we", "us", "our", "ours", "we're", "we've", "we'd", "we'll"})
_SPACES = re.compile(r"[ \t]+")
_DIGIT = re.compile(r"\d")
MAX_CHARS = 100_000  # a longer sample says nothing more about a voice, and costs time
NGRAM = 3

# The habits, in the order they are shown, each with (unit, the words for it). Rates are per
# 100 words unless the unit says otherwise; the unit is part of the stored profile's meaning.
HABITS: dict[str, tuple[str, str]] = {
    "sentence_words": ("words", "sentence length"),
    "post_words": ("words", "post length"),
    "paragraphs": ("count", "paragraphs"),
    "lists": ("share", "lists"),
    "questions": ("per sentence", "questions"),
    "exclamations": ("per sentence", "exclamation marks"),
    "first_person_singular": ("per 100 words", "'I' and 'my'"),
    "first_person_plural": ("per 100 words", "'we' and 'our'"),
    "contractions": ("per 100 words", "contractions"),
    "commas": ("per 100 words", "commas"),
    "semicolons": ("per 100 words", "semicolons"),
    "colons": ("per 100 words", "colons"),
    "dashes": ("per 100 words", "dashes"),
    "parentheses": ("per 100 words", "asides in parentheses"),
    "quotes": ("per 100 words", "quotation marks"),
    "numbers": ("per 100 words", "numbers in digits"),
    "symbols": ("per 100 words", "symbols such as -> + /"),
    "emoji": ("per 100 words", "emoji"),
    "hashtags": ("count", "hashtags"),
    "word_length": ("letters", "word length"),
}
# Habits counted per 100 words: their noise in one short text is Poisson-like, so a text's
# length widens the spread a score allows.
RATES = frozenset(k for k, (unit, _) in HABITS.items() if unit == "per 100 words")

# Whether a text shows a habit at all, with the words for it. On a short post a rate is mostly
# noise, but whether the habit shows is not: "semicolons in 6 of her 8 posts" tells writers
# apart where "0.9 semicolons per 100 words" blurs them. A profile keeps the share of the
# person's texts that show each one.
SHOWN: dict[str, str] = {
    "questions": "a question",
    "exclamations": "an exclamation mark",
    "contractions": "contractions",
    "semicolons": "semicolons",
    "colons": "colons",
    "dashes": "dashes",
    "parentheses": "asides in parentheses",
    "quotes": "quotation marks",
    "numbers": "numbers in digits",
    "symbols": "symbols such as -> and +",
    "emoji": "emoji",
    "hashtags": "hashtags",
    "lists": "a list",
    "paragraphs": "more than one paragraph",
    "line_breaks": "sentences on lines of their own",
    "first_person_singular": "'I' or 'my'",
    "first_person_plural": "'we' or 'our'",
    "short_sentences": "a sentence of four words or fewer",
    "long_sentences": "a sentence of 25 words or more",
    "question_last": "a question at the end",
}
_DERIVED = frozenset(
    {"line_breaks", "paragraphs", "short_sentences", "long_sentences", "question_last"}
)


@dataclass
class TextFeatures:
    words: int
    sentences: list[int]  # words per sentence
    habits: dict[str, float]
    emoji: Counter[str] = field(default_factory=Counter)
    hashtags: list[str] = field(default_factory=list)
    function_words: Counter[str] = field(default_factory=Counter)
    ngrams: Counter[str] = field(default_factory=Counter)
    opener: str = ""
    sign_off: str = ""
    tokens: list[str] = field(default_factory=list)
    shown: frozenset[str] = frozenset()  # the SHOWN habits this text has


def _opener(sentence: str) -> str:
    """A lead-in the person reuses ("Small thing, big effect:"), else their first words."""
    colon = sentence.find(":")
    if 0 < colon <= 45:
        return " ".join(sentence[: colon + 1].split())
    return " ".join(_WORD.findall(sentence)[:4])


def sentences_of(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def _mask(match: re.Match[str]) -> str:
    word = match.group()
    return word if word in _FUNCTION else "*"


def char_ngrams(text: str) -> Counter[str]:
    """Three-character runs of the text with every word but the function words masked as
    '*' (text distortion, Stamatatos 2017): what is left is how the person strings small
    words and punctuation together, which the subject of a post does not change. Lower case,
    spaces collapsed and written '_' (a stored key must not start or end with a space), line
    breaks '¶', digits '0'."""
    masked = _ASCII_WORD.sub(_mask, _WORD.sub(_mask, text.lower()))
    flat = _SPACES.sub(" ", masked.replace("\n", " ¶ ")).replace(" ", "_")
    flat = _DIGIT.sub("0", flat)
    return Counter(flat[i : i + NGRAM] for i in range(len(flat) - NGRAM + 1))


def _line_broken(text: str) -> bool:
    """A paragraph with a line break that does not start a list item: one line per thought."""
    for paragraph in re.split(r"\n\s*\n", text):
        lines = [line for line in paragraph.split("\n") if line.strip()]
        if any(not _LIST_LINE.match(line) for line in lines[1:]):
            return True
    return False


def per_100(count: float, words: int) -> float:
    return 100.0 * count / words if words else 0.0


def extract(text: str) -> TextFeatures:
    text = text[:MAX_CHARS].strip()
    parts = sentences_of(text)
    ascii_only = text.isascii()
    words = (_ASCII_WORD if ascii_only else _WORD).findall(text.lower())
    tokens = words if ascii_only else [w.replace("’", "'") for w in words]
    counts = Counter(tokens)
    n = len(tokens)
    sentences = [len(s.split()) for s in parts]
    emoji = Counter() if ascii_only else Counter(_EMOJI.findall(text))
    hashtags = HASHTAG.findall(text)
    shown = max(len(parts), 1)
    habits = {
        "sentence_words": sum(sentences) / len(sentences) if sentences else 0.0,
        "post_words": float(n),
        "paragraphs": float(len([p for p in re.split(r"\n\s*\n", text) if p.strip()])),
        "lists": 1.0 if len(_LIST_LINE.findall(text)) >= 2 else 0.0,
        "questions": sum(s.rstrip("\"')").endswith("?") for s in parts) / shown,
        "exclamations": sum(s.rstrip("\"')").endswith("!") for s in parts) / shown,
        "first_person_singular": per_100(sum(counts[w] for w in _SINGULAR), n),
        "first_person_plural": per_100(sum(counts[w] for w in _PLURAL), n),
        "contractions": per_100(sum(c for w, c in counts.items() if "'" in w), n),
        "commas": per_100(text.count(","), n),
        "semicolons": per_100(text.count(";"), n),
        "colons": per_100(len(re.findall(r":(?!//)", text)), n),
        # A list's "- " bullet is layout, not a dash.
        "dashes": per_100(len(_DASH.findall(_LIST_LINE.sub("", text))), n),
        "parentheses": per_100(text.count("("), n),
        "quotes": per_100(
            (text.count('"') + text.count("“")) / 2 + len(re.findall(r"(?<!\w)'(?=\w)", text)), n
        ),
        "numbers": per_100(len(_NUMBER.findall(text)), n),
        "symbols": per_100(len(_SYMBOL.findall(text)), n),
        "emoji": per_100(sum(emoji.values()), n),
        "hashtags": float(len(hashtags)),
        "word_length": sum(len(w) for w in tokens) / n if n else 0.0,
    }
    derived = {
        "line_breaks": "\n" in text and _line_broken(text),
        "paragraphs": habits["paragraphs"] > 1,
        "short_sentences": any(s <= 4 for s in sentences),
        "long_sentences": any(s >= 25 for s in sentences),
        "question_last": bool(parts) and parts[-1].rstrip("\"')").endswith("?"),
    }
    showing = frozenset(h for h in SHOWN if (derived[h] if h in _DERIVED else habits[h] > 0))
    return TextFeatures(
        words=n,
        sentences=sentences,
        habits=habits,
        emoji=emoji,
        hashtags=hashtags,
        function_words=Counter({w: counts[w] for w in FUNCTION_WORDS if w in counts}),
        ngrams=char_ngrams(text),
        opener=_opener(parts[0]) if parts else "",
        sign_off=" ".join(parts[-1].split()) if len(parts) > 1 and len(parts[-1]) <= 60 else "",
        tokens=tokens,
        shown=showing,
    )


def mean_sd(values: list[float]) -> tuple[float, float]:
    if not values:
        return 0.0, 0.0
    if len(values) == 1:
        return values[0], 0.0
    return statistics.fmean(values), statistics.stdev(values)
