"""The approved state: for every gated path, its newest approved blob (or "absent").

It starts from the previous publish record (or the repository's first commit, the trusted
genesis) and walks the published branch's first-parent commits after it, oldest first. A commit
with evidence of an approved pull request P (approved head H) approves a path p that P changes
iff the merge carries exactly H's blob of p and every department responsible for p (in the
catalog approved BEFORE this commit) has an approver who wrote none of P's commits. Everything
else a commit changes keeps its previous approved version, and the reason is remembered.

The state is kept as exceptions relative to the commit walked last, so a walk over one merged
pull request costs a few git calls, whatever the size of the site.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from generator.core.catalog import Catalog, CatalogError, load_catalog
from generator.publishing.review.evidence import NoEvidence, Provider, ReviewError
from generator.publishing.review.judge import Judgement, Pull, judge
from generator.publishing.review.paths import Owners, is_gated
from generator.publishing.review.repo import Change, Repo, Value, is_special
from generator.publishing.review.responsible import Responsible


@dataclass
class State:
    commit: str  # the exceptions are relative to this commit's tree
    exceptions: dict[str, Value] = field(default_factory=dict)  # path -> approved value
    approvals: dict[str, str] = field(default_factory=dict)  # blob -> pull key
    pulls: dict[str, Pull] = field(default_factory=dict)
    held: dict[str, str] = field(default_factory=dict)  # path -> why its change is held
    catalog: Value = None  # the approved catalog.yml's blob
    # path -> approved value withheld because it conflicts with a held change (settle.py); the
    # exceptions then hold the published value
    withheld: dict[str, Value] = field(default_factory=dict)
    # index number -> its earlier published versions (review/versions.py)
    history: dict[str, list[dict[str, str]]] = field(default_factory=dict)


class Catalogs:
    """Approved catalogs by blob; the last readable one decides (a broken catalog, even
    approved, cannot lock everyone out)."""

    def __init__(self, repo: Repo):
        self.repo = repo
        self.current: Catalog | None = None
        self._cache: dict[str, Catalog | None] = {}

    def use(self, blob: Value) -> None:
        found = self.get(blob)
        if found is not None:
            self.current = found

    def get(self, blob: Value) -> Catalog | None:
        """The catalog in `blob`, if it is readable."""
        if blob is None or is_special(blob):
            return None
        if blob not in self._cache:
            self._cache[blob] = self._load(self.repo.blob(blob))
        return self._cache[blob]

    def _load(self, data: bytes) -> Catalog | None:
        with tempfile.TemporaryDirectory(prefix="gongkai-catalog-") as folder:
            path = Path(folder) / "catalog.yml"
            path.write_bytes(data)
            try:
                return load_catalog(path)
            except CatalogError:
                return None


def genesis(repo: Repo, head: str) -> State:
    """The first commit of the first-parent line: created by the administrator (a copy of the
    demo repository or an import) and reviewed once; its tree is trusted, except links and
    submodules."""
    roots = repo.roots(head)
    if len(roots) > 1:
        raise ReviewError(
            f"仓库历史中有 {len(roots)} 个初始提交（{'、'.join(r[:10] for r in roots)}），无法确定哪一个是"
            "管理员建立的可信起点。请用上次的发布记录（--record）核验；首次发布请管理员先查明多出的初始提交的来历"
        )
    root = repo.first_parent_root(head)
    state = State(root)
    for path, value in repo.tree(root).items():
        if is_gated(path) and is_special(value):
            state.exceptions[path] = None
            state.held[path] = "符号链接和子模块不会发布（初始提交中的），请改为普通文件"
    state.catalog = repo.value_at(root, "catalog.yml")
    return state


def walk(repo: Repo, provider: Provider, state: State, head: str) -> State:
    """Advance `state` to `head`; raises ReviewError when evidence cannot be obtained."""
    catalogs = Catalogs(repo)
    catalogs.use(state.catalog)
    merged = repo.value_at(state.commit, "catalog.yml")  # the catalog as the branch has it
    changes = repo.changes(state.commit, head)
    for change in changes:
        if not change.parents:  # another first commit, joined to main by a merge: all unapproved
            _rebase(repo, state, change.sha)
            merged = repo.value_at(change.sha, "catalog.yml")
            continue
        if change.parents[0] != state.commit:
            _rebase(repo, state, change.parents[0])
            merged = repo.value_at(change.parents[0], "catalog.yml")
        if "catalog.yml" in change.paths:
            merged = change.paths["catalog.yml"][1]
        gated = {p: v for p, v in change.paths.items() if is_gated(p)}
        # a merge that changes nothing on the branch may still approve what is held there
        if gated or (len(change.parents) > 1 and state.exceptions):
            proposed = catalogs.get(merged)
            decided = _decide(repo, provider, catalogs, proposed, change, gated, state.exceptions)
            _apply(state, change, gated, decided)
            catalogs.use(state.catalog)
        state.commit = change.sha
    if changes and state.commit != head:  # the walk must end where the site is built from
        raise ReviewError(
            f"核验没有走到当前提交 {head[:10]}（停在 {state.commit[:10]}），为安全起见不发布"
        )
    return state


def _rebase(repo: Repo, state: State, commit: str) -> None:
    """Make the exceptions relative to another commit. The first-parent line from HEAD does not
    always pass through the record's commit (a merge pushed with its parents swapped leads down
    another branch); every file that differs there keeps its approved version."""
    reason = (
        f"主分支的第一父提交链没有经过上次发布的提交 {state.commit[:10]}（例如推送了父提交顺序颠倒的合并），"
        "这里的版本未经批准"
    )
    for path, (there, here) in repo.diff(state.commit, commit).items():
        if not is_gated(path):
            continue
        approved = state.exceptions.get(path, there)
        if approved == here:
            state.exceptions.pop(path, None)
            state.held.pop(path, None)
        else:
            state.exceptions[path] = approved
            state.held.setdefault(path, reason)
    state.commit = commit


def _decide(
    repo: Repo,
    provider: Provider,
    catalogs: Catalogs,
    proposed: Catalog | None,
    change: Change,
    gated: dict,
    exceptions: dict[str, Value],
) -> Judgement:
    """`proposed`: the catalog the commit leaves on the branch (approved or not)."""
    if len(change.parents) > 2:
        reason = f"提交 {change.sha[:10]} 是同时合并多个分支的“章鱼合并”，不能作为审核证据"
        return Judgement({}, dict.fromkeys(gated, reason))
    evidence = provider.evidence(change)
    if isinstance(evidence, NoEvidence):
        return Judgement({}, dict.fromkeys(gated, evidence.reason))
    if catalogs.current is None:
        reason = "已批准的 catalog.yml 无法读取，无法确定审核人"
        return Judgement({}, dict.fromkeys(gated, reason))
    owners = [Owners(catalogs.current)]
    if proposed is not None and proposed is not catalogs.current:
        owners.append(Owners(proposed))
    responsible = Responsible(repo, owners, (change.parents[0], exceptions), change.sha)
    return judge(repo, provider.match_by, responsible, change, gated, evidence, exceptions)


def _apply(state: State, change: Change, gated: dict, decided: Judgement) -> None:
    for path, (before, after) in gated.items():
        if path in decided.approved:
            continue
        previous = state.exceptions.get(path, before)  # the approved value before this commit
        if previous == after:
            state.exceptions.pop(path, None)
            state.held.pop(path, None)
        else:
            state.exceptions[path] = previous
            state.held[path] = decided.refused.get(path, "")
    for path, value in decided.approved.items():
        state.exceptions.pop(path, None)
        state.held.pop(path, None)
        if value is not None:
            state.approvals[value] = decided.pull.key if decided.pull else ""
        if path == "catalog.yml":
            state.catalog = value
    if decided.pull is not None and decided.approved:
        state.pulls[decided.pull.key] = decided.pull
