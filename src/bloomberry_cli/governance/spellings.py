"""The other ways a blocked phrase is spelled in plain text, matched in the same automaton pass
as the phrase itself (no cost per post):

- a percentage written out or spaced: "100 % secure", "100%secure", "100 percent secure",
  "one hundred per cent secure" (the claim itself: claims.blocked);
- words run together: "hackproof", "#BestPlaceToWork" (claims.obfuscated);
- one word split in two by a space, a hyphen or a line break: "un-hackable", "bullet proof
  security", "unhack⏎able" (claims.obfuscated). Only words of six letters or more, each part
  two letters or more: a split of a short word is too often two ordinary words ("pro of").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from bloomberry_cli.governance.normalize import Disguise, fold_phrase
from bloomberry_cli.models import BlockedClaim

#: A blocked claim and the disguise a spelling of its phrase is.
Spelled = tuple[BlockedClaim, Disguise]

_PERCENT = re.compile(r"(?<![\d.,])(\d{1,3})%( ?)")
_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
MIN_SPLIT_WORD = 6
#: The claim written another plain way: no disguise (one member, not one call per key: an
#: enum call costs microseconds, and there are thousands of keys).
PLAIN = Disguise(0)


def number_words(number: int) -> list[str]:
    """English words for 0-999: "one hundred", "a hundred" and "hundred" for 100."""
    if number < 20:
        return [_ONES[number]]
    if number < 100:
        tens, ones = divmod(number, 10)
        if not ones:
            return [_TENS[tens]]
        return [f"{_TENS[tens]} {_ONES[ones]}", f"{_TENS[tens]}-{_ONES[ones]}"]
    hundreds, rest = divmod(number, 100)
    heads = [f"{_ONES[hundreds]} hundred"] + (["a hundred", "hundred"] if hundreds == 1 else [])
    if not rest:
        return heads
    tails = number_words(rest)
    return [f"{head}{joint}{tail}" for head in heads for joint in (" ", " and ") for tail in tails]


def _percentages(folded: str) -> set[str]:
    found = _PERCENT.search(folded)
    if found is None:
        return set()
    digits, space = found.group(1), found.group(2)
    before, after = folded[: found.start()], folded[found.end() :]
    follow = " " if space else ""
    spelled = {f"{digits} %{follow}", f"{digits}%" if space else f"{digits}% "}
    for number in (digits, *number_words(int(digits))):
        for word in ("percent", "per cent"):
            spelled.add(f"{number} {word}{follow}")
    return {f"{before}{middle}{after}" for middle in spelled} - {folded}


def _splits(folded: str) -> set[str]:
    variants = set()
    offset = 0
    for word in folded.split(" "):
        if len(word) >= MIN_SPLIT_WORD and word.isalpha():
            for cut in range(offset + 2, offset + len(word) - 1):
                variants.add(f"{folded[:cut]} {folded[cut:]}")
        offset += len(word) + 1
    return variants


def spellings(folded: str) -> dict[str, Disguise]:
    """``folded`` (a phrase folded as plain text is) and its other spellings, each with the
    disguise it is (none: the claim written another plain way); the plainest reading wins."""
    found: dict[str, Disguise] = {folded: PLAIN}
    for variant in _percentages(folded):
        found.setdefault(variant, PLAIN)
    if " " in folded:
        found.setdefault(folded.replace(" ", ""), Disguise.RUN_TOGETHER)
    for variant in _splits(folded):
        found.setdefault(variant, Disguise.SPLIT)
    return found


def spelled_phrases(claims: Iterable[BlockedClaim]) -> Iterator[tuple[str, Spelled]]:
    """Every folded spelling of every blocked phrase, with one payload per (claim, disguise)."""
    for claim in claims:
        payloads: dict[Disguise, Spelled] = {}
        for phrase in claim.phrases:
            for key, disguise in spellings(fold_phrase(phrase)).items():
                yield key, payloads.setdefault(disguise, (claim, disguise))
