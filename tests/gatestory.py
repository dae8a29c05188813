"""The life of one bureau's repository through every attack of issue #17 (tests/test_review.py
reads what the gated build made of it)."""

from __future__ import annotations

from gatekit import CATALOG, ROOT, ForgeRepo, item

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


def live(repo: ForgeRepo) -> None:
    """The repository's life after its first commit (GENESIS), oldest first."""
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
    before_push = repo.sha()
    repo.push(
        "tester",
        {
            "content/pages/evil.md": "# 未经审核的页面\n\n恶意页面正文。\n",
            "content/pages/evil.js": "alert（'未经审核的脚本'）\n",
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
    # generator/ changed through an approved pull request, opened before the push above: the
    # reviewers' diff replaces the approved version, the merge resolves the conflict with the
    # pushed one by taking the reviewed version. (A pull request opened after the push, whose
    # diff only replaces the pushed line, would not approve the file: see test_rt_launder.)
    marker = {"generator/marker.py": "APPROVED = 'second'\n"}
    pull = repo.open("tester", marker, base=before_push)
    pull.base = "main"
    repo.review(pull, "wang")
    repo.merge(pull, extra=marker)
