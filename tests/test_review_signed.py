"""The `signed` provider: merge commits signed by the forge's SSH key (made here with
`ssh-keygen` keys), whose trailer block names the approvers. Unsigned trailers prove nothing."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from gatekit import TODAY, USERS, ForgeRepo, gongkai, held_from, item, item_page
from gatestub import Server

pytestmark = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen missing")


@pytest.fixture(scope="module")
def keys(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("keys")
    found = {}
    for name in ("forge", "intruder"):
        key = folder / name
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True
        )
        found[name] = key
    public = (folder / "forge.pub").read_text().split()
    (folder / "allowed").write_text(f'gitea@forge namespaces="git" {public[0]} {public[1]}\n')
    found["allowed"] = folder / "allowed"
    return found


def trailers(number: int, *approvers: str) -> str:
    lines = [f"Reviewed-on: https://git.example.gov.cn/xxgk/portal/pulls/{number}"]
    lines += [f"Reviewed-by: {USERS[a][0]} <{USERS[a][1]}>" for a in approvers]
    return "\n".join(lines)


def signed_merge(repo: ForgeRepo, pull, key: Path | None, message: str, squash=False, author=None):
    """Merge as Gitea does with `[repository.signing] MERGES = approved`: the merger's name,
    the message with its trailer block, signed by the server's key (or not at all)."""
    sign = ["-c", "gpg.format=ssh", "-c", f"user.signingkey={key}"] if key else []
    repo.git("checkout", "-q", "main")
    if squash:
        repo.git("merge", "-q", "--squash", pull.branch)
        who = author or pull.user
        name, email = USERS[who]
        repo.git(
            *sign,
            "commit",
            "-q",
            *(["-S"] if key else []),
            f"--author={name} <{email}>",
            "-m",
            message,
            who="wang",
        )
    else:
        repo.git(
            *sign,
            "merge",
            "-q",
            "--no-ff",
            *(["-S"] if key else []),
            pull.branch,
            "-m",
            message,
            who="wang",
        )
    return repo.sha()


def publish(repo: ForgeRepo, keys, site: Path, **env):
    server = Server()
    try:
        return gongkai(
            "build",
            "--gate",
            "--provider",
            "signed",
            "--site-dir",
            str(site),
            "--today",
            TODAY,
            cwd=repo.root,
            env=server.env("signed", **{"GONGKAI_ALLOWED_SIGNERS": str(keys["allowed"]), **env}),
        )
    finally:
        server.close()


@pytest.fixture(scope="module")
def signed_story(tmp_path_factory, keys):
    repo = ForgeRepo(tmp_path_factory.mktemp("signed") / "repo")
    good = repo.open("tester", {"content/tzgg/b.md": item(2, "签名合并的通知")})
    signed_merge(repo, good, keys["forge"], f"Merge pull request 'b' (#1)\n\n{trailers(1, 'wang')}")
    typed = repo.open("tester", {"content/tzgg/c.md": item(3, "未签名的通知")})
    signed_merge(repo, typed, None, f"Merge pull request 'c' (#2)\n\n{trailers(2, 'wang')}")
    other = repo.open("tester", {"content/tzgg/d.md": item(4, "别的密钥签名的通知")})
    signed_merge(repo, other, keys["intruder"], f"Merge (#3)\n\n{trailers(3, 'wang')}")
    buried = repo.open("tester", {"content/tzgg/e.md": item(5, "批准写在正文中的通知")})
    signed_merge(repo, buried, keys["forge"], f"Merge (#4)\n\n{trailers(4, 'wang')}\n\n说明文字。")
    # a squash merge is signed by the forge like a web-editor edit: no proof of a pull request
    squash = repo.open("tester", {"content/tzgg/f.md": item(6, "压缩合并签名的通知")})
    signed_merge(repo, squash, keys["forge"], f"修改 (#5)\n\n{trailers(5, 'wang')}", squash=True)
    own = repo.open("wang", {"content/tzgg/g.md": item(7, "审核人自己写的通知")})
    signed_merge(repo, own, keys["forge"], f"Merge (#6)\n\n{trailers(6, 'wang')}")
    co = repo.open("tester", {"content/tzgg/h.md": item(8, "共同作者的通知")})
    message = f"Merge (#7)\n\nCo-authored-by: 王芳 <wang.home@qq.com>\n{trailers(7, 'wang')}"
    signed_merge(repo, co, keys["forge"], message)
    wrote = repo.open("tester", {"content/tzgg/i.md": item(9, "审核人写过提交的通知")})
    repo.add(wrote, "wang", {"content/tzgg/i.md": item(9, "审核人写过提交的通知", body="改。")})
    signed_merge(repo, wrote, keys["forge"], f"Merge (#8)\n\n{trailers(8, 'wang')}")
    site = repo.root.parent / "site"
    done = publish(repo, keys, site)
    return repo, site, done


def test_signed_merge_with_a_reviewer_trailer_is_published(signed_story):
    _, site, done = signed_story
    assert done.returncode == 3, done.stderr
    assert "签名合并的通知" in item_page(site, 2)


@pytest.mark.parametrize(
    "number, reason",
    [
        (3, "没有平台密钥的有效签名"),
        (4, "没有平台密钥的有效签名"),
        (5, "没有有效的批准"),
        (6, "不是合并请求的合并提交"),
        (7, "也是这次修改的作者"),
        (8, "也是这次修改的作者"),
        (9, "也是这次修改的作者"),
    ],
)
def test_what_a_signature_cannot_prove_is_held(signed_story, number, reason):
    _, site, done = signed_story
    assert not (site / f"item/000014349/2026-{number:05d}").exists()
    assert reason in held_from(done.stderr)[f"content/tzgg/{'bcdefghi'[number - 2]}.md"]


def test_signed_provider_needs_the_allowed_signers_from_the_environment(
    signed_story, keys, tmp_path
):
    repo, _, _ = signed_story
    done = publish(repo, keys, tmp_path / "site", GONGKAI_ALLOWED_SIGNERS=str(tmp_path / "none"))
    assert done.returncode == 2 and "GONGKAI_ALLOWED_SIGNERS" in done.stderr
