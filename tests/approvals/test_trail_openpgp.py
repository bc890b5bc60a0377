"""OpenPGP signatures are checked against a keyring of the policy's keys only."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bloomberry_cli.approvals.trailers import DecisionRecord, format_message
from conftest import BB, git
from support.team import Team, consent, make_team, write_post

pytestmark = pytest.mark.skipif(shutil.which("gpg") is None, reason="gpg is not installed")


@pytest.fixture
def gnupg(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    # gpg-agent's socket path must be short: a folder under /tmp, not the test's tmp_path
    home = Path(tempfile.mkdtemp(prefix="bbt-", dir="/tmp"))
    home.chmod(0o700)
    monkeypatch.setenv("GNUPGHOME", str(home))
    yield home
    subprocess.run(["gpgconf", "--kill", "gpg-agent"], capture_output=True, check=False)
    shutil.rmtree(home, ignore_errors=True)


def _gpg_key(name: str, email: str) -> tuple[str, str]:
    subprocess.run(
        [
            "gpg",
            "--batch",
            "--passphrase",
            "",
            "--quick-gen-key",
            f"{name} <{email}>",
            "ed25519",
            "sign",
            "never",
        ],
        check=True,
        capture_output=True,
    )
    listing = subprocess.run(
        ["gpg", "--batch", "--with-colons", "--list-keys", email],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    fingerprint = next(
        line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr:")
    )
    armored = subprocess.run(
        ["gpg", "--batch", "--armor", "--export", fingerprint],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return fingerprint, armored


def _use_gpg(team: Team, email: str, fingerprint: str) -> None:
    team.act_as(email)
    git(team.root, "config", "gpg.format", "openpgp")
    git(team.root, "config", "user.signingkey", fingerprint)


def test_openpgp_decisions_verify_against_the_policy_keys_only(
    tmp_path: Path, bb: BB, gnupg: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = make_team(tmp_path)
    rel = write_post(team)
    fingerprint, armored = _gpg_key("Jordan Blake", "jordan@example.com")
    config = team.root / "bloomberry.yaml"
    block = "\n".join(f"        {line}" for line in armored.strip().splitlines())
    text, count = re.subn(
        r"(email: jordan@example.com\n(?:.*\n){2}    keys: )\[[^\]]*\]",
        lambda m: m.group(1) + "\n      - |\n" + block,
        config.read_text(),
    )
    assert count == 1
    config.write_text(text + "\n")
    consent(team, "maria@example.com", "Jordan signs with OpenPGP")
    _use_gpg(team, "jordan@example.com", fingerprint)
    assert bb("approve", rel, cwd=team.root).code == 0
    # a key the policy does not hold, even if this machine's keyring trusts it
    other, _ = _gpg_key("Mallory", "mallory@example.com")
    _use_gpg(team, "jordan@example.com", other)
    record = DecisionRecord(
        "approve",
        "author",
        rel,
        hashlib.sha256((team.root / rel).read_bytes()).hexdigest(),
        "alice@example.com",
        parent=git(team.root, "rev-parse", "HEAD").strip(),
    )
    subprocess.run(
        ["git", "commit", "-q", "-S", "--allow-empty", "-F", "-"],
        cwd=team.root,
        input=format_message(record),
        text=True,
        check=True,
        capture_output=True,
    )
    forged = git(team.root, "rev-parse", "HEAD").strip()
    assert "BEGIN PGP SIGNATURE" in git(team.root, "cat-file", "commit", forged)
    empty = Path(tempfile.mkdtemp(prefix="bbe-", dir="/tmp"))
    monkeypatch.setenv("GNUPGHOME", str(empty))  # the auditor's own keyring knows neither key
    result = bb("audit", "--format", "json", cwd=team.root)
    document = json.loads(result.out)
    rules = {(v["commit"], v["rule"]) for v in document["violations"]}
    assert rules == {(forged, "signature.unknown-key")}, document
    shutil.rmtree(empty, ignore_errors=True)
