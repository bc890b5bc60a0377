"""The claim rules: blocked, unsubstantiated and expired claims (disguises: disguises.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bloomberry_cli.governance.context import PostContext
from bloomberry_cli.governance.findings import Finding


def _one_line(text: str) -> str:
    return " ".join(text.split())


def blocked(ctx: PostContext) -> Iterator[Finding]:
    for match in ctx.blocked_matches:
        claim = match.payload
        yield ctx.finding("claims.blocked", match.start, match.end,
                          f"'{_one_line(match.text)}' is a blocked claim ({claim.id}): "
                          f"{claim.reason}",
                          match=match.text, suggestion=claim.suggestion)


_STATISTIC = re.compile(
    r"(?<![\w.])\d+(?:[.,]\d+)?\s?%"
    r"|(?<![\w.])\d+(?:\.\d+)?x(?!\w)"
    r"|#1(?!\d)|\bnumber one\b"
    r"|(?<![\w.])\d[\d,]*\+?\s+(?:[a-z-]+\s+)?(?:customers|clients|companies|teams|users"
    r"|organi[sz]ations|enterprises|businesses|downloads|installs)\b",
    re.I,
)
_SUPERLATIVE = re.compile(
    r"\b(?:fastest|largest|biggest|strongest|safest|cheapest|smartest|most (?:secure|trusted|"
    r"advanced|reliable|complete|powerful|innovative)"
    r"|best(?! practices?\b| regards\b| of luck\b| wishes\b)"
    r"|(?:industry|market)[- ]leading|(?:the|a) leading|(?:the|a) leader in|world[- ]class"
    r"|the only(?! (?:one|way|thing|time|reason|question|person|people)\b)"
    r"|(?:faster|better|cheaper|safer|more secure|more reliable) than)\b",
    re.I,
)


_DIGIT = re.compile(r"\d")
_TRIGGERS = ("fastest", "largest", "biggest", "strongest", "safest", "cheapest", "smartest",
             "most ", "best", "leading", "leader", "world", "only", "faster", "better", "cheaper",
             "safer", "more ")


def unsubstantiated(ctx: PostContext) -> Iterator[Finding]:
    text = ctx.prose.text
    # Cheap tests first: most sentences hold no number and none of the trigger words.
    checks = []
    folded = ctx.plain.text
    if _DIGIT.search(text) or "number one" in folded:
        checks.append((_STATISTIC, "statistic"))
    if any(trigger in folded for trigger in _TRIGGERS):
        checks.append((_SUPERLATIVE, "superlative"))
    if not checks:
        return
    covered = [(m.start, m.end) for m in ctx.approved_matches]
    for pattern, kind in checks:
        for found in pattern.finditer(text):
            start, end = found.span()
            if any(s <= start and end <= e for s, e in covered):
                continue
            yield ctx.finding(
                "claims.unsubstantiated", start, end,
                f"'{found.group()}' is a {kind} that no approved claim covers",
                match=found.group(),
                suggestion="use an approved claim's wording from claims.yaml, or ask marketing "
                           "to approve this one with a source")


def expired(ctx: PostContext) -> Iterator[Finding]:
    when = max(ctx.today, ctx.publish_date or ctx.today)
    mentioned: set[str] = set()
    for match in ctx.approved_matches:
        claim = match.payload
        mentioned.add(claim.id)
        if claim.expires is not None and claim.expires < when:
            yield ctx.finding(
                "claims.expired", match.start, match.end,
                f"approved claim {claim.id} expired on {claim.expires}",
                match=match.text,
                suggestion="ask marketing to re-approve it with a current source, or remove it")
    approved = ctx.linter.workspace.approved_claims
    for claim_id in ctx.post.meta.claims:
        claim = approved.get(claim_id)
        if claim and claim_id not in mentioned and claim.expires and claim.expires < when:
            yield ctx.finding("claims.expired", 0, 1,
                              f"the post uses approved claim {claim_id}, which expired on "
                              f"{claim.expires}", suggestion="re-approve or remove the claim")
