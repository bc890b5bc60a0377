"""OpenPGP keys in the policy: armored public keys, their fingerprints, and a keyring of only
those keys to verify signatures with (DESIGN.md, Trail model 14).

The person running bb may trust other keys in their own keyring; the trail must not. So a
signature is checked against a temporary keyring holding exactly the policy's keys, and one
that cannot be checked there is an unknown key, whatever the machine's keyring says.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from bloomberry_cli.errors import BBError
from bloomberry_cli.external import run_program

ARMOR = "-----BEGIN PGP PUBLIC KEY BLOCK-----"


def is_armored(key: str) -> bool:
    return ARMOR in key


def normal_armor(key: str) -> str:
    return "\n".join(line.strip() for line in key.strip().splitlines() if line.strip())


@cache
def fingerprints(armored: str) -> tuple[str, ...]:
    """Fingerprints (primary first, then subkeys) of an armored key; none if gpg cannot read
    it or is not installed."""
    with _gnupg_home() as home:
        try:
            result = run_program(
                ["gpg", "--batch", "--with-colons", "--import-options", "show-only", "--import"],
                input=armored,
                env={"GNUPGHOME": str(home)},
                timeout=30,
            )
        except BBError:
            return ()  # no gpg here: the key names no one, and its signatures are unknown
    found = []
    for line in result.stdout.splitlines():
        fields = line.split(":")
        if fields[0] == "fpr" and len(fields) > 9 and fields[9]:
            found.append(fields[9].upper())
    return tuple(found)


@contextlib.contextmanager
def _gnupg_home() -> Iterator[Path]:
    # gpg-agent sockets need a short path: the system temp dir, not a deep test folder
    with tempfile.TemporaryDirectory(
        prefix="bb-gpg-", dir="/tmp" if os.path.isdir("/tmp") else None
    ) as home:
        os.chmod(home, 0o700)
        yield Path(home)


def keyring_id(keys: Iterable[str]) -> str:
    return hashlib.sha256("\n\n".join(sorted(set(keys))).encode()).hexdigest()[:16]


@contextlib.contextmanager
def keyring(keys: Iterable[str]) -> Iterator[dict[str, str]]:
    """An environment whose GNUPGHOME holds exactly ``keys``."""
    wanted = sorted(set(keys))
    with _gnupg_home() as home:
        env = {"GNUPGHOME": str(home)}
        with contextlib.suppress(BBError):
            if wanted:
                run_program(
                    ["gpg", "--batch", "--quiet", "--import"],
                    input="\n".join(wanted),
                    env=env,
                    timeout=60,
                )
        try:
            yield {**os.environ, **env}
        finally:  # the agent goes with its home, whether the body ended well or not
            with contextlib.suppress(BBError):
                run_program(["gpgconf", "--kill", "gpg-agent"], env=env, timeout=30)
