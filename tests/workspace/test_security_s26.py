"""A second attack on issue 19's promise (nothing in a workspace can run code, hang a run or
read outside it): what a pull request, or a teammate's branch, could still do."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import BB, git
from support.untrusted import SOURCE, advocacy_post, bb_in_a_process

TOKEN = "AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46Z2hzX3NlY3JldA=="


# --- git's own files are not the workspace's ------------------------------------------------


def test_a_template_linked_to_git_config_does_not_copy_the_ci_token_into_drafts(
    workspace: Path, bb: BB
) -> None:
    """actions/checkout leaves the job's token in .git/config (http.<url>.extraheader). A link
    to it is inside the workspace folder, so it was followed: the template rendered the
    token into every draft (and `--dry-run` would print them into the CI log)."""
    git(workspace, "config", "http.https://github.com/.extraheader", TOKEN)
    (workspace / "templates").mkdir()
    (workspace / "templates" / "advocacy.md.j2").symlink_to("../.git/config")
    result = bb("draft", "briefs/soc2-type2.yaml", "--program", "advocacy", cwd=workspace)
    assert result.code == 2
    assert "templates/advocacy.md.j2: leads into" in result.err
    assert "bb reads no file under .git" in result.err
    assert TOKEN not in result.out + result.err
    assert not (workspace / "posts").exists()


def test_a_voice_or_post_linked_into_git_is_refused(workspace: Path, bb: BB) -> None:
    (workspace / "voices" / "eve.yaml").symlink_to("../.git/config")
    result = bb("validate", cwd=workspace)
    assert result.code == 2
    assert "voices/eve.yaml: leads into" in result.err
    (workspace / "voices" / "eve.yaml").unlink()
    (workspace / "posts").mkdir()
    (workspace / "posts" / "head.md").symlink_to("../.git/HEAD")
    result = bb("lint", "--format", "json", cwd=workspace)
    [finding] = json.loads(result.out)["findings"]
    assert (
        finding["rule"] == "post.unreadable"
        and "bb reads no file under .git" in (finding["message"])
    )


# --- files that never end -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "command", "said"),
    [
        ("voices/eve.yaml", ("validate",), "is not a regular file"),
        (
            "posts/soc2-type2/alice--advocacy.md",
            ("lint", "posts/soc2-type2/alice--advocacy.md"),
            "is not a regular file",
        ),
        ("posts/soc2-type2/alice--advocacy.md", ("lint",), "0 of 0 files"),  # not a post file
    ],
)
def test_a_fifo_named_like_a_workspace_file_does_not_block(
    workspace: Path, where: str, command: tuple[str, ...], said: str
) -> None:
    """Opening a FIFO for reading waits for a writer: `bb validate` and `bb lint <post>` hung
    for ever (git cannot carry a FIFO, but a teammate's checkout or a shared folder can)."""
    path = workspace / where
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    started = time.monotonic()
    result = bb_in_a_process(workspace, *command, timeout=60)
    assert time.monotonic() - started < 60  # a hang guard
    assert "Traceback" not in result.stderr, result.stderr
    assert said in result.stdout + result.stderr


# --- what bb prints from the workspace ------------------------------------------------------

ESC_CODES = "\x1b[2J\x1b]0;pwned\x07\x1b]52;c;cHduZWQ=\x1b\\\x9b31m"


def test_escape_codes_in_a_post_and_its_name_reach_no_terminal(workspace: Path, bb: BB) -> None:
    """A post body and a file name from a pull request, printed by `bb lint` (the source line
    under a finding, the file heading): ESC went through raw, so a post could clear the
    reviewer's screen, retitle the terminal, forge colours in a CI log or write the
    clipboard (OSC 52)."""
    advocacy_post(workspace, f"I work at Acme Security. We guarantee 100% uptime. {ESC_CODES}")
    result = bb("lint", cwd=workspace)
    assert result.code in (0, 1), result.err
    assert "100%" in result.out  # the finding and its source line were printed
    assert not any(c in result.out + result.err for c in "\x1b\x07\x9b")
    assert "␛[2J" in result.out  # shown, as what it is
    # the caret still sits under its match: one visible character per control character
    source, carets = [line for line in result.out.splitlines() if line.startswith("    │")][:2]
    assert source[carets.index("^") : carets.rindex("^") + 1] == "100%"
    # A name with them is no post (it is reported, and shown as what it is).
    advocacy_post(workspace, "I work at Acme Security.", name=f"x{ESC_CODES}.md")
    named = bb("lint", cwd=workspace)
    assert named.code == 1 and "no post is named so" in named.out + named.err  # post.unreadable
    assert not any(c in named.out + named.err for c in "\x1b\x07\x9b")
    assert "x␛[2J" in named.out + named.err


def test_markup_in_a_post_is_printed_as_written(workspace: Path, bb: BB) -> None:
    body = "I work at Acme Security. We guarantee 100% uptime. [link=file:///etc/passwd]x[/] [/]"
    advocacy_post(workspace, body)
    result = bb("lint", cwd=workspace)
    assert "[link=file:///etc/passwd]x[/] [/]" in result.out
    assert "\x1b]8;" not in result.out  # no hyperlink made of it


def test_escape_codes_in_a_yaml_error_reach_no_terminal(workspace: Path, bb: BB) -> None:
    """YAML's "\\e" escape makes an ESC out of plain text; the unknown key is quoted in the
    error."""
    calendar = workspace / "calendar.yaml"
    calendar.write_text(calendar.read_text() + '"k\\e]0;pwned\\a\\e[31mred": 1\n')
    result = bb("validate", cwd=workspace)
    assert result.code == 2
    assert "unknown key 'k␛]0;pwned" in result.err and "␛[31mred'" in result.err
    assert "\x1b" not in result.err and "\x07" not in result.err


# --- templates that build huge values or loop without range ---------------------------------


def _limited_memory() -> None:  # pragma: no cover - runs in the child process
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


LONG = '{% set s = "x" * 99999 %}'


@pytest.mark.parametrize(
    ("template", "why"),
    [
        # one call, one huge value: a width, a count or a value times its replacement
        ('{{ "%999999999d"|format(1) }}', "'%' format"),
        ('{{ "{:>999999999}".format(1) }}', "format field"),
        ('{{ "{0:{1}}".format(1, 999999999) }}', "width or count"),
        ('{{ "x"|center(999999999) }}', "width or count"),
        ("{{ brief.model_dump_json(indent=999999999) }}", "width or count"),  # aborted bb
        ('{{ "x".ljust(999999999) }}', "width or count"),
        (LONG + '{{ s|replace("x", s) }}', "could build a value"),
        (LONG + "{{ ([s] * 99999)|join }}", "could build a value"),
        (LONG + '{{ ("\\n" * 99999)|indent(s, blank=True) }}', "could build a value"),
        ("{{ lipsum(n=1000000) }}", "width or count"),  # and lipsum is gone
        # doubling a value in a loop, with ~ or +
        (
            '{% set ns = namespace(s="x") %}{% for i in range(60) %}'
            "{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
            "'~' would build",
        ),
        (
            '{% set ns = namespace(s="x") %}{% for i in range(60) %}'
            "{% set ns.s = ns.s + ns.s %}{% endfor %}",
            "'+' would build",
        ),
        # loops that never call range(), and output that grows with the loop
        (LONG + "{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}", "steps of work"),
        (LONG + "{% for a in s %}{% for b in s if b == 'y' %}{% endfor %}{% endfor %}", "steps"),
        ("{% for i in range(99999) %}{{ 'x' * 99999 }}{% endfor %}", "steps of work"),
        (
            "{% macro m() %}{{ caller() }}{{ caller() }}{% endmacro %}"
            + "{% call m() %}" * 30
            + "xxxxxxxx"
            + "{% endcall %}" * 30,
            "more than",
        ),
    ],
)
def test_a_template_cannot_build_a_huge_value_or_loop_without_range(
    workspace: Path, template: str, why: str
) -> None:
    """Issue 19 bounded range(), '*', '**' and '%', but not the filters and methods that take
    a width or a replacement, '~' and '+', loops over a long string, nor the output a loop
    writes: each of these ran for minutes, exhausted memory (MemoryError, exit 3) or aborted
    the process (pydantic's Rust serializer). Run with 2 GB of address space so that a
    regression fails instead of swapping the machine."""
    (workspace / "templates").mkdir()
    (workspace / "templates" / "advocacy.md.j2").write_text("Hi.\n" + template + "\n")
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "bloomberry_cli", "draft", "soc2-type2", "--program", "advocacy"],
        cwd=workspace,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(SOURCE), "PATH": "/usr/bin:/bin", "HOME": str(workspace)},
        preexec_fn=_limited_memory,
    )
    assert time.monotonic() - started < 60  # a hang guard: each is refused in well under 1 s
    assert result.returncode == 2, result.stderr
    assert "templates/advocacy.md.j2, line 2: refused to render" in result.stderr
    assert why in result.stderr
    assert not (workspace / "posts").exists()


def test_templates_that_do_ordinary_work_still_render(workspace: Path, bb: BB) -> None:
    (workspace / "templates").mkdir()
    (workspace / "templates" / "advocacy.md.j2").write_text(
        "{% macro tag(t) %}<{{ t }}>{% endmacro %}"
        "{% for n in notes %}- {{ n }}\n{% else %}no notes\n{% endfor %}"
        '{{ section.message ~ " " ~ tag(person.name) }} {{ "%s/%d" % ("x", 3) }} '
        '{{ "a,b"|replace(",", ";") }} {{ "{}+{}".format(1, 2) }} {{ hashtags|join(" ") }}\n'
        "{{ disclosure }}\n"
    )
    result = bb("draft", "soc2-type2", "--program", "advocacy", cwd=workspace)
    assert result.code in (0, 1), result.err
    text = (workspace / "posts" / "soc2-type2" / "alice--advocacy.md").read_text()
    assert "x/3 a;b 1+2" in text and "<Alice" in text


# --- claim patterns: linear time is not yet fast enough --------------------------------------


@pytest.mark.xfail(
    strict=True,
    raises=subprocess.TimeoutExpired,
    reason="RE2 is linear in the text, but a pattern whose DFA explodes ([ab]*a[ab]{60}: "
    "2^60 states) exhausts RE2's DFA memory and falls back to the NFA, which costs "
    "the pattern's size per character: about 0.6 s per such pattern per 240 kB post here, so "
    "the 1,000 patterns allowed make one post take ~10 minutes. Suggested fix: in "
    "patterns.compile_pattern refuse counted repetitions of a class or group after an "
    "unbounded one (or cap the sum of {n}/{n,m} counts over all patterns, e.g. at 1,000: "
    "blocked claims are phrases), and say so in the README's RE2 paragraph.",
)
def test_patterns_whose_automaton_explodes_do_not_stall_lint(workspace: Path) -> None:
    import random

    claims = workspace / "claims.yaml"
    claims.write_text(
        claims.read_text()
        + "".join(
            f"  - id: slow{i}\n    patterns: ['(?:[ab]*a[ab]{{60}}){{1,15}}c{i}']\n    reason: r\n"
            for i in range(30)
        )
    )
    noise = random.Random(7)
    advocacy_post(workspace, "I work at Acme Security.\n" + "".join(noise.choices("ab", k=240_000)))
    # 30 patterns: ~18 s before a fix; a normal lint of one post takes well under a second,
    # so 5 s is a generous hang guard (and keeps this known hole's cost to the suite small)
    result = bb_in_a_process(workspace, "lint", "--format", "json", timeout=5)
    assert result.returncode in (0, 1), result.stderr


def test_a_file_name_with_a_newline_cannot_forge_a_ci_annotation(workspace: Path, bb: BB) -> None:
    """git carries file names with newlines. Printed raw, `bb lint` and `bb status` put the
    rest of the name on a line of its own, and GitHub Actions reads a line `::error …` in a
    job's log as a command: a pull request could post a forged annotation ("Deploy approved")
    on the run."""
    forged = "::error title=Deploy approved::all checks passed"
    advocacy_post(
        workspace, "I work at Acme Security. We guarantee 100% uptime.", f"x\n{forged}\n.md"
    )
    for command in (("lint",), ("status",)):
        result = bb(*command, cwd=workspace)
        printed = result.out + result.err
        assert "x␊::error title=Deploy approved" in printed, command
        assert not any(line.lstrip().startswith("::") for line in printed.splitlines())
    # No post is named so: bb reads it as no post, so no gate acts on it (approve, publish,
    # export, and the paths they print).
    status = bb("status", cwd=workspace)
    assert status.code == 2 and "no post is named so" in status.err
    github = bb("lint", "--format", "github", cwd=workspace).out  # escaped as Actions asks
    assert "x%0A%3A%3Aerror" in github and "\n::error" not in github


def test_rich_markup_in_a_decision_commit_is_printed_as_written(workspace: Path, bb: BB) -> None:
    """Anyone who can push a commit can write a decision's stage (`Bb-Stage:`, and the subject's
    parentheses take no spaces, but markup needs none): `bb log` printed it as rich markup, so
    `[link=https://evil.example]marketing[/link]` showed as a clickable "marketing"."""
    import hashlib

    assert bb("draft", "soc2-type2", cwd=workspace).code in (0, 1)
    git(workspace, "add", "-A")
    git(workspace, "commit", "-qm", "drafts")
    post = "posts/soc2-type2/alice--advocacy.md"
    digest = hashlib.sha256((workspace / post).read_bytes()).hexdigest()
    stage = "[link=https://evil.example]marketing[/link]"
    parent = git(workspace, "rev-parse", "HEAD").strip()
    git(
        workspace,
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        f"bb: approve {post} ({stage})\n\nBb-Decision: approve\nBb-Stage: {stage}\n"
        f"Bb-Post: {post}\nBb-Post-Sha256: {digest}\nBb-Reviewer: maria@example.com\n"
        f"Bb-Parent: {parent}\n",
    )
    result = bb("log", post, cwd=workspace)
    assert f"approve {stage}  maria@example.com  does not count" in result.out
