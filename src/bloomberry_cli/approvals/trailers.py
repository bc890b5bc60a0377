"""The decision commit message: a subject, an optional reason, and the Bb- trailer block."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Verdict = Literal["approve", "reject", "request-changes", "publish"]
VERDICTS: tuple[Verdict, ...] = ("approve", "reject", "request-changes", "publish")
_TRAILER = re.compile(r"^(Bb-[A-Za-z0-9-]+):[ \t]*(.*)$")


@dataclass(frozen=True)
class DecisionRecord:
    """What a decision commit says it is. Whether it is true is the audit's job."""

    decision: Verdict
    stage: str
    post: str
    post_sha256: str
    reviewer: str
    reason: str | None = None
    url: str | None = None
    published_at: str | None = None


def format_message(record: DecisionRecord) -> str:
    subject = f"bb: {record.decision} {record.post} ({record.stage})"
    lines = [subject, ""]
    if record.reason:
        lines += [record.reason.strip(), ""]
    lines += [f"Bb-Decision: {record.decision}", f"Bb-Stage: {record.stage}",
              f"Bb-Post: {record.post}", f"Bb-Post-Sha256: {record.post_sha256}",
              f"Bb-Reviewer: {record.reviewer}"]
    if record.url:
        lines.append(f"Bb-Url: {record.url}")
    if record.published_at:
        lines.append(f"Bb-Published-At: {record.published_at}")
    return "\n".join(lines) + "\n"


def parse_message(message: str) -> DecisionRecord | None:
    """The record in a commit message's last paragraph; None if it is not a decision."""
    paragraphs = message.strip().split("\n\n")
    fields: dict[str, str] = {}
    for line in paragraphs[-1].splitlines():
        match = _TRAILER.match(line.strip())
        if match:
            fields[match.group(1)] = match.group(2).strip()
    decision = fields.get("Bb-Decision")
    if decision not in VERDICTS:
        return None
    reason = "\n\n".join(paragraphs[1:-1]).strip() or None
    return DecisionRecord(decision, fields.get("Bb-Stage", ""), fields.get("Bb-Post", ""),
                          fields.get("Bb-Post-Sha256", ""), fields.get("Bb-Reviewer", "").lower(),
                          reason, fields.get("Bb-Url"), fields.get("Bb-Published-At"))
