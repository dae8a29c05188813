"""`gongkai inspect`: the inspection on its own, against a built site folder."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from generator.core.catalog import CatalogError
from generator.core.problems import FORMATTERS, Problem, warning
from generator.core.project import load_project
from generator.inspection.links import unreachable
from generator.inspection.run import inspect_site


def add_parser(sub: argparse._SubParsersAction) -> None:
    inspect = sub.add_parser(
        "inspect",
        help="按全国政府网站检查指标检查已生成的网站",
        description="检查已生成的网站：首页和栏目更新、空白栏目、站内链接和附件、页脚要素和监测元数据、"
        "严重表述错误（国办秘函〔2019〕19号）。有错误时状态为 1。",
    )
    inspect.add_argument("root", nargs="?", default=".", help="仓库根目录（默认当前目录）")
    inspect.add_argument("--site-dir", metavar="DIR", help="已生成的网站文件夹（默认 ROOT/site）")
    inspect.add_argument("--today", metavar="YYYY-MM-DD", help="按该日期检查更新期限（默认今天）")
    inspect.add_argument(
        "--format",
        choices=sorted(FORMATTERS),
        default="text",
        help="输出格式：text（默认）、json、github（流水线注释）",
    )
    inspect.add_argument(
        "--external", action="store_true", help="同时检查外部链接能否打开（需要联网）"
    )
    inspect.add_argument(
        "--list-external", action="store_true", help="只列出外部链接（每行一个），不检查"
    )


def run(args: argparse.Namespace) -> int:
    root = Path(args.root)
    site_dir = Path(args.site_dir) if args.site_dir else root / "site"
    try:
        today = date.fromisoformat(args.today) if args.today else None
    except ValueError:
        print(f"gongkai：--today 应写作 YYYY-MM-DD，收到“{args.today}”", file=sys.stderr)
        return 2
    if not root.is_dir():
        print(f"gongkai：找不到文件夹 {root}，请指定仓库根目录", file=sys.stderr)
        return 2
    if not (site_dir / "index.html").is_file():
        print(f"gongkai：{site_dir} 中没有已生成的网站，请先运行 gongkai build", file=sys.stderr)
        return 2
    try:
        project = load_project(root)
    except CatalogError as exc:
        sys.stdout.write(FORMATTERS[args.format]([exc.problem]))
        return 2
    report = inspect_site(project, site_dir, today)
    if args.list_external:
        sys.stdout.write("".join(f"{url}\n" for url in report.external))
        return 0
    problems = report.problems + (_external(report.external, site_dir) if args.external else [])
    sys.stdout.write(FORMATTERS[args.format](problems))
    if args.format == "text":
        print(
            f"已检查 {report.pages} 个页面；外部链接 {len(report.external)} 个"
            + ("。" if args.external else "（未检查，可用 --external 检查）。")
        )
    return 1 if any(p.is_error for p in problems) else 0


def _external(urls: list[str], site_dir: Path) -> list[Problem]:
    return [
        warning(site_dir / "index.html", 1, "GK412", f"外部链接无法打开：{url}({why})")
        for url, why in unreachable(urls).items()
    ]
