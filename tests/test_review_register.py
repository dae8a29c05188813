"""The register (every item, with times from the forge and why a change is held; CSV that a
spreadsheet cannot run), the review summary of a pull request, and CODEOWNERS."""

from __future__ import annotations

import csv
from datetime import datetime

import pytest

from generator.core.clock import beijing_time
from generator.publishing.review import codeowners
from generator.publishing.review.register import safe_cell

from gatekit import CATALOG, ForgeRepo, base_env, gongkai, item
from gatestub import Server, Stub, reset_stub


@pytest.fixture(scope="module")
def server():
    server = Server()
    yield server
    server.close()


@pytest.fixture(scope="module")
def registered(tmp_path_factory, server):
    base = tmp_path_factory.mktemp("register")
    repo = ForgeRepo(base / "repo")
    pull = repo.open(
        "tester",
        {
            "content/tzgg/b.md": item(2, '=HYPERLINK("http://evil.example","点击")'),
            "content/tzgg/c.md": item(3, "依申请公开的信息", disclosure="依申请公开"),
            "content/tzgg/d.md": item(4, "定时发布的信息", date="2026-12-20"),
            "content/tzgg/e.md": item(5, "将被推送修改的信息", body="批准的版本。"),
            "content/tzgg/f.md": item(6, "将被推送删除的信息"),
        },
    )
    repo.git("checkout", "-q", pull.branch)
    repo.write(
        {"content/tzgg/b.md": item(2, '=HYPERLINK("http://evil.example","点击")', body="改。")}
    )
    repo.git("add", "-A")
    repo.git(
        "-c",
        "user.name=-2+3",
        "-c",
        "user.email=calc@example.gov.cn",
        "commit",
        "-qm",
        "改",
    )
    pull.head = repo.sha()
    repo.git("checkout", "-q", "main")
    repo.review(pull, "wang")
    repo.merge(pull)
    repo.push(
        "tester",
        {
            "content/tzgg/e.md": item(5, "将被推送修改的信息", body="推送的版本。"),
            "content/tzgg/f.md": None,
            "content/tzgg/g.md": item(7, '"@推送的新信息"'),
        },
    )
    reset_stub(repo)
    result = base / "result.json"
    done = gongkai(
        "gate",
        "--provider",
        "github",
        "--out",
        str(base / "tree"),
        "--result",
        str(result),
        cwd=repo.root,
        env=server.env("github"),
    )
    assert done.returncode == 3, done.stderr
    reset_stub(repo)
    Stub.fault = {"match": "/", "status": 500, "times": 1000}  # the register must not call
    out = base / "reg"
    done = gongkai(
        "register",
        "--result",
        str(result),
        "--out",
        str(out),
        "--today",
        "2026-11-30",
        cwd=repo.root,
        env=server.env("github"),
    )
    assert done.returncode == 0, done.stderr
    assert Stub.calls == []
    raw = (out / "register.csv").read_bytes()
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    return (
        repo,
        raw,
        {r["文件"]: r for r in rows},
        (out / "register.html").read_text(encoding="utf-8"),
    )


def test_register_csv_opens_in_excel_and_lists_every_item(registered):
    _, raw, rows, _ = registered
    assert raw.startswith(b"\xef\xbb\xbf")
    assert set(rows) == {f"content/tzgg/{n}.md" for n in "abcdefg"}


def test_register_states_published_not_public_scheduled_and_held(registered):
    _, _, rows, _ = registered
    assert (
        rows["content/tzgg/a.md"]["状态"] == "已发布"
        and rows["content/tzgg/a.md"]["审核人"] == "初始版本"
    )
    assert rows["content/tzgg/c.md"]["状态"] == "不公开（依申请公开）"
    assert rows["content/tzgg/d.md"]["状态"] == "定时发布（2026-12-20）"
    assert rows["content/tzgg/e.md"]["状态"] == "已发布"
    assert rows["content/tzgg/e.md"]["未发布的修改及原因"].startswith(
        "网站上为此前批准的版本；新的修改未获批准"
    )
    assert "这次删除未获批准" in rows["content/tzgg/f.md"]["未发布的修改及原因"]
    assert rows["content/tzgg/g.md"]["未发布的修改及原因"].startswith("未获批准，未发布")


def test_register_times_come_from_the_forge_not_from_commit_dates(registered):
    repo, _, rows, _ = registered
    [pull] = repo.pulls.values()
    row = rows["content/tzgg/c.md"]
    approved = datetime.fromisoformat(pull.reviews[-1]["submitted_at"].replace("Z", "+00:00"))
    merged = datetime.fromisoformat(pull.merged_at.replace("Z", "+00:00"))
    assert row["审核时间"] == beijing_time(approved) and row["合并时间"] == beijing_time(merged)
    assert row["审核人"] == "wang" and "tester" in row["拟稿人"]
    assert row["合并请求"].endswith(f"/pull/{pull.number}")


def test_register_cells_cannot_run_as_formulas(registered):
    _, raw, rows, html = registered
    assert rows["content/tzgg/b.md"]["标题"].startswith("'=HYPERLINK(")
    assert "'-2+3" in rows["content/tzgg/b.md"]["拟稿人"] or rows["content/tzgg/b.md"][
        "拟稿人"
    ].startswith("'")
    assert rows["content/tzgg/g.md"]["标题"] == "'@推送的新信息"
    assert b"\n=HYPERLINK" not in raw and b",=HYPERLINK" not in raw
    assert "&#34;http://evil.example&#34;" in html or "&quot;http://evil.example&quot;" in html


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "＝1"])
def test_formula_starts_are_neutralised(text):
    assert safe_cell(text) == "'" + text


def test_review_summary_lists_every_gated_file_with_the_base_reviewers(tmp_path):
    repo = ForgeRepo(tmp_path / "repo")
    repo.git("checkout", "-q", "-b", "pr")
    repo.write(
        {
            "content/xzxk/联合.md": item(20, "联合发文", "xzxk", department="cwsjk"),
            "catalog.yml": CATALOG.replace("login: wu,", "login: zhao,"),
            "theme/assets/gongkai.js": "/* 改 */\n",
            "README.md": "不受审核\n",
        }
    )
    repo.git("add", "-A")
    repo.git("commit", "-qm", "改", who="tester")
    done = gongkai("review-summary", "--base", "main", cwd=repo.root, env=base_env())
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert (
        "| 新增 | `content/xzxk/联合.md` | 000014349/2026-00020 | 联合发文 | 市场管理科、财务审计科 | @wu;@li |"
        in out
    )
    assert "| 修改 | `catalog.yml` |  |  | 办公室 | @wang |" in out
    assert "`theme/assets/gongkai.js`" in out and "README.md" not in out


def test_codeowners_cover_every_gated_path_office_first(tmp_path):
    repo = ForgeRepo(tmp_path / "repo")
    (repo.root / ".github").mkdir(exist_ok=True)
    assert gongkai("codeowners", "--check", cwd=repo.root, env=base_env()).returncode == 1
    assert gongkai("codeowners", cwd=repo.root, env=base_env()).returncode == 0
    done = gongkai("codeowners", "--check", cwd=repo.root, env=base_env())
    assert done.returncode == 0, done.stderr
    github = (repo.root / ".github/CODEOWNERS").read_text().splitlines()
    rules = [line for line in github if not line.startswith("#")]
    assert rules[0] == "* @wang"
    assert rules.index("/content/xzxk/ @wu") < rules.index("/content/pages/ @wang")
    for path in (
        "/catalog.yml",
        "/mkdocs.yml",
        "/pyproject.toml",
        "/theme/",
        "/generator/",
        "/.github/",
        "/.gitea/",
        "/content/annual/",
    ):
        assert f"{path} @wang" in rules
    gitea = (repo.root / ".gitea/CODEOWNERS").read_text().splitlines()
    assert ".* @wang" in gitea and r"^content/xzxk/.*$ @wu" in gitea


def test_codeowners_check_names_paths_no_reviewer_can_own(tmp_path):
    catalog = CATALOG.replace(
        "      - {login: wu, identity: 吴涛 <wutao@example.gov.cn>}",
        "      - 吴涛 <wutao@example.gov.cn>",
    ).replace(
        "code: hygq\n    name: 回应关切", "code: hygq\n    folder: 回应 关切\n    name: 回应关切"
    )
    repo = ForgeRepo(
        tmp_path / "repo",
        {
            "catalog.yml": catalog,
            "content/xzxk/许可.md": item(20, "许可", "xzxk"),
            "content/回应 关切/x.md": item(21, "回应", "hygq"),
        },
    )
    gongkai("codeowners", cwd=repo.root, env=base_env())
    done = gongkai("codeowners", "--check", cwd=repo.root, env=base_env())
    assert done.returncode == 1
    assert (
        "content/xzxk/许可.md：须由市场管理科审核，但市场管理科没有可写进 .gitea/CODEOWNERS 的审核人"
        in done.stderr
    )
    assert "content/回应 关切/x.md" in done.stderr and "CODEOWNERS 无法表示" in done.stderr


def test_codeowners_render_is_the_catalog(tmp_path):
    from generator.core.catalog import load_catalog

    (tmp_path / "catalog.yml").write_text(CATALOG, encoding="utf-8")
    files = codeowners.render(load_catalog(tmp_path / "catalog.yml"))
    assert "/content/zcjd/ @sun" in files[".github/CODEOWNERS"]
