"""What a sentence says, as weighted features, for claims.paraphrase: Snowball stems of its
content words, with a small table of claim-domain synonyms; the pairs of neighbouring content
words; and negation, so "cannot be hacked", "nobody can hack", "impenetrable" and "unhackable"
all give ``¬hack``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

NEGATED_WEIGHT, WORD_WEIGHT, PAIR_WEIGHT = 2.0, 1.0, 1.0
NOT = "¬"

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[,;:]")
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# A sentence ends at . ! ? or a blank line or a list item; a wrapped line does not end it.
SENTENCE = re.compile(r"(?:[^.!?\n]|\n(?![ \t]*\n|[ \t]*(?:[-*+]|\d+[.)])[ \t]))+[.!?]*")

_NEGATORS = frozenset(
    "not no never cannot can't won't isn't aren't doesn't don't didn't wasn't weren't hasn't "
    "haven't hadn't shouldn't wouldn't couldn't nor without zero nothing none nobody neither "
    "nowhere impossible".split()
)
_POSTFIX_NEGATORS = frozenset({"free", "proof"})  # risk-free, hack proof
NEGATION_CUES = _NEGATORS | _POSTFIX_NEGATORS
_CLAUSE_BREAKS = frozenset({",", ";", ":", "but", "although", "though", "however"})
_STOP = frozenset(
    "a an the and or of to in on at by for from with as into onto about over under than then "
    "so if is are was were be been being am it its it's this that these those there here "
    "we our ours us you your yours they their them he she his her i me my mine who whom which "
    "what when where why how all any anyone anything each every some such can could will "
    "would shall should may might must do does did doing done have has had having just very "
    "really also even ever still yet again more most much many one way body thing single "
    "get gets got go goes going went make makes made let lets ll re ve s d t".split()
)
_UN_EXCEPTIONS = ("under", "uni", "until", "unless", "uncle", "union", "unit")
_SYNONYMS = {
    "breach": "hack",
    "compromis": "hack",
    "crack": "hack",
    "penetr": "hack",
    "hacker": "hack",
    "danger": "risk",
    "downsid": "risk",
    "riski": "risk",
    "promis": "guarante",
    "assur": "guarante",
    "warranti": "guarante",
    "outag": "downtim",
    "offlin": "downtim",
    "100": "total",
    "complet": "total",
    "fulli": "total",
    "absolut": "total",
    "entir": "total",
    "perfect": "total",
    "safe": "secur",
    "certif": "certifi",
    "better": "best",
    "greatest": "best",
    "finest": "best",
}
_SUPERLATIVES = frozenset({"best"})  # "no better place" is "the best place"


@cache
def _stemmer():  # type: ignore[no-untyped-def]
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@cache
def stem(word: str) -> str:
    if word.endswith(("able", "ible")) and len(word) > 6:
        word = word[:-4]
    stemmed = str(_stemmer().stemWord(word))
    return _SYNONYMS.get(stemmed, stemmed)


def _negated_root(word: str) -> str | None:
    """The root a word negates by its form: un-/non-/im-/in-…-able, -less, -proof."""
    if word.endswith("proof") and len(word) > 7:
        return stem(word[:-5])
    if word.endswith("less") and len(word) > 7:
        return stem(word[:-4])
    for prefix in ("non", "un"):
        if (
            word.startswith(prefix)
            and len(word) - len(prefix) >= 4
            and not word.startswith(_UN_EXCEPTIONS)
        ):
            return stem(word[len(prefix) :])
    if word.startswith(("in", "im", "ir")) and word.endswith(("able", "ible")) and len(word) > 8:
        return stem(word[2:])
    return None


def _pairs(sequence: list[str | None], partners: dict[str, set[str]] | None) -> Iterator[str]:
    """Content words next to each other or one apart, in either order ("ROI is assured" ~
    "guaranteed ROI", "return on investment is guaranteed" ~ "guaranteed return"). With
    ``partners``, only the pairs some reference has: no other pair can add credit or make a
    candidate, and a long sentence has a hundred pairs."""
    for index, left in enumerate(sequence):
        if not left:
            continue
        mates = partners.get(left) if partners is not None else None
        if partners is not None and mates is None:
            continue
        for right in sequence[index + 1 : index + 3]:
            if right is None:
                break
            if mates is None or right in mates:
                yield f"{left} {right}" if left < right else f"{right} {left}"


# What a token is to the featurizer, once per distinct token.
_BREAK, _NEGATOR, _STOPWORD = 0, 1, 2
TokenKind = int | tuple[str, bool]


class Featurizer:
    """Words to features; a negating form counts only if its root is one the claims use."""

    def __init__(
        self, vocabulary: set[str] | None = None, partners: dict[str, set[str]] | None = None
    ) -> None:
        self.vocabulary = vocabulary  # None while reading the claims themselves
        self.partners = partners  # None: every pair (reading the claims)
        self._words: dict[str, tuple[str, bool]] = {}
        self._kinds: dict[str, TokenKind] = {}

    def word(self, word: str) -> tuple[str, bool]:
        known = self._words.get(word)
        if known is None:
            root = _negated_root(word)
            if root is not None and (self.vocabulary is None or root in self.vocabulary):
                known = (root, True)
            else:
                known = (stem(word), False)
            self._words[word] = known
        return known

    def _kind(self, token: str) -> TokenKind:
        if token in _CLAUSE_BREAKS:
            return _BREAK
        if token in _NEGATORS:
            return _NEGATOR
        if token in _STOP:
            return _STOPWORD
        return self.word(token)

    def features(self, text: str) -> dict[str, float]:
        features: dict[str, float] = {}
        sequence: list[str | None] = []
        negate = False
        last_content = False
        kinds = self._kinds
        for token in _TOKEN.findall(text.lower().replace("\u2019", "'")):
            kind = kinds.get(token)
            if kind is None:
                kind = kinds[token] = self._kind(token)
            if kind == _BREAK:
                negate, last_content = False, False
                sequence.append(None)
                continue
            if kind == _NEGATOR:
                negate, last_content = True, False
                continue
            if token in _POSTFIX_NEGATORS and last_content and sequence[-1]:
                previous = sequence[-1]
                if not previous.startswith(NOT):
                    del features[previous]
                    sequence[-1] = NOT + previous
                    features[sequence[-1]] = NEGATED_WEIGHT
                last_content = False
                continue
            if kind == _STOPWORD or (negate and token.endswith("ly")):
                last_content = False
                continue
            base, negated = kind  # type: ignore[misc]
            if negate:
                negated = not negated and base not in _SUPERLATIVES
                negate = False
            feature = NOT + base if negated else base
            features[feature] = NEGATED_WEIGHT if negated else WORD_WEIGHT
            sequence.append(feature)
            last_content = True
        for pair in _pairs(sequence, self.partners):
            features.setdefault(pair, PAIR_WEIGHT)
        return features
