"""Declared shapes of YAML files, and the one walker that checks a parsed file against them.

A shape says once what each key may hold: its Chinese label, how its value is read, whether it
is required or what it defaults to, and which problem code a bad value gets. `walk` goes over
the values `yamlsrc` parsed (which remember their lines) and reports each problem once, at the
line of the key it is about; what it returns holds only values that were read, every declared
key present (its default where the file has none or a bad one). Rules between keys (a category
naming a department) run afterwards on that result, each once.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.core import yamlsrc
from generator.core.problems import Problem, Severity

ERROR, WARNING = Severity.ERROR, Severity.WARNING


class Invalid(ValueError):
    """A value its key cannot hold. The message says what it should be (Chinese); `code`
    overrides the key's problem code, `at` points below the key (a reviewer's identity)."""

    def __init__(self, message: str, code: str | None = None, at: tuple[str | int, ...] = ()):
        super().__init__(message)
        self.message = message
        self.code = code
        self.at = at


Reader = Callable[[Any], Any]


@dataclass(frozen=True)
class Value:
    """A value read by a function, which returns it typed or raises Invalid."""

    read: Reader
    code: str = "GK003"
    severity: Severity = ERROR


@dataclass(frozen=True)
class Unknown:
    """What a key the shape does not declare gets: ignored with a warning, or refused."""

    code: str
    severity: Severity
    refused: bool = False  # an error naming every key the mapping may hold


IGNORED = Unknown("GK004", WARNING)


@dataclass(frozen=True)
class Key:
    name: str
    label: str  # Chinese, shown after the key in messages
    shape: Shape
    required: bool = False
    default: Any = None


@dataclass(frozen=True)
class Mapping:
    keys: tuple[Key, ...]
    unknown: Unknown = IGNORED
    hint: str = ""  # what the mapping holds, said when it is something else
    code: str = "GK003"  # for a value that is not a mapping
    severity: Severity = ERROR
    missing: str = "GK002"  # for a required key that is absent

    def names(self) -> tuple[str, ...]:
        return tuple(k.name for k in self.keys)


@dataclass(frozen=True)
class ListOf:
    entry: Shape
    hint: str = ""
    code: str = "GK003"
    places: bool = False  # keep None for a refused entry, so a later rule can name the place


@dataclass(frozen=True)
class MapOf:
    """Keys the bureau chooses (category codes, years), each holding the same shape."""

    value: Shape
    key: Reader | None = None  # reads each key; Invalid refuses the entry
    key_code: str = "GK003"
    hint: str = ""
    code: str = "GK003"


@dataclass(frozen=True)
class Tree:
    """A list of entries, each of which may hold entries like itself under `children`, at most
    `depth` levels (deeper ones are refused with `too_deep`, formatted with name and level)."""

    entry: Mapping
    children: str
    depth: int
    too_deep: str
    depth_code: str
    hint: str = ""
    code: str = "GK003"


Shape = Value | Mapping | ListOf | MapOf | Tree


class Checked(dict):
    """A mapping that passed its shape: every declared key, plus where it was in the file."""

    def __init__(self, values: dict, path: tuple, given: frozenset[str], refused: frozenset[str]):
        super().__init__(values)
        self.path = path  # key path in the file, for yamlsrc.Located.line
        self.given = given  # keys the file wrote (with a value), known or not
        self.refused = refused  # declared keys whose value was refused (reported)


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"是不是想写“{close[0]}”？" if close else ""


def where(path: tuple) -> str:
    """`site.name`, `departments 第 2 项的 reviewers`: a key path as staff read it."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f" 第 {part + 1} 项"
        elif text and not text.endswith("项"):
            text += f".{part}"
        else:
            text += f"的 {part}" if text else str(part)
    return text


@dataclass
class Walk:
    """One file's walk: where problems are placed, and the problems found."""

    file: Path
    src: yamlsrc.Located
    problems: list[Problem] = field(default_factory=list)

    def report(self, code: str, severity: Severity, message: str, *path: str | int) -> None:
        self.problems.append(Problem(str(self.file), self.src.line(*path), code, severity, message))

    def error(self, code: str, message: str, *path: str | int) -> None:
        self.report(code, ERROR, message, *path)

    def warn(self, code: str, message: str, *path: str | int) -> None:
        self.report(code, WARNING, message, *path)

    def duplicates(self, code: str) -> None:
        for key, line in self.src.duplicate_keys:
            self.problems.append(
                Problem(str(self.file), line, code, ERROR, f"键“{key}”重复出现，请只保留一个")
            )

    def walk(self, shape: Shape, value: Any, path: tuple = ()) -> Any:
        """The value read by `shape`, or None when it was refused (and reported)."""
        if isinstance(shape, Value):
            return self._value(shape, value, path)
        if isinstance(shape, Mapping):
            return self._mapping(shape, value, path)
        if isinstance(shape, ListOf):
            return self._list(shape, value, path)
        if isinstance(shape, MapOf):
            return self._map_of(shape, value, path)
        return self._tree(shape, value, path, 1)

    def _value(self, shape: Value, value: Any, path: tuple, label: str = "") -> Any:
        try:
            return shape.read(value)
        except Invalid as exc:
            named = f"{where(path)}（{label}）" if label else where(path)
            glue = "" if label or exc.message[:1] in "：“（ " else " "
            message = f"{named}{glue}{exc.message}" if path else exc.message
            self.report(exc.code or shape.code, shape.severity, message, *path, *exc.at)
            return None

    def _wrong(self, shape: Shape, path: tuple, what: str) -> None:
        hint = f"（{shape.hint}）" if getattr(shape, "hint", "") else ""
        severity = getattr(shape, "severity", ERROR)
        self.report(
            shape.code, severity, f"{where(path) or self.file.name} 应为{what}{hint}", *path
        )

    def _mapping(self, shape: Mapping, value: Any, path: tuple) -> Checked | None:
        if value is None:
            value = {}
        if not isinstance(value, dict):
            self._wrong(shape, path, "键值结构")
            return None
        declared = {k.name: k for k in shape.keys}
        for name in value:
            if str(name) not in declared:
                self._unknown(shape, str(name), path)
        result, refused = {}, set()
        for key in shape.keys:
            raw, at = value.get(key.name), (*path, key.name)
            read = None if raw is None else self._key(key, raw, at)
            if read is None and raw is not None:
                refused.add(key.name)
            if read is None and isinstance(key.shape, Mapping):  # absent or refused: defaults
                read = defaults(key.shape, at)
            if key.required and key.name not in refused and (raw is None or read == ""):
                self.report(shape.missing, ERROR, f"缺少 {where(at)}（{key.label}），请填写", *path)
            result[key.name] = key.default if read is None else read
        given = frozenset(str(k) for k, v in value.items() if v is not None)
        return Checked(result, path, given, frozenset(refused))

    def _key(self, key: Key, raw: Any, path: tuple) -> Any:
        if isinstance(key.shape, Value):
            return self._value(key.shape, raw, path, key.label)
        return self.walk(key.shape, raw, path)

    def _unknown(self, shape: Mapping, name: str, path: tuple) -> None:
        rule, known = shape.unknown, shape.names()
        hint = did_you_mean(name, known)
        if rule.refused:
            inside = where(path) or self.file.name
            message = f"{inside} 中没有“{name}”这一项，请检查拼写。{hint}可填写的项目为：{'、'.join(known)}"
        else:
            inside = f"中 {where(path)} 下" if path else "中"
            message = f"{self.file.name} {inside}的键“{name}”不认识，将被忽略。{hint}"
        self.report(rule.code, rule.severity, message, *path, name)

    def _list(self, shape: ListOf, value: Any, path: tuple) -> list | None:
        if not isinstance(value, list):
            self._wrong(shape, path, "列表（每项以“- ”开头）")
            return None
        read = [self.walk(shape.entry, entry, (*path, i)) for i, entry in enumerate(value)]
        return read if shape.places else [entry for entry in read if entry is not None]

    def _map_of(self, shape: MapOf, value: Any, path: tuple) -> dict | None:
        if not isinstance(value, dict):
            self._wrong(shape, path, "键值结构")
            return None
        result = {}
        for raw_key, entry in value.items():
            at = (*path, str(raw_key))  # lines are kept under the key as written
            key: Any = str(raw_key)
            if shape.key is not None:
                key = self._value(Value(shape.key, shape.key_code), raw_key, at)
                if key is None:
                    continue
            read = self.walk(shape.value, entry, at)
            if read is not None:
                result[key] = read
        return result

    def _tree(self, shape: Tree, value: Any, path: tuple, level: int) -> list | None:
        if not isinstance(value, list):
            self._wrong(shape, path, "列表（每项以“- ”开头）")
            return None
        result = []
        for i, raw in enumerate(value):
            at = (*path, i)
            if level > shape.depth and isinstance(raw, dict):
                name = raw.get("name") or raw.get(shape.entry.keys[0].name) or ""
                message = shape.too_deep.format(name=name, level=level, depth=shape.depth)
                self.error(shape.depth_code, message, *at)
                continue
            entry = self._mapping(shape.entry, raw, at)
            if entry is None:
                continue
            below = raw.get(shape.children)
            if below is not None:
                below = self._tree(shape, below, (*at, shape.children), level + 1)
            entry[shape.children] = below or []
            result.append(entry)
        return result


def defaults(shape: Mapping, path: tuple = ()) -> Checked:
    """What `shape` holds when the file says nothing: each key's default."""
    values = {
        k.name: defaults(k.shape, (*path, k.name)) if isinstance(k.shape, Mapping) else k.default
        for k in shape.keys
    }
    return Checked(values, path, frozenset(), frozenset())


def walk(file: Path, src: yamlsrc.Located, shape: Shape) -> tuple[Any, list[Problem]]:
    """`src` read by `shape`, and every problem found, once each."""
    walker = Walk(file, src)
    return walker.walk(shape, src.data), walker.problems
