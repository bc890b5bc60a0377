"""The Jinja2 environment every template renders in: the bundled ones, a workspace's overrides
under ``templates/`` and the LLM prompt.

Templates come from pull requests, and drafting runs them as the person who pulled (or as CI).
A plain ``jinja2.Environment`` lets ``{{ cycler.__init__.__globals__.os.popen(...) }}`` run a
command; the immutable sandbox refuses private attributes, unsafe callables and mutation, so a
template can only read the values bb passes it. On top of Jinja's sandbox: loops over
``range`` share one budget per render, and ``*``, ``**`` and ``%`` cannot build huge values, so a
template cannot hang a run either. Override files that are symlinks out of the workspace are
refused.
"""

from __future__ import annotations

import contextvars
import functools
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from bloomberry_cli.errors import BBError
from bloomberry_cli.textfile import TextFileError, read_text

#: Items all ``range()`` calls of one render may produce together.
RANGE_BUDGET = 100_000
#: Characters (or items) one ``*`` or ``%`` may produce; digits of one ``**`` result.
MAX_VALUE_SIZE = 100_000
#: Work one render may do: loop iterations, characters written by ``{{ }}`` and literal text
#: each time a loop body, macro, block or included template runs. A draft is a few kB; a
#: template that loops over a long string or writes a 2 MB literal in a loop stops here.
WORK_BUDGET = 2_000_000
_FORMAT_WIDTH = re.compile(r"%[-+ #0]*(?:\d{6,}|\*)|%[-+ #0]*\d*\.(?:\d{6,}|\*)")
#: A ``str.format`` field with a huge width or precision: ``"{:>999999999}"``.
_FIELD_WIDTH = re.compile(r"\{[^{}]*[:!][^{}]*\d{6,}")

# Per render: [range items left, work left].
_budget: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "bb_template_budget", default=None
)


def _remaining() -> list[int]:
    remaining = _budget.get()
    # Outside BudgetTemplate.render (a constant folded while compiling): one call's worth.
    return [RANGE_BUDGET, WORK_BUDGET] if remaining is None else remaining


def _charge(units: int) -> None:
    remaining = _remaining()
    remaining[1] -= units
    if remaining[1] < 0:
        raise SecurityError(
            f"the template does more than {WORK_BUDGET:,} steps of work "
            "(loop iterations and characters written)"
        )


class TemplateFileError(BBError):
    """A template override bb refuses to read (a link out of the workspace, too large)."""


def _budgeted_range(*args: int) -> range:
    items = range(*args)
    remaining = _remaining()
    remaining[0] -= len(items)
    if remaining[0] < 0:
        raise SecurityError(f"the template's loops run past {RANGE_BUDGET:,} iterations")
    return items


class _BudgetTemplate(jinja2.Template):
    def render(self, *args: Any, **kwargs: Any) -> str:
        token = _budget.set([RANGE_BUDGET, WORK_BUDGET])
        try:
            return super().render(*args, **kwargs)
        except RecursionError:
            raise SecurityError("the template recurses too deeply") from None
        except MemoryError:
            raise SecurityError("the template builds a value too large for memory") from None
        finally:
            _budget.reset(token)


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | list | tuple) else 0


def _volume(value: Any) -> int:
    """Characters and items in ``value``, one level into a list (what joining it builds)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list | tuple):
        return len(value) + sum(len(item) for item in value if isinstance(item, str))
    return 0


def _check_arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse a call whose arguments could build a huge value in one step, before it runs:
    a width or count over the value limit (``center(10**9)``, ``indent``, ``ljust``,
    ``model_dump_json(indent=…)``), or a value times the text put in for each of its
    characters (``replace``, ``indent`` with a string, ``wordwrap``'s ``wrapstring``)."""
    values = [*args, *kwargs.values()]
    numbers = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
    if any(abs(n) > MAX_VALUE_SIZE for n in numbers):
        raise SecurityError(f"a width or count above {MAX_VALUE_SIZE:,}")
    sized = [_volume(v) for v in values]
    first, rest = (sized[0], sized[1:]) if sized else (0, [])
    if (first + 1) * (1 + sum(rest)) > WORK_BUDGET:
        raise SecurityError(f"a call that could build a value of more than {WORK_BUDGET:,} items")


def _check_result(result: Any) -> Any:
    if _size(result) > MAX_VALUE_SIZE:
        raise SecurityError(f"a value of more than {MAX_VALUE_SIZE:,} items")
    return result


def _guarded_filter(function: Callable[..., Any]) -> Callable[..., Any]:
    formats = function.__name__ == "do_format"  # "%999999999d"|format(1)

    @functools.wraps(function)  # keeps jinja_pass_arg: context, environment, eval context
    def guarded(*args: Any, **kwargs: Any) -> Any:
        values = args[1:] if _passes_first(function) else args
        if formats and values and isinstance(values[0], str) and _FORMAT_WIDTH.search(values[0]):
            raise SecurityError("a '%' format with a huge width or precision")
        _check_arguments(values, kwargs)
        return _check_result(function(*args, **kwargs))

    return guarded


def _passes_first(function: Callable[..., Any]) -> bool:
    return getattr(function, "jinja_pass_arg", None) is not None


def _charge_filter(value: Any) -> str:
    """``bb_charge``: inserted at the start of every loop body, macro, block and template."""
    _charge(value)
    return ""


def _loop_filter(items: Any) -> Iterator[Any]:
    """``bb_loop``: every ``for`` iterates through it, one unit of work per item."""
    for item in items:
        _charge(1)
        yield item


def _concat_filter(parts: list[Any]) -> str:
    """``bb_concat``: ``a ~ b``, refused before it builds a value over the limit."""
    texts = [str(part) for part in parts]
    if sum(map(len, texts)) > MAX_VALUE_SIZE:
        raise SecurityError(f"'~' would build a value of more than {MAX_VALUE_SIZE:,} items")
    return "".join(texts)


def _finalize(value: Any) -> Any:
    """Every ``{{ }}`` output is charged by its size."""
    _charge(1 + _size(value))
    return value


_SCOPES = (nodes.For, nodes.Macro, nodes.CallBlock, nodes.Block)


def _literal_size(body: Iterable[nodes.Node]) -> int:
    """Literal text ``body`` writes each time it runs, not counting nested scopes (which
    charge for themselves)."""
    total = 0
    for node in body:
        if isinstance(node, nodes.TemplateData):
            total += len(node.data)
        elif not isinstance(node, _SCOPES):
            total += _literal_size(node.iter_child_nodes())
    return total


def _charged(body: list[nodes.Node], owner: nodes.Node) -> list[nodes.Node]:
    cost = nodes.Filter(nodes.Const(1 + _literal_size(body)), "bb_charge", [], [], None, None)
    return [nodes.ExprStmt(cost, lineno=owner.lineno), *body]


class _Metered(NodeTransformer):
    """Puts the work budget into a parsed template: a charge at the start of every scope,
    every loop's items counted, every ``~`` bounded."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = nodes.Filter(node.iter, "bb_loop", [], [], None, None, lineno=node.lineno)
        node.body = _charged(node.body, node)
        if node.else_:
            node.else_ = _charged(node.else_, node)
        return node

    def visit_Macro(self, node: nodes.Macro | nodes.CallBlock | nodes.Block) -> nodes.Node:
        self.generic_visit(node)
        node.body = _charged(node.body, node)
        return node

    visit_CallBlock = visit_Macro
    visit_Block = visit_Macro

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return nodes.Filter(
            nodes.List(node.nodes), "bb_concat", [], [], None, None, lineno=node.lineno
        )


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with the arithmetic that builds huge values bounded."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    #: The workspace, to name override files relative to it in errors.
    workspace_root: Path | None = None

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        if operator == "*":
            for sized, count in ((left, right), (right, left)):
                if (
                    _size(sized)
                    and isinstance(count, int)
                    and (_size(sized) * count > MAX_VALUE_SIZE)
                ):
                    raise SecurityError(
                        f"'*' would build a value of more than {MAX_VALUE_SIZE:,} items"
                    )
        elif operator == "**":
            if isinstance(right, int | float) and abs(right) > 1000 and abs(left) > 1:
                raise SecurityError("'**' with an exponent above 1,000")
        elif operator == "%" and isinstance(left, str) and _FORMAT_WIDTH.search(left):
            raise SecurityError("a '%' format with a huge width or precision")
        elif operator == "+" and _size(left) + _size(right) > MAX_VALUE_SIZE:
            raise SecurityError(f"'+' would build a value of more than {MAX_VALUE_SIZE:,} items")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Every call a template makes (methods, macros, ``loop()``): its arguments checked
        before, its result after."""
        method = getattr(__obj, "__wrapped__", __obj)  # str.format comes wrapped
        owner = getattr(method, "__self__", None)
        if isinstance(owner, str):
            if getattr(method, "__name__", "") in ("format", "format_map") and (
                _FIELD_WIDTH.search(owner)
            ):
                raise SecurityError("a format field with a huge width or precision")
            _check_arguments((owner, *args), kwargs)
        else:
            _check_arguments(args, kwargs)
        return _check_result(super().call(__context, __obj, *args, **kwargs))

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        _Metered().visit(tree)  # changes the tree in place; the root is a Template still
        tree.body = _charged(tree.body, tree)
        return tree


class WorkspaceTemplateLoader(jinja2.BaseLoader):
    """``templates/`` in the workspace, read as any workspace file is: UTF-8, size-limited,
    and never through a symlink that leaves the workspace."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.directory = root / "templates"

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = jinja2.loaders.split_template_path(template)  # refuses '..'
        path = self.directory.joinpath(*pieces)
        if not path.is_file():
            raise jinja2.TemplateNotFound(template)
        display = "/".join(("templates", *pieces))
        try:
            source = read_text(path, display, within=self.root)
        except TextFileError as exc:
            problem = exc.problem
            raise TemplateFileError(
                f"{problem.location}: {problem.message}", hint=problem.hint
            ) from None
        mtime = os.path.getmtime(path)
        return source, str(path), lambda: os.path.getmtime(path) == mtime

    def list_templates(self) -> list[str]:
        if not self.directory.is_dir():
            return []
        return sorted(
            p.relative_to(self.directory).as_posix() for p in self.directory.rglob("*.j2")
        )


def make_environment(root: Path) -> jinja2.Environment:
    """The sandboxed environment: workspace overrides first, then the bundled templates."""
    loaders: list[jinja2.BaseLoader] = []
    if (root / "templates").is_dir():
        loaders.append(WorkspaceTemplateLoader(root))
    loaders.append(jinja2.PackageLoader("bloomberry_cli", "templates"))
    environment = BoundedSandbox(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        autoescape=False,
        # One run renders thousands of drafts from templates that do not change meanwhile: no
        # stat of every template file on every render.
        auto_reload=False,
        finalize=_finalize,
    )
    environment.workspace_root = root
    environment.template_class = _BudgetTemplate
    environment.globals["range"] = _budgeted_range
    del environment.globals["lipsum"]  # lipsum(n=10**6): paragraphs of filler, for minutes
    environment.filters = {
        name: _guarded_filter(function) for name, function in environment.filters.items()
    }
    environment.filters |= {
        "bb_charge": _charge_filter,
        "bb_loop": _loop_filter,
        "bb_concat": _concat_filter,
    }
    return environment


def _frames(exc: BaseException) -> Iterator[tuple[str, int]]:
    tb = exc.__traceback__
    while tb is not None:
        yield tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next


def refused(exc: SecurityError, template: jinja2.Template) -> BBError:
    """The error for a template the sandbox stopped: which file, which line, and why."""
    root = getattr(template.environment, "workspace_root", None)
    filename, line = template.filename or template.name or "template", None
    for frame_file, frame_line in _frames(exc):
        if frame_file.endswith(".j2"):
            filename, line = frame_file, frame_line
    if root is not None and Path(filename).is_relative_to(root):
        filename = Path(filename).relative_to(root).as_posix()
    where = f"template {filename}" + (f", line {line}" if line else "")
    return BBError(
        f"{where}: refused to render: {exc}",
        hint="templates run in a sandbox and may only read the variables bb passes "
        "them; nothing in the template was executed",
    )
