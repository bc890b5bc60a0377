"""`bb keys setup`: a signing key for someone who has none, and git configured to use it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bloomberry_cli.errors import BBError
from bloomberry_cli.external import run_program
from bloomberry_cli.gitrepo import config_value, git
from bloomberry_cli.userdirs import bb_home


@dataclass
class KeySetup:
    private_key: Path
    public_line: str
    created: bool


def _public_line(private_key: Path) -> str:
    public = private_key.with_name(private_key.name + ".pub")
    if public.exists():
        text = public.read_text().split()
    else:
        result = run_program(["ssh-keygen", "-y", "-f", str(private_key)], hint="install OpenSSH")
        if not result.ok:
            raise BBError(f"cannot read the public half of {private_key}: {result.stderr.strip()}")
        text = result.stdout.split()
    return " ".join(text[:2])


def setup_keys(root: Path, email: str) -> KeySetup:
    """Configure this repository to sign with ssh; make an ed25519 key only if there is none."""
    fmt = config_value(root, "gpg.format") or "openpgp"
    existing = config_value(root, "user.signingkey")
    if existing and fmt == "ssh":
        path = Path(existing).expanduser()
        if path.name.endswith(".pub"):
            path = path.with_name(path.name[:-4])
        if path.exists() or path.with_name(path.name + ".pub").exists():
            git(root, "config", "gpg.format", "ssh")
            return KeySetup(path, _public_line(path), created=False)
    name = re.sub(r"[^A-Za-z0-9._-]", "_", email) or "bb"
    path = bb_home() / "keys" / f"{name}_ed25519"
    created = False
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        result = run_program(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", email, "-f", str(path)],
            hint="install OpenSSH",
        )
        if not result.ok:
            raise BBError(f"ssh-keygen failed: {result.stderr.strip()}")
        created = True
    git(root, "config", "gpg.format", "ssh")
    git(root, "config", "user.signingkey", str(path))
    return KeySetup(path, _public_line(path), created)
