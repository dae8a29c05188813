"""The review gate on one real repository that lives through every attack of issue #17: staff with
push rights, careless reviewers and merges of every style. One gated build (GitHub's REST format
from a local server) and the tests read what the built site contains."""

from __future__ import annotations

import json
import subprocess

import pytest

from generator.site.plugin import THEME

from gatekit import TODAY, ForgeRepo, gongkai, item_page, site_text
from gatestory import GENESIS, live
from gatestub import Server, reset_stub


@pytest.fixture(scope="module")
def server():
    server = Server()
    yield server
    server.close()


@pytest.fixture(scope="module")
def story(tmp_path_factory, server):
    """The repository's life (tests/gatestory.py); what each step should end as is in the tests."""
    repo = ForgeRepo(tmp_path_factory.mktemp("story") / "repo", GENESIS)
    live(repo)
    reset_stub(repo)
    site = repo.root.parent / "site"
    done = gongkai(
        "build",
        "--gate",
        "--provider",
        "github",
        "--today",
        TODAY,
        "--site-dir",
        str(site),
        cwd=repo.root,
        env=server.env("github"),
    )
    record = json.loads((site / "gongkai-publish.json").read_text(encoding="utf-8"))
    return repo, site, done, record


def held(story) -> dict[str, str]:
    return story[3]["held"]


def test_gated_build_publishes_the_approved_state_and_exits_3_for_held_changes(story):
    _, site, done, _ = story
    assert done.returncode == 3, done.stderr
    assert "个修改未获批准，暂不发布" in done.stderr
    assert (site / "index.html").is_file()
    assert "预览版本" not in (site / "index.html").read_text(encoding="utf-8")


def test_forged_trailer_on_a_direct_push_proves_nothing(story):
    _, site, _, _ = story
    page = item_page(site, 1)
    assert "第一次批准的正文。" in page and "推送的正文。" not in page
    assert "直接推送" in held(story)["content/tzgg/a.md"]


def test_properly_approved_item_with_a_chinese_file_name_is_published(story):
    _, site, _, _ = story
    assert "许可公告" in item_page(site, 20)
    assert "content/xzxk/许可公告.md" not in held(story)


def test_front_matter_department_adds_a_department_and_never_replaces_it(story):
    _, site, _, _ = story
    assert not (site / "item/000014349/2026-00021").exists()
    assert "须由市场管理科审核" in held(story)["content/xzxk/联合.md"]
    assert "联合发文二" in item_page(site, 22)


def test_attachment_replaced_by_a_push_keeps_the_approved_bytes(story):
    _, site, _, _ = story
    assert (
        site / "item/000014349/2026-00007/attachments/名单.txt"
    ).read_bytes() == "第二版附件\n".encode()
    assert "content/tzgg/attachments/名单.txt" in held(story)


@pytest.mark.parametrize(
    "path",
    [
        "content/pages/evil.md",
        "content/pages/evil.js",
        "content/annual/2025.md",
        "theme/assets/gongkai.js",
        "pyproject.toml",
        ".github/workflows/evil.yml",
    ],
)
def test_every_site_input_pushed_without_approval_is_held(story, path):
    assert path in held(story)


def test_pushed_pages_scripts_annual_data_catalog_and_theme_are_not_online(story):
    _, site, _, _ = story
    text = site_text(site)
    for pushed in (
        "恶意页面正文",
        "未经审核的脚本",
        "推送篡改的2025年",
        "0000-6666666",
        "推送篡改的脚本",
    ):
        assert pushed not in text, pushed
    assert not (site / "evil").exists() and not (site / "evil.js").exists()
    assert (site / "assets/gongkai.js").read_bytes() == (THEME / "assets/gongkai.js").read_bytes()
    assert "0000-1234500" in (site / "ysqgk/index.html").read_text(encoding="utf-8")


def test_a_change_cannot_widen_its_own_approvers(story):
    _, site, _, _ = story
    assert not (site / "item/000014349/2026-00030").exists()
    assert "不是办公室在已批准的 catalog.yml 中登记的审核人" in held(story)["content/tzgg/self.md"]


def test_approver_who_wrote_a_commit_under_another_email_is_an_author(story):
    _, site, _, _ = story
    assert not (site / "item/000014349/2026-00061").exists()
    assert "也是这次修改的作者" in held(story)["content/zcjd/sun.md"]


def test_github_reviewer_who_wrote_commits_of_the_pull_request_is_an_author(story):
    assert "也是这次修改的作者" in held(story)["content/xzxk/wu.md"]


def test_approval_counts_only_on_the_final_head(story):
    _, site, _, _ = story
    assert not (site / "item/000014349/2026-00031").exists()
    assert "批准的不是最终版本" in held(story)["content/tzgg/late.md"]


def test_latest_review_per_reviewer_counts_and_a_comment_does_not_cancel(story):
    _, site, _, _ = story
    assert "批准后有评论的通知" in item_page(site, 32)
    for path in ("content/tzgg/changes.md", "content/tzgg/dismissed.md"):
        assert "没有有效的批准" in held(story)[path]


def test_unapproved_deletion_withdrawal_disclosure_change_and_postponement_keep_the_approved_page(
    story,
):
    _, site, _, _ = story
    assert "不应消失的正文。" in item_page(site, 3)
    assert "撤回前的正文。" in item_page(site, 2) and "内容有误" not in item_page(site, 2)
    assert "公开属性正文。" in item_page(site, 4)
    assert "将被推迟的通知" in item_page(site, 5)
    for path in ("del", "withdraw", "disc", "post"):
        assert f"content/tzgg/{path}.md" in held(story)


def test_held_changes_do_not_stop_an_approved_urgent_response(story):
    _, site, _, _ = story
    assert "紧急回应" in item_page(site, 40)
    assert "紧急回应" in (site / "index.html").read_text(encoding="utf-8")


def test_rename_squash_and_rebase_merges_are_approved(story):
    _, site, _, record = story
    assert "改名正文。" in item_page(site, 8)
    for path in ("ren.md", "ren2.md", "squash.md", "rebase.md", "rebase2.md"):
        assert f"content/tzgg/{path}" not in record["held"]
    for number in (35, 36, 37):
        assert (site / f"item/000014349/2026-{number:05d}/index.html").is_file()


def test_octopus_merge_is_never_evidence(story):
    for path in ("content/tzgg/oct1.md", "content/tzgg/oct2.md"):
        assert "章鱼合并" in held(story)[path]


def test_update_branch_merge_does_not_approve_what_main_already_had(story):
    _, site, _, _ = story
    assert "更新分支后批准的通知" in item_page(site, 50)
    assert "推送的正文。" not in item_page(site, 1)


def test_replaced_reviewer_no_longer_counts_and_the_new_one_does(story):
    _, site, _, _ = story
    assert (
        "不是政策法规科在已批准的 catalog.yml 中登记的审核人"
        in held(story)["content/zcjd/by-sun.md"]
    )
    assert "新审核人批准的解读" in item_page(site, 63)


def test_changes_made_in_the_merge_itself_are_not_approved(story):
    _, site, _, _ = story
    assert "合并时夹带的通知" in item_page(site, 41)
    assert "没有修改这个文件" in held(story)["content/tzgg/extra.md"]
    assert "与 合并请求 #" in held(story)["content/tzgg/conf2.md"]
    assert not (site / "item/000014349/2026-00043").exists()


def test_pull_request_merged_into_another_branch_is_not_evidence_for_main(story):
    assert "不是合并请求合并进 main 时产生的提交" in held(story)["content/tzgg/dev.md"]


def test_record_names_commit_provider_exceptions_and_approvals_without_e_mail(story):
    repo, _, _, record = story
    assert record["version"] == 2 and record["provider"] == "github"
    assert record["commit"] == repo.sha("main")
    assert record["exceptions"]["content/tzgg/del.md"] is not None
    assert record["exceptions"]["content/tzgg/self.md"] is None
    assert "@" not in json.dumps(record["pulls"], ensure_ascii=False)
    blob = repo.git("rev-parse", "main:content/hygq/urgent.md").strip()
    pull = record["pulls"][record["approvals"][blob]]
    assert pull["approvers"] == ["wang"] and pull["link"].endswith(f"/pull/{pull['number']}")
    assert not any(path.startswith("content/") for path in record["approvals"])


def test_gitea_api_gives_the_same_approved_state(story, server, tmp_path):
    repo, _, _, record = story
    reset_stub(repo)
    result = tmp_path / "result.json"
    done = gongkai(
        "gate",
        "--provider",
        "gitea",
        "--out",
        str(tmp_path / "tree"),
        "--result",
        str(result),
        cwd=repo.root,
        env=server.env("gitea"),
    )
    assert done.returncode == 3, done.stderr
    gitea = json.loads(result.read_text(encoding="utf-8"))
    assert gitea["exceptions"] == record["exceptions"]
    assert set(gitea["held"]) == set(record["held"])
    assert gitea["approvals"] == record["approvals"]


def test_approved_tree_holds_the_approved_generator_and_no_unapproved_file(story, server, tmp_path):
    repo, _, _, _ = story
    reset_stub(repo)
    tree = tmp_path / "tree"
    done = gongkai(
        "gate",
        "--provider",
        "github",
        "--out",
        str(tree),
        "--result",
        str(tmp_path / "r.json"),
        cwd=repo.root,
        env=server.env("github"),
    )
    assert done.returncode == 3, done.stderr
    assert (tree / "generator/marker.py").read_text() == "APPROVED = 'second'\n"
    assert (tree / "pyproject.toml").read_text() == "[project]\nname = 'demo'\n"
    assert not (tree / ".github/workflows/evil.yml").exists()
    assert not (tree / "content/pages/evil.md").exists()
    assert (tree / "content/tzgg/del.md").is_file()
    assert not (tree / "README.md").exists()


def test_publish_check_counts_every_gated_file(story, server):
    repo, _, _, record = story
    reset_stub(repo)
    done = gongkai(
        "publish-check",
        "--provider",
        "github",
        "--format",
        "github",
        cwd=repo.root,
        env=server.env("github"),
    )
    assert done.returncode == 3
    tracked = (
        subprocess.run(
            ["git", "-C", str(repo.root), "ls-files", "-z"],
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip("\0")
        .split("\0")
    )
    assert f"共核验 {len(set(tracked) | set(record['exceptions']))} 个受审核的文件" in done.stdout
    assert "::warning file=content/tzgg/a.md,title=未获批准，暂不发布::" in done.stdout
