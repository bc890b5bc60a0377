"""Who may decide what: roles, keys and stages from bloomberry.yaml and the voice files."""

from __future__ import annotations

from dataclasses import dataclass, field

from bloomberry_cli.approvals.sshsig import key_blob
from bloomberry_cli.models import Config, Program, Voice

AUTHOR = "author"
ADMIN = "admin"
#: The extra stage a thought-leadership post needs inside an advocacy campaign on its topics.
CAMPAIGN_OWNER = "campaign-owner"


@dataclass
class Person:
    email: str
    name: str
    roles: set[str] = field(default_factory=set)
    keys: list[str] = field(default_factory=list)
    participant: str | None = None  # their voice id, if they have one


@dataclass
class Policy:
    config: Config
    voices: dict[str, Voice]
    people: dict[str, Person] = field(default_factory=dict)
    #: key blob (ssh) or fingerprint (openpgp, upper-case) → email
    key_owner: dict[bytes | str, str] = field(default_factory=dict)
    #: Owners of advocacy campaigns in the calendar.
    campaign_owners: set[str] = field(default_factory=set)

    @classmethod
    def build(cls, config: Config, voices: dict[str, Voice]) -> Policy:
        policy = cls(config, voices)
        for reviewer in config.reviewers:
            person = policy.people.setdefault(reviewer.email, Person(reviewer.email,
                                                                     reviewer.name))
            person.roles |= set(reviewer.roles)
            person.keys += reviewer.keys
        for voice_id, voice in voices.items():
            if voice.email is None:
                continue
            person = policy.people.setdefault(voice.email, Person(voice.email, voice.name))
            person.participant = voice_id
            person.keys += voice.keys
        for email, person in policy.people.items():
            for key in person.keys:
                blob = key_blob(key)
                policy.key_owner[blob if blob is not None else key.replace(" ", "").upper()] \
                    = email
        return policy

    def stages(self, participant: str, program: Program, *, campaign_owner: str | None = None
               ) -> list[str]:
        voice = self.voices.get(participant)
        if voice is not None and program in voice.approvals:
            stages = list(voice.approvals[program])
        else:
            stages = list(self.config.approvals.stages.get(program, ["marketing", AUTHOR]))
        if campaign_owner is not None:
            at = stages.index(AUTHOR) if AUTHOR in stages else len(stages)
            stages.insert(at, CAMPAIGN_OWNER)
        return stages

    def author_email(self, participant: str) -> str | None:
        voice = self.voices.get(participant)
        return voice.email if voice else None

    def may_decide(self, email: str, stage: str, participant: str,
                   campaign_owner: str | None = None) -> bool:
        if stage == AUTHOR:
            return self.author_email(participant) == email
        if stage == CAMPAIGN_OWNER:
            if campaign_owner is not None:
                return email == campaign_owner
            return email in self.campaign_owners
        person = self.people.get(email)
        return person is not None and stage in person.roles

    def is_admin(self, email: str) -> bool:
        person = self.people.get(email)
        return person is not None and ADMIN in person.roles
