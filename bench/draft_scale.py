"""`bb draft` at scale.

1. Template engine: one brief for 1,000 participants × 2 programs, drafted, linted and written
   (`bb draft` as a fresh process). Target (issue 3): under 3 s wall.
2. LLM engine: 40 drafts against litellm's mock_response with 1 s latency (mock_delay) at
   --jobs 8, through the library. Target: under 8 s wall.

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


def llm_run() -> None:
    from bloomberry_cli.drafting.draft import DraftOptions, draft_briefs
    from bloomberry_cli.drafting.llm_engine import load_litellm
    from bloomberry_cli.workspace import load_workspace

    litellm = load_litellm()

    def slow_model(**kwargs: object) -> object:
        return litellm.completion(**kwargs, mock_response="A drafted post.", mock_delay=1.0)

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        build(root, 20)
        workspace = load_workspace(root)
        start = time.perf_counter()
        rows = draft_briefs(workspace, ["big"], DraftOptions(engine="llm", model="gpt-4o-mini",
                                                             jobs=8, use_cache=False),
                            completion=slow_model)
        wall = time.perf_counter() - start
        ok = sum(row.status == "written" for row in rows)
        print(f"llm engine: {ok} of {len(rows)} drafts, 1 s mock latency, --jobs 8: "
              f"{wall:.2f} s wall (ideal {len(rows) / 8:.0f} s)")


if __name__ == "__main__":
    template_run(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
    llm_run()
