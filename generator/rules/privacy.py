"""GK801–GK811: the confidentiality and privacy screen, over front matter, body and attachments."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .. import schema
from ..loader import Project
from ..model import Item, is_existing_file
from ..problems import Problem, error, warning
from ..screening import KINDS, WARNINGS, Hit, UnreadableAttachment, attachment_text, screen_text

_HOW = {
    "id": "请删除或改为打码形式(如 1101**********123X)",
    "mobile": "请删除或打码;单位公开的服务电话可加入 catalog.yml 的 screening.allow",
    "card": "请删除或打码",
    "secret": "涉密或内部信息不得公开,请撤下并按保密规定处理",
    "word": "请删除该内容,或请办公室核实",
    "email": "个人邮箱通常不应公开,请改用单位邮箱",
    "context": "请确认没有公开他人的身份证号、住址等个人信息",
}


def _sources(item: Item) -> Iterator[tuple[str, int, str]]:
    """(where, first line, text) of everything the item publishes."""
    for key, value in item.meta.items():
        if (
            key in schema.FIELDS
            and key not in ("attachments", "screening_exempt")
            and value is not None
        ):
            yield "", item.line(key), value if isinstance(value, str) else str(value)
    yield "", item.body_line, item.body


def _problem(item: Item, line: int, hit: Hit, where: str) -> Problem:
    code, label = KINDS[hit.kind]
    exempt = (
        f'确需公开的,在元数据中加 screening_exempt: [{{kind: {hit.kind}, value: "{hit.masked}", '
        "reason: 理由}]"
        if hit.kind not in WARNINGS
        else ""
    )
    message = f"{where}发现{label}“{hit.masked}”:{_HOW[hit.kind]}。{exempt}"
    make = warning if hit.kind in WARNINGS else error
    return make(item.path, line, code, message.rstrip("。") + ("。" if not exempt else ""))


def screen_item(item: Item, project: Project) -> Iterator[Problem]:
    catalog = project.catalog
    words, allow = catalog.sensitive_words, catalog.screening_allow
    exempt = {(e.kind, e.value) for e in item.screening_exempt}
    used: set[tuple[str, str]] = set()
    for where, first, text in _sources(item):
        for hit in screen_text(text, words, allow):
            if (hit.kind, hit.masked) in exempt:
                used.add((hit.kind, hit.masked))
                continue
            yield _problem(item, first + hit.line - 1, hit, where)
    for att in item.attachments:
        path = att.resolve(item.path.parent)
        if (
            path is None
            or not path.is_relative_to(project.real_content_dir)
            or not is_existing_file(path)
        ):
            continue  # GK150/GK151 already say so
        try:
            text = attachment_text(path)
        except UnreadableAttachment as exc:
            make, code = (warning, "GK808") if exc.unsupported else (error, "GK809")
            yield make(item.path, att.line, code, f"附件“{att.path}”未能进行保密审查:{exc}")
            continue
        for hit in screen_text(text, words, allow):
            if (hit.kind, hit.masked) in exempt:
                used.add((hit.kind, hit.masked))
                continue
            yield _problem(item, att.line, hit, f"附件“{Path(att.path).name}”第 {hit.line} 行")
    for e in item.screening_exempt:
        if (e.kind, e.value) not in used:
            yield warning(
                item.path,
                e.line,
                "GK811",
                f"保密审查豁免“{e.value}”({KINDS[e.kind][1]})没有对应的检查结果,请删除这项豁免",
            )
