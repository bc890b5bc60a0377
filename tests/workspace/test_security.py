"""Nothing in a workspace can run code or hang a run (issue 19): sandboxed templates,
linear-time claim patterns, stated limits, and no symlink out of the workspace."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest

from bloomberry_cli.drafting.selection import plan_jobs
from bloomberry_cli.errors import BBError
from bloomberry_cli.limits import MAX_PATTERNS, MAX_POST_BYTES
from bloomberry_cli.workspace import load_workspace
from conftest import BB
from support.untrusted import SOURCE, advocacy_post, bb_in_a_process

ESCAPE = '{{ cycler.__init__.__globals__.os.popen("id > pwned.txt").read() }}'


def _lint_in_a_process(workspace: Path, *, timeout: int) -> subprocess.CompletedProcess[str]:
    """`bb lint --format json` in a fresh process with a timeout: a hang inside the test
    process could not be stopped."""
    return bb_in_a_process(workspace, "lint", "--format", "json", timeout=timeout)


def _override(root: Path, name: str, text: str) -> Path:
    (root / "templates").mkdir(exist_ok=True)
    bundled = SOURCE / "bloomberry_cli" / "templates" / name
    path = root / "templates" / name
    path.write_text(bundled.read_text() + text)
    return path


def test_template_escape_is_refused_and_runs_nothing(workspace: Path, bb: BB) -> None:
    _override(workspace, "advocacy.md.j2", ESCAPE + "\n")
    result = bb("draft", "briefs/soc2-type2.yaml", cwd=workspace)
    assert result.code == 2
    line = len(
        (SOURCE / "bloomberry_cli" / "templates" / "advocacy.md.j2").read_text().splitlines()
    )
    assert f"templates/advocacy.md.j2, line {line + 1}: refused to render" in result.err
    assert "__init__" in result.err
    assert not (workspace / "pwned.txt").exists()
    assert not (workspace / "posts").exists()  # nothing half-written


def test_prompt_template_escape_is_refused(workspace: Path) -> None:
    _override(workspace, "prompt.md.j2", ESCAPE)
    from bloomberry_cli.drafting.prompt import build_prompt
    from bloomberry_cli.drafting.template_engine import make_environment

    loaded = load_workspace(workspace)
    job = plan_jobs(loaded, "soc2-type2")[0]
    # the prompt is rendered before any request: the model is never reached
    with pytest.raises(BBError, match=r"templates/prompt\.md\.j2, line \d+: refused"):
        build_prompt(loaded, make_environment(loaded), job)
    assert not (workspace / "pwned.txt").exists()


@pytest.mark.parametrize(
    ("template", "why"),
    [
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
            "loops run past",
        ),
        ('{{ "x" * 10**9 }}', "'*' would build"),
        ("{{ 9 ** (9 ** 9) }}", "exponent"),
        ('{{ "%999999999d" % 1 }}', "'%' format"),
        ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "recurses"),
        ("{% set x = [] %}{{ x.append(1) }}", "unsafe"),
    ],
)
def test_template_cannot_hang_or_mutate(workspace: Path, bb: BB, template: str, why: str) -> None:
    (workspace / "templates").mkdir()
    (workspace / "templates" / "advocacy.md.j2").write_text(template + "\n")
    started = time.monotonic()
    result = bb("draft", "briefs/soc2-type2.yaml", "--program", "advocacy", cwd=workspace)
    assert time.monotonic() - started < 20  # a hang guard, not a benchmark
    assert result.code == 2
    assert "templates/advocacy.md.j2" in result.err and why in result.err


def test_template_symlinked_out_of_the_workspace_is_refused(
    workspace: Path, bb: BB, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the deploy key\n")
    (workspace / "templates").mkdir()
    (workspace / "templates" / "advocacy.md.j2").symlink_to(secret)
    result = bb("draft", "briefs/soc2-type2.yaml", cwd=workspace)
    assert result.code == 2
    assert "templates/advocacy.md.j2: is a symlink to" in result.err
    assert "outside the workspace" in result.err
    assert "deploy key" not in result.out + result.err
    assert not (workspace / "posts").exists()


def test_template_symlinked_inside_the_workspace_is_followed(workspace: Path, bb: BB) -> None:
    (workspace / "shared").mkdir()
    (workspace / "shared" / "short.j2").write_text("{{ section.message }}\n")
    (workspace / "templates").mkdir()
    (workspace / "templates" / "advocacy.md.j2").symlink_to(workspace / "shared" / "short.j2")
    result = bb("draft", "briefs/soc2-type2.yaml", "--program", "advocacy", cwd=workspace)
    assert result.code in (0, 1), result.err  # drafted (lint may find the missing disclosure)
    assert (workspace / "posts" / "soc2-type2" / "alice--advocacy.md").exists()


def test_post_and_voice_symlinked_out_of_the_workspace_are_refused(
    workspace: Path, bb: BB, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text(
        "---\nbrief: soc2-type2\nparticipant: alice\nprogram: advocacy\n"
        "channel: linkedin\n---\nHello.\n"
    )
    (workspace / "posts" / "soc2-type2").mkdir(parents=True)
    (workspace / "posts" / "soc2-type2" / "alice--advocacy.md").symlink_to(outside)
    result = bb("lint", "--format", "json", cwd=workspace)
    assert result.code == 1  # a post.unreadable finding, in every output format
    [finding] = json.loads(result.out)["findings"]
    assert finding["rule"] == "post.unreadable" and "is a symlink to" in finding["message"]
    (workspace / "posts" / "soc2-type2" / "alice--advocacy.md").unlink()
    (workspace / "voices" / "eve.yaml").symlink_to(outside)
    result = bb("validate", cwd=workspace)
    assert result.code == 2
    assert "voices/eve.yaml: is a symlink to" in result.err
    assert "outside the workspace" in result.err


def _block_pattern(root: Path, pattern: str) -> None:
    claims = root / "claims.yaml"
    claims.write_text(
        claims.read_text() + f"  - id: redos\n    patterns: ['{pattern}']\n    reason: test\n"
    )


def test_catastrophic_pattern_finishes_fast_with_a_clear_outcome(workspace: Path) -> None:
    _block_pattern(workspace, "(a+)+$")
    advocacy_post(workspace, "I work at Acme Security. " + "a" * 40 + "!")
    advocacy_post(workspace, "I work at Acme Security. The end: " + "a" * 40, "dan--advocacy.md")
    # A fresh process with a timeout: Python's re would run for hours here, and a hang inside
    # the test process could not be stopped.
    started = time.monotonic()
    result = _lint_in_a_process(workspace, timeout=30)
    assert time.monotonic() - started < 30
    assert result.returncode == 1, result.stderr
    blocked = [
        f
        for f in __import__("json").loads(result.stdout)["findings"]
        if f["rule"] == "claims.blocked"
    ]
    assert [(f["path"], f["match"]) for f in blocked] == [
        ("posts/soc2-type2/dan--advocacy.md", "a" * 40)
    ]


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("(a)\\1", "invalid escape sequence"),
        ("guarantee(?=d)", "invalid perl operator: (?="),
        ("(?<!not )guaranteed", "invalid perl operator: (?<"),
    ],
)
def test_pattern_re2_refuses_is_a_validate_error_at_its_line(
    workspace: Path, bb: BB, pattern: str, reason: str
) -> None:
    _block_pattern(workspace, pattern)
    line = len((workspace / "claims.yaml").read_text().splitlines()) - 1
    result = bb("validate", cwd=workspace)
    assert result.code == 2
    assert f"claims.yaml:{line}:" in result.err
    assert reason in result.err and "RE2 syntax" in result.err


def test_too_many_patterns_is_a_validate_error(workspace: Path, bb: BB) -> None:
    claims = workspace / "claims.yaml"
    extra = "".join(
        f"  - {{id: p{i}, patterns: ['zz{i}q'], reason: r}}\n" for i in range(MAX_PATTERNS + 1)
    )
    claims.write_text(claims.read_text() + extra)
    result = bb("validate", cwd=workspace)
    assert result.code == 2
    assert f"patterns; bb compiles at most {MAX_PATTERNS:,}" in result.err


def test_oversized_post_is_refused_with_the_limit(workspace: Path, bb: BB) -> None:
    advocacy_post(workspace, "word " * (MAX_POST_BYTES // 5 + 10))
    result = bb("lint", cwd=workspace)
    assert result.code == 1  # post.unreadable
    assert "bb reads files of this kind up to 256 kB" in result.out
    assert "post.unreadable" in result.out


def test_yaml_alias_bomb_is_refused_quickly(workspace: Path, bb: BB) -> None:
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
    )
    (workspace / "calendar.yaml").write_text(bomb)
    started = time.monotonic()
    result = bb("validate", cwd=workspace)
    assert time.monotonic() - started < 20  # a hang guard: expanded, this is 387 million values
    assert result.code == 2
    assert "more than 200,000 values once aliases are expanded" in result.err


@pytest.mark.parametrize(
    "body",
    [
        "<!-- bb-disable " + " " * 9_950 + "! -->",  # the old directive regex: minutes
        "<!--" * 2_500,  # a lazy comment regex rescans the rest of the post from each opener
    ],
)
def test_crafted_comments_do_not_stall_lint(workspace: Path, body: str) -> None:
    advocacy_post(workspace, "I work at Acme Security.\n\n" + body)
    result = _lint_in_a_process(workspace, timeout=60)
    # an answer, not a hang or a crash: findings, or a bb-disable that names no rule (exit 2)
    assert result.returncode in (0, 1, 2) and "Traceback" not in result.stderr, result.stderr
    assert result.returncode != 2 or "bb-disable names no rule" in result.stderr


def test_disable_directive_still_parses(workspace: Path) -> None:
    from bloomberry_cli.governance.prose import prepare
    from bloomberry_cli.posts import parse_post

    post = parse_post(
        "---\nbrief: b\nparticipant: p\nprogram: advocacy\nchannel: x\n---\n"
        "Hi <!-- bb-disable voice.avoid, channel.hashtags : my reason -->\n"
        "<!--bb-disable text.placeholder-->\n<!-- bb-disablefoo -->\n"
        "<!-- bb-disable voice.avoid! -->\n",
        "p.md",
    )
    prose = prepare(post)
    assert [(d.rules, d.reason, d.line) for d in prose.directives] == [
        (("voice.avoid", "channel.hashtags"), "my reason", 7),
        (("text.placeholder",), "", 8),
        ((), "voice.avoid!", 10),  # a control comment lint refuses: it names no rule it reads
    ]
    # control comments are not published; any other comment is, as written
    assert prose.text.startswith("Hi ") and "my reason" not in prose.text
    assert "<!-- bb-disablefoo -->" in prose.text


def test_oversized_brief_is_refused_with_the_limit(workspace: Path, bb: BB) -> None:
    brief = workspace / "briefs" / "soc2-type2.yaml"
    brief.write_text(brief.read_text() + "# " + "x" * (256 * 1024) + "\n")
    result = bb("validate", cwd=workspace)
    assert result.code == 2
    assert "briefs/soc2-type2.yaml: file is 258 kB" in result.err
    assert "bb reads files of this kind up to 256 kB" in result.err


def test_a_line_of_template_openers_lints_in_linear_time(workspace: Path) -> None:
    advocacy_post(workspace, "I work at Acme Security.\n\n" + "{{" * 100_000 + "\n")
    started = time.monotonic()
    result = _lint_in_a_process(workspace, timeout=120)
    assert time.monotonic() - started < 60  # a hang guard: it was minutes before
    assert result.returncode in (0, 1), result.stderr


def test_a_take_of_question_marks_drafts_in_linear_time(workspace: Path) -> None:
    """A take is checked for ending on a question (no sign-off that is one too): a pattern
    for it took quadratic time on a take of question marks, minutes at this size."""
    brief = workspace / "briefs" / "soc2-type2.yaml"
    text = brief.read_text()
    start = text.index("    take:", text.index("- id: marcus"))
    end = text.index("\n", start)
    brief.write_text(text[:start] + '    take: "' + "?" * 120_000 + 'a"' + text[end:])
    started = time.monotonic()
    result = bb_in_a_process(workspace, "draft", "soc2-type2", timeout=300)
    assert time.monotonic() - started < 60  # a hang guard: it is under a second
    assert result.returncode == 0, result.stderr
    assert "over their channel's length limit" in result.stdout  # drafted, and said so


@pytest.mark.parametrize(
    ("key", "count", "item"),
    [("sign_offs", 80_000, '"Sign-off {n}."'), ("hashtags", 30_000, '"#s{n}"')],
)
def test_a_voice_of_tens_of_thousands_of_lines_is_refused_at_once(
    workspace: Path, key: str, count: int, item: str
) -> None:
    """Drafting weighs each of a person's lines against their posts: 80,000 sign-offs (a 1 MB
    voice file from a pull request) took over two minutes to draft, 30,000 hashtags nearly
    four. A person has a few; the voice file is refused, naming the line."""
    voice = workspace / "voices" / "marcus.yaml"
    text = voice.read_text()
    start = text.index(f"  {key}:")
    end = text.index("\n", start)
    items = ", ".join(item.format(n=n) for n in range(count))
    voice.write_text(text[:start] + f"  {key}: [{items}]" + text[end:])
    line = text[:start].count("\n") + 1
    started = time.monotonic()
    result = bb_in_a_process(workspace, "draft", "soc2-type2", timeout=300)
    assert time.monotonic() - started < 60  # a hang guard: it is under a second
    assert result.returncode == 2, result.stderr
    assert f"voices/marcus.yaml:{line}:" in result.stderr
    assert f"style → {key}: has too many items: at most 100" in result.stderr
    assert not (workspace / "posts").exists()  # nothing drafted
