"""Which wording of a brief's message each participant shares.

Many employees post one campaign in the same days; the same text from all of them reads as a
bot network. A brief may carry several approved wordings (``advocacy.messages``); each person
gets one by a stable hash of (brief id, participant id), so adding people never reshuffles the
others and a rerun never changes anyone's draft. Stability beats balance.
"""

from __future__ import annotations

import hashlib

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
