"""``bb review``: one post a screen, one keystroke a decision."""

import sys
from typing import Annotated, Any

import typer
from rich.console import Console

from bloomberry_cli.cli.console import SafeConsole
from bloomberry_cli.cli.review_screen import fit_screen
from bloomberry_cli.cli.state import open_workspace
from bloomberry_cli.wording import plural

_PROGRAMS = ("advocacy", "thought-leadership")


def review(
    ctx: typer.Context,
    brief: Annotated[str | None, typer.Option(help="Only this brief's posts.")] = None,
    program: Annotated[
        str | None, typer.Option(help="Only this program: advocacy or thought-leadership.")
    ] = None,
) -> int:
    """Review the posts waiting for you, one screen each."""
    from bloomberry_cli.errors import BBError

    workspace = open_workspace(ctx)
    check_filters(workspace, brief, program)
    if not sys.stdin.isatty():
        raise BBError("bb review needs a terminal", hint="use `bb approve` in scripts")
    from bloomberry_cli.cli.terminal import TerminalIO

    console = SafeConsole(highlight=False)
    loop = ReviewLoop(workspace, console, TerminalIO(), brief=brief, program=program)
    try:
        return loop.run()
    except KeyboardInterrupt:
        console.print()  # the terminal echoed ^C; the next message starts on its own line
        console.print(f"{plural(loop.decided, 'decision')} recorded before the interruption.")
        raise


def check_filters(workspace: Any, brief: str | None, program: str | None) -> None:
    """Unknown ids are a usage error, never an empty queue."""
    from bloomberry_cli.errors import BBError
    from bloomberry_cli.validation import did_you_mean

    if program is not None and program not in _PROGRAMS:
        raise BBError(
            f"--program {program!r} is not a program", hint=did_you_mean(program, _PROGRAMS)
        )
    if brief is not None and brief not in workspace.briefs:
        raise BBError(
            f"--brief {brief!r} is not a brief in briefs/",
            hint=did_you_mean(brief, workspace.briefs),
        )


class ReviewLoop:
    """The terminal side of a :class:`ReviewSession`: draws each screen, reads keys, lines and
    the editor through ``io`` (so tests can script a whole session), and says what happened."""

    def __init__(
        self,
        workspace: Any,
        console: Console,
        io: Any,
        *,
        brief: str | None = None,
        program: str | None = None,
        today: Any = None,
    ) -> None:
        from bloomberry_cli.review.session import ReviewSession

        self.console = console
        self.io = io
        self.session = ReviewSession(workspace, brief=brief, program=program, today=today)

    @property
    def decided(self) -> int:
        return self.session.decided

    def run(self) -> int:
        from bloomberry_cli.errors import BBError
        from bloomberry_cli.review.session import Ask, Done, Edit

        session = self.session
        if not session.queue:
            self._empty()
            return 0
        while True:
            _follow_terminal_size(self.console)
            screen = fit_screen(self.console, session.screen())
            session.fitted(screen.offset, screen.page)
            self.console.clear()
            self.console.print(screen.renderable)
            step = session.press(self.io.read_key())
            while isinstance(step, Ask | Edit):
                if isinstance(step, Ask):
                    step = session.answer(self.io.read_line(step.prompt))
                    continue
                try:
                    self.io.edit(step.path)
                except BBError as error:
                    step = session.edited(error)
                else:
                    step = session.edited()
            if isinstance(step, Done):
                if step.emptied:
                    self.console.print(step.message)
                    self.console.print("Your queue is empty.")
                break
        self.console.print(
            f"{plural(session.decided, 'decision')} recorded. `bb status` shows where "
            "everything stands."
        )
        return 0

    def _empty(self) -> None:
        notices = self.session.notices
        for notice in notices:
            self.console.print(notice, style="yellow", markup=False)
        if notices:
            self.console.print(
                "Edit the post and commit it: the new version goes back to review.", markup=False
            )
        email, person = self.session.email, self.session.person
        roles = ", ".join(sorted(person.roles)) or "no reviewer role"
        self.console.print(
            f"Nothing waits for you ({email}: {roles}"
            f"{', participant ' + person.participant if person.participant else ''}"
            ").",
            markup=False,
        )
        self.console.print(
            "Posts reach your queue when a stage you hold is next: marketing "
            "reviews drafts from `bb draft BRIEF`; each participant approves "
            "their own posts after marketing. `bb status` shows every post.",
            markup=False,
        )


def _follow_terminal_size(console: Console) -> None:
    """The real size, read each screen: the window may have been resized, and an exported
    $COLUMNS/$LINES (which rich prefers) is often stale."""
    import os

    if not console.is_terminal:
        return
    try:
        size = os.get_terminal_size(sys.stdout.fileno())
    except OSError:
        return
    console.size = (size.columns, size.lines)
