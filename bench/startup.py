"""Wall time of `bb --help`, `bb --version` and `bb validate` on the example workspace.

Run: python bench/startup.py [RUNS]. Prints the median and worst of RUNS fresh processes.
Target (issue 2): under 0.3 s each on a 2-core machine.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "src" / "bloomberry_cli" / "example"


def measure(args: list[str], cwd: Path, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "bloomberry_cli", *args],
            cwd=cwd,
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Path(tmp) / "ws"
        shutil.copytree(EXAMPLE, workspace)
        for args in (["--version"], ["--help"], ["validate"]):
            times = measure(args, workspace, runs)
            print(
                f"bb {' '.join(args):<10} median {statistics.median(times) * 1000:6.0f} ms"
                f"   worst {max(times) * 1000:6.0f} ms   ({runs} runs)"
            )


if __name__ == "__main__":
    main()
