"""Learn a person's voice from texts handed in: their samples, files, approved posts, edits.

Voice is a pure layer: it does not read the decision trail. The command gathers the person's
approved and published posts (their own words only, see ``fidelity.own_words``) and passes
them in."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bloomberry_cli.errors import BBError, Problem, ProblemsError
from bloomberry_cli.models.voice import VoiceMemory
from bloomberry_cli.textfile import TextFileError, read_text
from bloomberry_cli.validation import did_you_mean
from bloomberry_cli.voice.memoryfile import write_memory
from bloomberry_cli.voice.profile import MIN_SAMPLES, build_profile
from bloomberry_cli.wording import plural
from bloomberry_cli.workspace import Workspace

MAX_SAMPLE_BYTES = 8 * 1024 * 1024


@dataclass
class Calibration:
    voice_id: str
    memory: VoiceMemory
    path: str  # the voice file, relative to the workspace
    sources: dict[str, int] = field(default_factory=dict)


def read_samples(paths: Sequence[Path]) -> list[str]:
    """The texts of the sample files. A file that cannot be a person's writing (missing,
    binary, not UTF-8, empty, over 8 MB) stops the calibration before anything is learned or
    written, every such file named with its line: a profile built from stand-ins for
    unreadable bytes, or from fewer files than the person named, would not be theirs."""
    texts: list[str] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            text = read_text(path, str(path), max_bytes=MAX_SAMPLE_BYTES)
        except TextFileError as exc:
            problems.append(exc.problem)
            continue
        if not text.strip():
            problems.append(
                Problem(str(path), "is empty", hint="pass files with the person's own writing")
            )
            continue
        texts.append(text)
    if problems:
        raise ProblemsError(
            problems,
            f"{plural(len(problems), 'sample file')} cannot be read; nothing was calibrated",
        )
    return texts


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
    path = workspace.voice_paths[voice_id]
    # a file named twice (`a.txt a.txt`, or `*.txt` and `a.txt`) is one sample
    read = read_samples(list({Path(os.path.abspath(f)): f for f in files}.values()))
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
    )
    if write:
        write_memory(workspace.root / path, memory)
    return calibration
