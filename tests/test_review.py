"""The review gate on one real repository that lives through every attack of issue #17: staff with
push rights, careless reviewers and merges of every style. One gated build (GitHub's REST format
from a local server) and the tests read what the built site contains."""

from __future__ import annotations

import json
import subprocess

import pytest

from gatekit import (
    CATALOG,
    ROOT,
    TODAY,
    ForgeRepo,
    Server,
    gongkai,
    item,
    item_page,
    reset_stub,
    site_text,
)

ANNUAL_MD = (ROOT / "content/annual/2025.md").read_text(encoding="utf-8")
GENESIS = {
    "content/annual/2025.yml": (ROOT / "content/annual/2025.yml").read_text(encoding="utf-8"),
    "content/annual/2025.md": ANNUAL_MD,
    "content/tzgg/withdraw.md": item(2, "将被撤回的通知", body="撤回前的正文。"),
    "content/tzgg/del.md": item(3, "将被删除的通知", body="不应消失的正文。"),
    "content/tzgg/disc.md": item(4, "公开属性将被改的通知", body="公开属性正文。"),
    "content/tzgg/post.md": item(5, "将被推迟的通知", body="推迟正文。"),
    "content/tzgg/att.md": item(
        7, "有附件的通知", body="见附件。", attachments="[attachments/名单.txt]"
    ),
    "content/tzgg/attachments/名单.txt": "批准的附件内容\n",
    "content/tzgg/ren.md": item(8, "将被改名的通知", body="改名正文。"),
    "content/zcjd/old.md": item(60, "政策解读旧文", category="zcjd", body="解读正文。"),
}
WITHDRAWN = "withdrawn: {date: 2026-11-20, reason: 内容有误,撤回。}"


def approve(repo: ForgeRepo, who: str, files: dict, *approvers: str, style="merge", **kw):
    pull = repo.open(who, files)
    for login in approvers:
        repo.review(pull, login)
    repo.merge(pull, style, **kw)
    return pull


@pytest.fixture(scope="module")
def server():
    server = Server()
    yield server
    server.close()


@pytest.fixture(scope="module")
def story(tmp_path_factory, server):
    """The repository's life, oldest first; what each step should end as is in the tests."""
    repo = ForgeRepo(tmp_path_factory.mktemp("story") / "repo", GENESIS)
    early = repo.open("zhao", {"content/tzgg/upd.md": item(50, "更新分支后批准的通知")})
    approve(
        repo, "tester", {"content/tzgg/a.md": item(1, "通知", body="第一次批准的正文。")}, "wang"
    )
    # a direct push whose message carries a forged Reviewed-by trailer
    repo.push(
        "tester",
        {"content/tzgg/a.md": item(1, "通知", body="推送的正文。")},
        "修改通知\n\nReviewed-by: 王芳 <wang@example.gov.cn>\nReviewed-on: https://x/pulls/1",
    )
    # a properly approved item in a file with a Chinese name
    approve(repo, "zhao", {"content/xzxk/许可公告.md": item(20, "许可公告", "xzxk")}, "wu")
    # front matter `department` cannot replace the category's department ...
    approve(
        repo,
        "zhao",
        {"content/xzxk/联合.md": item(21, "联合发文一", "xzxk", department="cwsjk")},
        "li",
    )
    # ... it adds one: both departments approve
    approve(
        repo,
        "zhao",
        {"content/xzxk/联合二.md": item(22, "联合发文二", "xzxk", department="cwsjk")},
        "li",
        "wu",
    )
    # an approved attachment, then replaced by a push
    approve(repo, "tester", {"content/tzgg/attachments/名单.txt": "第二版附件\n"}, "wang")
    repo.push("tester", {"content/tzgg/attachments/名单.txt": "推送替换的附件\n"})
    # every other input of the site, pushed without approval
    catalog = CATALOG.replace("0000-1234500", "0000-6666666").replace(
        "review:\n", "review:\n  api_url: http://attacker.example/\n"
    )
    repo.push(
        "tester",
        {
            "content/pages/evil.md": "# 未经审核的页面\n\n恶意页面正文。\n",
            "content/pages/evil.js": "alert('未经审核的脚本')\n",
            "content/annual/2025.md": ANNUAL_MD.replace("2025年", "推送篡改的2025年", 1),
            "catalog.yml": catalog,
            "theme/assets/gongkai.js": "/* 推送篡改的脚本 */\n",
            "generator/marker.py": "APPROVED = False  # pushed\n",
            "pyproject.toml": "[project]\nname = 'evil'\n",
            ".github/workflows/evil.yml": "on: push\n",
        },
    )
    # a pull request that adds its own helper as a reviewer, approved by that helper
    approve(
        repo,
        "tester",
        {
            "catalog.yml": CATALOG.replace(
                "      - {login: wang, identity: 王芳 <wang@example.gov.cn>}\n",
                "      - {login: wang, identity: 王芳 <wang@example.gov.cn>}\n"
                "      - {login: zhao, identity: 赵敏 <zhao@example.gov.cn>}\n",
            ),
            "content/tzgg/self.md": item(30, "自己加审核人的通知"),
        },
        "zhao",
    )
    # self-approval: the approver wrote a commit under the same name and another e-mail
    pull = repo.open("tester", {"content/zcjd/sun.md": item(61, "孙慧起草的解读", "zcjd")})
    repo.git("config", "user.name", "孙 慧")
    repo.git("config", "user.email", "sun.home@qq.com")
    repo.git("checkout", "-q", pull.branch)
    repo.write({"content/zcjd/sun.md": item(61, "孙慧起草的解读", "zcjd", body="孙慧写的。")})
    repo.git("commit", "-qam", "孙慧的修改")
    pull.head = repo.sha()
    repo.git("checkout", "-q", "main")
    repo.review(pull, "sun")
    repo.merge(pull)
    # on GitHub a reviewer who wrote commits of the pull request is an author too
    pull = repo.open("tester", {"content/xzxk/wu.md": item(23, "吴涛写的许可", "xzxk")})
    repo.add(pull, "wu", {"content/xzxk/wu.md": item(23, "吴涛写的许可", "xzxk", body="吴涛改。")})
    repo.review(pull, "wu")
    repo.merge(pull)
    # approval not on the final head
    pull = repo.open("tester", {"content/tzgg/late.md": item(31, "批准后又改的通知")})
    repo.review(pull, "wang")
    repo.add(pull, "tester", {"content/tzgg/late.md": item(31, "批准后又改的通知", body="偷改。")})
    repo.merge(pull)
    # a later comment does not cancel an approval; a request for changes does
    pull = repo.open("tester", {"content/tzgg/comment.md": item(32, "批准后有评论的通知")})
    repo.review(pull, "wang")
    repo.review(pull, "wang", "COMMENTED")
    repo.merge(pull)
    pull = repo.open("tester", {"content/tzgg/changes.md": item(33, "批准后要求修改的通知")})
    repo.review(pull, "wang")
    repo.review(pull, "wang", "CHANGES_REQUESTED")
    repo.merge(pull)
    pull = repo.open("tester", {"content/tzgg/dismissed.md": item(34, "批准被撤销的通知")})
    repo.review(pull, "wang")
    repo.review(pull, "wang", "DISMISSED")
    repo.merge(pull)
    # unapproved deletion, withdrawal, disclosure change and postponement
    repo.push(
        "tester",
        {
            "content/tzgg/del.md": None,
            "content/tzgg/withdraw.md": item(2, "将被撤回的通知", body="撤回前的正文。").replace(
                "---\n\n", f"{WITHDRAWN}\n---\n\n"
            ),
            "content/tzgg/disc.md": item(
                4,
                "公开属性将被改的通知",
                disclosure="不予公开",
                disclosure_basis="《条例》第十四条",
            ),
            "content/tzgg/post.md": item(5, "将被推迟的通知", date="2027-01-05"),
        },
    )
    # an urgent response approved while the changes above are held
    approve(
        repo,
        "tester",
        {
            "content/hygq/urgent.md": item(
                40, "紧急回应", "hygq", date="2026-11-29", written="2026-11-29"
            )
        },
        "wang",
    )
    # rename (a deletion and an addition, both judged), squash and rebase merges
    approve(
        repo,
        "tester",
        {
            "content/tzgg/ren.md": None,
            "content/tzgg/ren2.md": item(8, "将被改名的通知", body="改名正文。"),
        },
        "wang",
    )
    approve(
        repo,
        "tester",
        {"content/tzgg/squash.md": item(35, "压缩合并的通知")},
        "wang",
        style="squash",
    )
    pull = repo.open("tester", {"content/tzgg/rebase.md": item(36, "变基合并的通知")})
    repo.add(pull, "tester", {"content/tzgg/rebase2.md": item(37, "变基合并的第二条")})
    repo.review(pull, "wang")
    repo.merge(pull, "rebase")
    # an octopus merge of two approved pull requests
    first = repo.open("tester", {"content/tzgg/oct1.md": item(38, "章鱼一")})
    second = repo.open("tester", {"content/tzgg/oct2.md": item(39, "章鱼二")})
    repo.review(first, "wang")
    repo.review(second, "wang")
    repo.octopus([first, second])
    # a reviewer of another department updates an old branch, which brings main (with the
    # held push above) into it; the office approves
    repo.update_branch(early, "sun")
    repo.review(early, "wang")
    repo.merge(early)
    # the office replaces 政策法规科's reviewer; the old one no longer counts, the new one does
    approve(
        repo,
        "tester",
        {
            "catalog.yml": CATALOG.replace(
                "login: sun, identity: 孙慧 <sun@", "login: qian, identity: 钱磊 <qianlei@"
            )
        },
        "wang",
    )
    approve(
        repo, "tester", {"content/zcjd/by-sun.md": item(62, "旧审核人批准的解读", "zcjd")}, "sun"
    )
    approve(
        repo, "tester", {"content/zcjd/by-qian.md": item(63, "新审核人批准的解读", "zcjd")}, "qian"
    )
    # conflict resolution in the merge: an extra file and a change to the approved file
    approve(
        repo,
        "tester",
        {"content/tzgg/conf.md": item(41, "合并时夹带的通知")},
        "wang",
        extra={"content/tzgg/extra.md": item(42, "夹带的文件")},
    )
    approve(
        repo,
        "tester",
        {"content/tzgg/conf2.md": item(43, "合并时被改的通知", body="批准的版本。")},
        "wang",
        extra={"content/tzgg/conf2.md": item(43, "合并时被改的通知", body="合并时改的。")},
    )
    # a pull request merged into dev, fast-forwarded onto main
    repo.git("branch", "dev", "main")
    pull = repo.open("tester", {"content/tzgg/dev.md": item(44, "开发分支的通知")}, base="dev")
    repo.review(pull, "wang")
    repo.merge(pull)
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--ff-only", "dev")
    # generator/ changed through an approved pull request
    approve(repo, "tester", {"generator/marker.py": "APPROVED = 'second'\n"}, "wang")
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
    assert "个修改未获批准,暂不发布" in done.stderr
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
    assert (site / "assets/gongkai.js").read_bytes() == (
        ROOT / "theme/assets/gongkai.js"
    ).read_bytes()
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
    assert "::warning file=content/tzgg/a.md,title=未获批准%2C暂不发布::" in done.stdout
