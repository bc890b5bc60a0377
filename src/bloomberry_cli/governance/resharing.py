"""``duplicate.resharing``: advocacy posts of one brief that read as copies of each other.

Two checks. A post whose nearest sibling shares most of its word 3-grams (Jaccard at or above
``lint.duplicate_threshold``). And a long word-for-word run (12+ words) that more than half of
the brief's advocacy posts carry: many people posting one sentence is the visible pattern of a
bot network, even when the rest of each post differs.

Finding the nearest sibling is sub-quadratic: small briefs compare every pair (exact), large
ones index MinHash signatures with locality-sensitive hashing (minhash.py) and compare exactly
only the ``EXACT_CHECKS`` candidates a post that the signatures rate most alike.
"""

from __future__ import annotations

import functools
import re
import string
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain

from bloomberry_cli.governance.findings import Finding
from bloomberry_cli.governance.prose import prepare
from bloomberry_cli.posts import Post, PostError, find_posts, load_post
from bloomberry_cli.workspace import Workspace

_WORD = re.compile(r"\w+")
_URL = re.compile(r"https?://\S+|www\.\S+")

#: Words in a row that, shared by more than half of a brief's posts, make them read as copies.
RUN_WORDS = 12
#: Fewer posts than this sharing a run is two colleagues agreeing, not a pattern.
RUN_MIN_POSTS = 3
#: Members of a brief above which the nearest-sibling search uses LSH instead of all pairs.
LSH_MIN_POSTS = 100
#: Candidates compared exactly per post: keeps a brief of near-identical posts sub-quadratic.
EXACT_CHECKS = 8

Shingles = frozenset[int]


@functools.lru_cache(maxsize=1 << 16)  # the cache's hit path runs in C: most words repeat
def _word_id(word: bytes) -> int:
    """A stable id per word (CRC-32 of its UTF-8): Python's own string hash changes from run
    to run, which made the MinHash candidates, and so borderline findings, change too."""
    return zlib.crc32(word)


# ASCII text: every byte that is not a word character becomes a space, letters lower case;
# bytes.split then gives what `\w+` finds in the lower-cased text, five times faster.
_WORD_BYTES = frozenset((string.ascii_letters + string.digits + "_").encode())
_ASCII_WORDS = bytes(b if b in _WORD_BYTES else 32 for b in range(256)).lower()


def _words(text: str) -> list[bytes]:
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_WORDS).split()
    return [word.encode("utf-8") for word in _WORD.findall(text.lower())]


def shingles(text: str) -> Shingles:
    """Hashed word 3-grams of the text, the same in every run and every process: a tuple of
    ints hashes the same everywhere (only str hashing is randomised)."""
    ids = list(map(_word_id, _words(text)))
    if len(ids) < 3:
        return frozenset({hash(tuple(ids))}) if ids else frozenset()
    return frozenset(map(hash, zip(ids, ids[1:], ids[2:], strict=False)))


def similarity(a: Shingles, b: Shingles) -> float:
    """Jaccard similarity of two shingle sets."""
    if not a or not b:
        return 0.0
    shared = len(a & b)  # |a ∪ b| follows from it: one set operation, not two
    return shared / (len(a) + len(b) - shared)


def _run_hashes(words: list[str]) -> list[int]:
    """Hashes of every RUN_WORDS-word window of ``words``, by the index of its first word."""
    return list(map(hash, zip(*(words[k:] for k in range(RUN_WORDS)), strict=False)))


def _windows(prose: str) -> frozenset[int]:
    """Every run of RUN_WORDS words in the prose; a link breaks a run (its words are not
    prose, and the link and disclosure every post carries are not a copy)."""
    found: set[int] = set()
    for segment in _URL.split(prose.lower()):
        found.update(_run_hashes(_WORD.findall(segment)))
    return frozenset(found)


def _first_run(prose: str, common: set[int]) -> tuple[int, int, int, int] | None:
    """(start, end, words, first window) of the first run made of common windows."""
    position = 0
    for link in [*_URL.finditer(prose), None]:
        end = link.start() if link else len(prose)
        matches = list(_WORD.finditer(prose, position, end))
        hashes = _run_hashes([m.group().lower() for m in matches])
        for first, window in enumerate(hashes):
            if window in common:
                last = first
                while last + 1 < len(hashes) and hashes[last + 1] in common:
                    last += 1
                return (
                    matches[first].start(),
                    matches[last + RUN_WORDS - 1].end(),
                    last - first + RUN_WORDS,
                    window,
                )
        position = link.end() if link else end
    return None


@dataclass(frozen=True)
class Reshare:
    """What the rule needs of one advocacy post; small enough to pass between processes (its
    runs of words are hashed only in briefs that may share one)."""

    path: str
    brief: str
    participant: str
    line: int
    shingles: Shingles
    text: str  # the prose: its runs of words are found from it when needed


def reshare_record(post: Post, prose: str) -> Reshare | None:
    if post.meta.program != "advocacy":
        return None
    return Reshare(
        post.path,
        post.meta.brief,
        post.meta.participant,
        post.body_line,
        shingles(prose),
        prose,
    )


def _all_pairs(
    members: list[Reshare], linted: list[int], _threshold: float
) -> dict[int, list[int]]:
    return {i: [j for j in range(len(members)) if j != i] for i in linted}


def _lsh_candidates(
    members: list[Reshare], linted: list[int], threshold: float
) -> dict[int, list[int]]:
    from bloomberry_cli.governance import minhash  # numpy: only large briefs pay for it

    return minhash.candidates([m.shingles for m in members], linted, threshold, EXACT_CHECKS)


def _nearest(
    members: list[Reshare], linted: list[int], threshold: float
) -> Iterator[tuple[int, Reshare, float]]:
    # Identical posts need no search: each copy is said to copy the first of its group, and
    # the first the second.
    groups: dict[Shingles, list[int]] = {}
    for index, member in enumerate(members):
        group = groups.setdefault(member.shingles, [])
        if len(group) < 2:
            group.append(index)
    search = _lsh_candidates if len(members) >= LSH_MIN_POSTS else _all_pairs
    rest = [i for i in linted if len(groups[members[i].shingles]) < 2 or not members[i].shingles]
    candidates = search(members, rest, threshold) if rest else {}
    for i in linted:
        own = members[i].shingles
        group = groups[own]
        if own and len(group) >= 2:
            yield i, members[group[1] if group[0] == i else group[0]], 1.0
            continue
        best, best_score = None, 0.0
        size = len(own)
        for j in candidates.get(i, []):
            other_shingles = members[j].shingles
            # similarity(), inlined: this loop runs ~48 times a post
            shared = len(own & other_shingles) if own and other_shingles else 0
            score = shared / (size + len(other_shingles) - shared) if shared else 0.0
            if score > best_score:
                best, best_score = members[j], score
        if best is not None and best_score >= threshold:
            yield i, best, best_score


def _position(share: Reshare, offset: int) -> tuple[int, int]:
    line_start = share.text.rfind("\n", 0, offset) + 1
    return share.line + share.text.count("\n", 0, offset), offset - line_start + 1


def _shared_runs(members: list[Reshare], linted: list[int]) -> Iterator[Finding]:
    """Posts carrying a run of RUN_WORDS+ words that more than half the brief's posts carry."""
    needed = max(RUN_MIN_POSTS, len(members) // 2 + 1)
    if len(members) < needed:
        return
    # Each three words in a row of a run are one of the post's shingles (splitting at links
    # can only cut a segment's last word short), so a run in `needed` posts is made of
    # shingles in `needed` posts. Only the posts holding enough such shingles can hold a
    # common run: their runs alone are hashed, here, rather than every post's in the workers.
    shingle_counts = Counter(chain.from_iterable(member.shingles for member in members))
    frequent = {shingle for shingle, n in shingle_counts.items() if n >= needed}
    # A run of RUN_WORDS words is RUN_WORDS - 2 shingles, each of them frequent.
    holders = [
        i
        for i, member in enumerate(members)
        if len(frequent.intersection(member.shingles)) >= RUN_WORDS - 2
    ]
    if len(holders) < needed:
        return
    windows = {i: _windows(members[i].text) for i in holders}
    frequency: Counter[int] = Counter(chain.from_iterable(windows.values()))
    common = {window for window, n in frequency.items() if n >= needed}
    if not common:
        return
    for i in linted:
        share = members[i]
        if common.isdisjoint(windows.get(i, ())):
            continue
        found = _first_run(share.text, common)
        if found is None:  # pragma: no cover - the windows came from this text
            continue
        start, end, words, window = found
        line, column = _position(share, start)
        end_line, end_column = _position(share, end)
        count = frequency[window]
        snippet = " ".join(share.text[start:end].split())
        yield Finding(
            share.path,
            line,
            column,
            end_line,
            end_column,
            "duplicate.resharing",
            "warning",
            f"{words} words word for word in {count} of {len(members)} advocacy "
            f"posts of this brief; many people posting one text reads as a bot "
            f"network",
            match=snippet[:120],
            suggestion="give the brief several approved wordings (advocacy.messages) "
            "or say this part in the person's own words",
        )


def resharing_findings(
    workspace: Workspace, shares: list[Reshare], *, complete: bool
) -> Iterator[Finding]:
    """Each linted advocacy post whose nearest sibling is above the threshold, and each that
    carries a run most of its siblings share. Unless ``complete``, the brief's other posts on
    disk count as originals too."""
    for brief, linted_shares in by_brief(shares).items():
        yield from brief_findings(workspace, brief, linted_shares, complete=complete)


def by_brief(shares: list[Reshare]) -> dict[str, list[Reshare]]:
    grouped: dict[str, list[Reshare]] = {}
    for share in shares:
        grouped.setdefault(share.brief, []).append(share)
    return grouped


def brief_findings(
    workspace: Workspace, brief: str, linted_shares: list[Reshare], *, complete: bool
) -> list[Finding]:
    """``resharing_findings`` for one brief, given every linted post of it."""
    threshold = workspace.config.lint.duplicate_threshold
    group = {share.path: share for share in linted_shares}
    siblings = [] if complete else find_posts(workspace.root, [workspace.root / "posts" / brief])
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
    index = {share.path: i for i, share in enumerate(members)}
    linted = [index[share.path] for share in linted_shares]
    findings = []
    for i, best, score in _nearest(members, linted, threshold):
        share = members[i]
        findings.append(
            Finding(
                share.path,
                share.line,
                1,
                share.line,
                2,
                "duplicate.resharing",
                "warning",
                f"{score:.0%} the same as {best.participant}'s post "
                f"({best.path}); identical reshares read as impersonal",
                suggestion="add the person's own intro and angle",
            )
        )
    findings.extend(_shared_runs(members, linted))
    return findings
