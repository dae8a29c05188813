"""One "today" for the gate, the checks and the pages: a Beijing date, overridden by --today."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from generator.core.clock import beijing_today
from generator.core.project import load_project

from gatekit import CATALOG, TODAY, ForgeRepo, base_env, gongkai, item


def test_nightly_build_at_16_30_utc_is_already_tomorrow_in_beijing():
    assert beijing_today(datetime(2026, 11, 30, 16, 30, tzinfo=UTC)) == date(2026, 12, 1)
    assert beijing_today(datetime(2026, 11, 30, 15, 59, tzinfo=UTC)) == date(2026, 11, 30)
    new_york = timezone(timedelta(hours=-5))
    assert beijing_today(datetime(2026, 11, 30, 12, 0, tzinfo=new_york)) == date(2026, 12, 1)


def test_project_today_is_the_beijing_date(tmp_path):
    repo = ForgeRepo(tmp_path / "repo")
    before = beijing_today()
    today = load_project(repo.root).today
    assert today in (before, beijing_today())


def test_build_today_drives_the_deadline_checks_too(tmp_path):
    catalog = CATALOG.replace(
        "  - code: zcjd\n    name: 政策解读\n",
        "  - code: zcjd\n    name: 政策解读\n    interpretation: required\n",
    )
    document = item(60, "需要解读的文件", "zcjd", date="2026-11-02", written="2026-11-02")
    repo = ForgeRepo(tmp_path / "repo", {"catalog.yml": catalog, "content/zcjd/doc.md": document})
    early = gongkai(
        "build",
        "--today",
        "2026-11-03",
        "--site-dir",
        str(tmp_path / "a"),
        cwd=repo.root,
        env=base_env(),
    )
    late = gongkai(
        "build", "--today", TODAY, "--site-dir", str(tmp_path / "b"), cwd=repo.root, env=base_env()
    )
    assert early.returncode == late.returncode == 0, early.stderr + late.stderr
    assert "GK702" in early.stdout and "解读尚未发布" in early.stdout
    assert "GK702" in late.stdout and "解读已逾期" in late.stdout
