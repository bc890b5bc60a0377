"""`bb audit`: the verified trail's violations, and what the approvals let through.

Everything is decided by ``read_trail``; the audit adds what only it reports: unpinned trust
in a non-interactive run, and content that was approved with lint errors (DESIGN.md, Trail
model 8).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from bloomberry_cli.approvals.history import HistoryRefused
from bloomberry_cli.approvals.projection import canonical
from bloomberry_cli.approvals.status import open_trail
from bloomberry_cli.approvals.trail import Trail, Violation
from bloomberry_cli.errors import BBError
from bloomberry_cli.models import Claims
from bloomberry_cli.posts import PostError, parse_post
from bloomberry_cli.workspace import Workspace


@dataclass
class AuditReport:
    decisions: int = 0
    violations: list[Violation] = field(default_factory=list)
    trust: str = "none"
    trust_root: str | None = None
    tip: str | None = None
    strict: bool = False

    @property
    def ok(self) -> bool:
        return not any(v.counts or (self.strict and not v.waived) for v in self.violations)


def audit(workspace: Workspace, *, trust_root: str | None = None,
          high_water: str | None = None, strict: bool = False,
          interactive: bool = False) -> AuditReport:
    trail = open_trail(workspace, trust_root=trust_root, high_water=high_water)
    if trail is None:
        raise BBError(f"{workspace.root} is not in a git repository; decisions are git commits",
                      hint="run `git init` and commit the workspace first")
    report = AuditReport(len(trail.decisions), list(trail.violations), trail.trust,
                         trail.trust_root, trail.tip, strict)
    if trail.trust == "first-use" and trail.tip is not None and not interactive:
        report.violations.append(Violation(
            trail.tip, "", "history.unpinned",
            "no trust root is pinned, so the first commit is trusted on first use; in CI pin "
            f"it: `git config bb.trustRoot {trail.trust_root}` or BB_TRUST_ROOT"))
    report.violations.extend(_lint_at_approval(workspace, trail))
    return report


def refused_report(exc: HistoryRefused) -> dict[str, object]:
    """What ``--format json`` says about a history bb refuses to read."""
    return {"version": 1, "ok": False, "decisions": 0,
            "violations": [{"commit": "", "path": "", "rule": exc.rule,
                            "message": f"{exc.message} ({exc.hint})", "severity": "error",
                            "waived": False}]}


def _lint_at_approval(workspace: Workspace, trail: Trail) -> list[Violation]:
    """Approvals of content that had lint errors, judged with the claims in force then."""
    from bloomberry_cli.approvals.history import object_ids, read_objects
    from bloomberry_cli.governance.lint import Linter

    approvals = [d for d in trail.decisions
                 if d.valid and d.record.decision == "approve"]
    if not approvals:
        return []
    ids = object_ids(trail.top, [f"{d.sha}:{d.record.post}" for d in approvals])
    unique = list(dict.fromkeys(i for i in ids if i))
    blobs = dict(zip(unique, read_objects(trail.top, unique), strict=True))
    linters: dict[str, Linter] = {}
    verdicts: dict[tuple[str, str], list[str]] = {}
    found = []
    for decision, blob_id in zip(approvals, ids, strict=True):
        raw = blobs.get(blob_id) if blob_id else None
        if raw is None:
            continue
        claims = _claims(trail.policy_at(decision.parent).projection)
        key = canonical({"claims": claims.model_dump(mode="json")})
        if key not in linters:
            linters[key] = Linter(dataclasses.replace(workspace, claims=claims),
                                  decision.committed.date())
        if (blob_id, key) not in verdicts:
            try:
                post = parse_post(raw.decode("utf-8"), decision.post)
            except (PostError, UnicodeDecodeError):
                verdicts[(blob_id, key)] = []
                continue
            verdicts[(blob_id, key)] = [
                f"{f.rule} {f.line}:{f.column}" for f in linters[key].check(post).findings
                if f.severity == "error" and f.rule.startswith("claims.")]
        errors = verdicts[(blob_id, key)]
        if errors:
            found.append(Violation(decision.sha, decision.post, "lint.errors-at-approval",
                                   f"approved with lint errors: {', '.join(errors[:3])}",
                                   severity="warning"))
    return found


def _claims(projection: object) -> Claims:
    fields = projection if isinstance(projection, dict) else {}
    approved = [v for k, v in fields.items() if k.startswith("claims.approved:")]
    blocked = [v for k, v in fields.items() if k.startswith("claims.blocked:")]
    return Claims.model_validate({"approved": approved, "blocked": blocked})
