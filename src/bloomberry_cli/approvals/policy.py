"""Who may decide what, read from a policy projection (see ``projection``): roles, keys and
stages, per-participant overrides, and who owns which campaign."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bloomberry_cli.approvals.openpgp import fingerprints, is_armored
from bloomberry_cli.approvals.projection import Projection, project
from bloomberry_cli.approvals.sshsig import key_blob
from bloomberry_cli.campaigns import active_on_topics
from bloomberry_cli.models import Program
from bloomberry_cli.workspace import Workspace

AUTHOR = "author"
ADMIN = "admin"
MARKETING = "marketing"
#: The extra stage a thought-leadership post needs inside an advocacy campaign on its topics.
CAMPAIGN_OWNER = "campaign-owner"
_DEFAULT_STAGES = ["marketing", AUTHOR]


@dataclass
class Person:
    email: str
    roles: set[str] = field(default_factory=set)
    keys: list[str] = field(default_factory=list)
    participant: str | None = None  # their voice id, if they have one


@dataclass(frozen=True)
class CampaignWindow:
    id: str
    owner: str | None
    program: str
    start: dt.date
    end: dt.date
    topics: frozenset[str]
    briefs: frozenset[str]


@dataclass
class Policy:
    projection: Projection
    people: dict[str, Person] = field(default_factory=dict)
    #: key blob (ssh) or fingerprint (openpgp, upper-case) → email
    key_owner: dict[bytes | str, str] = field(default_factory=dict)
    campaigns: list[CampaignWindow] = field(default_factory=list)
    #: key blob → the key as the projection writes it (for grants)
    key_lines: dict[bytes | str, str] = field(default_factory=dict)
    #: Armored OpenPGP public keys: the only keys an OpenPGP signature is checked against.
    armored: list[str] = field(default_factory=list)

    @classmethod
    def from_projection(cls, projection: Projection) -> Policy:
        policy = cls(projection)
        for name, value in projection.items():
            kind, _, ident = name.partition(":")
            if kind == "reviewer":
                person = policy.people.setdefault(ident, Person(ident))
                person.roles |= set(value["roles"])
                person.keys += value["keys"]
            elif kind == "voice" and value["email"]:
                person = policy.people.setdefault(value["email"], Person(value["email"]))
                person.participant = ident
                person.keys += value["keys"]
            elif kind == "campaign":
                policy.campaigns.append(
                    CampaignWindow(
                        ident,
                        value["owner"],
                        value["program"],
                        dt.date.fromisoformat(value["start"]),
                        dt.date.fromisoformat(value["end"]),
                        frozenset(value["topics"]),
                        frozenset(value.get("briefs", [])),
                    )
                )
        for email, person in policy.people.items():
            for key in person.keys:
                blob = key_blob(key)
                names: tuple[bytes | str, ...]
                if blob is not None:
                    names = (blob,)
                elif is_armored(key):
                    names = fingerprints(key)
                    policy.armored.append(key)
                else:
                    names = (key,)
                for owned in names:
                    policy.key_owner[owned] = email
                    policy.key_lines[owned] = key
        return policy

    def key_line(self, key: bytes | str | None) -> str:
        return self.key_lines.get(key, "") if key is not None else ""

    def _voice(self, participant: str) -> dict[str, Any] | None:
        value = self.projection.get(f"voice:{participant}")
        return value if isinstance(value, dict) else None

    def stages(
        self, participant: str, program: Program, *, campaign_owner: str | None = None
    ) -> list[str]:
        voice = self._voice(participant)
        if voice is not None and program in voice["approvals"]:
            stages = list(voice["approvals"][program])
        else:
            approvals = self.projection.get("approvals") or {}
            stages = list((approvals.get("stages") or {}).get(program, _DEFAULT_STAGES))
        if campaign_owner is not None and CAMPAIGN_OWNER not in stages:
            at = stages.index(AUTHOR) if AUTHOR in stages else len(stages)
            stages.insert(at, CAMPAIGN_OWNER)
        return stages

    @property
    def allow_unsigned(self) -> bool:
        return bool((self.projection.get("approvals") or {}).get("allow_unsigned"))

    def author_email(self, participant: str) -> str | None:
        voice = self._voice(participant)
        return voice["email"] if voice else None

    def reviewers(self) -> set[str]:
        return {name.partition(":")[2] for name in self.projection if name.startswith("reviewer:")}

    def may_decide(
        self, email: str, stage: str, participant: str, campaign_owner: str | None = None
    ) -> bool:
        if stage == AUTHOR:
            return self.author_email(participant) == email
        if stage == CAMPAIGN_OWNER:
            return campaign_owner is not None and email == campaign_owner
        person = self.people.get(email)
        return person is not None and stage in person.roles

    def has_role(self, email: str, role: str) -> bool:
        person = self.people.get(email)
        return person is not None and role in person.roles

    def is_admin(self, email: str) -> bool:
        return self.has_role(email, ADMIN)

    def campaign_owner(
        self, program: str, day: dt.date | None, topics: Iterable[str], brief: str | None = None
    ) -> str | None:
        """The owner of an advocacy campaign whose window holds ``day`` and shares a topic: a
        thought-leadership post there needs that owner's approval. The campaign's own briefs
        are exempt."""
        if program != "thought-leadership" or day is None:
            return None
        found = active_on_topics(
            self.campaigns, day, topics, lambda campaign: brief in campaign.briefs
        )
        return (found[0][0].owner or "") if found else None


def workspace_projection(workspace: Workspace) -> dict[str, Any]:
    """The projection of the files as they are in the work tree (not necessarily in force)."""
    return project(workspace.config, workspace.voices, workspace.claims, workspace.calendar)
