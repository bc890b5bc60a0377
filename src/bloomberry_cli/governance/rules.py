"""The rule registry: every lint rule's id, default severity, one line on what it finds, and
the check that finds it. `bb lint --list-rules`, SARIF's ``tool.driver.rules``, the severity
settings in ``bloomberry.yaml`` and the linter all read this one table.

To add a rule: write its check (``PostContext -> Iterable[Finding]``) in a rules module and add
one ``Rule`` row below. A rule found across posts, or by the linter itself, has no check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bloomberry_cli.errors import Problem
from bloomberry_cli.governance import (
    claims_rules,
    disguises,
    paraphrase,
    program_rules,
    text_rules,
)
from bloomberry_cli.governance.findings import SEVERITY_RANK, Finding, Severity
from bloomberry_cli.governance.pillar_rules import off_pillar
from bloomberry_cli.models.config import SEVERITY_FLOOR, LintLevel
from bloomberry_cli.validation import did_you_mean
from bloomberry_cli.workspace import CONFIG_FILE, Workspace

if TYPE_CHECKING:
    from bloomberry_cli.governance.context import PostContext

RuleCheck = Callable[["PostContext"], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    summary: str
    #: None: reported across posts (duplicate.resharing) or by the linter (post.unreadable).
    check: RuleCheck | None = None

    @property
    def floor(self) -> bool:
        """True when no setting may make it less than an error."""
        return self.id in SEVERITY_FLOOR


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "post.unreadable",
            "error",
            "A post bb cannot read: not UTF-8, too large, or broken front matter.",
        ),
        Rule(
            "text.empty",
            "error",
            "Nothing to publish: no text after the front matter.",
            text_rules.empty,
        ),
        Rule(
            "claims.blocked",
            "error",
            "A claim the company has blocked (claims.yaml).",
            claims_rules.blocked,
        ),
        Rule(
            "claims.obfuscated",
            "error",
            "A blocked claim in disguise: look-alike, invisible or spaced letters, digits for "
            "letters, symbols or emphasis inside words, a bidirectional override.",
            disguises.obfuscated,
        ),
        Rule(
            "claims.paraphrase",
            "warning",
            "A sentence that makes a blocked claim in other words (close to its examples).",
            paraphrase.paraphrase,
        ),
        Rule(
            "claims.unsubstantiated",
            "warning",
            "A statistic or superlative that no approved claim covers.",
            claims_rules.unsubstantiated,
        ),
        Rule(
            "claims.expired",
            "error",
            "An approved claim past its expiry date.",
            claims_rules.expired,
        ),
        Rule(
            "disclosure.missing",
            "error",
            "The post must disclose that the author works for the company.",
            text_rules.disclosure,
        ),
        Rule(
            "text.placeholder",
            "error",
            "Unfinished text: a placeholder or drafting marker.",
            text_rules.placeholder,
        ),
        Rule(
            "text.bidi",
            "warning",
            "A bidirectional control character: readers may not see what the reviewer sees.",
            disguises.bidi,
        ),
        Rule(
            "text.markup",
            "warning",
            "Markdown fences or HTML comments: LinkedIn and X show them as typed.",
            text_rules.markup,
        ),
        Rule(
            "channel.length",
            "error",
            "Longer than the channel allows (info: the hook runs past the 'see more' fold).",
            text_rules.channel_limits,
        ),
        Rule(
            "channel.hashtags",
            "warning",
            "More hashtags than the channel or person allows.",
            text_rules.hashtags,
        ),
        Rule(
            "voice.avoid", "warning", "A phrase the participant never uses.", text_rules.voice_avoid
        ),
        Rule(
            "voice.fidelity",
            "warning",
            "The draft does not sound like its participant (judged from lint.voice_min_words "
            "of their own words).",
            text_rules.voice_fidelity,
        ),
        Rule(
            "duplicate.resharing",
            "warning",
            "An advocacy post nearly identical to another participant's.",
        ),
        Rule(
            "calendar.conflict",
            "warning",
            "A thought-leadership post inside an advocacy campaign on the same topics.",
            program_rules.calendar_conflict,
        ),
        Rule(
            "program.off-pillar",
            "info",
            "A thought-leadership post whose topics meet none of its author's pillars.",
            off_pillar,
        ),
    )
}

Level = LintLevel  # a Severity, or "off"


def effective_levels(workspace: Workspace) -> dict[str, Level]:
    """Each rule's severity after ``lint.rules`` in bloomberry.yaml ("off": not run). A setting
    below a floor rule's error is ignored here; ``settings_problems`` reports it."""
    configured = workspace.config.lint.rules
    levels: dict[str, Level] = {}
    for rule in RULES.values():
        level = configured.get(rule.id, rule.severity)
        levels[rule.id] = "error" if rule.floor else level
    return levels


def settings_problems(workspace: Workspace) -> list[Problem]:
    """``lint.rules`` entries naming no rule, or lowering a rule that must stay an error."""
    document = workspace.documents.get(CONFIG_FILE)
    problems = []
    for rule_id, level in workspace.config.lint.rules.items():
        key_path = ("lint", "rules", rule_id)
        line, column = (document.position(key_path, of_key=True) if document else None) or (
            None,
            None,
        )
        if rule_id not in RULES:
            problems.append(
                Problem(
                    CONFIG_FILE,
                    f"no lint rule '{rule_id}'",
                    line,
                    column,
                    key_path,
                    did_you_mean(rule_id, RULES),
                )
            )
        elif RULES[rule_id].floor and level != "error":
            problems.append(
                Problem(
                    CONFIG_FILE,
                    f"{rule_id} cannot be set to {level}: it stays an error, because "
                    "it guards what must never be published (a blocked, disguised or expired "
                    "claim, a missing disclosure, unfinished or empty text, a post bb cannot read)",
                    line,
                    column,
                    key_path,
                    "remove the setting; to allow a wording, change claims.yaml, or fix the post",
                )
            )
    return problems


def at_most(severity: Severity, level: Severity) -> Severity:
    """The lower of two severities."""
    return severity if SEVERITY_RANK[severity] <= SEVERITY_RANK[level] else level
