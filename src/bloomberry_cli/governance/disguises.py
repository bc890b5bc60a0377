"""Blocked claims in disguise (claims.obfuscated) and bidirectional controls (text.bidi).

A second view of the post undoes the tricks one stage at a time (right-to-left overrides,
look-alike and invisible characters, words broken over a line, letters spaced apart, Markdown
emphasis, digits for letters, symbols inside words). Every character of the view remembers where
it came from, so a finding points into the original text, and which trick it undid, so the
message names the disguise. Phrases go through the same stages, so both sides agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import reduce
from itertools import combinations
from operator import or_
from typing import TYPE_CHECKING

from bloomberry_cli.governance.disguise_precheck import may_be_disguised
from bloomberry_cli.governance.findings import Finding
from bloomberry_cli.governance.matcher import PhraseMatcher
from bloomberry_cli.governance.normalize import DISGUISE_NAMES, Disguise, fold_char, fold_phrase
from bloomberry_cli.models import BlockedClaim

if TYPE_CHECKING:
    from bloomberry_cli.governance.context import PostContext

# Plain ints in the per-character lists: IntFlag arithmetic costs ten times more.
NONE, LEET, SPACED, SYMBOL = 0, int(Disguise.LEET), int(Disguise.SPACED), int(Disguise.SYMBOL)
EMPHASIS, LINE_BREAK = int(Disguise.EMPHASIS), int(Disguise.LINE_BREAK)
BIDI = int(Disguise.BIDI)
#: ``(index in the view, replacement, disguise)``; an empty replacement removes the character.
Entry = tuple[int, str, int]


@dataclass
class View:
    """Text with, for each character, its original offset, the disguise it undid (``marks``)
    and the disguises of the characters removed just before it (``gaps``)."""

    text: str
    offsets: list[int]
    marks: list[int]
    gaps: list[int]

    @classmethod
    def of(cls, text: str) -> View:
        return cls(text, list(range(len(text))), [0] * len(text), [0] * len(text))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of view ``[start, end)``; a reversed run is not in order."""
        window = self.offsets[start:end]
        return min(window), max(window) + 1

    def disguises(self, start: int, end: int) -> Disguise:
        # What was removed before the first character lies outside the match.
        return Disguise(
            reduce(or_, self.marks[start:end], 0) | reduce(or_, self.gaps[start + 1 : end], 0)
        )


def _rewrite(
    view: View, pattern: re.Pattern[str], rewrite: Callable[[re.Match[str]], Iterable[Entry]]
) -> View:
    """Replace every match of ``pattern`` by the entries ``rewrite`` gives, in their order."""
    text, offsets, marks, gaps = view.text, view.offsets, view.marks, view.gaps
    parts: list[str] = []
    new = View("", [], [], [])
    pending = 0
    position = 0

    def copy(start: int, end: int) -> None:
        nonlocal pending
        if start >= end:
            return
        parts.append(text[start:end])
        new.offsets.extend(offsets[start:end])
        new.marks.extend(marks[start:end])
        first = len(new.gaps)
        new.gaps.extend(gaps[start:end])
        new.gaps[first] |= pending
        pending = 0

    for found in pattern.finditer(text):
        copy(position, found.start())
        for index, replacement, disguise in rewrite(found):
            if not replacement:
                pending |= disguise | gaps[index]
                continue
            for char in replacement:
                parts.append(char)
                new.offsets.append(offsets[index])
                new.marks.append(marks[index] | disguise)
                new.gaps.append(gaps[index] | pending)
                pending = 0
        position = found.end()
    if position == 0:
        return view
    copy(position, len(text))
    new.text = "".join(parts)
    return new


def _delete(disguise: int) -> Callable[[re.Match[str]], list[Entry]]:
    return lambda found: [(i, "", disguise) for i in range(found.start(), found.end())]


_BIDI_CLASS = "\u202a-\u202e\u2066-\u2069"
_BIDI_CHAR = re.compile(f"[{_BIDI_CLASS}]")
# A right-to-left override shows the Latin letters after it in reverse, up to its pop.
_RLO_RUN = re.compile(f"\u202e([^{_BIDI_CLASS}\n]*)([\u202c\u2069]?)")


def _reverse(found: re.Match[str]) -> list[Entry]:
    entries: list[Entry] = [(found.start(), "", BIDI)]
    text = found.string
    entries += [(i, text[i], BIDI) for i in reversed(range(*found.span(1)))]
    if found.group(2):
        entries.append((found.start(2), "", BIDI))
    return entries


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _fold(found: re.Match[str]) -> list[Entry]:
    replacement, disguise = fold_char(found.group())
    return [(found.start(), replacement, int(disguise))]


_LINE_BREAK = re.compile(r"(?<=[a-z])-[ \t]*\n[ \t]*(?=[a-z])")
_SPACED = re.compile(
    r"(?<![a-z0-9@$])[a-z0-9@$](?P<sep>[ .*_/|+~-]|\. )[a-z0-9@$]"
    r"(?:(?P=sep)[a-z0-9@$])+(?![a-z0-9@$])"
    r"(?:(?<=\.[a-z0-9@$])\.(?= [a-z]))?"  # an abbreviation's last dot: "h.i.p.a.a. certified"
)


def _join_spaced(found: re.Match[str]) -> list[Entry]:
    text = found.string
    return [
        (i, text[i], NONE) if text[i].isalnum() or text[i] in "@$" else (i, "", SPACED)
        for i in range(found.start(), found.end())
    ]


_EMPHASIS = re.compile(
    r"(?<=[a-z0-9])[*_~]{1,3}(?=[a-z0-9])"
    r"|(?<![a-z0-9*_~])[*_~]{1,3}(?=[a-z0-9])"
    r"|(?<=[a-z0-9])[*_~]{1,3}(?![a-z0-9*_~])"
)
_LEET = str.maketrans("013456789@$!|", "oieasgtbgasii")
_LEET_CHARS = frozenset("013456789@$!|")
# A token mixing letters with digits or @ $ ! |; a trailing "!" is punctuation, not a letter.
# Only tokens with a character to undo: a plain word would be copied entry by entry for nothing.
_LEET_TOKEN = re.compile(
    r"(?<![a-z0-9@$!|])(?=[a-z0-9@$!|]*[a-z])(?=[a-z0-9@$!|]*[0-9@$!|])"
    r"[a-z0-9@$!|]*[a-z0-9@$]"
)


def _unleet(found: re.Match[str]) -> list[Entry]:
    token = found.group()
    start = found.start()
    if _LEET_CHARS.isdisjoint(token):
        return [(start + i, char, NONE) for i, char in enumerate(token)]
    return [
        (start + i, char.translate(_LEET), LEET if char in _LEET_CHARS else NONE)
        for i, char in enumerate(token)
    ]


_SYMBOL = re.compile(r"(?<=[a-z0-9])[^\sa-z0-9'.,;:!?\"()\[\]{}<>-]+(?=[a-z0-9])")
# Runs that change: not the single space between two words, the commonest run of all.
_SPACE_RUN = re.compile(r"(?<![\s-])(?:[\s-]{2,}|[^\S ]|-|\A | \Z)")


def _one_space(found: re.Match[str]) -> list[Entry]:
    start, end = found.span()
    keep = start > 0 and end < len(found.string)
    return [(i, " " if keep and i == start else "", NONE) for i in range(start, end)]


_STAGES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], Iterable[Entry]]], ...] = (
    (_LINE_BREAK, _delete(LINE_BREAK)),
    (_SPACED, _join_spaced),
    (_EMPHASIS, _delete(EMPHASIS)),
    (_LEET_TOKEN, _unleet),
    (_SYMBOL, _delete(SYMBOL)),
    (_SPACE_RUN, _one_space),
)


def disguise_view(text: str) -> View:
    view = View.of(text)
    if not text.isascii():
        if "\u202e" in text:
            view = _rewrite(view, _RLO_RUN, _reverse)
        view = _rewrite(view, _NON_ASCII, _fold)
    lowered = view.text.lower()
    if len(lowered) == len(view.text):  # always, once non-ASCII letters are folded
        view.text = lowered
    for pattern, rewrite in _STAGES:
        view = _rewrite(view, pattern, rewrite)
    return view


# Phrases ------------------------------------------------------------------------------------

DisguisePayload = tuple[BlockedClaim, Disguise]


def _l_variants(key: str) -> set[str]:
    """``1``, ``!`` and ``|`` read as ``i`` in the view; a phrase's ``l`` may be written so."""
    positions = [i for i, char in enumerate(key) if char == "l"]
    if len(positions) > 3:
        return {key, key.replace("l", "i")}
    variants = set()
    for count in range(len(positions) + 1):
        for chosen in combinations(positions, count):
            variants.add("".join("i" if i in chosen else c for i, c in enumerate(key)))
    return variants


def disguise_matcher(claims: Iterable[BlockedClaim]) -> PhraseMatcher[DisguisePayload]:
    entries: list[tuple[str, DisguisePayload]] = []
    for claim in claims:
        for phrase in claim.phrases:
            key = disguise_view(phrase).text if may_be_disguised(phrase) else fold_phrase(phrase)
            for variant in _l_variants(key):
                entries.append((variant, (claim, Disguise(0))))
                if " " in variant:  # "#GuaranteedROI"
                    entries.append((variant.replace(" ", ""), (claim, Disguise.RUN_TOGETHER)))
    return PhraseMatcher(entries, fold=lambda key: key)


# Matches ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DisguisedClaim:
    start: int
    end: int
    claim: BlockedClaim
    disguises: Disguise
    text: str

    @property
    def names(self) -> str:
        return ", ".join(name for flag, name in DISGUISE_NAMES.items() if flag in self.disguises)


@dataclass
class Disguised:
    claims: list[DisguisedClaim] = field(default_factory=list)
    #: Offsets of the bidi controls that belong to a disguised claim (reported with it).
    hidden_bidi: set[int] = field(default_factory=set)


def find_disguised(ctx: PostContext) -> Disguised:
    result = Disguised()
    seen = [(m.start, m.end) for m in ctx.blocked_matches]
    _view_hits(ctx, result, seen)  # first: the view names the disguise most precisely
    for match in ctx.respelled_matches:  # found in the plain text's one automaton pass
        if any(s < match.end and match.start < e for s, e in seen):
            continue
        seen.append((match.start, match.end))
        claim, disguise = match.payload
        result.claims.append(DisguisedClaim(match.start, match.end, claim, disguise, match.text))
    result.claims.sort(key=lambda hit: hit.start)
    return result


def _view_hits(ctx: PostContext, result: Disguised, seen: list[tuple[int, int]]) -> None:
    text = ctx.prose.text
    publication = ctx.publication
    if publication.controls:
        # Lint reads what readers get: the control comments removed, not blanked (a comment
        # inside a word joins it again), at the body's offsets.
        view = disguise_view(publication.text)
        view.offsets = [publication.body_offset(offset) for offset in view.offsets]
    elif may_be_disguised(text):
        view = disguise_view(text)
    elif "#" in text:
        # Plain ASCII with hashtags: the one disguise a hashtag can carry is words run
        # together (#GuaranteedROI), which the lower-cased text shows as it is.
        view = View.of(text.lower())
    else:
        return
    linter = ctx.linter
    hits: list[tuple[int, int, BlockedClaim, Disguise]] = [
        (s, e, claim, extra) for s, e, (claim, extra) in linter.blocked_disguised.spans(view.text)
    ]
    hits += [(s, e, claim, Disguise(0)) for s, e, claim in linter.blocked_patterns.spans(view.text)]
    for start, end, claim, extra in hits:
        disguises = view.disguises(start, end) | extra
        if not disguises:
            continue  # the view changed nothing here: an l/i variant, not a disguise
        original_start, original_end = view.span(start, end)
        if any(s < original_end and original_start < e for s, e in seen):
            continue
        seen.append((original_start, original_end))
        result.claims.append(
            DisguisedClaim(
                original_start, original_end, claim, disguises, text[original_start:original_end]
            )
        )
        if Disguise.BIDI in disguises:
            result.hidden_bidi |= _bidi_around(text, original_start, original_end)


def _bidi_around(text: str, start: int, end: int) -> set[int]:
    hidden = {m.start() for m in _BIDI_CHAR.finditer(text, start, end)}
    for run in _RLO_RUN.finditer(text):
        if run.start() <= end and start <= run.end():
            hidden |= {m.start() for m in _BIDI_CHAR.finditer(text, run.start(), run.end())}
    return hidden


def _one_line(text: str) -> str:
    return " ".join(text.split())


def obfuscated(ctx: PostContext) -> Iterator[Finding]:
    for hit in ctx.disguised.claims:
        claim = hit.claim
        yield ctx.finding(
            "claims.obfuscated",
            hit.start,
            hit.end,
            f"'{_one_line(hit.text)}' is the blocked claim {claim.id} disguised "
            f"({hit.names}): {claim.reason}",
            match=hit.text,
            suggestion=claim.suggestion,
        )


def bidi(ctx: PostContext) -> Iterator[Finding]:
    text = ctx.prose.text
    if text.isascii():
        return
    hidden = ctx.disguised.hidden_bidi
    for found in _BIDI_CHAR.finditer(text):
        if found.start() in hidden:
            continue
        char = found.group()
        yield ctx.finding(
            "text.bidi",
            found.start(),
            found.end(),
            f"invisible bidirectional control U+{ord(char):04X}: readers may see the text "
            "around it in another order than the reviewer does",
            match=char,
            suggestion="delete it; write the text in the order it should read",
        )
