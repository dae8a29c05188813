"""`gongkai`: thin commands over the library. Exit 0 fine, 1 errors found (or the work could not
be done), 2 unusable call, 70 an internal error (a bug: details in a log file), 130 and 143
stopped by Ctrl-C or SIGTERM. No traceback ever reaches the user."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import multiprocessing
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from generator.authoring import init as portal_init
from generator.authoring.importer import import_paths
from generator.authoring.new import NewItemError, create_item
from generator.checks import check
from generator.checks.deadlines import obligation_rows
from generator.checks.revisions import unexplained_changes
from generator.cli import gate as review_commands
from generator.cli.opendata import COMMANDS as OPEN_DATA_COMMANDS
from generator.cli.opendata import add_parsers as add_open_data_parsers
from generator.core import git_history as history
from generator.core.catalog import CatalogError, load_catalog
from generator.core.failure import EXIT_BUG, EXIT_SIGNAL, os_error_text, unexpected
from generator.core.interrupts import Interrupted, raised
from generator.core.problems import (
    FORMATTERS,
    Problem,
    display_path,
    format_text,
    masked_output,
    one_line,
    sort_problems,
)
from generator.core.project import Project, load_project
from generator.core.public_set import public_set
from generator.inspection import command as inspection_command
from generator.publishing.outdir import PREVIEW, refusal
from generator.publishing.review import codeowners
from generator.reports.annual import load_annual
from generator.reports.annual import write_report as write_annual
from generator.reports.catalog_report import as_dicts as catalog_dicts
from generator.reports.catalog_report import rows as catalog_rows
from generator.site.publish import run_build

# argparse's own words, in Chinese: staff read every message of this tool.
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：命令有误：%(message)s\n",
    "the following arguments are required: %s": "缺少必填参数：%s",
    "unrecognized arguments: %s": "不认识的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的取值 %(value)r（可选：%(choices)s）",
    "expected one argument": "需要一个值",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s:%(message)s",
}
argparse._ = lambda text: _ARGPARSE_ZH.get(text, text)  # type: ignore[attr-defined]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gongkai", description="政府信息公开发布工具")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")

    validate = sub.add_parser(
        "validate",
        help="检查目录和全部信息的元数据",
        description="检查 catalog.yml 和 content/ 下的全部信息，一次列出所有问题。",
    )
    validate.add_argument("root", nargs="?", default=".", help="仓库根目录（默认当前目录）")
    validate.add_argument(
        "--format",
        choices=sorted(FORMATTERS),
        default="text",
        help="输出格式：text（默认）、json、github（流水线注释）",
    )
    validate.add_argument(
        "--base", metavar="REF", help="与该 Git 引用比较，报告被修改或消失的已发布索引号"
    )
    validate.add_argument("--as-of", metavar="YYYY-MM-DD", help="按该日期检查期限（默认今天）")

    new = sub.add_parser(
        "new",
        help="新建一条信息，自动分配索引号",
        description="按目录分类新建一条信息，分配从未用过的下一个索引号。",
    )
    new.add_argument(
        "--category", required=True, metavar="代码", help="目录分类代码（见 catalog.yml）"
    )
    new.add_argument("--title", required=True, metavar="标题", help="信息标题")
    new.add_argument(
        "--type",
        default="document",
        metavar="类型",
        help="document（默认）、interpretation、consultation、response",
    )
    new.add_argument("--root", default=".", help="仓库根目录（默认当前目录）")
    report = sub.add_parser("report", help="生成报告", description="生成报告。")
    kinds = report.add_subparsers(dest="report", required=True, metavar="报告")
    for name, help_text, description, as_of in [
        (
            "deadlines",
            "各科室已逾期和即将到期的事项",
            "按科室列出已逾期和即将到期的政策解读、征求意见采纳情况等事项。",
            "按该日期计算（默认今天）",
        ),
        (
            "catalog",
            "目录与实际公开信息是否一致",
            "列出每个目录分类的信息数量、最近更新日期、空分类和未按期更新的分类。",
            "按该日期统计（默认今天）",
        ),
    ]:
        dated = kinds.add_parser(name, help=help_text, description=description)
        dated.add_argument("root", nargs="?", default=".", help="仓库根目录（默认当前目录）")
        dated.add_argument("--as-of", metavar="YYYY-MM-DD", help=as_of)
        dated.add_argument("--format", choices=["text", "json"], default="text", help="输出格式")
    annual = kinds.add_parser(
        "annual",
        help="政府信息公开工作年度报告（网页和 Word 版）",
        description="根据 content/annual/YEAR.yml 和已发布的信息生成年度报告，检查各表数字是否平衡。",
    )
    annual.add_argument("year", type=int, metavar="年份", help="报告年度，例如 2025")
    annual.add_argument("root", nargs="?", default=".", help="仓库根目录（默认当前目录）")
    annual.add_argument("--out", metavar="DIR", help="输出文件夹（默认 ROOT/report）")

    importer = sub.add_parser(
        "import",
        help="把 Word 文档（.docx）导入为待审核的信息",
        description="读取 .docx 的标题、文号、成文日期和正文，生成带索引号的信息；公开属性须由作者决定。",
    )
    importer.add_argument(
        "files", nargs="+", metavar="文件", help=".docx 文件或包含 .docx 的文件夹"
    )
    importer.add_argument("--category", required=True, metavar="代码", help="目录分类代码")
    importer.add_argument("--root", default=".", help="仓库根目录（默认当前目录）")

    build = sub.add_parser(
        "build",
        help="检查并生成公开网站",
        description="先检查全部信息，没有错误时生成公开网站；--gate 时只发布已批准的版本。",
    )
    build.add_argument("root", nargs="?", default=".", help="仓库根目录（默认当前目录）")
    build.add_argument("--site-dir", metavar="DIR", help="网站输出文件夹（默认 ROOT/site）")
    build.add_argument(
        "--today", metavar="YYYY-MM-DD", help="按该日期生成（定时发布、有效性），默认今天"
    )
    review_commands.add_build_options(build)

    init = sub.add_parser(
        "init",
        help="为新单位创建信息公开门户仓库",
        description="在空文件夹中创建门户仓库：目录 catalog.yml（条例第二十条的 15 类信息）、"
        "网站配置、一条示例信息、流水线、CODEOWNERS 和说明。",
    )
    init.add_argument("dir", metavar="文件夹", help="新仓库的文件夹（不存在时创建）")
    init.add_argument(
        "--name", required=True, metavar="名称", help="机关全称，如 示例市文化和旅游局"
    )
    init.add_argument(
        "--org-code",
        required=True,
        metavar="代码",
        help="9 位组织机构代码（不含连字符）或 18 位统一社会信用代码，用于索引号",
    )
    init.add_argument(
        "--force", action="store_true", help="文件夹不是空的也写入（已有的文件不会被覆盖）"
    )
    review_commands.add_parsers(sub)
    inspection_command.add_parser(sub)
    add_open_data_parsers(sub)
    return parser


def _load(root: str, fmt: str = "text") -> Project | int:
    path = Path(root)
    if not path.is_dir():
        print(f"gongkai：找不到文件夹 {root}，请指定仓库根目录", file=sys.stderr)
        return 2
    try:
        return load_project(path)
    except CatalogError as exc:
        sys.stdout.write(FORMATTERS[fmt]([exc.problem]))
        print("gongkai：catalog.yml 无法使用，未检查任何信息。", file=sys.stderr)
        return 2


def _as_of(project: Project, value: str | None) -> int | None:
    """Sets the project's "today"; returns an exit status when the date is unusable."""
    if not value:
        return None
    try:
        project.today = date.fromisoformat(value)
    except ValueError:
        print(f"gongkai：日期应写作 YYYY-MM-DD，收到“{value}”", file=sys.stderr)
        return 2
    return None


def cmd_validate(args: argparse.Namespace) -> int:
    project = _load(args.root, args.format)
    if isinstance(project, int):
        return project
    if (status := _as_of(project, args.as_of)) is not None:
        return status
    problems: list[Problem] = check(project)
    if args.base:
        try:
            problems = sort_problems([*problems, *_immutable(project, args.base)])
        except history.GitError as exc:
            print(f"gongkai：无法与 {args.base} 比较：{exc}", file=sys.stderr)
            return 2
    sys.stdout.write(FORMATTERS[args.format](problems))
    return 1 if any(p.is_error for p in problems) else 0


def _immutable(project: Project, base: str) -> list[Problem]:
    current = {i.index_no: i.path for i in project.items if i.index_no}
    lines = {i.path: i.line("index_no") for i in project.items}
    found = history.immutable_numbers(project.root, base, current, project.content_dir, lines)
    return found + unexplained_changes(project, base)


def cmd_new(args: argparse.Namespace) -> int:
    project = _load(args.root)
    if isinstance(project, int):
        return project
    try:
        path = create_item(project, args.category, args.title, args.type)
    except NewItemError as exc:
        print(f"gongkai：{exc}", file=sys.stderr)
        return 2
    print(f"已创建 {path.relative_to(project.root)}")
    print("请填写公开属性（disclosure）等必填项，然后运行 gongkai validate 检查。")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    try:
        today = date.fromisoformat(args.today) if args.today else None
    except ValueError:
        print(f"gongkai：--today 应写作 YYYY-MM-DD，收到“{args.today}”", file=sys.stderr)
        return 2
    root = Path(args.root)
    site_dir = Path(args.site_dir) if args.site_dir else root / "site"
    kind = None if args.gate or args.gate_result else PREVIEW  # a gate's kind: once it has run
    if root.is_dir() and (reason := refusal(root.resolve(), site_dir, kind)) is not None:
        print(f"gongkai：{one_line(reason)}。没有写入或删除任何文件。", file=sys.stderr)
        return 2  # checked before any work starts
    if args.gate_result:
        return review_commands.result_build(args, site_dir, today)
    if args.gate:
        return review_commands.gated_build(args, site_dir, today)
    project = _load(args.root)
    if isinstance(project, int):
        return project
    return run_build(project, (site_dir or project.root / "site"), today)


def cmd_init(args: argparse.Namespace) -> int:
    target = Path(args.dir)
    try:
        portal = portal_init.new_portal(args.name, args.org_code)
        files = portal_init.portal_files(portal)
        written = portal_init.create_portal(
            target,
            files,
            force=args.force,
            more=lambda staged: codeowners.render(load_catalog(staged / "catalog.yml")),
        )
    except portal_init.InitError as exc:
        print(f"gongkai：{exc}。没有写入任何文件。", file=sys.stderr)
        return 2
    print(f"已在 {target} 创建{portal.name}的信息公开门户仓库（{len(written)} 个文件）。")
    print(f"下一步：填写 catalog.yml 中标有 TODO 的 {portal_init.todo_count(target)} 处，")
    print(f"改写或删除示例信息 {portal_init.EXAMPLE_ITEM}，然后运行 gongkai validate 检查；")
    print("其余步骤见新仓库的 README.md。")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    project = _load(args.root)
    if isinstance(project, int):
        return project
    results = import_paths(project, [Path(f) for f in args.files], args.category)
    if not results:
        print("gongkai：没有找到 .docx 文件", file=sys.stderr)
        return 2
    failed = 0
    for result in results:
        if isinstance(result, Exception):
            failed += 1
            print(f"gongkai：未导入：{result}", file=sys.stderr)
            continue
        print(f"已导入 {result.source.name} → {display_path(result.path)}")
        for message in result.decide:
            print(f"  请作者决定或补充：{message}")
        for note in result.notes:
            print(f"  请作者注意：{note}")
    return 2 if failed else 0


def _report_catalog(project: Project, fmt: str) -> int:
    site = public_set(project, project.today)
    if fmt == "json":
        print(json.dumps(catalog_dicts(site), ensure_ascii=False, indent=2))
        return 0
    rows = catalog_rows(site)
    print(
        f"政府信息公开目录（截至 {project.today}）：{len(rows)} 个分类，{len(site.listed)} 条主动公开信息"
    )
    for row in rows:
        indent = "  " * row.depth
        latest = row.latest or "—"
        print(
            f"{indent}{row.category.name}({row.category.code})  {row.count} 条  最近 {latest}  "
            f"{row.frequency or '随时'}  {row.state}"
        )
    empty = [r.category.name for r in rows if r.count == 0]
    stale = [r.category.name for r in rows if r.stale]
    print(f"\n空分类 {len(empty)} 个：" + ("、".join(empty) or "无"))
    print(f"未按期更新 {len(stale)} 个：" + ("、".join(stale) or "无"))
    return 0


def _report_annual(project: Project, year: int, out: str | None) -> int:
    annual = load_annual(project, year)
    if annual is None:
        print(
            f"gongkai：找不到 content/annual/{year}.yml，请先填写该年度的统计数据", file=sys.stderr
        )
        return 2
    if annual.problems:
        sys.stdout.write(format_text(annual.problems))
        print("gongkai：年度报告数据有误，请按提示改正后再生成。", file=sys.stderr)
        return 1
    written = write_annual(
        annual, project.catalog.org_name, Path(out) if out else project.root / "report"
    )
    print("年度报告已生成：" + "、".join(display_path(p) for p in written))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    project = _load(args.root)
    if isinstance(project, int):
        return project
    if (status := _as_of(project, getattr(args, "as_of", None))) is not None:
        return status
    if args.report == "catalog":
        return _report_catalog(project, args.format)
    if args.report == "annual":
        return _report_annual(project, args.year, args.out)
    rows = obligation_rows(project)
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    print(
        f"期限报告（截至 {project.today}）：已逾期 {sum(r['status'] == '已逾期' for r in rows)} 项，"
        f"即将到期 {sum(r['status'] == '即将到期' for r in rows)} 项"
    )
    for department in sorted({str(r["department"]) for r in rows}):
        print(f"\n【{department}】")
        for r in (r for r in rows if r["department"] == department):
            estimate = "（估算）" if r["estimated"] else ""
            print(
                f"  {r['status']}  {r['due']}{estimate}  {r['rule']}  {r['index_no']}  {r['title']}"
            )
    if not rows:
        print("没有已逾期或即将到期的事项。")
    return 0


COMMANDS = {
    "validate": cmd_validate,
    "new": cmd_new,
    "init": cmd_init,
    "build": cmd_build,
    "report": cmd_report,
    "import": cmd_import,
    **review_commands.COMMANDS,
    "inspect": inspection_command.run,
    **OPEN_DATA_COMMANDS,
}


def main(argv: Sequence[str] | None = None) -> int:
    with masked_output():  # no command prints an ID, mobile or card number (CI logs are public)
        args = _parser().parse_args(argv)
        return _dispatch(args)


def _dispatch(args: argparse.Namespace) -> int:
    try:
        with raised():  # SIGINT and SIGTERM unwind the command, which cleans up on its way out
            return COMMANDS[args.command](args)
    except Interrupted as exc:
        print(exc.message(), file=sys.stderr)
        return EXIT_SIGNAL + exc.signum
    except KeyboardInterrupt:  # before the handlers were in place
        print("gongkai：已中断。", file=sys.stderr)
        return EXIT_SIGNAL + 2
    except BrokenPipeError:  # the reader went away (`gongkai validate | head`)
        return 1
    except OSError as exc:  # a folder not writable, a disk full: not a bug, but nothing done
        print(f"gongkai：无法完成操作：{one_line(os_error_text(exc))}。", file=sys.stderr)
        return 1
    except Exception as exc:  # the last resort: a bug, reported without a traceback
        print(unexpected(exc), file=sys.stderr)
        return EXIT_BUG


def run() -> None:
    """The `gongkai` command. Once a command has finished and its output is flushed, the process
    ends without freeing its objects one by one, which takes longer than it is worth after a
    large build (1.3 s after 10,000 items): every file is written and closed by then."""
    code = main()
    for child in multiprocessing.active_children():  # checks a command did not wait for
        child.kill()
    try:
        sys.stdout.flush()
    except OSError:  # the reader went away (`gongkai validate | head`)
        code = code or 1
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    logging.shutdown()
    os._exit(code)


if __name__ == "__main__":
    run()
