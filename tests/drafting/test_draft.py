"""`bb draft`: what marketing ops get from one brief, and what is never overwritten."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bloomberry_cli.drafting.draft import DraftOptions, draft_briefs
from bloomberry_cli.governance.lint import lint_paths
from bloomberry_cli.governance.resharing import shingles, similarity
from bloomberry_cli.posts import load_post
from bloomberry_cli.workspace import load_workspace
from conftest import BB, git

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 25)


def draft(root: Path, *briefs: str, completion=None, **options) -> list:
    options.setdefault("backoff", 0.01)
    return draft_briefs(
        load_workspace(root),
        briefs or ("soc2-type2",),
        DraftOptions(**options),
        completion=completion,
        today=TODAY,
        now=NOW,
    )


def posts(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in (root / "posts").rglob("*.md")}


def test_example_brief_drafts_every_participant_and_program(workspace: Path, bb: BB) -> None:
    result = bb("draft", "briefs/soc2-type2.yaml", cwd=workspace)
    assert result.code == 0, result.err
    assert sorted(posts(workspace)) == [
        "posts/soc2-type2/alice--advocacy.md",
        "posts/soc2-type2/alice--thought-leadership.md",
        "posts/soc2-type2/dan--advocacy.md",
        "posts/soc2-type2/dan--thought-leadership.md",
        "posts/soc2-type2/marcus--advocacy.md",
        "posts/soc2-type2/marcus--thought-leadership.md",
        # Sam comes in through `role: Staff Engineer` and takes part in thought leadership only.
        "posts/soc2-type2/sam--thought-leadership.md",
    ]
    assert "7 written" in result.out and "bb review" in result.out


def test_thought_leadership_is_built_from_the_persons_notes(workspace: Path) -> None:
    draft(workspace)
    post = load_post(workspace, "posts/soc2-type2/alice--thought-leadership.md")
    assert post.meta.engine == "template" and post.meta.brief == "soc2-type2"
    assert post.meta.scheduled == dt.date(2026, 12, 2)
    # The claim leads, built from her first note with her opener as its frame.
    assert post.body.startswith("Unpopular opinion: role-based permissions were too broad")
    assert "Two more things we noticed about how the SOC 2 process changed" in post.body
    assert "1. API token rotation was documented as a policy" in post.body
    assert "That's not a security program; that's luck." in post.body
    assert not post.edited


def test_missing_notes_become_placeholders_that_lint_blocks(workspace: Path) -> None:
    rows = {row.job.path: row for row in draft(workspace)}
    dan = rows["posts/soc2-type2/dan--thought-leadership.md"]
    assert [f.rule for f in dan.findings if f.severity == "error"] == [
        "text.placeholder",
        "text.placeholder",
    ]
    text = (workspace / dan.job.path).read_text()
    assert "[Add your own observation: What did the audit surface" in text
    assert rows["posts/soc2-type2/alice--thought-leadership.md"].findings == []


def test_advocacy_drafts_carry_voice_link_and_disclosure(workspace: Path) -> None:
    rows = draft(workspace, program="advocacy")
    assert {row.job.participant for row in rows} == {"alice", "marcus", "dan"}
    assert all(row.findings == [] for row in rows)
    marcus = load_post(workspace, "posts/soc2-type2/marcus--advocacy.md")
    # His take from the brief opens his share; his intro waits for another campaign.
    assert marcus.body.startswith("Half my renewal calls this year started with")
    assert "https://acme-security.example.com/blog/soc2-type2" in marcus.body
    assert "(I work at Acme Security.)" in marcus.body
    assert marcus.meta.claims == ["soc2-type2"]


def test_voices_keep_drafts_of_one_brief_apart(workspace: Path) -> None:
    """The company message is shared by design; the person's intro, audience line, sign-off
    and hashtags must keep every pair well under the resharing threshold (0.8)."""
    draft(workspace, "soc2-type2", "hiring-q1")
    report = lint_paths(load_workspace(workspace), today=TODAY)
    assert report.files == 14
    assert "duplicate.resharing" not in {f.rule for f in report.findings}
    for brief in ("soc2-type2", "hiring-q1"):
        texts = {
            p: t.split("---", 2)[2]
            for p, t in posts(workspace).items()
            if f"/{brief}/" in p and "--advocacy" in p
        }
        fingerprints = [shingles(t) for t in texts.values()]
        for i, first in enumerate(fingerprints):
            for second in fingerprints[i + 1 :]:
                assert similarity(first, second) < 0.6


def test_draft_reports_near_copies_of_an_existing_post(workspace: Path) -> None:
    (workspace / "templates").mkdir()
    # An override that gives everyone the first wording, whatever their variant.
    (workspace / "templates" / "advocacy.md.j2").write_text("{{ brief.advocacy.variants[0] }}\n")
    rows = draft(workspace, program="advocacy")
    flagged = {
        row.job.participant
        for row in rows
        if any(f.rule == "duplicate.resharing" for f in row.findings)
    }
    assert flagged == {"alice", "marcus", "dan"}


def test_drafts_are_deterministic(workspace: Path) -> None:
    draft(workspace)
    first = posts(workspace)
    rows = draft(workspace)
    assert {row.status for row in rows} == {"unchanged"}
    assert posts(workspace) == first


def test_participant_and_program_filters(workspace: Path, bb: BB) -> None:
    rows = draft(workspace, participants=("alice",), program="thought-leadership")
    assert [row.job.path for row in rows] == ["posts/soc2-type2/alice--thought-leadership.md"]
    result = bb("draft", "soc2-type2", "-p", "alcie", cwd=workspace)
    assert result.code == 2 and "did you mean 'alice'" in result.err
    result = bb("draft", "soc2-type2", "-p", "priya", cwd=workspace)
    assert result.code == 2 and "not in brief soc2-type2" in result.err
    result = bb("draft", "soc2-type2", "-p", "sam", "--program", "advocacy", cwd=workspace)
    assert result.code == 2 and "nothing to draft" in result.err
    assert bb("draft", "briefs/nope.yaml", cwd=workspace).code == 2


def test_a_persons_edits_are_never_overwritten(workspace: Path, bb: BB) -> None:
    draft(workspace, participants=("alice",))
    path = workspace / "posts/soc2-type2/alice--advocacy.md"
    edited = path.read_text().replace("Floors, not ceilings.", "My own words.")
    path.write_text(edited)
    result = bb("draft", "soc2-type2", "-p", "alice", cwd=workspace)
    assert result.code == 0
    assert "skipped posts/soc2-type2/alice--advocacy.md: a person edited it" in result.out
    assert path.read_text() == edited
    forced = bb("draft", "soc2-type2", "-p", "alice", "--force", cwd=workspace)
    assert forced.code == 0 and "1 updated" in forced.out
    assert "My own words." not in path.read_text()  # --force overwrites their edits


def test_hand_written_posts_are_never_overwritten(workspace: Path) -> None:
    path = workspace / "posts/soc2-type2/alice--advocacy.md"
    path.parent.mkdir(parents=True)
    path.write_text(
        "---\nbrief: soc2-type2\nparticipant: alice\nprogram: advocacy\n"
        "channel: linkedin\n---\nWritten by Alice herself.\n"
    )
    [row] = draft(workspace, participants=("alice",), program="advocacy")
    assert row.status == "skipped"
    assert "Written by Alice herself." in path.read_text()


def test_approved_posts_are_never_overwritten(tmp_path: Path, bb: BB) -> None:
    from support.team import make_team

    team = make_team(tmp_path)
    root = team.root
    draft(root, participants=("alice",), program="advocacy")
    rel = "posts/soc2-type2/alice--advocacy.md"
    team.act_as("maria@example.com")
    git(root, "add", "-A")
    git(root, "commit", "-qS", "-m", "drafts")
    forged = team.commit_decision("maria@example.com", rel, "approve", "marketing", sign=False)
    workspace_brief = root / "briefs" / "soc2-type2.yaml"
    workspace_brief.write_text(workspace_brief.read_text().replace("Type II", "Type 2"))
    [row] = draft(root, participants=("alice",), program="advocacy")
    assert row.status == "updated", "an unsigned, forged approval protects nothing"
    git(root, "reset", "-q", "--hard", forged)
    git(root, "reset", "-q", "--hard", "HEAD~1")
    assert bb("approve", rel, cwd=root).code == 0
    workspace_brief.write_text(workspace_brief.read_text().replace("Type II", "Type 2"))
    [row] = draft(root, participants=("alice",), program="advocacy")
    assert row.status == "skipped" and "approval" in row.reason
    [row] = draft(root, participants=("alice",), program="advocacy", force=True)
    assert row.status == "updated"


def test_dry_run_writes_nothing(workspace: Path, bb: BB) -> None:
    result = bb("draft", "soc2-type2", "--dry-run", cwd=workspace)
    assert result.code == 0
    assert "── posts/soc2-type2/alice--advocacy.md" in result.out
    assert "would write" in result.out
    assert not (workspace / "posts").exists()
    # the posts as they would be written: no markup escapes, no "next step" for nothing written
    assert "brief: soc2-type2" in result.out and "\\[" not in result.out
    assert "nothing was written (--dry-run)" in result.out
    assert "Next: bb review" not in result.out and "<brief>" not in result.out


def test_the_summary_names_the_real_folder(workspace: Path, bb: BB) -> None:
    result = bb("draft", "soc2-type2", cwd=workspace)
    assert "Drafts are in posts/soc2-type2/" in result.out and "<brief>" not in result.out


def test_workspace_template_overrides_and_errors(workspace: Path, bb: BB) -> None:
    (workspace / "templates").mkdir()
    (workspace / "templates" / "advocacy.md.j2").write_text(
        "{{ person.name }} shares: {{ section.message }}\n"
    )
    draft(workspace, participants=("alice",), program="advocacy")
    body = load_post(workspace, "posts/soc2-type2/alice--advocacy.md").body
    wordings = load_workspace(workspace).briefs["soc2-type2"].advocacy.variants
    assert body.startswith("Alice Chen shares: ")
    assert body.removeprefix("Alice Chen shares: ").strip() in wordings
    (workspace / "templates" / "advocacy.md.j2").write_text("Hi\n{{ person.nickname }}\n")
    result = bb("draft", "soc2-type2", "--force", cwd=workspace)
    assert result.code == 2
    assert "advocacy.md.j2, line 2" in result.err and "nickname" in result.err
    (workspace / "templates" / "advocacy.md.j2").write_text("{% if %}\n")
    result = bb("draft", "soc2-type2", "--force", cwd=workspace)
    assert result.code == 2 and "advocacy.md.j2, line 1" in result.err


def test_piped_summary_keeps_whole_cells(
    workspace: Path, bb: BB, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "60")  # a narrow pipe must not cut a cell either
    result = bb("draft", "soc2-type2", cwd=workspace)  # captured: not a terminal
    assert "…" not in result.out
    assert "soc2-type2  alice" in result.out and "thought-leadership" in result.out


def test_the_summary_tells_redrafted_from_new(workspace: Path, bb: BB) -> None:
    first = bb("draft", "soc2-type2", cwd=workspace)
    assert "7 written, 0 unchanged" in first.out and "updated" not in first.out
    brief = workspace / "briefs" / "soc2-type2.yaml"
    brief.write_text(brief.read_text().replace("Type II", "Type 2"))  # the wordings changed
    second = bb("draft", "soc2-type2", cwd=workspace)
    assert second.code == 0
    assert "0 written, 3 updated, 4 unchanged" in second.out, second.out
