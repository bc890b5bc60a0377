"""The LLM engine: one draft per job through ``llm_client``, with bb's retry policy, the output
contract, the cache, lint-and-reask, and a run that stops cleanly.

A run stops early in two ways, both raised to the caller after the workers are told to stop
(no new request starts; requests in flight are abandoned, their threads are daemons):
``RunStopped`` when the provider refuses the credentials or the model (every other draft would
fail the same way), ``DraftInterrupted`` on Ctrl-C. Finished drafts are in the cache either way.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bloomberry_cli.drafting.cache import Messages, ResponseCache
from bloomberry_cli.drafting.engine import Drafted, Progress
from bloomberry_cli.drafting.output_contract import ContractBreak, extract_post
from bloomberry_cli.drafting.prompt import Prompt, build_prompt, reask_messages
from bloomberry_cli.drafting.reask import Check, Siblings, judge
from bloomberry_cli.drafting.retry import Backoff
from bloomberry_cli.drafting.selection import DraftJob
from bloomberry_cli.drafting.template_engine import TemplateEngine, make_environment
from bloomberry_cli.errors import BBError
from bloomberry_cli.llm_client import Kind, LlmClient, LlmFailure
from bloomberry_cli.workspace import Workspace


class RunStopped(BBError):
    """The provider refused the run (key, model): every other draft would fail the same way."""

    exit_code = 1


class DraftInterrupted(BBError):
    """Ctrl-C during a run."""

    exit_code = 130

    def __init__(self, done: int, total: int) -> None:
        super().__init__(
            f"interrupted: {done} of {total} drafted (kept in the cache), nothing written"
        )
        self.done, self.total = done, total


class _Cancelled(Exception):
    """The run is stopping; this draft gives up quietly."""


@dataclass
class LlmOutcome:
    job: DraftJob
    text: str | None = None
    error: str | None = None
    kind: Kind | None = None
    requests: int = 0
    cached: bool = False
    engine: str = "llm"
    model: str | None = None
    #: Why it was asked a second time (lint-and-reask), and whether the second answer won.
    reasked: list[str] = field(default_factory=list)
    reask_kept: bool = False


class LlmEngine:
    name = "llm"

    def __init__(
        self,
        workspace: Workspace,
        client: LlmClient,
        *,
        retries: int,
        cache: ResponseCache | None,
        backoff: Backoff,
        check: Check,
    ) -> None:
        self.workspace = workspace
        self.client = client
        self.model = client.chain[0]
        self.retries = retries
        self.cache = cache
        self.backoff = backoff
        self.check = check
        self.environment = make_environment(workspace)
        self.siblings = Siblings(workspace)
        self.stop = threading.Event()
        self._template: TemplateEngine | None = None

    # --- one draft --------------------------------------------------------------------------

    def _ask(
        self, messages: Messages, max_tokens: int | None, outcome: LlmOutcome
    ) -> tuple[str, str]:
        """(post, raw reply) for these messages: from the cache, or asked with retries.
        Raises ``LlmFailure`` (with the reason) or ``_Cancelled``."""
        if self.cache is not None:
            hit = self.cache.get(self.model, messages)
            if hit is not None:
                outcome.cached = True
                return hit
        chain = self.client.chain
        model_index = 0
        contract_retry_left = True
        attempt = 0
        while True:
            if self.stop.is_set():
                raise _Cancelled
            model = chain[model_index]
            outcome.requests += 1
            try:
                reply = self.client.send(messages, max_tokens=max_tokens, model=model)
                post = extract_post(reply.text, reply.finish_reason)
            except ContractBreak as exc:
                if contract_retry_left:
                    contract_retry_left = False
                    continue
                raise LlmFailure(Kind.FAIL, f"the reply broke the output contract: {exc}") from None
            except LlmFailure as failure:
                if failure.kind is not Kind.RETRY or attempt >= self.retries:
                    raise
                if model_index + 1 < len(chain):  # a fallback model: try it at once
                    model_index += 1
                elif self.stop.wait(self.backoff.delay(attempt, failure.retry_after)):
                    raise _Cancelled from None
                attempt += 1
                continue
            outcome.model = reply.model
            if self.cache is not None:
                self.cache.put(self.model, messages, post, reply=reply.text)
            return post, reply.text

    def _template_engine(self) -> TemplateEngine:
        if self._template is None:
            self._template = TemplateEngine(self.workspace)
        return self._template

    def complete(self, job: DraftJob) -> LlmOutcome:
        outcome = LlmOutcome(job)
        if job.program == "thought-leadership" and not job.notes:
            # Nothing of theirs to build on: a model would invent it. The template's draft
            # asks the person for their own observation instead.
            outcome.text, outcome.engine = self._template_engine().render(job), "template"
            return outcome
        prompt = build_prompt(self.workspace, self.environment, job)
        try:
            outcome.text = self._draft(job, prompt, outcome)
        except LlmFailure as failure:
            outcome.error, outcome.kind = failure.message, failure.kind
        return outcome

    def _draft(self, job: DraftJob, prompt: Prompt, outcome: LlmOutcome) -> str:
        post, reply = self._ask(prompt.messages, prompt.max_tokens, outcome)
        brief = self.workspace.briefs[job.brief_id]
        channel = self.workspace.config.channel(brief.channel)
        limit = channel.max_length if channel else None
        threshold = self.workspace.config.lint.duplicate_threshold
        first = judge(job, post, self.check(job, post), self.siblings, threshold, limit)
        if first.problems:
            outcome.reasked = first.problems
            again = reask_messages(prompt, reply, first.problems, self.siblings.openers(job))
            try:
                second_post, _ = self._ask(again, prompt.max_tokens, outcome)
            except LlmFailure:
                second_post = None  # the first answer stands, with its findings
            if second_post is not None:
                second = judge(
                    job, second_post, self.check(job, second_post), self.siblings, threshold, limit
                )
                if second.score < first.score:
                    post, outcome.reask_kept = second_post, True
        self.siblings.add(job, post)
        return post

    # --- the run ----------------------------------------------------------------------------

    def _work(self, jobs: queue.SimpleQueue[DraftJob], results: queue.SimpleQueue[object]) -> None:
        while not self.stop.is_set():
            try:
                job = jobs.get_nowait()
            except queue.Empty:
                return
            try:
                outcome = self.complete(job)
                if outcome.kind is Kind.STOP:
                    # the provider refused the run: no worker may send another request, not
                    # even before the main thread has read this
                    self.stop.set()
                results.put(outcome)
            except _Cancelled:
                return
            except BaseException as exc:  # a bug or a template error: the main thread raises it
                results.put(exc)
                return

    def run(
        self,
        jobs: list[DraftJob],
        workers: int,
        on_done: Callable[[LlmOutcome], None] | None = None,
    ) -> list[LlmOutcome]:
        """All jobs, ``workers`` at a time; a failed draft never stops the others."""
        pending: queue.SimpleQueue[DraftJob] = queue.SimpleQueue()
        for job in jobs:
            pending.put(job)
        results: queue.SimpleQueue[object] = queue.SimpleQueue()
        for number in range(max(1, min(workers, len(jobs)))):
            threading.Thread(
                target=self._work, args=(pending, results), name=f"bb-draft-{number}", daemon=True
            ).start()
        done: dict[DraftJob, LlmOutcome] = {}
        try:
            while len(done) < len(jobs):
                try:
                    result = results.get(timeout=0.25)  # short, so Ctrl-C is seen at once
                except queue.Empty:
                    continue
                if isinstance(result, BaseException):
                    raise result
                assert isinstance(result, LlmOutcome)
                if result.kind is Kind.STOP:
                    raise RunStopped(
                        f"{result.error}. Stopped: {self._drafted(done)} of {len(jobs)} "
                        "drafted (kept in the cache), nothing written"
                    )
                done[result.job] = result
                if on_done:
                    on_done(result)
        except KeyboardInterrupt:
            raise DraftInterrupted(self._drafted(done), len(jobs)) from None
        finally:
            self.stop.set()  # no new requests; daemon workers in flight are abandoned
        return [done[job] for job in jobs]

    def draft(
        self, jobs: Sequence[DraftJob], workers: int, on_progress: Progress | None = None
    ) -> Drafted:
        """The Engine interface: texts, failures, who wrote each text, and re-asks."""
        result = Drafted()
        finished = 0

        def progressed(_outcome: LlmOutcome) -> None:
            nonlocal finished
            finished += 1
            if on_progress:
                on_progress(finished, len(jobs))

        for outcome in self.run(list(jobs), workers, progressed):
            if outcome.text is not None:
                result.texts[outcome.job] = outcome.text
                result.origins[outcome.job] = (
                    outcome.engine,
                    (outcome.model or self.model) if outcome.engine == "llm" else None,
                )
            else:
                result.failures[outcome.job] = outcome.error or "failed"
            if outcome.reasked:
                result.reasked[outcome.job] = outcome.reasked
        return result

    @staticmethod
    def _drafted(done: dict[DraftJob, LlmOutcome]) -> int:
        return sum(outcome.text is not None for outcome in done.values())
