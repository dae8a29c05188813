"""Red team (staff member, `signed` provider): Gitea signs more than approved merges with its key.
With the documented set-up ([repository.signing] SIGNING_KEY and MERGES = approved), the
defaults CRUD_ACTIONS = pubkey, twofa, parentsigned and INITIAL_COMMIT = always stay: a file
edited in Gitea's web editor by a user who has an SSH key is committed and signed with the
server's key. The gate reads any single-parent commit with a good signature as a squash merge
and believes the trailer block its author typed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from gatekit import TODAY, USERS, ForgeRepo, gongkai, item
from gatestub import Server

pytestmark = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen missing")


@pytest.fixture(scope="module")
def forge_key(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("keys")
    key = folder / "forge"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    public = (folder / "forge.pub").read_text().split()
    allowed = folder / "allowed"
    allowed.write_text(f'gitea@forge namespaces="git" {public[0]} {public[1]}\n')
    return key, allowed


def test_web_editor_commit_signed_by_the_forge_with_a_typed_trailer_is_not_an_approval(
    tmp_path, forge_key
):
    key, allowed = forge_key
    repo = ForgeRepo(tmp_path / "repo")
    # tester edits the file in Gitea's web editor, typing the office reviewer as a trailer;
    # Gitea commits it as tester and signs it with the server key (CRUD_ACTIONS)
    repo.write({"content/tzgg/a.md": item(1, "通知", body="网页编辑器中写的正文。")})
    repo.git("add", "-A")
    name, email = USERS["wang"]
    repo.git(
        "-c",
        "gpg.format=ssh",
        "-c",
        f"user.signingkey={key}",
        "commit",
        "-q",
        "-S",
        "-m",
        f"更新 content/tzgg/a.md\n\nReviewed-on: https://git.example.gov.cn/xxgk/portal/pulls/9\n"
        f"Reviewed-by: {name} <{email}>",
        who="tester",
    )
    server = Server()
    try:
        site = tmp_path / "site"
        done = gongkai(
            "build",
            "--gate",
            "--provider",
            "signed",
            "--site-dir",
            str(site),
            "--today",
            TODAY,
            cwd=repo.root,
            env=server.env("signed", GONGKAI_ALLOWED_SIGNERS=str(allowed)),
        )
    finally:
        server.close()
    assert done.returncode in (0, 3), done.stderr
    page = (site / "item" / "000014349" / "2026-00001" / "index.html").read_text("utf-8")
    assert "网页编辑器中写的正文。" not in page, (
        "a typed trailer on a forge-signed edit approved it"
    )
