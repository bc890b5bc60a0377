"""The text a rule reads: the post's published text, at the body's own offsets.

``Publication`` (posts.py) defines what a post publishes; rules read its ``view``, in which
only bb's control comments are blanked, so every offset is a position in the file.
"""

from __future__ import annotations

from dataclasses import dataclass

from bloomberry_cli.posts import ControlComment, Post, Publication

#: A ``<!-- bb-disable RULE: reason -->`` comment (kept under its older name).
Directive = ControlComment


@dataclass
class Prose:
    """What is linted: the published text with the body's offsets (see ``Publication.view``)."""

    publication: Publication

    @property
    def text(self) -> str:
        return self.publication.view

    @property
    def directives(self) -> tuple[ControlComment, ...]:
        return self.publication.controls

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) in the file of a body offset."""
        return self.publication.position(offset)


def prepare(post: Post) -> Prose:
    return Prose(post.publication)
