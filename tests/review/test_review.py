"""`bb review`: the reviewer's terminal, driven by scripted keys and once in a real pty."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console

from bloomberry_cli.cli.review_cmd import ReviewLoop
from bloomberry_cli.workspace import load_workspace
from conftest import BB, git
from support.keys import ScriptedIO
from support.team import Team, review_team, write_post


def session(
    team: Team, email: str, keys: str, lines: list[str] | None = None, height: int = 25
) -> str:
    team.act_as(email)
    console = Console(
        file=io.StringIO(), width=80, height=height, record=True, force_terminal=False
    )
    ReviewLoop(load_workspace(team.root), console, ScriptedIO(keys, lines)).run()
    return console.export_text()


@pytest.fixture
def team(tmp_path: Path) -> Team:
    return review_team(tmp_path)


def subjects(team: Team) -> list[str]:
    return git(team.root, "log", "--format=%s").splitlines()


def test_marketing_approves_from_the_queue(team: Team) -> None:
    screen = session(team, "maria@example.com", "a")
    assert "alice · thought-leadership · stage marketing  (1/2)" in screen
    assert "What the audit taught us about access reviews." in screen
    assert "approve recorded (marketing)" in screen
    assert subjects(team)[0] == (
        "bb: approve posts/soc2-type2/alice--thought-leadership.md (marketing)"
    )


def test_reject_with_a_reason(team: Team) -> None:
    session(team, "maria@example.com", "nr", ["Not this week, sorry"])
    assert subjects(team)[0] == "bb: reject posts/soc2-type2/marcus--advocacy.md (marketing)"
    assert "Not this week, sorry" in git(team.root, "log", "-1", "--format=%B")


def test_no_reason_records_nothing(team: Team) -> None:
    before = subjects(team)
    screen = session(team, "maria@example.com", "c", [""])
    assert "No reason given; nothing recorded." in screen
    assert subjects(team) == before


def test_edit_that_adds_a_blocked_claim_blocks_approval(
    team: Team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\necho "Results are guaranteed: guaranteed ROI." >> "$1"\n')
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    before = subjects(team)
    screen = session(team, "maria@example.com", "ea")
    assert "Edited; lint ran again." in screen
    assert "'guaranteed ROI' is a blocked claim" in screen
    assert "Approve is not offered: 1 lint error." in screen
    assert "approve blocked" in screen
    assert subjects(team) == before


def test_the_employee_sees_their_post_only_after_marketing(team: Team) -> None:
    screen = session(team, "alice@example.com", "")
    assert "Nothing waits for you (alice@example.com" in screen
    session(team, "maria@example.com", "a")
    screen = session(team, "alice@example.com", "a")
    assert "stage author" in screen and "approve recorded (author)" in screen
    assert subjects(team)[0].endswith("alice--thought-leadership.md (author)")


def test_intro_line_for_advocacy(team: Team) -> None:
    session(team, "maria@example.com", "nia", ["Proud of this team."])
    post = (team.root / "posts/soc2-type2/marcus--advocacy.md").read_text()
    assert post.split("---\n", 2)[2].startswith("Proud of this team.\n\nWe are SOC 2")
    assert subjects(team)[0].endswith("marcus--advocacy.md (marketing)")
    assert git(team.root, "status", "--porcelain") == ""  # the intro is in the decision commit


def test_filters(team: Team) -> None:
    team.act_as("maria@example.com")
    screen = session(team, "maria@example.com", "", None)
    assert "(1/2)" in screen
    console = Console(file=io.StringIO(), width=80, record=True)
    ReviewLoop(load_workspace(team.root), console, ScriptedIO(""), program="advocacy").run()
    screen = console.export_text()
    assert "marcus · advocacy" in screen and "(1/1)" in screen


def test_outside_a_terminal(team: Team, bb: BB) -> None:
    result = bb("review", cwd=team.root)
    assert result.code == 2 and "use `bb approve` in scripts" in result.err


class TmuxReview:
    """`bb review` in a real terminal, 80 by 24, through tmux."""

    def __init__(self, team: Team, tmp_path: Path, name: str) -> None:
        self.name = f"{name}{os.getpid()}"
        self.marker = tmp_path / "exit-code"
        env = " ".join(
            f"{k}={v}"
            for k, v in (
                ("HOME", os.environ["HOME"]),
                ("GIT_CONFIG_GLOBAL", os.environ["GIT_CONFIG_GLOBAL"]),
                ("GIT_CONFIG_NOSYSTEM", "1"),
                ("BB_HOME", os.environ["BB_HOME"]),
                ("PYTHONPATH", os.pathsep.join(sys.path)),
            )
        )
        command = (
            f"cd {team.root} && env {env} {sys.executable} -m bloomberry_cli review; "
            f"echo $? > {self.marker}; sleep 5"
        )
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", self.name, "-x", "80", "-y", "24", command],
            check=True,
        )

    def screen(self) -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        ).stdout

    def capture(self, until: str) -> str:
        screen = ""
        for _ in range(50):
            time.sleep(0.2)
            screen = self.screen()
            if until in screen:
                break
        return screen

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def exit_code(self) -> str:
        for _ in range(50):
            time.sleep(0.1)
            if self.marker.exists():
                break
        return self.marker.read_text().strip()

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux for a real terminal")
def test_real_terminal_at_80_by_24(team: Team, tmp_path: Path) -> None:
    team.act_as("maria@example.com")
    write_post(team, body="Our audit made us 100% secure.\n")
    terminal = TmuxReview(team, tmp_path, "bbtest")
    try:
        screen = terminal.capture("[q]uit")
        lines = screen.splitlines()
        assert len(lines) <= 24 and all(len(line) <= 80 for line in lines)
        assert "alice · thought-leadership · stage marketing" in screen
        assert "Our audit made us 100% secure." in screen
        assert "'100% secure' is a blocked claim" in screen
        assert "approve blocked: 1 lint" in screen
        before = subjects(team)
        terminal.keys("C-c")
        assert terminal.exit_code() == "130"
        assert subjects(team) == before
        assert git(team.root, "status", "--porcelain") == ""
    finally:
        terminal.close()


def long_body() -> str:
    paragraphs = [
        f"Paragraph {n}: what the audit taught us about access reviews, evidence "
        f"and the small habits that keep a control alive between audits."
        for n in range(1, 26)
    ]
    return "FIRST LINE of the post.\n\n" + "\n\n".join(paragraphs) + "\nLAST LINE.\n"


def screens(text: str) -> list[str]:
    """The screens of a session, split where each one starts (its header)."""
    text = re.split(r"\n\d+ decisions? recorded\. ", text)[0]
    return [part for part in text.split("SOC 2 Type II")[1:]]


def test_a_post_taller_than_the_terminal_scrolls_under_a_fixed_header(team: Team) -> None:
    write_post(team, body=long_body())
    assert len(long_body()) > 3000
    text = session(team, "maria@example.com", "j" + " " * 12 + "kq", height=24)
    shown = screens(text)
    assert len(shown) == 15
    for screen in shown:  # every screen fits 80x24 with one row spare, header and keys on it
        lines = screen.rstrip("\n").split("\n")
        assert len(lines) <= 23, screen
        assert "alice · thought-leadership · stage marketing" in screen
        assert "[q]uit" in screen and "j/k ↓/↑ line, space/b page" in screen
    assert "FIRST LINE" in shown[0] and "LAST LINE" not in shown[0]
    assert "lines 1–" in shown[0] and "more" in shown[0]
    assert "FIRST LINE" not in shown[1] and "lines 2–" in shown[1]
    assert "LAST LINE" in shown[-3] and "· end" in shown[-3]
    assert shown[-2] == shown[-3]  # paging past the end stays at the end
    assert "LAST LINE" not in shown[-1]  # k went back up a line


def test_a_missing_or_failing_editor_keeps_the_session(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", "nonexistent-editor --wait")
    text = session(team, "maria@example.com", "e")
    assert "could not start the editor 'nonexistent-editor --wait'" in text
    assert "the post is as it was" in text and "Edited" not in text
    assert "0 decisions recorded" in text
    monkeypatch.setenv("EDITOR", "false")
    text = session(team, "maria@example.com", "ea")
    assert "the editor 'false' exited with status 1; the post is as it was" in text
    assert "approve recorded (marketing)" in text  # the session went on
    monkeypatch.setenv("EDITOR", "true")
    assert "No change made." in session(team, "maria@example.com", "e")


def test_unknown_program_or_brief_is_a_usage_error(team: Team, bb: BB) -> None:
    result = bb("review", "--program", "advocasy", cwd=team.root)
    assert result.code == 2 and "did you mean 'advocacy'?" in result.err
    result = bb("review", "--brief", "soc2-typ2", cwd=team.root)
    assert result.code == 2 and "did you mean 'soc2-type2'?" in result.err


def test_a_second_intro_replaces_the_first(team: Team) -> None:
    session(team, "maria@example.com", "niiq", ["Proud of this team.", "So proud of this team."])
    post = (team.root / "posts/soc2-type2/marcus--advocacy.md").read_text()
    body = post.split("---\n", 2)[2]
    assert body.startswith("So proud of this team.\n\nWe are SOC 2")
    assert "Proud of this team." not in body


def test_approve_without_a_signing_key_says_so_and_goes_on(team: Team) -> None:
    team.act_as("maria@example.com")
    git(team.root, "config", "--unset", "user.signingkey")
    console = Console(file=io.StringIO(), width=80, record=True)
    before = subjects(team)
    ReviewLoop(load_workspace(team.root), console, ScriptedIO("anq")).run()
    text = console.export_text()
    assert "Nothing recorded:" in text
    assert text.count("stage marketing") >= 3  # the queue stayed up after the refusal
    assert subjects(team) == before


def test_the_author_learns_that_changes_were_requested(team: Team, bb: BB) -> None:
    session(team, "maria@example.com", "a")  # marketing approves alice's post
    session(team, "maria@example.com", "c", ["Cite the audit firm"])  # … and marcus's: changes
    team.act_as("marcus@example.com")
    screen = " ".join(session(team, "marcus@example.com", "").split())
    assert (
        "changes requested of you on posts/soc2-type2/marcus--advocacy.md by "
        "maria@example.com (marketing): Cite the audit firm"
    ) in screen
    assert "goes back to review" in screen
    result = bb("status", cwd=team.root)
    assert (
        "changes requested on posts/soc2-type2/marcus--advocacy.md by maria@example.com "
        "(marketing): Cite the audit firm" in result.out
    )
    screen = session(team, "alice@example.com", "")  # not alice's post: not in her queue
    assert "changes requested of you" not in screen


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux for a real terminal")
def test_real_terminal_scrolls_a_long_post_at_80_by_24(team: Team, tmp_path: Path) -> None:
    team.act_as("maria@example.com")
    write_post(team, body=long_body())
    terminal = TmuxReview(team, tmp_path, "bbscroll")
    try:
        screen = terminal.capture("[q]uit")
        lines = screen.splitlines()
        assert len(lines) <= 24 and all(len(line) <= 80 for line in lines)
        assert "alice · thought-leadership · stage marketing" in lines[1]
        assert "FIRST LINE" in screen and "[q]uit" in screen
        terminal.keys("PageDown")
        time.sleep(1)
        screen = terminal.capture("more")
        assert "FIRST LINE" not in screen and "[q]uit" in screen
        terminal.keys(*["Space"] * 10)
        screen = terminal.capture("LAST LINE")
        assert "LAST LINE" in screen and "FIRST LINE" not in screen
        assert "alice · thought-leadership · stage marketing" in screen and "[q]uit" in screen
        terminal.keys("C-c")
        assert terminal.exit_code() == "130"
        screen = terminal.screen()
        assert "decisions recorded before the interruption" in screen
        assert "^C0 decision" not in screen  # the message starts on its own line
    finally:
        terminal.close()
