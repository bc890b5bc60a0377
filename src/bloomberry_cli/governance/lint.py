"""The linter: compile the workspace's rules once, then check posts quickly.

``lint_post`` and ``lint_paths`` are the API that `bb lint`, `bb draft` and `bb review` share.
"""

from __future__ import annotations

import datetime as dt
import gc
import pickle
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from operator import attrgetter
from pathlib import Path
from typing import cast

from bloomberry_cli.errors import Problem, WorkspaceError
from bloomberry_cli.forking import map_chunks
from bloomberry_cli.governance import disguises, paraphrase, text_rules
from bloomberry_cli.governance.context import PostContext
from bloomberry_cli.governance.findings import SEVERITY_RANK, Finding, Suppressed, severity_counts
from bloomberry_cli.governance.matcher import PatternMatcher, PhraseMatcher
from bloomberry_cli.governance.normalize import fold_phrase
from bloomberry_cli.governance.prose import prepare
from bloomberry_cli.governance.resharing import Reshare, brief_findings, by_brief, reshare_record
from bloomberry_cli.governance.rules import RULES, RuleCheck, effective_levels, settings_problems
from bloomberry_cli.governance.spellings import PLAIN, Spelled, spelled_phrases
from bloomberry_cli.models import ApprovedClaim, BlockedClaim, Voice
from bloomberry_cli.models.config import LintLevel
from bloomberry_cli.posts import Post, PostError, find_posts, load_post
from bloomberry_cli.validation import did_you_mean
from bloomberry_cli.workspace import Workspace


@dataclass
class LintReport:
    files: int = 0
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Suppressed] = field(default_factory=list)
    #: Usage errors inside posts, such as a bb-disable naming no rule (exit 2). A post that
    #: cannot be read is a finding (post.unreadable), not a problem.
    problems: list[Problem] = field(default_factory=list)
    #: Each rule's effective severity ("off": not run), for SARIF's rule descriptions.
    levels: dict[str, LintLevel] = field(default_factory=dict)

    @property
    def summary(self) -> dict[str, int]:
        return severity_counts(self.findings)

    def failed(self, fail_on: str = "error") -> bool:
        threshold = SEVERITY_RANK[fail_on]
        return any(SEVERITY_RANK[f.severity] >= threshold for f in self.findings)


class DirectiveError(PostError):
    """A ``bb-disable`` comment naming no rule: a usage error in the post (exit 2)."""


@dataclass
class PostResult:
    findings: list[Finding]
    suppressed: list[Suppressed]
    #: The linted text (the published text at body offsets), reused by cross-post rules.
    prose: str


class Linter:
    """The workspace's claims, voices and policy, compiled for matching many posts."""

    def __init__(self, workspace: Workspace, today: dt.date | None = None) -> None:
        problems = settings_problems(workspace)
        if problems:
            raise WorkspaceError(problems)
        self.workspace = workspace
        self.today = today or dt.date.today()
        #: Each rule's severity under ``lint.rules``, or "off".
        self.levels = effective_levels(workspace)
        self.checks: tuple[RuleCheck, ...] = tuple(
            rule.check
            for rule in RULES.values()
            if rule.check is not None and self.levels[rule.id] != "off"
        )
        claims = workspace.claims
        #: Each blocked phrase and its other plain spellings (governance.spellings), with the
        #: disguise each is: one automaton pass finds them all.
        self.blocked_phrases: PhraseMatcher[Spelled] = PhraseMatcher(
            spelled_phrases(claims.blocked),
            fold=lambda key: key,
            # A phrase split apart or run together is matched as written, not also in the
            # plural: thousands of such keys, four times over, tripled the build (50 ms).
            inflect=lambda spelled: spelled[1] is PLAIN,
        )
        self.blocked_patterns: PatternMatcher[BlockedClaim] = PatternMatcher(
            (pattern, claim) for claim in claims.blocked for pattern in claim.patterns
        )
        self.approved_wordings: PhraseMatcher[ApprovedClaim] = PhraseMatcher(
            (wording, claim) for claim in claims.approved for wording in claim.wordings
        )
        self.expiring_wordings: PhraseMatcher[ApprovedClaim] = PhraseMatcher(
            (wording, claim)
            for claim in claims.approved
            if claim.expires is not None
            for wording in claim.wordings
        )
        company = workspace.config.company
        self.company_names: PhraseMatcher[str] = PhraseMatcher(
            (name, name) for name in [company.name, *company.aliases]
        )
        disclosure = workspace.config.disclosure
        self.disclosure_markers = [fold_phrase(m) for m in disclosure.markers] + [
            fold_phrase(disclosure.text.format(company=company.name))
        ]
        self.resharing = self.levels["duplicate.resharing"] != "off"
        self._disguised: PhraseMatcher[disguises.DisguisePayload] | None = None
        self._paraphrases: paraphrase.ParaphraseIndex | None = None
        self._avoid: dict[str, PhraseMatcher[str]] = {}

    @property
    def blocked_disguised(self) -> PhraseMatcher[disguises.DisguisePayload]:
        if self._disguised is None:  # only posts that look disguised need it
            self._disguised = disguises.disguise_matcher(self.workspace.claims.blocked)
        return self._disguised

    @property
    def paraphrases(self) -> paraphrase.ParaphraseIndex:
        if self._paraphrases is None:
            self._paraphrases = paraphrase.ParaphraseIndex(self.workspace.claims.blocked)
        return self._paraphrases

    def avoid_matcher(self, voice: Voice) -> PhraseMatcher[str]:
        key = voice.id or voice.name
        if key not in self._avoid:
            avoid = list(voice.style.avoid)
            avoid += voice.memory.removed_phrases if voice.memory else []
            self._avoid[key] = PhraseMatcher((phrase, phrase) for phrase in avoid)
        return self._avoid[key]

    def build_all(self) -> None:
        """Build what is otherwise built on first need, before forking workers: once in the
        parent and shared, not once in each worker."""
        _ = self.blocked_disguised, self.paraphrases
        for voice in self.workspace.voices.values():
            self.avoid_matcher(voice)

    def check(self, post: Post) -> PostResult:
        """Every per-post rule on one post. Raises ``PostError`` for unknown ids."""
        meta = post.meta
        voice = self.workspace.voices.get(meta.participant)
        problems = []
        if voice is None:
            problems.append(
                _front_matter_problem(
                    post,
                    "participant",
                    f"unknown participant '{meta.participant}'",
                    did_you_mean(meta.participant, self.workspace.voices),
                )
            )
        if self.workspace.config.channel(meta.channel) is None:
            problems.append(
                _front_matter_problem(
                    post,
                    "channel",
                    f"unknown channel '{meta.channel}'",
                    did_you_mean(meta.channel, self.workspace.config.channel_names()),
                )
            )
        if problems or voice is None:
            raise PostError(problems)
        brief = self.workspace.briefs.get(meta.brief)
        ctx = PostContext(post, prepare(post), voice, brief, self, self.today)
        unknown = [(d, rule) for d in ctx.prose.directives for rule in d.rules if rule not in RULES]
        unnamed = [d for d in ctx.prose.directives if not d.rules]
        if unknown or unnamed:
            raise DirectiveError(
                [
                    *(
                        Problem(
                            post.path,
                            f"bb-disable names an unknown rule '{rule}'",
                            line=d.line,
                            hint=did_you_mean(rule, RULES),
                        )
                        for d, rule in unknown
                    ),
                    *(
                        Problem(
                            post.path,
                            "bb-disable names no rule it can read",
                            line=d.line,
                            hint="write <!-- bb-disable RULE.ID: reason -->",
                        )
                        for d in unnamed
                    ),
                ]
            )
        checks = self.checks if ctx.publication.text else (text_rules.empty,)
        findings = [finding for check in checks for finding in check(ctx)]
        kept, suppressed = _apply_directives(ctx, findings)
        return PostResult(kept, suppressed, ctx.prose.text)


def _front_matter_problem(post: Post, key: str, message: str, hint: str | None) -> Problem:
    return Problem(post.path, message, line=post.key_line(key), key_path=(key,), hint=hint)


def _apply_directives(
    ctx: PostContext, findings: list[Finding]
) -> tuple[list[Finding], list[Suppressed]]:
    """Honour ``<!-- bb-disable RULE: reason -->`` for warnings and info; errors stay."""
    directives = ctx.prose.directives
    if not directives:
        return findings, []
    kept, suppressed = [], []
    for finding in findings:
        directive = next((d for d in directives if finding.rule in d.rules), None)
        if directive is not None and finding.severity != "error":
            suppressed.append(Suppressed(finding, directive.reason or "no reason given"))
        else:
            kept.append(finding)
    for directive in directives:
        for rule in directive.rules:
            if ctx.linter.levels[rule] == "error":
                kept.append(
                    Finding(
                        ctx.post.path,
                        directive.line,
                        1,
                        directive.line,
                        2,
                        rule,
                        "info",
                        f"bb-disable {rule} is ignored: errors cannot be "
                        "switched off from inside a post",
                    )
                )
    return kept, suppressed


def unreadable(error: PostError) -> list[Finding]:
    """``post.unreadable`` findings for a post that could not be read or parsed. A file that is
    not text is reported on line 1; broken front matter on the line that breaks it."""
    findings = []
    for problem in error.problems:
        where = ""
        if not error.readable and problem.line is not None:
            where = f" (line {problem.line}" + (
                f", column {problem.column})" if problem.column is not None else ")"
            )
        key = f"{problem.breadcrumb}: " if problem.key_path else ""
        what = "cannot read the post" if not error.readable else "broken front matter"
        detail = problem.message
        if detail.startswith(("is ", "looks ")):  # "is not valid UTF-8": say what is
            detail = f"it {detail}"
        message = f"{what}: {key}{detail}{where}"
        line = (problem.line if error.readable else None) or 1
        findings.append(
            Finding(
                problem.path,
                line,
                1,
                line,
                2,
                "post.unreadable",
                "error",
                message,
                suggestion=problem.hint,
            )
        )
    return findings


def lint_post(
    workspace: Workspace, post: Post, *, today: dt.date | None = None, linter: Linter | None = None
) -> list[Finding]:
    """Findings for one post (without cross-post rules)."""
    return (linter or Linter(workspace, today)).check(post).findings


@dataclass
class _Chunk:
    """What linting some of the posts found: a worker process sends this back."""

    files: int = 0
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Suppressed] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: The advocacy posts' resharing records by brief; a worker sends each brief's pickled
    #: (``packed``), unpacked only for a brief that other chunks hold posts of too.
    shares: dict[str, list[Reshare]] = field(default_factory=dict)
    packed: dict[str, bytes] = field(default_factory=dict)
    #: duplicate.resharing findings of each brief, judged from this chunk's posts alone.
    reshared: dict[str, list[Finding]] = field(default_factory=dict)

    def briefs(self) -> set[str]:
        return {*self.shares, *self.packed}

    def shares_of(self, brief: str) -> list[Reshare]:
        if brief in self.packed:
            return cast(list[Reshare], pickle.loads(self.packed[brief]))
        return self.shares.get(brief, [])


def _lint_chunk(linter: Linter, rels: list[str], complete: bool) -> _Chunk:
    chunk = _Chunk()
    root = linter.workspace.root
    shares: list[Reshare] = []
    for rel in rels:
        chunk.files += 1
        try:
            post = load_post(root, rel)
            result = linter.check(post)
        except DirectiveError as exc:
            chunk.problems.extend(exc.problems)
            continue
        except PostError as exc:
            chunk.findings.extend(unreadable(exc))
            continue
        chunk.findings.extend(result.findings)
        chunk.suppressed.extend(result.suppressed)
        share = reshare_record(post, result.prose) if linter.resharing else None
        if share is not None:
            shares.append(share)
    # Judged here, in parallel, for every brief: the parent judges again only the few briefs
    # whose posts more than one chunk holds.
    chunk.shares = by_brief(shares)
    chunk.reshared = {
        brief: brief_findings(linter.workspace, brief, members, complete=complete)
        for brief, members in chunk.shares.items()
    }
    return chunk


# Posts per run above which linting uses every core. Below it, starting workers costs more
# than it saves.
PARALLEL_MIN_POSTS = 2000


def _lint_all(linter: Linter, rels: list[str], complete: bool) -> list[_Chunk]:
    def lint_chunk(chunk_rels: list[str], in_worker: bool) -> _Chunk:
        chunk = _lint_chunk(linter, chunk_rels, complete)
        if in_worker:
            chunk.packed = {
                brief: pickle.dumps(members, pickle.HIGHEST_PROTOCOL)
                for brief, members in chunk.shares.items()
            }
            chunk.shares = {}
        return chunk

    return map_chunks(lint_chunk, rels, min_items=PARALLEL_MIN_POSTS, before_fork=linter.build_all)


def _reshared(workspace: Workspace, chunks: list[_Chunk], complete: bool) -> Iterator[Finding]:
    """Each chunk's own judgement, except for a brief whose posts were split between chunks:
    that one is judged again on all of them."""
    holders: dict[str, list[_Chunk]] = {}
    for chunk in chunks:
        for brief in chunk.briefs():
            holders.setdefault(brief, []).append(chunk)
    for brief, held_by in holders.items():
        if len(held_by) == 1:
            yield from held_by[0].reshared[brief]
        else:
            members = [share for chunk in held_by for share in chunk.shares_of(brief)]
            yield from brief_findings(workspace, brief, members, complete=complete)


_FINDING_ORDER = attrgetter("path", "line", "column", "rule")


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Linting makes many short-lived objects and almost no cycles: the cyclic collector's
    passes over everything alive cost a fifth of the run and free next to nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def lint_paths(
    workspace: Workspace,
    paths: Iterable[Path] | None = None,
    *,
    today: dt.date | None = None,
    linter: Linter | None = None,
) -> LintReport:
    """Lint the posts under ``paths`` (default: all of posts/), cross-post rules included."""
    linter = linter or Linter(workspace, today)
    rels = find_posts(workspace.root, list(paths) if paths is not None else None)
    report = LintReport(levels=dict(linter.levels))
    complete = paths is None
    with _collector_paused():
        chunks = _lint_all(linter, rels, complete)
        for chunk in chunks:
            report.files += chunk.files
            report.findings.extend(chunk.findings)
            report.suppressed.extend(chunk.suppressed)
            report.problems.extend(chunk.problems)
        level = linter.levels["duplicate.resharing"]
        if level != "off":
            report.findings.extend(
                finding if finding.severity == level else replace(finding, severity=level)
                for finding in _reshared(workspace, chunks, complete)
            )
    report.findings.sort(key=_FINDING_ORDER)
    return report
