"""The long fuzz run: every parser of untrusted input, many generated inputs each.

Run: python bench/fuzz_parsers.py [EXAMPLES]  (default 2,000 per parser; the 10 kB lint run
uses a quarter of that). Uses the strategies of tests/support/fuzz.py with hypothesis, and
prints per parser: inputs tried, crashes (an exception other than the parser's documented
refusal, or a broken property), and the slowest input. Goals (issue 19): no crash; no input
over 100 ms for a 10 kB post.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(HERE / "src"), str(HERE / "tests")]

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from bloomberry_cli.approvals import sshsig  # noqa: E402
from bloomberry_cli.approvals.trailers import MalformedMessage, parse_decision  # noqa: E402
from bloomberry_cli.errors import BBError  # noqa: E402
from bloomberry_cli.governance.disguises import disguise_view  # noqa: E402
from bloomberry_cli.governance.lint import Linter  # noqa: E402
from bloomberry_cli.governance.normalize import fold_plain  # noqa: E402
from bloomberry_cli.posts import PostError, parse_post  # noqa: E402
from bloomberry_cli.program import metrics  # noqa: E402
from bloomberry_cli.workspace import load_workspace  # noqa: E402
from bloomberry_cli.yamlfile import YamlProblems, parse_yaml  # noqa: E402
from support.fuzz import (  # noqa: E402
    commit_message,
    front_matter_text,
    metrics_csv,
    prose_text,
    sshsig_armored,
    ten_kb_text,
    tricky_text,
    yaml_text,
)

FRONT = "---\nbrief: soc2-type2\nparticipant: alice\nprogram: advocacy\nchannel: linkedin\n---\n"


@dataclass
class Tally:
    name: str
    inputs: int = 0
    seconds: float = 0.0
    slowest: float = 0.0
    slowest_input: str = ""
    largest: int = 0
    crashes: dict[str, str] = field(default_factory=dict)

    def run(self, call: Callable[[Any], None], value: Any) -> None:
        start = time.perf_counter()
        try:
            call(value)
        except Exception as exc:  # a crash: remember where, keep fuzzing
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            where = f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}"
            if isinstance(exc, AssertionError):
                where = f"property broken: {exc}"
            self.crashes.setdefault(where, repr(value)[:160])
        elapsed = time.perf_counter() - start
        self.inputs += 1
        self.seconds += elapsed
        self.largest = max(self.largest, len(value) if hasattr(value, "__len__") else 0)
        if elapsed > self.slowest:
            self.slowest, self.slowest_input = elapsed, repr(value)[:80]


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for one in text.split("\n"):
        starts.append(starts[-1] + len(one) + 1)
    return starts


def _slice(text: str, starts: list[int], f: Any) -> str:
    return text[starts[f.line - 1] + f.column - 1 : starts[f.end_line - 1] + f.end_column - 1]


def targets(root: Path) -> list[tuple[str, Any, Callable[[Any], None], float]]:
    linter = Linter(load_workspace(root), dt.date(2026, 12, 3))
    source = root.parent / "in.csv"

    def front_matter(text: str) -> None:
        with contextlib.suppress(PostError):
            parse_post(text, "p.md")

    def yaml_file(text: str) -> None:
        with contextlib.suppress(YamlProblems):
            parse_yaml(text, "x.yaml")

    def trailers(text: str) -> None:
        with contextlib.suppress(MalformedMessage):
            parse_decision(text)

    def sshsig_text(text: str) -> None:
        with contextlib.suppress(sshsig.SshSigError):
            sshsig.verify(sshsig.parse_armored(text), b"payload")

    def key_line(text: str) -> None:
        sshsig.key_blob(f"ssh-ed25519 {text}")

    def metrics_import(text: str) -> None:
        source.write_text(text, encoding="utf-8", newline="")
        with contextlib.suppress(BBError):
            metrics.import_metrics(linter.workspace, source)

    def folding(text: str) -> None:
        folded = fold_plain(text)
        offsets = folded.offsets
        assert len(offsets) == len(folded.text) and offsets == sorted(offsets)
        assert all(0 <= o < len(text) for o in offsets)
        view = disguise_view(text)  # a reversed (RLO) run makes offsets unordered
        assert len(view.offsets) == len(view.text)
        assert all(0 <= o < len(text) for o in view.offsets)

    def lint(body: str) -> None:
        text = FRONT + body
        try:
            findings = linter.check(parse_post(text, "posts/x/alice--advocacy.md")).findings
        except PostError:
            return
        text = text.replace("\r\n", "\n").replace("\r", "\n")  # lines as bb counts them
        # Once per post: per finding, it made this check (not lint) quadratic on posts of
        # hundreds of findings, and the slowest input the run reported was its own.
        starts = _line_starts(text)
        for f in findings:
            assert 1 <= f.line <= f.end_line <= text.count("\n") + 1, f"{f.rule}: outside"
            if f.match is not None:
                found = _slice(text, starts, f)
                assert found == f.match, f"{f.rule}: match is not the text at its position"

    return [
        ("front matter (posts.py)", st.one_of(front_matter_text(), tricky_text), front_matter, 1),
        ("YAML position tracker (yamlfile.py)", st.one_of(yaml_text(), tricky_text), yaml_file, 1),
        ("commit trailers (trailers.py)", commit_message(), trailers, 1),
        ("SSHSIG armor (sshsig.py)", sshsig_armored(), sshsig_text, 1),
        ("authorized key line (sshsig.py)", st.text(max_size=120), key_line, 1),
        ("metrics CSV import (metrics.py)", metrics_csv(), metrics_import, 0.5),
        ("folding + offsets (normalize.py)", st.one_of(prose_text, st.text()), folding, 1),
        ("lint, any Unicode text", prose_text, lint, 1),
        ("lint, 10 kB posts", ten_kb_text, lint, 0.25),
    ]


def _fuzz(tally: Tally, strategy: Any, call: Callable[[Any], None], count: int) -> None:
    @settings(
        max_examples=count,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def fuzz(value: Any) -> None:
        tally.run(call, value)

    fuzz()


def main() -> None:
    examples = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    from conftest import copy_example

    with tempfile.TemporaryDirectory() as tmp:
        root = copy_example(Path(tmp) / "ws")
        tallies = []
        started = time.perf_counter()
        for name, strategy, call, share in targets(root):
            tally = Tally(name)
            count = max(1, int(examples * share))

            _fuzz(tally, strategy, call, count)
            tallies.append(tally)
            print(
                f"{name:38} {tally.inputs:6,} inputs  {len(tally.crashes)} crash kinds  "
                f"slowest {tally.slowest * 1000:7.1f} ms  mean "
                f"{tally.seconds / max(tally.inputs, 1) * 1000:5.2f} ms  "
                f"largest {tally.largest:,} chars",
                flush=True,
            )
        total = sum(t.inputs for t in tallies)
        print(f"\n{total:,} inputs in {time.perf_counter() - started:.0f} s")
        for tally in tallies:
            for where, value in tally.crashes.items():
                print(f"CRASH {tally.name}: {where}\n      e.g. {value}")
            if tally.slowest > 0.1:
                print(f"SLOW  {tally.name}: {tally.slowest * 1000:.0f} ms on {tally.slowest_input}")


if __name__ == "__main__":
    main()
