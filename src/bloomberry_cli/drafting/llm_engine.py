"""The LLM engine: litellm, imported only when used, with retries, timeouts and a cache.

API keys come from the environment, as litellm expects (OPENAI_API_KEY, ANTHROPIC_API_KEY, …);
bb never reads or writes them.
"""

from __future__ import annotations

import os
import random
import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

from bloomberry_cli.drafting import sandbox
from bloomberry_cli.drafting.cache import ResponseCache
from bloomberry_cli.drafting.selection import DraftJob
from bloomberry_cli.drafting.template_engine import render, template_context
from bloomberry_cli.workspace import Workspace

# Rate limits, timeouts and server trouble pass; bad keys and bad requests do not.
RETRYABLE = frozenset({"RateLimitError", "Timeout", "APITimeoutError", "APIConnectionError",
                       "InternalServerError", "ServiceUnavailableError", "BadGatewayError"})
AUTH_ERRORS = frozenset({"AuthenticationError", "PermissionDeniedError"})

Completion = Callable[..., Any]


def load_litellm() -> Any:
    """Import litellm without its network fetch of the model cost map (~3 s, and offline here)."""
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    import litellm

    litellm.suppress_debug_info = True
    return litellm


@dataclass
class LlmOutcome:
    job: DraftJob
    text: str | None = None
    error: str | None = None
    error_type: str | None = None
    attempts: int = 0
    cached: bool = False


def _describe(exc: BaseException, model: str) -> str:
    name = type(exc).__name__
    if name in AUTH_ERRORS:
        return (f"{name}: the provider refused the credentials for {model}; set the API key "
                "in the environment (e.g. OPENAI_API_KEY) and try again")
    message = str(exc).splitlines()[0] if str(exc) else ""
    return f"{name}: {message}"[:300]


def _clean(text: str) -> str:
    text = text.strip()
    fenced = re.fullmatch(r"```\w*\n(.*?)\n```", text, re.S)
    return (fenced.group(1) if fenced else text).strip()


class LlmEngine:
    name = "llm"

    def __init__(self, workspace: Workspace, model: str, *, timeout: float, retries: int,
                 cache: ResponseCache | None, completion: Completion | None = None,
                 backoff: float = 1.0) -> None:
        self.workspace = workspace
        self.model = model
        self.timeout = timeout
        self.retries = retries
        self.cache = cache
        self.backoff = backoff
        self._completion = completion
        self.environment = sandbox.make_environment(workspace.root)  # the prompt is sandboxed

    def prompt(self, job: DraftJob) -> str:
        context = template_context(self.workspace, job)
        voice = self.workspace.voices[job.participant]
        brief = self.workspace.briefs[job.brief_id]
        section = brief.advocacy if job.program == "advocacy" else brief.thought_leadership
        approved = self.workspace.approved_claims
        context.update(
            samples=voice.samples[:3],
            memory_summary=(voice.memory or {}).get("summary"),
            approved=[approved[c] for c in getattr(section, "claims", []) if c in approved],
            blocked=[p for claim in self.workspace.claims.blocked for p in claim.phrases],
        )
        return render(self.environment, ["prompt.md.j2"], context).strip()

    def _call(self, prompt: str) -> str:
        completion = self._completion or load_litellm().completion
        response = completion(model=self.model, timeout=self.timeout,
                              messages=[{"role": "user", "content": prompt}])
        return _clean(response.choices[0].message.content or "")

    def complete(self, job: DraftJob) -> LlmOutcome:
        outcome = LlmOutcome(job)
        prompt = self.prompt(job)
        if self.cache is not None:
            cached = self.cache.get(self.model, prompt)
            if cached is not None:
                outcome.text, outcome.cached = cached, True
                return outcome
        for attempt in range(self.retries + 1):
            outcome.attempts = attempt + 1
            try:
                text = self._call(prompt)
            except Exception as exc:  # litellm raises its own types; we sort them by name
                outcome.error_type = type(exc).__name__
                outcome.error = _describe(exc, self.model)
                if outcome.error_type not in RETRYABLE or attempt == self.retries:
                    return outcome
                time.sleep(self.backoff * (2 ** attempt) * (0.5 + random.random() / 2))
                continue
            if not text:
                outcome.error, outcome.error_type = "the model returned an empty post", "Empty"
                return outcome
            outcome.text, outcome.error, outcome.error_type = text, None, None
            if self.cache is not None:
                self.cache.put(self.model, prompt, text)
            return outcome
        return outcome  # pragma: no cover - the loop always returns

    def run(self, jobs: list[DraftJob], workers: int,
            on_done: Callable[[LlmOutcome], None] | None = None) -> list[LlmOutcome]:
        """All jobs, ``workers`` at a time; one failure never stops the others."""
        results: dict[DraftJob, LlmOutcome] = {}
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            futures = {pool.submit(self.complete, job): job for job in jobs}
            for future in as_completed(futures):
                outcome = future.result()
                results[futures[future]] = outcome
                if on_done:
                    on_done(outcome)
        return [results[job] for job in jobs]
