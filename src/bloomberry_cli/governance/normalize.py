"""Fold text for matching while remembering where every folded character came from.

Two foldings: *plain* (case, whitespace and dash runs, curly apostrophes) catches a blocked
phrase written normally; *deep* (NFKD, combining marks and default-ignorable code points removed,
Unicode confusables mapped to their ASCII look-alike) catches the same phrase in disguise.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import regex

_IGNORABLE = regex.compile(r"[\p{Default_Ignorable_Code_Point}]")
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2212")
_APOSTROPHES = frozenset("\u2019\u2018\u02bc")


def is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


@dataclass
class Folded:
    """Folded text; ``offsets[i]`` is the index in the original of folded character ``i``."""

    text: str
    original: str
    _offsets: list[int] | None = field(default=None, repr=False)
    deep: bool = False

    @property
    def offsets(self) -> list[int]:
        if self._offsets is None:  # the ASCII fast path defers this until a match needs it
            self._offsets = _ascii_offsets(self.original)
        return self._offsets

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of folded ``[start, end)``."""
        offsets = self.offsets
        return offsets[start], offsets[end - 1] + 1


@cache
def _skeleton_map() -> dict[str, str]:
    """Non-ASCII characters to the ASCII letter or digit they are confusable with, from the
    Unicode confusables data that confusable_homoglyphs ships."""
    data = json.loads((resources.files("confusable_homoglyphs") / "confusables.json")
                      .read_text(encoding="utf-8"))
    mapping: dict[str, str] = {}
    for char, homoglyphs in data.items():
        if char.isascii() or len(char) != 1:
            continue
        for homoglyph in homoglyphs:
            target = homoglyph["c"]
            if len(target) == 1 and target.isascii() and target.isalnum():
                mapping[char] = target.lower()
                break
    return mapping


def _fold_chars(text: str, *, deep: bool) -> Folded:
    out: list[str] = []
    offsets: list[int] = []
    skeleton = _skeleton_map() if deep else {}
    pending_space = -1
    for index, char in enumerate(text):
        if char.isspace() or char in _DASHES:
            if pending_space < 0:
                pending_space = index
            continue
        if deep and _IGNORABLE.match(char):
            continue
        pieces = unicodedata.normalize("NFKD", char) if deep else char
        folded_any = False
        for piece in pieces:
            if deep and unicodedata.combining(piece):
                continue
            for low in piece.casefold():
                if low in _APOSTROPHES:
                    low = "'"
                low = skeleton.get(low, low)
                if pending_space >= 0:
                    if out:
                        out.append(" ")
                        offsets.append(pending_space)
                    pending_space = -1
                out.append(low)
                offsets.append(index)
                folded_any = True
        if not folded_any and pending_space < 0 and char.isspace():
            pending_space = index
    return Folded("".join(out), text, offsets, deep)


_ASCII_RUNS = re.compile(r"[\s\-]+")


def _ascii_offsets(text: str) -> list[int]:
    """Offsets for the ASCII fast path: runs of space and dashes fold to one space, the ends
    are stripped. Built from ranges, so it costs little even on long posts."""
    offsets: list[int] = []
    position = 0
    for run in _ASCII_RUNS.finditer(text):
        offsets.extend(range(position, run.start()))
        if run.start() > 0 and run.end() < len(text):
            offsets.append(run.start())
        position = run.end()
    offsets.extend(range(position, len(text)))
    return offsets


def fold_plain(text: str) -> Folded:
    if text.isascii():
        # Same result as the general path, computed in C; offsets only if a match needs them.
        return Folded(_ASCII_RUNS.sub(" ", text.lower()).strip(" "), text, None)
    return _fold_chars(text, deep=False)


def fold_deep(text: str) -> Folded:
    return _fold_chars(text, deep=True)


def fold_phrase(phrase: str, *, deep: bool = False) -> str:
    return (fold_deep(phrase) if deep else fold_plain(phrase)).text


def looks_disguised(text: str) -> bool:
    """Only non-ASCII text can hide a phrase from the plain folding."""
    return not text.isascii()
