"""Learn a person's voice from texts handed in: their samples, files, approved posts, edits.

Voice is a pure layer: it does not read the decision trail. The command gathers the person's
approved and published posts (their own words only, see ``fidelity.own_words``) and passes
them in."""

from __future__ import annotations

import codecs
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bloomberry_cli.errors import BBError
from bloomberry_cli.models.voice import VoiceMemory
from bloomberry_cli.validation import did_you_mean
from bloomberry_cli.voice.memoryfile import write_memory
from bloomberry_cli.voice.profile import MIN_SAMPLES, build_profile
from bloomberry_cli.workspace import Workspace

MAX_SAMPLE_BYTES = 8 * 1024 * 1024


@dataclass
class Calibration:
    voice_id: str
    memory: VoiceMemory
    path: str  # the voice file, relative to the workspace
    sources: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def read_sample(path: Path, notes: list[str]) -> str | None:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_SAMPLE_BYTES + 1)
    except OSError as exc:
        raise BBError(
            f"cannot read sample {path}: {exc.strerror}",
            hint="check the path; sample files are plain text",
        ) from None
    truncated = len(raw) > MAX_SAMPLE_BYTES
    if truncated:
        raw = raw[:MAX_SAMPLE_BYTES]
        notes.append(f"{path}: used the first 8 MB")
    if b"\0" in raw:
        notes.append(f"{path}: skipped, it is a binary file")
        return None
    # Not final where the file was cut: the cut may fall inside a character, whose first bytes
    # are no error in the file (a valid file was reported "not valid UTF-8").
    text = codecs.getincrementaldecoder("utf-8")("replace").decode(raw, final=not truncated)
    if "\ufffd" in text:
        notes.append(f"{path}: not valid UTF-8; unreadable bytes were ignored")
    if not text.strip():
        notes.append(f"{path}: skipped, it is empty")
        return None
    return text


def calibrate(
    workspace: Workspace,
    voice_id: str,
    files: Sequence[Path] = (),
    posts: Sequence[str] = (),
    edits: Sequence[tuple[str, str]] = (),
    *,
    write: bool = True,
    today: dt.date | None = None,
) -> Calibration:
    """``posts`` are the person's approved posts, already reduced to their own words;
    ``edits`` are (generated, final) pairs of the drafts they rewrote."""
    voice = workspace.voices.get(voice_id)
    if voice is None:
        raise BBError(
            f"unknown participant '{voice_id}'", hint=did_you_mean(voice_id, workspace.voices)
        )
    notes: list[str] = []
    path = workspace.voice_paths[voice_id]
    read = [t for t in (read_sample(p, notes) for p in files) if t]
    samples = [s for s in voice.samples if s.strip()]
    own_posts = [p for p in posts if p.strip()]
    texts = samples + read + own_posts
    if len(texts) < MIN_SAMPLES:
        raise BBError(
            f"Voice Memory needs at least {MIN_SAMPLES} samples of {voice.name}'s writing; "
            f"found {len(texts)}",
            hint=f"add posts they wrote under samples: in {path}, or pass sample files "
            f"(`bb voice calibrate {voice_id} FILE...`); until then drafting uses the "
            "style: fields",
        )
    memory = build_profile(texts, edits, today)
    calibration = Calibration(
        voice_id,
        memory,
        path,
        {
            "samples": len(samples),
            "files": len(read),
            "approved posts": len(own_posts),
            "edits": len(edits),
        },
        notes,
    )
    if write:
        write_memory(workspace.root / path, memory)
    return calibration
