"""Where a person's voice is learned from: their samples, their approved posts, their edits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bloomberry_cli.errors import BBError
from bloomberry_cli.validation import did_you_mean
from bloomberry_cli.voice.profile import MIN_SAMPLES, build_profile, write_memory
from bloomberry_cli.workspace import Workspace

MAX_SAMPLE_BYTES = 8 * 1024 * 1024


@dataclass
class Calibration:
    voice_id: str
    memory: dict[str, Any]
    sources: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def read_sample(path: Path, notes: list[str]) -> str | None:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_SAMPLE_BYTES + 1)
    except OSError as exc:
        raise BBError(f"cannot read sample {path}: {exc.strerror}") from None
    if len(raw) > MAX_SAMPLE_BYTES:
        raw = raw[:MAX_SAMPLE_BYTES]
        notes.append(f"{path}: used the first 8 MB")
    if b"\0" in raw:
        notes.append(f"{path}: skipped, it is a binary file")
        return None
    text = raw.decode("utf-8", errors="replace")
    if "\ufffd" in text:
        notes.append(f"{path}: not valid UTF-8; unreadable bytes were ignored")
    if not text.strip():
        notes.append(f"{path}: skipped, it is empty")
        return None
    return text


def _own_posts(workspace: Workspace, voice_id: str) -> tuple[list[str], list[tuple[str, str]]]:
    """Bodies of their approved or published posts, and (generated, final) pairs of the ones
    they rewrote."""
    from bloomberry_cli.approvals.status import post_statuses
    from bloomberry_cli.review.context import generated_body

    statuses, _ = post_statuses(workspace)
    texts, edits = [], []
    for status in statuses:
        if status.participant != voice_id or status.state not in ("approved", "published"):
            continue
        post = status.post
        texts.append(post.body)
        if post.edited:
            original = generated_body(workspace, post)
            if original is not None:
                edits.append((original, post.body))
    return texts, edits


def calibrate(workspace: Workspace, voice_id: str, extra: list[Path] | None = None, *,
              write: bool = True, today: dt.date | None = None) -> Calibration:
    voice = workspace.voices.get(voice_id)
    if voice is None:
        raise BBError(f"unknown participant '{voice_id}'",
                      hint=did_you_mean(voice_id, workspace.voices))
    notes: list[str] = []
    files = [t for t in (read_sample(p, notes) for p in extra or []) if t]
    samples = [s for s in voice.samples if s.strip()]
    posts, edits = _own_posts(workspace, voice_id)
    texts = samples + files + posts
    if len(texts) < MIN_SAMPLES:
        path = workspace.voice_paths[voice_id]
        raise BBError(
            f"Voice Memory needs at least {MIN_SAMPLES} samples of {voice.name}'s writing; "
            f"found {len(texts)}",
            hint=f"add posts they wrote under samples: in {path}, or pass --samples FILE; "
                 "until then drafting uses the style: fields")
    calibration = Calibration(voice_id, build_profile(texts, edits, today),
                              {"samples": len(samples), "files": len(files),
                               "approved posts": len(posts), "edits": len(edits)}, notes)
    if write:
        write_memory(workspace.root / workspace.voice_paths[voice_id], calibration.memory)
    return calibration
