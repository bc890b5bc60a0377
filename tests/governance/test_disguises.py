"""Blocked claims in disguise (claims.obfuscated), bidi controls (text.bidi) and paraphrases
(claims.paraphrase): hits, near misses, and positions that point into the original text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from test_lint import lint, only, rules, write_post

from bloomberry_cli.governance.findings import Finding
from conftest import BB

ZERO_DOWNTIME = "  - {id: zero-downtime, phrases: [zero downtime], reason: we have had outages}\n"

# text inside "We offer … now.", the disguise the message must name; the match starts at the
# first letter (emphasis markers and the hash before it are not part of the claim)
HITS = [
    ("unh4ckable", "digits used as letters"),
    ("zer0 downtime", "digits used as letters"),
    ("gu4r4nt33d R0I", "digits used as letters"),
    ("h@ck-proof", "digits used as letters"),
    ("u n h a c k a b l e", "letters spaced apart"),
    ("u.n.h.a.c.k.a.b.l.e", "letters spaced apart"),
    ("g u a r a n t e e d  R O I", "letters spaced apart"),
    ("u n h 4 c k a b l e", "digits used as letters"),
    ("un🔒hackable", "symbol inside a word"),
    ("unhack/able", "symbol inside a word"),
    ("un**hack**able", "Markdown emphasis"),
    ("**guaranteed** ROI", "Markdown emphasis"),
    ("_guaranteed_ results", "Markdown emphasis"),  # the pattern, not a phrase
    ("unhack-\nable", "word broken over a line"),
    ("ᴜɴʜᴀᴄᴋᴀʙʟᴇ", "small capitals / letter forms"),
    ("🅤🅝🅗🅐🅒🅚🅐🅑🅛🅔", "small capitals / letter forms"),
    ("#GuaranteedROI", "words run together"),
    ("ｇｕａｒａｎｔｅｅｄ ＲＯＩ", "look-alike letters"),
    ("guar\u200banteed ROI", "invisible characters"),
    ("gu\u0301aranteed ROI", "combining marks"),
]

NEAR_MISSES = [
    "We ship r1 and v2 of the API, then v3.",
    "The S O C team reviewed it.",
    "This is hackable, like everything else.",
    "Hack days and able engineers.",
    "A well-\nknown fact; we follow-\nup weekly.",
    "It is a non-stop, hack-a-thon style week.",
    "Our **guaranteed** delivery dates and *important* ROI notes.",
    "Q4 plans: 2FA for B2B teams, 1st and 2nd line support.",
    "e.g. the U.S.A. and AT&T teams use and/or lists.",
    "We ship.Unhackability is a myth.",
    "Café culture at the résumé review 🙌 — naïve ideas welcome.",
    "A, B, C and 1 2 3 steps.",
    "snake_case_names and __init__ files.",
]


def _slice(path: Path, finding: Finding) -> str:
    """The text a finding's line/column range covers in the file as written."""
    lines = path.read_text(encoding="utf-8").split("\n")
    if finding.line == finding.end_line:
        return lines[finding.line - 1][finding.column - 1 : finding.end_column - 1]
    head = lines[finding.line - 1][finding.column - 1 :]
    middle = lines[finding.line : finding.end_line - 1]
    tail = lines[finding.end_line - 1][: finding.end_column - 1]
    return "\n".join([head, *middle, tail])


@pytest.mark.parametrize(("disguised", "name"), HITS)
def test_disguised_claim_is_caught_where_it_is_written(
    workspace: Path, disguised: str, name: str
) -> None:
    claims = workspace / "claims.yaml"
    claims.write_text(claims.read_text() + ZERO_DOWNTIME)
    path = write_post(workspace, f"Line one.\nWe offer {disguised} now.\n")
    match = disguised.lstrip("*_#")
    report = lint(workspace)
    [finding] = only(report, "claims.obfuscated")
    assert "claims.blocked" not in rules(report)
    assert finding.severity == "error"
    assert name in finding.message
    assert finding.match == match
    assert _slice(path, finding) == match
    assert (finding.line, finding.column) == (8, 10 + disguised.index(match))


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_ordinary_text_is_not_a_disguise(workspace: Path, text: str) -> None:
    write_post(workspace, text + "\n")
    found = rules(lint(workspace))
    assert "claims.obfuscated" not in found
    assert "claims.blocked" not in found


def test_right_to_left_override_that_shows_the_claim(workspace: Path) -> None:
    path = write_post(workspace, "First.\nOur vault is \u202eelbakcahnu\u202c, really.\n")
    report = lint(workspace)
    [finding] = only(report, "claims.obfuscated")
    assert "bidirectional override" in finding.message
    assert finding.match == "elbakcahnu"  # what the file holds; readers see "unhackable"
    assert _slice(path, finding) == "elbakcahnu"
    assert only(report, "text.bidi") == []  # reported once, as the claim it hides


def test_bidi_controls_are_a_warning_even_when_they_hide_nothing(workspace: Path) -> None:
    path = write_post(workspace, "Say \u2067hello\u2069 and \u202ewolf\u202c to the team.\n")
    findings = only(lint(workspace), "text.bidi")
    assert [f.severity for f in findings] == ["warning"] * 4
    assert [f.match for f in findings] == ["\u2067", "\u2069", "\u202e", "\u202c"]
    assert [_slice(path, f) for f in findings] == [f.match for f in findings]
    assert "U+2067" in findings[0].message


def test_right_to_left_script_alone_is_not_a_bidi_finding(workspace: Path) -> None:
    write_post(workspace, "Our Tel Aviv team says שלום and مرحبا.\n")
    assert "text.bidi" not in rules(lint(workspace))


def test_a_disguise_next_to_a_plain_claim_is_reported_once_each(workspace: Path) -> None:
    write_post(workspace, "Unhackable, and also unh4ckable.\n")
    report = lint(workspace)
    assert [f.match for f in only(report, "claims.blocked")] == ["Unhackable"]
    assert [f.match for f in only(report, "claims.obfuscated")] == ["unh4ckable"]


# claims.paraphrase -------------------------------------------------------------------------

EXAMPLES = "    examples: [our vault cannot be hacked, there is no risk in trying it]\n"


def _with_examples(workspace: Path) -> None:
    claims = workspace / "claims.yaml"
    text = claims.read_text()
    anchor = "    phrases: [unhackable"
    claims.write_text(text.replace(anchor, EXAMPLES + anchor, 1))


@pytest.mark.parametrize(
    "sentence",
    [
        "Nobody can hack our vault.",
        "Our platform can never be breached.",
        "It is impossible to hack our systems.",
        "Trying it carries no risk at all.",
    ],
)
def test_paraphrase_of_a_claim_with_examples_is_a_warning(workspace: Path, sentence: str) -> None:
    _with_examples(workspace)
    path = write_post(workspace, f"We rotated keys.\nHonestly? {sentence} Ask us.\n")
    [finding] = only(lint(workspace), "claims.paraphrase")
    assert finding.severity == "warning"
    assert "unhackable" in finding.message
    assert finding.match == sentence
    assert _slice(path, finding) == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Our vault was hacked last year and we learned a lot.",
        "Every system can be hacked; we plan for it.",
        "There is some risk in every migration.",
        "We cannot guarantee results, and we say so.",
    ],
)
def test_paraphrase_near_misses(workspace: Path, sentence: str) -> None:
    _with_examples(workspace)
    write_post(workspace, sentence + "\n")
    assert "claims.paraphrase" not in rules(lint(workspace))


def test_claims_without_examples_are_not_paraphrased(workspace: Path) -> None:
    write_post(workspace, "Nobody can hack our vault.\n")
    assert "claims.paraphrase" not in rules(lint(workspace))


def test_a_sentence_with_the_blocked_phrase_is_an_error_not_also_a_paraphrase(
    workspace: Path,
) -> None:
    _with_examples(workspace)
    write_post(workspace, "Our vault is unhackable and cannot be hacked.\n")
    found = rules(lint(workspace))
    assert "claims.blocked" in found
    assert "claims.paraphrase" not in found


def test_an_example_that_is_one_word_is_a_validate_error(workspace: Path, bb: BB) -> None:
    claims = workspace / "claims.yaml"
    claims.write_text(
        claims.read_text().replace(
            "    phrases: [unhackable", "    examples: [impregnable]\n    phrases: [unhackable", 1
        )
    )
    result = bb("validate", cwd=workspace)
    assert result.code == 2
    assert "not a sentence" in result.out + result.err


# issue 13's registry: the new rules have severities, descriptions and settings ---------------


def _set_rules(workspace: Path, rules_setting: str) -> None:
    config = workspace / "bloomberry.yaml"
    lines = config.read_text().splitlines()
    at = lines.index("lint:") + 1
    config.write_text("\n".join([*lines[:at], f"  rules: {rules_setting}", *lines[at:]]) + "\n")


def test_new_rules_are_listed_and_follow_severity_settings(workspace: Path, bb: BB) -> None:
    listed = {
        line.split()[0]: line for line in bb("lint", "--list-rules", cwd=workspace).out.splitlines()
    }
    assert listed["claims.paraphrase"].split()[1] == "warning"
    assert listed["text.bidi"].split()[1] == "warning"
    assert "never below error" in listed["claims.obfuscated"]
    _with_examples(workspace)
    write_post(workspace, "Nobody can hack our vault. Say \u2067hi\u2069.\n")
    _set_rules(workspace, "{claims.paraphrase: error, text.bidi: 'off'}")
    report = lint(workspace)
    assert [f.severity for f in only(report, "claims.paraphrase")] == ["error"]
    assert only(report, "text.bidi") == []
    sarif = json.loads(bb("lint", "--format", "sarif", cwd=workspace).out)
    driver = {rule["id"]: rule for rule in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert driver["claims.paraphrase"]["defaultConfiguration"] == {"level": "error"}
    assert "other words" in driver["claims.paraphrase"]["shortDescription"]["text"]


def test_claims_obfuscated_cannot_be_lowered(workspace: Path, bb: BB) -> None:
    _set_rules(workspace, "{claims.obfuscated: warning}")
    result = bb("validate", cwd=workspace)
    assert result.code == 2
    assert "claims.obfuscated cannot be set to warning" in result.out + result.err


# issue 13's published text: a disguise inside a fence is published, and found -----------------


def test_a_disguise_inside_a_fence_is_found_at_its_place(workspace: Path) -> None:
    path = write_post(workspace, "Here it is:\n\n```\nOur vault is unh4ckable.\n```\n")
    [finding] = only(lint(workspace), "claims.obfuscated")
    assert (finding.line, finding.match) == (10, "unh4ckable")
    assert _slice(path, finding) == "unh4ckable"


def test_a_pattern_runs_with_re2_on_the_disguise_view(workspace: Path) -> None:
    claims = workspace / "claims.yaml"
    claims.write_text(
        claims.read_text().replace(
            'patterns: ["guarantee[sd]? (?:results|savings)"]',
            'patterns: ["guarantee[sd]? (?:results|savings)", "(a+)+zz"]',
            1,
        )
    )
    write_post(workspace, "We g u a r a n t e e d results. " + "a" * 40 + "!\n")
    report = lint(workspace)  # RE2: no catastrophic backtracking on "(a+)+zz"
    assert [f.match for f in only(report, "claims.obfuscated")] == ["g u a r a n t e e d results"]


# the paraphrase index's filters are exact: the same answer as scoring every reference ---------


def test_paraphrase_filters_lose_nothing() -> None:
    from bloomberry_cli.governance import paraphrase
    from bloomberry_cli.models import BlockedClaim

    data = yaml.safe_load(
        (Path(__file__).resolve().parents[2] / "bench" / "data" / "paraphrases.yaml").read_text(
            encoding="utf-8"
        )
    )
    index = paraphrase.ParaphraseIndex(BlockedClaim(**claim) for claim in data["claims"])
    sentences = [case["text"] for case in data["cases"]]
    # one-word sentences are skipped by design (a lone word is never enough)
    sentences += [r.text for r in index.references if len(r.text.split()) > 1]
    for sentence in sentences:
        features = index.featurizer.features(sentence)
        scored = [(paraphrase.score(features, r), r) for r in index.references]
        best = None
        for value, reference in scored:
            if value >= paraphrase.THRESHOLD and (
                best is None or paraphrase._closer(value, reference, *best)
            ):
                best = (value, reference)
        found = list(index.find(sentence))
        if best is None:
            assert found == [], sentence
        else:
            assert [(f.reference, f.score) for f in found] == [(best[1].text, best[0])], sentence


def test_an_ordinary_post_with_links_and_hashtags_needs_no_disguise_view(
    workspace: Path,
) -> None:
    """Links, hashtags and "SOC2" are in most posts: the full view (the costly part of lint)
    runs only where a disguise could be, yet one in a hashtag or a word is still caught."""
    from bloomberry_cli.governance.disguises import may_be_disguised

    ordinary = (
        "We just earned SOC 2 Type II. Details: https://acme.example.com/blog/soc2-type2?utm=abc"
        "&ref=li#top and www.example.org/x.\n\n#SOC2 #security #B2B"
    )
    assert not may_be_disguised(ordinary)
    for suspect in ("un#hackable", "h4ck-proof", "https://x.example/g.u.a.r.a.n.t.e.e.d"):
        assert may_be_disguised(f"{ordinary} {suspect}")
    write_post(workspace, f"{ordinary}\n\nWe are #GuaranteedROI and un#hackable.\n")
    found = {f.match for f in only(lint(workspace), "claims.obfuscated")}
    assert found == {"GuaranteedROI", "un#hackable"}
