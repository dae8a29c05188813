"""GK172 (generator/checks/revisions.py): `validate --base` asks for a change note when a
published item's text or substance changes, not for a minor change or a new item."""

from __future__ import annotations

from helpers import run


def validate(bureau):
    return run("validate", "--base", "main", "--as-of", "2026-12-01", cwd=bureau.root)


def published(bureau, **changes):
    bureau.init_git()
    bureau.item(**changes)
    bureau.commit()


def test_substantive_change_of_a_published_item_without_note_is_an_error(bureau):
    published(bureau)
    bureau.item(title="关于开展文化市场专项检查的通知")
    done = validate(bureau)
    assert done.returncode == 1
    line = next(x for x in done.stdout.splitlines() if "GK172" in x)
    assert line.startswith("content/tzgg/a.md:2: GK172")  # the front matter (its first key)
    assert "change_note" in line and "change: minor" in line


def test_changed_body_without_note_is_an_error_and_a_new_note_settles_it(bureau):
    published(bureau)
    bureau.item_with_body("正文已更正。")
    assert "GK172" in validate(bureau).stdout
    path = bureau.item_with_body("正文已更正。", change_note="更正正文。")
    done = validate(bureau)
    assert done.returncode == 0, done.stdout
    assert path.read_text(encoding="utf-8").count("change_note") == 1


def test_the_published_note_again_is_not_a_note_for_this_change(bureau):
    published(bureau, change_note="第一次更正。")
    bureau.item(change_note="第一次更正。", doc_no="示文旅发〔2026〕3号")
    done = validate(bureau)
    assert done.returncode == 1
    assert "content/tzgg/a.md:8: GK172" in done.stdout  # the line of change_note
    assert "第一次更正。" in done.stdout


def test_minor_change_needs_no_note(bureau):
    published(bureau)
    bureau.item_with_body("正文，", change="minor")
    done = validate(bureau)
    assert done.returncode == 0, done.stdout


def test_new_or_unpublished_item_needs_no_note(bureau):
    published(bureau, date="2027-01-05", index_no="000014349/2027-00001")  # scheduled, not yet out
    bureau.item(date="2027-01-05", index_no="000014349/2027-00001", title="改过的标题")
    bureau.item("content/tzgg/b.md", index_no="000014349/2026-00002")
    done = validate(bureau)
    assert "GK172" not in done.stdout, done.stdout


def test_withdrawal_and_a_changed_note_alone_need_no_other_note(bureau):
    published(bureau, change_note="旧说明。")
    bureau.item(change_note="新说明。")
    assert "GK172" not in validate(bureau).stdout
    bureau.write(
        "content/tzgg/a.md",
        bureau.item(change_note="旧说明。")
        .read_text(encoding="utf-8")
        .replace("---\n\n", "withdrawn:\n  date: 2026-11-30\n  reason: 已过期。\n---\n\n", 1),
    )
    done = validate(bureau)
    assert "GK172" not in done.stdout, done.stdout
