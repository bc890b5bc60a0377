"""`bb audit`: verify every decision in the history. Anything but a good signature from the
right person, in the right role and order, over the recorded content, is a violation."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from bloomberry_cli.approvals.history import (
    DecisionCommit,
    parse_tree,
    read_decisions,
    read_objects,
    require_repo,
)
from bloomberry_cli.approvals.policy import AUTHOR, Policy
from bloomberry_cli.approvals.signatures import SignatureCheck, SignatureChecker
from bloomberry_cli.errors import BBError
from bloomberry_cli.gitrepo import git
from bloomberry_cli.models import Calendar, Config, Voice
from bloomberry_cli.posts import PostError, parse_post
from bloomberry_cli.validation import validate_document
from bloomberry_cli.workspace import CONFIG_FILE
from bloomberry_cli.yamlfile import YamlProblems, parse_yaml

POLICY_PATHS = (CONFIG_FILE, "voices")


@dataclass(frozen=True)
class Violation:
    commit: str
    path: str
    rule: str
    message: str


@dataclass
class AuditReport:
    decisions: int = 0
    violations: list[Violation] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations


class ObjectIndex:
    """Object ids by (tree, path), each resolved once. Decision commits are usually empty, so
    thousands of them share a handful of trees: lookups by tree instead of by commit turn tens
    of thousands of path resolutions into a few."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.prefix = git(root, "rev-parse", "--show-prefix").stdout.strip()
        self.trees: dict[str, str] = {}
        self._ids: dict[str, str | None] = {}

    def remember(self, commit: str, raw: bytes | None) -> None:
        if raw is not None and raw.startswith(b"tree "):
            self.trees[commit] = raw[5:45].decode()

    def spec(self, commit: str, path: str) -> str:
        tree = self.trees.get(commit) or f"{commit}^{{tree}}"
        return f"{tree}:{self.prefix}{path}"

    def ids(self, specs: list[str]) -> list[str | None]:
        missing = [s for s in dict.fromkeys(specs) if s not in self._ids]
        if missing:
            self._ids.update(zip(missing, _object_ids(self.root, missing), strict=True))
        return [self._ids[s] for s in specs]


class PolicyHistory:
    """The policy as of any commit, loaded once per distinct bloomberry.yaml and voices/."""

    def __init__(self, root: Path, objects: ObjectIndex) -> None:
        self.root = root
        self.objects = objects
        self._by_objects: dict[tuple[str | None, ...], Policy | None] = {}
        self._by_commit: dict[str, Policy | None] = {}

    def at(self, commits: list[str]) -> dict[str, Policy | None]:
        wanted = [c for c in dict.fromkeys(commits) if c not in self._by_commit]
        if wanted:
            specs = [self.objects.spec(c, name) for c in wanted
                     for name in (CONFIG_FILE, "voices", "calendar.yaml")]
            ids = self.objects.ids(specs)
            for index, commit in enumerate(wanted):
                key = (ids[3 * index], ids[3 * index + 1], ids[3 * index + 2])
                if key not in self._by_objects:
                    self._by_objects[key] = self._load(*key)
                self._by_commit[commit] = self._by_objects[key]
        return {c: self._by_commit[c] for c in commits}

    def _load(self, config_id: str | None, voices_id: str | None,
              calendar_id: str | None) -> Policy | None:
        if config_id is None:
            return None
        [config_raw] = read_objects(self.root, [config_id])
        config = _model(Config, config_raw, CONFIG_FILE)
        if config is None:
            return None
        voices: dict[str, Voice] = {}
        if voices_id is not None:
            [tree] = read_objects(self.root, [voices_id])
            entries = {name: oid for name, oid in parse_tree(tree or b"").items()
                       if name.endswith((".yaml", ".yml"))}
            blobs = read_objects(self.root, list(entries.values()))
            for (name, _), raw in zip(entries.items(), blobs, strict=True):
                voice = _model(Voice, raw, f"voices/{name}")
                if voice is not None:
                    voices[voice.id or name.rsplit(".", 1)[0]] = voice
        policy = Policy.build(config, voices)
        if calendar_id is not None:
            [raw] = read_objects(self.root, [calendar_id])
            calendar = _model(Calendar, raw, "calendar.yaml")
            if calendar is not None:
                policy.campaign_owners = {c.owner for c in calendar.campaigns
                                          if c.program == "advocacy"}
        return policy


def _model(model: type, raw: bytes | None, path: str):
    if raw is None:
        return None
    try:
        value, _ = validate_document(model, parse_yaml(raw.decode("utf-8"), path))
    except (YamlProblems, UnicodeDecodeError):
        return None
    return value


def _object_ids(root: Path, specs: list[str]) -> list[str | None]:
    import subprocess

    out = subprocess.run(["git", "cat-file", "--batch-check=%(objectname)"], cwd=root,
                         input="".join(f"{s}\n" for s in specs).encode(), capture_output=True,
                         check=True).stdout.decode().splitlines()
    return [None if line.endswith("missing") or " " in line else line for line in out]


def _post_blobs(objects: ObjectIndex, decisions: list[DecisionCommit]
                ) -> list[bytes | None]:
    """The post's content in each decision commit, each distinct blob read once."""
    ids = objects.ids([objects.spec(d.sha, d.record.post) for d in decisions])
    unique = list(dict.fromkeys(i for i in ids if i))
    contents = dict(zip(unique, read_objects(objects.root, unique), strict=True))
    return [contents.get(i) if i else None for i in ids]


def _participant(raw: bytes | None, path: str) -> tuple[str, str] | None:
    if raw is None:
        return None
    try:
        post = parse_post(raw.decode("utf-8"), path)
    except (PostError, UnicodeDecodeError):
        return None
    return post.meta.participant, post.meta.program


def audit(root: Path, *, trust_root: str | None = None,
          checker: SignatureChecker | None = None) -> AuditReport:
    require_repo(root)
    decisions = read_decisions(root)
    policy_commits = _policy_changes(root)
    checker = checker or SignatureChecker(root, None)
    report = AuditReport(decisions=len(decisions))
    parents = [d.parents[0] if d.parents else "" for d in decisions]
    raw_commits = read_objects(root, [d.sha for d in decisions])
    objects = ObjectIndex(root)
    for decision, raw in zip(decisions, raw_commits, strict=True):
        objects.remember(decision.sha, raw)
    blobs = _post_blobs(objects, decisions)
    history = PolicyHistory(root, objects)
    policies = history.at([p for p in parents if p])
    approved: dict[tuple[str, str], set[str]] = {}  # (post, content) → approved stages
    latest: dict[str, DecisionCommit] = {}
    owners: dict[bytes, tuple[str, str] | None] = {}  # a post's content → (participant, program)
    for decision, parent, raw, blob in zip(decisions, parents, raw_commits, blobs, strict=True):
        record = decision.record
        latest[record.post] = decision

        def flag(rule: str, message: str, d: DecisionCommit = decision) -> None:
            report.violations.append(Violation(d.sha, d.record.post, rule, message))

        policy = policies.get(parent) if parent else None
        signature = checker.check(decision.sha, raw or b"")
        if policy is None:
            flag("stage.unauthorized", "no valid policy (bloomberry.yaml) before this decision")
            continue
        _check_signature(signature, record.reviewer, policy, flag)
        content = hashlib.sha256(blob).hexdigest() if blob is not None else None
        if content != record.post_sha256:
            flag("content.changed-after-approval",
                 "the recorded Bb-Post-Sha256 does not match the post in this commit")
        owner = owners.get(blob) if blob is not None else None
        if blob is not None and blob not in owners:
            owner = owners[blob] = _participant(blob, record.post)
        if owner is None:
            flag("stage.unauthorized", f"{record.post} is not a readable post in this commit")
            continue
        participant, program = owner
        stages = policy.stages(participant, program)
        done = approved.setdefault((record.post, record.post_sha256), set())
        if record.decision == "publish":
            if record.reviewer != policy.author_email(participant) and \
                    record.reviewer not in {r.email for r in policy.config.reviewers}:
                flag("stage.unauthorized", f"{record.reviewer} may not record a publication")
            missing = [s for s in stages if s not in done]
            if missing:
                flag("stage.order", f"published before {', '.join(missing)} approved it")
            continue
        author = policy.author_email(participant)
        if record.stage != AUTHOR and record.reviewer == author:
            flag("duties.self-approval",
                 f"{record.reviewer} decided the {record.stage} stage of their own post")
        elif not policy.may_decide(record.reviewer, record.stage, participant):
            flag("stage.unauthorized",
                 f"{record.reviewer} does not hold the {record.stage} role for this post")
        if record.decision == "approve":
            if record.stage in stages:
                earlier = stages[:stages.index(record.stage)]
                missing = [s for s in earlier if s not in done]
                if missing:
                    flag("stage.order", f"{record.stage} approved before {', '.join(missing)}")
            done.add(record.stage)
    report.violations.extend(_stale_posts(objects, latest, approved))
    report.violations.extend(_policy_violations(root, policy_commits, history, checker,
                                                trust_root))
    checker.save()
    return report


def _check_signature(signature: SignatureCheck, reviewer: str, policy: Policy, flag) -> None:
    if signature.status == "missing":
        flag("signature.missing", "the decision commit is not signed")
    elif signature.status == "bad":
        flag("signature.invalid", f"the signature does not verify {signature.detail}".strip())
    else:
        owner = policy.key_owner.get(signature.key) if signature.key is not None else None
        if owner is None:
            flag("signature.unknown-key", "signed by a key that no one in the policy holds")
        elif owner != reviewer:
            flag("signer.mismatch", f"signed by {owner}'s key, but the trailer names {reviewer}")


def _stale_posts(objects: ObjectIndex, latest: dict[str, DecisionCommit],
                 approved: dict[tuple[str, str], set[str]]) -> list[Violation]:
    """Approved posts whose content at HEAD changed with no decision since. A blob id is the
    hash of its content: equal ids, equal content, nothing to read."""
    root = objects.root
    paths = [p for p, d in latest.items() if approved.get((p, d.record.post_sha256))]
    head = git(root, "rev-parse", "--verify", "--quiet", "HEAD^{tree}", check=False)
    if not paths or not head.stdout.strip():
        return []
    objects.trees["HEAD"] = head.stdout.strip()
    decided = objects.ids([objects.spec(latest[p].sha, p) for p in paths])
    current = objects.ids([objects.spec("HEAD", p) for p in paths])
    found = []
    for path, then, now in zip(paths, decided, current, strict=True):
        if now is None or now == then:
            continue
        [blob] = read_objects(root, [now])
        if blob is not None and hashlib.sha256(blob).hexdigest() != \
                latest[path].record.post_sha256:
            changed = git(root, "log", "-1", "--format=%H", "--", path).stdout.strip()
            found.append(Violation(changed, path, "content.changed-after-approval",
                                   "the post changed after its last approval without a new "
                                   "decision (it is stale)"))
    return found


def _policy_changes(root: Path) -> list[tuple[str, str]]:
    """(commit, parent) of every commit that changed the policy, oldest first."""
    result = git(root, "log", "--reverse", "--format=%H %P", "--", *POLICY_PATHS, check=False)
    changes = []
    for line in result.stdout.splitlines():
        parts = line.split()
        changes.append((parts[0], parts[1] if len(parts) > 1 else ""))
    return changes


def _policy_violations(root: Path, changes: list[tuple[str, str]], history: PolicyHistory,
                       checker: SignatureChecker, trust_root: str | None) -> list[Violation]:
    if not changes:
        return []
    if trust_root is not None:
        pinned = git(root, "rev-parse", "--verify", "--quiet", f"{trust_root}^{{commit}}",
                     check=False).stdout.strip()
        if not pinned:
            raise BBError(f"--trust-root: '{trust_root}' is not a commit here")
        trusted = {c for c, _ in changes if git(
            root, "merge-base", "--is-ancestor", c, pinned, check=False).returncode == 0}
    else:
        trusted = {changes[0][0]}  # trust on first use: the commit that introduced the policy
    checked = [(c, p) for c, p in changes if c not in trusted]
    raws = read_objects(root, [c for c, _ in checked])
    policies = history.at([p for _, p in checked if p])
    found = []
    for (commit, parent), raw in zip(checked, raws, strict=True):
        policy = policies.get(parent) if parent else None
        signature = checker.check(commit, raw or b"")
        owner = policy.key_owner.get(signature.key) if policy and signature.key else None
        if signature.status != "good" or owner is None or not policy or not policy.is_admin(
                owner):
            who = f"signed by {owner}, who is not an admin" if owner else (
                "not signed" if signature.status == "missing" else
                "signed by a key the policy does not know" if signature.status == "good"
                else "signed with an invalid signature")
            hint = ("; if this commit is where the real keys were set up, trust it with "
                    f"`bb audit --trust-root {commit[:12]}`") if owner is None else ""
            found.append(Violation(commit, CONFIG_FILE, "policy.unsigned-change",
                                   f"the policy changed in a commit {who}; only an admin of "
                                   f"the policy before the change may change it{hint}"))
    return found
