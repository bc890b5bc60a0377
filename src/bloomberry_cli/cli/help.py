"""Help that speaks the user's language: ``FILE``, ``N``, ``text|json``, never Python types.

typer (0.20 and later) prints each parameter's Python type in its help (``<bool>`` on a flag,
``<list[Path]>``, ``<int range>``) and folds a long choice list mid-word. bb shows what git and
gh show: nothing for a flag, an upper-case placeholder for a value, the choices themselves.
One override of typer's type label does it for every command, present and future.
"""

from __future__ import annotations

import enum
import pathlib
from typing import Any, get_args, get_origin

import typer.core

_NAMES = {str: "TEXT", int: "N", float: "NUMBER", pathlib.Path: "PATH"}


def _placeholder(annotation: Any) -> str:
    if get_origin(annotation) in (list, tuple):
        args = [arg for arg in get_args(annotation) if arg is not Ellipsis]
        return _placeholder(args[0]) if args else "VALUE"
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return _choices([str(member.value) for member in annotation])
    return _NAMES.get(annotation, getattr(annotation, "__name__", "VALUE").upper())


def _choices(values: list[str]) -> str:
    joined = "|".join(values)
    # spaces let a narrow terminal wrap between choices, never inside one
    return joined if len(joined) <= 20 else " | ".join(values)


def _display_type(self: Any, ctx: Any) -> str | None:  # ctx: typer's own (bundled) click
    if isinstance(self, typer.core.TyperOption) and self.is_flag:
        return None  # a flag takes no value: its name says it all
    desc = self.type_descriptor
    if desc.is_choice:
        return _choices([str(getattr(c, "value", c)) for c in desc.choices or ()])
    if desc.is_datetime:
        return "DATE"
    return _placeholder(desc.annotation)


def _range(self: Any) -> str | None:
    low, high = self.min, self.max
    if low is None and high is None:
        return None
    if low is not None and high is not None:
        return f"{low}–{high}"
    return f"at least {low}" if low is not None else f"at most {high}"


def install() -> None:
    """Apply the override (idempotent); the CLI calls it once, when the app is built."""
    parameter: Any = typer.core._TyperParameter
    parameter.display_type = _display_type
    for cls in (typer.core.TyperOption, typer.core.TyperArgument):
        cls._get_number_range_help_str = _range  # type: ignore[method-assign]
