"""Who signed a commit, and whether the signature is good; cached by commit id."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bloomberry_cli.approvals.sshsig import SshSigError, parse_armored, split_signed_commit, verify
from bloomberry_cli.gitrepo import git
from bloomberry_cli.textfile import atomic_write

Status = Literal["good", "bad", "missing"]


@dataclass(frozen=True)
class SignatureCheck:
    status: Status
    #: The signing key: an ssh key blob, or an OpenPGP/X.509 fingerprint (upper-case hex).
    key: bytes | str | None = None
    detail: str = ""


class SignatureChecker:
    """Verifies SSH signatures in-process and others through git; remembers results, since a
    commit id fixes its content and signature forever."""

    def __init__(self, root: Path, cache_file: Path | None) -> None:
        self.root = root
        self.cache_file = cache_file
        self._cache: dict[str, list[str]] = {}
        self._dirty = False
        if cache_file is not None:
            try:
                self._cache = json.loads(cache_file.read_text())
            except (OSError, ValueError):
                self._cache = {}

    def check(self, sha: str, raw: bytes) -> SignatureCheck:
        cached = self._cache.get(sha)
        if cached is not None:
            status, kind, key = cached
            value: bytes | str | None = base64.b64decode(key) if kind == "ssh" else key or None
            return SignatureCheck(status, value)  # type: ignore[arg-type]
        result = self._check(sha, raw)
        if result.status != "missing":
            kind = "ssh" if isinstance(result.key, bytes) else "fpr"
            key = base64.b64encode(result.key).decode() if isinstance(result.key, bytes) \
                else (result.key or "")
            self._cache[sha] = [result.status, kind, key]
            self._dirty = True
        return result

    def _check(self, sha: str, raw: bytes) -> SignatureCheck:
        payload, armored = split_signed_commit(raw)
        if armored is None:
            return SignatureCheck("missing")
        if "BEGIN SSH SIGNATURE" in armored:
            try:
                signature = parse_armored(armored)
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
        result = git(self.root, "log", "-1", "--format=%G?%x1f%GF%x1f%GP", sha, check=False)
        status, fingerprint, primary = [*result.stdout.strip().split("\x1f"), "", "", ""][:3]
        key = (primary or fingerprint).upper() or None
        if status in ("G", "U"):
            return SignatureCheck("good", key)
        return SignatureCheck("bad", key, f"git reports signature status {status or '?'}")

    def save(self) -> None:
        if self._dirty and self.cache_file is not None:
            atomic_write(self.cache_file, json.dumps(self._cache))
            self._dirty = False
