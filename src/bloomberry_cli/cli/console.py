"""Where output goes: results to stdout, messages and errors to stderr."""

from collections.abc import Iterable
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from bloomberry_cli.errors import BBError, Problem
from bloomberry_cli.wording import plural

__all__ = [
    "SafeConsole",
    "check_output_file",
    "err",
    "out",
    "plural",
    "print_table",
    "problem_line",
    "report_error",
    "visible",
    "visible_name",
    "warn",
    "write_output_file",
]

#: Control characters shown as what they are, one visible character each (so lint's carets
#: stay under their match): a post, a file name or a YAML "\e" escape from a pull request
#: could otherwise clear the reviewer's screen, retitle it, forge colours or hyperlinks in a
#: CI log, or write the clipboard (OSC 52). Tab and newline are kept.
_CONTROLS = {c: chr(0x2400 + c) for c in range(0x20) if c not in (0x09, 0x0A)}
_CONTROLS |= {0x7F: "\u2421"} | {c: "\ufffd" for c in range(0x80, 0xA0)}


_CONTROLS_IN_A_NAME = _CONTROLS | {0x0A: "\u240a"}


def visible(text: str) -> str:
    """``text`` with control characters replaced by visible ones (see ``_CONTROLS``)."""
    return text.translate(_CONTROLS)


def visible_name(text: str) -> str:
    """A file name (or a table cell) on one line: its newlines shown too. A name with a
    newline would otherwise start a line of its own, and a line ``::error …`` in a CI log is
    a GitHub Actions command (a forged annotation)."""
    return text.translate(_CONTROLS_IN_A_NAME)


class SafeConsole(Console):
    """A rich console that never passes a control character of the text it prints to the
    terminal: only the escape codes rich makes for styles and cursor moves get through."""

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            segment if segment.control else segment._replace(text=visible(segment.text))
            for segment in buffer
        )


# soft_wrap: CI logs and pipes must get whole lines, never rich's wrapping at 80 columns.
out = SafeConsole(soft_wrap=True, highlight=False)
err = SafeConsole(stderr=True, soft_wrap=True, highlight=False)


def problem_line(problem: Problem) -> str:
    text = f"[bold]{escape(visible_name(problem.location))}[/]: "
    if problem.key_path:
        text += f"[cyan]{escape(problem.breadcrumb)}[/]: "
    text += escape(problem.message)
    if problem.hint:
        text += f" [dim]({escape(problem.hint)})[/]"
    return text


def warn(problem: Problem) -> None:
    """Advice on a file: said on stderr, never a reason for the command to fail."""
    err.print(f"[yellow]warning:[/] {escape(str(problem))}")


def report_error(error: BBError) -> None:
    """The one way an expected error is shown: the message, each positioned problem (of any
    ``BBError``: a workspace, a post, YAML, a file that is not text), then the hint."""
    err.print(f"[bold red]bb: error:[/] {escape(error.message)}")
    for problem in error.problems:
        err.print("  " + problem_line(problem))
    if error.hint:
        err.print(f"  [dim]hint: {escape(error.hint)}[/]")


def print_table(table: Table, record_title: int = 1) -> None:
    """A table on a terminal; piped, plain lines at full width: no box drawing, no cell cut
    or wrapped mid-word, so grep, cut and CI logs get whole paths and column names. On a
    terminal too narrow for it, one record a row (its first ``record_title`` cells as its
    title), never a cell cut."""
    if out.is_terminal:
        if _fits(table, out.width):
            for column in table.columns:  # squeezed, rich cuts a header ("participat…")
                words = _plain(column.header).split() or [""]
                column.min_width = max(column.min_width or 0, *(len(word) for word in words))
            out.print(table)
        else:  # rich would cut cells ("soc2-typ…", "unchan…" in `bb draft` at 80 columns),
            # fold paths mid-word, or drop a column (`bb status` at 60 showed no paths)
            _print_records(table, record_title)
        return
    headers = [_plain(column.header) for column in table.columns]
    cells = [[visible_name(_plain(cell)) for cell in column.cells] for column in table.columns]
    rows = list(zip(*cells, strict=True)) if cells else []
    widths = [
        max([len(header), *(len(row[i]) for row in rows)]) for i, header in enumerate(headers)
    ]
    if table.title:
        print(visible(_plain(table.title)))

    def line(values: "tuple[str, ...] | list[str]") -> str:
        return "  ".join(
            value.rjust(width) if column.justify == "right" else value.ljust(width)
            for value, width, column in zip(values, widths, table.columns, strict=True)
        ).rstrip()

    if table.show_header:
        print(visible(line(headers)))
    for row in rows:
        print(visible(line(row)))
    print()


def _fits(table: Table, width: int) -> bool:
    """Whether every cell fits whole: a no-wrap cell at its full width, any other at its
    longest word, and every header. rich measures a no-wrap column by its longest word too,
    so its own measure cannot tell."""
    unbounded = out.options.update_width(100_000)  # rich clamps a measure to the width
    try:
        needed = table._extra_width  # the borders, between and around the columns
        for column in table.columns:
            measured = table._measure_column(out, unbounded, column)
            words = _plain(column.header).split() or [""]
            header = max(len(word) for word in words) + sum(table.padding[1::2])
            needed += max(header, measured.maximum if column.no_wrap else measured.minimum)
    except AttributeError:  # a rich without these: let rich lay it out
        return True
    return needed <= width


def _print_records(table: Table, title_cells: int) -> None:
    """A table too wide for the terminal, one row at a time: its first cells on a line of
    their own, then each other column's header and value; the terminal wraps values whole."""
    if table.title:
        out.print(_styled(table.title), style="bold")
    columns = table.columns
    title_cells = max(1, min(title_cells, len(columns)))
    rest = columns[title_cells:]
    width = max((len(_plain(column.header)) for column in rest), default=0)
    for cells in zip(*(column.cells for column in columns), strict=True):
        out.print(Text("  ").join(_styled(cell) for cell in cells[:title_cells]), style="bold")
        for column, cell in zip(rest, cells[title_cells:], strict=True):
            line = Text(f"  {_plain(column.header):<{width}}  ", style="dim")
            line.append_text(_styled(cell))
            out.print(line)


def _styled(cell: object) -> Text:
    if isinstance(cell, Text):
        return cell
    if isinstance(cell, str):
        return Text.from_markup(cell)
    return Text(str(cell))


def _plain(cell: object) -> str:
    if isinstance(cell, Text):
        return cell.plain
    if isinstance(cell, str):
        return Text.from_markup(cell).plain
    return str(cell)


def check_output_file(path: Path, example: str) -> None:
    """Refuse an output path that can never be written (a folder) before any work is done,
    so the command fails whole rather than after printing its report."""
    if str(path) == "-":  # elsewhere "standard output"; here it made a file named '-'
        raise BBError(
            "- names no file: bb writes this output to a file, not to standard output",
            hint=f"name the file to write, e.g. {example}",
        )
    if path.is_dir():
        raise BBError(
            f"{path}: is a folder, not a file",
            hint=f"name the file to write, e.g. {path / example}",
        )
    folder = path.absolute().parent
    if folder.exists() and not folder.is_dir():
        raise BBError(
            f"cannot write {path}: {path.parent} is a file, not a folder",
            hint="name a file in a folder",
        )
    if not folder.is_dir():  # a typo in the folder: say so rather than make it
        raise BBError(
            f"cannot write {path}: there is no folder {path.parent}",
            hint="create the folder first, or name a file in one that exists",
        )


def write_output_file(path: Path, data: str | bytes) -> None:
    """Write a file the user named on the command line (``--ics``, ``--html``) atomically; a
    path that cannot be written is the user's to fix (exit 2), not a bug in bb."""
    import errno

    from bloomberry_cli.textfile import atomic_write

    try:
        atomic_write(path, data)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            raise  # a full disk: the entry point says so once, for every output
        what = "is a folder, not a file" if exc.errno == errno.EISDIR else exc.strerror or exc
        raise BBError(
            f"cannot write {path}: {what}",
            hint="choose a file in a folder you can write to",
        ) from None
