"""A small team with real throwaway ssh keys, in a real repository."""

from __future__ import annotations

import hashlib
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bloomberry_cli.approvals.trailers import DecisionRecord, format_message
from conftest import copy_example, git

PEOPLE = {  # email → (name, where their key goes)
    "maria@example.com": "Maria Lopez",
    "jordan@example.com": "Jordan Blake",
    "alice@example.com": "Alice Chen",
    "marcus@example.com": "Marcus Webb",
    "mallory@example.com": "Mallory Stranger",
}


@dataclass
class Team:
    root: Path
    keys: dict[str, Path]

    def act_as(self, email: str, repo: Path | None = None) -> None:
        repo = repo or self.root
        git(repo, "config", "user.email", email)
        git(repo, "config", "user.name", PEOPLE[email])
        git(repo, "config", "gpg.format", "ssh")
        git(repo, "config", "user.signingkey", str(self.keys[email]))

    def public(self, email: str) -> str:
        return " ".join(self.keys[email].with_suffix(".pub").read_text().split()[:2])

    def commit_decision(
        self,
        signer: str,
        path: str,
        decision: str,
        stage: str,
        *,
        reviewer: str | None = None,
        sign: bool = True,
        sha: str | None = None,
        also: tuple[str, ...] | list[str] = (),
    ) -> str:
        """A decision commit made by hand, the way someone bypassing bb would."""
        self.act_as(signer)
        content = (self.root / path).read_bytes()
        record = DecisionRecord(
            decision,
            stage,
            path,  # type: ignore[arg-type]
            sha or hashlib.sha256(content).hexdigest(),
            reviewer or signer,
            url="https://example.com/p/1" if decision == "publish" else None,
            published_at="2026-12-02T09:00:00Z" if decision == "publish" else None,
            parent=git(self.root, "rev-parse", "HEAD").strip(),
        )
        git(self.root, "add", "--", path, *also)
        subprocess.run(
            [
                "git",
                "commit",
                "-q",
                "-S" if sign else "--no-gpg-sign",
                "-F",
                "-",
                "--allow-empty",
                "--",
                path,
                *also,
            ],
            cwd=self.root,
            check=True,
            input=format_message(record),
            text=True,
            capture_output=True,
        )
        return git(self.root, "rev-parse", "HEAD").strip()


def make_team(base: Path) -> Team:
    keys = {}
    keydir = base / "keys"
    keydir.mkdir()
    for email in PEOPLE:
        path = keydir / email.split("@")[0]
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", email, "-f", str(path)],
            check=True,
        )
        keys[email] = path
    root = copy_example(base / "ws")
    team = Team(root, keys)
    config = (root / "bloomberry.yaml").read_text()
    for email in ("maria@example.com", "jordan@example.com"):
        config = re.sub(
            rf"(email: {re.escape(email)}\n(?:.*\n){{2}}    keys: \[)\"[^\"]*\"",
            rf'\g<1>"{team.public(email)}"',
            config,
        )
    (root / "bloomberry.yaml").write_text(config)
    for voice in ("alice", "marcus"):
        path = root / "voices" / f"{voice}.yaml"
        text = re.sub(
            r'keys: \["[^"]*"\]',
            f'keys: ["{team.public(voice + "@example.com")}"]',
            path.read_text(),
        )
        path.write_text(text)
    git(root, "init", "-q")
    team.act_as("maria@example.com")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-S", "-m", "Program workspace")
    git(root, "config", "bb.trustRoot", git(root, "rev-parse", "HEAD").strip())
    return team


def write_post(
    team: Team,
    participant: str = "alice",
    program: str = "thought-leadership",
    body: str = "What the audit taught us about access.\n",
    commit: bool = True,
    brief: str = "soc2-type2",
) -> str:
    rel = f"posts/{brief}/{participant}--{program}.md"
    path = team.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"---\nbrief: {brief}\nparticipant: {participant}\nprogram: {program}\n"
        f"channel: linkedin\n---\n{body}"
    )
    if commit:
        team.act_as("maria@example.com")
        git(team.root, "add", rel)
        git(team.root, "commit", "-q", "-S", "-m", f"draft {rel}")
    return rel


def consent(team: Team, signer: str, message: str = "policy change") -> str:
    """Record the policy files as they are with `bb policy commit`, signed by ``signer``."""
    from bloomberry_cli.cli.main import main

    team.act_as(signer)
    cwd = Path.cwd()
    try:
        import os

        os.chdir(team.root)
        code = main(["policy", "commit", "--yes", "-m", message])
    finally:
        os.chdir(cwd)
    assert code == 0, f"bb policy commit exited {code}"
    return git(team.root, "rev-parse", "HEAD").strip()


def two_clones(team: Team, tmp_path: Path) -> dict[str, Path]:
    """Maria's and Jordan's clones of a bare copy of the team's repository."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "clone", "-q", "--bare", str(team.root), str(remote))
    clones = {}
    for name, email in (("maria", "maria@example.com"), ("jordan", "jordan@example.com")):
        clone = tmp_path / name
        git(tmp_path, "clone", "-q", str(remote), str(clone))
        git(clone, "config", "bb.trustRoot", git(team.root, "config", "bb.trustRoot").strip())
        team.act_as(email, clone)
        clones[name] = clone
    return clones


def review_team(base: Path) -> Team:
    """A team with two posts waiting for marketing: Alice's TL post and Marcus's share."""
    team = make_team(base)
    write_post(team, body="What the audit taught us about access reviews.\n")
    write_post(
        team,
        participant="marcus",
        program="advocacy",
        body="We are SOC 2 Type II certified. (I work at Acme Security.)\n",
    )
    return team
