"""``bb review``: one post a screen, one keystroke a decision."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from bloomberry_cli.cli.review_screen import fit_screen
from bloomberry_cli.cli.state import open_workspace
from bloomberry_cli.wording import plural

if TYPE_CHECKING:
    from bloomberry_cli.review.queue import QueueItem

_PROGRAMS = ("advocacy", "thought-leadership")
_HELP = (
    "Keys: a approve, r reject, c request changes, e edit, i intro, n next, p previous, "
    "q quit; j/k or ↓/↑ scroll a line, space/b a page."
)
_SCROLL = {"j": 1, "down": 1, "k": -1, "up": -1}
_PAGE = {" ": 1, "pgdn": 1, "b": -1, "pgup": -1}


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

    console = Console(highlight=False)
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
    """The interactive queue. ``io`` supplies keys, lines and the editor, so tests can script
    a whole session."""

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
        from bloomberry_cli.approvals.decide import current_identity
        from bloomberry_cli.approvals.status import open_trail, policy_in_force
        from bloomberry_cli.governance.lint import Linter

        self.workspace = workspace
        self.console = console
        self.io = io
        self.brief = brief
        self.program = program
        self.today = today
        self.policy = policy_in_force(workspace, open_trail(workspace))
        self.email = current_identity(workspace.root, self.policy)
        self.linter = Linter(workspace, today)
        self.decided = 0
        self.intros: dict[str, str] = {}  # path → the intro this session added

    def _queue(self) -> "list[QueueItem]":
        from bloomberry_cli.review.queue import build_queue

        return build_queue(self.workspace, self.email, brief=self.brief, program=self.program)

    def _notices(self) -> list[str]:
        from bloomberry_cli.review.queue import requested_of

        return [
            f"changes requested of you on {r.path} by {r.reviewer} ({r.stage}): {r.reason}"
            for r in requested_of(self.workspace, self.email)
        ]

    def run(self) -> int:
        from bloomberry_cli.review.context import gather

        queue = self._queue()
        notices = self._notices()
        if not queue:
            self._empty(notices)
            return 0
        index = 0
        offset = 0
        message = ""
        context = None
        while queue:
            index = max(0, min(index, len(queue) - 1))
            item = queue[index]
            if context is None:  # scrolling keeps the screen's facts; anything else renews them
                context = gather(self.workspace, item.status, item.stage, self.linter, self.today)
            _follow_terminal_size(self.console)
            screen = fit_screen(
                self.console,
                context,
                index,
                len(queue),
                message=message,
                offset=offset,
                notices=notices,
            )
            offset = screen.offset
            self.console.clear()
            self.console.print(screen.renderable)
            message = ""
            key = self.io.read_key()
            key = key if len(key) > 1 else key.lower()
            if key == "q":
                break
            if key in _SCROLL or key in _PAGE:
                offset += _SCROLL.get(key, 0) + _PAGE.get(key, 0) * max(1, screen.page - 1)
                continue
            offset = 0
            shown, context = context, None
            if key == "n":
                index = (index + 1) % len(queue)
            elif key == "p":
                index = (index - 1) % len(queue)
            elif key == "a":
                if shown.errors:
                    message = f"Approve is not offered: {plural(len(shown.errors), 'lint error')}."
                    continue
                message = self._decide(shown, "approve")
            elif key in ("r", "c"):
                verdict = "reject" if key == "r" else "request-changes"
                reason = self.io.read_line(f"Reason to {verdict.replace('-', ' ')}: ").strip()
                message = (
                    self._decide(shown, verdict, reason)
                    if reason
                    else "No reason given; nothing recorded."
                )
            elif key == "e":
                message = self._edit(self.workspace.root / shown.post.path)
            elif key == "i" and shown.post.meta.program == "advocacy":
                message = self._intro(shown)
            else:
                message = _HELP
            queue = self._queue() if key in ("a", "r", "c") else queue
            if not queue:
                self.console.print(message)
                self.console.print("Your queue is empty.")
        self.console.print(
            f"{plural(self.decided, 'decision')} recorded. `bb status` shows where "
            "everything stands."
        )
        return 0

    def _edit(self, path: Path) -> str:
        from bloomberry_cli.errors import BBError

        before = path.read_bytes()
        try:
            self.io.edit(path)
        except BBError as error:
            changed = path.read_bytes() != before
            return f"{error.message}; the post is {'changed' if changed else 'as it was'}." + (
                f" ({error.hint})" if error.hint else ""
            )
        if path.read_bytes() == before:
            return "No change made."
        return "Edited; lint ran again."

    def _intro(self, context: Any) -> str:
        from bloomberry_cli.review.context import generated_body

        intro = self.io.read_line("Your one-line intro: ").strip()
        if not intro:
            return "No intro given; nothing changed."
        path = context.post.path
        previous = self.intros.get(path)
        if previous is None:  # an intro from an earlier session: the text before the draft
            original = generated_body(self.workspace, context.post)
            body = context.post.body.strip()
            if (
                original
                and original.strip()
                and body != original.strip()
                and body.endswith(original.strip())
            ):
                previous = body[: -len(original.strip())].strip() or None
        add_intro(self.workspace.root / path, intro, replace=previous)
        self.intros[path] = intro
        return "Intro replaced." if previous else "Intro added."

    def _decide(self, context: Any, verdict: str, reason: str | None = None) -> str:
        from bloomberry_cli.approvals.decide import decide
        from bloomberry_cli.errors import BBError

        try:
            [result] = decide(
                self.workspace,
                [self.workspace.root / context.post.path],
                verdict,  # type: ignore[arg-type]
                stage=context.stage,
                reason=reason,
                today=self.today,
            )
        except BBError as error:  # e.g. no signing key yet: say so, keep the session
            hint = f" ({error.hint})" if error.hint else ""
            return f"Nothing recorded: {error.message}{hint}"
        if result.refused:
            return f"Refused: {result.refused}"
        self.decided += 1
        return f"{verdict} recorded ({result.stage}) as {(result.commit or '')[:10]}."

    def _empty(self, notices: list[str]) -> None:
        for notice in notices:
            self.console.print(notice, style="yellow", markup=False)
        if notices:
            self.console.print(
                "Edit the post and commit it: the new version goes back to review.", markup=False
            )
        person = self.policy.people[self.email]
        roles = ", ".join(sorted(person.roles)) or "no reviewer role"
        self.console.print(
            f"Nothing waits for you ({self.email}: {roles}"
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


def add_intro(path: Path, intro: str, *, replace: str | None = None) -> None:
    """Put ``intro`` before the body; ``replace`` is an earlier intro to take out first."""
    from bloomberry_cli.posts import split_front_matter
    from bloomberry_cli.textfile import atomic_write

    text = path.read_text(encoding="utf-8")
    parts = split_front_matter(text)
    if parts is None:
        return
    front, body, _ = parts
    body = body.lstrip()
    if replace and body.startswith(replace):
        body = body[len(replace) :].lstrip()
    atomic_write(path, f"---\n{front}---\n{intro}\n\n{body}")
