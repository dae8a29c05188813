"""Attacks found while red-teaming the gate as a staff member with push rights: history shaped to
lead the walk around the record, symbolic links, approvals given after the merge, attributes that
change what a checkout writes, and a record that names files outside the gated set."""

from __future__ import annotations

import json

import pytest

from generator.core.catalog import Reviewer
from generator.publishing.review.people import Authors, Person

from gatekit import ForgeRepo, gongkai, item, item_page
from gatestub import Server, reset_stub
from gatestub import gated_build as build

WITHDRAWN = "withdrawn: {date: 2026-11-20, reason: 已撤回。}"


@pytest.fixture(scope="module")
def server():
    server = Server()
    yield server
    server.close()


def approve(repo: ForgeRepo, files: dict) -> str:
    pull = repo.open("tester", files)
    repo.review(pull, "wang")
    return repo.merge(pull)


def published(tmp_path, server, files: dict):
    """A repository whose approved `files` were built into a site: (repo, site, a copy of the
    site's publish record)."""
    repo = ForgeRepo(tmp_path / "repo")
    approve(repo, files)
    site = tmp_path / "site"
    assert build(repo, server, site).returncode == 0
    record = tmp_path / "record.json"
    record.write_bytes((site / "gongkai-publish.json").read_bytes())
    return repo, site, record


def test_merge_with_swapped_parents_cannot_roll_back_past_the_record(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    before = approve(repo, {"content/tzgg/b.md": item(2, "通知", body="撤回前的正文。")})
    withdrawn = item(2, "通知", body="（已撤回）").replace("---\n\n", f"{WITHDRAWN}\n---\n\n")
    approve(repo, {"content/tzgg/b.md": withdrawn})
    site = tmp_path / "site"
    assert build(repo, server, site).returncode == 0
    record = tmp_path / "record.json"
    record.write_bytes((site / "gongkai-publish.json").read_bytes())
    # a branch from before the withdrawal merges main in (so main stays an ancestor) and is
    # pushed onto main: the first-parent line now runs down the branch
    repo.git("checkout", "-q", "-b", "old", before)
    repo.commit("tester", "无关的修改", {"content/tzgg/c.md": item(3, "另一条")})
    repo.git("merge", "-q", "--no-ff", "-s", "ours", "main", "-m", "合并 main", who="tester")
    repo.git("checkout", "-q", "main")
    repo.git("reset", "-q", "--hard", "old")
    done = build(repo, server, site, "--record", str(record))
    assert done.returncode == 3, done.stderr
    assert "第一父提交链没有经过上次发布的提交" in done.stderr
    page = item_page(site, 2)
    assert "（已撤回）" in page and "撤回前的正文。" not in page


def test_symbolic_link_is_never_approved_nor_written(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    pull = repo.open(
        "tester", {"content/tzgg/b.md": item(2, "有附件的通知", attachments="[secret.txt]")}
    )
    repo.git("checkout", "-q", pull.branch)
    (repo.root / "content/tzgg/secret.txt").symlink_to("/etc/passwd")
    repo.git("add", "-A")
    repo.git("commit", "-qm", "附件", who="tester")
    pull.head = repo.sha()
    repo.git("checkout", "-q", "main")
    repo.review(pull, "wang")
    repo.merge(pull)
    site = tmp_path / "site"
    reset_stub(repo)
    done = gongkai(
        "gate",
        "--provider",
        "github",
        "--out",
        str(tmp_path / "tree"),
        "--result",
        str(tmp_path / "r.json"),
        cwd=repo.root,
        env=server.env("github"),
    )
    assert done.returncode == 3 and "符号链接" in done.stderr
    assert not (tmp_path / "tree/content/tzgg/secret.txt").exists()
    build(repo, server, site)
    assert "root:" not in "".join(p.read_text(errors="replace") for p in site.rglob("*.txt"))


def test_approval_given_after_the_merge_approved_nothing(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    pull = repo.open("tester", {"content/tzgg/b.md": item(2, "合并后才批准的通知")})
    repo.merge(pull)
    repo.review(pull, "wang")  # submitted after merged_at
    site = tmp_path / "site"
    done = build(repo, server, site)
    assert done.returncode == 3 and "没有有效的批准" in done.stderr
    assert not (site / "item/000014349/2026-00002").exists()


def test_pushed_gitattributes_cannot_change_what_is_built(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    approve(repo, {"content/tzgg/b.md": item(2, "编码不变的通知", body="批准的正文。")})
    repo.write({".gitattributes": "*.md working-tree-encoding=UTF-16LE\n"})
    repo.git("add", ".gitattributes")
    repo.git("commit", "-qm", "属性", who="tester")
    for path in (repo.root / "content").rglob("*.md"):
        path.unlink()  # checked out again under the pushed attributes
    repo.git("checkout", "HEAD", "--", "content")
    assert (repo.root / "content/tzgg/b.md").read_bytes()[:2] != b"--"  # the checkout is UTF-16
    site = tmp_path / "site"
    done = build(repo, server, site)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "批准的正文。" in item_page(site, 2)


def test_record_naming_a_path_outside_the_gated_files_is_refused(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    site = tmp_path / "site"
    assert build(repo, server, site).returncode == 0
    data = json.loads((site / "gongkai-publish.json").read_text(encoding="utf-8"))
    data["exceptions"] = {"generator/../../etc/x": None}
    record = tmp_path / "record.json"
    record.write_text(json.dumps(data), encoding="utf-8")
    done = build(repo, server, tmp_path / "site2", "--record", str(record))
    assert done.returncode == 2 and "不是受审核的文件" in done.stderr


@pytest.mark.parametrize(
    "author",
    [
        Person(name="孙慧", email="sun.home@qq.com"),
        Person(name="孙 慧，", email="x@y.cn"),
        Person(name="ＳＵＮ　ＨＵＩ", email="x@y.cn"),
        Person(name="someone", email="SUN@example.gov.cn"),
        Person(login="Sun"),
    ],
)
def test_author_is_recognised_by_any_of_login_email_or_normalised_name(author):
    approver = Person(login="sun")
    reviewer = Reviewer("sun", "孙慧", "sun@example.gov.cn")
    registered = Reviewer("sun", "Sun Hui", "sun@example.gov.cn")
    assert Authors([author]).includes(approver, reviewer) or Authors([author]).includes(
        approver, registered
    )


def test_different_person_is_not_an_author():
    assert not Authors([Person(name="测试员", email="tester@example.gov.cn")]).includes(
        Person(login="sun"), Reviewer("sun", "孙慧", "sun@example.gov.cn")
    )


def test_control_characters_in_a_pushed_file_name_are_escaped_in_every_report(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    repo.push("tester", {"content/tzgg/x\x1b[2J|`y.txt": "推送\n"})
    reset_stub(repo)
    summary = tmp_path / "summary.md"
    env = server.env("github", GITHUB_STEP_SUMMARY=str(summary))
    done = gongkai(
        "publish-check", "--provider", "github", "--format", "github", cwd=repo.root, env=env
    )
    assert done.returncode == 3
    for text in (done.stdout, done.stderr, summary.read_text(encoding="utf-8")):
        assert "\x1b" not in text and "x\\u001b[2J" in text


def test_a_second_first_commit_merged_into_main_is_not_trusted(tmp_path, server):
    repo, site, record = published(
        tmp_path, server, {"content/tzgg/b.md": item(2, "通知", body="批准的正文。")}
    )
    # an unrelated history whose "first commit" carries other text, with main merged into it
    repo.git("checkout", "-q", "--orphan", "forged")
    repo.write({"content/tzgg/b.md": item(2, "通知", body="伪造起点的正文。")})
    repo.git("add", "-A")
    repo.git("commit", "-qm", "伪造的初始提交", who="tester")
    repo.git(
        "merge",
        "-q",
        "-s",
        "ours",
        "--allow-unrelated-histories",
        "main",
        "-m",
        "合并",
        who="tester",
    )
    repo.git("checkout", "-q", "main")
    repo.git("reset", "-q", "--hard", "forged")
    done = build(repo, server, site, "--record", str(record))
    assert done.returncode == 3, done.stderr
    assert "批准的正文。" in item_page(site, 2) and "伪造起点的正文。" not in item_page(site, 2)
    without = build(repo, server, tmp_path / "site2")
    assert without.returncode == 2 and "个初始提交" in without.stderr


@pytest.mark.parametrize("marker", ["\x01", "\n\x01", "\x01\n:"])
def test_a_file_name_shaped_like_a_commit_header_cannot_end_the_walk_early(
    tmp_path, server, marker
):
    """git prints paths byte for byte: a pushed file named `~\\x01<R> <R>` once made the log
    reader invent commit R (the record's), so the walk ended there and the whole pushed tree
    went out as approved."""
    repo, site, record = published(
        tmp_path, server, {"content/tzgg/a.md": item(1, "通知", body="批准的正文。")}
    )
    commit = json.loads(record.read_text(encoding="utf-8"))["commit"]
    forged = f"~{marker}{commit} {commit}"
    repo.push("tester", {forged: "1", "content/tzgg/a.md": item(1, "通知", body="推送的正文。")})
    reset_stub(repo)
    done = build(repo, server, site, "--record", str(record))
    assert done.returncode == 3, done.stderr
    assert "批准的正文。" in item_page(site, 1) and "推送的正文。" not in item_page(site, 1)
    written = json.loads((site / "gongkai-publish.json").read_text(encoding="utf-8"))
    assert written["commit"] == repo.sha() and "content/tzgg/a.md" in written["held"]


def test_log_output_that_is_not_a_header_or_an_entry_is_refused():
    from generator.core.git_history import GitError
    from generator.publishing.review.repo import _log_changes

    sha, parent = "a" * 40, "b" * 40
    entry = f":100644 100644 {'c' * 40} {'d' * 40} M".encode()
    good = b"\x01" + f"{sha} {parent}".encode() + b"\0\n" + entry + b"\0x\x01y\0"
    [change] = _log_changes(good)
    assert (change.sha, change.parents) == (sha, (parent,)) and list(change.paths) == ["x\x01y"]
    with pytest.raises(GitError):
        _log_changes(good + b"\x01not a commit\0")
