"""Issue 18, the rest of it: what a newcomer trips over in validate, draft, report and help."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import BB, git
from support.team import Team, make_team, write_post
from support.trail import two_clones


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


# -- bb validate --format json -------------------------------------------------------------


def test_validate_json_ok_lists_warnings_but_no_problems(bb: BB, workspace: Path) -> None:
    result = bb("validate", "--format", "json", cwd=workspace)
    assert result.code == 0
    document = json.loads(result.out)
    assert document["version"] == 1 and document["ok"] is True and document["problems"] == []
    assert "warnings" not in document  # the example has none
    # a pillar no brief or campaign uses is advice: a warning, never a problem
    _edit(
        workspace / "voices/alice.yaml",
        "pillars: [security, compliance]",
        "pillars: [security, compliance, gardening]",
    )
    result = bb("validate", "--format", "json", cwd=workspace)
    assert result.code == 0
    document = json.loads(result.out)
    assert document["ok"] is True and document["problems"] == []
    [warning] = document["warnings"]
    assert warning["path"] == "voices/alice.yaml" and "gardening" in warning["message"]
    assert isinstance(warning["line"], int)


def test_validate_json_reports_problems_with_positions(bb: BB, workspace: Path) -> None:
    _edit(workspace / "briefs/soc2-type2.yaml", "channel: linkedin", "chanel: linkedin")
    result = bb("validate", "-f", "json", cwd=workspace)
    assert result.code == 2
    document = json.loads(result.out)
    assert document["ok"] is False
    [problem] = document["problems"]
    assert set(problem) == {"path", "line", "column", "message"}
    assert problem["path"] == "briefs/soc2-type2.yaml" and problem["line"] == 5
    assert "unknown key 'chanel'" in problem["message"]


# -- marketing ops: a quote left open, briefs and campaigns that disagree, posts/ unwritable ------


def test_unclosed_quote_is_flagged_where_it_opens(bb: BB, workspace: Path) -> None:
    _edit(
        workspace / "briefs/soc2-type2.yaml",
        "title: SOC 2 Type II certification",
        'title: "SOC 2 Type II certification',
    )
    result = bb("validate", cwd=workspace)
    assert result.code == 2
    assert "briefs/soc2-type2.yaml:3:8" in result.err
    assert "probable unclosed quote" in result.err and "'campaign:'" in result.err
    # and drafting refuses too, instead of silently drafting only thought leadership
    assert bb("draft", "soc2-type2", cwd=workspace).code == 2
    assert not (workspace / "posts").exists()


def test_quoted_text_over_several_lines_is_not_a_slip(bb: BB, workspace: Path) -> None:
    _edit(
        workspace / "briefs/soc2-type2.yaml",
        "title: SOC 2 Type II certification",
        'title: "SOC 2 Type II\n  certification: done"',
    )
    result = bb("validate", cwd=workspace)
    assert result.code == 0, result.err


def test_a_campaign_brief_must_name_its_campaign(bb: BB, workspace: Path) -> None:
    _edit(workspace / "briefs/soc2-type2.yaml", "campaign: soc2-launch\n", "")
    result = bb("validate", "-f", "json", cwd=workspace)
    assert result.code == 2
    [problem] = json.loads(result.out)["problems"]
    assert problem["path"] == "calendar.yaml" and problem["line"] == 11
    assert "lists brief 'soc2-type2'" in problem["message"]
    assert "names no campaign" in problem["message"]


def test_a_brief_needs_a_program_section(bb: BB, workspace: Path) -> None:
    path = workspace / "briefs/access-reviews.yaml"
    text = path.read_text()
    start, end = text.index("thought-leadership:"), text.index("participants:")
    path.write_text(text[:start] + text[end:])
    result = bb("validate", cwd=workspace)
    assert result.code == 2
    assert "briefs/access-reviews.yaml" in result.err
    assert "needs an 'advocacy' or a 'thought-leadership' section" in result.err
    assert "Value error" not in result.err


def test_draft_into_a_posts_folder_it_cannot_write_exits_2(bb: BB, workspace: Path) -> None:
    posts = workspace / "posts"
    posts.mkdir()
    (posts / "soc2-type2").write_text("a file where the brief's folder goes\n")
    result = bb("draft", "soc2-type2", cwd=workspace)
    assert result.code == 2, result.err
    assert "nothing was drafted" in result.err
    assert "posts/soc2-type2: is a file, where a folder of drafts goes" in result.err
    assert "unexpected error" not in result.err


def test_draft_over_a_folder_where_a_post_goes_exits_2_writing_nothing(
    bb: BB, workspace: Path
) -> None:
    target = workspace / "posts/soc2-type2/alice--advocacy.md"
    target.mkdir(parents=True)  # a folder where the post goes
    result = bb("draft", "soc2-type2", cwd=workspace)
    assert result.code == 2, result.err
    assert "posts/soc2-type2/alice--advocacy.md: is a folder, where this draft's file" in (
        result.err
    )
    assert sorted(p.name for p in target.parent.iterdir()) == ["alice--advocacy.md"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through read-only folders")
def test_draft_into_a_read_only_posts_folder_exits_2(bb: BB, workspace: Path) -> None:
    posts = workspace / "posts"
    posts.mkdir()
    posts.chmod(0o555)
    try:
        result = bb("draft", "soc2-type2", cwd=workspace)
    finally:
        posts.chmod(0o755)
    assert result.code == 2, result.err
    assert "posts/soc2-type2" in result.err


# -- report wording, bb publish --at, piped output ----------------------------------------------


def _publish_alice(team: Team, bb: BB, monkeypatch: pytest.MonkeyPatch) -> str:
    rel = write_post(team)
    team.act_as("maria@example.com")
    assert bb("approve", rel, cwd=team.root).code == 0
    team.act_as("alice@example.com")
    assert bb("approve", rel, cwd=team.root).code == 0
    monkeypatch.setenv("BB_NOW", "2026-12-05T09:00:00Z")  # the example's dates are December
    assert (
        bb("publish", rel, "--url", "https://x.example/1", "--at", "2026-12-02", cwd=team.root).code
        == 0
    )
    return rel


def test_publish_refuses_a_time_in_the_future(
    tmp_path: Path, bb: BB, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = make_team(tmp_path)
    rel = write_post(team)
    team.act_as("maria@example.com")
    assert bb("approve", rel, cwd=team.root).code == 0
    team.act_as("alice@example.com")
    assert bb("approve", rel, cwd=team.root).code == 0
    monkeypatch.setenv("BB_NOW", "2026-11-26T12:00:00Z")
    result = bb("publish", rel, "--url", "https://x.example/1", "--at", "2026-12-02", cwd=team.root)
    assert result.code == 2 and "--at 2026-12-02 is in the future" in result.err
    assert "Bb-Url" not in git(team.root, "log", "-1", "--format=%B")  # nothing recorded
    result = bb(
        "publish", rel, "--url", "https://x.example/1", "--at", "2026-11-25T18:00", cwd=team.root
    )
    assert result.code == 0, result.err


def test_report_wording_and_html_dates(
    tmp_path: Path, bb: BB, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = make_team(tmp_path)
    rel = _publish_alice(team, bb, monkeypatch)
    metrics = tmp_path / "m.csv"
    metrics.write_text(
        "post,date,impressions,reactions,comments,reposts,clicks,inbound\n"
        f"{rel},2026-12-03,1000,5,10,1,3,2000\n"
    )
    assert bb("metrics", "import", str(metrics), cwd=team.root).code == 0
    page = tmp_path / "report.html"
    result = bb("report", "--html", str(page), cwd=team.root)
    assert result.code == 0, result.err
    html = page.read_text()
    assert "1 published post." in html
    assert ">2,000</text>" in html and "2,000.0" not in html  # a bar label, as a whole number
    assert "white-space:nowrap" in html and "<td class='when'>2026-12-01 – 2026-12-14" in html
    assert "no posts yet" in html  # people who posted nothing are not "on target" at 0:0
    assert "0:0</td><td>on target" not in html


def test_piped_report_is_plain_with_full_column_names(
    tmp_path: Path, bb: BB, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = make_team(tmp_path)
    _publish_alice(team, bb, monkeypatch)
    monkeypatch.setenv("COLUMNS", "60")  # a narrow pipe must not cut anything either
    result = bb("report", cwd=team.root)
    assert result.code == 0, result.err
    assert not set("┃━│─┏┡└┌╇") & set(result.out)
    for name in (
        "approval → share",
        "participation",
        "original posts per pillar",
        "original / target",
    ):
        assert name in result.out
    marcus = [line for line in result.out.splitlines() if line.startswith("Marcus")][-1]
    assert "no posts yet" in marcus and "on target" not in marcus


def test_piped_status_never_wraps_a_path(
    tmp_path: Path, bb: BB, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = make_team(tmp_path)
    rel = write_post(team, participant="alice", program="thought-leadership")
    monkeypatch.setenv("COLUMNS", "40")
    result = bb("status", cwd=team.root)
    assert result.code == 0, result.err
    [line] = [line for line in result.out.splitlines() if "alice--" in line]
    assert line.startswith(rel.removeprefix("posts/"))
    assert "draft" in line or "review" in line
    assert result.out.splitlines()[0].split() == ["post", "state", "stages", "lint"]


# -- help, completion -----------------------------------------------------------------------------


def _command_paths() -> list[list[str]]:
    import typer.main

    from bloomberry_cli.cli.app import app

    paths: list[list[str]] = []

    def walk(command: Any, path: list[str]) -> None:
        paths.append(path)
        if hasattr(command, "commands"):  # a group (typer has its own copy of click)
            for name, sub in command.commands.items():
                walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return paths


def test_help_shows_no_python_types_and_keeps_choices_whole(
    bb: BB, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    paths = _command_paths()
    assert ["metrics", "import"] in paths and ["schema"] in paths and len(paths) > 25
    leaks = ("<bool>", "<list[", "<int range>", "<str>", "<path>", "<int>", "<float>", "<Path>")
    for path in paths:
        result = bb(*path, "--help")
        assert result.code == 0, path
        assert not [leak for leak in leaks if leak in result.out], (path, result.out)
    schema = bb("schema", "--help").out
    assert "calendar" in schema and "ca\n" not in schema and "│ lendar" not in schema
    assert "N [1–64]" in bb("draft", "--help").out


def test_shell_completion_is_offered(bb: BB) -> None:
    result = bb("--help")
    assert "--install-completion" in result.out and "--show-completion" in result.out
    # What `--show-completion` prints for bash, asked the way the shell itself asks (it finds
    # the shell from the process tree, which a detached CI runner may not have).
    code = "import sys; sys.argv[0] = 'bb'; from bloomberry_cli.cli.main import entry; entry()"
    script = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "_BB_COMPLETE": "source_bash"},
        timeout=60,
    )
    assert script.returncode == 0 and "_BB_COMPLETE=complete_bash" in script.stdout


# -- messages in plain words ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("  jobs: 4", "  jobs: four", "'four' is not a whole number"),
        ("  jobs: 4", "  jobs: 2.5", "'2.5' is not a whole number"),
        ("  jobs: 4", "  jobs: 0", "must be more than 0"),
        ("  voice_threshold: 60", "  voice_threshold: 160", "must be at most 100"),
        (
            "  voice_threshold: 60",
            "  voice_threshold: [1]",
            "expected a whole number, found a list",
        ),
    ],
)
def test_problems_are_in_plain_words(
    bb: BB, workspace: Path, old: str, new: str, expected: str
) -> None:
    _edit(workspace / "bloomberry.yaml", old, new)
    result = bb("validate", cwd=workspace)
    assert result.code == 2
    assert expected in result.err
    for pydantic_words in ("Input should be", "Value error", "unable to parse", "[type="):
        assert pydantic_words not in result.err


def test_counts_read_right_in_the_singular(bb: BB, workspace: Path) -> None:
    for path in sorted((workspace / "briefs").glob("*.yaml"))[1:]:
        path.unlink()
    calendar = workspace / "calendar.yaml"
    calendar.write_text("campaigns: []\n")
    result = bb("validate", cwd=workspace)
    assert result.code == 0, result.err
    assert "1 brief," in result.out and "0 campaigns" in result.out and "1 briefs" not in result.out


# -- -q/--quiet ------------------------------------------------------------------------------------


def test_quiet_draft_prints_nothing_on_success_but_still_reports_failure(
    bb: BB, workspace: Path
) -> None:
    loud = bb("draft", "soc2-type2", cwd=workspace)
    assert loud.code == 0 and "written" in loud.out
    quiet = bb("draft", "soc2-type2", "--force", "-q", cwd=workspace)
    assert quiet.code == 0 and quiet.out == "" and quiet.err == ""
    (workspace / "posts/soc2-type2/alice--advocacy.md").unlink()
    (workspace / "posts/soc2-type2/alice--advocacy.md").mkdir()
    broken = bb("draft", "soc2-type2", "--quiet", cwd=workspace)
    assert broken.code == 2 and "alice--advocacy.md" in broken.err


def test_quiet_metrics_import_keeps_the_warnings(
    tmp_path: Path, bb: BB, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = make_team(tmp_path)
    rel = _publish_alice(team, bb, monkeypatch)
    metrics = tmp_path / "m.csv"
    metrics.write_text(
        "post,date,impressions,reactions,comments,reposts,clicks\n"
        f"{rel},2026-12-03,1000,5,10,1,3\n"
        "posts/nope/x--advocacy.md,2026-12-03,10,1,1,1,1\n"
    )
    result = bb("metrics", "import", "-q", str(metrics), cwd=team.root)
    assert result.code == 0, result.err
    assert result.out == "" and "1 row matches no post" in result.err


def test_quiet_sync_prints_nothing_when_all_is_well(tmp_path: Path, bb: BB) -> None:
    team = make_team(tmp_path)
    rel = write_post(team)
    clones = two_clones(team, tmp_path)
    assert bb("approve", rel, cwd=clones["maria"]).code == 0
    result = bb("sync", "-q", cwd=clones["maria"])
    assert result.code == 0, result.err
    assert result.out == ""
    assert "commit" in bb("sync", cwd=clones["jordan"]).out


def test_a_post_recorded_as_shared_before_its_approval_is_counted_apart(
    tmp_path: Path, bb: BB, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`bb publish --at` a day before the approvals: the report showed 'approval → share
    −148.7 h'. Such a share has no delay to count; the report says how many there were."""
    team = make_team(tmp_path)
    rel = write_post(team, program="advocacy")  # the campaign KPIs count advocacy shares
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-12-03T10:00:00Z")
    for email in ("maria@example.com", "alice@example.com"):
        team.act_as(email)
        assert bb("approve", rel, cwd=team.root).code == 0
    monkeypatch.setenv("BB_NOW", "2026-12-05T09:00:00Z")
    published = bb(
        "publish", rel, "--url", "https://x.example/1", "--at", "2026-12-02", cwd=team.root
    )
    assert published.code == 0, published.err
    result = bb("report", cwd=team.root)
    assert result.code == 0, result.err
    assert "(1 before approval)" in result.out, result.out
    soc2 = next(line for line in result.out.splitlines() if "(1 before approval)" in line)
    assert "–" in soc2 and "-1" not in soc2.replace("–", "")  # no negative delay
