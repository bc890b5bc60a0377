"""Everything the rules need about one post, computed once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, cast

from bloomberry_cli.governance.findings import SEVERITY_RANK, Finding, Severity
from bloomberry_cli.governance.matcher import Match
from bloomberry_cli.governance.normalize import Folded, fold_plain
from bloomberry_cli.governance.prose import Prose
from bloomberry_cli.models import ApprovedClaim, BlockedClaim, Brief, Voice
from bloomberry_cli.posts import Post, Publication

if TYPE_CHECKING:
    from bloomberry_cli.governance.disguises import Disguised
    from bloomberry_cli.governance.lint import Linter
    from bloomberry_cli.governance.spellings import Spelled


@dataclass
class PostContext:
    post: Post
    prose: Prose
    voice: Voice
    brief: Brief | None
    linter: Linter
    today: dt.date

    @property
    def publication(self) -> Publication:
        return self.prose.publication

    @cached_property
    def plain(self) -> Folded:
        """The folded text for phrase matching. With control comments, the *published* text is
        folded (a comment inside a word joins it for readers: "unhack<!-- bb-disable … -->able"),
        its offsets mapped back to the body's."""
        publication = self.publication
        if not publication.controls:
            return fold_plain(self.prose.text)
        folded = fold_plain(publication.text)
        offsets = [publication.body_offset(offset) for offset in folded.offsets]
        return Folded(folded.text, self.prose.text, offsets)

    @cached_property
    def _spelled_matches(self) -> list[Match[Spelled]]:
        return list(self.linter.blocked_phrases.find(self.plain))

    @cached_property
    def blocked_matches(self) -> list[Match[BlockedClaim]]:
        """Blocked phrases and patterns written plainly (claims.blocked)."""
        plain = [
            Match(m.start, m.end, m.payload[0], m.text)
            for m in self._spelled_matches
            if not m.payload[1]
        ]
        return [*plain, *self.linter.blocked_patterns.find(self.plain)]

    @property
    def respelled_matches(self) -> list[Match[Spelled]]:
        """Blocked phrases in plain text with words run together or a word split apart
        (claims.obfuscated; see governance.spellings)."""
        return [m for m in self._spelled_matches if m.payload[1]]

    @cached_property
    def disguised(self) -> Disguised:
        """Blocked claims in disguise; claims.obfuscated and text.bidi both need them."""
        from bloomberry_cli.governance.disguises import find_disguised

        return find_disguised(self)

    @cached_property
    def approved_matches(self) -> list[Match[ApprovedClaim]]:
        """Approved claim wordings in the post; two rules need them."""
        return list(self.linter.approved_wordings.find(self.plain))

    @property
    def publish_date(self) -> dt.date | None:
        return self.post.meta.scheduled or (self.brief.scheduled if self.brief else None)

    def finding(
        self,
        rule: str,
        start: int,
        end: int,
        message: str,
        *,
        match: str | None = None,
        suggestion: str | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        """A finding at body offsets ``[start, end)``, at the rule's configured severity; an
        explicit ``severity`` (a rule's milder case) never rises above it."""
        line, column = self.prose.position(start)
        end_line, end_column = self.prose.position(max(end, start + 1))
        level = cast(Severity, self.linter.levels[rule])  # a rule that is off is not run
        if severity is not None and SEVERITY_RANK[severity] < SEVERITY_RANK[level]:
            level = severity
        return Finding(
            self.post.path,
            line,
            column,
            end_line,
            end_column,
            rule,
            level,
            message,
            match,
            suggestion,
        )
