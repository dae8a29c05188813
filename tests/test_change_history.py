"""Change history (修订记录): earlier versions come only from the approved history that gated
publications recorded (generator/publishing/review/versions.py), render read-only at
`item/<no>/v/<N>/`, and are listed in the JSON record. Real Git repositories and a local forge."""

from __future__ import annotations

import base64
import json
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from gatekit import TODAY, ForgeRepo, gongkai, item, site_text
from gatestub import Server, reset_stub

ROOT = Path(__file__).parents[1]
SCHEMA = json.loads((ROOT / "docs/item.schema.json").read_text(encoding="utf-8"))
ITEM = "item/000014349/2026-00001/"
LEAK = "item/000014349/2026-00002/"
WITHDRAWN = "withdrawn: {date: 2026-11-20, reason: 含有不应公开的内容，撤回。}"


def noted(number: int, title: str, body: str, **meta) -> str:
    return item(number, title, body=body, **meta)


class Stages:
    """The sites of one repository's life, each built with the previous publish record."""

    def __init__(self, tmp: Path, server: Server):
        self.tmp, self.server, self.record = tmp, server, None
        self.repo = ForgeRepo(
            tmp / "repo",
            {
                "content/tzgg/b.md": item(2, "含个人信息的通知", body="张三家庭困难情况说明。"),
                "content/tzgg/c.md": item(3, "将被推送修改的通知", body="丙初版。"),
            },
        )

    def approve(self, files: dict, login: str = "wang") -> None:
        pull = self.repo.open("tester", files)
        self.repo.review(pull, login)
        self.repo.merge(pull)

    def build(self, name: str) -> Path:
        site = self.tmp / name
        reset_stub(self.repo)
        args = ["--record", str(self.record)] if self.record else []
        done = gongkai(
            "build", "--gate", "--provider", "github", "--site-dir", str(site),
            "--today", TODAY, *args, cwd=self.repo.root, env=self.server.env("github"),
        )  # fmt: skip
        assert done.returncode in (0, 3), done.stdout + done.stderr  # 3: changes held
        self.record = self.tmp / f"{name}.json"
        self.record.write_bytes((site / "gongkai-publish.json").read_bytes())
        return site


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    server = Server()
    try:
        life = Stages(tmp_path_factory.mktemp("history"), server)
        found = {"first": life.build("first")}
        # an approved change that no build showed: never a version
        life.approve({"content/tzgg/a.md": noted(1, "通知", "从未发布的正文。", change_note="甲")})
        life.approve(
            {
                "content/tzgg/a.md": noted(1, "通知", "第二版正文。", change_note="更正第二段。"),
                "content/tzgg/b.md": item(
                    2, "含个人信息的通知", body="已删除个人信息。", change_note="删除个人信息。",
                    change="redact",
                ),
                "content/tzgg/c.md": item(3, "将被推送修改的通知", body="丙二版。", change_note="乙"),
            }
        )  # fmt: skip
        found["second"] = life.build("second")
        # a push nobody approved, then held: its text is never a version
        life.repo.push("tester", {"content/tzgg/c.md": item(3, "通知", body="推送的正文。")})
        found["pushed"] = life.build("pushed")
        life.approve(
            {
                "content/tzgg/a.md": noted(1, "通知", "第三版正文。", change_note="第三次修订。"),
                "content/tzgg/b.md": item(2, "含个人信息的通知", body="再次更新。", change_note="更新。"),
            }
        )  # fmt: skip
        found["third"] = life.build("third")
        withdrawn = noted(1, "通知", "（已撤回）").replace("---\n\n", f"{WITHDRAWN}\n---\n\n")
        life.approve({"content/tzgg/a.md": withdrawn})
        found["withdrawn"] = life.build("withdrawn")
        life.approve(
            {"content/tzgg/a.md": noted(1, "通知", "恢复后的正文。", change_note="恢复。")}
        )
        found["restored"] = life.build("restored")
        yield found
    finally:
        server.close()


def page(site: Path, address: str) -> str:
    return (site / address / "index.html").read_text(encoding="utf-8")


def record(site: Path, address: str) -> dict:
    return json.loads((site / address / "index.json").read_text(encoding="utf-8"))


class History(HTMLParser):
    """The rows of the page's 修订记录 table: (date, note, link or None)."""

    def __init__(self, html: str):
        super().__init__()
        self.inside, self.rows, self.cell, self.link = False, [], None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and attrs.get("class") == "gk-history":
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag == "td":
            self.cell = ""
        elif self.inside and tag == "a" and self.cell is not None:
            self.link = attrs.get("href")

    def handle_endtag(self, tag):
        if tag == "section":
            self.inside = False
        elif self.inside and tag == "td" and self.rows:
            self.rows[-1].append((self.cell.strip(), self.link))
            self.cell, self.link = None, None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def rows(html: str) -> list[tuple[str, str, str | None]]:
    return [(r[0][0], r[1][0], r[2][1]) for r in History(html).rows if len(r) == 3]


def test_first_publication_has_no_history(sites):
    assert rows(page(sites["first"], ITEM)) == []
    assert record(sites["first"], ITEM)["versions"] == []
    assert not (sites["first"] / ITEM / "v").exists()


def test_changed_item_shows_its_note_and_the_published_version_at_a_stable_address(sites):
    site = sites["second"]
    shown = rows(page(site, ITEM))
    assert [r[1] for r in shown] == ["更正第二段。", "首次发布"]
    assert shown[0][2] is None and shown[1][2].endswith("v/1/")
    assert shown[1][0] == "2026-03-05"  # the first version's 发布日期
    old = page(site, ITEM + "v/1/")
    assert "初始正文。" in old and "此为历史版本" in old
    assert '<meta name="robots" content="noindex">' in old
    assert 'href="../../"' in old or "/" + ITEM in old  # the notice links the current page
    assert "第二版正文。" in page(site, ITEM)
    assert "从未发布的正文。" not in site_text(site)  # approved, but replaced before any build


def test_json_record_lists_the_versions_and_validates(sites):
    site = sites["third"]
    data = record(site, ITEM)
    jsonschema.validate(data, SCHEMA)
    assert [(v["version"], v["note"], v["url"]) for v in data["versions"]] == [
        (1, "首次发布", ITEM + "v/1/"),
        (2, "更正第二段。", ITEM + "v/2/"),
    ]
    assert data["change_note"] == "第三次修订。"
    assert data["versions"][1]["date"] == data["versions"][0]["until"]
    for version in data["versions"]:
        assert (site / version["url"] / "index.html").is_file()
    assert "第二版正文。" in page(site, ITEM + "v/2/")


def test_an_unapproved_push_never_becomes_a_version(sites):
    for stage in ("pushed", "third", "restored"):
        assert "推送的正文。" not in site_text(sites[stage]), stage
    pushed = "item/000014349/2026-00003/"
    assert [v["version"] for v in record(sites["third"], pushed)["versions"]] == [1]
    assert "丙二版。" in page(sites["third"], pushed)


def test_a_redaction_takes_the_earlier_versions_down_for_good(sites):
    for stage in ("second", "pushed", "third", "restored"):
        assert "张三家庭困难情况说明" not in site_text(sites[stage]), stage
    assert record(sites["second"], LEAK)["versions"] == []
    # the next change keeps the corrected version only
    later = record(sites["third"], LEAK)["versions"]
    assert [v["version"] for v in later] == [1]
    assert "已删除个人信息。" in page(sites["third"], LEAK + "v/1/")


def test_a_withdrawn_items_versions_are_gone_and_stay_gone(sites):
    for stage in ("withdrawn", "restored"):
        site = sites[stage]
        assert not (site / ITEM / "v").exists(), stage
        text = site_text(site)
        for body in ("初始正文。", "第二版正文。", "第三版正文。"):
            assert body not in text, (stage, body)
        published = json.loads((site / "gongkai-publish.json").read_text(encoding="utf-8"))
        assert "000014349/2026-00001" not in published["history"], stage
    assert rows(page(sites["restored"], ITEM)) == []


def gated(life: Stages, *args: str, command: str = "build") -> object:
    reset_stub(life.repo)
    record = ["--record", str(life.record)] if life.record else []
    return gongkai(
        command, *args, "--provider", "github", *record,
        cwd=life.repo.root, env=life.server.env("github"),
    )  # fmt: skip


def test_two_stage_publication_carries_the_versions_to_the_build_and_checks_each(tmp_path):
    server = Server()
    try:
        life = Stages(tmp_path, server)
        life.build("first")
        life.approve({"content/tzgg/a.md": noted(1, "通知", "第二版正文。", change_note="修订。")})
        out, result = tmp_path / "approved", tmp_path / "result.json"
        done = gated(life, "--out", str(out), "--result", str(result), command="gate")
        assert done.returncode == 0, done.stderr
        data = json.loads(result.read_text(encoding="utf-8"))
        [blob] = [e["blob"] for e in data["history"]["000014349/2026-00001"]]
        assert blob in data["texts"]
        site = tmp_path / "two-stage"
        args = ["build", str(out), "--gate-result", str(result), "--site-dir", str(site)]
        done = gongkai(*args, "--today", TODAY, cwd=tmp_path, env=server.env("github"))
        assert done.returncode == 0, done.stderr
        assert "初始正文。" in page(site, ITEM + "v/1/")
        # a text that is not the blob the history names is never shown as that version
        forged = base64.b64encode(noted(1, "通知", "伪造的旧版本。").encode()).decode()
        data["texts"][blob] = forged
        result.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        done = gongkai(*args, "--today", TODAY, cwd=tmp_path, env=server.env("github"))
        assert done.returncode == 0, done.stderr
        assert "伪造的旧版本。" not in site_text(site)
        assert not (site / ITEM / "v").exists()
    finally:
        server.close()


def test_a_version_that_fails_todays_screen_is_left_off(tmp_path):
    server = Server()
    try:
        life = Stages(tmp_path, server)
        life.build("first")
        life.approve({"content/tzgg/a.md": noted(1, "通知", "第二版正文。", change_note="修订。")})
        assert (life.build("second") / ITEM / "v/1/index.html").is_file()
        catalog = (life.repo.root / "catalog.yml").read_text(encoding="utf-8")
        life.approve({"catalog.yml": catalog + "screening:\n  words: [初始正文]\n"})
        done = gated(life, "--gate", "--site-dir", str(tmp_path / "third"), "--today", TODAY)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "第 1 版历史版本未通过保密审查" in done.stderr
        assert "初始正文" not in site_text(tmp_path / "third")
        assert "第二版正文。" in page(tmp_path / "third", ITEM)
    finally:
        server.close()


def test_an_earlier_version_whose_attachment_is_gone_is_shown_without_its_links(tmp_path):
    server = Server()
    try:
        life = Stages(tmp_path, server)
        linked = "见[名单](attachments/名单.txt)和<a href='../2026-00002/'>另一条</a>。"
        life.approve(
            {
                "content/tzgg/a.md": item(
                    1, "通知", body=linked, attachments="[attachments/名单.txt]"
                ),
                "content/tzgg/attachments/名单.txt": "名单内容\n",
            }
        )
        life.build("first")
        life.approve(
            {
                "content/tzgg/a.md": noted(1, "通知", "名单已撤下。", change_note="撤下名单。"),
                "content/tzgg/attachments/名单.txt": None,
            }
        )
        site = life.build("second")
        old = page(site, ITEM + "v/1/")
        assert "见" in old and "名单" in old and "另一条" in old
        assert "attachments/" not in old and "2026-00002" not in old.split("gk-article")[1]
        assert not (site / ITEM / "attachments").exists()
    finally:
        server.close()
