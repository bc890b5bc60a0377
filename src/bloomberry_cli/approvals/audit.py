"""`bb audit`: the verified trail's violations, and what the approvals let through.

Everything is decided by ``read_trail``; the audit adds what only it reports: unpinned trust
in a non-interactive run, and content that was approved with lint errors (DESIGN.md, Trail
model 8).
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field

from bloomberry_cli.approvals.effective import UNKNOWN_SIGNER
from bloomberry_cli.approvals.history import HistoryRefused
from bloomberry_cli.approvals.projection import canonical
from bloomberry_cli.approvals.status import open_trail
from bloomberry_cli.approvals.trail import Trail, Violation
from bloomberry_cli.errors import BBError
from bloomberry_cli.models import Claims
from bloomberry_cli.posts import PostError, parse_post
from bloomberry_cli.workspace import Workspace

#: What approving content should never have let through: a claim the policy blocks.
_CLAIM_RULES = {"claims.blocked", "claims.obfuscated"}


@dataclass
class AuditReport:
    decisions: int = 0
    violations: list[Violation] = field(default_factory=list)
    trust: str = "none"
    trust_root: str | None = None
    tip: str | None = None
    strict: bool = False

    @property
    def root_is_clean(self) -> bool:
        """Whether the root trusted on first use is worth suggesting as a pin: never a commit
        that is itself a violation, and never one of several roots (the one on the first-parent
        line is whatever root the last merge put first: an attacker's orphan branch)."""
        return not any(
            (v.commit == self.trust_root and v.counts) or v.rule == "history.multiple-roots"
            for v in self.violations
        )

    @property
    def new_root_candidate(self) -> str | None:
        """Trusting the first commit on first use, a later consent signed by a key no policy
        in force knows is most likely the team's first real policy (`bb policy commit
        --new-root`), the commit every clone pins instead. Suggested, never assumed."""
        if self.trust != "first-use":
            return None
        return next(
            (
                v.commit
                for v in self.violations
                if v.rule == "policy.unsigned-change" and UNKNOWN_SIGNER in v.message
            ),
            None,
        )

    def new_root_hint(self) -> str:
        commit = self.new_root_candidate
        if commit is None:
            return ""
        return (
            f"; if {commit[:12]} is your team's first real policy (`bb policy commit "
            f"--new-root`; an admin has its id), pin that one instead: `git config "
            f"bb.trustRoot {commit}`"
        )

    @property
    def ok(self) -> bool:
        return not any(v.counts or (self.strict and not v.waived) for v in self.violations)


def audit(
    workspace: Workspace,
    *,
    trust_root: str | None = None,
    high_water: str | None = None,
    strict: bool = False,
    interactive: bool = False,
) -> AuditReport:
    trail = open_trail(workspace, trust_root=trust_root, high_water=high_water)
    if trail is None:
        raise BBError(
            f"{workspace.root} is not in a git repository; decisions are git commits",
            hint="run `git init` and commit the workspace first",
        )
    report = AuditReport(
        len(trail.decisions),
        list(trail.violations),
        trail.trust,
        trail.trust_root,
        trail.tip,
        strict,
    )
    if trail.trust == "first-use" and trail.tip is not None and not interactive:
        report.violations.append(
            Violation(
                trail.tip,
                "",
                "history.unpinned",
                "no trust root is pinned, so the first commit is trusted on first use; in CI pin "
                + (
                    f"it: `git config bb.trustRoot {trail.trust_root}` or BB_TRUST_ROOT"
                    if report.root_is_clean
                    else "the commit your team trusts (the first one is itself a violation, so "
                    "bb does not suggest it): `git config bb.trustRoot <full id>`"
                )
                + report.new_root_hint(),
            )
        )
    report.violations.extend(_lint_at_approval(workspace, trail))
    return report


def refused_report(exc: HistoryRefused) -> dict[str, object]:
    """What ``--format json`` says about a history bb refuses to read."""
    return {
        "version": 1,
        "ok": False,
        "decisions": 0,
        "violations": [
            {
                "commit": "",
                "path": "",
                "rule": exc.rule,
                "message": f"{exc.message} ({exc.hint})",
                "severity": "error",
                "waived": False,
            }
        ],
    }


def _lint_at_approval(workspace: Workspace, trail: Trail) -> list[Violation]:
    """Approvals of content with blocked claims, judged with the claims in force then. Results
    are facts of (post blob, claims) and are cached like the trail's other object facts."""
    from bloomberry_cli.gitrepo import read_objects
    from bloomberry_cli.governance.lint import Linter

    approvals = [
        d for d in trail.decisions if d.valid and d.record.decision == "approve" and d.blob
    ]
    table = trail.cache.table("lint-at-approval")
    linters: dict[str, Linter] = {}
    keys: dict[int, str] = {}
    wanted: dict[str, tuple[str, str, str]] = {}
    for decision in approvals:
        pid = trail.eff[decision.parent]
        if pid not in keys:
            claims = _claims(trail.projections.values[pid])
            keys[pid] = hashlib.sha256(
                canonical(claims.model_dump(mode="json")).encode()
            ).hexdigest()[:16]
            linters.setdefault(keys[pid], Linter(dataclasses.replace(workspace, claims=claims)))
        entry = f"{decision.blob}:{keys[pid]}"
        if entry not in table:
            wanted[entry] = (decision.blob, keys[pid], decision.post)
    blobs = list(dict.fromkeys(blob for blob, _, _ in wanted.values()))
    contents = dict(zip(blobs, read_objects(trail.top, blobs), strict=True))
    for entry, (blob, key, path) in wanted.items():
        errors: list[str] = []
        raw = contents.get(blob)
        try:
            post = parse_post(raw.decode("utf-8"), path) if raw is not None else None
        except (PostError, UnicodeDecodeError):
            post = None
        if post is not None:
            errors = [
                f"{f.rule} {f.line}:{f.column} {f.match or ''}".strip()
                for f in linters[key].check(post).findings
                if f.rule in _CLAIM_RULES
            ]
        trail.cache.put("lint-at-approval", entry, errors)
    trail.cache.save()
    found = []
    for decision in approvals:
        errors = table[f"{decision.blob}:{keys[trail.eff[decision.parent]]}"]
        if errors:
            found.append(
                Violation(
                    decision.sha,
                    decision.post,
                    "lint.errors-at-approval",
                    f"approved with lint errors: {', '.join(errors[:3])}",
                    severity="warning",
                )
            )
    return found


def _claims(projection: object) -> Claims:
    fields = projection if isinstance(projection, dict) else {}
    approved = [v for k, v in fields.items() if k.startswith("claims.approved:")]
    blocked = [v for k, v in fields.items() if k.startswith("claims.blocked:")]
    return Claims.model_validate({"approved": approved, "blocked": blocked})
