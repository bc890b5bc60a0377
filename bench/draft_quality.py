"""Would people actually post these drafts? Measured on the example workspace plus 13
participants (copies of the example voices under new names, about half without their
`style:` block; two in three with a `take:` in the brief, written the way the copied person
writes, no two alike), for LinkedIn and X, before and after `bb voice calibrate`.

Per brief, over the advocacy bodies: max and mean pairwise difflib ratio (goal <= 0.65 and
<= 0.45), the longest word-for-word run shared by more than half the posts (goal <= 8 words);
over all drafts: share within the channel limit (goal 100%), share at or above the voice
threshold where the person has Voice Memory (goal 100%), and drafts still asking for the
person's own line (placeholders, which lint blocks until they write it).

Run: python bench/draft_quality.py. Builds its own workspaces in temp dirs.
"""

from __future__ import annotations

import difflib
import itertools
import re
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

EXAMPLE = Path(__file__).resolve().parents[1] / "src" / "bloomberry_cli" / "example"
EXTRA = 13
#: One-line takes per source voice (in the order of the example's voice files: alice, dan,
#: marcus, priya, sam), written the way that person writes: a take is the person's own words.
#: Each copy of a voice gets a different one, so no two participants are the same person.
TAKES = [
    [
        "We did the unglamorous part properly. That is the whole story.",
        "Boring controls, enforced every day. That's what this took.",
    ],
    [
        "Moments like this remind me that the quiet work of a team is what people eventually "
        "see, even when nobody is watching it happen.",
        "I keep thinking about how much of this company is built in decisions nobody sees, and "
        "this is one of the rare times they show.",
    ],
    [
        "This comes up on my calls every week, so I'm glad to pass it on. Who on your team "
        "should see it?",
        "Customers ask me about this on almost every call. What's on your list this quarter?",
    ],
    [
        "Candidates ask me about this all the time, so here it is!",
        "Honest take from the hiring side: this is a team I'd tell a friend about!",
    ],
    ["Small thing, big effect. Worth a read.", "Short version: it works. Read the rest."],
]
FIRST_NAMES = [
    "Ava",
    "Ben",
    "Chloe",
    "Diego",
    "Esme",
    "Farid",
    "Grace",
    "Hugo",
    "Iris",
    "Jon",
    "Kemi",
    "Leo",
    "Mina",
]


def build(root: Path, channel: str) -> None:
    shutil.copytree(EXAMPLE, root)
    originals = sorted(p for p in (root / "voices").glob("*.yaml"))
    added: list[str] = []
    for n in range(EXTRA):
        source = originals[n % len(originals)]
        voice = yaml.safe_load(source.read_text())
        voice["name"] = f"{FIRST_NAMES[n]} {voice['name'].split()[-1]}"
        voice.pop("email", None)
        voice.pop("keys", None)
        if n % 2:  # about half have no style block at all
            voice.pop("style", None)
        voice["programs"] = ["advocacy", "thought-leadership"]
        ident = f"extra{n:02d}"
        (root / "voices" / f"{ident}.yaml").write_text(yaml.safe_dump(voice, sort_keys=False))
        added.append(ident)
    for brief_file in (root / "briefs").glob("*.yaml"):
        brief = yaml.safe_load(brief_file.read_text())
        brief["channel"] = channel
        given: dict[int, int] = {}  # source voice → takes handed out to its copies
        for n, ident in enumerate(added):
            entry: dict[str, object] = {"id": ident}
            if n % 3 != 2:  # two in three gave marketing a one-line take
                source = n % len(originals)
                takes = TAKES[source]
                entry["take"] = takes[given.get(source, 0) % len(takes)]
                given[source] = given.get(source, 0) + 1
            brief["participants"].append(entry)
        brief_file.write_text(yaml.safe_dump(brief, sort_keys=False, allow_unicode=True))


def longest_common_run(texts: list[str]) -> int:
    """The longest run of words that more than half of ``texts`` carry word for word."""
    words = [re.findall(r"\w+", re.sub(r"https?://\S+", " | ", t.lower())) for t in texts]
    need = len(texts) // 2 + 1
    best = 0
    for size in range(1, 60):
        counts: dict[tuple[str, ...], int] = {}
        for tokens in words:
            for gram in {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}:
                counts[gram] = counts.get(gram, 0) + 1
        if not any(n >= need for n in counts.values()):
            break
        best = size
    return best


def threshold(workspace: object) -> int:
    return int(workspace.config.lint.voice_threshold)  # type: ignore[attr-defined]


def given_words_score(workspace: object, row: object) -> int | None:
    """The voice score of what the person gave the brief themselves (their take, or their
    notes), alone: what a template draft cannot lift, since it may not rewrite their words."""
    from bloomberry_cli.voice.score import score_text

    job = row.job  # type: ignore[attr-defined]
    voice = workspace.voices[job.participant]  # type: ignore[attr-defined]
    given = job.take if job.program == "advocacy" else " ".join(job.notes)
    if not given or voice.memory is None:
        return None
    return score_text(given, voice.memory, voice.name).score


def measure(label: str, channel: str, calibrate: bool) -> bool:
    from bloomberry_cli.drafting.draft import DraftOptions, draft_briefs
    from bloomberry_cli.workspace import load_workspace

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        build(root, channel)
        if calibrate:
            from bloomberry_cli.voice.calibrate import calibrate as learn

            workspace = load_workspace(root)
            for voice_id in workspace.voices:
                learn(workspace, voice_id)  # writes the memory: block into the voice file
        workspace = load_workspace(root)
        rows = draft_briefs(workspace, list(workspace.briefs), DraftOptions())
        ok = True
        print(f"\n{label}: {len(rows)} drafts, {len(workspace.voices)} participants")
        for brief_id in workspace.briefs:
            bodies = [
                row.post.body
                for row in rows
                if row.post is not None
                and row.job.brief_id == brief_id
                and row.job.program == "advocacy"
            ]
            if len(bodies) < 2:  # a brief without advocacy (or one poster) has no pairs
                continue
            ratios = [
                difflib.SequenceMatcher(None, a, b).ratio()
                for a, b in itertools.combinations(bodies, 2)
            ]
            top, mean = max(ratios), sum(ratios) / len(ratios)
            run = longest_common_run(bodies)
            good = top <= 0.65 and mean <= 0.45 and run <= 8
            ok &= good
            print(
                f"  {brief_id:12} {len(bodies):2} advocacy posts: difflib max {top:.2f} (goal "
                f"<= 0.65), mean {mean:.2f} (<= 0.45); shared run {run} words (<= 8)  "
                f"{'ok' if good else 'MISSED'}"
            )
        within = sum(not row.over_limit for row in rows)

        def asking(row: object) -> bool:
            post = getattr(row, "post", None)
            return post is not None and "[add your own" in post.body.lower()

        placeholders = [row for row in rows if asking(row)]
        # A placeholder asks the person for words by design (lint blocks it until they write
        # them): its voice score says nothing about bb's drafting, so it is counted apart.
        scored = [row for row in rows if row.voice is not None and not asking(row)]
        # Judged: the draft holds lint.voice_min_words of the person's own words; below it the
        # score is shown, not judged (voice/fidelity.py's VoiceFit says why).
        judged = [row for row in scored if row.voice_judged]
        at_voice = sum(not row.below_voice for row in judged)
        print(
            f"  within {channel}'s limit: {within}/{len(rows)} ({within / len(rows):.0%}; "
            "goal 100%)"
        )
        print(
            f"  placeholder drafts (asking for the person's own words): {len(placeholders)}"
            f"/{len(rows)}"
        )
        if scored:
            low = sorted(row.voice for row in judged if row.below_voice)
            print(
                f"  judged non-placeholder drafts at/above the voice threshold: {at_voice}/"
                f"{len(judged)} ({at_voice / max(len(judged), 1):.0%}; goal 100%); below: {low}"
            )
            short = [row.voice for row in scored if not row.voice_judged]
            limit = threshold(workspace)
            print(
                f"  too short to judge (under lint.voice_min_words of their own words): "
                f"{len(short)}, of which {sum(v < limit for v in short)} score under {limit}"
            )
            noted = sum(row.voice_note is not None for row in judged if row.below_voice)
            print(
                f"  of those below, drafts whose summary names the person's own words in the "
                f"brief as the reason (voice_note): {noted}/{len(low)}"
            )
            ceilings = [given_words_score(workspace, row) for row in judged if row.below_voice]
            capped = sorted(c for c in ceilings if c is not None and c < limit)
            print(
                f"  of those below, drafts whose person's own words from the brief (take or "
                f"notes) score below the threshold by themselves: {len(capped)}/{len(low)} "
                f"{capped}"
            )
        ok &= within == len(rows) and at_voice == len(judged)
        return ok


if __name__ == "__main__":
    results = [
        measure(f"{channel}, {'calibrated' if cal else 'no Voice Memory'}", channel, cal)
        for channel in ("linkedin", "x")
        for cal in (False, True)
    ]
    print("\nall goals met" if all(results) else "\nsome goals missed")
    sys.exit(0 if all(results) else 1)
