"""Helpers for the end-to-end trail attacks and gates: hand-made commits with real git."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

from support.team import Team, two_clones

__all__ = ["two_clones"]  # shared with test_approvals: it lives with the team helpers
from conftest import BB, git

POLICY = "bloomberry.yaml"
# The team of support/team.py: Maria (admin, marketing), Jordan (marketing), Alice (author).
MARIA, JORDAN, ALICE = "maria@example.com", "jordan@example.com", "alice@example.com"
MALLORY = "mallory@example.com"  # has push access, and no role
URL = "https://example.com/p/1"


def audit(bb: BB, root: Path, *args: str) -> tuple[int, dict[str, Any]]:
    """`bb audit --format json`: its exit code and its document."""
    result = bb("audit", "--format", "json", *args, cwd=root)
    return result.code, json.loads(result.out)


def rules(document: dict[str, Any], *, counting: bool = False) -> list[str]:
    return [
        v["rule"]
        for v in document["violations"]
        if not counting or (v.get("severity", "error") == "error" and not v.get("waived"))
    ]


def rules_at(document: dict[str, Any], commit: str) -> list[str]:
    return [v["rule"] for v in document["violations"] if v["commit"] == commit]


def status(bb: BB, root: Path, rel: str) -> dict[str, Any]:
    result = bb("status", "--format", "json", cwd=root)
    assert result.code in (0, 1), result.err
    return next(p for p in json.loads(result.out)["posts"] if p["path"] == rel)


def policy_in_force(bb: BB, root: Path) -> dict[str, Any]:
    result = bb("policy", "show", "--format", "json", cwd=root)
    assert result.code == 0, result.err
    return json.loads(result.out)


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def commit_all(root: Path, message: str, *, sign: bool = False) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-S" if sign else "--no-gpg-sign", "-m", message)
    return head(root)


def merge(
    root: Path,
    branch: str,
    *,
    message: str = "Merge",
    sign: bool = False,
    extra: tuple[str, ...] = (),
) -> str:
    """`git merge --no-ff`, the way a web UI merges a pull request."""
    git(
        root,
        "merge",
        "-q",
        "--no-ff",
        "-S" if sign else "--no-gpg-sign",
        *extra,
        "-m",
        message,
        branch,
    )
    return head(root)


def reviewer_block(team: Team, email: str, roles: str, name: str = "M") -> str:
    return (
        f"  - email: {email}\n    name: {name}\n    roles: [{roles}]\n"
        f'    keys: ["{team.public(email)}"]\n'
    )


def add_reviewer(team: Team, email: str, roles: str, root: Path | None = None) -> None:
    config = (root or team.root) / POLICY
    config.write_text(
        config.read_text().replace(
            "reviewers:\n", "reviewers:\n" + reviewer_block(team, email, roles), 1
        )
    )


def set_keys(root: Path, email: str, keys: str) -> None:
    """Replace ``email``'s keys list in bloomberry.yaml with ``keys`` (YAML flow list text)."""
    _set_reviewer_list(root, email, "keys", keys)


def set_roles(root: Path, email: str, roles: str) -> None:
    """Replace ``email``'s roles in bloomberry.yaml with ``roles`` ("marketing, admin")."""
    _set_reviewer_list(root, email, "roles", f"[{roles}]")


def _set_reviewer_list(root: Path, email: str, field: str, value: str) -> None:
    # A reviewer block is email, roles, keys (support/team.py writes them in that order).
    between = {"roles": 1, "keys": 2}[field]
    config = root / POLICY
    text, count = re.subn(
        rf"(email: {re.escape(email)}\n(?:.*\n){{{between}}}    {field}: )\[[^\]]*\]",
        lambda m: m.group(1) + value,
        config.read_text(),
    )
    assert count == 1
    config.write_text(text)


def set_stages(root: Path, program: str, stages: str) -> None:
    config = root / POLICY
    text, count = re.subn(
        rf"(    {re.escape(program)}: )\[[^\]]*\]", rf"\g<1>[{stages}]", config.read_text()
    )
    assert count == 1
    config.write_text(text)


def new_key(base: Path, name: str) -> Path:
    path = base / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(path)], check=True
    )
    return path


def public_line(key: Path) -> str:
    return " ".join(key.with_suffix(".pub").read_text().split()[:2])


def approved_by_both(bb: BB, team: Team, rel: str, root: Path | None = None) -> None:
    """Marketing (Jordan), then the author (Alice), approve ``rel``."""
    root = root or team.root
    for email in (JORDAN, ALICE):
        team.act_as(email, root)
        result = bb("approve", rel, cwd=root)
        assert result.code == 0, result.err
