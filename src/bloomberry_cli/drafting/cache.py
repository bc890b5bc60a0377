"""LLM responses on disk, keyed by model and prompt, so re-running a brief costs nothing."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from bloomberry_cli.textfile import atomic_write


class ResponseCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, model: str, prompt: str) -> Path:
        key = hashlib.sha256(f"{model}\0{prompt}".encode()).hexdigest()
        return self.directory / key[:2] / f"{key}.json"

    def get(self, model: str, prompt: str) -> str | None:
        try:
            data = json.loads(self._path(model, prompt).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # a missing or damaged entry is a miss, never an error
        text = data.get("response") if isinstance(data, dict) else None
        return text if isinstance(text, str) else None

    def put(self, model: str, prompt: str, response: str) -> None:
        atomic_write(self._path(model, prompt),
                     json.dumps({"model": model, "response": response}))
