"""A team's first real policy after `bb init`, and consenting to later changes."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from conftest import BB, git


def _key(tmp_path: Path, name: str) -> tuple[Path, str]:
    path = tmp_path / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)
    return path, " ".join(path.with_suffix(".pub").read_text().split()[:2])


def _sign_as(root: Path, email: str, key: Path) -> None:
    git(root, "config", "user.email", email)
    git(root, "config", "gpg.format", "ssh")
    git(root, "config", "user.signingkey", str(key))


def test_first_real_policy_becomes_the_trust_root(workspace: Path, bb: BB, tmp_path: Path) -> None:
    first = git(workspace, "rev-parse", "HEAD").strip()
    assert git(workspace, "config", "bb.trustRoot").strip() == first  # bb init pinned it
    maria, maria_line = _key(tmp_path, "maria")
    config = workspace / "bloomberry.yaml"
    config.write_text(
        re.sub(
            r'(email: maria@example.com\n(?:.*\n){2}    keys: \[)"[^"]*"',
            rf'\g<1>"{maria_line}"',
            config.read_text(),
        )
    )
    _sign_as(workspace, "maria@example.com", maria)
    shown = json.loads(bb("policy", "show", "--format", "json", cwd=workspace).out)
    assert [c["field"] for c in shown["not_in_force"]] == ["reviewer:maria@example.com"]
    # no one holds the example's keys, so consent by the policy in force is impossible...
    refused = bb("policy", "commit", "--yes", cwd=workspace)
    assert refused.code == 2 and "no one holds in the policy in force" in refused.err
    # ...and the team's first real policy starts the trail instead
    done = bb("policy", "commit", "--yes", "--new-root", cwd=workspace)
    assert done.code == 0, done.err
    head = git(workspace, "rev-parse", "HEAD").strip()
    assert git(workspace, "config", "bb.trustRoot").strip() == head
    assert f"git config bb.trustRoot {head}" in done.err
    assert bb("audit", cwd=workspace).code == 0
    assert bb("policy", "commit", "--yes", cwd=workspace).code == 2  # nothing left to consent


def test_consent_by_an_admin_takes_effect_and_by_others_does_not(
    workspace: Path, bb: BB, tmp_path: Path
) -> None:
    maria, maria_line = _key(tmp_path, "maria")
    jordan, jordan_line = _key(tmp_path, "jordan")
    config = workspace / "bloomberry.yaml"
    text = config.read_text()
    for email, line in (("maria", maria_line), ("jordan", jordan_line)):
        text = re.sub(
            rf'(email: {email}@example.com\n(?:.*\n){{2}}    keys: \[)"[^"]*"',
            rf'\g<1>"{line}"',
            text,
        )
    config.write_text(text)
    _sign_as(workspace, "maria@example.com", maria)
    assert bb("policy", "commit", "--yes", "--new-root", cwd=workspace).code == 0
    config.write_text(
        config.read_text().replace("roles: [marketing]\n", "roles: [marketing, legal]\n", 1)
    )
    _sign_as(workspace, "jordan@example.com", jordan)  # marketing, not admin
    refused = bb("policy", "commit", "--yes", cwd=workspace)
    assert refused.code == 2 and "not an admin" in refused.err
    assert git(workspace, "status", "--porcelain", "--", "bloomberry.yaml").strip()  # untouched
    _sign_as(workspace, "maria@example.com", maria)
    assert bb("policy", "commit", "--yes", "-m", "Jordan reviews legal", cwd=workspace).code == 0
    message = git(workspace, "log", "-1", "--format=%B")
    assert message.startswith("Jordan reviews legal") and "\nBb-Policy: " in message
    shown = json.loads(bb("policy", "show", "--format", "json", cwd=workspace).out)
    assert "legal" in shown["policy"]["reviewer:jordan@example.com"]["roles"]
    assert shown["not_in_force"] == []
    assert bb("audit", cwd=workspace).code == 0


def test_admin_removed_concurrently_cannot_add_a_reviewer_on_a_branch(
    tmp_path: Path, bb: BB
) -> None:
    """DESIGN's fixture: Jordan (admin) adds Mallory on a branch while, on main, Maria takes
    his admin role away; merged, Jordan's consent is void and Mallory is granted nothing."""
    from support.team import consent, make_team, write_post
    from support.trail import add_reviewer, audit, merge, policy_in_force, rules, set_roles

    team = make_team(tmp_path)
    root = team.root
    set_roles(root, "jordan@example.com", "marketing, admin")
    consent(team, "maria@example.com", "Jordan becomes admin")
    rel = write_post(team)
    git(root, "switch", "-q", "-c", "jordans-branch")
    add_reviewer(team, "mallory@example.com", "marketing")
    consent(team, "jordan@example.com", "Mallory joins marketing")
    git(root, "switch", "-q", "main")
    set_roles(root, "jordan@example.com", "marketing")
    consent(team, "maria@example.com", "Jordan is no longer admin")
    team.act_as("maria@example.com")
    merge(root, "jordans-branch", message="Merge Jordan's branch")
    assert "reviewer:mallory@example.com" not in policy_in_force(bb, root)["policy"]
    mallory = team.commit_decision("mallory@example.com", rel, "approve", "marketing")
    code, document = audit(bb, root)
    assert code == 1
    assert {"policy.unsigned-change", "policy.changed-in-merge"} & set(rules(document))
    assert any(
        v["rule"] in ("signature.unknown-key", "stage.unauthorized") and v["commit"] == mallory
        for v in document["violations"]
    )


def test_identity_comes_from_the_key_git_signs_with(tmp_path: Path, bb: BB) -> None:
    from support.team import make_team, write_post

    team = make_team(tmp_path)
    rel = write_post(team)
    team.act_as("jordan@example.com")
    git(team.root, "config", "--unset", "user.signingkey")
    git(
        team.root,
        "config",
        "gpg.ssh.defaultKeyCommand",
        f"echo key::{team.public('maria@example.com')}",
    )
    result = bb("approve", rel, cwd=team.root)
    assert result.code == 2
    assert (
        "signs here with maria@example.com's key, but user.email is jordan@example.com"
        in result.err
    )
    assert "Bb-Decision" not in git(team.root, "log", "-1", "--format=%B")


def test_sha256_repositories_are_refused_clearly(tmp_path: Path, bb: BB) -> None:
    from bloomberry_cli.init import create_workspace

    root = tmp_path / "ws"
    root.mkdir()
    git(root, "init", "-q", "--object-format=sha256")
    create_workspace(root)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "workspace")
    result = bb("audit", cwd=root)
    assert result.code == 2 and "sha256 object ids" in result.err


def test_a_root_that_is_itself_a_violation_is_never_suggested_as_the_pin(
    tmp_path: Path, bb: BB
) -> None:
    """Like this project's own checkout: policy files linked in from a folder at the root."""
    from bloomberry_cli.init import create_workspace

    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    create_workspace(root / "example")  # inside the repository: no repository of its own
    assert not (root / "example" / ".git").exists()
    for name in ("bloomberry.yaml", "voices", "claims.yaml", "calendar.yaml", "briefs"):
        (root / name).symlink_to(Path("example") / name)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "linked example")
    first = git(root, "rev-parse", "HEAD").strip()
    result = bb("audit", cwd=root)
    assert result.code == 1
    assert "path.symlink" in result.out
    assert "history.unpinned" in result.out and "does not suggest it" in result.out
    assert first not in result.out + result.err
