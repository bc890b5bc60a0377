"""Drafts people would post: variants spread by a stable hash, pools that do not repeat, X
drafts that fit, thought leadership with a point, and the resharing checks at scale."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import yaml

from bloomberry_cli.drafting.draft import DraftOptions, draft_briefs
from bloomberry_cli.drafting.variants import variant_index
from bloomberry_cli.governance import resharing
from bloomberry_cli.governance.resharing import Reshare, shingles, similarity
from bloomberry_cli.posts import load_post
from bloomberry_cli.workspace import load_workspace
from conftest import BB

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 25)


def draft(root: Path, *briefs: str, **options) -> list:
    return draft_briefs(
        load_workspace(root),
        briefs or ("soc2-type2",),
        DraftOptions(**options),
        today=TODAY,
        now=NOW,
    )


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def add_people(root: Path, count: int, brief: str = "soc2-type2", take: bool = True) -> list[str]:
    ids = [f"p{n:03d}" for n in range(count)]
    for n, ident in enumerate(ids):
        (root / "voices" / f"{ident}.yaml").write_text(
            f"name: Person{n} Example\nrole: Account Executive\nprograms: [advocacy]\n"
        )
    edit_yaml(
        root / "briefs" / f"{brief}.yaml",
        lambda b: b["participants"].extend(
            {"id": i, **({"take": f"My own reason number {n}."} if take else {})}
            for n, i in enumerate(ids)
        ),
    )
    return ids


def test_variants_spread_and_never_reshuffle(workspace: Path) -> None:
    assignments = [variant_index("soc2-type2", f"p{n}", 4) for n in range(400)]
    assert set(Counter(assignments).values()) and min(Counter(assignments).values()) > 60
    add_people(workspace, 12)
    rows = draft(workspace, program="advocacy")
    brief = load_workspace(workspace).briefs["soc2-type2"]
    used = {
        row.job.participant: next(
            v
            for v in brief.advocacy.variants
            if " ".join(v.split()) in " ".join(row.post.body.split())
        )
        for row in rows
    }
    assert len(set(used.values())) >= 3
    # Adding people changes nobody else's wording.
    add_people(workspace, 20)
    again = {
        row.job.participant: row.post.body
        for row in draft(workspace, program="advocacy", force=True)
    }
    for person, variant in used.items():
        assert " ".join(variant.split()) in " ".join(again[person].split())


def test_message_alone_is_still_one_variant(workspace: Path) -> None:
    edit_yaml(
        workspace / "briefs" / "soc2-type2.yaml",
        lambda b: (
            b["advocacy"].update(message="The one wording.", messages=None)
            or b["advocacy"].pop("messages")
        ),
    )
    rows = draft(workspace, program="advocacy")
    assert all("The one wording." in row.post.body for row in rows)


def test_validate_warns_about_one_wording_for_many(workspace: Path, bb: BB) -> None:
    edit_yaml(
        workspace / "briefs" / "soc2-type2.yaml",
        lambda b: b["advocacy"].update(message="The one wording.") or b["advocacy"].pop("messages"),
    )
    add_people(workspace, 6)
    result = bb("validate", cwd=workspace)
    assert result.code == 0
    assert "soc2-type2.yaml" in result.err and "share one wording" in result.err
    assert "messages" in result.err


def test_both_message_and_messages_is_an_error(workspace: Path, bb: BB) -> None:
    edit_yaml(
        workspace / "briefs" / "soc2-type2.yaml",
        lambda b: b["advocacy"].update(message="One more."),
    )
    result = bb("validate", cwd=workspace)
    assert result.code == 2 and "not both" in result.err


def test_intro_and_sign_off_are_not_reused_on_the_next_campaign(workspace: Path) -> None:
    draft(workspace, "soc2-type2", "hiring-q1")
    soc2 = load_post(workspace, "posts/soc2-type2/dan--advocacy.md").body
    hiring = load_post(workspace, "posts/hiring-q1/dan--advocacy.md").body
    assert "A small company milestone" in soc2 and "Grateful to the team" in soc2
    assert "A small company milestone" not in hiring and "Grateful to the team" not in hiring
    # His take from the hiring brief opens that post instead.
    assert hiring.startswith("The people we hire this quarter")


def test_no_take_and_no_fresh_intro_asks_for_one(workspace: Path) -> None:
    edit_yaml(
        workspace / "briefs" / "hiring-q1.yaml",
        lambda b: [p.pop("take", None) for p in b["participants"]],
    )
    rows = {row.job.path: row for row in draft(workspace, "soc2-type2", "hiring-q1")}
    dan = rows["posts/hiring-q1/dan--advocacy.md"]
    assert dan.post.body.startswith("[Add your own line: ")
    assert "text.placeholder" in {f.rule for f in dan.findings}
    assert "Sharing this one." not in dan.post.body and "Worth a look." not in dan.post.body


def test_audience_and_hashtags_follow_the_briefs_topics(workspace: Path) -> None:
    draft(workspace, "soc2-type2", "hiring-q1")
    marcus_hiring = load_post(workspace, "posts/hiring-q1/marcus--advocacy.md").body
    assert "IT and operations leads" not in marcus_hiring  # customers, on a hiring post
    assert "#customersuccess" not in marcus_hiring and "#hiring" in marcus_hiring
    alice = load_post(workspace, "posts/soc2-type2/alice--advocacy.md").body
    assert "security leaders evaluating vendors" in alice


def test_a_job_post_gets_no_line_that_presumes_news_of_something_done(workspace: Path) -> None:
    """'Speaking as someone in security: this took real, unglamorous work.' fits a SOC 2
    report, not a careers page: on a brief about hiring, the role's lines give way to lines
    for a job post."""
    from bloomberry_cli.drafting import pools

    people = add_people(workspace, 6, "hiring-q1", take=False)
    roles = ["Security Lead", "Platform Engineer", "Brand Manager", "Founder", "CTO", "Analyst"]
    for ident, role in zip(people, roles, strict=True):  # across the role kinds
        path = workspace / "voices" / f"{ident}.yaml"
        path.write_text(path.read_text().replace("Account Executive", role))
    edit_yaml(
        workspace / "briefs" / "soc2-type2.yaml",
        lambda b: b["participants"].extend({"id": i, "take": f"My reason {i}."} for i in people),
    )
    rows = draft(workspace, "hiring-q1", "soc2-type2")
    role_lines = {
        kind: [
            re.escape(line).replace(r"\{team\}", ".+").replace(r"\{role\}", ".+") for line in lines
        ]
        for kind, lines in pools.FRAMING.items()
        if kind not in ("talent", "other")
    }
    pattern = re.compile("|".join(p for lines in role_lines.values() for p in lines))
    hiring = [r.post.body for r in rows if r.job.brief_id == "hiring-q1" and r.post]
    news = [r.post.body for r in rows if r.job.brief_id == "soc2-type2" and r.post]
    assert len(hiring) >= 8 and not [body for body in hiring if pattern.search(body)]
    assert any(pattern.search(body) for body in news)  # the same people's lines elsewhere
    hiring_line = re.compile(
        "|".join(
            re.escape(line).replace(r"\{team\}", ".+").replace(r"\{role\}", ".+")
            for line in pools.HIRING_LINES
        )
    )
    assert sum(bool(hiring_line.search(body)) for body in hiring) >= 3


def test_emoji_never_doubled(workspace: Path) -> None:
    edit_yaml(
        workspace / "briefs" / "soc2-type2.yaml",
        lambda b: [p.pop("take", None) for p in b["participants"]],
    )
    draft(workspace, program="advocacy")
    marcus = load_post(workspace, "posts/soc2-type2/marcus--advocacy.md").body
    assert marcus.startswith("This one matters for every customer I work with 🙌")
    assert len(re.findall("[🙌👇]", marcus)) == 1


def test_x_drafts_fit_280(workspace: Path) -> None:
    for brief in ("soc2-type2", "hiring-q1"):
        edit_yaml(workspace / "briefs" / f"{brief}.yaml", lambda b: b.update(channel="x"))
    rows = draft(workspace, "soc2-type2", "hiring-q1")
    assert rows and all(row.length <= 280 for row in rows), [
        (row.job.path, row.length) for row in rows if row.length > 280
    ]
    assert not any(f.rule == "channel.length" for row in rows for f in row.findings)
    marcus = load_post(workspace, "posts/soc2-type2/marcus--advocacy.md").body
    assert marcus.startswith("Half my renewal calls") and "https://" in marcus
    alice_tl = load_post(workspace, "posts/soc2-type2/alice--thought-leadership.md").body
    assert "role-based permissions" in alice_tl.lower() and "?" in alice_tl


def test_x_never_gives_two_people_the_same_line_and_wording(workspace: Path) -> None:
    # Eight people, two takes between them: on X there is room for the take and one wording
    # only, so people sharing a take must get different wordings, or their posts are one post.
    ids = add_people(workspace, 8)
    edit_yaml(
        workspace / "briefs" / "soc2-type2.yaml",
        lambda b: (
            b.update(channel="x"),
            [p.update(take=f"Same reason {n % 2}.") for n, p in enumerate(b["participants"][-8:])],
        ),
    )
    draft(workspace)
    bodies = [load_post(workspace, f"posts/soc2-type2/{i}--advocacy.md").body for i in ids]
    assert len(set(bodies)) == len(bodies)
    first_lines = Counter(body.split("\n\n")[0] for body in bodies)
    assert set(first_lines.values()) == {4}  # the takes really are shared


def test_thought_leadership_structure(workspace: Path) -> None:
    draft(workspace, "soc2-type2", "hiring-q1", program="thought-leadership")
    alice = load_post(workspace, "posts/soc2-type2/alice--thought-leadership.md").body
    # The claim comes from her first note, the opener as its frame, not glued to the angle.
    first = alice.split("\n\n")[0]
    assert first.startswith(
        ("Unpopular opinion: role-based", "Here's what nobody tells you: role-based")
    )
    questions = load_workspace(workspace).briefs["soc2-type2"].thought_leadership.questions
    prose = [p for p in alice.strip().split("\n\n") if not p.startswith("#")]
    assert prose[-1] in questions
    # One note: no list, no "One thing" lead-in; still ends with the brief's question.
    sam = load_post(workspace, "posts/hiring-q1/sam--thought-leadership.md").body
    assert not re.search(r"^1\. ", sam, re.M)
    assert [p for p in sam.strip().split("\n\n") if not p.startswith("#")][-1].endswith("?")
    # The note ends in a quotation: no '."' followed by another full stop.
    priya = load_post(workspace, "posts/hiring-q1/priya--thought-leadership.md").body
    assert 'right.".' not in priya and 'right."' in priya


def test_summary_of_a_large_run_lists_only_what_needs_attention(workspace: Path, bb: BB) -> None:
    add_people(workspace, 45)
    result = bb("draft", "soc2-type2", cwd=workspace)
    assert result.code == 0, result.err
    summary = re.search(r"([\d,]+) drafts; ([\d,]+) need attention", result.out)
    assert summary is not None
    total, attention = (int(n.replace(",", "")) for n in summary.groups())
    listed = [line for line in result.out.splitlines() if line.startswith("soc2-type2 ")]
    assert total > 45 and len(listed) == min(attention, 40) < total
    assert "dan " in result.out  # his thought-leadership draft asks for notes: an error
    verbose = bb("draft", "soc2-type2", "--verbose", "--force", cwd=workspace)
    assert "p001" in verbose.out
    as_json = bb("draft", "soc2-type2", "--format", "json", cwd=workspace)
    import json

    data = json.loads(as_json.out)
    assert (
        data["version"] == 1
        and len(data["drafts"]) == len({d["path"] for d in data["drafts"]}) > 45
    )
    assert {"voice", "lint", "status"} <= set(data["drafts"][0])


def test_voice_fit_is_scored_at_draft_time(workspace: Path, bb: BB) -> None:
    assert bb("voice", "calibrate", "alice", cwd=workspace).code == 0
    rows = {row.job.path: row for row in draft(workspace)}
    assert rows["posts/soc2-type2/alice--advocacy.md"].voice is not None
    assert rows["posts/soc2-type2/marcus--advocacy.md"].voice is None  # not calibrated


def _record(path: str, text: str) -> Reshare:
    return Reshare(path, "b", path, 1, shingles(text), text)


def test_a_run_shared_by_most_posts_is_flagged(workspace: Path) -> None:
    add_people(workspace, 4, take=True)
    edit_yaml(
        workspace / "briefs" / "soc2-type2.yaml",
        lambda b: b["advocacy"].update(
            messages=[
                m + " Every team we talk to asks about access reviews first, and now we "
                "have a clear answer for them."
                for m in b["advocacy"]["messages"]
            ]
        ),
    )
    rows = draft(workspace, program="advocacy")
    flagged = [f for row in rows for f in row.findings if f.rule == "duplicate.resharing"]
    assert len(flagged) == len(rows)
    assert all(
        re.search(r"\d+ words word for word in \d+ of 7 advocacy posts", f.message) for f in flagged
    )
    assert all(
        "have a clear answer" in (workspace / f.path).read_text().splitlines()[f.line - 1]
        for f in flagged
    )


def test_lsh_finds_near_copies_among_many(workspace: Path) -> None:
    import random

    rng = random.Random(5)
    vocab = [f"w{n}" for n in range(2000)]
    members = []
    for n in range(600):
        text = " ".join(rng.choice(vocab) for _ in range(60))
        members.append(_record(f"p{n}", text))
    members.append(_record("copy", members[10].text + " one more"))
    found = {
        members[i].path: best.path
        for i, best, _ in resharing._nearest(members, list(range(len(members))), 0.8)
    }
    assert found == {"p10": "copy", "copy": "p10"}


def test_lsh_names_the_nearest_copy_in_a_crowd_of_similar_posts() -> None:
    """Three hundred posts of one template, each with a few words of its own, and one pair
    that differs by a word: each of the pair is said to copy the other, at its exact score,
    although dozens of siblings also pass the threshold."""
    base = " ".join(f"t{n}" for n in range(80))
    members = [
        _record(f"p{n}", f"{base} {' '.join(f'u{n}x{k}' for k in range(12))}") for n in range(300)
    ]
    members.append(_record("twin", members[123].text.replace("u123x11", "other")))
    found = {
        members[i].path: (best.path, score)
        for i, best, score in resharing._nearest(members, list(range(len(members))), 0.6)
    }
    assert len(found) == len(members)  # the template alone passes 0.6
    assert found["twin"][0] == "p123" and found["p123"][0] == "twin"
    assert found["twin"][1] == similarity(members[-1].shingles, members[123].shingles)


def test_resharing_shingles_are_the_same_in_every_run() -> None:
    """Python's string hash changes between runs; the resharing check must not, or borderline
    findings would come and go from one `bb lint` to the next."""
    import os
    import subprocess
    import sys

    code = (
        "from bloomberry_cli.governance.resharing import shingles\n"
        "print(sorted(shingles('We are SOC 2 Type II certified, and proud of it')))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1 and outputs.pop().startswith("[")
