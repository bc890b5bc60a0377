"""What a check reports, and the catalogue of rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True, slots=True)
class Finding:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int  # exclusive, in Unicode code points
    rule: str
    severity: Severity
    message: str
    match: str | None = None
    suggestion: str | None = None

    def as_dict(self) -> dict[str, Any]:
        # dataclasses.asdict deep-copies recursively: ten times slower on large reports.
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class Suppressed:
    """A finding switched off by ``<!-- bb-disable RULE: reason -->`` in the post."""

    finding: Finding
    reason: str


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    summary: str


RULES: dict[str, Rule] = {rule.id: rule for rule in (
    Rule("claims.blocked", "error", "A claim the company has blocked."),
    Rule("claims.obfuscated", "error",
         "A blocked claim in disguise: look-alike, invisible or spaced letters, digits for "
         "letters, symbols or emphasis inside words, a bidirectional override."),
    Rule("claims.unsubstantiated", "warning",
         "A statistic or superlative that no approved claim covers."),
    Rule("claims.expired", "error", "An approved claim past its expiry date."),
    Rule("disclosure.missing", "error", "The post must disclose the employment relationship."),
    Rule("text.placeholder", "error", "Unfinished text: a placeholder or drafting marker."),
    Rule("channel.length", "error", "Longer than the channel allows (info: hook past the fold)."),
    Rule("channel.hashtags", "warning", "More hashtags than the channel or person allows."),
    Rule("voice.avoid", "warning", "A phrase the participant never uses."),
    Rule("voice.fidelity", "warning", "The draft does not sound like its participant."),
    Rule("duplicate.resharing", "warning",
         "An advocacy post nearly identical to another participant's."),
    Rule("calendar.conflict", "warning",
         "A thought-leadership post inside an advocacy campaign on the same topics."),
    # issue 21
    Rule("claims.paraphrase", "warning",
         "A sentence that makes a blocked claim in other words (close to its examples)."),
    Rule("text.bidi", "warning",
         "A bidirectional control character: readers may not see what the reviewer sees."),
)}
