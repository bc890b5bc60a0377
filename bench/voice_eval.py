"""Voice Memory quality, measured.

1. Attribution: calibrate a profile for each writer in bench/data/voice_eval.yaml from their
   first six posts; score each held-out post against every profile; the held-out post should
   score highest against its own writer in at least 90% of cases.
2. Drafts: template drafts for two participants of the same brief must each score higher
   against their own profile than against the other's (the example workspace's voices,
   calibrated from their samples).
3. Speed: calibration and scoring per call.

Run: python bench/voice_eval.py
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import yaml

from bloomberry_cli.voice.profile import build_profile
from bloomberry_cli.voice.score import score_text

DATA = Path(__file__).resolve().parent / "data" / "voice_eval.yaml"
EXAMPLE = Path(__file__).resolve().parents[1] / "src" / "bloomberry_cli" / "example"
HELD_OUT = 2


def attribution() -> None:
    writers = yaml.safe_load(DATA.read_text())["writers"]
    start = time.perf_counter()
    profiles = {name: build_profile(posts[:-HELD_OUT]) for name, posts in writers.items()}
    calibrate_ms = (time.perf_counter() - start) * 1000 / len(profiles)
    hits = total = 0
    margins = []
    start = time.perf_counter()
    for name, posts in writers.items():
        for post in posts[-HELD_OUT:]:
            scores = {other: score_text(post, profile, other).score
                      for other, profile in profiles.items()}
            best = max(scores, key=scores.get)
            total += 1
            hits += best == name
            rival = max(s for other, s in scores.items() if other != name)
            margins.append(scores[name] - rival)
            if best != name:
                print(f"  miss: a {name} post scored {scores[name]} against its writer, "
                      f"{scores[best]} against {best}")
    score_ms = (time.perf_counter() - start) * 1000 / (total * len(profiles))
    print(f"attribution: {hits}/{total} held-out posts ({hits / total:.0%}) score highest "
          f"against their own writer ({len(writers)} writers; mean margin "
          f"{sum(margins) / len(margins):.1f} points)")
    print(f"speed: calibrate {calibrate_ms:.1f} ms per writer, score {score_ms:.2f} ms per post")


def drafts() -> None:
    from bloomberry_cli.drafting.draft import DraftOptions, draft_briefs
    from bloomberry_cli.posts import load_post
    from bloomberry_cli.voice.calibrate import calibrate
    from bloomberry_cli.voice.fidelity import own_words
    from bloomberry_cli.workspace import load_workspace

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        shutil.copytree(EXAMPLE, root)
        workspace = load_workspace(root)
        for voice_id in workspace.voices:
            calibrate(workspace, voice_id)
        workspace = load_workspace(root)
        rows = draft_briefs(workspace, ["soc2-type2", "hiring-q1"], DraftOptions())
        for brief in ("soc2-type2", "hiring-q1"):
            for program in ("advocacy", "thought-leadership"):
                posts = {r.job.participant: load_post(root, r.job.path) for r in rows
                         if r.job.brief_id == brief and r.job.program == program}
                people = sorted(posts)
                wins = pairs = 0
                for a in people:
                    for b in people:
                        if a == b:
                            continue
                        text = own_words(workspace, posts[a])
                        own = score_text(text, workspace.voices[a].memory, a).score
                        other = score_text(text, workspace.voices[b].memory, b).score
                        pairs += 1
                        wins += own > other
                        if own <= other:
                            print(f"  {brief} {program}: {a}'s draft scores {own} as {a}, "
                                  f"{other} as {b}")
                print(f"drafts {brief} {program}: {wins}/{pairs} ordered pairs score higher "
                      "against their own participant")


if __name__ == "__main__":
    attribution()
    drafts()
