"""Turn pydantic's validation errors into problems a person can fix by line and column."""

from __future__ import annotations

import difflib
import types
from collections.abc import Iterable
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from bloomberry_cli.errors import Problem
from bloomberry_cli.yamlfile import KeyPath, YamlDocument

M = TypeVar("M", bound=BaseModel)


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A hint naming the closest choice, or listing them all when none is close."""
    options = sorted(set(choices))
    if not options:
        return None
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not close:  # a shortened id ('soc2' for 'soc2-type2') is a common slip too
        close = [o for o in options if word and (o.startswith(word) or word.startswith(o))][:1]
    if close:
        return f"did you mean '{close[0]}'?"
    shown = ", ".join(options[:12]) + (", …" if len(options) > 12 else "")
    return f"known: {shown}"


def validate_document(model: type[M], doc: YamlDocument) -> tuple[M | None, list[Problem]]:
    """Validate a parsed file against its model; every error becomes a positioned problem."""
    if not isinstance(doc.data, dict):
        line, column = doc.position(()) or (1, 1)
        return None, [Problem(doc.path, f"expected keys and values (key: value) at the top of "
                              f"the file, found {_describe(doc.data)}", line=line, column=column,
                              hint=f"run `bb schema {_kind_hint(model)}` to see the shape")]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        return None, [_problem(model, doc, error) for error in exc.errors(include_url=False)]


def _kind_hint(model: type[BaseModel]) -> str:
    from bloomberry_cli.models import KINDS

    return next((name for name, (cls, _) in KINDS.items() if cls is model), "KIND")


def _problem(model: type[BaseModel], doc: YamlDocument, error: Any) -> Problem:
    loc: KeyPath = tuple(part for part in error["loc"] if part != "[key]")
    kind = error["type"]
    value = error.get("input")
    hint = None
    of_key = False
    message = str(error["msg"])
    if kind == "extra_forbidden":
        of_key = True
        message = f"unknown key '{loc[-1]}'"
        hint = did_you_mean(str(loc[-1]), _keys_at(model, loc[:-1]))
    elif kind == "missing":
        message = f"'{loc[-1]}' is required"
        loc_for_position = loc[:-1]
        line, column = doc.position(loc_for_position) or (None, None)
        return Problem(doc.path, message, line=line, column=column, key_path=loc,
                       hint=f"add '{loc[-1]}:' here")
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        message = f"expected keys and values (key: value), found {_describe(value)}"
    elif kind == "list_type":
        message = f"expected a list, found {_describe(value)}"
        hint = "write each item on its own line, starting with '- '"
    elif kind == "string_type":
        message = f"expected text, found {_describe(value)}"
    elif kind.startswith(("date_", "datetime_")):
        message = f"'{value}' is not a date"
        hint = "write dates as YYYY-MM-DD"
    elif kind == "literal_error":
        message = f"'{value}' is not allowed here; use {error['ctx']['expected']}"
    elif kind in ("value_error", "assertion_error"):
        message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    line, column = doc.position(loc, of_key=of_key) or (None, None)
    return Problem(doc.path, message, line=line, column=column, key_path=loc, hint=hint)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"yes/no ({value})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ('{value[:40]}')"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "keys and values"
    return type(value).__name__


def _unwrap(tp: Any) -> Any:
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            options = [arg for arg in get_args(tp) if arg is not type(None)]
            if len(options) != 1:
                return tp
            tp = options[0]
        else:
            return tp


def _keys_at(model: type[BaseModel], path: KeyPath) -> list[str]:
    """The keys the model accepts at ``path``, for 'did you mean'."""
    tp: Any = model
    for part in path:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = next((f for name, f in tp.model_fields.items()
                          if part in (name, f.alias)), None)
            if field is None:
                return []
            tp = field.annotation
        elif get_origin(tp) in (list, tuple):
            tp = get_args(tp)[0]
        elif get_origin(tp) is dict:
            tp = get_args(tp)[1]
        else:
            return []
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [f.alias or name for name, f in tp.model_fields.items()]
    return []
