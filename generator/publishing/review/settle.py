"""Held changes never stop approved ones: settling the conflicts a held change causes.

A held change keeps the approved version of its file online. That version can clash with an
approved change elsewhere: a held deletion keeps an item whose index number an approved new item
reuses, a move approved on one side only leaves the item twice, an approved item names a
category or an attachment whose approval is held. The approved state then has errors, and the
build would publish nothing at all.

The rule: what was published stays as it was, and an approved change that conflicts with it
waits. When something is held, the approved state is checked as the build will check it. A
file named by an error that the file does not have in HEAD (where nothing is held: so the held
changes cause it) and whose approved version is newer than the published one (the previous
publish record's, or the repository's first commit's) is withheld at its published version, with
the error as the reason; the check runs again until no such file is left.

An approved deletion can make a file published before invalid without touching it: a published
item that amends a moved item whose addition is held now amends nothing. When errors remain in
files that are unchanged since the publication and that HEAD does not have, each approved
deletion since the publication is tried back at its published version; one whose return removes
such an error is withheld the same way (it stays online until the rest is approved).

Errors that remain (a file's own errors, errors in files published before or in held ones) are
real errors: the build refuses as before (exit 1).

A withheld file's approved version is kept in the record (`withheld`), so the next run starts
from it again and publishes it as soon as the conflict is gone.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

from generator.checks import check
from generator.core import scratch
from generator.core.catalog import CatalogError
from generator.core.problems import Problem
from generator.core.project import load_project
from generator.publishing.review.repo import Repo, Value
from generator.publishing.review.state import State
from generator.publishing.review.tree import APPROVED_PREFIX, TreeError, approved_files, write_tree

ROUNDS = 8  # each round withholds at least one more file; real conflicts settle in one or two


def restore(repo: Repo, state: State) -> None:
    """Put the withheld approved versions back into the state, to be judged afresh."""
    for path, value in state.withheld.items():
        if value == repo.value_at(state.commit, path):
            state.exceptions.pop(path, None)
        else:
            state.exceptions[path] = value
        state.held.pop(path, None)
    state.withheld = {}


def settle(
    repo: Repo,
    state: State,
    head_tree: dict[str, Value],
    published: Callable[[str], Value],
    published_paths: Iterable[str] = (),
) -> None:
    """Withhold the newly approved files that the held changes make invalid (see above).
    `published(path)`: the path's version at the previous publication; `published_paths`: the
    paths it has a version for."""
    own: dict[str, set[str]] | None = None  # HEAD's errors: not caused by anything held
    for _ in range(ROUNDS):
        if not state.exceptions:
            return  # nothing held: the approved state is HEAD, its errors are its own
        errors = _errors(repo, state.commit, state.exceptions)
        if not errors:
            return
        if own is None:
            own = {p: {c for c, _ in e} for p, e in (_errors(repo, state.commit, {}) or {}).items()}
        newer = {
            path: [m for c, m in found if c not in own.get(path, ())]
            for path, found in errors.items()
            if path not in state.held
            and state.exceptions.get(path, head_tree.get(path)) != published(path)
        }
        newer = {p: m for p, m in newer.items() if m}
        if not newer:
            newer = _orphaning(repo, state, head_tree, published, published_paths, errors, own)
        if not newer:
            return
        for path, reasons in newer.items():
            state.withheld[path] = state.exceptions.get(path, head_tree.get(path))
            before = published(path)
            if before == head_tree.get(path):
                state.exceptions.pop(path, None)
            else:
                state.exceptions[path] = before
            state.held[path] = (
                "已获批准，但与暂不发布的修改冲突，暂保持原版本，冲突解决后自动发布："
                + ";".join(reasons[:3])
            )


def _orphaning(
    repo: Repo,
    state: State,
    head_tree: dict[str, Value],
    published: Callable[[str], Value],
    published_paths: Iterable[str],
    errors: dict[str, list[tuple[str, str]]],
    own: dict[str, set[str]],
) -> dict[str, list[str]]:
    """The approved deletions whose return removes an error in a file unchanged since the
    publication (see above): path -> the errors it caused."""
    orphaned = {
        (path, code, message)
        for path, found in errors.items()
        for code, message in found
        if path not in state.held
        and code not in own.get(path, ())
        and state.exceptions.get(path, head_tree.get(path)) == published(path)
    }
    if not orphaned:
        return {}
    deleted = sorted(
        path
        for path in set(published_paths)
        if path not in state.held
        and published(path) is not None
        and state.exceptions.get(path, head_tree.get(path)) is None
    )
    found: dict[str, list[str]] = {}
    for path in deleted:
        trial = _errors(repo, state.commit, {**state.exceptions, path: published(path)}) or {}
        still = {(p, c, m) for p, e in trial.items() for c, m in e}
        gone = [f"{p}：{m}" for p, c, m in sorted(orphaned - still)]
        if gone:
            found[path] = gone
    return found


def _errors(repo: Repo, commit: str, exceptions: dict) -> dict[str, list[tuple[str, str]]] | None:
    """path -> (code, message) of each error of the state, by repository path; None when its
    catalog cannot even be loaded (the build says why)."""
    folder = scratch.new_dir(APPROVED_PREFIX)
    try:
        write_tree(repo, approved_files(repo, commit, exceptions), folder)
        project = load_project(folder)
        problems = check(project)
    except (CatalogError, TreeError):
        return None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    found: dict[str, list[tuple[str, str]]] = {}
    for problem in problems:
        if problem.is_error:
            message = problem.message
            for prefix in {f"{folder}/", f"{folder.resolve()}/"}:
                message = message.replace(prefix, "")  # name files as in the repository
            found.setdefault(_path(problem, folder), []).append((problem.code, message))
    return found


def _path(problem: Problem, folder: Path) -> str:
    path = Path(problem.file)
    if path.is_absolute():
        try:
            return path.relative_to(folder.resolve()).as_posix()
        except ValueError:
            try:
                return path.relative_to(folder).as_posix()
            except ValueError:
                return path.as_posix()
    return path.as_posix()
