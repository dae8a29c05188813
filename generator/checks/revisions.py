"""GK172: an edit of a published item says what changed (修订说明), unless it is minor.

Compared with the version at `validate --base REF` (the pull request's target branch, the last
approved state): a published item whose text or a substantive field changed needs a `change_note`
other than the one already published, or `change: minor` (a typo, the layout). What "published"
means is the site's own rule (`is_published` as of the project's today).
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

from generator.core.git_history import markdown_files_at
from generator.core.item import Item, build_item
from generator.core.problems import Problem, error
from generator.core.project import Project, UnusableFile, split_front_matter
from generator.core.public_set import is_published
from generator.core.textfile import decode

# Keys that describe the change itself, or a withdrawal (which states its own reason)
NOT_SUBSTANTIVE = frozenset({"change_note", "change", "withdrawn"})


def substance(item: Item) -> tuple[dict[str, Any], str]:
    """What a reader of the item sees change: its fields but the change's own, and its text."""
    fields = {k: v for k, v in item.meta.items() if k not in NOT_SUBSTANTIVE}
    return fields, item.body.strip()


def items_at(project: Project, ref: str) -> dict[str, Item]:
    """Index number -> the item as it was at `ref` (files that cannot be read are skipped)."""
    found: dict[str, Item] = {}
    for rel, data in markdown_files_at(project.root, ref):
        path = project.content_dir / rel
        text, problem = decode(data, path)
        if problem is not None:
            continue
        try:
            src, body, body_line = split_front_matter(text, path)
        except UnusableFile:
            continue
        item = build_item(path, PurePosixPath(rel), src, body, body_line)
        if item.index_no:
            found.setdefault(item.index_no, item)
    return found


def unexplained_changes(project: Project, ref: str) -> list[Problem]:
    """GK172 for each published item changed since `ref` without a new change note."""
    before = items_at(project, ref)
    problems = []
    for item in project.items:
        old = before.get(item.index_no or "")
        if old is None or not is_published(old, project.today) or item.change == "minor":
            continue
        if substance(item) == substance(old):
            continue
        if item.change_note and item.change_note != old.change_note:
            continue
        problems.append(_problem(item.path, item.line("change_note"), ref, old.change_note))
    return problems


def _problem(path: Path, line: int, ref: str, published: str | None) -> Problem:
    same = f"与已发布的修订说明“{published}”相同" if published else "没有写修订说明"
    return error(
        path,
        line,
        "GK172",
        f"这条信息已经发布（{ref}），本次修改了正文或元数据，但{same}。"
        "请写明 change_note（修订说明，向公众说明改了什么），"
        "或者只是改错别字、调整格式的，标记 change: minor",
    )
