"""The publish gate on real Git repositories, and on a local server speaking GitHub's REST JSON."""

from __future__ import annotations

import csv
import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from generator.loader import load_project
from generator.review import codeowners
from generator.review.gate import GitHub, ReviewError, check

from helpers import run

ROOT = Path(__file__).parents[1]
SUN = "孙慧 <sun@example.gov.cn>"  # reviewer of 政策法规科 (zcfgk) in the test catalog
WANG = "王芳 <wang@example.gov.cn>"  # reviewer of 办公室 (bgs)
AUTHOR = "测试员 <tester@example.gov.cn>"


@pytest.fixture
def repo(bureau):
    catalog = bureau.root / "catalog.yml"
    catalog.write_text(
        catalog.read_text().replace(
            "reviewers: [wang]", f"reviewers: [{{login: wang, identity: {WANG}}}]"
        )
    )
    bureau.init_git()
    bureau.commit("catalog")
    return bureau


def commit_as(bureau, who: str, message: str) -> None:
    name, email = who.split(" <")
    bureau.git("add", "-A")
    bureau.git(
        "-c",
        f"user.name={name}",
        "-c",
        f"user.email={email.rstrip('>')}",
        "commit",
        "-q",
        "-m",
        message,
    )


def merge(bureau, branch: str, *trailers: str, merger: str = WANG) -> None:
    """Merge `branch` into main the way Gitea does: a merge commit with Reviewed-by trailers."""
    bureau.git("checkout", "-q", "main")
    message = (
        f"Merge pull request '{branch}'\n\nReviewed-on: https://git.example.gov.cn/xxgk/pulls/7\n"
    )
    message += "".join(f"Reviewed-by: {t}\n" for t in trailers)
    name, email = merger.split(" <")
    bureau.git(
        "-c",
        f"user.name={name}",
        "-c",
        f"user.email={email.rstrip('>')}",
        "merge",
        "-q",
        "--no-ff",
        branch,
        "-m",
        message,
    )


def propose(bureau, branch: str, author: str = AUTHOR, **item) -> None:
    bureau.git("checkout", "-q", "-b", branch)
    bureau.item("content/zcjd/a.md", category="zcjd", written=None, **item)
    commit_as(bureau, author, "Add interpretation")


def verdict(bureau):
    project = load_project(bureau.root)
    [v] = check(project, project.items, "trailers")
    return v


def test_merge_reviewed_by_a_reviewer_of_the_department_is_approved(repo):
    propose(repo, "jd")
    merge(repo, "jd", SUN)
    v = verdict(repo)
    assert v.approved and v.approval.approvers == (SUN.replace("sun@", "sun@"),)
    assert v.approval.link == "https://git.example.gov.cn/xxgk/pulls/7"
    assert v.approval.authors == (AUTHOR,)


def test_merge_without_trailers_is_held(repo):
    propose(repo, "jd")
    merge(repo, "jd")
    v = verdict(repo)
    assert not v.approved and "没有 Reviewed-by" in v.reason


def test_self_approval_is_refused(repo):
    propose(repo, "jd", author=SUN)
    merge(repo, "jd", SUN)
    v = verdict(repo)
    assert not v.approved and "不能审核自己的修改" in v.reason


def test_reviewer_of_another_department_is_refused(repo):
    propose(repo, "jd")
    merge(repo, "jd", WANG)
    v = verdict(repo)
    assert not v.approved and "不是“政策法规科”" in v.reason


def test_direct_push_to_main_is_held(repo):
    repo.item("content/zcjd/a.md", category="zcjd", written=None)
    commit_as(repo, SUN, "Push straight to main")
    v = verdict(repo)
    assert not v.approved and "直接推送" in v.reason


def test_change_after_the_approval_is_held(repo):
    propose(repo, "jd")
    merge(repo, "jd", SUN)
    repo.item("content/zcjd/a.md", category="zcjd", written=None, title="改过的标题")
    commit_as(repo, AUTHOR, "Quick fix on main")
    v = verdict(repo)
    assert not v.approved and "直接推送" in v.reason


def test_deleted_item_needs_no_approval_and_breaks_nothing(repo):
    propose(repo, "jd")
    merge(repo, "jd", SUN)
    repo.item("content/tzgg/b.md", index_no="000014349/2026-00002")
    commit_as(repo, AUTHOR, "Add a notice")
    (repo.root / "content/tzgg/b.md").unlink()
    commit_as(repo, AUTHOR, "Remove the notice")
    project = load_project(repo.root)
    assert [v.approved for v in check(project, project.items, "trailers")] == [True]


def test_publish_check_command_lists_what_it_holds_back(repo):
    propose(repo, "jd")
    merge(repo, "jd")
    done = run("publish-check", cwd=repo.root)
    assert done.returncode == 1
    assert "content/zcjd/a.md" in done.stderr and "没有 Reviewed-by" in done.stderr


def test_gated_build_leaves_unapproved_items_out_and_fails(repo):
    propose(repo, "jd")
    merge(repo, "jd", SUN)
    repo.git("checkout", "-q", "-b", "notice")
    repo.item("content/tzgg/b.md", index_no="000014349/2026-00002", title="未经审核的通知")
    commit_as(repo, AUTHOR, "Add a notice")
    merge(repo, "notice")  # no Reviewed-by
    repo.write("mkdocs.yml", (ROOT / "mkdocs.yml").read_text())
    (repo.root / "content/pages").mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "theme", repo.root / "theme")
    done = run("build", "--gate", "--today", "2026-11-23", cwd=repo.root)
    assert (
        done.returncode == 1 and "未经审核的通知" not in (repo.root / "site/index.html").read_text()
    )
    site_text = "".join(
        p.read_text(errors="replace")
        for p in (repo.root / "site").rglob("*.*")
        if p.suffix in (".html", ".xml", ".json")
    )
    assert "未经审核的通知" not in site_text and "000014349/2026-00002" not in site_text
    record = json.loads((repo.root / "site/gongkai-publish.json").read_text())
    assert list(record["verified"]) == ["000014349/2026-00001"]
    assert "预览版本" not in (repo.root / "site/index.html").read_text()


def test_register_lists_author_approver_and_exemptions(repo):
    propose(
        repo,
        "jd",
        screening_exempt='[{kind: mobile, value: "138****5678", reason: 公开的举报电话}]',
    )
    merge(repo, "jd", SUN)
    done = run("register", "--out", "reg", cwd=repo.root)
    assert done.returncode == 0
    raw = (repo.root / "reg/register.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][:5] == ["索引号", "标题", "责任科室", "拟稿人", "审核人"]
    assert rows[1][3] == AUTHOR and rows[1][4] == SUN and "138****5678" in rows[1][9]
    html = (repo.root / "reg/register.html").read_text()
    assert "审批表登记册" in html and "孙慧" in html


def test_codeowners_follow_the_catalog(repo):
    project = load_project(repo.root)
    files = codeowners.render(project.catalog)
    github = files[".github/CODEOWNERS"].splitlines()
    assert "/content/zcwj/gfxwj/ @sun" in github and "/content/tzgg/ @wang" in github
    assert github.index("/content/zcwj/ @sun") < github.index("/content/zcwj/gfxwj/ @sun")
    assert "^content/zcjd/.*$ @sun" in files[".gitea/CODEOWNERS"].splitlines()
    assert run("codeowners", "--check", cwd=repo.root).returncode == 1
    assert run("codeowners", cwd=repo.root).returncode == 0
    assert run("codeowners", "--check", cwd=repo.root).returncode == 0


# --- GitHub provider against a local server speaking the REST format -----------------------


class FakeGitHub(BaseHTTPRequestHandler):
    pulls: dict[str, list] = {}
    reviews: dict[int, list] = {}
    fail = False
    calls: list[str] = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        FakeGitHub.calls.append(self.path)
        if FakeGitHub.fail:
            self.send_response(500)
            self.end_headers()
            return
        path, _, query = self.path.partition("?")
        parts = path.strip("/").split("/")
        page = int(dict(p.split("=") for p in query.split("&") if "=" in p).get("page", 1))
        if parts[3] == "commits":
            body, more = FakeGitHub.pulls.get(parts[4], []), False
        else:
            everything = FakeGitHub.reviews.get(int(parts[4]), [])
            body, more = everything[(page - 1) * 2 : page * 2], len(everything) > page * 2
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if more:
            host = self.headers["Host"]
            self.send_header(
                "Link", f'<http://{host}{path}?per_page=2&page={page + 1}>; rel="next"'
            )
        self.end_headers()
        self.wfile.write(json.dumps(body).encode())


@pytest.fixture
def github():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGitHub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    FakeGitHub.pulls, FakeGitHub.reviews, FakeGitHub.fail, FakeGitHub.calls = {}, {}, False, []
    yield GitHub("xxgk/portal", f"http://127.0.0.1:{server.server_address[1]}")
    server.shutdown()


def review(login, state, commit, at):
    return {"user": {"login": login}, "state": state, "commit_id": commit, "submitted_at": at}


def squash(repo) -> str:
    repo.item("content/zcjd/a.md", category="zcjd", written=None)
    commit_as(repo, AUTHOR, "Add interpretation (#12)")
    return repo.git("rev-parse", "HEAD").strip()


def test_github_approval_on_the_final_head_with_paginated_reviews(repo, github):
    sha = squash(repo)
    FakeGitHub.pulls[sha] = [
        {
            "number": 12,
            "merged_at": "2026-11-20T08:00:00Z",
            "user": {"login": "tester"},
            "head": {"sha": "f1"},
            "html_url": "https://github.com/xxgk/portal/pull/12",
        }
    ]
    FakeGitHub.reviews[12] = [
        review("wang", "COMMENTED", "f0", "2026-11-19T01:00:00Z"),
        review("sun", "CHANGES_REQUESTED", "f0", "2026-11-19T02:00:00Z"),
        review("tester", "COMMENTED", "f1", "2026-11-19T03:00:00Z"),
        review("sun", "APPROVED", "f1", "2026-11-19T04:00:00Z"),
    ]
    project = load_project(repo.root)
    [v] = check(project, project.items, "github", github=github)
    assert (
        v.approved and v.approval.approvers == ("sun",) and v.approval.at == "2026-11-19T04:00:00Z"
    )
    assert github.calls == 3  # one for the commit's pull requests, two pages of reviews


@pytest.mark.parametrize(
    "reviews, reason",
    [
        ([review("sun", "APPROVED", "f0", "2026-11-19T04:00:00Z")], "最终版本未经批准"),
        ([review("wang", "APPROVED", "f1", "2026-11-19T04:00:00Z")], "不是该科室登记的审核人"),
        (
            [
                review("sun", "APPROVED", "f1", "2026-11-19T04:00:00Z"),
                review("sun", "CHANGES_REQUESTED", "f1", "2026-11-19T05:00:00Z"),
            ],
            "没有任何批准",
        ),
    ],
)
def test_github_refusals(repo, github, reviews, reason):
    sha = squash(repo)
    FakeGitHub.pulls[sha] = [
        {"number": 12, "merged_at": "x", "user": {"login": "tester"}, "head": {"sha": "f1"}}
    ]
    FakeGitHub.reviews[12] = reviews
    project = load_project(repo.root)
    [v] = check(project, project.items, "github", github=github)
    assert not v.approved and reason in v.reason


def test_github_self_approval_is_refused(repo, github):
    sha = squash(repo)
    FakeGitHub.pulls[sha] = [
        {"number": 12, "merged_at": "x", "user": {"login": "sun"}, "head": {"sha": "f1"}}
    ]
    FakeGitHub.reviews[12] = [review("sun", "APPROVED", "f1", "2026-11-19T04:00:00Z")]
    project = load_project(repo.root)
    [v] = check(project, project.items, "github", github=github)
    assert not v.approved and "作者" in v.reason


def test_github_direct_push_is_held(repo, github):
    squash(repo)
    project = load_project(repo.root)
    [v] = check(project, project.items, "github", github=github)
    assert not v.approved and "直接推送" in v.reason


def test_github_api_error_fails_closed(repo, github):
    squash(repo)
    FakeGitHub.fail = True
    project = load_project(repo.root)
    with pytest.raises(ReviewError, match="500"):
        check(project, project.items, "github", github=github)


def test_published_record_spares_api_calls(repo, github, tmp_path):
    sha = squash(repo)
    record = tmp_path / "gongkai-publish.json"
    record.write_text(json.dumps({"commit": sha, "verified": {"000014349/2026-00001": sha}}))
    project = load_project(repo.root)
    [v] = check(project, project.items, "github", record=record, github=github)
    assert v.approved and github.calls == 0


def test_review_summary_names_the_department_and_who_may_approve(repo):
    repo.git("checkout", "-q", "-b", "jd")
    repo.item("content/zcjd/a.md", category="zcjd", written=None)
    commit_as(repo, AUTHOR, "Add interpretation")
    done = run("review-summary", "--base", "main", cwd=repo.root)
    assert done.returncode == 0
    assert "| 新增 | `content/zcjd/a.md` | 000014349/2026-00001 |" in done.stdout
    assert "| 政策法规科 | @sun |" in done.stdout
