"""LLM answers on disk, keyed by model and the exact messages, so re-running a brief costs
nothing. ``refresh`` (``bb draft --no-cache``) asks again and stores the new answers, so the
next plain run uses them rather than silently putting the old drafts back.

Entries hold the model name and the post taken from the reply: never a key or a header.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from bloomberry_cli.textfile import atomic_write

#: Bumped when what an entry means changes (v2: the post after the output contract).
VERSION = 2

Messages = list[dict[str, str]]


class ResponseCache:
    def __init__(self, directory: Path, *, refresh: bool = False) -> None:
        self.directory = directory
        self.refresh = refresh

    def key(self, model: str, messages: Messages) -> str:
        blob = json.dumps([VERSION, model, messages], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, model: str, messages: Messages) -> tuple[str, str] | None:
        """(post, raw reply) stored for these messages, or None."""
        if self.refresh:
            return None
        try:
            data = json.loads(self._path(self.key(model, messages)).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # a missing or damaged entry is a miss, never an error
        if not isinstance(data, dict):
            return None
        post, reply = data.get("post"), data.get("reply")
        if isinstance(post, str) and isinstance(reply, str):
            return post, reply
        return None

    def put(self, model: str, messages: Messages, post: str, *, reply: str) -> None:
        """Store the post (and the raw reply, which a re-ask quotes back to the model)."""
        atomic_write(
            self._path(self.key(model, messages)),
            json.dumps(
                {"version": VERSION, "model": model, "post": post, "reply": reply},
                ensure_ascii=False,
            ),
        )
