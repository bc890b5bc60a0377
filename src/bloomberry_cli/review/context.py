"""Everything on one review screen, gathered without printing anything."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field

from bloomberry_cli.approvals.state import PostStatus
from bloomberry_cli.campaigns import advocacy_conflicts
from bloomberry_cli.gitrepo import git, read_objects, repo_root
from bloomberry_cli.governance.findings import Finding
from bloomberry_cli.governance.lint import Linter
from bloomberry_cli.governance.normalize import Folded
from bloomberry_cli.models import Campaign, Channel
from bloomberry_cli.posts import (
    Post,
    PostError,
    body_sha256,
    load_post,
    parse_post,
    published_text,
)
from bloomberry_cli.workspace import Workspace


@dataclass
class ReviewContext:
    post: Post
    status: PostStatus
    stage: str
    title: str
    campaign: Campaign | None
    channel_name: str
    channel: Channel | None
    findings: list[Finding]
    claims: list[str]
    other_campaigns: list[Campaign] = field(default_factory=list)
    diff: list[str] = field(default_factory=list)
    voice_score: int | None = None
    voice_judged: bool = True  # enough of the person's own words (lint.voice_min_words)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def length(self) -> int:
        """Characters the post publishes (control comments are not published)."""
        return len(published_text(self.post))


def generated_body(workspace: Workspace, post: Post) -> str | None:
    """The body as the drafting engine wrote it: the version in history whose hash is the
    recorded ``generated_sha256``."""
    wanted = post.meta.generated_sha256
    if not wanted or repo_root(workspace.root) is None:
        return None
    commits = git(workspace.root, "log", "--format=%H", "--", post.path, check=False)
    specs = [f"{c}:./{post.path}" for c in commits.stdout.split()]
    for raw in read_objects(workspace.root, specs):
        if raw is None:
            continue
        try:
            old = parse_post(raw.decode("utf-8"), post.path)
        except (PostError, UnicodeDecodeError):
            continue
        if body_sha256(old.body) == wanted:
            return old.body
    return None


def gather(
    workspace: Workspace,
    status: PostStatus,
    stage: str,
    linter: Linter,
    today: dt.date | None = None,
) -> ReviewContext:
    post = load_post(workspace.root, status.path)
    brief = workspace.briefs.get(post.meta.brief)
    campaign = workspace.campaign(brief.campaign) if brief else None
    findings = linter.check(post).findings
    approved = workspace.approved_claims
    used = [approved[c].text for c in post.meta.claims if c in approved]
    for match in linter.approved_wordings.find(_fold(post)):
        if match.payload.text not in used:
            used.append(match.payload.text)
    day = post.meta.scheduled or (brief.scheduled if brief else None) or today or dt.date.today()
    others = [
        c.campaign
        for c in advocacy_conflicts(workspace.calendar, day, brief.topics if brief else [], brief)
    ]
    context = ReviewContext(
        post,
        status,
        stage,
        brief.title if brief else post.meta.brief,
        campaign,
        post.meta.channel,
        workspace.config.channel(post.meta.channel),
        findings,
        used,
        others,
    )
    from bloomberry_cli.voice.fidelity import fit_post

    fit = fit_post(workspace, post)
    context.voice_score = fit.score.score if fit else None
    context.voice_judged = fit.judged if fit else True
    if post.edited:
        original = generated_body(workspace, post)
        if original is not None:
            context.diff = [
                line.rstrip("\n")
                for line in difflib.unified_diff(
                    original.strip().splitlines(),
                    post.body.strip().splitlines(),
                    "generated",
                    "now",
                    lineterm="",
                    n=0,
                )
                if not line.startswith(("---", "+++"))
            ]
    return context


def _fold(post: Post) -> Folded:
    from bloomberry_cli.governance.normalize import fold_plain
    from bloomberry_cli.governance.prose import prepare

    return fold_plain(prepare(post).text)
