"""Who signed a commit, and whether the signature is good.

Results are remembered by commit id, but only after the commit's bytes were checked to hash to
that id: a replaced or forged object can never borrow a genuine commit's result.
"""

from __future__ import annotations

import base64
import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bloomberry_cli.approvals.history import commit_hash_matches
from bloomberry_cli.approvals.openpgp import keyring, keyring_id
from bloomberry_cli.approvals.sshsig import SshSigError, parse_armored, split_signed_commit, verify
from bloomberry_cli.approvals.trailcache import TrailCache
from bloomberry_cli.gitrepo import NO_REPLACE, git

SignatureStatus = Literal["good", "bad", "missing", "unknown"]


@dataclass(frozen=True)
class SignatureCheck:
    status: SignatureStatus
    #: The signing key: an ssh key blob, or an OpenPGP/X.509 fingerprint (upper-case hex).
    key: bytes | str | None = None
    detail: str = ""


class SignatureChecker:
    """Verifies SSH signatures in-process (namespace ``git`` only), and OpenPGP ones through git
    against a keyring holding only the policy's armored keys (``armored``)."""

    def __init__(
        self, root: Path, cache: TrailCache | None = None, armored: Iterable[str] = ()
    ) -> None:
        self.root = root
        self.cache = cache or TrailCache(None)
        self.armored = sorted(set(armored))
        self.keyring = keyring_id(self.armored)
        self._stack = contextlib.ExitStack()
        self._env: dict[str, str] | None = None

    def close(self) -> None:
        self._stack.close()

    def cached(self, sha: str) -> SignatureCheck | None:
        table = self.cache.table("signatures")
        # OpenPGP results depend on the keyring too: they are kept under commit + keyring
        entry = table.get(sha) or table.get(f"{sha}:{self.keyring}")
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
        key = (
            base64.b64encode(result.key).decode()
            if isinstance(result.key, bytes)
            else (result.key or "")
        )
        where = sha if kind == "ssh" or result.status == "missing" else f"{sha}:{self.keyring}"
        self.cache.put("signatures", where, [result.status, kind, key, result.detail])
        return result

    def _check(self, sha: str, raw: bytes) -> SignatureCheck:
        payload, armored = split_signed_commit(raw)
        if armored is None:
            return SignatureCheck("missing")
        if "BEGIN SSH SIGNATURE" in armored:
            try:
                signature = parse_armored(armored)
                if signature.namespace != "git":
                    return SignatureCheck(
                        "bad",
                        signature.public_key,
                        f"signed for namespace '{signature.namespace}', not 'git'",
                    )
                good = verify(signature, payload)
            except SshSigError as exc:
                if "verified by git" not in str(exc):
                    return SignatureCheck("bad", None, str(exc))
                return self._check_with_git(sha)
            return SignatureCheck(
                "good" if good else "bad",
                signature.public_key,
                "" if good else "the signature does not match the commit",
            )
        return self._check_with_git(sha)

    def _check_with_git(self, sha: str) -> SignatureCheck:
        """OpenPGP (and X.509) signatures: git asks gpg, with GNUPGHOME set to a keyring of
        the policy's keys only. A signature no key there can check is an unknown key."""
        if self._env is None:
            self._env = {**self._stack.enter_context(keyring(self.armored)), **NO_REPLACE}
        result = git(
            self.root,
            "log",
            "-1",
            "--no-show-signature",  # log.showSignature would print gpg's text before the fields
            "--format=%G?%x1f%GF%x1f%GP",
            sha,
            check=False,
            env=self._env,
        )
        status, fingerprint, primary = [*result.stdout.strip().split("\x1f"), "", "", ""][:3]
        key = (primary or fingerprint).upper() or None
        if status in ("G", "U"):
            return SignatureCheck("good", key)
        if status == "E":
            return SignatureCheck("unknown", key, "no key in the policy can check it")
        return SignatureCheck("bad", key, f"git reports signature status {status or '?'}")
