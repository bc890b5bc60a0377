"""Precision and recall of claims.paraphrase on hand-written paraphrases and near misses.

Run: python bench/paraphrase_eval.py [--verbose]. Reads bench/data/paraphrases.yaml (claims
with `examples:` and labelled sentences; pairs of cases alternate dev / held-out) and prints
precision and recall for each half and both, then the misses and false alarms with --verbose.
Offline: Snowball stems and n-gram overlap, no model.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import yaml

from bloomberry_cli.governance.paraphrase import ParaphraseIndex
from bloomberry_cli.models import BlockedClaim

DATA = Path(__file__).resolve().parent / "data" / "paraphrases.yaml"


def main() -> None:
    verbose = "--verbose" in sys.argv
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    index = ParaphraseIndex(BlockedClaim(**claim) for claim in data["claims"])
    splits: dict[str, list[tuple[str | None, str | None, str]]] = {"dev": [], "held-out": []}
    start = time.perf_counter()
    for number, case in enumerate(data["cases"]):
        found = next(iter(index.find(case["text"])), None)
        predicted = found.claim.id if found else None
        splits["dev" if number // 2 % 2 == 0 else "held-out"].append(
            (case["claim"], predicted, case["text"])
        )
    elapsed = time.perf_counter() - start
    rows = {**splits, "all": splits["dev"] + splits["held-out"]}
    print(f"{'set':9} {'cases':>5} {'claims':>6} {'precision':>9} {'recall':>6}")
    for name, cases in rows.items():
        hits = sum(1 for want, got, _ in cases if want and got == want)
        flagged = sum(1 for _, got, _ in cases if got)
        positives = sum(1 for want, _, _ in cases if want)
        precision = hits / flagged if flagged else 1.0
        print(f"{name:9} {len(cases):5} {positives:6} {precision:9.2f} {hits / positives:6.2f}")
    print(f"{len(rows['all'])} sentences in {elapsed * 1000:.0f} ms (index built once)")
    if verbose:
        for want, got, text in rows["all"]:
            if want != got:
                kind = "missed" if want and not got else "false alarm"
                print(f"  {kind:11} want={want} got={got}: {text}")


if __name__ == "__main__":
    main()
