"""``duplicate.resharing``: advocacy posts of one brief that read as copies of each other."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from bloomberry_cli.governance.findings import Finding
from bloomberry_cli.governance.prose import prepare
from bloomberry_cli.posts import Post, PostError, find_posts, load_post
from bloomberry_cli.workspace import Workspace

_WORD = re.compile(r"\w+")


Shingles = frozenset[int]


def shingles(text: str) -> Shingles:
    """Hashed word 3-grams of the text. Python's string hash differs between runs but not
    between a process and its forked lint workers, and shingles never outlive a run."""
    words = _WORD.findall(text.lower())
    if len(words) < 3:
        return frozenset({hash(tuple(words))}) if words else frozenset()
    return frozenset(map(hash, zip(words, words[1:], words[2:], strict=False)))


def similarity(a: Shingles, b: Shingles) -> float:
    """Jaccard similarity of two shingle sets."""
    if not a or not b:
        return 0.0
    shared = len(a & b)  # |a ∪ b| follows from it: one set operation, not two
    return shared / (len(a) + len(b) - shared)


@dataclass(frozen=True)
class Reshare:
    """What the rule needs of one advocacy post; small enough to pass between processes."""

    path: str
    brief: str
    participant: str
    line: int
    shingles: Shingles


def reshare_record(post: Post, prose: str) -> Reshare | None:
    if post.meta.program != "advocacy":
        return None
    return Reshare(post.path, post.meta.brief, post.meta.participant, post.body_line,
                   shingles(prose))


def _candidates(members: list[Reshare], threshold: float) -> dict[str, set[int]]:
    """For each post, the others that can reach ``threshold``: exact prefix filtering.

    Sort each post's shingles rarest first (across the brief). Two posts with Jaccard ≥ t share
    at least ⌈t·|s|⌉ shingles of each, so they share one within each post's first
    |s| − ⌈t·|s|⌉ + 1. The company message, common to every post, sorts last and drops out:
    only posts sharing rare shingles are compared, instead of every pair.
    """
    frequency: Counter[int] = Counter()
    for member in members:
        frequency.update(member.shingles)
    prefixes = []
    index: dict[int, list[int]] = {}
    for position, member in enumerate(members):
        ordered = sorted(member.shingles, key=lambda s: (frequency[s], s))
        prefix = ordered[:len(ordered) - math.ceil(threshold * len(ordered)) + 1]
        prefixes.append(prefix)
        for shingle in prefix:
            index.setdefault(shingle, []).append(position)
    found: dict[str, set[int]] = {}
    for position, member in enumerate(members):
        near = {other for shingle in prefixes[position] for other in index[shingle]}
        near.discard(position)
        found[member.path] = near
    return found


def resharing_findings(workspace: Workspace, shares: list[Reshare], *,
                       complete: bool) -> Iterator[Finding]:
    """Each linted advocacy post whose nearest sibling is above the threshold. Unless
    ``complete``, the brief's other posts on disk count as originals too."""
    threshold = workspace.config.lint.duplicate_threshold
    by_brief: dict[str, list[Reshare]] = {}
    for share in shares:
        by_brief.setdefault(share.brief, []).append(share)
    for brief, linted in by_brief.items():
        group = {share.path: share for share in linted}
        siblings = [] if complete else find_posts(workspace.root,
                                                  [workspace.root / "posts" / brief])
        for rel in siblings:
            if rel in group or not rel.endswith("--advocacy.md"):
                continue
            try:
                post = load_post(workspace.root, rel)
            except PostError:
                continue
            record = reshare_record(post, prepare(post).text)
            if record is not None:
                group[rel] = record
        members = list(group.values())
        candidates = _candidates(members, threshold)
        for share in linted:
            best, best_score = None, 0.0
            for index in candidates[share.path]:
                other = members[index]
                score = similarity(share.shingles, other.shingles)
                if score > best_score:
                    best, best_score = other, score
            if best is not None and best_score >= threshold:
                yield Finding(share.path, share.line, 1, share.line, 2, "duplicate.resharing",
                              "warning",
                              f"{best_score:.0%} the same as {best.participant}'s post "
                              f"({best.path}); identical reshares read as impersonal",
                              suggestion="add the person's own intro and angle")
