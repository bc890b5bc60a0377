"""Machine-readable lint output: JSON (DESIGN.md), SARIF 2.1.0 and GitHub workflow commands."""

from __future__ import annotations

import json
from typing import Any

from bloomberry_cli import __version__
from bloomberry_cli.governance.findings import Finding
from bloomberry_cli.governance.lint import LintReport
from bloomberry_cli.governance.rules import RULES

JSON_VERSION = 1
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note", "off": "none"}


def to_json(report: LintReport) -> str:
    document: dict[str, Any] = {
        "version": JSON_VERSION,
        "files": report.files,
        "findings": [finding.as_dict() for finding in report.findings],
        "summary": report.summary,
        "suppressed": [{**s.finding.as_dict(), "reason": s.reason} for s in report.suppressed],
    }
    # No indent: json's C encoder is only used without one, and CI reports can be large.
    return json.dumps(document, ensure_ascii=False)


def to_sarif(report: LintReport) -> str:
    rule_ids = list(RULES)
    rules = []
    for rule in RULES.values():
        level = report.levels.get(rule.id, rule.severity)
        configuration: dict[str, Any] = {"level": _SARIF_LEVEL[level]}
        if level == "off":
            configuration["enabled"] = False
        rules.append(
            {
                "id": rule.id,
                "name": rule.id.replace(".", "-"),
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": rule.summary},
                "defaultConfiguration": configuration,
                "helpUri": "https://github.com/bloomberry/bb#rules",
            }
        )
    results = []
    for finding in report.findings:
        message = finding.message + (
            f" Suggestion: {finding.suggestion}" if finding.suggestion else ""
        )
        results.append(
            {
                "ruleId": finding.rule,
                "ruleIndex": rule_ids.index(finding.rule),
                "level": _SARIF_LEVEL[finding.severity],
                "message": {"text": message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": finding.path, "uriBaseId": "%SRCROOT%"},
                            "region": {
                                "startLine": finding.line,
                                "startColumn": finding.column,
                                "endLine": finding.end_line,
                                "endColumn": finding.end_column,
                            },
                        }
                    }
                ],
                "partialFingerprints": {"bbFinding/v1": _fingerprint(finding)},
            }
        )
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "bb",
                        "version": __version__,
                        "informationUri": "https://github.com/bloomberry/bb",
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "originalUriBaseIds": {"%SRCROOT%": {"uri": "./"}},
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def _fingerprint(finding: Finding) -> str:
    """Stable across runs and line moves: path, rule and the matched text."""
    import hashlib

    key = f"{finding.path}|{finding.rule}|{finding.match or finding.message}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


_GITHUB_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def to_github(report: LintReport) -> str:
    """One workflow command per finding, escaped as the Actions toolkit does."""
    lines = []
    for finding in report.findings:
        properties = ",".join(
            f"{key}={_escape_property(str(value))}"
            for key, value in (
                ("file", finding.path),
                ("line", finding.line),
                ("col", finding.column),
                ("endLine", finding.end_line),
                ("endColumn", finding.end_column),
                ("title", f"bb {finding.rule}"),
            )
        )
        message = finding.message + (f"\n{finding.suggestion}" if finding.suggestion else "")
        lines.append(f"::{_GITHUB_COMMAND[finding.severity]} {properties}::{_escape_data(message)}")
    return "\n".join(lines)
