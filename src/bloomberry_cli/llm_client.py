"""The one lazy door to litellm, for drafting and anything else that asks a model.

litellm takes about 3 s to import, so nothing imports it at module level: ``start_loading()``
imports it on a background thread while the caller does other work, and ``load()`` waits for
that import. bb owns the retry policy: every request goes out with litellm's and the OpenAI
client's own retries off, and each failure is sorted once (``classify``) into stop the run,
retry, or fail this request.

API keys come from the environment, as litellm expects (OPENAI_API_KEY, ANTHROPIC_API_KEY, …);
bb never stores them, and ``redact`` keeps them out of every message it shows.
"""

from __future__ import annotations

import email.utils
import importlib.util
import os
import re
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import ModuleType
from typing import Any

from bloomberry_cli.errors import BBError

INSTALL_HINT = "pip install 'bloomberry-cli[llm]'"

_lock = threading.Lock()
_loader: threading.Thread | None = None
_module: ModuleType | None = None
_import_error: BaseException | None = None


class LlmUnavailable(BBError):
    """litellm is not installed: the LLM engine is an extra."""


def available() -> bool:
    """Whether litellm is installed, without importing it."""
    return _module is not None or importlib.util.find_spec("litellm") is not None


def require() -> None:
    if not available():
        raise LlmUnavailable(
            "the llm engine needs litellm, which is not installed",
            hint=f"install it with: {INSTALL_HINT}",
        )


def _import() -> None:
    global _module, _import_error
    # Without this litellm fetches its model cost map from GitHub on import (seconds, and
    # hangs offline); the copy bundled with litellm is enough for bb.
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    try:
        import litellm

        litellm.suppress_debug_info = True
        litellm.num_retries = 0
        _module = litellm
    except BaseException as exc:  # reported by load(), on the caller's thread
        _import_error = exc


def start_loading() -> None:
    """Import litellm on a daemon thread; harmless to call twice or when it is missing."""
    global _loader
    with _lock:
        if _loader is None and _module is None and available():
            _loader = threading.Thread(target=_import, name="bb-import-litellm", daemon=True)
            _loader.start()


def finish_loading() -> None:
    """Wait for ``start_loading``'s thread, if it is running (before a fork)."""
    if _loader is not None:
        _loader.join()


def load() -> ModuleType:
    """litellm, imported (waiting for ``start_loading``'s thread if it is running)."""
    start_loading()
    finish_loading()
    if _module is not None:
        return _module
    if _import_error is None:
        require()
    raise LlmUnavailable(
        f"litellm failed to import: {_import_error}", hint=f"reinstall it with: {INSTALL_HINT}"
    )


def loaded() -> bool:
    return _module is not None


def started() -> bool:
    """Whether this process has begun importing litellm (and so may have its threads)."""
    return _loader is not None or _module is not None


# --- secrets -------------------------------------------------------------------------------

_SECRET_NAME = re.compile(r"KEY|TOKEN|SECRET|PASSWORD", re.IGNORECASE)


def redact(text: str) -> str:
    """``text`` with the value of every secret-looking environment variable masked."""
    for name, value in os.environ.items():
        if len(value) >= 8 and _SECRET_NAME.search(name) and value in text:
            text = text.replace(value, "***")
    return re.sub(r"\b(sk-[A-Za-z0-9_-]{2})[A-Za-z0-9_*-]{6,}", r"\1***", text)


# --- failures ------------------------------------------------------------------------------


class Kind(StrEnum):
    STOP = "stop"  # the whole run cannot succeed: bad or missing key, unknown model
    RETRY = "retry"  # passing trouble: rate limit, timeout, 5xx, connection, malformed body
    FAIL = "fail"  # this request cannot succeed: content filter, empty or refused prompt


@dataclass
class LlmFailure(Exception):
    kind: Kind
    message: str
    retry_after: float | None = None

    def __str__(self) -> str:
        return self.message


_STOP = {"AuthenticationError", "PermissionDeniedError", "NotFoundError"}
_RETRY = {
    "RateLimitError",
    "Timeout",
    "APITimeoutError",
    "APIConnectionError",
    "InternalServerError",
    "ServiceUnavailableError",
    "BadGatewayError",
    "APIResponseValidationError",
    "JSONDecodeError",
}
_MISSING_KEY = re.compile(
    r"missing credentials|api[_ ]key (client option )?must be set|"
    r"no api key|api key not (set|found)|missing api key",
    re.IGNORECASE,
)


def _retry_after(exc: BaseException) -> float | None:
    """Seconds the provider asked us to wait (Retry-After: seconds or an HTTP date)."""
    headers: Any = getattr(exc, "litellm_response_headers", None)
    if headers is None:
        response = getattr(exc, "response", None)
        headers = getattr(response, "headers", None)
    if not headers:
        return None
    try:
        value = headers.get("retry-after") or headers.get("Retry-After")
    except AttributeError:
        return None
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(str(value)) if value else None
        return max(0.0, parsed.timestamp() - time.time()) if parsed else None


def classify(exc: BaseException, model: str) -> LlmFailure:
    """One place that decides what each error from the provider means for the run."""
    if isinstance(exc, LlmFailure):
        return exc
    name = type(exc).__name__
    status = getattr(exc, "status_code", None)
    text = redact(str(exc).replace("\n", " ").strip())
    first = re.sub(r"^(litellm\.)?\w+Error: (\w+Error: )?", "", text)[:300]
    if name in {"AuthenticationError", "PermissionDeniedError"} or _MISSING_KEY.search(text):
        return LlmFailure(
            Kind.STOP,
            f"the provider refused the credentials for {model} "
            f"({first}); set the API key in the environment "
            "(e.g. OPENAI_API_KEY) and try again",
        )
    if name == "NotFoundError" or status == 404:
        return LlmFailure(
            Kind.STOP,
            f"model {model} was not found ({first}); check "
            "drafting.model or --model (litellm names: provider/model)",
        )
    if (
        name == "ContentPolicyViolationError"
        or "content_filter" in text
        or "content management policy" in text.lower()
    ):
        return LlmFailure(Kind.FAIL, f"the provider's content filter refused it ({first})")
    if name == "ContextWindowExceededError":
        return LlmFailure(Kind.FAIL, f"the prompt is too long for {model} ({first})")
    if name == "Timeout" or name == "APITimeoutError":
        return LlmFailure(Kind.RETRY, "timed out waiting for the model")
    if name in _RETRY or (isinstance(status, int) and status >= 500) or status == 429:
        return LlmFailure(Kind.RETRY, f"{name}: {first}", _retry_after(exc))
    return LlmFailure(Kind.FAIL, f"{name}: {first}")


# --- requests ------------------------------------------------------------------------------


@dataclass
class Reply:
    text: str
    model: str
    finish_reason: str | None


Completion = Callable[..., Any]


class LlmClient:
    """Sends one chat request at a time to ``model`` (or, when ``fallbacks`` are set, through
    litellm's Router: one model group per name, so that bb picks the next group only after a
    rate limit, a 5xx or a timeout, never after an authentication error)."""

    def __init__(
        self,
        model: str,
        *,
        timeout: float,
        fallbacks: Sequence[str] = (),
        completion: Completion | None = None,
    ) -> None:
        self.chain = [model, *[f for f in fallbacks if f != model]]
        self.timeout = timeout
        self._completion = completion
        self._router: Any = None
        self._router_lock = threading.Lock()

    def _router_completion(self) -> Completion:
        with self._router_lock:
            if self._router is None:
                litellm = load()
                with warnings.catch_warnings():  # pydantic's notes on litellm's own types
                    warnings.simplefilter("ignore")
                    self._router = litellm.Router(
                        model_list=[
                            {
                                "model_name": name,
                                "litellm_params": {
                                    "model": name,
                                    "max_retries": 0,
                                    "timeout": self.timeout,
                                },
                            }
                            for name in self.chain
                        ],
                        num_retries=0,
                        timeout=self.timeout,
                    )
            completion: Callable[..., Any] = self._router.completion
            return completion

    def send(self, messages: list[dict[str, str]], *, max_tokens: int | None, model: str) -> Reply:
        """One request; raises ``LlmFailure``. ``model`` is one of ``self.chain``."""
        if self._completion is not None:
            completion = self._completion
        elif len(self.chain) > 1:
            completion = self._router_completion()
        else:
            completion = load().completion
        try:
            response = completion(
                model=model,
                messages=messages,
                timeout=self.timeout,
                max_tokens=max_tokens,
                num_retries=0,
                max_retries=0,
            )
            choice = response.choices[0]
            text = choice.message.content
        except LlmUnavailable:
            raise
        except Exception as exc:  # litellm's types are many; classify sorts them by meaning
            raise classify(exc, model) from None
        finish_reason = getattr(choice, "finish_reason", None)
        if finish_reason == "content_filter":
            raise LlmFailure(Kind.FAIL, "the provider's content filter stopped the reply")
        if not isinstance(text, str) or not text.strip():
            raise LlmFailure(Kind.FAIL, "the model returned an empty reply")
        return Reply(text, model, finish_reason)
