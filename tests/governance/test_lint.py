"""`bb lint`: every rule's hit, near miss and position; disguises; formats; CI behaviour."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bloomberry_cli.governance.lint import LintReport, lint_paths
from bloomberry_cli.workspace import load_workspace
from conftest import BB, git

TODAY = dt.date(2026, 11, 25)


def write_post(
    root: Path,
    body: str,
    *,
    participant: str = "alice",
    program: str = "thought-leadership",
    brief: str = "soc2-type2",
    channel: str = "linkedin",
    extra: str = "",
) -> Path:
    path = root / "posts" / brief / f"{participant}--{program}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"---\nbrief: {brief}\nparticipant: {participant}\nprogram: {program}\n"
        f"channel: {channel}\n{extra}---\n{body}"
    )
    return path


def lint(root: Path, *paths: Path, today: dt.date = TODAY) -> LintReport:
    return lint_paths(load_workspace(root), list(paths) or None, today=today)


def rules(report: LintReport) -> list[str]:
    return [f.rule for f in report.findings]


def only(report: LintReport, rule: str) -> list:
    return [f for f in report.findings if f.rule == rule]


# claims.blocked ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "We offer guaranteed ROI.",
        "We offer GUARANTEED roi.",
        "We offer guaranteed\n   ROI to all.",
        "We offer guaranteed    ROI.",
        "The guaranteed ROIs speak.",
        "Our guaranteed ROI's size.",
        "Results are guaranteed results? No: we guaranteed results.",
        "It is hack proof.",
        "It is hack-proof.",
        "It is 100% secure.",
    ],
)
def test_blocked_claim_is_found(workspace: Path, text: str) -> None:
    write_post(workspace, text)
    assert "claims.blocked" in rules(lint(workspace))


@pytest.mark.parametrize(
    "text",
    [
        "ROI is never guaranteed, and we do not promise it.",  # the words apart
        "An unguaranteed ROI estimate.",  # inside a longer word
        "The guaranteed ROIX index.",  # inside a longer word
        "This is hackable, like everything else.",
        "It is 100 percent audited.",
    ],
)
def test_blocked_claim_near_misses(workspace: Path, text: str) -> None:
    write_post(workspace, text)
    assert "claims.blocked" not in rules(lint(workspace))


def test_blocked_claim_position_message_and_suggestion(workspace: Path) -> None:
    write_post(workspace, "First line.\nWe promise guaranteed ROI today.\n")
    [finding] = only(lint(workspace), "claims.blocked")
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (8, 12, 8, 26)
    assert finding.match == "guaranteed ROI"
    assert finding.severity == "error"
    assert "guaranteed-roi" in finding.message
    assert finding.suggestion == "Describe what customers measured, with an approved claim."


def test_phrase_ending_in_punctuation_matches(workspace: Path) -> None:
    claims = workspace / "claims.yaml"
    claims.write_text(
        claims.read_text() + "  - {id: etc, phrases: [and so on etc.], reason: vague}\n"
    )
    write_post(workspace, "Tools, and so on etc. Then more.")
    assert [f.match for f in only(lint(workspace), "claims.blocked")] == ["and so on etc."]


def test_front_matter_is_not_published_so_not_linted(workspace: Path) -> None:
    write_post(workspace, "Clean text.\n", extra="note: guaranteed ROI\n")
    assert rules(lint(workspace)) == []


@pytest.mark.parametrize("fence", ["```", "~~~"])
def test_blocked_claim_in_a_fence_is_found_and_the_fence_is_markup(
    workspace: Path, fence: str
) -> None:
    # What an LLM reply looks like when it is written as a post as is.
    write_post(
        workspace, f"Here is your post:\n\n{fence}\nWe are unhackable. Guaranteed ROI.\n{fence}\n"
    )
    report = lint(workspace)
    assert {(f.rule, f.line, f.match) for f in report.findings} == {
        ("text.markup", 9, fence),
        ("claims.blocked", 10, "unhackable"),
        ("claims.blocked", 10, "Guaranteed ROI"),
    }
    [markup] = only(report, "text.markup")
    assert markup.severity == "warning" and "LinkedIn" in markup.message


def test_blocked_claim_in_an_html_comment_is_found(workspace: Path) -> None:
    write_post(workspace, "Clean text.\n<!-- guaranteed ROI, say it quietly -->\n")
    report = lint(workspace)
    assert [(f.rule, f.line, f.column) for f in report.findings] == [
        ("text.markup", 8, 1),
        ("claims.blocked", 8, 6),
    ]


# claims.obfuscated ------------------------------------------------------------------------

DISGUISES = {
    "fullwidth": "ｇｕａｒａｎｔｅｅｄ ＲＯＩ",
    "mathematical bold": "𝐠𝐮𝐚𝐫𝐚𝐧𝐭𝐞𝐞𝐝 𝐑𝐎𝐈",
    "cyrillic": "guаrаntееd RОI",
    "greek omicron": "guaranteed RΟI",
    "zero width": "guar\u200banteed R\u200dOI",
    "soft hyphen": "guaran\u00adteed ROI",
    "combining marks": "gu\u0301aranteed RO\u0308I",
    "combined": "ｇu\u200bаrаn\u00adtееd 𝐑О\u0301I",
}


@pytest.mark.parametrize("name", DISGUISES)
def test_disguised_claim_is_caught(workspace: Path, name: str) -> None:
    text = f"Line one.\nWe offer {DISGUISES[name]} now."
    write_post(workspace, text)
    findings = only(lint(workspace), "claims.obfuscated")
    assert len(findings) == 1, name
    [finding] = findings
    assert finding.severity == "error"
    assert finding.match == DISGUISES[name]
    assert (finding.line, finding.column) == (8, 10)
    assert finding.end_column == 10 + len(DISGUISES[name])
    assert "claims.blocked" not in rules(lint(workspace))


def test_accents_and_emoji_alone_are_not_disguises(workspace: Path) -> None:
    write_post(workspace, "Café culture at the résumé review 🙌 — naïve ideas welcome.")
    assert "claims.obfuscated" not in rules(lint(workspace))


# claims.unsubstantiated and claims.expired --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("We cut review time by 40% this year.", "40%"),
        ("It runs 3x faster now.", "3x"),
        ("We are the #1 choice.", "#1"),
        ("Trusted by 500 enterprise customers.", "500 enterprise customers"),
        ("The fastest way to pass an audit.", "fastest"),
        ("An industry-leading platform.", "industry-leading"),
        ("We are the only vendor that does it.", "the only"),
        ("It is safer than the rest.", "safer than"),
    ],
)
def test_unsubstantiated_statistics_and_superlatives(
    workspace: Path, text: str, match: str
) -> None:
    write_post(workspace, text)
    [finding] = only(lint(workspace), "claims.unsubstantiated")
    assert finding.match == match
    assert finding.severity == "warning"


@pytest.mark.parametrize(
    "text",
    [
        "We are trusted by more than 400 security teams.",  # approved wording
        "Trusted by 400+ security teams.",  # approved variant
        "Best practices for access reviews.",
        "The only way through is to do the work.",
        "We had seventeen people with prod access.",
    ],
)
def test_covered_or_harmless_wording_passes(workspace: Path, text: str) -> None:
    write_post(workspace, text)
    assert "claims.unsubstantiated" not in rules(lint(workspace))


def test_expired_claim(workspace: Path) -> None:
    write_post(workspace, "We have twelve open roles.", brief="hiring-q1", participant="priya")
    assert "claims.expired" not in rules(lint(workspace, today=dt.date(2027, 3, 31)))
    [finding] = only(lint(workspace, today=dt.date(2027, 4, 1)), "claims.expired")
    assert finding.match == "twelve open roles"
    assert "expired on 2027-03-31" in finding.message


def test_claim_expiring_before_the_scheduled_date(workspace: Path) -> None:
    write_post(
        workspace,
        "We have 12 open roles.",
        brief="hiring-q1",
        participant="priya",
        extra="scheduled: 2027-04-02\n",
    )
    assert "claims.expired" in rules(lint(workspace))


# disclosure.missing --------------------------------------------------------------------------


def test_advocacy_post_naming_the_employer_must_disclose(workspace: Path) -> None:
    write_post(workspace, "Big news from Acme Security today.", program="advocacy")
    [finding] = only(lint(workspace), "disclosure.missing")
    assert (finding.line, finding.column, finding.match) == (7, 15, "Acme Security")
    assert "(I work at Acme Security.)" in finding.suggestion


@pytest.mark.parametrize(
    ("body", "program"),
    [
        ("Big news from Acme Security today. (I work at Acme Security.)", "advocacy"),
        ("Proud of my team at Acme for this. #employee", "advocacy"),
        ("Big news from a vendor we like.", "advocacy"),  # no mention
        ("What Acme Security learned from the audit.", "thought-leadership"),
        ("Acmeville is a nice town.", "advocacy"),  # inside a longer word
    ],
)
def test_disclosure_near_misses(workspace: Path, body: str, program: str) -> None:
    write_post(workspace, body, program=program)
    assert "disclosure.missing" not in rules(lint(workspace))


# text.placeholder ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Read it here: [Company link].",
        "We are hiring. [Link]",
        "TODO: finish this",
        "Hello {{ name }}",
        "[Add your own observation: what did the audit surface?]",
    ],
)
def test_placeholders(workspace: Path, text: str) -> None:
    write_post(workspace, text)
    assert "text.placeholder" in rules(lint(workspace))


def test_markdown_links_and_lowercase_todo_are_fine(workspace: Path) -> None:
    write_post(workspace, "See [our link](https://example.com). My todo list is short.")
    assert "text.placeholder" not in rules(lint(workspace))


# channel.length and channel.hashtags --------------------------------------------------------


def test_length_over_the_channel_limit(workspace: Path) -> None:
    write_post(workspace, "Short hook.\n\n" + "word " * 60, channel="x")
    [finding] = only(lint(workspace), "channel.length")
    assert finding.severity == "error"
    assert "x allows 280" in finding.message
    assert (finding.line, finding.column) == (9, 268)  # character 281 of the body


def test_hook_past_the_fold_is_info(workspace: Path) -> None:
    write_post(workspace, "A" * 250 + "\n\nRest.")
    [finding] = only(lint(workspace), "channel.length")
    assert finding.severity == "info"
    assert finding.column == 211
    write_post(workspace, "A" * 200 + "\n\n" + "B" * 400)
    assert "channel.length" not in rules(lint(workspace))


def test_hashtags_over_the_person_limit(workspace: Path) -> None:
    write_post(workspace, "Audit lessons. #security #soc2 #compliance")  # Alice: at most 1
    [finding] = only(lint(workspace), "channel.hashtags")
    assert finding.match == "#soc2"
    write_post(workspace, "Audit lessons, #1 of 3. See https://x.example/#anchor #security")
    assert "channel.hashtags" not in rules(lint(workspace))


# voice.avoid, calendar.conflict, duplicate.resharing ------------------------------------------


def test_voice_avoid_list(workspace: Path) -> None:
    write_post(workspace, "This audit was a game-changer.")
    [finding] = only(lint(workspace), "voice.avoid")
    assert finding.match == "game-changer" and "Alice Chen avoids" in finding.message
    write_post(workspace, "This audit was a game of patience.")
    assert "voice.avoid" not in rules(lint(workspace))


def test_calendar_conflict_on_window_edges(workspace: Path) -> None:
    brief = workspace / "briefs" / "access.yaml"
    brief.write_text(
        "title: Access reviews\ntopics: [security]\nthought-leadership:\n"
        "  angle: a\nparticipants:\n  - id: alice\n"
    )
    for day, expected in (
        ("2026-11-30", False),
        ("2026-12-01", True),
        ("2026-12-14", True),
        ("2026-12-15", False),
    ):
        write_post(workspace, "Access reviews.", brief="access", extra=f"scheduled: {day}\n")
        found = only(lint(workspace), "calendar.conflict")
        assert bool(found) is expected, day
        if found:
            assert "soc2-launch" in found[0].message and "maria@example.com" in found[0].suggestion


def test_campaign_own_brief_is_not_a_conflict(workspace: Path) -> None:
    write_post(workspace, "What the audit taught us.", extra="scheduled: 2026-12-05\n")
    assert "calendar.conflict" not in rules(lint(workspace))


def test_near_identical_advocacy_posts(workspace: Path) -> None:
    shared = (
        "We just earned SOC 2 Type II certification, a milestone that reflects how "
        "seriously our team takes security at every layer of the product. "
    )
    write_post(workspace, shared + "Worth a look.", program="advocacy")
    write_post(workspace, shared + "Worth a look!", program="advocacy", participant="marcus")
    only_one = workspace / "posts" / "soc2-type2" / "marcus--advocacy.md"
    report = lint(workspace, only_one)
    [finding] = only(report, "duplicate.resharing")
    assert "alice's post" in finding.message
    write_post(
        workspace,
        "Quick one from the customer side: onboarding used to stall on "
        "security reviews; now we send our report on day one. " + shared[:60],
        program="advocacy",
        participant="marcus",
    )
    assert "duplicate.resharing" not in rules(lint(workspace))


# suppression -------------------------------------------------------------------------------


def test_warnings_can_be_suppressed_with_a_reason(workspace: Path) -> None:
    write_post(
        workspace,
        "<!-- bb-disable voice.avoid: quoting a customer -->\nThey called it a game-changer.",
    )
    report = lint(workspace)
    assert "voice.avoid" not in rules(report)
    [item] = report.suppressed
    assert item.finding.rule == "voice.avoid" and item.reason == "quoting a customer"


def test_errors_cannot_be_suppressed(workspace: Path) -> None:
    write_post(workspace, "<!-- bb-disable claims.blocked: legal said ok -->\nGuaranteed ROI.")
    report = lint(workspace)
    assert "claims.blocked" in rules(report)
    assert any(
        f.severity == "info" and "cannot be switched off" in f.message for f in report.findings
    )


def test_unknown_rule_in_suppression_is_a_usage_error(workspace: Path, bb: BB) -> None:
    write_post(workspace, "<!-- bb-disable voice.avoidd: x -->\nHello.")
    result = bb("lint", cwd=workspace)
    assert result.code == 2
    assert "unknown rule 'voice.avoidd'" in result.err and "voice.avoid" in result.err


# the command -------------------------------------------------------------------------------


def test_workspace_without_posts(workspace: Path, bb: BB) -> None:
    result = bb("lint", cwd=workspace)
    assert result.code == 0 and "in 0 of 0 files" in result.out
    assert bb("status", cwd=workspace).code == 0


def test_clean_workspace_exits_zero(workspace: Path, bb: BB) -> None:
    write_post(workspace, "What the audit surfaced about access in staging.")
    result = bb("lint", cwd=workspace)
    assert result.code == 0, result.out
    assert "0 errors, 0 warnings" in result.out


def test_text_output_marks_the_match(workspace: Path, bb: BB) -> None:
    write_post(workspace, "We offer guaranteed ROI.")
    result = bb("lint", cwd=workspace)
    assert result.code == 1
    assert "posts/soc2-type2/alice--thought-leadership.md" in result.out
    assert "7:10  error" in result.out
    assert "│ We offer guaranteed ROI." in result.out
    assert "│          ^^^^^^^^^^^^^^" in result.out


def test_fail_on_warning(workspace: Path, bb: BB) -> None:
    write_post(workspace, "A game-changer of an audit.")
    assert bb("lint", cwd=workspace).code == 0
    assert bb("lint", "--fail-on", "warning", cwd=workspace).code == 1


def test_json_output_matches_the_contract(workspace: Path, bb: BB) -> None:
    write_post(workspace, "We offer guaranteed ROI.")
    result = bb("lint", "--format", "json", cwd=workspace)
    document = json.loads(result.out)
    assert document["version"] == 1 and document["files"] == 1
    assert document["summary"] == {"error": 1, "warning": 0, "info": 0}
    assert document["findings"][0] == {
        "path": "posts/soc2-type2/alice--thought-leadership.md",
        "line": 7,
        "column": 10,
        "end_line": 7,
        "end_column": 24,
        "rule": "claims.blocked",
        "severity": "error",
        "message": document["findings"][0]["message"],
        "match": "guaranteed ROI",
        "suggestion": "Describe what customers measured, with an approved claim.",
    }


def test_sarif_output(workspace: Path, bb: BB) -> None:
    write_post(workspace, "We offer ｇｕａｒａｎｔｅｅｄ ROI.")
    document = json.loads(bb("lint", "--format", "sarif", cwd=workspace).out)
    assert document["version"] == "2.1.0"
    run = document["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    [result] = run["results"]
    assert rule_ids[result["ruleIndex"]] == result["ruleId"] == "claims.obfuscated"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "posts/soc2-type2/alice--thought-leadership.md"
    assert location["region"] == {"startLine": 7, "startColumn": 10, "endLine": 7, "endColumn": 24}


def test_github_annotations_are_escaped(workspace: Path, bb: BB) -> None:
    claims = workspace / "claims.yaml"
    claims.write_text(
        claims.read_text() + "  - {id: odd, phrases: ['50%, guaranteed'], "
        'reason: "a: b, c", suggestion: say 50 percent}\n'
    )
    write_post(workspace, "It is 50%, guaranteed.")
    out = bb("lint", "--format", "github", cwd=workspace).out
    line = next(line for line in out.splitlines() if "claims.blocked" in line)
    assert line.startswith(
        "::error file=posts/soc2-type2/alice--thought-leadership.md,"
        "line=7,col=7,endLine=7,endColumn=22,title=bb claims.blocked::"
    )
    message = line.split("::", 2)[2]
    assert "50%25, guaranteed" in message and "%0A" in message and "\n" not in message


def test_changed_since_lints_only_changed_posts(workspace: Path, bb: BB) -> None:
    write_post(workspace, "Guaranteed ROI, committed long ago.")
    git(workspace, "add", "-A")
    git(workspace, "commit", "-qm", "old post")
    write_post(workspace, "A new post with guaranteed ROI.", participant="marcus")
    document = json.loads(
        bb("lint", "--format", "json", "--changed-since", "HEAD", cwd=workspace).out
    )
    assert document["files"] == 1
    assert {f["path"] for f in document["findings"]} == {
        "posts/soc2-type2/marcus--thought-leadership.md"
    }
    git(workspace, "add", "-A")
    git(workspace, "commit", "-qm", "new post")
    result = bb("lint", "--format", "json", "--changed-since", "HEAD", cwd=workspace)
    assert json.loads(result.out)["files"] == 0  # nothing changed: nothing linted, not all
    result = bb("lint", "--changed-since", "no-such-ref", cwd=workspace)
    assert result.code == 2 and "not a commit" in result.err


def test_bad_front_matter_is_an_unreadable_post(workspace: Path, bb: BB) -> None:
    path = write_post(workspace, "Fine.")
    path.write_text(path.read_text().replace("program: thought-leadership", "program: tl"))
    write_post(workspace, "Also fine.", participant="nobody")
    (workspace / "posts" / "soc2-type2" / "no-front.md").write_text("Just text.\n")
    result = bb("lint", cwd=workspace)
    assert result.code == 1
    assert "3 errors" in result.out and "✓" not in result.out
    document = json.loads(bb("lint", "--format", "json", cwd=workspace).out)
    found = {(f["path"].rsplit("/", 1)[1], f["line"], f["rule"]) for f in document["findings"]}
    assert found == {
        ("alice--thought-leadership.md", 4, "post.unreadable"),
        ("nobody--thought-leadership.md", 3, "post.unreadable"),
        ("no-front.md", 1, "post.unreadable"),
    }
    messages = " | ".join(f["message"] for f in document["findings"])
    assert "program: 'tl' is not allowed" in messages
    assert "unknown participant 'nobody'" in messages and "no front matter" in messages


def test_missing_path_is_a_usage_error(workspace: Path, bb: BB) -> None:
    result = bb("lint", "posts/nope.md", cwd=workspace)
    assert result.code == 2 and "no such file" in result.err


def test_lint_of_one_file_loads_no_heavy_modules(workspace: Path) -> None:
    import subprocess
    import sys

    post = write_post(workspace, "Hello.")
    code = (
        f"import sys; from bloomberry_cli.cli.main import main; main(['lint', {str(post)!r}]);"
        "print('HEAVY', [m for m in ('litellm', 'git', 'openai') if m in sys.modules])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=workspace
    )
    assert "HEAVY []" in result.stdout
