"""Attacks on the template engine's reading of drafts on disk (drafting/history.History,
variants.WordingPlan): reruns that must change nothing, and files under posts/ that come from a
pull request (a link out of the workspace, a file over the post size limit)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from bloomberry_cli.limits import MAX_POST_BYTES
from conftest import BB, copy_example

BRIEFS = ("briefs/access-reviews.yaml", "briefs/hiring-q1.yaml", "briefs/soc2-type2.yaml")
MARCUS_TL = "posts/soc2-type2/marcus--thought-leadership.md"


def snapshot(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted((root / "posts").rglob("*.md"))
    }


def draft_twice(bb: BB, root: Path, *args: str) -> tuple[str, str, dict[str, str]]:
    """The same `bb draft` twice; the second run must change no file. (Both outputs, and the
    posts after the first.)"""
    first = bb("draft", *args, cwd=root)
    assert first.code == 0, first.out + first.err
    before = snapshot(root)
    second = bb("draft", *args, cwd=root)
    assert second.code == 0, second.out + second.err
    assert snapshot(root) == before
    return first.out, second.out, before


def test_rerun_of_several_briefs_changes_nothing(tmp_path: Path, bb: BB) -> None:
    """The same `bb draft` of every brief twice: the second run writes nothing. (It rewrote
    hiring-q1/marcus--thought-leadership.md: that draft asks for his words, so its lines were
    not 'used up' and soc2-type2's draft took the same opener and sign-off; on the rerun,
    soc2-type2's draft on disk made hiring-q1's opener and sign-off 'already posted'.)"""
    root = copy_example(tmp_path / "ws")
    _, second, before = draft_twice(bb, root, *BRIEFS)
    assert f"0 written, {len(before)} unchanged" in second


def test_rerun_after_drafting_briefs_one_at_a_time_changes_nothing(tmp_path: Path, bb: BB) -> None:
    """Briefs drafted one by one (in any order), then all at once: nobody's draft moves."""
    root = copy_example(tmp_path / "ws")
    for brief in reversed(BRIEFS):
        assert bb("draft", brief, cwd=root).code == 0
    before = snapshot(root)
    again = bb("draft", *BRIEFS, cwd=root)
    assert again.code == 0, again.out + again.err
    assert snapshot(root) == before


def _alone(root: Path, bb: BB) -> str:
    result = bb(
        "draft",
        "briefs/soc2-type2.yaml",
        "-p",
        "marcus",
        "--program",
        "thought-leadership",
        cwd=root,
    )
    assert result.code == 0, result.out + result.err
    return (root / MARCUS_TL).read_text(encoding="utf-8")


def _body(text: str) -> str:
    return text.split("\n---\n", 1)[1]


def _history_changes_draft(root: Path, bb: BB, make_history) -> tuple[str, str, str]:
    """(marcus's draft with no other posts, with ``make_history``'s file under another brief,
    with the same text as a plain file there: the control that history does count)."""
    alone = _alone(root, bb)
    (root / MARCUS_TL).unlink()
    other = root / "posts" / "elsewhere" / "marcus--thought-leadership.md"
    other.parent.mkdir(parents=True)
    make_history(other, alone)
    attacked = _alone(root, bb)
    (root / MARCUS_TL).unlink()
    other.unlink()
    other.write_text(alone, encoding="utf-8")
    control = _alone(root, bb)
    return _body(alone), _body(attacked), _body(control)


def test_a_link_out_of_the_workspace_is_not_read_as_history(tmp_path: Path, bb: BB) -> None:
    """A post under posts/ that is a symlink to a file outside the workspace: bb never follows
    a link out of it (limits.py), so it is not the person's history either."""
    root = copy_example(tmp_path / "ws")
    outside = tmp_path / "outside.md"

    def link_out(path: Path, text: str) -> None:
        outside.write_text(text, encoding="utf-8")
        path.symlink_to(outside)

    alone, attacked, control = _history_changes_draft(root, bb, link_out)
    assert control != alone  # the same text inside the workspace does count
    assert attacked == alone


def test_a_post_over_the_size_limit_is_not_read_as_history(tmp_path: Path, bb: BB) -> None:
    """A post larger than MAX_POST_BYTES is refused by every command that reads posts; the
    template engine read it whole as the person's history."""
    root = copy_example(tmp_path / "ws")

    def huge(path: Path, text: str) -> None:
        path.write_text(text + ("\npadding line" * (MAX_POST_BYTES // 12 + 10)), encoding="utf-8")
        assert path.stat().st_size > MAX_POST_BYTES

    alone, attacked, control = _history_changes_draft(root, bb, huge)
    assert control != alone
    assert attacked == alone


def test_a_posts_folder_linked_out_of_the_workspace_is_refused(tmp_path: Path, bb: BB) -> None:
    """posts/<brief> as a symlink to a folder outside the workspace (from a pull request): bb
    draft wrote every draft there, said '7 written', and `bb lint posts/` then found none.
    It must refuse, naming the link, write nothing, and exit 2."""
    root = copy_example(tmp_path / "ws")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (root / "posts").mkdir()
    (root / "posts" / "soc2-type2").symlink_to(outside)
    result = bb("draft", "briefs/soc2-type2.yaml", cwd=root)
    assert result.code == 2, result.out + result.err
    assert "posts/soc2-type2" in result.err and "outside the workspace" in result.err
    assert "Traceback" not in result.err
    assert list(outside.iterdir()) == []


def test_a_posts_root_linked_out_of_the_workspace_is_refused(tmp_path: Path, bb: BB) -> None:
    root = copy_example(tmp_path / "ws")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (root / "posts").symlink_to(outside)
    result = bb("draft", "briefs/soc2-type2.yaml", "--program", "advocacy", cwd=root)
    assert result.code == 2, result.out + result.err
    assert "posts: is a symlink" in result.err and "outside the workspace" in result.err
    assert list(outside.iterdir()) == []


def test_an_advocacy_draft_asking_for_a_line_keeps_its_lines_on_a_rerun(
    tmp_path: Path, bb: BB
) -> None:
    """Zed gives no take for soc2-type2 (the draft asks for his line, so its lines are not
    'used up') and one for hiring-q1, drafted after it with his only sign-off and the same
    framing line. The same `bb draft` again rewrote soc2-type2's draft: its context line and
    sign-off had become 'already posted' by hiring-q1's draft."""
    import yaml

    root = copy_example(tmp_path / "ws")
    (root / "voices" / "zed.yaml").write_text(
        "name: Zed Example\nrole: Account Executive\nprograms: [advocacy]\n"
        "style:\n  sign_offs: ['Onward we go.']\n"
    )
    for brief, take in (("soc2-type2", None), ("hiring-q1", "I would hire them all again.")):
        path = root / "briefs" / f"{brief}.yaml"
        data = yaml.safe_load(path.read_text())
        data["participants"].append({"id": "zed", **({"take": take} if take else {})})
        path.write_text(yaml.safe_dump(data, sort_keys=False))
    order = ("briefs/soc2-type2.yaml", "briefs/hiring-q1.yaml")
    for brief in order:
        assert bb("draft", brief, "-p", "zed", cwd=root).code == 0
    before = snapshot(root)
    assert "Onward we go." in (root / "posts/soc2-type2/zed--advocacy.md").read_text()
    again = bb("draft", *order, "-p", "zed", cwd=root)
    assert again.code == 0, again.out + again.err
    assert snapshot(root) == before


def test_redrafting_after_a_brief_changes_leaves_the_next_run_nothing_to_change(
    tmp_path: Path, bb: BB
) -> None:
    """Every brief moved to X and redrafted, then drafted again: the second run rewrote
    soc2-type2/marcus--thought-leadership.md. The first counted as used both the LinkedIn
    drafts it was replacing and their X drafts; the second saw only the X drafts on disk."""
    root = copy_example(tmp_path / "ws")
    assert bb("draft", *BRIEFS, cwd=root).code == 0
    for person in ("alice", "dan", "marcus", "priya", "sam"):
        assert bb("voice", "calibrate", person, cwd=root).code == 0
    assert bb("draft", *BRIEFS, cwd=root).code == 0
    for brief in BRIEFS:
        path = root / brief
        path.write_text(path.read_text().replace("channel: linkedin", "channel: x"))
    moved = bb("draft", *BRIEFS, cwd=root)
    assert moved.code == 0 and "15 updated" in moved.out, moved.out
    before = snapshot(root)
    again = bb("draft", *BRIEFS, cwd=root)
    assert "0 written, 16 unchanged" in again.out, again.out
    assert snapshot(root) == before


def test_the_two_posts_of_one_brief_share_no_sign_off_whichever_came_first(
    tmp_path: Path, bb: BB
) -> None:
    """Thought leadership drafted first (--program), then everything: Dan's SOC 2 advocacy
    took the sign-off his thought-leadership post already had."""
    root = copy_example(tmp_path / "ws")
    sign_off = "Grateful to the team that made it real."
    assert bb("draft", *BRIEFS, "--program", "thought-leadership", cwd=root).code == 0
    assert bb("draft", *BRIEFS, cwd=root).code == 0
    posts = [
        (root / f"posts/soc2-type2/dan--{program}.md").read_text()
        for program in ("advocacy", "thought-leadership")
    ]
    assert [sign_off in post for post in posts].count(True) == 1


def test_a_post_that_stays_keeps_its_lines_used(tmp_path: Path) -> None:
    """A post a person edited (or one approved) is not replaced by this run's draft for it:
    what goes out is its text, so its lines stay used and the draft's do not count."""
    from bloomberry_cli.drafting.history import History

    root = tmp_path / "ws"
    post = root / "posts" / "soc2-type2" / "dan--advocacy.md"
    post.parent.mkdir(parents=True)
    post.write_text("---\nbrief: soc2-type2\n---\nOn disk. Grateful to the team.\n")
    for stays, used, unused in ((True, "on disk", "drafted"), (False, "drafted", "on disk")):
        history = History(root, lambda rel, text, stays=stays: stays)
        history.record("dan", "soc2-type2", "advocacy", "Drafted now.")
        seen = history.other_posts("dan", "hiring-q1")
        assert used in seen and unused not in seen


MARCUS_HIRING_TL = "posts/hiring-q1/marcus--thought-leadership.md"


@pytest.mark.parametrize("unread", ["link out of the workspace", "over the size limit"])
def test_a_post_bb_does_not_read_is_not_replaced_either(
    tmp_path: Path, bb: BB, unread: str
) -> None:
    """A draft of bb's at a draft's path, as a link out of the workspace (a pull request's) or
    padded past the post size limit: the history reads it as no post (it stays, counted as
    nobody's), but the write read it anyway and replaced it. The next run, with that draft now
    on disk, rewrote marcus's post again."""
    earlier = copy_example(tmp_path / "earlier")
    assert bb("draft", *BRIEFS, cwd=earlier).code == 0
    root = copy_example(tmp_path / "ws")
    for brief in BRIEFS:
        path = root / brief
        changed = path.read_text().replace("Type II", "Type 2")
        path.write_text(changed.replace("twelve open roles", "fourteen open roles"))
    text = (earlier / MARCUS_HIRING_TL).read_text(encoding="utf-8")
    post = root / MARCUS_HIRING_TL
    post.parent.mkdir(parents=True)
    if unread == "link out of the workspace":
        (tmp_path / "outside.md").write_text(text, encoding="utf-8")
        post.symlink_to(tmp_path / "outside.md")
    else:  # a comment in its front matter: the body is bb's, not edited
        post.write_text(
            text.replace("\n---\n", "\n" + "# pad\n" * (MAX_POST_BYTES // 5) + "---\n", 1)
        )
    first, second, _ = draft_twice(bb, root, *BRIEFS)
    assert "0 written, 15 unchanged, 1 skipped" in second, second
    assert f"skipped {MARCUS_HIRING_TL}: the existing file is not a readable post" in first


def test_a_post_saved_with_a_byte_order_mark_is_read_as_a_post(tmp_path: Path, bb: BB) -> None:
    """An editor saved bb's draft with a UTF-8 byte order mark: `bb lint` reads it (so does
    the history), but `bb draft` called it 'not a readable post' and kept it, unreplaceable
    without --force, while the history counted the new draft as posted in its place."""
    root = copy_example(tmp_path / "ws")
    assert bb("draft", "briefs/soc2-type2.yaml", cwd=root).code == 0
    post = root / "posts/soc2-type2/marcus--advocacy.md"
    post.write_bytes(b"\xef\xbb\xbf" + post.read_bytes())
    assert bb("lint", str(post), cwd=root).code == 0
    brief = root / "briefs/soc2-type2.yaml"
    brief.write_text(brief.read_text().replace("Type II", "Type 2"))
    result = bb("draft", "briefs/soc2-type2.yaml", cwd=root)
    assert result.code == 0, result.out + result.err
    assert "not a readable post" not in result.out
    assert "Type 2" in post.read_text(encoding="utf-8")


def test_a_participant_id_ending_in_a_dash_is_nobody_elses_history(tmp_path: Path, bb: BB) -> None:
    """Ids may end in '-' or hold '--': 'marcus-''s post is posts/<brief>/marcus---….md, which
    the history split at its first '--' and counted as marcus's (program '-thought-leadership'):
    marcus's draft then avoided the opener and sign-off his namesake's post had."""
    import yaml

    drafts = []
    for name, others in (("alone", ()), ("beside", ("marcus-",))):
        root = copy_example(tmp_path / name)
        voice = (root / "voices" / "marcus.yaml").read_text().replace("Marcus Webb", "Pat Doe")
        (root / "voices" / "marcus-.yaml").write_text(voice.replace("marcus@", "pat@"))
        path = root / "briefs" / "soc2-type2.yaml"
        data = yaml.safe_load(path.read_text())
        data["participants"].append({"id": "marcus-", "notes": ["Customers noticed."]})
        path.write_text(yaml.safe_dump(data, sort_keys=False))
        for who in (*others, "marcus"):
            result = bb(
                "draft", "soc2-type2", "-p", who, "--program", "thought-leadership", cwd=root
            )
            assert result.code == 0, result.out + result.err
        drafts.append(_body((root / MARCUS_TL).read_text(encoding="utf-8")))
    assert drafts[1] == drafts[0]
