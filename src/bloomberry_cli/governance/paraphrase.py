"""claims.paraphrase: sentences that make a blocked claim in other words.

Offline and model-free: each sentence becomes weighted features (claim_features.py: stems,
synonyms, neighbouring pairs, negation). A sentence is flagged when it covers most of the
weight of one of a claim's ``examples:`` or ``phrases`` (only claims that carry examples take
part). Stems that differ but share most character trigrams ("hacker", "hacks") earn part of
the credit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from bloomberry_cli.governance.claim_features import (
    NEGATED_WEIGHT,
    NEGATION_CUES,
    NOT,
    PAIR_WEIGHT,
    SENTENCE,
    WORD,
    WORD_WEIGHT,
    Featurizer,
)
from bloomberry_cli.governance.findings import Finding
from bloomberry_cli.models import BlockedClaim

if TYPE_CHECKING:
    from bloomberry_cli.governance.context import PostContext

THRESHOLD = 0.7  # share of a reference's weight a sentence must cover
MIN_CREDIT = 2.0  # two content words, or one negated one: one plain word is never enough
FUZZY_SHARE = 0.75  # of a word's weight, for a stem that shares most trigrams with it


@dataclass(frozen=True, slots=True)
class Reference:
    claim: BlockedClaim
    text: str
    features: dict[str, float]
    total: float
    negated: frozenset[str]
    #: The single words not negated, and the pairs: set operations run in C.
    plain: frozenset[str] = frozenset()
    pairs: frozenset[str] = frozenset()
    #: Groups of words; a sentence that reaches the threshold holds a word of each.
    required: tuple[frozenset[str], ...] = ()
    #: Its place in claims.yaml: of two references equally close, the first is reported.
    order: int = 0


@dataclass(frozen=True, slots=True)
class Paraphrase:
    start: int
    end: int
    claim: BlockedClaim
    reference: str
    score: float


@cache
def _trigrams(word: str) -> frozenset[str]:
    return frozenset(word[i : i + 3] for i in range(len(word) - 2))


def _similar(a: str, b: str) -> bool:
    if a.startswith(NOT) != b.startswith(NOT) or " " in b:
        return False
    left, right = _trigrams(a), _trigrams(b)
    return bool(left and right) and len(left & right) / len(left | right) >= 0.5


def score(
    sentence: dict[str, float],
    reference: Reference,
    words: list[str] | None = None,
    keys: set[str] | None = None,
) -> float:
    """The share of ``reference``'s weight that ``sentence`` covers (0 below ``MIN_CREDIT``);
    ``words``: the sentence's single-word features, for the character-trigram credit;
    ``keys``: the sentence's features as a set, when the caller has it."""
    if keys is None:
        keys = set(sentence)
    negated = reference.negated
    if negated and negated.isdisjoint(keys):
        return 0.0  # the claim is a negation ("cannot be hacked"); the sentence lacks it
    # A feature's weight follows from its form (see Featurizer.features), so counts suffice.
    plain_found = reference.plain & keys
    negated_found = negated & keys
    word_credit = WORD_WEIGHT * len(plain_found) + NEGATED_WEIGHT * len(negated_found)
    credit = word_credit + PAIR_WEIGHT * len(reference.pairs & keys)
    word_total = WORD_WEIGHT * len(reference.plain) + NEGATED_WEIGHT * len(negated)
    possible = credit + FUZZY_SHARE * (word_total - word_credit)
    if possible < MIN_CREDIT or possible < THRESHOLD * reference.total:
        return 0.0  # even full trigram credit would not reach the threshold
    if words is None:
        words = [feature for feature in sentence if " " not in feature]
    weights = reference.features
    for feature in (reference.plain - plain_found) | (negated - negated_found):
        if any(_similar(feature, other) for other in words):
            credit += FUZZY_SHARE * weights[feature]
    return credit / reference.total if credit >= MIN_CREDIT else 0.0


def _unreachable(features: dict[str, float], total: float, missing: set[str]) -> bool:
    """True when a sentence without the words ``missing`` cannot reach the threshold: each
    keeps at most its trigram share (as ``score`` counts), and every pair with one of them is
    lost (a pair needs the word itself, not a similar one)."""
    lost = 0.0
    for feature, weight in features.items():
        if " " in feature:
            left, right = feature.split(" ")
            if left in missing or right in missing:
                lost += weight
        elif feature in missing:
            lost += weight * (1 - FUZZY_SHARE)
    return total - lost < THRESHOLD * total or total - lost < MIN_CREDIT


def _required_words(
    features: dict[str, float],
    total: float,
    frequency: dict[str, int],
    exclude: frozenset[str] = frozenset(),
) -> list[str]:
    """Words (none in ``exclude``) of which a matching sentence holds at least one, the claims'
    rarest first (a word few claims use is likely rare in posts too); empty if none will do."""
    words = sorted(
        (f for f in features if " " not in f and f not in exclude),
        key=lambda f: (not f.startswith(NOT), frequency.get(f, 0), -len(f), f),
    )
    chosen: set[str] = set()
    for word in words:
        if _unreachable(features, total, {word}):
            return [word]
        chosen.add(word)
        if _unreachable(features, total, chosen):
            return sorted(chosen)
    return []


def _required_groups(
    features: dict[str, float], total: float, frequency: dict[str, int]
) -> list[frozenset[str]]:
    """Up to three disjoint groups of words; a matching sentence holds a word of each (each
    group alone is a necessary condition, so checking them all is exact)."""
    groups: list[frozenset[str]] = []
    used: frozenset[str] = frozenset()
    while len(groups) < 3:
        group = _required_words(features, total, frequency, used)
        if not group:
            break
        groups.append(frozenset(group))
        used |= groups[-1]
    return groups


def _prefix(features: dict[str, float], total: float) -> list[str]:
    """The fewest features that a sentence must share one of to reach the threshold: what a
    sentence without any of them loses is more than ``1 - THRESHOLD`` of the weight (a
    missing word may still earn its trigram share, a missing pair earns nothing)."""

    def rarity(item: tuple[str, float]) -> tuple[int, int]:
        feature = item[0]
        return (0 if feature.startswith(NOT) else 1 if " " in feature else 2, -len(feature))

    prefix, lost = [], 0.0
    for feature, weight in sorted(features.items(), key=rarity):
        prefix.append(feature)
        lost += weight if " " in feature else weight * (1 - FUZZY_SHARE)
        if lost > (1 - THRESHOLD) * total:
            break
    return prefix


def _closer(value: float, reference: Reference, best_value: float, best: Reference) -> bool:
    """Higher similarity wins; of equals, a negated claim (a negation is the stronger
    signal, weighed double), then the first in claims.yaml - whatever order they came in."""
    return (value, bool(reference.negated), -reference.order) > (
        best_value,
        bool(best.negated),
        -best.order,
    )


class ParaphraseIndex:
    """The examples and phrases of the claims that carry ``examples:``, ready to compare."""

    def __init__(self, claims: Iterable[BlockedClaim]) -> None:
        claims = list(claims)
        reading = Featurizer()
        texts = [
            (claim, text)
            for claim in claims
            if claim.examples
            for text in [*claim.examples, *claim.phrases]
        ]
        raw = [(claim, text, reading.features(text)) for claim, text in texts]
        vocabulary = {f.removeprefix(NOT) for _, _, feats in raw for f in feats if " " not in f}
        partners: dict[str, set[str]] = {}
        for _, _, feats in raw:
            for feature in feats:
                if " " in feature:
                    left, right = feature.split(" ")
                    partners.setdefault(left, set()).add(right)
                    partners.setdefault(right, set()).add(left)
        self.featurizer = Featurizer(vocabulary, partners)
        self.references: list[Reference] = []
        # A reference is filed under words of which a matching sentence must hold one (the
        # claims' rarest words first); failing that (prefix filtering) under the features a
        # sentence cannot do without all of (negations, then word pairs, then the longest
        # words). Both are exact, and common words file nothing.
        self._postings: dict[str, list[Reference]] = {}
        # How many claim texts use each word, counting every blocked phrase: the company's topic
        # words recur there and in posts; a claim's own wording ("promise", "breached") not.
        frequency: dict[str, int] = {}
        # Without examples there is nothing to file: reading every phrase (and loading the
        # stemmer) would cost a large workspace a tenth of a second for nothing.
        counted = (
            [features for _, _, features in raw]
            + [
                reading.features(phrase)
                for claim in claims
                if not claim.examples
                for phrase in claim.phrases
            ]
            if raw
            else []
        )
        for features in counted:
            for feature in features:
                frequency[feature] = frequency.get(feature, 0) + 1
        for claim, text, features in raw:
            total = sum(features.values())
            if total < MIN_CREDIT:
                continue  # a lone plain word would flag every sentence that uses it
            negated = frozenset(f for f in features if f.startswith(NOT))
            groups = _required_groups(features, total, frequency)
            if negated and negated not in groups:
                groups.insert(0, negated)  # score() requires one of a negated claim's negations
            reference = Reference(
                claim,
                text,
                features,
                total,
                negated=negated,
                plain=frozenset(f for f in features if " " not in f and not f.startswith(NOT)),
                pairs=frozenset(f for f in features if " " in f),
                required=tuple(groups),
                order=len(self.references),
            )
            self.references.append(reference)
            for feature in groups[0] if groups else _prefix(features, total):
                self._postings.setdefault(feature, []).append(reference)
        parts = {part for feature in self._postings for part in feature.split(" ")}
        self._keys = {part for part in parts if not part.startswith(NOT)}
        self._negated_keys = {part.removeprefix(NOT) for part in parts if part.startswith(NOT)}
        self.empty = not self.references
        # References filed under word pairs (prefix filtering) need the full features.
        self._pair_filed = any(" " in key for key in self._postings)
        # Words seen in posts; those that can give a feature some reference is filed under
        # (plainly, or negated: then only with a negation in the sentence); negating forms.
        self._seen: set[str] = set()
        self._triggers: set[str] = set()
        self._negated_triggers: set[str] = set()
        self._negating: set[str] = set(NEGATION_CUES)

    def _learn(self, words: set[str]) -> None:
        new = words - self._seen
        for word in new:
            base, negated_form = self.featurizer.word(word)
            if negated_form:
                self._negating.add(word)
            for keys, triggers in (
                (self._keys, self._triggers),
                (self._negated_keys, self._negated_triggers),
            ):
                if base in keys or any(_similar(base, key) for key in keys):
                    triggers.add(word)
        self._seen |= new

    def _may_match(self, words: set[str]) -> bool:
        """False when no reference can be a candidate for text with these words: it has no
        word a reference is filed under, plainly or (with a negation) negated."""
        if not words.isdisjoint(self._triggers):
            return True
        return not (words.isdisjoint(self._negated_triggers) or words.isdisjoint(self._negating))

    def _may_hold(self, words: set[str]) -> bool:
        """False when no reference filed under single words can be scored for a sentence
        with these words. Reads a superset of the sentence's word features (each word plain
        and, if anything in the sentence can negate, negated too), far cheaper than them."""
        word = self.featurizer.word
        bases: set[str] = set()
        for token in words:
            base, negated = word(token)
            bases.add(base)
            if negated:
                bases.add(NOT + base)
        if not words.isdisjoint(self._negating):
            bases |= {NOT + base for base in bases if not base.startswith(NOT)}
        postings = self._postings
        for key in bases:
            for reference in postings.get(key, ()):
                for group in reference.required:
                    if group.isdisjoint(bases):
                        break
                else:
                    return True
        return False

    def find(self, text: str) -> Iterator[Paraphrase]:
        """Sentences of ``text`` close to a reference: the best reference per sentence."""
        if self.empty:
            return
        words = set(WORD.findall(text.lower().replace("\u2019", "'")))
        self._learn(words)
        if not self._may_match(words):
            return
        for found in SENTENCE.finditer(text):
            # Each sentence lowered apart: lower() may change the length of a non-ASCII text.
            words = set(WORD.findall(found.group().lower().replace("\u2019", "'")))
            if len(words) < 2 or not self._may_match(words):
                continue
            if not self._pair_filed and not self._may_hold(words):
                continue  # exact: no reference could reach the scorer
            features = self.featurizer.features(found.group())
            postings = self._postings
            candidates = {id(r): r for f in features if f in postings for r in postings[f]}
            best: tuple[float, Reference] | None = None
            words_only = [feature for feature in features if " " not in feature]
            keys = set(features)
            for reference in candidates.values():
                for group in reference.required:
                    if group.isdisjoint(keys):
                        break  # cannot reach the threshold: spare the scoring
                else:
                    value = score(features, reference, words_only, keys)
                    if value >= THRESHOLD and (best is None or _closer(value, reference, *best)):
                        best = (value, reference)
            if best is not None:
                sentence = found.group()
                start = found.start() + len(sentence) - len(sentence.lstrip())
                end = found.start() + len(sentence.rstrip())
                yield Paraphrase(start, end, best[1].claim, best[1].text, best[0])


def paraphrase(ctx: PostContext) -> Iterator[Finding]:
    index = ctx.linter.paraphrases
    if index.empty:
        return
    said = [(m.start, m.end) for m in ctx.blocked_matches]
    said += [(m.start, m.end) for m in ctx.disguised.claims]
    for found in index.find(ctx.prose.text):
        if any(s < found.end and found.start < e for s, e in said):
            continue  # already an error on this sentence
        claim = found.claim
        yield ctx.finding(
            "claims.paraphrase",
            found.start,
            found.end,
            f"this sentence may make the blocked claim {claim.id} in other words (close to "
            f"'{found.reference}', similarity {found.score:.2f}): {claim.reason}",
            match=ctx.prose.text[found.start : found.end],
            suggestion=claim.suggestion or "say what we can stand behind instead",
        )
