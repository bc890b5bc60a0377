"""Which wording of a brief's message each participant shares.

Many employees post one campaign in the same days; the same text from all of them reads as a
bot network. A brief may carry several approved wordings (``advocacy.messages``); each person
gets one by a stable hash of (brief id, participant id), so adding people never reshuffles the
others and a rerun never changes anyone's draft.

A hash alone clusters: four people on four wordings share one about two times in three. So a
run balances (``WordingPlan``): a person whose draft already carries a wording keeps it (that
is what makes adding people safe: the others' wordings are read back from their drafts), and a
person without one takes the wording the fewest others hold, their hashed wording first among
equals. A first run therefore spreads the brief's participants evenly in the brief's order, and
every later run keeps what it gave.
"""

from __future__ import annotations

import difflib
import hashlib
from collections import Counter
from collections.abc import Callable

from bloomberry_cli.drafting.pools import flat
from bloomberry_cli.drafting.selection import brief_participants
from bloomberry_cli.errors import Problem
from bloomberry_cli.models import Brief
from bloomberry_cli.workspace import Workspace

#: Participants above which a brief with one wording earns a warning from `bb validate`.
SINGLE_MESSAGE_LIMIT = 5


def variant_index(brief_id: str, participant: str, count: int) -> int:
    """The variant for this person: the same on every run and every machine."""
    if count <= 1:
        return 0
    digest = hashlib.sha256(f"{brief_id}\0{participant}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % count


def message_for(brief: Brief, brief_id: str, participant: str) -> str | None:
    """The wording of the advocacy message this participant shares (None: no advocacy)."""
    if brief.advocacy is None:
        return None
    variants = brief.advocacy.variants
    return variants[variant_index(brief_id, participant, len(variants))]


def wording_in(text: str, variants: list[str]) -> str | None:
    """The wording a draft carries (the longest that appears whole), None if none does."""
    folded = flat(text)
    found = [v for v in variants if flat(v) and flat(v) in folded]
    return max(found, key=len) if found else None


#: Two advocacy posts sharing one wording whose expected likeness (difflib's ratio, from the
#: lengths of what they share and what each adds) is above this read as copies: the goal in
#: bench/draft_quality.py is 0.65, and lines that happen to share words add a few points.
TOO_ALIKE = 0.62

#: How many of a wording's holders a new draft is measured against: the latest, so a brief's
#: cost stays linear.
RECENT = 8


def expected_likeness(shared: int, own_a: int, own_b: int) -> float:
    """difflib's ratio for two texts that share ``shared`` characters and add ``own_a`` and
    ``own_b`` of their own: 2·M / (len(a) + len(b))."""
    total = 2 * shared + own_a + own_b
    return 2 * shared / total if total else 0.0


class WordingPlan:
    """Which wording of one brief's message each participant shares, balanced and sticky.

    ``held``: participant → the wording their draft on disk carries (None: a draft without
    one). ``tail``: the characters every advocacy post of the brief carries besides the
    wording (link, disclosure, the brief's hashtags). Choices made in this run are recorded
    as they are made."""

    def __init__(
        self, brief_id: str, variants: list[str], held: dict[str, str | None], tail: int = 0
    ) -> None:
        self.brief_id = brief_id
        self.variants = variants
        self.tail = tail
        self.held = dict(held)
        self.counts = Counter(w for w in self.held.values() if w is not None)
        #: participant → (their first line, flattened; the length of their own lines), for
        #: those drafted in this run.
        self.people: dict[str, tuple[str, int]] = {}
        self.pairs: Counter[tuple[str | None, str]] = Counter()
        self.opened: Counter[str] = Counter()
        self.own: dict[str | None, Counter[int]] = {}
        #: The requests for a line (drafting's pools.ASK_LINES) made so far: spread too.
        self.asked: set[str] = set()
        #: wording (None: none) → participant → their draft's text, to measure likeness.
        self.texts: dict[str | None, dict[str, str]] = {}
        #: Whether the engine measures each wording (a small brief) or estimates (``choose``).
        self.measured = False
        #: participant → the body of their draft on disk: lines it has, they keep.
        self.on_disk: dict[str, str] = {}

    def without_one(self, participant: str) -> bool:
        """Whether the person's draft on disk carries no wording (on X: their line and the
        link)."""
        return participant in self.on_disk and self.held.get(participant) is None

    def sticky(self, participant: str) -> bool:
        """Whether the person's draft already carries a wording, which they keep."""
        return self.held.get(participant) in self.variants

    def likeness(self, wording: str | None, text: str, besides: str) -> float:
        """The highest difflib ratio (as bench/draft_quality.py measures it) of ``text`` to
        the drafts of the last ``RECENT`` others holding ``wording`` (None: those holding
        none), where it is above ``TOO_ALIKE``; below it, only that it is."""
        holders = [t for who, t in self.texts.get(wording, {}).items() if who != besides]
        matcher = difflib.SequenceMatcher(None, "", text)
        best = 0.0
        for other in holders[-RECENT:]:
            matcher.set_seq1(other)
            # quick_ratio() is an upper bound of ratio() at a fraction of its cost.
            if matcher.quick_ratio() > max(best, TOO_ALIKE):
                best = max(best, matcher.ratio())
        return best

    def load(self, wording: str, besides: str) -> int:
        """How many participants other than ``besides`` hold ``wording``."""
        return self.counts[wording] - (self.held.get(besides) == wording)

    def preference(self, participant: str) -> list[str]:
        """The wordings in this person's fixed order: their hashed one first."""
        count = len(self.variants)
        start = variant_index(self.brief_id, participant, count)
        return [self.variants[(start + step) % count] for step in range(count)]

    def opened_by_others(self, opening: str, besides: str) -> bool:
        """Whether another participant of this run opens with the same line."""
        first = flat(opening)
        mine = self.people.get(besides, ("", 0))[0] == first
        return self.opened[first] - mine > 0

    def paired(self, wording: str, opening: str) -> bool:
        """Whether someone holds ``wording`` beside the same first line."""
        return self.pairs[(wording, flat(opening))] > 0

    def _excess(self, wording: str, own: int) -> float:
        """How far above ``TOO_ALIKE`` a post adding ``own`` characters to ``wording`` would
        be, next to the holder of ``wording`` who adds the least (0: not a copy)."""
        holders = [length for length, n in self.own.get(wording, Counter()).items() if n > 0]
        if not holders:
            return 0.0
        shared = len(wording) + self.tail
        return max(0.0, expected_likeness(shared, own, min(holders)) - TOO_ALIKE)

    def choose(
        self, participant: str, opening: str = "", own: Callable[[str], int] = lambda w: 0
    ) -> str:
        """Their wording: the one their draft already carries; else, in this order, one
        nobody holds beside the same first line, one whose post would not read as a copy of a
        holder's (``own(wording)``: the characters the person would add to it; where every
        one would, the least alike), the least held, their hashed one. A person is chosen
        for once a run, before their draft is recorded."""
        if not self.variants:
            return ""
        held = self.held.get(participant)
        if held in self.variants:
            assert held is not None
            return held
        first = opening
        order = self.preference(participant)
        return min(
            order,
            key=lambda w: (
                self.paired(w, first),
                self._excess(w, own(w)),
                self.load(w, participant),
                order.index(w),
            ),
        )

    def by_load(self, participant: str, wordings: list[str]) -> list[str]:
        """``wordings`` with those fewest others hold first, shorter first among equals."""
        return sorted(wordings, key=lambda w: (self.load(w, participant), len(w)))

    def record(
        self,
        participant: str,
        wording: str | None,
        opening: str = "",
        own: int = 0,
        text: str = "",
    ) -> None:
        """What the person's draft (``text``) carries: a wording (or None) beside their first
        line, and ``own`` characters of their own lines."""
        for texts in self.texts.values():
            texts.pop(participant, None)
        if text:
            self.texts.setdefault(wording, {})[participant] = text
        before = self.held.get(participant)
        if before is not None:
            self.counts[before] -= 1
        if participant in self.people:
            first, length = self.people[participant]
            self.pairs[(before, first)] -= 1
            self.opened[first] -= 1
            self.own[before][length] -= 1
        self.held[participant] = wording
        if wording is not None:
            self.counts[wording] += 1
        first = flat(opening)
        self.people[participant] = (first, own)
        self.pairs[(wording, first)] += 1
        self.opened[first] += 1
        self.own.setdefault(wording, Counter())[own] += 1


def single_message_warnings(workspace: Workspace) -> list[Problem]:
    """Briefs that send one wording to many people: their posts will read as copies."""
    warnings = []
    for brief_id, brief in workspace.briefs.items():
        if brief.advocacy is None or len(brief.advocacy.variants) > 1:
            continue
        people = len(brief_participants(brief, workspace.voices))
        if people <= SINGLE_MESSAGE_LIMIT:
            continue
        path = workspace.brief_paths[brief_id]
        doc = workspace.documents.get(path)
        key_path: tuple[str | int, ...] = (
            "advocacy",
            "messages" if brief.advocacy.messages else "message",
        )
        line, column = (doc.position(key_path) if doc else None) or (None, None)
        warnings.append(
            Problem(
                path,
                f"{people} participants share one wording of the message; their posts will "
                "read as copies",
                line=line,
                column=column,
                key_path=key_path,
                hint="give 3–5 approved wordings under 'advocacy: messages:'",
            )
        )
    return warnings
