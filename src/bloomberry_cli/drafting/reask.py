"""Lint-and-reask: what in a reply is worth asking once more about, and which answer is better.

A reply is re-asked when it carries a blocked claim, is over the channel's limit, or reads
like a copy of a sibling draft of the same brief (the ``duplicate.resharing`` measure, against
drafts already on disk and those made earlier in this run).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from bloomberry_cli.drafting.selection import DraftJob
from bloomberry_cli.governance.findings import Finding
from bloomberry_cli.governance.resharing import Shingles, shingles, similarity
from bloomberry_cli.posts import PostError, find_posts, load_post
from bloomberry_cli.workspace import Workspace

#: Lint findings on a would-be post, from the caller (it knows how posts are written).
Check = Callable[[DraftJob, str], list[Finding]]

_REASK_RULES = {"claims.blocked", "claims.obfuscated"}


@dataclass(frozen=True)
class Judgement:
    problems: list[str]
    #: Lower is better: (blocking problems, all problems, characters over the limit).
    score: tuple[int, int, int]


@dataclass
class _Sibling:
    path: str
    participant: str
    shingles: Shingles
    opener: str


def opener(text: str) -> str:
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first[:80]


@dataclass
class Siblings:
    """The advocacy drafts of each brief, on disk and made so far; safe across threads."""

    workspace: Workspace
    _by_brief: dict[str, list[_Sibling]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _load(self, brief: str) -> list[_Sibling]:
        if brief not in self._by_brief:
            found = []
            root = self.workspace.root
            for rel in find_posts(root, [root / "posts" / brief]):
                if not rel.endswith("--advocacy.md"):
                    continue
                try:
                    post = load_post(root, rel)
                except PostError:
                    continue
                found.append(
                    _Sibling(rel, post.meta.participant, shingles(post.body), opener(post.body))
                )
            self._by_brief[brief] = found
        return self._by_brief[brief]

    def others(self, job: DraftJob) -> list[_Sibling]:
        with self._lock:
            return [s for s in self._load(job.brief_id) if s.path != job.path]

    def add(self, job: DraftJob, text: str) -> None:
        if job.program != "advocacy":
            return
        with self._lock:
            group = self._load(job.brief_id)
            group[:] = [s for s in group if s.path != job.path]
            group.append(_Sibling(job.path, job.participant, shingles(text), opener(text)))

    def openers(self, job: DraftJob, limit: int = 5) -> list[str]:
        if job.program != "advocacy":
            return []
        return [s.opener for s in self.others(job) if s.opener][-limit:]


def judge(
    job: DraftJob,
    text: str,
    findings: list[Finding],
    siblings: Siblings,
    threshold: float,
    limit: int | None,
) -> Judgement:
    problems: list[str] = []
    blocking = 0
    for finding in findings:
        if finding.rule in _REASK_RULES or (
            finding.rule == "channel.length" and finding.severity == "error"
        ):
            blocking += 1
            fix = f" ({finding.suggestion})" if finding.suggestion else ""
            problems.append(f"{finding.message}{fix}")
    if job.program == "advocacy":
        mine = shingles(text)
        for sibling in siblings.others(job):
            score = similarity(mine, sibling.shingles)
            if score >= threshold:
                problems.append(
                    f"it is {score:.0%} the same as {sibling.participant}'s post; "
                    "write it in this person's own words and angle"
                )
                break
    over = max(0, len(text) - limit) if limit else 0
    return Judgement(problems, (blocking, len(problems), over))
