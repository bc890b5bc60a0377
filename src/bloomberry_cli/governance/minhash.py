"""Which posts of a large brief may be near copies of each other: MinHash signatures and
locality-sensitive hashing (the method of the datasketch library), vectorised with numpy.

Each post's shingles get a signature; the signature is cut into bands. Posts whose band is
equal are candidates. Within a band the posts are sorted by that band's key and then by the
other bands' keys in turn, so that of a crowd sharing one band (the posts given the same
wording) the ones that agree on the most bands sit next to each other: each post's
candidates are its neighbours in every band's order, ranked by how much of the signature they
share (an estimate of their similarity within a few points).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

#: Neighbours looked at on each side, in each band's order.
NEIGHBOURS = 3
#: Posts whose candidates are ranked at once (bounds the memory of the comparison).
BLOCK = 2000
_EMPTY = frozenset({0})


def signatures(
    shingle_sets: Sequence[frozenset[int]], perms: int, rng: np.random.Generator
) -> NDArray[np.uint64]:
    """One row of ``perms`` minimum hashes per set (an empty set hashes as ``{0}``)."""
    import numpy as np

    multipliers = rng.integers(1, 2**63, perms, dtype=np.uint64) | np.uint64(1)
    offsets = rng.integers(0, 2**63, perms, dtype=np.uint64)
    result = np.empty((len(shingle_sets), perms), dtype=np.uint64)
    for start in range(0, len(shingle_sets), 1000):
        chunk = shingle_sets[start : start + 1000]
        filled = [s or _EMPTY for s in chunk]
        sizes = [len(s) for s in filled]
        # shingles are Python hashes, signed 64-bit: read as such, then seen as unsigned
        values = np.fromiter(chain.from_iterable(filled), dtype=np.int64, count=sum(sizes))
        values = values.view(np.uint64)
        with np.errstate(over="ignore"):  # multiply-shift hashing wraps by design
            hashed = (values[:, None] * multipliers + offsets) >> np.uint64(16)
        bounds = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        result[start : start + len(chunk)] = np.minimum.reduceat(hashed, bounds, axis=0)
    return result


def candidates(
    shingle_sets: Sequence[frozenset[int]], linted: Sequence[int], threshold: float, best: int
) -> dict[int, list[int]]:
    """For each post in ``linted``, at most ``best`` others that may be at ``threshold`` or
    above, likeliest first."""
    import numpy as np

    # Bands of 6 rows: a pair at 0.8 meets in some band 95% of the time, a pair at 0.5 (two
    # posts given the same wording) 15%; lower thresholds get shorter bands.
    rows = 6 if threshold >= 0.7 else 4 if threshold >= 0.5 else 2
    bands = 10
    rng = np.random.default_rng(20260)  # fixed: the same candidates on every run
    signed = signatures(shingle_sets, rows * bands, rng)
    mix = rng.integers(1, 2**63, rows, dtype=np.uint64) | np.uint64(1)
    with np.errstate(over="ignore"):
        keys = (signed.reshape(len(shingle_sets), bands, rows) * mix).sum(axis=2, dtype=np.uint64)
    count = len(shingle_sets)
    near = np.full((count, bands * 2 * NEIGHBOURS), -1, dtype=np.intp)
    column = 0
    for band in range(bands):
        # np.lexsort sorts by its last key first: this band, then the next ones in turn
        order = np.lexsort([keys[:, (band + k) % bands] for k in reversed(range(bands))])
        position = np.empty(count, dtype=np.intp)
        position[order] = np.arange(count)
        sorted_keys = keys[order, band]
        for step in (*range(-NEIGHBOURS, 0), *range(1, NEIGHBOURS + 1)):
            at = np.clip(position + step, 0, count - 1)
            same = (sorted_keys[at] == keys[:, band]) & (at != position)
            near[:, column] = np.where(same, order[at], -1)
            column += 1
    found: dict[int, list[int]] = {}
    posts = np.asarray(linted, dtype=np.intp)
    for start in range(0, len(posts), BLOCK):
        block = posts[start : start + BLOCK]
        pairs = np.sort(near[block], axis=1)
        pairs[:, 1:][pairs[:, 1:] == pairs[:, :-1]] = -1  # each neighbour once
        estimate = (signed[pairs] == signed[block][:, None, :]).mean(axis=2)
        estimate[pairs < 0] = -1.0
        ranked = np.argsort(-estimate, axis=1, kind="stable")[:, :best]
        chosen = np.take_along_axis(pairs, ranked, axis=1)
        likely = np.take_along_axis(estimate, ranked, axis=1) >= threshold - 0.2
        for i, row, keep in zip(block.tolist(), chosen, likely, strict=True):
            found[i] = row[keep].tolist()
    return found
