"""Checks that span files: ids that must exist elsewhere, roles someone must hold."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bloomberry_cli.errors import Problem
from bloomberry_cli.models import Program
from bloomberry_cli.validation import did_you_mean
from bloomberry_cli.workspace import CONFIG_FILE, Workspace
from bloomberry_cli.yamlfile import KeyPath


class _Collector:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.problems: list[Problem] = []

    def add(self, path: str, key_path: KeyPath, message: str, hint: str | None) -> None:
        doc = self.workspace.documents.get(path)
        line, column = (doc.position(key_path) if doc else None) or (None, None)
        self.problems.append(
            Problem(path, message, line=line, column=column, key_path=key_path, hint=hint)
        )

    def unknown(
        self, path: str, key_path: KeyPath, what: str, value: str, known: Iterable[str]
    ) -> None:
        known = list(known)
        hint = did_you_mean(value, known) if known else f"there are no {what}s yet"
        self.add(path, key_path, f"unknown {what} '{value}'", hint)


def check_references(workspace: Workspace) -> list[Problem]:
    """Problems across files. A file that failed to load is left out of the ids it would
    define, so one broken file yields its own error rather than a cascade of unknown ids."""
    found = _Collector(workspace)
    _check_claims(workspace, found)
    _check_briefs(workspace, found)
    _check_calendar(workspace, found)
    _check_policy(workspace, found)
    return found.problems


def _incomplete(workspace: Workspace, prefix: str) -> bool:
    return any(path.startswith(prefix) for path in workspace.failed)


def _duplicates(ids: list[str]) -> list[tuple[int, str]]:
    seen: set[str] = set()
    repeated = []
    for index, item in enumerate(ids):
        if item in seen:
            repeated.append((index, item))
        seen.add(item)
    return repeated


def _check_claims(workspace: Workspace, found: _Collector) -> None:
    approved = [claim.id for claim in workspace.claims.approved]
    for index, claim_id in _duplicates(approved):
        found.add(
            "claims.yaml",
            ("approved", index, "id"),
            f"claim id '{claim_id}' is used twice",
            "give each claim its own id",
        )
    blocked_ids = [claim.id for claim in workspace.claims.blocked]
    for index, claim_id in enumerate(blocked_ids):
        if claim_id in approved or claim_id in blocked_ids[:index]:
            found.add(
                "claims.yaml",
                ("blocked", index, "id"),
                f"claim id '{claim_id}' is used twice",
                "give each claim its own id",
            )


def _check_briefs(workspace: Workspace, found: _Collector) -> None:
    voices = workspace.voices
    approved = workspace.approved_claims
    roles = {v.role for v in voices.values()}
    teams = {v.team for v in voices.values() if v.team}
    tags = {t for v in voices.values() for t in v.tags}
    pillars = {p.strip().lower() for v in voices.values() for p in v.pillars}
    campaigns = [c.id for c in workspace.calendar.campaigns]
    voices_incomplete = _incomplete(workspace, "voices/")
    for brief_id, brief in workspace.briefs.items():
        path = workspace.brief_paths[brief_id]
        if (
            brief.campaign
            and brief.campaign not in campaigns
            and not _incomplete(workspace, "calendar.yaml")
        ):
            found.unknown(path, ("campaign",), "campaign", brief.campaign, campaigns)
        if workspace.config.channel(brief.channel) is None:
            found.unknown(
                path, ("channel",), "channel", brief.channel, workspace.config.channel_names()
            )
        sections = (("advocacy", brief.advocacy), ("thought-leadership", brief.thought_leadership))
        for section, body in sections:
            for index, claim_id in enumerate(body.claims if body else []):
                if claim_id not in approved and not _incomplete(workspace, "claims.yaml"):
                    if claim_id in workspace.blocked_claims:
                        found.add(
                            path,
                            (section, "claims", index),
                            f"'{claim_id}' is a blocked claim, not an approved one",
                            None,
                        )
                    else:
                        found.unknown(
                            path, (section, "claims", index), "approved claim", claim_id, approved
                        )
        for index, selector in enumerate(brief.participants):
            if voices_incomplete:
                continue
            if selector.id is not None and selector.id not in voices:
                found.unknown(
                    path, ("participants", index, "id"), "participant", selector.id, voices
                )
            for key, known in (
                ("role", roles),
                ("team", teams),
                ("tag", tags),
                ("pillar", pillars),
            ):
                value = getattr(selector, key)
                folded = value.strip().lower() if key == "pillar" and value else value
                if value is not None and folded not in known:
                    found.add(
                        path,
                        ("participants", index, key),
                        f"no participant has {key} '{value}'",
                        did_you_mean(value, known),
                    )


def _check_calendar(workspace: Workspace, found: _Collector) -> None:
    campaigns = workspace.calendar.campaigns
    for index, campaign_id in _duplicates([c.id for c in campaigns]):
        found.add(
            "calendar.yaml",
            ("campaigns", index, "id"),
            f"campaign id '{campaign_id}' is used twice",
            "give each campaign its own id",
        )
    for index, campaign in enumerate(campaigns):
        for position, brief_id in enumerate(campaign.briefs):
            brief = workspace.briefs.get(brief_id)
            if brief is None:
                if not _incomplete(workspace, "briefs/"):
                    found.unknown(
                        "calendar.yaml",
                        ("campaigns", index, "briefs", position),
                        "brief",
                        brief_id,
                        workspace.briefs,
                    )
            elif brief.campaign != campaign.id and (
                brief.campaign is None or workspace.campaign(brief.campaign)
            ):
                # an unknown campaign in the brief is already reported there
                # Both files must agree, or the brief is drafted and reviewed outside the
                # campaign its owner thinks it is in (a broken brief file loses its campaign).
                names = (
                    f"names campaign '{brief.campaign}'" if brief.campaign else "names no campaign"
                )
                found.add(
                    "calendar.yaml",
                    ("campaigns", index, "briefs", position),
                    f"campaign '{campaign.id}' lists brief '{brief_id}', but "
                    f"{workspace.brief_paths[brief_id]} {names}",
                    f"add 'campaign: {campaign.id}' to the brief, or remove it from this list",
                )


def _check_policy(workspace: Workspace, found: _Collector) -> None:
    config = workspace.config
    emails = [r.email for r in config.reviewers]
    for index, email in _duplicates(emails):
        found.add(
            CONFIG_FILE,
            ("reviewers", index, "email"),
            f"reviewer '{email}' is listed twice",
            "merge the two entries",
        )
    held = {role for reviewer in config.reviewers for role in reviewer.roles} | {"author"}

    def check_stages(path: str, base: KeyPath, stages: Mapping[Program, list[str]]) -> None:
        for program, names in stages.items():
            for index, stage in enumerate(names):
                if stage not in held:
                    found.add(
                        path,
                        (*base, program, index),
                        f"no reviewer holds the role '{stage}'",
                        did_you_mean(stage, held),
                    )

    check_stages(CONFIG_FILE, ("approvals", "stages"), config.approvals.stages)
    for voice_id, voice in workspace.voices.items():
        check_stages(workspace.voice_paths[voice_id], ("approvals",), voice.approvals)


def check_posts(workspace: Workspace) -> list[Problem]:
    """Every post readable, naming a participant, brief and channel that exist."""
    from bloomberry_cli.posts import load_posts

    posts, problems = load_posts(workspace.root)
    for post in posts:
        rel, meta = post.path, post.meta
        for key, value, known in (
            ("participant", meta.participant, list(workspace.voices)),
            ("brief", meta.brief, list(workspace.briefs)),
            ("channel", meta.channel, workspace.config.channel_names()),
        ):
            if value not in known:
                problems.append(
                    Problem(
                        rel,
                        f"unknown {key} '{value}'",
                        line=post.key_line(key),
                        column=len(key) + 3,
                        key_path=(key,),
                        hint=did_you_mean(value, known),
                    )
                )
    return problems
