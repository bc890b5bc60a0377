"""The review queue as a state machine: keys and answers in, the next screen or request out.

No terminal here: a front end (``bb review``) draws :class:`ScreenModel`, reads a key, hands it
to :meth:`ReviewSession.press`, and follows the :data:`Step` it gets back — read a line for an
:class:`Ask`, open the editor for an :class:`Edit`, stop at :class:`Done`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from bloomberry_cli.approvals.decide import current_identity, decide
from bloomberry_cli.approvals.policy import Person
from bloomberry_cli.approvals.status import open_trail, policy_in_force
from bloomberry_cli.approvals.trail import Trail
from bloomberry_cli.approvals.trailers import Verdict
from bloomberry_cli.errors import BBError
from bloomberry_cli.governance.lint import Linter
from bloomberry_cli.review.context import ReviewContext, gather
from bloomberry_cli.review.intro import add_intro, earlier_intro
from bloomberry_cli.review.queue import QueueItem, build_queue, requested_of
from bloomberry_cli.wording import plural
from bloomberry_cli.workspace import Workspace

HELP = (
    "Keys: a approve, r reject, c request changes, e edit, i intro, n next, p previous, "
    "q quit; j/k or ↓/↑ scroll a line, space/b a page."
)
_SCROLL = {"j": 1, "down": 1, "k": -1, "up": -1}
_PAGE = {" ": 1, "pgdn": 1, "b": -1, "pgup": -1}


@dataclass
class ScreenModel:
    """What one screen shows: the post and its facts, where it stands in the queue, the
    message left by the last key, and the body line to show first."""

    context: ReviewContext
    index: int
    total: int
    message: str
    offset: int
    notices: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Show:
    """Draw :meth:`ReviewSession.screen` and read the next key."""


@dataclass(frozen=True)
class Ask:
    """Read one line after ``prompt``; hand it to :meth:`ReviewSession.answer`."""

    prompt: str


@dataclass(frozen=True)
class Edit:
    """Open ``path`` in the editor; report how that went to :meth:`ReviewSession.edited`."""

    path: Path


@dataclass(frozen=True)
class Done:
    """The session is over. ``emptied``: the last decision emptied the queue, and ``message``
    says what that decision did."""

    emptied: bool = False
    message: str = ""


Step = Show | Ask | Edit | Done


class ReviewSession:
    """One reviewer's walk through their queue. Decisions go through ``approvals.decide``."""

    def __init__(
        self,
        workspace: Workspace,
        *,
        brief: str | None = None,
        program: str | None = None,
        today: dt.date | None = None,
    ) -> None:
        self.workspace = workspace
        self.brief = brief
        self.program = program
        self.today = today
        trail = open_trail(workspace)  # read once to start: the queue and notices share it
        self.policy = policy_in_force(workspace, trail)
        self.email = current_identity(workspace.root, self.policy)
        self.linter = Linter(workspace, today)
        self.decided = 0
        self.intros: dict[str, str] = {}  # path → the intro this session added
        self.queue = self._queue(trail)
        self.notices = [
            f"changes requested of you on {r.path} by {r.reviewer} ({r.stage}): {r.reason}"
            for r in requested_of(workspace, self.email, trail)
        ]
        self.index = 0
        self.offset = 0
        self.page = 1
        self.message = ""
        self._context: ReviewContext | None = None
        #: what an Ask or Edit is for: "reject", "request-changes", "intro" or "edit"
        self._pending: tuple[str, ReviewContext] | None = None
        self._before = b""  # the post's bytes before the editor opened

    @property
    def person(self) -> Person:
        """The reviewer at the keyboard, as the policy knows them."""
        return self.policy.people[self.email]

    def _queue(self, trail: Trail | None = None) -> list[QueueItem]:
        """The queue; after a decision the trail is read again (the decision is a commit)."""
        return build_queue(
            self.workspace, self.email, brief=self.brief, program=self.program, trail=trail
        )

    def screen(self) -> ScreenModel:
        """The screen to draw now; the post's facts are gathered again after any key that is
        not a scroll. Only valid while the queue has posts."""
        self.index = max(0, min(self.index, len(self.queue) - 1))
        item = self.queue[self.index]
        if self._context is None:
            self._context = gather(self.workspace, item.status, item.stage, self.linter, self.today)
        return ScreenModel(
            self._context, self.index, len(self.queue), self.message, self.offset, self.notices
        )

    def fitted(self, offset: int, page: int) -> None:
        """What the drawn screen showed: the first body line (clamped to the post) and how
        many body lines fit, which a page key moves by."""
        self.offset = offset
        self.page = page
        self.message = ""  # a message is shown once

    def press(self, key: str) -> Step:
        """Act on one key: arrows and page keys by name ("up", "pgdn")."""
        key = key if len(key) > 1 else key.lower()
        if key == "q":
            return Done()
        if key in _SCROLL or key in _PAGE:
            self.offset += _SCROLL.get(key, 0) + _PAGE.get(key, 0) * max(1, self.page - 1)
            return Show()
        self.offset = 0
        shown, self._context = self._context, None
        if shown is None:  # no screen drawn yet: draw one before acting on it
            return Show()
        if key == "n":
            self.index = (self.index + 1) % len(self.queue)
        elif key == "p":
            self.index = (self.index - 1) % len(self.queue)
        elif key == "a":
            if shown.errors:
                self.message = f"Approve is not offered: {plural(len(shown.errors), 'lint error')}."
                return Show()
            return self._after_decision(self._decide(shown, "approve"))
        elif key in ("r", "c"):
            verdict: Verdict = "reject" if key == "r" else "request-changes"
            self._pending = (verdict, shown)
            return Ask(f"Reason to {verdict.replace('-', ' ')}: ")
        elif key == "e":
            path = self.workspace.root / shown.post.path
            self._before = path.read_bytes()
            self._pending = ("edit", shown)
            return Edit(path)
        elif key == "i" and shown.post.meta.program == "advocacy":
            self._pending = ("intro", shown)
            return Ask("Your one-line intro: ")
        else:
            self.message = HELP
        return Show()

    def answer(self, line: str) -> Step:
        """The line an :class:`Ask` asked for."""
        if self._pending is None:
            raise RuntimeError("answer() without a question")
        purpose, shown = self._pending
        self._pending = None
        text = line.strip()
        if purpose == "intro":
            self.message = self._intro(shown, text)
            return Show()
        if not text:
            self.message = "No reason given; nothing recorded."
            return self._after_decision(self.message)
        verdict: Verdict = "reject" if purpose == "reject" else "request-changes"
        return self._after_decision(self._decide(shown, verdict, text))

    def edited(self, error: BBError | None = None) -> Step:
        """How the editor an :class:`Edit` asked for went: ``error`` if it failed."""
        if self._pending is None:
            raise RuntimeError("edited() without an edit")
        _, shown = self._pending
        self._pending = None
        path = self.workspace.root / shown.post.path
        changed = path.read_bytes() != self._before
        if error is not None:
            self.message = (
                f"{error.message}; the post is {'changed' if changed else 'as it was'}."
                + (f" ({error.hint})" if error.hint else "")
            )
        else:
            self.message = "Edited; lint ran again." if changed else "No change made."
        return Show()

    def _after_decision(self, message: str) -> Step:
        """A decision (or a try at one) changes whose turn it is: the queue is built again."""
        self.message = message
        self.queue = self._queue()
        return Show() if self.queue else Done(emptied=True, message=message)

    def _intro(self, shown: ReviewContext, intro: str) -> str:
        if not intro:
            return "No intro given; nothing changed."
        path = shown.post.path
        previous = self.intros.get(path)
        if previous is None:
            previous = earlier_intro(self.workspace, shown.post)
        add_intro(self.workspace.root / path, intro, replace=previous)
        self.intros[path] = intro
        return "Intro replaced." if previous else "Intro added."

    def _decide(self, shown: ReviewContext, verdict: Verdict, reason: str | None = None) -> str:
        try:
            [result] = decide(
                self.workspace,
                [self.workspace.root / shown.post.path],
                verdict,
                stage=shown.stage,
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
