"""The review state machine on its own: keys and answers in, screens and requests out, with
real repositories and real decisions, and no terminal anywhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from bloomberry_cli.errors import BBError
from bloomberry_cli.posts import body_sha256
from bloomberry_cli.review.session import HELP, Ask, Done, Edit, ReviewSession, Show
from bloomberry_cli.workspace import load_workspace
from conftest import git
from support.team import Team, review_team, write_post

ALICE = "posts/soc2-type2/alice--thought-leadership.md"
MARCUS = "posts/soc2-type2/marcus--advocacy.md"


@pytest.fixture
def team(tmp_path: Path) -> Team:
    return review_team(tmp_path)


def start(team: Team, email: str = "maria@example.com", **filters: str) -> ReviewSession:
    team.act_as(email)
    return ReviewSession(load_workspace(team.root), **filters)  # type: ignore[arg-type]


def subjects(team: Team) -> list[str]:
    return git(team.root, "log", "--format=%s").splitlines()


def test_the_first_screen_is_the_oldest_deadline_first(team: Team) -> None:
    session = start(team)
    model = session.screen()
    assert (model.index, model.total, model.offset, model.message) == (0, 2, 0, "")
    assert model.context.post.path == ALICE and model.context.stage == "marketing"
    assert [item.status.path for item in session.queue] == [ALICE, MARCUS]


def test_next_and_previous_wrap_around(team: Team) -> None:
    session = start(team)
    session.screen()
    assert session.press("n") == Show()
    assert session.screen().context.post.path == MARCUS
    session.press("n")
    assert session.screen().context.post.path == ALICE
    session.press("p")
    assert session.screen().index == 1


def test_approve_records_a_decision_and_rebuilds_the_queue(team: Team) -> None:
    session = start(team)
    session.screen()
    assert session.press("A") == Show()  # keys are case-blind
    assert session.decided == 1
    model = session.screen()
    assert model.message.startswith("approve recorded (marketing) as ")
    assert model.total == 1 and model.context.post.path == MARCUS
    assert subjects(team)[0] == f"bb: approve {ALICE} (marketing)"


def test_the_last_decision_ends_the_session(team: Team) -> None:
    session = start(team, program="advocacy")
    session.screen()
    step = session.press("a")
    assert isinstance(step, Done) and step.emptied
    assert step.message.startswith("approve recorded (marketing)")
    assert session.queue == []


def test_quit(team: Team) -> None:
    session = start(team)
    session.screen()
    assert session.press("q") == Done(emptied=False, message="")
    assert session.decided == 0


def test_reject_asks_for_a_reason_and_an_empty_one_records_nothing(team: Team) -> None:
    session = start(team)
    session.screen()
    before = subjects(team)
    assert session.press("c") == Ask("Reason to request changes: ")
    assert session.answer("   ") == Show()
    assert session.screen().message == "No reason given; nothing recorded."
    assert subjects(team) == before
    assert session.press("r") == Ask("Reason to reject: ")
    session.answer("Not this week, sorry")
    assert subjects(team)[0] == f"bb: reject {ALICE} (marketing)"
    assert session.decided == 1


def test_a_message_is_shown_once(team: Team) -> None:
    session = start(team)
    session.screen()
    session.press("x")
    model = session.screen()
    assert model.message == HELP
    session.fitted(model.offset, 10)
    session.press("j")
    assert session.screen().message == ""


def test_scrolling_moves_by_lines_and_pages_and_keeps_the_gathered_facts(team: Team) -> None:
    session = start(team)
    first = session.screen()
    session.fitted(0, 10)
    session.press("j")
    session.press("down")
    assert session.offset == 2
    session.press(" ")
    assert session.offset == 11  # a page is the lines that fit, less one kept for context
    session.press("pgup")
    session.press("k")
    assert session.offset == 1
    assert session.screen().context is first.context
    session.press("n")
    assert session.offset == 0


def test_approve_is_not_offered_while_lint_finds_errors(team: Team) -> None:
    write_post(team, body="Our audit made us 100% secure.\n")
    session = start(team)
    assert session.screen().context.errors
    before = subjects(team)
    assert session.press("a") == Show()
    assert session.screen().message == "Approve is not offered: 1 lint error."
    assert session.decided == 0 and subjects(team) == before


def test_edit_hands_the_post_to_the_editor_and_says_what_came_of_it(team: Team) -> None:
    session = start(team)
    session.screen()
    step = session.press("e")
    assert step == Edit(team.root / ALICE)
    assert isinstance(step, Edit)
    assert session.edited() == Show()
    assert session.screen().message == "No change made."
    step = session.press("e")
    assert isinstance(step, Edit)
    with step.path.open("a") as post:
        post.write("Results are guaranteed: guaranteed ROI.\n")
    session.edited()
    model = session.screen()
    assert model.message == "Edited; lint ran again."
    assert any("guaranteed ROI" in f.message for f in model.context.errors)
    session.press("e")
    session.edited(BBError("the editor 'false' exited with status 1", hint="set EDITOR"))
    assert session.screen().message == (
        "the editor 'false' exited with status 1; the post is as it was. (set EDITOR)"
    )


def test_intro_only_for_advocacy_and_a_second_replaces_the_first(team: Team) -> None:
    session = start(team)
    session.screen()
    assert session.press("i") == Show()  # a thought-leadership post has no intro
    assert session.screen().message == HELP
    session.press("n")
    session.screen()
    assert session.press("i") == Ask("Your one-line intro: ")
    session.answer("Proud of this team.")
    assert session.screen().message == "Intro added."
    session.press("i")
    session.answer("So proud of this team.")
    assert session.screen().message == "Intro replaced."
    body = (team.root / MARCUS).read_text().split("---\n", 2)[2]
    assert body.startswith("So proud of this team.\n\nWe are SOC 2")
    session.press("i")
    session.answer("")
    assert session.screen().message == "No intro given; nothing changed."


def test_an_intro_from_an_earlier_session_is_replaced_not_stacked(team: Team) -> None:
    drafted = "We are SOC 2 Type II certified. (I work at Acme Security.)\n"
    path = team.root / MARCUS
    stamp = f"channel: linkedin\ngenerated_sha256: {body_sha256(drafted)}\n"
    path.write_text(path.read_text().replace("channel: linkedin\n", stamp))
    git(team.root, "commit", "-q", "-S", "-am", "drafted by bb")
    session = start(team, program="advocacy")
    session.screen()
    session.press("i")
    session.answer("Proud of this team.")
    session = start(team, program="advocacy")
    session.screen()
    session.press("i")
    session.answer("Still proud.")
    assert session.screen().message == "Intro replaced."
    body = (team.root / MARCUS).read_text().split("---\n", 2)[2]
    assert body.startswith("Still proud.\n\nWe are SOC 2") and "Proud of" not in body


def test_nothing_waits_for_the_author_before_marketing(team: Team) -> None:
    session = start(team, "alice@example.com")
    assert session.queue == [] and session.notices == []
    assert session.email == "alice@example.com" and session.person.participant == "alice"


def test_answer_without_a_question_is_a_bug(team: Team) -> None:
    session = start(team)
    with pytest.raises(RuntimeError):
        session.answer("stray")
    with pytest.raises(RuntimeError):
        session.edited()
