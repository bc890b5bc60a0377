"""`bb draft` at scale.

Template engine: one brief (four message variants) for N participants × 2 programs,
drafted, linted, voice-scored, resharing-checked and written (`bb draft` as a fresh process).
Targets (issue 16): 2,000 drafts <= 1 s, 20,000 drafts <= 10 s end to end. Wall time depends on
the disk and on other load; CPU time (user + sys of the process) is printed beside it.
(The LLM engine's 40 drafts at --jobs 8 are measured end to end by bench/llm_drafts.py.)

Run: python bench/draft_scale.py [PARTICIPANTS...] (default 1000 10000).
Builds its own workspace in a temp dir (on /dev/shm where there is one, to time bb rather than
the disk).
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "src" / "bloomberry_cli" / "example"
STYLES = [
    ("direct, technical", "we", "Unpopular opinion:"),
    ("warm, practical", "we", "Something I keep hearing:"),
    ("candid, energetic", "I", "Real talk:"),
    ("reflective", "we", "A lesson I keep relearning:"),
]


def build(root: Path, participants: int) -> None:
    shutil.copytree(EXAMPLE, root)
    for n in range(participants):
        tone, pronoun, opener = STYLES[n % len(STYLES)]
        (root / "voices" / f"p{n:04d}.yaml").write_text(
            f"name: Person {n}\nrole: Bench\nstyle:\n  tone: {tone}\n  pronoun: {pronoun}\n"
            f"  openers: ['{opener}']\n  intro: 'Intro number {n}, in my words.'\n"
            f"  audience: readers of person {n}\n  sign_offs: ['Sign-off {n}.']\n"
            f"samples: ['A sample post by person {n}.']\n"
        )
    one_brief_for_everyone(root)


def one_brief_for_everyone(root: Path) -> None:
    """briefs/big.yaml: the SOC 2 brief for every participant of role Bench, with two notes
    each (bench/llm_drafts.py builds on it too)."""
    brief = (root / "briefs" / "soc2-type2.yaml").read_text()
    brief = brief[: brief.index("participants:")] + (
        "participants:\n  - role: Bench\n    notes: [One observation., Another observation.]\n"
    )
    (root / "briefs" / "big.yaml").write_text(brief)


def template_run(participants: int) -> None:
    where = "/dev/shm" if os.path.isdir("/dev/shm") else None
    with tempfile.TemporaryDirectory(dir=where) as tmp:
        root = Path(tmp) / "ws"
        build(root, participants)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "bloomberry_cli", "draft", "big"],
            cwd=root,
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if result.returncode != 0:
            sys.exit(result.stderr[-2000:])
        written = len(list((root / "posts" / "big").glob("*.md")))
        lines = len(result.stdout.splitlines())
        print(
            f"template engine: {written:,} drafts ({participants:,} participants x 2) "
            f"in {wall:.2f} s wall, {cpu:.2f} s CPU ({written / wall:,.0f} drafts/s); "
            f"summary: {lines} lines"
        )


if __name__ == "__main__":
    sizes = [int(arg) for arg in sys.argv[1:] if arg.isdigit()] or [1000, 10000]
    for size in sizes:
        template_run(size)
