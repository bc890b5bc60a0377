"""Find many phrases at once: an Aho-Corasick automaton over folded text.

One automaton for all phrases costs the same per post whether there are ten or ten thousand;
one regex per phrase, or one giant alternation, grows with the phrase count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

import ahocorasick

from bloomberry_cli.governance.normalize import Folded, fold_phrase, is_word_char
from bloomberry_cli.patterns import compile_any, compile_pattern

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Match(Generic[T]):
    start: int  # in the original text
    end: int
    payload: T
    text: str


def _inflections(phrase: str) -> set[str]:
    """The phrase plus the simple inflections of its last word: plural and possessive."""
    variants = {phrase, phrase + "s", phrase + "es", phrase + "'s"}
    if phrase.endswith("y") and len(phrase) > 2:
        variants.add(phrase[:-1] + "ies")
    return variants


def _on_word_boundary(text: str, start: int, end: int) -> bool:
    # A phrase edge that is punctuation ("etc.", "100%") needs no boundary on that side.
    if is_word_char(text[start]) and start > 0 and is_word_char(text[start - 1]):
        return False
    return not (is_word_char(text[end - 1]) and end < len(text) and is_word_char(text[end]))


class PhraseMatcher(Generic[T]):
    """Whole-word, case- and spacing-insensitive matching of many phrases."""

    def __init__(
        self,
        phrases: Iterable[tuple[str, T]],
        *,
        fold: Callable[[str], str] = fold_phrase,
        inflect: Callable[[T], bool] = lambda _: True,
    ) -> None:
        """``inflect``: whether a phrase with this payload also matches its plural and
        possessive (every key costs automaton size and build time)."""
        self._automaton = ahocorasick.Automaton()
        entries: dict[str, list[tuple[int, T]]] = {}
        for phrase, payload in phrases:
            folded = fold(phrase)
            if not folded:
                continue
            for variant in _inflections(folded) if inflect(payload) else (folded,):
                entries.setdefault(variant, []).append((len(variant), payload))
        for key, values in entries.items():
            self._automaton.add_word(key, values)
        self.empty = not entries
        if not self.empty:
            self._automaton.make_automaton()

    def find(self, folded: Folded) -> Iterator[Match[T]]:
        """Matches in ``folded``, longest first at each start, with original positions."""
        for start, end, payload in self.spans(folded.text):
            original_start, original_end = folded.span(start, end)
            yield Match(
                original_start, original_end, payload, folded.original[original_start:original_end]
            )

    def spans(self, text: str) -> Iterator[tuple[int, int, T]]:
        """``(start, end, payload)`` of the whole-word matches in folded ``text``, by start."""
        if self.empty:
            return
        best: dict[tuple[int, int], tuple[int, T]] = {}
        for end_index, values in self._automaton.iter(text):
            for length, payload in values:
                start, end = end_index - length + 1, end_index + 1
                if not _on_word_boundary(text, start, end):
                    continue
                key = (start, id(payload))
                if key not in best or best[key][0] < end:
                    best[key] = (end, payload)
        for (start, _), (end, payload) in sorted(best.items(), key=lambda item: item[0][0]):
            yield start, end, payload


class PatternMatcher(Generic[T]):
    """User regular expressions, applied to folded text with the same word boundaries.
    Compiled with RE2: linear time in the text whatever the pattern (see patterns.py)."""

    def __init__(self, patterns: Iterable[tuple[str, T]]) -> None:
        self._patterns = [(compile_pattern(p), payload) for p, payload in patterns]
        # One pass of the alternation rules out most posts; only a hit pays for each pattern.
        self._any = compile_any(p.pattern for p, _ in self._patterns)

    def find(self, folded: Folded) -> Iterator[Match[T]]:
        for start, end, payload in self.spans(folded.text):
            original_start, original_end = folded.span(start, end)
            yield Match(
                original_start, original_end, payload, folded.original[original_start:original_end]
            )

    def spans(self, text: str) -> Iterator[tuple[int, int, T]]:
        """``(start, end, payload)`` of the whole-word matches in folded ``text``. With no
        alternation (too large for RE2), each pattern runs alone."""
        if not self._patterns or (self._any is not None and self._any.search(text) is None):
            return
        for pattern, payload in self._patterns:
            for found in pattern.finditer(text):
                start, end = found.span()
                if start == end or not _on_word_boundary(text, start, end):
                    continue
                yield start, end, payload
