"""YAML that remembers where each value came from.

Dates stay strings (the schema parses them strictly), so `2026-02-30` is reported by the
schema with its line instead of crashing PyYAML's timestamp constructor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"

Path_ = tuple[str | int, ...]


class _Loader(_Base):  # type: ignore[misc, valid-type]
    pass


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_HINTS = {
    "mapping values are not allowed": "值里含有英文冒号“：”时，请把整个值用英文引号括起来",
    "found character '\\t'": "请用空格缩进，不要使用 Tab 键",
    "found unexpected end of stream": "引号没有成对，请补全结束引号",
    "could not find expected ':'": "每一行应写作“键: 值”，请检查是否漏写了冒号或缩进不一致",
    "did not find expected key": "缩进不一致，同一层级的键应对齐",
    "found undefined alias": "引用了未定义的锚点（*名称），请删除或改为具体的值",
}


class YamlSyntaxError(Exception):
    """A YAML error translated for staff, with the 1-based line in the whole file."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class Located:
    """Parsed YAML plus the file line of every key (mappings) and element (sequences)."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    duplicate_keys: list[tuple[str, int]] = field(default_factory=list)

    def line(self, *path: str | int, default: int | None = None) -> int:
        """Line of the deepest known prefix of `path`, so a bad nested value still gets a line."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return default if default is not None else self.lines.get((), 1)


def _translate(exc: yaml.YAMLError, text: str, line_offset: int) -> YamlSyntaxError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = (mark.line if mark else 0) + 1 + line_offset
    problem = " ".join(str(getattr(exc, "problem", "") or exc).split())  # one line
    lines = text.splitlines()
    bad_line = lines[mark.line] if mark and mark.line < len(lines) else ""
    if "\t" in bad_line[: len(bad_line) - len(bad_line.lstrip())]:
        problem = "found character '\\t'"
    hint = next((h for key, h in _HINTS.items() if key in problem), "请检查缩进、冒号和引号")
    return YamlSyntaxError(line, f"YAML 语法错误（{problem}）：{hint}。")


def load(text: str, line_offset: int = 0) -> Located:
    """Parse one YAML document. `line_offset` is the number of file lines before `text`."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise _translate(exc, text, line_offset) from None
    except (ValueError, TypeError, RecursionError) as exc:
        raise YamlSyntaxError(line_offset + 1, f"YAML 无法解析：{exc}。") from None
    finally:
        loader.dispose()
    located = Located(data)
    if node is not None:
        located.lines[()] = node.start_mark.line + 1 + line_offset
        try:
            _walk(node, (), located, line_offset, set())
        except RecursionError:
            raise YamlSyntaxError(line_offset + 1, "YAML 嵌套层次过深，请简化元数据。") from None
    return located


def _walk(node: yaml.Node, path: Path_, out: Located, offset: int, seen: set[int]) -> None:
    # An alias points at a node already walked. Staff never need anchors, and a "billion
    # laughs" alias bomb would expand exponentially wherever the data is printed: refuse them.
    if id(node) in seen:
        raise YamlSyntaxError(
            node.start_mark.line + 1 + offset,
            "不允许使用 YAML 锚点和别名（& 和 *）：请把内容直接写出来。",
        )
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        keys_here: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            line = key_node.start_mark.line + 1 + offset
            if key in keys_here:
                out.duplicate_keys.append((".".join(map(str, (*path, key))), line))
            keys_here.add(key)
            out.lines.setdefault((*path, key), line)
            _walk(value_node, (*path, key), out, offset, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            out.lines[(*path, index)] = child.start_mark.line + 1 + offset
            _walk(child, (*path, index), out, offset, seen)
