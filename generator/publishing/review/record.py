"""The publish record (`gongkai-publish.json` at the site root, version 2) and the gate's result
file that carries the same data from the gate to the build.

The record names the commit it was built from, the provider, the build time, the approved state
as exceptions relative to that commit's tree (usually none), and the approval metadata: a table
of pull requests (number, link, times from the forge, approvers and authors by name or login,
never e-mail addresses) and, per approved blob, the pull request that approved it. Approvals are
keyed by blob, so the public record names no file that is not an exception.

The record is public, so it is written through one function (`public_state_json`) that masks
every ID, mobile and card number: in reasons and names, and in file names. An exception whose
file name carries such a number is "sealed": written under its masked name only, and matched
again to the repository's files by that masked name when the record is read (`unseal`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.core.clock import beijing_now
from generator.core.failure import read_error_text
from generator.core.screening import mask_personal
from generator.publishing.review.judge import Pull
from generator.publishing.review.paths import is_gated
from generator.publishing.review.repo import Repo, Value, is_special
from generator.publishing.review.state import State
from generator.publishing.review.versions import decode_texts, encode_texts, read_history

RECORD_FILE = "gongkai-publish.json"
VERSION = 2
RESULT_KIND = "gongkai-gate-result"
_SHA = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")


class RecordError(Exception):
    """A record or result file that cannot be used (the message is in Chinese): exit 2."""


@dataclass(frozen=True)
class Sealed:
    """An exception or held change of a file whose name carries a personal number, as the
    public record names it: by its masked name."""

    shown: str
    excepted: bool  # the path is an exception, with `value` as its approved value
    value: Value
    held: str | None  # the (masked) reason, when the change is held


@dataclass
class Record:
    commit: str
    provider: str
    state: State | None  # None for a version-1 record: only its commit is used
    branch: str = ""
    sealed: tuple[Sealed, ...] = ()
    built_at: str = ""  # when the recorded publication was built (Beijing time)


def _fail(path: Path, why: str) -> RecordError:
    return RecordError(f"{path}:{why}。为安全起见，本次不发布新内容")


def _mapping(data: object, path: Path, key: str) -> dict:
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise _fail(path, f"“{key}”应为键值结构")
    return data


def _state(data: dict, path: Path) -> State:
    exceptions = _values(data, path, "exceptions")
    withheld = _values(data, path, "withheld")
    approvals = _mapping(data.get("approvals"), path, "approvals")
    if not all(isinstance(v, str) for v in approvals.values()):
        raise _fail(path, "“approvals”中的值应为合并请求的名称")
    pulls = _mapping(data.get("pulls"), path, "pulls")
    if not all(isinstance(v, dict) for v in pulls.values()):
        raise _fail(path, "“pulls”中的每一项应为键值结构")
    held = _mapping(data.get("held"), path, "held")
    history = read_history(data.get("history"))
    if history is None:
        raise _fail(path, "“history”应为索引号到历史版本（blob 和日期）列表的键值结构")
    return State(
        commit=str(data["commit"]),
        exceptions=dict(exceptions),
        approvals=dict(approvals),
        pulls={k: Pull.from_json(k, v) for k, v in pulls.items()},
        held={str(k): str(v) for k, v in held.items()},
        withheld=dict(withheld),
        history=history,
    )


def _values(data: dict, path: Path, key: str) -> dict:
    """A path -> blob (or null) table of gated files."""
    values = _mapping(data.get(key), path, key)
    for name in values:
        parts = name.split("/")
        if not is_gated(name) or name.startswith("/") or ".." in parts or "" in parts:
            raise _fail(path, f"“{key}”中的路径“{name}”不是受审核的文件")
    for value in values.values():
        if value is not None and not (isinstance(value, str) and _SHA.match(value)):
            raise _fail(path, f"“{key}”中的值应为文件内容编号（blob）或 null")
    return values


def _sealed(data: object, path: Path) -> tuple[Sealed, ...]:
    if data is None:
        return ()
    if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
        raise _fail(path, "“sealed”应为列表")
    found = []
    for entry in data:
        shown, value, held = entry.get("shown"), entry.get("value"), entry.get("held")
        if not isinstance(shown, str) or not is_gated(shown):
            raise _fail(path, "“sealed”中的路径不是受审核的文件")
        if value is not None and not (isinstance(value, str) and _SHA.match(value)):
            raise _fail(path, "“sealed”中的值应为文件内容编号（blob）或 null")
        found.append(
            Sealed(shown, "value" in entry, value, str(held) if held is not None else None)
        )
    return tuple(found)


def unseal(record: Record, repo: Repo) -> None:
    """Put the sealed entries back into the record's state under the repository's file names:
    every file of the record's commit (or, for one deleted since, of its history) whose masked
    name is the entry's.

    When one masked name fits several files, the hidden digits would be needed to tell which
    file an entry stands for, and a pushed file must not withdraw a published one by sharing
    its masked name. So a file of the record's commit whose blob there is known to be approved
    (named in the record's approvals, or the trusted first commit's file, unchanged since) keeps
    that version: it was what the record published. Every other file of that name is withheld (its
    approved version becomes "absent", waiting for a new approval): the entry may stand for it."""
    if not record.sealed or record.state is None:
        return
    state = record.state
    tree = repo.tree(record.commit)
    named = _masked_names(record, repo, tree)
    kept = _published_for_sure(record, repo, tree, named)
    for entry in record.sealed:
        paths = named.get(entry.shown, [])
        for path in paths:
            if len(paths) > 1 and path in kept:
                continue
            if entry.excepted or len(paths) > 1:
                state.exceptions[path] = entry.value if len(paths) == 1 else None
            if entry.held is not None:
                state.held[path] = entry.held


def _masked_names(record: Record, repo: Repo, tree: dict[str, Value]) -> dict[str, list[str]]:
    """Masked name of a sealed entry -> the files of the record's commit that bear it; for an
    approved entry that names none of them, also the files of that name in its history."""
    shown = {entry.shown for entry in record.sealed}
    named: dict[str, list[str]] = {}
    for path in tree:
        if (masked := mask_personal(path)) != path and masked in shown:
            named.setdefault(masked, []).append(path)
    if any(e.excepted and e.value is not None and e.shown not in named for e in record.sealed):
        for path in repo.paths_ever(record.commit):
            masked = mask_personal(path)
            if masked != path and masked in shown and path not in named.get(masked, []):
                named.setdefault(masked, []).append(path)
    return named


def _published_for_sure(
    record: Record, repo: Repo, tree: dict[str, Value], named: dict[str, list[str]]
) -> set[str]:
    """The files sharing a masked name whose blob at the record's commit is an approved one."""
    shared = [p for paths in named.values() if len(paths) > 1 for p in paths if p in tree]
    if not shared or record.state is None:
        return set()
    approved = set(record.state.approvals)
    root = repo.first_parent_root(record.commit)
    return {
        p
        for p in shared
        if not is_special(tree[p]) and (tree[p] in approved or _untouched(repo, root, record, p))
    }


def _untouched(repo: Repo, root: str, record: Record, path: str) -> bool:
    """Whether `path` is the trusted first commit's file, which no later commit of the branch
    has changed (a deleted and re-added file has been changed: it may have been withdrawn)."""
    if repo.value_at(root, path) is None:
        return False
    changed = repo.run(
        "log", "--first-parent", "--format=%H", "-1", f"{root}..{record.commit}", "--", path
    )
    return not changed.strip()


def read_record(path: Path, repo: Repo | None = None) -> Record:
    """The previous publish record; RecordError when it is unreadable or of an unknown kind.
    With `repo`, sealed entries are matched to the repository's files (`unseal`)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RecordError(f"找不到上次的发布记录 {path}。为安全起见，本次不发布新内容") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        why = read_error_text(exc)
        raise _fail(
            path, f"无法使用发布记录：{why}；请确认它是网站根目录的 {RECORD_FILE}，而不是网页"
        ) from None
    if not isinstance(data, dict):
        raise _fail(path, "发布记录应为键值结构")
    commit = data.get("commit")
    if not isinstance(commit, str) or not _SHA.match(commit):
        raise _fail(path, "发布记录中没有有效的提交编号（commit）")
    version = data.get("version", 1)
    if version == 1 and "verified" in data:
        # the first gate's record: its commit still guards against rollback; the walk then
        # starts from the repository's first commit
        return Record(commit, "", None)
    if version != VERSION:
        raise _fail(path, f"发布记录的版本“{version}”不认识（本程序读取第 {VERSION} 版）")
    record = Record(
        commit,
        str(data.get("provider") or ""),
        _state(data, path),
        str(data.get("branch") or ""),
        _sealed(data.get("sealed"), path),
        str(data.get("built_at") or ""),
    )
    if record.sealed:
        if repo is None:
            raise _fail(path, "发布记录中有隐去个人信息的文件名，须在仓库中核对")
        unseal(record, repo)
    return record


def state_json(state: State) -> dict:
    return {
        "commit": state.commit,
        "exceptions": dict(sorted(state.exceptions.items())),
        "held": dict(sorted(state.held.items())),
        "withheld": dict(sorted(state.withheld.items())),
        "pulls": {k: p.as_json() for k, p in sorted(state.pulls.items())},
        "approvals": dict(sorted(state.approvals.items())),
        "history": dict(sorted(state.history.items())),
    }


def _personal(path: str) -> bool:
    return mask_personal(path) != path


def _masked_pull(pull: Pull) -> dict:
    data = pull.as_json()
    data["approvers"] = [mask_personal(name) for name in pull.approvers]
    data["authors"] = [mask_personal(name) for name in pull.authors]
    return data


def public_state_json(state: State) -> dict:
    """`state_json` as the public record carries it: no personal number unmasked (see the
    module's docstring)."""
    sealed = sorted(p for p in {*state.exceptions, *state.held} if _personal(p))
    return {
        "commit": state.commit,
        "exceptions": {p: v for p, v in sorted(state.exceptions.items()) if not _personal(p)},
        "held": {
            p: mask_personal(why) for p, why in sorted(state.held.items()) if not _personal(p)
        },
        # a withheld approved version named with a personal number is dropped (fails safe: it
        # waits for a new approval instead of being restored)
        "withheld": {p: v for p, v in sorted(state.withheld.items()) if not _personal(p)},
        "sealed": [
            {
                "shown": mask_personal(p),
                **({"value": state.exceptions[p]} if p in state.exceptions else {}),
                **({"held": mask_personal(state.held[p])} if p in state.held else {}),
            }
            for p in sealed
        ],
        "pulls": {k: _masked_pull(p) for k, p in sorted(state.pulls.items())},
        "approvals": dict(sorted(state.approvals.items())),
        "history": dict(sorted(state.history.items())),  # index numbers and blobs only
    }


def record_json(state: State, provider: str, branch: str) -> dict:
    return {
        "version": VERSION,
        "provider": provider,
        "branch": branch,
        "built_at": beijing_now().isoformat(timespec="seconds"),
        **public_state_json(state),
    }


def write_record(site_dir: Path, state: State, provider: str, branch: str) -> Path:
    path = site_dir / RECORD_FILE
    path.write_text(
        json.dumps(record_json(state, provider, branch), ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    return path


@dataclass
class Result:
    """What the gate decided, for the build (run with the newly approved code) and the register."""

    state: State
    provider: str
    branch: str
    calls: int = 0
    # digest of the approved folder the gate wrote (review/handoff.py); None: a result written
    # by a gate from before the digest (the last published code, once, after an upgrade)
    folder: str | None = ""
    folder_files: int = 0
    # "/item/…/" address -> repository path of held items (heldpages.py), for the inspection
    held_pages: dict[str, str] = field(default_factory=dict)
    # blob id -> text of each version the history names (for a build without the repository)
    texts: dict[str, bytes] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "kind": RESULT_KIND,
            "version": VERSION,
            "provider": self.provider,
            "branch": self.branch,
            "calls": self.calls,
            "folder": {"digest": self.folder, "files": self.folder_files},
            "held_pages": dict(sorted(self.held_pages.items())),
            **state_json(self.state),
            "texts": encode_texts(self.texts),
        }


def write_result(path: Path, result: Result) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result.as_json(), ensure_ascii=False, indent=1), encoding="utf-8")


def read_result(path: Path) -> Result:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        why = read_error_text(exc)
        raise RecordError(
            f"{path}：无法使用核验结果：{why}；请指定 gongkai gate --result 写出的文件"
        ) from None
    if not isinstance(data, dict) or data.get("kind") != RESULT_KIND:
        raise RecordError(f"{path}：这不是 gongkai gate 写出的核验结果")
    if data.get("version") != VERSION:
        raise RecordError(f"{path}：核验结果的版本“{data.get('version')}”不认识")
    if not isinstance(data.get("commit"), str) or not _SHA.match(data["commit"]):
        raise RecordError(f"{path}：核验结果中没有有效的提交编号")
    folder = data.get("folder") if isinstance(data.get("folder"), dict) else {}
    return Result(
        _state(data, path),
        str(data.get("provider") or ""),
        str(data.get("branch") or ""),
        int(data.get("calls") or 0),
        str(folder.get("digest") or "") if "folder" in data else None,
        folder["files"] if isinstance(folder.get("files"), int) else 0,
        {str(k): str(v) for k, v in _mapping(data.get("held_pages"), path, "held_pages").items()},
        decode_texts(data.get("texts")),
    )
