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
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from bloomberry_cli.errors import BBError
from bloomberry_cli.textfile import TextFileError, read_text

#: Items all ``range()`` calls of one render may produce together.
RANGE_BUDGET = 100_000
#: Characters (or items) one ``*`` or ``%`` may produce; digits of one ``**`` result.
MAX_VALUE_SIZE = 100_000
_FORMAT_WIDTH = re.compile(r"%[-+ #0]*(?:\d{6,}|\*)|%[-+ #0]*\d*\.(?:\d{6,}|\*)")

_budget: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "bb_template_budget", default=None
)


class TemplateFileError(BBError):
    """A template override bb refuses to read (a link out of the workspace, too large)."""


def _budgeted_range(*args: int) -> range:
    items = range(*args)
    remaining = _budget.get()
    if remaining is None:  # rendering outside BudgetTemplate.render: one call's worth
        remaining = [RANGE_BUDGET]
    remaining[0] -= len(items)
    if remaining[0] < 0:
        raise SecurityError(f"the template's loops run past {RANGE_BUDGET:,} iterations")
    return items


class _BudgetTemplate(jinja2.Template):
    def render(self, *args: Any, **kwargs: Any) -> str:
        token = _budget.set([RANGE_BUDGET])
        try:
            return super().render(*args, **kwargs)
        except RecursionError:
            raise SecurityError("the template recurses too deeply") from None
        finally:
            _budget.reset(token)


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | list | tuple) else 0


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with the arithmetic that builds huge values bounded."""

    intercepted_binops = frozenset({"*", "**", "%"})
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
        return super().call_binop(context, operator, left, right)


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
    )
    environment.workspace_root = root
    environment.template_class = _BudgetTemplate
    environment.globals["range"] = _budgeted_range
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
