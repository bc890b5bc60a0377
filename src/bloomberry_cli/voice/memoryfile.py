"""Write Voice Memory into a voice file: the ``memory:`` block only, nothing else."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bloomberry_cli.errors import Problem
from bloomberry_cli.models.voice import VoiceMemory
from bloomberry_cli.textfile import atomic_write
from bloomberry_cli.workspace import Workspace

_TOP_LEVEL_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:", re.M)
MARKER = "# Voice Memory: written by `bb voice calibrate`; edits here are overwritten.\n"


def memory_block(memory: VoiceMemory) -> str:
    # Flow style for the innermost mappings ({mean: …, sd: …}, rates): one line each, so a
    # recalibration shows as a readable diff.
    data = {"memory": memory.model_dump(mode="json")}
    return MARKER + yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, width=96, default_flow_style=None
    )


def write_memory(path: Path, memory: VoiceMemory) -> None:
    """Replace (or add) the top-level ``memory:`` block, keeping every other line and comment
    of the file as the person wrote it."""
    text = path.read_text(encoding="utf-8")
    block = memory_block(memory)
    keys = list(_TOP_LEVEL_KEY.finditer(text))
    start = next((k for k in keys if k.group("key") == "memory"), None)
    if start is None:
        new = text.rstrip("\n") + "\n\n" + block
    else:
        following = [k.start() for k in keys if k.start() > start.start()]
        end = following[0] if following else len(text)
        head = text[: start.start()]
        head = head[: -len(MARKER)] if head.endswith(MARKER) else head
        new = head + block + ("\n" + text[end:] if end < len(text) else "")
    atomic_write(path, new)


def outdated_memory_warnings(workspace: Workspace) -> list[Problem]:
    """Voice files whose memory: block an older bb wrote: it is set aside, so their posts go
    unscored (voice.fidelity, the draft summary's voice column) until it is recalibrated."""
    warnings = []
    for voice_id, voice in workspace.voices.items():
        if not voice.memory_outdated:
            continue
        path = workspace.voice_paths[voice_id]
        document = workspace.documents.get(path)
        where = document.position(("memory",), of_key=True) if document else None
        warnings.append(
            Problem(
                path,
                "Voice Memory was written by an older bb: set aside, so voice.fidelity does "
                f"not check {voice.name}'s posts",
                line=where[0] if where else None,
                hint=f"run `bb voice calibrate {voice_id}`",
            )
        )
    return warnings
