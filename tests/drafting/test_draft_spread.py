"""Drafts that do not read as copies and sound like their person: wordings spread evenly and
kept when people are added, lines never repeated from a person's earlier posts, X drafts that
give a wording to one person only, and layouts shaped to the person's Voice Memory."""

from __future__ import annotations

import difflib
import itertools
from collections import Counter
from pathlib import Path

import yaml
from test_draft_variety import draft

from bloomberry_cli.drafting import pools
from bloomberry_cli.drafting.shaping import voice_score
from bloomberry_cli.drafting.variants import WordingPlan, wording_in
from bloomberry_cli.posts import load_post
from bloomberry_cli.voice.calibrate import calibrate
from bloomberry_cli.workspace import load_workspace

TAKES = [
    "Our auditors spent months on this and I watched every week of it.",
    "I answer security questionnaires for a living, so this one is personal.",
    "The team behind this shipped it without a single weekend crunch.",
    "Every renewal call I had this year asked about exactly this.",
    "We made it boring on purpose, and boring is what you want here.",
    "I still remember the first control we wrote for this, two years ago.",
    "Procurement teams kept asking; now I have an answer before they do.",
    "Half of my pipeline was waiting on this report. Not any more.",
    "My favourite part: nobody had to fake anything for the auditor.",
    "Prospects trust a report more than a promise, and now we have one.",
    "This took patience from people who would rather have been building.",
    "I get asked about this in every first meeting, so here it is.",
]


def edit_brief(root: Path, change, brief: str = "soc2-type2") -> None:
    path = root / "briefs" / f"{brief}.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def add_people(root: Path, ids: list[str], *, first: bool = False, channel: str | None = None):
    for ident in ids:
        (root / "voices" / f"{ident}.yaml").write_text(
            f"name: {ident.title()} Example\nrole: Account Executive\nprograms: [advocacy]\n"
        )

    def change(brief: dict) -> None:
        entries = [
            {"id": ident, "take": TAKES[(len(brief["participants"]) + n) % len(TAKES)]}
            for n, ident in enumerate(ids)
        ]
        brief["participants"] = (
            entries + brief["participants"] if first else brief["participants"] + entries
        )
        if channel:
            brief["channel"] = channel

    edit_brief(root, change)


def wordings_of(root: Path, rows: list) -> dict[str, str | None]:
    variants = load_workspace(root).briefs["soc2-type2"].advocacy.variants
    return {
        row.job.participant: wording_in(row.post.body, variants)
        for row in rows
        if row.job.program == "advocacy"
    }


def test_few_people_never_share_a_wording_and_adding_one_moves_nobody(workspace: Path) -> None:
    # alice, marcus, dan and two more: five people, five wordings, five different wordings.
    add_people(workspace, ["ann", "bob"])
    first = wordings_of(workspace, draft(workspace, program="advocacy"))
    assert len(first) == 5 and None not in first.values()
    assert len(set(first.values())) == 5
    # A newcomer listed first (drafted first) takes a wording of their own; everyone else keeps
    # theirs, read back from their drafts, and their files stay as they are.
    add_people(workspace, ["cyd"], first=True)
    rows = draft(workspace, program="advocacy")
    again = wordings_of(workspace, rows)
    assert {who: again[who] for who in first} == first
    assert {row.status for row in rows if row.job.participant != "cyd"} == {"unchanged"}


def test_many_people_spread_evenly_and_read_apart(workspace: Path) -> None:
    add_people(workspace, [f"p{n:02d}" for n in range(12)])
    rows = [row for row in draft(workspace, program="advocacy")]
    held = Counter(wordings_of(workspace, rows).values())
    # Even, give or take: a wording may have up to SLACK (2) more people than the least held
    # one when that keeps their drafts apart, so counts end at most three apart.
    assert len(held) == 5 and max(held.values()) - min(held.values()) <= 3
    bodies = [row.post.body for row in rows]
    ratios = [
        difflib.SequenceMatcher(None, a, b).ratio() for a, b in itertools.combinations(bodies, 2)
    ]
    # Fifteen people, five wordings: three share each. Their own lines and the lines around
    # keep even those apart (bare voice files here: a take and a role, no style), and nothing
    # is near what `bb lint` calls copy-paste resharing.
    assert max(ratios) <= 0.7
    assert not any(f.rule == "duplicate.resharing" for row in rows for f in row.findings)


def test_a_newcomer_changes_no_one_elses_draft(workspace: Path) -> None:
    # Many people share each wording; a newcomer drafted first takes a wording and lines, and
    # still nobody else's draft changes: what their drafts say around a wording is theirs.
    for channel in ("linkedin", "x"):
        add_people(workspace, [f"{channel}{n:02d}" for n in range(10)], channel=channel)
        draft(workspace, program="advocacy")
        add_people(workspace, [f"new{channel}"], first=True)
        rows = draft(workspace, program="advocacy")
        changed = [row.job.participant for row in rows if row.status != "unchanged"]
        assert changed == [f"new{channel}"]


def test_wording_plan_keeps_what_a_draft_holds() -> None:
    variants = ["one wording", "another wording", "a third wording"]
    plan = WordingPlan("b", variants, {"kim": "a third wording", "lee": None})
    assert plan.choose("kim") == "a third wording"  # read from their draft: kept
    chosen = plan.choose("new")
    assert chosen != "a third wording"  # the least held first
    plan.record("new", chosen, "My line.")
    assert plan.choose("next", "My line.") not in {chosen, "a third wording"}


def test_lines_are_not_repeated_from_the_persons_earlier_posts(workspace: Path) -> None:
    edit_brief(workspace, lambda b: b["participants"].append({"id": "marcus"}), "hiring-q1")
    draft(workspace, "soc2-type2")
    draft(workspace, "hiring-q1")
    soc2 = load_post(workspace, "posts/soc2-type2/marcus--advocacy.md").body
    hiring = load_post(workspace, "posts/hiring-q1/marcus--advocacy.md").body
    voice = load_workspace(workspace).voices["marcus"]
    pool = [
        *(line for group in pools.context_lines(voice, voice.style.audience) for _, line in group),
        *voice.style.sign_offs,
        voice.style.intro or "",
    ]
    repeated = [line for line in pool if line and line in soc2 and line in hiring]
    assert not repeated


def test_on_x_one_person_per_wording_the_others_post_their_line_and_the_link(
    workspace: Path,
) -> None:
    add_people(workspace, [f"p{n:02d}" for n in range(8)], channel="x")
    rows = [row for row in draft(workspace, program="advocacy")]
    assert all(row.length <= 280 for row in rows)
    held = [w for w in wordings_of(workspace, rows).values() if w is not None]
    assert held and len(held) == len(set(held))  # no wording twice on X
    link = load_workspace(workspace).briefs["soc2-type2"].advocacy.link
    assert all(link in row.post.body for row in rows)


def test_a_calibrated_person_gets_the_layout_that_sounds_most_like_them(workspace: Path) -> None:
    [plain] = draft(workspace, participants=("alice",), program="advocacy")
    # Without Voice Memory: the plain layout, her line and the wording in paragraphs of their own.
    paragraphs = plain.post.body.split("\n\n")
    assert paragraphs[0] == "Sharing because this one took real work from the whole team."
    calibrate(load_workspace(workspace), "alice")
    [shaped] = draft(workspace, participants=("alice",), program="advocacy", force=True)
    ws = load_workspace(workspace)
    assert shaped.voice is not None
    assert shaped.voice >= (voice_score(ws, shaped.job, plain.post.body) or 0)
    # The same lines, only laid out differently: her line, the wording, the link are all there.
    for part in (paragraphs[0], paragraphs[1], "https://acme-security.example.com"):
        assert part in shaped.post.body
