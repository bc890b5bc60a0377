"""An advocacy post's one-line intro: the employee's own words before the company's draft."""

from __future__ import annotations

from pathlib import Path

from bloomberry_cli.posts import Post, split_front_matter
from bloomberry_cli.review.context import generated_body
from bloomberry_cli.textfile import atomic_write
from bloomberry_cli.workspace import Workspace


def earlier_intro(workspace: Workspace, post: Post) -> str | None:
    """An intro from an earlier session: the text before the body the drafting engine wrote."""
    original = generated_body(workspace, post)
    body = post.body.strip()
    if (
        original
        and original.strip()
        and body != original.strip()
        and body.endswith(original.strip())
    ):
        return body[: -len(original.strip())].strip() or None
    return None


def add_intro(path: Path, intro: str, *, replace: str | None = None) -> None:
    """Put ``intro`` before the body; ``replace`` is an earlier intro to take out first."""
    text = path.read_text(encoding="utf-8")
    parts = split_front_matter(text)
    if parts is None:
        return
    front, body, _ = parts
    body = body.lstrip()
    if replace and body.startswith(replace):
        body = body[len(replace) :].lstrip()
    atomic_write(path, f"---\n{front}---\n{intro}\n\n{body}")
