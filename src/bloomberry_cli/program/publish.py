"""`bb publish` records that an approved post went out; `bb export` hands approved posts to a
scheduler."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path

from bloomberry_cli.approvals.decide import DecisionResult, decider
from bloomberry_cli.approvals.decision_commit import commit_decision
from bloomberry_cli.approvals.status import post_statuses
from bloomberry_cli.approvals.trailers import DecisionRecord
from bloomberry_cli.errors import BBError, WorkspaceError
from bloomberry_cli.posts import published_text
from bloomberry_cli.workspace import Workspace


class TrailGateError(BBError):
    """A gate refused to act on decisions that do not verify."""

    exit_code = 1


def publish(
    workspace: Workspace, path: Path, url: str, at: dt.datetime | None = None
) -> DecisionResult:
    """A signed ``publish`` decision, refused unless every stage approved this content."""
    if not url.startswith(("http://", "https://")):
        raise BBError(
            f"'{url}' is not a link to the published post",
            hint="pass the post's URL, e.g. --url https://www.linkedin.com/posts/…",
        )
    who = decider(workspace)
    policy, email = who.policy, who.email
    statuses, problems = post_statuses(workspace, [path], trail=who.trail)
    if problems:
        raise WorkspaceError(problems)
    if len(statuses) != 1:
        raise BBError(f"{path} is not one post")
    status = statuses[0]
    result = DecisionResult(status.path, "publish", "publish")
    author = policy.author_email(status.participant)
    if email != author and email not in policy.reviewers():
        result.refused = "only the author or a reviewer may record a publication"
    elif status.state == "unverified":
        first = status.violations[0]
        result.refused = (
            f"its trail does not verify ({first.rule} in {first.commit[:10]}: "
            f"{first.message}); run `bb audit`"
        )
    elif status.state == "published":
        result.refused = "already recorded as published"
    elif status.state != "approved":
        waiting = [s for s, v in status.stages.items() if v != "approved"]
        result.refused = (
            f"not approved (state {status.state}; waiting for {', '.join(waiting)})"
            if waiting
            else f"not approved (state {status.state})"
        )
    if result.refused:
        return result
    when = (at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    result.commit = commit_decision(
        workspace,
        status,
        DecisionRecord(
            "publish",
            "publish",
            who.trail.prefix + status.path,
            status.content_sha256,
            email,
            url=url,
            published_at=when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        ),
    )
    return result


@dataclass
class ExportRow:
    path: str
    participant: str
    name: str
    program: str
    channel: str
    posting_time: dt.datetime | None
    text: str


def export_rows(
    workspace: Workspace, participant: str | None = None, default_time: dt.time = dt.time(9, 0)
) -> list[ExportRow]:
    """Approved posts not yet published, in posting order."""
    statuses, problems = post_statuses(workspace)
    if problems:
        raise WorkspaceError(problems)
    unverified = [
        s
        for s in statuses
        if s.state == "unverified" and (participant is None or s.participant == participant)
    ]
    if unverified:
        listed = "; ".join(
            f"{s.path} ({s.violations[0].rule} in {s.violations[0].commit[:10]})"
            for s in unverified[:5]
        )
        raise TrailGateError(
            f"{len(unverified)} post(s) have decisions that do not verify, "
            f"so nothing is exported: {listed}",
            hint="run `bb audit` to see why; an admin can `bb waive` a "
            "violation that was looked into",
        )
    rows = []
    for status in statuses:
        if status.state != "approved" or (participant and status.participant != participant):
            continue
        post = status.post
        brief = workspace.briefs.get(post.meta.brief)
        day = post.meta.scheduled or (brief.scheduled if brief else None)
        voice = workspace.voices.get(status.participant)
        rows.append(
            ExportRow(
                status.path,
                status.participant,
                voice.name if voice else status.participant,
                status.program,
                post.meta.channel,
                dt.datetime.combine(day, default_time) if day else None,
                published_text(post),
            )
        )
    rows.sort(key=lambda r: (r.posting_time is None, r.posting_time or dt.datetime.max, r.path))
    return rows


def to_csv(rows: list[ExportRow]) -> str:
    """Buffer's bulk-upload columns (Text, Image URL, Tags, Posting Time); Hootsuite and others
    map the same columns in their importers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Text", "Image URL", "Tags", "Posting Time"])
    for row in rows:
        when = row.posting_time.strftime("%Y-%m-%d %H:%M") if row.posting_time else ""
        writer.writerow([row.text, "", f"{row.program},{row.participant}", when])
    return buffer.getvalue()


def to_json(rows: list[ExportRow]) -> str:
    return json.dumps(
        {
            "version": 1,
            "posts": [
                {
                    "path": r.path,
                    "participant": r.participant,
                    "name": r.name,
                    "program": r.program,
                    "channel": r.channel,
                    "posting_time": r.posting_time.isoformat() if r.posting_time else None,
                    "text": r.text,
                }
                for r in rows
            ],
        },
        ensure_ascii=False,
    )
