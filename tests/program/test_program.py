"""Running both programs: calendar, publishing, export, metrics, KPIs, ratio, advice."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path

import icalendar
import pytest

from bloomberry_cli.program.advice import QUESTIONS, advise, questions_needed
from bloomberry_cli.program.cadence import cadence, publications
from bloomberry_cli.program.calendar import campaign_overlaps
from bloomberry_cli.program.calendar_overview import calendar_overview
from bloomberry_cli.program.report import build_report
from bloomberry_cli.workspace import load_workspace
from conftest import BB, git
from support.team import Team, make_team, write_post


@pytest.fixture(autouse=True)
def publications_in_the_past(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests publish on the example's December 2026 and January 2027 dates: bb publish
    refuses a time after now, so now is set past them (BB_NOW is read only by bb publish)."""
    monkeypatch.setenv("BB_NOW", "2027-06-30T12:00:00Z")


@pytest.fixture
def team(tmp_path: Path) -> Team:
    return make_team(tmp_path)


def approve_fully(team: Team, bb: BB, rel: str, author: str = "alice@example.com") -> None:
    team.act_as("maria@example.com")
    assert bb("approve", rel, cwd=team.root).code == 0
    team.act_as(author)
    result = bb("approve", rel, cwd=team.root)
    assert result.code == 0, result.err


# calendar ------------------------------------------------------------------------------------


def test_overlapping_campaigns_on_shared_topics(team: Team, bb: BB) -> None:
    calendar = team.root / "calendar.yaml"
    calendar.write_text(
        calendar.read_text()
        + """  - id: compliance-webinar
    program: advocacy
    start: 2026-12-10
    end: 2026-12-20
    owner: jordan@example.com
    topics: [compliance]
  - id: unrelated
    program: advocacy
    start: 2026-12-10
    end: 2026-12-20
    owner: jordan@example.com
    topics: [gardening]
"""
    )
    [overlap] = campaign_overlaps(load_workspace(team.root).calendar)
    assert {overlap.first.id, overlap.second.id} == {"soc2-launch", "compliance-webinar"}
    assert (overlap.start, overlap.end, overlap.topics) == (
        dt.date(2026, 12, 10),
        dt.date(2026, 12, 14),
        ("compliance",),
    )
    result = bb("calendar", cwd=team.root)
    assert result.code == 0
    assert (
        "soc2-launch and compliance-webinar overlap 2026-12-10 → 2026-12-14 on compliance"
        in result.out
    )
    assert "soc2-launch" in result.out.splitlines()[3] and "██" in result.out


def test_ics_file_parses_back(team: Team, bb: BB, tmp_path: Path) -> None:
    target = tmp_path / "campaigns.ics"
    assert bb("calendar", "--ics", str(target), cwd=team.root).code == 0
    parsed = icalendar.Calendar.from_ical(target.read_bytes())
    events = {str(e.get("uid")): e for e in parsed.walk("VEVENT")}
    soc2 = events["soc2-launch@bb.campaigns"]
    assert soc2.decoded("dtstart") == dt.date(2026, 12, 1)
    assert soc2.decoded("dtend") == dt.date(2026, 12, 15)  # exclusive: the 14th is included
    assert "SOC 2" in str(soc2.get("summary"))
    assert "Owner: maria@example.com" in str(soc2.get("description"))
    assert b"\r\n" in target.read_bytes()


def test_tl_post_in_another_campaign_needs_its_owner(team: Team, bb: BB) -> None:
    brief = team.root / "briefs" / "access.yaml"
    brief.write_text(
        "title: Access reviews\ntopics: [security]\nscheduled: 2026-12-14\n"
        "thought-leadership:\n  angle: a\nparticipants:\n  - id: alice\n"
    )
    team.act_as("maria@example.com")
    git(team.root, "add", "-A")
    git(team.root, "commit", "-qS", "-m", "brief")
    rel = "posts/access/alice--thought-leadership.md"
    (team.root / rel).parent.mkdir(parents=True)
    (team.root / rel).write_text(
        "---\nbrief: access\nparticipant: alice\nprogram: "
        "thought-leadership\nchannel: linkedin\n---\nAccess reviews.\n"
    )
    git(team.root, "add", rel)
    git(team.root, "commit", "-qS", "-m", "draft")
    stages = json.loads(bb("status", "--format", "json", cwd=team.root).out)["posts"][0]["stages"]
    assert list(stages) == ["marketing", "campaign-owner", "author"]
    team.act_as("jordan@example.com")
    assert bb("approve", rel, cwd=team.root).code == 0  # marketing
    result = bb("approve", rel, "--stage", "campaign-owner", cwd=team.root)
    assert result.code == 1 and "do not hold the campaign-owner role" in result.err
    team.act_as("maria@example.com")  # owner of soc2-launch
    assert bb("approve", rel, cwd=team.root).code == 0
    team.act_as("alice@example.com")
    assert bb("approve", rel, cwd=team.root).code == 0
    post = json.loads(bb("status", "--format", "json", cwd=team.root).out)["posts"][0]
    assert post["state"] == "approved"
    assert json.loads(bb("audit", "--format", "json", cwd=team.root).out)["ok"]


def test_calendar_overview_counts_posts_per_brief_and_finds_posts_in_other_campaigns(
    team: Team, bb: BB
) -> None:
    write_post(team)
    write_post(team, participant="marcus", program="advocacy")
    (team.root / "briefs" / "access.yaml").write_text(
        "title: Access reviews\ntopics: [security]\nscheduled: 2026-12-14\n"
        "thought-leadership:\n  angle: a\nparticipants:\n  - id: alice\n"
    )
    write_post(team, brief="access")
    team.act_as("maria@example.com")
    assert bb("approve", "posts/soc2-type2/alice--thought-leadership.md", cwd=team.root).code == 0
    overview = calendar_overview(load_workspace(team.root), dt.date(2026, 12, 5))
    [soc2] = [c for c in overview.campaigns if c.campaign.id == "soc2-launch"]
    progress = {b.brief: b.states for b in soc2.briefs}
    assert progress["soc2-type2"] == {"draft": 1, "in-review": 1}
    [conflict] = overview.post_conflicts
    assert (conflict.path, conflict.day) == (
        "posts/access/alice--thought-leadership.md",
        dt.date(2026, 12, 14),
    )
    assert conflict.conflict.campaign.owner == "maria@example.com"
    assert overview.has_conflicts and overview.timeline.today_week is not None
    result = bb("calendar", cwd=team.root)
    assert "  soc2-type2: 1 draft, 1 in-review" in result.out
    assert (
        "  posts/access/alice--thought-leadership.md (2026-12-14) falls inside soc2-launch on "
        "security: needs maria@example.com's approval" in result.out
    )


# publish and export -------------------------------------------------------------------------


def test_publish_requires_every_stage_and_unchanged_content(team: Team, bb: BB) -> None:
    rel = write_post(team)
    team.act_as("alice@example.com")
    result = bb("publish", rel, "--url", "https://linkedin.example/p/1", cwd=team.root)
    assert result.code == 1 and "waiting for marketing, author" in result.err
    approve_fully(team, bb, rel)
    write_post(team, body="Edited after approval.\n")
    team.act_as("alice@example.com")
    result = bb("publish", rel, "--url", "https://linkedin.example/p/1", cwd=team.root)
    assert result.code == 1 and "state stale" in result.err
    approve_fully(team, bb, rel)
    assert (
        bb(
            "publish",
            rel,
            "--url",
            "https://linkedin.example/p/1",
            "--at",
            "2026-12-03T10:00",
            cwd=team.root,
        ).code
        == 0
    )
    post = json.loads(bb("status", "--format", "json", cwd=team.root).out)["posts"][0]
    assert post["state"] == "published"
    message = git(team.root, "log", "-1", "--format=%B")
    assert "Bb-Url: https://linkedin.example/p/1" in message
    assert "Bb-Published-At: 2026-12-03T10:00:00Z" in message
    assert json.loads(bb("audit", "--format", "json", cwd=team.root).out)["ok"]
    again = bb("publish", rel, "--url", "https://x.example/2", cwd=team.root)
    assert again.code == 1 and "already recorded" in again.err


def test_publishing_before_approval_fails_the_audit(team: Team, bb: BB) -> None:
    rel = write_post(team)
    team.commit_decision("alice@example.com", rel, "publish", "publish")
    rules = [
        v["rule"]
        for v in json.loads(bb("audit", "--format", "json", cwd=team.root).out)["violations"]
    ]
    assert rules == ["stage.order"]


def test_export_lists_approved_unpublished_posts(team: Team, bb: BB) -> None:
    first = write_post(team)
    second = write_post(team, participant="marcus")
    approve_fully(team, bb, first)
    result = bb("export", cwd=team.root)
    lines = result.out.splitlines()
    assert lines[0] == "Text,Image URL,Tags,Posting Time"
    assert len(lines) == 2 and "What the audit taught us" in lines[1]
    assert lines[1].endswith("2026-12-02 09:00")
    document = json.loads(bb("export", "--format", "json", cwd=team.root).out)
    assert [p["path"] for p in document["posts"]] == [first]
    assert second not in result.out
    team.act_as("alice@example.com")
    bb("publish", first, "--url", "https://linkedin.example/p/9", cwd=team.root)
    assert bb("export", cwd=team.root).out.splitlines() == ["Text,Image URL,Tags,Posting Time"]


# metrics ------------------------------------------------------------------------------------

HEADER = "post,date,impressions,reactions,comments,reposts,clicks,inbound,pipeline\n"


def test_metrics_import_is_idempotent_and_keeps_unmatched_rows(
    team: Team, bb: BB, tmp_path: Path
) -> None:
    rel = write_post(team)
    approve_fully(team, bb, rel)
    team.act_as("alice@example.com")
    bb("publish", rel, "--url", "https://linkedin.example/p/1", cwd=team.root)
    data = tmp_path / "m.csv"
    data.write_text(
        HEADER + f"{rel},2026-12-03,1000,40,12,3,20,1,5000\n"
        "https://linkedin.example/p/1,2026-12-04,500,10,5,1,4,0,0\n"
        "https://elsewhere.example/x,2026-12-04,9,9,9,9,9,9,9\n"
    )
    result = bb("metrics", "import", str(data), cwd=team.root)
    assert result.code == 0, result.err
    assert "2 added, 0 updated, 0 unchanged" in result.out
    assert "1 row matches no post" in result.err and "line 4" in result.err
    assert "elsewhere.example" in (team.root / "metrics" / "unmatched.csv").read_text()
    stored = (team.root / "metrics" / "metrics.csv").read_text()
    assert stored.count(rel) == 2
    again = bb("metrics", "import", str(data), cwd=team.root)
    assert "0 added, 0 updated, 2 unchanged" in again.out
    assert (team.root / "metrics" / "metrics.csv").read_text() == stored


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            "post,date,impressions\nposts/x.md,2026-12-01,5\n",
            "missing columns reactions, comments, reposts, clicks (found",
        ),
        (HEADER + "{rel},2026-12-03,1,1,1,1,1,1,$1,000\n", "m.csv:2: 10 values but 9 columns"),
        (
            HEADER + "{rel},2026-12-03,-5,1,1,1,1,1,1\n",
            "m.csv:2: impressions: '-5' is not a whole number of 0 or more",
        ),
        (
            HEADER + "{rel},2026-12-03,5,1.5,1,1,1,1,1\n",
            "m.csv:2: reactions: '1.5' is not a whole number of 0 or more",
        ),
        (HEADER + "{rel},03/12/2026,1,1,1,1,1,1,1\n", "m.csv:2: date: '03/12/2026' is not a date"),
        (HEADER + "{rel},2026-12-03,lots,1,1,1,1,1,1\n", "impressions: 'lots' is not a number"),
        (
            HEADER + "{rel},2026-12-03,1,1,1,1,1,1,1\n{rel},2026-12-03,2,1,1,1,1,1,1\n",
            "m.csv:3: repeats line 2",
        ),
    ],
)
def test_bad_metrics_files_write_nothing(
    team: Team, bb: BB, tmp_path: Path, rows: str, message: str
) -> None:
    rel = write_post(team)
    data = tmp_path / "m.csv"
    data.write_text(rows.format(rel=rel))
    result = bb("metrics", "import", str(data), cwd=team.root)
    assert result.code == 2
    assert message in result.err
    assert not (team.root / "metrics").exists()


def test_metrics_columns_by_name_in_any_order_case_and_alias(
    team: Team, bb: BB, tmp_path: Path
) -> None:
    rel = write_post(team)
    data = tmp_path / "m.csv"
    data.write_text(
        f'Date,Likes,POST,Clicks,Shares,Comments,Impressions\n2026-12-03,7,{rel},2,3,4,"1,000"\n'
    )
    result = bb("metrics", "import", str(data), cwd=team.root)
    assert result.code == 0, result.err
    stored = (team.root / "metrics" / "metrics.csv").read_text().splitlines()
    assert stored[1] == f"{rel},2026-12-03,1000,7,4,3,2,0,0"


def test_identical_duplicate_rows_count_once(team: Team, bb: BB, tmp_path: Path) -> None:
    rel = write_post(team)
    data = tmp_path / "m.csv"
    data.write_text(HEADER + f"{rel},2026-12-03,1,1,1,1,1,1,1\n" * 2)
    result = bb("metrics", "import", str(data), cwd=team.root)
    assert result.code == 0 and "1 added" in result.out
    assert "line 3 repeats line 2; counted once" in result.err


# ratio, cadence and the report --------------------------------------------------------------


def test_ratio_over_a_window_that_crosses_the_year_end(team: Team, bb: BB) -> None:
    plan = [
        ("alice", "thought-leadership", "2026-12-20", "soc2-type2"),
        ("alice", "advocacy", "2026-12-28", "soc2-type2"),
        ("alice", "thought-leadership", "2027-01-05", "hiring-q1"),
        ("marcus", "advocacy", "2026-09-01", "soc2-type2"),
    ]  # outside the window
    for participant, program, day, brief in plan:
        body = (
            "Sharing our news. (I work at Acme Security.)\n"
            if program == "advocacy"
            else f"An observation from {day}.\n"
        )
        rel = write_post(team, participant=participant, program=program, body=body, brief=brief)
        approve_fully(team, bb, rel, f"{participant}@example.com")
        team.act_as(f"{participant}@example.com")
        assert (
            bb(
                "publish",
                rel,
                "--url",
                f"https://x.example/{participant}/{program}",
                "--at",
                day,
                cwd=team.root,
            ).code
            == 0
        )
    workspace = load_workspace(team.root)
    rows = {
        c.participant: c
        for c in cadence(workspace, publications(workspace), dt.date(2027, 1, 15), 90)
    }
    assert (rows["alice"].advocacy, rows["alice"].original) == (1, 2)
    assert rows["alice"].ratio_ok and rows["alice"].ratio_text == "1:2"
    assert (rows["marcus"].advocacy, rows["marcus"].original) == (0, 0)
    assert rows["alice"].target_original == 18.0  # 6 a month over 90 days
    narrow = {
        c.participant: c
        for c in cadence(workspace, publications(workspace), dt.date(2027, 1, 15), 20)
    }
    assert (narrow["alice"].advocacy, narrow["alice"].original) == (1, 1)
    assert not narrow["alice"].ratio_ok
    table = bb("status", "--participants", cwd=team.root)
    assert table.code == 0 and "Alice Chen" in table.out


def test_report_measures_the_programs_separately(team: Team, bb: BB, tmp_path: Path) -> None:
    tl = write_post(team)
    adv = write_post(
        team,
        participant="alice",
        program="advocacy",
        body="We are SOC 2 Type II certified. (I work at Acme Security.)\n",
    )
    for rel in (tl, adv):
        approve_fully(team, bb, rel)
        team.act_as("alice@example.com")
        assert (
            bb(
                "publish",
                rel,
                "--url",
                f"https://x.example/{rel[-25:]}",
                "--at",
                "2026-12-02",
                cwd=team.root,
            ).code
            == 0
        )
    data = tmp_path / "m.csv"
    data.write_text(
        HEADER + f"{tl},2026-12-03,1000,90,10,2,5,1,1000\n"
        f"{tl},2026-12-10,1000,10,20,4,5,2,0\n"
        f"{adv},2026-12-05,3000,50,1,1,10,0,0\n"
        f"{adv},2026-12-20,500,5,0,0,1,0,0\n"
    )
    assert bb("metrics", "import", str(data), cwd=team.root).code == 0
    report = build_report(load_workspace(team.root), dt.date(2026, 12, 31))
    soc2 = next(c for c in report.campaigns if c.campaign == "soc2-launch")
    assert (soc2.reach_in_window, soc2.reach_outside) == (3000, 500)
    assert soc2.invited == 3 and soc2.published_in_window == 1
    alice = next(p for p in report.people if p.participant == "alice")
    assert alice.quality == pytest.approx(1000 * (10 + 2 + 20 + 4) / 2000)
    assert (alice.inbound, alice.pipeline) == (3, 1000)
    assert alice.slope == pytest.approx(12.0)  # 12‰ then 24‰, a week apart
    page = tmp_path / "report.html"
    result = bb("report", "--html", str(page), cwd=team.root)
    assert result.code == 0 and "Thought leadership" in result.out
    html = page.read_text()
    assert "<svg" in html and "Alice Chen" in html and "SOC 2 Type II announcement" in html
    assert "<script" not in html and "src=" not in html and "href=" not in html


# the decision tree --------------------------------------------------------------------------

PATHS = [(True, None, None, None, both) for both in (True, False)] + [
    (False, trust, workflow, time, both)
    for trust, workflow, time, both in itertools.product((True, False), repeat=4)
]


@pytest.mark.parametrize("answers", PATHS)
def test_every_path_through_the_decision_tree(answers: tuple, bb: BB, tmp_path: Path) -> None:
    keys = [key for key, _ in QUESTIONS]
    given = {k: v for k, v in zip(keys, answers, strict=True) if v is not None}
    assert questions_needed(given) == []
    launch, trust, workflow, time, both = answers
    result = advise(given)
    expected = "advocacy" if launch or not workflow or not time else "thought-leadership"
    assert result.first == expected
    assert result.both is both
    text = " ".join(result.reasons)
    if launch:
        assert "launch within four weeks" in text
    elif trust:
        assert "trust" in text
    else:
        assert "founders and sales leadership" in text
    assert ("ninety days" in result.headline) is (not both)
    cli = ",".join("yes" if (v if v is not None else True) else "no" for v in answers)
    out = bb("advise", "--answers", cli, cwd=tmp_path)
    assert out.code == 0 and result.headline in out.out and "Next:" in out.out


def test_advise_needs_answers_outside_a_terminal(bb: BB, tmp_path: Path) -> None:
    result = bb("advise", cwd=tmp_path)
    assert result.code == 2 and "--answers" in result.err
    assert bb("advise", "--answers", "maybe", cwd=tmp_path).code == 2
