"""`bb draft` at scale.

1. Template engine: one brief for 1,000 participants × 2 programs, drafted, linted and written
   (`bb draft` as a fresh process). Target (issue 3): under 3 s wall.
(The LLM engine's 40 drafts at --jobs 8 are measured end to end by bench/llm_drafts.py.)

Run: python bench/draft_scale.py [PARTICIPANTS]. Builds its own workspace in a temp dir.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "src" / "bloomberry_cli" / "example"
STYLES = [("direct, technical", "we", "Unpopular opinion:"),
          ("warm, practical", "we", "Something I keep hearing:"),
          ("candid, energetic", "I", "Real talk:"),
          ("reflective", "we", "A lesson I keep relearning:")]


def build(root: Path, participants: int) -> None:
    shutil.copytree(EXAMPLE, root)
    for n in range(participants):
        tone, pronoun, opener = STYLES[n % len(STYLES)]
        (root / "voices" / f"p{n:04d}.yaml").write_text(
            f"name: Person {n}\nrole: Bench\nstyle:\n  tone: {tone}\n  pronoun: {pronoun}\n"
            f"  openers: ['{opener}']\n  intro: 'Intro number {n}, in my words.'\n"
            f"  audience: readers of person {n}\n  sign_offs: ['Sign-off {n}.']\n"
            f"samples: ['A sample post by person {n}.']\n")
    brief = (root / "briefs" / "soc2-type2.yaml").read_text()
    brief = brief[:brief.index("participants:")] + (
        "participants:\n  - role: Bench\n    notes: [One observation., Another observation.]\n")
    (root / "briefs" / "big.yaml").write_text(brief)


def template_run(participants: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        build(root, participants)
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "bloomberry_cli", "draft", "big"],
                                cwd=root, capture_output=True, text=True)
        wall = time.perf_counter() - start
        if result.returncode != 0:
            sys.exit(result.stderr[-2000:])
        written = len(list((root / "posts" / "big").glob("*.md")))
        print(f"template engine: {written:,} drafts ({participants:,} participants x 2) "
              f"in {wall:.2f} s wall ({written / wall:,.0f} drafts/s)")


if __name__ == "__main__":
    template_run(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
