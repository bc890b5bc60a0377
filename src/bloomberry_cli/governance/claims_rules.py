"""The claim rules: blocked, unsubstantiated and expired claims (disguises: disguises.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import ahocorasick

from bloomberry_cli.governance.context import PostContext
from bloomberry_cli.governance.findings import Finding


def _one_line(text: str) -> str:
    return " ".join(text.split())


def blocked(ctx: PostContext) -> Iterator[Finding]:
    for match in ctx.blocked_matches:
        claim = match.payload
        yield ctx.finding(
            "claims.blocked",
            match.start,
            match.end,
            f"'{_one_line(match.text)}' is a blocked claim ({claim.id}): {claim.reason}",
            match=match.text,
            suggestion=claim.suggestion,
        )


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
# Every match of the two patterns contains one of these once the text is folded (lower case,
# one space for any run of spaces and dashes). One Aho-Corasick pass over the folded text, in
# C, rules out most posts before either pattern runs; it is faster than a `\d` search alone.
_STATISTIC_WORDS = ("number one", *"0123456789")
_SUPERLATIVE_WORDS = (
    "fastest",
    "largest",
    "biggest",
    "strongest",
    "safest",
    "cheapest",
    "smartest",
    "most ",
    "best",
    "leading",
    "leader in",
    "world class",
    "the only",
    " than",
)
_TRIGGERS = ahocorasick.Automaton()
for _word in _STATISTIC_WORDS:
    _TRIGGERS.add_word(_word, "statistic")
for _word in _SUPERLATIVE_WORDS:
    _TRIGGERS.add_word(_word, "superlative")
_TRIGGERS.make_automaton()
_PATTERNS = {"statistic": _STATISTIC, "superlative": _SUPERLATIVE}


def _kinds(ctx: PostContext) -> list[str]:
    """Which of the two patterns can match in this post."""
    kinds = set()
    for _, kind in _TRIGGERS.iter(ctx.plain.text):
        kinds.add(kind)
        if len(kinds) == 2:
            break
    text = ctx.prose.text
    if "statistic" not in kinds and not text.isascii() and _DIGIT.search(text):
        kinds.add("statistic")  # digits of other scripts (fullwidth, Arabic-Indic, …)
    return sorted(kinds)


def unsubstantiated(ctx: PostContext) -> Iterator[Finding]:
    kinds = _kinds(ctx)
    if not kinds:
        return
    text = ctx.prose.text
    covered: list[tuple[int, int]] | None = None
    for kind in kinds:
        for found in _PATTERNS[kind].finditer(text):
            start, end = found.span()
            if covered is None:  # the approved claims' scan, only for a post that needs it
                covered = [(m.start, m.end) for m in ctx.approved_matches]
            if any(s <= start and end <= e for s, e in covered):
                continue
            yield ctx.finding(
                "claims.unsubstantiated",
                start,
                end,
                f"'{found.group()}' is a {kind} that no approved claim covers",
                match=found.group(),
                suggestion="use an approved claim's wording from claims.yaml, or ask marketing "
                "to approve this one with a source",
            )


def expired(ctx: PostContext) -> Iterator[Finding]:
    when = max(ctx.today, ctx.publish_date or ctx.today)
    mentioned: set[str] = set()
    # Only claims that carry an expiry can expire: a scan for those alone, often for none.
    for match in ctx.linter.expiring_wordings.find(ctx.plain):
        claim = match.payload
        mentioned.add(claim.id)
        if claim.expires is not None and claim.expires < when:
            yield ctx.finding(
                "claims.expired",
                match.start,
                match.end,
                f"approved claim {claim.id} expired on {claim.expires}",
                match=match.text,
                suggestion="ask marketing to re-approve it with a current source, or remove it",
            )
    approved = ctx.linter.workspace.approved_claims
    for claim_id in ctx.post.meta.claims:
        used = approved.get(claim_id)
        if used and claim_id not in mentioned and used.expires and used.expires < when:
            yield ctx.finding(
                "claims.expired",
                0,
                1,
                f"the post uses approved claim {claim_id}, which expired on {used.expires}",
                suggestion="re-approve or remove the claim",
            )
