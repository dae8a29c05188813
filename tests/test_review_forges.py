"""The forge APIs as the gate meets them: pagination, review semantics per forge, the call
budget, and every fault (a Chinese message, exit 2, nothing new published, no traceback)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator.core.clock import beijing_time
from generator.publishing.outdir import write_marker

from gatekit import CATALOG, TODAY, ForgeRepo, gongkai, item
from gatestub import Server, Stub, gated_build, reset_stub


@pytest.fixture(scope="module")
def server():
    server = Server()
    yield server
    server.close()


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    """One pull request, approved by the office, merged."""
    repo = ForgeRepo(tmp_path_factory.mktemp("merged") / "repo")
    pull = repo.open("tester", {"content/tzgg/b.md": item(2, "已批准的通知")})
    repo.review(pull, "wang")
    repo.merge(pull)
    return repo


def check(repo: ForgeRepo, server: Server, provider: str = "github", *args: str, **env: str):
    return gongkai(
        "publish-check",
        "--provider",
        provider,
        *args,
        cwd=repo.root,
        env=server.env(provider, **env),
    )


def test_approved_merge_passes_with_three_calls(merged, server):
    reset_stub(merged)
    done = check(merged, server)
    assert done.returncode == 0, done.stderr
    assert "全部已批准" in done.stdout
    assert [c.split("?")[0].rsplit("/", 1)[-1] for c in Stub.calls] == [
        "pulls",
        "reviews",
        "commits",
    ]


@pytest.mark.parametrize("provider", ["github", "gitea"])
def test_reviews_are_read_across_pages(tmp_path, server, provider):
    repo = ForgeRepo(tmp_path / "repo")
    pull = repo.open("tester", {"content/tzgg/b.md": item(2, "分页的通知")})
    for login in ("sun", "wu", "li", "zhao"):
        repo.review(pull, login, "COMMENTED")
    repo.review(pull, "wang")
    repo.review(pull, None, "APPROVED")  # a deleted account: "user": null
    repo.merge(pull)
    reset_stub(repo)
    Stub.page_size = 2
    done = check(repo, server, provider)
    assert done.returncode == 0, done.stderr
    reviews = [c for c in Stub.calls if "/reviews" in c]
    assert len(reviews) == 3


@pytest.mark.parametrize("provider", ["github", "gitea"])
def test_changes_requested_after_approval_on_page_two_cancels_it(tmp_path, server, provider):
    repo = ForgeRepo(tmp_path / "repo")
    pull = repo.open("tester", {"content/tzgg/b.md": item(2, "分页的通知")})
    repo.review(pull, "wang")
    repo.review(pull, "sun", "COMMENTED")
    repo.review(pull, "wang", "CHANGES_REQUESTED")
    repo.merge(pull)
    reset_stub(repo)
    Stub.page_size = 2
    done = check(repo, server, provider)
    assert done.returncode == 3 and "没有有效的批准" in done.stderr


@pytest.mark.parametrize(
    "extra, reason",
    [
        ({"stale": True}, "批准的不是最终版本"),
        ({"dismissed": True}, "没有有效的批准"),
    ],
)
def test_gitea_stale_and_dismissed_approvals_do_not_count(tmp_path, server, extra, reason):
    repo = ForgeRepo(tmp_path / "repo")
    pull = repo.open("tester", {"content/tzgg/b.md": item(2, "通知")})
    repo.review(pull, "wang", **extra)
    repo.review(pull, "sun", "REQUEST_REVIEW")
    repo.merge(pull)
    reset_stub(repo)
    done = check(repo, server, "gitea")
    assert done.returncode == 3 and reason in done.stderr


def test_gitea_direct_push_is_held_after_checking_the_repository_exists(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    repo.push("tester", {"content/tzgg/b.md": item(2, "推送的通知")})
    reset_stub(repo)
    done = check(repo, server, "gitea")
    assert done.returncode == 3 and "直接推送到 main" in done.stderr
    assert Stub.calls[-1] == "/api/v1/repos/xxgk/portal"


def test_gitea_wrong_repository_is_an_error_not_a_direct_push(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    repo.push("tester", {"content/tzgg/b.md": item(2, "推送的通知")})
    reset_stub(repo)
    done = check(repo, server, "gitea", GITHUB_REPOSITORY="xxgk/other")
    assert done.returncode == 2 and "找不到" in done.stderr and "xxgk/other" in done.stderr


RESET = 1796025600  # 2026-11-30 10:00 UTC


@pytest.mark.parametrize(
    "fault, words",
    [
        ({"status": 401}, ["拒绝了访问令牌（401"]),
        ({"status": 403}, ["拒绝访问（403", "pull-requests: read"]),
        (
            {
                "status": 403,
                "headers": {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(RESET)},
            },
            ["速率限制", f"北京时间 {beijing_time(datetime.fromtimestamp(RESET, UTC))} 恢复"],
        ),
        ({"status": 429, "headers": {"Retry-After": "120"}}, ["速率限制", "约 120 秒后"]),
        ({"status": 404}, ["找不到", "GITHUB_REPOSITORY"]),
        ({"status": 500}, ["服务器出错（500"]),
        ({"status": 502, "body": b"<html>Bad gateway</html>"}, ["服务器出错（502"]),
        ({"status": 200, "body": b"<html>not json</html>"}, ["不是有效的 JSON"]),
        ({"status": 200, "body": {"message": "not a list"}}, ["格式不对"]),
        ({"reset": True}, ["无法连接", "连接被对方重置"]),
        ({"hang": 3}, ["秒内没有答复"]),
        ({"raw": b"HELLO\r\n\r\n"}, ["无法连接", "答复不完整或不是有效的 HTTP 答复"]),
        (
            {"raw": b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n["},
            ["无法连接", "答复不完整或不是有效的 HTTP 答复"],
        ),
        ({"status": 200, "body": b"[" * 100_000}, ["不是有效的 JSON"]),  # deeper than Python
    ],
)
@pytest.mark.parametrize("where", ["/pulls?", "/reviews"])
def test_api_faults_are_chinese_messages_and_publish_nothing(merged, server, fault, words, where):
    reset_stub(merged)
    Stub.fault = {"match": where, **fault}
    done = check(merged, server, GONGKAI_API_TIMEOUT="1")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    for word in words:
        assert word in done.stderr
    assert "为安全起见" in done.stderr


def test_a_pull_request_in_another_shape_stops_the_gate(merged, server):
    """`head` and `base` are objects in the forges' answers; anything else is not guessed at."""
    reset_stub(merged)
    pull = {"number": 1, "merged_at": "2026-11-20T08:00:00Z", "base": "main"}
    Stub.fault = {"match": "/pulls?", "status": 200, "body": [pull]}
    done = check(merged, server)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "格式不对（“base”应为对象）" in done.stderr and "为安全起见" in done.stderr


def test_unobtainable_evidence_leaves_the_old_site_untouched(merged, server, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("旧网站", encoding="utf-8")
    write_marker(site)  # a site an earlier build made
    reset_stub(merged)
    Stub.fault = {"match": "/reviews", "status": 503}
    done = gongkai(
        "build",
        "--gate",
        "--provider",
        "github",
        "--site-dir",
        str(site),
        "--today",
        TODAY,
        cwd=merged.root,
        env=server.env("github"),
    )
    assert done.returncode == 2 and "原有网站保持不变" in done.stderr
    assert sorted(p.name for p in site.iterdir()) == [".gongkai-site", "index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "旧网站"


def test_one_merged_pull_request_after_a_record_costs_three_calls(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    for number in range(2, 5):
        pull = repo.open("tester", {f"content/tzgg/n{number}.md": item(number, f"通知{number}")})
        repo.review(pull, "wang")
        repo.merge(pull)
    site = tmp_path / "site"
    first = gated_build(repo, server, site)
    assert first.returncode == 0, first.stderr
    record = tmp_path / "record.json"
    record.write_bytes((site / "gongkai-publish.json").read_bytes())
    repo.push("tester", {"README.md": "说明文件不受审核\n"})
    pull = repo.open("tester", {"content/tzgg/n5.md": item(5, "通知5")})
    repo.review(pull, "wang")
    repo.merge(pull)
    reset_stub(repo)
    done = check(repo, server, "github", "--record", str(record))
    assert done.returncode == 0, done.stderr
    assert len(Stub.calls) == 3


def test_catalog_api_url_is_ignored_and_receives_no_token(tmp_path, server):
    other = Server()  # where a pushed catalog would like the token to go
    try:
        catalog = CATALOG.replace(
            "review:\n",
            f"review:\n  provider: github\n  api_url: {other.base}/github\n  repository: evil/repo\n",
        )
        repo = ForgeRepo(tmp_path / "repo", {"catalog.yml": catalog})
        pull = repo.open("tester", {"content/tzgg/b.md": item(2, "通知")})
        repo.review(pull, "wang")
        repo.merge(pull)
        reset_stub(repo)
        done = gongkai("publish-check", cwd=repo.root, env=server.env("github"))
        assert done.returncode == 0, done.stderr
        assert Stub.calls and all("/xxgk/portal/" in c for c in Stub.calls)
        validate = gongkai("validate", cwd=repo.root, env=server.env("github"))
        assert "GK020" in validate.stdout and "review.api_url" in validate.stdout
    finally:
        other.close()


def test_provider_comes_from_the_last_approved_catalog_not_from_a_push(tmp_path, server):
    catalog = CATALOG.replace("review:\n", "review:\n  provider: github\n")
    repo = ForgeRepo(tmp_path / "repo", {"catalog.yml": catalog})
    repo.push("tester", {"catalog.yml": catalog.replace("provider: github", "provider: none")})
    repo.push("tester", {"content/tzgg/b.md": item(2, "推送的通知")})
    reset_stub(repo)
    done = gongkai("publish-check", cwd=repo.root, env=server.env("github"))
    assert done.returncode == 3 and "本地预览" not in done.stdout
    assert "content/tzgg/b.md" in done.stderr and "catalog.yml" in done.stderr


def test_trailers_provider_is_refused_with_the_reason(tmp_path, server):
    catalog = CATALOG.replace("review:\n", "review:\n  provider: trailers\n")
    repo = ForgeRepo(tmp_path / "repo", {"catalog.yml": catalog})
    done = gongkai("publish-check", cwd=repo.root, env=server.env("github"))
    assert done.returncode == 2
    assert "任何能推送的人都能写上" in done.stderr and "GONGKAI_REVIEW_PROVIDER" in done.stderr
    flagged = gongkai(
        "publish-check", "--provider", "trailers", cwd=repo.root, env=server.env("github")
    )
    assert flagged.returncode == 2 and "github、gitea 或 signed" in flagged.stderr
    validate = gongkai("validate", cwd=repo.root, env=server.env("github"))
    assert validate.returncode == 1 and "GK021" in validate.stdout
    via_env = gongkai(
        "publish-check", cwd=repo.root, env=server.env("github", GONGKAI_REVIEW_PROVIDER="github")
    )
    assert via_env.returncode == 0, via_env.stderr


def test_preview_provider_is_refused_in_ci(merged, server):
    done = check(merged, server, "none", GITHUB_ACTIONS="true")
    assert done.returncode == 2 and "只用于本地预览" in done.stderr


def test_preview_build_carries_the_banner_and_no_record(merged, server, tmp_path):
    site = tmp_path / "site"
    done = gongkai(
        "build",
        "--gate",
        "--provider",
        "none",
        "--site-dir",
        str(site),
        "--today",
        TODAY,
        cwd=merged.root,
        env=server.env("none"),
    )
    assert done.returncode == 0, done.stderr
    assert "预览版本" in (site / "index.html").read_text(encoding="utf-8")
    assert not (site / "gongkai-publish.json").exists()


def test_missing_head_of_a_squashed_pull_request_is_held_with_a_message(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    pull = repo.open("tester", {"content/tzgg/b.md": item(2, "压缩合并的通知")})
    repo.review(pull, "wang")
    repo.merge(pull, "squash")
    repo.git("branch", "-D", pull.branch)
    repo.git("reflog", "expire", "--expire=now", "--all")
    repo.git("gc", "-q", "--prune=now")
    reset_stub(repo)
    done = check(repo, server)
    assert done.returncode == 3 and "refs/pull/*/head" in done.stderr


def test_record_json_is_valid_for_the_next_run(merged, server, tmp_path):
    reset_stub(merged)
    result = tmp_path / "result.json"
    done = gongkai(
        "gate",
        "--provider",
        "github",
        "--out",
        str(tmp_path / "tree"),
        "--result",
        str(result),
        cwd=merged.root,
        env=server.env("github"),
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(Path(result).read_text(encoding="utf-8"))
    assert data["kind"] == "gongkai-gate-result" and data["calls"] == 3


def test_redirect_to_another_host_never_receives_the_token(merged, server):
    other = Server()
    try:
        reset_stub(merged)
        Stub.fault = {
            "match": "/reviews",
            "status": 302,
            "headers": {"Location": f"{other.base}/x"},
        }
        done = check(merged, server)
        assert done.returncode == 2 and "另一个网站" in done.stderr
        assert not any(call.startswith("/x") for call in Stub.calls)
    finally:
        other.close()


def test_held_changes_go_into_the_job_summary(tmp_path, server):
    repo = ForgeRepo(tmp_path / "repo")
    repo.push("tester", {"content/tzgg/b.md": item(2, "推送的通知")})
    reset_stub(repo)
    summary = tmp_path / "summary.md"
    done = check(repo, server, "github", "--format", "github", GITHUB_STEP_SUMMARY=str(summary))
    assert done.returncode == 3
    text = summary.read_text(encoding="utf-8")
    assert "以下 1 个修改未获批准，暂不发布" in text and "| `content/tzgg/b.md` | 提交 " in text
    assert done.stdout.count("::warning file=content/tzgg/b.md,") == 1
