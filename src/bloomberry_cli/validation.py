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
        return None, [
            Problem(
                doc.path,
                f"expected keys and values (key: value) at the top of "
                f"the file, found {_describe(doc.data)}",
                line=line,
                column=column,
                hint=f"run `bb schema {_kind_hint(model)}` to see the shape",
            )
        ]
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
        return Problem(
            doc.path, message, line=line, column=column, key_path=loc, hint=f"add '{loc[-1]}:' here"
        )
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
    else:
        message, hint = _plain_words(kind, value, error.get("ctx") or {}, message)
    line, column = doc.position(loc, of_key=of_key) or (None, None)
    return Problem(doc.path, message, line=line, column=column, key_path=loc, hint=hint)


#: pydantic's error types, in words a person editing a YAML file uses.
_SIMPLE = {
    "int_parsing": "{shown} is not a whole number",
    "int_type": "expected a whole number, found {described}",
    "int_from_float": "{shown} is not a whole number",
    "float_parsing": "{shown} is not a number",
    "float_type": "expected a number, found {described}",
    "bool_parsing": "{shown} is not yes or no",
    "bool_type": "expected yes or no, found {described}",
    "greater_than": "must be more than {gt}",
    "greater_than_equal": "must be at least {ge}",
    "less_than": "must be less than {lt}",
    "less_than_equal": "must be at most {le}",
    "string_too_short": "must not be empty",
    "string_too_long": "is too long: at most {max_length} characters",
    "too_short": "needs at least {min_length} item(s)",
    "too_long": "has too many items: at most {max_length}",
    "string_pattern_mismatch": "{shown} is not in the expected form",
    "enum": "{shown} is not allowed here; use {expected}",
    "url_parsing": "{shown} is not a web address",
    "url_scheme": "{shown} is not a web address",
    "url_type": "expected a web address, found {described}",
}


def _plain_words(
    kind: str, value: Any, ctx: dict[str, Any], message: str
) -> tuple[str, str | None]:
    """A message in plain words, for every error type; pydantic's own wording ('Value error,
    ...', 'Input should be a valid integer, unable to parse string as an integer') never
    reaches a person."""
    if kind in ("value_error", "assertion_error"):
        return message.removeprefix("Value error, ").removeprefix("Assertion failed, "), None
    template = _SIMPLE.get(kind)
    if kind in ("too_short", "too_long"):  # pydantic reports the item count of a list
        count = ctx.get("min_length" if kind == "too_short" else "max_length")
        if count == 1:
            template = (
                "needs at least one item"
                if kind == "too_short"
                else "has too many items: at most one"
            )
    if template is not None:
        fields = {**ctx, "shown": f"'{value}'", "described": _describe(value)}
        try:
            hint = "write URLs in full, starting with https://" if kind.startswith("url") else None
            return template.format(**fields), hint
        except (KeyError, IndexError):
            pass
    # Anything else: keep pydantic's sense, drop its phrasing.
    if message.startswith("Input should be "):
        message = "expected " + message.removeprefix("Input should be ")
    return message.split(", unable to", 1)[0].split(" [type=", 1)[0], None


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
            field = next(
                (f for name, f in tp.model_fields.items() if part in (name, f.alias)), None
            )
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
