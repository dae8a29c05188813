"""The review summary of a pull request: every changed file the gate judges, the departments that
must approve it and who may (from the catalog at the base, which is the one the gate will use),
shown in the pull request's job summary."""

from __future__ import annotations

from generator.core.catalog import Department
from generator.core.git_history import GitError
from generator.core.project import CONTENT_DIR, Project
from generator.core.screening import mask_personal
from generator.publishing.review.paths import Owners, is_gated
from generator.publishing.review.repo import Repo
from generator.publishing.review.state import Catalogs

STATUS = {"A": "新增", "M": "修改", "D": "删除", "T": "类型改变"}


def _reviewers(department: Department | None) -> str:
    if department is None:
        return "（未登记审核人）"
    return (
        "、".join(f"@{r.login}" if r.login else str(r) for r in department.reviewers)
        or "（未登记审核人）"
    )


def changed(repo: Repo, base: str) -> list[tuple[str, str]]:
    """(status letter, path) of every gated file changed since the merge-base with `base`."""
    out = repo.run("diff", "--name-status", "-z", "--no-renames", f"{base}...HEAD")
    tokens = out.decode("utf-8", "surrogateescape").split("\0")
    pairs = zip(tokens[0::2], tokens[1::2], strict=False)
    return [(status[:1], path) for status, path in pairs if path and is_gated(path)]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(project: Project, base: str) -> str:
    repo = Repo(project.root)
    commit = repo.commit_of(base)
    if commit is None:
        raise GitError(f"找不到 Git 引用“{base}”，请确认分支名称正确（CI 中可能需要先 git fetch）")
    catalogs = Catalogs(repo)
    catalogs.use(repo.value_at(commit, "catalog.yml"))
    catalog = catalogs.current or project.catalog
    owners = Owners(catalog)
    by_path = {f"{CONTENT_DIR}/{i.rel.as_posix()}": i for i in project.items}
    lines = [
        "## 本次合并请求的审核",
        "",
        "| 变更 | 文件 | 索引号 | 标题 | 须由哪些科室审核 | 可以审核的人 |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for status, path in changed(repo, base):
        item = by_path.get(path)
        added = item.department if item is not None else None
        departments = [catalog.departments.get(d) for d in owners.departments(path, added)]
        who = "、".join(d.name for d in departments if d) or "（目录中没有该科室）"
        may = ";".join(_reviewers(d) for d in departments)
        number = _cell(item.index_no or "") if item else ""
        title = _cell(item.title or "") if item else ""
        lines.append(
            f"| {STATUS.get(status, status)} | `{_cell(path)}` | {number} | {title} | {who} | {may} |"
        )
    if len(lines) == 4:
        lines.append("| | 没有修改须审核的文件 | | | | |")
    lines += [
        "",
        "审核人以合并请求目标分支上已批准的 catalog.yml 为准：本次修改中对审核人的改动，要在合并之后才生效。",
        "须由几个科室审核的，每个科室都要有一位审核人批准。审核人不能审核自己撰写的修改"
        "（谁制作、谁审查、谁负责）；批准后如有新的提交，须重新批准。",
    ]
    # shown in the pull request's job summary: the one mask for every number in it
    return mask_personal("\n".join(lines) + "\n")
