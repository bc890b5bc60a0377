"""`bb lint` at scale: 10,000 posts of ~100 words against 1,000 blocked phrases and 200
approved claims, all rules on.

Run: python bench/lint_corpus.py [POSTS]. It builds its own workspace in a temp dir, then times
the whole command (`bb lint --format json`, a fresh process) and reports wall time, peak memory
(RSS of the child) and the finding counts. Target (issue 4): under 2 s and 300 MB.
Then again with `examples:` on one blocked claim in ten (issue 21: paraphrase matching may add
at most 50%), and with Voice Memory for every participant.
"""

from __future__ import annotations

import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "src" / "bloomberry_cli" / "example"
WORDS = [
    "security", "team", "audit", "access", "control", "customer", "renewal", "onboarding",
    "process", "engineer", "platform", "review", "policy", "token", "rotation", "compliance",
    "trust", "data", "vendor", "risk", "identity", "cloud", "incident", "response", "report",
    "question", "hiring", "candidate", "interview", "decision", "roadmap", "signal", "metric",
    "quarter", "budget", "workflow",
]


SEED = 7
EXAMPLES = [
    "our {a} can never be breached", "you will never lose {b} data with us",
    "we promise better {a} results for every {b}", "the {a} {b} is completely secure",
    "there is no {a} downtime, ever", "nobody beats our {b} {a}",
]


def write_claims(root: Path, rng: random.Random,
                 examples: random.Random | None = None) -> list[str]:
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
            said = [t.format(a=examples.choice(WORDS), b=examples.choice(WORDS))
                    for t in examples.sample(EXAMPLES, 2)]
            extra = f", examples: {said}"
        blocked.append(f"  - {{id: b{i}, phrases: ['{phrases[-1]}'], reason: r{i}{extra}}}")
    for i in range(20):
        blocked.append(f"  - {{id: p{i}, patterns: ['guarantee[sd]? zr{i}'], reason: r}}")
    approved = ["approved:", "  - {id: soc2-type2, text: SOC 2 Type II certified}",
                "  - {id: open-roles, text: twelve open roles}",
                "  - {id: customers-400, text: more than 400 security teams}"]
    for i in range(200):
        approved.append(f"  - {{id: a{i}, text: '{i + 10}% fewer {rng.choice(WORDS)} tickets', "
                        f"variants: ['{i + 10} percent fewer tickets']}}")
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
        if n % 70 == 0:
            words.insert(10, "45% faster")
        body = " ".join(words[:50]) + ".\n\n" + " ".join(words[50:]) + "."
        voice = voices[n % len(voices)]
        program = "thought-leadership" if n % 3 else "advocacy"
        target = root / "posts" / brief / f"{voice}-{n}--{program}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"---\nbrief: {brief}\nparticipant: {voice}\nprogram: {program}\n"
                          f"channel: linkedin\n---\n{body}\n")


def calibrate_voices(root: Path) -> None:
    """Give every participant Voice Memory, so voice.fidelity runs on every post too."""
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
        plain = run(root)
        write_claims(root, random.Random(SEED), examples=random.Random(11))
        print("with examples: on one blocked claim in ten (claims.paraphrase, issue 21):")
        with_examples = run(root)
        print(f"paraphrase matching adds {100 * (with_examples / plain - 1):+.0f}% "
              "(budget: +50%)")
        calibrate_voices(root)
        print("with Voice Memory for every participant (voice.fidelity on every post too):")
        run(root)


def run(root: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "bloomberry_cli", "lint", "--format",
                             "json"], cwd=root, capture_output=True, text=True)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if result.returncode not in (0, 1):
        sys.exit(f"bb lint failed ({result.returncode}): {result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    rules: dict[str, int] = {}
    for finding in report["findings"]:
        rules[finding["rule"]] = rules.get(finding["rule"], 0) + 1
    print(f"posts {report['files']:,}  blocked phrases 1,000 + 20 patterns  approved 200")
    print(f"wall {wall:.2f} s   peak RSS {peak:.0f} MB   {report['files'] / wall:,.0f} posts/s")
    print(f"findings {report['summary']}  by rule {dict(sorted(rules.items()))}")
    return wall


if __name__ == "__main__":
    main()
