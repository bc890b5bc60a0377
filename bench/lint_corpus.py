"""`bb lint` at scale: 10,000 posts of ~100 words against 1,000 blocked phrases and 200
approved claims, all rules on.

Run: python bench/lint_corpus.py [POSTS]. It builds its own workspace in a temp dir, then times
the whole command (`bb lint --format json`, a fresh process) and reports wall time, CPU time,
peak memory (RSS of the child) and the finding counts, and checks that every planted blocked
phrase was found. Target (issue 13): the first run (no `examples:`, no Voice Memory) in at most
1.0 s wall on a 2-core machine, and 300 MB. Then again with `examples:` on one blocked claim in
ten (issue 21: paraphrase matching may add at most 50%), and with Voice Memory for every
participant.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
EXAMPLE = SRC / "bloomberry_cli" / "example"
WORDS = [
    "security",
    "team",
    "audit",
    "access",
    "control",
    "customer",
    "renewal",
    "onboarding",
    "process",
    "engineer",
    "platform",
    "review",
    "policy",
    "token",
    "rotation",
    "compliance",
    "trust",
    "data",
    "vendor",
    "risk",
    "identity",
    "cloud",
    "incident",
    "response",
    "report",
    "question",
    "hiring",
    "candidate",
    "interview",
    "decision",
    "roadmap",
    "signal",
    "metric",
    "quarter",
    "budget",
    "workflow",
]


SEED = 7
EXAMPLES = [
    "our {a} can never be breached",
    "you will never lose {b} data with us",
    "we promise better {a} results for every {b}",
    "the {a} {b} is completely secure",
    "there is no {a} downtime, ever",
    "nobody beats our {b} {a}",
]
PLANTED: list[tuple[int, str]] = []  # (post number, participant) of each planted phrase


def write_claims(
    root: Path, rng: random.Random, examples: random.Random | None = None
) -> list[str]:
    """1,000 blocked phrases, 20 patterns, 200 approved claims; with ``examples`` (their own
    random source, so the rest stays the same), one blocked claim in ten carries two example
    sentences built from the posts' own words."""
    blocked = ["blocked:"]
    phrases = []
    for i in range(1000):
        a, b = rng.sample(WORDS, 2)
        phrases.append(f"{a} zq{i} {b}")
        extra = ""
        if examples is not None and i % 10 == 0:
            said = [
                t.format(a=examples.choice(WORDS), b=examples.choice(WORDS))
                for t in examples.sample(EXAMPLES, 2)
            ]
            extra = f", examples: {said}"
        blocked.append(f"  - {{id: b{i}, phrases: ['{phrases[-1]}'], reason: r{i}{extra}}}")
    for i in range(20):
        blocked.append(f"  - {{id: p{i}, patterns: ['guarantee[sd]? zr{i}'], reason: r}}")
    approved = [
        "approved:",
        "  - {id: soc2-type2, text: SOC 2 Type II certified}",
        "  - {id: open-roles, text: twelve open roles}",
        "  - {id: customers-400, text: more than 400 security teams}",
    ]
    for i in range(200):
        approved.append(
            f"  - {{id: a{i}, text: '{i + 10}% fewer {rng.choice(WORDS)} tickets', "
            f"variants: ['{i + 10} percent fewer tickets']}}"
        )
    (root / "claims.yaml").write_text("\n".join(approved + blocked) + "\n")
    return phrases


def build(root: Path, posts: int, rng: random.Random) -> None:
    shutil.copytree(EXAMPLE, root)
    phrases = write_claims(root, rng)
    voices = sorted(p.stem for p in (root / "voices").glob("*.yaml"))
    for n in range(posts):
        brief = f"brief-{n // 20:04d}"
        words = [rng.choice(WORDS) for _ in range(100)]
        if n % 50 == 0:
            words.insert(40, phrases[n % 1000].upper())
            PLANTED.append((n, voices[n % len(voices)]))
        if n % 70 == 0:
            words.insert(10, "45% faster")
        body = " ".join(words[:50]) + ".\n\n" + " ".join(words[50:]) + "."
        voice = voices[n % len(voices)]
        program = "thought-leadership" if n % 3 else "advocacy"
        target = root / "posts" / brief / f"{voice}-{n}--{program}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            f"---\nbrief: {brief}\nparticipant: {voice}\nprogram: {program}\n"
            f"channel: linkedin\n---\n{body}\n"
        )


def calibrate_voices(root: Path) -> None:
    """Give every participant Voice Memory, so voice.fidelity runs on every post too."""
    sys.path.insert(0, str(SRC))  # this checkout's code, like the timed child
    from bloomberry_cli.voice.calibrate import calibrate
    from bloomberry_cli.workspace import load_workspace

    workspace = load_workspace(root)
    for voice_id in workspace.voices:
        calibrate(workspace, voice_id)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        build(root, count, random.Random(SEED))
        print("issue 4's rules (no Voice Memory yet):")
        plain_wall, plain_cpu = run(root)
        write_claims(root, random.Random(SEED), examples=random.Random(11))
        print("with examples: on one blocked claim in ten (claims.paraphrase, issue 21):")
        wall, cpu = run(root)
        print(
            f"paraphrase matching adds {100 * (wall / plain_wall - 1):+.0f}% wall, "
            f"{100 * (cpu / plain_cpu - 1):+.0f}% cpu (budget: +50%)"
        )
        calibrate_voices(root)
        print("with Voice Memory for every participant (voice.fidelity on every post too):")
        run(root)


def run(root: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one `bb lint`; exits if a planted phrase was missed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    # This checkout's code, whatever is installed: the command runs in the workspace, where a
    # relative PYTHONPATH would not point here.
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    result = subprocess.run(
        [sys.executable, "-m", "bloomberry_cli", "lint", "--format", "json"],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = after.ru_maxrss / 1024  # the largest child so far
    # CPU seconds of bb and its workers: a fairer figure than wall time on a shared machine.
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if result.returncode not in (0, 1):
        sys.exit(f"bb lint failed ({result.returncode}): {result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    planted = {
        f"{voice}-{n}--{'thought-leadership' if n % 3 else 'advocacy'}.md" for n, voice in PLANTED
    }
    hits = {
        f["path"].rsplit("/", 1)[1] for f in report["findings"] if f["rule"] == "claims.blocked"
    }
    missed = planted - hits
    rules: dict[str, int] = {}
    for finding in report["findings"]:
        rules[finding["rule"]] = rules.get(finding["rule"], 0) + 1
    print(f"posts {report['files']:,}  blocked phrases 1,000 + 20 patterns  approved 200")
    print(
        f"wall {wall:.2f} s   cpu {cpu:.2f} s (all processes)   peak RSS {peak:.0f} MB   "
        f"{report['files'] / wall:,.0f} posts/s"
    )
    print(f"findings {report['summary']}  by rule {dict(sorted(rules.items()))}")
    print(f"planted blocked phrases found: {len(planted) - len(missed)} of {len(planted)}")
    if missed or hits - planted:
        sys.exit(f"missed {sorted(missed)[:5]}, unexpected {sorted(hits - planted)[:5]}")
    return wall, cpu


if __name__ == "__main__":
    main()
