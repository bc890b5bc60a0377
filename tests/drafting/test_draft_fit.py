"""A person's own lines fit the post they go on: no celebration on a job post, no call to
candidates on a product post, no sign-off twice on one brief's two posts."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_draft_variety import draft, edit_yaml

from bloomberry_cli.drafting.pools import fits_brief
from bloomberry_cli.models import Brief
from bloomberry_cli.posts import load_post


def body(root: Path, brief: str, who: str, program: str = "advocacy") -> str:
    return load_post(root, f"posts/{brief}/{who}--{program}.md").body


def test_a_job_post_drafted_first_does_not_take_the_celebration(workspace: Path) -> None:
    """`bb draft briefs/*.yaml` drafts hiring-q1 before soc2-type2: Dan's one sign-off,
    'Grateful to the team that made it real.', went on his job post and then, used up, was
    missing from the SOC 2 news it was written for."""
    draft(workspace, "hiring-q1", "soc2-type2")
    for program in ("advocacy", "thought-leadership"):
        assert "Grateful to the team" not in body(workspace, "hiring-q1", "dan", program)
    soc2 = body(workspace, "soc2-type2", "dan")
    assert soc2.startswith("A small company milestone")  # his intro: news, on the news
    assert "Grateful to the team that made it real." in soc2


def test_a_recruiters_lines_stay_on_job_posts(workspace: Path) -> None:
    edit_yaml(
        workspace / "briefs" / "soc2-type2.yaml",
        lambda b: b["participants"].append({"id": "priya"}),
    )
    draft(workspace, "soc2-type2", "hiring-q1")
    news = body(workspace, "soc2-type2", "priya")
    # Her intro ('Recruiter hat on. This is a team I'd tell a friend to join!') is for a job
    # post: with no take on this brief, the draft asks for her line instead.
    assert "Recruiter hat on" not in news and news.startswith("[Add your own line: ")
    assert "Candidates, this one's for you." not in body(
        workspace, "soc2-type2", "priya", "thought-leadership"
    )
    hiring = body(workspace, "hiring-q1", "priya")
    assert hiring.startswith("Recruiter hat on.")


def test_a_brief_without_topics_takes_every_line(workspace: Path) -> None:
    edit_yaml(workspace / "briefs" / "hiring-q1.yaml", lambda b: b.pop("topics"))
    draft(workspace, "hiring-q1")
    assert "Grateful to the team that made it real." in body(workspace, "hiring-q1", "dan")


def test_the_two_posts_of_one_brief_do_not_share_a_sign_off(workspace: Path) -> None:
    """Marcus's advocacy and thought-leadership posts on SOC 2 go out the same days to the
    same followers: both ended 'Curious how others handle this.'"""
    first = draft(workspace, "hiring-q1", "soc2-type2")
    sign_offs = {"What's your team seeing?", "Curious how others handle this."}
    for brief in ("hiring-q1", "soc2-type2"):
        advocacy = {s for s in sign_offs if s in body(workspace, brief, "marcus")}
        tl = {s for s in sign_offs if s in body(workspace, brief, "marcus", "thought-leadership")}
        assert not advocacy & tl, brief
    # On SOC 2, drafted last: the job post (whose take ends on a question) took no question.
    assert advocacy == {"What's your team seeing?"}
    # Both his sign-offs ask peers how they work: on the job post, neither (it closed
    # "Who should we meet? 👇 … Curious how others handle this.").
    assert not {s for s in sign_offs if s in body(workspace, "hiring-q1", "marcus")}
    # A rerun changes nothing: each post keeps the lines it has.
    again = draft(workspace, "hiring-q1", "soc2-type2")
    assert len(again) == len(first) and {row.status for row in again} == {"unchanged"}


@pytest.mark.parametrize(
    ("line", "on_news", "on_job_post"),
    [
        ("Grateful to the team that made it real.", True, False),
        ("Proud of what we shipped this year.", True, False),
        ("Recruiter hat on. This is a team I'd tell a friend to join!", False, True),
        ("Candidates, this one's for you.", False, True),
        ("Proud to say we're hiring again.", False, True),  # about hiring: a job post's
        ("My DMs are open.", True, True),
        ("Join us at RSA next week to see it live.", True, True),  # an event, not a job
        ("Excited to join the panel on this at RSA.", True, True),
        ("Floors, not ceilings.", True, True),
        # Asking peers how they work: readers of a job post are candidates.
        ("Curious how others handle this.", True, False),
        ("What's your team seeing?", True, False),
        ("What’s working for you?", True, False),
        ("Who should we meet?", True, True),
    ],
)
def test_which_lines_fit_which_brief(line: str, on_news: bool, on_job_post: bool) -> None:
    def brief(*topics: str) -> Brief:
        return Brief.model_construct(topics=list(topics))  # all fits_brief reads of a brief

    assert fits_brief(line, brief("soc2", "security")) is on_news
    assert fits_brief(line, brief("hiring", "culture")) is on_job_post
    assert fits_brief(line, brief()) is True
