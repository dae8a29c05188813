"""The notice above an item's title and the label of its end date follow its state at build
time: 有效期至 while in force, 失效日期 once lapsed, 废止日期 and 废止文件 once repealed, and a
repeal published but not yet in force is announced (issue #20)."""

from __future__ import annotations

from datetime import date

from generator.core.project import load_project
from generator.core.public_set import public_set
from generator.pages.views import item_context

from helpers import Bureau

OLD = "000014349/2026-00001"
NEW = "000014349/2026-00002"


def contexts(bureau: Bureau, today: date) -> dict[str, dict]:
    site = public_set(load_project(bureau.root), today)
    return {i.index_no: item_context(site, i) for i in site.pages}


def repeal_old(bureau: Bureau, **changes: str | None) -> None:
    """新通知, published 2026-04-01, repeals the standard item (OLD) from 2026-05-01."""
    fields = {"date": "2026-04-01", "effective": "2026-05-01", **changes}
    bureau.item("content/tzgg/b.md", index_no=NEW, title="新通知", repeals=f"[{OLD}]", **fields)


def labels(context: dict) -> dict[str, str]:
    return dict(context["rows"])


def test_end_date_is_labelled_by_state(bureau):
    bureau.item(expires="2026-06-30")
    before = contexts(bureau, date(2026, 6, 30))[OLD]
    assert labels(before)["有效期至"] == "2026-06-30" and before["notice"] is None
    after = contexts(bureau, date(2026, 7, 1))[OLD]
    assert labels(after)["失效日期"] == "2026-06-30" and "有效期至" not in labels(after)
    assert (after["notice"].kind, after["notice"].day) == ("expired", "2026年6月30日")


def test_repeal_is_announced_then_dated_with_the_repealing_document(bureau):
    bureau.item()
    repeal_old(bureau)
    pending = contexts(bureau, date(2026, 4, 15))[OLD]
    assert (pending["notice"].kind, pending["notice"].day) == ("pending", "2026年5月1日")
    assert "废止日期" not in labels(pending) and pending["repealed_by"] == []
    repealed = contexts(bureau, date(2026, 5, 1))[OLD]
    assert (repealed["notice"].kind, repealed["notice"].day) == ("repealed", "2026年5月1日")
    assert [link.title for link in repealed["notice"].by] == ["新通知"]
    assert labels(repealed)["废止日期"] == "2026-05-01"
    assert [link.title for link in repealed["repealed_by"]] == ["新通知"]


def test_interpretation_of_a_repealed_document_says_so(bureau):
    """A reader who lands on the interpretation is told its document is no longer in force."""
    bureau.item()
    bureau.item(
        "content/tzgg/jd.md",
        index_no="000014349/2026-00003",
        title="《通知》解读",
        type="interpretation",
        interprets=OLD,
    )
    repeal_old(bureau)
    before = contexts(bureau, date(2026, 3, 10))["000014349/2026-00003"]
    assert before["notice"] is None
    after = contexts(bureau, date(2026, 5, 1))["000014349/2026-00003"]
    assert (after["notice"].kind, after["notice"].day) == ("repealed", "2026年5月1日")
    assert after["notice"].about.index_no == OLD
    assert [link.title for link in after["notice"].by] == ["新通知"]


def test_a_title_holding_book_marks_is_quoted_with_the_inner_marks(bureau):
    """GB/T 15834: 《》 inside 《》 become 〈〉, as in 《关于印发〈X办法〉的通知》."""
    from pathlib import Path

    import jinja2

    theme = Path(__file__).resolve().parents[1] / "generator" / "site" / "theme"
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(theme), autoescape=True)
    env.filters["url"] = lambda path: "../" + path
    bureau.item(title="关于印发《示例办法》的通知")
    bureau.item(
        "content/tzgg/jd.md",
        index_no="000014349/2026-00003",
        title="《示例办法》解读",
        type="interpretation",
        interprets=OLD,
    )
    repeal_old(bureau, effective=None)
    context = contexts(bureau, date(2026, 5, 1))["000014349/2026-00003"]
    html = env.get_template("partials/gk-state-notice.html").render(
        gk=context, subject="本文件", documents=True
    )
    assert "所解读的文件<a" in html and "《关于印发〈示例办法〉的通知》</a>" in html
    attachment = env.get_template("partials/gk-state-notice.html").render(
        gk=context, subject="本附件所属文件", documents=False
    )
    assert "本附件所属解读所解读的文件<a" in attachment and "新通知" not in attachment
