"""`bb lint` checks exactly what a post publishes: line endings, empty and unreadable posts,
control comments; per-rule severity settings; the rule list; the text format."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bloomberry_cli.cli.lint_text import wrap_finding
from bloomberry_cli.drafting.draft import DraftOptions, draft_briefs
from bloomberry_cli.governance.findings import Finding, clip
from bloomberry_cli.governance.lint import LintReport, lint_paths
from bloomberry_cli.governance.rules import RULES
from bloomberry_cli.models.config import SEVERITY_FLOOR
from bloomberry_cli.posts import parse_post, published_text
from bloomberry_cli.workspace import load_workspace
from conftest import BB

TODAY = dt.date(2026, 11, 25)
REL = "posts/soc2-type2/alice--thought-leadership.md"
FRONT = (
    "---\nbrief: soc2-type2\nparticipant: alice\nprogram: thought-leadership\n"
    "channel: linkedin\n---\n"
)


def write(root: Path, body: str, *, newline: str = "\n", rel: str = REL) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    front = FRONT.replace("thought-leadership", "advocacy") if "advocacy" in rel else FRONT
    path.write_bytes((front + body).replace("\n", newline).encode("utf-8"))
    return path


def lint(root: Path) -> LintReport:
    return lint_paths(load_workspace(root), today=TODAY)


def found(report: LintReport) -> list[tuple[str, str, int, int, int, int]]:
    return [
        (f.rule, f.severity, f.line, f.column, f.end_line, f.end_column) for f in report.findings
    ]


def set_rules(root: Path, rules: str) -> None:
    config = root / "bloomberry.yaml"
    lines = [line for line in config.read_text().splitlines() if not line.startswith("  rules:")]
    at = lines.index("lint:") + 1
    config.write_text("\n".join([*lines[:at], f"  rules: {rules}", *lines[at:]]) + "\n")


# line endings -------------------------------------------------------------------------------

HOOK = "Access reviews taught us one thing this year."
LONG_SECOND = " ".join(["The audit asked who could reach production and why."] * 6)


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_a_crlf_post_lints_exactly_like_the_lf_one(workspace: Path, newline: str) -> None:
    clean = f"{HOOK}\n\n{LONG_SECOND}\n"
    write(workspace, clean, newline=newline)
    assert found(lint(workspace)) == []  # the paragraph break is seen: no "past the fold"
    flawed = f"{HOOK}\n\nWe offer guaranteed ROI, unhackable.\n\n{LONG_SECOND} [add a number]\n"
    write(workspace, flawed)
    expected = found(lint(workspace))
    assert {f[0] for f in expected} == {"claims.blocked", "text.placeholder"}
    write(workspace, flawed, newline=newline)
    assert found(lint(workspace)) == expected


def test_a_crlf_draft_is_not_an_edit(workspace: Path) -> None:
    options = DraftOptions(participants=("alice",), program="advocacy")
    [row] = draft_briefs(load_workspace(workspace), ["soc2-type2"], options, today=TODAY)
    assert row.status == "written"
    path = workspace / row.job.path
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))  # core.autocrlf on Windows
    post = parse_post(path.read_bytes().decode(), row.job.path)
    assert not post.edited
    [row] = draft_briefs(load_workspace(workspace), ["soc2-type2"], options, today=TODAY)
    assert row.status == "unchanged"


# what is published --------------------------------------------------------------------------


def test_published_text_drops_front_matter_and_control_comments_only(workspace: Path) -> None:
    body = (
        "\n<!-- bb-disable voice.avoid: quoting a customer -->\n\nThey called it a "
        "game-changer.\n\n<!-- bb-disable channel.hashtags -->\n\n```\ncode stays\n```\n"
        "<!-- a note stays -->\nEnd <!-- bb-disable voice.avoid --> here.\n"
    )
    post = parse_post(FRONT + body, REL)
    assert published_text(post) == (
        "They called it a game-changer.\n\n```\ncode stays\n```\n<!-- a note stays -->\nEnd  here."
    )
    crlf = parse_post((FRONT + body).replace("\n", "\r\n"), REL)
    assert published_text(crlf) == published_text(post)
    assert [c.line for c in post.publication.controls] == [8, 12, 18]


def test_channel_length_counts_published_characters(workspace: Path) -> None:
    comment = "<!-- bb-disable voice.avoid: " + "x" * 300 + " -->\n"
    write(workspace, comment + "Short and clean.\n")
    assert found(lint(workspace)) == []
    write(workspace, comment + "y" * 3001 + "\n")
    [length] = [f for f in lint(workspace).findings if f.severity == "error"]
    assert (length.rule, length.line, length.column, length.end_column) == (
        "channel.length",
        8,
        3001,
        3002,
    )


# empty and unreadable posts -----------------------------------------------------------------


@pytest.mark.parametrize("body", ["", "\n\n   \n", "<!-- bb-disable voice.avoid: x -->\n"])
def test_a_post_with_nothing_to_publish_is_an_error(workspace: Path, bb: BB, body: str) -> None:
    write(workspace, body)
    report = lint(workspace)
    assert [(f.rule, f.severity) for f in report.findings] == [("text.empty", "error")]
    assert 1 <= report.findings[0].line <= 7
    result = bb("lint", cwd=workspace)
    assert result.code == 1 and "text.empty" in result.out and "1 error," in result.out


def test_an_unreadable_post_is_a_finding_in_every_format(workspace: Path, bb: BB) -> None:
    path = write(workspace, "Fine so far.\n")
    path.write_bytes(path.read_bytes() + "café\n".encode("latin-1"))
    text = bb("lint", cwd=workspace)
    assert text.code == 1
    assert "post.unreadable" in text.out and "not valid UTF-8" in text.out
    assert "1 error," in text.out and "✓" not in text.out
    document = json.loads(bb("lint", "--format", "json", cwd=workspace).out)
    assert document["summary"] == {"error": 1, "warning": 0, "info": 0}
    [finding] = document["findings"]
    assert (finding["path"], finding["rule"], finding["line"], finding["severity"]) == (
        REL,
        "post.unreadable",
        1,
        "error",
    )
    assert "line 8" in finding["message"]
    sarif = json.loads(bb("lint", "--format", "sarif", cwd=workspace).out)
    run = sarif["runs"][0]
    [result] = run["results"]
    assert result["ruleId"] == "post.unreadable" and result["level"] == "error"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == REL
    assert location["region"]["startLine"] == 1
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "post.unreadable"
    github = bb("lint", "--format", "github", cwd=workspace)
    assert github.code == 1
    assert github.out.startswith(
        f"::error file={REL},line=1,col=1,endLine=1,endColumn=2,title=bb post.unreadable::"
    )


def test_a_too_large_post_is_unreadable(workspace: Path) -> None:
    path = write(workspace, "x")
    path.write_bytes(path.read_bytes() + b"y" * (2 * 1024 * 1024 + 1))
    [finding] = lint(workspace).findings
    assert finding.rule == "post.unreadable" and "MB" in finding.message


# severity settings --------------------------------------------------------------------------


def test_rule_severity_can_be_set_per_rule(workspace: Path, bb: BB) -> None:
    body = "A game-changer " + "word " * 60 + "\n\n```\nexample\n```\n"
    write(workspace, body)
    before = {f.rule: f.severity for f in lint(workspace).findings}
    assert before == {"voice.avoid": "warning", "text.markup": "warning", "channel.length": "info"}
    set_rules(workspace, "{voice.avoid: error, text.markup: off, channel.length: warning}")
    after = {f.rule: f.severity for f in lint(workspace).findings}
    # channel.length's fold finding is info by nature: a warning setting does not raise it.
    assert after == {"voice.avoid": "error", "channel.length": "info"}
    assert bb("lint", cwd=workspace).code == 1
    sarif = json.loads(bb("lint", "--format", "sarif", cwd=workspace).out)
    levels = {
        rule["id"]: rule["defaultConfiguration"]
        for rule in sarif["runs"][0]["tool"]["driver"]["rules"]
    }
    assert levels["voice.avoid"] == {"level": "error"}
    assert levels["text.markup"] == {"level": "none", "enabled": False}
    assert levels["channel.length"] == {"level": "warning"}
    set_rules(workspace, "{channel.length: info}")
    assert {f.severity for f in lint(workspace).findings if f.rule == "channel.length"} == {"info"}


def test_an_info_rule_can_be_suppressed_and_an_error_one_cannot(workspace: Path) -> None:
    write(workspace, "<!-- bb-disable voice.avoid: quoting -->\nA game-changer.\n")
    set_rules(workspace, "{voice.avoid: error}")
    assert [f.rule for f in lint(workspace).findings] == ["voice.avoid", "voice.avoid"]


def test_resharing_follows_its_setting(workspace: Path) -> None:
    shared = "Our SOC 2 Type II report is ready and every customer can request it today. "
    for who in ("alice", "marcus"):
        write(
            workspace,
            shared * 3 + "\n(I work at Acme Security.)\n",
            rel=f"posts/soc2-type2/{who}--advocacy.md",
        )
    assert {f.severity for f in lint(workspace).findings if f.rule == "duplicate.resharing"} == {
        "warning"
    }
    set_rules(workspace, "{duplicate.resharing: info}")
    assert {f.severity for f in lint(workspace).findings if f.rule == "duplicate.resharing"} == {
        "info"
    }
    set_rules(workspace, "{duplicate.resharing: off}")
    assert "duplicate.resharing" not in {f.rule for f in lint(workspace).findings}


@pytest.mark.parametrize("rule", sorted(SEVERITY_FLOOR))
def test_floor_rules_cannot_go_below_error(workspace: Path, bb: BB, rule: str) -> None:
    set_rules(workspace, f"{{{rule}: warning}}")
    result = bb("validate", cwd=workspace)
    assert result.code == 2
    line = next(
        n
        for n, text in enumerate((workspace / "bloomberry.yaml").read_text().splitlines(), 1)
        if "rules:" in text
    )
    assert f"bloomberry.yaml:{line}:" in result.err
    assert f"{rule} cannot be set to warning" in result.err and "never be published" in result.err
    assert bb("lint", cwd=workspace).code == 2


def test_floor_rule_set_to_error_is_accepted(workspace: Path, bb: BB) -> None:
    set_rules(workspace, "{claims.blocked: error, voice.fidelity: error}")
    assert bb("validate", cwd=workspace).code == 0


def test_unknown_rule_or_level_in_settings(workspace: Path, bb: BB) -> None:
    set_rules(workspace, "{voice.avoidd: error}")
    result = bb("validate", cwd=workspace)
    assert result.code == 2
    assert (
        "no lint rule 'voice.avoidd'" in result.err and "did you mean 'voice.avoid'" in result.err
    )
    assert bb("lint", cwd=workspace).code == 2
    set_rules(workspace, "{voice.avoid: loud}")
    result = bb("validate", cwd=workspace)
    assert result.code == 2 and "'loud' is not allowed here" in result.err


# --list-rules -------------------------------------------------------------------------------


def test_list_rules_shows_every_rule_with_its_effective_severity(workspace: Path, bb: BB) -> None:
    set_rules(workspace, "{voice.fidelity: error, calendar.conflict: 'off'}")
    result = bb("lint", "--list-rules", cwd=workspace)
    assert result.code == 0
    lines = {line.split()[0]: line for line in result.out.splitlines()}
    assert set(lines) == set(RULES)
    assert (
        lines["voice.fidelity"].split()[1] == "error"
        and "default warning" in lines["voice.fidelity"]
    )
    assert lines["calendar.conflict"].split()[1] == "off"
    assert "never below error" in lines["claims.blocked"]
    assert RULES["text.markup"].summary in lines["text.markup"]
    assert bb("lint", "--rules", cwd=workspace).out == result.out
    document = json.loads(bb("lint", "--rules", "--format", "json", cwd=workspace).out)
    assert {r["id"]: r["severity"] for r in document["rules"]}["calendar.conflict"] == "off"


def test_list_rules_outside_a_workspace(tmp_path: Path, bb: BB) -> None:
    result = bb("lint", "--list-rules", cwd=tmp_path)
    assert result.code == 0 and "default severities" in result.err
    assert "claims.blocked" in result.out


def test_sarif_rules_carry_every_description(workspace: Path, bb: BB) -> None:
    sarif = json.loads(bb("lint", "--format", "sarif", cwd=workspace).out)
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(RULES)
    assert all(r["shortDescription"]["text"] == RULES[r["id"]].summary for r in rules)


# the text format ----------------------------------------------------------------------------


def test_messages_are_not_cut_mid_word(workspace: Path) -> None:
    assert clip("one two three four", 11) == "one two…"
    assert clip("short", 60) == "short"
    write(
        workspace, "[add the thing the audit surfaced that you did not expect, in your own words]\n"
    )
    [finding] = lint(workspace).findings
    quoted = finding.message.split("'")[1]
    assert quoted.endswith("…")
    kept = quoted[:-1]
    assert finding.match.startswith(kept) and finding.match[len(kept)] in " ,"


def test_text_wraps_between_words_and_keeps_rule_ids_whole() -> None:
    finding = Finding(
        REL,
        12,
        7,
        12,
        20,
        "claims.unsubstantiated",
        "warning",
        "'the fastest platform on the market' is a superlative that no approved claim covers",
    )
    for width in range(40, 120, 7):
        lines = wrap_finding(finding, width)
        assert all(len(line) <= width for line in lines[:-1])
        assert lines[-1].endswith("claims.unsubstantiated")
        assert " ".join(" ".join(lines).split()).endswith(
            "no approved claim covers claims.unsubstantiated"
        )
    assert wrap_finding(finding, None) == [
        "  12:7  warning " + finding.message + "  claims.unsubstantiated"
    ]


def test_text_output_starts_without_a_blank_line(workspace: Path, bb: BB) -> None:
    write(workspace, "We offer guaranteed ROI.\n")
    result = bb("lint", cwd=workspace)
    assert result.out.startswith(REL + "\n")
    assert bb("lint", "posts/does-not-exist", cwd=workspace).code == 2
    clean = bb("lint", "--changed-since", "HEAD", cwd=workspace)
    assert not clean.out.startswith("\n")
