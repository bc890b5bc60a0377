"""The messages of bb's own commits: decisions, policy changes and waivers.

Parsed strictly: anyone can write a commit message, so a message that is not exactly what bb
writes is not a decision (it is reported as ``decision.malformed`` and never counted).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

Verdict = Literal["approve", "reject", "request-changes", "publish"]
VERDICTS: tuple[Verdict, ...] = ("approve", "reject", "request-changes", "publish")
WITHDRAWALS: tuple[Verdict, ...] = ("reject", "request-changes")
_TRAILER = re.compile(r"^(Bb-[A-Za-z0-9-]+):[ \t]*(.*)$")
_ANY_TRAILER = re.compile(r"^Bb-[A-Za-z0-9-]+:", re.M)
_SUBJECT = re.compile(r"^bb: (approve|reject|request-changes|publish) (\S.*) \(([^()\s]+)\)$")
_WAIVE_SUBJECT = re.compile(r"^bb: waive ([0-9a-f]{40}) \(([a-z0-9.-]+)\)$")
_HEX40 = re.compile(r"^[0-9a-f]{40}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_UTC_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
_DECISION_KEYS = {
    "Bb-Decision",
    "Bb-Stage",
    "Bb-Post",
    "Bb-Post-Sha256",
    "Bb-Reviewer",
    "Bb-Parent",
}
_PUBLISH_KEYS = {"Bb-Url", "Bb-Published-At"}


class MalformedMessage(ValueError):
    """A message that carries bb trailers but is not one of bb's commits."""


@dataclass(frozen=True)
class DecisionRecord:
    """What a decision commit says it is. Whether it is true is the trail's job."""

    decision: Verdict
    stage: str
    post: str
    post_sha256: str
    reviewer: str
    reason: str | None = None
    url: str | None = None
    published_at: str | None = None
    parent: str = ""


@dataclass(frozen=True)
class WaiverRecord:
    commit: str
    rule: str
    reason: str | None


def format_message(record: DecisionRecord) -> str:
    lines = [f"bb: {record.decision} {record.post} ({record.stage})", ""]
    if record.reason:
        lines += [record.reason.strip(), ""]
    lines += [
        f"Bb-Decision: {record.decision}",
        f"Bb-Stage: {record.stage}",
        f"Bb-Post: {record.post}",
        f"Bb-Post-Sha256: {record.post_sha256}",
        f"Bb-Reviewer: {record.reviewer}",
    ]
    if record.url:
        lines.append(f"Bb-Url: {record.url}")
    if record.published_at:
        lines.append(f"Bb-Published-At: {record.published_at}")
    lines.append(f"Bb-Parent: {record.parent}")
    return "\n".join(lines) + "\n"


def format_policy_message(summary: str, policy_hash: str, *, compromised: bool = False) -> str:
    lines = [summary.strip() or "bb: policy change", "", f"Bb-Policy: {policy_hash}"]
    if compromised:
        lines.append("Bb-Revoke: compromised")
    return "\n".join(lines) + "\n"


def format_waiver_message(waiver: WaiverRecord) -> str:
    lines = [f"bb: waive {waiver.commit} ({waiver.rule})", ""]
    if waiver.reason:
        lines += [waiver.reason.strip(), ""]
    lines += [f"Bb-Waives: {waiver.commit}", f"Bb-Rule: {waiver.rule}"]
    return "\n".join(lines) + "\n"


def has_trailers(message: str) -> bool:
    return "Bb-" in message and _ANY_TRAILER.search(message) is not None


def trailer_block(message: str) -> tuple[str, str, dict[str, str]]:
    """(subject, middle text, trailers) of a message whose last paragraph holds only trailers,
    each key once. Raises ``MalformedMessage`` otherwise."""
    paragraphs = [p for p in message.replace("\r\n", "\n").strip().split("\n\n") if p.strip()]
    if len(paragraphs) < 2:
        raise MalformedMessage("no trailer block after the subject")
    fields: dict[str, str] = {}
    for line in paragraphs[-1].splitlines():
        match = _TRAILER.match(line.strip())
        if match is None:
            raise MalformedMessage(f"not a trailer line in the trailer block: {line[:60]!r}")
        if match.group(1) in fields:
            raise MalformedMessage(f"{match.group(1)} appears twice")
        fields[match.group(1)] = match.group(2).strip()
    for paragraph in paragraphs[:-1]:
        if _ANY_TRAILER.search(paragraph):
            raise MalformedMessage("Bb- trailers outside the final trailer block")
    subject = paragraphs[0].strip()
    if "\n" in subject:
        raise MalformedMessage("the subject spans lines")
    return subject, "\n\n".join(paragraphs[1:-1]).strip(), fields


def parse_decision(message: str) -> DecisionRecord:
    subject, middle, fields = trailer_block(message)
    keys = set(fields)
    decision = fields.get("Bb-Decision")
    wanted = _DECISION_KEYS | (_PUBLISH_KEYS if decision == "publish" else set())
    if keys != wanted:
        missing, extra = wanted - keys, keys - wanted
        raise MalformedMessage(
            "trailers "
            + "; ".join(
                part
                for part in (
                    f"missing {', '.join(sorted(missing))}" if missing else "",
                    f"unexpected {', '.join(sorted(extra))}" if extra else "",
                )
                if part
            )
        )
    if decision not in VERDICTS:
        raise MalformedMessage(f"unknown decision {decision!r}")
    match = _SUBJECT.match(subject)
    if match is None or match.groups() != (decision, fields["Bb-Post"], fields["Bb-Stage"]):
        raise MalformedMessage("the subject does not agree with the trailers")
    if not _HEX64.match(fields["Bb-Post-Sha256"]) or not _HEX40.match(fields["Bb-Parent"]):
        raise MalformedMessage("Bb-Post-Sha256 or Bb-Parent is not a full hash")
    if decision == "publish" and fields["Bb-Stage"] != "publish":
        raise MalformedMessage("a publication's stage is 'publish'")
    if decision == "publish" and not _utc_time(fields["Bb-Published-At"]):
        raise MalformedMessage("Bb-Published-At is not a UTC time like 2026-12-02T09:00:00Z")
    return DecisionRecord(
        decision,
        fields["Bb-Stage"],
        fields["Bb-Post"],
        fields["Bb-Post-Sha256"],
        fields["Bb-Reviewer"].lower(),
        middle or None,
        fields.get("Bb-Url"),
        fields.get("Bb-Published-At"),
        fields["Bb-Parent"],
    )


def _utc_time(value: str) -> bool:
    """What `bb publish` writes; reports compute with it, so nothing else is taken."""
    if not _UTC_TIME.match(value):
        return False
    try:
        dt.datetime.fromisoformat(value[:-1] + "+00:00")
    except ValueError:
        return False
    return True


def parse_waiver(message: str) -> WaiverRecord:
    subject, middle, fields = trailer_block(message)
    if set(fields) != {"Bb-Waives", "Bb-Rule"}:
        raise MalformedMessage("a waiver has exactly Bb-Waives and Bb-Rule")
    match = _WAIVE_SUBJECT.match(subject)
    if match is None or match.groups() != (fields["Bb-Waives"], fields["Bb-Rule"]):
        raise MalformedMessage("the subject does not agree with the trailers")
    return WaiverRecord(fields["Bb-Waives"], fields["Bb-Rule"], middle or None)


def parse_policy(message: str) -> tuple[str, bool]:
    """(the consented projection hash, whether a removal is for a compromised key)."""
    _subject, _middle, fields = trailer_block(message)
    if not set(fields) <= {"Bb-Policy", "Bb-Revoke"} or "Bb-Policy" not in fields:
        raise MalformedMessage("a policy change has Bb-Policy (and optionally Bb-Revoke)")
    if not _HEX64.match(fields["Bb-Policy"]):
        raise MalformedMessage("Bb-Policy is not a sha256")
    revoke = fields.get("Bb-Revoke")
    if revoke not in (None, "compromised"):
        raise MalformedMessage("Bb-Revoke may only say 'compromised'")
    return fields["Bb-Policy"], revoke == "compromised"


_KIND = re.compile(r"^Bb-(Decision|Waives|Policy):", re.M)
_KINDS: dict[str, Literal["decision", "waiver", "policy"]] = {
    "Decision": "decision",
    "Waives": "waiver",
    "Policy": "policy",
}


def kind_of(message: str) -> Literal["decision", "waiver", "policy", "other"]:
    """Which of bb's commits a message claims to be (decision first: it is the common one)."""
    if "Bb-" not in message:
        return "other"
    found = {m.group(1) for m in _KIND.finditer(message)}
    for name in ("Decision", "Waives", "Policy"):
        if name in found:
            return _KINDS[name]
    return "other"
