"""A small OpenAI-compatible chat server on 127.0.0.1 with scripted replies, for tests and bench.

Real HTTP, real sockets, real litellm and openai clients on the other side: only the model is
fake. Every request is recorded (headers included, so tests can check what was sent). Replies
that hang are bounded by the server's own lifetime, so a test that forgets one cannot hang.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    hang: bool = False  # never answer; the connection stays open until the server stops


def ok(text: str, *, delay: float = 0.0, finish_reason: str = "stop") -> Reply:
    """A chat completion whose message is ``text``."""
    body = {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": "fake-model",
        "choices": [
            {
                "index": 0,
                "finish_reason": finish_reason,
                "message": {"role": "assistant", "content": text},
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }
    return Reply(200, json.dumps(body).encode(), {"Content-Type": "application/json"}, delay)


def post(text: str, *, delay: float = 0.0) -> Reply:
    """A reply that keeps bb's output contract: the post between the delimiters."""
    return ok(f"<post>\n{text}\n</post>", delay=delay)


def error(
    status: int,
    message: str,
    *,
    kind: str = "invalid_request_error",
    headers: dict[str, str] | None = None,
    code: str | None = None,
) -> Reply:
    body = {"error": {"message": message, "type": kind, "param": None, "code": code}}
    return Reply(
        status, json.dumps(body).encode(), {"Content-Type": "application/json", **(headers or {})}
    )


def malformed() -> Reply:
    return Reply(
        200,
        b'{"id": "chatcmpl-fake", "choices": [{"message": ',
        {"Content-Type": "application/json"},
    )


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    at: float

    @property
    def user(self) -> str:
        return next(
            (m["content"] for m in self.body.get("messages", []) if m.get("role") == "user"), ""
        )

    @property
    def system(self) -> str:
        return next(
            (m["content"] for m in self.body.get("messages", []) if m.get("role") == "system"), ""
        )


Script = Callable[[Request, int], Reply]


class FakeLLM:
    """``script(request, n)`` answers the n-th request (0-based); or a list, in order, whose
    last reply repeats."""

    def __init__(
        self, script: Script | list[Reply] | None = None, *, max_lifetime: float = 120.0
    ) -> None:
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.set_script(script or [post("A draft.")])
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {}
                request = Request(
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                    time.monotonic(),
                )
                with fake.lock:
                    number = len(fake.requests)
                    fake.requests.append(request)
                reply = fake.script(request, number)
                if reply.hang:
                    fake.stopped.wait(max_lifetime)
                    self.close_connection = True
                    return
                if reply.delay and fake.stopped.wait(reply.delay):
                    return
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except OSError:
                    pass  # the client gave up (timeout): nothing to answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.deadline = threading.Timer(max_lifetime, self.stop)
        self.deadline.daemon = True

    def set_script(self, script: Script | list[Reply]) -> None:
        if isinstance(script, list):
            replies = list(script)
            self.script = lambda _request, n: replies[min(n, len(replies) - 1)]
        else:
            self.script = script

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> FakeLLM:
        self.thread.start()
        self.deadline.start()
        return self

    def stop(self) -> None:
        self.stopped.set()
        self.deadline.cancel()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> FakeLLM:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_forever(script: str) -> None:  # pragma: no cover - used by subprocess tests
    """``python fake_llm.py SCRIPT``: serve in a process of its own, print the base URL."""
    import sys

    scripts = {
        "slow": [post("A slow draft.", delay=float(sys.argv[2]) if len(sys.argv) > 2 else 1.0)]
    }
    with FakeLLM(scripts[script], max_lifetime=300) as fake:
        print(fake.base, flush=True)
        fake.stopped.wait(300)


if __name__ == "__main__":  # pragma: no cover
    import sys

    serve_forever(sys.argv[1])
