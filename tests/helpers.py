"""Helpers shared by tests: small bureaus built in tmp_path, and the real command line."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from generator.checks import check
from generator.core.problems import Problem
from generator.core.project import load_project

GONGKAI = [sys.executable, "-m", "generator.cli.main"]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    return subprocess.run([*GONGKAI, *args], cwd=cwd, capture_output=True, text=True, env=env)


CATALOG = """\
site:
  name: 测试局政府信息公开
  base_url: https://example.gov.cn/
organization:
  name: 测试市文化和旅游局
  code: "000014349"
index_number:
  template: "{org}/{year}-{serial:05d}"
  scope: year
departments:
  - id: bgs
    name: 办公室
    reviewers: [wang]
  - id: zcfgk
    name: 政策法规科
    reviewers:
      - login: sun
        identity: 孙慧 <sun@example.gov.cn>
categories:
  - code: zcwj
    name: 政策文件
    department: zcfgk
    children:
      - code: gfxwj
        name: 行政规范性文件
        normative: true
        required: [doc_no]
  - code: zcjd
    name: 政策解读
    department: zcfgk
  - code: zqyj
    name: 征求意见
    department: zcfgk
  - code: tzgg
    name: 通知公告
    department: bgs
"""

ITEM = """\
---
title: 关于开展文化市场检查的通知
category: tzgg
index_no: 000014349/2026-00001
date: 2026-03-05
written: 2026-03-01
disclosure: 主动公开
---

正文。
"""


def item_text(**changes: str | None) -> str:
    """The standard item with keys replaced (value) or removed (None)."""
    lines = ITEM.splitlines()
    end = lines.index("---", 1)
    meta = dict(line.split(": ", 1) for line in lines[1:end])
    for key, value in changes.items():
        if value is None:
            meta.pop(key, None)
        else:
            meta[key] = value
    front = "\n".join(f"{k}: {v}" for k, v in meta.items())
    return f"---\n{front}\n---\n\n正文。\n"


class Bureau:
    def __init__(self, root: Path):
        self.root = root
        self.write("catalog.yml", CATALOG)
        (root / "content").mkdir()

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(
                textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8"
            )
        return path

    def item(self, rel: str = "content/tzgg/a.md", **changes: str | None) -> Path:
        return self.write(rel, item_text(**changes))

    def item_with_body(
        self, body: str, rel: str = "content/tzgg/a.md", **changes: str | None
    ) -> Path:
        """The standard item (with `changes`) whose body is `body`."""
        return self.write(rel, item_text(**changes).replace("正文。", body))

    def problems(self) -> list[Problem]:
        return check(load_project(self.root))

    def codes(self) -> list[str]:
        return [p.code for p in self.problems()]

    def git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(self.root), *args], capture_output=True, text=True, check=True
        )
        return done.stdout

    def init_git(self) -> None:
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "测试员")
        self.git("config", "user.email", "tester@example.gov.cn")

    def commit(self, message: str = "change") -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
