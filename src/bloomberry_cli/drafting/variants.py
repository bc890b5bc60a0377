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

import hashlib
from collections import Counter

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


def _flat(text: str) -> str:
    return " ".join(text.lower().split())


def wording_in(text: str, variants: list[str]) -> str | None:
    """The wording a draft carries (the longest that appears whole), None if none does."""
    flat = _flat(text)
    found = [v for v in variants if _flat(v) and _flat(v) in flat]
    return max(found, key=len) if found else None


class WordingPlan:
    """Which wording of one brief's message each participant shares, balanced and sticky.

    ``held``: participant → the wording their draft on disk carries (None: a draft without
    one). Choices made in this run are added as they are made."""

    def __init__(self, brief_id: str, variants: list[str], held: dict[str, str | None]) -> None:
        self.brief_id = brief_id
        self.variants = variants
        self.held = dict(held)
        #: participant → their first line (flattened), where known: two people opening with
        #: the same line must not share a wording too, or their posts are one post.
        self.openings: dict[str, str] = {}
        self.counts = Counter(w for w in self.held.values() if w is not None)
        self.pairs: Counter[tuple[str | None, str]] = Counter()
        self.opened: Counter[str] = Counter()
        #: The requests for a line (drafting's pools.ASK_LINES) made so far: spread too.
        self.asked: set[str] = set()

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
        flat = _flat(opening)
        return self.opened[flat] - (self.openings.get(besides) == flat) > 0

    def paired(self, wording: str, opening: str, besides: str) -> bool:
        """Whether someone else holds ``wording`` beside the same first line."""
        flat = _flat(opening)
        own = self.held.get(besides) == wording and self.openings.get(besides) == flat
        return self.pairs[(wording, flat)] - own > 0

    def choose(self, participant: str, opening: str = "") -> str:
        """Their wording: the one their draft already carries, else the least held (and never
        one someone holds beside the same first line, while another is left)."""
        if not self.variants:
            return ""
        held = self.held.get(participant)
        if held in self.variants:
            assert held is not None
            return held
        order = self.preference(participant)
        return min(
            order,
            key=lambda w: (
                self.paired(w, opening, participant),
                self.load(w, participant),
                order.index(w),
            ),
        )

    def by_load(self, participant: str, wordings: list[str]) -> list[str]:
        """``wordings`` with those fewest others hold first, shorter first among equals."""
        return sorted(wordings, key=lambda w: (self.load(w, participant), len(w)))

    def record(self, participant: str, wording: str | None, opening: str = "") -> None:
        before = self.held.get(participant)
        if before is not None:
            self.counts[before] -= 1
        if participant in self.openings:
            self.pairs[(before, self.openings[participant])] -= 1
            self.opened[self.openings[participant]] -= 1
        self.held[participant] = wording
        if wording is not None:
            self.counts[wording] += 1
        self.openings[participant] = _flat(opening)
        self.pairs[(wording, self.openings[participant])] += 1
        self.opened[self.openings[participant]] += 1


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
