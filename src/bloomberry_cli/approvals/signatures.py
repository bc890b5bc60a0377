"""Who signed a commit, and whether the signature is good.

Results are remembered by commit id, but only after the commit's bytes were checked to hash to
that id: a replaced or forged object can never borrow a genuine commit's result.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bloomberry_cli.approvals.history import commit_hash_matches
from bloomberry_cli.approvals.sshsig import SshSigError, parse_armored, split_signed_commit, verify
from bloomberry_cli.approvals.trailcache import TrailCache
from bloomberry_cli.gitrepo import NO_REPLACE, git

SignatureStatus = Literal["good", "bad", "missing"]


@dataclass(frozen=True)
class SignatureCheck:
    status: SignatureStatus
    #: The signing key: an ssh key blob, or an OpenPGP/X.509 fingerprint (upper-case hex).
    key: bytes | str | None = None
    detail: str = ""


class SignatureChecker:
    """Verifies SSH signatures in-process (namespace ``git`` only) and others through git."""

    def __init__(self, root: Path, cache: TrailCache | None = None) -> None:
        self.root = root
        self.cache = cache or TrailCache(None)

    def cached(self, sha: str) -> SignatureCheck | None:
        entry = self.cache.table("signatures").get(sha)
        if entry is None:
            return None
        status, kind, key, detail = entry
        value: bytes | str | None = base64.b64decode(key) if kind == "ssh" else key or None
        return SignatureCheck(status, value, detail)

    def check(self, sha: str, raw: bytes) -> SignatureCheck:
        cached = self.cached(sha)
        if cached is not None:
            return cached
        if not commit_hash_matches(sha, raw):
            return SignatureCheck("bad", None, "the object read is not the commit named")
        result = self._check(sha, raw)
        kind = "ssh" if isinstance(result.key, bytes) else "fpr"
        key = base64.b64encode(result.key).decode() if isinstance(result.key, bytes) \
            else (result.key or "")
        self.cache.put("signatures", sha, [result.status, kind, key, result.detail])
        return result

    def _check(self, sha: str, raw: bytes) -> SignatureCheck:
        payload, armored = split_signed_commit(raw)
        if armored is None:
            return SignatureCheck("missing")
        if "BEGIN SSH SIGNATURE" in armored:
            try:
                signature = parse_armored(armored)
                if signature.namespace != "git":
                    return SignatureCheck("bad", signature.public_key,
                                          f"signed for namespace '{signature.namespace}', "
                                          "not 'git'")
                good = verify(signature, payload)
            except SshSigError as exc:
                if "verified by git" not in str(exc):
                    return SignatureCheck("bad", None, str(exc))
                return self._check_with_git(sha)
            return SignatureCheck("good" if good else "bad", signature.public_key,
                                  "" if good else "the signature does not match the commit")
        return self._check_with_git(sha)

    def _check_with_git(self, sha: str) -> SignatureCheck:
        """OpenPGP and X.509 signatures: git asks gpg/gpgsm (or gitsign) itself."""
        result = git(self.root, "log", "-1", "--format=%G?%x1f%GF%x1f%GP", sha, check=False,
                     env=NO_REPLACE)
        status, fingerprint, primary = [*result.stdout.strip().split("\x1f"), "", "", ""][:3]
        key = (primary or fingerprint).upper() or None
        if status in ("G", "U"):
            return SignatureCheck("good", key)
        return SignatureCheck("bad", key, f"git reports signature status {status or '?'}")
