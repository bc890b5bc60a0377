"""The briefing step: before a thought-leadership post is drafted inside an active advocacy
campaign on its topics, its author is told what the company is saying that week (the seed's
most common coordination failure is Monday's announcement, Friday's post questioning it).

The campaigns are the ones the calendar.conflict rule and the campaign-owner stage find
(``post_conflicts``); the briefing goes into the draft's front matter, the LLM prompt and the
review screen, and never into the published text.
"""

from __future__ import annotations

from typing import Any

from bloomberry_cli.campaigns import post_conflicts
from bloomberry_cli.drafting.selection import DraftJob
from bloomberry_cli.models import Brief, Campaign
from bloomberry_cli.models.briefing import BriefedClaim, Briefing
from bloomberry_cli.workspace import Workspace


def campaign_briefs(workspace: Workspace, campaign: Campaign) -> list[Brief]:
    """The campaign's briefs: those it lists, then those naming it, each once."""
    ids = list(
        dict.fromkeys(
            [
                *campaign.briefs,
                *(b for b, brief in workspace.briefs.items() if brief.campaign == campaign.id),
            ]
        )
    )
    return [workspace.briefs[b] for b in ids if b in workspace.briefs]


def briefing_for(workspace: Workspace, job: DraftJob) -> list[Briefing]:
    """The campaigns this draft falls inside, with what each says: empty for advocacy posts,
    for posts with no date, and outside every other campaign's window or topics."""
    brief = workspace.briefs[job.brief_id]
    found = []
    approved = workspace.approved_claims
    for conflict in post_conflicts(workspace.calendar, brief, job.program, brief.scheduled):
        campaign = conflict.campaign
        messages: list[str] = []
        claims: list[str] = []
        for other in campaign_briefs(workspace, campaign):
            if other.advocacy is None:
                continue
            wording = other.advocacy.variants[0]  # the wording marketing wrote first
            if wording not in messages:
                messages.append(wording)
            claims += [c for c in other.advocacy.claims if c in approved and c not in claims]
        found.append(
            Briefing(
                campaign=campaign.id,
                start=campaign.start,
                end=campaign.end,
                owner=campaign.owner,
                topics=list(conflict.topics),
                messages=messages,
                claims=[BriefedClaim(id=c, text=approved[c].text) for c in claims],
            )
        )
    return found


def briefing_meta(briefings: list[Briefing]) -> list[dict[str, Any]] | None:
    """The front matter value (None: no key at all)."""
    return [b.model_dump(exclude_none=True) for b in briefings] or None
