"""A quote opened and never closed: YAML reads on, swallowing the next keys into one text.

`title: "SOC 2 Type II certification` parses: the title runs until the next `"` in the file,
and the keys on the lines between silently vanish. A quoted value that is not closed on its
own line and whose next lines look like `key: value` (and were swallowed into it) is almost
always that slip, so it is reported where the quote opens.
"""

from __future__ import annotations

import re

from bloomberry_cli.errors import Problem
from bloomberry_cli.yamlfile import YamlDocument

_KEY_LINE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w-]*):(?:\s|$)")


def _closes_on_line(rest: str, quote: str) -> bool:
    """Whether a value opened with ``quote`` ends on this line (``rest`` follows the quote)."""
    index = 0
    while index < len(rest):
        char = rest[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if char == quote:
            if quote == "'" and rest[index + 1 : index + 2] == "'":  # '' is a quote inside
                index += 2
                continue
            return True
        index += 1
    return False


def unclosed_quotes(text: str, doc: YamlDocument) -> list[Problem]:
    lines = text.splitlines()
    problems = []
    for key_path in doc.multiline_quoted:
        line, column = doc.values[key_path]
        value = _value_at(doc.data, key_path)
        if not isinstance(value, str) or line > len(lines):
            continue
        source = lines[line - 1]
        quote = source[column - 1 : column]
        if quote not in ('"', "'") or _closes_on_line(source[column:], quote):
            continue
        swallowed = [
            match.group(1)
            for row in lines[line : line + 50]
            if (match := _KEY_LINE.match(row)) and row.strip() in value
        ]
        if swallowed:
            keys = ", ".join(f"'{key}:'" for key in dict.fromkeys(swallowed[:3]))
            problems.append(
                Problem(
                    doc.path,
                    f"probable unclosed quote: this value runs on over the next lines, "
                    f"swallowing {keys}",
                    line=line,
                    column=column,
                    key_path=key_path,
                    hint=f"close the quote ({quote}) at the end of line {line}",
                )
            )
    return problems


def _value_at(data: object, key_path: tuple[str | int, ...]) -> object:
    for part in key_path:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data
