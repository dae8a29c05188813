"""Items: one Markdown file each, its front matter read once into typed values with lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from generator.core import schema, yamlsrc
from generator.core.problems import Problem, error
from generator.core.schema import ValueProblem


@dataclass(frozen=True)
class Attachment:
    """An attachment as written; generator/core/attachments.py decides which file it is, if any."""

    path: str  # as written, relative to the item's folder
    name: str
    line: int


@dataclass(frozen=True)
class Withdrawal:
    date: date
    reason: str


@dataclass(frozen=True)
class Exemption:
    kind: str  # a screening kind: id, mobile, card, secret, word, email, context
    value: str  # the masked value exactly as the screen printed it
    reason: str
    line: int


@dataclass
class Item:
    """One disclosure item. Values that were missing or unreadable are None."""

    path: Path
    rel: PurePosixPath  # relative to content/
    source: yamlsrc.Located
    body: str
    body_line: int
    title: str | None = None
    type: str = "document"
    category: str | None = None
    index_no: str | None = None
    publisher: str | None = None
    department: str | None = None
    doc_no: str | None = None
    written: date | None = None
    date: date | None = None
    effective: date | None = None
    expires: date | None = None
    disclosure: str | None = None
    disclosure_basis: str | None = None
    keywords: tuple[str, ...] = ()
    summary: str | None = None
    attachments: tuple[Attachment, ...] = ()
    interprets: str | None = None
    form: tuple[str, ...] = ()
    repeals: tuple[str, ...] = ()
    amends: tuple[str, ...] = ()
    withdrawn: Withdrawal | None = None
    change_note: str | None = None  # 修订说明 of an edit of a published item
    change: str | None = None  # "minor" or "redact" (schema.CHANGES)
    screening_exempt: tuple[Exemption, ...] = ()
    opens: date | None = None
    closes: date | None = None
    draft_kind: str | None = None
    feedback_for: str | None = None
    concern_at: datetime | None = None
    level: str | None = None
    responded_at: datetime | None = None
    press_conference_at: datetime | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def meta(self) -> dict[str, Any]:
        return self.source.data

    def line(self, *key: str | int) -> int:
        return self.source.line(*key)

    @property
    def takes_effect(self) -> date | None:
        """The day the document is in force from: its 生效日期, else its publication date."""
        return self.effective or self.date

    def has(self, key: str) -> bool:
        return key in self.meta

    def refs(self) -> list[tuple[str, str]]:
        """(key, index number) of every item this one points at."""
        pairs = [(k, v) for k in ("interprets", "feedback_for") if (v := getattr(self, k))]
        return pairs + [(k, v) for k in ("repeals", "amends") for v in getattr(self, k)]


@dataclass(frozen=True)
class ItemVersion:
    """An earlier published version of an item, shown read-only at its own address."""

    number: int  # 1: the first version
    since: str  # the date it went online (the first: its 发布日期)
    until: str  # the date a newer version replaced it
    item: Item


def _value(key: str, raw: Any) -> Any:
    kind = schema.FIELDS[key].kind
    if kind in ("text", "ref"):
        return schema.parse_text(raw)
    if kind == "date":
        return schema.parse_date(raw)
    if kind == "datetime":
        return schema.parse_datetime(raw)
    if kind == "enum":
        return schema.parse_enum(key, raw)
    if kind == "keywords":
        return schema.parse_keywords(raw)
    if kind == "refs":
        return schema.parse_refs(raw)
    if kind == "forms":
        return schema.parse_forms(raw)
    raise AssertionError(kind)  # attachments, withdrawn, exemptions have functions of their own


def _attachments(raw: Any, src: yamlsrc.Located) -> tuple[Attachment, ...]:
    entries = [raw] if isinstance(raw, str | dict) else raw
    if not isinstance(entries, list):
        raise ValueProblem("附件应为列表，每行“- 文件名”或“- {path: 文件名, name: 显示名称}”")
    result = []
    for i, entry in enumerate(entries):
        if isinstance(entry, str) and entry.strip():
            path, name = entry.strip(), PurePosixPath(entry.strip()).stem
        elif (
            isinstance(entry, dict)
            and isinstance(entry.get("path"), str)
            and isinstance(entry.get("name"), str | int | float | None)
        ):
            path = entry["path"].strip()
            name = str(entry.get("name") or PurePosixPath(path).stem).strip()
        else:
            raise ValueProblem(
                f"第 {i + 1} 个附件应写作文件路径，或 {{path: 路径, name: 显示名称}}"
            )
        result.append(Attachment(path, name, src.line("attachments", i)))
    return tuple(result)


def _exemptions(raw: Any, src: yamlsrc.Located) -> tuple[Exemption, ...]:
    from generator.core.screening import KINDS

    if not isinstance(raw, list):
        raise ValueProblem(
            "保密审查豁免应为列表，每项写 {kind: 类别, value: 打码后的值, reason: 理由}"
        )
    result = []
    for i, entry in enumerate(raw):
        kind = entry.get("kind") if isinstance(entry, dict) else None
        if not isinstance(kind, str) or kind not in KINDS or not entry.get("value"):
            raise ValueProblem(
                f"第 {i + 1} 项豁免应写 kind("
                + "、".join(KINDS)
                + ")和 value（检查结果中打码后的值）"
            )
        if not str(entry.get("reason") or "").strip():
            raise ValueProblem(
                f"第 {i + 1} 项豁免没有写理由（reason）：豁免须写明为何可以公开，供审核人判断"
            )
        result.append(
            Exemption(
                str(entry["kind"]),
                str(entry["value"]),
                str(entry["reason"]).strip(),
                src.line("screening_exempt", i),
            )
        )
    return tuple(result)


def _withdrawn(raw: Any) -> Withdrawal:
    if not isinstance(raw, dict) or "date" not in raw or not raw.get("reason"):
        raise ValueProblem(
            "撤回应写作两行：date: 撤回日期（YYYY-MM-DD）和 reason: 撤回原因（向公众说明）"
        )
    return Withdrawal(schema.parse_date(raw["date"]), schema.parse_text(raw["reason"]))


def build_item(
    path: Path, rel: PurePosixPath, src: yamlsrc.Located, body: str, body_line: int
) -> Item:
    """Read every known key into its typed value; unreadable values become problems."""
    item = Item(path=path, rel=rel, source=src, body=body, body_line=body_line)
    for key, raw in src.data.items():
        if key not in schema.FIELDS or raw is None:
            continue
        try:
            if key == "attachments":
                value: Any = _attachments(raw, src)
            elif key == "withdrawn":
                value = _withdrawn(raw)
            elif key == "screening_exempt":
                value = _exemptions(raw, src)
            else:
                value = _value(key, raw)
        except ValueProblem as exc:
            item.problems.append(
                error(path, src.line(key), "GK111", f"{schema.label(key)}的值有误：{exc}。")
            )
            continue
        setattr(item, key, value)
    return item
