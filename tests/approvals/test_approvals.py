"""Approvals as signed commits, state from history, and an audit that no one can fool."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import BB, git
from support.team import Team, consent, make_team, two_clones, write_post


@pytest.fixture
def team(tmp_path: Path) -> Team:
    return make_team(tmp_path)


def audit_rules(bb: BB, team: Team) -> list[str]:
    result = bb("audit", "--format", "json", cwd=team.root)
    document = json.loads(result.out)
    assert result.code == (0 if document["ok"] else 1)
    return [v["rule"] for v in document["violations"]]


def status_of(bb: BB, team: Team, rel: str) -> dict:
    document = json.loads(bb("status", "--format", "json", cwd=team.root).out)
    assert document["version"] == 1
    return next(p for p in document["posts"] if p["path"] == rel)


def test_marketing_then_author_approve(team: Team, bb: BB) -> None:
    rel = write_post(team)
    assert status_of(bb, team, rel)["state"] == "draft"
    team.act_as("maria@example.com")
    result = bb("approve", rel, cwd=team.root)
    assert result.code == 0, result.err
    assert f"approve {rel} (marketing)" in result.out
    assert status_of(bb, team, rel)["stages"] == {"marketing": "approved", "author": "pending"}
    assert status_of(bb, team, rel)["state"] == "in-review"
    team.act_as("alice@example.com")
    assert bb("approve", rel, cwd=team.root).code == 0
    assert status_of(bb, team, rel)["state"] == "approved"
    message = git(team.root, "log", "-1", "--format=%B")
    assert "Bb-Decision: approve\nBb-Stage: author\n" in message
    assert "Bb-Reviewer: alice@example.com" in message
    assert "\ngpgsig -----BEGIN SSH SIGNATURE-----" in git(team.root, "cat-file", "commit", "HEAD")
    assert audit_rules(bb, team) == []
    log = bb("log", rel, cwd=team.root)
    assert "signed by maria@example.com" in log.out and "signed by alice@example.com" in log.out


def test_per_participant_override(team: Team, bb: BB) -> None:
    (team.root / "voices" / "marcus.yaml").write_text(
        (team.root / "voices" / "marcus.yaml").read_text() + "approvals:\n  advocacy: [author]\n"
    )
    consent(team, "maria@example.com", "Marcus shares without marketing review")
    rel = write_post(
        team,
        participant="marcus",
        program="advocacy",
        body="Sharing our news. (I work at Acme Security.)\n",
    )
    assert status_of(bb, team, rel)["stages"] == {"author": "pending"}
    team.act_as("marcus@example.com")
    assert bb("approve", rel, cwd=team.root).code == 0
    assert status_of(bb, team, rel)["state"] == "approved"
    assert audit_rules(bb, team) == []


def test_refusals(team: Team, bb: BB) -> None:
    rel = write_post(team)
    team.act_as("alice@example.com")
    result = bb("approve", rel, cwd=team.root)
    assert result.code == 1 and "marketing must approve first" in result.err
    result = bb("approve", rel, "--stage", "marketing", cwd=team.root)
    assert result.code == 1 and "you wrote this post" in result.err
    team.act_as("marcus@example.com")
    result = bb("approve", rel, "--stage", "marketing", cwd=team.root)
    assert result.code == 1 and "do not hold the marketing role" in result.err
    team.act_as("maria@example.com")
    assert bb("approve", rel, cwd=team.root).code == 0
    result = bb("approve", rel, "--stage", "marketing", cwd=team.root)
    assert result.code == 1 and "already approved this version" in result.err
    result = bb("reject", rel, cwd=team.root)
    assert result.code == 2 and "needs a reason" in result.err
    assert len(git(team.root, "log", "--format=%H").split()) == 3  # nothing else was committed


def test_approval_is_refused_while_lint_has_errors(team: Team, bb: BB) -> None:
    rel = write_post(team, body="We offer guaranteed ROI.\n")
    team.act_as("maria@example.com")
    result = bb("approve", rel, cwd=team.root)
    assert result.code == 1 and "claims.blocked" in result.err


def test_reject_and_request_changes_with_reasons(team: Team, bb: BB) -> None:
    rel = write_post(team)
    team.act_as("jordan@example.com")
    assert bb("request-changes", rel, "--reason", "Name the audit firm", cwd=team.root).code == 0
    assert status_of(bb, team, rel)["state"] == "changes-requested"
    assert "Name the audit firm" in bb("log", rel, cwd=team.root).out
    assert bb("reject", rel, "-r", "Off-message this week", cwd=team.root).code == 0
    assert status_of(bb, team, rel)["state"] == "rejected"


def test_reviewer_edit_goes_into_the_decision_commit(team: Team, bb: BB) -> None:
    rel = write_post(team)
    (team.root / rel).write_text((team.root / rel).read_text() + "\nA line Maria added.\n")
    team.act_as("maria@example.com")
    assert bb("approve", rel, cwd=team.root).code == 0
    assert git(team.root, "show", "--name-only", "--format=", "HEAD").split() == [rel]
    assert git(team.root, "status", "--porcelain") == ""
    assert audit_rules(bb, team) == []


def test_unsigned_decisions_are_refused(team: Team, bb: BB) -> None:
    rel = write_post(team)
    team.act_as("maria@example.com")
    git(team.root, "config", "--unset", "user.signingkey")
    git(team.root, "config", "gpg.format", "openpgp")
    result = bb("approve", rel, cwd=team.root)
    assert result.code == 2 and "bb keys setup" in result.err
    assert git(team.root, "status", "--porcelain") == ""  # no half-made decision


def test_signing_with_someone_elses_key_is_refused(team: Team, bb: BB) -> None:
    rel = write_post(team)
    team.act_as("maria@example.com")
    git(team.root, "config", "user.signingkey", str(team.keys["jordan@example.com"]))
    result = bb("approve", rel, cwd=team.root)
    assert result.code == 2
    assert (
        "signs here with jordan@example.com's key, but user.email is maria@example.com"
        in result.err
    )
    git(team.root, "config", "user.signingkey", str(team.keys["mallory@example.com"]))
    assert "a key that no one holds in the policy" in bb("approve", rel, cwd=team.root).err


def test_no_decisions_during_a_rebase(team: Team, bb: BB) -> None:
    rel = write_post(team)
    git_dir = team.root / ".git"
    (git_dir / "rebase-merge").mkdir()
    team.act_as("maria@example.com")
    result = bb("approve", rel, cwd=team.root)
    assert result.code == 2 and "a rebase is in progress" in result.err


# Tampering, one case at a time ------------------------------------------------------------


def test_unsigned_decision(team: Team, bb: BB) -> None:
    rel = write_post(team)
    team.commit_decision("maria@example.com", rel, "approve", "marketing", sign=False)
    assert audit_rules(bb, team) == ["signature.missing"]


def test_key_not_in_the_policy(team: Team, bb: BB) -> None:
    rel = write_post(team)
    team.commit_decision(
        "mallory@example.com", rel, "approve", "marketing", reviewer="maria@example.com"
    )
    assert audit_rules(bb, team) == ["signature.unknown-key"]


def test_signed_by_alice_naming_someone_else(team: Team, bb: BB) -> None:
    rel = write_post(team, participant="marcus")
    team.commit_decision(
        "alice@example.com", rel, "approve", "marketing", reviewer="maria@example.com"
    )
    assert audit_rules(bb, team) == ["signer.mismatch"]


def test_reviewer_without_the_role(team: Team, bb: BB) -> None:
    rel = write_post(team)
    team.commit_decision("marcus@example.com", rel, "approve", "marketing")
    assert audit_rules(bb, team) == ["stage.unauthorized"]


def test_author_approving_marketing_on_own_post(team: Team, bb: BB) -> None:
    rel = write_post(team)
    team.commit_decision("alice@example.com", rel, "approve", "marketing")
    assert audit_rules(bb, team) == ["duties.self-approval"]


def test_author_stage_before_marketing(team: Team, bb: BB) -> None:
    rel = write_post(team)
    team.commit_decision("alice@example.com", rel, "approve", "author")
    team.commit_decision("maria@example.com", rel, "approve", "marketing")
    assert audit_rules(bb, team) == ["stage.order"]


def test_post_edited_after_approval_is_stale(team: Team, bb: BB) -> None:
    rel = write_post(team)
    team.act_as("maria@example.com")
    assert bb("approve", rel, cwd=team.root).code == 0
    write_post(team, body="Something else entirely.\n")
    assert status_of(bb, team, rel)["state"] == "stale"
    assert status_of(bb, team, rel)["stages"]["marketing"] == "stale"
    assert audit_rules(bb, team) == ["content.changed-after-approval"]
    assert bb("approve", rel, cwd=team.root).code == 0  # a new approval settles it
    assert audit_rules(bb, team) == []


def test_recorded_hash_that_is_not_the_content(team: Team, bb: BB) -> None:
    rel = write_post(team)
    team.commit_decision("maria@example.com", rel, "approve", "marketing", sha="0" * 64)
    assert "content.changed-after-approval" in audit_rules(bb, team)


def test_trailer_amended_without_re_signing(team: Team, bb: BB) -> None:
    rel = write_post(team)
    team.act_as("jordan@example.com")
    assert bb("approve", rel, cwd=team.root).code == 0
    message = git(team.root, "log", "-1", "--format=%B").replace("jordan@", "maria@")
    git(team.root, "commit", "-q", "--amend", "--allow-empty", "--no-gpg-sign", "-m", message)
    assert audit_rules(bb, team) == ["signature.missing"]


def test_trailer_edited_keeping_the_old_signature(team: Team, bb: BB) -> None:
    rel = write_post(team)
    team.act_as("jordan@example.com")
    assert bb("approve", rel, cwd=team.root).code == 0
    raw = (
        git(team.root, "cat-file", "commit", "HEAD")
        .replace("Bb-Stage: marketing", "Bb-Stage: author")
        .replace("(marketing)", "(author)")
    )
    forged = subprocess.run(
        ["git", "hash-object", "-t", "commit", "-w", "--stdin"],
        cwd=team.root,
        input=raw,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    git(team.root, "update-ref", "HEAD", forged)
    assert "signature.invalid" in audit_rules(bb, team)


def test_policy_change_by_a_non_admin(team: Team, bb: BB) -> None:
    config = team.root / "bloomberry.yaml"
    config.write_text(
        config.read_text().replace(
            "reviewers:\n",
            f"reviewers:\n  - email: mallory@example.com\n    name: M\n"
            f'    roles: [marketing]\n    keys: ["{team.public("mallory@example.com")}"]\n',
        )
    )
    team.act_as("jordan@example.com")  # marketing, not admin
    git(team.root, "commit", "-qaS", "-m", "add a reviewer")
    assert audit_rules(bb, team) == ["policy.unsigned-change"]


def test_policy_change_by_an_admin_is_fine(team: Team, bb: BB) -> None:
    config = team.root / "bloomberry.yaml"
    config.write_text(
        config.read_text().replace("roles: [marketing]\n", "roles: [marketing, admin]\n")
    )
    consent(team, "maria@example.com", "Jordan becomes admin")
    assert audit_rules(bb, team) == []
    tip = git(team.root, "rev-parse", "HEAD").strip()  # a full id: a name can be shadowed
    result = bb("audit", "--trust-root", tip, cwd=team.root)
    assert result.code == 0 and "trail verified" in result.out


def test_a_commit_cannot_authorise_its_own_key(team: Team, bb: BB) -> None:
    rel = write_post(team)
    config = team.root / "bloomberry.yaml"
    config.write_text(
        config.read_text().replace(
            "reviewers:\n",
            f"reviewers:\n  - email: mallory@example.com\n    name: M\n"
            f'    roles: [marketing]\n    keys: ["{team.public("mallory@example.com")}"]\n',
        )
    )
    team.commit_decision(
        "mallory@example.com", rel, "approve", "marketing", also=["bloomberry.yaml"]
    )
    rules = audit_rules(bb, team)
    assert "decision.malformed" in rules and "policy.unsigned-change" in rules
    assert status_of(bb, team, rel)["stages"]["marketing"] == "pending"


# Two reviewers, two clones, one shared history ----------------------------------------------


def test_two_clones_sync_through_a_bare_remote(team: Team, bb: BB, tmp_path: Path) -> None:
    first = write_post(team)
    second = write_post(team, participant="marcus")
    clones = two_clones(team, tmp_path)
    assert bb("approve", first, cwd=clones["maria"]).code == 0
    assert bb("approve", second, cwd=clones["jordan"]).code == 0
    assert bb("sync", cwd=clones["maria"]).code == 0
    result = bb("sync", cwd=clones["jordan"])
    assert result.code == 0, result.err
    assert "1 commit(s) arrived (merged), 2 pushed" in result.out
    assert bb("sync", cwd=clones["maria"]).code == 0
    for clone in clones.values():
        subjects = git(clone, "log", "--format=%s").splitlines()
        assert f"bb: approve {first} (marketing)" in subjects
        assert f"bb: approve {second} (marketing)" in subjects
        assert audit_rules(bb, Team(clone, team.keys)) == []


def test_sync_reports_a_conflict_and_changes_nothing(team: Team, bb: BB, tmp_path: Path) -> None:
    rel = write_post(team)
    clones = two_clones(team, tmp_path)
    (clones["maria"] / rel).write_text((clones["maria"] / rel).read_text() + "Maria's line.\n")
    assert bb("approve", rel, cwd=clones["maria"]).code == 0
    assert bb("sync", cwd=clones["maria"]).code == 0
    (clones["jordan"] / rel).write_text((clones["jordan"] / rel).read_text() + "Jordan's.\n")
    assert bb("approve", rel, cwd=clones["jordan"]).code == 0
    head = git(clones["jordan"], "rev-parse", "HEAD")
    result = bb("sync", cwd=clones["jordan"])
    assert result.code == 1 and rel in result.err and "nothing was changed" in result.err
    assert git(clones["jordan"], "rev-parse", "HEAD") == head
    assert git(clones["jordan"], "status", "--porcelain") == ""


def test_keys_setup_creates_and_configures_a_key(team: Team, bb: BB, isolated_env: Path) -> None:
    team.act_as("maria@example.com")
    git(team.root, "config", "--unset", "user.signingkey")
    result = bb("keys", "setup", cwd=team.root)
    assert result.code == 0, result.err
    assert result.out.startswith('keys: ["ssh-ed25519 AAAA')
    assert "bloomberry.yaml" in result.err
    key = git(team.root, "config", "user.signingkey").strip()
    assert key.startswith(str(isolated_env / "bb" / "keys"))
    again = bb("keys", "setup", cwd=team.root)
    assert again.out == result.out and "Using signing key" in again.err
