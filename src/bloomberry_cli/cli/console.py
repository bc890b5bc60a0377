"""Where output goes: results to stdout, messages and errors to stderr."""

from rich.console import Console
from rich.markup import escape

from bloomberry_cli.errors import BBError, Problem, WorkspaceError
from bloomberry_cli.wording import plural

__all__ = ["err", "out", "plural", "problem_line", "report_error"]

# soft_wrap: CI logs and pipes must get whole lines, never rich's wrapping at 80 columns.
out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)


def problem_line(problem: Problem) -> str:
    text = f"[bold]{escape(problem.location)}[/]: "
    if problem.key_path:
        text += f"[cyan]{escape(problem.breadcrumb)}[/]: "
    text += escape(problem.message)
    if problem.hint:
        text += f" [dim]({escape(problem.hint)})[/]"
    return text


def report_error(error: BBError) -> None:
    err.print(f"[bold red]bb: error:[/] {escape(error.message)}")
    if isinstance(error, WorkspaceError):
        for problem in error.problems:
            err.print("  " + problem_line(problem))
    if error.hint:
        err.print(f"  [dim]hint: {escape(error.hint)}[/]")

