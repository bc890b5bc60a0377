"""One error path: every error carrying positioned problems is a ``ProblemsError``, and the
CLI's one handler prints the message, each problem with its position, then the hint."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bloomberry_cli.cli.console import report_error
from bloomberry_cli.errors import BBError, Problem, ProblemsError, WorkspaceError
from bloomberry_cli.governance.lint import DirectiveError
from bloomberry_cli.patterns import PatternError, compile_pattern
from bloomberry_cli.posts import PostError, load_post, parse_post
from bloomberry_cli.textfile import TextFileError, read_text
from bloomberry_cli.workspace import load_workspace
from bloomberry_cli.yamlfile import YamlProblems, parse_yaml
from conftest import BB, copy_example


def reported(error: BBError, capsys: pytest.CaptureFixture[str]) -> list[str]:
    capsys.readouterr()
    report_error(error)
    captured = capsys.readouterr()
    assert captured.out == ""  # errors go to stderr only
    return captured.err.splitlines()


def raised(kind: type[BBError], call: Callable[..., object], *args: object) -> BBError:
    with pytest.raises(kind) as caught:
        call(*args)
    return caught.value


def test_a_broken_workspace_prints_each_problem_with_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_example(tmp_path / "ws")
    (root / "calendar.yaml").write_text("windows: [unclosed\n")
    error = raised(WorkspaceError, load_workspace, root)
    assert isinstance(error, WorkspaceError)
    lines = reported(error, capsys)
    assert lines[0] == "bb: error: 1 problem in the workspace"
    assert lines[1].startswith("  calendar.yaml:2:1: invalid YAML")


def test_a_post_that_does_not_parse_prints_its_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    error = raised(PostError, parse_post, "---\nbrief: [oops\n---\nHello\n", "posts/a/b.md")
    assert isinstance(error, PostError) and error.readable
    lines = reported(error, capsys)
    assert lines[0] == "bb: error: 1 problem in the workspace"
    # the line is the file's, not the front matter's: the opening --- is line 1
    assert lines[1].startswith("  posts/a/b.md:3:1: invalid YAML")


def test_a_post_that_is_not_text_prints_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "b.md").write_bytes(b"---\nbrief: a\n---\nok \xff\n")
    error = raised(PostError, load_post, tmp_path, "posts/b.md")
    assert isinstance(error, PostError) and not error.readable
    assert reported(error, capsys) == [
        "bb: error: 1 problem in the workspace",
        "  posts/b.md:4:4: is not valid UTF-8 (byte 0xff) (save the file as UTF-8 in your editor)",
    ]


def test_malformed_yaml_prints_position_and_hint(capsys: pytest.CaptureFixture[str]) -> None:
    error = raised(YamlProblems, parse_yaml, "a:\n\tb: 1\n", "x.yaml")
    assert isinstance(error, YamlProblems)
    lines = reported(error, capsys)
    assert lines[0] == "bb: error: 1 problem in the workspace"
    assert lines[1].startswith("  x.yaml:2:1: ")
    assert lines[1].endswith("(indent with spaces; YAML does not allow tab characters)")


def test_a_binary_file_prints_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "data.csv").write_bytes(b"post,date\n\0\0")
    error = raised(TextFileError, read_text, tmp_path / "data.csv", "data.csv")
    assert isinstance(error, TextFileError)
    assert error.problems == [error.problem]
    assert reported(error, capsys) == [
        "bb: error: 1 problem in the workspace",
        "  data.csv:2: looks like a binary file, not text (workspace files are UTF-8 text)",
    ]


def test_a_directive_error_prints_every_problem(capsys: pytest.CaptureFixture[str]) -> None:
    error = DirectiveError(
        [
            Problem("posts/a/b.md", "bb-disable names no rule", line=5),
            Problem("posts/a/b.md", "bb-disable names an unknown rule 'x'", line=9, hint="y?"),
        ]
    )
    assert reported(error, capsys) == [
        "bb: error: 2 problems in the workspace",
        "  posts/a/b.md:5: bb-disable names no rule",
        "  posts/a/b.md:9: bb-disable names an unknown rule 'x' (y?)",
    ]


def test_a_refused_pattern_is_a_message_and_still_a_value_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    error = raised(PatternError, compile_pattern, r"(a)\1")
    assert isinstance(error, ValueError)  # pydantic validators rely on it
    lines = reported(error, capsys)
    assert lines[0].startswith(r"bb: error: pattern '(a)\\1' is not accepted")
    assert len(lines) == 1


def test_problems_key_path_and_hint_are_printed_in_order(
    capsys: pytest.CaptureFixture[str],
) -> None:
    error = ProblemsError(
        [Problem("bloomberry.yaml", "unknown key", line=3, column=5, key_path=("lint", 0))],
        "the settings are wrong",
        hint="see `bb lint --rules`",
    )
    assert reported(error, capsys) == [
        "bb: error: the settings are wrong",
        "  bloomberry.yaml:3:5: lint → 0: unknown key",
        "  hint: see `bb lint --rules`",
    ]


def test_markup_in_a_problem_is_printed_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    error = WorkspaceError([Problem("posts/[red]x.md", "value '[/red]' is [bold]odd", hint="[/]")])
    assert reported(error, capsys) == [
        "bb: error: 1 problem in the workspace",
        "  posts/[red]x.md: value '[/red]' is [bold]odd ([/])",
    ]


def test_a_plain_error_may_carry_problems_too(capsys: pytest.CaptureFixture[str]) -> None:
    error = BBError("cannot publish", problems=[Problem("calendar.yaml", "overlap", line=4)])
    assert reported(error, capsys) == [
        "bb: error: cannot publish",
        "  calendar.yaml:4: overlap",
    ]
    assert BBError("no problems here").problems == []


@pytest.mark.parametrize(
    "kind", [WorkspaceError, PostError, YamlProblems, TextFileError, DirectiveError]
)
def test_every_kind_is_one_base(kind: type[BBError]) -> None:
    assert issubclass(kind, ProblemsError)
    assert kind.exit_code == 2


def test_the_cli_prints_a_broken_post_with_its_position(workspace: Path, bb: BB) -> None:
    post = workspace / "posts" / "x" / "alice--advocacy.md"
    post.parent.mkdir(parents=True)
    post.write_text("---\nbrief: [oops\n---\nHello\n")
    result = bb("voice", "score", str(post), cwd=workspace)
    assert result.code == 2
    lines = result.err.splitlines()
    assert lines[0] == "bb: error: 1 problem in the workspace"
    assert lines[1].startswith("  posts/x/alice--advocacy.md:3:1: invalid YAML")
    assert "bug" not in result.err


def test_the_cli_prints_a_file_that_is_not_text(workspace: Path, bb: BB) -> None:
    (workspace / "data.csv").write_bytes(b"post,date\n\0\0")
    result = bb("metrics", "import", "data.csv", cwd=workspace)
    assert result.code == 2
    assert result.err.splitlines() == [
        "bb: error: 1 problem in the workspace",
        "  data.csv:2: looks like a binary file, not text (workspace files are UTF-8 text)",
    ]
