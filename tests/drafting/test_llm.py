"""`bb draft --engine llm` against a real OpenAI-compatible HTTP server on 127.0.0.1.

litellm and the OpenAI client run for real (model ``openai/fake-model``, ``OPENAI_API_BASE``
pointing at the fake); only the model's answers are scripted. Timing bounds are generous hang
guards, the targets themselves are measured in bench/llm_drafts.py.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import BB
from support.fake_llm import FakeLLM, Reply, Request, error, malformed, ok, post

KEY = "sk-bb-test-0123456789abcdefSECRET"
MODEL = "openai/fake-model"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeLLM]:
    with FakeLLM(max_lifetime=120) as server:
        monkeypatch.setenv("OPENAI_API_BASE", server.base)
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        yield server


def configure(root: Path, **drafting: object) -> None:
    config = root / "bloomberry.yaml"
    extra = "".join(f"  {key}: {json.dumps(value)}\n" for key, value in drafting.items())
    config.write_text(config.read_text().replace("  jobs: 4\n", "  jobs: 4\n" + extra))


def draft(bb: BB, root: Path, *args: str):  # type: ignore[no-untyped-def]
    return bb("draft", "soc2-type2", "--engine", "llm", "--model", MODEL, *args, cwd=root)


def body(root: Path, rel: str) -> str:
    return (root / rel).read_text().split("---\n", 2)[2].strip()


def everything_written(root: Path, home: Path) -> str:
    files = [*root.rglob("*"), *home.rglob("*")]
    return "".join(
        p.read_text(errors="replace") for p in files if p.is_file() and ".git" not in p.parts
    )


ALICE_TL = "posts/soc2-type2/alice--thought-leadership.md"
ALICE_ADV = "posts/soc2-type2/alice--advocacy.md"


def test_a_draft_is_written_and_the_prompt_carries_the_brief_and_the_voice(
    workspace: Path, bb: BB, fake: FakeLLM, isolated_env: Path
) -> None:
    fake.set_script([post("Unpopular opinion: audits find what you ignored.")])
    result = draft(bb, workspace, "-p", "alice")
    assert result.code == 0, result.err
    assert body(workspace, ALICE_TL) == "Unpopular opinion: audits find what you ignored."
    assert "engine: llm\nmodel: openai/fake-model" in (workspace / ALICE_TL).read_text()
    by_program = {("THOUGHT LEADERSHIP:" in r.user): r for r in fake.requests}
    advocacy, leadership = by_program[False], by_program[True]
    for request in fake.requests:
        assert request.body["model"] == "fake-model" and request.body["max_tokens"] == 1600
        assert "advocacy" in request.system.lower() and "never the" in request.system
        assert "Plain text only" in request.system
        assert request.headers["authorization"] == f"Bearer {KEY}"
        assert "guarantee[sd]? (?:results|savings)" in request.user  # blocked patterns
        assert "regulators treat it as a performance claim" in request.user  # with reasons
        assert 'Name the standard, e.g. "AES-256 at rest"' in request.user  # and suggestions
        assert "<post>" in request.user and "At most 3000 characters" in request.user
    assert "Seventeen people had prod-level access" in leadership.user  # her notes
    assert "theirs" in leadership.user or "own observation" in leadership.user
    assert "We rotated every API token last week" in leadership.user  # her samples
    assert "SOC 2 Type II certified | SOC 2 Type II certification" in advocacy.user
    assert "(I work at Acme Security.)" in advocacy.user  # disclosure
    assert "security leaders evaluating vendors" in advocacy.user  # her audience
    assert KEY not in result.out + result.err + everything_written(workspace, isolated_env)


def test_preamble_fence_quotes_and_chatter_never_reach_the_post(
    workspace: Path, bb: BB, fake: FakeLLM
) -> None:
    fake.set_script(
        [
            ok(
                'Sure! Here is your post:\n<post>\n```\n"Access reviews are theatre '
                'unless automated."\n```\n</post>\nLet me know if you want changes!'
            )
        ]
    )
    result = draft(bb, workspace, "-p", "alice", "--program", "thought-leadership")
    assert result.code == 0, result.err
    assert body(workspace, ALICE_TL) == "Access reviews are theatre unless automated."
    assert len(fake.requests) == 1


def test_a_reply_that_breaks_the_contract_is_asked_once_more_then_fails_that_draft(
    workspace: Path, bb: BB, fake: FakeLLM
) -> None:
    def script(request: Request, n: int) -> Reply:
        if "Alice" in request.user:
            return ok("Here is your post: Access reviews are theatre. Let me know!")
        return post("Marcus's own draft.")

    fake.set_script(script)
    result = draft(bb, workspace, "-p", "alice", "-p", "marcus", "--program", "thought-leadership")
    assert result.code == 1
    assert "output contract" in result.err and "<post>" in result.err
    assert sum("Alice" in r.user for r in fake.requests) == 2
    assert not (workspace / ALICE_TL).exists()
    assert (
        body(workspace, "posts/soc2-type2/marcus--thought-leadership.md") == "Marcus's own draft."
    )


def test_rate_limit_waits_for_retry_after_then_succeeds(
    workspace: Path, bb: BB, fake: FakeLLM
) -> None:
    fake.set_script(
        [
            error(429, "Rate limit reached", kind="rate_limit_error", headers={"Retry-After": "1"}),
            post("After the pause."),
        ]
    )
    start = time.monotonic()
    result = draft(bb, workspace, "-p", "alice", "--program", "thought-leadership")
    assert result.code == 0, result.err
    assert len(fake.requests) == 2
    assert fake.requests[1].at - fake.requests[0].at >= 0.95  # Retry-After, not the 10 ms backoff
    assert time.monotonic() - start < 30
    assert body(workspace, ALICE_TL) == "After the pause."


def test_a_hung_request_costs_at_most_timeout_times_attempts(
    workspace: Path, bb: BB, fake: FakeLLM
) -> None:
    configure(workspace, timeout=0.5, retries=1)
    fake.set_script([Reply(hang=True)])
    start = time.monotonic()
    result = draft(bb, workspace, "-p", "alice", "--program", "thought-leadership")
    elapsed = time.monotonic() - start
    assert result.code == 1 and "timed out" in result.err
    assert len(fake.requests) == 2  # bb's one retry; litellm's and openai's are off
    assert 0.9 < elapsed < 10
    assert not (workspace / ALICE_TL).exists()


def test_a_malformed_body_is_retried(workspace: Path, bb: BB, fake: FakeLLM) -> None:
    fake.set_script([malformed(), post("Second time lucky.")])
    result = draft(bb, workspace, "-p", "alice", "--program", "thought-leadership")
    assert result.code == 0, result.err
    assert len(fake.requests) == 2 and body(workspace, ALICE_TL) == "Second time lucky."


def test_a_refused_key_stops_the_run_at_the_first_request(
    workspace: Path, bb: BB, fake: FakeLLM, isolated_env: Path
) -> None:
    fake.set_script([error(401, f"Incorrect API key provided: {KEY}.", code="invalid_api_key")])
    result = bb(
        "draft", "soc2-type2", "--engine", "llm", "--model", MODEL, "--jobs", "1", cwd=workspace
    )
    assert result.code == 1
    assert len(fake.requests) == 1  # no retry, and the queued drafts never start
    assert result.err.count("refused the credentials") == 1
    assert "OPENAI_API_KEY" in result.err and "nothing written" in result.err
    assert not (workspace / "posts").exists()
    assert KEY not in result.out + result.err + everything_written(workspace, isolated_env)


def test_a_missing_key_is_not_retried(
    workspace: Path, bb: BB, fake: FakeLLM, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    start = time.monotonic()
    result = draft(bb, workspace, "-p", "alice")
    assert result.code == 1 and "OPENAI_API_KEY" in result.err
    assert fake.requests == [] and time.monotonic() - start < 10


def test_an_unknown_model_stops_the_run(workspace: Path, bb: BB, fake: FakeLLM) -> None:
    fake.set_script([error(404, "The model `fake-model` does not exist", code="model_not_found")])
    result = draft(bb, workspace, "--jobs", "1")
    assert result.code == 1 and len(fake.requests) == 1
    assert "was not found" in result.err


def test_a_filtered_reply_fails_that_draft_only(workspace: Path, bb: BB, fake: FakeLLM) -> None:
    def script(request: Request, n: int) -> Reply:
        if "Alice" in request.user:
            return ok("", finish_reason="content_filter")
        return post("Marcus's draft.")

    fake.set_script(script)
    result = draft(bb, workspace, "-p", "alice", "-p", "marcus", "--program", "thought-leadership")
    assert result.code == 1 and "content filter" in result.err
    assert sum("Alice" in r.user for r in fake.requests) == 1
    assert (workspace / "posts/soc2-type2/marcus--thought-leadership.md").exists()


def test_a_blocked_claim_is_asked_once_more_and_the_better_answer_kept(
    workspace: Path, bb: BB, fake: FakeLLM
) -> None:
    fake.set_script(
        [
            post("Our platform delivers guaranteed ROI. Floors, not ceilings."),
            post("What the audit taught us about access. Floors, not ceilings."),
        ]
    )
    result = draft(bb, workspace, "-p", "alice", "--program", "thought-leadership")
    assert result.code == 0, result.err
    assert len(fake.requests) == 2
    reask = fake.requests[1].body["messages"]
    assert reask[-2]["role"] == "assistant" and "guaranteed ROI" in reask[-2]["content"]
    assert "guaranteed ROI" in reask[-1]["content"] and "approved claim" in reask[-1]["content"]
    assert body(workspace, ALICE_TL).startswith("What the audit taught us")
    assert "re-asked" in result.out


def test_an_over_long_reply_is_asked_once_more(workspace: Path, bb: BB, fake: FakeLLM) -> None:
    fake.set_script([post("Access. " * 500), post("Short and within the limit.")])
    result = draft(bb, workspace, "-p", "alice", "--program", "thought-leadership")
    assert result.code == 0, result.err
    assert len(fake.requests) == 2 and "3,000" in fake.requests[1].user.replace("3000", "3,000")
    assert body(workspace, ALICE_TL) == "Short and within the limit."


def test_a_second_answer_that_is_no_better_is_not_kept(
    workspace: Path, bb: BB, fake: FakeLLM
) -> None:
    fake.set_script([post("guaranteed ROI, first try."), post("guaranteed ROI, second try.")])
    result = draft(bb, workspace, "-p", "alice", "--program", "thought-leadership")
    assert len(fake.requests) == 2
    assert body(workspace, ALICE_TL) == "guaranteed ROI, first try."
    assert "claims.blocked" in (result.out + result.err) or "1 error" in result.out


def test_thought_leadership_without_notes_sends_no_request(
    workspace: Path, bb: BB, fake: FakeLLM
) -> None:
    result = draft(bb, workspace, "-p", "dan", "--program", "thought-leadership")
    assert fake.requests == []
    text = (workspace / "posts/soc2-type2/dan--thought-leadership.md").read_text()
    assert "[Add your own observation" in text and "engine: template" in text
    assert result.code == 0, result.err


def test_the_cache_answers_reruns_and_no_cache_refreshes_it(
    workspace: Path, bb: BB, fake: FakeLLM, isolated_env: Path
) -> None:
    fake.set_script([post("First answer.")])
    assert draft(bb, workspace, "-p", "alice", "--program", "thought-leadership").code == 0
    (workspace / ALICE_TL).unlink()
    assert draft(bb, workspace, "-p", "alice", "--program", "thought-leadership").code == 0
    assert len(fake.requests) == 1 and body(workspace, ALICE_TL) == "First answer."

    fake.set_script(lambda request, n: post("Second answer."))
    result = draft(
        bb, workspace, "-p", "alice", "--program", "thought-leadership", "--no-cache", "--force"
    )
    assert result.code == 0 and len(fake.requests) == 2
    (workspace / ALICE_TL).unlink()
    assert draft(bb, workspace, "-p", "alice", "--program", "thought-leadership").code == 0
    assert len(fake.requests) == 2 and body(workspace, ALICE_TL) == "Second answer."

    [entry] = (isolated_env / "bb" / "cache" / "llm").rglob("*.json")
    stored = json.loads(entry.read_text())
    assert stored["post"] == "Second answer." and stored["model"] == MODEL
    assert KEY not in entry.read_text()


def test_fallback_models_take_over_on_rate_limits_but_not_on_a_refused_key(
    workspace: Path, bb: BB, fake: FakeLLM
) -> None:
    configure(workspace, fallbacks=["openai/backup-model"])

    def limited(request: Request, n: int) -> Reply:
        if request.body["model"] == "fake-model":
            return error(429, "Rate limit reached", kind="rate_limit_error")
        return post("From the backup.")

    fake.set_script(limited)
    result = draft(bb, workspace, "-p", "alice", "--program", "thought-leadership")
    assert result.code == 0, result.err
    assert [r.body["model"] for r in fake.requests] == ["fake-model", "backup-model"]
    assert "model: openai/backup-model" in (workspace / ALICE_TL).read_text()

    fake.requests.clear()
    fake.set_script([error(401, "Incorrect API key provided", code="invalid_api_key")])
    result = draft(bb, workspace, "-p", "marcus", "--program", "thought-leadership")
    assert result.code == 1 and "refused the credentials" in result.err
    assert [r.body["model"] for r in fake.requests] == ["fake-model"]


def test_requests_run_side_by_side(workspace: Path, bb: BB, fake: FakeLLM) -> None:
    fake.set_script(lambda request, n: post(" ".join(f"word{n}x{i}" for i in range(9)), delay=0.5))
    result = draft(bb, workspace, "--jobs", "8")
    assert result.code == 0, result.err
    arrivals = sorted(r.at for r in fake.requests)
    assert len(arrivals) >= 5
    assert arrivals[-1] - arrivals[0] < 0.5  # all sent before the first answer came back
    assert "re-asked" not in result.out


def test_the_llm_engine_without_a_model_is_a_usage_error(workspace: Path, bb: BB) -> None:
    config = workspace / "bloomberry.yaml"
    config.write_text(config.read_text().replace("  model: gpt-4o-mini\n", ""))
    result = bb("draft", "soc2-type2", "--engine", "llm", cwd=workspace)
    assert result.code == 2 and "needs a model" in result.err
