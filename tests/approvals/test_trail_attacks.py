"""Issue 11, end to end: an attacker with push access but no one's signing key, and the
honest flows that must not raise false alarms. Real git, real ssh keys, hand-made commits."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BB, git
from support.team import Team, consent, make_team, write_post
from support.trail import (
    ALICE,
    JORDAN,
    MARIA,
    add_reviewer,
    audit,
    commit_all,
    head,
    merge,
    new_key,
    policy_in_force,
    public_line,
    rules,
    rules_at,
    set_keys,
    set_stages,
    status,
    two_clones,
)

MARCUS, MALLORY = "marcus@example.com", "mallory@example.com"
POLICY_BREAKING = {"policy.unsigned-change", "policy.changed-in-merge"}


@pytest.fixture
def team(tmp_path: Path) -> Team:
    return make_team(tmp_path)


def approve(bb: BB, team: Team, email: str, *args: str, cwd: Path | None = None) -> str:
    team.act_as(email, cwd)
    result = bb("approve", *args, cwd=cwd or team.root)
    assert result.code == 0, result.err + result.out
    return head(cwd or team.root)


# 1. Side-branch policy change ----------------------------------------------------------------


def test_side_branch_policy_change_reverted_and_merged(team: Team, bb: BB) -> None:
    rel = write_post(team)
    root_commit = git(team.root, "config", "bb.trustRoot").strip()
    git(team.root, "switch", "-q", "-c", "side")
    add_reviewer(team, MALLORY, "marketing")
    team.act_as(MALLORY)
    change = commit_all(team.root, "add a reviewer")  # unsigned
    forged = team.commit_decision(MALLORY, rel, "approve", "marketing")
    git(team.root, "revert", "--no-edit", "--no-gpg-sign", change)
    git(team.root, "switch", "-q", "main")
    merge(team.root, "side")
    for extra in ((), ("--trust-root", root_commit)):
        code, document = audit(bb, team.root, *extra)
        assert code == 1 and not document["ok"]
        assert POLICY_BREAKING & set(rules_at(document, change)), document
        assert rules_at(document, forged), "Mallory's approval must not verify"
    assert status(bb, team.root, rel)["stages"]["marketing"] == "pending"


# 2. Orphan root -----------------------------------------------------------------------------


def test_orphan_root_merged_with_an_identical_tree(team: Team, bb: BB) -> None:
    rel = write_post(team)
    main_tip = head(team.root)
    git(team.root, "checkout", "-q", "--orphan", "evil")
    add_reviewer(team, MALLORY, "marketing, admin")
    team.act_as(MALLORY)
    orphan = commit_all(team.root, "Program workspace")
    merged = git(
        team.root,
        "commit-tree",
        f"{orphan}^{{tree}}",
        "-p",
        orphan,
        "-p",
        main_tip,
        "-m",
        "Merge branch 'main'",
    ).strip()
    git(team.root, "switch", "-q", "main")
    git(team.root, "reset", "-q", "--hard", merged)
    forged = team.commit_decision(MALLORY, rel, "approve", "marketing")
    code, document = audit(bb, team.root)  # pinned by make_team
    assert code == 1
    assert "history.foreign-root" in rules(document)
    assert POLICY_BREAKING & set(rules_at(document, merged)), document
    assert rules_at(document, forged)
    assert "mallory@example.com" not in str(policy_in_force(bb, team.root)["policy"])
    assert status(bb, team.root, rel)["stages"]["marketing"] == "pending"
    git(team.root, "config", "--unset", "bb.trustRoot")
    code, document = audit(bb, team.root)
    assert code == 1 and "history.multiple-roots" in rules(document)


# 3. Revoked key -----------------------------------------------------------------------------


def test_revoked_key_on_a_branch_started_before_the_removal(team: Team, bb: BB) -> None:
    rel = write_post(team)
    git(team.root, "branch", "old")
    set_keys(team.root, JORDAN, "[]")
    consent(team, MARIA, "Jordan's laptop was lost")
    git(team.root, "switch", "-q", "old")
    late = team.commit_decision(JORDAN, rel, "approve", "marketing")
    git(team.root, "switch", "-q", "main")
    team.act_as(MARIA)
    merge(team.root, "old")
    code, document = audit(bb, team.root)
    assert code == 1
    assert rules_at(document, late) == ["decision.revoked"], document
    assert status(bb, team.root, rel)["stages"]["marketing"] == "pending"


# 4. Shallow clone ---------------------------------------------------------------------------


def test_shallow_clone_is_refused(team: Team, bb: BB, tmp_path: Path) -> None:
    rel = write_post(team)
    add_reviewer(team, MALLORY, "marketing, admin")
    team.act_as(JORDAN)
    commit_all(team.root, "add a reviewer")  # unsigned: would become the root
    team.commit_decision(MALLORY, rel, "approve", "marketing")
    team.commit_decision(ALICE, rel, "approve", "author")
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "3", f"file://{team.root}", str(shallow))
    assert git(shallow, "rev-parse", "--is-shallow-repository").strip() == "true"
    code, document = audit(bb, shallow)
    assert code == 2
    assert document["ok"] is False and rules(document) == ["history.shallow"]
    text = bb("audit", cwd=shallow)
    assert text.code == 2 and "git fetch --unshallow" in text.err + text.out


# 5. Replace objects and the signature cache ---------------------------------------------------


def test_replace_refs_do_not_launder_a_forgery(team: Team, bb: BB, tmp_path: Path) -> None:
    rel = write_post(team)
    base = head(team.root)
    genuine = team.commit_decision(MARIA, rel, "approve", "marketing")
    git(team.root, "branch", "genuine", genuine)
    git(team.root, "reset", "-q", "--hard", base)
    forged = team.commit_decision(MALLORY, rel, "approve", "marketing", reviewer=MARIA)
    bait = tmp_path / "bait"
    git(tmp_path, "clone", "-q", str(team.root), str(bait))
    git(bait, "config", "bb.trustRoot", git(team.root, "config", "bb.trustRoot").strip())
    git(bait, "replace", forged, "origin/genuine^{commit}")
    code, document = audit(bb, bait)  # same BB_HOME: the cache is shared
    assert code == 2 and document["ok"] is False and rules(document) == ["history.replaced"]
    code, document = audit(bb, team.root)
    assert code == 1 and rules_at(document, forged), document
    assert status(bb, team.root, rel)["stages"]["marketing"] == "pending"
    git(bait, "replace", "-d", forged)
    code, document = audit(bb, bait)
    assert code == 1 and rules_at(document, forged), document


def test_replace_ref_in_the_real_repository_is_refused_then_forgery_fails(
    team: Team, bb: BB
) -> None:
    rel = write_post(team)
    base = head(team.root)
    genuine = team.commit_decision(MARIA, rel, "approve", "marketing")
    assert audit(bb, team.root)[0] == 0  # the genuine signature is now cached
    git(team.root, "branch", "genuine", genuine)
    git(team.root, "reset", "-q", "--hard", base)
    forged = team.commit_decision(MARIA, rel, "approve", "marketing", sign=False)
    git(team.root, "replace", forged, genuine)
    assert status_code(bb, team.root) == 2
    code, document = audit(bb, team.root)
    assert code == 2 and rules(document) == ["history.replaced"]
    git(team.root, "replace", "-d", forged)
    code, document = audit(bb, team.root)
    assert code == 1 and rules_at(document, forged) == ["signature.missing"]


def status_code(bb: BB, root: Path) -> int:
    return bb("status", "--format", "json", cwd=root).code


# 6. Campaign owner --------------------------------------------------------------------------


def campaign_post(team: Team) -> str:
    """A thought-leadership post dated inside the SOC 2 advocacy campaign, on its topic: it
    needs the campaign owner (Maria in the committed calendar)."""
    rel = "posts/hiring-q1/alice--thought-leadership.md"
    path = team.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "---\nbrief: hiring-q1\nparticipant: alice\nprogram: thought-leadership\n"
        "channel: linkedin\nscheduled: 2026-12-05\ntopics: [compliance]\n---\n"
        "What a compliance programme teaches a hiring manager.\n"
    )
    team.act_as(MARIA)
    git(team.root, "add", rel)
    git(team.root, "commit", "-q", "-S", "-m", f"draft {rel}")
    return rel


def test_participant_makes_himself_campaign_owner(team: Team, bb: BB) -> None:
    rel = campaign_post(team)
    assert list(status(bb, team.root, rel)["stages"]) == ["marketing", "campaign-owner", "author"]
    calendar = team.root / "calendar.yaml"
    calendar.write_text(
        calendar.read_text().replace("owner: maria@example.com", "owner: marcus@example.com")
    )
    team.act_as(MARCUS)
    change = commit_all(team.root, "calendar: fix owner")  # unsigned, not consented
    team.commit_decision(MARIA, rel, "approve", "marketing")
    owner = team.commit_decision(MARCUS, rel, "approve", "campaign-owner")
    code, document = audit(bb, team.root)
    assert code == 1
    assert "policy.unsigned-change" in rules_at(document, change), document
    assert rules_at(document, owner), "Marcus is not the campaign owner in force"
    assert status(bb, team.root, rel)["stages"]["campaign-owner"] == "pending"


def test_author_approval_and_publish_skipping_the_campaign_owner(team: Team, bb: BB) -> None:
    rel = campaign_post(team)
    team.commit_decision(MARIA, rel, "approve", "marketing")
    author = team.commit_decision(ALICE, rel, "approve", "author")
    published = team.commit_decision(ALICE, rel, "publish", "publish")
    code, document = audit(bb, team.root)
    assert code == 1
    assert "stage.order" in rules_at(document, author), document
    assert {"stage.order", "stage.withdrawn"} & set(rules_at(document, published)), document
    post = status(bb, team.root, rel)
    assert post["stages"]["campaign-owner"] == "pending"
    assert post["state"] not in ("approved", "published")


# 7. Withdrawn approval ----------------------------------------------------------------------


def test_publish_after_a_withdrawn_approval(team: Team, bb: BB) -> None:
    rel = write_post(team)
    approve(bb, team, MARIA, rel)
    approve(bb, team, ALICE, rel)
    team.act_as(MARIA)
    assert bb("reject", rel, "-r", "Legal flagged the audit date", cwd=team.root).code == 0
    published = team.commit_decision(ALICE, rel, "publish", "publish")
    code, document = audit(bb, team.root)
    assert code == 1
    assert rules_at(document, published) == ["stage.withdrawn"], document
    assert status(bb, team.root, rel)["state"] not in ("approved", "published")


def test_concurrent_approval_merged_later_does_not_erase_a_reject(team: Team, bb: BB) -> None:
    rel = write_post(team)
    git(team.root, "branch", "side")
    team.act_as(MARIA)
    assert bb("reject", rel, "-r", "Off-message this week", cwd=team.root).code == 0
    git(team.root, "switch", "-q", "side")
    approve(bb, team, JORDAN, rel)
    git(team.root, "switch", "-q", "main")
    merge(team.root, "side")
    code, document = audit(bb, team.root)
    assert code == 0, document
    post = status(bb, team.root, rel)
    assert post["stages"]["marketing"] != "approved" and post["state"] == "rejected"
    team.act_as(ALICE)
    assert bb("approve", rel, cwd=team.root).code == 1


def test_concurrent_author_approval_does_not_erase_request_changes(team: Team, bb: BB) -> None:
    rel = write_post(team)
    approve(bb, team, MARIA, rel)
    git(team.root, "branch", "side")
    team.act_as(JORDAN)
    assert bb("request-changes", rel, "-r", "Name the audit firm", cwd=team.root).code == 0
    git(team.root, "switch", "-q", "side")
    approve(bb, team, ALICE, rel)
    git(team.root, "switch", "-q", "main")
    merge(team.root, "side")
    post = status(bb, team.root, rel)
    assert post["state"] == "changes-requested", post
    assert post["stages"]["author"] != "approved"
    published = team.commit_decision(ALICE, rel, "publish", "publish")
    code, document = audit(bb, team.root)
    assert code == 1 and rules_at(document, published), document


# 8. A stage added meanwhile -----------------------------------------------------------------


def test_stage_added_on_main_while_a_branch_collected_approvals(team: Team, bb: BB) -> None:
    rel = write_post(team)
    git(team.root, "branch", "review")
    set_stages(team.root, "thought-leadership", "marketing, legal, author")
    (team.root / "bloomberry.yaml").write_text(
        (team.root / "bloomberry.yaml")
        .read_text()
        .replace("roles: [marketing]\n", "roles: [marketing, legal]\n", 1)
    )
    consent(team, MARIA, "Legal reviews thought leadership")
    git(team.root, "switch", "-q", "review")
    approve(bb, team, MARIA, rel)
    approve(bb, team, ALICE, rel)
    git(team.root, "switch", "-q", "main")
    merge(team.root, "review")
    post = status(bb, team.root, rel)
    assert post["stages"].get("legal") == "pending" and post["state"] != "approved", post
    team.act_as(ALICE)
    refused = bb("publish", rel, "--url", "https://example.com/p/1", cwd=team.root)
    assert refused.code == 1 and "legal" in refused.err
    published = team.commit_decision(ALICE, rel, "publish", "publish")
    code, document = audit(bb, team.root)
    assert code == 1
    assert {"stage.order", "stage.withdrawn"} & set(rules_at(document, published)), document


# 9. Lint at approval ------------------------------------------------------------------------


def test_signed_approval_of_content_with_a_blocked_claim(team: Team, bb: BB) -> None:
    rel = write_post(team, body="Our customers see guaranteed ROI in a quarter.\n")
    approval = team.commit_decision(MARIA, rel, "approve", "marketing")
    code, document = audit(bb, team.root)
    assert code == 0 and document["ok"] is True
    found = [v for v in document["violations"] if v["rule"] == "lint.errors-at-approval"]
    assert [(v["commit"], v["severity"]) for v in found] == [(approval, "warning")]
    assert "claims.blocked" in found[0]["message"]
    code, document = audit(bb, team.root, "--strict")
    assert code == 1 and document["ok"] is False


# False alarms: honest flows audit clean -----------------------------------------------------


def test_approval_on_a_branch_merged_normally(team: Team, bb: BB) -> None:
    rel = write_post(team)
    git(team.root, "switch", "-q", "-c", "review")
    approve(bb, team, MARIA, rel)
    git(team.root, "switch", "-q", "main")
    write_post(team, participant="marcus")  # main moves on meanwhile
    merge(team.root, "review")
    code, document = audit(bb, team.root)
    assert code == 0 and rules(document) == [], document
    assert status(bb, team.root, rel)["stages"]["marketing"] == "approved"


def test_key_revoked_after_it_was_used(team: Team, bb: BB) -> None:
    rel = write_post(team)
    approve(bb, team, JORDAN, rel)
    set_keys(team.root, JORDAN, "[]")
    consent(team, MARIA, "Jordan left")
    code, document = audit(bb, team.root)
    assert code == 0 and rules(document) == [], document
    assert status(bb, team.root, rel)["stages"]["marketing"] == "approved"


def test_participant_style_edit_is_not_a_policy_change(team: Team, bb: BB) -> None:
    rel = write_post(team)
    voice = team.root / "voices" / "alice.yaml"
    voice.write_text(
        voice.read_text().replace("tone: direct, technical, dry", "tone: direct, warm, technical")
    )
    team.act_as(ALICE)
    commit_all(team.root, "my style")  # unsigned
    approve(bb, team, MARIA, rel)
    code, document = audit(bb, team.root)
    assert code == 0 and rules(document) == [], document


def approve_by_path(bb: BB, team: Team, given: str, cwd: Path | None = None) -> str:
    """Marketing then the author approve a post named as ``given``; the post's path."""
    rel = write_post(team)
    approve(bb, team, MARIA, given, cwd=cwd)
    assert f"Bb-Post: {rel}\n" in git(team.root, "log", "-1", "--format=%B")
    assert f"bb: approve {rel} (marketing)" == git(team.root, "log", "-1", "--format=%s").strip()
    approve(bb, team, ALICE, given, cwd=cwd)
    assert f"Bb-Post: {rel}\n" in git(team.root, "log", "-1", "--format=%B")
    code, document = audit(bb, team.root)
    assert code == 0 and rules(document) == [], document
    assert status(bb, team.root, rel)["state"] == "approved"
    return rel


def test_path_with_dot_dot_is_recorded_canonically(team: Team, bb: BB) -> None:
    approve_by_path(bb, team, "posts/soc2-type2/../soc2-type2/alice--thought-leadership.md")


def test_path_with_dot_slash_is_recorded_canonically(team: Team, bb: BB) -> None:
    approve_by_path(bb, team, "./posts/soc2-type2/alice--thought-leadership.md")


def test_path_from_a_sub_folder_is_recorded_canonically(team: Team, bb: BB) -> None:
    (team.root / "posts" / "soc2-type2").mkdir(parents=True)
    approve_by_path(
        bb, team, "alice--thought-leadership.md", cwd=team.root / "posts" / "soc2-type2"
    )


def test_absolute_path_is_recorded_canonically(team: Team, bb: BB) -> None:
    approve_by_path(bb, team, str(team.root / "posts/soc2-type2/alice--thought-leadership.md"))


def test_web_ui_merge_of_an_old_branch_after_a_policy_change(team: Team, bb: BB) -> None:
    rel = write_post(team)
    git(team.root, "switch", "-q", "-c", "old")
    approve(bb, team, MARIA, rel)
    git(team.root, "switch", "-q", "main")
    add_reviewer(team, MALLORY, "marketing")
    consent(team, MARIA, "Mallory joins marketing")
    merge(team.root, "old")
    code, document = audit(bb, team.root)
    assert code == 0 and rules(document) == [], document
    assert "reviewer:mallory@example.com" in policy_in_force(bb, team.root)["policy"]
    assert status(bb, team.root, rel)["stages"]["marketing"] == "approved"


def test_admins_policy_branch_merged(team: Team, bb: BB) -> None:
    rel = write_post(team)
    git(team.root, "switch", "-q", "-c", "policy")
    add_reviewer(team, MALLORY, "marketing")
    consent(team, MARIA, "Mallory joins marketing")
    git(team.root, "switch", "-q", "main")
    write_post(team, participant="marcus")
    team.act_as(JORDAN)
    merge(team.root, "policy")  # unsigned, as a web UI would
    assert "reviewer:mallory@example.com" in policy_in_force(bb, team.root)["policy"]
    approve(bb, team, MALLORY, rel)
    code, document = audit(bb, team.root)
    assert code == 0 and rules(document) == [], document


def test_git_pull_merge_of_a_concurrent_clones_decisions(
    team: Team, bb: BB, tmp_path: Path
) -> None:
    first = write_post(team)
    second = write_post(team, participant="marcus")
    clones = two_clones(team, tmp_path)
    approve(bb, team, MARIA, first, cwd=clones["maria"])
    git(clones["maria"], "push", "-q")
    approve(bb, team, JORDAN, second, cwd=clones["jordan"])
    git(clones["jordan"], "pull", "-q", "--no-rebase", "--no-edit", "--no-gpg-sign")
    assert len(git(clones["jordan"], "log", "-1", "--format=%P").split()) == 2
    code, document = audit(bb, clones["jordan"])
    assert code == 0 and rules(document) == [], document
    assert status(bb, clones["jordan"], first)["stages"]["marketing"] == "approved"
    assert status(bb, clones["jordan"], second)["stages"]["marketing"] == "approved"


def test_criss_cross_merge(team: Team, bb: BB) -> None:
    rel = write_post(team)
    other = write_post(team, participant="marcus")
    git(team.root, "branch", "b")
    git(team.root, "switch", "-q", "-c", "a")
    add_reviewer(team, MALLORY, "marketing")
    a1 = consent(team, MARIA, "Mallory joins marketing")
    git(team.root, "switch", "-q", "b")
    b1 = approve(bb, team, MARIA, rel)
    git(team.root, "switch", "-q", "a")
    merge(team.root, b1)
    approve(bb, team, MALLORY, other)
    git(team.root, "switch", "-q", "b")
    merge(team.root, a1)
    approve(bb, team, ALICE, rel)
    git(team.root, "switch", "-q", "main")
    merge(team.root, "a")
    merge(team.root, "b")
    assert len(git(team.root, "merge-base", "--all", "a", "b").split()) == 2
    code, document = audit(bb, team.root)
    assert code == 0 and rules(document) == [], document
    assert "reviewer:mallory@example.com" in policy_in_force(bb, team.root)["policy"]
    assert status(bb, team.root, rel)["state"] == "approved"
    assert status(bb, team.root, other)["stages"]["marketing"] == "approved"


def test_rotation_left_on_a_branch(team: Team, bb: BB, tmp_path: Path) -> None:
    rel = write_post(team)
    other = write_post(team, participant="marcus")
    git(team.root, "switch", "-q", "-c", "rotate")
    fresh = new_key(tmp_path, "jordan-2026")
    set_keys(team.root, JORDAN, f'["{public_line(fresh)}"]')
    consent(team, MARIA, "Jordan's new key")
    git(team.root, "switch", "-q", "main")
    approve(bb, team, JORDAN, rel)  # with the old key, while the rotation waits for weeks
    merge(team.root, "rotate")
    code, document = audit(bb, team.root)
    assert code == 0 and rules(document) == [], document
    assert status(bb, team.root, rel)["stages"]["marketing"] == "approved"
    team.keys[JORDAN] = fresh
    approve(bb, team, JORDAN, other)
    assert audit(bb, team.root)[0] == 0


def test_unsigned_key_added_then_an_admins_unrelated_change(team: Team, bb: BB) -> None:
    add_reviewer(team, MALLORY, "marketing")
    team.act_as(JORDAN)
    sneaked = commit_all(team.root, "add a reviewer")
    shown = policy_in_force(bb, team.root)
    assert "reviewer:mallory@example.com" not in shown["policy"]
    assert any("mallory" in str(c) for c in shown["not_in_force"])
    config = team.root / "bloomberry.yaml"
    config.write_text(
        config.read_text().replace("duplicate_threshold: 0.8", "duplicate_threshold: 0.85")
    )
    team.act_as(MARIA)
    preview = bb("policy", "commit", "-m", "stricter resharing", cwd=team.root)
    assert preview.code != 0 and "mallory@example.com" in preview.out  # shown, not confirmed
    consented = consent(team, MARIA, "stricter resharing")
    assert "reviewer:mallory@example.com" in policy_in_force(bb, team.root)["policy"]
    code, document = audit(bb, team.root)
    assert code == 1 and rules_at(document, consented) == [], document
    assert rules(document) == ["policy.unsigned-change"]
    assert rules_at(document, sneaked) == ["policy.unsigned-change"]


def test_hand_made_decisions_count_when_properly_made(team: Team, bb: BB) -> None:
    """Control: decisions made with `git commit -S` exactly as bb writes them verify,
    so the failures above are about the attacks, not about hand-made commits."""
    rel = write_post(team)
    team.commit_decision(MARIA, rel, "approve", "marketing")
    team.commit_decision(ALICE, rel, "approve", "author")
    code, document = audit(bb, team.root)
    assert code == 0 and rules(document) == [], document
    assert status(bb, team.root, rel)["state"] == "approved"


# More ways in: copies of decisions, evil merges, symlinks, rollbacks --------------------------


def test_cherry_picked_and_squashed_decisions_never_count(team: Team, bb: BB) -> None:
    rel = write_post(team)
    git(team.root, "switch", "-q", "-c", "review")
    original = approve(bb, team, MARIA, rel)
    git(team.root, "switch", "-q", "main")
    write_post(team, participant="marcus")  # main moved: a copy sits on another parent
    git(team.root, "cherry-pick", "--allow-empty", "--no-gpg-sign", original)
    picked = head(team.root)
    _, document = audit(bb, team.root)
    assert "decision.malformed" in rules_at(document, picked), document
    assert status(bb, team.root, rel)["stages"]["marketing"] == "pending"
    git(team.root, "reset", "-q", "--hard", "HEAD~1")
    git(team.root, "merge", "-q", "--squash", "review")
    squash_message = "Review (#12)\n\n* " + git(team.root, "log", "-1", "--format=%B", original)
    git(team.root, "commit", "-q", "--allow-empty", "--no-gpg-sign", "-m", squash_message)
    squashed = head(team.root)
    _, document = audit(bb, team.root)
    assert "decision.malformed" in rules_at(document, squashed), document
    assert status(bb, team.root, rel)["stages"]["marketing"] == "pending"


def test_evil_merge_slips_a_reviewer_in(team: Team, bb: BB) -> None:
    rel = write_post(team)
    git(team.root, "branch", "side")
    write_post(team, participant="marcus")
    git(team.root, "switch", "-q", "side")
    write_post(
        team,
        participant="alice",
        program="advocacy",
        body="We earned SOC 2 Type II. (I work at Acme Security.)\n",
    )
    git(team.root, "switch", "-q", "main")
    git(team.root, "merge", "-q", "--no-ff", "--no-commit", "side")
    add_reviewer(team, MALLORY, "marketing, admin")
    git(team.root, "add", "bloomberry.yaml")
    team.act_as(MALLORY)
    git(team.root, "commit", "-q", "-S", "-m", "Merge branch 'side'")
    evil = head(team.root)
    forged = team.commit_decision(MALLORY, rel, "approve", "marketing")
    code, document = audit(bb, team.root)
    assert code == 1
    assert "policy.changed-in-merge" in rules_at(document, evil), document
    assert rules_at(document, forged)
    assert "reviewer:mallory@example.com" not in policy_in_force(bb, team.root)["policy"]


def test_decision_that_changes_another_file_is_not_a_decision(team: Team, bb: BB) -> None:
    rel = write_post(team)
    other = write_post(team, participant="marcus")
    (team.root / other).write_text((team.root / other).read_text() + "Slipped in.\n")
    smuggled = team.commit_decision(MARIA, rel, "approve", "marketing", also=[other])
    _, document = audit(bb, team.root)
    assert "decision.malformed" in rules_at(document, smuggled), document
    assert status(bb, team.root, rel)["stages"]["marketing"] == "pending"


def test_symlinked_voices_are_reported_not_a_crash(team: Team, bb: BB, tmp_path: Path) -> None:
    write_post(team)
    outside = tmp_path / "elsewhere"
    (team.root / "voices").rename(outside)
    (team.root / "voices").symlink_to(outside)
    team.act_as(JORDAN)
    linked = commit_all(team.root, "voices live elsewhere")
    # the work tree refuses a link out of the workspace before the trail is read (exit 2)...
    result = bb("audit", "--format", "json", cwd=team.root)
    assert result.code == 2 and "voices" in result.err and "symlink" in result.err, result
    # ...and the trail itself, read from git, reports it wherever it is in history
    (team.root / "voices").unlink()
    outside.rename(team.root / "voices")
    commit_all(team.root, "voices back in place")
    code, document = audit(bb, team.root)
    assert code == 1, document
    assert "path.symlink" in rules_at(document, linked), document


def test_high_water_mark_not_in_history_is_a_rewrite(team: Team, bb: BB) -> None:
    write_post(team)
    rel = write_post(team, participant="marcus")
    approve(bb, team, MARIA, rel)
    seen = head(team.root)
    git(team.root, "reset", "-q", "--hard", "HEAD~1")
    code, document = audit(bb, team.root, "--high-water", seen)
    assert code == 1 and "history.rewritten" in rules(document), document
    git(team.root, "config", "bb.highWater", seen)
    code, document = audit(bb, team.root)
    assert code == 1 and "history.rewritten" in rules(document), document
