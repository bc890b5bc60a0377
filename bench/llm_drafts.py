"""`bb draft --engine llm` end to end: 40 drafts at 1 s latency, --jobs 8, as a fresh process.

Target (issue 15): <= 8.5 s wall for the whole `bb` process, litellm's import (~3 s) included;
the requests alone take 40 x 1 s / 8 = 5 s. The model is the OpenAI-compatible fake from
tests/fake_llm.py on 127.0.0.1 (real HTTP, real litellm), answering each request after
LATENCY seconds. Also times a rerun answered from the cache, and Ctrl-C (SIGINT to exit).

Run: python bench/llm_drafts.py [RUNS]. Builds its own workspace in a temp dir.
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from draft_scale import one_brief_for_everyone  # noqa: E402  (this script's folder)

from support.fake_llm import FakeLLM, Reply, Request, post  # noqa: E402

EXAMPLE = ROOT / "src" / "bloomberry_cli" / "example"
PARTICIPANTS = 20  # x 2 programs = 40 drafts
LATENCY = 1.0


def build(root: Path) -> None:
    shutil.copytree(EXAMPLE, root)
    for n in range(PARTICIPANTS):
        (root / "voices" / f"p{n:02d}.yaml").write_text(
            f"name: Person {n}\nrole: Bench\nstyle:\n  tone: direct\n"
            f"  intro: 'Intro number {n}.'\nsamples: ['A sample post by person {n}.']\n"
        )
    one_brief_for_everyone(root)


def answer(request: Request, n: int) -> Reply:
    # Distinct words per request: no draft reads like a copy of another (no re-asks).
    words = " ".join(f"w{n}x{i}" for i in range(30))
    return post(f"Draft {n}: {words}. (I work at Acme Security.)", delay=LATENCY)


def bb(root: Path, base: str, home: Path, *args: str) -> subprocess.Popen[str]:
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT / "src"),
        OPENAI_API_BASE=base,
        OPENAI_API_KEY="sk-bench-0000000000",
        BB_HOME=str(home),
    )
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bloomberry_cli",
            "draft",
            "big",
            "--engine",
            "llm",
            "--model",
            "openai/fake-model",
            "--jobs",
            "8",
            *args,
        ],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def timed(root: Path, base: str, home: Path, *args: str) -> float:
    start = time.perf_counter()
    process = bb(root, base, home, *args)
    _, err = process.communicate()
    wall = time.perf_counter() - start
    if process.returncode != 0:
        sys.exit(err[-2000:])
    return wall


def import_time() -> float:
    """litellm's import alone, in a fresh process: the floor under the cold figure."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "import litellm"],
        check=True,
        env=dict(os.environ, LITELLM_LOCAL_MODEL_COST_MAP="True"),
    )
    return time.perf_counter() - start


def main(runs: int) -> None:
    cold, warm, interrupts, imports, first, tail = [], [], [], [], [], []
    with tempfile.TemporaryDirectory() as tmp, FakeLLM(answer, max_lifetime=900) as fake:
        for run in range(runs):
            root, home = Path(tmp) / f"ws{run}", Path(tmp) / f"home{run}"
            build(root)
            imports.append(import_time())
            before = len(fake.requests)
            started = time.monotonic()
            cold.append(timed(root, fake.base, home, "--force"))
            ended = time.monotonic()
            sent = len(fake.requests) - before
            arrivals = sorted(r.at for r in fake.requests[before:])
            first.append(arrivals[0] - started)
            tail.append(ended - arrivals[-1] - LATENCY)
            assert sent == 2 * PARTICIPANTS, sent
            warm.append(timed(root, fake.base, home, "--force"))
            # Ctrl-C once requests are in flight: time from SIGINT to exit.
            process = bb(root, fake.base, home, "--force", "--no-cache")
            while len(fake.requests) < before + sent + 4:
                time.sleep(0.02)
            time.sleep(0.2)
            signal_at = time.perf_counter()
            process.send_signal(signal.SIGINT)
            process.communicate()
            interrupts.append(time.perf_counter() - signal_at)
            assert process.returncode == 130, process.returncode
    drafts = 2 * PARTICIPANTS

    def show(label: str, values: list[float]) -> str:
        return (
            f"{label}: median {statistics.median(values):.2f} s, "
            f"min {min(values):.2f}, max {max(values):.2f} ({len(values)} runs)"
        )

    print(f"{drafts} drafts, {LATENCY:.1f} s latency, --jobs 8, whole `bb` process:")
    print("  " + show("cold (all requests)", cold) + "   target <= 8.5 s")
    print("  " + show("  of which: start to first request", first))
    print("  " + show("  of which: last answer to exit", tail))
    print("  " + show("litellm import alone (python -c)", imports))
    print("  " + show("rerun from the cache", warm))
    print("  " + show("Ctrl-C to exit", interrupts) + "   target < 1 s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
