"""The gate's commands: `build --gate`, the two-stage `gate` + `build --gate-result`,
`publish-check`, `register`, `review-summary` and `codeowners`.

Exit statuses: 0 everything approved and published; 3 the approved state was published and some
changes are held; 1 the approved state has errors (nothing replaced); 2 evidence unobtainable,
record refused or a bad call (nothing built).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from generator.checks.privacy import screen_item
from generator.core.catalog import CatalogError
from generator.core.failure import os_error_text
from generator.core.git_history import GitError
from generator.core.item import ItemVersion
from generator.core.problems import format_text
from generator.core.project import Project, load_project
from generator.core.versions import earlier_versions
from generator.publishing.review import codeowners
from generator.publishing.review.evidence import ReviewError
from generator.publishing.review.gate import GateRun, run_gate
from generator.publishing.review.handoff import (
    HandoffError,
    folder_digest,
    out_refusal,
    result_refusal,
    verify_folder,
)
from generator.publishing.review.paths import is_gated
from generator.publishing.review.record import (
    RecordError,
    Result,
    read_result,
    write_record,
    write_result,
)
from generator.publishing.review.register import write as write_register
from generator.publishing.review.repo import Repo
from generator.publishing.review.report import counts, tell_held
from generator.publishing.review.summary import render as review_summary
from generator.publishing.review.tree import (
    TreeError,
    approved_files,
    approved_folder,
    can_build_in_place,
    write_tree,
)
from generator.site.build import Gate
from generator.site.publish import run_build

HELD = 3
_REFUSED = (ReviewError, RecordError, GitError, TreeError)


def _gate_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--provider",
        metavar="来源",
        help="审核记录来源：github、gitea、signed 或 none（仅本地预览）；"
        "默认取环境变量 GONGKAI_REVIEW_PROVIDER，再取已批准的 catalog.yml 的 review.provider",
    )
    parser.add_argument(
        "--record", metavar="FILE", help="上次发布的记录（网站根目录的 gongkai-publish.json）"
    )
    parser.add_argument("--branch", metavar="分支", help="发布的分支（默认当前分支）")
    parser.add_argument(
        "--format", choices=["text", "github"], default="text", help="github：输出流水线注释"
    )


def add_build_options(build: argparse.ArgumentParser) -> None:
    build.add_argument(
        "--gate", action="store_true", help="只发布已批准的版本（未获批准的修改暂不发布）"
    )
    _gate_options(build)
    build.add_argument(
        "--gate-result",
        metavar="FILE",
        help="由 gongkai gate 写出的核验结果：ROOT 是它写出的已批准文件夹，发布记录写入网站",
    )
    build.add_argument(
        "--older-gate",
        action="store_true",
        help="核验结果由升级前的 gongkai gate 写出、没有已批准文件夹的摘要"
        "（仅供发布流水线在升级后的第一次发布时使用）",
    )


def add_parsers(sub) -> None:
    check = sub.add_parser(
        "publish-check",
        help="核验哪些修改已获批准",
        description="按平台的审核记录计算每个受审核文件的已批准版本，列出未获批准的修改。",
    )
    check.add_argument("root", nargs="?", default=".", help="仓库根目录（默认当前目录）")
    _gate_options(check)

    gate = sub.add_parser(
        "gate",
        help="核验并写出已批准的文件（发布流水线第一步）",
        description="计算已批准的状态，把它写成一个文件夹，并写出核验结果，供下一步用已批准的程序生成网站。",
    )
    gate.add_argument("root", nargs="?", default=".", help="仓库根目录（默认当前目录）")
    gate.add_argument("--out", required=True, metavar="DIR", help="写出已批准文件的新文件夹")
    gate.add_argument("--result", required=True, metavar="FILE", help="写出核验结果（JSON）")
    _gate_options(gate)

    register = sub.add_parser(
        "register",
        help="生成审批表登记册（CSV 和可打印网页）",
        description="列出每条信息的拟稿人、审核人、审核时间、合并请求和未发布的原因，供办公室存档，不发布到网站。",
    )
    register.add_argument("root", nargs="?", default=".", help="仓库根目录（默认当前目录）")
    register.add_argument("--out", metavar="DIR", help="输出文件夹（默认 ROOT/register）")
    register.add_argument("--result", metavar="FILE", help="gongkai gate 写出的核验结果")
    register.add_argument("--today", metavar="YYYY-MM-DD", help="按该日期判断定时发布")
    _gate_options(register)

    summary = sub.add_parser(
        "review-summary",
        help="列出合并请求修改了哪些文件、须由谁审核",
        description="列出相对于 BASE 修改的受审核文件、须审核的科室和可以审核的人（Markdown）。",
    )
    summary.add_argument("root", nargs="?", default=".", help="仓库根目录（默认当前目录）")
    summary.add_argument(
        "--base", required=True, metavar="REF", help="合并请求的目标分支，例如 origin/main"
    )

    owners = sub.add_parser(
        "codeowners",
        help="根据目录生成 CODEOWNERS",
        description="根据 catalog.yml 生成 .github/CODEOWNERS 和 .gitea/CODEOWNERS，覆盖所有受审核的文件。",
    )
    owners.add_argument("root", nargs="?", default=".", help="仓库根目录（默认当前目录）")
    owners.add_argument(
        "--check", action="store_true", help="只检查，不一致或有文件无人负责时以状态 1 退出"
    )


def _refused(exc: Exception, what: str) -> int:
    print(f"gongkai：{exc}。{what}", file=sys.stderr)
    return 2


def _run(args: argparse.Namespace) -> GateRun:
    record = Path(args.record) if args.record else None
    return run_gate(Path(args.root).resolve(), args.provider, record, args.branch)


def _load_approved(folder: Path) -> Project | int:
    try:
        return load_project(folder)
    except CatalogError as exc:
        sys.stdout.write(format_text([exc.problem]))
        print(
            "gongkai：已批准的 catalog.yml 无法使用，未生成网站，原有网站保持不变。",
            file=sys.stderr,
        )
        return 1


def _with_versions(project: Project, result: Result) -> Project:
    """The project with its items' earlier versions from the approved history (none in a
    preview: the history is empty there)."""
    found = earlier_versions(result.state.history, result.texts, project)
    project.versions = {n: _screened(project, v) for n, v in found.items()}
    return project


def _screened(project: Project, versions: list[ItemVersion]) -> list[ItemVersion]:
    """The versions that pass today's confidentiality screen (the catalog's words may have
    grown since they were published); the others are left off the site, and said so."""
    kept = []
    for version in versions:
        if any(p.is_error for p in screen_item(version.item, project)):
            rel = version.item.rel.as_posix()
            print(
                f"gongkai：content/{rel} 的第 {version.number} 版历史版本未通过保密审查，不在网站上显示。",
                file=sys.stderr,
            )
        else:
            kept.append(version)
    return kept


def _build_in(folder: Path, site: Path, today: date | None, gate: Gate, result: Result) -> int:
    """Build the approved folder; problems name files as in the repository (content/…), not by
    the temporary folder's path."""
    previous = Path.cwd()
    os.chdir(folder)
    try:
        project = _load_approved(folder)
        if isinstance(project, int):
            return project
        return run_build(_with_versions(project, result), site, today, gate)
    finally:
        os.chdir(previous)


def gated_build(args: argparse.Namespace, site_dir: Path | None, today: date | None) -> int:
    """`build --gate`: gate, build the approved state, write the record, in one process."""
    try:
        run = _run(args)
        in_place = can_build_in_place(run.repo, run.state.exceptions, run.attributes)
    except _REFUSED as exc:
        return _refused(exc, "为安全起见，未生成网站，原有网站保持不变")
    site = site_dir or run.repo.root / "site"
    gate = Gate(
        preview=run.preview,
        held_pages=run.result.held_pages,
        on_built=None
        if run.preview
        else lambda staging: write_record(
            staging, run.state, run.result.provider, run.result.branch
        ),
    )
    try:
        with approved_folder(run.repo, run.head, run.state.exceptions, in_place) as folder:
            status = _build_in(folder, site.resolve(), today, gate, run.result)
    except (TreeError, GitError) as exc:
        return _refused(exc, "未生成网站，原有网站保持不变")
    if status:
        return status
    tell_held(run, args.format)
    return HELD if run.held else 0


def result_build(args: argparse.Namespace, site_dir: Path | None, today: date | None) -> int:
    """`build DIR --gate-result FILE`: build the approved folder the gate wrote (with the code
    installed from it) and put the publish record into the site. DIR must hold exactly what
    the gate wrote for FILE (review/handoff.py)."""
    folder = Path(args.root).resolve()
    try:
        result = read_result(Path(args.gate_result))
        warning = verify_folder(
            folder, Path(args.gate_result), result.folder, result.folder_files, args.older_gate
        )
    except (RecordError, HandoffError) as exc:
        return _refused(exc, "未生成网站，原有网站保持不变")
    if warning:
        print(warning, file=sys.stderr)
    project = _load_approved(folder)
    if isinstance(project, int):
        return project
    gate = Gate(
        preview=result.provider == "none",
        held_pages=result.held_pages,
        on_built=lambda staging: write_record(
            staging, result.state, result.provider, result.branch
        ),
    )
    project = _with_versions(project, result)
    status = run_build(project, (site_dir or folder / "site").resolve(), today, gate)
    if status == 0 and result.state.held:
        print(f"另有 {len(result.state.held)} 个修改未获批准，暂不发布（见核验步骤的列表）。")
    return status


def cmd_publish_check(args: argparse.Namespace) -> int:
    try:
        run = _run(args)
    except _REFUSED as exc:
        return _refused(exc, "为安全起见，视为没有新的批准")
    print(counts(run))
    tell_held(run, args.format)
    return HELD if run.held else 0


def _gate_paths_refusal(args: argparse.Namespace) -> str | None:
    """Why --out or --result is unusable, before any evidence is fetched."""
    root = Path(args.root).resolve()
    repo = Repo(root)

    def tracked(rel: str) -> bool:
        try:
            return bool(repo.run("ls-files", "-z", "--", f":(literal){rel}"))
        except GitError:
            return True  # cannot tell: never risk overwriting a file of the repository

    return out_refusal(Path(args.out), root) or result_refusal(Path(args.result), root, tracked)


def cmd_gate(args: argparse.Namespace) -> int:
    out, result_path = Path(args.out), Path(args.result)
    if (reason := _gate_paths_refusal(args)) is not None:
        print(f"gongkai：{reason}。未核验，没有写入任何文件。", file=sys.stderr)
        return 2
    try:
        run = _run(args)
        write_tree(run.repo, approved_files(run.repo, run.head, run.state.exceptions), out)
        folder = folder_digest(out)
        run.result.folder, run.result.folder_files = folder.digest, folder.files
        write_result(result_path, run.result)
    except _REFUSED as exc:
        return _refused(exc, "为安全起见，本次不发布新内容")
    except OSError as exc:
        print(
            f"gongkai：无法写出已批准的文件或核验结果（{os_error_text(exc)}）。"
            "请确认 --out 和 --result 所在的文件夹存在、可以写入且有剩余空间，再重新运行。",
            file=sys.stderr,
        )
        return 2
    print(counts(run))
    print(f"已批准的文件已写入 {out}，核验结果写入 {args.result}")
    tell_held(run, args.format)
    return HELD if run.held else 0


def _run_from_result(root: Path, path: Path) -> GateRun:
    result: Result = read_result(path)
    repo = Repo(root)
    head = result.state.commit
    if not repo.has(head):
        raise ReviewError(f"核验结果中的提交 {head[:10]} 不在本仓库中")
    tree = {p: v for p, v in repo.tree(head).items() if is_gated(p)}
    return GateRun(result, head, tree, repo)


def cmd_register(args: argparse.Namespace) -> int:
    root = Path(args.root).resolve()
    try:
        today = date.fromisoformat(args.today) if args.today else None
    except ValueError:
        print(f"gongkai：--today 应写作 YYYY-MM-DD，收到“{args.today}”", file=sys.stderr)
        return 2
    try:
        run = _run_from_result(root, Path(args.result)) if args.result else _run(args)
        project = load_project(root)
    except _REFUSED as exc:
        return _refused(exc, "未生成登记册")
    except CatalogError as exc:
        sys.stdout.write(format_text([exc.problem]))
        return 2
    out = Path(args.out) if args.out else root / "register"
    csv_path, html_path = write_register(project, run, out, today or project.today)
    print(f"审批表登记册已生成：{csv_path}、{html_path}（供存档，请勿发布到网站）")
    return 0


def cmd_review_summary(args: argparse.Namespace) -> int:
    try:
        project = load_project(Path(args.root).resolve())
        sys.stdout.write(review_summary(project, args.base))
    except CatalogError as exc:
        sys.stdout.write(format_text([exc.problem]))
        return 2
    except GitError as exc:
        print(f"gongkai：无法与 {args.base} 比较：{exc}", file=sys.stderr)
        return 2
    return 0


def cmd_codeowners(args: argparse.Namespace) -> int:
    try:
        project = load_project(Path(args.root).resolve())
    except CatalogError as exc:
        sys.stdout.write(format_text([exc.problem]))
        return 2
    if not args.check:
        written = codeowners.write(project.root, project.catalog)
        print("已更新：" + "、".join(written) if written else "CODEOWNERS 已是最新。")
        return 0
    outdated = codeowners.stale(project.root, project.catalog)
    missing = codeowners.uncovered(project.root, project.catalog)
    for rel in outdated:
        print(
            f"gongkai：{rel} 与 catalog.yml 不一致，请运行 gongkai codeowners 重新生成",
            file=sys.stderr,
        )
    for message in missing:
        print(f"gongkai：{message}", file=sys.stderr)
    if outdated or missing:
        return 1
    print("CODEOWNERS 与 catalog.yml 一致，每个受审核的文件都有负责的审核人。")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "publish-check": cmd_publish_check,
    "gate": cmd_gate,
    "register": cmd_register,
    "review-summary": cmd_review_summary,
    "codeowners": cmd_codeowners,
}
