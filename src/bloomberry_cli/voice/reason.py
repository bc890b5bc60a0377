"""What one measure of the voice score found, and how much each kind of measure counts."""

from __future__ import annotations

from dataclasses import dataclass

# How much each measure counts (the habits add up to 21).
WEIGHTS = {
    "habit": 1.0,
    "pronouns": 2.0,
    "function_words": 0.5,
    "char_ngrams": 3.0,
    "shown": 5.0,
    "signature": 5.0,
    "phrase": 1.5,
}

#: A measure at or above this similarity is like the person: its reason says so ("as usual",
#: "within their range") and `bb voice score` marks it ✓. One threshold for both, or a reason
#: could say "as usual" beside a mark that says otherwise.
ALIKE = 0.6


@dataclass(frozen=True)
class FeatureScore:
    feature: str
    similarity: float  # 0..1
    explanation: str
    usual: str | None = None  # the summary's words this reason relies on
    weight: float = 1.0
