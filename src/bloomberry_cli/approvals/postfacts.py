"""What the trail reads about posts from git: each decision commit's post (its hash and front
matter there, and whether the commit changed anything else), and approved posts changed at the
tip since. Facts of immutable objects, cached by object id."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from bloomberry_cli.approvals.history import CommitInfo, blob_ids, list_tree
from bloomberry_cli.approvals.trail import Decision, Trail, Violation
from bloomberry_cli.approvals.trailcache import TrailCache
from bloomberry_cli.gitrepo import NO_REPLACE, git_bytes, read_objects
from bloomberry_cli.posts import PostError, parse_post

_MAX_POST_BYTES = 1_000_000


def post_facts(
    trail: Trail,
    candidates: Sequence[tuple[CommitInfo, Decision]],
    trees: Mapping[str, str],
    cache: TrailCache,
) -> dict[str, list[Any]]:
    """Per decision commit: the post's hash and front matter there, and whether the commit
    changed anything but its post. Facts of immutable objects, cached by id."""
    table = cache.table("decision-posts")
    missing = [(c, d) for c, d in candidates if c.sha not in table]
    ids = blob_ids(trail.top, [(c.tree, d.record.post) for c, d in missing], f"{trail.prefix}posts")
    changed = _changed_paths(
        trail, [(c.sha, d.parent) for c, d in missing if c.tree != trees.get(d.parent)]
    )
    for (commit, decision), blob in zip(missing, ids, strict=True):
        touched = changed.get(commit.sha, [])
        cache.put(
            "decision-posts",
            commit.sha,
            [blob or "", all(p == decision.record.post for p in touched)],
        )
    blobs = cache.table("post-blobs")
    unknown = list(
        dict.fromkeys(
            table[c.sha][0]
            for c, _ in candidates
            if table[c.sha][0] and table[c.sha][0] not in blobs
        )
    )
    for blob_id, raw in zip(unknown, read_objects(trail.top, unknown), strict=True):
        cache.put("post-blobs", blob_id, _blob_fact(raw))
    facts: dict[str, list[Any]] = {}
    for commit, _decision in candidates:
        blob_id, only_post = table[commit.sha]
        fact = blobs.get(blob_id) if blob_id else None
        facts[commit.sha] = [*(fact or ["", None, None, None, None, None]), only_post, blob_id]
    return facts


def _changed_paths(trail: Trail, pairs: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    if not pairs:
        return {}
    request = "".join(f"{c} {p}\n" for c, p in pairs).encode()
    output = (
        git_bytes(
            trail.top,
            "diff-tree",
            "--stdin",
            "-r",
            "--name-only",
            "-z",
            "--no-renames",
            input=request,
            env=NO_REPLACE,
        )
        .decode("utf-8", "replace")
        .split("\0")
    )
    result: dict[str, list[str]] = {}
    expected = [c for c, _ in pairs]
    current: str | None = None
    for token in output:
        if not token:
            continue
        if token in expected and token not in result:
            current = token
            result[current] = []
        elif current is not None:
            result[current].append(token)
    return result


def _blob_fact(raw: bytes | None) -> list[Any]:
    if raw is None:
        return ["", None, None, None, None, None]
    digest = hashlib.sha256(raw).hexdigest()
    if len(raw) > _MAX_POST_BYTES:
        return [digest, None, None, None, None, None]
    try:
        post = parse_post(raw.decode("utf-8"), "post")
    except (PostError, UnicodeDecodeError):
        return [digest, None, None, None, None, None]
    meta = post.meta
    topics = getattr(meta, "topics", None) or (meta.model_extra or {}).get("topics")
    return [
        digest,
        meta.brief,
        meta.participant,
        meta.program,
        meta.scheduled.isoformat() if meta.scheduled else None,
        [str(t) for t in topics] if isinstance(topics, list) else None,
    ]


def stale_posts(trail: Trail, cache: TrailCache) -> None:
    """Approved posts whose content at the tip changed with no decision since."""
    if trail.tip is None:
        return
    latest: dict[str, Decision] = {}
    for decision in trail.decisions:
        if decision.valid:
            latest[decision.post] = decision
    approved = [d for d in latest.values() if d.record.decision in ("approve", "publish")]
    if not approved:
        return
    tip_files = list_tree(trail.top, trail.tip, f"{trail.prefix}posts")
    ids = [tip_files.get(d.record.post) for d in approved]
    blobs = cache.table("post-blobs")
    for decision, blob_id in zip(approved, ids, strict=True):
        if blob_id is None:
            continue
        if blob_id not in blobs:
            [raw] = read_objects(trail.top, [blob_id])
            cache.put("post-blobs", blob_id, _blob_fact(raw))
        if blobs[blob_id][0] != decision.record.post_sha256:
            trail.violations.append(
                Violation(
                    trail.tip,
                    decision.post,
                    "content.changed-after-approval",
                    "the post changed after its last approval without a new decision (it is stale)",
                )
            )
