"""`bb audit` over 10,000 signed decision commits and `bb status` over 5,000 posts.

Run: python bench/audit_trail.py [POSTS]. Builds a repository in a temp dir: the example
workspace with fresh ed25519 keys, POSTS posts (default 5,000) and two signed decisions per post
(marketing, then the author): real SSHSIG signatures in git's own `gpgsig` format, written as
loose objects because making them through `git commit -S` would take minutes. The history is
not a straight line: an admin-signed policy change (`Bb-Policy`) adds a reviewer after the
marketing approvals, the author approvals are made on side branches of 100 merged back with
`--no-ff`-style merge commits, and a second signed policy change revokes the added reviewer.
Then it times the commands as fresh processes. Targets (issues 11, 12): audit <= 5 s cold and
<= 1 s warm, status <= 2 s warm.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bloomberry_cli.approvals.policy import workspace_projection
from bloomberry_cli.approvals.projection import projection_hash
from bloomberry_cli.workspace import load_workspace

EXAMPLE = Path(__file__).resolve().parents[1] / "src" / "bloomberry_cli" / "example"
PEOPLE = {
    "maria": "maria@example.com",
    "alice": "alice@example.com",
    "marcus": "marcus@example.com",
    "dan": "dan@example.com",
    "priya": "priya@example.com",
    "sam": "sam@example.com",
}


def _string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


class Signer:
    def __init__(self) -> None:
        self.key = Ed25519PrivateKey.generate()
        raw = self.key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self.blob = _string(b"ssh-ed25519") + _string(raw)
        self.line = "ssh-ed25519 " + base64.b64encode(self.blob).decode()

    def sign(self, payload: bytes) -> str:
        digest = hashlib.sha512(payload).digest()
        signed = b"SSHSIG" + _string(b"git") + _string(b"") + _string(b"sha512") + _string(digest)
        signature = _string(b"ssh-ed25519") + _string(self.key.sign(signed))
        blob = (
            b"SSHSIG"
            + struct.pack(">I", 1)
            + _string(self.blob)
            + _string(b"git")
            + _string(b"")
            + _string(b"sha512")
            + _string(signature)
        )
        text = base64.b64encode(blob).decode()
        lines = [text[i : i + 70] for i in range(0, len(text), 70)]
        return "\n".join(["-----BEGIN SSH SIGNATURE-----", *lines, "-----END SSH SIGNATURE-----"])


def write_object(git_dir: Path, kind: str, content: bytes) -> str:
    data = f"{kind} {len(content)}\0".encode() + content
    sha = hashlib.sha1(data).hexdigest()
    path = git_dir / "objects" / sha[:2] / sha[2:]
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(zlib.compress(data, 1))
    return sha


def build(root: Path, posts: int) -> int:
    signers = {name: Signer() for name in [*PEOPLE, "jordan"]}
    shutil.copytree(EXAMPLE, root)
    config = (root / "bloomberry.yaml").read_text()
    config = re.sub(
        r'(email: maria@example.com\n(?:.*\n){2}    keys: \[)"[^"]*"',
        rf'\g<1>"{signers["maria"].line}"',
        config,
    )
    (root / "bloomberry.yaml").write_text(config)
    for name in PEOPLE:
        path = root / "voices" / f"{name}.yaml"
        if path.exists():
            path.write_text(
                re.sub(r'keys: \["[^"]*"\]', f'keys: ["{signers[name].line}"]', path.read_text())
            )
    authors = [n for n in PEOPLE if n != "maria"]
    paths = []
    for n in range(posts):
        author = authors[n % len(authors)]
        rel = f"posts/b{n // len(authors):04d}/{author}--thought-leadership.md"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        text = (
            f"---\nbrief: b{n // len(authors):04d}\nparticipant: {author}\n"
            f"program: thought-leadership\nchannel: linkedin\n---\n"
            f"Observation number {n}: access reviews need owners.\n"
        )
        (root / rel).write_text(text)
        paths.append((rel, author, hashlib.sha256(text.encode()).hexdigest()))
    run = {"cwd": root, "check": True, "capture_output": True}
    subprocess.run(["git", "init", "-q"], **run)
    subprocess.run(["git", "add", "-A"], **run)
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=Maria",
            "-c",
            "user.email=maria@example.com",
            "commit",
            "-q",
            "-m",
            "workspace",
        ],
        **run,
    )
    git_dir = root / ".git"
    head = subprocess.run(["git", "rev-parse", "HEAD"], text=True, **run).stdout.strip()
    subprocess.run(["git", "config", "bb.trustRoot", head], **run)
    tree = subprocess.run(["git", "rev-parse", "HEAD^{tree}"], text=True, **run).stdout.strip()
    clock = [1_790_000_000]

    def commit(tree: str, parents: list[str], who: str, message: str, sign: bool) -> str:
        clock[0] += 1
        email = PEOPLE.get(who, f"{who}@example.com")
        header = (
            f"tree {tree}\n"
            + "".join(f"parent {p}\n" for p in parents)
            + (
                f"author {who} <{email}> {clock[0]} +0000\n"
                f"committer {who} <{email}> {clock[0]} +0000\n"
            )
        )
        body = "\n" + message
        if not sign:
            return write_object(git_dir, "commit", (header + body).encode())
        signature = signers[who].sign((header + body).encode()).replace("\n", "\n ")
        return write_object(git_dir, "commit", (header + f"gpgsig {signature}\n" + body).encode())

    def decision(parent: str, rel: str, stage: str, who: str, sha: str) -> str:
        email = PEOPLE[who]
        return commit(
            tree,
            [parent],
            who,
            f"bb: approve {rel} ({stage})\n\nBb-Decision: approve\n"
            f"Bb-Stage: {stage}\nBb-Post: {rel}\nBb-Post-Sha256: {sha}\n"
            f"Bb-Reviewer: {email}\nBb-Parent: {parent}\n",
            True,
        )

    def policy_change(parent: str, text: str, summary: str) -> tuple[str, str]:
        (root / "bloomberry.yaml").write_text(text)
        subprocess.run(["git", "add", "bloomberry.yaml"], **run)
        new_tree = subprocess.run(["git", "write-tree"], text=True, **run).stdout.strip()
        digest = projection_hash(workspace_projection(load_workspace(root)))
        return commit(
            new_tree, [parent], "maria", f"{summary}\n\nBb-Policy: {digest}\n", True
        ), new_tree

    count = 0
    for rel, _author, sha in paths:
        head = decision(head, rel, "marketing", "maria", sha)
        count += 1
    added = config.replace(
        "reviewers:\n",
        "reviewers:\n  - email: dana@example.com\n"
        f"    name: Dana\n    roles: [marketing]\n"
        f'    keys: ["{signers["jordan"].line}"]\n',
        1,
    )
    head, tree = policy_change(head, added, "Dana joins marketing")
    for start in range(0, len(paths), 100):
        branch = head
        for rel, author, sha in paths[start : start + 100]:
            branch = decision(branch, rel, "author", author, sha)
            count += 1
        head = commit(tree, [head, branch], "maria", "Merge branch 'approvals'\n", False)
    head, tree = policy_change(head, config, "Dana leaves")
    subprocess.run(["git", "update-ref", "HEAD", head], **run)
    return count


def timed(root: Path, *args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "bloomberry_cli", *args], cwd=root, capture_output=True, text=True
    )
    return time.perf_counter() - start, result


def main() -> None:
    posts = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        start = time.perf_counter()
        decisions = build(root, posts)
        print(
            f"built {decisions:,} signed decision commits over {posts:,} posts in "
            f"{time.perf_counter() - start:.1f} s"
        )
        home = {"BB_HOME": str(Path(tmp) / "home")}
        import os

        os.environ.update(home)
        for label in ("audit (cold cache)", "audit (warm cache)", "audit (warm cache)"):
            wall, result = timed(root, "audit", "--format", "json")
            ok = '"ok": true' in result.stdout
            print(f"bb {label}: {wall:.2f} s wall, ok={ok}, exit {result.returncode}")
            if not ok:
                print(result.stdout[:500], result.stderr[-500:])
        subprocess.run(["git", "gc", "-q"], cwd=root, check=True)  # what gc --auto does
        os.environ["BB_HOME"] = str(Path(tmp) / "home2")
        wall, result = timed(root, "audit", "--format", "json")
        ok = '"ok": true' in result.stdout
        print(f"bb audit (packed repository, cold cache): {wall:.2f} s wall, ok={ok}")
        for label in ("cold", "warm"):
            wall, result = timed(root, "status", "--format", "json")
            approved = result.stdout.count('"state": "approved"')
            print(
                f"bb status over {posts:,} posts ({label} cache): {wall:.2f} s wall, "
                f"{approved:,} approved, exit {result.returncode}"
            )


if __name__ == "__main__":
    main()
