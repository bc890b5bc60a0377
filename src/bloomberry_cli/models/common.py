"""Pieces shared by every workspace file model."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict

Program = Literal["advocacy", "thought-leadership"]
PROGRAMS: tuple[Program, ...] = ("advocacy", "thought-leadership")

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def is_identifier(value: str) -> bool:
    """Usable as an id and in a file name: lowercase letters, digits, '-', '_', '.'."""
    return bool(_ID.match(value))


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(
            f"'{value}' is not a usable id: use lowercase letters, digits, '-', '_' or '.'"
        )
    return value


def _check_email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError(f"'{value}' is not an email address")
    return value.lower()


def _check_url(value: str) -> str:
    if not re.match(r"^https?://\S+$", value):
        raise ValueError(f"'{value}' is not a link (it should start with https://)")
    return value


def fold_topics(topics: Iterable[str]) -> set[str]:
    """Topics as compared everywhere (pillars, brief and campaign topics): case and surrounding
    spaces do not count."""
    return {topic.strip().lower() for topic in topics}


Identifier = Annotated[str, AfterValidator(_check_id)]
Email = Annotated[str, AfterValidator(_check_email)]
Url = Annotated[str, AfterValidator(_check_url)]


class Model(BaseModel):
    """Strict about keys (typos must not pass silently), lenient about surrounding spaces."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=True)
