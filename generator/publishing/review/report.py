"""Held changes, told to staff: on stderr, as GitHub/Gitea workflow annotations, and in the job
summary ($GITHUB_STEP_SUMMARY) when the CI provides one."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from generator.core.screening import mask_personal
from generator.publishing.review.gate import GateRun
from generator.publishing.review.paths import is_item


def shown(path: str) -> str:
    """A file name as printed: control characters (a pusher may put them in a name) escaped."""
    return "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in path)


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotations(held: dict[str, str]) -> str:
    """One `::warning` workflow command per held file."""
    return "".join(
        f"::warning file={_property(shown(path))},title={_property('未获批准，暂不发布')}::{_data(reason)}\n"
        for path, reason in sorted(held.items())
    )


def summary_markdown(run: GateRun) -> str:
    held = run.held
    lines = ["## 发布核验", ""]
    if not held:
        lines.append(f"全部 {len(run.gated_paths())} 个受审核的文件均已批准。")
    else:
        lines += [
            f"以下 {len(held)} 个修改未获批准，暂不发布；网站上保持已批准的版本，其他已批准的修改照常发布。",
            "",
            "| 文件 | 原因 |",
            "| --- | --- |",
        ]
        for path, reason in sorted(held.items()):
            cell = reason.replace("|", "\\|").replace("\n", " ")
            name = shown(path).replace("`", "'").replace("|", "\\|")
            lines.append(f"| `{name}` | {cell} |")
    return "\n".join(lines) + "\n"


def tell_held(run: GateRun, fmt: str = "text", env: Mapping[str, str] = os.environ) -> None:
    held = run.held
    if held:
        print(
            f"\n以下 {len(held)} 个修改未获批准，暂不发布（网站上保持已批准的版本）：",
            file=sys.stderr,
        )
        for path, reason in sorted(held.items()):
            print(f"  {shown(path)}  {reason}", file=sys.stderr)
        if fmt == "github":
            sys.stdout.write(annotations(held))
    summary = env.get("GITHUB_STEP_SUMMARY")
    if summary:
        try:
            with open(summary, "a", encoding="utf-8") as out:
                # shown on the run's page (public for a public repository): the one mask
                out.write(mask_personal(summary_markdown(run)))
        except OSError as exc:
            print(f"gongkai：无法写入任务摘要 {summary}:{exc.strerror}", file=sys.stderr)


def counts(run: GateRun) -> str:
    paths = run.gated_paths()
    items = sum(1 for p in paths if is_item(p))
    held = len(run.held)
    text = f"共核验 {len(paths)} 个受审核的文件（其中信息 {items} 条）"
    if run.preview:
        return text + "：本地预览（none），未核对审核记录。"
    return text + (f",{held} 个修改未获批准。" if held else "，全部已批准。")
