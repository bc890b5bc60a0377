"""The policy projection: the part of a workspace's files that decides who may approve what.

Only a change to the projection needs an admin's consent (DESIGN.md, Trail model 3). A person's
style, samples or Voice Memory are not in it, so editing them is never a policy change.

A projection is a flat mapping of *fields* (``reviewer:maria@example.com``, ``voice:alice``,
``campaign:soc2-launch``, ``claims.blocked:guaranteed-roi``, ``approvals``, ``lint``) to plain
JSON values. Flat fields make two things simple: a canonical hash (the ``Bb-Policy`` trailer)
and a field-by-field three-way merge.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bloomberry_cli.approvals.openpgp import is_armored, normal_armor
from bloomberry_cli.approvals.sshsig import key_blob
from bloomberry_cli.models import Calendar, Claims, Config, Voice

Projection = Mapping[str, Any]
#: A grant someone can lose: ("key", email, key), ("role", email, role),
#: ("author", email, voice id), ("owner", email, campaign id).
Grant = tuple[str, str, str]

INVALID = "invalid"  # the field that says the policy files did not parse


def normal_key(key: str) -> str:
    """An ssh key without its comment; an armored OpenPGP key without blank lines; a
    fingerprint without spaces, upper-case."""
    if key_blob(key) is not None:
        return " ".join(key.split()[:2])
    if is_armored(key):
        return normal_armor(key)
    return key.replace(" ", "").upper()


def project(
    config: Config | None,
    voices: Mapping[str, Voice],
    claims: Claims | None,
    calendar: Calendar | None,
    problems: Sequence[str] = (),
) -> dict[str, Any]:
    """The projection of one version of the workspace files."""
    fields: dict[str, Any] = {}
    if problems or config is None:
        fields[INVALID] = sorted(problems) or ["bloomberry.yaml is missing"]
        return fields
    fields["approvals"] = config.approvals.model_dump(mode="json")
    fields["lint"] = config.lint.model_dump(mode="json")
    for reviewer in config.reviewers:
        entry = fields.setdefault(f"reviewer:{reviewer.email}", {"roles": [], "keys": []})
        entry["roles"] = sorted({*entry["roles"], *reviewer.roles})
        entry["keys"] = sorted({*entry["keys"], *(normal_key(k) for k in reviewer.keys)})
    for voice_id, voice in voices.items():
        fields[f"voice:{voice_id}"] = {
            "email": voice.email,
            "keys": sorted({normal_key(k) for k in voice.keys}),
            "approvals": {p: list(s) for p, s in sorted(voice.approvals.items())},
        }
    for campaign in calendar.campaigns if calendar else []:
        fields[f"campaign:{campaign.id}"] = {
            "owner": campaign.owner,
            "program": campaign.program,
            "start": campaign.start.isoformat(),
            "end": campaign.end.isoformat(),
            "topics": sorted({t.strip().lower() for t in campaign.topics}),
            "briefs": sorted(campaign.briefs),
        }
    for approved in claims.approved if claims else []:
        fields[f"claims.approved:{approved.id}"] = approved.model_dump(mode="json")
    for blocked in claims.blocked if claims else []:
        fields[f"claims.blocked:{blocked.id}"] = blocked.model_dump(mode="json")
    return fields


def canonical(projection: Projection) -> str:
    return json.dumps(projection, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def projection_hash(projection: Projection) -> str:
    """The value of a ``Bb-Policy`` trailer: what its signer consents to."""
    return hashlib.sha256(canonical(projection).encode()).hexdigest()


def field_file(name: str) -> str:
    """The workspace file a projection field is read from (a voice's as the id names it;
    ``.yml`` is the caller's to check)."""
    kind, _, ident = name.partition(":")
    if kind.startswith("claims."):
        return "claims.yaml"
    if kind == "campaign":
        return "calendar.yaml"
    if kind == "voice":
        return f"voices/{ident}.yaml"
    return "bloomberry.yaml"


def changed_fields(old: Projection, new: Projection) -> list[str]:
    return sorted(k for k in {*old, *new} if old.get(k) != new.get(k))


def claims_only(old: Projection, new: Projection) -> bool:
    """Marketing may change the claims on its own; everything else needs an admin."""
    changed = changed_fields(old, new)
    return bool(changed) and all(k.startswith("claims.") for k in changed)


def grants(projection: Projection) -> set[Grant]:
    found: set[Grant] = set()
    for name, value in projection.items():
        kind, _, ident = name.partition(":")
        if kind == "reviewer":
            found |= {("role", ident, role) for role in value["roles"]}
            found |= {("key", ident, key) for key in value["keys"]}
        elif kind == "voice" and value["email"]:
            found.add(("author", value["email"], ident))
            found |= {("key", value["email"], key) for key in value["keys"]}
        elif kind == "campaign" and value["owner"]:
            found.add(("owner", value["owner"], ident))
    return found


def removed_grants(before: Projection, after: Projection, *, compromised: bool) -> set[Grant]:
    """Grants ``after`` takes away. Replacing a key while keeping another and every role is a
    rotation and removes nothing, unless the change says the old key was compromised."""
    gone = grants(before) - grants(after)
    if compromised:
        return gone
    kept = grants(after)
    result: set[Grant] = set()
    for grant in gone:
        email = grant[1]
        if (
            grant[0] == "key"
            and any(g[0] == "key" and g[1] == email for g in kept)
            and not any(g[1] == email and g[0] != "key" for g in gone)
        ):
            continue  # a rotation
        result.add(grant)
    return result


def three_way(parents: Sequence[Projection], bases: Sequence[Projection]) -> dict[str, Any] | None:
    """The field-by-field merge of the parents over every merge base; None on any conflict."""
    if not bases:
        return None
    merged: dict[str, Any] = {}
    for name in sorted({k for p in [*parents, *bases] for k in p}):
        values = [p.get(name) for p in parents]
        outcome: set[str] = set()
        for base in bases:
            changed = {canonical({"v": v}) for v in values if v != base.get(name)}
            if len(changed) > 1:
                return None
            outcome.add(changed.pop() if changed else canonical({"v": base.get(name)}))
        if len(outcome) != 1:
            return None
        value = json.loads(outcome.pop())["v"]
        if value is not None:
            merged[name] = value
    return merged


def strictest(parents: Sequence[Projection]) -> dict[str, Any]:
    """Grants intersected, requirements united: what a merge that no one consented to gets."""
    result: dict[str, Any] = {}
    for name in sorted({k for p in parents for k in p}):
        values = [p.get(name) for p in parents]
        if all(v == values[0] for v in values):
            if values[0] is not None:
                result[name] = values[0]
            continue
        kind = name.partition(":")[0]
        present = [v for v in values if v is not None]
        if kind == "reviewer" and len(present) == len(values):
            result[name] = {
                "roles": _common(v["roles"] for v in present),
                "keys": _common(v["keys"] for v in present),
            }
        elif kind == "voice" and len(present) == len(values):
            emails = {v["email"] for v in present}
            approvals = {
                p: s
                for p, s in present[0]["approvals"].items()
                if all(v["approvals"].get(p) == s for v in present)
            }
            result[name] = {
                "email": emails.pop() if len(emails) == 1 else None,
                "keys": _common(v["keys"] for v in present),
                "approvals": approvals,
            }
        elif kind == "campaign":
            result[name] = {
                "owner": None,
                "program": "advocacy",
                "start": min(v["start"] for v in present),
                "end": max(v["end"] for v in present),
                "topics": sorted({t for v in present for t in v["topics"]}),
                "briefs": _common(v.get("briefs", []) for v in present),
            }
        elif kind == "claims.blocked":
            first = dict(present[0])
            for key in ("phrases", "patterns"):
                first[key] = sorted({x for v in present for x in v.get(key, [])})
            result[name] = first
        elif name == "approvals":
            stages: dict[str, list[str]] = {}
            for value in present:
                for program, names in value["stages"].items():
                    known = stages.setdefault(program, [])
                    known += [s for s in names if s not in known]
            result[name] = {
                "stages": stages,
                "allow_unsigned": all(v["allow_unsigned"] for v in present),
            }
        elif name == "lint":
            result[name] = _strictest_lint(present)
        # approved claims and anything else that differs: a grant no one agreed on is dropped
    return result


_SEVERITY = ["off", "info", "warning", "error"]


def _strictest_lint(values: Sequence[dict[str, Any]]) -> dict[str, Any]:
    merged = dict(values[0])
    for value in values[1:]:
        for key, item in value.items():
            if key == "rules":
                rules = dict(merged.get("rules") or {})
                for rule, level in (item or {}).items():
                    known = rules.get(rule, level)
                    rules[rule] = max(known, level, key=_SEVERITY.index)
                merged["rules"] = rules
            elif key == "voice_threshold":
                merged[key] = max(merged.get(key, item), item)
            elif key in ("duplicate_threshold", "voice_min_words"):
                merged[key] = min(merged.get(key, item), item)
    return merged


def _common(lists: Iterable[list[str]]) -> list[str]:
    sets = [set(items) for items in lists]
    return sorted(set.intersection(*sets)) if sets else []
