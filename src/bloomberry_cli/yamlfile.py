"""YAML parsing that remembers where every key and value stood in the file.

pydantic reports errors by key path; people fix files by line and column. We compose the YAML
node graph ourselves so that each key path maps back to its position.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from bloomberry_cli.errors import Problem, ProblemsError
from bloomberry_cli.limits import MAX_YAML_DEPTH, MAX_YAML_VALUES
from bloomberry_cli.textfile import CONFLICT_MARKER_LINE

try:  # the C parser is several times faster; fall back where libyaml is missing
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

#: Key tags ``flatten_mapping`` rewrites (``<<`` merges, ``=`` values); most mappings have none.
_SPECIAL_KEY_TAGS = frozenset({"tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"})

KeyPath = tuple[str | int, ...]
Position = tuple[int, int]


@dataclass
class YamlDocument:
    """Parsed YAML data plus the 1-based position of each key and value by key path."""

    path: str
    data: Any
    values: dict[KeyPath, Position] = field(default_factory=dict)
    keys: dict[KeyPath, Position] = field(default_factory=dict)
    #: Quoted scalars that run over more than one line: where an unclosed quote would show.
    multiline_quoted: list[KeyPath] = field(default_factory=list)

    def position(self, key_path: KeyPath, *, of_key: bool = False) -> Position | None:
        """Where ``key_path`` is; for a path that does not exist, its nearest existing parent."""
        if of_key and key_path in self.keys:
            return self.keys[key_path]
        for end in range(len(key_path), -1, -1):
            found = self.values.get(key_path[:end])
            if found is not None:
                return found
        return None


class _TooLarge(Exception):
    """Aliases expand past the limits (a recursive alias, a "billion laughs" file)."""

    def __init__(self, node: yaml.Node, message: str) -> None:
        super().__init__(message)
        self.node = node
        self.message = message


class YamlProblems(ProblemsError):
    """Problems that stop a YAML file from being parsed at all."""


def _hint_for(problem: str, text: str, mark: Any) -> str | None:
    lines = text.splitlines()
    line = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
    if "\t" in line[: mark.column + 1 if mark is not None else 0]:
        return "indent with spaces; YAML does not allow tab characters"
    if "end of stream" in problem:
        return "a quote or bracket is not closed"
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted"
    return None


# A merge left half done: YAML would report the line after git's marker, with a hint to
# quote a value. Marker lines start at column 0, where no line of a valid mapping's value can.


def _conflict_marker(text: str, path: str) -> Problem | None:
    if "<<<<<<<" not in text and ">>>>>>>" not in text:
        return None
    found = CONFLICT_MARKER_LINE.search(text)
    if found is None:
        return None
    return Problem(
        path,
        f"an unfinished git merge: conflict marker '{found.group().strip()[:40]}'",
        line=text.count("\n", 0, found.start()) + 1,
        column=1,
        hint="keep the version you mean between the markers, delete the marker lines "
        "(<<<<<<<, =======, >>>>>>>), then `git add` the file and `git commit`",
    )


def parse_yaml(text: str, path: str) -> YamlDocument:
    """Parse one YAML document; raise ``YamlProblems`` when it is empty or malformed."""
    marker = _conflict_marker(text, path)
    if marker is not None:
        raise YamlProblems([marker])
    loader = _Loader(text)
    doc = YamlDocument(path, None)
    problems: list[Problem] = []
    try:
        node = loader.get_single_node()
        if node is None:
            raise YamlProblems(
                [
                    Problem(
                        path,
                        "file is empty",
                        line=1,
                        column=1,
                        hint="see `bb init` for an example of this file",
                    )
                ]
            )
        doc.data = _walk(loader, node, (), doc, problems)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        if exc.context_mark is not None and "end of stream" in (exc.problem or ""):
            mark = exc.context_mark
        message = " ".join(part for part in (exc.context, exc.problem) if part) or "invalid YAML"
        raise YamlProblems(
            [
                Problem(
                    path,
                    f"invalid YAML: {message}",
                    line=mark.line + 1 if mark else None,
                    column=mark.column + 1 if mark else None,
                    hint=_hint_for(exc.problem or "", text, mark),
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise YamlProblems([Problem(path, f"invalid YAML: {exc}")]) from None
    except _TooLarge as exc:
        mark = exc.node.start_mark
        raise YamlProblems(
            [
                Problem(
                    path,
                    exc.message,
                    line=mark.line + 1,
                    column=mark.column + 1,
                    hint="aliases (*name) that repeat or contain themselves are the usual cause",
                )
            ]
        ) from None
    finally:
        loader.dispose()
    if problems:
        raise YamlProblems(problems)
    return doc


def _walk(
    loader: Any, node: yaml.Node, key_path: KeyPath, doc: YamlDocument, problems: list[Problem]
) -> Any:
    # Aliases share nodes, so a small file can expand without end: every walked value gets
    # its own key path, which bounds both the count and the depth.
    if len(key_path) > MAX_YAML_DEPTH:
        raise _TooLarge(node, f"values nested more than {MAX_YAML_DEPTH} levels deep")
    if len(doc.values) >= MAX_YAML_VALUES:
        raise _TooLarge(
            node,
            f"more than {MAX_YAML_VALUES:,} values once aliases are "
            "expanded; bb reads files up to that size",
        )
    start = node.start_mark
    doc.values[key_path] = (start.line + 1, start.column + 1)
    if isinstance(node, yaml.MappingNode):
        if any(key_node.tag in _SPECIAL_KEY_TAGS for key_node, _ in node.value):
            loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(loader, key_node, key_path, doc, problems)
            mark = key_node.start_mark
            where = (mark.line + 1, mark.column + 1)
            if not isinstance(key, str | int | float | bool) and key is not None:
                problems.append(
                    Problem(
                        doc.path,
                        "a key must be plain text",
                        line=where[0],
                        column=where[1],
                        key_path=key_path,
                    )
                )
                continue
            # YAML 1.1 reads `no:` or `1.5:` as a bool or a float: in paths they are text
            path_key: str | int = key if isinstance(key, str | int) else str(key)
            if key in result:
                first = doc.keys[(*key_path, path_key)]
                problems.append(
                    Problem(
                        doc.path,
                        f"key '{key}' appears twice (first on line {first[0]})",
                        line=where[0],
                        column=where[1],
                        key_path=key_path,
                        hint="remove one of them",
                    )
                )
                continue
            doc.keys[(*key_path, path_key)] = where
            result[key] = _walk(loader, value_node, (*key_path, path_key), doc, problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _walk(loader, child, (*key_path, index), doc, problems)
            for index, child in enumerate(node.value)
        ]
    return _scalar(loader, node, key_path, doc, problems)


def _scalar(
    loader: Any, node: yaml.Node, key_path: KeyPath, doc: YamlDocument, problems: list[Problem]
) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        return loader.construct_object(node, deep=True)
    if node.style in ('"', "'") and node.end_mark.line != node.start_mark.line:
        doc.multiline_quoted.append(key_path)
    # A plain scalar's constructor, called directly: construct_object's bookkeeping (alias
    # cache, recursion guard) is for collections, and a file has thousands of scalars.
    construct = loader.yaml_constructors.get(node.tag)
    try:
        if construct is None:
            return loader.construct_object(node, deep=True)
        return construct(loader, node)
    except ValueError as exc:
        # PyYAML resolves 2026-02-30 as a timestamp and then fails to build the date.
        mark = node.start_mark
        problems.append(
            Problem(
                doc.path,
                f"'{node.value}' is not a valid date ({exc})",
                line=mark.line + 1,
                column=mark.column + 1,
                key_path=key_path,
                hint="write dates as YYYY-MM-DD",
            )
        )
        return node.value
