"""Topic pillars (selection, validate, program.off-pillar, the report) and the briefing step."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from bloomberry_cli.drafting.draft import DraftOptions, draft_briefs
from bloomberry_cli.drafting.selection import plan_jobs
from bloomberry_cli.governance.lint import lint_paths
from bloomberry_cli.posts import load_post, published_text
from bloomberry_cli.program.report import build_report
from bloomberry_cli.workspace import load_workspace
from conftest import BB, git
from support.team import Team, make_team, write_post

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 25)
ACCESS_TL = "posts/access-reviews/alice--thought-leadership.md"


def draft(root: Path, *briefs: str, **options) -> list:
    return draft_briefs(load_workspace(root), briefs, DraftOptions(**options), today=TODAY, now=NOW)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def findings(root: Path, rule: str) -> list:
    report = lint_paths(load_workspace(root), [root / "posts"], today=TODAY)
    return [f for f in report.findings if f.rule == rule]


# pillars: selection and validate ------------------------------------------------------------


def test_a_brief_selects_everyone_with_a_pillar_ignoring_case(workspace: Path) -> None:
    edit(workspace / "briefs" / "access-reviews.yaml", "- pillar: security", "- pillar: Security")
    jobs = plan_jobs(load_workspace(workspace), "access-reviews")
    assert [(j.participant, j.program) for j in jobs] == [
        ("alice", "thought-leadership"),
        ("sam", "thought-leadership"),
    ]
    # the notes given by id win over the pillar entry, which has none
    assert jobs[1].notes[0].startswith("Making prod access expire by default")


def test_a_pillar_nobody_holds_is_a_validate_error(workspace: Path, bb: BB) -> None:
    edit(workspace / "briefs" / "access-reviews.yaml", "- pillar: security", "- pillar: securty")
    result = bb("validate", cwd=workspace)
    assert result.code == 2
    assert "briefs/access-reviews.yaml:16:13" in result.err
    assert "no participant has pillar 'securty'" in result.err
    assert "did you mean 'security'" in result.err


def test_a_selector_gives_one_way_only(workspace: Path, bb: BB) -> None:
    edit(
        workspace / "briefs" / "access-reviews.yaml",
        "- pillar: security",
        "- {pillar: security, role: VP Security}",
    )
    result = bb("validate", cwd=workspace)
    assert result.code == 2 and "give exactly one of id, role, team, tag or pillar" in result.err


def test_validate_warns_about_unused_pillars_and_tl_people_without_any(
    workspace: Path, bb: BB
) -> None:
    edit(
        workspace / "voices" / "alice.yaml",
        "pillars: [security, compliance]",
        "pillars: [security, kubernetes]",
    )
    edit(workspace / "voices" / "sam.yaml", "pillars: [security, engineering]\n", "")
    result = bb("validate", cwd=workspace)
    assert result.code == 0, result.err  # advice, not failure
    assert (
        "voices/alice.yaml:7:21: pillars → 1: no brief or campaign uses the pillar "
        "'kubernetes'" in result.err
    )
    assert (
        "voices/sam.yaml:7:11: programs: sam writes thought leadership but has no pillars"
        in result.err
    )
    # an advocacy-only participant needs none
    edit(
        workspace / "voices" / "sam.yaml", "programs: [thought-leadership]", "programs: [advocacy]"
    )
    assert "voices/sam.yaml" not in bb("validate", cwd=workspace).err


# program.off-pillar -------------------------------------------------------------------------


def test_off_pillar_is_info_for_a_thought_leadership_post_only(workspace: Path, bb: BB) -> None:
    draft(workspace, "soc2-type2")
    [found] = findings(workspace, "program.off-pillar")
    assert found.path == "posts/soc2-type2/dan--thought-leadership.md"
    assert found.severity == "info"
    assert "none of dan's pillars (culture, hiring)" in found.message
    # Dan's advocacy share on the same brief is not judged: pillars are about his own posts
    result = bb("lint", "posts/soc2-type2/dan--advocacy.md", cwd=workspace)
    assert "off-pillar" not in result.out


def test_off_pillar_is_configurable_and_never_fails_by_default(workspace: Path, bb: BB) -> None:
    draft(workspace, "soc2-type2")
    rel = "posts/soc2-type2/dan--thought-leadership.md"
    body = (workspace / rel).read_text().split("---\n", 2)
    (workspace / rel).write_text(f"---\n{body[1]}---\nA finished post of Dan's own.\n")
    assert bb("lint", rel, cwd=workspace).code == 0  # info only
    config = workspace / "bloomberry.yaml"
    config.write_text(config.read_text() + "  rules: {program.off-pillar: warning}\n")
    result = bb("lint", rel, "--fail-on", "warning", "--format", "json", cwd=workspace)
    assert result.code == 1
    [found] = json.loads(result.out)["findings"]
    assert (found["rule"], found["severity"]) == ("program.off-pillar", "warning")
    config.write_text(
        config.read_text().replace("program.off-pillar: warning", "program.off-pillar: off")
    )
    assert json.loads(bb("lint", rel, "--format", "json", cwd=workspace).out)["findings"] == []
    assert "program.off-pillar" in bb("lint", "--list-rules", cwd=workspace).out


def test_a_person_without_pillars_or_a_post_without_topics_is_not_judged(workspace: Path) -> None:
    edit(workspace / "voices" / "dan.yaml", "pillars: [culture, hiring]\n", "")
    draft(workspace, "soc2-type2")
    assert findings(workspace, "program.off-pillar") == []
    edit(workspace / "voices" / "dan.yaml", "tags:", "pillars: [culture]\ntags:")
    rel = workspace / "posts/soc2-type2/dan--thought-leadership.md"
    edit(rel, "topics: [soc2, compliance, security]\n", "")
    edit(workspace / "briefs" / "soc2-type2.yaml", "topics: [soc2, compliance, security]\n", "")
    assert findings(workspace, "program.off-pillar") == []


# the report and status --participants --------------------------------------------------------


@pytest.fixture
def team(tmp_path: Path) -> Team:
    return make_team(tmp_path)


def publish_tl(team: Team, bb: BB, participant: str, brief: str, day: str) -> None:
    rel = write_post(
        team, participant=participant, brief=brief, body=f"An observation of {participant}'s own.\n"
    )
    stages = json.loads(bb("status", "--format", "json", cwd=team.root).out)
    post = next(p for p in stages["posts"] if p["path"] == rel)
    for stage in post["stages"]:
        team.act_as(f"{participant}@example.com" if stage == "author" else "maria@example.com")
        result = bb("approve", rel, "--stage", stage, cwd=team.root)
        assert result.code == 0, result.err
    team.act_as(f"{participant}@example.com")
    assert (
        bb("publish", rel, "--url", f"https://x.example/{rel}", "--at", day, cwd=team.root).code
        == 0
    )


def test_report_counts_original_posts_per_pillar_and_shows_the_gaps(
    team: Team, bb: BB, tmp_path: Path
) -> None:
    today = dt.date.today()  # `bb report` counts the 90 days up to today
    publish_tl(team, bb, "alice", "soc2-type2", str(today - dt.timedelta(days=3)))
    publish_tl(team, bb, "marcus", "soc2-type2", str(today - dt.timedelta(days=120)))  # too old
    report = build_report(load_workspace(team.root), today)
    people = {c.participant: c for c in report.cadence}
    # the post carries no topics: its brief's (soc2, compliance, security) count
    assert people["alice"].pillars == {"security": 1, "compliance": 1}
    assert people["marcus"].pillars == {"compliance": 0}
    assert people["dan"].quiet_pillars == ["culture", "hiring"]
    coverage = {p.pillar: p for p in report.pillars}
    assert coverage["security"].active == ("alice",)
    assert coverage["security"].holders == ("alice", "sam")
    assert coverage["hiring"].uncovered and coverage["hiring"].holders == ("dan", "priya")
    assert coverage["soc2"].uncovered and coverage["soc2"].holders == ()  # a topic nobody holds
    assert not coverage["compliance"].uncovered

    page = tmp_path / "report.html"
    result = bb("report", "--html", str(page), cwd=team.root)
    assert result.code == 0, result.err
    assert "original posts per pillar" in result.out
    assert "Pillars with no active voice" in result.out
    assert "soc2: nobody holds it" in result.out
    assert "hiring: held by dan, priya" in result.out
    assert "No recent post on a pillar" in result.out
    assert "Marcus Webb: compliance" in result.out
    html = page.read_text()
    assert "Original posts per pillar" in html and "security 1, compliance 1" in html

    status = json.loads(bb("status", "--participants", "--format", "json", cwd=team.root).out)
    mine = {p["participant"]: p["pillars"] for p in status["participants"]}
    assert mine["dan"] == {"culture": 0, "hiring": 0}
    assert "original posts per pillar" in bb("status", "--participants", cwd=team.root).out


# the briefing step --------------------------------------------------------------------------


def test_a_tl_draft_inside_another_campaign_is_briefed(workspace: Path, bb: BB) -> None:
    result = bb("draft", "briefs/access-reviews.yaml", cwd=workspace)
    assert result.code == 0, result.err
    assert "2 drafts briefed" in result.out
    assert f"{ACCESS_TL}: soc2-launch" in result.out
    post = load_post(workspace, ACCESS_TL)
    [briefing] = post.meta.briefing
    assert (briefing.campaign, briefing.start, briefing.end, briefing.owner) == (
        "soc2-launch",
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 14),
        "maria@example.com",
    )
    assert briefing.topics == ["security"]
    assert briefing.messages == [
        "We just earned SOC 2 Type II certification, a milestone that "
        "reflects how seriously our team takes security at every "
        "layer of the product."
    ]
    assert [(c.id, c.text) for c in briefing.claims] == [("soc2-type2", "SOC 2 Type II certified")]
    text = published_text(post)
    assert "soc2-launch" not in text and "We just earned" not in text
    drafted = json.loads(
        bb("draft", "briefs/access-reviews.yaml", "--format", "json", cwd=workspace).out
    )
    assert {d["path"]: d["briefing"] for d in drafted["drafts"]}[ACCESS_TL] == ["soc2-launch"]
    assert {d["status"] for d in drafted["drafts"]} == {"unchanged"}  # the block round-trips


def test_no_briefing_outside_the_window_for_the_campaigns_own_brief_or_advocacy(
    workspace: Path,
) -> None:
    draft(workspace, "soc2-type2")  # the campaign's own brief: written with it in view
    for path in (workspace / "posts" / "soc2-type2").glob("*.md"):
        assert "briefing" not in path.read_text(), path
    edit(
        workspace / "briefs" / "access-reviews.yaml",
        "scheduled: 2026-12-09",
        "scheduled: 2026-12-15",
    )  # the day after the campaign ends
    draft(workspace, "access-reviews")
    assert "briefing" not in (workspace / ACCESS_TL).read_text()
    assert load_post(workspace, ACCESS_TL).meta.briefing == []


def test_a_new_campaign_updates_the_briefing_of_an_untouched_draft(workspace: Path) -> None:
    edit(
        workspace / "briefs" / "access-reviews.yaml",
        "scheduled: 2026-12-09",
        "scheduled: 2026-12-20",
    )
    draft(workspace, "access-reviews")
    assert load_post(workspace, ACCESS_TL).meta.briefing == []
    calendar = workspace / "calendar.yaml"
    calendar.write_text(
        calendar.read_text()
        + """  - id: access-week
    program: advocacy
    start: 2026-12-18
    end: 2026-12-22
    owner: jordan@example.com
    topics: [Engineering]
"""
    )
    rows = {row.job.path: row for row in draft(workspace, "access-reviews")}
    assert rows[ACCESS_TL].status == "updated"
    [briefing] = load_post(workspace, ACCESS_TL).meta.briefing
    assert (briefing.campaign, briefing.owner, briefing.topics) == (
        "access-week",
        "jordan@example.com",
        ["engineering"],
    )
    assert briefing.messages == [] and briefing.claims == []  # no brief of its own yet


def test_the_llm_prompt_carries_the_briefing(workspace: Path) -> None:
    from bloomberry_cli.drafting.prompt import build_prompt
    from bloomberry_cli.drafting.template_engine import make_environment

    loaded = load_workspace(workspace)
    environment = make_environment(loaded)
    [briefed, *_] = plan_jobs(loaded, "access-reviews")
    user = build_prompt(loaded, environment, briefed).messages[-1]["content"]
    assert "## Briefing: what Acme Security is saying while this post goes out" in user
    assert "campaign soc2-launch (2026-12-01 to 2026-12-14, owner maria@example.com)" in user
    assert "Company claim: SOC 2 Type II certified" in user
    assert "may disagree, but not contradict the company's claims without saying so" in user
    own = next(j for j in plan_jobs(loaded, "soc2-type2") if j.program == "thought-leadership")
    assert "Briefing" not in build_prompt(loaded, environment, own).messages[-1]["content"]


def test_review_shows_the_briefing_above_the_post_and_export_leaves_it_out(
    team: Team, bb: BB
) -> None:
    from bloomberry_cli.cli.review_cmd import ReviewLoop
    from support.keys import ScriptedIO

    draft(team.root, "access-reviews", participants=("alice",))
    team.act_as("maria@example.com")
    git(team.root, "add", "-A")
    git(team.root, "commit", "-qS", "-m", "drafts")
    console = Console(file=io.StringIO(), width=100, height=40, record=True, force_terminal=False)
    ReviewLoop(load_workspace(team.root), console, ScriptedIO("a")).run()
    screen = console.export_text()
    assert "briefing: soc2-launch runs 2026-12-01→2026-12-14 on security" in screen
    assert "company says: We just earned SOC 2 Type II certification" in screen
    assert screen.index("briefing: soc2-launch") < screen.index("Here's what nobody tells you")
    for stage, who in (("campaign-owner", "maria"), ("author", "alice")):
        team.act_as(f"{who}@example.com")
        result = bb("approve", ACCESS_TL, "--stage", stage, cwd=team.root)
        assert result.code == 0, result.err
    exported = json.loads(bb("export", "--format", "json", cwd=team.root).out)["posts"]
    [post] = [p for p in exported if p["path"] == ACCESS_TL]
    assert post["text"].startswith("Here's what nobody tells you")
    assert "soc2-launch" not in json.dumps(post) and "We just earned" not in json.dumps(post)
    assert "briefing" not in bb("export", cwd=team.root).out
