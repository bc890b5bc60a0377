"""Ctrl-C and a missing litellm, in real `bb` processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from support.fake_llm import FakeLLM, Reply, Request, post

SRC = Path(__file__).resolve().parents[2] / "src"
KEY = "sk-bb-test-0123456789abcdefSECRET"


def bb_process(root: Path, base: str, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(SRC), OPENAI_API_BASE=base, OPENAI_API_KEY=KEY)
    return subprocess.Popen(
        [sys.executable, "-m", "bloomberry_cli", *args],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition, seconds: float) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


def test_ctrl_c_stops_at_once_says_how_far_it_got_and_writes_nothing(workspace: Path) -> None:
    def script(request: Request, n: int) -> Reply:
        if "Alice Chen" in request.user:
            return post("Alice's draft.")
        return Reply(hang=True)

    with FakeLLM(script, max_lifetime=120) as fake:
        process = bb_process(
            workspace,
            fake.base,
            "draft",
            "soc2-type2",
            "--engine",
            "llm",
            "--model",
            "openai/fake-model",
            "--jobs",
            "2",
        )
        # Alice's two drafts come back at once; the next two requests hang.
        wait_for(lambda: len(fake.requests) >= 4, 60)
        time.sleep(0.3)
        sent = len(fake.requests)
        interrupted = time.monotonic()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
        took = time.monotonic() - interrupted
        time.sleep(0.3)
    assert process.returncode == 130, err
    assert "interrupted: 2 of " in err and "drafted (kept in the cache), nothing written" in err
    assert took < 10  # the target is under a second; this only guards against a hang
    assert len(fake.requests) == sent  # no request started after Ctrl-C
    assert not (workspace / "posts").exists()
    assert KEY not in out + err


def test_the_llm_engine_without_litellm_says_what_to_install(workspace: Path) -> None:
    code = (
        "import sys; sys.modules['litellm'] = None\n"
        "from bloomberry_cli.cli.main import main\n"
        "sys.exit(main(['draft', 'soc2-type2', '--engine', 'llm']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=workspace,
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(SRC)),
        timeout=60,
    )
    assert result.returncode == 2
    assert "pip install 'bloomberry-cli[llm]'" in result.stderr
    assert not (workspace / "posts").exists()
